// SPDX-License-Identifier: MIT
/*
 * What the gobin_*.c files share about an open Go binary. Not for callers:
 * they go through gobin.h.
 */
#ifndef HOTSPAN_RUNTIME_GOBIN_PRIV_H
#define HOTSPAN_RUNTIME_GOBIN_PRIV_H

#include <gelf.h>
#include <sys/types.h>
#include <elfutils/libdw.h>

#include "gobin/gobin.h"

struct gobin_seg {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset;
	uint32_t flags;
};

struct gobin_fn {
	const char *name;
	uint64_t addr;
	uint64_t size;
	int64_t pcln;		/* index in the pclntab function table, or -1 */
	bool wrapper;		/* pclntab: an ABI or method wrapper (funcID_wrapper) */
};

/* .gopclntab as Go 1.18+ writes it (runtime/symtab.go: pcHeader, _func). */
struct gobin_pcln {
	const uint8_t *data;	/* the whole table, starting with pcHeader */
	size_t len;
	uint64_t vaddr;		/* where data sits in memory */
	uint32_t nfunc;
	uint32_t nfiles;
	uint64_t text_start;
	const uint8_t *funcnametab;
	const uint8_t *cutab;
	const uint8_t *filetab;
	const uint8_t *pctab;
	const uint8_t *functab;	/* pclntable: ftab entries, then _func records */
	size_t funcnametab_len;
	size_t filetab_len;
	size_t pctab_len;
	size_t functab_len;
	uint64_t gofunc;	/* moduledata.gofunc: base of funcdata offsets, 0 if unknown */
	/* Where the records of this format keep their fields (Go 1.18 or 1.20). */
	uint32_t func_size;	/* _func without its pcdata and funcdata arrays */
	uint32_t off_funcid, off_nfuncdata;
	uint32_t inl_size;	/* an inlinedCall record */
	uint32_t inl_name, inl_parentpc;
	int wrapper_id;		/* funcID of wrappers, learnt from the table; -1 if none */
};

struct gobin_global;

struct gobin {
	int fd;
	const uint8_t *map;
	size_t map_len;
	Elf *elf;
	char *path;
	unsigned int flags;		/* gobin_open_flags */
	dev_t dev;
	ino_t ino;

	bool pie;
	bool has_symtab;
	const char *version;
	char version_buf[64];

	struct gobin_seg *segs;
	size_t nsegs;

	struct gobin_fn *fns;		/* sorted by address */
	size_t nfns;

	struct gobin_pcln pcln;
	bool has_pcln;

	const char **inl_only;		/* sorted names that exist only inlined */
	size_t n_inl_only;
	bool inl_only_done;		/* inl_only was gathered: on first use */

	bool dwarf_loaded;		/* dwarf.c read it: on first use */
	Dwarf *dw;
	struct gobin_global *globals;	/* sorted by name */
	struct gobin_global **globals_by_addr;
	size_t nglobals;
};

/* Bytes at a virtual address when they lie in the file: NULL if not (or fewer than len). */
const uint8_t *gobin_vaddr_bytes(const struct gobin *gb, uint64_t vaddr, size_t len);
/* Index into gb->fns of the function holding vaddr, or -1. */
ssize_t gobin_fn_index(const struct gobin *gb, uint64_t vaddr);
/* Section by name, or NULL; fills shdr. */
Elf_Scn *gobin_section(const struct gobin *gb, const char *name, GElf_Shdr *shdr);

/* pclntab.c */
int gobin_pcln_load(struct gobin *gb);
int gobin_pcln_funcs(struct gobin *gb, struct gobin_fn **fns, size_t *n);
/* pcln indices of the functions .symtab gave. */
int gobin_pcln_index_funcs(struct gobin *gb);
/* gb->inl_only, once: every inlined call site of every function is read, so
 * only when a name is not found. */
int gobin_pcln_inline_only(struct gobin *gb);
int gobin_pcln_line(const struct gobin *gb, int64_t idx, uint64_t pc, const char **file,
		    int *line, const char **inl_func);
/* The inlined functions whose code pc is in, innermost first, in function idx:
 * how many (at most max), 0 outside inlined code. */
size_t gobin_pcln_inline_stack(const struct gobin *gb, int64_t idx, uint64_t pc,
			       const char **names, size_t max);
/* Does the inline tree of function idx name `name`? */
bool gobin_pcln_inlines(const struct gobin *gb, int64_t idx, const char *name);

/* dwarf.c: the globals are read on first use. */
void gobin_dwarf_free(struct gobin *gb);
/* The global holding addr: its name, start and size; NULL if none. */
const char *gobin_global_at_addr(const struct gobin *gb, uint64_t addr, uint64_t *start,
				 uint64_t *size);


#endif /* HOTSPAN_RUNTIME_GOBIN_PRIV_H */
