/*
 * pdf: the PDF device, the only file that includes hpdf.h.  Input: laid
 * out pages (struct layout) and the font set.  Output: PDF bytes in a
 * struct buf.  It draws boxes and nothing else: every position, font and
 * line break was decided by the layout.
 *
 * libharu's error handler only records the first error in our context;
 * every call's status is checked, nothing jumps.
 *
 * The ToUnicode fix.  For a TrueType font loaded with the "UTF-8"
 * encoder, libharu 2.3.0 (hpdf_font_cid.c, HPDF_Type0Font_New) attaches as
 * /ToUnicode the stream made by CreateCMap: an encoding CMap (code to CID,
 * "begincidrange <0000> <FFFF> 0") rather than a code-to-Unicode map, which
 * poppler rejects ("Invalid 'begincidrange' operator in ToUnicode CMap").
 * Our codes are Unicode values (the encoder maps UTF-8 to UCS-2 and the CID
 * is the code), so just before saving we empty that stream through
 * libharu's own object API (HPDF_Dict_GetItem, HPDF_MemStream_FreeData,
 * HPDF_Stream_Write) and write a real ToUnicode CMap, "bfrange" entries
 * covering exactly the characters this document drew with the font.  The
 * stream keeps its object number and filter, so nothing else changes.
 *
 * Costs to cut later (see the report): HPDF_LoadTTFontFromFile parses
 * the whole font and builds a 65,536-entry map per document and font; the
 * font file is compressed at save time.  All font loading goes through
 * face_font(), so a device that reuses prepared font data, or fonts
 * subset once at build time, replaces one function.
 */
#include "pdf.h"

#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pdf_face {
	HPDF_Font font;          /* NULL until first used */
	unsigned char *used;     /* owned; 65,536 bits: code points drawn */
};

struct pdf {
	const struct font_set *fs;
	struct pdf_options opt;
	struct diag_list *dl;
	HPDF_Doc doc;
	HPDF_STATUS error;       /* first libharu error, 0 = none */
	HPDF_STATUS detail;
	struct pdf_face *faces;  /* owned; one per font set face */
	HPDF_Page *pages;        /* owned; every page so far */
	size_t n_pages, cap_pages;
	double page_h;           /* points, of the layout being drawn */
	HPDF_ExtGState gstates[8]; /* cached alpha states */
	double gs_alpha[8][2];
	size_t n_gstates;
	/* text state of the current page, to avoid repeating operators */
	bool in_text;
	int cur_face;
	double cur_size;
	struct layout_color cur_color;
};

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct pdf *p = user;
	if (p->error == 0) {
		p->error = error;
		p->detail = detail;
	}
}

static bool
failed(struct pdf *p, const char *what)
{
	if (p->error == 0)
		return false;
	diag_add(p->dl, DIAG_ERROR, NULL, "PDF: %s failed (libharu error 0x%04X, detail %u)", what,
	    (unsigned)p->error, (unsigned)p->detail);
	return true;
}

/* True, with an error in dl, if obj is NULL or libharu reported an error. */
static bool
bad(struct pdf *p, const void *obj, const char *what)
{
	if (failed(p, what))
		return true;
	if (obj == NULL) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: %s failed (libharu returned nothing)", what);
		return true;
	}
	return false;
}

void
pdf_options_init(struct pdf_options *opt)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	memset(opt, 0, sizeof(*opt));
	if (e != NULL && *e != '\0') {
		v = strtoll(e, &end, 10);
		if (*end == '\0' && v >= 0 && v < 253402300800LL) {
			opt->have_date = true;
			opt->date_epoch = v;
		}
	}
}

static bool
set_date(struct pdf *p)
{
	time_t t = (time_t)p->opt.date_epoch;
	struct tm tm;
	HPDF_Date d;

	if (gmtime_r(&t, &tm) == NULL)
		return true;
	memset(&d, 0, sizeof(d));
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
	return !failed(p, "setting the dates");
}

struct pdf *
pdf_new(const struct font_set *fs, const struct pdf_options *opt, struct diag_list *dl)
{
	struct pdf *p;
	static const struct {
		HPDF_InfoType type;
		size_t off;
	} info[] = {
		{HPDF_INFO_TITLE, offsetof(struct pdf_options, title)},
		{HPDF_INFO_AUTHOR, offsetof(struct pdf_options, author)},
		{HPDF_INFO_SUBJECT, offsetof(struct pdf_options, subject)},
		{HPDF_INFO_KEYWORDS, offsetof(struct pdf_options, keywords)},
		{HPDF_INFO_CREATOR, offsetof(struct pdf_options, creator)},
	};
	size_t i;

	if (opt != NULL && opt->profile == PDF_A1B) {
		diag_add(dl, DIAG_ERROR, NULL, "PDF: the PDF/A-1b archive mode is not implemented yet");
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->fs = fs;
	p->dl = dl;
	if (opt != NULL)
		p->opt = *opt;
	p->faces = xcalloc(fs->n_faces, sizeof(*p->faces));
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL) {
		diag_add(dl, DIAG_ERROR, NULL, "PDF: libharu could not start (out of memory?)");
		pdf_free(p);
		return NULL;
	}
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	for (i = 0; i < sizeof(info) / sizeof(info[0]); i++) {
		const char *v = *(const char *const *)((const char *)&p->opt + info[i].off);
		if (v != NULL && *v != '\0')
			HPDF_SetInfoAttr(p->doc, info[i].type, v);
	}
	if (failed(p, "setting up the document") || (p->opt.have_date && !set_date(p))) {
		pdf_free(p);
		return NULL;
	}
	return p;
}

void
pdf_free(struct pdf *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->doc != NULL)
		HPDF_Free(p->doc);
	for (i = 0; i < p->fs->n_faces; i++)
		free(p->faces[i].used);
	free(p->faces);
	free(p->pages);
	free(p);
}

/* The libharu font of a face, loaded (and embedded) on first use. */
static HPDF_Font
face_font(struct pdf *p, int face)
{
	struct pdf_face *pf = &p->faces[face];
	const char *name;

	if (pf->font != NULL)
		return pf->font;
	name = HPDF_LoadTTFontFromFile(p->doc, p->fs->faces[face].path, HPDF_TRUE);
	if (bad(p, name, "loading a font"))
		return NULL;
	pf->font = HPDF_GetFont(p->doc, name, "UTF-8");
	if (pf->font == NULL || failed(p, "getting a font"))
		return NULL;
	pf->used = xcalloc(65536 / 8, 1);
	return pf->font;
}

static void
mark_used(struct pdf_face *pf, const char *s)
{
	const char *end = s + strlen(s);
	while (s < end) {
		uint32_t cp = font_utf8_next(&s, end);
		if (cp <= 0xFFFF)
			pf->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
}

static void
end_text(struct pdf *p, HPDF_Page page)
{
	if (p->in_text) {
		HPDF_Page_EndText(page);
		p->in_text = false;
	}
}

static bool
draw_text(struct pdf *p, HPDF_Page page, int face, double size, const struct layout_color *c,
    double x, double y, const char *text)
{
	HPDF_Font f = face_font(p, face);

	if (f == NULL)
		return false;
	mark_used(&p->faces[face], text);
	if (!p->in_text) {
		HPDF_Page_BeginText(page);
		p->in_text = true;
		p->cur_face = -1;
		p->cur_color.r = -1;
	}
	if (p->cur_face != face || p->cur_size != size) {
		HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)size);
		p->cur_face = face;
		p->cur_size = size;
	}
	if (memcmp(&p->cur_color, c, sizeof(*c)) != 0) {
		HPDF_Page_SetRGBFill(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
		p->cur_color = *c;
	}
	HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y), text);
	return !failed(p, "drawing text");
}

static void
stroke_style(HPDF_Page page, const struct layout_color *c, double lw, double dash)
{
	HPDF_Page_SetRGBStroke(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)lw);
	if (dash > 0) {
		/* libharu 2.3.0 takes whole points only. */
		HPDF_UINT16 d = (HPDF_UINT16)(dash < 1 ? 1 : dash > 100 ? 100 : lround(dash));
		HPDF_UINT16 pat[2] = {d, d};
		HPDF_Page_SetDash(page, pat, 2, 0);
	} else {
		HPDF_Page_SetDash(page, NULL, 0, 0);
	}
}

static bool
draw_box(struct pdf *p, HPDF_Page page, size_t page_no, const struct box *b)
{
	double H = p->page_h;

	if (b->kind == BOX_TEXT)
		return draw_text(p, page, b->face, b->size, &b->color, b->x, b->y, b->text);
	end_text(p, page);
	switch (b->kind) {
	case BOX_RECT:
		if (b->filled)
			HPDF_Page_SetRGBFill(page, (HPDF_REAL)b->fill.r, (HPDF_REAL)b->fill.g,
			    (HPDF_REAL)b->fill.b);
		if (b->stroked)
			stroke_style(page, &b->color, b->line_width, b->dash);
		HPDF_Page_Rectangle(page, (HPDF_REAL)b->x, (HPDF_REAL)(H - b->y - b->h),
		    (HPDF_REAL)b->w, (HPDF_REAL)b->h);
		if (b->filled && b->stroked)
			HPDF_Page_FillStroke(page);
		else if (b->filled)
			HPDF_Page_Fill(page);
		else if (b->stroked)
			HPDF_Page_Stroke(page);
		else
			HPDF_Page_EndPath(page);
		p->cur_color.r = -1;
		break;
	case BOX_LINE:
		stroke_style(page, &b->color, b->line_width, b->dash);
		HPDF_Page_MoveTo(page, (HPDF_REAL)b->x, (HPDF_REAL)(H - b->y));
		HPDF_Page_LineTo(page, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(H - b->y - b->h));
		HPDF_Page_Stroke(page);
		break;
	case BOX_FIGURE:
		if (b->drawing != NULL &&
		    !pdf_draw_drawing(p, page_no, b->drawing, b->x, b->y, b->w, b->h))
			return false;
		break;
	case BOX_TEXT:
		break;
	}
	return !failed(p, "drawing");
}

/* Outline entries: nested by heading level, under bookmark if given. */
static bool
add_outline(struct pdf *p, const struct layout *lay, size_t first_page, const char *bookmark)
{
	HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
	HPDF_Outline parents[4] = {NULL, NULL, NULL, NULL};
	size_t i;

	if (bookmark != NULL) {
		HPDF_Destination d;
		parents[0] = HPDF_CreateOutline(p->doc, NULL, bookmark, enc);
		if (bad(p, parents[0], "making a bookmark"))
			return false;
		d = HPDF_Page_CreateDestination(p->pages[first_page]);
		HPDF_Outline_SetDestination(parents[0], d);
	}
	for (i = 0; i < lay->n_marks; i++) {
		const struct layout_mark *m = &lay->marks[i];
		int lv = m->level < 1 ? 1 : m->level > 3 ? 3 : m->level, k;
		HPDF_Outline parent = NULL, o;
		HPDF_Destination d;
		for (k = lv - 1; k >= 0 && parent == NULL; k--)
			parent = parents[k];
		o = HPDF_CreateOutline(p->doc, parent, m->title, enc);
		if (bad(p, o, "making a bookmark"))
			return false;
		d = HPDF_Page_CreateDestination(p->pages[first_page + m->page]);
		HPDF_Destination_SetXYZ(d, 0, (HPDF_REAL)(lay->page_h - m->y + 6), 1);
		HPDF_Outline_SetDestination(o, d);
		HPDF_Outline_SetOpened(o, HPDF_TRUE);
		parents[lv] = o;
		for (k = lv + 1; k < 4; k++)
			parents[k] = NULL;
	}
	if (parents[0] != NULL)
		HPDF_Outline_SetOpened(parents[0], HPDF_FALSE);
	return !failed(p, "making the outline");
}

bool
pdf_add_layout(struct pdf *p, const struct layout *lay, const char *bookmark)
{
	size_t first = p->n_pages, i, k;

	p->page_h = lay->page_h;
	for (i = 0; i < lay->n_pages; i++) {
		HPDF_Page page = HPDF_AddPage(p->doc);
		if (bad(p, page, "adding a page"))
			return false;
		HPDF_Page_SetWidth(page, (HPDF_REAL)lay->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)lay->page_h);
		if (p->n_pages == p->cap_pages) {
			p->cap_pages = p->cap_pages ? p->cap_pages * 2 : 8;
			p->pages = xreallocarray(p->pages, p->cap_pages, sizeof(*p->pages));
		}
		p->pages[p->n_pages++] = page;
		p->in_text = false;
		for (k = 0; k < lay->pages[i].n_boxes; k++)
			if (!draw_box(p, page, p->n_pages - 1, &lay->pages[i].boxes[k]))
				return false;
		end_text(p, page);
	}
	return add_outline(p, lay, first, bookmark);
}

/* Replaces libharu's broken /ToUnicode of one font; see the top comment. */
static bool
fix_tounicode(struct pdf *p, struct pdf_face *pf)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(pf->font, "ToUnicode", HPDF_OCLASS_DICT);
	struct buf b;
	uint32_t cp = 0, n_ranges = 0;
	struct {
		uint32_t lo, hi;
	} *ranges = NULL;
	size_t cap = 0, i;

	if (tu == NULL || tu->stream == NULL) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: libharu made no ToUnicode map to repair");
		return false;
	}
	/* Ranges of used codes, never crossing a high-byte boundary. */
	while (cp <= 0xFFFF) {
		if (!(pf->used[cp >> 3] & (1u << (cp & 7)))) {
			cp++;
			continue;
		}
		uint32_t lo = cp;
		while (cp + 1 <= 0xFFFF && (cp + 1) >> 8 == lo >> 8 &&
		       (pf->used[(cp + 1) >> 3] & (1u << ((cp + 1) & 7))))
			cp++;
		if (n_ranges == cap) {
			cap = cap ? cap * 2 : 32;
			ranges = xreallocarray(ranges, cap, sizeof(*ranges));
		}
		ranges[n_ranges].lo = lo;
		ranges[n_ranges].hi = cp;
		n_ranges++;
		cp++;
	}
	buf_init(&b);
	buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 0; i < n_ranges; i += 100) {
		size_t k, n = n_ranges - i < 100 ? n_ranges - i : 100;
		buf_printf(&b, "%zu beginbfrange\n", n);
		for (k = i; k < i + n; k++)
			buf_printf(&b, "<%04X> <%04X> <%04X>\n", ranges[k].lo, ranges[k].hi, ranges[k].lo);
		buf_puts(&b, "endbfrange\n");
	}
	buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	free(ranges);
	/* The encoding-CMap keys libharu put on the stream do not belong here. */
	HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(tu, "CMapName");
	HPDF_Dict_RemoveElement(tu, "Type");
	HPDF_Dict_RemoveElement(tu, "WMode");
	p->error = 0; /* RemoveElement reports absent keys as errors */
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return !failed(p, "writing the ToUnicode map");
}

bool
pdf_finish(struct pdf *p, struct buf *out)
{
	size_t i;
	HPDF_UINT32 size, got;

	if (p->opt.title != NULL || p->n_pages == 0)
		HPDF_SetPageMode(p->doc, HPDF_PAGE_MODE_USE_OUTLINE);
	if (p->n_pages == 0) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: no pages to write");
		return false;
	}
	for (i = 0; i < p->fs->n_faces; i++)
		if (p->faces[i].font != NULL && !fix_tounicode(p, &p->faces[i]))
			return false;
	HPDF_SaveToStream(p->doc);
	if (failed(p, "saving"))
		return false;
	size = HPDF_GetStreamSize(p->doc);
	buf_grow(out, size);
	got = size;
	HPDF_ReadFromStream(p->doc, (HPDF_BYTE *)out->data + out->len, &got);
	/* libharu reports the end of its stream as an error; check the count. */
	if (got != size) {
		failed(p, "reading the saved PDF");
		return false;
	}
	out->len += got;
	out->data[out->len] = '\0';
	return true;
}

bool
pdf_write(const struct layout *lay, const struct font_set *fs, const struct pdf_options *opt,
    struct buf *out, struct diag_list *dl)
{
	struct pdf *p = pdf_new(fs, opt, dl);
	bool ok;

	if (p == NULL)
		return false;
	ok = pdf_add_layout(p, lay, NULL) && pdf_finish(p, out);
	pdf_free(p);
	return ok;
}

/* ---- drawings (charts) ---- */

static HPDF_ExtGState
alpha_state(struct pdf *p, double fill, double stroke)
{
	size_t i;
	HPDF_ExtGState gs;

	for (i = 0; i < p->n_gstates; i++)
		if (p->gs_alpha[i][0] == fill && p->gs_alpha[i][1] == stroke)
			return p->gstates[i];
	gs = HPDF_CreateExtGState(p->doc);
	if (gs == NULL)
		return NULL;
	HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)fill);
	HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)stroke);
	if (p->n_gstates < 8) {
		p->gstates[p->n_gstates] = gs;
		p->gs_alpha[p->n_gstates][0] = fill;
		p->gs_alpha[p->n_gstates][1] = stroke;
		p->n_gstates++;
	}
	return gs;
}

/* Draws utf8 in runs of one face each, along a baseline rotated by angle. */
static bool
draw_label(struct pdf *p, HPDF_Page page, enum font_style st, double size,
    const struct layout_color *c, double x, double y, double angle_deg, const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	double rad = angle_deg * M_PI / 180.0, cs = cos(rad), sn = sin(rad), pen = 0;
	struct buf run;
	bool ok = true;

	buf_init(&run);
	while (s < end && ok) {
		int face = -1;
		double w = 0;
		buf_reset(&run);
		while (s < end) {
			const char *save = s;
			uint32_t cp = font_utf8_next(&s, end);
			int f = font_set_pick(p->fs, st, cp);
			if (f < 0) {
				f = p->fs->style_face[FONT_REGULAR];
				cp = p->fs->replacement;
			}
			if (face >= 0 && f != face) {
				s = save;
				break;
			}
			face = f;
			font_utf8_put(&run, cp);
			w += font_advance(&p->fs->faces[f], cp) * size / 1000.0;
		}
		HPDF_Font font = face_font(p, face);
		if (font == NULL)
			return false;
		mark_used(&p->faces[face], run.data);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size);
		HPDF_Page_SetRGBFill(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
		HPDF_Page_SetTextMatrix(page, (HPDF_REAL)cs, (HPDF_REAL)sn, (HPDF_REAL)-sn,
		    (HPDF_REAL)cs, (HPDF_REAL)(x + pen * cs), (HPDF_REAL)(p->page_h - y + pen * sn));
		HPDF_Page_ShowText(page, run.data);
		HPDF_Page_EndText(page);
		pen += w;
		ok = !failed(p, "drawing a chart label");
	}
	buf_free(&run);
	return ok;
}

bool
pdf_draw_drawing(struct pdf *p, size_t page_no, const struct drawing *d, double x, double y,
    double w, double h)
{
	HPDF_Page page;
	double sx, sy, H = p->page_h;
	size_t i, k;
	bool pdfa = p->opt.profile == PDF_A1B;

	if (page_no >= p->n_pages || d->width <= 0 || d->height <= 0)
		return true;
	page = p->pages[page_no];
	end_text(p, page);
	sx = w / d->width;
	sy = h / d->height;
	HPDF_Page_GSave(page);
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)(H - y - h), (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Clip(page);
	HPDF_Page_EndPath(page);
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];
		if (it->kind == DRAW_PATH) {
			double fa = it->fill ? it->fill_color.a : 1, sa = it->stroke ? it->stroke_color.a : 1;
			if (!it->fill && !it->stroke)
				continue;
			HPDF_Page_GSave(page);
			/* PDF/A-1 forbids transparency: alpha is then ignored. */
			if (!pdfa && (fa < 1 || sa < 1)) {
				HPDF_ExtGState gs = alpha_state(p, fa, sa);
				if (gs != NULL)
					HPDF_Page_SetExtGState(page, gs);
			}
			if (it->fill)
				HPDF_Page_SetRGBFill(page, (HPDF_REAL)it->fill_color.r,
				    (HPDF_REAL)it->fill_color.g, (HPDF_REAL)it->fill_color.b);
			if (it->stroke) {
				struct layout_color sc = {it->stroke_color.r, it->stroke_color.g,
				    it->stroke_color.b};
				HPDF_UINT16 pat[4];
				int nd = it->n_dash < 0 ? 0 : it->n_dash > 4 ? 4 : it->n_dash;
				stroke_style(page, &sc, it->line_width * sqrt(sx * sy), 0);
				if (nd > 0) {
					for (k = 0; k < (size_t)nd; k++)
					{
						double v = it->dash[k] * sqrt(sx * sy);
						pat[k] = (HPDF_UINT16)(v < 1 ? 1 : v > 1000 ? 1000 : lround(v));
					}
					HPDF_Page_SetDash(page, pat, (HPDF_UINT)nd, 0);
				}
			}
			for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
				const struct draw_path_op *op = &d->ops[k];
#define PX(j) (HPDF_REAL)(x + op->pt[j].x * sx)
#define PY(j) (HPDF_REAL)(H - y - op->pt[j].y * sy)
				switch (op->op) {
				case DRAW_MOVE_TO:
					HPDF_Page_MoveTo(page, PX(0), PY(0));
					break;
				case DRAW_LINE_TO:
					HPDF_Page_LineTo(page, PX(0), PY(0));
					break;
				case DRAW_CURVE_TO:
					HPDF_Page_CurveTo(page, PX(0), PY(0), PX(1), PY(1), PX(2), PY(2));
					break;
				case DRAW_CLOSE:
					HPDF_Page_ClosePath(page);
					break;
				}
#undef PX
#undef PY
			}
			if (it->fill && it->stroke)
				HPDF_Page_FillStroke(page);
			else if (it->fill)
				HPDF_Page_Fill(page);
			else
				HPDF_Page_Stroke(page);
			HPDF_Page_GRestore(page);
		} else if (it->text != NULL) {
			enum font_style st = it->font == DRAW_FONT_BOLD ? FONT_BOLD
			    : it->font == DRAW_FONT_ITALIC		  ? FONT_ITALIC
									  : FONT_REGULAR;
			double size = it->size * sqrt(sx * sy);
			double tw = font_set_width(p->fs, st, it->text, size);
			const struct font *rf = &p->fs->faces[p->fs->style_face[FONT_REGULAR]];
			double ax = x + it->at.x * sx, ay = y + it->at.y * sy, dx = 0, dy = 0;
			double rad = it->angle_deg * M_PI / 180.0;
			struct layout_color c = {it->color.r, it->color.g, it->color.b};
			if (it->halign == DRAW_CENTER)
				dx = -tw / 2;
			else if (it->halign == DRAW_RIGHT)
				dx = -tw;
			if (it->valign == DRAW_TOP)
				dy = rf->ascent * size;
			else if (it->valign == DRAW_MIDDLE)
				dy = rf->cap_height * size / 2;
			else if (it->valign == DRAW_BOTTOM)
				dy = -rf->descent * size;
			/* Offsets along the rotated axes (y down on the page). */
			double ox = dx * cos(rad) + dy * sin(rad), oy = -dx * sin(rad) + dy * cos(rad);
			if (!draw_label(p, page, st, size, &c, ax + ox, ay + oy, it->angle_deg, it->text))
				return false;
		}
		if (failed(p, "drawing a chart"))
			return false;
	}
	HPDF_Page_GRestore(page);
	p->cur_color.r = -1;
	return !failed(p, "drawing a chart");
}
