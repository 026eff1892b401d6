// SPDX-License-Identifier: MIT
/*
 * The table of probe providers. Adding a kind of probe means adding its file
 * and one line here.
 */
#include "runtime/provider.h"

#include <string.h>

static const struct provider *const providers[] = {
	&provider_uprobe,
	&provider_begin,
	&provider_end,
};

#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

const struct provider *provider_find(const char *name)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (!strcmp(providers[i]->name, name))
			return providers[i];
	return NULL;
}

const struct provider *provider_of(enum probe_kind kind)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->kind == kind)
			return providers[i];
	return NULL;
}

size_t provider_names(const char **names, size_t max)
{
	size_t n = 0;

	for (; n < NPROVIDERS && n < max; n++)
		names[n] = providers[n]->name;
	return n;
}
