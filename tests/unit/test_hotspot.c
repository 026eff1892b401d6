// SPDX-License-Identifier: MIT
/*
 * heat() and hotspot blocks: a block sets the engine's parameters exactly
 * as written, unwritten ones keep their defaults, and every mistake has its
 * own message at its own place.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "tests/lib/script.h"

Test(hotspot, a_block_sets_the_engine_parameters)
{
	char *diags;
	struct plan *plan = test_compile(
		"BEGIN { @h = heat(3); @g = heat(1, 2); @n = count(); }\n"
		"hotspot @h { window = 2s; halflife = 250ms; eps = auto;"
		" minpts = 4; hot = p99 +- 10%; drift = 1.5 for 4 windows; }\n"
		"hotspot @g { window = 512; decay = 0.98; eps = 3; hot = top(12); drift = 2; }\n"
		"hotspot @n2 { halflife = 4096; hot = auto(contrast = 3); share = 0.05; persist = 3; }\n"
		"END { @n2 = heat(5); }",
		&diags);
	const struct plan_map *h, *g, *n2;
	struct hotspot_params dflt;

	cr_assert_not_null(plan, "%s", diags);
	h = plan__find_map(plan, "@h");
	g = plan__find_map(plan, "@g");
	cr_assert(h && g);
	cr_expect_eq(h->agg, AGG_HEAT);
	cr_expect_eq(h->dims, 1);
	cr_expect_eq(g->dims, 2);
	cr_expect_eq(h->hot.window_ns, 2000000000ull);
	cr_expect_eq(h->hot.window_events, 0);
	cr_expect(fabs(h->hot.halflife_ns - 250e6) < 1);
	cr_expect_eq(h->hot.decay, 0);
	cr_expect(h->hot.eps_auto);
	cr_expect_eq(h->hot.minpts, 4);
	cr_expect_eq(h->hot.hot_kind, HOT_QUANTILE);
	cr_expect(fabs(h->hot.hot_quantile - 99) < 1e-9);
	cr_expect(fabs(h->hot.hot_band - 0.10) < 1e-9);
	cr_expect(fabs(h->hot.drift_threshold - 1.5) < 1e-9);
	cr_expect_eq(h->hot.drift_windows, 4);

	hotspot_params_default(&dflt);
	cr_expect_eq(g->hot.window_events, 512);
	cr_expect_eq(g->hot.window_ns, 0);
	cr_expect(fabs(g->hot.decay - 0.98) < 1e-9);
	cr_expect_eq(g->hot.halflife_ns, 0);
	cr_expect(!g->hot.eps_auto);
	cr_expect(fabs(g->hot.eps - 3) < 1e-9);
	cr_expect_eq(g->hot.hot_kind, HOT_TOPK);
	cr_expect_eq(g->hot.hot_topk, 12);
	cr_expect(fabs(g->hot.drift_threshold - 2) < 1e-9);
	cr_expect_eq(g->hot.drift_windows, dflt.drift_windows, "unwritten: default");
	cr_expect_eq(g->hot.minpts, dflt.minpts, "unwritten: default");
	n2 = plan__find_map(plan, "@n2");
	cr_assert(n2);
	cr_expect(fabs(n2->hot.halflife_events - 4096) < 1e-9);
	cr_expect_eq(n2->hot.halflife_ns, 0);
	cr_expect_eq(n2->hot.hot_kind, HOT_AUTO);
	cr_expect(fabs(n2->hot.contrast - 3) < 1e-9);
	cr_expect(fabs(n2->hot.min_share - 0.05) < 1e-9);
	cr_expect_eq(n2->hot.persist, 3);
	cr_expect_eq(n2->extent[0], 0, "heat(5): no array, no extent");
	/* Dropped heat records are counted per map. */
	cr_expect_str_eq(plan->lost_map, "lost");
	plan__free(plan);
	free(diags);
}

Test(hotspot, a_heat_map_without_a_block_gets_the_defaults)
{
	char *diags;
	struct plan *plan = test_compile("BEGIN { @h = heat(1); }", &diags);
	struct hotspot_params dflt;

	cr_assert_not_null(plan, "%s", diags);
	hotspot_params_default(&dflt);
	cr_expect_eq(memcmp(&plan->maps[0].hot, &dflt, sizeof(dflt)), 0);
	plan__free(plan);
	free(diags);
}

struct bad {
	const char *script;
	const char *diag;
};

static const struct bad bad[] = {
	{ "hotspot @h { window = 0.5; } BEGIN { @h = heat(1); }",
	  "t.hot:1:23: error: window takes a number of events or a duration\n"
	  "hotspot @h { window = 0.5; } BEGIN { @h = heat(1); }\n"
	  "                      ^~~\n"
	  "hint: window = 1024; or window = 2s;\n" },
	{ "hotspot @h { windw = 5; } BEGIN { @h = heat(1); }",
	  "t.hot:1:14: error: unknown hotspot setting 'windw'\n"
	  "hotspot @h { windw = 5; } BEGIN { @h = heat(1); }\n"
	  "             ^~~~~\n"
	  "hint: did you mean 'window'?\n" },
	{ "hotspot @x { window = 5; } BEGIN { @h = heat(1); }",
	  "t.hot:1:9: error: hotspot @x: no heat map of that name\n"
	  "hotspot @x { window = 5; } BEGIN { @h = heat(1); }\n"
	  "        ^~\n"
	  "hint: feed it in a probe: @x = heat(index);\n" },
	{ "hotspot @h { hot = top(0); } BEGIN { @h = heat(1); }",
	  "t.hot:1:20: error: hot takes auto, auto(contrast = C), a quantile, top(N) or > N\n"
	  "hotspot @h { hot = top(0); } BEGIN { @h = heat(1); }\n"
	  "                   ^~~\n"
	  "hint: hot = auto; or hot = p99.5 +- 15%;\n" },
	{ "hotspot @h { hot = auto(contrast = 0.5); } BEGIN { @h = heat(1); }",
	  "t.hot:1:25: error: auto() takes contrast = C, with C >= 1\n"
	  "hotspot @h { hot = auto(contrast = 0.5); } BEGIN { @h = heat(1); }\n"
	  "                        ^~~~~~~~\n"
	  "hint: hot = auto(contrast = 2);\n" },
	{ "hotspot @h { share = 2; } BEGIN { @h = heat(1); }",
	  "t.hot:1:22: error: share takes the least share of accesses a cluster holds, in [0, 1)\n"
	  "hotspot @h { share = 2; } BEGIN { @h = heat(1); }\n"
	  "                     ^\n"
	  "hint: share = 0.01;\n" },
	{ "hotspot @h { persist = 0; } BEGIN { @h = heat(1); }",
	  "t.hot:1:24: error: persist takes a number of windows, 1 to 1000\n"
	  "hotspot @h { persist = 0; } BEGIN { @h = heat(1); }\n"
	  "                       ^\n"
	  "hint: persist = 2;\n" },
	{ "BEGIN { @h[1] = heat(1); }",
	  "t.hot:1:9: error: heat map @h takes no keys: each heat map has one engine\n"
	  "BEGIN { @h[1] = heat(1); }\n"
	  "        ^~~~~\n"
	  "hint: use one map per array: @h1 = heat(index); @h2 = heat(index);\n" },
	{ "BEGIN { @h = heat(); }",
	  "t.hot:1:14: error: heat() takes an index, or a row and a column\n"
	  "BEGIN { @h = heat(); }\n"
	  "             ^~~~\n"
	  "hint: @h = heat(index); or @h = heat(row, col);\n" },
	{ "BEGIN { @h = heat(1); @h = count(); }",
	  "t.hot:1:28: error: map @h is given count() here but heat() before\n"
	  "BEGIN { @h = heat(1); @h = count(); }\n"
	  "                           ^~~~~\n"
	  "t.hot:1:9: note: first use of @h\n"
	  "BEGIN { @h = heat(1); @h = count(); }\n"
	  "        ^~\n" },
	{ "hotspot @h { drift = 0.8 after 3 windows; }",
	  "t.hot:1:26: error: expected 'for N windows'\n"
	  "hotspot @h { drift = 0.8 after 3 windows; }\n"
	  "                         ^~~~~\n" },
	{ "hotspot @h { eps = auto(k = 3); } BEGIN { @h = heat(1, 2); }",
	  "t.hot:1:20: error: eps takes auto or a number of indices\n"
	  "hotspot @h { eps = auto(k = 3); } BEGIN { @h = heat(1, 2); }\n"
	  "                   ^~~~\n"
	  "hint: eps = auto; or eps = 4;\n" },
	{ "hotspot @h { decay = 1.5; } BEGIN { @h = heat(1); }",
	  "t.hot:1:22: error: decay takes a factor per event in (0, 1]\n"
	  "hotspot @h { decay = 1.5; } BEGIN { @h = heat(1); }\n"
	  "                     ^~~\n"
	  "hint: decay = 0.99;\n" },
	{ "hotspot @h { hot = p150; } BEGIN { @h = heat(1); }",
	  "t.hot:1:9: error: hotspot @h: hot = pN needs 0 < N < 100\n"
	  "hotspot @h { hot = p150; } BEGIN { @h = heat(1); }\n"
	  "        ^~\n" },
	{ "hotspot @h { window = 5; } hotspot @h { minpts = 3; } BEGIN { @h = heat(1); }",
	  "t.hot:1:36: error: a second hotspot block for @h\n"
	  "hotspot @h { window = 5; } hotspot @h { minpts = 3; } BEGIN { @h = heat(1); }\n"
	  "                                   ^~\n" },
};

Test(hotspot, mistakes_have_exact_messages)
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
