// SPDX-License-Identifier: MIT
/*
 * What watching costs a target that does nothing but the watched access,
 * and what --budget keeps of it. build/go/hammer makes as many accesses to
 * main.table as it can for SECONDS, in three hot ranges of different widths
 * and shares over a uniform background (-ranges 3), and prints its rate; it runs unwatched,
 * watched by `access:HAMMER:main.table { @h = heat(index); }` with -c, and
 * watched with --budget 1, 5 and 20. ROUNDS rounds, each mode once a round,
 * the order rotated, so that a busy spell of the shared machine slows every
 * mode alike; medians are printed.
 *
 * For each mode: the target's throughput as a ratio to unwatched (goal:
 * at least 1 - (budget + 2 points)); hotspan's own estimate of the share of
 * the target's time its probes took (the cost line); and the overlap (IoU)
 * of the heat map's hot spans, the clusters alive at the end of the run
 * (the JSON summary), with those of the first run watched without a budget (goal:
 * 0.9 or more). Two runs without a budget are compared too: that IoU is
 * the engine's own run-to-run agreement, the most a budgeted run can
 * reach. Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HAMMER "build/go/hammer"
#define HOTSPAN "build/hotspan"
#define SECONDS "20"
#define ROUNDS 5
#define MAX_SPANS 64
#define TABLE 65536

enum { UNWATCHED, WATCHED, B1, B5, B20, NMODES };
static const char *const mode_names[NMODES] = { "unwatched", "watched", "--budget 1",
						"--budget 5", "--budget 20" };
static const char *const budgets[NMODES] = { NULL, NULL, "1", "5", "20" };

struct run {
	double rate;		/* accesses a second */
	double share;		/* hotspan's estimate, or -1 */
	double sampled;		/* the share of time attached, or 1 */
	int nspans;
	long lo[MAX_SPANS], hi[MAX_SPANS];
	bool ok;
};

static double num_after(const char *s, const char *key)
{
	const char *p = s ? strstr(s, key) : NULL;

	return p ? atof(p + strlen(key)) : -1;
}

/* The clusters alive at the end, from the summary's "lo": .., "hi": ..,
 * ... "end": "alive" records. */
static void spans_of(const char *out, struct run *r)
{
	const char *sum = strstr(out, "{\"type\": \"summary\"");

	for (const char *c = sum ? strstr(sum, "{\"id\": ") : NULL; c && r->nspans < MAX_SPANS;
	     c = strstr(c + 1, "{\"id\": ")) {
		const char *end = strstr(c, "\"end\": \"");

		if (!end)
			break;
		if (strncmp(end + 8, "alive", 5))
			continue;
		r->lo[r->nspans] = (long)num_after(c, "\"lo\": ");
		r->hi[r->nspans++] = (long)num_after(c, "\"hi\": ");
	}
}

static struct run run_mode(int mode)
{
	const char *plain[] = { HAMMER, "-ranges", "3", "-seconds", SECONDS, NULL };
	const char *watched[] = { HOTSPAN, "-f", "json", "-e",
				  "access:" HAMMER ":main.table { @h = heat(index); }", "-c",
				  HAMMER " -ranges 3 -seconds " SECONDS, NULL, NULL, NULL };
	struct proc_result r;
	struct run out = { .share = -1, .sampled = 1 };

	if (budgets[mode]) {
		watched[7] = "--budget";
		watched[8] = budgets[mode];
	}
	if (proc_run(mode == UNWATCHED ? plain : watched, NULL, &r) || r.status) {
		fprintf(stderr, "%s failed: %.300s\n", mode_names[mode], r.err);
		return out;
	}
	out.rate = num_after(r.out, "rate: ");
	if (mode != UNWATCHED) {
		const char *cost = strstr(r.out, "{\"type\": \"cost\"");

		out.share = num_after(cost, "\"share\": ");
		if (num_after(cost, "\"sampled\": ") > 0)
			out.sampled = num_after(cost, "\"sampled\": ");
		spans_of(r.out, &out);
	}
	out.ok = out.rate > 0;
	proc_result_free(&r);
	return out;
}

static double iou(const struct run *a, const struct run *b)
{
	static unsigned char in[TABLE];
	long both = 0, either = 0;

	memset(in, 0, sizeof(in));
	for (int i = 0; i < a->nspans; i++)
		for (long k = a->lo[i]; k < a->hi[i] && k < TABLE; k++)
			in[k] |= 1;
	for (int i = 0; i < b->nspans; i++)
		for (long k = b->lo[i]; k < b->hi[i] && k < TABLE; k++)
			in[k] |= 2;
	for (long k = 0; k < TABLE; k++) {
		both += in[k] == 3;
		either += in[k] != 0;
	}
	return either ? (double)both / either : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

int main(void)
{
	static struct run runs[ROUNDS][NMODES];
	struct run extra;

	if (proc_bpf_missing()) {
		printf("bench_budget: skipped (%s)\n", proc_bpf_missing());
		return 0;
	}
	if (access(HAMMER, X_OK)) {
		printf("bench_budget: skipped (no %s: make %s)\n", HAMMER, HAMMER);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("a target hammering main.table for %s s, unwatched, watched by heat(index), and "
	       "with --budget\n(%d rounds, each mode once a round in rotated order; medians)\n",
	       SECONDS, ROUNDS);
	for (int r = 0; r < ROUNDS; r++)
		for (int j = 0; j < NMODES; j++) {
			int m = (r + j) % NMODES;

			runs[r][m] = run_mode(m);
		}
	extra = run_mode(WATCHED);
	printf("  %-12s %14s %10s %10s %10s %8s  goal\n", "", "accesses/s", "ratio", "estimate",
	       "attached", "IoU");
	for (int m = 0; m < NMODES; m++) {
		double rate[ROUNDS], ratio[ROUNDS], share[ROUNDS], att[ROUNDS], ov[ROUNDS];
		int n = 0;

		for (int r = 0; r < ROUNDS; r++) {
			if (!runs[r][m].ok || !runs[r][UNWATCHED].ok)
				continue;
			rate[n] = runs[r][m].rate;
			ratio[n] = runs[r][m].rate / runs[r][UNWATCHED].rate;
			share[n] = runs[r][m].share;
			att[n] = runs[r][m].sampled;
			ov[n++] = m >= B1 && runs[0][WATCHED].ok ? iou(&runs[r][m], &runs[0][WATCHED]) :
								   -1;
		}
		if (!n) {
			printf("  %-12s failed\n", mode_names[m]);
			continue;
		}
		printf("  %-12s %14.0f %10.4f", mode_names[m], median(rate, n), median(ratio, n));
		if (m == UNWATCHED) {
			printf("\n");
			continue;
		}
		printf(" %9.1f%% %9.1f%%", 100 * median(share, n), 100 * median(att, n));
		if (m >= B1) {
			double b = atof(budgets[m]);

			printf(" %8.3f  ratio >= %.2f %s, IoU >= 0.9 %s\n", median(ov, n),
			       1 - (b + 2) / 100,
			       median(ratio, n) >= 1 - (b + 2) / 100 ? "met" : "MISSED",
			       median(ov, n) >= 0.9 ? "met" : "MISSED");
		} else {
			printf("\n");
		}
	}
	if (runs[0][WATCHED].ok && extra.ok)
		printf("  two runs without a budget: IoU %.3f (the engine's own run-to-run "
		       "agreement)\n", iou(&runs[0][WATCHED], &extra));
	return 0;
}
