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
 * 20-byte inlinedCall records and a pc-value table (pcdata 2) mapping each
 * pc to the innermost inlined call covering it, or -1.
 *
 * The gofunc base needed for funcdata is found through moduledata, the
 * runtime's description of the module: the one place in the data segments
 * that holds the address of pcHeader followed by the funcnametab slice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin_internal.h"

#define PCLN_MAGIC_118 0xfffffff0u
#define PCLN_MAGIC_120 0xfffffff1u
#define PCLN_HDR_SIZE  72
#define FUNC_SIZE      40		/* _func without its pcdata and funcdata arrays */
#define PCDATA_INLTREE 2
#define FUNCDATA_INLTREE 3
#define INLCALL_SIZE   20
#define FUNCID_WRAPPER 21		/* Go 1.18/1.19 numbering */

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
	nfunc = rd64(t->data + 8);
	nfiles = rd64(t->data + 16);
	t->text_start = rd64(t->data + 24);
	for (int i = 0; i < 5; i++) {
		off[i] = rd64(t->data + 32 + 8 * i);
		if (off[i] >= t->len)
			return -ENOEXEC;
	}
	if (nfunc > UINT32_MAX || nfiles > UINT32_MAX)
		return -ENOEXEC;
	t->nfunc = nfunc;
	t->nfiles = nfiles;
	t->funcnametab = t->data + off[0];
	t->cutab = t->data + off[1];
	t->filetab = t->data + off[2];
	t->pctab = t->data + off[3];
	t->functab = t->data + off[4];
	/* The tables follow each other in this order. */
	t->funcnametab_len = off[1] - off[0];
	t->filetab_len = off[3] - off[2];
	t->pctab_len = off[4] - off[3];
	t->functab_len = t->len - off[4];
	if (off[1] < off[0] || off[3] < off[2] || off[4] < off[3] ||
	    (uint64_t)(t->nfunc + 1) * 8 > t->functab_len)
		return -ENOEXEC;
	find_gofunc(gb, magic);
	gb->has_pcln = true;
	return 0;
}

/* The _func record of function i, or NULL when out of bounds. */
static const uint8_t *func_rec(const struct gobin_pcln *t, uint32_t i)
{
	uint32_t off;

	if (i >= t->nfunc)
		return NULL;
	off = rd32(t->functab + 8 * i + 4);
	if ((uint64_t)off + FUNC_SIZE > t->functab_len)
		return NULL;
	return t->functab + off;
}

static uint64_t func_entry(const struct gobin_pcln *t, uint32_t i)
{
	return t->text_start + rd32(t->functab + 8 * i);
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

		if (!r || !(name = name_at(t, rd32(r + 4))) || !*name)
			continue;
		/* The next entry bounds this one: alignment padding is counted. */
		f[k++] = (struct gobin_fn){
			.name = name, .addr = func_entry(t, i),
			.size = func_entry(t, i + 1) - func_entry(t, i), .pcln = i,
			.wrapper = r[36] == FUNCID_WRAPPER,
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
	const uint8_t *p;
	uint32_t off;

	if (idx < 0)
		return NULL;
	p = t->cutab + 4 * ((uint64_t)cu + idx);
	if (p + 4 > t->filetab)
		return NULL;
	off = rd32(p);
	if (off >= t->filetab_len || !memchr(t->filetab + off, '\0', t->filetab_len - off))
		return NULL;
	return (const char *)t->filetab + off;
}

/* The inline tree of function i: NULL when it has none. */
static const uint8_t *inline_tree(const struct gobin *gb, const uint8_t *r)
{
	const struct gobin_pcln *t = &gb->pcln;
	uint32_t npcdata = rd32(r + 28), off;
	uint8_t nfuncdata = r[39];

	if (!t->gofunc || nfuncdata <= FUNCDATA_INLTREE)
		return NULL;
	if ((uint64_t)(r - t->functab) + FUNC_SIZE + 4 * (npcdata + nfuncdata) > t->functab_len)
		return NULL;
	off = rd32(r + FUNC_SIZE + 4 * npcdata + 4 * FUNCDATA_INLTREE);
	if (off == UINT32_MAX)
		return NULL;
	return gobin_vaddr_bytes(gb, t->gofunc + off, INLCALL_SIZE);
}

static uint32_t pcdata_off(const struct gobin_pcln *t, const uint8_t *r, uint32_t table)
{
	uint32_t npcdata = rd32(r + 28);

	if (table >= npcdata ||
	    (uint64_t)(r - t->functab) + FUNC_SIZE + 4 * (table + 1) > t->functab_len)
		return 0;
	return rd32(r + FUNC_SIZE + 4 * table);
}

int gobin_pcln_line(const struct gobin *gb, int64_t idx, uint64_t pc, const char **file,
		    int *line, const char **inl_func)
{
	const struct gobin_pcln *t = &gb->pcln;
	const uint8_t *r, *tree;
	uint64_t entry;
	int32_t fi, ln, ix;

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
	tree = inline_tree(gb, r);
	ix = pcvalue(t, pcdata_off(t, r, PCDATA_INLTREE), entry, pc, NULL, NULL);
	if (tree && ix >= 0 &&
	    tree + ((uint64_t)ix + 1) * INLCALL_SIZE <= gb->map + gb->map_len)
		*inl_func = name_at(t, rd32(tree + (uint64_t)ix * INLCALL_SIZE + 12));
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

static bool has_func(const struct gobin *gb, const char *name)
{
	struct gobin_func f;

	return !gobin__find_func(gb, name, &f);
}

/*
 * Give symtab functions their pclntab index, then collect every name that an
 * inline tree mentions but the function list does not hold.
 */
int gobin_pcln_index_funcs(struct gobin *gb)
{
	for (size_t i = 0; i < gb->nfns; i++)
		if (gb->fns[i].pcln < 0)
			gb->fns[i].pcln = pcln_index(&gb->pcln, gb->fns[i].addr);
	return 0;
}

int gobin_pcln_inline_only(struct gobin *gb)
{
	const struct gobin_pcln *t = &gb->pcln;
	const char **names = NULL;
	size_t n = 0, cap = 0;

	if (gb->inl_only_done)
		return 0;
	gb->inl_only_done = true;
	for (uint32_t i = 0; i < t->nfunc; i++) {
		const uint8_t *r = func_rec(t, i), *tree;
		struct max_ctx m = { -1 };

		if (!r || !(tree = inline_tree(gb, r)))
			continue;
		pcvalue(t, pcdata_off(t, r, PCDATA_INLTREE), func_entry(t, i), 0, track_max, &m);
		for (int32_t k = 0; k <= m.max; k++) {
			const uint8_t *c = tree + (uint64_t)k * INLCALL_SIZE;
			const char *name;

			/* The tree must lie in the file: gobin_vaddr_bytes checked its start. */
			if (c + INLCALL_SIZE > gb->map + gb->map_len)
				break;
			name = name_at(t, rd32(c + 12));
			if (!name || !*name || has_func(gb, name))
				continue;
			if (n == cap) {
				const char **nn;

				cap = cap ? cap * 2 : 64;
				nn = realloc(names, cap * sizeof(*nn));
				if (!nn) {
					free(names);
					return -ENOMEM;
				}
				names = nn;
			}
			names[n++] = name;
		}
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	/* Keep each name once. */
	gb->n_inl_only = 0;
	for (size_t i = 0; i < n; i++)
		if (!gb->n_inl_only || strcmp(names[gb->n_inl_only - 1], names[i]))
			names[gb->n_inl_only++] = names[i];
	gb->inl_only = names;
	return 0;
}
