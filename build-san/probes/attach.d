build-san/probes/attach.o: probes/attach.c probes/attach.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h probes/provider.h \
 lang/ast.h probes/uprobe_multi.h
probes/attach.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
probes/provider.h:
lang/ast.h:
probes/uprobe_multi.h:
