// SPDX-License-Identifier: MIT
/*
 * The hint "did you mean ...?": the known name nearest a misspelt one, by
 * edit distance. One helper for every kind of name (builtins, functions,
 * maps, hotspot keys, Go functions and globals).
 */
#ifndef HOTSPAN_LANG_NEAREST_H
#define HOTSPAN_LANG_NEAREST_H

#include <stddef.h>

/*
 * A search in progress. Up to a third of the name may be wrong (at least
 * one edit); a change of case alone is half an edit. Of two candidates as
 * near, the shorter wins, then the first offered.
 */
struct nearest {
	const char *name;	/* the misspelt name */
	unsigned limit;		/* in half-edits */
	unsigned best_d;
	const char *best;
};

void nearest_init(struct nearest *n, const char *name);
/* Offers `cand`, compared as `form` (cand itself when NULL) at `penalty`
 * extra half-edits: Go names are also offered without their package. */
void nearest_offer(struct nearest *n, const char *cand, const char *form, unsigned penalty);
/* The nearest name offered, or NULL when none is near enough. */
const char *nearest_best(const struct nearest *n);
/* The nearest of names[0..count), or NULL. */
const char *nearest_in(const char *name, const char *const *names, size_t count);
/* Edit distance in half-edits (case alone 1, else 2), or limit + 1 once over limit. */
unsigned nearest_distance(const char *a, const char *b, unsigned limit);

#endif
