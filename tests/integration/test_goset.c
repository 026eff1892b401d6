// SPDX-License-Identifier: MIT
/*
 * Every shape of indexed access, with every Go toolchain, in every build
 * mode: tests/go/goset built as build/go/goV-MODE/goset (GO_VARIANTS, from
 * the makefile) is traced by the real hotspan with -c, one script holding
 * access:, uprobe: and uretprobe: probes with a map each, and every figure
 * (index, row and col, elem, arg0, retval) must equal the program's own
 * count, key for key, with no extra key. A stripped build has no names of
 * globals left, so its arrays are probed through the functions only.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"

#ifndef GO_VARIANTS
#error "GO_VARIANTS: the makefile names the builds of tests/go/goset"
#endif

struct fig {
	const char *map;	/* hotspan's map */
	const char *probe;	/* after "PROBE:BIN:" */
	const char *kind;	/* access, uprobe, uretprobe */
	const char *key;	/* what the map is keyed by */
	const char *prefix;	/* the program's lines: PREFIX K: N */
	bool needs_names;	/* a global: not in a stripped build */
};

static const struct fig figs[] = {
	{ "table", "main.table", "access", "index", "access main.table index ", true },
	{ "vals", "main.vals", "access", "index", "access main.vals index ", true },
	{ "valse", "main.vals", "access", "elem", "access main.vals elem ", true },
	{ "grid", "main.grid", "access", "row, col", "access main.grid cell ", true },
	{ "gridi", "main.grid", "access", "index", "access main.grid index ", true },
	{ "starr", "main.st.arr", "access", "index", "access main.st.arr index ", true },
	{ "shards", "main.shards", "access", "index", "access main.shards index ", true },
	{ "shardget", "main.shardGet", "access", "row, col", "access main.shardGet cell ",
	  false },
	{ "buckets", "main.buckets", "access", "index", "access main.buckets index ", true },
	{ "get", "main.get", "access", "index", "access main.get index ", false },
	{ "put", "main.put", "access", "index", "access main.put index ", false },
	{ "sliceadd", "main.sliceAdd", "access", "index", "access main.sliceAdd index ", false },
	{ "derived", "main.derived", "access", "index", "access main.derived index ", false },
	{ "constslice", "main.constSlice", "access", "index", "access main.constSlice index ",
	  false },
	{ "gpick", "main.gpick*", "access", "index", "access main.gpick index ", false },
	{ "ring", "main.(*Ring).Put", "access", "index", "access main.(*Ring).Put index ", false },
	{ "closure", "main.run.func1", "access", "index", "access main.run.func1 index ", false },
	{ "inl", "main.inl", "access", "index", "access main.inl index ", false },
	{ "stencil", "main.stencil", "access", "row, col", "access main.stencil cell ", false },
	{ "pair", "main.pair", "access", "row, col", "access main.pair cell ", false },
	{ "colpair", "main.colPair", "access", "row, col", "access main.colPair cell ", false },
	{ "adj", "main.adj", "access", "index", "access main.adj index ", false },
	{ "column", "main.column", "access", "row, col", "access main.column cell ", false },
	{ "smooth", "main.smooth", "access", "row, col", "access main.smooth cell ", false },
	{ "sumrange", "main.sumRange", "access", "index", "access main.sumRange index ", false },
	{ "sumpts", "main.sumPts", "access", "index", "access main.sumPts index ", false },
	{ "sumtris", "main.sumTris", "access", "index", "access main.sumTris index ", false },
	{ "sumbytes", "main.sumBytes", "access", "index", "access main.sumBytes index ", false },
	{ "arg", "main.get", "uprobe", "arg0", "call main.get arg ", false },
	{ "ret", "main.get", "uretprobe", "retval", "ret main.get ", false },
};

#define NFIGS (sizeof(figs) / sizeof(figs[0]))

/* The value hotspan printed for @map[key], or -1. */
static long map_value(const char *out, const char *map, const char *key)
{
	char pat[160];
	const char *p;

	snprintf(pat, sizeof(pat), "\n@%s[%s]: ", map, key);
	p = strstr(out, pat);
	return p ? atol(p + strlen(pat)) : -1;
}

static int map_entries(const char *out, const char *map)
{
	char pat[64];
	int n = 0;

	snprintf(pat, sizeof(pat), "\n@%s[", map);
	for (const char *p = strstr(out, pat); p; p = strstr(p + 1, pat))
		n++;
	return n;
}

static void check_fig(const char *bin, const struct fig *f, const char *prog, const char *out)
{
	size_t plen = strlen(f->prefix);
	int lines = 0;

	for (const char *p = prog; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *colon;
		char key[64];
		size_t len;

		if (strncmp(p, f->prefix, plen))
			continue;
		p += plen;
		colon = strstr(p, ": ");
		if (!colon || (len = colon - p) >= 32)
			continue;
		/* "3 20" is "3, 20" in a map key. */
		for (size_t i = 0, k = 0; i <= len && k + 2 < sizeof(key); i++) {
			if (i < len && p[i] == ' ') {
				key[k++] = ',';
				key[k++] = ' ';
			} else {
				key[k++] = i < len ? p[i] : '\0';
			}
		}
		lines++;
		cr_expect_eq(map_value(out, f->map, key), atol(colon + 2),
			     "%s: %s:%s @%s[%s] = %ld, the program counts %ld", bin, f->kind,
			     f->probe, f->map, key, map_value(out, f->map, key), atol(colon + 2));
	}
	cr_expect_gt(lines, 0, "%s: the program printed no '%s' line", bin, f->prefix);
	cr_expect_eq(map_entries(out, f->map), lines, "%s: @%s has %d keys, the program %d", bin,
		     f->map, map_entries(out, f->map), lines);
}

static void run_variant(const char *variant)
{
	char bin[256], *script = NULL;
	const char *plain_argv[] = { bin, NULL };
	const char *argv[] = { HOTSPAN, "-e", NULL, "-c", bin, NULL };
	bool stripped = strstr(variant, "-strip") != NULL;
	struct proc_result plain, r;
	size_t len = 0;
	FILE *s;

	snprintf(bin, sizeof(bin), "build/go/%s/goset", variant);
	s = open_memstream(&script, &len);
	cr_assert_not_null(s);
	for (size_t i = 0; i < NFIGS; i++) {
		if (stripped && figs[i].needs_names)
			continue;
		fprintf(s, "%s:%s:\"%s\" { @%s[%s] = count(); }\n", figs[i].kind, bin,
			figs[i].probe, figs[i].map, figs[i].key);
	}
	fclose(s);
	argv[2] = script;
	cr_assert_eq(proc_run(plain_argv, NULL, &plain), 0);
	cr_assert_eq(plain.status, 0, "%s: %s", bin, plain.err);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s\n%s", script, r.err);
	/* Watching changes nothing the program prints. */
	cr_expect(strstr(r.out, plain.out) != NULL, "%s prints differently when watched", bin);
	for (size_t i = 0; i < NFIGS; i++)
		if (!stripped || !figs[i].needs_names)
			check_fig(bin, &figs[i], plain.out, r.out);
	proc_result_free(&plain);
	proc_result_free(&r);
	free(script);
}

/*
 * ustack at the entry of a leaf function: Go 1.21 and later start one with
 * PUSH RBP, where the kernel adds the caller itself; the caller is printed
 * once, right under the function, whatever the toolchain.
 */
static void check_ustack(const char *variant)
{
	char bin[256], script[512];
	const char *argv[] = { HOTSPAN, "-e", script, "-c", bin, NULL };
	struct proc_result r;
	const char *top, *caller;

	snprintf(bin, sizeof(bin), "build/go/%s/goset", variant);
	snprintf(script, sizeof(script), "uprobe:%s:main.gridInc { @s[ustack] = count(); }", bin);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s\n%s", script, r.err);
	top = strstr(r.out, "@s[\n    main.gridInc+0 ");
	cr_expect_not_null(top, "%s: %s", variant, r.out);
	caller = top ? strchr(top + 3, '\n') : NULL;
	caller = caller ? strchr(caller + 1, '\n') : NULL;
	cr_expect(caller && !strncmp(caller, "\n    main.main+", 15), "%s: %s", variant, r.out);
	cr_expect(caller && !strstr(caller + 15, "main.main+"), "%s: the caller twice: %s",
		  variant, r.out);
	proc_result_free(&r);
}

static void run_version(const char *version)
{
	char list[] = GO_VARIANTS, *save = NULL;
	int ran = 0;

	for (char *v = strtok_r(list, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
		if (strncmp(v, version, strlen(version)) || v[strlen(version)] != '-')
			continue;
		run_variant(v);
		check_ustack(v);
		ran++;
	}
	if (!ran)
		cr_skip_test("%s is not among the toolchains built (GO_VERSIONS)", version);
}

#define GOSET_TEST(name, version)                              \
	Test(goset, name)                                      \
	{                                                      \
		const char *why = proc_bpf_missing();          \
		if (why)                                       \
			cr_skip_test("%s", why);               \
		run_version(version);                          \
	}

GOSET_TEST(go1_19, "go1.19")
GOSET_TEST(go1_21, "go1.21")
GOSET_TEST(go1_22, "go1.22")
GOSET_TEST(go1_23, "go1.23")
