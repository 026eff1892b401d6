// SPDX-License-Identifier: MIT
/*
 * What a hotspot definition says: the engine's parameters, their defaults
 * and their check. A header of its own so that the plan (which carries one
 * per heat map) and the compiler (which fills it from `hotspot @h { ... }`)
 * see the parameters and nothing else of the engine.
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
	double halflife_ns;		/* time decay; 0 when decay per event is used */
	double decay;			/* per-event factor in (0, 1]; 0 when halflife is used */
	bool eps_auto;			/* eps from the k nearest neighbours */
	double eps;			/* fixed eps (in indices) when !eps_auto */
	unsigned eps_k;			/* k of auto(k = 5, ...) */
	double eps_scale;		/* scale of auto(..., scale = 1.2) */
	unsigned minpts;		/* points within eps, itself included, to be core */
	enum hot_kind {
		HOT_QUANTILE,		/* hot = p<hot_quantile> +- hot_band */
		HOT_TOPK,		/* hot = top(<hot_topk>) */
		HOT_ABOVE,		/* hot = > <hot_above> (+- hot_band) */
	} hot_kind;
	double hot_quantile;		/* percent, 99.5 */
	double hot_band;		/* hysteresis, 0.15 for +-15% */
	unsigned hot_topk;
	double hot_above;		/* decayed accesses */
	double drift_threshold;		/* delta = centre shift / local std-dev, 0.8 */
	unsigned drift_windows;		/* windows above the threshold, 3 */
	double drift_var_growth;	/* variance growth over the mean of 5 windows, 0.4 */
	double evict_below;		/* indices whose hotness decays below this are forgotten */
};

void hotspot_params_default(struct hotspot_params *p);
/* 0, or -EINVAL with *why (if why is not NULL) set to a static human reason. */
int hotspot_params_check(const struct hotspot_params *p, const char **why);

#endif
