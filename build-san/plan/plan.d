build-san/plan/plan.o: plan/plan.c plan/plan.h bpf-lib/hotspan.bpf.h \
 lang/diag.h engine/params.h
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
