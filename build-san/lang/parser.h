/* A Bison parser, made by GNU Bison 3.8.2.  */

/* Bison interface for Yacc-like parsers in C

   Copyright (C) 1984, 1989-1990, 2000-2015, 2018-2021 Free Software Foundation,
   Inc.

   This program is free software: you can redistribute it and/or modify
   it under the terms of the GNU General Public License as published by
   the Free Software Foundation, either version 3 of the License, or
   (at your option) any later version.

   This program is distributed in the hope that it will be useful,
   but WITHOUT ANY WARRANTY; without even the implied warranty of
   MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
   GNU General Public License for more details.

   You should have received a copy of the GNU General Public License
   along with this program.  If not, see <https://www.gnu.org/licenses/>.  */

/* As a special exception, you may create a larger work that contains
   part or all of the Bison parser skeleton and distribute that work
   under terms of your choice, so long as that work isn't itself a
   parser generator using the skeleton or a modified version thereof
   as a parser skeleton.  Alternatively, if you modify or redistribute
   the parser skeleton itself, you may (at your option) remove this
   special exception, which will cause the skeleton and the resulting
   Bison output files to be licensed under the GNU General Public
   License without this special exception.

   This special exception was added by the Free Software Foundation in
   version 2.2 of Bison.  */

/* DO NOT RELY ON FEATURES THAT ARE NOT DOCUMENTED in the manual,
   especially those whose name start with YY_ or yy_.  They are
   private implementation details that can be changed or removed.  */

#ifndef YY_YY_BUILD_SAN_LANG_PARSER_H_INCLUDED
# define YY_YY_BUILD_SAN_LANG_PARSER_H_INCLUDED
/* Debug traces.  */
#ifndef YYDEBUG
# define YYDEBUG 0
#endif
#if YYDEBUG
extern int yydebug;
#endif
/* "%code requires" blocks.  */
#line 38 "lang/parser.y"

#include <stdint.h>
#include "lang/ast.h"
#include "lang/parse.h"
typedef void *yyscan_t;

#line 56 "build-san/lang/parser.h"

/* Token kinds.  */
#ifndef YYTOKENTYPE
# define YYTOKENTYPE
  enum yytokentype
  {
    YYEMPTY = -2,
    YYEOF = 0,                     /* "end of file"  */
    YYerror = 256,                 /* error  */
    YYUNDEF = 257,                 /* "invalid token"  */
    INT = 258,                     /* "integer"  */
    STRING = 259,                  /* "string"  */
    IDENT = 260,                   /* "identifier"  */
    MAP = 261,                     /* "map"  */
    ATTACH = 262,                  /* "attach point"  */
    BEGIN_KW = 263,                /* "BEGIN"  */
    END_KW = 264,                  /* "END"  */
    PRED_OPEN = 265,               /* "predicate"  */
    PRED_CLOSE = 266,              /* "end of predicate"  */
    SHL = 267,                     /* "<<"  */
    SHR = 268,                     /* ">>"  */
    LE = 269,                      /* "<="  */
    GE = 270,                      /* ">="  */
    EQ = 271,                      /* "=="  */
    NE = 272,                      /* "!="  */
    LEX_ERROR = 273,               /* "invalid token"  */
    HOTSPOT = 274,                 /* "hotspot"  */
    NUMBER = 275,                  /* "number"  */
    DURATION = 276,                /* "duration"  */
    QUANTILE = 277,                /* "quantile"  */
    PLUSMINUS = 278,               /* "+-"  */
    VAR = 279,                     /* "variable"  */
    IF = 280,                      /* "if"  */
    ELSE = 281,                    /* "else"  */
    LAND = 282,                    /* "&&"  */
    LOR = 283,                     /* "||"  */
    ADD_ASSIGN = 284,              /* "+="  */
    SUB_ASSIGN = 285,              /* "-="  */
    INC = 286,                     /* "++"  */
    DEC = 287,                     /* "--"  */
    UNARY = 288                    /* UNARY  */
  };
  typedef enum yytokentype yytoken_kind_t;
#endif

/* Value type.  */
#if ! defined YYSTYPE && ! defined YYSTYPE_IS_DECLARED
union YYSTYPE
{
#line 119 "lang/parser.y"

	int64_t ival;
	double dval;
	char *str;
	struct ast_node *node;

#line 113 "build-san/lang/parser.h"

};
typedef union YYSTYPE YYSTYPE;
# define YYSTYPE_IS_TRIVIAL 1
# define YYSTYPE_IS_DECLARED 1
#endif

/* Location type.  */
#if ! defined YYLTYPE && ! defined YYLTYPE_IS_DECLARED
typedef struct YYLTYPE YYLTYPE;
struct YYLTYPE
{
  int first_line;
  int first_column;
  int last_line;
  int last_column;
};
# define YYLTYPE_IS_DECLARED 1
# define YYLTYPE_IS_TRIVIAL 1
#endif




int yyparse (yyscan_t scanner, struct parse_state *ps);


#endif /* !YY_YY_BUILD_SAN_LANG_PARSER_H_INCLUDED  */
