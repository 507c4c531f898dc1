/* The layout: items onto pages, frames, running heads and folios (see layout_impl.h). */
#include "layout/layout_impl.h"

/* ---- pagination ---- */

static struct layout_page *
page_new(struct layout *lay)
{
	struct layout_page *p;

	if (lay->n_pages == lay->cap_pages) {
		lay->cap_pages = lay->cap_pages ? lay->cap_pages * 2 : 8;
		lay->pages = xreallocarray(lay->pages, lay->cap_pages, sizeof(*lay->pages));
	}
	p = &lay->pages[lay->n_pages++];
	memset(p, 0, sizeof(*p));
	return p;
}

static void
place_boxes(struct boxlist *dst, const struct boxlist *src, double top, bool copy)
{
	size_t k;

	/* Room for all at once: items are placed a few boxes at a time. */
	if (dst->cap - dst->n < src->n) {
		size_t cap = dst->cap ? dst->cap * 2 : 8;
		if (cap < dst->n + src->n)
			cap = dst->n + src->n;
		dst->v = xreallocarray(dst->v, cap, sizeof(*dst->v));
		dst->cap = cap;
	}
	for (k = 0; k < src->n; k++) {
		struct box *b = &dst->v[dst->n++];
		*b = src->v[k];
		b->y += top;
		if (copy) {
			b->text = src->v[k].text ? xstrdup(src->v[k].text) : NULL;
			if (src->v[k].n_glyphs > 0) {
				b->glyphs = xreallocarray(NULL, src->v[k].n_glyphs, sizeof(*b->glyphs));
				memcpy(b->glyphs, src->v[k].glyphs,
				    src->v[k].n_glyphs * sizeof(*b->glyphs));
			} else {
				b->glyphs = NULL;
			}
			b->chart = src->v[k].chart ? xstrdup(src->v[k].chart) : NULL;
		}
	}
}

/* Frames of containers over the items of one page, behind the content. */
static void
frames(struct ctx *c, size_t first, size_t end, struct boxlist *under)
{
	double *top = xcalloc(c->n_conts ? c->n_conts : 1, sizeof(double));
	double *bot = xcalloc(c->n_conts ? c->n_conts : 1, sizeof(double));
	bool *seen = xcalloc(c->n_conts ? c->n_conts : 1, sizeof(bool));
	size_t i, k;

	for (i = first; i < end; i++) {
		const struct item *it = &c->items[i];
		int cn;
		if (!it->placed)
			continue;
		for (cn = it->container; cn >= 0; cn = c->conts[cn].parent) {
			if (!seen[cn] || it->top < top[cn])
				top[cn] = it->top;
			if (!seen[cn] || it->top + it->h > bot[cn])
				bot[cn] = it->top + it->h;
			seen[cn] = true;
		}
	}
	for (k = 0; k < c->n_conts; k++) {
		const struct container *ct = &c->conts[k];
		double h;
		if (!seen[k])
			continue;
		h = bot[k] - top[k];
		if (ct->kind == CONT_QUOTE) {
			lay_add_rect(under, ct->x0, top[k] + 1, 2.5, h - 2, &ct->bar, NULL, 0, 0);
		} else if (ct->kind == CONT_CODE) {
			lay_add_rect(under, ct->x0, top[k], ct->x1 - ct->x0, h, &ct->bg, &ct->bar, 0.4, 0);
		} else {
			lay_add_rect(under, ct->x0, top[k], ct->x1 - ct->x0, h, &ct->bg, NULL, 0, 0);
			lay_add_rect(under, ct->x0, top[k], CALLOUT_BAR, h, &ct->bar, NULL, 0, 0);
		}
	}
	free(top);
	free(bot);
	free(seen);
}

/* Height of the keep-with-next chain that starts at item i, on a page that is not empty. */
static double
chain_height(const struct ctx *c, size_t i, double body_h, size_t *end)
{
	double chain = c->items[i].space_before + c->items[i].h;
	size_t k;

	for (k = i; c->items[k].keep_with_next && k + 1 < c->n_items && chain <= body_h; k++) {
		if (c->items[k + 1].break_before)
			break;
		chain += c->items[k + 1].space_before + c->items[k + 1].h;
	}
	*end = k + 1;
	return chain;
}

/*
 * Figure i (with its caption, float_len items) does not fit in the room
 * left on the page: the whole chains of text that follow it and fit in
 * that room move ahead of it, so the page is filled and the figure opens
 * the next one (after a table that starts here).  Text is not pulled past
 * another figure, an explicit break or a level-1 heading.  Returns
 * whether anything moved.
 */
static bool
float_figure(struct ctx *c, size_t i, double room, double body_h)
{
	size_t g = c->items[i].float_len, j = i + g, end, k;
	double used = 0, h;

	while (j < c->n_items) {
		const struct item *n = &c->items[j];
		if (n->float_len > 0 || n->break_before ||
		    (n->mark >= 0 && c->lay->marks[n->mark].level <= 1))
			break;
		h = chain_height(c, j, body_h, &end);
		/*
		 * A table moves whole, so that no rows sit on both sides of the
		 * figure: when its start fits here, the rest runs on to the next
		 * page (under its repeated header) and the figure follows it.
		 */
		if (n->is_header) {
			size_t tend;
			for (tend = j + 1; tend < c->n_items && c->items[tend].header == (long)j; tend++)
				;
			if (used + h > room + 1e-6)
				break;
			j = tend;
			break;
		}
		for (k = j; k < end; k++)
			if (c->items[k].float_len > 0 || c->items[k].break_before)
				break;
		if (k < end || used + h > room + 1e-6)
			break;
		used += h;
		j = end;
	}
	if (j == i + g)
		return false;
	/* rotate [i, j): the pulled items first, then the figure */
	{
		size_t np = j - i - g;
		struct item *tmp = xreallocarray(NULL, g, sizeof(*tmp));
		memcpy(tmp, &c->items[i], g * sizeof(*tmp));
		memmove(&c->items[i], &c->items[i + g], np * sizeof(*tmp));
		memcpy(&c->items[i + np], tmp, g * sizeof(*tmp));
		free(tmp);
		for (k = 0; k < c->n_items; k++) {
			long hd = c->items[k].header;
			if (hd < 0)
				continue;
			if ((size_t)hd >= i + g && (size_t)hd < j)
				c->items[k].header = hd - (long)g;
			else if ((size_t)hd >= i && (size_t)hd < i + g)
				c->items[k].header = hd + (long)np;
		}
	}
	return true;
}

/*
 * After a pagination whose last page is less than a quarter full: the
 * place on the page before it where a new page should start instead, so
 * that both pages are at least three quarters and one quarter full.
 * Sets c->force and c->force_id and returns true, or false when no such
 * break exists (a page that cannot give that much without going more than
 * a quarter empty, or a keep that forbids every candidate).
 */
bool
lay_balance_last_page(struct ctx *c)
{
	const struct layout *lay = c->lay;
	double body_h = c->body_bottom - c->body_top, last = c->body_top, bottom = c->body_top;
	size_t pl, i, first = 0;
	bool seen = false;

	if (lay->n_pages < 2 || c->force)
		return false;
	pl = lay->n_pages - 1;
	for (i = 0; i < c->n_items; i++) {
		const struct item *it = &c->items[i];
		if (!it->placed)
			continue;
		if (it->page == pl && it->top + it->h > last)
			last = it->top + it->h;
		if (it->page == pl - 1) {
			if (!seen)
				first = i;
			seen = true;
			if (it->top + it->h > bottom)
				bottom = it->top + it->h;
		}
	}
	double need = body_h / 4 - (last - c->body_top) + 1;
	if (!seen || need <= 1)
		return false;
	for (i = c->n_items; i-- > first + 1;) {
		const struct item *it = &c->items[i];
		if (!it->placed || it->page != pl - 1 || it->h <= 0)
			continue;
		if (bottom - it->top < need)
			continue;
		if (c->body_bottom - it->top > body_h / 4)
			return false;
		if (c->items[i - 1].keep_with_next || it->break_before)
			continue;
		c->force = true;
		c->force_id = it->id;
		return true;
	}
	return false;
}

void
lay_paginate(struct ctx *c)
{
	struct layout *lay = c->lay;
	double body_h = c->body_bottom - c->body_top, y = c->body_top;
	bool empty = true;
	size_t i, page_first = 0;
	struct boxlist content = {NULL, 0, 0};

	page_new(lay);
	for (i = 0; i < c->n_items; i++) {
		struct item *it = &c->items[i];
		double chain, sb = empty ? 0 : it->space_before;
		size_t k;

		if (it->break_before) {
			if (!empty)
				goto new_page;
			continue;
		}
		if (c->force && it->id == c->force_id && !empty)
			goto new_page;
		chain = sb + it->h;
		for (k = i; c->items[k].keep_with_next && k + 1 < c->n_items && chain <= body_h; k++) {
			if (c->items[k + 1].break_before)
				break;
			chain += c->items[k + 1].space_before + c->items[k + 1].h;
		}
		if (!empty && y + chain > c->body_bottom + 1e-6 && chain <= body_h + 1e-6) {
			if (it->float_len > 0 && float_figure(c, i, c->body_bottom - y, body_h)) {
				i--;          /* place the pulled text first */
				continue;
			}
			goto new_page;
		}
		if (!empty && y + sb + it->h > c->body_bottom + 1e-6)
			goto new_page;
		goto place;
	new_page: {
		struct boxlist under = {NULL, 0, 0};
		struct layout_page *p;
		frames(c, page_first, i, &under);
		p = &lay->pages[lay->n_pages - 1];
		place_boxes(&under, &content, 0, false);
		free(content.v);
		memset(&content, 0, sizeof(content));
		p->boxes = under.v;
		p->n_boxes = under.n;
		p->cap_boxes = under.cap;
		page_new(lay);
		page_first = i;
		y = c->body_top;
		empty = true;
		sb = 0;
		if (it->break_before)
			continue;
		/* A table continues under a copy of its header row. */
		if (it->header >= 0) {
			const struct item *h = &c->items[it->header];
			size_t from = content.n, k2;
			place_boxes(&content, &h->boxes, y, true);
			for (k2 = from; k2 < content.n; k2++)
				content.v[k2].elem = LAYOUT_ART_LAYOUT;
			y += h->h;
			empty = false;
		}
	}
	place:
		y += sb;
		it->top = y;
		it->page = lay->n_pages - 1;
		it->placed = true;
		if (it->h > 0 || it->boxes.n > 0)
			empty = false;
		/* Header rows keep their boxes for the copies on later pages. */
		/* copies: the items keep their boxes for a second pagination */
		place_boxes(&content, &it->boxes, y, true);
		if (it->mark >= 0) {
			lay->marks[it->mark].page = it->page;
			lay->marks[it->mark].y = y;
		}
		y += it->h;
	}
	{
		struct boxlist under = {NULL, 0, 0};
		struct layout_page *p = &lay->pages[lay->n_pages - 1];
		frames(c, page_first, c->n_items, &under);
		place_boxes(&under, &content, 0, false);
		free(content.v);
		p->boxes = under.v;
		p->n_boxes = under.n;
		p->cap_boxes = under.cap;
	}
}

static void
running_text(struct ctx *c, struct boxlist *l, const char *text, enum font_style st, double x,
    double y, double maxw, enum doc_align align)
{
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	struct doc_span sp = {(char *)(uintptr_t)text, 0};
	struct pstyle ps = {st, RUN_SIZE, RUN_SIZE * 1.3, muted, true, align};

	lay_shape(c, &sp, 1, &ps, &cs);
	lay_break_lines(&cs, maxw, true, &ls);
	if (ls.n > 0) {
		/* One line only: a long title is cut with an ellipsis. */
		if (ls.n > 1) {
			struct doc_span e[2] = {{(char *)(uintptr_t)text, 0}, {"\xE2\x80\xA6", 0}};
			size_t cut = ls.v[0].end;
			char *head = xstrndup(text, cs.v[cut < cs.n ? cut : cs.n - 1].off);
			e[0].text = head;
			struct lines l2 = {NULL, 0, 0};
			do {
				size_t len = strlen(head);
				while (len > 0 && ((unsigned char)head[len - 1] & 0xC0) == 0x80)
					len--;
				if (len > 0)
					len--;
				head[len] = '\0';
				lay_shape(c, e, 2, &ps, &cs);
				lay_break_lines(&cs, maxw, true, &l2);
			} while (l2.n > 1 && head[0] != '\0');
			if (l2.n > 0)
				lay_emit_line(c, l, &cs, &l2.v[0], &ps, x, y, maxw);
			free(l2.v);
			free(head);
		} else {
			lay_emit_line(c, l, &cs, &ls.v[0], &ps, x, y, maxw);
		}
	}
	lay_chars_free(&cs);
	free(ls.v);
}

void
lay_running_heads(struct ctx *c)
{
	struct layout *lay = c->lay;
	size_t p;
	/* The title is set once in the head and once in the foot, then copied
	   onto each page (a name too long is cut by shaping it again and again). */
	struct boxlist head = {NULL, 0, 0}, foot = {NULL, 0, 0};
	bool have_head = false, have_foot = false;

	if (c->opt->bare)
		return;
	for (p = 0; p < lay->n_pages; p++) {
		struct boxlist l = {lay->pages[p].boxes, lay->pages[p].n_boxes, lay->pages[p].cap_boxes};
		char *folio = xasprintf("Page %zu of %zu", p + 1, lay->n_pages);
		double fy = lay->page_h - MARGIN_BOTTOM + 24;
		size_t from = l.n, k;
		if (c->opt->title != NULL && *c->opt->title != '\0' && p > 0) {
			if (!have_head)
				running_text(c, &head, c->opt->title, FONT_REGULAR, c->body_x,
				    MARGIN_TOP - 22, c->body_w, DOC_ALIGN_LEFT);
			have_head = true;
			place_boxes(&l, &head, 0, true);
			lay_add_line(&l, c->body_x, MARGIN_TOP - 16, c->body_w, 0, &rule_ink, 0.5);
		}
		for (k = from; k < l.n; k++)
			l.v[k].elem = LAYOUT_ART_HEADER;
		from = l.n;
		lay_add_line(&l, c->body_x, fy - 12, c->body_w, 0, &rule_ink, 0.5);
		if (c->opt->title != NULL && *c->opt->title != '\0') {
			if (!have_foot)
				running_text(c, &foot, c->opt->title, FONT_REGULAR, c->body_x, fy,
				    c->body_w * 0.7, DOC_ALIGN_LEFT);
			have_foot = true;
			place_boxes(&l, &foot, 0, true);
		}
		running_text(c, &l, folio, FONT_REGULAR, c->body_x + c->body_w * 0.7, fy,
		    c->body_w * 0.3, DOC_ALIGN_RIGHT);
		for (k = from; k < l.n; k++)
			l.v[k].elem = LAYOUT_ART_FOOTER;
		free(folio);
		lay->pages[p].boxes = l.v;
		lay->pages[p].n_boxes = l.n;
		lay->pages[p].cap_boxes = l.cap;
	}
	lay_boxlist_free(&head);
	lay_boxlist_free(&foot);
}

