// SPDX-License-Identifier: MIT
/*
 * gobin_dwarf: globals and their types.
 *
 * The Go linker writes DWARF 4 and, since Go 1.11, compresses it; Go 1.19
 * uses SHF_COMPRESSED sections (older linkers wrote .zdebug_* ones), which
 * libdw inflates on its own. Every package global is a top-level
 * DW_TAG_variable named "pkg.name" with a DW_OP_addr location; types carry
 * Go's own names ("[4096]int64", "main.Cache", "struct { ... }") and a
 * Go-specific DW_AT_go_kind (0x2900, reflect.Kind values) that tells a slice
 * or a string from a struct; a slice's element type hangs off
 * DW_AT_go_elem (0x2902). Named types are typedefs of the real type.
 *
 * On first use (not at open: inflating and walking the DWARF took 9 of the
 * 10 ms of opening a small Go binary, and a uprobe on a function needs none
 * of it), the globals are gathered into one array sorted by name, and one
 * sorted by address to name the global behind an address. Without DWARF the
 * STT_OBJECT symbols of .symtab stand in: address and size, no types. Sizes
 * come from DW_AT_byte_size, which the Go toolchain sets by Go's layout
 * rules; when missing, they are recomputed by those rules (a struct is
 * padded to its largest field alignment, so [2]struct{ x int8; y int32 } has
 * 8-byte elements).
 */
#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/elfsym.h"
#include "gobin/gobin_internal.h"

#define DW_AT_go_kind	0x2900
#define DW_AT_go_elem	0x2902
#define GO_KIND_ARRAY	17
#define GO_KIND_SLICE	23
#define GO_KIND_STRING	24
#define GO_KIND_STRUCT	25

struct gobin_global {
	const char *name;
	uint64_t addr;
	uint64_t size;
	Dwarf_Off type;		/* DIE offset of the type; 0 without DWARF */
};

static int cmp_global_name(const void *a, const void *b)
{
	const struct gobin_global *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int cmp_global_addr(const void *a, const void *b)
{
	const struct gobin_global *x = *(struct gobin_global *const *)a;
	const struct gobin_global *y = *(struct gobin_global *const *)b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int add_global(struct gobin *gb, size_t *cap, const struct gobin_global *g)
{
	if (gb->nglobals == *cap) {
		struct gobin_global *ng;

		*cap = *cap ? *cap * 2 : 256;
		ng = realloc(gb->globals, *cap * sizeof(*ng));
		if (!ng)
			return -ENOMEM;
		gb->globals = ng;
	}
	gb->globals[gb->nglobals++] = *g;
	return 0;
}

/* Follow DW_AT_type (or another reference attribute) of die into out. */
static bool ref_die(Dwarf_Die *die, unsigned int at, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, at, &a) && dwarf_formref_die(&a, out);
}

static bool peel_typedefs(Dwarf_Die *t)
{
	for (int depth = 0; dwarf_tag(t) == DW_TAG_typedef && depth < 16; depth++)
		if (!ref_die(t, DW_AT_type, t))
			return false;
	return dwarf_tag(t) != DW_TAG_typedef;
}

static int64_t go_kind(Dwarf_Die *t)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (!dwarf_attr(t, DW_AT_go_kind, &a) || dwarf_formudata(&a, &v))
		return -1;
	return v;
}

static bool array_count(Dwarf_Die *arr, uint64_t *count)
{
	Dwarf_Die sub;
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (dwarf_child(arr, &sub))
		return false;
	do {
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&sub, DW_AT_count, &a) && !dwarf_formudata(&a, &v)) {
			*count = v;
			return true;
		}
		if (dwarf_attr(&sub, DW_AT_upper_bound, &a) && !dwarf_formudata(&a, &v)) {
			*count = v + 1;
			return true;
		}
	} while (!dwarf_siblingof(&sub, &sub));
	return false;
}

/*
 * Size and alignment of a type by Go's rules, from DW_AT_byte_size where
 * the producer wrote it. 0 and -ENOENT when it cannot be told.
 */
static int go_layout(Dwarf_Die *type, int depth, uint64_t *size, uint64_t *align)
{
	Dwarf_Die t = *type, m, e;
	Dwarf_Word bs;
	bool have_bs;
	uint64_t count, esize, ealign, end = 0, max_align = 1;

	if (depth > 32 || !peel_typedefs(&t))
		return -ENOENT;
	have_bs = dwarf_aggregate_size(&t, &bs) == 0;
	switch (dwarf_tag(&t)) {
	case DW_TAG_array_type:
		if (!ref_die(&t, DW_AT_type, &e) || go_layout(&e, depth + 1, &esize, &ealign))
			return -ENOENT;
		*align = ealign;
		if (have_bs) {
			*size = bs;
			return 0;
		}
		if (!array_count(&t, &count))
			return -ENOENT;
		*size = count * esize;
		return 0;
	case DW_TAG_structure_type:
		if (!dwarf_child(&t, &m)) {
			do {
				Dwarf_Attribute a;
				Dwarf_Word off = 0;
				uint64_t fs, fa;

				if (dwarf_tag(&m) != DW_TAG_member)
					continue;
				if (dwarf_attr(&m, DW_AT_data_member_location, &a))
					dwarf_formudata(&a, &off);
				if (!ref_die(&m, DW_AT_type, &e) ||
				    go_layout(&e, depth + 1, &fs, &fa))
					return -ENOENT;
				if (off + fs > end)
					end = off + fs;
				if (fa > max_align)
					max_align = fa;
			} while (!dwarf_siblingof(&m, &m));
		}
		*align = max_align;
		/* A struct is padded to a multiple of its alignment. */
		*size = have_bs ? bs : (end + max_align - 1) / max_align * max_align;
		return 0;
	default:
		if (!have_bs)
			return -ENOENT;
		*size = bs;
		/* On amd64 scalars align to their size, up to 8 (complex128: 8). */
		*align = bs >= 8 ? 8 : bs ? bs : 1;
		while (*align & (*align - 1))
			(*align)++;
		return 0;
	}
}

struct objects_ctx {
	struct gobin *gb;
	size_t *cap;
};

static int add_object_sym(const GElf_Sym *sym, const char *name, void *ctx)
{
	struct objects_ctx *c = ctx;
	struct gobin_global g = { .name = name, .addr = sym->st_value, .size = sym->st_size };

	if (GELF_ST_TYPE(sym->st_info) != STT_OBJECT)
		return 0;
	return add_global(c->gb, c->cap, &g);
}

static int load_symtab_objects(struct gobin *gb, size_t *cap)
{
	struct objects_ctx c = { .gb = gb, .cap = cap };
	GElf_Shdr shdr;
	Elf_Scn *scn = gobin_section(gb, ".symtab", &shdr);

	return scn ? elfsym_each(gb->elf, scn, add_object_sym, &c) : 0;
}

/*
 * A global's location is one DW_OP_addr. Go writes it as DW_FORM_block1,
 * which libdw's dwarf_getlocation() refuses in a DWARF 4 unit ("not a
 * location list value"), so the block is read by hand.
 */
static int var_addr(Dwarf_Attribute *a, uint64_t *addr)
{
	Dwarf_Op *ops;
	size_t nops;
	Dwarf_Block b;

	if (!dwarf_getlocation(a, &ops, &nops)) {
		if (nops != 1 || ops[0].atom != DW_OP_addr)
			return -ENOENT;
		*addr = ops[0].number;
		return 0;
	}
	if (dwarf_formblock(a, &b) || b.length != 9 || b.data[0] != DW_OP_addr)
		return -ENOENT;
	memcpy(addr, b.data + 1, 8);
	return 0;
}

static int load_dwarf_globals(struct gobin *gb, size_t *cap)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(gb->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, v;

		if (!dwarf_offdie(gb->dw, off + hsize, &cu) || dwarf_child(&cu, &v)) {
			off = next;
			continue;
		}
		do {
			Dwarf_Attribute a;
			Dwarf_Die t;
			struct gobin_global g = { 0 };
			uint64_t align;
			int err;

			if (dwarf_tag(&v) != DW_TAG_variable || !(g.name = dwarf_diename(&v)))
				continue;
			if (!dwarf_attr(&v, DW_AT_location, &a) || var_addr(&a, &g.addr))
				continue;
			if (ref_die(&v, DW_AT_type, &t)) {
				g.type = dwarf_dieoffset(&t);
				if (go_layout(&t, 0, &g.size, &align))
					g.size = 0;
			}
			err = add_global(gb, cap, &g);
			if (err)
				return err;
		} while (!dwarf_siblingof(&v, &v));
		off = next;
	}
	return 0;
}

static int dwarf_load(struct gobin *gb)
{
	size_t cap = 0;
	int err;

	err = 0;
	if (!(gb->flags & GOBIN_OPEN_NO_DWARF))
		gb->dw = dwarf_begin_elf(gb->elf, DWARF_C_READ, NULL);
	if (gb->dw) {
		err = load_dwarf_globals(gb, &cap);
		if (!err && !gb->nglobals) {
			/* DWARF without globals (a C helper's?): not the Go kind. */
			dwarf_end(gb->dw);
			gb->dw = NULL;
		}
	}
	if (!gb->dw && !(gb->flags & GOBIN_OPEN_NO_SYMTAB))
		err = load_symtab_objects(gb, &cap);
	if (err)
		return err;
	if (gb->nglobals)
		qsort(gb->globals, gb->nglobals, sizeof(*gb->globals), cmp_global_name);
	gb->globals_by_addr = malloc((gb->nglobals ? gb->nglobals : 1) *
				     sizeof(*gb->globals_by_addr));
	if (!gb->globals_by_addr)
		return -ENOMEM;
	for (size_t i = 0; i < gb->nglobals; i++)
		gb->globals_by_addr[i] = &gb->globals[i];
	if (gb->nglobals)
		qsort(gb->globals_by_addr, gb->nglobals, sizeof(*gb->globals_by_addr),
		      cmp_global_addr);
	return 0;
}

/*
 * Loads the globals once. The gobin is const to callers that only read it;
 * loading on demand does not change what they read.
 */
static void dwarf_ensure(const struct gobin *cgb)
{
	struct gobin *gb = (struct gobin *)cgb;

	if (gb->dwarf_loaded)
		return;
	gb->dwarf_loaded = true;
	if (dwarf_load(gb)) {
		/* Out of memory: as if the binary had no globals. */
		free(gb->globals_by_addr);
		free(gb->globals);
		gb->globals_by_addr = NULL;
		gb->globals = NULL;
		gb->nglobals = 0;
	}
}

void gobin_dwarf_free(struct gobin *gb)
{
	free(gb->globals_by_addr);
	free(gb->globals);
	if (gb->dw)
		dwarf_end(gb->dw);
}

bool gobin__has_dwarf(const struct gobin *gb)
{
	if (!gb)
		return false;
	dwarf_ensure(gb);
	return gb->dw;
}

static const struct gobin_global *global_by_name(const struct gobin *gb, const char *name,
						 size_t len)
{
	size_t lo = 0, hi = gb->nglobals;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(gb->globals[mid].name, name, len);

		if (!c && gb->globals[mid].name[len])
			c = 1;
		if (!c)
			return &gb->globals[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Fill the type part of a gobin_var from the type DIE t. */
static void describe(const struct gobin *gb, Dwarf_Die *type, struct gobin_var *v)
{
	Dwarf_Die t = *type, e, ee;
	uint64_t size, align;

	v->type_name = dwarf_diename(type);
	v->type_id = dwarf_dieoffset(type);
	v->types_known = true;
	if (!go_layout(type, 0, &size, &align))
		v->size = size;
	if (!peel_typedefs(&t))
		return;
	switch (dwarf_tag(&t)) {
	case DW_TAG_array_type:
		v->kind = GOBIN_KIND_ARRAY;
		v->dims = 1;
		array_count(&t, &v->len);
		if (!ref_die(&t, DW_AT_type, &e))
			return;
		v->elem_type = dwarf_diename(&e);
		if (!go_layout(&e, 0, &size, &align))
			v->elem_size = size;
		ee = e;
		if (!peel_typedefs(&ee) || dwarf_tag(&ee) != DW_TAG_array_type)
			return;
		v->dims = 2;
		/*
		 * [A][B]...[Y][Z]T is seen as its A*B*...*Y rows of Z cells: len
		 * counts the rows, elem_size is a row of the last dimension.
		 */
		for (;;) {
			Dwarf_Die c, cc;
			uint64_t n = 0;

			if (!array_count(&ee, &v->cols) || !ref_die(&ee, DW_AT_type, &c))
				break;
			cc = c;
			if (!peel_typedefs(&cc) || dwarf_tag(&cc) != DW_TAG_array_type) {
				v->col_type = dwarf_diename(&c);
				if (!go_layout(&c, 0, &size, &align))
					v->col_size = size;
				break;
			}
			/* One more dimension: the rows multiply. */
			if (!array_count(&cc, &n) || go_layout(&ee, 0, &size, &align))
				break;
			v->len *= v->cols;
			v->elem_size = size / (v->cols ? v->cols : 1);
			v->elem_type = dwarf_diename(&cc);
			v->dims++;
			ee = cc;
		}
		return;
	case DW_TAG_structure_type:
		switch (go_kind(&t)) {
		case GO_KIND_SLICE:
			v->kind = GOBIN_KIND_SLICE;
			if (ref_die(&t, DW_AT_go_elem, &e)) {
				v->elem_type = dwarf_diename(&e);
				if (!go_layout(&e, 0, &size, &align))
					v->elem_size = size;
			}
			return;
		case GO_KIND_STRING:
			v->kind = GOBIN_KIND_STRING;
			return;
		default:
			v->kind = GOBIN_KIND_STRUCT;
			return;
		}
	case DW_TAG_pointer_type:
		v->kind = GOBIN_KIND_POINTER;
		return;
	default:
		v->kind = GOBIN_KIND_SCALAR;
		return;
	}
}

static void fill_var(const struct gobin *gb, const struct gobin_global *g, struct gobin_var *v)
{
	Dwarf_Die t;

	memset(v, 0, sizeof(*v));
	v->global = g->name;
	v->addr = g->addr;
	v->size = g->size;
	v->kind = GOBIN_KIND_UNKNOWN;
	if (gb->dw && g->type && dwarf_offdie(gb->dw, g->type, &t))
		describe(gb, &t, v);
}

/* The struct member `name` of the struct type DIE t (typedefs peeled). */
static bool find_member(Dwarf_Die *t, const char *name, size_t len, Dwarf_Die *m,
			uint64_t *offset)
{
	Dwarf_Die s = *t;

	if (!peel_typedefs(&s) || dwarf_tag(&s) != DW_TAG_structure_type || dwarf_child(&s, m))
		return false;
	do {
		const char *n = dwarf_diename(m);
		Dwarf_Attribute a;
		Dwarf_Word off = 0;

		if (dwarf_tag(m) != DW_TAG_member || !n || strlen(n) != len || strncmp(n, name, len))
			continue;
		if (dwarf_attr(m, DW_AT_data_member_location, &a) && dwarf_formudata(&a, &off))
			return false;
		*offset = off;
		return true;
	} while (!dwarf_siblingof(m, m));
	return false;
}

int gobin__find_var(const struct gobin *gb, const char *path, struct gobin_var *out)
{
	const struct gobin_global *g = NULL;
	const char *start, *p, *rest;
	Dwarf_Die t;

	if (!gb || !path || !out)
		return -EINVAL;
	dwarf_ensure(gb);
	/* The longest prefix that names a global; dots after it name fields. */
	start = strrchr(path, '/');
	start = start ? start : path;
	for (p = path + strlen(path); p > start; ) {
		g = global_by_name(gb, path, p - path);
		if (g)
			break;
		while (--p > start && *p != '.')
			;
	}
	if (!g)
		return -ENOENT;
	fill_var(gb, g, out);
	rest = path + strlen(g->name);
	if (!*rest)
		return 0;
	/* Fields need types. */
	if (!gb->dw || !g->type || !dwarf_offdie(gb->dw, out->type_id, &t))
		return -ENOENT;
	while (*rest == '.') {
		const char *name = rest + 1;
		size_t len = strcspn(name, ".");
		Dwarf_Die m, ft;
		uint64_t off;

		if (!len || !find_member(&t, name, len, &m, &off) || !ref_die(&m, DW_AT_type, &ft))
			return -ENOENT;
		out->offset += off;
		out->field = dwarf_diename(&m);
		t = ft;
		rest = name + len;
	}
	if (*rest)
		return -ENOENT;
	{
		uint64_t offset = out->offset;
		const char *field = out->field;

		memset(out, 0, sizeof(*out));
		out->global = g->name;
		out->field = field;
		out->offset = offset;
		out->addr = g->addr + offset;
		describe(gb, &t, out);
	}
	return 0;
}

size_t gobin__var_count(const struct gobin *gb)
{
	if (!gb)
		return 0;
	dwarf_ensure(gb);
	return gb->nglobals;
}

int gobin__var_at(const struct gobin *gb, size_t i, struct gobin_var *out)
{
	if (!gb || !out)
		return -EINVAL;
	dwarf_ensure(gb);
	if (i >= gb->nglobals)
		return -ENOENT;
	fill_var(gb, &gb->globals[i], out);
	return 0;
}

const char *gobin_global_at_addr(const struct gobin *gb, uint64_t addr, uint64_t *start,
				 uint64_t *size)
{
	size_t lo = 0, hi;

	dwarf_ensure(gb);
	hi = gb->nglobals;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gb->globals_by_addr[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Zero-sized globals may share the address of the one that matters. */
	while (lo > 0) {
		const struct gobin_global *g = gb->globals_by_addr[--lo];

		if (addr < g->addr + g->size) {
			*start = g->addr;
			*size = g->size;
			return g->name;
		}
		if (g->size)
			break;
	}
	return NULL;
}

int gobin__var_field_at(const struct gobin *gb, const struct gobin_var *var, size_t i,
			struct gobin_field *out)
{
	Dwarf_Die t, m;
	size_t k = 0;

	if (!gb || !var || !out)
		return -EINVAL;
	dwarf_ensure(gb);
	if (!gb->dw || !var->type_id || !dwarf_offdie(gb->dw, var->type_id, &t) ||
	    !peel_typedefs(&t) || dwarf_tag(&t) != DW_TAG_structure_type || dwarf_child(&t, &m))
		return -ENOENT;
	do {
		Dwarf_Attribute a;
		Dwarf_Word off = 0;
		Dwarf_Die ft;
		uint64_t size = 0, align;
		struct gobin_var fv = { 0 };

		if (dwarf_tag(&m) != DW_TAG_member || k++ != i)
			continue;
		if (dwarf_attr(&m, DW_AT_data_member_location, &a))
			dwarf_formudata(&a, &off);
		memset(out, 0, sizeof(*out));
		out->name = dwarf_diename(&m);
		out->offset = off;
		if (ref_die(&m, DW_AT_type, &ft)) {
			if (!go_layout(&ft, 0, &size, &align))
				out->size = size;
			describe(gb, &ft, &fv);
			out->type_name = fv.type_name;
			out->kind = fv.kind;
		}
		return 0;
	} while (!dwarf_siblingof(&m, &m));
	return -ENOENT;
}
