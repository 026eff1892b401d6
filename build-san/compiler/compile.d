build-san/compiler/compile.o: compiler/compile.c compiler/compile.h \
 plan/plan.h bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h \
 compiler/codegen.h /usr/lib/llvm-19/include/llvm-c/Core.h \
 /usr/lib/llvm-19/include/llvm-c/Deprecated.h \
 /usr/lib/llvm-19/include/llvm-c/ErrorHandling.h \
 /usr/lib/llvm-19/include/llvm-c/ExternC.h \
 /usr/lib/llvm-19/include/llvm-c/Types.h \
 /usr/lib/llvm-19/include/llvm-c/DataTypes.h lang/ast.h \
 compiler/bpf_module.h compiler/sema.h lang/parse.h probes/provider.h \
 lang/nearest.h
compiler/compile.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
compiler/codegen.h:
/usr/lib/llvm-19/include/llvm-c/Core.h:
/usr/lib/llvm-19/include/llvm-c/Deprecated.h:
/usr/lib/llvm-19/include/llvm-c/ErrorHandling.h:
/usr/lib/llvm-19/include/llvm-c/ExternC.h:
/usr/lib/llvm-19/include/llvm-c/Types.h:
/usr/lib/llvm-19/include/llvm-c/DataTypes.h:
lang/ast.h:
compiler/bpf_module.h:
compiler/sema.h:
lang/parse.h:
probes/provider.h:
lang/nearest.h:
