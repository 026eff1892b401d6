// SPDX-License-Identifier: MIT
/*
 * What the parts of the semantic pass share: sema.c walks probes,
 * statements and expressions; sema_call.c checks calls (aggregations,
 * printf, map actions); sema_map.c gives maps and keys their layouts.
 */
#ifndef HOTSPAN_SEMA_INTERNAL_H
#define HOTSPAN_SEMA_INTERNAL_H

#include "compiler/sema.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A scratch variable of the probe being checked. */
struct sema_var {
	const char *name;
	struct type type;
	struct src_loc loc;	/* first assignment */
};

/* What the whole script assigns to a map, found before checking: reads of
 * a map may come before its assignment in the script. */
struct map_decl {
	const char *name;
	const char *agg;	/* "count", "hist", ..., or NULL for a plain value */
};

struct sema {
	struct plan *plan;
	struct diag_list *dl;
	int errors;
	unsigned kinds;		/* bits of provider_at() of every attach point of the probe */
	int ast_probe;		/* its index in the program: plan_probe.ast_probe */
	struct sema_var *vars;
	size_t nvars, cap_vars;
	struct map_decl *decls;
	size_t ndecls;
};

void sema_error(struct sema *s, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sema_check_expr(struct sema *s, struct ast_node *e);
/* e must be an integer: reports what it is otherwise, `what` says its role. */
void sema_check_int(struct sema *s, struct ast_node *e, const char *what);
/* The type's name in messages: "an integer", "a string", ... */
const char *sema_type_name(const struct type *t);
/* The register name one edit away from name, or NULL. */
const char *sema_reg_nearest(const char *name);

/* sema_call.c */
void sema_check_call(struct sema *s, struct ast_node *e);
bool sema_is_agg(const char *name);

/* sema_map.c */
void sema_check_map_assign(struct sema *s, struct ast_node *st);
enum map_use {
	MAP_READ,	/* @m[k] in an expression */
	MAP_ENTRY,	/* delete(@m[k]) */
	MAP_WHOLE,	/* print(@m), clear(@m), zero(@m) */
};

/* A map named in an expression, print(), clear(), zero() or delete(). */
struct plan_map *sema_map_use(struct sema *s, struct ast_node *m, enum map_use use);
/* Offsets and sizes of keys and values, once every use is known. */
void sema_map_layout(struct sema *s);
/* A value of type t as a plan_value of `size` bytes at no offset. */
struct plan_value sema_value_of(const struct type *t);

#endif
