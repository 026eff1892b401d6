// SPDX-License-Identifier: MIT
/*
 * The table of probe providers. Adding a kind of probe means adding its file
 * and one line here.
 */
#include "probes/provider.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "gobin/gobin.h"

static const struct provider *const providers[] = {
	&provider_uprobe,
	&provider_uretprobe,
	&provider_access,
	&provider_interval,
	&provider_begin,
	&provider_end,
};

#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

size_t provider_count(void)
{
	return NPROVIDERS;
}

const struct provider *provider_at(size_t i)
{
	return i < NPROVIDERS ? providers[i] : NULL;
}

const struct provider_builtin *provider_builtin(const struct provider *pv, const char *name)
{
	if (!pv || !pv->builtins)
		return NULL;
	for (const struct provider_builtin *const *l = pv->builtins; *l; l++)
		for (const struct provider_builtin *b = *l; b->name; b++)
			if (!strcmp(b->name, name))
				return b;
	return NULL;
}

const struct provider *provider_find(const char *name)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (!strcmp(providers[i]->name, name))
			return providers[i];
	return NULL;
}

const struct provider *provider_of(enum probe_kind kind)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->kind == kind)
			return providers[i];
	return NULL;
}

size_t provider_names(const char **names, size_t max)
{
	size_t n = 0;

	for (; n < NPROVIDERS && n < max; n++)
		names[n] = providers[n]->name;
	return n;
}

/* The file to read and attach to; a new string. */
static char *target_path(const struct resolve_ctx *rc, const char *path)
{
	char *out = NULL, buf[PATH_MAX];

	if (rc->pid && !*path) {
		if (asprintf(&out, "/proc/%d/exe", (int)rc->pid) < 0)
			return NULL;
		return out;
	}
	if (rc->pid && path[0] == '/') {
		if (asprintf(&out, "/proc/%d/root%s", (int)rc->pid, path) < 0)
			return NULL;
		return out;
	}
	/* The kernel resolves a relative path against the tracer's directory
	 * at attach time; a full path keeps messages and -p unambiguous. */
	if (realpath(path, buf))
		return strdup(buf);
	return strdup(path);
}

/*
 * With -p, the binary must be one the process has mapped: probes on any
 * other file would never fire in it. A process that is gone is reported
 * when the session begins. Returns true after an error in rc->dl.
 */
static bool maps_binary(const struct resolve_ctx *rc, const struct ast_node *a,
			const struct gobin *gb)
{
	char link[64], exe[PATH_MAX];
	uint64_t bias;
	ssize_t n;

	if (!rc->pid || gobin__load_bias(gb, rc->pid, &bias) != -ENOENT ||
	    (kill(rc->pid, 0) && errno == ESRCH))
		return false;
	diag_add(rc->dl, DIAG_ERROR, &a->loc, "process %d does not run %s", (int)rc->pid,
		 a->path);
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)rc->pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		diag_hint(rc->dl, "it runs %s; an empty path, %s::%s, names it", exe, a->name,
			  a->func);
	}
	return true;
}

struct gobin *provider_open_binary(const struct resolve_ctx *rc, const struct ast_node *a,
				   char **path)
{
	struct gobin *gb;
	int err;

	*path = NULL;
	if (!*a->path && !rc->pid) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s needs the path of a Go binary", a->name);
		diag_hint(rc->dl, "%s:./server:%s, or give -p PID", a->name, a->func);
		return NULL;
	}
	*path = target_path(rc, a->path);
	if (!*path) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "out of memory");
		return NULL;
	}
	gb = gobin__open(*path);
	if (gb && !maps_binary(rc, a, gb))
		return gb;
	if (gb) {
		gobin__close(gb);
		free(*path);
		*path = NULL;
		return NULL;
	}
	err = errno;
	if (err == ENOEXEC)
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "%s is not an x86-64 Go executable",
			 *a->path ? a->path : *path);
	else
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "cannot open %s: %s",
			 *a->path ? a->path : *path, strerror(err));
	free(*path);
	*path = NULL;
	return NULL;
}

struct bpf_link *provider_attach_uprobe(const struct plan_probe *p, struct bpf_program *prog,
					pid_t pid)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts);

	return bpf_program__attach_uprobe_opts(prog, pid, p->path, p->file_offset, &opts);
}
