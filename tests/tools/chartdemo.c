/*
 * chartdemo: writes every chart for sample data as PNG and SVG into a
 * directory, at a normal and a narrow width, so that people can look at
 * them.  Usage: chartdemo DIR [DPI].  The Act II data comes from the
 * engine with the lab's scenario and default design.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "chart/chart.h"
#include "model/engine.h"
#include "model/scenario.h"
#include "base/util.h"

/* fontconfig keeps its configuration for the life of the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static const char *const inv_names[N_INVARIANTS] = {
	"Iron Law", "Memory Wall", "Amdahl", "Roofline", "Little's Law",
	"Drift", "Fairness"
};

/* Every distinct (P99, cost, accuracy) of the grid, without fairness. */
static struct design_point *
grid_points(const struct scenario *s, size_t *n)
{
	const struct grid_axes *g = &s->grid;
	struct design_point *p;
	struct metrics m;
	struct config c;
	size_t cap = 1024, a, b2, d, e;

	p = xreallocarray(NULL, cap, sizeof(*p));
	*n = 0;
	c = s->defaults;
	for (c.n_gpus = g->n_gpus_min; c.n_gpus <= g->n_gpus_max; c.n_gpus++)
		for (a = 0; a < g->n_quant_cloud; a++)
			for (b2 = 0; b2 < g->n_quant_edge; b2++)
				for (d = 0; d < g->n_quant_mobile; d++)
					for (e = 0; e < g->n_serving; e++)
						for (c.cadence_days = g->cadence_min;
						    c.cadence_days <= g->cadence_max;
						    c.cadence_days += 1) {
		c.quant_cloud = g->quant_cloud[a];
		c.quant_edge = g->quant_edge[b2];
		c.quant_mobile = g->quant_mobile[d];
		c.serving = g->serving[e];
		engine_eval(s, &c, &m);
		if (*n == cap) {
			cap *= 2;
			p = xreallocarray(p, cap, sizeof(*p));
		}
		p[*n].p99_ms = m.cloud_p99_ms;
		p[*n].cost_usd = m.cost_per_req_usd;
		p[*n].accuracy = m.post_drift_accuracy;
		p[*n].count = 1;
		(*n)++;
	}
	return p;
}

static int
write_both(struct drawing *d, const char *dir, const char *name, double dpi)
{
	struct diag_list dl;
	char *png, *svg;
	int rc = 0;
	size_t i;

	diag_init(&dl);
	png = xasprintf("%s/%s.png", dir, name);
	svg = xasprintf("%s/%s.svg", dir, name);
	if (drawing_write_png(d, png, dpi, NULL, &dl) != 0 ||
	    drawing_write_svg(d, svg, NULL, &dl) != 0)
		rc = 1;
	for (i = 0; i < dl.n; i++)
		fprintf(stderr, "chartdemo: %s\n", dl.items[i].msg);
	diag_free(&dl);
	free(png);
	free(svg);
	drawing_free(d);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const double widths[2] = { 400, 220 };
	struct chart_ctx *cx;
	struct text_measurer tm;
	struct scenario s;
	struct metrics m;
	struct census *cen;
	struct radar_data rd;
	struct archmap_data am;
	struct ctxbars_data cb = { { 7, 4, 3, 1 } };
	struct designspace_data ds;
	struct class_completion_data cc;
	struct class_radar_data cr;
	struct class_scatter_data cs;
	struct design_point *pts, *fr, cls[12];
	struct drawing *d;
	const char *dir;
	char name[64];
	double dpi, w, t0, t1;
	struct timespec ts;
	size_t n_pts;
	int i, k, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: chartdemo DIR [DPI]\n");
		return 2;
	}
	dir = argv[1];
	dpi = argc > 2 ? atof(argv[2]) : 150;
	mkdir(dir, 0777);
	cx = chart_ctx_new();
	tm = chart_cairo_measurer(cx);

	scenario_default(&s);
	engine_eval(&s, &s.defaults, &m);
	chart_archmap_from(&s, &s.defaults, &m, &am);

	for (i = 0; i < N_INVARIANTS; i++) {
		rd.names[i] = inv_names[i];
		rd.has_data[i] = true;
	}
	memcpy(rd.correct, (double[]){ 1, 0.5, 1, 0.5, 0.5, 0.5, 1 },
	    sizeof(rd.correct));
	memcpy(rd.hit, (double[]){ 0, 1, 0.5, 0.5, 0, 0, 1 }, sizeof(rd.hit));
	rd.weakest = 1;
	rd.has_data[4] = false;        /* Little's Law: lab 13 not done */

	pts = grid_points(&s, &n_pts);
	/* Once per batch, as a driver would; the chart then skips it. */
	n_pts = chart_points_collapse(pts, n_pts);
	cen = census_new(&s);
	fr = xreallocarray(NULL, cen->n_frontier + 1, sizeof(*fr));
	chart_frontier_points(cen, fr);
	memset(&ds, 0, sizeof(ds));
	ds.points = pts;
	ds.n_points = n_pts;
	ds.frontier = fr;
	ds.n_frontier = cen->n_frontier;
	ds.has_student = true;
	ds.student = (struct design_point){ m.cloud_p99_ms, m.cost_per_req_usd,
	    m.post_drift_accuracy, 1 };
	ds.student_label = "Your design";
	ds.slo_p99_ms = s.slo_p99_ms;
	ds.slo_cost_usd = s.slo_cost_per_req_usd;
	ds.bands = (struct accuracy_bands){ s.drift_tile_above, s.acc_warn_below };

	cc.n_students = 40;
	for (i = 0; i < N_LABS; i++)
		cc.completed[i] = 40 - i * 2 - (i % 3);
	for (i = 0; i < N_INVARIANTS; i++) {
		cr.names[i] = inv_names[i];
		cr.mean[i] = 0.45 + 0.07 * ((i * 3) % 5);
		cr.lo[i] = cr.mean[i] - 0.15;
		cr.hi[i] = fmin(1, cr.mean[i] + 0.18);
		cr.n_with_data[i] = 30;
	}
	cr.spread_label = "25th\xe2\x80\x93" "75th percentile";
	for (i = 0; i < 12; i++) {
		struct config c = s.defaults;

		c.n_gpus = 1 + i % 8;
		c.quant_cloud = (enum quant)(i % 3);
		c.serving = (enum serving)((i / 3) % 3);
		c.cadence_days = 10 + 7 * i;
		c.quant_mobile = i % 4 == 0 ? QUANT_TERNARY : i % 4 == 1 ?
		    QUANT_INT4 : QUANT_INT8;
		engine_eval(&s, &c, &m);
		cls[i] = (struct design_point){ m.cloud_p99_ms,
		    m.cost_per_req_usd, m.post_drift_accuracy, 1 + (i * 7) % 5 };
	}
	cs = (struct class_scatter_data){ cls, 12, s.slo_p99_ms,
	    s.slo_cost_per_req_usd, ds.bands };

	for (k = 0; k < 2; k++) {
		w = widths[k];
		const char *suffix = k ? "-narrow" : "";
#define ONE(nm, call, h) do {						\
	snprintf(name, sizeof(name), "%s%s", nm, suffix);		\
	clock_gettime(CLOCK_MONOTONIC, &ts);				\
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;				\
	d = call;							\
	clock_gettime(CLOCK_MONOTONIC, &ts);				\
	t1 = ts.tv_sec + ts.tv_nsec / 1e9;				\
	printf("%-24s %4.0fx%-4.0f pt %5zu items %6zu ops %8.1f us\n",	\
	    name, w, h, d->n_items, d->n_ops, (t1 - t0) * 1e6);	\
	rc |= write_both(d, dir, name, dpi);				\
} while (0)
		ONE("radar", chart_radar(cx, &rd, w, w * 0.85, &tm), w * 0.85);
		ONE("archmap", chart_archmap(cx, &am, w, w * 0.75, &tm),
		    w * 0.75);
		ONE("contexts", chart_ctxbars(cx, &cb, w,
		    chart_default_height("contexts", w), &tm),
		    chart_default_height("contexts", w));
		ONE("designspace", chart_designspace(cx, &ds, w, w * 0.75, &tm),
		    w * 0.75);
		ONE("class-completion", chart_class_completion(cx, &cc, w,
		    w * 0.5, &tm), w * 0.5);
		ONE("class-radar", chart_class_radar(cx, &cr, w, w * 0.85, &tm),
		    w * 0.85);
		ONE("class-scatter", chart_class_scatter(cx, &cs, w, w * 0.75,
		    &tm), w * 0.75);
	}
	free(pts);
	free(fr);
	census_free(cen);
	scenario_free(&s);
	chart_ctx_free(cx);
	return rc;
}
