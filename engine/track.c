// SPDX-License-Identifier: MIT
/*
 * Cluster identity across windows, and drift.
 *
 * Matching: every pair (previous cluster, new cluster) whose spans overlap
 * is a link candidate, weighted by the overlap (length in 1-D, area in
 * 2-D). Taking pairs by decreasing overlap, a new cluster continues the
 * previous one if neither is taken yet. A new cluster overlapping nothing
 * continues the nearest previous cluster that overlaps nothing either, if
 * their centres are within 2 (sigma_old + sigma_new) + 1 indices: a cluster
 * that moved clear of its old span keeps its id. What remains gives the
 * events: a new cluster overlapping a previous one that continued elsewhere
 * was split off it; a previous cluster overlapping a new one it did not
 * continue was merged into it; the others appeared or vanished.
 *
 * Drift, for a cluster that continued: delta = |c - c_ref| / sigma, the
 * centre's shift from a reference centre (where the cluster was born, last
 * settled or last drifted) in local standard deviations. Measuring from a
 * fixed reference rather than the previous window lets slow drifts add up
 * instead of hiding under the threshold window after window; a cluster
 * that only changes intensity or rate keeps its centre and its delta stays
 * noise. Drift is declared (one event, state drifting) when
 *   - delta > threshold in drift_windows consecutive windows (shift), or
 *   - one window's step |c - c_prev| / sigma exceeded the threshold and the
 *     next window confirms delta > threshold (jump: flagged in 2 windows), or
 *   - sigma^2 > (1 + drift_var_growth) * the mean of the previous 5 windows'
 *     (spread).
 * A drifting cluster's reference follows it while it keeps moving; after
 * drift_windows quiet windows it settles (one event, state stable). Merges
 * and splits restart the survivor's drift history: its centre moved because
 * its members changed, not because it drifted. Shifts and steps count only
 * when they also exceed three standard errors of the centre difference
 * (sigma * sqrt(1/n1 + 1/n2) for clusters of n1 and n2 hot indices): the
 * centre of a five-index fragment wanders by more than 0.8 sigma on its own;
 * and only when the span moved with the centre, both edges at least a
 * quarter of the way: a fragment of a sparse range trading indices with its
 * neighbour changes shape, it does not drift. A cluster born, split or
 * merged less than drift_windows windows ago has no place to drift from
 * yet: its moves do not count.
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
	size_t i, j;		/* previous track, new cluster */
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

static struct track_history *history_new(struct engine *e, uint64_t id, uint64_t from,
					 size_t *idx)
{
	struct track_history *h;

	if (e->nhistory == e->history_cap) {
		size_t cap = e->history_cap ? e->history_cap * 2 : 16;
		void *np = realloc(e->history, cap * sizeof(*e->history));

		if (!np)
			return NULL;
		e->history = np;
		e->history_cap = cap;
	}
	*idx = e->nhistory;
	h = &e->history[e->nhistory++];
	memset(h, 0, sizeof(*h));
	h->id = id;
	h->first = e->win_no;
	h->from = from;
	h->end = TRACK_ALIVE;
	return h;
}

static void track_start(struct track *t, const struct engine_cluster *c)
{
	memset(t, 0, sizeof(*t));
	t->c = *c;
	memcpy(t->ref, c->centre, sizeof(t->ref));
	memcpy(t->prev, c->centre, sizeof(t->prev));
	t->ref_n = t->prev_n = (double)c->elements;
	memcpy(t->ref_lo, c->lo, sizeof(t->ref_lo));
	memcpy(t->ref_hi, c->hi, sizeof(t->ref_hi));
	memcpy(t->prev_lo, c->lo, sizeof(t->prev_lo));
	memcpy(t->prev_hi, c->hi, sizeof(t->prev_hi));
	t->var = c->sigma * c->sigma;
}

/*
 * Did the span move with the centre (from centre a, span [alo, ahi) to the
 * cluster now)? Both edges must advance along the centre's shift by at least
 * a quarter of it: one edge moving alone reshapes a cluster (a fragment
 * trading indices with its neighbour), it does not move it.
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

static void set_ref(struct track *t)
{
	memcpy(t->ref, t->c.centre, sizeof(t->ref));
	memcpy(t->ref_lo, t->c.lo, sizeof(t->ref_lo));
	memcpy(t->ref_hi, t->c.hi, sizeof(t->ref_hi));
	t->ref_n = (double)t->c.elements;
}

static void push_var(struct track *t)
{
	t->var_hist[t->nvar % ENGINE_VAR_HISTORY] = t->var;
	t->nvar++;
}

/* Runs the drift rules on a continued track; may add one event. */
static void track_drift(const struct engine *e, struct track *t, struct cluster_event *ev,
			size_t *nev)
{
	const struct hotspot_params *p = &e->p;
	unsigned dims = e->dims;
	double sig = t->c.sigma > 0.5 ? t->c.sigma : 0.5;
	double D = centre_dist(dims, t->c.centre, t->ref) / sig;
	double step = centre_dist(dims, t->c.centre, t->prev) / sig;
	double n = (double)t->c.elements, ratio = 0;
	enum drift_reason why = DRIFT_NONE;
	bool spread = false, jump, far, moved;

	t->var = t->c.sigma * t->c.sigma;
	if (t->nvar >= ENGINE_VAR_HISTORY && t->age >= ENGINE_VAR_HISTORY) {
		double mean = 0;
		unsigned k;

		for (k = 0; k < ENGINE_VAR_HISTORY; k++)
			mean += t->var_hist[k];
		mean /= ENGINE_VAR_HISTORY;
		if (mean > 0.25 && t->var > (1 + p->drift_var_growth) * mean) {
			spread = true;
			ratio = t->var / mean;
		}
	}
	/* a cluster that just formed has no place to drift from yet */
	t->age++;
	far = t->age > p->drift_windows && D > p->drift_threshold && significant(D, n, t->ref_n) &&
	      translated(dims, t->ref, t->ref_lo, t->ref_hi, &t->c);
	moved = t->age > p->drift_windows && step > p->drift_threshold &&
		significant(step, n, t->prev_n) &&
		translated(dims, t->prev, t->prev_lo, t->prev_hi, &t->c);
	t->shift_run = far ? t->shift_run + 1 : 0;
	jump = t->step && far;
	t->step = moved;
	t->c.delta = D;
	memcpy(t->prev, t->c.centre, sizeof(t->prev));
	memcpy(t->prev_lo, t->c.lo, sizeof(t->prev_lo));
	memcpy(t->prev_hi, t->c.hi, sizeof(t->prev_hi));
	t->prev_n = n;

	if (!t->drifting) {
		if (jump)
			why = DRIFT_JUMP;
		else if (t->shift_run >= p->drift_windows)
			why = DRIFT_SHIFT;
		else if (spread)
			why = DRIFT_SPREAD;
		if (why != DRIFT_NONE) {
			struct cluster_event *x = &ev[(*nev)++];

			memset(x, 0, sizeof(*x));
			x->kind = CEV_DRIFT;
			x->id = t->c.id;
			x->reason = why;
			x->delta = why == DRIFT_SPREAD ? ratio : D;
			memcpy(x->centre, t->c.centre, sizeof(x->centre));
			t->drifting = true;
			t->shift_run = 0;
			t->quiet_run = 0;
			t->step = false;
			set_ref(t);
			e->history[t->hist].drifts++;
		}
	} else if (far || spread || moved) {
		set_ref(t);
		t->quiet_run = 0;
		t->shift_run = 0;
	} else if (++t->quiet_run >= p->drift_windows) {
		struct cluster_event *x = &ev[(*nev)++];

		memset(x, 0, sizeof(*x));
		x->kind = CEV_SETTLE;
		x->id = t->c.id;
		x->delta = D;
		memcpy(x->centre, t->c.centre, sizeof(x->centre));
		t->drifting = false;
		t->shift_run = 0;
		set_ref(t);
	}
	t->c.state = t->drifting ? CLUSTER_DRIFTING : CLUSTER_STABLE;
	push_var(t);
}

static void add_event(struct cluster_event *ev, size_t *nev, enum cluster_event_kind kind,
		      uint64_t id, uint64_t other, const double *centre)
{
	struct cluster_event *x = &ev[(*nev)++];

	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->id = id;
	x->other = other;
	memcpy(x->centre, centre, sizeof(x->centre));
}

int engine_track_window(struct engine *e, struct engine_cluster *cl, size_t ncl,
			struct cluster_event **evp, size_t *nevp)
{
	struct track *old = e->tracks, *nt = NULL;
	size_t no = e->ntracks, nlinks = 0, nev = 0, i, j, k;
	struct cluster_event *ev = NULL;
	struct link *links = NULL;
	ssize_t *cont_of_old = NULL, *link_of_new = NULL;
	bool *old_overlaps = NULL, *new_overlaps = NULL, *merged_into = NULL, *split_off = NULL;
	unsigned dims = e->dims;
	int err = -ENOMEM;

	*evp = NULL;
	*nevp = 0;
	nt = calloc(ncl + 1, sizeof(*nt));
	/* at most: one event per previous track, two per new cluster */
	ev = calloc(no + 2 * ncl + 1, sizeof(*ev));
	cont_of_old = malloc((no + 1) * sizeof(*cont_of_old));
	link_of_new = malloc((ncl + 1) * sizeof(*link_of_new));
	old_overlaps = calloc(no + 1, sizeof(*old_overlaps));
	new_overlaps = calloc(ncl + 1, sizeof(*new_overlaps));
	merged_into = calloc(ncl + 1, sizeof(*merged_into));
	split_off = calloc(no + 1, sizeof(*split_off));
	if (!nt || !ev || !cont_of_old || !link_of_new || !old_overlaps || !new_overlaps ||
	    !merged_into || !split_off)
		goto out;
	for (i = 0; i < no; i++)
		cont_of_old[i] = -1;
	for (j = 0; j < ncl; j++)
		link_of_new[j] = -1;

	for (i = 0; i < no; i++)
		for (j = 0; j < ncl; j++)
			if (span_overlap(dims, &old[i].c, &cl[j]) > 0)
				nlinks++;
	links = malloc((nlinks + 1) * sizeof(*links));
	if (!links)
		goto out;
	nlinks = 0;
	for (i = 0; i < no; i++)
		for (j = 0; j < ncl; j++) {
			double o = span_overlap(dims, &old[i].c, &cl[j]);

			if (o <= 0)
				continue;
			links[nlinks++] = (struct link){ i, j, o, old[i].c.id };
			old_overlaps[i] = true;
			new_overlaps[j] = true;
		}
	qsort(links, nlinks, sizeof(*links), cmp_link);
	for (k = 0; k < nlinks; k++)
		if (link_of_new[links[k].j] < 0 && cont_of_old[links[k].i] < 0) {
			link_of_new[links[k].j] = (ssize_t)links[k].i;
			cont_of_old[links[k].i] = (ssize_t)links[k].j;
		}
	/* moved clear of its span: nearest centre */
	for (j = 0; j < ncl; j++) {
		double bestd = INFINITY;
		ssize_t best = -1;

		if (new_overlaps[j])
			continue;
		for (i = 0; i < no; i++) {
			double d, gate;

			if (old_overlaps[i] || cont_of_old[i] >= 0)
				continue;
			d = centre_dist(dims, old[i].c.centre, cl[j].centre);
			gate = 2 * (old[i].c.sigma + cl[j].sigma) + 1;
			if (d <= gate && d < bestd) {
				bestd = d;
				best = (ssize_t)i;
			}
		}
		if (best >= 0) {
			link_of_new[j] = best;
			cont_of_old[best] = (ssize_t)j;
		}
	}
	/* merges: a previous track overlapping a new cluster it did not continue */
	for (i = 0; i < no; i++) {
		double besto = 0;
		ssize_t best = -1;

		if (cont_of_old[i] >= 0)
			continue;
		for (k = 0; k < nlinks; k++)
			if (links[k].i == i && links[k].overlap > besto) {
				besto = links[k].overlap;
				best = (ssize_t)links[k].j;
			}
		cont_of_old[i] = -2 - best;	/* -1: vanished, <= -2: merged into -2 - x */
		if (best >= 0 && link_of_new[best] >= 0)
			merged_into[best] = true;
	}

	/* previous tracks that lost part of themselves to a split */
	for (k = 0; k < nlinks; k++)
		if (link_of_new[links[k].j] < 0)
			split_off[links[k].i] = true;

	/* new clusters: continue, split off, or appear */
	for (j = 0; j < ncl; j++) {
		struct track *t = &nt[j];
		struct track_history *h;

		if (link_of_new[j] >= 0) {
			*t = old[link_of_new[j]];
			cl[j].id = t->c.id;
			t->c = cl[j];
			h = &e->history[t->hist];
			if (merged_into[j] || split_off[link_of_new[j]]) {
				bool drifting = t->drifting;

				track_start(t, &cl[j]);
				t->hist = (size_t)(h - e->history);
				t->drifting = drifting && !merged_into[j];
				t->c.state = merged_into[j] ? CLUSTER_MERGED :
					     drifting ? CLUSTER_DRIFTING : CLUSTER_STABLE;
				push_var(t);
			} else {
				track_drift(e, t, ev, &nev);
			}
		} else {
			uint64_t from = 0;
			double besto = 0;
			size_t idx;

			for (k = 0; k < nlinks; k++)
				if (links[k].j == j && links[k].overlap > besto) {
					besto = links[k].overlap;
					from = old[links[k].i].c.id;
				}
			cl[j].id = e->next_id++;
			track_start(t, &cl[j]);
			t->c.state = from ? CLUSTER_SPLIT : CLUSTER_NEW;
			h = history_new(e, cl[j].id, from, &idx);
			if (!h)
				goto out;
			t->hist = idx;
			push_var(t);
			add_event(ev, &nev, from ? CEV_SPLIT : CEV_APPEAR, cl[j].id, from,
				  cl[j].centre);
		}
		cl[j].state = t->c.state;
		cl[j].delta = t->c.delta;
		h = &e->history[t->hist];
		h->last = e->win_no;
		memcpy(h->lo, cl[j].lo, sizeof(h->lo));
		memcpy(h->hi, cl[j].hi, sizeof(h->hi));
		if (cl[j].hotness > h->peak_hotness)
			h->peak_hotness = cl[j].hotness;
		if (cl[j].share > h->peak_share)
			h->peak_share = cl[j].share;
	}
	/* previous tracks that ended */
	for (i = 0; i < no; i++) {
		struct track_history *h = &e->history[old[i].hist];

		if (cont_of_old[i] >= 0 || cont_of_old[i] == -1)
			continue;
		h->end = TRACK_MERGED;
		h->into = cl[-2 - cont_of_old[i]].id;
		add_event(ev, &nev, CEV_MERGE, old[i].c.id, h->into, old[i].c.centre);
	}
	for (i = 0; i < no; i++) {
		if (cont_of_old[i] != -1)
			continue;
		e->history[old[i].hist].end = TRACK_VANISHED;
		add_event(ev, &nev, CEV_VANISH, old[i].c.id, 0, old[i].c.centre);
	}

	free(e->tracks);
	e->tracks = nt;
	e->ntracks = ncl;
	nt = NULL;
	*evp = ev;
	*nevp = nev;
	ev = NULL;
	err = 0;
out:
	free(nt);
	free(ev);
	free(links);
	free(cont_of_old);
	free(link_of_new);
	free(old_overlaps);
	free(new_overlaps);
	free(merged_into);
	free(split_off);
	return err;
}
