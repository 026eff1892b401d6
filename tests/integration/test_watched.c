// SPDX-License-Identifier: MIT
/*
 * The watched program never breaks (issue 14): a Go program that keeps the
 * garbage collector busy prints the same checksum watched as unwatched,
 * with a probe on every write barrier (runtime.gcWriteBarrierR8 starts with
 * 49 90, xchg %rax,%r8, which the kernel emulates as a NOP: a probe there
 * crashed it in 3 runs of 3) and with one on every runtime function.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define GCPRESS "build/go/gcpress"

static void need_bpf(void)
{
	const char *why = proc_bpf_missing();

	if (why)
		cr_skip_test("%s", why);
}

/* The "checksum X" line of gcpress's output, or NULL. */
static char *checksum(const char *out)
{
	const char *p = strstr(out, "checksum ");
	const char *nl = p ? strchr(p, '\n') : NULL;

	return p && nl ? strndup(p, nl - p) : NULL;
}

/* Runs gcpress with args alone, then under hotspan with script; the
 * checksums must agree and hotspan must succeed. Returns hotspan's output. */
static char *same_watched(const char *args, const char *script)
{
	char cmd[256], *want, *got, *out;
	const char *plain[] = { GCPRESS, NULL, NULL, NULL, NULL, NULL };
	const char *watched[] = { HOTSPAN, "-e", script, "-c", cmd, NULL };
	struct proc_result r;
	char *copy = strdup(args), *save = NULL;
	int i = 1;

	for (char *t = strtok_r(copy, " ", &save); t && i < 5; t = strtok_r(NULL, " ", &save))
		plain[i++] = t;
	cr_assert_eq(proc_run(plain, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "unwatched: %s", r.err);
	want = checksum(r.out);
	cr_assert_not_null(want, "%s", r.out);
	proc_result_free(&r);
	free(copy);

	snprintf(cmd, sizeof(cmd), "%s %s", GCPRESS, args);
	cr_assert_eq(proc_run(watched, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "watched: status %d\n%s\n%s", r.status, r.out, r.err);
	got = checksum(r.out);
	cr_assert_not_null(got, "%s\n%s", r.out, r.err);
	cr_assert_str_eq(got, want, "%s", r.err);
	free(want);
	free(got);
	out = r.out;
	r.out = NULL;
	proc_result_free(&r);
	return out;
}

/* Every write barrier variant, R8 included, while the collector marks. */
Test(watched, gc_write_barriers_run_the_same)
{
	char *out;
	const char *p;

	need_bpf();
	out = same_watched("-rounds 5000",
			   "uprobe:" GCPRESS ":runtime.gcWriteBarrier* { @[func] = count(); }");
	/* Not vacuous: the R8 variant ran under its probe. */
	p = strstr(out, "@[runtime.gcWriteBarrierR8]: ");
	cr_assert(p && atol(p + strlen("@[runtime.gcWriteBarrierR8]: ")) > 0, "%s", out);
	free(out);
}

/* 1,000 and more probes: the whole runtime, the scheduler and the collector. */
Test(watched, every_runtime_function_runs_the_same, .timeout = 300)
{
	need_bpf();
	free(same_watched("-rounds 400 -workers 4",
			  "uprobe:" GCPRESS ":runtime.* { @ = count(); }"));
}
