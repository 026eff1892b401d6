// SPDX-License-Identifier: MIT
/*
 * A tracing session: a compiled plan loaded into the kernel, attached, run
 * until it is told to stop, and its maps printed.
 */
#ifndef HOTSPAN_SESSION_H
#define HOTSPAN_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "plan/plan.h"
#include "lang/diag.h"
#include "output/mapout.h"

struct session_opts {
	pid_t pid;		/* -p: trace only this process, stop when it exits */
	const char *cmd;	/* -c: start this command, stop when it exits */
	enum out_format fmt;
	FILE *out;		/* where results go */
	bool notify;		/* print a marker on stderr once probes are attached */
	FILE *record;		/* `hotspan record`: the trace file to write, or NULL */
	/* Signals that stop the session, which the caller has blocked: the
	 * session waits for them on a signal descriptor, with its events and
	 * the traced process. NULL: only session__stop() stops it. */
	const sigset_t *stop_signals;
	/* --budget: the share of the traced process's time, in percent, that
	 * its probes may take; the uprobes are attached in slices to keep the
	 * estimate under it. 0: no budget. Needs pid or cmd. */
	double budget;
	/* Told when a stop is asked for again while probes are detached, which
	 * cannot be cut short, with what the session waits for. May be NULL.
	 * (Attaching and detaching report their progress through the
	 * diagnostics list, diag_progress().) */
	void (*waiting)(void *ctx, const char *what);
	void *waiting_ctx;
};

struct session;

/* NULL and errno on failure. */
struct session *session__new(const struct session_opts *opts);
void session__free(struct session *s);	/* detaches everything, ends a -c child */
/* Where results (and the trace of `record`) go from now on, when they are
 * opened after the session began (once the script has compiled). NULL
 * leaves one as it was. */
void session__set_output(struct session *s, FILE *out, FILE *record);

/*
 * A hook for tests, not for users: when the environment variable
 * HOTSPAN_TEST_STOP_AT names `stage` ("compiling", "loading", "attaching",
 * "running", "detaching"), the process stops itself there (SIGSTOP), so
 * that tests/integration/test_kill.c can kill it at that very point.
 */
void session_test_stop(const char *stage);

/* Optional, as soon as plan's probes have their places (after compile_front()):
 * starts the -c command held before exec and starts attaching, so that the
 * kernel's wait overlaps compiling. plan is only read, now. 0 or -errno with
 * the reason in dl. */
int session__begin(struct session *s, const struct plan *plan, struct diag_list *dl);
/* Takes ownership of plan and loads its object into the kernel. 0 or -errno
 * with the reason in dl. */
int session__load(struct session *s, struct plan *plan, struct diag_list *dl);
/* Begins if that was not done, attaches every probe, runs BEGIN and lets the
 * -c command go. 0 or -errno with the reason in dl. */
int session__attach(struct session *s, struct diag_list *dl);
/* Runs until exit(), session__stop(), a stop signal, or the traced
 * process ends (a zombie counts as ended). */
int session__run(struct session *s, struct diag_list *dl);
/* Detaches, runs END and prints the maps, then what watching cost. */
int session__finish(struct session *s, struct diag_list *dl);
/* Async-signal-safe: asks session__run() to return. */
void session__stop(struct session *s);

#endif
