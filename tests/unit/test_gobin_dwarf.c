// SPDX-License-Identifier: MIT
/*
 * Globals and types from DWARF against what each test program says about
 * itself (-info: &x, len, unsafe.Sizeof, unsafe.Offsetof) and against the
 * addresses `go tool nm` lists.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "tests/unit/test_gobin.h"

static struct gobin *open_ok(const char *path, unsigned int flags)
{
	struct gobin *gb = gobin__open_flags(path, flags);

	cr_assert_not_null(gb, "gobin__open(%s): %s", path, strerror(errno));
	return gb;
}

Test(gobin_dwarf, vars_match_the_programs)
{
	static const struct {
		const char *prog, *var;
		enum gobin_kind kind;
		const char *type, *elem;	/* Go's spelling, as in the source */
	} cases[] = {
		{ "gobin_array", "main.table", GOBIN_KIND_ARRAY, "[4096]int64", "int64" },
		{ "gobin_grid", "main.grid", GOBIN_KIND_ARRAY, "[64][64]float64", "[64]float64" },
		{ "gobin_structs", "main.pairs", GOBIN_KIND_ARRAY, "[512]main.pair", "main.pair" },
		{ "gobin_structs", "main.recs", GOBIN_KIND_ARRAY, "[300]main.rec", "main.rec" },
		{ "gobin_structs", "main.tris", GOBIN_KIND_ARRAY, "[200]main.tri", "main.tri" },
		{ "gobin_structs", "main.odds", GOBIN_KIND_ARRAY, "[100]main.odd", "main.odd" },
		{ "gobin_field", "main.cache.slots", GOBIN_KIND_ARRAY, "[256]uint32", "uint32" },
		{ "gobin_field", "main.cache.tail", GOBIN_KIND_ARRAY, "[16]int16", "int16" },
		{ "gobin_field", "main.stats.hist", GOBIN_KIND_ARRAY, "[32]int64", "int64" },
		{ "gobin_field", "main.cache", GOBIN_KIND_STRUCT, "main.Cache", NULL },
		{ "gobin_stripped", "main.table", GOBIN_KIND_UNKNOWN, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char prog[256];
		struct gobin *gb;
		struct gobin_var v;
		uint64_t info[4];
		int err;

		snprintf(prog, sizeof(prog), "build/go/%s", cases[i].prog);
		gb = open_ok(prog, 0);
		cr_assert_eq(tg_info(prog, "var", cases[i].var, info), 0, "%s", cases[i].var);
		err = gobin__find_var(gb, cases[i].var, &v);
		if (!cases[i].type) {
			/* Stripped: no symbols, no DWARF, no globals by name. */
			cr_expect_eq(err, -ENOENT, "%s", cases[i].var);
			gobin__close(gb);
			continue;
		}
		cr_assert_eq(err, 0, "%s: %d", cases[i].var, err);
		cr_expect(v.types_known);
		cr_expect_eq(v.kind, cases[i].kind, "%s: kind %d", cases[i].var, v.kind);
		cr_expect_eq(v.addr, info[0], "%s: %#" PRIx64 ", program %#" PRIx64, cases[i].var,
			     v.addr, info[0]);
		cr_expect_eq(v.size, info[3], "%s: size %" PRIu64 ", program %" PRIu64,
			     cases[i].var, v.size, info[3]);
		cr_expect_str_eq(v.type_name, cases[i].type, "%s", cases[i].var);
		if (cases[i].elem) {
			cr_expect_eq(v.len, info[1], "%s: len", cases[i].var);
			cr_expect_eq(v.elem_size, info[2], "%s: elem %" PRIu64 ", sizeof %" PRIu64,
				     cases[i].var, v.elem_size, info[2]);
			cr_expect_str_eq(v.elem_type, cases[i].elem, "%s", cases[i].var);
		}
		gobin__close(gb);
	}
}

Test(gobin_dwarf, two_dimensional)
{
	const char *prog = "build/go/gobin_grid";
	struct gobin *gb = open_ok(prog, 0);
	struct gobin_var v;
	uint64_t row[4];

	cr_assert_eq(tg_info(prog, "row", "main.grid", row), 0);
	cr_assert_eq(gobin__find_var(gb, "main.grid", &v), 0);
	cr_expect_eq(v.cols, row[0]);
	cr_expect_eq(v.col_size, row[1]);
	cr_expect_str_eq(v.col_type, "float64");
	cr_expect_eq(v.len * v.elem_size, v.size);
	cr_expect_eq(v.cols * v.col_size, v.elem_size);
	gobin__close(gb);
}

/* [A][B]...[Z]T: its A*B*...*Y rows of the last dimension. */
Test(gobin_dwarf, n_dimensional)
{
	static const struct {
		const char *var, *type, *row, *cell;
		uint64_t rows, cols, cell_size;
		int dims;
	} cases[] = {
		{ "main.cube", "[8][16][32]int32", "[32]int32", "int32", 8 * 16, 32, 4, 3 },
		{ "main.vol.cube", "[4][8][16]int16", "[16]int16", "int16", 4 * 8, 16, 2, 3 },
		{ "main.hyper", "[3][4][5][6]int64", "[6]int64", "int64", 3 * 4 * 5, 6, 8, 4 },
	};
	struct gobin *gb = open_ok("build/go/gond", 0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gobin_var v;

		cr_assert_eq(gobin__find_var(gb, cases[i].var, &v), 0, "%s", cases[i].var);
		cr_expect_str_eq(v.type_name, cases[i].type, "%s", cases[i].var);
		cr_expect_eq(v.dims, cases[i].dims, "%s: %d dimensions", cases[i].var, v.dims);
		cr_expect_eq(v.len, cases[i].rows, "%s: %" PRIu64 " rows", cases[i].var, v.len);
		cr_expect_eq(v.cols, cases[i].cols, "%s: %" PRIu64 " cols", cases[i].var, v.cols);
		cr_expect_eq(v.col_size, cases[i].cell_size, "%s", cases[i].var);
		cr_expect_eq(v.elem_size, v.cols * v.col_size, "%s", cases[i].var);
		cr_expect_eq(v.len * v.elem_size, v.size, "%s", cases[i].var);
		cr_expect_str_eq(v.elem_type, cases[i].row, "%s", cases[i].var);
		cr_expect_str_eq(v.col_type, cases[i].cell, "%s", cases[i].var);
	}
	gobin__close(gb);
}

Test(gobin_dwarf, struct_fields)
{
	static const struct {
		const char *name, *info;
		enum gobin_kind kind;
	} fields[] = {
		{ "hits", NULL, GOBIN_KIND_SCALAR },
		{ "name", NULL, GOBIN_KIND_STRING },
		{ "slots", "main.Cache.slots", GOBIN_KIND_ARRAY },
		{ "tail", "main.Cache.tail", GOBIN_KIND_ARRAY },
	};
	const char *prog = "build/go/gobin_field";
	struct gobin *gb = open_ok(prog, 0);
	struct gobin_field f;
	struct gobin_var v, sv;
	size_t i;

	cr_assert_eq(gobin__find_var(gb, "main.cache", &v), 0);
	for (i = 0; gobin__var_field_at(gb, &v, i, &f) == 0; i++) {
		cr_assert_lt(i, sizeof(fields) / sizeof(fields[0]));
		cr_expect_str_eq(f.name, fields[i].name);
		cr_expect_eq(f.kind, fields[i].kind, "%s: kind %d", f.name, f.kind);
		if (fields[i].info) {
			uint64_t off[4];

			cr_assert_eq(tg_info(prog, "field", fields[i].info, off), 0);
			cr_expect_eq(f.offset, off[0], "%s", f.name);
		}
	}
	cr_expect_eq(i, sizeof(fields) / sizeof(fields[0]));
	/* A field path resolves to the field, relative to the global. */
	cr_assert_eq(gobin__find_var(gb, "main.cache.slots", &sv), 0);
	cr_expect_str_eq(sv.global, "main.cache");
	cr_expect_str_eq(sv.field, "slots");
	cr_expect_eq(sv.addr, v.addr + sv.offset);
	/* Not a struct, not a field, not a global. */
	cr_expect_eq(gobin__var_field_at(gb, &sv, 0, &f), -ENOENT);
	cr_expect_eq(gobin__find_var(gb, "main.cache.nope", &sv), -ENOENT);
	cr_expect_eq(gobin__find_var(gb, "main.cache.slots.x", &sv), -ENOENT);
	cr_expect_eq(gobin__find_var(gb, "main.nope", &sv), -ENOENT);
	gobin__close(gb);
}

struct nm_ctx {
	struct gobin *gb;
	int checked;
};

/* `go tool nm` data symbols: "  578e60 B main.table" */
static int nm_line(const char *line, void *vctx)
{
	struct nm_ctx *c = vctx;
	char type[4], name[512];
	struct gobin_var v;
	uint64_t addr;

	if (sscanf(line, "%" SCNx64 " %3s %511s", &addr, type, name) != 3 ||
	    (strcmp(type, "D") && strcmp(type, "B") && strcmp(type, "d") && strcmp(type, "b")))
		return 1;
	if (strncmp(name, "main.", 5) || gobin__find_var(c->gb, name, &v))
		return 1;
	cr_expect_eq(v.addr, addr, "%s: %#" PRIx64 ", nm %#" PRIx64, name, v.addr, addr);
	c->checked++;
	return 0;
}

Test(gobin_dwarf, addresses_match_go_tool_nm)
{
	static const char *const progs[] = { "build/go/gobin_array", "build/go/gobin_field",
					     "build/go/gobin_structs" };

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct gobin *gb = open_ok(progs[i], 0);
		struct nm_ctx c = { gb, 0 };
		char cmd[512];

		cr_expect(gobin__has_dwarf(gb));
		snprintf(cmd, sizeof(cmd), "go tool nm %s", progs[i]);
		tg_run_lines(cmd, nm_line, &c);
		cr_expect_geq(c.checked, 2, "%s: %d globals checked", progs[i], c.checked);
		gobin__close(gb);
	}
}

Test(gobin_dwarf, var_at_lists_every_global_sorted)
{
	struct gobin *gb = open_ok("build/go/gobin_array", 0);
	size_t n = gobin__var_count(gb);
	struct gobin_var v, w;
	const char *prev = "";
	bool table = false;

	cr_assert_gt(n, 100);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(gobin__var_at(gb, i, &v), 0);
		cr_expect_geq(strcmp(v.global, prev), 0, "%s after %s", v.global, prev);
		prev = v.global;
		table |= !strcmp(v.global, "main.table");
		cr_assert_eq(gobin__find_var(gb, v.global, &w), 0, "%s", v.global);
		cr_expect_eq(w.addr, v.addr);
	}
	cr_expect(table);
	cr_expect_eq(gobin__var_at(gb, n, &v), -ENOENT);
	gobin__close(gb);
}

/* No DWARF: globals from .symtab, sized by their symbol, types unknown. */
Test(gobin_dwarf, no_dwarf_falls_back_to_symbols)
{
	const char *prog = "build/go/gobin_grid";
	struct gobin *gb = open_ok(prog, GOBIN_OPEN_NO_DWARF);
	struct gobin_var v;
	uint64_t info[4];

	cr_expect(!gobin__has_dwarf(gb));
	cr_assert_eq(tg_info(prog, "var", "main.grid", info), 0);
	cr_assert_eq(gobin__find_var(gb, "main.grid", &v), 0);
	cr_expect(!v.types_known);
	cr_expect_eq(v.kind, GOBIN_KIND_UNKNOWN);
	cr_expect_null(v.type_name);
	cr_expect_eq(v.addr, info[0]);
	cr_expect_eq(v.size, info[3]);
	cr_expect_eq(v.elem_size, 0);
	/* Field paths need types. */
	gobin__close(gb);
	gb = open_ok("build/go/gobin_field", GOBIN_OPEN_NO_DWARF);
	cr_expect_eq(gobin__find_var(gb, "main.cache.slots", &v), -ENOENT);
	cr_expect_eq(gobin__find_var(gb, "main.cache", &v), 0);
	gobin__close(gb);
}
