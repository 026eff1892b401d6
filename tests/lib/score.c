// SPDX-License-Identifier: MIT
/*
 * The scoreboard's arithmetic. Windows are counted in accesses: window k
 * holds accesses [(k - 1) W, k W) of the program, which is exact when no
 * event was lost (every access is one event). The truth of a window is the
 * hot parts of the phase it lies in, a moving part taken as the union of
 * its places during the window. 1-D spans are compared as interval unions;
 * 2-D boxes on a bitmap of the array.
 *
 * A change is a phase boundary. What is hot after it and was not before
 * (interval difference) is a new location, reported once the window's
 * spans cover half of it; what was hot before and is not after is an old
 * location, gone once they cover at most a tenth of it. Latencies count
 * from the window holding the boundary's access.
 */
#include "tests/lib/score.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*v, c * elem);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

int truth_parse(const char *text, struct truth *t)
{
	size_t pcap = 0, ptcap = 0, ecap = 0;
	const char *l;

	memset(t, 0, sizeof(*t));
	for (l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char kind[16], name[64], shape[16] = "", line[256];
		long long a, b, c, d;
		double p, mv;
		int hot;

		if (strncmp(l, "truth ", 6))
			continue;
		/* one line: an optional last field must not be read from the next */
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(l, "\n"), l);
		if (sscanf(l, "truth array %63s %lld %lld", name, &a, &b) == 3) {
			snprintf(t->array, sizeof(t->array), "%s", name);
			t->rows = (uint64_t)a;
			t->cols = (uint64_t)b;
			t->dims = a > 1 ? 2 : 1;
		} else if (sscanf(l, "truth phase %lld %lld", &a, &b) == 2) {
			if (grow((void **)&t->phases, &pcap, t->nphases + 1, sizeof(*t->phases)))
				return -ENOMEM;
			memset(&t->phases[t->nphases], 0, sizeof(*t->phases));
			t->phases[t->nphases].from = (uint64_t)a;
			t->phases[t->nphases].to = (uint64_t)b;
			t->nphases++;
		} else if (sscanf(line, "truth part %lld %lld %lf %d %lf %15s", &a, &b, &p, &hot, &mv,
				  shape) >= 5 ||
			   sscanf(l, "truth box %lld %lld %lld %lld %lf %d", &a, &b, &c, &d, &p,
				  &hot) == 6) {
			struct truth_phase *ph;
			struct truth_part *pt;
			bool box = !strncmp(l, "truth box", 9);

			if (!t->nphases || t->phases[t->nphases - 1].nparts == TRUTH_MAX_PARTS)
				return -EINVAL;
			ph = &t->phases[t->nphases - 1];
			pt = &ph->part[ph->nparts++];
			memset(pt, 0, sizeof(*pt));
			pt->lo[0] = a;
			pt->hi[0] = b;
			if (box) {
				pt->lo[1] = c;
				pt->hi[1] = d;
			} else {
				pt->move = mv;
				if (!strcmp(shape, "gauss"))
					pt->shape = TRUTH_GAUSS;
				else if (!strcmp(shape, "power"))
					pt->shape = TRUTH_POWER;
				else if (*shape && strcmp(shape, "flat"))
					return -EINVAL;
			}
			pt->p = p;
			pt->hot = hot;
		} else if (sscanf(l, "truth point %lld %lf", &a, &p) == 2) {
			if (grow((void **)&t->points, &ptcap, t->npoints + 1, sizeof(*t->points)))
				return -ENOMEM;
			t->points[t->npoints].at = a;
			t->points[t->npoints].p = p;
			t->npoints++;
		} else if (sscanf(l, "truth event %15s %lld", kind, &a) == 2) {
			if (grow((void **)&t->events, &ecap, t->nevents + 1, sizeof(*t->events)))
				return -ENOMEM;
			snprintf(t->events[t->nevents].kind, sizeof(t->events[0].kind), "%s", kind);
			t->events[t->nevents].access = (uint64_t)a;
			t->nevents++;
		} else if (sscanf(l, "truth end %lld", &a) == 1) {
			t->end = (uint64_t)a;
		} else {
			return -EINVAL;
		}
	}
	return t->dims && t->nphases && t->end ? 0 : -EINVAL;
}

void truth_free(struct truth *t)
{
	free(t->phases);
	free(t->points);
	free(t->events);
	memset(t, 0, sizeof(*t));
}

/* "key": N or "key": [R, C] after p; 0 or -1. */
static int pair_after(const char *p, const char *key, int64_t *v, unsigned dims)
{
	const char *k = strstr(p, key);
	long long a, b;

	if (!k)
		return -1;
	k += strlen(key);
	if (dims == 2) {
		if (sscanf(k, " [%lld, %lld]", &a, &b) != 2)
			return -1;
		v[0] = a;
		v[1] = b;
	} else {
		if (sscanf(k, " %lld", &a) != 1)
			return -1;
		v[0] = a;
		v[1] = 0;
	}
	return 0;
}

int observed_parse(const char *text, const char *map, struct observed *o)
{
	size_t wcap = 0, ecap = 0;
	char want[128];
	const char *l;

	memset(o, 0, sizeof(*o));
	snprintf(want, sizeof(want), "\"data\": {\"map\": \"%s\", \"window\": ", map);
	for (l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *end = strchr(l, '\n'), *d = strstr(l, want);
		unsigned long long n;

		if (!end)
			end = l + strlen(l);
		if (!d || d > end || sscanf(d + strlen(want), "%llu", &n) != 1 || n < 1)
			continue;
		if (!strncmp(l, "{\"type\": \"window\"", 17)) {
			struct obs_window *w;
			const char *c, *cl_end = strstr(l, "\"scattered\": ");
			unsigned dims = strstr(l, "\"lo\": [") && strstr(l, "\"lo\": [") < end ? 2 : 1;

			if (!cl_end || cl_end > end)
				cl_end = end;
			if (grow((void **)&o->w, &wcap, n + 1, sizeof(*o->w)))
				return -ENOMEM;
			while (o->nw <= n)
				memset(&o->w[o->nw++], 0, sizeof(*o->w));
			w = &o->w[n];
			free(w->cl);
			memset(w, 0, sizeof(*w));
			w->window = n;
			if ((c = strstr(l, "\"events\": ")) && c < end)
				w->events = strtoull(c + 10, NULL, 10);
			if ((c = strstr(l, "\"lost\": ")) && c < end)
				w->lost = strtoull(c + 8, NULL, 10);
			for (c = strstr(l, "{\"id\": "); c && c < cl_end; c = strstr(c + 1, "{\"id\": ")) {
				struct obs_cluster k = { 0 };
				const char *s = strstr(c, "\"share\": ");
				size_t cap = w->ncl;

				k.id = strtoull(c + 7, NULL, 10);
				if (pair_after(c, "\"lo\":", k.lo, dims) ||
				    pair_after(c, "\"hi\":", k.hi, dims) || !s)
					return -EINVAL;
				k.share = strtod(s + 9, NULL);
				if (grow((void **)&w->cl, &cap, w->ncl + 1, sizeof(*w->cl)))
					return -ENOMEM;
				w->cl[w->ncl++] = k;
			}
			if ((c = strstr(l, "\"scattered\": {\"count\": ")) && c < end) {
				w->scat_count = strtoull(c + 23, NULL, 10);
				c = strstr(c, "\"share\": ");
				w->scat_share = c ? strtod(c + 9, NULL) : 0;
			}
		} else if (!strncmp(l, "{\"type\": \"cluster_event\"", 24)) {
			const char *k = strstr(l, "\"event\": \""), *id = strstr(l, "\"id\": ");
			struct obs_event *e;

			if (!k || !id || k > end)
				return -EINVAL;
			if (grow((void **)&o->ev, &ecap, o->nev + 1, sizeof(*o->ev)))
				return -ENOMEM;
			e = &o->ev[o->nev++];
			memset(e, 0, sizeof(*e));
			sscanf(k + 10, "%15[a-z]", e->kind);
			e->window = n;
			e->id = strtoull(id + 6, NULL, 10);
		}
	}
	return o->nw > 1 ? 0 : -EINVAL;
}

void observed_free(struct observed *o)
{
	for (size_t i = 0; i < o->nw; i++)
		free(o->w[i].cl);
	free(o->w);
	free(o->ev);
	memset(o, 0, sizeof(*o));
}

char *engine_lines(const char *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!strncmp(p, "{\"type\": \"window\"", 17) ||
		    !strncmp(p, "{\"type\": \"cluster_event\"", 24) ||
		    !strncmp(p, "{\"type\": \"summary\"", 18))
			fwrite(p, 1, n, f);
		p += n;
	}
	fclose(f);
	return buf;
}

/* ---- interval sets (1-D) and boxes (2-D) ---- */

struct span {
	int64_t lo[2], hi[2];
};

#define SPANS_MAX 256

struct spans {
	struct span v[SPANS_MAX];
	size_t n;
};

static void add(struct spans *s, const int64_t *lo, const int64_t *hi)
{
	if (s->n < SPANS_MAX && hi[0] > lo[0]) {
		memcpy(s->v[s->n].lo, lo, sizeof(s->v[0].lo));
		memcpy(s->v[s->n].hi, hi, sizeof(s->v[0].hi));
		s->n++;
	}
}

/* Cells of the array that a set of spans covers, as a bitmap (small arrays) or by sweep. */
struct canvas {
	unsigned dims;
	uint64_t rows, cols;
	unsigned char *a, *b;	/* 2-D bitmaps */
};

static int64_t clampi(int64_t x, int64_t lo, int64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static void paint(const struct canvas *cv, unsigned char *m, const struct spans *s)
{
	memset(m, 0, cv->rows * cv->cols);
	for (size_t i = 0; i < s->n; i++) {
		int64_t r0 = clampi(s->v[i].lo[0], 0, (int64_t)cv->rows);
		int64_t r1 = clampi(s->v[i].hi[0], 0, (int64_t)cv->rows);
		int64_t c0 = clampi(s->v[i].lo[1], 0, (int64_t)cv->cols);
		int64_t c1 = clampi(s->v[i].hi[1], 0, (int64_t)cv->cols);

		for (int64_t r = r0; r < r1; r++)
			if (c1 > c0)
				memset(m + r * (int64_t)cv->cols + c0, 1, (size_t)(c1 - c0));
	}
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * |A & B| and |A | B| for two span sets (1-D: by sweeping the sorted
 * endpoints; 2-D: on the bitmaps).
 */
static void measure(const struct canvas *cv, const struct spans *A, const struct spans *B,
		    double *inter, double *uni)
{
	*inter = *uni = 0;
	if (cv->dims == 2) {
		uint64_t i, n = cv->rows * cv->cols;

		paint(cv, cv->a, A);
		paint(cv, cv->b, B);
		for (i = 0; i < n; i++) {
			*inter += cv->a[i] & cv->b[i];
			*uni += cv->a[i] | cv->b[i];
		}
		return;
	}
	{
		int64_t pts[4 * SPANS_MAX];
		size_t np = 0, i, k;

		for (i = 0; i < A->n; i++) {
			pts[np++] = A->v[i].lo[0];
			pts[np++] = A->v[i].hi[0];
		}
		for (i = 0; i < B->n; i++) {
			pts[np++] = B->v[i].lo[0];
			pts[np++] = B->v[i].hi[0];
		}
		qsort(pts, np, sizeof(*pts), cmp_i64);
		for (k = 0; k + 1 < np; k++) {
			int64_t x = pts[k], len = pts[k + 1] - pts[k];
			bool ina = false, inb = false;

			if (len <= 0)
				continue;
			for (i = 0; i < A->n; i++)
				ina |= A->v[i].lo[0] <= x && x < A->v[i].hi[0];
			for (i = 0; i < B->n; i++)
				inb |= B->v[i].lo[0] <= x && x < B->v[i].hi[0];
			*inter += (double)len * (ina && inb);
			*uni += (double)len * (ina || inb);
		}
	}
}

static double cells(unsigned dims, const int64_t *lo, const int64_t *hi)
{
	double a = (double)(hi[0] - lo[0]);

	if (dims == 2)
		a *= (double)(hi[1] - lo[1]);
	return a > 0 ? a : 0;
}

static double overlap(unsigned dims, const int64_t *alo, const int64_t *ahi, const int64_t *blo,
		      const int64_t *bhi)
{
	double o = 1;

	for (unsigned d = 0; d < dims; d++) {
		int64_t lo = alo[d] > blo[d] ? alo[d] : blo[d];
		int64_t hi = ahi[d] < bhi[d] ? ahi[d] : bhi[d];

		if (hi <= lo)
			return 0;
		o *= (double)(hi - lo);
	}
	return o;
}

/* Where a part is during accesses [a0, a1) of its phase: the union of its places. */
static struct span place(const struct truth_phase *ph, const struct truth_part *pt, uint64_t a0,
			 uint64_t a1)
{
	struct span s;

	memcpy(s.lo, pt->lo, sizeof(s.lo));
	memcpy(s.hi, pt->hi, sizeof(s.hi));
	if (pt->move != 0) {
		s.lo[0] += (int64_t)floor(pt->move * (double)(a0 - ph->from));
		s.hi[0] += (int64_t)floor(pt->move * (double)(a1 - 1 - ph->from));
	}
	return s;
}

/* The share of a shaped part's accesses below x, for a part over [lo, lo + w). */
static double shape_cdf(enum truth_shape shape, double lo, double w, double x)
{
	double u = (x - lo) / w;

	if (u <= 0)
		return 0;
	if (u >= 1)
		return 1;
	switch (shape) {
	case TRUTH_GAUSS:
		/* sigma w / 4, centred, cut at two sigmas */
		return (erf((u - 0.5) * 4 / M_SQRT2) + erf(2 / M_SQRT2)) / (2 * erf(2 / M_SQRT2));
	case TRUTH_POWER:
		return log1p(9 * u) / log(10);
	default:
		return u;
	}
}

/*
 * The true share of accesses in a span during the window. A moving part is
 * taken uniform over the places it had then; a shaped part at its place.
 */
static double true_share(unsigned dims, const struct truth_phase *ph, uint64_t a0, uint64_t a1,
			 const int64_t *lo, const int64_t *hi)
{
	double s = 0;

	for (size_t i = 0; i < ph->nparts; i++) {
		const struct truth_part *pt = &ph->part[i];
		struct span w = place(ph, pt, a0, a1);
		double c = cells(dims, w.lo, w.hi);

		if (dims == 1 && pt->shape != TRUTH_FLAT && c > 0) {
			double l = (double)w.lo[0];

			s += pt->p * (shape_cdf(pt->shape, l, c, (double)hi[0]) -
				      shape_cdf(pt->shape, l, c, (double)lo[0]));
		} else if (c > 0) {
			s += pt->p * overlap(dims, w.lo, w.hi, lo, hi) / c;
		}
	}
	return s;
}

static const struct truth_phase *phase_at(const struct truth *t, uint64_t a)
{
	for (size_t i = 0; i < t->nphases; i++)
		if (a >= t->phases[i].from && a < t->phases[i].to)
			return &t->phases[i];
	return NULL;
}

static void reported(const struct obs_window *w, struct spans *s)
{
	s->n = 0;
	for (size_t i = 0; i < w->ncl; i++)
		add(s, w->cl[i].lo, w->cl[i].hi);
}

/* Hot parts of a phase at its start (at_end false) or at its end, as spans; 1-D dims. */
static void hot_spans(const struct truth_phase *ph, bool at_end, struct spans *s)
{
	s->n = 0;
	for (size_t i = 0; i < ph->nparts; i++)
		if (ph->part[i].hot) {
			struct span w = at_end ? place(ph, &ph->part[i], ph->to - 1, ph->to) :
						 place(ph, &ph->part[i], ph->from, ph->from + 1);

			add(s, w.lo, w.hi);
		}
}

/* a minus the union of b, 1-D; 2-D: each box of a that overlaps nothing in b. */
static void difference(unsigned dims, const struct spans *a, const struct spans *b,
		       struct spans *out)
{
	out->n = 0;
	for (size_t i = 0; i < a->n; i++) {
		int64_t lo = a->v[i].lo[0], hi = a->v[i].hi[0];

		if (dims == 2) {
			bool any = false;

			for (size_t k = 0; k < b->n; k++)
				any |= overlap(2, a->v[i].lo, a->v[i].hi, b->v[k].lo, b->v[k].hi) > 0;
			if (!any)
				add(out, a->v[i].lo, a->v[i].hi);
			continue;
		}
		/* 1-D: walk lo..hi cutting out b's intervals (b is small and unsorted) */
		while (lo < hi) {
			int64_t next = hi, skip_to = lo;
			bool inside = false;

			for (size_t k = 0; k < b->n; k++) {
				if (b->v[k].lo[0] <= lo && lo < b->v[k].hi[0]) {
					inside = true;
					skip_to = b->v[k].hi[0] > skip_to ? b->v[k].hi[0] : skip_to;
				} else if (b->v[k].lo[0] > lo && b->v[k].lo[0] < next) {
					next = b->v[k].lo[0];
				}
			}
			if (inside) {
				lo = skip_to;
			} else {
				int64_t l[2] = { lo, 0 }, h[2] = { next, 0 };

				add(out, l, h);
				lo = next;
			}
		}
	}
}

static int latency(const struct truth *t, const struct observed *o, const struct canvas *cv,
		   uint64_t W, uint64_t access, const struct span *region, bool gone)
{
	struct spans R = { .n = 0 }, S;
	double inter, uni, c = cells(t->dims, region->lo, region->hi);

	add(&R, region->lo, region->hi);
	for (uint64_t k = access / W + 1; k < o->nw; k++) {
		reported(&o->w[k], &S);
		measure(cv, &R, &S, &inter, &uni);
		if (gone ? inter <= 0.1 * c : inter >= 0.5 * c)
			return (int)(k - (access / W + 1));
	}
	return SCORE_NEVER;
}

/* A sliver left by a drift's rounding: not a place of its own. */
static bool small_region(unsigned dims, const struct span *r)
{
	return cells(dims, r->lo, r->hi) < 8;
}

static const char *const kinds[] = { "appear", "vanish", "split", "merge", "move", "drift",
				     "settle" };

int score_compute(const struct truth *t, const struct observed *o, uint64_t W, struct score *s)
{
	struct canvas cv = { .dims = t->dims, .rows = t->rows, .cols = t->cols };
	double iou_sum = 0, err_sum = 0;
	size_t nerr = 0;
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->new_latency = s->old_latency = -1;
	s->has_points = t->npoints > 0;
	for (size_t i = 0; i < t->nphases; i++)
		for (size_t k = 0; k < t->phases[i].nparts; k++)
			s->has_spans |= t->phases[i].part[k].hot;
	if (t->dims == 2) {
		cv.a = malloc(t->rows * t->cols);
		cv.b = malloc(t->rows * t->cols);
		if (!cv.a || !cv.b) {
			err = -ENOMEM;
			goto out;
		}
	}
	/* IoU and share error over the second half of every phase */
	for (uint64_t k = 1; k < o->nw; k++) {
		uint64_t a0 = (k - 1) * W, a1 = k * W;
		const struct truth_phase *ph = phase_at(t, a0);
		const struct obs_window *w = &o->w[k];
		struct spans T = { .n = 0 }, S;

		if (!ph || a1 > ph->to || a0 < ph->from + (ph->to - ph->from) / 2)
			continue;
		s->windows++;
		s->clusters += (double)w->ncl;
		for (size_t i = 0; i < ph->nparts; i++)
			s->hot_parts += ph->part[i].hot;
		reported(w, &S);
		if (!s->has_spans) {
			/* scattered: the hottest N points hold the share reported for N */
			double want = 0, noise = 0, got = w->scat_share;
			uint64_t n = w->scat_count;

			for (size_t i = 0; i < w->ncl; i++) {
				got += w->cl[i].share;
				for (size_t q = 0; q < t->npoints; q++)
					n += t->points[q].at >= w->cl[i].lo[0] &&
					     t->points[q].at < w->cl[i].hi[0];
			}
			for (size_t i = 0; i < ph->nparts; i++)
				noise += ph->part[i].p / cells(1, ph->part[i].lo, ph->part[i].hi);
			for (size_t q = 0; q < n && q < t->npoints; q++)
				want += t->points[q].p + noise;
			err_sum += fabs(got - want);
			nerr++;
			continue;
		}
		for (size_t i = 0; i < ph->nparts; i++) {
			const struct truth_part *pt = &ph->part[i];
			struct span p;
			double best = 0;
			size_t bi = 0;

			if (!pt->hot)
				continue;
			p = place(ph, pt, a0, a1);
			add(&T, p.lo, p.hi);
			for (size_t c = 0; c < w->ncl; c++) {
				double ov = overlap(t->dims, p.lo, p.hi, w->cl[c].lo, w->cl[c].hi);

				if (ov > best) {
					best = ov;
					bi = c;
				}
			}
			err_sum += best > 0 ? fabs(w->cl[bi].share -
						   true_share(t->dims, ph, a0, a1, w->cl[bi].lo,
							      w->cl[bi].hi)) :
					      true_share(t->dims, ph, a0, a1, p.lo, p.hi);
			nerr++;
		}
		{
			double inter, uni;

			measure(&cv, &T, &S, &inter, &uni);
			iou_sum += uni > 0 ? inter / uni : 1;
		}
	}
	s->iou = s->windows ? iou_sum / (double)s->windows : 0;
	if (s->windows) {
		s->clusters /= (double)s->windows;
		s->hot_parts /= (double)s->windows;
	}
	s->share_err = nerr ? err_sum / (double)nerr : 0;

	/* latencies at each change, the first phase's start included */
	for (size_t i = 0; s->has_spans && i < t->nphases; i++) {
		struct spans before = { .n = 0 }, after, nw, old;

		if (i)
			hot_spans(&t->phases[i - 1], true, &before);
		hot_spans(&t->phases[i], false, &after);
		difference(t->dims, &after, &before, &nw);
		difference(t->dims, &before, &after, &old);
		for (size_t k = 0; k < nw.n; k++) {
			int l;

			if (small_region(t->dims, &nw.v[k]))
				continue;
			l = latency(t, o, &cv, W, t->phases[i].from, &nw.v[k], false);

			s->new_latency = l > s->new_latency ? l : s->new_latency;
		}
		for (size_t k = 0; k < old.n; k++) {
			int l;

			if (small_region(t->dims, &old.v[k]))
				continue;
			l = latency(t, o, &cv, W, t->phases[i].from, &old.v[k], true);

			s->old_latency = l > s->old_latency ? l : s->old_latency;
		}
	}

	/* events, by kind */
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		int want = 0, got = 0;

		for (size_t i = 0; i < t->nevents; i++)
			want += !strcmp(t->events[i].kind, kinds[k]);
		for (size_t i = 0; i < o->nev; i++)
			got += !strcmp(o->ev[i].kind, kinds[k]);
		s->extra_events += got > want ? got - want : 0;
		s->missing_events += want > got ? want - got : 0;
	}

	/* points: a span is at most twice as wide as the hot points it covers */
	if (t->npoints) {
		double hotp = 2.0 / (double)(t->rows * t->cols);

		for (uint64_t k = 1; k < o->nw; k++)
			for (size_t c = 0; c < o->w[k].ncl; c++) {
				const struct obs_cluster *cl = &o->w[k].cl[c];
				double n = 0, r;

				for (size_t q = 0; q < t->npoints; q++)
					n += t->points[q].p >= hotp && t->points[q].at >= cl->lo[0] &&
					     t->points[q].at < cl->hi[0];
				r = n > 0 ? (double)(cl->hi[0] - cl->lo[0]) / n : INFINITY;
				s->width_ratio = r > s->width_ratio ? r : s->width_ratio;
			}
	}
out:
	free(cv.a);
	free(cv.b);
	return err;
}
