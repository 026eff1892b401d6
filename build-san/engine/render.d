build-san/engine/render.o: engine/render.c engine/engine_internal.h \
 engine/engine.h engine/params.h
engine/engine_internal.h:
engine/engine.h:
engine/params.h:
