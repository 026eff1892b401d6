build-san/probes/access.o: probes/access.c gobin/gobin.h \
 bpf-lib/hotspan.bpf.h lang/nearest.h probes/provider.h plan/plan.h \
 lang/diag.h engine/params.h lang/ast.h
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
lang/nearest.h:
probes/provider.h:
plan/plan.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
