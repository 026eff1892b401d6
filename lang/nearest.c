// SPDX-License-Identifier: MIT
/*
 * Nearest names. Levenshtein distance over one row, counted in half-edits
 * so that a change of case alone (`Main.get`) is nearer than a wrong
 * letter. The row is abandoned as soon as every path through it is over
 * the best distance found so far, so offering thousands of Go function
 * names costs little more than reading them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lang/nearest.h"

unsigned nearest_distance(const char *a, const char *b, unsigned limit)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned *row, best, d;

	if ((la > lb ? la - lb : lb - la) * 2 > limit)
		return limit + 1;
	row = malloc((lb + 1) * sizeof(*row));
	if (!row)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j * 2;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = i * 2;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned sub = diag, up = row[j];

			if (a[i - 1] != b[j - 1])
				sub += tolower((unsigned char)a[i - 1]) ==
				       tolower((unsigned char)b[j - 1]) ? 1 : 2;
			d = sub;
			if (up + 2 < d)
				d = up + 2;
			if (row[j - 1] + 2 < d)
				d = row[j - 1] + 2;
			diag = up;
			row[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit) {
			free(row);
			return limit + 1;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void nearest_init(struct nearest *n, const char *name)
{
	size_t len = name ? strlen(name) : 0;

	n->name = name;
	n->limit = len * 2 / 3;
	if (n->limit < 2)
		n->limit = 2;
	n->best_d = n->limit + 1;
	n->best = NULL;
}

void nearest_offer(struct nearest *n, const char *cand, const char *form, unsigned penalty)
{
	unsigned d;

	if (!n->name || !*n->name || !cand)
		return;
	if (n->best_d < penalty)
		return;
	d = nearest_distance(n->name, form ? form : cand, n->best_d - penalty) + penalty;
	if (d < n->best_d || (d == n->best_d && n->best && strlen(cand) < strlen(n->best))) {
		n->best_d = d;
		n->best = cand;
	}
}

const char *nearest_best(const struct nearest *n)
{
	return n->best && n->best_d <= n->limit ? n->best : NULL;
}

const char *nearest_in(const char *name, const char *const *names, size_t count)
{
	struct nearest n;

	nearest_init(&n, name);
	for (size_t i = 0; i < count; i++)
		nearest_offer(&n, names[i], NULL, 0);
	return nearest_best(&n);
}
