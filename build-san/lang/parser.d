build-san/lang/parser.o: build-san/lang/parser.c build-san/lang/parser.h \
 lang/ast.h lang/diag.h lang/parse.h build-san/lang/lexer.h
build-san/lang/parser.h:
lang/ast.h:
lang/diag.h:
lang/parse.h:
build-san/lang/lexer.h:
