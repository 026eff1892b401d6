/* A Bison parser, made by GNU Bison 3.8.2.  */

/* Bison implementation for Yacc-like parsers in C

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

/* C LALR(1) parser skeleton written by Richard Stallman, by
   simplifying the original so-called "semantic" parser.  */

/* DO NOT RELY ON FEATURES THAT ARE NOT DOCUMENTED in the manual,
   especially those whose name start with YY_ or yy_.  They are
   private implementation details that can be changed or removed.  */

/* All symbols defined below should begin with yy or YY, to avoid
   infringing on user name space.  This should be done even for local
   variables, as they might otherwise be expanded by user macros.
   There are some unavoidable exceptions within include files to
   define necessary library symbols; they are noted "INFRINGES ON
   USER NAME SPACE" below.  */

/* Identify Bison output, and Bison version.  */
#define YYBISON 30802

/* Bison version string.  */
#define YYBISON_VERSION "3.8.2"

/* Skeleton name.  */
#define YYSKELETON_NAME "yacc.c"

/* Pure parsers.  */
#define YYPURE 2

/* Push parsers.  */
#define YYPUSH 0

/* Pull parsers.  */
#define YYPULL 1





# ifndef YY_CAST
#  ifdef __cplusplus
#   define YY_CAST(Type, Val) static_cast<Type> (Val)
#   define YY_REINTERPRET_CAST(Type, Val) reinterpret_cast<Type> (Val)
#  else
#   define YY_CAST(Type, Val) ((Type) (Val))
#   define YY_REINTERPRET_CAST(Type, Val) ((Type) (Val))
#  endif
# endif
# ifndef YY_NULLPTR
#  if defined __cplusplus
#   if 201103L <= __cplusplus
#    define YY_NULLPTR nullptr
#   else
#    define YY_NULLPTR 0
#   endif
#  else
#   define YY_NULLPTR ((void*)0)
#  endif
# endif

#include "parser.h"
/* Symbol kind.  */
enum yysymbol_kind_t
{
  YYSYMBOL_YYEMPTY = -2,
  YYSYMBOL_YYEOF = 0,                      /* "end of file"  */
  YYSYMBOL_YYerror = 1,                    /* error  */
  YYSYMBOL_YYUNDEF = 2,                    /* "invalid token"  */
  YYSYMBOL_INT = 3,                        /* "integer"  */
  YYSYMBOL_STRING = 4,                     /* "string"  */
  YYSYMBOL_IDENT = 5,                      /* "identifier"  */
  YYSYMBOL_MAP = 6,                        /* "map"  */
  YYSYMBOL_ATTACH = 7,                     /* "attach point"  */
  YYSYMBOL_BEGIN_KW = 8,                   /* "BEGIN"  */
  YYSYMBOL_END_KW = 9,                     /* "END"  */
  YYSYMBOL_PRED_OPEN = 10,                 /* "predicate"  */
  YYSYMBOL_PRED_CLOSE = 11,                /* "end of predicate"  */
  YYSYMBOL_SHL = 12,                       /* "<<"  */
  YYSYMBOL_SHR = 13,                       /* ">>"  */
  YYSYMBOL_LE = 14,                        /* "<="  */
  YYSYMBOL_GE = 15,                        /* ">="  */
  YYSYMBOL_EQ = 16,                        /* "=="  */
  YYSYMBOL_NE = 17,                        /* "!="  */
  YYSYMBOL_LEX_ERROR = 18,                 /* "invalid token"  */
  YYSYMBOL_HOTSPOT = 19,                   /* "hotspot"  */
  YYSYMBOL_NUMBER = 20,                    /* "number"  */
  YYSYMBOL_DURATION = 21,                  /* "duration"  */
  YYSYMBOL_QUANTILE = 22,                  /* "quantile"  */
  YYSYMBOL_PLUSMINUS = 23,                 /* "+-"  */
  YYSYMBOL_VAR = 24,                       /* "variable"  */
  YYSYMBOL_IF = 25,                        /* "if"  */
  YYSYMBOL_ELSE = 26,                      /* "else"  */
  YYSYMBOL_LAND = 27,                      /* "&&"  */
  YYSYMBOL_LOR = 28,                       /* "||"  */
  YYSYMBOL_ADD_ASSIGN = 29,                /* "+="  */
  YYSYMBOL_SUB_ASSIGN = 30,                /* "-="  */
  YYSYMBOL_INC = 31,                       /* "++"  */
  YYSYMBOL_DEC = 32,                       /* "--"  */
  YYSYMBOL_33_ = 33,                       /* '?'  */
  YYSYMBOL_34_ = 34,                       /* ':'  */
  YYSYMBOL_35_ = 35,                       /* '|'  */
  YYSYMBOL_36_ = 36,                       /* '^'  */
  YYSYMBOL_37_ = 37,                       /* '&'  */
  YYSYMBOL_38_ = 38,                       /* '<'  */
  YYSYMBOL_39_ = 39,                       /* '>'  */
  YYSYMBOL_40_ = 40,                       /* '+'  */
  YYSYMBOL_41_ = 41,                       /* '-'  */
  YYSYMBOL_42_ = 42,                       /* '*'  */
  YYSYMBOL_43_ = 43,                       /* '/'  */
  YYSYMBOL_44_ = 44,                       /* '%'  */
  YYSYMBOL_UNARY = 45,                     /* UNARY  */
  YYSYMBOL_46_ = 46,                       /* '{'  */
  YYSYMBOL_47_ = 47,                       /* '}'  */
  YYSYMBOL_48_ = 48,                       /* ';'  */
  YYSYMBOL_49_ = 49,                       /* '='  */
  YYSYMBOL_50_ = 50,                       /* '('  */
  YYSYMBOL_51_ = 51,                       /* ')'  */
  YYSYMBOL_52_ = 52,                       /* ','  */
  YYSYMBOL_53_ = 53,                       /* '['  */
  YYSYMBOL_54_ = 54,                       /* ']'  */
  YYSYMBOL_55_ = 55,                       /* '!'  */
  YYSYMBOL_56_ = 56,                       /* '~'  */
  YYSYMBOL_YYACCEPT = 57,                  /* $accept  */
  YYSYMBOL_program = 58,                   /* program  */
  YYSYMBOL_probes = 59,                    /* probes  */
  YYSYMBOL_hotspot = 60,                   /* hotspot  */
  YYSYMBOL_settings = 61,                  /* settings  */
  YYSYMBOL_opt_setting = 62,               /* opt_setting  */
  YYSYMBOL_setting = 63,                   /* setting  */
  YYSYMBOL_value = 64,                     /* value  */
  YYSYMBOL_band = 65,                      /* band  */
  YYSYMBOL_hs_args = 66,                   /* hs_args  */
  YYSYMBOL_hs_arg = 67,                    /* hs_arg  */
  YYSYMBOL_probe = 68,                     /* probe  */
  YYSYMBOL_attach_list = 69,               /* attach_list  */
  YYSYMBOL_attach = 70,                    /* attach  */
  YYSYMBOL_pred = 71,                      /* pred  */
  YYSYMBOL_block = 72,                     /* block  */
  YYSYMBOL_stmts = 73,                     /* stmts  */
  YYSYMBOL_if_stmt = 74,                   /* if_stmt  */
  YYSYMBOL_target = 75,                    /* target  */
  YYSYMBOL_stmt = 76,                      /* stmt  */
  YYSYMBOL_map = 77,                       /* map  */
  YYSYMBOL_args = 78,                      /* args  */
  YYSYMBOL_opt_args = 79,                  /* opt_args  */
  YYSYMBOL_expr = 80,                      /* expr  */
  YYSYMBOL_primary = 81                    /* primary  */
};
typedef enum yysymbol_kind_t yysymbol_kind_t;



/* Unqualified %code blocks.  */
#line 45 "lang/parser.y"

#include <stdlib.h>
#include <string.h>
#include "lexer.h"

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

static struct ast_node *binop(enum ast_op op, struct ast_node *a, struct ast_node *b,
			      const YYLTYPE *l)
{
	struct ast_node *n = node(AST_BINOP, l);

	n->op = op;
	n->lhs = a;
	n->rhs = b;
	return n;
}

static struct ast_node *unop(enum ast_op op, struct ast_node *a, const YYLTYPE *l)
{
	struct ast_node *n = node(AST_UNOP, l);

	n->op = op;
	n->lhs = a;
	return n;
}

/* `x op= v`, `x++`: x = x op v, with x a variable or a map entry. */
static struct ast_node *update(struct ast_node *target, enum ast_op op, struct ast_node *v,
			       const YYLTYPE *l)
{
	struct ast_node *n = node(target->kind == AST_VAR ? AST_VAR_ASSIGN : AST_MAP_ASSIGN, l);

	n->lhs = target;
	n->rhs = binop(op, ast_clone(target), v, l);
	return n;
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
	if (!ps->lex_failed)
		diag_add(ps->dl, DIAG_ERROR, &loc, "%s", msg);
}

#line 253 "build-san/lang/parser.c"

#ifdef short
# undef short
#endif

/* On compilers that do not define __PTRDIFF_MAX__ etc., make sure
   <limits.h> and (if available) <stdint.h> are included
   so that the code can choose integer types of a good width.  */

#ifndef __PTRDIFF_MAX__
# include <limits.h> /* INFRINGES ON USER NAME SPACE */
# if defined __STDC_VERSION__ && 199901 <= __STDC_VERSION__
#  include <stdint.h> /* INFRINGES ON USER NAME SPACE */
#  define YY_STDINT_H
# endif
#endif

/* Narrow types that promote to a signed type and that can represent a
   signed or unsigned integer of at least N bits.  In tables they can
   save space and decrease cache pressure.  Promoting to a signed type
   helps avoid bugs in integer arithmetic.  */

#ifdef __INT_LEAST8_MAX__
typedef __INT_LEAST8_TYPE__ yytype_int8;
#elif defined YY_STDINT_H
typedef int_least8_t yytype_int8;
#else
typedef signed char yytype_int8;
#endif

#ifdef __INT_LEAST16_MAX__
typedef __INT_LEAST16_TYPE__ yytype_int16;
#elif defined YY_STDINT_H
typedef int_least16_t yytype_int16;
#else
typedef short yytype_int16;
#endif

/* Work around bug in HP-UX 11.23, which defines these macros
   incorrectly for preprocessor constants.  This workaround can likely
   be removed in 2023, as HPE has promised support for HP-UX 11.23
   (aka HP-UX 11i v2) only through the end of 2022; see Table 2 of
   <https://h20195.www2.hpe.com/V2/getpdf.aspx/4AA4-7673ENW.pdf>.  */
#ifdef __hpux
# undef UINT_LEAST8_MAX
# undef UINT_LEAST16_MAX
# define UINT_LEAST8_MAX 255
# define UINT_LEAST16_MAX 65535
#endif

#if defined __UINT_LEAST8_MAX__ && __UINT_LEAST8_MAX__ <= __INT_MAX__
typedef __UINT_LEAST8_TYPE__ yytype_uint8;
#elif (!defined __UINT_LEAST8_MAX__ && defined YY_STDINT_H \
       && UINT_LEAST8_MAX <= INT_MAX)
typedef uint_least8_t yytype_uint8;
#elif !defined __UINT_LEAST8_MAX__ && UCHAR_MAX <= INT_MAX
typedef unsigned char yytype_uint8;
#else
typedef short yytype_uint8;
#endif

#if defined __UINT_LEAST16_MAX__ && __UINT_LEAST16_MAX__ <= __INT_MAX__
typedef __UINT_LEAST16_TYPE__ yytype_uint16;
#elif (!defined __UINT_LEAST16_MAX__ && defined YY_STDINT_H \
       && UINT_LEAST16_MAX <= INT_MAX)
typedef uint_least16_t yytype_uint16;
#elif !defined __UINT_LEAST16_MAX__ && USHRT_MAX <= INT_MAX
typedef unsigned short yytype_uint16;
#else
typedef int yytype_uint16;
#endif

#ifndef YYPTRDIFF_T
# if defined __PTRDIFF_TYPE__ && defined __PTRDIFF_MAX__
#  define YYPTRDIFF_T __PTRDIFF_TYPE__
#  define YYPTRDIFF_MAXIMUM __PTRDIFF_MAX__
# elif defined PTRDIFF_MAX
#  ifndef ptrdiff_t
#   include <stddef.h> /* INFRINGES ON USER NAME SPACE */
#  endif
#  define YYPTRDIFF_T ptrdiff_t
#  define YYPTRDIFF_MAXIMUM PTRDIFF_MAX
# else
#  define YYPTRDIFF_T long
#  define YYPTRDIFF_MAXIMUM LONG_MAX
# endif
#endif

#ifndef YYSIZE_T
# ifdef __SIZE_TYPE__
#  define YYSIZE_T __SIZE_TYPE__
# elif defined size_t
#  define YYSIZE_T size_t
# elif defined __STDC_VERSION__ && 199901 <= __STDC_VERSION__
#  include <stddef.h> /* INFRINGES ON USER NAME SPACE */
#  define YYSIZE_T size_t
# else
#  define YYSIZE_T unsigned
# endif
#endif

#define YYSIZE_MAXIMUM                                  \
  YY_CAST (YYPTRDIFF_T,                                 \
           (YYPTRDIFF_MAXIMUM < YY_CAST (YYSIZE_T, -1)  \
            ? YYPTRDIFF_MAXIMUM                         \
            : YY_CAST (YYSIZE_T, -1)))

#define YYSIZEOF(X) YY_CAST (YYPTRDIFF_T, sizeof (X))


/* Stored state numbers (used for stacks). */
typedef yytype_uint8 yy_state_t;

/* State numbers in computations.  */
typedef int yy_state_fast_t;

#ifndef YY_
# if defined YYENABLE_NLS && YYENABLE_NLS
#  if ENABLE_NLS
#   include <libintl.h> /* INFRINGES ON USER NAME SPACE */
#   define YY_(Msgid) dgettext ("bison-runtime", Msgid)
#  endif
# endif
# ifndef YY_
#  define YY_(Msgid) Msgid
# endif
#endif


#ifndef YY_ATTRIBUTE_PURE
# if defined __GNUC__ && 2 < __GNUC__ + (96 <= __GNUC_MINOR__)
#  define YY_ATTRIBUTE_PURE __attribute__ ((__pure__))
# else
#  define YY_ATTRIBUTE_PURE
# endif
#endif

#ifndef YY_ATTRIBUTE_UNUSED
# if defined __GNUC__ && 2 < __GNUC__ + (7 <= __GNUC_MINOR__)
#  define YY_ATTRIBUTE_UNUSED __attribute__ ((__unused__))
# else
#  define YY_ATTRIBUTE_UNUSED
# endif
#endif

/* Suppress unused-variable warnings by "using" E.  */
#if ! defined lint || defined __GNUC__
# define YY_USE(E) ((void) (E))
#else
# define YY_USE(E) /* empty */
#endif

/* Suppress an incorrect diagnostic about yylval being uninitialized.  */
#if defined __GNUC__ && ! defined __ICC && 406 <= __GNUC__ * 100 + __GNUC_MINOR__
# if __GNUC__ * 100 + __GNUC_MINOR__ < 407
#  define YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN                           \
    _Pragma ("GCC diagnostic push")                                     \
    _Pragma ("GCC diagnostic ignored \"-Wuninitialized\"")
# else
#  define YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN                           \
    _Pragma ("GCC diagnostic push")                                     \
    _Pragma ("GCC diagnostic ignored \"-Wuninitialized\"")              \
    _Pragma ("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
# endif
# define YY_IGNORE_MAYBE_UNINITIALIZED_END      \
    _Pragma ("GCC diagnostic pop")
#else
# define YY_INITIAL_VALUE(Value) Value
#endif
#ifndef YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
# define YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
# define YY_IGNORE_MAYBE_UNINITIALIZED_END
#endif
#ifndef YY_INITIAL_VALUE
# define YY_INITIAL_VALUE(Value) /* Nothing. */
#endif

#if defined __cplusplus && defined __GNUC__ && ! defined __ICC && 6 <= __GNUC__
# define YY_IGNORE_USELESS_CAST_BEGIN                          \
    _Pragma ("GCC diagnostic push")                            \
    _Pragma ("GCC diagnostic ignored \"-Wuseless-cast\"")
# define YY_IGNORE_USELESS_CAST_END            \
    _Pragma ("GCC diagnostic pop")
#endif
#ifndef YY_IGNORE_USELESS_CAST_BEGIN
# define YY_IGNORE_USELESS_CAST_BEGIN
# define YY_IGNORE_USELESS_CAST_END
#endif


#define YY_ASSERT(E) ((void) (0 && (E)))

#if 1

/* The parser invokes alloca or malloc; define the necessary symbols.  */

# ifdef YYSTACK_USE_ALLOCA
#  if YYSTACK_USE_ALLOCA
#   ifdef __GNUC__
#    define YYSTACK_ALLOC __builtin_alloca
#   elif defined __BUILTIN_VA_ARG_INCR
#    include <alloca.h> /* INFRINGES ON USER NAME SPACE */
#   elif defined _AIX
#    define YYSTACK_ALLOC __alloca
#   elif defined _MSC_VER
#    include <malloc.h> /* INFRINGES ON USER NAME SPACE */
#    define alloca _alloca
#   else
#    define YYSTACK_ALLOC alloca
#    if ! defined _ALLOCA_H && ! defined EXIT_SUCCESS
#     include <stdlib.h> /* INFRINGES ON USER NAME SPACE */
      /* Use EXIT_SUCCESS as a witness for stdlib.h.  */
#     ifndef EXIT_SUCCESS
#      define EXIT_SUCCESS 0
#     endif
#    endif
#   endif
#  endif
# endif

# ifdef YYSTACK_ALLOC
   /* Pacify GCC's 'empty if-body' warning.  */
#  define YYSTACK_FREE(Ptr) do { /* empty */; } while (0)
#  ifndef YYSTACK_ALLOC_MAXIMUM
    /* The OS might guarantee only one guard page at the bottom of the stack,
       and a page size can be as small as 4096 bytes.  So we cannot safely
       invoke alloca (N) if N exceeds 4096.  Use a slightly smaller number
       to allow for a few compiler-allocated temporary stack slots.  */
#   define YYSTACK_ALLOC_MAXIMUM 4032 /* reasonable circa 2006 */
#  endif
# else
#  define YYSTACK_ALLOC YYMALLOC
#  define YYSTACK_FREE YYFREE
#  ifndef YYSTACK_ALLOC_MAXIMUM
#   define YYSTACK_ALLOC_MAXIMUM YYSIZE_MAXIMUM
#  endif
#  if (defined __cplusplus && ! defined EXIT_SUCCESS \
       && ! ((defined YYMALLOC || defined malloc) \
             && (defined YYFREE || defined free)))
#   include <stdlib.h> /* INFRINGES ON USER NAME SPACE */
#   ifndef EXIT_SUCCESS
#    define EXIT_SUCCESS 0
#   endif
#  endif
#  ifndef YYMALLOC
#   define YYMALLOC malloc
#   if ! defined malloc && ! defined EXIT_SUCCESS
void *malloc (YYSIZE_T); /* INFRINGES ON USER NAME SPACE */
#   endif
#  endif
#  ifndef YYFREE
#   define YYFREE free
#   if ! defined free && ! defined EXIT_SUCCESS
void free (void *); /* INFRINGES ON USER NAME SPACE */
#   endif
#  endif
# endif
#endif /* 1 */

#if (! defined yyoverflow \
     && (! defined __cplusplus \
         || (defined YYLTYPE_IS_TRIVIAL && YYLTYPE_IS_TRIVIAL \
             && defined YYSTYPE_IS_TRIVIAL && YYSTYPE_IS_TRIVIAL)))

/* A type that is properly aligned for any stack member.  */
union yyalloc
{
  yy_state_t yyss_alloc;
  YYSTYPE yyvs_alloc;
  YYLTYPE yyls_alloc;
};

/* The size of the maximum gap between one aligned stack and the next.  */
# define YYSTACK_GAP_MAXIMUM (YYSIZEOF (union yyalloc) - 1)

/* The size of an array large to enough to hold all stacks, each with
   N elements.  */
# define YYSTACK_BYTES(N) \
     ((N) * (YYSIZEOF (yy_state_t) + YYSIZEOF (YYSTYPE) \
             + YYSIZEOF (YYLTYPE)) \
      + 2 * YYSTACK_GAP_MAXIMUM)

# define YYCOPY_NEEDED 1

/* Relocate STACK from its old location to the new one.  The
   local variables YYSIZE and YYSTACKSIZE give the old and new number of
   elements in the stack, and YYPTR gives the new location of the
   stack.  Advance YYPTR to a properly aligned location for the next
   stack.  */
# define YYSTACK_RELOCATE(Stack_alloc, Stack)                           \
    do                                                                  \
      {                                                                 \
        YYPTRDIFF_T yynewbytes;                                         \
        YYCOPY (&yyptr->Stack_alloc, Stack, yysize);                    \
        Stack = &yyptr->Stack_alloc;                                    \
        yynewbytes = yystacksize * YYSIZEOF (*Stack) + YYSTACK_GAP_MAXIMUM; \
        yyptr += yynewbytes / YYSIZEOF (*yyptr);                        \
      }                                                                 \
    while (0)

#endif

#if defined YYCOPY_NEEDED && YYCOPY_NEEDED
/* Copy COUNT objects from SRC to DST.  The source and destination do
   not overlap.  */
# ifndef YYCOPY
#  if defined __GNUC__ && 1 < __GNUC__
#   define YYCOPY(Dst, Src, Count) \
      __builtin_memcpy (Dst, Src, YY_CAST (YYSIZE_T, (Count)) * sizeof (*(Src)))
#  else
#   define YYCOPY(Dst, Src, Count)              \
      do                                        \
        {                                       \
          YYPTRDIFF_T yyi;                      \
          for (yyi = 0; yyi < (Count); yyi++)   \
            (Dst)[yyi] = (Src)[yyi];            \
        }                                       \
      while (0)
#  endif
# endif
#endif /* !YYCOPY_NEEDED */

/* YYFINAL -- State number of the termination state.  */
#define YYFINAL  3
/* YYLAST -- Last index in YYTABLE.  */
#define YYLAST   400

/* YYNTOKENS -- Number of terminals.  */
#define YYNTOKENS  57
/* YYNNTS -- Number of nonterminals.  */
#define YYNNTS  25
/* YYNRULES -- Number of rules.  */
#define YYNRULES  86
/* YYNSTATES -- Number of states.  */
#define YYNSTATES  151

/* YYMAXUTOK -- Last valid token kind.  */
#define YYMAXUTOK   288


/* YYTRANSLATE(TOKEN-NUM) -- Symbol number corresponding to TOKEN-NUM
   as returned by yylex, with out-of-bounds checking.  */
#define YYTRANSLATE(YYX)                                \
  (0 <= (YYX) && (YYX) <= YYMAXUTOK                     \
   ? YY_CAST (yysymbol_kind_t, yytranslate[YYX])        \
   : YYSYMBOL_YYUNDEF)

/* YYTRANSLATE[TOKEN-NUM] -- Symbol number corresponding to TOKEN-NUM
   as returned by yylex.  */
static const yytype_int8 yytranslate[] =
{
       0,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,    55,     2,     2,     2,    44,    37,     2,
      50,    51,    42,    40,    52,    41,     2,    43,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,    34,    48,
      38,    49,    39,    33,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,    53,     2,    54,    36,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,    46,    35,    47,    56,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     2,     2,     2,     2,
       2,     2,     2,     2,     2,     2,     1,     2,     3,     4,
       5,     6,     7,     8,     9,    10,    11,    12,    13,    14,
      15,    16,    17,    18,    19,    20,    21,    22,    23,    24,
      25,    26,    27,    28,    29,    30,    31,    32,    45
};

#if YYDEBUG
/* YYRLINE[YYN] -- Source line where rule number YYN was defined.  */
static const yytype_int16 yyrline[] =
{
       0,   168,   168,   173,   174,   175,   179,   184,   185,   189,
     190,   194,   199,   200,   201,   202,   204,   206,   208,   219,
     220,   224,   225,   229,   230,   236,   238,   246,   247,   251,
     254,   255,   259,   260,   264,   268,   269,   270,   271,   272,
     276,   278,   280,   285,   286,   290,   293,   294,   295,   296,
     297,   302,   303,   307,   308,   312,   313,   317,   318,   320,
     321,   322,   323,   324,   325,   326,   327,   328,   329,   330,
     331,   332,   333,   334,   335,   336,   337,   338,   339,   340,
     344,   345,   346,   347,   348,   350,   351
};
#endif

/** Accessing symbol of state STATE.  */
#define YY_ACCESSING_SYMBOL(State) YY_CAST (yysymbol_kind_t, yystos[State])

#if 1
/* The user-facing name of the symbol whose (internal) number is
   YYSYMBOL.  No bounds checking.  */
static const char *yysymbol_name (yysymbol_kind_t yysymbol) YY_ATTRIBUTE_UNUSED;

static const char *
yysymbol_name (yysymbol_kind_t yysymbol)
{
  static const char *const yy_sname[] =
  {
  "end of file", "error", "invalid token", "integer", "string",
  "identifier", "map", "attach point", "BEGIN", "END", "predicate",
  "end of predicate", "<<", ">>", "<=", ">=", "==", "!=", "invalid token",
  "hotspot", "number", "duration", "quantile", "+-", "variable", "if",
  "else", "&&", "||", "+=", "-=", "++", "--", "'?'", "':'", "'|'", "'^'",
  "'&'", "'<'", "'>'", "'+'", "'-'", "'*'", "'/'", "'%'", "UNARY", "'{'",
  "'}'", "';'", "'='", "'('", "')'", "','", "'['", "']'", "'!'", "'~'",
  "$accept", "program", "probes", "hotspot", "settings", "opt_setting",
  "setting", "value", "band", "hs_args", "hs_arg", "probe", "attach_list",
  "attach", "pred", "block", "stmts", "if_stmt", "target", "stmt", "map",
  "args", "opt_args", "expr", "primary", YY_NULLPTR
  };
  return yy_sname[yysymbol];
}
#endif

#define YYPACT_NINF (-42)

#define yypact_value_is_default(Yyn) \
  ((Yyn) == YYPACT_NINF)

#define YYTABLE_NINF (-45)

#define yytable_value_is_error(Yyn) \
  0

/* YYPACT[STATE-NUM] -- Index in YYTABLE of the portion describing
   STATE-NUM.  */
static const yytype_int16 yypact[] =
{
     -42,    20,    59,   -42,   -42,   -42,   -42,    19,    52,   -42,
     -42,    11,   -42,   -42,   -15,   -42,   -42,   -18,   -19,    41,
      24,    56,    52,    56,    56,    56,    28,    52,   150,    31,
     343,   241,   -42,    56,     3,    35,    78,    56,    56,    56,
     -42,   -42,   -42,   -42,   101,   -42,   -42,   -42,   -42,    56,
      56,   -42,   -42,    56,    52,    56,    56,    56,    56,    56,
      56,    56,    56,    56,    56,    56,    56,    56,    56,    56,
      56,    56,    56,    56,   175,   -42,   -42,    38,   -41,   -42,
     -42,    36,    44,   241,   -26,   134,   -42,   241,   241,   241,
     -42,   153,   153,    79,    79,   356,   356,   290,   274,   208,
     307,   323,   340,    79,    79,   -28,   -28,   -42,   -42,   -42,
     -42,    64,   -42,    78,    56,   -42,   -42,    35,    56,    39,
      91,   -42,    81,    89,   -42,   -42,   241,    75,   241,     4,
      90,   104,   -42,    81,   -23,    77,   -42,    13,   -42,   122,
      87,   -42,   -42,   -42,   112,   -42,     4,   -42,   -42,   -42,
     -42
};

/* YYDEFACT[STATE-NUM] -- Default reduction number in state STATE-NUM.
   Performed when YYTABLE does not specify something else to do.  Zero
   means the default is an error.  */
static const yytype_int8 yydefact[] =
{
       3,     0,     2,     1,    29,    30,    31,     0,    35,     5,
       4,    32,    27,    26,     0,    80,    81,    83,    51,    82,
       0,     0,    35,     0,     0,     0,     0,    35,     0,    36,
      85,    50,    57,     0,     0,     0,     9,    55,     0,     0,
      82,    85,    77,    38,     0,    78,    79,    34,    39,     0,
       0,    48,    49,     0,    35,     0,     0,     0,     0,     0,
       0,     0,     0,     0,     0,     0,     0,     0,     0,     0,
       0,     0,     0,     0,     0,    28,    25,     0,     0,     7,
      10,    56,     0,    53,     0,     0,    86,    46,    47,    45,
      37,    70,    71,    67,    69,    64,    65,    60,    59,     0,
      61,    62,    63,    66,    68,    72,    73,    74,    75,    76,
      33,     0,     6,     9,     0,    84,    52,     0,     0,    14,
      12,    13,    19,     0,    11,     8,    54,    40,    58,     0,
       0,     0,    16,    19,     0,     0,    23,     0,    21,     0,
       0,    17,    41,    42,     0,    15,     0,    18,    20,    24,
      22
};

/* YYPGOTO[NTERM-NUM].  */
static const yytype_int8 yypgoto[] =
{
     -42,   -42,   -42,   -42,   -42,    22,   -42,   -42,    21,   -42,
     -13,   -42,   -42,   119,   -42,   -35,   103,    25,   -42,   -42,
       0,   117,   -42,   -20,   -42
};

/* YYDEFGOTO[NTERM-NUM].  */
static const yytype_uint8 yydefgoto[] =
{
       0,     1,     2,     9,    78,    79,    80,   124,   132,   137,
     138,    10,    11,    12,    35,    13,    26,    27,    28,    29,
      41,    81,    82,    31,    32
};

/* YYTABLE[YYPACT[STATE-NUM]] -- What to do in state STATE-NUM.  If
   positive, shift that token.  If negative, reduce the rule whose
   number is the opposite.  If YYTABLE_NINF, syntax error.  */
static const yytype_int16 yytable[] =
{
      76,    42,    20,    44,    45,    46,   112,   113,    30,   135,
       4,     5,     6,    74,    71,    72,    73,    83,    83,    85,
       3,    33,    30,     8,   136,    14,   114,    30,   116,    87,
      88,    36,    37,    89,    38,    91,    92,    93,    94,    95,
      96,    97,    98,    99,   100,   101,   102,   103,   104,   105,
     106,   107,   108,   109,    30,    15,    16,    17,    18,    15,
      16,    17,    18,    34,   145,   146,     4,     5,     6,   119,
     -44,   -44,   -44,   -44,    39,    47,    19,    20,     7,    54,
      40,     8,   127,    77,   120,   121,   122,   111,   114,   129,
     -44,    55,    56,    21,   126,   115,   130,    21,   128,   142,
      22,   134,    23,   123,   131,     8,    23,    24,    25,   133,
     139,    24,    25,    55,    56,    57,    58,    59,    60,    69,
      70,    71,    72,    73,   140,    43,   144,   147,    61,    62,
      48,   148,   149,   150,    63,   125,    64,    65,    66,    67,
      68,    69,    70,    71,    72,    73,    55,    56,    57,    58,
      59,    60,    86,    75,   141,    84,     0,    90,     0,   143,
       0,    61,    62,     0,     0,     0,     0,    63,     0,    64,
      65,    66,    67,    68,    69,    70,    71,    72,    73,    49,
      50,    51,    52,     0,     0,   117,   110,    55,    56,    57,
      58,    59,    60,    69,    70,    71,    72,    73,     0,    53,
       0,     0,    61,    62,     0,     0,     0,     0,    63,     0,
      64,    65,    66,    67,    68,    69,    70,    71,    72,    73,
      55,    56,    57,    58,    59,    60,     0,     0,     0,     0,
       0,     0,     0,     0,     0,    61,    62,     0,     0,     0,
       0,    63,   118,    64,    65,    66,    67,    68,    69,    70,
      71,    72,    73,    55,    56,    57,    58,    59,    60,     0,
       0,     0,     0,     0,     0,     0,     0,     0,    61,    62,
       0,     0,     0,     0,    63,     0,    64,    65,    66,    67,
      68,    69,    70,    71,    72,    73,    55,    56,    57,    58,
      59,    60,     0,     0,     0,     0,     0,     0,     0,     0,
       0,    61,    55,    56,    57,    58,    59,    60,     0,    64,
      65,    66,    67,    68,    69,    70,    71,    72,    73,    55,
      56,    57,    58,    59,    60,    64,    65,    66,    67,    68,
      69,    70,    71,    72,    73,    55,    56,    57,    58,    59,
      60,     0,     0,    65,    66,    67,    68,    69,    70,    71,
      72,    73,    55,    56,    57,    58,    59,    60,     0,     0,
      66,    67,    68,    69,    70,    71,    72,    73,    55,    56,
      57,    58,   -43,   -43,   -43,   -43,     0,     0,    67,    68,
      69,    70,    71,    72,    73,     0,     0,     0,     0,     0,
       0,     0,   -43,     0,    67,    68,    69,    70,    71,    72,
      73
};

static const yytype_int16 yycheck[] =
{
      35,    21,    25,    23,    24,    25,    47,    48,     8,     5,
       7,     8,     9,    33,    42,    43,    44,    37,    38,    39,
       0,    10,    22,    46,    20,     6,    52,    27,    54,    49,
      50,    46,    50,    53,    53,    55,    56,    57,    58,    59,
      60,    61,    62,    63,    64,    65,    66,    67,    68,    69,
      70,    71,    72,    73,    54,     3,     4,     5,     6,     3,
       4,     5,     6,    52,    51,    52,     7,     8,     9,     5,
      29,    30,    31,    32,    50,    47,    24,    25,    19,    48,
      24,    46,   117,     5,    20,    21,    22,    49,    52,    50,
      49,    12,    13,    41,   114,    51,     5,    41,   118,   134,
      48,    26,    50,    39,    23,    46,    50,    55,    56,    20,
      20,    55,    56,    12,    13,    14,    15,    16,    17,    40,
      41,    42,    43,    44,    20,    22,    49,     5,    27,    28,
      27,    44,    20,   146,    33,   113,    35,    36,    37,    38,
      39,    40,    41,    42,    43,    44,    12,    13,    14,    15,
      16,    17,    51,    34,   133,    38,    -1,    54,    -1,   134,
      -1,    27,    28,    -1,    -1,    -1,    -1,    33,    -1,    35,
      36,    37,    38,    39,    40,    41,    42,    43,    44,    29,
      30,    31,    32,    -1,    -1,    51,    11,    12,    13,    14,
      15,    16,    17,    40,    41,    42,    43,    44,    -1,    49,
      -1,    -1,    27,    28,    -1,    -1,    -1,    -1,    33,    -1,
      35,    36,    37,    38,    39,    40,    41,    42,    43,    44,
      12,    13,    14,    15,    16,    17,    -1,    -1,    -1,    -1,
      -1,    -1,    -1,    -1,    -1,    27,    28,    -1,    -1,    -1,
      -1,    33,    34,    35,    36,    37,    38,    39,    40,    41,
      42,    43,    44,    12,    13,    14,    15,    16,    17,    -1,
      -1,    -1,    -1,    -1,    -1,    -1,    -1,    -1,    27,    28,
      -1,    -1,    -1,    -1,    33,    -1,    35,    36,    37,    38,
      39,    40,    41,    42,    43,    44,    12,    13,    14,    15,
      16,    17,    -1,    -1,    -1,    -1,    -1,    -1,    -1,    -1,
      -1,    27,    12,    13,    14,    15,    16,    17,    -1,    35,
      36,    37,    38,    39,    40,    41,    42,    43,    44,    12,
      13,    14,    15,    16,    17,    35,    36,    37,    38,    39,
      40,    41,    42,    43,    44,    12,    13,    14,    15,    16,
      17,    -1,    -1,    36,    37,    38,    39,    40,    41,    42,
      43,    44,    12,    13,    14,    15,    16,    17,    -1,    -1,
      37,    38,    39,    40,    41,    42,    43,    44,    12,    13,
      14,    15,    29,    30,    31,    32,    -1,    -1,    38,    39,
      40,    41,    42,    43,    44,    -1,    -1,    -1,    -1,    -1,
      -1,    -1,    49,    -1,    38,    39,    40,    41,    42,    43,
      44
};

/* YYSTOS[STATE-NUM] -- The symbol kind of the accessing symbol of
   state STATE-NUM.  */
static const yytype_int8 yystos[] =
{
       0,    58,    59,     0,     7,     8,     9,    19,    46,    60,
      68,    69,    70,    72,     6,     3,     4,     5,     6,    24,
      25,    41,    48,    50,    55,    56,    73,    74,    75,    76,
      77,    80,    81,    10,    52,    71,    46,    50,    53,    50,
      24,    77,    80,    73,    80,    80,    80,    47,    73,    29,
      30,    31,    32,    49,    48,    12,    13,    14,    15,    16,
      17,    27,    28,    33,    35,    36,    37,    38,    39,    40,
      41,    42,    43,    44,    80,    70,    72,     5,    61,    62,
      63,    78,    79,    80,    78,    80,    51,    80,    80,    80,
      73,    80,    80,    80,    80,    80,    80,    80,    80,    80,
      80,    80,    80,    80,    80,    80,    80,    80,    80,    80,
      11,    49,    47,    48,    52,    51,    54,    51,    34,     5,
      20,    21,    22,    39,    64,    62,    80,    72,    80,    50,
       5,    23,    65,    20,    26,     5,    20,    66,    67,    20,
      20,    65,    72,    74,    49,    51,    52,     5,    44,    20,
      67
};

/* YYR1[RULE-NUM] -- Symbol kind of the left-hand side of rule RULE-NUM.  */
static const yytype_int8 yyr1[] =
{
       0,    57,    58,    59,    59,    59,    60,    61,    61,    62,
      62,    63,    64,    64,    64,    64,    64,    64,    64,    65,
      65,    66,    66,    67,    67,    68,    68,    69,    69,    70,
      70,    70,    71,    71,    72,    73,    73,    73,    73,    73,
      74,    74,    74,    75,    75,    76,    76,    76,    76,    76,
      76,    77,    77,    78,    78,    79,    79,    80,    80,    80,
      80,    80,    80,    80,    80,    80,    80,    80,    80,    80,
      80,    80,    80,    80,    80,    80,    80,    80,    80,    80,
      81,    81,    81,    81,    81,    81,    81
};

/* YYR2[RULE-NUM] -- Number of symbols on the right-hand side of rule RULE-NUM.  */
static const yytype_int8 yyr2[] =
{
       0,     2,     1,     0,     2,     2,     5,     1,     3,     0,
       1,     3,     1,     1,     1,     4,     2,     3,     4,     0,
       3,     1,     3,     1,     3,     3,     1,     1,     3,     1,
       1,     1,     0,     3,     3,     0,     1,     3,     2,     2,
       5,     7,     7,     1,     1,     3,     3,     3,     2,     2,
       1,     1,     4,     1,     3,     0,     1,     1,     5,     3,
       3,     3,     3,     3,     3,     3,     3,     3,     3,     3,
       3,     3,     3,     3,     3,     3,     3,     2,     2,     2,
       1,     1,     1,     1,     4,     1,     3
};


enum { YYENOMEM = -2 };

#define yyerrok         (yyerrstatus = 0)
#define yyclearin       (yychar = YYEMPTY)

#define YYACCEPT        goto yyacceptlab
#define YYABORT         goto yyabortlab
#define YYERROR         goto yyerrorlab
#define YYNOMEM         goto yyexhaustedlab


#define YYRECOVERING()  (!!yyerrstatus)

#define YYBACKUP(Token, Value)                                    \
  do                                                              \
    if (yychar == YYEMPTY)                                        \
      {                                                           \
        yychar = (Token);                                         \
        yylval = (Value);                                         \
        YYPOPSTACK (yylen);                                       \
        yystate = *yyssp;                                         \
        goto yybackup;                                            \
      }                                                           \
    else                                                          \
      {                                                           \
        yyerror (&yylloc, scanner, ps, YY_("syntax error: cannot back up")); \
        YYERROR;                                                  \
      }                                                           \
  while (0)

/* Backward compatibility with an undocumented macro.
   Use YYerror or YYUNDEF. */
#define YYERRCODE YYUNDEF

/* YYLLOC_DEFAULT -- Set CURRENT to span from RHS[1] to RHS[N].
   If N is 0, then set CURRENT to the empty location which ends
   the previous symbol: RHS[0] (always defined).  */

#ifndef YYLLOC_DEFAULT
# define YYLLOC_DEFAULT(Current, Rhs, N)                                \
    do                                                                  \
      if (N)                                                            \
        {                                                               \
          (Current).first_line   = YYRHSLOC (Rhs, 1).first_line;        \
          (Current).first_column = YYRHSLOC (Rhs, 1).first_column;      \
          (Current).last_line    = YYRHSLOC (Rhs, N).last_line;         \
          (Current).last_column  = YYRHSLOC (Rhs, N).last_column;       \
        }                                                               \
      else                                                              \
        {                                                               \
          (Current).first_line   = (Current).last_line   =              \
            YYRHSLOC (Rhs, 0).last_line;                                \
          (Current).first_column = (Current).last_column =              \
            YYRHSLOC (Rhs, 0).last_column;                              \
        }                                                               \
    while (0)
#endif

#define YYRHSLOC(Rhs, K) ((Rhs)[K])


/* Enable debugging if requested.  */
#if YYDEBUG

# ifndef YYFPRINTF
#  include <stdio.h> /* INFRINGES ON USER NAME SPACE */
#  define YYFPRINTF fprintf
# endif

# define YYDPRINTF(Args)                        \
do {                                            \
  if (yydebug)                                  \
    YYFPRINTF Args;                             \
} while (0)


/* YYLOCATION_PRINT -- Print the location on the stream.
   This macro was not mandated originally: define only if we know
   we won't break user code: when these are the locations we know.  */

# ifndef YYLOCATION_PRINT

#  if defined YY_LOCATION_PRINT

   /* Temporary convenience wrapper in case some people defined the
      undocumented and private YY_LOCATION_PRINT macros.  */
#   define YYLOCATION_PRINT(File, Loc)  YY_LOCATION_PRINT(File, *(Loc))

#  elif defined YYLTYPE_IS_TRIVIAL && YYLTYPE_IS_TRIVIAL

/* Print *YYLOCP on YYO.  Private, do not rely on its existence. */

YY_ATTRIBUTE_UNUSED
static int
yy_location_print_ (FILE *yyo, YYLTYPE const * const yylocp)
{
  int res = 0;
  int end_col = 0 != yylocp->last_column ? yylocp->last_column - 1 : 0;
  if (0 <= yylocp->first_line)
    {
      res += YYFPRINTF (yyo, "%d", yylocp->first_line);
      if (0 <= yylocp->first_column)
        res += YYFPRINTF (yyo, ".%d", yylocp->first_column);
    }
  if (0 <= yylocp->last_line)
    {
      if (yylocp->first_line < yylocp->last_line)
        {
          res += YYFPRINTF (yyo, "-%d", yylocp->last_line);
          if (0 <= end_col)
            res += YYFPRINTF (yyo, ".%d", end_col);
        }
      else if (0 <= end_col && yylocp->first_column < end_col)
        res += YYFPRINTF (yyo, "-%d", end_col);
    }
  return res;
}

#   define YYLOCATION_PRINT  yy_location_print_

    /* Temporary convenience wrapper in case some people defined the
       undocumented and private YY_LOCATION_PRINT macros.  */
#   define YY_LOCATION_PRINT(File, Loc)  YYLOCATION_PRINT(File, &(Loc))

#  else

#   define YYLOCATION_PRINT(File, Loc) ((void) 0)
    /* Temporary convenience wrapper in case some people defined the
       undocumented and private YY_LOCATION_PRINT macros.  */
#   define YY_LOCATION_PRINT  YYLOCATION_PRINT

#  endif
# endif /* !defined YYLOCATION_PRINT */


# define YY_SYMBOL_PRINT(Title, Kind, Value, Location)                    \
do {                                                                      \
  if (yydebug)                                                            \
    {                                                                     \
      YYFPRINTF (stderr, "%s ", Title);                                   \
      yy_symbol_print (stderr,                                            \
                  Kind, Value, Location, scanner, ps); \
      YYFPRINTF (stderr, "\n");                                           \
    }                                                                     \
} while (0)


/*-----------------------------------.
| Print this symbol's value on YYO.  |
`-----------------------------------*/

static void
yy_symbol_value_print (FILE *yyo,
                       yysymbol_kind_t yykind, YYSTYPE const * const yyvaluep, YYLTYPE const * const yylocationp, yyscan_t scanner, struct parse_state *ps)
{
  FILE *yyoutput = yyo;
  YY_USE (yyoutput);
  YY_USE (yylocationp);
  YY_USE (scanner);
  YY_USE (ps);
  if (!yyvaluep)
    return;
  YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
  YY_USE (yykind);
  YY_IGNORE_MAYBE_UNINITIALIZED_END
}


/*---------------------------.
| Print this symbol on YYO.  |
`---------------------------*/

static void
yy_symbol_print (FILE *yyo,
                 yysymbol_kind_t yykind, YYSTYPE const * const yyvaluep, YYLTYPE const * const yylocationp, yyscan_t scanner, struct parse_state *ps)
{
  YYFPRINTF (yyo, "%s %s (",
             yykind < YYNTOKENS ? "token" : "nterm", yysymbol_name (yykind));

  YYLOCATION_PRINT (yyo, yylocationp);
  YYFPRINTF (yyo, ": ");
  yy_symbol_value_print (yyo, yykind, yyvaluep, yylocationp, scanner, ps);
  YYFPRINTF (yyo, ")");
}

/*------------------------------------------------------------------.
| yy_stack_print -- Print the state stack from its BOTTOM up to its |
| TOP (included).                                                   |
`------------------------------------------------------------------*/

static void
yy_stack_print (yy_state_t *yybottom, yy_state_t *yytop)
{
  YYFPRINTF (stderr, "Stack now");
  for (; yybottom <= yytop; yybottom++)
    {
      int yybot = *yybottom;
      YYFPRINTF (stderr, " %d", yybot);
    }
  YYFPRINTF (stderr, "\n");
}

# define YY_STACK_PRINT(Bottom, Top)                            \
do {                                                            \
  if (yydebug)                                                  \
    yy_stack_print ((Bottom), (Top));                           \
} while (0)


/*------------------------------------------------.
| Report that the YYRULE is going to be reduced.  |
`------------------------------------------------*/

static void
yy_reduce_print (yy_state_t *yyssp, YYSTYPE *yyvsp, YYLTYPE *yylsp,
                 int yyrule, yyscan_t scanner, struct parse_state *ps)
{
  int yylno = yyrline[yyrule];
  int yynrhs = yyr2[yyrule];
  int yyi;
  YYFPRINTF (stderr, "Reducing stack by rule %d (line %d):\n",
             yyrule - 1, yylno);
  /* The symbols being reduced.  */
  for (yyi = 0; yyi < yynrhs; yyi++)
    {
      YYFPRINTF (stderr, "   $%d = ", yyi + 1);
      yy_symbol_print (stderr,
                       YY_ACCESSING_SYMBOL (+yyssp[yyi + 1 - yynrhs]),
                       &yyvsp[(yyi + 1) - (yynrhs)],
                       &(yylsp[(yyi + 1) - (yynrhs)]), scanner, ps);
      YYFPRINTF (stderr, "\n");
    }
}

# define YY_REDUCE_PRINT(Rule)          \
do {                                    \
  if (yydebug)                          \
    yy_reduce_print (yyssp, yyvsp, yylsp, Rule, scanner, ps); \
} while (0)

/* Nonzero means print parse trace.  It is left uninitialized so that
   multiple parsers can coexist.  */
int yydebug;
#else /* !YYDEBUG */
# define YYDPRINTF(Args) ((void) 0)
# define YY_SYMBOL_PRINT(Title, Kind, Value, Location)
# define YY_STACK_PRINT(Bottom, Top)
# define YY_REDUCE_PRINT(Rule)
#endif /* !YYDEBUG */


/* YYINITDEPTH -- initial size of the parser's stacks.  */
#ifndef YYINITDEPTH
# define YYINITDEPTH 200
#endif

/* YYMAXDEPTH -- maximum size the stacks can grow to (effective only
   if the built-in stack extension method is used).

   Do not make this value too large; the results are undefined if
   YYSTACK_ALLOC_MAXIMUM < YYSTACK_BYTES (YYMAXDEPTH)
   evaluated with infinite-precision integer arithmetic.  */

#ifndef YYMAXDEPTH
# define YYMAXDEPTH 10000
#endif


/* Context of a parse error.  */
typedef struct
{
  yy_state_t *yyssp;
  yysymbol_kind_t yytoken;
  YYLTYPE *yylloc;
} yypcontext_t;

/* Put in YYARG at most YYARGN of the expected tokens given the
   current YYCTX, and return the number of tokens stored in YYARG.  If
   YYARG is null, return the number of expected tokens (guaranteed to
   be less than YYNTOKENS).  Return YYENOMEM on memory exhaustion.
   Return 0 if there are more than YYARGN expected tokens, yet fill
   YYARG up to YYARGN. */
static int
yypcontext_expected_tokens (const yypcontext_t *yyctx,
                            yysymbol_kind_t yyarg[], int yyargn)
{
  /* Actual size of YYARG. */
  int yycount = 0;
  int yyn = yypact[+*yyctx->yyssp];
  if (!yypact_value_is_default (yyn))
    {
      /* Start YYX at -YYN if negative to avoid negative indexes in
         YYCHECK.  In other words, skip the first -YYN actions for
         this state because they are default actions.  */
      int yyxbegin = yyn < 0 ? -yyn : 0;
      /* Stay within bounds of both yycheck and yytname.  */
      int yychecklim = YYLAST - yyn + 1;
      int yyxend = yychecklim < YYNTOKENS ? yychecklim : YYNTOKENS;
      int yyx;
      for (yyx = yyxbegin; yyx < yyxend; ++yyx)
        if (yycheck[yyx + yyn] == yyx && yyx != YYSYMBOL_YYerror
            && !yytable_value_is_error (yytable[yyx + yyn]))
          {
            if (!yyarg)
              ++yycount;
            else if (yycount == yyargn)
              return 0;
            else
              yyarg[yycount++] = YY_CAST (yysymbol_kind_t, yyx);
          }
    }
  if (yyarg && yycount == 0 && 0 < yyargn)
    yyarg[0] = YYSYMBOL_YYEMPTY;
  return yycount;
}




#ifndef yystrlen
# if defined __GLIBC__ && defined _STRING_H
#  define yystrlen(S) (YY_CAST (YYPTRDIFF_T, strlen (S)))
# else
/* Return the length of YYSTR.  */
static YYPTRDIFF_T
yystrlen (const char *yystr)
{
  YYPTRDIFF_T yylen;
  for (yylen = 0; yystr[yylen]; yylen++)
    continue;
  return yylen;
}
# endif
#endif

#ifndef yystpcpy
# if defined __GLIBC__ && defined _STRING_H && defined _GNU_SOURCE
#  define yystpcpy stpcpy
# else
/* Copy YYSRC to YYDEST, returning the address of the terminating '\0' in
   YYDEST.  */
static char *
yystpcpy (char *yydest, const char *yysrc)
{
  char *yyd = yydest;
  const char *yys = yysrc;

  while ((*yyd++ = *yys++) != '\0')
    continue;

  return yyd - 1;
}
# endif
#endif



static int
yy_syntax_error_arguments (const yypcontext_t *yyctx,
                           yysymbol_kind_t yyarg[], int yyargn)
{
  /* Actual size of YYARG. */
  int yycount = 0;
  /* There are many possibilities here to consider:
     - If this state is a consistent state with a default action, then
       the only way this function was invoked is if the default action
       is an error action.  In that case, don't check for expected
       tokens because there are none.
     - The only way there can be no lookahead present (in yychar) is if
       this state is a consistent state with a default action.  Thus,
       detecting the absence of a lookahead is sufficient to determine
       that there is no unexpected or expected token to report.  In that
       case, just report a simple "syntax error".
     - Don't assume there isn't a lookahead just because this state is a
       consistent state with a default action.  There might have been a
       previous inconsistent state, consistent state with a non-default
       action, or user semantic action that manipulated yychar.
     - Of course, the expected token list depends on states to have
       correct lookahead information, and it depends on the parser not
       to perform extra reductions after fetching a lookahead from the
       scanner and before detecting a syntax error.  Thus, state merging
       (from LALR or IELR) and default reductions corrupt the expected
       token list.  However, the list is correct for canonical LR with
       one exception: it will still contain any token that will not be
       accepted due to an error action in a later state.
  */
  if (yyctx->yytoken != YYSYMBOL_YYEMPTY)
    {
      int yyn;
      if (yyarg)
        yyarg[yycount] = yyctx->yytoken;
      ++yycount;
      yyn = yypcontext_expected_tokens (yyctx,
                                        yyarg ? yyarg + 1 : yyarg, yyargn - 1);
      if (yyn == YYENOMEM)
        return YYENOMEM;
      else
        yycount += yyn;
    }
  return yycount;
}

/* Copy into *YYMSG, which is of size *YYMSG_ALLOC, an error message
   about the unexpected token YYTOKEN for the state stack whose top is
   YYSSP.

   Return 0 if *YYMSG was successfully written.  Return -1 if *YYMSG is
   not large enough to hold the message.  In that case, also set
   *YYMSG_ALLOC to the required number of bytes.  Return YYENOMEM if the
   required number of bytes is too large to store.  */
static int
yysyntax_error (YYPTRDIFF_T *yymsg_alloc, char **yymsg,
                const yypcontext_t *yyctx)
{
  enum { YYARGS_MAX = 5 };
  /* Internationalized format string. */
  const char *yyformat = YY_NULLPTR;
  /* Arguments of yyformat: reported tokens (one for the "unexpected",
     one per "expected"). */
  yysymbol_kind_t yyarg[YYARGS_MAX];
  /* Cumulated lengths of YYARG.  */
  YYPTRDIFF_T yysize = 0;

  /* Actual size of YYARG. */
  int yycount = yy_syntax_error_arguments (yyctx, yyarg, YYARGS_MAX);
  if (yycount == YYENOMEM)
    return YYENOMEM;

  switch (yycount)
    {
#define YYCASE_(N, S)                       \
      case N:                               \
        yyformat = S;                       \
        break
    default: /* Avoid compiler warnings. */
      YYCASE_(0, YY_("syntax error"));
      YYCASE_(1, YY_("syntax error, unexpected %s"));
      YYCASE_(2, YY_("syntax error, unexpected %s, expecting %s"));
      YYCASE_(3, YY_("syntax error, unexpected %s, expecting %s or %s"));
      YYCASE_(4, YY_("syntax error, unexpected %s, expecting %s or %s or %s"));
      YYCASE_(5, YY_("syntax error, unexpected %s, expecting %s or %s or %s or %s"));
#undef YYCASE_
    }

  /* Compute error message size.  Don't count the "%s"s, but reserve
     room for the terminator.  */
  yysize = yystrlen (yyformat) - 2 * yycount + 1;
  {
    int yyi;
    for (yyi = 0; yyi < yycount; ++yyi)
      {
        YYPTRDIFF_T yysize1
          = yysize + yystrlen (yysymbol_name (yyarg[yyi]));
        if (yysize <= yysize1 && yysize1 <= YYSTACK_ALLOC_MAXIMUM)
          yysize = yysize1;
        else
          return YYENOMEM;
      }
  }

  if (*yymsg_alloc < yysize)
    {
      *yymsg_alloc = 2 * yysize;
      if (! (yysize <= *yymsg_alloc
             && *yymsg_alloc <= YYSTACK_ALLOC_MAXIMUM))
        *yymsg_alloc = YYSTACK_ALLOC_MAXIMUM;
      return -1;
    }

  /* Avoid sprintf, as that infringes on the user's name space.
     Don't have undefined behavior even if the translation
     produced a string with the wrong number of "%s"s.  */
  {
    char *yyp = *yymsg;
    int yyi = 0;
    while ((*yyp = *yyformat) != '\0')
      if (*yyp == '%' && yyformat[1] == 's' && yyi < yycount)
        {
          yyp = yystpcpy (yyp, yysymbol_name (yyarg[yyi++]));
          yyformat += 2;
        }
      else
        {
          ++yyp;
          ++yyformat;
        }
  }
  return 0;
}


/*-----------------------------------------------.
| Release the memory associated to this symbol.  |
`-----------------------------------------------*/

static void
yydestruct (const char *yymsg,
            yysymbol_kind_t yykind, YYSTYPE *yyvaluep, YYLTYPE *yylocationp, yyscan_t scanner, struct parse_state *ps)
{
  YY_USE (yyvaluep);
  YY_USE (yylocationp);
  YY_USE (scanner);
  YY_USE (ps);
  if (!yymsg)
    yymsg = "Deleting";
  YY_SYMBOL_PRINT (yymsg, yykind, yyvaluep, yylocationp);

  YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
  switch (yykind)
    {
    case YYSYMBOL_STRING: /* "string"  */
#line 149 "lang/parser.y"
            { free(((*yyvaluep).str)); }
#line 1409 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_IDENT: /* "identifier"  */
#line 149 "lang/parser.y"
            { free(((*yyvaluep).str)); }
#line 1415 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_MAP: /* "map"  */
#line 149 "lang/parser.y"
            { free(((*yyvaluep).str)); }
#line 1421 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_ATTACH: /* "attach point"  */
#line 149 "lang/parser.y"
            { free(((*yyvaluep).str)); }
#line 1427 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_VAR: /* "variable"  */
#line 149 "lang/parser.y"
            { free(((*yyvaluep).str)); }
#line 1433 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_probes: /* probes  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1439 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_hotspot: /* hotspot  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1445 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_settings: /* settings  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1451 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_opt_setting: /* opt_setting  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1457 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_setting: /* setting  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1463 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_value: /* value  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1469 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_band: /* band  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1475 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_hs_args: /* hs_args  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1481 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_hs_arg: /* hs_arg  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1487 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_probe: /* probe  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1493 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_attach_list: /* attach_list  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1499 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_attach: /* attach  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1505 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_pred: /* pred  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1511 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_block: /* block  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1517 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_stmts: /* stmts  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1523 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_if_stmt: /* if_stmt  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1529 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_target: /* target  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1535 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_stmt: /* stmt  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1541 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_map: /* map  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1547 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_args: /* args  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1553 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_opt_args: /* opt_args  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1559 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_expr: /* expr  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1565 "build-san/lang/parser.c"
        break;

    case YYSYMBOL_primary: /* primary  */
#line 150 "lang/parser.y"
            { ast__free(((*yyvaluep).node)); }
#line 1571 "build-san/lang/parser.c"
        break;

      default:
        break;
    }
  YY_IGNORE_MAYBE_UNINITIALIZED_END
}






/*----------.
| yyparse.  |
`----------*/

int
yyparse (yyscan_t scanner, struct parse_state *ps)
{
/* Lookahead token kind.  */
int yychar;


/* The semantic value of the lookahead symbol.  */
/* Default value used for initialization, for pacifying older GCCs
   or non-GCC compilers.  */
YY_INITIAL_VALUE (static YYSTYPE yyval_default;)
YYSTYPE yylval YY_INITIAL_VALUE (= yyval_default);

/* Location data for the lookahead symbol.  */
static YYLTYPE yyloc_default
# if defined YYLTYPE_IS_TRIVIAL && YYLTYPE_IS_TRIVIAL
  = { 1, 1, 1, 1 }
# endif
;
YYLTYPE yylloc = yyloc_default;

    /* Number of syntax errors so far.  */
    int yynerrs = 0;

    yy_state_fast_t yystate = 0;
    /* Number of tokens to shift before error messages enabled.  */
    int yyerrstatus = 0;

    /* Refer to the stacks through separate pointers, to allow yyoverflow
       to reallocate them elsewhere.  */

    /* Their size.  */
    YYPTRDIFF_T yystacksize = YYINITDEPTH;

    /* The state stack: array, bottom, top.  */
    yy_state_t yyssa[YYINITDEPTH];
    yy_state_t *yyss = yyssa;
    yy_state_t *yyssp = yyss;

    /* The semantic value stack: array, bottom, top.  */
    YYSTYPE yyvsa[YYINITDEPTH];
    YYSTYPE *yyvs = yyvsa;
    YYSTYPE *yyvsp = yyvs;

    /* The location stack: array, bottom, top.  */
    YYLTYPE yylsa[YYINITDEPTH];
    YYLTYPE *yyls = yylsa;
    YYLTYPE *yylsp = yyls;

  int yyn;
  /* The return value of yyparse.  */
  int yyresult;
  /* Lookahead symbol kind.  */
  yysymbol_kind_t yytoken = YYSYMBOL_YYEMPTY;
  /* The variables used to return semantic value and location from the
     action routines.  */
  YYSTYPE yyval;
  YYLTYPE yyloc;

  /* The locations where the error started and ended.  */
  YYLTYPE yyerror_range[3];

  /* Buffer for error messages, and its allocated size.  */
  char yymsgbuf[128];
  char *yymsg = yymsgbuf;
  YYPTRDIFF_T yymsg_alloc = sizeof yymsgbuf;

#define YYPOPSTACK(N)   (yyvsp -= (N), yyssp -= (N), yylsp -= (N))

  /* The number of symbols on the RHS of the reduced rule.
     Keep to zero when no symbol should be popped.  */
  int yylen = 0;

  YYDPRINTF ((stderr, "Starting parse\n"));

  yychar = YYEMPTY; /* Cause a token to be read.  */


/* User initialization code.  */
#line 113 "lang/parser.y"
{
	yylloc.first_line = yylloc.last_line = 1;
	yylloc.first_column = 1;
	yylloc.last_column = 0;
}

#line 1675 "build-san/lang/parser.c"

  yylsp[0] = yylloc;
  goto yysetstate;


/*------------------------------------------------------------.
| yynewstate -- push a new state, which is found in yystate.  |
`------------------------------------------------------------*/
yynewstate:
  /* In all cases, when you get here, the value and location stacks
     have just been pushed.  So pushing a state here evens the stacks.  */
  yyssp++;


/*--------------------------------------------------------------------.
| yysetstate -- set current state (the top of the stack) to yystate.  |
`--------------------------------------------------------------------*/
yysetstate:
  YYDPRINTF ((stderr, "Entering state %d\n", yystate));
  YY_ASSERT (0 <= yystate && yystate < YYNSTATES);
  YY_IGNORE_USELESS_CAST_BEGIN
  *yyssp = YY_CAST (yy_state_t, yystate);
  YY_IGNORE_USELESS_CAST_END
  YY_STACK_PRINT (yyss, yyssp);

  if (yyss + yystacksize - 1 <= yyssp)
#if !defined yyoverflow && !defined YYSTACK_RELOCATE
    YYNOMEM;
#else
    {
      /* Get the current used size of the three stacks, in elements.  */
      YYPTRDIFF_T yysize = yyssp - yyss + 1;

# if defined yyoverflow
      {
        /* Give user a chance to reallocate the stack.  Use copies of
           these so that the &'s don't force the real ones into
           memory.  */
        yy_state_t *yyss1 = yyss;
        YYSTYPE *yyvs1 = yyvs;
        YYLTYPE *yyls1 = yyls;

        /* Each stack pointer address is followed by the size of the
           data in use in that stack, in bytes.  This used to be a
           conditional around just the two extra args, but that might
           be undefined if yyoverflow is a macro.  */
        yyoverflow (YY_("memory exhausted"),
                    &yyss1, yysize * YYSIZEOF (*yyssp),
                    &yyvs1, yysize * YYSIZEOF (*yyvsp),
                    &yyls1, yysize * YYSIZEOF (*yylsp),
                    &yystacksize);
        yyss = yyss1;
        yyvs = yyvs1;
        yyls = yyls1;
      }
# else /* defined YYSTACK_RELOCATE */
      /* Extend the stack our own way.  */
      if (YYMAXDEPTH <= yystacksize)
        YYNOMEM;
      yystacksize *= 2;
      if (YYMAXDEPTH < yystacksize)
        yystacksize = YYMAXDEPTH;

      {
        yy_state_t *yyss1 = yyss;
        union yyalloc *yyptr =
          YY_CAST (union yyalloc *,
                   YYSTACK_ALLOC (YY_CAST (YYSIZE_T, YYSTACK_BYTES (yystacksize))));
        if (! yyptr)
          YYNOMEM;
        YYSTACK_RELOCATE (yyss_alloc, yyss);
        YYSTACK_RELOCATE (yyvs_alloc, yyvs);
        YYSTACK_RELOCATE (yyls_alloc, yyls);
#  undef YYSTACK_RELOCATE
        if (yyss1 != yyssa)
          YYSTACK_FREE (yyss1);
      }
# endif

      yyssp = yyss + yysize - 1;
      yyvsp = yyvs + yysize - 1;
      yylsp = yyls + yysize - 1;

      YY_IGNORE_USELESS_CAST_BEGIN
      YYDPRINTF ((stderr, "Stack size increased to %ld\n",
                  YY_CAST (long, yystacksize)));
      YY_IGNORE_USELESS_CAST_END

      if (yyss + yystacksize - 1 <= yyssp)
        YYABORT;
    }
#endif /* !defined yyoverflow && !defined YYSTACK_RELOCATE */


  if (yystate == YYFINAL)
    YYACCEPT;

  goto yybackup;


/*-----------.
| yybackup.  |
`-----------*/
yybackup:
  /* Do appropriate processing given the current state.  Read a
     lookahead token if we need one and don't already have one.  */

  /* First try to decide what to do without reference to lookahead token.  */
  yyn = yypact[yystate];
  if (yypact_value_is_default (yyn))
    goto yydefault;

  /* Not known => get a lookahead token if don't already have one.  */

  /* YYCHAR is either empty, or end-of-input, or a valid lookahead.  */
  if (yychar == YYEMPTY)
    {
      YYDPRINTF ((stderr, "Reading a token\n"));
      yychar = yylex (&yylval, &yylloc, scanner);
    }

  if (yychar <= YYEOF)
    {
      yychar = YYEOF;
      yytoken = YYSYMBOL_YYEOF;
      YYDPRINTF ((stderr, "Now at end of input.\n"));
    }
  else if (yychar == YYerror)
    {
      /* The scanner already issued an error message, process directly
         to error recovery.  But do not keep the error token as
         lookahead, it is too special and may lead us to an endless
         loop in error recovery. */
      yychar = YYUNDEF;
      yytoken = YYSYMBOL_YYerror;
      yyerror_range[1] = yylloc;
      goto yyerrlab1;
    }
  else
    {
      yytoken = YYTRANSLATE (yychar);
      YY_SYMBOL_PRINT ("Next token is", yytoken, &yylval, &yylloc);
    }

  /* If the proper action on seeing token YYTOKEN is to reduce or to
     detect an error, take that action.  */
  yyn += yytoken;
  if (yyn < 0 || YYLAST < yyn || yycheck[yyn] != yytoken)
    goto yydefault;
  yyn = yytable[yyn];
  if (yyn <= 0)
    {
      if (yytable_value_is_error (yyn))
        goto yyerrlab;
      yyn = -yyn;
      goto yyreduce;
    }

  /* Count tokens shifted since error; after three, turn off error
     status.  */
  if (yyerrstatus)
    yyerrstatus--;

  /* Shift the lookahead token.  */
  YY_SYMBOL_PRINT ("Shifting", yytoken, &yylval, &yylloc);
  yystate = yyn;
  YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
  *++yyvsp = yylval;
  YY_IGNORE_MAYBE_UNINITIALIZED_END
  *++yylsp = yylloc;

  /* Discard the shifted token.  */
  yychar = YYEMPTY;
  goto yynewstate;


/*-----------------------------------------------------------.
| yydefault -- do the default action for the current state.  |
`-----------------------------------------------------------*/
yydefault:
  yyn = yydefact[yystate];
  if (yyn == 0)
    goto yyerrlab;
  goto yyreduce;


/*-----------------------------.
| yyreduce -- do a reduction.  |
`-----------------------------*/
yyreduce:
  /* yyn is the number of a rule to reduce with.  */
  yylen = yyr2[yyn];

  /* If YYLEN is nonzero, implement the default value of the action:
     '$$ = $1'.

     Otherwise, the following line sets YYVAL to garbage.
     This behavior is undocumented and Bison
     users should not rely upon it.  Assigning to YYVAL
     unconditionally makes the parser a bit smaller, and it avoids a
     GCC warning that YYVAL may be used uninitialized.  */
  yyval = yyvsp[1-yylen];

  /* Default location. */
  YYLLOC_DEFAULT (yyloc, (yylsp - yylen), yylen);
  yyerror_range[1] = yyloc;
  YY_REDUCE_PRINT (yyn);
  switch (yyn)
    {
  case 2: /* program: probes  */
#line 169 "lang/parser.y"
                { ps->program = node(AST_PROGRAM, &(yyloc)); ps->program->body = (yyvsp[0].node); }
#line 1888 "build-san/lang/parser.c"
    break;

  case 3: /* probes: %empty  */
#line 173 "lang/parser.y"
                                { (yyval.node) = NULL; }
#line 1894 "build-san/lang/parser.c"
    break;

  case 4: /* probes: probes probe  */
#line 174 "lang/parser.y"
                                { (yyval.node) = ast_append((yyvsp[-1].node), (yyvsp[0].node)); }
#line 1900 "build-san/lang/parser.c"
    break;

  case 5: /* probes: probes hotspot  */
#line 175 "lang/parser.y"
                                { (yyval.node) = ast_append((yyvsp[-1].node), (yyvsp[0].node)); }
#line 1906 "build-san/lang/parser.c"
    break;

  case 6: /* hotspot: "hotspot" "map" '{' settings '}'  */
#line 180 "lang/parser.y"
                { (yyval.node) = node(AST_HOTSPOT, &(yylsp[-3])); (yyval.node)->name = (yyvsp[-3].str); (yyval.node)->body = (yyvsp[-1].node); }
#line 1912 "build-san/lang/parser.c"
    break;

  case 7: /* settings: opt_setting  */
#line 184 "lang/parser.y"
                                        { (yyval.node) = (yyvsp[0].node); }
#line 1918 "build-san/lang/parser.c"
    break;

  case 8: /* settings: settings ';' opt_setting  */
#line 185 "lang/parser.y"
                                        { (yyval.node) = ast_append((yyvsp[-2].node), (yyvsp[0].node)); }
#line 1924 "build-san/lang/parser.c"
    break;

  case 9: /* opt_setting: %empty  */
#line 189 "lang/parser.y"
                                { (yyval.node) = NULL; }
#line 1930 "build-san/lang/parser.c"
    break;

  case 10: /* opt_setting: setting  */
#line 190 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 1936 "build-san/lang/parser.c"
    break;

  case 11: /* setting: "identifier" '=' value  */
#line 195 "lang/parser.y"
                { (yyval.node) = node(AST_SETTING, &(yylsp[-2])); (yyval.node)->name = (yyvsp[-2].str); (yyval.node)->rhs = (yyvsp[0].node); }
#line 1942 "build-san/lang/parser.c"
    break;

  case 12: /* value: "number"  */
#line 199 "lang/parser.y"
                                { (yyval.node) = node(AST_NUMBER, &(yyloc)); (yyval.node)->dval = (yyvsp[0].dval); }
#line 1948 "build-san/lang/parser.c"
    break;

  case 13: /* value: "duration"  */
#line 200 "lang/parser.y"
                                { (yyval.node) = node(AST_NUMBER, &(yyloc)); (yyval.node)->dval = (yyvsp[0].dval); (yyval.node)->ival = 1; }
#line 1954 "build-san/lang/parser.c"
    break;

  case 14: /* value: "identifier"  */
#line 201 "lang/parser.y"
                                { (yyval.node) = node(AST_WORD, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 1960 "build-san/lang/parser.c"
    break;

  case 15: /* value: "identifier" '(' hs_args ')'  */
#line 203 "lang/parser.y"
                { (yyval.node) = node(AST_CALL, &(yylsp[-3])); (yyval.node)->name = (yyvsp[-3].str); (yyval.node)->args = (yyvsp[-1].node); }
#line 1966 "build-san/lang/parser.c"
    break;

  case 16: /* value: "quantile" band  */
#line 205 "lang/parser.y"
                { (yyval.node) = node(AST_QUANTILE, &(yylsp[-1])); (yyval.node)->dval = (yyvsp[-1].dval); (yyval.node)->rhs = (yyvsp[0].node); }
#line 1972 "build-san/lang/parser.c"
    break;

  case 17: /* value: '>' "number" band  */
#line 207 "lang/parser.y"
                { (yyval.node) = node(AST_ABOVE, &(yylsp[-1])); (yyval.node)->dval = (yyvsp[-1].dval); (yyval.node)->rhs = (yyvsp[0].node); }
#line 1978 "build-san/lang/parser.c"
    break;

  case 18: /* value: "number" "identifier" "number" "identifier"  */
#line 209 "lang/parser.y"
                { struct src_loc loc = L(&(yylsp[-2]));
		  if (strcmp((yyvsp[-2].str), "for") || (strcmp((yyvsp[0].str), "windows") && strcmp((yyvsp[0].str), "window"))) {
			diag_add(ps->dl, DIAG_ERROR, &loc, "expected 'for N windows'");
			free((yyvsp[-2].str)); free((yyvsp[0].str)); YYERROR;
		  }
		  (yyval.node) = node(AST_REPEAT, &(yyloc)); (yyval.node)->dval = (yyvsp[-3].dval); (yyval.node)->ival = (int64_t)(yyvsp[-1].dval);
		  free((yyvsp[-2].str)); free((yyvsp[0].str)); }
#line 1990 "build-san/lang/parser.c"
    break;

  case 19: /* band: %empty  */
#line 219 "lang/parser.y"
                                { (yyval.node) = NULL; }
#line 1996 "build-san/lang/parser.c"
    break;

  case 20: /* band: "+-" "number" '%'  */
#line 220 "lang/parser.y"
                                { (yyval.node) = node(AST_NUMBER, &(yylsp[-1])); (yyval.node)->dval = (yyvsp[-1].dval); }
#line 2002 "build-san/lang/parser.c"
    break;

  case 21: /* hs_args: hs_arg  */
#line 224 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2008 "build-san/lang/parser.c"
    break;

  case 22: /* hs_args: hs_args ',' hs_arg  */
#line 225 "lang/parser.y"
                                { (yyval.node) = ast_append((yyvsp[-2].node), (yyvsp[0].node)); }
#line 2014 "build-san/lang/parser.c"
    break;

  case 23: /* hs_arg: "number"  */
#line 229 "lang/parser.y"
                                { (yyval.node) = node(AST_NUMBER, &(yyloc)); (yyval.node)->dval = (yyvsp[0].dval); }
#line 2020 "build-san/lang/parser.c"
    break;

  case 24: /* hs_arg: "identifier" '=' "number"  */
#line 231 "lang/parser.y"
                { (yyval.node) = node(AST_SETTING, &(yylsp[-2])); (yyval.node)->name = (yyvsp[-2].str);
		  (yyval.node)->rhs = node(AST_NUMBER, &(yylsp[0])); (yyval.node)->rhs->dval = (yyvsp[0].dval); }
#line 2027 "build-san/lang/parser.c"
    break;

  case 25: /* probe: attach_list pred block  */
#line 237 "lang/parser.y"
                { (yyval.node) = node(AST_PROBE, &(yylsp[-2])); (yyval.node)->args = (yyvsp[-2].node); (yyval.node)->cond = (yyvsp[-1].node); (yyval.node)->body = (yyvsp[0].node); }
#line 2033 "build-san/lang/parser.c"
    break;

  case 26: /* probe: block  */
#line 239 "lang/parser.y"
                { struct src_loc loc = L(&(yylsp[0]));
		  diag_add(ps->dl, DIAG_ERROR, &loc, "an action block needs a probe before it");
		  diag_hint(ps->dl, "for example BEGIN { ... } or uprobe:./server:main.handle { ... }");
		  ast__free((yyvsp[0].node)); (yyval.node) = NULL; YYERROR; }
#line 2042 "build-san/lang/parser.c"
    break;

  case 27: /* attach_list: attach  */
#line 246 "lang/parser.y"
                                        { (yyval.node) = (yyvsp[0].node); }
#line 2048 "build-san/lang/parser.c"
    break;

  case 28: /* attach_list: attach_list ',' attach  */
#line 247 "lang/parser.y"
                                        { (yyval.node) = ast_append((yyvsp[-2].node), (yyvsp[0].node)); }
#line 2054 "build-san/lang/parser.c"
    break;

  case 29: /* attach: "attach point"  */
#line 252 "lang/parser.y"
                { struct src_loc loc = L(&(yylsp[0])); (yyval.node) = lang_attach_new(ps, (yyvsp[0].str), &loc); free((yyvsp[0].str));
		  if (!(yyval.node)) YYERROR; }
#line 2061 "build-san/lang/parser.c"
    break;

  case 30: /* attach: "BEGIN"  */
#line 254 "lang/parser.y"
                        { (yyval.node) = node(AST_ATTACH, &(yylsp[0])); (yyval.node)->name = strdup("BEGIN"); }
#line 2067 "build-san/lang/parser.c"
    break;

  case 31: /* attach: "END"  */
#line 255 "lang/parser.y"
                        { (yyval.node) = node(AST_ATTACH, &(yylsp[0])); (yyval.node)->name = strdup("END"); }
#line 2073 "build-san/lang/parser.c"
    break;

  case 32: /* pred: %empty  */
#line 259 "lang/parser.y"
                                        { (yyval.node) = NULL; }
#line 2079 "build-san/lang/parser.c"
    break;

  case 33: /* pred: "predicate" expr "end of predicate"  */
#line 260 "lang/parser.y"
                                        { (yyval.node) = (yyvsp[-1].node); }
#line 2085 "build-san/lang/parser.c"
    break;

  case 34: /* block: '{' stmts '}'  */
#line 264 "lang/parser.y"
                                { (yyval.node) = (yyvsp[-1].node); }
#line 2091 "build-san/lang/parser.c"
    break;

  case 35: /* stmts: %empty  */
#line 268 "lang/parser.y"
                                { (yyval.node) = NULL; }
#line 2097 "build-san/lang/parser.c"
    break;

  case 36: /* stmts: stmt  */
#line 269 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2103 "build-san/lang/parser.c"
    break;

  case 37: /* stmts: stmt ';' stmts  */
#line 270 "lang/parser.y"
                                { (yyval.node) = (yyvsp[-2].node); (yyvsp[-2].node)->next = (yyvsp[0].node); }
#line 2109 "build-san/lang/parser.c"
    break;

  case 38: /* stmts: ';' stmts  */
#line 271 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2115 "build-san/lang/parser.c"
    break;

  case 39: /* stmts: if_stmt stmts  */
#line 272 "lang/parser.y"
                                { (yyval.node) = (yyvsp[-1].node); (yyvsp[-1].node)->next = (yyvsp[0].node); }
#line 2121 "build-san/lang/parser.c"
    break;

  case 40: /* if_stmt: "if" '(' expr ')' block  */
#line 277 "lang/parser.y"
                { (yyval.node) = node(AST_IF, &(yylsp[-4])); (yyval.node)->cond = (yyvsp[-2].node); (yyval.node)->body = (yyvsp[0].node); }
#line 2127 "build-san/lang/parser.c"
    break;

  case 41: /* if_stmt: "if" '(' expr ')' block "else" block  */
#line 279 "lang/parser.y"
                { (yyval.node) = node(AST_IF, &(yylsp[-6])); (yyval.node)->cond = (yyvsp[-4].node); (yyval.node)->body = (yyvsp[-2].node); (yyval.node)->rhs = (yyvsp[0].node); }
#line 2133 "build-san/lang/parser.c"
    break;

  case 42: /* if_stmt: "if" '(' expr ')' block "else" if_stmt  */
#line 281 "lang/parser.y"
                { (yyval.node) = node(AST_IF, &(yylsp[-6])); (yyval.node)->cond = (yyvsp[-4].node); (yyval.node)->body = (yyvsp[-2].node); (yyval.node)->rhs = (yyvsp[0].node); }
#line 2139 "build-san/lang/parser.c"
    break;

  case 43: /* target: map  */
#line 285 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2145 "build-san/lang/parser.c"
    break;

  case 44: /* target: "variable"  */
#line 286 "lang/parser.y"
                                { (yyval.node) = node(AST_VAR, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 2151 "build-san/lang/parser.c"
    break;

  case 45: /* stmt: target '=' expr  */
#line 291 "lang/parser.y"
                { (yyval.node) = node((yyvsp[-2].node)->kind == AST_VAR ? AST_VAR_ASSIGN : AST_MAP_ASSIGN, &(yyloc));
		  (yyval.node)->lhs = (yyvsp[-2].node); (yyval.node)->rhs = (yyvsp[0].node); }
#line 2158 "build-san/lang/parser.c"
    break;

  case 46: /* stmt: target "+=" expr  */
#line 293 "lang/parser.y"
                                        { (yyval.node) = update((yyvsp[-2].node), OP_ADD, (yyvsp[0].node), &(yyloc)); }
#line 2164 "build-san/lang/parser.c"
    break;

  case 47: /* stmt: target "-=" expr  */
#line 294 "lang/parser.y"
                                        { (yyval.node) = update((yyvsp[-2].node), OP_SUB, (yyvsp[0].node), &(yyloc)); }
#line 2170 "build-san/lang/parser.c"
    break;

  case 48: /* stmt: target "++"  */
#line 295 "lang/parser.y"
                                        { (yyval.node) = update((yyvsp[-1].node), OP_ADD, one(&(yylsp[0])), &(yyloc)); }
#line 2176 "build-san/lang/parser.c"
    break;

  case 49: /* stmt: target "--"  */
#line 296 "lang/parser.y"
                                        { (yyval.node) = update((yyvsp[-1].node), OP_SUB, one(&(yylsp[0])), &(yyloc)); }
#line 2182 "build-san/lang/parser.c"
    break;

  case 50: /* stmt: expr  */
#line 298 "lang/parser.y"
                { (yyval.node) = node(AST_EXPR_STMT, &(yyloc)); (yyval.node)->lhs = (yyvsp[0].node); }
#line 2188 "build-san/lang/parser.c"
    break;

  case 51: /* map: "map"  */
#line 302 "lang/parser.y"
                                { (yyval.node) = node(AST_MAP, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 2194 "build-san/lang/parser.c"
    break;

  case 52: /* map: "map" '[' args ']'  */
#line 303 "lang/parser.y"
                                { (yyval.node) = node(AST_MAP, &(yyloc)); (yyval.node)->name = (yyvsp[-3].str); (yyval.node)->args = (yyvsp[-1].node); }
#line 2200 "build-san/lang/parser.c"
    break;

  case 53: /* args: expr  */
#line 307 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2206 "build-san/lang/parser.c"
    break;

  case 54: /* args: args ',' expr  */
#line 308 "lang/parser.y"
                                { (yyval.node) = ast_append((yyvsp[-2].node), (yyvsp[0].node)); }
#line 2212 "build-san/lang/parser.c"
    break;

  case 55: /* opt_args: %empty  */
#line 312 "lang/parser.y"
                                { (yyval.node) = NULL; }
#line 2218 "build-san/lang/parser.c"
    break;

  case 56: /* opt_args: args  */
#line 313 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2224 "build-san/lang/parser.c"
    break;

  case 57: /* expr: primary  */
#line 317 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2230 "build-san/lang/parser.c"
    break;

  case 58: /* expr: expr '?' expr ':' expr  */
#line 319 "lang/parser.y"
                { (yyval.node) = node(AST_TERNARY, &(yylsp[-3])); (yyval.node)->cond = (yyvsp[-4].node); (yyval.node)->lhs = (yyvsp[-2].node); (yyval.node)->rhs = (yyvsp[0].node); }
#line 2236 "build-san/lang/parser.c"
    break;

  case 59: /* expr: expr "||" expr  */
#line 320 "lang/parser.y"
                                { (yyval.node) = binop(OP_LOR, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2242 "build-san/lang/parser.c"
    break;

  case 60: /* expr: expr "&&" expr  */
#line 321 "lang/parser.y"
                                { (yyval.node) = binop(OP_LAND, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2248 "build-san/lang/parser.c"
    break;

  case 61: /* expr: expr '|' expr  */
#line 322 "lang/parser.y"
                                { (yyval.node) = binop(OP_BOR, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2254 "build-san/lang/parser.c"
    break;

  case 62: /* expr: expr '^' expr  */
#line 323 "lang/parser.y"
                                { (yyval.node) = binop(OP_BXOR, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2260 "build-san/lang/parser.c"
    break;

  case 63: /* expr: expr '&' expr  */
#line 324 "lang/parser.y"
                                { (yyval.node) = binop(OP_BAND, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2266 "build-san/lang/parser.c"
    break;

  case 64: /* expr: expr "==" expr  */
#line 325 "lang/parser.y"
                                { (yyval.node) = binop(OP_EQ, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2272 "build-san/lang/parser.c"
    break;

  case 65: /* expr: expr "!=" expr  */
#line 326 "lang/parser.y"
                                { (yyval.node) = binop(OP_NE, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2278 "build-san/lang/parser.c"
    break;

  case 66: /* expr: expr '<' expr  */
#line 327 "lang/parser.y"
                                { (yyval.node) = binop(OP_LT, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2284 "build-san/lang/parser.c"
    break;

  case 67: /* expr: expr "<=" expr  */
#line 328 "lang/parser.y"
                                { (yyval.node) = binop(OP_LE, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2290 "build-san/lang/parser.c"
    break;

  case 68: /* expr: expr '>' expr  */
#line 329 "lang/parser.y"
                                { (yyval.node) = binop(OP_GT, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2296 "build-san/lang/parser.c"
    break;

  case 69: /* expr: expr ">=" expr  */
#line 330 "lang/parser.y"
                                { (yyval.node) = binop(OP_GE, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2302 "build-san/lang/parser.c"
    break;

  case 70: /* expr: expr "<<" expr  */
#line 331 "lang/parser.y"
                                { (yyval.node) = binop(OP_SHL, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2308 "build-san/lang/parser.c"
    break;

  case 71: /* expr: expr ">>" expr  */
#line 332 "lang/parser.y"
                                { (yyval.node) = binop(OP_SHR, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2314 "build-san/lang/parser.c"
    break;

  case 72: /* expr: expr '+' expr  */
#line 333 "lang/parser.y"
                                { (yyval.node) = binop(OP_ADD, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2320 "build-san/lang/parser.c"
    break;

  case 73: /* expr: expr '-' expr  */
#line 334 "lang/parser.y"
                                { (yyval.node) = binop(OP_SUB, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2326 "build-san/lang/parser.c"
    break;

  case 74: /* expr: expr '*' expr  */
#line 335 "lang/parser.y"
                                { (yyval.node) = binop(OP_MUL, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2332 "build-san/lang/parser.c"
    break;

  case 75: /* expr: expr '/' expr  */
#line 336 "lang/parser.y"
                                { (yyval.node) = binop(OP_DIV, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2338 "build-san/lang/parser.c"
    break;

  case 76: /* expr: expr '%' expr  */
#line 337 "lang/parser.y"
                                { (yyval.node) = binop(OP_MOD, (yyvsp[-2].node), (yyvsp[0].node), &(yylsp[-1])); }
#line 2344 "build-san/lang/parser.c"
    break;

  case 77: /* expr: '-' expr  */
#line 338 "lang/parser.y"
                                { (yyval.node) = unop(OP_NEG, (yyvsp[0].node), &(yylsp[-1])); }
#line 2350 "build-san/lang/parser.c"
    break;

  case 78: /* expr: '!' expr  */
#line 339 "lang/parser.y"
                                { (yyval.node) = unop(OP_NOT, (yyvsp[0].node), &(yylsp[-1])); }
#line 2356 "build-san/lang/parser.c"
    break;

  case 79: /* expr: '~' expr  */
#line 340 "lang/parser.y"
                                { (yyval.node) = unop(OP_BNOT, (yyvsp[0].node), &(yylsp[-1])); }
#line 2362 "build-san/lang/parser.c"
    break;

  case 80: /* primary: "integer"  */
#line 344 "lang/parser.y"
                                { (yyval.node) = node(AST_INT, &(yyloc)); (yyval.node)->ival = (yyvsp[0].ival); }
#line 2368 "build-san/lang/parser.c"
    break;

  case 81: /* primary: "string"  */
#line 345 "lang/parser.y"
                                { (yyval.node) = node(AST_STRING, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 2374 "build-san/lang/parser.c"
    break;

  case 82: /* primary: "variable"  */
#line 346 "lang/parser.y"
                                { (yyval.node) = node(AST_VAR, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 2380 "build-san/lang/parser.c"
    break;

  case 83: /* primary: "identifier"  */
#line 347 "lang/parser.y"
                                { (yyval.node) = node(AST_BUILTIN, &(yyloc)); (yyval.node)->name = (yyvsp[0].str); }
#line 2386 "build-san/lang/parser.c"
    break;

  case 84: /* primary: "identifier" '(' opt_args ')'  */
#line 349 "lang/parser.y"
                { (yyval.node) = node(AST_CALL, &(yylsp[-3])); (yyval.node)->name = (yyvsp[-3].str); (yyval.node)->args = (yyvsp[-1].node); }
#line 2392 "build-san/lang/parser.c"
    break;

  case 85: /* primary: map  */
#line 350 "lang/parser.y"
                                { (yyval.node) = (yyvsp[0].node); }
#line 2398 "build-san/lang/parser.c"
    break;

  case 86: /* primary: '(' expr ')'  */
#line 351 "lang/parser.y"
                                { (yyval.node) = (yyvsp[-1].node); }
#line 2404 "build-san/lang/parser.c"
    break;


#line 2408 "build-san/lang/parser.c"

      default: break;
    }
  /* User semantic actions sometimes alter yychar, and that requires
     that yytoken be updated with the new translation.  We take the
     approach of translating immediately before every use of yytoken.
     One alternative is translating here after every semantic action,
     but that translation would be missed if the semantic action invokes
     YYABORT, YYACCEPT, or YYERROR immediately after altering yychar or
     if it invokes YYBACKUP.  In the case of YYABORT or YYACCEPT, an
     incorrect destructor might then be invoked immediately.  In the
     case of YYERROR or YYBACKUP, subsequent parser actions might lead
     to an incorrect destructor call or verbose syntax error message
     before the lookahead is translated.  */
  YY_SYMBOL_PRINT ("-> $$ =", YY_CAST (yysymbol_kind_t, yyr1[yyn]), &yyval, &yyloc);

  YYPOPSTACK (yylen);
  yylen = 0;

  *++yyvsp = yyval;
  *++yylsp = yyloc;

  /* Now 'shift' the result of the reduction.  Determine what state
     that goes to, based on the state we popped back to and the rule
     number reduced by.  */
  {
    const int yylhs = yyr1[yyn] - YYNTOKENS;
    const int yyi = yypgoto[yylhs] + *yyssp;
    yystate = (0 <= yyi && yyi <= YYLAST && yycheck[yyi] == *yyssp
               ? yytable[yyi]
               : yydefgoto[yylhs]);
  }

  goto yynewstate;


/*--------------------------------------.
| yyerrlab -- here on detecting error.  |
`--------------------------------------*/
yyerrlab:
  /* Make sure we have latest lookahead translation.  See comments at
     user semantic actions for why this is necessary.  */
  yytoken = yychar == YYEMPTY ? YYSYMBOL_YYEMPTY : YYTRANSLATE (yychar);
  /* If not already recovering from an error, report this error.  */
  if (!yyerrstatus)
    {
      ++yynerrs;
      {
        yypcontext_t yyctx
          = {yyssp, yytoken, &yylloc};
        char const *yymsgp = YY_("syntax error");
        int yysyntax_error_status;
        yysyntax_error_status = yysyntax_error (&yymsg_alloc, &yymsg, &yyctx);
        if (yysyntax_error_status == 0)
          yymsgp = yymsg;
        else if (yysyntax_error_status == -1)
          {
            if (yymsg != yymsgbuf)
              YYSTACK_FREE (yymsg);
            yymsg = YY_CAST (char *,
                             YYSTACK_ALLOC (YY_CAST (YYSIZE_T, yymsg_alloc)));
            if (yymsg)
              {
                yysyntax_error_status
                  = yysyntax_error (&yymsg_alloc, &yymsg, &yyctx);
                yymsgp = yymsg;
              }
            else
              {
                yymsg = yymsgbuf;
                yymsg_alloc = sizeof yymsgbuf;
                yysyntax_error_status = YYENOMEM;
              }
          }
        yyerror (&yylloc, scanner, ps, yymsgp);
        if (yysyntax_error_status == YYENOMEM)
          YYNOMEM;
      }
    }

  yyerror_range[1] = yylloc;
  if (yyerrstatus == 3)
    {
      /* If just tried and failed to reuse lookahead token after an
         error, discard it.  */

      if (yychar <= YYEOF)
        {
          /* Return failure if at end of input.  */
          if (yychar == YYEOF)
            YYABORT;
        }
      else
        {
          yydestruct ("Error: discarding",
                      yytoken, &yylval, &yylloc, scanner, ps);
          yychar = YYEMPTY;
        }
    }

  /* Else will try to reuse lookahead token after shifting the error
     token.  */
  goto yyerrlab1;


/*---------------------------------------------------.
| yyerrorlab -- error raised explicitly by YYERROR.  |
`---------------------------------------------------*/
yyerrorlab:
  /* Pacify compilers when the user code never invokes YYERROR and the
     label yyerrorlab therefore never appears in user code.  */
  if (0)
    YYERROR;
  ++yynerrs;

  /* Do not reclaim the symbols of the rule whose action triggered
     this YYERROR.  */
  YYPOPSTACK (yylen);
  yylen = 0;
  YY_STACK_PRINT (yyss, yyssp);
  yystate = *yyssp;
  goto yyerrlab1;


/*-------------------------------------------------------------.
| yyerrlab1 -- common code for both syntax error and YYERROR.  |
`-------------------------------------------------------------*/
yyerrlab1:
  yyerrstatus = 3;      /* Each real token shifted decrements this.  */

  /* Pop stack until we find a state that shifts the error token.  */
  for (;;)
    {
      yyn = yypact[yystate];
      if (!yypact_value_is_default (yyn))
        {
          yyn += YYSYMBOL_YYerror;
          if (0 <= yyn && yyn <= YYLAST && yycheck[yyn] == YYSYMBOL_YYerror)
            {
              yyn = yytable[yyn];
              if (0 < yyn)
                break;
            }
        }

      /* Pop the current state because it cannot handle the error token.  */
      if (yyssp == yyss)
        YYABORT;

      yyerror_range[1] = *yylsp;
      yydestruct ("Error: popping",
                  YY_ACCESSING_SYMBOL (yystate), yyvsp, yylsp, scanner, ps);
      YYPOPSTACK (1);
      yystate = *yyssp;
      YY_STACK_PRINT (yyss, yyssp);
    }

  YY_IGNORE_MAYBE_UNINITIALIZED_BEGIN
  *++yyvsp = yylval;
  YY_IGNORE_MAYBE_UNINITIALIZED_END

  yyerror_range[2] = yylloc;
  ++yylsp;
  YYLLOC_DEFAULT (*yylsp, yyerror_range, 2);

  /* Shift the error token.  */
  YY_SYMBOL_PRINT ("Shifting", YY_ACCESSING_SYMBOL (yyn), yyvsp, yylsp);

  yystate = yyn;
  goto yynewstate;


/*-------------------------------------.
| yyacceptlab -- YYACCEPT comes here.  |
`-------------------------------------*/
yyacceptlab:
  yyresult = 0;
  goto yyreturnlab;


/*-----------------------------------.
| yyabortlab -- YYABORT comes here.  |
`-----------------------------------*/
yyabortlab:
  yyresult = 1;
  goto yyreturnlab;


/*-----------------------------------------------------------.
| yyexhaustedlab -- YYNOMEM (memory exhaustion) comes here.  |
`-----------------------------------------------------------*/
yyexhaustedlab:
  yyerror (&yylloc, scanner, ps, YY_("memory exhausted"));
  yyresult = 2;
  goto yyreturnlab;


/*----------------------------------------------------------.
| yyreturnlab -- parsing is finished, clean up and return.  |
`----------------------------------------------------------*/
yyreturnlab:
  if (yychar != YYEMPTY)
    {
      /* Make sure we have latest lookahead translation.  See comments at
         user semantic actions for why this is necessary.  */
      yytoken = YYTRANSLATE (yychar);
      yydestruct ("Cleanup: discarding lookahead",
                  yytoken, &yylval, &yylloc, scanner, ps);
    }
  /* Do not reclaim the symbols of the rule whose action triggered
     this YYABORT or YYACCEPT.  */
  YYPOPSTACK (yylen);
  YY_STACK_PRINT (yyss, yyssp);
  while (yyssp != yyss)
    {
      yydestruct ("Cleanup: popping",
                  YY_ACCESSING_SYMBOL (+*yyssp), yyvsp, yylsp, scanner, ps);
      YYPOPSTACK (1);
    }
#ifndef yyoverflow
  if (yyss != yyssa)
    YYSTACK_FREE (yyss);
#endif
  if (yymsg != yymsgbuf)
    YYSTACK_FREE (yymsg);
  return yyresult;
}

#line 354 "lang/parser.y"

