// SPDX-License-Identifier: MIT
/*
 * Helpers shared by the test_gobin*.c files: run a command and read its lines,
 * ask a test program about itself (-info).
 */
#ifndef HOTSPAN_TESTS_UNIT_TEST_GOBIN_H
#define HOTSPAN_TESTS_UNIT_TEST_GOBIN_H

#include <stdint.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Called per output line; return 0 when the line counted. */
typedef int (*tg_line_fn)(const char *line, void *ctx);

/* Lines of `cmd`'s stdout through fn: the number that counted, or -1 if cmd failed. */
static inline int tg_run_lines(const char *cmd, tg_line_fn fn, void *ctx)
{
	char line[4096];
	FILE *p = popen(cmd, "r");
	int n = 0;

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (fn(line, ctx) == 0)
			n++;
	}
	if (pclose(p) != 0)
		return -1;
	return n;
}

struct info_ctx {
	const char *kind;
	const char *name;
	uint64_t v[4];
	int found;
};

static inline int info_line(const char *line, void *vctx)
{
	struct info_ctx *c = vctx;
	char kind[32], name[256];
	uint64_t v[4] = { 0 };
	int n;

	n = sscanf(line, "%31s %255s %" SCNi64 " %" SCNi64 " %" SCNi64 " %" SCNi64, kind, name,
		   &v[0], &v[1], &v[2], &v[3]);
	if (n < 3 || strcmp(kind, c->kind) || strcmp(name, c->name))
		return 1;
	memcpy(c->v, v, sizeof(v));
	c->found = 1;
	return 0;
}

/*
 * The values of the "KIND NAME v0 v1 ..." line that `prog -info` prints
 * (numbers in C notation): 0, or -1 when there is none.
 */
static inline int tg_info(const char *prog, const char *kind, const char *name, uint64_t v[4])
{
	char cmd[512];
	struct info_ctx c = { kind, name, { 0 }, 0 };

	snprintf(cmd, sizeof(cmd), "%s -info", prog);
	if (tg_run_lines(cmd, info_line, &c) < 0 || !c.found)
		return -1;
	memcpy(v, c.v, sizeof(c.v));
	return 0;
}


/* One instruction as `go tool objdump` prints it. */
struct tg_insn {
	char func[256];		/* the TEXT it is in */
	char pos[128];		/* "main.go:27" */
	uint64_t addr;
	char text[128];		/* "CMPQ $0x1000, AX" */
};

struct tg_dis {
	struct tg_insn *insn;
	size_t n, cap;
	char func[256];
};

static inline int tg_dis_line(const char *line, void *vctx)
{
	struct tg_dis *d = vctx;
	struct tg_insn *i;
	char hex[64];
	int off = 0;

	if (!strncmp(line, "TEXT ", 5)) {
		snprintf(d->func, sizeof(d->func), "%.255s", line + 5);
		d->func[strcspn(d->func, "(")] = '\0';
		return 1;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4096;
		d->insn = realloc(d->insn, d->cap * sizeof(*d->insn));
	}
	i = &d->insn[d->n];
	if (sscanf(line, " %127s %" SCNx64 " %63s %n", i->pos, &i->addr, hex, &off) != 3 || !off)
		return 1;
	snprintf(i->func, sizeof(i->func), "%s", d->func);
	snprintf(i->text, sizeof(i->text), "%s", line + off);
	/* Trailing tabs and spaces. */
	for (size_t e = strlen(i->text); e > 0 && (i->text[e - 1] == '\t' ||
						   i->text[e - 1] == ' '); e--)
		i->text[e - 1] = '\0';
	d->n++;
	return 0;
}

/* Disassemble prog (functions matching the regexp sym, or all if NULL). */
static inline int tg_objdump(const char *prog, const char *sym, struct tg_dis *d)
{
	char cmd[1024];

	memset(d, 0, sizeof(*d));
	if (sym)
		snprintf(cmd, sizeof(cmd), "go tool objdump -s '%s' %s", sym, prog);
	else
		snprintf(cmd, sizeof(cmd), "go tool objdump %s", prog);
	return tg_run_lines(cmd, tg_dis_line, d) < 0 ? -1 : 0;
}

static inline const struct tg_insn *tg_dis_at(const struct tg_dis *d, uint64_t addr)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->insn[i].addr == addr)
			return &d->insn[i];
	return NULL;
}

static inline void tg_dis_free(struct tg_dis *d)
{
	free(d->insn);
	memset(d, 0, sizeof(*d));
}

#endif /* HOTSPAN_TESTS_UNIT_TEST_GOBIN_H */
