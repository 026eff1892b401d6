build-san/output/mapfmt.o: output/mapfmt.c output/mapfmt.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h output/agg.h \
 output/ustack.h
output/mapfmt.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
output/agg.h:
output/ustack.h:
