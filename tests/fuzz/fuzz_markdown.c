/*
 * fuzz_markdown: libFuzzer entry point for the typesetting path.
 * Input: any bytes, as the Markdown a template could produce.  They go
 * through the Markdown reader, the layout (with a chart provider that
 * returns a small drawing for "chart:radar" and a placeholder otherwise),
 * the dump device and the PDF device.  Checks: every text box's string is
 * valid UTF-8, no box lies outside its page, and a refused document has an
 * error.  The font set is loaded once, as the program does per process.
 * Build and run: scripts/fuzz.sh 600 markdown.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "chart/drawing.h"
#include "device/dump.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "device/pdf.h"
#include "base/util.h"

static struct font_set *fonts;     /* loaded once: LLVMFuzzerInitialize */
static struct drawing chart;       /* one rectangle and one label */
static struct draw_path_op chart_ops[5];
static struct draw_item chart_items[2];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list dl;

	(void)argc;
	(void)argv;
	diag_init(&dl);
	fonts = font_set_new(NULL, &dl);
	if (fonts == NULL) {
		fprintf(stderr, "fuzz_markdown: no fonts\n");
		abort();
	}
	diag_free(&dl);
	chart.width = 200;
	chart.height = 100;
	chart_ops[0] = (struct draw_path_op){ DRAW_MOVE_TO, { { 10, 10 } } };
	chart_ops[1] = (struct draw_path_op){ DRAW_LINE_TO, { { 190, 10 } } };
	chart_ops[2] = (struct draw_path_op){ DRAW_LINE_TO, { { 190, 90 } } };
	chart_ops[3] = (struct draw_path_op){ DRAW_LINE_TO, { { 10, 90 } } };
	chart_ops[4] = (struct draw_path_op){ DRAW_CLOSE, { { 0, 0 } } };
	chart_items[0] = (struct draw_item){ .kind = DRAW_PATH, .first_op = 0,
	    .n_ops = 5, .fill = true, .stroke = true,
	    .fill_color = { 0, 0.4, 0.6, 0.3 }, .stroke_color = { 0, 0, 0, 1 },
	    .line_width = 1, .dash = { 3, 2 }, .n_dash = 2 };
	chart_items[1] = (struct draw_item){ .kind = DRAW_TEXT, .text = "Iron Law ≤ 100 ms",
	    .at = { 100, 50 }, .size = 9, .halign = DRAW_CENTER,
	    .valign = DRAW_MIDDLE, .color = { 0.2, 0.2, 0.3, 1 } };
	chart.items = chart_items;
	chart.n_items = 2;
	chart.ops = chart_ops;
	chart.n_ops = 5;
	return 0;
}

static const struct drawing *
provide(void *ctx, const char *name, double w, double h)
{
	(void)ctx;
	(void)w;
	(void)h;
	return strcmp(name, "radar") == 0 ? &chart : NULL;
}

static void
check_layout(const struct layout *lay)
{
	for (size_t p = 0; p < lay->n_pages; p++) {
		const struct layout_page *pg = &lay->pages[p];
		for (size_t i = 0; i < pg->n_boxes; i++) {
			const struct box *b = &pg->boxes[i];
			if (b->x < -0.01 || b->y < -0.01 || b->x > lay->page_w + 0.01 ||
			    b->y > lay->page_h + 0.01) {
				fprintf(stderr, "box %zu of page %zu at (%g, %g) is off the "
				    "page\n", i, p, b->x, b->y);
				abort();
			}
			if (b->kind == BOX_TEXT && b->text != NULL) {
				const unsigned char *s = (const unsigned char *)b->text;
				size_t n = strlen(b->text);
				for (size_t k = 0; k < n;) {
					size_t m = utf8_seq_len(s + k, n - k);
					if (m == 0) {
						fprintf(stderr, "invalid UTF-8 in a box\n");
						abort();
					}
					k += m;
				}
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl;
	struct layout_options lo;
	struct pdf_options po;
	struct layout *lay;
	struct doc *doc;
	struct buf out;

	diag_init(&dl);
	buf_init(&out);
	doc = markdown_parse((const char *)data, size, "fuzz.md", &dl);
	if (doc == NULL) {
		if (diag_count(&dl, DIAG_ERROR) == 0)
			abort();
		goto out;
	}
	memset(&lo, 0, sizeof lo);
	lo.paper = size % 2 ? LAYOUT_A4 : LAYOUT_LETTER;
	lo.title = "Fuzz";
	lo.chart = provide;
	lay = layout_new(doc, fonts, &lo, &dl);
	check_layout(lay);
	dump_layout(lay, fonts, &out);
	buf_reset(&out);
	pdf_options_init(&po);
	po.title = "Fuzz";
	po.author = "fuzz";
	(void)pdf_write(lay, fonts, &po, &out, &dl);
	layout_free(lay);
	doc_free(doc);
out:
	buf_free(&out);
	diag_free(&dl);
	return 0;
}
