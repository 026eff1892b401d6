// SPDX-License-Identifier: MIT
/*
 * Hosting the engines. Records arrive in ring-buffer order on the
 * consumer's thread and go straight into the engine of their map. With -f
 * json every window is printed from the engine's window callback, in order,
 * so a replay prints the same bytes. In text the latest snapshot of each map
 * is printed at most once a second however short the windows are: the
 * printer takes a snapshot reference and never holds up the engine.
 *
 * Recording taps the same stream: accesses are batched per map and written
 * to the trace file in the order they arrive. Replay reads a trace into the
 * engines of a script's heat maps, matched by name, and prints every
 * window, so the same trace and script always print the same bytes.
 */
#include "runtime/heat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "engine/trace.h"

#define TAP_BATCH 4096

struct heat_map {
	struct engine *engine;
	unsigned plan_map;	/* index in plan->maps, as records name it */
	uint64_t printed;	/* last window printed in text */
	struct heat_event *tap;	/* accesses not yet written to the trace */
	size_t ntap;
};

struct heat_set {
	struct heat_map *maps;
	size_t n;
	unsigned *by_plan;	/* plan map index -> maps[] index + 1, 0 for none */
	size_t nplan;
	enum out_format fmt;
	FILE *out;
	uint64_t last_print_ns;
	struct trace_writer *trace;
	double sampled;		/* the share of the run watched, or 0: all of it */
};

static void on_window_json(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;

	engine_snapshot__print_json(s, hs->out);
	fflush(hs->out);
}

/* One line per cluster event of the window: how a person sees a hot spot
 * appear, move and settle even when the table is printed seldom. */
static void print_events(const struct engine_snapshot *s, FILE *out)
{
	for (size_t i = 0; i < engine_snapshot__event_count(s); i++) {
		const struct cluster_event *ev = engine_snapshot__event(s, i);

		fprintf(out, "%s window %" PRIu64 ": cluster %" PRIu64 " %s",
			engine_snapshot__map(s), engine_snapshot__window(s), ev->id,
			cluster_event_name(ev->kind));
		if (ev->kind == CEV_SPLIT || ev->kind == CEV_MERGE)
			fprintf(out, " %s %" PRIu64, ev->kind == CEV_SPLIT ? "from" : "into",
				ev->other);
		if (ev->kind == CEV_DRIFT)
			fprintf(out, " (%s, delta %.2f)", drift_reason_name(ev->reason), ev->delta);
		fprintf(out, ", centre %.1f", ev->centre[0]);
		if (engine_snapshot__dims(s) == 2)
			fprintf(out, " %.1f", ev->centre[1]);
		fputc('\n', out);
	}
}

/* Text, live: the events as they come; the table waits for heat_set__tick. */
static void on_window_events(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;

	print_events(s, hs->out);
}

/* Text, replay: every window's table and events. */
static void on_window_table(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;

	engine_snapshot__print_table(s, hs->out);
	print_events(s, hs->out);
}

struct heat_set *heat_set__new(const struct plan *plan, enum out_format fmt, FILE *out,
			      bool every_window)
{
	struct heat_set *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return NULL;
	hs->fmt = fmt;
	hs->out = out;
	hs->nplan = plan->nmaps;
	hs->maps = calloc(plan->nmaps + 1, sizeof(*hs->maps));
	hs->by_plan = calloc(plan->nmaps + 1, sizeof(*hs->by_plan));
	if (!hs->maps || !hs->by_plan)
		goto err_free;
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct plan_map *pm = &plan->maps[i];
		struct heat_map *m = &hs->maps[hs->n];

		if (pm->agg != AGG_HEAT)
			continue;
		m->engine = engine__new(pm->name, pm->dims, &pm->hot);
		if (!m->engine)
			goto err_free;
		if (fmt == OUT_JSON)
			engine__set_window_cb(m->engine, on_window_json, hs);
		else
			engine__set_window_cb(m->engine, every_window ? on_window_table :
						   on_window_events, hs);
		m->plan_map = (unsigned)i;
		hs->by_plan[i] = (unsigned)++hs->n;
	}
	return hs;
err_free:
	heat_set__free(hs);
	errno = ENOMEM;
	return NULL;
}

void heat_set__free(struct heat_set *hs)
{
	if (!hs)
		return;
	for (size_t i = 0; i < hs->n; i++) {
		engine__free(hs->maps[i].engine);
		free(hs->maps[i].tap);
	}
	trace_writer__free(hs->trace);
	free(hs->maps);
	free(hs->by_plan);
	free(hs);
}

size_t heat_set__count(const struct heat_set *hs)
{
	return hs->n;
}

static struct heat_map *map_of(struct heat_set *hs, unsigned plan_map)
{
	if (plan_map >= hs->nplan || !hs->by_plan[plan_map])
		return NULL;
	return &hs->maps[hs->by_plan[plan_map] - 1];
}

static int flush_tap(struct heat_set *hs, struct heat_map *m)
{
	int err = 0;

	if (m->ntap)
		err = trace_writer__events(hs->trace, (unsigned)(m - hs->maps), m->tap, m->ntap);
	m->ntap = 0;
	return err;
}

int heat_set__record(struct heat_set *hs, const struct hs_heat_record *r)
{
	struct heat_map *m = map_of(hs, r->map);
	struct heat_event ev = { .ts_ns = r->ts_ns, .row = r->row, .col = r->col };

	if (!m)
		return -EINVAL;
	if (hs->trace) {
		m->tap[m->ntap++] = ev;
		if (m->ntap == TAP_BATCH)
			flush_tap(hs, m);
	}
	return engine__push(m->engine, &ev, 1);
}

int heat_set__lost(struct heat_set *hs, unsigned map, uint64_t lost)
{
	struct heat_map *m = map_of(hs, map);

	if (!m)
		return -EINVAL;
	if (hs->trace) {
		/* Losses go after the accesses that came before them. */
		flush_tap(hs, m);
		trace_writer__lost(hs->trace, (unsigned)(m - hs->maps), lost);
	}
	return engine__add_lost(m->engine, lost);
}

int heat_set__record_to(struct heat_set *hs, FILE *f)
{
	struct trace_map *tm = calloc(hs->n + 1, sizeof(*tm));

	if (!tm)
		return -ENOMEM;
	for (size_t i = 0; i < hs->n; i++) {
		tm[i].name = engine__name(hs->maps[i].engine);
		tm[i].dims = engine__dims(hs->maps[i].engine);
		hs->maps[i].tap = malloc(TAP_BATCH * sizeof(struct heat_event));
		if (!hs->maps[i].tap) {
			free(tm);
			return -ENOMEM;
		}
	}
	hs->trace = trace_writer__new(f, tm, (unsigned)hs->n);
	free(tm);
	return hs->trace ? 0 : -errno;
}

static void print_tables(struct heat_set *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		const struct engine_snapshot *s = engine__snapshot_get(hs->maps[i].engine);

		if (!s)
			continue;
		if (engine_snapshot__window(s) != hs->maps[i].printed) {
			hs->maps[i].printed = engine_snapshot__window(s);
			engine_snapshot__print_table(s, hs->out);
		}
		engine_snapshot__put(s);
	}
	fflush(hs->out);
}

int heat_set__tick(struct heat_set *hs, uint64_t now_ns)
{
	for (size_t i = 0; i < hs->n; i++)
		engine__tick(hs->maps[i].engine, now_ns);
	if (hs->fmt == OUT_TEXT && now_ns - hs->last_print_ns >= 1000000000ull) {
		hs->last_print_ns = now_ns;
		print_tables(hs);
	}
	return 0;
}

void heat_set__sampled(struct heat_set *hs, double ratio)
{
	hs->sampled = ratio;
}

int heat_set__finish(struct heat_set *hs)
{
	if (hs->trace) {
		for (size_t i = 0; i < hs->n; i++)
			flush_tap(hs, &hs->maps[i]);
		trace_writer__finish(hs->trace);
	}
	for (size_t i = 0; i < hs->n; i++) {
		const char *name = engine__name(hs->maps[i].engine);

		engine__flush(hs->maps[i].engine);
		if (hs->sampled > 0 && hs->fmt == OUT_JSON)
			fprintf(hs->out, "{\"type\": \"sampled\", \"data\": {\"map\": \"%s\", "
				"\"ratio\": %.4f}}\n", name, hs->sampled);
		else if (hs->sampled > 0)
			fprintf(hs->out, "%s: sampled, the probes were attached %.1f%% of the run "
				"(--budget): spans and shares are of the sampled accesses\n", name,
				100 * hs->sampled);
		if (hs->fmt == OUT_JSON)
			engine__print_summary_json(hs->maps[i].engine, hs->out);
		else
			engine__print_summary(hs->maps[i].engine, hs->out);
	}
	fflush(hs->out);
	return 0;
}

static const char *trace_error(int err)
{
	switch (err) {
	case -EBADMSG:
		return "not a hotspan trace, or corrupt";
	case -EPROTONOSUPPORT:
		return "written by a version of hotspan this one cannot read";
	case -ENODATA:
		return "truncated: the recording did not finish";
	default:
		return strerror(-err);
	}
}

int heat_set__replay(struct heat_set *hs, const struct plan *plan, FILE *trace,
		     struct diag_list *dl)
{
	struct trace_reader *r = trace_reader__new(trace);
	struct engine **engines;
	unsigned n;
	int err;

	if (!r) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot replay: %s", trace_error(err));
		return err;
	}
	n = trace_reader__map_count(r);
	engines = calloc(n + 1, sizeof(*engines));
	if (!engines) {
		trace_reader__free(r);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		const char *name = trace_reader__map_name(r, i);
		const struct plan_map *pm = plan__find_map(plan, name);
		struct heat_map *m = pm ? map_of(hs, (unsigned)(pm - plan->maps)) : NULL;

		if (!m) {
			diag_add(dl, DIAG_WARNING, NULL,
				 "the trace's heat map %s is not in the script: skipped", name);
			continue;
		}
		if (engine__dims(m->engine) != trace_reader__map_dims(r, i)) {
			diag_add(dl, DIAG_ERROR, NULL,
				 "%s is %u-dimensional in the trace but %u in the script", name,
				 trace_reader__map_dims(r, i), engine__dims(m->engine));
			err = -EINVAL;
			goto out;
		}
		engines[i] = m->engine;
	}
	err = trace_replay(r, engines);
	if (err)
		diag_add(dl, DIAG_ERROR, NULL, "cannot replay: %s", trace_error(err));
	else
		err = heat_set__finish(hs);
out:
	free(engines);
	trace_reader__free(r);
	return err;
}
