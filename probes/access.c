// SPDX-License-Identifier: MIT
/*
 * access:PATH:ARRAY and access:PATH:FUNC: a probe on every bounds-checked
 * indexed access to a Go array (a global, or an array field of a global
 * struct), or on every indexed access inside a function (slices passed as
 * arguments included). gobin/gobin.c decodes the machine code and names,
 * for each access, the conditional jump of its bounds check (a jump the
 * kernel emulates, so the probe is cheap), the registers that hold the index
 * and the length there, the flag test that skips the failing pass, and how
 * to form the element's address. Each site becomes one plan probe, so the
 * program attached there knows its registers as constants.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "lang/nearest.h"
#include "probes/provider.h"

/* Go's signed integer element types read back signed. */
static bool signed_type(const char *t)
{
	return t && (!strcmp(t, "int") || !strcmp(t, "int8") || !strcmp(t, "int16") ||
		     !strcmp(t, "int32") || !strcmp(t, "int64"));
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

		/* The probe builtin: the array as written (a field path stays
		 * one), or the function the site is in, as uprobe names a match. */
		snprintf(spec, sizeof(spec), "access:%s:%s", a->path, var ? a->func : s->func);
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
		pa->index_reg = s->index_reg;
		pa->index_const = s->index_const;
		pa->row_reg = s->row_reg;
		pa->row_const = s->row_const;
		pa->len_reg = s->len_reg;
		pa->len_const = s->len_const;
		pa->base_reg = s->base_reg;
		pa->base_addr = s->base_addr;
		pa->elem_size = s->elem_size;
		pa->row_size = s->row_size;
		pa->disp = s->disp;
		pa->elem_signed = var && signed_type(var->cols ? var->col_type : var->elem_type);
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

static int access_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	struct gobin_site *sites = NULL;
	struct gobin_var var;
	struct gobin_func fn;
	struct gobin *gb;
	size_t n = 0, total = 0;
	char *path;
	int err = 0;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	if (!gobin__find_var(gb, a->func, &var)) {
		if (var.types_known && var.kind != GOBIN_KIND_ARRAY) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s is a %s, not an array", a->func,
				 var.type_name ? var.type_name : "value");
			diag_hint(rc->dl, "for a slice, probe the functions that index it: "
					  "access:%s:FUNC", a->path);
			err = -EINVAL;
			goto out;
		}
		err = gobin__var_access_sites(gb, &var, &sites, &n);
		if (!err)
			err = add_sites(rc, a, probe, path, gb, sites, n, &var);
		total = n;
		free(sites);
	} else if (!gobin__find_func(gb, a->func, &fn)) {
		err = gobin__func_access_sites(gb, &fn, &sites, &n);
		if (!err)
			err = add_sites(rc, a, probe, path, gb, sites, n, NULL);
		total = n;
		free(sites);
	} else if (strpbrk(a->func, "*?[")) {
		for (size_t i = 0; i < gobin__func_count(gb) && !err; i++) {
			if (gobin__func_at(gb, i, &fn) || fnmatch(a->func, fn.name, 0))
				continue;
			err = gobin__func_access_sites(gb, &fn, &sites, &n);
			if (!err)
				err = add_sites(rc, a, probe, path, gb, sites, n, NULL);
			total += n;
			free(sites);
			sites = NULL;
		}
	} else {
		const char *near = nearest_name(gb, a->func);

		diag_add(rc->dl, DIAG_ERROR, &a->loc, "no array or function %s in %s", a->func,
			 a->path);
		if (near)
			diag_hint(rc->dl, "did you mean '%s'?", near);
		err = -ENOENT;
		goto out;
	}
	if (err) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot read the machine code of %s: %s",
			 path, strerror(-err));
	} else if (!total) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "no bounds-checked access to %s in %s",
			 a->func, a->path);
		diag_hint(rc->dl, "an access the Go compiler proves in range, or one inlined "
				  "away, has no bounds check to probe");
		err = -ENOENT;
	}
out:
	gobin__close(gb);
	free(path);
	return err;
}

static void list_sites(FILE *out, const struct gobin_site *sites, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct gobin_site *s = &sites[i];

		fprintf(out, "\t%s+%#llx", s->func, (unsigned long long)s->func_offset);
		if (s->file)
			fprintf(out, " %s:%d", s->file, s->line);
		if (s->inlined_from)
			fprintf(out, " (inlined %s)", s->inlined_from);
		fprintf(out, " %s, %llu-byte elements\n", s->is_write ? "write" : "read",
			(unsigned long long)s->elem_size);
	}
}

/* Arrays first, with their types and lengths, then functions with sites. */
static int access_list(const struct resolve_ctx *rc, const struct ast_node *a, FILE *out)
{
	const char *pattern = *a->func ? a->func : "*";
	struct gobin_site *sites;
	struct gobin_var var;
	struct gobin_func fn;
	struct gobin *gb;
	size_t n;
	char *path;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	for (size_t i = 0; i < gobin__var_count(gb); i++) {
		if (gobin__var_at(gb, i, &var) || fnmatch(pattern, var.global, 0))
			continue;
		if (var.types_known && var.kind != GOBIN_KIND_ARRAY)
			continue;
		if (gobin__var_access_sites(gb, &var, &sites, &n) || !n)
			continue;
		fprintf(out, "access:%s:%s %s, %llu elements of %llu bytes, %zu site%s\n", a->path,
			var.global, var.type_name ? var.type_name : "(type unknown)",
			(unsigned long long)var.len, (unsigned long long)var.elem_size, n,
			n == 1 ? "" : "s");
		list_sites(out, sites, n);
		free(sites);
	}
	for (size_t i = 0; i < gobin__func_count(gb); i++) {
		if (gobin__func_at(gb, i, &fn) || fnmatch(pattern, fn.name, 0))
			continue;
		if (gobin__func_access_sites(gb, &fn, &sites, &n) || !n)
			continue;
		fprintf(out, "access:%s:%s %zu site%s\n", a->path, fn.name, n, n == 1 ? "" : "s");
		list_sites(out, sites, n);
		free(sites);
	}
	gobin__close(gb);
	free(path);
	return 0;
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
