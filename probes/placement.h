// SPDX-License-Identifier: MIT
/*
 * Every probe kind that puts a uprobe in a Go binary asks here first
 * whether the instruction can hold one (gobin/placement.h), and gets the
 * place it may use, or a note or an error that says why not.
 */
#ifndef HOTSPAN_PROBES_PLACEMENT_H
#define HOTSPAN_PROBES_PLACEMENT_H

#include <stdint.h>

#include "probes/provider.h"

struct gobin;
struct gobin_func;

enum place_policy {
	PLACE_EXACT,	/* FUNC+OFF: the instruction the user chose, or an error */
	PLACE_ENTRY,	/* an exact function's entry: moved later with a note, or an error */
	PLACE_ENTRY_ANY,	/* a wildcard's match: moved with a note, or left out with one */
	PLACE_SITE,	/* one of several sites (RETs, accesses): kept, or left out with a note */
};

/*
 * Checks the probe at *vaddr in fn, which `spec` names in messages
 * ("uprobe:./bin:main.f"). Returns 0 with *vaddr where the probe goes (moved
 * or not), 1 when it is left out (a note says why), or -errno with an error
 * in rc->dl.
 */
int provider_place(const struct resolve_ctx *rc, const struct ast_node *a,
		   const struct gobin *gb, const struct gobin_func *fn, const char *spec,
		   enum place_policy policy, uint64_t *vaddr);

/* provider_place(PLACE_SITE) for a site anywhere in gb: the function is found. */
int provider_place_site(const struct resolve_ctx *rc, const struct ast_node *a,
			const struct gobin *gb, const char *spec, uint64_t vaddr);

#endif
