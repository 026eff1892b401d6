// SPDX-License-Identifier: MIT
/*
 * The scenario suite against the real kernel: each pattern of
 * tests/go/scenario (stationary, several ranges, a jump, a slow drift, a
 * split, a merge, appear and vanish, rate only, intensity only, a 2-D block
 * that moves, a small array, a sequential scan, a hashed table, Zipf keys)
 * is watched live through hotspan with the plain one-liner, no hotspot
 * block, while recording; hotspan's windows are scored against the truth
 * the program printed (tests/lib/score.c), and the goals of the defaults
 * asserted: span IoU >= 0.95 over each phase's second half, share error <=
 * 0.02, a new location reported within one window and an old one gone
 * within two, no event past the first appearance on the patterns whose
 * truth implies none, and no span in a hashed table wider than twice the
 * hot buckets it covers. The recording replayed without a script prints
 * the same windows as the live run; replayed with the other hotspot
 * definitions of tests/lib/scenario.c, it must at least run and score
 * (`make eval` prints their scores).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/scenario.h"

static void run(const char *name)
{
	const struct scenario *sc = NULL;
	char trace[] = "/tmp/hotspan-scenarioXXXXXX";
	struct proc_result live, r;
	struct score s;
	uint64_t lost = 0;
	char *a, *b;
	const char *why = proc_bpf_missing();
	int fd;

	if (why)
		cr_skip_test("%s", why);
	for (unsigned i = 0; i < nscenarios; i++)
		if (!strcmp(scenarios[i].name, name))
			sc = &scenarios[i];
	cr_assert_not_null(sc);
	fd = proc_mkstemp(trace);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(scenario_live(sc, trace, &live), 0);
	cr_assert_eq(live.status, 0, "%s", live.err);
	cr_assert_eq(scenario_score(live.out, live.out, 1024, &s, &lost), 0, "%s", live.out);
	cr_assert_eq(lost, 0, "%s: the ring buffer lost %lu events: windows are not the program's",
		     name, (unsigned long)lost);
	if (s.has_spans)
		cr_expect_geq(s.iou, 0.95, "%s: IoU %.3f", name, s.iou);
	cr_expect_leq(s.share_err, 0.02, "%s: share error %.4f", name, s.share_err);
	cr_expect_leq(s.new_latency, 1, "%s: new location after %d windows", name, s.new_latency);
	cr_expect_leq(s.old_latency, 2, "%s: old location gone after %d windows", name,
		      s.old_latency);
	if (sc->calm)
		cr_expect_eq(s.extra_events, 0, "%s: %d events beyond the truth's", name,
			     s.extra_events);
	cr_expect_leq(s.width_ratio, 2, "%s: a span %.1f times as wide as its hot buckets", name,
		      s.width_ratio);
	cr_expect_gt(s.windows, 5, "%s: %zu windows scored", name, s.windows);

	/* the recording, replayed with no script: the defaults, the same windows */
	cr_assert_eq(scenario_replay(sc, trace, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = engine_lines(live.out);
	b = engine_lines(r.out);
	cr_expect_str_eq(b, a, "%s: replay and live differ", name);
	free(a);
	free(b);
	proc_result_free(&r);
	/* and with the other hotspot definitions */
	for (unsigned d = 0; d < ndefinitions; d++) {
		cr_assert_eq(scenario_replay(sc, trace, &definitions[d], &r), 0);
		cr_expect_eq(r.status, 0, "%s, %s: %s", name, definitions[d].name, r.err);
		cr_expect_eq(scenario_score(live.out, r.out, definitions[d].window, &s, &lost), 0,
			     "%s, %s: no windows", name, definitions[d].name);
		proc_result_free(&r);
	}
	proc_result_free(&live);
	unlink(trace);
}

Test(scenarios, stationary) { run("stationary"); }
Test(scenarios, ranges) { run("ranges"); }
Test(scenarios, jump) { run("jump"); }
Test(scenarios, drift) { run("drift"); }
Test(scenarios, split) { run("split"); }
Test(scenarios, merge) { run("merge"); }
Test(scenarios, appear_vanish) { run("appear_vanish"); }
Test(scenarios, rate) { run("rate"); }
Test(scenarios, intensity) { run("intensity"); }
Test(scenarios, block2d) { run("block2d"); }
Test(scenarios, small) { run("small"); }
Test(scenarios, scan) { run("scan"); }
Test(scenarios, hashed) { run("hashed"); }
Test(scenarios, zipf) { run("zipf"); }
