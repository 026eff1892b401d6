// SPDX-License-Identifier: MIT
/*
 * attach: the probes of a session in the kernel. Probes that take a uprobe
 * (providers with .uprobe) are gathered by binary and process, and each
 * such group is one uprobe_multi link when the kernel has them (else one
 * perf-event uprobe a site), to a dispatcher (probes/dispatch.h) that runs
 * the site's program out of a program array and counts its hits. Every
 * other provider attaches its own way, a link a probe. One set holds them
 * all, and detaching is destroying the set's links.
 */
#ifndef HOTSPAN_RUNTIME_ATTACH_H
#define HOTSPAN_RUNTIME_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan/plan.h"
#include "probes/trapcost.h"

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

/*
 * The probes of plan, for process pid (-1: every process; BEGIN and END are
 * always for this one), not attached yet. plan is only read, now. With
 * HOTSPAN_EARLY_ATTACH=0 in the environment every program is linked itself
 * once loaded, one link a probe and no dispatcher (to measure what the
 * dispatcher costs). NULL and errno.
 */
struct attach_set *attach_set__new(const struct plan *plan, pid_t pid);
/* Waits for a start, detaches what is attached; NULL is fine, as for the
 * other calls. */
void attach_set__free(struct attach_set *as);

/*
 * Starts attaching before the programs exist, because the kernel's first
 * uprobe registration of a process waits for an RCU grace period (4 to
 * 16 ms here), longer than compiling a one-liner. In a thread, loads the
 * dispatchers and links every group; then measures what a hit costs
 * (trapcost.h). Until attach_set__fill a hit is only counted. 0, or -errno
 * and nothing started (each probe is then attached with attach_set__add).
 */
int attach_set__start(struct attach_set *as);
/* Was plan probe i started (is it in a group)? */
bool attach_set__started(const struct attach_set *as, size_t i);
/*
 * With the object loaded: puts each started probe's program into its slot
 * and waits for the links. 0, or -errno with *failed the probe that could
 * not be attached.
 */
int attach_set__fill(struct attach_set *as, const struct plan *plan, struct bpf_object *obj,
		     size_t *failed);
/* Waits up to timeout_ms for the start's links: true once they are made
 * (or failed; attach_set__fill says), or when nothing was started. */
bool attach_set__wait_linked(struct attach_set *as, int timeout_ms);
/* Attaches plan probe p, number i, not started, with its loaded program, for
 * pid (-1: every process). 0, or -errno and nothing attached. */
int attach_set__add(struct attach_set *as, size_t i, const struct plan_probe *p,
		    struct bpf_program *prog, pid_t pid);
/* Probes attached now. */
size_t attach_set__count(const struct attach_set *as);
/* Links (and perf events) held now. */
size_t attach_set__links(const struct attach_set *as);
/* Detaches the probes that are not uprobes (timers). */
void attach_set__detach_others(struct attach_set *as);
/*
 * Detaches (pause) or attaches again (resume) the uprobes of the traced
 * processes, all but those in this one (BEGIN, END): one link each per
 * group. Resume: 0, or -errno and the groups that could not be linked stay
 * detached.
 */
void attach_set__pause(struct attach_set *as);
int attach_set__resume(struct attach_set *as);
/* Detaches every link. */
void attach_set__clear(struct attach_set *as);

/*
 * Hits each plan probe took, by index, summed over CPUs, since the start:
 * hits[n] for the plan's n probes. 0, or -errno (-ENODATA when probes are
 * not counted: HOTSPAN_EARLY_ATTACH=0).
 */
int attach_set__hits(const struct attach_set *as, uint64_t *hits);
/* Is plan probe i a uprobe in a traced process (not BEGIN or END)? */
bool attach_set__traced(const struct attach_set *as, size_t i);
/* The kind of instruction plan probe i's uprobe sits on. Valid once the
 * start's measure is done (attach_set__trap_ns). */
enum trap_kind attach_set__kind(const struct attach_set *as, size_t i);
/*
 * What a hit costs the thread that takes it, by kind, in ns, as measured at
 * the start; waits for that measure. 0, or -errno when it was not made.
 */
int attach_set__trap_ns(struct attach_set *as, double ns[TRAP_KINDS]);
/*
 * The kernel's run statistics of the dispatchers, summed: the time their
 * runs took (the programs they run included) and their runs, which the
 * kernel counts while BPF statistics are on (BPF_ENABLE_STATS). 0 or -errno.
 */
int attach_set__run_stats(const struct attach_set *as, uint64_t *run_ns, uint64_t *runs);
/* The time the kernel took to link the groups at the start, in ms (0
 * before attach_set__fill). */
double attach_set__link_ms(const struct attach_set *as);

#endif
