// SPDX-License-Identifier: MIT
/*
 * Expressions. Integers and symbols are i64 SSA values (cg_expr); strings
 * and stacks live in memory and are written where they are needed, into a
 * key, a record or a variable's slot (cg_store), always as whole 8-byte
 * words so every byte the verifier sees is initialised. Helper work is a
 * call into the BPF library, inlined later; this file spells control flow,
 * arithmetic and register reads.
 */
#include "compiler/codegen_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/sema.h"
#include "gobin/gobin.h"
#include "probes/provider.h"

LLVMValueRef cg_c64(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->i64, v, 0);
}

LLVMValueRef cg_lib_call(struct cg *g, const char *name, LLVMTypeRef ret, LLVMValueRef *args,
			 unsigned n)
{
	LLVMTypeRef params[8];
	LLVMTypeRef fty;
	LLVMValueRef fn;

	for (unsigned i = 0; i < n; i++)
		params[i] = LLVMTypeOf(args[i]);
	fty = LLVMFunctionType(ret, params, n, 0);
	fn = LLVMGetNamedFunction(g->mod, name);
	if (!fn)
		fn = LLVMAddFunction(g->mod, name, fty);
	return LLVMBuildCall2(g->b, fty, fn, args, n, "");
}

LLVMValueRef cg_reg_read(struct cg *g, int off)
{
	LLVMValueRef args[] = { g->ctx_arg, LLVMConstInt(g->i32, off, 0) };

	return cg_lib_call(g, "hs_reg", g->i64, args, 2);
}

/* An alloca of `size` bytes in 8-byte words, at the end of the entry
 * block, where the verifier-friendly stack slots go; zeroed there if asked. */
static LLVMValueRef entry_alloca(struct cg *g, unsigned size, const char *name, bool zero)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(g->ctx);
	LLVMValueRef term = LLVMGetBasicBlockTerminator(g->entry), a;
	LLVMTypeRef t = LLVMArrayType2(g->i64, (size + 7) / 8);

	if (term)
		LLVMPositionBuilderBefore(eb, term);
	else
		LLVMPositionBuilderAtEnd(eb, g->entry);
	a = LLVMBuildAlloca(eb, t, name);
	LLVMSetAlignment(a, 8);
	if (zero)
		LLVMBuildStore(eb, LLVMConstNull(t), a);
	LLVMDisposeBuilder(eb);
	return a;
}

LLVMValueRef cg_slot(struct cg *g, unsigned size, const char *name)
{
	return entry_alloca(g, size, name, true);
}

static void lifetime(struct cg *g, const char *which, LLVMValueRef slot, unsigned size)
{
	unsigned id = LLVMLookupIntrinsicID(which, strlen(which));
	LLVMTypeRef ptr = g->ptr;
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(g->mod, id, &ptr, 1);
	LLVMValueRef args[] = { LLVMConstInt(g->i64, size, 0), slot };

	LLVMBuildCall2(g->b, LLVMIntrinsicGetType(g->ctx, id, &ptr, 1), fn, args, 2, "");
}

LLVMValueRef cg_temp(struct cg *g, unsigned size, const char *name)
{
	LLVMValueRef a = entry_alloca(g, size, name, false);

	lifetime(g, "llvm.lifetime.start", a, (size + 7) & ~7u);
	return a;
}

void cg_temp_end(struct cg *g, LLVMValueRef slot, unsigned size)
{
	lifetime(g, "llvm.lifetime.end", slot, (size + 7) & ~7u);
}

LLVMValueRef cg_word(struct cg *g, LLVMValueRef base, unsigned off)
{
	LLVMValueRef idx = LLVMConstInt(g->i64, off, 0);

	return LLVMBuildGEP2(g->b, LLVMInt8TypeInContext(g->ctx), base, &idx, 1, "");
}

struct cg_var *cg_var(struct cg *g, const char *name, const struct type *t)
{
	struct cg_var *v;

	for (size_t i = 0; i < g->nvars; i++)
		if (!strcmp(g->vars[i].name, name))
			return &g->vars[i];
	if (g->nvars == g->cap_vars) {
		size_t cap = g->cap_vars ? g->cap_vars * 2 : 8;

		v = realloc(g->vars, cap * sizeof(*v));
		if (!v)
			return NULL;
		g->vars = v;
		g->cap_vars = cap;
	}
	v = &g->vars[g->nvars++];
	v->name = name;
	v->size = t->kind == TYPE_STRING ? t->size :
		  t->kind == TYPE_STACK ? sizeof(struct hs_stack_key) : 8;
	v->slot = cg_slot(g, v->size, name + 1);
	return v;
}

/* --- branches ------------------------------------------------------------------ */

/* An i64's truth, an i1: it is not 0. */
static LLVMValueRef truth(struct cg *g, LLVMValueRef v)
{
	return LLVMBuildICmp(g->b, LLVMIntNE, v, cg_c64(g, 0), "");
}

static LLVMBasicBlockRef branch_block(struct cg *g, const char *const names[3], int i)
{
	return LLVMAppendBasicBlockInContext(g->ctx, g->fn, names ? names[i] : "");
}

void cg_branch(struct cg *g, struct cg_branch *br, const struct ast_node *cond,
	       enum cg_arms arms, const char *const names[3])
{
	LLVMValueRef c;

	br->arm[0] = arms & CG_THEN ? branch_block(g, names, 0) : NULL;
	br->arm[1] = arms & CG_ELSE ? branch_block(g, names, 1) : NULL;
	br->join = branch_block(g, names, 2);
	c = truth(g, cg_expr(g, cond));
	/* A way without an arm reaches the join here, before the other. */
	br->first = 0;
	for (int i = 0; i < 2; i++) {
		if (!br->arm[i]) {
			br->from[i] = LLVMGetInsertBlock(g->b);
			br->first = i;
		}
	}
	LLVMBuildCondBr(g->b, c, br->arm[0] ? br->arm[0] : br->join,
			br->arm[1] ? br->arm[1] : br->join);
	br->at = br->arm[0] ? 0 : 1;
	LLVMPositionBuilderAtEnd(g->b, br->arm[br->at]);
}

static void leave_arm(struct cg *g, struct cg_branch *br)
{
	br->from[br->at] = LLVMGetInsertBlock(g->b);
	LLVMBuildBr(g->b, br->join);
}

void cg_branch_else(struct cg *g, struct cg_branch *br)
{
	leave_arm(g, br);
	br->at = 1;
	LLVMPositionBuilderAtEnd(g->b, br->arm[1]);
}

void cg_branch_join(struct cg *g, struct cg_branch *br)
{
	leave_arm(g, br);
	LLVMPositionBuilderAtEnd(g->b, br->join);
}

/* The incoming values go in the order their ways reach the join. */
LLVMValueRef cg_branch_phi(struct cg *g, const struct cg_branch *br, LLVMTypeRef t,
			   LLVMValueRef v[2])
{
	int a = br->first, b = !br->first;
	LLVMValueRef phi = LLVMBuildPhi(g->b, t, ""), in[] = { v[a], v[b] };
	LLVMBasicBlockRef from[] = { br->from[a], br->from[b] };

	LLVMAddIncoming(phi, in, from, 2);
	return phi;
}

/* --- access probes ----------------------------------------------------------- */

/* A plan_lin: registers times constants, plus the load bias, then % and /. */
static LLVMValueRef lin_value(struct cg *g, const struct plan_lin *l)
{
	LLVMValueRef v = cg_c64(g, (uint64_t)l->add);

	if (!l->known)
		return cg_c64(g, 0);
	if (l->reg != HS_REG_NONE)
		v = LLVMBuildAdd(g->b, v, LLVMBuildMul(g->b, cg_reg_read(g, l->reg),
						      cg_c64(g, (uint64_t)l->mul), ""), "");
	if (l->reg2 != HS_REG_NONE)
		v = LLVMBuildAdd(g->b, v, LLVMBuildMul(g->b, cg_reg_read(g, l->reg2),
						      cg_c64(g, (uint64_t)l->mul2), ""), "");
	if (l->bias) {
		LLVMValueRef bias = LLVMBuildSub(g->b, cg_reg_read(g, HS_REG_IP),
						 cg_c64(g, g->probe->access.vaddr), "");

		v = l->bias > 0 ? LLVMBuildAdd(g->b, v, bias, "") : LLVMBuildSub(g->b, v, bias, "");
	}
	if (l->mod)
		v = LLVMBuildURem(g->b, v, cg_c64(g, l->mod), "");
	if (l->div > 1)
		v = LLVMBuildUDiv(g->b, v, cg_c64(g, l->div), "");
	return v;
}

static bool two_d(const struct plan_access *pa)
{
	return pa->row.known && pa->row_size;
}

/* index: the element's index; in a [R][C] array, row * C + col; of an
 * array of structs whose field array is indexed, the struct's (the row). */
static LLVMValueRef access_index(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	LLVMValueRef col = lin_value(g, &pa->index);
	uint64_t cols = pa->elem_size ? pa->row_size / pa->elem_size : 0;

	if (!two_d(pa))
		return col;
	if (pa->outer)
		return lin_value(g, &pa->row);
	return LLVMBuildAdd(g->b, LLVMBuildMul(g->b, lin_value(g, &pa->row),
					       cols ? cg_c64(g, cols) : lin_value(g, &pa->len), ""),
			    col, "");
}

/* addr: base + row * row_size + col * elem_size + disp. */
static LLVMValueRef access_addr(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	LLVMValueRef a;

	a = LLVMBuildMul(g->b, lin_value(g, &pa->index), cg_c64(g, pa->elem_size), "");
	a = LLVMBuildAdd(g->b, lin_value(g, &pa->base), a, "");
	if (two_d(pa))
		a = LLVMBuildAdd(g->b, a, LLVMBuildMul(g->b, lin_value(g, &pa->row),
						       cg_c64(g, pa->row_size), ""), "");
	return LLVMBuildAdd(g->b, a, cg_c64(g, (uint64_t)pa->disp), "");
}

/* elem: the element (the accessed field of it) read from the process: as
 * many bytes as the access instruction moves, up to 8. */
static LLVMValueRef access_elem(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	uint64_t size = pa->read_size && pa->read_size < 8 ? pa->read_size :
			pa->elem_size && pa->elem_size < 8 ? pa->elem_size : 8;
	LLVMValueRef args[] = { access_addr(g), LLVMConstInt(g->i32, size, 0) };
	LLVMValueRef v = cg_lib_call(g, "hs_read_user", g->i64, args, 2);
	LLVMValueRef shift = cg_c64(g, 64 - 8 * size);

	if (!pa->elem_signed || size == 8)
		return v;
	return LLVMBuildAShr(g->b, LLVMBuildShl(g->b, v, shift, ""), shift, "");
}

static LLVMValueRef access_builtin(struct cg *g, const char *name)
{
	const struct plan_access *pa = &g->probe->access;

	if (!strcmp(name, "index"))
		return access_index(g);
	if (!strcmp(name, "row"))
		return two_d(pa) ? lin_value(g, &pa->row) : cg_c64(g, 0);
	if (!strcmp(name, "col"))
		return lin_value(g, &pa->index);
	if (!strcmp(name, "len"))
		return lin_value(g, &pa->len);
	if (!strcmp(name, "addr"))
		return access_addr(g);
	if (!strcmp(name, "elem_size"))
		return cg_c64(g, pa->elem_size);
	return access_elem(g);
}

/* --- integers ------------------------------------------------------------------ */

/* The plan probe whose name a symbol prints. One attach point makes a
 * probe per return or access site, all of one function and one name: the
 * first of them stands for the rest, so a map keyed by func or probe has
 * one entry per function, not per site. */
static size_t sym_index(struct cg *g, int sym)
{
	const struct plan_probe *me = g->probe;

	for (size_t i = 0; sym != SYM_SITE && i < (size_t)g->probe_idx; i++) {
		const struct plan_probe *p = &g->plan->probes[i];

		if (sym == SYM_FUNC ? !strcmp(p->func, me->func) : !strcmp(p->name, me->name))
			return i;
	}
	return (size_t)g->probe_idx;
}

static LLVMValueRef builtin(struct cg *g, const struct ast_node *e)
{
	static const int arg_off[HS_GO_ARG_REGS] = HS_GO_ARG_OFFSETS;
	static const struct { const char *name, *fn; } facts[] = {
		{ "pid", "hs_pid" }, { "tid", "hs_tid" }, { "nsecs", "hs_nsecs" },
		{ "cpu", "hs_cpu" }, { "uid", "hs_uid" }, { "gid", "hs_gid" },
	};
	const struct provider_builtin *pb;

	if (e->type.kind == TYPE_SYM)	/* func, probe, site: printed through the plan */
		return cg_c64(g, sym_index(g, e->type.sym));
	pb = provider_builtin(provider_of(g->probe->kind), e->name);
	if (pb && pb->site)
		return access_builtin(g, e->name);
	if (!strncmp(e->name, "arg", 3))
		return cg_reg_read(g, arg_off[e->name[3] - '0']);
	if (!strcmp(e->name, "retval"))
		return cg_reg_read(g, HS_REG_AX);
	if (!strcmp(e->name, "elapsed")) {
		LLVMValueRef start = LLVMBuildLoad2(g->b, g->i64, g->start, "");

		LLVMSetVolatile(start, 1);	/* set by the runtime before loading */
		return LLVMBuildSub(g->b, cg_lib_call(g, "hs_nsecs", g->i64, NULL, 0), start, "");
	}
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if (!strcmp(e->name, facts[i].name))
			return cg_lib_call(g, facts[i].fn, g->i64, NULL, 0);
	return cg_c64(g, 0);
}

/* BPF has no signed division before cpu v4: divide magnitudes, fix signs. */
static LLVMValueRef sdiv(struct cg *g, LLVMValueRef a, LLVMValueRef b, bool mod)
{
	LLVMValueRef zero = cg_c64(g, 0);
	LLVMValueRef an = LLVMBuildICmp(g->b, LLVMIntSLT, a, zero, "");
	LLVMValueRef bn = LLVMBuildICmp(g->b, LLVMIntSLT, b, zero, "");
	LLVMValueRef aa = LLVMBuildSelect(g->b, an, LLVMBuildNeg(g->b, a, ""), a, "");
	LLVMValueRef ba = LLVMBuildSelect(g->b, bn, LLVMBuildNeg(g->b, b, ""), b, "");
	LLVMValueRef q, neg;

	if (mod) {
		q = LLVMBuildURem(g->b, aa, ba, "");
		neg = an;
	} else {
		q = LLVMBuildUDiv(g->b, aa, ba, "");
		neg = LLVMBuildXor(g->b, an, bn, "");
	}
	return LLVMBuildSelect(g->b, neg, LLVMBuildNeg(g->b, q, ""), q, "");
}

/* a / b and a % b are 0 when b is, as in bpftrace: to LLVM a division by
 * zero is undefined, and it folds one it can see into garbage. */
static LLVMValueRef divide(struct cg *g, LLVMValueRef a, LLVMValueRef b, bool s, bool mod)
{
	LLVMValueRef zero = LLVMBuildICmp(g->b, LLVMIntEQ, b, cg_c64(g, 0), "");
	LLVMValueRef safe = LLVMBuildSelect(g->b, zero, cg_c64(g, 1), b, ""), q;

	if (s)
		q = sdiv(g, a, safe, mod);
	else
		q = mod ? LLVMBuildURem(g->b, a, safe, "") : LLVMBuildUDiv(g->b, a, safe, "");
	return LLVMBuildSelect(g->b, zero, cg_c64(g, 0), q, "");
}

static LLVMValueRef bool64(struct cg *g, LLVMValueRef i1)
{
	return LLVMBuildZExt(g->b, i1, g->i64, "");
}

/* Two strings are equal when every word of them, NUL-padded to one size, is. */
static LLVMValueRef string_eq(struct cg *g, const struct ast_node *e)
{
	unsigned size = e->lhs->type.size > e->rhs->type.size ? e->lhs->type.size :
								  e->rhs->type.size;
	LLVMValueRef a = cg_temp(g, size, "lhs"), b = cg_temp(g, size, "rhs");
	LLVMValueRef diff = cg_c64(g, 0);

	cg_store(g, e->lhs, a, size);
	cg_store(g, e->rhs, b, size);
	for (unsigned off = 0; off < size; off += 8) {
		LLVMValueRef x = LLVMBuildLoad2(g->b, g->i64, cg_word(g, a, off), "");
		LLVMValueRef y = LLVMBuildLoad2(g->b, g->i64, cg_word(g, b, off), "");

		diff = LLVMBuildOr(g->b, diff, LLVMBuildXor(g->b, x, y, ""), "");
	}
	cg_temp_end(g, a, size);
	cg_temp_end(g, b, size);
	return bool64(g, LLVMBuildICmp(g->b, e->op == OP_EQ ? LLVMIntEQ : LLVMIntNE, diff,
				       cg_c64(g, 0), ""));
}

/* a && b, a || b: b runs only when a does not decide, and when a does,
 * a's truth is the answer. */
static LLVMValueRef logical(struct cg *g, const struct ast_node *e)
{
	LLVMTypeRef i1 = LLVMInt1TypeInContext(g->ctx);
	int lor = e->op == OP_LOR;	/* the way of a, 0 held or 1 not, that runs b */
	struct cg_branch br;
	LLVMValueRef v[2];

	cg_branch(g, &br, e->lhs, lor ? CG_ELSE : CG_THEN, NULL);
	v[lor] = truth(g, cg_expr(g, e->rhs));
	cg_branch_join(g, &br);
	v[!lor] = LLVMConstInt(i1, lor, 0);
	return bool64(g, cg_branch_phi(g, &br, i1, v));
}

static LLVMValueRef binop(struct cg *g, const struct ast_node *e)
{
	LLVMValueRef a, b;
	bool s = e->lhs->type.is_signed && e->rhs->type.is_signed;

	if (e->op == OP_LAND || e->op == OP_LOR)
		return logical(g, e);
	if ((e->op == OP_EQ || e->op == OP_NE) && e->lhs->type.kind == TYPE_STRING)
		return string_eq(g, e);
	a = cg_expr(g, e->lhs);
	b = cg_expr(g, e->rhs);
	switch (e->op) {
	case OP_ADD: return LLVMBuildAdd(g->b, a, b, "");
	case OP_SUB: return LLVMBuildSub(g->b, a, b, "");
	case OP_MUL: return LLVMBuildMul(g->b, a, b, "");
	case OP_DIV:
	case OP_MOD:
		return divide(g, a, b, s, e->op == OP_MOD);
	case OP_BAND: return LLVMBuildAnd(g->b, a, b, "");
	case OP_BOR: return LLVMBuildOr(g->b, a, b, "");
	case OP_BXOR: return LLVMBuildXor(g->b, a, b, "");
	case OP_SHL: return LLVMBuildShl(g->b, a, b, "");
	case OP_SHR: return e->lhs->type.is_signed ? LLVMBuildAShr(g->b, a, b, "") :
						     LLVMBuildLShr(g->b, a, b, "");
	case OP_EQ: return bool64(g, LLVMBuildICmp(g->b, LLVMIntEQ, a, b, ""));
	case OP_NE: return bool64(g, LLVMBuildICmp(g->b, LLVMIntNE, a, b, ""));
	case OP_LT: return bool64(g, LLVMBuildICmp(g->b, s ? LLVMIntSLT : LLVMIntULT, a, b, ""));
	case OP_LE: return bool64(g, LLVMBuildICmp(g->b, s ? LLVMIntSLE : LLVMIntULE, a, b, ""));
	case OP_GT: return bool64(g, LLVMBuildICmp(g->b, s ? LLVMIntSGT : LLVMIntUGT, a, b, ""));
	case OP_GE: return bool64(g, LLVMBuildICmp(g->b, s ? LLVMIntSGE : LLVMIntUGE, a, b, ""));
	default: return a;
	}
}

static LLVMValueRef unop(struct cg *g, const struct ast_node *e)
{
	LLVMValueRef v = cg_expr(g, e->lhs);

	switch (e->op) {
	case OP_NOT: return bool64(g, LLVMBuildICmp(g->b, LLVMIntEQ, v, cg_c64(g, 0), ""));
	case OP_BNOT: return LLVMBuildNot(g->b, v, "");
	default: return LLVMBuildNeg(g->b, v, "");
	}
}

/* c ? a : b, each side run only when chosen (a side may read a map). */
static LLVMValueRef ternary(struct cg *g, const struct ast_node *e)
{
	struct cg_branch br;
	LLVMValueRef v[2];

	cg_branch(g, &br, e->cond, CG_THEN | CG_ELSE, NULL);
	v[0] = cg_expr(g, e->lhs);
	cg_branch_else(g, &br);
	v[1] = cg_expr(g, e->rhs);
	cg_branch_join(g, &br);
	return cg_branch_phi(g, &br, g->i64, v);
}

unsigned cg_key_size(struct cg *g, const struct ast_node *m)
{
	const struct plan_map *pm = &g->plan->maps[m->map_id];

	return pm->nkeys ? pm->key_size : 8;
}

LLVMValueRef cg_key(struct cg *g, const struct ast_node *m)
{
	const struct plan_map *pm = &g->plan->maps[m->map_id];
	LLVMValueRef key;
	int i = 0;

	if (!pm->nkeys) {
		key = cg_temp(g, 8, "key");
		LLVMBuildStore(g->b, cg_c64(g, 0), key);	/* a u32 0 */
		return key;
	}
	key = cg_temp(g, pm->key_size, "key");
	for (const struct ast_node *k = m->args; k; k = k->next, i++)
		cg_store(g, k, cg_word(g, key, pm->keys[i].offset), pm->keys[i].size);
	return key;
}

LLVMValueRef cg_expr(struct cg *g, const struct ast_node *e)
{
	switch (e->kind) {
	case AST_INT:
		return LLVMConstInt(g->i64, (uint64_t)e->ival, 1);
	case AST_BUILTIN:
		return builtin(g, e);
	case AST_CALL:	/* reg("name"): the only call with a value */
		return cg_reg_read(g, gobin_reg_offset(e->args->name));
	case AST_VAR: {
		struct cg_var *v = cg_var(g, e->name, &e->type);

		return v ? LLVMBuildLoad2(g->b, g->i64, v->slot, "") : cg_c64(g, 0);
	}
	case AST_MAP: {
		LLVMValueRef args[] = { g->maps[e->map_id], cg_key(g, e) }, v;

		v = cg_lib_call(g, "hs_map_load", g->i64, args, 2);
		cg_temp_end(g, args[1], cg_key_size(g, e));
		return v;
	}
	case AST_UNOP:
		return unop(g, e);
	case AST_BINOP:
		return binop(g, e);
	case AST_TERNARY:
		return ternary(g, e);
	default:
		return cg_c64(g, 0);
	}
}

/* --- values in memory ---------------------------------------------------------- */

static void zero_from(struct cg *g, LLVMValueRef dst, unsigned from, unsigned size)
{
	for (unsigned off = from; off < size; off += 8)
		LLVMBuildStore(g->b, cg_c64(g, 0), cg_word(g, dst, off));
}

static void store_literal(struct cg *g, const char *s, LLVMValueRef dst, unsigned size)
{
	size_t len = strlen(s);

	for (unsigned off = 0; off < size; off += 8) {
		uint64_t w = 0;

		for (unsigned i = 0; i < 8 && off + i < len; i++)
			w |= (uint64_t)(unsigned char)s[off + i] << (8 * i);
		if (off + 8 > size - 1 && len >= size)
			w &= ~(0xffULL << 56);	/* keep a NUL at the end */
		LLVMBuildStore(g->b, cg_c64(g, w), cg_word(g, dst, off));
	}
}

static void copy_words(struct cg *g, LLVMValueRef src, unsigned src_size, LLVMValueRef dst,
		       unsigned size)
{
	unsigned n = src_size < size ? src_size : size;

	for (unsigned off = 0; off < n; off += 8)
		LLVMBuildStore(g->b, LLVMBuildLoad2(g->b, g->i64, cg_word(g, src, off), ""),
			       cg_word(g, dst, off));
	zero_from(g, dst, n, size);
}

/* c ? a : b of strings or stacks: the chosen side is written to dst. */
static void store_ternary(struct cg *g, const struct ast_node *e, LLVMValueRef dst,
			  unsigned size)
{
	struct cg_branch br;

	cg_branch(g, &br, e->cond, CG_THEN | CG_ELSE, NULL);
	cg_store(g, e->lhs, dst, size);
	cg_branch_else(g, &br);
	cg_store(g, e->rhs, dst, size);
	cg_branch_join(g, &br);
}

void cg_store(struct cg *g, const struct ast_node *e, LLVMValueRef dst, unsigned size)
{
	if (e->type.kind != TYPE_STRING && e->type.kind != TYPE_STACK) {
		LLVMBuildStore(g->b, cg_expr(g, e), dst);
		zero_from(g, dst, 8, size);
		return;
	}
	if (e->kind == AST_TERNARY) {
		store_ternary(g, e, dst, size);
	} else if (e->kind == AST_VAR) {
		struct cg_var *v = cg_var(g, e->name, &e->type);

		if (v)
			copy_words(g, v->slot, v->size, dst, size);
	} else if (e->kind == AST_STRING) {
		store_literal(g, e->name, dst, size);
	} else if (e->kind == AST_CALL && e->args->type.kind == TYPE_STRING) {
		cg_store(g, e->args, dst, size);	/* str("text") */
	} else if (e->kind == AST_CALL) {	/* str(ptr [, len]) */
		const struct ast_node *len = e->args->next;
		LLVMValueRef args[] = { dst, LLVMConstInt(g->i32, e->type.size, 0),
					cg_expr(g, e->args), len ? cg_expr(g, len) : cg_c64(g, 0),
					LLVMConstInt(g->i32, len != NULL, 0) };

		cg_lib_call(g, "hs_str", g->void_t, args, 5);
		zero_from(g, dst, e->type.size, size);
	} else if (!strcmp(e->name, "comm")) {
		LLVMValueRef args[] = { dst, LLVMConstInt(g->i32, size, 0) };

		cg_lib_call(g, "hs_comm", g->void_t, args, 2);
	} else {	/* ustack */
		LLVMValueRef args[] = { g->ctx_arg, g->stacks, dst,
					LLVMConstInt(g->i32, g->probe->at_entry, 0) };

		cg_lib_call(g, "hs_ustack", g->void_t, args, 4);
		zero_from(g, dst, sizeof(struct hs_stack_key), size);
	}
}
