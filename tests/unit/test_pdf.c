/*
 * test_pdf: the font subsetter (font_subset.c) and the font objects the
 * PDF device writes.  A subset must hold exactly the glyphs asked for, in
 * that order, then the components of composite glyphs renumbered; its
 * tables must be checksummed; each face a document uses must be embedded
 * once, as a subset, with widths for just the codes drawn; the same input
 * must give the same bytes.  Needs the DejaVu fonts; run from the
 * repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "doc.h"
#include "font.h"
#include "layout.h"
#include "markdown.h"
#include "pdf.h"
#include "util.h"

static struct font_set *fonts;

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Offset of table tag in the sfnt at p (len bytes), 0 if absent; *tl its length. */
static size_t
table_at(const unsigned char *p, size_t len, const char *tag, size_t *tl)
{
	unsigned n = rd16(p + 4), i;

	for (i = 0; i < n && 12 + 16 * (size_t)i + 16 <= len; i++) {
		const unsigned char *rec = p + 12 + 16 * (size_t)i;
		if (memcmp(rec, tag, 4) == 0) {
			*tl = rd32(rec + 12);
			return rd32(rec + 8);
		}
	}
	return 0;
}

static uint32_t
sum32(const unsigned char *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < len; i += 4) {
		unsigned char w[4] = {0, 0, 0, 0};
		memcpy(w, p + i, len - i < 4 ? len - i : 4);
		s += rd32(w);
	}
	return s;
}

/* A well-formed TrueType file: sorted directory, table checksums, head adjustment. */
static void
check_sfnt(const unsigned char *p, size_t len)
{
	unsigned n = rd16(p + 4), i;

	assert_true(len >= 12 + 16 * (size_t)n);
	assert_int_equal(rd32(p), 0x00010000);
	for (i = 0; i < n; i++) {
		const unsigned char *rec = p + 12 + 16 * (size_t)i;
		size_t off = rd32(rec + 8), tl = rd32(rec + 12);
		assert_true(off % 4 == 0 && off + tl <= len);
		if (i > 0)
			assert_true(memcmp(rec - 16, rec, 4) < 0);
		if (memcmp(rec, "head", 4) != 0)
			assert_int_equal(rd32(rec + 4), sum32(p + off, tl));
	}
	assert_int_equal(sum32(p, len), 0xB1B0AFBAu);
}

/* Glyph g's bytes in a font with long or short loca. */
static const unsigned char *
glyph_of(const unsigned char *p, size_t len, bool long_loca, unsigned g, size_t *gl)
{
	size_t ll, gfl, loca = table_at(p, len, "loca", &ll), glyf = table_at(p, len, "glyf", &gfl);
	size_t a, b;

	if (long_loca) {
		a = rd32(p + loca + 4 * g);
		b = rd32(p + loca + 4 * g + 4);
	} else {
		a = 2 * (size_t)rd16(p + loca + 2 * g);
		b = 2 * (size_t)rd16(p + loca + 2 * g + 2);
	}
	*gl = b - a;
	return p + glyf + a;
}

/* Component glyph ids of composite glyph g (up to max). */
static size_t
components(const unsigned char *g, size_t gl, unsigned *out, size_t max)
{
	size_t at = 10, n = 0;
	unsigned flags;

	if (gl < 10 || (int16_t)rd16(g) >= 0)
		return 0;
	do {
		flags = rd16(g + at);
		if (n < max)
			out[n] = rd16(g + at + 2);
		n++;
		at += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
	} while ((flags & 0x20) && at < gl);
	return n;
}

static void
test_subset_exact(void **st)
{
	const struct font *f = &fonts->faces[fonts->style_face[FONT_REGULAR]];
	/* A, é (a composite in DejaVu), →, A again, a glyph id the font lacks. */
	uint16_t gids[6] = {0, f->cmap['A'], f->cmap[0xE9], f->cmap[0x2192], f->cmap['A'], 0xFFF0};
	unsigned comp[8], sub_comp[8];
	size_t ncomp, n, i, hl;
	const unsigned char *orig = f->data, *e, *se;
	struct buf b;

	(void)st;
	assert_true(gids[1] != 0 && gids[2] != 0 && gids[3] != 0);
	e = glyph_of(orig, f->data_len, f->loca_long, gids[2], &hl);
	ncomp = components(e, hl, comp, 8);
	assert_true(ncomp >= 2); /* e + acute */
	buf_init(&b);
	n = font_subset(f, gids, 6, &b);
	check_sfnt((const unsigned char *)b.data, b.len);
	/* Exactly the glyphs asked for, then each distinct component once. */
	{
		size_t fresh = 0, k, j;
		for (k = 0; k < ncomp; k++) {
			bool seen = false;
			for (j = 0; j < 6; j++)
				seen |= gids[j] == comp[k];
			for (j = 0; j < k; j++)
				seen |= comp[j] == comp[k];
			fresh += !seen;
		}
		assert_int_equal(n, 6 + fresh);
	}
	{
		size_t ml, mo = table_at((const unsigned char *)b.data, b.len, "maxp", &ml);
		size_t hhl, ho = table_at((const unsigned char *)b.data, b.len, "hhea", &hhl);
		assert_int_equal(rd16((const unsigned char *)b.data + mo + 4), n);
		assert_int_equal(rd16((const unsigned char *)b.data + ho + 34), n);
	}
	/* Simple glyphs are byte for byte the originals; the unknown id is empty. */
	for (i = 0; i < 6; i++) {
		size_t ol = 0, sl;
		const unsigned char *og = gids[i] < f->n_glyphs
		    ? glyph_of(orig, f->data_len, f->loca_long, gids[i], &ol) : NULL;
		const unsigned char *sg = glyph_of((const unsigned char *)b.data, b.len, true,
		    (unsigned)i, &sl);
		if (i == 2)
			continue;
		if (og == NULL || ol == 0) {
			assert_int_equal(sl, 0);
			continue;
		}
		assert_true(sl >= ol && sl < ol + 4);
		assert_memory_equal(og, sg, ol);
	}
	/* The composite points at subset glyphs holding its original components. */
	se = glyph_of((const unsigned char *)b.data, b.len, true, 2, &hl);
	assert_int_equal(components(se, hl, sub_comp, 8), ncomp);
	for (i = 0; i < ncomp; i++) {
		size_t ol, sl;
		const unsigned char *og = glyph_of(orig, f->data_len, f->loca_long, comp[i], &ol);
		const unsigned char *sg = glyph_of((const unsigned char *)b.data, b.len, true,
		    sub_comp[i], &sl);
		assert_true(sub_comp[i] < n);
		assert_true(sl >= ol);
		if ((int16_t)rd16(og) >= 0)
			assert_memory_equal(og, sg, ol);
	}
	buf_free(&b);
}

/* Markdown to PDF bytes in out, fonts from the fixture. */
static void
render(const char *md, struct buf *out)
{
	struct diag_list dl;
	struct doc *doc;
	struct layout *lay;
	struct layout_options lo;
	struct pdf_options po;

	diag_init(&dl);
	doc = markdown_parse(md, strlen(md), "test.md", &dl);
	assert_non_null(doc);
	memset(&lo, 0, sizeof(lo));
	lay = layout_new(doc, fonts, &lo, &dl);
	assert_non_null(lay);
	memset(&po, 0, sizeof(po));
	assert_true(pdf_write(lay, fonts, &po, out, &dl));
	layout_free(lay);
	doc_free(doc);
	diag_free(&dl);
}

/* First occurrence of needle (k bytes) in h (n bytes), NULL if none. */
static const char *
find(const char *h, size_t n, const char *needle, size_t k)
{
	size_t i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

static size_t
count(const struct buf *b, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	const char *s = b->data, *end = b->data + b->len;

	while ((s = find(s, (size_t)(end - s), needle, k)) != NULL) {
		n++;
		s += k;
	}
	return n;
}

/* The font program of the only font in a one-face PDF, inflated. */
static void
font_program(const struct buf *pdf, struct buf *out)
{
	const char *ff = find(pdf->data, pdf->len, "/Length1 ", 9), *obj, *st;
	unsigned long raw;
	uLongf got;

	assert_non_null(ff);
	raw = strtoul(ff + 9, NULL, 10);
	/* The stream data follows this dictionary's "stream" keyword. */
	st = find(ff, pdf->len - (size_t)(ff - pdf->data), "stream\r\n", 8);
	assert_non_null(st);
	obj = st + 8;
	buf_reset(out);
	buf_grow(out, raw);
	got = raw;
	assert_int_equal(uncompress((Bytef *)out->data, &got, (const Bytef *)obj,
	    (uLong)(pdf->len - (size_t)(obj - pdf->data))), Z_OK);
	assert_int_equal(got, raw);
	out->len = got;
}

static void
test_pdf_one_face(void **st)
{
	struct buf pdf, prog;
	size_t ml, mo, n_w = 0;
	const char *w, *end;

	(void)st;
	buf_init(&pdf);
	buf_init(&prog);
	/* Regular face only (the text and the page footer), all simple glyphs. */
	render("Hello hello\n", &pdf);
	assert_int_equal(count(&pdf, "/Subtype /Type0"), 1);
	assert_int_equal(count(&pdf, "/Subtype /CIDFontType2"), 1);
	assert_int_equal(count(&pdf, "/CIDToGIDMap /Identity"), 1);
	assert_int_equal(count(&pdf, "/Encoding /Identity-H"), 1);
	assert_int_equal(count(&pdf, "/FontFile2"), 1);
	assert_int_equal(count(&pdf, "+DejaVuSans\012"), 3); /* Type0, CIDFont, descriptor */
	/* Widths for CIDs 1..n, one per character drawn. */
	w = find(pdf.data, pdf.len, "/W [ 1 [ ", 9);
	assert_non_null(w);
	end = strchr(w + 9, ']');
	for (w += 9; w < end; w++)
		n_w += w[0] != ' ' && w[-1] == ' ';
	assert_true(n_w >= 5); /* H e l o space, then the footer's */
	font_program(&pdf, &prog);
	check_sfnt((const unsigned char *)prog.data, prog.len);
	mo = table_at((const unsigned char *)prog.data, prog.len, "maxp", &ml);
	assert_int_equal(rd16((const unsigned char *)prog.data + mo + 4), n_w + 1); /* + .notdef */
	buf_free(&pdf);
	buf_free(&prog);
}

static void
test_pdf_faces_and_bytes(void **st)
{
	static const char md[] = "# Τίτλος — Zoë\n\nPlain *Ιταλικά* **Жирный** `mono ✓`\n";
	struct buf a, b;

	(void)st;
	buf_init(&a);
	buf_init(&b);
	render(md, &a);
	render(md, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* Four faces, each embedded once, each a subset. */
	assert_int_equal(count(&a, "/Subtype /Type0"), 4);
	assert_int_equal(count(&a, "/FontFile2"), 4);
	assert_int_equal(count(&a, "/ToUnicode"), 4);
	assert_int_equal(count(&a, "HPDF"), 0);
	assert_true(a.len < 40 * 1024);
	buf_free(&a);
	buf_free(&b);
}

static int
setup(void **st)
{
	struct diag_list dl;

	(void)st;
	diag_init(&dl);
	fonts = font_set_new(NULL, &dl);
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
		cmocka_unit_test(test_subset_exact),
		cmocka_unit_test(test_pdf_one_face),
		cmocka_unit_test(test_pdf_faces_and_bytes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
