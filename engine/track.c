// SPDX-License-Identifier: MIT
/*
 * Cluster identity across windows, events and drift.
 *
 * Matching: every pair (track, new cluster) whose spans overlap is a link,
 * weighted by the overlap (length in 1-D, area in 2-D); taking links by
 * decreasing overlap, a cluster continues a track when neither is taken. A
 * cluster overlapping nothing continues the nearest track that overlaps
 * nothing either, if the centres are within 2 (sigma_a + sigma_b) + 1: a
 * small move. Tracks that were not reported for fewer than `persist`
 * windows take part too, so a cluster that flickers out for a window keeps
 * its id.
 *
 * Events need evidence. A cluster is new (shown, with its id) from its
 * first window, but `appear` goes out only once it has been seen `persist`
 * windows in a row, and a cluster shorter-lived than that leaves no event
 * at all; `vanish` goes out once a cluster has been missing `persist`
 * windows; `split` once the part born of a split has lived `persist`
 * windows; `merge` once a cluster has been absorbed for `persist` windows.
 * A far jump is one `move`: a track that lost its place this window,
 * paired with a cluster elsewhere that is new (or younger than `persist`)
 * and takes a comparable share of this window's accesses (within a factor
 * of 3); the cluster takes the track's id, and the summary keeps the path.
 *
 * Drift, for an announced cluster that continued: delta = |c - c_ref| /
 * sigma, the centre's shift from a reference centre (where the cluster was
 * born, last settled or last drifted) in local standard deviations. From a
 * fixed reference rather than the previous window, slow drifts add up
 * instead of hiding under the threshold window after window; a cluster
 * that only changes intensity or rate keeps its centre and its delta stays
 * noise. Drift is declared (one event, state drifting) when
 *   - delta > threshold in drift_windows consecutive windows (shift), or
 *   - one window's step |c - c_prev| / sigma exceeded the threshold and the
 *     next window confirms delta > threshold (jump: flagged in 2 windows), or
 *   - sigma^2 > (1 + drift_var_growth) * sigma^2 at the reference, in
 *     drift_windows consecutive windows (spread).
 * Shifts and steps count only when they exceed three standard errors of
 * the centre difference (sigma * sqrt(1/n1 + 1/n2) for n1 and n2 active
 * indices), a spread only when the log of the variance ratio exceeds three
 * of its standard errors (sqrt(2/n1 + 2/n2)), and shifts and steps only
 * when the span moved with the centre, both edges at least a
 * quarter of the way; a cluster younger than drift_windows windows (since
 * birth, split, merge or move) has no place to drift from yet. A drifting
 * cluster's reference follows it while it keeps moving; it settles (one
 * event, state stable) once it has been still for drift_windows windows
 * and twice as long as it took to move the threshold last time, so a slow
 * drift is one drift, not a drift and a settle every few windows.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "engine/engine_internal.h"

static double centre_dist(unsigned dims, const double *a, const double *b)
{
	double d0 = a[0] - b[0], d1 = dims == 2 ? a[1] - b[1] : 0;

	return sqrt(d0 * d0 + d1 * d1);
}

struct link {
	size_t i, j;		/* track, new cluster */
	double overlap;
	uint64_t id;
};

static double span_overlap(unsigned dims, const struct engine_cluster *a,
			   const struct engine_cluster *b)
{
	double o = 1;
	unsigned d;

	for (d = 0; d < dims; d++) {
		int64_t lo = a->lo[d] > b->lo[d] ? a->lo[d] : b->lo[d];
		int64_t hi = a->hi[d] < b->hi[d] ? a->hi[d] : b->hi[d];

		if (hi <= lo)
			return 0;
		o *= (double)(hi - lo);
	}
	return o;
}

static int cmp_link(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->overlap != y->overlap)
		return x->overlap > y->overlap ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* ---- history ---- */

static struct track_history *history_of(struct engine *e, const struct track *t)
{
	return t->hist == SIZE_MAX ? NULL : &e->history[t->hist];
}

static int history_new(struct engine *e, struct track *t, uint64_t born, uint64_t born_ns,
		       const int64_t *lo, const int64_t *hi)
{
	struct track_history *h;

	if (engine_grow((void **)&e->history, &e->history_cap, e->nhistory + 1,
			sizeof(*e->history)))
		return -ENOMEM;
	h = &e->history[e->nhistory];
	memset(h, 0, sizeof(*h));
	h->h.id = t->c.id;
	h->h.first = born;
	h->h.first_ns = born_ns;
	memcpy(h->h.first_lo, lo, sizeof(h->h.first_lo));
	memcpy(h->h.first_hi, hi, sizeof(h->h.first_hi));
	h->h.from = t->from;
	h->h.end = CLUSTER_ALIVE;
	t->hist = e->nhistory++;
	return 0;
}

static int history_step(struct track_history *h, uint64_t window, uint64_t ns,
			enum cluster_event_kind kind, const struct engine_cluster *c)
{
	struct engine_step *s;

	if (!h)
		return 0;
	if (engine_grow((void **)&h->steps, &h->steps_cap, h->h.nsteps + 1, sizeof(*h->steps)))
		return -ENOMEM;
	s = &h->steps[h->h.nsteps++];
	s->window = window;
	s->ns = ns;
	s->kind = kind;
	memcpy(s->lo, c->lo, sizeof(s->lo));
	memcpy(s->hi, c->hi, sizeof(s->hi));
	h->h.steps = h->steps;
	return 0;
}

/* ---- sites ---- */

static void sites_add(struct track *t, const struct seg_cluster *sc, double decay)
{
	unsigned i, k;

	for (i = 0; i < t->nsites; i++)
		t->site[i].n *= decay;
	for (k = 0; k < sc->nsites; k++) {
		unsigned low = 0;

		for (i = 0; i < t->nsites; i++)
			if (t->site[i].site == sc->site[k].site)
				break;
		if (i < t->nsites) {
			t->site[i].n += sc->site[k].n;
			continue;
		}
		if (t->nsites < ENGINE_SITE_TALLY) {
			t->site[t->nsites++] = sc->site[k];
			continue;
		}
		for (i = 1; i < t->nsites; i++)
			if (t->site[i].n < t->site[low].n)
				low = i;
		if (t->site[low].n < sc->site[k].n)
			t->site[low] = sc->site[k];
	}
}

/* The top sites of a tally, by count (then site), with their shares. */
static unsigned top_sites(const struct site_tally *s, unsigned n, struct engine_site_share *out)
{
	double sum = 0;
	unsigned i, k, m = 0;
	bool used[ENGINE_SITE_TALLY] = { false };

	for (i = 0; i < n; i++)
		sum += s[i].n;
	for (k = 0; k < ENGINE_TOP_SITES && sum > 0; k++) {
		int best = -1;

		for (i = 0; i < n; i++) {
			if (used[i] || !(s[i].n > 0))
				continue;
			if (best < 0 || s[i].n > s[best].n ||
			    (s[i].n == s[best].n && s[i].site < s[best].site))
				best = (int)i;
		}
		if (best < 0)
			break;
		used[best] = true;
		out[m].site = s[best].site;
		out[m].share = s[best].n / sum;
		m++;
	}
	return m;
}

/* ---- drift ---- */

static void track_start(struct track *t, const struct engine_cluster *c)
{
	memcpy(t->ref, c->centre, sizeof(t->ref));
	memcpy(t->prev, c->centre, sizeof(t->prev));
	t->ref_n = t->prev_n = (double)c->elements;
	memcpy(t->ref_lo, c->lo, sizeof(t->ref_lo));
	memcpy(t->ref_hi, c->hi, sizeof(t->ref_hi));
	memcpy(t->prev_lo, c->lo, sizeof(t->prev_lo));
	memcpy(t->prev_hi, c->hi, sizeof(t->prev_hi));
	t->var = c->sigma * c->sigma;
	t->ref_var = t->var;
	t->shift_run = 0;
	t->spread_run = 0;
	t->quiet_run = 0;
	t->age = 0;
	t->step = false;
}

/*
 * Did the span move with the centre (from centre a, span [alo, ahi) to the
 * cluster now)? Both edges must advance along the centre's shift by at least
 * a quarter of it: one edge moving alone reshapes a cluster, it does not
 * move it.
 */
static bool translated(unsigned dims, const double *a, const int64_t *alo, const int64_t *ahi,
		       const struct engine_cluster *c)
{
	double len = centre_dist(dims, a, c->centre), plo = 0, phi = 0;
	unsigned d;

	if (len == 0)
		return false;
	for (d = 0; d < dims; d++) {
		double u = (c->centre[d] - a[d]) / len;

		plo += (double)(c->lo[d] - alo[d]) * u;
		phi += (double)(c->hi[d] - ahi[d]) * u;
	}
	return plo >= len / 4 && phi >= len / 4;
}

/* Is a shift of d sigmas between centres of n1 and n2 points more than 3 standard errors? */
static bool significant(double d, double n1, double n2)
{
	if (n1 < 1)
		n1 = 1;
	if (n2 < 1)
		n2 = 1;
	return d > 3 * sqrt(1 / n1 + 1 / n2);
}

/*
 * Is a variance ratio between clusters of n1 and n2 points more than 3
 * standard errors from 1? The log of a sample variance has a standard
 * error of about sqrt(2 / n): a range of 20 indices changes its spread by
 * a third from window to window by chance alone.
 */
static bool significant_spread(double ratio, double n1, double n2)
{
	if (n1 < 1)
		n1 = 1;
	if (n2 < 1)
		n2 = 1;
	return ratio > 0 && log(ratio) > 3 * sqrt(2 / n1 + 2 / n2);
}

static void set_ref(struct track *t, uint64_t window)
{
	memcpy(t->ref, t->c.centre, sizeof(t->ref));
	memcpy(t->ref_lo, t->c.lo, sizeof(t->ref_lo));
	memcpy(t->ref_hi, t->c.hi, sizeof(t->ref_hi));
	t->ref_n = (double)t->c.elements;
	t->ref_var = t->c.sigma * t->c.sigma;
	t->ref_window = window;
	t->shift_run = 0;
	t->spread_run = 0;
}

struct evbuf {
	struct cluster_event *v;
	size_t n, cap;
};

static struct cluster_event *ev_add(struct evbuf *b, enum cluster_event_kind kind,
				    const struct engine_cluster *c, uint64_t other)
{
	struct cluster_event *x;

	if (engine_grow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v)))
		return NULL;
	x = &b->v[b->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->id = c->id;
	x->other = other;
	memcpy(x->centre, c->centre, sizeof(x->centre));
	memcpy(x->lo, c->lo, sizeof(x->lo));
	memcpy(x->hi, c->hi, sizeof(x->hi));
	x->share = c->share;
	return x;
}

/*
 * Runs the drift rules on an announced track that continued; may add one
 * event. While the cluster is younger than drift_windows its reference
 * follows it: a range still filling in (the first windows of a scan) has
 * not settled anywhere to drift from.
 */
static int track_drift(struct engine *e, struct track *t, uint64_t end_ns, struct evbuf *ev)
{
	const struct hotspot_params *p = &e->p;
	unsigned dims = e->dims;
	double sig = t->c.sigma > 0.5 ? t->c.sigma : 0.5;
	double D = centre_dist(dims, t->c.centre, t->ref) / sig;
	double step = centre_dist(dims, t->c.centre, t->prev) / sig;
	double n = (double)t->c.elements;
	enum drift_reason why = DRIFT_NONE;
	bool spread, jump, far, moved;
	struct cluster_event *x;

	t->var = t->c.sigma * t->c.sigma;
	t->age++;
	if (t->age <= p->drift_windows) {
		set_ref(t, e->win_no);
		t->c.delta = 0;
		goto done;
	}
	far = D > p->drift_threshold && significant(D, n, t->ref_n) &&
	      translated(dims, t->ref, t->ref_lo, t->ref_hi, &t->c);
	moved = step > p->drift_threshold && significant(step, n, t->prev_n) &&
		translated(dims, t->prev, t->prev_lo, t->prev_hi, &t->c);
	spread = t->ref_var > 0.25 && t->var > (1 + p->drift_var_growth) * t->ref_var &&
		 significant_spread(t->var / t->ref_var, n, t->ref_n);
	t->spread_run = spread ? t->spread_run + 1 : 0;
	t->shift_run = far ? t->shift_run + 1 : 0;
	jump = t->step && far;
	t->step = moved;
	t->c.delta = D;

	if (!t->drifting) {
		if (jump)
			why = DRIFT_JUMP;
		else if (t->shift_run >= p->drift_windows)
			why = DRIFT_SHIFT;
		else if (t->spread_run >= p->drift_windows)
			why = DRIFT_SPREAD;
		if (why != DRIFT_NONE) {
			x = ev_add(ev, CEV_DRIFT, &t->c, 0);
			if (!x)
				return -ENOMEM;
			x->reason = why;
			x->delta = why == DRIFT_SPREAD ? t->var / t->ref_var : D;
			t->drifting = true;
			t->pace = (unsigned)(e->win_no - t->ref_window);
			t->quiet_run = 0;
			t->step = false;
			set_ref(t, e->win_no);
			if (history_step(history_of(e, t), e->win_no, end_ns, CEV_DRIFT, &t->c))
				return -ENOMEM;
		}
	} else if (far || moved || t->spread_run >= p->drift_windows) {
		t->pace = (unsigned)(e->win_no - t->ref_window);
		set_ref(t, e->win_no);
		t->quiet_run = 0;
	} else if (++t->quiet_run >= p->drift_windows && t->quiet_run >= 2 * t->pace) {
		/* still for twice as long as it took to move the threshold last */
		x = ev_add(ev, CEV_SETTLE, &t->c, 0);
		if (!x)
			return -ENOMEM;
		x->delta = D;
		t->drifting = false;
		set_ref(t, e->win_no);
	}
done:
	memcpy(t->prev, t->c.centre, sizeof(t->prev));
	memcpy(t->prev_lo, t->c.lo, sizeof(t->prev_lo));
	memcpy(t->prev_hi, t->c.hi, sizeof(t->prev_hi));
	t->prev_n = n;
	t->c.state = t->drifting ? CLUSTER_DRIFTING : CLUSTER_STABLE;
	return 0;
}

/* Where a new cluster came from. */
enum origin {
	O_NONE,			/* nothing yet */
	O_CONT,			/* continues track i */
	O_MOVE,			/* is track i, moved here */
};

/* This window's accesses to the keys [k0, k1] (e->cur is sorted by key). */
static double cur_in(const struct engine *e, uint32_t k0, uint32_t k1)
{
	size_t lo = 0, hi = e->ncur;
	double n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->cur[mid].key < k0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->ncur && e->cur[lo].key <= k1; lo++)
		n += e->cur[lo].n;
	return n;
}

/* The hotness now of the keys [k0, k1] (e->run is sorted by key). */
static double run_in(const struct engine *e, uint32_t k0, uint32_t k1)
{
	size_t lo = 0, hi = e->nrun;
	double m = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->run[mid].key < k0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->nrun && e->run[lo].key <= k1; lo++)
		m += e->run[lo].v;
	return m / e->g;
}

/*
 * Is the place of a track that no cluster continued being left: does it
 * get under `fade` of the accesses its hotness predicts this window? A
 * track can also go unreported while its place is as busy as ever (its
 * share dipped under the minimum): that is no place to move from.
 */
static bool place_left(const struct engine *e, const struct engine_cluster *c)
{
	double m = 0, n = 0, rate, total = e->total / e->g;
	int64_t r;

	if (e->dims == 1) {
		m = run_in(e, (uint32_t)c->lo[0], (uint32_t)(c->hi[0] - 1));
		n = cur_in(e, (uint32_t)c->lo[0], (uint32_t)(c->hi[0] - 1));
	} else {
		for (r = c->lo[0]; r < c->hi[0]; r++) {
			uint32_t k0 = (uint32_t)(r << 16 | c->lo[1]);
			uint32_t k1 = (uint32_t)(r << 16 | (c->hi[1] - 1));

			m += run_in(e, k0, k1);
			n += cur_in(e, k0, k1);
		}
	}
	rate = total > 0 ? (double)e->cur_events / total : 0;
	return n < e->p.fade * rate * m || !(m > 0);
}

/*
 * Has an announced track lost its place: continued by a cluster that is
 * fading, or not continued (and not absorbed by a cluster it overlaps)
 * with its place being left?
 */
static bool lost(const struct engine *e, const struct track *old, size_t i, ssize_t cont,
		 bool overlaps, const struct seg_cluster *cl)
{
	if (!old[i].announced || cont == -3)
		return false;
	if (cont >= 0)
		return cl[cont].fading;
	return !overlaps && place_left(e, &old[i].c);
}

/*
 * Can cluster c be where lost track t jumped to? It is new, or continues a
 * track younger than persist that was not born of a split; it takes a
 * share of this window's accesses within a factor of 3 of t's share (its
 * hotness's, which the jump has not yet halved).
 */
static bool move_target(const struct track *old, const struct track *t,
			const struct seg_cluster *c, enum origin how, ssize_t link, bool overlaps)
{
	double a = t->hot_share, b = c->c.window_share;

	if (c->fading || c->dropped)
		return false;
	if (link >= 0 ? how != O_CONT || old[link].announced || old[link].from : overlaps)
		return false;
	return b * 3 >= a && a * 3 >= b;
}

int engine_track_window(struct engine *e, struct seg_cluster *cl, size_t ncl, uint64_t end_ns,
			struct cluster_event **evp, size_t *nevp)
{
	const struct hotspot_params *p = &e->p;
	struct track *old = e->tracks, *nt = NULL;
	size_t no = e->ntracks, nlinks = 0, nnt = 0, i, j, k;
	struct evbuf ev = { 0 };
	struct link *links = NULL;
	ssize_t *cont_of_old = NULL, *link_of_new = NULL;
	bool *old_overlaps = NULL, *new_overlaps = NULL;
	enum origin *how = NULL;
	unsigned dims = e->dims;
	int err = -ENOMEM;

	*evp = NULL;
	*nevp = 0;
	nt = calloc(ncl + no + 1, sizeof(*nt));
	cont_of_old = malloc((no + 1) * sizeof(*cont_of_old));
	link_of_new = malloc((ncl + 1) * sizeof(*link_of_new));
	old_overlaps = calloc(no + 1, sizeof(*old_overlaps));
	new_overlaps = calloc(ncl + 1, sizeof(*new_overlaps));
	how = calloc(ncl + 1, sizeof(*how));
	if (!nt || !cont_of_old || !link_of_new || !old_overlaps || !new_overlaps || !how)
		goto out;
	for (i = 0; i < no; i++)
		cont_of_old[i] = -1;
	for (j = 0; j < ncl; j++)
		link_of_new[j] = -1;

	for (i = 0; i < no; i++)
		for (j = 0; j < ncl; j++)
			nlinks += span_overlap(dims, &old[i].c, &cl[j].c) > 0;
	links = malloc((nlinks + 1) * sizeof(*links));
	if (!links)
		goto out;
	nlinks = 0;
	for (i = 0; i < no; i++)
		for (j = 0; j < ncl; j++) {
			double o = span_overlap(dims, &old[i].c, &cl[j].c);

			if (o <= 0)
				continue;
			links[nlinks++] = (struct link){ i, j, o, old[i].c.id };
			old_overlaps[i] = true;
			new_overlaps[j] = true;
		}
	if (nlinks > 1)
		qsort(links, nlinks, sizeof(*links), cmp_link);
	for (k = 0; k < nlinks; k++)
		if (link_of_new[links[k].j] < 0 && cont_of_old[links[k].i] < 0) {
			link_of_new[links[k].j] = (ssize_t)links[k].i;
			cont_of_old[links[k].i] = (ssize_t)links[k].j;
			how[links[k].j] = O_CONT;
		}
	/* a small move clear of its span: the nearest centre */
	for (j = 0; j < ncl; j++) {
		double bestd = INFINITY;
		ssize_t best = -1;

		if (new_overlaps[j])
			continue;
		for (i = 0; i < no; i++) {
			double d, gate;

			if (old_overlaps[i] || cont_of_old[i] >= 0)
				continue;
			d = centre_dist(dims, old[i].c.centre, cl[j].c.centre);
			gate = 2 * (old[i].c.sigma + cl[j].c.sigma) + 1;
			if (d <= gate && d < bestd) {
				bestd = d;
				best = (ssize_t)i;
			}
		}
		if (best >= 0) {
			link_of_new[j] = best;
			cont_of_old[best] = (ssize_t)j;
			how[j] = O_CONT;
		}
	}
	/*
	 * A far jump: a track that lost its place (reported last window, or
	 * announced and missing) and a cluster that is new, or continues a
	 * track younger than persist, elsewhere, taking a comparable share of
	 * this window's accesses. By decreasing share of the lost track.
	 */
	for (;;) {
		ssize_t bi = -1, bj = -1;

		for (i = 0; i < no; i++) {
			if (!lost(e, old, i, cont_of_old[i], old_overlaps[i], cl))
				continue;
			if (bi >= 0 && old[i].hot_share <= old[bi].hot_share)
				continue;
			for (j = 0; j < ncl; j++)
				if (move_target(old, &old[i], &cl[j], how[j], link_of_new[j],
						new_overlaps[j]))
					break;
			if (j < ncl)
				bi = (ssize_t)i;
		}
		if (bi < 0)
			break;
		for (j = 0; j < ncl; j++)
			if (move_target(old, &old[bi], &cl[j], how[j], link_of_new[j],
					new_overlaps[j]) &&
			    (bj < 0 || cl[j].c.window_share > cl[bj].c.window_share))
				bj = (ssize_t)j;
		if (cont_of_old[bi] >= 0) {
			/* it was still there, fading: it is here now instead */
			cl[cont_of_old[bi]].dropped = true;
			link_of_new[cont_of_old[bi]] = -1;
			how[cont_of_old[bi]] = O_NONE;
		}
		if (link_of_new[bj] >= 0)
			cont_of_old[link_of_new[bj]] = -3;	/* the young track leaves no trace */
		link_of_new[bj] = bi;
		cont_of_old[bi] = bj;
		how[bj] = O_MOVE;
	}

	/* new clusters: continue, move, split off, or appear */
	for (j = 0; j < ncl; j++) {
		struct track *t;
		struct engine_cluster *c = &cl[j].c;
		struct track_history *h;
		struct cluster_event *x;

		if (cl[j].dropped)
			continue;
		t = &nt[nnt++];
		if (how[j] == O_CONT || how[j] == O_MOVE) {
			struct engine_cluster was = old[link_of_new[j]].c;

			*t = old[link_of_new[j]];
			c->id = t->c.id;
			t->c = *c;
			t->hot_share = cl[j].hot_share;
			t->missing = 0;
			t->into = 0;
			t->seen++;
			sites_add(t, &cl[j], e->site_decay);
			if (how[j] == O_MOVE) {
				bool drifting = t->drifting;

				x = ev_add(&ev, CEV_MOVE, c, 0);
				if (!x)
					goto out;
				memcpy(x->from_lo, was.lo, sizeof(x->from_lo));
				memcpy(x->from_hi, was.hi, sizeof(x->from_hi));
				track_start(t, c);
				t->drifting = drifting;
				t->c.state = CLUSTER_MOVED;
				if (history_step(history_of(e, t), e->win_no, end_ns, CEV_MOVE, c))
					goto out;
			} else if (t->announced) {
				if (track_drift(e, t, end_ns, &ev))
					goto out;
			} else {
				t->age++;
				t->c.state = t->from ? CLUSTER_SPLIT : CLUSTER_NEW;
			}
		} else {
			double besto = 0;

			memset(t, 0, sizeof(*t));
			for (k = 0; k < nlinks; k++)
				if (links[k].j == j && links[k].overlap > besto) {
					besto = links[k].overlap;
					t->from = old[links[k].i].announced ? old[links[k].i].c.id : 0;
				}
			c->id = e->next_id++;
			t->c = *c;
			t->hot_share = cl[j].hot_share;
			t->hist = SIZE_MAX;
			t->seen = 1;
			sites_add(t, &cl[j], 0);
			track_start(t, c);
			memcpy(t->born_lo, c->lo, sizeof(t->born_lo));
			memcpy(t->born_hi, c->hi, sizeof(t->born_hi));
			t->age = 1;
			t->born_ns = end_ns;
			t->c.state = t->from ? CLUSTER_SPLIT : CLUSTER_NEW;
		}
		/* announce once seen persist windows in a row, its accesses coming back */
		t->returned |= cl[j].returning;
		if (!t->announced && t->seen >= p->persist && t->returned && !cl[j].fading) {
			uint64_t born = e->win_no + 1 - t->seen;

			t->announced = true;
			t->age = 0;	/* its drift reference settles from here */
			x = ev_add(&ev, t->from ? CEV_SPLIT : CEV_APPEAR, &t->c, t->from);
			if (!x || history_new(e, t, born, t->born_ns, t->born_lo, t->born_hi))
				goto out;
			if (t->c.state == CLUSTER_NEW || t->c.state == CLUSTER_SPLIT)
				t->c.state = CLUSTER_STABLE;
		}
		t->c.nsites = top_sites(t->site, t->nsites, t->c.sites);
		*c = t->c;
		h = history_of(e, t);
		if (h) {
			h->h.last = e->win_no;
			h->h.last_ns = end_ns;
			memcpy(h->h.lo, c->lo, sizeof(h->h.lo));
			memcpy(h->h.hi, c->hi, sizeof(h->h.hi));
			h->share_sum += c->share;
			h->h.reported++;
			h->h.mean_share = h->share_sum / (double)h->h.reported;
			if (c->share > h->h.peak_share)
				h->h.peak_share = c->share;
			h->h.nsites = c->nsites;
			memcpy(h->h.sites, c->sites, sizeof(h->h.sites));
		}
	}

	/* tracks not reported this window: absorbed, missing, or gone */
	for (i = 0; i < no; i++) {
		struct track *t;
		uint64_t into = 0;
		double besto = 0;

		if (cont_of_old[i] >= 0 || cont_of_old[i] == -3)
			continue;
		for (k = 0; k < nlinks; k++)
			if (links[k].i == i && links[k].overlap > besto) {
				besto = links[k].overlap;
				into = cl[links[k].j].c.id;
			}
		t = &nt[nnt];
		*t = old[i];
		t->missing++;
		t->seen = 0;
		t->into = into;
		if (t->missing < p->persist) {
			nnt++;		/* kept, unseen, in case it comes back */
			continue;
		}
		if (!t->announced)
			continue;
		if (into) {
			if (!ev_add(&ev, CEV_MERGE, &t->c, into))
				goto out;
			history_of(e, t)->h.end = CLUSTER_MERGED_AWAY;
			history_of(e, t)->h.into = into;
			for (j = 0; j < ncl; j++)
				if (cl[j].c.id == into)
					cl[j].c.state = CLUSTER_MERGED;
		} else {
			if (!ev_add(&ev, CEV_VANISH, &t->c, 0))
				goto out;
			history_of(e, t)->h.end = CLUSTER_VANISHED;
		}
	}
	/*
	 * Absorbing another cluster restarts the survivor's drift reference
	 * from the first window of it: its span and spread grew because it
	 * took the other in, not because it drifted.
	 */
	for (i = 0; i < nnt; i++) {
		if (!nt[i].into)
			continue;
		for (k = 0; k < nnt; k++)
			if (nt[k].c.id == nt[i].into && !nt[k].missing) {
				set_ref(&nt[k], e->win_no);
				nt[k].step = false;
			}
	}
	for (j = 0; j < ncl; j++)
		if (cl[j].c.state == CLUSTER_MERGED)
			for (k = 0; k < nnt; k++)
				if (nt[k].c.id == cl[j].c.id && !nt[k].missing) {
					bool drifting = nt[k].drifting;

					track_start(&nt[k], &cl[j].c);
					nt[k].drifting = drifting;
					nt[k].c.state = CLUSTER_MERGED;
				}

	free(e->tracks);
	e->tracks = nt;
	e->ntracks = nnt;
	nt = NULL;
	*evp = ev.v;
	*nevp = ev.n;
	ev.v = NULL;
	err = 0;
out:
	free(nt);
	free(ev.v);
	free(links);
	free(cont_of_old);
	free(link_of_new);
	free(old_overlaps);
	free(new_overlaps);
	free(how);
	return err;
}
