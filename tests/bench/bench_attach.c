// SPDX-License-Identifier: MIT
/*
 * What attaching one uprobe costs in this kernel, the way hotspan and
 * bpftrace do it, on a private copy of build/go/touch that a target process
 * runs (calling main.touch in a tight loop):
 *  - perf, pid: perf_event_open of a uprobe for the target's pid, then a
 *    BPF_PERF_EVENT link (libbpf's bpf_program__attach_uprobe_opts; hotspan
 *    before uprobe_multi, and with HOTSPAN_UPROBE_MULTI=0);
 *  - perf, all: the same for every process (cpu 0), as bpftrace 0.17 does;
 *  - multi, pid / multi, all: a uprobe_multi link (probes/attach.c).
 * Each attach is timed 300 ms after the previous detach, so that no recent
 * uprobe registration has left the kernel's dup_mmap_sem in its fast path
 * (a writer waits for an RCU grace period unless another did so a moment
 * before): that is the cost a tool started on a quiet machine pays. The
 * detach (closing the fds) is timed too. The program is two instructions;
 * what is measured is the kernel's attach path, not the program. Prints
 * figures; asserts nothing.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include "probes/attach.h"
#include "gobin/gobin.h"
#include "probes/uprobe_multi.h"
#include "tests/lib/proc.h"

#define TOUCH "build/go/touch"
#define RUNS 10
#define GAP_US 300000

enum { PERF_PID, PERF_ALL, MULTI_PID, MULTI_ALL, NWAYS };

static const char *const names[NWAYS] = { "perf, pid", "perf, all", "multi, pid", "multi, all" };

static char bin[PATH_MAX];
static char tmpdir[] = "/tmp/bench_attach.XXXXXX";

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

/* A perf-event uprobe with prog on it: fills *pfd and returns the link fd, or -errno. */
static int attach_perf(int type, int prog, uint64_t off, pid_t pid, int *pfd)
{
	struct perf_event_attr attr;
	int link;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (uintptr_t)bin;
	attr.config2 = off;
	*pfd = syscall(__NR_perf_event_open, &attr, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, -1,
		       PERF_FLAG_FD_CLOEXEC);
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

static int copy_touch(void)
{
	return proc_copy_exec(TOUCH, tmpdir, bin, sizeof(bin));
}

int main(void)
{
	/* r0 = 0; exit */
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, plain);
	LIBBPF_OPTS(bpf_prog_load_opts, multi,
		    .expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI);
	double at[NWAYS][RUNS], dt[NWAYS][RUNS];
	int got[NWAYS] = { 0 }, prog_plain, prog_multi, type;
	const char *targv[] = { bin, "-wait", "-buckets", "1", "-per", "1000000000000", NULL };
	struct gobin_func fn;
	struct gobin *gb;
	struct proc t;
	struct proc_result tr;

	if (proc_bpf_missing()) {
		printf("bench_attach: skipped (%s)\n", proc_bpf_missing());
		return 0;
	}
	if (access(TOUCH, X_OK) || copy_touch()) {
		printf("bench_attach: skipped (no %s: make %s)\n", TOUCH, TOUCH);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	gb = gobin__open(bin);
	type = uprobe_pmu_type();
	if (!gb || gobin__find_func(gb, "main.touch", &fn) || type < 0) {
		printf("bench_attach: skipped (no main.touch in %s, or no uprobe PMU)\n", bin);
		return 0;
	}
	gobin__close(gb);
	prog_plain = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "plain", "GPL", insns, 2, &plain);
	prog_multi = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "multi", "GPL", insns, 2, &multi);
	if (prog_plain < 0) {
		printf("bench_attach: skipped (cannot load a kprobe program: %s)\n", strerror(errno));
		return 0;
	}
	if (proc_start(&t, targv) || !proc_wait_for(&t, "ready", false, 30000)) {
		printf("bench_attach: skipped (target did not start)\n");
		return 0;
	}
	proc_write(&t, "go\n");

	printf("attach cost of one uprobe on main.touch of a process calling it in a loop,\n"
	       "each %d ms after the last detach (%d runs each, ms, median / min / max)\n",
	       GAP_US / 1000, RUNS);
	for (int i = 0; i < RUNS; i++)
		for (int j = 0; j < NWAYS; j++) {
			int k = (i + j) % NWAYS, pfd = -1, link;
			pid_t pid = k == PERF_PID || k == MULTI_PID ? t.pid : -1;
			double t0, t1;

			usleep(GAP_US);
			t0 = now_ms();
			if (k == PERF_PID || k == PERF_ALL)
				link = attach_perf(type, prog_plain, fn.file_offset, pid, &pfd);
			else
				link = prog_multi < 0 ? -EINVAL :
				       attach_uprobe_multi_fd(prog_multi, bin, &fn.file_offset, NULL, 1,
							      pid);
			t1 = now_ms();
			if (link < 0) {
				if (i == 0)
					printf("  %-12s failed: %s\n", names[k], strerror(-link));
				continue;
			}
			at[k][got[k]] = t1 - t0;
			t0 = now_ms();
			close(link);
			if (pfd >= 0)
				close(pfd);
			dt[k][got[k]++] = now_ms() - t0;
		}
	printf("  %-12s %26s %26s\n", "", "attach", "detach");
	for (int k = 0; k < NWAYS; k++) {
		if (!got[k])
			continue;
		qsort(at[k], got[k], sizeof(double), cmp_double);
		qsort(dt[k], got[k], sizeof(double), cmp_double);
		printf("  %-12s %7.2f / %7.2f / %7.2f %7.2f / %7.2f / %7.2f\n", names[k],
		       at[k][got[k] / 2], at[k][0], at[k][got[k] - 1], dt[k][got[k] / 2], dt[k][0],
		       dt[k][got[k] - 1]);
	}
	kill(t.pid, SIGKILL);
	proc_finish(&t, &tr, 10000);
	proc_result_free(&tr);
	unlink(bin);
	rmdir(tmpdir);
	return 0;
}
