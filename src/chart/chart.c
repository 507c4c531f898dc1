/*
 * chart: the report's charts.  Input: the plain structs of chart.h (built
 * from the audit, the engine's metrics and census, or a class summary)
 * and a size in points; output: a struct drawing of paths and labels.
 * Geometry is built on a cairo context over a recording surface that is
 * never painted: arcs, markers and polylines become cairo paths, and
 * cairo_copy_path hands each one over with its style.  Labels are DRAW_TEXT
 * items placed with the caller's text_measurer, so that the report sets
 * them in its own fonts; a placement is kept only where it overlaps no
 * other label, marker or the plot.  This file and drawing.c are the only
 * ones that include cairo.h.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "act1.h"
#include "chart.h"
#include "drawing.h"
#include "util.h"

#define MEASURE_UNITS 1000.0    /* size of the cached measuring fonts */
#define FS_MAX 9.5              /* label sizes, points */
#define FS_MIN 7.0              /* no chart text is smaller (print legibility) */
#define PAD 4.0                 /* outer margin, points */

struct chart_ctx {
	cairo_surface_t *scratch;      /* recording surface, never painted */
	cairo_t *cr;                   /* geometry is built here */
	cairo_scaled_font_t *font[3];  /* DejaVu Sans, indexed by draw_font */
	struct draw_path_op *ops;      /* conversion buffer */
	size_t cap_ops;
};

#define RGB(r, g, b) { (r) / 255.0, (g) / 255.0, (b) / 255.0, 1.0 }
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
static const struct draw_rgba white = RGB(0xff, 0xff, 0xff);

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

static struct draw_rgba
alpha(struct draw_rgba c, double a)
{
	c.a = a;
	return c;
}

/* ---- context and measurer ---- */

static void
ctx_reset_cr(struct chart_ctx *cx)
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
	ctx_reset_cr(cx);
	return cx;
}

/*
 * The measuring fonts are made on first use: they start fontconfig, which
 * a report (measured with the report's own fonts) never needs.
 */
static void
ensure_fonts(struct chart_ctx *cx)
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

static double
cairo_measure(void *ctx, const char *utf8, double size, enum draw_font font)
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

	ensure_fonts(cx);
	m.width = cairo_measure;
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

struct box {
	double x0, y0, x1, y1;         /* points */
};

struct obst {
	struct box box;                /* points */
	bool soft;                     /* a line: crossing it is a small fault */
	bool marker;                   /* a data marker, to keep labels near their own */
};

struct build {
	struct chart_ctx *cx;
	cairo_t *cr;
	struct drawing *d;
	const struct text_measurer *m;
	double fs;                     /* base label size, points */
	struct obst *obst;             /* what later labels must avoid */
	size_t n_obst, cap_obst;
};

static double
base_font_size(double w, double h)
{
	return fmax(FS_MIN + 1.0, fmin(FS_MAX, fmin(w / 42, h / 28)));
}

/* A derived label size, never below FS_MIN. */
static double
lsz(double size)
{
	return fmax(FS_MIN, size);
}

static void
b_init(struct build *b, struct chart_ctx *cx, double w, double h,
    const struct text_measurer *m)
{
	memset(b, 0, sizeof(*b));
	if (cairo_status(cx->cr) != CAIRO_STATUS_SUCCESS)
		ctx_reset_cr(cx);
	b->cx = cx;
	b->cr = cx->cr;
	cairo_new_path(b->cr);
	b->d = drawing_new(w, h);
	b->m = m;
	b->fs = base_font_size(w, h);
}

static struct drawing *
b_done(struct build *b)
{
	free(b->obst);
	cairo_new_path(b->cr);
	return b->d;
}

static void
add_obstacle(struct build *b, struct box bx, bool soft, bool marker)
{
	if (b->n_obst == b->cap_obst) {
		b->cap_obst = b->cap_obst ? b->cap_obst * 2 : 32;
		b->obst = xreallocarray(b->obst, b->cap_obst, sizeof(*b->obst));
	}
	b->obst[b->n_obst].box = bx;
	b->obst[b->n_obst].soft = soft;
	b->obst[b->n_obst++].marker = marker;
}

static void
obstacle(struct build *b, struct box bx)
{
	add_obstacle(b, bx, false, false);
}

static bool
boxes_meet(struct box a, struct box c, double pad)
{
	return a.x0 < c.x1 + pad && c.x0 < a.x1 + pad &&
	    a.y0 < c.y1 + pad && c.y0 < a.y1 + pad;
}

static double
overlap_area(struct box a, struct box c)
{
	double w = fmin(a.x1, c.x1) - fmax(a.x0, c.x0);
	double h = fmin(a.y1, c.y1) - fmax(a.y0, c.y0);

	return w > 0 && h > 0 ? w * h : 0;
}

static bool
box_inside(struct box a, struct box bounds)
{
	return a.x0 >= bounds.x0 && a.x1 <= bounds.x1 &&
	    a.y0 >= bounds.y0 && a.y1 <= bounds.y1;
}

/*
 * What placing a label at bx costs: overlaps with labels and markers
 * count 1 plus their area, crossing a line counts soft_weight, leaving
 * bounds a million.  0 is a free place.
 */
static double
box_cost(const struct build *b, struct box bx, const struct box *bounds,
    double soft_weight)
{
	double c = 0;
	size_t i;

	for (i = 0; i < b->n_obst; i++) {
		if (!boxes_meet(bx, b->obst[i].box, 1.0))
			continue;
		c += b->obst[i].soft ? soft_weight :
		    1 + overlap_area(bx, b->obst[i].box);
	}
	if (bounds != NULL && !box_inside(bx, *bounds))
		c += 1e6;
	return c;
}

/* 1 when another marker is nearer to the box than the one it labels. */
static double
ambiguity(const struct build *b, struct box bx, double x, double y)
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
static void
emit(struct build *b, const struct draw_item *style)
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

static struct draw_item
st_line(struct draw_rgba c, double w)
{
	struct draw_item s;

	memset(&s, 0, sizeof(s));
	s.stroke = true;
	s.stroke_color = c;
	s.line_width = w;
	return s;
}

static struct draw_item
st_dash(struct draw_rgba c, double w, double on, double off)
{
	struct draw_item s = st_line(c, w);

	s.dash[0] = on;
	s.dash[1] = off;
	s.n_dash = 2;
	return s;
}

static struct draw_item
st_fill(struct draw_rgba c)
{
	struct draw_item s;

	memset(&s, 0, sizeof(s));
	s.fill = true;
	s.fill_color = c;
	return s;
}

static struct draw_item
st_fill_line(struct draw_rgba f, struct draw_rgba c, double w)
{
	struct draw_item s = st_line(c, w);

	s.fill = true;
	s.fill_color = f;
	return s;
}

static double
tw(const struct build *b, const char *s, double size, enum draw_font f)
{
	return b->m->width(b->m->ctx, s, size, f);
}

/* The box a label would take, without adding it. */
static struct box
text_box(const struct build *b, const char *s, double x, double y,
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

static struct box
text(struct build *b, const char *s, double x, double y, double size,
    enum draw_font f, enum draw_halign ha, enum draw_valign va,
    struct draw_rgba color)
{
	drawing_add_text(b->d, s, x, y, size, f, ha, va, color);
	return text_box(b, s, x, y, size, f, ha, va, 0);
}

/* ---- markers ---- */

enum mark {
	MK_NONE, MK_CIRCLE, MK_SQUARE, MK_DIAMOND, MK_TRIANGLE, MK_TRIANGLE_DOWN,
	MK_CROSS, MK_STAR
};

/* Adds a marker of about radius r (points) at (x, y) to the current path. */
static void
mark_path(cairo_t *cr, enum mark k, double x, double y, double r)
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

static struct box
mark_box(double x, double y, double r)
{
	r *= 1.5;
	return (struct box){ x - r, y - r, x + r, y + r };
}

/* ---- label placement ---- */

/*
 * Places s near the marker at (x, y) of radius r: tries eight positions
 * around it at two distances and keeps the first that is inside bounds
 * and clear of every obstacle (or the least bad one).  The label becomes
 * an obstacle.  Returns its box.
 */
static struct box place_label_if(struct build *b, const char *s, double x,
    double y, double r, double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds, double max_cost);

static struct box
place_label(struct build *b, const char *s, double x, double y, double r,
    double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds)
{
	return place_label_if(b, s, x, y, r, size, f, color, bounds, INFINITY);
}

/*
 * As place_label, but leaves the label out (and returns an empty box)
 * when its best place costs more than max_cost: on another label or a
 * marker costs at least 1.  For labels the legend repeats.
 */
static struct box
place_label_if(struct build *b, const char *s, double x, double y, double r,
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
			bx = text_box(b, s, ax, ay, size, f, cand[i].ha,
			    cand[i].va, 0);
			c = box_cost(b, bx, bounds, 0.3) + ring * 0.5 +
			    ambiguity(b, bx, x, y) * 0.8 + i * 0.001;
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
	obstacle(b, best_box);
	return best_box;
}

/* ---- legends ---- */

enum lg_kind { LG_SWATCH, LG_LINE, LG_MARK };

struct legend_entry {
	const char *label;
	enum lg_kind kind;
	struct draw_item style;        /* the swatch or line */
	enum mark mark;                /* drawn on top; MK_NONE for none */
	struct draw_item mark_style;
};

static double
legend_symbol_w(const struct legend_entry *e, double size)
{
	return e->kind == LG_LINE ? size * 2.2 : size * 1.1;
}

/*
 * Lays the entries out in centred rows within [x0, x0+width] from y0
 * down, drawing them when draw is set.  Returns the height used.
 */
static double
legend(struct build *b, const struct legend_entry *e, size_t n, double x0,
    double y0, double width, double size, bool draw)
{
	double row_h = size * 1.55, gap = size * 1.2, sym_gap = size * 0.4;
	double w[16], rw, x, y, cy, sw;
	size_t i, j, first;

	assert(n <= 16);
	for (i = 0; i < n; i++)
		w[i] = legend_symbol_w(&e[i], size) + sym_gap +
		    tw(b, e[i].label, size, DRAW_FONT_REGULAR);
	y = y0;
	for (first = 0; first < n; first = j) {
		rw = w[first];
		for (j = first + 1; j < n && rw + gap + w[j] <= width; j++)
			rw += gap + w[j];
		if (draw) {
			x = x0 + (width - rw) / 2;
			cy = y + row_h / 2;
			for (i = first; i < j; i++) {
				sw = legend_symbol_w(&e[i], size);
				if (e[i].kind == LG_SWATCH) {
					cairo_rectangle(b->cr, x, cy - size * 0.4,
					    sw, size * 0.8);
					emit(b, &e[i].style);
				} else if (e[i].kind == LG_LINE) {
					cairo_move_to(b->cr, x, cy);
					cairo_line_to(b->cr, x + sw, cy);
					emit(b, &e[i].style);
				}
				if (e[i].mark != MK_NONE) {
					mark_path(b->cr, e[i].mark, x + sw / 2, cy,
					    size * 0.3);
					emit(b, &e[i].mark_style);
				}
				text(b, e[i].label, x + sw + sym_gap, cy, size,
				    DRAW_FONT_REGULAR, DRAW_LEFT, DRAW_MIDDLE,
				    chart_text);
				x += w[i] + gap;
			}
		}
		y += row_h;
	}
	if (draw)
		obstacle(b, (struct box){ x0, y0, x0 + width, y });
	return y - y0;
}

/* ---- axes and frames ---- */

typedef void (*tick_fmt)(double v, char out[32]);

#define MAX_TICKS 48
static double fit_size(const struct build *, const char *, double, double);
#define TICK_GAP 5.0                /* plot edge to x tick labels, points */

struct frame {
	struct box plot;               /* points */
	struct chart_axis x, y;
	double fs, tick_fs;            /* points */
	const char *xtitle, *ytitle;
	const char *ytitle_short;      /* for plots too short for ytitle */
	tick_fmt xfmt, yfmt;
	double xt[MAX_TICKS], yt[MAX_TICKS];
	int xprio[MAX_TICKS], yprio[MAX_TICKS];
	int nxt, nyt;
};

static int
axis_ticks(const struct chart_axis *a, double *t, int *prio)
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
static void
nice_log_range(double *lo, double *hi)
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
static void
snug_log_hi(double *hi, double data_hi)
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
static void
leader(struct build *b, struct box lb, double x, double y, double r)
{
	double lx = fmin(fmax(x, lb.x0), lb.x1), ly = fmin(fmax(y, lb.y0), lb.y1);
	double d = hypot(lx - x, ly - y);
	struct draw_item st;

	if (lb.x1 <= lb.x0 || d < r * 1.5 + 6)
		return;
	cairo_move_to(b->cr, x + (lx - x) * r / d, y + (ly - y) * r / d);
	cairo_line_to(b->cr, lx - (lx - x) * 1.5 / d, ly - (ly - y) * 1.5 / d);
	st = st_line(chart_blue, 0.6);
	emit(b, &st);
}

static void
fmt_plain(double v, char out[32])
{
	snprintf(out, 32, "%g", v);
}

static void
fmt_ms(double v, char out[32])
{
	if (v >= 1000)
		snprintf(out, 32, "%gk", v / 1000);
	else
		snprintf(out, 32, "%g", v);
}

static void
fmt_pct(double v, char out[32])
{
	snprintf(out, 32, "%g\xc2\xa0%%", v);
}

/*
 * Places the plot box inside area, leaving room for tick labels and axis
 * titles; x and y must have lo, hi and log set.
 */
static void
frame_layout(struct build *b, struct frame *f, struct box area)
{
	char s[32];
	double yw = 0, th, lh;
	int i;

	f->fs = b->fs;
	f->tick_fs = lsz(b->fs * 0.9);
	f->nxt = axis_ticks(&f->x, f->xt, f->xprio);
	f->nyt = axis_ticks(&f->y, f->yt, f->yprio);
	for (i = 0; i < f->nyt; i++) {
		f->yfmt(f->yt[i], s);
		yw = fmax(yw, tw(b, s, f->tick_fs, DRAW_FONT_REGULAR));
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
static void
tick_labels(struct build *b, const struct frame *f, bool xaxis,
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
				bx = text_box(b, s, pos, f->plot.y1 + TICK_GAP,
				    f->tick_fs, DRAW_FONT_REGULAR, DRAW_CENTER,
				    DRAW_TOP, 0);
			} else {
				pos = chart_axis_map(&f->y, t[i]);
				bx = text_box(b, s, f->plot.x0 - 3, pos,
				    f->tick_fs, DRAW_FONT_REGULAR, DRAW_RIGHT,
				    DRAW_MIDDLE, 0);
			}
			/* Tick labels of one axis keep some air between
			 * them; the two axes' labels only must not touch. */
			clash = false;
			for (k = 0; k < np; k++)
				if (boxes_meet(bx, placed[k], k < *n_placed ?
				    0.0 : xaxis ? 3 : 1))
					clash = true;
			if (clash)
				continue;
			placed[np++] = bx;
			if (xaxis)
				text(b, s, pos, f->plot.y1 + TICK_GAP, f->tick_fs,
				    DRAW_FONT_REGULAR, DRAW_CENTER, DRAW_TOP,
				    chart_muted);
			else
				text(b, s, f->plot.x0 - 3, pos, f->tick_fs,
				    DRAW_FONT_REGULAR, DRAW_RIGHT, DRAW_MIDDLE,
				    chart_muted);
		}
	*n_placed = np;
}

/* Grid, border, tick labels and axis titles. */
static void
frame_draw(struct build *b, const struct frame *f)
{
	struct draw_item grid = st_line(chart_grid, 0.5);
	struct draw_item border = st_line(alpha(chart_muted, 0.8), 0.6);
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
	emit(b, &grid);
	cairo_rectangle(b->cr, f->plot.x0, f->plot.y0,
	    f->plot.x1 - f->plot.x0, f->plot.y1 - f->plot.y0);
	emit(b, &border);
	tick_labels(b, f, false, placed, &np);
	tick_labels(b, f, true, placed, &np);
	if (f->xtitle != NULL)
		text(b, f->xtitle, (f->plot.x0 + f->plot.x1) / 2,
		    f->plot.y1 + f->tick_fs + TICK_GAP + 4, f->fs,
		    DRAW_FONT_REGULAR,
		    DRAW_CENTER, DRAW_TOP, chart_text);
	if (f->ytitle != NULL) {
		yt = f->ytitle;
		room = fmin(f->plot.y1 - f->plot.y0 + 2 * f->tick_fs,
		    b->d->height - 2 * PAD);
		size = f->fs;
		if (tw(b, yt, size, DRAW_FONT_REGULAR) > room &&
		    f->ytitle_short != NULL)
			yt = f->ytitle_short;
		size = fit_size(b, yt, size, room);
		/* Centred on the plot, but never out of the drawing. */
		y = (f->plot.y0 + f->plot.y1) / 2;
		half = tw(b, yt, size, DRAW_FONT_REGULAR) / 2;
		y = fmax(PAD + half, fmin(b->d->height - PAD - half, y));
		it = drawing_add_text(b->d, yt, PAD, y, size, DRAW_FONT_REGULAR,
		    DRAW_CENTER, DRAW_TOP, chart_text);
		it->angle_deg = 90;
	}
}

/* Fits a (possibly too long) axis title to width by shrinking its size. */
static double
fit_size(const struct build *b, const char *s, double size, double width)
{
	double w = tw(b, s, size, DRAW_FONT_REGULAR);

	return w > width ? fmax(FS_MIN, size * width / w) : size;
}

/* ---- radar ---- */

#define RL_LINES 3

struct rlabel {
	char line[RL_LINES][64];
	double size[RL_LINES];         /* points */
	enum draw_font font[RL_LINES];
	bool muted[RL_LINES];
	bool weakest[RL_LINES];        /* the "weakest" mark, in red */
	int n;
	double w, h;                   /* points */
	enum draw_halign ha;
	struct box box;                /* relative to the centre, then absolute */
};

static void
rlabel_make(const struct build *b, struct rlabel *l, const char *name,
    bool nodata, bool weakest, double fs, bool wrap)
{
	const char *sp, *best = NULL;
	size_t len = strlen(name), mid = len / 2;
	int i;

	memset(l, 0, sizeof(*l));
	if (wrap)
		for (sp = strchr(name, ' '); sp != NULL; sp = strchr(sp + 1, ' '))
			if (best == NULL || labs((long)(sp - name) - (long)mid) <
			    labs((long)(best - name) - (long)mid))
				best = sp;
	if (best != NULL) {
		snprintf(l->line[0], sizeof(l->line[0]), "%.*s",
		    (int)(best - name), name);
		snprintf(l->line[1], sizeof(l->line[1]), "%s", best + 1);
		l->n = 2;
	} else {
		snprintf(l->line[0], sizeof(l->line[0]), "%s", name);
		l->n = 1;
	}
	for (i = 0; i < l->n; i++) {
		char *p = prose_apostrophes(l->line[i]);   /* "Little’s Law" */
		snprintf(l->line[i], sizeof(l->line[i]), "%s", p);
		free(p);
		l->size[i] = fs;
		l->font[i] = weakest ? DRAW_FONT_BOLD : DRAW_FONT_REGULAR;
	}
	if (weakest && l->n < RL_LINES) {
		snprintf(l->line[l->n], sizeof(l->line[0]), "weakest");
		l->size[l->n] = lsz(fs * 0.85);
		l->font[l->n] = DRAW_FONT_BOLD;
		l->weakest[l->n] = true;
		l->n++;
	}
	if (nodata && l->n < RL_LINES) {
		snprintf(l->line[l->n], sizeof(l->line[0]), "no data");
		l->size[l->n] = lsz(fs * 0.85);
		l->font[l->n] = DRAW_FONT_ITALIC;
		l->muted[l->n] = true;
		l->n++;
	}
	for (i = 0; i < l->n; i++) {
		l->w = fmax(l->w, tw(b, l->line[i], l->size[i], l->font[i]));
		l->h += l->size[i] * (i + 1 < l->n ? 1.15 : 1.0);
	}
}

static double
box_dist(struct box bx)
{
	double dx = fmax(fmax(bx.x0, -bx.x1), 0);
	double dy = fmax(fmax(bx.y0, -bx.y1), 0);

	return hypot(dx, dy);
}

/*
 * Puts label l outside the disc of radius r + gap around the origin along
 * angle a: aligned away from the centre, then pushed out until clear.
 */
static void
rlabel_place(struct rlabel *l, double a, double r, double gap)
{
	double c = cos(a), s = sin(a), rho = r + gap, x, y, d;
	int k;

	l->ha = c > 0.35 ? DRAW_LEFT : c < -0.35 ? DRAW_RIGHT : DRAW_CENTER;
	for (k = 0; k < 12; k++) {
		x = rho * c;
		y = rho * s;
		l->box.x0 = l->ha == DRAW_LEFT ? x : l->ha == DRAW_RIGHT ?
		    x - l->w : x - l->w / 2;
		l->box.y0 = s > 0.35 ? y : s < -0.35 ? y - l->h : y - l->h / 2;
		l->box.x1 = l->box.x0 + l->w;
		l->box.y1 = l->box.y0 + l->h;
		d = box_dist(l->box);
		if (d >= r + gap - 1e-9)
			break;
		rho += r + gap - d + 0.25;
	}
}

/* Extents (left, top, right, bottom) of disc and labels around the centre. */
static void
radar_extents(struct rlabel *l, const double *ang, double r, double gap,
    double e[4])
{
	int i;

	e[0] = e[1] = e[2] = e[3] = r;
	for (i = 0; i < N_INVARIANTS; i++) {
		rlabel_place(&l[i], ang[i], r, gap);
		e[0] = fmax(e[0], -l[i].box.x0);
		e[1] = fmax(e[1], -l[i].box.y0);
		e[2] = fmax(e[2], l[i].box.x1);
		e[3] = fmax(e[3], l[i].box.y1);
	}
}

static bool
rlabels_disjoint(const struct rlabel *l)
{
	int i, j;

	for (i = 0; i < N_INVARIANTS; i++)
		for (j = i + 1; j < N_INVARIANTS; j++)
			if (boxes_meet(l[i].box, l[j].box, 1.0))
				return false;
	return true;
}

struct radar_plan {
	struct radar_layout lay;
	struct rlabel label[N_INVARIANTS];
	double gap;                    /* disc to labels, points */
	double legend_fs;              /* points */
};

/*
 * Chooses the label size and wrapping that give the largest disc, first
 * among sizes that leave the disc at least 30 % of the plot's side, and
 * places everything.  The legend (entries lg) goes below.
 */
static void
radar_plan(struct build *b, const char *const *names, const bool *nodata,
    int weakest, const struct legend_entry *lg, size_t n_lg, struct radar_plan *p)
{
	struct rlabel cand[N_INVARIANTS];
	struct radar_plan best;
	double W = b->d->width, H = b->d->height, fs, lfs, lh, pw, ph;
	double lo, hi, mid, e[4], gap, score, best_score = -INFINITY;
	bool wrap, ok;
	int i, it;

	memset(&best, 0, sizeof(best));
	for (i = 0; i < N_INVARIANTS; i++)
		best.lay.angle_rad[i] = -M_PI / 2 + 2 * M_PI * i / N_INVARIANTS;
	for (fs = b->fs; fs >= FS_MIN - 1e-9; fs -= 0.5) {
		lfs = fmax(FS_MIN, fs * 0.92);
		lh = legend(b, lg, n_lg, PAD, 0, W - 2 * PAD, lfs, false);
		pw = W - 2 * PAD;
		ph = H - 2 * PAD - lh - 4;
		gap = fmax(3, fs * 0.5);
		for (wrap = false;; wrap = true) {
			for (i = 0; i < N_INVARIANTS; i++)
				rlabel_make(b, &cand[i], names[i], nodata[i],
				    i == weakest, fs, wrap);
			lo = 0;
			hi = fmax(0, fmin(pw, ph) / 2);
			for (it = 0; it < 30; it++) {
				mid = (lo + hi) / 2;
				radar_extents(cand, best.lay.angle_rad, mid,
				    gap, e);
				if (e[0] + e[2] <= pw && e[1] + e[3] <= ph)
					lo = mid;
				else
					hi = mid;
			}
			radar_extents(cand, best.lay.angle_rad, lo, gap, e);
			ok = rlabels_disjoint(cand) && lo > 0;
			/* Prefer disjoint labels, then the largest size that
			 * keeps a fair disc, then the largest disc. */
			score = (ok ? 2e6 : 0) +
			    (lo >= 0.3 * fmin(pw, ph) ? 1e6 + fs * 1e3 : 0) + lo;
			if (score > best_score) {
				best_score = score;
				memcpy(best.label, cand, sizeof(cand));
				best.lay.radius = lo;
				best.lay.font_size = fs;
				best.lay.cx = PAD + e[0] + (pw - e[0] - e[2]) / 2;
				best.lay.cy = PAD + e[1] + (ph - e[1] - e[3]) / 2;
				best.lay.legend_top = H - PAD - lh;
				best.gap = gap;
				best.legend_fs = lfs;
			}
			if (wrap)
				break;
		}
		if (best_score >= 3e6)
			break;
	}
	for (i = 0; i < N_INVARIANTS; i++) {
		best.label[i].box.x0 += best.lay.cx;
		best.label[i].box.x1 += best.lay.cx;
		best.label[i].box.y0 += best.lay.cy;
		best.label[i].box.y1 += best.lay.cy;
		best.lay.label_box[i][0] = best.label[i].box.x0;
		best.lay.label_box[i][1] = best.label[i].box.y0;
		best.lay.label_box[i][2] = best.label[i].box.x1;
		best.lay.label_box[i][3] = best.label[i].box.y1;
	}
	*p = best;
}

static void
radar_point(const struct radar_layout *l, int i, double v, double *x,
    double *y)
{
	v = fmin(fmax(v, 0), 1);
	*x = l->cx + l->radius * v * cos(l->angle_rad[i]);
	*y = l->cy + l->radius * v * sin(l->angle_rad[i]);
}

static void
radar_polygon(struct build *b, const struct radar_layout *l, const double *v)
{
	double x, y;
	int i;

	for (i = 0; i < N_INVARIANTS; i++) {
		radar_point(l, i, v[i], &x, &y);
		if (i == 0)
			cairo_move_to(b->cr, x, y);
		else
			cairo_line_to(b->cr, x, y);
	}
	cairo_close_path(b->cr);
}

/* Rings, spokes, ring labels and axis labels. */
/*
 * The bisector (between axes i and i + 1) for the ring values where they
 * meet the fewest of the series' edges: an edge between values u and v
 * crosses it at 2uv cos(pi/7) / (u + v) of the radius.
 */
static int
ring_label_gap(const double *const *series, int n_series)
{
	double u, v, x, cost, best = INFINITY;
	int i, j, k, best_i = 0;

	for (i = 0; i < N_INVARIANTS; i++) {
		cost = 0;
		for (j = 0; j < n_series; j++) {
			u = fmin(fmax(series[j][i], 0), 1);
			v = fmin(fmax(series[j][(i + 1) % N_INVARIANTS], 0), 1);
			x = u + v > 0 ? 2 * u * v * cos(M_PI / N_INVARIANTS) /
			    (u + v) : 0;
			for (k = 1; k <= 4; k++)
				if (fabs(x - k / 4.0) < 0.1)
					cost += 1;
			cost += 0.01 * fmax(u, v);
		}
		if (cost < best - 1e-9) {
			best = cost;
			best_i = i;
		}
	}
	return best_i;
}

static void
radar_grid(struct build *b, const struct radar_plan *p, const bool *nodata)
{
	const struct radar_layout *l = &p->lay;
	struct draw_item ring = st_line(chart_grid, 0.6);
	struct draw_item nd = st_dash(chart_muted, 0.8, 2, 2);
	const struct rlabel *rl;
	double x, y, ty;
	int i, k;

	for (k = 1; k <= 4; k++) {
		cairo_new_sub_path(b->cr);
		cairo_arc(b->cr, l->cx, l->cy, l->radius * k / 4, 0, 2 * M_PI);
		cairo_close_path(b->cr);
	}
	for (i = 0; i < N_INVARIANTS; i++) {
		if (nodata[i])
			continue;
		radar_point(l, i, 1, &x, &y);
		cairo_move_to(b->cr, l->cx, l->cy);
		cairo_line_to(b->cr, x, y);
	}
	emit(b, &ring);
	for (i = 0; i < N_INVARIANTS; i++) {
		if (!nodata[i])
			continue;
		radar_point(l, i, 1, &x, &y);
		cairo_move_to(b->cr, l->cx, l->cy);
		cairo_line_to(b->cr, x, y);
		emit(b, &nd);
	}
	for (i = 0; i < N_INVARIANTS; i++) {
		rl = &p->label[i];
		ty = rl->box.y0;
		for (k = 0; k < rl->n; k++) {
			x = rl->ha == DRAW_LEFT ? rl->box.x0 : rl->ha ==
			    DRAW_RIGHT ? rl->box.x1 : (rl->box.x0 + rl->box.x1) / 2;
			text(b, rl->line[k], x, ty, rl->size[k], rl->font[k],
			    rl->ha, DRAW_TOP, rl->weakest[k] ? chart_red :
			    rl->muted[k] ? chart_muted : chart_text);
			ty += rl->size[k] * 1.15;
		}
	}
}

/*
 * The ring values along the bisector where the data is least, drawn over
 * the data on a white plate, so no translucent fill ever covers them.
 */
static void
radar_ring_values(struct build *b, const struct radar_plan *p, int gap)
{
	const struct radar_layout *l = &p->lay;
	struct draw_item back = st_fill(white);   /* opaque: PDF/A-1b repaints nothing */
	struct box bx, prev;
	double x, y, a, rs, w;
	char s[16];
	int k;

	a = -M_PI / 2 + M_PI * (2 * gap + 1) / N_INVARIANTS;
	rs = lsz(l->font_size * 0.78);
	prev = (struct box){ 0, 0, 0, 0 };
	for (k = 4; k >= 1; k--) {
		snprintf(s, sizeof(s), "%d\xc2\xa0%%", k * 25);
		x = l->cx + l->radius * k / 4 * cos(a);
		y = l->cy + l->radius * k / 4 * sin(a);
		w = tw(b, s, rs, DRAW_FONT_REGULAR);
		/* On a small disc the inner values would meet: the outer win. */
		bx = (struct box){ x - w / 2 - 1, y - rs * 0.5 - 1, x + w / 2 + 1,
		    y + rs * 0.5 + 1 };
		if (k < 4 && boxes_meet(bx, prev, 0.5))
			continue;
		prev = bx;
		cairo_rectangle(b->cr, x - w / 2 - 1, y - rs * 0.5 - 1, w + 2,
		    rs + 2);
		emit(b, &back);
		text(b, s, x, y, rs, DRAW_FONT_REGULAR, DRAW_CENTER,
		    DRAW_MIDDLE, chart_muted);
	}
}

void
chart_radar_from_act1(const struct act1 *a, struct radar_data *out)
{
	int i;

	for (i = 0; i < N_INVARIANTS; i++) {
		out->names[i] = a->inv[i].name;
		out->correct[i] = a->inv[i].correct_rate;
		out->hit[i] = a->inv[i].hit_rate;
		out->has_data[i] = a->inv[i].n > 0;
	}
	/* The fallback weakest (no scored invariant) is not marked. */
	out->weakest = a->weakest >= 0 && a->weakest < N_INVARIANTS &&
	    a->inv[a->weakest].n > 0 ? a->weakest : -1;
}

static void
radar_legend(const struct radar_data *r, struct legend_entry *lg, size_t *n)
{
	bool any_missing = false;
	int i;

	for (i = 0; i < N_INVARIANTS; i++)
		if (!r->has_data[i])
			any_missing = true;
	memset(lg, 0, 3 * sizeof(*lg));
	lg[0].label = "Prediction accuracy";
	lg[0].kind = LG_SWATCH;
	lg[0].style = st_fill_line(alpha(chart_green, 0.18), chart_green, 1.2);
	lg[0].mark = MK_CIRCLE;
	lg[0].mark_style = st_fill(chart_green);
	lg[1].label = "Constraint-hit rate";
	lg[1].kind = LG_LINE;
	lg[1].style = st_dash(chart_red, 1.4, 4, 2.5);
	lg[1].mark = MK_SQUARE;
	lg[1].mark_style = st_fill(chart_red);
	*n = 2;
	if (any_missing) {
		lg[2].label = "No data: a placeholder at 50\xc2\xa0%, not a score";
		lg[2].kind = LG_MARK;
		lg[2].mark = MK_CIRCLE;
		lg[2].mark_style = st_fill_line(white, chart_muted, 1.0);
		*n = 3;
	}
}

void
chart_radar_layout(struct chart_ctx *cx, const struct radar_data *r,
    double width_pt, double height_pt, const struct text_measurer *m,
    struct radar_layout *out)
{
	struct legend_entry lg[3];
	struct radar_plan p;
	struct build b;
	bool nodata[N_INVARIANTS];
	size_t n_lg;
	int i;

	for (i = 0; i < N_INVARIANTS; i++)
		nodata[i] = !r->has_data[i];
	radar_legend(r, lg, &n_lg);
	b_init(&b, cx, width_pt, height_pt, m);
	radar_plan(&b, r->names, nodata, r->weakest, lg, n_lg, &p);
	drawing_free(b_done(&b));
	*out = p.lay;
}

/*
 * The student's radar.  With every invariant scored, prediction accuracy
 * is a filled polygon; otherwise only the edges between two scored axes
 * are drawn, so that no placeholder is filled in as a score, and a no-data
 * axis has a hollow marker at the 50 % placeholder.  The weakest
 * invariant's label is bold and marked "weakest", and a ring circles its
 * vertex.
 */
struct drawing *
chart_radar(struct chart_ctx *cx, const struct radar_data *r, double width_pt,
    double height_pt, const struct text_measurer *m)
{
	struct legend_entry lg[3];
	struct radar_plan p;
	struct build b;
	struct draw_item st;
	bool nodata[N_INVARIANTS], all = true;
	const double *series[2] = { r->correct, r->hit };
	double x, y, x2, y2, mr;
	size_t n_lg;
	int i, j;

	for (i = 0; i < N_INVARIANTS; i++) {
		nodata[i] = !r->has_data[i];
		all &= !nodata[i];
	}
	radar_legend(r, lg, &n_lg);
	b_init(&b, cx, width_pt, height_pt, m);
	radar_plan(&b, r->names, nodata, r->weakest, lg, n_lg, &p);
	radar_grid(&b, &p, nodata);
	mr = fmax(1.6, p.lay.radius * 0.022);

	if (all) {
		radar_polygon(&b, &p.lay, r->correct);
		st = st_fill_line(alpha(chart_green, 0.15), chart_green, 1.6);
		emit(&b, &st);
	} else {
		for (i = 0; i < N_INVARIANTS; i++) {
			j = (i + 1) % N_INVARIANTS;
			if (nodata[i] || nodata[j])
				continue;
			radar_point(&p.lay, i, r->correct[i], &x, &y);
			radar_point(&p.lay, j, r->correct[j], &x2, &y2);
			cairo_move_to(b.cr, x, y);
			cairo_line_to(b.cr, x2, y2);
		}
		st = st_line(chart_green, 1.6);
		emit(&b, &st);
	}
	radar_polygon(&b, &p.lay, r->hit);
	st = st_dash(chart_red, 1.4, 4, 2.5);
	emit(&b, &st);

	for (i = 0; i < N_INVARIANTS; i++) {
		radar_point(&p.lay, i, r->hit[i], &x, &y);
		mark_path(b.cr, MK_SQUARE, x, y, mr * 0.9);
	}
	st = st_fill(chart_red);
	emit(&b, &st);
	for (i = 0; i < N_INVARIANTS; i++) {
		if (nodata[i])
			continue;
		radar_point(&p.lay, i, r->correct[i], &x, &y);
		mark_path(b.cr, MK_CIRCLE, x, y, all ? mr : mr * 1.4);
	}
	st = st_fill(chart_green);
	emit(&b, &st);
	/* A hollow marker where the value is the default, not the student's. */
	for (i = 0; i < N_INVARIANTS; i++) {
		if (!nodata[i])
			continue;
		radar_point(&p.lay, i, r->correct[i], &x, &y);
		mark_path(b.cr, MK_CIRCLE, x, y, mr * 1.5);
	}
	st = st_fill_line(white, chart_muted, 1.0);
	emit(&b, &st);
	/* The weakest invariant: a ring around its vertex. */
	if (r->weakest >= 0 && r->weakest < N_INVARIANTS &&
	    !nodata[r->weakest]) {
		radar_point(&p.lay, r->weakest, r->correct[r->weakest], &x, &y);
		cairo_new_sub_path(b.cr);
		cairo_arc(b.cr, x, y, mr * 3.2, 0, 2 * M_PI);
		cairo_close_path(b.cr);
		st = st_line(chart_red, 1.2);
		emit(&b, &st);
	}
	radar_ring_values(&b, &p, ring_label_gap(series, 2));

	legend(&b, lg, n_lg, PAD, p.lay.legend_top, width_pt - 2 * PAD,
	    p.legend_fs, true);
	return b_done(&b);
}

/* ---- class radar: mean with spread ---- */

struct drawing *
chart_class_radar(struct chart_ctx *cx, const struct class_radar_data *c,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	struct legend_entry lg[3];
	struct radar_plan p;
	struct build b;
	struct draw_item st;
	bool nodata[N_INVARIANTS], any_missing = false;
	double x, y, lo[N_INVARIANTS], hi[N_INVARIANTS];
	size_t n_lg = 2;
	int i;

	for (i = 0; i < N_INVARIANTS; i++) {
		nodata[i] = c->n_with_data[i] == 0;
		any_missing |= nodata[i];
		lo[i] = fmin(c->lo[i], c->hi[i]);
		hi[i] = fmax(c->lo[i], c->hi[i]);
	}
	memset(lg, 0, sizeof(lg));
	lg[0].label = "Class mean, prediction accuracy";
	lg[0].kind = LG_LINE;
	lg[0].style = st_line(chart_blue, 1.6);
	lg[0].mark = MK_CIRCLE;
	lg[0].mark_style = st_fill(chart_blue);
	lg[1].label = c->spread_label ? c->spread_label : "Spread";
	lg[1].kind = LG_SWATCH;
	lg[1].style = st_fill_line(alpha(chart_blue, 0.18),
	    alpha(chart_blue, 0.6), 0.6);
	if (any_missing) {
		lg[2].label = "No student has data";
		lg[2].kind = LG_MARK;
		lg[2].mark = MK_CIRCLE;
		lg[2].mark_style = st_fill_line(white, chart_muted, 1.0);
		n_lg = 3;
	}
	b_init(&b, cx, width_pt, height_pt, m);
	radar_plan(&b, c->names, nodata, -1, lg, n_lg, &p);
	radar_grid(&b, &p, nodata);

	/* The band: outer polygon one way, inner the other, so that the
	 * non-zero fill rule leaves the inside empty. */
	radar_polygon(&b, &p.lay, hi);
	for (i = N_INVARIANTS - 1; i >= 0; i--) {
		radar_point(&p.lay, i, lo[i], &x, &y);
		if (i == N_INVARIANTS - 1)
			cairo_move_to(b.cr, x, y);
		else
			cairo_line_to(b.cr, x, y);
	}
	cairo_close_path(b.cr);
	st = st_fill(alpha(chart_blue, 0.18));
	emit(&b, &st);
	radar_polygon(&b, &p.lay, lo);
	radar_polygon(&b, &p.lay, hi);
	st = st_line(alpha(chart_blue, 0.6), 0.6);
	emit(&b, &st);
	radar_polygon(&b, &p.lay, c->mean);
	st = st_line(chart_blue, 1.6);
	emit(&b, &st);
	for (i = 0; i < N_INVARIANTS; i++) {
		radar_point(&p.lay, i, c->mean[i], &x, &y);
		mark_path(b.cr, MK_CIRCLE, x, y, nodata[i] ? 2.4 : 1.8);
		st = nodata[i] ? st_fill_line(white, chart_muted, 1.0) :
		    st_fill(chart_blue);
		emit(&b, &st);
	}
	radar_ring_values(&b, &p, ring_label_gap((const double *const[]){
	    c->mean, c->hi }, 2));
	legend(&b, lg, n_lg, PAD, p.lay.legend_top, width_pt - 2 * PAD,
	    p.legend_fs, true);
	return b_done(&b);
}

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

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The budget line of tier i: its colour and its own dash, for greyscale. */
static struct draw_item
budget_style(int i)
{
	struct draw_item st = st_line(alpha(*chart_tier_color(i), 0.9), 1.1);

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
struct drawing *
chart_archmap(struct chart_ctx *cx, const struct archmap_data *a,
    double width_pt, double height_pt, const struct text_measurer *m)
{
	struct legend_entry lg[CTX_COUNT + 2];
	char lgtext[CTX_COUNT][112], s[96], v[32], slo[64];
	struct build b;
	struct frame f;
	struct draw_item st;
	struct box bounds, bx, bestbx;
	const struct archmap_tier *t;
	double lh, lfs, px[CTX_COUNT], py[CTX_COUNT], mr, x, c, best, ys;
	bool off[CTX_COUNT];
	int i, k, bestk;

	b_init(&b, cx, width_pt, height_pt, m);
	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ 1e-4, 1e3, true, 0, 0 };
	f.y = (struct chart_axis){ 1, 1e5, true, 0, 0 };
	memset(lg, 0, sizeof(lg));
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		fmt_gb(t->budget_gb, v);
		snprintf(lgtext[i], sizeof(lgtext[i]), "%s: %s; budget %s%s",
		    t->name, t->detail, v, t->budget_gb > f.x.hi ?
		    " (off the scale)" : "");
		lg[i].label = lgtext[i];
		lg[i].kind = LG_LINE;
		lg[i].style = budget_style(i);
		lg[i].mark = tier_mark[i];
		lg[i].mark_style = st_fill_line(*chart_tier_color(i), white, 0.6);
	}
	lg[4].label = "Does not fit in memory";
	lg[4].kind = LG_MARK;
	lg[4].mark = MK_CROSS;
	lg[4].mark_style = st_line(chart_red, 1.6);
	snprintf(slo, sizeof(slo), "Cloud P99 target, \xe2\x89\xa4\xc2\xa0%g\xc2\xa0ms",
	    a->slo_p99_ms);
	lg[5].label = slo;
	lg[5].kind = LG_SWATCH;
	lg[5].style = st_fill_line(alpha(chart_text, 0.07), chart_text, 1.0);
	lfs = lsz(b.fs * 0.92);
	lh = legend(&b, lg, 6, PAD, 0, width_pt - 2 * PAD, lfs, false);

	f.xfmt = fmt_plain;
	f.yfmt = fmt_ms;
	f.xtitle = "Model memory footprint (GB, log scale)";
	f.ytitle = "P99 latency (ms, log scale)";
	f.ytitle_short = "P99 (ms, log)";
	frame_layout(&b, &f, (struct box){ PAD, PAD, width_pt - PAD,
	    height_pt - PAD - lh - 4 });
	bounds = (struct box){ f.plot.x0 + 1, f.plot.y0 + 1, f.plot.x1 - 1,
	    f.plot.y1 - 1 };

	/* The band under the cloud's P99 target. */
	if (a->slo_p99_ms > f.y.lo) {
		ys = chart_axis_map(&f.y, fmin(a->slo_p99_ms, f.y.hi));
		cairo_rectangle(b.cr, f.plot.x0, ys, f.plot.x1 - f.plot.x0,
		    f.plot.y1 - ys);
		st = st_fill(alpha(chart_text, 0.07));
		emit(&b, &st);
	}
	frame_draw(&b, &f);
	if (a->slo_p99_ms > f.y.lo && a->slo_p99_ms < f.y.hi) {
		ys = chart_axis_map(&f.y, a->slo_p99_ms);
		cairo_move_to(b.cr, f.plot.x0, ys);
		cairo_line_to(b.cr, f.plot.x1, ys);
		st = st_line(chart_text, 1.0);
		emit(&b, &st);
		add_obstacle(&b, (struct box){ f.plot.x0, ys - 0.5, f.plot.x1,
		    ys + 0.5 }, true, false);
	}

	/* Budget lines. */
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		if (!(t->budget_gb >= f.x.lo && t->budget_gb <= f.x.hi))
			continue;
		x = chart_axis_map(&f.x, t->budget_gb);
		cairo_move_to(b.cr, x, f.plot.y0);
		cairo_line_to(b.cr, x, f.plot.y1);
		st = budget_style(i);
		emit(&b, &st);
		add_obstacle(&b, (struct box){ x - 0.5, f.plot.y0, x + 0.5,
		    f.plot.y1 }, true, false);
	}

	/* Tier markers, then the crosses, all obstacles for the labels. */
	mr = fmax(3.2, b.fs * 0.55);
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		off[i] = !(t->footprint_gb >= f.x.lo && t->footprint_gb <= f.x.hi &&
		    (!t->has_p99 || (t->p99_ms >= f.y.lo && t->p99_ms <= f.y.hi)));
		px[i] = chart_axis_map(&f.x, clampd(t->footprint_gb > 0 ?
		    t->footprint_gb : f.x.lo, f.x.lo, f.x.hi));
		py[i] = t->has_p99 ? chart_axis_map(&f.y, clampd(t->p99_ms > 0 ?
		    t->p99_ms : f.y.lo, f.y.lo, f.y.hi)) : f.plot.y0;
		mark_path(b.cr, tier_mark[i], px[i], py[i], mr);
		st = t->has_p99 ?
		    st_fill_line(alpha(*chart_tier_color(i), 0.9), white, 0.8) :
		    st_fill_line(white, *chart_tier_color(i), 1.2);
		emit(&b, &st);
		add_obstacle(&b, mark_box(px[i], py[i], mr), false, true);
	}
	for (i = 0; i < CTX_COUNT; i++) {
		if (!a->tier[i].oom)
			continue;
		mark_path(b.cr, MK_CROSS, px[i], py[i], mr * 1.25);
		st = st_line(chart_red, 2.0);
		emit(&b, &st);
	}
	for (i = 0; i < CTX_COUNT; i++) {
		t = &a->tier[i];
		snprintf(s, sizeof(s), "%s%s%s", t->name, !t->has_p99 ?
		    " (no latency)" : t->oom ? " (does not fit)" : "",
		    off[i] ? " (off the scale)" : "");
		/* The legend names every tier: a label with no free place
		 * (on a small chart) is left out rather than overlap. */
		place_label_if(&b, s, px[i], py[i], mr, lsz(b.fs * 0.95),
		    DRAW_FONT_BOLD, t->oom ? chart_red : chart_text, &bounds,
		    0.99);
	}

	/* The target's value just above its line, wherever it crosses nothing. */
	if (a->slo_p99_ms > f.y.lo && a->slo_p99_ms < f.y.hi) {
		snprintf(s, sizeof(s), "Cloud target \xe2\x89\xa4\xc2\xa0%g\xc2\xa0ms",
		    a->slo_p99_ms);
		ys = chart_axis_map(&f.y, a->slo_p99_ms);
		best = INFINITY;
		bestk = 0;
		memset(&bestbx, 0, sizeof(bestbx));
		for (k = 0; k < 9; k++) {
			x = k == 0 ? f.plot.x0 + 3 : k == 1 ? f.plot.x1 - 3 :
			    chart_axis_map(&f.x, pow(10, k - 5));
			bx = text_box(&b, s, x, ys - 2, lsz(b.fs * 0.85),
			    DRAW_FONT_REGULAR, k == 0 ? DRAW_LEFT : k == 1 ?
			    DRAW_RIGHT : DRAW_CENTER, DRAW_BOTTOM, 0);
			c = box_cost(&b, bx, &bounds, 1);
			if (c < best) {
				best = c;
				bestk = k;
				bestbx = bx;
			}
		}
		if (best == 0) {
			k = bestk;
			x = k == 0 ? f.plot.x0 + 3 : k == 1 ? f.plot.x1 - 3 :
			    chart_axis_map(&f.x, pow(10, k - 5));
			text(&b, s, x, ys - 2, lsz(b.fs * 0.85), DRAW_FONT_REGULAR,
			    k == 0 ? DRAW_LEFT : k == 1 ? DRAW_RIGHT :
			    DRAW_CENTER, DRAW_BOTTOM, chart_text);
			obstacle(&b, bestbx);
		}
	}

	legend(&b, lg, 6, PAD, height_pt - PAD - lh, width_pt - 2 * PAD, lfs,
	    true);
	return b_done(&b);
}

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

	b_init(&b, cx, width_pt, height_pt, m);
	for (i = 0; i < CTX_COUNT; i++) {
		max = d->counts[i] > max ? d->counts[i] : max;
		namew = fmax(namew, tw(&b, names[i], b.fs, DRAW_FONT_REGULAR));
	}
	snprintf(s, sizeof(s), "%d", max);
	numw = tw(&b, s, b.fs, DRAW_FONT_BOLD) + 4;
	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ 0, max < 5 ? 5 : max, false, 0, 0 };
	f.y = (struct chart_axis){ 0, 1, false, 0, 0 };
	f.xfmt = fmt_plain;
	f.yfmt = fmt_plain;
	f.xtitle = "Labs completed in this context";
	frame_layout(&b, &f, (struct box){ PAD + namew + 4, PAD,
	    width_pt - PAD - numw, height_pt - PAD });
	f.nyt = 0;                     /* no y ticks: the rows are named */
	frame_draw(&b, &f);
	row = (f.plot.y1 - f.plot.y0) / CTX_COUNT;
	bh = fmin(row * 0.62, b.fs * 2.2);
	for (i = 0; i < CTX_COUNT; i++) {
		y = f.plot.y0 + row * (i + 0.5);
		text(&b, names[i], f.plot.x0 - 4, y, b.fs, DRAW_FONT_REGULAR,
		    DRAW_RIGHT, DRAW_MIDDLE, chart_text);
		x0 = f.plot.x0;
		x1 = chart_axis_map(&f.x, d->counts[i]);
		if (x1 > x0) {
			cairo_rectangle(b.cr, x0, y - bh / 2, x1 - x0, bh);
			st = st_fill_line(alpha(*chart_tier_color(i), 0.85),
			    *chart_tier_color(i), 0.6);
			emit(&b, &st);
		}
		snprintf(s, sizeof(s), "%d", d->counts[i]);
		text(&b, s, x1 + 3, y, b.fs, DRAW_FONT_BOLD, DRAW_LEFT,
		    DRAW_MIDDLE, chart_text);
	}
	return b_done(&b);
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

	b_init(&b, cx, width_pt, height_pt, m);
	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ 0.5, N_LABS + 0.5, false, 0, 0 };
	f.y = (struct chart_axis){ 0, 100, false, 0, 0 };
	f.xfmt = fmt_plain;
	f.yfmt = fmt_pct;
	f.xtitle = "Lab (chapter)";
	snprintf(ytitle, sizeof(ytitle), "Students who completed it (n = %d)",
	    c->n_students);
	f.ytitle = ytitle;
	f.ytitle_short = "Completed";
	frame_layout(&b, &f, (struct box){ PAD, PAD + b.fs, width_pt - PAD,
	    height_pt - PAD });
	/* Every lab gets its tick. */
	for (i = 0; i < N_LABS; i++) {
		f.xt[i] = i + 1;
		f.xprio[i] = 0;
	}
	f.nxt = N_LABS;
	frame_draw(&b, &f);
	slot = (f.plot.x1 - f.plot.x0) / N_LABS;
	bw = slot * 0.66;
	cs = lsz(fmin(b.fs * 0.8, slot * 0.55));
	for (i = 0; i < N_LABS; i++) {
		pct = 100.0 * c->completed[i] / n;
		x = chart_axis_map(&f.x, i + 1);
		y = chart_axis_map(&f.y, clampd(pct, 0, 100));
		cairo_rectangle(b.cr, x - bw / 2, y, bw, f.plot.y1 - y);
		st = st_fill_line(alpha(chart_blue, 0.8), chart_blue, 0.5);
		emit(&b, &st);
		snprintf(s, sizeof(s), "%d", c->completed[i]);
		text(&b, s, x, y - 1.5, cs, DRAW_FONT_REGULAR, DRAW_CENTER,
		    DRAW_BOTTOM, chart_text);
	}
	return b_done(&b);
}

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
    const struct accuracy_bands *bd)
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
			snprintf(ac->label[j], sizeof(ac->label[j]), "%s%s%%",
			    j == 0 ? "Best accuracy " : "", pct);
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

static struct drawing *
scatter(struct chart_ctx *cx, const struct scatter_in *in, double width_pt,
    double height_pt, const struct text_measurer *m)
{
	struct legend_entry lg[12];
	char chaintext[MAX_CHAINS][64];
	struct acc_classes ac;
	struct design_point *p;
	struct build b;
	struct frame f;
	struct draw_item st;
	struct box bounds;
	double lh, lfs, xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY;
	double yhi = -INFINITY, x, y, r, rr, xs, ys, chain_acc[MAX_CHAINS];
	size_t n, i, j, n_lg = 0, n_chain = 0, drawn;
	int k, used[3] = { 0, 0, 0 }, max_count = 1;
	char s[32];

	b_init(&b, cx, width_pt, height_pt, m);
	n = in->n;
	p = xreallocarray(NULL, n ? n : 1, sizeof(*p));
	if (n > 0)
		memcpy(p, in->pts, n * sizeof(*p));
	n = chart_points_collapse(p, n);
	for (i = 0; i < n + in->n_frontier + (in->student ? 1 : 0); i++) {
		const struct design_point *q = i < n ? &p[i] : i < n +
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
	nice_log_range(&xlo, &xhi);
	snug_log_hi(&xhi, xdata_hi);
	nice_log_range(&ylo, &yhi);

	/* The frontier: one chain per accuracy level (see below). */
	for (i = 0; i < in->n_frontier; i++) {
		for (j = 0; j < n_chain; j++)
			if (fabs(chain_acc[j] - in->frontier[i].accuracy) < 1e-9)
				break;
		if (j == n_chain && n_chain < MAX_CHAINS)
			chain_acc[n_chain++] = in->frontier[i].accuracy;
	}

	acc_classes(&ac, p, n, &in->bands);
	for (i = 0; i < n; i++) {
		used[class_of(&ac, p[i].accuracy)]++;
		max_count = p[i].count > max_count ? p[i].count : max_count;
	}
	memset(lg, 0, sizeof(lg));
	for (k = 0; k < ac.n; k++) {
		if (!used[k])
			continue;
		lg[n_lg].label = ac.label[k];
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = class_mark[k];
		lg[n_lg++].mark_style = st_fill_line(alpha(class_color(&ac, k),
		    0.75), class_color(&ac, k), 0.6);
	}
	if (in->sized) {
		lg[n_lg].label = "Area: students";
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = MK_CIRCLE;
		lg[n_lg++].mark_style = st_line(chart_muted, 0.8);
	}
	for (j = 0; j < n_chain; j++) {
		char pct[16];   /* a percentage */
		fmt_fixed(pct, sizeof(pct), chain_acc[j] * 100, 1);
		snprintf(chaintext[j], sizeof(chaintext[j]),
		    "Pareto frontier%s%s%%", n_chain > 1 ? ", " : " ", pct);
		lg[n_lg].label = chaintext[j];
		lg[n_lg].kind = LG_LINE;
		lg[n_lg].style = st_line(chart_text, 1.1);
		chain_dash(&lg[n_lg].style, j);
		lg[n_lg].mark = MK_CIRCLE;
		lg[n_lg++].mark_style = st_line(chart_text, 0.8);
	}
	if (in->student != NULL) {
		lg[n_lg].label = in->student_label ? in->student_label :
		    "Your design";
		lg[n_lg].kind = LG_MARK;
		lg[n_lg].mark = MK_STAR;
		lg[n_lg++].mark_style = st_fill_line(chart_blue, chart_text, 0.6);
	}
	if (in->slo_p99_ms >= ylo && in->slo_p99_ms <= yhi) {
		lg[n_lg].label = "Meets the P99 target";
		lg[n_lg].kind = LG_SWATCH;
		lg[n_lg++].style = st_fill_line(alpha(chart_green, 0.10),
		    chart_green, 0.6);
	}
	lfs = fmax(FS_MIN, b.fs * 0.92);
	lh = legend(&b, lg, n_lg, PAD, 0, width_pt - 2 * PAD, lfs, false);

	memset(&f, 0, sizeof(f));
	f.x = (struct chart_axis){ xlo, xhi, true, 0, 0 };
	f.y = (struct chart_axis){ ylo, yhi, true, 0, 0 };
	f.xfmt = fmt_plain;
	f.yfmt = fmt_ms;
	f.xtitle = "Cost (US$ per million requests, log scale)";
	f.ytitle = "Cloud P99 latency (ms, log scale)";
	f.ytitle_short = "P99 (ms, log)";
	frame_layout(&b, &f, (struct box){ PAD, PAD, width_pt - PAD,
	    height_pt - PAD - lh - 4 });
	f.fs = fit_size(&b, f.xtitle, f.fs, f.plot.x1 - f.plot.x0);
	bounds = (struct box){ f.plot.x0 + 1, f.plot.y0 + 1, f.plot.x1 - 1,
	    f.plot.y1 - 1 };

	/* Region meeting both objectives (clipped to the plot). */
	if (in->slo_p99_ms >= ylo && in->slo_p99_ms <= yhi) {
		ys = chart_axis_map(&f.y, in->slo_p99_ms);
		xs = in->slo_cost_usd * PER_MILLION >= xhi ? f.plot.x1 :
		    in->slo_cost_usd * PER_MILLION <= xlo ? f.plot.x0 :
		    chart_axis_map(&f.x, in->slo_cost_usd * PER_MILLION);
		cairo_rectangle(b.cr, f.plot.x0, ys, xs - f.plot.x0,
		    f.plot.y1 - ys);
		st = st_fill(alpha(chart_green, 0.08));
		emit(&b, &st);
	}
	frame_draw(&b, &f);
	if (in->slo_p99_ms >= ylo && in->slo_p99_ms <= yhi) {
		ys = chart_axis_map(&f.y, in->slo_p99_ms);
		cairo_move_to(b.cr, f.plot.x0, ys);
		cairo_line_to(b.cr, f.plot.x1, ys);
		st = st_dash(chart_green, 0.9, 3, 2);
		emit(&b, &st);
	}
	if (in->slo_cost_usd * PER_MILLION > xlo &&
	    in->slo_cost_usd * PER_MILLION < xhi) {
		xs = chart_axis_map(&f.x, in->slo_cost_usd * PER_MILLION);
		cairo_move_to(b.cr, xs, f.plot.y0);
		cairo_line_to(b.cr, xs, f.plot.y1);
		st = st_dash(chart_green, 0.9, 3, 2);
		emit(&b, &st);
	}

	/* Points, one path per accuracy class, worst drawn last. */
	r = fmax(2.0, b.fs * 0.34);
	for (k = 0; k < ac.n; k++) {
		for (i = 0; i < n; i++) {
			if (class_of(&ac, p[i].accuracy) != k)
				continue;
			x = chart_axis_map(&f.x, p[i].cost_usd * PER_MILLION);
			y = chart_axis_map(&f.y, p[i].p99_ms);
			mark_path(b.cr, class_mark[k], x, y, in->sized ?
			    count_radius(r, p[i].count, max_count) : r);
		}
		st = st_fill_line(alpha(class_color(&ac, k), in->sized ? 0.55 :
		    0.75), class_color(&ac, k), 0.6);
		emit(&b, &st);
	}
	for (i = 0; i < n; i++) {
		x = chart_axis_map(&f.x, p[i].cost_usd * PER_MILLION);
		y = chart_axis_map(&f.y, p[i].p99_ms);
		obstacle(&b, mark_box(x, y, in->sized ?
		    count_radius(r, p[i].count, max_count) : r));
	}

	/*
	 * The frontier is three-dimensional (P99, cost, accuracy): on this
	 * plane it is a chain per accuracy level, each drawn through its
	 * points in P99 order with its own dash pattern.
	 */
	for (j = 0; j < n_chain; j++) {
		drawn = 0;
		for (i = 0; i < in->n_frontier; i++) {
			if (fabs(chain_acc[j] - in->frontier[i].accuracy) >= 1e-9)
				continue;
			x = chart_axis_map(&f.x, in->frontier[i].cost_usd *
			    PER_MILLION);
			y = chart_axis_map(&f.y, in->frontier[i].p99_ms);
			if (drawn++ == 0)
				cairo_move_to(b.cr, x, y);
			else
				cairo_line_to(b.cr, x, y);
		}
		st = st_line(chart_text, 1.1);
		chain_dash(&st, j);
		emit(&b, &st);
		for (i = 0; i < in->n_frontier; i++) {
			if (fabs(chain_acc[j] - in->frontier[i].accuracy) >= 1e-9)
				continue;
			x = chart_axis_map(&f.x, in->frontier[i].cost_usd *
			    PER_MILLION);
			y = chart_axis_map(&f.y, in->frontier[i].p99_ms);
			mark_path(b.cr, MK_CIRCLE, x, y, r * 1.6);
			obstacle(&b, mark_box(x, y, r * 1.6));
		}
		st = st_line(chart_text, 0.8);
		emit(&b, &st);
	}
	if (in->student != NULL && in->student->p99_ms > 0 &&
	    in->student->cost_usd > 0) {
		x = chart_axis_map(&f.x, in->student->cost_usd * PER_MILLION);
		y = chart_axis_map(&f.y, in->student->p99_ms);
		mark_path(b.cr, MK_STAR, x, y, r * 1.6);
		st = st_fill_line(chart_blue, chart_text, 0.6);
		emit(&b, &st);
		obstacle(&b, mark_box(x, y, r * 1.6));
		struct box lb = place_label(&b, in->student_label ?
		    in->student_label : "Your design", x, y, r * 1.6,
		    lsz(b.fs * 0.95), DRAW_FONT_BOLD, chart_blue, &bounds);
		leader(&b, lb, x, y, r * 1.6);
	}
	/* Student counts on the class scatter, beside their markers. */
	if (in->sized)
		for (i = 0; i < n; i++) {
			if (p[i].count < 2)
				continue;
			snprintf(s, sizeof(s), "%d", p[i].count);
			x = chart_axis_map(&f.x, p[i].cost_usd * PER_MILLION);
			y = chart_axis_map(&f.y, p[i].p99_ms);
			rr = count_radius(r, p[i].count, max_count);
			place_label(&b, s, x, y, rr, lsz(b.fs * 0.75),
			    DRAW_FONT_REGULAR, chart_text, &bounds);
		}
	legend(&b, lg, n_lg, PAD, height_pt - PAD - lh, width_pt - 2 * PAD, lfs,
	    true);
	free(p);
	return b_done(&b);
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
	return scatter(cx, &in, width_pt, height_pt, m);
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
