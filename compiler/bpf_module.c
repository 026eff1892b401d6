// SPDX-License-Identifier: MIT
/*
 * The LLVM side of compilation. The BPF library (bpf-lib/) is bitcode
 * embedded in the tool; after linking it in, its functions are made internal
 * and always-inline, so the optimiser folds them into each program and
 * drops them, and the object holds nothing but programs, maps and BTF.
 * LLVM's own diagnostics are caught by a handler and become ours, so a
 * backend complaint never goes straight to the terminal.
 */
#include "compiler/bpf_module.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

/* The bitcode of bpf-lib/hotspan.bpf.c, from bpf-lib/embed.S. */
extern const char hs_bpflib_bitcode[];
extern const char hs_bpflib_bitcode_end[];

struct bpf_module {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMTargetMachineRef tm;
	struct diag_list *dl;	/* where LLVM's diagnostics go */
	int llvm_errors;
	char last_prog[32];	/* program of the last error kept */
};

/* The backend repeats an error for every instruction it touches: each
 * program's first is kept. "FILE:LINE:COL: in function pN ...: text" is
 * placed at LINE:COL of the script; a stack overflow gets a hint. */
static void llvm_error(struct bpf_module *m, const char *msg)
{
	const char *fn = strstr(msg, "in function "), *text;
	struct src_loc loc = { 0 };
	char prog[32] = "";
	bool located = false;

	if (fn) {
		located = sscanf(msg, "%*[^:]:%d:%d:", &loc.line, &loc.col) == 2;
		sscanf(fn, "in function %31s", prog);
	}
	if (*prog && !strcmp(prog, m->last_prog))
		return;
	snprintf(m->last_prog, sizeof(m->last_prog), "%s", prog);
	m->llvm_errors++;
	text = fn ? strchr(fn, ')') : NULL;
	text = text && text[1] == ':' ? text + 2 : msg;
	loc.end_line = loc.line;
	loc.end_col = loc.col;
	if (strstr(msg, "stack limit is exceeded")) {
		diag_add(m->dl, DIAG_ERROR, located ? &loc : NULL,
			 "this probe needs more than the 512 bytes of stack a BPF program has");
		diag_hint(m->dl, "strings take their longest size in keys, variables and printf "
			  "arguments: use fewer or shorter ones");
		return;
	}
	diag_add(m->dl, DIAG_ERROR, located ? &loc : NULL, "LLVM: %s", text);
}

static void on_llvm_diag(LLVMDiagnosticInfoRef di, void *arg)
{
	struct bpf_module *m = arg;
	LLVMDiagnosticSeverity sev = LLVMGetDiagInfoSeverity(di);
	char *msg = LLVMGetDiagInfoDescription(di);

	if (sev == LLVMDSError)
		llvm_error(m, msg);
	LLVMDisposeMessage(msg);
}

struct bpf_module *bpf_module__new(struct diag_list *dl)
{
	struct bpf_module *m = calloc(1, sizeof(*m));
	LLVMTargetDataRef td;
	LLVMTargetRef target;
	char *err = NULL;

	if (!m)
		return NULL;
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	if (LLVMGetTargetFromTriple("bpf", &target, &err)) {
		diag_add(dl, DIAG_ERROR, NULL, "LLVM has no BPF target: %s", err);
		LLVMDisposeMessage(err);
		free(m);
		errno = ENOTSUP;
		return NULL;
	}
	/* cpu v3: 32-bit jumps and ALU, supported by every kernel with BTF. */
	m->tm = LLVMCreateTargetMachine(target, "bpf", "v3", "", LLVMCodeGenLevelDefault,
					LLVMRelocDefault, LLVMCodeModelDefault);
	m->ctx = LLVMContextCreate();
	m->dl = dl;
	LLVMContextSetDiagnosticHandler(m->ctx, on_llvm_diag, m);
	m->mod = LLVMModuleCreateWithNameInContext("hotspan", m->ctx);
	LLVMSetTarget(m->mod, "bpf");
	td = LLVMCreateTargetDataLayout(m->tm);
	LLVMSetModuleDataLayout(m->mod, td);
	LLVMDisposeTargetData(td);
	return m;
}

void bpf_module__free(struct bpf_module *m)
{
	if (!m)
		return;
	LLVMDisposeModule(m->mod);
	LLVMContextDispose(m->ctx);
	LLVMDisposeTargetMachine(m->tm);
	free(m);
}

LLVMModuleRef bpf_module__llvm(struct bpf_module *m)
{
	return m->mod;
}

int bpf_module__link_lib(struct bpf_module *m, struct diag_list *dl)
{
	size_t size = hs_bpflib_bitcode_end - hs_bpflib_bitcode;
	LLVMMemoryBufferRef buf;
	LLVMModuleRef lib;
	unsigned always = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
	unsigned never = LLVMGetEnumAttributeKindForName("noinline", 8);

	m->dl = dl;
	buf = LLVMCreateMemoryBufferWithMemoryRange(hs_bpflib_bitcode, size, "bpf-lib", 0);
	if (LLVMParseBitcodeInContext2(m->ctx, buf, &lib)) {
		LLVMDisposeMemoryBuffer(buf);
		diag_add(dl, DIAG_ERROR, NULL, "the embedded BPF library is not valid bitcode");
		return -EINVAL;
	}
	LLVMDisposeMemoryBuffer(buf);
	if (LLVMLinkModules2(m->mod, lib)) {
		diag_add(dl, DIAG_ERROR, NULL, "linking the BPF library failed");
		return -EINVAL;
	}
	for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f)) {
		size_t len;
		const char *name = LLVMGetValueName2(f, &len);

		if (LLVMIsDeclaration(f)) {
			if (strncmp(name, "llvm.", 5)) {
				diag_add(dl, DIAG_ERROR, NULL,
					 "the BPF library has no function %s", name);
				return -EINVAL;
			}
			continue;
		}
		if (LLVMGetSection(f))
			continue;	/* a program */
		LLVMSetLinkage(f, LLVMInternalLinkage);
		LLVMRemoveEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, never);
		LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
					LLVMCreateEnumAttribute(m->ctx, always, 0));
	}
	return 0;
}

int bpf_module__optimise(struct bpf_module *m, struct diag_list *dl)
{
	LLVMPassBuilderOptionsRef opts;
	LLVMErrorRef err;
	char *msg = NULL;

	m->dl = dl;
	if (LLVMVerifyModule(m->mod, LLVMReturnStatusAction, &msg)) {
		diag_add(dl, DIAG_ERROR, NULL, "internal error, invalid IR: %s", msg);
		LLVMDisposeMessage(msg);
		return -EINVAL;
	}
	LLVMDisposeMessage(msg);
	opts = LLVMCreatePassBuilderOptions();
	err = LLVMRunPasses(m->mod, "default<O2>", m->tm, opts);
	LLVMDisposePassBuilderOptions(opts);
	if (err) {
		msg = LLVMGetErrorMessage(err);
		diag_add(dl, DIAG_ERROR, NULL, "LLVM optimisation failed: %s", msg);
		LLVMDisposeErrorMessage(msg);
		return -EINVAL;
	}
	return m->llvm_errors ? -EINVAL : 0;
}

void bpf_module__print_ir(struct bpf_module *m, FILE *out)
{
	char *ir = LLVMPrintModuleToString(m->mod);

	fputs(ir, out);
	LLVMDisposeMessage(ir);
}

static int emit(struct bpf_module *m, LLVMModuleRef mod, LLVMCodeGenFileType type,
		LLVMMemoryBufferRef *out, struct diag_list *dl)
{
	char *msg = NULL;

	m->dl = dl;
	if (LLVMTargetMachineEmitToMemoryBuffer(m->tm, mod, type, &msg, out) || m->llvm_errors) {
		if (!m->llvm_errors)	/* else already said, at its place */
			diag_add(dl, DIAG_ERROR, NULL, "LLVM could not emit BPF code: %s",
				 msg ? msg : "unknown error");
		LLVMDisposeMessage(msg);
		return -EINVAL;
	}
	return 0;
}

/* The programs of an assembler file: each program's label, its
 * instructions and jump labels, and `; line N` where the script line of the
 * next instructions changes. Directives, debug info and BTF tables are left
 * out: they are what --emit-obj and bpftool are for. */
static void print_programs(const char *text, size_t len, FILE *out)
{
	const char *p = text, *end = text + len;
	bool in_code = false;
	int last_line = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		int n = (int)((nl ? nl : end) - p), line;

		if (!strncmp(p, "\t.section\t", 10)) {
			in_code = !strncmp(p + 10, "uprobe,", 7) || !strncmp(p + 10, "perf_event,", 11);
		} else if (in_code && sscanf(p, "\t.loc\t%*d %d", &line) == 1) {
			if (line > 0 && line != last_line)
				fprintf(out, "\t; line %d\n", line);
			if (line > 0)
				last_line = line;
		} else if (in_code && n && p[0] != '.' && !(p[0] == '\t' && p[1] == '.')) {
			if (p[0] != '\t' && p[n - 1] == ':' && strncmp(p, "LBB", 3)) {
				fputc('\n', out);	/* a program begins */
				last_line = -1;
			}
			fprintf(out, "%.*s\n", n, p);
		}
		p = nl ? nl + 1 : end;
	}
}

int bpf_module__print_asm(struct bpf_module *m, FILE *out, struct diag_list *dl)
{
	/* Code generation changes the module it runs on: print from a copy. */
	LLVMModuleRef copy = LLVMCloneModule(m->mod);
	LLVMMemoryBufferRef buf;
	int err = emit(m, copy, LLVMAssemblyFile, &buf, dl);

	LLVMDisposeModule(copy);
	if (err)
		return err;
	print_programs(LLVMGetBufferStart(buf), LLVMGetBufferSize(buf), out);
	LLVMDisposeMemoryBuffer(buf);
	return 0;
}

int bpf_module__emit(struct bpf_module *m, void **obj, size_t *size, struct diag_list *dl)
{
	LLVMMemoryBufferRef buf;
	int err = emit(m, m->mod, LLVMObjectFile, &buf, dl);

	if (err)
		return err;
	*size = LLVMGetBufferSize(buf);
	*obj = malloc(*size);
	if (*obj)
		memcpy(*obj, LLVMGetBufferStart(buf), *size);
	LLVMDisposeMemoryBuffer(buf);
	return *obj ? 0 : -ENOMEM;
}
