// SPDX-License-Identifier: MIT
/*
 * The aggregations, one entry each: what a call takes, how its value is laid
 * out, which function of the BPF library adds to it in the kernel, how the
 * values of several CPUs combine, and how entries sort and print. The
 * compiler reads an entry to check a call, lay out its map and emit the
 * update; the runtime to read the map and print it. A new aggregation is a
 * new entry (and its update function in bpf-lib/hotspan.bpf.c).
 */
#ifndef HOTSPAN_OUTPUT_AGG_H
#define HOTSPAN_OUTPUT_AGG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "output/mapfmt.h"
#include "plan/plan.h"

struct agg {
	enum agg_kind kind;
	/* As the script calls it ("count"); "value" for `@m = expr`, no call. */
	const char *name;
	/* Calls with a plain argument list: their number of integer arguments
	 * and its wording in errors; -1 when the compiler checks the call
	 * itself (lhist's literal bounds, heat's indices). */
	int nargs;
	const char *usage;

	/* Layout. */
	bool streamed;		/* no map: every call sends a record (heat) */
	bool per_cpu;		/* one value per CPU, updated without a lock */
	bool keyless_array;	/* without keys, a one-entry array rather than a hash */
	uint32_t (*value_size)(const struct plan_map *pm);	/* one CPU's value */
	/* The BPF library's function that adds one value in the kernel:
	 * void fn(u64 *val, s64 v, s64 min, s64 max, s64 step, u64 slots),
	 * the last four lhist's bounds. NULL when the call stores no value. */
	const char *update;

	/* Reading: folds one CPU's value into acc, which starts zeroed. */
	void (*combine)(const struct plan_map *pm, unsigned char *acc, const unsigned char *cpu);
	/* A map without keys held in an array: does its value say something
	 * was stored? */
	bool (*present)(const struct plan_map *pm, const unsigned char *val);

	/* Printing, as bpftrace 0.17 prints them. The value an entry sorts by,
	 * in unsigned order; false: the entries sort by key. */
	bool (*rank)(const struct plan_map *pm, const void *val, uint64_t *r);
	void (*print)(const struct mapfmt_style *st, const struct plan_map *pm, const void *val,
		      uint64_t div, FILE *out);
	const char *json_type;	/* "map", "hist", "stats" */
	bool rows;		/* text: the value's rows start on the line after the key */
	bool blank_after;	/* text: a blank line after the map */
	bool ignores_top_div;	/* print(@m, top, div) prints it whole */
};

/* The entry of an aggregation kind. */
const struct agg *agg_of(enum agg_kind kind);
/* The aggregation a call names ("count"), or NULL: not an aggregation. */
const struct agg *agg_find(const char *name);
/* Every aggregation's call name, for hints: fills up to max, returns how many. */
size_t agg_names(const char **names, size_t max);

#endif
