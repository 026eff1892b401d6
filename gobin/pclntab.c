// SPDX-License-Identifier: MIT
/*
 * gobin_pclntab: the Go runtime's own function table, .gopclntab.
 *
 * Every Go binary keeps it, stripped or not, because tracebacks and the
 * garbage collector need it. Since Go 1.18 it opens with a pcHeader (magic
 * 0xfffffff0; 0xfffffff1 from Go 1.20) giving the number of functions, the
 * text start and the offsets of five tables: function names, the per
 * compilation unit file index (cutab), file names, the pc-value tables and
 * the function table proper. The function table is nfunc+1 pairs (entry
 * offset from text start, offset of a _func record); a _func holds offsets
 * of its name, its pc->file and pc->line tables, npcdata pc-value tables and
 * nfuncdata offsets of data blobs counted from moduledata.gofunc.
 *
 * A pc-value table is a run of (value delta, pc delta) varint pairs, the
 * value starting at -1 and zig-zag encoded; the value holds for pcs below
 * the new pc. Inlining leaves, per function, an inline tree (funcdata 3) of
 * inlinedCall records and a pc-value table (pcdata 2) mapping each pc to
 * the innermost inlined call covering it, or -1; a record's parentPc is a
 * pc (from the entry) whose own value is the next call outwards.
 *
 * Go 1.20 changed two records, and the magic says which: a _func grew a
 * startLine, so funcID and nfuncdata moved from bytes 36 and 39 to 40 and
 * 43 and the pcdata offsets start at 44, not 40; an inlinedCall shrank
 * from 20 bytes (parent, funcID, file, line, name at 12, parentPc at 16) to
 * 16 (funcID, name at 4, parentPc at 8, startLine). The numbering of
 * funcIDs also moves between releases (1.22 added corostart before the
 * wrapper's), so the wrapper's id is learnt from the table itself: it is
 * the special id that most functions carry, every other one naming a
 * single runtime function.
 *
 * The gofunc base needed for funcdata is found through moduledata, the
 * runtime's description of the module: the one place in the data segments
 * that holds the address of pcHeader followed by the funcnametab slice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin_internal.h"

#define PCLN_MAGIC_118 0xfffffff0u
#define PCLN_MAGIC_120 0xfffffff1u
#define PCLN_HDR_SIZE  72
#define PCDATA_INLTREE 2
#define FUNCDATA_INLTREE 3
#define INLINE_DEPTH   64		/* inline stacks deeper than this are corrupt */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Find the moduledata of the module and read gofunc out of it. */
static void find_gofunc(struct gobin *gb, uint32_t magic)
{
	struct gobin_pcln *t = &gb->pcln;
	uint64_t funcnametab = t->vaddr + (t->funcnametab - t->data);
	size_t gofunc_off = magic == PCLN_MAGIC_118 ? 304 : 320;

	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];
		const uint8_t *p;

		if (s->flags & PF_X || s->offset + s->filesz > gb->map_len)
			continue;
		p = gb->map + s->offset;
		for (size_t off = 0; off + gofunc_off + 8 <= s->filesz; off += 8) {
			if (rd64(p + off) != t->vaddr || rd64(p + off + 8) != funcnametab)
				continue;
			t->gofunc = rd64(p + off + gofunc_off);
			return;
		}
	}
}

/*
 * The table is found by section name; a binary whose section headers are
 * gone is searched for the magic with a plausible header behind it.
 */
static const uint8_t *locate(struct gobin *gb, uint64_t *vaddr, size_t *len)
{
	GElf_Shdr shdr;

	/* PIE builds put it in relocatable read-only data. */
	if ((gobin_section(gb, ".gopclntab", &shdr) ||
	     gobin_section(gb, ".data.rel.ro.gopclntab", &shdr)) && shdr.sh_type != SHT_NOBITS &&
	    shdr.sh_offset + shdr.sh_size <= gb->map_len) {
		*vaddr = shdr.sh_addr;
		*len = shdr.sh_size;
		return gb->map + shdr.sh_offset;
	}
	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];
		const uint8_t *p;

		if (s->flags & PF_X || s->offset + s->filesz > gb->map_len)
			continue;
		p = gb->map + s->offset;
		for (size_t off = 0; off + PCLN_HDR_SIZE <= s->filesz; off += 8) {
			uint32_t m = rd32(p + off);

			if ((m != PCLN_MAGIC_118 && m != PCLN_MAGIC_120) || p[off + 4] ||
			    p[off + 5] || p[off + 6] != 1 || p[off + 7] != 8)
				continue;
			*vaddr = s->vaddr + off;
			*len = s->filesz - off;
			return p + off;
		}
	}
	return NULL;
}

/* Record layouts by format: the magic tells Go 1.18-1.19 from 1.20 and later. */
static void set_format(struct gobin_pcln *t, uint32_t magic)
{
	bool go120 = magic == PCLN_MAGIC_120;

	t->func_size = go120 ? 44 : 40;
	t->off_funcid = go120 ? 40 : 36;
	t->off_nfuncdata = go120 ? 43 : 39;
	t->inl_size = go120 ? 16 : 20;
	t->inl_name = go120 ? 4 : 12;
	t->inl_parentpc = go120 ? 8 : 16;
}

/* The _func record of function i, or NULL when out of bounds. */
static const uint8_t *func_rec(const struct gobin_pcln *t, uint32_t i)
{
	uint32_t off;

	if (i >= t->nfunc)
		return NULL;
	off = rd32(t->functab + 8 * i + 4);
	if ((uint64_t)off + t->func_size > t->functab_len)
		return NULL;
	return t->functab + off;
}

static uint64_t func_entry(const struct gobin_pcln *t, uint32_t i)
{
	return t->text_start + rd32(t->functab + 8 * i);
}

/* Wrappers are the one special funcID that many functions carry. */
static void learn_wrapper_id(struct gobin_pcln *t)
{
	uint32_t count[256] = { 0 };
	uint32_t best = 0;

	t->wrapper_id = -1;
	for (uint32_t i = 0; i < t->nfunc; i++) {
		const uint8_t *r = func_rec(t, i);

		if (r && r[t->off_funcid])
			count[r[t->off_funcid]]++;
	}
	for (int id = 1; id < 256; id++) {
		if (count[id] > best) {
			best = count[id];
			t->wrapper_id = id;
		}
	}
	/* Each other special id names one runtime function (or two). */
	if (best < 3)
		t->wrapper_id = -1;
}

int gobin_pcln_load(struct gobin *gb)
{
	struct gobin_pcln *t = &gb->pcln;
	uint64_t off[5];
	uint32_t magic;
	uint64_t nfunc, nfiles;

	t->data = locate(gb, &t->vaddr, &t->len);
	if (!t->data || t->len < PCLN_HDR_SIZE)
		return -ENOEXEC;
	magic = rd32(t->data);
	/* Older tables (Go 1.2 to 1.17) use other magics: not supported. */
	if ((magic != PCLN_MAGIC_118 && magic != PCLN_MAGIC_120) || t->data[6] != 1 ||
	    t->data[7] != 8)
		return -ENOEXEC;
	set_format(t, magic);
	nfunc = rd64(t->data + 8);
	nfiles = rd64(t->data + 16);
	t->text_start = rd64(t->data + 24);
	for (int i = 0; i < 5; i++) {
		off[i] = rd64(t->data + 32 + 8 * i);
		if (off[i] >= t->len)
			return -ENOEXEC;
	}
	if (nfunc > UINT32_MAX - 1 || nfiles > UINT32_MAX)
		return -ENOEXEC;
	t->nfunc = nfunc;
	t->nfiles = nfiles;
	t->funcnametab = t->data + off[0];
	t->cutab = t->data + off[1];
	t->filetab = t->data + off[2];
	t->pctab = t->data + off[3];
	t->functab = t->data + off[4];
	/* The tables follow each other in this order. */
	if (off[1] < off[0] || off[2] < off[1] || off[3] < off[2] || off[4] < off[3])
		return -ENOEXEC;
	t->funcnametab_len = off[1] - off[0];
	t->filetab_len = off[3] - off[2];
	t->pctab_len = off[4] - off[3];
	t->functab_len = t->len - off[4];
	if ((uint64_t)(t->nfunc + 1) * 8 > t->functab_len)
		return -ENOEXEC;
	find_gofunc(gb, magic);
	learn_wrapper_id(t);
	gb->has_pcln = true;
	return 0;
}

static const char *name_at(const struct gobin_pcln *t, uint32_t off)
{
	if (off >= t->funcnametab_len || !memchr(t->funcnametab + off, '\0',
						 t->funcnametab_len - off))
		return NULL;
	return (const char *)t->funcnametab + off;
}

int gobin_pcln_funcs(struct gobin *gb, struct gobin_fn **fns, size_t *n)
{
	const struct gobin_pcln *t = &gb->pcln;
	struct gobin_fn *f;
	size_t k = 0;

	f = calloc(t->nfunc ? t->nfunc : 1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->nfunc; i++) {
		const uint8_t *r = func_rec(t, i);
		const char *name;

		if (!r || !(name = name_at(t, rd32(r + 4))) || !*name ||
		    func_entry(t, i + 1) < func_entry(t, i))
			continue;
		/* The next entry bounds this one: alignment padding is counted. */
		f[k++] = (struct gobin_fn){
			.name = name, .addr = func_entry(t, i),
			.size = func_entry(t, i + 1) - func_entry(t, i), .pcln = i,
			.wrapper = t->wrapper_id >= 0 && r[t->off_funcid] == t->wrapper_id,
		};
	}
	*fns = f;
	*n = k;
	return 0;
}

static int64_t pcln_index(const struct gobin_pcln *t, uint64_t addr)
{
	uint32_t lo = 0, hi = t->nfunc;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (func_entry(t, mid) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nfunc && func_entry(t, lo) == addr)
		return lo;
	return -1;
}

static bool read_uvarint(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	uint32_t r = 0;

	for (unsigned shift = 0; *p < end && shift < 35; shift += 7) {
		uint8_t b = *(*p)++;

		r |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

/*
 * Value of the pc-value table at table offset `off` for pc, in a function
 * starting at entry; -1 when pc is not covered, which is also the value of a
 * table offset of 0 (no table). Also calls visit() on every value if given.
 */
static int32_t pcvalue(const struct gobin_pcln *t, uint32_t off, uint64_t entry, uint64_t pc,
		       void (*visit)(int32_t, void *), void *ctx)
{
	const uint8_t *p, *end = t->pctab + t->pctab_len;
	uint64_t cur = entry;
	int32_t val = -1;
	bool first = true;

	if (!off || off >= t->pctab_len)
		return -1;
	p = t->pctab + off;
	for (;;) {
		uint32_t uv, pcd;

		if (!read_uvarint(&p, end, &uv))
			return -1;
		if (uv == 0 && !first)
			return -1;
		first = false;
		val += (uv & 1) ? (int32_t)~(uv >> 1) : (int32_t)(uv >> 1);
		if (!read_uvarint(&p, end, &pcd))
			return -1;
		cur += pcd;	/* the pc quantum is 1 on amd64 */
		if (visit)
			visit(val, ctx);
		else if (pc < cur)
			return val;
	}
}

static const char *file_name(const struct gobin_pcln *t, uint32_t cu, int32_t idx)
{
	uint64_t at = 4 * ((uint64_t)cu + (uint64_t)idx);
	uint32_t off;

	if (idx < 0 || at + 4 > (uint64_t)(t->filetab - t->cutab))
		return NULL;
	off = rd32(t->cutab + at);
	if (off >= t->filetab_len || !memchr(t->filetab + off, '\0', t->filetab_len - off))
		return NULL;
	return (const char *)t->filetab + off;
}

/* The address of the inline tree of a _func record: 0 when it has none. */
static uint64_t inline_tree(const struct gobin *gb, const uint8_t *r)
{
	const struct gobin_pcln *t = &gb->pcln;
	uint32_t npcdata = rd32(r + 28), off;
	uint8_t nfuncdata = r[t->off_nfuncdata];

	if (!t->gofunc || nfuncdata <= FUNCDATA_INLTREE)
		return 0;
	if ((uint64_t)(r - t->functab) + t->func_size + 4 * ((uint64_t)npcdata + nfuncdata) >
	    t->functab_len)
		return 0;
	off = rd32(r + t->func_size + 4 * (uint64_t)npcdata + 4 * FUNCDATA_INLTREE);
	if (off == UINT32_MAX)
		return 0;
	return t->gofunc + off;
}

/* Record ix of the inline tree at vaddr tree, or NULL when it is not in the file. */
static const uint8_t *inline_rec(const struct gobin *gb, uint64_t tree, int32_t ix)
{
	if (!tree || ix < 0)
		return NULL;
	return gobin_vaddr_bytes(gb, tree + (uint64_t)ix * gb->pcln.inl_size, gb->pcln.inl_size);
}

static uint32_t pcdata_off(const struct gobin_pcln *t, const uint8_t *r, uint32_t table)
{
	uint32_t npcdata = rd32(r + 28);

	if (table >= npcdata ||
	    (uint64_t)(r - t->functab) + t->func_size + 4 * (table + 1) > t->functab_len)
		return 0;
	return rd32(r + t->func_size + 4 * table);
}

size_t gobin_pcln_inline_stack(const struct gobin *gb, int64_t idx, uint64_t pc,
			       const char **names, size_t max)
{
	const struct gobin_pcln *t = &gb->pcln;
	const uint8_t *r;
	uint64_t entry, tree;
	uint32_t table;
	size_t n = 0;
	int32_t ix;

	if (!gb->has_pcln || idx < 0 || !(r = func_rec(t, idx)) || !(tree = inline_tree(gb, r)))
		return 0;
	entry = func_entry(t, idx);
	table = pcdata_off(t, r, PCDATA_INLTREE);
	ix = pcvalue(t, table, entry, pc, NULL, NULL);
	/* Each record's parentPc is an instruction of the call site, one level out. */
	for (int depth = 0; ix >= 0 && depth < INLINE_DEPTH && n < max; depth++) {
		const uint8_t *c = inline_rec(gb, tree, ix);
		const char *name;

		if (!c || !(name = name_at(t, rd32(c + t->inl_name))))
			break;
		names[n++] = name;
		ix = pcvalue(t, table, entry, entry + (uint32_t)rd32(c + t->inl_parentpc), NULL,
			     NULL);
	}
	return n;
}

int gobin_pcln_line(const struct gobin *gb, int64_t idx, uint64_t pc, const char **file,
		    int *line, const char **inl_func)
{
	const struct gobin_pcln *t = &gb->pcln;
	const uint8_t *r;
	uint64_t entry;
	int32_t fi, ln;

	if (!gb->has_pcln || idx < 0)
		return -ENOENT;
	r = func_rec(t, idx);
	if (!r)
		return -ENOENT;
	entry = func_entry(t, idx);
	fi = pcvalue(t, rd32(r + 20), entry, pc, NULL, NULL);
	ln = pcvalue(t, rd32(r + 24), entry, pc, NULL, NULL);
	if (fi < 0 || ln < 0)
		return -ENOENT;
	*file = file_name(t, rd32(r + 32), fi);
	*line = ln;
	if (!*file)
		return -ENOENT;
	*inl_func = NULL;
	gobin_pcln_inline_stack(gb, idx, pc, inl_func, 1);
	return 0;
}

int gobin__sp_delta(const struct gobin *gb, uint64_t vaddr, int64_t *delta)
{
	const uint8_t *r;
	int32_t v;
	ssize_t i;

	if (!gb || !delta)
		return -EINVAL;
	i = gobin_fn_index(gb, vaddr);
	if (i < 0 || !gb->has_pcln || gb->fns[i].pcln < 0)
		return -ENOENT;
	r = func_rec(&gb->pcln, gb->fns[i].pcln);
	if (!r)
		return -ENOENT;
	/* _func.pcsp, the table of how far SP is below its value at entry. */
	v = pcvalue(&gb->pcln, rd32(r + 16), func_entry(&gb->pcln, gb->fns[i].pcln), vaddr,
		    NULL, NULL);
	if (v < 0)
		return -ENOENT;
	*delta = v;
	return 0;
}

int gobin__addr_to_line(const struct gobin *gb, uint64_t vaddr, const char **file, int *line,
			const char **func)
{
	const char *f = NULL, *inl = NULL;
	int l = 0, err;
	ssize_t i;

	if (!gb)
		return -EINVAL;
	i = gobin_fn_index(gb, vaddr);
	if (i < 0)
		return -ENOENT;
	err = gobin_pcln_line(gb, gb->fns[i].pcln, vaddr, &f, &l, &inl);
	if (err)
		return err;
	if (file)
		*file = f;
	if (line)
		*line = l;
	if (func)
		*func = inl ? inl : gb->fns[i].name;
	return 0;
}

struct max_ctx {
	int32_t max;
};

static void track_max(int32_t v, void *ctx)
{
	struct max_ctx *m = ctx;

	if (v > m->max)
		m->max = v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is name (or name.abi0) in the sorted list of function names? */
static bool has_name(const char **sorted, size_t n, const char *name)
{
	char abi0[512];

	if (bsearch(&name, sorted, n, sizeof(*sorted), cmp_str))
		return true;
	if (snprintf(abi0, sizeof(abi0), "%s.abi0", name) >= (int)sizeof(abi0))
		return false;
	name = abi0;
	return bsearch(&name, sorted, n, sizeof(*sorted), cmp_str) != NULL;
}

/* Give symtab functions their pclntab index. */
int gobin_pcln_index_funcs(struct gobin *gb)
{
	for (size_t i = 0; i < gb->nfns; i++)
		if (gb->fns[i].pcln < 0)
			gb->fns[i].pcln = pcln_index(&gb->pcln, gb->fns[i].addr);
	return 0;
}

/* Calls visit(name) for every record of function i's inline tree, until it
 * returns true; returns whether one did. */
static bool each_inlined(const struct gobin *gb, uint32_t i,
			 bool (*visit)(const char *name, void *ctx), void *ctx)
{
	const struct gobin_pcln *t = &gb->pcln;
	const uint8_t *r = func_rec(t, i);
	struct max_ctx m = { -1 };
	uint64_t tree;

	if (!r || !(tree = inline_tree(gb, r)))
		return false;
	/* The tree has no length of its own: the largest index the pcdata uses. */
	pcvalue(t, pcdata_off(t, r, PCDATA_INLTREE), func_entry(t, i), 0, track_max, &m);
	for (int32_t k = 0; k <= m.max; k++) {
		const uint8_t *c = inline_rec(gb, tree, k);
		const char *name;

		if (!c)
			break;
		name = name_at(t, rd32(c + t->inl_name));
		if (name && *name && visit(name, ctx))
			return true;
	}
	return false;
}

static bool same_name(const char *name, void *ctx)
{
	return !strcmp(name, ctx);
}

bool gobin_pcln_inlines(const struct gobin *gb, int64_t idx, const char *name)
{
	if (!gb->has_pcln || idx < 0 || idx >= gb->pcln.nfunc)
		return false;
	return each_inlined(gb, idx, same_name, (void *)name);
}

struct names_ctx {
	const char **funcs;	/* every function's name, sorted */
	size_t nfuncs;
	const char **names;
	size_t n, cap;
	bool nomem;
};

static bool add_missing(const char *name, void *vctx)
{
	struct names_ctx *c = vctx;

	if (has_name(c->funcs, c->nfuncs, name))
		return false;
	if (c->n == c->cap) {
		const char **nn;

		c->cap = c->cap ? c->cap * 2 : 64;
		nn = realloc(c->names, c->cap * sizeof(*nn));
		if (!nn) {
			c->nomem = true;
			return true;
		}
		c->names = nn;
	}
	c->names[c->n++] = name;
	return false;
}

/* Every name that an inline tree mentions but the function list does not hold. */
int gobin_pcln_inline_only(struct gobin *gb)
{
	struct names_ctx c = { 0 };

	if (gb->inl_only_done)
		return 0;
	gb->inl_only_done = true;
	c.funcs = malloc((gb->nfns ? gb->nfns : 1) * sizeof(*c.funcs));
	if (!c.funcs)
		return -ENOMEM;
	for (size_t i = 0; i < gb->nfns; i++)
		c.funcs[c.nfuncs++] = gb->fns[i].name;
	qsort(c.funcs, c.nfuncs, sizeof(*c.funcs), cmp_str);
	for (uint32_t i = 0; i < gb->pcln.nfunc && !c.nomem; i++)
		each_inlined(gb, i, add_missing, &c);
	free(c.funcs);
	if (c.nomem) {
		free(c.names);
		return -ENOMEM;
	}
	if (c.n)
		qsort(c.names, c.n, sizeof(*c.names), cmp_str);
	/* Keep each name once. */
	gb->n_inl_only = 0;
	for (size_t i = 0; i < c.n; i++)
		if (!gb->n_inl_only || strcmp(c.names[gb->n_inl_only - 1], c.names[i]))
			c.names[gb->n_inl_only++] = c.names[i];
	gb->inl_only = c.names;
	return 0;
}
