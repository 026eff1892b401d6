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

struct ast_node *lang_attach_new(struct parse_state *ps, const char *text,
				 const struct src_loc *loc)
{
	size_t len = strlen(text), first = 0, last = 0;
	struct ast_node *n;
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (text[i] == ':' && !quoted) {
			if (!first)
				first = i;
			last = i;
		}
	}
	n = ast_new(AST_ATTACH, loc);
	if (!n)
		return NULL;
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
		ast_free(n);
		return NULL;
	}
	return n;
}

struct ast_node *lang_parse(const struct source *src, struct diag_list *dl)
{
	struct parse_state ps = { .src = src, .dl = dl };
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
		ast_free(ps.program);
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
			struct ast_node *n = ast_new(AST_ATTACH, &loc);

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
