// SPDX-License-Identifier: MIT
/*
 * ustack: prints the user stacks that `ustack` keys name, with Go function
 * names and source lines read from the traced binary's .gopclntab.
 */
#ifndef HOTSPAN_USTACK_H
#define HOTSPAN_USTACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "bpf-lib/hotspan.bpf.h"
#include "plan/plan.h"

struct bpf_object;
struct ustack;

/*
 * A symboliser for the stacks of plan->stacks_map in a loaded obj. It keeps
 * what it learns per process (mappings, load bias) and per binary (opened
 * once), so printing many keys costs little. obj may be NULL: then only
 * ustack_print_addrs() has stacks to print. NULL and errno on failure
 * (ENOENT: the plan has no stack map, or obj does not hold it).
 */
struct ustack *ustack__new(const struct plan *plan, struct bpf_object *obj);
void ustack__free(struct ustack *u);

/*
 * Prints one stack key.
 *
 * Text (json false): as bpftrace 0.17 prints a ustack key inside `@m[...]`:
 * a newline, then one frame a line, each indented 4 spaces and ending with
 * a newline, so `@m[` KEY `]: 3` reads
 *
 *     @m[
 *         main.inner+0 (/src/app/main.go:78)
 *         main.work+18 (/src/app/main.go:83)
 *         main.main+85 (/src/app/main.go:152, inlined main.run)
 *     ]: 3
 *
 * A frame is `func+off` (off in decimal, from the function's entry, as
 * bpftrace prints it), then in parentheses the source line: of the
 * instruction for the top frame, of the call for the others, and the
 * inlined function that line belongs to when there is one. A frame in
 * another ELF file (a C library) is `symbol+off` from its symbol table,
 * without a line; one that nothing names is its address in hex
 * (`0x7f3a...`), as bpftrace prints what it cannot name. entry_ret, when
 * set, is printed as the second frame, and the top frame, in the function's
 * stack-check prologue, as func+0.
 *
 * JSON (json true): the same text, escaped to go between the quotes of a
 * JSON string (no quotes are written), which is how bpftrace -f json writes
 * a stack in a map's key.
 *
 * A stack that cannot be read (a negative stack_id, an id no longer in the
 * map) prints as nothing at all, as in bpftrace. 0, or -errno (-EIO when
 * out could not be written, -ENOMEM).
 */
int ustack_print(struct ustack *u, const struct hs_stack_key *key, bool json, FILE *out);

/* The same for a stack already read: addrs[0] is the top frame, a 0 ends
 * the stack early. For stacks that do not come from the map, and tests. */
int ustack_print_addrs(struct ustack *u, pid_t pid, const uint64_t *addrs, size_t n,
		       uint64_t entry_ret, bool json, FILE *out);

#endif
