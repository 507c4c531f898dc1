/* The tier map: memory footprint against P99, with each tier's budget. */
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

/* ---- architecture map ---- */

static const enum mark tier_mark[CTX_COUNT] = {
	MK_CIRCLE, MK_SQUARE, MK_DIAMOND, MK_TRIANGLE
};
/* Budget lines: a dash pattern per tier, for greyscale. */
static const double tier_dash[CTX_COUNT][4] = {
	{ 6, 3, 0, 0 }, { 2, 2, 0, 0 }, { 6, 2, 1.5, 2 }, { 1, 1.5, 0, 0 }
};
static const int tier_ndash[CTX_COUNT] = { 2, 2, 4, 2 };

static void
set_tier(struct archmap_tier *t, const char *name, const char *hardware,
    enum quant q, double footprint_gb, double p99_ms, double budget_gb, bool oom)
{
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->detail, sizeof(t->detail), "%s, %s", hardware, quant_label(q));
	t->footprint_gb = footprint_gb;
	t->p99_ms = p99_ms;
	t->has_p99 = true;
	t->budget_gb = budget_gb;
	t->oom = oom;
}

void
chart_archmap_from(const struct scenario *s, const struct config *c,
    const struct metrics *m, struct archmap_data *out)
{
	char h100[24];

	memset(out, 0, sizeof(*out));
	snprintf(h100, sizeof(h100), "%d \xc3\x97 H100", c->n_gpus);
	set_tier(&out->tier[CTX_CLOUD], "Cloud", h100, c->quant_cloud,
	    m->cloud_model_gb, m->cloud_p99_ms, m->cloud_ram_available_gb,
	    m->cloud_oom);
	set_tier(&out->tier[CTX_EDGE], "Edge", "Jetson Orin", c->quant_edge,
	    m->edge_model_gb, m->edge_p99_ms, s->orin_ram_gb, m->edge_oom);
	set_tier(&out->tier[CTX_MOBILE], "Mobile", "phone NPU", c->quant_mobile,
	    m->mobile_model_gb, m->mobile_p99_ms, s->mobile_ram_gb, m->mobile_oom);
	/*
	 * TinyML at its footprint in GB, converted the way its budget is
	 * (KB / 1024 / 1024), so that point and line agree with the tier
	 * table.  The lab computes no latency for it: none is drawn.
	 */
	set_tier(&out->tier[CTX_TINY], "TinyML", "Cortex-M7", QUANT_TERNARY,
	    m->tiny_model_kb / (1024.0 * 1024.0), 0,
	    s->mcu_sram_kb / (1024.0 * 1024.0), m->tiny_oom);
	out->tier[CTX_TINY].has_p99 = false;
	out->slo_p99_ms = s->slo_p99_ms;
}

static void
fmt_gb(double gb, char out[32])
{
	if (gb < 0.001)
		snprintf(out, 32, "%.3g\xc2\xa0KB", gb * 1024 * 1024);
	else if (gb < 1)
		snprintf(out, 32, "%.3g\xc2\xa0MB", gb * 1024);
	else
		snprintf(out, 32, "%.3g\xc2\xa0GB", gb);
}

/* The budget line of tier i: its colour and its own dash, for greyscale. */
static struct draw_item
budget_style(int i)
{
	struct draw_item st = ck_st_line(ck_alpha(*chart_tier_color(i), 0.9), 1.1);

	memcpy(st.dash, tier_dash[i], sizeof(st.dash));
	st.n_dash = tier_ndash[i];
	return st;
}

/*
 * The four tiers on footprint against P99.  Each tier's legend entry
 * shows its marker on its budget line's dash and names the budget, so a
 * budget off the scale is still said; the latency target is a solid dark
 * line over a shaded band, unlike any budget.  A tier without a latency
 * (TinyML) sits on the top edge, marked "no latency".
 */
/* A tier map being drawn. */
struct archmap {
	const struct archmap_data *a;
	struct build b;
	struct frame f;
	struct box bounds;             /* inside the plot, for labels */
	struct legend_entry lg[CTX_COUNT + 2];
	char lgtext[CTX_COUNT][112], slo[64];
	double lfs, lh;                /* legend size and height, points */
	double px[CTX_COUNT], py[CTX_COUNT], mr;  /* tier markers, points */
	bool off[CTX_COUNT];           /* a tier off the scale */
};

/* The legend: each tier with its budget line, the crosses, the target band. */
static void
archmap_legend(struct archmap *am)
{
	const struct archmap_tier *t;
	struct legend_entry *lg = am->lg;
	char v[32];
	int i;

	memset(am->lg, 0, sizeof(am->lg));
	for (i = 0; i < CTX_COUNT; i++) {
		t = &am->a->tier[i];
		fmt_gb(t->budget_gb, v);
		snprintf(am->lgtext[i], sizeof(am->lgtext[i]), "%s: %s; budget %s%s",
		    t->name, t->detail, v, t->budget_gb > am->f.x.hi ?
		    " (off the scale)" : "");
		lg[i].label = am->lgtext[i];
		lg[i].kind = LG_LINE;
		lg[i].style = budget_style(i);
		lg[i].mark = tier_mark[i];
		lg[i].mark_style = ck_st_fill_line(*chart_tier_color(i), white, 0.6);
	}
	lg[4].label = "Does not fit in memory";
	lg[4].kind = LG_MARK;
	lg[4].mark = MK_CROSS;
	lg[4].mark_style = ck_st_line(chart_red, 1.6);
	snprintf(am->slo, sizeof(am->slo),
	    "Cloud P99 target, \xe2\x89\xa4\xc2\xa0%g\xc2\xa0ms", am->a->slo_p99_ms);
	lg[5].label = am->slo;
	lg[5].kind = LG_SWATCH;
	lg[5].style = ck_st_fill_line(ck_alpha(chart_text, 0.07), chart_text, 1.0);
}

/* The frame, the band under the cloud's target, its line, the budget lines. */
static void
archmap_lines(struct archmap *am)
{
	const struct archmap_data *a = am->a;
	struct build *b = &am->b;
	struct frame *f = &am->f;
	struct draw_item st;
	double x, ys;

	/* The band under the cloud's P99 target. */
	if (a->slo_p99_ms > f->y.lo) {
		ys = chart_axis_map(&f->y, fmin(a->slo_p99_ms, f->y.hi));
		cairo_rectangle(b->cr, f->plot.x0, ys, f->plot.x1 - f->plot.x0,
		    f->plot.y1 - ys);
		st = ck_st_fill(ck_alpha(chart_text, 0.07));
		ck_emit(b, &st);
	}
	ck_frame_draw(b, f);
	if (a->slo_p99_ms > f->y.lo && a->slo_p99_ms < f->y.hi) {
		ys = chart_axis_map(&f->y, a->slo_p99_ms);
		cairo_move_to(b->cr, f->plot.x0, ys);
		cairo_line_to(b->cr, f->plot.x1, ys);
		st = ck_st_line(chart_text, 1.0);
		ck_emit(b, &st);
		ck_add_obstacle(b, (struct box){ f->plot.x0, ys - 0.5, f->plot.x1,
		    ys + 0.5 }, true, false);
	}

	/* Budget lines. */
	for (int i = 0; i < CTX_COUNT; i++) {
		const struct archmap_tier *t = &a->tier[i];
		if (!(t->budget_gb >= f->x.lo && t->budget_gb <= f->x.hi))
			continue;
		x = chart_axis_map(&f->x, t->budget_gb);
		cairo_move_to(b->cr, x, f->plot.y0);
		cairo_line_to(b->cr, x, f->plot.y1);
		st = budget_style(i);
		ck_emit(b, &st);
		ck_add_obstacle(b, (struct box){ x - 0.5, f->plot.y0, x + 0.5,
		    f->plot.y1 }, true, false);
	}
}

/* Tier markers, then the crosses, all obstacles for the labels; then the labels. */
static void
archmap_tiers(struct archmap *am)
{
	const struct archmap_data *a = am->a;
	const struct archmap_tier *t;
	struct build *b = &am->b;
	struct frame *f = &am->f;
	struct draw_item st;
	double *px = am->px, *py = am->py, mr;
	char s[96];
	int i;

	mr = am->mr = fmax(3.2, b->fs * 0.55);
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		am->off[i] = !(t->footprint_gb >= f->x.lo && t->footprint_gb <= f->x.hi &&
		    (!t->has_p99 || (t->p99_ms >= f->y.lo && t->p99_ms <= f->y.hi)));
		px[i] = chart_axis_map(&f->x, ck_clampd(t->footprint_gb > 0 ?
		    t->footprint_gb : f->x.lo, f->x.lo, f->x.hi));
		py[i] = t->has_p99 ? chart_axis_map(&f->y, ck_clampd(t->p99_ms > 0 ?
		    t->p99_ms : f->y.lo, f->y.lo, f->y.hi)) : f->plot.y0;
		ck_mark_path(b->cr, tier_mark[i], px[i], py[i], mr);
		st = t->has_p99 ?
		    ck_st_fill_line(ck_alpha(*chart_tier_color(i), 0.9), white, 0.8) :
		    ck_st_fill_line(white, *chart_tier_color(i), 1.2);
		ck_emit(b, &st);
		ck_add_obstacle(b, ck_mark_box(px[i], py[i], mr), false, true);
	}
	for (i = 0; i < CTX_COUNT; i++) {
		if (!a->tier[i].oom)
			continue;
		ck_mark_path(b->cr, MK_CROSS, px[i], py[i], mr * 1.25);
		st = ck_st_line(chart_red, 2.0);
		ck_emit(b, &st);
	}
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		snprintf(s, sizeof(s), "%s%s%s", t->name, !t->has_p99 ?
		    " (no latency)" : t->oom ? " (does not fit)" : "",
		    am->off[i] ? " (off the scale)" : "");
		/* The legend names every tier: a label with no free place
		 * (on a small chart) is left out rather than overlap. */
		ck_place_label_if(b, s, px[i], py[i], mr, ck_lsz(b->fs * 0.95),
		    DRAW_FONT_BOLD, t->oom ? chart_red : chart_text, &am->bounds,
		    0.99);
	}
}

/* The target's value just above its line, wherever it crosses nothing. */
static void
archmap_target_label(struct archmap *am)
{
	const struct archmap_data *a = am->a;
	struct build *b = &am->b;
	struct frame *f = &am->f;
	struct box bx, bestbx;
	double x, c, best, ys;
	int k, bestk;
	char s[96];

	if (!(a->slo_p99_ms > f->y.lo && a->slo_p99_ms < f->y.hi))
		return;
	snprintf(s, sizeof(s), "Cloud target \xe2\x89\xa4\xc2\xa0%g\xc2\xa0ms",
	    a->slo_p99_ms);
	ys = chart_axis_map(&f->y, a->slo_p99_ms);
	best = INFINITY;
	bestk = 0;
	memset(&bestbx, 0, sizeof(bestbx));
	for (k = 0; k < 9; k++) {
		x = k == 0 ? f->plot.x0 + 3 : k == 1 ? f->plot.x1 - 3 :
		    chart_axis_map(&f->x, pow(10, k - 5));
		bx = ck_text_box(b, s, x, ys - 2, ck_lsz(b->fs * 0.85),
		    DRAW_FONT_REGULAR, k == 0 ? DRAW_LEFT : k == 1 ?
		    DRAW_RIGHT : DRAW_CENTER, DRAW_BOTTOM, 0);
		c = ck_box_cost(b, bx, &am->bounds, 1);
		if (c < best) {
			best = c;
			bestk = k;
			bestbx = bx;
		}
	}
	if (best == 0) {
		k = bestk;
		x = k == 0 ? f->plot.x0 + 3 : k == 1 ? f->plot.x1 - 3 :
		    chart_axis_map(&f->x, pow(10, k - 5));
		ck_text(b, s, x, ys - 2, ck_lsz(b->fs * 0.85), DRAW_FONT_REGULAR,
		    k == 0 ? DRAW_LEFT : k == 1 ? DRAW_RIGHT :
		    DRAW_CENTER, DRAW_BOTTOM, chart_text);
		ck_obstacle(b, bestbx);
	}
}

struct drawing *
chart_archmap(struct chart_ctx *cx, const struct archmap_data *a,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	struct archmap am;

	memset(&am, 0, sizeof(am));
	am.a = a;
	ck_b_init(&am.b, cx, width_pt, height_pt, m);
	am.f.x = (struct chart_axis){ 1e-4, 1e3, true, 0, 0 };
	am.f.y = (struct chart_axis){ 1, 1e5, true, 0, 0 };
	archmap_legend(&am);
	am.lfs = ck_lsz(am.b.fs * 0.92);
	am.lh = ck_legend(&am.b, am.lg, 6, PAD, 0, width_pt - 2 * PAD, am.lfs, false);

	am.f.xfmt = ck_fmt_plain;
	am.f.yfmt = ck_fmt_ms;
	am.f.xtitle = "Model memory footprint (GB, log scale)";
	am.f.ytitle = "P99 latency (ms, log scale)";
	am.f.ytitle_short = "P99 (ms, log)";
	ck_frame_layout(&am.b, &am.f, (struct box){ PAD, PAD, width_pt - PAD,
	    height_pt - PAD - am.lh - 4 });
	am.bounds = (struct box){ am.f.plot.x0 + 1, am.f.plot.y0 + 1,
	    am.f.plot.x1 - 1, am.f.plot.y1 - 1 };
	archmap_lines(&am);
	archmap_tiers(&am);
	archmap_target_label(&am);
	ck_legend(&am.b, am.lg, 6, PAD, height_pt - PAD - am.lh, width_pt - 2 * PAD,
	    am.lfs, true);
	return ck_b_done(&am.b);
}
