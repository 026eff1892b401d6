// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: a Go binary's readers on arbitrary bytes. The input
 * is written to a memfd and opened as a binary (gobin opens files), with
 * and without its symbol table and DWARF; then every function is asked for
 * its lines, its stack deltas, its entry site, its returns and its access
 * sites, every global for its access sites, and the placement check
 * decides on every site found. The bytes alone also go through the
 * placement check's instruction classifier.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gobin/gobin.h"
#include "gobin/placement.h"

/* At most this many functions and globals an input, so that an input
 * is a few milliseconds. */
#define MAX_ITEMS 16

static void check_sites(struct gobin *gb, struct gobin_site *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct gobin_func fn;
		struct gobin_place pl;

		if (!gobin__func_for_addr(gb, s[i].vaddr, &fn))
			gobin__place_check_insn(gb, &fn, s[i].vaddr, &pl);
	}
	free(s);
}

static void walk(struct gobin *gb)
{
	size_t nf = gobin__func_count(gb), nv;

	for (size_t i = 0; i < nf && i < MAX_ITEMS; i++) {
		struct gobin_func fn;
		struct gobin_site site, *s;
		struct gobin_place pl;
		const char *file, *func;
		uint64_t to, first;
		int64_t delta;
		size_t n;
		int line;

		if (gobin__func_at(gb, i, &fn))
			continue;
		gobin__addr_to_line(gb, fn.addr, &file, &line, &func);
		gobin__sp_delta(gb, fn.addr, &delta);
		/* As hotspan does: a move only for an entry that cannot stay, and
		 * FUNC+OFF checked by decoding from the entry (a short way in:
		 * crafted sizes make any function as large as the file). */
		if (!gobin__entry_site(gb, &fn, &site) &&
		    !gobin__place_check_insn(gb, &fn, site.vaddr, &pl) && pl.kind != GOBIN_PLACE_OK)
			gobin__place_move(gb, &fn, &to);
		gobin__place_check(gb, &fn, fn.addr + (fn.size < 512 ? fn.size / 2 : 256), &pl);
		if (!gobin__ret_sites(gb, &fn, &s, &n))
			check_sites(gb, s, n);
		if (!gobin__func_access_sites(gb, &fn, &s, &n))
			check_sites(gb, s, n);
		gobin__tail_jumps(gb, &fn, &first, &func);
	}
	nv = gobin__var_count(gb);
	for (size_t i = 0; i < nv && i < MAX_ITEMS; i++) {
		struct gobin_var v;
		struct gobin_field f;
		struct gobin_site *s;
		size_t n;

		if (gobin__var_at(gb, i, &v))
			continue;
		for (size_t k = 0; k < 4 && !gobin__var_field_at(gb, &v, k, &f); k++)
			;
		if (v.kind == GOBIN_KIND_ARRAY && !gobin__var_access_sites(gb, &v, &s, &n))
			check_sites(gb, s, n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = { 0, GOBIN_OPEN_NO_SYMTAB | GOBIN_OPEN_NO_DWARF };
	struct gobin_place pl;
	char path[64];
	int fd;

	gobin_place_classify(data, size, &pl);
	fd = memfd_create("fuzz_gobin", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
			struct gobin *gb = gobin__open_flags(path, flags[i]);

			if (gb) {
				walk(gb);
				gobin__close(gb);
			}
		}
	}
	close(fd);
	return 0;
}
