// SPDX-License-Identifier: MIT
/*
 * The synthetic patterns. Each is a builder that lays out phases of parts,
 * as tests/go/scenario does: a part is a share of the phase's accesses
 * over a range (or a 2-D box), spread evenly, as a normal law or a power
 * law (enum truth_shape), moving a number of indices an access, or swept
 * sequentially; hashed patterns put their share on scattered slots. The
 * builder writes the generating phases and, where they differ (bursts
 * shorter than a window), the phases the truth is stated in. Generation
 * draws from xoshiro256** seeded through splitmix64, one event a
 * microsecond, so a window of N events is N microseconds, and the same
 * seed always gives the same trace. Traces are version 2 with the array's
 * extent, as a live run records them, and are replayed by build/hotspan.
 */
#include "tests/lib/patterns.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/trace.h"

#define GEN_PHASES	64
#define GEN_PARTS	TRUTH_MAX_PARTS

struct gpart {
	int64_t lo[2], hi[2];
	double p;
	bool hot;
	double move;
	enum truth_shape shape;
	int64_t stride;		/* > 0: a sequential sweep by this step */
	uint64_t next;
};

struct gphase {
	uint64_t n;
	unsigned nparts;
	struct gpart part[GEN_PARTS];
};

struct gslot {
	int64_t at;
	double p;
};

struct gen {
	unsigned dims;
	uint64_t rows, cols;
	struct gphase *ph, *tph;	/* generating phases, truth phases */
	unsigned nph, ntph;
	int to;				/* 0: both lists, 1: generation only, 2: truth only */
	char events[GEN_PARTS + GEN_PHASES][2][24];
	unsigned nevents;
	/* scattered hot slots: a share over them, by key (cumulative), and their truth */
	double pts_p;
	double *key_cdf;
	int64_t *key_slot;
	uint64_t nkeys;
	struct gslot *slots;
	uint64_t nslots;
	uint64_t s[4];
};

/* ---- random numbers ---- */

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

static uint64_t rnd(struct gen *g)
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

static double unif(struct gen *g)
{
	return (double)(rnd(g) >> 11) * 0x1p-53;
}

static int64_t below(struct gen *g, int64_t n)
{
	return n > 0 ? (int64_t)(unif(g) * (double)n) : 0;
}

/* ---- building ---- */

static void g_array(struct gen *g, uint64_t rows, uint64_t cols)
{
	g->dims = rows > 1 ? 2 : 1;
	g->rows = rows;
	g->cols = cols;
}

static void g_phase(struct gen *g, uint64_t n)
{
	if (g->to != 2 && g->nph < GEN_PHASES) {
		memset(&g->ph[g->nph], 0, sizeof(g->ph[0]));
		g->ph[g->nph++].n = n;
	}
	if (g->to != 1 && g->ntph < GEN_PHASES) {
		memset(&g->tph[g->ntph], 0, sizeof(g->tph[0]));
		g->tph[g->ntph++].n = n;
	}
}

static struct gpart *g_add(struct gen *g, const struct gpart *pt)
{
	struct gpart *r = NULL;

	if (g->to != 2 && g->nph && g->ph[g->nph - 1].nparts < GEN_PARTS) {
		struct gphase *ph = &g->ph[g->nph - 1];

		r = &ph->part[ph->nparts++];
		*r = *pt;
	}
	if (g->to != 1 && g->ntph && g->tph[g->ntph - 1].nparts < GEN_PARTS) {
		struct gphase *ph = &g->tph[g->ntph - 1];

		ph->part[ph->nparts++] = *pt;
	}
	return r;
}

/* 1-D: share p over [lo, hi) */
static void g_part(struct gen *g, int64_t lo, int64_t hi, double p, bool hot)
{
	g_add(g, &(struct gpart){ .lo = { lo, 0 }, .hi = { hi, 0 }, .p = p, .hot = hot });
}

static void g_hot(struct gen *g, int64_t lo, int64_t hi, double p)
{
	g_part(g, lo, hi, p, true);
}

static void g_noise(struct gen *g, double p)
{
	if (g->dims == 2)
		g_add(g, &(struct gpart){ .hi = { (int64_t)g->rows, (int64_t)g->cols }, .p = p });
	else
		g_part(g, 0, (int64_t)g->cols, p, false);
}

static void g_shaped(struct gen *g, int64_t lo, int64_t hi, double p, enum truth_shape shape)
{
	g_add(g, &(struct gpart){ .lo = { lo, 0 }, .hi = { hi, 0 }, .p = p, .hot = true,
				  .shape = shape });
}

static void g_moving(struct gen *g, int64_t lo, int64_t hi, double p, double move)
{
	g_add(g, &(struct gpart){ .lo = { lo, 0 }, .hi = { hi, 0 }, .p = p, .hot = true,
				  .move = move });
}

static void g_sweep(struct gen *g, int64_t lo, int64_t hi, double p, int64_t stride, bool hot)
{
	g_add(g, &(struct gpart){ .lo = { lo, 0 }, .hi = { hi, 0 }, .p = p, .hot = hot,
				  .stride = stride });
}

static void g_box(struct gen *g, int64_t r0, int64_t r1, int64_t c0, int64_t c1, double p)
{
	g_add(g, &(struct gpart){ .lo = { r0, c0 }, .hi = { r1, c1 }, .p = p, .hot = true });
}

static void g_event(struct gen *g, const char *kind, uint64_t access)
{
	if (g->nevents < GEN_PARTS + GEN_PHASES) {
		snprintf(g->events[g->nevents][0], 24, "%s", kind);
		snprintf(g->events[g->nevents][1], 24, "%llu", (unsigned long long)access);
		g->nevents++;
	}
}

/* A table slot for a key: Fibonacci hashing onto [0, slots). */
static int64_t slot_of(uint64_t key, uint64_t slots)
{
	uint32_t h = (uint32_t)(key * 2654435761u);

	return (int64_t)(((uint64_t)h * slots) >> 32);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct gslot *x = a, *y = b;

	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Share p of every access on keys 0..nkeys-1 hashed into the array's
 * slots, key k with weight (k + 1)^-s (s = 0: equal weights); the rest is
 * the phases' parts (noise). The truth lists the slots by share.
 */
static int g_keys(struct gen *g, double p, uint64_t nkeys, double s)
{
	double sum = 0, *w;
	uint64_t k, n = 0;

	g->pts_p = p;
	g->nkeys = nkeys;
	g->key_cdf = malloc(nkeys * sizeof(double));
	g->key_slot = malloc(nkeys * sizeof(int64_t));
	w = calloc(g->cols, sizeof(double));
	g->slots = malloc(g->cols * sizeof(*g->slots));
	if (!g->key_cdf || !g->key_slot || !w || !g->slots) {
		free(w);
		return -ENOMEM;
	}
	for (k = 0; k < nkeys; k++) {
		sum += s > 0 ? pow((double)(k + 1), -s) : 1;
		g->key_cdf[k] = sum;
		g->key_slot[k] = slot_of(k + 1000, g->cols);
	}
	for (k = nkeys; k-- > 0;) {
		double wk = (g->key_cdf[k] - (k ? g->key_cdf[k - 1] : 0)) / sum;

		g->key_cdf[k] /= sum;
		w[g->key_slot[k]] += wk * p;
	}
	for (k = 0; k < g->cols; k++)
		if (w[k] > 0) {
			g->slots[n].at = (int64_t)k;
			g->slots[n++].p = w[k];
		}
	g->nslots = n;
	qsort(g->slots, n, sizeof(*g->slots), cmp_slot);
	free(w);
	return 0;
}

/* ---- the patterns ---- */

#define L	65536		/* the scenario suite's main.arr */
#define N	0.1		/* its noise */

static void b_gap_narrow(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20400, 0.45);
	g_hot(g, 20440, 20840, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_gap_mid(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20400, 0.45);
	g_hot(g, 20550, 20950, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_gap_wide(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20100, 0.45);
	g_hot(g, 20400, 20500, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_gap_uneven(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20800, 0.45);
	g_hot(g, 20850, 20900, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_adjacent(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20050, 0.45);
	g_hot(g, 20050, 22050, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_nested(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 10000, 14000, 0.3);
	g_hot(g, 11800, 12000, 0.6);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_gauss(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_shaped(g, 20000, 20800, 0.9, TRUTH_GAUSS);
	g_event(g, "appear", 0);
}

static void b_power(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_shaped(g, 20000, 21000, 0.9, TRUTH_POWER);
	g_event(g, "appear", 0);
}

static void many(struct gen *g, unsigned n, int64_t w, int64_t step)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	for (unsigned i = 0; i < n; i++) {
		g_hot(g, 1000 + step * i, 1000 + step * i + w, 0.9 / n);
		g_event(g, "appear", 0);
	}
}

static void b_many20(struct gen *g) { many(g, 20, 50, 3000); }
static void b_many50(struct gen *g) { many(g, 50, 20, 1200); }
static void b_many75(struct gen *g) { many(g, 75, 10, 800); }
static void b_many100(struct gen *g) { many(g, 100, 10, 600); }

/* a range widening (or narrowing) by 100 indices a side every 4096 accesses */
static void resize(struct gen *g, int dir)
{
	g_array(g, 1, L);
	for (int i = 0; i < 10; i++) {
		int64_t k = dir > 0 ? i : 9 - i;

		g_phase(g, 4096);
		g_noise(g, N);
		g_hot(g, 20000 - 100 * k, 20200 + 100 * k, 0.9);
	}
	g_event(g, "appear", 0);
}

static void b_widen(struct gen *g) { resize(g, 1); }
static void b_narrow(struct gen *g) { resize(g, -1); }

static void wide(struct gen *g, int64_t lo, int64_t hi)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, lo, hi, 0.9);
	g_event(g, "appear", 0);
}

static void b_half(struct gen *g) { wide(g, 0, L / 2); }
static void b_third(struct gen *g) { wide(g, 10000, 30000); }
static void b_at0(struct gen *g) { wide(g, 0, 300); }
static void b_atend(struct gen *g) { wide(g, L - 300, L); }

static void sized(struct gen *g, uint64_t len, int64_t lo, int64_t hi, double noise)
{
	g_array(g, 1, len);
	g_phase(g, 40000);
	g_noise(g, noise);
	if (hi > lo) {
		g_hot(g, lo, hi, 1 - noise);
		g_event(g, "appear", 0);
	}
}

static void b_len16(struct gen *g) { sized(g, 16, 4, 8, N); }
static void b_len16_end(struct gen *g) { sized(g, 16, 14, 16, N); }
static void b_len64(struct gen *g) { sized(g, 64, 10, 20, N); }
static void b_len1e6(struct gen *g) { sized(g, 1000000, 500000, 501000, N); }
static void b_len1e7(struct gen *g) { sized(g, 10000000, 5000000, 5002000, N); }
static void b_uniform16(struct gen *g) { sized(g, 16, 0, 0, 1); }
static void b_uniform64k(struct gen *g) { sized(g, L, 0, 0, 1); }
static void b_uniform1e7(struct gen *g) { sized(g, 10000000, 0, 0, 1); }
static void b_noise0(struct gen *g) { sized(g, L, 20000, 20600, 0); }
static void b_noise50(struct gen *g) { sized(g, L, 20000, 20600, 0.5); }
static void b_noise90(struct gen *g) { sized(g, L, 20000, 20600, 0.9); }

/* bursts of 256 accesses alternating between two ranges: each window sees both */
static void b_bursty(struct gen *g)
{
	g_array(g, 1, L);
	g->to = 1;
	for (int i = 0; i < 40000 / 256 && g->nph < GEN_PHASES; i++) {
		g_phase(g, 256);
		g_noise(g, N);
		g_hot(g, i % 2 ? 30000 : 5000, i % 2 ? 30400 : 5400, 0.9);
	}
	g->to = 2;
	g_phase(g, 256 * g->nph);
	g_noise(g, N);
	g_hot(g, 5000, 5400, 0.45);
	g_hot(g, 30000, 30400, 0.45);
	g->to = 0;
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

/* a range moving its own width every window for 16 windows, then still */
static void b_fastmove(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 8192);
	g_noise(g, N);
	g_hot(g, 10000, 10400, 0.9);
	g_phase(g, 16384);
	g_noise(g, N);
	g_moving(g, 10000, 10400, 0.9, 400.0 / 1024);
	g_phase(g, 12288);
	g_noise(g, N);
	g_hot(g, 16400, 16800, 0.9);
	g_event(g, "appear", 0);
	g_event(g, "drift", 8192);
	g_event(g, "settle", 24576);
}

/* two ranges trade intensities, twice: nothing moves */
static void b_swap(struct gen *g)
{
	g_array(g, 1, L);
	for (int i = 0; i < 3; i++) {
		g_phase(g, 12000);
		g_noise(g, N);
		g_hot(g, 5000, 5200, i % 2 ? 0.2 : 0.7);
		g_hot(g, 30000, 30200, i % 2 ? 0.7 : 0.2);
	}
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

/* a range swept sequentially at a stride, over and over */
static void b_strided(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_sweep(g, 20000, 22000, 0.9, 4, true);
	g_event(g, "appear", 0);
}

/* the whole array swept sequentially: nothing is hot */
static void b_fullscan(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_sweep(g, 0, L, 1, 1, false);
}

#define G	256		/* the scenario suite's grid */

static void b_rowband(struct gen *g)
{
	g_array(g, G, G);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 100, 110, 0, G, 0.9);
	g_event(g, "appear", 0);
}

static void b_colband(struct gen *g)
{
	g_array(g, G, G);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 0, G, 100, 110, 0.9);
	g_event(g, "appear", 0);
}

static void b_twoblocks(struct gen *g)
{
	g_array(g, G, G);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 20, 50, 20, 50, 0.45);
	g_box(g, 150, 200, 100, 180, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static void b_blocks_near(struct gen *g)
{
	g_array(g, G, G);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 40, 80, 40, 80, 0.45);
	g_box(g, 84, 124, 40, 80, 0.45);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

static int keys(struct gen *g, uint64_t len, double p, uint64_t nkeys, double s)
{
	g_array(g, 1, len);
	g_phase(g, 40000);
	if (p < 1)
		g_noise(g, 1 - p);
	return g_keys(g, p, nkeys, s);
}

static void b_hashed1m(struct gen *g) { (void)keys(g, 1000000, 0.9, 64, 0); }
static void b_hashed1k(struct gen *g) { (void)keys(g, 1024, 0.9, 16, 0); }
static void b_zipf1k(struct gen *g) { (void)keys(g, 1024, 1, 100000, 1.1); }
static void b_zipf64k(struct gen *g) { (void)keys(g, L, 1, 100000, 1.1); }
static void b_zipf1m(struct gen *g) { (void)keys(g, 1000000, 1, 100000, 1.1); }

/* time windows: the same range, the window a millisecond (1000 events) */
static void b_time_stationary(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 12000, 12600, 0.9);
	g_event(g, "appear", 0);
}

static void b_time_jump(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 20000);
	g_noise(g, N);
	g_hot(g, 1000, 1500, 0.9);
	g_phase(g, 20000);
	g_noise(g, N);
	g_hot(g, 40000, 40800, 0.9);
	g_event(g, "appear", 0);
	g_event(g, "move", 20000);
}

/* a range with a cold hole of 40 in it: two ranges */
static void b_hole(struct gen *g)
{
	g_array(g, 1, L);
	g_phase(g, 40000);
	g_noise(g, N);
	g_hot(g, 20000, 20480, 0.9 * 480 / 960);
	g_hot(g, 20520, 21000, 0.9 * 480 / 960);
	g_event(g, "appear", 0);
	g_event(g, "appear", 0);
}

/* 10^6 elements: half the accesses spread thin over a fifth of the array */
static void b_sparse(struct gen *g)
{
	g_array(g, 1, 1000000);
	g_phase(g, 40000);
	g_noise(g, 0.5);
	g_hot(g, 100000, 300000, 0.5);
	g_event(g, "appear", 0);
}

/* the hot range goes back and forth between two places every 4096 accesses */
static void b_pingpong(struct gen *g)
{
	g_array(g, 1, L);
	for (int i = 0; i < 8; i++) {
		g_phase(g, 4096);
		g_noise(g, N);
		g_hot(g, i % 2 ? 40000 : 10000, i % 2 ? 40500 : 10500, 0.9);
		g_event(g, i ? "move" : "appear", 4096 * (uint64_t)i);
	}
}

/* 2-D: a diagonal band four cells wide, as the boxes it is made of */
static void b_diagonal(struct gen *g)
{
	g_array(g, G, G);
	g_phase(g, 40000);
	g_noise(g, N);
	for (int k = 0; k < 64; k++)
		g_box(g, 4 * k, 4 * k + 4, 4 * k, 4 * k + 8, 0.9 / 64);
	g_event(g, "appear", 0);
}

static void b_grid16(struct gen *g)
{
	g_array(g, 16, 16);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 4, 8, 10, 14, 0.9);
	g_event(g, "appear", 0);
}

static void b_tall(struct gen *g)
{
	g_array(g, 4096, 16);
	g_phase(g, 40000);
	g_noise(g, N);
	g_box(g, 1000, 1100, 0, 16, 0.9);
	g_event(g, "appear", 0);
}

/* the engine benchmark's stream: 10^6 elements, half the accesses uniform, three ranges */
static void b_bench(struct gen *g)
{
	g_array(g, 1, 1000000);
	g_phase(g, 40000);
	g_noise(g, 0.5);
	for (int i = 0; i < 3; i++) {
		g_hot(g, 100000 + 300000 * i, 100000 + 300000 * i + 100 + 50 * i,
		      0.5 * (100 + 50 * i) / 450);
		g_event(g, "appear", 0);
	}
}

static void b_zipf1e7(struct gen *g) { (void)keys(g, 10000000, 1, 100000, 1.1); }

struct builder {
	const char *name;
	void (*fn)(struct gen *g);
};

static const struct builder builders[] = {
	{ "gap_narrow", b_gap_narrow },
	{ "gap_mid", b_gap_mid },
	{ "gap_wide", b_gap_wide },
	{ "gap_uneven", b_gap_uneven },
	{ "adjacent", b_adjacent },
	{ "nested", b_nested },
	{ "gauss", b_gauss },
	{ "power", b_power },
	{ "many20", b_many20 },
	{ "many50", b_many50 },
	{ "many75", b_many75 },
	{ "many100", b_many100 },
	{ "widen", b_widen },
	{ "narrow", b_narrow },
	{ "half", b_half },
	{ "third", b_third },
	{ "at0", b_at0 },
	{ "atend", b_atend },
	{ "len16", b_len16 },
	{ "len16_end", b_len16_end },
	{ "len64", b_len64 },
	{ "len1e6", b_len1e6 },
	{ "len1e7", b_len1e7 },
	{ "uniform16", b_uniform16 },
	{ "uniform64k", b_uniform64k },
	{ "uniform1e7", b_uniform1e7 },
	{ "noise0", b_noise0 },
	{ "noise50", b_noise50 },
	{ "noise90", b_noise90 },
	{ "bursty", b_bursty },
	{ "fastmove", b_fastmove },
	{ "swap", b_swap },
	{ "strided", b_strided },
	{ "fullscan", b_fullscan },
	{ "rowband", b_rowband },
	{ "colband", b_colband },
	{ "twoblocks", b_twoblocks },
	{ "blocks_near", b_blocks_near },
	{ "hashed1m", b_hashed1m },
	{ "hashed1k", b_hashed1k },
	{ "zipf1k", b_zipf1k },
	{ "zipf64k", b_zipf64k },
	{ "zipf1m", b_zipf1m },
	{ "hole", b_hole },
	{ "sparse", b_sparse },
	{ "pingpong", b_pingpong },
	{ "diagonal", b_diagonal },
	{ "grid16", b_grid16 },
	{ "tall", b_tall },
	{ "zipf1e7", b_zipf1e7 },
	{ "bench", b_bench },
	{ "time_stationary", b_time_stationary },
	{ "time_jump", b_time_jump },
};

const struct pattern patterns[] = {
	{ "gap_narrow", "two ranges of 400, 40 apart", true, NULL, 0, true },
	{ "gap_mid", "two ranges of 400, 150 apart", true, NULL, 0, true },
	{ "gap_wide", "two ranges of 100, 300 apart", true, NULL, 0, true },
	{ "gap_uneven", "ranges of 800 and 50, 50 apart", true, NULL, 0, true },
	{ "adjacent", "50 and 2000 wide, touching, 45% each", true, NULL, 0, true },
	{ "nested", "200 at 60% inside 4000 at 30%", true, NULL, 0, true },
	{ "gauss", "a normal law over 800", true, NULL, 0, true },
	{ "power", "a power law over 1000", true, NULL, 0, true },
	{ "many20", "20 ranges of 50, 4.5% each", true, NULL, 0, true },
	{ "many50", "50 ranges of 20, 1.8% each", true, NULL, 0, true },
	{ "many75", "75 ranges of 10, 1.2% each", true, NULL, 0, true },
	{ "many100", "100 ranges of 10, 0.9% each (under the minimum share)", true, NULL, 0, false },
	{ "widen", "200 widening to 2000", false, NULL, 0, true },
	{ "narrow", "2000 narrowing to 200", false, NULL, 0, true },
	{ "half", "90% over half the array", true, NULL, 0, true },
	{ "third", "90% over 20000 of 65536", true, NULL, 0, true },
	{ "at0", "[0, 300)", true, NULL, 0, true },
	{ "atend", "the last 300", true, NULL, 0, true },
	{ "len16", "16 elements, [4, 8) at 90%", true, NULL, 0, true },
	{ "len16_end", "16 elements, [14, 16) at 90%", true, NULL, 0, true },
	{ "len64", "64 elements, [10, 20) at 90%", true, NULL, 0, true },
	{ "len1e6", "10^6 elements, 1000 at 90%", true, NULL, 0, true },
	{ "len1e7", "10^7 elements, 2000 at 90%", true, NULL, 0, true },
	{ "uniform16", "16 elements, uniform", true, NULL, 0, true },
	{ "uniform64k", "65536 elements, uniform", true, NULL, 0, true },
	{ "uniform1e7", "10^7 elements, uniform", true, NULL, 0, true },
	{ "noise0", "600 at 100%, no noise", true, NULL, 0, true },
	{ "noise50", "600 at 50%, 50% noise", true, NULL, 0, true },
	{ "noise90", "600 at 10%, 90% noise", true, NULL, 0, true },
	{ "bursty", "bursts of 256 between two ranges", true, NULL, 0, true },
	{ "fastmove", "400 moving 400 a window", false, NULL, 0, true },
	{ "swap", "two ranges trade 70% and 20%", true, NULL, 0, true },
	{ "strided", "sweeps of [20000, 22000) by 4", true, NULL, 0, true },
	{ "fullscan", "sweeps of the whole array", true, NULL, 0, true },
	{ "rowband", "2-D: 10 rows", true, NULL, 0, true },
	{ "colband", "2-D: 10 columns", true, NULL, 0, true },
	{ "twoblocks", "2-D: two blocks", true, NULL, 0, true },
	{ "blocks_near", "2-D: two blocks 4 rows apart", true, NULL, 0, true },
	{ "hashed1m", "64 keys hashed into 10^6", true, NULL, 0, true },
	{ "hashed1k", "16 keys hashed into 1024", true, NULL, 0, true },
	{ "zipf1k", "Zipf 1.1 keys into 1024 slots", true, NULL, 0, true },
	{ "zipf64k", "Zipf 1.1 keys into 65536 slots", true, NULL, 0, true },
	{ "zipf1m", "Zipf 1.1 keys into 10^6 slots", true, NULL, 0, true },
	{ "hole", "[20000, 21000) with a hole of 40", true, NULL, 0, true },
	{ "sparse", "10^6: 50% over 200000, 50% noise", true, NULL, 0, true },
	{ "pingpong", "back and forth every 4 windows", false, NULL, 0, true },
	{ "diagonal", "2-D: a diagonal band", true, NULL, 0, true },
	{ "grid16", "2-D: 16 x 16, a 4 x 4 block", true, NULL, 0, true },
	{ "tall", "2-D: 4096 x 16, 100 rows", true, NULL, 0, true },
	{ "zipf1e7", "Zipf 1.1 keys into 10^7 slots", true, NULL, 0, true },
	{ "bench", "10^6, 50% noise, 100, 150, 200 wide", true, NULL, 0, true },
	{ "time_stationary", "window = 1ms", true, "window = 1ms;", 1000, true },
	{ "time_jump", "window = 1ms, a jump", false, "window = 1ms;", 1000, true },
};
const unsigned npatterns = sizeof(patterns) / sizeof(patterns[0]);

const struct pattern *pattern_find(const char *name)
{
	for (unsigned i = 0; i < npatterns; i++)
		if (!strcmp(patterns[i].name, name))
			return &patterns[i];
	return NULL;
}

/* ---- writing ---- */

static void truth_print(const struct gen *g, FILE *f)
{
	static const char *const shape[] = { "flat", "gauss", "power" };
	uint64_t at = 0, k;

	fprintf(f, "truth array @h %llu %llu\n", (unsigned long long)g->rows,
		(unsigned long long)g->cols);
	for (unsigned i = 0; i < g->ntph; i++) {
		const struct gphase *ph = &g->tph[i];

		fprintf(f, "truth phase %llu %llu\n", (unsigned long long)at,
			(unsigned long long)(at + ph->n));
		for (unsigned j = 0; j < ph->nparts; j++) {
			const struct gpart *p = &ph->part[j];

			if (g->dims == 2)
				fprintf(f, "truth box %lld %lld %lld %lld %.6f %d\n",
					(long long)p->lo[0], (long long)p->hi[0],
					(long long)p->lo[1], (long long)p->hi[1], p->p, p->hot);
			else
				fprintf(f, "truth part %lld %lld %.6f %d %.9f %s\n",
					(long long)p->lo[0], (long long)p->hi[0], p->p, p->hot,
					p->move, shape[p->shape]);
		}
		at += ph->n;
	}
	for (k = 0; k < g->nslots && k < 4096; k++)
		fprintf(f, "truth point %lld %.8f\n", (long long)g->slots[k].at, g->slots[k].p);
	for (unsigned i = 0; i < g->nevents; i++)
		fprintf(f, "truth event %s %s\n", g->events[i][0], g->events[i][1]);
	fprintf(f, "truth end %llu\n", (unsigned long long)at);
}

/* An index of part pt, access k of its phase. */
static void draw(struct gen *g, struct gpart *pt, uint64_t k, int64_t *row, int64_t *col)
{
	int64_t w = pt->hi[0] - pt->lo[0], x;

	if (g->dims == 2) {
		*row = pt->lo[0] + below(g, w);
		*col = pt->lo[1] + below(g, pt->hi[1] - pt->lo[1]);
		return;
	}
	*row = 0;
	if (pt->stride > 0) {
		x = pt->lo[0] + (int64_t)((pt->next * (uint64_t)pt->stride) % (uint64_t)w);
		pt->next++;
	} else if (pt->shape == TRUTH_GAUSS) {
		double z;

		do {
			/* Box-Muller, cut at two sigmas */
			z = sqrt(-2 * log(1 - unif(g))) * cos(2 * M_PI * unif(g));
		} while (fabs(z) >= 2);
		x = pt->lo[0] + (int64_t)floor((double)w * (0.5 + z / 4));
	} else if (pt->shape == TRUTH_POWER) {
		x = pt->lo[0] + (int64_t)floor((double)w * (pow(10, unif(g)) - 1) / 9);
	} else {
		x = pt->lo[0] + below(g, w);
	}
	x += (int64_t)floor(pt->move * (double)k);
	if (x < 0)
		x = 0;
	if (x >= (int64_t)g->cols)
		x = (int64_t)g->cols - 1;
	*col = x;
}

static int64_t draw_key(struct gen *g)
{
	double u = unif(g);
	uint64_t lo = 0, hi = g->nkeys - 1;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (g->key_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return g->key_slot[lo];
}

static int generate(struct gen *g, FILE *f)
{
	struct trace_map map = { .name = "@h", .dims = g->dims, .rows = g->dims == 2 ? g->rows : 1,
				 .cols = g->cols };
	struct trace_info info = { .origin_ns = 1000000, .origin_wall_ns = 0 };
	struct trace_writer *w = trace_writer__new(f, &map, 1, &info);
	struct heat_event ev[4096];
	uint64_t t = 0, n = 0;
	int err = 0;

	if (!w)
		return -errno;
	for (unsigned i = 0; i < g->nph && !err; i++) {
		struct gphase *ph = &g->ph[i];

		for (uint64_t k = 0; k < ph->n && !err; k++) {
			struct heat_event *e = &ev[n++];
			double u = unif(g);

			memset(e, 0, sizeof(*e));
			e->ts_ns = info.origin_ns + 1000 * ++t;
			if (g->nkeys && u < g->pts_p) {
				e->col = draw_key(g);
			} else {
				unsigned j = 0;

				u = g->nkeys ? (u - g->pts_p) / (1 - g->pts_p) : u;
				for (double sum = 0; j + 1 < ph->nparts; j++) {
					sum += ph->part[j].p / (1 - (g->nkeys ? g->pts_p : 0));
					if (u < sum)
						break;
				}
				draw(g, &ph->part[j], k, &e->row, &e->col);
			}
			if (n == sizeof(ev) / sizeof(ev[0])) {
				err = trace_writer__events(w, 0, ev, n);
				n = 0;
			}
		}
	}
	if (!err && n)
		err = trace_writer__events(w, 0, ev, n);
	if (!err)
		err = trace_writer__finish(w);
	trace_writer__free(w);
	return err;
}

static const struct builder *builder_of(const struct pattern *pt)
{
	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++)
		if (!strcmp(builders[i].name, pt->name))
			return &builders[i];
	return NULL;
}

int pattern_write(const struct pattern *pt, uint64_t seed, const char *trace_path, char **truth)
{
	const struct builder *b = builder_of(pt);
	struct gen g = { 0 };
	size_t len = 0;
	FILE *f = NULL, *t;
	int err = -ENOMEM;

	*truth = NULL;
	if (!b)
		return -ENOENT;
	g.ph = calloc(GEN_PHASES, sizeof(*g.ph));
	g.tph = calloc(GEN_PHASES, sizeof(*g.tph));
	if (!g.ph || !g.tph)
		goto out;
	for (int i = 0; i < 4; i++)
		g.s[i] = splitmix(&seed);
	b->fn(&g);
	if (!g.dims || !g.nph || (g.pts_p > 0 && !g.nslots))
		goto out;
	t = open_memstream(truth, &len);
	if (!t)
		goto out;
	truth_print(&g, t);
	fclose(t);
	f = fopen(trace_path, "wb");
	if (!f) {
		err = -errno;
		goto out;
	}
	err = generate(&g, f);
	if (fclose(f) && !err)
		err = -EIO;
out:
	free(g.ph);
	free(g.tph);
	free(g.key_cdf);
	free(g.key_slot);
	free(g.slots);
	if (err) {
		free(*truth);
		*truth = NULL;
	}
	return err;
}

int pattern_replay(const struct pattern *pt, const char *trace_path, const char *fmt,
		   struct proc_result *r)
{
	char prog[256];
	const char *plain[] = { "build/hotspan", "replay", trace_path, "-f", fmt, NULL };
	const char *with[] = { "build/hotspan", "replay", trace_path, "-f", fmt, "-e", prog, NULL };

	if (!pt->block)
		return proc_run(plain, NULL, r);
	snprintf(prog, sizeof(prog), "BEGIN { @h = heat(1); } hotspot @h { %s }", pt->block);
	return proc_run(with, NULL, r);
}

int pattern_run(const struct pattern *pt, uint64_t seed, struct score *s)
{
	char path[] = "/tmp/hotspan-patternXXXXXX", *truth = NULL;
	struct proc_result r = { 0 };
	struct truth t;
	struct observed o;
	int fd = proc_mkstemp(path), err;

	if (fd < 0)
		return -errno;
	close(fd);
	err = pattern_write(pt, seed, path, &truth);
	if (!err)
		err = pattern_replay(pt, path, "json", &r);
	if (!err && r.status)
		err = -EIO;
	if (!err)
		err = truth_parse(truth, &t);
	if (!err) {
		err = observed_parse(r.out, "@h", &o);
		if (!err)
			err = score_compute(&t, &o, pt->window ? pt->window : 1024, s);
		observed_free(&o);
		truth_free(&t);
	}
	unlink(path);
	free(truth);
	proc_result_free(&r);
	return err;
}

bool pattern_meets_goals(const struct pattern *pt, const struct score *s, const char **why)
{
	const char *r = NULL;

	if (!s->windows)
		r = "no window scored";
	else if (s->has_spans && s->iou < 0.95)
		r = "IoU below 0.95";
	else if (s->share_err > 0.02)
		r = "share error above 0.02";
	else if (s->new_latency > 1)
		r = "new location late";
	else if (s->old_latency > 2)
		r = "old location late";
	else if (pt->calm && s->extra_events)
		r = "events beyond the truth's";
	else if (s->width_ratio > 2)
		r = "a span wider than twice its hot slots";
	else if (!s->has_spans && !s->has_points && s->clusters > 0)
		r = "spans in uniform access";
	if (why)
		*why = r;
	return !r;
}
