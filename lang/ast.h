// SPDX-License-Identifier: MIT
/*
 * The syntax tree. One node struct for every kind, as in chibicc: lists are
 * chained through `next`, and each kind uses the few fields its comment names.
 * The semantic pass fills `type` and `map_id`.
 */
#ifndef HOTSPAN_AST_H
#define HOTSPAN_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lang/diag.h"

enum ast_kind {
	/* top level */
	AST_PROGRAM,	/* body: probes and hotspot blocks */
	AST_PROBE,	/* args: attach points, cond: predicate or NULL, body: statements */
	AST_ATTACH,	/* name: provider, path, func; or name "BEGIN"/"END" */
	AST_HOTSPOT,	/* name: the heat map "@h", body: AST_SETTING list */
	AST_SETTING,	/* name: key, rhs: value (also a named argument: k = 5) */
	/* values of hotspot settings */
	AST_NUMBER,	/* dval; ival 1 when written as a duration (dval in ns) */
	AST_WORD,	/* name: a bare word such as auto */
	AST_QUANTILE,	/* dval: the percentile of p99.5; rhs: band AST_NUMBER or NULL */
	AST_ABOVE,	/* dval: the bound of > 100; rhs: band or NULL */
	AST_REPEAT,	/* dval for ival windows: drift = 0.8 for 3 windows */
	/* statements */
	AST_MAP_ASSIGN,	/* lhs: AST_MAP, rhs: value */
	AST_EXPR_STMT,	/* lhs: the expression, a call such as exit() */
	AST_VAR_ASSIGN,	/* lhs: AST_VAR, rhs: value */
	AST_IF,		/* cond, body: then statements, rhs: else statements or NULL */
	/* expressions */
	AST_INT,	/* ival */
	AST_STRING,	/* name: the decoded text */
	AST_BUILTIN,	/* name: arg0..arg8, pid, tid, nsecs, cpu, index, ... */
	AST_CALL,	/* name, args; also auto(k = 5) and top(10) in hotspot blocks */
	AST_MAP,	/* name: "@c" (or "@"), args: keys */
	AST_BINOP,	/* op, lhs, rhs */
	AST_UNOP,	/* op, lhs */
	AST_VAR,	/* name: "$x" */
	AST_TERNARY,	/* cond ? lhs : rhs */
};

/* Binary and unary operators. */
enum ast_op {
	OP_ADD,		/* + */
	OP_SUB,		/* - */
	OP_MUL,		/* * */
	OP_DIV,		/* / */
	OP_MOD,		/* % */
	OP_BAND,	/* & */
	OP_BOR,		/* | */
	OP_BXOR,	/* ^ */
	OP_SHL,		/* << */
	OP_SHR,		/* >> */
	OP_EQ,		/* == */
	OP_NE,		/* != */
	OP_LT,		/* < */
	OP_LE,		/* <= */
	OP_GT,		/* > */
	OP_GE,		/* >= */
	OP_LAND,	/* && */
	OP_LOR,		/* || */
	OP_NEG,		/* unary - */
	OP_NOT,		/* ! */
	OP_BNOT,	/* ~ */
};

/* Types of expressions, filled by the semantic pass. */
enum type_kind {
	TYPE_NONE,	/* statement calls with no value: exit() */
	TYPE_INT,	/* 64-bit integer; `is_signed` tells how it prints and divides */
	TYPE_STRING,	/* `size` bytes, NUL-padded: literals, comm, positional text */
	TYPE_SYM,	/* a plan probe's index that prints as a name: func, probe, site */
	TYPE_STACK,	/* ustack: struct hs_stack_key */
	TYPE_AGG,	/* an aggregation call such as count() */
	TYPE_ERROR,	/* already reported: no further errors about it */
};

struct type {
	enum type_kind kind;
	bool is_signed;
	int sym;		/* TYPE_SYM: enum sym_kind of plan/plan.h */
	unsigned size;		/* TYPE_STRING: bytes including the NUL padding */
};

struct ast_node {
	enum ast_kind kind;
	struct src_loc loc;
	struct ast_node *next;

	struct ast_node *lhs, *rhs, *cond;
	struct ast_node *args;
	struct ast_node *body;
	enum ast_op op;
	int64_t ival;
	double dval;
	char *name;
	char *path;	/* AST_ATTACH */
	char *func;	/* AST_ATTACH */

	struct type type;
	int map_id;	/* AST_MAP: index into the compiler's map table */
	unsigned height;	/* levels from this node down to its deepest child, set
				 * by the parser (statements and expressions) */
};

/* The parser refuses a tree higher than this, so that the passes, which
 * recurse over children, never run out of stack: `1+1+...+1` of 30,000
 * terms is that high. */
#define AST_MAX_HEIGHT 1000

struct ast_node *ast__new(enum ast_kind kind, const struct src_loc *loc);
void ast__free(struct ast_node *n);	/* frees n, its children and its `next` chain */
/* A deep copy of n and the nodes chained after it; NULL on ENOMEM. */
struct ast_node *ast_clone(const struct ast_node *n);
/* Appends b to the list a; either may be NULL. */
struct ast_node *ast_append(struct ast_node *a, struct ast_node *b);
size_t ast_list_len(const struct ast_node *n);
const char *ast_op_str(enum ast_op op);
/* Prints the tree, one node a line, indented by depth (`hotspan -d ast`). */
void ast_dump(const struct ast_node *n, FILE *out);

#endif
