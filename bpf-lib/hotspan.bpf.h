// SPDX-License-Identifier: MIT
/*
 * What the BPF side and user space agree on: the byte offsets of x86-64
 * registers in the kernel's struct pt_regs, Go's amd64 register ABI for
 * arguments, and the records sent through the events ring buffer. Included by
 * the BPF library (compiled with clang -target bpf), the compiler and the
 * runtime, so it uses only fixed-size types.
 */
#ifndef HOTSPAN_BPF_H
#define HOTSPAN_BPF_H

/*
 * The one register table: byte offsets of the x86-64 registers in the
 * kernel's struct pt_regs (arch/x86/include/asm/ptrace.h), which a uprobe's
 * program reads. gobin/regs.c names them; HS_REG_NONE is no register (a
 * constant, or unknown).
 */
enum hs_pt_regs_off {
	HS_REG_NONE = -1,
	HS_REG_R15 = 0,
	HS_REG_R14 = 8,
	HS_REG_R13 = 16,
	HS_REG_R12 = 24,
	HS_REG_BP = 32,
	HS_REG_BX = 40,
	HS_REG_R11 = 48,
	HS_REG_R10 = 56,
	HS_REG_R9 = 64,
	HS_REG_R8 = 72,
	HS_REG_AX = 80,
	HS_REG_CX = 88,
	HS_REG_DX = 96,
	HS_REG_SI = 104,
	HS_REG_DI = 112,
	HS_REG_ORIG_AX = 120,
	HS_REG_IP = 128,
	HS_REG_CS = 136,
	HS_REG_FLAGS = 144,
	HS_REG_SP = 152,
	HS_REG_SS = 160,
};

/* x86 eflags bits, as found in pt_regs->flags. */
#define HS_FLAG_CF 0x0001ULL
#define HS_FLAG_PF 0x0004ULL
#define HS_FLAG_ZF 0x0040ULL
#define HS_FLAG_SF 0x0080ULL
#define HS_FLAG_OF 0x0800ULL

/* Go's internal register ABI on amd64 passes integer arguments in
 * RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11 (arg0 .. arg8). */
#define HS_GO_ARG_REGS 9
#define HS_GO_ARG_OFFSETS \
	{ HS_REG_AX, HS_REG_BX, HS_REG_CX, HS_REG_DI, HS_REG_SI, \
	  HS_REG_R8, HS_REG_R9, HS_REG_R10, HS_REG_R11 }

/* Kinds of records in the events ring buffer. */
enum hs_event_kind {
	HS_EVENT_EXIT = 1,	/* exit() was called */
	HS_EVENT_HEAT = 2,	/* one access for a heat map: struct hs_heat_record */
	HS_EVENT_PRINTF = 3,	/* printf(): struct hs_printf_record */
	HS_EVENT_PRINT = 4,	/* print(@m [, top [, div]]): struct hs_map_record */
	HS_EVENT_CLEAR = 5,	/* clear(@m): struct hs_map_record */
	HS_EVENT_ZERO = 6,	/* zero(@m): struct hs_map_record */
};

/* Every record starts with this header. */
struct hs_event_hdr {
	unsigned int kind;	/* enum hs_event_kind */
	unsigned int probe;	/* index of the probe that sent it */
};

/* heat(index) and heat(row, col): one access. 1-D maps leave row 0. */
struct hs_heat_record {
	struct hs_event_hdr hdr;
	unsigned int map;	/* index of the map in the plan */
	unsigned int pad;
	unsigned long long ts_ns;	/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	long long row;
	long long col;
};

/* printf(): plan->printfs[id] says how to read `args`. */
struct hs_printf_record {
	struct hs_event_hdr hdr;
	unsigned int id;
	unsigned int pad;
	unsigned char args[];
};

/* print, clear and zero act on a map in user space, in ring buffer order,
 * as bpftrace's do. top and div are print()'s optional arguments, 0 if absent. */
struct hs_map_record {
	struct hs_event_hdr hdr;
	unsigned int map;	/* index of the map in the plan */
	unsigned int pad;
	unsigned long long top;
	unsigned long long div;
};

/* avg() and stats(): this CPU's total and number of values. */
struct hs_avg {
	long long sum;
	unsigned long long count;
};

/* min() and max(): this CPU's extreme, valid when `set` is 1. */
struct hs_minmax {
	long long value;
	unsigned long long set;
};

/* hist(): slot 0 holds negative values, slot 1 zero, slot k + 2 the values
 * in [2^k, 2^(k+1)). */
#define HS_HIST_SLOTS 66

/* ustack as a key: the id in the stack map of a process's user stack. At a
 * function's entry the frame pointer still is the caller's, so the kernel's
 * walk skips the immediate caller; `entry_ret` is then the return address
 * read at the stack pointer, to be printed as the second frame. */
struct hs_stack_key {
	long long stack_id;	/* negative when the walk failed */
	unsigned long long pid;
	unsigned long long entry_ret;	/* 0 unless the probe sits at a function's entry */
};

/* The longest string value, NUL included: literals, keys, printf arguments. */
#define HS_STR_MAX 256

/* Frames kept of a user stack, as bpftrace keeps. */
#define HS_STACK_DEPTH 127

#endif
