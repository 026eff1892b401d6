build-san/runtime/heat.o: runtime/heat.c runtime/heat.h \
 bpf-lib/hotspan.bpf.h plan/plan.h lang/diag.h engine/params.h \
 output/mapout.h output/mapfmt.h engine/engine.h engine/trace.h
runtime/heat.h:
bpf-lib/hotspan.bpf.h:
plan/plan.h:
lang/diag.h:
engine/params.h:
output/mapout.h:
output/mapfmt.h:
engine/engine.h:
engine/trace.h:
