build-san/compiler/sema_call.o: compiler/sema_call.c \
 compiler/sema_internal.h compiler/sema.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 lang/nearest.h gobin/gobin.h output/agg.h output/mapfmt.h
compiler/sema_internal.h:
compiler/sema.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
lang/nearest.h:
gobin/gobin.h:
output/agg.h:
output/mapfmt.h:
