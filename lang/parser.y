/* SPDX-License-Identifier: MIT */
/*
 * The grammar: a pure, reentrant bison parser with locations and no
 * conflicts. Each rule carries its EBNF; actions only build nodes.
 *
 *   program    = { probe | hotspot } ;
 *   probe      = attach { "," attach } [ "/" expr "/" ] block ;
 *                (a block alone is reported as missing its probe)
 *   attach     = ATTACH | "BEGIN" | "END" ;
 *   block      = "{" stmts "}" ;
 *   stmts      = { stmt ";" | ";" | if } [ stmt ] ;
 *   if         = "if" "(" expr ")" block [ "else" ( block | if ) ] ;
 *   stmt       = ( map | VAR ) ( "=" | "+=" | "-=" ) expr | ( map | VAR ) ( "++" | "--" )
 *              | expr ;
 *   map        = MAP [ "[" expr { "," expr } "]" ] ;
 *   expr       = expr "?" expr ":" expr | C's binary operators from "||" to "*"
 *              | ( "-" | "!" | "~" ) expr | primary ;
 *   hotspot    = "hotspot" MAP "{" [ setting ] { ";" [ setting ] } "}" ;
 *   setting    = IDENT "=" value ;
 *   value      = NUMBER | DURATION | IDENT | IDENT "(" arg { "," arg } ")"
 *              | QUANTILE [ band ] | ">" NUMBER [ band ]
 *              | NUMBER "for" NUMBER "windows" ;
 *   band       = "+-" NUMBER "%" ;
 *   arg        = NUMBER | IDENT "=" NUMBER ;
 *   primary    = INT | STRING | VAR | IDENT | IDENT "(" [ expr { "," expr } ] ")"
 *              | map | "(" expr ")" ;
 *
 * $1, $2 ... are replaced by the scanner with the parameter's INT or STRING
 * (0 when not given, as in bpftrace); $# is their number.
 */
%define api.pure full
%define parse.error detailed
%locations
%expect 0
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct parse_state *ps}

%code requires {
#include <stdint.h>
#include "lang/ast.h"
#include "lang/parse.h"
typedef void *yyscan_t;
}

%code {
#include <stdlib.h>
#include <string.h>
#include "lexer.h"

/* Bison's own default, named here for the message of a full stack. */
#define YYMAXDEPTH 10000

static struct src_loc L(const YYLTYPE *l)
{
	struct src_loc loc = { l->first_line, l->first_column, l->last_line, l->last_column };

	return loc;
}

static struct ast_node *node(enum ast_kind kind, const YYLTYPE *l)
{
	struct src_loc loc = L(l);

	return ast__new(kind, &loc);
}

static unsigned list_height(const struct ast_node *list)
{
	unsigned h = 0;

	for (; list; list = list->next)
		if (list->height > h)
			h = list->height;
	return h;
}

/*
 * Sets n's height from its children's, which the parser made before it.
 * Over AST_MAX_HEIGHT: reports it, frees n (its children with it) and
 * returns true, for the action to stop with YYERROR. So no tree the passes
 * get is higher, and none built here is more than one level higher.
 */
static bool too_high(struct parse_state *ps, struct ast_node *n)
{
	const struct ast_node *kids[] = { n->lhs, n->rhs, n->cond, n->args, n->body };
	unsigned h = 0;

	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (list_height(kids[i]) > h)
			h = list_height(kids[i]);
	n->height = h + 1;
	if (n->height <= AST_MAX_HEIGHT)
		return false;
	diag_add(ps->dl, DIAG_ERROR, &n->loc, "nested too deeply: more than %d levels of "
		 "operators, calls and blocks", AST_MAX_HEIGHT);
	diag_hint(ps->dl, "split it into steps with variables: $a = ...; $b = $a + ...");
	ast__free(n);
	return true;
}

static struct ast_node *binop(struct parse_state *ps, enum ast_op op, struct ast_node *a,
			      struct ast_node *b, const YYLTYPE *l)
{
	struct ast_node *n = node(AST_BINOP, l);

	n->op = op;
	n->lhs = a;
	n->rhs = b;
	return too_high(ps, n) ? NULL : n;
}

static struct ast_node *unop(struct parse_state *ps, enum ast_op op, struct ast_node *a,
			     const YYLTYPE *l)
{
	struct ast_node *n = node(AST_UNOP, l);

	n->op = op;
	n->lhs = a;
	return too_high(ps, n) ? NULL : n;
}

/* `x op= v`, `x++`: x = x op v, with x a variable or a map entry. */
static struct ast_node *update(struct parse_state *ps, struct ast_node *target,
			       enum ast_op op, struct ast_node *v, const YYLTYPE *l)
{
	struct ast_node *n = node(target->kind == AST_VAR ? AST_VAR_ASSIGN : AST_MAP_ASSIGN, l);

	n->lhs = target;
	n->rhs = binop(ps, op, ast_clone(target), v, l);
	if (!n->rhs) {
		ast__free(n);
		return NULL;
	}
	return too_high(ps, n) ? NULL : n;
}

static struct ast_node *one(const YYLTYPE *l)
{
	struct ast_node *n = node(AST_INT, l);

	n->ival = 1;
	return n;
}

static void yyerror(YYLTYPE *l, yyscan_t scanner, struct parse_state *ps, const char *msg)
{
	struct src_loc loc = L(l);

	(void)scanner;
	if (ps->lex_failed)
		return;
	/* Bison's stack is full: brackets, right-associative operators and
	 * the statements of a block wait on it until they are complete. */
	if (!strcmp(msg, "memory exhausted")) {
		diag_add(ps->dl, DIAG_ERROR, &loc, "too deep for the parser: its stack of %d "
			 "open brackets, operators and statements is full", YYMAXDEPTH);
		diag_hint(ps->dl, "nest less, or split a long block or expression in two");
		return;
	}
	diag_add(ps->dl, DIAG_ERROR, &loc, "%s", msg);
}
}

%initial-action {
	@$.first_line = @$.last_line = 1;
	@$.first_column = 1;
	@$.last_column = 0;
}

%union {
	int64_t ival;
	double dval;
	char *str;
	struct ast_node *node;
}

%token <ival> INT "integer"
%token <str> STRING "string"
%token <str> IDENT "identifier"
%token <str> MAP "map"
%token <str> ATTACH "attach point"
%token BEGIN_KW "BEGIN"
%token END_KW "END"
%token PRED_OPEN "predicate"
%token PRED_CLOSE "end of predicate"
%token SHL "<<" SHR ">>" LE "<=" GE ">=" EQ "==" NE "!="
%token LEX_ERROR "invalid token"
%token HOTSPOT "hotspot"
%token <dval> NUMBER "number"
%token <dval> DURATION "duration"
%token <dval> QUANTILE "quantile"
%token PLUSMINUS "+-"
%token <str> VAR "variable"
%token IF "if" ELSE "else"
%token LAND "&&" LOR "||" ADD_ASSIGN "+=" SUB_ASSIGN "-=" INC "++" DEC "--"

%type <node> probes probe attach_list attach pred block stmts stmt if_stmt target map expr
%type <node> primary args opt_args hotspot settings opt_setting setting value band hs_args hs_arg

%destructor { free($$); } <str>
%destructor { ast__free($$); } <node>

%right '?' ':'
%left LOR
%left LAND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' LE '>' GE
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%%

program
	: probes
		{ ps->program = node(AST_PROGRAM, &@$); ps->program->body = $1; }
	;

probes
	: %empty		{ $$ = NULL; }
	| probes probe		{ $$ = ast_append($1, $2); }
	| probes hotspot	{ $$ = ast_append($1, $2); }
	;

hotspot
	: HOTSPOT MAP '{' settings '}'
		{ $$ = node(AST_HOTSPOT, &@2); $$->name = $2; $$->body = $4; }
	;

settings
	: opt_setting			{ $$ = $1; }
	| settings ';' opt_setting	{ $$ = ast_append($1, $3); }
	;

opt_setting
	: %empty		{ $$ = NULL; }
	| setting		{ $$ = $1; }
	;

setting
	: IDENT '=' value
		{ $$ = node(AST_SETTING, &@1); $$->name = $1; $$->rhs = $3; }
	;

value
	: NUMBER		{ $$ = node(AST_NUMBER, &@$); $$->dval = $1; }
	| DURATION		{ $$ = node(AST_NUMBER, &@$); $$->dval = $1; $$->ival = 1; }
	| IDENT			{ $$ = node(AST_WORD, &@$); $$->name = $1; }
	| IDENT '(' hs_args ')'
		{ $$ = node(AST_CALL, &@1); $$->name = $1; $$->args = $3; }
	| QUANTILE band
		{ $$ = node(AST_QUANTILE, &@1); $$->dval = $1; $$->rhs = $2; }
	| '>' NUMBER band
		{ $$ = node(AST_ABOVE, &@2); $$->dval = $2; $$->rhs = $3; }
	| NUMBER IDENT NUMBER IDENT
		{ struct src_loc loc = L(&@2);
		  if (strcmp($2, "for") || (strcmp($4, "windows") && strcmp($4, "window"))) {
			diag_add(ps->dl, DIAG_ERROR, &loc, "expected 'for N windows'");
			free($2); free($4); YYERROR;
		  }
		  $$ = node(AST_REPEAT, &@$); $$->dval = $1;
		  $$->ival = $3 >= 1 && $3 <= INT32_MAX ? (int64_t)$3 : 0;
		  free($2); free($4); }
	;

band
	: %empty		{ $$ = NULL; }
	| PLUSMINUS NUMBER '%'	{ $$ = node(AST_NUMBER, &@2); $$->dval = $2; }
	;

hs_args
	: hs_arg		{ $$ = $1; }
	| hs_args ',' hs_arg	{ $$ = ast_append($1, $3); }
	;

hs_arg
	: NUMBER		{ $$ = node(AST_NUMBER, &@$); $$->dval = $1; }
	| IDENT '=' NUMBER
		{ $$ = node(AST_SETTING, &@1); $$->name = $1;
		  $$->rhs = node(AST_NUMBER, &@3); $$->rhs->dval = $3; }
	;

probe
	: attach_list pred block
		{ $$ = node(AST_PROBE, &@1); $$->args = $1; $$->cond = $2; $$->body = $3; }
	| block
		{ struct src_loc loc = L(&@1);
		  diag_add(ps->dl, DIAG_ERROR, &loc, "an action block needs a probe before it");
		  diag_hint(ps->dl, "for example BEGIN { ... } or uprobe:./server:main.handle { ... }");
		  ast__free($1); $$ = NULL; YYERROR; }
	;

attach_list
	: attach			{ $$ = $1; }
	| attach_list ',' attach	{ $$ = ast_append($1, $3); }
	;

attach
	: ATTACH
		{ struct src_loc loc = L(&@1); $$ = lang_attach_new(ps, $1, &loc); free($1);
		  if (!$$) YYERROR; }
	| BEGIN_KW	{ $$ = node(AST_ATTACH, &@1); $$->name = strdup("BEGIN"); }
	| END_KW	{ $$ = node(AST_ATTACH, &@1); $$->name = strdup("END"); }
	;

pred
	: %empty			{ $$ = NULL; }
	| PRED_OPEN expr PRED_CLOSE	{ $$ = $2; }
	;

block
	: '{' stmts '}'		{ $$ = $2; }
	;

stmts
	: %empty		{ $$ = NULL; }
	| stmt			{ $$ = $1; }
	| stmt ';' stmts	{ $$ = $1; $1->next = $3; }
	| ';' stmts		{ $$ = $2; }
	| if_stmt stmts		{ $$ = $1; $1->next = $2; }
	;

if_stmt
	: IF '(' expr ')' block
		{ $$ = node(AST_IF, &@1); $$->cond = $3; $$->body = $5;
		  if (too_high(ps, $$)) YYERROR; }
	| IF '(' expr ')' block ELSE block
		{ $$ = node(AST_IF, &@1); $$->cond = $3; $$->body = $5; $$->rhs = $7;
		  if (too_high(ps, $$)) YYERROR; }
	| IF '(' expr ')' block ELSE if_stmt
		{ $$ = node(AST_IF, &@1); $$->cond = $3; $$->body = $5; $$->rhs = $7;
		  if (too_high(ps, $$)) YYERROR; }
	;

target
	: map			{ $$ = $1; }
	| VAR			{ $$ = node(AST_VAR, &@$); $$->name = $1; }
	;

stmt
	: target '=' expr
		{ $$ = node($1->kind == AST_VAR ? AST_VAR_ASSIGN : AST_MAP_ASSIGN, &@$);
		  $$->lhs = $1; $$->rhs = $3; if (too_high(ps, $$)) YYERROR; }
	| target ADD_ASSIGN expr	{ $$ = update(ps, $1, OP_ADD, $3, &@$); if (!$$) YYERROR; }
	| target SUB_ASSIGN expr	{ $$ = update(ps, $1, OP_SUB, $3, &@$); if (!$$) YYERROR; }
	| target INC			{ $$ = update(ps, $1, OP_ADD, one(&@2), &@$); if (!$$) YYERROR; }
	| target DEC			{ $$ = update(ps, $1, OP_SUB, one(&@2), &@$); if (!$$) YYERROR; }
	| expr
		{ $$ = node(AST_EXPR_STMT, &@$); $$->lhs = $1; if (too_high(ps, $$)) YYERROR; }
	;

map
	: MAP			{ $$ = node(AST_MAP, &@$); $$->name = $1; }
	| MAP '[' args ']'
		{ $$ = node(AST_MAP, &@$); $$->name = $1; $$->args = $3;
		  if (too_high(ps, $$)) YYERROR; }
	;

args
	: expr			{ $$ = $1; }
	| args ',' expr		{ $$ = ast_append($1, $3); }
	;

opt_args
	: %empty		{ $$ = NULL; }
	| args			{ $$ = $1; }
	;

expr
	: primary		{ $$ = $1; }
	| expr '?' expr ':' expr
		{ $$ = node(AST_TERNARY, &@2); $$->cond = $1; $$->lhs = $3; $$->rhs = $5;
		  if (too_high(ps, $$)) YYERROR; }
	| expr LOR expr		{ $$ = binop(ps, OP_LOR, $1, $3, &@2); if (!$$) YYERROR; }
	| expr LAND expr	{ $$ = binop(ps, OP_LAND, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '|' expr		{ $$ = binop(ps, OP_BOR, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '^' expr		{ $$ = binop(ps, OP_BXOR, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '&' expr		{ $$ = binop(ps, OP_BAND, $1, $3, &@2); if (!$$) YYERROR; }
	| expr EQ expr		{ $$ = binop(ps, OP_EQ, $1, $3, &@2); if (!$$) YYERROR; }
	| expr NE expr		{ $$ = binop(ps, OP_NE, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '<' expr		{ $$ = binop(ps, OP_LT, $1, $3, &@2); if (!$$) YYERROR; }
	| expr LE expr		{ $$ = binop(ps, OP_LE, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '>' expr		{ $$ = binop(ps, OP_GT, $1, $3, &@2); if (!$$) YYERROR; }
	| expr GE expr		{ $$ = binop(ps, OP_GE, $1, $3, &@2); if (!$$) YYERROR; }
	| expr SHL expr		{ $$ = binop(ps, OP_SHL, $1, $3, &@2); if (!$$) YYERROR; }
	| expr SHR expr		{ $$ = binop(ps, OP_SHR, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '+' expr		{ $$ = binop(ps, OP_ADD, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '-' expr		{ $$ = binop(ps, OP_SUB, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '*' expr		{ $$ = binop(ps, OP_MUL, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '/' expr		{ $$ = binop(ps, OP_DIV, $1, $3, &@2); if (!$$) YYERROR; }
	| expr '%' expr		{ $$ = binop(ps, OP_MOD, $1, $3, &@2); if (!$$) YYERROR; }
	| '-' expr %prec UNARY	{ $$ = unop(ps, OP_NEG, $2, &@1); if (!$$) YYERROR; }
	| '!' expr %prec UNARY	{ $$ = unop(ps, OP_NOT, $2, &@1); if (!$$) YYERROR; }
	| '~' expr %prec UNARY	{ $$ = unop(ps, OP_BNOT, $2, &@1); if (!$$) YYERROR; }
	;

primary
	: INT			{ $$ = node(AST_INT, &@$); $$->ival = $1; }
	| STRING		{ $$ = node(AST_STRING, &@$); $$->name = $1; }
	| VAR			{ $$ = node(AST_VAR, &@$); $$->name = $1; }
	| IDENT			{ $$ = node(AST_BUILTIN, &@$); $$->name = $1; }
	| IDENT '(' opt_args ')'
		{ $$ = node(AST_CALL, &@1); $$->name = $1; $$->args = $3;
		  if (too_high(ps, $$)) YYERROR; }
	| map			{ $$ = $1; }
	| '(' expr ')'		{ $$ = $2; }
	;

%%
