// SPDX-License-Identifier: MIT
/*
 * Register names. The registers themselves are their byte offsets in the
 * kernel's struct pt_regs (HS_REG_* of bpf-lib/hotspan.bpf.h); this table
 * gives each its name as bpftrace's reg() spells it ("ax") and as x86
 * assembly does ("rax"), and accepts every narrower spelling Capstone or a
 * user may write ("eax", "al", "r8d", "%rip") for the same register.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gobin/gobin.h"

static const struct {
	const char *name;	/* pt_regs, as bpftrace's reg() names it */
	const char *x86;	/* the 64-bit register in assembly */
	int off;
} regs[] = {
	/* In the order hints prefer them. */
	{ "ax", "rax", HS_REG_AX },	{ "bx", "rbx", HS_REG_BX },
	{ "cx", "rcx", HS_REG_CX },	{ "dx", "rdx", HS_REG_DX },
	{ "si", "rsi", HS_REG_SI },	{ "di", "rdi", HS_REG_DI },
	{ "bp", "rbp", HS_REG_BP },	{ "sp", "rsp", HS_REG_SP },
	{ "r8", "r8", HS_REG_R8 },	{ "r9", "r9", HS_REG_R9 },
	{ "r10", "r10", HS_REG_R10 },	{ "r11", "r11", HS_REG_R11 },
	{ "r12", "r12", HS_REG_R12 },	{ "r13", "r13", HS_REG_R13 },
	{ "r14", "r14", HS_REG_R14 },	{ "r15", "r15", HS_REG_R15 },
	{ "ip", "rip", HS_REG_IP },	{ "flags", "eflags", HS_REG_FLAGS },
	{ "orig_ax", "orig_rax", HS_REG_ORIG_AX },
	{ "cs", "cs", HS_REG_CS },	{ "ss", "ss", HS_REG_SS },
};
#define NREGS (sizeof(regs) / sizeof(regs[0]))

/* Go's amd64 register ABI: integer arguments in this order. */
static const int arg_regs[HS_GO_ARG_REGS] = HS_GO_ARG_OFFSETS;

int gobin_reg_offset(const char *name)
{
	char buf[16];
	size_t n;

	if (!name)
		return HS_REG_NONE;
	if (*name == '%')
		name++;
	n = strlen(name);
	if (n == 0 || n >= sizeof(buf))
		return HS_REG_NONE;
	for (size_t i = 0; i <= n; i++)
		buf[i] = tolower((unsigned char)name[i]);
	if (!strcmp(buf, "rflags"))
		return HS_REG_FLAGS;
	if (!strcmp(buf, "pc"))
		return HS_REG_IP;
	/* r8d, r8w, r8b: the same register. */
	if (buf[0] == 'r' && isdigit((unsigned char)buf[1]) &&
	    (buf[n - 1] == 'd' || buf[n - 1] == 'w' || buf[n - 1] == 'b'))
		buf[n - 1] = '\0';
	/* eax, al, ah, ... to ax. */
	if (buf[0] != 'r') {
		static const char *const narrow[][4] = {
			{ "ax", "eax", "al", "ah" }, { "bx", "ebx", "bl", "bh" },
			{ "cx", "ecx", "cl", "ch" }, { "dx", "edx", "dl", "dh" },
			{ "si", "esi", "sil", NULL }, { "di", "edi", "dil", NULL },
			{ "bp", "ebp", "bpl", NULL }, { "sp", "esp", "spl", NULL },
		};
		for (size_t i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++)
			for (size_t j = 1; j < 4; j++)
				if (narrow[i][j] && !strcmp(buf, narrow[i][j]))
					snprintf(buf, sizeof(buf), "%s", narrow[i][0]);
	}
	for (size_t i = 0; i < NREGS; i++)
		if (!strcmp(buf, regs[i].name) || !strcmp(buf, regs[i].x86))
			return regs[i].off;
	return HS_REG_NONE;
}

const char *gobin_reg_name(int offset)
{
	for (size_t i = 0; i < NREGS; i++)
		if (regs[i].off == offset)
			return regs[i].x86;
	return NULL;
}

size_t gobin_reg_names(const char **names, size_t max)
{
	for (size_t i = 0; i < NREGS && i < max; i++)
		names[i] = regs[i].name;
	return NREGS;
}

int gobin_reg_arg(int n)
{
	if (n < 0 || n >= HS_GO_ARG_REGS)
		return HS_REG_NONE;
	return arg_regs[n];
}
