// SPDX-License-Identifier: MIT
/*
 * The table of aggregations. Values are laid out as bpf-lib/hotspan.bpf.h
 * has them: a u64 for count and sum, struct hs_avg for avg and stats,
 * struct hs_minmax for min and max, u64 slots for hist and lhist, and the
 * value itself (8-byte words) for a plain value map. Per-CPU values are
 * combined before anything is sorted or printed: counts, sums, avg/stats
 * totals and hist slots add up; min and max take the extreme of the CPUs
 * that saw a value.
 *
 * Sorting and printing follow bpftrace 0.17: count, sum, min, max and
 * integer values sort by value, avg and stats by average, hist and lhist by
 * their total count, smallest first, signed values as signed; stats prints
 * count, average and total and ignores print()'s top and div.
 */
#include "output/agg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "output/histout.h"

static uint64_t u64_at(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t flip(int64_t v)
{
	return (uint64_t)v ^ (1ull << 63);	/* signed order as unsigned */
}

static int64_t average(const struct hs_avg *a)
{
	return a->count ? a->sum / (int64_t)a->count : 0;
}

/* --- layouts --- */

static uint32_t size_u64(const struct plan_map *pm)
{
	return 8;
}

static uint32_t size_avg(const struct plan_map *pm)
{
	return sizeof(struct hs_avg);
}

static uint32_t size_minmax(const struct plan_map *pm)
{
	return sizeof(struct hs_minmax);
}

static uint32_t size_hist(const struct plan_map *pm)
{
	return HS_HIST_SLOTS * 8;
}

static uint32_t size_lhist(const struct plan_map *pm)
{
	return pm->lhist.slots * 8;
}

static uint32_t size_value(const struct plan_map *pm)
{
	return pm->val.size ? (pm->val.size + 7) & ~7u : 8;
}

/* --- combining CPUs --- */

static void add_words(const struct plan_map *pm, unsigned char *acc, const unsigned char *cpu)
{
	for (size_t off = 0; off + 8 <= pm->value_size; off += 8) {
		uint64_t s = u64_at(acc + off) + u64_at(cpu + off);

		memcpy(acc + off, &s, 8);
	}
}

static void take_extreme(const struct plan_map *pm, unsigned char *acc, const unsigned char *cpu)
{
	struct hs_minmax best, c;

	memcpy(&best, acc, sizeof(best));
	memcpy(&c, cpu, sizeof(c));
	if (c.set && (!best.set || (pm->agg == AGG_MIN ? c.value < best.value
						       : c.value > best.value))) {
		best = c;
		best.set = 1;
	}
	memcpy(acc, &best, sizeof(best));
}

static void copy_value(const struct plan_map *pm, unsigned char *acc, const unsigned char *cpu)
{
	memcpy(acc, cpu, pm->value_size);
}

/* --- presence of a map without keys --- */

static bool always(const struct plan_map *pm, const unsigned char *val)
{
	return true;
}

static bool minmax_set(const struct plan_map *pm, const unsigned char *val)
{
	struct hs_minmax mm;

	memcpy(&mm, val, sizeof(mm));
	return mm.set;
}

static bool avg_counted(const struct plan_map *pm, const unsigned char *val)
{
	struct hs_avg a;

	memcpy(&a, val, sizeof(a));
	return a.count;
}

static bool non_zero(const struct plan_map *pm, const unsigned char *val)
{
	for (size_t i = 0; i < pm->value_size; i++)
		if (val[i])
			return true;
	return false;
}

/* --- order --- */

static bool rank_count(const struct plan_map *pm, const void *val, uint64_t *r)
{
	*r = u64_at(val);
	return true;
}

static bool rank_sum(const struct plan_map *pm, const void *val, uint64_t *r)
{
	*r = pm->val.is_signed ? flip((int64_t)u64_at(val)) : u64_at(val);
	return true;
}

static bool rank_minmax(const struct plan_map *pm, const void *val, uint64_t *r)
{
	struct hs_minmax mm;

	memcpy(&mm, val, sizeof(mm));
	*r = flip(mm.set ? mm.value : 0);
	return true;
}

static bool rank_avg(const struct plan_map *pm, const void *val, uint64_t *r)
{
	struct hs_avg a;

	memcpy(&a, val, sizeof(a));
	*r = flip(average(&a));
	return true;
}

static size_t slots(const struct plan_map *pm)
{
	return pm->agg == AGG_HIST ? HS_HIST_SLOTS : pm->lhist.slots;
}

static bool rank_hist(const struct plan_map *pm, const void *val, uint64_t *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < slots(pm); i++)
		sum += u64_at((const uint64_t *)val + i);
	*r = sum;
	return true;
}

static bool rank_value(const struct plan_map *pm, const void *val, uint64_t *r)
{
	if (pm->val.kind != VAL_INT)
		return false;
	*r = mapfmt_read_int(&pm->val, val);
	if (pm->val.is_signed)
		*r = flip((int64_t)*r);
	return true;
}

/* --- values --- */

static void print_count(const struct mapfmt_style *st, const struct plan_map *pm,
			const void *val, uint64_t div, FILE *out)
{
	fprintf(out, "%" PRIu64, u64_at(val) / div);
}

static void print_sum(const struct mapfmt_style *st, const struct plan_map *pm, const void *val,
		      uint64_t div, FILE *out)
{
	uint64_t u = u64_at(val);

	if (pm->val.is_signed)
		fprintf(out, "%" PRId64, (int64_t)u / (int64_t)div);
	else
		fprintf(out, "%" PRIu64, u / div);
}

static void print_minmax(const struct mapfmt_style *st, const struct plan_map *pm,
			 const void *val, uint64_t div, FILE *out)
{
	struct hs_minmax mm;

	memcpy(&mm, val, sizeof(mm));
	fprintf(out, "%" PRId64, (int64_t)(mm.set ? mm.value : 0) / (int64_t)div);
}

static void print_avg(const struct mapfmt_style *st, const struct plan_map *pm, const void *val,
		      uint64_t div, FILE *out)
{
	struct hs_avg a;

	memcpy(&a, val, sizeof(a));
	fprintf(out, "%" PRId64, average(&a) / (int64_t)div);
}

static void print_stats(const struct mapfmt_style *st, const struct plan_map *pm,
			const void *val, uint64_t div, FILE *out)
{
	struct hs_avg a;

	memcpy(&a, val, sizeof(a));
	fprintf(out, st->fmt == OUT_JSON ? "{\"count\": %" PRId64 ", \"average\": %" PRId64
					   ", \"total\": %" PRId64 "}"
					 : "count %" PRId64 ", average %" PRId64 ", total %" PRId64,
		(int64_t)a.count, average(&a), (int64_t)a.sum);
}

static void print_hist(const struct mapfmt_style *st, const struct plan_map *pm,
		       const void *val, uint64_t div, FILE *out)
{
	if (st->fmt == OUT_JSON)
		histout_hist_json(val, HS_HIST_SLOTS, div, out);
	else
		histout_hist_text(val, HS_HIST_SLOTS, div, out);
}

static void print_lhist(const struct mapfmt_style *st, const struct plan_map *pm,
			const void *val, uint64_t div, FILE *out)
{
	if (st->fmt == OUT_JSON)
		histout_lhist_json(val, pm->lhist.slots, pm->lhist.min, pm->lhist.max,
				   pm->lhist.step, out);
	else
		histout_lhist_text(val, pm->lhist.slots, pm->lhist.min, pm->lhist.max,
				   pm->lhist.step, out);
}

static void print_value(const struct mapfmt_style *st, const struct plan_map *pm,
			const void *val, uint64_t div, FILE *out)
{
	if (pm->val.kind == VAL_INT) {
		uint64_t u = mapfmt_read_int(&pm->val, val);

		if (pm->val.is_signed)
			fprintf(out, "%" PRId64, (int64_t)u / (int64_t)div);
		else
			fprintf(out, "%" PRIu64, u / div);
	} else if (st->fmt == OUT_JSON) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f) {
			mapfmt_value_text(st, &pm->val, val, f);
			fclose(f);
			fputc('"', out);
			mapfmt_json_escape(buf, len, out);
			fputc('"', out);
		}
		free(buf);
	} else {
		mapfmt_value_text(st, &pm->val, val, out);
	}
}

/* --- the table --- */

static const struct agg aggs[] = {
	{
		.kind = AGG_COUNT, .name = "count", .nargs = 0, .usage = "no arguments",
		.per_cpu = true, .keyless_array = true, .value_size = size_u64,
		.update = "hs_agg_count", .combine = add_words, .present = always,
		.rank = rank_count, .print = print_count, .json_type = "map",
	},
	{
		.kind = AGG_SUM, .name = "sum", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_u64,
		.update = "hs_agg_sum", .combine = add_words, .present = non_zero,
		.rank = rank_sum, .print = print_sum, .json_type = "map",
	},
	{
		.kind = AGG_AVG, .name = "avg", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_avg,
		.update = "hs_agg_avg", .combine = add_words, .present = avg_counted,
		.rank = rank_avg, .print = print_avg, .json_type = "stats",
		.blank_after = true,
	},
	{
		.kind = AGG_MIN, .name = "min", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_minmax,
		.update = "hs_agg_min", .combine = take_extreme, .present = minmax_set,
		.rank = rank_minmax, .print = print_minmax, .json_type = "map",
	},
	{
		.kind = AGG_MAX, .name = "max", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_minmax,
		.update = "hs_agg_max", .combine = take_extreme, .present = minmax_set,
		.rank = rank_minmax, .print = print_minmax, .json_type = "map",
	},
	{
		.kind = AGG_STATS, .name = "stats", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_avg,
		.update = "hs_agg_avg", .combine = add_words, .present = avg_counted,
		.rank = rank_avg, .print = print_stats, .json_type = "stats",
		.blank_after = true, .ignores_top_div = true,
	},
	{
		.kind = AGG_HIST, .name = "hist", .nargs = 1, .usage = "one integer",
		.per_cpu = true, .value_size = size_hist,
		.update = "hs_agg_hist", .combine = add_words, .present = non_zero,
		.rank = rank_hist, .print = print_hist, .json_type = "hist", .rows = true,
	},
	{
		.kind = AGG_LHIST, .name = "lhist", .nargs = -1,
		.per_cpu = true, .value_size = size_lhist,
		.update = "hs_agg_lhist", .combine = add_words, .present = non_zero,
		.rank = rank_hist, .print = print_lhist, .json_type = "hist", .rows = true,
	},
	{
		.kind = AGG_VALUE, .name = "value", .nargs = -1,
		.value_size = size_value, .combine = copy_value, .present = non_zero,
		.rank = rank_value, .print = print_value, .json_type = "map",
	},
	{
		.kind = AGG_HEAT, .name = "heat", .nargs = -1, .streamed = true,
		.value_size = size_u64,
	},
};

#define NAGGS (sizeof(aggs) / sizeof(aggs[0]))

const struct agg *agg_of(enum agg_kind kind)
{
	for (size_t i = 0; i < NAGGS; i++)
		if (aggs[i].kind == kind)
			return &aggs[i];
	return NULL;
}

const struct agg *agg_find(const char *name)
{
	for (size_t i = 0; name && i < NAGGS; i++)
		if (aggs[i].kind != AGG_VALUE && !strcmp(aggs[i].name, name))
			return &aggs[i];
	return NULL;
}

size_t agg_names(const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < NAGGS; i++)
		if (aggs[i].kind != AGG_VALUE) {
			if (n < max)
				names[n] = aggs[i].name;
			n++;
		}
	return n;
}
