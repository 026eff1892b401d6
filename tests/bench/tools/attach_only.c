// SPDX-License-Identifier: MIT
/*
 * attach_only PATH OFFSET PID: the least a tool can do to trace a uprobe,
 * for bench_vs_bpftrace's start-up floor. It loads a two-instruction BPF
 * program, links it with one uprobe_multi link at OFFSET of PATH for PID,
 * says "attach_only: attached" on stderr, and waits to be killed. It uses
 * the bpf syscall directly and links nothing but libc, so exec costs it as
 * little as a program can; what is left is the kernel's attach, which
 * waits for an RCU grace period. No tool that parses and compiles a script
 * can start faster than this on the same machine.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "probes/uprobe_multi.h"

int main(int argc, char **argv)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct hs_link_create_uprobe_multi l;
	union bpf_attr a;
	uint64_t offset;
	int prog, link;

	if (argc != 4) {
		fprintf(stderr, "usage: attach_only PATH OFFSET PID\n");
		return 2;
	}
	offset = strtoull(argv[2], NULL, 0);
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_KPROBE;
	a.expected_attach_type = HS_BPF_TRACE_UPROBE_MULTI;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	prog = syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0) {
		fprintf(stderr, "attach_only: cannot load: %s\n", strerror(errno));
		return 1;
	}
	memset(&l, 0, sizeof(l));
	l.prog_fd = prog;
	l.attach_type = HS_BPF_TRACE_UPROBE_MULTI;
	l.path = (uintptr_t)argv[1];
	l.offsets = (uintptr_t)&offset;
	l.cnt = 1;
	l.pid = atoi(argv[3]);
	link = syscall(__NR_bpf, BPF_LINK_CREATE, &l, sizeof(l));
	if (link < 0) {
		fprintf(stderr, "attach_only: cannot attach: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "attach_only: attached\n");
	pause();
	return 0;
}
