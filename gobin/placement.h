// SPDX-License-Identifier: MIT
/*
 * Where a uprobe may sit: what the x86-64 kernel does with a breakpoint on
 * one instruction, decided from its bytes the way the kernel's uprobe
 * decoder decides (arch/x86/kernel/uprobes.c), so that no probe hotspan
 * places makes the watched program do something else.
 */
#ifndef HOTSPAN_GOBIN_PLACEMENT_H
#define HOTSPAN_GOBIN_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "gobin/gobin.h"

enum gobin_place_kind {
	GOBIN_PLACE_OK,		/* emulated or single-stepped exactly as the CPU runs it */
	GOBIN_PLACE_WRONG,	/* the kernel runs it, but not as the CPU would */
	GOBIN_PLACE_REFUSED,	/* the kernel refuses a probe there (ENOTSUPP) */
	GOBIN_PLACE_NOT_INSN,	/* inside an instruction, or bytes no decoder takes */
};

struct gobin_place {
	enum gobin_place_kind kind;
	const char *why;	/* static, for messages; NULL when OK */
	uint64_t insn;		/* address of the instruction holding the probe's address */
	unsigned len;		/* its length, 0 when it does not decode */
	char text[64];		/* "xchg rax, r8", as Capstone prints it */
};

/*
 * What the kernel does with a probe on the instruction at the start of
 * code (len bytes available). Fills everything of *out but insn. No binary
 * needed: the tests and the fuzz harness call it on bytes.
 */
void gobin_place_classify(const uint8_t *code, size_t len, struct gobin_place *out);

/*
 * The same for address vaddr in fn: also GOBIN_PLACE_NOT_INSN when vaddr is
 * not where an instruction starts, decoding fn from its entry (out->insn is
 * then the instruction that holds vaddr). 0, or -errno when fn's bytes
 * cannot be read.
 */
int gobin__place_check(const struct gobin *gb, const struct gobin_func *fn, uint64_t vaddr,
		       struct gobin_place *out);

/*
 * The same for vaddr known to start an instruction (a site gobin found by
 * decoding, a function's entry): no walk from fn's entry, so checking every
 * site of a large function stays linear. 0, or -ENOENT outside fn.
 */
int gobin__place_check_insn(const struct gobin *gb, const struct gobin_func *fn,
			    uint64_t vaddr, struct gobin_place *out);

/*
 * For a probe on fn's first instruction that cannot stay there: the first
 * later instruction where a probe is safe and counts the same calls, that
 * is, every instruction before it falls through to the next (calls return)
 * and no jump in fn lands after the entry up to it. 0 and *to, -ENOENT when
 * there is none among the first few, or -errno.
 */
int gobin__place_move(const struct gobin *gb, const struct gobin_func *fn, uint64_t *to);

#endif
