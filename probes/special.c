// SPDX-License-Identifier: MIT
/*
 * BEGIN and END. Like bpftrace, each is a uprobe on a function of hotspan's
 * own executable, limited to this process (plan_probe.own_process), and the
 * runtime calls that function once when tracing starts or ends. The
 * function's file offset is found from its address in /proc/self/maps, so
 * the tool needs no symbol table of its own; the uprobe is then attached
 * like any other.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/provider.h"
#include "gobin/elfsym.h"

__attribute__((noinline)) void hotspan_begin_trigger(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void hotspan_end_trigger(void)
{
	__asm__ volatile("" ::: "memory");
}

void provider_special_fire(enum probe_kind kind)
{
	if (kind == PROBE_BEGIN)
		hotspan_begin_trigger();
	else
		hotspan_end_trigger();
}

struct self_ctx {
	uintptr_t addr;
	char *path;
	size_t size;
	uint64_t off;
};

static int holds_addr(const struct procmap *m, void *ctx)
{
	struct self_ctx *c = ctx;

	if (c->addr < m->start || c->addr >= m->end || m->path[0] != '/')
		return 0;
	snprintf(c->path, c->size, "%s", m->path);
	c->off = c->addr - m->start + m->pgoff;
	return 1;
}

/* The mapped file and file offset holding the code at addr. 0 or -errno. */
static int self_offset(uintptr_t addr, char *path, size_t size, uint64_t *off)
{
	struct self_ctx c = { .addr = addr, .path = path, .size = size };
	int r = procmaps_each(0, holds_addr, &c);

	if (r < 0)
		return r;
	if (!r)
		return -ENOENT;
	*off = c.off;
	return 0;
}

static int special_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	enum probe_kind kind = strcmp(a->name, "BEGIN") ? PROBE_END : PROBE_BEGIN;
	void (*fn)(void) = kind == PROBE_BEGIN ? hotspan_begin_trigger : hotspan_end_trigger;
	struct plan_probe *p;
	char path[4096];
	uint64_t off = 0;
	int err = self_offset((uintptr_t)fn, path, sizeof(path), &off);

	if (err) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc,
			 "cannot find hotspan's own %s function in /proc/self/maps: %s", a->name,
			 strerror(-err));
		return err;
	}
	p = plan__add_probe(rc->plan, kind, a->name, path, a->name);
	if (!p)
		return -ENOMEM;
	p->ast_probe = probe;
	p->loc = a->loc;
	p->file_offset = off;
	p->own_process = true;
	return 0;
}

const struct provider provider_begin = {
	.name = "BEGIN",
	.kind = PROBE_BEGIN,
	.uprobe = true,
	.resolve = special_resolve,
	.attach = provider_attach_uprobe,
};

const struct provider provider_end = {
	.name = "END",
	.kind = PROBE_END,
	.uprobe = true,
	.resolve = special_resolve,
	.attach = provider_attach_uprobe,
};
