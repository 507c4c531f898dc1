/*
 * layout: turns a struct doc into pages of positioned boxes (text runs,
 * rectangles, lines, figure slots) and an outline.  Line breaking uses the
 * font set's real metrics; pagination keeps headings with what follows,
 * avoids single orphan and widow lines, repeats table headers and frames
 * callouts on every page they touch.  Devices (pdf.c, dump.c) only draw
 * the boxes.  Coordinates: points, origin at the page's top left, y down.
 */
#ifndef ARCHAUDIT_LAYOUT_H
#define ARCHAUDIT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "chart/drawing.h"
#include "layout/font.h"
#include "layout/text.h"
#include "base/util.h"

enum layout_paper { LAYOUT_LETTER, LAYOUT_A4 };

struct layout_color {
	double r, g, b;                /* 0..1 each */
};

enum box_kind {
	BOX_TEXT,   /* text at (x, y) = left end of the baseline */
	BOX_RECT,   /* rectangle (x, y) top left, w by h */
	BOX_LINE,   /* segment from (x, y) to (x + w, y + h) */
	BOX_FIGURE  /* a chart's drawing scaled into (x, y, w, h) */
};

struct box {
	enum box_kind kind;
	double x, y;                   /* points */
	double w, h;                   /* points; text: advance width and font size */
	int face;                      /* text: index into font_set.faces */
	double size;                   /* text: points */
	char *text;                    /* text: UTF-8, owned, logical order */
	struct text_glyph *glyphs;     /* text: owned, shaped (text.h), visual order; */
	size_t n_glyphs;               /*   clusters are byte offsets into text */
	bool rtl;                      /* text: a right-to-left run */
	struct layout_color color;     /* text colour; stroke colour of rects and lines */
	struct layout_color fill;      /* rect fill */
	bool filled, stroked;          /* rect */
	double line_width;             /* rect stroke and line: points */
	double dash;                   /* rect stroke and line: dash length in points; 0 = solid */
	char *chart;                   /* figure: chart name, owned */
	const struct drawing *drawing; /* figure: borrowed from the chart provider */
	int elem;                      /* structure element (layout.elems) it belongs to,
	                                  or an artifact: LAYOUT_ART_* */
};

/*
 * Tagging.  Every box belongs to one structure element of the layout
 * (text of a paragraph, the chart of a figure) or is an artifact, drawn
 * but not content: rules, backgrounds and frames, running heads and
 * feet, repeated table header rows.  Boxes are artifacts unless told.
 */
#define LAYOUT_ART_LAYOUT (-1)         /* rules, backgrounds, frames, repeated headers */
#define LAYOUT_ART_HEADER (-2)         /* running head */
#define LAYOUT_ART_FOOTER (-3)         /* running foot and page number */

/* Standard structure types (ISO 32000-1, 14.8.4); layout_role_name gives the PDF name. */
enum layout_role {
	ROLE_DOCUMENT, ROLE_PART, ROLE_SECT, ROLE_H1, ROLE_H2, ROLE_H3, ROLE_P,
	ROLE_L, ROLE_LI, ROLE_LBL, ROLE_LBODY, ROLE_TABLE, ROLE_TR, ROLE_TH, ROLE_TD,
	ROLE_BLOCKQUOTE, ROLE_CODE, ROLE_FIGURE, ROLE_CAPTION, ROLE_SPAN
};
/* A Span is linked into its parent where its first content is drawn, so
   the parent's /K keeps reading order around it. */
const char *layout_role_name(enum layout_role r);

/*
 * One structure element.  Elements are stored in reading order (a parent
 * before its children, siblings in order); elems[0] is the document.
 */
struct layout_elem {
	enum layout_role role;
	int parent;                    /* index of the parent; -1 for elems[0] */
	char *alt;                     /* figure: description of the chart, owned; NULL = none */
	char *title;                   /* callout: its title (/T), owned; NULL = none */
	char *lang;                    /* its language (/Lang) if not the document's, owned */
	bool ordered;                  /* list: numbered */
};

struct layout_page {
	struct box *boxes;             /* owned; drawn in order */
	size_t n_boxes, cap_boxes;
};

/* One outline entry (PDF bookmark) per heading. */
struct layout_mark {
	int level;                     /* 1..3 */
	char *title;                   /* owned, UTF-8 */
	size_t page;                   /* 0-based page index */
	double y;                      /* points from the page top */
};

/*
 * Returns the drawing for chart name at width by height points, or NULL
 * for a framed placeholder.  The provider keeps ownership; the drawing
 * must live until the layout is freed.
 */
typedef const struct drawing *(*layout_chart_fn)(void *ctx, const char *name, double width_pt,
    double height_pt);

/* A text and its language (BCP 47), both borrowed. */
struct layout_name {
	const char *text, *lang;
};

struct layout_options {
	enum layout_paper paper;       /* LAYOUT_LETTER unless told */
	const char *title;             /* running head and footer; NULL = none */
	const char *source;            /* name for diagnostics; NULL = "document" */
	const char *lang;              /* BCP 47 language of the names (Han glyphs); NULL = guess */
	const char *quiet;             /* text whose missing characters the caller reported; NULL */
	/* Names whose every occurrence is tagged in their language (a
	   roster's): a Span of its own, or its element when it is all of it.
	   Text in other scripts is tagged in the language its script suggests
	   (text_lang_spans). */
	const struct layout_name *names;
	size_t n_names;
	layout_chart_fn chart;         /* NULL = every figure is a placeholder */
	void *chart_ctx;
	/* A chart's height for a width when its figure gives none (points);
	   NULL = 0.6 of the width (placeholders of a document with no charts) */
	double (*chart_height)(const char *name, double width_pt);
	bool bare;                     /* no running head, rule or folio (a filler page) */
};

struct layout {
	double page_w, page_h;         /* points */
	double margin_x;               /* points, left and right of the text column */
	double margin_top, margin_bottom; /* points, above and below the text */
	struct layout_page *pages;     /* owned */
	size_t n_pages, cap_pages;
	struct layout_mark *marks;     /* owned */
	size_t n_marks, cap_marks;
	struct layout_elem *elems;     /* owned; the structure tree, elems[0] = document */
	size_t n_elems, cap_elems;
};

/*
 * Lays doc out with fs (which must outlive the layout).  Never fails on
 * content: problems (a character no font has, an oversized figure) are
 * warnings in dl.  Caller frees with layout_free.
 */
struct layout *layout_new(const struct doc *doc, const struct font_set *fs,
    const struct layout_options *opt, struct diag_list *dl);
void layout_free(struct layout *lay);

/* One line of text set by the layout's line breaker (exposed for tests). */
struct layout_line {
	size_t first, end;             /* character range in the input */
	double width;                  /* points, without trailing spaces */
};

/*
 * Breaks utf8 (one style) into lines no wider than width points at size;
 * returns the number of lines and stores up to max of them in out.
 */
size_t layout_break_text(const struct font_set *fs, enum font_style style, double size,
    const char *utf8, double width, struct layout_line *out, size_t max);

#endif
