// SPDX-License-Identifier: MIT
/*
 * Map formatting, from entries already read and reduced over CPUs (reading
 * them from the kernel is output/mapout.c), so it can be tested without a
 * kernel.
 *
 * Order follows bpftrace 0.17: count, sum, min, max and integer value maps
 * by value, avg and stats by average, hist and lhist by their total count,
 * all smallest first; string values by key, integers compared unsigned and
 * strings as strncmp does. bpftrace leaves ties in hash order; we order them
 * by key so the output never depends on the kernel's hash.
 *
 * Text: `name[k1, k2]: value` lines. A hist's rows follow its key line and a
 * blank line separates entries; avg and stats maps end with a blank line;
 * an empty map prints just its blank line(s). JSON: one object a map,
 * {"type": "map"|"stats"|"hist", "data": {"@m": {"k1,k2": value, ...}}},
 * with the keys joined by commas inside one string; an empty map prints
 * nothing.
 */
#include "output/mapfmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf-lib/hotspan.bpf.h"
#include "output/agg.h"
#include "output/ustack.h"

void mapfmt_json_escape(const char *s, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			/* bpftrace compares a signed char with 0x1f, so bytes from
			 * 0x80 up come out as \uffffffXX too; we print what it does. */
			if (c <= '\x1f')
				fprintf(out, "\\u%04x", (unsigned)(int)c);
			else
				fputc(c, out);
		}
	}
}

static uint64_t read_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t mapfmt_read_int(const struct plan_value *v, const void *data)
{
	const unsigned char *p = data;
	uint32_t u32;
	uint16_t u16;

	switch (v->size) {
	case 1:
		return v->is_signed ? (uint64_t)(int64_t)(int8_t)*p : *p;
	case 2:
		memcpy(&u16, p, 2);
		return v->is_signed ? (uint64_t)(int64_t)(int16_t)u16 : u16;
	case 4:
		memcpy(&u32, p, 4);
		return v->is_signed ? (uint64_t)(int64_t)(int32_t)u32 : u32;
	default:
		return read_u64(p);
	}
}

static const char *sym_name(const struct plan *plan, enum sym_kind kind, uint64_t idx)
{
	const struct plan_probe *p;
	const char *s;

	if (!plan || idx >= plan->nprobes)
		return "";
	p = &plan->probes[idx];
	s = kind == SYM_SITE ? p->access.site : kind == SYM_FUNC ? p->func : p->name;
	return s ? s : "";
}

/* A stack: symbolised by output/ustack.c, or raw addresses without it. */
static int stack_text(const struct mapfmt_style *st, const struct hs_stack_key *k, FILE *out)
{
	uint64_t ips[HS_STACK_DEPTH];
	uint32_t id = (uint32_t)k->stack_id;

	if (st->ustack)
		return ustack_print(st->ustack, k, false, out);
	if (k->stack_id < 0 || st->stack_fd < 0 || bpf_map_lookup_elem(st->stack_fd, &id, ips))
		return 0;	/* bpftrace prints a stack it cannot read as nothing */
	fputc('\n', out);
	for (int i = 0; i < HS_STACK_DEPTH && ips[i]; i++) {
		fprintf(out, "    0x%" PRIx64 "\n", ips[i]);
		if (i == 0 && k->entry_ret)
			fprintf(out, "    0x%llx\n", k->entry_ret);
	}
	return 0;
}

int mapfmt_value_text(const struct mapfmt_style *st, const struct plan_value *v,
		      const void *data, FILE *out)
{
	const unsigned char *p = data;
	struct hs_stack_key k;
	uint64_t n;

	switch (v->kind) {
	case VAL_INT:
		n = mapfmt_read_int(v, p);
		if (v->is_signed)
			fprintf(out, "%" PRId64, (int64_t)n);
		else
			fprintf(out, "%" PRIu64, n);
		return 0;
	case VAL_STRING:
		fwrite(p, 1, strnlen((const char *)p, v->size), out);
		return 0;
	case VAL_SYM:
		fputs(sym_name(st->plan, v->sym, read_u64(p)), out);
		return 0;
	case VAL_STACK:
		memcpy(&k, p, sizeof(k));
		return stack_text(st, &k, out);
	}
	return -EINVAL;
}

/* --- order --- */

static int cmp_keys(const struct plan_map *pm, const unsigned char *a, const unsigned char *b)
{
	for (int i = 0; i < pm->nkeys; i++) {
		const struct plan_value *k = &pm->keys[i];
		const unsigned char *x = a + k->offset, *y = b + k->offset;
		uint64_t u, v;
		int c;

		switch (k->kind) {
		case VAL_INT:
			/* bpftrace compares integer keys unsigned: -1 sorts last */
			u = mapfmt_read_int(&(struct plan_value){ .size = k->size }, x);
			v = mapfmt_read_int(&(struct plan_value){ .size = k->size }, y);
			c = u < v ? -1 : u > v;
			break;
		case VAL_STRING:
			c = strncmp((const char *)x, (const char *)y, k->size);
			break;
		default:
			c = memcmp(x, y, k->size);
		}
		if (c)
			return c;
	}
	return 0;
}

struct ranked {
	struct mapfmt_entry e;
	uint64_t rank;
};

static int cmp_ranked(const void *pa, const void *pb, void *ctx)
{
	const struct ranked *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return cmp_keys(ctx, a->e.key, b->e.key);
}

static int sort_entries(const struct plan_map *pm, struct mapfmt_entry *e, size_t n)
{
	struct ranked *v;

	if (n < 2 || !pm->nkeys)
		return 0;
	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i].e = e[i];
		if (!agg_of(pm->agg)->rank(pm, e[i].val, &v[i].rank))
			v[i].rank = 0;	/* all equal: by key */
	}
	qsort_r(v, n, sizeof(*v), cmp_ranked, (void *)pm);
	for (size_t i = 0; i < n; i++)
		e[i] = v[i].e;
	free(v);
	return 0;
}

/* The key parts joined by sep, unescaped. */
static void print_key(const struct mapfmt_style *st, const struct plan_map *pm, const void *key,
		      const char *sep, FILE *out)
{
	for (int i = 0; i < pm->nkeys; i++) {
		struct plan_value k = pm->keys[i];

		if (i)
			fputs(sep, out);
		/* bpftrace 0.17 prints every integer key signed: @[arg0 - 10] is -5 */
		k.is_signed = k.kind == VAL_INT ? true : k.is_signed;
		mapfmt_value_text(st, &k, (const unsigned char *)key + k.offset, out);
	}
}

static void print_text(const struct mapfmt_style *st, const struct plan_map *pm,
		       const struct mapfmt_entry *e, size_t n, uint64_t div, FILE *out)
{
	const struct agg *agg = agg_of(pm->agg);
	/* a stack value ends with its own newline: bpftrace adds none between */
	const char *delim = pm->agg == AGG_VALUE && pm->val.kind == VAL_STACK ? "" : "\n";

	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(delim, out);
		fputs(pm->name, out);
		if (pm->nkeys) {
			fputc('[', out);
			print_key(st, pm, e[i].key, ", ", out);
			fputc(']', out);
		}
		fputs(agg->rows ? ": \n" : ": ", out);
		agg->print(st, pm, e[i].val, div, out);
	}
	fputs(agg->blank_after ? "\n\n" : "\n", out);
}

static void print_json(const struct mapfmt_style *st, const struct plan_map *pm,
		       const struct mapfmt_entry *e, size_t n, uint64_t div, FILE *out)
{
	const struct agg *agg = agg_of(pm->agg);

	fprintf(out, "{\"type\": \"%s\", \"data\": {\"", agg->json_type);
	mapfmt_json_escape(pm->name, strlen(pm->name), out);
	fputs(pm->nkeys ? "\": {" : "\": ", out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		if (pm->nkeys) {
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);

			if (f) {
				print_key(st, pm, e[i].key, ",", f);
				fclose(f);
				fputc('"', out);
				mapfmt_json_escape(buf, len, out);
				fputs("\": ", out);
			}
			free(buf);
		}
		agg->print(st, pm, e[i].val, div, out);
	}
	fputs(pm->nkeys ? "}}}\n" : "}}\n", out);
}

int mapfmt_format(const struct mapfmt_style *st, const struct plan_map *pm,
		  struct mapfmt_entry *entries, size_t n, uint64_t top, uint64_t div, FILE *out)
{
	const struct agg *agg = agg_of(pm->agg);
	size_t skip = 0;
	int err;

	if (agg->streamed)
		return 0;
	if (!pm->nkeys && n > 1)
		n = 1;
	err = sort_entries(pm, entries, n);
	if (err)
		return err;
	if (agg->ignores_top_div)	/* stats(), as bpftrace */
		top = div = 0;
	if (top && n > top)
		skip = n - top;
	if (!div)
		div = 1;
	if (st->fmt == OUT_JSON) {
		if (n)
			print_json(st, pm, entries + skip, n - skip, div, out);
	} else {
		print_text(st, pm, entries + skip, n - skip, div, out);
	}
	return ferror(out) ? -EIO : 0;
}

