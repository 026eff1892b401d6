// SPDX-License-Identifier: MIT
/*
 * Code generation. Each plan probe becomes one function `i32 pN(ptr ctx)` in
 * section "uprobe" ("perf_event" for interval probes) that runs its probe's
 * predicate and statements; codegen_expr.c emits the expressions. Helper
 * work (map updates, process facts) is a call into the BPF library, whose
 * bitcode is linked in and inlined later.
 *
 * Map kinds follow the cost per event: aggregations are per-CPU (a hash
 * with keys, a one-entry array without), updated in place with no lock or
 * atomic; a key's first event copies a zero value from the `zeros` map,
 * because a hist() value is larger than the BPF stack. Plain values
 * (`@m[k] = v`) are shared maps, last writer wins.
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
#include "compiler/codegen_internal.h"
#include "compiler/sema.h"
#include "output/agg.h"

#define RINGBUF_SIZE (256 * 1024)
/* Heat records are 40 bytes: 16 MiB holds 400,000 accesses between polls. */
#define HEAT_RINGBUF_SIZE (16 * 1024 * 1024)

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
	LLVMTypeRef fields[5] = { g->ptr, g->ptr, g->ptr, g->ptr, g->ptr };
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

/* `T[n]` of u64 words, or u64 itself for one word. */
static LLVMMetadataRef di_words(struct cg *g, uint32_t bytes)
{
	LLVMMetadataRef u64 = di_basic(g, "unsigned long long", 64, 7), sub;
	uint32_t n = (bytes + 7) / 8;

	if (n <= 1)
		return u64;
	sub = LLVMDIBuilderGetOrCreateSubrange(g->dib, 0, n);
	return LLVMDIBuilderCreateArrayType(g->dib, 64 * n, 64, u64, &sub, 1);
}

/*
 * A map definition as libbpf reads it from BTF. Hashes are made with
 * BPF_F_NO_PREALLOC: preallocating a per-CPU hash's 4096 entries took the
 * kernel 1.7 ms of a 2 ms load, at every start; the kernel's BPF allocator
 * then gives an entry on a key's first update, and later updates are in
 * place, as before (docs/benchmarks.md).
 */
static LLVMValueRef add_map(struct cg *g, const char *name, unsigned line, unsigned type,
			    uint32_t max_entries, uint32_t key_size, uint32_t value_size)
{
	LLVMMetadataRef m[5];
	unsigned n = 4;

	m[0] = di_uint_member(g, g->file, "type", type, 0);
	m[1] = di_uint_member(g, g->file, "max_entries", max_entries, 64);
	if (!key_size)
		return map_global(g, name, line, m, 2);
	m[2] = di_type_member(g, g->file, "key", key_size == 4 ?
			      di_basic(g, "unsigned int", 32, 7) : di_words(g, key_size), 128);
	m[3] = di_type_member(g, g->file, "value", di_words(g, value_size), 192);
	if (type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH)
		m[n++] = di_uint_member(g, g->file, "map_flags", BPF_F_NO_PREALLOC, 256);
	return map_global(g, name, line, m, n);
}

static bool per_cpu(const struct plan_map *pm)
{
	return agg_of(pm->agg)->per_cpu;
}

/* Only count() without keys is an array: it always prints, 0 or not. A
 * hash's one entry (key u32 0) tells "never given a value" from "given 0",
 * which bpftrace prints differently for sum(), a value and the rest. */
static bool is_hash(const struct plan_map *pm)
{
	return pm->nkeys || !agg_of(pm->agg)->keyless_array;
}

/* `elapsed` reads a u64 in .rodata that the runtime sets before loading. */
static void emit_start_var(struct cg *g)
{
	LLVMMetadataRef expr, gve;
	const char *name = g->plan->start_var;

	g->start = LLVMAddGlobal(g->mod, g->i64, name);
	LLVMSetInitializer(g->start, cg_c64(g, 0));
	LLVMSetSection(g->start, ".rodata");
	LLVMSetAlignment(g->start, 8);
	expr = LLVMDIBuilderCreateExpression(g->dib, NULL, 0);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		g->dib, g->cu, name, strlen(name), name, strlen(name), g->file, 0,
		di_basic(g, "unsigned long long", 64, 7), 0, expr, NULL, 64);
	LLVMGlobalSetMetadata(g->start, LLVMGetMDKindIDInContext(g->ctx, "dbg", 3), gve);
}

/* One global per script map, then the events ring buffer and the helpers'
 * maps: lost heat records, zeros, user stacks. */
static void emit_maps(struct cg *g)
{
	uint32_t zeros = 0;
	bool heat = false, hash = false;

	for (size_t i = 0; i < g->plan->nmaps; i++) {
		const struct plan_map *pm = &g->plan->maps[i];
		unsigned type;

		if (agg_of(pm->agg)->streamed) {
			heat = true;	/* heat(): streamed, not stored */
			continue;
		}
		if (is_hash(pm))
			type = per_cpu(pm) ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH;
		else
			type = BPF_MAP_TYPE_PERCPU_ARRAY;
		if (is_hash(pm) && per_cpu(pm) && pm->value_size > zeros)
			zeros = pm->value_size;
		hash |= is_hash(pm);
		g->maps[i] = add_map(g, pm->var, pm->loc.line, type, pm->max_entries, pm->key_size,
				     pm->value_size);
	}
	g->events = add_map(g, "events", 0, BPF_MAP_TYPE_RINGBUF,
			    heat ? HEAT_RINGBUF_SIZE : RINGBUF_SIZE, 0, 0);
	g->plan->events_map = "events";
	if (heat) {
		g->lost = add_map(g, "lost", 0, BPF_MAP_TYPE_PERCPU_ARRAY, g->plan->nmaps, 4, 8);
		g->plan->lost_map = "lost";
	}
	if (hash) {	/* keys a full map had no room for, counted by map */
		g->full = add_map(g, "full", 0, BPF_MAP_TYPE_PERCPU_ARRAY, g->plan->nmaps, 4, 8);
		g->plan->full_map = "full";
	}
	if (zeros)
		g->zeros = add_map(g, "zeros", 0, BPF_MAP_TYPE_ARRAY, 1, 4, zeros);
	if (g->plan->stacks_map)
		g->stacks = add_map(g, g->plan->stacks_map, 0, BPF_MAP_TYPE_STACK_TRACE, 4096, 4,
				    HS_STACK_DEPTH * 8);
	if (g->plan->start_var)
		emit_start_var(g);
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

/* --- statements ----------------------------------------------------------------- */

static void emit_stmts(struct cg *g, const struct ast_node *st);

static void emit_heat(struct cg *g, const struct ast_node *st)
{
	const struct ast_node *a = st->rhs->args;
	LLVMValueRef row = a->next ? cg_expr(g, a) : cg_c64(g, 0);
	LLVMValueRef col = cg_expr(g, a->next ? a->next : a);
	LLVMValueRef args[] = { g->events, g->lost, LLVMConstInt(g->i32, st->lhs->map_id, 0),
				LLVMConstInt(g->i32, g->probe_idx, 0), row, col };

	cg_lib_call(g, "hs_heat", g->void_t, args, 6);
}

/* Adds v to this CPU's value p of an aggregation, through its bpf-lib function. */
static void update_agg(struct cg *g, const struct plan_map *pm, LLVMValueRef p, LLVMValueRef v)
{
	LLVMValueRef args[] = { p, v ? v : cg_c64(g, 0), cg_c64(g, pm->lhist.min),
				cg_c64(g, pm->lhist.max), cg_c64(g, pm->lhist.step),
				cg_c64(g, pm->lhist.slots) };

	cg_lib_call(g, agg_of(pm->agg)->update, g->void_t, args, 6);
}

/* @m[k] = agg(v): this CPU's value, made on the key's first event. */
static void emit_agg(struct cg *g, const struct ast_node *st)
{
	const struct ast_node *m = st->lhs, *arg = st->rhs->args;
	const struct plan_map *pm = &g->plan->maps[m->map_id];
	LLVMValueRef v = arg ? cg_expr(g, arg) : NULL, key = NULL, p;
	LLVMBasicBlockRef found = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "");
	LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "");

	if (is_hash(pm)) {
		LLVMValueRef args[] = { g->maps[m->map_id], NULL, g->zeros, g->full,
					LLVMConstInt(g->i32, m->map_id, 0) };

		key = args[1] = cg_key(g, m);
		p = cg_lib_call(g, "hs_value", g->ptr, args, 5);
	} else {
		LLVMValueRef args[] = { g->maps[m->map_id] };

		p = cg_lib_call(g, "hs_value0", g->ptr, args, 1);
	}
	LLVMBuildCondBr(g->b, LLVMBuildIsNotNull(g->b, p, ""), found, done);
	LLVMPositionBuilderAtEnd(g->b, found);
	update_agg(g, pm, p, v);
	LLVMBuildBr(g->b, done);
	LLVMPositionBuilderAtEnd(g->b, done);
	if (key)
		cg_temp_end(g, key, cg_key_size(g, m));
}

static void emit_map_assign(struct cg *g, const struct ast_node *st)
{
	const struct ast_node *m = st->lhs;
	const struct plan_map *pm = &g->plan->maps[m->map_id];
	LLVMValueRef key, val;

	if (agg_of(pm->agg)->streamed) {
		emit_heat(g, st);
		return;
	}
	if (agg_of(pm->agg)->update) {
		emit_agg(g, st);
		return;
	}
	val = cg_temp(g, pm->value_size, "value");
	cg_store(g, st->rhs, val, pm->value_size);
	key = cg_key(g, m);
	LLVMValueRef args[] = { g->maps[m->map_id], key, val, g->full,
				LLVMConstInt(g->i32, m->map_id, 0) };
	cg_lib_call(g, "hs_map_store", g->void_t, args, 5);
	cg_temp_end(g, key, cg_key_size(g, m));
	cg_temp_end(g, val, pm->value_size);
}

/* printf: a record of the format's id and the arguments' values. */
static void emit_printf(struct cg *g, const struct ast_node *call)
{
	const struct plan_printf *pf = &g->plan->printfs[call->ival];
	unsigned size = sizeof(struct hs_printf_record) + pf->size, i = 0;
	LLVMValueRef rec = cg_temp(g, size, "printf");
	uint64_t hdr = HS_EVENT_PRINTF | (uint64_t)g->probe_idx << 32;

	LLVMBuildStore(g->b, cg_c64(g, hdr), cg_word(g, rec, 0));
	LLVMBuildStore(g->b, cg_c64(g, (uint64_t)call->ival), cg_word(g, rec, 8));
	for (const struct ast_node *a = call->args->next; a; a = a->next, i++)
		cg_store(g, a, cg_word(g, rec, sizeof(struct hs_printf_record) + pf->args[i].offset),
			 (pf->args[i].size + 7) & ~7u);
	LLVMValueRef args[] = { g->events, rec, cg_c64(g, size) };
	cg_lib_call(g, "hs_output", g->void_t, args, 3);
	cg_temp_end(g, rec, size);
}

static void emit_call_stmt(struct cg *g, const struct ast_node *call)
{
	static const struct { const char *name; unsigned kind; } actions[] = {
		{ "print", HS_EVENT_PRINT }, { "clear", HS_EVENT_CLEAR }, { "zero", HS_EVENT_ZERO },
	};
	LLVMValueRef probe = LLVMConstInt(g->i32, g->probe_idx, 0);

	if (!strcmp(call->name, "printf")) {
		emit_printf(g, call);
	} else if (!strcmp(call->name, "exit")) {
		LLVMValueRef args[] = { g->events, probe };

		cg_lib_call(g, "hs_exit", g->void_t, args, 2);
	} else if (!strcmp(call->name, "delete")) {
		LLVMValueRef args[] = { g->maps[call->args->map_id], cg_key(g, call->args) };

		cg_lib_call(g, "hs_map_delete", g->void_t, args, 2);
		cg_temp_end(g, args[1], cg_key_size(g, call->args));
	}
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		const struct ast_node *top, *div;

		if (strcmp(call->name, actions[i].name))
			continue;
		top = call->args->next;
		div = top ? top->next : NULL;
		LLVMValueRef args[] = { g->events, LLVMConstInt(g->i32, actions[i].kind, 0), probe,
					LLVMConstInt(g->i32, call->args->map_id, 0),
					cg_c64(g, top ? (uint64_t)top->ival : 0),
					cg_c64(g, div ? (uint64_t)div->ival : 0) };
		cg_lib_call(g, "hs_map_action", g->void_t, args, 6);
	}
}

static void emit_if(struct cg *g, const struct ast_node *st)
{
	static const char *const names[] = { "then", "else", "fi" };
	struct cg_branch br;

	cg_branch(g, &br, st->cond, CG_THEN | CG_ELSE, names);
	emit_stmts(g, st->body);
	cg_branch_else(g, &br);
	emit_stmts(g, st->rhs);
	cg_branch_join(g, &br);
}

static void emit_stmt(struct cg *g, const struct ast_node *st)
{
	set_loc(g, &st->loc);
	switch (st->kind) {
	case AST_MAP_ASSIGN:
		emit_map_assign(g, st);
		break;
	case AST_VAR_ASSIGN: {
		struct cg_var *v = cg_var(g, st->lhs->name, &st->lhs->type);

		if (v)
			cg_store(g, st->rhs, v->slot, v->size);
		break;
	}
	case AST_IF:
		emit_if(g, st);
		break;
	case AST_EXPR_STMT:
		emit_call_stmt(g, st->lhs);
		break;
	default:
		break;
	}
}

static void emit_stmts(struct cg *g, const struct ast_node *st)
{
	for (; st; st = st->next)
		emit_stmt(g, st);
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
	flags = cg_reg_read(g, HS_REG_FLAGS);
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
	LLVMSetSection(g->fn, p->kind == PROBE_INTERVAL ? "perf_event" : "uprobe");
	LLVMAddAttributeAtIndex(g->fn, LLVMAttributeFunctionIndex,
				LLVMCreateEnumAttribute(g->ctx, nounwind, 0));
	g->ctx_arg = LLVMGetParam(g->fn, 0);
	LLVMSetValueName2(g->ctx_arg, "ctx", 3);
	g->sp = LLVMDIBuilderCreateFunction(g->dib, g->file, p->prog, strlen(p->prog), p->prog,
					    strlen(p->prog), g->file, probe->loc.line, sty, 0, 1,
					    probe->loc.line, LLVMDIFlagPrototyped, 1);
	LLVMSetSubprogram(g->fn, g->sp);
	/* The kernel rejects BTF whose function arguments have no names; an
	 * always-preserved parameter variable names ctx in the prototype. */
	LLVMDIBuilderCreateParameterVariable(g->dib, g->sp, "ctx", 3, 1, g->file, probe->loc.line,
					     LLVMDIBuilderCreatePointerType(g->dib, NULL, 64, 0, 0,
									    NULL, 0),
					     1, LLVMDIFlagZero);

	g->entry = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "entry");
	body = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "body");
	ret = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "ret");
	LLVMPositionBuilderAtEnd(g->b, body);
	set_loc(g, &p->loc);
	emit_site_guard(g, ret);
	if (probe->cond) {
		LLVMValueRef v;

		set_loc(g, &probe->cond->loc);
		v = cg_expr(g, probe->cond);
		return_if(g, LLVMBuildICmp(g->b, LLVMIntEQ, v, LLVMConstInt(g->i64, 0, 0), ""),
			  ret);
	}
	g->nvars = 0;
	emit_stmts(g, probe->body);
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
	g.i8 = LLVMInt8TypeInContext(g.ctx);
	g.void_t = LLVMVoidTypeInContext(g.ctx);
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
	free(g.vars);
	LLVMDisposeDIBuilder(g.dib);
	LLVMDisposeBuilder(g.b);
	return err;
}
