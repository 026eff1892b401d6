build-san/lang/diag.o: lang/diag.c lang/diag.h
lang/diag.h:
