// SPDX-License-Identifier: MIT
/*
 * Renderers of snapshots and of the end-of-run summary: a text table, and
 * JSON lines in bpftrace's shape ({"type": ..., "data": {...}}). They only
 * write to the FILE * they are given. Doubles are printed with a fixed
 * number of decimals through "%.*f" (never %g, whose switch to exponents
 * depends on magnitude), non-finite values as 0 and -0 as 0, so the same
 * snapshot always prints the same bytes. 1-D maps print lo, hi and centre
 * as numbers; 2-D maps as [row, col] pairs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "engine/engine_internal.h"

const char *cluster_state_name(enum cluster_state st)
{
	switch (st) {
	case CLUSTER_NEW: return "new";
	case CLUSTER_STABLE: return "stable";
	case CLUSTER_DRIFTING: return "drifting";
	case CLUSTER_SPLIT: return "split";
	case CLUSTER_MERGED: return "merged";
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

static void span_text(char *buf, size_t len, unsigned dims, const int64_t *lo, const int64_t *hi)
{
	if (dims == 2)
		snprintf(buf, len, "[%" PRId64 ", %" PRId64 ")x[%" PRId64 ", %" PRId64 ")",
			 lo[0], hi[0], lo[1], hi[1]);
	else
		snprintf(buf, len, "[%" PRId64 ", %" PRId64 ")", lo[0], hi[0]);
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

static int done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

int engine_snapshot__print_table(const struct engine_snapshot *s, FILE *f)
{
	char a[64], b[64], span[128], centre[128];
	size_t i;

	fprintf(f, "%s  window %" PRIu64 "  events %" PRIu64 "  lost %" PRIu64, s->map, s->window,
		s->events, s->lost);
	if (s->dropped)
		fprintf(f, "  dropped %" PRIu64, s->dropped);
	fprintf(f, "  active %" PRIu64 "  hot %" PRIu64 "  threshold %s  eps %s\n", s->active,
		s->hot, num(a, sizeof(a), s->threshold, 2), num(b, sizeof(b), s->eps, 2));
	if (!s->nclusters) {
		fputs("  (no hot cluster)\n", f);
		return done(f);
	}
	fprintf(f, "  %6s  %-24s %8s %8s %12s %14s  %s\n", "ID", "SPAN", "ELEMS", "SHARE",
		"HOTNESS", "CENTRE", "STATE");
	for (i = 0; i < s->nclusters; i++) {
		const struct engine_cluster *c = &s->clusters[i];

		span_text(span, sizeof(span), s->dims, c->lo, c->hi);
		if (s->dims == 2)
			snprintf(centre, sizeof(centre), "%s,%s", num(a, sizeof(a), c->centre[0], 1),
				 num(b, sizeof(b), c->centre[1], 1));
		else
			num(centre, sizeof(centre), c->centre[0], 2);
		fprintf(f, "  %6" PRIu64 "  %-24s %8" PRIu64 " %7s%% %12s %14s  %s\n", c->id, span,
			c->elements, num(a, sizeof(a), c->share * 100, 2),
			num(b, sizeof(b), c->hotness, 2), centre, cluster_state_name(c->state));
	}
	return done(f);
}

int engine_snapshot__print_json(const struct engine_snapshot *s, FILE *f)
{
	char a[64];
	size_t i;

	fputs("{\"type\": \"window\", \"data\": {\"map\": ", f);
	json_str(f, s->map);
	fprintf(f, ", \"window\": %" PRIu64 ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64,
		s->window, s->events, s->lost);
	if (s->dropped)
		fprintf(f, ", \"dropped\": %" PRIu64, s->dropped);
	fputs(", \"clusters\": [", f);
	for (i = 0; i < s->nclusters; i++) {
		const struct engine_cluster *c = &s->clusters[i];

		fprintf(f, "%s{\"id\": %" PRIu64 ", \"lo\": ", i ? ", " : "", c->id);
		json_pair_i(f, s->dims, c->lo);
		fputs(", \"hi\": ", f);
		json_pair_i(f, s->dims, c->hi);
		fprintf(f, ", \"share\": %s", num(a, sizeof(a), c->share, 6));
		fprintf(f, ", \"hotness\": %s, \"centre\": ", num(a, sizeof(a), c->hotness, 3));
		json_pair_d(f, s->dims, c->centre, 2);
		fprintf(f, ", \"state\": \"%s\"}", cluster_state_name(c->state));
	}
	fputs("]}}\n", f);

	for (i = 0; i < s->nevents; i++) {
		const struct cluster_event *x = &s->events_v[i];

		fputs("{\"type\": \"cluster_event\", \"data\": {\"map\": ", f);
		json_str(f, s->map);
		fprintf(f, ", \"window\": %" PRIu64 ", \"event\": \"%s\", \"id\": %" PRIu64, s->window,
			cluster_event_name(x->kind), x->id);
		if (x->kind == CEV_SPLIT)
			fprintf(f, ", \"from\": %" PRIu64, x->other);
		if (x->kind == CEV_MERGE)
			fprintf(f, ", \"into\": %" PRIu64, x->other);
		if (x->kind == CEV_DRIFT)
			fprintf(f, ", \"reason\": \"%s\"", drift_reason_name(x->reason));
		if (x->kind == CEV_DRIFT || x->kind == CEV_SETTLE)
			fprintf(f, ", \"delta\": %s", num(a, sizeof(a), x->delta, 3));
		fputs(", \"centre\": ", f);
		json_pair_d(f, s->dims, x->centre, 2);
		fputs("}}\n", f);
	}
	return done(f);
}

static const char *end_text(char *buf, size_t len, const struct track_history *h)
{
	switch (h->end) {
	case TRACK_ALIVE:
		return "alive";
	case TRACK_VANISHED:
		return "vanished";
	case TRACK_MERGED:
		snprintf(buf, len, "merged into %" PRIu64, h->into);
		return buf;
	}
	return "?";
}

int engine__print_summary(const struct engine *e, FILE *f)
{
	char a[64], b[64], span[128], end[64], from[32];
	size_t i;

	fprintf(f, "%s: %" PRIu64 " windows, %" PRIu64 " events, %" PRIu64 " lost", e->name,
		e->windows, e->events, e->lost);
	if (e->dropped)
		fprintf(f, ", %" PRIu64 " dropped", e->dropped);
	fprintf(f, ", %zu clusters\n", e->nhistory);
	if (!e->nhistory)
		return done(f);
	fprintf(f, "  %6s %8s %8s  %-24s %12s %8s %6s  %-8s %s\n", "ID", "FIRST", "LAST", "SPAN",
		"PEAK HOT", "PEAK %", "DRIFTS", "FROM", "END");
	for (i = 0; i < e->nhistory; i++) {
		const struct track_history *h = &e->history[i];

		span_text(span, sizeof(span), e->dims, h->lo, h->hi);
		if (h->from)
			snprintf(from, sizeof(from), "%" PRIu64, h->from);
		else
			snprintf(from, sizeof(from), "-");
		fprintf(f, "  %6" PRIu64 " %8" PRIu64 " %8" PRIu64 "  %-24s %12s %7s%% %6u  %-8s %s\n",
			h->id, h->first, h->last, span, num(a, sizeof(a), h->peak_hotness, 2),
			num(b, sizeof(b), h->peak_share * 100, 2), h->drifts, from,
			end_text(end, sizeof(end), h));
	}
	return done(f);
}

int engine__print_summary_json(const struct engine *e, FILE *f)
{
	char a[64];
	size_t i;

	fputs("{\"type\": \"summary\", \"data\": {\"map\": ", f);
	json_str(f, e->name);
	fprintf(f, ", \"windows\": %" PRIu64 ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64
		", \"dropped\": %" PRIu64 ", \"clusters\": [", e->windows, e->events, e->lost,
		e->dropped);
	for (i = 0; i < e->nhistory; i++) {
		const struct track_history *h = &e->history[i];
		static const char *const ends[] = { "alive", "vanished", "merged" };

		fprintf(f, "%s{\"id\": %" PRIu64 ", \"first\": %" PRIu64 ", \"last\": %" PRIu64
			", \"lo\": ", i ? ", " : "", h->id, h->first, h->last);
		json_pair_i(f, e->dims, h->lo);
		fputs(", \"hi\": ", f);
		json_pair_i(f, e->dims, h->hi);
		fprintf(f, ", \"peak_hotness\": %s", num(a, sizeof(a), h->peak_hotness, 3));
		fprintf(f, ", \"peak_share\": %s, \"drifts\": %u, \"from\": %" PRIu64
			", \"end\": \"%s\", \"into\": %" PRIu64 "}",
			num(a, sizeof(a), h->peak_share, 6), h->drifts, h->from, ends[h->end], h->into);
	}
	fputs("]}}\n", f);
	return done(f);
}
