build-san/probes/interval.o: probes/interval.c probes/provider.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h
probes/provider.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
