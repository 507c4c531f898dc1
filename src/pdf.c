/*
 * pdf: the PDF device, the only file that includes hpdf.h (and zlib.h).
 * Input: laid out pages (struct layout) and the font set.  Output: PDF
 * bytes in a struct buf.  It draws boxes and nothing else: every
 * position, font and line break was decided by the layout.
 *
 * libharu's error handler only records the first error in our context;
 * every call's status is checked, nothing jumps.
 *
 * Division of work.  libharu keeps the object structure: pages and their
 * resource names, outline and destinations, document information, the
 * cross-reference table, saving.  We write the content of each page
 * (text, rectangles, lines, chart paths) as PDF operators into our own
 * buffer, the fonts, and deflate every stream once with one z_stream per
 * document (level 1 for font programs, 6 for the rest).  Measured reasons (docs/perf.md): libharu 2.3.0's TrueType
 * path cost ~75 KB and ~9 ms per face and document (HPDF_LoadTTFontFromFile
 * parses the whole font; its UTF-8 Type0 font builds a 65,536-entry
 * code-to-glyph map by linear search; /W covers every glyph; the whole
 * font program is deflated at every save) and wrote a /ToUnicode poppler
 * rejects; each of its path operators formats a number through a cleared
 * 512-byte buffer (~2,000 instructions); its UTF-8 encoder, needed only
 * for bookmarks and metadata, clears large tables per document.
 *
 * Text.  Codes are CIDs numbered per face and document in order of first
 * use, one per code point (two code points drawn by one glyph get two
 * CIDs, so pdftotext gives back exactly what was typeset), CID = glyph id
 * of the subset (CIDToGIDMap /Identity).  At pdf_finish each face used
 * becomes a Type0 font (Identity-H) over a CIDFontType2 whose /W lists just
 * those CIDs, a ToUnicode CMap with one bfchar per CID, and a font
 * program cut by font_subset() to those glyphs plus the components of
 * composite ones.  The subset tag (ABCDEF+) hashes the face and its glyph
 * list, so the bytes depend only on the input.  The dictionaries are
 * libharu objects (HPDF_Dict_New, HPDF_Xref_Add); streams we deflated
 * declare their /Filter through the dictionary's write_fn hook, since
 * libharu writes a Filter only for streams it compresses itself.
 * Bookmark titles and non-ASCII metadata are UTF-16BE strings we encode.
 */
#include "pdf.h"

#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/*
 * Deflate levels.  Font programs barely shrink past level 1 (33.2 KB
 * against 32.5 KB at 6 for a real report) and are the most bytes to
 * deflate; page content does (28.1 KB against 22.6 KB).
 */
#define DEFLATE_FONT 1
#define DEFLATE_CONTENT 6

/* One face as this document uses it. */
struct pdf_face {
	HPDF_Dict type0;          /* the Type0 font, NULL until first used */
	uint16_t *cid_of[256];    /* owned blocks of 256: code point -> CID, 0 = none yet */
	uint32_t *cp_of;          /* owned; code point of each CID ([0] = .notdef) */
	size_t n_cids, cap_cids;
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
	struct buf *content;     /* owned; each page's operators, deflated at pdf_finish */
	size_t n_pages, cap_pages;
	double page_h;           /* points, of the layout being drawn */
	HPDF_ExtGState gstates[8]; /* cached alpha states */
	double gs_alpha[8][2];
	size_t n_gstates;
	z_stream z;              /* reused for every stream of the document */
	bool z_ready;
	struct buf zout;         /* scratch: deflated bytes */
	/* text state of the current page, to avoid repeating operators */
	bool in_text;
	int cur_face;
	double cur_size;
	struct layout_color cur_color;
	long long td_x, td_y;    /* hundredths of a point: start of the current text line */
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

/*
 * A PDF text string for utf8: itself if printable ASCII, else UTF-16BE
 * with a byte order mark (written in hex).  NULL after an error.
 */
static void *
text_string(struct pdf *p, const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	struct buf b;
	void *obj;

	for (; s < end && *s >= 0x20 && *s < 0x7F; s++)
		;
	if (s == end)
		return HPDF_String_New(p->doc->mmgr, utf8, NULL);
	buf_init(&b);
	buf_put(&b, "\xFE\xFF", 2);
	for (s = utf8; s < end;) {
		uint32_t cp = font_utf8_next(&s, end);
		unsigned char u[4];
		if (cp >= 0x10000) {
			uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + (cp & 0x3FF);
			u[0] = (unsigned char)(hi >> 8);
			u[1] = (unsigned char)hi;
			u[2] = (unsigned char)(lo >> 8);
			u[3] = (unsigned char)lo;
			buf_put(&b, u, 4);
		} else {
			u[0] = (unsigned char)(cp >> 8);
			u[1] = (unsigned char)cp;
			buf_put(&b, u, 2);
		}
	}
	obj = HPDF_Binary_New(p->doc->mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return obj;
}

struct pdf *
pdf_new(const struct font_set *fs, const struct pdf_options *opt, struct diag_list *dl)
{
	struct pdf *p;
	static const struct {
		HPDF_InfoType type;
		const char *key;
		size_t off;
	} info[] = {
		{HPDF_INFO_TITLE, "Title", offsetof(struct pdf_options, title)},
		{HPDF_INFO_AUTHOR, "Author", offsetof(struct pdf_options, author)},
		{HPDF_INFO_SUBJECT, "Subject", offsetof(struct pdf_options, subject)},
		{HPDF_INFO_KEYWORDS, "Keywords", offsetof(struct pdf_options, keywords)},
		{HPDF_INFO_CREATOR, "Creator", offsetof(struct pdf_options, creator)},
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
	buf_init(&p->zout);
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL) {
		diag_add(dl, DIAG_ERROR, NULL, "PDF: libharu could not start (out of memory?)");
		pdf_free(p);
		return NULL;
	}
	/* We deflate every stream ourselves (pdf_finish). */
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_NONE);
	for (i = 0; i < sizeof(info) / sizeof(info[0]); i++) {
		const char *v = *(const char *const *)((const char *)&p->opt + info[i].off);
		HPDF_Dict d;
		if (v == NULL || *v == '\0')
			continue;
		/* libharu makes the Info dictionary; the value is then replaced by ours. */
		HPDF_SetInfoAttr(p->doc, info[i].type, "-");
		d = p->doc->info;
		if (d == NULL || HPDF_Dict_Add(d, info[i].key, text_string(p, v)) != HPDF_OK) {
			bad(p, NULL, "setting the document information");
			break;
		}
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
	size_t i, k;

	if (p == NULL)
		return;
	if (p->doc != NULL)
		HPDF_Free(p->doc);
	for (i = 0; i < p->fs->n_faces; i++) {
		for (k = 0; k < 256; k++)
			free(p->faces[i].cid_of[k]);
		free(p->faces[i].cp_of);
	}
	for (i = 0; i < p->n_pages; i++)
		buf_free(&p->content[i]);
	if (p->z_ready)
		deflateEnd(&p->z);
	buf_free(&p->zout);
	free(p->faces);
	free(p->pages);
	free(p->content);
	free(p);
}

/* ---- deflating ---- */

/* Deflates data at level into p->zout (replacing its contents); false after an error. */
static bool
deflate_data(struct pdf *p, const void *data, size_t len, int level)
{
	int rc;

	if (!p->z_ready) {
		memset(&p->z, 0, sizeof(p->z));
		if (deflateInit(&p->z, level) != Z_OK) {
			diag_add(p->dl, DIAG_ERROR, NULL, "PDF: zlib could not start");
			return false;
		}
		p->z_ready = true;
	} else if (deflateReset(&p->z) != Z_OK ||
	    deflateParams(&p->z, level, Z_DEFAULT_STRATEGY) != Z_OK) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: zlib could not restart");
		return false;
	}
	buf_reset(&p->zout);
	buf_grow(&p->zout, deflateBound(&p->z, (uLong)len));
	p->z.next_in = (Bytef *)(uintptr_t)data; /* zlib's API is not const-correct */
	p->z.avail_in = (uInt)len;
	p->z.next_out = (Bytef *)p->zout.data;
	p->z.avail_out = (uInt)(p->zout.cap - 1); /* keep room for the buffer's NUL */
	rc = deflate(&p->z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: zlib could not deflate a stream");
		return false;
	}
	p->zout.len = p->z.total_out;
	p->zout.data[p->zout.len] = '\0';
	return true;
}

/* Dictionary write hook: the data was deflated by us, libharu adds no Filter. */
static HPDF_STATUS
write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Deflates data into the stream of dict (which libharu must not filter). */
static bool
fill_stream(struct pdf *p, HPDF_Dict dict, const void *data, size_t len, int level)
{
	if (!deflate_data(p, data, len, level))
		return false;
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = write_flate_filter;
	HPDF_Stream_Write(dict->stream, (const HPDF_BYTE *)p->zout.data, (HPDF_UINT)p->zout.len);
	return !failed(p, "writing a stream");
}

/* A new stream object holding data deflated; NULL after an error. */
static HPDF_Dict
deflated_stream(struct pdf *p, const void *data, size_t len, int level)
{
	HPDF_Dict d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);

	if (bad(p, d, "making a stream"))
		return NULL;
	return fill_stream(p, d, data, len, level) ? d : NULL;
}

/* ---- content operators ---- */

/* Appends v rounded to decimals (0..6) places, without trailing zeros, and a space. */
static void
put_num(struct buf *b, double v, int decimals)
{
	static const long long scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	long long q = llround(v * (double)scale[decimals]);
	unsigned long long u, whole, frac;
	char tmp[48], *e = tmp + sizeof(tmp), *s = e;
	int d = decimals;

	*--s = ' ';
	u = q < 0 ? 0ULL - (unsigned long long)q : (unsigned long long)q;
	whole = u / (unsigned long long)scale[decimals];
	frac = u % (unsigned long long)scale[decimals];
	while (d > 0 && frac % 10 == 0) {
		frac /= 10;
		d--;
	}
	if (d > 0) {
		while (d-- > 0) {
			*--s = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--s = '.';
	}
	do {
		*--s = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole > 0);
	if (q < 0)
		*--s = '-';
	buf_put(b, s, (size_t)(e - s));
}

/* Coordinates: hundredths of a point. */
static void
put_xy(struct buf *b, double x, double y, const char *op)
{
	put_num(b, x, 2);
	put_num(b, y, 2);
	buf_puts(b, op);
}

static void
put_rgb(struct buf *b, double r, double g, double bl, const char *op)
{
	put_num(b, r, 3);
	put_num(b, g, 3);
	put_num(b, bl, 3);
	buf_puts(b, op);
}

/* The Type0 font of a face, made (empty, filled in at pdf_finish) on first use. */
static HPDF_Dict
face_font(struct pdf *p, int face)
{
	struct pdf_face *pf = &p->faces[face];

	if (pf->type0 != NULL)
		return pf->type0;
	pf->type0 = HPDF_Dict_New(p->doc->mmgr);
	if (pf->type0 == NULL || HPDF_Xref_Add(p->doc->xref, pf->type0) != HPDF_OK) {
		pf->type0 = NULL;
		bad(p, NULL, "making a font");
		return NULL;
	}
	pf->cap_cids = 128;
	pf->cp_of = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->cp_of));
	pf->cp_of[0] = 0;
	pf->n_cids = 1;
	return pf->type0;
}

/* The CID of code point cp in a face, numbered on first use. */
static unsigned
cid_of(struct pdf *p, struct pdf_face *pf, uint32_t cp)
{
	uint16_t *blk;

	if (cp > 0xFFFF)
		cp = p->fs->replacement; /* the layout never asks: faces map the BMP only */
	blk = pf->cid_of[cp >> 8];
	if (blk == NULL)
		blk = pf->cid_of[cp >> 8] = xcalloc(256, sizeof(*blk));
	if (blk[cp & 0xFF] != 0)
		return blk[cp & 0xFF];
	if (pf->n_cids == 0xFFFF)
		return 0; /* cannot happen: a face has fewer glyphs than that */
	if (pf->n_cids == pf->cap_cids) {
		pf->cap_cids *= 2;
		pf->cp_of = xreallocarray(pf->cp_of, pf->cap_cids, sizeof(*pf->cp_of));
	}
	pf->cp_of[pf->n_cids] = cp;
	blk[cp & 0xFF] = (uint16_t)pf->n_cids;
	return (unsigned)pf->n_cids++;
}

/* Appends "<codes> Tj" for utf8 drawn with face. */
static void
put_show(struct pdf *p, struct buf *b, int face, const char *utf8)
{
	static const char hex[] = "0123456789ABCDEF";
	struct pdf_face *pf = &p->faces[face];
	const char *s = utf8, *end = utf8 + strlen(utf8);
	char *o;

	/* A code point takes at least one byte of UTF-8 and four hex digits. */
	buf_grow(b, 4 * (size_t)(end - s) + 8);
	o = b->data + b->len;
	*o++ = '<';
	while (s < end) {
		unsigned cid = cid_of(p, pf, font_utf8_next(&s, end));
		*o++ = hex[cid >> 12];
		*o++ = hex[cid >> 8 & 15];
		*o++ = hex[cid >> 4 & 15];
		*o++ = hex[cid & 15];
	}
	b->len = (size_t)(o - b->data);
	buf_puts(b, "> Tj\n");
}

/* Appends "/Fn size Tf" for face on page. */
static bool
put_font(struct pdf *p, size_t page_no, int face, double size)
{
	HPDF_Dict font = face_font(p, face);
	struct buf *b = &p->content[page_no];
	const char *res;

	if (font == NULL)
		return false;
	res = HPDF_Page_GetLocalFontName(p->pages[page_no], (HPDF_Font)font);
	if (bad(p, res, "adding a font to a page"))
		return false;
	buf_putc(b, '/');
	buf_puts(b, res);
	buf_putc(b, ' ');
	put_num(b, size, 2);
	buf_puts(b, "Tf\n");
	return true;
}

static void
end_text(struct pdf *p, size_t page_no)
{
	if (p->in_text) {
		p->in_text = false;
		buf_puts(&p->content[page_no], "ET\n");
	}
}

static bool
draw_text(struct pdf *p, size_t page_no, const struct box *bx)
{
	struct buf *b = &p->content[page_no];
	long long tx = llround(bx->x * 100), ty = llround((p->page_h - bx->y) * 100);

	if (!p->in_text) {
		buf_puts(b, "BT\n");
		p->in_text = true;
		p->cur_face = -1;
		p->cur_color.r = -1;
		p->td_x = p->td_y = 0;
	}
	if (p->cur_face != bx->face || p->cur_size != bx->size) {
		if (!put_font(p, page_no, bx->face, bx->size))
			return false;
		p->cur_face = bx->face;
		p->cur_size = bx->size;
	}
	if (memcmp(&p->cur_color, &bx->color, sizeof(bx->color)) != 0) {
		put_rgb(b, bx->color.r, bx->color.g, bx->color.b, "rg\n");
		p->cur_color = bx->color;
	}
	/* Td is relative to the line start; differences of rounded values never drift. */
	put_xy(b, (double)(tx - p->td_x) / 100.0, (double)(ty - p->td_y) / 100.0, "Td\n");
	p->td_x = tx;
	p->td_y = ty;
	put_show(p, b, bx->face, bx->text);
	return true;
}

/* Stroke colour, width and dash (on = off = dash points; 0 = solid). */
static void
stroke_style(struct buf *b, const struct layout_color *c, double lw, double dash)
{
	put_rgb(b, c->r, c->g, c->b, "RG\n");
	put_num(b, lw, 2);
	buf_puts(b, "w\n");
	if (dash > 0) {
		buf_putc(b, '[');
		put_num(b, dash, 2);
		put_num(b, dash, 2);
		buf_puts(b, "] 0 d\n");
	} else {
		buf_puts(b, "[] 0 d\n");
	}
}

static bool
draw_box(struct pdf *p, size_t page_no, const struct box *bx)
{
	struct buf *b = &p->content[page_no];
	double H = p->page_h;

	if (bx->kind == BOX_TEXT)
		return draw_text(p, page_no, bx);
	end_text(p, page_no);
	switch (bx->kind) {
	case BOX_RECT:
		if (bx->filled)
			put_rgb(b, bx->fill.r, bx->fill.g, bx->fill.b, "rg\n");
		if (bx->stroked)
			stroke_style(b, &bx->color, bx->line_width, bx->dash);
		put_xy(b, bx->x, H - bx->y - bx->h, "");
		put_xy(b, bx->w, bx->h, "re\n");
		buf_puts(b, bx->filled && bx->stroked ? "B\n" : bx->filled ? "f\n"
			   : bx->stroked			      ? "S\n"
								      : "n\n");
		break;
	case BOX_LINE:
		stroke_style(b, &bx->color, bx->line_width, bx->dash);
		put_xy(b, bx->x, H - bx->y, "m\n");
		put_xy(b, bx->x + bx->w, H - bx->y - bx->h, "l\nS\n");
		break;
	case BOX_FIGURE:
		if (bx->drawing != NULL &&
		    !pdf_draw_drawing(p, page_no, bx->drawing, bx->x, bx->y, bx->w, bx->h))
			return false;
		break;
	case BOX_TEXT:
		break;
	}
	return true;
}

/* A bookmark titled utf8 under parent (NULL: top level); NULL after an error. */
static HPDF_Outline
outline_entry(struct pdf *p, HPDF_Outline parent, const char *utf8)
{
	HPDF_Outline o = HPDF_CreateOutline(p->doc, parent, "-", NULL);

	if (bad(p, o, "making a bookmark"))
		return NULL;
	if (HPDF_Dict_Add(o, "Title", text_string(p, utf8)) != HPDF_OK) {
		failed(p, "making a bookmark");
		return NULL;
	}
	return o;
}

/* Outline entries: nested by heading level, under bookmark if given. */
static bool
add_outline(struct pdf *p, const struct layout *lay, size_t first_page, const char *bookmark)
{
	HPDF_Outline parents[4] = {NULL, NULL, NULL, NULL};
	size_t i;

	if (bookmark != NULL) {
		HPDF_Destination d;
		parents[0] = outline_entry(p, NULL, bookmark);
		if (parents[0] == NULL)
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
		o = outline_entry(p, parent, m->title);
		if (o == NULL)
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
		size_t no = p->n_pages;
		if (bad(p, page, "adding a page"))
			return false;
		HPDF_Page_SetWidth(page, (HPDF_REAL)lay->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)lay->page_h);
		if (p->n_pages == p->cap_pages) {
			p->cap_pages = p->cap_pages ? p->cap_pages * 2 : 8;
			p->pages = xreallocarray(p->pages, p->cap_pages, sizeof(*p->pages));
			p->content = xreallocarray(p->content, p->cap_pages, sizeof(*p->content));
		}
		p->pages[no] = page;
		buf_init(&p->content[no]);
		p->n_pages++;
		p->in_text = false;
		for (k = 0; k < lay->pages[i].n_boxes; k++)
			if (!draw_box(p, no, &lay->pages[i].boxes[k]))
				return false;
		end_text(p, no);
	}
	return add_outline(p, lay, first, bookmark);
}

/* ---- embedding the fonts ---- */

/* "ABCDEF+Name": the tag is a hash of the face and the glyphs it carries. */
static void
subset_name(const struct font *f, const uint16_t *gids, size_t n, char *out, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *s;
	size_t i, o;

	for (s = f->name; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	for (i = 0; i < n; i++) {
		h = (h ^ (gids[i] & 0xFF)) * 0x100000001b3ULL;
		h = (h ^ (gids[i] >> 8)) * 0x100000001b3ULL;
	}
	for (i = 0; i < 6; i++) {
		out[i] = (char)('A' + h % 26);
		h /= 26;
	}
	out[6] = '+';
	/* PDF names: keep letters, digits and '-'. */
	for (o = 7, s = f->name; *s != '\0' && o + 1 < cap; s++)
		out[o++] = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') ? *s : '-';
	out[o] = '\0';
}

static void
put_hex4(struct buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char o[6] = {'<', hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15], '>'};
	buf_put(b, o, sizeof(o));
}

/* The ToUnicode CMap of a face: one bfchar per CID. */
static void
tounicode_cmap(const struct pdf_face *pf, struct buf *b)
{
	size_t i;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 1; i < pf->n_cids; i += 100) {
		size_t k, n = pf->n_cids - i < 100 ? pf->n_cids - i : 100;
		buf_printf(b, "%zu beginbfchar\n", n);
		for (k = i; k < i + n; k++) {
			put_hex4(b, (unsigned)k);
			buf_putc(b, ' ');
			put_hex4(b, pf->cp_of[k]);
			buf_putc(b, '\n');
		}
		buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* Fills the Type0 font of a used face and adds its descendants. */
static bool
embed_face(struct pdf *p, int face)
{
	const struct font *f = &p->fs->faces[face];
	struct pdf_face *pf = &p->faces[face];
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict cid = NULL, fd = NULL, sysinfo = NULL, prog = NULL, tu = NULL;
	HPDF_Array desc = NULL, w = NULL, ws = NULL, bbox = NULL;
	uint16_t *gids = xreallocarray(NULL, pf->n_cids, sizeof(*gids));
	double k = 1000.0 / f->units_per_em;
	int flags = 4; /* symbolic: glyphs beyond the standard Latin set */
	char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
	struct buf b;
	size_t i;
	bool ok = false;

	buf_init(&b);
	gids[0] = 0;
	for (i = 1; i < pf->n_cids; i++)
		gids[i] = pf->cp_of[i] <= 0xFFFF ? f->cmap[pf->cp_of[i]] : 0;
	subset_name(f, gids, pf->n_cids, name, sizeof(name));
	font_subset(f, gids, pf->n_cids, &b);
	prog = deflated_stream(p, b.data, b.len, DEFLATE_FONT);
	if (prog == NULL)
		goto out;
	HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)b.len);
	buf_reset(&b);
	tounicode_cmap(pf, &b);
	tu = deflated_stream(p, b.data, b.len, DEFLATE_CONTENT);
	if (tu == NULL)
		goto out;

	fd = HPDF_Dict_New(mm);
	if (bad(p, fd, "making a font descriptor") || HPDF_Xref_Add(p->doc->xref, fd) != HPDF_OK)
		goto out;
	if (f->fixed_pitch)
		flags |= 1;
	if (f->italic_angle != 0)
		flags |= 64;
	bbox = HPDF_Array_New(mm);
	if (bad(p, bbox, "making a font descriptor"))
		goto out;
	for (i = 0; i < 4; i++)
		HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(f->bbox[i] * k));
	HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
	HPDF_Dict_AddName(fd, "FontName", name);
	HPDF_Dict_AddNumber(fd, "Flags", flags);
	HPDF_Dict_Add(fd, "FontBBox", bbox);
	HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)f->italic_angle);
	HPDF_Dict_AddNumber(fd, "Ascent", (HPDF_INT32)lround(f->ascent * 1000));
	HPDF_Dict_AddNumber(fd, "Descent", (HPDF_INT32)-lround(f->descent * 1000));
	HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(f->cap_height * 1000));
	HPDF_Dict_AddNumber(fd, "StemV", 80);
	HPDF_Dict_Add(fd, "FontFile2", prog);

	cid = HPDF_Dict_New(mm);
	if (bad(p, cid, "making a CID font") || HPDF_Xref_Add(p->doc->xref, cid) != HPDF_OK)
		goto out;
	sysinfo = HPDF_Dict_New(mm);
	w = HPDF_Array_New(mm);
	ws = HPDF_Array_New(mm);
	desc = HPDF_Array_New(mm);
	if (bad(p, sysinfo, "making a CID font") || bad(p, w, "making widths") ||
	    bad(p, ws, "making widths") || bad(p, desc, "making a font"))
		goto out;
	HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
	/* The widths the layout measured with. */
	for (i = 1; i < pf->n_cids; i++)
		HPDF_Array_AddNumber(ws, gids[i] < f->n_glyphs ? f->advance[gids[i]] : 0);
	HPDF_Array_AddNumber(w, 1);
	HPDF_Array_Add(w, ws);
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", name);
	HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
	HPDF_Dict_Add(cid, "FontDescriptor", fd);
	HPDF_Dict_Add(cid, "W", w);
	HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

	HPDF_Array_Add(desc, cid);
	HPDF_Dict_AddName(pf->type0, "Type", "Font");
	HPDF_Dict_AddName(pf->type0, "Subtype", "Type0");
	HPDF_Dict_AddName(pf->type0, "BaseFont", name);
	HPDF_Dict_AddName(pf->type0, "Encoding", "Identity-H");
	HPDF_Dict_Add(pf->type0, "DescendantFonts", desc);
	HPDF_Dict_Add(pf->type0, "ToUnicode", tu);
	ok = !failed(p, "embedding a font");
out:
	buf_free(&b);
	free(gids);
	return ok;
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
	for (i = 0; i < p->n_pages; i++) {
		HPDF_PageAttr attr = (HPDF_PageAttr)p->pages[i]->attr;
		if (!fill_stream(p, attr->contents, p->content[i].data, p->content[i].len,
		    DEFLATE_CONTENT))
			return false;
	}
	for (i = 0; i < p->fs->n_faces; i++)
		if (p->faces[i].type0 != NULL && !embed_face(p, (int)i))
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

/* The resource name of an ExtGState with these alphas on page; NULL on error. */
static const char *
alpha_state(struct pdf *p, HPDF_Page page, double fill, double stroke)
{
	HPDF_ExtGState gs = NULL;
	size_t i;

	for (i = 0; i < p->n_gstates && gs == NULL; i++)
		if (p->gs_alpha[i][0] == fill && p->gs_alpha[i][1] == stroke)
			gs = p->gstates[i];
	if (gs == NULL) {
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
	}
	return HPDF_Page_GetExtGStateName(page, gs);
}

/* Draws utf8 in runs of one face each, along a baseline rotated by angle. */
static bool
draw_label(struct pdf *p, size_t page_no, enum font_style st, double size,
    const struct layout_color *c, double x, double y, double angle_deg, const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	double rad = angle_deg * M_PI / 180.0, cs = cos(rad), sn = sin(rad), pen = 0;
	struct buf *b = &p->content[page_no];
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
		buf_puts(b, "BT\n");
		ok = put_font(p, page_no, face, size);
		put_rgb(b, c->r, c->g, c->b, "rg\n");
		put_num(b, cs, 5);
		put_num(b, sn, 5);
		put_num(b, -sn, 5);
		put_num(b, cs, 5);
		put_xy(b, x + pen * cs, p->page_h - y + pen * sn, "Tm\n");
		put_show(p, b, face, run.data);
		buf_puts(b, "ET\n");
		pen += w;
	}
	buf_free(&run);
	return ok;
}

bool
pdf_draw_drawing(struct pdf *p, size_t page_no, const struct drawing *d, double x, double y,
    double w, double h)
{
	struct buf *b;
	double sx, sy, H = p->page_h;
	size_t i, k;
	bool pdfa = p->opt.profile == PDF_A1B;

	if (page_no >= p->n_pages || d->width <= 0 || d->height <= 0)
		return true;
	b = &p->content[page_no];
	end_text(p, page_no);
	sx = w / d->width;
	sy = h / d->height;
	buf_puts(b, "q\n");
	put_xy(b, x, H - y - h, "");
	put_xy(b, w, h, "re\nW\nn\n");
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];
		if (it->kind == DRAW_PATH) {
			double fa = it->fill ? it->fill_color.a : 1, sa = it->stroke ? it->stroke_color.a : 1;
			if (!it->fill && !it->stroke)
				continue;
			buf_puts(b, "q\n");
			/* PDF/A-1 forbids transparency: alpha is then ignored. */
			if (!pdfa && (fa < 1 || sa < 1)) {
				const char *gs = alpha_state(p, p->pages[page_no], fa, sa);
				if (bad(p, gs, "making a transparency state"))
					return false;
				buf_printf(b, "/%s gs\n", gs);
			}
			if (it->fill)
				put_rgb(b, it->fill_color.r, it->fill_color.g, it->fill_color.b, "rg\n");
			if (it->stroke) {
				struct layout_color sc = {it->stroke_color.r, it->stroke_color.g,
				    it->stroke_color.b};
				int nd = it->n_dash < 0 ? 0 : it->n_dash > 4 ? 4 : it->n_dash;
				stroke_style(b, &sc, it->line_width * sqrt(sx * sy), 0);
				if (nd > 0) {
					buf_putc(b, '[');
					for (k = 0; k < (size_t)nd; k++)
						put_num(b, it->dash[k] * sqrt(sx * sy), 2);
					buf_puts(b, "] 0 d\n");
				}
			}
			for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
				const struct draw_path_op *op = &d->ops[k];
#define PXY(j, s) put_xy(b, x + op->pt[j].x * sx, H - y - op->pt[j].y * sy, s)
				switch (op->op) {
				case DRAW_MOVE_TO:
					PXY(0, "m\n");
					break;
				case DRAW_LINE_TO:
					PXY(0, "l\n");
					break;
				case DRAW_CURVE_TO:
					PXY(0, "");
					PXY(1, "");
					PXY(2, "c\n");
					break;
				case DRAW_CLOSE:
					buf_puts(b, "h\n");
					break;
				}
#undef PXY
			}
			buf_puts(b, it->fill && it->stroke ? "B\nQ\n" : it->fill ? "f\nQ\n" : "S\nQ\n");
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
			if (!draw_label(p, page_no, st, size, &c, ax + ox, ay + oy, it->angle_deg,
			    it->text))
				return false;
		}
	}
	buf_puts(b, "Q\n");
	return !failed(p, "drawing a chart");
}
