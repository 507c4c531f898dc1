/*
 * The layout's own shared parts, for src/layout/layout*.c and no one else:
 * the typographic scale, colours, the item list being built (struct ctx)
 * and the functions one part of the layout hands to another.  layout.c:
 * boxes, the structure tree, items, layout_new; layout_lines.c: characters
 * and line breaking; layout_blocks.c: headings, paragraphs, code, callouts,
 * lists; layout_tables.c: tables and figures; layout_page.c: pagination
 * and running heads.
 */
#ifndef LAYOUT_IMPL_H
#define LAYOUT_IMPL_H

#include "layout/layout.h"
#include "layout/text.h"

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
	bool collapse;       /* collapse white lay_space (not in code) */
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

struct lines {
	struct layout_line *v; /* owned */
	size_t n, cap;
};

struct frame {
	double x, w;         /* points */
};

struct box *
lay_box_add(struct boxlist *l, enum box_kind kind);
struct box *lay_run_box(struct boxlist *out, struct text_run *t, double x, double y, double w);

/* Frees the boxes of l and what they own, and empties l. */
void
lay_boxlist_free(struct boxlist *l);

int
lay_elem_add(struct layout *lay, enum layout_role role, int parent);

int
lay_elem_new(struct ctx *c, enum layout_role role);

void
lay_add_rect(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *fill,
    const struct layout_color *stroke, double lw, double dash);

void
lay_add_line(struct boxlist *l, double x, double y, double w, double h, const struct layout_color *c,
    double lw);

struct item *
lay_item_new(struct ctx *c, double h);

void
lay_space(struct ctx *c, double pts);

void
lay_add_text_line(struct boxlist *out, struct text_line *tl, double x, double y,
    const struct layout_color *color);

void
lay_chars_free(struct chars *cs);

void
lay_tag_text(struct layout *lay, struct boxlist *l, size_t from, int elem, const struct chars *cs);

void
lay_shape(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct chars *cs);

/* layout_cache.c: lay_shape's results per process (the font set's shape_cache). */
bool
lay_cache_get(void *cache, const struct ctx *c, const struct doc_span *spans, size_t n,
    const struct pstyle *ps, struct chars *cs);
/* A new document begins (layout_new). */
void
lay_cache_doc(void *cache);
/* Keeps cs as the result of the last lay_cache_get that missed. */
void
lay_cache_put(void *cache, const struct ctx *c, const struct chars *cs);

/* Whether a name in a language not the document's occurs in v[0..n) (orig). */
bool
lay_names_occur(const struct ctx *c, const struct text_char *v, size_t n);

void
lay_break_lines(const struct chars *cs, double width, bool collapse, struct lines *ls);

void
lay_emit_line(const struct ctx *c, struct boxlist *out, const struct chars *cs,
    const struct layout_line *ln, const struct pstyle *ps, double x, double y, double width);

void
lay_append_space(struct boxlist *l, size_t from);

void
lay_keep_break_space(struct boxlist *l, size_t from, const struct text_char *v, size_t n,
    const struct layout_line *ln);

double
lay_baseline_in(const struct ctx *c, double lead, double size);

size_t
lay_set_lines(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct frame f, bool keep_all);

void
lay_set_blocks(struct ctx *c, const struct doc_block *b, struct frame f, int list_depth);

void
lay_set_table(struct ctx *c, const struct doc_block *t, struct frame f);

void
lay_set_figure(struct ctx *c, const struct doc_block *b, struct frame f);

bool
lay_balance_last_page(struct ctx *c);

void
lay_paginate(struct ctx *c);

void
lay_running_heads(struct ctx *c);

#endif
