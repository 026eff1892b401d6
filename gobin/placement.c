// SPDX-License-Identifier: MIT
/*
 * Probe placement: whether a uprobe on an instruction leaves the program
 * doing what it did. The kernel (arch/x86/kernel/uprobes.c) decodes the
 * instruction under a breakpoint and then either refuses it, emulates it
 * (relative jumps and calls, conditional jumps, 0x90 "NOPs", pushes of one
 * register) or copies it to a page of its own and single-steps it there,
 * rewriting a RIP-relative operand. What it refuses, checked on this kernel
 * (6.18) with a breakpoint on each kind:
 *   - LOCK, and CS, DS, ES or SS segment prefixes (the 66 2E 0F 1F 84 NOP);
 *   - opcodes invalid in 64-bit mode or privileged (int3, int, in, out,
 *     hlt, cli, sti, ...), and, because the decoder looks a VEX or EVEX
 *     instruction's opcode byte up in the same one-byte table, vector
 *     instructions whose opcode byte is one of those (vmovdqu loads 0x6f,
 *     vpxor 0xef, vmovd 0x6e, vpunpck* 0x60-0x62, vptest 0x17);
 *   - a load of SS, and relative branches with a 0x66 prefix.
 * What it runs but gets wrong, measured by running each instruction with
 * and without a breakpoint on it:
 *   - 0x90 with REX.B, which is `xchg` of rAX with r8..r15 (Go's
 *     runtime.gcWriteBarrierR8 starts with 49 90): it is emulated as a NOP;
 *   - pushf: single-stepped with the trap flag set, it pushes TF, and a
 *     later popf of that word stops the program with SIGTRAP.
 * Everything else (two-byte opcodes, RIP-relative operands, syscall, REX
 * pushes, rep/bnd prefixes, EVEX with other opcode bytes) ran the same.
 *
 * Prefixes and the opcode byte are read here; Capstone gives the length
 * and the text, and decodes a function from its entry to tell where its
 * instructions start, which the kernel never checks: a breakpoint inside
 * an instruction corrupts it.
 */
#include "gobin/placement.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gobin/gobin_internal.h"

/* The longest run of instructions a probe moves over from a function's entry. */
#define MOVE_MAX_INSNS 16

static const char why_undecodable[] = "bytes that do not decode as an instruction";
static const char why_inside[] = "the middle of an instruction";
static const char why_lock[] = "a LOCK prefix, which the kernel refuses to probe";
static const char why_segment[] =
	"a CS, DS, ES or SS segment prefix, which the kernel refuses to probe";
static const char why_opcode[] = "an opcode the kernel's uprobe decoder refuses";
static const char why_vex[] =
	"a VEX or EVEX instruction whose opcode byte the kernel's uprobe decoder refuses";
static const char why_mov_ss[] = "a load of SS, which the kernel will not single-step";
static const char why_branch66[] =
	"a branch with an operand-size prefix, which the kernel refuses to probe";
static const char why_xchg[] =
	"an exchange with r8-r15 (0x90 with REX.B), which the kernel emulates as a NOP";
static const char why_pushf[] =
	"pushf, which the kernel single-steps with the trap flag set: the flags it pushes "
	"carry TF, and a later popf stops the program with SIGTRAP";

/* One-byte opcodes the kernel refuses in a 64-bit process (its good_insns_64 table). */
static bool opcode_refused(uint8_t op)
{
	switch (op) {
	case 0x06: case 0x07: case 0x0e:		/* push/pop es, push cs */
	case 0x16: case 0x17: case 0x1e: case 0x1f:	/* push/pop ss, ds */
	case 0x27: case 0x2f: case 0x37: case 0x3f:	/* daa das aaa aas */
	case 0x60: case 0x61: case 0x62:		/* pusha popa bound */
	case 0x6c: case 0x6d: case 0x6e: case 0x6f:	/* ins outs */
	case 0x82: case 0x9a:				/* group 1 alias, far call */
	case 0xcc: case 0xcd: case 0xce: case 0xcf:	/* int3 int into iret */
	case 0xd4: case 0xd5: case 0xd6:		/* aam aad salc */
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:	/* in, out */
	case 0xea:					/* far jmp */
	case 0xec: case 0xed: case 0xee: case 0xef:	/* in, out */
	case 0xf1: case 0xf4: case 0xfa: case 0xfb:	/* int1 hlt cli sti */
		return true;
	}
	return false;
}

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67:
		return true;
	}
	return false;
}

/* The kernel's verdict from the bytes alone; the length is Capstone's. */
static void classify_bytes(const uint8_t *code, size_t len, struct gobin_place *out)
{
	bool lock = false, segment = false, op66 = false;
	uint8_t rex = 0, op;
	size_t i = 0;

	for (; i < len && i < 15; i++) {
		uint8_t b = code[i];

		if (is_legacy_prefix(b)) {
			lock |= b == 0xf0;
			segment |= b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e;
			op66 |= b == 0x66;
			rex = 0;	/* a REX before a legacy prefix does not count */
		} else if ((b & 0xf0) == 0x40) {
			rex = b;
		} else {
			break;
		}
	}
	if (i >= len)
		return;		/* Capstone decoded it: cannot happen */
	if (lock) {
		out->kind = GOBIN_PLACE_REFUSED;
		out->why = why_lock;
		return;
	}
	if (segment) {
		out->kind = GOBIN_PLACE_REFUSED;
		out->why = why_segment;
		return;
	}
	op = code[i];
	/* VEX (c5, c4) and EVEX (62): the kernel checks the opcode byte after them. */
	if (op == 0xc5 || op == 0xc4 || op == 0x62) {
		size_t at = i + (op == 0xc5 ? 2 : op == 0xc4 ? 3 : 4);

		if (at < len && opcode_refused(code[at])) {
			out->kind = GOBIN_PLACE_REFUSED;
			out->why = why_vex;
		}
		return;
	}
	if (op == 0x0f) {	/* two- and three-byte opcodes: all taken */
		if (op66 && i + 1 < len && (code[i + 1] & 0xf0) == 0x80) {
			out->kind = GOBIN_PLACE_REFUSED;
			out->why = why_branch66;
		}
		return;
	}
	if (opcode_refused(op)) {
		out->kind = GOBIN_PLACE_REFUSED;
		out->why = why_opcode;
	} else if (op == 0x8e && i + 1 < len && ((code[i + 1] >> 3) & 7) == 2) {
		out->kind = GOBIN_PLACE_REFUSED;
		out->why = why_mov_ss;
	} else if (op66 && (op == 0xe8 || op == 0xe9 || op == 0xeb || (op & 0xf0) == 0x70)) {
		out->kind = GOBIN_PLACE_REFUSED;
		out->why = why_branch66;
	} else if (op == 0x90 && (rex & 0x01)) {
		out->kind = GOBIN_PLACE_WRONG;
		out->why = why_xchg;
	} else if (op == 0x9c) {
		out->kind = GOBIN_PLACE_WRONG;
		out->why = why_pushf;
	}
}

static void set_text(struct gobin_place *out, const cs_insn *in)
{
	snprintf(out->text, sizeof(out->text), "%.20s%s%.40s", in->mnemonic,
		 *in->op_str ? " " : "", in->op_str);
}

/* Decodes one instruction with h; the verdict on it into *out. */
static void classify_one(csh h, cs_insn *in, const uint8_t *code, size_t len, uint64_t addr,
			 struct gobin_place *out)
{
	const uint8_t *p = code;
	size_t n = len;

	memset(out, 0, sizeof(*out));
	out->insn = addr;
	if (!cs_disasm_iter(h, &p, &n, &addr, in)) {
		out->kind = GOBIN_PLACE_NOT_INSN;
		out->why = why_undecodable;
		return;
	}
	out->len = in->size;
	set_text(out, in);
	classify_bytes(code, in->size, out);
}

void gobin_place_classify(const uint8_t *code, size_t len, struct gobin_place *out)
{
	cs_insn *in;
	csh h;

	memset(out, 0, sizeof(*out));
	out->kind = GOBIN_PLACE_NOT_INSN;
	out->why = why_undecodable;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return;
	in = cs_malloc(h);
	if (in)
		classify_one(h, in, code, len, 0, out);
	cs_free(in, 1);
	cs_close(&h);
}

int gobin__place_check(const struct gobin *gb, const struct gobin_func *fn, uint64_t vaddr,
		       struct gobin_place *out)
{
	const uint8_t *code = gobin_vaddr_bytes(gb, fn->addr, fn->size), *p;
	uint64_t addr = fn->addr;
	size_t n = fn->size;
	cs_insn *in;
	csh h;
	int err = 0;

	if (!code || vaddr < fn->addr || vaddr >= fn->addr + fn->size)
		return -ENOENT;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -ENOMEM;
	in = cs_malloc(h);
	if (!in) {
		err = -ENOMEM;
		goto out_close;
	}
	/* Walk to vaddr: an instruction must start exactly there. */
	p = code;
	for (;;) {
		const uint8_t *at = p;
		uint64_t start = addr;

		if (start == vaddr) {
			classify_one(h, in, at, n, start, out);
			break;
		}
		if (!cs_disasm_iter(h, &p, &n, &addr, in)) {
			memset(out, 0, sizeof(*out));
			out->kind = GOBIN_PLACE_NOT_INSN;
			out->why = why_undecodable;
			out->insn = start;
			break;
		}
		if (addr > vaddr) {
			memset(out, 0, sizeof(*out));
			out->kind = GOBIN_PLACE_NOT_INSN;
			out->why = why_inside;
			out->insn = start;
			out->len = in->size;
			set_text(out, in);
			break;
		}
	}
	cs_free(in, 1);
out_close:
	cs_close(&h);
	return err;
}

int gobin__place_check_insn(const struct gobin *gb, const struct gobin_func *fn,
			    uint64_t vaddr, struct gobin_place *out)
{
	const uint8_t *code;
	size_t len;

	if (vaddr < fn->addr || vaddr >= fn->addr + fn->size)
		return -ENOENT;
	len = fn->addr + fn->size - vaddr;
	code = gobin_vaddr_bytes(gb, vaddr, len);
	if (!code)
		return -ENOENT;
	gobin_place_classify(code, len, out);
	out->insn = vaddr;
	return 0;
}

static bool in_group(const cs_insn *in, uint8_t group)
{
	for (uint8_t i = 0; i < in->detail->groups_count; i++)
		if (in->detail->groups[i] == group)
			return true;
	return false;
}

/* Does control leave in to somewhere else than the next instruction? */
static bool leaves(const cs_insn *in)
{
	return in_group(in, CS_GRP_JUMP) || in_group(in, CS_GRP_RET) ||
	       in_group(in, CS_GRP_IRET) || in_group(in, CS_GRP_INT) ||
	       in->id == X86_INS_UD2 || in->id == X86_INS_HLT;
}

int gobin__place_move(const struct gobin *gb, const struct gobin_func *fn, uint64_t *to)
{
	const uint8_t *code = gobin_vaddr_bytes(gb, fn->addr, fn->size);
	uint64_t ends[MOVE_MAX_INSNS + 1];
	size_t count, nstarts = 0;
	cs_insn *insns;
	int err = -ENOENT;
	csh h;

	if (!code || !fn->size)
		return -ENOENT;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -ENOMEM;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	count = cs_disasm(h, code, fn->size, fn->addr, 0, &insns);
	/* The candidates: instructions reached only by falling through from the entry. */
	for (size_t i = 0; i < count && nstarts <= MOVE_MAX_INSNS; i++) {
		ends[nstarts++] = insns[i].address;
		if (leaves(&insns[i]))
			break;
	}
	/* A jump anywhere in fn to one of them, or a jump whose target is unknown
	 * (a table), would count it more often than the entry. */
	for (size_t i = 0; i < count && nstarts; i++) {
		const cs_x86 *x = &insns[i].detail->x86;

		if (!in_group(&insns[i], CS_GRP_JUMP))
			continue;
		if (x->op_count != 1 || x->operands[0].type != X86_OP_IMM) {
			nstarts = 0;
			break;
		}
		for (size_t k = 1; k < nstarts; k++)
			if ((uint64_t)x->operands[0].imm == ends[k])
				nstarts = k;
	}
	for (size_t k = 1; k < nstarts; k++) {
		struct gobin_place pl;
		size_t off = ends[k] - fn->addr;

		gobin_place_classify(code + off, fn->size - off, &pl);
		if (pl.kind == GOBIN_PLACE_OK) {
			*to = ends[k];
			err = 0;
			break;
		}
	}
	if (count)
		cs_free(insns, count);
	cs_close(&h);
	return err;
}
