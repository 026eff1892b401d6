// SPDX-License-Identifier: MIT
/*
 * dispatch: the small BPF program every uprobe of a session is linked to.
 * It tells the probe sites apart, counts each site's hits and tail-calls
 * the program in the site's slot of a program array, so that all the sites
 * of one binary and process can share one link, and the links can be made
 * before the programs exist.
 */
#ifndef HOTSPAN_PROBES_DISPATCH_H
#define HOTSPAN_PROBES_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A site of a dispatcher: how it is told apart, and its slot. */
struct dispatch_site {
	uint64_t key;		/* by_ip: the site's run-time address; else its slot */
	uint32_t slot;		/* its program's slot, its hit counter, its cookie */
};

/*
 * Loads a dispatcher for n sites (sorted here). by_ip: a site is known by
 * the address the uprobe fired at (pt_regs ip), which is its link-time
 * address in a position-dependent executable; several sites at one address
 * are told apart by their cookies. Otherwise by the cookie alone, which
 * costs a helper call an event. Each site's hit adds one to slot `slot` of
 * hits_fd (a per-CPU array of u64), then the program in slot `slot` of
 * progs_fd runs, if any. multi: loaded for uprobe_multi links, else for
 * perf-event uprobes. The program's fd, or -errno.
 */
int dispatch_load(struct dispatch_site *sites, size_t n, bool by_ip, int progs_fd, int hits_fd,
		  bool multi);

#endif
