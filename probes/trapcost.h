// SPDX-License-Identifier: MIT
/*
 * trapcost: what a uprobe hit costs the thread that takes it, on this
 * machine. The kernel runs a probed conditional jump, call or push itself
 * (emulated); any other instruction it copies out of line and single-steps,
 * a second trap. hotspan measures both kinds once in its own process, on two
 * instructions of its own, and tells a site's kind from its first bytes.
 */
#ifndef HOTSPAN_PROBES_TRAPCOST_H
#define HOTSPAN_PROBES_TRAPCOST_H

#include <stddef.h>
#include <stdint.h>

enum trap_kind {
	TRAP_EMULATED,	/* jcc, jmp, call, push, nop: one trap */
	TRAP_STEPPED,	/* everything else: a trap and a single step */
	TRAP_KINDS,
};

/* The kind of the instruction that starts at code (len bytes of it). */
enum trap_kind trapcost_classify(const uint8_t *code, size_t len);

/* The file and file offsets of hotspan's own instruction of each kind,
 * for a uprobe in this process. 0 or -errno. */
int trapcost_self_sites(char *path, size_t size, uint64_t off[TRAP_KINDS]);

/* Runs the instruction of that kind `calls` times; the calling thread's CPU
 * time (user and system, so a trap's handling counts) a call, in ns. */
double trapcost_run(enum trap_kind kind, unsigned calls);

#endif
