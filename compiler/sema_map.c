// SPDX-License-Identifier: MIT
/*
 * Maps in the semantic pass. A map's first assignment in the script fixes
 * its aggregation, its number of keys and each key's kind; every other use
 * must agree. String keys and values take the size of the largest string
 * given to them, so layouts are made only once every use is known.
 */
#include "compiler/sema_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/hotspot.h"
#include "lang/nearest.h"
#include "output/agg.h"

static enum agg_kind agg_kind_of(const char *name)
{
	const struct agg *agg = agg_find(name);

	return agg ? agg->kind : AGG_VALUE;
}

/* "count()" or "a value", for messages. */
static void agg_desc(char *buf, size_t n, enum agg_kind agg)
{
	if (agg == AGG_VALUE)
		snprintf(buf, n, "a value");
	else
		snprintf(buf, n, "%s()", agg_of(agg)->name);
}

struct plan_value sema_value_of(const struct type *t)
{
	struct plan_value v = { .kind = VAL_INT, .is_signed = t->is_signed, .size = 8 };

	if (t->kind == TYPE_STRING) {
		v.kind = VAL_STRING;
		v.size = t->size;
	} else if (t->kind == TYPE_SYM) {
		v.kind = VAL_SYM;
		v.sym = (enum sym_kind)t->sym;
	} else if (t->kind == TYPE_STACK) {
		v.kind = VAL_STACK;
		v.size = sizeof(struct hs_stack_key);
	}
	return v;
}

static const char *kind_text(enum value_kind k)
{
	static const char *const s[] = {
		[VAL_INT] = "an integer", [VAL_STRING] = "a string", [VAL_SYM] = "a name",
		[VAL_STACK] = "a stack",
	};

	return s[k];
}

static struct plan_map *new_map(struct sema *s, struct ast_node *m, enum agg_kind agg)
{
	struct plan_map *pm = plan__add_map(s->plan, m->name);

	if (!pm) {
		sema_error(s, &m->loc, "out of memory");
		return NULL;
	}
	pm->agg = agg;
	pm->nkeys = (int)ast_list_len(m->args);
	pm->loc = m->loc;
	hotspot_params_default(&pm->hot);
	return pm;
}

/* Checks m's keys and fits them to pm's: same number, same kinds. */
static void check_keys(struct sema *s, struct ast_node *m, struct plan_map *pm, bool first)
{
	int i = 0;

	if (pm->nkeys < 0) {	/* made by print(@m) before its first assignment */
		pm->nkeys = (int)ast_list_len(m->args);
		first = true;
	}
	if (pm->nkeys != (int)ast_list_len(m->args)) {
		int n = (int)ast_list_len(m->args);

		diag_add(s->dl, DIAG_ERROR, &m->loc, "map %s is used with %d key%s here but %d before",
			 m->name, n, n == 1 ? "" : "s", pm->nkeys);
		diag_add(s->dl, DIAG_NOTE, &pm->loc, "first use of %s", m->name);
		s->errors++;
		return;
	}
	if (pm->nkeys > PLAN_MAX_KEYS) {
		sema_error(s, &m->loc, "map %s has more keys than the %d allowed", m->name,
			   PLAN_MAX_KEYS);
		return;
	}
	for (struct ast_node *k = m->args; k; k = k->next, i++) {
		struct plan_value v;

		if (k->type.kind == TYPE_ERROR)
			continue;
		if (k->type.kind == TYPE_AGG || k->type.kind == TYPE_NONE) {
			sema_error(s, &k->loc, "a map key must be a value, not %s",
				   k->type.kind == TYPE_AGG ? "an aggregation" : "a call without one");
			continue;
		}
		v = sema_value_of(&k->type);
		if (first) {
			pm->keys[i] = v;
		} else if (pm->keys[i].kind != v.kind ||
			   (v.kind == VAL_SYM && pm->keys[i].sym != v.sym)) {
			sema_error(s, &k->loc, "key %d of %s is %s here but %s before", i + 1,
				   m->name, kind_text(v.kind), kind_text(pm->keys[i].kind));
		} else if (v.size > pm->keys[i].size) {
			pm->keys[i].size = v.size;
		}
	}
}

struct plan_map *sema_map_use(struct sema *s, struct ast_node *m, enum map_use use)
{
	bool read = use == MAP_READ;
	struct plan_map *pm = plan__find_map(s->plan, m->name);
	const struct map_decl *d = NULL;
	char have[32];

	for (size_t i = 0; i < s->ndecls && !d; i++)
		if (!strcmp(s->decls[i].name, m->name))
			d = &s->decls[i];
	if (!d) {
		const char **names = calloc(s->ndecls + 1, sizeof(*names)), *near;

		sema_error(s, &m->loc, "map %s is never assigned", m->name);
		for (size_t i = 0; names && i < s->ndecls; i++)
			names[i] = s->decls[i].name;
		near = names ? nearest_in(m->name, names, s->ndecls) : NULL;
		if (near)
			diag_hint(s->dl, "did you mean %s?", near);
		free(names);
		return NULL;
	}
	if (read && d->agg) {
		sema_error(s, &m->loc, "map %s holds %s(), which cannot be read in an expression",
			   m->name, d->agg);
		diag_hint(s->dl, "print it with print(%s), or keep a plain value: %s = ...",
			  m->name, m->name);
		return NULL;
	}
	if (use != MAP_WHOLE)	/* print(@m[k]) was refused before */
		for (struct ast_node *k = m->args; k; k = k->next)
			sema_check_expr(s, k);
	if (!pm) {
		pm = new_map(s, m, agg_kind_of(d->agg));
		if (!pm)
			return NULL;
		if (use == MAP_WHOLE)	/* the keys come with the assignment */
			pm->nkeys = -1;
		else
			check_keys(s, m, pm, true);
	} else if (use != MAP_WHOLE) {
		check_keys(s, m, pm, false);
	}
	if (read && pm->agg != AGG_VALUE) {
		agg_desc(have, sizeof(have), pm->agg);
		sema_error(s, &m->loc, "map %s holds %s, which cannot be read in an expression",
			   m->name, have);
		return NULL;
	}
	if (read && pm->value_size && pm->val.kind != VAL_INT) {
		sema_error(s, &m->loc, "map %s holds %s; only integers can be read back", m->name,
			   kind_text(pm->val.kind));
		return NULL;
	}
	m->map_id = (int)(pm - s->plan->maps);
	return pm;
}

/* The value an aggregation is given, or the value itself for AGG_VALUE. */
static bool check_value(struct sema *s, struct ast_node *m, struct plan_map *pm,
			struct ast_node *v, enum agg_kind agg, bool first)
{
	struct plan_value val;

	if (agg_of(agg)->nargs == 0 || agg_of(agg)->streamed)	/* count(), heat() */
		return true;
	if (agg != AGG_VALUE) {
		if (!v->args)
			return true;
		val = sema_value_of(&v->args->type);
		pm->val.is_signed = first ? val.is_signed : pm->val.is_signed && val.is_signed;
		pm->val.kind = VAL_INT;
		pm->val.size = 8;
		if (agg == AGG_LHIST && ast_list_len(v->args) == 4) {
			const struct ast_node *a = v->args->next;
			int64_t lo = a->ival, hi = a->next->ival, step = a->next->next->ival;

			if (!first && (pm->lhist.min != lo || pm->lhist.max != hi ||
				       pm->lhist.step != step)) {
				sema_error(s, &v->loc, "map %s is given lhist() with other bounds "
					   "than before", m->name);
				return false;
			}
			pm->lhist.min = lo;
			pm->lhist.max = hi;
			pm->lhist.step = step;
			pm->lhist.slots = step > 0 ? (uint32_t)((hi - lo) / step + 2) : 2;
		}
		return true;
	}
	if (v->type.kind == TYPE_NONE) {
		sema_error(s, &v->loc, "%s() has no value to assign", v->name);
		return false;
	}
	val = sema_value_of(&v->type);
	if (first || !pm->value_size) {
		pm->val = val;
		pm->value_size = val.size;
	} else if (pm->val.kind != val.kind) {
		diag_add(s->dl, DIAG_ERROR, &v->loc, "map %s is given %s here but %s before",
			 m->name, kind_text(val.kind), kind_text(pm->val.kind));
		diag_add(s->dl, DIAG_NOTE, &pm->loc, "first use of %s", m->name);
		s->errors++;
		return false;
	} else if (val.size > pm->val.size) {
		pm->val.size = pm->value_size = val.size;
	}
	return true;
}

/*
 * The array a heat map covers, for the engine's uniform level: heat(index)
 * or heat(row, col) in an access probe whose every site is on one global
 * array of known extent. Anything else (an expression of the index, a
 * slice, a uprobe argument) leaves it unknown: 0.
 */
static void heat_extent(const struct sema *s, const struct ast_node *v, uint64_t *ext)
{
	const struct ast_node *a = v->args;
	bool plain;

	ext[0] = ext[1] = 0;
	if (ast_list_len(a) == 1)
		plain = a->kind == AST_BUILTIN && !strcmp(a->name, "index");
	else if (ast_list_len(a) == 2)
		plain = a->kind == AST_BUILTIN && !strcmp(a->name, "row") &&
			a->next->kind == AST_BUILTIN && !strcmp(a->next->name, "col");
	else
		plain = false;
	if (!plain)
		return;
	for (size_t i = 0; i < s->plan->nprobes; i++) {
		const struct plan_probe *p = &s->plan->probes[i];

		if (p->ast_probe != s->ast_probe || p->kind != PROBE_ACCESS)
			continue;
		if (!p->access.cols || (ext[1] && (ext[0] != p->access.rows ||
						   ext[1] != p->access.cols))) {
			ext[0] = ext[1] = 0;
			return;
		}
		ext[0] = p->access.rows;
		ext[1] = p->access.cols;
	}
}

void sema_check_map_assign(struct sema *s, struct ast_node *st)
{
	struct ast_node *m = st->lhs, *v = st->rhs;
	struct plan_map *pm;
	enum agg_kind agg;
	char have[32], was[32];
	bool first;

	for (struct ast_node *k = m->args; k; k = k->next)
		sema_check_expr(s, k);
	sema_check_expr(s, v);
	if (v->type.kind == TYPE_ERROR)
		return;
	agg = v->type.kind == TYPE_AGG ? agg_kind_of(v->name) : AGG_VALUE;
	if (agg == AGG_HEAT && m->args) {
		sema_error(s, &m->loc, "heat map %s takes no keys: each heat map has one engine",
			   m->name);
		diag_hint(s->dl, "use one map per array: @h1 = heat(index); @h2 = heat(index);");
		return;
	}
	pm = plan__find_map(s->plan, m->name);
	first = !pm || pm->nkeys < 0;	/* only print(@m) or clear(@m) came before */
	if (pm && pm->agg != agg) {
		agg_desc(have, sizeof(have), agg);
		agg_desc(was, sizeof(was), pm->agg);
		diag_add(s->dl, DIAG_ERROR, &v->loc, "map %s is given %s here but %s before",
			 m->name, have, was);
		diag_add(s->dl, DIAG_NOTE, &pm->loc, "first use of %s", m->name);
		s->errors++;
		return;
	}
	if (pm && agg == AGG_HEAT && pm->dims != ast_list_len(v->args)) {
		sema_error(s, &v->loc, "heat map %s is fed one index here and two elsewhere",
			   m->name);
		return;
	}
	if (!pm) {
		pm = new_map(s, m, agg);
		if (!pm)
			return;
		pm->dims = (unsigned)ast_list_len(v->args);
		if (agg == AGG_HEAT)
			heat_extent(s, v, pm->extent);
	} else if (agg == AGG_HEAT) {
		uint64_t ext[2];

		heat_extent(s, v, ext);
		if (ext[0] != pm->extent[0] || ext[1] != pm->extent[1])
			pm->extent[0] = pm->extent[1] = 0;	/* fed from two arrays */
	}
	check_keys(s, m, pm, first);
	check_value(s, m, pm, v, agg, first);
	m->map_id = (int)(pm - s->plan->maps);
}

void sema_map_layout(struct sema *s)
{
	for (size_t i = 0; i < s->plan->nmaps; i++) {
		struct plan_map *pm = &s->plan->maps[i];
		uint32_t off = 0;

		for (int k = 0; k < pm->nkeys; k++) {
			pm->keys[k].size = (pm->keys[k].size + 7) & ~7u;
			pm->keys[k].offset = off;
			off += pm->keys[k].size;
			if (pm->keys[k].kind == VAL_STACK)
				s->plan->stacks_map = "stacks";
		}
		if (pm->agg == AGG_VALUE && pm->val.kind == VAL_STACK)
			s->plan->stacks_map = "stacks";
		pm->key_size = pm->nkeys ? off : 4;
		pm->value_size = agg_of(pm->agg)->value_size(pm);
		if (pm->agg == AGG_VALUE)
			pm->val.size = pm->value_size;
		pm->max_entries = pm->nkeys ? 4096 : 1;
	}
}
