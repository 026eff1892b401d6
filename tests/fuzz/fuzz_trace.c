// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the trace reader on arbitrary bytes, with checksums
 * ignored so that mutations reach the decoding behind them, and every
 * record replayed into engines with three sets of parameters (windows by
 * count with a per-event decay, by time with a half-life, top-k), so that
 * crafted timestamps, indices and lost counts exercise the engine too.
 */
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/trace.h"

static void params(struct hotspot_params *p, int set)
{
	hotspot_params_default(p);
	if (set == 1) {
		p->window_events = 0;
		p->window_ns = 1000000;
		p->decay = 0;
		p->halflife_ns = 1000;
	} else if (set == 2) {
		p->window_events = 64;
		p->hot_kind = HOT_TOPK;
		p->hot_topk = 3;
	} else {
		p->window_events = 256;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int set = 0; set < 3; set++) {
		struct trace_reader *r = trace_reader__new_mem_unchecked(data, size);
		struct engine *engines[TRACE_MAX_MAPS] = { 0 };
		struct hotspot_params p;
		unsigned n;

		if (!r)
			return 0;
		n = trace_reader__map_count(r);
		params(&p, set);
		for (unsigned i = 0; i < n; i++)
			engines[i] = engine__new(trace_reader__map_name(r, i),
						 trace_reader__map_dims(r, i), &p);
		trace_replay(r, engines);
		for (unsigned i = 0; i < n; i++)
			engine__free(engines[i]);
		trace_reader__free(r);
	}
	return 0;
}
