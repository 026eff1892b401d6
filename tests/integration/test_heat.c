// SPDX-License-Identifier: MIT
/*
 * heat() against the real kernel: examples/go/shift keeps a hot range of its
 * array and moves it once, printing where and after which access. Every
 * access is one event, so with count windows the move falls in a known
 * window. The reported span must match the range before and after the move,
 * the cluster must keep its id, and a drift must be flagged within two
 * windows of the move and at no other time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define WINDOW 2000

static const char script[] =
	"access:build/go/shift:main.table { @hot = heat(index); }\n"
	"hotspot @hot { window = 2000; decay = 0.999; eps = 4; minpts = 5; hot = > 2;"
	" drift = 0.8 for 2 windows; }";

struct win {
	long id, lo, hi;	/* the cluster with the largest share */
	double share;
	int nclusters;
};

/* Window lines of the JSON output, by window number (1-based). */
static int parse_windows(const char *out, struct win *w, int max)
{
	int last = 0;

	for (const char *p = strstr(out, "{\"type\": \"window\""); p;
	     p = strstr(p + 1, "{\"type\": \"window\"")) {
		const char *end = strchr(p, '\n'), *c;
		int n;

		if (sscanf(strstr(p, "\"window\": "), "\"window\": %d", &n) != 1 || n < 1 || n >= max)
			continue;
		memset(&w[n], 0, sizeof(w[n]));
		for (c = strstr(p, "{\"id\": "); c && c < end; c = strstr(c + 1, "{\"id\": ")) {
			struct win k;

			if (sscanf(c, "{\"id\": %ld, \"lo\": %ld, \"hi\": %ld, \"share\": %lf", &k.id,
				   &k.lo, &k.hi, &k.share) != 4)
				continue;
			if (!w[n].nclusters++ || k.share > w[n].share) {
				k.nclusters = w[n].nclusters;
				w[n] = k;
			}
		}
		last = n > last ? n : last;
	}
	return last;
}

Test(heat, moving_hot_range_is_tracked_and_its_drift_flagged)
{
	const char *argv[] = { "build/hotspan", "-f", "json", "-e", script, "-c", "build/go/shift",
			       NULL };
	long from, to, width, moved, end;
	struct win w[256];
	struct proc_result r;
	const char *p;
	int nwin, move, drift_at = 0, drift_id = 0, drifts = 0;
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
	move = (int)(moved / WINDOW) + 1;	/* the first window with moved accesses */
	nwin = parse_windows(r.out, w, 256);
	cr_assert_eq(nwin, end / WINDOW, "windows: %d\n%s", nwin, r.out);

	/* Before the move (after one window of warm-up) and once it has settled. */
	for (int i = 2; i <= nwin; i++) {
		long lo = i < move ? from : to;

		if (i >= move && i < move + 2)
			continue;
		cr_expect_geq(w[i].nclusters, 1, "window %d has no cluster", i);
		cr_expect(w[i].lo >= lo - 2 && w[i].lo <= lo + 10 && w[i].hi >= lo + width - 10 &&
			  w[i].hi <= lo + width + 2,
			  "window %d: span [%ld, %ld), the program's [%ld, %ld)", i, w[i].lo,
			  w[i].hi, lo, lo + width);
		cr_expect_gt(w[i].share, 0.8, "window %d: share %.2f", i, w[i].share);
		cr_expect_eq(w[i].id, w[2].id, "window %d: the cluster changed id", i);
	}
	for (p = strstr(r.out, "\"event\": \"drift\""); p; p = strstr(p + 1, "\"event\": \"drift\"")) {
		const char *line = p;

		while (line > r.out && line[-1] != '\n')
			line--;
		drifts++;
		sscanf(strstr(line, "\"window\": "), "\"window\": %d", &drift_at);
		sscanf(strstr(line, "\"id\": "), "\"id\": %d", &drift_id);
	}
	cr_expect_eq(drifts, 1, "%d drift events\n%s", drifts, r.out);
	cr_expect(drift_at >= move && drift_at <= move + 1, "drift in window %d, moved in %d",
		  drift_at, move);
	cr_expect_eq(drift_id, w[2].id);
	proc_result_free(&r);
}

/* The engine's lines of a JSON output: windows, cluster events, summaries. */
static char *engine_lines(const char *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!strncmp(p, "{\"type\": \"window\"", 17) ||
		    !strncmp(p, "{\"type\": \"cluster_event\"", 24) ||
		    !strncmp(p, "{\"type\": \"summary\"", 18))
			fwrite(p, 1, n, f);
		p += n;
	}
	fclose(f);
	return buf;
}

Test(heat, replay_is_deterministic_and_agrees_with_the_live_run)
{
	char trace[] = "/tmp/hotspan-traceXXXXXX";
	int fd = proc_mkstemp(trace);
	const char *rec[] = { "build/hotspan", "record", "-o", trace, "-f", "json", "-e", script,
			      "-c", "build/go/shift", NULL };
	const char *rep[] = { "build/hotspan", "replay", trace, "-f", "json", "-e", script, NULL };
	const char *other[] = { "build/hotspan", "replay", trace, "-f", "json", "-e",
				"BEGIN { @hot = heat(1); } hotspot @hot { window = 4000; }", NULL };
	struct proc_result live, r1, r2, r3;
	char *live_lines, *replay_lines;
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
	/* Another definition of hot, on the same accesses. */
	cr_assert_eq(proc_run(other, NULL, &r3), 0);
	cr_expect_eq(r3.status, 0, "%s", r3.err);
	cr_expect(strstr(r3.out, "\"window\": 20, \"events\": 4000") != NULL, "%s", r3.out);
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
