/*
 * test_layout: golden layout dumps (tests/data/layout/NAME.md against
 * NAME.dump, REGEN=1 rewrites them), and the rules the layout promises:
 * nothing outside the text area, no orphan or widow line, headings kept
 * with what follows, table headers repeated, hostile input survived.
 * Run from the repository root (ARCHAUDIT_LAYOUT_DATA overrides the dir).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fcntl.h>
#include <hb.h>
#include <hb-subset.h>
#include <unistd.h>

#include "doc/doc.h"
#include "chart/drawing.h"
#include "device/dump.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "base/util.h"

static struct font_set *fonts;

static const char *
data_dir(void)
{
	const char *d = getenv("ARCHAUDIT_LAYOUT_DATA");
	return d && *d ? d : "tests/data/layout";
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (fp == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_put(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b);
}

/* Markdown to layout; diagnostics into dl. */
static struct layout *
lay_out(const char *md, const char *name, struct diag_list *dl)
{
	struct doc *doc = markdown_parse(md, strlen(md), name, dl);
	struct layout_options lo;
	struct layout *lay;

	assert_non_null(doc);
	memset(&lo, 0, sizeof(lo));
	lo.title = "Test Report";
	lo.source = name;
	lay = layout_new(doc, fonts, &lo, dl);
	doc_free(doc);
	return lay;
}

/* Every box inside the page, every text box inside the text column. */
static void
check_bounds(const struct layout *lay)
{
	size_t p, i;

	for (p = 0; p < lay->n_pages; p++) {
		for (i = 0; i < lay->pages[p].n_boxes; i++) {
			const struct box *b = &lay->pages[p].boxes[i];
			if (b->kind == BOX_TEXT) {
				if (b->x < lay->margin_x - 0.01 ||
				    b->x + b->w > lay->page_w - lay->margin_x + 0.01)
					fail_msg("page %zu: text \"%s\" at x %.2f w %.2f leaves the column",
					    p + 1, b->text, b->x, b->w);
			}
			if (b->x < 0 || b->y < 0 || b->x + (b->w > 0 ? b->w : 0) > lay->page_w + 0.01 ||
			    b->y > lay->page_h)
				fail_msg("page %zu: box outside the page at %.2f,%.2f", p + 1, b->x, b->y);
			if (b->kind != BOX_TEXT && b->y + (b->h > 0 ? b->h : 0) > lay->page_h - lay->margin_bottom + 0.01 &&
			    b->y < lay->page_h - 60)
				fail_msg("page %zu: box runs into the bottom margin at y %.2f h %.2f", p + 1,
				    b->y, b->h);
		}
	}
}

static void
golden(const char *name)
{
	char *md_path = xasprintf("%s/%s.md", data_dir(), name);
	char *dump_path = xasprintf("%s/%s.dump", data_dir(), name);
	char *md = slurp(md_path), *want;
	struct diag_list dl;
	struct layout *lay;
	struct buf got;
	size_t i;

	if (md == NULL)
		fail_msg("cannot read %s (run from the repository root)", md_path);
	diag_init(&dl);
	buf_init(&got);
	lay = lay_out(md, md_path, &dl);
	check_bounds(lay);
	dump_layout(lay, fonts, &got);
	for (i = 0; i < dl.n; i++) {
		buf_puts(&got, "diag ");
		diag_format(&dl.items[i], &got);
		buf_putc(&got, '\n');
	}
	if (getenv("REGEN") != NULL && strcmp(getenv("REGEN"), "1") == 0) {
		FILE *fp = fopen(dump_path, "wb");
		assert_non_null(fp);
		fwrite(got.data, 1, got.len, fp);
		fclose(fp);
	}
	want = slurp(dump_path);
	if (want == NULL)
		fail_msg("missing golden %s (REGEN=1 writes it)", dump_path);
	if (strcmp(want, got.data) != 0) {
		char *tmp = xasprintf("%s.got", dump_path);
		FILE *fp = fopen(tmp, "wb");
		if (fp) {
			fwrite(got.data, 1, got.len, fp);
			fclose(fp);
		}
		fail_msg("%s differs from the layout; see diff %s %s (REGEN=1 rewrites)", dump_path,
		    dump_path, tmp);
	}
	free(want);
	buf_free(&got);
	layout_free(lay);
	diag_free(&dl);
	free(md);
	free(md_path);
	free(dump_path);
}

#define GOLDEN(n)                              \
	static void test_golden_##n(void **st) \
	{                                      \
		(void)st;                      \
		golden(#n);                    \
	}
GOLDEN(headings)
GOLDEN(lists)
GOLDEN(callouts)
GOLDEN(table_long)
GOLDEN(code)
GOLDEN(breaking)
GOLDEN(pagebreak_figure)
GOLDEN(showcase)
GOLDEN(shaped)

/*
 * The shaping cache swept and compacted again and again, with a font set
 * (and so a cache) of its own: each round lays out fillers and then the
 * goldens, so that the goldens' entries sit behind fillers that the next
 * sweep drops, and move.  What the cache gives back after they moved is
 * what the goldens hold (a pointer not moved with its entry gives other
 * glyphs).  The fillers are laid out twice, as two documents, so that
 * they are kept once the cache has been full.
 */
static void
test_cache_sweeps(void **st)
{
	struct font_set *shared = fonts;
	struct diag_list dl;
	struct buf md;
	int round;

	(void)st;
	diag_init(&dl);
	buf_init(&md);
	fonts = font_set_new(NULL, &dl);
	assert_non_null(fonts);
	for (round = 0; round < 100 && lay_cache_sweeps(fonts->shape_cache) < 4; round++) {
		buf_reset(&md);
		for (int i = 0; i < 300; i++)
			buf_printf(&md, "Filler %d.%d: the quick brown fox jumps over the lazy "
			    "dog %d times, and the lazy dog, at %d.%d ms a jump, lets it; "
			    "a paragraph no other document has.\n\n", round, i, i * 7 + round,
			    round, i);
		for (int twice = 0; twice < 2; twice++)
			layout_free(lay_out(md.data, "filler", &dl));
		golden("showcase");
		golden("shaped");
	}
	if (lay_cache_sweeps(fonts->shape_cache) < 4)
		fail_msg("the cache was swept %lu times in %d rounds, not 4",
		    lay_cache_sweeps(fonts->shape_cache), round);
	golden("table_long");
	font_set_free(fonts);
	fonts = shared;
	buf_free(&md);
	diag_free(&dl);
}

/* Page (1-based) of the first text box equal to text, 0 if none. */
static size_t
page_of(const struct layout *lay, const char *text)
{
	size_t p, i;

	for (p = 0; p < lay->n_pages; p++)
		for (i = 0; i < lay->pages[p].n_boxes; i++)
			if (lay->pages[p].boxes[i].kind == BOX_TEXT &&
			    strcmp(lay->pages[p].boxes[i].text, text) == 0)
				return p + 1;
	return 0;
}

static void
test_break_lines(void **st)
{
	static const struct {
		const char *text;
		double width;
		size_t lines;
	} cases[] = {
		{"short", 100, 1},
		{"two words", 40, 2},
		{"two words", 5, 8},
		{"alpha beta gamma delta epsilon zeta eta theta", 100, 3},
		{"keep-with-next", 40, 3},
		{"https://example.org/a/b/c/d/e/f/g/h/i/j", 60, 4},
		{"Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww", 50, SIZE_MAX},
		{"", 100, 0},
		{"   ", 100, 0},
	};
	struct layout_line out[64];
	size_t i, k, n;

	(void)st;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = layout_break_text(fonts, FONT_REGULAR, 10, cases[i].text, cases[i].width, out, 64);
		if (cases[i].lines != SIZE_MAX && n != cases[i].lines)
			fail_msg("\"%s\" in %.0f pt: %zu lines, expected %zu", cases[i].text,
			    cases[i].width, n, cases[i].lines);
		for (k = 0; k < n; k++) {
			/* Only a single character wider than the line may overflow. */
			if (out[k].width > cases[i].width + 1e-6 && out[k].end - out[k].first > 1)
				fail_msg("\"%s\": line %zu is %.2f pt in %.0f pt", cases[i].text, k,
				    out[k].width, cases[i].width);
		}
	}
	/* The break falls after the hyphen. */
	n = layout_break_text(fonts, FONT_REGULAR, 10, "keep-with-next", 40, out, 64);
	assert_int_equal(out[0].end, 5);
}

/* A 3- or 4-line paragraph pushed down the page line by line. */
static void
test_orphans_widows(void **st)
{
	int lines, k;

	(void)st;
	for (lines = 3; lines <= 4; lines++) {
		for (k = 30; k < 50; k++) {
			struct buf md;
			struct diag_list dl;
			struct layout *lay;
			size_t p[4];
			int j;

			buf_init(&md);
			diag_init(&dl);
			for (j = 0; j < k; j++)
				buf_printf(&md, "Filler %d.\n\n", j);
			buf_puts(&md, "AAA\\\nBBB\\\nCCC");
			buf_puts(&md, lines == 4 ? "\\\nDDD\n" : "\n");
			lay = lay_out(md.data, "orphans", &dl);
			p[0] = page_of(lay, "AAA");
			p[1] = page_of(lay, "BBB");
			p[2] = page_of(lay, "CCC");
			p[3] = lines == 4 ? page_of(lay, "DDD") : p[2];
			if (p[0] != p[1])
				fail_msg("%d fillers: orphan line AAA on page %zu", k, p[0]);
			if (p[2] != p[3] || (lines == 3 && p[1] != p[2]))
				fail_msg("%d fillers: widow line on page %zu", k, p[3]);
			layout_free(lay);
			diag_free(&dl);
			buf_free(&md);
		}
	}
}

static void
test_keep_with_next(void **st)
{
	int k;

	(void)st;
	for (k = 30; k < 50; k++) {
		struct buf md;
		struct diag_list dl;
		struct layout *lay;
		int j;

		buf_init(&md);
		diag_init(&dl);
		for (j = 0; j < k; j++)
			buf_printf(&md, "Filler %d.\n\n", j);
		buf_puts(&md, "## HEADING\n\nFIRST\\\nSECOND\n");
		lay = lay_out(md.data, "keep", &dl);
		if (page_of(lay, "HEADING") != page_of(lay, "FIRST") ||
		    page_of(lay, "FIRST") != page_of(lay, "SECOND"))
			fail_msg("%d fillers: heading on page %zu, text on page %zu", k,
			    page_of(lay, "HEADING"), page_of(lay, "FIRST"));
		layout_free(lay);
		diag_free(&dl);
		buf_free(&md);
	}
}

static void
test_table_header_repeats(void **st)
{
	struct buf md;
	struct diag_list dl;
	struct layout *lay;
	size_t p, i, heads;
	int j;

	(void)st;
	buf_init(&md);
	diag_init(&dl);
	buf_puts(&md, "| HEAD | Value |\n|---|---|\n");
	for (j = 0; j < 200; j++)
		buf_printf(&md, "| row %d | value |\n", j);
	lay = lay_out(md.data, "table", &dl);
	assert_true(lay->n_pages >= 3);
	for (p = 0; p < lay->n_pages; p++) {
		heads = 0;
		for (i = 0; i < lay->pages[p].n_boxes; i++)
			if (lay->pages[p].boxes[i].kind == BOX_TEXT &&
			    strcmp(lay->pages[p].boxes[i].text, "HEAD") == 0)
				heads++;
		if (heads != 1)
			fail_msg("page %zu has %zu header rows", p + 1, heads);
	}
	layout_free(lay);
	diag_free(&dl);
	buf_free(&md);
}

static void
test_hostile(void **st)
{
	struct buf md;
	struct diag_list dl;
	struct layout *lay;
	int j;

	(void)st;
	/* 10,000 table rows. */
	buf_init(&md);
	diag_init(&dl);
	buf_puts(&md, "| a | b | c |\n|---|---|---|\n");
	for (j = 0; j < 10000; j++)
		buf_printf(&md, "| %d | some text | more text here |\n", j);
	lay = lay_out(md.data, "rows", &dl);
	assert_true(lay->n_pages > 100);
	check_bounds(lay);
	layout_free(lay);
	buf_reset(&md);
	/* A 20,000-character word, deep quotes and lists. */
	for (j = 0; j < 20000; j++)
		buf_putc(&md, "abcdefghij"[j % 10]);
	buf_puts(&md, "\n\n");
	for (j = 0; j < 2000; j++)
		buf_putc(&md, '>');
	buf_puts(&md, " deep quote\n\n");
	for (j = 0; j < 300; j++)
		buf_printf(&md, "%*s- level %d\n", j * 2, "", j);
	buf_puts(&md, "\n");
	for (j = 0; j < 3000; j++)
		buf_puts(&md, "![x](chart:c) ");
	lay = lay_out(md.data, "deep", &dl);
	check_bounds(lay);
	layout_free(lay);
	diag_free(&dl);
	buf_free(&md);
}

static void
test_measurer(void **st)
{
	struct text_measurer m = font_set_measurer(fonts);
	double w = m.width(m.ctx, "Score", 10, DRAW_FONT_REGULAR);
	double wb = m.width(m.ctx, "Score", 10, DRAW_FONT_BOLD);

	(void)st;
	assert_true(w > 20 && w < 40);
	assert_true(wb > w);
	assert_true(m.ascent > 0.5 && m.ascent < 1.2);
	assert_true(m.descent > 0.1 && m.descent < 0.5);
}

/*
 * Our cmap reader against HarfBuzz's, for every code point: the Latin
 * print face, the CJK face (formats 4 and 12, characters beyond the BMP)
 * and the Arabic fallback.  Each advance agrees with HarfBuzz's too, in
 * 1/1000 em truncated.
 */
static void
test_cmap_as_harfbuzz(void **st)
{
	const uint32_t probes[] = { 'A', 0x20BB7, 0x0628 };

	(void)st;
	for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
		int face = font_set_pick(fonts, FONT_REGULAR, probes[k]);
		const struct font *f;
		size_t mapped = 0;
		assert_true(face >= 0);
		f = &fonts->faces[face];
		for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
			hb_codepoint_t g = 0;
			if (!hb_font_get_nominal_glyph(f->hb, cp, &g))
				g = 0;
			if (font_glyph(f, cp) != g)
				fail_msg("%s: U+%04X is glyph %u here, %u in HarfBuzz", f->name,
				    (unsigned)cp, font_glyph(f, cp), (unsigned)g);
			if (g != 0 && font_covers(f, cp)) {
				unsigned hb_adv = (unsigned)((unsigned long)
				    hb_font_get_glyph_h_advance(f->hb, g) * 1000 / f->units_per_em);
				assert_int_equal(font_advance(f, cp), hb_adv);
			}
			mapped += g != 0;
		}
		assert_true(mapped > 200);   /* a real face, not an empty map */
	}
}

/* A character beyond the BMP (CJK Extension B, 𠮷 U+20BB7, in Japanese
   names) is found in the CJK face's cmap format 12 and laid out as one
   glyph of its own, not the replacement mark. */
static void
test_astral(void **st)
{
	struct diag_list dl;
	struct layout *lay;
	int face = font_set_pick(fonts, FONT_REGULAR, 0x20BB7);
	size_t p, i, found = 0;

	(void)st;
	assert_true(face >= 0);
	assert_true(font_covers(&fonts->faces[face], 0x20BB7));
	assert_int_equal(font_advance(&fonts->faces[face], 0x20BB7), 1000);
	assert_false(font_covers(&fonts->faces[face], 0x10FFFE));
	assert_false(font_covers(&fonts->faces[face], 0xF0000));
	diag_init(&dl);
	lay = lay_out("\xF0\xA0\xAE\xB7\xE9\x87\x8E", "astral", &dl);
	assert_int_equal(dl.n, 0);
	for (p = 0; p < lay->n_pages; p++)
		for (i = 0; i < lay->pages[p].n_boxes; i++) {
			const struct box *b = &lay->pages[p].boxes[i];
			if (b->kind == BOX_TEXT && strstr(b->text, "\xF0\xA0\xAE\xB7") != NULL) {
				assert_true(b->n_glyphs == 2 && b->glyphs[0].gid != 0);
				found++;
			}
		}
	assert_int_equal(found, 1);
	layout_free(lay);
	diag_free(&dl);
}

/* How many pages of [p, p + len) this process has mapped (the kernel's
 * /proc/self/pagemap: bit 63 is "present"). */
static size_t
pages_mapped(const unsigned char *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p / page, hi = ((uintptr_t)p + len + page - 1) / page;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t n = 0;

	assert_true(fd >= 0);
	for (uintptr_t v = lo; v < hi; v++) {
		uint64_t e = 0;
		assert_int_equal(pread(fd, &e, sizeof e, (off_t)(v * sizeof e)), sizeof e);
		n += e >> 63;
	}
	close(fd);
	return n;
}

/* hb-subset's CFF font of glyphs first, first + step, ... below f's count. */
static hb_blob_t *
cff_subset(const struct font *f, unsigned first, unsigned step)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *b;

	for (unsigned g = first; g < f->n_glyphs; g += step)
		hb_set_add(hb_subset_input_glyph_set(in), g);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_HINTING);
	sub = hb_subset_or_fail(f->hb_subset, in);
	assert_non_null(sub);
	b = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	assert_true(hb_blob_get_length(b) > 0);
	return b;
}

/*
 * font_drop_pages lets go of a CJK face's glyph programs and of nothing
 * else (font_subset_cut every so many subsets), and what is read again
 * is the same.  The oracle is the kernel's
 * page table: hb-subset reads the programs through the mapping, so the
 * range holds pages after a subset of glyphs from all over the font and
 * none after the drop; a subset of one glyph maps a window or two of it
 * again, not the CharStrings' offsets (256 KB that every subset reads:
 * were they in the range, they would come back whole each report).
 */
static void
test_drop_glyph_pages(void **st)
{
	const struct font *f;
	const unsigned char *o;
	int face = font_set_pick_lang(fonts, FONT_REGULAR, 0x6E21, "ja");   /* 渡 */
	hb_blob_t *a, *b;
	size_t before, others;

	(void)st;
	assert_true(font_set_ready(fonts, face));
	f = &fonts->faces[face];
	assert_true(f->cff && f->map_len > 0);
	/* most of a 23 MB CFF table, inside the file */
	assert_true(f->outline_len > 16u << 20);
	assert_true(f->outline_off + f->outline_len <= f->data_len);
	o = f->data + f->outline_off;
	a = cff_subset(f, 1, 97);
	before = pages_mapped(o, f->outline_len);
	assert_true(before > 100);
	others = pages_mapped(f->data, f->outline_off);
	font_drop_pages(f);
	/* at most the two pages the range shares with its neighbours */
	assert_true(pages_mapped(o, f->outline_len) <= 2);
	assert_int_equal(pages_mapped(f->data, f->outline_off), others);
	b = cff_subset(f, 1, 97);
	assert_int_equal(hb_blob_get_length(a), hb_blob_get_length(b));
	assert_memory_equal(hb_blob_get_data(a, NULL), hb_blob_get_data(b, NULL),
	    hb_blob_get_length(a));
	hb_blob_destroy(a);
	hb_blob_destroy(b);
	/* the device's call lets go of them every FONT_DROP_EVERY-th subset */
	((struct font *)f)->subsets_cut = 0;    /* the set's own memory */
	for (unsigned k = 1; k <= FONT_DROP_EVERY; k++) {
		hb_blob_destroy(cff_subset(f, 1, 97));
		font_subset_cut(f);
		if (k < FONT_DROP_EVERY)
			assert_true(pages_mapped(o, f->outline_len) > 100);
	}
	assert_true(pages_mapped(o, f->outline_len) <= 2);
	for (unsigned g = 1000; g < f->n_glyphs; g += 20000) {
		size_t n;
		font_drop_pages(f);
		hb_blob_destroy(cff_subset(f, g, f->n_glyphs));
		n = pages_mapped(o, f->outline_len);
		if (n < 1 || n > 32)
			fail_msg("glyph %u: %zu pages of the glyph programs mapped", g, n);
	}
}

/* The horizontal extent of the ink of a PNG (pixels darker than mid grey). */
static void
png_ink(const char *path, int *x0, int *x1)
{
	cairo_surface_t *sf = cairo_image_surface_create_from_png(path);
	int w = cairo_image_surface_get_width(sf), h = cairo_image_surface_get_height(sf);
	int stride = cairo_image_surface_get_stride(sf), x, y;
	const unsigned char *px = cairo_image_surface_get_data(sf);

	assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
	*x0 = w;
	*x1 = -1;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (px[y * stride + 4 * x + 1] < 128) {
				*x0 = x < *x0 ? x : *x0;
				*x1 = x > *x1 ? x : *x1;
			}
	cairo_surface_destroy(sf);
}

/*
 * PNG and SVG figures draw labels as the text engine sets them: an Arabic
 * name joined and right to left, a CJK one in the CJK face.  The ink of
 * a label spans the shaped width the layout measures (cairo's toy text,
 * one face and unshaped, spans another), and the SVG has no font glyphs.
 */
static void
test_figure_labels(void **st)
{
	static const char *const labels[] = {
		"\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF \xD8\xB9\xD8\xA8\xD8\xAF \xD8\xA7\xD9\x84\xD9\x84\xD9\x87",
		"\xE6\xB8\xA1\xE8\xBE\xBA\xE7\x9B\xB4\xE7\xBE\x8E",
		"\xE0\xA4\x85\xE0\xA4\xA8\xE0\xA4\xBF\xE0\xA4\xB2",
	};
	struct text_measurer m = font_set_measurer(fonts);
	struct draw_rgba black = {0, 0, 0, 1};
	char dir[] = "/tmp/figlabelsXXXXXX", *png, *svg, *text;
	struct diag_list dl;
	size_t i;

	(void)st;
	assert_non_null(mkdtemp(dir));
	png = xasprintf("%s/l.png", dir);
	svg = xasprintf("%s/l.svg", dir);
	diag_init(&dl);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		struct drawing *d = drawing_new(300, 40);
		double w = m.width(m.ctx, labels[i], 20, DRAW_FONT_REGULAR);
		int x0, x1;
		drawing_add_text(d, labels[i], 20, 28, 20, DRAW_FONT_REGULAR, DRAW_LEFT, DRAW_BASELINE,
		    black);
		assert_int_equal(drawing_write_png(d, png, 72, &m, &dl), 0);
		png_ink(png, &x0, &x1);
		assert_true(x1 > x0);
		/* side bearings: ink within the advance, and most of it */
		assert_true(x0 >= 20 - 2 && x1 <= 20 + w + 2);
		assert_true(x1 - x0 >= w * 0.8);
		assert_int_equal(drawing_write_svg(d, svg, &m, &dl), 0);
		text = slurp(svg);
		assert_non_null(text);
		assert_null(strstr(text, "glyph"));
		assert_non_null(strstr(text, "<path"));
		free(text);
		drawing_free(d);
	}
	assert_int_equal(dl.n, 0);
	unlink(png);
	unlink(svg);
	rmdir(dir);
	free(png);
	free(svg);
	diag_free(&dl);
}

static int
setup(void **st)
{
	struct diag_list dl;

	(void)st;
	diag_init(&dl);
	fonts = font_set_new(NULL, &dl);
	if (fonts == NULL) {
		for (size_t i = 0; i < dl.n; i++)
			fprintf(stderr, "%s: %s\n", dl.items[i].where ? dl.items[i].where : "",
			    dl.items[i].msg);
	}
	diag_free(&dl);
	return fonts == NULL ? -1 : 0;
}

static int
teardown(void **st)
{
	(void)st;
	font_set_free(fonts);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_headings),
		cmocka_unit_test(test_golden_lists),
		cmocka_unit_test(test_golden_callouts),
		cmocka_unit_test(test_golden_table_long),
		cmocka_unit_test(test_golden_code),
		cmocka_unit_test(test_golden_breaking),
		cmocka_unit_test(test_golden_pagebreak_figure),
		cmocka_unit_test(test_golden_showcase),
		cmocka_unit_test(test_golden_shaped),
		cmocka_unit_test(test_astral),
		cmocka_unit_test(test_cmap_as_harfbuzz),
		cmocka_unit_test(test_figure_labels),
		cmocka_unit_test(test_break_lines),
		cmocka_unit_test(test_orphans_widows),
		cmocka_unit_test(test_keep_with_next),
		cmocka_unit_test(test_table_header_repeats),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_measurer),
		cmocka_unit_test(test_cache_sweeps),
		cmocka_unit_test(test_drop_glyph_pages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
