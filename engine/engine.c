// SPDX-License-Identifier: MIT
/*
 * The engine's core: hotness, windows and publication.
 *
 * Hotness decays exponentially, but no event touches more than one record:
 * every index stores its hotness multiplied by a global boost g that grows
 * as events (or time) pass, g = 2^(n / halflife), so an access adds the g
 * of its moment and the actual hotness is the stored value over g. An event
 * costs an append to the window's log: its key, its weight g and its site.
 * The active indices live in a run sorted by key (8 bytes each: a compact
 * key and a float). A fold sorts the log (radix, stable), sums it per key
 * and merges it into the run in place, dropping on the way every index
 * whose hotness fell under `evict_below` of the total; it also keeps the
 * window's accesses per key and site (the current evidence and the code
 * behind each span). An index is forgotten under evict_below of the total,
 * but never while it holds 1/64 of one fresh access. Folds happen at each
 * window close, and within a window when the log outgrows an eighth of
 * the run. The total is the exact decayed count of every access, evicted
 * ones included, so shares do not drift up as cold indices are forgotten.
 * When g passes 2^64, every stored value is divided by the same power of
 * two, which is exact. Between windows the engine holds the run (fitted to
 * its size), the last three windows' counts inside judged spans, and the
 * tracks: about 13 bytes per active index at the defaults.
 *
 * A closed window's run goes to segmentation (cluster.c), the clusters to
 * the tracker (track.c), and the result into an immutable snapshot swapped
 * in with one atomic exchange. A snapshot replaced while a reader may be
 * between loading the pointer and taking its reference is retired, and
 * dropped at a later publication that sees no reader in flight.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

#define FOLD_MIN	4096u		/* log entries before a fold within a window */
#define RENORM_LOG2	64
#define RENORM_MAX	1024	/* 2^-1024 takes any float to 0 */

int engine_grow(void **a, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap += ncap / 4 + 16;
	np = realloc(*a, ncap * elem);
	if (!np)
		return -ENOMEM;
	*a = np;
	*cap = ncap;
	return 0;
}

/* Gives memory back when an array holds twice what it needs. */
static void shrink(void **a, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = n + n / 4 + 16;
	void *np;

	if (*cap < 1024 || *cap < 2 * n)
		return;
	np = realloc(*a, ncap * elem);
	if (np) {
		*a = np;
		*cap = ncap;
	}
}

/* Shrinks an array to n elements and a sixteenth. */
static void fit(void **a, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = n + n / 16 + 16;
	void *np;

	if (*cap <= ncap)
		return;
	np = realloc(*a, ncap * elem);
	if (np) {
		*a = np;
		*cap = ncap;
	}
}

static void *scratch(struct engine *e, size_t bytes)
{
	if (bytes > e->scratch_cap) {
		void *np = realloc(e->scratch, bytes);

		if (!np)
			return NULL;
		e->scratch = np;
		e->scratch_cap = bytes;
	}
	return e->scratch;
}

/* ---- construction ---- */

struct engine *engine__new(const char *map_name, unsigned dims, const struct hotspot_params *p)
{
	struct engine *e;

	if (!map_name || (dims != 1 && dims != 2) || hotspot_params_check(p, NULL)) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		goto err;
	e->name = strdup(map_name);
	if (!e->name)
		goto err_free;
	e->dims = dims;
	e->p = *p;
	e->g = 1;
	e->g_close = 1;
	e->inv_decay = 1;
	/* no decay given: hotness halves every window, in the window's unit */
	if (p->decay > 0)
		e->inv_decay = 1 / p->decay;
	else if (p->halflife_events > 0)
		e->inv_decay = exp2(1 / p->halflife_events);
	else if (p->halflife_ns > 0)
		e->halflife_ns = p->halflife_ns;
	else if (p->window_events)
		e->inv_decay = exp2(1 / (double)p->window_events);
	else
		e->halflife_ns = (double)p->window_ns;
	e->next_id = 1;
	e->win_no = 1;
	atomic_init(&e->current, NULL);
	atomic_init(&e->readers, 0);
	return e;

err_free:
	free(e);
err:
	errno = ENOMEM;
	return NULL;
}

static void snapshot_free(struct engine_snapshot *s)
{
	free(s->clusters);
	free(s->events_v);
	free(s);
}

void engine__free(struct engine *e)
{
	size_t i;

	if (!e)
		return;
	engine_snapshot__put(atomic_load(&e->current));
	for (i = 0; i < e->nretired; i++)
		engine_snapshot__put(e->retired[i]);
	free(e->retired);
	for (i = 0; i < e->nhistory; i++)
		free(e->history[i].steps);
	free(e->history);
	free(e->tracks);
	free(e->prev);
	free(e->faded.v);
	free(e->left.v);
	for (i = 0; i < 3; i++)
		free(e->past[i]);
	free(e->run);
	free(e->log);
	free(e->cur);
	free(e->scratch);
	free(e->name);
	free(e);
}

void engine__set_window_cb(struct engine *e, engine_window_fn fn, void *ctx)
{
	e->cb = fn;
	e->cb_ctx = ctx;
}

void engine__set_extent(struct engine *e, uint64_t rows, uint64_t cols)
{
	e->ext_rows = e->dims == 2 ? rows : 1;
	e->ext_cols = cols;
	if (!rows || !cols)
		e->ext_rows = e->ext_cols = 0;
}

void engine__set_origin(struct engine *e, uint64_t mono_ns, uint64_t wall_ns)
{
	e->origin = mono_ns;
	e->origin_wall = mono_ns ? wall_ns : 0;
	e->have_origin = mono_ns != 0;
	if (!e->have_origin && e->have_ts)
		e->origin = e->t0;
}

const char *engine__name(const struct engine *e)
{
	return e->name;
}

unsigned engine__dims(const struct engine *e)
{
	return e->dims;
}

const struct hotspot_params *engine__params(const struct engine *e)
{
	return &e->p;
}

uint64_t engine__origin_wall(const struct engine *e)
{
	return e->origin_wall;
}

void engine__stats(const struct engine *e, struct engine_stats *st)
{
	size_t i, steps = 0;

	for (i = 0; i < e->nhistory; i++)
		steps += e->history[i].steps_cap * sizeof(struct engine_step);
	memset(st, 0, sizeof(*st));
	st->windows = e->windows;
	st->events = e->events;
	st->lost = e->lost;
	st->dropped = e->dropped;
	st->active = e->nrun;
	st->clusters = e->next_id - 1;
	st->memory = sizeof(*e) + strlen(e->name) + 1 +
		     e->run_cap * sizeof(*e->run) +
		     e->log_cap * sizeof(*e->log) +
		     e->cur_cap * sizeof(*e->cur) +
		     e->scratch_cap +
		     e->ntracks * sizeof(*e->tracks) +
		     e->prev_cap * sizeof(*e->prev) +
		     (e->faded.cap + e->left.cap) * sizeof(struct seg_box) +
		     (e->npast[0] + e->npast[1] + e->npast[2]) * sizeof(struct hcount) +
		     e->history_cap * sizeof(*e->history) + steps;
}

double engine__hotness(const struct engine *e, int64_t row, int64_t col)
{
	uint32_t key;
	size_t lo = 0, hi = e->nrun, i;
	double v = 0;

	if (e->dims == 1) {
		if (col < 0 || col > (int64_t)UINT32_MAX)
			return 0;
		key = (uint32_t)col;
	} else {
		if (row < 0 || row > 0xffff || col < 0 || col > 0xffff)
			return 0;
		key = (uint32_t)row << 16 | (uint32_t)col;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->run[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < e->nrun && e->run[lo].key == key)
		v = e->run[lo].v;
	for (i = 0; i < e->nlog; i++)
		if (e->log[i].key == key)
			v += e->log[i].w;
	return v / e->g;
}

size_t engine__history_count(const struct engine *e)
{
	return e->nhistory;
}

const struct engine_history *engine__history(const struct engine *e, size_t i)
{
	return i < e->nhistory ? &e->history[i].h : NULL;
}

/* ---- folding the log into the run ---- */

/* Sorts the log by key, stably; tmp holds n entries. */
static void sort_log(struct hlog *a, size_t n, struct hlog *tmp)
{
	struct hlog *src = a, *dst = tmp, *t;
	size_t cnt[4][256], i;
	unsigned pass;

	if (n < 64) {
		for (i = 1; i < n; i++) {
			struct hlog x = a[i];
			size_t j = i;

			while (j > 0 && a[j - 1].key > x.key) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = x;
		}
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		uint32_t k = a[i].key;

		cnt[0][k & 255]++;
		cnt[1][(k >> 8) & 255]++;
		cnt[2][(k >> 16) & 255]++;
		cnt[3][k >> 24]++;
	}
	for (pass = 0; pass < 4; pass++) {
		unsigned sh = 8 * pass;
		size_t *c = cnt[pass], sum = 0;

		if (c[(a[0].key >> sh) & 255] == n)
			continue;	/* every key has the same digit */
		for (i = 0; i < 256; i++) {
			size_t x = c[i];

			c[i] = sum;
			sum += x;
		}
		for (i = 0; i < n; i++)
			dst[c[(src[i].key >> sh) & 255]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* Divides every stored weight by 2^k (exact for floats far from underflow). */
static void renorm(struct engine *e, int k)
{
	size_t i;

	for (i = 0; i < e->nrun; i++)
		e->run[i].v = ldexpf(e->run[i].v, -k);
	for (i = 0; i < e->nlog; i++)
		e->log[i].w = ldexpf(e->log[i].w, -k);
	e->total = ldexp(e->total, -k);
	e->total2 = ldexp(e->total2, -2 * k);
	e->total_close = ldexp(e->total_close, -k);
	e->g = ldexp(e->g, -k);
	e->g_close = ldexp(e->g_close, -k);
	if (e->halflife_ns > 0)
		e->log2g_base += k;
}

/*
 * Merges the sorted (cur, ncur) and (add, nadd) per key into a new cur; the
 * same key and site add up. Keys come sorted; within a key, sites in the
 * order first seen. 0 or -ENOMEM.
 */
static int cur_merge(struct engine *e, const struct hcur *add, size_t nadd)
{
	struct hcur *out, *a = e->cur;
	size_t i = 0, j = 0, n = 0, na = e->ncur, cap = na + nadd + 1;

	if (!na) {
		if (engine_grow((void **)&e->cur, &e->cur_cap, nadd + 1, sizeof(*e->cur)))
			return -ENOMEM;
		memcpy(e->cur, add, nadd * sizeof(*add));
		e->ncur = nadd;
		return 0;
	}
	out = malloc(cap * sizeof(*out));
	if (!out)
		return -ENOMEM;
	while (i < na || j < nadd) {
		uint32_t k = j == nadd || (i < na && a[i].key <= add[j].key) ? a[i].key : add[j].key;
		size_t first = n;

		for (; i < na && a[i].key == k; i++)
			out[n++] = a[i];
		for (; j < nadd && add[j].key == k; j++) {
			size_t q;

			for (q = first; q < n; q++)
				if (out[q].site == add[j].site && out[q].n + add[j].n <= 0xffff)
					break;
			if (q < n)
				out[q].n += add[j].n;
			else
				out[n++] = add[j];
		}
	}
	free(e->cur);
	e->cur = out;
	e->cur_cap = cap;
	e->ncur = n;
	return 0;
}

/*
 * The log into the run: sorted, summed per key, merged in place (the run
 * moved to the end of its buffer first, so the merge writes behind what it
 * reads), evicting on the way; and into the window's accesses per key and
 * site.
 */
static int fold(struct engine *e)
{
	size_t n = e->nlog, i, j, na = 0, nc = 0, o, end;
	float floor_st;
	struct hslot *agg, *run;
	struct hcur *add;
	struct hlog *lg = e->log;
	unsigned char *sc;

	if (e->g > 0x1p64)
		renorm(e, ilogb(e->g));
	/*
	 * Forgotten under evict_below of the total (it can no longer move a
	 * share), but never while it holds 1/64 of one fresh access (six
	 * halflives): windows of any size keep what a sparse range needs.
	 */
	floor_st = (float)fmin(e->p.evict_below * e->total, e->g / 64);
	if (n) {
		sc = scratch(e, n * (sizeof(struct hslot) + sizeof(struct hcur)) +
				n * sizeof(struct hlog));
		if (!sc)
			return -ENOMEM;
		sort_log(lg, n, (struct hlog *)sc);
		agg = (struct hslot *)sc;
		add = (struct hcur *)(sc + n * sizeof(struct hslot));
		for (i = 0; i < n; i = j) {
			uint32_t k = lg[i].key;
			double w = 0;
			size_t first = nc;

			for (j = i; j < n && lg[j].key == k; j++) {
				uint16_t site = lg[j].site > 0xffff ? 0xffff : (uint16_t)lg[j].site;
				size_t q;

				w += lg[j].w;
				for (q = first; q < nc; q++)
					if (add[q].site == site && add[q].n < 0xffff)
						break;
				if (q < nc) {
					add[q].n++;
				} else {
					add[nc].key = k;
					add[nc].site = site;
					add[nc].n = 1;
					nc++;
				}
			}
			agg[na].key = k;
			agg[na].v = (float)w;
			na++;
		}
		if (cur_merge(e, add, nc))
			return -ENOMEM;
	}
	if (engine_grow((void **)&e->run, &e->run_cap, e->nrun + na + 1, sizeof(*e->run)))
		return -ENOMEM;
	agg = n ? (struct hslot *)e->scratch : NULL;
	run = e->run;
	memmove(run + na, run, e->nrun * sizeof(*run));
	i = na;
	end = na + e->nrun;
	j = 0;
	o = 0;
	while (i < end && j < na) {
		struct hslot x;

		if (run[i].key < agg[j].key) {
			x = run[i++];
		} else if (run[i].key > agg[j].key) {
			x = agg[j++];
		} else {
			x = run[i++];
			x.v += agg[j++].v;
		}
		run[o] = x;
		o += x.v >= floor_st;
	}
	for (; i < end; i++) {
		run[o] = run[i];
		o += run[i].v >= floor_st;
	}
	for (; j < na; j++) {
		run[o] = agg[j];
		o += agg[j].v >= floor_st;
	}
	e->nrun = o;
	e->nlog = 0;
	return 0;
}

/* ---- windows ---- */

static void publish(struct engine *e, struct engine_snapshot *s)
{
	struct engine_snapshot *old;
	size_t i;

	old = atomic_exchange(&e->current, s);
	if (old) {
		if (engine_grow((void **)&e->retired, &e->retired_cap, e->nretired + 1,
				sizeof(*e->retired)) == 0)
			e->retired[e->nretired++] = old;
		else
			engine_snapshot__put(old);	/* no reader in flight can hold it long */
	}
	if (atomic_load(&e->readers) == 0) {
		for (i = 0; i < e->nretired; i++)
			engine_snapshot__put(e->retired[i]);
		e->nretired = 0;
	}
}

/* The first of this window's counts at or after key k. */
static size_t cur_lower(const struct engine *e, uint32_t k)
{
	size_t lo = 0, hi = e->ncur;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->cur[mid].key < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Marks the counts whose keys are inside [lo, hi) (1-D) or one row of a box. */
static void mark_keys(const struct engine *e, unsigned char *in, uint64_t lo, uint64_t hi)
{
	size_t i;

	if (lo >= hi || lo > UINT32_MAX)
		return;
	for (i = cur_lower(e, (uint32_t)lo); i < e->ncur && e->cur[i].key < hi; i++)
		in[i] = 1;
}

/*
 * This window's accesses per key become the latest past window, the
 * oldest goes. Only keys inside the pieces judged this window are kept:
 * the tests that read the past (returns, falls) look nowhere else, and
 * the background's stray hits would cost memory for nothing.
 */
static int keep_past(struct engine *e, const struct seg_boxes *judged)
{
	struct hcount *h = malloc((e->ncur + 1) * sizeof(*h));
	unsigned char *in = calloc(e->ncur + 1, 1);
	size_t i, n = 0;

	if (!h || !in) {
		free(h);
		free(in);
		return -ENOMEM;
	}
	/* the boxes' keys, found by bisection: O(counts + boxes' rows x log) */
	for (i = 0; i < judged->n; i++) {
		const struct seg_box *bx = &judged->v[i];
		int64_t r;

		if (e->dims == 1) {
			mark_keys(e, in, (uint64_t)(bx->lo[0] > 0 ? bx->lo[0] : 0),
				  (uint64_t)(bx->hi[0] > 0 ? bx->hi[0] : 0));
			continue;
		}
		for (r = bx->lo[0] > 0 ? bx->lo[0] : 0; r < bx->hi[0] && r <= 0xffff; r++)
			mark_keys(e, in, (uint64_t)r << 16 | (uint64_t)(bx->lo[1] > 0 ? bx->lo[1] : 0),
				  (uint64_t)r << 16 | (uint64_t)(bx->hi[1] > 0xffff ? 0x10000 :
								  bx->hi[1] > 0 ? bx->hi[1] : 0));
	}
	for (i = 0; i < e->ncur; i++) {
		if (!in[i])
			continue;
		if (n && h[n - 1].key == e->cur[i].key) {
			h[n - 1].n += e->cur[i].n;
			continue;
		}
		h[n].key = e->cur[i].key;
		h[n++].n = e->cur[i].n;
	}
	free(in);
	/* usually far fewer than this window's keys */
	if (n < e->ncur) {
		struct hcount *t = realloc(h, (n + 1) * sizeof(*h));

		if (t)
			h = t;
	}
	free(e->past[2]);
	e->past[2] = e->past[1];
	e->npast[2] = e->npast[1];
	e->past[1] = e->past[0];
	e->npast[1] = e->npast[0];
	e->past[0] = h;
	e->npast[0] = n;
	return 0;
}

static uint64_t since_origin(const struct engine *e, uint64_t ts)
{
	return ts > e->origin ? ts - e->origin : 0;
}

static int close_window(struct engine *e)
{
	struct seg_input in = { 0 };
	struct seg_output out = { 0 };
	struct cluster_event *ev = NULL;
	struct engine_snapshot *s;
	size_t nev = 0, i, len;
	uint64_t start_ns, end_ns;
	int err;

	err = fold(e);
	if (err)
		goto out;
	if (e->p.window_ns) {
		start_ns = since_origin(e, e->win_start);
		end_ns = since_origin(e, e->win_end);
	} else if (e->win_any_ts) {
		start_ns = since_origin(e, e->win_first_ts);
		end_ns = since_origin(e, e->win_last_ts);
	} else {
		/* only lost events: the moment of the last access */
		start_ns = end_ns = since_origin(e, e->last_ts);
	}
	in.dims = e->dims;
	in.run = e->run;
	in.n = e->nrun;
	in.cur = e->cur;
	in.ncur = e->ncur;
	in.cur_events = e->cur_events;
	in.inv_g = 1 / e->g;
	in.total = e->total / e->g;
	in.total2 = e->total2 / (e->g * e->g);
	in.win_mass = (e->total - e->total_close) / e->g;
	in.ext_rows = e->ext_rows;
	in.ext_cols = e->ext_cols;
	in.p = &e->p;
	in.prev = e->prev;
	in.nprev = e->nprev;
	in.faded = &e->faded;
	in.left = &e->left;
	in.retless_run = e->retless_run;
	for (i = 0; i < 3; i++) {
		in.past[i] = e->past[i];
		in.npast[i] = e->npast[i];
	}
	err = engine_segment(&in, &out);
	if (err)
		goto out;
	free(e->faded.v);
	free(e->left.v);
	e->faded = out.fading;
	e->left = out.left;
	e->retless_run = out.any_retless ? e->retless_run + 1 : 0;
	memset(&out.fading, 0, sizeof(out.fading));
	memset(&out.left, 0, sizeof(out.left));
	err = keep_past(e, &out.judged);
	if (err)
		goto out;
	e->site_decay = e->g_close / e->g;
	e->g_close = e->g;
	e->total_close = e->total;
	err = engine_track_window(e, out.cl, out.ncl, end_ns, &ev, &nev);
	if (err)
		goto out;

	len = strlen(e->name) + 1;
	s = calloc(1, sizeof(*s) + len);
	if (!s)
		goto nomem;
	s->clusters = calloc(out.ncl + 1, sizeof(*s->clusters));
	if (!s->clusters) {
		free(s);
		goto nomem;
	}
	for (i = 0; i < out.ncl; i++)
		if (!out.cl[i].dropped)
			s->clusters[s->nclusters++] = out.cl[i].c;
	atomic_init(&s->refs, 1);
	memcpy(s->map, e->name, len);
	s->dims = e->dims;
	s->window = e->win_no;
	s->events = e->win_events;
	s->lost = e->win_lost;
	s->dropped = e->win_dropped;
	s->active = e->nrun;
	s->start_ns = start_ns;
	s->end_ns = end_ns;
	s->origin_wall = e->origin_wall;
	s->uniform = out.uniform;
	s->background = out.background;
	s->events_v = ev;
	s->nevents = nev;
	s->scat = out.scat;
	ev = NULL;

	/* this window's clusters, for the next window's hysteresis */
	if (engine_grow((void **)&e->prev, &e->prev_cap, s->nclusters + 1, sizeof(*e->prev)) == 0) {
		memcpy(e->prev, s->clusters, s->nclusters * sizeof(*e->prev));
		e->nprev = s->nclusters;
	}
	e->windows++;
	if (e->cb)
		e->cb(e->cb_ctx, s);
	publish(e, s);

	/*
	 * Between windows the engine holds the run and little else: the run
	 * shrinks to its size (in place; the next fold grows it again), and
	 * the window's counts and the folds' sorting space go until the next
	 * window needs them.
	 */
	fit((void **)&e->run, &e->run_cap, e->nrun, sizeof(*e->run));
	shrink((void **)&e->log, &e->log_cap, e->nlog, sizeof(*e->log));
	free(e->cur);
	e->cur = NULL;
	e->cur_cap = 0;
	free(e->scratch);
	e->scratch = NULL;
	e->scratch_cap = 0;
	goto out;
nomem:
	err = -ENOMEM;
out:
	free(out.cl);
	free(out.fading.v);
	free(out.left.v);
	free(out.judged.v);
	free(ev);
	e->win_no++;
	e->win_events = 0;
	e->win_lost = 0;
	e->win_dropped = 0;
	e->win_any_ts = false;
	e->ncur = 0;
	e->cur_events = 0;
	return err;
}

/* Time windows: the window holding ts starts at a multiple of the width. */
static int time_advance(struct engine *e, uint64_t ts)
{
	uint64_t wn = e->p.window_ns;
	int err = 0;

	if (ts < e->win_end)
		return 0;
	if (e->win_events || e->win_lost)
		err = engine__flush(e);
	e->win_start = e->win_end + (ts - e->win_end) / wn * wn;
	e->win_end = e->win_start + wn;
	return err;
}

static int add_event(struct engine *e, uint64_t ts, uint32_t key, uint32_t site)
{
	if (e->halflife_ns > 0) {
		if (ts != e->last_ts) {
			double x = (double)(ts - e->t0) / e->halflife_ns - e->log2g_base;

			if (x > RENORM_LOG2) {
				/*
				 * Everything stored shrinks by 2^k; the fold evicts
				 * what underflows. A gap of more than RENORM_MAX
				 * half-lives (a crafted trace: 2^64 ns is 2^54 of
				 * 1 us) leaves nothing of the past in a float: divide
				 * by 2^RENORM_MAX, so that k stays an int.
				 */
				double whole = floor(x);
				int k = whole < RENORM_MAX ? (int)whole : RENORM_MAX;

				renorm(e, k);
				e->log2g_base += whole - k;
				x -= whole;
			}
			e->g = exp2(x);
		}
	} else if (e->inv_decay != 1) {
		e->g *= e->inv_decay;
		if (e->g > 0x1p100)
			renorm(e, ilogb(e->g));
	}
	e->last_ts = ts;
	if (e->nlog == e->log_cap) {
		size_t limit = e->nrun / 8 > FOLD_MIN ? e->nrun / 8 : FOLD_MIN;

		if (e->nlog >= limit) {
			int err = fold(e);

			if (err)
				return err;
		} else if (engine_grow((void **)&e->log, &e->log_cap, e->nlog + 1,
				       sizeof(*e->log))) {
			return -ENOMEM;
		}
	}
	e->log[e->nlog].key = key;
	e->log[e->nlog].w = (float)e->g;
	e->log[e->nlog].site = site;
	e->nlog++;
	e->total += e->g;
	e->total2 += e->g * e->g;
	e->cur_events++;
	return 0;
}

int engine__push(struct engine *e, const struct heat_event *ev, size_t n)
{
	size_t k;
	int err;

	for (k = 0; k < n; k++) {
		uint64_t ts = ev[k].ts_ns;
		bool ok;
		uint32_t key;

		if (!e->have_ts) {
			e->have_ts = true;
			e->t0 = ts;
			e->last_ts = ts;
			e->win_start = ts;
			e->win_end = ts + e->p.window_ns;
			if (!e->have_origin)
				e->origin = ts;
		}
		if (ts < e->last_ts)
			ts = e->last_ts;	/* CPUs interleave in the ringbuf */
		if (e->p.window_ns) {
			err = time_advance(e, ts);
			if (err)
				return err;
		}
		if (e->dims == 1) {
			ok = ev[k].col >= 0 && ev[k].col <= (int64_t)UINT32_MAX;
			key = (uint32_t)ev[k].col;
		} else {
			ok = ev[k].row >= 0 && ev[k].row <= 0xffff &&
			     ev[k].col >= 0 && ev[k].col <= 0xffff;
			key = (uint32_t)ev[k].row << 16 | (uint32_t)ev[k].col;
		}
		e->events++;
		e->win_events++;
		if (!e->win_any_ts) {
			e->win_any_ts = true;
			e->win_first_ts = ts;
		}
		e->win_last_ts = ts;
		if (ok) {
			err = add_event(e, ts, key, ev[k].site);
			if (err)
				return err;
		} else {
			e->dropped++;
			e->win_dropped++;
		}
		if (e->p.window_events && e->win_events >= e->p.window_events) {
			err = close_window(e);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Counts saturate rather than wrap: a trace may say UINT64_MAX twice. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

int engine__add_lost(struct engine *e, uint64_t n)
{
	e->lost = add_sat(e->lost, n);
	e->win_lost = add_sat(e->win_lost, n);
	return 0;
}

int engine__tick(struct engine *e, uint64_t now_ns)
{
	if (!e->p.window_ns || !e->have_ts)
		return 0;
	return time_advance(e, now_ns);
}

int engine__flush(struct engine *e)
{
	if (!e->win_events && !e->win_lost)
		return 0;
	return close_window(e);
}

/* ---- snapshots ---- */

const struct engine_snapshot *engine__snapshot_get(struct engine *e)
{
	struct engine_snapshot *s;

	atomic_fetch_add(&e->readers, 1);
	s = atomic_load(&e->current);
	if (s)
		atomic_fetch_add(&s->refs, 1);
	atomic_fetch_sub(&e->readers, 1);
	return s;
}

const struct engine_snapshot *engine_snapshot__get_ref(const struct engine_snapshot *s)
{
	if (s)
		atomic_fetch_add(&((struct engine_snapshot *)s)->refs, 1);
	return s;
}

void engine_snapshot__put(const struct engine_snapshot *cs)
{
	struct engine_snapshot *s = (struct engine_snapshot *)cs;

	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		snapshot_free(s);
}

const char *engine_snapshot__map(const struct engine_snapshot *s) { return s->map; }
unsigned engine_snapshot__dims(const struct engine_snapshot *s) { return s->dims; }
uint64_t engine_snapshot__window(const struct engine_snapshot *s) { return s->window; }
uint64_t engine_snapshot__events(const struct engine_snapshot *s) { return s->events; }
uint64_t engine_snapshot__lost(const struct engine_snapshot *s) { return s->lost; }
uint64_t engine_snapshot__dropped(const struct engine_snapshot *s) { return s->dropped; }
uint64_t engine_snapshot__active(const struct engine_snapshot *s) { return s->active; }
uint64_t engine_snapshot__start_ns(const struct engine_snapshot *s) { return s->start_ns; }
uint64_t engine_snapshot__end_ns(const struct engine_snapshot *s) { return s->end_ns; }
uint64_t engine_snapshot__origin_wall(const struct engine_snapshot *s) { return s->origin_wall; }
double engine_snapshot__uniform(const struct engine_snapshot *s) { return s->uniform; }
double engine_snapshot__background(const struct engine_snapshot *s) { return s->background; }
size_t engine_snapshot__cluster_count(const struct engine_snapshot *s) { return s->nclusters; }
size_t engine_snapshot__event_count(const struct engine_snapshot *s) { return s->nevents; }

const struct engine_scattered *engine_snapshot__scattered(const struct engine_snapshot *s)
{
	return &s->scat;
}

const struct engine_cluster *engine_snapshot__cluster(const struct engine_snapshot *s, size_t i)
{
	return i < s->nclusters ? &s->clusters[i] : NULL;
}

const struct cluster_event *engine_snapshot__event(const struct engine_snapshot *s, size_t i)
{
	return i < s->nevents ? &s->events_v[i] : NULL;
}

const char *cluster_state_name(enum cluster_state st)
{
	switch (st) {
	case CLUSTER_NEW: return "new";
	case CLUSTER_STABLE: return "stable";
	case CLUSTER_DRIFTING: return "drifting";
	case CLUSTER_SPLIT: return "split";
	case CLUSTER_MERGED: return "merged";
	case CLUSTER_MOVED: return "moved";
	}
	return "?";
}

const char *cluster_event_name(enum cluster_event_kind k)
{
	switch (k) {
	case CEV_APPEAR: return "appear";
	case CEV_VANISH: return "vanish";
	case CEV_SPLIT: return "split";
	case CEV_MERGE: return "merge";
	case CEV_DRIFT: return "drift";
	case CEV_SETTLE: return "settle";
	case CEV_MOVE: return "move";
	}
	return "?";
}

const char *drift_reason_name(enum drift_reason r)
{
	switch (r) {
	case DRIFT_NONE: return "none";
	case DRIFT_SHIFT: return "shift";
	case DRIFT_JUMP: return "jump";
	case DRIFT_SPREAD: return "spread";
	}
	return "?";
}

const char *cluster_end_name(enum cluster_end end)
{
	switch (end) {
	case CLUSTER_ALIVE: return "alive";
	case CLUSTER_VANISHED: return "vanished";
	case CLUSTER_MERGED_AWAY: return "merged";
	}
	return "?";
}
