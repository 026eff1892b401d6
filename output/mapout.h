// SPDX-License-Identifier: MIT
/*
 * The script's maps in the kernel: read and printed at exit and on print(),
 * cleared or zeroed by clear() and zero().
 */
#ifndef HOTSPAN_MAPOUT_H
#define HOTSPAN_MAPOUT_H

#include <stdint.h>
#include <stdio.h>

#include "output/mapfmt.h"
#include "plan/plan.h"

struct bpf_object;

/* The maps of a loaded object. */
struct mapout;

/* NULL and errno. st->plan and obj must outlive it. */
struct mapout *mapout__new(const struct mapfmt_style *st, struct bpf_object *obj, FILE *out);
void mapout__free(struct mapout *m);
/* print(@m, top, div) for plan map index `map`. 0 or -errno. */
int mapout__print(struct mapout *m, unsigned map, uint64_t top, uint64_t div);
/* Every map but heat maps, sorted by name, as bpftrace prints them at exit. */
int mapout__print_all(struct mapout *m);
/* clear(@m): deletes every entry; a map without keys is emptied. */
int mapout__clear(struct mapout *m, unsigned map);
/* zero(@m): zeroes every value and keeps the keys. */
int mapout__zero(struct mapout *m, unsigned map);

#endif
