// SPDX-License-Identifier: MIT
/*
 * printf(): a record's arguments formatted with the script's format string,
 * as bpftrace 0.17 formats them.
 */
#ifndef HOTSPAN_PRINTF_H
#define HOTSPAN_PRINTF_H

#include <stddef.h>

#include "plan/plan.h"
#include "output/mapfmt.h"

/*
 * Formats pf->fmt with the arguments in args (size bytes, laid out at the
 * offsets of pf->args). Integers go to the C library's formatting the way
 * bpftrace hands them over: %d %i %u %x %X %o %c without a length take the
 * low 32 bits, h and hh narrow further, l and ll take all 64; %p prints an
 * address, %s a string up to its NUL, a probe's name for a VAL_SYM and a
 * stack for a VAL_STACK (through st). Flags - 0 + space #, width and
 * precision are the C library's. A NUL that %c produces ends that
 * conversion's text, as in bpftrace. `%%` prints one percent sign.
 *
 * Returns the text (malloc'd, NUL-terminated), or NULL and errno: EINVAL
 * when the record is shorter than pf->size.
 */
char *printf_render(const struct mapfmt_style *st, const struct plan_printf *pf,
		    const void *args, size_t size);

#endif
