// SPDX-License-Identifier: MIT
/*
 * Snapshots and renderers: every JSON line parses and has the documented
 * keys in order, 2-D maps print pairs, the same stream always prints the
 * same bytes, snapshots stay valid while held, and a reader thread taking
 * snapshots while the engine publishes never sees a torn or freed one.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
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

struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static void json_cb(void *ctx, const struct engine_snapshot *s)
{
	cr_assert_eq(engine_snapshot__print_json(s, ((struct out *)ctx)->f), 0);
}

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
						.jump_at = 40 * 4096, .jump_by = 40 };
	c->range[1] = (struct streamgen_range){ .lo = 9000, .width = 80, .weight = 0.4, .label = 2,
						.off = 60 * 4096 };
	c->range[2] = (struct streamgen_range){ .lo = 30000, .width = 50, .weight = 0.3, .label = 3,
						.on = 20 * 4096 };
}

static void params(struct hotspot_params *p)
{
	hotspot_params_default(p);
	p->window_events = 4096;
	p->halflife_ns = 0;
	p->decay = 0.999;
	p->hot_kind = HOT_ABOVE;
	p->hot_above = 2;
}

/* Runs a stream through an engine printing JSON; returns the bytes. */
static char *run_json(const struct streamgen_config *c, const struct hotspot_params *p,
		      unsigned windows, size_t *len)
{
	struct streamgen *g = streamgen__new(c);
	struct engine *e = engine__new("@h", c->dims, p);
	struct heat_event ev[4096];
	struct out o = { 0 };
	unsigned i;

	o.f = open_memstream(&o.buf, &o.len);
	cr_assert(g && e && o.f);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < windows; i++) {
		streamgen__fill(g, ev, 4096);
		cr_assert_eq(engine__push(e, ev, 4096), 0);
		if (i == 10)
			engine__add_lost(e, 17);
	}
	cr_assert_eq(engine__print_summary_json(e, o.f), 0);
	fclose(o.f);
	engine__free(e);
	streamgen__free(g);
	*len = o.len;
	return o.buf;
}

Test(engine_output, json_lines_parse_and_follow_the_format)
{
	struct streamgen_config c;
	struct hotspot_params p;
	size_t len, windows = 0, events = 0, drifts = 0;
	char *buf, *line, *save = NULL;

	stream_1d(&c, 1);
	params(&p);
	buf = run_json(&c, &p, 80, &len);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_assert(json_ok(line), "not JSON: %s", line);
		if (starts(line, "{\"type\": \"window\", \"data\": {\"map\": \"@h\", \"window\": ")) {
			windows++;
			cr_assert(strstr(line, ", \"events\": 4096, \"lost\": "), "%s", line);
			if (strstr(line, "\"window\": 12,"))
				cr_assert(strstr(line, "\"lost\": 17,"), "%s", line);
			if (strstr(line, "\"id\""))
				cr_assert(strstr(line, "\"clusters\": [{\"id\": "), "%s", line);
		} else if (starts(line, "{\"type\": \"cluster_event\", \"data\": {\"map\": \"@h\", "
					"\"window\": ")) {
			events++;
			cr_assert(strstr(line, ", \"event\": \""), "%s", line);
			if (strstr(line, "\"event\": \"drift\"")) {
				drifts++;
				cr_assert(strstr(line, "\"reason\": \""), "%s", line);
			}
		} else {
			cr_assert(starts(line, "{\"type\": \"summary\", \"data\": {\"map\": \"@h\", "),
				  "unexpected line: %s", line);
		}
	}
	cr_assert_eq(windows, 80);
	cr_assert_geq(events, 3, "appear, vanish and a jump make events");
	cr_assert_geq(drifts, 1, "the jump of 40 indices (2.3 sigma)");
	free(buf);
}

Test(engine_output, cluster_keys_in_order)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	struct out o = { 0 };
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 1000;
	p.hot_kind = HOT_TOPK;
	p.hot_topk = 10;
	e = engine__new("@h", 1, &p);
	o.f = open_memstream(&o.buf, &o.len);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < 1000; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .col = i < 900 ? 100 + (int64_t)(i % 10) :
							    (int64_t)(5000 + i * 7) };
	cr_assert_eq(engine__push(e, ev, 1000), 0);
	fclose(o.f);
	cr_assert(strstr(o.buf, "\"clusters\": [{\"id\": 1, \"lo\": 100, \"hi\": 110, \"share\": 0."),
		  "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"hotness\": "), "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"centre\": 104."), "%s", o.buf);
	cr_assert(strstr(o.buf, ", \"state\": \"new\"}]}}\n"), "%s", o.buf);
	cr_assert(strstr(o.buf, "{\"type\": \"cluster_event\", \"data\": {\"map\": \"@h\", "
				"\"window\": 1, \"event\": \"appear\", \"id\": 1, \"centre\": 104."),
		  "%s", o.buf);
	free(o.buf);
	engine__free(e);
}

Test(engine_output, two_d_maps_print_pairs)
{
	struct hotspot_params p;
	struct heat_event ev[1000];
	struct out o = { 0 };
	struct engine *e;
	size_t i;

	hotspot_params_default(&p);
	p.window_events = 1000;
	p.hot_kind = HOT_TOPK;
	p.hot_topk = 20;
	e = engine__new("@g", 2, &p);
	o.f = open_memstream(&o.buf, &o.len);
	engine__set_window_cb(e, json_cb, &o);
	for (i = 0; i < 1000; i++)
		ev[i] = (struct heat_event){ .ts_ns = i, .row = 3 + (int64_t)(i % 4),
					     .col = 7 + (int64_t)(i / 4 % 5) };
	cr_assert_eq(engine__push(e, ev, 1000), 0);
	fclose(o.f);
	cr_assert(json_ok(strtok(o.buf, "\n")));
	cr_assert(strstr(o.buf, "\"lo\": [3, 7], \"hi\": [7, 12]"), "%s", o.buf);
	cr_assert(strstr(o.buf, "\"centre\": [4.50, 9.00]"), "%s", o.buf);
	free(o.buf);
	engine__free(e);
}

Test(engine_output, the_same_stream_prints_the_same_bytes)
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
	p.hot_above = 3;
	d = run_json(&c, &p, 70, &l3);
	cr_assert(l3 != l1 || memcmp(a, d, l1));
	free(a);
	free(b);
	free(d);
}

Test(engine_output, table_and_summary)
{
	struct streamgen_config c;
	struct hotspot_params p;
	const struct engine_snapshot *s;
	struct heat_event ev[4096];
	struct streamgen *g;
	struct engine *e;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	stream_1d(&c, 3);
	params(&p);
	g = streamgen__new(&c);
	e = engine__new("@h", 1, &p);
	for (i = 0; i < 70; i++) {
		streamgen__fill(g, ev, 4096);
		cr_assert_eq(engine__push(e, ev, 4096), 0);
	}
	engine__add_lost(e, 5);
	cr_assert_eq(engine__flush(e), 0);
	f = open_memstream(&buf, &len);
	s = engine__snapshot_get(e);
	cr_assert_eq(engine_snapshot__print_table(s, f), 0);
	cr_assert_eq(engine__print_summary(e, f), 0);
	fclose(f);
	cr_assert(strstr(buf, "@h  window 71  events 0  lost 5  active "), "%s", buf);
	cr_assert(strstr(buf, "ID  SPAN"), "%s", buf);
	cr_assert(strstr(buf, "[30000, 30050)"), "%s", buf);
	cr_assert(strstr(buf, "@h: 71 windows, 286720 events, 5 lost, "), "%s", buf);
	cr_assert(strstr(buf, "vanished"), "the range switched off: %s", buf);
	engine_snapshot__put(s);
	free(buf);
	engine__free(e);
	streamgen__free(g);
}

Test(engine_output, map_names_are_escaped)
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

Test(engine_output, held_snapshots_survive_later_windows)
{
	struct hotspot_params p;
	struct heat_event ev[100];
	const struct engine_snapshot *s, *t;
	struct engine *e;
	size_t i, k;

	hotspot_params_default(&p);
	p.window_events = 100;
	p.hot_kind = HOT_TOPK;
	p.hot_topk = 7;
	e = engine__new("@h", 1, &p);
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
		engine_snapshot__print_table(s, null);
		engine_snapshot__put(s);
		r->seen++;
	}
	fclose(null);
	return NULL;
}

Test(engine_output, readers_never_see_a_freed_snapshot)
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
