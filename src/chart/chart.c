/*
 * chart: the report's charts.  Input: the plain structs of chart.h (built
 * from the audit, the engine's metrics and census, or a class summary)
 * and a size in points; output: a struct drawing of paths and labels.
 * Geometry is built on a cairo context over a recording surface that is
 * never painted: arcs, markers and polylines become cairo paths, and
 * cairo_copy_path hands each one over with its style.  Labels are DRAW_TEXT
 * items placed with the caller's text_measurer, so that the report sets
 * them in its own fonts; a placement is kept only where it overlaps no
 * other label, marker or the plot.  This file and chart_frame.c are the
 * kernel every chart draws with (chart_kernel.h); each chart is in its own
 * chart_<name>.c.  These files and drawing.c are the only ones that
 * include cairo.h.
 */
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



const struct draw_rgba chart_blue = RGB(0x00, 0x63, 0x95);
/*
 * Text in these colours on white is at least 4.5:1 (WCAG 2.1 1.4.3, as
 * tests/tools/pdfua_check.py measures): green was #008F45 (4.18:1) and
 * orange #CC5500 (4.31:1) before.
 */
const struct draw_rgba chart_green = RGB(0x00, 0x87, 0x41);
const struct draw_rgba chart_red = RGB(0xCB, 0x20, 0x2D);
const struct draw_rgba chart_orange = RGB(0xB8, 0x4C, 0x00);
const struct draw_rgba chart_purple = RGB(0x6B, 0x3F, 0xA0);
const struct draw_rgba chart_text = RGB(0x2c, 0x3e, 0x50);
const struct draw_rgba chart_muted = RGB(0x64, 0x74, 0x8b);
const struct draw_rgba chart_grid = RGB(0xdd, 0xe3, 0xea);

const struct draw_rgba *
chart_tier_color(enum context c)
{
	switch (c) {
	case CTX_EDGE:
		return &chart_green;
	case CTX_MOBILE:
		return &chart_orange;
	case CTX_TINY:
		return &chart_purple;
	default:
		return &chart_blue;
	}
}

struct draw_rgba
ck_alpha(struct draw_rgba c, double a)
{
	c.a = a;
	return c;
}

/* ---- context and measurer ---- */

void
ck_ctx_reset_cr(struct chart_ctx *cx)
{
	if (cx->cr != NULL)
		cairo_destroy(cx->cr);
	cx->cr = cairo_create(cx->scratch);
	/* Arcs become Béziers within this (points): fine enough to zoom. */
	cairo_set_tolerance(cx->cr, 0.002);
}

struct chart_ctx *
chart_ctx_new(void)
{
	struct chart_ctx *cx = xcalloc(1, sizeof(*cx));

	cx->scratch = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA,
	    NULL);
	ck_ctx_reset_cr(cx);
	return cx;
}

/*
 * The measuring fonts are made on first use: they start fontconfig, which
 * a report (measured with the report's own fonts) never needs.
 */
void
ck_ensure_fonts(struct chart_ctx *cx)
{
	static const struct {
		cairo_font_slant_t slant;
		cairo_font_weight_t weight;
	} faces[3] = {
		{ CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL },
		{ CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD },
		{ CAIRO_FONT_SLANT_OBLIQUE, CAIRO_FONT_WEIGHT_NORMAL },
	};
	cairo_font_options_t *fo;
	cairo_font_face_t *face;
	cairo_matrix_t fm, ctm;

	if (cx->font[0] != NULL)
		return;
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_matrix_init_scale(&fm, MEASURE_UNITS, MEASURE_UNITS);
	cairo_matrix_init_identity(&ctm);
	for (int i = 0; i < 3; i++) {
		face = cairo_toy_font_face_create("DejaVu Sans", faces[i].slant,
		    faces[i].weight);
		cx->font[i] = cairo_scaled_font_create(face, &fm, &ctm, fo);
		cairo_font_face_destroy(face);
	}
	cairo_font_options_destroy(fo);
}

void
chart_ctx_free(struct chart_ctx *cx)
{
	int i;

	if (cx == NULL)
		return;
	for (i = 0; i < 3; i++)
		if (cx->font[i] != NULL)
			cairo_scaled_font_destroy(cx->font[i]);
	cairo_destroy(cx->cr);
	cairo_surface_destroy(cx->scratch);
	free(cx->ops);
	free(cx);
}

double
ck_cairo_measure(void *ctx, const char *utf8, double size, enum draw_font font)
{
	struct chart_ctx *cx = ctx;
	cairo_text_extents_t te;

	if ((unsigned)font > DRAW_FONT_ITALIC)
		font = DRAW_FONT_REGULAR;
	cairo_scaled_font_text_extents(cx->font[font], utf8, &te);
	return te.x_advance * size / MEASURE_UNITS;
}

struct text_measurer
chart_cairo_measurer(struct chart_ctx *cx)
{
	struct text_measurer m;

	ck_ensure_fonts(cx);
	m.width = ck_cairo_measure;
	m.ascent = DRAWING_FONT_ASCENT;
	m.descent = DRAWING_FONT_DESCENT;
	m.ctx = cx;
	m.outline = NULL;
	return m;
}

double
chart_axis_map(const struct chart_axis *a, double v)
{
	double t;

	if (a->log)
		t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	else
		t = (v - a->lo) / (a->hi - a->lo);
	return a->px_lo + t * (a->px_hi - a->px_lo);
}

/* ---- building a drawing ---- */


double
ck_base_font_size(double w, double h)
{
	return fmax(FS_MIN + 1.0, fmin(FS_MAX, fmin(w / 42, h / 28)));
}

/* A derived label size, never below FS_MIN. */
double
ck_lsz(double size)
{
	return fmax(FS_MIN, size);
}

void
ck_b_init(struct build *b, struct chart_ctx *cx, double w, double h,
    const struct text_measurer *m)
{
	memset(b, 0, sizeof(*b));
	if (cairo_status(cx->cr) != CAIRO_STATUS_SUCCESS)
		ck_ctx_reset_cr(cx);
	b->cx = cx;
	b->cr = cx->cr;
	cairo_new_path(b->cr);
	b->d = drawing_new(w, h);
	b->m = m;
	b->fs = ck_base_font_size(w, h);
}

struct drawing *
ck_b_done(struct build *b)
{
	free(b->obst);
	cairo_new_path(b->cr);
	return b->d;
}

void
ck_add_obstacle(struct build *b, struct box bx, bool soft, bool marker)
{
	if (b->n_obst == b->cap_obst) {
		b->cap_obst = b->cap_obst ? b->cap_obst * 2 : 32;
		b->obst = xreallocarray(b->obst, b->cap_obst, sizeof(*b->obst));
	}
	b->obst[b->n_obst].box = bx;
	b->obst[b->n_obst].soft = soft;
	b->obst[b->n_obst++].marker = marker;
}

void
ck_obstacle(struct build *b, struct box bx)
{
	ck_add_obstacle(b, bx, false, false);
}

bool
ck_boxes_meet(struct box a, struct box c, double pad)
{
	return a.x0 < c.x1 + pad && c.x0 < a.x1 + pad &&
	    a.y0 < c.y1 + pad && c.y0 < a.y1 + pad;
}

double
ck_overlap_area(struct box a, struct box c)
{
	double w = fmin(a.x1, c.x1) - fmax(a.x0, c.x0);
	double h = fmin(a.y1, c.y1) - fmax(a.y0, c.y0);

	return w > 0 && h > 0 ? w * h : 0;
}

bool
ck_box_inside(struct box a, struct box bounds)
{
	return a.x0 >= bounds.x0 && a.x1 <= bounds.x1 &&
	    a.y0 >= bounds.y0 && a.y1 <= bounds.y1;
}

/*
 * What placing a label at bx costs: overlaps with labels and markers
 * count 1 plus their area, crossing a line counts soft_weight, leaving
 * bounds a million.  0 is a free place.
 */
double
ck_box_cost(const struct build *b, struct box bx, const struct box *bounds,
    double soft_weight)
{
	double c = 0;
	size_t i;

	for (i = 0; i < b->n_obst; i++) {
		if (!ck_boxes_meet(bx, b->obst[i].box, 1.0))
			continue;
		c += b->obst[i].soft ? soft_weight :
		    1 + ck_overlap_area(bx, b->obst[i].box);
	}
	if (bounds != NULL && !ck_box_inside(bx, *bounds))
		c += 1e6;
	return c;
}

/* 1 when another marker is nearer to the box than the one it labels. */
double
ck_ambiguity(const struct build *b, struct box bx, double x, double y)
{
	double cx = (bx.x0 + bx.x1) / 2, cy = (bx.y0 + bx.y1) / 2, own, mx, my;
	size_t i;

	own = hypot(cx - x, cy - y);
	for (i = 0; i < b->n_obst; i++) {
		if (!b->obst[i].marker)
			continue;
		mx = (b->obst[i].box.x0 + b->obst[i].box.x1) / 2;
		my = (b->obst[i].box.y0 + b->obst[i].box.y1) / 2;
		if (hypot(mx - x, my - y) > 0.5 && hypot(cx - mx, cy - my) < own)
			return 1;
	}
	return 0;
}

/* Hands the current cairo path over to the drawing with style. */
void
ck_emit(struct build *b, const struct draw_item *style)
{
	struct chart_ctx *cx = b->cx;
	cairo_path_t *p;
	cairo_path_data_t *pd;
	size_t n = 0;
	int i;

	p = cairo_copy_path(b->cr);
	if (p->status != CAIRO_STATUS_SUCCESS || p->num_data == 0)
		goto out;
	if ((size_t)p->num_data > cx->cap_ops) {
		cx->cap_ops = (size_t)p->num_data;
		cx->ops = xreallocarray(cx->ops, cx->cap_ops, sizeof(*cx->ops));
	}
	for (i = 0; i < p->num_data; i += p->data[i].header.length) {
		pd = &p->data[i];
		memset(&cx->ops[n], 0, sizeof(cx->ops[n]));
		switch (pd->header.type) {
		case CAIRO_PATH_MOVE_TO:
			cx->ops[n].op = DRAW_MOVE_TO;
			break;
		case CAIRO_PATH_LINE_TO:
			cx->ops[n].op = DRAW_LINE_TO;
			break;
		case CAIRO_PATH_CURVE_TO:
			cx->ops[n].op = DRAW_CURVE_TO;
			cx->ops[n].pt[1].x = pd[2].point.x;
			cx->ops[n].pt[1].y = pd[2].point.y;
			cx->ops[n].pt[2].x = pd[3].point.x;
			cx->ops[n].pt[2].y = pd[3].point.y;
			break;
		case CAIRO_PATH_CLOSE_PATH:
			cx->ops[n].op = DRAW_CLOSE;
			n++;
			continue;
		}
		cx->ops[n].pt[0].x = pd[1].point.x;
		cx->ops[n].pt[0].y = pd[1].point.y;
		n++;
	}
	/* cairo adds a move-to after a close: a trailing one draws nothing. */
	while (n > 0 && cx->ops[n - 1].op == DRAW_MOVE_TO)
		n--;
	if (n > 0)
		drawing_add_path(b->d, cx->ops, n, style);
out:
	cairo_path_destroy(p);
	cairo_new_path(b->cr);
}

struct draw_item
ck_st_line(struct draw_rgba c, double w)
{
	struct draw_item s;

	memset(&s, 0, sizeof(s));
	s.stroke = true;
	s.stroke_color = c;
	s.line_width = w;
	return s;
}

struct draw_item
ck_st_dash(struct draw_rgba c, double w, double on, double off)
{
	struct draw_item s = ck_st_line(c, w);

	s.dash[0] = on;
	s.dash[1] = off;
	s.n_dash = 2;
	return s;
}

struct draw_item
ck_st_fill(struct draw_rgba c)
{
	struct draw_item s;

	memset(&s, 0, sizeof(s));
	s.fill = true;
	s.fill_color = c;
	return s;
}

struct draw_item
ck_st_fill_line(struct draw_rgba f, struct draw_rgba c, double w)
{
	struct draw_item s = ck_st_line(c, w);

	s.fill = true;
	s.fill_color = f;
	return s;
}

double
ck_tw(const struct build *b, const char *s, double size, enum draw_font f)
{
	return b->m->width(b->m->ctx, s, size, f);
}

/* The box a label would take, without adding it. */
struct box
ck_text_box(const struct build *b, const char *s, double x, double y,
    double size, enum draw_font f, enum draw_halign ha, enum draw_valign va,
    double angle)
{
	struct draw_item it;
	double bx[4];

	memset(&it, 0, sizeof(it));
	it.kind = DRAW_TEXT;
	it.text = (char *)s;
	it.at.x = x;
	it.at.y = y;
	it.size = size;
	it.font = f;
	it.halign = ha;
	it.valign = va;
	it.angle_deg = angle;
	drawing_text_box(&it, b->m, bx);
	return (struct box){ bx[0], bx[1], bx[2], bx[3] };
}

struct box
ck_text(struct build *b, const char *s, double x, double y, double size,
    enum draw_font f, enum draw_halign ha, enum draw_valign va,
    struct draw_rgba color)
{
	drawing_add_text(b->d, s, x, y, size, f, ha, va, color);
	return ck_text_box(b, s, x, y, size, f, ha, va, 0);
}

/* ---- markers ---- */


/* Adds a marker of about radius r (points) at (x, y) to the current path. */
void
ck_mark_path(cairo_t *cr, enum mark k, double x, double y, double r)
{
	double a, rr;
	int i;

	switch (k) {
	case MK_NONE:
		break;
	case MK_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		cairo_close_path(cr);
		break;
	case MK_SQUARE:
		r *= 0.89;
		cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
		break;
	case MK_DIAMOND:
		r *= 1.25;
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + r, y);
		cairo_line_to(cr, x, y + r);
		cairo_line_to(cr, x - r, y);
		cairo_close_path(cr);
		break;
	case MK_TRIANGLE:
	case MK_TRIANGLE_DOWN:
		r *= 1.3;
		rr = k == MK_TRIANGLE ? 1 : -1;
		cairo_move_to(cr, x, y - rr * r);
		cairo_line_to(cr, x + r * 0.866, y + rr * r * 0.5);
		cairo_line_to(cr, x - r * 0.866, y + rr * r * 0.5);
		cairo_close_path(cr);
		break;
	case MK_CROSS:
		cairo_move_to(cr, x - r, y - r);
		cairo_line_to(cr, x + r, y + r);
		cairo_move_to(cr, x - r, y + r);
		cairo_line_to(cr, x + r, y - r);
		break;
	case MK_STAR:
		r *= 1.5;
		for (i = 0; i < 10; i++) {
			a = -M_PI / 2 + i * M_PI / 5;
			rr = (i & 1) ? r * 0.45 : r;
			if (i == 0)
				cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
			else
				cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
		}
		cairo_close_path(cr);
		break;
	}
}

struct box
ck_mark_box(double x, double y, double r)
{
	r *= 1.5;
	return (struct box){ x - r, y - r, x + r, y + r };
}

/* ---- label placement ---- */

/*
 * Places s near the marker at (x, y) of radius r: tries eight positions
 * around it at two distances and keeps the first that is inside bounds
 * and clear of every ck_obstacle (or the least bad one).  The label becomes
 * an obstacle.  Returns its box.
 */

struct box
ck_place_label(struct build *b, const char *s, double x, double y, double r,
    double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds)
{
	return ck_place_label_if(b, s, x, y, r, size, f, color, bounds, INFINITY);
}

/*
 * As place_label, but leaves the label out (and returns an empty box)
 * when its best place costs more than max_cost: on another label or a
 * marker costs at least 1.  For labels the legend repeats.
 */
struct box
ck_place_label_if(struct build *b, const char *s, double x, double y, double r,
    double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds, double max_cost)
{
	static const struct {
		double dx, dy;
		enum draw_halign ha;
		enum draw_valign va;
	} cand[8] = {
		{ 1, 0, DRAW_LEFT, DRAW_MIDDLE },
		{ 0, -1, DRAW_CENTER, DRAW_BOTTOM },
		{ 0, 1, DRAW_CENTER, DRAW_TOP },
		{ -1, 0, DRAW_RIGHT, DRAW_MIDDLE },
		{ 0.7, -0.7, DRAW_LEFT, DRAW_BOTTOM },
		{ -0.7, -0.7, DRAW_RIGHT, DRAW_BOTTOM },
		{ 0.7, 0.7, DRAW_LEFT, DRAW_TOP },
		{ -0.7, 0.7, DRAW_RIGHT, DRAW_TOP },
	};
	struct box bx, best_box = { 0, 0, 0, 0 };
	double best = INFINITY, c, dist, ax, ay;
	int i, ring, best_i = 0;

	/* Nearer is better than clear of lines; never on a marker or label. */
	for (ring = 0; ring < 3 && best > 0.01; ring++) {
		dist = r * 1.5 + 2 + ring * size * 1.2;
		for (i = 0; i < 8; i++) {
			ax = x + cand[i].dx * dist;
			ay = y + cand[i].dy * dist;
			bx = ck_text_box(b, s, ax, ay, size, f, cand[i].ha,
			    cand[i].va, 0);
			c = ck_box_cost(b, bx, bounds, 0.3) + ring * 0.5 +
			    ck_ambiguity(b, bx, x, y) * 0.8 + i * 0.001;
			if (c < best) {
				best = c;
				best_box = bx;
				best_i = ring * 8 + i;
			}
		}
	}
	if (best > max_cost)
		return (struct box){ 0, 0, 0, 0 };
	i = best_i % 8;
	dist = r * 1.5 + 2 + (best_i / 8) * size * 1.2;
	drawing_add_text(b->d, s, x + cand[i].dx * dist, y + cand[i].dy * dist,
	    size, f, cand[i].ha, cand[i].va, color);
	ck_obstacle(b, best_box);
	return best_box;
}

/* ---- legends ---- */


double
ck_legend_symbol_w(const struct legend_entry *e, double size)
{
	return e->kind == LG_LINE ? size * 2.2 : size * 1.1;
}

/*
 * Lays the entries out in centred rows within [x0, x0+width] from y0
 * down, drawing them when draw is set.  Returns the height used.
 */
double
ck_legend(struct build *b, const struct legend_entry *e, size_t n, double x0,
    double y0, double width, double size, bool draw)
{
	double row_h = size * 1.55, gap = size * 1.2, sym_gap = size * 0.4;
	double w[16], rw, x, y, cy, sw;
	size_t i, j, first;

	assert(n <= 16);
	for (i = 0; i < n; i++)
		w[i] = ck_legend_symbol_w(&e[i], size) + sym_gap +
		    ck_tw(b, e[i].label, size, DRAW_FONT_REGULAR);
	y = y0;
	for (first = 0; first < n; first = j) {
		rw = w[first];
		for (j = first + 1; j < n && rw + gap + w[j] <= width; j++)
			rw += gap + w[j];
		if (draw) {
			x = x0 + (width - rw) / 2;
			cy = y + row_h / 2;
			for (i = first; i < j; i++) {
				sw = ck_legend_symbol_w(&e[i], size);
				if (e[i].kind == LG_SWATCH) {
					cairo_rectangle(b->cr, x, cy - size * 0.4,
					    sw, size * 0.8);
					ck_emit(b, &e[i].style);
				} else if (e[i].kind == LG_LINE) {
					cairo_move_to(b->cr, x, cy);
					cairo_line_to(b->cr, x + sw, cy);
					ck_emit(b, &e[i].style);
				}
				if (e[i].mark != MK_NONE) {
					ck_mark_path(b->cr, e[i].mark, x + sw / 2, cy,
					    size * 0.3);
					ck_emit(b, &e[i].mark_style);
				}
				ck_text(b, e[i].label, x + sw + sym_gap, cy, size,
				    DRAW_FONT_REGULAR, DRAW_LEFT, DRAW_MIDDLE,
				    chart_text);
				x += w[i] + gap;
			}
		}
		y += row_h;
	}
	if (draw)
		ck_obstacle(b, (struct box){ x0, y0, x0 + width, y });
	return y - y0;
}

/* ---- by name ---- */

struct drawing *
chart_by_name(struct chart_ctx *cx, const char *name,
    const struct chart_inputs *in, double w, double h,
    const struct text_measurer *m)
{
	struct drawing *d = NULL;
	char *alt = NULL;

	if (h <= 0)
		h = chart_default_height(name, w);
	if (strcmp(name, "radar") == 0 && in->radar) {
		d = chart_radar(cx, in->radar, w, h, m);
		alt = chart_alt_radar(in->radar);
	} else if (strcmp(name, "archmap") == 0 && in->archmap) {
		d = chart_archmap(cx, in->archmap, w, h, m);
		alt = chart_alt_archmap(in->archmap);
	} else if (strcmp(name, "contexts") == 0 && in->ctxbars) {
		d = chart_ctxbars(cx, in->ctxbars, w, h, m);
		alt = chart_alt_ctxbars(in->ctxbars);
	} else if (strcmp(name, "designspace") == 0 && in->designspace) {
		d = chart_designspace(cx, in->designspace, w, h, m);
		alt = chart_alt_designspace(in->designspace);
	} else if (strcmp(name, "class-completion") == 0 && in->class_completion) {
		d = chart_class_completion(cx, in->class_completion, w, h, m);
		alt = chart_alt_class_completion(in->class_completion);
	} else if (strcmp(name, "class-radar") == 0 && in->class_radar) {
		d = chart_class_radar(cx, in->class_radar, w, h, m);
		alt = chart_alt_class_radar(in->class_radar);
	} else if (strcmp(name, "class-scatter") == 0 && in->class_scatter) {
		d = chart_class_scatter(cx, in->class_scatter, w, h, m);
		alt = chart_alt_class_scatter(in->class_scatter);
	}
	if (d != NULL) {
		free(d->alt);
		d->alt = alt;
	} else {
		free(alt);
	}
	return d;
}

/*
 * What the printed reports have always used (the layout's 0.6 of the
 * width), except for the two bar charts, which the templates size
 * themselves.  Change a proportion here and every report, figure file and
 * chart reference follows.
 */
double
chart_default_height(const char *name, double w)
{
	if (strcmp(name, "contexts") == 0)
		return fmin(w * 0.45, 150);
	if (strcmp(name, "class-completion") == 0)
		return w * 0.5;
	return w * 0.6;
}
