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
 * kernel, hence the definitions of probes/uprobe_multi.h.
 *
 * Whether links are usable is asked once: the kernel must be 6.12 or later
 * (before 6.11 a link's pid filter matched the one thread of that id, not
 * the process, and would miss a Go program's other threads), and it must
 * answer a link on "/" with EBADF (a directory is no file to probe), which
 * is what a kernel that knows the link type says; one that does not says
 * EINVAL, and one without uprobes EOPNOTSUPP. Otherwise every uprobe is a
 * perf-event one, as before. HOTSPAN_UPROBE_MULTI=0 forces that too.
 */
#include "probes/attach.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "probes/provider.h"
#include "probes/uprobe_multi.h"

int attach_uprobe_multi_fd(int prog_fd, const char *path, const uint64_t *offsets,
			   const uint64_t *cookies, size_t n, pid_t pid)
{
	struct hs_link_create_uprobe_multi attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = prog_fd;
	attr.attach_type = HS_BPF_TRACE_UPROBE_MULTI;
	attr.path = (uintptr_t)path;
	attr.offsets = (uintptr_t)offsets;
	attr.cookies = (uintptr_t)cookies;
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
	link = attach_uprobe_multi_fd(prog, "/", &offset, NULL, 1, -1);
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

/* Probes of these providers take uprobes at a file offset. */
static bool takes_uprobe(const struct plan_probe *p)
{
	const struct provider *ops = provider_of(p->kind);

	return ops && ops->uprobe;
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
	return attach_uprobe_multi_fd(prog_fd, path, offsets, NULL, n, pid);
}

/*
 * Starting early. The kernel makes the first uprobe registration of a
 * process wait for an RCU grace period (uprobe registration takes
 * dup_mmap_sem for writing, and a percpu rwsem's writer waits a grace period
 * when none passed just before): 4 to 16 ms here, longer than compiling a
 * one-liner. So the links are made while the script compiles, in a thread
 * of their own, to one small program (the stub) that tail-calls slot
 * `cookie` of a program array; each probe's link carries its index as the
 * cookie. Until attach_set__fill puts a probe's program in its slot, the
 * tail call finds nothing and a hit does nothing; the session says "attached"
 * only after that. A tail call keeps the context (pt_regs), so the compiled
 * program runs as if attached itself; the kernel counts its run time and
 * runs in the stub's statistics.
 */
struct attach_link {
	struct bpf_link *link;	/* libbpf's, or NULL */
	int fd;			/* a link made here, or -1 */
};

/* What the thread needs of a started probe: its own copies, since the plan
 * changes while code is generated. */
struct attach_early {
	bool started;
	char *path;
	uint64_t offset;
	pid_t pid;
	int err;		/* the thread's result: 0 or -errno */
};

struct attach_set {
	struct attach_link *links;	/* link i is plan probe i's */
	size_t n;
	struct attach_early *early;	/* by probe, while or after starting */
	int progs_fd;		/* BPF_MAP_TYPE_PROG_ARRAY: slot i, probe i's program */
	int stub_fd;
	pthread_t thread;
	bool threaded;
};

struct attach_set *attach_set__new(size_t n)
{
	struct attach_set *as = calloc(1, sizeof(*as));

	if (!as)
		return NULL;
	as->links = calloc(n ? n : 1, sizeof(*as->links));
	if (!as->links) {
		free(as);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		as->links[i].fd = -1;
	as->n = n;
	as->progs_fd = as->stub_fd = -1;
	return as;
}

static void join(struct attach_set *as)
{
	if (as->threaded)
		pthread_join(as->thread, NULL);
	as->threaded = false;
}

void attach_set__free(struct attach_set *as)
{
	if (!as)
		return;
	join(as);
	attach_set__clear(as);
	for (size_t i = 0; as->early && i < as->n; i++)
		free(as->early[i].path);
	free(as->early);
	if (as->stub_fd >= 0)
		close(as->stub_fd);
	if (as->progs_fd >= 0)
		close(as->progs_fd);
	free(as->links);
	free(as);
}

/* The pid a probe's uprobe is for: hotspan's own for BEGIN and END. */
static pid_t probe_pid(const struct plan_probe *p, pid_t pid)
{
	return p->own_process ? getpid() : pid;
}

/* The stub: r0 = tail_call(ctx, progs, get_attach_cookie(ctx)); return 0. */
static int load_stub(int progs_fd)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_6, .src_reg = BPF_REG_1 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_attach_cookie },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_3, .src_reg = BPF_REG_0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_6 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_2,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = progs_fd },
		{ 0 },	/* the upper half of the 64-bit immediate */
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_tail_call },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI);
	int fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "hs_stub", "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), &opts);

	return fd < 0 ? -errno : fd;
}

static void *start_thread(void *arg)
{
	struct attach_set *as = arg;

	for (size_t i = 0; i < as->n; i++) {
		struct attach_early *e = &as->early[i];
		uint64_t cookie = i;
		int fd;

		if (!e->started)
			continue;
		fd = attach_uprobe_multi_fd(as->stub_fd, e->path, &e->offset, &cookie, 1, e->pid);
		if (fd < 0)
			e->err = fd;
		else
			as->links[i].fd = fd;
	}
	return NULL;
}

int attach_set__start(struct attach_set *as, const struct plan *plan, pid_t pid)
{
	size_t n = 0;
	int err = 0;

	if (!attach_uprobe_multi_usable() || as->early)
		return 0;
	as->early = calloc(as->n ? as->n : 1, sizeof(*as->early));
	if (!as->early)
		return -ENOMEM;
	for (size_t i = 0; i < as->n && i < plan->nprobes; i++) {
		const struct plan_probe *p = &plan->probes[i];
		struct attach_early *e = &as->early[i];

		if (!takes_uprobe(p))
			continue;
		e->path = strdup(p->path);
		e->offset = p->file_offset;
		e->pid = probe_pid(p, pid);
		e->started = true;
		n++;
		if (!e->path) {
			err = -ENOMEM;
			break;
		}
	}
	if (!n)
		return 0;
	if (!err) {
		as->progs_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "hs_progs",
					      sizeof(uint32_t), sizeof(uint32_t), as->n, NULL);
		err = as->progs_fd < 0 ? -errno : 0;
	}
	if (!err) {
		as->stub_fd = load_stub(as->progs_fd);
		err = as->stub_fd < 0 ? as->stub_fd : 0;
	}
	if (!err)
		err = -pthread_create(&as->thread, NULL, start_thread, as);
	if (err) {
		/* Nothing started: every probe is attached once it is loaded. */
		for (size_t i = 0; i < as->n; i++)
			as->early[i].started = false;
		return err;
	}
	as->threaded = true;
	return 0;
}

bool attach_set__started(const struct attach_set *as, size_t i)
{
	return as->early && i < as->n && as->early[i].started;
}

int attach_set__fill(struct attach_set *as, const struct plan *plan, struct bpf_object *obj,
		     size_t *failed)
{
	int err = 0;

	for (size_t i = 0; i < as->n && i < plan->nprobes; i++) {
		struct bpf_program *prog;
		uint32_t key = i;
		int fd;

		if (!attach_set__started(as, i))
			continue;
		prog = bpf_object__find_program_by_name(obj, plan->probes[i].prog);
		fd = prog ? bpf_program__fd(prog) : -ENOENT;
		if (fd < 0 || bpf_map_update_elem(as->progs_fd, &key, &fd, BPF_ANY)) {
			err = fd < 0 ? fd : -errno;
			*failed = i;
			break;
		}
	}
	join(as);
	for (size_t i = 0; !err && as->early && i < as->n; i++) {
		if (as->early[i].err) {
			err = as->early[i].err;
			*failed = i;
		}
	}
	return err;
}

int attach_set__add(struct attach_set *as, size_t i, const struct plan_probe *p,
		    struct bpf_program *prog, pid_t pid)
{
	struct attach_link *l;

	if (i >= as->n)
		return -ENOSPC;
	l = &as->links[i];
	if (l->link || l->fd >= 0)
		return -EEXIST;
	pid = probe_pid(p, pid);
	if (takes_uprobe(p) &&
	    bpf_program__expected_attach_type(prog) == HS_BPF_TRACE_UPROBE_MULTI) {
		l->fd = attach_uprobe_multi(prog, p->path, &p->file_offset, 1, pid);
		if (l->fd < 0) {
			int err = l->fd;

			l->fd = -1;
			return err;
		}
	} else {
		l->link = provider_of(p->kind)->attach(p, prog, pid);
		if (!l->link)
			return errno ? -errno : -EINVAL;
	}
	return 0;
}

size_t attach_set__count(const struct attach_set *as)
{
	size_t n = 0;

	for (size_t i = 0; as && i < as->n; i++)
		n += as->links[i].link || as->links[i].fd >= 0;
	return n;
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
	for (size_t i = 0; as && i < as->n; i++)
		attach_set__detach(as, i);
}
