// SPDX-License-Identifier: MIT
/*
 * Hosting the engines. Records arrive in ring-buffer order on the
 * consumer's thread and go straight into the engine of their map. With -f
 * json every window is printed from the engine's window callback, in order,
 * so a replay prints the same bytes. In text the latest snapshot of each map
 * is printed at most once a second however short the windows are: the
 * printer takes a snapshot reference and never holds up the engine.
 */
#include "runtime/heat.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "runtime/engine.h"

struct heat_map {
	struct engine *engine;
	unsigned plan_map;	/* index in plan->maps, as records name it */
	uint64_t printed;	/* last window printed in text */
};

struct heat_set {
	struct heat_map *maps;
	size_t n;
	unsigned *by_plan;	/* plan map index -> maps[] index + 1, 0 for none */
	size_t nplan;
	enum out_format fmt;
	FILE *out;
	uint64_t last_print_ns;
};

static void on_window_json(void *ctx, const struct engine_snapshot *s)
{
	struct heat_set *hs = ctx;

	engine_snapshot__print_json(s, hs->out);
	fflush(hs->out);
}

struct heat_set *heat_set_new(const struct plan *plan, enum out_format fmt, FILE *out)
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
		m->plan_map = (unsigned)i;
		hs->by_plan[i] = (unsigned)++hs->n;
	}
	return hs;
err_free:
	heat_set_free(hs);
	errno = ENOMEM;
	return NULL;
}

void heat_set_free(struct heat_set *hs)
{
	if (!hs)
		return;
	for (size_t i = 0; i < hs->n; i++)
		engine__free(hs->maps[i].engine);
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

int heat_set__record(struct heat_set *hs, const struct hs_heat_record *r)
{
	struct heat_map *m = map_of(hs, r->map);
	struct heat_event ev = { .ts_ns = r->ts_ns, .row = r->row, .col = r->col };

	return m ? engine__push(m->engine, &ev, 1) : -EINVAL;
}

int heat_set__lost(struct heat_set *hs, unsigned map, uint64_t lost)
{
	struct heat_map *m = map_of(hs, map);

	return m ? engine__add_lost(m->engine, lost) : -EINVAL;
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

int heat_set__finish(struct heat_set *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		engine__flush(hs->maps[i].engine);
		if (hs->fmt == OUT_JSON)
			engine__print_summary_json(hs->maps[i].engine, hs->out);
		else
			engine__print_summary(hs->maps[i].engine, hs->out);
	}
	fflush(hs->out);
	return 0;
}
