// SPDX-License-Identifier: MIT
/*
 * The language corpus: every script in tests/corpus/ runs against the Go
 * workload build/go/corpus (tests/go/corpus), pinned to CPU 0 so that
 * printf, print() and the probes' events keep one order. Each script opens
 * with a header of "// key: value" lines (tests/corpus/README.md):
 *
 *   covers   what of the language it exercises
 *   runs     the Go program and its arguments
 *   params   positional parameters ($1, $2, ...), if any
 *   twin     its bpftrace 0.17 equivalent: "derived" (this script with
 *            arg0..arg8 replaced by reg("ax"), reg("bx"), reg("cx"),
 *            reg("di"), reg("si"), reg("r8"), reg("r9"), reg("r10"),
 *            reg("r11") outside strings and comments: Go's register ABI),
 *            "NAME.bt" (a sibling file), or "none" when bpftrace cannot
 *            express it
 *   formats  "text" (the default) and/or "json": each is compared
 *   compare  "exact" (the default): hotspan's stdout equals bpftrace's byte
 *            for byte; "lines": timing decides the numbers (interval
 *            scripts), so the printf lines must be equal and in order, and
 *            the outputs must have one shape: every number made N, bars of
 *            histograms dropped, and a line repeating the one before it
 *            dropped (see line_shapes())
 *   check    with twin none: which of the checks below compares hotspan's
 *            output with what the Go program says it did (its stderr)
 *
 * One Test per script, named as the script, so one can be run alone:
 * build/tests/integration/test_corpus --filter 'corpus/hist'.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/lib/proc.h"

#define HOTSPAN "build/hotspan"
#define BPFTRACE "/usr/bin/bpftrace"
#define TASKSET "/usr/bin/taskset"
#define DIR "tests/corpus/"
#define WORKLOAD "build/go/corpus"
#define MIN_SCRIPTS 30

struct script {
	char name[64];
	char path[128];
	char *text;
	char *covers, *runs, *params, *twin, *formats, *compare, *check;
};

/* --- scripts and their headers --- */

/* The value of "// key: value" among the comment lines opening text. */
static char *header_value(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; !strncmp(p, "//", 2);) {
		const char *nl = strchr(p, '\n'), *q = p + 2;
		const char *end = nl ? nl : p + strlen(p);

		while (*q == ' ')
			q++;
		if (!strncmp(q, key, klen) && q[klen] == ':') {
			for (q += klen + 1; *q == ' '; q++)
				;
			return strndup(q, end - q);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	fclose(f);
	return buf;
}

static bool script_load(struct script *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->path, sizeof(s->path), DIR "%s.hs", name);
	s->text = read_file(s->path);
	if (!s->text)
		return false;
	s->covers = header_value(s->text, "covers");
	s->runs = header_value(s->text, "runs");
	s->params = header_value(s->text, "params");
	s->twin = header_value(s->text, "twin");
	s->formats = header_value(s->text, "formats");
	s->compare = header_value(s->text, "compare");
	s->check = header_value(s->text, "check");
	if (!s->formats)
		s->formats = strdup("text");
	if (!s->compare)
		s->compare = strdup("exact");
	return true;
}

static void script_free(struct script *s)
{
	free(s->text);
	free(s->covers);
	free(s->runs);
	free(s->params);
	free(s->twin);
	free(s->formats);
	free(s->compare);
	free(s->check);
}

/* Is value's first word `word` (what follows explains it)? */
static bool first_word_is(const char *value, const char *word)
{
	size_t n = strlen(word);

	return value && !strncmp(value, word, n) && !isalnum((unsigned char)value[n]) &&
	       value[n] != '.';
}

static bool twin_none(const struct script *s)
{
	return first_word_is(s->twin, "none");
}

/* --- the bpftrace twin --- */

static const char *const arg_regs[] = { "ax", "bx", "cx", "di", "si", "r8", "r9", "r10", "r11" };

/* The script with Go's arguments read as bpftrace reads registers. */
static char *derive_twin(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *p = text;

	while (*p) {
		const char *start = p;

		if (p[0] == '/' && p[1] == '/') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			bool var = p > text && (p[-1] == '$' || p[-1] == '@');

			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			if (!var && p - start == 4 && !strncmp(start, "arg", 3) && start[3] >= '0' &&
			    start[3] <= '8') {
				fprintf(f, "reg(\"%s\")", arg_regs[start[3] - '0']);
				continue;
			}
		} else {
			p++;
		}
		fwrite(start, 1, p - start, f);
	}
	fclose(f);
	return buf;
}

/* --- running the tools --- */

struct run {
	int status;
	char *out, *err;
};

/* tool with -f fmt, the script (a file, or text with -e), -c and the
 * script's program pinned to CPU 0, and its parameters. */
static void run_tool(const struct script *s, const char *tool, const char *file,
		     const char *text, const char *fmt, struct run *r)
{
	char cmd[512], params[256];
	const char *argv[32];
	struct proc_result pr;
	int n = 0;

	snprintf(cmd, sizeof(cmd), TASKSET " -c 0 %s", s->runs);
	argv[n++] = tool;
	argv[n++] = "-f";
	argv[n++] = fmt;
	if (text) {
		argv[n++] = "-e";
		argv[n++] = text;
	} else {
		argv[n++] = file;
	}
	argv[n++] = "-c";
	argv[n++] = cmd;
	snprintf(params, sizeof(params), "%s", s->params ? s->params : "");
	for (char *save, *t = strtok_r(params, " ", &save); t && n < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	cr_assert_eq(proc_run(argv, NULL, &pr), 0, "%s: %s did not start", s->name, tool);
	r->status = pr.status;
	r->out = pr.out;
	r->err = pr.err;
	proc_drop_lines(r->out, "{\"type\": \"cost\"");
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* --- comparing with bpftrace --- */

/* The line of text that holds text + off. */
static const char *line_at(const char *text, size_t off)
{
	const char *p = text + off;

	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

static void expect_same(const struct script *s, const char *fmt, const char *got,
			const char *want)
{
	size_t i = 0;

	while (got[i] && got[i] == want[i])
		i++;
	cr_expect_str_eq(got, want,
			 "%s (-f %s): hotspan differs from bpftrace at\n  \"%.*s\"\nbpftrace has\n"
			 "  \"%.*s\"\n--- hotspan\n%s--- bpftrace\n%s", s->path, fmt,
			 (int)strcspn(line_at(got, i), "\n"), line_at(got, i),
			 (int)strcspn(line_at(want, i), "\n"), line_at(want, i), got, want);
}

/* Lines a printf wrote in text output: neither map output nor blank. */
static char *printf_lines(const char *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (const char *p = out; *p;) {
		size_t n = strcspn(p, "\n");

		if (n && !strchr("@[(", *p) && strncmp(p, "Attaching ", 10))
			fprintf(f, "%.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	fclose(f);
	return buf;
}

/*
 * The shape of out: every run of digits made N, a histogram's bar made
 * "|bar|", and a line that repeats the one before it dropped, so a map
 * printed each tick reads the same whatever its keys' counts.
 */
static char *line_shapes(const char *out)
{
	char *buf = NULL, *prev = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (const char *p = out; *p;) {
		size_t k = strcspn(p, "\n");
		const char *bar = memchr(p, '|', k);
		char *line = malloc(k + 8), *q = line;

		for (size_t i = 0; i < k; i++) {
			if (bar && p + i == bar) {
				q += sprintf(q, "|bar|");
				break;
			}
			if (isdigit((unsigned char)p[i])) {
				*q++ = 'N';
				while (i + 1 < k && isdigit((unsigned char)p[i + 1]))
					i++;
			} else {
				*q++ = p[i];
			}
		}
		*q = '\0';
		if (!prev || strcmp(line, prev))
			fprintf(f, "%s\n", line);
		free(prev);
		prev = line;
		p += k + (p[k] == '\n');
	}
	free(prev);
	fclose(f);
	return buf;
}

static void same_as_bpftrace(const struct script *s)
{
	char bt[160], *twin = NULL;
	bool lines = first_word_is(s->compare, "lines");

	if (first_word_is(s->twin, "derived")) {
		twin = derive_twin(s->text);
	} else {
		snprintf(bt, sizeof(bt), DIR "%.*s", (int)strcspn(s->twin, " "), s->twin);
		cr_assert_eq(access(bt, R_OK), 0, "%s: twin %s is missing", s->path, bt);
	}
	cr_assert(!lines || !strcmp(s->formats, "text"), "%s: compare lines is for text", s->path);
	for (const char *fmt = "text"; fmt; fmt = strcmp(fmt, "text") ? NULL : "json") {
		struct run h, b;

		if (!strstr(s->formats, fmt))
			continue;
		run_tool(s, BPFTRACE, bt, twin, fmt, &b);
		run_tool(s, HOTSPAN, s->path, NULL, fmt, &h);
		cr_expect_eq(b.status, 0, "%s: bpftrace failed (%d): %s", s->path, b.status, b.err);
		cr_expect_eq(h.status, 0, "%s: hotspan failed (%d): %s", s->path, h.status, h.err);
		if (lines) {
			char *hp = printf_lines(h.out), *bp = printf_lines(b.out);
			char *hs = line_shapes(h.out), *bs = line_shapes(b.out);

			cr_expect_gt(strlen(hp), 0, "%s: no printf lines\n%s", s->path, h.out);
			expect_same(s, "text, printf lines", hp, bp);
			expect_same(s, "text, line shapes", hs, bs);
			free(hp);
			free(bp);
			free(hs);
			free(bs);
		} else {
			expect_same(s, fmt, h.out, b.out);
		}
		run_free(&h);
		run_free(&b);
	}
	free(twin);
}

/* --- checking against the program's own account --- */

/* The number after "corpus: NAME: " in the program's report. */
static long report_value(const char *report, const char *name)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "corpus: %s: ", name);
	p = strstr(report, pat);
	cr_assert_not_null(p, "the program did not report \"%s\"\n%s", name, report);
	return strtol(p + strlen(pat), NULL, 10);
}

/* The value of the `ENTRY: value` line of hotspan's output (ENTRY is
 * "@m" or "@m[k]"), read as a signed 64-bit number; LONG_MIN if absent. */
static long map_value(const char *out, const char *entry)
{
	char pat[160];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s: ", entry);
	p = strstr(out, pat);
	/* strtoull reads "-5" as 2^64 - 5, which is -5 again as a long */
	return p ? (long)strtoull(p + strlen(pat), NULL, 10) : LONG_MIN;
}

static int count_lines_starting(const char *out, const char *prefix)
{
	int n = 0;

	for (const char *p = out; *p;) {
		n += !strncmp(p, prefix, strlen(prefix));
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	return n;
}

/* Every "corpus: WHAT I: N" line of the report is `@m[I]: N` in out, and
 * out has no other entry of @m. */
static void expect_per_key(const struct script *s, const char *out, const char *report,
			   const char *what, const char *map)
{
	char pat[64], entry[96], prefix[72];
	int n = 0;

	snprintf(pat, sizeof(pat), "corpus: %s ", what);
	for (const char *p = strstr(report, pat); p; p = strstr(p + 1, pat)) {
		long key, count;

		if (sscanf(p + strlen(pat), "%ld: %ld", &key, &count) != 2)
			continue;
		snprintf(entry, sizeof(entry), "%s[%ld]", map, key);
		cr_expect_eq(map_value(out, entry), count, "%s: %s is not %ld\n%s", s->path, entry,
			     count, out);
		n++;
	}
	cr_expect_gt(n, 0, "%s: the program reported no \"%s\"\n%s", s->path, what, report);
	snprintf(prefix, sizeof(prefix), "%s[", map);
	cr_expect_eq(count_lines_starting(out, prefix), n, "%s: %s has other keys\n%s", s->path,
		     map, out);
}

/* @[main.stepA]: 3 ... as the program counted its calls. */
static void check_func_counts(const struct script *s, const char *out, const char *report)
{
	const char *const funcs[] = { "stepA", "stepB", "stepC" };

	for (int i = 0; i < 3; i++) {
		char entry[64], name[64];

		snprintf(entry, sizeof(entry), "@[main.%s]", funcs[i]);
		snprintf(name, sizeof(name), "%s calls", funcs[i]);
		cr_expect_eq(map_value(out, entry), report_value(report, name), "%s: %s\n%s",
			     s->path, entry, out);
	}
	cr_expect_eq(count_lines_starting(out, "@["), 3, "%s\n%s", s->path, out);
}

/* "main.stepA 1" once per call of stepA (called with 100 + i), and so on. */
static void check_func_lines(const struct script *s, const char *out, const char *report)
{
	const char *const funcs[] = { "stepA", "stepB", "stepC" };
	int lines = 0;

	for (int i = 0; i < 3; i++) {
		char line[64], name[64];

		snprintf(line, sizeof(line), "main.%s %d", funcs[i], i + 1);
		snprintf(name, sizeof(name), "%s calls", funcs[i]);
		cr_expect_eq(count_lines_starting(out, line), report_value(report, name),
			     "%s: lines \"%s\"\n%s", s->path, line, out);
		lines += count_lines_starting(out, line);
	}
	cr_expect_eq(count_lines_starting(out, "main."), lines, "%s\n%s", s->path, out);
}

/* @r[RESULT]: N for each result classify returned, a RET each. */
static void check_returns(const struct script *s, const char *out, const char *report)
{
	expect_per_key(s, out, report, "classify", "@r");
	cr_expect(!strncmp(out, "Attaching 4 probes...\n", 22), "%s: classify has four returns\n%s",
		  s->path, out);
}

/* Sums of the first and second results of pair, negatives of split. */
static void check_results(const struct script *s, const char *out, const char *report)
{
	cr_expect_eq(map_value(out, "@first"), report_value(report, "pair sum of first results"),
		     "%s\n%s", s->path, out);
	cr_expect_eq(map_value(out, "@second"),
		     report_value(report, "pair sum of second results"), "%s\n%s", s->path, out);
	cr_expect_eq(map_value(out, "@negative"), report_value(report, "split negatives"),
		     "%s\n%s", s->path, out);
}

/*
 * The stack of each caller of inner as the Go runtime saw it, frame by
 * frame (function+offset and file:line), with the count of its calls.
 * Go names an assembly function without the ABI suffix its symbol has
 * (runtime.goexit, symbol runtime.goexit.abi0): the suffix is dropped
 * from hotspan's output before comparing.
 */
static void check_stacks(const struct script *s, const char *out, const char *report)
{
	const char *const callers[] = { "fromA", "fromB" };
	char *plain = strdup(out);

	for (char *p; (p = strstr(plain, ".abi0+"));)
		memmove(p, p + 5, strlen(p + 5) + 1);
	for (int i = 0; i < 2; i++) {
		char pat[64], *want = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&want, &len);
		const char *p, *end;

		snprintf(pat, sizeof(pat), "corpus: stack main.%s: ", callers[i]);
		p = strstr(report, pat);
		cr_assert_not_null(p, "%s: no stack of %s reported\n%s", s->path, callers[i], report);
		p += strlen(pat);
		end = p + strcspn(p, "\n");
		fputs("@[\n", f);
		while (p < end) {
			size_t n = strcspn(p, ";\n");

			fprintf(f, "    %.*s\n", (int)n, p);
			p += n;
			p += strspn(p, "; ");
		}
		fprintf(f, "]: %ld\n", report_value(report, callers[i]));
		fclose(f);
		cr_expect(strstr(plain, want) != NULL, "%s: want\n%s\nin\n%s", s->path, want, out);
		free(want);
	}
	cr_expect_eq(count_lines_starting(plain, "@["), 2, "%s\n%s", s->path, out);
	free(plain);
}

/* @[index]: N for every element of main.table the program touched. */
static void check_table(const struct script *s, const char *out, const char *report)
{
	expect_per_key(s, out, report, "table", "@");
	cr_expect_eq(map_value(out, "@all"), report_value(report, "touches"), "%s\n%s", s->path,
		     out);
}

/* The values elem read before each increment, and the array's address. */
static void check_elems(const struct script *s, const char *out, const char *report)
{
	const char *pat = "corpus: table ";
	char entry[64];
	int n = 0;

	for (const char *p = strstr(report, pat); p; p = strstr(p + 1, pat)) {
		long i, c;

		if (sscanf(p + strlen(pat), "%ld: %ld", &i, &c) != 2)
			continue;
		snprintf(entry, sizeof(entry), "@seen[%ld]", i);
		cr_expect_eq(map_value(out, entry), c * (c - 1) / 2, "%s: %s after %ld touches\n%s",
			     s->path, entry, c, out);
		n++;
	}
	cr_expect_eq(count_lines_starting(out, "@seen["), n, "%s\n%s", s->path, out);
	snprintf(entry, sizeof(entry), "@base[%ld]", report_value(report, "table address"));
	cr_expect_eq(map_value(out, entry), report_value(report, "touches"), "%s: %s\n%s",
		     s->path, entry, out);
	cr_expect_eq(count_lines_starting(out, "@base["), 1, "%s\n%s", s->path, out);
}

/* @[row, col]: N for every cell of main.grid the program touched. */
static void check_grid(const struct script *s, const char *out, const char *report)
{
	const char *pat = "corpus: cell ";
	int n = 0;

	for (const char *p = strstr(report, pat); p; p = strstr(p + 1, pat)) {
		char entry[64];
		long r, c, count;

		if (sscanf(p + strlen(pat), "%ld %ld: %ld", &r, &c, &count) != 3)
			continue;
		snprintf(entry, sizeof(entry), "@[%ld, %ld]", r, c);
		cr_expect_eq(map_value(out, entry), count, "%s: %s\n%s", s->path, entry, out);
		n++;
	}
	cr_expect_gt(n, 0, "%s\n%s", s->path, report);
	cr_expect_eq(count_lines_starting(out, "@["), n, "%s\n%s", s->path, out);
	cr_expect_eq(map_value(out, "@size[4]"), report_value(report, "cells"), "%s\n%s", s->path,
		     out);
}

/* @[index]: N for the slice elements scan read; @len[20] for each read. */
static void check_scan(const struct script *s, const char *out, const char *report)
{
	long reads = 0;

	expect_per_key(s, out, report, "scan", "@");
	for (int i = 0; i < 20; i += 5) {
		char name[16];

		snprintf(name, sizeof(name), "scan %d", i);
		reads += report_value(report, name);
	}
	cr_expect_eq(map_value(out, "@len[20]"), reads, "%s\n%s", s->path, out);
}

/*
 * The heat map's summary: every touch an event, none lost, windows of the
 * script's size, and one cluster spanning what the program kept hot: its
 * hot range of main.table ("[lo, hi)"), or its hot block of main.grid
 * ("[r0, r1)x[c0, c1)").
 */
static void expect_one_cluster(const struct script *s, const char *out, const char *report,
			       const char *events_name, const char *hot_name)
{
	long windows, events, lost, clusters, window = 0;
	const char *p = strstr(out, "\n@h: "), *w = strstr(s->text, "window = ");
	char pat[64], want[64], got[64];
	const char *r, *end;

	snprintf(pat, sizeof(pat), "corpus: %s: ", hot_name);
	r = strstr(report, pat);
	cr_assert_not_null(r, "%s: the program reported no %s\n%s", s->path, hot_name, report);
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(r + strlen(pat), "\n"), r + strlen(pat));
	cr_assert_not_null(p, "%s: no summary of @h\n%s", s->path, out);
	cr_assert_eq(sscanf(p, "\n@h: %ld windows, %ld events, %ld lost, %ld clusters", &windows,
			    &events, &lost, &clusters), 4, "%s\n%s", s->path, p);
	cr_expect_eq(events, report_value(report, events_name), "%s\n%s", s->path, out);
	cr_expect_eq(lost, 0, "%s\n%s", s->path, out);
	if (w && sscanf(w, "window = %ld;", &window) == 1)
		cr_expect_eq(windows, (events + window - 1) / window, "%s: %ld-event windows\n%s",
			     s->path, window, out);
	cr_expect_eq(clusters, 1, "%s\n%s", s->path, out);
	p = strstr(p, "\n       1 ");
	cr_assert_not_null(p, "%s: no cluster 1\n%s", s->path, out);
	p = strchr(p, '[');
	end = p ? strchr(p, ')') : NULL;
	if (end && end[1] == 'x')	/* two-dimensional: "[6, 10)x[9, 13)" */
		end = strchr(end + 1, ')');
	cr_assert_not_null(end, "%s\n%s", s->path, out);
	snprintf(got, sizeof(got), "%.*s", (int)(end - p + 1), p);
	cr_expect_str_eq(got, want, "%s: span %s, the program's %s\n%s", s->path, got, want, out);
}

static void check_heat(const struct script *s, const char *out, const char *report)
{
	expect_one_cluster(s, out, report, "touches", "hot range");
}

static void check_heat2d(const struct script *s, const char *out, const char *report)
{
	expect_one_cluster(s, out, report, "cells", "hot block");
}

static const struct {
	const char *name;
	void (*fn)(const struct script *s, const char *out, const char *report);
} checks[] = {
	{ "func_counts", check_func_counts },
	{ "func_lines", check_func_lines },
	{ "returns", check_returns },
	{ "results", check_results },
	{ "stacks", check_stacks },
	{ "table", check_table },
	{ "scan", check_scan },
	{ "elems", check_elems },
	{ "grid", check_grid },
	{ "heat", check_heat },
	{ "heat2d", check_heat2d },
};

static void as_the_program_says(const struct script *s)
{
	struct run h;

	cr_assert_not_null(s->check, "%s: twin none needs a check", s->path);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (strcmp(checks[i].name, s->check))
			continue;
		run_tool(s, HOTSPAN, s->path, NULL, "text", &h);
		cr_assert_eq(h.status, 0, "%s: hotspan failed (%d): %s", s->path, h.status, h.err);
		checks[i].fn(s, h.out, h.err);
		run_free(&h);
		return;
	}
	cr_assert_fail("%s: no check named %s", s->path, s->check);
}

static void corpus_run(const char *name)
{
	struct script s;
	const char *why = proc_bpf_missing();
	int lock;

	if (why)
		cr_skip_test("%s", why);
	cr_assert(script_load(&s, name), "cannot read " DIR "%s.hs", name);
	/* bpftrace's uprobes fire in every process that runs the binary, not
	 * only in its -c child: one script at a time, even with --jobs 2. The
	 * lock goes with this test's process. */
	lock = open(WORKLOAD, O_RDONLY | O_CLOEXEC);
	cr_assert(lock >= 0 && !flock(lock, LOCK_EX), "cannot lock " WORKLOAD);
	cr_assert(s.covers && s.runs && s.twin, "%s: the header needs covers, runs and twin",
		  s.path);
	if (twin_none(&s)) {
		as_the_program_says(&s);
	} else {
		if (access(BPFTRACE, X_OK) || access(TASKSET, X_OK))
			cr_skip_test("bpftrace and taskset are needed to compare with");
		same_as_bpftrace(&s);
	}
	script_free(&s);
}

/* Every script has a header and a Test below, and there are enough. */
Test(corpus, every_script_has_a_header_and_a_test)
{
	char self[PATH_MAX] = "";
	glob_t g;
	struct proc_result r;
	/* A clean environment (Criterion's own tells a test binary it is a
	 * worker), so the C locale too. */
	const char *argv[] = { "/usr/bin/env", "-i", self, "--list", NULL };

	cr_assert_eq(glob(DIR "*.hs", 0, NULL, &g), 0);
	cr_expect_geq(g.gl_pathc, MIN_SCRIPTS, "only %zu scripts", g.gl_pathc);
	cr_assert_gt(readlink("/proc/self/exe", self, sizeof(self) - 1), 0);
	cr_assert_eq(proc_run(argv, NULL, &r), 0);
	cr_assert_eq(r.status, 0, "%s --list: %s", self, r.err);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char name[64], listed[80];
		struct script s;

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(g.gl_pathv[i]) - strlen(DIR) - 3),
			 g.gl_pathv[i] + strlen(DIR));
		cr_assert(script_load(&s, name));
		cr_expect(s.covers && s.runs && s.twin, "%s: header needs covers, runs, twin",
			  s.path);
		cr_expect(!s.twin || !twin_none(&s) || s.check, "%s: twin none needs a check",
			  s.path);
		/* "|-- name" in the C locale, "├── name" in a UTF-8 one */
		snprintf(listed, sizeof(listed), "-- %s\n", name);
		cr_expect(strstr(r.out, listed) || strstr(r.err, listed), "%s has no Test(corpus, %s)",
			  s.path, name);
		script_free(&s);
	}
	globfree(&g);
	proc_result_free(&r);
}

Test(corpus, derived_twins_read_registers)
{
	char *t = derive_twin("uprobe:x:main.f /arg0 > 1/ { @a[arg8] = sum(arg1); $arg2 = 1;"
			      " printf(\"arg0 %d\\\"arg1\", arg3); } // arg4\n/* arg5 */ arg10");

	cr_expect_str_eq(t, "uprobe:x:main.f /reg(\"ax\") > 1/ { @a[reg(\"r11\")] = sum(reg(\"bx\"));"
			 " $arg2 = 1; printf(\"arg0 %d\\\"arg1\", reg(\"di\")); } // arg4\n"
			 "/* arg5 */ arg10");
	free(t);
}

/* hotspan -l lists what bpftrace -l lists for the same pattern, in its order. */
Test(corpus, list_as_bpftrace)
{
	const char *const patterns[] = { "uprobe:build/go/corpus:main.*",
					 "uprobe:build/go/corpus:main.st*" };

	if (access(BPFTRACE, X_OK))
		cr_skip_test("bpftrace is needed to compare with");
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		const char *hv[] = { HOTSPAN, "-l", patterns[i], NULL };
		const char *bv[] = { BPFTRACE, "-l", patterns[i], NULL };
		struct proc_result h, b;

		cr_assert_eq(proc_run(hv, NULL, &h), 0);
		cr_assert_eq(proc_run(bv, NULL, &b), 0);
		cr_expect_eq(h.status, 0, "%s", h.err);
		cr_expect_gt(count_lines_starting(h.out, "uprobe:"), 2, "%s", h.out);
		cr_expect_str_eq(h.out, b.out, "-l %s", patterns[i]);
		proc_result_free(&h);
		proc_result_free(&b);
	}
}

/* Each stage of compiling every script prints: -d ast, -d ir, -d bpf. */
Test(corpus, debug_views_of_every_script)
{
	const char *const views[][2] = { { "ast", "program\n  probes:\n" },
					  { "ir", "\ndefine noundef i32 @p0(" },
					  { "bpf", "\np0:\n" } };
	glob_t g;

	cr_assert_eq(glob(DIR "*.hs", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = read_file(g.gl_pathv[i]);

		cr_assert_not_null(text, "%s", g.gl_pathv[i]);
		for (size_t v = 0; v < sizeof(views) / sizeof(views[0]); v++) {
			char *params = header_value(text, "params");
			const char *argv[16] = { HOTSPAN, "-d", views[v][0], g.gl_pathv[i] };
			struct proc_result r;
			int n = 4;

			for (char *save, *t = params ? strtok_r(params, " ", &save) : NULL;
			     t && n < 15; t = strtok_r(NULL, " ", &save))
				argv[n++] = t;
			argv[n] = NULL;
			cr_assert_eq(proc_run(argv, NULL, &r), 0);
			cr_expect_eq(r.status, 0, "-d %s %s: %s", views[v][0], g.gl_pathv[i], r.err);
			cr_expect(strstr(r.out, views[v][1]) != NULL, "-d %s %s:\n%.2000s", views[v][0],
				  g.gl_pathv[i], r.out);
			proc_result_free(&r);
			free(params);
		}
		free(text);
	}
	globfree(&g);
}

/* Statements and expressions */
Test(corpus, scratch_vars) { corpus_run("scratch_vars"); }
Test(corpus, if_else) { corpus_run("if_else"); }
Test(corpus, ternary) { corpus_run("ternary"); }
Test(corpus, logical) { corpus_run("logical"); }
Test(corpus, unary) { corpus_run("unary"); }
Test(corpus, strings) { corpus_run("strings"); }
Test(corpus, positional) { corpus_run("positional"); }
Test(corpus, multi_probe) { corpus_run("multi_probe"); }
Test(corpus, wildcard) { corpus_run("wildcard"); }

/* Actions */
Test(corpus, printf_ints) { corpus_run("printf_ints"); }
Test(corpus, printf_strings) { corpus_run("printf_strings"); }
Test(corpus, print) { corpus_run("print"); }
Test(corpus, clear) { corpus_run("clear"); }
Test(corpus, zero) { corpus_run("zero"); }
Test(corpus, delete) { corpus_run("delete"); }
Test(corpus, exit) { corpus_run("exit"); }
Test(corpus, begin_end) { corpus_run("begin_end"); }

/* Aggregations */
Test(corpus, count) { corpus_run("count"); }
Test(corpus, sum) { corpus_run("sum"); }
Test(corpus, avg) { corpus_run("avg"); }
Test(corpus, min_max) { corpus_run("min_max"); }
Test(corpus, stats) { corpus_run("stats"); }
Test(corpus, hist) { corpus_run("hist"); }
Test(corpus, lhist) { corpus_run("lhist"); }
Test(corpus, map_keys) { corpus_run("map_keys"); }

/* Builtins */
Test(corpus, comm) { corpus_run("comm"); }
Test(corpus, func_printf) { corpus_run("func_printf"); }
Test(corpus, func_map) { corpus_run("func_map"); }
Test(corpus, probe) { corpus_run("probe"); }
Test(corpus, elapsed) { corpus_run("elapsed"); }
Test(corpus, cpu_pid_nsecs) { corpus_run("cpu_pid_nsecs"); }
Test(corpus, ustack) { corpus_run("ustack"); }

/* Probes */
Test(corpus, interval_ms) { corpus_run("interval_ms"); }
Test(corpus, interval_s) { corpus_run("interval_s"); }
Test(corpus, uretprobe) { corpus_run("uretprobe"); }
Test(corpus, uretprobe_results) { corpus_run("uretprobe_results"); }
Test(corpus, access_array) { corpus_run("access_array"); }
Test(corpus, access_func) { corpus_run("access_func"); }
Test(corpus, access_grid) { corpus_run("access_grid"); }
Test(corpus, access_elem) { corpus_run("access_elem"); }
Test(corpus, heat) { corpus_run("heat"); }
Test(corpus, heat2d) { corpus_run("heat2d"); }
Test(corpus, hotspot) { corpus_run("hotspot"); }
