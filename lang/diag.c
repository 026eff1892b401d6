// SPDX-License-Identifier: MIT
/*
 * Diagnostics. Each stage appends to a list owned by the caller: a level, an
 * optional location, the message and an optional hint. Rendering follows the
 * compilers people know (gcc, clang, chibicc): the location, the source line,
 * a caret and tildes under the span, then the hint.
 */
#include "lang/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diag {
	enum diag_level level;
	int has_loc;
	struct src_loc loc;
	char *msg;
	char *hint;
};

struct diag_list {
	struct diag *v;
	size_t len, cap;
	diag_progress_fn progress;
	void *progress_ctx;
};

struct source *source__new(const char *name, const char *text, size_t len)
{
	struct source *src = calloc(1, sizeof(*src));

	if (!src)
		return NULL;
	src->name = strdup(name);
	src->text = malloc(len + 1);
	if (!src->name || !src->text) {
		source__free(src);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(src->text, text, len);
	src->text[len] = '\0';
	src->len = len;
	return src;
}

struct source *source__read(const char *path)
{
	struct source *src = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *mem;
	char chunk[4096];
	size_t n;
	int err = 0;

	f = fopen(path, "r");
	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		err = errno;
		goto err_close;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	if (ferror(f))
		err = EIO;
	fclose(mem);
	if (!err)
		src = source__new(path, buf, len);
	free(buf);
err_close:
	fclose(f);
	if (err)
		errno = err;
	return src;
}

void source__free(struct source *src)
{
	if (!src)
		return;
	free(src->name);
	free(src->text);
	free(src);
}

const char *source_line(const struct source *src, int line, size_t *len)
{
	const char *p = src->text, *end = src->text + src->len, *nl;

	for (int l = 1; l < line && p < end; l++) {
		nl = memchr(p, '\n', end - p);
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', end - p);
	*len = (nl ? nl : end) - p;
	return p;
}

struct diag_list *diag_list__new(void)
{
	return calloc(1, sizeof(struct diag_list));
}

void diag_list__free(struct diag_list *dl)
{
	if (!dl)
		return;
	for (size_t i = 0; i < dl->len; i++) {
		free(dl->v[i].msg);
		free(dl->v[i].hint);
	}
	free(dl->v);
	free(dl);
}

void diag_vadd(struct diag_list *dl, enum diag_level level, const struct src_loc *loc,
	       const char *fmt, va_list ap)
{
	struct diag *d;

	if (dl->len == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 8;
		struct diag *v = realloc(dl->v, cap * sizeof(*v));

		if (!v)
			return;
		dl->v = v;
		dl->cap = cap;
	}
	d = &dl->v[dl->len];
	memset(d, 0, sizeof(*d));
	d->level = level;
	if (loc) {
		d->has_loc = 1;
		d->loc = *loc;
	}
	if (vasprintf(&d->msg, fmt, ap) < 0)
		return;
	dl->len++;
}

void diag_add(struct diag_list *dl, enum diag_level level, const struct src_loc *loc,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, level, loc, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag_list *dl, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (!dl->len)
		return;
	d = &dl->v[dl->len - 1];
	free(d->hint);
	d->hint = NULL;
	va_start(ap, fmt);
	if (vasprintf(&d->hint, fmt, ap) < 0)
		d->hint = NULL;
	va_end(ap);
}

size_t diag_list__count(const struct diag_list *dl, enum diag_level level)
{
	size_t n = 0;

	for (size_t i = 0; i < dl->len; i++)
		n += dl->v[i].level == level;
	return n;
}

size_t diag_list__len(const struct diag_list *dl)
{
	return dl->len;
}

const char *diag_list__message(const struct diag_list *dl, size_t i)
{
	return i < dl->len ? dl->v[i].msg : NULL;
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

static void render_caret(const struct diag *d, const struct source *src, FILE *out)
{
	const char *line;
	size_t len;
	int last;

	line = source_line(src, d->loc.line, &len);
	fprintf(out, "%.*s\n", (int)len, line);
	/* Keep tabs so the caret lines up under the same text. */
	for (int i = 1; i < d->loc.col && (size_t)(i - 1) < len; i++)
		fputc(line[i - 1] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	last = d->loc.end_line == d->loc.line ? d->loc.end_col : (int)len;
	for (int i = d->loc.col + 1; i <= last && (size_t)(i - 1) < len; i++)
		fputc('~', out);
	fputc('\n', out);
}

void diag_list__render(const struct diag_list *dl, const struct source *src, FILE *out)
{
	for (size_t i = 0; i < dl->len; i++) {
		const struct diag *d = &dl->v[i];

		if (d->has_loc && src) {
			fprintf(out, "%s:%d:%d: %s: %s\n", src->name, d->loc.line, d->loc.col,
				level_name(d->level), d->msg);
			render_caret(d, src, out);
		} else {
			fprintf(out, "%s: %s\n", level_name(d->level), d->msg);
		}
		if (d->hint)
			fprintf(out, "hint: %s\n", d->hint);
	}
}

void diag_list__set_progress(struct diag_list *dl, diag_progress_fn fn, void *ctx)
{
	dl->progress = fn;
	dl->progress_ctx = ctx;
}

void diag_progress(struct diag_list *dl, const char *what, size_t done, size_t total)
{
	if (dl && dl->progress)
		dl->progress(dl->progress_ctx, what, done, total);
}
