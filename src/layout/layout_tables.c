/* The layout: tables and figures as items (see layout_impl.h). */
#include "layout/layout_impl.h"

/* ---- tables ---- */

struct cellm {
	double min, max;     /* points: longest word, whole text */
};

static void
measure_cell(struct ctx *c, const struct doc_block *cell, const struct pstyle *ps, struct cellm *m)
{
	struct chars cs = {0};
	double word = 0, line = 0;
	size_t i;

	lay_shape(c, cell->spans, cell->n_spans, ps, &cs);
	m->min = m->max = 0;
	for (i = 0; i <= cs.n; i++) {
		bool end = i == cs.n || cs.v[i].cp == ' ' || (cs.v[i].style & DOC_HARD_BREAK);
		if (end) {
			if (word > m->min)
				m->min = word;
			word = 0;
			if (i == cs.n || (cs.v[i].style & DOC_HARD_BREAK)) {
				if (line > m->max)
					m->max = line;
				line = 0;
				continue;
			}
		} else {
			word += cs.v[i].adv;
		}
		line += cs.v[i].adv;
	}
	lay_chars_free(&cs);
}

void
lay_set_table(struct ctx *c, const struct doc_block *t, struct frame f)
{
	size_t nc = t->n_cols ? t->n_cols : 1, r, k;
	double *minw = xcalloc(nc, sizeof(double)), *maxw = xcalloc(nc, sizeof(double));
	double *colw = xcalloc(nc, sizeof(double));
	double summin = 0, summax = 0, avail = f.w, total_h = 0, pad2 = 2 * CELL_PADX;
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	long header = -1;
	size_t first = c->n_items, n_body = 0, body_seen = 0;
	int table = lay_elem_new(c, ROLE_TABLE);

	for (r = 0; r < t->n_kids; r++) {
		const struct doc_block *row = t->kids[r];
		struct pstyle ps = {row->header ? FONT_SANS_BOLD : FONT_SANS, TABLE_SIZE, TABLE_LEAD, ink,
		    true, DOC_ALIGN_LEFT};
		if (!row->header)
			n_body++;
		for (k = 0; k < row->n_kids && k < nc; k++) {
			struct cellm m;
			measure_cell(c, row->kids[k], &ps, &m);
			if (m.min + pad2 > minw[k])
				minw[k] = m.min + pad2;
			if (m.max + pad2 > maxw[k])
				maxw[k] = m.max + pad2;
		}
	}
	for (k = 0; k < nc; k++) {
		/* A long URL should not claim the whole table. */
		if (minw[k] > avail * 0.45)
			minw[k] = avail * 0.45;
		if (maxw[k] < minw[k])
			maxw[k] = minw[k];
		summin += minw[k];
		summax += maxw[k];
	}
	for (k = 0; k < nc; k++) {
		if (summax <= avail)
			colw[k] = maxw[k] + (avail - summax) * (summax > 0 ? maxw[k] / summax : 1.0 / nc);
		else if (summin <= avail)
			colw[k] = minw[k] + (avail - summin) * (maxw[k] - minw[k]) / (summax - summin);
		else
			colw[k] = avail * minw[k] / summin;
	}
	lay_space(c, PARA_AFTER + 2);
	for (r = 0; r < t->n_kids; r++) {
		const struct doc_block *row = t->kids[r];
		struct pstyle ps = {row->header ? FONT_SANS_BOLD : FONT_SANS, TABLE_SIZE, TABLE_LEAD,
		    row->header ? heading_ink : ink, true, DOC_ALIGN_LEFT};
		struct boxlist cells = {NULL, 0, 0};
		double rowh = 0, x = f.x, base = lay_baseline_in(c, TABLE_LEAD, TABLE_SIZE);
		struct item *it;
		int tr = lay_elem_add(c->lay, ROLE_TR, table);

		for (k = 0; k < nc; k++) {
			double cw = colw[k] - pad2;
			size_t li, from = cells.n;
			int cell = lay_elem_add(c->lay, row->header ? ROLE_TH : ROLE_TD, tr);
			if (k < row->n_kids) {
				ps.align = t->align ? t->align[k] : DOC_ALIGN_LEFT;
				if (ps.align == DOC_ALIGN_DEFAULT)
					ps.align = DOC_ALIGN_LEFT;
				lay_shape(c, row->kids[k]->spans, row->kids[k]->n_spans, &ps, &cs);
				lay_break_lines(&cs, cw, true, &ls);
				for (li = 0; li < ls.n; li++) {
					size_t line_from = cells.n;
					lay_emit_line(c, &cells, &cs, &ls.v[li], &ps, x + CELL_PADX,
					    CELL_PADY + base + li * TABLE_LEAD, cw);
					lay_keep_break_space(&cells, line_from, cs.v, cs.n, &ls.v[li]);
				}
				lay_tag_text(c->lay, &cells, from, cell, &cs);
				if (ls.n * TABLE_LEAD > rowh)
					rowh = ls.n * TABLE_LEAD;
			}
			x += colw[k];
		}
		if (rowh < TABLE_LEAD)
			rowh = TABLE_LEAD;
		rowh += 2 * CELL_PADY;
		it = lay_item_new(c, rowh);
		it->baseline = CELL_PADY + base;
		if (row->header) {
			lay_add_rect(&it->boxes, f.x, 0, avail, rowh, &head_bg, NULL, 0, 0);
			lay_add_line(&it->boxes, f.x, 0, avail, 0, &muted, 0.8);
			lay_add_line(&it->boxes, f.x, rowh, avail, 0, &muted, 0.8);
			header = (long)(c->n_items - 1);
			it->is_header = true;
			it->keep_with_next = true;
		} else {
			lay_add_line(&it->boxes, f.x, rowh, avail, 0,
			    r + 1 == t->n_kids ? &muted : &rule_ink, r + 1 == t->n_kids ? 0.8 : 0.4);
			it->header = header;
			body_seen++;
			/* Two body rows at least with the header, and the last two together. */
			it->keep_with_next = body_seen == 1 || body_seen + 1 == n_body;
		}
		/* Boxes were emitted before the item existed: append them over the background. */
		for (k = 0; k < cells.n; k++) {
			struct box *dst = lay_box_add(&it->boxes, cells.v[k].kind);
			*dst = cells.v[k];
		}
		free(cells.v);
		total_h += rowh;
	}
	if (c->n_items > first)
		c->items[c->n_items - 1].keep_with_next = false;
	/* A small table (six rows or an eighth of a page) moves whole; a
	   longer one splits, two rows at least on each side. */
	if (n_body <= 6 || total_h < (c->body_bottom - c->body_top) / 8)
		for (k = first; k + 1 < c->n_items; k++)
			c->items[k].keep_with_next = true;
	lay_chars_free(&cs);
	free(ls.v);
	free(minw);
	free(maxw);
	free(colw);
	lay_space(c, PARA_AFTER + 3);
}

/* ---- figures ---- */

static void
placeholder(struct ctx *c, struct boxlist *l, double x, double y, double w, double h,
    const char *name)
{
	static const struct layout_color ph_bg = {0.97, 0.97, 0.98};
	char *label = xasprintf("Chart: %s", name), *dims = xasprintf("%.0f \xC3\x97 %.0f pt", w, h);
	const char *lines[2] = {label, dims};
	double sizes[2] = {10.0, 8.0};
	int i;

	lay_add_rect(l, x, y, w, h, &ph_bg, &muted, 0.6, 3.0);
	for (i = 0; i < 2; i++) {
		enum font_style st = i == 0 ? FONT_BOLD : FONT_REGULAR;
		struct chars cs = {0};
		struct lines ls = {NULL, 0, 0};
		struct doc_span sp = {(char *)(uintptr_t)lines[i], 0};
		struct pstyle ps = {st, sizes[i], sizes[i] * 1.3, muted, true, DOC_ALIGN_CENTER};
		size_t li;
		lay_shape(c, &sp, 1, &ps, &cs);
		lay_break_lines(&cs, w - 12, true, &ls);
		for (li = 0; li < ls.n && li < 3; li++)
			lay_emit_line(c, l, &cs, &ls.v[li], &ps, x + 6,
			    y + h / 2 + (i == 0 ? -3.0 : 11.0) + li * ps.lead, w - 12);
		lay_chars_free(&cs);
		free(ls.v);
	}
	free(label);
	free(dims);
}

void
lay_set_figure(struct ctx *c, const struct doc_block *b, struct frame f)
{
	double w = b->width_pt > 0 ? b->width_pt : b->width_frac * f.w, h, x;
	double maxh = (c->body_bottom - c->body_top) * 0.75;
	const struct drawing *d = NULL;
	struct item *it;
	char *num;
	struct doc_span *caption;
	size_t i;
	int fig;

	if (w > f.w) {
		diag_add(c->dl, DIAG_WARNING, "layout.figure-too-wide",
		    c->opt->source, "figure %s: %.0f pt wide does not fit "
		    "the %.0f pt text width; scaled down", b->text, w, f.w);
		w = f.w;
	}
	h = b->height_pt > 0 ? b->height_pt : c->opt->chart_height != NULL
	    ? c->opt->chart_height(b->text, w) : w * 0.6;
	if (h > maxh) {
		diag_add(c->dl, DIAG_WARNING, "layout.figure-too-high",
		    c->opt->source, "figure %s: %.0f pt high is more than "
		    "three quarters of a page; scaled down", b->text, h);
		h = maxh;
	}
	x = f.x + (f.w - w) / 2;
	if (c->opt->chart != NULL)
		d = c->opt->chart(c->opt->chart_ctx, b->text, w, h);
	lay_space(c, PARA_AFTER + 4);
	it = lay_item_new(c, h);
	fig = lay_elem_new(c, ROLE_FIGURE);
	c->lay->elems[fig].alt = d != NULL && d->alt != NULL ? xstrdup(d->alt)
	    : xasprintf("Chart %s: not available", b->text ? b->text : "");
	if (d != NULL) {
		struct box *bx = lay_box_add(&it->boxes, BOX_FIGURE);
		bx->x = x;
		bx->y = 0;
		bx->w = w;
		bx->h = h;
		bx->chart = xstrdup(b->text);
		bx->drawing = d;
		bx->elem = fig;
	} else {
		placeholder(c, &it->boxes, x, 0, w, h, b->text);
		lay_tag_text(c->lay, &it->boxes, 0, fig, NULL);
	}
	c->figures++;
	it->keep_with_next = true;
	size_t fig_item = c->n_items - 1;
	lay_space(c, 6);
	/* Caption: "Figure N. " and the alt text, left-aligned under the chart,
	   on a measure of at most about 85 characters. */
	num = xasprintf(b->n_spans ? "Figure %d. " : "Figure %d", c->figures);
	caption = xcalloc(b->n_spans + 1, sizeof(*caption));
	caption[0].text = num;
	caption[0].style = DOC_BOLD;
	for (i = 0; i < b->n_spans; i++)
		caption[i + 1] = b->spans[i];
	{
		struct pstyle ps = {FONT_REGULAR, CAPTION_SIZE, CAPTION_LEAD, muted, true,
		    DOC_ALIGN_LEFT};
		struct frame cf = {x, w < 200 ? (f.w < 200 ? f.w : 200) : w > CAPTION_MEASURE
		    ? CAPTION_MEASURE : w};
		if (cf.w > w)
			cf.x = f.x + (f.w - cf.w) / 2;
		c->tag = lay_elem_new(c, ROLE_P);
		lay_set_lines(c, caption, b->n_spans + 1, &ps, cf, true);
	}
	c->items[c->n_items - 1].keep_with_next = false;
	c->items[fig_item].float_len = c->n_items - fig_item;
	free(num);
	free(caption);
	lay_space(c, PARA_AFTER + 4);
}

