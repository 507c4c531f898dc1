/*
 * drawing: the plain vector hand-over between the chart code and the
 * devices.  Input: path ops and labels appended by chart.c; output: the
 * struct drawing itself, and on request a PNG or SVG rendered through
 * cairo, labels as the glyph outlines the text engine hands over (the
 * measurer's outline: the report's faces, any script, shaped), or with
 * cairo's toy text when there is none (the chart tests' references).
 * Part of the chart code, so it may include cairo.h; drawing.h does not,
 * and the PDF device sees only the plain structs.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-svg.h>

#include "chart/drawing.h"
#include "base/outfile.h"
#include "base/util.h"

struct drawing *
drawing_new(double width, double height)
{
	struct drawing *d;

	d = xcalloc(1, sizeof(*d));
	d->width = width;
	d->height = height;
	return d;
}

void
drawing_free(struct drawing *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_items; i++)
		free(d->items[i].text);
	free(d->items);
	free(d->ops);
	free(d->alt);
	free(d);
}

static struct draw_item *
drawing_new_item(struct drawing *d)
{
	struct draw_item *it;

	if (d->n_items == d->cap_items) {
		d->cap_items = d->cap_items ? d->cap_items * 2 : 32;
		d->items = xreallocarray(d->items, d->cap_items, sizeof(*d->items));
	}
	it = &d->items[d->n_items++];
	memset(it, 0, sizeof(*it));
	return it;
}

struct draw_item *
drawing_add_path(struct drawing *d, const struct draw_path_op *ops,
    size_t n_ops, const struct draw_item *style)
{
	struct draw_item *it;

	if (d->n_ops + n_ops > d->cap_ops) {
		while (d->n_ops + n_ops > d->cap_ops)
			d->cap_ops = d->cap_ops ? d->cap_ops * 2 : 256;
		d->ops = xreallocarray(d->ops, d->cap_ops, sizeof(*d->ops));
	}
	if (n_ops > 0)
		memcpy(d->ops + d->n_ops, ops, n_ops * sizeof(*ops));
	it = drawing_new_item(d);
	it->kind = DRAW_PATH;
	it->first_op = d->n_ops;
	it->n_ops = n_ops;
	it->fill = style->fill;
	it->stroke = style->stroke;
	it->fill_color = style->fill_color;
	it->stroke_color = style->stroke_color;
	it->line_width = style->line_width;
	memcpy(it->dash, style->dash, sizeof(it->dash));
	it->n_dash = style->n_dash;
	d->n_ops += n_ops;
	return it;
}

struct draw_item *
drawing_add_text(struct drawing *d, const char *utf8, double x, double y,
    double size, enum draw_font font, enum draw_halign halign,
    enum draw_valign valign, struct draw_rgba color)
{
	struct draw_item *it;

	it = drawing_new_item(d);
	it->kind = DRAW_TEXT;
	it->text = xstrdup(utf8);
	it->at.x = x;
	it->at.y = y;
	it->size = size;
	it->font = font;
	it->halign = halign;
	it->valign = valign;
	it->color = color;
	return it;
}

/* Offsets of the unrotated box from `at`: left, top, right, bottom. */
static void
text_extent(const struct draw_item *it, double width, double ascent,
    double descent, double e[4])
{
	double base;

	switch (it->halign) {
	case DRAW_LEFT:
		e[0] = 0;
		break;
	case DRAW_CENTER:
		e[0] = -width / 2;
		break;
	default:
		e[0] = -width;
		break;
	}
	e[2] = e[0] + width;
	switch (it->valign) {
	case DRAW_TOP:
		base = ascent * it->size;
		break;
	case DRAW_MIDDLE:
		base = (ascent - descent) * it->size / 2;
		break;
	case DRAW_BOTTOM:
		base = -descent * it->size;
		break;
	default:
		base = 0;
		break;
	}
	e[1] = base - ascent * it->size;
	e[3] = base + descent * it->size;
}

void
drawing_text_box(const struct draw_item *it, const struct text_measurer *m,
    double box[4])
{
	double e[4], w, a, c, s, x, y, px, py;
	int i;

	w = m->width(m->ctx, it->text, it->size, it->font);
	text_extent(it, w, m->ascent, m->descent, e);
	if (it->angle_deg == 0) {
		box[0] = it->at.x + e[0];
		box[1] = it->at.y + e[1];
		box[2] = it->at.x + e[2];
		box[3] = it->at.y + e[3];
		return;
	}
	/* Counter-clockwise on the page, with y growing downwards. */
	a = it->angle_deg * M_PI / 180;
	c = cos(a);
	s = sin(a);
	box[0] = box[1] = INFINITY;
	box[2] = box[3] = -INFINITY;
	for (i = 0; i < 4; i++) {
		x = e[(i & 1) ? 2 : 0];
		y = e[(i & 2) ? 3 : 1];
		px = it->at.x + x * c + y * s;
		py = it->at.y - x * s + y * c;
		box[0] = fmin(box[0], px);
		box[1] = fmin(box[1], py);
		box[2] = fmax(box[2], px);
		box[3] = fmax(box[3], py);
	}
}

static void
set_rgba(cairo_t *cr, struct draw_rgba c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static void
replay_path(cairo_t *cr, const struct drawing *d, const struct draw_item *it)
{
	const struct draw_path_op *op;
	size_t i;

	cairo_new_path(cr);
	for (i = 0; i < it->n_ops; i++) {
		op = &d->ops[it->first_op + i];
		switch (op->op) {
		case DRAW_MOVE_TO:
			cairo_move_to(cr, op->pt[0].x, op->pt[0].y);
			break;
		case DRAW_LINE_TO:
			cairo_line_to(cr, op->pt[0].x, op->pt[0].y);
			break;
		case DRAW_CURVE_TO:
			cairo_curve_to(cr, op->pt[0].x, op->pt[0].y,
			    op->pt[1].x, op->pt[1].y, op->pt[2].x, op->pt[2].y);
			break;
		case DRAW_CLOSE:
			cairo_close_path(cr);
			break;
		}
	}
}

static void
outline_to_cairo(void *arg, enum draw_outline_op op, const double *xy)
{
	cairo_t *cr = arg;

	switch (op) {
	case DRAW_OUTLINE_MOVE:
		cairo_move_to(cr, xy[0], xy[1]);
		break;
	case DRAW_OUTLINE_LINE:
		cairo_line_to(cr, xy[0], xy[1]);
		break;
	case DRAW_OUTLINE_CURVE:
		cairo_curve_to(cr, xy[0], xy[1], xy[2], xy[3], xy[4], xy[5]);
		break;
	case DRAW_OUTLINE_CLOSE:
		cairo_close_path(cr);
		break;
	}
}

/* A label as the text engine's glyph outlines, placed as the PDF device places it. */
static void
replay_outline(cairo_t *cr, const struct draw_item *it, const struct text_measurer *m)
{
	double e[4], w = m->width(m->ctx, it->text, it->size, it->font);

	text_extent(it, w, m->ascent, m->descent, e);
	cairo_save(cr);
	cairo_translate(cr, it->at.x, it->at.y);
	if (it->angle_deg != 0)
		cairo_rotate(cr, -it->angle_deg * M_PI / 180);
	cairo_translate(cr, e[0], e[3] - m->descent * it->size);
	cairo_new_path(cr);
	m->outline(m->ctx, it->text, it->size, it->font, outline_to_cairo, cr);
	set_rgba(cr, it->color);
	cairo_fill(cr);
	cairo_restore(cr);
}

static void
replay_text(cairo_t *cr, const struct draw_item *it, const struct text_measurer *m)
{
	cairo_text_extents_t te;
	double e[4];

	if (m != NULL && m->outline != NULL) {
		replay_outline(cr, it, m);
		return;
	}

	cairo_select_font_face(cr, "DejaVu Sans",
	    it->font == DRAW_FONT_ITALIC ? CAIRO_FONT_SLANT_OBLIQUE :
	    CAIRO_FONT_SLANT_NORMAL,
	    it->font == DRAW_FONT_BOLD ? CAIRO_FONT_WEIGHT_BOLD :
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, it->size);
	cairo_text_extents(cr, it->text, &te);
	text_extent(it, te.x_advance, DRAWING_FONT_ASCENT,
	    DRAWING_FONT_DESCENT, e);
	cairo_save(cr);
	cairo_translate(cr, it->at.x, it->at.y);
	if (it->angle_deg != 0)
		cairo_rotate(cr, -it->angle_deg * M_PI / 180);
	cairo_move_to(cr, e[0], e[3] - DRAWING_FONT_DESCENT * it->size);
	set_rgba(cr, it->color);
	cairo_show_text(cr, it->text);
	cairo_new_path(cr);
	cairo_restore(cr);
}

/* Replays every item onto cr, whose user space is the drawing's points. */
static void
drawing_replay(cairo_t *cr, const struct drawing *d, const struct text_measurer *m)
{
	cairo_font_options_t *fo;
	const struct draw_item *it;
	size_t i;

	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	for (i = 0; i < d->n_items; i++) {
		it = &d->items[i];
		if (it->kind == DRAW_TEXT) {
			replay_text(cr, it, m);
			continue;
		}
		replay_path(cr, d, it);
		if (it->fill) {
			set_rgba(cr, it->fill_color);
			if (it->stroke)
				cairo_fill_preserve(cr);
			else
				cairo_fill(cr);
		}
		if (it->stroke) {
			set_rgba(cr, it->stroke_color);
			cairo_set_line_width(cr, it->line_width);
			cairo_set_dash(cr, it->dash, it->n_dash, 0);
			cairo_stroke(cr);
		}
		cairo_new_path(cr);
	}
}

static cairo_status_t
write_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int
drawing_write_png(const struct drawing *d, const char *path, double dpi,
    const struct text_measurer *m, struct diag_list *dl)
{
	cairo_surface_t *sf;
	cairo_t *cr;
	cairo_status_t st;
	struct buf png;
	double scale = dpi / 72;
	int w, h, rc;

	w = (int)ceil(d->width * scale);
	h = (int)ceil(d->height * scale);
	if (w < 1 || h < 1 || w > 32767 || h > 32767) {
		diag_add(dl, DIAG_ERROR, "chart.bad-image-size",
		    path, "%gx%g pt at %g dpi: bad image size",
		    d->width, d->height, dpi);
		return -1;
	}
	buf_init(&png);
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(sf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	drawing_replay(cr, d, m);
	st = cairo_status(cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		cairo_surface_flush(sf);
		st = cairo_surface_write_to_png_stream(sf, write_to_buf, &png);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_add(dl, DIAG_ERROR, "chart.cannot-draw",
		    path, "cannot draw: %s",
		    cairo_status_to_string(st));
		rc = -1;
	} else {
		rc = outfile_write(path, png.data ? png.data : "", png.len, dl);
	}
	buf_free(&png);
	return rc;
}


/*
 * cairo numbers an SVG's surfaces with a counter global to the process,
 * so the same drawing would read "surface9" in one file and "surface14"
 * in the next.  Renumbers "surfaceN" ids by order of appearance.
 */
static void
svg_renumber(const struct buf *in, struct buf *out)
{
	static const char pre[] = "surface";
	unsigned long seen[64];
	size_t n_seen = 0, i = 0, k, j;
	unsigned long v;
	const char *s = in->data;

	while (i < in->len) {
		if (in->len - i > sizeof(pre) &&
		    memcmp(s + i, pre, sizeof(pre) - 1) == 0 &&
		    s[i + sizeof(pre) - 1] >= '0' && s[i + sizeof(pre) - 1] <= '9' &&
		    (i == 0 || s[i - 1] == '"' || s[i - 1] == '#')) {
			j = i + sizeof(pre) - 1;
			for (v = 0; j < in->len && s[j] >= '0' && s[j] <= '9'; j++)
				v = v * 10 + (unsigned long)(s[j] - '0');
			for (k = 0; k < n_seen && seen[k] != v; k++)
				continue;
			if (k == n_seen && n_seen < 64)
				seen[n_seen++] = v;
			buf_printf(out, "%s%zu", pre, k + 1);
			i = j;
			continue;
		}
		buf_putc(out, s[i++]);
	}
}

int
drawing_write_svg(const struct drawing *d, const char *path,
    const struct text_measurer *m, struct diag_list *dl)
{
	cairo_surface_t *sf;
	cairo_t *cr;
	cairo_status_t st;
	struct buf raw, out;
	int rc;

	buf_init(&raw);
	buf_init(&out);
	sf = cairo_svg_surface_create_for_stream(write_to_buf, &raw,
	    d->width, d->height);
	cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PT);
	cr = cairo_create(sf);
	drawing_replay(cr, d, m);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_add(dl, DIAG_ERROR, "chart.cannot-draw",
		    path, "cannot draw: %s",
		    cairo_status_to_string(st));
		buf_free(&raw);
		return -1;
	}
	svg_renumber(&raw, &out);
	buf_free(&raw);
	rc = outfile_write(path, out.data ? out.data : "", out.len, dl);
	buf_free(&out);
	return rc;
}
