/* P99 against cost: the design space of a student and the class scatter. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "model/act1.h"
#include "chart/chart.h"
#include "chart/drawing.h"
#include "chart/chart_kernel.h"
#include "base/util.h"

/* ---- P99 against cost scatters ---- */

static int
cmp_point(const void *pa, const void *pb)
{
	const struct design_point *a = pa, *b = pb;

	if (a->p99_ms != b->p99_ms)
		return a->p99_ms < b->p99_ms ? -1 : 1;
	if (a->cost_usd != b->cost_usd)
		return a->cost_usd < b->cost_usd ? -1 : 1;
	return 0;
}

size_t
chart_points_collapse(struct design_point *p, size_t n)
{
	size_t i, k = 0;
	bool sorted = true;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i].count <= 0)
			p[i].count = 1;
		if (i > 0 && cmp_point(&p[i - 1], &p[i]) >= 0)
			sorted = false;
	}
	if (sorted)
		return n;
	qsort(p, n, sizeof(*p), cmp_point);
	for (i = 1; i < n; i++) {
		if (cmp_point(&p[k], &p[i]) == 0) {
			p[k].accuracy = fmax(p[k].accuracy, p[i].accuracy);
			p[k].count += p[i].count;
		} else
			p[++k] = p[i];
	}
	return k + 1;
}

/*
 * Accuracy classes, best first: the scenario's bands, or, when the points
 * show no more than three levels (the design space's best accuracy per
 * position usually does), those levels themselves.
 */
struct acc_classes {
	int n;
	double lo[3];                  /* fraction: lower bound of class k */
	char label[3][64];
	bool levels;
};

static const enum mark class_mark[3] = { MK_CIRCLE, MK_SQUARE, MK_TRIANGLE_DOWN };

static struct draw_rgba
class_color(const struct acc_classes *ac, int k)
{
	if (ac->levels)
		return k == 0 ? chart_green : k == 1 ? chart_blue : chart_purple;
	return k == 0 ? chart_green : k == 1 ? chart_orange : chart_red;
}

static int
class_of(const struct acc_classes *ac, double acc)
{
	int k;

	for (k = 0; k + 1 < ac->n; k++)
		if (acc >= ac->lo[k] - 1e-9)
			return k;
	return ac->n - 1;
}

static void
acc_classes(struct acc_classes *ac, const struct design_point *p, size_t n,
    const struct accuracy_bands *bd, const char *level_name)
{
	double lv[4], v, t;
	int nl = 0, j, k;
	size_t i;

	memset(ac, 0, sizeof(*ac));
	for (i = 0; i < n && nl <= 3; i++) {
		v = round(p[i].accuracy * 1000) / 1000;
		for (j = 0; j < nl; j++)
			if (lv[j] == v)
				break;
		if (j == nl)
			lv[nl++] = v;
	}
	if (nl >= 1 && nl <= 3 && n > 0) {
		for (j = 0; j < nl; j++)        /* descending */
			for (k = j + 1; k < nl; k++)
				if (lv[k] > lv[j]) {
					t = lv[j];
					lv[j] = lv[k];
					lv[k] = t;
				}
		ac->levels = true;
		ac->n = nl;
		for (j = 0; j < nl; j++) {
			ac->lo[j] = lv[j] - 0.0005;
			char pct[16];   /* a percentage */
			fmt_fixed(pct, sizeof(pct), lv[j] * 100, 1);
			/* each level says what it is: no bare percentage */
			snprintf(ac->label[j], sizeof(ac->label[j]), "%s %s%%",
			    level_name, pct);
		}
		return;
	}
	ac->n = 3;
	ac->lo[0] = bd->good_above;
	ac->lo[1] = bd->warn_below;
	ac->lo[2] = -INFINITY;
	snprintf(ac->label[0], sizeof(ac->label[0]), "Accuracy \xe2\x89\xa5 %g%%",
	    bd->good_above * 100);
	snprintf(ac->label[1], sizeof(ac->label[1]), "%g\xe2\x80\x93%g%%",
	    bd->warn_below * 100, bd->good_above * 100);
	snprintf(ac->label[2], sizeof(ac->label[2]), "< %g%%",
	    bd->warn_below * 100);
}

struct scatter_in {
	const struct design_point *pts;
	size_t n;
	const struct design_point *frontier;
	size_t n_frontier;
	const struct design_point *student;
	const char *student_label;
	double slo_p99_ms, slo_cost_usd;  /* milliseconds, US dollars */
	struct accuracy_bands bands;
	bool sized;                    /* marker area grows with count */
	const char *level_name;        /* what a point's accuracy level is */
};

#define PER_MILLION 1e6
#define MAX_CHAINS 3

static void
chain_dash(struct draw_item *st, size_t j)
{
	if (j % 3 == 1) {
		st->dash[0] = 4;
		st->dash[1] = 2;
		st->n_dash = 2;
	} else if (j % 3 == 2) {
		st->dash[0] = 1.2;
		st->dash[1] = 1.6;
		st->n_dash = 2;
	}
}

/* Marker radius: area grows with the count, up to 4 times r across. */
static double
count_radius(double r, int count, int max_count)
{
	if (max_count <= 1)
		return r;
	return r * (1 + 3 * sqrt((double)(count - 1) / (max_count - 1)));
}

/* A scatter being drawn: its points, axes, legend and accuracy chains. */
struct scatter {
	const struct scatter_in *in;
	struct build b;
	struct frame f;
	struct box bounds;             /* inside the plot, for labels */
	struct design_point *p;        /* owned; the points, collapsed */
	size_t n;
	struct acc_classes ac;
	double xlo, xhi, ylo, yhi;     /* axis ranges */
	double chain_acc[MAX_CHAINS];  /* the frontier's accuracy levels */
	size_t n_chain;
	int max_count;
	double r;                      /* marker radius, points */
	struct legend_entry lg[12];
	char chaintext[MAX_CHAINS][64];
	size_t n_lg;
	double lfs, lh;                /* legend size and height, points */
};

/* The axis ranges over every point, frontier point and the student. */
static void
scatter_ranges(struct scatter *sc)
{
	const struct scatter_in *in = sc->in;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	size_t i, n = sc->n;

	for (i = 0; i < n + in->n_frontier + (in->student ? 1 : 0); i++) {
		const struct design_point *q = i < n ? &sc->p[i] : i < n +
		    in->n_frontier ? &in->frontier[i - n] : in->student;
		if (!(q->p99_ms > 0 && q->cost_usd > 0))
			continue;
		xlo = fmin(xlo, q->cost_usd * PER_MILLION);
		xhi = fmax(xhi, q->cost_usd * PER_MILLION);
		ylo = fmin(ylo, q->p99_ms);
		yhi = fmax(yhi, q->p99_ms);
	}
	if (!(xlo <= xhi)) {
		xlo = 1;
		xhi = 10;
		ylo = 10;
		yhi = 1000;
	}
	/* Show the P99 objective when it is near the data. */
	if (in->slo_p99_ms > 0 && in->slo_p99_ms >= ylo / 10 &&
	    in->slo_p99_ms <= yhi * 10) {
		ylo = fmin(ylo, in->slo_p99_ms);
		yhi = fmax(yhi, in->slo_p99_ms);
	}
	double xdata_hi = xhi;
	ck_nice_log_range(&xlo, &xhi);
	ck_snug_log_hi(&xhi, xdata_hi);
	ck_nice_log_range(&ylo, &yhi);
	sc->xlo = xlo;
	sc->xhi = xhi;
	sc->ylo = ylo;
	sc->yhi = yhi;
}

/* The legend: accuracy classes in use, marker area, frontier chains, student, target. */
static void
scatter_legend(struct scatter *sc, const int *used)
{
	const struct scatter_in *in = sc->in;
	struct legend_entry *lg = sc->lg;
	size_t j, n_lg = 0;
	int k;

	memset(sc->lg, 0, sizeof(sc->lg));
	for (k = 0; k < sc->ac.n; k++) {
		if (!used[k])
			continue;
		lg[n_lg].label = sc->ac.label[k];
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = class_mark[k];
		lg[n_lg++].mark_style = ck_st_fill_line(ck_alpha(class_color(&sc->ac, k),
		    0.75), class_color(&sc->ac, k), 0.6);
	}
	if (in->sized) {
		lg[n_lg].label = "Area: students";
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = MK_CIRCLE;
		lg[n_lg++].mark_style = ck_st_line(chart_muted, 0.8);
	}
	for (j = 0; j < sc->n_chain; j++) {
		char pct[16];   /* a percentage */
		fmt_fixed(pct, sizeof(pct), sc->chain_acc[j] * 100, 1);
		snprintf(sc->chaintext[j], sizeof(sc->chaintext[j]),
		    "Pareto frontier%s%s%%", sc->n_chain > 1 ? ", " : " ", pct);
		lg[n_lg].label = sc->chaintext[j];
		lg[n_lg].kind = LG_LINE;
		lg[n_lg].style = ck_st_line(chart_text, 1.1);
		chain_dash(&lg[n_lg].style, j);
		lg[n_lg].mark = MK_CIRCLE;
		lg[n_lg++].mark_style = ck_st_line(chart_text, 0.8);
	}
	if (in->student != NULL) {
		lg[n_lg].label = in->student_label ? in->student_label :
		    "Your design";
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = MK_STAR;
		lg[n_lg++].mark_style = ck_st_fill_line(chart_blue, chart_text, 0.6);
	}
	if (in->slo_p99_ms >= sc->ylo && in->slo_p99_ms <= sc->yhi) {
		lg[n_lg].label = "Meets the P99 target";
		lg[n_lg].kind = LG_SWATCH;
		lg[n_lg++].style = ck_st_fill_line(ck_alpha(chart_green, 0.10),
		    chart_green, 0.6);
	}
	sc->n_lg = n_lg;
}

/* The frame, the region meeting both objectives and their lines. */
static void
scatter_frame(struct scatter *sc, double width_pt, double height_pt)
{
	const struct scatter_in *in = sc->in;
	struct build *b = &sc->b;
	struct frame *f = &sc->f;
	struct draw_item st;
	double xs, ys;

	memset(f, 0, sizeof(*f));
	f->x = (struct chart_axis){ sc->xlo, sc->xhi, true, 0, 0 };
	f->y = (struct chart_axis){ sc->ylo, sc->yhi, true, 0, 0 };
	f->xfmt = ck_fmt_plain;
	f->yfmt = ck_fmt_ms;
	f->xtitle = "Cost (US$ per million requests, log scale)";
	f->ytitle = "Cloud P99 latency (ms, log scale)";
	f->ytitle_short = "P99 (ms, log)";
	ck_frame_layout(b, f, (struct box){ PAD, PAD, width_pt - PAD,
	    height_pt - PAD - sc->lh - 4 });
	f->fs = ck_fit_size(b, f->xtitle, f->fs, f->plot.x1 - f->plot.x0);
	sc->bounds = (struct box){ f->plot.x0 + 1, f->plot.y0 + 1,
	    f->plot.x1 - 1, f->plot.y1 - 1 };

	/* Region meeting both objectives (clipped to the plot). */
	if (in->slo_p99_ms >= sc->ylo && in->slo_p99_ms <= sc->yhi) {
		ys = chart_axis_map(&f->y, in->slo_p99_ms);
		xs = in->slo_cost_usd * PER_MILLION >= sc->xhi ? f->plot.x1 :
		    in->slo_cost_usd * PER_MILLION <= sc->xlo ? f->plot.x0 :
		    chart_axis_map(&f->x, in->slo_cost_usd * PER_MILLION);
		cairo_rectangle(b->cr, f->plot.x0, ys, xs - f->plot.x0,
		    f->plot.y1 - ys);
		st = ck_st_fill(ck_alpha(chart_green, 0.08));
		ck_emit(b, &st);
	}
	ck_frame_draw(b, f);
	if (in->slo_p99_ms >= sc->ylo && in->slo_p99_ms <= sc->yhi) {
		ys = chart_axis_map(&f->y, in->slo_p99_ms);
		cairo_move_to(b->cr, f->plot.x0, ys);
		cairo_line_to(b->cr, f->plot.x1, ys);
		st = ck_st_dash(chart_green, 0.9, 3, 2);
		ck_emit(b, &st);
	}
	if (in->slo_cost_usd * PER_MILLION > sc->xlo &&
	    in->slo_cost_usd * PER_MILLION < sc->xhi) {
		xs = chart_axis_map(&f->x, in->slo_cost_usd * PER_MILLION);
		cairo_move_to(b->cr, xs, f->plot.y0);
		cairo_line_to(b->cr, xs, f->plot.y1);
		st = ck_st_dash(chart_green, 0.9, 3, 2);
		ck_emit(b, &st);
	}
}

/* Points, one path per accuracy class, worst drawn last. */
static void
scatter_points(struct scatter *sc)
{
	struct build *b = &sc->b;
	const struct design_point *p = sc->p;
	struct draw_item st;
	double x, y;
	size_t i;
	int k;

	for (k = 0; k < sc->ac.n; k++) {
		for (i = 0; i < sc->n; i++) {
			if (class_of(&sc->ac, p[i].accuracy) != k)
				continue;
			x = chart_axis_map(&sc->f.x, p[i].cost_usd * PER_MILLION);
			y = chart_axis_map(&sc->f.y, p[i].p99_ms);
			ck_mark_path(b->cr, class_mark[k], x, y, sc->in->sized ?
			    count_radius(sc->r, p[i].count, sc->max_count) : sc->r);
		}
		st = ck_st_fill_line(ck_alpha(class_color(&sc->ac, k), sc->in->sized ?
		    0.55 : 0.75), class_color(&sc->ac, k), 0.6);
		ck_emit(b, &st);
	}
	for (i = 0; i < sc->n; i++) {
		x = chart_axis_map(&sc->f.x, p[i].cost_usd * PER_MILLION);
		y = chart_axis_map(&sc->f.y, p[i].p99_ms);
		ck_obstacle(b, ck_mark_box(x, y, sc->in->sized ?
		    count_radius(sc->r, p[i].count, sc->max_count) : sc->r));
	}
}

/*
 * The frontier is three-dimensional (P99, cost, accuracy): on this
 * plane it is a chain per accuracy level, each drawn through its
 * points in P99 order with its own dash pattern.
 */
static void
scatter_frontier(struct scatter *sc)
{
	const struct scatter_in *in = sc->in;
	struct build *b = &sc->b;
	struct draw_item st;
	double x, y;
	size_t i, j, drawn;

	for (j = 0; j < sc->n_chain; j++) {
		drawn = 0;
		for (i = 0; i < in->n_frontier; i++) {
			if (fabs(sc->chain_acc[j] - in->frontier[i].accuracy) >= 1e-9)
				continue;
			x = chart_axis_map(&sc->f.x, in->frontier[i].cost_usd *
			    PER_MILLION);
			y = chart_axis_map(&sc->f.y, in->frontier[i].p99_ms);
			if (drawn++ == 0)
				cairo_move_to(b->cr, x, y);
			else
				cairo_line_to(b->cr, x, y);
		}
		st = ck_st_line(chart_text, 1.1);
		chain_dash(&st, j);
		ck_emit(b, &st);
		for (i = 0; i < in->n_frontier; i++) {
			if (fabs(sc->chain_acc[j] - in->frontier[i].accuracy) >= 1e-9)
				continue;
			x = chart_axis_map(&sc->f.x, in->frontier[i].cost_usd *
			    PER_MILLION);
			y = chart_axis_map(&sc->f.y, in->frontier[i].p99_ms);
			ck_mark_path(b->cr, MK_CIRCLE, x, y, sc->r * 1.6);
			ck_obstacle(b, ck_mark_box(x, y, sc->r * 1.6));
		}
		st = ck_st_line(chart_text, 0.8);
		ck_emit(b, &st);
	}
}

/* The student's star with its label; on the class scatter, the counts. */
static void
scatter_labels(struct scatter *sc)
{
	const struct scatter_in *in = sc->in;
	struct build *b = &sc->b;
	struct draw_item st;
	double x, y, rr, r = sc->r;
	char s[32];

	if (in->student != NULL && in->student->p99_ms > 0 &&
	    in->student->cost_usd > 0) {
		x = chart_axis_map(&sc->f.x, in->student->cost_usd * PER_MILLION);
		y = chart_axis_map(&sc->f.y, in->student->p99_ms);
		ck_mark_path(b->cr, MK_STAR, x, y, r * 1.6);
		st = ck_st_fill_line(chart_blue, chart_text, 0.6);
		ck_emit(b, &st);
		ck_obstacle(b, ck_mark_box(x, y, r * 1.6));
		struct box lb = ck_place_label(b, in->student_label ?
		    in->student_label : "Your design", x, y, r * 1.6,
		    ck_lsz(b->fs * 0.95), DRAW_FONT_BOLD, chart_blue, &sc->bounds);
		ck_leader(b, lb, x, y, r * 1.6);
	}
	/* Student counts on the class scatter, beside their markers. */
	if (in->sized)
		for (size_t i = 0; i < sc->n; i++) {
			if (sc->p[i].count < 2)
				continue;
			snprintf(s, sizeof(s), "%d", sc->p[i].count);
			x = chart_axis_map(&sc->f.x, sc->p[i].cost_usd * PER_MILLION);
			y = chart_axis_map(&sc->f.y, sc->p[i].p99_ms);
			rr = count_radius(r, sc->p[i].count, sc->max_count);
			ck_place_label(b, s, x, y, rr, ck_lsz(b->fs * 0.75),
			    DRAW_FONT_REGULAR, chart_text, &sc->bounds);
		}
}

static struct drawing *
scatter(struct chart_ctx *cx, const struct scatter_in *in, double width_pt,
    double height_pt, const struct text_measurer *m)
{
	struct scatter sc;
	size_t i, j;
	int used[3] = { 0, 0, 0 };

	memset(&sc, 0, sizeof(sc));
	sc.in = in;
	sc.max_count = 1;
	ck_b_init(&sc.b, cx, width_pt, height_pt, m);
	sc.n = in->n;
	sc.p = xreallocarray(NULL, sc.n ? sc.n : 1, sizeof(*sc.p));
	if (sc.n > 0)
		memcpy(sc.p, in->pts, sc.n * sizeof(*sc.p));
	sc.n = chart_points_collapse(sc.p, sc.n);
	scatter_ranges(&sc);

	/* The frontier: one chain per accuracy level (see scatter_frontier). */
	for (i = 0; i < in->n_frontier; i++) {
		for (j = 0; j < sc.n_chain; j++)
			if (fabs(sc.chain_acc[j] - in->frontier[i].accuracy) < 1e-9)
				break;
		if (j == sc.n_chain && sc.n_chain < MAX_CHAINS)
			sc.chain_acc[sc.n_chain++] = in->frontier[i].accuracy;
	}
	acc_classes(&sc.ac, sc.p, sc.n, &in->bands, in->level_name);
	for (i = 0; i < sc.n; i++) {
		used[class_of(&sc.ac, sc.p[i].accuracy)]++;
		sc.max_count = sc.p[i].count > sc.max_count ? sc.p[i].count :
		    sc.max_count;
	}
	scatter_legend(&sc, used);
	sc.lfs = fmax(FS_MIN, sc.b.fs * 0.92);
	sc.lh = ck_legend(&sc.b, sc.lg, sc.n_lg, PAD, 0, width_pt - 2 * PAD,
	    sc.lfs, false);
	scatter_frame(&sc, width_pt, height_pt);
	sc.r = fmax(2.0, sc.b.fs * 0.34);
	scatter_points(&sc);
	scatter_frontier(&sc);
	scatter_labels(&sc);
	ck_legend(&sc.b, sc.lg, sc.n_lg, PAD, height_pt - PAD - sc.lh,
	    width_pt - 2 * PAD, sc.lfs, true);
	free(sc.p);
	return ck_b_done(&sc.b);
}

void
chart_frontier_points(const struct census *c, struct design_point *pts)
{
	size_t i;

	for (i = 0; i < c->n_frontier; i++) {
		pts[i].p99_ms = c->frontier[i].cloud_p99_ms;
		pts[i].cost_usd = c->frontier[i].cost_per_req_usd;
		pts[i].accuracy = c->frontier[i].post_drift_accuracy;
		pts[i].count = 1;
	}
}

struct drawing *
chart_designspace(struct chart_ctx *cx, const struct designspace_data *d,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	struct scatter_in in;

	memset(&in, 0, sizeof(in));
	in.pts = d->points;
	in.n = d->n_points;
	in.frontier = d->frontier;
	in.n_frontier = d->n_frontier;
	in.student = d->has_student ? &d->student : NULL;
	in.student_label = d->student_label;
	in.slo_p99_ms = d->slo_p99_ms;
	in.slo_cost_usd = d->slo_cost_usd;
	in.bands = d->bands;
	/* a dot stands for many designs: its color is the best of them */
	in.level_name = "Best accuracy after drift";
	return scatter(cx, &in, width_pt, height_pt, m);
}

struct drawing *
chart_class_scatter(struct chart_ctx *cx, const struct class_scatter_data *c,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	struct scatter_in in;

	memset(&in, 0, sizeof(in));
	in.pts = c->points;
	in.n = c->n_points;
	in.slo_p99_ms = c->slo_p99_ms;
	in.slo_cost_usd = c->slo_cost_usd;
	in.bands = c->bands;
	in.sized = true;
	in.level_name = "Accuracy after drift";
	return scatter(cx, &in, width_pt, height_pt, m);
}
