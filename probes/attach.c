// SPDX-License-Identifier: MIT
/*
 * Putting a session's programs into the kernel.
 *
 * Groups. Every probe that takes a uprobe is a site of its group, one group
 * per binary and process (BEGIN and END are sites in hotspan itself), and a
 * group is one uprobe_multi link (BPF_LINK_CREATE with
 * BPF_TRACE_UPROBE_MULTI, Linux 6.6) with an offset and a cookie per site.
 * Registering a uprobe takes the kernel's dup_mmap_sem for writing, which
 * waits for an RCU grace period unless another writer passed a moment
 * before, and removing a link waits for an SRCU grace period once for all
 * its uprobes: so a group of 500 sites attaches and detaches in about the
 * time of one, where 500 links took 20 to 80 ms each to close, one after
 * another (docs/benchmarks.md).
 *
 * Early start. The links are made while the script compiles, in a thread:
 * every group is linked to a dispatcher (probes/dispatch.c), which counts
 * the site's hit and tail-calls the site's slot of a program array;
 * attach_set__fill puts the compiled programs into their slots once loaded.
 * The dispatcher tells sites apart without a helper call where it can (by
 * address, in a position-dependent binary), so once the slots are filled
 * an event costs about what the program linked directly would.
 *
 * Once the programs are in their slots (so that it never delays the
 * start), the thread measures what a hit costs this machine
 * (probes/trapcost.c), on a link of its own in this process; the first
 * bytes of every site, read before linking, say which cost applies to it.
 *
 * Kernels. Links need Linux 6.12 or later (before 6.11 a link's pid filter
 * matched the one thread of that id, not the process, and would miss a Go
 * program's other threads), and a kernel that answers a link on "/" with
 * EBADF (a directory is no file to probe), as one that knows the link type
 * does; one that does not says EINVAL, one without uprobes EOPNOTSUPP.
 * Otherwise, or with HOTSPAN_UPROBE_MULTI=0, each site is a perf-event
 * uprobe linked to the dispatcher with the site's cookie (slower to attach
 * and much slower to detach, a site at a time). libbpf 1.1 knows neither
 * the attach type nor the link, so programs are marked for it before
 * loading (the kernel ties a program to one way of attaching) and the link
 * is made with the bpf syscall; the uapi header may be older than the
 * kernel, hence probes/uprobe_multi.h.
 */
#include "probes/attach.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "probes/dispatch.h"
#include "probes/provider.h"
#include "probes/uprobe_multi.h"

#define TRAP_CALLS 64		/* calls of each kind a round of the measure */
#define TRAP_ROUNDS 3

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

/* r0 = 0; exit: for probing the kernel and for measuring a hit. */
static int load_nop(bool multi)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	int fd;

	if (multi)
		opts.expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI;
	fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "hs_nop", "GPL", insns, 2, &opts);
	return fd < 0 ? -errno : fd;
}

static bool probe_uprobe_multi(void)
{
	uint64_t offset = 0;
	int prog = load_nop(true), link;

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

/* The kernel's perf event type for uprobes, or -errno. */
static int uprobe_pmu_type(void)
{
	static int type = -ENOENT;
	FILE *f;

	if (type >= 0)
		return type;
	f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = -EINVAL;
		fclose(f);
	}
	return type;
}

/*
 * A perf-event uprobe at off of path with prog_fd on it and cookie for
 * bpf_get_attach_cookie, as libbpf opens it (for every process, on CPU 0:
 * a uprobe fires on any CPU). 0 with *pfd and *lfd, or -errno.
 */
static int perf_uprobe(int prog_fd, const char *path, uint64_t off, uint64_t cookie, pid_t pid,
		       int *pfd, int *lfd)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .perf_event.bpf_cookie = cookie);
	struct perf_event_attr attr;
	int type = uprobe_pmu_type();

	if (type < 0)
		return type;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (uintptr_t)path;
	attr.config2 = off;
	*pfd = syscall(__NR_perf_event_open, &attr, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, -1,
		       PERF_FLAG_FD_CLOEXEC);
	if (*pfd < 0)
		return -errno;
	*lfd = bpf_link_create(prog_fd, *pfd, BPF_PERF_EVENT, &lo);
	if (*lfd < 0) {
		int err = -errno;

		close(*pfd);
		*pfd = -1;
		return err;
	}
	return 0;
}

enum attach_mode {
	MODE_MULTI,	/* a uprobe_multi link a group, to a dispatcher */
	MODE_PERF,	/* a perf-event uprobe a site, to a dispatcher */
	MODE_DIRECT,	/* each program linked itself once loaded, not counted */
};

/* The sites of one binary in one process, linked together. */
struct attach_group {
	char *path;
	pid_t pid;		/* -1: every process */
	bool own;		/* hotspan's own process: BEGIN, END */
	bool by_ip;		/* position-dependent: the dispatcher knows sites by address */
	size_t n;
	uint64_t *offsets;
	uint64_t *cookies;	/* each site's plan probe */
	uint64_t *vaddrs;	/* by_ip: each site's link-time address */
	int prog_fd;		/* its dispatcher (borrowed) */
	int link_fd;		/* MODE_MULTI, or -1 */
	int *perf_fds;		/* MODE_PERF: an event and its link a site, -1 when not */
	int *perf_links;
	bool linked;
};

/* A probe attached on its own: not a uprobe, or MODE_DIRECT. */
struct attach_link {
	struct bpf_link *link;	/* libbpf's, or NULL */
	int fd;			/* a link made here, or -1 */
	bool uprobe;		/* MODE_DIRECT's uprobes */
	bool traced;		/* ... in a traced process, not this one */
};

struct attach_set {
	enum attach_mode mode;
	size_t n;			/* plan probes */
	struct attach_link *links;	/* by plan probe */
	int *group_of;			/* by plan probe: its group, or -1 */
	uint8_t *kind;			/* by plan probe: enum trap_kind of its site */
	struct attach_group *groups;
	size_t ngroups;
	int progs_fd;		/* BPF_MAP_TYPE_PROG_ARRAY: slot i, probe i's program */
	int hits_fd;		/* per-CPU u64 by plan probe */
	int cookie_fd;		/* the dispatcher of groups not by_ip */
	int ncpus;

	pthread_t thread;
	bool threaded;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool linked;		/* the thread is done linking */
	bool filled;		/* the programs are in their slots */
	bool measured;		/* ... and the thread is done measuring */
	bool cancel;		/* stop measuring: the set goes away */
	int start_err;		/* what linking failed with, and where */
	size_t start_failed;
	double link_ms;
	bool trap_ok;
	double trap_ns[TRAP_KINDS];
};

static void group_free(struct attach_group *g)
{
	free(g->path);
	free(g->offsets);
	free(g->cookies);
	free(g->vaddrs);
	free(g->perf_fds);
	free(g->perf_links);
}

/* The pid a probe's uprobe is for: hotspan's own for BEGIN and END. */
static pid_t probe_pid(const struct plan_probe *p, pid_t pid)
{
	return p->own_process ? getpid() : pid;
}

static int group_add(struct attach_set *as, const struct plan_probe *p, size_t i, pid_t pid)
{
	struct attach_group *g = NULL;
	size_t gi;

	pid = probe_pid(p, pid);
	for (gi = 0; gi < as->ngroups; gi++) {
		if (as->groups[gi].pid == pid && !strcmp(as->groups[gi].path, p->path)) {
			g = &as->groups[gi];
			break;
		}
	}
	if (!g) {
		/* at most one group a probe: room was made for n */
		g = &as->groups[as->ngroups++];
		g->path = strdup(p->path);
		g->pid = pid;
		g->own = p->own_process;
		g->link_fd = g->prog_fd = -1;
		g->offsets = calloc(as->n, sizeof(*g->offsets));
		g->cookies = calloc(as->n, sizeof(*g->cookies));
		if (!g->path || !g->offsets || !g->cookies)
			return -ENOMEM;
	}
	g->offsets[g->n] = p->file_offset;
	g->cookies[g->n] = i;
	g->n++;
	as->group_of[i] = (int)gi;
	return 0;
}

static enum attach_mode mode_asked(void)
{
	const char *env = getenv("HOTSPAN_EARLY_ATTACH");

	if (env && !strcmp(env, "0"))
		return MODE_DIRECT;
	return attach_uprobe_multi_usable() ? MODE_MULTI : MODE_PERF;
}

struct attach_set *attach_set__new(const struct plan *plan, pid_t pid)
{
	struct attach_set *as = calloc(1, sizeof(*as));
	size_t n = plan->nprobes;

	if (!as)
		return NULL;
	as->mode = mode_asked();
	as->n = n;
	as->progs_fd = as->hits_fd = as->cookie_fd = -1;
	pthread_mutex_init(&as->lock, NULL);
	pthread_cond_init(&as->cond, NULL);
	as->links = calloc(n ? n : 1, sizeof(*as->links));
	as->group_of = calloc(n ? n : 1, sizeof(*as->group_of));
	as->kind = calloc(n ? n : 1, sizeof(*as->kind));
	as->groups = calloc(n ? n : 1, sizeof(*as->groups));
	if (!as->links || !as->group_of || !as->kind || !as->groups)
		goto err;
	for (size_t i = 0; i < n; i++) {
		const struct plan_probe *p = &plan->probes[i];

		as->links[i].fd = -1;
		as->group_of[i] = -1;
		as->kind[i] = TRAP_STEPPED;
		if (as->mode != MODE_DIRECT && takes_uprobe(p) && group_add(as, p, i, pid))
			goto err;
	}
	return as;
err:
	attach_set__free(as);
	errno = ENOMEM;
	return NULL;
}

static void wait_for(struct attach_set *as, bool *flag)
{
	if (!as->threaded)
		return;
	pthread_mutex_lock(&as->lock);
	while (!*flag)
		pthread_cond_wait(&as->cond, &as->lock);
	pthread_mutex_unlock(&as->lock);
}

bool attach_set__wait_linked(struct attach_set *as, int timeout_ms)
{
	struct timespec until;
	bool linked;

	if (!as->threaded)
		return true;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)timeout_ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&as->lock);
	while (!as->linked && pthread_cond_timedwait(&as->cond, &as->lock, &until) == 0)
		;
	linked = as->linked;
	pthread_mutex_unlock(&as->lock);
	return linked;
}

static void set_flag(struct attach_set *as, bool *flag)
{
	pthread_mutex_lock(&as->lock);
	__atomic_store_n(flag, true, __ATOMIC_RELAXED);	/* cancel is read unlocked */
	pthread_cond_broadcast(&as->cond);
	pthread_mutex_unlock(&as->lock);
}

/* Whether the set is going away: the measuring thread asks as it goes. */
static bool cancelled(struct attach_set *as)
{
	return __atomic_load_n(&as->cancel, __ATOMIC_RELAXED);
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
	set_flag(as, &as->cancel);
	join(as);
	attach_set__clear(as);
	for (size_t g = 0; g < as->ngroups; g++) {
		if (as->groups[g].by_ip && as->groups[g].prog_fd >= 0)
			close(as->groups[g].prog_fd);
		group_free(&as->groups[g]);
	}
	if (as->cookie_fd >= 0)
		close(as->cookie_fd);
	if (as->progs_fd >= 0)
		close(as->progs_fd);
	if (as->hits_fd >= 0)
		close(as->hits_fd);
	pthread_mutex_destroy(&as->lock);
	pthread_cond_destroy(&as->cond);
	free(as->groups);
	free(as->kind);
	free(as->group_of);
	free(as->links);
	free(as);
}

/* Links group g to its dispatcher. 0 or -errno, and nothing linked. */
static int group_link(struct attach_set *as, struct attach_group *g)
{
	if (g->linked)
		return 0;
	if (as->mode == MODE_MULTI) {
		g->link_fd = attach_uprobe_multi_fd(g->prog_fd, g->path, g->offsets, g->cookies,
						    g->n, g->pid);
		if (g->link_fd < 0) {
			int err = g->link_fd;

			g->link_fd = -1;
			return err;
		}
	} else {
		if (!g->perf_fds) {
			g->perf_fds = malloc(g->n * sizeof(*g->perf_fds));
			g->perf_links = malloc(g->n * sizeof(*g->perf_links));
			if (!g->perf_fds || !g->perf_links)
				return -ENOMEM;
		}
		for (size_t i = 0; i < g->n; i++)
			g->perf_fds[i] = g->perf_links[i] = -1;
		for (size_t i = 0; i < g->n; i++) {
			int err = perf_uprobe(g->prog_fd, g->path, g->offsets[i], g->cookies[i],
					      g->pid, &g->perf_fds[i], &g->perf_links[i]);

			if (err) {
				/* undo the ones made */
				for (size_t j = 0; j < i; j++) {
					close(g->perf_links[j]);
					close(g->perf_fds[j]);
					g->perf_fds[j] = g->perf_links[j] = -1;
				}
				return err;
			}
		}
	}
	g->linked = true;
	return 0;
}

static void group_unlink(struct attach_group *g)
{
	if (!g->linked)
		return;
	if (g->link_fd >= 0)
		close(g->link_fd);
	g->link_fd = -1;
	for (size_t i = 0; g->perf_fds && i < g->n; i++) {
		if (g->perf_links[i] >= 0)
			close(g->perf_links[i]);
		if (g->perf_fds[i] >= 0)
			close(g->perf_fds[i]);
		g->perf_fds[i] = g->perf_links[i] = -1;
	}
	g->linked = false;
}

/*
 * Reads what the thread needs of g's file: whether it is position-dependent
 * (then each site's link-time address), and the kind of each site's first
 * instruction.
 */
static void read_sites(struct attach_set *as, struct attach_group *g)
{
	int fd = open(g->path, O_RDONLY | O_CLOEXEC);
	GElf_Ehdr eh;
	size_t nph = 0;
	Elf *elf;

	if (fd < 0)
		return;
	for (size_t i = 0; i < g->n; i++) {
		uint8_t code[16];
		ssize_t got = pread(fd, code, sizeof(code), (off_t)g->offsets[i]);

		if (got > 0)
			as->kind[g->cookies[i]] = trapcost_classify(code, (size_t)got);
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && gelf_getehdr(elf, &eh) && eh.e_type == ET_EXEC && !elf_getphdrnum(elf, &nph))
		g->vaddrs = calloc(g->n, sizeof(*g->vaddrs));
	for (size_t i = 0; g->vaddrs && i < g->n; i++) {
		bool found = false;

		for (size_t k = 0; k < nph && !found; k++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(elf, (int)k, &ph) || ph.p_type != PT_LOAD ||
			    g->offsets[i] < ph.p_offset || g->offsets[i] >= ph.p_offset + ph.p_filesz)
				continue;
			g->vaddrs[i] = ph.p_vaddr + g->offsets[i] - ph.p_offset;
			found = true;
		}
		if (!found) {
			free(g->vaddrs);
			g->vaddrs = NULL;
		}
	}
	g->by_ip = g->vaddrs != NULL;
	elf_end(elf);
	close(fd);
}

/* Loads the dispatchers: one for each position-dependent group, one for
 * all the others. 0 or -errno. */
static int load_dispatchers(struct attach_set *as)
{
	bool multi = as->mode == MODE_MULTI;
	struct dispatch_site *sites = calloc(as->n ? as->n : 1, sizeof(*sites));
	size_t nc = 0;
	int err = 0;

	if (!sites)
		return -ENOMEM;
	for (size_t gi = 0; gi < as->ngroups && !err; gi++) {
		struct attach_group *g = &as->groups[gi];

		if (!g->by_ip) {
			for (size_t i = 0; i < g->n; i++)
				sites[nc++] = (struct dispatch_site){ .slot = g->cookies[i] };
			continue;
		}
		for (size_t i = 0; i < g->n; i++)
			sites[i] = (struct dispatch_site){ .key = g->vaddrs[i],
							   .slot = g->cookies[i] };
		g->prog_fd = dispatch_load(sites, g->n, true, as->progs_fd, as->hits_fd, multi);
		err = g->prog_fd < 0 ? g->prog_fd : 0;
		if (err)
			g->prog_fd = -1;
	}
	if (!err && nc) {
		/* the position-dependent groups' sites were written over: count again */
		nc = 0;
		for (size_t gi = 0; gi < as->ngroups; gi++)
			for (size_t i = 0; !as->groups[gi].by_ip && i < as->groups[gi].n; i++)
				sites[nc++] = (struct dispatch_site){
					.slot = as->groups[gi].cookies[i] };
		as->cookie_fd = dispatch_load(sites, nc, false, as->progs_fd, as->hits_fd, multi);
		err = as->cookie_fd < 0 ? as->cookie_fd : 0;
		for (size_t gi = 0; !err && gi < as->ngroups; gi++)
			if (!as->groups[gi].by_ip)
				as->groups[gi].prog_fd = as->cookie_fd;
	}
	free(sites);
	return err;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * What a hit costs, by kind: the probed calls' CPU time less the unprobed
 * ones', the least of a few rounds (time stolen by other work only adds).
 */
static void measure_traps(struct attach_set *as)
{
	struct attach_group g = { .n = TRAP_KINDS, .pid = getpid(), .link_fd = -1 };
	uint64_t offsets[TRAP_KINDS], cookies[TRAP_KINDS] = { 0 };
	double base[TRAP_KINDS], best[TRAP_KINDS];
	char path[4096];
	int err;

	if (trapcost_self_sites(path, sizeof(path), offsets)) {
		set_flag(as, &as->measured);
		return;
	}
	g.path = path;
	g.offsets = offsets;
	g.cookies = cookies;
	g.prog_fd = load_nop(as->mode == MODE_MULTI);
	if (g.prog_fd < 0) {
		set_flag(as, &as->measured);
		return;
	}
	for (int k = 0; k < TRAP_KINDS; k++) {
		base[k] = trapcost_run(k, TRAP_CALLS);
		for (int r = 1; r < TRAP_ROUNDS; r++) {
			double t = trapcost_run(k, TRAP_CALLS);

			base[k] = t < base[k] ? t : base[k];
		}
		best[k] = -1;
	}
	err = group_link(as, &g);
	for (int r = 0; !err && r < TRAP_ROUNDS && !cancelled(as); r++) {
		for (int k = 0; k < TRAP_KINDS; k++) {
			double t = trapcost_run(k, TRAP_CALLS) - base[k];

			if (best[k] < 0 || t < best[k])
				best[k] = t;
		}
	}
	if (!err && !cancelled(as) && best[TRAP_EMULATED] > 0 && best[TRAP_STEPPED] > 0) {
		memcpy(as->trap_ns, best, sizeof(best));
		as->trap_ok = true;
	}
	/* known now; removing the link waits for a grace period */
	set_flag(as, &as->measured);
	group_unlink(&g);
	free(g.perf_fds);
	free(g.perf_links);
	close(g.prog_fd);
}

static void *start_thread(void *arg)
{
	struct attach_set *as = arg;
	double t0;
	int err;

	for (size_t gi = 0; gi < as->ngroups; gi++)
		read_sites(as, &as->groups[gi]);
	err = load_dispatchers(as);
	t0 = now_ms();
	for (size_t gi = 0; !err && gi < as->ngroups; gi++) {
		err = group_link(as, &as->groups[gi]);
		if (err)
			as->start_failed = as->groups[gi].cookies[0];
	}
	as->link_ms = now_ms() - t0;
	as->start_err = err;
	set_flag(as, &as->linked);
	/* Measuring traps the CPU a few milliseconds: not before the compiled
	 * programs are in place, so that it never delays the start. */
	pthread_mutex_lock(&as->lock);
	while (!as->filled && !as->cancel)
		pthread_cond_wait(&as->cond, &as->lock);
	pthread_mutex_unlock(&as->lock);
	if (!err && !cancelled(as))
		measure_traps(as);
	set_flag(as, &as->measured);
	return NULL;
}

int attach_set__start(struct attach_set *as)
{
	int err = 0;

	if (as->mode == MODE_DIRECT || as->threaded || as->linked || !as->ngroups)
		return 0;
	as->ncpus = libbpf_num_possible_cpus();
	as->progs_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "hs_progs", sizeof(uint32_t),
				      sizeof(uint32_t), as->n, NULL);
	if (as->progs_fd < 0)
		err = -errno;
	if (!err) {
		as->hits_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "hs_hits",
					     sizeof(uint32_t), sizeof(uint64_t), as->n, NULL);
		if (as->hits_fd < 0)
			err = -errno;
	}
	if (!err && as->ncpus <= 0)
		err = as->ncpus ? as->ncpus : -EINVAL;
	if (!err)
		err = -pthread_create(&as->thread, NULL, start_thread, as);
	if (err) {
		/* Nothing started: every probe is attached once it is loaded. */
		as->mode = MODE_DIRECT;
		for (size_t i = 0; i < as->n; i++)
			as->group_of[i] = -1;
		return err;
	}
	as->threaded = true;
	return 0;
}

bool attach_set__started(const struct attach_set *as, size_t i)
{
	return as->mode != MODE_DIRECT && i < as->n && as->group_of[i] >= 0;
}

int attach_set__fill(struct attach_set *as, const struct plan *plan, struct bpf_object *obj,
		     size_t *failed)
{
	int err = 0;

	if (as->mode == MODE_DIRECT)
		return 0;
	if (!as->threaded && !as->linked) {
		err = attach_set__start(as);
		if (err || as->mode == MODE_DIRECT)
			return 0;	/* the probes are attached one by one */
	}
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
	set_flag(as, &as->filled);
	wait_for(as, &as->linked);
	if (!err && as->start_err) {
		err = as->start_err;
		*failed = as->start_failed;
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
	l->uprobe = takes_uprobe(p);
	l->traced = l->uprobe && !p->own_process;
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
	for (size_t g = 0; as && g < as->ngroups; g++)
		n += as->groups[g].linked ? as->groups[g].n : 0;
	return n;
}

size_t attach_set__links(const struct attach_set *as)
{
	size_t n = 0;

	for (size_t i = 0; as && i < as->n; i++)
		n += as->links[i].link || as->links[i].fd >= 0;
	for (size_t g = 0; as && g < as->ngroups; g++)
		if (as->groups[g].linked)
			n += as->mode == MODE_MULTI ? 1 : as->groups[g].n;
	return n;
}

static void detach_one(struct attach_link *l)
{
	bpf_link__destroy(l->link);
	if (l->fd >= 0)
		close(l->fd);
	l->link = NULL;
	l->fd = -1;
}

void attach_set__detach_others(struct attach_set *as)
{
	for (size_t i = 0; as && i < as->n; i++)
		if (!as->links[i].uprobe)
			detach_one(&as->links[i]);
}

void attach_set__pause(struct attach_set *as)
{
	if (!as)
		return;
	wait_for(as, &as->linked);
	for (size_t g = 0; g < as->ngroups; g++)
		if (!as->groups[g].own)
			group_unlink(&as->groups[g]);
	/* MODE_DIRECT: each traced uprobe is a link of its own */
	for (size_t i = 0; i < as->n; i++)
		if (as->links[i].traced)
			detach_one(&as->links[i]);
}

int attach_set__resume(struct attach_set *as)
{
	int err = 0;

	if (as->mode == MODE_DIRECT)
		return -EOPNOTSUPP;
	for (size_t g = 0; g < as->ngroups; g++) {
		int e;

		if (as->groups[g].own || as->groups[g].linked)
			continue;
		e = group_link(as, &as->groups[g]);
		err = err ? err : e;
	}
	return err;
}

void attach_set__clear(struct attach_set *as)
{
	if (!as)
		return;
	wait_for(as, &as->linked);
	for (size_t i = 0; i < as->n; i++)
		detach_one(&as->links[i]);
	for (size_t g = 0; g < as->ngroups; g++)
		group_unlink(&as->groups[g]);
}

int attach_set__hits(const struct attach_set *as, uint64_t *hits)
{
	uint64_t *percpu;

	if (as->hits_fd < 0)
		return -ENODATA;
	percpu = calloc(as->ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	for (uint32_t i = 0; i < as->n; i++) {
		hits[i] = 0;
		if (as->group_of[i] < 0 || bpf_map_lookup_elem(as->hits_fd, &i, percpu))
			continue;
		for (int c = 0; c < as->ncpus; c++)
			hits[i] += percpu[c];
	}
	free(percpu);
	return 0;
}

bool attach_set__traced(const struct attach_set *as, size_t i)
{
	return attach_set__started(as, i) && !as->groups[as->group_of[i]].own;
}

enum trap_kind attach_set__kind(const struct attach_set *as, size_t i)
{
	return i < as->n ? as->kind[i] : TRAP_STEPPED;
}

int attach_set__trap_ns(struct attach_set *as, double ns[TRAP_KINDS])
{
	wait_for(as, &as->measured);
	if (!as->trap_ok)
		return -ENODATA;
	memcpy(ns, as->trap_ns, sizeof(as->trap_ns));
	return 0;
}

double attach_set__link_ms(const struct attach_set *as)
{
	return as->linked ? as->link_ms : 0;
}

static void add_stats(int fd, uint64_t *run_ns, uint64_t *runs)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len)) {
		*run_ns += info.run_time_ns;
		*runs += info.run_cnt;
	}
}

int attach_set__run_stats(const struct attach_set *as, uint64_t *run_ns, uint64_t *runs)
{
	*run_ns = *runs = 0;
	if (as->mode == MODE_DIRECT || !as->linked)
		return -ENODATA;
	add_stats(as->cookie_fd, run_ns, runs);
	for (size_t g = 0; g < as->ngroups; g++)
		if (as->groups[g].by_ip)
			add_stats(as->groups[g].prog_fd, run_ns, runs);
	return 0;
}
