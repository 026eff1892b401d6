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

#include "compiler/plan.h"

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
/* The same for a program fd (loaded with expected_attach_type 48). */
int attach_uprobe_multi_fd(int prog_fd, const char *path, const uint64_t *offsets, size_t n,
			   pid_t pid);

struct attach_set;

/* Room for max links. NULL and errno. */
struct attach_set *attach_set_new(size_t max);
/* Detaches what is still attached; NULL is fine, as for the other calls. */
void attach_set_free(struct attach_set *as);
/* Attaches plan probe p's loaded program for pid (-1: every process). 0, or
 * -errno and nothing attached. */
int attach_set__add(struct attach_set *as, const struct plan_probe *p, struct bpf_program *prog,
		    pid_t pid);
/* Links attached, detached ones included: link i is plan probe i's. */
size_t attach_set__count(const struct attach_set *as);
/* Detaches link i, if it is still attached. */
void attach_set__detach(struct attach_set *as, size_t i);
/* Detaches every link; the set is empty afterwards. */
void attach_set__clear(struct attach_set *as);

#endif
