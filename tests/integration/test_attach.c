// SPDX-License-Identifier: MIT
/*
 * How uprobes are attached (probes/attach.c): as uprobe_multi links where
 * the kernel is 6.12 or later, as perf-event uprobes otherwise or with
 * HOTSPAN_UPROBE_MULTI=0. Either way a -p probe must count the calls of
 * every thread of the process, and none of another process running the
 * same executable. tests/go/threads says what it did; the kind of link is
 * read from the kernel's /proc/PID/fdinfo of the tool's descriptors.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define THREADS "build/go/threads"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* How many of pid's descriptors are BPF links of that fdinfo link_type, on
 * the file `on` when it is given (uprobe_multi links say their path):
 * hotspan also measures a hit on a link of its own. */
static int links_of_type(pid_t pid, const char *type, const char *on)
{
	char path[320], line[256], want[64], real[PATH_MAX], where[PATH_MAX + 8];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	snprintf(want, sizeof(want), "link_type:\t%s\n", type);
	if (on && realpath(on, real))
		snprintf(where, sizeof(where), "path:\t%s\n", real);
	else
		on = NULL;
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		{
			bool typed = false, placed = !on;

			while (fgets(line, sizeof(line), f)) {
				typed |= !strcmp(line, want);
				placed |= on && !strcmp(line, where);
			}
			n += typed && placed;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

static long field(const char *out, const char *name)
{
	const char *p = strstr(out, name);

	return p ? atol(p + strlen(name)) : -1;
}

/* Lines of @t[...] in hotspan's output, and the sum of their counts. */
static int thread_keys(const char *out, long *sum)
{
	int n = 0;

	*sum = 0;
	for (const char *p = strstr(out, "\n@t["); p; p = strstr(p + 1, "\n@t[")) {
		const char *colon = strstr(p, "]: ");

		if (!colon)
			break;
		*sum += atol(colon + 3);
		n++;
	}
	return n;
}

/*
 * Traces one threads process with -p while a second one runs the same
 * executable; both are released once the probe is attached. Returns the
 * number of links of link_type `link` the tool held meanwhile.
 */
static int trace_threads(const char *link)
{
	const char *targ[] = { THREADS, "-wait", "-threads", "4", "-per", "2500", NULL };
	const char *script = "uprobe:" THREADS ":main.work { @t[tid] = count(); @c = count(); }";
	struct proc target, other, tool;
	struct proc_result tr, orr, hr;
	char pid[16];
	long sum;
	int nlinks, keys;

	cr_assert_eq(proc_start(&target, targ), 0);
	cr_assert_eq(proc_start(&other, targ), 0);
	cr_assert(proc_wait_for(&target, "ready", false, 30000));
	cr_assert(proc_wait_for(&other, "ready", false, 30000));
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	{
		const char *argv[] = { HOTSPAN, "--notify", "-p", pid, "-e", script, NULL };

		cr_assert_eq(proc_start(&tool, argv), 0);
	}
	cr_assert(proc_wait_for(&tool, "hotspan: attached 1 probe", true, 60000),
		  "no attach marker: %s", tool.err_buf ? tool.err_buf : "");
	nlinks = links_of_type(tool.pid, link, THREADS);
	proc_write(&other, "go\n");
	proc_write(&target, "go\n");
	cr_assert_eq(proc_finish(&other, &orr, 60000), 0);
	cr_assert_eq(proc_finish(&target, &tr, 60000), 0);
	/* The tool stops on its own once its -p process is gone. */
	cr_assert_eq(proc_finish(&tool, &hr, 60000), 0);
	cr_assert_eq(hr.status, 0, "hotspan failed: %s", hr.err);
	cr_assert_eq(field(tr.out, "calls: "), 10000);
	cr_assert_eq(field(orr.out, "calls: "), 10000);
	/* Every call of the traced process, none of the other one's. */
	cr_assert_eq(field(hr.out, "\n@c: "), 10000, "hotspan printed:\n%s", hr.out);
	keys = thread_keys(hr.out, &sum);
	cr_assert_eq(sum, 10000);
	cr_assert_eq(keys, field(tr.out, "threads: "), "threads seen %d, program says:\n%s",
		     keys, tr.out);
	cr_assert_gt(keys, 1);
	proc_result_free(&tr);
	proc_result_free(&orr);
	proc_result_free(&hr);
	return nlinks;
}

Test(attach, uprobe_multi_link_counts_every_thread_of_the_pid_only, .timeout = 120)
{
	need_bpf();
	if (!kernel_at_least(6, 12))
		cr_skip_test("uprobe_multi links are used from Linux 6.12 on");
	unsetenv("HOTSPAN_UPROBE_MULTI");
	cr_assert_eq(trace_threads("uprobe_multi"), 1);
}

Test(attach, perf_event_uprobe_counts_every_thread_of_the_pid_only, .timeout = 120)
{
	need_bpf();
	setenv("HOTSPAN_UPROBE_MULTI", "0", 1);
	cr_assert_eq(trace_threads("uprobe_multi"), 0);
}
