// SPDX-License-Identifier: MIT
/*
 * `make eval-engine`: the scoreboard of the scenario suite. Each pattern of
 * tests/go/scenario runs once live through hotspan with the plain
 * one-liner (the defaults) while recording; the recording is replayed with
 * the defaults (which must print the same windows as the live run), with
 * each other hotspot definition of tests/lib/scenario.c, and handed to
 * plain DBSCAN (scikit-learn, tests/eval/dbscan.py) on the same windows as
 * a reference. Every row is scored against the program's own truth
 * (tests/lib/score.c) and printed as a table; rows of the defaults that
 * miss a goal are marked. `eval SEED` runs the patterns with another seed.
 * DBSCAN runs in /usr/bin/python3, where Debian's python3-sklearn is
 * (EVAL_PYTHON names another). Not a test: it prints, and exits 1 only
 * when a run fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/scenario.h"

static void cell_int(char *buf, size_t len, int v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else if (v >= SCORE_NEVER)
		snprintf(buf, len, "no");
	else
		snprintf(buf, len, "%d", v);
}

static void row(const char *scenario, const char *def, const struct score *s, bool goals,
		bool calm)
{
	char iou[16], err[16], nl[16], ol[16], wr[16];
	bool miss = false;

	/* no window inside the second half of a phase (windows as long as phases): no score */
	if (s->has_spans && s->windows)
		snprintf(iou, sizeof(iou), "%.3f", s->iou);
	else
		snprintf(iou, sizeof(iou), "-");
	if (s->windows)
		snprintf(err, sizeof(err), "%.4f", s->share_err);
	else
		snprintf(err, sizeof(err), "-");
	cell_int(nl, sizeof(nl), s->new_latency);
	cell_int(ol, sizeof(ol), s->old_latency);
	if (s->width_ratio > 0)
		snprintf(wr, sizeof(wr), s->width_ratio > 1e6 ? "inf" : "%.1f", s->width_ratio);
	else
		snprintf(wr, sizeof(wr), "-");
	if (goals)
		miss = !s->windows || (s->has_spans && s->iou < 0.95) || s->share_err > 0.02 ||
		       s->new_latency > 1 || s->old_latency > 2 || (calm && s->extra_events) ||
		       s->width_ratio > 2;
	printf("| %-14s | %-26s | %6s | %9s | %3s | %3s | %5d | %7d | %5s |%s\n", scenario, def,
	       iou, err, nl, ol, s->extra_events, s->missing_events, wr,
	       miss ? " miss" : "");
}

int main(int argc, char **argv)
{
	char trace[] = "/tmp/hotspan-evalXXXXXX";
	int fd = mkstemp(trace), rc = 0;
	const char *why = proc_bpf_missing();
	/* Debian's python3-sklearn is Debian's python3's */
	const char *python = getenv("EVAL_PYTHON") ? getenv("EVAL_PYTHON") : "/usr/bin/python3";

	if (argc > 1)
		scenario_seed = strtol(argv[1], NULL, 10);
	if (why) {
		fprintf(stderr, "eval: %s\n", why);
		return 1;
	}
	if (fd < 0)
		return 1;
	close(fd);
	printf("| scenario       | definition                 |    IoU | share err | new | old | extra | missing | width |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned i = 0; i < nscenarios; i++) {
		const struct scenario *sc = &scenarios[i];
		struct proc_result live, r;
		struct score s;
		uint64_t lost = 0;
		char *a, *b, cmd[512];

		if (scenario_live(sc, trace, &live) || live.status) {
			fprintf(stderr, "eval: %s: hotspan failed\n%s", sc->name, live.err);
			rc = 1;
			continue;
		}
		if (scenario_score(live.out, live.out, 1024, &s, &lost)) {
			fprintf(stderr, "eval: %s: no truth or no windows\n", sc->name);
			rc = 1;
			continue;
		}
		row(sc->name, lost ? "defaults (live, LOST)" : "defaults (live)", &s, true, sc->calm);
		if (!scenario_replay(sc, trace, NULL, &r)) {
			a = engine_lines(live.out);
			b = engine_lines(r.out);
			if (strcmp(a, b)) {
				printf("| %-14s | %-26s | replay differs from live |\n", sc->name,
				       "defaults (replay)");
				rc = 1;
			}
			free(a);
			free(b);
			proc_result_free(&r);
		}
		for (unsigned d = 0; d < ndefinitions; d++) {
			if (scenario_replay(sc, trace, &definitions[d], &r) || r.status ||
			    scenario_score(live.out, r.out, definitions[d].window, &s, &lost)) {
				printf("| %-14s | %-26s | failed |\n", sc->name, definitions[d].name);
				proc_result_free(&r);
				continue;
			}
			row(sc->name, definitions[d].name, &s, false, sc->calm);
			proc_result_free(&r);
		}
		snprintf(cmd, sizeof(cmd), "%s tests/eval/dbscan.py %s 1024 %u", python, trace,
			 sc->dims);
		{
			FILE *p = popen(cmd, "r");
			char *out = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&out, &len);
			char buf[4096];
			size_t n;

			while (p && (n = fread(buf, 1, sizeof(buf), p)) > 0)
				fwrite(buf, 1, n, m);
			fclose(m);
			if (!p || pclose(p) || scenario_score(live.out, out, 1024, &s, &lost))
				printf("| %-14s | %-26s | failed |\n", sc->name, "DBSCAN (sklearn)");
			else
				row(sc->name, "DBSCAN eps 8, min 8", &s, false, sc->calm);
			free(out);
		}
		proc_result_free(&live);
		fflush(stdout);
	}
	unlink(trace);
	return rc;
}
