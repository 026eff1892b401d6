// SPDX-License-Identifier: MIT
/*
 * Output against bpftrace 0.17, byte for byte: the same script, with Go
 * arguments read through reg(), run by both tools on the same quiet Go
 * program (build/go/outputs, pinned to one CPU so that bpftrace's per-CPU
 * buffers keep printf and print() in call order), in text and in -f json.
 * What bpftrace cannot print for Go (func and ustack of a process that has
 * exited, elapsed) is checked against what the program did.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define BPFTRACE "/usr/bin/bpftrace"
#define PROG "build/go/outputs"
#define CMD "/usr/bin/taskset -c 0 " PROG
#define REC "uprobe:" PROG ":main.record"
#define PHASE "uprobe:" PROG ":main.phase"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

static void need_bpftrace(void)
{
	need_bpf();
	if (access(BPFTRACE, X_OK) || access("/usr/bin/taskset", X_OK))
		cr_skip_test("bpftrace and taskset are needed to compare with");
}

/* Runs a tool on script with -c CMD and the given parameters; its stdout. */
static char *run(const char *tool, const char *script, bool json, const char *cmd,
		 const char *const params[])
{
	const char *argv[16];
	struct proc_result r;
	char *out;
	int n = 0;

	argv[n++] = tool;
	if (json) {
		argv[n++] = "-f";
		argv[n++] = "json";
	}
	argv[n++] = "-e";
	argv[n++] = script;
	argv[n++] = "-c";
	argv[n++] = cmd;
	for (int i = 0; params && params[i] && n < 15; i++)
		argv[n++] = params[i];
	argv[n] = NULL;
	cr_assert_eq(proc_run(argv, NULL, &r), 0, "%s did not run", tool);
	cr_assert_eq(r.status, 0, "%s failed (%d): %s", tool, r.status, r.err);
	out = r.out;
	r.out = NULL;
	proc_result_free(&r);
	return out;
}

/* First differing line, so a failure says where. */
static void expect_same(const char *script, bool json, const char *got, const char *want)
{
	const char *g = got, *w = want, *line = got;

	while (*g && *g == *w) {
		if (*g == '\n')
			line = g + 1;
		g++;
		w++;
	}
	cr_expect_str_eq(got, want,
			 "%s%s\nhotspan differs from bpftrace at \"%.70s\"\nbpftrace has \"%.70s\"",
			 json ? "-f json " : "", script, line, want + (line - got));
}

static void same_as_bpftrace_with(const char *script, const char *cmd,
				  const char *const params[])
{
	need_bpftrace();
	for (int json = 0; json <= 1; json++) {
		char *want = run(BPFTRACE, script, json, cmd, params);
		char *got = run(HOTSPAN, script, json, cmd, params);

		expect_same(script, json, got, want);
		free(want);
		free(got);
	}
}

static void same_as_bpftrace(const char *script)
{
	same_as_bpftrace_with(script, CMD, NULL);
}

Test(output, counts_by_key_and_without)
{
	same_as_bpftrace(REC " { @c[reg(\"ax\")] = count(); @n = count(); }");
}

Test(output, keys_of_several_parts)
{
	same_as_bpftrace(REC " { @c[reg(\"ax\"), reg(\"bx\") / 100] = count(); }");
}
