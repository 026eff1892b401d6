// SPDX-License-Identifier: MIT
/*
 * The engine's core: hotness, windows, the hot threshold and publication.
 *
 * Hotness decays exponentially, but no event ever touches more than its own
 * index: every index stores its hotness multiplied by a global boost g that
 * grows as time passes (g = 2^(t / halflife), or 1/decay per event), so
 * adding an access is `v += g` and the actual hotness is v / g. When g grows
 * past 2^64 every stored value is divided by the same power of two, which is
 * exact. Indices live in an open-addressing table of 8-byte slots (a 32-bit
 * compact key and a float); a cursor that advances two slots per event
 * forgets indices whose hotness fell below `evict_below`, so memory follows
 * the indices touched recently, never the array's length.
 *
 * The threshold needs the order of all hotness values without sorting them
 * each window. Positive floats order like their bit patterns, so a histogram
 * of the top bits (16 buckets an octave), kept up to date by each event,
 * finds the bucket holding the quantile or the k-th value; the exact value
 * comes from the candidates, every index whose hotness is above a watermark
 * t_cand just under that bucket. They are kept sorted with their values
 * from one window close to the next; an event on an index above the
 * watermark appends its key and new value, and a window close sorts those
 * few and merges them in, with no lookup in the table. A window therefore
 * costs time in the candidates, the touched indices and the hot set, not
 * in the active indices; only when the threshold falls below the watermark
 * is the whole table scanned again.
 *
 * A closed window's hot set (with the hysteresis of the band) goes to
 * clustering (cluster.c), the clusters to the tracker
 * (track.c), and the result into an immutable snapshot swapped in
 * with one atomic exchange. A snapshot replaced while a reader may be
 * between loading the pointer and taking its reference is retired, and
 * dropped at a later publication that sees no reader in flight.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

#define TABLE_MIN	64u
#define RENORM_LOG2	64
#define RENORM_MAX	1024	/* 2^-1024 takes any float to 0 */
#define EVICT_STEPS	2

int ebuf_reserve(struct ebuf *b, size_t bytes)
{
	void *np;
	size_t cap;

	if (bytes <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < bytes)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np)
		return -ENOMEM;
	b->p = np;
	b->cap = cap;
	return 0;
}

static int grow_array(void **a, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap += ncap / 2 + 1;
	np = realloc(*a, ncap * elem);
	if (!np)
		return -ENOMEM;
	*a = np;
	*cap = ncap;
	return 0;
}

/* Gives memory back when an array holds four times what it needs. */
static void shrink_array(void **a, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = 2 * n + 16;
	void *np;

	if (*cap < 1024 || *cap < 4 * n)
		return;
	np = realloc(*a, ncap * elem);
	if (np) {
		*a = np;
		*cap = ncap;
	}
}

/* ---- the hotness table ---- */

static inline uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static inline float bits_f(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static inline unsigned bucket(float v)
{
	return fbits(v) >> ENGINE_HIST_SHIFT;
}

static inline float bucket_lo(unsigned b)
{
	return bits_f((uint32_t)b << ENGINE_HIST_SHIFT);
}

static inline uint32_t slot_home(uint32_t key, uint32_t cap)
{
	uint32_t h = key * 0x9E3779B1u;

	return (uint32_t)(((uint64_t)h * cap) >> 32);
}

static struct hslot *table_find(const struct engine *e, uint32_t key)
{
	uint32_t i = slot_home(key, e->cap);

	for (;;) {
		struct hslot *s = &e->slot[i];

		if (s->v == 0)
			return NULL;
		if (s->key == key)
			return s;
		if (++i == e->cap)
			i = 0;
	}
}

static inline void hist_add(struct engine *e, float v)
{
	unsigned b = bucket(v);

	e->hist[b]++;
	if (b > e->hmax)
		e->hmax = b;
}

/*
 * Rehashes into newcap slots, dividing every value by 2^k (k > 0 when g is
 * renormalised) and forgetting the indices below the floor.
 */
static int table_rebuild(struct engine *e, uint32_t newcap, int k)
{
	float floor_st = (float)(e->p.evict_below * e->g);
	struct hslot *ns, *old = e->slot;
	uint32_t i, oldcap = e->cap;

	if (newcap < TABLE_MIN)
		newcap = TABLE_MIN;
	ns = calloc(newcap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	memset(e->hist, 0, ENGINE_HIST_SIZE * sizeof(*e->hist));
	e->hmax = 0;
	e->total = 0;
	e->live = 0;
	for (i = 0; i < oldcap; i++) {
		float v = old[i].v;
		uint32_t j;

		if (v == 0)
			continue;
		if (k)
			v = ldexpf(v, -k);
		if (!(v >= floor_st) || v == 0) {
			e->cand_stale |= old[i].v >= e->t_rec;
			continue;
		}
		j = slot_home(old[i].key, newcap);
		while (ns[j].v != 0)
			if (++j == newcap)
				j = 0;
		ns[j].key = old[i].key;
		ns[j].v = v;
		hist_add(e, v);
		e->total += v;
		e->live++;
	}
	free(old);
	e->slot = ns;
	e->cap = newcap;
	e->cursor = 0;
	if (k && isfinite(e->t_rec))
		e->t_rec = ldexpf(e->t_rec, -k);
	if (k && isfinite(e->t_cand)) {
		e->t_cand = ldexpf(e->t_cand, -k);
		for (i = 0; i < e->ncpts; i++)
			e->cpts[i].v = ldexpf(e->cpts[i].v, -k);
		for (i = 0; i < e->ncand; i++)
			e->cand[i].v = ldexpf(e->cand[i].v, -k);
	}
	return 0;
}

/*
 * The table is 80% full: rehash what is above the floor into a table 60%
 * full (the eviction cursor lags, so a good part may go). Sizing from the
 * survivors keeps memory near 8 / 0.6..0.8 bytes an active index.
 */
static int table_grow(struct engine *e)
{
	float floor_st = (float)(e->p.evict_below * e->g);
	uint64_t keep = 1, i;

	for (i = 0; i < e->cap; i++)
		keep += (e->slot[i].v != 0) & (e->slot[i].v >= floor_st);
	if (keep * 10 / 6 > UINT32_MAX / 2)
		return -ENOMEM;
	return table_rebuild(e, (uint32_t)(keep * 10 / 6), 0);
}

/* Deletes slot i, shifting back the entries of its probe run. */
static void table_delete(struct engine *e, uint32_t i)
{
	struct hslot *s = e->slot;
	uint32_t cap = e->cap, j = i;

	e->hist[bucket(s[i].v)]--;
	e->total -= s[i].v;
	e->live--;
	/* maybe one of the last window's hot indices: its next value goes unrecorded */
	e->cand_stale |= s[i].v >= e->t_rec;
	for (;;) {
		uint32_t h;

		if (++j == cap)
			j = 0;
		if (s[j].v == 0)
			break;
		h = slot_home(s[j].key, cap);
		/* leave s[j] where it is when its home lies cyclically in (i, j] */
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		s[i] = s[j];
		i = j;
	}
	s[i].v = 0;
	s[i].key = 0;
}

/* g grew too large: divide everything stored by the same power of two. */
static int renormalise(struct engine *e, int k)
{
	return table_rebuild(e, e->cap, k);
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
	e->hist = calloc(ENGINE_HIST_SIZE, sizeof(*e->hist));
	e->cap = TABLE_MIN;
	e->slot = calloc(e->cap, sizeof(*e->slot));
	if (!e->name || !e->hist || !e->slot)
		goto err_free;
	e->dims = dims;
	e->p = *p;
	e->g = 1;
	e->inv_decay = p->decay > 0 ? 1 / p->decay : 1;
	e->t_cand = INFINITY;
	e->t_rec = INFINITY;
	e->next_id = 1;
	e->win_no = 1;
	atomic_init(&e->current, NULL);
	atomic_init(&e->readers, 0);
	return e;

err_free:
	free(e->slot);
	free(e->hist);
	free(e->name);
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
	free(e->history);
	free(e->tracks);
	free(e->prev_hot);
	free(e->cand);
	free(e->cpts);
	free(e->slot);
	free(e->hist);
	free(e->name);
	free(e);
}

void engine__set_window_cb(struct engine *e, engine_window_fn fn, void *ctx)
{
	e->cb = fn;
	e->cb_ctx = ctx;
}

const char *engine__name(const struct engine *e)
{
	return e->name;
}

unsigned engine__dims(const struct engine *e)
{
	return e->dims;
}

void engine__stats(const struct engine *e, struct engine_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->windows = e->windows;
	st->events = e->events;
	st->lost = e->lost;
	st->dropped = e->dropped;
	st->active = e->live;
	st->clusters = e->next_id - 1;
	st->memory = sizeof(*e) + strlen(e->name) + 1 +
		     (uint64_t)e->cap * sizeof(*e->slot) +
		     ENGINE_HIST_SIZE * sizeof(*e->hist) +
		     e->cand_cap * sizeof(*e->cand) +
		     e->cpts_cap * sizeof(*e->cpts) +
		     e->prev_hot_cap * sizeof(*e->prev_hot) +
		     e->ntracks * sizeof(*e->tracks) +
		     e->history_cap * sizeof(*e->history);
}

/* ---- sorting and selection, deterministic ---- */

/* Sorts points by key, stably (equal keys keep their order); tmp holds n points. */
static void sort_points(struct hot_point *a, size_t n, struct hot_point *tmp)
{
	struct hot_point *src = a, *dst = tmp, *t;
	size_t cnt[4][256], i;
	unsigned pass;

	if (n < 64) {
		for (i = 1; i < n; i++) {
			struct hot_point x = a[i];
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

/* The r-th largest (1-based) of a[0..n). Reorders a. */
static float select_desc(float *a, size_t n, size_t r)
{
	size_t lo = 0, hi = n - 1, want = r - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		float x = a[lo], y = a[mid], z = a[hi], piv;

		/* median of three */
		piv = x > y ? (y > z ? y : (x > z ? z : x)) : (x > z ? x : (y > z ? z : y));
		while (i <= j) {
			while (a[i] > piv)
				i++;
			while (a[j] < piv)
				j--;
			if (i <= j) {
				float t = a[i];

				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break;
	}
	return a[want];
}

/* ---- candidates and the threshold ---- */

/*
 * Sorts the touched candidates by key in place, keeping each key's last
 * value (its value now: stored values change only by events, and the
 * renormalisation that scales them scales these too); tmp holds n points.
 */
static size_t cand_dedup(struct engine *e, struct hot_point *tmp)
{
	struct hot_point *c = e->cand;
	uint32_t last = 0;
	size_t i, n = 0;

	sort_points(c, e->ncand, tmp);
	for (i = 0; i < e->ncand; i++) {
		/* the last key in a register: a load of c[n - 1] would wait on its store */
		n -= n && last == c[i].key;
		last = c[i].key;
		c[n++] = c[i];
	}
	e->ncand = n;
	return n;
}

static int cand_push(struct engine *e, uint32_t key, float v)
{
	if (e->ncand == e->cand_cap) {
		/* a long window: fold the repeats before growing */
		if (e->cand_cap >= 65536) {
			struct hot_point *tmp = malloc(e->ncand * sizeof(*tmp));

			if (!tmp)
				return -ENOMEM;
			cand_dedup(e, tmp);
			free(tmp);
		}
		if (e->ncand == e->cand_cap &&
		    grow_array((void **)&e->cand, &e->cand_cap, e->ncand + 1, sizeof(*e->cand)))
			return -ENOMEM;
	}
	e->cand[e->ncand].key = key;
	e->cand[e->ncand].v = v;
	e->ncand++;
	return 0;
}

/*
 * Every index with stored hotness >= t into the candidates (a full scan).
 * The candidates kept so far stay: they hold the last window's hot indices
 * below the watermark.
 */
static int cand_rebuild(struct engine *e, float t)
{
	uint32_t i;

	e->t_cand = t;
	if (e->t_rec > t)
		e->t_rec = t;
	e->ncand = 0;
	/* v >= t first: rarely true, so predicted; v != 0 would be a coin toss */
	for (i = 0; i < e->cap; i++)
		if (e->slot[i].v >= t && e->slot[i].v != 0 &&
		    cand_push(e, e->slot[i].key, e->slot[i].v))
			return -ENOMEM;
	return 0;
}

/* Sets each point's value to its index's now (0 if evicted). */
static void cand_lookup(const struct engine *e, struct hot_point *pt, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hslot *sl = table_find(e, pt[i].key);

		pt[i].v = sl ? sl->v : 0;
	}
}

/*
 * Brings the candidates up to date into pts, sorted by key: the touched
 * ones carry the value an event gave them, the others keep the value they
 * had at the last close (nothing changed it: stored values move only by
 * events). A touched index new to the candidates joins if it reached the
 * watermark; one already among them stays while above the floor (it is
 * above the watermark, or was hot last window). An evicted index goes with
 * the floor: it was below it when the cursor took it, and the floor only
 * rises. The merge takes a point from either side by a conditional move,
 * not a branch: which side comes next is a coin toss.
 */
static int cand_refresh(struct engine *e, struct ebuf *pts, struct ebuf *tmp, size_t *npts)
{
	float floor_st = (float)(e->p.evict_below * e->g), lim;
	const struct hot_point *a = e->cpts, *b = e->cand;
	size_t i = 0, j = 0, n = 0, na = e->ncpts, nb;
	struct hot_point *pt;

	lim = e->t_cand > floor_st ? e->t_cand : floor_st;
	if (ebuf_reserve(tmp, (e->ncand + 1) * sizeof(struct hot_point)) ||
	    ebuf_reserve(pts, (e->ncand + e->ncpts + 1) * sizeof(struct hot_point)))
		return -ENOMEM;
	nb = cand_dedup(e, tmp->p);
	if (e->cand_stale) {
		/*
		 * An index at t_rec or above was evicted (a window long enough
		 * for the floor to pass the band): one of the last window's
		 * hot indices may have come back unrecorded. Look them all up.
		 */
		cand_lookup(e, e->cpts, na);
		cand_lookup(e, e->cand, nb);
		e->cand_stale = false;
	}
	pt = pts->p;
	while (i < na && j < nb) {
		uint32_t ki = a[i].key, kj = b[j].key;
		const struct hot_point *x = kj <= ki ? &b[j] : &a[i];
		bool old = ki <= kj;

		i += old;
		j += kj <= ki;
		pt[n] = *x;
		n += (x->v >= floor_st) & (old | (x->v >= lim));
	}
	for (; i < na; i++) {
		pt[n] = a[i];
		n += a[i].v >= floor_st;
	}
	for (; j < nb; j++) {
		pt[n] = b[j];
		n += b[j].v >= lim;
	}
	if (grow_array((void **)&e->cpts, &e->cpts_cap, n + 1, sizeof(*e->cpts)))
		return -ENOMEM;
	memcpy(e->cpts, pt, n * sizeof(*pt));
	e->ncpts = n;
	e->ncand = 0;
	*npts = n;
	return 0;
}

/* ---- windows ---- */

static void publish(struct engine *e, struct engine_snapshot *s)
{
	struct engine_snapshot *old;
	size_t i;

	old = atomic_exchange(&e->current, s);
	if (old) {
		if (!grow_array((void **)&e->retired, &e->retired_cap, e->nretired + 1,
				sizeof(*e->retired)))
			e->retired[e->nretired++] = old;
		else
			e->retired[0] = old;	/* cannot happen in practice; leak-free anyway */
	}
	if (atomic_load(&e->readers) == 0) {
		for (i = 0; i < e->nretired; i++)
			engine_snapshot__put(e->retired[i]);
		e->nretired = 0;
	}
}

struct window_work {
	struct ebuf pts, tmp, hot, label, vals;
};

static int cmp_cluster(const void *a, const void *b)
{
	const struct engine_cluster *x = a, *y = b;

	if (x->lo[0] != y->lo[0])
		return x->lo[0] < y->lo[0] ? -1 : 1;
	if (x->lo[1] != y->lo[1])
		return x->lo[1] < y->lo[1] ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Finds the stored threshold T and fills the hot set. Returns 0, or 1 when
 * the candidates do not reach low enough (the caller rebuilds them), or a
 * negative errno.
 */
static int find_hot(struct engine *e, struct window_work *w, size_t npts, float *t_out,
		    size_t *nhot, float *need_out)
{
	const struct hotspot_params *p = &e->p;
	struct hot_point *pt = w->pts.p, *hot;
	float floor_st = (float)(p->evict_below * e->g), t = 0, t_hi, t_lo, need, lim;
	float low = INFINITY;
	unsigned bf = bucket(floor_st), b, bt = 0;
	uint64_t n = 0, rd = 0, cum = 0;
	size_t i, j, c, h = 0;
	bool band;

	for (b = bf; b <= e->hmax; b++)
		n += e->hist[b];
	*nhot = 0;
	*t_out = 0;
	if (n == 0)
		return 0;
	if (p->hot_kind == HOT_ABOVE) {
		t = (float)(p->hot_above * e->g);
		need = t;
	} else {
		if (p->hot_kind == HOT_QUANTILE) {
			uint64_t ra = (uint64_t)ceil(p->hot_quantile / 100 * (double)n);

			if (ra < 1)
				ra = 1;
			if (ra > n)
				ra = n;
			rd = n - ra + 1;
		} else {
			rd = p->hot_topk < n ? p->hot_topk : n;
		}
		for (b = e->hmax + 1; b-- > bf;) {
			if (cum + e->hist[b] >= rd) {
				bt = b;
				break;
			}
			cum += e->hist[b];
		}
		need = bucket_lo(bt);
	}
	*need_out = need;
	if (e->t_cand > need)
		return 1;
	if (p->hot_kind != HOT_ABOVE) {
		float *vals;
		size_t nv = 0;

		if (ebuf_reserve(&w->vals, (npts + 1) * sizeof(float)))
			return -ENOMEM;
		vals = w->vals.p;
		for (i = 0; i < npts; i++) {
			vals[nv] = pt[i].v;
			nv += bucket(pt[i].v) == bt;
		}
		if (nv < rd - cum)
			return 1;	/* should not happen: the bucket is above t_cand */
		t = select_desc(vals, nv, rd - cum);
	}
	/*
	 * Hysteresis: an index becomes hot at the threshold and stays hot
	 * until it falls hot_band below it. A band above the threshold too
	 * would keep out the very indices that make a quantile: when the top
	 * values are close, nothing would ever reach 1.15 times the quantile.
	 */
	t_hi = t;
	t_lo = p->hot_kind == HOT_TOPK ? t : t * (float)(1 - p->hot_band);
	if (ebuf_reserve(&w->hot, (npts + 1) * sizeof(struct hot_point)))
		return -ENOMEM;
	hot = w->hot.p;
	if (isfinite(e->t_cand) && e->t_cand < need * 0.92f) {
		/*
		 * The threshold's bucket rose (buckets are 4.4% apart): the
		 * watermark follows at once, so the candidates stay few.
		 */
		e->t_cand = need * 0.95f;
	}
	lim = e->t_cand > floor_st ? e->t_cand : floor_st;
	/*
	 * Hot: every candidate at or above the threshold, and every index hot
	 * last window still above the band's floor, in key order; those are
	 * all among the candidates, kept there below the watermark. Which
	 * candidates are hot is a coin toss in key order, so the loop keeps
	 * them by conditional increments, not branches, and on the way keeps
	 * as candidates those above the watermark and those hot now. Events
	 * must record their values down to the lowest of those.
	 */
	band = p->hot_kind != HOT_TOPK;
	for (i = 0, j = 0, c = 0; i < npts; i++) {
		uint32_t k = pt[i].key;
		float v = pt[i].v;
		bool was, in;

		while (j < e->nprev_hot && e->prev_hot[j] < k)
			j++;	/* below the floor now */
		was = j < e->nprev_hot && e->prev_hot[j] == k;
		j += was;
		/* & and |, not && and ||: no branch */
		in = ((v >= t_hi) | (was & (v >= t_lo) & band)) & (v >= floor_st);
		hot[h] = pt[i];
		h += in;
		e->cpts[c] = pt[i];
		c += in | (v >= lim);
		low = in & (v < low) ? v : low;
	}
	e->ncpts = c;
	e->t_rec = e->t_cand < low ? e->t_cand : low;
	for (i = 0; i < h; i++)
		hot[i].v = (float)(hot[i].v / e->g);
	*nhot = h;
	*t_out = t;
	return 0;
}

/* Hotness-weighted stats of each cluster's members. */
static void cluster_stats(struct engine *e, const struct hot_point *hot, size_t nhot,
			  const int32_t *label, struct engine_cluster *cl, size_t ncl,
			  double total)
{
	double (*acc)[5];
	size_t i, j, k;

	acc = calloc(ncl ? ncl : 1, sizeof(*acc));
	if (!acc)
		return;
	for (k = 0; k < ncl; k++) {
		memset(&cl[k], 0, sizeof(cl[k]));
		cl[k].lo[0] = cl[k].lo[1] = INT64_MAX;
		cl[k].hi[0] = cl[k].hi[1] = INT64_MIN;
	}
	/*
	 * A run of points of one cluster at a time, its sums carried in
	 * registers (in the same order as point by point, so to the bit).
	 */
	for (i = 0; i < nhot; i = j) {
		struct engine_cluster *q;
		double a0, a1, a2, a3, a4;
		int64_t lo0, hi0, lo1, hi1;

		for (j = i + 1; j < nhot && label[j] == label[i]; j++)
			;
		if (label[i] < 0)
			continue;
		q = &cl[label[i]];
		a0 = acc[label[i]][0];
		a1 = acc[label[i]][1];
		a2 = acc[label[i]][2];
		a3 = acc[label[i]][3];
		a4 = acc[label[i]][4];
		lo0 = q->lo[0];
		hi0 = q->hi[0];
		lo1 = q->lo[1];
		hi1 = q->hi[1];
		for (k = i; k < j; k++) {
			int64_t r = engine_key_row(e->dims, hot[k].key);
			int64_t c = engine_key_col(e->dims, hot[k].key);
			int64_t x0 = e->dims == 2 ? r : c, x1 = e->dims == 2 ? c : 0;
			double v = hot[k].v;

			lo0 = x0 < lo0 ? x0 : lo0;
			hi0 = x0 + 1 > hi0 ? x0 + 1 : hi0;
			lo1 = x1 < lo1 ? x1 : lo1;
			hi1 = x1 + 1 > hi1 ? x1 + 1 : hi1;
			a0 += v;
			a1 += v * (double)x0;
			a2 += v * (double)x0 * (double)x0;
			a3 += v * (double)x1;
			a4 += v * (double)x1 * (double)x1;
		}
		q->elements += j - i;
		q->lo[0] = lo0;
		q->hi[0] = hi0;
		q->lo[1] = lo1;
		q->hi[1] = hi1;
		acc[label[i]][0] = a0;
		acc[label[i]][1] = a1;
		acc[label[i]][2] = a2;
		acc[label[i]][3] = a3;
		acc[label[i]][4] = a4;
	}
	for (k = 0; k < ncl; k++) {
		double w = acc[k][0], var0 = 0, var1 = 0;

		cl[k].hotness = w;
		cl[k].share = total > 0 ? w / total : 0;
		if (cl[k].share > 1)
			cl[k].share = 1;
		if (w > 0) {
			cl[k].centre[0] = acc[k][1] / w;
			cl[k].centre[1] = acc[k][3] / w;
			var0 = acc[k][2] / w - cl[k].centre[0] * cl[k].centre[0];
			var1 = acc[k][4] / w - cl[k].centre[1] * cl[k].centre[1];
		}
		if (var0 < 0)
			var0 = 0;
		if (var1 < 0)
			var1 = 0;
		cl[k].sigma = e->dims == 2 ? sqrt((var0 + var1) / 2) : sqrt(var0);
		if (e->dims == 1) {
			cl[k].lo[1] = 0;
			cl[k].hi[1] = 0;
		}
		cl[k].state = CLUSTER_STABLE;
	}
	free(acc);
}

static struct engine_snapshot *snapshot_new(struct engine *e, struct engine_cluster *cl,
					    size_t ncl, struct cluster_event *ev, size_t nev,
					    uint64_t nhot, double thr, double eps)
{
	size_t len = strlen(e->name) + 1;
	struct engine_snapshot *s = calloc(1, sizeof(*s) + len);

	if (!s)
		return NULL;
	atomic_init(&s->refs, 1);
	memcpy(s->map, e->name, len);
	s->dims = e->dims;
	s->window = e->win_no;
	s->events = e->win_events;
	s->lost = e->win_lost;
	s->dropped = e->win_dropped;
	s->active = e->live;
	s->hot = nhot;
	s->threshold = thr;
	s->eps = eps;
	s->clusters = cl;
	s->nclusters = ncl;
	s->events_v = ev;
	s->nevents = nev;
	return s;
}

static int close_window(struct engine *e)
{
	struct window_work w = { 0 };
	struct engine_cluster *cl = NULL;
	struct cluster_event *ev = NULL;
	struct engine_snapshot *s;
	size_t npts = 0, nhot = 0, ncl = 0, nev = 0, i;
	float t = 0, need = 0;
	double eps = 0, thr = 0;
	int err, tries;

	err = cand_refresh(e, &w.pts, &w.tmp, &npts);
	for (tries = 0; !err; tries++) {
		err = find_hot(e, &w, npts, &t, &nhot, &need);
		if (err != 1)
			break;
		if (tries == 2) {
			err = -EPROTO;
			break;
		}
		err = cand_rebuild(e, need * 0.95f);
		if (!err)
			err = cand_refresh(e, &w.pts, &w.tmp, &npts);
	}
	if (err)
		goto out;
	thr = t / e->g;

	if (ebuf_reserve(&w.label, (nhot + 1) * sizeof(int32_t))) {
		err = -ENOMEM;
		goto out;
	}
	err = engine_cluster_run(e->dims, w.hot.p, nhot, &e->p, w.label.p, &ncl, &eps);
	if (err)
		goto out;
	cl = calloc(ncl ? ncl : 1, sizeof(*cl));
	if (!cl) {
		err = -ENOMEM;
		goto out;
	}
	cluster_stats(e, w.hot.p, nhot, w.label.p, cl, ncl, e->total / e->g);
	err = engine_track_window(e, cl, ncl, &ev, &nev);
	if (err)
		goto out;
	qsort(cl, ncl, sizeof(*cl), cmp_cluster);

	/* this window's hot set, for the next window's hysteresis */
	if (grow_array((void **)&e->prev_hot, &e->prev_hot_cap, nhot + 1, sizeof(uint32_t))) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nhot; i++)
		e->prev_hot[i] = ((struct hot_point *)w.hot.p)[i].key;
	e->nprev_hot = nhot;

	e->last_threshold = thr;
	e->last_eps = eps;
	s = snapshot_new(e, cl, ncl, ev, nev, nhot, thr, eps);
	if (!s) {
		err = -ENOMEM;
		goto out;
	}
	cl = NULL;
	ev = NULL;
	e->windows++;
	if (e->cb)
		e->cb(e->cb_ctx, s);
	publish(e, s);

	/* memory follows the active indices down too */
	if (e->cap > 4 * TABLE_MIN && e->live < e->cap / 5)
		err = table_rebuild(e, e->live * 2, 0);
	shrink_array((void **)&e->cand, &e->cand_cap, e->ncand, sizeof(*e->cand));
	shrink_array((void **)&e->cpts, &e->cpts_cap, e->ncpts, sizeof(*e->cpts));
	shrink_array((void **)&e->prev_hot, &e->prev_hot_cap, e->nprev_hot, sizeof(*e->prev_hot));
out:
	e->win_no++;
	e->win_events = 0;
	e->win_lost = 0;
	e->win_dropped = 0;
	free(cl);
	free(ev);
	free(w.pts.p);
	free(w.tmp.p);
	free(w.hot.p);
	free(w.label.p);
	free(w.vals.p);
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

static int add_event(struct engine *e, uint64_t ts, uint32_t key)
{
	uint32_t i, cap;
	float old, nv;
	struct hslot *s;
	int err;

	if (e->p.halflife_ns > 0) {
		if (ts != e->last_ts) {
			double x = (double)(ts - e->t0) / e->p.halflife_ns - e->log2g_base;

			if (x > RENORM_LOG2) {
				/* A gap of more than RENORM_MAX half-lives (a crafted
				 * trace: 2^64 ns is 2^54 of 1 us) leaves nothing of
				 * the past in a float: divide by 2^RENORM_MAX, so k
				 * stays an int. */
				double whole = floor(x);
				int k = whole < RENORM_MAX ? (int)whole : RENORM_MAX;

				e->log2g_base += whole;
				e->g = exp2(x - whole);
				err = renormalise(e, k);
				if (err)
					return err;
			} else {
				e->g = exp2(x);
			}
		}
	} else if (e->inv_decay != 1) {
		e->g *= e->inv_decay;
		if (e->g > 0x1p64) {
			int k = ilogb(e->g);

			e->g = ldexp(e->g, -k);
			err = renormalise(e, k);
			if (err)
				return err;
		}
	}
	e->last_ts = ts;

	if (e->live + 1 > e->cap / 5 * 4) {
		err = table_grow(e);
		if (err)
			return err;
	}
	cap = e->cap;
	s = e->slot;
	i = slot_home(key, cap);
	for (;;) {
		if (s[i].v == 0) {
			s[i].key = key;
			e->live++;
			old = 0;
			break;
		}
		if (s[i].key == key) {
			old = s[i].v;
			e->hist[bucket(old)]--;
			break;
		}
		if (++i == cap)
			i = 0;
	}
	nv = old + (float)e->g;
	s[i].v = nv;
	hist_add(e, nv);
	e->total += e->g;
	/*
	 * Record the value of a candidate: one at the watermark now, or one
	 * of the last window's hot indices, which were at t_rec or above and
	 * can only have grown since (an evicted one marks the candidates
	 * stale). An index that merely climbed into the band, or a new one,
	 * is no candidate: no record.
	 */
	if ((nv >= e->t_cand || old >= e->t_rec) && cand_push(e, key, nv))
		return -ENOMEM;

	/* the eviction cursor */
	{
		float floor_st = (float)(e->p.evict_below * e->g);
		unsigned step;

		for (step = 0; step < EVICT_STEPS; step++) {
			uint32_t c = e->cursor;

			if (s[c].v != 0 && s[c].v < floor_st) {
				table_delete(e, c);
				continue;
			}
			e->cursor = c + 1 == cap ? 0 : c + 1;
		}
	}
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
		e->win_open = true;
		if (ok) {
			err = add_event(e, ts, key);
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
uint64_t engine_snapshot__active(const struct engine_snapshot *s) { return s->active; }
uint64_t engine_snapshot__hot(const struct engine_snapshot *s) { return s->hot; }
double engine_snapshot__threshold(const struct engine_snapshot *s) { return s->threshold; }
double engine_snapshot__eps(const struct engine_snapshot *s) { return s->eps; }
size_t engine_snapshot__cluster_count(const struct engine_snapshot *s) { return s->nclusters; }
size_t engine_snapshot__event_count(const struct engine_snapshot *s) { return s->nevents; }

const struct engine_cluster *engine_snapshot__cluster(const struct engine_snapshot *s, size_t i)
{
	return i < s->nclusters ? &s->clusters[i] : NULL;
}

const struct cluster_event *engine_snapshot__event(const struct engine_snapshot *s, size_t i)
{
	return i < s->nevents ? &s->events_v[i] : NULL;
}
