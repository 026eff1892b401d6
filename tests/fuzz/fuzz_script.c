// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the script front end (lexer, parser, semantic check)
 * on arbitrary text, as `hotspan replay` compiles a script: parse and check
 * only, so no binary is read and no kernel is needed. Positional
 * parameters are given so that $1 and $2 reach the scanner. Any input must
 * give a plan or diagnostics, rendered as the tool renders them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const params[] = { "7", "main.touch" };
	struct source *src = source__new("fuzz.hot", (const char *)data, size);
	struct diag_list *dl = diag_list__new();
	struct compile_opts co = { .src = src, .check_only = true, .params = params,
				   .nparams = 2, .dump_out = NULL };
	struct plan *plan;
	FILE *devnull = fopen("/dev/null", "w");

	if (src && dl && devnull) {
		plan = compile_script(&co, dl);
		plan__free(plan);
		diag_list__render(dl, src, devnull);
	}
	if (devnull)
		fclose(devnull);
	diag_list__free(dl);
	source__free(src);
	return 0;
}
