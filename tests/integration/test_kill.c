// SPDX-License-Identifier: MIT
/*
 * Kill at every step (issue 14): hotspan killed with SIGKILL while it
 * compiles (attaching has begun by then), loads, attaches, runs and
 * detaches leaves nothing in the kernel, and the program it watched
 * prints what it prints unwatched. The test hook HOTSPAN_TEST_STOP_AT
 * (runtime/session.h) stops hotspan at the step; the BPF links, programs
 * and maps it holds there are read from /proc/PID/fdinfo, and after the
 * kill each one must be gone from the kernel (its id no longer listed),
 * checked per id so that other users of BPF on the machine do not matter.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define THREADS "build/go/threads"

struct ids {
	unsigned link[256], prog[256], map[256];
	size_t nlink, nprog, nmap;
};

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

/* The state letter of /proc/PID/stat ('T' when stopped), or 0. */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static void add_id(unsigned *v, size_t *n, unsigned id)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == id)
			return;
	if (*n < 256)
		v[(*n)++] = id;
}

/* The ids of every BPF link, program and map pid holds a descriptor of. */
static void ids_of(pid_t pid, struct ids *ids)
{
	char dir[64], path[320], line[256];
	struct dirent *e;
	DIR *d;

	memset(ids, 0, sizeof(*ids));
	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			unsigned id;

			if (sscanf(line, "link_id: %u", &id) == 1)
				add_id(ids->link, &ids->nlink, id);
			else if (sscanf(line, "prog_id: %u", &id) == 1)
				add_id(ids->prog, &ids->nprog, id);
			else if (sscanf(line, "map_id: %u", &id) == 1)
				add_id(ids->map, &ids->nmap, id);
		}
		if (f)
			fclose(f);
	}
	closedir(d);
}

/* Is id among the kernel's ids of that kind? Walked with *_get_next_id(),
 * which takes no reference: opening an object by id would hold it. */
static bool present(int (*next)(__u32, __u32 *), unsigned id)
{
	__u32 cur = 0;

	while (!next(cur, &cur))
		if (cur == id)
			return true;
	return false;
}

/* How many of ids the kernel still has; which ones into buf (if any). */
static size_t left_which(const struct ids *ids, char *buf, size_t len)
{
	struct {
		const char *kind;
		const unsigned *v;
		size_t n;
		int (*next)(__u32, __u32 *);
	} sets[] = {
		{ "link", ids->link, ids->nlink, bpf_link_get_next_id },
		{ "prog", ids->prog, ids->nprog, bpf_prog_get_next_id },
		{ "map", ids->map, ids->nmap, bpf_map_get_next_id },
	};
	size_t n = 0, at = 0;

	if (buf)
		buf[0] = '\0';
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		for (size_t i = 0; i < sets[k].n; i++) {
			if (!present(sets[k].next, sets[k].v[i]))
				continue;
			n++;
			if (buf && at < len)
				at += snprintf(buf + at, len - at, " %s %u", sets[k].kind,
					       sets[k].v[i]);
		}
	}
	return n;
}

static size_t left(const struct ids *ids)
{
	return left_which(ids, NULL, 0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What threads prints, run alone: the truth the watched run must equal. */
static char *unwatched(void)
{
	const char *argv[] = { THREADS, "-wait", NULL };
	struct proc_result r;
	char *out;

	cr_assert_eq(proc_run(argv, "\n", &r), 0);
	cr_assert_eq(r.status, 0);
	out = strdup(strstr(r.out, "calls:"));
	proc_result_free(&r);
	return out;
}

/*
 * threads waits; hotspan -p watches it and stops itself at `stage` (for
 * "detaching", after SIGINT once attached); then SIGKILL. Everything it
 * held must go, and threads, let go, prints what it prints alone.
 */
static void kill_at(const char *stage)
{
	const char *target[] = { THREADS, "-wait", NULL };
	char pid[16], *want = unwatched();
	const char *argv[] = { HOTSPAN, "--notify", "-p", pid, "-e",
			       "uprobe:" THREADS ":main.work { @c[tid] = count(); } "
			       "uprobe:" THREADS ":runtime.mallocgc { @m = count(); } "
			       "interval:ms:50 { @t = count(); } END { @e = count(); }", NULL };
	struct proc t, h;
	struct proc_result r;
	struct ids ids;
	long end;

	cr_assert_eq(proc_start(&t, target), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000));
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	setenv("HOTSPAN_TEST_STOP_AT", stage, 1);
	cr_assert_eq(proc_start(&h, argv), 0);
	unsetenv("HOTSPAN_TEST_STOP_AT");
	if (!strcmp(stage, "detaching")) {
		cr_assert(proc_wait_for(&h, "hotspan: attached", true, 30000), "%s", h.err_buf);
		kill(h.pid, SIGINT);
	}
	for (end = now_ms() + 30000; state_of(h.pid) != 'T' && now_ms() < end;)
		usleep(10000);
	cr_assert_eq(state_of(h.pid), 'T', "hotspan never stopped at %s", stage);
	ids_of(h.pid, &ids);
	cr_assert_gt(ids.nprog + ids.nmap + ids.nlink, 0, "nothing of BPF held at %s", stage);
	cr_expect(left(&ids) == ids.nprog + ids.nmap + ids.nlink);
	kill(h.pid, SIGKILL);
	cr_assert_eq(proc_finish(&h, &r, 10000), 0);
	cr_expect_eq(r.status, 128 + SIGKILL);
	proc_result_free(&r);
	/* The kernel frees them once the last descriptor closes, a little later
	 * (seconds while another process holds one, as `bpftool prog` does). */
	for (end = now_ms() + 60000; left(&ids) && now_ms() < end;)
		usleep(20000);
	{
		char which[256];

		cr_expect_eq(left_which(&ids, which, sizeof(which)), 0,
			     "at %s, of %zu links, %zu programs and %zu maps, left:%s", stage,
			     ids.nlink, ids.nprog, ids.nmap, which);
	}
	/* The target runs on unchanged. */
	proc_write(&t, "\n");
	cr_assert_eq(proc_finish(&t, &r, 20000), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, want), "at %s: the target printed\n%s\nnot\n%s", stage, r.out,
		  want);
	proc_result_free(&r);
	free(want);
}

Test(kill, while_compiling, .timeout = 120)
{
	need_bpf();
	kill_at("compiling");
}

Test(kill, while_loading, .timeout = 120)
{
	need_bpf();
	kill_at("loading");
}

Test(kill, while_attaching, .timeout = 120)
{
	need_bpf();
	kill_at("attaching");
}

Test(kill, while_running, .timeout = 120)
{
	need_bpf();
	kill_at("running");
}

Test(kill, while_detaching, .timeout = 120)
{
	need_bpf();
	kill_at("detaching");
}
