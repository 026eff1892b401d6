build-san/compiler/codegen_expr.o: compiler/codegen_expr.c \
 compiler/codegen_internal.h /usr/lib/llvm-19/include/llvm-c/Core.h \
 /usr/lib/llvm-19/include/llvm-c/Deprecated.h \
 /usr/lib/llvm-19/include/llvm-c/ErrorHandling.h \
 /usr/lib/llvm-19/include/llvm-c/ExternC.h \
 /usr/lib/llvm-19/include/llvm-c/Types.h \
 /usr/lib/llvm-19/include/llvm-c/DataTypes.h \
 /usr/lib/llvm-19/include/llvm-c/DebugInfo.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 compiler/sema.h gobin/gobin.h probes/provider.h
compiler/codegen_internal.h:
/usr/lib/llvm-19/include/llvm-c/Core.h:
/usr/lib/llvm-19/include/llvm-c/Deprecated.h:
/usr/lib/llvm-19/include/llvm-c/ErrorHandling.h:
/usr/lib/llvm-19/include/llvm-c/ExternC.h:
/usr/lib/llvm-19/include/llvm-c/Types.h:
/usr/lib/llvm-19/include/llvm-c/DataTypes.h:
/usr/lib/llvm-19/include/llvm-c/DebugInfo.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
compiler/sema.h:
gobin/gobin.h:
probes/provider.h:
