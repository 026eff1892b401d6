// SPDX-License-Identifier: MIT
/*
 * The two instructions a hit's cost is measured on are written in assembly
 * so that their kind is certain: a `jz` that the kernel emulates, and an
 * `add` that it single-steps out of line. A uprobe is put on each for this
 * process only (probes/attach.c links them), each is run a known number of
 * times, and the thread's CPU time (CLOCK_THREAD_CPUTIME_ID counts the time
 * the kernel spends handling the thread's traps, and not the time it waits
 * for a core, which on a busy machine is most of the wall time) is compared
 * with the same calls unprobed. Their file offsets come from
 * /proc/self/maps, as for BEGIN and END.
 *
 * Classifying a site follows the kernel's x86 uprobe decoder
 * (arch/x86/kernel/uprobes.c): branch_setup_xol_ops emulates relative
 * jumps, conditional jumps, relative calls and NOPs, push_setup_xol_ops
 * pushes of a register; every other instruction takes the default,
 * single-stepped path.
 */
#include "probes/trapcost.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "gobin/elfsym.h"

__asm__(".text\n"
	".globl hs_trap_emulated\n"
	".hidden hs_trap_emulated\n"
	".type hs_trap_emulated, @function\n"
	"hs_trap_emulated:\n"
	"	test %edi, %edi\n"
	".globl hs_trap_emulated_site\n"
	".hidden hs_trap_emulated_site\n"
	"hs_trap_emulated_site:\n"
	"	jz 1f\n"
	"1:	mov %edi, %eax\n"
	"	ret\n"
	".size hs_trap_emulated, . - hs_trap_emulated\n"
	".globl hs_trap_stepped\n"
	".hidden hs_trap_stepped\n"
	".type hs_trap_stepped, @function\n"
	"hs_trap_stepped:\n"
	"	mov %edi, %eax\n"
	".globl hs_trap_stepped_site\n"
	".hidden hs_trap_stepped_site\n"
	"hs_trap_stepped_site:\n"
	"	add $1, %eax\n"
	"	ret\n"
	".size hs_trap_stepped, . - hs_trap_stepped\n");

int hs_trap_emulated(int x);
int hs_trap_stepped(int x);
extern const char hs_trap_emulated_site[];
extern const char hs_trap_stepped_site[];

enum trap_kind trapcost_classify(const uint8_t *code, size_t len)
{
	size_t i = 0;
	bool rex = false;

	while (i < len && (code[i] == 0x66 || code[i] == 0xf2 || code[i] == 0xf3))
		i++;
	if (i < len && (code[i] & 0xf0) == 0x40) {
		rex = true;
		i++;
	}
	if (i >= len)
		return TRAP_STEPPED;
	if ((code[i] >= 0x70 && code[i] <= 0x7f) || code[i] == 0xe8 || code[i] == 0xe9 ||
	    code[i] == 0xeb || code[i] == 0x90)
		return TRAP_EMULATED;
	if (code[i] >= 0x50 && code[i] <= 0x57 && (!rex || code[i - 1] == 0x41))
		return TRAP_EMULATED;
	if (code[i] == 0x0f && i + 1 < len &&
	    ((code[i + 1] >= 0x80 && code[i + 1] <= 0x8f) || code[i + 1] == 0x1f))
		return TRAP_EMULATED;
	return TRAP_STEPPED;
}

struct self_site {
	uintptr_t addr;
	char *path;
	size_t size;
	uint64_t off;
};

static int holds_addr(const struct procmap *m, void *ctx)
{
	struct self_site *c = ctx;

	if (c->addr < m->start || c->addr >= m->end || m->path[0] != '/')
		return 0;
	snprintf(c->path, c->size, "%s", m->path);
	c->off = c->addr - m->start + m->pgoff;
	return 1;
}

int trapcost_self_sites(char *path, size_t size, uint64_t off[TRAP_KINDS])
{
	const char *const at[TRAP_KINDS] = { hs_trap_emulated_site, hs_trap_stepped_site };

	for (int k = 0; k < TRAP_KINDS; k++) {
		struct self_site c = { .addr = (uintptr_t)at[k], .path = path, .size = size };
		int r = procmaps_each(0, holds_addr, &c);

		if (r <= 0)
			return r < 0 ? r : -ENOENT;
		off[k] = c.off;
	}
	return 0;
}

static double thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double trapcost_run(enum trap_kind kind, unsigned calls)
{
	/* volatile: the calls are made, each one */
	int (*volatile fn)(int) = kind == TRAP_EMULATED ? hs_trap_emulated : hs_trap_stepped;
	double t0 = thread_ns();
	int sink = 0;

	for (unsigned i = 0; i < calls; i++)
		sink += fn((int)i);
	__asm__ volatile("" : : "r"(sink));
	return calls ? (thread_ns() - t0) / calls : 0;
}
