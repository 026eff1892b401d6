build-san/engine/cluster.o: engine/cluster.c engine/engine_internal.h \
 engine/engine.h engine/params.h
engine/engine_internal.h:
engine/engine.h:
engine/params.h:
