// SPDX-License-Identifier: MIT
/*
 * The engine's parameters: the defaults a one-liner gets, and the check a
 * hotspot block (or a caller of the engine) must pass. docs/engine.md says
 * what each parameter means and when to change it.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "engine/params.h"

void hotspot_params_default(struct hotspot_params *p)
{
	memset(p, 0, sizeof(*p));
	p->window_events = 1024;
	p->halflife_ns = 500e6;
	p->eps_auto = true;
	p->eps_k = 5;
	p->eps_scale = 1.2;
	p->minpts = 5;
	p->hot_kind = HOT_QUANTILE;
	p->hot_quantile = 99.5;
	p->hot_band = 0.15;
	p->hot_topk = 10;
	p->hot_above = 100;
	p->drift_threshold = 0.8;
	p->drift_windows = 3;
	p->drift_var_growth = 0.4;
	p->evict_below = 1.0 / 1024;
}

int hotspot_params_check(const struct hotspot_params *p, const char **why)
{
	const char *r = NULL;

	if (!p)
		r = "no parameters";
	else if (!p->window_events == !p->window_ns)
		r = "window must be either a number of events or a duration";
	else if (p->window_ns && p->window_ns < 1000)
		r = "a time window must be at least 1us";
	else if (!(p->halflife_ns > 0) == !(p->decay > 0))
		r = "give either halflife or decay";
	else if (p->decay > 1 || isnan(p->decay))
		r = "decay must be in (0, 1]";
	else if (p->halflife_ns && !(p->halflife_ns >= 1 && p->halflife_ns < 1e18))
		r = "halflife must be between 1ns and about 30 years";
	else if (p->eps_auto && (p->eps_k < 1 || p->eps_k > 64))
		r = "eps = auto(k = ...) needs 1 <= k <= 64";
	else if (p->eps_auto && !(p->eps_scale > 0 && p->eps_scale < 1e6))
		r = "eps = auto(scale = ...) must be positive";
	else if (!p->eps_auto && !(p->eps >= 0 && p->eps < 1e9))
		r = "eps must be a non-negative number of indices";
	else if (p->minpts < 1 || p->minpts > 1000000)
		r = "minpts must be at least 1";
	else if (p->hot_kind == HOT_QUANTILE && !(p->hot_quantile > 0 && p->hot_quantile < 100))
		r = "hot = pN needs 0 < N < 100";
	else if (p->hot_kind == HOT_TOPK && p->hot_topk < 1)
		r = "hot = top(k) needs k >= 1";
	else if (p->hot_kind == HOT_ABOVE && !(p->hot_above > 0 && p->hot_above < 1e30))
		r = "hot = > N needs a positive N";
	else if (p->hot_kind != HOT_QUANTILE && p->hot_kind != HOT_TOPK &&
		 p->hot_kind != HOT_ABOVE)
		r = "unknown kind of hot threshold";
	else if (!(p->hot_band >= 0 && p->hot_band < 1))
		r = "the hysteresis band must be in [0%, 100%)";
	else if (!(p->drift_threshold > 0 && p->drift_threshold < 1e6))
		r = "drift threshold must be positive";
	else if (p->drift_windows < 1 || p->drift_windows > 1000000)
		r = "drift needs at least one window";
	else if (!(p->drift_var_growth > 0 && p->drift_var_growth < 1e6))
		r = "drift variance growth must be positive";
	else if (!(p->evict_below > 0 && p->evict_below < 1))
		r = "evict_below must be in (0, 1)";
	if (why)
		*why = r;
	return r ? -EINVAL : 0;
}
