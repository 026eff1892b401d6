// SPDX-License-Identifier: MIT
/*
 * ustack: user stacks printed with Go names and source lines.
 *
 * A stack key holds the id of a stack in the BPF stack map and the process
 * it was taken in. The frames are run-time addresses. Each is placed in the
 * process's mappings (/proc/PID/maps, read once per process), which give
 * the file and the offset in it; gobin maps the offset back to a link-time
 * address, PIE or not, and .gopclntab names the function and the line.
 * Binaries are opened once, through /proc/PID/root so that a process in a
 * container is read from its own files.
 *
 * A process that has exited (the usual case for -c at the end) has no maps
 * left. Its frames are then read against the binaries the plan probes: a
 * fixed-address executable needs no more, and a PIE's load bias is the one
 * that puts the top frame on one of the plan's probe sites and the most
 * frames inside functions, which the kernel's page-aligned loading makes a
 * small search.
 *
 * A frame in a binary that is not Go (the C library of a cgo program, any
 * process an interval probe samples) is named from the ELF symbol table,
 * as bpftrace names it, without a line.
 *
 * At a function's entry the frame pointer is still the caller's, so the
 * kernel's walk skips the immediate caller; the program then recorded the
 * return address at the stack pointer (entry_ret), printed here as the
 * second frame, and the top frame, which sits in the stack-check prologue,
 * is printed as the function's entry (func+0), as bpftrace prints it.
 * Since Linux 6.12 the kernel adds that return address itself when the
 * probed instruction is PUSH RBP or ENDBR64 (how Go 1.21 and later start a
 * function without a stack check): then it is the kernel's second frame
 * already and is not printed twice.
 */
#include "output/ustack.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gobin/elfsym.h"
#include "gobin/gobin.h"

#define PAGE 4096ULL

/* The functions of an ELF file that is not Go, from .symtab or .dynsym. */
struct elf_sym {
	uint64_t addr, size;
	const char *name;	/* in elf_syms.names */
};

struct elf_seg {
	uint64_t vaddr, offset, filesz;
};

struct elf_syms {
	struct elf_sym *syms;	/* sorted by address */
	size_t nsyms;
	struct elf_seg *segs;
	size_t nsegs;
	char *names;
};

struct ustack_bin {
	char *path;		/* as /proc/PID/maps or the plan names it */
	struct gobin *gb;	/* NULL when it is not a Go binary we can read */
	struct elf_syms *es;	/* when it is another ELF file, else NULL */
};

struct ustack_vma {
	uint64_t start, end, pgoff;
	struct ustack_bin *bin;	/* NULL: anonymous, [vdso], unreadable */
};

struct ustack_proc {
	pid_t pid;
	struct ustack_vma *vmas;	/* executable mappings */
	size_t nvmas;
	bool gone;			/* no /proc/PID/maps: use the fallback */
	bool fb_chosen;
	struct ustack_bin *fb_bin;	/* the fallback's binary, or NULL */
	uint64_t fb_bias;
};

struct ustack {
	const struct plan *plan;
	int fd;				/* the stack map, or -1 */
	uint32_t depth;			/* frames per stack in the map */
	struct ustack_bin **bins;
	size_t nbins;
	struct ustack_proc *procs;
	size_t nprocs;
};

static void elf_syms_free(struct elf_syms *es)
{
	if (!es)
		return;
	free(es->syms);
	free(es->segs);
	free(es->names);
	free(es);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct read_ctx {
	struct elf_syms *es;
	size_t names_len;
};

/* A function symbol into es; names are offsets into es->names until the
 * caller turns them into pointers. */
static int add_sym(const GElf_Sym *sym, const char *name, void *ctx)
{
	struct read_ctx *c = ctx;
	struct elf_syms *es = c->es;
	size_t len = strlen(name) + 1;
	struct elf_sym *v;
	char *nn;

	if (!sym->st_value || (GELF_ST_TYPE(sym->st_info) != STT_FUNC &&
			       GELF_ST_TYPE(sym->st_info) != STT_GNU_IFUNC))
		return 0;
	nn = realloc(es->names, c->names_len + len);
	v = realloc(es->syms, (es->nsyms + 1) * sizeof(*v));
	if (nn)
		es->names = nn;
	if (v)
		es->syms = v;
	if (!nn || !v)
		return -ENOMEM;
	memcpy(es->names + c->names_len, name, len);
	v[es->nsyms].addr = sym->st_value;
	v[es->nsyms].size = sym->st_size;
	v[es->nsyms].name = (const char *)(uintptr_t)c->names_len;
	es->nsyms++;
	c->names_len += len;
	return 0;
}

/* The function symbols and loadable segments of an ELF file, or NULL. */
static struct elf_syms *elf_syms_open(const char *path)
{
	struct elf_syms *es = NULL;
	struct read_ctx rc = { 0 };
	size_t phnum;
	Elf_Scn *scn = NULL, *dyn = NULL;
	GElf_Shdr sh;
	bool have_symtab = false;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &phnum))
		goto out;
	es = rc.es = calloc(1, sizeof(*es));
	if (!es || !(es->segs = calloc(phnum ? phnum : 1, sizeof(*es->segs))))
		goto err_free_syms;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD)
			es->segs[es->nsegs++] = (struct elf_seg){ ph.p_vaddr, ph.p_offset,
								  ph.p_filesz };
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			if (elfsym_each(elf, scn, add_sym, &rc))
				goto err_free_syms;
			have_symtab = true;
		} else if (sh.sh_type == SHT_DYNSYM) {
			dyn = scn;
		}
	}
	if (!have_symtab && dyn && elfsym_each(elf, dyn, add_sym, &rc))
		goto err_free_syms;
	for (size_t i = 0; i < es->nsyms; i++)
		es->syms[i].name = es->names + (uintptr_t)es->syms[i].name;
	if (es->nsyms)	/* a file without symbols has no array to sort */
		qsort(es->syms, es->nsyms, sizeof(*es->syms), cmp_sym);
	goto out;
err_free_syms:
	elf_syms_free(es);
	es = NULL;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return es;
}

/* The function of es holding vaddr (the last one starting at or before it,
 * and ending after it when its size is known), or NULL. */
static const struct elf_sym *elf_sym_at(const struct elf_syms *es, uint64_t vaddr)
{
	size_t lo = 0, hi = es->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (es->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (es->syms[lo - 1].size && vaddr >= es->syms[lo - 1].addr + es->syms[lo - 1].size)
		return NULL;
	return &es->syms[lo - 1];
}

struct ustack *ustack__new(const struct plan *plan, struct bpf_object *obj)
{
	struct ustack *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->plan = plan;
	u->fd = -1;
	u->depth = HS_STACK_DEPTH;
	if (obj) {
		struct bpf_map *map = plan && plan->stacks_map ?
			bpf_object__find_map_by_name(obj, plan->stacks_map) : NULL;

		if (!map || bpf_map__fd(map) < 0) {
			free(u);
			errno = ENOENT;
			return NULL;
		}
		u->fd = bpf_map__fd(map);
		u->depth = bpf_map__value_size(map) / sizeof(uint64_t);
	}
	return u;
}

void ustack__free(struct ustack *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nbins; i++) {
		gobin__close(u->bins[i]->gb);
		elf_syms_free(u->bins[i]->es);
		free(u->bins[i]->path);
		free(u->bins[i]);
	}
	for (size_t i = 0; i < u->nprocs; i++)
		free(u->procs[i].vmas);
	free(u->bins);
	free(u->procs);
	free(u);
}

/* The binary at path (read through root, "" for none), opened once. NULL
 * only when out of memory: a file that is no Go binary gets gb NULL. */
static struct ustack_bin *bin_get(struct ustack *u, const char *root, const char *path)
{
	struct ustack_bin *b, **nb;
	char *full;

	for (size_t i = 0; i < u->nbins; i++)
		if (!strcmp(u->bins[i]->path, path))
			return u->bins[i];
	nb = realloc(u->bins, (u->nbins + 1) * sizeof(*nb));
	if (!nb)
		return NULL;
	u->bins = nb;
	b = calloc(1, sizeof(*b));
	if (!b || !(b->path = strdup(path)) || asprintf(&full, "%s%s", root, path) < 0) {
		if (b)
			free(b->path);
		free(b);
		return NULL;
	}
	b->gb = gobin__open(full);
	if (!b->gb && *root)
		b->gb = gobin__open(path);
	if (!b->gb) {
		b->es = elf_syms_open(full);
		if (!b->es && *root)
			b->es = elf_syms_open(path);
	}
	free(full);
	u->bins[u->nbins++] = b;
	return b;
}

struct load_ctx {
	struct ustack *u;
	struct ustack_proc *p;
	size_t cap;
	char root[64];
};

static int add_vma(const struct procmap *m, void *ctx)
{
	struct load_ctx *c = ctx;
	struct ustack_proc *p = c->p;
	struct ustack_vma *v;

	if (!strchr(m->perms, 'x'))
		return 0;
	if (p->nvmas == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		v = realloc(p->vmas, c->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->vmas = v;
	}
	v = &p->vmas[p->nvmas++];
	v->start = m->start;
	v->end = m->end;
	v->pgoff = m->pgoff;
	v->bin = NULL;
	if (m->path[0] == '/') {
		v->bin = bin_get(c->u, c->root, m->path);
		if (!v->bin)
			return -ENOMEM;
	}
	return 0;
}

/* Reads the executable mappings of pid; gone when there are none to read. */
static int proc_load(struct ustack *u, struct ustack_proc *p)
{
	struct load_ctx c = { .u = u, .p = p };
	int err;

	snprintf(c.root, sizeof(c.root), "/proc/%d/root", (int)p->pid);
	err = procmaps_each(p->pid, add_vma, &c);
	if (err == -ENOMEM)
		return err;
	/* Gone, or a zombie, whose maps are empty. */
	p->gone = err || !p->nvmas;
	return 0;
}

static struct ustack_proc *proc_get(struct ustack *u, pid_t pid)
{
	struct ustack_proc *np;

	for (size_t i = 0; i < u->nprocs; i++)
		if (u->procs[i].pid == pid)
			return &u->procs[i];
	np = realloc(u->procs, (u->nprocs + 1) * sizeof(*np));
	if (!np)
		return NULL;
	u->procs = np;
	np = &u->procs[u->nprocs];
	memset(np, 0, sizeof(*np));
	np->pid = pid;
	if (proc_load(u, np)) {
		free(np->vmas);
		return NULL;
	}
	u->nprocs++;
	return np;
}

static bool elf_offset_to_vaddr(const struct elf_syms *es, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < es->nsegs; i++) {
		const struct elf_seg *s = &es->segs[i];

		if (off >= s->offset && off < s->offset + s->filesz) {
			*vaddr = off - s->offset + s->vaddr;
			return true;
		}
	}
	return false;
}

/* Where a run-time address is: the binary and its link-time address. */
static const struct ustack_bin *locate(const struct ustack_proc *p, uint64_t addr,
				       uint64_t *vaddr)
{
	if (p->gone) {
		if (!p->fb_bin || !p->fb_bin->gb)
			return NULL;
		*vaddr = addr - p->fb_bias;
		return p->fb_bin;
	}
	for (size_t i = 0; i < p->nvmas; i++) {
		const struct ustack_vma *v = &p->vmas[i];
		uint64_t off = addr - v->start + v->pgoff;

		if (addr < v->start || addr >= v->end)
			continue;
		if (!v->bin)
			return NULL;
		if (v->bin->gb)
			return gobin__offset_to_vaddr(v->bin->gb, off, vaddr) ? NULL : v->bin;
		if (v->bin->es)
			return elf_offset_to_vaddr(v->bin->es, off, vaddr) ? v->bin : NULL;
		return NULL;
	}
	return NULL;
}

/* How many frames fall inside functions of gb under bias. */
static size_t score(const struct gobin *gb, uint64_t bias, const uint64_t *addrs, size_t n)
{
	struct gobin_func fn;
	size_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += !gobin__func_for_addr(gb, addrs[i] - bias, &fn);
	return s;
}

/* For a process that is gone: the plan's binary and bias that explain its
 * frames best (see the top of the file). */
static void choose_fallback(struct ustack *u, struct ustack_proc *p, const uint64_t *addrs,
			    size_t n)
{
	size_t best = 0;

	p->fb_chosen = true;
	if (!u->plan || !n)
		return;
	for (size_t i = 0; i < u->plan->nprobes; i++) {
		const struct plan_probe *pr = &u->plan->probes[i];
		struct ustack_bin *b;
		uint64_t v, bias = 0;
		size_t s;

		if (!pr->path || !*pr->path)
			continue;
		b = bin_get(u, "", pr->path);
		if (!b || !b->gb)
			continue;
		if (gobin__is_pie(b->gb)) {
			if (gobin__offset_to_vaddr(b->gb, pr->file_offset, &v))
				continue;
			bias = addrs[0] - v;
			if (bias % PAGE)
				continue;
		}
		s = score(b->gb, bias, addrs, n);
		if (s > best) {
			best = s;
			p->fb_bin = b;
			p->fb_bias = bias;
		}
	}
}

/* Writes s, escaped for a JSON string when json. */
static void put(FILE *out, const char *s, bool json)
{
	if (!json) {
		fputs(s, out);
		return;
	}
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

/*
 * One frame. `top` is the frame the probe fired in; the others are return
 * addresses, whose line is that of the call just before them. At an entry
 * probe the top frame is printed as the function's entry.
 */
static void print_frame(const struct ustack_proc *p, uint64_t addr, bool top, bool at_entry,
			bool json, FILE *out)
{
	const char *file = NULL, *inl = NULL;
	const struct ustack_bin *b;
	const struct elf_sym *sym;
	const struct gobin *gb;
	struct gobin_func fn;
	char buf[4096 + 512];
	uint64_t vaddr;
	int line = 0, len;

	b = locate(p, addr, &vaddr);
	if (b && b->es && (sym = elf_sym_at(b->es, vaddr))) {
		snprintf(buf, sizeof(buf), "    %s+%" PRIu64 "\n", sym->name, vaddr - sym->addr);
		put(out, buf, json);
		return;
	}
	if (!b || !b->gb || gobin__func_for_addr(b->gb, vaddr, &fn)) {
		snprintf(buf, sizeof(buf), "    0x%" PRIx64 "\n", addr);
		put(out, buf, json);
		return;
	}
	gb = b->gb;
	if (top && at_entry) {
		struct gobin_site site;

		if (!gobin__entry_site(gb, &fn, &site) && site.vaddr == vaddr)
			vaddr = fn.addr;
	}
	len = snprintf(buf, sizeof(buf), "    %s+%" PRIu64, fn.name, vaddr - fn.addr);
	if (!gobin__addr_to_line(gb, top || vaddr == fn.addr ? vaddr : vaddr - 1, &file, &line,
				 &inl) && file) {
		if (inl && strcmp(inl, fn.name))
			snprintf(buf + len, sizeof(buf) - len, " (%s:%d, inlined %s)\n", file,
				 line, inl);
		else
			snprintf(buf + len, sizeof(buf) - len, " (%s:%d)\n", file, line);
	} else {
		snprintf(buf + len, sizeof(buf) - len, "\n");
	}
	put(out, buf, json);
}

/* Is the instruction at addr one after which the kernel's walk adds [SP]? */
static bool kernel_adds_caller(const struct ustack_proc *p, uint64_t addr)
{
	static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	const struct ustack_bin *b = locate(p, addr, &addr);
	uint8_t insn[4];

	if (!b || !b->gb || gobin__read(b->gb, addr, insn, sizeof(insn)))
		return false;
	return insn[0] == 0x55 || !memcmp(insn, endbr64, sizeof(endbr64));
}

int ustack_print_addrs(struct ustack *u, pid_t pid, const uint64_t *addrs, size_t n,
		       uint64_t entry_ret, bool json, FILE *out)
{
	struct ustack_proc *p;

	while (n && !addrs[n - 1])
		n--;
	for (size_t i = 0; i < n; i++)
		if (!addrs[i])
			n = i;
	p = proc_get(u, pid);
	if (!p)
		return -ENOMEM;
	if (p->gone && !p->fb_chosen)
		choose_fallback(u, p, addrs, n);
	if (entry_ret && n > 1 && addrs[1] == entry_ret && kernel_adds_caller(p, addrs[0]))
		entry_ret = 0;
	put(out, "\n", json);
	for (size_t i = 0; i < n; i++) {
		print_frame(p, addrs[i], i == 0, entry_ret != 0, json, out);
		if (i == 0 && entry_ret)
			print_frame(p, entry_ret, false, false, json, out);
	}
	return ferror(out) ? -EIO : 0;
}

int ustack_print(struct ustack *u, const struct hs_stack_key *key, bool json, FILE *out)
{
	uint64_t *addrs;
	uint32_t id;
	int err;

	if (!u || !key || !out)
		return -EINVAL;
	/* As bpftrace: a stack that cannot be read prints as nothing. */
	if (u->fd < 0 || key->stack_id < 0 || key->stack_id > UINT32_MAX)
		return 0;
	addrs = calloc(u->depth, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	id = (uint32_t)key->stack_id;
	if (bpf_map_lookup_elem(u->fd, &id, addrs)) {
		free(addrs);
		return 0;
	}
	err = ustack_print_addrs(u, (pid_t)key->pid, addrs, u->depth, key->entry_ret, json,
				 out);
	free(addrs);
	return err;
}
