// SPDX-License-Identifier: MIT
/*
 * Compiles a script for a test and renders its diagnostics into a string,
 * so tests compare exactly what a user would read.
 */
#include "tests/lib/script.h"

#include <stdio.h>
#include <string.h>

struct plan *test_compile(const char *text, char **diags)
{
	struct source *src = source__new("t.hot", text, strlen(text));
	struct diag_list *dl = diag_list__new();
	struct compile_opts co = { .src = src };
	struct plan *plan = compile_script(&co, dl);
	size_t len = 0;
	FILE *f;

	*diags = NULL;
	f = open_memstream(diags, &len);
	diag_list__render(dl, src, f);
	fclose(f);
	diag_list__free(dl);
	source__free(src);
	return plan;
}
