// SPDX-License-Identifier: MIT
/*
 * The trace file: what is written is read back exactly (events with their
 * sites, each map's extent, the origin and the site names), version 1
 * traces still read, replay is deterministic and equal to feeding the
 * engine directly, and every truncation, every corrupted byte, a wrong
 * version or magic and random garbage give a negative errno, never a crash
 * (run under ASan too).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/trace.h"
#include "output/snapshot.h"
#include "tests/lib/streamgen.h"

static const struct trace_map maps[2] = {
	{ .name = "@h", .dims = 1, .rows = 1, .cols = 100000 },
	{ .name = "@grid", .dims = 2 },
};

static const char *const site_names[] = { "main.get+0x1e main.go:27", "" , "uprobe:./x:main.f" };
static const struct trace_info info = {
	.origin_ns = 123456789,
	.origin_wall_ns = 1700000000000000000ull,
	.sites = site_names,
	.nsites = 3,
};

/* A trace of n events of a generated stream on map 0, a few on map 1, and losses. */
static char *make_trace(uint64_t seed, size_t n, size_t *len, struct heat_event **evs)
{
	struct streamgen_config c = { .seed = seed, .dims = 1, .length = 100000,
				      .background = 0.3, .rate = 1e6, .nranges = 2 };
	struct heat_event g2[3] = { { 1, 2, 3, 0, 0 }, { 4, 5, 6, 2, 0 }, { 7, 8, 9, 1, 0 } };
	struct heat_event *ev = malloc(n * sizeof(*ev));
	struct trace_writer *w;
	struct streamgen *g;
	char *buf = NULL;
	size_t i;
	FILE *f;

	c.range[0] = (struct streamgen_range){ .lo = 500, .width = 50, .weight = 0.4, .label = 1 };
	c.range[1] = (struct streamgen_range){ .lo = 9000, .width = 80, .weight = 0.3, .label = 2 };
	g = streamgen__new(&c);
	streamgen__fill(g, ev, n);
	for (i = 0; i < n; i++)
		ev[i].site = i % 3;
	f = open_memstream(&buf, len);
	w = trace_writer__new(f, maps, 2, &info);
	cr_assert_not_null(w);
	for (i = 0; i < n; i += 1000) {
		cr_assert_eq(trace_writer__events(w, 0, ev + i, n - i < 1000 ? n - i : 1000), 0);
		if (i == 5000)
			cr_assert_eq(trace_writer__lost(w, 0, 42), 0);
	}
	cr_assert_eq(trace_writer__events(w, 1, g2, 3), 0);
	cr_assert_eq(trace_writer__finish(w), 0);
	trace_writer__free(w);
	fclose(f);
	streamgen__free(g);
	if (evs)
		*evs = ev;
	else
		free(ev);
	return buf;
}

/* Reads a whole trace; 0 or the first error. */
static int read_all(const void *buf, size_t len)
{
	struct trace_reader *r = trace_reader__new_mem(buf, len);
	struct trace_record rec;
	int err;

	if (!r)
		return -errno;
	do
		err = trace_reader__next(r, &rec);
	while (!err && rec.kind != TRACE_END);
	trace_reader__free(r);
	return err;
}

Test(trace, round_trip)
{
	struct heat_event *ev;
	struct trace_reader *r;
	struct trace_record rec;
	struct trace_info got_info;
	size_t len, got = 0, lost = 0, other = 0;
	uint64_t rows, cols;
	char *buf = make_trace(1, 20000, &len, &ev);

	r = trace_reader__new_mem(buf, len);
	cr_assert_not_null(r);
	cr_assert_eq(trace_reader__version(r), TRACE_VERSION);
	cr_assert_eq(trace_reader__map_count(r), 2);
	cr_assert_str_eq(trace_reader__map_name(r, 0), "@h");
	cr_assert_str_eq(trace_reader__map_name(r, 1), "@grid");
	cr_assert_eq(trace_reader__map_dims(r, 1), 2);
	cr_assert_null(trace_reader__map_name(r, 2));
	trace_reader__map_extent(r, 0, &rows, &cols);
	cr_assert(rows == 1 && cols == 100000);
	trace_reader__map_extent(r, 1, &rows, &cols);
	cr_assert(rows == 0 && cols == 0);
	trace_reader__info(r, &got_info);
	cr_assert_eq(got_info.origin_ns, 123456789);
	cr_assert_eq(got_info.origin_wall_ns, 1700000000000000000ull);
	cr_assert_eq(got_info.nsites, 3);
	cr_assert_str_eq(got_info.sites[0], "main.get+0x1e main.go:27");
	cr_assert_str_eq(got_info.sites[1], "");
	cr_assert_str_eq(got_info.sites[2], "uprobe:./x:main.f");
	for (;;) {
		cr_assert_eq(trace_reader__next(r, &rec), 0);
		if (rec.kind == TRACE_END)
			break;
		if (rec.kind == TRACE_LOST) {
			cr_assert_eq(rec.lost, 42);
			lost++;
		} else if (rec.map == 1) {
			cr_assert_eq(rec.n, 3);
			cr_assert_eq(rec.ev[2].row, 8);
			cr_assert_eq(rec.ev[1].site, 2);
			other++;
		} else {
			cr_assert_eq(memcmp(rec.ev, ev + got, rec.n * sizeof(*ev)), 0);
			got += rec.n;
		}
	}
	cr_assert_eq(got, 20000);
	cr_assert_eq(lost, 1);
	cr_assert_eq(other, 1);
	cr_assert_eq(trace_reader__next(r, &rec), 0, "the end stays the end");
	cr_assert_eq(rec.kind, TRACE_END);
	trace_reader__free(r);
	free(ev);
	free(buf);
}

Test(trace, file_and_memory_readers_agree)
{
	size_t len;
	char *buf = make_trace(2, 3000, &len, NULL);
	FILE *f = fmemopen(buf, len, "r");
	struct trace_reader *r = trace_reader__new(f);
	struct trace_record rec;
	size_t n = 0;

	cr_assert_not_null(r);
	do {
		cr_assert_eq(trace_reader__next(r, &rec), 0);
		n += rec.n;
	} while (rec.kind != TRACE_END);
	cr_assert_eq(n, 3003);
	trace_reader__free(r);
	fclose(f);
	free(buf);
}

static const struct site_names names = { site_names, 3 };

static void json_cb(void *ctx, const struct engine_snapshot *s)
{
	snapshot_print_json(s, &names, ctx);
}

/* Replays map 0 with the given window size; returns the JSON output. */
static char *replay_json(const char *trace, size_t len, uint64_t window, size_t *out_len)
{
	struct trace_reader *r = trace_reader__new_mem(trace, len);
	struct engine *engines[2] = { NULL, NULL };
	struct hotspot_params p;
	char *out = NULL;
	FILE *f = open_memstream(&out, out_len);

	hotspot_params_default(&p);
	p.window_events = window;
	engines[0] = engine__new(trace_reader__map_name(r, 0), 1, &p);
	engine__set_extent(engines[0], 1, 100000);
	engine__set_origin(engines[0], info.origin_ns, info.origin_wall_ns);
	engine__set_window_cb(engines[0], json_cb, f);
	cr_assert_eq(trace_replay(r, engines), 0);
	snapshot_print_summary_json(engines[0], &names, f);
	engine__free(engines[0]);
	trace_reader__free(r);
	fclose(f);
	return out;
}

Test(trace, replay_is_deterministic_and_equals_live)
{
	struct heat_event *ev;
	struct hotspot_params p;
	struct engine *e;
	size_t len, l1, l2, l3, l4, i;
	char *buf = make_trace(3, 50000, &len, &ev), *a, *b, *c, *live = NULL;
	FILE *f;

	a = replay_json(buf, len, 2048, &l1);
	b = replay_json(buf, len, 2048, &l2);
	cr_assert_gt(l1, 1000);
	cr_assert_eq(l1, l2);
	cr_assert_eq(memcmp(a, b, l1), 0, "replay is byte-identical");
	c = replay_json(buf, len, 4096, &l3);
	cr_assert(l3 != l1 || memcmp(a, c, l1), "another hotspot definition, another result");
	cr_assert(strstr(a, "\"lost\": 42"), "lost events reach the window");
	cr_assert(strstr(a, "\"sites\": [{\"site\": \""), "sites reach the clusters");

	/* the same events pushed live, with the loss at the same place */
	hotspot_params_default(&p);
	p.window_events = 2048;
	e = engine__new("@h", 1, &p);
	engine__set_extent(e, 1, 100000);
	engine__set_origin(e, info.origin_ns, info.origin_wall_ns);
	f = open_memstream(&live, &l4);
	engine__set_window_cb(e, json_cb, f);
	for (i = 0; i < 50000; i += 1000) {
		cr_assert_eq(engine__push(e, ev + i, 1000), 0);
		if (i == 5000)
			engine__add_lost(e, 42);
	}
	engine__flush(e);
	snapshot_print_summary_json(e, &names, f);
	fclose(f);
	cr_assert_eq(l4, l1);
	cr_assert_eq(memcmp(live, a, l1), 0, "replay equals the live run");
	engine__free(e);
	free(a);
	free(b);
	free(c);
	free(live);
	free(ev);
	free(buf);
}

Test(trace, every_truncation_is_an_error)
{
	size_t len, cut;
	char *buf = make_trace(4, 300, &len, NULL);

	cr_assert_eq(read_all(buf, len), 0);
	for (cut = 0; cut < len; cut++) {
		int err = read_all(buf, cut);

		cr_assert(err == -ENODATA, "cut at %zu of %zu: %d", cut, len, err);
	}
	free(buf);
}

Test(trace, every_corrupted_byte_is_an_error)
{
	size_t len, i;
	char *buf = make_trace(5, 200, &len, NULL);

	for (i = 0; i < len; i++) {
		static const unsigned char flips[] = { 0x01, 0x80, 0xff };
		unsigned k;

		for (k = 0; k < sizeof(flips); k++) {
			int err;

			buf[i] ^= (char)flips[k];
			err = read_all(buf, len);
			cr_assert(err < 0, "byte %zu ^ %#x was accepted", i, flips[k]);
			buf[i] ^= (char)flips[k];
		}
	}
	cr_assert_eq(read_all(buf, len), 0);
	free(buf);
}

Test(trace, wrong_version_magic_and_trailing_bytes)
{
	size_t len;
	char *buf = make_trace(6, 100, &len, NULL), *more;

	buf[8] = 3;	/* version 3 */
	errno = 0;
	cr_assert_null(trace_reader__new_mem(buf, len));
	cr_assert_eq(errno, EPROTONOSUPPORT);
	buf[8] = 2;
	memcpy(buf, "HOTSPAN!", 8);
	cr_assert_null(trace_reader__new_mem(buf, len));
	cr_assert_eq(errno, EBADMSG);
	cr_assert_null(trace_reader__new_mem("", 0));
	cr_assert_eq(errno, ENODATA);
	free(buf);

	buf = make_trace(6, 100, &len, NULL);
	more = malloc(len + 1);
	memcpy(more, buf, len);
	more[len] = 0;
	cr_assert_eq(read_all(more, len + 1), -EBADMSG, "bytes after the end record");
	free(more);
	free(buf);
}

Test(trace, writer_rejects_bad_maps)
{
	struct trace_map bad[1] = { { .name = "@x", .dims = 3 } };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	struct trace_writer *w;

	struct heat_event unnamed = { .ts_ns = 1, .col = 2, .site = 3 };
	struct trace_info no_names = { .nsites = 2, .sites = NULL };

	cr_assert_null(trace_writer__new(f, bad, 1, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(trace_writer__new(f, maps, 0, NULL));
	cr_assert_null(trace_writer__new(f, maps, 1, &no_names));
	w = trace_writer__new(f, maps, 1, &info);
	cr_assert_eq(trace_writer__events(w, 1, NULL, 0), -EINVAL);
	cr_assert_eq(trace_writer__lost(w, 5, 1), -EINVAL);
	cr_assert_eq(trace_writer__events(w, 0, &unnamed, 1), -EINVAL, "a site the header does not name");
	trace_writer__free(w);
	trace_writer__free(NULL);
	trace_reader__free(NULL);
	fclose(f);
	free(buf);
}

/* Little-endian fields for a hand-made version 1 trace. */
static size_t put(unsigned char *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return bytes;
}

/*
 * Version 1 (no extents, origin or sites; 24-byte events) still reads:
 * its events come with site 0 and it names no site.
 */
Test(trace, version_1_still_reads)
{
	unsigned char b[256];
	size_t n = 0, rec;
	struct trace_reader *r;
	struct trace_record tr;
	struct trace_info in;
	uint64_t rows, cols;

	memcpy(b, "\x89HSR\r\n\x1a\n", 8);
	n = 8;
	n += put(b + n, 1, 2);
	n += put(b + n, 0, 2);
	n += put(b + n, 1, 4);
	b[n++] = 1;
	b[n++] = 0;
	n += put(b + n, 2, 2);
	memcpy(b + n, "@h", 2);
	n += 2;
	n += put(b + n, crc32(0, b, (uInt)n), 4);
	rec = n;
	b[n++] = TRACE_EVENTS;
	b[n++] = 0;
	n += put(b + n, 0, 2);
	n += put(b + n, 2, 4);
	for (unsigned i = 0; i < 2; i++) {
		n += put(b + n, 100 + i, 8);
		n += put(b + n, 0, 8);
		n += put(b + n, 7 + i, 8);
	}
	n += put(b + n, crc32(0, b + rec, (uInt)(n - rec)), 4);
	rec = n;
	b[n++] = TRACE_END;
	b[n++] = 0;
	n += put(b + n, 0, 2);
	n += put(b + n, 0, 4);
	n += put(b + n, crc32(0, b + rec, (uInt)(n - rec)), 4);

	r = trace_reader__new_mem(b, n);
	cr_assert_not_null(r);
	cr_assert_eq(trace_reader__version(r), 1);
	trace_reader__map_extent(r, 0, &rows, &cols);
	cr_assert(rows == 0 && cols == 0);
	trace_reader__info(r, &in);
	cr_assert(in.origin_ns == 0 && in.nsites == 0);
	cr_assert_eq(trace_reader__next(r, &tr), 0);
	cr_assert_eq(tr.kind, TRACE_EVENTS);
	cr_assert_eq(tr.n, 2);
	cr_assert(tr.ev[1].ts_ns == 101 && tr.ev[1].col == 8 && tr.ev[1].site == 0);
	cr_assert_eq(trace_reader__next(r, &tr), 0);
	cr_assert_eq(tr.kind, TRACE_END);
	trace_reader__free(r);
	cr_assert_eq(read_all(b, n), 0);
	cr_assert_eq(read_all(b, n - 1), -ENODATA);
}

/* A mutation fuzzer's worth of hostile input: flips, splices and noise. */
Test(trace, random_garbage_never_crashes)
{
	struct streamgen_config c = { .seed = 77, .length = 256, .background = 1, .nranges = 0 };
	struct streamgen *g = streamgen__new(&c);
	size_t len, i, k;
	char *good = make_trace(7, 500, &len, NULL);
	char *buf = calloc(1, len + 64);

	for (i = 0; i < 20000; i++) {
		struct heat_event r;
		size_t n = len;

		memcpy(buf, good, len);
		for (k = 0; k < 1 + i % 8; k++) {
			streamgen__next(g, &r, NULL);
			buf[(size_t)r.col * 7919 % n] = (char)r.ts_ns;
		}
		if (i % 3 == 0)
			n = (size_t)(r.ts_ns % (len + 64));
		cr_assert_leq(read_all(buf, n), 0);
	}
	free(buf);
	free(good);
	streamgen__free(g);
}
