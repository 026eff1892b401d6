build-san/output/ustack.o: output/ustack.c output/ustack.h \
 bpf-lib/hotspan.bpf.h plan/plan.h lang/diag.h engine/params.h \
 gobin/elfsym.h gobin/gobin.h
output/ustack.h:
bpf-lib/hotspan.bpf.h:
plan/plan.h:
lang/diag.h:
engine/params.h:
gobin/elfsym.h:
gobin/gobin.h:
