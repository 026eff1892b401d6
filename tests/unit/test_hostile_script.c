// SPDX-License-Identifier: MIT
/*
 * Scripts a user or a fuzzer may write that once broke the compiler's
 * front end (issue 14): more keys than a map may have, and expressions or
 * blocks nested deeper than the passes may recurse. Each gets its one
 * error and no crash; run under ASan and UBSan by `.ci/run`.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/script.h"

/* "BEGIN { @m[1,1,...,1] = count(); }" with n keys, and the same map again. */
static char *many_keys(int n, bool twice)
{
	size_t cap = 64 + 4 * (size_t)n, len = 0;
	char *s = malloc(cap);

	len += snprintf(s + len, cap - len, "BEGIN { @m[1");
	for (int i = 1; i < n; i++)
		len += snprintf(s + len, cap - len, ",1");
	len += snprintf(s + len, cap - len, "] = count();%s }", twice ? " print(@m);" : "");
	return s;
}

/* Defect 3: the layout wrote keys[8], keys[9] ... past the map's table. */
Test(hostile_script, map_with_too_many_keys_is_one_error)
{
	static const int counts[] = { 9, 40, 200 };

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		for (int twice = 0; twice < 2; twice++) {
			char *text = many_keys(counts[i], twice), *diags;
			struct plan *plan = test_compile(text, &diags);

			cr_assert_null(plan);
			cr_assert(strstr(diags, "t.hot:1:9: error: map @m has more keys than "
					 "the 8 allowed\n"), "%d keys: %s", counts[i], diags);
			free(diags);
			free(text);
		}
	}
}

Test(hostile_script, map_with_eight_keys_compiles)
{
	char *text = many_keys(8, false), *diags;
	struct plan *plan = test_compile(text, &diags);

	cr_assert_not_null(plan, "%s", diags);
	cr_assert_eq(plan->maps[0].nkeys, 8);
	cr_assert_eq(plan->maps[0].key_size, 64);
	plan_free(plan);
	free(diags);
	free(text);
}
