// SPDX-License-Identifier: MIT
/*
 * access: probes against the real kernel. Each Go program in tests/go/
 * counts its own accesses and prints them ("index 17: 300", or with the
 * array's name first); hotspan's @m[index] = count() must equal those counts
 * exactly, key for key, and the program must print the same whether it is
 * watched or not.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"

struct access_case {
	const char *prog;	/* build/go/NAME */
	const char *probe;	/* after "access:build/go/NAME:" */
	const char *pred;	/* a predicate, or "" */
	const char *key;	/* the map key expression */
	const char *prefix;	/* the program's lines to compare: PREFIX K: N */
	long lo, hi;		/* only keys in [lo, hi) when hi > 0 */
};

static const struct access_case cases[] = {
	{ "gobin_array", "main.table", "", "index", "index ", 0, 0 },
	{ "gobin_grid", "main.grid", "", "index", "index ", 0, 0 },
	{ "gobin_grid", "main.grid", "", "row, col", "cell ", 0, 0 },
	{ "gobin_structs", "main.pairs", "", "index", "main.pairs index ", 0, 0 },
	{ "gobin_structs", "main.recs", "", "index", "main.recs index ", 0, 0 },
	{ "gobin_structs", "main.tris", "", "index", "main.tris index ", 0, 0 },
	{ "gobin_structs", "main.odds", "", "index", "main.odds index ", 0, 0 },
	/* The global's own sites; (*Cache).Get reaches slots 200 and 201
	 * through its receiver, which only a probe on the method sees. */
	{ "gobin_field", "main.cache.slots", "", "index", "main.cache.slots index ", 0, 200 },
	{ "gobin_field", "main.(*Cache).Get", "", "index", "main.cache.slots index ", 200, 202 },
	{ "gobin_field", "main.stats.hist", "", "index", "main.stats.hist index ", 0, 0 },
	{ "gobin_slice", "main.add", "", "index", "index ", 0, 0 },
	{ "gobin_pie", "main.table", "", "index", "index ", 0, 0 },
	/* Stripped of symbols and DWARF: the function is found in .gopclntab,
	 * the int32 table told from the int64 one by the access's scale. */
	{ "gobin_stripped", "main.lookup", "/elem_size == 4/", "index", "index ", 0, 0 },
};

/* The "PREFIX K: N" lines of the program's output, keys as hotspan prints
 * them ("10 21" becomes "10, 21"). Returns how many. */
static int expected(const struct access_case *c, const char *out, char keys[][32], long *counts,
		    int max)
{
	const char *prefix = c->prefix;

	int n = 0;

	for (const char *p = out; p && *p && n < max; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *colon;
		size_t len;

		if (strncmp(p, prefix, strlen(prefix)))
			continue;
		p += strlen(prefix);
		colon = strstr(p, ": ");
		len = colon - p;
		if (!colon || len >= 32)
			continue;
		memcpy(keys[n], p, len);
		keys[n][len] = '\0';
		if (c->hi && (atol(keys[n]) < c->lo || atol(keys[n]) >= c->hi))
			continue;
		for (char *sp = strchr(keys[n], ' '); sp; sp = strchr(sp + 2, ' ')) {
			memmove(sp + 1, sp, strlen(sp) + 1);
			*sp = ',';
		}
		counts[n++] = atol(colon + 2);
	}
	return n;
}

static long map_value(const char *out, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n@m[%s]: ", key);
	p = strstr(out, pat);
	return p ? atol(p + strlen(pat)) : -1;
}

static int map_entries(const char *out)
{
	int n = 0;

	for (const char *p = strstr(out, "\n@m["); p; p = strstr(p + 1, "\n@m["))
		n++;
	return n;
}

static void run_case(const struct access_case *c)
{
	char bin[128], script[512];
	const char *plain_argv[] = { bin, NULL };
	const char *argv[] = { HOTSPAN, "-e", script, "-c", bin, NULL };
	struct proc_result plain, r;
	static char keys[8192][32];
	static long counts[8192];
	int n;

	snprintf(bin, sizeof(bin), "build/go/%s", c->prog);
	snprintf(script, sizeof(script), "access:%s:\"%s\" %s { @m[%s] = count(); }", bin, c->probe,
		 c->pred, c->key);
	cr_assert_eq(proc_run(plain_argv, NULL, &plain), 0);
	cr_assert_eq(plain.status, 0, "%s: %s", bin, plain.err);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s\n%s", script, r.err);
	cr_expect(strstr(r.out, plain.out) != NULL, "%s prints differently when watched:\n%s\n---\n%s",
		  bin, plain.out, r.out);
	n = expected(c, plain.out, keys, counts, 8192);
	cr_assert_gt(n, 0, "%s printed no '%s' lines", bin, c->prefix);
	for (int i = 0; i < n; i++)
		cr_expect_eq(map_value(r.out, keys[i]), counts[i], "%s: key [%s]\n%s", script,
			     keys[i], r.out);
	cr_expect_eq(map_entries(r.out), n, "%s: extra keys\n%s", script, r.out);
	proc_result_free(&plain);
	proc_result_free(&r);
}

Test(access, counts_equal_each_programs_own)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

Test(access, builtins_agree_with_what_the_program_knows)
{
	const char *info_argv[] = { "build/go/gobin_array", "-info", NULL };
	const char *argv[] = { HOTSPAN, "-e",
			       "access:build/go/gobin_array:main.table /index == 17/ {"
			       " @e[elem] = count();"
			       " @a[addr - index * elem_size, len, elem_size] = count();"
			       " @s[site] = count(); }",
			       "-c", "build/go/gobin_array", NULL };
	struct proc_result info, r;
	unsigned long long addr;
	long len, elem, size;
	char key[128];
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
	cr_assert_eq(proc_run(info_argv, NULL, &info), 0);
	cr_assert_eq(sscanf(info.out, "var main.table %llx %ld %ld", &addr, &len, &size), 3,
		     "%s", info.out);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* The array's own address, length and element size, on every hit. */
	snprintf(key, sizeof(key), "\n@a[%llu, %ld, %ld]: 301\n", addr, len, size);
	cr_expect(strstr(r.out, key) != NULL, "want %s in\n%s", key + 1, r.out);
	/* Index 17 is incremented 300 times: each hit reads the value before
	 * the increment, so every value 0..299 is seen exactly once; then
	 * sum() reads it once more, at 300. */
	for (elem = 0; elem <= 300; elem++) {
		snprintf(key, sizeof(key), "\n@e[%ld]: 1\n", elem);
		cr_expect(strstr(r.out, key) != NULL, "no %s in\n%s", key + 1, r.out);
	}
	cr_expect(strstr(r.out, "\n@e[301]") == NULL);
	/* Only bump() touches index 17; its site prints as function+offset file:line. */
	cr_expect(strstr(r.out, "\n@s[main.bump+0x") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "gobin_array/main.go:38]: 300\n") != NULL, "%s", r.out);
	proc_result_free(&info);
	proc_result_free(&r);
}

Test(access, list_names_arrays_with_types_lengths_and_sites)
{
	const char *argv[] = { HOTSPAN, "-l", "access:build/go/gobin_array:main.*", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "access:build/go/gobin_array:main.table [4096]int64, 4096 "
				"elements of 8 bytes, 4 sites\n") != NULL, "%s", r.out);
	/* sum() ranges over the array: no check, the probe on the load. */
	cr_expect(strstr(r.out, "read, 8-byte elements, no bounds check\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\tmain.get+0x") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "access:build/go/gobin_array:main.put 1 site\n") != NULL, "%s",
		  r.out);
	/* sum() has no bounds check: its load is its site all the same. */
	cr_expect(strstr(r.out, "access:build/go/gobin_array:main.sum 1 site\n\tmain.sum+0x") !=
		  NULL, "%s", r.out);
	proc_result_free(&r);
}

/* A 2-D array's header counts what index counts (cells), and its rows. */
Test(access, list_counts_cells_and_rows_of_a_2d_array)
{
	const char *argv[] = { HOTSPAN, "-l", "access:build/go/gobin_grid:main.grid", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "access:build/go/gobin_grid:main.grid [64][64]float64, 4096 "
				"elements of 8 bytes in 64 rows, ") != NULL, "%s", r.out);
	proc_result_free(&r);
}

Test(access, unknown_names_get_a_hint)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "access:build/go/gobin_array:main.tabel { @m[index] = count(); }",
			       NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 1);
	cr_expect_str_eq(r.err,
			 "-e:1:1: error: no array or function main.tabel in build/go/gobin_array\n"
			 "access:build/go/gobin_array:main.tabel { @m[index] = count(); }\n"
			 "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
			 "hint: did you mean 'main.table'?\n");
	proc_result_free(&r);
}

Test(access, an_inlined_function_is_reported_not_missed)
{
	/* main.hot is inlined into main.lookup and the binary is stripped. */
	const char *argv[] = { HOTSPAN, "-e",
			       "uprobe:build/go/gobin_stripped:main.hot { @c = count(); }", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 1);
	cr_expect(!strncmp(r.err, "-e:1:1: error: function main.hot is inlined everywhere in "
				  "build/go/gobin_stripped: it has no body to probe\n", 99),
		  "%s", r.err);
	cr_expect(strstr(r.err, "note: its inlined copies are in main.lookup (1 function)") !=
		  NULL, "%s", r.err);
	cr_expect(strstr(r.err, "mark it //go:noinline") != NULL, "%s", r.err);
	proc_result_free(&r);
}

Test(access, an_inlined_only_function_is_watched_in_its_copies)
{
	/* main.hot exists only inlined into main.lookup: its copy's accesses. */
	const char *argv[] = { HOTSPAN, "-l", "access:build/go/gobin_stripped:main.hot", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "access:build/go/gobin_stripped:main.lookup 1 site\n") != NULL,
		  "%s", r.out);
	cr_expect(strstr(r.out, "(inlined main.hot)") != NULL, "%s", r.out);
	proc_result_free(&r);
}

Test(access, len_follows_a_slice_that_grows_and_moves)
{
	/* gobin_slice appends 100 times, calling add() after each append
	 * (lengths 1..100), then calls add() 60 times more at length 100. */
	const char *argv[] = { HOTSPAN, "-e",
			       "access:build/go/gobin_slice:main.add { @l[len] = count(); }", "-c",
			       "build/go/gobin_slice", NULL };
	struct proc_result r;
	char key[64];
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (int len = 1; len < 100; len++) {
		snprintf(key, sizeof(key), "\n@l[%d]: 1\n", len);
		cr_expect(strstr(r.out, key) != NULL, "no %s in\n%s", key + 1, r.out);
	}
	cr_expect(strstr(r.out, "\n@l[100]: 61\n") != NULL, "%s", r.out);
	proc_result_free(&r);
}

/*
 * sum() ranges over the array: the compiler checks no index, and the
 * function's own access is watched all the same, on the load, with the
 * index from its register: each of the 4096 indices once.
 */
Test(access, a_range_loop_without_a_check_is_watched)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "access:build/go/gobin_array:main.sum { @m[index] = count(); "
			       "@n = count(); @lo = min(index); @hi = max(index); }",
			       "-c", "build/go/gobin_array", NULL };
	struct proc_result r;
	size_t keys = 0;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\n@n: 4096\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n@lo: 0\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n@hi: 4095\n") != NULL, "%s", r.out);
	for (const char *p = r.out; (p = strstr(p, "\n@m[")); p++) {
		keys++;
		cr_expect(strstr(p, "]: 1\n") == strchr(p, ']'), "%.40s", p + 1);
	}
	cr_expect_eq(keys, 4096);
	proc_result_free(&r);
}

/* table[5] has no check and no index register: refused, pointing at the array. */
Test(access, a_function_without_an_indexed_access_says_so)
{
	const char *argv[] = { HOTSPAN, "-e", "access:build/go/goset:main.constIdx { @ = count(); }",
			       NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "error: main.constIdx has no indexed access in build/go/goset\n") !=
		  NULL, "%s", r.err);
	cr_expect(strstr(r.err, "hint: a constant index into a global array") != NULL, "%s",
		  r.err);
	proc_result_free(&r);
}
