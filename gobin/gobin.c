// SPDX-License-Identifier: MIT
/*
 * gobin: an open Go executable.
 *
 * The file is mapped read-only once and libelf reads its headers from the
 * same descriptor. PT_LOAD program headers translate virtual addresses to
 * file offsets (what a uprobe attaches to, PIE or not). Functions come from
 * .symtab when the binary has one, else from the function table of
 * .gopclntab (pclntab.c), which every Go binary keeps because the
 * runtime needs it for tracebacks; both lists end up in one array sorted by
 * address plus an index sorted by name. Names point into the mapping, so
 * nothing is copied and everything lives until gobin__close(). DWARF
 * (dwarf.c) and machine code (sites.c) are read on demand.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gobin/elfsym.h"
#include "gobin/gobin_internal.h"

Elf_Scn *gobin_section(const struct gobin *gb, const char *name, GElf_Shdr *shdr)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(gb->elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(gb->elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, shdr))
			continue;
		n = elf_strptr(gb->elf, shstrndx, shdr->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

int gobin__vaddr_to_offset(const struct gobin *gb, uint64_t vaddr, uint64_t *offset)
{
	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];

		if (vaddr >= s->vaddr && vaddr < s->vaddr + s->filesz) {
			*offset = vaddr - s->vaddr + s->offset;
			return 0;
		}
	}
	return -ENOENT;
}

int gobin__offset_to_vaddr(const struct gobin *gb, uint64_t offset, uint64_t *vaddr)
{
	if (!gb || !vaddr)
		return -EINVAL;
	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];

		if (offset >= s->offset && offset < s->offset + s->filesz) {
			*vaddr = offset - s->offset + s->vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

const uint8_t *gobin_vaddr_bytes(const struct gobin *gb, uint64_t vaddr, size_t len)
{
	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];

		if (vaddr >= s->vaddr && vaddr < s->vaddr + s->filesz) {
			if (len > s->vaddr + s->filesz - vaddr ||
			    s->offset + (vaddr - s->vaddr) + len > gb->map_len)
				return NULL;
			return gb->map + s->offset + (vaddr - s->vaddr);
		}
	}
	return NULL;
}

int gobin__read(const struct gobin *gb, uint64_t vaddr, void *buf, size_t len)
{
	const uint8_t *p;

	if (!gb || !buf)
		return -EINVAL;
	p = gobin_vaddr_bytes(gb, vaddr, len);
	if (!p)
		return -ENOENT;
	memcpy(buf, p, len);
	return 0;
}

static int load_segments(struct gobin *gb)
{
	size_t phnum;

	if (elf_getphdrnum(gb->elf, &phnum))
		return -ENOEXEC;
	gb->segs = calloc(phnum ? phnum : 1, sizeof(*gb->segs));
	if (!gb->segs)
		return -ENOMEM;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(gb->elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		gb->segs[gb->nsegs++] = (struct gobin_seg){
			.vaddr = ph.p_vaddr, .memsz = ph.p_memsz, .filesz = ph.p_filesz,
			.offset = ph.p_offset, .flags = ph.p_flags,
		};
	}
	return gb->nsegs ? 0 : -ENOEXEC;
}

static int cmp_fn_addr(const void *a, const void *b)
{
	const struct gobin_fn *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct symtab_ctx {
	struct gobin *gb;
	size_t cap;
};

static int add_func_sym(const GElf_Sym *sym, const char *name, void *ctx)
{
	struct symtab_ctx *c = ctx;
	struct gobin *gb = c->gb;

	/* runtime.text and runtime.etext are STT_FUNC of size 0 that mark
	 * where the code begins and ends: no function, nothing to probe. */
	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || !sym->st_size)
		return 0;
	if (gb->nfns == c->cap) {
		struct gobin_fn *f;

		c->cap = c->cap ? c->cap * 2 : 1024;
		f = realloc(gb->fns, c->cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		gb->fns = f;
	}
	gb->fns[gb->nfns++] = (struct gobin_fn){
		.name = name, .addr = sym->st_value, .size = sym->st_size, .pcln = -1,
	};
	return 0;
}

/* .symtab: every defined STT_FUNC with a size is a Go function (or an assembly one). */
static int load_symtab(struct gobin *gb)
{
	struct symtab_ctx c = { .gb = gb };
	GElf_Shdr shdr;
	Elf_Scn *scn;
	int err;

	scn = gobin_section(gb, ".symtab", &shdr);
	if (!scn || shdr.sh_type != SHT_SYMTAB)
		return -ENOENT;
	err = elfsym_each(gb->elf, scn, add_func_sym, &c);
	if (err)
		return err;
	return gb->nfns ? 0 : -ENOENT;
}

/* Name order: by name, a function before the ABI wrapper that pclntab names
 * like it, then by address. */
static int fn_name_order(const struct gobin_fn *x, const struct gobin_fn *y)
{
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->wrapper != y->wrapper)
		return x->wrapper ? 1 : -1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The Go linker writes both tables in address order: check, then sort. */
static void sort_by_address(struct gobin *gb)
{
	for (size_t i = 1; i < gb->nfns; i++) {
		if (cmp_fn_addr(&gb->fns[i - 1], &gb->fns[i]) > 0) {
			qsort(gb->fns, gb->nfns, sizeof(*gb->fns), cmp_fn_addr);
			return;
		}
	}
}

/*
 * .go.buildinfo (Go 1.18+): 14 bytes of magic, pointer size, flags; with
 * flag 2 the version follows inline as a varint-prefixed string.
 */
static void load_version(struct gobin *gb)
{
	static const char magic[] = "\xff Go buildinf:";
	GElf_Shdr shdr;
	const uint8_t *p;
	uint64_t len = 0;
	unsigned shift = 0;
	size_t i = 32;

	if (!gobin_section(gb, ".go.buildinfo", &shdr) || shdr.sh_type == SHT_NOBITS ||
	    shdr.sh_offset + shdr.sh_size > gb->map_len || shdr.sh_size < 40)
		return;
	p = gb->map + shdr.sh_offset;
	if (memcmp(p, magic, 14) || !(p[15] & 2))
		return;
	while (i < shdr.sh_size && shift < 64) {
		len |= (uint64_t)(p[i] & 0x7f) << shift;
		shift += 7;
		if (!(p[i++] & 0x80))
			break;
	}
	if (len == 0 || len >= sizeof(gb->version_buf) || i + len > shdr.sh_size)
		return;
	memcpy(gb->version_buf, p + i, len);
	gb->version_buf[len] = '\0';
	gb->version = gb->version_buf;
}

struct gobin *gobin__open(const char *path)
{
	return gobin__open_flags(path, 0);
}

struct gobin *gobin__open_flags(const char *path, unsigned int flags)
{
	struct gobin *gb;
	struct stat st;
	GElf_Ehdr eh;
	int err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	gb = calloc(1, sizeof(*gb));
	if (!gb) {
		errno = ENOMEM;
		return NULL;
	}
	gb->flags = flags;
	/* O_NONBLOCK: a FIFO opens at once (and is refused below), never waits. */
	gb->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (gb->fd < 0) {
		err = -errno;
		goto err_free_gobin;
	}
	gb->path = strdup(path);
	if (!gb->path) {
		err = -ENOMEM;
		goto err_close;
	}
	if (fstat(gb->fd, &st)) {
		err = -errno;
		goto err_close;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
		goto err_close;
	}
	gb->dev = st.st_dev;
	gb->ino = st.st_ino;
	gb->map_len = st.st_size;
	gb->map = mmap(NULL, gb->map_len, PROT_READ, MAP_PRIVATE, gb->fd, 0);
	if (gb->map == MAP_FAILED) {
		gb->map = NULL;
		err = -errno;
		goto err_close;
	}
	if (memcmp(gb->map, ELFMAG, SELFMAG)) {
		err = -ENOEXEC;
		goto err_close;
	}
	elf_version(EV_CURRENT);
	gb->elf = elf_begin(gb->fd, ELF_C_READ_MMAP, NULL);
	if (!gb->elf || elf_kind(gb->elf) != ELF_K_ELF || !gelf_getehdr(gb->elf, &eh) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		err = -ENOEXEC;
		goto err_close;
	}
	gb->pie = eh.e_type == ET_DYN;
	err = load_segments(gb);
	if (err)
		goto err_close;
	/* Every Go binary has a pclntab: that is what makes it one. */
	err = gobin_pcln_load(gb);
	if (err)
		goto err_close;
	load_version(gb);

	err = flags & GOBIN_OPEN_NO_SYMTAB ? -ENOENT : load_symtab(gb);
	if (err == -ENOENT) {
		free(gb->fns);
		gb->fns = NULL;
		gb->nfns = 0;
		err = gobin_pcln_funcs(gb, &gb->fns, &gb->nfns);
	} else if (!err) {
		gb->has_symtab = true;
	}
	if (err)
		goto err_close;
	sort_by_address(gb);
	/* Attach pclntab indices to symtab functions. */
	err = gobin_pcln_index_funcs(gb);
	if (err)
		goto err_close;
	/* DWARF is read when globals or types are first asked for. */
	return gb;

err_close:
	gobin__close(gb);
	errno = -err;
	return NULL;
err_free_gobin:
	free(gb);
	errno = -err;
	return NULL;
}

void gobin__close(struct gobin *gb)
{
	if (!gb)
		return;
	gobin_dwarf_free(gb);
	free(gb->inl_only);
	free(gb->fns);
	free(gb->segs);
	if (gb->elf)
		elf_end(gb->elf);
	if (gb->map)
		munmap((void *)gb->map, gb->map_len);
	if (gb->fd >= 0)
		close(gb->fd);
	free(gb->path);
	free(gb);
}

bool gobin__is_pie(const struct gobin *gb)
{
	return gb && gb->pie;
}

bool gobin__has_symtab(const struct gobin *gb)
{
	return gb && gb->has_symtab;
}

const char *gobin__go_version(const struct gobin *gb)
{
	return gb ? gb->version : NULL;
}

static int fill_func(const struct gobin *gb, const struct gobin_fn *f, struct gobin_func *out)
{
	out->name = f->name;
	out->addr = f->addr;
	out->size = f->size;
	out->file_offset = 0;
	if (!gobin__vaddr_to_offset(gb, f->addr, &out->file_offset))
		return 0;
	/* Markers such as runtime.etext sit one past the end of their segment. */
	for (size_t i = 0; i < gb->nsegs; i++) {
		const struct gobin_seg *s = &gb->segs[i];

		if (!f->size && f->addr == s->vaddr + s->filesz) {
			out->file_offset = s->offset + s->filesz;
			return 0;
		}
	}
	return -ENOENT;
}

size_t gobin__func_count(const struct gobin *gb)
{
	return gb ? gb->nfns : 0;
}

int gobin__func_at(const struct gobin *gb, size_t i, struct gobin_func *out)
{
	if (!gb || !out)
		return -EINVAL;
	if (i >= gb->nfns)
		return -ENOENT;
	return fill_func(gb, &gb->fns[i], out);
}

/* One pass finds the function that comes first in name order among those
 * of that name: one lookup needs no index by name. */
static int find_exact(const struct gobin *gb, const char *name, struct gobin_func *out)
{
	const struct gobin_fn *best = NULL;

	for (size_t i = 0; i < gb->nfns; i++) {
		const struct gobin_fn *f = &gb->fns[i];

		if (!strcmp(f->name, name) && (!best || fn_name_order(f, best) < 0))
			best = f;
	}
	return best ? fill_func(gb, best, out) : -ENOENT;
}

int gobin__find_func(const struct gobin *gb, const char *name, struct gobin_func *out)
{
	char abi0[512];

	if (!gb || !name || !out)
		return -EINVAL;
	if (!find_exact(gb, name, out))
		return 0;
	/*
	 * .symtab names an assembly function (ABI0) "name.abi0"; pclntab, Go
	 * tracebacks and users call it "name".
	 */
	if (snprintf(abi0, sizeof(abi0), "%s.abi0", name) >= (int)sizeof(abi0))
		return -ENOENT;
	return find_exact(gb, abi0, out);
}

ssize_t gobin_fn_index(const struct gobin *gb, uint64_t vaddr)
{
	size_t lo = 0, hi = gb->nfns;

	/* The last function starting at or before vaddr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gb->fns[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		const struct gobin_fn *f = &gb->fns[lo - 1];

		/* Zero-sized markers (runtime.text) share addresses with real
		 * functions and may sort after them: look past them. */
		if (vaddr < f->addr + f->size)
			return lo - 1;
		if (f->size)
			break;
		lo--;
	}
	return -1;
}

int gobin__func_for_addr(const struct gobin *gb, uint64_t vaddr, struct gobin_func *out)
{
	ssize_t i;

	if (!gb || !out)
		return -EINVAL;
	i = gobin_fn_index(gb, vaddr);
	if (i < 0)
		return -ENOENT;
	return fill_func(gb, &gb->fns[i], out);
}

bool gobin__func_is_inlined_only(const struct gobin *gb, const char *name)
{
	size_t lo = 0, hi;

	if (!gb || !name)
		return false;
	/* Logically const: the names are gathered on first use. */
	if (gobin_pcln_inline_only((struct gobin *)gb))
		return false;
	hi = gb->n_inl_only;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(gb->inl_only[mid], name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

struct bias_ctx {
	dev_t dev;
	ino_t ino;
	uint64_t best_off, best_start;
};

static int lowest_mapping(const struct procmap *m, void *ctx)
{
	struct bias_ctx *c = ctx;

	if (m->inode == c->ino && m->dev == c->dev && m->pgoff < c->best_off) {
		c->best_off = m->pgoff;
		c->best_start = m->start;
	}
	return 0;
}

/*
 * The mapping of the file with the lowest file offset gives the bias: its
 * start minus the link-time address of the PT_LOAD segment covering that
 * offset, page-aligned the way the loader maps it. The file is known by
 * device and inode, whatever path the process mapped it by.
 */
static int load_bias(const struct gobin_seg *segs, size_t nsegs, dev_t dev, ino_t ino,
		     pid_t pid, uint64_t *bias)
{
	struct bias_ctx c = { .dev = dev, .ino = ino, .best_off = UINT64_MAX };
	int err = procmaps_each(pid, lowest_mapping, &c);

	if (err)
		return err;
	for (size_t i = 0; i < nsegs && c.best_off != UINT64_MAX; i++) {
		uint64_t page_off = segs[i].offset & ~0xfffULL;

		if (c.best_off < page_off || c.best_off >= segs[i].offset + segs[i].filesz)
			continue;
		*bias = c.best_start - ((segs[i].vaddr & ~0xfffULL) + (c.best_off - page_off));
		return 0;
	}
	return -ENOENT;
}

int gobin__load_bias(const struct gobin *gb, pid_t pid, uint64_t *bias)
{
	if (!gb || !bias)
		return -EINVAL;
	return load_bias(gb->segs, gb->nsegs, gb->dev, gb->ino, pid, bias);
}

int gobin_load_bias(const char *path, pid_t pid, uint64_t *bias)
{
	struct gobin *gb;
	int err;

	gb = gobin__open(path);
	if (!gb)
		return -errno;
	err = gobin__load_bias(gb, pid, bias);
	gobin__close(gb);
	return err;
}

static int push_func(const struct gobin *gb, const struct gobin_fn *f, struct gobin_func **out,
		     size_t *n, size_t *cap)
{
	if (*n == *cap) {
		struct gobin_func *o;

		*cap = *cap ? *cap * 2 : 4;
		o = realloc(*out, *cap * sizeof(*o));
		if (!o)
			return -ENOMEM;
		*out = o;
	}
	if (fill_func(gb, f, &(*out)[*n]))
		return 0;
	(*n)++;
	return 0;
}

int gobin__find_funcs(const struct gobin *gb, const char *name, struct gobin_func **out,
		      size_t *n)
{
	size_t cap = 0, len;
	bool plain = false;
	int err = 0;

	if (!gb || !name || !out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	len = strlen(name);
	/* A wrapper is kept only when nothing else has the name. */
	for (size_t i = 0; i < gb->nfns; i++)
		if (!gb->fns[i].wrapper && !strcmp(gb->fns[i].name, name))
			plain = true;
	for (size_t i = 0; i < gb->nfns && !err; i++) {
		const struct gobin_fn *f = &gb->fns[i];

		if (strncmp(f->name, name, len) || (f->name[len] && strcmp(f->name + len, ".abi0")))
			continue;
		if (plain && (f->wrapper || f->name[len]))
			continue;
		err = push_func(gb, f, out, n, &cap);
	}
	if (!err && !*n)
		err = -ENOENT;
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}

int gobin__inlined_into(const struct gobin *gb, const char *name, struct gobin_func **out,
			size_t *n)
{
	size_t cap = 0;
	int err = 0;

	if (!gb || !name || !out || !n)
		return -EINVAL;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < gb->nfns && !err; i++)
		if (gb->fns[i].size && gobin_pcln_inlines(gb, gb->fns[i].pcln, name))
			err = push_func(gb, &gb->fns[i], out, n, &cap);
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}

bool gobin__addr_in_inlined(const struct gobin *gb, uint64_t vaddr, const char *name)
{
	const char *names[16];
	size_t k;
	ssize_t i;

	if (!gb || !name || (i = gobin_fn_index(gb, vaddr)) < 0)
		return false;
	k = gobin_pcln_inline_stack(gb, gb->fns[i].pcln, vaddr, names, 16);
	while (k--)
		if (!strcmp(names[k], name))
			return true;
	return false;
}
