// SPDX-License-Identifier: MIT
/*
 * Density clustering of one window's hot indices (DBSCAN without its
 * quadratic neighbour search).
 *
 * eps is either fixed or automatic: every hot point's distance to its k-th
 * nearest hot neighbour, the median of those weighted by the points'
 * hotness, times a scale. Weighted, because the hot set of a large array
 * holds many barely-hot indices scattered in the background: counted per
 * index they would set eps to their own spacing and cluster the noise, while
 * counted per (decayed) access eps is the spacing where most hot accesses
 * land. One eps for the window rather than one per point: an eps fitted to
 * each point's own neighbours would make every point core, noise included.
 * A point is core when at least minpts hot points (itself included) lie
 * within eps; cores within eps of each other share a cluster, and a
 * non-core point within eps of a core joins its nearest core's cluster
 * (the lower one on a tie); the rest is noise.
 *
 * 1-D: the points come sorted, so the k nearest neighbours of a point are
 * one of the k + 1 runs of k + 1 consecutive points holding it, core
 * counts come from two sliding pointers, and clusters are the chains of
 * consecutive cores less than eps apart. The weighted median sums the
 * small distances in a table and selects among the others only when it
 * must: a window's median is usually the spacing inside hot ranges.
 * 2-D: points go into grid cells (row-major keys, binary search on sorted
 * cell ids); the k nearest neighbours are found ring by ring in cells of 2,
 * the eps neighbourhoods in the 3x3 cells of side ceil(eps), and cores are
 * joined by union-find. Clusters are numbered by their first point in key
 * order, so the result depends only on the input. Last, with automatic eps,
 * neighbouring clusters are looked at again with their own local eps
 * (join_fragments()).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "engine/engine_internal.h"

#define KNN_RINGS	8

/*
 * A point's k-th nearest neighbour distance, as an integer that orders like
 * it: the distance itself in 1-D, its square in 2-D (d = sqrt(q)); and the
 * point's hotness, its weight in the median.
 */
struct wq {
	uint64_t q;
	double w;
};

/* Distances below this are counted in a table, not selected. */
#define MEDIAN_TABLE	256

/*
 * Quickselect for the weighted median of a[0..n), below being the weight
 * of the points already known to lie under all of them; reorders a.
 */
static uint64_t weighted_select(struct wq *a, size_t n, double below, double half)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2, lt = lo, gt = hi, k;
		uint64_t x = a[lo].q, y = a[mid].q, z = a[hi - 1].q, piv;
		double wl = 0, we = 0;

		piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		/* three-way partition: [lo, lt) < piv, [lt, gt) == piv, [gt, hi) > piv */
		for (k = lo; k < gt;) {
			if (a[k].q < piv) {
				struct wq t = a[k];

				a[k++] = a[lt];
				a[lt++] = t;
			} else if (a[k].q > piv) {
				struct wq t = a[k];

				a[k] = a[--gt];
				a[gt] = t;
			} else {
				k++;
			}
		}
		for (k = lo; k < lt; k++)
			wl += a[k].w;
		for (k = lt; k < gt; k++)
			we += a[k].w;
		if (below + wl >= half && lt > lo) {
			hi = lt;
		} else if (below + wl + we >= half) {
			return piv;
		} else {
			below += wl + we;
			lo = gt;
		}
	}
	return a[lo].q;
}

/*
 * The weighted median of the distances: the smallest q such that the
 * points at or below it hold at least half the weight. Most points of a
 * hot range sit a few indices from their neighbours, so the small
 * distances are summed in a table, one pass; only when the median lies
 * beyond it are the larger ones copied out and selected. The first
 * distance at which the table's running sum reaches half the weight has
 * weight of its own, so it is one of the points'. Points go to four
 * tables in turn: a run of points at the same distance would otherwise
 * wait on each other's additions. 0 or -ENOMEM.
 */
static int weighted_median(const struct wq *a, size_t n, uint64_t *median)
{
	double wt[4][MEDIAN_TABLE] = { { 0 } }, tot[4] = { 0 }, total, half, cum = 0;
	struct wq *big;
	size_t i, m = 0;
	uint64_t q;

	for (i = 0; i < n; i++) {
		tot[i & 3] += a[i].w;
		if (a[i].q < MEDIAN_TABLE)
			wt[i & 3][a[i].q] += a[i].w;
	}
	total = (tot[0] + tot[1]) + (tot[2] + tot[3]);
	half = total / 2;
	for (q = 0; q < MEDIAN_TABLE && total > 0; q++) {
		cum += (wt[0][q] + wt[1][q]) + (wt[2][q] + wt[3][q]);
		if (cum >= half) {
			*median = q;
			return 0;
		}
	}
	if (!(total > 0))
		cum = 0;	/* no weight: the smallest distance, selected */
	big = malloc((n ? n : 1) * sizeof(*big));
	if (!big)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (a[i].q >= MEDIAN_TABLE || !(total > 0))
			big[m++] = a[i];
	*median = weighted_select(big, m, cum, half);
	free(big);
	return 0;
}

static double q_dist(unsigned dims, uint64_t q)
{
	return dims == 2 ? sqrt((double)q) : (double)q;
}

/* eps from the k-NN distances: scale times their weighted median. 0 or -ENOMEM. */
static int median_eps(unsigned dims, const struct wq *kd, size_t n,
		      const struct hotspot_params *p, double *eps)
{
	uint64_t q;
	int err = weighted_median(kd, n, &q);

	if (!err)
		*eps = p->eps_scale * q_dist(dims, q);
	return err;
}

/* ---- 1-D ---- */

/*
 * The k nearest neighbours of point i are k + 1 consecutive points holding
 * it: [j, j + k] for some j in [i - k, i]. The k-th distance is the
 * smallest, over those runs, of the farther end's distance; no branch
 * depends on the data. Inside the array, four points at a time in vector
 * registers (GCC's vector extensions: SSE2 here, scalar code elsewhere),
 * when the keys fit 31 bits and distances compare as signed.
 */
typedef int32_t v4i32 __attribute__((vector_size(16)));

static inline v4i32 v4_load(const int32_t *p)
{
	v4i32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void knn_1d(const struct hot_point *pt, size_t n, size_t k, struct wq *kd, int32_t *x)
{
	size_t i = 0, j, end = 0;

	if (n > 2 * k + 4 && pt[n - 1].key <= INT32_MAX) {
		for (i = 0; i < n; i++)
			x[i] = (int32_t)pt[i].key;
		end = n - k - 3;	/* blocks [i, i + 4) with i + 3 + k <= n - 1 */
	}
	for (i = 0; i < n; i++) {
		if (i >= k && i < end) {
			v4i32 X = v4_load(x + i), best = X - X + INT32_MAX;

			for (j = 0; j <= k; j++) {
				v4i32 a = X - v4_load(x + i - k + j), b = v4_load(x + i + j) - X;
				v4i32 gt = a > b, m = (a & gt) | (b & ~gt), lt = m < best;

				best = (m & lt) | (best & ~lt);
			}
			for (j = 0; j < 4; j++) {
				kd[i + j].q = (uint64_t)best[j];
				kd[i + j].w = pt[i + j].v;
			}
			i += 3;
			continue;
		}
		{
			size_t jlo = i >= k ? i - k : 0, jhi = i < n - 1 - k ? i : n - 1 - k;
			uint32_t xi = pt[i].key, best = UINT32_MAX;

			for (j = jlo; j <= jhi; j++) {
				uint32_t a = xi - pt[j].key, b = pt[j + k].key - xi;
				uint32_t m = a > b ? a : b;

				best = m < best ? m : best;
			}
			kd[i].q = best;
			kd[i].w = pt[i].v;
		}
	}
}

static int cluster_1d(const struct hot_point *pt, size_t n, const struct hotspot_params *p,
		      int32_t *label, size_t *ncl, double *eps_out, struct wq *kd)
{
	int64_t E;
	ssize_t *prev, pc = -1, nc = -1;
	int32_t *x;
	bool *core;
	double eps;
	size_t i, lo = 0, hi = 0, k;
	int32_t cur = -1;
	int err = -ENOMEM;

	prev = malloc(n * sizeof(*prev));
	core = malloc(n * sizeof(*core));
	x = malloc(n * sizeof(*x));
	if (!prev || !core || !x)
		goto out;

	eps = p->eps;
	if (p->eps_auto) {
		k = p->eps_k < n - 1 ? p->eps_k : n - 1;
		eps = 0;
		if (k) {
			knn_1d(pt, n, k, kd, x);
			if (median_eps(1, kd, n, p, &eps))
				goto out;
		}
	}
	E = eps < 9e18 ? (int64_t)floor(eps) : INT64_MAX;

	for (i = 0; i < n; i++) {
		int64_t x = pt[i].key;

		while (x - (int64_t)pt[lo].key > E)
			lo++;
		while (hi < n && (int64_t)pt[hi].key - x <= E)
			hi++;
		core[i] = hi - lo >= p->minpts;
	}
	/* cores, chained; each point's previous core on the way */
	*ncl = 0;
	for (i = 0; i < n; i++) {
		label[i] = -1;
		if (core[i]) {
			if (pc < 0 || (int64_t)pt[i].key - (int64_t)pt[pc].key > E)
				cur = (int32_t)(*ncl)++;
			label[i] = cur;
			pc = (ssize_t)i;
		}
		prev[i] = pc;
	}
	/* border points: the nearer core within eps, the lower on a tie */
	for (i = n; i-- > 0;) {
		int64_t dp, dn;

		if (core[i]) {
			nc = (ssize_t)i;
			continue;
		}
		dp = prev[i] >= 0 ? (int64_t)pt[i].key - (int64_t)pt[prev[i]].key : INT64_MAX;
		dn = nc >= 0 ? (int64_t)pt[nc].key - (int64_t)pt[i].key : INT64_MAX;
		if (dp <= E && dp <= dn)
			label[i] = label[prev[i]];
		else if (dn <= E)
			label[i] = label[nc];
	}
	*eps_out = eps;
	err = 0;
out:
	free(prev);
	free(core);
	free(x);
	return err;
}

/* ---- 2-D ---- */

struct grid {
	int64_t s;
	size_t ncells;
	uint32_t *cell;		/* sorted cell ids: (row / s) << 16 | col / s */
	size_t *start;		/* points of cell c: ord[start[c] .. start[c + 1]) */
	uint32_t *ord;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void grid_free(struct grid *g)
{
	free(g->cell);
	free(g->start);
	free(g->ord);
}

static int grid_build(struct grid *g, const struct hot_point *pt, size_t n, int64_t s)
{
	uint64_t *tmp;
	size_t i;

	memset(g, 0, sizeof(*g));
	g->s = s;
	tmp = malloc(n * sizeof(*tmp));
	g->cell = malloc(n * sizeof(*g->cell));
	g->start = malloc((n + 1) * sizeof(*g->start));
	g->ord = malloc(n * sizeof(*g->ord));
	if (!tmp || !g->cell || !g->start || !g->ord) {
		free(tmp);
		grid_free(g);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		uint64_t r = (pt[i].key >> 16) / (uint64_t)s, c = (pt[i].key & 0xffff) / (uint64_t)s;

		tmp[i] = (r << 16 | c) << 32 | i;
	}
	qsort(tmp, n, sizeof(*tmp), cmp_u64);
	for (i = 0; i < n; i++) {
		uint32_t c = (uint32_t)(tmp[i] >> 32);

		if (!g->ncells || g->cell[g->ncells - 1] != c) {
			g->cell[g->ncells] = c;
			g->start[g->ncells] = i;
			g->ncells++;
		}
		g->ord[i] = (uint32_t)tmp[i];
	}
	g->start[g->ncells] = n;
	free(tmp);
	return 0;
}

/* The points of cell (r, c): ord[*b .. *e). */
static bool grid_cell(const struct grid *g, int64_t r, int64_t c, size_t *b, size_t *e)
{
	size_t lo = 0, hi = g->ncells;
	uint32_t id;

	if (r < 0 || c < 0 || r > 0xffff || c > 0xffff)
		return false;
	id = (uint32_t)(r << 16 | c);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->cell[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == g->ncells || g->cell[lo] != id)
		return false;
	*b = g->start[lo];
	*e = g->start[lo + 1];
	return true;
}

static inline int64_t prow(const struct hot_point *pt, size_t i)
{
	return pt[i].key >> 16;
}

static inline int64_t pcol(const struct hot_point *pt, size_t i)
{
	return pt[i].key & 0xffff;
}

static inline int64_t dist2(const struct hot_point *pt, size_t i, size_t j)
{
	int64_t dr = prow(pt, i) - prow(pt, j), dc = pcol(pt, i) - pcol(pt, j);

	return dr * dr + dc * dc;
}

/* k-th nearest neighbour distances, ring by ring in cells of 2. */
static int knn_2d(const struct hot_point *pt, size_t n, unsigned k, struct wq *kd)
{
	int64_t best[64];
	struct grid g;
	size_t i;
	int err;

	err = grid_build(&g, pt, n, 2);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		int64_t cr = prow(pt, i) / g.s, cc = pcol(pt, i) / g.s, R, dr, dc;
		unsigned have = 0;

		for (R = 0; R <= KNN_RINGS; R++) {
			for (dr = -R; dr <= R; dr++) {
				for (dc = -R; dc <= R; dc++) {
					size_t b, e, q;

					if (dr != -R && dr != R && dc != -R && dc != R)
						continue;
					if (!grid_cell(&g, cr + dr, cc + dc, &b, &e))
						continue;
					for (q = b; q < e; q++) {
						size_t j = g.ord[q];
						int64_t d = dist2(pt, i, j);
						unsigned m;

						if (j == i || (have == k && d >= best[k - 1]))
							continue;
						m = have < k ? have++ : k - 1;
						while (m > 0 && best[m - 1] > d) {
							best[m] = best[m - 1];
							m--;
						}
						best[m] = d;
					}
				}
			}
			if (have == k && best[k - 1] <= R * g.s * R * g.s)
				break;
		}
		/* none within the rings: the rings' reach, (9 * 2)^2 */
		kd[i].q = have == k ? (uint64_t)best[k - 1] :
				      (uint64_t)((KNN_RINGS + 1) * g.s * (KNN_RINGS + 1) * g.s);
		kd[i].w = pt[i].v;
	}
	grid_free(&g);
	return 0;
}

static size_t uf_find(size_t *par, size_t i)
{
	while (par[i] != i) {
		par[i] = par[par[i]];
		i = par[i];
	}
	return i;
}

static int cluster_2d(const struct hot_point *pt, size_t n, const struct hotspot_params *p,
		      int32_t *label, size_t *ncl, double *eps_out, struct wq *kd)
{
	size_t *par = NULL, *nearest = NULL, i;
	int32_t *rootlab = NULL;
	bool *core = NULL;
	double eps = p->eps;
	int64_t E2, s;
	struct grid g = { 0 };
	int err = -ENOMEM;

	if (p->eps_auto) {
		unsigned k = p->eps_k < n - 1 ? p->eps_k : (unsigned)(n - 1);

		eps = 0;
		if (k) {
			err = knn_2d(pt, n, k, kd);
			if (!err)
				err = median_eps(2, kd, n, p, &eps);
			if (err)
				return err;
			err = -ENOMEM;
		}
	}
	E2 = eps < 1e5 ? (int64_t)floor(eps * eps) : (int64_t)1e10;
	s = (int64_t)ceil(eps);
	if (s < 1)
		s = 1;
	if (s > 0x10000)
		s = 0x10000;
	par = malloc(n * sizeof(*par));
	nearest = malloc(n * sizeof(*nearest));
	rootlab = malloc(n * sizeof(*rootlab));
	core = malloc(n * sizeof(*core));
	if (!par || !nearest || !rootlab || !core || grid_build(&g, pt, n, s))
		goto out;

	for (i = 0; i < n; i++) {
		int64_t cr = prow(pt, i) / s, cc = pcol(pt, i) / s, dr, dc;
		size_t cnt = 0;

		for (dr = -1; dr <= 1; dr++)
			for (dc = -1; dc <= 1; dc++) {
				size_t b, e, q;

				if (!grid_cell(&g, cr + dr, cc + dc, &b, &e))
					continue;
				for (q = b; q < e; q++)
					cnt += dist2(pt, i, g.ord[q]) <= E2;
			}
		core[i] = cnt >= p->minpts;
		par[i] = i;
	}
	/* join cores; remember each border point's nearest core */
	for (i = 0; i < n; i++) {
		int64_t cr = prow(pt, i) / s, cc = pcol(pt, i) / s, dr, dc, bestd = INT64_MAX;

		nearest[i] = SIZE_MAX;
		for (dr = -1; dr <= 1; dr++)
			for (dc = -1; dc <= 1; dc++) {
				size_t b, e, q;

				if (!grid_cell(&g, cr + dr, cc + dc, &b, &e))
					continue;
				for (q = b; q < e; q++) {
					size_t j = g.ord[q];
					int64_t d;

					if (!core[j] || j == i)
						continue;
					d = dist2(pt, i, j);
					if (d > E2)
						continue;
					if (core[i]) {
						size_t a = uf_find(par, i), c = uf_find(par, j);

						if (a != c)
							par[a > c ? a : c] = a < c ? a : c;
					} else if (d < bestd || (d == bestd && j < nearest[i])) {
						bestd = d;
						nearest[i] = j;
					}
				}
			}
	}
	*ncl = 0;
	for (i = 0; i < n; i++)
		rootlab[i] = -1;
	for (i = 0; i < n; i++) {
		size_t r;

		label[i] = -1;
		if (core[i])
			r = uf_find(par, i);
		else if (nearest[i] != SIZE_MAX)
			r = uf_find(par, nearest[i]);
		else
			continue;
		if (rootlab[r] < 0)
			rootlab[r] = (int32_t)(*ncl)++;
		label[i] = rootlab[r];
	}
	*eps_out = eps;
	err = 0;
out:
	grid_free(&g);
	free(par);
	free(nearest);
	free(rootlab);
	free(core);
	return err;
}

/*
 * The second look: neighbouring clusters closer than the eps of their own
 * points (scale times their hotness-weighted median k-NN distance) are one
 * cluster. The window's eps is set where most hot accesses land; a range
 * that is hot but sparser (lower intensity, fewer of its indices over the
 * threshold) would otherwise come out as fragments whose edges wander
 * from window to window. Only the gaps between clusters are re-examined,
 * never the whole window.
 */
static int join_fragments(unsigned dims, const struct hot_point *pt, size_t n, struct wq *kd,
			  const struct hotspot_params *p, int32_t *label, size_t *ncl)
{
	size_t nc = *ncl, i, j, a, b, nrun = 0, *start = NULL, *fill = NULL, *par = NULL;
	size_t (*run)[2] = NULL;	/* runs of points of one cluster: [begin, end) */
	int64_t (*box)[4] = NULL;	/* min row, max row, min col, max col (1-D: col only) */
	struct wq *tmp = NULL;
	double *leps = NULL;
	int32_t *renum = NULL;
	int err = -ENOMEM;

	if (nc < 2 || (dims == 2 && nc > 4096))
		return 0;
	start = calloc(nc + 1, sizeof(*start));
	fill = calloc(nc, sizeof(*fill));
	par = malloc(nc * sizeof(*par));
	box = malloc(nc * sizeof(*box));
	tmp = malloc(n * sizeof(*tmp));
	leps = malloc(nc * sizeof(*leps));
	renum = malloc(nc * sizeof(*renum));
	run = malloc(n * sizeof(*run));
	if (!start || !fill || !par || !box || !tmp || !leps || !renum || !run)
		goto out;
	for (a = 0; a < nc; a++) {
		par[a] = a;
		box[a][0] = box[a][2] = INT64_MAX;
		box[a][1] = box[a][3] = INT64_MIN;
	}
	/*
	 * Members of each cluster, contiguous in tmp, taken a run of equal
	 * labels at a time: in 1-D a cluster is one run, its box the run's
	 * ends, and the noise between clusters is skipped in one sweep.
	 */
	for (i = 0; i < n; i = b) {
		int64_t r0 = INT64_MAX, r1 = INT64_MIN, c0 = INT64_MAX, c1 = INT64_MIN;

		for (b = i + 1; b < n && label[b] == label[i]; b++)
			;
		if (label[i] < 0)
			continue;
		a = (size_t)label[i];
		start[a + 1] += b - i;
		run[nrun][0] = i;
		run[nrun++][1] = b;
		if (dims == 1) {
			r0 = r1 = 0;
			c0 = pt[i].key;
			c1 = pt[b - 1].key;
		}
		for (j = i; dims == 2 && j < b; j++) {
			int64_t r = pt[j].key >> 16, c = pt[j].key & 0xffff;

			r0 = r < r0 ? r : r0;
			r1 = r > r1 ? r : r1;
			c0 = c < c0 ? c : c0;
			c1 = c > c1 ? c : c1;
		}
		box[a][0] = r0 < box[a][0] ? r0 : box[a][0];
		box[a][1] = r1 > box[a][1] ? r1 : box[a][1];
		box[a][2] = c0 < box[a][2] ? c0 : box[a][2];
		box[a][3] = c1 > box[a][3] ? c1 : box[a][3];
	}
	for (a = 0; a < nc; a++)
		start[a + 1] += start[a];
	for (j = 0; j < nrun; j++) {
		i = run[j][0];
		b = run[j][1];
		a = (size_t)label[i];
		memcpy(tmp + start[a] + fill[a], kd + i, (b - i) * sizeof(*tmp));
		fill[a] += b - i;
	}
	for (a = 0; a < nc; a++)
		if (median_eps(dims, tmp + start[a], start[a + 1] - start[a], p, &leps[a]))
			goto out;

	for (a = 0; a < nc; a++) {
		/* 1-D clusters come in order: only the next one can be nearest */
		size_t last = dims == 2 ? nc : (a + 2 < nc ? a + 2 : nc);

		for (b = a + 1; b < last; b++) {
			double gr = 0, gc, lim = leps[a] > leps[b] ? leps[a] : leps[b];
			size_t ra, rb;

			if (dims == 2) {
				gr = (double)(box[b][0] > box[a][1] ? box[b][0] - box[a][1] :
					      box[a][0] > box[b][1] ? box[a][0] - box[b][1] : 0);
			}
			gc = (double)(box[b][2] > box[a][3] ? box[b][2] - box[a][3] :
				      box[a][2] > box[b][3] ? box[a][2] - box[b][3] : 0);
			if (gr * gr + gc * gc > lim * lim)
				continue;
			ra = a;
			while (par[ra] != ra)
				ra = par[ra];
			rb = b;
			while (par[rb] != rb)
				rb = par[rb];
			if (ra != rb)
				par[ra > rb ? ra : rb] = ra < rb ? ra : rb;
		}
	}
	/* renumber by first member */
	for (a = 0; a < nc; a++)
		renum[a] = -1;
	*ncl = 0;
	for (i = 0; i < n; i++) {
		size_t r;

		if (label[i] < 0)
			continue;
		r = (size_t)label[i];
		while (par[r] != r)
			r = par[r];
		if (renum[r] < 0)
			renum[r] = (int32_t)(*ncl)++;
		label[i] = renum[r];
	}
	err = 0;
out:
	free(start);
	free(fill);
	free(par);
	free(box);
	free(tmp);
	free(leps);
	free(renum);
	free(run);
	return err;
}

int engine_cluster_run(unsigned dims, const struct hot_point *pt, size_t n,
		       const struct hotspot_params *p, int32_t *label, size_t *nclusters,
		       double *eps)
{
	struct wq *kd;
	int err;

	*nclusters = 0;
	*eps = p->eps_auto ? 0 : p->eps;
	if (n == 0)
		return 0;
	kd = calloc(n, sizeof(*kd));
	if (!kd)
		return -ENOMEM;
	err = dims == 2 ? cluster_2d(pt, n, p, label, nclusters, eps, kd) :
			  cluster_1d(pt, n, p, label, nclusters, eps, kd);
	if (!err && p->eps_auto && n > 1)
		err = join_fragments(dims, pt, n, kd, p, label, nclusters);
	free(kd);
	return err;
}
