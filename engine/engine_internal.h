// SPDX-License-Identifier: MIT
/*
 * What the engine's files share and nobody else sees: the engine and
 * snapshot layouts, the clustering entry point and the tracker.
 */
#ifndef HOTSPAN_RUNTIME_ENGINE_INTERNAL_H
#define HOTSPAN_RUNTIME_ENGINE_INTERNAL_H

#include <stdatomic.h>

#include "engine/engine.h"

/* Hotness histogram: positive float bit patterns >> 19 (16 buckets an octave). */
#define ENGINE_HIST_SHIFT	19
#define ENGINE_HIST_SIZE	(1u << (31 - ENGINE_HIST_SHIFT))
#define ENGINE_VAR_HISTORY	5

/* One index: a compact key and its hotness, boosted by the engine's g. v == 0: empty. */
struct hslot {
	uint32_t key;
	float v;
};

/* A hot point handed to clustering; v is the actual (decayed) hotness. */
struct hot_point {
	uint32_t key;
	float v;
};

/* A cluster followed across windows. */
struct track {
	struct engine_cluster c;	/* this window's view */
	double ref[2];			/* reference centre: birth, last settle or drift */
	double prev[2];			/* centre in the previous window */
	double ref_n, prev_n;		/* elements at the reference, in the previous window */
	int64_t ref_lo[2], ref_hi[2];	/* span at the reference */
	int64_t prev_lo[2], prev_hi[2];	/* span in the previous window */
	double var;			/* sigma^2 this window */
	double var_hist[ENGINE_VAR_HISTORY];
	unsigned nvar;			/* valid entries of var_hist, ring by window */
	unsigned shift_run;		/* windows in a row with delta above threshold */
	unsigned quiet_run;		/* drifting: windows in a row below threshold */
	unsigned age;			/* windows since birth, split or merge */
	bool step;			/* last window's one-window step was above threshold */
	bool drifting;
	size_t hist;			/* index into engine->history */
};

/* Every cluster ever seen, for the summary. */
enum track_end {
	TRACK_ALIVE,
	TRACK_VANISHED,
	TRACK_MERGED,
};

struct track_history {
	uint64_t id;
	uint64_t first, last;		/* windows */
	int64_t lo[2], hi[2];		/* last span */
	double peak_hotness, peak_share;
	unsigned drifts;
	enum track_end end;
	uint64_t into;			/* merged into */
	uint64_t from;			/* split off, 0 if born alone */
};

struct engine_snapshot {
	atomic_int refs;
	unsigned dims;
	uint64_t window, events, lost, dropped, active, hot;
	double threshold, eps;
	size_t nclusters, nevents;
	struct engine_cluster *clusters;	/* sorted by span */
	struct cluster_event *events_v;
	char map[];
};

/* A growable array of bytes, reused across windows. */
struct ebuf {
	void *p;
	size_t cap;
};

struct engine {
	char *name;
	unsigned dims;
	struct hotspot_params p;
	engine_window_fn cb;
	void *cb_ctx;

	/* Hotness: open addressing, linear probing, backward-shift deletion. */
	struct hslot *slot;
	uint32_t cap, live, cursor;
	uint32_t *hist;
	unsigned hmax;			/* highest bucket that may be non-zero */
	double g;			/* stored hotness = actual hotness * g */
	double inv_decay;		/* per-event decay: g *= inv_decay */
	double log2g_base;		/* time decay: g = 2^(dt / halflife - base) */
	uint64_t t0, last_ts;
	bool have_ts;
	double total;			/* sum of stored hotness, boosted like slots */

	/*
	 * Candidates: every index with stored hotness >= t_cand, and every
	 * index hot in the last window, is in cpts (sorted, with its value
	 * at the last window close) or, if an event touched it since, in
	 * cand (in event order, repeated, each with the value that event
	 * left). Events record the values of indices at t_cand or above, or
	 * that were at t_rec or above before the event: t_rec is the lowest
	 * of t_cand and the last window's hot values. cand_stale: an index
	 * at t_rec or above was evicted, so the values need looking up.
	 */
	struct hot_point *cpts;
	size_t ncpts, cpts_cap;
	struct hot_point *cand;
	size_t ncand, cand_cap;
	float t_cand, t_rec;
	bool cand_stale;

	/* The previous window's hot set, sorted (hysteresis). */
	uint32_t *prev_hot;
	size_t nprev_hot, prev_hot_cap;

	/* Windows. */
	uint64_t win_no, win_events, win_lost, win_dropped;
	uint64_t win_start, win_end;	/* time windows */
	bool win_open;

	/* Tracking. */
	struct track *tracks;
	size_t ntracks;
	uint64_t next_id;
	struct track_history *history;
	size_t nhistory, history_cap;

	/* Run totals. */
	uint64_t events, lost, dropped, windows;
	double last_threshold, last_eps;

	/* Snapshots. */
	_Atomic(struct engine_snapshot *) current;
	atomic_uint readers;
	struct engine_snapshot **retired;
	size_t nretired, retired_cap;
};

int ebuf_reserve(struct ebuf *b, size_t bytes);

/*
 * Clusters hot points (sorted by key) of a 1-D or 2-D map: label[i] is the
 * cluster (0..*nclusters-1, numbered by first member) or -1 for noise.
 */
int engine_cluster_run(unsigned dims, const struct hot_point *pt, size_t n,
		       const struct hotspot_params *p, int32_t *label, size_t *nclusters,
		       double *eps);

/* Matches this window's clusters to the tracks, emitting events. */
int engine_track_window(struct engine *e, struct engine_cluster *cl, size_t ncl,
			struct cluster_event **ev, size_t *nev);

static inline int64_t engine_key_row(unsigned dims, uint32_t key)
{
	return dims == 2 ? (int64_t)(key >> 16) : 0;
}

static inline int64_t engine_key_col(unsigned dims, uint32_t key)
{
	return dims == 2 ? (int64_t)(key & 0xffff) : (int64_t)key;
}

#endif
