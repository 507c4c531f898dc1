/*
 * layout: from the document tree to pages of positioned boxes.  Input: a
 * struct doc, a font set, options.  Output: struct layout.  Two passes:
 * blocks become a vertical list of items (a line of text, a table row, a
 * figure, a spacer) carrying their boxes and keep-with-next flags; then
 * pagination places items on pages, repeats table headers, draws the
 * frames of callouts, quotes and code blocks per page, and adds the
 * running head and "Page N of M".  Includes no foreign library headers.
 */
#include "layout/layout_impl.h"

/* ---- boxes ---- */

struct box *
lay_box_add(struct boxlist *l, enum box_kind kind)
{
	struct box *b;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	b = &l->v[l->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->face = -1;
	b->elem = LAYOUT_ART_LAYOUT;
	return b;
}

/* ---- structure ---- */

const char *
layout_role_name(enum layout_role r)
{
	static const char *const names[] = {
		[ROLE_DOCUMENT] = "Document", [ROLE_PART] = "Part", [ROLE_SECT] = "Sect",
		[ROLE_H1] = "H1", [ROLE_H2] = "H2", [ROLE_H3] = "H3", [ROLE_P] = "P",
		[ROLE_L] = "L", [ROLE_LI] = "LI", [ROLE_LBL] = "Lbl", [ROLE_LBODY] = "LBody",
		[ROLE_TABLE] = "Table", [ROLE_TR] = "TR", [ROLE_TH] = "TH", [ROLE_TD] = "TD",
		[ROLE_BLOCKQUOTE] = "BlockQuote", [ROLE_CODE] = "Code", [ROLE_FIGURE] = "Figure",
		[ROLE_CAPTION] = "Caption", [ROLE_SPAN] = "Span",
	};
	return (size_t)r < sizeof(names) / sizeof(names[0]) ? names[r] : "Span";
}

/* A new element of role under parent, last in reading order; returns its index. */
int
lay_elem_add(struct layout *lay, enum layout_role role, int parent)
{
	struct layout_elem *e;

	if (lay->n_elems == lay->cap_elems) {
		lay->cap_elems = lay->cap_elems ? lay->cap_elems * 2 : 64;
		lay->elems = xreallocarray(lay->elems, lay->cap_elems, sizeof(*lay->elems));
	}
	e = &lay->elems[lay->n_elems];
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->parent = parent;
	return (int)lay->n_elems++;
}

/* A new element under the current one. */
int
lay_elem_new(struct ctx *c, enum layout_role role)
{
	return lay_elem_add(c->lay, role, c->elem);
}

static void
box_clear(struct box *b)
{
	free(b->text);
	free(b->glyphs);
	free(b->chart);
}

void
lay_boxlist_free(struct boxlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		box_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
lay_add_rect(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *fill,
    const struct layout_color *stroke, double lw, double dash)
{
	struct box *b = lay_box_add(l, BOX_RECT);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	if (fill) {
		b->filled = true;
		b->fill = *fill;
	}
	if (stroke) {
		b->stroked = true;
		b->color = *stroke;
		b->line_width = lw;
		b->dash = dash;
	}
}

void
lay_add_line(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *c,
    double lw)
{
	struct box *b = lay_box_add(l, BOX_LINE);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->color = *c;
	b->line_width = lw;
}

/* ---- items ---- */

struct item *
lay_item_new(struct ctx *c, double h)
{
	struct item *it;

	if (c->n_items == c->cap_items) {
		c->cap_items = c->cap_items ? c->cap_items * 2 : 64;
		c->items = xreallocarray(c->items, c->cap_items, sizeof(*c->items));
	}
	it = &c->items[c->n_items++];
	memset(it, 0, sizeof(*it));
	it->id = c->n_items - 1;
	it->h = h;
	it->space_before = c->pending;
	c->pending = 0;
	it->container = c->cont;
	it->header = -1;
	it->mark = -1;
	return it;
}

void
lay_space(struct ctx *c, double pts)
{
	if (pts > c->pending)
		c->pending = pts;
}

/* A text box for run t at (x, y), w wide; it takes the run's text and glyphs. */
struct box *
lay_run_box(struct boxlist *out, struct text_run *t, double x, double y, double w)
{
	struct box *b = lay_box_add(out, BOX_TEXT);

	b->x = x;
	b->y = y;
	b->w = w;
	b->h = t->size;
	b->face = t->face;
	b->size = t->size;
	b->text = t->text;
	b->glyphs = t->g;
	b->n_glyphs = t->n_g;
	b->rtl = t->rtl;
	t->text = NULL;
	t->g = NULL;
	return b;
}

/* Boxes for a line set by text_line_set, its left end at (x, y); the runs are taken. */
void
lay_add_text_line(struct boxlist *out, struct text_line *tl, double x, double y,
    const struct layout_color *color)
{
	size_t k;

	for (k = 0; k < tl->n_runs; k++) {
		struct text_run *t = &tl->runs[k];
		double w = t->width;

		lay_run_box(out, t, x, y, w)->color = *color;
		x += w;
	}
}

struct layout *
layout_new(const struct doc *doc, const struct font_set *fs, const struct layout_options *opt,
    struct diag_list *dl)
{
	static const struct layout_options defaults;
	struct layout *lay = xcalloc(1, sizeof(*lay));
	struct ctx c;
	struct frame f;
	size_t i;

	if (opt == NULL)
		opt = &defaults;
	memset(&c, 0, sizeof(c));
	c.fs = fs;
	c.opt = opt;
	c.dl = dl;
	c.lay = lay;
	c.cont = -1;
	if (opt->paper == LAYOUT_A4) {
		lay->page_w = 595.28;
		lay->page_h = 841.89;
	} else {
		lay->page_w = 612;
		lay->page_h = 792;
	}
	lay->margin_x = MARGIN_X;
	lay->margin_top = MARGIN_TOP;
	lay->margin_bottom = MARGIN_BOTTOM;
	c.body_x = MARGIN_X;
	c.body_w = lay->page_w - 2 * MARGIN_X;
	c.body_top = MARGIN_TOP;
	c.body_bottom = lay->page_h - MARGIN_BOTTOM;
	f.x = c.body_x;
	f.w = c.body_w;
	c.elem = lay_elem_add(lay, ROLE_DOCUMENT, -1);
	c.tag = c.elem;
	lay_cache_doc(fs->shape_cache);
	lay_set_blocks(&c, &doc->root, f, 0);
	lay_paginate(&c);
	if (lay_balance_last_page(&c)) {
		for (i = 0; i < lay->n_pages; i++) {
			struct boxlist l = {lay->pages[i].boxes, lay->pages[i].n_boxes,
			    lay->pages[i].cap_boxes};
			lay_boxlist_free(&l);
		}
		lay->n_pages = 0;
		for (i = 0; i < c.n_items; i++)
			c.items[i].placed = false;
		lay_paginate(&c);
	}
	lay_running_heads(&c);
	for (i = 0; i < c.n_items; i++)
		lay_boxlist_free(&c.items[i].boxes);
	free(c.items);
	free(c.conts);
	free(c.warned);
	return lay;
}

void
layout_free(struct layout *lay)
{
	size_t p, i;

	if (lay == NULL)
		return;
	for (p = 0; p < lay->n_pages; p++) {
		struct boxlist l = {lay->pages[p].boxes, lay->pages[p].n_boxes, lay->pages[p].cap_boxes};
		lay_boxlist_free(&l);
	}
	free(lay->pages);
	for (i = 0; i < lay->n_marks; i++)
		free(lay->marks[i].title);
	free(lay->marks);
	for (i = 0; i < lay->n_elems; i++) {
		free(lay->elems[i].alt);
		free(lay->elems[i].title);
		free(lay->elems[i].lang);
	}
	free(lay->elems);
	free(lay);
}

