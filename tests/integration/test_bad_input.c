// SPDX-License-Identifier: MIT
/*
 * Bad input from the command line (issue 14): each gets one clear error
 * and a non-zero exit, and destroys nothing. -o writes through a temporary
 * file that replaces the old one only once the run is under way, and never
 * over an input or through a link (defect 6); -p takes only a process id
 * and the binary that process runs (defect 8); a FIFO is refused, not
 * waited on (defect 9); running out of file descriptors is said so, not
 * blamed on the verifier (defect 10).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/trace.h"
#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define TOUCH "build/go/touch"
#define THREADS "build/go/threads"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

static char *tmpdir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/hotspan-bad-XXXXXX");
	cr_assert_not_null(proc_mkdtemp(dir));
	return dir;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* The whole file, or NULL. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	int c;
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* Runs argv (at most 10 s) and checks the exit status and stderr's first line. */
static void expect_error(const char *const argv[], int status, const char *first_line)
{
	struct proc p;
	struct proc_result r;
	const char *nl;

	cr_assert_eq(proc_start(&p, argv), 0);
	cr_assert_eq(proc_finish(&p, &r, 10000), 0);
	nl = strchr(r.err, '\n');
	cr_expect_eq(r.status, status, "status %d, stderr: %s", r.status, r.err);
	cr_expect(nl && (size_t)(nl - r.err) == strlen(first_line) &&
		  !strncmp(r.err, first_line, strlen(first_line)),
		  "first line of stderr:\n%s\nwant:\n%s", r.err, first_line);
	proc_result_free(&r);
}

/* How many entries a folder holds besides . and .. */
static int entries(const char *dir)
{
	char cmd[128];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
	f = popen(cmd, "r");
	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	return n;
}

Test(outfile, a_script_that_fails_leaves_the_file_as_it_was)
{
	char *dir = tmpdir(), path[128], *text;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	write_file(path, "results of yesterday\n");
	{
		const char *argv[] = { HOTSPAN, "-o", path, "-e", "BEGIN { @x = nope(); }", NULL };

		expect_error(argv, 1, "-e:1:14: error: unknown function 'nope'");
	}
	text = read_file(path);
	cr_assert_str_eq(text, "results of yesterday\n");
	cr_assert_eq(entries(dir), 1, "a temporary file is left");
	free(text);
}

Test(outfile, a_run_replaces_the_file_and_leaves_no_temporary_one)
{
	char *dir = tmpdir(), path[128], *text;
	const char *argv[] = { HOTSPAN, "-o", path, "-e",
			       "BEGIN { printf(\"today\\n\"); exit(); }", NULL };
	struct proc_result r;
	struct stat st;

	need_bpf();
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	write_file(path, "results of yesterday\n");
	chmod(path, 0640);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	text = read_file(path);
	cr_expect(text && strstr(text, "today\n") && !strstr(text, "yesterday"), "%s", text);
	cr_expect_eq(entries(dir), 1, "a temporary file is left");
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0640, "the mode of the file replaced: %o", st.st_mode);
	free(text);
	proc_result_free(&r);
}

Test(outfile, replay_into_its_own_trace_is_refused)
{
	static const struct trace_map maps[1] = { { .name = "@h", .dims = 1 } };
	struct heat_event ev[3] = { { .ts_ns = 1, .col = 5 }, { .ts_ns = 2, .col = 6 },
				    { .ts_ns = 3, .col = 5 } };
	char *dir = tmpdir(), path[128], line[256], *before, *after;
	struct trace_writer *w;
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.hsr", dir);
	f = fopen(path, "wb");
	w = trace_writer__new(f, maps, 1, NULL);
	cr_assert_not_null(w);
	cr_assert_eq(trace_writer__events(w, 0, ev, 3), 0);
	cr_assert_eq(trace_writer__finish(w), 0);
	trace_writer__free(w);
	fclose(f);
	before = read_file(path);
	snprintf(line, sizeof(line),
		 "error: -o %s is the trace it replays: writing it would destroy it", path);
	{
		const char *argv[] = { HOTSPAN, "replay", path, "-o", path, NULL };

		expect_error(argv, 1, line);
	}
	after = read_file(path);
	cr_assert(after && !memcmp(before, after, 8), "the trace was touched");
	free(before);
	free(after);
}

Test(outfile, the_script_and_the_binary_probed_are_refused)
{
	char *dir = tmpdir(), script[128], bin[160], line[320], tmpl[128];
	struct stat st, st2;

	snprintf(script, sizeof(script), "%s/s.hot", dir);
	write_file(script, "BEGIN { exit(); }\n");
	snprintf(line, sizeof(line),
		 "error: -o %s is the script it runs: writing it would destroy it", script);
	{
		const char *argv[] = { HOTSPAN, "-o", script, script, NULL };

		expect_error(argv, 1, line);
	}
	snprintf(tmpl, sizeof(tmpl), "%s/binXXXXXX", dir);
	cr_assert_eq(proc_copy_exec(TOUCH, tmpl, bin, sizeof(bin)), 0);
	cr_assert_eq(stat(bin, &st), 0);
	{
		char prog[256];
		const char *argv[] = { HOTSPAN, "-o", bin, "-e", prog, NULL };

		snprintf(prog, sizeof(prog), "uprobe:%s:main.touch { @ = count(); }", bin);
		snprintf(line, sizeof(line),
			 "error: -o %s is a binary it probes: writing it would destroy it", bin);
		expect_error(argv, 1, line);
	}
	cr_assert_eq(stat(bin, &st2), 0);
	cr_expect_eq(st2.st_size, st.st_size, "the binary was touched");
}

Test(outfile, a_link_to_a_file_is_refused)
{
	char *dir = tmpdir(), victim[128], link[128], line[512], *text;

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	write_file(victim, "keep me\n");
	cr_assert_eq(symlink(victim, link), 0);
	snprintf(line, sizeof(line), "error: -o %s is a symbolic link to %s: hotspan writes no "
		 "file through a link", link, victim);
	{
		const char *argv[] = { HOTSPAN, "-o", link, "-e", "BEGIN { exit(); }", NULL };

		expect_error(argv, 1, line);
	}
	text = read_file(victim);
	cr_assert_str_eq(text, "keep me\n");
	free(text);
}

Test(pid, numbers_past_pid_t_are_refused)
{
	static const char *const bad[] = { "4294967297", "-5", "12x", "", "0", "2147483648" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { HOTSPAN, "-p", bad[i], "-e", "BEGIN { exit(); }", NULL };
		char line[128];

		snprintf(line, sizeof(line), "hotspan: -p wants a process id, not '%s'", bad[i]);
		expect_error(argv, 1, line);
	}
}

Test(pid, a_binary_the_process_does_not_run_is_an_error)
{
	const char *target[] = { THREADS, "-wait", NULL };
	char pid[16], line[128];
	const char *argv[] = { HOTSPAN, "-p", pid, "-e",
			       "uprobe:" TOUCH ":main.touch { @ = count(); }", NULL };
	struct proc t;
	struct proc_result r;

	cr_assert_eq(proc_start(&t, target), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000));
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	snprintf(line, sizeof(line), "-e:1:1: error: process %d does not run " TOUCH, (int)t.pid);
	expect_error(argv, 1, line);
	proc_write(&t, "\n");
	cr_assert_eq(proc_finish(&t, &r, 10000), 0);
	proc_result_free(&r);
}

Test(fifo, as_a_binary_or_a_trace_is_refused_at_once)
{
	char *dir = tmpdir(), fifo[128], prog[200], line[256];

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	snprintf(prog, sizeof(prog), "uprobe:%s:main.f { @ = count(); }", fifo);
	snprintf(line, sizeof(line), "-e:1:1: error: %s is not an x86-64 Go executable", fifo);
	{
		const char *argv[] = { HOTSPAN, "-e", prog, NULL };

		expect_error(argv, 1, line);
	}
	snprintf(line, sizeof(line), "error: cannot replay %s: it is a FIFO, not a trace file",
		 fifo);
	{
		const char *argv[] = { HOTSPAN, "replay", fifo, NULL };

		expect_error(argv, 1, line);
	}
}

/*
 * Under low limits of open files a run fails somewhere (loading, reading
 * maps, attaching): never as a verifier rejection, always with the limit
 * named. Found at 16 to 20 descriptors for this script.
 */
Test(limits, out_of_descriptors_is_said_so, .timeout = 120)
{
	int at_load = 0;

	need_bpf();
	for (int n = 12; n <= 40; n++) {
		char cmd[512];
		const char *argv[] = { "sh", "-c", cmd, NULL };
		struct proc_result r;

		snprintf(cmd, sizeof(cmd), "ulimit -n %d; exec " HOTSPAN " -e "
			 "'uprobe:" TOUCH ":main.* { @[func] = count(); } "
			 "uprobe:" TOUCH ":runtime.mallocgc { @m = count(); } END { exit(); }' "
			 "-c '" TOUCH " -buckets 2 -per 10'", n);
		cr_assert_eq(proc_run(argv, NULL, &r), 0);
		if (r.status) {
			cr_expect(!strstr(r.err, "verifier"), "ulimit -n %d:\n%s", n, r.err);
			cr_expect(strstr(r.err, "(ulimit -n)"), "ulimit -n %d:\n%s", n, r.err);
			at_load += !strncmp(r.err, "error: out of file descriptors loading", 38);
		}
		proc_result_free(&r);
	}
	cr_expect_gt(at_load, 0, "no run failed while loading");
}

/* Sums the values of "@name[...]: N" lines. */
static long sum_of(const char *out, const char *name)
{
	size_t len = strlen(name);
	long sum = 0;

	for (const char *p = out; (p = strstr(p, name)); p += len)
		if ((p == out || p[-1] == '\n') && p[len] == '[')
			sum += atol(strstr(p, "]: ") + 3);
	return sum;
}

/*
 * Defect 12: keys past a map's 4096 were dropped with no word. touch calls
 * main.touch 10,100 times with 4,400 different arguments: what the map
 * holds plus what it dropped is every call, and both are said.
 */
Test(maps, updates_a_full_map_drops_are_counted)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "uprobe:" TOUCH ":main.touch { @m[arg0] = count(); @n = count(); }",
			       "-c", TOUCH " -buckets 100 -per 2", NULL };
	const char *json[] = { HOTSPAN, "-f", "json", "-e",
			       "uprobe:" TOUCH ":main.touch { @v[arg0] = arg0; }",
			       "-c", TOUCH " -buckets 100 -per 2", NULL };
	struct proc_result r;
	const char *w;
	long held, dropped;

	need_bpf();
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	held = sum_of(r.out, "@m");
	w = strstr(r.err, "warning: map @m was full: ");
	cr_assert_not_null(w, "%s", r.err);
	dropped = atol(w + strlen("warning: map @m was full: "));
	cr_expect(strstr(w, " updates of keys beyond its 4096 were dropped\n"), "%s", r.err);
	cr_expect_gt(dropped, 0);
	cr_expect_eq(held + dropped, 10100, "held %ld, dropped %ld", held, dropped);
	cr_expect(strstr(r.out, "\n@n: 10100\n"), "%s", r.out);
	proc_result_free(&r);

	cr_assert_eq(proc_run(json, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "{\"type\": \"map_full\", \"data\": {\"map\": \"@v\", \"dropped\": "),
		  "%s", r.err);
	proc_result_free(&r);
}
