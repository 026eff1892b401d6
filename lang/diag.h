// SPDX-License-Identifier: MIT
/*
 * Source text, locations in it, and the diagnostics list that every stage
 * fills instead of printing. The command-line tool renders the list.
 */
#ifndef HOTSPAN_DIAG_H
#define HOTSPAN_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A script's text and the name used in messages ("-e" for one-liners). */
struct source {
	char *name;
	char *text;
	size_t len;
};

/* 1-based line and column of the first and last character of a span. */
struct src_loc {
	int line;
	int col;
	int end_line;
	int end_col;
};

enum diag_level {
	DIAG_ERROR,	/* stops compilation */
	DIAG_WARNING,	/* reported, compilation goes on */
	DIAG_NOTE,	/* explains the diagnostic before it */
};

struct diag_list;

struct source *source__new(const char *name, const char *text, size_t len);
struct source *source__read(const char *path);	/* NULL + errno */
void source__free(struct source *src);
/* The text of line `line` without its newline; *len gets its length. */
const char *source_line(const struct source *src, int line, size_t *len);

struct diag_list *diag_list__new(void);
void diag_list__free(struct diag_list *dl);
/* loc may be NULL for errors that belong to no place in the script. */
void diag_add(struct diag_list *dl, enum diag_level level, const struct src_loc *loc,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_vadd(struct diag_list *dl, enum diag_level level, const struct src_loc *loc,
	       const char *fmt, va_list ap);
/* Attach a hint ("did you mean ...") to the last diagnostic. */
void diag_hint(struct diag_list *dl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t diag_list__count(const struct diag_list *dl, enum diag_level level);
size_t diag_list__len(const struct diag_list *dl);
const char *diag_list__message(const struct diag_list *dl, size_t i);
/*
 * Progress of a step that can take a while (decoding thousands of
 * functions, attaching or detaching hundreds of probes): `what` names the
 * unit ("functions decoded"), done of total so far; done == total ends the
 * step. The library reports; the caller decides whether and how to show it
 * (the command-line tool: one line on a terminal, after a second).
 */
typedef void (*diag_progress_fn)(void *ctx, const char *what, size_t done, size_t total);
void diag_list__set_progress(struct diag_list *dl, diag_progress_fn fn, void *ctx);
/* Reports progress to the function set, if any. dl may be NULL. */
void diag_progress(struct diag_list *dl, const char *what, size_t done, size_t total);
/* Renders every diagnostic as `file:line:col: error: msg`, the source line, a caret
 * under the span and the hint, in the order they were added. */
void diag_list__render(const struct diag_list *dl, const struct source *src, FILE *out);

#endif
