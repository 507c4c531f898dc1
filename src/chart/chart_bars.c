/* Bar charts: labs per context, and a class's completion per lab. */
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

/* ---- labs per context ---- */

struct drawing *
chart_ctxbars(struct chart_ctx *cx, const struct ctxbars_data *d,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	static const char *const names[CTX_COUNT] = {
		"Cloud", "Edge", "Mobile", "TinyML"
	};
	struct build b;
	struct frame f;
	struct draw_item st;
	char s[32];
	double namew = 0, numw, row, bh, y, x0, x1;
	int i, max = 1;

	ck_b_init(&b, cx, width_pt, height_pt, m);
	for (i = 0; i < CTX_COUNT; i++) {
		max = d->counts[i] > max ? d->counts[i] : max;
		namew = fmax(namew, ck_tw(&b, names[i], b.fs, DRAW_FONT_REGULAR));
	}
	snprintf(s, sizeof(s), "%d", max);
	numw = ck_tw(&b, s, b.fs, DRAW_FONT_BOLD) + 4;
	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ 0, max < 5 ? 5 : max, false, 0, 0 };
	f.y = (struct chart_axis){ 0, 1, false, 0, 0 };
	f.xfmt = ck_fmt_plain;
	f.yfmt = ck_fmt_plain;
	f.xtitle = "Labs completed in this context";
	ck_frame_layout(&b, &f, (struct box){ PAD + namew + 4, PAD,
	    width_pt - PAD - numw, height_pt - PAD });
	f.nyt = 0;                     /* no y ticks: the rows are named */
	ck_frame_draw(&b, &f);
	row = (f.plot.y1 - f.plot.y0) / CTX_COUNT;
	bh = fmin(row * 0.62, b.fs * 2.2);
	for (i = 0; i < CTX_COUNT; i++) {
		y = f.plot.y0 + row * (i + 0.5);
		ck_text(&b, names[i], f.plot.x0 - 4, y, b.fs, DRAW_FONT_REGULAR,
		    DRAW_RIGHT, DRAW_MIDDLE, chart_text);
		x0 = f.plot.x0;
		x1 = chart_axis_map(&f.x, d->counts[i]);
		if (x1 > x0) {
			cairo_rectangle(b.cr, x0, y - bh / 2, x1 - x0, bh);
			st = ck_st_fill_line(ck_alpha(*chart_tier_color(i), 0.85),
			    *chart_tier_color(i), 0.6);
			ck_emit(&b, &st);
		}
		snprintf(s, sizeof(s), "%d", d->counts[i]);
		ck_text(&b, s, x1 + 3, y, b.fs, DRAW_FONT_BOLD, DRAW_LEFT,
		    DRAW_MIDDLE, chart_text);
	}
	return ck_b_done(&b);
}

/* ---- class completion per lab ---- */

struct drawing *
chart_class_completion(struct chart_ctx *cx,
    const struct class_completion_data *c, double width_pt, double height_pt,
    const struct text_measurer *m)
{
	struct build b;
	struct frame f;
	struct draw_item st;
	char s[64], ytitle[64];
	double slot, bw, x, y, pct, cs;
	int i, n = c->n_students > 0 ? c->n_students : 1;

	ck_b_init(&b, cx, width_pt, height_pt, m);
	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ 0.5, N_LABS + 0.5, false, 0, 0 };
	f.y = (struct chart_axis){ 0, 100, false, 0, 0 };
	f.xfmt = ck_fmt_plain;
	f.yfmt = ck_fmt_pct;
	f.xtitle = "Lab (chapter)";
	snprintf(ytitle, sizeof(ytitle), "Students who completed it (n = %d)",
	    c->n_students);
	f.ytitle = ytitle;
	f.ytitle_short = "Completed";
	ck_frame_layout(&b, &f, (struct box){ PAD, PAD + b.fs, width_pt - PAD,
	    height_pt - PAD });
	/* Every lab gets its tick. */
	for (i = 0; i < N_LABS; i++) {
		f.xt[i] = i + 1;
		f.xprio[i] = 0;
	}
	f.nxt = N_LABS;
	ck_frame_draw(&b, &f);
	slot = (f.plot.x1 - f.plot.x0) / N_LABS;
	bw = slot * 0.66;
	cs = ck_lsz(fmin(b.fs * 0.8, slot * 0.55));
	for (i = 0; i < N_LABS; i++) {
		pct = 100.0 * c->completed[i] / n;
		x = chart_axis_map(&f.x, i + 1);
		y = chart_axis_map(&f.y, ck_clampd(pct, 0, 100));
		cairo_rectangle(b.cr, x - bw / 2, y, bw, f.plot.y1 - y);
		st = ck_st_fill_line(ck_alpha(chart_blue, 0.8), chart_blue, 0.5);
		ck_emit(&b, &st);
		snprintf(s, sizeof(s), "%d", c->completed[i]);
		ck_text(&b, s, x, y - 1.5, cs, DRAW_FONT_REGULAR, DRAW_CENTER,
		    DRAW_BOTTOM, chart_text);
	}
	return ck_b_done(&b);
}
