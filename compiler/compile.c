// SPDX-License-Identifier: MIT
/*
 * The compile driver reads as its list of passes. Each pass takes the same
 * state and returns 0 or a negative errno; the first failure stops the list,
 * and every pass reports through the diagnostics list, never by printing.
 * The front's passes end with a plan whose probes have their places; the
 * caller may start attaching there, between compile_front() and
 * compile_back().
 *
 *   front:
 *   parse     text to syntax tree (lang/)
 *   resolve   attach points to places in binaries (probes/)
 *   check     types, calls, map layouts (sema.c)
 *   back:
 *   lower     syntax tree to LLVM IR (codegen.c)
 *   link      the BPF library's bitcode into the module (bpf_module.c)
 *   optimise  inline the library, fold, simplify
 *   emit      the ELF object, in memory
 */
#include "compiler/compile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/codegen.h"
#include "compiler/bpf_module.h"
#include "compiler/sema.h"
#include "lang/parse.h"
#include "probes/provider.h"
#include "lang/nearest.h"

struct compile {
	const struct compile_opts *opts;
	struct diag_list *dl;
	struct ast_node *ast;
	struct plan *plan;
	struct bpf_module *mod;
};

static int pass_parse(struct compile *c)
{
	c->ast = lang_parse(c->opts->src, c->opts->params, c->opts->nparams, c->dl);
	if (!c->ast)
		return -EINVAL;
	if (c->opts->dump & DUMP_AST)
		ast_dump(c->ast, c->opts->dump_out);
	return 0;
}

static int pass_resolve(struct compile *c)
{
	struct resolve_ctx rc = { .pid = c->opts->pid, .plan = c->plan, .dl = c->dl };
	int idx = 0, err = 0;

	for (struct ast_node *p = c->ast->body; p; p = p->next, idx++) {
		if (p->kind != AST_PROBE)
			continue;
		for (struct ast_node *a = p->args; a; a = a->next) {
			const struct provider *pv = provider_find(a->name);
			int e;

			if (!pv) {
				const char *names[8], *near;
				size_t n = provider_names(names, 8);

				diag_add(c->dl, DIAG_ERROR, &a->loc, "unknown probe type '%s'",
					 a->name);
				near = nearest_in(a->name, names, n);
				if (near)
					diag_hint(c->dl, "did you mean '%s'?", near);
				err = -EINVAL;
				continue;
			}
			e = pv->resolve(&rc, a, idx);
			if (e)
				err = e;
		}
	}
	return err;
}

static int pass_check(struct compile *c)
{
	return sema_check(c->ast, c->plan, c->dl);
}

static int pass_lower(struct compile *c)
{
	c->mod = bpf_module__new(c->dl);
	if (!c->mod)
		return -errno;
	return codegen_module(bpf_module__llvm(c->mod), c->ast, c->plan, c->opts->src->name,
			      c->dl);
}

static int pass_link(struct compile *c)
{
	return bpf_module__link_lib(c->mod, c->dl);
}

static int pass_optimise(struct compile *c)
{
	int err = bpf_module__optimise(c->mod, c->dl);

	if (!err && (c->opts->dump & DUMP_IR))
		bpf_module__print_ir(c->mod, c->opts->dump_out);
	return err;
}

static int pass_emit(struct compile *c)
{
	int err;

	if (c->opts->dump & DUMP_BPF) {
		err = bpf_module__print_asm(c->mod, c->opts->dump_out, c->dl);
		if (err)
			return err;
	}
	return bpf_module__emit(c->mod, &c->plan->obj, &c->plan->obj_size, c->dl);
}

struct pass {
	const char *name;
	int (*run)(struct compile *c);
	bool for_replay;	/* run when only checking a script to replay a trace */
};

static const struct pass front[] = {
	{ "parse", pass_parse, true },
	{ "resolve", pass_resolve, false },
	{ "check", pass_check, true },
};

static const struct pass back[] = {
	{ "lower", pass_lower, false },
	{ "link", pass_link, false },
	{ "optimise", pass_optimise, false },
	{ "emit", pass_emit, false },
};

/* Runs passes in order until one fails. 0 or -errno with errors in c->dl. */
static int run_passes(struct compile *c, const struct pass *passes, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		if (c->opts->check_only && !passes[i].for_replay)
			continue;
		err = passes[i].run(c);
		if (err && !diag_list__count(c->dl, DIAG_ERROR))
			diag_add(c->dl, DIAG_ERROR, NULL, "%s failed: %s", passes[i].name,
				 strerror(-err));
	}
	return err;
}

void compile__free(struct compile *c)
{
	if (!c)
		return;
	bpf_module__free(c->mod);
	ast__free(c->ast);
	plan__free(c->plan);
	free(c);
}

struct compile *compile_front(const struct compile_opts *opts, struct diag_list *dl)
{
	struct compile *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return NULL;
	c->opts = opts;
	c->dl = dl;
	c->plan = calloc(1, sizeof(*c->plan));
	if (!c->plan) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	err = run_passes(c, front, sizeof(front) / sizeof(front[0]));
	if (err) {
		compile__free(c);
		errno = -err;
		return NULL;
	}
	return c;
}

const struct plan *compile__plan(const struct compile *c)
{
	return c ? c->plan : NULL;
}

struct plan *compile_back(struct compile *c, struct diag_list *dl)
{
	struct plan *plan;
	int err;

	if (!c)
		return NULL;
	c->dl = dl;
	err = run_passes(c, back, sizeof(back) / sizeof(back[0]));
	if (err) {
		compile__free(c);
		errno = -err;
		return NULL;
	}
	plan = c->plan;
	c->plan = NULL;
	compile__free(c);
	return plan;
}

struct plan *compile_script(const struct compile_opts *opts, struct diag_list *dl)
{
	return compile_back(compile_front(opts, dl), dl);
}

int compile_list(const struct compile_opts *opts, FILE *out, struct diag_list *dl)
{
	struct ast_node *a = lang_parse_attach(opts->src, dl);
	struct resolve_ctx rc = { .pid = opts->pid, .dl = dl };
	const struct provider *pv;
	int err;

	if (!a)
		return -EINVAL;
	pv = provider_find(a->name);
	if (!pv) {
		diag_add(dl, DIAG_ERROR, &a->loc, "unknown probe type '%s'", a->name);
		err = -EINVAL;
	} else if (!pv->list) {
		fprintf(out, "%s\n", a->name);
		err = 0;
	} else {
		err = pv->list(&rc, a, out);
	}
	ast__free(a);
	return err;
}
