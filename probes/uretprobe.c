// SPDX-License-Identifier: MIT
/*
 * uretprobe:PATH:FUNC on Go functions, wildcards as for uprobe. The kernel's
 * return probes replace the return address on the stack with a trampoline;
 * Go copies goroutine stacks and unwinds them itself, and a foreign return
 * address crashes it. So a Go return probe is a plain uprobe on every RET
 * instruction of the function (gobin/sites.c decodes the body), one
 * plan probe per RET. At a RET the results are still in Go's result
 * registers (RAX first, as arguments), the frame is popped and the next
 * instruction is the caller's.
 *
 * A function that leaves by a tail jump into another one returns through
 * that one's RET, not its own: an exact name says so in a warning.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "probes/placement.h"
#include "probes/provider.h"

/* Adds one plan probe per RET of fn; *n gets how many. 0 or -errno. */
static int add_rets(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
		    const char *path, const struct gobin *gb, const struct gobin_func *fn,
		    size_t *n)
{
	struct gobin_site *sites;
	char name[512];
	int err;

	err = gobin__ret_sites(gb, fn, &sites, n);
	if (err)
		return err;
	snprintf(name, sizeof(name), "uretprobe:%s:%s", a->path, fn->name);
	for (size_t i = 0, all = *n; i < all; i++) {
		uint64_t at = sites[i].vaddr;
		struct plan_probe *p;

		err = provider_place(rc, a, gb, fn, name, PLACE_SITE, &at);
		if (err < 0)
			break;
		if (err) {
			(*n)--;	/* left out, with a note */
			err = 0;
			continue;
		}
		p = plan__add_probe(rc->plan, PROBE_URETPROBE, name, path, fn->name);
		if (!p) {
			err = -ENOMEM;
			break;
		}
		p->ast_probe = probe;
		p->loc = a->loc;
		p->file_offset = sites[i].file_offset;
		/* The frame is popped: [SP] is the return address, BP the caller's. */
		p->at_entry = provider_sp_at_ret(gb, sites[i].vaddr);
	}
	free(sites);
	return err;
}

static int decode_error(const struct resolve_ctx *rc, const struct ast_node *a,
			const char *func, int err)
{
	if (err == -EILSEQ)
		diag_add(rc->dl, DIAG_ERROR, &a->loc,
			 "cannot decode all of %s: its returns cannot be found", func);
	else
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot read the machine code of %s: %s",
			 func, strerror(-err));
	return err;
}

static int resolve_one(const struct resolve_ctx *rc, const struct ast_node *a, int probe,
		       const char *path, const struct gobin *gb, const struct gobin_func *fn)
{
	const char *target;
	uint64_t at;
	size_t n = 0;
	int err, tails;

	err = add_rets(rc, a, probe, path, gb, fn, &n);
	if (err)
		return err == -ENOMEM ? err : decode_error(rc, a, fn->name, err);
	tails = gobin__tail_jumps(gb, fn, &at, &target);
	if (!n) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s has no RET instruction: %s", fn->name,
			 tails > 0 ? "it leaves by a jump into another function" :
				     "it never returns");
		if (tails > 0 && target)
			diag_hint(rc->dl, "its returns are those of uretprobe:%s:%s", a->path,
				  target);
		return -ENOENT;
	}
	if (tails > 0) {
		diag_add(rc->dl, DIAG_WARNING, &a->loc,
			 "%s also leaves by a jump into %s at +%#llx: those returns are not seen",
			 fn->name, target ? target : "other code",
			 (unsigned long long)(at - fn->addr));
	}
	return 0;
}

static const struct provider_builtin retval[] = {
	{ "retval", .type = TYPE_INT },
	{ NULL },
};

static const struct provider_builtin *const uretprobe_builtins[] = {
	provider_func_builtins, retval, NULL,
};

static int uretprobe_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	struct gobin_func fn, *fns;
	size_t nfns = 0;
	struct gobin *gb;
	size_t functions = 0, before = rc->plan->nprobes;
	char *path;
	int err = 0;

	if (strchr(a->func, '+')) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "a uretprobe takes no offset: '%s'",
			 a->func);
		diag_hint(rc->dl, "for one instruction, use uprobe:%s:%s", a->path, a->func);
		return -EINVAL;
	}
	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	if (!gobin__find_funcs(gb, a->func, &fns, &nfns)) {
		if (nfns > 1)
			diag_add(rc->dl, DIAG_NOTE, &a->loc,
				 "%s is %zu functions in %s: each is probed", a->func, nfns,
				 a->path);
		for (size_t i = 0; i < nfns && !err; i++)
			err = resolve_one(rc, a, probe, path, gb, &fns[i]);
		free(fns);
	} else if (strpbrk(a->func, "*?[")) {
		/* Functions without a RET (they panic, loop or tail-jump) are skipped. */
		for (size_t i = 0; i < gobin__func_count(gb) && !err; i++) {
			size_t n = 0;

			if (gobin__func_at(gb, i, &fn) || fnmatch(a->func, fn.name, 0))
				continue;
			functions++;
			err = add_rets(rc, a, probe, path, gb, &fn, &n);
			if (err && err != -ENOMEM)
				err = decode_error(rc, a, fn.name, err);
		}
		if (!err && rc->plan->nprobes == before) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 functions ? "no function matching %s in %s returns" :
					     "no function matches %s in %s", a->func, a->path);
			err = -ENOENT;
		}
	} else {
		err = provider_func_not_found(rc, a, gb, a->func);
	}
	gobin__close(gb);
	free(path);
	return err;
}

/* One line per function, then its RETs with their source lines. */
static int uretprobe_list(const struct resolve_ctx *rc, const struct ast_node *a, FILE *out)
{
	const char *pattern = *a->func ? a->func : "*";
	struct gobin_func fn;
	struct gobin *gb;
	char *path;
	bool exact;

	gb = provider_open_binary(rc, a, &path);
	if (!gb)
		return -ENOENT;
	exact = !gobin__find_func(gb, pattern, &fn);
	for (size_t i = 0; i < gobin__func_count(gb); i++) {
		struct gobin_site *s;
		size_t n;

		if (gobin__func_at(gb, i, &fn) || !provider_name_matches(pattern, fn.name, exact))
			continue;
		if (gobin__ret_sites(gb, &fn, &s, &n) || !n)
			continue;
		fprintf(out, "uretprobe:%s:%s %zu return%s\n", a->path, fn.name, n,
			n == 1 ? "" : "s");
		for (size_t k = 0; k < n; k++) {
			fprintf(out, "\t%s+%#llx", fn.name, (unsigned long long)s[k].func_offset);
			if (s[k].file)
				fprintf(out, " %s:%d", s[k].file, s[k].line);
			fputc('\n', out);
		}
		free(s);
	}
	gobin__close(gb);
	free(path);
	return 0;
}

const struct provider provider_uretprobe = {
	.name = "uretprobe",
	.kind = PROBE_URETPROBE,
	.uprobe = true,
	.builtins = uretprobe_builtins,
	.resolve = uretprobe_resolve,
	.attach = provider_attach_uprobe,
	.list = uretprobe_list,
};
