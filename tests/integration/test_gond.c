// SPDX-License-Identifier: MIT
/*
 * Arrays of three and four dimensions, with every Go toolchain, in every
 * build mode: tests/go/gond built as build/go/goV-MODE/gond (GO_VARIANTS,
 * from the makefile) is traced by the real hotspan with -c, one script
 * holding an access: probe with a map for each figure, and every figure
 * must equal the program's own count, key for key, with no extra key. An
 * array [A][B]...[Z]T is its rows of the last dimension: for cube[a][b][c]
 * of [8][16][32]int32, row = a*16 + b, col = c, index = row*32 + col. The
 * accesses with a subscript folded into the address as a constant are
 * counted from the address, and are watched through the array's name only
 * (a function alone does not say which array its constant lies in); a
 * stripped build has no names of globals left, so only the functions whose
 * every subscript is a variable are probed there.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"

#ifndef GO_VARIANTS
#error "GO_VARIANTS: the makefile names the builds of tests/go/gond"
#endif

struct fig {
	const char *map;	/* hotspan's map */
	const char *probe;	/* after "access:BIN:" */
	const char *key;	/* what the map is keyed by */
	const char *prefix;	/* the program's lines: PREFIX K: N */
	bool needs_names;	/* a global or a constant in the address: not when stripped */
};

static const struct fig figs[] = {
	{ "cube", "main.cube", "row, col", "access main.cube cell ", true },
	{ "cubei", "main.cube", "index", "access main.cube index ", true },
	{ "vol", "main.vol.cube", "row, col", "access main.vol.cube cell ", true },
	{ "voli", "main.vol.cube", "index", "access main.vol.cube index ", true },
	{ "hyper", "main.hyper", "row, col", "access main.hyper cell ", true },
	{ "hyperi", "main.hyper", "index", "access main.hyper index ", true },
	{ "loop", "main.loop", "row, col", "access main.loop cell ", true },
	{ "loopi", "main.loop", "index", "access main.loop index ", true },
	/* index == row * C + col, at every site */
	{ "cubeok", "main.cube", "index == row * 32 + col", "access main.cube ok ", true },
	{ "plane", "main.cubePlane", "row, col", "access main.cubePlane cell ", true },
	{ "line", "main.cubeLine", "row, col", "access main.cubeLine cell ", true },
	{ "colc", "main.cubeCol", "row, col", "access main.cubeCol cell ", true },
	{ "inc", "main.cubeInc", "row, col", "access main.cubeInc cell ", false },
	{ "inci", "main.cubeInc", "index", "access main.cubeInc index ", false },
	{ "get", "main.cubeGet", "row, col", "access main.cubeGet cell ", false },
	{ "vget", "main.volGet", "row, col", "access main.volGet cell ", false },
	{ "put", "main.(*Vol).Put", "row, col", "access main.(*Vol).Put cell ", false },
	{ "puti", "main.(*Vol).Put", "index", "access main.(*Vol).Put index ", false },
	{ "hinc", "main.hyperInc", "row, col", "access main.hyperInc cell ", false },
	{ "hinci", "main.hyperInc", "index", "access main.hyperInc index ", false },
	{ "slab", "main.slab", "row, col", "access main.slab cell ", false },
	{ "slabi", "main.slab", "index", "access main.slab index ", false },
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

/* Adds up the program's "access main.cube index K: N" lines. */
static long total(const char *prog, const char *prefix)
{
	size_t plen = strlen(prefix);
	long sum = 0;

	for (const char *p = prog; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *colon;

		if (!strncmp(p, prefix, plen) && (colon = strstr(p, ": ")))
			sum += atol(colon + 2);
	}
	return sum;
}

static void check_fig(const char *bin, const struct fig *f, const char *prog, const char *out)
{
	size_t plen = strlen(f->prefix);
	int lines = 0;

	/* index == row * 32 + col: every access is true (key 1), none false. */
	if (!strcmp(f->map, "cubeok")) {
		long all = total(prog, "access main.cube index ");

		cr_expect_gt(all, 0, "%s: the program counts no access of main.cube", bin);
		cr_expect_eq(map_value(out, f->map, "1"), all, "%s: @%s[1] = %ld, %ld accesses",
			     bin, f->map, map_value(out, f->map, "1"), all);
		cr_expect_eq(map_entries(out, f->map), 1, "%s: @%s has a false key", bin, f->map);
		return;
	}
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
			     "%s: access:%s @%s[%s] = %ld, the program counts %ld", bin, f->probe,
			     f->map, key, map_value(out, f->map, key), atol(colon + 2));
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

	snprintf(bin, sizeof(bin), "build/go/%s/gond", variant);
	s = open_memstream(&script, &len);
	cr_assert_not_null(s);
	for (size_t i = 0; i < NFIGS; i++) {
		if (stripped && figs[i].needs_names)
			continue;
		fprintf(s, "access:%s:\"%s\" { @%s[%s] = count(); }\n", bin, figs[i].probe,
			figs[i].map, figs[i].key);
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

static void run_version(const char *version)
{
	char list[] = GO_VARIANTS, *save = NULL;
	int ran = 0;

	for (char *v = strtok_r(list, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
		if (strncmp(v, version, strlen(version)) || v[strlen(version)] != '-')
			continue;
		run_variant(v);
		ran++;
	}
	if (!ran)
		cr_skip_test("%s is not among the toolchains built (GO_VERSIONS)", version);
}

#define GOND_TEST(name, version)                               \
	Test(gond, name)                                       \
	{                                                      \
		const char *why = proc_bpf_missing();          \
		if (why)                                       \
			cr_skip_test("%s", why);               \
		run_version(version);                          \
	}

GOND_TEST(go1_19, "go1.19")
GOND_TEST(go1_21, "go1.21")
GOND_TEST(go1_22, "go1.22")
GOND_TEST(go1_23, "go1.23")
