// SPDX-License-Identifier: MIT
/*
 * Cluster identity and drift against the generator's truth: jumps of one
 * standard deviation or more are flagged within two windows, streams that
 * only change intensity or rate raise no drift alarm in 1000 windows, slow
 * drifts are flagged while the cluster keeps its id, and ranges that
 * appear, vanish, split and merge give those events.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/lib/streamgen.h"

#define MAX_EV 4096

/* Every cluster event of a run, with its window. */
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

/* The id of the cluster holding index x in the latest snapshot, 0 if none. */
static uint64_t cluster_at(struct engine *e, double x)
{
	const struct engine_snapshot *s = engine__snapshot_get(e);
	uint64_t id = 0;
	size_t i;

	for (i = 0; s && i < engine_snapshot__cluster_count(s); i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);

		if (x >= (double)c->lo[0] && x < (double)c->hi[0])
			id = c->id;
	}
	engine_snapshot__put(s);
	return id;
}

static void run(struct engine *e, struct streamgen *g, uint64_t events)
{
	struct heat_event ev[1024];

	while (events) {
		size_t n = events < 1024 ? events : 1024;

		streamgen__fill(g, ev, n);
		cr_assert_eq(engine__push(e, ev, n), 0);
		events -= n;
	}
}

static size_t count(const struct log *l, enum cluster_event_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->ev[i].kind == kind;
	return n;
}

#define W 8192

/* Two ranges 40 000 apart, sigma = 60 / sqrt(12), and decay that forgets a window. */
static void two_ranges(struct streamgen_config *c, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->dims = 1;
	c->length = 100000;
	c->background = 0.2;
	c->rate = 1e6;
	c->nranges = 2;
	c->range[0] = (struct streamgen_range){ .lo = 10000, .width = 60, .weight = 0.5,
						.label = 1 };
	c->range[1] = (struct streamgen_range){ .lo = 50000, .width = 60, .weight = 0.3,
						.label = 2 };
}

static void fast_params(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = W;
	p->halflife_ns = 0;
	p->decay = 0.999;
	p->hot_kind = HOT_ABOVE;
	p->hot_above = 2;
}

Test(engine_track, jump_of_one_sigma_or_more_flagged_within_two_windows)
{
	static const double sigmas[] = { 1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0 };
	unsigned k;
	uint64_t seed;

	for (k = 0; k < sizeof(sigmas) / sizeof(sigmas[0]); k++) {
		for (seed = 1; seed <= 3; seed++) {
			struct streamgen_config c;
			struct hotspot_params p;
			struct streamgen *g;
			struct engine *e;
			struct log *l = calloc(1, sizeof(*l));
			double sigma = 60 / sqrt(12), by = sigmas[k] * sigma;
			uint64_t jw = 20, id, i;
			bool flagged = false;

			two_ranges(&c, seed * 7 + k);
			c.range[0].jump_at = jw * W;
			c.range[0].jump_by = seed % 2 ? by : -by;
			fast_params(&p);
			g = streamgen__new(&c);
			e = engine__new("@h", 1, &p);
			engine__set_window_cb(e, on_window, l);
			run(e, g, jw * W);
			id = cluster_at(e, 10030);
			cr_assert_neq(id, 0, "the range is a cluster before the jump");
			for (i = 0; i < l->n; i++)
				cr_assert(l->window[i] < 3 || l->ev[i].kind != CEV_DRIFT,
					  "no drift before the jump (window %lu)",
					  (unsigned long)l->window[i]);
			run(e, g, 2 * W);
			for (i = 0; i < l->n; i++) {
				const struct cluster_event *x = &l->ev[i];
				double moved = fabs(x->centre[0] - (10030 + c.range[0].jump_by));

				if (l->window[i] <= jw)
					continue;
				if (x->kind == CEV_DRIFT && x->id == id)
					flagged = true;
				if ((x->kind == CEV_APPEAR || x->kind == CEV_SPLIT) && moved < 30)
					flagged = true;
			}
			cr_assert(flagged, "jump of %.2f sigma (seed %lu) not flagged by window %lu",
				  sigmas[k], (unsigned long)seed, (unsigned long)(jw + 2));
			engine__free(e);
			streamgen__free(g);
			free(l);
		}
	}
}

/* The identity holds while the range moves, and slow drift is flagged. */
Test(engine_track, slow_drift_keeps_id_and_is_flagged)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct engine *e;
	struct log *l = calloc(1, sizeof(*l));
	double sigma = 60 / sqrt(12);
	uint64_t id, w, shifts = 0, i;

	two_ranges(&c, 5);
	/* 0.1 sigma a window */
	c.range[0].velocity = 0.1 * sigma / W;
	fast_params(&p);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	engine__set_window_cb(e, on_window, l);
	run(e, g, 5 * W);
	id = cluster_at(e, streamgen__range_lo(g, 0) + 30);
	cr_assert_neq(id, 0);
	for (w = 0; w < 200; w++) {
		run(e, g, W);
		cr_assert_eq(cluster_at(e, streamgen__range_lo(g, 0) + 30), id,
			     "window %lu: the moving range changed id", (unsigned long)w);
	}
	for (i = 0; i < l->n; i++)
		if (l->ev[i].kind == CEV_DRIFT && l->ev[i].id == id)
			shifts += l->ev[i].reason == DRIFT_SHIFT;
	cr_assert_geq(shifts, 1, "a slow drift of 20 sigma went unflagged");
	for (i = 0; i < l->n; i++)
		cr_assert(l->ev[i].kind != CEV_DRIFT || l->ev[i].id == id,
			  "drift on the stationary range");
	engine__free(e);
	streamgen__free(g);
	free(l);
}

static void no_drift_alarm(struct streamgen_config *c, struct hotspot_params *p,
			   const char *what)
{
	struct streamgen *g = streamgen__new(c);
	struct engine *e = engine__new("@h", 1, p);
	struct log *l = calloc(1, sizeof(*l));
	size_t i;

	cr_assert(g && e && l);
	engine__set_window_cb(e, on_window, l);
	while (l->windows < 1000)
		run(e, g, 4096);
	for (i = 0; i < l->n; i++)
		cr_assert(l->ev[i].kind != CEV_DRIFT,
			  "%s: drift alarm (%s, delta %.2f) on cluster %lu at window %lu", what,
			  drift_reason_name(l->ev[i].reason), l->ev[i].delta,
			  (unsigned long)l->ev[i].id, (unsigned long)l->window[i]);
	cr_assert_lt(count(l, CEV_APPEAR), 20, "%s: clusters flap", what);
	engine__free(e);
	streamgen__free(g);
	free(l);
}

Test(engine_track, no_drift_alarm_when_only_intensity_changes)
{
	struct streamgen_config c;
	struct hotspot_params p;
	uint64_t seed;

	for (seed = 1; seed <= 2; seed++) {
		two_ranges(&c, seed);
		/* each range's weight changes by 2.5x, out of phase */
		c.range[0].weight_alt = 0.2;
		c.range[0].weight_period = 5 * 4096;
		c.range[1].weight_alt = 0.75;
		c.range[1].weight_period = 7 * 4096;
		hotspot_params_default(&p);
		p.window_events = 4096;
		p.halflife_ns = 0;
		p.decay = 0.999;
		p.hot_quantile = 90;
		no_drift_alarm(&c, &p, "intensity, quantile threshold");
		fast_params(&p);
		p.window_events = 4096;
		no_drift_alarm(&c, &p, "intensity, fixed threshold");
	}
}

Test(engine_track, no_drift_alarm_when_only_rate_changes)
{
	struct streamgen_config c;
	struct hotspot_params p;
	uint64_t seed;

	for (seed = 1; seed <= 2; seed++) {
		two_ranges(&c, seed + 10);
		/*
		 * 1M and 200k events a second, alternating every few windows; the
		 * halflife keeps at least 2000 events in memory, enough for a range
		 * index to stand out from noise at either rate
		 */
		c.rate_alt = 2e5;
		c.rate_period = 3 * 4096;
		hotspot_params_default(&p);
		p.window_events = 4096;
		p.halflife_ns = 10e6;
		p.hot_quantile = 90;
		no_drift_alarm(&c, &p, "rate, count windows, halflife");
		p.window_events = 0;
		p.window_ns = 4e6;
		no_drift_alarm(&c, &p, "rate, time windows, halflife");
	}
}

Test(engine_track, appear_and_vanish)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct engine *e;
	struct log *l = calloc(1, sizeof(*l));
	bool appeared = false, vanished = false;
	uint64_t id = 0, i;

	two_ranges(&c, 3);
	c.nranges = 3;
	c.range[2] = (struct streamgen_range){ .lo = 80000, .width = 40, .weight = 0.3,
					       .on = 10 * W, .off = 30 * W, .label = 3 };
	fast_params(&p);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	engine__set_window_cb(e, on_window, l);
	run(e, g, 12 * W);
	for (i = 0; i < l->n; i++)
		if (l->ev[i].kind == CEV_APPEAR && fabs(l->ev[i].centre[0] - 80020) < 20 &&
		    l->window[i] > 10) {
			appeared = true;
			id = l->ev[i].id;
		}
	cr_assert(appeared, "no appear event within 2 windows");
	run(e, g, 23 * W);
	for (i = 0; i < l->n; i++)
		if (l->ev[i].kind == CEV_VANISH && l->ev[i].id == id && l->window[i] > 30)
			vanished = true;
	cr_assert(vanished, "no vanish event within 5 windows");
	engine__free(e);
	streamgen__free(g);
	free(l);
}

Test(engine_track, split_and_merge)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct engine *e;
	struct log *l = calloc(1, sizeof(*l));
	uint64_t whole, i;
	bool split = false, merged = false;

	/* [20000, 20200) until window 15, then [20000, 20080) + [20120, 20200), then whole */
	memset(&c, 0, sizeof(c));
	c.seed = 4;
	c.dims = 1;
	c.length = 100000;
	c.background = 0.2;
	c.rate = 1e6;
	c.nranges = 4;
	c.range[0] = (struct streamgen_range){ .lo = 20000, .width = 200, .weight = 0.8,
					       .off = 15 * W, .label = 1 };
	c.range[1] = (struct streamgen_range){ .lo = 20000, .width = 80, .weight = 0.32,
					       .on = 15 * W, .off = 30 * W, .label = 2 };
	c.range[2] = (struct streamgen_range){ .lo = 20120, .width = 80, .weight = 0.32,
					       .on = 15 * W, .off = 30 * W, .label = 3 };
	c.range[3] = (struct streamgen_range){ .lo = 20000, .width = 200, .weight = 0.8,
					       .on = 30 * W, .label = 4 };
	fast_params(&p);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	engine__set_window_cb(e, on_window, l);
	run(e, g, 15 * W);
	whole = cluster_at(e, 20100);
	cr_assert_neq(whole, 0);
	run(e, g, 15 * W);
	for (i = 0; i < l->n; i++)
		if (l->ev[i].kind == CEV_SPLIT && l->ev[i].other == whole && l->window[i] <= 18)
			split = true;
	cr_assert(split, "no split event off cluster %lu", (unsigned long)whole);
	cr_assert_neq(cluster_at(e, 20040), cluster_at(e, 20160));
	run(e, g, 5 * W);
	for (i = 0; i < l->n; i++)
		if (l->ev[i].kind == CEV_MERGE && l->window[i] > 30 && l->window[i] <= 33)
			merged = true;
	cr_assert(merged, "no merge event");
	cr_assert_eq(cluster_at(e, 20040), cluster_at(e, 20160));
	engine__free(e);
	streamgen__free(g);
	free(l);
}

/* 2-D: a block that jumps by 2 sigma along the rows is flagged. */
Test(engine_track, jump_2d)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct streamgen *g;
	struct engine *e;
	struct log *l = calloc(1, sizeof(*l));
	uint64_t i;
	bool flagged = false;

	memset(&c, 0, sizeof(c));
	c.seed = 8;
	c.dims = 2;
	c.length = 1024;
	c.cols = 1024;
	c.background = 0.2;
	c.rate = 1e6;
	c.nranges = 1;
	c.range[0] = (struct streamgen_range){ .lo = 100, .width = 10, .lo_col = 200,
					       .width_col = 10, .weight = 0.8, .label = 1,
					       .jump_at = 20 * W, .jump_by = 2 * 10 / sqrt(12) };
	fast_params(&p);
	g = streamgen__new(&c);
	e = engine__new("@g", 2, &p);
	engine__set_window_cb(e, on_window, l);
	run(e, g, 22 * W);
	for (i = 0; i < l->n; i++) {
		cr_assert(l->ev[i].kind != CEV_DRIFT || l->window[i] > 20, "drift before the jump");
		if (l->ev[i].kind == CEV_DRIFT && l->window[i] > 20)
			flagged = true;
	}
	cr_assert(flagged, "2-D jump not flagged within 2 windows");
	engine__free(e);
	streamgen__free(g);
	free(l);
}
