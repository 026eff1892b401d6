// SPDX-License-Identifier: MIT
/*
 * Output against bpftrace 0.17, byte for byte: the same script, with Go
 * arguments read through reg(), run by both tools on the same quiet Go
 * program (build/go/outputs, pinned to one CPU so that bpftrace's per-CPU
 * buffers keep printf and print() in call order), in text and in -f json.
 * What bpftrace cannot print for Go (func and ustack of a process that has
 * exited, elapsed) is checked against what the program did.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define BPFTRACE "/usr/bin/bpftrace"
#define PROG "build/go/outputs"
#define CMD "/usr/bin/taskset -c 0 " PROG
#define REC "uprobe:" PROG ":main.record"
#define PHASE "uprobe:" PROG ":main.phase"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

static void need_bpftrace(void)
{
	need_bpf();
	if (access(BPFTRACE, X_OK) || access("/usr/bin/taskset", X_OK))
		cr_skip_test("bpftrace and taskset are needed to compare with");
}

/* Runs a tool on script with -c CMD and the given parameters; its stdout. */
static char *run(const char *tool, const char *script, bool json, const char *cmd,
		 const char *const params[])
{
	const char *argv[16];
	struct proc_result r;
	char *out;
	int n = 0;

	argv[n++] = tool;
	if (json) {
		argv[n++] = "-f";
		argv[n++] = "json";
	}
	argv[n++] = "-e";
	argv[n++] = script;
	argv[n++] = "-c";
	argv[n++] = cmd;
	for (int i = 0; params && params[i] && n < 15; i++)
		argv[n++] = params[i];
	argv[n] = NULL;
	cr_assert_eq(proc_run(argv, NULL, &r), 0, "%s did not run", tool);
	cr_assert_eq(r.status, 0, "%s failed (%d): %s", tool, r.status, r.err);
	out = r.out;
	r.out = NULL;
	proc_result_free(&r);
	proc_drop_lines(out, "{\"type\": \"cost\"");
	return out;
}

/* First differing line, so a failure says where. */
static void expect_same(const char *script, bool json, const char *got, const char *want)
{
	const char *g = got, *w = want, *line = got;

	while (*g && *g == *w) {
		if (*g == '\n')
			line = g + 1;
		g++;
		w++;
	}
	cr_expect_str_eq(got, want,
			 "%s%s\nhotspan differs from bpftrace at \"%.70s\"\nbpftrace has \"%.70s\"",
			 json ? "-f json " : "", script, line, want + (line - got));
}

static void same_as_bpftrace_with(const char *script, const char *cmd,
				  const char *const params[])
{
	need_bpftrace();
	for (int json = 0; json <= 1; json++) {
		char *want = run(BPFTRACE, script, json, cmd, params);
		char *got = run(HOTSPAN, script, json, cmd, params);

		expect_same(script, json, got, want);
		free(want);
		free(got);
	}
}

static void same_as_bpftrace(const char *script)
{
	same_as_bpftrace_with(script, CMD, NULL);
}

Test(output, counts_by_key_and_without)
{
	same_as_bpftrace(REC " { @c[reg(\"ax\")] = count(); @n = count(); }");
}

Test(output, keys_of_several_parts)
{
	same_as_bpftrace(REC " { @c[reg(\"ax\"), reg(\"bx\") / 100] = count(); }");
}

Test(output, every_aggregation_by_key)
{
	same_as_bpftrace(REC " { @c[reg(\"ax\")] = count(); @s[reg(\"ax\")] = sum(reg(\"bx\"));"
			 " @a[reg(\"ax\")] = avg(reg(\"bx\")); @mn[reg(\"ax\")] = min(reg(\"bx\"));"
			 " @mx[reg(\"ax\")] = max(reg(\"bx\")); @st[reg(\"ax\")] = stats(reg(\"bx\"));"
			 " @h[reg(\"ax\")] = hist(reg(\"bx\"));"
			 " @l[reg(\"ax\")] = lhist(reg(\"bx\"), 0, 600, 50);"
			 " @v[reg(\"ax\")] = reg(\"bx\"); }");
}

Test(output, every_aggregation_without_keys)
{
	same_as_bpftrace(REC " { @c = count(); @s = sum(reg(\"bx\")); @a = avg(reg(\"bx\"));"
			 " @mn = min(reg(\"bx\")); @mx = max(reg(\"bx\")); @st = stats(reg(\"bx\"));"
			 " @h = hist(reg(\"bx\")); @l = lhist(reg(\"bx\"), 100, 400, 25);"
			 " @v = reg(\"bx\"); @str = \"last\"; }");
}

Test(output, print_clear_and_zero_at_each_phase)
{
	same_as_bpftrace_with(REC " { @c[reg(\"ax\")] = count(); @h = hist(reg(\"bx\"));"
			 " @s[reg(\"ax\")] = sum(reg(\"bx\")); @a = avg(reg(\"bx\")); }"
			 PHASE " { printf(\"phase %d\\n\", reg(\"ax\")); print(@c, 3); print(@h);"
			 " print(@s, 0, 10); print(@a); clear(@c); zero(@a);"
			 " if (reg(\"ax\") == 2) { zero(@s); clear(@h); } }", CMD " -pause", NULL);
}

Test(output, printf_formats_as_bpftrace)
{
	same_as_bpftrace(REC " /reg(\"ax\") >= 4/ { printf(\"%d|%5d|%-5d|%05d|%x|%X|%o|%c|%s|%lu|%ld|%-8s|\\n\","
			 " reg(\"ax\"), reg(\"bx\"), reg(\"bx\"), reg(\"bx\"), reg(\"bx\"), reg(\"bx\"),"
			 " reg(\"bx\"), 60 + reg(\"ax\"), \"lit\", reg(\"bx\") * 1000000000, -reg(\"bx\"),"
			 " comm); }"
			 " BEGIN { printf(\"begin\\n\"); } END { printf(\"end \\\"%s\\\"\\t\\n\", \"q\"); }");
}

Test(output, exit_drops_what_follows_and_runs_end)
{
	same_as_bpftrace(REC " /reg(\"ax\") == 3/ { printf(\"three %d\\n\", reg(\"bx\")); exit(); }"
			 " END { printf(\"end\\n\"); }");
}

Test(output, variables_conditions_and_strings)
{
	same_as_bpftrace(REC " { $k = reg(\"ax\"); $v = reg(\"bx\");"
			 " if ($k > 2) { @big[$k, \"big\"] = sum($v); } else { @small[$k] = max($v); }"
			 " @half[$k < 3 ? 10 : 20] = count();"
			 " @name[comm, $k % 2 == 0 && $v > 100] = count(); }");
}

Test(output, positional_parameters)
{
	const char *const params[] = { "4", "100", NULL };

	same_as_bpftrace_with(REC " /reg(\"ax\") == $1/ { @[reg(\"bx\") > $2] = sum(reg(\"bx\"));"
			      " @n = count(); } END { printf(\"%d %d\\n\", $#, $2); }", CMD,
			      params);
}

Test(output, probe_names_as_keys)
{
	same_as_bpftrace(REC " { @[probe] = count(); } " PHASE " { @[probe] = count(); }");
}

/* bpftrace keeps maps without keys (but count) in a hash: clear() removes
 * them from the printout, zero() keeps them at zero. */
Test(output, clear_and_zero_of_maps_without_keys)
{
	same_as_bpftrace_with(REC " { @s = sum(reg(\"bx\")); @c = count(); @h = hist(reg(\"bx\"));"
			      " @a = avg(reg(\"bx\")); @m = max(reg(\"bx\")); @v = reg(\"bx\"); }"
			      PHASE " /reg(\"ax\") == 3/ { clear(@s); clear(@c); zero(@h); zero(@a);"
			      " clear(@m); zero(@v); }", CMD " -pause", NULL);
}

/* hotspan's own: what bpftrace cannot name for a Go program that exited. */
static char *run_hotspan(const char *script, bool json)
{
	need_bpf();
	return run(HOTSPAN, script, json, CMD, NULL);
}

Test(output, func_names_the_go_function)
{
	char *out = run_hotspan(REC " { @f[func] = count(); } " PHASE " { @f[func] = count(); }",
				false);

	cr_expect_str_eq(out, "Attaching 2 probes...\n\n\n@f[main.phase]: 3\n@f[main.record]: 126\n");
	free(out);
}

Test(output, ustack_keys_print_go_frames)
{
	char *out = run_hotspan(REC " /reg(\"ax\") == 5/ { @[ustack] = count(); }", false);
	char *json;

	cr_expect(strstr(out, "\n\n\n@[\n    main.record+0 ("), "%s", out);
	cr_expect(strstr(out, ")\n    main.main+"), "%s", out);
	cr_expect(strstr(out, ")\n]: 36\n"), "%s", out);
	json = run_hotspan(REC " /reg(\"ax\") == 5/ { @[ustack] = count(); }", true);
	cr_expect(strstr(json, "{\"type\": \"map\", \"data\": {\"@\": {\"\\n    main.record+0 ("),
		  "%s", json);
	cr_expect(strstr(json, ")\\n\": 36}}}\n"), "%s", json);
	free(out);
	free(json);
}

/* elapsed counts from the start of the run: the first call is later than 0
 * and the last one earlier than the whole run took. */
Test(output, elapsed_counts_from_the_start)
{
	struct timespec t0, t1;
	long long first = -1, last = -1, took;
	char *out, *p;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = run_hotspan(REC " { @first = min(elapsed); @last = max(elapsed); }", false);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	p = strstr(out, "@first: ");
	if (p)
		first = atoll(p + 8);
	p = strstr(out, "@last: ");
	if (p)
		last = atoll(p + 7);
	cr_expect_gt(first, 0, "%s", out);
	cr_expect_gt(last, first, "%s", out);
	cr_expect_lt(last, took, "%s: the run took %lld ns", out, took);
	free(out);
}
