// SPDX-License-Identifier: MIT
/*
 * The scenario suite: tests/go/scenario's patterns, watched live through
 * the real hotspan with the plain one-liner while recording, and replayed
 * from the recording with the defaults or another hotspot definition.
 * Shared by tests/integration/test_scenarios.c (which asserts the goals
 * for the defaults) and tests/eval/eval.c (`make eval`, the scoreboard).
 */
#ifndef HOTSPAN_TESTS_SCENARIO_H
#define HOTSPAN_TESTS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/lib/proc.h"
#include "tests/lib/score.h"

struct scenario {
	const char *name;	/* -pattern */
	const char *array;	/* the global the one-liner watches */
	unsigned dims;
	bool calm;		/* the truth implies no event after the first appearance */
};

extern const struct scenario scenarios[];
extern const unsigned nscenarios;

/* Another hotspot definition, replayed on the recordings. */
struct definition {
	const char *name;
	const char *block;	/* the body of `hotspot @h { ... }` */
	uint64_t window;	/* its window, in events */
};

extern const struct definition definitions[];
extern const unsigned ndefinitions;

/*
 * hotspan record -o trace -f json -e 'access:build/go/scenario:main.ARR {
 * @h = heat(index); }' -c 'build/go/scenario -pattern NAME'. 0 or -errno.
 */
int scenario_live(const struct scenario *sc, const char *trace, struct proc_result *r);
/* The program's -seed for scenario_live(); 0 leaves its default (1). */
extern long scenario_seed;
/* hotspan replay trace -f json, with no script (def NULL) or with def's block. */
int scenario_replay(const struct scenario *sc, const char *trace, const struct definition *def,
		    struct proc_result *r);
/* Scores hotspan's JSON output text against the truth in truth_text. 0 or -errno. */
int scenario_score(const char *truth_text, const char *out, uint64_t window, struct score *s,
		   uint64_t *lost);

#endif
