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

#include "gobin/gobin.h"
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

/* -l A B: both listed, in their order (one was listed, the rest ignored). */
Test(uretprobe, list_takes_several_probes)
{
	const char *argv[] = { HOTSPAN, "-l", "uretprobe:" RETS ":main.fromB",
			       "uretprobe:" RETS ":main.fromA", NULL };
	struct proc_result r;
	const char *a, *b;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	b = strstr(r.out, "uretprobe:" RETS ":main.fromB 1 return\n");
	a = strstr(r.out, "uretprobe:" RETS ":main.fromA 1 return\n");
	cr_expect(b && a && b < a, "%s", r.out);
	proc_result_free(&r);
}

/*
 * interval: a timer that counts itself and stops the script at its fifth
 * tick prints exactly what bpftrace prints, in text and in JSON.
 */
static void interval_as_bpftrace(const char *format)
{
	const char *script = "interval:ms:100 /@i < 5/ { @i = @i + 1; "
			     "printf(\"tick %d %s\\n\", @i, probe); if (@i == 5) { exit(); } }";
	const char *hv[] = { HOTSPAN, "-f", format, "-e", script, NULL };
	const char *bv[] = { "bpftrace", "-f", format, "-e", script, NULL };
	struct proc_result h, b;

	need_bpf();
	cr_assert_eq(proc_run(hv, NULL, &h), 0);
	cr_assert_eq(proc_run(bv, NULL, &b), 0);
	cr_assert_neq(b.status, 127, "bpftrace is not installed: run scripts/install-deps");
	cr_expect_eq(h.status, 0, "%s", h.err);
	cr_expect(strstr(h.out, "5 interval:ms:100"), "%s", h.out);
	cr_expect_str_eq(h.out, b.out, "--- hotspan\n%s--- bpftrace\n%s", h.out, b.out);
	proc_result_free(&h);
	proc_result_free(&b);
}

Test(interval, ticks_equal_bpftrace_text)
{
	interval_as_bpftrace("text");
}

Test(interval, ticks_equal_bpftrace_json)
{
	interval_as_bpftrace("json");
}

/* Counts a probe's hits while a program runs, printed every interval as
 * bpftrace users write it: every print is a complete map, and the last one
 * before END is never more than the total. */
Test(interval, prints_a_map_every_interval)
{
	struct proc_result r;
	const char *p;
	long last = 0, prints = 0;

	need_bpf();
	run_traced("uprobe:" RETS ":main.grow { @g = count(); } "
		   "interval:ms:20 { print(@g); }",
		   RETS " -n 200000", &r);
	for (p = strstr(r.out, "\n@g: "); p; p = strstr(p + 1, "\n@g: ")) {
		long v = atol(p + 5);

		cr_expect_geq(v, last, "@g went down\n%s", r.out);
		last = v;
		prints++;
	}
	cr_expect_geq(prints, 2, "%s", r.out);	/* at least one interval and END */
	cr_expect_eq(last, line_value(r.out, "grow calls"), "%s", r.out);
	proc_result_free(&r);
}

/* "    CALLER+OFF (SRC:LINE)\n": the frame of the return address after the
 * CALL of callee in caller, as ustack prints it. The offset comes from
 * prog; the line from the fixed-address build (Go's objdump cannot read a
 * PIE's lines), whose source is the same. */
static void call_frame(const char *prog, const char *src, const char *caller,
		       const char *callee, char *out, size_t size)
{
	char cmd[512], line[512], call[256], pos[128];
	uint64_t entry, addr, ret = 0;
	int at = 0;

	snprintf(call, sizeof(call), "CALL %s(SB)", callee);
	for (int pass = 0; pass < 2; pass++) {
		bool after = false;
		FILE *p;

		snprintf(cmd, sizeof(cmd), "go tool objdump -s '^%s$' %s", caller,
			 pass ? RETS : prog);
		p = popen(cmd, "r");
		cr_assert_not_null(p);
		entry = 0;
		while (fgets(line, sizeof(line), p)) {
			if (sscanf(line, " %127s %" SCNx64, pos, &addr) != 2 || !strchr(pos, ':'))
				continue;
			if (!entry)
				entry = addr;
			if (after && !pass)
				ret = addr - entry;
			after = strstr(line, call) != NULL;
			if (after && pass)
				at = atoi(strchr(pos, ':') + 1);
		}
		pclose(p);
	}
	cr_assert(ret && at, "no %s in %s", call, caller);
	snprintf(out, size, "    %s+%" PRIu64 " (%s:%d)\n", caller, ret, src, at);
}

/* The source as the toolchain recorded it for a program built in
 * tests/go/DIR: DIR is its own folder, or the one its build.from names. */
static void source_of(const char *dir, char *src, size_t size)
{
	char cwd[PATH_MAX];

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(src, size, "%s/tests/go/%s/main.go", cwd, dir);
}

/* The count of the stack key that starts with `frames`, or -1. */
static long stack_count(const char *out, const char *frames)
{
	const char *p = strstr(out, frames);

	if (!p || !(p = strstr(p, "]: ")))
		return -1;
	return atol(p + 3);
}

/*
 * @[ustack] at a function's entry, in a program that has exited when the
 * maps are printed (-c): Go names, offsets and lines, the immediate caller
 * included (the frame-pointer walk alone skips it), one stack per caller
 * with the program's own call counts. A PIE the same, its load bias found
 * without the process. prog is rets or rets_pie, both built from the sources
 * of tests/go/rets.
 */
static void entry_stacks(const char *prog)
{
	char script[512], cmd[512], src[PATH_MAX + 32], work[1024], a[1024], b[1024],
	     mainA[1024], mainB[1024], top[PATH_MAX + 64], want[8192];
	struct proc_result r;
	int inner_line;

	need_bpf();
	source_of("rets", src, sizeof(src));
	call_frame(prog, src, "main.work", "main.inner", work, sizeof(work));
	call_frame(prog, src, "main.fromA", "main.work", a, sizeof(a));
	call_frame(prog, src, "main.fromB", "main.work", b, sizeof(b));
	call_frame(prog, src, "main.main", "main.fromA", mainA, sizeof(mainA));
	call_frame(prog, src, "main.main", "main.fromB", mainB, sizeof(mainB));
	{
		struct gobin *gb = gobin__open(RETS);
		struct gobin_func fn;

		cr_assert_not_null(gb);
		cr_assert_eq(gobin__find_func(gb, "main.inner", &fn), 0);
		cr_assert_eq(gobin__addr_to_line(gb, fn.addr, NULL, &inner_line, NULL), 0);
		gobin__close(gb);
	}
	snprintf(top, sizeof(top), "@[\n    main.inner+0 (%s:%d)\n", src, inner_line);
	snprintf(script, sizeof(script), "uprobe:%s:main.inner { @[ustack] = count(); }", prog);
	snprintf(cmd, sizeof(cmd), "%s -n 300", prog);
	run_traced(script, cmd, &r);
	snprintf(want, sizeof(want), "%s%s%s%s", top, work, a, mainA);
	cr_expect_eq(stack_count(r.out, want), line_value(r.out, "fromA"), "want\n%s\ngot\n%s",
		     want, r.out);
	snprintf(want, sizeof(want), "%s%s%s%s", top, work, b, mainB);
	cr_expect_eq(stack_count(r.out, want), line_value(r.out, "fromB"), "want\n%s\ngot\n%s",
		     want, r.out);
	cr_expect(strstr(r.out, "    runtime.main+"), "%s", r.out);
	proc_result_free(&r);
}

Test(ustack, entry_stacks_with_go_names_and_lines)
{
	entry_stacks(RETS);
}

Test(ustack, entry_stacks_of_an_exited_pie)
{
	entry_stacks("build/go/rets_pie");
}

/* At a RET the frame is gone too: the caller still shows, and the top frame
 * is the RET itself. In JSON, the same text in the map's key. */
Test(ustack, return_stacks_in_text_and_json)
{
	char src[PATH_MAX + 32], work[1024], a[1024], want[PATH_MAX + 2200], *json;
	struct gobin_site *rets;
	struct gobin_func fn;
	struct proc_result r;
	struct gobin *gb;
	size_t n;

	need_bpf();
	source_of("rets", src, sizeof(src));
	gb = gobin__open(RETS);
	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "main.inner", &fn), 0);
	cr_assert_eq(gobin__ret_sites(gb, &fn, &rets, &n), 0);
	cr_assert_eq(n, 1);
	call_frame(RETS, src, "main.work", "main.inner", work, sizeof(work));
	call_frame(RETS, src, "main.fromA", "main.work", a, sizeof(a));
	snprintf(want, sizeof(want), "\n    main.inner+%" PRIu64 " (%s:%d)\n%s%s",
		 rets[0].func_offset, src, rets[0].line, work, a);
	run_traced("uretprobe:" RETS ":main.inner { @[ustack] = count(); }", RETS " -n 90", &r);
	{
		char text[sizeof(want) + 8];

		snprintf(text, sizeof(text), "@[%s", want);
		cr_expect_eq(stack_count(r.out, text), line_value(r.out, "fromA"), "want\n%s\n%s",
			     text, r.out);
	}
	proc_result_free(&r);
	{
		const char *argv[] = { HOTSPAN, "-f", "json", "-e",
				       "uretprobe:" RETS ":main.inner { @[ustack] = count(); }",
				       "-c", RETS " -n 90", NULL };
		char *o;

		cr_assert_eq(proc_run(argv, NULL, &r), 0);
		cr_assert_eq(r.status, 0, "%s", r.err);
		json = malloc(2 * strlen(want) + 1);
		o = json;
		for (const char *p = want; *p; p++) {
			if (*p == '\n') {
				*o++ = '\\';
				*o++ = 'n';
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
		cr_expect(strstr(r.out, "{\"type\": \"map\", \"data\": {\"@\": {\""),
			  "%s", r.out);
		cr_expect(strstr(r.out, json), "want\n%s\ngot\n%s", json, r.out);
		free(json);
		proc_result_free(&r);
	}
	free(rets);
	gobin__close(gb);
}
