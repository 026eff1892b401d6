// SPDX-License-Identifier: MIT
/*
 * The probe kinds' side of placement. gobin says what the kernel would do
 * with a breakpoint on an instruction; here that becomes a decision and a
 * message. The user's own FUNC+OFF is never moved: an unsafe one is an
 * error that names the next instruction. A function's entry moves forward
 * to the first instruction that every call reaches exactly once, with a
 * note, since registers read there are those after the skipped
 * instructions; when there is none, an exact name is an error and a
 * wildcard's match is left out. Sites that are one of many (the RETs of a
 * uretprobe, the accesses of an array) are left out with a note.
 */
#include "probes/placement.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gobin/gobin.h"
#include "gobin/placement.h"

/* "`xchg rax, r8` at +0x0 is an exchange with r8-r15 ..." */
static void describe(char *buf, size_t n, const struct gobin_func *fn, const struct gobin_place *pl)
{
	unsigned long long at = pl->insn - fn->addr;

	if (*pl->text)
		snprintf(buf, n, "`%s` at +0x%llx is %s", pl->text, at, pl->why);
	else
		snprintf(buf, n, "+0x%llx holds %s", at, pl->why);
}

/* The hint of an unsafe FUNC+OFF: the instruction after the one it is in. */
static void hint_next(const struct resolve_ctx *rc, const struct gobin *gb,
		      const struct gobin_func *fn, const struct gobin_place *pl)
{
	uint64_t next = pl->insn + pl->len;
	struct gobin_place np;

	if (!pl->len || next >= fn->addr + fn->size || gobin__place_check(gb, fn, next, &np))
		return;
	if (np.kind == GOBIN_PLACE_OK)
		diag_hint(rc->dl, "the next instruction, `%s`, is at %s+0x%llx", np.text, fn->name,
			  (unsigned long long)(next - fn->addr));
}

int provider_place(const struct resolve_ctx *rc, const struct ast_node *a,
		   const struct gobin *gb, const struct gobin_func *fn, const char *spec,
		   enum place_policy policy, uint64_t *vaddr)
{
	struct gobin_place pl;
	char what[512];
	uint64_t to;
	int err;

	/* Only the user's offset may fall inside an instruction: every other
	 * place came from decoding, and checking it alone keeps a function of
	 * many sites linear (found by fuzzing: 40 s for one crafted binary). */
	err = policy == PLACE_EXACT ? gobin__place_check(gb, fn, *vaddr, &pl) :
				      gobin__place_check_insn(gb, fn, *vaddr, &pl);
	if (err == -ENOMEM)
		return err;
	if (err) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot read the machine code of %s: %s",
			 fn->name, strerror(-err));
		return err;
	}
	if (pl.kind == GOBIN_PLACE_OK)
		return 0;
	describe(what, sizeof(what), fn, &pl);
	switch (policy) {
	case PLACE_EXACT:
		if (pl.kind == GOBIN_PLACE_NOT_INSN && pl.insn != *vaddr)
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 "cannot probe %s+0x%llx: it is in the middle of `%s` at +0x%llx",
				 fn->name, (unsigned long long)(*vaddr - fn->addr), pl.text,
				 (unsigned long long)(pl.insn - fn->addr));
		else
			diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot probe %s+0x%llx: %s", fn->name,
				 (unsigned long long)(*vaddr - fn->addr), what);
		hint_next(rc, gb, fn, &pl);
		return -EINVAL;
	case PLACE_ENTRY:
	case PLACE_ENTRY_ANY:
		if (*vaddr == fn->addr && !gobin__place_move(gb, fn, &to)) {
			diag_add(rc->dl, DIAG_NOTE, NULL,
				 "%s sits at %s+0x%llx: %s; registers read there are those "
				 "after it", spec, fn->name,
				 (unsigned long long)(to - fn->addr), what);
			*vaddr = to;
			return 0;
		}
		if (policy == PLACE_ENTRY_ANY) {
			diag_add(rc->dl, DIAG_NOTE, NULL, "%s is left out: %s", spec, what);
			return 1;
		}
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot probe %s: %s, and no later "
			 "instruction is reached once on every call", fn->name, what);
		return -EINVAL;
	case PLACE_SITE:
		diag_add(rc->dl, DIAG_NOTE, NULL, "%s: the site at %s+0x%llx is left out: %s", spec,
			 fn->name, (unsigned long long)(*vaddr - fn->addr), what);
		return 1;
	}
	return -EINVAL;
}

int provider_place_site(const struct resolve_ctx *rc, const struct ast_node *a,
			const struct gobin *gb, const char *spec, uint64_t vaddr)
{
	struct gobin_func fn;

	if (gobin__func_for_addr(gb, vaddr, &fn))
		return 0;	/* outside every function: gobin found it, not ours to judge */
	return provider_place(rc, a, gb, &fn, spec, PLACE_SITE, &vaddr);
}
