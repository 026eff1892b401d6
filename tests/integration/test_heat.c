// SPDX-License-Identifier: MIT
/*
 * heat() against the real kernel, with the engine's defaults:
 * examples/shift.hot (no hotspot block) on examples/go/shift, which keeps a
 * hot range of its array and moves it once by half its width, printing
 * where and after which access. Every access is one event, so with count
 * windows the move falls in a known window. The reported span must be the
 * range before and after the move, its share the range's, the cluster must
 * keep its id, and one drift must be flagged soon after the move and no
 * other event but the first appearance. A recording replayed with no
 * script runs the defaults and prints the same windows as the live run.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/proc.h"
#include "tests/lib/score.h"

#define WINDOW 1024

Test(heat, the_shift_demo_with_the_defaults)
{
	const char *argv[] = { "build/hotspan", "-f", "json", "examples/shift.hot", "-c",
			       "build/go/shift", NULL };
	long from, to, width, moved, end;
	struct proc_result r;
	struct observed o;
	const char *p;
	uint64_t id = 0, move;
	size_t drifts = 0, i;
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	p = strstr(r.out, "hot [");
	cr_assert(p && sscanf(p, "hot [%ld, %ld) for accesses [0, %ld)", &from, &width, &moved) == 3,
		  "%s", r.out);
	width -= from;
	p = strstr(p + 1, "hot [");
	cr_assert(p && sscanf(p, "hot [%ld, %*d) for accesses [%*d, %ld)", &to, &end) == 2);
	move = (uint64_t)moved / WINDOW + 1;	/* the window the move falls in */
	cr_assert_eq(observed_parse(r.out, "@hot", &o), 0, "%s", r.out);
	cr_assert_eq(o.nw - 1, (size_t)(end + WINDOW - 1) / WINDOW, "windows: %zu\n%s", o.nw - 1, r.out);

	/* Before the move and once its old half is gone (two windows after) */
	for (i = 2; i < o.nw; i++) {
		const struct obs_window *w = &o.w[i];
		long lo = i < move ? from : to;

		if (i >= move && i < move + 2)
			continue;
		cr_assert_eq(w->ncl, 1, "window %zu: %zu clusters", i, w->ncl);
		cr_expect(w->cl[0].lo[0] >= lo && w->cl[0].lo[0] <= lo + 3 &&
			  w->cl[0].hi[0] >= lo + width - 3 && w->cl[0].hi[0] <= lo + width,
			  "window %zu: span [%ld, %ld), the program's [%ld, %ld)", i,
			  (long)w->cl[0].lo[0], (long)w->cl[0].hi[0], lo, lo + width);
		/* 19 in 20 accesses in the range; after the move, its hotness catches up */
		if (i < move || i >= move + 6)
			cr_expect_float_eq(w->cl[0].share, 0.95, 0.02, "window %zu: share %.3f", i,
					   w->cl[0].share);
		if (!id)
			id = w->cl[0].id;
		cr_expect_eq(w->cl[0].id, id, "window %zu: the cluster changed id", i);
	}
	for (i = 0; i < o.nev; i++) {
		if (!strcmp(o.ev[i].kind, "appear"))
			continue;
		cr_expect_str_eq(o.ev[i].kind, "drift", "window %lu", (unsigned long)o.ev[i].window);
		cr_expect(o.ev[i].window >= move && o.ev[i].window <= move + 4,
			  "drift in window %lu, moved in %lu", (unsigned long)o.ev[i].window,
			  (unsigned long)move);
		cr_expect_eq(o.ev[i].id, id);
		drifts++;
	}
	cr_expect_eq(drifts, 1, "%zu drift events\n%s", drifts, r.out);
	cr_expect(strstr(r.out, "\"sites\": [{\"site\": \"main.touch+0x"), "%s", r.out);
	cr_expect(strstr(r.out, "examples/go/shift/main.go:21\", \"share\": 1.0000}]"), "%s", r.out);
	observed_free(&o);
	proc_result_free(&r);
}

Test(heat, replay_is_deterministic_and_agrees_with_the_live_run)
{
	char trace[] = "/tmp/hotspan-traceXXXXXX";
	int fd = proc_mkstemp(trace);
	const char *rec[] = { "build/hotspan", "record", "-o", trace, "-f", "json",
			      "examples/shift.hot", "-c", "build/go/shift", NULL };
	const char *rep[] = { "build/hotspan", "replay", trace, "-f", "json", "examples/shift.hot",
			      NULL };
	const char *plain[] = { "build/hotspan", "replay", trace, "-f", "json", NULL };
	const char *other[] = { "build/hotspan", "replay", trace, "-f", "json", "-e",
				"BEGIN { @hot = heat(1); } hotspot @hot { window = 4000; }", NULL };
	struct proc_result live, r1, r2, r3;
	char *live_lines, *replay_lines, *plain_lines;
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(proc_run(rec, NULL, &live), 0);
	cr_assert_eq(live.status, 0, "%s", live.err);
	cr_assert_eq(proc_run(rep, NULL, &r1), 0);
	cr_assert_eq(proc_run(rep, NULL, &r2), 0);
	cr_assert_eq(r1.status, 0, "%s", r1.err);
	cr_expect_str_eq(r1.out, r2.out, "two replays differ");
	live_lines = engine_lines(live.out);
	replay_lines = engine_lines(r1.out);
	cr_expect_gt(strlen(live_lines), 0);
	cr_expect_str_eq(replay_lines, live_lines, "replay and live differ");
	/* no script: the defaults on every heat map of the trace, the same as the script's */
	proc_result_free(&r2);
	cr_assert_eq(proc_run(plain, NULL, &r2), 0);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	plain_lines = engine_lines(r2.out);
	cr_expect_str_eq(plain_lines, live_lines, "replay without a script and live differ");
	/* Another definition of hot, on the same accesses. */
	cr_assert_eq(proc_run(other, NULL, &r3), 0);
	cr_expect_eq(r3.status, 0, "%s", r3.err);
	cr_expect(strstr(r3.out, "\"window\": 20, \"start_ns\": ") != NULL, "%s", r3.out);
	cr_expect(strstr(r3.out, "\"events\": 4000, \"lost\": 0") != NULL, "%s", r3.out);
	cr_expect(strstr(r3.out, "\"window\": 21,") == NULL, "%s", r3.out);
	/* A recording cut short says so. */
	cr_assert_eq(truncate(trace, 4000), 0);
	proc_result_free(&r2);
	cr_assert_eq(proc_run(rep, NULL, &r2), 0);
	cr_expect_eq(r2.status, 1);
	cr_expect(strstr(r2.err, "error: cannot replay: truncated: the recording did not finish\n")
		  != NULL, "%s", r2.err);
	free(live_lines);
	free(replay_lines);
	free(plain_lines);
	proc_result_free(&live);
	proc_result_free(&r1);
	proc_result_free(&r2);
	proc_result_free(&r3);
	unlink(trace);
}

Test(heat, a_damaged_trace_is_one_clear_error)
{
	char trace[] = "/tmp/hotspan-badXXXXXX";
	int fd = proc_mkstemp(trace);
	const char *rep[] = { "build/hotspan", "replay", trace, NULL };
	struct proc_result r;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "not a trace at all, just text\n", 30), 30);
	close(fd);
	cr_assert_eq(proc_run(rep, NULL, &r), 0);
	cr_expect_eq(r.status, 1);
	cr_expect_str_eq(r.err, "error: cannot replay: not a hotspan trace, or corrupt\n");
	proc_result_free(&r);
	unlink(trace);
}

/* Every window, the last partial one included, comes before the maps at
 * the end; the heat map's summary after them. */
Test(heat, the_last_window_comes_before_the_maps)
{
	const char *argv[] = { "build/hotspan", "-f", "json", "-e",
			       "access:build/go/gobin_array:main.table { @h = heat(index); "
			       "@c = count(); }",
			       "-c", "build/go/gobin_array", NULL };
	struct proc_result r;
	const char *maps, *summary, *last = NULL;

	if (proc_bpf_missing())
		cr_skip_test("%s", proc_bpf_missing());
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	maps = strstr(r.out, "{\"type\": \"map\", \"data\": {\"@c\": 20346}}\n");
	summary = strstr(r.out, "{\"type\": \"summary\", \"data\": {\"map\": \"@h\", \"windows\": 20,");
	for (const char *p = r.out; (p = strstr(p, "{\"type\": \"window\", ")); p++)
		last = p;
	cr_assert(maps && summary && last, "%s", r.out);
	cr_expect(strstr(last, "\"window\": 20, ") != NULL, "the last window: %.90s", last);
	cr_expect(last < maps, "the last window follows the maps:\n%s", r.out);
	cr_expect(maps < summary, "the summary comes before the maps:\n%s", r.out);
	proc_result_free(&r);
}
