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

#include "bpf-lib/hotspan.bpf.h"
#include "lang/diag.h"
#include "engine/params.h"

#define PLAN_MAX_KEYS 8

/* How a map's values are made and printed. Value layouts per CPU (per-CPU
 * maps) are the structs of bpf-lib/hotspan.bpf.h. */
enum agg_kind {
	AGG_COUNT,	/* count(): u64, summed over CPUs */
	AGG_SUM,	/* sum(v): u64 (signed when val.is_signed), summed over CPUs */
	AGG_AVG,	/* avg(v): struct hs_avg; sum / count, truncated like bpftrace */
	AGG_MIN,	/* min(v): struct hs_minmax; the least over CPUs that have one */
	AGG_MAX,	/* max(v): struct hs_minmax; the greatest */
	AGG_STATS,	/* stats(v): struct hs_avg; count, average, total */
	AGG_HIST,	/* hist(v): u64[HS_HIST_SLOTS], slots as hs_hist_slot() */
	AGG_LHIST,	/* lhist(v, min, max, step): u64[lhist.slots] */
	AGG_VALUE,	/* @m = expr: the last value written; a plain, not per-CPU, map */
	AGG_HEAT,	/* heat(index): accesses streamed to the clustering engine */
};

/* What a key, a printf argument or a map value holds, and where. */
enum value_kind {
	VAL_INT,	/* 8 bytes; is_signed says how it prints */
	VAL_STRING,	/* `size` bytes, NUL-padded: literals, comm */
	VAL_SYM,	/* u64 index of a plan probe, printed as the name `sym` says */
	VAL_STACK,	/* struct hs_stack_key: a user stack of a process */
};

/* What a VAL_SYM names: fields of plan->probes[index]. */
enum sym_kind {
	SYM_SITE,	/* access.site: "main.get+0x1e main.go:27" */
	SYM_FUNC,	/* func: "main.touch" */
	SYM_PROBE,	/* name: "uprobe:./touch:main.touch" */
};

struct plan_value {
	enum value_kind kind;
	bool is_signed;
	enum sym_kind sym;
	uint32_t offset;	/* bytes from the start of the key or the arguments */
	uint32_t size;
};

struct plan_map {
	char *name;		/* "@c" as the script spells it */
	char *var;		/* the map's name in the BPF object: "m0" */
	enum agg_kind agg;
	int nkeys;		/* 0: a one-entry array */
	struct plan_value keys[PLAN_MAX_KEYS];
	struct plan_value val;	/* what sum/min/max/avg/stats/hist/value are given */
	uint32_t key_size;	/* 4 (a u32 0) when nkeys is 0 */
	uint32_t value_size;	/* per CPU for per-CPU maps */
	uint32_t max_entries;
	struct src_loc loc;	/* first use */
	struct {		/* lhist(v, min, max, step) */
		int64_t min, max, step;
		uint32_t slots;	/* (max - min) / step + 2: below min, each step, from max on */
	} lhist;
	unsigned dims;		/* heat maps: 1 for heat(index), 2 for heat(row, col) */
	struct hotspot_params hot;	/* heat maps: the engine's parameters */
	uint64_t extent[2];	/* heat maps fed heat(index) or heat(row, col) by access
				 * probes of one array: its rows and cols, else 0 */
	bool has_hotspot;	/* a hotspot block set them */
};

/* printf(fmt, args...): the program sends a struct hs_printf_record whose
 * `id` indexes plan->printfs; its arguments follow the record's header at
 * the args' offsets. The format was checked against the arguments. */
struct plan_printf {
	char *fmt;		/* escapes already decoded */
	size_t nargs;
	struct plan_value *args;
	uint32_t size;		/* bytes of arguments */
};

/* The kinds of probe the language knows; probes/provider.h has their ops. */
enum probe_kind {
	PROBE_UPROBE,	/* uprobe:PATH:FUNC */
	PROBE_BEGIN,	/* BEGIN */
	PROBE_END,	/* END */
	PROBE_ACCESS,	/* access:PATH:ARRAY or access:PATH:FUNC, one per access site */
	PROBE_URETPROBE,	/* uretprobe:PATH:FUNC: a uprobe on each RET of FUNC */
	PROBE_INTERVAL,	/* interval:s:N, interval:ms:N: a perf clock event on one CPU */
};


/* A value computed from the registers where the probe sits (gobin_lin):
 *     v = regs[reg] * mul + regs[reg2] * mul2 + add + bias * (load bias)
 *     v = (mod ? v % mod : v) / div, unsigned
 * reg/reg2 are pt_regs offsets or HS_REG_NONE. The load bias is the probe's
 * run-time ip minus its link-time address. */
struct plan_lin {
	bool known;		/* false: not to be had there (reads as 0) */
	int reg, reg2;
	int64_t mul, mul2, add;
	int bias;
	uint64_t mod, div;
};

/* An indexed access where an access probe sits, as gobin/sites.c found it:
 * on the bounds check's jump, or on the access itself. The element's
 * address is base + row * row_size + index * elem_size + disp. */
struct plan_access {
	uint64_t vaddr;		/* where the probe sits */
	struct plan_lin index;	/* the element index the program used; a 2-D one's column */
	struct plan_lin row;	/* 2-D accesses: the row (known false for 1-D) */
	struct plan_lin len;	/* the length the index is checked against */
	struct plan_lin base;	/* the first element of the array or slice */
	uint64_t elem_size;	/* 0 when unknown (a constant index into a slice) */
	uint64_t row_size;	/* bytes per row of a 2-D array */
	int64_t disp;		/* offset of the accessed field inside the element */
	uint32_t read_size;	/* bytes the access reads or writes (elem reads up to 8) */
	bool elem_signed;	/* Go's intN elements read back signed */
	bool outer;		/* index is the row: an array of structs watched whole,
				 * its element's field array indexed (ts[i].arr[j]) */
	uint64_t rows, cols;	/* a global array's extent (1-D: rows 1), 0 if unknown */
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
	char *name;		/* the probe builtin: "uprobe:./touch:main.touch" */
	uint64_t period_ns;	/* PROBE_INTERVAL */
	bool at_entry;		/* sits before the function's prologue: ustack adds [SP] */
	bool own_process;	/* a uprobe in hotspan itself, for this process: BEGIN, END */
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
	const char *full_map;	/* per-CPU array: updates of new keys a full hash map dropped,
				 * by map, or NULL when there is no hash map */
	const char *stacks_map;	/* BPF_MAP_TYPE_STACK_TRACE for ustack, or NULL */
	struct plan_printf *printfs;
	size_t nprintfs;
	/* `elapsed`: a u64 global in .rodata that the runtime sets to
	 * CLOCK_MONOTONIC ns before loading (bpf_map__set_initial_value), or NULL. */
	const char *start_var;
};

void plan__free(struct plan *p);
/* Adds a probe (strings copied); returns it, or NULL on ENOMEM. */
struct plan_probe *plan__add_probe(struct plan *p, enum probe_kind kind, const char *spec,
				  const char *path, const char *func);
struct plan_map *plan__add_map(struct plan *p, const char *name);
/* The map of that script name, or NULL. */
struct plan_map *plan__find_map(const struct plan *p, const char *name);
/* Writes the object to a file (`--emit-obj`). 0 or -errno. */
int plan__write_obj(const struct plan *p, const char *path);

#endif
