/*
 * dump: the text device.  Input: a struct layout.  Output: stable,
 * human-readable lines, one box each, in drawing order:
 *   page N WxH
 *   text X Y w W FACE SIZE #RRGGBB "text"
 *     [rtl] glyphs GID+ADV[@DX,DY]/CLUSTER ...   (runs in a fallback face
 *     or right to left: the shaped glyphs, advances in 1/1000 em)
 *   rect X Y W H [fill #RRGGBB] [stroke #RRGGBB LW [dash D]]
 *   line X Y DX DY #RRGGBB LW
 *   figure X Y W H "name"
 *   mark LEVEL page N y Y "title"
 * A device of device.h.  Includes only our headers.
 */
#include "device/dump.h"
#include "device/device.h"

#include <math.h>
#include <string.h>

static void
num(struct buf *out, double v)
{
	double r = round(v * 100) / 100;
	if (r == 0)
		r = 0; /* no "-0.00" */
	buf_printf(out, " %.2f", r);
}

static void
color(struct buf *out, const struct layout_color *c)
{
	buf_printf(out, " #%02X%02X%02X", (unsigned)lround(c->r * 255), (unsigned)lround(c->g * 255),
	    (unsigned)lround(c->b * 255));
}

static void
quoted(struct buf *out, const char *s)
{
	buf_puts(out, " \"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

/* The text device's state: where the lines go and how faces are named. */
struct dumper {
	struct buf *out;
	const struct font_set *fs;
};

static bool
dev_page(void *dev, size_t no, double w, double h)
{
	struct dumper *d = dev;

	(void)w;
	(void)h;
	buf_printf(d->out, "page %zu\n", no + 1);
	return true;
}

static bool
dev_text(void *dev, const struct box *b)
{
	struct dumper *d = dev;
	struct buf *out = d->out;
	size_t k;

	buf_puts(out, "  text");
	num(out, b->x);
	num(out, b->y);
	buf_puts(out, " w");
	num(out, b->w);
	buf_printf(out, " %s", b->face >= 0 && (size_t)b->face < d->fs->n_faces
	    ? d->fs->faces[b->face].name : "?");
	num(out, b->size);
	color(out, &b->color);
	quoted(out, b->text ? b->text : "");
	if (b->rtl || b->face >= FONT_N_STYLES) {
		buf_puts(out, b->rtl ? "\n    rtl glyphs" : "\n    glyphs");
		for (k = 0; k < b->n_glyphs; k++) {
			const struct text_glyph *g = &b->glyphs[k];
			buf_printf(out, " %u+%ld", (unsigned)g->gid, lround(g->adv));
			if (g->dx != 0 || g->dy != 0)
				buf_printf(out, "@%ld,%ld", lround(g->dx), lround(g->dy));
			buf_printf(out, "/%u", (unsigned)g->cluster);
		}
	}
	buf_putc(out, '\n');
	return true;
}

static bool
dev_rect(void *dev, const struct box *b)
{
	struct buf *out = ((struct dumper *)dev)->out;

	buf_puts(out, "  rect");
	num(out, b->x);
	num(out, b->y);
	num(out, b->w);
	num(out, b->h);
	if (b->filled) {
		buf_puts(out, " fill");
		color(out, &b->fill);
	}
	if (b->stroked) {
		buf_puts(out, " stroke");
		color(out, &b->color);
		num(out, b->line_width);
		if (b->dash > 0) {
			buf_puts(out, " dash");
			num(out, b->dash);
		}
	}
	buf_putc(out, '\n');
	return true;
}

static bool
dev_line(void *dev, const struct box *b)
{
	struct buf *out = ((struct dumper *)dev)->out;

	buf_puts(out, "  line");
	num(out, b->x);
	num(out, b->y);
	num(out, b->w);
	num(out, b->h);
	color(out, &b->color);
	num(out, b->line_width);
	buf_putc(out, '\n');
	return true;
}

static bool
dev_figure(void *dev, const struct box *b)
{
	struct buf *out = ((struct dumper *)dev)->out;

	buf_puts(out, "  figure");
	num(out, b->x);
	num(out, b->y);
	num(out, b->w);
	num(out, b->h);
	quoted(out, b->chart ? b->chart : "");
	buf_putc(out, '\n');
	return true;
}

static const struct device_ops dump_device = {
	.page = dev_page, .text = dev_text, .rect = dev_rect, .line = dev_line,
	.figure = dev_figure,
};

void
dump_layout(const struct layout *lay, const struct font_set *fs, struct buf *out)
{
	struct dumper d = {out, fs};
	size_t i;

	buf_printf(out, "layout pages %zu size", lay->n_pages);
	num(out, lay->page_w);
	num(out, lay->page_h);
	buf_putc(out, '\n');
	device_render(&dump_device, &d, lay);
	for (i = 0; i < lay->n_marks; i++) {
		buf_printf(out, "mark %d page %zu y", lay->marks[i].level, lay->marks[i].page + 1);
		num(out, lay->marks[i].y);
		quoted(out, lay->marks[i].title);
		buf_putc(out, '\n');
	}
}
