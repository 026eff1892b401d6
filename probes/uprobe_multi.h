// SPDX-License-Identifier: MIT
/*
 * The uprobe_multi link of Linux 6.6, which libbpf 1.1 and older uapi
 * headers do not know: its attach type and the link_create member of union
 * bpf_attr that carries it. Shared by probes/attach.c and the bench's
 * tests/bench/tools/attach_only.c, which must make the same link.
 */
#ifndef HOTSPAN_RUNTIME_UPROBE_MULTI_H
#define HOTSPAN_RUNTIME_UPROBE_MULTI_H

#include <linux/types.h>

#define HS_BPF_TRACE_UPROBE_MULTI 48

struct hs_link_create_uprobe_multi {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__aligned_u64 path;
	__aligned_u64 offsets;
	__aligned_u64 ref_ctr_offsets;
	__aligned_u64 cookies;
	__u32 cnt;
	__u32 multi_flags;
	__u32 pid;
};

#endif
