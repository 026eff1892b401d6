// SPDX-License-Identifier: MIT
/*
 * Map formatting from entries in memory. The expected text and JSON are
 * what bpftrace 0.17 printed at exit for the same maps, filled by this
 * script (tests/unit/mapfmt.bt, run as `bpftrace mapfmt.bt` and
 * `bpftrace -f json mapfmt.bt`), with no ties so that its order is fixed.
 * One line differs on purpose: bpftrace 0.17 computes the JSON bounds of
 * hist buckets from 2^31 up in 32-bit ints and prints them wrong; we print
 * the true bounds.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "output/mapfmt.h"

#define MAXE 8
#define VSIZE (HS_HIST_SLOTS * 8)

/* A map and its entries, values in one CPU's layout. */
struct tmap {
	struct plan_map pm;
	unsigned char keys[MAXE][64];
	unsigned char vals[MAXE][VSIZE];
	size_t n;
};

static struct tmap maps[40];
static size_t nmaps;

static struct tmap *map(const char *name, enum agg_kind agg, const char *keys)
{
	struct tmap *m = &maps[nmaps++];
	uint32_t off = 0;

	memset(m, 0, sizeof(*m));
	m->pm.name = (char *)name;
	m->pm.agg = agg;
	/* keys: 'i' a signed int, 's' a 16-byte string */
	for (const char *k = keys; *k; k++) {
		struct plan_value *v = &m->pm.keys[m->pm.nkeys++];

		v->kind = *k == 'i' ? VAL_INT : VAL_STRING;
		v->is_signed = *k == 'i';
		v->offset = off;
		v->size = *k == 'i' ? 8 : 16;
		off += v->size;
	}
	m->pm.key_size = off ? off : 4;
	m->pm.val = (struct plan_value){ .kind = VAL_INT, .is_signed = true, .size = 8 };
	switch (agg) {
	case AGG_AVG:
	case AGG_STATS:
		m->pm.value_size = sizeof(struct hs_avg);
		break;
	case AGG_MIN:
	case AGG_MAX:
		m->pm.value_size = sizeof(struct hs_minmax);
		break;
	case AGG_HIST:
		m->pm.value_size = HS_HIST_SLOTS * 8;
		break;
	default:
		m->pm.value_size = 8;
	}
	if (agg == AGG_COUNT)
		m->pm.val.is_signed = false;
	return m;
}

static void lhist_params(struct tmap *m, int64_t min, int64_t max, int64_t step)
{
	m->pm.lhist.min = min;
	m->pm.lhist.max = max;
	m->pm.lhist.step = step;
	m->pm.lhist.slots = (max - min) / step + 2;
	m->pm.value_size = m->pm.lhist.slots * 8;
}

/* The entry of that key (ints and strings in the order of the map's keys),
 * made on first use. */
static unsigned char *entry(struct tmap *m, ...)
{
	unsigned char key[64] = { 0 };
	va_list ap;

	va_start(ap, m);
	for (int i = 0; i < m->pm.nkeys; i++) {
		const struct plan_value *k = &m->pm.keys[i];

		if (k->kind == VAL_INT) {
			int64_t v = va_arg(ap, int64_t);

			memcpy(key + k->offset, &v, 8);
		} else {
			strncpy((char *)key + k->offset, va_arg(ap, const char *), k->size);
		}
	}
	va_end(ap);
	for (size_t i = 0; i < m->n; i++)
		if (!memcmp(m->keys[i], key, m->pm.key_size))
			return m->vals[i];
	cr_assert_lt(m->n, MAXE);
	memcpy(m->keys[m->n], key, sizeof(key));
	return m->vals[m->n++];
}

static void add_u64(unsigned char *val, size_t slot, int64_t v)
{
	int64_t x;

	memcpy(&x, val + slot * 8, 8);
	x += v;
	memcpy(val + slot * 8, &x, 8);
}

static void avg(unsigned char *val, int64_t v)
{
	add_u64(val, 0, v);
	add_u64(val, 1, 1);
}

static void minmax(unsigned char *val, int64_t v, bool is_min)
{
	struct hs_minmax mm;

	memcpy(&mm, val, sizeof(mm));
	if (!mm.set || (is_min ? v < mm.value : v > mm.value))
		mm.value = v;
	mm.set = 1;
	memcpy(val, &mm, sizeof(mm));
}

/* hist: slot 0 negative, 1 zero, k + 2 for [2^k, 2^(k+1)) */
static void hist(unsigned char *val, int64_t v)
{
	size_t slot = 1;

	if (v < 0)
		slot = 0;
	else
		for (uint64_t u = v; u; u >>= 1)
			slot++;
	add_u64(val, slot, 1);
}

static void lhist(struct tmap *m, unsigned char *val, int64_t v)
{
	const struct plan_map *pm = &m->pm;
	size_t slot = v < pm->lhist.min ? 0
		      : v >= pm->lhist.max ? pm->lhist.slots - 1
		      : (v - pm->lhist.min) / pm->lhist.step + 1;

	add_u64(val, slot, 1);
}

static void str(struct tmap *m, unsigned char *val, const char *s)
{
	m->pm.val = (struct plan_value){ .kind = VAL_STRING, .size = 16 };
	m->pm.value_size = 16;
	strncpy((char *)val, s, 16);
}

static void fill(void)
{
	struct tmap *m;

	nmaps = 0;
	m = map("@c", AGG_COUNT, "i");
	add_u64(entry(m, 3L), 0, 1);
	add_u64(entry(m, 1L), 0, 3);
	add_u64(entry(m, 2L), 0, 2);
	add_u64(entry(m, 5L), 0, 5);
	m = map("@s", AGG_SUM, "is");
	add_u64(entry(m, -1L, "a"), 0, 5);
	add_u64(entry(m, 2L, "b"), 0, -7);
	add_u64(entry(m, 3L, "c"), 0, 9);
	m = map("@a", AGG_AVG, "i");
	avg(entry(m, 1L), 10);
	avg(entry(m, 1L), 3);
	avg(entry(m, 2L), -4);
	avg(entry(m, 3L), 100);
	m = map("@st", AGG_STATS, "i");
	avg(entry(m, 7L), -5);
	avg(entry(m, 2L), 3);
	avg(entry(m, 2L), 4);
	avg(entry(m, 1L), 10);
	m = map("@mn", AGG_MIN, "i");
	minmax(entry(m, 1L), 5, true);
	minmax(entry(m, 2L), -5, true);
	minmax(entry(m, 3L), 0, true);
	m = map("@mx", AGG_MAX, "i");
	minmax(entry(m, 1L), 5, false);
	minmax(entry(m, 3L), 0, false);
	minmax(entry(m, 4L), 9, false);
	m = map("@h", AGG_HIST, "i");
	hist(entry(m, 1L), 5);
	hist(entry(m, 1L), 0);
	hist(entry(m, 1L), -3);
	hist(entry(m, 1L), 1);
	hist(entry(m, 1L), 1025);
	hist(entry(m, 2L), 100);
	hist(entry(m, 3L), 2000000);
	hist(entry(m, 3L), 3000000);
	m = map("@l", AGG_LHIST, "i");
	lhist_params(m, 0, 10, 2);
	lhist(m, entry(m, 1L), 3);
	lhist(m, entry(m, 1L), -1);
	lhist(m, entry(m, 1L), 10);
	lhist(m, entry(m, 2L), 55);
	lhist(m, entry(m, 2L), 5);
	lhist(m, entry(m, 2L), 5);
	lhist(m, entry(m, 2L), 9);
	m = map("@v", AGG_VALUE, "i");
	add_u64(entry(m, 1L), 0, 5);
	add_u64(entry(m, 2L), 0, -3);
	add_u64(entry(m, 3L), 0, 4);
	m = map("@vs", AGG_VALUE, "i");
	str(m, entry(m, 256L), "a");
	str(m, entry(m, 1L), "b");
	str(m, entry(m, 2L), "c");
	str(m, entry(m, -5L), "d");
	m = map("@vk", AGG_VALUE, "s");
	str(m, entry(m, "b"), "x");
	str(m, entry(m, "a"), "y");
	str(m, entry(m, "ab"), "z");
	str(m, entry(m, "B"), "w");
	m = map("@v3", AGG_VALUE, "is");
	str(m, entry(m, 2L, "a"), "1");
	str(m, entry(m, 1L, "b"), "2");
	str(m, entry(m, 1L, "a"), "3");
	str(m, entry(m, -1L, "z"), "4");
	m = map("@ve", AGG_VALUE, "s");
	str(m, entry(m, "q\"uo\\te\ttab"), "v\"al\nnl");
	m = map("@kc", AGG_COUNT, "");
	add_u64(entry(m), 0, 2);
	m = map("@ks", AGG_SUM, "");
	add_u64(entry(m), 0, -5);
	m = map("@ka", AGG_AVG, "");
	avg(entry(m), 7);
	avg(entry(m), 4);
	m = map("@kst", AGG_STATS, "");
	avg(entry(m), -9);
	m = map("@kmn", AGG_MIN, "");
	minmax(entry(m), 3, true);
	m = map("@kmx", AGG_MAX, "");
	minmax(entry(m), 12, false);
	m = map("@kh", AGG_HIST, "");
	hist(entry(m), 7);
	hist(entry(m), 7);
	hist(entry(m), 20);
	m = map("@kl", AGG_LHIST, "");
	lhist_params(m, 0, 4096, 1024);
	lhist(m, entry(m), 1500);
	m = map("@kv", AGG_VALUE, "");
	add_u64(entry(m), 0, -17);
	m = map("@kvs", AGG_VALUE, "");
	str(m, entry(m), "str");
	m = map("@big", AGG_HIST, "");	/* as bpftrace 0.17 bucketed 2^30, 2^40, 2^41 */
	add_u64(entry(m), 32, 1);
	add_u64(entry(m), 33, 2);
	m = map("@kb", AGG_LHIST, "");
	lhist_params(m, 1024, 5120, 1024);
	lhist(m, entry(m), 1500);
	lhist(m, entry(m), 0);
	lhist(m, entry(m), 6000);
	lhist(m, entry(m), 6000);
	m = map("@mb", AGG_LHIST, "");
	lhist_params(m, 0, 3145728, 1048576);
	lhist(m, entry(m), 2097152);
	lhist(m, entry(m), 5);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tmap *)a)->pm.name, ((const struct tmap *)b)->pm.name);
}

static struct mapfmt_style style(enum out_format fmt)
{
	return (struct mapfmt_style){ .fmt = fmt, .stack_fd = -1 };
}

/* Prints one map as it is; returns the text (free() it). */
static char *format(struct tmap *m, enum out_format fmt, uint64_t top, uint64_t div)
{
	struct mapfmt_style st = style(fmt);
	struct mapfmt_entry e[MAXE];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < m->n; i++)
		e[i] = (struct mapfmt_entry){ .key = m->keys[i], .val = m->vals[i] };
	cr_assert_eq(mapfmt_format(&st, &m->pm, e, m->n, top, div, f), 0);
	fclose(f);
	return buf;
}

/* Every map by name, as at exit. */
static char *format_all(enum out_format fmt)
{
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);

	fill();
	qsort(maps, nmaps, sizeof(maps[0]), by_name);
	for (size_t i = 0; i < nmaps; i++) {
		char *one = format(&maps[i], fmt, 0, 0);

		fputs(one, f);
		free(one);
	}
	fclose(f);
	return all;
}

static const char want_text[] =
	"@a[2]: -4\n"
	"@a[1]: 6\n"
	"@a[3]: 100\n"
	"\n"
	"@big: \n"
	"[1G, 2G)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"[2G, 4G)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@c[3]: 1\n"
	"@c[2]: 2\n"
	"@c[1]: 3\n"
	"@c[5]: 5\n"
	"@h[2]: \n"
	"[64, 128)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[3]: \n"
	"[1M, 2M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2M, 4M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[1]: \n"
	"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[2, 4)                 0 |                                                    |\n"
	"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               0 |                                                    |\n"
	"[64, 128)              0 |                                                    |\n"
	"[128, 256)             0 |                                                    |\n"
	"[256, 512)             0 |                                                    |\n"
	"[512, 1K)              0 |                                                    |\n"
	"[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@ka: 5\n"
	"\n"
	"@kb: \n"
	"(..., 1K)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"[2K, 3K)               0 |                                                    |\n"
	"[3K, 4K)               0 |                                                    |\n"
	"[4K, 5K)               0 |                                                    |\n"
	"[5K, ...)              2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@kc: 2\n"
	"@kh: \n"
	"[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n"
	"@kl: \n"
	"[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@kmn: 3\n"
	"@kmx: 12\n"
	"@ks: -5\n"
	"@kst: count 1, average -9, total -9\n"
	"\n"
	"@kv: -17\n"
	"@kvs: str\n"
	"@l[1]: \n"
	"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[0, 2)                 0 |                                                    |\n"
	"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[4, 6)                 0 |                                                    |\n"
	"[6, 8)                 0 |                                                    |\n"
	"[8, 10)                0 |                                                    |\n"
	"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@l[2]: \n"
	"[4, 6)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[6, 8)                 0 |                                                    |\n"
	"[8, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n"
	"@mb: \n"
	"[0, 1M)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[1M, 2M)               0 |                                                    |\n"
	"[2M, 3M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@mn[2]: -5\n"
	"@mn[3]: 0\n"
	"@mn[1]: 5\n"
	"@mx[3]: 0\n"
	"@mx[1]: 5\n"
	"@mx[4]: 9\n"
	"@s[2, b]: -7\n"
	"@s[-1, a]: 5\n"
	"@s[3, c]: 9\n"
	"@st[7]: count 1, average -5, total -5\n"
	"@st[2]: count 2, average 3, total 7\n"
	"@st[1]: count 1, average 10, total 10\n"
	"\n"
	"@v[2]: -3\n"
	"@v[3]: 4\n"
	"@v[1]: 5\n"
	"@v3[1, a]: 3\n"
	"@v3[1, b]: 2\n"
	"@v3[2, a]: 1\n"
	"@v3[-1, z]: 4\n"
	"@ve[q\"uo\\te\ttab]: v\"al\n"
	"nl\n"
	"@vk[B]: w\n"
	"@vk[a]: y\n"
	"@vk[ab]: z\n"
	"@vk[b]: x\n"
	"@vs[1]: b\n"
	"@vs[2]: c\n"
	"@vs[256]: a\n"
	"@vs[-5]: d\n";

static const char want_json[] =
	"{\"type\": \"stats\", \"data\": {\"@a\": {\"2\": -4, \"1\": 6, \"3\": 100}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@big\": [{\"min\": 1073741824, \"max\": 2147483647, \"count\": 1}, {\"min\": 2147483648, \"max\": 4294967295, \"count\": 2}]}}\n"
	"{\"type\": \"map\", \"data\": {\"@c\": {\"3\": 1, \"2\": 2, \"1\": 3, \"5\": 5}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@h\": {\"2\": [{\"min\": 64, \"max\": 127, \"count\": 1}], \"3\": [{\"min\": 1048576, \"max\": 2097151, \"count\": 1}, {\"min\": 2097152, \"max\": 4194303, \"count\": 1}], \"1\": [{\"max\": -1, \"count\": 1}, {\"min\": 0, \"max\": 0, \"count\": 1}, {\"min\": 1, \"max\": 1, \"count\": 1}, {\"min\": 2, \"max\": 3, \"count\": 0}, {\"min\": 4, \"max\": 7, \"count\": 1}, {\"min\": 8, \"max\": 15, \"count\": 0}, {\"min\": 16, \"max\": 31, \"count\": 0}, {\"min\": 32, \"max\": 63, \"count\": 0}, {\"min\": 64, \"max\": 127, \"count\": 0}, {\"min\": 128, \"max\": 255, \"count\": 0}, {\"min\": 256, \"max\": 511, \"count\": 0}, {\"min\": 512, \"max\": 1023, \"count\": 0}, {\"min\": 1024, \"max\": 2047, \"count\": 1}]}}}\n"
	"{\"type\": \"stats\", \"data\": {\"@ka\": 5}}\n"
	"{\"type\": \"hist\", \"data\": {\"@kb\": [{\"max\": 1023, \"count\": 1}, {\"min\": 1024, \"max\": 2047, \"count\": 1}, {\"min\": 2048, \"max\": 3071, \"count\": 0}, {\"min\": 3072, \"max\": 4095, \"count\": 0}, {\"min\": 4096, \"max\": 5119, \"count\": 0}, {\"min\": 5120, \"count\": 2}]}}\n"
	"{\"type\": \"map\", \"data\": {\"@kc\": 2}}\n"
	"{\"type\": \"hist\", \"data\": {\"@kh\": [{\"min\": 4, \"max\": 7, \"count\": 2}, {\"min\": 8, \"max\": 15, \"count\": 0}, {\"min\": 16, \"max\": 31, \"count\": 1}]}}\n"
	"{\"type\": \"hist\", \"data\": {\"@kl\": [{\"min\": 1024, \"max\": 2047, \"count\": 1}]}}\n"
	"{\"type\": \"map\", \"data\": {\"@kmn\": 3}}\n"
	"{\"type\": \"map\", \"data\": {\"@kmx\": 12}}\n"
	"{\"type\": \"map\", \"data\": {\"@ks\": -5}}\n"
	"{\"type\": \"stats\", \"data\": {\"@kst\": {\"count\": 1, \"average\": -9, \"total\": -9}}}\n"
	"{\"type\": \"map\", \"data\": {\"@kv\": -17}}\n"
	"{\"type\": \"map\", \"data\": {\"@kvs\": \"str\"}}\n"
	"{\"type\": \"hist\", \"data\": {\"@l\": {\"1\": [{\"max\": -1, \"count\": 1}, {\"min\": 0, \"max\": 1, \"count\": 0}, {\"min\": 2, \"max\": 3, \"count\": 1}, {\"min\": 4, \"max\": 5, \"count\": 0}, {\"min\": 6, \"max\": 7, \"count\": 0}, {\"min\": 8, \"max\": 9, \"count\": 0}, {\"min\": 10, \"count\": 1}], \"2\": [{\"min\": 4, \"max\": 5, \"count\": 2}, {\"min\": 6, \"max\": 7, \"count\": 0}, {\"min\": 8, \"max\": 9, \"count\": 1}, {\"min\": 10, \"count\": 1}]}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@mb\": [{\"min\": 0, \"max\": 1048575, \"count\": 1}, {\"min\": 1048576, \"max\": 2097151, \"count\": 0}, {\"min\": 2097152, \"max\": 3145727, \"count\": 1}]}}\n"
	"{\"type\": \"map\", \"data\": {\"@mn\": {\"2\": -5, \"3\": 0, \"1\": 5}}}\n"
	"{\"type\": \"map\", \"data\": {\"@mx\": {\"3\": 0, \"1\": 5, \"4\": 9}}}\n"
	"{\"type\": \"map\", \"data\": {\"@s\": {\"2,b\": -7, \"-1,a\": 5, \"3,c\": 9}}}\n"
	"{\"type\": \"stats\", \"data\": {\"@st\": {\"7\": {\"count\": 1, \"average\": -5, \"total\": -5}, \"2\": {\"count\": 2, \"average\": 3, \"total\": 7}, \"1\": {\"count\": 1, \"average\": 10, \"total\": 10}}}}\n"
	"{\"type\": \"map\", \"data\": {\"@v\": {\"2\": -3, \"3\": 4, \"1\": 5}}}\n"
	"{\"type\": \"map\", \"data\": {\"@v3\": {\"1,a\": \"3\", \"1,b\": \"2\", \"2,a\": \"1\", \"-1,z\": \"4\"}}}\n"
	"{\"type\": \"map\", \"data\": {\"@ve\": {\"q\\\"uo\\\\te\\ttab\": \"v\\\"al\\nnl\"}}}\n"
	"{\"type\": \"map\", \"data\": {\"@vk\": {\"B\": \"w\", \"a\": \"y\", \"ab\": \"z\", \"b\": \"x\"}}}\n"
	"{\"type\": \"map\", \"data\": {\"@vs\": {\"1\": \"b\", \"2\": \"c\", \"256\": \"a\", \"-5\": \"d\"}}}\n";

/* First differing line, for a readable failure. */
static void expect_same(const char *got, const char *want)
{
	const char *g = got, *w = want;
	int line = 1;

	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	cr_expect_str_eq(got, want, "differs at line %d: got \"%.60s\", want \"%.60s\"", line, g,
			 w);
}

Test(mapfmt, every_kind_prints_as_bpftrace_prints_it_in_text)
{
	char *got = format_all(OUT_TEXT);

	expect_same(got, want_text);
	free(got);
}

Test(mapfmt, every_kind_prints_as_bpftrace_prints_it_in_json)
{
	char *got = format_all(OUT_JSON);

	expect_same(got, want_json);
	free(got);
}

/* print(@m, top, div) of each kind, as bpftrace 0.17 printed it for
 * tests/unit/mapfmt_print.bt: the last `top` entries, values divided where
 * bpftrace divides (not lhist, not stats; hist counts but not its bars). */
static const char want_print_text[] =
	"@c[2]: 1\n"
	"@c[3]: 1\n"
	"@h[2]: \n"
	"[4, 8)                 0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@h[3]: \n"
	"[64, 128)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[128, 256)             0 |                                                    |\n"
	"[256, 512)             0 |                                                    |\n"
	"[512, 1K)              0 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n"
	"@l[2]: \n"
	"[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[10, 20)               0 |                                                    |\n"
	"[20, 30)               0 |                                                    |\n"
	"[30, 40)               0 |                                                    |\n"
	"[40, 50)               0 |                                                    |\n"
	"[50, 60)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@l[3]: \n"
	"[10, 20)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"[20, 30)               0 |                                                    |\n"
	"[30, 40)               0 |                                                    |\n"
	"[40, 50)               0 |                                                    |\n"
	"[50, 60)               0 |                                                    |\n"
	"[60, 70)               0 |                                                    |\n"
	"[70, 80)               0 |                                                    |\n"
	"[80, 90)               0 |                                                    |\n"
	"[90, 100)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
	"\n"
	"@a[2]: 100\n"
	"@a[3]: 150\n"
	"\n"
	"@st[1]: count 1, average 100, total 100\n"
	"@st[2]: count 1, average 200, total 200\n"
	"@st[3]: count 1, average 300, total 300\n"
	"\n"
	"@mn[2]: 66\n"
	"@mn[3]: 100\n"
	"@mx[2]: 66\n"
	"@mx[3]: 100\n"
	"@s[2]: 66\n"
	"@s[3]: 100\n"
	"@v[2]: 66\n"
	"@v[3]: 100\n"
	"@kh: \n"
	"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n"
	"@s[1]: -14\n"
	"@s[2]: 28\n"
	"@s[3]: 42\n";

static const char want_print_json[] =
	"{\"type\": \"map\", \"data\": {\"@c\": {\"2\": 1, \"3\": 1}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@h\": {\"2\": [{\"min\": 4, \"max\": 7, \"count\": 0}, {\"min\": 8, \"max\": 15, \"count\": 0}, {\"min\": 16, \"max\": 31, \"count\": 0}, {\"min\": 32, \"max\": 63, \"count\": 0}], \"3\": [{\"min\": 64, \"max\": 127, \"count\": 1}, {\"min\": 128, \"max\": 255, \"count\": 0}, {\"min\": 256, \"max\": 511, \"count\": 0}, {\"min\": 512, \"max\": 1023, \"count\": 0}]}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@l\": {\"2\": [{\"min\": 0, \"max\": 9, \"count\": 1}, {\"min\": 10, \"max\": 19, \"count\": 0}, {\"min\": 20, \"max\": 29, \"count\": 0}, {\"min\": 30, \"max\": 39, \"count\": 0}, {\"min\": 40, \"max\": 49, \"count\": 0}, {\"min\": 50, \"max\": 59, \"count\": 1}], \"3\": [{\"min\": 10, \"max\": 19, \"count\": 2}, {\"min\": 20, \"max\": 29, \"count\": 0}, {\"min\": 30, \"max\": 39, \"count\": 0}, {\"min\": 40, \"max\": 49, \"count\": 0}, {\"min\": 50, \"max\": 59, \"count\": 0}, {\"min\": 60, \"max\": 69, \"count\": 0}, {\"min\": 70, \"max\": 79, \"count\": 0}, {\"min\": 80, \"max\": 89, \"count\": 0}, {\"min\": 90, \"max\": 99, \"count\": 1}]}}}\n"
	"{\"type\": \"stats\", \"data\": {\"@a\": {\"2\": 100, \"3\": 150}}}\n"
	"{\"type\": \"stats\", \"data\": {\"@st\": {\"1\": {\"count\": 1, \"average\": 100, \"total\": 100}, \"2\": {\"count\": 1, \"average\": 200, \"total\": 200}, \"3\": {\"count\": 1, \"average\": 300, \"total\": 300}}}}\n"
	"{\"type\": \"map\", \"data\": {\"@mn\": {\"2\": 66, \"3\": 100}}}\n"
	"{\"type\": \"map\", \"data\": {\"@mx\": {\"2\": 66, \"3\": 100}}}\n"
	"{\"type\": \"map\", \"data\": {\"@s\": {\"2\": 66, \"3\": 100}}}\n"
	"{\"type\": \"map\", \"data\": {\"@v\": {\"2\": 66, \"3\": 100}}}\n"
	"{\"type\": \"hist\", \"data\": {\"@kh\": [{\"min\": 4, \"max\": 7, \"count\": 1}]}}\n"
	"{\"type\": \"map\", \"data\": {\"@s\": {\"1\": -14, \"2\": 28, \"3\": 42}}}\n";

static struct tmap *find(const char *name)
{
	for (size_t i = 0; i < nmaps; i++)
		if (!strcmp(maps[i].pm.name, name))
			return &maps[i];
	cr_assert_fail("no map %s", name);
	return NULL;
}

static void fill_print(void)
{
	struct tmap *m;

	nmaps = 0;
	m = map("@c", AGG_COUNT, "i");
	for (int64_t k = 1; k <= 3; k++)
		add_u64(entry(m, k), 0, k);
	m = map("@h", AGG_HIST, "i");
	hist(entry(m, 1L), 5);
	hist(entry(m, 2L), 5);
	hist(entry(m, 2L), 50);
	hist(entry(m, 3L), 100);
	hist(entry(m, 3L), 100);
	hist(entry(m, 3L), 1000);
	m = map("@l", AGG_LHIST, "i");
	lhist_params(m, 0, 100, 10);
	lhist(m, entry(m, 1L), 5);
	lhist(m, entry(m, 2L), 5);
	lhist(m, entry(m, 2L), 55);
	lhist(m, entry(m, 3L), 15);
	lhist(m, entry(m, 3L), 15);
	lhist(m, entry(m, 3L), 95);
	m = map("@a", AGG_AVG, "i");
	for (int64_t k = 1; k <= 3; k++)
		avg(entry(m, k), k * 100);
	m = map("@st", AGG_STATS, "i");
	for (int64_t k = 1; k <= 3; k++)
		avg(entry(m, k), k * 100);
	m = map("@mn", AGG_MIN, "i");
	for (int64_t k = 1; k <= 3; k++)
		minmax(entry(m, k), k * 100, true);
	m = map("@mx", AGG_MAX, "i");
	for (int64_t k = 1; k <= 3; k++)
		minmax(entry(m, k), k * 100, false);
	m = map("@s", AGG_SUM, "i");
	add_u64(entry(m, 1L), 0, -100);
	add_u64(entry(m, 2L), 0, 200);
	add_u64(entry(m, 3L), 0, 300);
	m = map("@v", AGG_VALUE, "i");
	add_u64(entry(m, 1L), 0, -100);
	add_u64(entry(m, 2L), 0, 200);
	add_u64(entry(m, 3L), 0, 300);
	m = map("@kh", AGG_HIST, "");
	hist(entry(m), 7);
	hist(entry(m), 7);
}

static char *print_calls(enum out_format fmt)
{
	static const struct {
		const char *name;
		uint64_t top, div;
	} calls[] = {
		{ "@c", 2, 2 }, { "@h", 2, 2 }, { "@l", 2, 2 }, { "@a", 2, 2 }, { "@st", 2, 2 },
		{ "@mn", 2, 3 }, { "@mx", 2, 3 }, { "@s", 2, 3 }, { "@v", 2, 3 }, { "@kh", 0, 2 },
		{ "@s", 5, 7 },
	};
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);

	fill_print();
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		char *one = format(find(calls[i].name), fmt, calls[i].top, calls[i].div);

		fputs(one, f);
		free(one);
	}
	fclose(f);
	return all;
}

Test(mapfmt, print_with_top_and_div_as_bpftrace_in_text)
{
	char *got = print_calls(OUT_TEXT);

	expect_same(got, want_print_text);
	free(got);
}

Test(mapfmt, print_with_top_and_div_as_bpftrace_in_json)
{
	char *got = print_calls(OUT_JSON);

	expect_same(got, want_print_json);
	free(got);
}

/* Zeroed entries print as bpftrace printed them after zero(); equal values
 * are ordered by key here, where bpftrace left them in hash order. */
Test(mapfmt, zeroed_entries_print_zeros_and_keep_their_keys)
{
	static const struct {
		const char *name;
		const char *text, *json;
	} want[] = {
		{ "@c", "@c[1]: 0\n@c[2]: 0\n@c[3]: 0\n",
		  "{\"type\": \"map\", \"data\": {\"@c\": {\"1\": 0, \"2\": 0, \"3\": 0}}}\n" },
		{ "@h", "@h[1]: \n\n@h[2]: \n\n@h[3]: \n\n",
		  "{\"type\": \"hist\", \"data\": {\"@h\": {\"1\": [], \"2\": [], \"3\": []}}}\n" },
		{ "@l", "@l[1]: \n\n@l[2]: \n\n@l[3]: \n\n",
		  "{\"type\": \"hist\", \"data\": {\"@l\": {\"1\": [], \"2\": [], \"3\": []}}}\n" },
		{ "@a", "@a[1]: 0\n@a[2]: 0\n@a[3]: 0\n\n",
		  "{\"type\": \"stats\", \"data\": {\"@a\": {\"1\": 0, \"2\": 0, \"3\": 0}}}\n" },
		{ "@st",
		  "@st[1]: count 0, average 0, total 0\n@st[2]: count 0, average 0, total 0\n"
		  "@st[3]: count 0, average 0, total 0\n\n",
		  "{\"type\": \"stats\", \"data\": {\"@st\": {\"1\": {\"count\": 0, \"average\": 0, "
		  "\"total\": 0}, \"2\": {\"count\": 0, \"average\": 0, \"total\": 0}, \"3\": "
		  "{\"count\": 0, \"average\": 0, \"total\": 0}}}}\n" },
		{ "@mn", "@mn[1]: 0\n@mn[2]: 0\n@mn[3]: 0\n",
		  "{\"type\": \"map\", \"data\": {\"@mn\": {\"1\": 0, \"2\": 0, \"3\": 0}}}\n" },
		{ "@kh", "@kh: \n\n", "{\"type\": \"hist\", \"data\": {\"@kh\": []}}\n" },
	};

	fill_print();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct tmap *m = find(want[i].name);
		char *got;

		for (size_t e = 0; e < m->n; e++)
			memset(m->vals[e], 0, VSIZE);
		got = format(m, OUT_TEXT, 0, 0);
		cr_expect_str_eq(got, want[i].text, "%s", want[i].name);
		free(got);
		got = format(m, OUT_JSON, 0, 0);
		cr_expect_str_eq(got, want[i].json, "%s", want[i].name);
		free(got);
	}
}

/* bpftrace 0.17 after clear(), and for maps never written. */
Test(mapfmt, empty_maps_print_blank_lines_in_text_and_nothing_in_json)
{
	static const struct {
		const char *name;
		const char *text;
	} want[] = {
		{ "@c", "\n" }, { "@h", "\n" }, { "@l", "\n" }, { "@a", "\n\n" },
		{ "@st", "\n\n" }, { "@mn", "\n" }, { "@v", "\n" }, { "@kh", "\n" },
	};

	fill_print();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct tmap *m = find(want[i].name);
		char *got;

		m->n = 0;
		got = format(m, OUT_TEXT, 0, 0);
		cr_expect_str_eq(got, want[i].text, "%s", want[i].name);
		free(got);
		got = format(m, OUT_JSON, 0, 0);
		cr_expect_str_eq(got, "", "%s", want[i].name);
		free(got);
	}
}

Test(mapfmt, json_escapes_as_bpftrace_does)
{
	/* bpftrace -f json printed printf("a\"b\\c\td\x01é\n") like this */
	static const char in[] = "a\"b\\c\td\x01\xc3\xa9\n\r";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	mapfmt_json_escape(in, sizeof(in) - 1, f);
	fclose(f);
	cr_expect_str_eq(buf, "a\\\"b\\\\c\\td\\u0001\\uffffffc3\\uffffffa9\\n\\r");
	free(buf);
}

Test(mapfmt, probe_keys_print_their_names)
{
	struct plan_probe probes[2] = {
		{ .name = "uprobe:./touch:main.touch", .func = "main.touch",
		  .access.site = "main.touch+0x1e touch.go:20" },
		{ .name = "uprobe:./touch:main.main", .func = "main.main" },
	};
	struct plan plan = { .probes = probes, .nprobes = 2 };
	struct mapfmt_style st = { .plan = &plan, .fmt = OUT_TEXT, .stack_fd = -1 };
	struct plan_map pm = {
		.name = "@", .agg = AGG_COUNT, .nkeys = 2, .key_size = 16, .value_size = 8,
		.keys = { { .kind = VAL_SYM, .sym = SYM_PROBE, .size = 8 },
			  { .kind = VAL_SYM, .sym = SYM_FUNC, .offset = 8, .size = 8 } },
	};
	uint64_t keys[2][2] = { { 0, 0 }, { 1, 1 } }, vals[2] = { 7, 3 };
	struct mapfmt_entry e[2] = { { keys[0], &vals[0] }, { keys[1], &vals[1] } };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(mapfmt_format(&st, &pm, e, 2, 0, 0, f), 0);
	st.fmt = OUT_JSON;
	cr_assert_eq(mapfmt_format(&st, &pm, e, 2, 0, 0, f), 0);
	pm.keys[0].sym = SYM_SITE;
	pm.nkeys = 1;
	st.fmt = OUT_TEXT;
	/* sorted in place: the entry of count 7 is now the second */
	cr_assert_eq(mapfmt_format(&st, &pm, e + 1, 1, 0, 0, f), 0);
	fclose(f);
	cr_expect_str_eq(buf, "@[uprobe:./touch:main.main, main.main]: 3\n"
			      "@[uprobe:./touch:main.touch, main.touch]: 7\n"
			      "{\"type\": \"map\", \"data\": {\"@\": {\"uprobe:./touch:main.main,main.main\": 3, "
			      "\"uprobe:./touch:main.touch,main.touch\": 7}}}\n"
			      "@[main.touch+0x1e touch.go:20]: 7\n");
	free(buf);
}
