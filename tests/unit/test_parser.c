// SPDX-License-Identifier: MIT
/*
 * The lexer and parser, table-driven: scripts that parse to a known tree
 * (compared as `-d ast` text) and scripts that fail with an exact message.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse.h"

/* Parses text; returns the AST dump or, on failure, the rendered diagnostics. */
static char *parse_to_text(const char *text, bool *ok)
{
	struct source *src = source__new("t.hot", text, strlen(text));
	struct diag_list *dl = diag_list__new();
	struct ast_node *ast = lang_parse(src, NULL, 0, dl);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ok = ast != NULL;
	if (ast)
		ast_dump(ast, f);
	else
		diag_list__render(dl, src, f);
	fclose(f);
	ast__free(ast);
	diag_list__free(dl);
	source__free(src);
	return buf;
}

struct good {
	const char *script;
	const char *tree;
};

static const struct good good[] = {
	{ "BEGIN { }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        BEGIN\n" },
	{ "uprobe:./kvd:main.(*Cache).Get { @c[arg0 / 50] = count(); }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n"
	  "        uprobe:./kvd:main.(*Cache).Get\n      body:\n        =\n"
	  "          map @c\n            /\n              builtin arg0\n              int 50\n"
	  "          call count\n" },
	{ "uprobe:/usr/bin/x:\"main.(*T).F\" /pid == 3 && !1/ {}",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        uprobe:/usr/bin/x:main.(*T).F\n"
	  "      predicate:\n        &&\n          ==\n            builtin pid\n            int 3\n"
	  "          !\n            int 1\n" },
	{ "// a comment\n/* block\ncomment */ END { exit() }",
	  "program\n  probes:\n    probe 3:12\n      attach:\n        END\n      body:\n"
	  "        expr\n          call exit\n" },
	{ "uprobe:./b:main.f, uprobe:./b:main.g /arg0 / 2 > 1/ { @x[1, -2] = count() }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        uprobe:./b:main.f\n"
	  "        uprobe:./b:main.g\n      predicate:\n        >\n          /\n"
	  "            builtin arg0\n            int 2\n          int 1\n      body:\n"
	  "        =\n          map @x\n            int 1\n            -\n              int 2\n"
	  "          call count\n" },
	{ "uprobe:./b:\"main.f\" { @ = count(); ; @y = count(); }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        uprobe:./b:main.f\n"
	  "      body:\n        =\n          map @\n          call count\n        =\n"
	  "          map @y\n          call count\n" },
	{ "BEGIN { @a[1 + 2 * 3 << 1 & 0xff | 4 ^ 5 % 3] = count(); }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        BEGIN\n      body:\n"
	  "        =\n          map @a\n            |\n              &\n                <<\n"
	  "                  +\n                    int 1\n                    *\n"
	  "                      int 2\n                      int 3\n                  int 1\n"
	  "                int 255\n              ^\n                int 4\n                %\n"
	  "                  int 5\n                  int 3\n          call count\n" },
	{ "BEGIN { @r[reg(\"ax\"), (1 - 2) - 3, tid, nsecs != cpu] = count(); }",
	  "program\n  probes:\n    probe 1:1\n      attach:\n        BEGIN\n      body:\n"
	  "        =\n          map @r\n            call reg\n              string \"ax\"\n"
	  "            -\n              -\n                int 1\n                int 2\n"
	  "              int 3\n            builtin tid\n            !=\n"
	  "              builtin nsecs\n              builtin cpu\n          call count\n" },
};

Test(parser, good_scripts)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		bool ok;
		char *out;

		if (!good[i].tree)
			continue;
		out = parse_to_text(good[i].script, &ok);
		cr_expect(ok, "script %zu failed to parse:\n%s", i, out);
		cr_expect_str_eq(out, good[i].tree, "script %zu: %s\n--- got\n%s--- want\n%s", i,
				 good[i].script, out, good[i].tree);
		free(out);
	}
}

struct bad {
	const char *script;
	const char *diag;
};

static const struct bad bad[] = {
	{ "BEGIN { @c = count() ",
	  "t.hot:1:22: error: syntax error, unexpected end of file, expecting '}'\n"
	  "BEGIN { @c = count() \n"
	  "                     ^\n" },
	{ "uprobe:./b:main.f { @c[arg0 = count(); }",
	  "t.hot:1:29: error: syntax error, unexpected '=', expecting ',' or ']'\n"
	  "uprobe:./b:main.f { @c[arg0 = count(); }\n"
	  "                            ^\n" },
	{ "BEGIN {\n\t@c = count(); #\n}",
	  "t.hot:2:16: error: unexpected character '#'\n"
	  "\t@c = count(); #\n"
	  "\t              ^\n" },
	{ "BEGIN { @s[\"abc] = count(); }",
	  "t.hot:1:12: error: unterminated string\n"
	  "BEGIN { @s[\"abc] = count(); }\n"
	  "           ^~~~~~~~~~~~~~~~~~\n" },
	{ "BEGIN { @c[99999999999999999999] = count(); }",
	  "t.hot:1:12: error: integer 99999999999999999999 does not fit in 64 bits\n"
	  "BEGIN { @c[99999999999999999999] = count(); }\n"
	  "           ^~~~~~~~~~~~~~~~~~~~\n" },
	{ "uprobe:./b: { }",
	  "t.hot:1:1: error: attach point 'uprobe:./b:' names no function\n"
	  "uprobe:./b: { }\n"
	  "^~~~~~~~~~~\n"
	  "hint: write it as uprobe:PATH:FUNCTION\n" },
	{ "BEGIN /* never closed",
	  "t.hot:1:7: error: unterminated comment\n"
	  "BEGIN /* never closed\n"
	  "      ^~\n" },
	{ "uprobe:./b:main.f /pid === 3/ {}",
	  "t.hot:1:26: error: syntax error, unexpected '='\n"
	  "uprobe:./b:main.f /pid === 3/ {}\n"
	  "                         ^\n" },
	{ "{ @c = count(); }",
	  "t.hot:1:1: error: an action block needs a probe before it\n"
	  "{ @c = count(); }\n"
	  "^~~~~~~~~~~~~~~~~\n"
	  "hint: for example BEGIN { ... } or uprobe:./server:main.handle { ... }\n" },
};

Test(parser, bad_scripts_give_exact_diagnostics)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool ok;
		char *out = parse_to_text(bad[i].script, &ok);

		cr_expect(!ok, "script %zu parsed but should not have", i);
		cr_expect_str_eq(out, bad[i].diag, "script %zu: %s\n--- got\n%s--- want\n%s", i,
				 bad[i].script, out, bad[i].diag);
		free(out);
	}
}

Test(parser, locations_span_multi_line_scripts)
{
	bool ok;
	char *out = parse_to_text("BEGIN\n{\n  @a = count();\n}\n\nEND { @b[pid] = count() }\n",
				  &ok);

	cr_assert(ok, "%s", out);
	cr_expect(strstr(out, "probe 1:1\n") != NULL, "%s", out);
	cr_expect(strstr(out, "probe 6:1\n") != NULL, "%s", out);
	free(out);
}
