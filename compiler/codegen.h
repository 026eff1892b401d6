// SPDX-License-Identifier: MIT
/*
 * Lowering of a checked script to an LLVM module for the BPF target: one
 * program per plan probe, maps as BTF-described globals in `.maps`.
 */
#ifndef HOTSPAN_CODEGEN_H
#define HOTSPAN_CODEGEN_H

#include <llvm-c/Core.h>

#include "plan/plan.h"
#include "lang/ast.h"
#include "lang/diag.h"

/* Fills `mod` (whose target triple and data layout are set) from the tree.
 * `source_name` names the DWARF file, so BTF line info points at the script. */
int codegen_module(LLVMModuleRef mod, const struct ast_node *program, struct plan *plan,
		   const char *source_name, struct diag_list *dl);

#endif
