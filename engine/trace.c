// SPDX-License-Identifier: MIT
/*
 * The trace file: all integers little-endian.
 *
 *   header  magic "\x89HSR\r\n\x1a\n", u16 version (2), u16 flags (0),
 *           u32 nmaps, then per map: u8 dims, u8 0, u16 name length,
 *           name bytes, u64 rows, u64 cols (the array's extent, 0 if
 *           unknown); then u64 origin_ns, u64 origin_wall_ns, u32 nsites,
 *           per site: u16 name length, name bytes; then u32 CRC-32C of
 *           everything before it
 *   record  u8 kind, u8 map, u16 0, u32 count, payload, u32 CRC-32C of
 *           the record's header and payload
 *             events: count x { u64 ts_ns, i64 row, i64 col, u32 site,
 *                     u32 0 }, count <= 65536, site < max(nsites, 1)
 *             lost:   count 1, u64 lost
 *             end:    count 0; nothing may follow
 *
 * Version 1 had no extents, origin or sites, events of 24 bytes (no
 * site) and zlib's CRC-32; it is still read, with sites 0.
 *
 * The magic catches text-mode mangling the way PNG's does; the CRCs catch
 * corruption anywhere; the end record tells a whole trace from one cut
 * short (a recorder killed before finishing). The reader never trusts a
 * length before checking it against its limit, reads through one helper
 * that fails cleanly at the end of input, and keeps one reusable buffer of
 * events, so any input, however hostile, gives records or a negative errno.
 * Replay reads a record in place when the trace is in memory and checks it
 * with the processor's CRC-32C instruction: a replay costs a few
 * nanoseconds an event before the engine sees it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "engine/trace.h"

static const unsigned char trace_magic[8] = { 0x89, 'H', 'S', 'R', '\r', '\n', 0x1a, '\n' };

#define EVENT_BYTES 32
#define EVENT_BYTES_V1 24

/* ---- CRC-32 (IEEE) of version 1: zlib's ---- */

static uint32_t crc_ieee(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		uInt k = len < 1u << 30 ? (uInt)len : 1u << 30;

		crc = (uint32_t)crc32(crc, p, k);
		p += k;
		len -= k;
	}
	return crc;
}

/*
 * ---- CRC-32C (Castagnoli) of version 2 ----
 *
 * The processor's instruction where there is one (SSE4.2, ARMv8 CRC), 8
 * bytes a step, several times faster than zlib's CRC-32: a replay checks
 * every byte it reads. Elsewhere, slicing by 8 with tables.
 */
#define CRC32C_POLY 0x82f63b78u

static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static void crc32c_init(void)
{
	uint32_t i, k, c;

	for (i = 0; i < 256; i++) {
		for (c = i, k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc32c_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc32c_table[k][i] = (crc32c_table[k - 1][i] >> 8) ^
					     crc32c_table[0][crc32c_table[k - 1][i] & 0xff];
}

static uint32_t crc32c_soft(uint32_t crc, const unsigned char *p, size_t len)
{
	pthread_once(&crc32c_once, crc32c_init);
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		crc = crc32c_table[7][lo & 0xff] ^ crc32c_table[6][(lo >> 8) & 0xff] ^
		      crc32c_table[5][(lo >> 16) & 0xff] ^ crc32c_table[4][lo >> 24] ^
		      crc32c_table[3][p[4]] ^ crc32c_table[2][p[5]] ^
		      crc32c_table[1][p[6]] ^ crc32c_table[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hard(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc, x;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&x, p, 8);
		c = __builtin_ia32_crc32di(c, x);
	}
	for (; len; p++, len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p);
	return (uint32_t)c;
}

static bool crc32c_has_hard(void)
{
	unsigned a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
}
#elif defined(__aarch64__)
__attribute__((target("+crc")))
static uint32_t crc32c_hard(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t x;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&x, p, 8);
		crc = __builtin_aarch64_crc32cx(crc, x);
	}
	for (; len; p++, len--)
		crc = __builtin_aarch64_crc32cb(crc, *p);
	return crc;
}

static bool crc32c_has_hard(void)
{
	return getauxval(AT_HWCAP) & HWCAP_CRC32;
}
#else
static uint32_t crc32c_hard(uint32_t crc, const unsigned char *p, size_t len)
{
	return crc32c_soft(crc, p, len);
}

static bool crc32c_has_hard(void)
{
	return false;
}
#endif

/* 0 = not checked yet, 1 = no instruction, 2 = the instruction */
static int crc32c_mode;

static uint32_t crc_castagnoli(uint32_t crc, const void *buf, size_t len)
{
	int mode = __atomic_load_n(&crc32c_mode, __ATOMIC_RELAXED);

	if (!mode) {
		mode = crc32c_has_hard() ? 2 : 1;
		__atomic_store_n(&crc32c_mode, mode, __ATOMIC_RELAXED);
	}
	crc = ~crc;
	crc = mode == 2 ? crc32c_hard(crc, buf, len) : crc32c_soft(crc, buf, len);
	return ~crc;
}

typedef uint32_t (*crc_fn)(uint32_t crc, const void *buf, size_t len);

/* ---- little-endian fields ---- */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- writer ---- */

struct trace_writer {
	FILE *f;
	unsigned nmaps;
	unsigned nsites;
	unsigned char *buf;	/* one record */
	int err;
};

static int wr(struct trace_writer *w, const void *p, size_t n)
{
	if (!w->err && fwrite(p, 1, n, w->f) != n)
		w->err = -EIO;
	return w->err;
}

struct trace_writer *trace_writer__new(FILE *f, const struct trace_map *maps, unsigned nmaps,
				       const struct trace_info *info)
{
	static const struct trace_info none;
	struct trace_writer *w;
	unsigned char b[24];
	uint32_t crc;
	unsigned i;

	if (!info)
		info = &none;
	if (!f || !maps || nmaps < 1 || nmaps > TRACE_MAX_MAPS ||
	    info->nsites > TRACE_MAX_SITES || (info->nsites && !info->sites))
		goto err_inval;
	for (i = 0; i < nmaps; i++)
		if (!maps[i].name || !*maps[i].name || strlen(maps[i].name) > TRACE_MAX_NAME ||
		    (maps[i].dims != 1 && maps[i].dims != 2))
			goto err_inval;
	for (i = 0; i < info->nsites; i++)
		if (info->sites[i] && strlen(info->sites[i]) > TRACE_MAX_SITE_NAME)
			goto err_inval;
	w = calloc(1, sizeof(*w));
	if (!w)
		goto err_nomem;
	w->buf = malloc(12 + (size_t)TRACE_MAX_BATCH * EVENT_BYTES + 4);
	if (!w->buf)
		goto err_free;
	w->f = f;
	w->nmaps = nmaps;
	w->nsites = info->nsites;

	crc = crc_castagnoli(0, trace_magic, sizeof(trace_magic));
	wr(w, trace_magic, sizeof(trace_magic));
	put16(b, TRACE_VERSION);
	put16(b + 2, 0);
	put32(b + 4, nmaps);
	crc = crc_castagnoli(crc, b, 8);
	wr(w, b, 8);
	for (i = 0; i < nmaps; i++) {
		size_t len = strlen(maps[i].name);

		b[0] = (unsigned char)maps[i].dims;
		b[1] = 0;
		put16(b + 2, (uint16_t)len);
		crc = crc_castagnoli(crc, b, 4);
		crc = crc_castagnoli(crc, maps[i].name, len);
		wr(w, b, 4);
		wr(w, maps[i].name, len);
		put64(b, maps[i].rows);
		put64(b + 8, maps[i].cols);
		crc = crc_castagnoli(crc, b, 16);
		wr(w, b, 16);
	}
	put64(b, info->origin_ns);
	put64(b + 8, info->origin_wall_ns);
	put32(b + 16, info->nsites);
	crc = crc_castagnoli(crc, b, 20);
	wr(w, b, 20);
	for (i = 0; i < info->nsites; i++) {
		const char *name = info->sites[i] ? info->sites[i] : "";
		size_t len = strlen(name);

		put16(b, (uint16_t)len);
		crc = crc_castagnoli(crc, b, 2);
		crc = crc_castagnoli(crc, name, len);
		wr(w, b, 2);
		wr(w, name, len);
	}
	put32(b, crc);
	if (wr(w, b, 4)) {
		errno = EIO;
		trace_writer__free(w);
		return NULL;
	}
	return w;

err_free:
	free(w);
err_nomem:
	errno = ENOMEM;
	return NULL;
err_inval:
	errno = EINVAL;
	return NULL;
}

static int write_record(struct trace_writer *w, enum trace_kind kind, unsigned map,
			uint32_t count, size_t payload)
{
	unsigned char *b = w->buf;

	b[0] = (unsigned char)kind;
	b[1] = (unsigned char)map;
	put16(b + 2, 0);
	put32(b + 4, count);
	put32(b + 8 + payload, crc_castagnoli(0, b, 8 + payload));
	return wr(w, b, 8 + payload + 4);
}

int trace_writer__events(struct trace_writer *w, unsigned map, const struct heat_event *ev,
			 size_t n)
{
	size_t i;

	if (map >= w->nmaps)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (ev[i].site >= (w->nsites ? w->nsites : 1))
			return -EINVAL;
	while (n && !w->err) {
		size_t k = n < TRACE_MAX_BATCH ? n : TRACE_MAX_BATCH;
		unsigned char *p = w->buf + 8;

		for (i = 0; i < k; i++, p += EVENT_BYTES) {
			put64(p, ev[i].ts_ns);
			put64(p + 8, (uint64_t)ev[i].row);
			put64(p + 16, (uint64_t)ev[i].col);
			put32(p + 24, ev[i].site);
			put32(p + 28, 0);
		}
		write_record(w, TRACE_EVENTS, map, (uint32_t)k, k * EVENT_BYTES);
		ev += k;
		n -= k;
	}
	return w->err;
}

int trace_writer__lost(struct trace_writer *w, unsigned map, uint64_t n)
{
	if (map >= w->nmaps)
		return -EINVAL;
	put64(w->buf + 8, n);
	return write_record(w, TRACE_LOST, map, 1, 8);
}

int trace_writer__finish(struct trace_writer *w)
{
	write_record(w, TRACE_END, 0, 0, 0);
	if (!w->err && fflush(w->f))
		w->err = -EIO;
	return w->err;
}

void trace_writer__free(struct trace_writer *w)
{
	if (!w)
		return;
	free(w->buf);
	free(w);
}

/* ---- reader ---- */

struct trace_reader {
	FILE *f;
	const unsigned char *mem;	/* or a buffer */
	size_t len, pos;
	uint32_t version;
	unsigned nmaps;
	char *names[TRACE_MAX_MAPS];
	unsigned dims[TRACE_MAX_MAPS];
	uint64_t rows[TRACE_MAX_MAPS], cols[TRACE_MAX_MAPS];
	uint64_t origin, origin_wall;
	char **sites;
	unsigned nsites;
	size_t event_bytes;
	crc_fn crc;			/* the version's */
	unsigned char *raw;		/* one record's payload */
	struct heat_event *ev;
	bool ended;
	bool no_crc;		/* fuzzing: wrong checksums pass */
};

/* Exactly n bytes, or -ENODATA at the end of input. */
static int rd(struct trace_reader *r, void *dst, size_t n)
{
	if (r->f)
		return fread(dst, 1, n, r->f) == n ? 0 : (ferror(r->f) ? -EIO : -ENODATA);
	if (r->len - r->pos < n)
		return -ENODATA;
	memcpy(dst, r->mem + r->pos, n);
	r->pos += n;
	return 0;
}

/*
 * Exactly n bytes at *p: in place in a buffer, read into r->raw from a file
 * (which holds a record's payload, at most).
 */
static int rd_view(struct trace_reader *r, size_t n, const unsigned char **p)
{
	if (!r->f) {
		if (r->len - r->pos < n)
			return -ENODATA;
		*p = r->mem + r->pos;
		r->pos += n;
		return 0;
	}
	if (!r->raw) {
		r->raw = malloc((size_t)TRACE_MAX_BATCH * EVENT_BYTES);
		if (!r->raw)
			return -ENOMEM;
	}
	*p = r->raw;
	return rd(r, r->raw, n);
}

/* Is there anything left? */
static bool at_end(struct trace_reader *r)
{
	int c;

	if (!r->f)
		return r->pos == r->len;
	c = fgetc(r->f);
	if (c == EOF)
		return true;
	ungetc(c, r->f);
	return false;
}

void trace_reader__free(struct trace_reader *r)
{
	unsigned i;

	if (!r)
		return;
	for (i = 0; i < r->nmaps; i++)
		free(r->names[i]);
	for (i = 0; i < r->nsites; i++)
		free(r->sites[i]);
	free(r->sites);
	free(r->raw);
	free(r->ev);
	free(r);
}

static int read_header(struct trace_reader *r)
{
	unsigned char b[8];
	uint32_t crc, nmaps;
	unsigned i;
	int err;

	err = rd(r, b, 8);
	if (err)
		return err;
	if (memcmp(b, trace_magic, 8))
		return -EBADMSG;
	err = rd(r, b, 8);
	if (err)
		return err;
	r->version = get16(b);
	if (r->version != 1 && r->version != TRACE_VERSION)
		return -EPROTONOSUPPORT;
	r->crc = r->version == 1 ? crc_ieee : crc_castagnoli;
	crc = r->crc(r->crc(0, trace_magic, 8), b, 8);
	r->event_bytes = r->version == 1 ? EVENT_BYTES_V1 : EVENT_BYTES;
	if (get16(b + 2) != 0)
		return -EBADMSG;
	r->nmaps = 0;
	nmaps = get32(b + 4);
	if (nmaps < 1 || nmaps > TRACE_MAX_MAPS)
		return -EBADMSG;
	for (i = 0; i < nmaps; i++) {
		unsigned char m[4], x[16];
		size_t len;

		err = rd(r, m, 4);
		if (err)
			return err;
		crc = r->crc(crc, m, 4);
		len = get16(m + 2);
		if ((m[0] != 1 && m[0] != 2) || m[1] || len < 1 || len > TRACE_MAX_NAME)
			return -EBADMSG;
		r->names[i] = calloc(1, len + 1);
		if (!r->names[i])
			return -ENOMEM;
		r->dims[i] = m[0];
		r->nmaps = i + 1;
		err = rd(r, r->names[i], len);
		if (err)
			return err;
		if (memchr(r->names[i], 0, len))
			return -EBADMSG;
		crc = r->crc(crc, r->names[i], len);
		if (r->version == 1)
			continue;
		err = rd(r, x, 16);
		if (err)
			return err;
		crc = r->crc(crc, x, 16);
		r->rows[i] = get64(x);
		r->cols[i] = get64(x + 8);
	}
	if (r->version >= 2) {
		unsigned char s[20];
		uint32_t n;

		err = rd(r, s, 20);
		if (err)
			return err;
		crc = r->crc(crc, s, 20);
		r->origin = get64(s);
		r->origin_wall = get64(s + 8);
		n = get32(s + 16);
		if (n > TRACE_MAX_SITES)
			return -EBADMSG;
		r->sites = calloc(n + 1, sizeof(*r->sites));
		if (!r->sites)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			size_t len;

			err = rd(r, s, 2);
			if (err)
				return err;
			crc = r->crc(crc, s, 2);
			len = get16(s);
			if (len > TRACE_MAX_SITE_NAME)
				return -EBADMSG;
			r->sites[i] = calloc(1, len + 1);
			if (!r->sites[i])
				return -ENOMEM;
			r->nsites = i + 1;
			err = rd(r, r->sites[i], len);
			if (err)
				return err;
			if (memchr(r->sites[i], 0, len))
				return -EBADMSG;
			crc = r->crc(crc, r->sites[i], len);
		}
	}
	err = rd(r, b, 4);
	if (err)
		return err;
	return get32(b) == crc || r->no_crc ? 0 : -EBADMSG;
}

static struct trace_reader *reader_new(FILE *f, const void *buf, size_t len, bool no_crc)
{
	struct trace_reader *r;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	r->f = f;
	r->mem = buf;
	r->len = len;
	r->no_crc = no_crc;
	err = read_header(r);
	if (err) {
		trace_reader__free(r);
		errno = -err;
		return NULL;
	}
	return r;
}

struct trace_reader *trace_reader__new(FILE *f)
{
	if (!f) {
		errno = EINVAL;
		return NULL;
	}
	return reader_new(f, NULL, 0, false);
}

struct trace_reader *trace_reader__new_mem(const void *buf, size_t len)
{
	if (!buf && len) {
		errno = EINVAL;
		return NULL;
	}
	return reader_new(NULL, buf ? buf : "", len, false);
}

struct trace_reader *trace_reader__new_mem_unchecked(const void *buf, size_t len)
{
	if (!buf && len) {
		errno = EINVAL;
		return NULL;
	}
	return reader_new(NULL, buf ? buf : "", len, true);
}

unsigned trace_reader__map_count(const struct trace_reader *r)
{
	return r->nmaps;
}

const char *trace_reader__map_name(const struct trace_reader *r, unsigned map)
{
	return map < r->nmaps ? r->names[map] : NULL;
}

unsigned trace_reader__map_dims(const struct trace_reader *r, unsigned map)
{
	return map < r->nmaps ? r->dims[map] : 0;
}

uint32_t trace_reader__version(const struct trace_reader *r)
{
	return r->version;
}

void trace_reader__map_extent(const struct trace_reader *r, unsigned map, uint64_t *rows,
			      uint64_t *cols)
{
	*rows = map < r->nmaps ? r->rows[map] : 0;
	*cols = map < r->nmaps ? r->cols[map] : 0;
}

void trace_reader__info(const struct trace_reader *r, struct trace_info *info)
{
	info->origin_ns = r->origin;
	info->origin_wall_ns = r->origin_wall;
	info->sites = (const char *const *)r->sites;
	info->nsites = r->nsites;
}

/* Decodes and checks events: a site the header does not name, or padding, is corruption. */
static int decode_events(const struct trace_reader *r, struct heat_event *ev,
			 const unsigned char *raw, size_t count)
{
	uint32_t nsites = r->nsites ? r->nsites : 1, bad = 0;
	size_t i;

	if (r->version == 1) {
		for (i = 0; i < count; i++) {
			const unsigned char *p = raw + i * EVENT_BYTES_V1;

			ev[i].ts_ns = get64(p);
			ev[i].row = (int64_t)get64(p + 8);
			ev[i].col = (int64_t)get64(p + 16);
			ev[i].site = 0;
			ev[i].pad = 0;
		}
		return 0;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the file's layout is the struct's: one copy */
	_Static_assert(sizeof(struct heat_event) == EVENT_BYTES &&
		       offsetof(struct heat_event, row) == 8 &&
		       offsetof(struct heat_event, col) == 16 &&
		       offsetof(struct heat_event, site) == 24 &&
		       offsetof(struct heat_event, pad) == 28, "heat_event layout");
	memcpy(ev, raw, count * EVENT_BYTES);
#else
	for (i = 0; i < count; i++) {
		const unsigned char *p = raw + i * EVENT_BYTES;

		ev[i].ts_ns = get64(p);
		ev[i].row = (int64_t)get64(p + 8);
		ev[i].col = (int64_t)get64(p + 16);
		ev[i].site = get32(p + 24);
		ev[i].pad = get32(p + 28);
	}
#endif
	for (i = 0; i < count; i++)
		bad |= (ev[i].site >= nsites) | (ev[i].pad != 0);
	return bad ? -EBADMSG : 0;
}

int trace_reader__next(struct trace_reader *r, struct trace_record *rec)
{
	const unsigned char *raw;
	unsigned char h[8], c[4];
	uint32_t count, crc;
	size_t payload;
	int err;

	memset(rec, 0, sizeof(*rec));
	if (r->ended) {
		rec->kind = TRACE_END;
		return 0;
	}
	err = rd(r, h, 8);
	if (err)
		return err;
	count = get32(h + 4);
	if (h[1] >= r->nmaps || get16(h + 2))
		return -EBADMSG;
	switch (h[0]) {
	case TRACE_EVENTS:
		if (count < 1 || count > TRACE_MAX_BATCH)
			return -EBADMSG;
		payload = (size_t)count * r->event_bytes;
		break;
	case TRACE_LOST:
		if (count != 1)
			return -EBADMSG;
		payload = 8;
		break;
	case TRACE_END:
		if (count != 0 || h[1] != 0)
			return -EBADMSG;
		payload = 0;
		break;
	default:
		return -EBADMSG;
	}
	err = rd_view(r, payload, &raw);
	if (!err)
		err = rd(r, c, 4);
	if (err)
		return err;
	crc = r->crc(r->crc(0, h, 8), raw, payload);
	if (crc != get32(c) && !r->no_crc)
		return -EBADMSG;

	rec->kind = h[0];
	rec->map = h[1];
	switch (rec->kind) {
	case TRACE_EVENTS:
		if (!r->ev) {
			r->ev = malloc((size_t)TRACE_MAX_BATCH * sizeof(*r->ev));
			if (!r->ev)
				return -ENOMEM;
		}
		err = decode_events(r, r->ev, raw, count);
		if (err)
			return err;
		rec->ev = r->ev;
		rec->n = count;
		break;
	case TRACE_LOST:
		rec->lost = get64(raw);
		break;
	case TRACE_END:
		if (!at_end(r))
			return -EBADMSG;	/* nothing may follow the end */
		r->ended = true;
		break;
	}
	return 0;
}

int trace_replay(struct trace_reader *r, struct engine **engines)
{
	struct trace_record rec;
	unsigned i;
	int err;

	for (;;) {
		err = trace_reader__next(r, &rec);
		if (err)
			return err;
		if (rec.kind == TRACE_END)
			break;
		if (!engines[rec.map])
			continue;
		if (rec.kind == TRACE_EVENTS)
			err = engine__push(engines[rec.map], rec.ev, rec.n);
		else
			err = engine__add_lost(engines[rec.map], rec.lost);
		if (err)
			return err;
	}
	for (i = 0; i < r->nmaps; i++) {
		if (!engines[i])
			continue;
		err = engine__flush(engines[i]);
		if (err)
			return err;
	}
	return 0;
}
