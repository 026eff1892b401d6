build-san/lang/lexer.o: build-san/lang/lexer.c lang/parse.h lang/ast.h \
 lang/diag.h build-san/lang/parser.h
lang/parse.h:
lang/ast.h:
lang/diag.h:
build-san/lang/parser.h:
