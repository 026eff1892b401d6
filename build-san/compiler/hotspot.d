build-san/compiler/hotspot.o: compiler/hotspot.c compiler/hotspot.h \
 lang/ast.h lang/diag.h engine/params.h compiler/sema.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/nearest.h
compiler/hotspot.h:
lang/ast.h:
lang/diag.h:
engine/params.h:
compiler/sema.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/nearest.h:
