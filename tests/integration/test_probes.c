// SPDX-License-Identifier: MIT
/*
 * Probe kinds against the real kernel: return probes on a Go program that
 * knows how often each of its returns was taken (tests/go/rets), timers,
 * and user stacks. The traced program's own output is the truth: counts
 * must equal it, and its results (a checksum of every return value) must
 * not change because it was traced.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/gobin.h"
#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define RETS "build/go/rets"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

/* The number after "NAME: " in out, or -1. */
static long line_value(const char *out, const char *name)
{
	char pat[256];
	const char *p;

	snprintf(pat, sizeof(pat), "%s: ", name);
	for (p = strstr(out, pat); p; p = strstr(p + 1, pat))
		if (p == out || p[-1] == '\n')
			return atol(p + strlen(pat));
	return -1;
}

/* The "checksum: N" line of the program's output. */
static char *checksum(const char *out)
{
	const char *p = strstr(out, "checksum: ");

	cr_assert_not_null(p, "%s", out);
	return strndup(p, strcspn(p, "\n"));
}

/* The program's output when nothing traces it. */
static char *plain_checksum(const char *n)
{
	const char *argv[] = { RETS, "-n", n, NULL };
	struct proc_result r;
	char *sum;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0);
	sum = checksum(r.out);
	proc_result_free(&r);
	return sum;
}

static void run_traced(const char *script, const char *cmd, struct proc_result *r)
{
	const char *argv[] = { HOTSPAN, "-e", script, "-c", cmd, NULL };

	cr_assert_eq(proc_run(argv, NULL, r), 0);
	cr_assert_eq(r->status, 0, "hotspan: %s\n%s", r->err, r->out);
}

/*
 * Every return of classify, pick and find, told apart by the value it
 * returns (RAX at the RET is the first result, arg0), counted exactly as
 * the program counted them; grow recurses deep enough that Go copies its
 * stack with thousands of traced frames live, and still returns right.
 */
Test(uretprobe, counts_per_return_equal_the_programs_own)
{
	struct proc_result r;
	char *plain, *traced;

	need_bpf();
	plain = plain_checksum("1500");
	run_traced("uretprobe:" RETS ":main.classify { @c[arg0 + 1] = count(); }"
		   "uretprobe:" RETS ":main.pick { @p[arg0 >= 200] = count(); }"
		   "uretprobe:" RETS ":main.find { @f[arg0 + 1 == 0] = count(); }"
		   "uretprobe:" RETS ":main.grow { @g = count(); }",
		   RETS " -n 1500", &r);
	cr_expect_eq(line_value(r.out, "@c[0]"), line_value(r.out, "classify -1"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@c[1]"), line_value(r.out, "classify 0"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@c[2]"), line_value(r.out, "classify 1"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@c[4]"), line_value(r.out, "classify 3"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@p[0]"), line_value(r.out, "pick odd"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@p[1]"), line_value(r.out, "pick even"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@f[0]"), line_value(r.out, "find hit"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@f[1]"), line_value(r.out, "find miss"), "%s", r.out);
	cr_expect_eq(line_value(r.out, "@g"), line_value(r.out, "grow calls"), "%s", r.out);
	cr_expect_gt(line_value(r.out, "classify -1"), 0, "%s", r.out);
	traced = checksum(r.out);
	cr_expect_str_eq(traced, plain);
	free(traced);
	free(plain);
	proc_result_free(&r);
}

/* One probe per RET: the instruction pointer at each hit is one of the RETs
 * gobin found, every one of them fires, and their hits add up to the calls. */
Test(uretprobe, each_ret_is_its_own_probe)
{
	struct gobin *gb = gobin__open(RETS);
	struct gobin_site *sites;
	struct gobin_func fn;
	struct proc_result r;
	long total = 0;
	size_t n;

	need_bpf();
	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "main.classify", &fn), 0);
	cr_assert_eq(gobin__ret_sites(gb, &fn, &sites, &n), 0);
	cr_assert_eq(n, 4);
	run_traced("uretprobe:" RETS ":main.classify { @ip[reg(\"ip\")] = count(); }",
		   RETS " -n 700", &r);
	cr_expect(strstr(r.out, "Attaching 4 probes...\n"), "%s", r.out);
	for (size_t i = 0; i < n; i++) {
		char key[64];
		long v;

		snprintf(key, sizeof(key), "@ip[%" PRIu64 "]", sites[i].vaddr);
		v = line_value(r.out, key);
		cr_expect_gt(v, 0, "RET at %s+%#" PRIx64 " never hit\n%s", fn.name,
			     sites[i].func_offset, r.out);
		total += v;
	}
	cr_expect_eq(total, line_value(r.out, "classify -1") + line_value(r.out, "classify 0") +
			    line_value(r.out, "classify 1") + line_value(r.out, "classify 3"),
		     "%s", r.out);
	free(sites);
	gobin__close(gb);
	proc_result_free(&r);
}

/* A wildcard over every main function of a running process (-p), the
 * recursion and the never-returning function included: the program runs
 * to its end with the same results. */
Test(uretprobe, wildcard_on_a_running_process_changes_nothing)
{
	const char *target[] = { RETS, "-wait", "-n", "800", NULL };
	struct proc_result tr, hr;
	struct proc t, h;
	char pid[32], *plain, *traced;

	need_bpf();
	plain = plain_checksum("800");
	cr_assert_eq(proc_start(&t, target), 0);
	cr_assert(proc_wait_for(&t, "ready", false, 10000), "target did not start");
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	{
		const char *argv[] = { HOTSPAN, "--notify", "-p", pid, "-e",
				       "uretprobe::main.* { @[pid] = count(); }", NULL };

		cr_assert_eq(proc_start(&h, argv), 0);
	}
	cr_assert(proc_wait_for(&h, "hotspan: attached", true, 30000),
		  "no attach marker; stderr: %s", h.err_buf ? h.err_buf : "");
	proc_write(&t, "go\n");
	proc_finish(&t, &tr, 60000);
	cr_assert_eq(tr.status, 0, "%s", tr.err);
	proc_finish(&h, &hr, 30000);
	cr_assert_eq(hr.status, 0, "stderr: %s", hr.err);
	traced = checksum(tr.out);
	cr_expect_str_eq(traced, plain);
	{
		char key[48];

		/* After "go": classify 2n times (once more from pick), pick, find,
		 * inner, work and fromA or fromB n times each, grow, main.main once. */
		snprintf(key, sizeof(key), "@[%s]", pid);
		cr_expect_eq(line_value(hr.out, key), 7 * 800 + line_value(tr.out, "grow calls") + 1,
			     "%s", hr.out);
	}
	free(traced);
	free(plain);
	proc_result_free(&tr);
	proc_result_free(&hr);
}

Test(uretprobe, list_shows_every_return_with_its_line)
{
	const char *argv[] = { HOTSPAN, "-l", "uretprobe:" RETS ":main.f*", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.out, "uretprobe:" RETS ":main.find 2 returns\n\tmain.find+0x",
			   strlen("uretprobe:" RETS ":main.find 2 returns\n\tmain.find+0x")),
		  "%s", r.out);
	cr_expect(strstr(r.out, "\nuretprobe:" RETS ":main.fromA 1 return\n"), "%s", r.out);
	cr_expect(strstr(r.out, "\nuretprobe:" RETS ":main.fromB 1 return\n"), "%s", r.out);
	cr_expect(strstr(r.out, "tests/go/rets/main.go:"), "%s", r.out);
	proc_result_free(&r);
}
