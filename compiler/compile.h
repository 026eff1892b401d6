// SPDX-License-Identifier: MIT
/*
 * The compile driver: script source to a plan holding a loadable BPF object.
 */
#ifndef HOTSPAN_COMPILE_H
#define HOTSPAN_COMPILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "plan/plan.h"
#include "lang/diag.h"

/* What `-d` prints, as a bit set. */
enum compile_dump {
	DUMP_AST = 1 << 0,	/* the syntax tree after parsing */
	DUMP_IR = 1 << 1,	/* LLVM IR after optimisation */
	DUMP_BPF = 1 << 2,	/* BPF instructions */
};

struct compile_opts {
	const struct source *src;
	pid_t pid;		/* -p, or 0 */
	unsigned dump;		/* enum compile_dump bits */
	FILE *dump_out;		/* where dumps go */
	bool check_only;	/* parse and check, no binaries nor code: replay */
	char *const *params;	/* positional parameters $1, $2 ... after the script */
	int nparams;
	/* Called once every probe has its place and the script has checked,
	 * before any code is generated, so that the caller can start what is
	 * slow in the kernel (attaching) while the code compiles. plan is
	 * only read. Non-zero stops compiling. NULL: nothing to call. */
	int (*placed)(void *arg, const struct plan *plan, struct diag_list *dl);
	void *placed_arg;
};

/* The plan, or NULL with errors in dl. */
struct plan *compile_script(const struct compile_opts *opts, struct diag_list *dl);

/* Prints the probe points that the attach point in opts->src matches
 * (`hotspan -l`). 0, or -errno with errors in dl. */
int compile_list(const struct compile_opts *opts, FILE *out, struct diag_list *dl);

#endif
