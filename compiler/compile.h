// SPDX-License-Identifier: MIT
/*
 * The compile driver: script source to a plan holding a loadable BPF object,
 * in two halves. compile_front() parses, resolves and checks: every probe
 * has its place and every map its layout, but there is no code yet, so a
 * caller can start what is slow in the kernel (attaching) with the plan as
 * it stands while compile_back() generates the code.
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
};

struct compile;

/* Parses, resolves and checks (opts must outlive the result). NULL with
 * errors in dl. */
struct compile *compile_front(const struct compile_opts *opts, struct diag_list *dl);
/* The plan after the front: probes placed, maps laid out, no object yet. */
const struct plan *compile__plan(const struct compile *c);
/* Generates the code and returns the finished plan, freeing c in any case.
 * NULL with errors in dl. With check_only, returns the front's plan. */
struct plan *compile_back(struct compile *c, struct diag_list *dl);
/* Frees a front that will not go on to compile_back(); accepts NULL. */
void compile__free(struct compile *c);

/* compile_front() then compile_back(), for callers with nothing between. */
struct plan *compile_script(const struct compile_opts *opts, struct diag_list *dl);

/* Prints the probe points that the attach point in opts->src matches
 * (`hotspan -l`). 0, or -errno with errors in dl. */
int compile_list(const struct compile_opts *opts, FILE *out, struct diag_list *dl);

#endif
