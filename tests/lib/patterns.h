// SPDX-License-Identifier: MIT
/*
 * Synthetic access patterns with known truth, beyond the scenario suite's
 * Go programs: written as trace files (engine/trace.h) and replayed through
 * the real `hotspan replay`, so they exercise the same engine, renderers and
 * defaults as a live run, at a million events a second instead of a
 * hundred thousand. Each pattern prints the same truth lines as
 * tests/go/scenario (tests/lib/score.h), so tests/lib/score.c scores both.
 * Used by tests/eval/patterns.c (`make eval-patterns`, the whole table,
 * with the goals each pattern meets or misses).
 */
#ifndef HOTSPAN_TESTS_PATTERNS_H
#define HOTSPAN_TESTS_PATTERNS_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/lib/proc.h"
#include "tests/lib/score.h"

struct pattern {
	const char *name;
	const char *what;	/* one line for the table */
	bool calm;		/* the truth implies no event past the first appearances */
	const char *block;	/* a hotspot block to replay with (NULL: the defaults) */
	uint64_t window;	/* its window in events (0: 1024) */
	bool goals;		/* the defaults must meet every goal (the others: shown) */
};

extern const struct pattern patterns[];
extern const unsigned npatterns;

const struct pattern *pattern_find(const char *name);

/*
 * Writes the pattern's trace (seeded) to trace_path and its truth lines to
 * *truth (malloc'd). 0 or -errno.
 */
int pattern_write(const struct pattern *pt, uint64_t seed, const char *trace_path, char **truth);

/* `hotspan replay TRACE -f FMT` with the pattern's block, if any. 0 or -errno. */
int pattern_replay(const struct pattern *pt, const char *trace_path, const char *fmt,
		   struct proc_result *r);

/* Writes, replays and scores the pattern. 0 or -errno; *lost gets lost events (none). */
int pattern_run(const struct pattern *pt, uint64_t seed, struct score *s);

/* Does a score meet the goals of issue 12 (calm: no extra event)? why: the first miss. */
bool pattern_meets_goals(const struct pattern *pt, const struct score *s, const char **why);

#endif
