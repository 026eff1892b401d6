build-san/compiler/sema.o: compiler/sema.c compiler/sema.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 compiler/hotspot.h gobin/gobin.h lang/nearest.h probes/provider.h \
 compiler/sema_internal.h
compiler/sema.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
compiler/hotspot.h:
gobin/gobin.h:
lang/nearest.h:
probes/provider.h:
compiler/sema_internal.h:
