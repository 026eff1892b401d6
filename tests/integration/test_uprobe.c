// SPDX-License-Identifier: MIT
/*
 * The first slice against the real kernel: hotspan compiles, loads and
 * attaches uprobes to the example Go program, whose own report of what it
 * did is the truth the counts must equal exactly. Where bpftrace can run the
 * same script, its output is the reference, byte for byte.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define TOUCH "build/go/touch"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

/* Counts the program printed: "bucket B: N" lines; returns the number of buckets. */
static int program_counts(const char *out, long *counts, int max)
{
	int n = 0;

	for (const char *p = strstr(out, "bucket "); p; p = strstr(p + 1, "bucket ")) {
		int b;
		long c;

		if (sscanf(p, "bucket %d: %ld", &b, &c) == 2 && b >= 0 && b < max) {
			counts[b] = c;
			if (b + 1 > n)
				n = b + 1;
		}
	}
	return n;
}

/* Value of `@name[key]: value` lines of hotspan's text output; -1 when absent. */
static long map_value(const char *out, const char *name, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s[%s]: ", name, key);
	p = strstr(out, pat);
	return p ? atol(p + strlen(pat)) : -1;
}

static int count_lines_starting(const char *out, const char *prefix)
{
	int n = 0;

	for (const char *p = out; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		n += !strncmp(p, prefix, strlen(prefix));
	}
	return n;
}

Test(uprobe, counts_per_key_equal_the_programs_own_with_c)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "uprobe:" TOUCH ":main.touch { @c[arg0 / 50] = count(); }",
			       "-c", TOUCH " -buckets 6 -per 200", NULL };
	struct proc_result r;
	long want[16] = { 0 };
	int n;

	need_bpf();
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	n = program_counts(r.out, want, 16);
	cr_assert_eq(n, 6, "%s", r.out);
	for (int b = 0; b < n; b++) {
		char key[16];

		snprintf(key, sizeof(key), "%d", b);
		cr_expect_eq(map_value(r.out, "@c", key), want[b], "bucket %d\n%s", b, r.out);
	}
	cr_expect_eq(count_lines_starting(r.out, "@c["), 6, "%s", r.out);
	proc_result_free(&r);
}

Test(uprobe, predicate_and_several_keys)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "uprobe:" TOUCH ":main.touch /arg0 % 2 == 0/ "
			       "{ @e[arg0 / 50, arg0 % 2] = count(); @all = count(); }",
			       "-c", TOUCH " -buckets 4 -per 75", NULL };
	struct proc_result r;
	long total = 0;

	need_bpf();
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	for (int b = 0; b < 4; b++) {
		/* The program touches b*50 + j%50 for j < (b+1)*75. */
		long even = 0;
		char key[16];

		for (int j = 0; j < (b + 1) * 75; j++)
			even += (j % 50) % 2 == 0;
		total += even;
		snprintf(key, sizeof(key), "%d, 0", b);
		cr_expect_eq(map_value(r.out, "@e", key), even, "bucket %d\n%s", b, r.out);
	}
	cr_expect_eq(count_lines_starting(r.out, "@e["), 4, "%s", r.out);
	cr_expect(strstr(r.out, "\n@all: ") && atol(strstr(r.out, "\n@all: ") + 7) == total,
		  "%s", r.out);
	proc_result_free(&r);
}

/* uretprobe makes one program per RET: func and probe still key by function. */
Test(uprobe, func_and_probe_keys_are_one_entry_per_function)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "uretprobe:build/go/rets:main.classify { @p[probe] = count(); "
			       "@f[func] = count(); } uprobe:build/go/rets:main.classify "
			       "{ @f[func] = count(); }",
			       "-c", "build/go/rets", NULL };
	struct proc_result r;

	need_bpf();
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect_eq(count_lines_starting(r.out, "@p["), 1, "%s", r.out);
	cr_expect_eq(count_lines_starting(r.out, "@f["), 1, "%s", r.out);
	cr_expect_eq(map_value(r.out, "@f", "main.classify"),
		     2 * map_value(r.out, "@p", "uretprobe:build/go/rets:main.classify"),
		     "%s", r.out);
	proc_result_free(&r);
}

Test(uprobe, p_traces_a_running_process_until_it_exits)
{
	const char *target[] = { TOUCH, "-wait", "-buckets", "5", "-per", "120", NULL };
	struct proc t, h;
	struct proc_result tr, hr;
	char pid[32];
	long want[16] = { 0 };
	int n;

	need_bpf();
	cr_assert_eq(proc_start(&t, target), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000), "target did not start");
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	{
		const char *argv[] = { HOTSPAN, "--notify", "-p", pid, "-e",
				       "uprobe::main.touch { @c[arg0 / 50] = count(); }", NULL };

		cr_assert_eq(proc_start(&h, argv), 0);
	}
	cr_assert(proc_wait_for(&h, "hotspan: attached 1 probe", true, 30000),
		  "no attach marker; stderr: %s", h.err_buf ? h.err_buf : "");
	proc_write(&t, "go\n");
	proc_finish(&t, &tr, 60000);
	cr_assert_eq(tr.status, 0);
	proc_finish(&h, &hr, 30000);
	cr_assert_eq(hr.status, 0, "stderr: %s", hr.err);
	n = program_counts(tr.out, want, 16);
	cr_assert_eq(n, 5);
	for (int b = 0; b < n; b++) {
		char key[16];

		snprintf(key, sizeof(key), "%d", b);
		cr_expect_eq(map_value(hr.out, "@c", key), want[b], "bucket %d\n%s", b, hr.out);
	}
	proc_result_free(&tr);
	proc_result_free(&hr);
}

/* Runs the same script and workload through hotspan and bpftrace. */
static void same_as_bpftrace(const char *script_fmt, const char *format)
{
	char touch[PATH_MAX], script[1024], cmd[PATH_MAX + 64];
	struct proc_result h, b;

	need_bpf();
	cr_assert_not_null(realpath(TOUCH, touch));
	snprintf(script, sizeof(script), script_fmt, touch);
	snprintf(cmd, sizeof(cmd), "%s -buckets 5 -per 60", touch);
	{
		const char *argv[] = { HOTSPAN, "-f", format, "-e", script, "-c", cmd, NULL };

		cr_assert_eq(proc_run(argv, NULL, &h), 0);
	}
	{
		const char *argv[] = { "bpftrace", "-f", format, "-e", script, "-c", cmd, NULL };

		cr_assert_eq(proc_run(argv, NULL, &b), 0);
		cr_assert_neq(b.status, 127, "bpftrace is not installed: run scripts/install-deps");
	}
	cr_expect_eq(h.status, 0, "hotspan: %s", h.err);
	cr_expect_eq(b.status, 0, "bpftrace: %s", b.err);
	proc_drop_lines(h.out, "{\"type\": \"cost\"");
	cr_expect_str_eq(h.out, b.out, "script: %s\n--- hotspan\n%s--- bpftrace\n%s", script,
			 h.out, b.out);
	proc_result_free(&h);
	proc_result_free(&b);
}

Test(uprobe, json_output_equals_bpftrace)
{
	same_as_bpftrace("uprobe:%s:main.touch { @c[reg(\"ax\") / 50] = count(); @n = count(); "
			 "@k[reg(\"ax\") %% 3, 7] = count(); }", "json");
}

Test(uprobe, text_output_equals_bpftrace)
{
	same_as_bpftrace("uprobe:%s:main.touch /reg(\"ax\") > 20/ "
			 "{ @c[reg(\"ax\") / 50] = count(); @n = count(); }", "text");
}

Test(uprobe, begin_end_and_exit_equal_bpftrace)
{
	const char *script = "BEGIN { @b = count(); @k[-3, 4] = count(); exit(); } "
			     "END { @e = count(); }";
	const char *hv[] = { HOTSPAN, "-e", script, NULL };
	const char *bv[] = { "bpftrace", "-e", script, NULL };
	struct proc_result h, b;

	need_bpf();
	cr_assert_eq(proc_run(hv, NULL, &h), 0);
	cr_assert_eq(proc_run(bv, NULL, &b), 0);
	cr_expect_eq(h.status, 0, "%s", h.err);
	cr_expect_str_eq(h.out, "Attaching 2 probes...\n\n\n@b: 1\n@e: 1\n@k[-3, 4]: 1\n");
	cr_expect_str_eq(h.out, b.out);
	proc_result_free(&h);
	proc_result_free(&b);
}

/* A Go string is a pointer and a length, without a NUL: str(arg0, arg1)
 * reads it, cut at 63 bytes; the program prints how often it passed each. */
Test(uprobe, str_reads_go_strings_from_two_registers)
{
	const char *argv[] = { HOTSPAN, "-e",
			       "uprobe:build/go/strs:main.greet { @[str(arg0, arg1)] = count(); }",
			       "-c", "build/go/strs", NULL };
	const char *names[] = { "gopher",
				"a-much-longer-name-than-sixty-four-bytes-to-see-str-cut-it-at-63-bytes",
				"x" };
	struct proc_result r;

	need_bpf();
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	for (int i = 0; i < 3; i++) {
		char line[128], key[64];

		snprintf(line, sizeof(line), "%s: %d\n", names[i], (i + 1) * 10);
		cr_expect(strstr(r.out, line), "the program did not say %s", line);
		snprintf(key, sizeof(key), "%.63s", names[i]);
		cr_expect_eq(map_value(r.out, "@", key), (i + 1) * 10, "%s\n%s", key, r.out);
	}
	cr_expect_eq(count_lines_starting(r.out, "@["), 3, "%s", r.out);
	proc_result_free(&r);
}

/* To LLVM a division by zero is undefined; to bpftrace it is 0. */
Test(uprobe, division_by_zero_is_zero_as_in_bpftrace)
{
	const char *script = "BEGIN { $z = 0; printf(\"%d %d\\n\", 7 / $z, 7 % $z); "
			     "exit(); }";
	const char *hv[] = { HOTSPAN, "-e", script, NULL };
	const char *bv[] = { "bpftrace", "-e", script, NULL };
	struct proc_result h, b;

	need_bpf();
	cr_assert_eq(proc_run(hv, NULL, &h), 0);
	cr_assert_eq(proc_run(bv, NULL, &b), 0);
	cr_expect_str_eq(h.out, "Attaching 1 probe...\n0 0\n\n\n");
	cr_expect_str_eq(h.out, b.out);
	proc_result_free(&h);
	proc_result_free(&b);
}

Test(uprobe, traced_program_output_is_unchanged)
{
	const char *plain[] = { TOUCH, "-buckets", "3", "-per", "50", NULL };
	const char *traced[] = { HOTSPAN, "-e", "uprobe:" TOUCH ":main.touch { @c = count(); }",
				 "-c", TOUCH " -buckets 3 -per 50", NULL };
	struct proc_result p, t;

	need_bpf();
	cr_assert_eq(proc_run(plain, NULL, &p), 0);
	cr_assert_eq(proc_run(traced, NULL, &t), 0);
	cr_assert_eq(t.status, 0, "%s", t.err);
	cr_expect(strstr(t.out, p.out) != NULL, "plain:\n%s\ntraced:\n%s", p.out, t.out);
	cr_expect(strstr(t.out, "@c: 300\n") != NULL, "%s", t.out);
	proc_result_free(&p);
	proc_result_free(&t);
}

struct failure {
	const char *script;
	const char *first_line;
};

static const struct failure failures[] = {
	{ "uprobe:./no/such/bin:main.touch { @c = count(); }",
	  "-e:1:1: error: cannot open ./no/such/bin: No such file or directory\n" },
	{ "uprobe:" TOUCH ":main.nothere { @c = count(); }",
	  "-e:1:1: error: function main.nothere not found in " TOUCH "\n" },
	{ "uprobe:" TOUCH ":main.touch { @c = count() ",
	  "-e:1:49: error: syntax error, unexpected end of file, expecting '}'\n" },
};

Test(cli, errors_are_one_clear_line_and_exit_1)
{
	for (size_t i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
		const char *argv[] = { HOTSPAN, "-e", failures[i].script, NULL };
		struct proc_result r;

		cr_assert_eq(proc_run(argv, NULL, &r), 0);
		cr_expect_eq(r.status, 1, "%s", failures[i].script);
		cr_expect(!strncmp(r.err, failures[i].first_line, strlen(failures[i].first_line)),
			  "got:\n%s", r.err);
		cr_expect_str_eq(r.out, "");
		proc_result_free(&r);
	}
}

Test(cli, a_user_without_bpf_rights_gets_one_line)
{
	/* The clone may sit in a folder only root can enter: run a copy. */
	char dir[] = "/tmp/hotspan-userXXXXXX", bin[64], cmd[256];
	const char *argv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
			       "--inh-caps=-all", bin, "-e", "BEGIN { @c = count(); }", NULL };
	struct proc_result r;

	if (geteuid() != 0)
		cr_skip_test("needs root to switch to an unprivileged user");
	cr_assert_not_null(proc_mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/hotspan", dir);
	snprintf(cmd, sizeof(cmd), "chmod 755 %s && cp " HOTSPAN " %s", dir, bin);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.err, "error: permission denied loading BPF programs: run hotspan as "
				"root (it needs CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE)\n");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
	proc_result_free(&r);
}

Test(cli, emit_obj_writes_an_object_bpftool_reads)
{
	char path[] = "/tmp/hotspan-objXXXXXX";
	int fd = proc_mkstemp(path);
	const char *argv[] = { HOTSPAN, "--emit-obj", path, "-e",
			       "uprobe:" TOUCH ":main.touch { @c[arg0, pid] = count(); }", NULL };
	const char *dump[] = { "bpftool", "btf", "dump", "file", path, NULL };
	struct proc_result r, d;

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(proc_run(dump, NULL, &d), 0);
	cr_assert_eq(d.status, 0, "bpftool: %s", d.err);
	cr_expect(strstr(d.out, "VAR 'm0'") != NULL, "%s", d.out);
	cr_expect(strstr(d.out, "nr_elems=4096") != NULL, "%s", d.out);	/* max_entries */
	cr_expect(strstr(d.out, "FUNC 'p0'") != NULL, "%s", d.out);
	cr_expect(strstr(d.out, "DATASEC '.maps'") != NULL, "%s", d.out);
	unlink(path);
	proc_result_free(&r);
	proc_result_free(&d);
}

Test(cli, sigterm_stops_tracing_and_prints_the_maps)
{
	const char *argv[] = { HOTSPAN, "--notify", "-e", "BEGIN { @b = count(); }", NULL };
	struct proc_result r;
	struct proc h;

	need_bpf();
	cr_assert_eq(proc_start(&h, argv), 0);
	cr_assert(proc_wait_for(&h, "hotspan: attached", true, 30000), "never attached");
	kill(h.pid, SIGTERM);
	proc_finish(&h, &r, 30000);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "Attaching 1 probe...\n\n\n@b: 1\n");
	proc_result_free(&r);
}
