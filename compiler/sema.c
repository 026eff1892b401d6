// SPDX-License-Identifier: MIT
/*
 * Semantic checks, one walk over the tree. Every expression is a 64-bit
 * integer whose signedness follows bpftrace: literals are signed, registers
 * and process facts unsigned, and a binary operation is signed only when
 * both sides are. Maps get their key layout and aggregation from their first
 * use, and every later use must agree with it. Each error names its place
 * and, where one exists, the nearest valid name.
 */
#include "compiler/sema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/hotspot.h"

static const struct {
	const char *name;
	int off;
} regs[] = {
	/* In the order hints prefer them. */
	{ "ax", HS_REG_AX }, { "bx", HS_REG_BX }, { "cx", HS_REG_CX },
	{ "dx", HS_REG_DX }, { "si", HS_REG_SI }, { "di", HS_REG_DI },
	{ "bp", HS_REG_BP }, { "sp", HS_REG_SP }, { "r8", HS_REG_R8 },
	{ "r9", HS_REG_R9 }, { "r10", HS_REG_R10 }, { "r11", HS_REG_R11 },
	{ "r12", HS_REG_R12 }, { "r13", HS_REG_R13 }, { "r14", HS_REG_R14 },
	{ "r15", HS_REG_R15 }, { "ip", HS_REG_IP }, { "flags", HS_REG_FLAGS },
	{ "orig_ax", HS_REG_ORIG_AX }, { "cs", HS_REG_CS }, { "ss", HS_REG_SS },
};

static const char *const builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", "arg7", "arg8",
	"pid", "tid", "nsecs", "cpu",
};

/* Defined only where an access probe fires: see runtime/provider_access.c. */
static const char *const access_builtins[] = {
	"index", "row", "col", "len", "addr", "elem_size", "elem", "site",
};

static const char *const functions[] = { "count", "heat", "reg", "exit" };

int sema_reg_offset(const char *name)
{
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (!strcmp(regs[i].name, name))
			return regs[i].off;
	return -1;
}

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row, best;

	row = malloc((lb + 1) * sizeof(*row));
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *sema_nearest(const char *name, const char *const *names, size_t n)
{
	size_t limit = strlen(name) / 3, best_d = (size_t)-1;
	const char *best = NULL;

	if (limit < 1)
		limit = 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(name, names[i]);

		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct sema {
	struct plan *plan;
	struct diag_list *dl;
	int errors;
	bool in_access;		/* every attach point of the probe is access: */
};

static void error(struct sema *s, const struct src_loc *loc, const char *fmt, const char *arg)
{
	diag_add(s->dl, DIAG_ERROR, loc, fmt, arg);
	s->errors++;
}

static void check_expr(struct sema *s, struct ast_node *e);
static void check_int(struct sema *s, struct ast_node *e, const char *what);

static bool is_builtin(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(builtins); i++)
		if (!strcmp(builtins[i], name))
			return true;
	return false;
}

bool sema_is_access_builtin(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(access_builtins); i++)
		if (!strcmp(access_builtins[i], name))
			return true;
	return false;
}

static void check_builtin(struct sema *s, struct ast_node *e)
{
	const char *all[ARRAY_LEN(builtins) + ARRAY_LEN(access_builtins)];
	const char *near;

	e->type = (struct type){ .kind = TYPE_INT, .is_signed = false, false };
	if (is_builtin(e->name))
		return;
	if (sema_is_access_builtin(e->name)) {
		if (!s->in_access) {
			error(s, &e->loc, "%s is only defined in access probes", e->name);
			diag_hint(s->dl, "access:PATH:ARRAY { @m[%s] = count(); }", e->name);
		}
		e->type.is_site = !strcmp(e->name, "site");
		return;
	}
	if (!strncmp(e->name, "sarg", 4)) {
		error(s, &e->loc, "%s is meaningless for Go programs", e->name);
		diag_hint(s->dl, "Go passes arguments in registers: use arg0..arg8");
		return;
	}
	error(s, &e->loc, "unknown builtin '%s'", e->name);
	memcpy(all, builtins, sizeof(builtins));
	memcpy(all + ARRAY_LEN(builtins), access_builtins, sizeof(access_builtins));
	near = sema_nearest(e->name, all, ARRAY_LEN(all));
	if (near)
		diag_hint(s->dl, "did you mean '%s'?", near);
}

static void check_call(struct sema *s, struct ast_node *e)
{
	size_t nargs = ast_list_len(e->args);
	const char *near;

	for (struct ast_node *a = e->args; a; a = a->next)
		check_expr(s, a);
	if (!strcmp(e->name, "count")) {
		e->type = (struct type){ .kind = TYPE_AGG, .is_signed = false };
		if (nargs)
			error(s, &e->loc, "%s() takes no arguments", e->name);
	} else if (!strcmp(e->name, "heat")) {
		e->type = (struct type){ .kind = TYPE_AGG };
		if (nargs < 1 || nargs > 2) {
			error(s, &e->loc, "%s() takes an index, or a row and a column", e->name);
			diag_hint(s->dl, "@h = heat(index); or @h = heat(row, col);");
		}
		for (struct ast_node *a = e->args; a; a = a->next)
			check_int(s, a, "a heat index");
	} else if (!strcmp(e->name, "exit")) {
		e->type = (struct type){ .kind = TYPE_NONE, .is_signed = false };
		if (nargs)
			error(s, &e->loc, "%s() takes no arguments", e->name);
	} else if (!strcmp(e->name, "reg")) {
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = false };
		if (nargs != 1 || e->args->kind != AST_STRING) {
			error(s, &e->loc, "%s() takes one string: the register's name", e->name);
			diag_hint(s->dl, "for example reg(\"ax\")");
		} else if (sema_reg_offset(e->args->name) < 0) {
			error(s, &e->args->loc, "unknown register '%s'", e->args->name);
			for (size_t i = 0; i < ARRAY_LEN(regs); i++) {
				const char *r = regs[i].name;

				if (distance(r, e->args->name) <= 1) {
					diag_hint(s->dl, "did you mean '%s'?", r);
					break;
				}
			}
		}
	} else {
		e->type = (struct type){ .kind = TYPE_ERROR, .is_signed = false };
		error(s, &e->loc, "unknown function '%s'", e->name);
		near = sema_nearest(e->name, functions, ARRAY_LEN(functions));
		if (near)
			diag_hint(s->dl, "did you mean '%s()'?", near);
	}
}

static void check_int(struct sema *s, struct ast_node *e, const char *what)
{
	if (e->type.kind == TYPE_INT || e->type.kind == TYPE_ERROR)
		return;
	if (e->type.kind == TYPE_AGG)
		error(s, &e->loc, "%s() can only be assigned to a map", e->name);
	else if (e->type.kind == TYPE_STRING)
		error(s, &e->loc, "a string cannot be %s", what);
	else if (e->kind == AST_MAP)
		error(s, &e->loc, "map %s cannot be read in an expression yet", e->name);
	else
		error(s, &e->loc, "%s() has no value", e->name);
}

static void check_expr(struct sema *s, struct ast_node *e)
{
	switch (e->kind) {
	case AST_INT:
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = true };
		return;
	case AST_STRING:
		e->type = (struct type){ .kind = TYPE_STRING, .is_signed = false };
		return;
	case AST_BUILTIN:
		check_builtin(s, e);
		return;
	case AST_CALL:
		check_call(s, e);
		return;
	case AST_MAP:
		e->type = (struct type){ .kind = TYPE_NONE, .is_signed = false };
		return;
	case AST_UNOP:
		check_expr(s, e->lhs);
		check_int(s, e->lhs, "negated");
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = true };
		return;
	case AST_BINOP:
		check_expr(s, e->lhs);
		check_expr(s, e->rhs);
		check_int(s, e->lhs, "an operand");
		check_int(s, e->rhs, "an operand");
		if ((e->op == OP_DIV || e->op == OP_MOD) && e->rhs->kind == AST_INT &&
		    e->rhs->ival == 0)
			error(s, &e->rhs->loc, "division by zero%s", "");
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = e->lhs->type.is_signed && e->rhs->type.is_signed };
		return;
	default:
		error(s, &e->loc, "not an expression%s", "");
	}
}

static void check_map_assign(struct sema *s, struct ast_node *st)
{
	struct ast_node *m = st->lhs, *v = st->rhs;
	int nkeys = (int)ast_list_len(m->args), i = 0;
	struct plan_map *pm;
	enum agg_kind agg;

	for (struct ast_node *k = m->args; k; k = k->next) {
		check_expr(s, k);
		check_int(s, k, "a map key yet");
	}
	check_expr(s, v);
	if (v->type.kind == TYPE_ERROR)
		return;
	if (v->type.kind != TYPE_AGG) {
		error(s, &v->loc, "only an aggregation can be assigned to map %s", m->name);
		diag_hint(s->dl, "for example %s = count()", m->name);
		return;
	}
	if (nkeys > PLAN_MAX_KEYS) {
		error(s, &m->loc, "map %s has more keys than the 8 allowed", m->name);
		return;
	}
	agg = strcmp(v->name, "heat") ? AGG_COUNT : AGG_HEAT;
	if (agg == AGG_HEAT && nkeys) {
		error(s, &m->loc, "heat map %s takes no keys: each heat map has one engine",
		      m->name);
		diag_hint(s->dl, "use one map per array: @h1 = heat(index); @h2 = heat(index);");
		return;
	}
	pm = plan_find_map(s->plan, m->name);
	if (pm && pm->agg != agg) {
		diag_add(s->dl, DIAG_ERROR, &v->loc, "map %s is given %s() here but %s() before",
			 m->name, v->name, pm->agg == AGG_HEAT ? "heat" : "count");
		diag_add(s->dl, DIAG_NOTE, &pm->loc, "first use of %s", m->name);
		s->errors++;
		return;
	}
	if (pm && agg == AGG_HEAT && pm->dims != ast_list_len(v->args)) {
		error(s, &v->loc, "heat map %s is fed one index here and two elsewhere", m->name);
		return;
	}
	if (!pm) {
		pm = plan_add_map(s->plan, m->name);
		if (!pm) {
			error(s, &m->loc, "out of memory%s", "");
			return;
		}
		pm->agg = agg;
		pm->dims = (unsigned)ast_list_len(v->args);
		hotspot_params_default(&pm->hot);
		pm->nkeys = nkeys;
		pm->key_size = nkeys ? 8 * nkeys : 4;
		pm->value_size = 8;
		pm->max_entries = nkeys ? 4096 : 1;
		pm->loc = m->loc;
		for (struct ast_node *k = m->args; k; k = k->next, i++) {
			pm->keys[i] = (struct plan_value){
				.kind = k->type.is_site ? VAL_SYM : VAL_INT,
				.is_signed = k->type.is_signed,
				.sym = SYM_SITE,
				.offset = 8 * i,
				.size = 8,
			};
		}
	} else if (pm->nkeys != nkeys) {
		diag_add(s->dl, DIAG_ERROR, &m->loc, "map %s is used with %d key%s here but %d before",
			 m->name, nkeys, nkeys == 1 ? "" : "s", pm->nkeys);
		diag_add(s->dl, DIAG_NOTE, &pm->loc, "first use of %s", m->name);
		s->errors++;
	}
	m->map_id = (int)(pm - s->plan->maps);
}

static void check_stmt(struct sema *s, struct ast_node *st)
{
	switch (st->kind) {
	case AST_MAP_ASSIGN:
		check_map_assign(s, st);
		return;
	case AST_EXPR_STMT:
		check_expr(s, st->lhs);
		if (st->lhs->type.kind == TYPE_ERROR)
			return;
		if (st->lhs->kind != AST_CALL || st->lhs->type.kind != TYPE_NONE) {
			if (st->lhs->type.kind == TYPE_AGG)
				error(s, &st->lhs->loc, "%s() must be assigned to a map",
				      st->lhs->name);
			else
				error(s, &st->lhs->loc, "expression result is unused%s", "");
			diag_hint(s->dl, "store it in a map: @m[...] = count()");
		}
		return;
	default:
		error(s, &st->loc, "not a statement%s", "");
	}
}

/* A hotspot block after every probe is checked, so it can name any map. */
static void check_hotspot(struct sema *s, const struct ast_node *h)
{
	struct plan_map *pm = plan_find_map(s->plan, h->name);

	if (!pm || pm->agg != AGG_HEAT) {
		error(s, &h->loc, "hotspot %s: no heat map of that name", h->name);
		diag_hint(s->dl, "feed it in a probe: %s = heat(index);", h->name);
		return;
	}
	if (pm->has_hotspot) {
		error(s, &h->loc, "a second hotspot block for %s", h->name);
		return;
	}
	pm->has_hotspot = true;
	if (hotspot_apply(h, &pm->hot, s->dl))
		s->errors++;
}

int sema_check(struct ast_node *program, struct plan *plan, struct diag_list *dl)
{
	struct sema s = { .plan = plan, .dl = dl };

	for (struct ast_node *p = program->body; p; p = p->next) {
		if (p->kind != AST_PROBE)
			continue;
		s.in_access = true;
		for (struct ast_node *a = p->args; a; a = a->next)
			s.in_access &= !strcmp(a->name, "access");
		if (p->cond) {
			check_expr(&s, p->cond);
			check_int(&s, p->cond, "a predicate");
		}
		for (struct ast_node *st = p->body; st; st = st->next)
			check_stmt(&s, st);
	}
	for (struct ast_node *h = program->body; h; h = h->next)
		if (h->kind == AST_HOTSPOT)
			check_hotspot(&s, h);
	return s.errors ? -EINVAL : 0;
}
