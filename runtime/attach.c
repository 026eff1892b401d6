// SPDX-License-Identifier: MIT
/*
 * Putting a session's programs into the kernel.
 *
 * A perf-event uprobe (what libbpf 1.1 makes) costs a fresh process 15 to
 * 40 ms to open for one pid on this machine's Linux 6.18, most of it waiting
 * for RCU grace periods inside uprobe registration: the uprobe is registered
 * for every process, then applied again for the pid's filter. A
 * uprobe_multi link (BPF_LINK_CREATE with BPF_TRACE_UPROBE_MULTI, Linux 6.6)
 * carries its pid filter from the start and needs no perf event: 8 to 18 ms,
 * and detaching is four times faster (docs/benchmarks.md). libbpf 1.1 knows
 * neither the attach type nor the link, so the program is marked for it
 * before loading (the kernel ties a program to one way of attaching) and the
 * link is made with the bpf syscall; the uapi header may be older than the
 * kernel, hence the local definitions below.
 *
 * Whether links are usable is asked once: the kernel must be 6.12 or later
 * (before 6.11 a link's pid filter matched the one thread of that id, not
 * the process, and would miss a Go program's other threads), and it must
 * answer a link on "/" with EBADF (a directory is no file to probe), which
 * is what a kernel that knows the link type says; one that does not says
 * EINVAL, and one without uprobes EOPNOTSUPP. Otherwise every uprobe is a
 * perf-event one, as before. HOTSPAN_UPROBE_MULTI=0 forces that too.
 */
#include "runtime/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "runtime/provider.h"

/* From Linux 6.6's uapi <linux/bpf.h>. */
#define HS_BPF_TRACE_UPROBE_MULTI 48

/* union bpf_attr's link_create with its uprobe_multi member. */
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

int attach_uprobe_multi_fd(int prog_fd, const char *path, const uint64_t *offsets, size_t n,
			   pid_t pid)
{
	struct hs_link_create_uprobe_multi attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = prog_fd;
	attr.attach_type = HS_BPF_TRACE_UPROBE_MULTI;
	attr.path = (uintptr_t)path;
	attr.offsets = (uintptr_t)offsets;
	attr.cnt = n;
	attr.pid = pid > 0 ? pid : 0;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

static bool probe_uprobe_multi(void)
{
	/* r0 = 0; exit */
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI);
	uint64_t offset = 0;
	int prog, link;

	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, NULL, "GPL", insns, 2, &opts);
	if (prog < 0)
		return false;
	link = attach_uprobe_multi_fd(prog, "/", &offset, 1, -1);
	if (link >= 0)
		close(link);
	close(prog);
	return link == -EBADF;
}

bool attach_uprobe_multi_usable(void)
{
	static int usable = -1;
	const char *env = getenv("HOTSPAN_UPROBE_MULTI");

	if (usable < 0)
		usable = !(env && !strcmp(env, "0")) && kernel_at_least(6, 12) &&
			 probe_uprobe_multi();
	return usable;
}

/* Probes of these providers take uprobes: their attach is provider_attach_uprobe. */
static bool takes_uprobe(const struct plan_probe *p)
{
	const struct provider *ops = provider_of(p->kind);

	return ops && ops->attach == provider_attach_uprobe;
}

int attach_prepare(struct bpf_object *obj, const struct plan *plan)
{
	if (!attach_uprobe_multi_usable())
		return 0;
	for (size_t i = 0; i < plan->nprobes; i++) {
		const struct plan_probe *p = &plan->probes[i];
		struct bpf_program *prog;
		int err;

		if (!takes_uprobe(p))
			continue;
		prog = bpf_object__find_program_by_name(obj, p->prog);
		if (!prog)
			continue;	/* attaching says so */
		err = bpf_program__set_expected_attach_type(
			prog, (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI);
		if (err)
			return err;
	}
	return 0;
}

int attach_uprobe_multi(const struct bpf_program *prog, const char *path,
			const uint64_t *offsets, size_t n, pid_t pid)
{
	int prog_fd = bpf_program__fd(prog);

	if (prog_fd < 0)
		return -EINVAL;
	return attach_uprobe_multi_fd(prog_fd, path, offsets, n, pid);
}

struct attach_link {
	struct bpf_link *link;	/* libbpf's, or NULL */
	int fd;			/* a link made here, or -1 */
};

struct attach_set {
	struct attach_link *links;
	size_t n, max;
};

struct attach_set *attach_set_new(size_t max)
{
	struct attach_set *as = calloc(1, sizeof(*as));

	if (!as)
		return NULL;
	as->links = calloc(max ? max : 1, sizeof(*as->links));
	if (!as->links) {
		free(as);
		errno = ENOMEM;
		return NULL;
	}
	as->max = max;
	return as;
}

void attach_set_free(struct attach_set *as)
{
	if (!as)
		return;
	attach_set__clear(as);
	free(as->links);
	free(as);
}

int attach_set__add(struct attach_set *as, const struct plan_probe *p, struct bpf_program *prog,
		    pid_t pid)
{
	struct attach_link *l;

	if (as->n == as->max)
		return -ENOSPC;
	l = &as->links[as->n];
	l->link = NULL;
	l->fd = -1;
	if (takes_uprobe(p) &&
	    bpf_program__expected_attach_type(prog) == HS_BPF_TRACE_UPROBE_MULTI) {
		l->fd = attach_uprobe_multi(prog, p->path, &p->file_offset, 1, pid);
		if (l->fd < 0)
			return l->fd;
	} else {
		l->link = provider_of(p->kind)->attach(p, prog, pid);
		if (!l->link)
			return errno ? -errno : -EINVAL;
	}
	as->n++;
	return 0;
}

size_t attach_set__count(const struct attach_set *as)
{
	return as ? as->n : 0;
}

void attach_set__detach(struct attach_set *as, size_t i)
{
	struct attach_link *l;

	if (!as || i >= as->n)
		return;
	l = &as->links[i];
	bpf_link__destroy(l->link);
	if (l->fd >= 0)
		close(l->fd);
	l->link = NULL;
	l->fd = -1;
}

void attach_set__clear(struct attach_set *as)
{
	for (size_t i = 0; i < attach_set__count(as); i++)
		attach_set__detach(as, i);
	if (as)
		as->n = 0;
}
