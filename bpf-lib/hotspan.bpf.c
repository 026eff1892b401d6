// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The BPF-side library, compiled to LLVM bitcode at build time and linked
 * into every generated module, where the optimiser inlines it: generated code
 * calls these functions instead of spelling helper calls in IR. Only plain
 * functions here; maps and programs are generated.
 *
 * Aggregations write per-CPU slots, so no event takes a lock or an atomic.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "hotspan.bpf.h"

typedef unsigned long long u64;
typedef unsigned int u32;

#define HS_INLINE __attribute__((always_inline))

/* Reads the register at byte offset `off` of the probe's pt_regs. */
HS_INLINE u64 hs_reg(void *ctx, u32 off)
{
	return *(u64 *)((char *)ctx + off);
}

HS_INLINE u64 hs_pid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

HS_INLINE u64 hs_tid(void)
{
	return bpf_get_current_pid_tgid() & 0xffffffff;
}

HS_INLINE u64 hs_nsecs(void)
{
	return bpf_ktime_get_ns();
}

HS_INLINE u64 hs_cpu(void)
{
	return bpf_get_smp_processor_id();
}

/* Reads size (1..8) bytes of the traced process's memory at addr,
 * zero-extended; 0 when the read faults. */
HS_INLINE u64 hs_read_user(u64 addr, u32 size)
{
	u64 v = 0;

	if (size > 8)
		size = 8;
	bpf_probe_read_user(&v, size, (void *)addr);
	return v;
}

/* Adds n to this CPU's slot of the per-CPU hash map entry for key. The
 * first writer of a key inserts it; if another CPU wins that race, its entry
 * now exists and the add goes to this CPU's slot of it. */
HS_INLINE void hs_hash_add(void *map, const void *key, u64 n)
{
	u64 *v = bpf_map_lookup_elem(map, key);

	if (v) {
		*v += n;
		return;
	}
	if (bpf_map_update_elem(map, key, &n, BPF_NOEXIST) == 0)
		return;
	v = bpf_map_lookup_elem(map, key);
	if (v)
		*v += n;
}

/* Adds n to this CPU's slot of a one-entry per-CPU array (a map without keys). */
HS_INLINE void hs_array_add(void *map, u64 n)
{
	u32 zero = 0;
	u64 *v = bpf_map_lookup_elem(map, &zero);

	if (v)
		*v += n;
}

/* Tells user space to stop tracing. */
HS_INLINE void hs_exit(void *events, u32 probe)
{
	struct hs_event_hdr ev = { .kind = HS_EVENT_EXIT, .probe = probe };

	bpf_ringbuf_output(events, &ev, sizeof(ev), 0);
}

/* Streams one access of a heat map to user space; a record the ring buffer
 * has no room for is counted in lost[map], never silently dropped. */
HS_INLINE void hs_heat(void *events, void *lost, u32 map, u32 probe, u64 row, u64 col)
{
	struct hs_heat_record r = {
		.hdr = { .kind = HS_EVENT_HEAT, .probe = probe },
		.map = map,
		.ts_ns = bpf_ktime_get_ns(),
		.row = row,
		.col = col,
	};

	if (bpf_ringbuf_output(events, &r, sizeof(r), 0)) {
		u64 *v = bpf_map_lookup_elem(lost, &map);

		if (v)
			*v += 1;
	}
}

HS_INLINE u64 hs_uid(void)
{
	return bpf_get_current_uid_gid() & 0xffffffff;
}

HS_INLINE u64 hs_gid(void)
{
	return bpf_get_current_uid_gid() >> 32;
}

/* An update of script map `id` that did not happen because the map was
 * full: counted in full[id], which user space reports, never silent. */
HS_INLINE void hs_full(void *full, u32 id)
{
	u64 *v = bpf_map_lookup_elem(full, &id);

	if (v)
		*v += 1;
}

/* This CPU's value of key in a per-CPU hash, made zero on the key's first
 * event from `zeros` (a map value of zeros at least as large); NULL only if
 * the map is full, counted in full[id]. */
HS_INLINE void *hs_value(void *map, const void *key, void *zeros, void *full, u32 id)
{
	u32 zero = 0;
	void *v = bpf_map_lookup_elem(map, key), *z;

	if (v)
		return v;
	z = bpf_map_lookup_elem(zeros, &zero);
	if (!z)
		return 0;
	bpf_map_update_elem(map, key, z, BPF_NOEXIST);
	v = bpf_map_lookup_elem(map, key);
	if (!v)
		hs_full(full, id);
	return v;
}

/* The value of a one-entry array: a map without keys. */
HS_INLINE void *hs_value0(void *map)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

/* Keeps the optimiser from dropping a bound it can prove, which the
 * verifier cannot. */
#define HS_OPAQUE(x) asm volatile("" : "+r"(x))

/* hist()'s slot of v: see HS_HIST_SLOTS. */
HS_INLINE u64 hs_hist_slot(long long v)
{
	u64 n = v, slot = 2, s;

	if (v < 0)
		return 0;
	if (v == 0)
		return 1;
	s = (n > 0xffffffffULL) << 5; n >>= s; slot += s;
	s = (n > 0xffff) << 4; n >>= s; slot += s;
	s = (n > 0xff) << 3; n >>= s; slot += s;
	s = (n > 0xf) << 2; n >>= s; slot += s;
	s = (n > 0x3) << 1; n >>= s; slot += s;
	slot += n >> 1;
	HS_OPAQUE(slot);
	if (slot > HS_HIST_SLOTS - 1)
		slot = HS_HIST_SLOTS - 1;
	return slot;
}

/* lhist()'s slot of v: 0 below min, one a step, slots - 1 from max on. */
HS_INLINE u64 hs_lhist_slot(long long v, long long min, long long max, long long step, u64 slots)
{
	u64 slot;

	if (v < min)
		return 0;
	if (v >= max)
		return slots - 1;
	slot = (u64)(v - min) / (u64)step + 1;
	HS_OPAQUE(slot);
	if (slot > slots - 1)
		slot = slots - 1;
	return slot;
}

/*
 * Aggregations: each adds v to this CPU's value of its map entry (output/agg.c
 * names the function of each). One signature for all, lhist's bounds last,
 * so the generated code calls whichever its map needs the same way.
 */
#define HS_AGG(name) HS_INLINE void hs_agg_##name(u64 *val, long long v, long long min, \
						  long long max, long long step, u64 slots)
#define HS_AGG_NO_BOUNDS (void)min; (void)max; (void)step; (void)slots

HS_AGG(count)
{
	HS_AGG_NO_BOUNDS;
	(void)v;
	val[0] += 1;
}

HS_AGG(sum)
{
	HS_AGG_NO_BOUNDS;
	val[0] += v;
}

/* avg() and stats(): struct hs_avg. */
HS_AGG(avg)
{
	HS_AGG_NO_BOUNDS;
	val[0] += v;
	val[1] += 1;
}

/* min() and max(): struct hs_minmax, compared signed whatever v's type, as
 * bpftrace 0.17 compares and prints them: max(reg("ax")) of -1 and 1 is 1. */
HS_AGG(min)
{
	HS_AGG_NO_BOUNDS;
	if (!val[1] || v < (long long)val[0])
		val[0] = v;
	val[1] = 1;
}

HS_AGG(max)
{
	HS_AGG_NO_BOUNDS;
	if (!val[1] || v > (long long)val[0])
		val[0] = v;
	val[1] = 1;
}

HS_AGG(hist)
{
	HS_AGG_NO_BOUNDS;
	val[hs_hist_slot(v)] += 1;
}

HS_AGG(lhist)
{
	val[hs_lhist_slot(v, min, max, step, slots)] += 1;
}

/* comm into dst, NUL-padded to size (a multiple of 8, at least 16). */
HS_INLINE void hs_comm(char *dst, u32 size)
{
	bpf_get_current_comm(dst, 16);
	for (u32 i = 16; i < size; i += 8)
		*(u64 *)(dst + i) = 0;
}

/* ustack into a struct hs_stack_key; at a function's entry also the return
 * address, which the frame-pointer walk skips there. */
HS_INLINE void hs_ustack(void *ctx, void *stacks, struct hs_stack_key *k, u32 at_entry)
{
	k->stack_id = bpf_get_stackid(ctx, stacks, BPF_F_USER_STACK);
	k->pid = bpf_get_current_pid_tgid() >> 32;
	k->entry_ret = at_entry ? hs_read_user(hs_reg(ctx, HS_REG_SP), 8) : 0;
}

/* @m[k] = v for plain value maps: last writer wins; a new key the full
 * map has no room for is counted in full[id]. */
HS_INLINE void hs_map_store(void *map, const void *key, const void *value, void *full, u32 id)
{
	if (bpf_map_update_elem(map, key, value, BPF_ANY))
		hs_full(full, id);
}

/* @m[k] in an expression: 0 when absent, as in bpftrace. */
HS_INLINE u64 hs_map_load(void *map, const void *key)
{
	u64 *v = bpf_map_lookup_elem(map, key);

	return v ? *v : 0;
}

HS_INLINE void hs_map_delete(void *map, const void *key)
{
	bpf_map_delete_elem(map, key);
}

/* A record for user space (printf); size is a constant after inlining. */
HS_INLINE void hs_output(void *events, void *data, u64 size)
{
	bpf_ringbuf_output(events, data, size, 0);
}

/* print, clear and zero: done by user space in ring buffer order. */
HS_INLINE void hs_map_action(void *events, u32 kind, u32 probe, u32 map, u64 top, u64 div)
{
	struct hs_map_record r = {
		.hdr = { .kind = kind, .probe = probe },
		.map = map,
		.top = top,
		.div = div,
	};

	bpf_ringbuf_output(events, &r, sizeof(r), 0);
}

/* str(ptr) reads a NUL-terminated string, str(ptr, len) a Go string (bytes
 * without a NUL): into dst, NUL-padded to size, at most size - 1 bytes. */
HS_INLINE void hs_str(char *dst, u32 size, u64 ptr, u64 len, u32 go)
{
	u64 n = len;

	for (u32 i = 0; i < size; i += 8)
		*(u64 *)(dst + i) = 0;
	if (!go) {
		bpf_probe_read_user_str(dst, size, (void *)ptr);
		return;
	}
	if (n > size - 1)
		n = size - 1;
	HS_OPAQUE(n);
	if (n > size - 1)
		n = size - 1;
	bpf_probe_read_user(dst, n, (void *)ptr);
}
