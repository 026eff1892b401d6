// SPDX-License-Identifier: MIT
/*
 * Building and freeing the plan. Probes and maps grow in arrays; names of
 * BPF objects are made from indices so they stay within the kernel's
 * 15-character limit whatever the script calls its maps.
 */
#include "plan/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plan__free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nmaps; i++) {
		free(p->maps[i].name);
		free(p->maps[i].var);
	}
	for (size_t i = 0; i < p->nprobes; i++) {
		free(p->probes[i].spec);
		free(p->probes[i].prog);
		free(p->probes[i].path);
		free(p->probes[i].func);
		free(p->probes[i].name);
		free(p->probes[i].access.site);
	}
	for (size_t i = 0; i < p->nprintfs; i++) {
		free(p->printfs[i].fmt);
		free(p->printfs[i].args);
	}
	free(p->printfs);
	free(p->maps);
	free(p->probes);
	free(p->obj);
	free(p);
}

static void *grow(void *v, size_t n, size_t size)
{
	/* Arrays grow by doubling at powers of two. */
	if (n && (n & (n - 1)))
		return v;
	return realloc(v, (n ? n * 2 : 4) * size);
}

struct plan_probe *plan__add_probe(struct plan *p, enum probe_kind kind, const char *spec,
				  const char *path, const char *func)
{
	struct plan_probe *v = grow(p->probes, p->nprobes, sizeof(*v)), *pr;

	if (!v)
		return NULL;
	p->probes = v;
	pr = &v[p->nprobes];
	memset(pr, 0, sizeof(*pr));
	pr->kind = kind;
	pr->spec = strdup(spec);
	pr->path = strdup(path ? path : "");
	pr->func = strdup(func ? func : "");
	pr->name = strdup(spec);
	if (asprintf(&pr->prog, "p%zu", p->nprobes) < 0)
		pr->prog = NULL;
	if (!pr->spec || !pr->path || !pr->func || !pr->prog || !pr->name) {
		free(pr->name);
		free(pr->spec);
		free(pr->path);
		free(pr->func);
		free(pr->prog);
		errno = ENOMEM;
		return NULL;
	}
	p->nprobes++;
	return pr;
}

struct plan_map *plan__add_map(struct plan *p, const char *name)
{
	struct plan_map *v = grow(p->maps, p->nmaps, sizeof(*v)), *m;

	if (!v)
		return NULL;
	p->maps = v;
	m = &v[p->nmaps];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (asprintf(&m->var, "m%zu", p->nmaps) < 0)
		m->var = NULL;
	if (!m->name || !m->var) {
		free(m->name);
		free(m->var);
		errno = ENOMEM;
		return NULL;
	}
	p->nmaps++;
	return m;
}

struct plan_map *plan__find_map(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->nmaps; i++)
		if (!strcmp(p->maps[i].name, name))
			return &p->maps[i];
	return NULL;
}

int plan__write_obj(const struct plan *p, const char *path)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(p->obj, 1, p->obj_size, f) != p->obj_size)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
