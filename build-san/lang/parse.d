build-san/lang/parse.o: lang/parse.c lang/parse.h lang/ast.h lang/diag.h \
 build-san/lang/parser.h build-san/lang/lexer.h
lang/parse.h:
lang/ast.h:
lang/diag.h:
build-san/lang/parser.h:
build-san/lang/lexer.h:
