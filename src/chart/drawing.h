/*
 * drawing: a chart as plain vector data, the hand-over between the chart
 * code (which builds geometry with cairo) and the devices that draw it
 * (the PDF device replays paths as PDF operators and sets labels as real
 * text; cairo surfaces write PNG and SVG).  Coordinates are points, origin
 * at the top left of the chart, y growing downwards (cairo's convention).
 */
#ifndef ARCHAUDIT_DRAWING_H
#define ARCHAUDIT_DRAWING_H

#include <stdbool.h>
#include <stddef.h>

enum draw_op { DRAW_MOVE_TO, DRAW_LINE_TO, DRAW_CURVE_TO, DRAW_CLOSE };

struct draw_point {
	double x, y;                   /* points */
};

struct draw_path_op {
	enum draw_op op;
	struct draw_point pt[3];       /* MOVE/LINE use pt[0]; CURVE uses all three */
};

struct draw_rgba {
	double r, g, b, a;             /* 0..1 each */
};

enum draw_font { DRAW_FONT_REGULAR, DRAW_FONT_BOLD, DRAW_FONT_ITALIC };
enum draw_halign { DRAW_LEFT, DRAW_CENTER, DRAW_RIGHT };
enum draw_valign { DRAW_BASELINE, DRAW_TOP, DRAW_MIDDLE, DRAW_BOTTOM };

enum draw_item_kind { DRAW_PATH, DRAW_TEXT };

struct draw_item {
	enum draw_item_kind kind;
	/* DRAW_PATH */
	size_t first_op, n_ops;        /* range in drawing.ops */
	bool fill, stroke;
	struct draw_rgba fill_color, stroke_color;
	double line_width;             /* points */
	double dash[4];                /* points, on/off lengths */
	int n_dash;                    /* 0 = solid */
	/* DRAW_TEXT */
	char *text;                    /* owned, UTF-8 */
	struct draw_point at;          /* anchor point */
	double size;                   /* points */
	enum draw_font font;
	enum draw_halign halign;
	enum draw_valign valign;
	struct draw_rgba color;
	double angle_deg;              /* counter-clockwise rotation about `at` */
};

struct drawing {
	double width, height;          /* points */
	struct draw_item *items;       /* owned */
	size_t n_items, cap_items;
	struct draw_path_op *ops;      /* owned */
	size_t n_ops, cap_ops;
	char *alt;                     /* owned; what the chart shows, in words, from its
	                                  data (a tagged PDF's /Alt); NULL = none */
};

/*
 * Measures text for label placement: width in points of utf8 at size
 * points in the given face.  Supplied by whoever owns the fonts, so the
 * chart code never needs to know them.
 */
/* An outline operation: move to, line to, curve to (3 points), close. */
enum draw_outline_op { DRAW_OUTLINE_MOVE, DRAW_OUTLINE_LINE, DRAW_OUTLINE_CURVE,
	DRAW_OUTLINE_CLOSE };
typedef void (*draw_outline_fn)(void *arg, enum draw_outline_op op, const double *xy);

struct text_measurer {
	double (*width)(void *ctx, const char *utf8, double size, enum draw_font font);
	double ascent, descent;        /* fractions of the size (e.g. 0.76, 0.24) */
	void *ctx;
	/*
	 * Optional (NULL = none): utf8 set as the text engine sets it (faces
	 * by script, shaped, in visual order) and handed to emit as glyph
	 * outlines, points from the left end of the baseline, y down.  The
	 * PNG and SVG writers draw labels so; without it they use cairo's
	 * toy ck_text (one face, no shaping).
	 */
	void (*outline)(void *ctx, const char *utf8, double size, enum draw_font font,
	    draw_outline_fn emit, void *arg);
};

/*
 * Text boxes.  A text item's box is [0, width] along its baseline from the
 * halign point, and [-ascent*size, descent*size] across it, where width,
 * ascent and descent come from a text_measurer.  valign places the
 * baseline: DRAW_BASELINE at at.y, DRAW_TOP ascent*size below at.y,
 * DRAW_BOTTOM descent*size above it, DRAW_MIDDLE (ascent-descent)*size/2
 * below it.  The box is then rotated by angle_deg about `at`.
 */

/* A new empty drawing of width x height points; caller frees. */
struct drawing *drawing_new(double width, double height);
void drawing_free(struct drawing *d);   /* NULL is a no-op */

/*
 * Append a path of n_ops ops (copied) drawn with the style fields (fill,
 * stroke, fill_color, stroke_color, line_width, dash, n_dash) of style.
 * Returns the new item, valid until the next append.
 */
struct draw_item *drawing_add_path(struct drawing *d,
    const struct draw_path_op *ops, size_t n_ops, const struct draw_item *style);

/* Append a label (utf8 copied, angle 0); returns it, valid until the next append. */
struct draw_item *drawing_add_text(struct drawing *d, const char *utf8,
    double x, double y, double size, enum draw_font font,
    enum draw_halign halign, enum draw_valign valign, struct draw_rgba color);

/* Axis-aligned bounding box {x0, y0, x1, y1} (points) of a DRAW_TEXT item. */
void drawing_text_box(const struct draw_item *it, const struct text_measurer *m,
    double box[4]);

/* Ascent and descent (fractions of the size) the cairo writers below use. */
#define DRAWING_FONT_ASCENT  0.76
#define DRAWING_FONT_DESCENT 0.24

/*
 * Render d through cairo into a PNG at dpi (white background) or an SVG
 * (size in points).  Labels are the text engine's glyph outlines when m
 * has an outline function (the report's faces, any script, shaped), else
 * DejaVu Sans through cairo's toy text API.  The file is written under a
 * temporary name in the same directory and renamed, so it is either whole
 * or absent.  Returns 0, or -1 with an error "path: reason" in dl.
 */
struct diag_list;
int drawing_write_png(const struct drawing *d, const char *path, double dpi,
    const struct text_measurer *m, struct diag_list *dl);
int drawing_write_svg(const struct drawing *d, const char *path,
    const struct text_measurer *m, struct diag_list *dl);

#endif
