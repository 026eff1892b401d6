// SPDX-License-Identifier: MIT
/*
 * ustack symbolisation against a live Go process and the same process
 * after it has exited, fixed-address and PIE: frames are built from the
 * return addresses `go tool objdump` shows after each CALL, and must print
 * as the function, the offset and the line objdump gives for that CALL.
 * No BPF: the stacks are given as addresses (ustack_print_addrs), as the
 * kernel's stack map would hold them.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gobin/gobin.h"
#include "output/ustack.h"
#include "tests/lib/proc.h"
#include "tests/unit/test_gobin.h"

/*
 * The source file as the Go toolchain recorded it: the full path of the
 * folder it was built in, tests/go/NAME, or the folder a variant's
 * build.from names (rets_pie records tests/go/rets/main.go).
 */
static void source_of(const char *dir, char *src, size_t size)
{
	char cwd[PATH_MAX];

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(src, size, "%s/tests/go/%s/main.go", cwd, dir);
}

/*
 * Address of the instruction after the CALL of callee in caller in d, and
 * the CALL's line in `lines` (objdump of the fixed-address build of the same
 * source: Go's objdump cannot read a PIE's lines).
 */
static void ret_after_call(const struct tg_dis *d, const struct tg_dis *lines,
			   const char *caller, const char *callee, uint64_t *ret, int *line)
{
	char call[300];
	int found = 0;

	snprintf(call, sizeof(call), "CALL %s(SB)", callee);
	for (size_t i = 0; i + 1 < d->n && !(found & 1); i++) {
		if (strcmp(d->insn[i].func, caller) || strcmp(d->insn[i].text, call))
			continue;
		*ret = d->insn[i + 1].addr;
		found |= 1;
	}
	for (size_t i = 0; i < lines->n && !(found & 2); i++) {
		if (strcmp(lines->insn[i].func, caller) || strcmp(lines->insn[i].text, call))
			continue;
		*line = atoi(strchr(lines->insn[i].pos, ':') + 1);
		found |= 2;
	}
	cr_assert_eq(found, 3, "no %s in %s", call, caller);
}

/* A stack as the kernel walks it at main.work's entry probe (the probe on
 * its stack-check JBE, the frame pointer still fromA's), and the text
 * ustack must print for it, addresses moved by bias. */
struct case_stack {
	uint64_t addrs[4];
	uint64_t entry_ret;
	uint64_t probe_offset;	/* file offset of the entry site */
	char text[4 * PATH_MAX];
};

static void build_case(const char *prog, uint64_t bias, struct case_stack *c)
{
	struct gobin *gb = gobin__open(prog);
	struct gobin_func work, froma, mainf;
	struct gobin_site site;
	uint64_t r_froma, r_main;
	int l_froma, l_main, l_work;
	char src[PATH_MAX + 64];
	struct tg_dis d, lines;

	cr_assert_not_null(gb);
	source_of("rets", src, sizeof(src));
	cr_assert_eq(tg_objdump(prog, "^main\\.", &d), 0);
	cr_assert_eq(tg_objdump("build/go/rets", "^main\\.", &lines), 0);
	cr_assert_eq(gobin__find_func(gb, "main.work", &work), 0);
	cr_assert_eq(gobin__find_func(gb, "main.fromA", &froma), 0);
	cr_assert_eq(gobin__find_func(gb, "main.main", &mainf), 0);
	cr_assert_eq(gobin__entry_site(gb, &work, &site), 0);
	cr_assert_neq(site.vaddr, work.addr, "main.work has no stack check to sit on");
	l_work = 0;
	for (size_t i = 0; i < lines.n && !l_work; i++)
		if (!strcmp(lines.insn[i].func, "main.work"))
			l_work = atoi(strchr(lines.insn[i].pos, ':') + 1);
	ret_after_call(&d, &lines, "main.fromA", "main.work", &r_froma, &l_froma);
	ret_after_call(&d, &lines, "main.main", "main.fromA", &r_main, &l_main);
	c->addrs[0] = site.vaddr + bias;
	c->addrs[1] = r_main + bias;
	c->addrs[2] = 0x1234;		/* in no mapping */
	c->addrs[3] = 0;
	c->entry_ret = r_froma + bias;
	c->probe_offset = site.file_offset;
	snprintf(c->text, sizeof(c->text),
		 "\n"
		 "    main.work+0 (%s:%d)\n"
		 "    main.fromA+%" PRIu64 " (%s:%d)\n"
		 "    main.main+%" PRIu64 " (%s:%d)\n"
		 "    0x1234\n",
		 src, l_work, r_froma - froma.addr, src, l_froma, r_main - mainf.addr, src,
		 l_main);
	tg_dis_free(&d);
	tg_dis_free(&lines);
	gobin__close(gb);
}

static char *print(struct ustack *u, pid_t pid, const struct case_stack *c, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(ustack_print_addrs(u, pid, c->addrs, 4, c->entry_ret, json, f), 0);
	fclose(f);
	return text;
}

/* The text with newlines as JSON writes them. */
static char *json_of(const char *text)
{
	char *out = malloc(2 * strlen(text) + 1), *o = out;

	for (; *text; text++) {
		if (*text == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *text;
		}
	}
	*o = '\0';
	return out;
}

static struct plan *plan_with_probe(const char *prog, uint64_t file_offset)
{
	struct plan *plan = calloc(1, sizeof(*plan));
	char full[PATH_MAX];
	struct plan_probe *p;

	cr_assert_not_null(realpath(prog, full));
	p = plan__add_probe(plan, PROBE_UPROBE, "uprobe:x:main.work", full, "main.work");
	cr_assert_not_null(p);
	p->file_offset = file_offset;
	return plan;
}

static void check_prog(const char *prog, bool pie)
{
	const char *argv[] = { prog, "-wait", "-hold", "-n", "10", NULL };
	struct ustack *u;
	struct case_stack c;
	struct proc_result r;
	struct plan *plan;
	struct proc t;
	uint64_t bias = 0;
	char *text, *json, *want_json;

	cr_assert_eq(proc_start(&t, argv), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000), "%s did not start", prog);
	cr_assert_eq(gobin_load_bias(prog, t.pid, &bias), 0);
	cr_expect(pie ? bias != 0 : bias == 0, "bias %#" PRIx64, bias);
	build_case(prog, bias, &c);
	plan = plan_with_probe(prog, c.probe_offset);

	/* Alive: from its mappings. */
	u = ustack__new(plan, NULL);
	cr_assert_not_null(u);
	text = print(u, t.pid, &c, false);
	cr_expect_str_eq(text, c.text, "alive %s:\n%s", prog, text);
	json = print(u, t.pid, &c, true);
	want_json = json_of(c.text);
	cr_expect_str_eq(json, want_json);
	free(text);
	free(json);
	ustack__free(u);

	/* Gone: from the plan's binary, the bias found from the probe site. */
	proc_write(&t, "go\nbye\n");
	proc_finish(&t, &r, 30000);
	cr_assert_eq(r.status, 0);
	proc_result_free(&r);
	u = ustack__new(plan, NULL);
	text = print(u, t.pid, &c, false);
	cr_expect_str_eq(text, c.text, "gone %s:\n%s", prog, text);
	free(text);
	ustack__free(u);

	/* Gone, and no plan to say which binary: addresses only. */
	u = ustack__new(NULL, NULL);
	text = print(u, t.pid, &c, false);
	cr_expect(strstr(text, "\n    0x") == text && !strstr(text, "main."), "%s", text);
	free(text);
	ustack__free(u);
	free(want_json);
	plan__free(plan);
}

Test(ustack, fixed_address_binary_alive_and_gone)
{
	check_prog("build/go/rets", false);
}

Test(ustack, pie_alive_and_gone)
{
	check_prog("build/go/rets_pie", true);
}

/* Without entry_ret the top frame keeps its own offset and line, and a
 * frame past a 0 is not printed. */
Test(ustack, top_frame_without_entry_ret)
{
	const char *argv[] = { "build/go/rets", "-wait", "-n", "1", NULL };
	struct gobin *gb = gobin__open("build/go/rets");
	struct gobin_site *rets;
	struct gobin_func inner;
	struct proc_result r;
	struct ustack *u;
	struct proc t;
	uint64_t addrs[3];
	char want[2 * PATH_MAX], src[PATH_MAX + 64], *text = NULL;
	size_t n, len = 0;
	FILE *f;

	cr_assert_not_null(gb);
	source_of("rets", src, sizeof(src));
	cr_assert_eq(gobin__find_func(gb, "main.inner", &inner), 0);
	cr_assert_eq(gobin__ret_sites(gb, &inner, &rets, &n), 0);
	cr_assert_eq(n, 1);
	addrs[0] = rets[0].vaddr;
	addrs[1] = 0;
	addrs[2] = inner.addr;
	snprintf(want, sizeof(want), "\n    main.inner+%" PRIu64 " (%s:%d)\n",
		 rets[0].func_offset, src, rets[0].line);
	cr_assert_eq(proc_start(&t, argv), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000));
	u = ustack__new(NULL, NULL);
	f = open_memstream(&text, &len);
	cr_assert_eq(ustack_print_addrs(u, t.pid, addrs, 3, 0, false, f), 0);
	fclose(f);
	cr_expect_str_eq(text, want);
	free(text);
	ustack__free(u);
	proc_write(&t, "\n");
	proc_finish(&t, &r, 30000);
	proc_result_free(&r);
	free(rets);
	gobin__close(gb);
}

/* What cannot be read prints nothing, as bpftrace prints a failed stack. */
Test(ustack, unreadable_stacks_print_nothing)
{
	struct hs_stack_key key = { .stack_id = -14, .pid = 1 };
	struct ustack *u = ustack__new(NULL, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(ustack_print(u, &key, false, f), 0);
	key.stack_id = 3;
	cr_assert_eq(ustack_print(u, &key, true, f), 0);
	fclose(f);
	cr_expect_str_empty(text);
	free(text);
	ustack__free(u);
	cr_expect_eq(ustack_print(NULL, &key, false, stdout), -EINVAL);
}

__attribute__((noinline)) int ustack_test_target(int x)
{
	return x * 3 + 1;
}

/* Frames outside Go binaries are named from ELF symbols, as bpftrace names
 * them: this test program's own function, and one of the C library, whose
 * printed name must resolve back to the same address. */
Test(ustack, other_elf_files_by_symbol)
{
	uint64_t addrs[3] = { (uintptr_t)ustack_test_target + 3, (uintptr_t)fclose + 2, 0 };
	struct ustack *u = ustack__new(NULL, NULL);
	char *text = NULL, name[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned long off;
	void *sym;

	cr_assert_eq(ustack_print_addrs(u, getpid(), addrs, 3, 0, false, f), 0);
	fclose(f);
	cr_assert(!strncmp(text, "\n    ustack_test_target+3\n    ", 30), "%s", text);
	cr_assert_eq(sscanf(text + 30, "%255[^+]+%lu\n", name, &off), 2, "%s", text);
	cr_expect_eq(off, 2);
	sym = dlsym(RTLD_DEFAULT, name);
	cr_expect_eq((uintptr_t)sym, (uintptr_t)fclose, "%s is not fclose", name);
	free(text);
	ustack__free(u);
}
