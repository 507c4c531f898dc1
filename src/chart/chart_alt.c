/*
 * chart_alt: each chart described in words from the data it plots, for a
 * tagged PDF's /Alt (WCAG 1.1.1: a reader who cannot see the chart loses
 * none of its facts).  The numbers are the chart's own inputs, formatted
 * as its labels and the report's text print them: percentages whole,
 * milliseconds and gigabytes to one decimal, costs per million requests.
 * Every function returns a new string the caller frees.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart.h"
#include "base/util.h"

/* Costs are plotted per million requests (as chart.c's axis). */
#define PER_MILLION 1e6

static const char *const tier_names[CTX_COUNT] = {"Cloud", "Edge", "Mobile", "TinyML"};

/* "a, b and c": appends item k of n with the right separator before it. */
static void
sep(struct buf *b, size_t k, size_t n)
{
	if (k == 0)
		return;
	buf_puts(b, k + 1 == n ? " and " : ", ");
}

/* A value with three significant digits or one decimal, no exponent ("0.49", "39.2", "320"). */
static void
put_num(struct buf *b, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		buf_puts(b, "n/a");
	else if (a == 0 || (a >= 100 && v == round(v)))
		buf_printf(b, "%.0f", v);
	else if (a >= 100)
		buf_printf(b, "%.1f", v); /* as the tables print it: 21960.8 ms, 1945.6 KB */
	else if (a >= 10)
		buf_printf(b, "%.1f", v);
	else if (a >= 1)
		buf_printf(b, "%.2f", v);
	else
		buf_printf(b, "%.3g", v);
}

static char *
done(struct buf *b)
{
	buf_putc(b, '\0');
	return buf_detach(b);
}

char *
chart_alt_radar(const struct radar_data *r)
{
	struct buf b;
	int i, weakest = -1;

	buf_init(&b);
	for (i = 0; i < N_INVARIANTS; i++)
		if (r->has_data[i] && (weakest < 0 || r->correct[i] < r->correct[weakest]))
			weakest = i;
	buf_printf(&b, "Radar of the %d invariants: how often your predictions were right, and how "
		       "often your design hit a constraint, per law. ", N_INVARIANTS);
	for (i = 0; i < N_INVARIANTS; i++) {
		buf_puts(&b, r->names[i] != NULL ? r->names[i] : "?");
		if (r->has_data[i])
			buf_printf(&b, ": %.0f %% right, %.0f %% constraint hits", r->correct[i] * 100,
			    r->hit[i] * 100);
		else
			buf_puts(&b, ": no data (drawn at 50 %)");
		buf_puts(&b, i + 1 < N_INVARIANTS ? "; " : ". ");
	}
	if (weakest >= 0) {
		int n_tied = 0;
		buf_printf(&b, "Weakest: %s, at %.0f %%", r->names[weakest] ? r->names[weakest] : "?",
		    r->correct[weakest] * 100);
		for (i = weakest + 1; i < N_INVARIANTS; i++)
			if (r->has_data[i] && r->correct[i] == r->correct[weakest])
				buf_printf(&b, "%s%s", n_tied++ == 0 ? " (tied with " : ", ",
				    r->names[i] ? r->names[i] : "?");
		buf_puts(&b, n_tied > 0 ? "; the first in the lab's order is named)." : ".");
	} else
		buf_puts(&b, "No invariant has data, so none is weakest.");
	return done(&b);
}

char *
chart_alt_archmap(const struct archmap_data *a)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_printf(&b, "Architecture map: each tier's memory footprint against its budget, and its "
		       "P99 latency against the %.0f ms target (log scales). ", a->slo_p99_ms);
	for (i = 0; i < CTX_COUNT; i++) {
		const struct archmap_tier *t = &a->tier[i];
		buf_puts(&b, t->name[0] ? t->name : tier_names[i]);
		if (t->detail[0])
			buf_printf(&b, " (%s)", t->detail);
		if (i == CTX_TINY) {
			/* Plotted at KB / 1024 / 1024 GB (chart_archmap_from); said in KB. */
			buf_puts(&b, ": footprint ");
			put_num(&b, t->footprint_gb * 1024 * 1024);
			buf_puts(&b, " KB, SRAM ");
			put_num(&b, t->budget_gb * 1024 * 1024);
			buf_puts(&b, " KB");
		} else {
			buf_puts(&b, ": footprint ");
			put_num(&b, t->footprint_gb);
			buf_puts(&b, " GB, budget ");
			put_num(&b, t->budget_gb);
			buf_puts(&b, " GB");
		}
		buf_printf(&b, ", %s; ", t->oom ? "out of memory" : "fits");
		if (t->has_p99) {
			buf_puts(&b, "P99 ");
			put_num(&b, t->p99_ms);
			buf_printf(&b, " ms, %s the target",
			    t->p99_ms <= a->slo_p99_ms ? "within" : "over");
		} else {
			buf_puts(&b, "no latency computed (the lab gives none for this tier)");
		}
		buf_puts(&b, i + 1 < CTX_COUNT ? ". " : ".");
	}
	return done(&b);
}

char *
chart_alt_ctxbars(const struct ctxbars_data *c)
{
	struct buf b;
	int i, total = 0;

	buf_init(&b);
	for (i = 0; i < CTX_COUNT; i++)
		total += c->counts[i];
	buf_printf(&b, "Bar chart of the labs saved per deployment context, %d in all: ", total);
	for (i = 0; i < CTX_COUNT; i++) {
		sep(&b, (size_t)i, CTX_COUNT);
		buf_printf(&b, "%s %d", tier_names[i], c->counts[i]);
	}
	buf_puts(&b, ".");
	return done(&b);
}

static bool
same_point(const struct design_point *a, const struct design_point *b)
{
	return fabs(a->p99_ms - b->p99_ms) <= 1e-9 * fmax(1, fabs(a->p99_ms)) &&
	    fabs(a->cost_usd - b->cost_usd) <= 1e-12 * fmax(1, fabs(a->cost_usd) * 1e6) &&
	    fabs(a->accuracy - b->accuracy) < 1e-9;
}

char *
chart_alt_designspace(const struct designspace_data *d)
{
	struct buf b;
	size_t i;
	bool on = false;

	buf_init(&b);
	buf_printf(&b, "Design space: %zu distinct outcomes of the configuration grid, cloud P99 "
		       "latency against cost per million requests (log scales), with the Pareto "
		       "frontier of %zu designs. Targets: P99 at most %.0f ms, cost at most US$ ",
	    d->n_points, d->n_frontier, d->slo_p99_ms);
	put_num(&b, d->slo_cost_usd * PER_MILLION);
	buf_puts(&b, " per million requests. ");
	if (!d->has_student) {
		buf_puts(&b, "No design of yours is marked.");
		return done(&b);
	}
	for (i = 0; i < d->n_frontier && !on; i++)
		on = same_point(&d->student, &d->frontier[i]);
	buf_printf(&b, "%s: P99 ", d->student_label ? d->student_label : "Your design");
	put_num(&b, d->student.p99_ms);
	buf_puts(&b, " ms, US$ ");
	put_num(&b, d->student.cost_usd * PER_MILLION);
	buf_printf(&b, " per million requests, %.1f %% accuracy; it %s the latency target, %s the "
		       "cost target, and is %s the frontier.", d->student.accuracy * 100,
	    d->student.p99_ms <= d->slo_p99_ms ? "meets" : "misses",
	    d->student.cost_usd <= d->slo_cost_usd ? "meets" : "misses", on ? "on" : "not on");
	return done(&b);
}

char *
chart_alt_class_completion(const struct class_completion_data *c)
{
	struct buf b;
	int i, lo = -1, hi = -1;

	buf_init(&b);
	for (i = 0; i < N_LABS; i++) {
		if (lo < 0 || c->completed[i] < c->completed[lo])
			lo = i;
		if (hi < 0 || c->completed[i] > c->completed[hi])
			hi = i;
	}
	buf_printf(&b, "Bar chart of how many of the %d students completed each lab: ", c->n_students);
	for (i = 0; i < N_LABS; i++) {
		sep(&b, (size_t)i, N_LABS);
		buf_printf(&b, "Lab %02d: %d", i + 1, c->completed[i]);
	}
	if (lo >= 0)
		buf_printf(&b, ". Most completed: Lab %02d (%d); fewest: Lab %02d (%d).", hi + 1,
		    c->completed[hi], lo + 1, c->completed[lo]);
	return done(&b);
}

char *
chart_alt_class_radar(const struct class_radar_data *c)
{
	struct buf b;
	int i, weakest = -1;

	buf_init(&b);
	buf_printf(&b, "Radar of the class's prediction accuracy per invariant: the mean, and the %s "
		       "as a band. ", c->spread_label ? c->spread_label : "spread");
	for (i = 0; i < N_INVARIANTS; i++) {
		buf_puts(&b, c->names[i] != NULL ? c->names[i] : "?");
		if (c->n_with_data[i] > 0) {
			buf_printf(&b, ": mean %.0f %% (%.0f to %.0f %%, %d student%s)", c->mean[i] * 100,
			    c->lo[i] * 100, c->hi[i] * 100, c->n_with_data[i],
			    c->n_with_data[i] == 1 ? "" : "s");
			if (weakest < 0 || c->mean[i] < c->mean[weakest])
				weakest = i;
		} else {
			buf_puts(&b, ": no data");
		}
		buf_puts(&b, i + 1 < N_INVARIANTS ? "; " : ". ");
	}
	if (weakest >= 0)
		buf_printf(&b, "Lowest mean: %s.", c->names[weakest] ? c->names[weakest] : "?");
	return done(&b);
}

char *
chart_alt_class_scatter(const struct class_scatter_data *c)
{
	struct buf b;
	size_t i;
	int n = 0, both = 0, good = 0, warn = 0;
	double plo = INFINITY, phi = -INFINITY, clo = INFINITY, chi = -INFINITY;

	buf_init(&b);
	for (i = 0; i < c->n_points; i++) {
		const struct design_point *p = &c->points[i];
		int k = p->count > 0 ? p->count : 1;
		n += k;
		plo = fmin(plo, p->p99_ms);
		phi = fmax(phi, p->p99_ms);
		clo = fmin(clo, p->cost_usd);
		chi = fmax(chi, p->cost_usd);
		if (p->p99_ms <= c->slo_p99_ms && p->cost_usd <= c->slo_cost_usd)
			both += k;
		if (p->accuracy >= c->bands.good_above)
			good += k;
		else if (p->accuracy < c->bands.warn_below)
			warn += k;
	}
	buf_printf(&b, "Scatter of the class's capstone designs, cloud P99 latency against cost per "
		       "million requests: %d design%s", n, n == 1 ? "" : "s");
	if (n == 0) {
		buf_puts(&b, ".");
		return done(&b);
	}
	buf_puts(&b, ", P99 from ");
	put_num(&b, plo);
	buf_puts(&b, " to ");
	put_num(&b, phi);
	buf_puts(&b, " ms, cost from US$ ");
	put_num(&b, clo * PER_MILLION);
	buf_puts(&b, " to ");
	put_num(&b, chi * PER_MILLION);
	buf_printf(&b, ". %d meet%s both targets (P99 at most %.0f ms, cost at most US$ ", both,
	    both == 1 ? "s" : "", c->slo_p99_ms);
	put_num(&b, c->slo_cost_usd * PER_MILLION);
	buf_printf(&b, "). Accuracy: %d at or above %.0f %%, %d below %.0f %%, %d between.", good,
	    c->bands.good_above * 100, warn, c->bands.warn_below * 100, n - good - warn);
	return done(&b);
}
