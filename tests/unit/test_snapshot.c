// SPDX-License-Identifier: MIT
/*
 * Snapshots and their renderers (output/snapshot.c): every JSON line
 * parses and has the documented keys in order, with window times (and the
 * wall clock), access sites by name and scattered indices; 2-D maps print
 * pairs; the summary lists clusters by share with their path and sites;
 * the same stream always prints the same bytes; snapshots stay valid while
 * held, and a reader thread taking snapshots while the engine publishes
 * never sees a torn or freed one.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "output/snapshot.h"
#include "tests/lib/streamgen.h"

/* ---- a strict little JSON checker: value, then end of text ---- */

static const char *js_value(const char *p);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *js_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (isdigit((unsigned char)*p))
		while (isdigit((unsigned char)*p))
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return p > s ? p : NULL;
}

static const char *js_value(const char *p)
{
	p = js_ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool obj = *p == '{';

		p = js_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = js_string(js_ws(p));
				if (!p)
					return NULL;
				p = js_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = js_value(p);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return js_string(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	return js_number(p);
}

static bool json_ok(const char *line)
{
	const char *end = js_value(line);

	return end && *js_ws(end) == '\0';
}

/* ---- helpers ---- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *const site_text[] = { "main.get+0x1e main.go:27", "main.put+0x9 main.go:31" };
static const struct site_names sites = { site_text, 2 };

struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static void json_cb(void *ctx, const struct engine_snapshot *s)
{
	cr_assert_eq(snapshot_print_json(s, &sites, ((struct out *)ctx)->f), 0);
}

/* Three ranges: one jumps far at window 40, one stops at 60, one starts at 20. */
static void stream_1d(struct streamgen_config *c, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->dims = 1;
	c->length = 100000;
	c->background = 0.2;
	c->rate = 1e6;
	c->nranges = 3;
	c->range[0] = (struct streamgen_range){ .lo = 1000, .width = 60, .weight = 0.4, .label = 1,
						.jump_at = 40 * 4096, .jump_by = 40000 };
	c->range[1] = (struct streamgen_range){ .lo = 9000, .width = 80, .weight = 0.4, .label = 2,
						.off = 60 * 4096 };
	c->range[2] = (struct streamgen_range){ .lo = 30000, .width = 50, .weight = 0.3, .label = 3,
						.on = 20 * 4096 };
}

static void params(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = 4096;
}

/* Runs a stream through an engine printing JSON; returns the bytes. Sites alternate. */
static char *run_json(const struct streamgen_config *c, const struct hotspot_params *p,
		      unsigned windows, size_t *len)
{
	struct streamgen *g = streamgen__new(c);
	struct engine *e = engine__new("@h", c->dims, p);
	struct heat_event ev[4096];
	struct out o = { 0 };
	unsigned i, k;

	o.f = open_memstream(&o.buf, &o.len);
	cr_assert(g && e && o.f);
	engine__set_extent(e, 1, c->length);
	engine__set_origin(e, 1, 1700000000000000000ull);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < windows; i++) {
		streamgen__fill(g, ev, 4096);
		for (k = 0; k < 4096; k++)
			ev[k].site = k % 4 == 0;
		cr_assert_eq(engine__push(e, ev, 4096), 0);
		if (i == 10)
			engine__add_lost(e, 17);
	}
	cr_assert_eq(snapshot_print_summary_json(e, &sites, o.f), 0);
	fclose(o.f);
	engine__free(e);
	streamgen__free(g);
	*len = o.len;
	return o.buf;
}

Test(snapshot, json_lines_parse_and_follow_the_format)
{
	struct streamgen_config c;
	struct hotspot_params p;
	size_t len, windows = 0, events = 0, moves = 0;
	char *buf, *line, *save = NULL;

	stream_1d(&c, 1);
	params(&p);
	buf = run_json(&c, &p, 80, &len);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_assert(json_ok(line), "not JSON: %s", line);
		if (starts(line, "{\"type\": \"window\", \"data\": {\"map\": \"@h\", \"window\": ")) {
			windows++;
			cr_assert(strstr(line, ", \"start_ns\": "), "%s", line);
			cr_assert(strstr(line, ", \"start\": \"2023-11-14T22:13:20."), "%s", line);
			cr_assert(strstr(line, ", \"events\": 4096, \"lost\": "), "%s", line);
			cr_assert(strstr(line, ", \"uniform\": 0.0"), "%s", line);
			if (strstr(line, "\"window\": 12,"))
				cr_assert(strstr(line, "\"lost\": 17,"), "%s", line);
			if (strstr(line, "\"id\"")) {
				cr_assert(strstr(line, "\"clusters\": [{\"id\": "), "%s", line);
				cr_assert(strstr(line, ", \"sites\": [{\"site\": \"main.get+0x1e main.go:27\""
						 ", \"share\": 0.7"), "%s", line);
			}
		} else if (starts(line, "{\"type\": \"cluster_event\", \"data\": {\"map\": \"@h\", "
					"\"window\": ")) {
			events++;
			cr_assert(strstr(line, ", \"event\": \""), "%s", line);
			cr_assert(strstr(line, ", \"end\": \"2023-11-14T22:13:20."), "%s", line);
			if (strstr(line, "\"event\": \"move\"")) {
				moves++;
				cr_assert(strstr(line, "\"from_lo\": 1000, \"from_hi\": 1060, \"lo\": 41000,"
						 " \"hi\": 41060, "), "%s", line);
			}
		} else {
			cr_assert(starts(line, "{\"type\": \"summary\", \"data\": {\"map\": \"@h\", "),
				  "unexpected line: %s", line);
			cr_assert(strstr(line, "\"path\": [{\"window\": "), "%s", line);
		}
	}
	cr_assert_eq(windows, 80);
	cr_assert_eq(moves, 1);
	cr_assert_eq(events, 5, "3 appear, 1 move, 1 vanish");
	free(buf);
}

Test(snapshot, cluster_keys_in_order)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	struct out o = { 0 };
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 1000;
	p.persist = 1;
	e = engine__new("@h", 1, &p);
	engine__set_extent(e, 1, 100000);
	o.f = open_memstream(&o.buf, &o.len);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < 1000; i++)
		ev[i] = (struct heat_event){ .ts_ns = 10 * i, .col = i < 900 ? 100 + (int64_t)(i % 10) :
							    (int64_t)(i * 997 % 100000) };
	cr_assert_eq(engine__push(e, ev, 1000), 0);
	fclose(o.f);
	cr_assert(starts(o.buf, "{\"type\": \"window\", \"data\": {\"map\": \"@h\", \"window\": 1, "
				"\"start_ns\": 0, \"end_ns\": 9990, \"events\": 1000, \"lost\": 0, "
				"\"active\": 110, \"uniform\": "), "%s", o.buf);
	cr_assert(strstr(o.buf, "\"clusters\": [{\"id\": 1, \"lo\": 100, \"hi\": 110, \"elements\": 10,"
				" \"share\": 0.900000"), "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"window_share\": 0.900000, \"hotness\": "), "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"centre\": 104."), "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"state\": \"stable\", \"sites\": [{\"site\": "
				"\"main.get+0x1e main.go:27\", \"share\": 1.0000}]}]}}\n"), "%s", o.buf);
	cr_assert(strstr(o.buf, "{\"type\": \"cluster_event\", \"data\": {\"map\": \"@h\", "
				"\"window\": 1, \"end_ns\": 9990, \"event\": \"appear\", \"id\": 1, "
				"\"lo\": 100, \"hi\": 110, \"share\": 0.900000"), "%s", o.buf);
	free(o.buf);
	engine__free(e);
}

Test(snapshot, two_d_maps_print_pairs)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	struct out o = { 0 };
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 1000;
	e = engine__new("@g", 2, &p);
	engine__set_extent(e, 64, 64);
	o.f = open_memstream(&o.buf, &o.len);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < 1000; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .row = 3 + (int64_t)(i % 4),
					     .col = 7 + (int64_t)(i / 4 % 5) };
	cr_assert_eq(engine__push(e, ev, 1000), 0);
	fclose(o.f);
	cr_assert(json_ok(strtok(o.buf, "\n")));
	cr_assert(strstr(o.buf, "\"lo\": [3, 7], \"hi\": [7, 12]"), "%s", o.buf);
	cr_assert(strstr(o.buf, "\"centre\": [4.50, 9.0"), "%s", o.buf);
	free(o.buf);
	engine__free(e);
}

/* A hashed table's hot buckets: "scattered", with the hottest in JSON and the table. */
Test(snapshot, scattered_indices)
{
	struct hotspot_params p;
	struct heat_event ev[2048];
	const struct engine_snapshot *s;
	char *buf = NULL;
	size_t len = 0, i;
	struct engine *e;
	FILE *f;

	hotspot_params_default(&p);
	e = engine__new("@t", 1, &p);
	engine__set_extent(e, 1, 65536);
	for (i = 0; i < 2048; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .col = (int64_t)(i % 8) * 7919 + (i % 8 == 0) };
	cr_assert_eq(engine__push(e, ev, 2048), 0);
	s = engine__snapshot_get(e);
	f = open_memstream(&buf, &len);
	cr_assert_eq(snapshot_print_json(s, &sites, f), 0);
	cr_assert_eq(snapshot_print_table(s, &sites, f), 0);
	fclose(f);
	cr_assert(strstr(buf, "\"clusters\": [], \"scattered\": {\"count\": 8, \"share\": 1.000000,"
			      " \"top\": [{\"at\": "), "%s", buf);
	cr_assert(strstr(buf, "  scattered: 8 hot indices, 100.00% of accesses; hottest "), "%s", buf);
	engine_snapshot__put(s);
	free(buf);
	engine__free(e);
}

Test(snapshot, the_same_stream_prints_the_same_bytes)
{
	struct streamgen_config c;
	struct hotspot_params p;
	size_t l1, l2, l3;
	char *a, *b, *d;

	stream_1d(&c, 7);
	params(&p);
	a = run_json(&c, &p, 70, &l1);
	b = run_json(&c, &p, 70, &l2);
	cr_assert_eq(l1, l2);
	cr_assert_eq(memcmp(a, b, l1), 0);
	/* and a different hotspot definition gives a different output */
	p.window_events = 2048;
	d = run_json(&c, &p, 70, &l3);
	cr_assert(l3 != l1 || memcmp(a, d, l1));
	free(a);
	free(b);
	free(d);
}

Test(snapshot, table_and_summary)
{
	struct streamgen_config c;
	struct hotspot_params p;
	const struct engine_snapshot *s;
	struct heat_event ev[4096];
	struct streamgen *g;
	struct engine *e;
	char *buf = NULL, *a, *b, *m;
	size_t len = 0, i;
	FILE *f;

	stream_1d(&c, 3);
	params(&p);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	engine__set_extent(e, 1, c.length);
	for (i = 0; i < 70; i++) {
		streamgen__fill(g, ev, 4096);
		cr_assert_eq(engine__push(e, ev, 4096), 0);
	}
	engine__add_lost(e, 5);
	cr_assert_eq(engine__flush(e), 0);
	f = open_memstream(&buf, &len);
	s = engine__snapshot_get(e);
	cr_assert_eq(snapshot_print_table(s, &sites, f), 0);
	cr_assert_eq(snapshot_print_summary(e, &sites, f), 0);
	fclose(f);
	cr_assert(strstr(buf, "@h  window 71  0.285-0.285 s  events 0  lost 5  active "), "%s", buf);
	cr_assert(strstr(buf, "@h: 71 windows, 286720 events, 5 lost, 3 clusters\n"), "%s", buf);
	cr_assert(strstr(buf, "ID    SHARE     PEAK  FIRST"), "%s", buf);
	/* by share: the two ranges of 40% first, then the one of 30% */
	a = strstr(buf, "[1000, 1060) w1 ");
	b = strstr(buf, "[9000, 9080) w1 ");
	m = strstr(buf, "[30000, 30050) w2");
	cr_assert(a && b && m && a < m && b < m, "%s", buf);
	cr_assert(strstr(buf, "          moved   w41 "), "the path of the jump: %s", buf);
	cr_assert(strstr(buf, "to [41000, 41060)\n"), "%s", buf);
	cr_assert(strstr(buf, "vanished"), "the range switched off: %s", buf);
	cr_assert(strstr(buf, "          sites: main.get+0x1e main.go:27 100.0%\n"), "%s", buf);
	engine_snapshot__put(s);
	free(buf);
	engine__free(e);
	streamgen__free(g);
}

Test(snapshot, map_names_are_escaped)
{
	struct hotspot_params p;
	struct heat_event ev = { .ts_ns = 1, .col = 1 };
	struct out o = { 0 };
	struct engine *e;

	hotspot_params_default(&p);
	p.window_events = 1;
	e = engine__new("@a\"b\\c\n", 1, &p);
	o.f = open_memstream(&o.buf, &o.len);
	engine__set_window_cb(e, json_cb, &o);
	cr_assert_eq(engine__push(e, &ev, 1), 0);
	fclose(o.f);
	cr_assert(strstr(o.buf, "\"map\": \"@a\\\"b\\\\c\\u000a\""), "%s", o.buf);
	cr_assert(json_ok(strtok(o.buf, "\n")));
	free(o.buf);
	engine__free(e);
}

Test(snapshot, held_snapshots_survive_later_windows)
{
	struct hotspot_params p;
	struct heat_event ev[100];
	const struct engine_snapshot *s, *t;
	struct engine *e;
	size_t i, k;

	hotspot_params_default(&p);
	p.window_events = 100;
	e = engine__new("@h", 1, &p);
	engine__set_extent(e, 1, 1000);
	for (i = 0; i < 100; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .col = (int64_t)(i % 7) };
	cr_assert_eq(engine__push(e, ev, 100), 0);
	s = engine__snapshot_get(e);
	t = engine_snapshot__get_ref(s);
	engine_snapshot__put(t);
	for (k = 0; k < 50; k++)
		cr_assert_eq(engine__push(e, ev, 100), 0);
	cr_assert_eq(engine_snapshot__window(s), 1);
	cr_assert_eq(engine_snapshot__events(s), 100);
	cr_assert_eq(engine_snapshot__cluster_count(s), 1);
	cr_assert_eq(engine_snapshot__cluster(s, 0)->hi[0], 7);
	cr_assert_null(engine_snapshot__cluster(s, 1));
	engine_snapshot__put(s);
	engine__free(e);
}

struct reader {
	struct engine *e;
	atomic_bool stop;
	uint64_t seen, last;
	bool backwards;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	FILE *null = fopen("/dev/null", "w");

	while (!atomic_load(&r->stop)) {
		const struct engine_snapshot *s = engine__snapshot_get(r->e);
		size_t i;

		if (!s)
			continue;
		if (engine_snapshot__window(s) < r->last)
			r->backwards = true;
		r->last = engine_snapshot__window(s);
		for (i = 0; i < engine_snapshot__cluster_count(s); i++)
			if (engine_snapshot__cluster(s, i)->hi[0] <= engine_snapshot__cluster(s, i)->lo[0])
				r->backwards = true;
		snapshot_print_table(s, &sites, null);
		engine_snapshot__put(s);
		r->seen++;
	}
	fclose(null);
	return NULL;
}

Test(snapshot, readers_never_see_a_freed_snapshot)
{
	struct streamgen_config c;
	struct hotspot_params p;
	struct heat_event ev[256];
	struct reader r = { 0 };
	struct streamgen *g;
	pthread_t th;
	size_t i;

	stream_1d(&c, 5);
	hotspot_params_default(&p);
	p.window_events = 256;
	g = streamgen__new(&c);
	r.e = engine__new("@h", 1, &p);
	cr_assert_eq(pthread_create(&th, NULL, reader_main, &r), 0);
	for (i = 0; i < 3000; i++) {
		streamgen__fill(g, ev, 256);
		cr_assert_eq(engine__push(r.e, ev, 256), 0);
	}
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	cr_assert(!r.backwards);
	cr_assert_gt(r.seen, 0);
	engine__free(r.e);
	streamgen__free(g);
}
