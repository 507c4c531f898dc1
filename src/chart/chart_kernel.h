/*
 * The chart kernel, shared by the chart_*.c files and no one else: the
 * drawing being built (struct build), its styles, text and markers, label
 * placement, legends (chart.c) and log or linear axes in a frame
 * (chart_frame.c).  Each chart_<name>.c draws its charts with these.
 */
#ifndef CHART_KERNEL_H
#define CHART_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "chart/chart.h"
#include "chart/drawing.h"

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

static const struct draw_rgba white = RGB(0xff, 0xff, 0xff);

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

enum mark {
	MK_NONE, MK_CIRCLE, MK_SQUARE, MK_DIAMOND, MK_TRIANGLE, MK_TRIANGLE_DOWN,
	MK_CROSS, MK_STAR
};

enum lg_kind { LG_SWATCH, LG_LINE, LG_MARK };

struct legend_entry {
	const char *label;
	enum lg_kind kind;
	struct draw_item style;        /* the swatch or line */
	enum mark mark;                /* drawn on top; MK_NONE for none */
	struct draw_item mark_style;
};

typedef void (*tick_fmt)(double v, char out[32]);

#define MAX_TICKS 48
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

struct draw_rgba
ck_alpha(struct draw_rgba c, double a);

void
ck_ctx_reset_cr(struct chart_ctx *cx);

void
ck_ensure_fonts(struct chart_ctx *cx);

double
ck_cairo_measure(void *ctx, const char *utf8, double size, enum draw_font font);

double
ck_base_font_size(double w, double h);

double
ck_lsz(double size);

void
ck_b_init(struct build *b, struct chart_ctx *cx, double w, double h,
    const struct text_measurer *m);

struct drawing *
ck_b_done(struct build *b);

void
ck_add_obstacle(struct build *b, struct box bx, bool soft, bool marker);

void
ck_obstacle(struct build *b, struct box bx);

bool
ck_boxes_meet(struct box a, struct box c, double pad);

double
ck_overlap_area(struct box a, struct box c);

bool
ck_box_inside(struct box a, struct box bounds);

double
ck_box_cost(const struct build *b, struct box bx, const struct box *bounds,
    double soft_weight);

double
ck_ambiguity(const struct build *b, struct box bx, double x, double y);

void
ck_emit(struct build *b, const struct draw_item *style);

struct draw_item
ck_st_line(struct draw_rgba c, double w);

struct draw_item
ck_st_dash(struct draw_rgba c, double w, double on, double off);

struct draw_item
ck_st_fill(struct draw_rgba c);

struct draw_item
ck_st_fill_line(struct draw_rgba f, struct draw_rgba c, double w);

double
ck_tw(const struct build *b, const char *s, double size, enum draw_font f);

struct box
ck_text_box(const struct build *b, const char *s, double x, double y,
    double size, enum draw_font f, enum draw_halign ha, enum draw_valign va,
    double angle);

struct box
ck_text(struct build *b, const char *s, double x, double y, double size,
    enum draw_font f, enum draw_halign ha, enum draw_valign va,
    struct draw_rgba color);

void
ck_mark_path(cairo_t *cr, enum mark k, double x, double y, double r);

struct box
ck_mark_box(double x, double y, double r);

struct box
ck_place_label(struct build *b, const char *s, double x, double y, double r,
    double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds);

struct box
ck_place_label_if(struct build *b, const char *s, double x, double y, double r,
    double size, enum draw_font f, struct draw_rgba color,
    const struct box *bounds, double max_cost);

double
ck_legend_symbol_w(const struct legend_entry *e, double size);

double
ck_legend(struct build *b, const struct legend_entry *e, size_t n, double x0,
    double y0, double width, double size, bool draw);

int
ck_axis_ticks(const struct chart_axis *a, double *t, int *prio);

void
ck_nice_log_range(double *lo, double *hi);

void
ck_snug_log_hi(double *hi, double data_hi);

void
ck_leader(struct build *b, struct box lb, double x, double y, double r);

void
ck_fmt_plain(double v, char out[32]);

void
ck_fmt_ms(double v, char out[32]);

void
ck_fmt_pct(double v, char out[32]);

void
ck_frame_layout(struct build *b, struct frame *f, struct box area);

void
ck_tick_labels(struct build *b, const struct frame *f, bool xaxis,
    struct box *placed, int *n_placed);

void
ck_frame_draw(struct build *b, const struct frame *f);

double
ck_fit_size(const struct build *b, const char *s, double size, double width);

double
ck_clampd(double v, double lo, double hi);

#endif
