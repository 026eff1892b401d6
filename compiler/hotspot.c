// SPDX-License-Identifier: MIT
/*
 * Hotspot blocks. Each setting names one parameter of the clustering engine
 * and takes the forms of docs/language.md: a bare number or a duration for
 * the window, a number of events or a duration for the half-life, a factor
 * for the decay, auto or a number for eps, auto, auto(contrast = 2),
 * p99.5 +- 15%, top(10) or > 100 for what is hot, a fraction for the
 * minimum share, a number of windows for persist, 0.8 for 3 windows for
 * drift. Each setting is checked where it is written; the engine then
 * checks that the whole is consistent, and its reason is reported at the
 * block.
 */
#include "compiler/hotspot.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "compiler/sema.h"
#include "lang/nearest.h"

static const char *const keys[] = {
	"window", "halflife", "decay", "eps", "minpts", "hot", "share", "persist", "drift",
};

struct ctx {
	struct diag_list *dl;
	int errors;
};

static void bad(struct ctx *c, const struct ast_node *n, const char *msg, const char *hint)
{
	diag_add(c->dl, DIAG_ERROR, &n->loc, "%s", msg);
	if (hint)
		diag_hint(c->dl, "%s", hint);
	c->errors++;
}

/* A whole number that fits the unsigned fields it goes to (found by fuzzing:
 * window = 1.3e20 was cast to uint64_t, undefined behaviour). */
static bool is_count(const struct ast_node *v)
{
	return v->kind == AST_NUMBER && !v->ival && v->dval >= 1 && v->dval <= UINT32_MAX &&
	       v->dval == floor(v->dval);
}

/* In ns, below 2^63: 292 years. */
static bool is_duration(const struct ast_node *v)
{
	return v->kind == AST_NUMBER && v->ival && v->dval > 0 && v->dval < 0x1p63;
}

static void set_window(struct ctx *c, const struct ast_node *v, struct hotspot_params *p)
{
	if (is_count(v)) {
		p->window_events = (uint64_t)v->dval;
		p->window_ns = 0;
	} else if (is_duration(v)) {
		p->window_ns = (uint64_t)v->dval;
		p->window_events = 0;
	} else {
		bad(c, v, "window takes a number of events or a duration",
		    "window = 1024; or window = 2s;");
	}
}

static void set_eps(struct ctx *c, const struct ast_node *v, struct hotspot_params *p)
{
	if (v->kind == AST_NUMBER && !v->ival && v->dval > 0) {
		p->eps_auto = false;
		p->eps = v->dval;
	} else if (v->kind == AST_WORD && !strcmp(v->name, "auto")) {
		p->eps_auto = true;
	} else {
		bad(c, v, "eps takes auto or a number of indices", "eps = auto; or eps = 4;");
	}
}

static double band(const struct ast_node *v, double dflt)
{
	return v->rhs ? v->rhs->dval / 100 : dflt;
}

static void set_hot(struct ctx *c, const struct ast_node *v, struct hotspot_params *p)
{
	if (v->kind == AST_WORD && !strcmp(v->name, "auto")) {
		p->hot_kind = HOT_AUTO;
	} else if (v->kind == AST_CALL && !strcmp(v->name, "auto")) {
		p->hot_kind = HOT_AUTO;
		for (const struct ast_node *a = v->args; a; a = a->next) {
			if (a->kind == AST_SETTING && !strcmp(a->name, "contrast") &&
			    a->rhs->dval >= 1)
				p->contrast = a->rhs->dval;
			else
				bad(c, a, "auto() takes contrast = C, with C >= 1",
				    "hot = auto(contrast = 2);");
		}
	} else if (v->kind == AST_QUANTILE) {
		p->hot_kind = HOT_QUANTILE;
		p->hot_quantile = v->dval;
		p->hot_band = band(v, p->hot_band);
	} else if (v->kind == AST_ABOVE) {
		p->hot_kind = HOT_ABOVE;
		p->hot_above = v->dval;
		p->hot_band = band(v, 0);
	} else if (v->kind == AST_CALL && !strcmp(v->name, "top") && v->args && !v->args->next &&
		   is_count(v->args)) {
		p->hot_kind = HOT_TOPK;
		p->hot_topk = (unsigned)v->args->dval;
	} else {
		bad(c, v, "hot takes auto, auto(contrast = C), a quantile, top(N) or > N",
		    "hot = auto; or hot = p99.5 +- 15%;");
	}
}

static void set_drift(struct ctx *c, const struct ast_node *v, struct hotspot_params *p)
{
	if (v->kind == AST_REPEAT && v->ival >= 1) {
		p->drift_threshold = v->dval;
		p->drift_windows = (unsigned)v->ival;
	} else if (v->kind == AST_NUMBER && !v->ival) {
		p->drift_threshold = v->dval;
	} else {
		bad(c, v, "drift takes a threshold and a number of windows",
		    "drift = 0.8 for 3 windows;");
	}
}

static void apply(struct ctx *c, const struct ast_node *s, struct hotspot_params *p)
{
	const struct ast_node *v = s->rhs;
	const char *near;

	if (!strcmp(s->name, "window")) {
		set_window(c, v, p);
	} else if (!strcmp(s->name, "halflife")) {
		if (is_duration(v)) {
			p->halflife_ns = v->dval;
			p->halflife_events = 0;
			p->decay = 0;
		} else if (is_count(v)) {
			p->halflife_events = v->dval;
			p->halflife_ns = 0;
			p->decay = 0;
		} else {
			bad(c, v, "halflife takes a number of events or a duration",
			    "halflife = 1024; or halflife = 500ms;");
		}
	} else if (!strcmp(s->name, "decay")) {
		if (v->kind == AST_NUMBER && !v->ival && v->dval > 0 && v->dval <= 1) {
			p->decay = v->dval;
			p->halflife_ns = 0;
			p->halflife_events = 0;
		} else {
			bad(c, v, "decay takes a factor per event in (0, 1]", "decay = 0.99;");
		}
	} else if (!strcmp(s->name, "eps")) {
		set_eps(c, v, p);
	} else if (!strcmp(s->name, "minpts")) {
		if (is_count(v))
			p->minpts = (unsigned)v->dval;
		else
			bad(c, v, "minpts takes a whole number of points", "minpts = 5;");
	} else if (!strcmp(s->name, "hot")) {
		set_hot(c, v, p);
	} else if (!strcmp(s->name, "share")) {
		if (v->kind == AST_NUMBER && !v->ival && v->dval >= 0 && v->dval < 1)
			p->min_share = v->dval;
		else
			bad(c, v, "share takes the least share of accesses a cluster holds, in [0, 1)",
			    "share = 0.01;");
	} else if (!strcmp(s->name, "persist")) {
		if (is_count(v) && v->dval <= 1000)
			p->persist = (unsigned)v->dval;
		else
			bad(c, v, "persist takes a number of windows, 1 to 1000", "persist = 2;");
	} else if (!strcmp(s->name, "drift")) {
		set_drift(c, v, p);
	} else {
		diag_add(c->dl, DIAG_ERROR, &s->loc, "unknown hotspot setting '%s'", s->name);
		near = nearest_in(s->name, keys, sizeof(keys) / sizeof(keys[0]));
		if (near)
			diag_hint(c->dl, "did you mean '%s'?", near);
		else
			diag_hint(c->dl, "settings are window, halflife, decay, eps, minpts, hot, "
				  "share, persist, drift");
		c->errors++;
	}
}

int hotspot_apply(const struct ast_node *block, struct hotspot_params *p, struct diag_list *dl)
{
	struct ctx c = { .dl = dl };
	const char *why = NULL;

	for (const struct ast_node *s = block->body; s; s = s->next)
		apply(&c, s, p);
	if (!c.errors && hotspot_params_check(p, &why)) {
		diag_add(dl, DIAG_ERROR, &block->loc, "hotspot %s: %s", block->name, why);
		c.errors++;
	}
	return c.errors ? -EINVAL : 0;
}
