build-san/engine/trace.o: engine/trace.c engine/trace.h engine/engine.h \
 engine/params.h
engine/trace.h:
engine/engine.h:
engine/params.h:
