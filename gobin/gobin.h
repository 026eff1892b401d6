// SPDX-License-Identifier: MIT
/*
 * gobin: what hotspan reads from a Go executable (amd64, Go 1.18+): its
 * functions, their file:line, the globals and types of its DWARF, the places
 * where a uprobe should sit on a function's entry and on every bounds-checked
 * indexed access to an array or a slice.
 */
#ifndef HOTSPAN_RUNTIME_GOBIN_H
#define HOTSPAN_RUNTIME_GOBIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bpf-lib/hotspan.bpf.h"

struct gobin;

/*
 * Registers are named by their byte offset in the kernel's struct pt_regs,
 * HS_REG_* of bpf-lib/hotspan.bpf.h (HS_REG_NONE: no register), the one
 * table the BPF programs, the site finder and the compiler share.
 */
/* "ax", "rax", "eax", "r8", "r8d", "flags", "%rip", ... to a pt_regs offset;
 * HS_REG_NONE if unknown. */
int gobin_reg_offset(const char *name);
/* A pt_regs offset to its 64-bit x86 name without '%' ("rax", "r14"), or NULL. */
const char *gobin_reg_name(int offset);
/* The pt_regs names as bpftrace's reg() spells them ("ax", "r8", "flags"),
 * for hints: fills names (up to max) and returns how many there are. */
size_t gobin_reg_names(const char **names, size_t max);
/* pt_regs offset of Go's amd64 register-ABI integer argument n (0..8), or HS_REG_NONE. */
int gobin_reg_arg(int n);

/* NULL and errno: ENOENT, EACCES, ENOEXEC (not an ELF, not x86-64, not Go), ENOMEM. */
struct gobin *gobin__open(const char *path);

enum gobin_open_flags {
	GOBIN_OPEN_NO_SYMTAB = 1 << 0,	/* read functions from .gopclntab as if stripped */
	GOBIN_OPEN_NO_DWARF  = 1 << 1,	/* ignore DWARF: globals from .symtab, no types */
};
/* gobin__open() with gobin_open_flags, to see what a stripped build would give. */
struct gobin *gobin__open_flags(const char *path, unsigned int flags);
void gobin__close(struct gobin *gb);

bool gobin__is_pie(const struct gobin *gb);
/* True when functions came from .symtab; false for a stripped binary (from .gopclntab). */
bool gobin__has_symtab(const struct gobin *gb);
/* True when the binary carries DWARF: types and globals are known. */
bool gobin__has_dwarf(const struct gobin *gb);
/* "go1.19.8" as written by the linker, or NULL when not found. */
const char *gobin__go_version(const struct gobin *gb);

/*
 * Virtual address to file offset through the PT_LOAD program headers, for
 * uprobe attach (which takes file offsets, PIE or not).
 */
int gobin__vaddr_to_offset(const struct gobin *gb, uint64_t vaddr, uint64_t *offset);
/* len bytes of the file at a virtual address: 0, or -ENOENT outside the file. */
int gobin__read(const struct gobin *gb, uint64_t vaddr, void *buf, size_t len);
/* The reverse, for an address seen at run time as an offset into the mapped file. */
int gobin__offset_to_vaddr(const struct gobin *gb, uint64_t offset, uint64_t *vaddr);

struct gobin_func {
	const char *name;      /* as the Go toolchain writes it: main.(*Cache).Get */
	uint64_t addr;         /* virtual address of the entry */
	uint64_t size;
	uint64_t file_offset;  /* of the entry, for uprobe attach */
};

/* Functions are sorted by address; names and pointers live until gobin__close(). */
int gobin__find_func(const struct gobin *gb, const char *name, struct gobin_func *out);
size_t gobin__func_count(const struct gobin *gb);
int gobin__func_at(const struct gobin *gb, size_t i, struct gobin_func *out);
/* The function whose body holds vaddr: 0 or -ENOENT. */
int gobin__func_for_addr(const struct gobin *gb, uint64_t vaddr, struct gobin_func *out);
/* True when `name` exists only as inlined copies (no out-of-line body), so it cannot be probed. */
bool gobin__func_is_inlined_only(const struct gobin *gb, const char *name);
/* The functions whose bodies hold an inlined copy of `name`, in address
 * order: *out is malloc'ed (free() it). 0 or -errno. */
int gobin__inlined_into(const struct gobin *gb, const char *name, struct gobin_func **out,
			size_t *n);
/* Is the instruction at vaddr part of an inlined copy of `name`, at any depth? */
bool gobin__addr_in_inlined(const struct gobin *gb, uint64_t vaddr, const char *name);
/*
 * Every function of that exact name (or name.abi0), in address order: a
 * stripped binary can hold a name twice (generic instances). An ABI wrapper
 * is left out when the function it wraps is there. *out malloc'ed; 0,
 * -ENOENT, -ENOMEM.
 */
int gobin__find_funcs(const struct gobin *gb, const char *name, struct gobin_func **out,
		      size_t *n);

/*
 * Source position of an instruction address from .gopclntab (any of file,
 * line, func may be NULL). Inside inlined code the position is the inlined
 * function's own line and *func that function's name ("main.hot"), else
 * the containing function's name. 0, -ENOENT.
 */
int gobin__addr_to_line(const struct gobin *gb, uint64_t vaddr, const char **file, int *line,
			const char **func);

/*
 * How many bytes a function has moved SP below the return address at
 * vaddr, from .gopclntab's pcsp table: 0 at the entry, at every RET and
 * all through a function without a frame, where [SP] is the return address
 * and BP still the caller's. 0, -ENOENT (no table for vaddr).
 */
int gobin__sp_delta(const struct gobin *gb, uint64_t vaddr, int64_t *delta);

/*
 * Globals. Addresses are link-time virtual addresses: add the load bias of
 * a position-independent executable (gobin_load_bias()) at run time.
 */
enum gobin_kind {
	GOBIN_KIND_UNKNOWN,	/* no DWARF: only the symbol's address and size */
	GOBIN_KIND_ARRAY,
	GOBIN_KIND_SLICE,	/* a slice header: data pointer, len, cap (8 bytes each) */
	GOBIN_KIND_STRING,
	GOBIN_KIND_STRUCT,
	GOBIN_KIND_POINTER,
	GOBIN_KIND_SCALAR,	/* anything else: numbers, maps, channels, interfaces... */
};

struct gobin_var {
	const char *global;	/* the package global: "main.cache" */
	const char *field;	/* last field of a path such as main.cache.slots, or NULL */
	uint64_t offset;	/* of the field in the global; 0 for the global itself */
	uint64_t addr;		/* link-time address of the variable (global + offset) */
	uint64_t size;		/* bytes, padding included */
	enum gobin_kind kind;
	bool types_known;	/* false without DWARF: kind, len and elements are unknown */
	const char *type_name;	/* Go's name: "[4096]int64", "main.Cache"; NULL if unknown */
	/*
	 * An array of N >= 2 dimensions [A][B]...[Y][Z]T is seen as its rows
	 * of the last dimension: len = A*B*...*Y rows of elem_size = Z cells,
	 * cols = Z, and the cell (row, col) is element row*Z + col of the
	 * whole array, row being the other subscripts combined (a*B + b for
	 * [A][B][C]T).
	 */
	uint64_t len;		/* arrays: elements (rows of an N-D array) */
	uint64_t elem_size;	/* arrays and slices: bytes per element, by Go's layout */
	const char *elem_type;	/* "int64", "main.pair", "[64]float64" for a row */
	int dims;		/* arrays: dimensions, 1 for [N]T; 0 if unknown */
	uint64_t cols;		/* N-D arrays: the last dimension, else 0 */
	uint64_t col_size;	/* [R][C] arrays: bytes per cell */
	const char *col_type;
	uint64_t type_id;	/* the type for gobin__var_field_at(); 0 if unknown */
};

/*
 * A global by name, or a field path into a global struct ("main.cache.slots",
 * "main.cache.inner.arr"): 0, -ENOENT (also for a field path without DWARF).
 */
int gobin__find_var(const struct gobin *gb, const char *path, struct gobin_var *out);
/* Globals sorted by name. */
size_t gobin__var_count(const struct gobin *gb);
int gobin__var_at(const struct gobin *gb, size_t i, struct gobin_var *out);

struct gobin_field {
	const char *name;
	uint64_t offset;
	uint64_t size;
	const char *type_name;
	enum gobin_kind kind;
};
/* Field i of a struct variable: 0, -ENOENT past the last or for a non-struct. */
int gobin__var_field_at(const struct gobin *gb, const struct gobin_var *var, size_t i,
			struct gobin_field *out);

enum gobin_site_kind {
	GOBIN_SITE_ENTRY,	/* a function's entry */
	GOBIN_SITE_ACCESS,	/* a bounds-checked indexed access */
	GOBIN_SITE_RET,		/* a RET instruction: the return point, never a uretprobe */
};

/*
 * A value the probe computes from the registers where it sits:
 *     v = regs[reg] * mul + regs[reg2] * mul2 + add + bias * (load bias)
 *     v = (mod ? v % mod : v) / div          (unsigned)
 * reg and reg2 are pt_regs offsets, HS_REG_NONE for none. A link-time
 * address in the sum (a global's) needs the load bias of a PIE added, and
 * a register that holds one at run time has it already: bias says how many
 * times to add it (-1, 0, 1). known is false when the value cannot be had
 * at the probe.
 */
struct gobin_lin {
	bool known;
	int reg, reg2;
	int64_t mul, mul2, add;
	int bias;
	uint64_t mod, div;
};

/*
 * Where a uprobe sits, and how the BPF program tells a real hit from a pass
 * that will be repeated or is not an access. x86 eflags bits are in
 * pt_regs->flags. The program must ignore the hit when
 * (flags & skip_if_any_set) != 0, or when skip_if_all_clear != 0 and
 * (flags & skip_if_all_clear) == 0.
 */
struct gobin_site {
	enum gobin_site_kind kind;
	uint64_t vaddr;			/* where the uprobe sits */
	uint64_t file_offset;		/* of vaddr */
	uint64_t skip_if_any_set;	/* e.g. CF|ZF for a JBE to morestack */
	uint64_t skip_if_all_clear;	/* e.g. CF for JAE to panicIndex: CF clear => no access */

	const char *func;		/* the containing function (out-of-line body) */
	uint64_t func_offset;		/* vaddr - entry of func */
	const char *file;		/* source position of the access, NULL if unknown */
	int line;
	const char *inlined_from;	/* the inlined function the access is in, or NULL */
	const char *var;		/* the global holding base_addr, when there is one */

	/*
	 * Access sites. The probe sits on the bounds check's jump, or, for an
	 * access without one (a masked index, a constant one), on the access
	 * itself (at_access). There, as values of the registers:
	 *   index  the element index the program used; the column (the last
	 *          subscript) of a multi-dimensional one
	 *   row    the row of a multi-dimensional access, its other subscripts
	 *          combined: a*B + b for a[a][b][c] of [A][B][C]T (known false
	 *          for 1-D)
	 *   len    the length the index is checked against (known false if none)
	 *   base   the array's, or the slice's data, first element
	 * and the element's address is
	 *     base + row * row_size + index * elem_size + disp
	 * (elem_size 0 when unknown, as for a constant index into a slice: then
	 * disp is the whole offset and the address is still exact).
	 */
	struct gobin_lin index, row, len, base;
	bool at_access;			/* no bounds check: the probe is on the access */
	bool unchecked;			/* no check guards the access at all (a range loop) */
	bool outer;			/* of a 1-D array of structs, a field array's element
					 * (ts[i].arr[j]): row is the array's index, i */
	int dims;			/* subscripts: 1, 2 for a[r][c], 3 for a[i][j][k]... */
	uint64_t row_size;		/* bytes of a row (of the last dimension), else 0 */
	uint64_t elem_size;		/* 0 when unknown */
	int64_t disp;			/* byte offset inside the element (a field) */
	bool elem_size_from_scale;	/* no DWARF: elem_size is the access scale */
	uint32_t read_size;		/* bytes the access instruction reads or writes */

	/* The simple forms of the above, for a register or a constant as such
	 * (HS_REG_NONE and -1 or 0 otherwise). */
	int index_reg;
	int64_t index_const;
	int row_reg;			/* HS_REG_NONE and row_const -1 for 1-D */
	int64_t row_const;
	int len_reg;
	int64_t len_const;		/* -1 when len_reg is used */
	int64_t row_len;		/* the rows' bound (all of them), else 0 */
	int base_reg;
	uint64_t base_addr;		/* link-time address of the global array, else 0 */

	uint64_t access_vaddr;		/* the indexed memory instruction itself */
	int mem_base_reg;		/* its base register (may be loaded after vaddr) */
	int mem_index_reg;		/* its index register */
	int mem_scale;
	int64_t mem_disp;
	bool is_write;			/* the instruction stores to the element */
	uint64_t check_vaddr;		/* the CMP of the bounds check, 0 if none */
};

/*
 * A bounds check (a call of runtime.panicIndex or panicIndexU and the jumps
 * that lead to it) that is no access site, and why. Every such call of a
 * function is either reached by the jump of a site, or is one of these.
 */
struct gobin_skip {
	uint64_t vaddr;			/* the check's jump, or the panic call when no jump */
	uint64_t func_offset;
	const char *func;
	const char *file;
	int line;
	const char *inlined_from;
	const char *reason;		/* a static string: "the index is not in a register" */
	bool covered;			/* the row check of a 2-D site: part of that site */
};

/* Everything the site finder saw in a function. */
struct gobin_accesses {
	struct gobin_site *sites;	/* sorted by vaddr, one per probe address */
	size_t nsites;
	struct gobin_skip *skips;	/* checks that are not sites, by vaddr */
	size_t nskips;
	size_t nchecks;			/* calls of panicIndex(U) in the function */
	size_t nchecks_sited;		/* of those, reached from a site's jump or a covered row check */
};
void gobin_accesses_free(struct gobin_accesses *a);

/*
 * The place a function-entry uprobe should sit: the conditional jump of Go's
 * stack-check prologue (CMP SP, 16(R14); JBE morestack) when present, with
 * skip_if_any_set = CF|ZF so that the pass that goes to morestack (and then
 * re-enters the function, hitting the probe again) is not counted twice;
 * otherwise the function's first instruction with no skip flags. Arguments
 * are untouched at the JBE.
 */
int gobin__entry_site(const struct gobin *gb, const struct gobin_func *fn, struct gobin_site *out);

/*
 * The RET instructions of fn, in address order: *sites is malloc'ed (free()
 * it), *n its length; none is not an error (a function that never returns).
 * The whole body is decoded: -EILSEQ when some of it is not machine code
 * Capstone knows, since a RET after it would be missed.
 */
int gobin__ret_sites(const struct gobin *gb, const struct gobin_func *fn,
		     struct gobin_site **sites, size_t *n);
/*
 * Tail calls: direct JMPs out of fn's body, by which fn leaves without a
 * RET of its own. The first one's address goes to *first and its target's
 * name to *target (NULL if not a function entry). The count, or -errno.
 */
int gobin__tail_jumps(const struct gobin *gb, const struct gobin_func *fn, uint64_t *first,
		      const char **target);

/*
 * The bounds-checked indexed accesses of fn, sorted by vaddr, one per probe
 * address. *sites is malloc'ed (free() it); none is not an error.
 */
int gobin__func_access_sites(const struct gobin *gb, const struct gobin_func *fn,
			     struct gobin_site **sites, size_t *n);
/* The same with the checks that are not sites and why (gobin_accesses_free()). */
int gobin__func_accesses(const struct gobin *gb, const struct gobin_func *fn,
			 struct gobin_accesses *out);
/*
 * The accesses of a global array (or an array field of a global struct) in
 * every function: those whose base is the array's address. base_addr is
 * var->addr, disp the offset inside the element; without DWARF elem_size is
 * the one the machine code scales the index by (elem_size_from_scale).
 */
int gobin__var_access_sites(const struct gobin *gb, const struct gobin_var *var,
			    struct gobin_site **sites, size_t *n);
/*
 * The same for several globals in one pass over the machine code: each
 * site's var names the one it belongs to (a field path's global; sites are
 * in function order).
 */
int gobin__vars_access_sites(const struct gobin *gb, const struct gobin_var *vars,
			     size_t nvars, struct gobin_site **sites, size_t *n);

/*
 * Load bias of the binary at `path` as mapped in process pid: run-time
 * address minus link-time address (0 for a non-PIE executable). The mapping
 * is found by device and inode, so a path seen through /proc/PID/root or a
 * container works. 0, -ENOENT (not mapped), -errno reading /proc.
 */
int gobin_load_bias(const char *path, pid_t pid, uint64_t *bias);
/* The same for an open binary. */
int gobin__load_bias(const struct gobin *gb, pid_t pid, uint64_t *bias);

#endif /* HOTSPAN_RUNTIME_GOBIN_H */
