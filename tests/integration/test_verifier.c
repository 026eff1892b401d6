// SPDX-License-Identifier: MIT
/*
 * A program the kernel's verifier rejects is reported at the script line of
 * its probe, with the verifier's own last lines. The compiler never makes
 * such a program on purpose, so the test makes one: it compiles a script,
 * then turns the null check after the first map lookup in the object
 * around, so the program uses the pointer exactly when it is NULL, and lets
 * the real kernel judge it. A session that had started attaching before
 * the rejection (session__begin, as hotspan does while compiling) must
 * leave no link behind.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/attach.h"
#include "runtime/session.h"
#include "tests/lib/proc.h"
#include "tests/lib/script.h"

#define SCRIPT "BEGIN\n{\n\t@c[pid] = count();\n\texit();\n}\n"

/* Turns the test of r0 against 0 after each call to map_lookup_elem around
 * (`if r0 == 0 goto` into `if r0 != 0 goto`, and back), so that some path
 * uses a NULL value whatever shape bpf-lib's functions have; returns false
 * when there is none. */
static bool invert_null_check(struct plan *plan)
{
	static const unsigned char lookup[8] = { 0x85, 0, 0, 0, 1, 0, 0, 0 };
	unsigned char *obj = plan->obj, *end = obj + plan->obj_size;
	unsigned char *p = memmem(obj, plan->obj_size, lookup, sizeof(lookup));
	bool done = false;

	while (p) {
		for (unsigned char *q = p + 8; q + 16 <= end; q += 8) {
			if (q[0] == 0x85) /* the next call */
				break;
			if ((q[0] == 0x15 || q[0] == 0x55) && q[1] == 0x00 &&	/* JEQ, JNE r0 */
			    !q[4] && !q[5] && !q[6] && !q[7]) {			/* , 0 */
				q[0] ^= 0x15 ^ 0x55;
				done = true;
				break;
			}
		}
		p += 8;
		p = p < end ? memmem(p, end - p, lookup, sizeof(lookup)) : NULL;
	}
	return done;
}

Test(verifier, a_rejected_program_is_reported_at_its_probe_with_the_verifiers_lines)
{
	const char *why = proc_bpf_missing();
	struct session_opts so = { .out = stdout };
	struct source *src = source__new("t.hot", SCRIPT, strlen(SCRIPT));
	struct diag_list *dl = diag_list__new();
	struct session *s;
	struct plan *plan;
	char *diags, *text = NULL;
	size_t len = 0;
	FILE *f;

	if (why)
		cr_skip_test("%s", why);
	plan = test_compile(SCRIPT, &diags);
	cr_assert_not_null(plan, "%s", diags);
	cr_assert(invert_null_check(plan), "no null check after a map lookup in the object");
	s = session__new(&so);
	cr_assert_not_null(s);
	cr_assert_neq(session__load(s, plan, dl), 0, "the kernel loaded a program without a null check");
	f = open_memstream(&text, &len);
	diag_list__render(dl, src, f);
	fclose(f);
	cr_expect(!strncmp(text, "t.hot:1:1: error: the kernel's verifier rejected the program "
			   "of BEGIN: ", 65), "%s", text);
	cr_expect(strstr(text, "\nBEGIN\n^~~~~\n"), "no caret under the probe:\n%s", text);
	cr_expect(strstr(text, "note: verifier: R0 invalid mem access"), "no verifier lines:\n%s", text);
	cr_expect(!strstr(text, "permission denied"), "%s", text);
	session__free(s);
	diag_list__free(dl);
	source__free(src);
	free(diags);
	free(text);
}

/* BPF links this process holds (fdinfo "link_type:"). */
static int links_held(void)
{
	DIR *d = opendir("/proc/self/fdinfo");
	struct dirent *e;
	char path[300], line[128];
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%s", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			n += !strncmp(line, "link_type:", 10);
		fclose(f);
	}
	closedir(d);
	return n;
}

Test(verifier, a_rejection_after_attaching_started_leaves_nothing_attached)
{
	const char *why = proc_bpf_missing();
	struct session_opts so = { .out = stdout };
	struct diag_list *dl = diag_list__new();
	struct session *s;
	struct plan *plan;
	char *diags;

	if (why)
		cr_skip_test("%s", why);
	plan = test_compile(SCRIPT, &diags);
	cr_assert_not_null(plan, "%s", diags);
	cr_assert(invert_null_check(plan));
	cr_assert_eq(links_held(), 0);
	s = session__new(&so);
	cr_assert_not_null(s);
	cr_assert_eq(session__begin(s, plan, dl), 0);
	/* BEGIN's uprobe is linked in a thread (and one more, for a while, to
	 * measure what a hit costs); wait for it where links exist. */
	for (int i = 0; attach_uprobe_multi_usable() && !links_held() && i < 5000; i++)
		usleep(1000);
	cr_assert(!attach_uprobe_multi_usable() || links_held() >= 1,
		  "attaching did not start: %d links", links_held());
	cr_assert_neq(session__load(s, plan, dl), 0, "the kernel loaded a program without a null check");
	session__free(s);
	cr_expect_eq(links_held(), 0, "a link outlived its session");
	diag_list__free(dl);
	free(diags);
}
