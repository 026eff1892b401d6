// SPDX-License-Identifier: MIT
/*
 * The clustering engine's results for people and programs: each window's
 * table and JSON line, the cluster events, and the end-of-run summary.
 * Built on the engine's public accessors only (engine/engine.h); the
 * engine itself never prints.
 */
#ifndef HOTSPAN_OUTPUT_SNAPSHOT_H
#define HOTSPAN_OUTPUT_SNAPSHOT_H

#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"

/* Names of the access sites events carry ("main.get+0x1e main.go:27"), by site id. */
struct site_names {
	const char *const *names;	/* NULL or "" where unknown */
	size_t n;
};

/*
 * Renderers: they write to the FILE * given and return 0 or -EIO. The same
 * snapshot and names always give the same bytes (doubles with fixed
 * decimals, never %g), which is what makes replay byte-identical.
 */
int snapshot_print_table(const struct engine_snapshot *s, const struct site_names *sites,
			 FILE *f);
/* One line per cluster event of the window. */
int snapshot_print_events(const struct engine_snapshot *s, FILE *f);
/* One JSON line for the window, then one per cluster event. */
int snapshot_print_json(const struct engine_snapshot *s, const struct site_names *sites,
			FILE *f);
/* The end-of-run summary: every announced cluster, by share, with its path and sites. */
int snapshot_print_summary(const struct engine *e, const struct site_names *sites, FILE *f);
int snapshot_print_summary_json(const struct engine *e, const struct site_names *sites,
				FILE *f);

#endif
