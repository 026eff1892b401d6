// SPDX-License-Identifier: MIT
/*
 * -o FILE: the file is replaced only once the run is under way, and until
 * then nothing of the run has a name in FILE's folder, so that a run killed
 * with SIGKILL (no handler can clean up) leaves the folder as it was.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/outfile.h"

static char dir[] = "/tmp/hotspan-outfile-XXXXXX";
static char path[sizeof(dir) + 16];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

/* The names in dir, "." and ".." aside, joined by spaces. */
static void names(char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	out[0] = 0;
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(out + strlen(out), size - strlen(out), "%s ", e->d_name);
	}
	closedir(d);
}

static bool tmpfile_supported(void)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static char *read_all(const char *p)
{
	static char buf[256];
	FILE *f = fopen(p, "r");
	size_t n;

	cr_assert_not_null(f, "%s: %s", p, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

Test(outfile, nothing_is_named_before_the_run_is_under_way, .init = setup, .fini = teardown)
{
	struct diag_list *dl = diag_list__new();
	struct outfile *of;
	char seen[512];
	FILE *f;

	if (!tmpfile_supported())
		cr_skip_test("the file system of %s makes no O_TMPFILE files", dir);
	of = outfile__new(path, dl);
	cr_assert_not_null(of);
	f = outfile__open(of, dl);
	cr_assert_not_null(f);
	fputs("results\n", f);
	fflush(f);
	names(seen, sizeof(seen));
	cr_expect_str_empty(seen, "before publishing, the folder holds: %s", seen);
	cr_assert_eq(outfile__publish(of, dl), 0);
	fputs("more\n", f);
	cr_assert_eq(outfile__close(of, dl), 0);
	names(seen, sizeof(seen));
	cr_expect_str_eq(seen, "out.txt ");
	cr_expect_str_eq(read_all(path), "results\nmore\n");
	outfile__free(of);
	diag_list__free(dl);
}

Test(outfile, a_run_that_ends_early_leaves_the_old_file, .init = setup, .fini = teardown)
{
	struct diag_list *dl = diag_list__new();
	struct outfile *of;
	char seen[512];
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs("old\n", f);
	fclose(f);
	of = outfile__new(path, dl);
	cr_assert_not_null(of);
	f = outfile__open(of, dl);
	cr_assert_not_null(f);
	fputs("new\n", f);
	outfile__free(of);
	names(seen, sizeof(seen));
	cr_expect_str_eq(seen, "out.txt ");
	cr_expect_str_eq(read_all(path), "old\n");
	diag_list__free(dl);
}
