build-san/compiler/sema_map.o: compiler/sema_map.c \
 compiler/sema_internal.h compiler/sema.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 compiler/hotspot.h lang/nearest.h output/agg.h output/mapfmt.h
compiler/sema_internal.h:
compiler/sema.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
compiler/hotspot.h:
lang/nearest.h:
output/agg.h:
output/mapfmt.h:
