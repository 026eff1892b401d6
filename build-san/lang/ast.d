build-san/lang/ast.o: lang/ast.c lang/ast.h lang/diag.h
lang/ast.h:
lang/diag.h:
