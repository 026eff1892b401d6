build-san/tests/lib/streamgen.o: tests/lib/streamgen.c \
 tests/lib/streamgen.h engine/engine.h engine/params.h
tests/lib/streamgen.h:
engine/engine.h:
engine/params.h:
