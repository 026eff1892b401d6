build-san/compiler/codegen.o: compiler/codegen.c compiler/codegen.h \
 /usr/lib/llvm-19/include/llvm-c/Core.h \
 /usr/lib/llvm-19/include/llvm-c/Deprecated.h \
 /usr/lib/llvm-19/include/llvm-c/ErrorHandling.h \
 /usr/lib/llvm-19/include/llvm-c/ExternC.h \
 /usr/lib/llvm-19/include/llvm-c/Types.h \
 /usr/lib/llvm-19/include/llvm-c/DataTypes.h plan/plan.h \
 bpf-lib/hotspan.bpf.h lang/diag.h engine/params.h lang/ast.h \
 /usr/lib/llvm-19/include/llvm-c/DebugInfo.h compiler/codegen_internal.h \
 compiler/sema.h output/agg.h output/mapfmt.h
compiler/codegen.h:
/usr/lib/llvm-19/include/llvm-c/Core.h:
/usr/lib/llvm-19/include/llvm-c/Deprecated.h:
/usr/lib/llvm-19/include/llvm-c/ErrorHandling.h:
/usr/lib/llvm-19/include/llvm-c/ExternC.h:
/usr/lib/llvm-19/include/llvm-c/Types.h:
/usr/lib/llvm-19/include/llvm-c/DataTypes.h:
plan/plan.h:
bpf-lib/hotspan.bpf.h:
lang/diag.h:
engine/params.h:
lang/ast.h:
/usr/lib/llvm-19/include/llvm-c/DebugInfo.h:
compiler/codegen_internal.h:
compiler/sema.h:
output/agg.h:
output/mapfmt.h:
