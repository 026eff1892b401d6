// SPDX-License-Identifier: MIT
/*
 * What attaching and detaching N uprobes on one binary costs, N = 1, 10,
 * 100 and 500, on the entries of the first runtime functions of a private
 * copy of build/go/touch that a target process runs (waiting on stdin, its
 * runtime's own threads alive). Prints figures and ratios; asserts nothing.
 *
 * The kernel's part, in this process, with a two-instruction program:
 *  - one link: one uprobe_multi link with N offsets for the target's pid,
 *    as probes/attach.c makes a group;
 *  - a link a probe: N uprobe_multi links of one offset each, as hotspan
 *    attached before;
 *  - perf, all: N perf-event uprobes for every process (CPU 0), each with a
 *    BPF_PERF_EVENT link, as bpftrace 0.17 attaches.
 * Each attach is timed 300 ms after the previous detach, so that no recent
 * uprobe registration has left the kernel's dup_mmap_sem in its fast path
 * (a writer waits for an RCU grace period unless another did so a moment
 * before): that is the cost a tool started on a quiet machine pays. The
 * detach (closing every fd) is timed too; closing a uprobe_multi link waits
 * for an SRCU grace period once for all its uprobes.
 *
 * End to end, hotspan against bpftrace with the same script on the same
 * sites, `uprobe:BIN:F1,uprobe:BIN:F2,... { @ = count(); }` (hotspan with
 * -p of the target; bpftrace without: 0.17 opens uprobes for every process
 * anyway, and with -p it took five minutes to exit after SIGINT here):
 * launch to the tool's attach line (hotspan --notify, which also
 * says how long the kernel took to link; bpftrace's
 * __BPFTRACE_NOTIFY_PROBES_ATTACHED), then SIGINT to its exit (detaching,
 * printing). The slow ways (a link a probe, perf, bpftrace) are measured
 * fewer times at 100 and 500 probes: one bpftrace run of 500 takes minutes.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include "gobin/gobin.h"
#include "probes/attach.h"
#include "probes/uprobe_multi.h"
#include "tests/lib/proc.h"

#define TOUCH "build/go/touch"
#define HOTSPAN "build/hotspan"
#define GAP_US 300000
#define MAX_SITES 500
#define MAX_RUNS 5

static const int sizes[] = { 1, 10, 100, 500 };
#define NSIZES (int)(sizeof(sizes) / sizeof(sizes[0]))

enum { ONE_LINK, LINK_EACH, PERF_ALL, NWAYS };
static const char *const way_names[NWAYS] = { "one link", "a link a probe", "perf, all" };

static char bin[PATH_MAX];
static char tmpdir[] = "/tmp/bench_attach.XXXXXX";
static uint64_t offsets[MAX_SITES], cookies[MAX_SITES];
static char *names[MAX_SITES];
static int nsites;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[n / 2] : 0;
}

static int uprobe_pmu_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	int type = -1;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = -1;
		fclose(f);
	}
	return type;
}

/* A perf-event uprobe for every process with prog on it: the link fd and
 * *pfd, or -errno. */
static int attach_perf(int type, int prog, uint64_t off, int *pfd)
{
	struct perf_event_attr attr;
	int link;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (uintptr_t)bin;
	attr.config2 = off;
	*pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (*pfd < 0)
		return -errno;
	link = bpf_link_create(prog, *pfd, BPF_PERF_EVENT, NULL);
	if (link < 0) {
		link = -errno;
		close(*pfd);
		*pfd = -1;
	}
	return link;
}

/* Plain names only, so that both tools' scripts can spell them unquoted;
 * not the write barriers, whose first instruction the kernel mis-executes
 * (issue 14). */
static bool usable_name(const char *name)
{
	if (strncmp(name, "runtime.", 8) || !strncmp(name, "runtime.gcWriteBarrier", 22))
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p == '.' || *p == '_' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static int find_sites(void)
{
	struct gobin *gb = gobin__open(bin);
	struct gobin_func fn;

	if (!gb)
		return -1;
	for (size_t i = 0; i < gobin__func_count(gb) && nsites < MAX_SITES; i++) {
		if (gobin__func_at(gb, i, &fn) || !usable_name(fn.name))
			continue;
		names[nsites] = strdup(fn.name);
		cookies[nsites] = nsites;
		offsets[nsites++] = fn.file_offset;
	}
	gobin__close(gb);
	return nsites == MAX_SITES ? 0 : -1;
}

struct times {
	double attach, detach;
	int err;
};

/* The kernel's part: attaches n sites one way, then detaches them. */
static struct times kernel_once(int way, int n, pid_t pid, int prog_multi, int prog_plain,
				int type)
{
	int fds[MAX_SITES], pfds[MAX_SITES], nfds = 0;
	struct times t = { 0 };
	double t0;

	usleep(GAP_US);
	t0 = now_ms();
	if (way == ONE_LINK) {
		fds[0] = attach_uprobe_multi_fd(prog_multi, bin, offsets, cookies, n, pid);
		t.err = fds[0] < 0 ? fds[0] : 0;
		nfds = fds[0] >= 0;
	} else {
		for (int i = 0; i < n && !t.err; i++) {
			pfds[i] = -1;
			fds[i] = way == LINK_EACH ?
					 attach_uprobe_multi_fd(prog_multi, bin, &offsets[i], NULL, 1,
								pid) :
					 attach_perf(type, prog_plain, offsets[i], &pfds[i]);
			t.err = fds[i] < 0 ? fds[i] : 0;
			nfds += fds[i] >= 0;
		}
	}
	t.attach = now_ms() - t0;
	t0 = now_ms();
	for (int i = 0; i < nfds; i++) {
		close(fds[i]);
		if (way != ONE_LINK && pfds[i] >= 0)
			close(pfds[i]);
	}
	t.detach = now_ms() - t0;
	return t;
}

static int runs_of(int way, int n)
{
	if (way == ONE_LINK)
		return MAX_RUNS;
	return n <= 10 ? 3 : 1;
}

static void kernel_bench(pid_t pid)
{
	/* r0 = 0; exit */
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, plain);
	LIBBPF_OPTS(bpf_prog_load_opts, multi,
		    .expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI);
	int prog_plain = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "plain", "GPL", insns, 2, &plain);
	int prog_multi = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "multi", "GPL", insns, 2, &multi);
	int type = uprobe_pmu_type();
	double one[2][NSIZES];

	printf("the kernel's part: N uprobes on runtime functions of a waiting touch, each "
	       "attach %d ms\nafter the last detach (ms, median of the runs)\n", GAP_US / 1000);
	if (prog_plain < 0 || prog_multi < 0 || type < 0) {
		printf("  skipped: cannot load a uprobe_multi program, or no uprobe PMU\n");
		return;
	}
	printf("  %-16s %6s %5s %10s %10s %12s %12s\n", "", "probes", "runs", "attach", "detach",
	       "attach / 1", "detach / 1");
	for (int w = 0; w < NWAYS; w++) {
		double a1 = 0, d1 = 0;

		for (int s = 0; s < NSIZES; s++) {
			double at[MAX_RUNS], dt[MAX_RUNS];
			int runs = runs_of(w, sizes[s]), got = 0, err = 0;

			for (int r = 0; r < runs; r++) {
				struct times t = kernel_once(w, sizes[s], w == PERF_ALL ? -1 : pid,
							     prog_multi, prog_plain, type);

				if (t.err) {
					err = t.err;
					continue;
				}
				at[got] = t.attach;
				dt[got++] = t.detach;
			}
			if (!got) {
				printf("  %-16s %6d failed: %s\n", way_names[w], sizes[s],
				       strerror(-err));
				continue;
			}
			at[0] = median(at, got);
			dt[0] = median(dt, got);
			if (s == 0) {
				a1 = at[0];
				d1 = dt[0];
			}
			if (w == ONE_LINK) {
				one[0][s] = at[0];
				one[1][s] = dt[0];
			}
			printf("  %-16s %6d %5d %10.2f %10.2f %11.2fx %11.2fx\n", way_names[w],
			       sizes[s], got, at[0], dt[0], a1 > 0 ? at[0] / a1 : 0,
			       d1 > 0 ? dt[0] / d1 : 0);
		}
	}
	printf("  one link, 500 probes against 1: attach %.2fx, detach %.2fx  %s (<= 2x each)\n",
	       one[0][NSIZES - 1] / one[0][0], one[1][NSIZES - 1] / one[1][0],
	       one[0][NSIZES - 1] <= 2 * one[0][0] && one[1][NSIZES - 1] <= 2 * one[1][0] ?
		       "met" : "MISSED");
	close(prog_plain);
	close(prog_multi);
}

/* `uprobe:BIN:F1,uprobe:BIN:F2,... { @ = count(); }` on the first n sites. */
static char *script_of(int n)
{
	size_t size = (size_t)n * (strlen(bin) + 80) + 64, len = 0;
	char *s = malloc(size);

	for (int i = 0; i < n; i++)
		len += snprintf(s + len, size - len, "%suprobe:%s:%s", i ? "," : "", bin, names[i]);
	snprintf(s + len, size - len, " { @ = count(); }");
	return s;
}

struct e2e {
	double attach, stop, link_ms;
	int err;
};

/* One launch of a tool: launch to its attach line, SIGINT to its exit. */
static struct e2e tool_once(bool hotspan, int n, pid_t pid)
{
	char *script = script_of(n), p[16];
	const char *hv[] = { HOTSPAN, "--notify", "-p", p, "-e", script, NULL };
	/* bpftrace 0.17 opens uprobes for every process whatever -p says, and
	 * with -p it took five minutes to exit after SIGINT here */
	const char *bv[] = { "bpftrace", "-e", script, NULL };
	const char *marker = hotspan ? "hotspan: attached" : "__BPFTRACE_NOTIFY_PROBES_ATTACHED";
	struct e2e e = { 0 };
	struct proc tool;
	struct proc_result r;
	double t0;

	snprintf(p, sizeof(p), "%d", (int)pid);
	setenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED", "1", 1);
	usleep(GAP_US);
	t0 = now_ms();
	if (proc_start(&tool, hotspan ? hv : bv)) {
		e.err = -1;
		goto out;
	}
	if (!proc_wait_for(&tool, marker, true, 600000)) {
		e.err = -1;
		kill(tool.pid, SIGKILL);
		proc_finish(&tool, &r, 10000);
		fprintf(stderr, "%s did not attach %d probes: %.300s\n", hotspan ? "hotspan" :
			"bpftrace", n, r.err);
		proc_result_free(&r);
		goto out;
	}
	e.attach = now_ms() - t0;
	if (hotspan) {
		const char *l = strstr(tool.err_buf, " link");

		l = l ? strchr(l, ',') : NULL;
		e.link_ms = l ? atof(l + 1) : 0;
	}
	/* bpftrace 0.17 prints its line before its loop watches for SIGINT,
	 * and one sent at once was lost here (it ran on for minutes): both
	 * tools get a moment before the clock starts */
	usleep(200000);
	t0 = now_ms();
	kill(tool.pid, SIGINT);
	proc_finish(&tool, &r, 900000);
	e.stop = now_ms() - t0;
	/* bpftrace 0.17 says it failed to detach each probe (it looks for
	 * tracefs, not mounted here) and exits 1, yet its links are gone */
	e.err = r.status && hotspan ? -1 : 0;
	if (r.status && !hotspan && !strstr(r.out, "@: "))
		e.err = -1;
	if (e.err)
		fprintf(stderr, "%s with %d probes ended with %d: %.300s\n",
			hotspan ? "hotspan" : "bpftrace", n, r.status, r.err);
	proc_result_free(&r);
out:
	unsetenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED");
	free(script);
	return e;
}

static void e2e_bench(pid_t pid)
{
	bool bpftrace = !access("/usr/bin/bpftrace", X_OK);
	double one[2] = { 0 };

	printf("\nend to end, the same script on the same sites (ms, median): launch to the "
	       "attach line,\nthe kernel's link time in it (hotspan), SIGINT to exit\n");
	printf("  %-9s %6s %5s %10s %10s %10s\n", "", "probes", "runs", "attached", "links",
	       "stopped");
	for (int s = 0; s < NSIZES; s++) {
		for (int k = 0; k < 2; k++) {
			double at[MAX_RUNS], lt[MAX_RUNS], st[MAX_RUNS];
			int runs = k ? (sizes[s] <= 10 ? 3 : 1) : 3, got = 0;

			if (k && !bpftrace)
				continue;
			for (int r = 0; r < runs; r++) {
				struct e2e e = tool_once(!k, sizes[s], pid);

				if (e.err)
					continue;
				at[got] = e.attach;
				lt[got] = e.link_ms;
				st[got++] = e.stop;
			}
			if (!got) {
				printf("  %-9s %6d failed\n", k ? "bpftrace" : "hotspan", sizes[s]);
				continue;
			}
			{
				char link[32] = "-";

				if (!k)
					snprintf(link, sizeof(link), "%.2f", median(lt, got));
				printf("  %-9s %6d %5d %10.1f %10s %10.1f\n",
				       k ? "bpftrace" : "hotspan", sizes[s], got, median(at, got), link,
				       median(st, got));
			}
			if (!k && s == 0) {
				one[0] = median(at, got);
				one[1] = median(st, got);
			}
			if (!k && s == NSIZES - 1)
				printf("  hotspan, 500 against 1: attached %.2fx (compiling and loading "
				       "500 programs included), stopped %.2fx\n",
				       median(at, got) / one[0], median(st, got) / one[1]);
		}
	}
}

int main(void)
{
	const char *targv[] = { bin, "-wait", NULL };
	struct rlimit rl;
	struct proc t;
	struct proc_result tr;

	if (proc_bpf_missing()) {
		printf("bench_attach: skipped (%s)\n", proc_bpf_missing());
		return 0;
	}
	if (access(TOUCH, X_OK) || proc_copy_exec(TOUCH, tmpdir, bin, sizeof(bin))) {
		printf("bench_attach: skipped (no %s: make %s)\n", TOUCH, TOUCH);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* bpftrace takes two descriptors a probe: 500 pass the usual 1024 */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 8192) {
		rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (find_sites()) {
		printf("bench_attach: skipped (fewer than %d runtime functions in %s)\n", MAX_SITES,
		       bin);
		return 0;
	}
	if (proc_start(&t, targv) || !proc_wait_for(&t, "ready", false, 30000)) {
		printf("bench_attach: skipped (target did not start)\n");
		return 0;
	}
	kernel_bench(t.pid);
	e2e_bench(t.pid);
	kill(t.pid, SIGKILL);
	proc_finish(&t, &tr, 10000);
	proc_result_free(&tr);
	for (int i = 0; i < nsites; i++)
		free(names[i]);
	unlink(bin);
	rmdir(tmpdir);
	return 0;
}
