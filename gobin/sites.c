// SPDX-License-Identifier: MIT
/*
 * gobin_sites: where uprobes sit in Go machine code.
 *
 * A function's bytes are decoded with Capstone (Intel operand order: the
 * first operand of CMP is the left side). Three kinds of places are found.
 *
 * Entry: Go's stack-check prologue, "CMP RSP, [R14+16]; JBE morestack" (or
 * "LEA R12, [RSP-n]; CMP R12, [R14+16]; JBE" for frames over 128 bytes, and
 * a "SUB R12, n; JB" guard before it for huge ones). The probe sits on the
 * JBE: the kernel emulates a Jcc instead of single-stepping it, and the
 * argument registers are untouched there.
 *
 * Returns: every RET of the function. The whole body must decode, or a RET
 * after the first byte Capstone does not know would be missed. A direct JMP
 * out of the body is a tail call: the function leaves without a RET.
 *
 * Accesses: a bounds check is a CMP followed by an unsigned Jcc one of whose
 * two paths calls runtime.panicIndex or runtime.panicIndexU within a few
 * instructions. Which side of the CMP is the index follows from the Jcc and
 * the side that panics ("CMP idx, len; JAE panic" or "CMP len, idx; JBE
 * panic"). From the Jcc on, the access path is followed through straight
 * code with a small symbolic evaluator: every general register holds either
 * an unknown value or a linear form
 *     c + regs[r] at the probe + k0 * index + k1 * index2
 * updated through MOV, LEA, ADD, SUB, SHL, IMUL, INC, DEC, XOR r,r. The first
 * memory operand whose address depends on an index is the access: its
 * coefficient is the element size, c the array's (or field's) address when it
 * came from a RIP-relative LEA, r the register holding the slice or array
 * base. A second bounds check met on the way whose index combines with the
 * first one in the address makes the access two-dimensional; its probe then
 * sits on the second check's Jcc, where both indices are live.
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin_internal.h"

#define NSLOTS       21		/* pt_regs offsets / 8 up to ss */
#define SLOT_SP      (HS_REG_SP / 8)
#define MAX_PATH     48		/* instructions followed from a check to its access */
#define MAX_PANIC    8		/* instructions from a branch to the panic call */

struct dis {
	csh h;
	cs_insn *insn;
	size_t n;
	const int8_t *slot;	/* Capstone register to pt_regs slot, or -1 */
	const bool *wide;	/* a 32- or 64-bit register: writes replace it all */
};

/* The register tables of struct dis, the same for every function: made once. */
static int8_t reg_slot[X86_REG_ENDING];
static bool reg_wide[X86_REG_ENDING];
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;

static void reg_tables(void)
{
	csh h;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
		memset(reg_slot, -1, sizeof(reg_slot));
		return;
	}
	for (int r = 0; r < X86_REG_ENDING; r++) {
		const char *name = cs_reg_name(h, r);
		int off = gobin_reg_offset(name);

		reg_slot[r] = off >= 0 && off <= HS_REG_SS ? off / 8 : -1;
		/* rax/eax/r8/r8d: a write replaces (or zero-extends into) all of it. */
		reg_wide[r] = name && (name[0] == 'e' || (name[0] == 'r' &&
			      name[strlen(name) - 1] != 'w' && name[strlen(name) - 1] != 'b'));
	}
	cs_close(&h);
}

static void site_init(struct gobin_site *s)
{
	memset(s, 0, sizeof(*s));
	s->index_reg = HS_REG_NONE;
	s->row_reg = HS_REG_NONE;
	s->row_const = -1;
	s->len_reg = HS_REG_NONE;
	s->len_const = -1;
	s->base_reg = HS_REG_NONE;
	s->mem_base_reg = HS_REG_NONE;
	s->mem_index_reg = HS_REG_NONE;
}

static int dis_open(struct dis *d, const struct gobin *gb, uint64_t addr, uint64_t size)
{
	const uint8_t *code = gobin_vaddr_bytes(gb, addr, size);

	memset(d, 0, sizeof(*d));
	if (!code || !size)
		return -ENOENT;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->h) != CS_ERR_OK)
		return -ENOMEM;
	cs_option(d->h, CS_OPT_DETAIL, CS_OPT_ON);
	pthread_once(&reg_once, reg_tables);
	d->slot = reg_slot;
	d->wide = reg_wide;
	/* Decoding stops at the first byte that is not an instruction (padding). */
	d->n = cs_disasm(d->h, code, size, addr, 0, &d->insn);
	if (!d->n) {
		cs_close(&d->h);
		return -ENOENT;
	}
	return 0;
}

static void dis_close(struct dis *d)
{
	if (d->insn)
		cs_free(d->insn, d->n);
	if (d->h)
		cs_close(&d->h);
}

/* Index of the instruction at addr, or -1. */
static ssize_t dis_find(const struct dis *d, uint64_t addr)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->insn[mid].address < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n && d->insn[lo].address == addr ? (ssize_t)lo : -1;
}

static const cs_x86 *x86(const cs_insn *i)
{
	return &i->detail->x86;
}

static bool is_jcc(const cs_insn *i)
{
	switch (i->id) {
	case X86_INS_JAE: case X86_INS_JA: case X86_INS_JBE: case X86_INS_JB:
	case X86_INS_JE: case X86_INS_JNE: case X86_INS_JGE: case X86_INS_JG:
	case X86_INS_JLE: case X86_INS_JL: case X86_INS_JNO: case X86_INS_JNP:
	case X86_INS_JNS: case X86_INS_JO: case X86_INS_JP: case X86_INS_JS:
		return true;
	default:
		return false;
	}
}

static bool branch_target(const cs_insn *i, uint64_t *target)
{
	const cs_x86 *x = x86(i);

	if (x->op_count != 1 || x->operands[0].type != X86_OP_IMM)
		return false;
	*target = x->operands[0].imm;
	return true;
}

static bool writes_flags(const cs_insn *i)
{
	return x86(i)->eflags != 0 && i->id != X86_INS_NOP;
}

static const char *callee_name(const struct gobin *gb, const cs_insn *i)
{
	uint64_t target;
	ssize_t f;

	if (i->id != X86_INS_CALL || !branch_target(i, &target))
		return NULL;
	f = gobin_fn_index(gb, target);
	if (f < 0 || gb->fns[f].addr != target)
		return NULL;
	return gb->fns[f].name;
}

/*
 * Entry sites.
 */

static bool is_stackguard(const cs_insn *i)
{
	const cs_x86 *x = x86(i);

	/* CMP reg, qword ptr [r14 + 0x10]: g.stackguard0 */
	return i->id == X86_INS_CMP && x->op_count == 2 && x->operands[0].type == X86_OP_REG &&
	       x->operands[1].type == X86_OP_MEM && x->operands[1].mem.base == X86_REG_R14 &&
	       x->operands[1].mem.index == X86_REG_INVALID && x->operands[1].mem.disp == 16;
}

int gobin__entry_site(const struct gobin *gb, const struct gobin_func *fn, struct gobin_site *out)
{
	struct dis d;
	uint64_t size;
	int err;

	if (!gb || !fn || !out)
		return -EINVAL;
	site_init(out);
	out->kind = GOBIN_SITE_ENTRY;
	out->vaddr = fn->addr;
	out->func = fn->name;
	err = gobin__vaddr_to_offset(gb, fn->addr, &out->file_offset);
	if (err)
		return err;
	/* The prologue is at most 5 instructions of at most 15 bytes. */
	size = fn->size && fn->size < 64 ? fn->size : 64;
	if (dis_open(&d, gb, fn->addr, size))
		return 0;
	for (size_t k = 0; k + 1 < d.n && k < 5; k++) {
		const cs_insn *c = &d.insn[k], *j = &d.insn[k + 1];
		uint64_t target;

		if (!is_stackguard(c))
			continue;
		/* JBE to the morestack call inside the function. */
		if (j->id != X86_INS_JBE || !branch_target(j, &target) || target <= fn->addr ||
		    (fn->size && target >= fn->addr + fn->size))
			break;
		out->vaddr = j->address;
		out->func_offset = j->address - fn->addr;
		out->skip_if_any_set = HS_FLAG_CF | HS_FLAG_ZF;
		out->check_vaddr = c->address;
		err = gobin__vaddr_to_offset(gb, j->address, &out->file_offset);
		break;
	}
	dis_close(&d);
	return err;
}

static int push_site(struct gobin_site **sites, size_t *n, size_t *cap,
		     const struct gobin_site *s)
{
	if (*n == *cap) {
		struct gobin_site *ns;

		*cap = *cap ? *cap * 2 : 8;
		ns = realloc(*sites, *cap * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		*sites = ns;
	}
	(*sites)[(*n)++] = *s;
	return 0;
}

static void site_position(const struct gobin *gb, struct gobin_site *s, uint64_t pc)
{
	const char *file, *func;
	int line;

	if (gobin__addr_to_line(gb, pc, &file, &line, &func))
		return;
	s->file = file;
	s->line = line;
	s->inlined_from = func && strcmp(func, s->func) ? func : NULL;
}

/* Did decoding reach the end of fn? It stops at the first byte it cannot decode. */
static bool dis_whole(const struct dis *d, const struct gobin_func *fn)
{
	const cs_insn *last = &d->insn[d->n - 1];

	return last->address + last->size >= fn->addr + fn->size;
}

int gobin__tail_jumps(const struct gobin *gb, const struct gobin_func *fn, uint64_t *first,
		      const char **target)
{
	struct dis d;
	int n = 0, err;

	if (!gb || !fn || !first || !target)
		return -EINVAL;
	*first = 0;
	*target = NULL;
	err = dis_open(&d, gb, fn->addr, fn->size);
	if (err)
		return err;
	for (size_t k = 0; k < d.n; k++) {
		uint64_t to;
		ssize_t f;

		if (d.insn[k].id != X86_INS_JMP || !branch_target(&d.insn[k], &to) ||
		    (to >= fn->addr && to < fn->addr + fn->size))
			continue;
		if (!n++) {
			*first = d.insn[k].address;
			f = gobin_fn_index(gb, to);
			*target = f >= 0 && gb->fns[f].addr == to ? gb->fns[f].name : NULL;
		}
	}
	dis_close(&d);
	return n;
}

int gobin__ret_sites(const struct gobin *gb, const struct gobin_func *fn,
		     struct gobin_site **sites, size_t *n)
{
	size_t cap = 0;
	struct dis d;
	int err = 0;

	if (!gb || !fn || !sites || !n)
		return -EINVAL;
	*sites = NULL;
	*n = 0;
	err = dis_open(&d, gb, fn->addr, fn->size);
	if (err)
		return err;
	if (!dis_whole(&d, fn))
		err = -EILSEQ;
	for (size_t k = 0; k < d.n && !err; k++) {
		struct gobin_site s;

		if (d.insn[k].id != X86_INS_RET)
			continue;
		site_init(&s);
		s.kind = GOBIN_SITE_RET;
		s.vaddr = d.insn[k].address;
		s.func = fn->name;
		s.func_offset = s.vaddr - fn->addr;
		site_position(gb, &s, s.vaddr);
		err = gobin__vaddr_to_offset(gb, s.vaddr, &s.file_offset);
		if (!err)
			err = push_site(sites, n, &cap, &s);
	}
	dis_close(&d);
	if (err) {
		free(*sites);
		*sites = NULL;
		*n = 0;
	}
	return err;
}

/*
 * Bounds checks.
 */

struct check {
	size_t cmp, jcc;		/* instruction indices */
	const cs_x86_op *idx, *len;	/* operands of the CMP */
	uint64_t skip_any, skip_all;
	uint64_t access_path;		/* where the access continues after the Jcc */
};

/* Does the code from addr reach a call of runtime.panicIndex(U) in a few steps? */
static bool reaches_panic(const struct gobin *gb, const struct dis *d, uint64_t addr)
{
	ssize_t k = dis_find(d, addr);

	for (int steps = 0; k >= 0 && (size_t)k < d->n && steps < MAX_PANIC; steps++) {
		const cs_insn *i = &d->insn[k];
		uint64_t target;

		if (i->id == X86_INS_CALL) {
			const char *name = callee_name(gb, i);

			return name && (!strcmp(name, "runtime.panicIndex") ||
					!strcmp(name, "runtime.panicIndexU"));
		}
		if (i->id == X86_INS_JMP) {
			if (!branch_target(i, &target))
				return false;
			k = dis_find(d, target);
			continue;
		}
		if (i->id == X86_INS_RET || is_jcc(i))
			return false;
		k++;
	}
	return false;
}

/*
 * Is instruction k a bounds check's Jcc? Fills c. The CMP may be separated
 * from the Jcc by instructions that leave the flags alone.
 */
static bool find_check(const struct gobin *gb, const struct dis *d, size_t k, struct check *c)
{
	const cs_insn *j = &d->insn[k], *cmp = NULL;
	bool taken_panics, access_cf;
	uint64_t target;
	size_t m;

	if (!is_jcc(j) || (j->id != X86_INS_JAE && j->id != X86_INS_JB &&
			   j->id != X86_INS_JBE && j->id != X86_INS_JA))
		return false;
	for (m = k; m > 0 && k - m < 4; m--) {
		const cs_insn *p = &d->insn[m - 1];

		if (p->id == X86_INS_CMP) {
			cmp = p;
			break;
		}
		if (writes_flags(p) || p->id == X86_INS_CALL || p->id == X86_INS_JMP || is_jcc(p))
			return false;
	}
	if (!cmp || x86(cmp)->op_count != 2 || !branch_target(j, &target) || k + 1 >= d->n)
		return false;
	if (reaches_panic(gb, d, target))
		taken_panics = true;
	else if (reaches_panic(gb, d, d->insn[k + 1].address))
		taken_panics = false;
	else
		return false;
	/*
	 * Access happens when the index is below the length. With CMP a, b:
	 * CF set means a < b (a is the index), CF and ZF clear mean a > b
	 * (b is the index). Other conditions are slice bounds, not accesses.
	 */
	switch (j->id) {
	case X86_INS_JAE:	/* taken: !CF */
		if (!taken_panics)
			return false;
		access_cf = true;
		break;
	case X86_INS_JB:	/* taken: CF */
		if (taken_panics)
			return false;
		access_cf = true;
		break;
	case X86_INS_JBE:	/* taken: CF|ZF */
		if (!taken_panics)
			return false;
		access_cf = false;
		break;
	default:		/* JA, taken: !CF && !ZF */
		if (taken_panics)
			return false;
		access_cf = false;
		break;
	}
	memset(c, 0, sizeof(*c));
	c->cmp = m - 1;
	c->jcc = k;
	if (access_cf) {
		c->idx = &x86(cmp)->operands[0];
		c->len = &x86(cmp)->operands[1];
		c->skip_all = HS_FLAG_CF;
	} else {
		c->len = &x86(cmp)->operands[0];
		c->idx = &x86(cmp)->operands[1];
		c->skip_any = HS_FLAG_CF | HS_FLAG_ZF;
	}
	c->access_path = taken_panics ? d->insn[k + 1].address : target;
	return c->idx->type == X86_OP_REG && d->slot[c->idx->reg] >= 0;
}

/* A linear form c + regs[reg] (at the probe) + k[0] * index + k[1] * index2. */
struct lin {
	bool known;
	bool c_addr;		/* c is an address from a RIP-relative operand */
	int8_t reg;		/* pt_regs slot, or -1 */
	int64_t c;
	int64_t k[2];
};

static const struct lin unknown_lin;

static struct lin lin_const(int64_t c)
{
	return (struct lin){ .known = true, .reg = -1, .c = c };
}

static struct lin lin_add(struct lin a, struct lin b)
{
	if (!a.known || !b.known || (a.reg >= 0 && b.reg >= 0) || (a.c_addr && b.c_addr))
		return unknown_lin;
	a.c += b.c;
	a.c_addr |= b.c_addr;
	if (a.reg < 0)
		a.reg = b.reg;
	a.k[0] += b.k[0];
	a.k[1] += b.k[1];
	return a;
}

static struct lin lin_mul(struct lin a, int64_t m)
{
	if (m == 1)
		return a;
	if (!a.known || a.reg >= 0 || a.c_addr)
		return unknown_lin;
	a.c *= m;
	a.k[0] *= m;
	a.k[1] *= m;
	return a;
}

static bool lin_is(const struct lin *a, int64_t k0, int64_t k1, int reg)
{
	return a->known && !a->c && !a->c_addr && a->k[0] == k0 && a->k[1] == k1 &&
	       a->reg == reg;
}

struct eval {
	const struct dis *d;
	struct lin st[NSLOTS];
};

static struct lin reg_lin(const struct eval *e, x86_reg r)
{
	int s = r < X86_REG_ENDING ? e->d->slot[r] : -1;

	if (r == X86_REG_INVALID)
		return lin_const(0);
	if (s < 0 || s == SLOT_SP || !e->d->wide[r])
		return unknown_lin;
	return e->st[s];
}

static struct lin op_lin(const struct eval *e, const cs_x86_op *op)
{
	if (op->type == X86_OP_IMM)
		return lin_const(op->imm);
	if (op->type == X86_OP_REG)
		return reg_lin(e, op->reg);
	return unknown_lin;
}

/* The address a memory operand names, as a linear form. */
static struct lin mem_lin(const struct eval *e, const cs_insn *i, const x86_op_mem *m)
{
	struct lin base, idx;

	if (m->segment != X86_REG_INVALID)
		return unknown_lin;
	if (m->base == X86_REG_RIP) {
		base = lin_const(i->address + i->size);
		base.c_addr = true;
	} else {
		base = reg_lin(e, m->base);
	}
	idx = lin_mul(reg_lin(e, m->index), m->index == X86_REG_INVALID ? 1 : m->scale);
	return lin_add(lin_add(base, idx), lin_const(m->disp));
}

static void set_reg(struct eval *e, x86_reg r, struct lin v)
{
	int s = r < X86_REG_ENDING ? e->d->slot[r] : -1;

	if (s < 0)
		return;
	/* A write to a byte or word register keeps the rest: the sum is lost. */
	e->st[s] = e->d->wide[r] ? v : unknown_lin;
}

/* One instruction's effect on the registers. */
static void eval_insn(struct eval *e, const cs_insn *i)
{
	const cs_x86 *x = x86(i);
	const cs_x86_op *o0 = &x->operands[0], *o1 = &x->operands[1];
	bool reg0 = x->op_count >= 1 && o0->type == X86_OP_REG;
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	switch (i->id) {
	case X86_INS_NOP:
	case X86_INS_CMP:
	case X86_INS_TEST:
		return;
	case X86_INS_MOV:
	case X86_INS_MOVSXD:
	case X86_INS_MOVSX:
	case X86_INS_MOVZX:
		if (reg0 && x->op_count == 2 && o1->type != X86_OP_MEM) {
			set_reg(e, o0->reg, op_lin(e, o1));
			return;
		}
		break;
	case X86_INS_LEA:
		if (reg0 && x->op_count == 2 && o1->type == X86_OP_MEM) {
			set_reg(e, o0->reg, mem_lin(e, i, &o1->mem));
			return;
		}
		break;
	case X86_INS_ADD:
		if (reg0 && x->op_count == 2 && o1->type != X86_OP_MEM) {
			set_reg(e, o0->reg, lin_add(reg_lin(e, o0->reg), op_lin(e, o1)));
			return;
		}
		break;
	case X86_INS_SUB:
		if (reg0 && x->op_count == 2 && o1->type == X86_OP_IMM) {
			set_reg(e, o0->reg, lin_add(reg_lin(e, o0->reg), lin_const(-o1->imm)));
			return;
		}
		break;
	case X86_INS_INC:
	case X86_INS_DEC:
		if (reg0 && x->op_count == 1) {
			set_reg(e, o0->reg, lin_add(reg_lin(e, o0->reg),
						    lin_const(i->id == X86_INS_INC ? 1 : -1)));
			return;
		}
		break;
	case X86_INS_SHL:
		if (reg0 && x->op_count == 2 && o1->type == X86_OP_IMM && o1->imm < 32) {
			set_reg(e, o0->reg, lin_mul(reg_lin(e, o0->reg), 1LL << o1->imm));
			return;
		}
		break;
	case X86_INS_IMUL:
		if (reg0 && x->op_count == 3 && x->operands[2].type == X86_OP_IMM &&
		    o1->type == X86_OP_REG) {
			set_reg(e, o0->reg, lin_mul(reg_lin(e, o1->reg), x->operands[2].imm));
			return;
		}
		break;
	case X86_INS_XOR:
		if (reg0 && x->op_count == 2 && o1->type == X86_OP_REG && o1->reg == o0->reg) {
			set_reg(e, o0->reg, lin_const(0));
			return;
		}
		break;
	default:
		break;
	}
	if (cs_regs_access(e->d->h, i, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
		for (int s = 0; s < NSLOTS; s++)
			e->st[s] = unknown_lin;
		return;
	}
	for (uint8_t w = 0; w < nwr; w++) {
		int s = wr[w] < X86_REG_ENDING ? e->d->slot[wr[w]] : -1;

		if (s >= 0)
			e->st[s] = unknown_lin;
	}
}

static int ptregs(int slot)
{
	return slot >= 0 ? slot * 8 : HS_REG_NONE;
}

static void len_from(const struct dis *d, const cs_x86_op *op, int *reg, int64_t *c)
{
	*reg = HS_REG_NONE;
	*c = -1;
	if (op->type == X86_OP_IMM)
		*c = op->imm;
	else if (op->type == X86_OP_REG && d->wide[op->reg])
		*reg = ptregs(d->slot[op->reg]);
}

/*
 * Follow the access path of the check at instruction index k. Returns 1 and
 * fills s when an access was found that belongs to this check.
 */
static int follow_check(const struct gobin *gb, const struct dis *d, const struct check *c,
			struct gobin_site *s)
{
	struct eval e = { .d = d };
	struct lin snap[NSLOTS];
	struct check c2 = { 0 };
	bool have2 = false;
	ssize_t k;

	for (int r = 0; r < NSLOTS; r++)
		e.st[r] = (struct lin){ .known = true, .reg = r };
	/* The index register must still hold the index at the Jcc. */
	for (size_t m = c->cmp + 1; m < c->jcc; m++)
		eval_insn(&e, &d->insn[m]);
	if (!lin_is(&e.st[d->slot[c->idx->reg]], 0, 0, d->slot[c->idx->reg]))
		return 0;
	e.st[d->slot[c->idx->reg]] = (struct lin){ .known = true, .reg = -1, .k = { 1, 0 } };

	k = dis_find(d, c->access_path);
	for (int steps = 0; k >= 0 && (size_t)k < d->n && steps < MAX_PATH; steps++) {
		const cs_insn *i = &d->insn[k];
		const cs_x86 *x = x86(i);
		uint64_t target;

		if (i->id == X86_INS_CALL || i->id == X86_INS_RET || i->id == X86_INS_INT3 ||
		    i->id == X86_INS_UD2)
			return 0;
		if (i->id == X86_INS_JMP) {
			if (!branch_target(i, &target))
				return 0;
			k = dis_find(d, target);
			continue;
		}
		if (is_jcc(i)) {
			struct check cc;

			if (find_check(gb, d, k, &cc)) {
				if (have2)
					return 0;	/* three dimensions: not handled */
				have2 = true;
				c2 = cc;
				memcpy(snap, e.st, sizeof(snap));
				e.st[d->slot[c2.idx->reg]] =
					(struct lin){ .known = true, .reg = -1, .k = { 0, 1 } };
				k = dis_find(d, c2.access_path);
				continue;
			}
			/* Another condition (a write barrier test): go straight on. */
			k++;
			continue;
		}
		for (int o = 0; o < x->op_count && i->id != X86_INS_LEA; o++) {
			const cs_x86_op *op = &x->operands[o];
			struct lin a;

			if (op->type != X86_OP_MEM)
				continue;
			a = mem_lin(&e, i, &op->mem);
			if (!a.known) {
				/* An unknown base with a known scaled index. */
				struct lin ix = lin_mul(reg_lin(&e, op->mem.index), op->mem.scale);

				if (op->mem.index == X86_REG_INVALID || !ix.known ||
				    (!ix.k[0] && !ix.k[1]) || ix.reg >= 0 || ix.c_addr)
					continue;
				a = ix;
				a.reg = -2;	/* the base is not known at the probe */
				a.c += op->mem.disp;
			}
			if (!a.k[0] && !a.k[1])
				continue;
			if (!a.k[0])
				return 0;	/* the later check's own access */
			s->access_vaddr = i->address;
			s->mem_base_reg = op->mem.base == X86_REG_RIP ? HS_REG_IP :
					  ptregs(d->slot[op->mem.base]);
			s->mem_index_reg = op->mem.index == X86_REG_INVALID ? HS_REG_NONE :
					   ptregs(d->slot[op->mem.index]);
			s->mem_scale = op->mem.index == X86_REG_INVALID ? 0 : op->mem.scale;
			s->mem_disp = op->mem.disp;
			s->is_write = op->access & CS_AC_WRITE;
			if (a.c_addr) {
				s->base_addr = a.c;
				s->disp = 0;
			} else {
				s->disp = a.c;
			}
			if (!a.k[1]) {
				/* One dimension: the probe on this check's Jcc. */
				const cs_insn *j = &d->insn[c->jcc];

				s->vaddr = j->address;
				s->check_vaddr = d->insn[c->cmp].address;
				s->index_reg = ptregs(d->slot[c->idx->reg]);
				len_from(d, c->len, &s->len_reg, &s->len_const);
				s->skip_if_any_set = c->skip_any;
				s->skip_if_all_clear = c->skip_all;
				s->elem_size = a.k[0];
				s->base_reg = ptregs(a.reg >= 0 ? a.reg : -1);
				return 1;
			}
			/* Two dimensions: the probe on the second check, both indices live. */
			s->vaddr = d->insn[c2.jcc].address;
			s->check_vaddr = d->insn[c2.cmp].address;
			s->index_reg = ptregs(d->slot[c2.idx->reg]);
			len_from(d, c2.len, &s->len_reg, &s->len_const);
			s->skip_if_any_set = c2.skip_any;
			s->skip_if_all_clear = c2.skip_all;
			s->elem_size = a.k[1];
			s->row_size = a.k[0];
			if (c->len->type == X86_OP_IMM)
				s->row_len = c->len->imm;
			for (int r = 0; r < NSLOTS; r++)
				if (r != SLOT_SP && lin_is(&snap[r], 1, 0, -1))
					s->row_reg = ptregs(r);
			if (s->row_reg == HS_REG_NONE)
				return 0;
			s->row_const = -1;
			/* The base register as it is at the second check. */
			if (a.reg >= 0)
				for (int r = 0; r < NSLOTS; r++)
					if (r != SLOT_SP && lin_is(&snap[r], 0, 0, a.reg))
						s->base_reg = ptregs(r);
			return 1;
		}
		eval_insn(&e, i);
		k++;
	}
	return 0;
}

static int cmp_site(const void *a, const void *b)
{
	const struct gobin_site *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	/* Two-dimensional first: it is kept. */
	return (y->row_size != 0) - (x->row_size != 0);
}

int gobin_func_sites(const struct gobin *gb, const struct gobin_func *fn,
		     struct gobin_site **sites, size_t *n)
{
	size_t cap = 0, w = 0;
	struct dis d;
	int err = 0;

	*sites = NULL;
	*n = 0;
	if (dis_open(&d, gb, fn->addr, fn->size))
		return 0;
	for (size_t k = 0; k < d.n && !err; k++) {
		struct gobin_site s;
		struct check c;

		if (!find_check(gb, &d, k, &c))
			continue;
		site_init(&s);
		s.kind = GOBIN_SITE_ACCESS;
		s.func = fn->name;
		if (follow_check(gb, &d, &c, &s) != 1)
			continue;
		s.func_offset = s.vaddr - fn->addr;
		site_position(gb, &s, s.access_vaddr);
		err = gobin__vaddr_to_offset(gb, s.vaddr, &s.file_offset);
		if (!err)
			err = push_site(sites, n, &cap, &s);
	}
	dis_close(&d);
	if (err) {
		free(*sites);
		*sites = NULL;
		*n = 0;
		return err;
	}
	/* One site per probe address. */
	if (*n)
		qsort(*sites, *n, sizeof(**sites), cmp_site);
	for (size_t r = 0; r < *n; r++)
		if (!w || (*sites)[w - 1].vaddr != (*sites)[r].vaddr)
			(*sites)[w++] = (*sites)[r];
	*n = w;
	return 0;
}

/* Name the global an access's base address lies in. */
static void site_var(const struct gobin *gb, struct gobin_site *s)
{
	uint64_t start, size;

	struct gobin_var v;

	if (!s->base_addr)
		return;
	s->var = gobin_global_at_addr(gb, s->base_addr, &start, &size);
	/* An array global: count from its first element (a field's offset in disp). */
	if (s->var && !gobin__find_var(gb, s->var, &v) && v.kind == GOBIN_KIND_ARRAY &&
	    v.elem_size == (s->row_size ? s->row_size : s->elem_size)) {
		s->disp += s->base_addr - v.addr;
		s->base_addr = v.addr;
	}
}

int gobin__func_access_sites(const struct gobin *gb, const struct gobin_func *fn,
			     struct gobin_site **sites, size_t *n)
{
	int err;

	if (!gb || !fn || !sites || !n)
		return -EINVAL;
	err = gobin_func_sites(gb, fn, sites, n);
	if (err)
		return err;
	for (size_t i = 0; i < *n; i++) {
		(*sites)[i].elem_size_from_scale = !gobin__has_dwarf(gb);
		site_var(gb, &(*sites)[i]);
	}
	return 0;
}

/* Does the site index var? Then express it relative to var. */
static bool site_of_var(const struct gobin_var *v, struct gobin_site *s)
{
	uint64_t off;

	if (!s->base_addr || s->base_reg != HS_REG_NONE || s->base_addr < v->addr ||
	    s->base_addr >= v->addr + (v->size ? v->size : 1))
		return false;
	off = s->base_addr - v->addr;
	if (v->types_known && v->kind != GOBIN_KIND_ARRAY)
		return false;
	if (v->types_known) {
		/* The machine code's scale is the element's size, or a row's. */
		if (s->row_size ? s->row_size != v->elem_size || s->elem_size != v->col_size
				: s->elem_size != v->elem_size)
			return false;
		if (off >= (s->row_size ? s->elem_size : v->elem_size))
			return false;
	}
	s->base_addr = v->addr;
	s->disp += off;
	s->elem_size_from_scale = !v->types_known;
	return true;
}

int gobin__var_access_sites(const struct gobin *gb, const struct gobin_var *var,
			    struct gobin_site **sites, size_t *n)
{
	size_t cap = 0;
	int err = 0;

	if (!gb || !var || !sites || !n)
		return -EINVAL;
	*sites = NULL;
	*n = 0;
	for (size_t i = 0; i < gb->nfns && !err; i++) {
		struct gobin_site *fs;
		struct gobin_func f;
		size_t fn;

		if (!gb->fns[i].size || gobin__func_at(gb, i, &f))
			continue;
		err = gobin_func_sites(gb, &f, &fs, &fn);
		for (size_t k = 0; k < fn && !err; k++) {
			if (!site_of_var(var, &fs[k]))
				continue;
			fs[k].var = var->global;
			err = push_site(sites, n, &cap, &fs[k]);
		}
		free(fs);
	}
	if (err) {
		free(*sites);
		*sites = NULL;
		*n = 0;
	}
	return err;
}
