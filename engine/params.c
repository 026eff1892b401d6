// SPDX-License-Identifier: MIT
/*
 * The engine's parameters: the defaults a one-liner gets, and the check a
 * hotspot block (or a caller of the engine) must pass. The defaults are
 * derived, not tuned: hotness halves every window (the window is the time
 * scale the user asked for), a hot span holds at least twice the share of
 * accesses its width would get if access were uniform, every test is made
 * at a 0.1% false-alarm rate, and an event needs two windows of evidence.
 * docs/engine.md gives the reasoning for each.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "engine/params.h"

void hotspot_params_default(struct hotspot_params *p)
{
	memset(p, 0, sizeof(*p));
	p->window_events = 1024;
	p->hot_kind = HOT_AUTO;
	p->contrast = 2;
	p->min_share = 0.01;
	p->alpha = 0.001;
	p->fade = 0.25;
	p->persist = 2;
	p->hot_band = 0.15;
	p->hot_quantile = 99.5;
	p->hot_topk = 10;
	p->hot_above = 100;
	p->eps_auto = true;
	p->minpts = 5;
	p->drift_threshold = 0.8;
	p->drift_windows = 3;
	p->drift_var_growth = 0.4;
	p->evict_below = 1.0 / 131072;
}

int hotspot_params_check(const struct hotspot_params *p, const char **why)
{
	const char *r = NULL;
	int decays;

	if (!p) {
		if (why)
			*why = "no parameters";
		return -EINVAL;
	}
	decays = (p->halflife_events != 0) + (p->halflife_ns != 0) + (p->decay != 0);
	if (!p->window_events == !p->window_ns)
		r = "window must be either a number of events or a duration";
	else if (p->window_ns && p->window_ns < 1000)
		r = "a time window must be at least 1us";
	else if (decays > 1)
		r = "give at most one of halflife and decay";
	else if (p->decay && !(p->decay > 0 && p->decay <= 1))
		r = "decay must be in (0, 1]";
	else if (p->halflife_ns && !(p->halflife_ns >= 1 && p->halflife_ns < 1e18))
		r = "halflife must be between 1ns and about 30 years";
	else if (p->halflife_events && !(p->halflife_events >= 1 && p->halflife_events < 1e15))
		r = "halflife must be at least one event";
	else if (!p->eps_auto && !(p->eps >= 0 && p->eps < 1e9))
		r = "eps must be a non-negative number of indices";
	else if (p->minpts < 1 || p->minpts > 1000000)
		r = "minpts must be at least 1";
	else if (p->hot_kind == HOT_AUTO && !(p->contrast >= 1 && p->contrast < 1e9))
		r = "hot = auto(contrast = C) needs C >= 1";
	else if (p->hot_kind == HOT_QUANTILE && !(p->hot_quantile > 0 && p->hot_quantile < 100))
		r = "hot = pN needs 0 < N < 100";
	else if (p->hot_kind == HOT_TOPK && p->hot_topk < 1)
		r = "hot = top(k) needs k >= 1";
	else if (p->hot_kind == HOT_ABOVE && !(p->hot_above > 0 && p->hot_above < 1e30))
		r = "hot = > N needs a positive N";
	else if (p->hot_kind != HOT_AUTO && p->hot_kind != HOT_QUANTILE &&
		 p->hot_kind != HOT_TOPK && p->hot_kind != HOT_ABOVE)
		r = "unknown kind of hot threshold";
	else if (!(p->hot_band >= 0 && p->hot_band < 1))
		r = "the hysteresis band must be in [0%, 100%)";
	else if (!(p->min_share >= 0 && p->min_share < 1))
		r = "share must be in [0, 1)";
	else if (!(p->alpha > 0 && p->alpha < 0.5))
		r = "alpha must be in (0, 0.5)";
	else if (!(p->fade >= 0 && p->fade < 1))
		r = "fade must be in [0, 1)";
	else if (p->persist < 1 || p->persist > 1000)
		r = "persist must be between 1 and 1000 windows";
	else if (!(p->drift_threshold > 0 && p->drift_threshold < 1e6))
		r = "drift threshold must be positive";
	else if (p->drift_windows < 1 || p->drift_windows > 1000000)
		r = "drift needs at least one window";
	else if (!(p->drift_var_growth > 0 && p->drift_var_growth < 1e6))
		r = "drift variance growth must be positive";
	else if (!(p->evict_below > 0 && p->evict_below < 0.5))
		r = "evict_below must be in (0, 0.5)";
	if (why)
		*why = r;
	return r ? -EINVAL : 0;
}
