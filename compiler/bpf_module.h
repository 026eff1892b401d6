// SPDX-License-Identifier: MIT
/*
 * An LLVM module for the BPF target and the steps after lowering: linking
 * the BPF library, optimising, printing and emitting the object.
 */
#ifndef HOTSPAN_BPF_MODULE_H
#define HOTSPAN_BPF_MODULE_H

#include <stddef.h>
#include <stdio.h>

#include <llvm-c/Core.h>

#include "lang/diag.h"

struct bpf_module;

/* NULL and errno on failure, with the reason in dl. */
struct bpf_module *bpf_module__new(struct diag_list *dl);
void bpf_module__free(struct bpf_module *m);
LLVMModuleRef bpf_module__llvm(struct bpf_module *m);
int bpf_module__link_lib(struct bpf_module *m, struct diag_list *dl);
int bpf_module__optimise(struct bpf_module *m, struct diag_list *dl);
void bpf_module__print_ir(struct bpf_module *m, FILE *out);
int bpf_module__print_asm(struct bpf_module *m, FILE *out, struct diag_list *dl);
/* A malloc'd ELF object. */
int bpf_module__emit(struct bpf_module *m, void **obj, size_t *size, struct diag_list *dl);

#endif
