build-san/engine/engine.o: engine/engine.c engine/engine_internal.h \
 engine/engine.h engine/params.h
engine/engine_internal.h:
engine/engine.h:
engine/params.h:
