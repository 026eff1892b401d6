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

/* Pt_regs byte offset of a register named as in reg("ax"), or -1. */
int sema_reg_offset(const char *name);

/* True for the builtins only access probes define: index, addr, site... */
bool sema_is_access_builtin(const char *name);

/* 0, or -EINVAL with errors in dl. */
int sema_check(struct ast_node *program, struct plan *plan, struct diag_list *dl);

/* The known name closest to `name` (edit distance at most a third of its
 * length, at least 1), or NULL: the "did you mean" of hints. */
const char *sema_nearest(const char *name, const char *const *names, size_t n);

#endif
