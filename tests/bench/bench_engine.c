// SPDX-License-Identifier: MIT
/*
 * Engine benchmark, printing figures (not a test): pinned to one core, it
 * generates streams with the seeded generator (not timed), writes them to
 * an in-memory trace, and measures
 *   - events per second of engine__push() alone and of trace replay
 *     (reader + engine), for a few hotspot definitions: the best of three
 *     runs, in the thread's CPU time (the core may be shared: time spent
 *     descheduled is not the engine's);
 *   - the time to close one window (fold, segmentation, tracking,
 *     snapshot) at about 100,000 active indices (windows of 32768 events,
 *     the decay following): the pushes before a window's last event are
 *     not timed, the last one (which closes the window) is, in CPU
 *     time too;
 *   - bytes of memory per active index, from the engine's own accounting
 *     and from the malloc heap (mallinfo2) around the engine.
 * ENGINE_API tells an older engine (before sites and extents), so that
 * tests/bench/engine_vs.sh can build this file against an older commit.
 * `make bench` runs it; docs/benchmarks.md keeps the figures. With -t it
 * prints the throughput table alone, which tests/bench/engine_vs.sh uses to
 * compare this engine with an older commit's, built side by side.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "engine/trace.h"
#include "tests/lib/streamgen.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define RUNS 3

/* A large array (1M), half the accesses in three ranges, at `rate` events a second. */
static void big_stream(struct streamgen_config *c, double rate, uint64_t length)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->seed = 42;
	c->dims = 1;
	c->length = length;
	c->background = 0.5;
	c->rate = rate;
	c->nranges = 3;
	for (i = 0; i < 3; i++) {
		c->range[i].lo = (double)length / 10 + (double)length * 0.3 * i;
		c->range[i].width = 100 + 50 * i;
		c->range[i].weight = 0.5 * (100 + 50 * i) / 450;
		c->range[i].label = i + 1;
	}
}

struct scenario {
	const char *name;
	double rate;
	uint64_t length;
	void (*params)(struct hotspot_params *p);
};

static void p_defaults(struct hotspot_params *p)
{
	hotspot_params_default(p);
}

static void p_window4096(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = 4096;
}

static void p_time(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = 0;
	p->window_ns = 100000000;
}

static void p_topk(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->hot_kind = HOT_TOPK;
	p->hot_topk = 500;
}

static void p_big_window(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = 32768;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void throughput(const struct scenario *s, const struct heat_event *ev, size_t n)
{
	struct hotspot_params p;
	struct engine_stats st;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_map map = { .name = "@h", .dims = 1 };
	struct engine *e, *engines[1];
	char *buf = NULL;
	size_t len, i;
	double t0, t, t_push = 1e30, t_replay = 1e30;
	unsigned run;
	FILE *f;

	s->params(&p);
	f = open_memstream(&buf, &len);
#if ENGINE_API >= 2
	map.rows = 1;
	map.cols = s->length;
	w = trace_writer__new(f, &map, 1, NULL);
#else
	w = trace_writer__new(f, &map, 1);
#endif
	trace_writer__events(w, 0, ev, n);
	trace_writer__finish(w);
	trace_writer__free(w);
	fclose(f);
	for (run = 0; run < RUNS; run++) {
		e = engine__new("@h", 1, &p);
#if ENGINE_API >= 2
		engine__set_extent(e, 1, s->length);
#endif
		t0 = cpu_now();
		for (i = 0; i < n; i += 4096)
			engine__push(e, ev + i, n - i < 4096 ? n - i : 4096);
		engine__flush(e);
		t = cpu_now() - t0;
		t_push = t < t_push ? t : t_push;
		engine__stats(e, &st);
		engine__free(e);

		r = trace_reader__new_mem(buf, len);
		engines[0] = engine__new("@h", 1, &p);
#if ENGINE_API >= 2
		engine__set_extent(engines[0], 1, s->length);
#endif
		t0 = cpu_now();
		if (trace_replay(r, engines))
			printf("  replay failed\n");
		t = cpu_now() - t0;
		t_replay = t < t_replay ? t : t_replay;
		engine__free(engines[0]);
		trace_reader__free(r);
	}
	free(buf);
	printf("  %-44s %10zu %8lu %9lu %10.1f %12.1f\n", s->name, n, (unsigned long)st.windows,
	       (unsigned long)st.active, n / t_push / 1e6, n / t_replay / 1e6);
	fflush(stdout);
}

struct closer {
	double *t;
	size_t n, cap;
};

static void window_close(const char *name, void (*params)(struct hotspot_params *p),
			 double rate, unsigned windows)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct engine_stats st;
	struct streamgen *g;
	struct engine *e;
	struct heat_event *ev;
	double *t = malloc(windows * sizeof(*t)), active = 0, clusters = 0;
	size_t W, i;
	unsigned k;

	params(&p);
	W = p.window_events;
	ev = malloc(W * sizeof(*ev));
	big_stream(&c, rate, 1000000);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
#if ENGINE_API >= 2
	engine__set_extent(e, 1, 1000000);
#endif
	/* warm up: 12 windows (halflives) */
	for (i = 0; i < 12; i++) {
		streamgen__fill(g, ev, W);
		engine__push(e, ev, W);
	}
	for (k = 0; k < windows; k++) {
		const struct engine_snapshot *s;
		double t0;

		streamgen__fill(g, ev, W);
		engine__push(e, ev, W - 1);
		t0 = cpu_now();
		engine__push(e, ev + W - 1, 1);
		t[k] = cpu_now() - t0;
		engine__stats(e, &st);
		active += (double)st.active;
		s = engine__snapshot_get(e);
		clusters += (double)engine_snapshot__cluster_count(s);
		engine_snapshot__put(s);
	}
	qsort(t, windows, sizeof(*t), cmp_double);
	printf("  %-34s %9.0f %8.1f %9.3f %9.3f %9.3f\n", name, active / windows,
	       clusters / windows, t[windows / 2] * 1e3, t[windows * 99 / 100] * 1e3,
	       t[windows - 1] * 1e3);
	engine__free(e);
	streamgen__free(g);
	free(ev);
	free(t);
}

static void memory(void (*params)(struct hotspot_params *p), const char *name, double rate,
		   uint64_t length)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct engine_stats st;
	struct streamgen *g;
	struct engine *e;
	struct heat_event ev[1024];
	size_t i, before, after;

	big_stream(&c, rate, length);
	params(&p);
	g = streamgen__new(&c);
	malloc_trim(0);
	before = mallinfo2().uordblks;
	e = engine__new("@h", 1, &p);
#if ENGINE_API >= 2
	engine__set_extent(e, 1, length);
#endif
	/* 12 windows' worth of events */
	for (i = 0; i < 12 * (p.window_events ? p.window_events : 100000); i += 1024) {
		streamgen__fill(g, ev, 1024);
		engine__push(e, ev, 1024);
	}
	after = mallinfo2().uordblks;
	engine__stats(e, &st);
	printf("  %-22s %8lu indices %9lu active %10lu B (engine) %10zu B (heap)"
	       "  %5.1f / %5.1f B per active index\n", name, (unsigned long)length,
	       (unsigned long)st.active, (unsigned long)st.memory, after - before,
	       (double)st.memory / st.active, (double)(after - before) / st.active);
	engine__free(e);
	streamgen__free(g);
}

int main(int argc, char **argv)
{
	static const struct scenario sc[] = {
		{ "defaults (window 1024), 1M array", 100000, 1000000, p_defaults },
		{ "defaults, 10k array", 100000, 10000, p_defaults },
		{ "window 4096, 1M array", 100000, 1000000, p_window4096 },
		{ "hot = top(500), 1M array", 100000, 1000000, p_topk },
		{ "time window 100ms, 1M array, 1M ev/s", 1000000, 1000000, p_time },
	};
	size_t n = 10000000, k;
	struct heat_event *ev = malloc(n * sizeof(*ev));
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
	printf("engine: replay throughput, one core (10M generated events, best of %d, CPU time)\n",
	       RUNS);
	printf("  %-44s %10s %8s %9s %10s %12s\n", "scenario", "events", "windows", "active",
	       "Mev/s push", "Mev/s replay");
	for (k = 0; k < sizeof(sc) / sizeof(sc[0]); k++) {
		struct streamgen_config c;
		struct streamgen *g;

		big_stream(&c, sc[k].rate, sc[k].length);
		g = streamgen__new(&c);
		streamgen__fill(g, ev, n);
		streamgen__free(g);
		throughput(&sc[k], ev, n);
	}
	free(ev);
	if (argc > 1 && !strcmp(argv[1], "-t"))
		return 0;

	printf("\nengine: time to close one window (ms), 1M array, half the accesses uniform\n");
	printf("  %-34s %9s %8s %9s %9s %9s\n", "hotspot", "active", "clusters", "p50", "p99",
	       "max");
	window_close("defaults (window 1024)", p_defaults, 100000, 3000);
	window_close("window 32768 (~100k active)", p_big_window, 100000, 200);

	printf("\nengine: memory at steady state\n");
	memory(p_defaults, "defaults", 100000, 1000000);
	memory(p_defaults, "defaults", 100000, 10000);
	memory(p_big_window, "window 32768", 100000, 1000000);
	return 0;
}
