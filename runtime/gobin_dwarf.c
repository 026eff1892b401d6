// SPDX-License-Identifier: MIT
/*
 * gobin_dwarf: globals and types from the DWARF that the Go linker writes.
 */
#include <errno.h>
#include <stdlib.h>

#include "runtime/gobin_priv.h"

int gobin_dwarf_load(struct gobin *gb)
{
	return -ENOENT;
}

void gobin_dwarf_free(struct gobin *gb)
{
}

bool gobin__has_dwarf(const struct gobin *gb)
{
	return false;
}
