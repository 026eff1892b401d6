// SPDX-License-Identifier: MIT
/*
 * A seeded generator of array access streams with known hot ranges, for the
 * engine's tests and benchmarks. The same config (seed included) always
 * gives the same stream, and the generator knows the ground truth: which
 * range, if any, each index belongs to at any moment.
 */
#ifndef HOTSPAN_TESTS_STREAMGEN_H
#define HOTSPAN_TESTS_STREAMGEN_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

#define STREAMGEN_MAX_RANGES 32

/*
 * A hot range: indices [lo, lo + width) (rows; and cols [lo_col, lo_col +
 * width_col) in 2-D), accessed uniformly. It can stay, drift (velocity),
 * jump once, be switched on and off, and change intensity periodically.
 */
struct streamgen_range {
	double lo, width;
	double lo_col, width_col;	/* 2-D only */
	double weight;			/* relative to the other ranges and the background */
	double velocity;		/* indices per event (rows in 2-D) */
	uint64_t on, off;		/* active for events [on, off); off = 0: forever */
	uint64_t jump_at;		/* at this event lo += jump_by (0: never) */
	double jump_by;
	double weight_alt;		/* intensity: weight and weight_alt alternate */
	uint64_t weight_period;		/* ... every weight_period events (0: never) */
	unsigned label;			/* ground truth cluster, > 0; 0 means noise */
};

struct streamgen_config {
	uint64_t seed;
	unsigned dims;			/* 1 or 2 */
	uint64_t length;		/* 1-D: array length; 2-D: rows */
	uint64_t cols;			/* 2-D */
	double background;		/* weight of uniform accesses over the whole array */
	double rate;			/* events per second (exponential gaps) */
	double rate_alt;		/* rate and rate_alt alternate ... */
	uint64_t rate_period;		/* ... every rate_period events (0: never) */
	uint64_t ts0;			/* first timestamp */
	unsigned nranges;
	struct streamgen_range range[STREAMGEN_MAX_RANGES];
};

struct streamgen;

struct streamgen *streamgen__new(const struct streamgen_config *c);
void streamgen__free(struct streamgen *g);
/* The next event; *label (if not NULL) is the range label that produced it, 0 for background. */
void streamgen__next(struct streamgen *g, struct heat_event *ev, unsigned *label);
void streamgen__fill(struct streamgen *g, struct heat_event *ev, size_t n);
uint64_t streamgen__count(const struct streamgen *g);
/* Ground truth now: the label of the first active range holding (row, col), else 0. */
unsigned streamgen__label(const struct streamgen *g, int64_t row, int64_t col);
/* Where range i is now: its first index (row) and its standard deviation along it. */
double streamgen__range_lo(const struct streamgen *g, unsigned i);
double streamgen__range_sigma(const struct streamgen *g, unsigned i);

/* Adjusted Rand index of two labelings of the same n points (1 when both are trivial). */
double streamgen_ari(const unsigned *a, const unsigned *b, size_t n);

#endif
