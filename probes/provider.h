// SPDX-License-Identifier: MIT
/*
 * Probe providers: one small ops table per kind of attach point, each in a
 * file of its own (provider_uprobe.c, provider_uretprobe.c, provider_access.c,
 * provider_interval.c, provider_special.c), so a new kind of probe is a new
 * file. `resolve` runs in the compiler and turns an attach point into plan
 * probes, one per place; `attach` runs in the runtime and puts a loaded
 * program there. Detaching is destroying the bpf_link.
 */
#ifndef HOTSPAN_PROVIDER_H
#define HOTSPAN_PROVIDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "plan/plan.h"
#include "lang/ast.h"
#include "lang/diag.h"

struct bpf_link;
struct bpf_program;

/* A builtin that a kind of probe defines, beyond those every probe has
 * (pid, tid, comm, nsecs...: the compiler's own table). */
struct provider_builtin {
	const char *name;
	enum type_kind type;	/* lang/ast.h */
	bool is_signed;
	int sym;		/* TYPE_SYM: enum sym_kind */
	bool site;		/* read from the access site, plan_probe.access */
};

struct resolve_ctx {
	pid_t pid;		/* -p: the one process to trace, or 0 */
	struct plan *plan;
	struct diag_list *dl;
};

struct provider {
	const char *name;	/* as the attach point spells it: "uprobe", "BEGIN" */
	enum probe_kind kind;
	/* Its probes are uprobes at plan_probe.file_offset of plan_probe.path,
	 * which probes/attach.c links together. */
	bool uprobe;
	/* The builtins it defines: lists, each ended by an entry with a NULL
	 * name; the array of lists ends with NULL. NULL when none. */
	const struct provider_builtin *const *builtins;
	/* Adds a plan probe for every place `attach` names, with ast_probe set to
	 * `probe`. 0, or -errno with an error in rc->dl. */
	int (*resolve)(const struct resolve_ctx *rc, const struct ast_node *attach, int probe);
	/* NULL and errno on failure. pid -1 means every process. */
	struct bpf_link *(*attach)(const struct plan_probe *p, struct bpf_program *prog,
				   pid_t pid);
	/* Prints the probe points an attach point (a pattern) matches, one a
	 * line (`hotspan -l`). 0, or -errno with an error in rc->dl. NULL when
	 * the kind has nothing to list. */
	int (*list)(const struct resolve_ctx *rc, const struct ast_node *attach, FILE *out);
};

/* Every provider, in the order hints and messages list them. */
size_t provider_count(void);
const struct provider *provider_at(size_t i);
/* The builtin of that name pv defines, or NULL. */
const struct provider_builtin *provider_builtin(const struct provider *pv, const char *name);
/* What probes into a Go function define: arg0..arg8 (Go's register ABI),
 * func and ustack. */
extern const struct provider_builtin provider_func_builtins[];

/* The provider of an attach point's name, or NULL. */
const struct provider *provider_find(const char *name);
const struct provider *provider_of(enum probe_kind kind);
/* Every provider's name, for hints. */
size_t provider_names(const char **names, size_t max);

extern const struct provider provider_uprobe;
extern const struct provider provider_begin;
extern const struct provider provider_end;

extern const struct provider provider_access;
extern const struct provider provider_uretprobe;
extern const struct provider provider_interval;

struct gobin;
/* Opens the Go binary an attach point names (through /proc/PID/root with -p,
 * /proc/PID/exe for an empty path); *path gets the file to attach to. NULL
 * with an error in rc->dl. */
struct gobin *provider_open_binary(const struct resolve_ctx *rc, const struct ast_node *a,
				   char **path);
/* The error for a function name that is not in the binary, with the reason
 * (inlined everywhere) or the nearest name as a hint. Returns -ENOENT. */
int provider_func_not_found(const struct resolve_ctx *rc, const struct ast_node *a,
			    const struct gobin *gb, const char *func);
struct nearest;
/* Offers every function of gb to a nearest-name search, each also without
 * its package path ("Get" or "(*Cache).Get" for "main.(*Cache).Get"). */
void provider_offer_funcs(struct nearest *near, const struct gobin *gb);
/* The function name of gb nearest `name`, for a hint, or NULL. */
const char *provider_nearest_func(const struct gobin *gb, const char *name);
/* Does a function name match what -l was given: the name itself when a
 * function has it exactly (even with [ in it: "main.pick[go.shape.int64]"),
 * else the pattern? */
bool provider_name_matches(const char *pattern, const char *name, bool exact);
/* Is SP at the return address at vaddr (a function's entry, a RET, anywhere
 * in a function without a frame)? The frame-pointer walk of ustack then
 * misses the caller, and plan_probe.at_entry has the program add [SP]. */
bool provider_sp_at_ret(const struct gobin *gb, uint64_t vaddr);
/* A uprobe at p->file_offset of p->path, for providers that put uprobes. */
struct bpf_link *provider_attach_uprobe(const struct plan_probe *p, struct bpf_program *prog,
					pid_t pid);

/* Runs the BEGIN or END programs attached in this process. */
void provider_special_fire(enum probe_kind kind);

#endif
