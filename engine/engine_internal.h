// SPDX-License-Identifier: MIT
/*
 * What the engine's files share and nobody else sees: the engine and
 * snapshot layouts, the segmentation entry point and the tracker.
 */
#ifndef HOTSPAN_RUNTIME_ENGINE_INTERNAL_H
#define HOTSPAN_RUNTIME_ENGINE_INTERNAL_H

#include <stdatomic.h>

#include "engine/engine.h"

#define ENGINE_SITE_TALLY	16	/* sites a track keeps counts of */

/* One active index: its compact key and its hotness times the boost g. */
struct hslot {
	uint32_t key;
	float v;
};

/* One event of the current window, until a fold adds it to the run. */
struct hlog {
	uint32_t key;
	float w;			/* the boost g when it happened */
	uint32_t site;
};

/*
 * The current window's accesses, folded: how many per key and site, by key
 * (a count past 65535 continues in another entry).
 */
struct hcur {
	uint32_t key;
	uint16_t site;			/* sites past 65535 share the last */
	uint16_t n;
};

/* A past window's accesses per key. */
struct hcount {
	uint32_t key;
	uint32_t n;
};

struct site_tally {
	uint32_t site;
	double n;
};

/* A cluster found in a window, with the sites of this window's accesses to it. */
struct seg_cluster {
	struct engine_cluster c;
	double hot_share;		/* decayed share (c.share is what is reported) */
	unsigned nsites;
	struct site_tally site[ENGINE_SITE_TALLY];
	uint64_t cur;			/* this window's accesses in the span */
	double expect;			/* ... what its hotness predicts */
	bool fading;			/* far fewer than that (first window of it) */
	bool returning;			/* its accesses come back to its keys */
	bool dropped;			/* the tracker found it moved away: not shown */
};

/* A span or box: [lo, hi) in 1-D ([0] only), [lo0, hi0) x [lo1, hi1) in 2-D. */
struct seg_box {
	int64_t lo[2], hi[2];
};

/* A list of them. */
struct seg_boxes {
	struct seg_box *v;
	size_t n, cap;
};

/* What segmentation sees of a window. */
struct seg_input {
	unsigned dims;
	const struct hslot *run;	/* sorted by key */
	size_t n;
	const struct hcur *cur;		/* sorted by key */
	size_t ncur;
	uint64_t cur_events;		/* this window's accesses (valid keys) */
	double inv_g;			/* actual = stored * inv_g */
	double total;			/* actual decayed accesses, evicted ones included */
	double total2;			/* the sum of their squared weights (the total's variance) */
	double win_mass;		/* this window's accesses' part of the total */
	uint64_t ext_rows, ext_cols;	/* 0: unknown */
	const struct hotspot_params *p;
	const struct engine_cluster *prev;	/* last window's clusters: hysteresis */
	size_t nprev;
	/* Evidence across windows of places being left (cluster.c, step 3). */
	const struct seg_boxes *faded;	/* far below their share last window */
	const struct seg_boxes *left;	/* found left last window */
	unsigned retless_run;		/* windows in a row with a returnless span */
	const struct hcount *past[3];	/* accesses per key, 1, 2 and 3 windows ago */
	size_t npast[3];
};

struct seg_output {
	struct seg_cluster *cl;		/* malloc'd, sorted by span */
	size_t ncl;
	struct engine_scattered scat;
	double uniform, background;
	struct seg_boxes fading, left;	/* this window's, malloc'd */
	struct seg_boxes judged;	/* pieces judged: past accesses are kept there */
	bool any_retless;		/* a span whose accesses did not come back */
};

int engine_segment(const struct seg_input *in, struct seg_output *out);

/* A cluster followed across windows. */
struct track {
	struct engine_cluster c;	/* its latest view */
	double hot_share;		/* its decayed share then */
	double ref[2];			/* reference centre: birth, last settle or drift */
	double prev[2];			/* centre in the previous window */
	double ref_n, prev_n;		/* elements at the reference, in the previous window */
	int64_t ref_lo[2], ref_hi[2];	/* span at the reference */
	int64_t prev_lo[2], prev_hi[2];	/* span in the previous window */
	double var;			/* sigma^2 this window */
	unsigned shift_run;		/* windows in a row with delta above threshold */
	unsigned quiet_run;		/* drifting: windows in a row below threshold */
	unsigned spread_run;		/* windows in a row with the variance grown */
	unsigned pace;			/* drifting: windows it took to move threshold sigmas */
	uint64_t ref_window;		/* when the reference was set */
	double ref_var;			/* sigma^2 at the reference */
	unsigned age;			/* windows since birth, split, merge or move */
	unsigned seen;			/* windows reported in a row */
	unsigned missing;		/* windows not reported in a row */
	bool step;			/* last window's one-window step was above threshold */
	bool drifting;
	bool announced;			/* its appear (or split) event went out */
	bool returned;			/* its accesses came back in some window */
	uint64_t from;			/* born of a split of this id (0: alone) */
	uint64_t into;			/* absorbed by this id while missing (0: not) */
	uint64_t born_ns;		/* end of the window it was first seen in */
	int64_t born_lo[2], born_hi[2];	/* its span then */
	unsigned nsites;
	struct site_tally site[ENGINE_SITE_TALLY];	/* decayed counts */
	size_t hist;			/* index into engine->history, or SIZE_MAX */
};

/* Every announced cluster, for the summary. */
struct track_history {
	struct engine_history h;
	struct engine_step *steps;
	size_t steps_cap;
	double share_sum;
};

struct engine_snapshot {
	atomic_int refs;
	unsigned dims;
	uint64_t window, events, lost, dropped, active;
	uint64_t start_ns, end_ns, origin_wall;
	double uniform, background;
	size_t nclusters, nevents;
	struct engine_cluster *clusters;	/* sorted by span */
	struct cluster_event *events_v;
	struct engine_scattered scat;
	char map[];
};

struct engine {
	char *name;
	unsigned dims;
	struct hotspot_params p;
	engine_window_fn cb;
	void *cb_ctx;
	uint64_t ext_rows, ext_cols;
	uint64_t origin, origin_wall;
	bool have_origin;

	/* Decay: stored = actual * g; g grows by inv_decay an event, or with time. */
	double g;
	double inv_decay;		/* per-event decay; 1 when by time */
	double halflife_ns;		/* time decay; 0 when per event */
	double log2g_base;		/* time decay: g = 2^((t - t0) / halflife - base) */
	uint64_t t0, last_ts;
	bool have_ts;
	double total;			/* every access's boosted weight, evicted ones included */
	double total2;			/* the sum of their squares */
	double total_close;		/* total at the last window close */

	/* Hotness: the active indices sorted by key, and this window's log. */
	struct hslot *run;
	size_t nrun, run_cap;
	struct hlog *log;
	size_t nlog, log_cap;
	struct hcur *cur;
	size_t ncur, cur_cap;
	uint64_t cur_events;
	void *scratch;			/* sorting and merging, reused */
	size_t scratch_cap;
	double g_close;			/* g at the last window close (site tallies decay) */

	/* Windows. */
	uint64_t win_no, win_events, win_lost, win_dropped;
	uint64_t win_start, win_end;	/* time windows */
	uint64_t win_first_ts, win_last_ts;
	bool win_any_ts;

	/* Tracking. */
	struct track *tracks;
	size_t ntracks;
	uint64_t next_id;
	struct track_history *history;
	size_t nhistory, history_cap;
	double site_decay;		/* factor for site tallies this window */
	struct engine_cluster *prev;	/* last window's clusters (hysteresis) */
	size_t nprev, prev_cap;
	struct seg_boxes faded, left;	/* see struct seg_input */
	unsigned retless_run;
	struct hcount *past[3];
	size_t npast[3];

	/* Run totals. */
	uint64_t events, lost, dropped, windows;

	/* Snapshots. */
	_Atomic(struct engine_snapshot *) current;
	atomic_uint readers;
	struct engine_snapshot **retired;
	size_t nretired, retired_cap;
};

/*
 * Matches this window's clusters to the tracks (giving ids and states),
 * emitting events into *ev (malloc'd) and recording history.
 */
int engine_track_window(struct engine *e, struct seg_cluster *cl, size_t ncl,
			uint64_t end_ns, struct cluster_event **ev, size_t *nev);

int engine_grow(void **a, size_t *cap, size_t need, size_t elem);

static inline int64_t engine_key_row(unsigned dims, uint32_t key)
{
	return dims == 2 ? (int64_t)(key >> 16) : 0;
}

static inline int64_t engine_key_col(unsigned dims, uint32_t key)
{
	return dims == 2 ? (int64_t)(key & 0xffff) : (int64_t)key;
}

#endif
