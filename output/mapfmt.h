// SPDX-License-Identifier: MIT
/*
 * How the script's maps print, as bpftrace 0.17 prints them, in text and in
 * -f json: entries already read, sorted, cut to the top N and formatted.
 * Nothing here touches the kernel, so it is tested on values alone.
 */
#ifndef HOTSPAN_MAPFMT_H
#define HOTSPAN_MAPFMT_H

#include <stdint.h>
#include <stdio.h>

#include "plan/plan.h"

struct ustack;

enum out_format {
	OUT_TEXT,	/* `@c[1, 2]: 3` */
	OUT_JSON,	/* {"type": "map", "data": {"@c": {"1,2": 3}}} */
};

/* How keys and values that are not plain numbers print. */
struct mapfmt_style {
	const struct plan *plan;	/* VAL_SYM: the probes they name */
	enum out_format fmt;
	struct ustack *ustack;	/* VAL_STACK: the symboliser, or NULL for raw addresses */
	int stack_fd;		/* VAL_STACK without a symboliser: the stack map, or -1 */
};

/* One entry of a map. The value is reduced over CPUs to one CPU's layout:
 * u64 for count and sum, struct hs_avg for avg and stats, struct hs_minmax
 * for min and max, u64 slots for hist and lhist, value_size bytes for a
 * value map. */
struct mapfmt_entry {
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
int mapfmt_format(const struct mapfmt_style *st, const struct plan_map *pm,
		  struct mapfmt_entry *entries, size_t n, uint64_t top, uint64_t div, FILE *out);

/* Writes the text of one key part, printf argument or value: a number, a
 * string up to its NUL, a probe's name for a VAL_SYM, a stack. Unescaped. */
int mapfmt_value_text(const struct mapfmt_style *st, const struct plan_value *v,
		      const void *data, FILE *out);

/* An integer of v->size bytes at data, widened by its signedness. */
uint64_t mapfmt_read_int(const struct plan_value *v, const void *data);

/* Writes s[0..n) escaped for a JSON string, as bpftrace escapes it. */
void mapfmt_json_escape(const char *s, size_t n, FILE *out);

#endif
