build-san/probes/special.o: probes/special.c probes/provider.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 gobin/elfsym.h
probes/provider.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
gobin/elfsym.h:
