// SPDX-License-Identifier: MIT
/*
 * uprobe:PATH:FUNC and uprobe:PATH:FUNC+OFF on Go functions. Names are looked
 * up as the Go toolchain writes them, in .symtab or, for a stripped binary,
 * in .gopclntab (gobin/gobin.c); a name with * ? or [ that matches nothing
 * exactly is a wildcard. A function-entry probe sits where gobin says is
 * cheapest and carries the flag test that keeps its counts exact. With -p,
 * PATH is read through /proc/PID/root, and an empty PATH means the
 * process's own executable.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "gobin/gobin.h"
#include "lang/nearest.h"
#include "probes/placement.h"
#include "probes/provider.h"

/* Adds the probe of fn; 1 when its place is unsafe and it is left out. */
static int add_site(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
		    const char *path, const struct gobin *gb, const struct gobin_func *fn,
		    uint64_t off, bool has_off, bool wildcard)
{
	struct gobin_site site = { 0 };
	struct plan_probe *p;
	uint64_t vaddr, file_offset;
	char spec[512];
	int err;

	/* As bpftrace's probe builtin: the path as written, the function
	 * that matched, and an offset as written. */
	if (has_off)
		snprintf(spec, sizeof(spec), "uprobe:%s:%s", a->path, a->func);
	else
		snprintf(spec, sizeof(spec), "uprobe:%s:%s", a->path, fn->name);
	/* An explicit offset is the user's choice of instruction; an entry
	 * sits where gobin says is cheapest, else on the first instruction. */
	if (has_off)
		vaddr = fn->addr + off;
	else if (gobin__entry_site(gb, fn, &site))
		vaddr = fn->addr;
	else
		vaddr = site.vaddr;
	err = provider_place(rc, a, gb, fn, spec, has_off ? PLACE_EXACT :
			     wildcard ? PLACE_ENTRY_ANY : PLACE_ENTRY, &vaddr);
	if (err)
		return err;
	if (gobin__vaddr_to_offset(gb, vaddr, &file_offset)) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s+%#llx is not in the file %s", fn->name,
			 (unsigned long long)(vaddr - fn->addr), a->path);
		return -ENOENT;
	}
	p = plan__add_probe(rc->plan, PROBE_UPROBE, spec, path, fn->name);
	if (!p)
		return -ENOMEM;
	p->ast_probe = probe;
	p->loc = a->loc;
	p->file_offset = file_offset;
	if (has_off || vaddr != (site.vaddr ? site.vaddr : fn->addr)) {
		/* The user's instruction, or an entry moved past unsafe ones. */
		p->at_entry = provider_sp_at_ret(gb, vaddr);
		return 0;
	}
	p->at_entry = true;	/* before the prologue: the return address is at SP */
	p->skip_if_any_set = site.skip_if_any_set;
	p->skip_if_all_clear = site.skip_if_all_clear;
	return 0;
}

bool provider_name_matches(const char *pattern, const char *name, bool exact)
{
	size_t len = strlen(pattern);

	if (!exact)
		return !fnmatch(pattern, name, 0);
	return !strncmp(name, pattern, len) && (!name[len] || !strcmp(name + len, ".abi0"));
}

bool provider_sp_at_ret(const struct gobin *gb, uint64_t vaddr)
{
	int64_t delta;

	return !gobin__sp_delta(gb, vaddr, &delta) && delta == 0;
}

/* The name without its package path: "github.com/x/y.(*T).M" -> "(*T).M". */
static const char *short_name(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strchr(slash ? slash : name, '.');

	return dot ? dot + 1 : name;
}

void provider_offer_funcs(struct nearest *near, const struct gobin *gb)
{
	size_t n = gobin__func_count(gb);
	struct gobin_func fn;

	for (size_t i = 0; i < n; i++) {
		if (gobin__func_at(gb, i, &fn))
			continue;
		nearest_offer(near, fn.name, NULL, 0);
		/* "Get" or "(*Cache).Get" for "main.(*Cache).Get": the package is implied. */
		if (short_name(fn.name) != fn.name)
			nearest_offer(near, fn.name, short_name(fn.name), 1);
	}
}

const char *provider_nearest_func(const struct gobin *gb, const char *name)
{
	struct nearest near;

	nearest_init(&near, name);
	provider_offer_funcs(&near, gb);
	return nearest_best(&near);
}

int provider_func_not_found(const struct resolve_ctx *rc, const struct ast_node *a,
			    const struct gobin *gb, const char *func)
{
	const char *near;

	if (gobin__func_is_inlined_only(gb, func)) {
		struct gobin_func *hosts = NULL;
		size_t n = 0;

		diag_add(rc->dl, DIAG_ERROR, &a->loc,
			 "function %s is inlined everywhere in %s: it has no body to probe", func,
			 a->path);
		/* Its copies are inside other functions, with no entry of their own. */
		if (!gobin__inlined_into(gb, func, &hosts, &n) && n)
			diag_add(rc->dl, DIAG_NOTE, &a->loc,
				 "its inlined copies are in %s%s%s%s (%zu function%s), which a "
				 "uprobe cannot enter", hosts[0].name, n > 1 ? ", " : "",
				 n > 1 ? hosts[1].name : "", n > 2 ? ", ..." : "", n,
				 n == 1 ? "" : "s");
		free(hosts);
		diag_hint(rc->dl, "access:%s:%s watches the accesses of its copies; or mark it "
				  "//go:noinline, or build with -gcflags=all=-l", a->path, func);
		return -ENOENT;
	}
	diag_add(rc->dl, DIAG_ERROR, &a->loc, "function %s not found in %s", func, a->path);
	near = provider_nearest_func(gb, func);
	if (near)
		diag_hint(rc->dl, "did you mean '%s'?", near);
	return -ENOENT;
}

const struct provider_builtin provider_func_builtins[] = {
	{ "arg0", .type = TYPE_INT }, { "arg1", .type = TYPE_INT }, { "arg2", .type = TYPE_INT },
	{ "arg3", .type = TYPE_INT }, { "arg4", .type = TYPE_INT }, { "arg5", .type = TYPE_INT },
	{ "arg6", .type = TYPE_INT }, { "arg7", .type = TYPE_INT }, { "arg8", .type = TYPE_INT },
	{ "func", .type = TYPE_SYM, .sym = SYM_FUNC },
	{ "ustack", .type = TYPE_STACK },
	{ NULL },
};

static const struct provider_builtin *const uprobe_builtins[] = {
	provider_func_builtins, NULL,
};

static int uprobe_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	char *path = NULL, *func, *plus, *end;
	struct gobin_func fn, *fns;
	size_t nfns = 0;
	struct gobin *gb;
	uint64_t off = 0;
	bool has_off = false;
	size_t matched = 0, placed = 0;
	int err = 0;

	func = strdup(a->func);
	if (!func)
		return -ENOMEM;
	plus = strrchr(func, '+');
	if (plus && plus != func) {
		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || *end || end == plus + 1) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc, "bad offset '%s' in %s", plus + 1,
				 a->func);
			err = -EINVAL;
			goto out;
		}
		*plus = '\0';
		has_off = true;
	}
	gb = provider_open_binary(rc, a, &path);
	if (!gb) {
		err = -ENOENT;
		goto out;
	}
	if (!gobin__find_funcs(gb, func, &fns, &nfns)) {
		/* A name held more than once (generic instances in a stripped
		 * binary): each copy is a function of that name. */
		if (nfns > 1)
			diag_add(rc->dl, DIAG_NOTE, &a->loc,
				 "%s is %zu functions in %s: each is probed", func, nfns, a->path);
		for (size_t i = 0; i < nfns && !err; i++) {
			if (has_off && off >= fns[i].size) {
				diag_add(rc->dl, DIAG_ERROR, &a->loc,
					 "offset %" PRIu64 " is past the end of %s (%" PRIu64 " bytes)",
					 off, func, fns[i].size);
				err = -EINVAL;
			} else {
				err = add_site(rc, a, probe, path, gb, &fns[i], off, has_off, false);
			}
		}
		matched = nfns;
		free(fns);
	} else if (strpbrk(func, "*?[") && !has_off) {
		for (size_t i = 0; i < gobin__func_count(gb) && !err; i++) {
			if (gobin__func_at(gb, i, &fn) || fnmatch(func, fn.name, 0))
				continue;
			err = add_site(rc, a, probe, path, gb, &fn, 0, false, true);
			matched++;
			placed += err == 0;
			if (err > 0)	/* left out, with a note */
				err = 0;
		}
		if (!err && !placed) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc, matched ?
				 "no function matching %s in %s can be probed" :
				 "no function matches %s in %s", func, a->path);
			err = -ENOENT;
		}
	} else {
		err = provider_func_not_found(rc, a, gb, func);
	}
	gobin__close(gb);
out:
	free(path);
	free(func);
	return err;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Matching functions by name, as bpftrace -l sorts them (gobin keeps them
 * by address). */
static int uprobe_list(const struct resolve_ctx *rc, const struct ast_node *a, FILE *out)
{
	const char *pattern = *a->func ? a->func : "*";
	struct gobin_func fn;
	const char **names;
	struct gobin *gb;
	size_t n = 0;
	char *path;
	bool exact;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	names = calloc(gobin__func_count(gb) + 1, sizeof(*names));
	if (!names) {
		gobin__close(gb);
		free(path);
		return -ENOMEM;
	}
	exact = !gobin__find_func(gb, pattern, &fn);
	for (size_t i = 0; i < gobin__func_count(gb); i++)
		if (!gobin__func_at(gb, i, &fn) && provider_name_matches(pattern, fn.name, exact))
			names[n++] = fn.name;
	qsort(names, n, sizeof(*names), cmp_names);
	/* A name held twice is one probe (it attaches to both). */
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(names[i - 1], names[i]))
			fprintf(out, "uprobe:%s:%s\n", a->path, names[i]);
	free(names);
	gobin__close(gb);
	free(path);
	return 0;
}

const struct provider provider_uprobe = {
	.name = "uprobe",
	.kind = PROBE_UPROBE,
	.uprobe = true,
	.builtins = uprobe_builtins,
	.resolve = uprobe_resolve,
	.attach = provider_attach_uprobe,
	.list = uprobe_list,
};
