// SPDX-License-Identifier: MIT
/*
 * `make eval-patterns`: the synthetic patterns of tests/lib/patterns.c,
 * each written as a trace, replayed through build/hotspan with the
 * defaults (or its own block) and scored against its truth, as a table.
 * `patterns [-s SEED] [NAME ...]` runs some; `patterns -v NAME` prints
 * the replay's text output and the truth instead. Not a test: it prints,
 * and exits 1 only when a run fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/patterns.h"

static void cell_int(char *buf, size_t len, int v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else if (v >= SCORE_NEVER)
		snprintf(buf, len, "no");
	else
		snprintf(buf, len, "%d", v);
}

static int show(const struct pattern *pt, uint64_t seed)
{
	char path[] = "/tmp/hotspan-patternXXXXXX", *truth = NULL;
	struct proc_result r = { 0 };
	int fd = mkstemp(path), err;

	if (fd < 0)
		return 1;
	close(fd);
	err = pattern_write(pt, seed, path, &truth);
	if (!err)
		err = pattern_replay(pt, path, "text", &r);
	if (!err)
		printf("%s%s%s", truth, r.out, r.err);
	unlink(path);
	free(truth);
	proc_result_free(&r);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	int i = 1, rc = 0;
	bool all;

	if (argc > 2 && !strcmp(argv[1], "-v")) {
		const struct pattern *pt = pattern_find(argv[2]);

		return pt ? show(pt, argc > 3 ? strtoull(argv[3], NULL, 10) : 1) : 2;
	}
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		seed = strtoull(argv[2], NULL, 10);
		i = 3;
	}
	all = i >= argc;
	printf("| pattern | what | IoU | share err | new | old | extra | missing | width | spans | miss |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (unsigned k = 0; k < npatterns; k++) {
		const struct pattern *pt = &patterns[k];
		char iou[16], nl[16], ol[16], wr[16], sp[32];
		const char *why = NULL;
		struct score s;
		bool want = all;

		for (int j = i; j < argc; j++)
			want |= !strcmp(argv[j], pt->name);
		if (!want)
			continue;
		if (pattern_run(pt, seed, &s)) {
			printf("| %s | %s | failed |\n", pt->name, pt->what);
			rc = 1;
			continue;
		}
		snprintf(iou, sizeof(iou), s.has_spans && s.windows ? "%.3f" : "-", s.iou);
		cell_int(nl, sizeof(nl), s.new_latency);
		cell_int(ol, sizeof(ol), s.old_latency);
		if (s.width_ratio > 0)
			snprintf(wr, sizeof(wr), s.width_ratio > 1e6 ? "inf" : "%.1f", s.width_ratio);
		else
			snprintf(wr, sizeof(wr), "-");
		snprintf(sp, sizeof(sp), "%.1f/%.0f", s.clusters, s.hot_parts);
		pattern_meets_goals(pt, &s, &why);
		printf("| %s | %s | %s | %.4f | %s | %s | %d | %d | %s | %s | %s |\n", pt->name,
		       pt->what, iou, s.share_err, nl, ol, s.extra_events, s.missing_events, wr, sp,
		       why ? why : "");
		fflush(stdout);
	}
	return rc;
}
