build-san/tests/lib/script.o: tests/lib/script.c tests/lib/script.h \
 compiler/compile.h plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h \
 engine/params.h
tests/lib/script.h:
compiler/compile.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
