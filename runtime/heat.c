// SPDX-License-Identifier: MIT
/*
 * Hosting the engines. Records arrive in ring-buffer order on the
 * consumer's thread and go straight into the engine of their map, with the
 * probe that sent them as their access site. With -f json every window is
 * printed from the engine's window callback, in order, so a replay prints
 * the same bytes. In text the cluster events print as they happen and the
 * latest table of each map at most once a second however short the
 * windows are: the printer takes a snapshot reference and never holds up
 * the engine.
 *
 * Times count from the moment the heat set was made (CLOCK_MONOTONIC, the
 * clock of bpf_ktime_get_ns()), whose wall-clock time JSON prints too. A
 * heat map fed heat(index) by access probes of one global array knows the
 * array's extent (plan_map.extent), against which the engine measures the
 * uniform level.
 *
 * Recording taps the same stream: accesses are batched per map and written
 * to the trace file in the order they arrive, after a header holding what
 * replay needs to print the same: each map's extent, the origin and the
 * names of the access sites. Replay reads a trace into the engines of a
 * script's heat maps, matched by name, or with no heat map in the script
 * into engines with the defaults for every map of the trace, and prints
 * every window, so the same trace and script always print the same bytes.
 */
#include "runtime/heat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "engine/trace.h"
#include "output/snapshot.h"

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
	bool every_window;
	uint64_t last_print_ns;
	uint64_t origin, origin_wall;
	char **sites;		/* access site names by probe index */
	size_t nsites;
	struct trace_writer *trace;
	double sampled;		/* the share of the run watched, or 0: all of it */
	/* --budget: times detached, [from, to) in order, the last one open
	 * (to = UINT64_MAX) while detached; before[i]: the length of gaps
	 * 0 .. i - 1 */
	uint64_t (*gaps)[2];
	uint64_t *before;
	size_t ngaps;
	bool flushed;		/* the last windows are closed */
};

static struct site_names names_of(const struct heat_set *hs)
{
	struct site_names sn = { (const char *const *)hs->sites, hs->nsites };

	return sn;
}

static void on_window_json(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;
	struct site_names sn = names_of(hs);

	snapshot_print_json(s, &sn, hs->out);
	fflush(hs->out);
}

/* Text, live: the events as they come; the table waits for heat_set__tick. */
static void on_window_events(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;

	snapshot_print_events(s, hs->out);
}

/* Text, replay: every window's table and events. */
static void on_window_table(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;
	struct site_names sn = names_of(hs);

	snapshot_print_table(s, &sn, hs->out);
	snapshot_print_events(s, hs->out);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct engine *engine_for(struct heat_set *hs, const char *name, unsigned dims,
				 const struct hotspot_params *p)
{
	struct engine *e = engine__new(name, dims, p);

	if (!e)
		return NULL;
	if (hs->fmt == OUT_JSON)
		engine__set_window_cb(e, on_window_json, hs);
	else
		engine__set_window_cb(e, hs->every_window ? on_window_table : on_window_events, hs);
	engine__set_origin(e, hs->origin, hs->origin_wall);
	return e;
}

/* Replaces the site names (copies them). 0 or -ENOMEM. */
static int set_sites(struct heat_set *hs, const char *const *names, size_t n)
{
	char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(names[i] ? names[i] : "");
		if (!v[i]) {
			while (i--)
				free(v[i]);
			free(v);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < hs->nsites; i++)
		free(hs->sites[i]);
	free(hs->sites);
	hs->sites = v;
	hs->nsites = n;
	return 0;
}

struct heat_set *heat_set__new(const struct plan *plan, enum out_format fmt, FILE *out,
			       bool every_window)
{
	struct heat_set *hs = calloc(1, sizeof(*hs));
	const char **names = NULL;

	if (!hs)
		return NULL;
	hs->fmt = fmt;
	hs->out = out;
	hs->every_window = every_window;
	hs->origin = clock_ns(CLOCK_MONOTONIC);
	hs->origin_wall = clock_ns(CLOCK_REALTIME);
	hs->nplan = plan->nmaps;
	hs->maps = calloc(plan->nmaps + 1, sizeof(*hs->maps));
	hs->by_plan = calloc(plan->nmaps + 1, sizeof(*hs->by_plan));
	names = calloc(plan->nprobes + 1, sizeof(*names));
	if (!hs->maps || !hs->by_plan || !names)
		goto err_free;
	for (size_t i = 0; i < plan->nprobes; i++) {
		const struct plan_probe *p = &plan->probes[i];

		names[i] = p->kind == PROBE_ACCESS && p->access.site ? p->access.site : p->name;
	}
	if (set_sites(hs, names, plan->nprobes))
		goto err_free;
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct plan_map *pm = &plan->maps[i];
		struct heat_map *m = &hs->maps[hs->n];

		if (pm->agg != AGG_HEAT)
			continue;
		m->engine = engine_for(hs, pm->name, pm->dims, &pm->hot);
		if (!m->engine)
			goto err_free;
		engine__set_extent(m->engine, pm->extent[0], pm->extent[1]);
		m->plan_map = (unsigned)i;
		hs->by_plan[i] = (unsigned)++hs->n;
	}
	free(names);
	return hs;
err_free:
	free(names);
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
	for (size_t i = 0; i < hs->nsites; i++)
		free(hs->sites[i]);
	free(hs->sites);
	trace_writer__free(hs->trace);
	free(hs->maps);
	free(hs->by_plan);
	free(hs->gaps);
	free(hs->before);
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

int heat_set__pause(struct heat_set *hs, uint64_t now_ns)
{
	uint64_t (*g)[2] = realloc(hs->gaps, (hs->ngaps + 1) * sizeof(*hs->gaps));
	uint64_t *b;

	if (!g)
		return -ENOMEM;
	hs->gaps = g;
	b = realloc(hs->before, (hs->ngaps + 1) * sizeof(*hs->before));
	if (!b)
		return -ENOMEM;
	hs->before = b;
	hs->before[hs->ngaps] = hs->ngaps ? hs->before[hs->ngaps - 1] + hs->gaps[hs->ngaps - 1][1] -
						    hs->gaps[hs->ngaps - 1][0] : 0;
	hs->gaps[hs->ngaps][0] = now_ns;
	hs->gaps[hs->ngaps][1] = UINT64_MAX;
	hs->ngaps++;
	return 0;
}

void heat_set__resume(struct heat_set *hs, uint64_t now_ns)
{
	if (hs->ngaps && hs->gaps[hs->ngaps - 1][1] == UINT64_MAX)
		hs->gaps[hs->ngaps - 1][1] = now_ns > hs->gaps[hs->ngaps - 1][0] ?
					     now_ns : hs->gaps[hs->ngaps - 1][0];
}

/* ts with the gaps before it taken out; a time inside a gap (a hit as the
 * probes went, a tick while they are away) is its start. */
static uint64_t sampled_time(const struct heat_set *hs, uint64_t ts)
{
	size_t lo = 0, hi = hs->ngaps;

	/* the first gap that starts at or after ts */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (hs->gaps[mid][0] < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return ts;
	/* gap lo - 1 starts before ts: ts is in it, or after it */
	if (ts < hs->gaps[lo - 1][1])
		return hs->gaps[lo - 1][0] - hs->before[lo - 1];
	return ts - hs->before[lo - 1] - (hs->gaps[lo - 1][1] - hs->gaps[lo - 1][0]);
}

int heat_set__record(struct heat_set *hs, const struct hs_heat_record *r)
{
	struct heat_map *m = map_of(hs, r->map);
	struct heat_event ev = { .ts_ns = r->ts_ns, .row = r->row, .col = r->col,
				 .site = r->hdr.probe };

	if (hs->ngaps)
		ev.ts_ns = sampled_time(hs, r->ts_ns);

	if (!m)
		return -EINVAL;
	if (ev.site >= hs->nsites)
		ev.site = 0;
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

int heat_set__record_to(struct heat_set *hs, const struct plan *plan, FILE *f)
{
	struct trace_map *tm = calloc(hs->n + 1, sizeof(*tm));
	struct trace_info info = {
		.origin_ns = hs->origin,
		.origin_wall_ns = hs->origin_wall,
		.sites = (const char *const *)hs->sites,
		.nsites = (unsigned)(hs->nsites < TRACE_MAX_SITES ? hs->nsites : TRACE_MAX_SITES),
	};

	if (!tm)
		return -ENOMEM;
	for (size_t i = 0; i < hs->n; i++) {
		const struct plan_map *pm = &plan->maps[hs->maps[i].plan_map];

		tm[i].name = engine__name(hs->maps[i].engine);
		tm[i].dims = engine__dims(hs->maps[i].engine);
		tm[i].rows = pm->extent[0];
		tm[i].cols = pm->extent[1];
		hs->maps[i].tap = malloc(TAP_BATCH * sizeof(struct heat_event));
		if (!hs->maps[i].tap) {
			free(tm);
			return -ENOMEM;
		}
	}
	hs->trace = trace_writer__new(f, tm, (unsigned)hs->n, &info);
	free(tm);
	return hs->trace ? 0 : -errno;
}

static void print_tables(struct heat_set *hs)
{
	struct site_names sn = names_of(hs);

	for (size_t i = 0; i < hs->n; i++) {
		const struct engine_snapshot *s = engine__snapshot_get(hs->maps[i].engine);

		if (!s)
			continue;
		if (engine_snapshot__window(s) != hs->maps[i].printed) {
			hs->maps[i].printed = engine_snapshot__window(s);
			snapshot_print_table(s, &sn, hs->out);
		}
		engine_snapshot__put(s);
	}
	fflush(hs->out);
}

int heat_set__tick(struct heat_set *hs, uint64_t now_ns)
{
	uint64_t t = hs->ngaps ? sampled_time(hs, now_ns) : now_ns;

	for (size_t i = 0; i < hs->n; i++)
		engine__tick(hs->maps[i].engine, t);
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

void heat_set__flush(struct heat_set *hs)
{
	if (hs->flushed)
		return;
	hs->flushed = true;
	if (hs->trace) {
		for (size_t i = 0; i < hs->n; i++)
			flush_tap(hs, &hs->maps[i]);
		trace_writer__finish(hs->trace);
	}
	for (size_t i = 0; i < hs->n; i++)
		engine__flush(hs->maps[i].engine);
	fflush(hs->out);
}

int heat_set__finish(struct heat_set *hs)
{
	struct site_names sn = names_of(hs);

	heat_set__flush(hs);
	for (size_t i = 0; i < hs->n; i++) {
		const char *name = engine__name(hs->maps[i].engine);

		if (hs->sampled > 0 && hs->fmt == OUT_JSON)
			fprintf(hs->out, "{\"type\": \"sampled\", \"data\": {\"map\": \"%s\", "
				"\"ratio\": %.4f}}\n", name, hs->sampled);
		else if (hs->sampled > 0)
			fprintf(hs->out, "%s: sampled, the probes were attached %.1f%% of the run "
				"(--budget): spans and shares are of the sampled accesses\n", name,
				100 * hs->sampled);
		if (hs->fmt == OUT_JSON)
			snapshot_print_summary_json(hs->maps[i].engine, &sn, hs->out);
		else
			snapshot_print_summary(hs->maps[i].engine, &sn, hs->out);
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

/*
 * A script without heat maps (or no script): every map of the trace gets
 * an engine with the defaults, in the trace's order. 0 or -ENOMEM.
 */
static int add_defaults(struct heat_set *hs, const struct trace_reader *r)
{
	unsigned n = trace_reader__map_count(r);
	struct hotspot_params p;
	struct heat_map *v;

	hotspot_params_default(&p);
	v = realloc(hs->maps, (n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	hs->maps = v;
	for (unsigned i = 0; i < n; i++) {
		struct heat_map *m = &hs->maps[hs->n];

		memset(m, 0, sizeof(*m));
		m->engine = engine_for(hs, trace_reader__map_name(r, i),
				       trace_reader__map_dims(r, i), &p);
		if (!m->engine)
			return -ENOMEM;
		m->plan_map = UINT32_MAX;
		hs->n++;
	}
	return 0;
}

int heat_set__replay(struct heat_set *hs, const struct plan *plan, FILE *trace,
		     struct diag_list *dl)
{
	struct trace_reader *r = trace_reader__new(trace);
	struct trace_info info;
	struct engine **engines;
	bool defaults = !hs->n;
	unsigned n;
	int err;

	if (!r) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot replay: %s", trace_error(err));
		return err;
	}
	n = trace_reader__map_count(r);
	engines = calloc(n + 1, sizeof(*engines));
	trace_reader__info(r, &info);
	if (!engines || set_sites(hs, info.sites, info.nsites) ||
	    (defaults && add_defaults(hs, r))) {
		err = -ENOMEM;
		goto out;
	}
	hs->origin = info.origin_ns;
	hs->origin_wall = info.origin_wall_ns;
	for (unsigned i = 0; i < n; i++) {
		const char *name = trace_reader__map_name(r, i);
		const struct plan_map *pm = plan__find_map(plan, name);
		struct heat_map *m = defaults ? &hs->maps[i] :
				     pm ? map_of(hs, (unsigned)(pm - plan->maps)) : NULL;
		uint64_t rows, cols;

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
		/* what the live run knew; a version 1 trace knows no origin (0) */
		trace_reader__map_extent(r, i, &rows, &cols);
		engine__set_extent(m->engine, rows, cols);
		engine__set_origin(m->engine, info.origin_ns, info.origin_wall_ns);
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
