// SPDX-License-Identifier: MIT
/*
 * What codegen.c (module, maps, programs, statements) and codegen_expr.c
 * (expressions and values) share.
 */
#ifndef HOTSPAN_CODEGEN_INTERNAL_H
#define HOTSPAN_CODEGEN_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>

#include "compiler/plan.h"
#include "lang/ast.h"

/* A scratch variable's stack slot in the program being emitted. */
struct cg_var {
	const char *name;
	LLVMValueRef slot;	/* i64, or [n x i64] for strings and stacks */
	unsigned size;		/* bytes */
};

struct cg {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMDIBuilderRef dib;
	LLVMMetadataRef file, cu, sp;
	LLVMTypeRef i64, i32, i8, ptr, void_t;
	LLVMValueRef fn, ctx_arg, events, lost, zeros, stacks, start;
	LLVMValueRef *maps;
	LLVMBasicBlockRef entry;
	struct plan *plan;
	const struct plan_probe *probe;
	int probe_idx;
	struct cg_var *vars;
	size_t nvars, cap_vars;
};

/* codegen_expr.c */
LLVMValueRef cg_c64(struct cg *g, uint64_t v);
LLVMValueRef cg_lib_call(struct cg *g, const char *name, LLVMTypeRef ret, LLVMValueRef *args,
			 unsigned n);
LLVMValueRef cg_reg_read(struct cg *g, int off);
/* A zeroed stack slot of `size` bytes (a multiple of 8) in the entry block. */
LLVMValueRef cg_slot(struct cg *g, unsigned size, const char *name);
/* A stack slot for a value used briefly: a key, a record. Its lifetime
 * starts here and ends at cg_temp_end, so slots of different statements
 * can share the 512 bytes of BPF stack. Not zeroed. */
LLVMValueRef cg_temp(struct cg *g, unsigned size, const char *name);
void cg_temp_end(struct cg *g, LLVMValueRef slot, unsigned size);
/* The 8-byte word at byte offset `off` of a slot. */
LLVMValueRef cg_word(struct cg *g, LLVMValueRef base, unsigned off);
/* An integer or symbol expression's i64 value. */
LLVMValueRef cg_expr(struct cg *g, const struct ast_node *e);
/* Any value, written to dst and NUL-padded to `size` bytes (a multiple of 8). */
void cg_store(struct cg *g, const struct ast_node *e, LLVMValueRef dst, unsigned size);
/* The variable's slot, made on first use. */
struct cg_var *cg_var(struct cg *g, const char *name, const struct type *t);
/* Builds the key of a map use into a cg_temp slot of cg_key_size bytes. */
LLVMValueRef cg_key(struct cg *g, const struct ast_node *m);
unsigned cg_key_size(struct cg *g, const struct ast_node *m);

#endif
