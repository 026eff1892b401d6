// SPDX-License-Identifier: MIT
/*
 * .gopclntab: the function table of a stripped build against .symtab and
 * `go tool nm`, file:line against `go tool objdump`, inlined-only functions
 * against the compiler's own -m report, and a position-independent build's
 * load bias against the addresses the running program prints.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gobin/gobin.h"
#include "tests/unit/test_gobin.h"
#include "probes/provider.h"

static struct gobin *open_ok(const char *path, unsigned int flags)
{
	struct gobin *gb = gobin__open_flags(path, flags);

	cr_assert_not_null(gb, "gobin__open(%s): %s", path, strerror(errno));
	return gb;
}

/* Read as if stripped, the same binary gives the same functions. */
Test(gobin_pclntab, functions_match_symtab)
{
	struct gobin *sym = open_ok("build/go/gobin_array", 0);
	struct gobin *pcl = open_ok("build/go/gobin_array", GOBIN_OPEN_NO_SYMTAB);
	size_t n = gobin__func_count(pcl), matched = 0;

	cr_expect(gobin__has_symtab(sym));
	cr_expect(!gobin__has_symtab(pcl));
	cr_assert_gt(n, 1000);
	for (size_t i = 0; i < n; i++) {
		struct gobin_func p, s;

		cr_assert_eq(gobin__func_at(pcl, i, &p), 0);
		/*
		 * An assembly function and the ABI0 wrapper of a Go function are
		 * name.abi0 in .symtab, name in pclntab (which then holds the name
		 * twice); generated equality functions of arrays are
		 * type..eq.[...]T in pclntab, type..eq.[5]T in .symtab.
		 */
		cr_assert_eq(gobin__func_for_addr(sym, p.addr, &s), 0, "%s", p.name);
		if (strstr(p.name, "[...]"))
			cr_expect(!strncmp(s.name, "type..eq.[", 10), "%s is %s", p.name, s.name);
		else
			cr_expect(!strcmp(s.name, p.name) ||
				  (!strncmp(s.name, p.name, strlen(p.name)) &&
				   !strcmp(s.name + strlen(p.name), ".abi0")),
				  "%s is %s in .symtab", p.name, s.name);
		cr_expect_eq(p.addr, s.addr, "%s", p.name);
		cr_expect_eq(p.file_offset, s.file_offset, "%s", p.name);
		/* pclntab sizes run to the next function: padding included. */
		cr_expect_geq(p.size, s.size, "%s", p.name);
		cr_expect_lt(p.size, s.size + 64, "%s", p.name);
		matched++;
	}
	/* .symtab also lists a few markers (runtime.text, runtime.etext). */
	cr_expect_geq(gobin__func_count(sym), matched);
	cr_expect_lt(gobin__func_count(sym), matched + 16);
	/* A name held twice finds the function, not its ABI wrapper. */
	{
		struct gobin_func a, b;

		cr_assert_eq(gobin__find_func(pcl, "runtime.osinit", &a), 0);
		cr_assert_eq(gobin__find_func(sym, "runtime.osinit", &b), 0);
		cr_expect_eq(a.addr, b.addr);
	}
	gobin__close(pcl);
	gobin__close(sym);
}

Test(gobin_pclntab, stripped_build)
{
	const char *prog = "build/go/gobin_stripped";
	static const char *const names[] = { "main.lookup", "main.main" };
	struct gobin *gb = open_ok(prog, 0);
	struct gobin_func f;

	cr_expect(!gobin__has_symtab(gb));
	cr_expect(!gobin__has_dwarf(gb));
	cr_expect_gt(gobin__func_count(gb), 1000);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t v[4];

		cr_assert_eq(tg_info(prog, "func", names[i], v), 0);
		cr_assert_eq(gobin__find_func(gb, names[i], &f), 0, "%s", names[i]);
		cr_expect_eq(f.addr, v[0], "%s", names[i]);
	}
	/* Runtime functions are there too, and names are hinted. */
	cr_expect_eq(gobin__find_func(gb, "runtime.mallocgc", &f), 0);
	cr_expect_str_eq(provider_nearest_func(gb, "main.lookp"), "main.lookup");
	gobin__close(gb);
}

/* Every instruction of the main package: the line objdump prints. */
Test(gobin_pclntab, lines_match_objdump)
{
	static const char *const progs[] = { "build/go/gobin_array", "build/go/gobin_grid",
					     "build/go/gobin_slice" };

	for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		struct gobin *gb = open_ok(progs[p], GOBIN_OPEN_NO_SYMTAB);
		struct tg_dis d;
		size_t checked = 0;

		cr_assert_eq(tg_objdump(progs[p], "^main\\.", &d), 0);
		for (size_t i = 0; i < d.n; i++) {
			const char *file, *func;
			char pos[256];
			int line;

			cr_assert_eq(gobin__addr_to_line(gb, d.insn[i].addr, &file, &line, &func), 0,
				     "%#" PRIx64, d.insn[i].addr);
			snprintf(pos, sizeof(pos), "%s:%d", strrchr(file, '/') + 1, line);
			cr_expect_str_eq(pos, d.insn[i].pos, "%s %#" PRIx64, d.insn[i].func,
					 d.insn[i].addr);
			checked++;
		}
		cr_expect_gt(checked, 200);
		tg_dis_free(&d);
		gobin__close(gb);
	}
}

struct inl_ctx {
	char names[64][128];
	int n;
};

/* "./main.go:32:23: inlining call to hot" */
static int inl_line(const char *line, void *vctx)
{
	struct inl_ctx *c = vctx;
	const char *p = strstr(line, ": inlining call to ");

	if (!p || c->n == 64)
		return 1;
	snprintf(c->names[c->n++], sizeof(c->names[0]), "%s", p + strlen(": inlining call to "));
	return 0;
}

/* The compiler's -m says what it inlined; gobin must know main.hot only that way. */
Test(gobin_pclntab, inlined_only)
{
	struct gobin *gb = open_ok("build/go/gobin_stripped", 0);
	struct gobin *full = open_ok("build/go/gobin_array", 0);
	struct inl_ctx c = { .n = 0 };
	struct gobin_func f;
	bool hot = false;

	tg_run_lines("cd tests/go/gobin_stripped && go build -gcflags=-m -o /dev/null main.go 2>&1",
		     inl_line, &c);
	for (int i = 0; i < c.n; i++)
		hot |= !strcmp(c.names[i], "hot");
	cr_assert(hot, "the compiler did not inline hot (%d inlined calls)", c.n);
	cr_expect(gobin__func_is_inlined_only(gb, "main.hot"));
	cr_expect_eq(gobin__find_func(gb, "main.hot", &f), -ENOENT);
	cr_expect(!gobin__func_is_inlined_only(gb, "main.lookup"));
	cr_expect(!gobin__func_is_inlined_only(gb, "main.nothing"));
	/* runtime.add is inlined everywhere in every Go program. */
	cr_expect(gobin__func_is_inlined_only(full, "runtime.add"));
	cr_expect(!gobin__func_is_inlined_only(full, "main.get"));
	gobin__close(full);
	gobin__close(gb);
}

/* Start prog -info -wait, read its "var"/"func" lines, return its pid. */
static pid_t start_waiting(const char *prog, int *to_child, char *out, size_t outlen)
{
	int in[2], o[2];
	size_t len = 0;
	pid_t pid;

	cr_assert_eq(pipe(in), 0);
	cr_assert_eq(pipe(o), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		close(in[1]);
		close(o[0]);
		execl(prog, prog, "-info", "-wait", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	/* The program prints five lines, then waits for ours. */
	while (len + 1 < outlen) {
		ssize_t r = read(o[0], out + len, outlen - 1 - len);
		int lines = 0;

		if (r <= 0)
			break;
		len += r;
		out[len] = '\0';
		for (char *p = out; (p = strchr(p, '\n')); p++)
			lines++;
		if (lines >= 5)
			break;
	}
	out[len] = '\0';
	close(o[0]);
	*to_child = in[1];
	return pid;
}

static void finish(pid_t pid, int to_child)
{
	int status;

	cr_expect_eq(write(to_child, "\n", 1), 1);
	close(to_child);
	waitpid(pid, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static uint64_t field_of(const char *out, const char *key)
{
	const char *p = strstr(out, key);

	cr_assert_not_null(p, "no '%s' in %s", key, out);
	return strtoull(p + strlen(key), NULL, 0);
}

Test(gobin_pclntab, pie_load_bias)
{
	static const struct {
		const char *prog;
		bool pie;
	} cases[] = {
		{ "build/go/gobin_pie", true },
		{ "build/go/gobin_array", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gobin *gb = open_ok(cases[i].prog, 0);
		struct gobin_func f;
		struct gobin_var v;
		uint64_t bias = 1, bias2 = 2;
		char out[4096];
		int fd;
		pid_t pid;

		cr_expect_eq(gobin__is_pie(gb), cases[i].pie, "%s", cases[i].prog);
		pid = start_waiting(cases[i].prog, &fd, out, sizeof(out));
		cr_assert_eq(gobin__load_bias(gb, pid, &bias), 0, "%s", cases[i].prog);
		cr_assert_eq(gobin_load_bias(cases[i].prog, pid, &bias2), 0);
		cr_expect_eq(bias, bias2);
		if (cases[i].pie)
			cr_expect_neq(bias, 0, "a PIE is loaded elsewhere than linked");
		else
			cr_expect_eq(bias, 0, "%s", cases[i].prog);
		cr_assert_eq(gobin__find_func(gb, "main.get", &f), 0);
		cr_expect_eq(f.addr + bias, field_of(out, "func main.get "), "%s", cases[i].prog);
		cr_assert_eq(gobin__find_var(gb, "main.table", &v), 0);
		cr_expect_eq(v.addr + bias, field_of(out, "var main.table "), "%s", cases[i].prog);
		finish(pid, fd);
		gobin__close(gb);
	}
	/* Not mapped in another program's process; no such process. */
	{
		struct gobin *gb = open_ok("build/go/gobin_pie", 0);
		char out[4096];
		uint64_t bias;
		int fd;
		pid_t pid = start_waiting("build/go/gobin_array", &fd, out, sizeof(out));

		cr_expect_eq(gobin__load_bias(gb, pid, &bias), -ENOENT);
		finish(pid, fd);
		cr_expect_lt(gobin__load_bias(gb, 0x7ffffff, &bias), 0);
		gobin__close(gb);
	}
}

/*
 * The PIE's sites and lines are those of the same code built as an
 * executable: gobin_pie builds the sources of tests/go/gobin_array (its
 * build.from), so that is the file it records.
 */
Test(gobin_pclntab, pie_sites)
{
	struct gobin *gb = open_ok("build/go/gobin_pie", 0);
	struct gobin_site *s;
	struct gobin_var v;
	struct gobin_func f;
	char src[PATH_MAX];
	size_t n;

	cr_assert_not_null(realpath("tests/go/gobin_array/main.go", src));
	cr_assert_eq(gobin__find_var(gb, "main.table", &v), 0);
	cr_assert_eq(gobin__var_access_sites(gb, &v, &s, &n), 0);
	cr_expect_eq(n, 4);
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq(s[i].base_addr, v.addr);
		cr_expect_eq(s[i].elem_size, 8);
		cr_assert_eq(gobin__func_for_addr(gb, s[i].vaddr, &f), 0);
		cr_expect_eq(s[i].file_offset, f.file_offset + (s[i].vaddr - f.addr));
		cr_assert_not_null(s[i].file);
		cr_expect_str_eq(s[i].file, src);
	}
	free(s);
	gobin__close(gb);
}

/*
 * SP deltas from pcsp against the machine code objdump shows: 0 at every
 * entry and RET, the frame size right after the prologue's SUBQ $N, SP.
 */
Test(gobin_pclntab, sp_delta_matches_the_prologue_and_rets)
{
	struct gobin *gb = open_ok("build/go/rets", 0);
	size_t framed = 0, rets = 0;
	struct tg_dis d;
	int64_t delta;

	cr_assert_eq(tg_objdump("build/go/rets", NULL, &d), 0);
	for (size_t i = 0; i < d.n; i++) {
		bool first = !i || strcmp(d.insn[i - 1].func, d.insn[i].func);
		uint64_t frame;

		if (first) {
			struct gobin_func f;

			if (gobin__find_func(gb, d.insn[i].func, &f) || f.addr != d.insn[i].addr)
				continue;
			cr_assert_eq(gobin__sp_delta(gb, f.addr, &delta), 0, "%s", f.name);
			cr_expect_eq(delta, 0, "%s at entry: %" PRId64, f.name, delta);
			/* The prologue's SUBQ is within the first five instructions
			 * of code the Go compiler wrote (assembly moves SP its own way). */
			for (size_t k = i; k < i + 5 && k + 1 < d.n && strstr(d.insn[i].pos, ".go:");
			     k++) {
				if (strcmp(d.insn[k].func, d.insn[i].func))
					break;
				int end = 0;

				if (sscanf(d.insn[k].text, "SUBQ $%" SCNx64 ", SP%n", &frame, &end) != 1 ||
				    d.insn[k].text[end] || !end)
					continue;
				cr_assert_eq(gobin__sp_delta(gb, d.insn[k + 1].addr, &delta), 0,
					     "%s+%#" PRIx64, f.name, d.insn[k + 1].addr - f.addr);
				cr_expect_eq(delta, (int64_t)frame, "%s+%#" PRIx64 ": %" PRId64
					     ", SUBQ $%#" PRIx64, f.name,
					     d.insn[k + 1].addr - f.addr, delta, frame);
				framed++;
				break;
			}
		}
		if (!strcmp(d.insn[i].text, "RET") &&
		    !gobin__sp_delta(gb, d.insn[i].addr, &delta)) {
			cr_expect_eq(delta, 0, "RET in %s at %#" PRIx64, d.insn[i].func,
				     d.insn[i].addr);
			rets++;
		}
	}
	cr_expect_gt(framed, 500);
	cr_expect_gt(rets, 1000);
	cr_expect_eq(gobin__sp_delta(gb, 0x10, &delta), -ENOENT);
	cr_expect_eq(gobin__sp_delta(NULL, 0x10, &delta), -EINVAL);
	tg_dis_free(&d);
	gobin__close(gb);
}
