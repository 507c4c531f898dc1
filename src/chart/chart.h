/*
 * chart: the report's charts, built once with cairo and handed over as a
 * struct drawing (drawing.h) in points, origin top left, y down.  The
 * input of each chart is a plain struct below; the chart reflows its
 * labels to the width and height it is given, measuring them with the
 * caller's text_measurer.  Only chart.c and drawing.c include cairo.h.
 */
#ifndef ARCHAUDIT_CHART_H
#define ARCHAUDIT_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "model/act1.h"
#include "chart/drawing.h"
#include "model/engine.h"
#include "model/scenario.h"

/*
 * Cached cairo objects (a scratch context for geometry, scaled fonts for
 * measuring).  One per process or thread; never shared between threads.
 */
struct chart_ctx;
struct chart_ctx *chart_ctx_new(void);  /* caller frees with chart_ctx_free */
void chart_ctx_free(struct chart_ctx *cx);   /* NULL is a no-op */

/*
 * A text_measurer that measures DejaVu Sans through cairo (hint metrics
 * off, so widths scale linearly with the size), for tests, PNG and SVG
 * output.  Valid while cx lives.
 */
struct text_measurer chart_cairo_measurer(struct chart_ctx *cx);

/* The lab's palette. */
extern const struct draw_rgba chart_blue, chart_green, chart_red, chart_orange,
    chart_purple, chart_text, chart_muted, chart_grid;
/* One colour per tier, indexed by enum context. */
const struct draw_rgba *chart_tier_color(enum context c);

/* A plotted axis: maps data values to points along the page. */
struct chart_axis {
	double lo, hi;                 /* data units; both > 0 when log */
	bool log;                      /* logarithmic (base 10) */
	double px_lo, px_hi;           /* points where lo and hi land */
};
double chart_axis_map(const struct chart_axis *a, double v);  /* points */

/* Radar of the seven invariants (Act I). */
struct radar_data {
	const char *names[N_INVARIANTS]; /* axis labels, borrowed */
	double correct[N_INVARIANTS];  /* prediction accuracy, fraction 0..1 */
	double hit[N_INVARIANTS];      /* constraint-hit rate, fraction 0..1 */
	bool has_data[N_INVARIANTS];   /* false: no chapter in the ledger */
	int weakest;                   /* index of the weakest invariant; -1 = none marked */
};
void chart_radar_from_act1(const struct act1 *a, struct radar_data *out);

/*
 * Radar geometry: axis i points at angle_rad[i] = -pi/2 + 2*pi*i/7 (the
 * first straight up, then clockwise on the page); a value v (fraction)
 * on axis i sits at (cx + radius*v*cos(angle), cy + radius*v*sin(angle)).
 * label_box[i] = {x0, y0, x1, y1} covers every line of axis i's label.
 */
struct radar_layout {
	double cx, cy;                 /* centre, points */
	double radius;                 /* radius of the 100 % ring, points */
	double angle_rad[N_INVARIANTS]; /* radians, y down */
	double font_size;              /* axis labels, points */
	double label_box[N_INVARIANTS][4]; /* points */
	double legend_top;             /* points */
};
void chart_radar_layout(struct chart_ctx *cx, const struct radar_data *r,
    double width_pt, double height_pt, const struct text_measurer *m,
    struct radar_layout *out);
struct drawing *chart_radar(struct chart_ctx *cx, const struct radar_data *r,
    double width_pt, double height_pt, const struct text_measurer *m);

/* Architecture map: the four tiers on memory against P99, log-log. */
struct archmap_tier {
	char name[16];                 /* "Cloud" */
	char detail[48];               /* "2 × H100, FP16" */
	double footprint_gb;           /* GB, as plotted */
	double p99_ms;                 /* milliseconds, as plotted */
	bool has_p99;                  /* false: no latency computed (TinyML) */
	double budget_gb;              /* GB, the tier's memory budget */
	bool oom;                      /* out of memory: marked with a red × */
};
struct archmap_data {
	struct archmap_tier tier[CTX_COUNT]; /* indexed by enum context */
	double slo_p99_ms;             /* milliseconds */
};
/*
 * Every tier at its footprint in GB and its P99; TinyML at tiny_model_kb
 * / 1024 / 1024 GB (as its budget line) and with no latency, since the
 * lab computes none (the lab's own plot puts it at KB / 1024 and 8000 ms).
 */
void chart_archmap_from(const struct scenario *s, const struct config *c,
    const struct metrics *m, struct archmap_data *out);
struct drawing *chart_archmap(struct chart_ctx *cx, const struct archmap_data *a,
    double width_pt, double height_pt, const struct text_measurer *m);

/* Labs per deployment context. */
struct ctxbars_data {
	int counts[CTX_COUNT];         /* labs, indexed by enum context */
};
struct drawing *chart_ctxbars(struct chart_ctx *cx, const struct ctxbars_data *b,
    double width_pt, double height_pt, const struct text_measurer *m);

/* One outcome of a design: a point of the design-space and class scatters. */
struct design_point {
	double p99_ms;                 /* cloud P99, milliseconds */
	double cost_usd;               /* US dollars per request */
	double accuracy;               /* post-drift accuracy, fraction 0..1 */
	int count;                     /* designs at this point (class scatter); 0 reads as 1 */
};

/* Accuracy classes shown by marker shape and colour. */
struct accuracy_bands {
	double good_above;             /* fraction: at or above is "good" (0.88) */
	double warn_below;             /* fraction: below is a warning (0.85) */
};

/*
 * Design space: every distinct grid outcome (points at the same P99 and
 * cost are drawn once, with their best accuracy), the Pareto frontier
 * drawn through its points (one line per accuracy level, since the
 * frontier is three-dimensional) and the student's design.
 */
struct designspace_data {
	const struct design_point *points; /* borrowed */
	size_t n_points;
	const struct design_point *frontier; /* borrowed; census order */
	size_t n_frontier;
	bool has_student;
	struct design_point student;
	const char *student_label;     /* borrowed; e.g. "Your design" */
	double slo_p99_ms;             /* milliseconds */
	double slo_cost_usd;           /* US dollars per request */
	struct accuracy_bands bands;
};
/*
 * Sorts pts by P99 then cost and merges points at the same place (best
 * accuracy, counts summed; count 0 reads as 1).  Returns the new count.
 * Points already sorted and distinct are left as they are in O(n), so a
 * caller drawing many reports from one grid collapses it once.
 */
size_t chart_points_collapse(struct design_point *pts, size_t n);
/* Copies the census frontier into pts (n_frontier of them). */
void chart_frontier_points(const struct census *c, struct design_point *pts);
struct drawing *chart_designspace(struct chart_ctx *cx,
    const struct designspace_data *d, double width_pt, double height_pt,
    const struct text_measurer *m);

/* Class summary: completion per lab. */
struct class_completion_data {
	int n_students;
	int completed[N_LABS];         /* students who completed lab i+1 */
};
struct drawing *chart_class_completion(struct chart_ctx *cx,
    const struct class_completion_data *c, double width_pt, double height_pt,
    const struct text_measurer *m);

/* Class summary: the mean radar with its spread. */
struct class_radar_data {
	const char *names[N_INVARIANTS]; /* borrowed */
	double mean[N_INVARIANTS];     /* prediction accuracy, fraction 0..1 */
	double lo[N_INVARIANTS], hi[N_INVARIANTS]; /* spread, fractions */
	int n_with_data[N_INVARIANTS]; /* students with data on this axis */
	const char *spread_label;      /* borrowed; e.g. "25th–75th percentile" */
};
struct drawing *chart_class_radar(struct chart_ctx *cx,
    const struct class_radar_data *c, double width_pt, double height_pt,
    const struct text_measurer *m);

/* Class summary: every student's capstone design, P99 against cost. */
struct class_scatter_data {
	const struct design_point *points; /* borrowed; count = students there */
	size_t n_points;
	double slo_p99_ms;             /* milliseconds */
	double slo_cost_usd;           /* US dollars per request */
	struct accuracy_bands bands;
};
struct drawing *chart_class_scatter(struct chart_ctx *cx,
    const struct class_scatter_data *c, double width_pt, double height_pt,
    const struct text_measurer *m);

/* What chart_by_name may draw; NULL members are charts not available. */
struct chart_inputs {
	const struct radar_data *radar;
	const struct archmap_data *archmap;
	const struct ctxbars_data *ctxbars;
	const struct designspace_data *designspace;
	const struct class_completion_data *class_completion;
	const struct class_radar_data *class_radar;
	const struct class_scatter_data *class_scatter;
};
/*
 * The chart called name ("radar", "archmap", "contexts", "designspace",
 * "class-completion", "class-radar", "class-scatter"), or NULL when the
 * name is unknown or its input is missing.  Caller frees.
 */
struct drawing *chart_by_name(struct chart_ctx *cx, const char *name,
    const struct chart_inputs *in, double width_pt, double height_pt,
    const struct text_measurer *m);
/*
 * Each chart described in words from its data (chart_alt.c), for the
 * figure's /Alt in a tagged PDF: every value it plots, and what the
 * chart is there to show (the weakest law, which tiers fit and meet the
 * target, whether the design is on the frontier).  chart_by_name sets
 * the drawing's alt with these.  Caller frees.
 */
char *chart_alt_radar(const struct radar_data *r);
char *chart_alt_archmap(const struct archmap_data *a);
char *chart_alt_ctxbars(const struct ctxbars_data *c);
char *chart_alt_designspace(const struct designspace_data *d);
char *chart_alt_class_completion(const struct class_completion_data *c);
char *chart_alt_class_radar(const struct class_radar_data *c);
char *chart_alt_class_scatter(const struct class_scatter_data *c);

/*
 * Its height for a width (points) when a template gives none: the one
 * table of chart proportions, which the report's layout asks too.
 */
double chart_default_height(const char *name, double width_pt);

#endif
