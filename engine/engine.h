// SPDX-License-Identifier: MIT
/*
 * The clustering engine (SW-Cluster): one engine per heat map turns a stream
 * of array accesses (index, time, access site) into hot spans, their share
 * of the accesses, the code behind them and their moves, one window at a
 * time. docs/engine.md explains the method and every parameter.
 *
 * Threads: one thread (the ringbuf consumer, or replay) owns an engine and
 * calls engine__push() and friends; any number of reader threads may take
 * snapshots with engine__snapshot_get() without ever blocking it.
 *
 * The engine never prints: output/snapshot.h renders snapshots and
 * summaries through the accessors below.
 */
#ifndef HOTSPAN_RUNTIME_ENGINE_H
#define HOTSPAN_RUNTIME_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/params.h"

/*
 * The API's generation: 2 since sites, extents and trace information
 * (tests/bench/engine_vs.sh builds one benchmark against older engines).
 */
#define ENGINE_API 2

/*
 * One access. 1-D maps put the index in `col` and leave `row` 0 (the engine
 * ignores it); 2-D maps (`[R][C]` arrays) give both. Indices must fit the
 * engine's compact keys: 0 <= col < 2^32 in 1-D, 0 <= row, col < 2^16 in
 * 2-D; other events are counted as dropped, never silently lost. `site`
 * names the code that made the access (the probe), for the top sites.
 */
struct heat_event {
	uint64_t ts_ns;
	int64_t row;
	int64_t col;
	uint32_t site;
	uint32_t pad;			/* 0 */
};

/* Cluster states, as printed in the table and in JSON. */
enum cluster_state {
	CLUSTER_NEW,			/* seen for fewer than `persist` windows */
	CLUSTER_STABLE,			/* kept its place */
	CLUSTER_DRIFTING,		/* drift declared and not yet settled */
	CLUSTER_SPLIT,			/* born of a split, not yet confirmed */
	CLUSTER_MERGED,			/* absorbed another cluster */
	CLUSTER_MOVED,			/* jumped here this window (a `move` event) */
};

/* The access sites that hit a cluster most, with their shares of its accesses. */
#define ENGINE_TOP_SITES 3
struct engine_site_share {
	uint32_t site;
	double share;
};

/* One cluster of one window. For 1-D maps only the [0] members are used. */
struct engine_cluster {
	uint64_t id;			/* kept across windows while the cluster moves */
	int64_t lo[2];			/* span [lo, hi): [0] index (1-D) or row, [1] col */
	int64_t hi[2];
	uint64_t elements;		/* active indices in the span */
	double share;			/* decayed accesses in [lo, hi) over all, 0..1 */
	double window_share;		/* this window's accesses in [lo, hi) over its accesses */
	double hotness;			/* decayed accesses in [lo, hi) */
	double centre[2];		/* hotness-weighted */
	double sigma;			/* hotness-weighted standard deviation */
	double delta;			/* centre shift since the reference, in sigmas */
	enum cluster_state state;
	unsigned nsites;
	struct engine_site_share sites[ENGINE_TOP_SITES];
};

/*
 * Hot single indices that belong to no span (a hashed table's hot buckets):
 * how many, their share, and the hottest few.
 */
#define ENGINE_TOP_POINTS 5
struct engine_point {
	int64_t at[2];			/* [0] index (1-D) or row, [1] col */
	double share;
};
struct engine_scattered {
	uint64_t count;
	double share;
	unsigned ntop;
	struct engine_point top[ENGINE_TOP_POINTS];
};

/* Events between clusters of consecutive windows. */
enum cluster_event_kind {
	CEV_APPEAR,			/* a cluster with no ancestor, seen `persist` windows */
	CEV_VANISH,			/* a cluster gone for `persist` windows */
	CEV_SPLIT,			/* `id` was split off `other` */
	CEV_MERGE,			/* `id` was merged into `other` */
	CEV_DRIFT,			/* drift declared for `id` (see reason) */
	CEV_SETTLE,			/* a drifting cluster stopped moving */
	CEV_MOVE,			/* `id` jumped from [from_lo, from_hi) to [lo, hi) */
};

enum drift_reason {
	DRIFT_NONE,
	DRIFT_SHIFT,			/* delta above threshold for drift_windows windows */
	DRIFT_JUMP,			/* a one-window step above threshold, confirmed */
	DRIFT_SPREAD,			/* variance up by more than drift_var_growth */
};

struct cluster_event {
	enum cluster_event_kind kind;
	uint64_t id;
	uint64_t other;			/* split: parent; merge: survivor; else 0 */
	enum drift_reason reason;	/* drift only */
	double delta;			/* drift: delta, or the variance ratio for spread */
	double centre[2];
	double share;			/* the cluster's share when the event fired */
	int64_t lo[2], hi[2];		/* its span then (move: where it went) */
	int64_t from_lo[2], from_hi[2];	/* move: where it was */
};

struct engine;
struct engine_snapshot;

/*
 * Called on the pushing thread each time a window closes, with the new
 * snapshot (valid during the call; take a reference with
 * engine_snapshot__get_ref() to keep it). Windows are delivered in order,
 * so renderers called from here give byte-identical replays.
 */
typedef void (*engine_window_fn)(void *ctx, const struct engine_snapshot *s);

struct engine *engine__new(const char *map_name, unsigned dims, const struct hotspot_params *p);
void engine__free(struct engine *e);
void engine__set_window_cb(struct engine *e, engine_window_fn fn, void *ctx);
/*
 * The array's extent when it is known (an access probe on an array of
 * constant length): 1-D cols = length (rows ignored), 2-D rows x cols. The
 * uniform level that hotness is measured against is the total over the
 * extent; without one, over the span of the indices seen. 0 = unknown.
 */
void engine__set_extent(struct engine *e, uint64_t rows, uint64_t cols);
/*
 * Where window times count from (the trace's start, CLOCK_MONOTONIC ns)
 * and the wall-clock time (ns since the epoch, 0 if unknown) of that
 * moment. Without it (or with mono_ns 0), times count from the map's
 * first event.
 */
void engine__set_origin(struct engine *e, uint64_t mono_ns, uint64_t wall_ns);

/* Feeds events in order; closes windows as they fill (calling the callback). */
int engine__push(struct engine *e, const struct heat_event *ev, size_t n);
/* Events the ringbuf lost; counted in the current window. */
int engine__add_lost(struct engine *e, uint64_t n);
/* Time windows: closes the current window if now_ns is past its end. */
int engine__tick(struct engine *e, uint64_t now_ns);
/* Closes the current partial window, if it saw any event or loss. */
int engine__flush(struct engine *e);

/* Counters of the whole run. */
struct engine_stats {
	uint64_t windows;
	uint64_t events;
	uint64_t lost;
	uint64_t dropped;		/* indices outside the compact key range */
	uint64_t active;		/* indices with a hotness now */
	uint64_t memory;		/* bytes the engine holds */
	uint64_t clusters;		/* ids given so far */
};
void engine__stats(const struct engine *e, struct engine_stats *st);
/* The hotness of one index now (decayed accesses), 0 if it is not active. */
double engine__hotness(const struct engine *e, int64_t row, int64_t col);
const char *engine__name(const struct engine *e);
unsigned engine__dims(const struct engine *e);
const struct hotspot_params *engine__params(const struct engine *e);
uint64_t engine__origin_wall(const struct engine *e);

/*
 * Every cluster the run has seen (for the summary): its first and last
 * window (and their times), its span then, its mean and peak share while
 * reported, how it ended, and the path of its moves and drifts.
 */
enum cluster_end {
	CLUSTER_ALIVE,
	CLUSTER_VANISHED,
	CLUSTER_MERGED_AWAY,
};
struct engine_step {
	uint64_t window;
	uint64_t ns;			/* the window's end, since the origin */
	enum cluster_event_kind kind;	/* CEV_MOVE or CEV_DRIFT */
	int64_t lo[2], hi[2];		/* where it went */
};
struct engine_history {
	uint64_t id;
	uint64_t first, last;		/* windows */
	uint64_t first_ns, last_ns;	/* their ends, since the origin */
	int64_t first_lo[2], first_hi[2];
	int64_t lo[2], hi[2];		/* last span */
	double mean_share, peak_share;
	uint64_t reported;		/* windows it was reported in */
	enum cluster_end end;
	uint64_t from;			/* split off, 0 if born alone */
	uint64_t into;			/* merged into */
	size_t nsteps;
	const struct engine_step *steps;
	unsigned nsites;
	struct engine_site_share sites[ENGINE_TOP_SITES];
};
/* Clusters that were ever announced (a flicker shorter than `persist` is not). */
size_t engine__history_count(const struct engine *e);
const struct engine_history *engine__history(const struct engine *e, size_t i);

/*
 * Snapshots: immutable and refcounted. engine__snapshot_get() returns the
 * latest published one (NULL before the first window) with a reference the
 * caller drops with engine_snapshot__put(); it never blocks the engine.
 */
const struct engine_snapshot *engine__snapshot_get(struct engine *e);
const struct engine_snapshot *engine_snapshot__get_ref(const struct engine_snapshot *s);
void engine_snapshot__put(const struct engine_snapshot *s);

const char *engine_snapshot__map(const struct engine_snapshot *s);
unsigned engine_snapshot__dims(const struct engine_snapshot *s);
uint64_t engine_snapshot__window(const struct engine_snapshot *s);
uint64_t engine_snapshot__events(const struct engine_snapshot *s);	/* in this window */
uint64_t engine_snapshot__lost(const struct engine_snapshot *s);	/* in this window */
uint64_t engine_snapshot__dropped(const struct engine_snapshot *s);	/* in this window */
uint64_t engine_snapshot__active(const struct engine_snapshot *s);
/* The window's first and last moments, ns since the origin; the origin's wall clock. */
uint64_t engine_snapshot__start_ns(const struct engine_snapshot *s);
uint64_t engine_snapshot__end_ns(const struct engine_snapshot *s);
uint64_t engine_snapshot__origin_wall(const struct engine_snapshot *s);
/* Hotness per index if access were uniform over the extent, and outside the hot spans. */
double engine_snapshot__uniform(const struct engine_snapshot *s);
double engine_snapshot__background(const struct engine_snapshot *s);
size_t engine_snapshot__cluster_count(const struct engine_snapshot *s);
const struct engine_cluster *engine_snapshot__cluster(const struct engine_snapshot *s, size_t i);
const struct engine_scattered *engine_snapshot__scattered(const struct engine_snapshot *s);
size_t engine_snapshot__event_count(const struct engine_snapshot *s);
const struct cluster_event *engine_snapshot__event(const struct engine_snapshot *s, size_t i);

const char *cluster_state_name(enum cluster_state st);
const char *cluster_event_name(enum cluster_event_kind k);
const char *drift_reason_name(enum drift_reason r);
const char *cluster_end_name(enum cluster_end end);

#endif
