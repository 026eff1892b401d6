// SPDX-License-Identifier: MIT
/*
 * The semantic pass: types every expression, checks calls and builtins, and
 * lays out the script's maps in the plan.
 */
#ifndef HOTSPAN_SEMA_H
#define HOTSPAN_SEMA_H

#include <stdbool.h>

#include "plan/plan.h"
#include "lang/ast.h"
#include "lang/diag.h"

/* 0, or -EINVAL with errors in dl. */
int sema_check(struct ast_node *program, struct plan *plan, struct diag_list *dl);


#endif
