// SPDX-License-Identifier: MIT
/*
 * access:PATH:ARRAY and access:PATH:FUNC: a probe on every indexed access to
 * a Go array (a global, or an array field of a global struct), or on every
 * bounds-checked indexed access inside a function (slices passed as
 * arguments included). gobin/sites.c decodes the machine code and names,
 * for each access, where the probe sits (the conditional jump of its
 * bounds check, a jump the kernel emulates, so the probe is cheap; or the
 * access itself when there is no check, as for a masked index), how index,
 * row, length and the array's first element are computed from the
 * registers there, and the flag test that skips the failing pass. Each
 * site becomes one plan probe, so the program attached there knows its
 * registers as constants.
 *
 * A function is looked up by its exact name first (so generic instances,
 * "main.pick[go.shape.int64]", are names, not patterns), in every copy a
 * stripped binary holds of it, and, when it was inlined everywhere, in the
 * functions that hold its inlined copies. A check that gives no site is
 * listed with `-l` with the reason; an error about a function or an array
 * says what was found in it and why that was not usable.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "lang/nearest.h"
#include "probes/placement.h"
#include "probes/provider.h"

/* Go's signed integer element types read back signed. */
static bool signed_type(const char *t)
{
	return t && (!strcmp(t, "int") || !strcmp(t, "int8") || !strcmp(t, "int16") ||
		     !strcmp(t, "int32") || !strcmp(t, "int64"));
}

static void plan_lin_of(struct plan_lin *p, const struct gobin_lin *g)
{
	*p = (struct plan_lin){
		.known = g->known, .reg = g->reg, .reg2 = g->reg2, .mul = g->mul,
		.mul2 = g->mul2, .add = g->add, .bias = g->bias, .mod = g->mod,
		.div = g->div ? g->div : 1,
	};
}

static int add_sites(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
		     const char *path, const struct gobin *gb, const struct gobin_site *sites,
		     size_t n, const struct gobin_var *var)
{
	for (size_t i = 0; i < n; i++) {
		const struct gobin_site *s = &sites[i];
		struct plan_access *pa;
		struct plan_probe *p;
		char spec[512];
		int err;

		/* The probe builtin: the array as written (a field path stays
		 * one), or the function the site is in, as uprobe names a match. */
		snprintf(spec, sizeof(spec), "access:%s:%s", a->path, var ? a->func : s->func);
		err = provider_place_site(rc, a, gb, spec, s->vaddr);
		if (err < 0)
			return err;
		if (err)	/* the kernel would refuse or misrun it: left out, with a note */
			continue;
		p = plan__add_probe(rc->plan, PROBE_ACCESS, spec, path, s->func);
		if (!p)
			return -ENOMEM;
		p->ast_probe = probe;
		p->loc = a->loc;
		p->file_offset = s->file_offset;
		p->skip_if_any_set = s->skip_if_any_set;
		p->skip_if_all_clear = s->skip_if_all_clear;
		/* In a function without a frame, ustack needs the caller from [SP]. */
		p->at_entry = provider_sp_at_ret(gb, s->vaddr);
		pa = &p->access;
		pa->vaddr = s->vaddr;
		plan_lin_of(&pa->index, &s->index);
		plan_lin_of(&pa->row, &s->row);
		plan_lin_of(&pa->len, &s->len);
		plan_lin_of(&pa->base, &s->base);
		pa->elem_size = s->elem_size;
		pa->row_size = s->row_size;
		pa->outer = s->outer;
		pa->disp = s->disp;
		pa->read_size = s->read_size;
		pa->elem_signed = var && signed_type(var->cols ? var->col_type : var->elem_type);
		if (var && var->kind == GOBIN_KIND_ARRAY && var->types_known && var->len) {
			pa->rows = var->cols ? var->len : 1;
			pa->cols = var->cols ? var->cols : var->len;
		}
		if (s->file ? asprintf(&pa->site, "%s+%#llx %s:%d", s->func,
				       (unsigned long long)s->func_offset, s->file, s->line) < 0 :
			      asprintf(&pa->site, "%s+%#llx", s->func,
				       (unsigned long long)s->func_offset) < 0) {
			pa->site = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

/* The closest global or function name, for the hint of a name that is neither. */
static const char *nearest_name(const struct gobin *gb, const char *name)
{
	size_t n = gobin__var_count(gb);
	struct nearest near;
	struct gobin_var v;

	nearest_init(&near, name);
	for (size_t i = 0; i < n; i++)
		if (!gobin__var_at(gb, i, &v))
			nearest_offer(&near, v.global, NULL, 0);
	provider_offer_funcs(&near, gb);
	return nearest_best(&near);
}

/* Defined where an access probe fires, from the site (plan_probe.access). */
static const struct provider_builtin at_site[] = {
	{ "index", .type = TYPE_INT, .site = true },
	{ "row", .type = TYPE_INT, .site = true },
	{ "col", .type = TYPE_INT, .site = true },
	{ "len", .type = TYPE_INT, .site = true },
	{ "addr", .type = TYPE_INT, .site = true },
	{ "elem_size", .type = TYPE_INT, .site = true },
	{ "elem", .type = TYPE_INT, .site = true },	/* signed where every site reads a Go intN */
	{ "site", .type = TYPE_SYM, .sym = SYM_SITE, .site = true },
	{ NULL },
};

static const struct provider_builtin *const access_builtins[] = {
	provider_func_builtins, at_site, NULL,
};

/* The sites of an inlined copy of name in a function that holds one. */
static void keep_inlined(const struct gobin *gb, const char *name, struct gobin_accesses *acc)
{
	size_t w = 0;

	for (size_t i = 0; i < acc->nsites; i++)
		if (gobin__addr_in_inlined(gb, acc->sites[i].access_vaddr, name))
			acc->sites[w++] = acc->sites[i];
	acc->nsites = w;
	w = 0;
	for (size_t i = 0; i < acc->nskips; i++)
		if (gobin__addr_in_inlined(gb, acc->skips[i].vaddr, name))
			acc->skips[w++] = acc->skips[i];
	acc->nskips = w;
}

/* Why a function gave no site: its checks, or that it has none. */
static void explain_no_site(const struct resolve_ctx *rc, const struct ast_node *a,
			    const char *func, size_t checks, const struct gobin_skip *why)
{
	if (!checks) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s has no indexed access in %s", func,
			 a->path);
		diag_hint(rc->dl, "a constant index into a global array has no register to "
				  "read; probe the array itself: access:%s:ARRAY", a->path);
		return;
	}
	diag_add(rc->dl, DIAG_ERROR, &a->loc,
		 "%s has %zu bounds check%s in %s, none usable as an access site", func, checks,
		 checks == 1 ? "" : "s", a->path);
	if (why)
		diag_hint(rc->dl, "%s+%#llx: %s; `hotspan -l 'access:%s:%s'` lists each", why->func,
			  (unsigned long long)why->func_offset, why->reason, a->path, func);
}

/* access:PATH:FUNC for the functions fns (copies of one name, or the hosts
 * of an inlined one when inlined is set). */
static int resolve_funcs(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
			 const char *path, const struct gobin *gb, const struct gobin_func *fns,
			 size_t nfns, const char *inlined, size_t *total)
{
	const struct gobin_skip *first = NULL;
	struct gobin_accesses *all;
	size_t checks = 0;
	int err = 0;

	all = calloc(nfns ? nfns : 1, sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < nfns && !err; i++) {
		err = gobin__func_accesses(gb, &fns[i], &all[i]);
		if (err)
			break;
		if (inlined)
			keep_inlined(gb, inlined, &all[i]);
		checks += inlined ? all[i].nsites + all[i].nskips : all[i].nchecks;
		for (size_t k = 0; k < all[i].nskips && !first; k++)
			if (!all[i].skips[k].covered)
				first = &all[i].skips[k];
		err = add_sites(rc, a, probe, path, gb, all[i].sites, all[i].nsites, NULL);
		*total += all[i].nsites;
	}
	if (err)
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot read the machine code of %s: %s",
			 path, strerror(-err));
	else if (!*total) {
		explain_no_site(rc, a, a->func, checks, first);
		err = -ENOENT;
	}
	for (size_t i = 0; i < nfns; i++)
		gobin_accesses_free(&all[i]);
	free(all);
	return err;
}

static int resolve_var(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
		       const char *path, const struct gobin *gb, const struct gobin_var *var)
{
	struct gobin_site *sites = NULL;
	size_t n = 0;
	int err;

	if (var->types_known && var->kind != GOBIN_KIND_ARRAY) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s is a %s, not an array", a->func,
			 var->type_name ? var->type_name : "value");
		diag_hint(rc->dl, "for a slice, probe the functions that index it: "
				  "access:%s:FUNC", a->path);
		return -EINVAL;
	}
	err = gobin__var_access_sites(gb, var, &sites, &n);
	if (!err)
		err = add_sites(rc, a, probe, path, gb, sites, n, var);
	free(sites);
	if (err) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot read the machine code of %s: %s",
			 path, strerror(-err));
	} else if (!n) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc,
			 "%s (%s, %llu bytes at %#llx) is never indexed in the machine code of %s",
			 a->func, var->type_name ? var->type_name : "type unknown",
			 (unsigned long long)var->size, (unsigned long long)var->addr, a->path);
		diag_hint(rc->dl, "code that reaches it through a pointer or a slice is seen by "
				  "access:%s:FUNC of that function", a->path);
		err = -ENOENT;
	}
	return err;
}

static int access_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	struct gobin_func *fns = NULL, fn;
	struct gobin_var var;
	struct gobin *gb;
	size_t nfns = 0, total = 0;
	char *path;
	int err = 0;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	if (!gobin__find_var(gb, a->func, &var)) {
		err = resolve_var(rc, a, probe, path, gb, &var);
	} else if (!gobin__find_funcs(gb, a->func, &fns, &nfns)) {
		if (nfns > 1)
			diag_add(rc->dl, DIAG_NOTE, &a->loc,
				 "%s is %zu functions in %s (instances of one generic function): "
				 "each is probed", a->func, nfns, a->path);
		err = resolve_funcs(rc, a, probe, path, gb, fns, nfns, NULL, &total);
	} else if (gobin__func_is_inlined_only(gb, a->func)) {
		err = gobin__inlined_into(gb, a->func, &fns, &nfns);
		if (!err && nfns)
			diag_add(rc->dl, DIAG_NOTE, &a->loc,
				 "%s is inlined everywhere in %s: its copies in %zu function%s "
				 "(%s%s) are probed", a->func, a->path, nfns, nfns == 1 ? "" : "s",
				 fns[0].name, nfns > 1 ? ", ..." : "");
		if (!err)
			err = resolve_funcs(rc, a, probe, path, gb, fns, nfns, a->func, &total);
	} else if (strpbrk(a->func, "*?[")) {
		for (size_t i = 0; i < gobin__func_count(gb) && !err; i++) {
			struct gobin_site *sites;
			size_t n;

			if (gobin__func_at(gb, i, &fn) || fnmatch(a->func, fn.name, 0))
				continue;
			err = gobin__func_access_sites(gb, &fn, &sites, &n);
			if (!err)
				err = add_sites(rc, a, probe, path, gb, sites, n, NULL);
			total += n;
			free(sites);
		}
		if (err) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 "cannot read the machine code of %s: %s", path, strerror(-err));
		} else if (!total) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 "no function matching %s in %s has a bounds-checked access",
				 a->func, a->path);
			err = -ENOENT;
		}
	} else {
		const char *near = nearest_name(gb, a->func);

		diag_add(rc->dl, DIAG_ERROR, &a->loc, "no array or function %s in %s", a->func,
			 a->path);
		if (near)
			diag_hint(rc->dl, "did you mean '%s'?", near);
		err = -ENOENT;
	}
	free(fns);
	gobin__close(gb);
	free(path);
	return err;
}

static void list_site(FILE *out, const struct gobin_site *s)
{
	fprintf(out, "\t%s+%#llx", s->func, (unsigned long long)s->func_offset);
	if (s->file)
		fprintf(out, " %s:%d", s->file, s->line);
	if (s->inlined_from)
		fprintf(out, " (inlined %s)", s->inlined_from);
	fprintf(out, " %s", s->is_write ? "write" : "read");
	if (s->elem_size)
		fprintf(out, ", %llu-byte elements", (unsigned long long)s->elem_size);
	else
		fprintf(out, ", element size unknown");
	if (s->at_access)
		fprintf(out, ", no bounds check");
	fputc('\n', out);
}

static void list_skips(FILE *out, const struct gobin_skip *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (k[i].covered)
			continue;
		fprintf(out, "\t%s+%#llx", k[i].func, (unsigned long long)k[i].func_offset);
		if (k[i].file)
			fprintf(out, " %s:%d", k[i].file, k[i].line);
		if (k[i].inlined_from)
			fprintf(out, " (inlined %s)", k[i].inlined_from);
		fprintf(out, " not a site: %s\n", k[i].reason);
	}
}

struct totals {
	size_t checks, sited, sites, listed, unchecked;
};

static void list_func(FILE *out, const struct ast_node *a, const struct gobin_func *fn,
		      const struct gobin_accesses *acc, struct totals *t)
{
	size_t listed = 0;

	for (size_t k = 0; k < acc->nskips; k++)
		listed += !acc->skips[k].covered;
	t->checks += acc->nchecks;
	t->sited += acc->nchecks_sited;
	for (size_t k = 0; k < acc->nsites; k++) {
		t->sites += !acc->sites[k].unchecked;
		t->unchecked += acc->sites[k].unchecked;
	}
	t->listed += acc->nchecks - acc->nchecks_sited;
	if (!acc->nsites && !listed)
		return;
	fprintf(out, "access:%s:%s %zu site%s", a->path, fn->name, acc->nsites,
		acc->nsites == 1 ? "" : "s");
	if (listed)
		fprintf(out, ", %zu check%s not a site", listed, listed == 1 ? "" : "s");
	fputc('\n', out);
	for (size_t k = 0; k < acc->nsites; k++)
		list_site(out, &acc->sites[k]);
	list_skips(out, acc->skips, acc->nskips);
}

/* Arrays first, with their types, lengths and sites, then the functions
 * with their sites and the checks that are not sites. */
static int access_list(const struct resolve_ctx *rc, const struct ast_node *a, FILE *out)
{
	const char *pattern = *a->func ? a->func : "*";
	struct gobin_var *vars = NULL, var;
	struct gobin_func *exact = NULL, fn;
	struct gobin_site *sites = NULL;
	struct totals t = { 0 };
	size_t nvars = 0, nsites = 0, nexact = 0, nf;
	struct gobin *gb;
	char *path;
	int err = 0;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	/* An exact name is a name even with [ in it (a generic instance). */
	bool exact_var = !gobin__find_var(gb, pattern, &var);

	if (!exact_var && gobin__find_funcs(gb, pattern, &exact, &nexact) &&
	    !strpbrk(pattern, "*?") && gobin__func_is_inlined_only(gb, pattern))
		gobin__inlined_into(gb, pattern, &exact, &nexact);
	vars = calloc(gobin__var_count(gb) + 1, sizeof(*vars));
	if (!vars) {
		err = -ENOMEM;
		goto out;
	}
	if (exact_var) {
		if (!var.types_known || var.kind == GOBIN_KIND_ARRAY)
			vars[nvars++] = var;
	} else if (!nexact) {
		for (size_t i = 0; i < gobin__var_count(gb); i++) {
			if (gobin__var_at(gb, i, &var) || fnmatch(pattern, var.global, 0))
				continue;
			if (!var.types_known || var.kind == GOBIN_KIND_ARRAY)
				vars[nvars++] = var;
		}
	}
	if (nvars)
		err = gobin__vars_access_sites(gb, vars, nvars, &sites, &nsites);
	for (size_t v = 0; v < nvars && !err; v++) {
		size_t n = 0;

		for (size_t k = 0; k < nsites; k++)
			n += !strcmp(sites[k].var, vars[v].global) &&
			     sites[k].base_addr == vars[v].addr;
		if (!n)
			continue;
		fprintf(out, "access:%s:%s%s%s %s, ", a->path, vars[v].global,
			vars[v].field ? "." : "", vars[v].field ? vars[v].field : "",
			vars[v].type_name ? vars[v].type_name : "(type unknown)");
		/* An N-D array's index counts cells; row counts rows of the last
		 * dimension. */
		if (vars[v].cols)
			fprintf(out, "%llu elements of %llu bytes in %llu rows, ",
				(unsigned long long)(vars[v].len * vars[v].cols),
				(unsigned long long)vars[v].col_size, (unsigned long long)vars[v].len);
		else
			fprintf(out, "%llu elements of %llu bytes, ", (unsigned long long)vars[v].len,
				(unsigned long long)vars[v].elem_size);
		fprintf(out, "%zu site%s\n", n, n == 1 ? "" : "s");
		for (size_t k = 0; k < nsites; k++)
			if (!strcmp(sites[k].var, vars[v].global) &&
			    sites[k].base_addr == vars[v].addr)
				list_site(out, &sites[k]);
	}
	/* Functions one at a time: memory stays that of the largest one. */
	nf = nexact ? nexact : exact_var ? 0 : gobin__func_count(gb);
	for (size_t i = 0; i < nf && !err; i++) {
		struct gobin_accesses acc;

		if (!(i & 255))
			diag_progress(rc->dl, "functions decoded", i, nf);
		if (nexact)
			fn = exact[i];
		else if (gobin__func_at(gb, i, &fn) || fnmatch(pattern, fn.name, 0))
			continue;
		if (!fn.size || gobin__func_accesses(gb, &fn, &acc))
			continue;
		if (nexact && strcmp(fn.name, pattern))
			keep_inlined(gb, pattern, &acc);
		list_func(out, a, &fn, &acc, &t);
		gobin_accesses_free(&acc);
	}
	diag_progress(rc->dl, "functions decoded", nf, nf);
	/* One line of totals when more than one function was listed. */
	if (!err && nf > 1 && t.checks)
		fprintf(out, "# %zu bounds checks: %zu reached by the %zu sites, %zu listed with "
			     "a reason; %zu sites of accesses no check guards\n", t.checks, t.sited,
			t.sites, t.listed, t.unchecked);
out:
	free(sites);
	free(vars);
	free(exact);
	gobin__close(gb);
	free(path);
	return err;
}

const struct provider provider_access = {
	.name = "access",
	.kind = PROBE_ACCESS,
	.uprobe = true,
	.builtins = access_builtins,
	.resolve = access_resolve,
	.attach = provider_attach_uprobe,
	.list = access_list,
};
