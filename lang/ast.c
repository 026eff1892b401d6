// SPDX-License-Identifier: MIT
/*
 * Syntax tree nodes: construction, list building, freeing and the `-d ast`
 * dump. The dump prints one node a line with its location, so a test can
 * compare whole trees as text.
 */
#include "lang/ast.h"

#include <stdlib.h>
#include <string.h>

struct ast_node *ast__new(enum ast_kind kind, const struct src_loc *loc)
{
	struct ast_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	if (loc)
		n->loc = *loc;
	n->map_id = -1;
	return n;
}

void ast__free(struct ast_node *n)
{
	while (n) {
		struct ast_node *next = n->next;

		ast__free(n->lhs);
		ast__free(n->rhs);
		ast__free(n->cond);
		ast__free(n->args);
		ast__free(n->body);
		free(n->name);
		free(n->path);
		free(n->func);
		free(n);
		n = next;
	}
}

struct ast_node *ast_clone(const struct ast_node *n)
{
	struct ast_node *c, *head = NULL, **tail = &head;

	for (; n; n = n->next) {
		c = malloc(sizeof(*c));
		if (!c)
			goto err_free_copy;
		*c = *n;
		c->next = c->lhs = c->rhs = c->cond = c->args = c->body = NULL;
		c->name = c->path = c->func = NULL;
		*tail = c;
		tail = &c->next;
		if ((n->name && !(c->name = strdup(n->name))) ||
		    (n->path && !(c->path = strdup(n->path))) ||
		    (n->func && !(c->func = strdup(n->func))) ||
		    (n->lhs && !(c->lhs = ast_clone(n->lhs))) ||
		    (n->rhs && !(c->rhs = ast_clone(n->rhs))) ||
		    (n->cond && !(c->cond = ast_clone(n->cond))) ||
		    (n->args && !(c->args = ast_clone(n->args))) ||
		    (n->body && !(c->body = ast_clone(n->body))))
			goto err_free_copy;
	}
	return head;
err_free_copy:
	ast__free(head);
	return NULL;
}

struct ast_node *ast_append(struct ast_node *a, struct ast_node *b)
{
	struct ast_node *t = a;

	if (!a)
		return b;
	while (t->next)
		t = t->next;
	t->next = b;
	return a;
}

size_t ast_list_len(const struct ast_node *n)
{
	size_t len = 0;

	for (; n; n = n->next)
		len++;
	return len;
}

const char *ast_op_str(enum ast_op op)
{
	static const char *const s[] = {
		[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
		[OP_MOD] = "%", [OP_BAND] = "&", [OP_BOR] = "|", [OP_BXOR] = "^",
		[OP_SHL] = "<<", [OP_SHR] = ">>", [OP_EQ] = "==", [OP_NE] = "!=",
		[OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
		[OP_LAND] = "&&", [OP_LOR] = "||", [OP_NEG] = "-", [OP_NOT] = "!",
		[OP_BNOT] = "~",
	};

	return s[op];
}

static void dump(const struct ast_node *n, int depth, FILE *out);

static void dump_list(const char *label, const struct ast_node *n, int depth, FILE *out)
{
	if (!n)
		return;
	fprintf(out, "%*s%s:\n", depth * 2, "", label);
	for (; n; n = n->next)
		dump(n, depth + 1, out);
}

static void dump(const struct ast_node *n, int depth, FILE *out)
{
	fprintf(out, "%*s", depth * 2, "");
	switch (n->kind) {
	case AST_PROGRAM:
		fprintf(out, "program\n");
		dump_list("probes", n->body, depth + 1, out);
		return;
	case AST_PROBE:
		fprintf(out, "probe %d:%d\n", n->loc.line, n->loc.col);
		dump_list("attach", n->args, depth + 1, out);
		dump_list("predicate", n->cond, depth + 1, out);
		dump_list("body", n->body, depth + 1, out);
		return;
	case AST_ATTACH:
		if (n->path)
			fprintf(out, "%s:%s:%s\n", n->name, n->path, n->func);
		else
			fprintf(out, "%s\n", n->name);
		return;
	case AST_HOTSPOT:
		fprintf(out, "hotspot %s\n", n->name);
		dump_list("settings", n->body, depth + 1, out);
		return;
	case AST_SETTING:
		fprintf(out, "%s =\n", n->name);
		dump(n->rhs, depth + 1, out);
		return;
	case AST_NUMBER:
		fprintf(out, "%s %g\n", n->ival ? "duration ns" : "number", n->dval);
		return;
	case AST_WORD:
		fprintf(out, "word %s\n", n->name);
		return;
	case AST_QUANTILE:
	case AST_ABOVE:
		fprintf(out, "%s %g\n", n->kind == AST_QUANTILE ? "quantile" : "above", n->dval);
		if (n->rhs)
			fprintf(out, "%*s  band %g%%\n", depth * 2, "", n->rhs->dval);
		return;
	case AST_REPEAT:
		fprintf(out, "%g for %lld windows\n", n->dval, (long long)n->ival);
		return;
	case AST_MAP_ASSIGN:
		fprintf(out, "=\n");
		dump(n->lhs, depth + 1, out);
		dump(n->rhs, depth + 1, out);
		return;
	case AST_VAR_ASSIGN:
		fprintf(out, "=\n");
		dump(n->lhs, depth + 1, out);
		dump(n->rhs, depth + 1, out);
		return;
	case AST_IF:
		fprintf(out, "if\n");
		dump(n->cond, depth + 1, out);
		dump_list("then", n->body, depth + 1, out);
		dump_list("else", n->rhs, depth + 1, out);
		return;
	case AST_VAR:
		fprintf(out, "variable %s\n", n->name);
		return;
	case AST_TERNARY:
		fprintf(out, "?:\n");
		dump(n->cond, depth + 1, out);
		dump(n->lhs, depth + 1, out);
		dump(n->rhs, depth + 1, out);
		return;
	case AST_EXPR_STMT:
		fprintf(out, "expr\n");
		dump(n->lhs, depth + 1, out);
		return;
	case AST_INT:
		fprintf(out, "int %lld\n", (long long)n->ival);
		return;
	case AST_STRING:
		fprintf(out, "string \"%s\"\n", n->name);
		return;
	case AST_BUILTIN:
		fprintf(out, "builtin %s\n", n->name);
		return;
	case AST_CALL:
		fprintf(out, "call %s\n", n->name);
		for (const struct ast_node *a = n->args; a; a = a->next)
			dump(a, depth + 1, out);
		return;
	case AST_MAP:
		fprintf(out, "map %s\n", n->name);
		for (const struct ast_node *a = n->args; a; a = a->next)
			dump(a, depth + 1, out);
		return;
	case AST_BINOP:
	case AST_UNOP:
		fprintf(out, "%s\n", ast_op_str(n->op));
		dump(n->lhs, depth + 1, out);
		if (n->rhs)
			dump(n->rhs, depth + 1, out);
		return;
	}
}

void ast_dump(const struct ast_node *n, FILE *out)
{
	if (n)
		dump(n, 0, out);
}
