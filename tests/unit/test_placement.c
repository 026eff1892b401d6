// SPDX-License-Identifier: MIT
/*
 * Probe placement (issue 14): one case per class of instruction the kernel
 * refuses to probe or runs differently under a breakpoint, as measured on
 * the kernel (gobin/placement.c lists how), and the instructions it handles
 * exactly, which must stay where they are. Then the same check on a Go
 * binary: runtime.gcWriteBarrierR8 starts with 49 90 (xchg %rax,%r8), which
 * the kernel emulates as a NOP, so its entry probe moves to +0x2.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin.h"
#include "gobin/placement.h"
#include "tests/lib/script.h"

static const struct {
	const char *name;
	uint8_t bytes[15];
	unsigned len;
	enum gobin_place_kind kind;
	const char *why;	/* a word of the reason */
} cases[] = {
	/* emulated as a NOP: 0x90 with REX.B is xchg with r8..r15 */
	{ "xchg rax, r8", { 0x49, 0x90 }, 2, GOBIN_PLACE_WRONG, "emulates as a NOP" },
	{ "xchg eax, r8d", { 0x41, 0x90 }, 2, GOBIN_PLACE_WRONG, "emulates as a NOP" },
	{ "xchg ax, r8w", { 0x66, 0x41, 0x90 }, 3, GOBIN_PLACE_WRONG, "emulates as a NOP" },
	{ "rep xchg rax, r8", { 0xf3, 0x49, 0x90 }, 3, GOBIN_PLACE_WRONG, "NOP" },
	/* single-stepped with TF set */
	{ "pushfq", { 0x9c }, 1, GOBIN_PLACE_WRONG, "SIGTRAP" },
	{ "pushf", { 0x66, 0x9c }, 2, GOBIN_PLACE_WRONG, "SIGTRAP" },
	/* refused: prefixes */
	{ "lock add", { 0xf0, 0x83, 0x04, 0x24, 0x01 }, 5, GOBIN_PLACE_REFUSED, "LOCK" },
	{ "lock xadd", { 0xf0, 0x48, 0x0f, 0xc1, 0x03 }, 5, GOBIN_PLACE_REFUSED, "LOCK" },
	{ "lock cmpxchg16b", { 0xf0, 0x48, 0x0f, 0xc7, 0x0c, 0x24 }, 6, GOBIN_PLACE_REFUSED,
	  "LOCK" },
	{ "ds mov", { 0x3e, 0x8b, 0x04, 0x24 }, 4, GOBIN_PLACE_REFUSED, "segment" },
	{ "nopw cs:", { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 }, 10,
	  GOBIN_PLACE_REFUSED, "segment" },
	{ "ds je", { 0x3e, 0x74, 0x00 }, 3, GOBIN_PLACE_REFUSED, "segment" },
	/* refused: opcodes */
	{ "int3", { 0xcc }, 1, GOBIN_PLACE_REFUSED, "opcode" },
	{ "hlt", { 0xf4 }, 1, GOBIN_PLACE_REFUSED, "opcode" },
	{ "in al, dx", { 0xec }, 1, GOBIN_PLACE_REFUSED, "opcode" },
	{ "mov ss, eax", { 0x8e, 0xd0 }, 2, GOBIN_PLACE_REFUSED, "SS" },
	{ "call16", { 0x66, 0xe8, 0, 0 }, 4, GOBIN_PLACE_REFUSED, "operand-size" },
	{ "jmp16", { 0x66, 0xeb, 0 }, 3, GOBIN_PLACE_REFUSED, "operand-size" },
	/* refused: VEX and EVEX by their opcode byte */
	{ "vmovdqu ymm0, [rsp]", { 0xc5, 0xfe, 0x6f, 0x04, 0x24 }, 5, GOBIN_PLACE_REFUSED,
	  "VEX" },
	{ "vpxor", { 0xc5, 0xfd, 0xef, 0xc0 }, 4, GOBIN_PLACE_REFUSED, "VEX" },
	{ "vmovd", { 0xc5, 0xf9, 0x6e, 0xc0 }, 4, GOBIN_PLACE_REFUSED, "VEX" },
	{ "vptest", { 0xc4, 0xe2, 0x7d, 0x17, 0xc1 }, 5, GOBIN_PLACE_REFUSED, "VEX" },
	{ "vmovdqu64 zmm0, [rsp]", { 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x04, 0x24 }, 7,
	  GOBIN_PLACE_REFUSED, "EVEX" },
	/* not an instruction */
	{ "push es (invalid)", { 0x06 }, 1, GOBIN_PLACE_NOT_INSN, "decode" },
	/* handled exactly: these must stay */
	{ "nop", { 0x90 }, 1, GOBIN_PLACE_OK, NULL },
	{ "xchg rax, rax", { 0x48, 0x90 }, 2, GOBIN_PLACE_OK, NULL },
	{ "data16 nop", { 0x66, 0x90 }, 2, GOBIN_PLACE_OK, NULL },
	{ "pause", { 0xf3, 0x90 }, 2, GOBIN_PLACE_OK, NULL },
	{ "xchg rax, r9", { 0x49, 0x91 }, 2, GOBIN_PLACE_OK, NULL },
	{ "nopw [rax+rax]", { 0x66, 0x0f, 0x1f, 0x44, 0, 0 }, 6, GOBIN_PLACE_OK, NULL },
	{ "mov rax, fs:[-8]", { 0x64, 0x48, 0x8b, 0x04, 0x25, 0xf8, 0xff, 0xff, 0xff }, 9,
	  GOBIN_PLACE_OK, NULL },
	{ "cmp rsp, [r14+16]", { 0x49, 0x3b, 0x66, 0x10 }, 4, GOBIN_PLACE_OK, NULL },
	{ "jbe", { 0x76, 0x10 }, 2, GOBIN_PLACE_OK, NULL },
	{ "jae rel32", { 0x0f, 0x83, 0, 0, 0, 0 }, 6, GOBIN_PLACE_OK, NULL },
	{ "call", { 0xe8, 0, 0, 0, 0 }, 5, GOBIN_PLACE_OK, NULL },
	{ "ret", { 0xc3 }, 1, GOBIN_PLACE_OK, NULL },
	{ "push r8", { 0x41, 0x50 }, 2, GOBIN_PLACE_OK, NULL },
	{ "push rbp", { 0x55 }, 1, GOBIN_PLACE_OK, NULL },
	{ "popfq", { 0x9d }, 1, GOBIN_PLACE_OK, NULL },
	{ "syscall", { 0x0f, 0x05 }, 2, GOBIN_PLACE_OK, NULL },
	{ "lea rax, [rip]", { 0x48, 0x8d, 0x05, 0, 0, 0, 0 }, 7, GOBIN_PLACE_OK, NULL },
	{ "movups xmm0, [rsp]", { 0x0f, 0x10, 0x04, 0x24 }, 4, GOBIN_PLACE_OK, NULL },
	{ "vmovdqu [rsp], ymm0", { 0xc5, 0xfe, 0x7f, 0x04, 0x24 }, 5, GOBIN_PLACE_OK, NULL },
	{ "vzeroupper", { 0xc5, 0xf8, 0x77 }, 3, GOBIN_PLACE_OK, NULL },
	{ "vmovups zmm0, [rsp]", { 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x04, 0x24 }, 7,
	  GOBIN_PLACE_OK, NULL },
	{ "xchg r8, rcx", { 0x49, 0x87, 0xc8 }, 3, GOBIN_PLACE_OK, NULL },
};

Test(placement, each_class_of_instruction)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gobin_place pl;

		gobin_place_classify(cases[i].bytes, cases[i].len, &pl);
		cr_expect_eq(pl.kind, cases[i].kind, "%s: kind %d, want %d (%s)", cases[i].name,
			     pl.kind, cases[i].kind, pl.why ? pl.why : "ok");
		if (cases[i].kind != GOBIN_PLACE_NOT_INSN)
			cr_expect_eq(pl.len, cases[i].len, "%s: length %u", cases[i].name, pl.len);
		if (cases[i].why)
			cr_expect(pl.why && strstr(pl.why, cases[i].why), "%s: %s", cases[i].name,
				  pl.why ? pl.why : "(none)");
		else
			cr_expect_null(pl.why, "%s: %s", cases[i].name, pl.why);
	}
}

/* Any byte string gives a verdict, never a read past its end. */
Test(placement, short_and_truncated_bytes)
{
	static const uint8_t vex[] = { 0xc5, 0xfe, 0x6f, 0x04, 0x24 };
	struct gobin_place pl;

	for (size_t n = 0; n < sizeof(vex); n++) {
		gobin_place_classify(vex, n, &pl);
		cr_expect_eq(pl.kind, GOBIN_PLACE_NOT_INSN, "%zu bytes", n);
	}
}

#define TOUCH "build/go/touch"

Test(placement, gc_write_barrier_r8_entry_moves_past_the_xchg)
{
	struct gobin *gb = gobin__open(TOUCH);
	struct gobin_func fn;
	struct gobin_place pl;
	uint64_t to;

	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "runtime.gcWriteBarrierR8", &fn), 0);
	cr_assert_eq(gobin__place_check(gb, &fn, fn.addr, &pl), 0);
	cr_assert_eq(pl.kind, GOBIN_PLACE_WRONG, "%s: %d", pl.text, pl.kind);
	cr_assert_str_eq(pl.text, "xchg rax, r8");
	cr_assert_eq(gobin__place_check_insn(gb, &fn, fn.addr, &pl), 0);
	cr_assert_eq(pl.kind, GOBIN_PLACE_WRONG);
	cr_assert_eq(gobin__place_check_insn(gb, &fn, fn.addr + 2, &pl), 0);
	cr_assert_eq(pl.kind, GOBIN_PLACE_OK, "%s", pl.text);
	cr_assert_eq(gobin__place_move(gb, &fn, &to), 0);
	cr_assert_eq(to, fn.addr + 2, "moved to +%#llx", (unsigned long long)(to - fn.addr));
	/* +1 is inside the xchg */
	cr_assert_eq(gobin__place_check(gb, &fn, fn.addr + 1, &pl), 0);
	cr_assert_eq(pl.kind, GOBIN_PLACE_NOT_INSN);
	cr_assert_eq(pl.insn, fn.addr);
	gobin__close(gb);
}

/* Defect 5: runtime.text and runtime.etext, markers of size 0, were taken
 * for functions, and a uretprobe wildcard failed on reading their code. */
Test(placement, uretprobe_wildcard_over_the_runtime_takes_no_markers)
{
	char *diags;
	struct plan *plan = test_compile("uretprobe:" TOUCH ":runtime.* { @ = count(); }", &diags);
	struct gobin *gb = gobin__open(TOUCH);
	struct gobin_func fn;

	cr_assert_not_null(plan, "%s", diags);
	cr_assert_gt(plan->nprobes, 1000);
	for (size_t i = 0; i < plan->nprobes; i++)
		cr_assert(strcmp(plan->probes[i].func, "runtime.text") &&
			  strcmp(plan->probes[i].func, "runtime.etext"));
	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "runtime.text", &fn), -ENOENT);
	cr_assert_eq(gobin__find_func(gb, "runtime.etext", &fn), -ENOENT);
	gobin__close(gb);
	plan__free(plan);
	free(diags);
}
