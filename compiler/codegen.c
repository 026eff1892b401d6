// SPDX-License-Identifier: MIT
/*
 * Code generation. Each plan probe becomes one function `i32 pN(ptr ctx)` in
 * section "uprobe" that runs its probe's predicate and statements. Helper
 * work (map updates, process facts) is a call into the BPF library, whose
 * bitcode is linked in and inlined later; this file only spells control
 * flow, arithmetic and register reads.
 *
 * Maps are globals in `.maps` in libbpf's BTF convention: a struct whose
 * members `type` and `max_entries` are pointers to arrays whose lengths
 * carry the numbers, and `key`/`value` pointers to the key and value types.
 * The BPF backend turns the DIBuilder debug info below into `.BTF`, so every
 * function gets a prototype with a return type and every instruction a
 * location in the script, which also ties verifier messages to script lines.
 */
#include "compiler/codegen.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/sema.h"

#define RINGBUF_SIZE (256 * 1024)
/* Heat records are 40 bytes: 16 MiB holds 400,000 accesses between polls. */
#define HEAT_RINGBUF_SIZE (16 * 1024 * 1024)

struct cg {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMDIBuilderRef dib;
	LLVMMetadataRef file, cu, sp;
	LLVMTypeRef i64, i32, ptr;
	LLVMValueRef fn, ctx_arg, events, lost;
	LLVMValueRef *maps;
	LLVMBasicBlockRef entry;
	struct plan *plan;
	const struct plan_probe *probe;
	int probe_idx;
};

/* --- debug info (BTF) ------------------------------------------------------ */

static LLVMMetadataRef di_basic(struct cg *g, const char *name, unsigned bits, unsigned enc)
{
	return LLVMDIBuilderCreateBasicType(g->dib, name, strlen(name), bits, enc, LLVMDIFlagZero);
}

/* `int (*name)[n]`: libbpf's __uint(name, n). */
static LLVMMetadataRef di_uint_member(struct cg *g, LLVMMetadataRef scope, const char *name,
				      uint64_t n, uint64_t offset_bits)
{
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(g->dib, 0, n);
	LLVMMetadataRef arr = LLVMDIBuilderCreateArrayType(g->dib, n * 32, 32,
							   di_basic(g, "int", 32, 5), &sub, 1);
	LLVMMetadataRef p = LLVMDIBuilderCreatePointerType(g->dib, arr, 64, 0, 0, NULL, 0);

	return LLVMDIBuilderCreateMemberType(g->dib, scope, name, strlen(name), g->file, 0, 64, 64,
					     offset_bits, LLVMDIFlagZero, p);
}

/* `T *name`: libbpf's __type(name, T). */
static LLVMMetadataRef di_type_member(struct cg *g, LLVMMetadataRef scope, const char *name,
				      LLVMMetadataRef t, uint64_t offset_bits)
{
	LLVMMetadataRef p = LLVMDIBuilderCreatePointerType(g->dib, t, 64, 0, 0, NULL, 0);

	return LLVMDIBuilderCreateMemberType(g->dib, scope, name, strlen(name), g->file, 0, 64, 64,
					     offset_bits, LLVMDIFlagZero, p);
}

/* A map global: `struct { members } name SEC(".maps")` with its BTF. */
static LLVMValueRef map_global(struct cg *g, const char *name, unsigned line,
			       LLVMMetadataRef *members, unsigned n)
{
	LLVMTypeRef fields[4] = { g->ptr, g->ptr, g->ptr, g->ptr };
	LLVMTypeRef st = LLVMStructTypeInContext(g->ctx, fields, n, 0);
	LLVMMetadataRef dst, gve, expr;
	LLVMValueRef gv;

	dst = LLVMDIBuilderCreateStructType(g->dib, g->cu, "", 0, g->file, line, n * 64, 64,
					    LLVMDIFlagZero, NULL, members, n, 0, NULL, "", 0);
	gv = LLVMAddGlobal(g->mod, st, name);
	LLVMSetInitializer(gv, LLVMConstNull(st));
	LLVMSetSection(gv, ".maps");
	LLVMSetAlignment(gv, 8);
	expr = LLVMDIBuilderCreateExpression(g->dib, NULL, 0);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(g->dib, g->cu, name, strlen(name), name,
							  strlen(name), g->file, line, dst, 0,
							  expr, NULL, 64);
	LLVMGlobalSetMetadata(gv, LLVMGetMDKindIDInContext(g->ctx, "dbg", 3), gve);
	return gv;
}

/* One global per script map, plus the events ring buffer. */
static void emit_maps(struct cg *g)
{
	LLVMMetadataRef u64 = di_basic(g, "unsigned long long", 64, 7);
	LLVMMetadataRef u32 = di_basic(g, "unsigned int", 32, 7);
	LLVMMetadataRef m[4];

	bool heat = false;

	for (size_t i = 0; i < g->plan->nmaps; i++) {
		const struct plan_map *pm = &g->plan->maps[i];
		LLVMMetadataRef key;

		if (pm->agg == AGG_HEAT) {
			heat = true;	/* streamed, not stored */
			continue;
		}
		if (pm->nkeys) {
			LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(g->dib, 0, pm->nkeys);

			key = pm->nkeys == 1 ? u64 :
			      LLVMDIBuilderCreateArrayType(g->dib, 64 * pm->nkeys, 64, u64, &sub, 1);
		} else {
			key = u32;
		}
		m[0] = di_uint_member(g, g->file, "type", pm->nkeys ? BPF_MAP_TYPE_PERCPU_HASH :
				      BPF_MAP_TYPE_PERCPU_ARRAY, 0);
		m[1] = di_uint_member(g, g->file, "max_entries", pm->max_entries, 64);
		m[2] = di_type_member(g, g->file, "key", key, 128);
		m[3] = di_type_member(g, g->file, "value", u64, 192);
		g->maps[i] = map_global(g, pm->var, pm->loc.line, m, 4);
	}
	m[0] = di_uint_member(g, g->file, "type", BPF_MAP_TYPE_RINGBUF, 0);
	m[1] = di_uint_member(g, g->file, "max_entries", heat ? HEAT_RINGBUF_SIZE : RINGBUF_SIZE,
			      64);
	g->events = map_global(g, "events", 0, m, 2);
	g->plan->events_map = "events";
	if (!heat)
		return;
	m[0] = di_uint_member(g, g->file, "type", BPF_MAP_TYPE_PERCPU_ARRAY, 0);
	m[1] = di_uint_member(g, g->file, "max_entries", g->plan->nmaps, 64);
	m[2] = di_type_member(g, g->file, "key", u32, 128);
	m[3] = di_type_member(g, g->file, "value", u64, 192);
	g->lost = map_global(g, "lost", 0, m, 4);
	g->plan->lost_map = "lost";
}

static void emit_license(struct cg *g)
{
	LLVMValueRef s = LLVMConstStringInContext(g->ctx, "GPL", 3, 0);
	LLVMValueRef gv = LLVMAddGlobal(g->mod, LLVMTypeOf(s), "_license");

	LLVMSetInitializer(gv, s);
	LLVMSetSection(gv, "license");
}

static void set_loc(struct cg *g, const struct src_loc *loc)
{
	LLVMMetadataRef l = LLVMDIBuilderCreateDebugLocation(g->ctx, loc->line, loc->col, g->sp,
							     NULL);

	LLVMSetCurrentDebugLocation2(g->b, l);
}

/* --- calls into the BPF library -------------------------------------------- */

static LLVMValueRef lib_call(struct cg *g, const char *name, LLVMTypeRef ret,
			     LLVMValueRef *args, unsigned n)
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

static LLVMValueRef reg_read(struct cg *g, int off)
{
	LLVMValueRef args[] = { g->ctx_arg, LLVMConstInt(g->i32, off, 0) };

	return lib_call(g, "hs_reg", g->i64, args, 2);
}

/* An alloca in the entry block, where the verifier-friendly stack slots go. */
static LLVMValueRef entry_alloca(struct cg *g, LLVMTypeRef t, const char *name)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(g->ctx);
	LLVMValueRef first = LLVMGetFirstInstruction(g->entry), a;

	if (first)
		LLVMPositionBuilderBefore(eb, first);
	else
		LLVMPositionBuilderAtEnd(eb, g->entry);
	a = LLVMBuildAlloca(eb, t, name);
	LLVMDisposeBuilder(eb);
	return a;
}

/* --- expressions ------------------------------------------------------------ */

static LLVMValueRef emit_expr(struct cg *g, const struct ast_node *e);

static LLVMValueRef c64(struct cg *g, uint64_t v)
{
	return LLVMConstInt(g->i64, v, 0);
}

/* A value an access site holds in a register, or a constant. */
static LLVMValueRef reg_or_const(struct cg *g, int reg, int64_t value)
{
	return reg == PLAN_NO_REG ? c64(g, (uint64_t)value) : reg_read(g, reg);
}

static bool two_d(const struct plan_access *pa)
{
	return pa->row_reg != PLAN_NO_REG || pa->row_const >= 0;
}

/* index: the element's index; in a [R][C] array, row * C + col. */
static LLVMValueRef access_index(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	LLVMValueRef col = reg_or_const(g, pa->index_reg, pa->index_const);

	if (!two_d(pa))
		return col;
	return LLVMBuildAdd(g->b, LLVMBuildMul(g->b, reg_or_const(g, pa->row_reg, pa->row_const),
					       reg_or_const(g, pa->len_reg, pa->len_const), ""),
			    col, "");
}

/* addr: base + row * row_size + col * elem_size + disp, where a global
 * array's base is its link-time address plus the load bias, which is the
 * probe's run-time ip minus its link-time address. */
static LLVMValueRef access_addr(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	LLVMValueRef base, a;

	if (pa->base_reg != PLAN_NO_REG) {
		base = reg_read(g, pa->base_reg);
	} else {
		LLVMValueRef bias = LLVMBuildSub(g->b, reg_read(g, HS_REG_IP), c64(g, pa->vaddr), "");

		base = LLVMBuildAdd(g->b, c64(g, pa->base_addr), bias, "");
	}
	a = LLVMBuildMul(g->b, reg_or_const(g, pa->index_reg, pa->index_const),
			 c64(g, pa->elem_size), "");
	a = LLVMBuildAdd(g->b, base, a, "");
	if (two_d(pa))
		a = LLVMBuildAdd(g->b, a, LLVMBuildMul(g->b, reg_or_const(g, pa->row_reg,
									   pa->row_const),
						       c64(g, pa->row_size), ""), "");
	return LLVMBuildAdd(g->b, a, c64(g, (uint64_t)pa->disp), "");
}

/* elem: the element (the accessed field of it) read from the process. */
static LLVMValueRef access_elem(struct cg *g)
{
	const struct plan_access *pa = &g->probe->access;
	uint64_t size = pa->elem_size && pa->elem_size < 8 ? pa->elem_size : 8;
	LLVMValueRef args[] = { access_addr(g), LLVMConstInt(g->i32, size, 0) };
	LLVMValueRef v = lib_call(g, "hs_read_user", g->i64, args, 2);
	LLVMValueRef shift = c64(g, 64 - 8 * size);

	if (!pa->elem_signed || size == 8)
		return v;
	return LLVMBuildAShr(g->b, LLVMBuildShl(g->b, v, shift, ""), shift, "");
}

static LLVMValueRef emit_access_builtin(struct cg *g, const char *name)
{
	const struct plan_access *pa = &g->probe->access;

	if (!strcmp(name, "index"))
		return access_index(g);
	if (!strcmp(name, "row"))
		return two_d(pa) ? reg_or_const(g, pa->row_reg, pa->row_const) : c64(g, 0);
	if (!strcmp(name, "col"))
		return reg_or_const(g, pa->index_reg, pa->index_const);
	if (!strcmp(name, "len"))
		return reg_or_const(g, pa->len_reg, pa->len_const);
	if (!strcmp(name, "addr"))
		return access_addr(g);
	if (!strcmp(name, "elem_size"))
		return c64(g, pa->elem_size);
	if (!strcmp(name, "elem"))
		return access_elem(g);
	return c64(g, g->probe_idx);	/* site: printed through the plan */
}

static LLVMValueRef emit_builtin(struct cg *g, const struct ast_node *e)
{
	static const int arg_off[HS_GO_ARG_REGS] = HS_GO_ARG_OFFSETS;

	if (sema_is_access_builtin(e->name))
		return emit_access_builtin(g, e->name);
	if (!strncmp(e->name, "arg", 3))
		return reg_read(g, arg_off[e->name[3] - '0']);
	if (!strcmp(e->name, "pid"))
		return lib_call(g, "hs_pid", g->i64, NULL, 0);
	if (!strcmp(e->name, "tid"))
		return lib_call(g, "hs_tid", g->i64, NULL, 0);
	if (!strcmp(e->name, "nsecs"))
		return lib_call(g, "hs_nsecs", g->i64, NULL, 0);
	return lib_call(g, "hs_cpu", g->i64, NULL, 0);
}

/* BPF has no signed division before cpu v4: divide magnitudes, fix signs. */
static LLVMValueRef emit_sdiv(struct cg *g, LLVMValueRef a, LLVMValueRef b, bool mod)
{
	LLVMValueRef zero = LLVMConstInt(g->i64, 0, 0);
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

static LLVMValueRef emit_cmp(struct cg *g, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b)
{
	return LLVMBuildZExt(g->b, LLVMBuildICmp(g->b, p, a, b, ""), g->i64, "");
}

static LLVMValueRef emit_binop(struct cg *g, const struct ast_node *e)
{
	LLVMValueRef a = emit_expr(g, e->lhs), b = emit_expr(g, e->rhs);
	bool s = e->lhs->type.is_signed && e->rhs->type.is_signed;

	switch (e->op) {
	case OP_ADD: return LLVMBuildAdd(g->b, a, b, "");
	case OP_SUB: return LLVMBuildSub(g->b, a, b, "");
	case OP_MUL: return LLVMBuildMul(g->b, a, b, "");
	case OP_DIV: return s ? emit_sdiv(g, a, b, false) : LLVMBuildUDiv(g->b, a, b, "");
	case OP_MOD: return s ? emit_sdiv(g, a, b, true) : LLVMBuildURem(g->b, a, b, "");
	case OP_BAND: return LLVMBuildAnd(g->b, a, b, "");
	case OP_BOR: return LLVMBuildOr(g->b, a, b, "");
	case OP_BXOR: return LLVMBuildXor(g->b, a, b, "");
	case OP_SHL: return LLVMBuildShl(g->b, a, b, "");
	case OP_SHR: return e->lhs->type.is_signed ? LLVMBuildAShr(g->b, a, b, "") :
						     LLVMBuildLShr(g->b, a, b, "");
	case OP_EQ: return emit_cmp(g, LLVMIntEQ, a, b);
	case OP_NE: return emit_cmp(g, LLVMIntNE, a, b);
	case OP_LT: return emit_cmp(g, s ? LLVMIntSLT : LLVMIntULT, a, b);
	case OP_LE: return emit_cmp(g, s ? LLVMIntSLE : LLVMIntULE, a, b);
	case OP_GT: return emit_cmp(g, s ? LLVMIntSGT : LLVMIntUGT, a, b);
	case OP_GE: return emit_cmp(g, s ? LLVMIntSGE : LLVMIntUGE, a, b);
	case OP_NEG: break;
	}
	return a;
}

static LLVMValueRef emit_expr(struct cg *g, const struct ast_node *e)
{
	switch (e->kind) {
	case AST_INT:
		return LLVMConstInt(g->i64, (uint64_t)e->ival, 1);
	case AST_BUILTIN:
		return emit_builtin(g, e);
	case AST_CALL:	/* reg("name"); the only call with a value so far */
		return reg_read(g, sema_reg_offset(e->args->name));
	case AST_UNOP:
		return LLVMBuildNeg(g->b, emit_expr(g, e->lhs), "");
	case AST_BINOP:
		return emit_binop(g, e);
	default:
		return LLVMConstInt(g->i64, 0, 0);
	}
}

/* --- statements and programs ------------------------------------------------ */

static void emit_heat(struct cg *g, const struct ast_node *st)
{
	const struct ast_node *a = st->rhs->args;
	LLVMValueRef row = a->next ? emit_expr(g, a) : c64(g, 0);
	LLVMValueRef col = emit_expr(g, a->next ? a->next : a);
	LLVMValueRef args[] = { g->events, g->lost, LLVMConstInt(g->i32, st->lhs->map_id, 0),
				LLVMConstInt(g->i32, g->probe_idx, 0), row, col };

	lib_call(g, "hs_heat", LLVMVoidTypeInContext(g->ctx), args, 6);
}

static void emit_map_assign(struct cg *g, const struct ast_node *st)
{
	const struct ast_node *m = st->lhs;
	LLVMValueRef map = g->maps[m->map_id], one = LLVMConstInt(g->i64, 1, 0);
	int nkeys = (int)ast_list_len(m->args), i = 0;
	LLVMTypeRef kt;
	LLVMValueRef key;

	if (g->plan->maps[m->map_id].agg == AGG_HEAT) {
		emit_heat(g, st);
		return;
	}
	if (!nkeys) {
		LLVMValueRef args[] = { map, one };

		lib_call(g, "hs_array_add", LLVMVoidTypeInContext(g->ctx), args, 2);
		return;
	}
	kt = LLVMArrayType2(g->i64, nkeys);
	key = entry_alloca(g, kt, "key");
	for (const struct ast_node *k = m->args; k; k = k->next, i++) {
		LLVMValueRef idx[] = { LLVMConstInt(g->i32, 0, 0), LLVMConstInt(g->i32, i, 0) };
		LLVMValueRef slot = LLVMBuildGEP2(g->b, kt, key, idx, 2, "");

		LLVMBuildStore(g->b, emit_expr(g, k), slot);
	}
	LLVMValueRef args[] = { map, key, one };
	lib_call(g, "hs_hash_add", LLVMVoidTypeInContext(g->ctx), args, 3);
}

static void emit_stmt(struct cg *g, const struct ast_node *st)
{
	set_loc(g, &st->loc);
	if (st->kind == AST_MAP_ASSIGN) {
		emit_map_assign(g, st);
	} else if (st->kind == AST_EXPR_STMT && !strcmp(st->lhs->name, "exit")) {
		LLVMValueRef args[] = { g->events, LLVMConstInt(g->i32, g->probe_idx, 0) };

		lib_call(g, "hs_exit", LLVMVoidTypeInContext(g->ctx), args, 2);
	}
}

/* Returns from the program early when cond (an i1) holds. */
static void return_if(struct cg *g, LLVMValueRef cond, LLVMBasicBlockRef ret)
{
	LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "");

	LLVMBuildCondBr(g->b, cond, ret, next);
	LLVMPositionBuilderAtEnd(g->b, next);
}

/* The flag test that tells a real hit from one that does not count: a
 * probe on a conditional jump fires whichever way the jump goes. */
static void emit_site_guard(struct cg *g, LLVMBasicBlockRef ret)
{
	const struct plan_probe *p = g->probe;
	LLVMValueRef flags, zero = LLVMConstInt(g->i64, 0, 0);

	if (!p->skip_if_any_set && !p->skip_if_all_clear)
		return;
	flags = reg_read(g, HS_REG_FLAGS);
	if (p->skip_if_any_set) {
		LLVMValueRef m = LLVMBuildAnd(g->b, flags,
					      LLVMConstInt(g->i64, p->skip_if_any_set, 0), "");

		return_if(g, LLVMBuildICmp(g->b, LLVMIntNE, m, zero, ""), ret);
	}
	if (p->skip_if_all_clear) {
		LLVMValueRef m = LLVMBuildAnd(g->b, flags,
					      LLVMConstInt(g->i64, p->skip_if_all_clear, 0), "");

		return_if(g, LLVMBuildICmp(g->b, LLVMIntEQ, m, zero, ""), ret);
	}
}

static void emit_program(struct cg *g, const struct ast_node *probe, LLVMMetadataRef sty)
{
	const struct plan_probe *p = g->probe;
	LLVMTypeRef fty = LLVMFunctionType(g->i32, &g->ptr, 1, 0);
	LLVMBasicBlockRef body, ret;
	unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);

	g->fn = LLVMAddFunction(g->mod, p->prog, fty);
	LLVMSetSection(g->fn, "uprobe");
	LLVMAddAttributeAtIndex(g->fn, LLVMAttributeFunctionIndex,
				LLVMCreateEnumAttribute(g->ctx, nounwind, 0));
	g->ctx_arg = LLVMGetParam(g->fn, 0);
	LLVMSetValueName2(g->ctx_arg, "ctx", 3);
	g->sp = LLVMDIBuilderCreateFunction(g->dib, g->file, p->prog, strlen(p->prog), p->prog,
					    strlen(p->prog), g->file, probe->loc.line, sty, 0, 1,
					    probe->loc.line, LLVMDIFlagPrototyped, 1);
	LLVMSetSubprogram(g->fn, g->sp);

	g->entry = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "entry");
	body = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "body");
	ret = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "ret");
	LLVMPositionBuilderAtEnd(g->b, body);
	set_loc(g, &p->loc);
	emit_site_guard(g, ret);
	if (probe->cond) {
		LLVMValueRef v;

		set_loc(g, &probe->cond->loc);
		v = emit_expr(g, probe->cond);
		return_if(g, LLVMBuildICmp(g->b, LLVMIntEQ, v, LLVMConstInt(g->i64, 0, 0), ""),
			  ret);
	}
	for (const struct ast_node *st = probe->body; st; st = st->next)
		emit_stmt(g, st);
	LLVMBuildBr(g->b, ret);

	LLVMPositionBuilderAtEnd(g->b, ret);
	LLVMBuildRet(g->b, LLVMConstInt(g->i32, 0, 0));
	/* The entry block holds the allocas, then falls into the body. */
	LLVMPositionBuilderAtEnd(g->b, g->entry);
	LLVMBuildBr(g->b, body);
	LLVMSetCurrentDebugLocation2(g->b, NULL);
}

int codegen_module(LLVMModuleRef mod, const struct ast_node *program, struct plan *plan,
		   const char *source_name, struct diag_list *dl)
{
	struct cg g = { .mod = mod, .plan = plan };
	LLVMMetadataRef params[2], sty;
	const struct ast_node **probes;
	size_t nprobes = ast_list_len(program->body), i = 0;
	int err = 0;

	g.ctx = LLVMGetModuleContext(mod);
	g.b = LLVMCreateBuilderInContext(g.ctx);
	g.dib = LLVMCreateDIBuilder(mod);
	g.i64 = LLVMInt64TypeInContext(g.ctx);
	g.i32 = LLVMInt32TypeInContext(g.ctx);
	g.ptr = LLVMPointerTypeInContext(g.ctx, 0);
	g.maps = calloc(plan->nmaps + 1, sizeof(*g.maps));
	probes = calloc(nprobes + 1, sizeof(*probes));
	if (!g.maps || !probes) {
		err = -ENOMEM;
		goto out;
	}
	for (const struct ast_node *p = program->body; p; p = p->next)
		probes[i++] = p;

	LLVMAddModuleFlag(mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
			  LLVMValueAsMetadata(LLVMConstInt(g.i32, LLVMDebugMetadataVersion(), 0)));
	LLVMAddModuleFlag(mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
			  LLVMValueAsMetadata(LLVMConstInt(g.i32, 4, 0)));
	g.file = LLVMDIBuilderCreateFile(g.dib, source_name, strlen(source_name), ".", 1);
	g.cu = LLVMDIBuilderCreateCompileUnit(g.dib, LLVMDWARFSourceLanguageC, g.file, "hotspan",
					      7, 1, "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0,
					      0, "", 0, "", 0);
	params[0] = di_basic(&g, "int", 32, 5);
	params[1] = LLVMDIBuilderCreatePointerType(g.dib, NULL, 64, 0, 0, NULL, 0);
	sty = LLVMDIBuilderCreateSubroutineType(g.dib, g.file, params, 2, LLVMDIFlagZero);

	emit_license(&g);
	emit_maps(&g);
	for (i = 0; i < plan->nprobes; i++) {
		g.probe = &plan->probes[i];
		g.probe_idx = (int)i;
		emit_program(&g, probes[plan->probes[i].ast_probe], sty);
	}
	LLVMDIBuilderFinalize(g.dib);
	(void)dl;
out:
	free(probes);
	free(g.maps);
	LLVMDisposeDIBuilder(g.dib);
	LLVMDisposeBuilder(g.b);
	return err;
}
