// SPDX-License-Identifier: MIT
/*
 * Running the scenario suite: the table of patterns (which array each
 * watches, whether its truth implies any event past the first appearance),
 * the other hotspot definitions the recordings are replayed with, and the
 * commands. Live runs use the plain one-liner, no hotspot block: the
 * defaults are what is measured.
 */
#include "tests/lib/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct scenario scenarios[] = {
	{ "stationary", "main.arr", 1, true },
	{ "ranges", "main.arr", 1, true },
	{ "jump", "main.arr", 1, false },
	{ "drift", "main.arr", 1, false },
	{ "split", "main.arr", 1, false },
	{ "merge", "main.arr", 1, false },
	{ "appear_vanish", "main.arr", 1, false },
	{ "rate", "main.arr", 1, true },
	{ "intensity", "main.arr", 1, true },
	{ "block2d", "main.grid", 2, false },
	{ "small", "main.small", 1, true },
	{ "scan", "main.arr", 1, true },
	{ "hashed", "main.table", 1, true },
	{ "zipf", "main.slots", 1, true },
};
const unsigned nscenarios = sizeof(scenarios) / sizeof(scenarios[0]);

const struct definition definitions[] = {
	{ "window = 4096", "window = 4096;", 4096 },
	{ "p99, eps = 8, minpts = 4", "hot = p99; eps = 8; minpts = 4;", 1024 },
	{ "halflife = 500ms", "halflife = 500ms;", 1024 },
};
const unsigned ndefinitions = sizeof(definitions) / sizeof(definitions[0]);

long scenario_seed;

int scenario_live(const struct scenario *sc, const char *trace, struct proc_result *r)
{
	char prog[256], cmd[256];
	const char *argv[] = { "build/hotspan", "record", "-o", trace, "-f", "json", "-e", prog,
			       "-c", cmd, NULL };

	snprintf(prog, sizeof(prog), "access:build/go/scenario:%s { @h = heat(%s); }", sc->array,
		 sc->dims == 2 ? "row, col" : "index");
	if (scenario_seed)
		snprintf(cmd, sizeof(cmd), "build/go/scenario -pattern %s -seed %ld", sc->name,
			 scenario_seed);
	else
		snprintf(cmd, sizeof(cmd), "build/go/scenario -pattern %s", sc->name);
	return proc_run(argv, NULL, r);
}

int scenario_replay(const struct scenario *sc, const char *trace, const struct definition *def,
		    struct proc_result *r)
{
	char prog[512];
	const char *plain[] = { "build/hotspan", "replay", trace, "-f", "json", NULL };
	const char *with[] = { "build/hotspan", "replay", trace, "-f", "json", "-e", prog, NULL };

	if (!def)
		return proc_run(plain, NULL, r);
	snprintf(prog, sizeof(prog), "BEGIN { @h = heat(%s); } hotspot @h { %s }",
		 sc->dims == 2 ? "1, 1" : "1", def->block);
	return proc_run(with, NULL, r);
}

int scenario_score(const char *truth_text, const char *out, uint64_t window, struct score *s,
		   uint64_t *lost)
{
	struct truth t;
	struct observed o;
	int err = truth_parse(truth_text, &t);

	if (err)
		return err;
	err = observed_parse(out, "@h", &o);
	if (!err) {
		*lost = 0;
		for (size_t i = 0; i < o.nw; i++)
			*lost += o.w[i].lost;
		err = score_compute(&t, &o, window, s);
	}
	observed_free(&o);
	truth_free(&t);
	return err;
}
