// SPDX-License-Identifier: MIT
/*
 * Probe providers resolved directly, without the rest of the compiler: an
 * attach point becomes the plan probes the runtime will attach. Return
 * probes are checked against `go tool objdump` (one probe on every RET, and
 * nothing else), names against what bpftrace's probe builtin prints, and
 * every error by its exact text.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse.h"
#include "gobin/gobin.h"
#include "probes/provider.h"
#include "tests/unit/test_gobin.h"

#define RETS "build/go/rets"

struct resolved {
	struct plan *plan;
	int err;
	char *diags;		/* rendered as the command-line tool renders them */
};

/* Resolves one attach point as the compiler's resolve pass does. */
static struct resolved resolve(const char *attach)
{
	struct source *src = source__new("t.hot", attach, strlen(attach));
	struct diag_list *dl = diag_list__new();
	struct resolved r = { .plan = calloc(1, sizeof(struct plan)) };
	struct ast_node *a;
	size_t len = 0;
	FILE *f;

	cr_assert(src && dl && r.plan);
	a = lang_parse_attach(src, dl);
	cr_assert_not_null(a, "%s does not parse", attach);
	{
		const struct provider *pv = provider_find(a->name);
		struct resolve_ctx rc = { .plan = r.plan, .dl = dl };

		cr_assert_not_null(pv, "no provider %s", a->name);
		r.err = pv->resolve(&rc, a, 3);
	}
	f = open_memstream(&r.diags, &len);
	diag_list__render(dl, src, f);
	fclose(f);
	ast__free(a);
	diag_list__free(dl);
	source__free(src);
	return r;
}

static void resolved_free(struct resolved *r)
{
	plan__free(r->plan);
	free(r->diags);
}

/* `hotspan -l`'s output for an attach point. */
static char *list(const char *attach)
{
	struct source *src = source__new("t.hot", attach, strlen(attach));
	struct diag_list *dl = diag_list__new();
	struct resolve_ctx rc = { .dl = dl };
	struct ast_node *a = lang_parse_attach(src, dl);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	cr_assert_not_null(a);
	cr_assert_eq(provider_find(a->name)->list(&rc, a, f), 0);
	fclose(f);
	ast__free(a);
	diag_list__free(dl);
	source__free(src);
	return out;
}

struct rets_ctx {
	const struct gobin *gb;
	uint64_t *offs;
	size_t n, max;
};

static int ret_line(const char *line, void *vctx)
{
	struct rets_ctx *c = vctx;
	uint64_t addr;
	char op[16];

	if (sscanf(line, " %" SCNx64 ": %15s", &addr, op) != 2 ||
	    (strcmp(op, "retq") && strcmp(op, "ret")))
		return 1;
	cr_assert_lt(c->n, c->max);
	cr_assert_eq(gobin__vaddr_to_offset(c->gb, addr, &c->offs[c->n]), 0);
	c->n++;
	return 0;
}

/*
 * The file offsets of the RETs that llvm-objdump shows in the functions
 * matching `pattern` (which works on stripped binaries too; the functions'
 * ranges come from gobin, tested against Go's objdump in test_gobin.c).
 */
static size_t objdump_rets(const char *prog, const char *pattern, uint64_t *offs, size_t max)
{
	struct gobin *gb = gobin__open(prog);
	struct rets_ctx c = { gb, offs, 0, max };
	struct gobin_func f;
	char cmd[1024];

	cr_assert_not_null(gb);
	for (size_t i = 0; i < gobin__func_count(gb); i++) {
		if (gobin__func_at(gb, i, &f) || fnmatch(pattern, f.name, 0))
			continue;
		snprintf(cmd, sizeof(cmd), "llvm-objdump-19 -d --no-show-raw-insn "
			 "--start-address=%#" PRIx64 " --stop-address=%#" PRIx64 " %s",
			 f.addr, f.addr + f.size, prog);
		cr_assert_geq(tg_run_lines(cmd, ret_line, &c), 0, "%s", cmd);
	}
	gobin__close(gb);
	return c.n;
}

static void expect_rets(const char *prog, const char *func, size_t want_n)
{
	char attach[512], name[512], full[PATH_MAX];
	uint64_t offs[32];
	struct resolved r;
	size_t n;

	snprintf(attach, sizeof(attach), "uretprobe:%s:%s", prog, func);
	r = resolve(attach);
	cr_assert_eq(r.err, 0, "%s: %s", attach, r.diags);
	cr_expect_str_empty(r.diags);
	n = objdump_rets(prog, func, offs, 32);
	cr_assert_eq(n, want_n, "objdump shows %zu RET in %s", n, func);
	cr_assert_eq(r.plan->nprobes, n, "%s: %zu probes for %zu RET", func, r.plan->nprobes,
		     n);
	cr_assert_not_null(realpath(prog, full));
	snprintf(name, sizeof(name), "uretprobe:%s:%s", prog, func);
	for (size_t i = 0; i < n; i++) {
		const struct plan_probe *p = &r.plan->probes[i];

		cr_expect_eq(p->kind, PROBE_URETPROBE);
		cr_expect_eq(p->file_offset, offs[i], "%s RET %zu at %#lx, want %#lx", func, i,
			     (unsigned long)p->file_offset, (unsigned long)offs[i]);
		cr_expect_str_eq(p->func, func);
		cr_expect_str_eq(p->name, name);
		cr_expect_str_eq(p->path, full);
		cr_expect_eq(p->ast_probe, 3);
		cr_expect_eq(p->skip_if_any_set, 0);
		cr_expect_eq(p->skip_if_all_clear, 0);
		cr_expect(p->at_entry, "%s: [SP] is the return address at a RET", func);
		cr_expect_eq(provider_of(p->kind), &provider_uretprobe);
	}
	resolved_free(&r);
}

/* A leaf with four returns, a framed function with a return in a branch,
 * one returning from inside its loop, a recursive one. */
Test(provider, uretprobe_sits_on_every_ret)
{
	expect_rets(RETS, "main.classify", 4);
	expect_rets(RETS, "main.pick", 2);
	expect_rets(RETS, "main.find", 2);
	expect_rets(RETS, "main.grow", 2);
	expect_rets(RETS, "main.inner", 1);
}

/* Function names come from .gopclntab, addresses need the PIE's segments. */
Test(provider, uretprobe_in_stripped_and_pie_binaries)
{
	expect_rets("build/go/gobin_stripped", "main.lookup", 1);
	expect_rets("build/go/gobin_pie", "main.get", 1);
	expect_rets("build/go/gobin_pie", "main.sum", 1);
}

/* A wildcard takes every matching function that returns, and skips the one
 * that never does (main.boom panics). */
Test(provider, uretprobe_wildcard_skips_functions_without_ret)
{
	struct resolved r = resolve("uretprobe:" RETS ":main.*");
	size_t want, boom = 0;
	uint64_t offs[64];

	cr_assert_eq(r.err, 0, "%s", r.diags);
	want = objdump_rets(RETS, "main.*", offs, 64);
	cr_expect_eq(objdump_rets(RETS, "main.boom", offs, 64), 0);
	cr_expect_eq(r.plan->nprobes, want);
	for (size_t i = 0; i < r.plan->nprobes; i++)
		boom += !strcmp(r.plan->probes[i].func, "main.boom");
	cr_expect_eq(boom, 0);
	resolved_free(&r);
}

struct error_case {
	const char *attach;
	int err;
	const char *error;
	const char *hint;	/* or NULL */
};

static const struct error_case uretprobe_errors[] = {
	{ "uretprobe:" RETS ":main.boom", -ENOENT,
	  "main.boom has no RET instruction: it never returns", NULL },
	{ "uretprobe:" RETS ":main.clasify", -ENOENT,
	  "function main.clasify not found in " RETS, "did you mean 'main.classify'?" },
	{ "uretprobe:" RETS ":main.classify+4", -EINVAL,
	  "a uretprobe takes no offset: 'main.classify+4'",
	  "for one instruction, use uprobe:" RETS ":main.classify+4" },
	{ "uretprobe:" RETS ":nosuch.*", -ENOENT, "no function matches nosuch.* in " RETS, NULL },
	{ "uretprobe:" RETS ":main.boo?", -ENOENT,
	  "no function matching main.boo? in " RETS " returns", NULL },
	{ "uretprobe:./no/such:main.f", -ENOENT,
	  "cannot open ./no/such: No such file or directory", NULL },
	{ "uretprobe:main.f", -ENOENT, "uretprobe needs the path of a Go binary",
	  "uretprobe:./server:main.f, or give -p PID" },
};

static const struct error_case interval_errors[] = {
	{ "interval:s:0", -EINVAL, "the interval must not be zero", NULL },
	{ "interval:m:5", -EINVAL, "unknown unit 'm' in interval: s, ms, us or hz",
	  "for example interval:s:1 or interval:ms:100" },
	{ "interval:5", -EINVAL, "interval needs a unit: interval:5",
	  "for example interval:s:1 or interval:ms:100" },
	{ "interval:ms:1.5", -EINVAL, "the interval must be a whole number, not '1.5'",
	  "for example interval:ms:1" },
	{ "interval:s:-1", -EINVAL, "the interval must be a whole number, not '-1'",
	  "for example interval:s:1" },
	{ "interval:s:99999999999", -EINVAL, "interval:s:99999999999 is too long", NULL },
	{ "interval:hz:2000000000", -EINVAL,
	  "interval:hz:2000000000 is more than once a nanosecond", NULL },
};

/* The error at the attach point, whose caret spans all of it. */
static void check_errors(const struct error_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct error_case *c = &cases[i];
		struct resolved r = resolve(c->attach);
		char want[2048], carets[512];
		size_t len = strlen(c->attach);

		memset(carets, '~', len);
		carets[0] = '^';
		carets[len] = '\0';
		snprintf(want, sizeof(want), "t.hot:1:1: error: %s\n%s\n%s\n%s%s%s", c->error,
			 c->attach, carets, c->hint ? "hint: " : "", c->hint ? c->hint : "",
			 c->hint ? "\n" : "");
		cr_expect_eq(r.err, c->err, "%s: %d", c->attach, r.err);
		cr_expect_str_eq(r.diags, want, "%s:\n%s", c->attach, r.diags);
		cr_expect_eq(r.plan->nprobes, 0, "%s", c->attach);
		resolved_free(&r);
	}
}

Test(provider, uretprobe_errors)
{
	check_errors(uretprobe_errors, sizeof(uretprobe_errors) / sizeof(uretprobe_errors[0]));
}

Test(provider, interval_errors)
{
	check_errors(interval_errors, sizeof(interval_errors) / sizeof(interval_errors[0]));
}

Test(provider, interval_periods_and_names)
{
	static const struct {
		const char *attach;
		uint64_t period_ns;
	} cases[] = {
		{ "interval:s:1", 1000000000ULL },
		{ "interval:s:5", 5000000000ULL },
		{ "interval:ms:100", 100000000ULL },
		{ "interval:us:250", 250000ULL },
		{ "interval:hz:99", 10101010ULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resolved r = resolve(cases[i].attach);

		cr_assert_eq(r.err, 0, "%s: %s", cases[i].attach, r.diags);
		cr_assert_eq(r.plan->nprobes, 1);
		cr_expect_eq(r.plan->probes[0].kind, PROBE_INTERVAL);
		cr_expect_eq(r.plan->probes[0].period_ns, cases[i].period_ns, "%s",
			     cases[i].attach);
		cr_expect_str_eq(r.plan->probes[0].name, cases[i].attach);
		cr_expect_eq(provider_of(PROBE_INTERVAL), &provider_interval);
		resolved_free(&r);
	}
}

/* The probe builtin prints what bpftrace 0.17 prints: the path as written
 * (not made absolute), the function that matched a wildcard, an offset as
 * written. Access probes follow the same pattern with the array as written. */
Test(provider, probe_names_as_bpftrace_prints_them)
{
	static const struct {
		const char *attach;
		size_t probe;
		const char *name;
	} cases[] = {
		{ "uprobe:" RETS ":main.inner", 0, "uprobe:" RETS ":main.inner" },
		{ "uprobe:./" RETS ":main.in*", 0, "uprobe:./" RETS ":main.inner" },
		{ "uprobe:" RETS ":main.inner+7", 0, "uprobe:" RETS ":main.inner+7" },
		{ "uretprobe:" RETS ":main.fro*", 0, "uretprobe:" RETS ":main.fromA" },
		{ "access:build/go/gobin_field:main.cache.slots", 0,
		  "access:build/go/gobin_field:main.cache.slots" },
		{ "access:build/go/gobin_field:main.slot", 0,
		  "access:build/go/gobin_field:main.slot" },
		{ "access:build/go/gobin_field:main.sl*", 0,
		  "access:build/go/gobin_field:main.slot" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resolved r = resolve(cases[i].attach);

		cr_assert_eq(r.err, 0, "%s: %s", cases[i].attach, r.diags);
		cr_assert_gt(r.plan->nprobes, cases[i].probe, "%s", cases[i].attach);
		cr_expect_str_eq(r.plan->probes[cases[i].probe].name, cases[i].name);
		resolved_free(&r);
	}
}

/* -l: one line per function with its RETs below it, source lines included. */
Test(provider, uretprobe_list)
{
	const char *head = "uretprobe:" RETS ":main.classify 4 returns\n\tmain.classify+0x";
	char *out = list("uretprobe:" RETS ":main.[cp]*"), src[PATH_MAX + 1];
	uint64_t offs[8];
	size_t n = objdump_rets(RETS, "main.classify", offs, 8), lines = 0;

	cr_assert(!strncmp(out, head, strlen(head)), "%s", out);
	cr_expect(strstr(out, "\nuretprobe:" RETS ":main.pick 2 returns\n\tmain.pick+0x"), "%s",
		  out);
	cr_assert_not_null(realpath("tests/go/rets/main.go", src));
	strcat(src, ":");
	cr_expect(strstr(out, src), "no %s in\n%s", src, out);
	for (const char *p = out; (p = strstr(p, "\n\tmain.classify+")); p++)
		lines++;
	cr_expect_eq(lines, n, "%s", out);
	free(out);
}

/*
 * at_entry says SP is at the return address where the probe sits, so that
 * ustack adds [SP]: at an entry, at a RET, anywhere in a function without a
 * frame; not after a prologue has moved SP.
 */
Test(provider, at_entry_where_sp_is_at_the_return_address)
{
	static const struct {
		const char *attach;
		bool at_entry;
	} cases[] = {
		{ "uprobe:" RETS ":main.pick", true },		/* on the stack check */
		{ "uprobe:" RETS ":main.inner", true },		/* no stack check, no frame */
		{ "uprobe:" RETS ":main.inner+7", true },	/* still no frame */
		{ "uprobe:" RETS ":main.pick+0", true },
		{ "access:build/go/gobin_array:main.get", false },	/* after SUBQ $0x18, SP */
	};
	struct gobin *gb = gobin__open(RETS);
	struct gobin_func pick;
	struct tg_dis d;
	bool past = false;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resolved r = resolve(cases[i].attach);

		cr_assert_eq(r.err, 0, "%s: %s", cases[i].attach, r.diags);
		cr_assert_gt(r.plan->nprobes, 0);
		for (size_t k = 0; k < r.plan->nprobes; k++)
			cr_expect_eq(r.plan->probes[k].at_entry, cases[i].at_entry, "%s",
				     cases[i].attach);
		resolved_free(&r);
	}
	/* Past main.pick's prologue (the instruction after LEAQ ..., BP). */
	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "main.pick", &pick), 0);
	cr_assert_eq(tg_objdump(RETS, "^main.pick$", &d), 0);
	for (size_t k = 0; k + 1 < d.n; k++) {
		char attach[256];
		struct resolved r;

		if (strncmp(d.insn[k].text, "LEAQ ", 5) || !strstr(d.insn[k].text, ", BP"))
			continue;
		snprintf(attach, sizeof(attach), "uprobe:" RETS ":main.pick+%" PRIu64,
			 d.insn[k + 1].addr - pick.addr);
		r = resolve(attach);
		cr_assert_eq(r.err, 0, "%s", r.diags);
		cr_expect(!r.plan->probes[0].at_entry, "%s", attach);
		resolved_free(&r);
		past = true;
		break;
	}
	cr_expect(past, "no LEAQ ..., BP in main.pick");
	tg_dis_free(&d);
	gobin__close(gb);
}

Test(provider, nearest_func)
{
	static const struct {
		const char *ask;
		const char *want;	/* NULL: no hint */
	} cases[] = {
		{ "main.gte", "main.get" },
		{ "main.Get", "main.get" },
		{ "bump", "main.bump" },
		{ "main.bmup", "main.bump" },
		{ "mian.sum", "main.sum" },
		{ "runtime.mallocg", "runtime.mallocgc" },
		{ "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", NULL },
		{ "", NULL },
	};
	struct gobin *gb = gobin__open("build/go/gobin_array");

	cr_assert_not_null(gb);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = provider_nearest_func(gb, cases[i].ask);

		if (cases[i].want)
			cr_expect(got && !strcmp(got, cases[i].want), "%s: got %s, want %s",
				  cases[i].ask, got ? got : "NULL", cases[i].want);
		else
			cr_expect_null(got, "%s: got %s", cases[i].ask, got);
	}
	gobin__close(gb);
}
