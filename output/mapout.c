// SPDX-License-Identifier: MIT
/*
 * Reading, clearing and zeroing the script's maps in the kernel. Entries
 * are snapshotted with the get-next-key walk before anything is printed or
 * changed, as bpftrace does. A per-CPU value comes back as one slot per
 * possible CPU, each rounded up to 8 bytes, and is reduced to one CPU's
 * layout: counts, sums, hist slots and avg/stats totals add up, min and max
 * take the extreme of the CPUs that saw a value.
 *
 * A map without keys is a one-entry array, which always exists. bpftrace
 * keeps such maps (but count()) in a hash, so it prints them only once
 * something was stored and not after clear(); we print one when its value
 * says something was stored (a count, a set min/max, a non-zero sum, slot
 * or value), or when zero() kept it. count() prints always, as in bpftrace.
 * A map the compiler made a hash is printed when its entry exists.
 */
#include "output/mapout.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "output/agg.h"

struct mapout {
	struct mapfmt_style st;
	struct bpf_object *obj;
	FILE *out;
	int ncpus;
	bool *kept;		/* by plan map: zero() kept a map without keys */
};

/* One map's snapshot: n keys and n reduced values. */
struct snapshot {
	unsigned char *keys;
	unsigned char *vals;
	size_t n, cap;
};

struct mapout *mapout__new(const struct mapfmt_style *st, struct bpf_object *obj, FILE *out)
{
	struct mapout *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->st = *st;
	m->obj = obj;
	m->out = out;
	m->ncpus = libbpf_num_possible_cpus();
	m->kept = calloc(st->plan->nmaps + 1, sizeof(*m->kept));
	if (m->ncpus <= 0 || !m->kept) {
		int err = m->ncpus <= 0 ? -m->ncpus : ENOMEM;

		free(m->kept);
		free(m);
		errno = err;
		return NULL;
	}
	return m;
}

void mapout__free(struct mapout *m)
{
	if (!m)
		return;
	free(m->kept);
	free(m);
}

static bool per_cpu(const struct plan_map *pm)
{
	return agg_of(pm->agg)->per_cpu;
}

static size_t stride(const struct plan_map *pm)
{
	return per_cpu(pm) ? (pm->value_size + 7) / 8 * 8 : pm->value_size;
}

static size_t raw_size(const struct mapout *m, const struct plan_map *pm)
{
	return stride(pm) * (per_cpu(pm) ? m->ncpus : 1);
}

/* Reduces a lookup's per-CPU values to one CPU's layout in val. */
static void reduce(const struct mapout *m, const struct plan_map *pm, const unsigned char *raw,
		   unsigned char *val)
{
	size_t w = stride(pm), n = per_cpu(pm) ? m->ncpus : 1;

	memset(val, 0, pm->value_size);
	for (size_t i = 0; i < n; i++)
		agg_of(pm->agg)->combine(pm, val, raw + i * w);
}

static int find_fd(const struct mapout *m, const struct plan_map *pm, bool *is_hash)
{
	struct bpf_map *map = bpf_object__find_map_by_name(m->obj, pm->var);
	enum bpf_map_type t;

	if (!map)
		return -ENOENT;
	t = bpf_map__type(map);
	*is_hash = t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_PERCPU_HASH ||
		   t == BPF_MAP_TYPE_LRU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	return bpf_map__fd(map);
}

static int snap_add(struct snapshot *s, const struct plan_map *pm, const void *key,
		    const unsigned char *val)
{
	size_t ks = pm->key_size ? pm->key_size : 1;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		unsigned char *k = realloc(s->keys, cap * ks);

		if (!k)
			return -ENOMEM;
		s->keys = k;
		k = realloc(s->vals, cap * pm->value_size);
		if (!k)
			return -ENOMEM;
		s->vals = k;
		s->cap = cap;
	}
	memcpy(s->keys + s->n * ks, key, pm->key_size);
	memcpy(s->vals + s->n * pm->value_size, val, pm->value_size);
	s->n++;
	return 0;
}

/* Every key of a map; *n gets their number. NULL and errno on failure. */
static unsigned char *list_keys(int fd, const struct plan_map *pm, size_t *n)
{
	size_t cap = 0, ks = pm->key_size;
	unsigned char *keys = NULL, *k;
	const void *prev = NULL;

	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			k = realloc(keys, (cap + 1) * ks);
			if (!k) {
				free(keys);
				errno = ENOMEM;
				return NULL;
			}
			keys = k;
		}
		if (bpf_map_get_next_key(fd, prev, keys + *n * ks))
			break;
		prev = keys + *n * ks;
		(*n)++;
	}
	if (errno != ENOENT) {
		free(keys);
		return NULL;
	}
	return keys;
}

static int read_map(struct mapout *m, unsigned idx, struct snapshot *s)
{
	const struct plan_map *pm = &m->st.plan->maps[idx];
	unsigned char *raw = malloc(raw_size(m, pm)), *val = malloc(pm->value_size + 8);
	unsigned char *keys = NULL;
	bool is_hash;
	size_t nkeys;
	int fd = find_fd(m, pm, &is_hash), err = 0;

	if (fd < 0 || !raw || !val) {
		err = fd < 0 ? fd : -ENOMEM;
		goto out;
	}
	if (!pm->nkeys) {
		uint64_t zero = 0;

		if (bpf_map_lookup_elem(fd, &zero, raw)) {
			err = errno == ENOENT ? 0 : -errno;
			goto out;
		}
		reduce(m, pm, raw, val);
		if (is_hash || m->kept[idx] || agg_of(pm->agg)->present(pm, val))
			err = snap_add(s, pm, &zero, val);
		goto out;
	}
	keys = list_keys(fd, pm, &nkeys);
	if (!keys) {
		err = -errno;
		goto out;
	}
	for (size_t i = 0; i < nkeys && !err; i++) {
		const unsigned char *key = keys + i * pm->key_size;

		if (bpf_map_lookup_elem(fd, key, raw)) {
			if (errno != ENOENT)	/* else deleted since the walk */
				err = -errno;
			continue;
		}
		reduce(m, pm, raw, val);
		err = snap_add(s, pm, key, val);
	}
out:
	free(keys);
	free(raw);
	free(val);
	return err;
}

static int print_map(struct mapout *m, unsigned idx, uint64_t top, uint64_t div)
{
	const struct plan_map *pm = &m->st.plan->maps[idx];
	struct snapshot s = { 0 };
	struct mapfmt_entry *e = NULL;
	int err;

	if (agg_of(pm->agg)->streamed)
		return 0;
	err = read_map(m, idx, &s);
	if (!err && s.n && !(e = calloc(s.n, sizeof(*e))))
		err = -ENOMEM;
	if (!err) {
		for (size_t i = 0; i < s.n; i++) {
			e[i].key = s.keys + i * (pm->key_size ? pm->key_size : 1);
			e[i].val = s.vals + i * pm->value_size;
		}
		err = mapfmt_format(&m->st, pm, e, s.n, top, div, m->out);
	}
	free(e);
	free(s.keys);
	free(s.vals);
	return err;
}

int mapout__print(struct mapout *m, unsigned map, uint64_t top, uint64_t div)
{
	if (map >= m->st.plan->nmaps)
		return -EINVAL;
	return print_map(m, map, top, div);
}

static int cmp_name(const void *pa, const void *pb, void *plan)
{
	const struct plan_map *maps = ((const struct plan *)plan)->maps;

	return strcmp(maps[*(const unsigned *)pa].name, maps[*(const unsigned *)pb].name);
}

int mapout__print_all(struct mapout *m)
{
	const struct plan *plan = m->st.plan;
	unsigned *order = calloc(plan->nmaps + 1, sizeof(*order));
	int err = 0;

	if (!order)
		return -ENOMEM;
	for (unsigned i = 0; i < plan->nmaps; i++)
		order[i] = i;
	qsort_r(order, plan->nmaps, sizeof(*order), cmp_name, (void *)plan);
	for (size_t i = 0; i < plan->nmaps && !err; i++)
		err = print_map(m, order[i], 0, 0);
	free(order);
	fflush(m->out);
	return err;
}

/* Deletes or zeroes every entry. */
static int wipe(struct mapout *m, unsigned map, bool keep_keys)
{
	const struct plan_map *pm;
	unsigned char *keys, *zeros;
	bool is_hash;
	size_t n;
	int fd, err = 0;

	if (map >= m->st.plan->nmaps)
		return -EINVAL;
	pm = &m->st.plan->maps[map];
	if (agg_of(pm->agg)->streamed)
		return 0;
	fd = find_fd(m, pm, &is_hash);
	if (fd < 0)
		return fd;
	zeros = calloc(1, raw_size(m, pm));
	if (!zeros)
		return -ENOMEM;
	if (!pm->nkeys) {
		uint64_t zero = 0;

		if (is_hash) {
			/* clear() deletes the entry, zero() zeroes it where it is */
			int r = keep_keys ? bpf_map_update_elem(fd, &zero, zeros, BPF_EXIST)
					  : bpf_map_delete_elem(fd, &zero);

			if (r && errno != ENOENT)
				err = -errno;
		} else {
			struct snapshot s = { 0 };

			/* zero() keeps for printing what bpftrace would have kept:
			 * an entry that held something, or was kept before */
			if (keep_keys)
				err = read_map(m, map, &s);
			m->kept[map] = s.n > 0;
			free(s.keys);
			free(s.vals);
			if (!err && bpf_map_update_elem(fd, &zero, zeros, BPF_ANY))
				err = -errno;
		}
		free(zeros);
		return err;
	}
	keys = list_keys(fd, pm, &n);
	if (!keys) {
		free(zeros);
		return -errno;
	}
	for (size_t i = 0; i < n && !err; i++) {
		const unsigned char *key = keys + i * pm->key_size;
		int r = keep_keys ? bpf_map_update_elem(fd, key, zeros, BPF_EXIST)
				  : bpf_map_delete_elem(fd, key);

		if (r && errno != ENOENT)
			err = -errno;
	}
	free(keys);
	free(zeros);
	return err;
}

int mapout__clear(struct mapout *m, unsigned map)
{
	return wipe(m, map, false);
}

int mapout__zero(struct mapout *m, unsigned map)
{
	return wipe(m, map, true);
}
