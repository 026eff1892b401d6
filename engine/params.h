// SPDX-License-Identifier: MIT
/*
 * What a hotspot definition says: the engine's parameters, their defaults
 * and their check. A header of its own so that the plan (which carries one
 * per heat map) and the compiler (which fills it from `hotspot @h { ... }`)
 * see the parameters and nothing else of the engine. docs/engine.md says
 * what each one means, why its default is what it is, and when to change it.
 */
#ifndef HOTSPAN_ENGINE_PARAMS_H
#define HOTSPAN_ENGINE_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A hotspot definition. A plain struct: the compiler fills it from
 * `hotspot @h { ... }`, starting from hotspot_params_default().
 */
struct hotspot_params {
	uint64_t window_events;		/* window by count; 0 when the window is by time */
	uint64_t window_ns;		/* window by time; 0 when by count */
	/*
	 * Decay: at most one of the three is set. None (the default) means
	 * "hotness halves every window": in events for count windows, in
	 * time for time windows.
	 */
	double halflife_events;		/* hotness halves every N events of the map */
	double halflife_ns;		/* ... or in this much time */
	double decay;			/* ... or is multiplied by this at every event, (0, 1] */
	enum hot_kind {
		HOT_AUTO,		/* hot = auto: density against the uniform level */
		HOT_QUANTILE,		/* hot = p<hot_quantile> +- hot_band */
		HOT_TOPK,		/* hot = top(<hot_topk>) */
		HOT_ABOVE,		/* hot = > <hot_above> (+- hot_band) */
	} hot_kind;
	double contrast;		/* auto: a span holds >= contrast x its uniform share, 2 */
	double min_share;		/* a cluster holds at least this share of accesses, 0.01 */
	double alpha;			/* significance of every statistical test, 0.001 */
	double fade;			/* a span getting < fade x its share this window fades, 0.25 */
	unsigned persist;		/* windows of evidence an event needs, 2 */
	double hot_band;		/* hysteresis, 0.15 for +-15% */
	double hot_quantile;		/* percent, 99.5 */
	unsigned hot_topk;
	double hot_above;		/* decayed accesses */
	bool eps_auto;			/* gaps cut where significantly cold (else at eps) */
	double eps;			/* fixed eps (in indices) when !eps_auto */
	unsigned minpts;		/* thresholds: hot indices a span needs, 5 */
	double drift_threshold;		/* delta = centre shift / local std-dev, 0.8 */
	unsigned drift_windows;		/* windows above the threshold, 3 */
	double drift_var_growth;	/* variance growth since the reference, 0.4 */
	double evict_below;		/* indices under this share of the total are forgotten
					 * (never while above 1/64 of one access) */
};

void hotspot_params_default(struct hotspot_params *p);
/* 0, or -EINVAL with *why (if why is not NULL) set to a static human reason. */
int hotspot_params_check(const struct hotspot_params *p, const char **why);

#endif
