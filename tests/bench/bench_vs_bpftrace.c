// SPDX-License-Identifier: MIT
/*
 * hotspan against bpftrace 0.17, in one run, on one Go workload (a private
 * copy of build/go/touch in /tmp), with the same one-liner:
 *
 *   uprobe:/tmp/.../touch:main.touch { @c[arg0 / 50] = count(); }
 *
 * (bpftrace spells arg0 reg("ax"), since its arg0 follows the C ABI). Both
 * tools trace `-p PID` of a touch started first with -wait, so the Go
 * runtime's own start-up is never timed. The copy exists because a uprobe
 * sits on an inode and bpftrace 0.17 does not filter uprobes by -p at all
 * (it opens them for every process and its program has no pid test), so on
 * build/go/touch it would count, and slow, tests others run meanwhile.
 * Prints figures and ratios against bpftrace; asserts nothing.
 *
 * Start-up. The target prints "ready" and is released at once with
 * "-buckets 1 -per 10^12": it calls main.touch in a tight loop for hours.
 * Then the clock starts and the tool is launched (fork and exec included).
 * One launch gives:
 *  - attach marker: the tool's own stderr line after its last probe is
 *    attached: hotspan's `--notify` line, and the line bpftrace prints when
 *    __BPFTRACE_NOTIFY_PROBES_ATTACHED is set in its environment (0.17 has
 *    it for its runtime test suite, printed after every probe is attached).
 *    Stderr is read as soon as poll() says it is readable.
 *  - first hit seen: from outside, trusting neither tool. About every 1 ms
 *    the bench lists the BPF maps the tool holds (/proc/PID/fd links
 *    "anon_inode:bpf-map", ids from /proc/PID/fdinfo), opens the hash maps
 *    by id and asks each for a first key. @c gets one on the first call the
 *    probe sees, and the target calls touch every few nanoseconds, so this
 *    is "attached and working" to within the poll (neither tool fills a
 *    hash map in advance).
 *  - CPU: user + system time of the tool from exec to exit (wait4), which
 *    also holds detaching and printing; less disturbed by other load.
 * The spinning target holds one of the two cores while the tool starts, as
 * a busy production process would; both tools pay it alike. hotspan runs
 * twice over: as it is (uprobe_multi links where the kernel has them) and
 * with HOTSPAN_UPROBE_MULTI=0 (perf-event uprobes, as on older kernels and
 * as bpftrace 0.17 attaches), so the one run says what the link kind is
 * worth; the kind of link hotspan made is read from /proc/PID/fdinfo.
 * A fourth launch is the floor: tests/bench/tools/attach_only, which links
 * only libc, loads a two-instruction program and makes one uprobe_multi link
 * for the pid. The kernel makes a process's first uprobe registration wait
 * for an RCU grace period, so no tool can say "attached" sooner; the bench
 * prints its median beside what 5x of bpftrace would need. One warm-up
 * launch of each is thrown away, then RUNS launches each, rotating
 * which goes first; median and minimum are printed, with the machine's load
 * before and after, because wall times move with whatever else runs.
 *
 * Peak memory is ru_maxrss from wait4() of the tool itself (the bench reaps
 * it, not proc_finish), over every launch of the count() script, median and
 * maximum. To say what it is made of, RssAnon and RssFile of
 * /proc/PID/status are sampled every ms of each start-up launch until the
 * first hit; the largest of each is kept.
 *
 * BPF cost per event. Statistics are switched on with BPF_ENABLE_STATS, the
 * fd form of `sysctl kernel.bpf_stats_enabled=1`: the kernel drops it when
 * the fd is closed or the bench dies, so the old value always comes back.
 * touch -wait -buckets 10 -per 1000 is traced with -p; once the tool's
 * attach marker is seen the bench opens by id every BPF program the tool
 * holds (/proc/PID/fdinfo "prog_id:"), so they outlive the tool, releases
 * the target, waits for it to exit (55,000 calls) and reads run_time_ns and
 * run_cnt with bpf_obj_get_info_by_fd(). ns per event is the difference
 * over the run divided by run_cnt; run_cnt and the tool's printed counts
 * are checked so a lost or stray event shows. The traced run's wall time a
 * call is printed too: what a hit costs the target in all (the uprobe trap
 * dominates it), which is not what the BPF program costs. sum() and hist()
 * rows run only once hotspan compiles them (`hotspan -d ast` says "unknown
 * function" until then).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* asprintf */
#endif
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "gobin/gobin.h"
#include "tests/lib/proc.h"

#define TOUCH "build/go/touch"
#define RUNS 11		/* start-up launches of each tool */
#define COST_RUNS 5	/* cost runs of each tool and script */
#define EVENTS 55000	/* calls of main.touch with -buckets 10 -per 1000 */
#define MAX_FDS 32

enum { HOTSPAN, BPFTRACE, NTOOLS, FLOOR = NTOOLS };

struct tool {
	const char *name;
	const char *marker;	/* on stderr once its probes are attached */
	const char *arg0;	/* how its scripts say Go's first argument */
};

/* FLOOR runs no script: it is the start-up of a program that only attaches. */
static const struct tool tools[NTOOLS + 1] = {
	[HOTSPAN] = { "hotspan", "hotspan: attached", "arg0" },
	[BPFTRACE] = { "bpftrace", "__BPFTRACE_NOTIFY_PROBES_ATTACHED", "reg(\"ax\")" },
	[FLOOR] = { "attach_only", "attach_only: attached", NULL },
};
#define ATTACH_ONLY "build/tests/bench/tools/attach_only"

/* A script body per aggregation; %s is the tool's arg0. */
struct row {
	const char *label;
	const char *fn;		/* the builtin, to ask hotspan whether it knows it */
	const char *body;
	const char *expect;	/* in the tool's output after the run, or NULL */
};

static const struct row rows[] = {
	{ "count() with one key", "count", "@c[%s / 50] = count();", "@c[9]: 10000" },
	/* sum over b of (b+1)*1000 calls averaging 50b + 24.5 */
	{ "sum(arg0)", "sum", "@s = sum(%s);", "@s: 17847500" },
	{ "hist(arg0)", "hist", "@h = hist(%s);", NULL },
	/* bucket 9's odd indices: 200 rounds of 450 + 1, 3, ..., 49 */
	{ "sum() with two keys", "sum", "@t[%1$s / 50, %1$s %% 2] = sum(%1$s);",
	  "@t[9, 1]: 2375000" },
};

static char bin[PATH_MAX];	/* our private copy of touch: bpftrace needs an absolute path */
static uint64_t touch_offset;	/* main.touch's file offset in bin, for attach_only */
static bool hotspan_perf;	/* start hotspan with HOTSPAN_UPROBE_MULTI=0 */
static bool hotspan_direct;	/* start hotspan with HOTSPAN_EARLY_ATTACH=0 */
static char tmpdir[] = "/tmp/bench_vs_bpftrace.XXXXXX";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *script_for(const struct row *r, int tool)
{
	char body[128], *s;

	snprintf(body, sizeof(body), r->body, tools[tool].arg0);
	if (asprintf(&s, "uprobe:%s:main.touch { %s }", bin, body) < 0)
		abort();
	return s;
}

static int tool_start(int tool, pid_t target, const char *script, struct proc *p)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)target);
	if (tool == FLOOR) {
		char off[32];
		const char *argv[] = { ATTACH_ONLY, bin, off, pid, NULL };

		snprintf(off, sizeof(off), "%" PRIu64, touch_offset);
		return proc_start(p, argv);
	} else if (tool == HOTSPAN) {
		const char *argv[] = { "build/hotspan", "--notify", "-p", pid, "-e", script, NULL };
		int err;

		if (hotspan_perf)
			setenv("HOTSPAN_UPROBE_MULTI", "0", 1);
		if (hotspan_direct)
			setenv("HOTSPAN_EARLY_ATTACH", "0", 1);
		err = proc_start(p, argv);
		unsetenv("HOTSPAN_UPROBE_MULTI");
		unsetenv("HOTSPAN_EARLY_ATTACH");
		return err;
	} else {
		const char *argv[] = { "bpftrace", "-p", pid, "-e", script, NULL };

		return proc_start(p, argv);
	}
}

static int target_start(struct proc *t, const char *buckets, const char *per)
{
	const char *argv[] = { bin, "-wait", "-buckets", buckets, "-per", per, NULL };

	if (proc_start(t, argv))
		return -1;
	return proc_wait_for(t, "ready", false, 30000) ? 0 : -1;
}

/*
 * proc_finish, but the child is reaped with wait4() for its peak RSS (KiB)
 * and CPU time (s). The tool ends by itself once its -p target is gone;
 * SIGINT, then SIGKILL, if it does not within timeout_ms. Keeps stdout in
 * *out (free it).
 */
static long finish_rss(struct proc *p, int timeout_ms, char **out, double *cpu)
{
	static const char never[] = "\x01\x02never";
	struct rusage ru = { .ru_maxrss = -1 };
	int status;

	if (p->in >= 0)
		close(p->in);
	p->in = -1;
	proc_wait_for(p, never, false, timeout_ms);
	if (p->out >= 0 || p->err >= 0) {
		kill(p->pid, SIGINT);
		proc_wait_for(p, never, false, 5000);
	}
	if (p->out >= 0 || p->err >= 0)
		kill(p->pid, SIGKILL);
	wait4(p->pid, &status, 0, &ru);
	proc_reaped(p);
	if (cpu)
		*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	*out = p->out_buf ? p->out_buf : strdup("");
	free(p->err_buf);
	p->out_buf = p->err_buf = NULL;
	return ru.ru_maxrss;
}

/* The ids of the BPF maps or programs process pid holds fds of. */
static int held_ids(pid_t pid, bool maps, __u32 *ids, int max)
{
	const char *link_want = maps ? "anon_inode:bpf-map" : "anon_inode:bpf-prog";
	const char *key = maps ? "map_id:" : "prog_id:";
	char path[64], link[64], line[128];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		ssize_t len;
		FILE *f;
		__u32 id = 0;
		int fd;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		fd = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strcmp(link, link_want))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, key, strlen(key)))
				id = strtoul(line + strlen(key), NULL, 10);
		fclose(f);
		for (int i = 0; i < n && id; i++)
			if (ids[i] == id)
				id = 0;
		if (id)
			ids[n++] = id;
	}
	closedir(d);
	return n;
}

/* The hash maps a tool holds, opened by id, to see their first key. */
struct map_watch {
	__u32 seen[MAX_FDS];
	int nseen;
	int fds[MAX_FDS];
	int nfds;
};

/* Opens the hash maps of pid not seen before; true once one of them has a key. */
static bool map_watch__hit(struct map_watch *w, pid_t pid)
{
	__u32 ids[MAX_FDS];
	int n = held_ids(pid, true, ids, MAX_FDS);
	char key[512];

	for (int i = 0; i < n; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		bool known = false;
		int fd;

		for (int j = 0; j < w->nseen; j++)
			known |= w->seen[j] == ids[i];
		if (known || w->nseen == MAX_FDS)
			continue;
		w->seen[w->nseen++] = ids[i];
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.key_size > sizeof(key) ||
		    (info.type != BPF_MAP_TYPE_HASH && info.type != BPF_MAP_TYPE_PERCPU_HASH &&
		     info.type != BPF_MAP_TYPE_LRU_HASH &&
		     info.type != BPF_MAP_TYPE_LRU_PERCPU_HASH)) {
			close(fd);
			continue;
		}
		w->fds[w->nfds++] = fd;
	}
	for (int i = 0; i < w->nfds; i++)
		if (!bpf_map_get_next_key(w->fds[i], NULL, key))
			return true;
	return false;
}

static void map_watch__close(struct map_watch *w)
{
	for (int i = 0; i < w->nfds; i++)
		close(w->fds[i]);
	w->nfds = 0;
}

struct startup {
	double attach, hit;	/* seconds from launch; < 0 if never seen */
	double cpu;		/* user + system seconds of the whole launch */
	long rss_kb;
	long anon_kb, file_kb;	/* the largest RssAnon, RssFile sampled until the hit */
	char link[32];		/* link_type of the tool's first BPF link, at its marker */
};

/* The fdinfo link_type of the first BPF link pid holds ("uprobe_multi", "perf"). */
static void link_type(pid_t pid, char out[32])
{
	char path[320], line[128];
	struct dirent *e;
	DIR *d;

	snprintf(out, 32, "none");
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		FILE *f;
		bool found = false;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f))
			if (sscanf(line, "link_type: %31s", out) == 1)
				found = true;
		fclose(f);
		if (found)
			break;
	}
	closedir(d);
}

/* RssAnon and RssFile of pid, kept when larger than what is in *anon, *file. */
static void sample_rss(pid_t pid, long *anon, long *file)
{
	char path[64], line[128];
	FILE *f;
	long v;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "RssAnon: %ld", &v) == 1 && v > *anon)
			*anon = v;
		if (sscanf(line, "RssFile: %ld", &v) == 1 && v > *file)
			*file = v;
	}
	fclose(f);
}

static int startup_once(int tool, const char *script, struct startup *s)
{
	struct map_watch w = { .nseen = 0 };
	struct proc t, p;
	struct proc_result tr;
	char *out;
	double t0;
	int err = 0;

	s->attach = s->hit = -1;
	s->anon_kb = s->file_kb = 0;
	if (target_start(&t, "1", "1000000000000"))
		return -1;
	proc_write(&t, "go\n");
	t0 = now();
	if (tool_start(tool, t.pid, script, &p)) {
		kill(t.pid, SIGKILL);
		proc_finish(&t, &tr, 10000);
		proc_result_free(&tr);
		return -1;
	}
	while (s->attach < 0 || s->hit < 0) {
		struct pollfd pf[2] = { { p.out, POLLIN, 0 }, { p.err, POLLIN, 0 } };

		if (now() - t0 > 60 || (p.out < 0 && p.err < 0)) {
			err = -1;
			break;
		}
		if (s->attach >= 0) {
			usleep(1000);
		} else if (poll(pf, 2, 1) > 0 && proc_wait_for(&p, tools[tool].marker, true, 1)) {
			s->attach = now() - t0;
			link_type(p.pid, s->link);
		}
		if (s->hit < 0 && tool == FLOOR)
			s->hit = s->attach;	/* its program writes no map */
		else if (s->hit < 0 && map_watch__hit(&w, p.pid))
			s->hit = now() - t0;
		sample_rss(p.pid, &s->anon_kb, &s->file_kb);
	}
	map_watch__close(&w);
	kill(t.pid, SIGKILL);
	proc_finish(&t, &tr, 10000);
	proc_result_free(&tr);
	s->rss_kb = finish_rss(&p, 20000, &out, &s->cpu);
	if (err)
		fprintf(stderr, "%s did not attach and hit within 60 s:\n%s\n", tools[tool].name, out);
	free(out);
	return err;
}

static void prog_stats(const int *fds, int n, __u64 *ns, __u64 *cnt)
{
	*ns = *cnt = 0;
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		/* hotspan's measure of a hit, made once at its start */
		if (bpf_obj_get_info_by_fd(fds[i], &info, &len) || !strcmp(info.name, "hs_nop"))
			continue;
		*ns += info.run_time_ns;
		*cnt += info.run_cnt;
	}
}

struct cost {
	double ns_per_event;
	double wall_us;		/* the traced run's wall time a call */
	__u64 cnt;
	long rss_kb;
	bool output_ok;
};

static int cost_once(int tool, const struct row *r, struct cost *c)
{
	char *script = script_for(r, tool);
	struct proc t, p;
	struct proc_result tr;
	int fds[MAX_FDS], nfds = 0, err = -1;
	__u64 ns0, cnt0, ns1, cnt1;
	__u32 ids[MAX_FDS];
	double t0, t1;
	char *out;
	int n;

	if (target_start(&t, "10", "1000")) {
		fprintf(stderr, "the target did not start: %s\n", strerror(errno));
		goto out;
	}
	if (tool_start(tool, t.pid, script, &p)) {
		fprintf(stderr, "%s did not start: %s\n", tools[tool].name, strerror(errno));
		kill(t.pid, SIGKILL);
		proc_finish(&t, &tr, 10000);
		proc_result_free(&tr);
		goto out;
	}
	if (!proc_wait_for(&p, tools[tool].marker, true, 60000)) {
		kill(t.pid, SIGKILL);
		proc_finish(&t, &tr, 10000);
		proc_result_free(&tr);
		finish_rss(&p, 10000, &out, NULL);
		fprintf(stderr, "%s did not attach '%s':\n%s\n", tools[tool].name, script, out);
		free(out);
		goto out;
	}
	n = held_ids(p.pid, false, ids, MAX_FDS);
	for (int i = 0; i < n; i++) {
		int fd = bpf_prog_get_fd_by_id(ids[i]);

		if (fd >= 0)
			fds[nfds++] = fd;
	}
	prog_stats(fds, nfds, &ns0, &cnt0);
	t0 = now();
	proc_write(&t, "go\n");
	proc_finish(&t, &tr, 600000);
	t1 = now();
	prog_stats(fds, nfds, &ns1, &cnt1);
	c->cnt = cnt1 - cnt0;
	c->ns_per_event = c->cnt ? (double)(ns1 - ns0) / c->cnt : 0;
	c->wall_us = (t1 - t0) / EVENTS * 1e6;
	c->rss_kb = finish_rss(&p, 20000, &out, NULL);
	c->output_ok = strstr(tr.out, "bucket 9: 10000") && (!r->expect || strstr(out, r->expect));
	err = nfds ? 0 : -1;
	if (!nfds)
		fprintf(stderr, "%s holds no BPF program after attaching\n", tools[tool].name);
	free(out);
	proc_result_free(&tr);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
out:
	free(script);
	return err;
}

/*
 * Probes go on a private copy of touch: a uprobe sits on an inode, and
 * bpftrace 0.17 does not filter uprobes by -p, so on build/go/touch it
 * would count (and slow) the tests others run meanwhile, and theirs ours.
 */
static int copy_touch(void)
{
	struct gobin_func fn;
	struct gobin *gb;
	int err = proc_copy_exec(TOUCH, tmpdir, bin, sizeof(bin));

	if (err)
		return err;
	gb = gobin__open(bin);
	err = gb ? gobin__find_func(gb, "main.touch", &fn) : -errno;
	if (!err)
		touch_offset = fn.file_offset;
	gobin__close(gb);
	return err;
}

/* Does hotspan compile builtin fn yet? */
static bool hotspan_knows(const char *fn)
{
	char prog[64];
	const char *argv[] = { "build/hotspan", "-d", "ast", "-e", prog, NULL };
	struct proc_result r;
	bool known;

	snprintf(prog, sizeof(prog), "BEGIN { @s = %s(1); }", fn);
	if (proc_run(argv, NULL, &r))
		return false;
	known = !strstr(r.err, "unknown function");
	proc_result_free(&r);
	return known;
}

static void print_machine(void)
{
	const char *bt[] = { "bpftrace", "--version", NULL };
	const char *hs[] = { "build/hotspan", "--version", NULL };
	struct proc_result r;
	struct utsname u;
	char line[256], model[128] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: Linux %s %s, %ld cores (%s)\n", u.release, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN), model);
	if (!proc_run(bt, NULL, &r)) {
		printf("tools:   %s", r.out);
		proc_result_free(&r);
	}
	if (!proc_run(hs, NULL, &r)) {
		printf("         %s", r.out[0] ? r.out : r.err);
		proc_result_free(&r);
	}
}

/* Other work on the machine skews wall times: say how busy it was. */
static void print_load(const char *when)
{
	char avg[64] = "?", psi[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fgets(avg, sizeof(avg), f))
			avg[strcspn(avg, "\n")] = '\0';
		fclose(f);
	}
	f = fopen("/proc/pressure/cpu", "r");
	if (f) {
		if (fgets(psi, sizeof(psi), f))
			psi[strcspn(psi, "\n")] = '\0';
		fclose(f);
	}
	printf("load %s: loadavg %s; cpu pressure %s\n", when, avg, psi);
}

static int read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static const char *goal(bool met)
{
	return met ? "meets the goal" : "MISSES the goal";
}

/* Memory figures gathered over the start-up and cost runs, in MiB. */
struct mem {
	double rss[NTOOLS][RUNS + COST_RUNS];	/* ru_maxrss of each count() launch */
	int nrss[NTOOLS];
	double anon[NTOOLS][RUNS], file[NTOOLS][RUNS];	/* sampled during start-up */
	int nsampled[NTOOLS];
};

/* What start-up launches: hotspan as it is, hotspan on perf-event uprobes,
 * bpftrace, and the floor: attach_only. */
enum { SU_HOTSPAN, SU_HOTSPAN_PERF, SU_BPFTRACE, SU_FLOOR, NSU };

static const struct {
	const char *label;
	int tool;
	bool perf;
} su[NSU] = {
	[SU_HOTSPAN] = { "hotspan", HOTSPAN, false },
	[SU_HOTSPAN_PERF] = { "hotspan, perf", HOTSPAN, true },
	[SU_BPFTRACE] = { "bpftrace", BPFTRACE, false },
	[SU_FLOOR] = { "attach only", FLOOR, false },
};

static int startup_as(int k, const char *script, struct startup *s)
{
	int err;

	hotspan_perf = su[k].perf;
	err = startup_once(su[k].tool, script, s);
	hotspan_perf = false;
	return err;
}

static void startup_bench(struct mem *mem)
{
	static const char *what[] = { "attach marker", "first hit seen", "CPU, whole launch" };
	double v[3][NSU][RUNS];
	int got[NSU] = { 0 };
	char *script[NTOOLS + 1] = { NULL }, link[NSU][32];
	struct startup s;

	for (int t = 0; t < NTOOLS; t++)
		script[t] = script_for(&rows[0], t);
	for (int k = 0; k < NSU; k++) {
		startup_as(k, script[su[k].tool], &s);	/* warm-up, thrown away */
		snprintf(link[k], sizeof(link[k]), "%s", s.link);
	}
	for (int i = 0; i < RUNS; i++)
		for (int j = 0; j < NSU; j++) {
			int k = (i + j) % NSU, t = su[k].tool;

			if (startup_as(k, script[t], &s))
				continue;
			v[0][k][got[k]] = s.attach * 1e3;
			v[1][k][got[k]] = s.hit * 1e3;
			v[2][k][got[k]] = s.cpu * 1e3;
			got[k]++;
			if (su[k].perf || t == FLOOR)
				continue;	/* memory: each tool as it is */
			mem->rss[t][mem->nrss[t]++] = s.rss_kb / 1024.0;
			mem->anon[t][mem->nsampled[t]] = s.anon_kb / 1024.0;
			mem->file[t][mem->nsampled[t]++] = s.file_kb / 1024.0;
		}
	printf("\nstart-up: launch to probes attached, -p of a target already calling "
	       "main.touch\n(%d launches each, ms, median / min; hotspan's links: %s; "
	       "\"hotspan, perf\": HOTSPAN_UPROBE_MULTI=0, links: %s)\n", RUNS,
	       link[SU_HOTSPAN], link[SU_HOTSPAN_PERF]);
	printf("  %-17s %17s %17s %17s %17s %10s  goal: >= 5x\n", "", su[0].label, su[1].label,
	       su[2].label, su[3].label, "bt/hotspan");
	for (int m = 0; m < 3; m++) {
		double med[NSU], min[NSU];
		bool all = true;

		for (int k = 0; k < NSU; k++)
			all = all && got[k];
		if (!all) {
			printf("  %-17s failed (%d, %d, %d and %d launches)\n", what[m], got[0],
			       got[1], got[2], got[3]);
			continue;
		}
		for (int k = 0; k < NSU; k++) {
			med[k] = median(v[m][k], got[k]);
			min[k] = v[m][k][0];
		}
		printf("  %-17s %8.1f / %6.1f %8.1f / %6.1f %8.1f / %6.1f %8.1f / %6.1f %9.1fx  %s\n",
		       what[m], med[0], min[0], med[1], min[1], med[2], min[2], med[3], min[3],
		       med[SU_BPFTRACE] / med[SU_HOTSPAN],
		       m == 2 ? "(user + system, exec to exit)" :
		       goal(med[SU_BPFTRACE] >= 5 * med[SU_HOTSPAN]));
		if (m == 0)
			printf("  %-17s 5x needs hotspan at %.1f ms; attach only, the floor of any "
			       "uprobe tool here, is at %.1f\n", "", med[SU_BPFTRACE] / 5,
			       med[SU_FLOOR]);
	}
	for (int t = 0; t < NTOOLS; t++)
		free(script[t]);
}

/*
 * The same script with HOTSPAN_EARLY_ATTACH=0: each program linked itself
 * once loaded, no dispatcher in front of it, so the difference is what the
 * early-attach path (a dispatcher and a tail call an event) costs.
 */
static void direct_row(const struct row *r, double dispatched)
{
	double ns[COST_RUNS], wall[COST_RUNS];
	__u64 cnt = 0;
	int got = 0;
	bool ok = true;

	hotspan_direct = true;
	for (int i = 0; i < COST_RUNS; i++) {
		struct cost c;

		if (cost_once(HOTSPAN, r, &c))
			continue;
		ns[got] = c.ns_per_event;
		wall[got++] = c.wall_us;
		cnt = c.cnt;
		ok &= c.output_ok && c.cnt == EVENTS;
	}
	hotspan_direct = false;
	if (!got) {
		printf("  %-22s %-9s failed\n", "", "direct");
		return;
	}
	printf("  %-22s %-9s %9llu %9.1f %9.1f %12.2f %s\n", "", "direct",
	       (unsigned long long)cnt, median(ns, got), ns[0], median(wall, got),
	       ok ? "right" : "WRONG counts");
	printf("  %-22s the early-attach path adds %.1f ns an event (hotspan - direct)\n", "",
	       dispatched - median(ns, got));
}

static void cost_bench(struct mem *mem)
{
	int old = read_sysctl("/proc/sys/kernel/bpf_stats_enabled");
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);

	printf("\nBPF cost per event: run_time_ns / run_cnt of the tool's programs, "
	       "touch -buckets 10 -per 1000\n(%d runs each, median; kernel.bpf_stats_enabled "
	       "was %d, enabled through BPF_ENABLE_STATS)\n", COST_RUNS, old);
	if (stats < 0) {
		printf("  BPF_ENABLE_STATS failed: %s\n", strerror(errno));
		return;
	}
	printf("  %-22s %-9s %9s %9s %9s %12s %s\n", "script", "tool", "run_cnt", "ns/event",
	       "min", "wall us/call", "output");
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		double ns[NTOOLS][COST_RUNS], wall[NTOOLS][COST_RUNS], med[NTOOLS];
		__u64 cnt[NTOOLS] = { 0 };
		int got[NTOOLS] = { 0 };
		bool ok[NTOOLS] = { true, true };

		if (!hotspan_knows(rows[r].fn)) {
			printf("  %-22s not yet in hotspan\n", rows[r].label);
			continue;
		}
		for (int i = 0; i < COST_RUNS; i++)
			for (int j = 0; j < NTOOLS; j++) {
				int k = (i + j) % NTOOLS;
				struct cost c;

				if (cost_once(k, &rows[r], &c))
					continue;
				ns[k][got[k]] = c.ns_per_event;
				wall[k][got[k]] = c.wall_us;
				cnt[k] = c.cnt;
				ok[k] &= c.output_ok && c.cnt == EVENTS;
				if (r == 0)
					mem->rss[k][mem->nrss[k]++] = c.rss_kb / 1024.0;
				got[k]++;
			}
		for (int k = 0; k < NTOOLS; k++) {
			if (!got[k]) {
				printf("  %-22s %-9s failed\n", rows[r].label, tools[k].name);
				continue;
			}
			med[k] = median(ns[k], got[k]);
			printf("  %-22s %-9s %9llu %9.1f %9.1f %12.2f %s\n", rows[r].label,
			       tools[k].name, (unsigned long long)cnt[k], med[k], ns[k][0],
			       median(wall[k], got[k]), ok[k] ? "right" : "WRONG counts");
		}
		if (got[HOTSPAN] && got[BPFTRACE])
			printf("  %-22s hotspan/bpftrace %.2f  %s (<= 1.0)\n", "",
			       med[HOTSPAN] / med[BPFTRACE], goal(med[HOTSPAN] <= med[BPFTRACE]));
		if (r == 0 && got[HOTSPAN])
			direct_row(&rows[r], med[HOTSPAN]);
	}
	close(stats);
	printf("  kernel.bpf_stats_enabled is %d again\n",
	       read_sysctl("/proc/sys/kernel/bpf_stats_enabled"));
}

static void print_mem(struct mem *mem)
{
	double med[NTOOLS] = { 0 };

	printf("\npeak memory: max RSS from wait4, every launch with the count() script "
	       "(MiB, median / max)\n");
	for (int k = 0; k < NTOOLS; k++) {
		if (!mem->nrss[k]) {
			printf("  %-9s no runs\n", tools[k].name);
			continue;
		}
		med[k] = median(mem->rss[k], mem->nrss[k]);
		printf("  %-9s %7.1f / %7.1f  (%d launches)", tools[k].name, med[k],
		       mem->rss[k][mem->nrss[k] - 1], mem->nrss[k]);
		if (mem->nsampled[k])
			printf("   of which anonymous %.1f, file-backed %.1f",
			       median(mem->anon[k], mem->nsampled[k]),
			       median(mem->file[k], mem->nsampled[k]));
		printf("\n");
	}
	if (med[HOTSPAN] > 0 && med[BPFTRACE] > 0)
		printf("  hotspan/bpftrace %.2f  %s (< 0.33)\n", med[HOTSPAN] / med[BPFTRACE],
		       goal(med[HOTSPAN] * 3 < med[BPFTRACE]));
	if (mem->nsampled[HOTSPAN] && mem->nsampled[BPFTRACE])
		printf("  anonymous only: hotspan/bpftrace %.2f\n",
		       median(mem->anon[HOTSPAN], mem->nsampled[HOTSPAN]) /
		       median(mem->anon[BPFTRACE], mem->nsampled[BPFTRACE]));
	printf("  (anonymous and file-backed: largest RssAnon and RssFile of /proc/PID/status,\n"
	       "  sampled every ms from launch to the first hit, median over start-up launches)\n");
}

int main(void)
{
	const char *bt[] = { "bpftrace", "--version", NULL };
	static struct mem mem;
	struct proc_result r;

	if (proc_bpf_missing()) {
		printf("bench_vs_bpftrace: skipped (%s)\n", proc_bpf_missing());
		return 0;
	}
	if (access(ATTACH_ONLY, X_OK)) {
		printf("bench_vs_bpftrace: skipped (no %s: make bench)\n", ATTACH_ONLY);
		return 0;
	}
	if (access(TOUCH, X_OK)) {
		printf("bench_vs_bpftrace: skipped (no %s: make %s)\n", TOUCH, TOUCH);
		return 0;
	}
	if (copy_touch()) {
		printf("bench_vs_bpftrace: skipped (cannot copy %s to /tmp)\n", TOUCH);
		return 0;
	}
	if (proc_run(bt, NULL, &r) || r.status) {
		printf("bench_vs_bpftrace: skipped (no bpftrace)\n");
		return 0;
	}
	proc_result_free(&r);
	/* bpftrace prints its attach line only when asked; hotspan ignores it. */
	setenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED", "1", 1);
	setvbuf(stdout, NULL, _IOLBF, 0);

	print_machine();
	printf("script:  uprobe:%s:main.touch { @c[arg0 / 50] = count(); }\n", bin);
	print_load("before");
	startup_bench(&mem);
	cost_bench(&mem);
	print_mem(&mem);
	printf("\n");
	print_load("after");
	unlink(bin);
	rmdir(tmpdir);
	return 0;
}
