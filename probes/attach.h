// SPDX-License-Identifier: MIT
/*
 * attach: the probes of a session in the kernel. Programs that take a uprobe
 * (the providers whose attach is provider_attach_uprobe) become uprobe_multi
 * links when the kernel has them, else perf-event uprobes through libbpf;
 * every other provider attaches its own way. One set holds every link, of
 * either kind, and detaching is destroying the set's links.
 */
#ifndef HOTSPAN_RUNTIME_ATTACH_H
#define HOTSPAN_RUNTIME_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan/plan.h"

struct bpf_object;
struct bpf_program;

/*
 * True when uprobes are attached as uprobe_multi links: Linux 6.12 or later
 * (earlier ones filtered a link's pid by thread, not by process) whose
 * kernel answers a probe for the link type, and HOTSPAN_UPROBE_MULTI is not
 * "0" in the environment. Asked once per process.
 */
bool attach_uprobe_multi_usable(void);

/*
 * Between opening and loading the object: the programs of probes that take
 * uprobes are loaded for uprobe_multi links when those are usable (the
 * kernel ties a program to one way of attaching at load). 0 or -errno.
 */
int attach_prepare(struct bpf_object *obj, const struct plan *plan);

/*
 * A uprobe_multi link of prog (loaded for one) at n file offsets of path,
 * for process pid only, or every process for pid -1. The link's fd, or
 * -errno.
 */
int attach_uprobe_multi(const struct bpf_program *prog, const char *path,
			const uint64_t *offsets, size_t n, pid_t pid);
/* The same for a program fd (loaded with expected_attach_type 48), with a
 * cookie for each offset (NULL: all 0). */
int attach_uprobe_multi_fd(int prog_fd, const char *path, const uint64_t *offsets,
			   const uint64_t *cookies, size_t n, pid_t pid);

struct attach_set;

/* Room for the links of n plan probes: link i is plan probe i's. NULL and
 * errno. */
struct attach_set *attach_set__new(size_t n);
/* Waits for a start, detaches what is attached; NULL is fine, as for the
 * other calls. */
void attach_set__free(struct attach_set *as);

/*
 * Starts attaching before the programs exist, because the kernel's first
 * uprobe registration of a process waits for an RCU grace period (4 to
 * 16 ms here), longer than compiling a one-liner. Where uprobe_multi links
 * are usable, every probe that takes a uprobe (pid -1: every process; BEGIN
 * and END: this one) is linked, in a thread, to a stub that tail-calls the
 * probe's slot of a program array; until attach_set__fill the probes do
 * nothing. Elsewhere nothing starts. 0, or -errno and nothing started (each
 * probe is then attached with attach_set__add).
 */
int attach_set__start(struct attach_set *as, const struct plan *plan, pid_t pid);
/* Did attach_set__start take plan probe i? */
bool attach_set__started(const struct attach_set *as, size_t i);
/*
 * With the object loaded: puts each started probe's program into its slot
 * and waits for the links. 0, or -errno with *failed the probe that could
 * not be attached.
 */
int attach_set__fill(struct attach_set *as, const struct plan *plan, struct bpf_object *obj,
		     size_t *failed);
/* Attaches plan probe p, number i, not started, with its loaded program, for
 * pid (-1: every process). 0, or -errno and nothing attached. */
int attach_set__add(struct attach_set *as, size_t i, const struct plan_probe *p,
		    struct bpf_program *prog, pid_t pid);
/* Links attached now. */
size_t attach_set__count(const struct attach_set *as);
/* Detaches link i, if it is attached. */
void attach_set__detach(struct attach_set *as, size_t i);
/* Detaches every link. */
void attach_set__clear(struct attach_set *as);

#endif
