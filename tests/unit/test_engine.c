// SPDX-License-Identifier: MIT
/*
 * The engine's core: parameters, windows, hotness and memory, and the
 * clustering measured against the generator's ground truth with the
 * adjusted Rand index, on stationary streams whose hot ranges are at least
 * one range width apart, in 1-D and 2-D, under fixed, quantile and top-k
 * thresholds.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/lib/streamgen.h"

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The cluster holding (row, col) in a snapshot, 0 if none. */
static unsigned predicted(const struct engine_snapshot *s, int64_t row, int64_t col)
{
	size_t i, n = engine_snapshot__cluster_count(s);
	unsigned dims = engine_snapshot__dims(s);

	for (i = 0; i < n; i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);

		if (dims == 1 && col >= c->lo[0] && col < c->hi[0])
			return (unsigned)c->id;
		if (dims == 2 && row >= c->lo[0] && row < c->hi[0] && col >= c->lo[1] &&
		    col < c->hi[1])
			return (unsigned)c->id;
	}
	return 0;
}

/* ARI over the distinct indices touched by ev[0..n) against the generator's truth. */
static double window_ari(struct engine *e, struct streamgen *g, const struct heat_event *ev,
			 size_t n)
{
	const struct engine_snapshot *s = engine__snapshot_get(e);
	int64_t *k = malloc(n * sizeof(*k));
	unsigned *truth = malloc(n * sizeof(*truth)), *pred = malloc(n * sizeof(*pred));
	size_t i, m = 0;
	double ari;

	cr_assert(s && k && truth && pred);
	for (i = 0; i < n; i++)
		k[i] = ev[i].row << 20 | ev[i].col;
	qsort(k, n, sizeof(*k), cmp_i64);
	for (i = 0; i < n; i++) {
		int64_t row = k[i] >> 20, col = k[i] & 0xfffff;

		if (i && k[i] == k[i - 1])
			continue;
		truth[m] = streamgen__label(g, row, col);
		pred[m] = predicted(s, row, col);
		m++;
	}
	ari = streamgen_ari(truth, pred, m);
	engine_snapshot__put(s);
	free(k);
	free(truth);
	free(pred);
	return ari;
}

/*
 * Runs `windows` count windows of the stream; returns the mean ARI of the
 * windows after `warmup`, and the lowest in *min.
 */
static double run_ari(const struct streamgen_config *c, const struct hotspot_params *p,
		      unsigned windows, unsigned warmup, double *min)
{
	struct streamgen *g = streamgen__new(c);
	struct engine *e = engine__new("@h", c->dims, p);
	size_t w = p->window_events;
	struct heat_event *ev = malloc(w * sizeof(*ev));
	double sum = 0;
	unsigned i;

	cr_assert(g && e && ev);
	*min = 1;
	for (i = 0; i < windows; i++) {
		streamgen__fill(g, ev, w);
		cr_assert_eq(engine__push(e, ev, w), 0);
		if (i >= warmup) {
			double a = window_ari(e, g, ev, w);

			sum += a;
			if (a < *min)
				*min = a;
		}
	}
	engine__free(e);
	streamgen__free(g);
	free(ev);
	return sum / (windows - warmup);
}

/* Four ranges of equal density, gaps of at least one width, 20% background. */
static void stationary_1d(struct streamgen_config *c, uint64_t seed)
{
	static const double lo[4] = { 1000, 3000, 20000, 60000 };
	static const double width[4] = { 64, 100, 128, 200 };
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->dims = 1;
	c->length = 100000;
	c->background = 0.2;
	c->rate = 1e6;
	c->nranges = 4;
	for (i = 0; i < 4; i++) {
		c->range[i].lo = lo[i] + (double)(seed % 7) * 13;
		c->range[i].width = width[i];
		c->range[i].weight = 0.8 * width[i] / 492;
		c->range[i].label = i + 1;
	}
}

Test(engine, params_default_are_valid)
{
	struct hotspot_params p;
	const char *why = "x";

	hotspot_params_default(&p);
	cr_assert_eq(hotspot_params_check(&p, &why), 0);
	cr_assert_null(why);
	cr_assert_eq(p.window_events, 1024);
	cr_assert_float_eq(p.halflife_ns, 500e6, 1);
	cr_assert(p.eps_auto);
	cr_assert_eq(p.eps_k, 5);
	cr_assert_float_eq(p.eps_scale, 1.2, 1e-12);
	cr_assert_eq(p.minpts, 5);
	cr_assert_eq(p.hot_kind, HOT_QUANTILE);
	cr_assert_float_eq(p.hot_quantile, 99.5, 1e-12);
	cr_assert_float_eq(p.hot_band, 0.15, 1e-12);
	cr_assert_float_eq(p.drift_threshold, 0.8, 1e-12);
	cr_assert_eq(p.drift_windows, 3);
}

Test(engine, params_check_rejects_with_a_reason)
{
	struct hotspot_params p;
	const char *why;

	hotspot_params_default(&p);
	p.window_ns = 1000000;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);
	cr_assert_not_null(why);

	hotspot_params_default(&p);
	p.decay = 0.99;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL, "halflife and decay both set");

	hotspot_params_default(&p);
	p.hot_quantile = 100;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.hot_band = 1.5;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.minpts = 0;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.eps_auto = false;
	p.eps = -1;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	cr_assert_eq(hotspot_params_check(NULL, NULL), -EINVAL);
	errno = 0;
	p.minpts = 0;
	cr_assert_null(engine__new("@h", 1, &p));
	cr_assert_eq(errno, EINVAL);
	hotspot_params_default(&p);
	cr_assert_null(engine__new("@h", 3, &p));
	engine__free(NULL);
	engine_snapshot__put(NULL);
}

Test(engine, count_windows_close_as_they_fill)
{
	struct hotspot_params p;
	struct heat_event ev[2500];
	struct engine_stats st;
	const struct engine_snapshot *s;
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 1000;
	e = engine__new("@h", 1, &p);
	cr_assert_not_null(e);
	cr_assert_null(engine__snapshot_get(e), "no snapshot before the first window");
	for (i = 0; i < 2500; i++)
		ev[i] = (struct heat_event){ .ts_ns = 1000 * i, .col = (int64_t)(i % 37) };
	cr_assert_eq(engine__push(e, ev, 2500), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 2);
	cr_assert_eq(engine__add_lost(e, 7), 0);
	cr_assert_eq(engine__flush(e), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 3);
	cr_assert_eq(st.events, 2500);
	cr_assert_eq(st.lost, 7);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__window(s), 3);
	cr_assert_eq(engine_snapshot__events(s), 500);
	cr_assert_eq(engine_snapshot__lost(s), 7);
	engine_snapshot__put(s);
	cr_assert_eq(engine__flush(e), 0, "an empty window is not closed");
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 3);
	engine__free(e);
}

Test(engine, time_windows_follow_timestamps)
{
	struct hotspot_params p;
	struct engine_stats st;
	struct engine *e;
	uint64_t ms = 1000000;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 0;
	p.window_ns = 100 * ms;
	e = engine__new("@h", 1, &p);
	cr_assert_not_null(e);
	/* 10 events a millisecond for 1 s: 10 windows, the last one open */
	for (i = 0; i < 10000; i++) {
		struct heat_event ev = { .ts_ns = 5 * ms + i * ms / 10, .col = (int64_t)(i % 100) };

		cr_assert_eq(engine__push(e, &ev, 1), 0);
	}
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 9);
	/* a long silence: tick closes the open window, empty windows are skipped */
	cr_assert_eq(engine__tick(e, 5 * ms + 100000 * ms), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 10);
	cr_assert_eq(engine__tick(e, 5 * ms + 200000 * ms), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 10);
	engine__free(e);
}

Test(engine, out_of_range_indices_are_counted_not_lost)
{
	struct hotspot_params p;
	struct engine_stats st;
	struct heat_event ev[3] = {
		{ .ts_ns = 1, .col = -1 },
		{ .ts_ns = 2, .col = (int64_t)1 << 33 },
		{ .ts_ns = 3, .col = 5 },
	};
	struct heat_event ev2[2] = {
		{ .ts_ns = 1, .row = 70000, .col = 1 },
		{ .ts_ns = 2, .row = 3, .col = 4 },
	};
	struct engine *e;

	hotspot_params_default(&p);
	e = engine__new("@h", 1, &p);
	cr_assert_eq(engine__push(e, ev, 3), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.dropped, 2);
	cr_assert_eq(st.events, 3);
	cr_assert_eq(st.active, 1);
	engine__free(e);

	e = engine__new("@g", 2, &p);
	cr_assert_eq(engine__push(e, ev2, 2), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.dropped, 1);
	cr_assert_eq(st.active, 1);
	engine__free(e);
}

/* Hotness is a decayed count: one index hit n times in a row with decay d. */
Test(engine, hotness_decays_per_event)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	const struct engine_snapshot *s;
	const struct engine_cluster *c;
	struct engine *e;
	double expect = 0;
	size_t i;

	hotspot_params_default(&p);
	p.halflife_ns = 0;
	p.decay = 0.99;
	p.window_events = 1000;
	p.hot_kind = HOT_TOPK;
	p.hot_topk = 5;
	p.minpts = 5;
	e = engine__new("@h", 1, &p);
	/* indices 10..14 in turn: each one gets a decayed count */
	for (i = 0; i < 1000; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .col = 10 + (int64_t)(i % 5) };
	for (i = 0; i < 1000; i++)
		expect = expect * 0.99 + 1;
	cr_assert_eq(engine__push(e, ev, 1000), 0);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__cluster_count(s), 1);
	c = engine_snapshot__cluster(s, 0);
	cr_assert_eq(c->lo[0], 10);
	cr_assert_eq(c->hi[0], 15);
	cr_assert_eq(c->elements, 5);
	cr_assert_float_eq(c->hotness, expect, expect * 1e-5);
	cr_assert_float_eq(c->share, 1.0, 1e-5);
	cr_assert_float_eq(c->centre[0], 12.0, 0.05);
	engine_snapshot__put(s);
	engine__free(e);
}

/* Memory follows the indices touched, not the array's length. */
Test(engine, memory_follows_active_indices)
{
	struct hotspot_params p;
	struct engine_stats st;
	struct heat_event ev[1024];
	struct engine *e;
	uint64_t peak;
	size_t i, k;

	hotspot_params_default(&p);
	p.halflife_ns = 0;
	p.decay = 0.999;
	e = engine__new("@h", 1, &p);
	/* 20,000 distinct indices spread over 4 billion */
	for (k = 0; k < 20; k++) {
		for (i = 0; i < 1024; i++)
			ev[i] = (struct heat_event){ .ts_ns = k * 1024 + i,
						     .col = (int64_t)((k * 1024 + i) * 200003) };
		cr_assert_eq(engine__push(e, ev, 1024), 0);
	}
	engine__stats(e, &st);
	cr_assert_leq(st.active, 20480);
	cr_assert_geq(st.active, 5000, "recent indices are kept (%lu)", (unsigned long)st.active);
	cr_assert_leq(st.memory, 64 * 1024 + 20 * st.active + 65536,
		      "memory %lu for %lu active", (unsigned long)st.memory,
		      (unsigned long)st.active);
	peak = st.memory;
	/* then 50 windows on 10 indices: the old ones are forgotten */
	for (k = 0; k < 50; k++) {
		for (i = 0; i < 1024; i++)
			ev[i] = (struct heat_event){ .ts_ns = 30000 + k * 1024 + i,
						     .col = (int64_t)(i % 10) };
		cr_assert_eq(engine__push(e, ev, 1024), 0);
	}
	engine__stats(e, &st);
	cr_assert_leq(st.active, 10);
	/* what is left: the 16 KiB hotness histogram and small change */
	cr_assert_lt(st.memory, 32 * 1024, "memory %lu, peak %lu", (unsigned long)st.memory,
		     (unsigned long)peak);
	engine__free(e);
}

Test(engine, ari_stationary_1d_fixed_threshold)
{
	struct streamgen_config c;
	struct hotspot_params p;
	double min, mean;
	uint64_t seed;

	for (seed = 1; seed <= 4; seed++) {
		stationary_1d(&c, seed);
		hotspot_params_default(&p);
		p.window_events = 4096;
		p.halflife_ns = 0;
		p.decay = 0.9999;
		p.hot_kind = HOT_ABOVE;
		p.hot_above = 5;
		mean = run_ari(&c, &p, 50, 10, &min);
		cr_assert_geq(mean, 0.95, "seed %lu: mean ARI %.4f", (unsigned long)seed, mean);
		cr_assert_geq(min, 0.90, "seed %lu: min ARI %.4f", (unsigned long)seed, min);
	}
}

Test(engine, ari_stationary_1d_quantile)
{
	struct streamgen_config c;
	struct hotspot_params p;
	double min, mean;
	uint64_t seed;

	for (seed = 11; seed <= 14; seed++) {
		stationary_1d(&c, seed);
		hotspot_params_default(&p);
		p.window_events = 4096;
		p.halflife_ns = 0;
		p.decay = 0.9999;
		p.hot_quantile = 94;
		mean = run_ari(&c, &p, 50, 10, &min);
		cr_assert_geq(mean, 0.95, "seed %lu: mean ARI %.4f", (unsigned long)seed, mean);
		cr_assert_geq(min, 0.90, "seed %lu: min ARI %.4f", (unsigned long)seed, min);
	}
}

/*
 * The defaults (halflife 500ms, window 1024, p99.5 +- 15%) on a large array
 * where the hot ranges are a small part of what is touched.
 */
Test(engine, ari_stationary_1d_defaults)
{
	struct streamgen_config c;
	struct hotspot_params p;
	double min, mean;
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.seed = 99;
	c.dims = 1;
	c.length = 1000000;
	c.background = 0.5;
	c.rate = 100000;
	c.nranges = 3;
	for (i = 0; i < 3; i++) {
		c.range[i].lo = 100000 + 300000.0 * i;
		c.range[i].width = 100 + 50 * i;
		c.range[i].weight = 0.5 * (100 + 50 * i) / 450;
		c.range[i].label = i + 1;
	}
	hotspot_params_default(&p);
	mean = run_ari(&c, &p, 1200, 1000, &min);
	cr_assert_geq(mean, 0.95, "mean ARI %.4f", mean);
}

Test(engine, ari_stationary_2d)
{
	struct streamgen_config c;
	struct hotspot_params p;
	double min, mean;
	uint64_t seed;

	for (seed = 21; seed <= 23; seed++) {
		memset(&c, 0, sizeof(c));
		c.seed = seed;
		c.dims = 2;
		c.length = 512;
		c.cols = 512;
		c.background = 0.2;
		c.rate = 1e6;
		c.nranges = 3;
		c.range[0] = (struct streamgen_range){ .lo = 20, .width = 16, .lo_col = 30,
						       .width_col = 16, .weight = 0.8 * 256 / 848,
						       .label = 1 };
		c.range[1] = (struct streamgen_range){ .lo = 200, .width = 12, .lo_col = 100,
						       .width_col = 24, .weight = 0.8 * 288 / 848,
						       .label = 2 };
		c.range[2] = (struct streamgen_range){ .lo = 400, .width = 8, .lo_col = 400,
						       .width_col = 38, .weight = 0.8 * 304 / 848,
						       .label = 3 };
		hotspot_params_default(&p);
		p.window_events = 4096;
		p.halflife_ns = 0;
		p.decay = 0.9999;
		p.hot_kind = HOT_ABOVE;
		p.hot_above = 5;
		mean = run_ari(&c, &p, 50, 10, &min);
		cr_assert_geq(mean, 0.95, "seed %lu: mean ARI %.4f", (unsigned long)seed, mean);
	}
}

/* Top-k: exactly the k hottest indices (no ties here). */
Test(engine, topk_takes_the_k_hottest)
{
	struct hotspot_params p;
	struct heat_event ev[2000];
	const struct engine_snapshot *s;
	struct engine *e;
	size_t i, n = 0;

	hotspot_params_default(&p);
	p.window_events = 2000;
	p.hot_kind = HOT_TOPK;
	p.hot_topk = 8;
	e = engine__new("@h", 1, &p);
	/* index i in [100, 120) is hit i - 90 times; background once each */
	for (i = 100; i < 120; i++) {
		size_t k;

		for (k = 0; k < i - 90; k++)
			ev[n++] = (struct heat_event){ .ts_ns = n, .col = (int64_t)i };
	}
	while (n < 2000)
		ev[n] = (struct heat_event){ .ts_ns = n, .col = (int64_t)(10000 + n) }, n++;
	cr_assert_eq(engine__push(e, ev, 2000), 0);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__hot(s), 8);
	cr_assert_eq(engine_snapshot__cluster_count(s), 1);
	cr_assert_eq(engine_snapshot__cluster(s, 0)->lo[0], 112);
	cr_assert_eq(engine_snapshot__cluster(s, 0)->hi[0], 120);
	engine_snapshot__put(s);
	engine__free(e);
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x > y ? -1 : x < y;
}

/*
 * The threshold machinery (histogram, candidates kept between windows,
 * watermark raises and rebuilds) against brute force: an exact shadow of
 * every index's hotness. Each window the engine's threshold must lie
 * between the shadow's values one rank either side of the quantile's (or
 * the k-th) rank. Intensities shift so the threshold moves both ways.
 */
static void check_threshold(enum hot_kind kind)
{
	enum { LEN = 20000, W = 1024 };
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct engine *e;
	struct heat_event ev[W];
	static double h[LEN], sorted[LEN];
	static uint64_t last[LEN];
	uint64_t n = 0;
	unsigned w, i;

	memset(&c, 0, sizeof(c));
	c.seed = 31;
	c.dims = 1;
	c.length = LEN;
	c.background = 0.4;
	c.rate = 1e6;
	c.nranges = 3;
	c.range[0] = (struct streamgen_range){ .lo = 1000, .width = 300, .weight = 0.3,
					       .weight_alt = 0.05, .weight_period = 7 * W, .label = 1 };
	c.range[1] = (struct streamgen_range){ .lo = 9000, .width = 50, .weight = 0.2,
					       .weight_alt = 0.6, .weight_period = 11 * W, .label = 2 };
	c.range[2] = (struct streamgen_range){ .lo = 15000, .width = 1000, .weight = 0.3,
					       .on = 30 * W, .off = 60 * W, .label = 3 };
	hotspot_params_default(&p);
	p.window_events = W;
	p.halflife_ns = 0;
	p.decay = 0.998;
	p.hot_kind = kind;
	p.hot_quantile = 97;
	p.hot_topk = 40;
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	memset(h, 0, sizeof(h));
	for (w = 0; w < 120; w++) {
		const struct engine_snapshot *s;
		double t, lo, hi, floor_ = p.evict_below;
		size_t m = 0, rd;

		streamgen__fill(g, ev, W);
		for (i = 0; i < W; i++) {
			size_t x = (size_t)ev[i].col;

			h[x] = h[x] * pow(0.998, (double)(n - last[x])) + 1;
			last[x] = n++;
		}
		cr_assert_eq(engine__push(e, ev, W), 0);
		for (i = 0; i < LEN; i++) {
			double v = h[i] * pow(0.998, (double)(n - 1 - last[i]));

			if (v >= floor_)
				sorted[m++] = v;
		}
		qsort(sorted, m, sizeof(*sorted), cmp_desc);
		if (kind == HOT_TOPK)
			rd = p.hot_topk;
		else
			rd = m - (size_t)ceil(p.hot_quantile / 100 * (double)m) + 1;
		lo = sorted[rd + 1 < m ? rd + 1 : m - 1] * (1 - 1e-4);
		hi = sorted[rd >= 2 ? rd - 2 : 0] * (1 + 1e-4);
		s = engine__snapshot_get(e);
		t = engine_snapshot__threshold(s);
		cr_assert(t >= lo && t <= hi, "window %u: threshold %.6f, brute force %.6f..%.6f",
			  w + 1, t, lo, hi);
		/* everything at or above T is hot; nothing below the band is */
		{
			size_t above = 0, band = 0, k;
			double t_lo = kind == HOT_TOPK ? t : t * (1 - p.hot_band);

			for (k = 0; k < m; k++) {
				above += sorted[k] >= t * (1 + 1e-4);
				band += sorted[k] >= t_lo * (1 - 1e-4);
			}
			cr_assert(engine_snapshot__hot(s) >= above && engine_snapshot__hot(s) <= band,
				  "window %u: %lu hot, brute force %zu..%zu", w + 1,
				  (unsigned long)engine_snapshot__hot(s), above, band);
		}
		engine_snapshot__put(s);
	}
	engine__free(e);
	streamgen__free(g);
}

Test(engine, quantile_threshold_matches_brute_force)
{
	check_threshold(HOT_QUANTILE);
}

Test(engine, topk_threshold_matches_brute_force)
{
	check_threshold(HOT_TOPK);
}

struct dw {
	double d, w;
};

static int cmp_dw(const void *a, const void *b)
{
	double x = ((const struct dw *)a)->d, y = ((const struct dw *)b)->d;

	return x < y ? -1 : x > y;
}

/*
 * eps = auto(k = 5, scale = 1.2) against brute force: with no decay
 * (decay 1) and hot = > 2.5 with no band, the hot set is exactly the
 * indices hit three times or more, each weighing its hits; every hot
 * point's distance to its k-th nearest hot neighbour comes from all pairs,
 * and the weighted median from a full sort. Some rounds are sparse enough
 * that the median lies far out (hundreds of indices), where the engine
 * selects rather than tabulates; 2-D rounds stay dense, every point hot
 * and each group's k nearest within it (the k-NN search there looks 16
 * cells out, no farther).
 */
Test(engine, auto_eps_matches_brute_force)
{
	enum { MAXP = 600, MAXE = 4000 };
	static struct heat_event ev[MAXE];
	static int64_t row[MAXP], col[MAXP];
	static unsigned hits[MAXP];
	static struct dw kd[MAXP], dist[MAXP];
	uint64_t seed = 12345;
	unsigned round;

	for (round = 0; round < 24; round++) {
		unsigned dims = round % 3 == 2 ? 2 : 1;
		unsigned spread = dims == 2 ? 1 + round % 2 : 1 + round % 4 * (round % 3 ? 150 : 2);
		struct hotspot_params p;
		const struct engine_snapshot *s;
		struct engine *e;
		size_t np = 0, ne = 0, nh = 0, i, j, k;
		double total = 0, cum = 0, want = 0;

		/* a few groups of points; in each, gaps of 1..spread */
		while (np < MAXP - 50) {
			int64_t r = 0, c = 0;
			size_t g, len;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			len = (dims == 2 ? 8 : 5) + (seed >> 33) % 40;
			if (dims == 1) {
				c = (int64_t)((seed >> 20) % 1000) * 10000;
			} else {
				r = (int64_t)((seed >> 20) % 200) * 100;
				c = (int64_t)((seed >> 40) % 200) * 100;
			}
			for (g = 0; g < len && np < MAXP - 50; g++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				if (dims == 1) {
					c += 1 + (int64_t)((seed >> 33) % spread);
				} else {
					r += (int64_t)((seed >> 33) % 3);
					c += 1 + (int64_t)((seed >> 40) % spread);
				}
				row[np] = r;
				col[np] = c;
				/* 2-D: every point hot, so a group holds its own k-NN */
				hits[np] = (dims == 2 ? 3 : 1) + (unsigned)((seed >> 50) % 4);
				for (k = 0; k < np; k++)
					if (row[k] == r && col[k] == c)
						break;
				if (k == np)
					np++;
			}
		}
		for (i = 0; i < np; i++)
			for (k = 0; k < hits[i]; k++)
				ev[ne++] = (struct heat_event){ .ts_ns = ne, .row = row[i],
								.col = col[i] };
		hotspot_params_default(&p);
		p.window_events = ne;
		p.halflife_ns = 0;
		p.decay = 1;
		p.hot_kind = HOT_ABOVE;
		p.hot_above = 2.5;
		p.hot_band = 0;
		e = engine__new("@h", dims, &p);
		cr_assert(e);
		cr_assert_eq(engine__push(e, ev, ne), 0);

		for (i = 0; i < np; i++) {
			size_t m = 0;

			if (hits[i] < 3)
				continue;
			for (j = 0; j < np; j++) {
				double dr = (double)(row[i] - row[j]), dc = (double)(col[i] - col[j]);

				if (j != i && hits[j] >= 3)
					dist[m++].d = sqrt(dr * dr + dc * dc);
			}
			qsort(dist, m, sizeof(*dist), cmp_dw);
			kd[nh].d = dist[(m < p.eps_k ? m : p.eps_k) - 1].d;
			kd[nh].w = hits[i];
			total += hits[i];
			nh++;
		}
		cr_assert_gt(nh, 10);
		qsort(kd, nh, sizeof(*kd), cmp_dw);
		for (i = 0; i < nh; i++) {
			cum += kd[i].w;
			if (cum >= total / 2) {
				want = p.eps_scale * kd[i].d;
				break;
			}
		}
		s = engine__snapshot_get(e);
		cr_assert_eq(engine_snapshot__hot(s), nh, "round %u", round);
		cr_assert_eq(engine_snapshot__eps(s), want, "round %u (%u-D): eps %.6f, brute force %.6f",
			     round, dims, engine_snapshot__eps(s), want);
		engine_snapshot__put(s);
		engine__free(e);
	}
}

/*
 * An index hot in one window through the band only, evicted early in the
 * next (a high floor: evict_below 0.99) and back with a single access at
 * its end, is hot again: it was hot last window and is above the band's
 * floor. Its one access, on an index the table had forgotten, is below
 * the candidates' watermark; the engine must still see it. Decay per
 * event, so the numbers are known: K ends window 1 at 8.65 (nine accesses,
 * decayed; hot, >= 8), window 2 at 8.65 * 0.99^150 = 1.91 (hot by the band,
 * >= 0.8), falls below 0.99 some 65 events into window 3 and comes back at
 * 1.0 with its last event.
 */
Test(engine, hot_index_evicted_and_back_within_a_window)
{
	enum { W = 150, K = 7 };
	struct hotspot_params p;
	struct heat_event ev[3 * W];
	struct engine *e;
	unsigned long hot[3];
	size_t i, n = 0, w;

	hotspot_params_default(&p);
	p.window_events = W;
	p.halflife_ns = 0;
	p.decay = 0.99;
	p.hot_kind = HOT_ABOVE;
	p.hot_above = 8;
	p.hot_band = 0.9;
	p.evict_below = 0.99;
	for (i = 0; i < 3 * W; i++) {
		int64_t col = 1000 + (int64_t)i;	/* each once: forgotten at once */

		if ((i >= W - 9 && i < W) || i == 3 * W - 1)
			col = K;
		ev[n++] = (struct heat_event){ .ts_ns = i, .col = col };
	}
	e = engine__new("@h", 1, &p);
	cr_assert(e);
	for (w = 0; w < 3; w++) {
		const struct engine_snapshot *s;

		cr_assert_eq(engine__push(e, ev + w * W, W), 0);
		s = engine__snapshot_get(e);
		hot[w] = (unsigned long)engine_snapshot__hot(s);
		engine_snapshot__put(s);
	}
	cr_assert_eq(hot[0], 1);
	cr_assert_eq(hot[1], 1, "window 2: K hot by the band");
	cr_assert_eq(hot[2], 1, "window 3: K back, and hot again");
	engine__free(e);
}
