/*
 * layout: from the document tree to pages of positioned boxes.  Input: a
 * struct doc, a font set, options.  Output: struct layout.  Two passes:
 * blocks become a vertical list of items (a line of text, a table row, a
 * figure, a spacer) carrying their boxes and keep-with-next flags; then
 * pagination places items on pages, repeats table headers, draws the
 * frames of callouts, quotes and code blocks per page, and adds the
 * running head and "Page N of M".  Includes no foreign library headers.
 */
#include "layout.h"
#include "text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- typographic scale (points) ---- */
#define BODY_SIZE 9.5
#define BODY_LEAD 12.2
#define PARA_AFTER 4.0
#define CODE_SIZE 8.0
#define CODE_LEAD 9.5
#define CODE_PAD 6.0
#define CODE_WHOLE 24           /* lines: shorter code blocks never split */
#define TABLE_SIZE 8.5
#define TABLE_LEAD 10.2
#define CELL_PADX 5.0
#define CELL_PADY 1.5
#define CAPTION_SIZE 8.5
#define CAPTION_LEAD 11.5
#define CAPTION_MEASURE 400.0   /* points: a caption's longest line */
#define LIST_INDENT 18.0
#define QUOTE_INDENT 12.0
#define CALLOUT_PAD 5.5
#define CALLOUT_BAR 3.0
#define MARGIN_X 72.0
#define MEASURE 348.0           /* points: the width of running text, 60-75 characters */
#define MARGIN_TOP 48.0
#define MARGIN_BOTTOM 46.0
#define RUN_SIZE 8.0

static const struct {
	double size, lead, before, after;
} heading_scale[4] = {
	{0, 0, 0, 0},
	{20.0, 24.0, 20.0, 8.0},
	{14.5, 18.5, 12.0, 4.0},
	{11.5, 15.0, 8.0, 3.0},
};

static const struct layout_color ink = {0.13, 0.13, 0.13};
static const struct layout_color heading_ink = {0.09, 0.20, 0.33};
static const struct layout_color muted = {0.42, 0.42, 0.42};
static const struct layout_color link_ink = {0.08, 0.33, 0.62};
static const struct layout_color rule_ink = {0.75, 0.75, 0.75};
static const struct layout_color code_bg = {0.95, 0.95, 0.96};
static const struct layout_color head_bg = {0.93, 0.94, 0.96};
static const struct layout_color white = {1, 1, 1};

/*
 * A callout's bar, background and title ink.  The title is darker than
 * the bar so that it reads at 4.5:1 or more on the background (WCAG 2.1
 * 1.4.3; the bar colours gave 4.47, 4.09, 2.86 and 5.04 to 1).
 */
static const struct {
	struct layout_color bar, bg, title;
} callout_colors[] = {
	[DOC_INFO] = {{0.16, 0.44, 0.75}, {0.92, 0.95, 0.99}, {0.13, 0.38, 0.66}},
	[DOC_SUCCESS] = {{0.16, 0.53, 0.29}, {0.92, 0.97, 0.93}, {0.13, 0.45, 0.24}},
	[DOC_WARNING] = {{0.78, 0.52, 0.02}, {1.00, 0.96, 0.88}, {0.55, 0.36, 0.00}},
	[DOC_DANGER] = {{0.76, 0.17, 0.17}, {0.99, 0.93, 0.93}, {0.70, 0.14, 0.14}},
};

struct boxlist {
	struct box *v;      /* owned */
	size_t n, cap;
};

struct item {
	double h;            /* points */
	double space_before; /* points; dropped at the top of a page */
	bool keep_with_next;
	bool break_before;   /* explicit page break */
	int container;       /* innermost container, -1 = none */
	long header;         /* table header item to repeat on a new page, -1 = none */
	long mark;           /* outline entry, -1 = none */
	double baseline;     /* first baseline below the item top, points; 0 = none */
	struct boxlist boxes; /* y relative to the item top */
	size_t page;         /* placement */
	double top;          /* placement: points */
	bool placed;
	bool is_header;      /* a table header row, copied onto continuation pages */
	size_t float_len;    /* a figure: items of the figure and its caption, which may
	                        float to the next page while text after it fills this one */
	size_t id;           /* order of making, which floats do not change */
};

enum cont_kind { CONT_CALLOUT, CONT_QUOTE, CONT_CODE };

struct container {
	int parent;          /* -1 = none */
	enum cont_kind kind;
	double x0, x1;       /* points */
	double pad;          /* points added above and below where split */
	struct layout_color bar, bg;
};

struct pstyle {
	enum font_style font;
	double size, lead;   /* points */
	struct layout_color color;
	bool collapse;       /* collapse white space (not in code) */
	enum doc_align align;
};

struct ctx {
	const struct font_set *fs;
	const struct layout_options *opt;
	struct diag_list *dl;
	struct layout *lay;
	struct item *items;
	size_t n_items, cap_items;
	struct container *conts;
	size_t n_conts, cap_conts;
	int cont;            /* current innermost container */
	double pending;      /* collapsed space before the next item, points */
	double body_x, body_w, body_top, body_bottom; /* points */
	int figures;         /* figures numbered so far */
	uint32_t *warned;    /* code points already reported missing */
	size_t n_warned, cap_warned;
	unsigned line;       /* source line of the block being set */
	int depth;           /* block nesting, to bound recursion */
	int elem;            /* structure element new elements go under */
	int tag;             /* structure element of the text set_lines makes */
	int heading;         /* level of the last heading tagged, 0 = none yet */
	bool force;          /* paginate: a new page before the item made as force_id */
	size_t force_id;
};

/* ---- boxes ---- */

static struct box *
box_add(struct boxlist *l, enum box_kind kind)
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
static int
elem_add(struct layout *lay, enum layout_role role, int parent)
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
static int
elem_new(struct ctx *c, enum layout_role role)
{
	return elem_add(c->lay, role, c->elem);
}

static void
box_clear(struct box *b)
{
	free(b->text);
	free(b->glyphs);
	free(b->chart);
}

static void
boxlist_free(struct boxlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		box_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
add_rect(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *fill,
    const struct layout_color *stroke, double lw, double dash)
{
	struct box *b = box_add(l, BOX_RECT);
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

static void
add_line(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *c,
    double lw)
{
	struct box *b = box_add(l, BOX_LINE);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->color = *c;
	b->line_width = lw;
}

/* ---- items ---- */

static struct item *
item_new(struct ctx *c, double h)
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

static void
space(struct ctx *c, double pts)
{
	if (pts > c->pending)
		c->pending = pts;
}

/* Boxes for a line set by text_line_set, its left end at (x, y); the runs are taken. */
static void
add_text_line(struct boxlist *out, struct text_line *tl, double x, double y,
    const struct layout_color *color)
{
	size_t k;

	for (k = 0; k < tl->n_runs; k++) {
		struct text_run *t = &tl->runs[k];
		struct box *b = box_add(out, BOX_TEXT);
		b->x = x;
		b->y = y;
		b->w = t->width;
		b->h = t->size;
		b->face = t->face;
		b->size = t->size;
		b->text = t->text;
		b->glyphs = t->g;
		b->n_glyphs = t->n_g;
		b->rtl = t->rtl;
		b->color = *color;
		t->text = NULL;
		t->g = NULL;
		x += t->width;
	}
}

/* ---- characters ---- */

static enum font_style
span_font(enum font_style base, unsigned style)
{
	if (style & DOC_CODE_SPAN)
		return FONT_MONO;
	return font_style_with(base, (style & DOC_BOLD) != 0, (style & DOC_ITALIC) != 0);
}

static void
warn_missing(struct ctx *c, uint32_t cp)
{
	size_t i;
	char *w;

	for (i = 0; i < c->n_warned; i++)
		if (c->warned[i] == cp)
			return;
	if (c->opt->quiet != NULL) {
		const char *q = c->opt->quiet, *qe = q + strlen(q);
		while (q < qe)
			if (font_utf8_next(&q, qe) == cp)
				return;
	}
	if (c->n_warned == c->cap_warned) {
		c->cap_warned = c->cap_warned ? c->cap_warned * 2 : 8;
		c->warned = xreallocarray(c->warned, c->cap_warned, sizeof(*c->warned));
	}
	c->warned[c->n_warned++] = cp;
	w = c->line ? xasprintf("%s:%u", c->opt->source ? c->opt->source : "document", c->line)
		    : xstrdup(c->opt->source ? c->opt->source : "document");
	diag_add(c->dl, DIAG_WARNING, w,
	    "character U+%04X is in none of the fonts; printed as a replacement mark",
	    (unsigned)cp);
	free(w);
}

struct chars {
	struct text_char *v; /* owned */
	size_t n, cap;
	unsigned char *brk;  /* owned; text.c's break marks, or NULL */
	int level;           /* paragraph level, 1 = right to left */
	/* Language: the characters of stretch k (1-based) carry k << LANG_SHIFT
	   in their style, so runs end where a stretch does; each becomes a
	   Span (span_elem[k - 1], made when first tagged).  whole: the
	   language of the whole text when one stretch has nearly all of it. */
	const char **span_lang;  /* owned array; strings borrowed */
	int *span_elem;          /* owned */
	size_t n_span, cap_span;
	const char *whole;
};
#define LANG_SHIFT 8
/* A text box of stretch k until tag_text gives it its Span. */
#define SPAN_PENDING(k) (-1000 - (int)(k))

static void
ch_push(struct ctx *c, struct chars *cs, uint32_t cp, enum font_style font, double size,
    unsigned style, unsigned off)
{
	struct text_char *h;

	(void)c;
	if (cp < 0x20 && cp != '\n')
		cp = ' ';
	if (cp == '\n' && !(style & DOC_HARD_BREAK))
		cp = ' ';
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 64;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof(*cs->v));
	}
	h = &cs->v[cs->n++];
	memset(h, 0, sizeof(*h));
	h->cp = cp;
	h->fstyle = (unsigned char)font;
	h->size = (float)size;
	h->style = style;
	h->off = off;
}

static void
chars_free(struct chars *cs)
{
	free(cs->span_lang);
	free(cs->span_elem);
	free(cs->v);
	free(cs->brk);
	memset(cs, 0, sizeof(*cs));
}

/*
 * The text boxes of l from index from on belong to elem, those of a
 * language stretch of cs (NULL = none) to a Span of elem.
 */
static void
tag_text(struct layout *lay, struct boxlist *l, size_t from, int elem, const struct chars *cs)
{
	if (cs != NULL && cs->whole != NULL && elem >= 0 && lay->elems[elem].lang == NULL)
		lay->elems[elem].lang = xstrdup(cs->whole);
	for (; from < l->n; from++) {
		struct box *b = &l->v[from];
		if (b->kind != BOX_TEXT)
			continue;
		if (b->elem <= SPAN_PENDING(0) && cs != NULL &&
		    (size_t)(SPAN_PENDING(0) - b->elem) < cs->n_span) {
			size_t k = (size_t)(SPAN_PENDING(0) - b->elem);
			if (cs->span_elem[k] < 0) {
				cs->span_elem[k] = elem_add(lay, ROLE_SPAN, elem);
				lay->elems[cs->span_elem[k]].lang = xstrdup(cs->span_lang[k]);
			}
			b->elem = cs->span_elem[k];
		} else {
			b->elem = elem;
		}
	}
}

/* Spans to characters: fonts resolved, white space collapsed where asked. */
/* Whether tag is the document's language (English: the templates'). */
static bool
doc_lang(const char *tag)
{
	return tag == NULL || *tag == '\0' || ((tag[0] == 'e' || tag[0] == 'E') &&
	    (tag[1] == 'n' || tag[1] == 'N') && (tag[2] == '\0' || tag[2] == '-'));
}

/* The occurrences of name nm in cs as stretches of their own (sid: each character's). */
static void
mark_name(const struct layout_name *nm, const struct chars *cs, int *sid, const char ***lang,
    size_t *n_lang, size_t *cap)
{
	uint32_t name[128];
	size_t nn = 0, i, j;
	const char *s = nm->text, *end;

	if (s == NULL || doc_lang(nm->lang))
		return;
	end = s + strlen(s);
	while (s < end && nn < sizeof(name) / sizeof(name[0])) {
		uint32_t cp = font_utf8_next(&s, end);
		if (cp == '\n' || cp == '\t' || cp == '\r')
			cp = ' ';
		if (cp == ' ' && (nn == 0 || name[nn - 1] == ' '))
			continue;
		name[nn++] = cp;
	}
	while (nn > 0 && name[nn - 1] == ' ')
		nn--;
	if (nn == 0 || s < end)
		return;
	for (i = 0; i + nn <= cs->n; i++) {
		for (j = 0; j < nn && cs->v[i + j].orig == name[j]; j++)
			;
		if (j < nn)
			continue;
		for (j = 0; j < nn; j++)
			sid[i + j] = (int)*n_lang;
		if (*n_lang == *cap) {
			*cap = *cap * 2 + 4;
			*lang = xreallocarray(*lang, *cap, sizeof(**lang));
		}
		(*lang)[(*n_lang)++] = nm->lang;
		i += nn - 1;
	}
}

/*
 * Tags cs's characters with their language (struct chars): stretches in
 * other scripts and the occurrences of the names.  One that has all the
 * letters is the language of the whole element instead, and in a
 * right-to-left paragraph one that has 80 % of them (a Span's place in
 * the element's /K is where it is drawn, and lines are drawn in visual
 * order, so Spans in a right-to-left paragraph would be read out of order).
 */
static void
mark_langs(const struct ctx *c, struct chars *cs)
{
	struct text_lang_span *ls = NULL;
	size_t nls, letters = 0, i, k, n_lang = 0, best = 0, cap, *count;
	int *sid;
	const char **lang;

	cs->n_span = 0;
	cs->whole = NULL;
	nls = text_lang_spans(cs->v, cs->n, c->fs->han_lang, &ls, &letters);
	if ((nls == 0 && c->opt->n_names == 0) || cs->n == 0) {
		free(ls);
		return;
	}
	sid = xreallocarray(NULL, cs->n, sizeof(*sid));
	cap = nls + 4;
	lang = xreallocarray(NULL, cap, sizeof(*lang));
	for (i = 0; i < cs->n; i++)
		sid[i] = -1;
	for (k = 0; k < nls; k++) {
		for (i = ls[k].first; i < ls[k].end; i++)
			sid[i] = (int)n_lang;
		lang[n_lang++] = ls[k].lang;
	}
	free(ls);
	for (k = 0; k < c->opt->n_names; k++)
		mark_name(&c->opt->names[k], cs, sid, &lang, &n_lang, &cap);
	/* Letters per language, and whether one language has nearly all. */
	count = xcalloc(n_lang + 1, sizeof(*count));
	for (i = 0; i < cs->n; i++)
		if (sid[i] >= 0 && text_is_letter(cs->v[i].orig))
			for (k = 0; k < n_lang; k++)
				if (strcmp(lang[k], lang[sid[i]]) == 0) {
					count[k]++;
					break;
				}
	for (k = 1; k < n_lang; k++)
		if (count[k] > count[best])
			best = k;
	if (n_lang > 0 && letters > 0 && (count[best] == letters ||
	    (cs->level == 1 && count[best] * 5 >= letters * 4)))
		cs->whole = lang[best];
	/* The rest become Spans, numbered in the order they come. */
	if (cs->cap_span < n_lang) {
		cs->cap_span = n_lang;
		cs->span_lang = xreallocarray(cs->span_lang, n_lang, sizeof(*cs->span_lang));
		cs->span_elem = xreallocarray(cs->span_elem, n_lang, sizeof(*cs->span_elem));
	}
	for (k = 0; k < n_lang; k++)
		count[k] = 0;   /* now: 1 + the Span number of stretch k, 0 = none yet */
	for (i = 0; i < cs->n; i++) {
		int s = sid[i];
		if (s < 0 || (cs->whole != NULL && strcmp(lang[s], cs->whole) == 0))
			continue;
		if (count[s] == 0) {
			cs->span_lang[cs->n_span] = lang[s];
			cs->span_elem[cs->n_span] = -1;
			count[s] = ++cs->n_span;
		}
		cs->v[i].style |= (unsigned)count[s] << LANG_SHIFT;
	}
	free(count);
	free(lang);
	free(sid);
}

static void
shape(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct chars *cs)
{
	size_t i;
	unsigned off = 0;
	unsigned col = 0;

	cs->n = 0;
	for (i = 0; i < n; i++) {
		const struct doc_span *sp = &spans[i];
		const char *s = sp->text, *end = s + strlen(s);
		enum font_style font = span_font(ps->font, sp->style);
		double size = ps->size * ((sp->style & DOC_CODE_SPAN) && ps->font != FONT_MONO ? 0.9 : 1.0);

		if (sp->style & DOC_HARD_BREAK) {
			ch_push(c, cs, '\n', font, size, DOC_HARD_BREAK, off);
			col = 0;
			continue;
		}
		while (s < end) {
			unsigned here = off + (unsigned)(s - sp->text);
			uint32_t cp = font_utf8_next(&s, end);
			bool ws = cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r';
			if (ps->collapse && ws) {
				if (cs->n == 0 || cs->v[cs->n - 1].cp == ' ' || cs->v[cs->n - 1].cp == '\n')
					continue;
				cp = ' ';
			}
			if (!ps->collapse && cp == '\t') {
				do {
					ch_push(c, cs, ' ', font, size, sp->style, here);
				} while (++col % 4 != 0);
				continue;
			}
			ch_push(c, cs, cp, font, size, sp->style, here);
			col++;
		}
		off += (unsigned)strlen(sp->text);
	}
	text_faces(c->fs, cs->v, cs->n, c->opt->lang);
	if (c->dl != NULL)
		for (i = 0; i < cs->n; i++)
			if (cs->v[i].missing)
				warn_missing(c, cs->v[i].orig);
	cs->level = text_bidi(cs->v, cs->n);
	mark_langs(c, cs);
	text_measure(c->fs, cs->v, cs->n, c->opt->lang);
	free(cs->brk);
	cs->brk = NULL;
	if (cs->n > 0) {
		unsigned char *brk = xcalloc(cs->n, 1);
		if (text_breaks(cs->v, cs->n, c->opt->lang, brk))
			cs->brk = brk;
		else
			free(brk);
	}
}

/* ---- line breaking ---- */

struct lines {
	struct layout_line *v; /* owned */
	size_t n, cap;
};

static void
line_push(struct lines *ls, const struct text_char *v, size_t first, size_t end)
{
	double w = 0;
	size_t k, e = end;

	while (e > first && v[e - 1].cp == ' ')
		e--;
	for (k = first; k < e; k++)
		w += v[k].adv;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 8;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof(*ls->v));
	}
	ls->v[ls->n].first = first;
	ls->v[ls->n].end = e;
	ls->v[ls->n].width = w;
	ls->n++;
}

static bool
is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0xC0;
}

static bool
url_break_after(uint32_t cp)
{
	return cp == '/' || cp == '-' || cp == '.' || cp == '_' || cp == '?' || cp == '&' ||
	    cp == '=' || cp == ',' || cp == ':' || cp == ';' || cp == '#' || cp == ')';
}

/*
 * Greedy breaking: at spaces, after a hyphen between letters, after dashes,
 * at hard breaks; a word longer than the line is cut, preferably after a
 * URL separator, so nothing ever overflows.
 */
static void
break_lines(const struct chars *cs, double width, bool collapse, struct lines *ls)
{
	const struct text_char *v = cs->v;
	size_t n = cs->n, i = 0;

	ls->n = 0;
	while (i < n) {
		size_t j, cand_end = 0, cand_next = 0;
		bool have_cand = false;
		double w = 0;

		if (collapse)
			while (i < n && v[i].cp == ' ')
				i++;
		if (i >= n)
			break;
		for (j = i; j < n; j++) {
			uint32_t cp = v[j].cp;
			if (v[j].style & DOC_HARD_BREAK) {
				line_push(ls, v, i, j);
				i = j + 1;
				goto next;
			}
			if (cp == ' ') {
				have_cand = true;
				cand_end = j;
				cand_next = j + 1;
			} else if (cs->brk != NULL && cs->brk[j] && j > i &&
				   w + v[j].adv <= width + 1e-6) {
				/* CJK between characters, Thai between words (ICU). */
				have_cand = true;
				cand_end = j;
				cand_next = j;
			}
			if (cp == ' ') {
			} else if (w + v[j].adv > width + 1e-6 && j > i) {
				if (have_cand && cand_end > i) {
					line_push(ls, v, i, cand_end);
					i = cand_next;
				} else {
					/* Emergency cut inside a word. */
					size_t k, cut = j;
					double pw = 0, best = 0;
					for (k = i; k < j; k++) {
						pw += v[k].adv;
						if (k + 1 < j && url_break_after(v[k].cp) && pw >= width * 0.4) {
							cut = k + 1;
							best = pw;
						}
					}
					(void)best;
					/* Never inside a cluster (its later characters have no advance). */
					while (cut > i + 1 && v[cut].adv == 0 && v[cut].cp != ' ')
						cut--;
					line_push(ls, v, i, cut);
					i = cut;
				}
				goto next;
			}
			w += v[j].adv;
			if ((cp == '-' && j > i && j + 1 < n && is_letter(v[j - 1].cp) &&
				is_letter(v[j + 1].cp)) ||
			    cp == 0x2014 || cp == 0x2013 || cp == 0x200B) {
				have_cand = true;
				cand_end = j + 1;
				cand_next = j + 1;
			}
		}
		line_push(ls, v, i, n);
		i = n;
	next:;
	}
}

size_t
layout_break_text(const struct font_set *fs, enum font_style style, double size,
    const char *utf8, double width, struct layout_line *out, size_t max)
{
	struct ctx c;
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	struct layout_options opt;
	struct doc_span sp;
	struct pstyle ps;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(&opt, 0, sizeof(opt));
	c.fs = fs;
	c.opt = &opt;
	sp.text = (char *)(uintptr_t)utf8;
	sp.style = 0;
	ps.font = style;
	ps.size = size;
	ps.lead = size * 1.4;
	ps.color = ink;
	ps.collapse = true;
	ps.align = DOC_ALIGN_LEFT;
	shape(&c, &sp, 1, &ps, &cs);
	break_lines(&cs, width, true, &ls);
	for (i = 0; i < ls.n && i < max; i++) {
		out[i] = ls.v[i];
		out[i].first = cs.v[ls.v[i].first].off;
		out[i].end = ls.v[i].end < cs.n ? cs.v[ls.v[i].end].off : strlen(utf8);
	}
	chars_free(&cs);
	free(ls.v);
	free(c.warned);
	return ls.n;
}

/*
 * Boxes for one line, baseline at y, left edge x, aligned in width: one
 * text box per shaped run, in visual order.
 */
static void
emit_line(const struct ctx *c, struct boxlist *out, const struct chars *cs,
    const struct layout_line *ln, const struct pstyle *ps, double x, double y, double width)
{
	struct text_run *r = NULL;
	size_t n = text_runs(c->fs, cs->v, ln->first, ln->end, c->opt->lang, &r), k;
	double pen = x, lw = 0;
	enum doc_align align = ps->align;

	for (k = 0; k < n; k++)
		lw += r[k].width;
	/* A right-to-left paragraph starts at the right. */
	if (cs->level == 1 && align == DOC_ALIGN_LEFT)
		align = DOC_ALIGN_RIGHT;
	if (align == DOC_ALIGN_CENTER)
		pen += (width - lw) / 2;
	else if (align == DOC_ALIGN_RIGHT)
		pen += width - lw;
	for (k = 0; k < n; k++) {
		struct text_run *t = &r[k];
		unsigned st = t->style & ~DOC_HARD_BREAK;
		double w = t->width;
		struct box *b;

		if (st & DOC_CODE_SPAN)
			add_rect(out, pen - 1.5, y - t->size * 0.80, w + 3.0, t->size * 1.06, &code_bg,
			    NULL, 0, 0);
		b = box_add(out, BOX_TEXT);
		b->x = pen;
		b->y = y;
		b->w = w;
		b->h = t->size;
		b->face = t->face;
		b->size = t->size;
		b->text = t->text;
		b->glyphs = t->g;
		b->n_glyphs = t->n_g;
		b->rtl = t->rtl;
		if (t->style >> LANG_SHIFT)
			b->elem = SPAN_PENDING((t->style >> LANG_SHIFT) - 1);
		t->text = NULL;
		t->g = NULL;
		b->color = (st & DOC_URL) ? muted : (st & DOC_LINK) ? link_ink : ps->color;
		if (st & DOC_STRIKE) {
			/* a copy: add_line may move the box array b points into */
			struct layout_color ink = b->color;
			add_line(out, pen, y - t->size * 0.3, w, 0, &ink, t->size * 0.06);
		}
		pen += w;
	}
	text_runs_free(r, n);
}

/* A space after the text of the last text box of l from from on (not drawn: see below). */
static void
append_space(struct boxlist *l, size_t from)
{
	size_t k;

	for (k = l->n; k > from; k--) {
		struct box *b = &l->v[k - 1];
		if (b->kind == BOX_TEXT) {
			size_t len = strlen(b->text);
			b->text = xrealloc(b->text, len + 2);
			b->text[len] = ' ';
			b->text[len + 1] = '\0';
			return;
		}
	}
}

/*
 * A line that ended at a space keeps it, invisible after its last box's
 * text (the box's width leaves it out), so text read in structure order,
 * as a screen reader reads it, has a word break where the line broke.
 */
static void
keep_break_space(struct boxlist *l, size_t from, const struct text_char *v, size_t n,
    const struct layout_line *ln)
{
	if (ln->end < n && v[ln->end].cp == ' ')
		append_space(l, from);
}

/* Baseline below the top of a line box of height lead. */
static double
baseline_in(const struct ctx *c, double lead, double size)
{
	const struct font *f = &c->fs->faces[c->fs->style_face[FONT_REGULAR]];
	return lead / 2 + size * f->cap_height / 2;
}

struct frame {
	double x, w;         /* points */
};

/*
 * Sets spans as a paragraph of line items.  First and last lines are kept
 * with their neighbours so no single orphan or widow line is left.
 * Returns the index of the first item made.
 */
static size_t
set_lines(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct frame f, bool keep_all)
{
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	size_t i, first = c->n_items;

	shape(c, spans, n, ps, &cs);
	break_lines(&cs, f.w, ps->collapse, &ls);
	for (i = 0; i < ls.n; i++) {
		struct item *it = item_new(c, ps->lead);
		it->baseline = baseline_in(c, ps->lead, ps->size);
		emit_line(c, &it->boxes, &cs, &ls.v[i], ps, f.x, it->baseline, f.w);
		keep_break_space(&it->boxes, 0, cs.v, cs.n, &ls.v[i]);
		tag_text(c->lay, &it->boxes, 0, c->tag, &cs);
		it->keep_with_next = keep_all || (ls.n > 1 && (i == 0 || i + 2 == ls.n));
	}
	chars_free(&cs);
	free(ls.v);
	return first;
}

static void set_blocks(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth);

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
	c->tag = elem_new(c, (enum layout_role)(ROLE_H1 + lv - 1));
	space(c, heading_scale[b->level].before);
	first = set_lines(c, b->spans, b->n_spans, &ps, f, true);
	if (first == c->n_items)
		return;
	if (b->level == 1) {
		struct item *last = &c->items[c->n_items - 1];
		add_line(&last->boxes, f.x, last->h + 3.0, f.w, 0, &rule_ink, 0.6);
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
	space(c, heading_scale[b->level].after);
}

static void
set_code(struct ctx *c, const struct doc_block *b, struct frame f)
{
	struct pstyle ps = {FONT_MONO, CODE_SIZE, CODE_LEAD, ink, false, DOC_ALIGN_LEFT};
	struct frame in = {f.x + CODE_PAD, f.w - 2 * CODE_PAD};
	const char *s = b->text ? b->text : "";
	size_t first, n_lines = 0, i;

	space(c, PARA_AFTER);
	c->tag = elem_new(c, ROLE_CODE);
	cont_open(c, CONT_CODE, f.x, f.x + f.w, CODE_PAD, rule_ink, code_bg);
	item_new(c, CODE_PAD)->keep_with_next = true;
	first = c->n_items;
	/* per item: its source line starts with a space (a continuation) */
	bool *cont = NULL;
	size_t n_cont = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct doc_span sp;
		sp.text = xstrndup(s, len);
		sp.style = 0;
		size_t before = c->n_items;
		set_lines(c, &sp, 1, &ps, in, false);
		if (c->n_items == before) {
			struct item *it = item_new(c, CODE_LEAD);
			it->baseline = baseline_in(c, CODE_LEAD, CODE_SIZE);
		} else if (nl != NULL) {
			/* Read in structure order, a line's last word and the next
			   line's first stay apart ("66.9 ms Memory Wall"). */
			append_space(&c->items[c->n_items - 1].boxes, 0);
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
	struct item *end = item_new(c, CODE_PAD);
	(void)end;
	if (n_lines > 1)
		c->items[c->n_items - 2].keep_with_next = true;
	cont_close(c);
	space(c, PARA_AFTER + 2);
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

	space(c, PARA_AFTER + 3);
	sect = elem_new(c, ROLE_SECT);
	c->lay->elems[sect].title = xstrdup(title.text);
	c->elem = sect;
	c->tag = elem_new(c, ROLE_P);
	cont_open(c, CONT_CALLOUT, f.x, f.x + f.w, CALLOUT_PAD, callout_colors[b->callout].bar,
	    callout_colors[b->callout].bg);
	first = c->n_items;
	item_new(c, CALLOUT_PAD - 2)->keep_with_next = true;
	set_lines(c, &title, 1, &ts, in, true);
	space(c, 2);
	for (i = 0; i < b->n_kids; i++)
		set_blocks(c, b->kids[i], in, list_depth);
	c->pending = 0;
	item_new(c, CALLOUT_PAD - 1);
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
	space(c, PARA_AFTER + 3);
}

static void
set_quote(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
{
	struct frame in = {f.x + QUOTE_INDENT, f.w - QUOTE_INDENT};
	size_t i;

	int outer = c->elem;

	space(c, PARA_AFTER);
	c->elem = elem_new(c, ROLE_BLOCKQUOTE);
	cont_open(c, CONT_QUOTE, f.x, f.x + f.w, 0, rule_ink, white);
	for (i = 0; i < b->n_kids; i++)
		set_blocks(c, b->kids[i], in, list_depth);
	cont_close(c);
	c->elem = outer;
	space(c, PARA_AFTER);
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

	space(c, PARA_AFTER);
	list = elem_new(c, ROLE_L);
	c->lay->elems[list].ordered = b->ordered;
	for (k = 0; k < b->n_kids; k++) {
		const struct doc_block *item = b->kids[k];
		size_t first = c->n_items;
		char mark[32];
		struct item *it;
		enum font_style mf = FONT_REGULAR;
		int li = elem_add(c->lay, ROLE_LI, list);
		int lbl = elem_add(c->lay, ROLE_LBL, li);

		c->elem = elem_add(c->lay, ROLE_LBODY, li);
		if (k > 0 && b->tight)
			c->pending = 2.5; /* a tight list ignores its paragraphs' spacing */
		else if (k > 0)
			space(c, PARA_AFTER);
		for (j = 0; j < item->n_kids; j++) {
			if (j > 0 && b->tight)
				c->pending = item->kids[j]->kind == DOC_LIST ? 2.5 : c->pending;
			set_blocks(c, item->kids[j], in, list_depth + 1);
		}
		if (first == c->n_items) {
			struct item *e = item_new(c, BODY_LEAD);
			e->baseline = baseline_in(c, BODY_LEAD, BODY_SIZE);
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
			add_text_line(&it->boxes, &tl,
			    b->ordered ? in.x - 5.0 - tl.width : in.x - LIST_INDENT + 5.0,
			    it->baseline > 0 ? it->baseline : baseline_in(c, BODY_LEAD, BODY_SIZE),
			    b->ordered ? &ink : &muted);
			text_line_clear(&tl);
			for (q = from; q < it->boxes.n; q++)
				it->boxes.v[q].elem = lbl;
		}
	}
	c->elem = outer;
	space(c, PARA_AFTER);
}

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

	shape(c, cell->spans, cell->n_spans, ps, &cs);
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
	chars_free(&cs);
}

static void
set_table(struct ctx *c, const struct doc_block *t, struct frame f)
{
	size_t nc = t->n_cols ? t->n_cols : 1, r, k;
	double *minw = xcalloc(nc, sizeof(double)), *maxw = xcalloc(nc, sizeof(double));
	double *colw = xcalloc(nc, sizeof(double));
	double summin = 0, summax = 0, avail = f.w, total_h = 0, pad2 = 2 * CELL_PADX;
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	long header = -1;
	size_t first = c->n_items, n_body = 0, body_seen = 0;
	int table = elem_new(c, ROLE_TABLE);

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
	space(c, PARA_AFTER + 2);
	for (r = 0; r < t->n_kids; r++) {
		const struct doc_block *row = t->kids[r];
		struct pstyle ps = {row->header ? FONT_SANS_BOLD : FONT_SANS, TABLE_SIZE, TABLE_LEAD,
		    row->header ? heading_ink : ink, true, DOC_ALIGN_LEFT};
		struct boxlist cells = {NULL, 0, 0};
		double rowh = 0, x = f.x, base = baseline_in(c, TABLE_LEAD, TABLE_SIZE);
		struct item *it;
		int tr = elem_add(c->lay, ROLE_TR, table);

		for (k = 0; k < nc; k++) {
			double cw = colw[k] - pad2;
			size_t li, from = cells.n;
			int cell = elem_add(c->lay, row->header ? ROLE_TH : ROLE_TD, tr);
			if (k < row->n_kids) {
				ps.align = t->align ? t->align[k] : DOC_ALIGN_LEFT;
				if (ps.align == DOC_ALIGN_DEFAULT)
					ps.align = DOC_ALIGN_LEFT;
				shape(c, row->kids[k]->spans, row->kids[k]->n_spans, &ps, &cs);
				break_lines(&cs, cw, true, &ls);
				for (li = 0; li < ls.n; li++) {
					size_t line_from = cells.n;
					emit_line(c, &cells, &cs, &ls.v[li], &ps, x + CELL_PADX,
					    CELL_PADY + base + li * TABLE_LEAD, cw);
					keep_break_space(&cells, line_from, cs.v, cs.n, &ls.v[li]);
				}
				tag_text(c->lay, &cells, from, cell, &cs);
				if (ls.n * TABLE_LEAD > rowh)
					rowh = ls.n * TABLE_LEAD;
			}
			x += colw[k];
		}
		if (rowh < TABLE_LEAD)
			rowh = TABLE_LEAD;
		rowh += 2 * CELL_PADY;
		it = item_new(c, rowh);
		it->baseline = CELL_PADY + base;
		if (row->header) {
			add_rect(&it->boxes, f.x, 0, avail, rowh, &head_bg, NULL, 0, 0);
			add_line(&it->boxes, f.x, 0, avail, 0, &muted, 0.8);
			add_line(&it->boxes, f.x, rowh, avail, 0, &muted, 0.8);
			header = (long)(c->n_items - 1);
			it->is_header = true;
			it->keep_with_next = true;
		} else {
			add_line(&it->boxes, f.x, rowh, avail, 0,
			    r + 1 == t->n_kids ? &muted : &rule_ink, r + 1 == t->n_kids ? 0.8 : 0.4);
			it->header = header;
			body_seen++;
			/* Two body rows at least with the header, and the last two together. */
			it->keep_with_next = body_seen == 1 || body_seen + 1 == n_body;
		}
		/* Boxes were emitted before the item existed: append them over the background. */
		for (k = 0; k < cells.n; k++) {
			struct box *dst = box_add(&it->boxes, cells.v[k].kind);
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
	chars_free(&cs);
	free(ls.v);
	free(minw);
	free(maxw);
	free(colw);
	space(c, PARA_AFTER + 3);
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

	add_rect(l, x, y, w, h, &ph_bg, &muted, 0.6, 3.0);
	for (i = 0; i < 2; i++) {
		enum font_style st = i == 0 ? FONT_BOLD : FONT_REGULAR;
		struct chars cs = {0};
		struct lines ls = {NULL, 0, 0};
		struct doc_span sp = {(char *)(uintptr_t)lines[i], 0};
		struct pstyle ps = {st, sizes[i], sizes[i] * 1.3, muted, true, DOC_ALIGN_CENTER};
		size_t li;
		shape(c, &sp, 1, &ps, &cs);
		break_lines(&cs, w - 12, true, &ls);
		for (li = 0; li < ls.n && li < 3; li++)
			emit_line(c, l, &cs, &ls.v[li], &ps, x + 6,
			    y + h / 2 + (i == 0 ? -3.0 : 11.0) + li * ps.lead, w - 12);
		chars_free(&cs);
		free(ls.v);
	}
	free(label);
	free(dims);
}

static void
set_figure(struct ctx *c, const struct doc_block *b, struct frame f)
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
		diag_add(c->dl, DIAG_WARNING, c->opt->source, "figure %s: %.0f pt wide does not fit "
		    "the %.0f pt text width; scaled down", b->text, w, f.w);
		w = f.w;
	}
	h = b->height_pt > 0 ? b->height_pt : c->opt->chart_height != NULL
	    ? c->opt->chart_height(b->text, w) : w * 0.6;
	if (h > maxh) {
		diag_add(c->dl, DIAG_WARNING, c->opt->source, "figure %s: %.0f pt high is more than "
		    "three quarters of a page; scaled down", b->text, h);
		h = maxh;
	}
	x = f.x + (f.w - w) / 2;
	if (c->opt->chart != NULL)
		d = c->opt->chart(c->opt->chart_ctx, b->text, w, h);
	space(c, PARA_AFTER + 4);
	it = item_new(c, h);
	fig = elem_new(c, ROLE_FIGURE);
	c->lay->elems[fig].alt = d != NULL && d->alt != NULL ? xstrdup(d->alt)
	    : xasprintf("Chart %s: not available", b->text ? b->text : "");
	if (d != NULL) {
		struct box *bx = box_add(&it->boxes, BOX_FIGURE);
		bx->x = x;
		bx->y = 0;
		bx->w = w;
		bx->h = h;
		bx->chart = xstrdup(b->text);
		bx->drawing = d;
		bx->elem = fig;
	} else {
		placeholder(c, &it->boxes, x, 0, w, h, b->text);
		tag_text(c->lay, &it->boxes, 0, fig, NULL);
	}
	c->figures++;
	it->keep_with_next = true;
	size_t fig_item = c->n_items - 1;
	space(c, 6);
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
		c->tag = elem_new(c, ROLE_P);
		set_lines(c, caption, b->n_spans + 1, &ps, cf, true);
	}
	c->items[c->n_items - 1].keep_with_next = false;
	c->items[fig_item].float_len = c->n_items - fig_item;
	free(num);
	free(caption);
	space(c, PARA_AFTER + 4);
}

static void
set_blocks(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth)
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
			set_blocks(c, b->kids[i], f, list_depth);
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
		c->tag = elem_new(c, ROLE_P);
		set_lines(c, b->spans, b->n_spans, &body, measure(f), false);
		space(c, PARA_AFTER);
		break;
	case DOC_CELL:
		c->tag = elem_new(c, ROLE_P);
		set_lines(c, b->spans, b->n_spans, &body, f, false);
		space(c, PARA_AFTER);
		break;
	case DOC_LIST:
		set_list(c, b, measure(f), list_depth);
		break;
	case DOC_ITEM:
	case DOC_ROW:
		for (i = 0; i < b->n_kids; i++)
			set_blocks(c, b->kids[i], f, list_depth);
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
		set_table(c, b, f);
		break;
	case DOC_RULE: {
		struct item *it;
		space(c, 8);
		it = item_new(c, 1);
		add_line(&it->boxes, f.x, 0.5, f.w, 0, &rule_ink, 0.6);
		space(c, 10);
		break;
	}
	case DOC_PAGEBREAK:
		item_new(c, 0)->break_before = true;
		c->pending = 0;
		break;
	case DOC_FIGURE:
		set_figure(c, b, f);
		break;
	}
	c->depth--;
}

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

	for (k = 0; k < src->n; k++) {
		struct box *b = box_add(dst, src->v[k].kind);
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
			add_rect(under, ct->x0, top[k] + 1, 2.5, h - 2, &ct->bar, NULL, 0, 0);
		} else if (ct->kind == CONT_CODE) {
			add_rect(under, ct->x0, top[k], ct->x1 - ct->x0, h, &ct->bg, &ct->bar, 0.4, 0);
		} else {
			add_rect(under, ct->x0, top[k], ct->x1 - ct->x0, h, &ct->bg, NULL, 0, 0);
			add_rect(under, ct->x0, top[k], CALLOUT_BAR, h, &ct->bar, NULL, 0, 0);
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
static bool
balance_last_page(struct ctx *c)
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

static void
paginate(struct ctx *c)
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

	shape(c, &sp, 1, &ps, &cs);
	break_lines(&cs, maxw, true, &ls);
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
				shape(c, e, 2, &ps, &cs);
				break_lines(&cs, maxw, true, &l2);
			} while (l2.n > 1 && head[0] != '\0');
			if (l2.n > 0)
				emit_line(c, l, &cs, &l2.v[0], &ps, x, y, maxw);
			free(l2.v);
			free(head);
		} else {
			emit_line(c, l, &cs, &ls.v[0], &ps, x, y, maxw);
		}
	}
	chars_free(&cs);
	free(ls.v);
}

static void
running_heads(struct ctx *c)
{
	struct layout *lay = c->lay;
	size_t p;

	if (c->opt->bare)
		return;
	for (p = 0; p < lay->n_pages; p++) {
		struct boxlist l = {lay->pages[p].boxes, lay->pages[p].n_boxes, lay->pages[p].cap_boxes};
		char *folio = xasprintf("Page %zu of %zu", p + 1, lay->n_pages);
		double fy = lay->page_h - MARGIN_BOTTOM + 24;
		size_t from = l.n, k;
		if (c->opt->title != NULL && *c->opt->title != '\0' && p > 0) {
			running_text(c, &l, c->opt->title, FONT_REGULAR, c->body_x, MARGIN_TOP - 22,
			    c->body_w, DOC_ALIGN_LEFT);
			add_line(&l, c->body_x, MARGIN_TOP - 16, c->body_w, 0, &rule_ink, 0.5);
		}
		for (k = from; k < l.n; k++)
			l.v[k].elem = LAYOUT_ART_HEADER;
		from = l.n;
		add_line(&l, c->body_x, fy - 12, c->body_w, 0, &rule_ink, 0.5);
		if (c->opt->title != NULL && *c->opt->title != '\0')
			running_text(c, &l, c->opt->title, FONT_REGULAR, c->body_x, fy,
			    c->body_w * 0.7, DOC_ALIGN_LEFT);
		running_text(c, &l, folio, FONT_REGULAR, c->body_x + c->body_w * 0.7, fy,
		    c->body_w * 0.3, DOC_ALIGN_RIGHT);
		for (k = from; k < l.n; k++)
			l.v[k].elem = LAYOUT_ART_FOOTER;
		free(folio);
		lay->pages[p].boxes = l.v;
		lay->pages[p].n_boxes = l.n;
		lay->pages[p].cap_boxes = l.cap;
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
	c.elem = elem_add(lay, ROLE_DOCUMENT, -1);
	c.tag = c.elem;
	set_blocks(&c, &doc->root, f, 0);
	paginate(&c);
	if (balance_last_page(&c)) {
		for (i = 0; i < lay->n_pages; i++) {
			struct boxlist l = {lay->pages[i].boxes, lay->pages[i].n_boxes,
			    lay->pages[i].cap_boxes};
			boxlist_free(&l);
		}
		lay->n_pages = 0;
		for (i = 0; i < c.n_items; i++)
			c.items[i].placed = false;
		paginate(&c);
	}
	running_heads(&c);
	for (i = 0; i < c.n_items; i++)
		boxlist_free(&c.items[i].boxes);
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
		boxlist_free(&l);
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
