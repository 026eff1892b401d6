// SPDX-License-Identifier: MIT
/*
 * gobin against real Go programs built by the makefile into build/go/:
 * functions are checked against `go tool nm -size`, file offsets against the
 * instruction bytes `go tool objdump` prints, and every program's own view
 * of itself (-info: addresses and unsafe.Sizeof) against what gobin reads.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "tests/unit/test_gobin.h"

/* --- the test programs ---------------------------------------------------- */

#define ARRAY "build/go/gobin_array"

static struct gobin *open_ok(const char *path)
{
	struct gobin *gb = gobin__open(path);

	cr_assert_not_null(gb, "gobin__open(%s): %s", path, strerror(errno));
	return gb;
}

Test(gobin, open_errors)
{
	static const struct {
		const char *path;
		int err;
	} cases[] = {
		{ "build/go/no-such-program", ENOENT },
		{ "GNUmakefile", ENOEXEC },	/* not ELF */
		{ "/bin/true", ENOEXEC },	/* ELF, not Go */
		{ "build", EISDIR },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gobin *gb;

		errno = 0;
		gb = gobin__open(cases[i].path);
		cr_expect_null(gb, "%s opened", cases[i].path);
		cr_expect_eq(errno, cases[i].err, "%s: errno %d, want %d", cases[i].path, errno,
			     cases[i].err);
		gobin__close(gb);
	}
	gobin__close(NULL);
	cr_expect_null(gobin__open(NULL));
}

struct nm_ctx {
	struct gobin *gb;
	int checked;
	int missing;
	char first_missing[512];
};

/* `go tool nm -size` lines: "  48f020         54 T main.get" */
static int nm_line(const char *line, void *vctx)
{
	struct nm_ctx *c = vctx;
	uint64_t addr, size;
	char type[4], name[512];
	struct gobin_func f;

	if (sscanf(line, "%" SCNx64 " %" SCNu64 " %3s %511[^\n]", &addr, &size, type, name) != 4)
		return 1;
	if (strcmp(type, "T") && strcmp(type, "t"))
		return 1;
	if (!size)	/* runtime.text, runtime.etext: where code begins and ends */
		return 1;
	if (gobin__find_func(c->gb, name, &f)) {
		if (!c->missing++)
			snprintf(c->first_missing, sizeof(c->first_missing), "%s", name);
		return 1;
	}
	/* Several symbols may share a name (none in Go, but be lenient): check one. */
	cr_expect_eq(f.addr, addr, "%s: addr %#" PRIx64 ", nm says %#" PRIx64, name, f.addr, addr);
	if (size)
		cr_expect_eq(f.size, size, "%s: size %" PRIu64 ", nm says %" PRIu64, name, f.size,
			     size);
	c->checked++;
	return 0;
}

Test(gobin, functions_match_go_tool_nm)
{
	struct gobin *gb = open_ok(ARRAY);
	struct nm_ctx c = { .gb = gb };
	int n;

	cr_expect(gobin__has_symtab(gb));
	cr_expect(!gobin__is_pie(gb));
	n = tg_run_lines("go tool nm -size " ARRAY, nm_line, &c);
	cr_assert_gt(n, 1000, "go tool nm gave %d functions", n);
	cr_expect_eq(c.missing, 0, "%d nm functions missing, first %s", c.missing,
		     c.first_missing);
	cr_expect_geq(gobin__func_count(gb), (size_t)c.checked);
	gobin__close(gb);
}

Test(gobin, func_at_is_sorted_and_consistent)
{
	struct gobin *gb = open_ok(ARRAY);
	size_t n = gobin__func_count(gb);
	uint64_t prev = 0;
	struct gobin_func f, g;

	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(gobin__func_at(gb, i, &f), 0);
		cr_expect_geq(f.addr, prev);
		prev = f.addr;
		cr_assert_eq(gobin__find_func(gb, f.name, &g), 0, "%s", f.name);
		cr_expect_eq(g.file_offset, f.file_offset);
	}
	cr_expect_eq(gobin__func_at(gb, n, &f), -ENOENT);
	cr_expect_eq(gobin__find_func(gb, "main.nope", &f), -ENOENT);
	gobin__close(gb);
}

/* The program's own idea of where its functions are. */
Test(gobin, addresses_match_the_program)
{
	static const char *const names[] = { "main.get", "main.put", "main.bump", "main.sum" };
	struct gobin *gb = open_ok(ARRAY);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct gobin_func f;
		uint64_t v[4];

		cr_assert_eq(tg_info(ARRAY, "func", names[i], v), 0, "%s -info", ARRAY);
		cr_assert_eq(gobin__find_func(gb, names[i], &f), 0, "%s", names[i]);
		cr_expect_eq(f.addr, v[0], "%s at %#" PRIx64 ", program says %#" PRIx64, names[i],
			     f.addr, v[0]);
		cr_expect_gt(f.size, 0);
	}
	gobin__close(gb);
}

struct objdump_ctx {
	uint64_t addr;
	char hex[64];
};

/* "  main.go:26		0x48f020		4883ec18		SUBQ $0x18, SP" */
static int objdump_line(const char *line, void *vctx)
{
	struct objdump_ctx *c = vctx;
	char pos[256], hex[64];
	uint64_t addr;

	if (c->hex[0] || sscanf(line, "%255s %" SCNx64 " %63s", pos, &addr, hex) != 3)
		return 1;
	c->addr = addr;
	snprintf(c->hex, sizeof(c->hex), "%s", hex);
	return 0;
}

/* The bytes at file_offset are the ones objdump shows at the entry. */
Test(gobin, file_offset_holds_the_entry_instruction)
{
	static const char *const names[] = { "main.get", "main.main", "runtime.mallocgc" };
	struct gobin *gb = open_ok(ARRAY);
	FILE *fp = fopen(ARRAY, "rb");

	cr_assert_not_null(fp);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct objdump_ctx c = { 0 };
		struct gobin_func f;
		char cmd[512], got[64] = "";
		uint8_t buf[16];
		size_t len;

		cr_assert_eq(gobin__find_func(gb, names[i], &f), 0);
		snprintf(cmd, sizeof(cmd), "go tool objdump -s '^%s$' %s", names[i], ARRAY);
		tg_run_lines(cmd, objdump_line, &c);
		cr_assert(c.hex[0], "no objdump output for %s", names[i]);
		cr_expect_eq(c.addr, f.addr);
		len = strlen(c.hex) / 2;
		cr_assert_eq(fseek(fp, f.file_offset, SEEK_SET), 0);
		cr_assert_eq(fread(buf, 1, len, fp), len);
		for (size_t k = 0; k < len; k++)
			sprintf(got + 2 * k, "%02x", buf[k]);
		cr_expect_str_eq(got, c.hex, "%s", names[i]);
	}
	fclose(fp);
	gobin__close(gb);
}

Test(gobin, registers)
{
	static const struct {
		const char *name;
		int off;
	} cases[] = {
		{ "r15", 0 }, { "r14", 8 }, { "r13", 16 }, { "r12", 24 }, { "bp", 32 },
		{ "rbx", 40 }, { "r11", 48 }, { "r10d", 56 }, { "r9", 64 }, { "r8", 72 },
		{ "ax", 80 }, { "%rax", 80 }, { "eax", 80 }, { "cx", 88 }, { "dx", 96 },
		{ "si", 104 }, { "edi", 112 }, { "orig_ax", 120 }, { "ip", 128 }, { "cs", 136 },
		{ "flags", 144 }, { "sp", 152 }, { "ss", 160 }, { "xmm0", -1 }, { "", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(gobin_reg_offset(cases[i].name), cases[i].off, "%s", cases[i].name);
	cr_expect_str_eq(gobin_reg_name(HS_REG_AX), "rax");
	cr_expect_eq(gobin_reg_arg(0), HS_REG_AX);
	cr_expect_eq(gobin_reg_arg(1), HS_REG_BX);
	cr_expect_eq(gobin_reg_arg(8), HS_REG_R11);
	cr_expect_eq(gobin_reg_arg(9), HS_REG_NONE);
}

Test(gobin, go_version)
{
	struct gobin *gb = open_ok(ARRAY);
	const char *v = gobin__go_version(gb);
	char want[64] = "";
	FILE *p = popen("go env GOVERSION", "r");

	cr_assert_not_null(p);
	cr_assert_not_null(fgets(want, sizeof(want), p));
	pclose(p);
	want[strcspn(want, "\n")] = '\0';
	cr_expect(v && !strcmp(v, want), "version %s, go says %s", v ? v : "NULL", want);
	gobin__close(gb);
}
