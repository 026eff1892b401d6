// SPDX-License-Identifier: MIT
/*
 * The stream generator: xoshiro256** seeded through splitmix64 picks, for
 * each event, a component by weight (the background or one active range,
 * with its weight of the moment), then an index uniformly inside it, and
 * advances time by an exponential gap at the rate of the moment. Range
 * positions move with their velocity and jump at their event, so the truth
 * of any moment is a function of the event count alone. The adjusted Rand
 * index is computed from the contingency table of two labelings, built by
 * sorting label pairs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/streamgen.h"

struct streamgen {
	struct streamgen_config c;
	uint64_t s[4];
	uint64_t n;
	double ts;
};

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(struct streamgen *g)
{
	uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* Uniform in [0, 1). */
static double unif(struct streamgen *g)
{
	return (double)(rnd(g) >> 11) * 0x1p-53;
}

struct streamgen *streamgen__new(const struct streamgen_config *c)
{
	struct streamgen *g = calloc(1, sizeof(*g));
	uint64_t x;
	int i;

	if (!g)
		return NULL;
	g->c = *c;
	if (g->c.nranges > STREAMGEN_MAX_RANGES)
		g->c.nranges = STREAMGEN_MAX_RANGES;
	if (g->c.rate <= 0)
		g->c.rate = 1e6;
	if (g->c.dims != 2)
		g->c.dims = 1;
	x = c->seed;
	for (i = 0; i < 4; i++)
		g->s[i] = splitmix(&x);
	g->ts = (double)c->ts0;
	return g;
}

void streamgen__free(struct streamgen *g)
{
	free(g);
}

uint64_t streamgen__count(const struct streamgen *g)
{
	return g->n;
}

static bool range_active(const struct streamgen_range *r, uint64_t n)
{
	return n >= r->on && (!r->off || n < r->off);
}

static double range_lo_at(const struct streamgen_range *r, uint64_t n)
{
	double lo = r->lo + r->velocity * (double)n;

	if (r->jump_at && n >= r->jump_at)
		lo += r->jump_by;
	return lo;
}

static double range_weight_at(const struct streamgen_range *r, uint64_t n)
{
	if (r->weight_period && (n / r->weight_period) % 2)
		return r->weight_alt;
	return r->weight;
}

double streamgen__range_lo(const struct streamgen *g, unsigned i)
{
	return range_lo_at(&g->c.range[i], g->n);
}

double streamgen__range_sigma(const struct streamgen *g, unsigned i)
{
	return g->c.range[i].width / sqrt(12);
}

static int64_t clampi(double x, uint64_t len)
{
	int64_t v = (int64_t)floor(x);

	if (v < 0)
		v = 0;
	if ((uint64_t)v >= len)
		v = (int64_t)len - 1;
	return v;
}

void streamgen__next(struct streamgen *g, struct heat_event *ev, unsigned *label)
{
	const struct streamgen_config *c = &g->c;
	double w[STREAMGEN_MAX_RANGES + 1], sum = c->background, u, rate = c->rate;
	unsigned i, pick = 0;
	uint64_t n = g->n;

	for (i = 0; i < c->nranges; i++) {
		w[i] = range_active(&c->range[i], n) ? range_weight_at(&c->range[i], n) : 0;
		sum += w[i];
	}
	u = unif(g) * sum;
	for (i = 0; i < c->nranges; i++) {
		if (u < w[i]) {
			pick = i + 1;
			break;
		}
		u -= w[i];
	}
	if (pick) {
		const struct streamgen_range *r = &c->range[pick - 1];
		double lo = range_lo_at(r, n);

		if (c->dims == 2) {
			ev->row = clampi(lo + unif(g) * r->width, c->length);
			ev->col = clampi(r->lo_col + unif(g) * r->width_col, c->cols);
		} else {
			ev->row = 0;
			ev->col = clampi(lo + unif(g) * r->width, c->length);
		}
		if (label)
			*label = r->label;
	} else {
		if (c->dims == 2) {
			ev->row = (int64_t)(rnd(g) % c->length);
			ev->col = (int64_t)(rnd(g) % c->cols);
		} else {
			ev->row = 0;
			ev->col = (int64_t)(rnd(g) % c->length);
		}
		if (label)
			*label = 0;
	}
	if (c->rate_period && (n / c->rate_period) % 2 && c->rate_alt > 0)
		rate = c->rate_alt;
	g->ts += -log(1 - unif(g)) * 1e9 / rate;
	ev->ts_ns = (uint64_t)g->ts;
	ev->site = 0;
	ev->pad = 0;
	g->n++;
}

void streamgen__fill(struct streamgen *g, struct heat_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		streamgen__next(g, &ev[i], NULL);
}

unsigned streamgen__label(const struct streamgen *g, int64_t row, int64_t col)
{
	const struct streamgen_config *c = &g->c;
	unsigned i;

	for (i = 0; i < c->nranges; i++) {
		const struct streamgen_range *r = &c->range[i];
		double lo = range_lo_at(r, g->n), x = c->dims == 2 ? (double)row : (double)col;

		if (!range_active(r, g->n) || x < floor(lo) || x >= floor(lo + r->width))
			continue;
		if (c->dims == 2 && ((double)col < floor(r->lo_col) ||
				     (double)col >= floor(r->lo_col + r->width_col)))
			continue;
		return r->label;
	}
	return 0;
}

/* ---- adjusted Rand index ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pairs(double x)
{
	return x * (x - 1) / 2;
}

/* Sum over distinct values of C(count, 2), of a sorted array. */
static double sum_pairs(const uint64_t *v, size_t n)
{
	double s = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && v[j] == v[i])
			j++;
		s += pairs((double)(j - i));
		i = j;
	}
	return s;
}

double streamgen_ari(const unsigned *a, const unsigned *b, size_t n)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));
	double sab, sa, sb, expect, max;
	size_t i;

	if (!v)
		return NAN;
	for (i = 0; i < n; i++)
		v[i] = (uint64_t)a[i] << 32 | b[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	sab = sum_pairs(v, n);
	for (i = 0; i < n; i++)
		v[i] = a[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	sa = sum_pairs(v, n);
	for (i = 0; i < n; i++)
		v[i] = b[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	sb = sum_pairs(v, n);
	free(v);
	if (n < 2)
		return 1;
	expect = sa * sb / pairs((double)n);
	max = (sa + sb) / 2;
	if (max == expect)
		return 1;
	return (sab - expect) / (max - expect);
}
