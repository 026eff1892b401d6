// SPDX-License-Identifier: MIT
/*
 * Semantic checks, one walk over the tree. Integers are 64 bits and their
 * signedness follows bpftrace: literals are signed, registers and process
 * facts unsigned, and a binary operation is signed only when both sides are.
 * Strings have a fixed size, NUL-padded; func, probe and site are symbols
 * (a probe's index that prints as a name); ustack is a stack key. Scratch
 * variables take their type from their first assignment in the probe; maps
 * take their aggregation from their first assignment in the script, and
 * every other use must agree with it. Each error names its place and, where
 * one exists, the nearest valid name.
 */
#include "compiler/sema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/hotspot.h"
#include "gobin/gobin.h"
#include "lang/nearest.h"
#include "probes/provider.h"


#include "compiler/sema_internal.h"

#include <stdarg.h>
#include <stdio.h>

/* The builtins every probe defines; each kind of probe declares its own
 * (arg0, func, index, retval...) in its file of probes/. */
static const struct builtin {
	const char *name;
	enum type_kind kind;
	int sym;		/* TYPE_SYM: enum sym_kind */
	unsigned size;		/* TYPE_STRING */
} builtins[] = {
	{ "pid", TYPE_INT, 0, 0 },
	{ "tid", TYPE_INT, 0, 0 },
	{ "uid", TYPE_INT, 0, 0 },
	{ "gid", TYPE_INT, 0, 0 },
	{ "nsecs", TYPE_INT, 0, 0 },
	{ "elapsed", TYPE_INT, 0, 0 },
	{ "cpu", TYPE_INT, 0, 0 },
	{ "comm", TYPE_STRING, 0, 16 },
	{ "probe", TYPE_SYM, SYM_PROBE, 0 },
};

static const struct builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(builtins); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* The kinds of probe (bits of provider_at() indices) that define name. */
static unsigned defined_in(const char *name)
{
	unsigned where = 0;

	for (size_t i = 0; i < provider_count(); i++)
		if (provider_builtin(provider_at(i), name))
			where |= 1u << i;
	return where;
}

/* "access probes", "uprobe, uretprobe and access probes", for an error. */
static const char *where_text(unsigned where, char *buf, size_t len)
{
	size_t n = 0, count = 0, all = provider_count(), at = 0;
	unsigned not_special = 0;

	for (size_t i = 0; i < all; i++) {
		enum probe_kind k = provider_at(i)->kind;

		if (k != PROBE_BEGIN && k != PROBE_END)
			not_special |= 1u << i;
		count += !!(where & (1u << i));
	}
	if (where == not_special)
		return "probes other than BEGIN and END";
	buf[0] = '\0';
	for (size_t i = 0; i < all && n < len; i++) {
		if (!(where & (1u << i)))
			continue;
		at++;
		n += snprintf(buf + n, len - n, "%s%s", at == 1 ? "" : at == count ? " and " : ", ",
			      provider_at(i)->name);
	}
	if (n < len)
		snprintf(buf + n, len - n, " probes");
	return buf;
}

const char *sema_reg_nearest(const char *name)
{
	const char *names[32];
	size_t n = gobin_reg_names(names, 32);

	return nearest_in(name, names, n < 32 ? n : 32);
}

void sema_error(struct sema *s, const struct src_loc *loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(s->dl, DIAG_ERROR, loc, "%s", msg);
	s->errors++;
}

const char *sema_type_name(const struct type *t)
{
	switch (t->kind) {
	case TYPE_INT: return "an integer";
	case TYPE_STRING: return "a string";
	case TYPE_SYM: return "a name";
	case TYPE_STACK: return "a stack";
	case TYPE_AGG: return "an aggregation";
	default: return "no value";
	}
}

/* elem is signed where every site of the probe reads a Go intN. */
static bool elem_signed(const struct sema *s)
{
	bool any = false;

	for (size_t i = 0; i < s->plan->nprobes; i++) {
		const struct plan_probe *p = &s->plan->probes[i];

		if (p->ast_probe != s->ast_probe || p->kind != PROBE_ACCESS)
			continue;
		if (!p->access.elem_signed)
			return false;
		any = true;
	}
	return any;
}

/* Every builtin name, common or of some kind of probe, for a hint. */
static const char *nearest_builtin(const char *name)
{
	struct nearest near;

	nearest_init(&near, name);
	for (size_t i = 0; i < ARRAY_LEN(builtins); i++)
		nearest_offer(&near, builtins[i].name, NULL, 0);
	for (size_t i = 0; i < provider_count(); i++) {
		const struct provider *pv = provider_at(i);

		for (const struct provider_builtin *const *l = pv->builtins; l && *l; l++)
			for (const struct provider_builtin *b = *l; b->name; b++)
				nearest_offer(&near, b->name, NULL, 0);
	}
	return nearest_best(&near);
}

static void check_builtin(struct sema *s, struct ast_node *e)
{
	const struct builtin *b = find_builtin(e->name);
	unsigned where = b ? 0 : defined_in(e->name);
	const char *near;
	char buf[128];

	if (b) {
		e->type = (struct type){ .kind = b->kind, .sym = b->sym, .size = b->size };
		if (!strcmp(b->name, "elapsed"))
			s->plan->start_var = "hs_start";
		return;
	}
	if (where) {
		const struct provider_builtin *pb = NULL;

		for (size_t i = 0; !pb; i++)
			if (where & (1u << i))
				pb = provider_builtin(provider_at(i), e->name);
		e->type = (struct type){ .kind = pb->type, .is_signed = pb->is_signed,
					 .sym = pb->sym };
		if (!strcmp(e->name, "elem"))
			e->type.is_signed = elem_signed(s);
		if (pb->type == TYPE_STACK)
			s->plan->stacks_map = "stacks";
		if ((s->kinds & where) != s->kinds) {
			sema_error(s, &e->loc, "%s is only defined in %s", e->name,
				   where_text(where, buf, sizeof(buf)));
			if (pb->site)
				diag_hint(s->dl, "access:PATH:ARRAY { @m[%s] = count(); }", e->name);
		}
		return;
	}
	e->type = (struct type){ .kind = TYPE_ERROR };
	if (!strncmp(e->name, "sarg", 4)) {
		sema_error(s, &e->loc, "%s is meaningless for Go programs", e->name);
		diag_hint(s->dl, "Go passes arguments in registers: use arg0..arg8");
		return;
	}
	if (sema_is_agg(e->name) || !strcmp(e->name, "printf") || !strcmp(e->name, "exit")) {
		sema_error(s, &e->loc, "%s is a function: call it as %s()", e->name, e->name);
		return;
	}
	sema_error(s, &e->loc, "unknown builtin '%s'", e->name);
	near = nearest_builtin(e->name);
	if (near)
		diag_hint(s->dl, "did you mean '%s'?", near);
}

void sema_check_int(struct sema *s, struct ast_node *e, const char *what)
{
	if (e->type.kind == TYPE_INT || e->type.kind == TYPE_ERROR)
		return;
	if (e->type.kind == TYPE_AGG)
		sema_error(s, &e->loc, "%s() can only be assigned to a map", e->name);
	else if (e->type.kind == TYPE_NONE)
		sema_error(s, &e->loc, "%s() has no value", e->name);
	else
		sema_error(s, &e->loc, "%s must be an integer, not %s", what,
			   sema_type_name(&e->type));
}

static struct sema_var *find_var(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

static void check_var(struct sema *s, struct ast_node *e)
{
	struct sema_var *v = find_var(s, e->name);

	if (!v) {
		e->type = (struct type){ .kind = TYPE_ERROR };
		sema_error(s, &e->loc, "variable %s is used before it is assigned", e->name);
		return;
	}
	e->type = v->type;
}

/* The type two values share: both branches of ?:, both sides of ==. */
static bool unify(struct type *out, const struct type *a, const struct type *b)
{
	if (a->kind != b->kind || (a->kind == TYPE_SYM && a->sym != b->sym))
		return false;
	*out = *a;
	out->is_signed = a->is_signed && b->is_signed;
	if (b->size > out->size)
		out->size = b->size;
	return true;
}

static void check_binop(struct sema *s, struct ast_node *e)
{
	struct type t;

	sema_check_expr(s, e->lhs);
	sema_check_expr(s, e->rhs);
	if (e->lhs->type.kind == TYPE_ERROR || e->rhs->type.kind == TYPE_ERROR) {
		e->type = (struct type){ .kind = TYPE_ERROR };
		return;
	}
	if ((e->op == OP_EQ || e->op == OP_NE) && e->lhs->type.kind == TYPE_STRING) {
		e->type = (struct type){ .kind = TYPE_INT };
		if (e->rhs->type.kind != TYPE_STRING)
			sema_error(s, &e->rhs->loc, "a string can only be compared with a string, "
				   "not %s", sema_type_name(&e->rhs->type));
		return;
	}
	if ((e->op == OP_EQ || e->op == OP_NE) && unify(&t, &e->lhs->type, &e->rhs->type) &&
	    t.kind == TYPE_SYM) {
		e->type = (struct type){ .kind = TYPE_INT };
		return;
	}
	sema_check_int(s, e->lhs, "an operand");
	sema_check_int(s, e->rhs, "an operand");
	if ((e->op == OP_DIV || e->op == OP_MOD) && e->rhs->kind == AST_INT && e->rhs->ival == 0)
		sema_error(s, &e->rhs->loc, "division by zero");
	e->type = (struct type){ .kind = TYPE_INT,
				 .is_signed = e->lhs->type.is_signed && e->rhs->type.is_signed };
	if (e->op == OP_LAND || e->op == OP_LOR)
		e->type.is_signed = false;
}

static void check_ternary(struct sema *s, struct ast_node *e)
{
	sema_check_expr(s, e->cond);
	sema_check_int(s, e->cond, "a condition");
	sema_check_expr(s, e->lhs);
	sema_check_expr(s, e->rhs);
	if (e->lhs->type.kind == TYPE_ERROR || e->rhs->type.kind == TYPE_ERROR) {
		e->type = (struct type){ .kind = TYPE_ERROR };
		return;
	}
	if (!unify(&e->type, &e->lhs->type, &e->rhs->type) || e->type.kind == TYPE_NONE ||
	    e->type.kind == TYPE_AGG) {
		sema_error(s, &e->rhs->loc, "both sides of ?: must have one type, not %s and %s",
			   sema_type_name(&e->lhs->type), sema_type_name(&e->rhs->type));
		e->type = (struct type){ .kind = TYPE_ERROR };
	}
}

void sema_check_expr(struct sema *s, struct ast_node *e)
{
	switch (e->kind) {
	case AST_INT:
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = true };
		return;
	case AST_STRING:
		e->type = (struct type){ .kind = TYPE_STRING,
					 .size = (unsigned)(strlen(e->name) + 8) & ~7u };
		if (e->type.size > HS_STR_MAX)
			sema_error(s, &e->loc, "a string longer than %d bytes", HS_STR_MAX - 1);
		return;
	case AST_BUILTIN:
		check_builtin(s, e);
		return;
	case AST_CALL:
		sema_check_call(s, e);
		return;
	case AST_VAR:
		check_var(s, e);
		return;
	case AST_MAP: {
		struct plan_map *pm = sema_map_use(s, e, MAP_READ);

		e->type = pm ? (struct type){ .kind = TYPE_INT, .is_signed = pm->val.is_signed } :
			       (struct type){ .kind = TYPE_ERROR };
		return;
	}
	case AST_UNOP:
		sema_check_expr(s, e->lhs);
		sema_check_int(s, e->lhs, e->op == OP_NOT ? "the operand of !" :
				e->op == OP_BNOT ? "the operand of ~" : "a negated value");
		/* - and ~ keep their operand's signedness, as in bpftrace 0.17:
		 * sum(-arg0) is unsigned, -(3 > 2) is -1; ! is unsigned. */
		e->type = (struct type){ .kind = TYPE_INT, .is_signed = e->op != OP_NOT &&
					 e->lhs->type.is_signed };
		return;
	case AST_BINOP:
		check_binop(s, e);
		return;
	case AST_TERNARY:
		check_ternary(s, e);
		return;
	default:
		e->type = (struct type){ .kind = TYPE_ERROR };
		sema_error(s, &e->loc, "not an expression");
	}
}

static void check_var_assign(struct sema *s, struct ast_node *st)
{
	struct ast_node *v = st->rhs;
	struct sema_var *var;
	struct type t;

	sema_check_expr(s, v);
	if (v->type.kind == TYPE_ERROR)
		return;
	if (v->type.kind == TYPE_AGG || v->type.kind == TYPE_NONE) {
		sema_error(s, &v->loc, "%s() cannot be assigned to a variable", v->name);
		if (v->type.kind == TYPE_AGG)
			diag_hint(s->dl, "aggregations live in maps: @m = %s(%s)", v->name,
				  v->args ? "..." : "");
		return;
	}
	var = find_var(s, st->lhs->name);
	if (!var) {
		if (s->nvars == s->cap_vars) {
			size_t cap = s->cap_vars ? s->cap_vars * 2 : 8;
			struct sema_var *nv = realloc(s->vars, cap * sizeof(*nv));

			if (!nv) {
				sema_error(s, &st->loc, "out of memory");
				return;
			}
			s->vars = nv;
			s->cap_vars = cap;
		}
		var = &s->vars[s->nvars++];
		*var = (struct sema_var){ .name = st->lhs->name, .type = v->type, .loc = st->lhs->loc };
	} else if (!unify(&t, &var->type, &v->type)) {
		diag_add(s->dl, DIAG_ERROR, &v->loc, "variable %s holds %s, not %s",
			 st->lhs->name, sema_type_name(&var->type), sema_type_name(&v->type));
		diag_add(s->dl, DIAG_NOTE, &var->loc, "first assigned here");
		s->errors++;
		return;
	} else {
		t.is_signed = var->type.is_signed;
		var->type = t;
	}
	st->lhs->type = var->type;
}

static void check_stmts(struct sema *s, struct ast_node *st);

static void check_stmt(struct sema *s, struct ast_node *st)
{
	switch (st->kind) {
	case AST_MAP_ASSIGN:
		sema_check_map_assign(s, st);
		return;
	case AST_VAR_ASSIGN:
		check_var_assign(s, st);
		return;
	case AST_IF:
		sema_check_expr(s, st->cond);
		sema_check_int(s, st->cond, "an if condition");
		check_stmts(s, st->body);
		check_stmts(s, st->rhs);
		return;
	case AST_EXPR_STMT:
		sema_check_expr(s, st->lhs);
		if (st->lhs->type.kind == TYPE_ERROR)
			return;
		if (st->lhs->kind != AST_CALL || st->lhs->type.kind != TYPE_NONE) {
			if (st->lhs->type.kind == TYPE_AGG) {
				sema_error(s, &st->lhs->loc, "%s() must be assigned to a map",
					   st->lhs->name);
				diag_hint(s->dl, "for example @m[...] = %s(%s)", st->lhs->name,
					  st->lhs->args ? "..." : "");
			} else {
				sema_error(s, &st->lhs->loc, "expression result is unused");
				diag_hint(s->dl, "store it: @m[...] = ... or $x = ..., or print it "
					  "with printf()");
			}
		}
		return;
	default:
		sema_error(s, &st->loc, "not a statement");
	}
}

static void check_stmts(struct sema *s, struct ast_node *st)
{
	for (; st; st = st->next)
		check_stmt(s, st);
}

/* Strings in a variable get the size of the largest assigned to it. */
static void fix_var_sizes(struct sema *s, struct ast_node *n)
{
	for (; n; n = n->next) {
		if (n->kind == AST_VAR) {
			struct sema_var *v = find_var(s, n->name);

			if (v && v->type.kind == n->type.kind)
				n->type.size = v->type.size;
		}
		fix_var_sizes(s, n->lhs);
		fix_var_sizes(s, n->rhs);
		fix_var_sizes(s, n->cond);
		fix_var_sizes(s, n->args);
		fix_var_sizes(s, n->body);
	}
}

/* A hotspot block after every probe is checked, so it can name any map. */
static void check_hotspot(struct sema *s, const struct ast_node *h)
{
	struct plan_map *pm = plan__find_map(s->plan, h->name);

	if (!pm || pm->agg != AGG_HEAT) {
		sema_error(s, &h->loc, "hotspot %s: no heat map of that name", h->name);
		diag_hint(s->dl, "feed it in a probe: %s = heat(index);", h->name);
		return;
	}
	if (pm->has_hotspot) {
		sema_error(s, &h->loc, "a second hotspot block for %s", h->name);
		return;
	}
	pm->has_hotspot = true;
	if (hotspot_apply(h, &pm->hot, s->dl))
		s->errors++;
}

/* The bit of a kind of probe, as defined_in() sets them. */
static unsigned probe_bits(const char *provider)
{
	for (size_t i = 0; i < provider_count(); i++)
		if (!strcmp(provider_at(i)->name, provider))
			return 1u << i;
	return (1u << provider_count()) - 1;
}

/* Every map assignment of the script, so that reads know what they read. */
static void declare_maps(struct sema *s, const struct ast_node *st)
{
	for (; st; st = st->next) {
		if (st->kind == AST_IF) {
			declare_maps(s, st->body);
			declare_maps(s, st->rhs);
		}
		if (st->kind != AST_MAP_ASSIGN)
			continue;
		struct map_decl *d = realloc(s->decls, (s->ndecls + 1) * sizeof(*d));

		if (!d)
			return;
		s->decls = d;
		d[s->ndecls].name = st->lhs->name;
		d[s->ndecls].agg = st->rhs->kind == AST_CALL && sema_is_agg(st->rhs->name) ?
				   st->rhs->name : NULL;
		s->ndecls++;
	}
}

/* One BEGIN and one END, as in bpftrace: several would run in an order
 * the kernel chooses. */
static void check_once(struct sema *s, const struct ast_node *a, const char *name,
		       const struct ast_node **seen)
{
	if (strcmp(a->name, name))
		return;
	if (*seen) {
		diag_add(s->dl, DIAG_ERROR, &a->loc, "a second %s probe", name);
		diag_hint(s->dl, "put its statements in the first %s block", name);
		diag_add(s->dl, DIAG_NOTE, &(*seen)->loc, "the first %s", name);
		s->errors++;
		return;
	}
	*seen = a;
}

int sema_check(struct ast_node *program, struct plan *plan, struct diag_list *dl)
{
	struct sema s = { .plan = plan, .dl = dl };
	const struct ast_node *begin = NULL, *end = NULL;

	for (struct ast_node *p = program->body; p; p = p->next)
		if (p->kind == AST_PROBE)
			declare_maps(&s, p->body);
	s.ast_probe = -1;
	for (struct ast_node *p = program->body; p; p = p->next) {
		s.ast_probe++;
		if (p->kind != AST_PROBE)
			continue;
		s.kinds = 0;
		s.nvars = 0;
		for (struct ast_node *a = p->args; a; a = a->next) {
			s.kinds |= probe_bits(a->name);
			check_once(&s, a, "BEGIN", &begin);
			check_once(&s, a, "END", &end);
		}
		if (p->cond) {
			sema_check_expr(&s, p->cond);
			sema_check_int(&s, p->cond, "a predicate");
		}
		check_stmts(&s, p->body);
		fix_var_sizes(&s, p->body);
	}
	for (struct ast_node *h = program->body; h; h = h->next)
		if (h->kind == AST_HOTSPOT)
			check_hotspot(&s, h);
	/* Only a script that checked has layouts: a map refused for having
	 * more than PLAN_MAX_KEYS keys has no room for them. */
	if (!s.errors)
		sema_map_layout(&s);
	free(s.vars);
	free(s.decls);
	return s.errors ? -EINVAL : 0;
}
