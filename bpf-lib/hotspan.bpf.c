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
