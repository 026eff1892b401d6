build-san/output/mapout.o: output/mapout.c output/mapout.h \
 output/mapfmt.h plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h \
 engine/params.h output/agg.h
output/mapout.h:
output/mapfmt.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
output/agg.h:
