build-san/runtime/session.o: runtime/session.c runtime/session.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h \
 output/mapout.h output/mapfmt.h probes/attach.h runtime/heat.h \
 output/printf.h probes/provider.h lang/ast.h output/ustack.h
runtime/session.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
output/mapout.h:
output/mapfmt.h:
probes/attach.h:
runtime/heat.h:
output/printf.h:
probes/provider.h:
lang/ast.h:
output/ustack.h:
