// SPDX-License-Identifier: MIT
/*
 * ustack: prints the user stacks that `ustack` keys name, with Go function
 * names and source lines read from the traced binary's .gopclntab.
 */
#ifndef HOTSPAN_USTACK_H
#define HOTSPAN_USTACK_H

#include <stdbool.h>
#include <stdio.h>

#include "bpf-lib/hotspan.bpf.h"
#include "compiler/plan.h"

struct bpf_object;
struct ustack;

/*
 * A symboliser for the stacks of plan->stacks_map in a loaded obj. It keeps
 * what it learns per process (mappings, load bias) and per binary (opened
 * once), so printing many keys costs little. NULL and errno on failure
 * (ENOENT: the plan has no stack map, or obj does not hold it).
 */
struct ustack *ustack_new(const struct plan *plan, struct bpf_object *obj);
void ustack_free(struct ustack *u);

/*
 * Prints one stack key.
 *
 * Text (json false): as bpftrace prints a ustack key inside `@m[...]`: a
 * newline, then one frame a line, each indented 8 spaces and ending with a
 * newline, so `@m[` KEY `]: 3` reads
 *
 *     @m[
 *             main.work+20 (/src/app/main.go:31)
 *             main.main+85 (/src/app/main.go:52)
 *     ]: 3
 *
 * A frame is `func+off` (off in decimal, as bpftrace prints it) and the
 * source position in parentheses; a frame that is in no known function is
 * its address in hex. entry_ret, when set, is printed as the second frame.
 *
 * JSON (json true): the same text, escaped to go between the quotes of a
 * JSON string (no quotes are written), as bpftrace -f json writes a stack
 * in a map's key.
 *
 * 0, or -errno when out could not be written. A stack that cannot be read
 * (negative stack_id, an id no longer in the map) prints as bpftrace does:
 * no frames.
 */
int ustack_print(struct ustack *u, const struct hs_stack_key *key, bool json, FILE *out);

#endif
