// SPDX-License-Identifier: MIT
/*
 * Scripts a user or a fuzzer may write that once broke the compiler's
 * front end (issue 14): more keys than a map may have, and expressions or
 * blocks nested deeper than the passes may recurse. Each gets its one
 * error and no crash; run under ASan and UBSan by `.ci/run`.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/script.h"

/* "BEGIN { @m[1,1,...,1] = count(); }" with n keys, and the same map again. */
static char *many_keys(int n, bool twice)
{
	size_t cap = 64 + 4 * (size_t)n, len = 0;
	char *s = malloc(cap);

	len += snprintf(s + len, cap - len, "BEGIN { @m[1");
	for (int i = 1; i < n; i++)
		len += snprintf(s + len, cap - len, ",1");
	len += snprintf(s + len, cap - len, "] = count();%s }", twice ? " print(@m);" : "");
	return s;
}

/* Defect 3: the layout wrote keys[8], keys[9] ... past the map's table. */
Test(hostile_script, map_with_too_many_keys_is_one_error)
{
	static const int counts[] = { 9, 40, 200 };

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		for (int twice = 0; twice < 2; twice++) {
			char *text = many_keys(counts[i], twice), *diags;
			struct plan *plan = test_compile(text, &diags);

			cr_assert_null(plan);
			cr_assert(strstr(diags, "t.hot:1:9: error: map @m has more keys than "
					 "the 8 allowed\n"), "%d keys: %s", counts[i], diags);
			free(diags);
			free(text);
		}
	}
}

Test(hostile_script, map_with_eight_keys_compiles)
{
	char *text = many_keys(8, false), *diags;
	struct plan *plan = test_compile(text, &diags);

	cr_assert_not_null(plan, "%s", diags);
	cr_assert_eq(plan->maps[0].nkeys, 8);
	cr_assert_eq(plan->maps[0].key_size, 64);
	plan__free(plan);
	free(diags);
	free(text);
}

/* "BEGIN { $x = 1 OP 1 OP ... 1; printf(...); }" with n terms. */
static char *chain(int n, const char *op)
{
	size_t cap = 64 + (strlen(op) + 1) * (size_t)n, len = 0;
	char *s = malloc(cap);

	len += snprintf(s + len, cap - len, "BEGIN { $x = 1");
	for (int i = 1; i < n; i++)
		len += snprintf(s + len, cap - len, "%s1", op);
	snprintf(s + len, cap - len, "; printf(\"%%d\\n\", $x); }");
	return s;
}

/* The first line of the diagnostics: "t.hot:1:COL: error: ...". */
static char *first_line(const char *diags)
{
	const char *nl = strchr(diags, '\n');

	return strndup(diags, nl ? (size_t)(nl - diags) : strlen(diags));
}

/* Defect 4: 30,000 terms overflowed the stack in sema_check_expr(). */
Test(hostile_script, expression_of_30000_terms_is_one_error)
{
	static const char *const ops[] = { "+", "*", " && ", " == " };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char *text = chain(30000, ops[i]), *diags, *line;
		struct plan *plan = test_compile(text, &diags);

		cr_assert_null(plan);
		line = first_line(diags);
		cr_assert(strstr(line, ": error: nested too deeply: more than 1000 levels of "
				 "operators, calls and blocks"), "%s: %s", ops[i], line);
		cr_assert(strstr(diags, "\nhint: split it into steps with variables"));
		free(line);
		free(diags);
		free(text);
	}
}

/* The highest tree the parser lets through compiles, through code generation. */
Test(hostile_script, expression_of_1000_terms_compiles)
{
	char *text = chain(1000, "+"), *diags;
	struct plan *plan = test_compile(text, &diags);

	cr_assert_not_null(plan, "%.300s", diags);
	plan__free(plan);
	free(diags);
	free(text);
}

/* Nesting that waits on bison's stack: a clear error, not "memory exhausted". */
Test(hostile_script, brackets_20000_deep_are_one_error)
{
	size_t n = 20000, len = 0;
	char *text = malloc(2 * n + 64), *diags, *line;
	struct plan *plan;

	len += sprintf(text, "BEGIN { $x = ");
	memset(text + len, '(', n);
	len += n;
	text[len++] = '1';
	memset(text + len, ')', n);
	len += n;
	strcpy(text + len, "; }");
	plan = test_compile(text, &diags);
	cr_assert_null(plan);
	line = first_line(diags);
	cr_assert(strstr(line, ": error: too deep for the parser: its stack of 10000 open "
			 "brackets, operators and statements is full"), "%s", line);
	free(line);
	free(diags);
	free(text);
}

/* Blocks in blocks: the statements' height counts as the expressions' does. */
Test(hostile_script, ifs_1500_deep_are_one_error)
{
	size_t n = 1500, len = 0;
	char *text = malloc(20 * n + 64), *diags, *line;
	struct plan *plan;

	len += sprintf(text, "BEGIN { ");
	for (size_t i = 0; i < n; i++)
		len += sprintf(text + len, "if (1) { ");
	len += sprintf(text + len, "$x = 1;");
	for (size_t i = 0; i < n; i++)
		text[len++] = '}';
	strcpy(text + len, " }");
	plan = test_compile(text, &diags);
	cr_assert_null(plan);
	line = first_line(diags);
	cr_assert(strstr(line, ": error: nested too deeply"), "%s", line);
	free(line);
	free(diags);
	free(text);
}

/* Found by tests/fuzz/fuzz_script.c: window = 1.3e20 was cast to uint64_t
 * (undefined behaviour, a window of some other size); counts and windows
 * past what their fields hold are now errors. */
Test(hostile_script, hotspot_numbers_past_their_fields_are_errors)
{
	static const char *const bad[] = {
		"hotspot @h { window = 133333333333333333333; } BEGIN { @h = heat(1); }",
		"hotspot @h { window = 99999999999999999999999s; } BEGIN { @h = heat(1); }",
		"hotspot @h { minpts = 5000000000; } BEGIN { @h = heat(1); }",
		"hotspot @h { hot = top(1e12); } BEGIN { @h = heat(1); }",
		"hotspot @h { drift = 0.5 for 3000000000 windows; } BEGIN { @h = heat(1); }",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *diags;
		struct plan *plan = test_compile(bad[i], &diags);

		cr_expect_null(plan, "%s", bad[i]);
		cr_expect(strstr(diags, ": error: "), "%s: %s", bad[i], diags);
		plan__free(plan);
		free(diags);
	}
}
