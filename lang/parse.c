// SPDX-License-Identifier: MIT
/*
 * Runs the scanner and parser over one source and splits attach points.
 * An attach point is `provider:path:function` with optional quotes around
 * any part; the path runs to the last unquoted colon, so Go names such as
 * `main.(*Cache).Get` need no quotes.
 */
#include "lang/parse.h"

#include <stdlib.h>
#include <string.h>

#include "lang/parser.h"
#include "lang/lexer.h"

/* Copies text[from, to) without its double quotes. */
static char *unquote(const char *text, size_t from, size_t to)
{
	char *out = malloc(to - from + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = from; i < to; i++)
		if (text[i] != '"')
			*o++ = text[i];
	*o = '\0';
	return out;
}

const char *lang_param(const struct parse_state *ps, long n)
{
	return n >= 1 && n <= ps->nparams ? ps->params[n - 1] : NULL;
}

/* The attach point's text with $1, $2 ... replaced by the parameters (one
 * not given is empty, as in bpftrace); NULL on ENOMEM. */
static char *substitute(struct parse_state *ps, const char *text)
{
	size_t cap = strlen(text) + 1, len = 0;
	char *out = malloc(cap), *grown;

	for (const char *t = text; out && *t;) {
		const char *add = t;
		size_t n = 1;

		if (t[0] == '$' && t[1] >= '0' && t[1] <= '9') {
			char *end;
			long k = strtol(t + 1, &end, 10);

			add = lang_param(ps, k);
			if (!add)
				add = "";
			n = strlen(add);
			t = end;
		} else {
			t++;
		}
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + len, add, n);
		len += n;
		out[len] = '\0';
	}
	if (out && !len)
		out[0] = '\0';
	return out;
}

struct ast_node *lang_attach_new(struct parse_state *ps, const char *written,
				 const struct src_loc *loc)
{
	char *text = substitute(ps, written);
	size_t len, first = 0, last = 0;
	struct ast_node *n;
	int quoted = 0;

	if (!text)
		return NULL;
	len = strlen(text);

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (text[i] == ':' && !quoted) {
			if (!first)
				first = i;
			last = i;
		}
	}
	n = ast__new(AST_ATTACH, loc);
	if (!n) {
		free(text);
		return NULL;
	}
	n->name = unquote(text, 0, first);
	if (first == last) {
		/* provider:target, such as interval:1s or a path-less uprobe */
		n->path = strdup("");
		n->func = unquote(text, first + 1, len);
	} else {
		n->path = unquote(text, first + 1, last);
		n->func = unquote(text, last + 1, len);
	}
	if (!*n->func) {
		diag_add(ps->dl, DIAG_ERROR, loc, "attach point '%s' names no function", text);
		diag_hint(ps->dl, "write it as %s:PATH:FUNCTION", n->name);
		ast__free(n);
		n = NULL;
	}
	free(text);
	return n;
}

struct ast_node *lang_parse(const struct source *src, char *const *params, int nparams,
			    struct diag_list *dl)
{
	struct parse_state ps = { .src = src, .dl = dl, .params = params, .nparams = nparams };
	YY_BUFFER_STATE buf;
	yyscan_t scanner;
	int rc;

	if (yylex_init_extra(&ps, &scanner))
		return NULL;
	buf = yy_scan_bytes(src->text, src->len, scanner);
	rc = yyparse(scanner, &ps);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	if (rc || diag_list__count(dl, DIAG_ERROR)) {
		ast__free(ps.program);
		return NULL;
	}
	return ps.program;
}

struct ast_node *lang_parse_attach(const struct source *src, struct diag_list *dl)
{
	struct parse_state ps = { .src = src, .dl = dl };
	struct src_loc loc = { 1, 1, 1, (int)src->len };

	if (!strchr(src->text, ':')) {
		if (!strcmp(src->text, "BEGIN") || !strcmp(src->text, "END")) {
			struct ast_node *n = ast__new(AST_ATTACH, &loc);

			if (n)
				n->name = strdup(src->text);
			return n;
		}
		diag_add(dl, DIAG_ERROR, &loc, "'%s' is not a probe", src->text);
		diag_hint(dl, "for example uprobe:./server:main.* or access:./server:*");
		return NULL;
	}
	return lang_attach_new(&ps, src->text, &loc);
}
