build-san/engine/track.o: engine/track.c engine/engine_internal.h \
 engine/engine.h engine/params.h
engine/engine_internal.h:
engine/engine.h:
engine/params.h:
