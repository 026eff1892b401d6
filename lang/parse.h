// SPDX-License-Identifier: MIT
/*
 * The front end's entry point: script text in, syntax tree or diagnostics out.
 */
#ifndef HOTSPAN_PARSE_H
#define HOTSPAN_PARSE_H

#include "lang/ast.h"
#include "lang/diag.h"

/* State shared by the scanner and the parser of one script. */
struct parse_state {
	const struct source *src;
	struct diag_list *dl;
	struct ast_node *program;
	int depth;		/* brace depth inside action blocks */
	int lex_failed;		/* the scanner reported an error: no second one */
	struct src_loc comment;	/* where the open comment began */
	char *const *params;	/* positional parameters: $1 is params[0] */
	int nparams;
};

/* Positional parameter $n, or NULL when it was not given. */
const char *lang_param(const struct parse_state *ps, long n);

/* Returns the AST_PROGRAM node, or NULL with errors in dl. $1 .. $nparams
 * read params[0] ..; in attach points too. */
struct ast_node *lang_parse(const struct source *src, char *const *params, int nparams,
			    struct diag_list *dl);

/* Builds an AST_ATTACH node from the text of an attach point such as
 * `uprobe:./bin:"main.(*T).Get"`; quotes are removed from each part. */
struct ast_node *lang_attach_new(struct parse_state *ps, const char *text,
				 const struct src_loc *loc);

/* Parses one attach point given alone, as `hotspan -l` takes it. NULL with
 * errors in dl. */
struct ast_node *lang_parse_attach(const struct source *src, struct diag_list *dl);

#endif
