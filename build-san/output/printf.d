build-san/output/printf.o: output/printf.c output/printf.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h output/mapfmt.h
output/printf.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
output/mapfmt.h:
