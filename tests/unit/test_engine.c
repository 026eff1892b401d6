// SPDX-License-Identifier: MIT
/*
 * The engine's core: parameters, windows and their times, hotness against
 * an exact decayed count, memory; and what the defaults find, measured
 * against the generator's truth on patterns drawn at random (array sizes
 * from 256 to 1M, background 0 to 50%, one to three ranges of random
 * widths and shares), so that nothing here is a pattern the defaults were
 * tuned on: spans with IoU >= 0.95 and shares within 0.02, uniform access
 * and sequential sweeps never hot, a hashed table's hot buckets scattered.
 * The explicit thresholds (top(k), > N, pN) are checked too.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/lib/streamgen.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rng() >> 11) * 0x1p-53;
}

Test(engine, params_default_are_valid)
{
	struct hotspot_params p;
	const char *why = "x";

	hotspot_params_default(&p);
	cr_assert_eq(hotspot_params_check(&p, &why), 0);
	cr_assert_null(why);
	cr_assert_eq(p.window_events, 1024);
	cr_assert_eq(p.halflife_events, 0, "decay follows the window");
	cr_assert_eq(p.halflife_ns, 0);
	cr_assert_eq(p.decay, 0);
	cr_assert_eq(p.hot_kind, HOT_AUTO);
	cr_assert_float_eq(p.contrast, 2, 1e-12);
	cr_assert_float_eq(p.min_share, 0.01, 1e-12);
	cr_assert_float_eq(p.alpha, 0.001, 1e-12);
	cr_assert_float_eq(p.fade, 0.25, 1e-12);
	cr_assert_eq(p.persist, 2);
	cr_assert_float_eq(p.hot_band, 0.15, 1e-12);
	cr_assert_float_eq(p.evict_below, 1.0 / 131072, 1e-15);
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
	p.halflife_ns = 1e6;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL, "halflife and decay both set");

	hotspot_params_default(&p);
	p.hot_kind = HOT_QUANTILE;
	p.hot_quantile = 100;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.contrast = 0.5;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.min_share = 1;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.persist = 0;
	cr_assert_eq(hotspot_params_check(&p, &why), -EINVAL);

	hotspot_params_default(&p);
	p.hot_band = 1.5;
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
	/* times count from the first event: the window's first and last */
	cr_assert_eq(engine_snapshot__start_ns(s), 2000000);
	cr_assert_eq(engine_snapshot__end_ns(s), 2499000);
	cr_assert_eq(engine_snapshot__origin_wall(s), 0);
	engine_snapshot__put(s);
	cr_assert_eq(engine__flush(e), 0, "an empty window is not closed");
	engine__stats(e, &st);
	cr_assert_eq(st.windows, 3);
	engine__free(e);
}

Test(engine, window_times_count_from_the_origin)
{
	struct hotspot_params p;
	struct heat_event ev[100];
	const struct engine_snapshot *s;
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 50;
	e = engine__new("@h", 1, &p);
	engine__set_origin(e, 1000000000, 1700000000000000000ull);
	for (i = 0; i < 100; i++)
		ev[i] = (struct heat_event){ .ts_ns = 1500000000 + 10 * i, .col = 5 };
	cr_assert_eq(engine__push(e, ev, 100), 0);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__start_ns(s), 500000500);
	cr_assert_eq(engine_snapshot__end_ns(s), 500000990);
	cr_assert_eq(engine_snapshot__origin_wall(s), 1700000000000000000ull);
	engine_snapshot__put(s);
	engine__free(e);
}

Test(engine, time_windows_follow_timestamps)
{
	struct hotspot_params p;
	struct engine_stats st;
	const struct engine_snapshot *s;
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
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__start_ns(s), 800 * ms, "windows are aligned to the first event");
	cr_assert_eq(engine_snapshot__end_ns(s), 900 * ms);
	engine_snapshot__put(s);
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
	cr_assert_eq(engine__flush(e), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.dropped, 2);
	cr_assert_eq(st.events, 3);
	cr_assert_eq(st.active, 1);
	cr_assert_float_eq(engine__hotness(e, 0, 5), 1, 1e-6);
	cr_assert_eq(engine__hotness(e, 0, -1), 0);
	engine__free(e);

	e = engine__new("@g", 2, &p);
	cr_assert_eq(engine__push(e, ev2, 2), 0);
	cr_assert_eq(engine__flush(e), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.dropped, 1);
	cr_assert_eq(st.active, 1);
	cr_assert_float_eq(engine__hotness(e, 3, 4), 1, 1e-6);
	engine__free(e);
}

/*
 * Hotness against an exact shadow: every index's decayed count, kept the
 * slow way. An index the engine forgot must be below the floor, evict_below
 * of the total or 1/64 of an access (twice that, for one forgotten before
 * and back since); every other
 * must match to float precision, but for what it had when it was last
 * forgotten (less than evict_below of the total then). Per-event decay (the
 * default, and an explicit factor) and wall-clock decay; long enough for
 * the boost to be renormalised several times.
 */
static void check_hotness(const struct hotspot_params *p, double (*weight)(uint64_t n, uint64_t ts,
									   uint64_t ts0))
{
	enum { LEN = 5000, W = 1024, WINDOWS = 150 };
	static double h[LEN];
	static uint64_t last_n[LEN], last_ts[LEN];
	static bool seen[LEN];
	struct engine *e = engine__new("@h", 1, p);
	uint64_t n = 0, ts = 0;
	unsigned w;

	memset(h, 0, sizeof(h));
	memset(seen, 0, sizeof(seen));
	rng_state = 77;
	cr_assert(e);
	for (w = 0; w < WINDOWS; w++) {
		struct heat_event ev[W];
		double total = 0, floor_;
		size_t i;

		for (i = 0; i < W; i++) {
			size_t x = unif() < 0.5 ? 100 + rng() % 50 : rng() % LEN;

			ts += 1 + rng() % 2000;
			ev[i] = (struct heat_event){ .ts_ns = ts, .col = (int64_t)x };
			h[x] = (seen[x] ? h[x] * weight(n - last_n[x], ts, last_ts[x]) : 0) + 1;
			seen[x] = true;
			last_n[x] = n++;
			last_ts[x] = ts;
		}
		cr_assert_eq(engine__push(e, ev, W), 0);
		for (i = 0; i < LEN; i++)
			if (seen[i])
				total += h[i] * weight(n - 1 - last_n[i], ts, last_ts[i]);
		floor_ = fmin(p->evict_below * total, 1.0 / 64);
		for (i = 0; i < LEN; i++) {
			double want = seen[i] ? h[i] * weight(n - 1 - last_n[i], ts, last_ts[i]) : 0;
			double got = engine__hotness(e, 0, (int64_t)i);

			/* what it lost when forgotten before decays: at most another floor */
			if (got == 0)
				cr_assert_leq(want, 2 * floor_,
					      "window %u index %zu: forgotten at %.6g", w, i, want);
			else
				cr_assert(got <= want * (1 + 2e-5) &&
					  got >= want * (1 - 2e-5) - floor_ * 1.001,
					  "window %u index %zu: %.9g, exact %.9g", w, i, got, want);
		}
	}
	engine__free(e);
}

static double per_window(uint64_t dn, uint64_t ts, uint64_t ts0)
{
	return exp2(-(double)dn / 1024);
}

static double per_event_0995(uint64_t dn, uint64_t ts, uint64_t ts0)
{
	return pow(0.995, (double)dn);
}

static double per_ms(uint64_t dn, uint64_t ts, uint64_t ts0)
{
	return exp2(-(double)(ts - ts0) / 1e6);
}

Test(engine, hotness_is_an_exact_decayed_count)
{
	struct hotspot_params p;

	hotspot_params_default(&p);
	check_hotness(&p, per_window);
	p.decay = 0.995;
	check_hotness(&p, per_event_0995);
	p.decay = 0;
	p.halflife_ns = 1e6;
	check_hotness(&p, per_ms);
}

/* Memory follows the indices touched recently, not the array's length. */
Test(engine, memory_follows_active_indices)
{
	struct hotspot_params p;
	struct engine_stats st;
	struct heat_event ev[1024];
	struct engine *e;
	uint64_t peak;
	size_t i, k;

	hotspot_params_default(&p);
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
	cr_assert_leq(st.memory, 16 * st.active + 96 * 1024,
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
	cr_assert_lt(st.memory, peak / 2, "memory %lu, peak %lu", (unsigned long)st.memory,
		     (unsigned long)peak);
	engine__free(e);
}

/* ---- what the defaults find ---- */

struct range {
	int64_t lo, w;
	double p;
};

struct truth {
	uint64_t length;
	double noise;
	struct range r[96];
	unsigned n;
};

struct tally {
	const struct truth *t;
	uint64_t windows, scored;
	double iou, err;
	size_t events, clusters, scattered;
	unsigned char *a, *b;
};

/* The share the truth puts in [lo, hi). */
static double true_share(const struct truth *t, int64_t lo, int64_t hi)
{
	double s = t->noise * (double)(hi - lo) / (double)t->length;
	unsigned i;

	for (i = 0; i < t->n; i++) {
		int64_t a = lo > t->r[i].lo ? lo : t->r[i].lo;
		int64_t b = hi < t->r[i].lo + t->r[i].w ? hi : t->r[i].lo + t->r[i].w;

		if (b > a)
			s += t->r[i].p * (double)(b - a) / (double)t->r[i].w;
	}
	return s;
}

/* Second half of the run: IoU of the spans against the ranges, share errors. */
static void on_score(void *ctx, const struct engine_snapshot *s)
{
	struct tally *y = ctx;
	const struct truth *t = y->t;
	size_t i, n = engine_snapshot__cluster_count(s);
	uint64_t in = 0, un = 0, x;
	unsigned k;

	y->windows++;
	y->events += engine_snapshot__event_count(s);
	y->clusters += n;
	y->scattered += engine_snapshot__scattered(s)->count;
	if (engine_snapshot__window(s) <= 20)
		return;
	memset(y->a, 0, t->length);
	memset(y->b, 0, t->length);
	for (k = 0; k < t->n; k++)
		memset(y->a + t->r[k].lo, 1, (size_t)t->r[k].w);
	for (i = 0; i < n; i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);

		memset(y->b + c->lo[0], 1, (size_t)(c->hi[0] - c->lo[0]));
	}
	for (x = 0; x < t->length; x++) {
		in += y->a[x] & y->b[x];
		un += y->a[x] | y->b[x];
	}
	y->iou += un ? (double)in / (double)un : 1;
	for (k = 0; k < t->n; k++) {
		const struct engine_cluster *best = NULL;
		int64_t most = 0;

		for (i = 0; i < n; i++) {
			const struct engine_cluster *c = engine_snapshot__cluster(s, i);
			int64_t a = c->lo[0] > t->r[k].lo ? c->lo[0] : t->r[k].lo;
			int64_t b = c->hi[0] < t->r[k].lo + t->r[k].w ? c->hi[0] :
								       t->r[k].lo + t->r[k].w;

			if (b - a > most) {
				most = b - a;
				best = c;
			}
		}
		y->err += best ? fabs(best->share - true_share(t, best->lo[0], best->hi[0])) :
				 t->r[k].p;
	}
	y->scored++;
}

/* 40 windows of the truth's stream through an engine with the defaults. */
static void run_truth(const struct truth *t, bool known, struct tally *y)
{
	struct hotspot_params p;
	struct heat_event ev[1024];
	struct engine *e;
	unsigned w, i;

	memset(y, 0, sizeof(*y));
	y->t = t;
	y->a = malloc(t->length);
	y->b = malloc(t->length);
	hotspot_params_default(&p);
	e = engine__new("@h", 1, &p);
	cr_assert(e && y->a && y->b);
	if (known)
		engine__set_extent(e, 1, t->length);
	engine__set_window_cb(e, on_score, y);
	for (w = 0; w < 40; w++) {
		for (i = 0; i < 1024; i++) {
			double u = unif();
			unsigned k = 0;

			ev[i].ts_ns = (uint64_t)(w * 1024 + i) * 1000;
			ev[i].row = 0;
			ev[i].site = ev[i].pad = 0;
			if (u < t->noise) {
				ev[i].col = (int64_t)(rng() % t->length);
				continue;
			}
			u -= t->noise;
			while (k + 1 < t->n && u >= t->r[k].p)
				u -= t->r[k++].p;
			ev[i].col = t->r[k].lo + (int64_t)(rng() % (uint64_t)t->r[k].w);
		}
		cr_assert_eq(engine__push(e, ev, 1024), 0);
	}
	engine__free(e);
	free(y->a);
	free(y->b);
	y->iou /= (double)y->scored;
	y->err /= (double)(y->scored * t->n);
}

/*
 * A random pattern: an array of 256 to 1M, background 0 to 50%, one to
 * three ranges of widths from 4 to an eighth of the array (log-uniform),
 * sharing the rest equally, each at least three times as dense as uniform
 * access and apart from the others by the wider one's width.
 */
static void random_truth(struct truth *t)
{
	static const uint64_t len[] = { 256, 1024, 4096, 65536, 1000000 };
	static const double noise[] = { 0, 0.05, 0.1, 0.3, 0.5 };

	for (;;) {
		bool ok = true;
		unsigned i, j;

		t->length = len[rng() % 5];
		t->noise = noise[rng() % 5];
		t->n = 1 + (unsigned)(rng() % 3);
		for (i = 0; i < t->n; i++) {
			t->r[i].w = (int64_t)exp(unif() * log((double)t->length / 8));
			if (t->r[i].w < 4)
				t->r[i].w = 4;
			t->r[i].p = (1 - t->noise) / t->n;
			t->r[i].lo = (int64_t)(rng() % (t->length - (uint64_t)t->r[i].w));
			ok &= t->r[i].p >= 3 * (double)t->r[i].w / (double)t->length;
		}
		for (i = 0; i < t->n; i++)
			for (j = 0; j < i; j++) {
				int64_t gap = t->r[i].lo > t->r[j].lo ?
					      t->r[i].lo - t->r[j].lo - t->r[j].w :
					      t->r[j].lo - t->r[i].lo - t->r[i].w;

				ok &= gap >= (t->r[i].w > t->r[j].w ? t->r[i].w : t->r[j].w);
			}
		if (ok)
			return;
	}
}

Test(engine, defaults_find_random_ranges, .timeout = 120)
{
	unsigned trial;

	rng_state = 20261207;
	for (trial = 0; trial < 40; trial++) {
		struct truth t;
		struct tally y;

		random_truth(&t);
		run_truth(&t, true, &y);
		cr_expect_geq(y.iou, 0.95, "trial %u: length %lu, noise %.2f, %u ranges (first [%ld, +%ld)):"
			      " IoU %.3f", trial, (unsigned long)t.length, t.noise, t.n,
			      (long)t.r[0].lo, (long)t.r[0].w, y.iou);
		cr_expect_leq(y.err, 0.02, "trial %u: share error %.4f", trial, y.err);
		cr_expect_eq(y.events, t.n, "trial %u: %zu events for %u ranges", trial, y.events, t.n);
	}
}

/* The truth of each window, for a pattern that changes between windows. */
struct moving {
	struct truth t[64];
	unsigned w;
	double err;
	unsigned scored;
};

/* Each window's span over its range against the share of that window's truth. */
static void on_moving(void *ctx, const struct engine_snapshot *s)
{
	struct moving *m = ctx;
	const struct truth *t = &m->t[m->w++];
	const struct engine_cluster *best = NULL;
	int64_t most = 0;
	size_t i;

	if (m->w == 1)
		return;
	for (i = 0; i < engine_snapshot__cluster_count(s); i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);
		int64_t a = c->lo[0] > t->r[0].lo ? c->lo[0] : t->r[0].lo;
		int64_t b = c->hi[0] < t->r[0].lo + t->r[0].w ? c->hi[0] : t->r[0].lo + t->r[0].w;

		if (b - a > most) {
			most = b - a;
			best = c;
		}
	}
	m->err += best ? fabs(best->share - true_share(t, best->lo[0], best->hi[0])) : t->r[0].p;
	m->scored++;
}

/*
 * A span's share is the share of the accesses in it, also just after its
 * range moved: a range of random width and share jumps to a random place
 * every three windows (or alternates between two bursts' places within
 * each window: accesses in runs of a quarter window), and the share of
 * the span over it is within 0.02 of the truth of that window on average,
 * not lowered by the old place's decaying hotness (nor raised by the last
 * burst's).
 */
Test(engine, a_moved_range_has_its_share_at_once, .timeout = 120)
{
	unsigned trial;

	rng_state = 777;
	for (trial = 0; trial < 16; trial++) {
		struct moving m = { .w = 0 };
		struct hotspot_params p;
		struct heat_event ev[1024];
		struct engine *e;
		bool bursts = trial % 2;
		uint64_t len = trial % 4 < 2 ? 65536 : 1000000;
		double noise = 0.3 * unif(), q = 1 - noise;
		int64_t w = 50 + (int64_t)(rng() % 1500), other = 0;
		unsigned k, i;

		for (k = 0; k < 64; k++) {
			struct truth *t = &m.t[k];

			t->length = len;
			t->noise = noise;
			t->n = 1;
			t->r[0].w = w;
			t->r[0].p = bursts ? q / 2 : q;
			if (k == 0 || (!bursts && k % 3 == 0))
				t->r[0].lo = (int64_t)(rng() % (len - (uint64_t)w));
			else
				t->r[0].lo = m.t[k - 1].r[0].lo;
		}
		/* bursts: the other place, apart by a few widths */
		other = m.t[0].r[0].lo > (int64_t)len / 2 ? m.t[0].r[0].lo - 4 * w :
							    m.t[0].r[0].lo + 4 * w;
		hotspot_params_default(&p);
		e = engine__new("@h", 1, &p);
		cr_assert(e);
		engine__set_extent(e, 1, len);
		engine__set_window_cb(e, on_moving, &m);
		for (k = 0; k < 40; k++) {
			for (i = 0; i < 1024; i++) {
				int64_t lo = bursts && (i / 256) % 2 ? other : m.t[k].r[0].lo;

				ev[i] = (struct heat_event){ .ts_ns = (uint64_t)(k * 1024 + i) * 1000 };
				ev[i].col = unif() < noise ? (int64_t)(rng() % len) :
							     lo + (int64_t)(rng() % (uint64_t)w);
			}
			cr_assert_eq(engine__push(e, ev, 1024), 0);
		}
		engine__free(e);
		cr_expect_leq(m.err / m.scored, 0.02, "trial %u (%s): length %lu, width %ld, noise"
			      " %.2f: share error %.4f", trial, bursts ? "bursts" : "jumps",
			      (unsigned long)len, (long)w, noise, m.err / m.scored);
	}
}

/*
 * One range holding most of the accesses over a wide part of the array
 * (a fifth to three fifths of it): 1.6 to 1.9 times as dense as uniform
 * access, under the contrast of 2, but at least four times as dense as its
 * background. It is one span, with its share, and one event. (Under about
 * 1.6 times uniform no part of it reaches twice uniform by chance, and the
 * background is known only once something is hot: docs/engine.md, Limits.)
 */
Test(engine, a_wide_range_against_its_background, .timeout = 120)
{
	static const uint64_t len[] = { 1024, 4096, 65536, 1000000 };
	unsigned trial;

	rng_state = 4242;
	for (trial = 0; trial < 12; trial++) {
		struct truth t = { .n = 1 };
		struct tally y;
		double f, p;

		do {
			f = 0.2 + 0.4 * unif();
			p = 0.6 + 0.35 * unif();
		} while (p / f >= 1.9 || p / f < 1.6 || (p / f) / ((1 - p) / (1 - f)) < 4);
		t.length = len[trial % 4];
		t.noise = 1 - p;
		t.r[0].w = (int64_t)(f * (double)t.length);
		t.r[0].lo = (int64_t)(rng() % (t.length - (uint64_t)t.r[0].w));
		t.r[0].p = p;
		run_truth(&t, true, &y);
		cr_expect_geq(y.iou, 0.95, "trial %u: length %lu, [%ld, +%ld) at %.2f: IoU %.3f",
			      trial, (unsigned long)t.length, (long)t.r[0].lo, (long)t.r[0].w, p,
			      y.iou);
		cr_expect_leq(y.err, 0.02, "trial %u: share error %.4f", trial, y.err);
		cr_expect_eq(y.events, 1, "trial %u: %zu events", trial, y.events);
	}
}

/*
 * Many small ranges (10 to 40 of them, 8 to 40 wide, apart by two to five
 * times the wider's width, 1.5% of the accesses or more each): each its own
 * span, however many lie beyond the gaps between them.
 */
Test(engine, many_small_ranges_apart, .timeout = 120)
{
	unsigned trial;

	rng_state = 777;
	for (trial = 0; trial < 10; trial++) {
		struct truth t = { .length = 65536 };
		struct tally y;
		int64_t at;
		unsigned i;

		t.n = 10 + (unsigned)(rng() % 31);
		t.noise = 0.1 * unif();
		at = (int64_t)(rng() % 4096);
		for (i = 0; i < t.n; i++) {
			int64_t w = 8 + (int64_t)(rng() % 33), prev = i ? t.r[i - 1].w : 0;

			at += (int64_t)((2 + 3 * unif()) * (double)(w > prev ? w : prev));
			t.r[i] = (struct range){ .lo = at, .w = w, .p = (1 - t.noise) / t.n };
			at += w;
		}
		cr_assert_lt(at, (int64_t)t.length);
		run_truth(&t, true, &y);
		cr_expect_geq(y.iou, 0.95, "trial %u: %u ranges, noise %.2f: IoU %.3f", trial, t.n,
			      t.noise, y.iou);
		cr_expect_leq(y.err, 0.02, "trial %u: share error %.4f", trial, y.err);
		cr_expect_eq(y.events, t.n, "trial %u: %zu events for %u ranges", trial, y.events,
			     t.n);
	}
}

/*
 * Sixty to seventy-five ranges of 10 indices, a little over the minimum
 * share each, 600 to 800 indices apart, 10% of the accesses uniform: the
 * gaps between them are judged against the ranges next to them, not
 * against the whole rest of a region whose many gaps thin it to nearly
 * their own density.
 */
Test(engine, very_many_narrow_ranges_apart, .timeout = 120)
{
	unsigned trial;

	rng_state = 4711;
	for (trial = 0; trial < 4; trial++) {
		struct truth t = { .length = 65536, .noise = 0.1 };
		struct tally y;
		int64_t at = 200;
		unsigned i;

		t.n = 60 + (unsigned)(rng() % 4) * 5;
		for (i = 0; i < t.n; i++) {
			t.r[i] = (struct range){ .lo = at, .w = 10, .p = (1 - t.noise) / t.n };
			at += 10 + 600 + (int64_t)(rng() % 200);
		}
		cr_assert_lt(at, (int64_t)t.length);
		run_truth(&t, true, &y);
		cr_expect_geq(y.iou, 0.95, "trial %u: %u ranges: IoU %.3f", trial, t.n, y.iou);
		cr_expect_leq(y.err, 0.02, "trial %u: share error %.4f", trial, y.err);
	}
}

/* Without the array's extent, the span of the indices seen stands for it. */
Test(engine, defaults_without_the_extent)
{
	unsigned trial;

	rng_state = 99;
	for (trial = 0; trial < 10; trial++) {
		struct truth t;
		struct tally y;

		do
			random_truth(&t);
		while (t.noise < 0.05);
		run_truth(&t, false, &y);
		cr_expect_geq(y.iou, 0.95, "trial %u: IoU %.3f", trial, y.iou);
		cr_expect_leq(y.err, 0.02, "trial %u: share error %.4f", trial, y.err);
	}
}

/* Uniform access over any array is not hot; neither is a sweep that never comes back. */
Test(engine, uniform_access_and_sweeps_are_not_hot)
{
	static const uint64_t len[] = { 256, 4096, 65536, 1000000 };
	unsigned i, sweep;

	for (sweep = 0; sweep < 2; sweep++)
		for (i = 0; i < 4; i++) {
			struct truth t = { .length = len[i], .noise = 1, .n = 0 };
			struct hotspot_params p;
			struct heat_event ev[1024];
			struct tally y = { .t = &t };
			struct engine *e;
			unsigned w, k;

			if (sweep && i == 0)
				continue;	/* a sweep of 256 is uniform within a window */
			hotspot_params_default(&p);
			e = engine__new("@h", 1, &p);
			engine__set_extent(e, 1, t.length);
			y.a = malloc(t.length);
			y.b = malloc(t.length);
			engine__set_window_cb(e, on_score, &y);
			for (w = 0; w < 200; w++) {
				for (k = 0; k < 1024; k++) {
					uint64_t n = w * 1024 + k;

					ev[k] = (struct heat_event){ .ts_ns = n,
						.col = (int64_t)(sweep ? n % t.length : rng() % t.length) };
				}
				cr_assert_eq(engine__push(e, ev, 1024), 0);
			}
			cr_expect_eq(y.events, 0, "%s over %lu: %zu events", sweep ? "sweep" : "uniform",
				     (unsigned long)t.length, y.events);
			/* a sweep is shown as new for its first windows, until it has not come back */
			cr_expect_leq(y.clusters, sweep ? 2 * (1 + 200 * 1024 / t.length) : 0,
				      "%s over %lu: clusters in %zu windows", sweep ? "sweep" : "uniform",
				      (unsigned long)t.length, y.clusters);
			cr_expect_eq(y.scattered, 0);
			engine__free(e);
			free(y.a);
			free(y.b);
		}
}

/*
 * A hashed table: 64 hot keys land on buckets all over 65536; each is
 * reported as a scattered hot index, and no span ever covers more than
 * twice the hot buckets in it.
 */
Test(engine, hashed_hot_buckets_are_scattered)
{
	struct hotspot_params p;
	struct heat_event ev[1024];
	int64_t hot[64];
	struct engine *e;
	unsigned w, k, i;
	size_t windows = 0;

	for (i = 0; i < 64; i++)
		hot[i] = (int64_t)((((uint32_t)(5000 + i) * 2654435761u) >> 16));
	hotspot_params_default(&p);
	e = engine__new("@h", 1, &p);
	engine__set_extent(e, 1, 65536);
	rng_state = 5;
	for (w = 0; w < 40; w++) {
		const struct engine_snapshot *s;
		const struct engine_scattered *sc;

		for (k = 0; k < 1024; k++)
			ev[k] = (struct heat_event){ .ts_ns = w * 1024 + k,
				.col = unif() < 0.2 ? (int64_t)(rng() % 65536) : hot[rng() % 64] };
		cr_assert_eq(engine__push(e, ev, 1024), 0);
		s = engine__snapshot_get(e);
		sc = engine_snapshot__scattered(s);
		for (i = 0; i < engine_snapshot__cluster_count(s); i++) {
			const struct engine_cluster *c = engine_snapshot__cluster(s, i);
			unsigned n = 0, q;

			for (q = 0; q < 64; q++)
				n += hot[q] >= c->lo[0] && hot[q] < c->hi[0];
			cr_expect(n && c->hi[0] - c->lo[0] <= 2 * n, "window %u: span [%ld, %ld) over %u"
				  " hot buckets", w + 1, (long)c->lo[0], (long)c->hi[0], n);
		}
		if (w >= 4) {
			windows++;
			cr_expect_geq(sc->count + engine_snapshot__cluster_count(s), 60,
				      "window %u: %lu scattered", w + 1, (unsigned long)sc->count);
			cr_expect_float_eq(sc->share, 0.8, 0.04, "window %u: share %.3f", w + 1,
					   sc->share);
			cr_expect_eq(sc->ntop, ENGINE_TOP_POINTS);
			cr_expect_geq(sc->top[0].share, sc->top[1].share);
			for (k = 0; k < sc->ntop; k++) {
				unsigned q = 0;

				while (q < 64 && hot[q] != sc->top[k].at[0])
					q++;
				cr_expect_lt(q, 64, "window %u: the hottest index %ld is no hot bucket",
					     w + 1, (long)sc->top[k].at[0]);
			}
		}
		engine_snapshot__put(s);
	}
	cr_assert_eq(windows, 36);
	engine__free(e);
}

/* Two dimensions: random blocks in random grids. */
Test(engine, defaults_find_random_blocks)
{
	unsigned trial;

	rng_state = 31;
	for (trial = 0; trial < 8; trial++) {
		uint64_t rows = 64 << (rng() % 3), cols = 64 << (rng() % 3);
		int64_t h = 4 + (int64_t)(rng() % (rows / 4)), w = 4 + (int64_t)(rng() % (cols / 4));
		int64_t r0 = (int64_t)(rng() % (rows - (uint64_t)h)), c0 = (int64_t)(rng() % (cols - (uint64_t)w));
		double noise = 0.05 + 0.25 * unif(), iou = 0;
		struct hotspot_params p;
		struct heat_event ev[1024];
		struct engine *e;
		unsigned win, k, scored = 0;

		hotspot_params_default(&p);
		e = engine__new("@g", 2, &p);
		engine__set_extent(e, rows, cols);
		for (win = 0; win < 30; win++) {
			const struct engine_snapshot *s;

			for (k = 0; k < 1024; k++) {
				bool bg = unif() < noise;

				ev[k] = (struct heat_event){ .ts_ns = win * 1024 + k,
					.row = bg ? (int64_t)(rng() % rows) : r0 + (int64_t)(rng() % (uint64_t)h),
					.col = bg ? (int64_t)(rng() % cols) : c0 + (int64_t)(rng() % (uint64_t)w) };
			}
			cr_assert_eq(engine__push(e, ev, 1024), 0);
			if (win < 15)
				continue;
			s = engine__snapshot_get(e);
			if (engine_snapshot__cluster_count(s) == 1) {
				const struct engine_cluster *c = engine_snapshot__cluster(s, 0);
				int64_t a0 = c->lo[0] > r0 ? c->lo[0] : r0, a1 = c->hi[0] < r0 + h ? c->hi[0] : r0 + h;
				int64_t b0 = c->lo[1] > c0 ? c->lo[1] : c0, b1 = c->hi[1] < c0 + w ? c->hi[1] : c0 + w;
				double in = a1 > a0 && b1 > b0 ? (double)((a1 - a0) * (b1 - b0)) : 0;
				double area = (double)((c->hi[0] - c->lo[0]) * (c->hi[1] - c->lo[1]));

				iou += in / (area + (double)(h * w) - in);
			}
			scored++;
			engine_snapshot__put(s);
		}
		iou /= scored;
		cr_expect_geq(iou, 0.95, "trial %u: %lux%lu grid, block [%ld, +%ld)x[%ld, +%ld), "
			      "noise %.2f: IoU %.3f", trial, (unsigned long)rows, (unsigned long)cols,
			      (long)r0, (long)h, (long)c0, (long)w, noise, iou);
		engine__free(e);
	}
}

/* ---- explicit thresholds ---- */

/* Top-k: the k hottest indices, chained; a span needs minpts of them. */
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
	p.eps_auto = false;
	p.eps = 1;
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
	cr_assert_eq(engine_snapshot__cluster_count(s), 1);
	cr_assert_eq(engine_snapshot__cluster(s, 0)->lo[0], 112);
	cr_assert_eq(engine_snapshot__cluster(s, 0)->hi[0], 120);
	engine_snapshot__put(s);
	engine__free(e);
}

/* > N with a fixed eps: the decayed count decides, one index at a time. */
Test(engine, a_fixed_threshold_and_eps)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	const struct engine_snapshot *s;
	const struct engine_cluster *c;
	struct engine *e;
	double expect = 0;
	size_t i;

	hotspot_params_default(&p);
	p.decay = 0.99;
	p.window_events = 1000;
	p.hot_kind = HOT_ABOVE;
	p.hot_above = 5;
	p.eps_auto = false;
	p.eps = 2;
	e = engine__new("@h", 1, &p);
	/* indices 10..14 in turn: each one gets a decayed count of about 20 */
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
	cr_assert_float_eq(c->window_share, 1.0, 1e-9);
	engine_snapshot__put(s);
	engine__free(e);
}

/* pN on a stationary stream: the ranges are found (the generator's truth). */
Test(engine, a_quantile_threshold)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct heat_event ev[4096];
	const struct engine_snapshot *s;
	struct engine *e;
	unsigned w, i;

	memset(&c, 0, sizeof(c));
	c.seed = 3;
	c.dims = 1;
	c.length = 100000;
	c.background = 0.2;
	c.rate = 1e6;
	c.nranges = 2;
	c.range[0] = (struct streamgen_range){ .lo = 1000, .width = 100, .weight = 0.4, .label = 1 };
	c.range[1] = (struct streamgen_range){ .lo = 50000, .width = 200, .weight = 0.4, .label = 2 };
	hotspot_params_default(&p);
	p.window_events = 4096;
	p.hot_kind = HOT_QUANTILE;
	p.hot_quantile = 90;
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	for (w = 0; w < 20; w++) {
		streamgen__fill(g, ev, 4096);
		cr_assert_eq(engine__push(e, ev, 4096), 0);
	}
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__cluster_count(s), 2);
	for (i = 0; i < 2; i++) {
		const struct engine_cluster *k = engine_snapshot__cluster(s, i);
		int64_t lo = i ? 50000 : 1000, hi = i ? 50200 : 1100;

		cr_expect(k->lo[0] >= lo && k->lo[0] <= lo + 3 && k->hi[0] <= hi && k->hi[0] >= hi - 3,
			  "cluster %u: [%ld, %ld)", i, (long)k->lo[0], (long)k->hi[0]);
	}
	engine_snapshot__put(s);
	engine__free(e);
	streamgen__free(g);
}
