/*
 * test_pdf: the font subsetter (font_subset.c) and the font objects the
 * PDF device writes.  A subset must hold exactly the glyphs asked for, in
 * that order, then the components of composite glyphs renumbered; its
 * tables must be checksummed; each face a document uses must be embedded
 * once, as a subset, with widths for just the codes drawn; the same input
 * must give the same bytes.  The PDF/A-1b profile: PDF 1.4, no
 * transparency (translucent chart colours blended against white, what
 * was under them painted again), an sRGB output intent, XMP metadata that
 * says what Info says, escaped, a document ID from the content, a CIDSet
 * per font.  Needs the DejaVu fonts and the sRGB profile of
 * icc-profiles-free; run from the repository root.
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

#include "doc/doc.h"
#include "chart/drawing.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "device/pdf.h"
#include "base/util.h"

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
	struct font dv;
	const struct font *f = &dv;
	struct diag_list dl;
	/* A, é (a composite in DejaVu), →, A again, a glyph id the font lacks. */
	diag_init(&dl);
	assert_true(font_load(&dv, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0, &dl));
	diag_free(&dl);
	uint16_t gids[6];
	unsigned comp[8], sub_comp[8];
	size_t ncomp, n, i, hl;
	const unsigned char *orig = f->data, *e, *se;
	struct buf b;

	(void)st;
	gids[0] = 0;
	gids[1] = (uint16_t)font_glyph(f, 'A');
	gids[2] = (uint16_t)font_glyph(f, 0xE9);
	gids[3] = (uint16_t)font_glyph(f, 0x2192);
	gids[4] = (uint16_t)font_glyph(f, 'A');
	gids[5] = 0xFFF0;
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
	/* Simple glyphs are the originals without instructions; the unknown id is empty. */
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
		assert_true(sl > 10 && sl < ol + 4);
		assert_memory_equal(og, sg, 10);
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
		/* The same outline, its bounding box first; hinting instructions left out. */
		assert_true(sl > 10 && sl <= ol);
		assert_memory_equal(og, sg, 10);
	}
	buf_free(&b);
	font_clear(&dv);
}

static const char *find(const char *h, size_t n, const char *needle, size_t k);

/*
 * Appends the inflated text of every object stream of the PDF in b to b,
 * so the tests below can search dictionaries as they would in a file
 * without object streams.  The file's own bytes stay first and intact.
 */
static void
expand_objstms(struct buf *b)
{
	size_t len = b->len, at = 0;
	const char *hit;

	while ((hit = find(b->data + at, len - at, "/Type /ObjStm", 13)) != NULL) {
		const char *lp = find(hit, len - (size_t)(hit - b->data), "/Length ", 8), *data;
		unsigned long n;
		uLongf got;
		char *tmp;
		size_t cap = 1 << 16;
		int rc;

		assert_non_null(lp);
		n = strtoul(lp + 8, NULL, 10);
		data = find(lp, len - (size_t)(lp - b->data), "stream\n", 7);
		assert_non_null(data);
		data += 7;
		at = (size_t)(data - b->data);
		for (;;) {
			tmp = malloc(cap);
			assert_non_null(tmp);
			got = cap;
			rc = uncompress((Bytef *)tmp, &got, (const Bytef *)b->data + at, n);
			if (rc != Z_BUF_ERROR)
				break;
			free(tmp);
			cap *= 4;
		}
		assert_int_equal(rc, Z_OK);
		buf_put(b, "\n", 1);
		buf_put(b, tmp, got);
		free(tmp);
		at += n;
	}
}

/* Markdown to PDF bytes in out, fonts from the fixture; object streams expanded after them. */
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
	expand_objstms(out);
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
	assert_int_equal(count(&pdf, "/CIDToGIDMap "), 1); /* a stream: test_pdf_program_by_set */
	assert_int_equal(count(&pdf, "/Encoding /Identity-H"), 1);
	assert_int_equal(count(&pdf, "/FontFile2"), 1);
	assert_int_equal(count(&pdf, "+NotoSerif-Regular\012"), 3); /* Type0, CIDFont, descriptor */
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
	/* Four print faces and Noto Sans Symbols 2 (the check mark), each embedded once. */
	assert_int_equal(count(&a, "/Subtype /Type0"), 5);
	assert_int_equal(count(&a, "/FontFile2"), 5);
	assert_int_equal(count(&a, "/ToUnicode"), 5);
	assert_int_equal(count(&a, "HPDF"), 0);
	assert_true(a.len < 40 * 1024);
	buf_free(&a);
	buf_free(&b);
}

/* ---- PDF/A-1b ---- */

/* Inflates the stream that starts at st ("stream\r\n..."); false if it is not deflated. */
static bool
inflate_at(const struct buf *pdf, const char *st, struct buf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return false;
	buf_reset(out);
	z.next_in = (Bytef *)(uintptr_t)(st + 8);
	z.avail_in = (uInt)(pdf->len - (size_t)(st + 8 - pdf->data));
	do {
		buf_grow(out, 65536);
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = 65536;
		rc = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)((char *)z.next_out - out->data);
	} while (rc == Z_OK);
	inflateEnd(&z);
	out->data[out->len] = '\0';
	return rc == Z_STREAM_END;
}

/* Every deflated stream of pdf, inflated, one after another into out. */
static void
inflate_all(const struct buf *pdf, struct buf *out)
{
	const char *s = pdf->data, *end = pdf->data + pdf->len;
	struct buf one;

	buf_init(&one);
	buf_reset(out);
	while ((s = find(s, (size_t)(end - s), "stream\r\n", 8)) != NULL) {
		if (inflate_at(pdf, s, &one)) {
			buf_put(out, one.data, one.len);
			buf_putc(out, '\n');
		}
		s += 8;
	}
	buf_free(&one);
}

/* The stream of indirect object n, inflated. */
static void
object_stream(const struct buf *pdf, unsigned n, struct buf *out)
{
	char head[32];
	const char *o, *st;

	snprintf(head, sizeof(head), "\n%u 0 obj\n", n);
	o = find(pdf->data, pdf->len, head, strlen(head));
	assert_non_null(o);
	st = find(o, pdf->len - (size_t)(o - pdf->data), "stream\r\n", 8);
	assert_non_null(st);
	assert_true(inflate_at(pdf, st, out));
}

/*
 * A TrueType program holds the glyphs drawn in glyph id order, whatever
 * the order they were first drawn in, so that the same set gives the same
 * bytes (and a process can keep it); the CIDToGIDMap takes each code to
 * its glyph.
 */
static void
test_pdf_program_by_set(void **st)
{
	struct buf a, b, pa, pb, map;
	const char *t;
	size_t ml, mo, i, j, n_glyphs;

	(void)st;
	buf_init(&a);
	buf_init(&b);
	buf_init(&pa);
	buf_init(&pb);
	buf_init(&map);
	render("zebra quartz\n", &a);
	render("quartz zebra\n", &b);
	font_program(&a, &pa);
	font_program(&b, &pb);
	assert_int_equal(pa.len, pb.len);
	assert_memory_equal(pa.data, pb.data, pa.len);
	/* The codes differ (first use), so the maps do. */
	t = find(a.data, a.len, "/CIDToGIDMap ", 13);
	assert_non_null(t);
	object_stream(&a, (unsigned)strtoul(t + 13, NULL, 10), &map);
	mo = table_at((const unsigned char *)pa.data, pa.len, "maxp", &ml);
	n_glyphs = rd16((const unsigned char *)pa.data + mo + 4);
	/* Two bytes a CID; every CID a glyph of the program, every glyph some CID's. */
	assert_int_equal(map.len % 2, 0);
	for (j = 0; j < n_glyphs; j++) {
		bool hit = false;
		for (i = 0; i < map.len / 2; i++) {
			unsigned g = rd16((const unsigned char *)map.data + 2 * i);
			assert_true(g < n_glyphs);
			hit = hit || g == j;
		}
		assert_true(hit);
	}
	assert_int_equal(rd16((const unsigned char *)map.data), 0); /* CID 0, .notdef */
	buf_free(&a);
	buf_free(&b);
	buf_free(&pa);
	buf_free(&pb);
	buf_free(&map);
}

/* The text between open and close after the first open, in out (NUL-terminated). */
static bool
between(const struct buf *b, const char *open, const char *close, char *out, size_t cap)
{
	const char *s = find(b->data, b->len, open, strlen(open)), *e;

	if (s == NULL)
		return false;
	s += strlen(open);
	e = find(s, b->len - (size_t)(s - b->data), close, strlen(close));
	if (e == NULL || (size_t)(e - s) >= cap)
		return false;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return true;
}

/*
 * A chart-like drawing: a grey grid line, then a translucent blue area
 * over it with an opaque outline, a fully transparent fill, a label
 * under the area.
 */
static struct drawing *
chart_like(void)
{
	struct drawing *d = drawing_new(200, 100);
	struct draw_path_op line[2] = {{DRAW_MOVE_TO, {{0, 50}}}, {DRAW_LINE_TO, {{200, 50}}}};
	struct draw_path_op area[4] = {{DRAW_MOVE_TO, {{20, 20}}}, {DRAW_LINE_TO, {{180, 20}}},
	    {DRAW_LINE_TO, {{100, 90}}}, {DRAW_CLOSE, {{0, 0}}}};
	struct draw_item st;

	memset(&st, 0, sizeof(st));
	st.stroke = true;
	st.stroke_color = (struct draw_rgba){0.5, 0.5, 0.5, 1};
	st.line_width = 1;
	drawing_add_path(d, line, 2, &st);
	drawing_add_text(d, "Grid", 100, 45, 8, DRAW_FONT_REGULAR, DRAW_CENTER, DRAW_BASELINE,
	    (struct draw_rgba){0, 0, 0, 1});
	st.fill = true;
	st.fill_color = (struct draw_rgba){0, 0.5, 1, 0.2};
	st.stroke_color = (struct draw_rgba){0, 0, 1, 1};
	drawing_add_path(d, area, 4, &st);
	st.stroke = false;
	st.fill_color = (struct draw_rgba){1, 0, 0, 0};
	drawing_add_path(d, area, 4, &st);
	return d;
}

/* "md" with the chart-like drawing on its first page, in profile prof. */
static void
render_chart(enum pdf_profile prof, const char *title, const char *author, bool dated,
    struct buf *out)
{
	struct diag_list dl;
	struct doc *doc;
	struct layout *lay;
	struct layout_options lo;
	struct pdf_options po;
	static const char md[] = "# Chart\n\nSome text.\n";
	struct drawing *d = chart_like();
	struct pdf *p;

	diag_init(&dl);
	doc = markdown_parse(md, strlen(md), "test.md", &dl);
	assert_non_null(doc);
	memset(&lo, 0, sizeof(lo));
	lay = layout_new(doc, fonts, &lo, &dl);
	assert_non_null(lay);
	memset(&po, 0, sizeof(po));
	po.profile = prof;
	po.title = title;
	po.author = author;
	po.subject = "Audit";
	po.keywords = "ledger, audit";
	po.creator = "test_pdf";
	po.have_date = dated;
	po.date_epoch = 1700000000;
	p = pdf_new(fonts, &po, &dl);
	assert_non_null(p);
	assert_true(pdf_add_layout(p, lay, NULL));
	assert_true(pdf_draw_drawing(p, 0, d, 100, 300, 400, 200));
	assert_true(pdf_finish(p, out));
	expand_objstms(out);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 0);
	pdf_free(p);
	drawing_free(d);
	layout_free(lay);
	doc_free(doc);
	diag_free(&dl);
}

static void
test_pdfa_no_transparency(void **st)
{
	struct buf plain, a, b, content;

	(void)st;
	buf_init(&plain);
	buf_init(&a);
	buf_init(&b);
	buf_init(&content);
	render_chart(PDF_PLAIN, "T", "S", false, &plain);
	render_chart(PDF_A1B, "T", "S", false, &a);
	render_chart(PDF_A1B, "T", "S", false, &b);
	/* The plain file uses transparency; the archive one does not. */
	assert_true(count(&plain, "/ca 0.2") == 1);
	assert_memory_equal(a.data, "%PDF-1.4\n", 9);
	assert_int_equal(count(&a, "/ExtGState"), 0);
	assert_int_equal(count(&a, "/CA"), 0);
	assert_int_equal(count(&a, "/ca"), 0);
	assert_int_equal(count(&a, "/SMask"), 0);
	assert_int_equal(count(&a, "/Group"), 0);
	assert_int_equal(count(&a, "/Transparency"), 0);
	assert_int_equal(count(&a, "/Encrypt"), 0);
	assert_int_equal(count(&a, "/JavaScript"), 0);
	assert_int_equal(count(&a, "/Annots"), 0);
	inflate_all(&a, &content);
	/* Blue (0, .5, 1) at alpha .2 on white; the outline on top, opaque. */
	assert_int_equal(count(&content, "0.8 0.9 1 rg\n"), 1);
	assert_int_equal(count(&content, "0 0 1 RG\n"), 1);
	assert_true(find(content.data, content.len, "0.8 0.9 1 rg\n", 13) <
	    find(content.data, content.len, "0 0 1 RG\n", 9));
	/* The grid line and label under it again, inside it, tinted: .5 * .8 + .2 * (0, .5, 1). */
	assert_int_equal(count(&content, "0.5 0.5 0.5 RG\n"), 1);
	assert_int_equal(count(&content, "0.4 0.5 0.6 RG\n"), 1);
	assert_int_equal(count(&content, "W\nn\n"), 2); /* the chart's frame, the area */
	assert_int_equal(count(&content, "0 0.1 0.2 rg\n"), 1); /* the black label: .2 * (0, .5, 1) */
	/* The fully transparent red fill is not painted. */
	assert_int_equal(count(&content, "1 1 1 rg\n"), 0);
	assert_int_equal(count(&content, "1 0 0 rg\n"), 0);
	/* Same input, same bytes. */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	buf_free(&plain);
	buf_free(&a);
	buf_free(&b);
	buf_free(&content);
}

static void
test_pdfa_intent_metadata_id(void **st)
{
	struct buf a, b, other, cidset;
	char v[256], id1[40], id2[40];
	const char *t;
	unsigned n;

	(void)st;
	buf_init(&a);
	buf_init(&b);
	buf_init(&other);
	buf_init(&cidset);
	render_chart(PDF_A1B, "Audit <&> \"Zoë\"", "Zoë O'Neil\x01 & co", true, &a);
	/* An sRGB output intent with an ICC stream of three components. */
	assert_int_equal(count(&a, "/OutputIntents"), 1);
	assert_int_equal(count(&a, "/S /GTS_PDFA1"), 1);
	assert_int_equal(count(&a, "/OutputConditionIdentifier (sRGB IEC61966-2.1)"), 1);
	t = find(a.data, a.len, "/DestOutputProfile ", 19);
	assert_non_null(t);
	n = (unsigned)strtoul(t + 19, NULL, 10);
	{
		char head[32];
		const char *o;
		snprintf(head, sizeof(head), "\n%u 0 obj\n", n);
		o = find(a.data, a.len, head, strlen(head));
		assert_non_null(o);
		assert_non_null(find(o, 200, "/N 3\n", 5));
		object_stream(&a, n, &cidset);
		assert_true(cidset.len >= 128);
		assert_memory_equal(cidset.data + 36, "acsp", 4);
		assert_memory_equal(cidset.data + 16, "RGB ", 4);
	}
	/* XMP: uncompressed, identification, the same strings as Info, escaped. */
	assert_int_equal(count(&a, "/Type /Metadata\n/Subtype /XML\n>>\nstream\r\n<?xpacket"), 1);
	assert_int_equal(count(&a, "<pdfaid:part>1</pdfaid:part>"), 1);
	assert_int_equal(count(&a, "<pdfaid:conformance>B</pdfaid:conformance>"), 1);
	assert_true(between(&a, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", "</rdf:li>",
	    v, sizeof(v)));
	assert_string_equal(v, "Audit &lt;&amp;&gt; &quot;Zoë&quot;");
	assert_true(between(&a, "<dc:creator><rdf:Seq><rdf:li>", "</rdf:li>", v, sizeof(v)));
	assert_string_equal(v, "Zoë O&apos;Neil  &amp; co"); /* the control character a space */
	assert_true(between(&a, "<xmp:CreatorTool>", "<", v, sizeof(v)));
	assert_string_equal(v, "test_pdf");
	assert_true(between(&a, "<pdf:Keywords>", "<", v, sizeof(v)));
	assert_string_equal(v, "ledger, audit");
	assert_true(between(&a, "<pdf:Producer>", "<", v, sizeof(v)));
	assert_true(between(&a, "/Producer (", ")", id1, sizeof(id1)));
	assert_string_equal(v, id1);
	/* Info says the same: the author as UTF-16BE with the space, the same instant. */
	assert_int_equal(count(&a, "/Author <FEFF005A006F00EB0020004F0027004E00650069006C0020002000260020"
				   "0063006F>"), 1);
	assert_int_equal(count(&a, "/CreationDate (D:20231114221320+00'00')"), 1);
	assert_int_equal(count(&a, "/ModDate (D:20231114221320+00'00')"), 1);
	assert_int_equal(count(&a, "<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"), 1);
	assert_int_equal(count(&a, "<xmp:ModifyDate>2023-11-14T22:13:20+00:00</xmp:ModifyDate>"), 1);
	/* The trailer's ID: two equal 16-byte strings, the same for the same input. */
	assert_true(between(&a, "/ID [ <", ">", id1, sizeof(id1)));
	assert_int_equal(strlen(id1), 32);
	assert_true(between(&a, "/ID [ <", " ]", v, sizeof(v)));
	snprintf(id2, sizeof(id2), "%.32s", v + 35);
	assert_string_equal(id1, id2);
	assert_non_null(find(a.data, a.len, "trailer", 7));
	assert_true(find(a.data, a.len, "/ID [", 5) > find(a.data, a.len, "trailer", 7));
	render_chart(PDF_A1B, "Audit <&> \"Zoë\"", "Zoë O'Neil\x01 & co", true, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* Another student, another ID. */
	render_chart(PDF_A1B, "Audit <&> \"Zoë\"", "Zoe", true, &other);
	assert_true(between(&other, "/ID [ <", ">", id2, sizeof(id2)));
	assert_string_not_equal(id1, id2);
	/* Undated: no date in Info nor XMP. */
	buf_reset(&other);
	render_chart(PDF_A1B, "T", "S", false, &other);
	assert_int_equal(count(&other, "CreationDate"), 0);
	assert_int_equal(count(&other, "ModDate"), 0);
	assert_int_equal(count(&other, "xmp:CreateDate"), 0);
	assert_int_equal(count(&other, "xmp:ModifyDate"), 0);
	buf_free(&a);
	buf_free(&b);
	buf_free(&other);
	buf_free(&cidset);
}

static void
test_pdfa_cidset(void **st)
{
	struct buf a, prog, set;
	const char *t;
	size_t ml, mo, i, n_glyphs, bits = 0;

	(void)st;
	buf_init(&a);
	buf_init(&prog);
	buf_init(&set);
	render_chart(PDF_A1B, "T", "S", false, &a);
	/* Three faces (bold heading, regular text, sans label), each with a CIDSet. */
	assert_int_equal(count(&a, "/FontFile2"), 3);
	assert_int_equal(count(&a, "/CIDSet"), 3);
	/* The first font's CIDSet marks exactly the glyphs of its program. */
	font_program(&a, &prog);
	mo = table_at((const unsigned char *)prog.data, prog.len, "maxp", &ml);
	n_glyphs = rd16((const unsigned char *)prog.data + mo + 4);
	t = find(a.data, a.len, "/CIDSet ", 8);
	assert_non_null(t);
	object_stream(&a, (unsigned)strtoul(t + 8, NULL, 10), &set);
	assert_int_equal(set.len, (n_glyphs + 7) / 8);
	for (i = 0; i < set.len * 8; i++)
		bits += (unsigned char)set.data[i / 8] >> (7 - i % 8) & 1;
	assert_int_equal(bits, n_glyphs);
	assert_true((unsigned char)set.data[0] & 0x80); /* CID 0, .notdef */
	buf_free(&a);
	buf_free(&prog);
	buf_free(&set);
}

static void
test_pdfa_no_profile(void **st)
{
	struct diag_list dl;
	struct pdf_options po;
	struct pdf_icc *icc;
	const char *old = getenv("ARCHAUDIT_ICC_PROFILE");
	char *keep = old != NULL ? xstrdup(old) : NULL;

	(void)st;
	diag_init(&dl);
	assert_null(pdf_icc_new("/nonexistent/sRGB.icc", &dl));
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
	assert_string_equal(dl.items[0].where, "/nonexistent/sRGB.icc");
	assert_non_null(strstr(dl.items[0].msg, "icc-profiles-free"));
	/* Not an RGB profile. */
	assert_null(pdf_icc_new("tests/unit/test_pdf.c", &dl));
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 2);
	/* pdf_new reads the default itself, and refuses without it. */
	setenv("ARCHAUDIT_ICC_PROFILE", "/nonexistent/sRGB.icc", 1);
	memset(&po, 0, sizeof(po));
	po.profile = PDF_A1B;
	assert_null(pdf_new(fonts, &po, &dl));
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 3);
	if (keep != NULL)
		setenv("ARCHAUDIT_ICC_PROFILE", keep, 1);
	else
		unsetenv("ARCHAUDIT_ICC_PROFILE");
	free(keep);
	icc = pdf_icc_new(NULL, &dl);
	assert_non_null(icc);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 3);
	pdf_icc_free(icc);
	pdf_icc_free(NULL);
	diag_free(&dl);
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
		cmocka_unit_test(test_pdf_program_by_set),
		cmocka_unit_test(test_pdf_faces_and_bytes),
		cmocka_unit_test(test_pdfa_no_transparency),
		cmocka_unit_test(test_pdfa_intent_metadata_id),
		cmocka_unit_test(test_pdfa_cidset),
		cmocka_unit_test(test_pdfa_no_profile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
