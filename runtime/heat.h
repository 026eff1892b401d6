// SPDX-License-Identifier: MIT
/*
 * The heat maps of a session: one clustering engine each, fed with the
 * accesses the BPF programs stream, printing what the engines find.
 */
#ifndef HOTSPAN_HEAT_H
#define HOTSPAN_HEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf-lib/hotspan.bpf.h"
#include "plan/plan.h"
#include "lang/diag.h"
#include "output/mapout.h"

struct heat_set;
struct trace_writer;

/* NULL and errno; a plan without heat maps gives an empty set. In text,
 * `every_window` prints each window's table (replay) instead of the latest
 * at most once a second (live). */
struct heat_set *heat_set__new(const struct plan *plan, enum out_format fmt, FILE *out,
			      bool every_window);
void heat_set__free(struct heat_set *hs);
size_t heat_set__count(const struct heat_set *hs);
/* One access from the ring buffer. */
int heat_set__record(struct heat_set *hs, const struct hs_heat_record *r);
/* Counts `lost` more dropped records against map index `map`. */
int heat_set__lost(struct heat_set *hs, unsigned map, uint64_t lost);
/* Closes time windows that ended before now_ns and, in text, prints the
 * latest table at most once a second. */
int heat_set__tick(struct heat_set *hs, uint64_t now_ns);
/*
 * Under --budget the probes are detached (pause) and attached again
 * (resume), at CLOCK_MONOTONIC times, in order. The engines see the time
 * attached only: accesses and ticks after a gap come as if it had not
 * been, so time windows and half-lives span sampled time, and a hot spot
 * does not cool while nothing is watched. 0 or -ENOMEM.
 */
int heat_set__pause(struct heat_set *hs, uint64_t now_ns);
void heat_set__resume(struct heat_set *hs, uint64_t now_ns);
/* Under --budget the probes were attached for part of the run only
 * (`ratio` of it): the engines saw a sample, and each map's summary says so. */
void heat_set__sampled(struct heat_set *hs, double ratio);
/* Closes each map's last window (printed as the windows before it), and
 * finishes the trace being recorded. Once; heat_set__finish does it if not
 * done. */
void heat_set__flush(struct heat_set *hs);
/* Closes the last window if not done and prints each map's summary. */
int heat_set__finish(struct heat_set *hs);
/* Writes every access and loss to a trace file as well (`hotspan record`). */
int heat_set__record_to(struct heat_set *hs, const struct plan *plan, FILE *f);
/* Feeds a recorded trace through the engines of the plan's heat maps of
 * the same names (`hotspan replay`), or, when the plan has no heat map (no
 * script), through engines with the defaults for every map of the trace;
 * then finishes. 0 or -errno with the reason in dl. */
int heat_set__replay(struct heat_set *hs, const struct plan *plan, FILE *trace,
		     struct diag_list *dl);

#endif
