/*
 * test_chart: the chart geometry (radar vertices, log axes, label boxes
 * that meet nothing), the marks for missing data and out-of-memory tiers,
 * the writers (atomic, deterministic), and every chart's PNG against a
 * reference in tests/data/charts/.  REGEN=1 rewrites the references.
 * Run from the top of the tree; a failed comparison leaves
 * BUILD/chart-diff-NAME.png (BUILD is the directory above this binary's).
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cairo.h>

#include "chart/chart.h"
#include "chart/drawing.h"
#include "model/scenario.h"
#include "base/util.h"

static const char *const inv_names[N_INVARIANTS] = {
	"Iron Law", "Memory Wall", "Amdahl", "Roofline", "Little's Law",
	"Drift", "Fairness"
};

static char build_dir[512] = "build";

/*
 * fontconfig keeps its parsed configuration for the life of the process
 * (cairo_debug_reset_static_data does not free it); LeakSanitizer reads
 * this hook when it is linked in and ignores it otherwise.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

struct fixture {
	struct chart_ctx *cx;
	struct text_measurer tm;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	fx->cx = chart_ctx_new();
	fx->tm = chart_cairo_measurer(fx->cx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	chart_ctx_free(fx->cx);
	free(fx);
	return 0;
}

static void
sample_radar(struct radar_data *r)
{
	static const double correct[N_INVARIANTS] = { 1, 0.5, 1, 0.5, 0.5, 0.5, 1 };
	static const double hit[N_INVARIANTS] = { 0, 1, 0.5, 0.5, 0, 0, 1 };
	int i;

	for (i = 0; i < N_INVARIANTS; i++) {
		r->names[i] = inv_names[i];
		r->correct[i] = correct[i];
		r->hit[i] = hit[i];
		r->has_data[i] = true;
	}
	r->weakest = -1;
}

/* The default design of the lab, as the engine computes it. */
static void
sample_archmap(struct archmap_data *a, bool cloud_oom)
{
	struct scenario s;
	struct metrics m;

	scenario_default(&s);
	memset(&m, 0, sizeof(m));
	m.cloud_model_gb = 16;
	m.edge_model_gb = 8;
	m.mobile_model_gb = 4;
	m.tiny_model_kb = 1945.6;
	m.cloud_ram_available_gb = 160;
	m.cloud_p99_ms = 668.65671641791;
	m.edge_p99_ms = 21960.784313725;
	m.mobile_p99_ms = 6400;
	m.tiny_oom = true;
	m.cloud_oom = cloud_oom;
	chart_archmap_from(&s, &s.defaults, &m, a);
	scenario_free(&s);
}

static bool
same_color(struct draw_rgba a, struct draw_rgba b)
{
	return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 &&
	    fabs(a.b - b.b) < 1e-9;
}

static void
text_box(const struct draw_item *it, const struct text_measurer *m,
    double bx[4])
{
	drawing_text_box(it, m, bx);
}

static bool
boxes_intersect(const double a[4], const double b[4])
{
	return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/* Every pair of labels apart, every label inside the drawing. */
static void
assert_labels_apart(const struct drawing *d, const struct text_measurer *m,
    const char *what)
{
	double a[4], b[4];
	size_t i, j;

	for (i = 0; i < d->n_items; i++) {
		if (d->items[i].kind != DRAW_TEXT)
			continue;
		text_box(&d->items[i], m, a);
		if (a[0] < -0.01 || a[1] < -0.01 || a[2] > d->width + 0.01 ||
		    a[3] > d->height + 0.01)
			fail_msg("%s: label \"%s\" [%g %g %g %g] outside %gx%g",
			    what, d->items[i].text, a[0], a[1], a[2], a[3],
			    d->width, d->height);
		for (j = i + 1; j < d->n_items; j++) {
			if (d->items[j].kind != DRAW_TEXT)
				continue;
			text_box(&d->items[j], m, b);
			if (boxes_intersect(a, b))
				fail_msg("%s: labels \"%s\" and \"%s\" overlap",
				    what, d->items[i].text, d->items[j].text);
		}
	}
}

static size_t
count_text(const struct drawing *d, const char *s)
{
	size_t i, n = 0;

	for (i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DRAW_TEXT && strcmp(d->items[i].text, s) == 0)
			n++;
	return n;
}

static const struct draw_item *
find_text(const struct drawing *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DRAW_TEXT && strcmp(d->items[i].text, s) == 0)
			return &d->items[i];
	return NULL;
}

static const struct draw_item *
find_tick(const struct drawing *d, const char *s, enum draw_halign ha)
{
	size_t i;

	for (i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DRAW_TEXT && d->items[i].halign == ha &&
		    strcmp(d->items[i].text, s) == 0)
			return &d->items[i];
	return NULL;
}

/* ---- drawing ---- */

static void
test_drawing_basics(void **state)
{
	struct text_measurer tm = ((struct fixture *)*state)->tm;
	struct draw_path_op ops[2] = {
		{ DRAW_MOVE_TO, { { 1, 2 }, { 0, 0 }, { 0, 0 } } },
		{ DRAW_LINE_TO, { { 3, 4 }, { 0, 0 }, { 0, 0 } } },
	};
	struct draw_item style, *it;
	struct drawing *d;
	double bx[4], w;
	int i;

	drawing_free(NULL);
	d = drawing_new(100, 50);
	memset(&style, 0, sizeof(style));
	style.stroke = true;
	style.line_width = 2;
	for (i = 0; i < 100; i++)
		drawing_add_path(d, ops, 2, &style);
	assert_int_equal(d->n_items, 100);
	assert_int_equal(d->n_ops, 200);
	assert_int_equal(d->items[99].first_op, 198);
	assert_true(d->ops[199].pt[0].x == 3);

	/* Box semantics of drawing.h: TOP puts the box's top at at.y. */
	it = drawing_add_text(d, "Label", 10, 20, 10, DRAW_FONT_REGULAR,
	    DRAW_LEFT, DRAW_TOP, chart_text);
	w = tm.width(tm.ctx, "Label", 10, DRAW_FONT_REGULAR);
	drawing_text_box(it, &tm, bx);
	assert_true(fabs(bx[0] - 10) < 1e-9 && fabs(bx[1] - 20) < 1e-9);
	assert_true(fabs(bx[2] - (10 + w)) < 1e-9 && fabs(bx[3] - 30) < 1e-9);
	it->valign = DRAW_BASELINE;
	it->halign = DRAW_RIGHT;
	drawing_text_box(it, &tm, bx);
	assert_true(fabs(bx[0] - (10 - w)) < 1e-9 && fabs(bx[1] - 12.4) < 1e-9);
	assert_true(fabs(bx[3] - 22.4) < 1e-9);
	/* Rotated 90 degrees counter-clockwise: the text runs upwards. */
	it->halign = DRAW_LEFT;
	it->valign = DRAW_BOTTOM;
	it->angle_deg = 90;
	drawing_text_box(it, &tm, bx);
	assert_true(fabs(bx[0] - 0) < 1e-9 && fabs(bx[2] - 10) < 1e-9);
	assert_true(fabs(bx[1] - (20 - w)) < 1e-9 && fabs(bx[3] - 20) < 1e-9);
	/* Widths scale with the size. */
	assert_true(fabs(tm.width(tm.ctx, "Label", 20, DRAW_FONT_REGULAR) -
	    2 * w) < 1e-9);
	assert_true(tm.width(tm.ctx, "Label", 10, DRAW_FONT_BOLD) > w);
	drawing_free(d);
}

/* ---- geometry ---- */

static void
test_axis_map(void **state)
{
	struct chart_axis x = { 1e-4, 1e2, true, 0, 600 };
	struct chart_axis y = { 1, 1e5, true, 500, 0 };
	struct chart_axis lin = { 0, 100, false, 10, 210 };
	int k;

	(void)state;
	/* Six decades over 600 points: 100 points each. */
	for (k = -4; k <= 2; k++)
		assert_true(fabs(chart_axis_map(&x, pow(10, k)) -
		    100.0 * (k + 4)) < 1e-9);
	assert_true(fabs(chart_axis_map(&x, sqrt(10) * 1e-4) - 50) < 1e-9);
	assert_true(fabs(chart_axis_map(&x, 2) - (400 + 100 * log10(2))) < 1e-9);
	/* Five decades over 500 points, growing upwards. */
	for (k = 0; k <= 5; k++)
		assert_true(fabs(chart_axis_map(&y, pow(10, k)) -
		    (500 - 100.0 * k)) < 1e-9);
	assert_true(fabs(chart_axis_map(&y, 100) - 300) < 1e-9);
	assert_true(fabs(chart_axis_map(&lin, 25) - 60) < 1e-9);
}

/* The architecture map's decade ticks land evenly, in order. */
static void
test_archmap_decades(void **state)
{
	struct fixture *fx = *state;
	static const char *const xt[7] = {
		"0.0001", "0.001", "0.01", "0.1", "1", "10", "100"
	};
	static const char *const yt[6] = { "1", "10", "100", "1k", "10k", "100k" };
	const struct draw_item *it, *prev;
	struct archmap_data a;
	struct drawing *d;
	double step = 0, s;
	int k;

	sample_archmap(&a, false);
	d = chart_archmap(fx->cx, &a, 500, 360, &fx->tm);
	for (k = 0, prev = NULL; k < 7; k++) {
		it = find_tick(d, xt[k], DRAW_CENTER);
		assert_non_null(it);
		if (prev != NULL) {
			s = it->at.x - prev->at.x;
			if (k > 1)
				assert_true(fabs(s - step) < 1e-6);
			step = s;
			assert_true(step > 0);
		}
		prev = it;
	}
	/* The y ticks are right-aligned ("1" is on both axes). */
	for (k = 0, prev = NULL; k < 6; k++) {
		it = find_tick(d, yt[k], DRAW_RIGHT);
		assert_non_null(it);
		if (prev != NULL) {
			s = prev->at.y - it->at.y;
			if (k > 2)
				assert_true(fabs(s - step) < 1e-6);
			step = s;
			assert_true(step > 0);
		}
		prev = it;
	}
	drawing_free(d);
}

/*
 * cairo keeps paths in 24.8 fixed point: a coordinate handed over by
 * cairo_copy_path is exact to 1/256 point.
 */
#define PATH_EPS (1.0 / 256)

/* Finds a closed 7-vertex path whose vertices are v[0..6]. */
static bool
has_polygon(const struct drawing *d, const double (*v)[2])
{
	const struct draw_path_op *op;
	size_t i;
	int k;

	for (i = 0; i < d->n_items; i++) {
		if (d->items[i].kind != DRAW_PATH || d->items[i].n_ops != 8)
			continue;
		op = &d->ops[d->items[i].first_op];
		for (k = 0; k < N_INVARIANTS; k++)
			if (op[k].op != (k ? DRAW_LINE_TO : DRAW_MOVE_TO) ||
			    fabs(op[k].pt[0].x - v[k][0]) > PATH_EPS ||
			    fabs(op[k].pt[0].y - v[k][1]) > PATH_EPS)
				break;
		if (k == N_INVARIANTS && op[7].op == DRAW_CLOSE)
			return true;
	}
	return false;
}

static void
test_radar_vertices(void **state)
{
	struct fixture *fx = *state;
	/* cos and sin of -90 + 360 * i / 7 degrees. */
	static const double c[N_INVARIANTS] = {
		0, 0.78183148246803, 0.97492791218182, 0.43388373911756,
		-0.43388373911756, -0.97492791218182, -0.78183148246803
	};
	static const double s[N_INVARIANTS] = {
		-1, -0.62348980185873, 0.22252093395631, 0.90096886790242,
		0.90096886790242, 0.22252093395631, -0.62348980185873
	};
	struct radar_layout lay;
	struct radar_data r;
	struct drawing *d;
	double v[N_INVARIANTS][2], R;
	int i;

	sample_radar(&r);
	/* No two neighbours equal: cairo drops a segment of length 0. */
	memcpy(r.hit, (double[]){ 0, 1, 0.5, 0.75, 0.25, 0.1, 1 }, sizeof(r.hit));
	chart_radar_layout(fx->cx, &r, 360, 306, &fx->tm, &lay);
	R = lay.radius;
	assert_true(R > 60 && R < 153);
	for (i = 0; i < N_INVARIANTS; i++)
		assert_true(fabs(lay.angle_rad[i] - (-M_PI / 2 +
		    2 * M_PI * i / 7)) < 1e-12);
	d = chart_radar(fx->cx, &r, 360, 306, &fx->tm);
	/* Prediction accuracy: 1 on Iron Law is straight up at R. */
	for (i = 0; i < N_INVARIANTS; i++) {
		v[i][0] = lay.cx + R * r.correct[i] * c[i];
		v[i][1] = lay.cy + R * r.correct[i] * s[i];
	}
	assert_true(fabs(v[0][0] - lay.cx) < 1e-9 && fabs(v[0][1] -
	    (lay.cy - R)) < 1e-9);
	assert_true(has_polygon(d, (const double (*)[2])v));
	/* Constraint hits: 0 sits on the centre, 1 on the 100 % ring. */
	for (i = 0; i < N_INVARIANTS; i++) {
		v[i][0] = lay.cx + R * r.hit[i] * c[i];
		v[i][1] = lay.cy + R * r.hit[i] * s[i];
	}
	assert_true(fabs(v[0][0] - lay.cx) < 1e-9 && fabs(v[0][1] - lay.cy) <
	    1e-9);
	assert_true(has_polygon(d, (const double (*)[2])v));
	/* The hit series is dashed and not filled; accuracy is filled. */
	drawing_free(d);
}

static double
box_disc_distance(const double b[4], double cx, double cy)
{
	double dx = fmax(fmax(b[0] - cx, cx - b[2]), 0);
	double dy = fmax(fmax(b[1] - cy, cy - b[3]), 0);

	return hypot(dx, dy);
}

static void
test_radar_labels(void **state)
{
	struct fixture *fx = *state;
	static const double widths[] = { 200, 240, 300, 360, 420, 500 };
	static const double aspect[] = { 0.85, 0.6, 1.2 };
	struct radar_layout lay;
	struct radar_data r;
	struct drawing *d;
	char what[64];
	size_t wi, ai;
	int i, j, missing;

	sample_radar(&r);
	for (missing = 0; missing < 2; missing++) {
		r.has_data[4] = r.has_data[1] = !missing;
		for (wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++)
			for (ai = 0; ai < 3; ai++) {
				double w = widths[wi], h = w * aspect[ai];

				snprintf(what, sizeof(what), "radar %gx%g%s", w, h,
				    missing ? " missing" : "");
				chart_radar_layout(fx->cx, &r, w, h, &fx->tm, &lay);
				assert_true(lay.radius > 0.2 * fmin(w, h));
				for (i = 0; i < N_INVARIANTS; i++) {
					if (box_disc_distance(lay.label_box[i],
					    lay.cx, lay.cy) < lay.radius + 2)
						fail_msg("%s: label %d meets the disc",
						    what, i);
					for (j = i + 1; j < N_INVARIANTS; j++)
						if (boxes_intersect(lay.label_box[i],
						    lay.label_box[j]))
							fail_msg("%s: labels %d, %d",
							    what, i, j);
				}
				d = chart_radar(fx->cx, &r, w, h, &fx->tm);
				assert_labels_apart(d, &fx->tm, what);
				drawing_free(d);
			}
	}
}

static void
test_radar_no_data(void **state)
{
	struct fixture *fx = *state;
	struct radar_layout lay;
	struct radar_data r;
	struct drawing *d;
	const struct draw_path_op *op;
	double x, y;
	size_t i, k, hollow = 0;

	sample_radar(&r);
	d = chart_radar(fx->cx, &r, 360, 306, &fx->tm);
	assert_int_equal(count_text(d, "no data"), 0);
	drawing_free(d);

	r.has_data[4] = false;         /* Little's Law */
	r.correct[4] = 0.5;
	d = chart_radar(fx->cx, &r, 360, 306, &fx->tm);
	chart_radar_layout(fx->cx, &r, 360, 306, &fx->tm, &lay);
	assert_int_equal(count_text(d, "no data"), 1);
	assert_non_null(find_text(d, "No data: a placeholder at 50\xc2\xa0%, not a score"));
	/* A hollow marker (white fill, grey outline) at the 50 % default. */
	x = lay.cx + lay.radius * 0.5 * cos(lay.angle_rad[4]);
	y = lay.cy + lay.radius * 0.5 * sin(lay.angle_rad[4]);
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];

		if (it->kind != DRAW_PATH || !it->fill || !it->stroke ||
		    !same_color(it->fill_color, (struct draw_rgba){ 1, 1, 1, 1 }))
			continue;
		for (k = 0; k < it->n_ops; k++) {
			op = &d->ops[it->first_op + k];
			if (op->op != DRAW_CLOSE && hypot(op->pt[0].x - x,
			    op->pt[0].y - y) < 10)
				hollow++;
		}
	}
	assert_true(hollow > 0);
	drawing_free(d);
}

/* ---- architecture map ---- */

/* The ×s of the tiers: red strokes of two crossing segments, above the legend. */
static int
count_crosses(const struct drawing *d)
{
	const struct draw_item *lg = find_text(d, "Does not fit in memory");
	const struct draw_path_op *op;
	size_t i;
	int n = 0;

	assert_non_null(lg);
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];

		if (it->kind != DRAW_PATH || it->fill || !it->stroke ||
		    !same_color(it->stroke_color, chart_red) || it->n_ops != 4)
			continue;
		op = &d->ops[it->first_op];
		if (op[0].op == DRAW_MOVE_TO && op[1].op == DRAW_LINE_TO &&
		    op[2].op == DRAW_MOVE_TO && op[3].op == DRAW_LINE_TO &&
		    fabs((op[0].pt[0].x + op[1].pt[0].x) -
		    (op[2].pt[0].x + op[3].pt[0].x)) < 2 * PATH_EPS &&
		    op[0].pt[0].y < lg->at.y - 10)
			n++;
	}
	return n;
}

static void
test_archmap_oom(void **state)
{
	struct fixture *fx = *state;
	static const double widths[] = { 220, 300, 400, 500 };
	struct archmap_data a;
	struct drawing *d;
	char what[64];
	size_t wi;

	sample_archmap(&a, false);
	/* TinyML at its true footprint, 1,945.6 KB in GB, the way its budget
	 * is converted, and with no latency: the lab computes none. */
	assert_true(fabs(a.tier[CTX_TINY].footprint_gb - 1945.6 / 1048576) < 1e-15);
	assert_false(a.tier[CTX_TINY].has_p99);
	assert_true(a.tier[CTX_CLOUD].has_p99);
	assert_true(fabs(a.tier[CTX_TINY].budget_gb - 256.0 / 1048576) < 1e-15);
	assert_string_equal(a.tier[CTX_CLOUD].detail, "2 \xc3\x97 H100, FP16");
	d = chart_archmap(fx->cx, &a, 400, 300, &fx->tm);
	assert_int_equal(count_crosses(d), 1);
	assert_non_null(find_text(d, "TinyML (no latency)"));
	assert_non_null(find_text(d, "Cloud"));
	drawing_free(d);

	sample_archmap(&a, true);
	for (wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++) {
		d = chart_archmap(fx->cx, &a, widths[wi], widths[wi] * 0.72,
		    &fx->tm);
		assert_int_equal(count_crosses(d), 2);
		/* a label with no free place is left out; the legend names it */
		if (widths[wi] >= 300)
			assert_non_null(find_text(d, "Cloud (does not fit)"));
		snprintf(what, sizeof(what), "archmap %g", widths[wi]);
		assert_labels_apart(d, &fx->tm, what);
		drawing_free(d);
	}
}

/* ---- the other charts, for the PNG references ---- */

static const struct design_point ds_points[] = {
	{ 2139.7, 1.3889e-06, 0.995, 1 }, { 1069.9, 2.7778e-06, 0.995, 1 },
	{ 267.5, 1.3889e-06, 0.974, 1 }, { 534.9, 1.3889e-06, 0.995, 1 },
	{ 133.7, 2.7778e-06, 0.974, 1 }, { 267.5, 2.7778e-06, 0.995, 1 },
	{ 89.2, 4.1667e-06, 0.974, 1 }, { 178.3, 4.1667e-06, 0.995, 1 },
	{ 66.9, 5.5556e-06, 0.974, 1 }, { 133.7, 5.5556e-06, 0.995, 1 },
	{ 668.7, 2.7778e-06, 0.995, 1 }, { 713.2, 4.1667e-06, 0.995, 1 },
	{ 44.6, 8.3333e-06, 0.974, 1 }, { 89.2, 8.3333e-06, 0.995, 1 },
	{ 33.4, 1.1111e-05, 0.974, 1 }, { 66.9, 1.1111e-05, 0.995, 1 },
};
static const struct design_point ds_frontier[] = {
	{ 33.4, 1.1111e-05, 0.974, 1 }, { 44.6, 8.3333e-06, 0.974, 1 },
	{ 66.9, 5.5556e-06, 0.974, 1 }, { 66.9, 1.1111e-05, 0.995, 1 },
	{ 89.2, 4.1667e-06, 0.974, 1 }, { 89.2, 8.3333e-06, 0.995, 1 },
	{ 133.7, 2.7778e-06, 0.974, 1 }, { 133.7, 5.5556e-06, 0.995, 1 },
	{ 178.3, 4.1667e-06, 0.995, 1 }, { 267.5, 1.3889e-06, 0.974, 1 },
	{ 267.5, 2.7778e-06, 0.995, 1 }, { 534.9, 1.3889e-06, 0.995, 1 },
};
static const struct design_point class_points[] = {
	{ 668.7, 2.7778e-06, 0.965, 12 }, { 133.7, 5.5556e-06, 0.95, 5 },
	{ 66.9, 1.1111e-05, 0.974, 3 }, { 267.5, 1.3889e-06, 0.86, 2 },
	{ 1069.9, 2.7778e-06, 0.82, 1 }, { 89.2, 8.3333e-06, 0.99, 4 },
};

static struct drawing *
make_chart(struct fixture *fx, const char *name, double w)
{
	struct radar_data r;
	struct archmap_data a;
	struct ctxbars_data cb = { { 7, 4, 3, 1 } };
	struct designspace_data ds;
	struct class_completion_data cc;
	struct class_radar_data cr;
	struct class_scatter_data cs;
	struct chart_inputs in;
	int i;

	sample_radar(&r);
	r.has_data[4] = false;
	sample_archmap(&a, false);
	memset(&ds, 0, sizeof(ds));
	ds.points = ds_points;
	ds.n_points = sizeof(ds_points) / sizeof(ds_points[0]);
	ds.frontier = ds_frontier;
	ds.n_frontier = sizeof(ds_frontier) / sizeof(ds_frontier[0]);
	ds.has_student = true;
	ds.student = (struct design_point){ 668.7, 2.7778e-06, 0.965, 1 };
	ds.student_label = "Your design";
	ds.slo_p99_ms = 100;
	ds.slo_cost_usd = 0.001;
	ds.bands = (struct accuracy_bands){ 0.88, 0.85 };
	cc.n_students = 40;
	for (i = 0; i < N_LABS; i++)
		cc.completed[i] = 40 - 2 * i - i % 3;
	for (i = 0; i < N_INVARIANTS; i++) {
		cr.names[i] = inv_names[i];
		cr.mean[i] = 0.45 + 0.07 * ((i * 3) % 5);
		cr.lo[i] = cr.mean[i] - 0.15;
		cr.hi[i] = fmin(1, cr.mean[i] + 0.18);
		cr.n_with_data[i] = i == 6 ? 0 : 30;
	}
	cr.spread_label = "25th\xe2\x80\x93" "75th percentile";
	cs = (struct class_scatter_data){ class_points,
	    sizeof(class_points) / sizeof(class_points[0]), 100, 0.001,
	    { 0.88, 0.85 } };
	in = (struct chart_inputs){ &r, &a, &cb, &ds, &cc, &cr, &cs };
	return chart_by_name(fx->cx, name, &in, w, 0, &fx->tm);
}

static const char *const chart_names[] = {
	"radar", "archmap", "contexts", "designspace", "class-completion",
	"class-radar", "class-scatter"
};

static void
test_all_charts_labels(void **state)
{
	struct fixture *fx = *state;
	static const double widths[] = { 200, 260, 340, 420, 500 };
	struct drawing *d;
	char what[64];
	size_t i, wi;

	for (i = 0; i < sizeof(chart_names) / sizeof(chart_names[0]); i++)
		for (wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++) {
			d = make_chart(fx, chart_names[i], widths[wi]);
			assert_non_null(d);
			assert_true(d->n_items > 5);
			snprintf(what, sizeof(what), "%s %g", chart_names[i],
			    widths[wi]);
			assert_labels_apart(d, &fx->tm, what);
			drawing_free(d);
		}
	assert_null(make_chart(fx, "pie", 300));
}

/* ---- writers ---- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(&b, tmp, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

static int
count_temp_files(const char *dir)
{
	struct dirent *e;
	DIR *dp = opendir(dir);
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL)
		if (strstr(e->d_name, ".tmp") != NULL)
			n++;
	closedir(dp);
	return n;
}

static void
test_writers(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;
	struct drawing *d;
	char *dir, *p1, *p2, *png, *a, *b;
	size_t la, lb;

	dir = xasprintf("%s/chart-test-out", build_dir);
	mkdir(dir, 0777);
	p1 = xasprintf("%s/radar1.svg", dir);
	p2 = xasprintf("%s/radar2.svg", dir);
	png = xasprintf("%s/radar.png", dir);
	diag_init(&dl);
	d = make_chart(fx, "radar", 300);
	assert_int_equal(drawing_write_svg(d, p1, NULL, &dl), 0);
	assert_int_equal(drawing_write_svg(d, p2, NULL, &dl), 0);
	assert_int_equal(drawing_write_png(d, png, 96, NULL, &dl), 0);
	assert_int_equal(dl.n, 0);
	a = slurp(p1, &la);
	b = slurp(p2, &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(la > 1000 && la == lb && memcmp(a, b, la) == 0);
	assert_non_null(strstr(a, "width=\"300pt\""));
	free(a);
	free(b);
	assert_int_equal(count_temp_files(dir), 0);

	/* A directory that is not there: an error naming the path. */
	assert_int_equal(drawing_write_png(d, "/nonexistent-dir/x.png", 96, NULL,
	    &dl), -1);
	assert_int_equal(dl.n, 1);
	assert_non_null(strstr(dl.items[0].where, "/nonexistent-dir/x.png"));
	diag_free(&dl);
	drawing_free(d);
	free(p1);
	free(p2);
	free(png);
	free(dir);
}

/* ---- PNG references ---- */

/*
 * Tolerance: a pixel differs when any channel differs by more than 8 (of
 * 255); a chart matches when at most 0.5 % of its pixels differ.  That
 * absorbs anti-aliasing and glyph rasterisation changes between cairo,
 * pixman and FreeType versions, and catches anything moved or recoloured.
 */
#define CHANNEL_TOL 8
#define PIXEL_FRACTION 0.005
#define REF_DPI 96.0

static void
compare_png(struct fixture *fx, const char *name)
{
	cairo_surface_t *ref, *got, *diff;
	struct diag_list dl;
	struct drawing *d;
	unsigned char *pr, *pg, *pd;
	char *refpath, *gotpath, *diffpath;
	int w, h, sr, sg, sd, x, y, c, bad = 0, dmax, v;
	uint32_t a, b;

	d = make_chart(fx, name, 340);
	refpath = xasprintf("tests/data/charts/%s.png", name);
	gotpath = xasprintf("%s/chart-%s.png", build_dir, name);
	diffpath = xasprintf("%s/chart-diff-%s.png", build_dir, name);
	diag_init(&dl);
	if (getenv("REGEN") != NULL && strcmp(getenv("REGEN"), "1") == 0) {
		mkdir("tests/data/charts", 0777);
		assert_int_equal(drawing_write_png(d, refpath, REF_DPI, NULL, &dl), 0);
	}
	assert_int_equal(drawing_write_png(d, gotpath, REF_DPI, NULL, &dl), 0);
	drawing_free(d);
	diag_free(&dl);
	ref = cairo_image_surface_create_from_png(refpath);
	if (cairo_surface_status(ref) != CAIRO_STATUS_SUCCESS)
		fail_msg("%s: cannot read (make the references with REGEN=1)",
		    refpath);
	got = cairo_image_surface_create_from_png(gotpath);
	assert_int_equal(cairo_surface_status(got), CAIRO_STATUS_SUCCESS);
	w = cairo_image_surface_get_width(ref);
	h = cairo_image_surface_get_height(ref);
	if (w != cairo_image_surface_get_width(got) ||
	    h != cairo_image_surface_get_height(got))
		fail_msg("%s: %dx%d, reference %dx%d", name,
		    cairo_image_surface_get_width(got),
		    cairo_image_surface_get_height(got), w, h);
	diff = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(ref);
	cairo_surface_flush(got);
	pr = cairo_image_surface_get_data(ref);
	pg = cairo_image_surface_get_data(got);
	pd = cairo_image_surface_get_data(diff);
	sr = cairo_image_surface_get_stride(ref);
	sg = cairo_image_surface_get_stride(got);
	sd = cairo_image_surface_get_stride(diff);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			memcpy(&a, pr + y * sr + 4 * x, 4);
			memcpy(&b, pg + y * sg + 4 * x, 4);
			for (c = 0, dmax = 0; c < 3; c++) {
				v = abs((int)((a >> (8 * c)) & 0xff) -
				    (int)((b >> (8 * c)) & 0xff));
				dmax = v > dmax ? v : dmax;
			}
			/* Differences in red, the rest a faint grey. */
			v = 200 + (int)((a & 0xff) + ((a >> 8) & 0xff) +
			    ((a >> 16) & 0xff)) / 3 * 55 / 255;
			a = dmax > CHANNEL_TOL ? 0xff0000u :
			    (uint32_t)(v << 16 | v << 8 | v);
			memcpy(pd + y * sd + 4 * x, &a, 4);
			if (dmax > CHANNEL_TOL)
				bad++;
		}
	cairo_surface_mark_dirty(diff);
	if (bad > PIXEL_FRACTION * w * h) {
		cairo_surface_write_to_png(diff, diffpath);
		fail_msg("%s: %d of %d pixels differ by more than %d; see %s",
		    name, bad, w * h, CHANNEL_TOL, diffpath);
	}
	cairo_surface_destroy(ref);
	cairo_surface_destroy(got);
	cairo_surface_destroy(diff);
	free(refpath);
	free(gotpath);
	free(diffpath);
}

static void
test_png_references(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(chart_names) / sizeof(chart_names[0]); i++)
		compare_png(*state, chart_names[i]);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drawing_basics, setup, teardown),
		cmocka_unit_test(test_axis_map),
		cmocka_unit_test_setup_teardown(test_archmap_decades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radar_vertices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radar_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radar_no_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archmap_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_charts_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_png_references, setup, teardown),
	};
	char *slash;
	int rc;

	/* BUILD/tests/test_chart: BUILD is two levels up. */
	if (argc > 0 && strlen(argv[0]) < sizeof(build_dir)) {
		snprintf(build_dir, sizeof(build_dir), "%s", argv[0]);
		for (int k = 0; k < 2; k++)
			if ((slash = strrchr(build_dir, '/')) != NULL)
				*slash = '\0';
			else
				snprintf(build_dir, sizeof(build_dir), ".");
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* Let cairo drop its font caches, so leak checkers see only ours. */
	cairo_debug_reset_static_data();
	return rc;
}
