// SPDX-License-Identifier: MIT
/*
 * Two readings every binary needs, Go or not: the symbols of an ELF symbol
 * table, and the mappings of a process (/proc/PID/maps).
 */
#ifndef HOTSPAN_GOBIN_ELFSYM_H
#define HOTSPAN_GOBIN_ELFSYM_H

#include <gelf.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Calls fn for every defined, named symbol of a symbol table section
 * (SHT_SYMTAB or SHT_DYNSYM) of elf, in table order; stops at the first
 * non-zero return of fn and returns it. 0 when the section has no data.
 */
int elfsym_each(Elf *elf, Elf_Scn *scn, int (*fn)(const GElf_Sym *sym, const char *name,
						   void *ctx), void *ctx);

/* One line of /proc/PID/maps: "start-end perms offset major:minor inode path". */
struct procmap {
	uint64_t start, end;
	char perms[8];		/* "r-xp" */
	uint64_t pgoff;		/* offset in the file */
	dev_t dev;
	uint64_t inode;
	const char *path;	/* "" for an anonymous mapping; valid during the call */
};

/*
 * Calls fn for every mapping of process pid (0: this process), in address
 * order; stops at the first non-zero return of fn and returns it. -errno
 * when the maps cannot be read (the process is gone).
 */
int procmaps_each(pid_t pid, int (*fn)(const struct procmap *m, void *ctx), void *ctx);

#endif
