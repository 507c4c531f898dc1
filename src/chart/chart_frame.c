/* Log and linear axes, their ticks and a plot frame (see chart_kernel.h). */
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

/* ---- axes and frames ---- */


int
ck_axis_ticks(const struct chart_axis *a, double *t, int *prio)
{
	static const double mult[3] = { 1, 2, 5 };
	double step, v, e;
	int k, j, n = 0, decades;

	if (a->log) {
		decades = (int)ceil(log10(a->hi) - 1e-9) -
		    (int)floor(log10(a->lo) + 1e-9);
		for (k = (int)floor(log10(a->lo)); k <= (int)ceil(log10(a->hi)); k++)
			for (j = 0; j < 3 && n < MAX_TICKS; j++) {
				if (j > 0 && decades > 3)
					break;
				v = mult[j] * pow(10, k);
				if (v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
					continue;
				t[n] = v;
				prio[n++] = j;
			}
		return n;
	}
	step = (a->hi - a->lo) / 5;
	e = pow(10, floor(log10(step)));
	step = step / e < 1.5 ? e : step / e < 3.5 ? 2 * e : step / e < 7.5 ?
	    5 * e : 10 * e;
	for (v = ceil(a->lo / step - 1e-9) * step;
	    v <= a->hi + step * 1e-9 && n < MAX_TICKS; v += step) {
		t[n] = fabs(v) < step * 1e-9 ? 0 : v;
		prio[n++] = 0;
	}
	return n;
}

/* Widens [*lo, *hi] (log scale) to 1-2-5 values with a little air. */
void
ck_nice_log_range(double *lo, double *hi)
{
	static const double mult[4] = { 1, 2, 5, 10 };
	double l = *lo / 1.25, h = *hi * 1.25, e;
	int j;

	e = pow(10, floor(log10(l)));
	for (j = 2; j >= 0; j--)
		if (mult[j] * e <= l * (1 + 1e-9))
			break;
	*lo = mult[j < 0 ? 0 : j] * e;
	e = pow(10, floor(log10(h)));
	for (j = 0; j < 4; j++)
		if (mult[j] * e >= h * (1 - 1e-9))
			break;
	*hi = mult[j] * e;
}

/*
 * The upper end of a log axis just above the data (10 % room), on a
 * 1-1.5-2-3-5-7 step, where nice_log_range would jump to the next 1-2-5:
 * a design space up to $11 ends at 15, not 20.
 */
void
ck_snug_log_hi(double *hi, double data_hi)
{
	static const double mult[7] = { 1, 1.5, 2, 3, 5, 7, 10 };
	double h = data_hi * 1.1, e = pow(10, floor(log10(h)));

	for (int j = 0; j < 7; j++)
		if (mult[j] * e >= h * (1 - 1e-9)) {
			if (mult[j] * e < *hi)
				*hi = mult[j] * e;
			return;
		}
}

/*
 * A thin line from a marker to its label, when the label had to move
 * away from the marker (a crowded column of points): the label names
 * that marker, not whatever lies beside it.
 */
void
ck_leader(struct build *b, struct box lb, double x, double y, double r)
{
	double lx = fmin(fmax(x, lb.x0), lb.x1), ly = fmin(fmax(y, lb.y0), lb.y1);
	double d = hypot(lx - x, ly - y);
	struct draw_item st;

	if (lb.x1 <= lb.x0 || d < r * 1.5 + 6)
		return;
	cairo_move_to(b->cr, x + (lx - x) * r / d, y + (ly - y) * r / d);
	cairo_line_to(b->cr, lx - (lx - x) * 1.5 / d, ly - (ly - y) * 1.5 / d);
	st = ck_st_line(chart_blue, 0.6);
	ck_emit(b, &st);
}

void
ck_fmt_plain(double v, char out[32])
{
	snprintf(out, 32, "%g", v);
}

void
ck_fmt_ms(double v, char out[32])
{
	if (v >= 1000)
		snprintf(out, 32, "%gk", v / 1000);
	else
		snprintf(out, 32, "%g", v);
}

void
ck_fmt_pct(double v, char out[32])
{
	snprintf(out, 32, "%g\xc2\xa0%%", v);
}

/*
 * Places the plot box inside area, leaving room for tick labels and axis
 * titles; x and y must have lo, hi and log set.
 */
void
ck_frame_layout(struct build *b, struct frame *f, struct box area)
{
	char s[32];
	double yw = 0, th, lh;
	int i;

	f->fs = b->fs;
	f->tick_fs = ck_lsz(b->fs * 0.9);
	f->nxt = ck_axis_ticks(&f->x, f->xt, f->xprio);
	f->nyt = ck_axis_ticks(&f->y, f->yt, f->yprio);
	for (i = 0; i < f->nyt; i++) {
		f->yfmt(f->yt[i], s);
		yw = fmax(yw, ck_tw(b, s, f->tick_fs, DRAW_FONT_REGULAR));
	}
	th = f->fs;                    /* an axis title's line */
	lh = f->tick_fs;               /* a tick label's line */
	f->plot.x0 = area.x0 + (f->ytitle ? th + 4 : 0) + yw + 4;
	f->plot.x1 = area.x1 - fmax(4, lh * 1.2);
	f->plot.y0 = area.y0 + lh / 2 + 2;
	f->plot.y1 = area.y1 - (lh + TICK_GAP + 1) - (f->xtitle ? th + 4 : 0);
	f->x.px_lo = f->plot.x0;
	f->x.px_hi = f->plot.x1;
	f->y.px_lo = f->plot.y1;
	f->y.px_hi = f->plot.y0;
}

/* Labels the ticks by priority, skipping any that would meet placed ones. */
void
ck_tick_labels(struct build *b, const struct frame *f, bool xaxis,
    struct box *placed, int *n_placed)
{
	struct box bx;
	const double *t = xaxis ? f->xt : f->yt;
	const int *prio = xaxis ? f->xprio : f->yprio;
	int n = xaxis ? f->nxt : f->nyt, np = *n_placed, p, i, k;
	char s[32];
	double pos;
	bool clash;

	for (p = 0; p < 3; p++)
		for (i = 0; i < n; i++) {
			if (prio[i] != p)
				continue;
			(xaxis ? f->xfmt : f->yfmt)(t[i], s);
			if (xaxis) {
				pos = chart_axis_map(&f->x, t[i]);
				bx = ck_text_box(b, s, pos, f->plot.y1 + TICK_GAP,
				    f->tick_fs, DRAW_FONT_REGULAR, DRAW_CENTER,
				    DRAW_TOP, 0);
			} else {
				pos = chart_axis_map(&f->y, t[i]);
				bx = ck_text_box(b, s, f->plot.x0 - 3, pos,
				    f->tick_fs, DRAW_FONT_REGULAR, DRAW_RIGHT,
				    DRAW_MIDDLE, 0);
			}
			/* Tick labels of one axis keep some air between
			 * them; the two axes' labels only must not touch. */
			clash = false;
			for (k = 0; k < np; k++)
				if (ck_boxes_meet(bx, placed[k], k < *n_placed ?
				    0.0 : xaxis ? 3 : 1))
					clash = true;
			if (clash)
				continue;
			placed[np++] = bx;
			if (xaxis)
				ck_text(b, s, pos, f->plot.y1 + TICK_GAP, f->tick_fs,
				    DRAW_FONT_REGULAR, DRAW_CENTER, DRAW_TOP,
				    chart_muted);
			else
				ck_text(b, s, f->plot.x0 - 3, pos, f->tick_fs,
				    DRAW_FONT_REGULAR, DRAW_RIGHT, DRAW_MIDDLE,
				    chart_muted);
		}
	*n_placed = np;
}

/* Grid, border, tick labels and axis titles. */
void
ck_frame_draw(struct build *b, const struct frame *f)
{
	struct draw_item grid = ck_st_line(chart_grid, 0.5);
	struct draw_item border = ck_st_line(ck_alpha(chart_muted, 0.8), 0.6);
	struct draw_item *it;
	struct box placed[2 * MAX_TICKS];
	const char *yt;
	double v, room, size, y, half;
	int i, np = 0;

	for (i = 0; i < f->nxt; i++) {
		v = chart_axis_map(&f->x, f->xt[i]);
		cairo_move_to(b->cr, v, f->plot.y0);
		cairo_line_to(b->cr, v, f->plot.y1);
	}
	for (i = 0; i < f->nyt; i++) {
		v = chart_axis_map(&f->y, f->yt[i]);
		cairo_move_to(b->cr, f->plot.x0, v);
		cairo_line_to(b->cr, f->plot.x1, v);
	}
	ck_emit(b, &grid);
	cairo_rectangle(b->cr, f->plot.x0, f->plot.y0,
	    f->plot.x1 - f->plot.x0, f->plot.y1 - f->plot.y0);
	ck_emit(b, &border);
	ck_tick_labels(b, f, false, placed, &np);
	ck_tick_labels(b, f, true, placed, &np);
	if (f->xtitle != NULL)
		ck_text(b, f->xtitle, (f->plot.x0 + f->plot.x1) / 2,
		    f->plot.y1 + f->tick_fs + TICK_GAP + 4, f->fs,
		    DRAW_FONT_REGULAR,
		    DRAW_CENTER, DRAW_TOP, chart_text);
	if (f->ytitle != NULL) {
		yt = f->ytitle;
		room = fmin(f->plot.y1 - f->plot.y0 + 2 * f->tick_fs,
		    b->d->height - 2 * PAD);
		size = f->fs;
		if (ck_tw(b, yt, size, DRAW_FONT_REGULAR) > room &&
		    f->ytitle_short != NULL)
			yt = f->ytitle_short;
		size = ck_fit_size(b, yt, size, room);
		/* Centred on the plot, but never out of the drawing. */
		y = (f->plot.y0 + f->plot.y1) / 2;
		half = ck_tw(b, yt, size, DRAW_FONT_REGULAR) / 2;
		y = fmax(PAD + half, fmin(b->d->height - PAD - half, y));
		it = drawing_add_text(b->d, yt, PAD, y, size, DRAW_FONT_REGULAR,
		    DRAW_CENTER, DRAW_TOP, chart_text);
		it->angle_deg = 90;
	}
}

/* Fits a (possibly too long) axis title to width by shrinking its size. */
double
ck_fit_size(const struct build *b, const char *s, double size, double width)
{
	double w = ck_tw(b, s, size, DRAW_FONT_REGULAR);

	return w > width ? fmax(FS_MIN, size * width / w) : size;
}

/* v held inside [lo, hi]. */
double
ck_clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}
