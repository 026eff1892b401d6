// SPDX-License-Identifier: MIT
/*
 * Entry, return and access sites against `go tool objdump` of the test
 * programs: the probe must sit on the instruction objdump shows as the
 * stack-check JBE or the bounds-check jump, the registers must be those
 * Go's register ABI assigns to the arguments, and the array's address and
 * element size those the program prints about itself (-info).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gobin/gobin.h"
#include "tests/unit/test_gobin.h"

static struct gobin *open_ok(const char *path, unsigned int flags)
{
	struct gobin *gb = gobin__open_flags(path, flags);

	cr_assert_not_null(gb, "gobin__open(%s): %s", path, strerror(errno));
	return gb;
}

/*
 * Every function of the program: the entry site is the JBE after
 * "CMPQ SP, 0x10(R14)" / "CMPQ 0x10(R14), R12" in objdump when the function
 * starts with one, else the entry itself.
 */
Test(gobin_sites, entry_sites_of_every_function)
{
	struct gobin *gb = open_ok("build/go/gobin_array", 0);
	struct tg_dis d;
	size_t checked = 0, with_check = 0;

	cr_assert_eq(tg_objdump("build/go/gobin_array", NULL, &d), 0);
	cr_assert_gt(d.n, 10000);
	for (size_t i = 0; i < d.n; i++) {
		struct gobin_func f;
		struct gobin_site s;
		uint64_t want = d.insn[i].addr, wskip = 0;

		if (i > 0 && !strcmp(d.insn[i - 1].func, d.insn[i].func))
			continue;
		if (gobin__find_func(gb, d.insn[i].func, &f) || f.addr != d.insn[i].addr)
			continue;
		/* The check is within the first five instructions. */
		for (size_t k = i; k < i + 5 && k + 1 < d.n; k++) {
			if (strcmp(d.insn[k].func, d.insn[i].func))
				break;
			if (strstr(d.insn[k].text, "0x10(R14)") &&
			    !strncmp(d.insn[k].text, "CMPQ", 4) &&
			    !strncmp(d.insn[k + 1].text, "JBE", 3)) {
				want = d.insn[k + 1].addr;
				wskip = HS_FLAG_CF | HS_FLAG_ZF;
				with_check++;
				break;
			}
		}
		cr_assert_eq(gobin__entry_site(gb, &f, &s), 0);
		cr_expect_eq(s.vaddr, want, "%s: entry site %#" PRIx64 ", objdump %#" PRIx64, f.name,
			     s.vaddr, want);
		cr_expect_eq(s.skip_if_any_set, wskip, "%s", f.name);
		cr_expect_eq(s.skip_if_all_clear, 0);
		cr_expect_eq(s.file_offset - f.file_offset, s.vaddr - f.addr, "%s", f.name);
		checked++;
	}
	cr_expect_gt(checked, 1000, "%zu functions checked", checked);
	cr_expect_gt(with_check, 500, "%zu with a stack check", with_check);
	tg_dis_free(&d);
	gobin__close(gb);
}

Test(gobin_sites, ret_sites)
{
	static const char *const names[] = { "main.get", "main.main", "main.sum" };
	struct gobin *gb = open_ok("build/go/gobin_array", 0);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct gobin_site *s;
		struct gobin_func f;
		struct tg_dis d;
		char re[128];
		size_t n, want = 0;

		snprintf(re, sizeof(re), "^%s$", names[i]);
		cr_assert_eq(tg_objdump("build/go/gobin_array", re, &d), 0);
		cr_assert_eq(gobin__find_func(gb, names[i], &f), 0);
		cr_assert_eq(gobin__ret_sites(gb, &f, &s, &n), 0);
		for (size_t k = 0; k < d.n; k++)
			want += !strcmp(d.insn[k].text, "RET");
		cr_expect_eq(n, want, "%s: %zu RET, objdump %zu", names[i], n, want);
		for (size_t k = 0; k < n; k++) {
			const struct tg_insn *in = tg_dis_at(&d, s[k].vaddr);

			cr_expect(in && !strcmp(in->text, "RET"), "%s+%#" PRIx64, names[i],
				  s[k].func_offset);
			cr_expect_eq(s[k].kind, GOBIN_SITE_RET);
		}
		free(s);
		tg_dis_free(&d);
	}
	gobin__close(gb);
}

/*
 * Every function of a whole program, runtime included: as many RET sites as
 * objdump shows RETs, each on one, and no RET is missed because decoding
 * stopped early.
 */
Test(gobin_sites, ret_sites_of_every_function)
{
	struct gobin *gb = open_ok("build/go/rets", 0);
	struct tg_dis d;
	size_t funcs = 0, rets = 0;

	cr_assert_eq(tg_objdump("build/go/rets", NULL, &d), 0);
	for (size_t i = 0; i < d.n;) {
		struct gobin_site *s;
		struct gobin_func f;
		size_t end = i, want = 0, n;

		while (end < d.n && !strcmp(d.insn[end].func, d.insn[i].func))
			want += !strcmp(d.insn[end++].text, "RET");
		if (!gobin__find_func(gb, d.insn[i].func, &f) && f.addr == d.insn[i].addr) {
			cr_assert_eq(gobin__ret_sites(gb, &f, &s, &n), 0, "%s", f.name);
			cr_expect_eq(n, want, "%s: %zu RET sites, objdump shows %zu", f.name, n,
				     want);
			for (size_t k = 0; k < n && k < want; k++) {
				const struct tg_insn *in = tg_dis_at(&d, s[k].vaddr);

				cr_expect(in && !strcmp(in->text, "RET"), "%s+%#" PRIx64, f.name,
					  s[k].func_offset);
			}
			free(s);
			funcs++;
			rets += want;
		}
		i = end;
	}
	cr_expect_gt(funcs, 1000);
	cr_expect_gt(rets, 1000);
	tg_dis_free(&d);
	gobin__close(gb);
}

/* Leaving by a JMP into another function is a tail call; a JMP back to the
 * function's own entry (after morestack) is not. */
Test(gobin_sites, tail_jumps)
{
	struct gobin *gb = open_ok("build/go/rets", 0);
	const char *target;
	struct gobin_func f;
	uint64_t at;

	cr_assert_eq(gobin__find_func(gb, "runtime.memequal", &f), 0);
	cr_expect_eq(gobin__tail_jumps(gb, &f, &at, &target), 1);
	cr_expect_str_eq(target, "memeqbody");
	cr_expect(at > f.addr && at < f.addr + f.size);
	cr_assert_eq(gobin__find_func(gb, "main.pick", &f), 0);
	cr_expect_eq(gobin__tail_jumps(gb, &f, &at, &target), 0);
	cr_expect_eq(at, 0);
	cr_expect_null(target);
	cr_expect_eq(gobin__tail_jumps(gb, NULL, &at, &target), -EINVAL);
	gobin__close(gb);
}

/* The reverse of vaddr_to_offset, inside and outside the file's segments;
 * an address inside a function finds it. */
Test(gobin_sites, offset_to_vaddr)
{
	static const char *const progs[] = { "build/go/rets", "build/go/gobin_pie" };

	for (size_t p = 0; p < 2; p++) {
		struct gobin *gb = open_ok(progs[p], 0);
		struct gobin_func f;
		uint64_t off, va;

		for (size_t i = 0; i < gobin__func_count(gb); i += 97) {
			struct gobin_func in;

			cr_assert_eq(gobin__func_at(gb, i, &f), 0);
			cr_assert_eq(gobin__vaddr_to_offset(gb, f.addr + 1, &off), 0);
			cr_assert_eq(gobin__offset_to_vaddr(gb, off, &va), 0);
			cr_expect_eq(va, f.addr + 1, "%s", f.name);
			/* The first function shares its address with the runtime.text
			 * marker, which must not hide it. */
			if (f.size > 1) {
				cr_assert_eq(gobin__func_for_addr(gb, f.addr + 1, &in), 0, "%s",
					     f.name);
				cr_expect_str_eq(in.name, f.name);
			}
		}
		cr_expect_eq(gobin__offset_to_vaddr(gb, 1ULL << 40, &va), -ENOENT);
		gobin__close(gb);
	}
}

/* What one access function of a test program must give. */
struct access_case {
	const char *prog;
	const char *func;
	const char *var;	/* the global array, "" for a slice argument */
	const char *field;	/* -info "field" line for the offset in the element, or NULL */
	int index_reg;		/* from Go's register ABI: the argument holding the index */
	int row_reg;
	int len_reg;
	int base_reg;
	const char *jump;	/* the bounds check's jump, as objdump spells it */
	bool write;
	uint64_t elem_size;	/* when there is no -info line to ask */
};

static const struct access_case access_cases[] = {
	{ "gobin_array", "main.get", "main.table", NULL, HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_array", "main.put", "main.table", NULL, HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", true, 0 },
	{ "gobin_array", "main.bump", "main.table", NULL, HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", true, 0 },
	{ "gobin_grid", "main.at", "main.grid", NULL, HS_REG_BX, HS_REG_AX,
	  HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_grid", "main.inc", "main.grid", NULL, HS_REG_BX, HS_REG_AX,
	  HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_structs", "main.pairY", "main.pairs", "main.pair.y", HS_REG_AX,
	  HS_REG_NONE, HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_structs", "main.setRecC", "main.recs", "main.rec.c", HS_REG_AX,
	  HS_REG_NONE, HS_REG_NONE, HS_REG_NONE, "JAE", true, 0 },
	{ "gobin_structs", "main.triB", "main.tris", "main.tri.b", HS_REG_AX,
	  HS_REG_NONE, HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_structs", "main.oddA1", "main.odds", "main.odd.a[1]", HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_field", "main.slot", "main.cache.slots", NULL, HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", false, 0 },
	{ "gobin_field", "main.record", "main.stats.hist", NULL, HS_REG_AX, HS_REG_NONE,
	  HS_REG_NONE, HS_REG_NONE, "JAE", true, 0 },
	/* (*Cache).Get(i): receiver in AX, i in BX, slots at the receiver + offset. */
	{ "gobin_field", "main.(*Cache).Get", "", "main.Cache.slots", HS_REG_BX,
	  HS_REG_NONE, HS_REG_NONE, HS_REG_AX, "JAE", false, 4 },
	/* add(s []int64, i int, v int64): s in AX/BX/CX, i in DI. */
	{ "gobin_slice", "main.add", "", NULL, HS_REG_DI, HS_REG_NONE, HS_REG_BX,
	  HS_REG_AX, "JBE", true, 8 },
	{ "gobin_slice", "main.load", "", NULL, HS_REG_DI, HS_REG_NONE, HS_REG_BX,
	  HS_REG_AX, "JBE", false, 2 },
};

static void check_access(const struct access_case *c, const struct gobin_site *s,
			 const struct tg_dis *d, const uint64_t info[4], uint64_t field_off)
{
	const struct tg_insn *jump = tg_dis_at(d, s->vaddr);
	const struct tg_insn *acc = tg_dis_at(d, s->access_vaddr);
	const struct tg_insn *cmp = tg_dis_at(d, s->check_vaddr);
	char pos[128];

	cr_assert_not_null(jump, "%s: site %#" PRIx64 " is no instruction", c->func, s->vaddr);
	cr_assert_not_null(acc, "%s: access %#" PRIx64, c->func, s->access_vaddr);
	cr_assert_not_null(cmp, "%s: check %#" PRIx64, c->func, s->check_vaddr);
	cr_expect(!strncmp(jump->text, c->jump, strlen(c->jump)), "%s: probe on '%s'", c->func,
		  jump->text);
	cr_expect(!strncmp(cmp->text, "CMPQ", 4), "%s: check '%s'", c->func, cmp->text);
	/* The access instruction indexes memory: objdump writes (REG*scale). */
	cr_expect(strchr(acc->text, '*') || strstr(acc->text, "(AX)") ||
		  strstr(acc->text, "(CX)"), "%s: access '%s'", c->func, acc->text);
	if (!strcmp(c->jump, "JAE")) {
		cr_expect_eq(s->skip_if_all_clear, HS_FLAG_CF, "%s", c->func);
		cr_expect_eq(s->skip_if_any_set, 0, "%s", c->func);
	} else {
		cr_expect_eq(s->skip_if_any_set, HS_FLAG_CF | HS_FLAG_ZF, "%s", c->func);
		cr_expect_eq(s->skip_if_all_clear, 0, "%s", c->func);
	}
	cr_expect_eq(s->index_reg, c->index_reg, "%s: index in %s", c->func,
		     gobin_reg_name(s->index_reg));
	cr_expect_eq(s->row_reg, c->row_reg, "%s: row in %s", c->func, gobin_reg_name(s->row_reg));
	cr_expect_eq(s->base_reg, c->base_reg, "%s: base in %s", c->func,
		     gobin_reg_name(s->base_reg));
	if (c->len_reg != HS_REG_NONE)
		cr_expect_eq(s->len_reg, c->len_reg, "%s: len in %s", c->func,
			     gobin_reg_name(s->len_reg));
	cr_expect_eq(s->is_write, c->write, "%s: write", c->func);
	cr_expect_eq(s->disp, (int64_t)field_off, "%s: disp %" PRId64 ", want %" PRIu64, c->func,
		     s->disp, field_off);
	if (*c->var) {
		cr_expect_eq(s->base_addr, info[0], "%s: base %#" PRIx64 ", program %#" PRIx64,
			     c->func, s->base_addr, info[0]);
		if (s->row_reg != HS_REG_NONE) {
			cr_expect_eq(s->row_size, info[2], "%s: row size", c->func);
			cr_expect_eq(s->row_len, (int64_t)info[1], "%s: rows", c->func);
		} else {
			cr_expect_eq(s->elem_size, info[2], "%s: elem %" PRIu64 ", program %" PRIu64,
				     c->func, s->elem_size, info[2]);
			cr_expect_eq(s->len_const, (int64_t)info[1], "%s: len", c->func);
		}
	} else {
		cr_expect_eq(s->elem_size, c->elem_size, "%s: elem %" PRIu64, c->func,
			     s->elem_size);
	}
	/* The position is objdump's for the access. */
	snprintf(pos, sizeof(pos), "%s:%d", s->file ? strrchr(s->file, '/') + 1 : "?", s->line);
	cr_expect_str_eq(pos, acc->pos, "%s", c->func);
}

Test(gobin_sites, access_sites_of_functions_and_arrays)
{
	for (size_t i = 0; i < sizeof(access_cases) / sizeof(access_cases[0]); i++) {
		const struct access_case *c = &access_cases[i];
		char prog[256], re[256];
		struct gobin_site *s, *vs = NULL;
		struct gobin_func f;
		struct gobin_var v;
		struct tg_dis d;
		uint64_t info[4] = { 0 }, field[4] = { 0 };
		size_t n, vn = 0, found = 0;
		struct gobin *gb;

		snprintf(prog, sizeof(prog), "build/go/%s", c->prog);
		gb = open_ok(prog, 0);
		snprintf(re, sizeof(re), "^%s$", c->func);
		for (char *p = re; *p; p++)
			if (*p == '(' || *p == ')' || *p == '*')
				memmove(p + 1, p, strlen(p) + 1), *p++ = '\\';
		cr_assert_eq(tg_objdump(prog, re, &d), 0);
		cr_assert_gt(d.n, 0, "no objdump of %s", c->func);
		if (*c->var) {
			cr_assert_eq(tg_info(prog, "var", c->var, info), 0, "%s -info %s", prog,
				     c->var);
			if (!strcmp(c->var, "main.grid")) {
				uint64_t row[4];

				cr_assert_eq(tg_info(prog, "row", c->var, row), 0);
				info[3] = row[1];
			}
		}
		if (c->field)
			cr_assert_eq(tg_info(prog, "field", c->field, field), 0);
		cr_assert_eq(gobin__find_func(gb, c->func, &f), 0, "%s", c->func);
		cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
		cr_expect_eq(n, 1, "%s: %zu access sites", c->func, n);
		if (n >= 1) {
			check_access(c, &s[0], &d, info, field[0]);
			if (s[0].row_reg != HS_REG_NONE)
				cr_expect_eq(s[0].elem_size, info[3], "%s: cell size", c->func);
		}
		/* The same site through the array, with the program's array facts. */
		if (*c->var) {
			cr_assert_eq(gobin__find_var(gb, c->var, &v), 0, "%s", c->var);
			if (n >= 1)
				cr_expect(s[0].var && !strcmp(s[0].var, v.global), "%s: var %s",
					  c->func, s[0].var ? s[0].var : "NULL");
			cr_assert_eq(gobin__var_access_sites(gb, &v, &vs, &vn), 0);
			for (size_t k = 0; k < vn; k++) {
				if (strcmp(vs[k].func, c->func))
					continue;
				found++;
				cr_expect_eq(vs[k].vaddr, s[0].vaddr);
				check_access(c, &vs[k], &d, info, field[0]);
				cr_expect(!vs[k].elem_size_from_scale);
			}
			cr_expect_eq(found, 1, "%s: %zu sites of %s", c->func, found, c->var);
			free(vs);
		}
		free(s);
		tg_dis_free(&d);
		gobin__close(gb);
	}
}

/* The array's sites are exactly those of the functions that index it. */
Test(gobin_sites, array_sites_come_from_the_right_functions)
{
	static const struct {
		const char *prog, *var;
		const char *funcs[4];
	} cases[] = {
		/* sum() ranges over it: no bounds check, but a site on the load. */
		{ "build/go/gobin_array", "main.table", { "main.get", "main.put", "main.bump",
							  "main.sum" } },
		{ "build/go/gobin_grid", "main.grid", { "main.at", "main.inc" } },
		{ "build/go/gobin_structs", "main.tris", { "main.triB" } },
		{ "build/go/gobin_field", "main.cache.slots", { "main.slot" } },
		{ "build/go/gobin_field", "main.cache.tail", { NULL } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gobin *gb = open_ok(cases[i].prog, 0);
		struct gobin_site *s;
		struct gobin_var v;
		size_t n, want = 0;

		cr_assert_eq(gobin__find_var(gb, cases[i].var, &v), 0, "%s", cases[i].var);
		cr_assert_eq(gobin__var_access_sites(gb, &v, &s, &n), 0);
		while (want < 4 && cases[i].funcs[want])
			want++;
		cr_expect_eq(n, want, "%s: %zu sites, want %zu", cases[i].var, n, want);
		for (size_t k = 0; k < n; k++) {
			bool ok = false;

			for (size_t j = 0; j < want; j++)
				ok |= !strcmp(s[k].func, cases[i].funcs[j]);
			cr_expect(ok, "%s: site in %s", cases[i].var, s[k].func);
			cr_expect_eq(s[k].kind, GOBIN_SITE_ACCESS);
		}
		free(s);
		gobin__close(gb);
	}
}

/* Without DWARF the element size is the machine code's scale. */
Test(gobin_sites, no_dwarf_uses_the_scale)
{
	static const char *const vars[] = { "main.pairs", "main.recs", "main.tris", "main.odds" };
	struct gobin *gb = open_ok("build/go/gobin_structs", GOBIN_OPEN_NO_DWARF);

	cr_expect(!gobin__has_dwarf(gb));
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		struct gobin_site *s;
		struct gobin_var v;
		uint64_t info[4];
		size_t n;

		cr_assert_eq(tg_info("build/go/gobin_structs", "var", vars[i], info), 0);
		cr_assert_eq(gobin__find_var(gb, vars[i], &v), 0, "%s", vars[i]);
		cr_expect(!v.types_known);
		cr_expect_eq(v.kind, GOBIN_KIND_UNKNOWN);
		cr_expect_eq(v.addr, info[0]);
		cr_expect_eq(v.size, info[3], "%s: symbol size %" PRIu64, vars[i], v.size);
		cr_assert_eq(gobin__var_access_sites(gb, &v, &s, &n), 0);
		cr_expect_eq(n, 1, "%s: %zu sites", vars[i], n);
		for (size_t k = 0; k < n; k++) {
			cr_expect(s[k].elem_size_from_scale);
			cr_expect_eq(s[k].elem_size, info[2], "%s: scale %" PRIu64 ", sizeof %" PRIu64,
				     vars[i], s[k].elem_size, info[2]);
			cr_expect_eq(s[k].base_addr, info[0]);
		}
		free(s);
	}
	gobin__close(gb);
}

/* Stripped: sites of a function still resolve, the inlined access says so. */
Test(gobin_sites, stripped_and_inlined)
{
	const char *prog = "build/go/gobin_stripped";
	struct gobin *gb = open_ok(prog, 0);
	uint64_t table[4], other[4];
	struct gobin_site *s;
	struct gobin_func f;
	struct gobin_var v;
	size_t n;

	cr_expect(!gobin__has_symtab(gb));
	cr_expect(!gobin__has_dwarf(gb));
	cr_assert_eq(tg_info(prog, "var", "main.table", table), 0);
	cr_assert_eq(tg_info(prog, "var", "main.other", other), 0);
	cr_expect_eq(gobin__find_var(gb, "main.table", &v), -ENOENT);
	cr_assert_eq(gobin__find_func(gb, "main.lookup", &f), 0);
	cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
	cr_assert_eq(n, 2, "%zu sites in main.lookup", n);
	/* hot(i) reads table[i], inlined; lookup itself reads other[j]. */
	cr_expect_eq(s[0].base_addr, table[0]);
	cr_expect_eq(s[0].elem_size, table[2]);
	cr_expect_eq(s[0].len_const, (int64_t)table[1]);
	cr_expect(s[0].inlined_from && !strcmp(s[0].inlined_from, "main.hot"), "inlined from %s",
		  s[0].inlined_from ? s[0].inlined_from : "NULL");
	cr_expect_eq(s[0].index_reg, HS_REG_AX);
	cr_expect_eq(s[1].base_addr, other[0]);
	cr_expect_eq(s[1].elem_size, other[2]);
	cr_expect_eq(s[1].index_reg, HS_REG_BX);
	cr_expect_null(s[1].inlined_from);
	cr_expect(s[0].elem_size_from_scale);
	free(s);
	gobin__close(gb);
}

Test(gobin_sites, bad_arguments)
{
	struct gobin *gb = open_ok("build/go/gobin_array", 0);
	struct gobin_site *s;
	struct gobin_site e;
	size_t n;

	cr_expect_eq(gobin__entry_site(NULL, NULL, &e), -EINVAL);
	cr_expect_eq(gobin__func_access_sites(gb, NULL, &s, &n), -EINVAL);
	cr_expect_eq(gobin__var_access_sites(gb, NULL, &s, &n), -EINVAL);
	cr_expect_eq(gobin__ret_sites(NULL, NULL, &s, &n), -EINVAL);
	gobin__close(gb);
}

/*
 * Every call of runtime.panicIndex(U) that objdump shows in a function is
 * counted by the site finder, and each is reached from a site's jump or is
 * listed with a reason: none is skipped in silence. Go 1.19's build and,
 * when the matrix has it, Go 1.23's.
 */
Test(gobin_sites, every_bounds_check_is_a_site_or_has_a_reason)
{
	static const char *const progs[] = { "build/go/goset", "build/go/corpus",
					     "build/go/go1.23-plain/goset" };

	for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		struct gobin *gb;
		struct tg_dis d;
		size_t funcs = 0, calls = 0;

		if (access(progs[p], X_OK) && p == 2)
			continue;
		gb = open_ok(progs[p], 0);
		cr_assert_eq(tg_objdump(progs[p], NULL, &d), 0);
		for (size_t i = 0; i < d.n;) {
			struct gobin_accesses a;
			struct gobin_func f;
			size_t end = i, want = 0, listed = 0;

			while (end < d.n && !strcmp(d.insn[end].func, d.insn[i].func)) {
				want += strstr(d.insn[end].text, "CALL runtime.panicIndex(SB)") ||
					strstr(d.insn[end].text, "CALL runtime.panicIndexU(SB)");
				end++;
			}
			if (!want || gobin__find_func(gb, d.insn[i].func, &f) ||
			    f.addr != d.insn[i].addr) {
				i = end;
				continue;
			}
			cr_assert_eq(gobin__func_accesses(gb, &f, &a), 0, "%s", f.name);
			cr_expect_eq(a.nchecks, want, "%s %s: %zu checks, objdump %zu calls",
				     progs[p], f.name, a.nchecks, want);
			for (size_t k = 0; k < a.nskips; k++)
				listed += !a.skips[k].covered;
			cr_expect(a.nchecks_sited == a.nchecks || listed > 0,
				  "%s %s: %zu of %zu checks are no site and none is listed",
				  progs[p], f.name, a.nchecks - a.nchecks_sited, a.nchecks);
			for (size_t k = 0; k < a.nskips; k++)
				cr_expect(a.skips[k].reason && *a.skips[k].reason);
			gobin_accesses_free(&a);
			funcs++;
			calls += want;
			i = end;
		}
		cr_expect_gt(funcs, 50, "%s: %zu functions with checks", progs[p], funcs);
		cr_expect_gt(calls, 200, "%s", progs[p]);
		tg_dis_free(&d);
		gobin__close(gb);
	}
}

/*
 * The shapes of goset as each toolchain compiles them: the site's values
 * are those of Go's register ABI where the index is an argument, 2-D
 * accesses sit on the column's check with the row still known (Go 1.21+
 * computes the row's address between the two checks), p[i+1] is indexed
 * by the register holding i+1.
 */
Test(gobin_sites, goset_shapes_with_every_toolchain)
{
	static const char *const progs[] = {
		"build/go/goset", "build/go/go1.19-plain/goset", "build/go/go1.21-plain/goset",
		"build/go/go1.22-plain/goset", "build/go/go1.23-plain/goset",
	};
	int seen = 0;

	for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		struct gobin_site *s;
		struct gobin_func f;
		struct gobin *gb;
		size_t n;

		if (access(progs[p], X_OK))
			continue;
		seen++;
		gb = open_ok(progs[p], 0);
		/* grid[r][c]++: r in AX, c in BX, [32][32]int32. */
		cr_assert_eq(gobin__find_func(gb, "main.gridInc", &f), 0);
		cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
		cr_assert_eq(n, 1, "%s: %zu sites in gridInc", progs[p], n);
		cr_expect_eq(s[0].row_size, 128, "%s", progs[p]);
		cr_expect_eq(s[0].elem_size, 4, "%s", progs[p]);
		cr_expect(s[0].row.known, "%s: row", progs[p]);
		cr_expect_eq(s[0].index_reg, HS_REG_BX, "%s: col in %s", progs[p],
			     gobin_reg_name(s[0].index_reg));
		cr_expect(!s[0].at_access, "%s: on the check", progs[p]);
		free(s);
		/* p[i+1]: the checked register holds i+1, the access uses i. */
		cr_assert_eq(gobin__find_func(gb, "main.derived", &f), 0);
		cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
		cr_assert_eq(n, 1, "%s: %zu sites in derived", progs[p], n);
		cr_expect_eq(s[0].elem_size, 8, "%s", progs[p]);
		cr_expect_eq(s[0].base_reg, HS_REG_AX, "%s: base in %s", progs[p],
			     gobin_reg_name(s[0].base_reg));
		cr_expect(s[0].index.known && s[0].index.reg != HS_REG_DI, "%s", progs[p]);
		free(s);
		/* p[3]: a constant index into a slice. */
		cr_assert_eq(gobin__find_func(gb, "main.constSlice", &f), 0);
		cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
		cr_assert_eq(n, 1, "%s", progs[p]);
		cr_expect_eq(s[0].index_const, 3, "%s", progs[p]);
		cr_expect_eq(s[0].base_reg, HS_REG_AX, "%s", progs[p]);
		free(s);
		/* The inlined copy of main.inl in useInl says so. */
		cr_assert_eq(gobin__find_func(gb, "main.useInl", &f), 0);
		cr_assert_eq(gobin__func_access_sites(gb, &f, &s, &n), 0);
		cr_assert_eq(n, 1, "%s", progs[p]);
		cr_expect(s[0].inlined_from && !strcmp(s[0].inlined_from, "main.inl"), "%s: %s",
			  progs[p], s[0].inlined_from ? s[0].inlined_from : "not inlined");
		cr_expect(gobin__func_is_inlined_only(gb, "main.inl"), "%s", progs[p]);
		free(s);
		gobin__close(gb);
	}
	cr_expect_geq(seen, 1);
}
