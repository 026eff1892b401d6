// SPDX-License-Identifier: MIT
/*
 * Every semantic error of the language has its own message and place, and
 * a hint where one helps: each script here makes one, and the rendered
 * diagnostics must match exactly. Only BEGIN, END and interval probes, so
 * no Go binary is read.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "tests/lib/script.h"

static const struct {
	const char *script;
	const char *diag;
} bad[] = {
	{ "BEGIN { @c[cpus] = count(); }",
	  "t.hot:1:12: error: unknown builtin 'cpus'\n"
	  "BEGIN { @c[cpus] = count(); }\n"
	  "           ^~~~\n"
	  "hint: did you mean 'cpu'?\n" },
	{ "BEGIN { @c = cout(); }",
	  "t.hot:1:14: error: unknown function 'cout'\n"
	  "BEGIN { @c = cout(); }\n"
	  "             ^~~~\n"
	  "hint: did you mean 'count()'?\n" },
	{ "BEGIN { @s = sum(); }",
	  "t.hot:1:14: error: sum() takes one integer\n"
	  "BEGIN { @s = sum(); }\n"
	  "             ^~~\n" },
	{ "BEGIN { @s = sum(comm); }",
	  "t.hot:1:18: error: the value of sum() must be an integer, not a string\n"
	  "BEGIN { @s = sum(comm); }\n"
	  "                 ^~~~\n" },
	{ "BEGIN { @m = count(); } END { @m = sum(1); }",
	  "t.hot:1:36: error: map @m is given sum() here but count() before\n"
	  "BEGIN { @m = count(); } END { @m = sum(1); }\n"
	  "                                   ^~~\n"
	  "t.hot:1:9: note: first use of @m\n"
	  "BEGIN { @m = count(); } END { @m = sum(1); }\n"
	  "        ^~\n" },
	{ "BEGIN /comm/ { exit(); }",
	  "t.hot:1:8: error: a predicate must be an integer, not a string\n"
	  "BEGIN /comm/ { exit(); }\n"
	  "       ^~~~\n" },
	{ "BEGIN { @r = sum(retval); }",
	  "t.hot:1:18: error: retval is only defined in uretprobe probes\n"
	  "BEGIN { @r = sum(retval); }\n"
	  "                 ^~~~~~\n" },
	{ "BEGIN { @c[func] = count(); }",
	  "t.hot:1:12: error: func is only defined in uprobe, uretprobe and access probes\n"
	  "BEGIN { @c[func] = count(); }\n"
	  "           ^~~~\n" },
	{ "BEGIN { @c[$x] = count(); }",
	  "t.hot:1:12: error: variable $x is used before it is assigned\n"
	  "BEGIN { @c[$x] = count(); }\n"
	  "           ^~\n" },
	{ "BEGIN { $x = 1; $x = \"a\"; }",
	  "t.hot:1:22: error: variable $x holds an integer, not a string\n"
	  "BEGIN { $x = 1; $x = \"a\"; }\n"
	  "                     ^~~\n"
	  "t.hot:1:9: note: first assigned here\n"
	  "BEGIN { $x = 1; $x = \"a\"; }\n"
	  "        ^~\n" },
	{ "BEGIN { printf(\"%d %d\\n\", 1); }",
	  "t.hot:1:9: error: printf format has 2 conversions but 1 argument follows\n"
	  "BEGIN { printf(\"%d %d\\n\", 1); }\n"
	  "        ^~~~~~\n" },
	{ "BEGIN { printf(\"%d\\n\", comm); }",
	  "t.hot:1:24: error: %d expects an integer, not a string\n"
	  "BEGIN { printf(\"%d\\n\", comm); }\n"
	  "                       ^~~~\n" },
	{ "BEGIN { printf(\"%s\\n\", 5); }",
	  "t.hot:1:24: error: %s expects a string, not an integer\n"
	  "BEGIN { printf(\"%s\\n\", 5); }\n"
	  "                       ^\n" },
	{ "BEGIN { printf(\"%q\\n\", 1); }",
	  "t.hot:1:16: error: printf format has an unknown conversion '%q'\n"
	  "BEGIN { printf(\"%q\\n\", 1); }\n"
	  "               ^~~~~~\n"
	  "hint: conversions: %d %i %u %x %X %o %c %p %s %%\n" },
	{ "BEGIN { printf(comm); }",
	  "t.hot:1:16: error: printf() takes a format string first\n"
	  "BEGIN { printf(comm); }\n"
	  "               ^~~~\n"
	  "hint: printf(\"%d\\n\", arg0)\n" },
	{ "BEGIN { @l = lhist(1, 0, pid, 1); }",
	  "t.hot:1:26: error: lhist()'s max must be an integer literal\n"
	  "BEGIN { @l = lhist(1, 0, pid, 1); }\n"
	  "                         ^~~\n" },
	{ "BEGIN { @l = lhist(1, 0, 10, 0); }",
	  "t.hot:1:30: error: lhist()'s step must be positive\n"
	  "BEGIN { @l = lhist(1, 0, 10, 0); }\n"
	  "                             ^\n" },
	{ "BEGIN { @l = lhist(1, 10, 10, 1); }",
	  "t.hot:1:27: error: lhist()'s max must be above its min\n"
	  "BEGIN { @l = lhist(1, 10, 10, 1); }\n"
	  "                          ^~\n" },
	{ "BEGIN { @c = count(); @d[@c] = count(); }",
	  "t.hot:1:26: error: map @c holds count(), which cannot be read in an expression\n"
	  "BEGIN { @c = count(); @d[@c] = count(); }\n"
	  "                         ^~\n"
	  "hint: print it with print(@c), or keep a plain value: @c = ...\n" },
	{ "BEGIN { print(@x); }",
	  "t.hot:1:15: error: map @x is never assigned\n"
	  "BEGIN { print(@x); }\n"
	  "              ^~\n" },
	{ "BEGIN { @x = 1; delete(@x); }",
	  "t.hot:1:24: error: delete() removes one entry of a map with keys; use clear(@x) for @x\n"
	  "BEGIN { @x = 1; delete(@x); }\n"
	  "                       ^~\n" },
	{ "BEGIN { @x[1] = 1; clear(@x[1]); }",
	  "t.hot:1:26: error: clear() acts on a whole map: clear(@x)\n"
	  "BEGIN { @x[1] = 1; clear(@x[1]); }\n"
	  "                         ^~~~~\n" },
	{ "BEGIN { @x[1] = count(); @x[\"a\"] = count(); }",
	  "t.hot:1:29: error: key 1 of @x is a string here but an integer before\n"
	  "BEGIN { @x[1] = count(); @x[\"a\"] = count(); }\n"
	  "                            ^~~\n" },
	{ "BEGIN { $x = pid ? 1 : \"a\"; }",
	  "t.hot:1:24: error: both sides of ?: must have one type, not an integer and a string\n"
	  "BEGIN { $x = pid ? 1 : \"a\"; }\n"
	  "                       ^~~\n" },
	{ "BEGIN /comm == 1/ { exit(); }",
	  "t.hot:1:16: error: a string can only be compared with a string, not an integer\n"
	  "BEGIN /comm == 1/ { exit(); }\n"
	  "               ^\n" },
	{ "BEGIN { $x = count(); }",
	  "t.hot:1:14: error: count() cannot be assigned to a variable\n"
	  "BEGIN { $x = count(); }\n"
	  "             ^~~~~\n"
	  "hint: aggregations live in maps: @m = count()\n" },
	{ "BEGIN { 1 + 2; }",
	  "t.hot:1:11: error: expression result is unused\n"
	  "BEGIN { 1 + 2; }\n"
	  "          ^\n"
	  "hint: store it: @m[...] = ... or $x = ..., or print it with printf()\n" },
	{ "BEGIN { @x = sum; }",
	  "t.hot:1:14: error: sum is a function: call it as sum()\n"
	  "BEGIN { @x = sum; }\n"
	  "             ^~~\n" },
	{ "BEGIN { @s = comm; @x = sum(@s); }",
	  "t.hot:1:29: error: map @s holds a string; only integers can be read back\n"
	  "BEGIN { @s = comm; @x = sum(@s); }\n"
	  "                            ^~\n" },
	{ "BEGIN { @x[1] = count(); print(@x, pid); print(@x[1]); }",
	  "t.hot:1:36: error: print()'s top and div must be integer literals\n"
	  "BEGIN { @x[1] = count(); print(@x, pid); print(@x[1]); }\n"
	  "                                   ^~~\n"
	  "t.hot:1:48: error: print() acts on a whole map: print(@x)\n"
	  "BEGIN { @x[1] = count(); print(@x, pid); print(@x[1]); }\n"
	  "                                               ^~~~~\n" },
	{ "BEGIN { @x = hist(1, 2); }",
	  "t.hot:1:14: error: hist() takes one integer\n"
	  "BEGIN { @x = hist(1, 2); }\n"
	  "             ^~~~\n" },
	{ "BEGIN { @x = sum(1); @x = avg(1); }",
	  "t.hot:1:27: error: map @x is given avg() here but sum() before\n"
	  "BEGIN { @x = sum(1); @x = avg(1); }\n"
	  "                          ^~~\n"
	  "t.hot:1:9: note: first use of @x\n"
	  "BEGIN { @x = sum(1); @x = avg(1); }\n"
	  "        ^~\n" },
	{ "BEGIN { @a = sarg0; }",
	  "t.hot:1:14: error: sarg0 is meaningless for Go programs\n"
	  "BEGIN { @a = sarg0; }\n"
	  "             ^~~~~\n"
	  "hint: Go passes arguments in registers: use arg0..arg8\n" },
	{ "BEGIN { exit(1); }",
	  "t.hot:1:9: error: exit() takes no arguments\n"
	  "BEGIN { exit(1); }\n"
	  "        ^~~~\n" },
	{ "BEGIN { @x = -comm; }",
	  "t.hot:1:15: error: a negated value must be an integer, not a string\n"
	  "BEGIN { @x = -comm; }\n"
	  "              ^~~~\n" },
	{ "BEGIN { @x = ~\"a\"; }",
	  "t.hot:1:15: error: the operand of ~ must be an integer, not a string\n"
	  "BEGIN { @x = ~\"a\"; }\n"
	  "              ^~~\n" },
	{ "BEGIN { if (comm) { exit(); } }",
	  "t.hot:1:13: error: an if condition must be an integer, not a string\n"
	  "BEGIN { if (comm) { exit(); } }\n"
	  "            ^~~~\n" },
	{ "BEGIN { @x = count(); print(@x, 1, 2, 3); }",
	  "t.hot:1:23: error: print() takes a map, and optionally top and div: print(@m, 10)\n"
	  "BEGIN { @x = count(); print(@x, 1, 2, 3); }\n"
	  "                      ^~~~~\n" },
	{ "BEGIN { @x = count(); @y = @x ? 1 : 2; }",
	  "t.hot:1:28: error: map @x holds count(), which cannot be read in an expression\n"
	  "BEGIN { @x = count(); @y = @x ? 1 : 2; }\n"
	  "                           ^~\n"
	  "hint: print it with print(@x), or keep a plain value: @x = ...\n" },
	{ "BEGIN { @x = heat(1, 2, 3); }",
	  "t.hot:1:14: error: heat() takes an index, or a row and a column\n"
	  "BEGIN { @x = heat(1, 2, 3); }\n"
	  "             ^~~~\n"
	  "hint: @h = heat(index); or @h = heat(row, col);\n" },
	{ "BEGIN { @h = heat(1); print(@h); }",
	  "t.hot:1:29: error: print() cannot act on heat map @h: the engine prints it\n"
	  "BEGIN { @h = heat(1); print(@h); }\n"
	  "                            ^~\n" },
	{ "BEGIN { $s = \"x\"; $t = $s + 1; }",
	  "t.hot:1:24: error: an operand must be an integer, not a string\n"
	  "BEGIN { $s = \"x\"; $t = $s + 1; }\n"
	  "                       ^~\n" },
	{ "BEGIN { @c[ustack] = count(); }",
	  "t.hot:1:12: error: ustack is only defined in probes other than BEGIN and END\n"
	  "BEGIN { @c[ustack] = count(); }\n"
	  "           ^~~~~~\n" },
	{ "interval:s:1 { @c[arg0] = count(); }",
	  "t.hot:1:19: error: arg0 is only defined in uprobe, uretprobe and access probes\n"
	  "interval:s:1 { @c[arg0] = count(); }\n"
	  "                  ^~~~\n" },
	{ "BEGIN { @x[count()] = 1; }",
	  "t.hot:1:12: error: a map key must be a value, not an aggregation\n"
	  "BEGIN { @x[count()] = 1; }\n"
	  "           ^~~~~\n" },
	{ "BEGIN { printf(\"%d\\n\", 1, 2); }",
	  "t.hot:1:24: error: printf format has 1 conversion but 2 arguments follow\n"
	  "BEGIN { printf(\"%d\\n\", 1, 2); }\n"
	  "                       ^\n" },
	{ "BEGIN { exit(); } BEGIN { exit(); }",
	  "t.hot:1:19: error: a second BEGIN probe\n"
	  "BEGIN { exit(); } BEGIN { exit(); }\n"
	  "                  ^~~~~\n"
	  "hint: put its statements in the first BEGIN block\n"
	  "t.hot:1:1: note: the first BEGIN\n"
	  "BEGIN { exit(); } BEGIN { exit(); }\n"
	  "^~~~~\n" },
	{ "BEGIN { @s[str()] = count(); }",
	  "t.hot:1:12: error: str() takes a string, a pointer, or a pointer and a length\n"
	  "BEGIN { @s[str()] = count(); }\n"
	  "           ^~~\n"
	  "hint: a Go string argument is two registers: str(arg0, arg1)\n" },
	{ "BEGIN { @s[str(1, \"a\")] = count(); }",
	  "t.hot:1:19: error: str()'s length must be an integer, not a string\n"
	  "BEGIN { @s[str(1, \"a\")] = count(); }\n"
	  "                  ^~~\n" },
};

Test(sema, every_semantic_error_has_its_exact_message)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *diags;
		struct plan *plan = test_compile(bad[i].script, &diags);

		cr_expect_null(plan, "script %zu compiled but should not have", i);
		cr_expect_str_eq(diags, bad[i].diag, "script %zu: %s\n--- got\n%s--- want\n%s", i,
				 bad[i].script, diags, bad[i].diag);
		plan__free(plan);
		free(diags);
	}
}

/* What a bpftrace user writes compiles: one script with every statement. */
Test(sema, the_whole_language_compiles)
{
	char *diags;
	struct plan *plan = test_compile(
		"BEGIN { $i = 1; $s = \"go\"; $i += 2; $i++; $i--; $i -= 1;"
		" if ($i > 1 && !($i == 5) || ~$i == 0) { @a = count(); } else if ($i) {"
		" @b[$s, comm] = sum(-$i); } else { @c = avg($i); }"
		" @d = min($i); @e = max($i); @f = stats($i); @g = hist($i);"
		" @h = lhist($i, 0, 100, 10); @v[1, \"k\"] = $i > 2 ? $i : 2; @w = @v[1, \"k\"];"
		" @x[probe] = count(); @y = elapsed; @z = comm == \"hotspan\" ? comm : $s;"
		" printf(\"%d %s %-5x|%5u %%\\n\", $i, $s, $i, @w); print(@a); print(@g, 2, 1);"
		" clear(@b); zero(@c); delete(@v[1, \"k\"]); exit(); }", &diags);

	cr_assert_not_null(plan, "%s", diags);
	cr_expect_eq(plan->nprintfs, 1);
	cr_expect_eq(plan->printfs[0].nargs, 4);
	cr_expect_eq(plan->printfs[0].size, 32);	/* 8 + 8 (\"go\" padded) + 8 + 8 */
	cr_expect_eq(plan__find_map(plan, "@b")->key_size, 24);	/* "go" 8 + comm 16 */
	cr_expect_eq(plan__find_map(plan, "@g")->value_size, 66 * 8);
	cr_expect_eq(plan__find_map(plan, "@h")->lhist.slots, 12);
	cr_expect_eq(plan__find_map(plan, "@z")->val.size, 16);
	cr_expect_str_eq(plan->start_var, "hs_start");
	plan__free(plan);
	free(diags);
}

/* What bpftrace accepts around probes: a #! line, comments before a block. */
Test(sema, shebang_and_comments_between_predicate_and_block)
{
	char *diags;
	struct plan *plan = test_compile("#!/usr/bin/env hotspan\nBEGIN /4 / 2 == 2/ /* c */ // d\n"
					 "{ printf(\"%d\\n\", 7 / ($# - $#)); exit(); }", &diags);

	cr_expect_not_null(plan, "%s", diags);
	plan__free(plan);
	free(diags);
	plan = test_compile("BEGIN { exit(); }\n#!/bin/sh\n", &diags);
	cr_expect_null(plan);
	cr_expect_str_eq(diags, "t.hot:2:1: error: unexpected '#!' after the first line\n"
				"#!/bin/sh\n^~~~~~~~~\n");
	plan__free(plan);
	free(diags);
}
