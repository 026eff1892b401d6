// SPDX-License-Identifier: MIT
/*
 * ELF symbols and process mappings, read the one way every caller shares:
 * a walk that hands each entry to a callback, which keeps what it needs.
 * Symbol names point into libelf's string table (valid while the Elf is
 * open); a mapping's path is valid during the callback only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "gobin/elfsym.h"

int elfsym_each(Elf *elf, Elf_Scn *scn, int (*fn)(const GElf_Sym *sym, const char *name,
						   void *ctx), void *ctx)
{
	GElf_Shdr sh;
	Elf_Data *data;
	size_t n;

	if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
	    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
		return 0;
	n = sh.sh_size / sh.sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		int r;

		if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		r = fn(&sym, name, ctx);
		if (r)
			return r;
	}
	return 0;
}

int procmaps_each(pid_t pid, int (*fn)(const struct procmap *m, void *ctx), void *ctx)
{
	char name[64], line[4096 + 256], path[4096];
	FILE *f;
	int r = 0;

	if (pid)
		snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	else
		snprintf(name, sizeof(name), "/proc/self/maps");
	f = fopen(name, "re");
	if (!f)
		return -errno;
	while (!r && fgets(line, sizeof(line), f)) {
		struct procmap m = { .path = path };
		unsigned int maj, min;

		path[0] = '\0';
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64
			   " %4095[^\n]", &m.start, &m.end, m.perms, &m.pgoff, &maj, &min,
			   &m.inode, path) < 7)
			continue;
		m.dev = makedev(maj, min);
		r = fn(&m, ctx);
	}
	fclose(f);
	return r;
}
