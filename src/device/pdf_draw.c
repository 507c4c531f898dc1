/*
 * pdf_draw: painting a chart drawing (struct drawing) on a page of the PDF
 * device (see pdf.c), labels in the report's fonts, translucency (or, in
 * PDF/A-1, its opaque equivalent).  Input: a drawing and a place.
 * Output: content operators.
 */
#include "device/pdf_int.h"

/* ---- drawings (charts) ---- */

/* The resource name of an ExtGState with these alphas on page; NULL on error. */
static const char *
alpha_state(struct pdf *p, HPDF_Page page, double fill, double stroke)
{
	HPDF_ExtGState gs = NULL;
	size_t i;

	for (i = 0; i < p->n_gstates && gs == NULL; i++)
		if (p->gs_alpha[i][0] == fill && p->gs_alpha[i][1] == stroke)
			gs = p->gstates[i];
	if (gs == NULL) {
		gs = HPDF_CreateExtGState(p->doc);
		if (gs == NULL)
			return NULL;
		HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)fill);
		HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)stroke);
		if (p->n_gstates < 8) {
			p->gstates[p->n_gstates] = gs;
			p->gs_alpha[p->n_gstates][0] = fill;
			p->gs_alpha[p->n_gstates][1] = stroke;
			p->n_gstates++;
		}
	}
	return HPDF_Page_GetExtGStateName(page, gs);
}

/*
 * c painted opaquely as it shows over white paper: PDF/A-1 has no
 * transparency.  Over another colour the result differs; charts put
 * their translucent fills on a white plot area.
 */
static struct draw_rgba
on_white(struct draw_rgba c)
{
	double a = c.a < 0 ? 0 : c.a > 1 ? 1 : c.a;

	c.r = c.r * a + (1 - a);
	c.g = c.g * a + (1 - a);
	c.b = c.b * a + (1 - a);
	c.a = 1;
	return c;
}

/* Draws a shaped line in runs of one face each, along a baseline rotated by angle. */
static bool
draw_label(struct pdf *p, size_t page_no, const struct text_line *tl,
    const struct layout_color *c, double x, double y, double angle_deg)
{
	double rad = angle_deg * M_PI / 180.0, cs = cos(rad), sn = sin(rad), pen = 0;
	struct buf *b = &p->content[page_no];
	bool ok = true;
	size_t k;

	for (k = 0; k < tl->n_runs && ok; k++) {
		const struct text_run *r = &tl->runs[k];
		buf_puts(b, "BT\n");
		ok = pdfi_put_font(p, page_no, r->face, r->size);
		pdfi_put_rgb(b, c->r, c->g, c->b, "rg\n");
		pdfi_put_num(b, cs, 5);
		pdfi_put_num(b, sn, 5);
		pdfi_put_num(b, -sn, 5);
		pdfi_put_num(b, cs, 5);
		pdfi_put_xy(b, x + pen * cs, p->page_h - y + pen * sn, "Tm\n");
		pdfi_put_glyphs(p, b, r->face, r->size, r->text, r->g, r->n_g, r->rtl);
		buf_puts(b, "ET\n");
		pen += r->width;
	}
	return ok;
}

/* Where a drawing goes: page x = x + dx * sx, page y (PDF, up) = H - y - dy * sy. */
struct place {
	double x, y, sx, sy, H;   /* points; sx, sy page points per drawing point */
};

/*
 * What a translucent fill above makes of a colour under it: c * keep + add.
 * keep 1, add 0: the colour itself.
 */
struct tint {
	double keep, add[3];
};

static const struct tint no_tint = {1, {0, 0, 0}};

static void
put_tinted(struct buf *b, const struct tint *t, double r, double g, double bl, const char *op)
{
	pdfi_put_rgb(b, r * t->keep + t->add[0], g * t->keep + t->add[1], bl * t->keep + t->add[2], op);
}

/* The operators of a path item's outline. */
static void
put_path(struct buf *b, const struct drawing *d, const struct draw_item *it, const struct place *pl)
{
	size_t k;

	for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
		const struct draw_path_op *op = &d->ops[k];
#define PXY(j, s) pdfi_put_xy(b, pl->x + op->pt[j].x * pl->sx, pl->H - pl->y - op->pt[j].y * pl->sy, s)
		switch (op->op) {
		case DRAW_MOVE_TO:
			PXY(0, "m\n");
			break;
		case DRAW_LINE_TO:
			PXY(0, "l\n");
			break;
		case DRAW_CURVE_TO:
			PXY(0, "");
			PXY(1, "");
			PXY(2, "c\n");
			break;
		case DRAW_CLOSE:
			buf_puts(b, "h\n");
			break;
		}
#undef PXY
	}
}

/*
 * Paints a path item: its fill if fill, its stroke if stroke, colours
 * through t.  In PDF/A the colours are first made opaque on white.
 */
static bool
paint_path(struct pdf *p, size_t page_no, const struct drawing *d, const struct draw_item *it,
    const struct place *pl, bool fill, bool stroke, const struct tint *t)
{
	struct buf *b = &p->content[page_no];
	struct draw_rgba fc = it->fill_color, stc = it->stroke_color;
	double fa = fill ? fc.a : 1, sa = stroke ? stc.a : 1, scale = sqrt(pl->sx * pl->sy);
	size_t k;

	if (p->opaque) {
		fc = on_white(fc);
		stc = on_white(stc);
	}
	buf_puts(b, "q\n");
	if (!p->opaque && (fa < 1 || sa < 1)) {
		const char *gs = alpha_state(p, p->pages[page_no], fa, sa);
		if (pdfi_bad(p, gs, "making a transparency state"))
			return false;
		buf_printf(b, "/%s gs\n", gs);
	}
	if (fill)
		put_tinted(b, t, fc.r, fc.g, fc.b, "rg\n");
	if (stroke) {
		struct layout_color sc = {stc.r * t->keep + t->add[0], stc.g * t->keep + t->add[1],
		    stc.b * t->keep + t->add[2]};
		int nd = it->n_dash < 0 ? 0 : it->n_dash > 4 ? 4 : it->n_dash;
		pdfi_stroke_style(b, &sc, it->line_width * scale, 0);
		if (nd > 0) {
			buf_putc(b, '[');
			for (k = 0; k < (size_t)nd; k++)
				pdfi_put_num(b, it->dash[k] * scale, 2);
			buf_puts(b, "] 0 d\n");
		}
	}
	put_path(b, d, it, pl);
	buf_puts(b, fill && stroke ? "B\nQ\n" : fill ? "f\nQ\n" : "S\nQ\n");
	return true;
}

/* Paints a label item, its colour through t (labels are drawn opaque). */
static bool
paint_text(struct pdf *p, size_t page_no, const struct draw_item *it, const struct place *pl,
    const struct tint *t)
{
	enum font_style st = font_draw_style(it->font);
	double size = it->size * sqrt(pl->sx * pl->sy);
	struct text_line tl;
	double tw;
	const struct font *rf = &p->fs->faces[p->fs->style_face[st]];
	bool ok;
	double ax = pl->x + it->at.x * pl->sx, ay = pl->y + it->at.y * pl->sy, dx = 0, dy = 0;
	double rad = it->angle_deg * M_PI / 180.0;
	struct layout_color c = {it->color.r * t->keep + t->add[0],
	    it->color.g * t->keep + t->add[1], it->color.b * t->keep + t->add[2]};

	text_line_set(&tl, p->fs, st, size, it->text, p->opt.lang);
	tw = tl.width;

	if (it->halign == DRAW_CENTER)
		dx = -tw / 2;
	else if (it->halign == DRAW_RIGHT)
		dx = -tw;
	if (it->valign == DRAW_TOP)
		dy = rf->ascent * size;
	else if (it->valign == DRAW_MIDDLE)
		dy = rf->cap_height * size / 2;
	else if (it->valign == DRAW_BOTTOM)
		dy = -rf->descent * size;
	/* Offsets along the rotated axes (y down on the page). */
	double ox = dx * cos(rad) + dy * sin(rad), oy = -dx * sin(rad) + dy * cos(rad);
	ok = draw_label(p, page_no, &tl, &c, ax + ox, ay + oy, it->angle_deg);
	text_line_clear(&tl);
	return ok;
}

/* Whether a PDF/A painting shows a path item's fill and stroke (a colour with alpha 0 does not). */
static void
pdfa_shows(const struct draw_item *it, bool *fill, bool *stroke)
{
	*fill = it->fill && it->fill_color.a > 0;
	*stroke = it->stroke && it->stroke_color.a > 0;
}

/* Bounding box {x0, y0, x1, y1} of an item in drawing points, generously. */
static void
item_box(const struct drawing *d, const struct draw_item *it, const struct text_measurer *m,
    double box[4])
{
	size_t k;
	int j;

	if (it->kind == DRAW_TEXT) {
		drawing_text_box(it, m, box);
		box[0] -= it->size / 2;
		box[1] -= it->size / 2;
		box[2] += it->size / 2;
		box[3] += it->size / 2;
		return;
	}
	box[0] = box[1] = INFINITY;
	box[2] = box[3] = -INFINITY;
	for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
		const struct draw_path_op *op = &d->ops[k];
		int n = op->op == DRAW_CURVE_TO ? 3 : op->op == DRAW_CLOSE ? 0 : 1;
		for (j = 0; j < n; j++) {
			box[0] = fmin(box[0], op->pt[j].x);
			box[1] = fmin(box[1], op->pt[j].y);
			box[2] = fmax(box[2], op->pt[j].x);
			box[3] = fmax(box[3], op->pt[j].y);
		}
	}
	if (it->stroke) {
		box[0] -= it->line_width;
		box[1] -= it->line_width;
		box[2] += it->line_width;
		box[3] += it->line_width;
	}
}

/*
 * PDF/A, after the translucent fill of item k was painted opaque: what was
 * under it showed through, so the items before it that it overlaps are
 * painted again inside its outline, their colours blended with the fill's
 * (c * (1 - a) + fill * a).  Exact for one translucent layer, which is
 * what the charts draw (grid lines and labels under a shaded area); under
 * two overlapping fills the lower one's backdrop is lost.
 */
static bool
repaint_under(struct pdf *p, size_t page_no, const struct drawing *d, size_t k,
    const struct place *pl, const struct text_measurer *m)
{
	const struct draw_item *top = &d->items[k];
	struct buf *b = &p->content[page_no];
	double a = top->fill_color.a, kb[4], ib[4];
	struct tint t = {1 - a, {a * top->fill_color.r, a * top->fill_color.g, a * top->fill_color.b}};
	bool clipped = false;
	size_t i;

	item_box(d, top, m, kb);
	for (i = 0; i < k; i++) {
		const struct draw_item *it = &d->items[i];
		bool fill = false, stroke = false;
		if (it->kind == DRAW_PATH) {
			pdfa_shows(it, &fill, &stroke);
			if (!fill && !stroke)
				continue;
		} else if (it->text == NULL) {
			continue;
		}
		item_box(d, it, m, ib);
		if (ib[0] > kb[2] || ib[2] < kb[0] || ib[1] > kb[3] || ib[3] < kb[1])
			continue;
		if (!clipped) {
			buf_puts(b, "q\n");
			put_path(b, d, top, pl);
			buf_puts(b, "W\nn\n");
			clipped = true;
		}
		if (it->kind == DRAW_PATH ? !paint_path(p, page_no, d, it, pl, fill, stroke, &t)
					  : !paint_text(p, page_no, it, pl, &t))
			return false;
	}
	if (clipped)
		buf_puts(b, "Q\n");
	return true;
}

bool
pdf_draw_drawing(struct pdf *p, size_t page_no, const struct drawing *d, double x, double y,
    double w, double h)
{
	struct buf *b;
	struct place pl;
	struct text_measurer m;
	size_t i;

	if (page_no >= p->n_pages || d->width <= 0 || d->height <= 0)
		return true;
	b = &p->content[page_no];
	pdfi_end_text(p, page_no);
	pl.x = x;
	pl.y = y;
	pl.sx = w / d->width;
	pl.sy = h / d->height;
	pl.H = p->page_h;
	m = font_set_measurer(p->fs);
	buf_puts(b, "q\n");
	pdfi_put_xy(b, x, pl.H - y - h, "");
	pdfi_put_xy(b, w, h, "re\nW\nn\n");
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];
		if (it->kind == DRAW_PATH) {
			bool fill = it->fill, stroke = it->stroke;
			if (p->opaque)
				pdfa_shows(it, &fill, &stroke);
			if (!fill && !stroke)
				continue;
			if (p->opaque && fill && it->fill_color.a < 1) {
				/* The fill, what showed through it, then the outline on top. */
				if (!paint_path(p, page_no, d, it, &pl, true, false, &no_tint) ||
				    !repaint_under(p, page_no, d, i, &pl, &m) ||
				    (stroke && !paint_path(p, page_no, d, it, &pl, false, true, &no_tint)))
					return false;
			} else if (!paint_path(p, page_no, d, it, &pl, fill, stroke, &no_tint)) {
				return false;
			}
		} else if (it->text != NULL && !paint_text(p, page_no, it, &pl, &no_tint)) {
			return false;
		}
	}
	buf_puts(b, "Q\n");
	return !pdfi_failed(p, "drawing a chart");
}
