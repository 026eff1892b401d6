// SPDX-License-Identifier: MIT
/*
 * What codegen.c (module, maps, programs, statements) and codegen_expr.c
 * (expressions and values) share.
 */
#ifndef HOTSPAN_CODEGEN_INTERNAL_H
#define HOTSPAN_CODEGEN_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>

#include "plan/plan.h"
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
	LLVMValueRef fn, ctx_arg, events, lost, full, zeros, stacks, start;
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

/*
 * A two-way branch on a condition's truth, joined after it:
 *
 *	cg_branch(g, &br, cond, CG_THEN | CG_ELSE, NULL);
 *	... the then arm ...
 *	cg_branch_else(g, &br);
 *	... the else arm ...
 *	cg_branch_join(g, &br);
 *
 * cg_branch appends the arms' blocks and the join's to the function before
 * it emits the condition, so they come ahead of any block the condition or
 * the arms add, then enters the first arm. An arm not asked for (at least
 * one is) is an edge straight from the condition to the join: a && b has
 * only a then arm.
 */
enum cg_arms {
	CG_THEN = 1,	/* an arm for when the condition holds */
	CG_ELSE = 2,	/* an arm for when it does not */
};

struct cg_branch {
	LLVMBasicBlockRef arm[2];	/* where the condition holds, where it does not; or NULL */
	LLVMBasicBlockRef join;
	LLVMBasicBlockRef from[2];	/* the block each way reaches the join from */
	int first;			/* the way that reaches the join first */
	int at;				/* the arm the builder is in */
};

/* names: of the then, else and join blocks, or NULL for unnamed ones. */
void cg_branch(struct cg *g, struct cg_branch *br, const struct ast_node *cond,
	       enum cg_arms arms, const char *const names[3]);
/* Ends the then arm and enters the else arm. */
void cg_branch_else(struct cg *g, struct cg_branch *br);
/* Ends the arm the builder is in and enters the join. */
void cg_branch_join(struct cg *g, struct cg_branch *br);
/* At the join, the value v[0] when the condition held, v[1] when it did not. */
LLVMValueRef cg_branch_phi(struct cg *g, const struct cg_branch *br, LLVMTypeRef t,
			   LLVMValueRef v[2]);

#endif
