// SPDX-License-Identifier: MIT
/*
 * The clustering engine (SW-Cluster): one engine per heat map turns a stream
 * of array accesses (index, time) into hot spans, their hotness and their
 * drift, one window at a time. docs/engine.md explains the algorithm and
 * every parameter.
 *
 * Threads: one thread (the ringbuf consumer, or replay) owns an engine and
 * calls engine__push() and friends; any number of reader threads may take
 * snapshots with engine__snapshot_get() without ever blocking it.
 */
#ifndef HOTSPAN_RUNTIME_ENGINE_H
#define HOTSPAN_RUNTIME_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/params.h"

/*
 * One access. 1-D maps put the index in `col` and leave `row` 0 (the engine
 * ignores it); 2-D maps (`[R][C]` arrays) give both. Indices must fit the
 * engine's compact keys: 0 <= col < 2^32 in 1-D, 0 <= row, col < 2^16 in
 * 2-D; other events are counted as dropped, never silently lost.
 */
struct heat_event {
	uint64_t ts_ns;
	int64_t row;
	int64_t col;
};

/* Cluster states, as printed in the table and in JSON. */
enum cluster_state {
	CLUSTER_NEW,			/* appeared this window */
	CLUSTER_STABLE,			/* kept its place */
	CLUSTER_DRIFTING,		/* drift declared and not yet settled */
	CLUSTER_SPLIT,			/* born of a split this window */
	CLUSTER_MERGED,			/* absorbed other clusters this window */
};

/* One cluster of one window. For 1-D maps only the [0] members are used. */
struct engine_cluster {
	uint64_t id;			/* kept across windows while the cluster moves */
	int64_t lo[2];			/* span [lo, hi): [0] index (1-D) or row, [1] col */
	int64_t hi[2];
	uint64_t elements;		/* hot indices in the cluster */
	double share;			/* of the map's decayed accesses, 0..1 */
	double hotness;			/* decayed accesses to the cluster's hot indices */
	double centre[2];		/* hotness-weighted */
	double sigma;			/* local standard deviation */
	double delta;			/* centre shift since the reference, in sigmas */
	enum cluster_state state;
};

/* Events between clusters of consecutive windows. */
enum cluster_event_kind {
	CEV_APPEAR,			/* a cluster with no ancestor */
	CEV_VANISH,			/* a cluster with no descendant */
	CEV_SPLIT,			/* `id` was split off `other` */
	CEV_MERGE,			/* `id` was merged into `other` */
	CEV_DRIFT,			/* drift declared for `id` (see reason) */
	CEV_SETTLE,			/* a drifting cluster stopped moving */
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
const char *engine__name(const struct engine *e);
unsigned engine__dims(const struct engine *e);

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
uint64_t engine_snapshot__active(const struct engine_snapshot *s);
uint64_t engine_snapshot__hot(const struct engine_snapshot *s);
double engine_snapshot__threshold(const struct engine_snapshot *s);
double engine_snapshot__eps(const struct engine_snapshot *s);
size_t engine_snapshot__cluster_count(const struct engine_snapshot *s);
const struct engine_cluster *engine_snapshot__cluster(const struct engine_snapshot *s, size_t i);
size_t engine_snapshot__event_count(const struct engine_snapshot *s);
const struct cluster_event *engine_snapshot__event(const struct engine_snapshot *s, size_t i);

/* Renderers: they write to the FILE * given and return 0 or -EIO. */
int engine_snapshot__print_table(const struct engine_snapshot *s, FILE *f);
/* One JSON line for the window, then one per cluster event. */
int engine_snapshot__print_json(const struct engine_snapshot *s, FILE *f);
/* The end-of-run summary: every cluster ever seen. */
int engine__print_summary(const struct engine *e, FILE *f);
int engine__print_summary_json(const struct engine *e, FILE *f);

const char *cluster_state_name(enum cluster_state st);
const char *cluster_event_name(enum cluster_event_kind k);
const char *drift_reason_name(enum drift_reason r);

#endif
