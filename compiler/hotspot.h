// SPDX-License-Identifier: MIT
/*
 * `hotspot @h { ... }` blocks: from settings to the engine's parameters.
 */
#ifndef HOTSPAN_HOTSPOT_H
#define HOTSPAN_HOTSPOT_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "engine/params.h"

/* Applies the block's settings over the defaults already in p and checks
 * the result. 0, or -EINVAL with errors in dl. */
int hotspot_apply(const struct ast_node *block, struct hotspot_params *p, struct diag_list *dl);

#endif
