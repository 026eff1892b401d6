build-san/cli/main.o: cli/main.c compiler/compile.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h runtime/heat.h \
 output/mapout.h output/mapfmt.h runtime/session.h
compiler/compile.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
runtime/heat.h:
output/mapout.h:
output/mapfmt.h:
runtime/session.h:
