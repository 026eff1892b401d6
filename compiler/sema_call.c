// SPDX-License-Identifier: MIT
/*
 * Checking calls. Aggregations (count, sum, ..., heat) have a value only
 * as the right side of a map assignment; printf, print, clear, zero,
 * delete and exit are statements; reg() reads a register. printf's format
 * is parsed here, once: each conversion is matched with its argument, and
 * the arguments' layout in the ring buffer record goes into the plan.
 */
#include "compiler/sema_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "lang/nearest.h"
#include "gobin/gobin.h"
#include "output/agg.h"

/* The functions that are not aggregations (output/agg.c has those). */
static const char *const functions[] = {
	"printf", "print", "clear", "zero", "delete", "exit", "reg", "str",
};

/* The size of a string str() reads from the process, as bpftrace's. */
#define STR_SIZE 64

/* Largest printf record the BPF stack holds beside keys and variables. */
#define PRINTF_ARGS_MAX 256

bool sema_is_agg(const char *name)
{
	return agg_find(name) != NULL;
}

static bool nargs_is(struct sema *s, struct ast_node *e, size_t want, const char *usage)
{
	if (ast_list_len(e->args) == want)
		return true;
	sema_error(s, &e->loc, "%s() takes %s", e->name, usage);
	return false;
}

/* An integer literal, possibly negated: lhist's bounds. */
static bool const_int(const struct ast_node *e, int64_t *v)
{
	if (e->kind == AST_INT) {
		*v = e->ival;
		return true;
	}
	if (e->kind == AST_UNOP && e->op == OP_NEG && e->lhs->kind == AST_INT) {
		*v = -e->lhs->ival;
		return true;
	}
	return false;
}

static void check_lhist(struct sema *s, struct ast_node *e)
{
	const char *names[] = { "min", "max", "step" };
	int64_t v[3];
	struct ast_node *a;
	int i = 0;

	if (!nargs_is(s, e, 4, "a value, a min, a max and a step: lhist(v, 0, 100, 10)"))
		return;
	sema_check_int(s, e->args, "the value of lhist()");
	for (a = e->args->next; a; a = a->next, i++) {
		if (!const_int(a, &v[i])) {
			sema_error(s, &a->loc, "lhist()'s %s must be an integer literal", names[i]);
			return;
		}
	}
	if (v[0] < 0)
		sema_error(s, &e->args->next->loc, "lhist()'s min must not be negative");
	else if (v[1] <= v[0])
		sema_error(s, &e->args->next->next->loc, "lhist()'s max must be above its min");
	else if (v[2] <= 0)
		sema_error(s, &e->args->next->next->next->loc, "lhist()'s step must be positive");
	else if ((v[1] - v[0]) / v[2] > 1000)
		sema_error(s, &e->args->next->next->next->loc,
			   "lhist() would have %lld buckets; at most 1000 are allowed",
			   (long long)((v[1] - v[0]) / v[2]));
}

static void check_agg(struct sema *s, struct ast_node *e)
{
	const struct agg *agg = agg_find(e->name);
	size_t nargs = ast_list_len(e->args);

	e->type = (struct type){ .kind = TYPE_AGG };
	if (agg->kind == AGG_LHIST) {
		check_lhist(s, e);
	} else if (agg->kind == AGG_HEAT) {
		if (nargs < 1 || nargs > 2) {
			sema_error(s, &e->loc, "%s() takes an index, or a row and a column", e->name);
			diag_hint(s->dl, "@h = heat(index); or @h = heat(row, col);");
		}
		for (struct ast_node *a = e->args; a; a = a->next)
			sema_check_int(s, a, "a heat index");
	} else if (nargs_is(s, e, (size_t)agg->nargs, agg->usage) && agg->nargs == 1) {
		char what[32];

		snprintf(what, sizeof(what), "the value of %s()", e->name);
		sema_check_int(s, e->args, what);
	}
}

/* The nearest function or aggregation name, for a hint. */
static const char *nearest_function(const char *name)
{
	const char *names[ARRAY_LEN(functions) + 32];
	size_t n = agg_names(names, 32);

	if (n > 32)
		n = 32;
	for (size_t i = 0; i < ARRAY_LEN(functions); i++)
		names[n++] = functions[i];
	return nearest_in(name, names, n);
}

/* A printf argument's slot in the record: 8-byte aligned. */
static bool add_printf_arg(struct plan_printf *pf, const struct type *t)
{
	struct plan_value *v = realloc(pf->args, (pf->nargs + 1) * sizeof(*v));

	if (!v)
		return false;
	pf->args = v;
	v[pf->nargs] = sema_value_of(t);
	v[pf->nargs].offset = pf->size;
	pf->size += (v[pf->nargs].size + 7) & ~7u;
	pf->nargs++;
	return true;
}

/* Walks fmt's conversions, matching each with the next argument. */
static void check_format(struct sema *s, struct ast_node *e, struct plan_printf *pf)
{
	const char *f = e->args->name;
	struct ast_node *a = e->args->next;
	size_t nconv = 0, nargs = ast_list_len(a);

	for (const char *p = f; *p; p++) {
		char conv;

		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		p += strspn(p, "-+ #0");
		p += strspn(p, "0123456789");
		if (*p == '.')
			p += 1 + strspn(p + 1, "0123456789");
		p += strspn(p, "hlzjt");
		conv = *p;
		if (!conv || !strchr("diuxXocps", conv)) {
			sema_error(s, &e->args->loc, "printf format has an unknown conversion '%%%c'",
				   conv ? conv : ' ');
			diag_hint(s->dl, "conversions: %%d %%i %%u %%x %%X %%o %%c %%p %%s %%%%");
			return;
		}
		nconv++;
		if (!a)
			continue;
		if (a->type.kind != TYPE_ERROR) {
			bool want_str = conv == 's';
			bool ok = want_str ? a->type.kind == TYPE_STRING || a->type.kind == TYPE_SYM :
					     a->type.kind == TYPE_INT;

			if (!ok)
				sema_error(s, &a->loc, "%%%c expects %s, not %s", conv,
					   want_str ? "a string" : "an integer",
					   sema_type_name(&a->type));
			else if (!add_printf_arg(pf, &a->type))
				sema_error(s, &a->loc, "out of memory");
		}
		a = a->next;
	}
	if (nconv != nargs)
		sema_error(s, nargs > nconv ? &e->args->next->loc : &e->loc,
			   "printf format has %zu conversion%s but %zu argument%s follow%s", nconv,
			   nconv == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s",
			   nargs == 1 ? "s" : "");
	else if (pf->size > PRINTF_ARGS_MAX)
		sema_error(s, &e->loc, "printf arguments take %u bytes; at most %d fit",
			   pf->size, PRINTF_ARGS_MAX);
}

static void check_printf(struct sema *s, struct ast_node *e)
{
	struct plan *plan = s->plan;
	struct plan_printf *pf;

	if (!e->args || e->args->kind != AST_STRING) {
		sema_error(s, e->args ? &e->args->loc : &e->loc,
			   "printf() takes a format string first");
		diag_hint(s->dl, "printf(\"%%d\\n\", arg0)");
		return;
	}
	pf = realloc(plan->printfs, (plan->nprintfs + 1) * sizeof(*pf));
	if (!pf) {
		sema_error(s, &e->loc, "out of memory");
		return;
	}
	plan->printfs = pf;
	pf = &plan->printfs[plan->nprintfs];
	*pf = (struct plan_printf){ .fmt = strdup(e->args->name) };
	e->ival = (int64_t)plan->nprintfs++;
	check_format(s, e, pf);
}

/* print(@m [, top [, div]]), clear(@m), zero(@m), delete(@m[k]). */
static void check_map_action(struct sema *s, struct ast_node *e)
{
	struct ast_node *m = e->args;
	bool is_delete = !strcmp(e->name, "delete"), is_print = !strcmp(e->name, "print");
	size_t nargs = ast_list_len(e->args);
	struct plan_map *pm;

	if (!m || m->kind != AST_MAP || nargs > (is_print ? 3u : 1u)) {
		sema_error(s, &e->loc, "%s() takes a map%s", e->name,
			   is_delete ? " entry: delete(@m[key])" :
			   is_print ? ", and optionally top and div: print(@m, 10)" : ": clear(@m)");
		return;
	}
	if (!is_delete && m->args) {
		sema_error(s, &m->loc, "%s() acts on a whole map: %s(%s)", e->name, e->name, m->name);
		return;
	}
	for (struct ast_node *a = m->next; a; a = a->next) {
		sema_check_expr(s, a);
		if (a->kind != AST_INT || a->ival < 0)
			sema_error(s, &a->loc, "print()'s top and div must be integer literals");
	}
	pm = sema_map_use(s, m, is_delete ? MAP_ENTRY : MAP_WHOLE);
	if (pm && is_delete && !pm->nkeys)
		sema_error(s, &m->loc, "delete() removes one entry of a map with keys; use "
			   "clear(%s) for %s", m->name, m->name);
	if (pm && pm->agg == AGG_HEAT)
		sema_error(s, &m->loc, "%s() cannot act on heat map %s: the engine prints it",
			   e->name, m->name);
}

static void check_reg(struct sema *s, struct ast_node *e)
{
	e->type = (struct type){ .kind = TYPE_INT };
	if (ast_list_len(e->args) != 1 || e->args->kind != AST_STRING) {
		sema_error(s, &e->loc, "%s() takes one string: the register's name", e->name);
		diag_hint(s->dl, "for example reg(\"ax\")");
	} else if (gobin_reg_offset(e->args->name) < 0) {
		sema_error(s, &e->args->loc, "unknown register '%s'", e->args->name);
		const char *near = sema_reg_nearest(e->args->name);

		if (near)
			diag_hint(s->dl, "did you mean '%s'?", near);
	}
}

/* str(s): a string as it is; str(ptr): a C string; str(ptr, len): a Go
 * string, whose bytes have no NUL. */
static void check_str(struct sema *s, struct ast_node *e)
{
	size_t nargs = ast_list_len(e->args);

	e->type = (struct type){ .kind = TYPE_STRING, .size = STR_SIZE };
	if (nargs < 1 || nargs > 2) {
		sema_error(s, &e->loc, "str() takes a string, a pointer, or a pointer and a length");
		diag_hint(s->dl, "a Go string argument is two registers: str(arg0, arg1)");
		return;
	}
	if (nargs == 1 && e->args->type.kind == TYPE_STRING) {
		e->type = e->args->type;
		return;
	}
	sema_check_int(s, e->args, "str()'s pointer");
	if (nargs == 2)
		sema_check_int(s, e->args->next, "str()'s length");
}

void sema_check_call(struct sema *s, struct ast_node *e)
{
	const char *near;

	if (strcmp(e->name, "print") && strcmp(e->name, "clear") && strcmp(e->name, "zero") &&
	    strcmp(e->name, "delete"))
		for (struct ast_node *a = e->args; a; a = a->next)
			sema_check_expr(s, a);
	e->type = (struct type){ .kind = TYPE_NONE };
	if (sema_is_agg(e->name)) {
		check_agg(s, e);
	} else if (!strcmp(e->name, "printf")) {
		check_printf(s, e);
	} else if (!strcmp(e->name, "print") || !strcmp(e->name, "clear") ||
		   !strcmp(e->name, "zero") || !strcmp(e->name, "delete")) {
		check_map_action(s, e);
	} else if (!strcmp(e->name, "exit")) {
		nargs_is(s, e, 0, "no arguments");
	} else if (!strcmp(e->name, "reg")) {
		check_reg(s, e);
	} else if (!strcmp(e->name, "str")) {
		check_str(s, e);
	} else {
		e->type = (struct type){ .kind = TYPE_ERROR };
		sema_error(s, &e->loc, "unknown function '%s'", e->name);
		near = nearest_function(e->name);
		if (near)
			diag_hint(s->dl, "did you mean '%s()'?", near);
	}
}
