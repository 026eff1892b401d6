// SPDX-License-Identifier: MIT
/*
 * gobin_sites: where uprobes sit in Go machine code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/gobin_priv.h"

static void site_init(struct gobin_site *s)
{
	memset(s, 0, sizeof(*s));
	s->index_reg = GOBIN_REG_NONE;
	s->row_reg = GOBIN_REG_NONE;
	s->row_const = -1;
	s->len_reg = GOBIN_REG_NONE;
	s->len_const = -1;
	s->base_reg = GOBIN_REG_NONE;
	s->mem_base_reg = GOBIN_REG_NONE;
	s->mem_index_reg = GOBIN_REG_NONE;
}

int gobin__entry_site(const struct gobin *gb, const struct gobin_func *fn, struct gobin_site *out)
{
	if (!gb || !fn || !out)
		return -EINVAL;
	site_init(out);
	out->kind = GOBIN_SITE_ENTRY;
	out->vaddr = fn->addr;
	out->func = fn->name;
	return gobin__vaddr_to_offset(gb, fn->addr, &out->file_offset);
}
