// SPDX-License-Identifier: MIT
/*
 * Map printing. Entries are read with the kernel's get-next-key walk; a
 * per-CPU value comes back as one 8-byte slot per possible CPU and is summed.
 * Counts are printed smallest first, as bpftrace does; equal counts are
 * ordered by key so the output never depends on hash order. A map without
 * keys prints even when nothing was counted, a keyed map with no entries
 * prints an empty line in text and nothing in JSON, as bpftrace 0.17 does.
 */
#include "runtime/mapout.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

struct entry {
	int64_t key[PLAN_MAX_KEYS];
	uint64_t value;
};

static int cmp_key(const struct entry *a, const struct entry *b, const struct plan_map *pm)
{
	for (int i = 0; i < pm->nkeys; i++) {
		if (a->key[i] == b->key[i])
			continue;
		if (pm->keys[i].is_signed)
			return a->key[i] < b->key[i] ? -1 : 1;
		return (uint64_t)a->key[i] < (uint64_t)b->key[i] ? -1 : 1;
	}
	return 0;
}

static int cmp_entry(const void *pa, const void *pb, void *pm)
{
	const struct entry *a = pa, *b = pb;

	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return cmp_key(a, b, pm);
}

static int cmp_name(const void *pa, const void *pb)
{
	const struct plan_map *a = *(const struct plan_map *const *)pa;
	const struct plan_map *b = *(const struct plan_map *const *)pb;

	return strcmp(a->name, b->name);
}

static uint64_t sum_cpus(const uint64_t *slots, int ncpus)
{
	uint64_t sum = 0;

	for (int i = 0; i < ncpus; i++)
		sum += slots[i];
	return sum;
}

/* All entries of a map; *n gets their number. NULL and errno on failure. */
static struct entry *read_entries(int fd, const struct plan_map *pm, int ncpus, size_t *n)
{
	uint64_t *slots = calloc(ncpus, sizeof(uint64_t));
	struct entry *v = NULL, *nv;
	int64_t key[PLAN_MAX_KEYS], next[PLAN_MAX_KEYS];
	size_t cap = 0;
	void *prev = NULL;
	int err = 0;

	*n = 0;
	if (!slots)
		return NULL;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		if (bpf_map_lookup_elem(fd, next, slots)) {
			if (errno == ENOENT)	/* deleted under us */
				goto advance;
			err = errno;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = ENOMEM;
				break;
			}
			v = nv;
		}
		memcpy(v[*n].key, next, pm->key_size);
		v[*n].value = sum_cpus(slots, ncpus);
		(*n)++;
advance:
		memcpy(key, next, pm->key_size);
		prev = key;
	}
	free(slots);
	if (err) {
		free(v);
		errno = err;
		return NULL;
	}
	if (!v)
		v = calloc(1, sizeof(*v));
	return v;
}

static void print_key(FILE *out, const struct plan *plan, const struct plan_map *pm,
		      const struct entry *e, const char *sep)
{
	for (int i = 0; i < pm->nkeys; i++) {
		if (i)
			fputs(sep, out);
		if (pm->keys[i].kind == VAL_SYM && (uint64_t)e->key[i] < plan->nprobes)
			fputs(plan->probes[e->key[i]].access.site, out);
		else if (pm->keys[i].is_signed)
			fprintf(out, "%" PRId64, e->key[i]);
		else
			fprintf(out, "%" PRIu64, (uint64_t)e->key[i]);
	}
}

static int print_map(struct bpf_object *obj, const struct plan *plan, const struct plan_map *pm,
		     enum out_format fmt, int ncpus, FILE *out)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, pm->var);
	struct entry *v;
	size_t n;
	int fd;

	if (!map)
		return -ENOENT;
	fd = bpf_map__fd(map);
	if (!pm->nkeys) {
		uint64_t *slots = calloc(ncpus, sizeof(uint64_t)), sum;
		uint32_t zero = 0;

		if (!slots)
			return -ENOMEM;
		if (bpf_map_lookup_elem(fd, &zero, slots)) {
			free(slots);
			return -errno;
		}
		sum = sum_cpus(slots, ncpus);
		free(slots);
		if (fmt == OUT_JSON)
			fprintf(out, "{\"type\": \"map\", \"data\": {\"%s\": %" PRIu64 "}}\n",
				pm->name, sum);
		else
			fprintf(out, "%s: %" PRIu64 "\n", pm->name, sum);
		return 0;
	}
	v = read_entries(fd, pm, ncpus, &n);
	if (!v)
		return -errno;
	qsort_r(v, n, sizeof(*v), cmp_entry, (void *)pm);
	if (fmt == OUT_JSON) {
		if (n) {
			fprintf(out, "{\"type\": \"map\", \"data\": {\"%s\": {", pm->name);
			for (size_t i = 0; i < n; i++) {
				fputs(i ? ", \"" : "\"", out);
				print_key(out, plan, pm, &v[i], ",");
				fprintf(out, "\": %" PRIu64, v[i].value);
			}
			fputs("}}}\n", out);
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			fprintf(out, "%s[", pm->name);
			print_key(out, plan, pm, &v[i], ", ");
			fprintf(out, "]: %" PRIu64 "\n", v[i].value);
		}
		if (!n)
			fputc('\n', out);
	}
	free(v);
	return 0;
}

int mapout_print_all(struct bpf_object *obj, const struct plan *plan, enum out_format fmt,
		     FILE *out)
{
	const struct plan_map **order = calloc(plan->nmaps + 1, sizeof(*order));
	int ncpus = libbpf_num_possible_cpus(), err = 0;

	if (!order)
		return -ENOMEM;
	if (ncpus < 0) {
		free(order);
		return ncpus;
	}
	size_t n = 0;

	/* Heat maps are the engine's to print. */
	for (size_t i = 0; i < plan->nmaps; i++)
		if (plan->maps[i].agg != AGG_HEAT)
			order[n++] = &plan->maps[i];
	qsort(order, n, sizeof(*order), cmp_name);
	for (size_t i = 0; i < n && !err; i++)
		err = print_map(obj, plan, order[i], fmt, ncpus, out);
	free(order);
	fflush(out);
	return err;
}
