build-san/output/agg.o: output/agg.c output/agg.h output/mapfmt.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h \
 output/histout.h
output/agg.h:
output/mapfmt.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
output/histout.h:
