// SPDX-License-Identifier: MIT
/*
 * Scoring hotspan's windows against what a scenario program knows it did
 * (tests/go/scenario prints its truth before its first access): span IoU
 * over each phase's second half, share error, windows from a change until
 * the new location is reported and until the old one is gone, and cluster
 * events beyond those the truth implies. Used by the scenario tests and by
 * `make eval` (tests/eval/eval.c).
 */
#ifndef HOTSPAN_TESTS_SCORE_H
#define HOTSPAN_TESTS_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRUTH_MAX_PARTS 128

/*
 * How a part's accesses spread over [lo, hi) (1-D): evenly, as a normal
 * law centred on the part with sigma a quarter of its width (cut at two
 * sigmas), or with a density falling as 1 / (1 + 9 (x - lo) / width) (a
 * tenth of the first index's at the last).
 */
enum truth_shape {
	TRUTH_FLAT,
	TRUTH_GAUSS,
	TRUTH_POWER,
};

/*
 * A share p of accesses over [lo, hi) (1-D: [0] only) spread as shape,
 * moving `move` indices an access.
 */
struct truth_part {
	int64_t lo[2], hi[2];
	double p, move;
	bool hot;
	enum truth_shape shape;
};

struct truth_phase {
	uint64_t from, to;		/* accesses */
	size_t nparts;
	struct truth_part part[TRUTH_MAX_PARTS];
};

struct truth_point {
	int64_t at;
	double p;
};

struct truth_event {
	char kind[16];
	uint64_t access;
};

struct truth {
	char array[64];
	unsigned dims;
	uint64_t rows, cols;
	size_t nphases, npoints, nevents;
	struct truth_phase *phases;
	struct truth_point *points;	/* hottest first */
	struct truth_event *events;
	uint64_t end;
};

/* Reads the "truth ..." lines anywhere in text. 0 or -EINVAL (none, or malformed). */
int truth_parse(const char *text, struct truth *t);
void truth_free(struct truth *t);

struct obs_cluster {
	uint64_t id;
	int64_t lo[2], hi[2];
	double share;
};

struct obs_window {
	uint64_t window, events, lost;
	size_t ncl;
	struct obs_cluster *cl;
	uint64_t scat_count;
	double scat_share;
};

struct obs_event {
	char kind[16];
	uint64_t window, id;
};

struct observed {
	size_t nw, nev;
	struct obs_window *w;		/* by window number, from 1 */
	struct obs_event *ev;
};

/* Reads hotspan's -f json window and cluster_event lines of map `map`. 0 or -EINVAL. */
int observed_parse(const char *text, const char *map, struct observed *o);
void observed_free(struct observed *o);
/* The engine lines of a JSON output (windows, cluster events, summaries), for comparing runs. */
char *engine_lines(const char *text);

/* A latency of a location never reported (or never gone). */
#define SCORE_NEVER 99

struct score {
	bool has_spans;		/* the truth has hot ranges or boxes */
	bool has_points;	/* the truth has hot slots (hashed tables) */
	double iou;		/* mean over the windows in second halves of phases */
	double share_err;	/* mean |reported - true share of the reported span| */
	int new_latency;	/* worst, in windows; -1 if no new location */
	int old_latency;	/* worst, in windows; -1 if no old one */
	int extra_events;	/* events beyond the truth's, by kind */
	int missing_events;	/* events of the truth not reported, by kind */
	double width_ratio;	/* points: worst span width over the hot points it covers */
	size_t windows;		/* windows scored */
	double clusters;	/* mean spans reported in the windows scored */
	double hot_parts;	/* mean hot parts of the truth there */
};

/* W: events in a window (count windows), the same for live runs and replays. */
int score_compute(const struct truth *t, const struct observed *o, uint64_t window_events,
		  struct score *s);

#endif
