build-san/probes/provider.o: probes/provider.c probes/provider.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 gobin/gobin.h
probes/provider.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
gobin/gobin.h:
