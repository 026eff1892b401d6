build-san/probes/uretprobe.o: probes/uretprobe.c gobin/gobin.h \
 bpf-lib/hotspan.bpf.h probes/provider.h plan/plan.h lang/diag.h \
 engine/params.h lang/ast.h
gobin/gobin.h:
bpf-lib/hotspan.bpf.h:
probes/provider.h:
plan/plan.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
