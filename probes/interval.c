// SPDX-License-Identifier: MIT
/*
 * interval:s:N, interval:ms:N (and interval:us:N, interval:hz:N, as in
 * bpftrace): a program run every N units of time. Like bpftrace, it is a
 * software perf event, the CPU clock, sampling once a period on one CPU
 * (CPU 0), whatever process runs there; -p and -c do not narrow it. The
 * program is of type perf_event and gets a struct bpf_perf_event_data.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "probes/provider.h"

static const struct {
	const char *name;
	uint64_t ns;		/* per unit; 0 for hz, a frequency */
} units[] = {
	{ "s", 1000000000ULL },
	{ "ms", 1000000ULL },
	{ "us", 1000ULL },
	{ "hz", 0 },
};

#define NUNITS (sizeof(units) / sizeof(units[0]))

static int interval_resolve(const struct resolve_ctx *rc, const struct ast_node *a, int probe)
{
	struct plan_probe *p;
	uint64_t n, period;
	char name[256], *end;
	size_t u;

	for (u = 0; u < NUNITS; u++)
		if (!strcmp(a->path, units[u].name))
			break;
	if (u == NUNITS) {
		if (!*a->path)
			diag_add(rc->dl, DIAG_ERROR, &a->loc, "interval needs a unit: interval:%s",
				 a->func);
		else
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 "unknown unit '%s' in interval: s, ms, us or hz", a->path);
		diag_hint(rc->dl, "for example interval:s:1 or interval:ms:100");
		return -EINVAL;
	}
	errno = 0;
	n = strtoull(a->func, &end, 10);
	if (errno || *end || end == a->func || a->func[0] == '-' || a->func[0] == '+') {
		diag_add(rc->dl, DIAG_ERROR, &a->loc,
			 "the interval must be a whole number, not '%s'", a->func);
		diag_hint(rc->dl, "for example interval:%s:1", a->path);
		return -EINVAL;
	}
	if (!n) {
		diag_add(rc->dl, DIAG_ERROR, &a->loc, "the interval must not be zero");
		return -EINVAL;
	}
	if (units[u].ns) {
		if (n > UINT64_MAX / units[u].ns) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc, "interval:%s:%s is too long",
				 a->path, a->func);
			return -EINVAL;
		}
		period = n * units[u].ns;
	} else {
		if (n > 1000000000ULL) {
			diag_add(rc->dl, DIAG_ERROR, &a->loc,
				 "interval:hz:%s is more than once a nanosecond", a->func);
			return -EINVAL;
		}
		period = 1000000000ULL / n;
	}
	snprintf(name, sizeof(name), "interval:%s:%s", a->path, a->func);
	p = plan__add_probe(rc->plan, PROBE_INTERVAL, name, NULL, NULL);
	if (!p)
		return -ENOMEM;
	p->ast_probe = probe;
	p->loc = a->loc;
	p->period_ns = period;
	return 0;
}

static struct bpf_link *interval_attach(const struct plan_probe *p, struct bpf_program *prog,
					pid_t pid)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = p->period_ns,
	};
	struct bpf_link *link;
	int fd, err;

	(void)pid;	/* a timer is not any one process's */
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		err = errno;
		close(fd);
		errno = err;
	}
	/* The link owns fd now: destroying it disables and closes the event. */
	return link;
}

/* Nothing to look up: the attach point is its own only probe point. */
static int interval_list(const struct resolve_ctx *rc, const struct ast_node *a, FILE *out)
{
	fprintf(out, "interval:%s:%s\n", *a->path ? a->path : "s", a->func);
	return 0;
}

/* The stack of whatever the sampled CPU runs. */
static const struct provider_builtin stack[] = {
	{ "ustack", .type = TYPE_STACK },
	{ NULL },
};

static const struct provider_builtin *const interval_builtins[] = { stack, NULL };

const struct provider provider_interval = {
	.name = "interval",
	.kind = PROBE_INTERVAL,
	.builtins = interval_builtins,
	.resolve = interval_resolve,
	.attach = interval_attach,
	.list = interval_list,
};
