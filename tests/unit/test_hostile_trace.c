// SPDX-License-Identifier: MIT
/*
 * Crafted traces against the engine (issue 14, defect 11): what a hostile
 * or damaged trace can say is still counted and clustered without undefined
 * behaviour. Timestamps near 2^64 with a half-life decay, and lost counts
 * that would wrap around, are the two found by hand; the fuzz harness of
 * tests/fuzz/fuzz_trace.c looks for more. Run under UBSan by `.ci/run`.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/trace.h"

static struct engine *halflife_engine(void)
{
	struct hotspot_params p;
	struct engine *e;

	hotspot_params_default(&p);
	p.window_events = 1000;
	p.window_ns = 0;
	p.halflife_ns = 1000;	/* 1 us: 2^64 ns is 2^54 half-lives */
	p.decay = 0;
	e = engine__new("@h", 1, &p);
	cr_assert_not_null(e, "engine__new: %s", strerror(errno));
	return e;
}

/*
 * An access after a gap of nearly 2^64 ns: everything before it has decayed
 * to nothing, and the engine carries on with the new index at a finite
 * hotness (it was (int)floor() of 1.8e13 half-lives, undefined behaviour,
 * and a threshold of NaN).
 */
Test(hostile, timestamp_near_2_64_with_halflife)
{
	struct engine *e = halflife_engine();
	struct heat_event ev[70];
	const struct engine_snapshot *s;
	struct engine_stats st;
	double h;

	for (int i = 0; i < 40; i++)
		ev[i] = (struct heat_event){ .ts_ns = (uint64_t)i, .col = 5 };
	for (int i = 40; i < 70; i++)
		ev[i] = (struct heat_event){ .ts_ns = UINT64_MAX - 70 + (uint64_t)i, .col = 9 };
	cr_assert_eq(engine__push(e, ev, 70), 0);
	cr_assert_eq(engine__flush(e), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.events, 70);
	s = engine__snapshot_get(e);
	cr_assert_not_null(s);
	h = engine__hotness(e, 0, 9);
	cr_assert_eq(engine_snapshot__active(s), 1, "index 5 is forgotten, index 9 is left");
	cr_assert(h > 29.5 && h < 30.5, "index 9's hotness is its 30 accesses, not %g", h);
	cr_assert(isfinite(engine_snapshot__uniform(s)) && isfinite(engine_snapshot__background(s)),
		  "the levels stay finite");
	engine_snapshot__put(s);
	engine__free(e);
}

/* Two records of UINT64_MAX lost events are at least UINT64_MAX, not UINT64_MAX - 1. */
Test(hostile, lost_counts_saturate)
{
	struct engine *e = halflife_engine();
	struct engine_stats st;

	cr_assert_eq(engine__add_lost(e, UINT64_MAX), 0);
	cr_assert_eq(engine__add_lost(e, UINT64_MAX), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.lost, UINT64_MAX);
	cr_assert_eq(engine__flush(e), 0);
	engine__free(e);
}

/* The same two through a trace file and replay, as `hotspan replay` reads it. */
Test(hostile, lost_records_in_a_trace_saturate)
{
	static const struct trace_map maps[1] = { { .name = "@h", .dims = 1 } };
	struct engine *e = halflife_engine(), *engines[1] = { e };
	struct trace_writer *w;
	struct trace_reader *r;
	struct engine_stats st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	w = trace_writer__new(f, maps, 1, NULL);
	cr_assert_not_null(w);
	cr_assert_eq(trace_writer__lost(w, 0, UINT64_MAX), 0);
	cr_assert_eq(trace_writer__lost(w, 0, UINT64_MAX), 0);
	cr_assert_eq(trace_writer__finish(w), 0);
	trace_writer__free(w);
	fclose(f);
	r = trace_reader__new_mem(buf, len);
	cr_assert_not_null(r);
	cr_assert_eq(trace_replay(r, engines), 0);
	engine__stats(e, &st);
	cr_assert_eq(st.lost, UINT64_MAX);
	trace_reader__free(r);
	engine__free(e);
	free(buf);
}
