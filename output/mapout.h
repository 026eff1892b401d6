// SPDX-License-Identifier: MIT
/*
 * The script's maps as bpftrace 0.17 prints them, in text and in -f json:
 * at exit, on print(), and cleared or zeroed by clear() and zero().
 */
#ifndef HOTSPAN_MAPOUT_H
#define HOTSPAN_MAPOUT_H

#include <stdint.h>
#include <stdio.h>

#include "plan/plan.h"

struct bpf_object;
struct ustack;

enum out_format {
	OUT_TEXT,	/* `@c[1, 2]: 3` */
	OUT_JSON,	/* {"type": "map", "data": {"@c": {"1,2": 3}}} */
};

/* How keys and values that are not plain numbers print. */
struct mapout_style {
	const struct plan *plan;	/* VAL_SYM: the probes they name */
	enum out_format fmt;
	struct ustack *ustack;	/* VAL_STACK: the symboliser, or NULL for raw addresses */
	int stack_fd;		/* VAL_STACK without a symboliser: the stack map, or -1 */
};

/* One entry of a map. The value is reduced over CPUs to one CPU's layout:
 * u64 for count and sum, struct hs_avg for avg and stats, struct hs_minmax
 * for min and max, u64 slots for hist and lhist, value_size bytes for a
 * value map. */
struct mapout_entry {
	const void *key;	/* key_size bytes; ignored when the map has no keys */
	const void *val;
};

/*
 * Prints entries of map pm as bpftrace prints a map: sorted (by value for
 * count, sum, min, max and integer values, by average for avg and stats, by
 * total for hist and lhist, by key otherwise; ties by key), the last `top`
 * of them when top is not 0, values divided by div (0: 1) where bpftrace
 * divides. A map without keys passes one entry, or none when it holds
 * nothing. Sorts entries in place. 0 or -errno.
 */
int mapout_format(const struct mapout_style *st, const struct plan_map *pm,
		  struct mapout_entry *entries, size_t n, uint64_t top, uint64_t div, FILE *out);

/* Writes the text of one key part, printf argument or value: a number, a
 * string up to its NUL, a probe's name for a VAL_SYM, a stack. Unescaped. */
int mapout_value_text(const struct mapout_style *st, const struct plan_value *v,
		      const void *data, FILE *out);

/* Writes s[0..n) escaped for a JSON string, as bpftrace escapes it. */
void mapout_json_escape(const char *s, size_t n, FILE *out);

/* The maps of a loaded object. */
struct mapout;

/* NULL and errno. st->plan and obj must outlive it. */
struct mapout *mapout__new(const struct mapout_style *st, struct bpf_object *obj, FILE *out);
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
