// SPDX-License-Identifier: MIT
/*
 * Printing the script's maps at the end, in bpftrace's text and JSON forms.
 */
#ifndef HOTSPAN_MAPOUT_H
#define HOTSPAN_MAPOUT_H

#include <stdio.h>

#include "compiler/plan.h"

struct bpf_object;

enum out_format {
	OUT_TEXT,	/* `@c[1, 2]: 3` */
	OUT_JSON,	/* {"type": "map", "data": {"@c": {"1,2": 3}}} */
};

/* Prints every map, sorted by name, as bpftrace prints them when it exits.
 * 0 or -errno (a map that could not be read). */
int mapout_print_all(struct bpf_object *obj, const struct plan *plan, enum out_format fmt,
		     FILE *out);

#endif
