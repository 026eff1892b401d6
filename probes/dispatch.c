// SPDX-License-Identifier: MIT
/*
 * The dispatcher, written as BPF instructions. A uprobe_multi link takes
 * one program for all its sites, and the programs of a session are only
 * compiled after the links are made (the kernel's first registration of a
 * process waits for an RCU grace period, which then overlaps compiling), so
 * every site is linked to this program, which picks the site's program out
 * of a program array.
 *
 * What it costs an event was measured with the kernel's BPF statistics on
 * this machine (AMD EPYC, Linux 6.18, retpolines and "safe RET"): a helper
 * call is about 20 ns, because every return in the kernel goes through the
 * SRSO thunk, and a tail call through a register index (an indirect jump,
 * a retpoline) about as much. So the program makes neither on its way:
 *  - the site is known by pt_regs ip, which the kernel sets to the probed
 *    address before running the program; in a position-dependent
 *    executable (Go's default on amd64) that is the site's link-time
 *    address. Only in a position-independent file, whose load address is
 *    not known when the program is made, and where one address has several
 *    probes, does it ask for the link's cookie (bpf_get_attach_cookie);
 *  - a binary search over the addresses, whose every leaf makes its tail
 *    call with a constant index: the verifier then turns each into a
 *    direct jump, patched when the array's slot is filled;
 *  - the site's hit counter is a slot of a per-CPU array with a constant
 *    key, a lookup the verifier inlines.
 * Before a slot is filled the tail call falls through and a hit is only
 * counted. Register use: r6 the context, r7 the key, r8 a key that does
 * not fit an immediate, r9 the cookie.
 */
#include "probes/dispatch.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "bpf-lib/hotspan.bpf.h"
#include "probes/uprobe_multi.h"

/* A jump's 16-bit offset reaches 32767 instructions, but the verifier
 * patches more in (inlined lookups, tail calls), so farther than this it
 * takes a gotol */
#define MAX_JUMP 8000
#define MAX_DIRECT 1000		/* the kernel patches at most 1024 tail calls a program */
#define COUNT_INSNS 10
#define DIRECT_INSNS 5		/* r1 = ctx; r2 = progs; r3 = slot; tail call */
#define FAR_INSNS 2		/* r3 = slot; goto the shared tail call */
#define SHARED_INSNS 6		/* r1 = ctx; r2 = progs; tail call; r0 = 0; exit */
#define EXIT_INSNS 2

struct emit {
	struct bpf_insn *insn;
	size_t n;
	size_t shared;		/* the shared tail call's first instruction */
	const struct dispatch_site *sites;	/* sorted by key, then slot */
	size_t *first;		/* distinct key k: its sites are first[k] .. first[k + 1] - 1 */
	size_t nkeys;
	int progs_fd, hits_fd;
};

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

static void put(struct emit *e, struct bpf_insn i)
{
	e->insn[e->n++] = i;
}

static void put_ld_map(struct emit *e, uint8_t dst, int fd)
{
	put(e, insn(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd));
	put(e, insn(0, 0, 0, 0, 0));
}

/* goto +off: a 16-bit offset where it reaches, else gotol (Linux 6.4). */
static void put_ja(struct emit *e, long off)
{
	if (off >= -MAX_JUMP && off <= MAX_JUMP)
		put(e, insn(BPF_JMP | BPF_JA, 0, 0, (int16_t)off, 0));
	else
		put(e, insn(BPF_JMP32 | BPF_JA, 0, 0, 0, (int32_t)off));
}

static bool fits_imm(uint64_t key)
{
	return key <= INT32_MAX;
}

/* Instructions of a compare of r7 with key. */
static size_t cmp_size(uint64_t key)
{
	return fits_imm(key) ? 1 : 3;
}

/* if (r7 op key) goto +off */
static void put_cmp(struct emit *e, uint8_t op, uint64_t key, int16_t off)
{
	if (fits_imm(key)) {
		put(e, insn(BPF_JMP | op | BPF_K, BPF_REG_7, 0, off, (int32_t)key));
		return;
	}
	put(e, insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_8, 0, 0, (int32_t)(uint32_t)key));
	put(e, insn(0, 0, 0, 0, (int32_t)(uint32_t)(key >> 32)));
	put(e, insn(BPF_JMP | op | BPF_X, BPF_REG_7, BPF_REG_8, off, 0));
}

/*
 * Site i's tail call: one of its own with a constant index, which the
 * kernel patches into a direct jump, for the first MAX_DIRECT sites; past
 * them the shared one, whose index varies (an indirect jump).
 */
static bool direct(size_t i)
{
	return i < MAX_DIRECT;
}

static size_t body_size(size_t i)
{
	return COUNT_INSNS + (direct(i) ? DIRECT_INSNS : FAR_INSNS);
}

/* hits[slot] += 1; then the tail call to progs[slot]. */
static void put_body(struct emit *e, size_t i)
{
	uint32_t slot = e->sites[i].slot;

	put(e, insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, (int32_t)slot));
	put(e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0));
	put(e, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4));
	put_ld_map(e, BPF_REG_1, e->hits_fd);
	put(e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
	put(e, insn(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 3, 0));
	put(e, insn(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_0, 0, 0));
	put(e, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1));
	put(e, insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_1, 0, 0));
	put(e, insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, (int32_t)slot));
	if (!direct(i)) {
		put_ja(e, (long)e->shared - (long)(e->n + 1));
		return;
	}
	put(e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
	put_ld_map(e, BPF_REG_2, e->progs_fd);
	put(e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
}

static void put_exit(struct emit *e)
{
	put(e, insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0));
	put(e, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Distinct key k's leaf: its test, then its site's body, or the cookie and
 * a test and a body for each of its sites; then the exit. */
static size_t leaf_size(const struct emit *e, size_t k)
{
	size_t from = e->first[k], to = e->first[k + 1];
	size_t size = cmp_size(e->sites[from].key) + EXIT_INSNS;

	if (to - from == 1)
		return size + body_size(from);
	size += 2;
	for (size_t i = from; i < to; i++)
		size += 1 + body_size(i);
	return size;
}

/* Distinct keys lo .. hi - 1: a leaf, or a test and two halves. */
static size_t tree_size(const struct emit *e, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, left;

	if (hi - lo == 1)
		return leaf_size(e, lo);
	left = tree_size(e, lo, mid);
	if (left <= MAX_JUMP)
		return cmp_size(e->sites[e->first[mid]].key) + left + tree_size(e, mid, hi);
	return cmp_size(e->sites[e->first[mid]].key) + 1 + left + tree_size(e, mid, hi);
}

static void put_leaf(struct emit *e, size_t k)
{
	size_t from = e->first[k], to = e->first[k + 1];

	if (to - from == 1) {
		put_cmp(e, BPF_JNE, e->sites[from].key, (int16_t)body_size(from));
		put_body(e, from);
		put_exit(e);
		return;
	}
	put_cmp(e, BPF_JNE, e->sites[from].key, (int16_t)(leaf_size(e, k) - EXIT_INSNS -
							     cmp_size(e->sites[from].key)));
	put(e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_attach_cookie));
	put(e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_9, BPF_REG_0, 0, 0));
	for (size_t i = from; i < to; i++) {
		/* An empty slot falls through to the next test. */
		put(e, insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_9, 0, (int16_t)body_size(i),
			    (int32_t)e->sites[i].slot));
		put_body(e, i);
	}
	put_exit(e);
}

static void put_tree(struct emit *e, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, left;
	uint64_t key;

	if (hi - lo == 1) {
		put_leaf(e, lo);
		return;
	}
	key = e->sites[e->first[mid]].key;
	left = tree_size(e, lo, mid);
	if (left <= MAX_JUMP) {
		put_cmp(e, BPF_JGE, key, (int16_t)left);
	} else {
		/* if (r7 < key) goto left; gotol right */
		put_cmp(e, BPF_JLT, key, 1);
		put(e, insn(BPF_JMP32 | BPF_JA, 0, 0, 0, (int32_t)left));
	}
	put_tree(e, lo, mid);
	put_tree(e, mid, hi);
}

static int by_key(const void *a, const void *b)
{
	const struct dispatch_site *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->slot > y->slot) - (x->slot < y->slot);
}

int dispatch_load(struct dispatch_site *sites, size_t n, bool by_ip, int progs_fd, int hits_fd,
		  bool multi)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	struct emit e = { .sites = sites, .progs_fd = progs_fd, .hits_fd = hits_fd };
	size_t size;
	int fd;

	if (multi)
		opts.expected_attach_type = (enum bpf_attach_type)HS_BPF_TRACE_UPROBE_MULTI;
	if (!by_ip)
		for (size_t i = 0; i < n; i++)
			sites[i].key = sites[i].slot;
	qsort(sites, n, sizeof(*sites), by_key);
	e.first = malloc((n + 1) * sizeof(*e.first));
	if (!e.first)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!i || sites[i].key != sites[i - 1].key)
			e.first[e.nkeys++] = i;
	e.first[e.nkeys] = n;
	/* the prologue is at most 3 instructions, then the shared tail call
	 * and a jump over it */
	size = 3 + 2 + SHARED_INSNS + (e.nkeys ? tree_size(&e, 0, e.nkeys) : EXIT_INSNS);
	e.insn = calloc(size, sizeof(*e.insn));
	if (!e.insn) {
		free(e.first);
		return -ENOMEM;
	}
	put(&e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0));
	if (by_ip) {
		put(&e, insn(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_7, BPF_REG_6, HS_REG_IP, 0));
	} else {
		put(&e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_attach_cookie));
		put(&e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0));
	}
	if (n > MAX_DIRECT) {
		put_ja(&e, SHARED_INSNS);
		e.shared = e.n;
		put(&e, insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
		put_ld_map(&e, BPF_REG_2, e.progs_fd);
		put(&e, insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
		put_exit(&e);
	}
	if (e.nkeys)
		put_tree(&e, 0, e.nkeys);
	else
		put_exit(&e);
	fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "hs_dispatch", "GPL", e.insn, e.n, &opts);
	if (fd < 0)
		fd = -errno;
	free(e.insn);
	free(e.first);
	return fd;
}
