// SPDX-License-Identifier: MIT
/*
 * Renderers of engine snapshots and of the end-of-run summary: a text
 * table, and JSON lines in bpftrace's shape ({"type": ..., "data": {...}}).
 * Everything comes through engine/engine.h's accessors. Doubles are
 * printed with a fixed number of decimals through "%.*f" (never %g, whose
 * switch to exponents depends on magnitude), non-finite values as 0 and -0
 * as 0, so the same snapshot always prints the same bytes. 1-D maps print
 * lo, hi and centre as numbers; 2-D maps as [row, col] pairs.
 *
 * Times: every window carries its first and last moment in ns since the
 * trace's origin ("start_ns", "end_ns"; seconds in the table), and, when
 * the wall clock of the origin is known, the same as UTC in RFC 3339 with
 * milliseconds ("start", "end"), so "window 14" can be matched with a log
 * line. Sites print by name ("main.get+0x1e main.go:27"), or as "site N"
 * when the name is unknown.
 */
#include "output/snapshot.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A double with prec decimals, the same bytes for the same value. */
static const char *num(char *buf, size_t len, double v, int prec)
{
	if (!isfinite(v))
		v = 0;
	snprintf(buf, len, "%.*f", prec, v);
	if (buf[0] == '-') {
		const char *p = buf + 1;

		while (*p == '0' || *p == '.')
			p++;
		if (!*p)
			memmove(buf, buf + 1, strlen(buf));
	}
	return buf;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *site_name(const struct site_names *sites, uint32_t id, char *buf, size_t len)
{
	if (sites && id < sites->n && sites->names[id] && *sites->names[id])
		return sites->names[id];
	snprintf(buf, len, "site %" PRIu32, id);
	return buf;
}

static void span_text(char *buf, size_t len, unsigned dims, const int64_t *lo, const int64_t *hi)
{
	if (dims == 2)
		snprintf(buf, len, "[%" PRId64 ", %" PRId64 ")x[%" PRId64 ", %" PRId64 ")",
			 lo[0], hi[0], lo[1], hi[1]);
	else
		snprintf(buf, len, "[%" PRId64 ", %" PRId64 ")", lo[0], hi[0]);
}

static void at_text(char *buf, size_t len, unsigned dims, const int64_t *at)
{
	if (dims == 2)
		snprintf(buf, len, "[%" PRId64 ", %" PRId64 "]", at[0], at[1]);
	else
		snprintf(buf, len, "%" PRId64, at[0]);
}

static void json_pair_i(FILE *f, unsigned dims, const int64_t *v)
{
	if (dims == 2)
		fprintf(f, "[%" PRId64 ", %" PRId64 "]", v[0], v[1]);
	else
		fprintf(f, "%" PRId64, v[0]);
}

static void json_pair_d(FILE *f, unsigned dims, const double *v, int prec)
{
	char a[64], b[64];

	if (dims == 2)
		fprintf(f, "[%s, %s]", num(a, sizeof(a), v[0], prec), num(b, sizeof(b), v[1], prec));
	else
		fputs(num(a, sizeof(a), v[0], prec), f);
}

/* Seconds since the origin, three decimals. */
static const char *secs(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, ns / 1000000000, ns / 1000000 % 1000);
	return buf;
}

/* The wall clock at origin + ns: RFC 3339, UTC, milliseconds. */
static void json_wall(FILE *f, const char *key, uint64_t wall, uint64_t ns)
{
	uint64_t t = wall + ns;
	time_t sec = (time_t)(t / 1000000000);
	struct tm tm;
	char buf[64];

	if (!wall || !gmtime_r(&sec, &tm))
		return;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, ", \"%s\": \"%s.%03" PRIu64 "Z\"", key, buf, t / 1000000 % 1000);
}

static int done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

static void sites_text(FILE *f, const struct site_names *sites, unsigned n,
		       const struct engine_site_share *s)
{
	char a[64], b[64];
	unsigned i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s %s%%", i ? ", " : "", site_name(sites, s[i].site, b, sizeof(b)),
			num(a, sizeof(a), s[i].share * 100, 1));
}

static void sites_json(FILE *f, const struct site_names *sites, unsigned n,
		       const struct engine_site_share *s)
{
	char a[64], b[64];
	unsigned i;

	fputs(", \"sites\": [", f);
	for (i = 0; i < n; i++) {
		fputs(i ? ", {\"site\": " : "{\"site\": ", f);
		json_str(f, site_name(sites, s[i].site, b, sizeof(b)));
		fprintf(f, ", \"share\": %s}", num(a, sizeof(a), s[i].share, 4));
	}
	fputc(']', f);
}

int snapshot_print_table(const struct engine_snapshot *s, const struct site_names *sites, FILE *f)
{
	const struct engine_scattered *sc = engine_snapshot__scattered(s);
	unsigned dims = engine_snapshot__dims(s);
	char a[64], b[64], span[128], centre[128];
	size_t i, n = engine_snapshot__cluster_count(s);

	fprintf(f, "%s  window %" PRIu64 "  %s-%s s  events %" PRIu64 "  lost %" PRIu64,
		engine_snapshot__map(s), engine_snapshot__window(s),
		secs(a, sizeof(a), engine_snapshot__start_ns(s)),
		secs(b, sizeof(b), engine_snapshot__end_ns(s)), engine_snapshot__events(s),
		engine_snapshot__lost(s));
	if (engine_snapshot__dropped(s))
		fprintf(f, "  dropped %" PRIu64, engine_snapshot__dropped(s));
	fprintf(f, "  active %" PRIu64 "  uniform %s", engine_snapshot__active(s),
		num(a, sizeof(a), engine_snapshot__uniform(s), 4));
	fprintf(f, "  background %s\n", num(a, sizeof(a), engine_snapshot__background(s), 4));
	if (!n && !sc->count) {
		fputs("  (no hot cluster)\n", f);
		return done(f);
	}
	if (n)
		fprintf(f, "  %6s  %-24s %8s %8s %8s %12s %14s  %-8s  %s\n", "ID", "SPAN", "ELEMS",
			"SHARE", "WINDOW", "HOTNESS", "CENTRE", "STATE", "TOP SITES");
	for (i = 0; i < n; i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);
		char w[64];

		span_text(span, sizeof(span), dims, c->lo, c->hi);
		if (dims == 2)
			snprintf(centre, sizeof(centre), "%s,%s", num(a, sizeof(a), c->centre[0], 1),
				 num(b, sizeof(b), c->centre[1], 1));
		else
			num(centre, sizeof(centre), c->centre[0], 2);
		fprintf(f, "  %6" PRIu64 "  %-24s %8" PRIu64 " %7s%% %7s%% %12s %14s  %-8s  ", c->id,
			span, c->elements, num(a, sizeof(a), c->share * 100, 2),
			num(w, sizeof(w), c->window_share * 100, 2),
			num(b, sizeof(b), c->hotness, 2), centre, cluster_state_name(c->state));
		sites_text(f, sites, c->nsites, c->sites);
		fputc('\n', f);
	}
	if (sc->count) {
		fprintf(f, "  scattered: %" PRIu64 " hot %s, %s%% of accesses; hottest", sc->count,
			sc->count == 1 ? "index" : "indices", num(a, sizeof(a), sc->share * 100, 2));
		for (i = 0; i < sc->ntop; i++) {
			at_text(span, sizeof(span), dims, sc->top[i].at);
			fprintf(f, "%s %s (%s%%)", i ? "," : "", span,
				num(a, sizeof(a), sc->top[i].share * 100, 2));
		}
		fputc('\n', f);
	}
	return done(f);
}

int snapshot_print_events(const struct engine_snapshot *s, FILE *f)
{
	unsigned dims = engine_snapshot__dims(s);
	char a[64], span[128], from[128];
	size_t i;

	for (i = 0; i < engine_snapshot__event_count(s); i++) {
		const struct cluster_event *ev = engine_snapshot__event(s, i);

		span_text(span, sizeof(span), dims, ev->lo, ev->hi);
		fprintf(f, "%s window %" PRIu64 " (%s s): cluster %" PRIu64 " %s",
			engine_snapshot__map(s), engine_snapshot__window(s),
			secs(a, sizeof(a), engine_snapshot__end_ns(s)), ev->id,
			cluster_event_name(ev->kind));
		switch (ev->kind) {
		case CEV_SPLIT:
			fprintf(f, " from %" PRIu64 " at %s", ev->other, span);
			break;
		case CEV_MERGE:
			fprintf(f, " into %" PRIu64 " from %s", ev->other, span);
			break;
		case CEV_MOVE:
			span_text(from, sizeof(from), dims, ev->from_lo, ev->from_hi);
			fprintf(f, " from %s to %s", from, span);
			break;
		case CEV_DRIFT:
			fprintf(f, " (%s, delta %s) to %s", drift_reason_name(ev->reason),
				num(a, sizeof(a), ev->delta, 2), span);
			break;
		default:
			fprintf(f, " at %s", span);
			break;
		}
		fprintf(f, ", share %s%%\n", num(a, sizeof(a), ev->share * 100, 1));
	}
	return done(f);
}

int snapshot_print_json(const struct engine_snapshot *s, const struct site_names *sites, FILE *f)
{
	const struct engine_scattered *sc = engine_snapshot__scattered(s);
	unsigned dims = engine_snapshot__dims(s);
	uint64_t wall = engine_snapshot__origin_wall(s);
	char a[64];
	size_t i;

	fputs("{\"type\": \"window\", \"data\": {\"map\": ", f);
	json_str(f, engine_snapshot__map(s));
	fprintf(f, ", \"window\": %" PRIu64 ", \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64,
		engine_snapshot__window(s), engine_snapshot__start_ns(s), engine_snapshot__end_ns(s));
	json_wall(f, "start", wall, engine_snapshot__start_ns(s));
	json_wall(f, "end", wall, engine_snapshot__end_ns(s));
	fprintf(f, ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64, engine_snapshot__events(s),
		engine_snapshot__lost(s));
	if (engine_snapshot__dropped(s))
		fprintf(f, ", \"dropped\": %" PRIu64, engine_snapshot__dropped(s));
	fprintf(f, ", \"active\": %" PRIu64, engine_snapshot__active(s));
	fprintf(f, ", \"uniform\": %s", num(a, sizeof(a), engine_snapshot__uniform(s), 6));
	fprintf(f, ", \"background\": %s", num(a, sizeof(a), engine_snapshot__background(s), 6));
	fputs(", \"clusters\": [", f);
	for (i = 0; i < engine_snapshot__cluster_count(s); i++) {
		const struct engine_cluster *c = engine_snapshot__cluster(s, i);

		fprintf(f, "%s{\"id\": %" PRIu64 ", \"lo\": ", i ? ", " : "", c->id);
		json_pair_i(f, dims, c->lo);
		fputs(", \"hi\": ", f);
		json_pair_i(f, dims, c->hi);
		fprintf(f, ", \"elements\": %" PRIu64, c->elements);
		fprintf(f, ", \"share\": %s", num(a, sizeof(a), c->share, 6));
		fprintf(f, ", \"window_share\": %s", num(a, sizeof(a), c->window_share, 6));
		fprintf(f, ", \"hotness\": %s, \"centre\": ", num(a, sizeof(a), c->hotness, 3));
		json_pair_d(f, dims, c->centre, 2);
		fprintf(f, ", \"sigma\": %s", num(a, sizeof(a), c->sigma, 2));
		fprintf(f, ", \"state\": \"%s\"", cluster_state_name(c->state));
		sites_json(f, sites, c->nsites, c->sites);
		fputc('}', f);
	}
	fputc(']', f);
	if (sc->count) {
		fprintf(f, ", \"scattered\": {\"count\": %" PRIu64 ", \"share\": %s, \"top\": [",
			sc->count, num(a, sizeof(a), sc->share, 6));
		for (i = 0; i < sc->ntop; i++) {
			fputs(i ? ", {\"at\": " : "{\"at\": ", f);
			json_pair_i(f, dims, sc->top[i].at);
			fprintf(f, ", \"share\": %s}", num(a, sizeof(a), sc->top[i].share, 6));
		}
		fputs("]}", f);
	}
	fputs("}}\n", f);

	for (i = 0; i < engine_snapshot__event_count(s); i++) {
		const struct cluster_event *x = engine_snapshot__event(s, i);

		fputs("{\"type\": \"cluster_event\", \"data\": {\"map\": ", f);
		json_str(f, engine_snapshot__map(s));
		fprintf(f, ", \"window\": %" PRIu64 ", \"end_ns\": %" PRIu64,
			engine_snapshot__window(s), engine_snapshot__end_ns(s));
		json_wall(f, "end", wall, engine_snapshot__end_ns(s));
		fprintf(f, ", \"event\": \"%s\", \"id\": %" PRIu64, cluster_event_name(x->kind), x->id);
		if (x->kind == CEV_SPLIT)
			fprintf(f, ", \"from\": %" PRIu64, x->other);
		if (x->kind == CEV_MERGE)
			fprintf(f, ", \"into\": %" PRIu64, x->other);
		if (x->kind == CEV_DRIFT)
			fprintf(f, ", \"reason\": \"%s\"", drift_reason_name(x->reason));
		if (x->kind == CEV_DRIFT || x->kind == CEV_SETTLE)
			fprintf(f, ", \"delta\": %s", num(a, sizeof(a), x->delta, 3));
		if (x->kind == CEV_MOVE) {
			fputs(", \"from_lo\": ", f);
			json_pair_i(f, dims, x->from_lo);
			fputs(", \"from_hi\": ", f);
			json_pair_i(f, dims, x->from_hi);
		}
		fputs(", \"lo\": ", f);
		json_pair_i(f, dims, x->lo);
		fputs(", \"hi\": ", f);
		json_pair_i(f, dims, x->hi);
		fprintf(f, ", \"share\": %s, \"centre\": ", num(a, sizeof(a), x->share, 6));
		json_pair_d(f, dims, x->centre, 2);
		fputs("}}\n", f);
	}
	return done(f);
}

/* Announced clusters, by mean share (then id): the summary's order. */
static const struct engine_history **by_share(const struct engine *e, size_t *n)
{
	const struct engine_history **v;
	size_t i, j;

	*n = engine__history_count(e);
	v = malloc((*n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < *n; i++) {
		const struct engine_history *h = engine__history(e, i);

		for (j = i; j > 0 && (v[j - 1]->mean_share < h->mean_share ||
				      (v[j - 1]->mean_share == h->mean_share && v[j - 1]->id > h->id));
		     j--)
			v[j] = v[j - 1];
		v[j] = h;
	}
	return v;
}

static void run_totals(const struct engine *e, FILE *f)
{
	struct engine_stats st;

	engine__stats(e, &st);
	fprintf(f, "%s: %" PRIu64 " windows, %" PRIu64 " events, %" PRIu64 " lost",
		engine__name(e), st.windows, st.events, st.lost);
	if (st.dropped)
		fprintf(f, ", %" PRIu64 " dropped", st.dropped);
	fprintf(f, ", %zu clusters\n", engine__history_count(e));
}

int snapshot_print_summary(const struct engine *e, const struct site_names *sites, FILE *f)
{
	unsigned dims = engine__dims(e);
	char a[64], b[64], t0[32], t1[32], first[160], last[160];
	const struct engine_history **v;
	size_t i, k, n;

	run_totals(e, f);
	v = by_share(e, &n);
	if (!v)
		return -ENOMEM;
	if (n)
		fprintf(f, "  %6s %8s %8s  %-34s %-34s %s\n", "ID", "SHARE", "PEAK", "FIRST",
			"LAST", "END");
	for (i = 0; i < n; i++) {
		const struct engine_history *h = v[i];

		span_text(a, sizeof(a), dims, h->first_lo, h->first_hi);
		snprintf(first, sizeof(first), "%s w%" PRIu64 " %ss", a, h->first,
			 secs(t0, sizeof(t0), h->first_ns));
		span_text(a, sizeof(a), dims, h->lo, h->hi);
		snprintf(last, sizeof(last), "%s w%" PRIu64 " %ss", a, h->last,
			 secs(t1, sizeof(t1), h->last_ns));
		fprintf(f, "  %6" PRIu64 " %7s%% %7s%%  %-34s %-34s %s", h->id,
			num(a, sizeof(a), h->mean_share * 100, 2),
			num(b, sizeof(b), h->peak_share * 100, 2), first, last,
			cluster_end_name(h->end));
		if (h->from)
			fprintf(f, ", split from %" PRIu64, h->from);
		if (h->end == CLUSTER_MERGED_AWAY)
			fprintf(f, " into %" PRIu64, h->into);
		fputc('\n', f);
		for (k = 0; k < h->nsteps; k++) {
			const struct engine_step *s = &h->steps[k];

			span_text(a, sizeof(a), dims, s->lo, s->hi);
			fprintf(f, "          %s w%" PRIu64 " %ss to %s\n",
				s->kind == CEV_MOVE ? "moved  " : "drifted", s->window,
				secs(t0, sizeof(t0), s->ns), a);
		}
		if (h->nsites) {
			fputs("          sites: ", f);
			sites_text(f, sites, h->nsites, h->sites);
			fputc('\n', f);
		}
	}
	free(v);
	return done(f);
}

int snapshot_print_summary_json(const struct engine *e, const struct site_names *sites, FILE *f)
{
	unsigned dims = engine__dims(e);
	struct engine_stats st;
	const struct engine_history **v;
	char a[64];
	size_t i, k, n;

	engine__stats(e, &st);
	v = by_share(e, &n);
	if (!v)
		return -ENOMEM;
	fputs("{\"type\": \"summary\", \"data\": {\"map\": ", f);
	json_str(f, engine__name(e));
	fprintf(f, ", \"windows\": %" PRIu64 ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64
		", \"dropped\": %" PRIu64 ", \"clusters\": [", st.windows, st.events, st.lost,
		st.dropped);
	for (i = 0; i < n; i++) {
		const struct engine_history *h = v[i];

		fprintf(f, "%s{\"id\": %" PRIu64 ", \"first\": %" PRIu64 ", \"first_ns\": %" PRIu64
			", \"last\": %" PRIu64 ", \"last_ns\": %" PRIu64 ", \"first_lo\": ",
			i ? ", " : "", h->id, h->first, h->first_ns, h->last, h->last_ns);
		json_pair_i(f, dims, h->first_lo);
		fputs(", \"first_hi\": ", f);
		json_pair_i(f, dims, h->first_hi);
		fputs(", \"lo\": ", f);
		json_pair_i(f, dims, h->lo);
		fputs(", \"hi\": ", f);
		json_pair_i(f, dims, h->hi);
		fprintf(f, ", \"mean_share\": %s", num(a, sizeof(a), h->mean_share, 6));
		fprintf(f, ", \"peak_share\": %s, \"windows\": %" PRIu64 ", \"end\": \"%s\"",
			num(a, sizeof(a), h->peak_share, 6), h->reported, cluster_end_name(h->end));
		fprintf(f, ", \"from\": %" PRIu64 ", \"into\": %" PRIu64 ", \"path\": [", h->from,
			h->into);
		for (k = 0; k < h->nsteps; k++) {
			const struct engine_step *s = &h->steps[k];

			fprintf(f, "%s{\"window\": %" PRIu64 ", \"ns\": %" PRIu64 ", \"event\": \"%s\""
				", \"lo\": ", k ? ", " : "", s->window, s->ns,
				cluster_event_name(s->kind));
			json_pair_i(f, dims, s->lo);
			fputs(", \"hi\": ", f);
			json_pair_i(f, dims, s->hi);
			fputc('}', f);
		}
		fputc(']', f);
		sites_json(f, sites, h->nsites, h->sites);
		fputc('}', f);
	}
	fputs("]}}\n", f);
	free(v);
	return done(f);
}
