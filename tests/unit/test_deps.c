// SPDX-License-Identifier: MIT
/*
 * The list of packages scripts/install-deps installs cannot drift from the
 * build: scripts/check-deps finds the file behind every library the links
 * name and every tool the makefile runs, asks dpkg which package owns it, and
 * fails unless install-deps lists that package (a fresh Debian 12 once lacked
 * libzstd-dev, which the static LLVM link names). Here it runs as it is, then
 * as if install-deps had lost a package of each kind, and must name them.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/lib/proc.h"

Test(deps, every_library_and_tool_of_the_build_comes_from_a_listed_package)
{
	const char *argv[] = { "scripts/check-deps", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "are in scripts/install-deps") != NULL, "%s", r.out);
	proc_result_free(&r);
}

Test(deps, a_package_missing_from_the_list_is_named)
{
	const char *argv[] = { "scripts/check-deps", "--without", "libelf-dev", "--without",
			       "libcriterion-dev", "--without", "flex", NULL };
	struct proc_result r;

	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.err, "check-deps: -lelf: ") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "is in libelf-dev, which scripts/install-deps does not install "
				"for hotspan's link\n") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "is in libcriterion-dev, which scripts/install-deps does not "
				"install for the tests' link\n") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "check-deps: flex: ") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "is in flex, which scripts/install-deps does not install for "
				"the build\n") != NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	proc_result_free(&r);
}
