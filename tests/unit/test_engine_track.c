// SPDX-License-Identifier: MIT
/*
 * Cluster identity and events, with the defaults, against what the stream
 * did: a far jump is one move event that keeps the cluster's id, its new
 * place reported within a window and its old one gone within two wherever
 * in a window the jump falls; a slow drift is one drift; streams that only
 * change intensity or rate, or stay put for hundreds of windows, raise no
 * event after the first appearance; a range shown for one window only
 * leaves no event; ranges that appear, vanish, split and merge give those
 * events once each.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/lib/streamgen.h"

#define MAX_EV 256
#define W 1024

struct log {
	struct cluster_event ev[MAX_EV];
	uint64_t window[MAX_EV];
	size_t n;
	uint64_t windows;
};

static void on_window(void *ctx, const struct engine_snapshot *s)
{
	struct log *l = ctx;
	size_t i;

	l->windows++;
	for (i = 0; i < engine_snapshot__event_count(s) && l->n < MAX_EV; i++) {
		l->ev[l->n] = *engine_snapshot__event(s, i);
		l->window[l->n] = engine_snapshot__window(s);
		l->n++;
	}
}

static size_t count(const struct log *l, enum cluster_event_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->ev[i].kind == k;
	return n;
}

/* The cluster of the latest snapshot whose span holds x (1-D), or NULL; *id its id. */
static bool cluster_at(struct engine *e, int64_t x, uint64_t *id)
{
	const struct engine_snapshot *s = engine__snapshot_get(e);
	bool found = false;
	size_t i;

	for (i = 0; s && i < engine_snapshot__cluster_count(s); i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);

		if (x >= c->lo[0] && x < c->hi[0]) {
			*id = c->id;
			found = true;
		}
	}
	engine_snapshot__put(s);
	return found;
}

static struct engine *engine_with_log(unsigned dims, struct log *l, uint64_t extent)
{
	struct hotspot_params p;
	struct engine *e;

	hotspot_params_default(&p);
	e = engine__new("@h", dims, &p);
	cr_assert(e);
	memset(l, 0, sizeof(*l));
	engine__set_window_cb(e, on_window, l);
	if (extent)
		engine__set_extent(e, dims == 2 ? extent : 1, extent);
	return e;
}

static void feed(struct engine *e, struct streamgen *g, uint64_t events)
{
	struct heat_event ev[W];

	while (events) {
		size_t n = events < W ? events : W;

		streamgen__fill(g, ev, n);
		cr_assert_eq(engine__push(e, ev, n), 0);
		events -= n;
	}
}

static void one_range(struct streamgen_config *c, uint64_t seed, double lo, double width)
{
	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->dims = 1;
	c->length = 100000;
	c->background = 0.15;
	c->rate = 1e6;
	c->nranges = 1;
	c->range[0] = (struct streamgen_range){ .lo = lo, .width = width, .weight = 0.85,
						.label = 1 };
}

/*
 * Far jumps, falling early, mid-way and late in a window: one appear and
 * one move, the same id on both sides, the new place reported in the window
 * after the jump's at the latest and the old one gone two windows after it.
 */
Test(engine_track, a_far_jump_is_one_move)
{
	static const double at[] = { 0.1, 0.5, 0.9 };
	unsigned k;

	for (k = 0; k < 3; k++) {
		struct streamgen_config c;
		struct streamgen *g;
		struct log l;
		struct engine *e = engine_with_log(1, &l, 100000);
		uint64_t jump = (uint64_t)((20 + at[k]) * W), before = 0, after = 0, id;
		uint64_t change = jump / W + 1;	/* the window the jump falls in */
		unsigned w;

		one_range(&c, 40 + k, 10000, 300);
		c.range[0].jump_at = jump;
		c.range[0].jump_by = 50000;
		g = streamgen__new(&c);
		feed(e, g, 20 * W);
		cr_assert(cluster_at(e, 10100, &before));
		for (w = 21; w <= 45; w++) {
			feed(e, g, W);
			if (w >= change + 1)
				cr_expect(cluster_at(e, 60100, &id), "jump at %.1f: window %u, no cluster"
					  " at the new place", at[k], w);
			if (w >= change + 2)
				cr_expect(!cluster_at(e, 10100, &id), "jump at %.1f: window %u, the old"
					  " place still reported", at[k], w);
		}
		cr_assert(cluster_at(e, 60100, &after));
		cr_expect_eq(after, before, "jump at %.1f: the id changed", at[k]);
		cr_expect_eq(count(&l, CEV_APPEAR), 1, "jump at %.1f", at[k]);
		cr_expect_eq(count(&l, CEV_MOVE), 1, "jump at %.1f", at[k]);
		cr_expect_eq(l.n, 2, "jump at %.1f: %zu events", at[k], l.n);
		engine__free(e);
		streamgen__free(g);
	}
}

/* A slow drift (20 indices a window, a range 400 wide): one drift event, one id. */
Test(engine_track, a_slow_drift_is_one_drift)
{
	struct streamgen_config c;
	struct streamgen *g;
	struct log l;
	struct engine *e = engine_with_log(1, &l, 100000);
	uint64_t first = 0, id = 0;
	unsigned w;

	one_range(&c, 7, 20000, 400);
	c.range[0].velocity = 20.0 / W;
	g = streamgen__new(&c);
	for (w = 1; w <= 80; w++) {
		feed(e, g, W);
		if (w == 5)
			cr_assert(cluster_at(e, (int64_t)streamgen__range_lo(g, 0) + 200, &first));
		if (w > 5)
			cr_expect(cluster_at(e, (int64_t)streamgen__range_lo(g, 0) + 200, &id) &&
				  id == first, "window %u: the cluster lost the range or its id", w);
	}
	cr_expect_eq(count(&l, CEV_APPEAR), 1);
	cr_expect_eq(count(&l, CEV_DRIFT), 1, "%zu drifts", count(&l, CEV_DRIFT));
	cr_expect_eq(count(&l, CEV_SETTLE), 0, "it never stopped");
	cr_expect_eq(l.n, 2, "%zu events", l.n);
	engine__free(e);
	streamgen__free(g);
}

/* Intensity alternating 85% and 30%, rate alternating 10x: nothing but the appearance. */
Test(engine_track, no_event_when_only_intensity_or_rate_changes)
{
	unsigned k;

	for (k = 0; k < 2; k++) {
		struct streamgen_config c;
		struct streamgen *g;
		struct log l;
		struct engine *e = engine_with_log(1, &l, 100000);

		one_range(&c, 11 + k, 30000, 500);
		if (k == 0) {
			c.range[0].weight_alt = 0.3;
			c.range[0].weight_period = 7 * W;
		} else {
			c.rate_alt = c.rate / 10;
			c.rate_period = 5 * W;
		}
		g = streamgen__new(&c);
		feed(e, g, 300 * W);
		cr_expect_eq(l.n, 1, "%s: %zu events", k ? "rate" : "intensity", l.n);
		cr_expect_eq(count(&l, CEV_APPEAR), 1);
		engine__free(e);
		streamgen__free(g);
	}
}

/* Three ranges for 500 windows: three appearances, nothing else. */
Test(engine_track, stationary_ranges_raise_nothing_more)
{
	struct streamgen_config c;
	struct streamgen *g;
	struct log l;
	struct engine *e = engine_with_log(1, &l, 1000000);
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.seed = 17;
	c.dims = 1;
	c.length = 1000000;
	c.background = 0.3;
	c.rate = 1e6;
	c.nranges = 3;
	for (i = 0; i < 3; i++)
		c.range[i] = (struct streamgen_range){ .lo = 100000 + 300000.0 * i, .width = 50 + 400 * i,
						       .weight = 0.7 / 3, .label = i + 1 };
	g = streamgen__new(&c);
	feed(e, g, 500 * W);
	cr_expect_eq(l.n, 3, "%zu events", l.n);
	cr_expect_eq(count(&l, CEV_APPEAR), 3);
	engine__free(e);
	streamgen__free(g);
}

/*
 * A range on from window 10 to 30: it appears once it has been seen for
 * `persist` windows, and vanishes once it has been gone for as long. One
 * on for a single window is shown then, but leaves no event.
 */
Test(engine_track, appear_vanish_and_a_flicker)
{
	struct streamgen_config c;
	struct streamgen *g;
	struct log l;
	struct engine *e = engine_with_log(1, &l, 100000);
	uint64_t id;
	unsigned w;

	one_range(&c, 23, 5000, 300);
	c.nranges = 2;
	c.range[0].on = 10 * W;
	c.range[0].off = 30 * W;
	c.range[1] = (struct streamgen_range){ .lo = 70000, .width = 300, .weight = 0.85,
					       .on = 50 * W, .off = 51 * W, .label = 2 };
	g = streamgen__new(&c);
	for (w = 1; w <= 60; w++) {
		feed(e, g, W);
		if (w == 51)
			cr_expect(cluster_at(e, 70100, &id), "the flicker is shown in its window");
	}
	cr_assert_eq(l.n, 2, "%zu events", l.n);
	cr_expect_eq(l.ev[0].kind, CEV_APPEAR);
	cr_expect_eq(l.window[0], 12, "seen in window 11 and 12, then announced");
	cr_expect_eq(l.ev[1].kind, CEV_VANISH);
	cr_expect_leq(l.window[1], 33, "vanished in window %lu", (unsigned long)l.window[1]);
	engine__free(e);
	streamgen__free(g);
}

/* Phases of ranges, for splits and merges: share p of accesses uniform over each. */
struct phase {
	unsigned windows;
	unsigned n;
	int64_t lo[2], hi[2];
};

static void run_phases(struct engine *e, const struct phase *ph, unsigned nph, uint64_t seed)
{
	uint64_t x = seed, t = 0;
	unsigned i, w, k;

	for (i = 0; i < nph; i++)
		for (w = 0; w < ph[i].windows; w++) {
			struct heat_event ev[W];

			for (k = 0; k < W; k++) {
				unsigned r;

				x = x * 6364136223846793005ull + 1442695040888963407ull;
				r = (unsigned)(x >> 33) % 100;
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				ev[k] = (struct heat_event){ .ts_ns = t++ };
				if (r < 15) {
					ev[k].col = (int64_t)((x >> 20) % 100000);
				} else {
					unsigned j = r % ph[i].n;

					ev[k].col = ph[i].lo[j] +
						    (int64_t)((x >> 20) % (uint64_t)(ph[i].hi[j] - ph[i].lo[j]));
				}
			}
			cr_assert_eq(engine__push(e, ev, W), 0);
		}
}

Test(engine_track, a_split_then_a_merge)
{
	static const struct phase ph[] = {
		{ 15, 1, { 40000, 0 }, { 41000, 0 } },
		{ 20, 2, { 40000, 40700 }, { 40300, 41000 } },
		{ 20, 1, { 40000, 0 }, { 41000, 0 } },
	};
	struct log l;
	struct engine *e = engine_with_log(1, &l, 100000);
	size_t i;

	run_phases(e, ph, 3, 5);
	cr_expect_eq(count(&l, CEV_APPEAR), 1);
	cr_expect_eq(count(&l, CEV_SPLIT), 1);
	cr_expect_eq(count(&l, CEV_MERGE), 1);
	cr_expect_eq(l.n, 3, "%zu events", l.n);
	for (i = 0; i < l.n; i++) {
		if (l.ev[i].kind == CEV_SPLIT)
			cr_expect_eq(l.ev[i].other, l.ev[0].id, "split off the first cluster");
		if (l.ev[i].kind == CEV_MERGE)
			cr_expect(l.ev[i].other == l.ev[0].id || l.ev[i].id == l.ev[0].id);
	}
	engine__free(e);
}

/* A block of a 2-D array that jumps: one move, and the block's box after it. */
Test(engine_track, a_jump_in_two_dimensions)
{
	struct streamgen_config c;
	struct streamgen *g;
	struct log l;
	struct engine *e = engine_with_log(2, &l, 512);
	const struct engine_snapshot *s;
	const struct engine_cluster *k;

	memset(&c, 0, sizeof(c));
	c.seed = 29;
	c.dims = 2;
	c.length = 512;
	c.cols = 512;
	c.background = 0.1;
	c.rate = 1e6;
	c.nranges = 1;
	c.range[0] = (struct streamgen_range){ .lo = 50, .width = 32, .lo_col = 60, .width_col = 40,
					       .weight = 0.9, .jump_at = 20 * W + 300,
					       .jump_by = 300, .label = 1 };
	g = streamgen__new(&c);
	feed(e, g, 40 * W);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__cluster_count(s), 1);
	k = engine_snapshot__cluster(s, 0);
	cr_expect(k->lo[0] >= 350 && k->lo[0] <= 352 && k->hi[0] >= 380 && k->hi[0] <= 382 &&
		  k->lo[1] >= 60 && k->lo[1] <= 62 && k->hi[1] >= 98 && k->hi[1] <= 100,
		  "[%ld, %ld)x[%ld, %ld)", (long)k->lo[0], (long)k->hi[0], (long)k->lo[1],
		  (long)k->hi[1]);
	engine_snapshot__put(s);
	cr_expect_eq(count(&l, CEV_APPEAR), 1);
	cr_expect_eq(count(&l, CEV_MOVE), 1);
	cr_expect_eq(l.n, 2, "%zu events", l.n);
	engine__free(e);
	streamgen__free(g);
}

/*
 * Windows of n ranges [lo[i], lo[i] + w[i]) taking share p[i] of the
 * accesses each, uniformly, and the rest uniform over [0, len).
 */
static void push_ranges(struct engine *e, unsigned windows, unsigned n, const int64_t *lo,
			const int64_t *w, const double *p, uint64_t len, uint64_t *x)
{
	struct heat_event ev[W];
	unsigned k, j;

	while (windows--) {
		for (k = 0; k < W; k++) {
			double u;

			*x = *x * 6364136223846793005ull + 1442695040888963407ull;
			u = (double)(*x >> 11) * 0x1p-53;
			*x = *x * 6364136223846793005ull + 1442695040888963407ull;
			ev[k] = (struct heat_event){ .ts_ns = *x >> 40,
						     .col = (int64_t)((*x >> 20) % len) };
			for (j = 0; j < n; j++) {
				if (u < p[j]) {
					ev[k].col = lo[j] + (int64_t)((*x >> 20) % (uint64_t)w[j]);
					break;
				}
				u -= p[j];
			}
		}
		cr_assert_eq(engine__push(e, ev, W), 0);
	}
}

/*
 * Many small stationary ranges (20 to 60 of 10 to 30 indices): a range of
 * 20 indices changes its spread by a third from window to window by chance,
 * which is no drift. One appearance each, nothing else, for 200 windows.
 */
Test(engine_track, small_stationary_ranges_raise_nothing_more, .timeout = 60)
{
	uint64_t x = 41;
	unsigned trial;

	for (trial = 0; trial < 4; trial++) {
		int64_t lo[60], w[60], at = 1000;
		double p[60];
		unsigned n, i;
		struct log l;
		struct engine *e = engine_with_log(1, &l, 100000);

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		n = 20 + (unsigned)((x >> 33) % 41);
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			w[i] = 10 + (int64_t)((x >> 33) % 21);
			lo[i] = at;
			p[i] = 0.9 / n;
			at += w[i] + 200 + (int64_t)((x >> 20) % 1000);
		}
		push_ranges(e, 200, n, lo, w, p, 100000, &x);
		cr_expect_eq(count(&l, CEV_APPEAR), n, "trial %u: %zu appear for %u ranges", trial,
			     count(&l, CEV_APPEAR), n);
		cr_expect_eq(l.n, n, "trial %u: %zu events (%zu drift, %zu move, %zu vanish)", trial,
			     l.n, count(&l, CEV_DRIFT), count(&l, CEV_MOVE), count(&l, CEV_VANISH));
		engine__free(e);
	}
}

/*
 * A range that goes back and forth between two places every four windows
 * (random widths and places): one appearance, then one move at each
 * change, and from the third window after a change one span on the
 * place, whole, never the pieces of the place left four windows earlier.
 */
Test(engine_track, back_and_forth_is_one_range, .timeout = 60)
{
	uint64_t x = 97;
	unsigned trial;

	for (trial = 0; trial < 4; trial++) {
		int64_t lo[2], w[2];
		double p[2] = { 0.9, 0 };
		unsigned k, flips = 8;
		struct log l;
		struct engine *e = engine_with_log(1, &l, 100000);

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		w[0] = w[1] = 100 + (int64_t)((x >> 33) % 1900);
		lo[0] = 1000 + (int64_t)((x >> 20) % 40000);
		lo[1] = lo[0] + w[0] + 2000 + (int64_t)((x >> 40) % 40000);
		for (k = 0; k < flips; k++) {
			const struct engine_snapshot *s;
			const struct engine_cluster *c;
			int64_t at = lo[k % 2];

			p[k % 2] = 0.9;
			p[(k + 1) % 2] = 0;
			push_ranges(e, 3, 2, lo, w, p, 100000, &x);
			if (k) {
				s = engine__snapshot_get(e);
				cr_expect_eq(engine_snapshot__cluster_count(s), 1,
					     "trial %u, flip %u: %zu clusters", trial, k,
					     engine_snapshot__cluster_count(s));
				c = engine_snapshot__cluster(s, 0);
				cr_expect(c && c->lo[0] <= at + w[0] / 50 &&
					  c->hi[0] >= at + w[0] - w[0] / 50 &&
					  c->hi[0] - c->lo[0] <= w[0] + w[0] / 25,
					  "trial %u, flip %u: [%ld, %ld) for [%ld, %ld)", trial, k,
					  c ? (long)c->lo[0] : -1L, c ? (long)c->hi[0] : -1L, (long)at,
					  (long)(at + w[0]));
				engine_snapshot__put(s);
			}
			push_ranges(e, 1, 2, lo, w, p, 100000, &x);
		}
		cr_expect_eq(count(&l, CEV_APPEAR), 1, "trial %u: %zu appear", trial,
			     count(&l, CEV_APPEAR));
		cr_expect_eq(count(&l, CEV_MOVE), flips - 1, "trial %u: %zu moves", trial,
			     count(&l, CEV_MOVE));
		cr_expect_eq(l.n, flips, "trial %u: %zu events", trial, l.n);
		engine__free(e);
	}
}

/*
 * A hundred ranges at 0.9% of the accesses each, just under the minimum
 * share: those that pass it by chance are listed, and one whose share dips
 * under the minimum again is not where another that passed it moved to:
 * its place is as busy as ever.
 */
Test(engine_track, a_dip_under_the_minimum_share_is_no_move, .timeout = 60)
{
	int64_t lo[100], w[100];
	double p[100];
	uint64_t x = 5;
	unsigned i;
	struct log l;
	struct engine *e = engine_with_log(1, &l, 100000);

	for (i = 0; i < 100; i++) {
		lo[i] = 500 + 990 * (int64_t)i;
		w[i] = 10;
		p[i] = 0.009;
	}
	push_ranges(e, 200, 100, lo, w, p, 100000, &x);
	cr_expect_eq(count(&l, CEV_MOVE), 0, "%zu moves", count(&l, CEV_MOVE));
	engine__free(e);
}
