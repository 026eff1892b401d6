// SPDX-License-Identifier: MIT
/*
 * Recorded access streams (`hotspan record -o FILE`, `hotspan replay FILE`):
 * a versioned binary file holding every heat map's name and dimensions,
 * then the events and lost counts in the order they were seen. The reader
 * checks everything and answers a negative errno for any file that is not
 * whole and sound: -EBADMSG (not a trace, or corrupt), -EPROTONOSUPPORT
 * (a version it does not know), -ENODATA (truncated). The layout is in
 * docs/engine.md.
 */
#ifndef HOTSPAN_RUNTIME_TRACE_H
#define HOTSPAN_RUNTIME_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"

#define TRACE_VERSION		2	/* 1 (no sites, extents or origin) is read too */
#define TRACE_MAX_MAPS		256
#define TRACE_MAX_NAME		255
#define TRACE_MAX_SITES		65536
#define TRACE_MAX_SITE_NAME	1024
#define TRACE_MAX_BATCH		65536	/* events in one record */

struct trace_map {
	const char *name;
	unsigned dims;		/* 1 or 2 */
	uint64_t rows, cols;	/* the array's extent (engine__set_extent), 0 if unknown */
};

/*
 * What replay needs to print what the live run printed: where times count
 * from, and the names of the access sites events carry (site i of an event
 * is sites[i]; names may be empty).
 */
struct trace_info {
	uint64_t origin_ns;		/* CLOCK_MONOTONIC at the start */
	uint64_t origin_wall_ns;	/* the wall clock then, ns since the epoch (0: unknown) */
	const char *const *sites;
	unsigned nsites;		/* at most TRACE_MAX_SITES */
};

struct trace_writer;

/*
 * Writes the header to f (which the caller opens and closes); info may be
 * NULL (no origin, no site names: every event's site must be 0). NULL +
 * errno.
 */
struct trace_writer *trace_writer__new(FILE *f, const struct trace_map *maps, unsigned nmaps,
				       const struct trace_info *info);
int trace_writer__events(struct trace_writer *w, unsigned map, const struct heat_event *ev,
			 size_t n);
int trace_writer__lost(struct trace_writer *w, unsigned map, uint64_t n);
/* Writes the end record and flushes; a trace without it reads as truncated. */
int trace_writer__finish(struct trace_writer *w);
void trace_writer__free(struct trace_writer *w);

enum trace_kind {
	TRACE_EVENTS = 1,	/* ev[0..n) of map */
	TRACE_LOST = 2,		/* lost events of map */
	TRACE_END = 3,		/* the trace is whole */
};

struct trace_record {
	enum trace_kind kind;
	unsigned map;
	const struct heat_event *ev;	/* valid until the next call */
	size_t n;
	uint64_t lost;
};

struct trace_reader;

/* Reads and checks the header. NULL + errno (EBADMSG, EPROTONOSUPPORT, ENODATA, ENOMEM). */
struct trace_reader *trace_reader__new(FILE *f);
/* The same over a buffer the caller keeps alive (fuzzing, tests). */
struct trace_reader *trace_reader__new_mem(const void *buf, size_t len);
/* For fuzzing only: wrong checksums pass, so that mutated input reaches the
 * decoding and the engines behind them. */
struct trace_reader *trace_reader__new_mem_unchecked(const void *buf, size_t len);
void trace_reader__free(struct trace_reader *r);
unsigned trace_reader__map_count(const struct trace_reader *r);
const char *trace_reader__map_name(const struct trace_reader *r, unsigned map);
unsigned trace_reader__map_dims(const struct trace_reader *r, unsigned map);
uint32_t trace_reader__version(const struct trace_reader *r);
void trace_reader__map_extent(const struct trace_reader *r, unsigned map, uint64_t *rows,
			      uint64_t *cols);
/* The origin and site names (version 1 traces: none; origin 0). */
void trace_reader__info(const struct trace_reader *r, struct trace_info *info);
/* 0 and the next record (TRACE_END once the trace is done), or a negative errno. */
int trace_reader__next(struct trace_reader *r, struct trace_record *rec);

/*
 * Feeds a whole trace to engines[map] (NULL skips a map), flushing every
 * engine at the end. Deterministic: the same trace and parameters give the
 * same windows, snapshots and output bytes.
 */
int trace_replay(struct trace_reader *r, struct engine **engines);

#endif
