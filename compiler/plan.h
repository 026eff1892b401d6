// SPDX-License-Identifier: MIT
/*
 * The plan: everything the compiler hands to the runtime. The BPF object in
 * memory, and beside it what the object alone cannot say: which script map
 * each BPF map holds and how to print it, and where each program attaches.
 */
#ifndef HOTSPAN_PLAN_H
#define HOTSPAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/diag.h"
#include "runtime/engine.h"

#define PLAN_MAX_KEYS 8

/* How a map's values are made and printed. */
enum agg_kind {
	AGG_COUNT,	/* count(): a per-CPU u64 summed over CPUs */
	AGG_HEAT,	/* heat(index): accesses streamed to the clustering engine */
};

struct plan_map {
	char *name;		/* "@c" as the script spells it */
	char *var;		/* the map's name in the BPF object: "m0" */
	enum agg_kind agg;
	int nkeys;		/* 0: a one-entry per-CPU array */
	bool key_signed[PLAN_MAX_KEYS];
	bool key_site[PLAN_MAX_KEYS];	/* a `site` key: printed as the site's name */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	struct src_loc loc;	/* first use */
	unsigned dims;		/* heat maps: 1 for heat(index), 2 for heat(row, col) */
	struct hotspot_params hot;	/* heat maps: the engine's parameters */
	bool has_hotspot;	/* a hotspot block set them */
};

/* The kinds of probe the language knows; runtime/provider.h has their ops. */
enum probe_kind {
	PROBE_UPROBE,	/* uprobe:PATH:FUNC */
	PROBE_BEGIN,	/* BEGIN */
	PROBE_END,	/* END */
	PROBE_ACCESS,	/* access:PATH:ARRAY or access:PATH:FUNC, one per access site */
};

#define PLAN_NO_REG (-1)

/* An indexed access where an access probe sits, as runtime/gobin.c found it.
 * Registers are byte offsets in pt_regs, PLAN_NO_REG when the value is a
 * constant. Addresses are link-time; a PIE's load bias is the probe's run-
 * time ip minus `vaddr`. */
struct plan_access {
	uint64_t vaddr;		/* where the probe sits */
	int index_reg;		/* the (column) index */
	int64_t index_const;
	int row_reg;		/* 2-D accesses: the row */
	int64_t row_const;	/* -1 for 1-D */
	int len_reg;		/* the length the index is checked against */
	int64_t len_const;
	int base_reg;		/* holds the array or slice data, or PLAN_NO_REG */
	uint64_t base_addr;	/* link-time address of a global array, else 0 */
	uint64_t elem_size;
	uint64_t row_size;	/* bytes per row of a 2-D array */
	int64_t disp;		/* offset of the accessed field inside the element */
	bool elem_signed;	/* Go's intN elements read back signed */
	char *site;		/* "main.get+0x1e main.go:27" */
};

/* One program attached at one place. An attach point that matches several
 * places (several functions, or several sites of one) gives several. */
struct plan_probe {
	enum probe_kind kind;
	char *spec;		/* the attach point as written, for messages */
	char *prog;		/* program name in the BPF object */
	char *path;		/* the file to attach to */
	char *func;		/* the function, as the Go toolchain names it */
	uint64_t file_offset;	/* where in path the uprobe sits */
	uint64_t skip_if_any_set;	/* ignore a hit when flags & this */
	uint64_t skip_if_all_clear;	/* ignore a hit when !(flags & this) */
	int ast_probe;		/* index of the probe in the script */
	struct src_loc loc;	/* the attach point in the script */
	struct plan_access access;	/* PROBE_ACCESS only */
};

struct plan {
	void *obj;		/* ELF object, loadable by libbpf */
	size_t obj_size;
	struct plan_map *maps;
	size_t nmaps;
	struct plan_probe *probes;
	size_t nprobes;
	const char *events_map;	/* ring buffer of struct hs_event_hdr records */
	const char *lost_map;	/* per-CPU array: heat records the ring buffer dropped, by map */
};

void plan_free(struct plan *p);
/* Adds a probe (strings copied); returns it, or NULL on ENOMEM. */
struct plan_probe *plan_add_probe(struct plan *p, enum probe_kind kind, const char *spec,
				  const char *path, const char *func);
struct plan_map *plan_add_map(struct plan *p, const char *name);
/* The map of that script name, or NULL. */
struct plan_map *plan_find_map(const struct plan *p, const char *name);
/* Writes the object to a file (`--emit-obj`). 0 or -errno. */
int plan_write_obj(const struct plan *p, const char *path);

#endif
