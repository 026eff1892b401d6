// SPDX-License-Identifier: MIT
/*
 * gobin_sites: where uprobes sit in Go machine code.
 *
 * A function's bytes are decoded once with Capstone into a compact array
 * (what the finder needs of each instruction: operands, the registers and
 * flags it writes, whether a jump lands on it), so that memory stays a
 * few dozen bytes an instruction however large the function; Capstone's
 * own detail is never kept. Three kinds of places are found.
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
 * Accesses. Go guards an index with an unsigned conditional jump one of
 * whose sides calls runtime.panicIndex (panicIndexU for unsigned index
 * types) within a few instructions, and that call takes the index in AX and
 * the length in CX. So the panic side says, whatever the shape of the
 * comparison and wherever its flags were set, which values are the index
 * and the length at the jump. The registers are followed with a small
 * symbolic evaluator in which every register holds a linear form
 *     c + k1*v1 + k2*v2 + k3*v3
 * over opaque values v (a register at the start of a straight-line run of
 * code, or the result of anything not linear: a load, a mask); a constant
 * from a RIP-relative operand is a link-time address. One pass over the
 * function keeps the forms (starting afresh where a jump lands); at each
 * check, the panic side gives the forms of the index and length, and the
 * other side is followed until the first memory operand whose address
 * depends on the index: the access. Its address minus elem_size times the
 * index is the array's base (plus a row times row_size when the path met a
 * second check first: a two-dimensional access, whose probe sits on that
 * second check). Each of index, row, length and base is then written as
 * registers at the probe, which is how derived indices (p[i+1] checks
 * i+1 in one register and addresses p+8*i+8 with another), indices scaled
 * before the check and Go 1.21's row address computed between the two
 * checks of grid[r][c] come out right. When a value is not in a register
 * at the jump, the probe moves to the access instruction itself. A check
 * that gives no site is kept with the reason, so none is skipped unsaid.
 *
 * For a global array, memory operands whose address is the array's (a
 * constant index, a masked one such as t[h&(len-1)], a loop over it) are
 * sites too, at the access, with the index computed from the address.
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gobin/gobin_internal.h"

#define NSLOTS       21		/* pt_regs offsets / 8 up to ss */
#define SLOT_SP      (HS_REG_SP / 8)
#define SLOT_BP      (HS_REG_BP / 8)
#define SLOT_AX      (HS_REG_AX / 8)
#define SLOT_CX      (HS_REG_CX / 8)
#define SLOT_R11     (HS_REG_R11 / 8)
#define MAX_PATH     64		/* instructions followed from a check to its access */
#define MAX_PANIC    12		/* instructions from a branch to the panic call */
#define MAX_FORKS    3		/* other conditional jumps on an access path */
#define NTERMS       5		/* terms of a linear form: a base and four subscripts */
#define NSPILL       16		/* stack slots remembered */
#define MAX_PRIOR    8		/* earlier checks of a run an access may share */

/* --- decoding ----------------------------------------------------------------- */

/* One operand, as much as the finder uses. */
struct xop {
	uint8_t type;		/* X86_OP_REG, X86_OP_IMM, X86_OP_MEM */
	uint8_t size;
	uint8_t access;		/* CS_AC_READ | CS_AC_WRITE */
	uint8_t scale;
	uint16_t reg;		/* REG: the register; MEM: the base */
	uint16_t index;		/* MEM */
	uint16_t seg;		/* MEM */
	int64_t val;		/* IMM: the value; MEM: the displacement */
};

struct xins {
	uint64_t addr;
	uint16_t id;		/* X86_INS_* */
	uint8_t size;
	uint8_t nops;
	bool wflags;		/* writes CF or ZF */
	bool target;		/* a jump of the function lands here */
	uint32_t wr;		/* register slots written, a bit each */
	struct xop op[3];
};

struct code {
	struct xins *in;
	size_t n;
	bool whole;		/* decoding reached the end of the function */
};

/* The register tables, the same for every function: made once. */
static int8_t reg_slot[X86_REG_ENDING];
static bool reg_wide[X86_REG_ENDING];
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;

static void reg_tables(void)
{
	csh h;

	memset(reg_slot, -1, sizeof(reg_slot));
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return;
	for (int r = 1; r < X86_REG_ENDING; r++) {
		const char *name = cs_reg_name(h, r);
		int off = gobin_reg_offset(name);
		size_t len = name ? strlen(name) : 0;

		reg_slot[r] = off >= 0 && off <= HS_REG_SS ? off / 8 : -1;
		/* rax/eax/r8/r8d: a write replaces (or zero-extends into) all of it. */
		reg_wide[r] = len && (name[0] == 'e' || (name[0] == 'r' && name[len - 1] != 'w' &&
							 name[len - 1] != 'b'));
	}
	cs_close(&h);
}

static int slot_of(unsigned reg)
{
	return reg < X86_REG_ENDING ? reg_slot[reg] : -1;
}

static bool wide(unsigned reg)
{
	return reg < X86_REG_ENDING && reg_wide[reg];
}

#define FLAGS_CF_ZF (X86_EFLAGS_MODIFY_CF | X86_EFLAGS_MODIFY_ZF | X86_EFLAGS_RESET_CF | \
		     X86_EFLAGS_RESET_ZF | X86_EFLAGS_SET_CF | X86_EFLAGS_SET_ZF |         \
		     X86_EFLAGS_UNDEFINED_CF | X86_EFLAGS_UNDEFINED_ZF)

static void xins_fill(csh h, const cs_insn *i, struct xins *x)
{
	const cs_x86 *d = &i->detail->x86;
	cs_regs rd, wr;
	uint8_t nrd = 0, nwr = 0;

	memset(x, 0, sizeof(*x));
	x->addr = i->address;
	x->id = i->id;
	x->size = i->size;
	x->nops = d->op_count < 3 ? d->op_count : 3;
	x->wflags = (d->eflags & FLAGS_CF_ZF) != 0;
	for (int k = 0; k < x->nops; k++) {
		const cs_x86_op *o = &d->operands[k];
		struct xop *p = &x->op[k];

		p->type = o->type;
		p->size = o->size;
		p->access = o->access;
		if (o->type == X86_OP_REG) {
			p->reg = o->reg;
		} else if (o->type == X86_OP_IMM) {
			p->val = o->imm;
		} else if (o->type == X86_OP_MEM) {
			p->reg = o->mem.base;
			p->index = o->mem.index;
			p->seg = o->mem.segment;
			p->scale = o->mem.scale;
			p->val = o->mem.disp;
		}
	}
	if (cs_regs_access(h, i, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
		x->wr = (1u << NSLOTS) - 1;
		return;
	}
	for (uint8_t w = 0; w < nwr; w++) {
		int s = slot_of(wr[w]);

		if (s >= 0)
			x->wr |= 1u << s;
	}
}

static bool is_jcc_id(unsigned id)
{
	switch (id) {
	case X86_INS_JAE: case X86_INS_JA: case X86_INS_JBE: case X86_INS_JB:
	case X86_INS_JE: case X86_INS_JNE: case X86_INS_JGE: case X86_INS_JG:
	case X86_INS_JLE: case X86_INS_JL: case X86_INS_JNO: case X86_INS_JNP:
	case X86_INS_JNS: case X86_INS_JO: case X86_INS_JP: case X86_INS_JS:
		return true;
	default:
		return false;
	}
}

static bool target_of(const struct xins *i, uint64_t *to)
{
	if (i->nops != 1 || i->op[0].type != X86_OP_IMM)
		return false;
	*to = i->op[0].val;
	return true;
}

static ssize_t code_find(const struct code *c, uint64_t addr)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->in[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->in[lo].addr == addr ? (ssize_t)lo : -1;
}

static void code_free(struct code *c)
{
	free(c->in);
	memset(c, 0, sizeof(*c));
}

/* Decodes [addr, addr+size) until the first byte that is no instruction. */
static int code_decode(const struct gobin *gb, uint64_t addr, uint64_t size, struct code *c)
{
	const uint8_t *bytes = gobin_vaddr_bytes(gb, addr, size);
	const uint8_t *p = bytes;
	size_t left = size, cap = 0;
	uint64_t pc = addr;
	cs_insn *insn;
	int err = 0;
	csh h;

	memset(c, 0, sizeof(*c));
	if (!bytes || !size)
		return -ENOENT;
	pthread_once(&reg_once, reg_tables);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -ENOMEM;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	insn = cs_malloc(h);
	if (!insn) {
		cs_close(&h);
		return -ENOMEM;
	}
	while (left && cs_disasm_iter(h, &p, &left, &pc, insn)) {
		if (c->n == cap) {
			struct xins *n;

			cap = cap ? cap * 2 : 256;
			n = realloc(c->in, cap * sizeof(*n));
			if (!n) {
				err = -ENOMEM;
				break;
			}
			c->in = n;
		}
		xins_fill(h, insn, &c->in[c->n++]);
	}
	c->whole = !left;
	cs_free(insn, 1);
	cs_close(&h);
	if (!err && !c->n)
		err = -ENOENT;
	if (err) {
		code_free(c);
		return err;
	}
	/* Where jumps land: straight-line runs of code start there. */
	for (size_t k = 0; k < c->n; k++) {
		uint64_t to;
		ssize_t t;

		if ((c->in[k].id == X86_INS_JMP || is_jcc_id(c->in[k].id)) &&
		    target_of(&c->in[k], &to) && (t = code_find(c, to)) >= 0)
			c->in[t].target = true;
	}
	return 0;
}

static const char *callee_name(const struct gobin *gb, const struct xins *i)
{
	uint64_t target;
	ssize_t f;

	if (i->id != X86_INS_CALL || !target_of(i, &target))
		return NULL;
	f = gobin_fn_index(gb, target);
	if (f < 0 || gb->fns[f].addr != target)
		return NULL;
	return gb->fns[f].name;
}

static bool is_panic_index(const char *name)
{
	return name && (!strcmp(name, "runtime.panicIndex") ||
			!strcmp(name, "runtime.panicIndexU"));
}

/* --- entry, return and tail sites ---------------------------------------------- */

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

static bool is_stackguard(const struct xins *i)
{
	/* CMP reg, qword ptr [r14 + 0x10]: g.stackguard0 */
	return i->id == X86_INS_CMP && i->nops == 2 && i->op[0].type == X86_OP_REG &&
	       i->op[1].type == X86_OP_MEM && i->op[1].reg == X86_REG_R14 &&
	       i->op[1].index == X86_REG_INVALID && i->op[1].val == 16;
}

int gobin__entry_site(const struct gobin *gb, const struct gobin_func *fn, struct gobin_site *out)
{
	struct code c;
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
	if (code_decode(gb, fn->addr, size, &c))
		return 0;
	for (size_t k = 0; k + 1 < c.n && k < 5; k++) {
		const struct xins *j = &c.in[k + 1];
		uint64_t target;

		if (!is_stackguard(&c.in[k]))
			continue;
		/* JBE to the morestack call inside the function. */
		if (j->id != X86_INS_JBE || !target_of(j, &target) || target <= fn->addr ||
		    (fn->size && target >= fn->addr + fn->size))
			break;
		out->vaddr = j->addr;
		out->func_offset = j->addr - fn->addr;
		out->skip_if_any_set = HS_FLAG_CF | HS_FLAG_ZF;
		out->check_vaddr = c.in[k].addr;
		err = gobin__vaddr_to_offset(gb, j->addr, &out->file_offset);
		break;
	}
	code_free(&c);
	return err;
}

static int push(void **arr, size_t *n, size_t *cap, size_t size, const void *item)
{
	if (*n == *cap) {
		void *na;

		*cap = *cap ? *cap * 2 : 8;
		na = realloc(*arr, *cap * size);
		if (!na)
			return -ENOMEM;
		*arr = na;
	}
	memcpy((char *)*arr + *n * size, item, size);
	(*n)++;
	return 0;
}

static void position(const struct gobin *gb, uint64_t pc, const char *func, const char **file,
		     int *line, const char **inlined)
{
	const char *f, *fn;
	int l;

	if (gobin__addr_to_line(gb, pc, &f, &l, &fn))
		return;
	*file = f;
	*line = l;
	*inlined = fn && strcmp(fn, func) ? fn : NULL;
}

int gobin__tail_jumps(const struct gobin *gb, const struct gobin_func *fn, uint64_t *first,
		      const char **target)
{
	struct code c;
	int n = 0, err;

	if (!gb || !fn || !first || !target)
		return -EINVAL;
	*first = 0;
	*target = NULL;
	err = code_decode(gb, fn->addr, fn->size, &c);
	if (err)
		return err;
	for (size_t k = 0; k < c.n; k++) {
		uint64_t to;
		ssize_t f;

		if (c.in[k].id != X86_INS_JMP || !target_of(&c.in[k], &to) ||
		    (to >= fn->addr && to < fn->addr + fn->size))
			continue;
		if (!n++) {
			*first = c.in[k].addr;
			f = gobin_fn_index(gb, to);
			*target = f >= 0 && gb->fns[f].addr == to ? gb->fns[f].name : NULL;
		}
	}
	code_free(&c);
	return n;
}

int gobin__ret_sites(const struct gobin *gb, const struct gobin_func *fn,
		     struct gobin_site **sites, size_t *n)
{
	size_t cap = 0;
	struct code c;
	int err = 0;

	if (!gb || !fn || !sites || !n)
		return -EINVAL;
	*sites = NULL;
	*n = 0;
	err = code_decode(gb, fn->addr, fn->size, &c);
	if (err)
		return err;
	if (!c.whole && c.in[c.n - 1].addr + c.in[c.n - 1].size < fn->addr + fn->size)
		err = -EILSEQ;
	for (size_t k = 0; k < c.n && !err; k++) {
		struct gobin_site s;

		if (c.in[k].id != X86_INS_RET)
			continue;
		site_init(&s);
		s.kind = GOBIN_SITE_RET;
		s.vaddr = c.in[k].addr;
		s.func = fn->name;
		s.func_offset = s.vaddr - fn->addr;
		position(gb, s.vaddr, s.func, &s.file, &s.line, &s.inlined_from);
		err = gobin__vaddr_to_offset(gb, s.vaddr, &s.file_offset);
		if (!err)
			err = push((void **)sites, n, &cap, sizeof(s), &s);
	}
	code_free(&c);
	if (err) {
		free(*sites);
		*sites = NULL;
		*n = 0;
	}
	return err;
}

/* --- linear forms ----------------------------------------------------------------- */

/* c + addr * (load bias) + sum k[i] * v[i]; terms sorted by v, none zero. */
struct lin {
	int64_t c;
	int8_t addr;		/* c is a link-time address: 1; else 0 */
	uint8_t n;
	uint32_t v[NTERMS];
	int64_t k[NTERMS];
};

/* Wrapping arithmetic: the code decoded may be anything. */
static int64_t wadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wmul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* a = q * b exactly: q, or 0 (also for b 0 and INT64_MIN / -1). */
static int64_t exact_div(int64_t a, int64_t b)
{
	if (!b || (b == -1 && a == INT64_MIN) || a % b)
		return 0;
	return a / b;
}

struct eval {
	struct lin r[NSLOTS];
	struct { struct lin at, val; bool used; } spill[NSPILL];
	uint32_t *next;		/* the function's counter of values */
};

static struct lin lin_var(uint32_t v)
{
	return (struct lin){ .n = 1, .v = { v }, .k = { 1 } };
}

static struct lin lin_const(int64_t c)
{
	return (struct lin){ .c = c };
}

static struct lin fresh(struct eval *e)
{
	return lin_var((*e->next)++);
}

static int64_t lin_k(const struct lin *a, uint32_t v)
{
	for (int i = 0; i < a->n; i++)
		if (a->v[i] == v)
			return a->k[i];
	return 0;
}

static bool lin_eq(const struct lin *a, const struct lin *b)
{
	if (a->c != b->c || a->addr != b->addr || a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i] || a->k[i] != b->k[i])
			return false;
	return true;
}

/* a + m * b; false when it does not fit a form. */
static bool lin_axpy(struct lin *out, const struct lin *a, int64_t m, const struct lin *b)
{
	struct lin r = { .c = wadd(a->c, wmul(m, b->c)) };
	int i = 0, j = 0, addr = a->addr + (int)(m == 1 ? b->addr : m == -1 ? -b->addr :
						 b->addr ? 99 : 0);

	if (addr < 0 || addr > 1)
		return false;
	r.addr = addr;
	while (i < a->n || j < b->n) {
		uint32_t v;
		int64_t k;

		if (j >= b->n || (i < a->n && a->v[i] < b->v[j])) {
			v = a->v[i];
			k = a->k[i++];
		} else if (i >= a->n || b->v[j] < a->v[i]) {
			v = b->v[j];
			k = wmul(m, b->k[j++]);
		} else {
			v = a->v[i];
			k = wadd(a->k[i++], wmul(m, b->k[j++]));
		}
		if (!k)
			continue;
		if (r.n == NTERMS)
			return false;
		r.v[r.n] = v;
		r.k[r.n++] = k;
	}
	*out = r;
	return true;
}

static struct lin lin_add(struct eval *e, struct lin a, int64_t m, struct lin b)
{
	struct lin r;

	return lin_axpy(&r, &a, m, &b) ? r : fresh(e);
}

static struct lin lin_scale(struct eval *e, struct lin a, int64_t m)
{
	struct lin zero = { 0 };

	if (a.addr && m != 1)
		return fresh(e);
	return lin_add(e, zero, m, a);
}

/* Reading a register: 32 and 64 bits are the form (an index fits 32 bits),
 * a byte or a word of it is some other value. */
static struct lin reg_get(struct eval *e, unsigned reg)
{
	int s = slot_of(reg);

	if (reg == X86_REG_INVALID)
		return lin_const(0);
	if (s < 0 || !wide(reg))
		return fresh(e);
	return e->r[s];
}

static void reg_set(struct eval *e, unsigned reg, struct lin v)
{
	int s = slot_of(reg);

	if (s < 0)
		return;
	e->r[s] = wide(reg) ? v : fresh(e);
}

static struct lin mem_addr(struct eval *e, const struct xins *i, const struct xop *m)
{
	struct lin base, idx;

	if (m->seg != X86_REG_INVALID)
		return fresh(e);
	if (m->reg == X86_REG_RIP) {
		base = lin_const(wadd(i->addr + i->size, m->val));
		base.addr = 1;
		return base;
	}
	base = reg_get(e, m->reg);
	idx = m->index != X86_REG_INVALID ? reg_get(e, m->index) : lin_const(0);
	base = lin_add(e, base, m->scale ? m->scale : 1, idx);
	return lin_add(e, base, 1, lin_const(m->val));
}

/* Stack slots: what was stored at an address based on SP or BP. */
static bool stack_based(const struct xop *m)
{
	return m->type == X86_OP_MEM && m->index == X86_REG_INVALID &&
	       (slot_of(m->reg) == SLOT_SP || slot_of(m->reg) == SLOT_BP);
}

static struct lin spill_load(struct eval *e, const struct lin *at)
{
	for (int k = 0; k < NSPILL; k++)
		if (e->spill[k].used && lin_eq(&e->spill[k].at, at))
			return e->spill[k].val;
	return fresh(e);
}

static void spill_store(struct eval *e, const struct lin *at, const struct lin *val)
{
	int free_slot = -1;

	for (int k = 0; k < NSPILL; k++) {
		if (e->spill[k].used && lin_eq(&e->spill[k].at, at)) {
			e->spill[k].val = *val;
			return;
		}
		if (!e->spill[k].used && free_slot < 0)
			free_slot = k;
	}
	if (free_slot < 0)
		free_slot = (int)(at->c & (NSPILL - 1));
	e->spill[free_slot].at = *at;
	e->spill[free_slot].val = *val;
	e->spill[free_slot].used = true;
}

/* Every register a fresh value: the start of a straight-line run. */
static void eval_reset(struct eval *e)
{
	for (int s = 0; s < NSLOTS; s++)
		e->r[s] = fresh(e);
	memset(e->spill, 0, sizeof(e->spill));
}

/* One instruction's effect on the registers and the stack slots. */
static void eval_insn(struct eval *e, const struct xins *i)
{
	const struct xop *o0 = &i->op[0], *o1 = &i->op[1];
	bool reg0 = i->nops >= 1 && o0->type == X86_OP_REG;
	bool two = i->nops == 2;

	switch (i->id) {
	case X86_INS_NOP:
	case X86_INS_CMP:
	case X86_INS_TEST:
		return;
	case X86_INS_MOV:
	case X86_INS_MOVSXD:
	case X86_INS_MOVSX:
	case X86_INS_MOVZX:
		if (reg0 && two && o1->type == X86_OP_REG) {
			/* A narrow source is extended: some other value. */
			reg_set(e, o0->reg, i->id == X86_INS_MOV || i->id == X86_INS_MOVSXD ?
					    reg_get(e, o1->reg) : fresh(e));
			return;
		}
		if (reg0 && two && o1->type == X86_OP_IMM) {
			reg_set(e, o0->reg, lin_const(o1->val));
			return;
		}
		if (reg0 && two && o1->type == X86_OP_MEM && i->id == X86_INS_MOV &&
		    o1->size == 8 && stack_based(o1)) {
			struct lin at = mem_addr(e, i, o1);

			reg_set(e, o0->reg, spill_load(e, &at));
			return;
		}
		if (two && o0->type == X86_OP_MEM && o1->type == X86_OP_REG && o0->size == 8 &&
		    wide(o1->reg) && stack_based(o0)) {
			struct lin at = mem_addr(e, i, o0), val = reg_get(e, o1->reg);

			spill_store(e, &at, &val);
			return;
		}
		break;
	case X86_INS_LEA:
		if (reg0 && two && o1->type == X86_OP_MEM) {
			reg_set(e, o0->reg, mem_addr(e, i, o1));
			return;
		}
		break;
	case X86_INS_ADD:
	case X86_INS_SUB:
		if (reg0 && two && o1->type != X86_OP_MEM) {
			struct lin b = o1->type == X86_OP_IMM ? lin_const(o1->val) :
							       reg_get(e, o1->reg);

			reg_set(e, o0->reg, lin_add(e, reg_get(e, o0->reg),
						    i->id == X86_INS_ADD ? 1 : -1, b));
			return;
		}
		break;
	case X86_INS_INC:
	case X86_INS_DEC:
		if (reg0 && i->nops == 1) {
			reg_set(e, o0->reg, lin_add(e, reg_get(e, o0->reg), 1,
						    lin_const(i->id == X86_INS_INC ? 1 : -1)));
			return;
		}
		break;
	case X86_INS_NEG:
		if (reg0 && i->nops == 1) {
			reg_set(e, o0->reg, lin_scale(e, reg_get(e, o0->reg), -1));
			return;
		}
		break;
	case X86_INS_SHL:
		if (reg0 && two && o1->type == X86_OP_IMM && o1->val >= 0 && o1->val < 32) {
			reg_set(e, o0->reg, lin_scale(e, reg_get(e, o0->reg), 1LL << o1->val));
			return;
		}
		break;
	case X86_INS_IMUL:
		if (reg0 && i->nops == 3 && i->op[2].type == X86_OP_IMM &&
		    o1->type == X86_OP_REG) {
			reg_set(e, o0->reg, lin_scale(e, reg_get(e, o1->reg), i->op[2].val));
			return;
		}
		break;
	case X86_INS_XOR:
		if (reg0 && two && o1->type == X86_OP_REG && o1->reg == o0->reg) {
			reg_set(e, o0->reg, lin_const(0));
			return;
		}
		break;
	default:
		break;
	}
	for (int s = 0; s < NSLOTS; s++)
		if (i->wr & (1u << s))
			e->r[s] = fresh(e);
	/* A call may write any stack slot of its arguments. */
	if (i->id == X86_INS_CALL)
		memset(e->spill, 0, sizeof(e->spill));
}

/* --- writing a form as registers at the probe ------------------------------------ */

/* The registers a value can be read from: the general ones, SP for arrays on the stack. */
static bool gpr_slot(int s)
{
	return s >= 0 && (s <= HS_REG_DI / 8 || s == SLOT_SP);
}

static bool same_vars(const struct lin *a, const struct lin *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			return false;
	return true;
}

static void lin_none(struct gobin_lin *o)
{
	memset(o, 0, sizeof(*o));
	o->reg = o->reg2 = HS_REG_NONE;
	o->div = 1;
}

/* t as m * (register form f) + rest: the integer m, or 0. */
static int64_t ratio(const struct lin *t, const struct lin *f)
{
	int64_t m;

	if (!f->n || !same_vars(t, f) || !(m = exact_div(t->k[0], f->k[0])))
		return 0;
	for (int i = 1; i < t->n; i++)
		if (wmul(m, f->k[i]) != t->k[i])
			return 0;
	return m;
}

/*
 * t as m times register s plus m2 times another register that holds rest
 * (t less m times s's values) in one proportion, plus a constant: into out.
 */
static bool second_reg(const struct eval *e, const struct lin *t, int s, int64_t m,
		       const struct lin *rest, struct gobin_lin *out)
{
	const struct lin *f = &e->r[s];

	for (int s2 = 0; s2 < NSLOTS; s2++) {
		const struct lin *g = &e->r[s2];
		int64_t m2;

		if (s2 == s || !gpr_slot(s2) || !g->n || !(m2 = ratio(rest, g)) ||
		    (g->addr && m2 != 1))
			continue;
		out->known = true;
		out->reg = s * 8;
		out->mul = m;
		out->reg2 = s2 * 8;
		out->mul2 = m2;
		out->add = wadd(wadd(t->c, -wmul(m, f->c)), -wmul(m2, g->c));
		out->bias = t->addr - (int)m * f->addr - (int)m2 * g->addr;
		return true;
	}
	return false;
}

/*
 * t written with the registers of e (at the probe): one register times an
 * integer, one register divided by one (allow_div), or two registers.
 */
static bool express(const struct eval *e, const struct lin *t, bool allow_div,
		    struct gobin_lin *out)
{
	lin_none(out);
	if (!t->n) {
		out->known = true;
		out->add = t->c;
		out->bias = t->addr;
		return true;
	}
	for (int s = 0; s < NSLOTS; s++) {
		const struct lin *f = &e->r[s];
		int64_t m;

		if (!gpr_slot(s) || !f->n)
			continue;
		m = ratio(t, f);
		if (m && (m == 1 || !f->addr)) {
			out->known = true;
			out->reg = s * 8;
			out->mul = m;
			out->add = wadd(t->c, -wmul(m, f->c));
			out->bias = t->addr - (int)m * f->addr;
			return true;
		}
		/* t = (f - f.c) / d + t.c */
		m = ratio(f, t);
		if (allow_div && m > 1 && !f->addr && !t->addr) {
			out->known = true;
			out->reg = s * 8;
			out->mul = 1;
			out->add = wadd(wmul(m, t->c), -f->c);
			out->div = m;
			return true;
		}
	}
	/* Two registers, each covering some of t's values. */
	for (int s = 0; s < NSLOTS; s++) {
		const struct lin *f = &e->r[s];
		struct lin rest, part;
		int64_t m;

		if (!gpr_slot(s) || !f->n || f->n >= t->n)
			continue;
		/* f's values must all be in t, in one proportion. */
		m = exact_div(lin_k(t, f->v[0]), f->k[0]);
		if (!m || (f->addr && m != 1))
			continue;
		part = *f;
		part.c = 0;
		part.addr = 0;
		if (lin_axpy(&rest, t, -m, &part) && rest.n + f->n == t->n &&
		    second_reg(e, t, s, m, &rest, out))
			return true;
	}
	/* Two registers whose difference holds t: f also holds a value that g
	 * cancels (a row's address less the array's: 32*y = RBX - RAX - 8). */
	for (int s = 0; s < NSLOTS; s++) {
		const struct lin *f = &e->r[s];

		if (!gpr_slot(s) || !f->n)
			continue;
		for (int u = 0; u < f->n; u++) {
			int64_t m = exact_div(lin_k(t, f->v[u]), f->k[u]);
			struct lin part = *f, rest;

			if (!m || (f->addr && m != 1))
				continue;
			part.c = 0;
			part.addr = 0;
			if (lin_axpy(&rest, t, -m, &part) && rest.n &&
			    second_reg(e, t, s, m, &rest, out))
				return true;
		}
	}
	return false;
}

/*
 * An index that is in no register as such, but is as a part of an address:
 * elem_size times it is (address - base), so it is that divided by the size.
 */
static bool express_index(const struct eval *e, const struct lin *t, int64_t elem,
			  struct gobin_lin *out)
{
	struct lin scaled;
	struct gobin_lin l;

	if (express(e, t, true, out))
		return true;
	if (elem <= 1 || t->addr)
		return false;
	scaled = *t;
	scaled.c = wmul(t->c, elem);
	for (int i = 0; i < t->n; i++)
		scaled.k[i] = wmul(t->k[i], elem);
	if (!express(e, &scaled, false, &l) || l.div != 1)
		return false;
	/* The load bias is added before the division (plan_lin), and the sum
	 * is the exact multiple the form says: no need for it to divide. */
	l.div = elem;
	*out = l;
	return true;
}

static bool lin_simple_reg(const struct gobin_lin *l)
{
	return l->known && l->reg != HS_REG_NONE && l->mul == 1 && l->reg2 == HS_REG_NONE &&
	       !l->add && !l->bias && !l->mod && l->div == 1;
}

static bool lin_simple_const(const struct gobin_lin *l)
{
	return l->known && l->reg == HS_REG_NONE && l->reg2 == HS_REG_NONE && !l->mod &&
	       l->div == 1;
}

/* --- bounds checks and their accesses -------------------------------------------- */

static const char *const WHY_SIGNED = "the bounds check's jump tests a signed condition";
static const char *const WHY_NO_ACCESS = "no access to the checked index follows the check";
static const char *const WHY_NOT_LINEAR = "the address is not a multiple of the index";
static const char *const WHY_INDEX = "the index is in no register at the check or the access";
static const char *const WHY_BASE = "the array's address is in no register at the check "
				    "or the access";
static const char *const WHY_ROW = "the row is in no register at the check";
static const char *const WHY_DIMS = "more subscripts than the finder follows";
static const char *const WHY_NESTED = "the subscripts are not those of nested arrays "
				      "(a struct between the dimensions)";
static const char *const WHY_ROW_OF = "the row check of a two-dimensional access";
static const char *const WHY_DIM_OF = "a subscript of a multi-dimensional access: part of "
				      "its site";
static const char *const WHY_DIM_OF_NONE = "a subscript of a multi-dimensional access that "
					   "is no site";
static const char *const WHY_AMBIGUOUS = "a subscript checked before as several values "
				     "(y-1, y, y+1): which one the access uses is not known";
static const char *const WHY_NO_JUMP = "no conditional jump leads to this panic call";

/* A bounds check: a Jcc one of whose sides calls panicIndex. */
struct check {
	size_t jcc;		/* instruction index */
	uint64_t cmp;		/* the instruction that set the flags, when seen */
	uint64_t call;		/* the panicIndex call */
	uint64_t access;	/* where the other side goes on */
	uint64_t skip_any, skip_all;
	struct lin idx, len;	/* in the forms at the jump */
	const char *why;	/* not usable: why */
};

/* The panic side from instruction k: the call, and AX and CX there. */
static uint64_t panic_path(const struct gobin *gb, const struct code *c, ssize_t k,
			   struct eval e, struct lin *ax, struct lin *cx)
{
	for (int steps = 0; k >= 0 && (size_t)k < c->n && steps < MAX_PANIC; steps++) {
		const struct xins *i = &c->in[k];
		uint64_t to;

		if (i->id == X86_INS_CALL) {
			if (!is_panic_index(callee_name(gb, i)))
				return 0;
			*ax = e.r[SLOT_AX];
			*cx = e.r[SLOT_CX];
			return i->addr;
		}
		if (i->id == X86_INS_JMP) {
			if (!target_of(i, &to))
				return 0;
			k = code_find(c, to);
			continue;
		}
		if (i->id == X86_INS_RET || is_jcc_id(i->id))
			return 0;
		eval_insn(&e, i);
		k++;
	}
	return 0;
}

/*
 * A panic path may pass the index as a constant the compiler knows it has
 * there: with x-1 < 32 checked before, x >= 32 means x == 32, and
 * panicIndex(32, 32) is called. The index is then the register the CMP
 * (at instruction m) held against the constant bound, unless written
 * between the CMP and the jump at k.
 */
static void compared_index(const struct code *c, size_t m, size_t k, const struct eval *e,
			   struct check *ck)
{
	const struct xins *p = &c->in[m];
	int s = p->nops == 2 && p->op[0].type == X86_OP_REG ? slot_of(p->op[0].reg) : -1;

	if (ck->idx.n || ck->len.n || ck->len.addr || !ck->skip_all || p->id != X86_INS_CMP ||
	    s < 0 || !wide(p->op[0].reg) || p->op[1].type != X86_OP_IMM ||
	    p->op[1].val != ck->len.c || !e->r[s].n)
		return;
	for (size_t q = m + 1; q < k; q++)
		if (c->in[q].wr & (1u << s))
			return;
	ck->idx = e->r[s];
}

/* Is instruction k a bounds check, with e the forms there? */
static bool find_check(const struct gobin *gb, const struct code *c, size_t k,
		       const struct eval *e, struct check *ck)
{
	const struct xins *j = &c->in[k];
	struct lin ax, cx;
	uint64_t target, call;
	bool taken;

	if (!is_jcc_id(j->id) || !target_of(j, &target) || k + 1 >= c->n)
		return false;
	memset(ck, 0, sizeof(*ck));
	ck->jcc = k;
	if ((call = panic_path(gb, c, code_find(c, target), *e, &ax, &cx))) {
		taken = true;
		ck->access = c->in[k + 1].addr;
	} else if ((call = panic_path(gb, c, k + 1, *e, &ax, &cx))) {
		taken = false;
		ck->access = target;
	} else {
		return false;
	}
	ck->call = call;
	ck->idx = ax;
	ck->len = cx;
	/* Skip the pass that panics: index >= length. */
	switch (j->id) {
	case X86_INS_JAE:	/* CMP idx, len: taken when CF clear */
		if (taken)
			ck->skip_all = HS_FLAG_CF;
		break;
	case X86_INS_JB:
		if (!taken)
			ck->skip_all = HS_FLAG_CF;
		break;
	case X86_INS_JBE:	/* CMP len, idx: taken when CF or ZF */
		if (taken)
			ck->skip_any = HS_FLAG_CF | HS_FLAG_ZF;
		break;
	case X86_INS_JA:
		if (!taken)
			ck->skip_any = HS_FLAG_CF | HS_FLAG_ZF;
		break;
	case X86_INS_JE:	/* TEST len, len for index 0 */
		if (taken)
			ck->skip_any = HS_FLAG_ZF;
		break;
	case X86_INS_JNE:
		if (!taken)
			ck->skip_any = HS_FLAG_ZF;
		break;
	default:
		break;
	}
	if (!ck->skip_any && !ck->skip_all)
		ck->why = WHY_SIGNED;
	/* The comparison, when it is in the same straight run of code. */
	for (size_t m = k; m > 0 && k - m < 16; m--) {
		const struct xins *p = &c->in[m - 1];

		if (p->wflags) {
			ck->cmp = p->addr;
			compared_index(c, m - 1, k, e, ck);
			break;
		}
		if (c->in[m].target || p->id == X86_INS_JMP || p->id == X86_INS_CALL)
			break;
	}
	return true;
}

/* The access a check guards, as found on its path. */
#define MAX_MORE 4
#define MAX_DIMS (MAX_MORE + 1)
struct found {
	const char *why;		/* no site: why */
	struct check more[MAX_MORE];	/* other indices checked on the way */
	struct eval at_more[MAX_MORE];	/* the forms at their jumps */
	int nmore;
	struct lin over[MAX_MORE];	/* indices of the checks past MAX_MORE */
	int nover;
	int dims[MAX_DIMS];		/* make_site: the checks that are subscripts */
	int ndims;			/* (-1 the first check, else an index in more), */
	int ncand;			/* once their strides are known; candidates */
	struct eval at_first;		/* the forms at the (first) check's jump */
	struct eval at_access;		/* the forms at the access */
	size_t access;			/* instruction index */
	int op;				/* its memory operand */
	struct lin addr;
	bool address_of;		/* a LEA: the element's address is taken */
	struct lin base_form;		/* make_site: the array's first element, field included */
	bool unrelated;			/* the address does not follow the index */
	bool found;
	/* Stand-ins when the path ends with no access depending on the index. */
	bool have_lea, have_data;
	size_t lea_k, data_k;
	int lea_op, data_op;
	struct lin lea_addr, data_addr;
	struct eval at_lea, at_data;
};

struct finder {
	const struct gobin *gb;
	const struct gobin_func *fn;
	const struct code *c;
	/* Accesses taken by a site: access address, probe address. */
	uint64_t (*claimed)[2];
	size_t nclaimed, capclaimed;
	uint64_t probe;			/* of the check being followed */
	uint64_t avoid;			/* an access that is not the followed check's */
	/* The usable checks met before in the same straight run, oldest
	 * first: subscripts an access may share (a row kept in a register). */
	struct check prior[MAX_PRIOR];
	int nprior;
	/* The bases (array and field offset) of the sites made, as forms. */
	struct lin *bases;
	size_t nbases, capbases;
};

static bool claimed_by_other(const struct finder *f, uint64_t access, uint64_t probe)
{
	for (size_t i = 0; i < f->nclaimed; i++)
		if (f->claimed[i][0] == access && f->claimed[i][1] != probe)
			return true;
	return false;
}

static bool depends(const struct lin *a, const struct lin *idx)
{
	for (int i = 0; i < idx->n; i++)
		if (lin_k(a, idx->v[i]))
			return true;
	return false;
}

/* A memory operand that can be the element: not the stack, not g. */
static bool data_operand(const struct xop *m)
{
	int s = slot_of(m->reg);

	return m->type == X86_OP_MEM && m->seg == X86_REG_INVALID && s != SLOT_SP &&
	       s != HS_REG_R14 / 8 && m->reg != X86_REG_RIP;
}

static void take(struct found *out, size_t k, int op, const struct lin *a, const struct eval *e)
{
	out->found = true;
	out->access = k;
	out->op = op;
	out->addr = *a;
	out->at_access = *e;
}

/* Calls that do not come back, or run other code on the goroutine's stack. */
static bool calls_out(const char *name)
{
	return !strncmp(name, "runtime.panic", 13) || !strncmp(name, "runtime.gopanic", 15) ||
	       !strcmp(name, "runtime.morestack_noctxt") || !strcmp(name, "runtime.throw");
}

/*
 * What a call leaves: every register a new value (Go's ABIInternal saves
 * none), and the stack slots of the caller but those where the callee may
 * spill its register arguments (the bottom of the caller's frame).
 */
#define ARG_SPILL 0xc0
static void call_clobbers(struct eval *e)
{
	for (int s = 0; s < NSLOTS; s++)
		if (s != SLOT_SP && s != SLOT_BP)
			e->r[s] = fresh(e);
	for (int k = 0; k < NSPILL; k++) {
		struct lin *at = &e->spill[k].at;

		if (e->spill[k].used && (at->n != 1 || at->v[0] != e->r[SLOT_SP].v[0] ||
					 lin_k(at, at->v[0]) != 1 || at->c - e->r[SLOT_SP].c < ARG_SPILL))
			e->spill[k].used = false;
	}
}

/*
 * Follows the access side of ck from instruction k with forms e until the
 * access: the first memory operand whose address depends on the index (on
 * the first data operand for a constant index). Other checks on the way are
 * kept: one whose index also takes part in the address makes the access
 * two-dimensional.
 */
static bool follow(struct finder *f, const struct check *ck, ssize_t k, struct eval e,
		   int steps, int forks, struct found *out)
{
	const struct code *c = f->c;
	const struct lin *idx = &ck->idx;

	for (; k >= 0 && (size_t)k < c->n && steps < MAX_PATH; steps++) {
		const struct xins *i = &c->in[k];
		uint64_t to;

		if (i->id == X86_INS_CALL) {
			const char *name = callee_name(f->gb, i);

			/* The write barrier keeps every register but R11; Duff's
			 * devices move SI and DI. */
			if (name && !strncmp(name, "runtime.gcWriteBarrier", 22)) {
				e.r[SLOT_R11] = fresh(&e);
			} else if (name && (!strcmp(name, "runtime.duffzero") ||
					    !strcmp(name, "runtime.duffcopy"))) {
				e.r[HS_REG_SI / 8] = fresh(&e);
				e.r[HS_REG_DI / 8] = fresh(&e);
			} else if (name && !calls_out(name) && steps < MAX_PATH / 2) {
				/* Another call: Go's ABI keeps no register, but the
				 * caller's own stack slots above the callee's. */
				call_clobbers(&e);
			} else {
				return false;
			}
			k++;
			continue;
		}
		if (i->id == X86_INS_RET || i->id == X86_INS_INT3 || i->id == X86_INS_UD2)
			return false;
		if (i->id == X86_INS_JMP) {
			if (!target_of(i, &to))
				return false;
			k = code_find(c, to);
			continue;
		}
		if (is_jcc_id(i->id)) {
			struct check c2;

			if (find_check(f->gb, c, k, &e, &c2)) {
				/* i+1 checked after i is the same index, not a dimension. */
				bool same = same_vars(&c2.idx, idx) || c2.why;

				for (int m = 0; m < out->nmore && !same; m++)
					same = same_vars(&c2.idx, &out->more[m].idx);
				if (!same && out->nmore < MAX_MORE) {
					out->more[out->nmore] = c2;
					out->at_more[out->nmore++] = e;
				} else if (!same && out->nover < MAX_MORE) {
					out->over[out->nover++] = c2.idx;
				}
				k = code_find(c, c2.access);
				continue;
			}
			/* Another condition (a write barrier's): either way. */
			if (forks < MAX_FORKS && target_of(i, &to)) {
				struct found fall = *out, alt = *out;

				if (follow(f, ck, k + 1, e, steps + 1, forks + 1, &fall) &&
				    fall.found) {
					*out = fall;
					return true;
				}
				if (follow(f, ck, code_find(c, to), e, steps + 1, forks + 1, &alt) &&
				    alt.found) {
					*out = alt;
					return true;
				}
			}
			k++;
			continue;
		}
		for (int o = 0; o < i->nops && i->id != X86_INS_NOP; o++) {
			const struct xop *m = &i->op[o];
			struct lin a;

			if (m->type != X86_OP_MEM)
				continue;
			a = mem_addr(&e, i, m);
			if (i->id == X86_INS_LEA) {
				if (idx->n && depends(&a, idx) && !out->have_lea &&
				    i->addr != f->avoid) {
					out->have_lea = true;
					out->lea_k = k;
					out->lea_op = o;
					out->lea_addr = a;
					out->at_lea = e;
				}
				continue;
			}
			/* An array on the stack is indexed with a register; spills are not. */
			if ((data_operand(m) || (slot_of(m->reg) == SLOT_SP &&
						 m->index != X86_REG_INVALID)) &&
			    !out->have_data && steps < 8 && i->addr != f->avoid) {
				out->have_data = true;
				out->data_k = k;
				out->data_op = o;
				out->data_addr = a;
				out->at_data = e;
			}
			if (idx->n ? !depends(&a, idx) : !data_operand(m))
				continue;
			if (i->addr == f->avoid || claimed_by_other(f, i->addr, f->probe))
				continue;
			take(out, k, o, &a, &e);
			return true;
		}
		eval_insn(&e, i);
		k++;
	}
	return false;
}

/* Fills the site's simple forms from its linear ones. */
static void site_simple(struct gobin_site *s)
{
	if (lin_simple_reg(&s->index))
		s->index_reg = s->index.reg;
	else if (lin_simple_const(&s->index))
		s->index_const = s->index.add;
	if (s->row.known && lin_simple_reg(&s->row))
		s->row_reg = s->row.reg;
	else if (s->row.known && lin_simple_const(&s->row))
		s->row_const = s->row.add;
	if (lin_simple_reg(&s->len))
		s->len_reg = s->len.reg;
	else if (lin_simple_const(&s->len) && !s->len.bias)
		s->len_const = s->len.add;
	if (lin_simple_reg(&s->base))
		s->base_reg = s->base.reg;
	else if (lin_simple_const(&s->base) && s->base.bias == 1)
		s->base_addr = s->base.add;
}

/* rest = a - m * idx, m its multiple of idx in a; 0 when none. */
static int64_t multiple(const struct lin *a, const struct lin *idx, struct lin *rest)
{
	int64_t x, y, m;

	if (!idx->n)
		return 0;
	x = lin_k(a, idx->v[0]);
	y = idx->k[0];
	if (!x || (m = exact_div(x, y)) <= 0 || !lin_axpy(rest, a, -m, idx) ||
	    depends(rest, idx))
		return 0;
	return m;
}

/*
 * Of the earlier checks of p's variable (y-1, y, y+1...), the one that
 * leaves the base an access already made a site of has (the same array
 * through the same register, its field at the same offset): p's group
 * read ybr[y+k][x-1] with each row on its own check, so the store to
 * ybr[y][x] is the row that gives their base. NULL when none or several do.
 */
static const struct check *known_base_row(const struct finder *f, const struct lin *base,
					  const struct check *p)
{
	const struct check *pick = NULL;

	for (int r = 0; r < f->nprior; r++) {
		const struct check *c = &f->prior[r];
		struct lin trial;

		if (!same_vars(&c->idx, &p->idx) || !multiple(base, &c->idx, &trial))
			continue;
		for (size_t b = 0; b < f->nbases; b++) {
			if (!lin_eq(&trial, &f->bases[b]))
				continue;
			if (pick && !lin_eq(&pick->idx, &c->idx))
				return NULL;
			pick = c;
		}
	}
	return pick;
}

/* A subscript of an access: its check, and what it multiplies in the address. */
struct dim {
	const struct check *ck;
	int64_t stride;
};

static int cmp_dim(const void *a, const void *b)
{
	const struct dim *x = a, *y = b;

	return (x->stride < y->stride) - (x->stride > y->stride);
}

/*
 * The site of a found access: elem_size and the base from the address and
 * the index, everything written with the registers at the probe (the last
 * check's jump), or at the access when they are not all there.
 *
 * Later checks on the path whose indices also take part make the access
 * multi-dimensional: a[i0][i1]...[in] with strides s0 > s1 > ... > sn =
 * elem_size. The last subscript is the column; the others combine into
 * the row of the last dimension, row = sum(ik * sk / s(n-1)), so that
 * index = row * (s(n-1) / sn) + col is the element's place in the whole
 * array. Three or more subscripts must be those of nested arrays (each
 * stride the next one times its constant bound), or a row would mean
 * nothing: such an access is no site.
 *
 * A subscript may also have been checked before this check, in the same
 * straight run (with_prior): a row computed once for several accesses,
 * grid[r][c1] + grid[r][c2], or a column checked once for two rows,
 * grid[r1][c] * grid[r2][c]. Its index still in the address makes it one
 * of the dimensions, in the order of the strides; its bound must hold the
 * next dimension, or it is no dimension of this array.
 */
static const char *make_site(struct finder *f, const struct check *ck, struct found *fd,
			     bool with_prior, struct gobin_site *s)
{
	const struct check *last = ck, *col;
	const struct eval *at_check = &fd->at_first;
	const struct xins *acc = &f->c->in[fd->access];
	const struct xop *m = &acc->op[fd->op];
	struct lin rest = fd->addr, base, rowf = { 0 };
	struct dim dim[MAX_DIMS];
	int64_t e = 0, rs = 0;
	int n = 1, npath;
	bool prior = false;	/* a subscript checked before, or out of order */

	/* Later checks whose indices also take part: the other subscripts. */
	dim[0] = (struct dim){ .ck = ck };
	fd->dims[0] = -1;
	for (int k = 0; k < fd->nmore && !fd->unrelated; k++) {
		if (!depends(&fd->addr, &fd->more[k].idx))
			continue;
		fd->dims[n] = k;
		dim[n++].ck = &fd->more[k];
		last = &fd->more[k];
		at_check = &fd->at_more[k];
	}
	npath = n;
	fd->ndims = 0;
	fd->ncand = n;
	for (int k = 0; k < fd->nover && !fd->unrelated; k++)
		if (depends(&fd->addr, &fd->over[k]))
			return WHY_DIMS;
	if (fd->unrelated) {
		e = 0;
		base = fd->addr;
	} else if (last->idx.n) {
		if (!(e = multiple(&fd->addr, &last->idx, &rest)))
			return WHY_NOT_LINEAR;
		base = rest;
	} else {
		base = fd->addr;
	}
	/* The strides of the other subscripts, innermost first. */
	dim[n - 1].stride = e;
	for (int d = n - 2; d >= 0; d--) {
		if (!(dim[d].stride = multiple(&rest, &dim[d].ck->idx, &base)))
			return WHY_NOT_LINEAR;
		rest = base;
	}
	/* Subscripts checked before, newest first, whose indices are left in
	 * the address. */
	for (int k = f->nprior - 1; with_prior && e && k >= 0 && n < MAX_DIMS; k--) {
		const struct check *p = &f->prior[k];
		int64_t st;
		bool seen = false;

		for (int d = 0; d < n && !seen; d++)
			seen = same_vars(&p->idx, &dim[d].ck->idx);
		if (seen || !p->idx.n || !depends(&base, &p->idx))
			continue;
		/* y-1, y and y+1 all checked: the address alone cannot tell
		 * which one the row is (it is 32*y plus a constant either way). */
		for (int q = 0; q < f->nprior; q++) {
			if (q != k && same_vars(&f->prior[q].idx, &p->idx) &&
			    !lin_eq(&f->prior[q].idx, &p->idx)) {
				if (!(p = known_base_row(f, &base, p)))
					return WHY_AMBIGUOUS;
				break;
			}
		}
		if (!(st = multiple(&base, &p->idx, &rest)))
			return WHY_NOT_LINEAR;
		base = rest;
		dim[n++] = (struct dim){ .ck = p, .stride = st };
		prior = true;
	}
	/* Subscripts checked out of the order of their strides (the column
	 * first, for an earlier access) are put in it. */
	for (int d = 1; d < n; d++)
		prior = prior || dim[d - 1].stride < dim[d].stride;
	if (prior) {
		qsort(dim, (size_t)n, sizeof(*dim), cmp_dim);
		e = dim[n - 1].stride;
	}
	/* Each dimension holds the next: exactly, for three or more (nested
	 * arrays); at least, for two put in order here (a row may be a struct
	 * holding the array). */
	for (int d = 1; d < n && (prior || n > 2); d++) {
		const struct lin *len = &dim[d].ck->len;
		int64_t next = wmul(dim[d].stride, len->c);

		if (len->n || len->addr || len->c <= 0 ||
		    (n > 2 ? dim[d - 1].stride != next : dim[d - 1].stride < next))
			return WHY_NESTED;
	}
	col = dim[n - 1].ck;
	/* The subscripts on the path are known: their checks are this access's. */
	fd->ndims = npath > 1 ? npath : 0;
	if (n > 1) {
		rs = dim[n - 2].stride;
		for (int d = 0; d < n - 1; d++)
			if (!lin_axpy(&rowf, &rowf, dim[d].stride / rs, &dim[d].ck->idx))
				return WHY_ROW;
	}
	fd->base_form = base;
	/* Split the base into the array (register or address) and a field offset. */
	s->disp = 0;
	if (base.n && !base.addr) {
		s->disp = base.c;
		base.c = 0;
	}
	s->kind = GOBIN_SITE_ACCESS;
	s->dims = n;
	s->elem_size = e;
	s->row_size = rs;
	s->read_size = fd->address_of ? 0 : m->size;
	s->is_write = m->access & CS_AC_WRITE;
	s->access_vaddr = acc->addr;
	s->mem_base_reg = m->reg == X86_REG_RIP ? HS_REG_IP :
			  slot_of(m->reg) >= 0 ? slot_of(m->reg) * 8 : HS_REG_NONE;
	s->mem_index_reg = slot_of(m->index) >= 0 ? slot_of(m->index) * 8 : HS_REG_NONE;
	s->mem_scale = m->index != X86_REG_INVALID ? m->scale : 0;
	s->mem_disp = m->val;
	/* At the last check's jump, the cheap place, else at the access. */
	for (int place = 0; place < 2; place++) {
		const struct eval *at = place ? &fd->at_access : at_check;
		bool ok;

		ok = express_index(at, &col->idx, e, &s->index) &&
		     express(at, &base, false, &s->base);
		if (ok && n > 1)
			ok = express_index(at, &rowf, rs, &s->row);
		if (!ok)
			continue;
		/* The column's bound, where its check is the probe's. */
		if (col != last || !express(at, &col->len, false, &s->len))
			lin_none(&s->len);
		if (place) {
			s->vaddr = acc->addr;
			s->at_access = true;
			s->skip_if_any_set = s->skip_if_all_clear = 0;
			s->check_vaddr = 0;
		} else {
			s->vaddr = f->c->in[last->jcc].addr;
			s->skip_if_any_set = last->skip_any;
			s->skip_if_all_clear = last->skip_all;
			s->check_vaddr = last->cmp ? last->cmp : s->vaddr;
		}
		/* The rows' bound: the product of the other subscripts' bounds. */
		s->row_len = n > 1 ? 1 : 0;
		for (int d = 0; d < n - 1 && s->row_len; d++) {
			if (dim[d].ck->len.n || dim[d].ck->len.addr)
				s->row_len = 0;
			else
				s->row_len = wmul(s->row_len, dim[d].ck->len.c);
		}
		site_simple(s);
		return NULL;
	}
	return !express_index(&fd->at_access, &col->idx, e, &s->index) ? WHY_INDEX :
	       n > 1 && !express_index(&fd->at_access, &rowf, rs, &s->row) ? WHY_ROW : WHY_BASE;
}

/* --- a function's accesses ------------------------------------------------------ */

/* A memory operand at a constant address plus something: an access of a
 * global, maybe without a bounds check. */
struct gref {
	size_t k;		/* instruction index */
	int op;
	uint64_t target;	/* the link-time address the form starts from */
};

/* An indexed memory operand, maybe an access no check guards: its address
 * in the forms of the scan, and its site when it can be one. */
struct ucand {
	struct lin a;
	int64_t elem;
	bool ok;
	struct gobin_site s;
};

/* The check of a later subscript of a[i][j]...: its access is the first
 * check's, and so is its site. */
struct inner {
	uint64_t jump;		/* the subscript's check */
	uint64_t access;	/* the access instruction */
	bool sited;		/* the access is a site */
};

struct scan {
	struct gobin_accesses a;
	size_t capsites, capskips;
	struct gref *refs;	/* only when asked for */
	size_t nrefs, caprefs;
	struct code code;	/* kept for refs */
	struct lin *accessed;	/* the address forms of the sites' accesses */
	size_t naccessed, capaccessed;
	/* panicIndex calls: address, reached by a site or a covered row, by a check */
	uint64_t (*calls)[3];
	size_t ncalls, capcalls;
	/* The later subscripts' checks of the multi-dimensional accesses found. */
	struct inner *inner;
	size_t ninner, capinner;
	/* Indexed accesses that may have no bounds check, in code order, and
	 * the accesses of the checks (sites or not): theirs, whatever the
	 * check gave. */
	struct ucand *ucand;
	size_t nucand, capucand;
	uint64_t *checked;
	size_t nchecked, capchecked;
};

static void scan_free(struct scan *sc)
{
	gobin_accesses_free(&sc->a);
	free(sc->refs);
	free(sc->calls);
	free(sc->inner);
	free(sc->ucand);
	free(sc->checked);
	free(sc->accessed);
	code_free(&sc->code);
}

static int note_call(struct scan *sc, uint64_t call, bool sited, bool checked)
{
	uint64_t item[3] = { call, sited, checked };

	for (size_t i = 0; i < sc->ncalls; i++) {
		if (sc->calls[i][0] == call) {
			sc->calls[i][1] |= sited;
			sc->calls[i][2] |= checked;
			return 0;
		}
	}
	return push((void **)&sc->calls, &sc->ncalls, &sc->capcalls, sizeof(item), item);
}

static int add_skip(struct finder *f, struct scan *sc, uint64_t vaddr, const char *why,
		    bool covered)
{
	struct gobin_skip k = {
		.vaddr = vaddr, .func = f->fn->name, .func_offset = vaddr - f->fn->addr,
		.reason = why, .covered = covered,
	};

	position(f->gb, vaddr, k.func, &k.file, &k.line, &k.inlined_from);
	return push((void **)&sc->a.skips, &sc->a.nskips, &sc->capskips, sizeof(k), &k);
}

static const struct inner *inner_of(const struct scan *sc, uint64_t jump)
{
	for (size_t i = 0; i < sc->ninner; i++)
		if (sc->inner[i].jump == jump)
			return &sc->inner[i];
	return NULL;
}

/* The later subscripts' checks of a multi-dimensional access found from ck. */
static int note_inner(struct finder *f, struct scan *sc, const struct found *fd, bool sited)
{
	int err = 0;

	for (int d = 1; d < fd->ndims && !err; d++) {
		struct inner in = {
			.jump = f->c->in[fd->more[fd->dims[d]].jcc].addr,
			.access = f->c->in[fd->access].addr,
			.sited = sited,
		};

		if (!inner_of(sc, in.jump))
			err = push((void **)&sc->inner, &sc->ninner, &sc->capinner, sizeof(in),
				   &in);
	}
	return err;
}

static bool site_at(const struct scan *sc, uint64_t vaddr)
{
	for (size_t i = 0; i < sc->a.nsites; i++)
		if (sc->a.sites[i].vaddr == vaddr)
			return true;
	return false;
}

static int check_site(struct finder *f, struct scan *sc, const struct check *ck,
		      const struct eval *e)
{
	struct found fd = { 0 };
	struct gobin_site s;
	const char *why = ck->why;
	uint64_t jump = f->c->in[ck->jcc].addr;
	/* A later subscript of an access found from an earlier check: that
	 * access is not this check's own (its index would be one subscript). */
	const struct inner *in = inner_of(sc, jump);
	int err;

	if (!why) {
		fd.at_first = *e;
		f->probe = jump;
		f->avoid = in ? in->access : 0;
		follow(f, ck, code_find(f->c, ck->access), *e, 0, 0, &fd);
		f->avoid = 0;
		/* No load or store of the element: its address taken (&a[i]), or an
		 * access whose address does not follow the index (both were
		 * spilled apart), right after the check. */
		if (in) {
			/* A subscript has no stand-in: its own index is no element's. */
		} else if (!fd.found && fd.have_lea) {
			take(&fd, fd.lea_k, fd.lea_op, &fd.lea_addr, &fd.at_lea);
			fd.address_of = true;
		} else if (!fd.found && fd.have_data) {
			take(&fd, fd.data_k, fd.data_op, &fd.data_addr, &fd.at_data);
			fd.unrelated = true;
		}
		if (!fd.found)
			why = WHY_NO_ACCESS;
	}
	if (!why) {
		site_init(&s);
		s.func = f->fn->name;
		why = make_site(f, ck, &fd, true, &s);
		/* An earlier check that is no dimension of this array (its index
		 * in the address some other way): the access without it. One that
		 * is, but whose row no register holds, leaves no site: without
		 * it the row would read 0. */
		if ((why == WHY_NESTED || why == WHY_NOT_LINEAR) && f->nprior) {
			site_init(&s);
			s.func = f->fn->name;
			why = make_site(f, ck, &fd, false, &s);
		}
		/* The index reaches the address some other way: the access next to
		 * the check stands in (for one subscript only: a stand-in knows
		 * no row). */
		if (why == WHY_NOT_LINEAR && !fd.unrelated && fd.have_data &&
		    fd.data_k != fd.access && fd.ncand <= 2) {
			take(&fd, fd.data_k, fd.data_op, &fd.data_addr, &fd.at_data);
			fd.unrelated = true;
			fd.address_of = false;
			site_init(&s);
			s.func = f->fn->name;
			why = make_site(f, ck, &fd, false, &s);
		}
		err = fd.found ? note_inner(f, sc, &fd, !why) : 0;
		if (err)
			return err;
	}
	if (fd.found) {
		uint64_t at = f->c->in[fd.access].addr;

		err = push((void **)&sc->checked, &sc->nchecked, &sc->capchecked, sizeof(at), &at);
		if (err)
			return err;
	}
	/* A subscript whose probe would be its access's (the column's check):
	 * that site is there, and the access found on the way is some other
	 * check's to take. */
	if (!why && in && site_at(sc, s.vaddr))
		why = WHY_DIM_OF;
	if (why && in) {
		err = add_skip(f, sc, jump, in->sited ? WHY_DIM_OF : WHY_DIM_OF_NONE, in->sited);
		return err ? err : note_call(sc, ck->call, in->sited, true);
	}
	if (why) {
		err = add_skip(f, sc, jump, why, false);
		return err ? err : note_call(sc, ck->call, false, true);
	}
	s.func_offset = s.vaddr - f->fn->addr;
	position(f->gb, s.access_vaddr, s.func, &s.file, &s.line, &s.inlined_from);
	err = gobin__vaddr_to_offset(f->gb, s.vaddr, &s.file_offset);
	if (!err)
		err = push((void **)&sc->a.sites, &sc->a.nsites, &sc->capsites, sizeof(s), &s);
	if (!err) {
		uint64_t claim[2] = { s.access_vaddr, s.vaddr };

		err = push((void **)&f->claimed, &f->nclaimed, &f->capclaimed, sizeof(claim),
			   claim);
	}
	if (!err)
		err = note_call(sc, ck->call, true, true);
	if (!err)
		err = push((void **)&sc->accessed, &sc->naccessed, &sc->capaccessed,
			   sizeof(fd.addr), &fd.addr);
	if (!err && !fd.unrelated)
		err = push((void **)&f->bases, &f->nbases, &f->capbases, sizeof(fd.base_form),
			   &fd.base_form);
	/* The row's check is part of a 2-D site at the column's check. */
	if (!err && s.vaddr != jump && s.row_size) {
		err = add_skip(f, sc, jump, WHY_ROW_OF, true);
		for (int k = 0; k < fd.nmore && !err; k++)
			if (f->c->in[fd.more[k].jcc].addr == s.vaddr)
				err = note_call(sc, fd.more[k].call, true, true);
	}
	return err;
}

static int cmp_site(const void *a, const void *b)
{
	const struct gobin_site *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	/* The most subscripts first: it is kept. */
	return (y->dims > x->dims) - (y->dims < x->dims);
}

static int cmp_skip(const void *a, const void *b)
{
	const struct gobin_skip *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Instructions whose memory operand is no element access: an address, a
 * hint, or a string instruction that moves a whole block. */
static bool not_an_access(const struct xins *i)
{
	switch (i->id) {
	case X86_INS_MOVSD:	/* also SSE's scalar double move: that one has a register */
	case X86_INS_CMPSD:
		return i->nops >= 2 && i->op[0].type == X86_OP_MEM && i->op[1].type == X86_OP_MEM;
	case X86_INS_LEA: case X86_INS_NOP: case X86_INS_PREFETCHT0: case X86_INS_PREFETCHT1:
	case X86_INS_PREFETCHT2: case X86_INS_PREFETCHNTA: case X86_INS_PREFETCHW:
	case X86_INS_MOVSB: case X86_INS_MOVSW: case X86_INS_MOVSQ:
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD: case X86_INS_STOSQ:
	case X86_INS_LODSB: case X86_INS_LODSW: case X86_INS_LODSD: case X86_INS_LODSQ:
	case X86_INS_CMPSB: case X86_INS_CMPSW: case X86_INS_CMPSQ:
	case X86_INS_SCASB: case X86_INS_SCASW: case X86_INS_SCASD: case X86_INS_SCASQ:
		return true;
	default:
		return false;
	}
}

/* A load of a jump table's entry: the loaded register is jumped to. */
static bool jump_table_load(const struct code *c, size_t k)
{
	const struct xins *i = &c->in[k];

	if (i->id != X86_INS_MOV || i->nops != 2 || i->op[0].type != X86_OP_REG)
		return false;
	for (size_t q = k + 1; q < c->n && q <= k + 3; q++) {
		const struct xins *j = &c->in[q];

		if (j->id == X86_INS_JMP && j->nops == 1 && j->op[0].type == X86_OP_REG &&
		    slot_of(j->op[0].reg) == slot_of(i->op[0].reg))
			return true;
		if (is_jcc_id(j->id) || j->id == X86_INS_JMP || j->id == X86_INS_CALL ||
		    j->id == X86_INS_RET)
			break;
	}
	return false;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return q - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * An indexed access that no bounds check guards (a range loop, an index
 * the compiler proved in range): base + index*scale + disp with an index
 * register. The probe sits on the access; the element's size is the scale
 * times what the index register was multiplied by in this run of code
 * (16*i for 16-byte elements), whole elements of the displacement are the
 * index's (s[i+1]), the rest a field's offset. Recorded as a candidate:
 * unchecked_keep decides once the function's checked sites are known.
 */
static int unchecked_site(struct finder *f, struct scan *sc, size_t k, int o,
			  const struct eval *e)
{
	const struct xins *i = &f->c->in[k];
	const struct xop *m = &i->op[o];
	int xs = slot_of(m->index);
	struct ucand u = { .ok = false };
	struct gobin_site *s = &u.s;
	struct lin x, t, base;
	int64_t k0 = 1, q;
	struct eval at;

	if (m->type != X86_OP_MEM || xs < 0 || !wide(m->index) || not_an_access(i) ||
	    i->id == X86_INS_CALL || i->id == X86_INS_JMP ||
	    (m->scale != 1 && m->scale != 2 && m->scale != 4 && m->scale != 8) ||
	    !(data_operand(m) || slot_of(m->reg) == SLOT_SP) || jump_table_load(f->c, k))
		return 0;
	at = *e;
	u.a = mem_addr(&at, i, m);
	x = e->r[xs];
	if (x.n == 1 && x.k[0] > 1)
		k0 = x.k[0];
	u.elem = m->scale * k0;
	t = x;
	t.c = 0;
	for (int v = 0; v < t.n; v++)
		t.k[v] /= k0;
	site_init(s);
	s->access_vaddr = i->addr;
	if (!x.addr && x.n && lin_axpy(&base, &u.a, -u.elem, &t)) {
		if (base.n && !base.addr) {
			q = floor_div(base.c, u.elem);
			t.c = q;
			base.c -= q * u.elem;
			s->disp = base.c;
			base.c = 0;
		}
		u.ok = express_index(&at, &t, u.elem, &s->index) &&
		       express(&at, &base, false, &s->base);
	}
	if (u.ok) {
		s->func = f->fn->name;
		s->kind = GOBIN_SITE_ACCESS;
		s->dims = 1;
		s->elem_size = u.elem;
		lin_none(&s->len);
		s->at_access = s->unchecked = true;
		s->vaddr = i->addr;
		s->read_size = m->size;
		s->is_write = m->access & CS_AC_WRITE;
		s->mem_base_reg = slot_of(m->reg) >= 0 ? slot_of(m->reg) * 8 : HS_REG_NONE;
		s->mem_index_reg = xs * 8;
		s->mem_scale = m->scale;
		s->mem_disp = m->val;
		site_simple(s);
		s->func_offset = s->vaddr - f->fn->addr;
		position(f->gb, s->access_vaddr, s->func, &s->file, &s->line, &s->inlined_from);
		u.ok = !gobin__vaddr_to_offset(f->gb, s->vaddr, &s->file_offset);
	}
	return push((void **)&sc->ucand, &sc->nucand, &sc->capucand, sizeof(u), &u);
}

/* a and b address one element of elem bytes: they differ by less than it. */
static bool same_element(const struct lin *a, const struct lin *b, int64_t elem)
{
	struct lin d;

	return lin_axpy(&d, a, -1, b) && !d.n && !d.addr && d.c > -elem && d.c < elem;
}

/*
 * The candidates that are accesses of their own: not a checked site's
 * access, nor another field or the store of an element an earlier one
 * (checked or not) already counts in the same run.
 */
static int unchecked_keep(struct scan *sc)
{
	int err = 0;

	for (size_t n = 0; n < sc->nucand && !err; n++) {
		struct ucand *u = &sc->ucand[n];
		bool dup = false;

		/* sc->checked holds every checked site's access too */
		for (size_t q = 0; q < sc->nchecked && !dup; q++)
			dup = sc->checked[q] == u->s.access_vaddr;
		for (size_t q = 0; q < n && !dup; q++)
			dup = same_element(&sc->ucand[q].a, &u->a, u->elem);
		for (size_t q = 0; q < sc->naccessed && !dup; q++)
			dup = same_element(&sc->accessed[q], &u->a, u->elem);
		if (!dup && u->ok)
			err = push((void **)&sc->a.sites, &sc->a.nsites, &sc->capsites,
				   sizeof(u->s), &u->s);
	}
	return err;
}

/* Every check of fn; with refs, also the memory operands at constant addresses. */
static int scan_func(const struct gobin *gb, const struct gobin_func *fn, bool refs,
		     bool unchecked, struct scan *sc)
{
	struct finder f = { .gb = gb, .fn = fn };
	struct lin last = { 0 };
	bool have_last = false;
	uint32_t next = 0;
	struct eval e = { .next = &next };
	struct code c;
	size_t w = 0;
	int err;

	memset(sc, 0, sizeof(*sc));
	err = code_decode(gb, fn->addr, fn->size, &c);
	if (err)
		return err == -ENOENT ? 0 : err;
	f.c = &c;
	eval_reset(&e);
	for (size_t k = 0; k < c.n && !err; k++) {
		const struct xins *i = &c.in[k];
		struct check ck;

		/* A straight-line run starts where a jump lands or after a jump. */
		if (i->target || (k && (c.in[k - 1].id == X86_INS_JMP ||
					c.in[k - 1].id == X86_INS_RET ||
					c.in[k - 1].id == X86_INS_UD2 ||
					c.in[k - 1].id == X86_INS_INT3))) {
			eval_reset(&e);
			have_last = false;
			f.nprior = 0;
		}
		if (i->id == X86_INS_CALL && is_panic_index(callee_name(gb, i)))
			err = note_call(sc, i->addr, false, false);
		for (int o = 0; unchecked && !err && o < i->nops; o++)
			err = unchecked_site(&f, sc, k, o, &e);
		if (!err && is_jcc_id(i->id) && find_check(gb, &c, k, &e, &ck)) {
			err = check_site(&f, sc, &ck, &e);
			if (!ck.why && ck.idx.n) {
				/* the newest MAX_PRIOR, oldest first */
				if (f.nprior == MAX_PRIOR)
					memmove(f.prior, f.prior + 1, --f.nprior * sizeof(*f.prior));
				f.prior[f.nprior++] = ck;
			}
		}
		for (int o = 0; refs && !err && o < i->nops && !not_an_access(i); o++) {
			struct lin a;

			if (i->op[o].type != X86_OP_MEM)
				continue;
			a = mem_addr(&e, i, &i->op[o]);
			/* The store of a read-modify-write whose read is a site, or is
			 * the ref just before. */
			for (size_t q = 0; q < sc->naccessed && a.addr; q++)
				if (lin_eq(&sc->accessed[q], &a))
					a.addr = 0;
			if (a.addr && have_last && lin_eq(&last, &a))
				a.addr = 0;
			if (a.addr) {
				last = a;
				have_last = true;
				struct gref r = { k, o, a.c };

				err = push((void **)&sc->refs, &sc->nrefs, &sc->caprefs, sizeof(r),
					   &r);
			}
		}
		eval_insn(&e, i);
	}
	if (!err && unchecked)
		err = unchecked_keep(sc);
	/* Calls no site's jump reaches, with the reason of their checks or none. */
	for (size_t i = 0; i < sc->ncalls && !err; i++)
		if (!sc->calls[i][1] && !sc->calls[i][2])
			err = add_skip(&f, sc, sc->calls[i][0], WHY_NO_JUMP, false);
	if (!err) {
		sc->a.nchecks = sc->ncalls;
		for (size_t i = 0; i < sc->ncalls; i++)
			sc->a.nchecks_sited += sc->calls[i][1] != 0;
		/* One site per probe address. */
		if (sc->a.nsites)
			qsort(sc->a.sites, sc->a.nsites, sizeof(*sc->a.sites), cmp_site);
		for (size_t r = 0; r < sc->a.nsites; r++)
			if (!w || sc->a.sites[w - 1].vaddr != sc->a.sites[r].vaddr)
				sc->a.sites[w++] = sc->a.sites[r];
		sc->a.nsites = w;
		if (sc->a.nskips)
			qsort(sc->a.skips, sc->a.nskips, sizeof(*sc->a.skips), cmp_skip);
	}
	if (refs && !err) {
		/* Keep the code: refs point into it. */
		sc->code = c;
	} else {
		code_free(&c);
	}
	free(f.claimed);
	free(f.bases);
	if (err)
		scan_free(sc);
	return err;
}

void gobin_accesses_free(struct gobin_accesses *a)
{
	if (!a)
		return;
	free(a->sites);
	free(a->skips);
	memset(a, 0, sizeof(*a));
}

static bool ref_site(const struct gobin *gb, const struct gobin_func *fn, const struct code *c,
		     const struct gref *r, const struct gobin_var *v, struct gobin_site *s);

/*
 * Does a check site of a known array v, whose base is off bytes into it,
 * index it as it is: the element's size and, for an array of N >= 2
 * dimensions, a row of the last dimension, with only a field's offset
 * left? A 2-D array also takes a row as its element (&grid[r]).
 */
static bool site_fits(const struct gobin_var *v, const struct gobin_site *s, uint64_t off)
{
	if (s->row_size)
		return v->cols && s->row_size == v->elem_size && s->elem_size == v->col_size &&
		       off < v->col_size;
	return (!v->cols || v->dims == 2) && s->elem_size == v->elem_size && off < v->elem_size;
}

/*
 * A check site of an N-D array v that does not fit it (a subscript folded
 * into the address as a constant, cube[5][b][c], or a plane's stride
 * where a row's is wanted): the probe moves to the access instruction and
 * the index comes from the address, row and column by / and %, which is
 * exact whatever the machine code made of the subscripts. False when the
 * access is no load or store (an address taken).
 */
static bool site_from_address(const struct gobin *gb, const struct gobin_func *fn,
			      const struct code *c, const struct gobin_var *v,
			      struct gobin_site *s)
{
	ssize_t k = code_find(c, s->access_vaddr);
	const struct xins *i;

	if (k < 0 || (size_t)k >= c->n || c->in[k].addr != s->access_vaddr)
		return false;
	i = &c->in[k];
	if (not_an_access(i))
		return false;
	for (int o = 0; o < i->nops; o++) {
		struct gref r = { (size_t)k, o, s->base_addr + (uint64_t)s->disp };
		struct gobin_site t;

		if (i->op[o].type != X86_OP_MEM)
			continue;
		if (!ref_site(gb, fn, c, &r, v, &t))
			return false;
		*s = t;
		return true;
	}
	return false;
}

static const char *const WHY_ND_PART = "an address into an N-D array whose subscripts "
				       "are not all known (an address taken)";

/*
 * Name the global an access's base address lies in. An array's site
 * counts from its first element (a field's offset in disp); one of an
 * N-D array that does not fit it is counted from the address, or is no
 * site (the reason) when it is no load or store.
 */
static const char *site_var(const struct gobin *gb, const struct gobin_func *fn,
			    const struct code *c, struct gobin_site *s)
{
	uint64_t start, size, off;
	struct gobin_var v;

	if (!s->base_addr)
		return NULL;
	s->var = gobin_global_at_addr(gb, s->base_addr, &start, &size);
	if (!s->var || gobin__find_var(gb, s->var, &v) || v.kind != GOBIN_KIND_ARRAY)
		return NULL;
	off = s->base_addr - v.addr;
	if (!v.cols && v.elem_size == (s->row_size ? s->row_size : s->elem_size)) {
		s->disp += off;
		s->base_addr = v.addr;
		s->base.add = v.addr;
	} else if (v.cols && site_fits(&v, s, off)) {
		s->disp += off;
		s->base_addr = v.addr;
		s->base.add = v.addr;
	} else if (v.cols && v.types_known && !site_from_address(gb, fn, c, &v, s)) {
		return WHY_ND_PART;
	}
	return NULL;
}

int gobin__func_accesses(const struct gobin *gb, const struct gobin_func *fn,
			 struct gobin_accesses *out)
{
	struct scan sc;
	int err;

	if (!gb || !fn || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	/* With refs: the code is kept, for the sites counted from the address.
	 * A function's own accesses include those with no bounds check. */
	err = scan_func(gb, fn, true, true, &sc);
	if (err)
		return err;
	for (size_t i = 0, w = 0, n = sc.a.nsites; i < n && !err; i++) {
		struct gobin_site *s = &sc.a.sites[i];
		const char *why;

		s->elem_size_from_scale = !gobin__has_dwarf(gb);
		why = site_var(gb, fn, &sc.code, s);
		if (!why) {
			sc.a.sites[w++] = *s;
		} else {
			struct gobin_skip k = {
				.vaddr = s->vaddr, .func_offset = s->func_offset,
				.func = s->func, .file = s->file, .line = s->line,
				.inlined_from = s->inlined_from, .reason = why,
			};

			sc.a.nsites--;
			sc.a.nchecks_sited -= sc.a.nchecks_sited > 0;
			err = push((void **)&sc.a.skips, &sc.a.nskips, &sc.capskips, sizeof(k),
				   &k);
		}
	}
	if (err) {
		scan_free(&sc);
		return err;
	}
	if (sc.a.nskips)
		qsort(sc.a.skips, sc.a.nskips, sizeof(*sc.a.skips), cmp_skip);
	*out = sc.a;
	memset(&sc.a, 0, sizeof(sc.a));
	scan_free(&sc);
	return 0;
}

int gobin__func_access_sites(const struct gobin *gb, const struct gobin_func *fn,
			     struct gobin_site **sites, size_t *n)
{
	struct gobin_accesses a;
	int err;

	if (!gb || !fn || !sites || !n)
		return -EINVAL;
	err = gobin__func_accesses(gb, fn, &a);
	if (err)
		return err;
	*sites = a.sites;
	*n = a.nsites;
	free(a.skips);
	return 0;
}

/*
 * Does the check site index var? Then express it relative to var: 1. A
 * site of an N-D array that does not fit it as it is: -1 (to be counted
 * from the address). Else 0.
 */
static int site_of_var(const struct gobin_var *v, struct gobin_site *s)
{
	uint64_t off;

	if (!s->base_addr || s->base_addr < v->addr ||
	    s->base_addr >= v->addr + (v->size ? v->size : 1))
		return 0;
	off = s->base_addr - v->addr;
	if (v->types_known && v->kind != GOBIN_KIND_ARRAY)
		return 0;
	if (v->types_known && !v->cols && s->dims == 2 && s->row_size == v->elem_size &&
	    off < v->elem_size && s->elem_size < v->elem_size) {
		/* ts[i].arr[j] of [N]T: element i of v, a field array's j. */
		s->outer = true;
	} else if (v->types_known) {
		/* The machine code's scale is the element's size, or a row's. */
		if (!site_fits(v, s, off))
			return v->cols ? -1 : 0;
	} else if (!s->elem_size) {
		return 0;
	}
	s->base_addr = v->addr;
	s->base.add = v->addr;
	s->disp += off;
	s->elem_size_from_scale = !v->types_known;
	return 1;
}

/*
 * An access of var at a constant address plus registers, without a bounds
 * check: the probe on the access, the index from its address.
 */
static bool ref_site(const struct gobin *gb, const struct gobin_func *fn, const struct code *c,
		     const struct gref *r, const struct gobin_var *v, struct gobin_site *s)
{
	const struct xins *i = &c->in[r->k];
	const struct xop *m = &i->op[r->op];
	uint64_t esz, off = r->target - v->addr, unit;
	struct gobin_lin a;

	site_init(s);
	if (v->types_known && v->kind != GOBIN_KIND_ARRAY)
		return false;
	esz = v->types_known ? (v->cols ? v->col_size : v->elem_size) :
	      m->index != X86_REG_INVALID ? m->scale : m->size;
	if (!esz)
		return false;
	/* The address, as registers at the access, less the array's start. */
	lin_none(&a);
	a.known = true;
	if (m->reg == X86_REG_RIP) {
		a.add = off;
	} else {
		if (slot_of(m->reg) < 0 || (m->index != X86_REG_INVALID && slot_of(m->index) < 0))
			return false;
		a.reg = slot_of(m->reg) * 8;
		a.mul = 1;
		if (m->index != X86_REG_INVALID) {
			a.reg2 = slot_of(m->index) * 8;
			a.mul2 = m->scale;
		}
		a.add = m->val - (int64_t)v->addr;
		a.bias = -1;
	}
	s->kind = GOBIN_SITE_ACCESS;
	s->at_access = true;
	s->vaddr = i->addr;
	s->func = fn->name;
	s->func_offset = i->addr - fn->addr;
	s->access_vaddr = i->addr;
	s->read_size = m->size;
	s->is_write = m->access & CS_AC_WRITE;
	s->mem_base_reg = m->reg == X86_REG_RIP ? HS_REG_IP :
			  slot_of(m->reg) >= 0 ? slot_of(m->reg) * 8 : HS_REG_NONE;
	s->mem_index_reg = slot_of(m->index) >= 0 ? slot_of(m->index) * 8 : HS_REG_NONE;
	s->mem_scale = m->index != X86_REG_INVALID ? m->scale : 0;
	s->mem_disp = m->val;
	s->var = v->global;
	s->elem_size_from_scale = !v->types_known;
	s->base_addr = v->addr;
	lin_none(&s->base);
	s->base.known = true;
	s->base.add = v->addr;
	s->base.bias = 1;
	lin_none(&s->len);
	if (v->types_known) {
		s->len.known = true;
		s->len.add = v->cols ? v->cols : v->len;
	}
	unit = v->cols ? v->elem_size : esz;
	if (!unit || unit < esz)
		return false;
	s->disp = off % esz;
	s->elem_size = esz;
	s->dims = v->cols ? (v->dims > 2 ? v->dims : 2) : 1;
	s->index = a;
	if (v->cols) {
		/* row = offset / row size, column = offset % row size / cell size */
		s->row_size = v->elem_size;
		s->row = a;
		s->row.div = unit;
		s->index.mod = unit;
		s->index.div = esz;
		s->row_len = v->len;
		s->disp = off % unit % esz;
	} else {
		s->index.div = esz;
	}
	if (m->reg == X86_REG_RIP) {
		/* A constant index: fold it. */
		s->index.add = v->cols ? off % unit / esz : off / esz;
		s->index.mod = 0;
		s->index.div = 1;
		if (v->cols) {
			s->row.add = off / unit;
			s->row.div = 1;
		}
	}
	site_simple(s);
	position(gb, i->addr, fn->name, &s->file, &s->line, &s->inlined_from);
	return !gobin__vaddr_to_offset(gb, s->vaddr, &s->file_offset);
}

static bool claimed_access(const struct gobin_accesses *a, uint64_t vaddr)
{
	for (size_t i = 0; i < a->nsites; i++)
		if (a->sites[i].access_vaddr == vaddr)
			return true;
	return false;
}

static int cmp_var_addr(const void *a, const void *b)
{
	const struct gobin_var *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The var of vars (sorted by address) holding addr, or NULL. */
static const struct gobin_var *var_holding(const struct gobin_var *vars, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vars[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Fields of one global may nest: the innermost is the last to start. */
	while (lo--) {
		if (addr < vars[lo].addr + (vars[lo].size ? vars[lo].size : 1))
			return &vars[lo];
		if (lo == 0 || vars[lo - 1].addr != vars[lo].addr)
			break;
	}
	return NULL;
}

int gobin__vars_access_sites(const struct gobin *gb, const struct gobin_var *vars_in,
			     size_t nvars, struct gobin_site **sites, size_t *n)
{
	struct gobin_var *vars;
	size_t cap = 0;
	int err = 0;

	if (!gb || !vars_in || !sites || !n)
		return -EINVAL;
	*sites = NULL;
	*n = 0;
	vars = malloc((nvars ? nvars : 1) * sizeof(*vars));
	if (!vars)
		return -ENOMEM;
	memcpy(vars, vars_in, nvars * sizeof(*vars));
	qsort(vars, nvars, sizeof(*vars), cmp_var_addr);
	for (size_t i = 0; i < gb->nfns && !err; i++) {
		struct gobin_func f;
		struct scan sc;
		uint64_t last = 0;

		if (!gb->fns[i].size || gobin__func_at(gb, i, &f))
			continue;
		err = scan_func(gb, &f, true, false, &sc);
		if (err)
			break;
		for (size_t k = 0; k < sc.a.nsites && !err; k++) {
			struct gobin_site *s = &sc.a.sites[k];
			const struct gobin_var *v = s->base_addr ?
						    var_holding(vars, nvars, s->base_addr) : NULL;

			int fits = v ? site_of_var(v, s) : 0;

			if (fits < 0 && !site_from_address(gb, &f, &sc.code, v, s))
				fits = 0;
			if (!fits)
				continue;
			s->var = v->global;
			err = push((void **)sites, n, &cap, sizeof(*s), s);
		}
		for (size_t k = 0; k < sc.nrefs && !err; k++) {
			const struct gref *r = &sc.refs[k];
			const struct gobin_var *v = var_holding(vars, nvars, r->target);
			struct gobin_site s;

			if (!v || sc.code.in[r->k].addr == last ||
			    claimed_access(&sc.a, sc.code.in[r->k].addr))
				continue;
			last = sc.code.in[r->k].addr;
			if (ref_site(gb, &f, &sc.code, r, v, &s))
				err = push((void **)sites, n, &cap, sizeof(s), &s);
		}
		scan_free(&sc);
	}
	free(vars);
	if (err) {
		free(*sites);
		*sites = NULL;
		*n = 0;
	}
	return err;
}

int gobin__var_access_sites(const struct gobin *gb, const struct gobin_var *var,
			    struct gobin_site **sites, size_t *n)
{
	return gobin__vars_access_sites(gb, var, 1, sites, n);
}
