build-san/tests/lib/proc.o: tests/lib/proc.c tests/lib/proc.h
tests/lib/proc.h:
