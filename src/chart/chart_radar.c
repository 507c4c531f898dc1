/* The radar of the seven invariants, for a student and for a class. */
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
		l->size[l->n] = ck_lsz(fs * 0.85);
		l->font[l->n] = DRAW_FONT_BOLD;
		l->weakest[l->n] = true;
		l->n++;
	}
	if (nodata && l->n < RL_LINES) {
		snprintf(l->line[l->n], sizeof(l->line[0]), "no data");
		l->size[l->n] = ck_lsz(fs * 0.85);
		l->font[l->n] = DRAW_FONT_ITALIC;
		l->muted[l->n] = true;
		l->n++;
	}
	for (i = 0; i < l->n; i++) {
		l->w = fmax(l->w, ck_tw(b, l->line[i], l->size[i], l->font[i]));
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
			if (ck_boxes_meet(l[i].box, l[j].box, 1.0))
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
 * places everything.  The ck_legend (entries lg) goes below.
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
		lh = ck_legend(b, lg, n_lg, PAD, 0, W - 2 * PAD, lfs, false);
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
	struct draw_item ring = ck_st_line(chart_grid, 0.6);
	struct draw_item nd = ck_st_dash(chart_muted, 0.8, 2, 2);
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
	ck_emit(b, &ring);
	for (i = 0; i < N_INVARIANTS; i++) {
		if (!nodata[i])
			continue;
		radar_point(l, i, 1, &x, &y);
		cairo_move_to(b->cr, l->cx, l->cy);
		cairo_line_to(b->cr, x, y);
		ck_emit(b, &nd);
	}
	for (i = 0; i < N_INVARIANTS; i++) {
		rl = &p->label[i];
		ty = rl->box.y0;
		for (k = 0; k < rl->n; k++) {
			x = rl->ha == DRAW_LEFT ? rl->box.x0 : rl->ha ==
			    DRAW_RIGHT ? rl->box.x1 : (rl->box.x0 + rl->box.x1) / 2;
			ck_text(b, rl->line[k], x, ty, rl->size[k], rl->font[k],
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
	struct draw_item back = ck_st_fill(white);   /* opaque: PDF/A-1b repaints nothing */
	struct box bx, prev;
	double x, y, a, rs, w;
	char s[16];
	int k;

	a = -M_PI / 2 + M_PI * (2 * gap + 1) / N_INVARIANTS;
	rs = ck_lsz(l->font_size * 0.78);
	prev = (struct box){ 0, 0, 0, 0 };
	for (k = 4; k >= 1; k--) {
		snprintf(s, sizeof(s), "%d\xc2\xa0%%", k * 25);
		x = l->cx + l->radius * k / 4 * cos(a);
		y = l->cy + l->radius * k / 4 * sin(a);
		w = ck_tw(b, s, rs, DRAW_FONT_REGULAR);
		/* On a small disc the inner values would meet: the outer win. */
		bx = (struct box){ x - w / 2 - 1, y - rs * 0.5 - 1, x + w / 2 + 1,
		    y + rs * 0.5 + 1 };
		if (k < 4 && ck_boxes_meet(bx, prev, 0.5))
			continue;
		prev = bx;
		cairo_rectangle(b->cr, x - w / 2 - 1, y - rs * 0.5 - 1, w + 2,
		    rs + 2);
		ck_emit(b, &back);
		ck_text(b, s, x, y, rs, DRAW_FONT_REGULAR, DRAW_CENTER,
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
	lg[0].style = ck_st_fill_line(ck_alpha(chart_green, 0.18), chart_green, 1.2);
	lg[0].mark = MK_CIRCLE;
	lg[0].mark_style = ck_st_fill(chart_green);
	lg[1].label = "Constraint-hit rate";
	lg[1].kind = LG_LINE;
	lg[1].style = ck_st_dash(chart_red, 1.4, 4, 2.5);
	lg[1].mark = MK_SQUARE;
	lg[1].mark_style = ck_st_fill(chart_red);
	*n = 2;
	if (any_missing) {
		lg[2].label = "No data: a placeholder at 50\xc2\xa0%, not a score";
		lg[2].kind = LG_MARK;
		lg[2].mark = MK_CIRCLE;
		lg[2].mark_style = ck_st_fill_line(white, chart_muted, 1.0);
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
	ck_b_init(&b, cx, width_pt, height_pt, m);
	radar_plan(&b, r->names, nodata, r->weakest, lg, n_lg, &p);
	drawing_free(ck_b_done(&b));
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
	ck_b_init(&b, cx, width_pt, height_pt, m);
	radar_plan(&b, r->names, nodata, r->weakest, lg, n_lg, &p);
	radar_grid(&b, &p, nodata);
	mr = fmax(1.6, p.lay.radius * 0.022);

	if (all) {
		radar_polygon(&b, &p.lay, r->correct);
		st = ck_st_fill_line(ck_alpha(chart_green, 0.15), chart_green, 1.6);
		ck_emit(&b, &st);
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
		st = ck_st_line(chart_green, 1.6);
		ck_emit(&b, &st);
	}
	radar_polygon(&b, &p.lay, r->hit);
	st = ck_st_dash(chart_red, 1.4, 4, 2.5);
	ck_emit(&b, &st);

	for (i = 0; i < N_INVARIANTS; i++) {
		radar_point(&p.lay, i, r->hit[i], &x, &y);
		ck_mark_path(b.cr, MK_SQUARE, x, y, mr * 0.9);
	}
	st = ck_st_fill(chart_red);
	ck_emit(&b, &st);
	for (i = 0; i < N_INVARIANTS; i++) {
		if (nodata[i])
			continue;
		radar_point(&p.lay, i, r->correct[i], &x, &y);
		ck_mark_path(b.cr, MK_CIRCLE, x, y, all ? mr : mr * 1.4);
	}
	st = ck_st_fill(chart_green);
	ck_emit(&b, &st);
	/* A hollow marker where the value is the default, not the student's. */
	for (i = 0; i < N_INVARIANTS; i++) {
		if (!nodata[i])
			continue;
		radar_point(&p.lay, i, r->correct[i], &x, &y);
		ck_mark_path(b.cr, MK_CIRCLE, x, y, mr * 1.5);
	}
	st = ck_st_fill_line(white, chart_muted, 1.0);
	ck_emit(&b, &st);
	/* The weakest invariant: a ring around its vertex. */
	if (r->weakest >= 0 && r->weakest < N_INVARIANTS &&
	    !nodata[r->weakest]) {
		radar_point(&p.lay, r->weakest, r->correct[r->weakest], &x, &y);
		cairo_new_sub_path(b.cr);
		cairo_arc(b.cr, x, y, mr * 3.2, 0, 2 * M_PI);
		cairo_close_path(b.cr);
		st = ck_st_line(chart_red, 1.2);
		ck_emit(&b, &st);
	}
	radar_ring_values(&b, &p, ring_label_gap(series, 2));

	ck_legend(&b, lg, n_lg, PAD, p.lay.legend_top, width_pt - 2 * PAD,
	    p.legend_fs, true);
	return ck_b_done(&b);
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
	lg[0].style = ck_st_line(chart_blue, 1.6);
	lg[0].mark = MK_CIRCLE;
	lg[0].mark_style = ck_st_fill(chart_blue);
	lg[1].label = c->spread_label ? c->spread_label : "Spread";
	lg[1].kind = LG_SWATCH;
	lg[1].style = ck_st_fill_line(ck_alpha(chart_blue, 0.18),
	    ck_alpha(chart_blue, 0.6), 0.6);
	if (any_missing) {
		lg[2].label = "No student has data";
		lg[2].kind = LG_MARK;
		lg[2].mark = MK_CIRCLE;
		lg[2].mark_style = ck_st_fill_line(white, chart_muted, 1.0);
		n_lg = 3;
	}
	ck_b_init(&b, cx, width_pt, height_pt, m);
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
	st = ck_st_fill(ck_alpha(chart_blue, 0.18));
	ck_emit(&b, &st);
	radar_polygon(&b, &p.lay, lo);
	radar_polygon(&b, &p.lay, hi);
	st = ck_st_line(ck_alpha(chart_blue, 0.6), 0.6);
	ck_emit(&b, &st);
	radar_polygon(&b, &p.lay, c->mean);
	st = ck_st_line(chart_blue, 1.6);
	ck_emit(&b, &st);
	for (i = 0; i < N_INVARIANTS; i++) {
		radar_point(&p.lay, i, c->mean[i], &x, &y);
		ck_mark_path(b.cr, MK_CIRCLE, x, y, nodata[i] ? 2.4 : 1.8);
		st = nodata[i] ? ck_st_fill_line(white, chart_muted, 1.0) :
		    ck_st_fill(chart_blue);
		ck_emit(&b, &st);
	}
	radar_ring_values(&b, &p, ring_label_gap((const double *const[]){
	    c->mean, c->hi }, 2));
	ck_legend(&b, lg, n_lg, PAD, p.lay.legend_top, width_pt - 2 * PAD,
	    p.legend_fs, true);
	return ck_b_done(&b);
}
