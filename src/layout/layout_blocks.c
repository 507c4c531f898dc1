/* The layout: headings, paragraphs, code, callouts, quotes and lists as items (see layout_impl.h). */
#include "layout/layout_impl.h"

/* Baseline below the top of a line box of height lead. */
double
lay_baseline_in(const struct ctx *c, double lead, double size)
{
	const struct font *f = &c->fs->faces[c->fs->style_face[FONT_REGULAR]];
	return lead / 2 + size * f->cap_height / 2;
}


/*
 * Sets spans as a paragraph of line items.  First and last lines are kept
 * with their neighbours so no single orphan or widow line is left.
 * Returns the index of the first item made.
 */
size_t
lay_set_lines(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct frame f, bool keep_all)
{
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	size_t i, first = c->n_items;

	lay_shape(c, spans, n, ps, &cs);
	lay_break_lines(&cs, f.w, ps->collapse, &ls);
	for (i = 0; i < ls.n; i++) {
		struct item *it = lay_item_new(c, ps->lead);
		it->baseline = lay_baseline_in(c, ps->lead, ps->size);
		lay_emit_line(c, &it->boxes, &cs, &ls.v[i], ps, f.x, it->baseline, f.w);
		lay_keep_break_space(&it->boxes, 0, cs.v, cs.n, &ls.v[i]);
		lay_tag_text(c->lay, &it->boxes, 0, c->tag, &cs);
		it->keep_with_next = keep_all || (ls.n > 1 && (i == 0 || i + 2 == ls.n));
	}
	lay_chars_free(&cs);
	free(ls.v);
	return first;
}


/*
 * The frame for running text: no wider than MEASURE, so that a line holds
 * 60-75 characters; tables, figures and code keep the whole text block.
 */
static struct frame
measure(struct frame f)
{
	if (f.w > MEASURE)
		f.w = MEASURE;
	return f;
}

/*
 * Whether paragraph b introduces the block after it: the text just above a
 * figure, or a paragraph ending in a colon before a list or a table.  Its
 * last line is then kept with that block, so a lead-in never ends a page.
 */
static bool
leads_in(const struct doc_block *b, const struct doc_block *next)
{
	const char *t;
	size_t n;

	if (b->kind != DOC_PARAGRAPH)
		return false;
	if ((next->kind != DOC_LIST && next->kind != DOC_TABLE) || b->n_spans == 0)
		return false;
	t = b->spans[b->n_spans - 1].text;
	n = t ? strlen(t) : 0;
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\n'))
		n--;
	return n > 0 && t[n - 1] == ':';
}

static int
cont_open(struct ctx *c, enum cont_kind kind, double x0, double x1, double pad,
    struct layout_color bar, struct layout_color bg)
{
	struct container *k;

	if (c->n_conts == c->cap_conts) {
		c->cap_conts = c->cap_conts ? c->cap_conts * 2 : 8;
		c->conts = xreallocarray(c->conts, c->cap_conts, sizeof(*c->conts));
	}
	k = &c->conts[c->n_conts];
	k->parent = c->cont;
	k->kind = kind;
	k->x0 = x0;
	k->x1 = x1;
	k->pad = pad;
	k->bar = bar;
	k->bg = bg;
	c->cont = (int)c->n_conts++;
	return c->cont;
}

static void
cont_close(struct ctx *c)
{
	c->cont = c->conts[c->cont].parent;
}

static void
set_heading(struct ctx *c, const struct doc_block *b, struct frame f)
{
	struct pstyle ps = {FONT_BOLD, heading_scale[b->level].size, heading_scale[b->level].lead,
	    heading_ink, true, DOC_ALIGN_LEFT};
	struct layout_mark *m;
	size_t first, i;

	/* Tagged levels never skip one (a template may go from # to ###). */
	int lv = b->level > c->heading + 1 ? c->heading + 1 : b->level;
	c->heading = lv;
	c->tag = lay_elem_new(c, (enum layout_role)(ROLE_H1 + lv - 1));
	lay_space(c, heading_scale[b->level].before);
	first = lay_set_lines(c, b->spans, b->n_spans, &ps, f, true);
	if (first == c->n_items)
		return;
	if (b->level == 1) {
		struct item *last = &c->items[c->n_items - 1];
		lay_add_line(&last->boxes, f.x, last->h + 3.0, f.w, 0, &rule_ink, 0.6);
		last->h += 4.0;
	}
	for (i = first; i < c->n_items; i++)
		c->items[i].keep_with_next = true;
	if (c->lay->n_marks == c->lay->cap_marks) {
		c->lay->cap_marks = c->lay->cap_marks ? c->lay->cap_marks * 2 : 8;
		c->lay->marks = xreallocarray(c->lay->marks, c->lay->cap_marks, sizeof(*c->lay->marks));
	}
	m = &c->lay->marks[c->lay->n_marks];
	m->level = b->level;
	m->title = doc_block_text(b);
	for (char *p = m->title; *p; p++)
		if (*p == '\n')
			*p = ' ';
	c->items[first].mark = (long)c->lay->n_marks++;
	lay_space(c, heading_scale[b->level].after);
}

static void
set_code(struct ctx *c, const struct doc_block *b, struct frame f)
{
	struct pstyle ps = {FONT_MONO, CODE_SIZE, CODE_LEAD, ink, false, DOC_ALIGN_LEFT};
	struct frame in = {f.x + CODE_PAD, f.w - 2 * CODE_PAD};
	const char *s = b->text ? b->text : "";
	size_t first, n_lines = 0, i;

	lay_space(c, PARA_AFTER);
	c->tag = lay_elem_new(c, ROLE_CODE);
	cont_open(c, CONT_CODE, f.x, f.x + f.w, CODE_PAD, rule_ink, code_bg);
	lay_item_new(c, CODE_PAD)->keep_with_next = true;
	first = c->n_items;
	/* per item: its source line starts with a lay_space (a continuation) */
	bool *cont = NULL;
	size_t n_cont = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct doc_span sp;
		sp.text = xstrndup(s, len);
		sp.style = 0;
		size_t before = c->n_items;
		lay_set_lines(c, &sp, 1, &ps, in, false);
		if (c->n_items == before) {
			struct item *it = lay_item_new(c, CODE_LEAD);
			it->baseline = lay_baseline_in(c, CODE_LEAD, CODE_SIZE);
		} else if (nl != NULL) {
			/* Read in structure order, a line's last word and the next
			   line's first stay apart ("66.9 ms Memory Wall"). */
			lay_append_space(&c->items[c->n_items - 1].boxes, 0);
		}
		cont = xreallocarray(cont, c->n_items - first, sizeof(*cont));
		for (; n_cont < c->n_items - first; n_cont++)
			cont[n_cont] = n_cont > before - first || len == 0 || s[0] == ' ';
		free(sp.text);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	n_lines = c->n_items - first;
	/*
	 * A code block of up to CODE_WHOLE lines (the report's equations)
	 * splits only where a line starts in the first column (a new law,
	 * never before its indented continuation lines), with two lines at
	 * least on each side; a longer one splits like a paragraph.
	 */
	for (i = first; i < c->n_items; i++)
		c->items[i].keep_with_next = i == first || i + 2 == c->n_items ||
		    (n_lines <= CODE_WHOLE && i + 1 < c->n_items && cont[i + 1 - first]);
	free(cont);
	c->items[c->n_items - 1].keep_with_next = false;
	struct item *end = lay_item_new(c, CODE_PAD);
	(void)end;
	if (n_lines > 1)
		c->items[c->n_items - 2].keep_with_next = true;
	cont_close(c);
	lay_space(c, PARA_AFTER + 2);
}

static void
set_callout(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
{
	struct frame in = {f.x + CALLOUT_BAR + CALLOUT_PAD, f.w - CALLOUT_BAR - 2 * CALLOUT_PAD};
	struct pstyle ts = {FONT_BOLD, BODY_SIZE, BODY_LEAD, callout_colors[b->callout].title, true,
	    DOC_ALIGN_LEFT};
	struct doc_span title = {b->title ? b->title : "Note", 0};
	size_t first, i;
	double h = 0;
	int outer = c->elem, sect;

	lay_space(c, PARA_AFTER + 3);
	sect = lay_elem_new(c, ROLE_SECT);
	c->lay->elems[sect].title = xstrdup(title.text);
	c->elem = sect;
	c->tag = lay_elem_new(c, ROLE_P);
	cont_open(c, CONT_CALLOUT, f.x, f.x + f.w, CALLOUT_PAD, callout_colors[b->callout].bar,
	    callout_colors[b->callout].bg);
	first = c->n_items;
	lay_item_new(c, CALLOUT_PAD - 2)->keep_with_next = true;
	lay_set_lines(c, &title, 1, &ts, in, true);
	lay_space(c, 2);
	for (i = 0; i < b->n_kids; i++)
		lay_set_blocks(c, b->kids[i], in, list_depth);
	c->pending = 0;
	lay_item_new(c, CALLOUT_PAD - 1);
	/* A short callout moves whole; a long one splits like its paragraphs. */
	for (i = first; i < c->n_items; i++)
		h += c->items[i].h + c->items[i].space_before;
	if (h < (c->body_bottom - c->body_top) / 3)
		for (i = first; i + 1 < c->n_items; i++)
			c->items[i].keep_with_next = true;
	else if (c->n_items - first >= 2)
		c->items[c->n_items - 2].keep_with_next = true;
	cont_close(c);
	c->elem = outer;
	lay_space(c, PARA_AFTER + 3);
}

static void
set_quote(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
{
	struct frame in = {f.x + QUOTE_INDENT, f.w - QUOTE_INDENT};
	size_t i;

	int outer = c->elem;

	lay_space(c, PARA_AFTER);
	c->elem = lay_elem_new(c, ROLE_BLOCKQUOTE);
	cont_open(c, CONT_QUOTE, f.x, f.x + f.w, 0, rule_ink, white);
	for (i = 0; i < b->n_kids; i++)
		lay_set_blocks(c, b->kids[i], in, list_depth);
	cont_close(c);
	c->elem = outer;
	lay_space(c, PARA_AFTER);
}

static void
format_marker(char *out, size_t n, const struct doc_block *list, size_t k, int depth)
{
	static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA"};
	if (list->ordered)
		snprintf(out, n, "%lu.", (unsigned long)list->start + (unsigned long)k);
	else
		snprintf(out, n, "%s", bullets[depth % 3]);
}

static void
set_list(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
{
	struct frame in = {f.x + LIST_INDENT, f.w - LIST_INDENT};
	size_t k, j;
	int outer = c->elem, list;

	lay_space(c, PARA_AFTER);
	list = lay_elem_new(c, ROLE_L);
	c->lay->elems[list].ordered = b->ordered;
	for (k = 0; k < b->n_kids; k++) {
		const struct doc_block *item = b->kids[k];
		size_t first = c->n_items;
		char mark[32];
		struct item *it;
		enum font_style mf = FONT_REGULAR;
		int li = lay_elem_add(c->lay, ROLE_LI, list);
		int lbl = lay_elem_add(c->lay, ROLE_LBL, li);

		c->elem = lay_elem_add(c->lay, ROLE_LBODY, li);
		if (k > 0 && b->tight)
			c->pending = 2.5; /* a tight list ignores its paragraphs' spacing */
		else if (k > 0)
			lay_space(c, PARA_AFTER);
		for (j = 0; j < item->n_kids; j++) {
			if (j > 0 && b->tight)
				c->pending = item->kids[j]->kind == DOC_LIST ? 2.5 : c->pending;
			lay_set_blocks(c, item->kids[j], in, list_depth + 1);
		}
		if (first == c->n_items) {
			struct item *e = lay_item_new(c, BODY_LEAD);
			e->baseline = lay_baseline_in(c, BODY_LEAD, BODY_SIZE);
		}
		if (item->task != DOC_TASK_NONE)
			snprintf(mark, sizeof(mark), "%s",
			    item->task == DOC_TASK_DONE ? "\xE2\x98\x91" : "\xE2\x98\x90");
		else
			format_marker(mark, sizeof(mark), b, k, list_depth);
		it = &c->items[first];
		/* The marker line stays with the rest of its item. */
		if (c->n_items - first > 1)
			it->keep_with_next = true;
		{
			struct text_line tl;
			size_t from = it->boxes.n, q;
			text_line_set(&tl, c->fs, mf, BODY_SIZE, mark, c->opt->lang);
			lay_add_text_line(&it->boxes, &tl,
			    b->ordered ? in.x - 5.0 - tl.width : in.x - LIST_INDENT + 5.0,
			    it->baseline > 0 ? it->baseline : lay_baseline_in(c, BODY_LEAD, BODY_SIZE),
			    b->ordered ? &ink : &muted);
			text_line_clear(&tl);
			for (q = from; q < it->boxes.n; q++)
				it->boxes.v[q].elem = lbl;
		}
	}
	c->elem = outer;
	lay_space(c, PARA_AFTER);
}

void
lay_set_blocks(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
{
	struct pstyle body = {FONT_REGULAR, BODY_SIZE, BODY_LEAD, ink, true, DOC_ALIGN_LEFT};
	size_t i;

	if (b->line)
		c->line = b->line;
	/* The reader bounds nesting; this guards a hand-built tree. */
	if (f.w < 60 || c->depth > 40) {
		f.w = f.w < 60 ? 60 : f.w;
	}
	c->depth++;
	switch (b->kind) {
	case DOC_ROOT:
		for (i = 0; i < b->n_kids; i++) {
			size_t before = c->n_items;
			lay_set_blocks(c, b->kids[i], f, list_depth);
			/* A paragraph that introduces what follows stays with it. */
			if (c->n_items > before && i + 1 < b->n_kids &&
			    leads_in(b->kids[i], b->kids[i + 1]))
				c->items[c->n_items - 1].keep_with_next = true;
		}
		break;
	case DOC_HEADING:
		set_heading(c, b, f);
		break;
	case DOC_PARAGRAPH:
		c->tag = lay_elem_new(c, ROLE_P);
		lay_set_lines(c, b->spans, b->n_spans, &body, measure(f), false);
		lay_space(c, PARA_AFTER);
		break;
	case DOC_CELL:
		c->tag = lay_elem_new(c, ROLE_P);
		lay_set_lines(c, b->spans, b->n_spans, &body, f, false);
		lay_space(c, PARA_AFTER);
		break;
	case DOC_LIST:
		set_list(c, b, measure(f), list_depth);
		break;
	case DOC_ITEM:
	case DOC_ROW:
		for (i = 0; i < b->n_kids; i++)
			lay_set_blocks(c, b->kids[i], f, list_depth);
		break;
	case DOC_QUOTE:
		set_quote(c, b, measure(f), list_depth);
		break;
	case DOC_CALLOUT:
		set_callout(c, b, measure(f), list_depth);
		break;
	case DOC_CODE:
		set_code(c, b, f);
		break;
	case DOC_TABLE:
		lay_set_table(c, b, f);
		break;
	case DOC_RULE: {
		struct item *it;
		lay_space(c, 8);
		it = lay_item_new(c, 1);
		lay_add_line(&it->boxes, f.x, 0.5, f.w, 0, &rule_ink, 0.6);
		lay_space(c, 10);
		break;
	}
	case DOC_PAGEBREAK:
		lay_item_new(c, 0)->break_before = true;
		c->pending = 0;
		break;
	case DOC_FIGURE:
		lay_set_figure(c, b, f);
		break;
	}
	c->depth--;
}

