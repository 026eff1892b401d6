// SPDX-License-Identifier: MIT
/*
 * Segmentation: one window's active indices (sorted, with their decayed
 * hotness) and the window's own accesses become hot spans, scattered hot
 * indices, and the background.
 *
 * Hotness is compared with the uniform level u = total / extent, the
 * hotness an index would have if access were uniform over the array, and
 * with the background bg, the density outside every hot span. With
 * `hot = auto` a span is hot when it is `contrast` times denser than the
 * background and denser than uniform (density >= t = max(u, contrast *
 * bg)), the excess is significant against the background, and it holds
 * `min_share` of the accesses; single indices that pass (a hashed table's
 * hot buckets) are reported as scattered, never joined across the cold
 * space between them. Every test is a Poisson likelihood ratio taken at P
 * = ln(n / alpha): with n tests, the chance that noise passes any of them
 * is about alpha. Decayed hotness has less variance than the Poisson count
 * of the same mean, so these tests are conservative.
 *
 * The background depends on what is hot, so 1-D segmentation looks twice
 * when there is anything hot: first at t = contrast * u, which finds the
 * spans and the background; then, when contrast * bg is lower, at t =
 * max(u, contrast * bg), each span the first pass found is carried
 * outwards as step 1 would carry it at that threshold, and split again
 * (widen_spans()). A widening must itself be significant against the
 * background. A range with 90% of the accesses over half the array (1.8
 * times uniform, nine times its background) is found whole, while the
 * lukewarm buckets of a hashed table, no denser than uniform, do not
 * become spans because the background under them is low; and the second
 * look costs the cells next to the spans, not the whole run.
 *
 * 1-D, in four steps, each linear in the active indices:
 *   1. regions: the maximal runs where hotness in excess of t beats the
 *      cost t of every index in between (Kadane's scan with restarts: each
 *      region's every prefix and suffix holds more than t per index). This
 *      finds density steps without gaps (a small array's hot range inside
 *      a busy background) as well as ranges in empty space.
 *   2. splits: a region may bridge several ranges; it is split at a cold
 *      run (stretches below t, crossing no stretch significantly above t)
 *      where a model with the stretch at its own density beats one density
 *      for the stretch and the side next to it by P, against both sides,
 *      recursively. A side is the whole rest of the piece, or only what
 *      lies up to the next cold run at least as wide: the first finds the
 *      space between two ranges however many stray hits lie in it, the
 *      second the space between small ranges or hot buckets however many
 *      more lie beyond. A random gap inside a sparse range is not
 *      significant. The likelihood ratio is bounded first by a sum without
 *      logarithms, so most stretches cost a few multiplications.
 *   3. edges: each piece's ends are trimmed where a tail is better
 *      explained by the background than by the piece (the maximum
 *      likelihood change point), and where a tail gets significantly less
 *      than `fade` of the accesses its hotness predicts in this window: the
 *      place a drifting range has left, or the old place of one that
 *      jumped. A piece that is fading as a whole is gone. A place found
 *      left before stays cut while it gets, as a whole, under `fade` of
 *      what its hotness predicts.
 *   4. tests, and the statistics: share over the whole span [lo, hi),
 *      this window's share, the hotness-weighted centre and sigma, and the
 *      sites of this window's accesses to it. A span whose accesses do
 *      not come back to its indices (significantly fewer returns, over the
 *      last three windows, than accesses spread over it would make) is a
 *      sequential sweep's frontier: shown without being announced, and
 *      dropped once the map has had such spans two windows in a row.
 * Spans that were hot last window are held to a band (`hot_band`) lower
 * contrast, and to a minimum share lower by the band or by three standard
 * errors of a share at the minimum, whichever is wider, so a span at the
 * limit does not flicker. A place found fading or left stays out of the
 * spans (struct seg_input's faded and left lists) until accesses come back
 * to it.
 *
 * 2-D: steps 1 and 2 along each row give row pieces; pieces of rows one
 * or two apart whose columns overlap are joined (union-find) into blocks; each
 * block's edges are trimmed on its row and column sums, as in step 3; the
 * tests and statistics are those of 1-D over the block's box.
 *
 * With `hot = pN`, `top(k)` or `> N` the indices at or above that hotness
 * are the hot ones, chained where gaps are less than eps (with eps = auto,
 * runs of hot indices merge across a gap no wider than the narrower run);
 * a span needs minpts of them and min_share.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

#define TRIM_MAX	64	/* points a likelihood trim looks at from each end */

/* A sequence of cells along one axis: positions and masses. */
struct seq {
	const struct hslot *pt;		/* run entries, actual = v * scale ... */
	double scale;
	bool col;			/* ... of one 2-D row: the position is the column */
	const int64_t *px;		/* or plain arrays */
	const double *pm;
	size_t n;
	double t, t_lo;			/* hot at t; at t_lo inside a relaxed interval */
	const int64_t (*relax)[2];	/* sorted, disjoint [lo, hi) */
	size_t nrelax;
};

static inline int64_t sx(const struct seq *s, size_t i)
{
	if (s->pt)
		return s->col ? (int64_t)(s->pt[i].key & 0xffff) : (int64_t)s->pt[i].key;
	return s->px[i];
}

static inline double sm(const struct seq *s, size_t i)
{
	return s->pt ? s->pt[i].v * s->scale : s->pm[i];
}

/*
 * A cursor into the relaxed intervals: the threshold t holds for positions
 * [lo, hi), so that a scan looks the intervals up only where it crosses one
 * of their ends.
 */
struct thr_cur {
	int64_t lo, hi;
	double t;
	size_t c;
};

#define THR_CUR_INIT { .lo = 1, .hi = 0 }

static double sthr_find(const struct seq *s, int64_t x, struct thr_cur *tc)
{
	size_t c = tc->c;

	if (!s->nrelax) {
		tc->lo = INT64_MIN;
		tc->hi = INT64_MAX;
		return tc->t = s->t;
	}
	while (c > 0 && s->relax[c - 1][1] > x)
		c--;
	while (c < s->nrelax && s->relax[c][1] <= x)
		c++;
	tc->c = c;
	if (c < s->nrelax && s->relax[c][0] <= x) {
		tc->lo = s->relax[c][0];
		tc->hi = s->relax[c][1];
		return tc->t = s->t_lo;
	}
	tc->lo = c > 0 ? s->relax[c - 1][1] : INT64_MIN;
	tc->hi = c < s->nrelax ? s->relax[c][0] : INT64_MAX;
	return tc->t = s->t;
}

/* The threshold at x. */
static inline double sthr(const struct seq *s, int64_t x, struct thr_cur *tc)
{
	if (x >= tc->lo && x < tc->hi)
		return tc->t;
	return sthr_find(s, x, tc);
}

/* Poisson log likelihood of m accesses over w cells at their own density. */
static inline double L(double m, double w)
{
	return m > 0 && w > 0 ? m * log(m / w) : 0;
}

/*
 * ln P(X >= m) bound for X Poisson of mean lam (Chernoff), negated: how
 * surprising m is when lam is expected, 0 when m <= lam.
 */
static double excess(double m, double lam)
{
	if (m <= lam)
		return 0;
	if (lam <= 0)
		return INFINITY;
	return m * log(m / lam) - m + lam;
}

/* The same for a deficit: how surprising m is when lam is expected, 0 when m >= lam. */
static double deficit(double m, double lam)
{
	if (m >= lam)
		return 0;
	return (m > 0 ? m * log(m / lam) : 0) - m + lam;
}

struct piece {
	size_t a, b;			/* cells [a, b) of the sequence */
};

struct pieces {
	struct piece *v;
	size_t n, cap;
};

static int pieces_add(struct pieces *ps, size_t a, size_t b)
{
	if (engine_grow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v)))
		return -ENOMEM;
	ps->v[ps->n].a = a;
	ps->v[ps->n].b = b;
	ps->n++;
	return 0;
}

/*
 * Chains of cells at or above the threshold (hot = pN, top(k), > N), for
 * the cells of the sequence, in order. With a fixed eps, hot cells at most
 * eps apart chain. With eps = auto, runs of adjacent hot cells merge with
 * a neighbour when the gap between them is no wider than the narrower of
 * the two, the narrowest gaps first, until none does: no chain bridges a
 * cold gap wider than itself, and hot cells scattered over the background
 * stay alone.
 */
static int chains(const struct seq *s, double eps, struct pieces *out)
{
	struct pieces runs = { 0 };
	size_t i, k, n;
	struct thr_cur cur = THR_CUR_INIT;
	int err = 0;
	bool merged;

	for (i = 0; i < s->n && !err; i++) {
		if (sm(s, i) < sthr(s, sx(s, i), &cur))
			continue;
		if (runs.n) {
			struct piece *l = &runs.v[runs.n - 1];
			int64_t gap = sx(s, i) - sx(s, l->b - 1) - 1;

			if (eps >= 0 ? (double)gap < eps : gap == 0) {
				l->b = i + 1;
				continue;
			}
		}
		err = pieces_add(&runs, i, i + 1);
	}
	/* eps = auto: merge rounds, each taking every gap no wider than its narrower side */
	for (merged = eps < 0; merged && !err;) {
		merged = false;
		for (k = 0, n = 0; k < runs.n; k++) {
			if (n) {
				struct piece *l = &runs.v[n - 1], *r = &runs.v[k];
				int64_t wl = sx(s, l->b - 1) - sx(s, l->a) + 1;
				int64_t wr = sx(s, r->b - 1) - sx(s, r->a) + 1;
				int64_t gap = sx(s, r->a) - sx(s, l->b - 1) - 1;

				if (gap <= (wl < wr ? wl : wr)) {
					l->b = r->b;
					merged = true;
					continue;
				}
			}
			runs.v[n++] = runs.v[k];
		}
		runs.n = n;
	}
	for (k = 0; k < runs.n && !err; k++)
		err = pieces_add(out, runs.v[k].a, runs.v[k].b);
	free(runs.v);
	return err;
}

/*
 * Step 1: the regions above the threshold (relaxed where hot last window):
 * Kadane's scan with restarts, the maximal runs whose every prefix and
 * suffix holds more than the threshold per cell, gaps counted as cells of
 * nothing. Only regions holding at least `least` are kept: lighter ones
 * could be nothing, so the background's stray hits are never enumerated.
 *
 * The scan from cell i, which holds more than the threshold: the end
 * (exclusive) of the best region starting there, and its hotness in *mass.
 * run1d: the sequence is a 1-D run, read without the general accessors.
 */
static inline __attribute__((always_inline)) size_t
region_from(const struct seq *s, size_t i, struct thr_cur *cur, double *mass, const bool run1d)
{
	const struct hslot *pt = s->pt;
	const double scale = s->scale;
	size_t j, n = s->n, best_end = i + 1;

#define RX(i) (run1d ? (int64_t)pt[i].key : sx(s, i))
#define RM(i) (run1d ? pt[i].v * scale : sm(s, i))
	int64_t x = RX(i);
	double m = RM(i), cum = m - sthr(s, x, cur), best = cum, sum = m;

	*mass = m;
	for (j = i + 1; j < n; j++) {
		int64_t y = RX(j);
		double tj = sthr(s, y, cur), mj;

		/* the gap first: every prefix must stay positive */
		cum -= tj * (double)(y - x - 1);
		if (cum <= 0)
			break;
		mj = RM(j);
		cum += mj - tj;
		sum += mj;
		x = y;
		if (cum <= 0)
			break;
		if (cum >= best) {
			best = cum;
			best_end = j + 1;
			*mass = sum;
		}
	}
#undef RX
#undef RM
	return best_end;
}

/*
 * On a 1-D run the scan starts from fewer cells. Most cells of a large run
 * are the background's stray hits: below the threshold, or above it by
 * less than the gap after them costs (the scan would stop at once) and too
 * light to be kept alone. A first pass lists the other cells without a
 * branch per cell; the scan starts at those only, skipping any that its
 * last region covered, as the scan from every cell would. The arithmetic
 * is the scan's, so the regions are the same.
 */
static int regions_run(const struct seq *s, double least, struct pieces *out)
{
	const struct hslot *pt = s->pt;
	const double scale = s->scale;
	size_t i, k, end, n = s->n, ns = 0, *st;
	struct thr_cur cur = THR_CUR_INIT;
	double t0, m0, mass;
	int err = 0;

	if (!n)
		return 0;
	st = malloc(n * sizeof(*st));
	if (!st)
		return -ENOMEM;
	t0 = sthr(s, pt[0].key, &cur);
	for (i = 0; i + 1 < n; i++) {
		int64_t x0 = pt[i].key, x1 = pt[i + 1].key;
		double c0, t1 = sthr(s, x1, &cur);

		m0 = pt[i].v * scale;
		c0 = m0 - t0;
		st[ns] = i;
		ns += (c0 > 0) & ((c0 - t1 * (double)(x1 - x0 - 1) > 0) | (m0 >= least));
		t0 = t1;
	}
	/* the last cell: alone */
	m0 = pt[i].v * scale;
	st[ns] = i;
	ns += (m0 - t0 > 0) & (m0 >= least);
	for (k = 0, i = 0; k < ns && !err; k++) {
		if (st[k] < i)
			continue;
		end = region_from(s, st[k], &cur, &mass, true);
		if (mass >= least)
			err = pieces_add(out, st[k], end);
		i = end;
	}
	free(st);
	return err;
}

static int regions(const struct seq *s, double least, struct pieces *out)
{
	struct thr_cur cur = THR_CUR_INIT;
	size_t i = 0, end;
	double mass;

	if (s->pt && !s->col)
		return regions_run(s, least, out);
	while (i < s->n) {
		if (sm(s, i) - sthr(s, sx(s, i), &cur) <= 0) {
			i++;
			continue;
		}
		end = region_from(s, i, &cur, &mass, false);
		if (mass >= least && pieces_add(out, i, end))
			return -ENOMEM;
		i = end;
	}
	return 0;
}

/* A cold run of a piece: the stretch between cells [a, r0) and [e, b). */
struct run {
	size_t r0, e;
};

/*
 * The cold runs of cells [a, b): maximal runs of empty indices and cells
 * whose shortfall below the hot threshold sums positive (Kadane's scan on
 * t for an empty index, t - m for a cell; the end cells stay out), that
 * cross no stretch significantly above the threshold (at P): long cold
 * gaps on either side of a small range must not make one cold run of
 * the three. Item 2k is the gap before cell k, item 2k + 1 cell k.
 */
static int cold_runs(const struct seq *s, size_t a, size_t b, double P, struct run **v,
		     size_t *n, size_t *cap)
{
	size_t first = 2 * (a + 1), last = 2 * (b - 1), it = first;
	struct thr_cur cur = THR_CUR_INIT;

	*n = 0;
	while (it <= last) {
		size_t start = it, best_end = 0, j;
		double sum = 0, best = 0, dm = 0, dt = 0;

		for (j = it; j <= last; j++) {
			size_t k = j / 2;
			double t = sthr(s, sx(s, k), &cur), w = 1, m = 0, x;

			if (j % 2)
				m = sm(s, k);
			else
				w = (double)(sx(s, k) - sx(s, k - 1) - 1);
			x = t * w - m;
			sum += x;
			if (sum <= 0)
				break;
			if (sum > best) {
				best = sum;
				best_end = j;
				dm = dt = 0;
				continue;
			}
			/*
			 * Since the best end, the run has crossed this much: a
			 * stray hit is absorbed, a stretch significantly above
			 * the hot threshold is a range, and a cold run that
			 * went through it would cut it out of both sides.
			 */
			dm += m;
			dt += t * w;
			/* excess(m, l) <= (m - l)^2 / l: most items need no logarithm */
			if (dm > dt && (dm - dt) * (dm - dt) >= P * dt && excess(dm, dt) >= P)
				break;
		}
		if (best > 0) {
			if (engine_grow((void **)v, cap, *n + 1, sizeof(**v)))
				return -ENOMEM;
			(*v)[*n].r0 = start / 2;
			(*v)[*n].e = best_end % 2 ? best_end / 2 + 1 : best_end / 2;
			(*n)++;
			it = best_end + 1;
		} else {
			it = start + 1;
		}
	}
	return 0;
}

/*
 * How much likelier a cold stretch (mg over g cells) is at its own density
 * than at the density of the side next to it (ml over wl, mr over wr), the
 * lesser of the two; 0 when it is not colder than both, or when it cannot
 * reach `need` (ln(1 + y) <= min(y, sqrt(y)): no logarithm for most).
 */
static double gap_llr(double ml, double wl, double mg, double g, double mr, double wr,
		      double need)
{
	if (!(wl > 0 && wr > 0) || mg / g >= ml / wl || mg / g >= mr / wr)
		return 0;
	if (fmin(ml * fmin(g / wl, sqrt(g / wl)), mr * fmin(g / wr, sqrt(g / wr))) < need)
		return 0;
	return fmin(L(ml, wl) + L(mg, g) - L(ml + mg, wl + g),
		    L(mr, wr) + L(mg, g) - L(mr + mg, wr + g));
}

/*
 * Step 2: splits [a, b) at its most significant cold stretch while one
 * beats P, recursively. The candidates are the cold runs, so that a stray
 * background hit inside the space between two ranges does not break it. A
 * run splits the piece when it is significantly colder than what is on
 * either side of it (the lesser of the two likelihood ratios), taking as
 * the sides either the whole of the piece on each side or only the
 * stretches up to the next cold run at least as wide, and is not hot
 * itself: a random gap
 * inside a sparse range is not, the space between two ranges is, and the
 * older half of a range scanned over and over is still hot. The whole
 * sides find the space between two ranges however many stray hits lie in
 * it; the near stretches find the space between small ranges or hot
 * buckets, however many more lie beyond, whose gaps would thin the whole
 * sides to the gap's own density.
 */
struct split_work {
	struct pieces stack;
	struct run *runs;
	double *pre;		/* pre[k - a]: mass of cells [a, k) */
	struct piece *side;	/* per run: its near sides, cells [a, r0) and [e, b) */
	size_t *st;
	size_t pre_cap, nruns, runs_cap, side_cap, st_cap;
};

static void split_work_free(struct split_work *sw)
{
	free(sw->stack.v);
	free(sw->runs);
	free(sw->pre);
	free(sw->side);
	free(sw->st);
}

/*
 * The near sides of each cold run of cells [a, b): what lies between it
 * and the next cold run at least as wide on either side (or the piece's
 * end), found with a stack of the runs still waiting for one. A gap is
 * judged against the ranges it separates, not against the runs of cells a
 * narrower gap breaks those ranges into.
 */
static int near_sides(const struct seq *s, size_t a, size_t b, const struct run *runs,
		      size_t n, struct split_work *sw)
{
	size_t i, top = 0;

	if (engine_grow((void **)&sw->side, &sw->side_cap, n + 1, sizeof(*sw->side)) ||
	    engine_grow((void **)&sw->st, &sw->st_cap, n + 1, sizeof(*sw->st)))
		return -ENOMEM;
#define GAPW(k) (sx(s, runs[k].e) - sx(s, runs[k].r0 - 1))
	for (i = 0; i < n; i++) {
		while (top && GAPW(sw->st[top - 1]) < GAPW(i))
			top--;
		sw->side[i].a = top ? runs[sw->st[top - 1]].e : a;
		sw->st[top++] = i;
	}
	for (i = n, top = 0; i-- > 0;) {
		while (top && GAPW(sw->st[top - 1]) < GAPW(i))
			top--;
		sw->side[i].b = top ? runs[sw->st[top - 1]].r0 : b;
		sw->st[top++] = i;
	}
#undef GAPW
	return 0;
}

static int split(const struct seq *s, size_t a0, size_t b0, double P, struct pieces *out,
		 struct split_work *sw)
{
	struct pieces stack = sw->stack;
	struct run *runs = sw->runs;
	double *pre = sw->pre;
	size_t pre_cap = sw->pre_cap, nruns = 0, runs_cap = sw->runs_cap;
	int err;

	stack.n = 0;
	err = pieces_add(&stack, a0, b0);

	while (!err && stack.n) {
		struct piece pc = stack.v[--stack.n];
		size_t a = pc.a, b = pc.b, i, cut_a = 0, cut_b = 0;
		double best = P, mp, W;
		int64_t xa = sx(s, a), xb = sx(s, b - 1);

		if (b - a < 2) {
			err = pieces_add(out, a, b);
			continue;
		}
		if (b - a + 1 > pre_cap) {
			double *np = realloc(pre, (b - a + 1) * sizeof(*pre));

			if (!np) {
				err = -ENOMEM;
				break;
			}
			pre = np;
			pre_cap = b - a + 1;
		}
		pre[0] = 0;
		for (i = a; i < b; i++)
			pre[i - a + 1] = pre[i - a] + sm(s, i);
		mp = pre[b - a];
		W = (double)(xb - xa + 1);
		err = cold_runs(s, a, b, P, &runs, &nruns, &runs_cap);
		if (!err)
			err = near_sides(s, a, b, runs, nruns, sw);
		for (i = 0; !err && i < nruns; i++) {
			size_t r0 = runs[i].r0, e = runs[i].e;
			size_t la = sw->side[i].a, rb = sw->side[i].b;
			double ml = pre[r0 - a], mg = pre[e - a] - ml, mr = mp - ml - mg;
			double wl = (double)(sx(s, r0 - 1) - xa + 1), wr = (double)(xb - sx(s, e) + 1);
			double g = W - wl - wr, llr;

			if (!(g > 0) || mg / g >= s->t)
				continue;
			llr = gap_llr(ml, wl, mg, g, mr, wr, best);
			llr = fmax(llr, gap_llr(ml - pre[la - a], (double)(sx(s, r0 - 1) - sx(s, la) + 1),
						mg, g, pre[rb - a] - pre[e - a],
						(double)(sx(s, rb - 1) - sx(s, e) + 1), best));
			if (llr >= best) {
				best = llr;
				cut_a = r0;
				cut_b = e;
			}
		}
		if (err)
			break;
		if (cut_a) {
			/* the stretch's own cells belong to neither side */
			err = pieces_add(&stack, cut_b, b);
			if (!err)
				err = pieces_add(&stack, a, cut_a);
		} else {
			err = pieces_add(out, a, b);
		}
	}
	sw->stack = stack;
	sw->runs = runs;
	sw->pre = pre;
	sw->pre_cap = pre_cap;
	sw->runs_cap = runs_cap;
	return err;
}

/*
 * Step 3, against the background: the tail at either end (up to TRIM_MAX
 * cells, and at most half the piece's hotness) whose cells are
 * likelier at density bg than at the density of the rest of the piece, by
 * the most; then the piece without it. The rest's density, not the
 * whole's: a hot bucket would otherwise make the index beside it, hit
 * twice by chance, look like part of a hot pair. At most half: the rest
 * must hold the evidence, or one heavy cell would look like the range.
 */
static void trim_bg(const struct seq *s, struct piece *pc, double bg)
{
	size_t a = pc->a, b = pc->b, k, best_k;
	double mp = 0, W, mt, wt, rho, gain, best, lb;
	int round;

	if (b - a < 2 || !(bg > 0))
		return;
	for (k = a; k < b; k++)
		mp += sm(s, k);
	lb = log(bg);
	/* each end sees the rest without the other's tail: a few rounds */
	for (round = 0; round < 4; round++) {
		size_t a0 = a, b0 = b;

		/* the right end: the tail [k, b) leaves [a, k) */
		W = (double)(sx(s, b - 1) - sx(s, a) + 1);
		best = 0;
		best_k = b;
		mt = 0;
		for (k = b - 1; k > a && b - k <= TRIM_MAX; k--) {
			mt += sm(s, k);
			if (2 * mt > mp)
				break;
			wt = (double)(sx(s, b - 1) - sx(s, k - 1));
			rho = (mp - mt) / (W - wt);
			/* ln(rho / bg) >= 1 - bg / rho: most tails need no logarithm */
			if (!(rho > bg) || (rho - bg) * (wt - mt / rho) <= best)
				continue;
			gain = (rho - bg) * wt - mt * (log(rho) - lb);
			if (gain > best) {
				best = gain;
				best_k = k;
			}
		}
		for (k = best_k; k < b; k++)
			mp -= sm(s, k);
		b = best_k;
		/* the left end: the tail [a, k + 1) leaves [k + 1, b) */
		W = (double)(sx(s, b - 1) - sx(s, a) + 1);
		best = 0;
		best_k = a;
		mt = 0;
		for (k = a; k + 1 < b && k - a < TRIM_MAX; k++) {
			mt += sm(s, k);
			if (2 * mt > mp)
				break;
			wt = (double)(sx(s, k + 1) - sx(s, a));
			rho = (mp - mt) / (W - wt);
			/* ln(rho / bg) >= 1 - bg / rho: most tails need no logarithm */
			if (!(rho > bg) || (rho - bg) * (wt - mt / rho) <= best)
				continue;
			gain = (rho - bg) * wt - mt * (log(rho) - lb);
			if (gain > best) {
				best = gain;
				best_k = k + 1;
			}
		}
		for (k = a; k < best_k; k++)
			mp -= sm(s, k);
		a = best_k;
		if (a == a0 && b == b0)
			break;
	}
	pc->a = a;
	pc->b = b;
}

/* ---- the window's accesses: counts and sites over a key range ---- */

/* First entry of cur with key >= k. */
static size_t cur_find(const struct hcur *c, size_t n, uint32_t k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c[mid].key < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void tally(struct seg_cluster *sc, uint32_t site, double n)
{
	unsigned i, low = 0;

	for (i = 0; i < sc->nsites; i++)
		if (sc->site[i].site == site) {
			sc->site[i].n += n;
			return;
		}
	if (sc->nsites < ENGINE_SITE_TALLY) {
		sc->site[sc->nsites].site = site;
		sc->site[sc->nsites++].n = n;
		return;
	}
	for (i = 1; i < sc->nsites; i++)
		if (sc->site[i].n < sc->site[low].n)
			low = i;
	if (sc->site[low].n < n) {
		sc->site[low].site = site;
		sc->site[low].n = n;
	}
}

/* This window's accesses to keys [k0, k1], with their sites when sc is given. */
static uint64_t cur_count(const struct seg_input *in, uint32_t k0, uint32_t k1,
			  struct seg_cluster *sc)
{
	size_t i = cur_find(in->cur, in->ncur, k0);
	uint64_t c = 0;

	for (; i < in->ncur && in->cur[i].key <= k1; i++) {
		c += in->cur[i].n;
		if (sc)
			tally(sc, in->cur[i].site, in->cur[i].n);
	}
	return c;
}

/* Accesses to keys [k0, k1] d + 1 windows ago. */
static uint64_t past_count(const struct seg_input *in, unsigned d, uint32_t k0, uint32_t k1)
{
	const struct hcount *h = in->past[d];
	size_t lo = 0, hi = in->npast[d];
	uint64_t n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid].key < k0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < in->npast[d] && h[lo].key <= k1; lo++)
		n += h[lo].n;
	return n;
}

/*
 * Did a span's (box's) accesses fall two windows ago, against the window
 * before: the window a place began to be left in? A scan that passed it
 * then did not fall there.
 */
static bool fell(const struct seg_input *in, const int64_t *lo, const int64_t *hi)
{
	uint64_t a = 0, b = 0;
	int64_t r;

	if (in->dims == 1)
		return past_count(in, 1, (uint32_t)lo[0], (uint32_t)(hi[0] - 1)) <
		       past_count(in, 2, (uint32_t)lo[0], (uint32_t)(hi[0] - 1));
	for (r = lo[0]; r < hi[0]; r++) {
		a += past_count(in, 1, (uint32_t)(r << 16 | lo[1]), (uint32_t)(r << 16 | (hi[1] - 1)));
		b += past_count(in, 2, (uint32_t)(r << 16 | lo[1]), (uint32_t)(r << 16 | (hi[1] - 1)));
	}
	return a < b;
}

/* ---- the window ---- */

struct ctx {
	const struct seg_input *in;
	const struct hotspot_params *p;
	bool autohot;
	double M, D, u, t, t_lo, T, T_lo, bg, P;
	double min_share, min_share_lo;
	double rate;			/* this window's accesses per unit of hotness */
	struct seg_cluster *cl;
	size_t ncl, cap;
	struct engine_point *pts;	/* scattered */
	size_t npts, pts_cap;
	double pts_share;
	struct seg_boxes fading, left;	/* this window's evidence */
	bool any_retless;
	struct seg_boxes judged;	/* the pieces judged: where past accesses matter */
	double m_least;			/* hotness below which a piece can be nothing */
	double m_floor;			/* the same for the lowest background there can be */
};

/* The least m with excess(m, lam) >= P (Newton's method; 0 when lam is 0). */
static double significant_mass(double lam, double P)
{
	double m = lam + P + 1, f;
	int i;

	if (!(lam > 0))
		return 0;
	while (excess(m, lam) < P)
		m *= 2;
	/* Newton from above: excess is convex and increasing past lam, so it stays above */
	for (i = 0; i < 16; i++) {
		f = excess(m, lam) - P;
		if (f <= 1e-9 * P)
			break;
		m -= f / log(m / lam);
	}
	return m;
}

/*
 * The least hotness a piece needs to be reported as anything: a span needs
 * the (relaxed) minimum share; a scattered index needs a significant
 * excess over the background (the m with excess(m, bg) = P, by bisection)
 * and the hot density. Pieces lighter than that skip every later step.
 */
static void least_mass(struct ctx *c)
{
	double span = c->min_share_lo * c->M, one;

	if (!c->autohot) {
		one = c->T_lo;
	} else {
		one = significant_mass(c->bg, c->P);
		one = one > c->t_lo ? one : c->t_lo;
	}
	c->m_least = (span < one ? span : one) * 0.999;
}

static int box_add(struct seg_boxes *l, const int64_t *lo, const int64_t *hi)
{
	if (engine_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return -ENOMEM;
	memcpy(l->v[l->n].lo, lo, 2 * sizeof(*lo));
	memcpy(l->v[l->n].hi, hi, 2 * sizeof(*hi));
	l->n++;
	return 0;
}

/* The share of a box's cells that the boxes of l cover (l's boxes are disjoint, nearly). */
static double covered(unsigned dims, const struct seg_boxes *l, const int64_t *lo,
		      const int64_t *hi)
{
	double area = 1, o = 0;
	size_t i;
	unsigned d;

	for (d = 0; d < dims; d++)
		area *= (double)(hi[d] - lo[d]);
	for (i = 0; l && i < l->n; i++) {
		double x = 1;

		for (d = 0; d < dims; d++) {
			int64_t a = lo[d] > l->v[i].lo[d] ? lo[d] : l->v[i].lo[d];
			int64_t b = hi[d] < l->v[i].hi[d] ? hi[d] : l->v[i].hi[d];

			x *= b > a ? (double)(b - a) : 0;
		}
		o += x;
	}
	return area > 0 ? o / area : 0;
}

/* 1-D: the hull of l's intervals overlapping [lo, hi), clipped to it; false if none. */
static bool clip(const struct seg_boxes *l, int64_t *lo, int64_t *hi)
{
	int64_t blo = INT64_MAX, bhi = INT64_MIN;
	size_t i;

	for (i = 0; l && i < l->n; i++) {
		int64_t a = *lo > l->v[i].lo[0] ? *lo : l->v[i].lo[0];
		int64_t b = *hi < l->v[i].hi[0] ? *hi : l->v[i].hi[0];

		if (b > a) {
			blo = a < blo ? a : blo;
			bhi = b > bhi ? b : bhi;
		}
	}
	if (blo >= bhi)
		return false;
	*lo = blo;
	*hi = bhi;
	return true;
}

/*
 * The hotness at rank r (1 = hottest) of the active indices, for pN and
 * top(k): quickselect, linear on average.
 */
static double rank_value(const struct seg_input *in, size_t r)
{
	size_t i, lo = 0, hi, want;
	float *v, t;

	if (!in->n || !r)
		return INFINITY;
	if (r > in->n)
		r = in->n;
	v = malloc(in->n * sizeof(*v));
	if (!v)
		return INFINITY;
	for (i = 0; i < in->n; i++)
		v[i] = in->run[i].v;
	hi = in->n - 1;
	want = r - 1;
	while (lo < hi) {
		float piv = v[lo + (hi - lo) / 2];
		size_t a = lo, b = hi;

		while (a <= b) {
			while (v[a] > piv)
				a++;
			while (v[b] < piv)
				b--;
			if (a <= b) {
				float x = v[a];

				v[a] = v[b];
				v[b] = x;
				a++;
				if (!b)
					break;
				b--;
			}
		}
		if (want <= b)
			hi = b;
		else if (want >= a)
			lo = a;
		else
			break;
	}
	t = v[want];
	free(v);
	return t * in->inv_g;
}

static int cluster_add(struct ctx *c, struct seg_cluster **out)
{
	if (engine_grow((void **)&c->cl, &c->cap, c->ncl + 1, sizeof(*c->cl)))
		return -ENOMEM;
	*out = &c->cl[c->ncl++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

static int point_add(struct ctx *c, int64_t r, int64_t col, double m)
{
	if (engine_grow((void **)&c->pts, &c->pts_cap, c->npts + 1, sizeof(*c->pts)))
		return -ENOMEM;
	/* 1-D points are at [0] (struct engine_point) */
	c->pts[c->npts].at[0] = c->in->dims == 2 ? r : col;
	c->pts[c->npts].at[1] = c->in->dims == 2 ? col : 0;
	c->pts[c->npts].share = m / c->M;
	c->npts++;
	c->pts_share += m / c->M;
	return 0;
}

/* Was [lo, hi) (1-D) part of a cluster last window? */
static bool was_hot(const struct seg_input *in, const int64_t *lo, const int64_t *hi)
{
	size_t i;

	for (i = 0; i < in->nprev; i++) {
		const struct engine_cluster *q = &in->prev[i];
		bool o = q->lo[0] < hi[0] && lo[0] < q->hi[0];

		if (in->dims == 2)
			o = o && q->lo[1] < hi[1] && lo[1] < q->hi[1];
		if (o)
			return true;
	}
	return false;
}

/*
 * A piece (or box) as a whole: notes whether it gets fewer accesses this
 * window than its hotness predicts (below), or under fade of them with a
 * significant deficit (fading, or left before and still under fade), and
 * says whether it is gone: fading now, fading last window and below two
 * windows ago, or left before. *fade tells the tracker it is fading.
 */
static int place_left(struct ctx *c, double m, uint64_t cur, const int64_t *lo,
		      const int64_t *hi, bool *fade, bool *gone)
{
	const struct seg_input *in = c->in;
	unsigned dims = in->dims;
	double lam = c->rate * m, n = (double)cur;
	bool carried = covered(dims, in->left, lo, hi) >= 0.5;
	int err = 0;

	*fade = *gone = false;
	if (!(n < c->p->fade * lam))
		return 0;
	*fade = carried || deficit(n, lam) >= c->P;
	if (!*fade)
		return 0;
	err = box_add(&c->fading, lo, hi);
	*gone = carried || (covered(dims, in->faded, lo, hi) >= 0.5 && fell(in, lo, hi));
	if (!err && *gone)
		err = box_add(&c->left, lo, hi);
	return err;
}

/* Is key k among the keys of a past window (a sorted array), from cursor *at on? */
static bool past_has(const struct hcount *h, size_t n, size_t *at, uint32_t k)
{
	while (*at < n && h[*at].key < k)
		(*at)++;
	return *at < n && h[*at].key == k;
}

/*
 * Returns over keys [k0, k1]: this window's accesses that came back to a
 * key touched earlier in the window or in the three windows before; and
 * the keys touched this window and in the past, for the expectation.
 */
static void returns(const struct seg_input *in, uint32_t k0, uint32_t k1, double *ret,
		    double *acc, double *past)
{
	size_t i = cur_find(in->cur, in->ncur, k0), at[3] = { 0, 0, 0 };
	unsigned d;

	*ret = *acc = *past = 0;
	for (d = 0; d < 3; d++) {
		const struct hcount *h = in->past[d];
		size_t lo = 0, hi = in->npast[d];

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (h[mid].key < k0)
				lo = mid + 1;
			else
				hi = mid;
		}
		at[d] = lo;
		*past += (double)past_count(in, d, k0, k1);
	}
	while (i < in->ncur && in->cur[i].key <= k1) {
		uint32_t k = in->cur[i].key;
		double n = 0;
		bool seen = false;

		for (; i < in->ncur && in->cur[i].key == k; i++)
			n += in->cur[i].n;
		for (d = 0; d < 3 && !seen; d++)
			seen = past_has(in->past[d], in->npast[d], &at[d], k);
		*acc += n;
		*ret += seen ? n : n - 1;
	}
}

/*
 * Do a span's accesses fail to come back? A sequential sweep leaves a
 * trail of recent hotness, dense enough to look hot, but its accesses
 * never return to a key within the engine's memory of past windows.
 * Accesses spread uniformly over a span at the rates seen would: with c
 * accesses now and p in the three windows before over w cells, a cell gets
 * a first touch now and none before with probability (1 - e^(-c/w))
 * e^(-p/w). A span whose returns fall significantly short of half of that
 * expectation is returnless: 1; 0 when they do not, -1 without accesses
 * this window. (1-D spans; 2-D boxes, row by row.)
 */
static int returnless(const struct ctx *c, const int64_t *lo, const int64_t *hi)
{
	const struct seg_input *in = c->in;
	double ret = 0, acc = 0, past = 0, w, expect;
	int64_t r;

	if (in->dims == 1) {
		returns(in, (uint32_t)lo[0], (uint32_t)(hi[0] - 1), &ret, &acc, &past);
		w = (double)(hi[0] - lo[0]);
	} else {
		for (r = lo[0]; r < hi[0]; r++) {
			double a, b, p;

			returns(in, (uint32_t)(r << 16 | lo[1]), (uint32_t)(r << 16 | (hi[1] - 1)),
				&a, &b, &p);
			ret += a;
			acc += b;
			past += p;
		}
		w = (double)((hi[0] - lo[0]) * (hi[1] - lo[1]));
	}
	if (!(acc > 0))
		return -1;
	expect = acc - w * (1 - exp(-acc / w)) * exp(-past / w);
	return ret < expect / 2 && deficit(ret, expect) >= c->P;
}

/*
 * Step 4: the tests a piece or block must pass, given its mass, cells
 * (width or area), this window's accesses to it and its hot cells.
 * Returns 2 for a span, 1 for a scattered index, 0 for neither.
 */
static int judge(struct ctx *c, double m, double w, size_t hot, bool relaxed, bool single,
		 const int64_t *lo, const int64_t *hi, bool *back)
{
	double share = m / c->M;

	*back = false;
	if (!(m > 0))
		return 0;
	if (c->autohot) {
		if (m / w < (relaxed ? c->t_lo : c->t))
			return 0;
		if (excess(m, c->bg * w) < c->P)
			return 0;
	} else if (hot < (single ? 1 : c->p->minpts)) {
		return 0;
	}
	/*
	 * A moving frontier, not a hot place: the map has had returnless
	 * spans two windows in a row already (a sweep moves on and its next
	 * span is another place). A range scanned sequentially comes back
	 * within three windows; until it does it is shown, not announced.
	 * (Asked of what is hot only: the returns cost a look at three
	 * windows' accesses.)
	 */
	switch (returnless(c, lo, hi)) {
	case 1:
		c->any_retless = true;
		if (c->in->retless_run >= 2)
			return 0;
		break;
	case 0:
		*back = true;
		break;
	}
	if (single)
		return 1;
	return share >= (relaxed ? c->min_share_lo : c->min_share) ? 2 : 0;
}

/* The statistics of a cluster over the run entries [a, b) (1-D). */
static void stats_1d(const struct ctx *c, struct seg_cluster *sc, const struct hslot *pt,
		     size_t a, size_t b)
{
	double s0 = 0, s1 = 0, s2 = 0, scale = c->in->inv_g, var;
	size_t i;

	for (i = a; i < b; i++) {
		double m = pt[i].v * scale, x = (double)pt[i].key;

		s0 += m;
		s1 += m * x;
		s2 += m * x * x;
	}
	sc->c.elements = b - a;
	sc->c.hotness = s0;
	sc->c.share = s0 / c->M;
	if (sc->c.share > 1)
		sc->c.share = 1;
	if (s0 > 0) {
		sc->c.centre[0] = s1 / s0;
		var = s2 / s0 - sc->c.centre[0] * sc->c.centre[0];
		sc->c.sigma = var > 0 ? sqrt(var) : 0;
	}
}

/*
 * Calls fn for each maximal run of a piece's cells (run entries [a, b))
 * whose shortfall below factor x the accesses their hotness predicts at
 * rate r sums positive (Kadane's scan on factor * r * m - accesses), with
 * the run's hotness and accesses.
 */
static int shortfalls(struct ctx *c, size_t a, size_t b, double factor, double r,
		      int (*fn)(struct ctx *c, size_t i, size_t j, double m, double n, double r,
				void *arg), void *arg)
{
	const struct seg_input *in = c->in;
	const struct hslot *pt = in->run;
	size_t k = a, ci = cur_find(in->cur, in->ncur, pt[a].key);

	while (k < b) {
		size_t start = k, best_end = k, cj = ci;
		double sum = 0, best = 0, ms = 0, ns = 0, bm = 0, bn = 0;
		int err;

		for (; k < b; k++) {
			double m = pt[k].v * in->inv_g, n = 0;

			while (ci < in->ncur && in->cur[ci].key < pt[k].key)
				ci++;
			while (ci < in->ncur && in->cur[ci].key == pt[k].key)
				n += in->cur[ci++].n;
			sum += factor * r * m - n;
			ms += m;
			ns += n;
			if (sum <= 0)
				break;
			if (sum > best) {
				best = sum;
				best_end = k + 1;
				bm = ms;
				bn = ns;
			}
		}
		if (best_end > start) {
			err = fn(c, start, best_end, bm, bn, r, arg);
			if (err)
				return err;
			k = best_end;
			/* the counts scanned past the run are seen again */
			ci = cj;
		} else {
			k++;
		}
	}
	return 0;
}

/* Key ranges to cut out of a piece, in order. */
struct cuts {
	int64_t (*v)[2];
	size_t n, cap;
};

/* Hotness and this window's accesses of the run entries [i, j) with keys in [lo, hi). */
static void part_of(const struct ctx *c, size_t i, size_t j, int64_t lo, int64_t hi, double *m,
		    double *n)
{
	const struct hslot *pt = c->in->run;
	size_t k;

	*m = 0;
	for (k = i; k < j; k++)
		if ((int64_t)pt[k].key >= lo && (int64_t)pt[k].key < hi)
			*m += pt[k].v * c->in->inv_g;
	*n = (double)cur_count(c->in, (uint32_t)lo, (uint32_t)(hi - 1), NULL);
}

static int cut_add(struct ctx *c, struct cuts *cuts, int64_t lo, int64_t hi)
{
	int64_t l[2] = { lo, 0 }, h[2] = { hi, 0 };

	if (box_add(&c->left, l, h) ||
	    engine_grow((void **)&cuts->v, &cuts->cap, cuts->n + 1, sizeof(*cuts->v)))
		return -ENOMEM;
	cuts->v[cuts->n][0] = lo;
	cuts->v[cuts->n][1] = hi;
	cuts->n++;
	return 0;
}

static int note_fading(struct ctx *c, size_t i, size_t j, double m, double n, double r,
		       void *arg)
{
	const struct seg_input *in = c->in;
	const struct hslot *pt = in->run;
	struct cuts *cuts = arg;
	int64_t lo[2] = { pt[i].key, 0 }, hi[2] = { (int64_t)pt[j - 1].key + 1, 0 };
	int64_t xlo, xhi;
	double xm, xn;
	int err;

	if (deficit(n, r * m) < c->P)
		return 0;
	err = box_add(&c->fading, lo, hi);
	if (err)
		return err;
	/*
	 * Newly left: what was far below last window too, whose accesses
	 * fell the window before that, and which is far below now on its own
	 * at level alpha (the run it is part of passed the test for many): no
	 * sliver of an overlap.
	 */
	xlo = lo[0];
	xhi = hi[0];
	if (!clip(in->faded, &xlo, &xhi) || !fell(in, (int64_t[]){ xlo, 0 }, (int64_t[]){ xhi, 0 }))
		return 0;
	part_of(c, i, j, xlo, xhi, &xm, &xn);
	if (!(xn < c->p->fade * r * xm) || deficit(xn, r * xm) < -log(c->p->alpha))
		return 0;
	return cut_add(c, cuts, xlo, xhi);
}

/*
 * The places found left before that lie in a piece (run entries [a, b),
 * at rate r): each, as a whole, stays left (and is cut) while it gets under
 * fade of the accesses its hotness predicts. Taken whole, not by the runs
 * of its cells that happen to get nothing this window: accesses coming
 * back to a place spread over it, and a new range in a place left a few
 * windows ago must not be cut at every cell its first accesses missed.
 */
static int carry_left(struct ctx *c, size_t a, size_t b, double r, struct cuts *cuts)
{
	const struct seg_input *in = c->in;
	const struct hslot *pt = in->run;
	int64_t plo = pt[a].key, phi = (int64_t)pt[b - 1].key + 1;
	size_t i;
	int err = 0;

	for (i = 0; in->left && i < in->left->n && !err; i++) {
		int64_t xlo = in->left->v[i].lo[0] > plo ? in->left->v[i].lo[0] : plo;
		int64_t xhi = in->left->v[i].hi[0] < phi ? in->left->v[i].hi[0] : phi;
		int64_t l[2] = { xlo, 0 }, h[2] = { xhi, 0 };
		double xm, xn;

		if (xhi <= xlo)
			continue;
		part_of(c, a, b, xlo, xhi, &xm, &xn);
		if (!(xm > 0) || !(xn < c->p->fade * r * xm))
			continue;
		err = box_add(&c->fading, l, h);
		if (!err)
			err = cut_add(c, cuts, xlo, xhi);
	}
	return err;
}

static int cmp_cut(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/*
 * Step 3's second cut: the stretches of a piece (at its ends or inside it)
 * that a range is leaving: the place a drifting range has left, the middle
 * of a range that split. At the piece's own rate of accesses per unit of
 * hotness this window, the maximal runs of cells that get under fade of
 * the accesses their hotness predicts, with a significant deficit, are
 * noted as fading. What was fading last window too, and whose accesses
 * fell the window before that, is left, and cut out: a place is left when
 * three windows say so, the last two clearly. A scan that comes back every
 * other window is not leaving: its accesses rose in the window it passed.
 * A place once left stays left (and cut) while it gets under fade of its
 * share, even when its hotness is too low for a significant deficit. The
 * pieces that remain go to out.
 */
static int cut_fading(struct ctx *c, struct piece pc, struct pieces *out)
{
	const struct seg_input *in = c->in;
	const struct hslot *pt = in->run;
	struct cuts cuts = { 0 };
	size_t a = pc.a, b = pc.b, k, i, keep = a;
	double mp = 0, r;
	int err;

	for (k = a; k < b; k++)
		mp += pt[k].v * in->inv_g;
	r = (double)cur_count(in, pt[a].key, pt[b - 1].key, NULL) / mp;
	if (b - a < 2 || !(r > 0))
		return pieces_add(out, a, b);
	err = carry_left(c, a, b, r, &cuts);
	if (!err)
		err = shortfalls(c, a, b, c->p->fade, r, note_fading, &cuts);
	if (cuts.n > 1)
		qsort(cuts.v, cuts.n, sizeof(*cuts.v), cmp_cut);
	for (i = 0; !err && i < cuts.n; i++) {
		for (k = keep; k < b && (int64_t)pt[k].key < cuts.v[i][0]; k++)
			;
		if (k > keep)
			err = pieces_add(out, keep, k);
		for (; k < b && (int64_t)pt[k].key < cuts.v[i][1]; k++)
			;
		keep = k;
	}
	if (!err && keep < b)
		err = pieces_add(out, keep, b);
	free(cuts.v);
	return err;
}

static size_t count_hot(const struct seq *s, size_t a, size_t b)
{
	size_t i, n = 0;
	struct thr_cur cur = THR_CUR_INIT;

	for (i = a; i < b; i++)
		n += sm(s, i) >= sthr(s, sx(s, i), &cur);
	return n;
}

/* Pieces of one sequence: regions or chains, then splits. */
static int find_pieces(const struct ctx *c, const struct seq *s, double least,
		       struct pieces *out)
{
	struct pieces reg = { 0 };
	size_t i;
	int err;

	struct split_work sw = { 0 };

	if (!c->autohot)
		return chains(s, c->p->eps_auto ? -1 : c->p->eps, out);
	err = regions(s, least, &reg);
	for (i = 0; !err && i < reg.n; i++) {
		/* a region of one or two cells has no stretch between them to split at */
		if (reg.v[i].b - reg.v[i].a < 3)
			err = pieces_add(out, reg.v[i].a, reg.v[i].b);
		else
			err = split(s, reg.v[i].a, reg.v[i].b, c->P, out, &sw);
	}
	split_work_free(&sw);
	free(reg.v);
	return err;
}

/*
 * The background: hotness per cell outside the pieces that are hot, where
 * hot is judged first against the uniform level, then against the
 * background that gives, once more (the pieces' masses and cells in m, w).
 */
static double background(const struct ctx *c, const double *m, const double *w, size_t n)
{
	double bg = c->u, hm, hw, rest, cells, one;
	size_t i;
	int round;

	for (round = 0; round < 2; round++) {
		/* a single cell is significant from this hotness on */
		one = significant_mass(bg, c->P);
		hm = hw = 0;
		for (i = 0; i < n; i++)
			if (w[i] == 1 ? m[i] >= one && m[i] >= c->t_lo :
			    m[i] / w[i] >= c->t_lo && excess(m[i], bg * w[i]) >= c->P) {
				hm += m[i];
				hw += w[i];
			}
		rest = c->M - hm;
		cells = c->D - hw;
		bg = rest > 0 && cells >= 1 ? rest / cells : 0;
		/*
		 * Overlapping boxes, or no background at all: a floor, so that
		 * a window without background does not make every cell hot.
		 */
		if (bg < c->u / 1024)
			bg = c->u / 1024;
	}
	return bg;
}

/*
 * The hot threshold against the background: a span is hot when `contrast`
 * times denser than the background (what is outside every hot span) and
 * denser than uniform. The first pass finds the spans at contrast times
 * the uniform level, which gives the background; when contrast times the
 * background is lower than that (there is a hot span: the background is
 * below uniform), the threshold becomes max(uniform, contrast x
 * background) for a second pass. A range holding 90% of the accesses over
 * half the array is 1.8 times uniform but nine times its background: hot.
 * Uniform access has its background at uniform and keeps contrast times
 * uniform. Returns true when the threshold fell.
 */
static bool against_background(struct ctx *c)
{
	const struct hotspot_params *p = c->p;
	double t = p->contrast * c->bg, bg = c->bg;

	if (!c->autohot)
		return false;
	if (t < c->u)
		t = c->u;
	if (!(t < c->t))
		return false;
	c->t = t;
	c->t_lo = t * (1 - p->hot_band);
	if (c->t_lo < c->u)
		c->t_lo = c->u;
	/* the least mass anything can need, at the lowest background */
	c->bg = c->u / 1024;
	least_mass(c);
	c->m_floor = c->m_least;
	c->bg = bg;
	return true;
}

/* Do cells [a, b) hold significantly more than the background would put there? */
static bool significant_over(const struct ctx *c, const struct seq *s, size_t a, size_t b)
{
	double m = 0, w = (double)(sx(s, b - 1) - sx(s, a) + 1);
	size_t k;

	for (k = a; k < b; k++)
		m += sm(s, k);
	return excess(m, c->bg * w) >= c->P;
}

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	return x->a < y->a ? -1 : x->a > y->a;
}

/*
 * How far Kadane's scan at the current threshold carries a hot piece
 * (cells [a, b), holding `cum` in excess of the threshold) to the right
 * (dir 1) or left (dir -1): the end (exclusive) or start of the widest
 * stretch whose every part beyond the piece keeps the running excess
 * positive, as step 1 would have found it.
 */
static size_t carry(const struct seq *s, size_t a, size_t b, double cum, double P, int dir)
{
	struct thr_cur cur = THR_CUR_INIT;
	size_t j = dir > 0 ? b : a, best = j;
	int64_t x = sx(s, dir > 0 ? b - 1 : a);
	double top = cum, dm = 0, dt = 0;

	while (dir > 0 ? j < s->n : j > 0) {
		size_t k = dir > 0 ? j : j - 1;
		int64_t y = sx(s, k);
		double t = sthr(s, y, &cur), gap = t * (double)(dir > 0 ? y - x - 1 : x - y - 1);
		double m = sm(s, k);

		cum -= gap;
		if (cum <= 0)
			break;
		cum += m - t;
		if (cum <= 0)
			break;
		x = y;
		j = dir > 0 ? j + 1 : j - 1;
		if (cum >= top) {
			top = cum;
			best = j;
			dm = dt = 0;
			continue;
		}
		/*
		 * Since the best end, a stretch significantly colder than the
		 * threshold: step 2 would cut there, so nothing beyond it can
		 * join (and the scan stops long before the excess runs out).
		 */
		dm += m;
		dt += gap + t;
		/*
		 * deficit(m, l) <= (l - m)^2 / (l + m) (ln r <= 2 (r - 1) /
		 * (r + 1) for r < 1), and the bound is close over a
		 * background (9% above at m = l / 2): most steps need no
		 * logarithm. Taken 0.1% short of P, so that rounding never
		 * skips a logarithm that would have passed.
		 */
		if (dt - dm >= P && (dt - dm) * (dt - dm) >= 0.999 * P * (dt + dm) &&
		    deficit(dm, dt) >= P)
			break;
	}
	return best;
}

/*
 * The second pass, at the threshold against the background (struct ctx's
 * t once against_background() lowered it): each piece of the first pass
 * that holds a hot span (hot0) is carried as far as step 1 would carry it
 * at the new threshold; overlapping ones join, each result is split as in
 * step 2, and it takes the place of the first pass's pieces it overlaps.
 * The others stay. Only the spans found against uniform are widened:
 * lukewarm stretches of a hashed table's buckets, no denser than uniform,
 * do not become spans because the background under them is low, and the
 * pass costs the cells near the spans, not the whole run. A widening must
 * itself hold significantly more than the background would: a stray hit
 * near a span does not start the pass. 1 when the pieces changed, 0 when
 * not, or a negative errno.
 */
static int widen_spans(const struct ctx *c, const struct seq *s, const bool *hot0,
		       struct pieces *ps)
{
	struct pieces wide = { 0 }, out = { 0 };
	struct split_work sw = { 0 };
	size_t i, k, j = 0;
	int err = 0;

	for (i = 0; i < ps->n && !err; i++) {
		size_t a = ps->v[i].a, b = ps->v[i].b, la, rb;
		double m = 0;

		if (!hot0[i])
			continue;
		for (k = a; k < b; k++)
			m += sm(s, k);
		m -= s->t * (double)(sx(s, b - 1) - sx(s, a) + 1);
		la = carry(s, a, b, m, c->P, -1);
		rb = carry(s, a, b, m, c->P, 1);
		/* a widening must itself be significant against the background */
		if (la < a && !significant_over(c, s, la, a))
			la = a;
		if (rb > b && !significant_over(c, s, b, rb))
			rb = b;
		if (la == a && rb == b)
			continue;
		err = pieces_add(&wide, la, rb);
	}
	if (!wide.n || err) {
		free(wide.v);
		return err < 0 ? err : 0;
	}
	/* carried pieces that overlap join */
	if (wide.n > 1)
		qsort(wide.v, wide.n, sizeof(*wide.v), cmp_piece);
	for (i = 1, k = 0; i < wide.n; i++) {
		if (wide.v[i].a <= wide.v[k].b) {
			if (wide.v[i].b > wide.v[k].b)
				wide.v[k].b = wide.v[i].b;
			continue;
		}
		wide.v[++k] = wide.v[i];
	}
	if (wide.n)
		wide.n = k + 1;
	for (i = 0; i < wide.n && !err; i++) {
		/* the first pass's pieces before this one stay */
		for (; j < ps->n && ps->v[j].b <= wide.v[i].a && !err; j++)
			err = pieces_add(&out, ps->v[j].a, ps->v[j].b);
		while (j < ps->n && ps->v[j].a < wide.v[i].b)
			j++;
		if (!err)
			err = split(s, wide.v[i].a, wide.v[i].b, c->P, &out, &sw);
	}
	for (; j < ps->n && !err; j++)
		err = pieces_add(&out, ps->v[j].a, ps->v[j].b);
	split_work_free(&sw);
	free(wide.v);
	if (err) {
		free(out.v);
		return err;
	}
	free(ps->v);
	*ps = out;
	return 1;
}

static int segment_1d(struct ctx *c)
{
	const struct seg_input *in = c->in;
	struct seq s = { .pt = in->run, .scale = in->inv_g, .n = in->n };
	struct pieces ps = { 0 }, kept = { 0 };
	int64_t (*relax)[2] = NULL;
	double *pm = NULL, *pw = NULL;
	bool *hot0 = NULL, *tried = NULL;
	struct piece *trimmed = NULL;	/* pieces of the first pass trimmed for hot0 */
	size_t i;
	int err = -ENOMEM, pass;

	relax = malloc((in->nprev + 1) * sizeof(*relax));
	if (!relax)
		goto out;
	for (i = 0; i < in->nprev; i++) {
		relax[i][0] = in->prev[i].lo[0];
		relax[i][1] = in->prev[i].hi[0];
	}
	s.relax = (const int64_t (*)[2])relax;
	s.nrelax = in->nprev;
	s.t = c->autohot ? c->t : c->T;
	s.t_lo = c->autohot ? c->t_lo : c->T_lo;
	err = find_pieces(c, &s, c->m_floor, &ps);
	for (pass = 0; !err; pass++) {
		err = -ENOMEM;
		free(pm);
		free(pw);
		pm = calloc(ps.n + 1, sizeof(*pm));
		pw = calloc(ps.n + 1, sizeof(*pw));
		if (!pm || !pw)
			goto out;
		for (i = 0; i < ps.n; i++) {
			size_t k;

			pm[i] = 0;
			pw[i] = (double)(sx(&s, ps.v[i].b - 1) - sx(&s, ps.v[i].a) + 1);
			for (k = ps.v[i].a; k < ps.v[i].b; k++)
				pm[i] += sm(&s, k);
		}
		c->bg = background(c, pm, pw, ps.n);
		err = 0;
		if (pass || !c->autohot)
			break;
		/* the spans found against uniform, which the second pass may widen */
		hot0 = calloc(ps.n + 1, sizeof(*hot0));
		trimmed = calloc(ps.n + 1, sizeof(*trimmed));
		tried = calloc(ps.n + 1, sizeof(*tried));
		if (!hot0 || !trimmed || !tried) {
			err = -ENOMEM;
			break;
		}
		for (i = 0; i < ps.n; i++) {
			struct piece pc = ps.v[i];
			double m = 0, w;
			size_t k;

			trimmed[i] = pc;
			/* too light for a span, or a single cell: no more work */
			if (pm[i] < c->min_share_lo * c->M || pc.b - pc.a < 2)
				continue;
			/* what would be judged: the piece without its background tails */
			trim_bg(&s, &pc, c->bg);
			trimmed[i] = pc;
			tried[i] = true;
			for (k = pc.a; k < pc.b; k++)
				m += sm(&s, k);
			w = (double)(sx(&s, pc.b - 1) - sx(&s, pc.a) + 1);
			hot0[i] = w > 1 && m / w >= c->t_lo && m >= c->min_share_lo * c->M &&
				  excess(m, c->bg * w) >= c->P;
		}
		if (!against_background(c))
			break;
		s.t = c->t;
		s.t_lo = c->t_lo;
		err = widen_spans(c, &s, hot0, &ps);
		if (err <= 0)
			break;
		err = 0;
		/* new pieces, and a new background: trimmed again below */
		free(trimmed);
		trimmed = NULL;
	}
	if (err)
		goto out;
	least_mass(c);
	err = 0;
	for (i = 0; i < ps.n; i++) {
		struct piece pc = ps.v[i];

		/* the background's stray hits: too light to be anything, no more work */
		if (pm[i] < c->m_least)
			continue;
		if (trimmed && tried[i])
			pc = trimmed[i];
		else if (c->autohot)
			trim_bg(&s, &pc, c->bg);
		err = cut_fading(c, pc, &kept);
		if (err)
			goto out;
	}
	for (i = 0; i < kept.n; i++) {
		struct piece pc = kept.v[i];
		struct seg_cluster *sc;
		int64_t lo[2] = { 0, 0 }, hi[2] = { 0, 0 };
		double m = 0, w;
		uint64_t cur;
		size_t k, hot;
		int kind;
		bool fade, gone, back;

		for (k = pc.a; k < pc.b; k++)
			m += sm(&s, k);
		if (m < c->m_least)
			continue;
		lo[0] = sx(&s, pc.a);
		hi[0] = sx(&s, pc.b - 1) + 1;
		w = (double)(hi[0] - lo[0]);
		err = box_add(&c->judged, lo, hi);
		if (err)
			goto out;
		hot = c->autohot ? 0 : count_hot(&s, pc.a, pc.b);
		cur = cur_count(in, (uint32_t)lo[0], (uint32_t)(hi[0] - 1), NULL);
		err = place_left(c, m, cur, lo, hi, &fade, &gone);
		if (err)
			goto out;
		if (gone)
			continue;
		kind = judge(c, m, w, hot, was_hot(in, lo, hi), w == 1 || hot == 1, lo, hi, &back);
		if (kind < 0) {
			err = kind;
			goto out;
		}
		if (kind == 1 && w == 1) {
			err = point_add(c, 0, lo[0], m);
		} else if (kind == 2) {
			err = cluster_add(c, &sc);
			if (err)
				goto out;
			stats_1d(c, sc, in->run, pc.a, pc.b);
			sc->fading = fade;
			sc->returning = back;
			sc->c.lo[0] = lo[0];
			sc->c.hi[0] = hi[0];
			sc->cur = cur_count(in, (uint32_t)lo[0], (uint32_t)(hi[0] - 1), sc);
			sc->expect = c->rate * m;
			sc->c.window_share = in->cur_events ?
					     (double)sc->cur / (double)in->cur_events : 0;
		}
		if (err)
			goto out;
	}
	err = 0;
out:
	free(ps.v);
	free(kept.v);
	free(hot0);
	free(tried);
	free(trimmed);
	free(pm);
	free(pw);
	free(relax);
	return err;
}

/* ---- 2-D ---- */

struct rowpiece {
	int64_t row, c0, c1;		/* columns [c0, c1) */
	size_t parent;
};

static size_t uf_find(struct rowpiece *rp, size_t i)
{
	while (rp[i].parent != i) {
		rp[i].parent = rp[rp[i].parent].parent;
		i = rp[i].parent;
	}
	return i;
}

/* First run entry with key >= k. */
static size_t run_find(const struct hslot *pt, size_t n, uint32_t k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pt[mid].key < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct box {
	int64_t lo[2], hi[2];
};

/* Mass over a box, row by row; with stats into sc when given. */
static double box_mass(const struct ctx *c, const struct box *bx, struct seg_cluster *sc)
{
	const struct seg_input *in = c->in;
	double s0 = 0, sr = 0, sr2 = 0, sc1 = 0, sc2 = 0, vr, vc;
	uint64_t n = 0;
	int64_t r;

	for (r = bx->lo[0]; r < bx->hi[0]; r++) {
		size_t i = run_find(in->run, in->n, (uint32_t)(r << 16 | bx->lo[1]));

		for (; i < in->n && in->run[i].key < (uint32_t)(r << 16 | bx->hi[1]); i++) {
			double m = in->run[i].v * in->inv_g, col = (double)(in->run[i].key & 0xffff);

			s0 += m;
			sr += m * (double)r;
			sr2 += m * (double)r * (double)r;
			sc1 += m * col;
			sc2 += m * col * col;
			n++;
		}
	}
	if (sc && s0 > 0) {
		sc->c.elements = n;
		sc->c.hotness = s0;
		sc->c.share = s0 / c->M > 1 ? 1 : s0 / c->M;
		sc->c.centre[0] = sr / s0;
		sc->c.centre[1] = sc1 / s0;
		vr = sr2 / s0 - sc->c.centre[0] * sc->c.centre[0];
		vc = sc2 / s0 - sc->c.centre[1] * sc->c.centre[1];
		sc->c.sigma = sqrt(((vr > 0 ? vr : 0) + (vc > 0 ? vc : 0)) / 2);
	}
	return s0;
}

static uint64_t box_cur(const struct ctx *c, const struct box *bx, struct seg_cluster *sc)
{
	uint64_t n = 0;
	int64_t r;

	for (r = bx->lo[0]; r < bx->hi[0]; r++)
		n += cur_count(c->in, (uint32_t)(r << 16 | bx->lo[1]),
			       (uint32_t)(r << 16 | (bx->hi[1] - 1)), sc);
	return n;
}

/*
 * A block's edges from its row and column sums: each sum is a sequence of
 * the rows (columns) that have any hotness, trimmed against the background
 * of a row (column) as in step 3.
 */
static int trim_box(const struct ctx *c, struct box *bx)
{
	const struct seg_input *in = c->in;
	int64_t nr = bx->hi[0] - bx->lo[0], nc = bx->hi[1] - bx->lo[1], r, k;
	double *sum = calloc((size_t)(nr + nc), sizeof(double)), *pm = NULL;
	int64_t *px = NULL;
	size_t n = 0, i, rows;
	struct seq s = { 0 };
	struct piece pc;
	int err = -ENOMEM;

	pm = malloc((size_t)(nr + nc) * sizeof(*pm));
	px = malloc((size_t)(nr + nc) * sizeof(*px));
	if (!sum || !pm || !px)
		goto out;
	for (r = 0; r < nr; r++) {
		uint32_t row = (uint32_t)(bx->lo[0] + r) << 16;

		i = run_find(in->run, in->n, row | (uint32_t)bx->lo[1]);
		for (; i < in->n && in->run[i].key < (row | (uint32_t)bx->hi[1]); i++) {
			double m = in->run[i].v * in->inv_g;

			sum[r] += m;
			sum[nr + (int64_t)(in->run[i].key & 0xffff) - bx->lo[1]] += m;
		}
	}
	/* rows: a row sum is nc cells of background */
	for (k = 0; k < nr; k++)
		if (sum[k] > 0) {
			px[n] = bx->lo[0] + k;
			pm[n++] = sum[k];
		}
	s.px = px;
	s.pm = pm;
	s.n = n;
	pc.a = 0;
	pc.b = n;
	if (!n)
		goto done;
	trim_bg(&s, &pc, c->bg * (double)nc);
	bx->lo[0] = px[pc.a];
	bx->hi[0] = px[pc.b - 1] + 1;
	rows = (size_t)(bx->hi[0] - bx->lo[0]);
	/* columns, over the rows kept: a column sum is that many cells */
	memset(sum + nr, 0, (size_t)nc * sizeof(double));
	for (k = 0; k < (int64_t)rows; k++) {
		uint32_t row = (uint32_t)(bx->lo[0] + k) << 16;

		i = run_find(in->run, in->n, row | (uint32_t)bx->lo[1]);
		for (; i < in->n && in->run[i].key < (row | (uint32_t)bx->hi[1]); i++)
			sum[nr + (int64_t)(in->run[i].key & 0xffff) - bx->lo[1]] +=
				in->run[i].v * in->inv_g;
	}
	n = 0;
	for (k = 0; k < nc; k++)
		if (sum[nr + k] > 0) {
			px[n] = bx->lo[1] + k;
			pm[n++] = sum[nr + k];
		}
	s.n = n;
	pc.a = 0;
	pc.b = n;
	if (!n)
		goto done;
	trim_bg(&s, &pc, c->bg * (double)rows);
	bx->lo[1] = px[pc.a];
	bx->hi[1] = px[pc.b - 1] + 1;
done:
	err = 0;
out:
	free(sum);
	free(pm);
	free(px);
	return err;
}

static int cmp_box(const void *a, const void *b)
{
	const struct box *x = a, *y = b;

	for (int d = 0; d < 2; d++)
		if (x->lo[d] != y->lo[d])
			return x->lo[d] < y->lo[d] ? -1 : 1;
	return 0;
}

static int segment_2d(struct ctx *c)
{
	const struct seg_input *in = c->in;
	struct rowpiece *rp = NULL;
	size_t nrp = 0, rp_cap = 0, i, j, a, b, nbox = 0;
	int64_t (*relax)[2] = NULL;
	struct box *bx = NULL;
	double *pm = NULL, *pw = NULL;
	size_t *root = NULL;
	int err = -ENOMEM;

	relax = malloc((in->nprev + 1) * sizeof(*relax));
	if (!relax)
		goto out;
	/* row pieces */
	for (a = 0; a < in->n; a = b) {
		int64_t row = in->run[a].key >> 16;
		struct seq s = { .pt = in->run + a, .scale = in->inv_g, .col = true };
		struct pieces ps = { 0 };
		size_t nr = 0;

		for (b = a; b < in->n && (int64_t)(in->run[b].key >> 16) == row; b++)
			;
		for (i = 0; i < in->nprev; i++)
			if (in->prev[i].lo[0] <= row && row < in->prev[i].hi[0]) {
				/* prev clusters come sorted by row first: keep columns sorted */
				size_t q = nr;

				while (q > 0 && relax[q - 1][0] > in->prev[i].lo[1]) {
					relax[q][0] = relax[q - 1][0];
					relax[q][1] = relax[q - 1][1];
					q--;
				}
				relax[q][0] = in->prev[i].lo[1];
				relax[q][1] = in->prev[i].hi[1];
				nr++;
			}
		s.n = b - a;
		s.relax = (const int64_t (*)[2])relax;
		s.nrelax = nr;
		s.t = c->autohot ? c->t : c->T;
		s.t_lo = c->autohot ? c->t_lo : c->T_lo;
		/* a row of a block may be light: only the block is weighed */
		err = find_pieces(c, &s, 0, &ps);
		for (i = 0; !err && i < ps.n; i++) {
			/* the background is not known yet: the uniform level is above it */
			if (c->autohot)
				trim_bg(&s, &ps.v[i], c->u);
			err = engine_grow((void **)&rp, &rp_cap, nrp + 1, sizeof(*rp));
			if (err)
				break;
			rp[nrp].row = row;
			rp[nrp].c0 = sx(&s, ps.v[i].a);
			rp[nrp].c1 = sx(&s, ps.v[i].b - 1) + 1;
			rp[nrp].parent = nrp;
			nrp++;
		}
		free(ps.v);
		if (err)
			goto out;
	}
	/*
	 * Join pieces of rows one or two apart whose columns overlap: a
	 * sparse block (a window that only began to fill it) misses a row
	 * here and there. rp is sorted by row, then column.
	 */
	for (i = 0, j = 0; i < nrp; i++) {
		size_t k;

		while (j < nrp && rp[j].row <= rp[i].row)
			j++;
		for (k = j; k < nrp && rp[k].row <= rp[i].row + 2; k++) {
			size_t x, y;

			if (rp[k].c0 >= rp[i].c1 || rp[k].c1 <= rp[i].c0)
				continue;
			x = uf_find(rp, i);
			y = uf_find(rp, k);
			if (x != y)
				rp[x > y ? x : y].parent = x < y ? x : y;
		}
	}
	/* blocks: the box of each component */
	bx = malloc((nrp + 1) * sizeof(*bx));
	root = malloc((nrp + 1) * sizeof(*root));
	if (!bx || !root)
		goto out;
	for (i = 0; i < nrp; i++)
		root[i] = uf_find(rp, i);
	for (i = 0; i < nrp; i++) {
		struct box *q;

		if (root[i] == i) {
			/* a root's parent is itself: from here on, its box */
			q = &bx[nbox];
			q->lo[0] = rp[i].row;
			q->hi[0] = rp[i].row + 1;
			q->lo[1] = rp[i].c0;
			q->hi[1] = rp[i].c1;
			root[i] = nrp + nbox++;
		}
	}
	for (i = 0; i < nrp; i++) {
		struct box *q = &bx[(root[i] >= nrp ? root[i] : root[root[i]]) - nrp];

		q->lo[0] = rp[i].row < q->lo[0] ? rp[i].row : q->lo[0];
		q->hi[0] = rp[i].row + 1 > q->hi[0] ? rp[i].row + 1 : q->hi[0];
		q->lo[1] = rp[i].c0 < q->lo[1] ? rp[i].c0 : q->lo[1];
		q->hi[1] = rp[i].c1 > q->hi[1] ? rp[i].c1 : q->hi[1];
	}
	if (nbox > 1)
		qsort(bx, nbox, sizeof(*bx), cmp_box);
	pm = calloc(nbox + 1, sizeof(*pm));
	pw = calloc(nbox + 1, sizeof(*pw));
	if (!pm || !pw)
		goto out;
	for (i = 0; i < nbox; i++) {
		pw[i] = (double)((bx[i].hi[0] - bx[i].lo[0]) * (bx[i].hi[1] - bx[i].lo[1]));
		pm[i] = box_mass(c, &bx[i], NULL);
	}
	c->bg = background(c, pm, pw, nbox);
	least_mass(c);
	err = 0;
	for (i = 0; i < nbox; i++) {
		struct box q = bx[i];
		struct seg_cluster *sc;
		double m, area;
		uint64_t cur;
		int kind;
		bool fade, gone, back;

		if (pm[i] < c->m_least)
			continue;
		err = trim_box(c, &q);
		if (err)
			goto out;
		area = (double)((q.hi[0] - q.lo[0]) * (q.hi[1] - q.lo[1]));
		m = box_mass(c, &q, NULL);
		if (m < c->m_least)
			continue;
		err = box_add(&c->judged, q.lo, q.hi);
		if (err)
			goto out;
		cur = box_cur(c, &q, NULL);
		err = place_left(c, m, cur, q.lo, q.hi, &fade, &gone);
		if (err)
			goto out;
		if (gone)
			continue;
		kind = judge(c, m, area, c->autohot ? 0 : (size_t)c->p->minpts,
			     was_hot(in, q.lo, q.hi), area == 1, q.lo, q.hi, &back);
		if (kind < 0) {
			err = kind;
			goto out;
		}
		if (kind == 1 && area == 1) {
			err = point_add(c, q.lo[0], q.lo[1], m);
		} else if (kind == 2) {
			err = cluster_add(c, &sc);
			if (err)
				goto out;
			box_mass(c, &q, sc);
			sc->fading = fade;
			sc->returning = back;
			memcpy(sc->c.lo, q.lo, sizeof(q.lo));
			memcpy(sc->c.hi, q.hi, sizeof(q.hi));
			sc->cur = box_cur(c, &q, sc);
			sc->expect = c->rate * m;
			sc->c.window_share = in->cur_events ?
					     (double)sc->cur / (double)in->cur_events : 0;
		}
		if (err)
			goto out;
	}
	err = 0;
out:
	free(rp);
	free(root);
	free(bx);
	free(pm);
	free(pw);
	free(relax);
	return err;
}

static int cmp_point(const void *a, const void *b)
{
	const struct engine_point *x = a, *y = b;

	if (x->share != y->share)
		return x->share > y->share ? -1 : 1;
	if (x->at[0] != y->at[0])
		return x->at[0] < y->at[0] ? -1 : 1;
	return x->at[1] < y->at[1] ? -1 : x->at[1] > y->at[1];
}

static int cmp_seg(const void *a, const void *b)
{
	const struct seg_cluster *x = a, *y = b;

	for (int d = 0; d < 2; d++)
		if (x->c.lo[d] != y->c.lo[d])
			return x->c.lo[d] < y->c.lo[d] ? -1 : 1;
	return 0;
}

/* The extent: the array's when known (stretched to the keys seen), else the keys' span. */
static double extent(const struct seg_input *in)
{
	uint32_t kmin = in->run[0].key, kmax = in->run[in->n - 1].key;

	if (in->dims == 1) {
		if (in->ext_cols)
			return (double)(in->ext_cols > (uint64_t)kmax + 1 ? in->ext_cols :
					(uint64_t)kmax + 1);
		return (double)(kmax - kmin) + 1;
	} else {
		uint32_t cmin = 0xffff, cmax = 0;
		size_t i;

		for (i = 0; i < in->n; i++) {
			uint32_t col = in->run[i].key & 0xffff;

			cmin = col < cmin ? col : cmin;
			cmax = col > cmax ? col : cmax;
		}
		if (in->ext_rows && in->ext_cols) {
			double r = (double)(in->ext_rows > (kmax >> 16) + 1u ? in->ext_rows :
					    (kmax >> 16) + 1u);
			double cl = (double)(in->ext_cols > cmax + 1u ? in->ext_cols : cmax + 1u);

			return r * cl;
		}
		return ((double)((kmax >> 16) - (kmin >> 16)) + 1) * ((double)(cmax - cmin) + 1);
	}
}

/*
 * A span's share is the share of the accesses in it. Its decayed hotness
 * over the total says that with less noise than this window's accesses
 * alone, but remembers where the accesses were: just after a move the old
 * place's hotness is still in the total, and in a window of bursts the
 * last burst weighs most. So the share is the decayed one unless this
 * window's own share differs from it by more than three standard errors
 * of the difference, and then this window's. With access k of weight a_k
 * (total A) in the span with chance p, the decayed share is sum(a_k x_k) /
 * A and this window's the mean of its n x_k; their difference varies as
 * p (1 - p) (sum(a_k^2) / A^2 + (1 - 2 F) / n), F this window's part of A.
 * Evicted indices take their hotness out of a span but not out of the
 * total, so a window's share higher than the decayed one by no more than
 * the evicted part of the total is no sign of a change. (Not the
 * corrected significance of the other tests: a wrong choice here costs
 * only one window's sampling noise, a missed one keeps the bias.)
 */
static void settle_shares(const struct seg_input *in, struct seg_cluster *cl, size_t ncl)
{
	double n = (double)in->cur_events, M = in->total, v, kept = 0, gone = -1;
	size_t i;

	for (i = 0; i < ncl; i++)
		cl[i].hot_share = cl[i].c.share;
	if (!ncl || !(n > 0) || !(M > 0))
		return;
	v = in->total2 / (M * M) + (1 - 2 * in->win_mass / M) / n;
	if (!(v > 0))
		return;
	for (i = 0; i < ncl; i++) {
		double d = cl[i].hot_share, w = cl[i].c.window_share;
		double p = (d + w) / 2, se3 = 3 * sqrt(p * (1 - p) * v);

		if (fabs(d - w) <= se3)
			continue;
		if (w > d && gone < 0) {
			/* the evicted part, looked up only when it matters */
			for (size_t k = 0; k < in->n; k++)
				kept += in->run[k].v;
			gone = 1 - kept * in->inv_g / M;
			if (gone < 0)
				gone = 0;
		}
		if (w < d || w - d - gone > se3)
			cl[i].c.share = w;
	}
}

int engine_segment(const struct seg_input *in, struct seg_output *out)
{
	const struct hotspot_params *p = in->p;
	struct ctx c = { .in = in, .p = p };
	int err;

	memset(out, 0, sizeof(*out));
	if (!in->n || !(in->total > 0))
		return 0;
	c.autohot = p->hot_kind == HOT_AUTO;
	c.M = in->total;
	c.D = extent(in);
	c.u = c.M / c.D;
	c.t = p->contrast * c.u;
	c.t_lo = c.t * (1 - p->hot_band);
	if (c.t_lo < c.u)
		c.t_lo = c.u;
	c.P = log((double)(in->n > 1 ? in->n : 2) / p->alpha);
	c.min_share = p->min_share;
	/*
	 * A span listed last window stays while its share is not clearly
	 * below the minimum: the band is at least three standard errors of a
	 * share at the minimum (a share of decayed accesses with weights w
	 * varies as p (1 - p) sum(w^2) / total^2), so that a span whose share
	 * is near the minimum is not dropped and listed again window after
	 * window by chance.
	 */
	c.min_share_lo = p->min_share * (1 - p->hot_band);
	if (in->total2 > 0) {
		double se = sqrt(p->min_share * (1 - p->min_share) * in->total2) / c.M;

		if (p->min_share - 3 * se < c.min_share_lo)
			c.min_share_lo = p->min_share - 3 * se > 0 ? p->min_share - 3 * se : 0;
	}
	c.rate = (double)in->cur_events / c.M;
	switch (p->hot_kind) {
	case HOT_QUANTILE: {
		size_t r = in->n - (size_t)ceil(p->hot_quantile / 100 * (double)in->n) + 1;

		c.T = rank_value(in, r ? r : 1);
		break;
	}
	case HOT_TOPK:
		c.T = rank_value(in, p->hot_topk);
		break;
	case HOT_ABOVE:
		c.T = p->hot_above;
		break;
	case HOT_AUTO:
		c.T = c.t;
		break;
	}
	c.T_lo = p->hot_kind == HOT_TOPK ? c.T : c.T * (1 - p->hot_band);
	/*
	 * Before the background is known, the least a piece can need: at the
	 * background's floor (u / 1024) for a single cell, or the relaxed
	 * minimum share for a span.
	 */
	c.bg = c.u / 1024;
	least_mass(&c);
	c.m_floor = c.m_least;
	c.bg = 0;
	err = in->dims == 2 ? segment_2d(&c) : segment_1d(&c);
	out->fading = c.fading;
	out->left = c.left;
	out->judged = c.judged;
	out->any_retless = c.any_retless;
	if (err) {
		free(c.cl);
		free(c.pts);
		return err;
	}
	settle_shares(in, c.cl, c.ncl);
	if (c.ncl > 1)
		qsort(c.cl, c.ncl, sizeof(*c.cl), cmp_seg);
	out->cl = c.cl;
	out->ncl = c.ncl;
	out->uniform = c.u;
	out->background = c.bg;
	if (c.npts && c.pts_share >= c.min_share_lo) {
		unsigned k;

		qsort(c.pts, c.npts, sizeof(*c.pts), cmp_point);
		out->scat.count = c.npts;
		out->scat.share = c.pts_share;
		for (k = 0; k < ENGINE_TOP_POINTS && k < c.npts; k++)
			out->scat.top[k] = c.pts[k];
		out->scat.ntop = k;
	}
	free(c.pts);
	return 0;
}
