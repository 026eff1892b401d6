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
#include <string.h>

/* Called per output line; return 0 when the line counted. */
typedef int (*tg_line_fn)(const char *line, void *ctx);

/* Lines of `cmd`'s stdout through fn: the number that counted, or -1 if cmd failed. */
static int tg_run_lines(const char *cmd, tg_line_fn fn, void *ctx)
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

static int info_line(const char *line, void *vctx)
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
static int tg_info(const char *prog, const char *kind, const char *name, uint64_t v[4])
{
	char cmd[512];
	struct info_ctx c = { kind, name, { 0 }, 0 };

	snprintf(cmd, sizeof(cmd), "%s -info", prog);
	if (tg_run_lines(cmd, info_line, &c) < 0 || !c.found)
		return -1;
	memcpy(v, c.v, sizeof(c.v));
	return 0;
}


#endif /* HOTSPAN_TESTS_UNIT_TEST_GOBIN_H */
