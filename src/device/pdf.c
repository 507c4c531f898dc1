/*
 * pdf: the PDF device; with pdf_struct.c and pdf_file.c the only files
 * that include hpdf.h (and the only one with libdeflate.h).
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
 * buffer, the fonts, and deflate every stream once with libdeflate
 * (level 1).  Measured reasons
 * (docs/perf.md): libharu 2.3.0's TrueType
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
 *
 * Tagging and the file.  pdf_struct.c (the other file that includes
 * hpdf.h, with pdf_file.c) makes the structure tree and the marked
 * content around each box (every file is tagged); pdf_file.c writes the
 * objects as PDF 1.7 with object streams, except in PDF/A-1b.
 *
 * PDF/A-2u (profile PDF_A2U): what follows for PDF/A-1b but the first two
 * points: PDF 1.7 with object streams, transparency kept.
 *
 * PDF/A-1b (profile PDF_A1B).  The same objects, and: a %PDF-1.4 header;
 * no ExtGState: a translucent chart colour is painted as the opaque colour
 * it makes on white (a fully transparent one is not painted), and the
 * chart items a translucent fill covers are painted again inside it,
 * tinted as they showed through (repaint_under); an
 * OutputIntent (GTS_PDFA1) with the sRGB ICC profile; an uncompressed XMP
 * packet (pdfaid part 1, conformance B) saying what the Info dictionary
 * says, from the same strings, cleaned of what XML cannot carry; the
 * trailer /ID and xmpMM:DocumentID from a SHA-256 of everything drawn and
 * said (pages, bookmarks, characters per face, metadata), never the
 * clock; a /CIDSet per font subset.  libharu's own PDF/A helpers are not
 * used: their ID hashes the clock, their XMP is not escaped and their
 * output intent misspells /DestOutputProfile.
 */
#include "pdf.h"

#include <errno.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libdeflate.h>

#include "pdf_file.h"
#include "pdf_struct.h"
#include "sha256.h"

/*
 * One deflate level for every stream: libdeflate's level 1.  Measured
 * with callgrind on 100 reports of the bench mix (docs/perf.md): level 1
 * for font programs and 3 for the rest cost 51.9 M instructions a report
 * for 67.3 KB; level 1 for all, 47.5 M for 70.3 KB; level 2 for content
 * and structure, 51.5 M for 68.4 KB.  Font programs barely shrink past
 * level 1 anyway; the 3 KB the rest gains at level 3 is not worth 8 % of
 * a report's time with the size goal (75 KB) met.
 */
#ifndef DEFLATE_LEVEL
#define DEFLATE_LEVEL 1
#endif

/* ICC profiles we accept: a few KB usually; this bounds a wrong file. */
#define ICC_MAX_BYTES (4u << 20)

/* PDF 1.4's limit on array elements (Appendix C), for /W. */
#define PDF_MAX_ARRAY 8191

/* The output condition PDF/A readers know sRGB by (ICC characterization registry). */
#define SRGB_CONDITION "sRGB IEC61966-2.1"

/* The Info entries we set, in struct pdf_options. */
static const struct {
	HPDF_InfoType type;
	const char *key;
	size_t off;
} info_fields[] = {
	{HPDF_INFO_TITLE, "Title", offsetof(struct pdf_options, title)},
	{HPDF_INFO_AUTHOR, "Author", offsetof(struct pdf_options, author)},
	{HPDF_INFO_SUBJECT, "Subject", offsetof(struct pdf_options, subject)},
	{HPDF_INFO_KEYWORDS, "Keywords", offsetof(struct pdf_options, keywords)},
	{HPDF_INFO_CREATOR, "Creator", offsetof(struct pdf_options, creator)},
};
#define N_INFO (sizeof(info_fields) / sizeof(info_fields[0]))

/*
 * One face as this document uses it.  Entry k (k >= 1) is a glyph and
 * the text it stands for.  TrueType: the code is k and the subset's glyph
 * k is gid[k], so a glyph drawn for two texts has two codes.  CFF: the
 * code is the glyph id itself (CID-keyed, identity charset), one entry
 * per glyph; a glyph drawn again for another text is wrapped in
 * ActualText instead.
 */
struct pdf_face {
	HPDF_Dict type0;          /* the Type0 font, NULL until first used */
	uint32_t *gid;            /* owned; per entry ([0] = .notdef) */
	char **txt;               /* owned; per entry, UTF-8 */
	int *w;                   /* owned; per entry, /W: its advance where first drawn, 1/1000 em */
	size_t n_cids, cap_cids;
	uint32_t *slot;           /* owned; hash of entries: index + 1, 0 = free */
	size_t n_slots;           /* power of two */
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
	struct buf *content;     /* owned; each page's operators until flushed */
	size_t n_flushed;        /* pages whose content is deflated (flush_pages) */
	size_t n_pages, cap_pages;
	double page_h;           /* points, of the layout being drawn */
	HPDF_ExtGState gstates[8]; /* cached alpha states */
	double gs_alpha[8][2];
	size_t n_gstates;
	struct libdeflate_compressor *zc[13]; /* owned; by level, made on first use */
	struct buf zout;         /* scratch: deflated bytes */
	struct pdf_struct *tags; /* owned; the structure tree (pdf_struct.c) */
	char *first_heading;     /* owned; the title when none is given */
	/* PDF/A only */
	bool pdfa;               /* either PDF/A profile */
	bool opaque;             /* PDF/A-1: no transparency (translucent colours made opaque) */
	struct pdf_icc *own_icc; /* owned; read here when opt.icc was NULL */
	char *meta[N_INFO];      /* owned; opt's metadata cleaned for XML (opt points here) */
	char info_date[80];      /* "D:YYYYMMDDHHmmSS+00'00'", "" = no date */
	char xmp_date[80];       /* the same instant for XMP */
	struct sha256 idh;       /* everything drawn and said: the document ID */
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
	memset(opt, 0, sizeof(*opt));
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

/* A PDF text string for utf8 (pdf_struct.c makes it); NULL after an error. */
static void *
text_string(struct pdf *p, const char *utf8)
{
	return pdf_text_string(p->doc->mmgr, utf8);
}

/* ---- PDF/A: the colour profile, metadata, the document ID ---- */

static uint32_t
icc_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct pdf_icc *
pdf_icc_new(const char *path, struct diag_list *dl)
{
	struct pdf_icc *icc;
	struct buf b;
	char chunk[8192];
	const unsigned char *d;
	const char *why = NULL;
	size_t n;
	FILE *fp;

	if (path == NULL) {
		path = getenv("ARCHAUDIT_ICC_PROFILE");
		if (path == NULL || *path == '\0')
			path = PDF_ICC_DEFAULT;
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		diag_add(dl, DIAG_ERROR, path,
		    "cannot read the sRGB colour profile that PDF/A output needs: %s "
		    "(install the Debian package icc-profiles-free, or name a profile in "
		    "ARCHAUDIT_ICC_PROFILE)", strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len <= ICC_MAX_BYTES)
		buf_put(&b, chunk, n);
	if (ferror(fp))
		why = strerror(errno);
	fclose(fp);
	d = (const unsigned char *)b.data;
	/* ICC.1 header: size, version, class, colour space, signature. */
	if (why != NULL)
		;
	else if (b.len > ICC_MAX_BYTES)
		why = "larger than 4 MB, not a colour profile";
	else if (b.len < 132 || memcmp(d + 36, "acsp", 4) != 0 || icc_u32(d) != b.len)
		why = "not an ICC colour profile (bad header or size)";
	else if (memcmp(d + 16, "RGB ", 4) != 0)
		why = "not an RGB profile";
	else if (memcmp(d + 12, "mntr", 4) != 0 && memcmp(d + 12, "prtr", 4) != 0)
		why = "not a display or printer profile, which a PDF/A output intent needs";
	else if (d[8] != 2)
		why = "ICC version is not 2 (PDF 1.4, and so PDF/A-1, knows version 2 only)";
	if (why != NULL) {
		diag_add(dl, DIAG_ERROR, path, "sRGB colour profile for PDF/A output: %s", why);
		buf_free(&b);
		return NULL;
	}
	icc = xcalloc(1, sizeof(*icc));
	icc->path = xstrdup(path);
	icc->len = b.len;
	icc->data = (unsigned char *)buf_detach(&b);
	return icc;
}

void
pdf_icc_free(struct pdf_icc *icc)
{
	if (icc == NULL)
		return;
	free(icc->path);
	free(icc->data);
	free(icc);
}

/*
 * utf8 as valid UTF-8 that XML 1.0 can carry: bad bytes become U+FFFD,
 * control characters a space, U+FFFE and U+FFFF are dropped.  Info and
 * XMP are written from this one string, so they say the same.
 */
static char *
xml_clean(const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	struct buf b;

	buf_init(&b);
	while (s < end) {
		uint32_t cp = font_utf8_next(&s, end);
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		if (cp == 0xFFFE || cp == 0xFFFF)
			continue;
		font_utf8_put(&b, cp);
	}
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/* Appends s (clean UTF-8) escaped for XML text and attribute values. */
static void
put_xml(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* Hashes a labelled string into the document ID. */
static void
id_add(struct pdf *p, const char *label, const void *data, size_t len)
{
	uint64_t n = len;
	unsigned char nb[8];
	int i;

	for (i = 0; i < 8; i++)
		nb[i] = (unsigned char)(n >> (56 - 8 * i));
	sha256_update(&p->idh, label, strlen(label) + 1);
	sha256_update(&p->idh, nb, sizeof(nb));
	sha256_update(&p->idh, data, len);
}

/* PDF/A set-up before libharu starts: the profile, clean metadata, dates. */
static bool
pdfa_start(struct pdf *p)
{
	size_t i;

	if (p->opt.icc == NULL) {
		p->own_icc = pdf_icc_new(NULL, p->dl);
		if (p->own_icc == NULL)
			return false;
		p->opt.icc = p->own_icc;
	}
	sha256_init(&p->idh);
	for (i = 0; i < N_INFO; i++) {
		const char **v = (const char **)((char *)&p->opt + info_fields[i].off);
		if (*v == NULL)
			continue;
		p->meta[i] = xml_clean(*v);
		*v = p->meta[i];
		id_add(p, info_fields[i].key, *v, strlen(*v));
	}
	if (p->opt.have_date) {
		time_t t = (time_t)p->opt.date_epoch;
		struct tm tm;
		if (gmtime_r(&t, &tm) != NULL) {
			snprintf(p->info_date, sizeof(p->info_date), "D:%04d%02d%02d%02d%02d%02d+00'00'",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			snprintf(p->xmp_date, sizeof(p->xmp_date), "%04d-%02d-%02dT%02d:%02d:%02d+00:00",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			id_add(p, "date", p->info_date, strlen(p->info_date));
		}
	}
	return true;
}

/* PDF/A dates: our own strings, so Info and XMP name the same instant the same way. */
static bool
set_pdfa_date(struct pdf *p)
{
	HPDF_Dict info = p->doc->info;

	if (p->info_date[0] == '\0')
		return true;
	if (info == NULL ||
	    HPDF_Dict_Add(info, "CreationDate", HPDF_String_New(p->doc->mmgr, p->info_date, NULL)) !=
		HPDF_OK ||
	    HPDF_Dict_Add(info, "ModDate", HPDF_String_New(p->doc->mmgr, p->info_date, NULL)) !=
		HPDF_OK) {
		bad(p, NULL, "setting the dates");
		return false;
	}
	return !failed(p, "setting the dates");
}

struct pdf *
pdf_new(const struct font_set *fs, const struct pdf_options *opt, struct diag_list *dl)
{
	struct pdf *p;
	size_t i;

	p = xcalloc(1, sizeof(*p));
	p->fs = fs;
	p->dl = dl;
	if (opt != NULL)
		p->opt = *opt;
	p->faces = xcalloc(fs->n_faces, sizeof(*p->faces));
	buf_init(&p->zout);
	p->pdfa = p->opt.profile == PDF_A1B || p->opt.profile == PDF_A2U;
	p->opaque = p->opt.profile == PDF_A1B;
	if (p->pdfa && !pdfa_start(p)) {
		pdf_free(p);
		return NULL;
	}
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL) {
		diag_add(dl, DIAG_ERROR, NULL, "PDF: libharu could not start (out of memory?)");
		pdf_free(p);
		return NULL;
	}
	/* We deflate every stream ourselves (pdf_finish). */
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_NONE);
	p->tags = pdf_struct_new(p->doc);
	if (p->tags == NULL) {
		failed(p, "starting the structure tree");
		pdf_free(p);
		return NULL;
	}
	if (p->opaque)
		p->doc->pdf_version = HPDF_VER_14; /* PDF/A-1 is PDF 1.4; pdf_file.c writes 1.7 */
	for (i = 0; i < N_INFO; i++) {
		const char *v = *(const char *const *)((const char *)&p->opt + info_fields[i].off);
		HPDF_Dict d;
		if (v == NULL || *v == '\0')
			continue;
		/* libharu makes the Info dictionary; the value is then replaced by ours. */
		HPDF_SetInfoAttr(p->doc, info_fields[i].type, "-");
		d = p->doc->info;
		if (d == NULL || HPDF_Dict_Add(d, info_fields[i].key, text_string(p, v)) != HPDF_OK) {
			bad(p, NULL, "setting the document information");
			break;
		}
	}
	if (failed(p, "setting up the document") ||
	    (p->opt.have_date && !(p->pdfa ? set_pdfa_date(p) : set_date(p)))) {
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
	pdf_struct_free(p->tags);
	free(p->first_heading);
	for (i = 0; i < p->fs->n_faces; i++) {
		for (k = 0; k < 256; k++)
			(void)k;
		for (k = 1; k < p->faces[i].n_cids; k++)
			free(p->faces[i].txt[k]);
		free(p->faces[i].gid);
		free(p->faces[i].txt);
		free(p->faces[i].w);
		free(p->faces[i].slot);
	}
	for (i = 0; i < p->n_pages; i++)
		buf_free(&p->content[i]);
	for (i = 0; i < 13; i++)
		libdeflate_free_compressor(p->zc[i]);
	buf_free(&p->zout);
	free(p->faces);
	free(p->pages);
	free(p->content);
	for (i = 0; i < N_INFO; i++)
		free(p->meta[i]);
	pdf_icc_free(p->own_icc);
	free(p);
}

/* ---- deflating ---- */

/*
 * Deflates data at level into p->zout (replacing its contents), zlib
 * format (what /FlateDecode reads); false after an error.  libdeflate,
 * one compressor per level kept for the document: it does in about half
 * zlib's time what zlib did, which pays for what tagging costs (docs/perf.md).
 */
static bool
deflate_data(struct pdf *p, const void *data, size_t len, int level)
{
	struct libdeflate_compressor **c = &p->zc[level < 1 ? 1 : level > 12 ? 12 : level];
	size_t bound, n;

	if (*c == NULL && (*c = libdeflate_alloc_compressor(level)) == NULL) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: libdeflate could not start (out of memory?)");
		return false;
	}
	bound = libdeflate_zlib_compress_bound(*c, len);
	buf_reset(&p->zout);
	buf_grow(&p->zout, bound + 1);
	n = libdeflate_zlib_compress(*c, data, len, p->zout.data, bound);
	if (n == 0) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: libdeflate could not deflate a stream");
		return false;
	}
	p->zout.len = n;
	p->zout.data[n] = '\0';
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
	pf->gid = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->gid));
	pf->txt = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->txt));
	pf->w = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->w));
	pf->gid[0] = 0;
	pf->txt[0] = NULL;
	pf->w[0] = 0;
	pf->n_cids = 1;
	pf->n_slots = 256;
	pf->slot = xcalloc(pf->n_slots, sizeof(*pf->slot));
	return pf->type0;
}

static size_t
entry_hash(uint32_t gid, const char *t, size_t len, int w, bool by_gid)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ gid ^ (by_gid ? 0 : (uint64_t)(unsigned)w << 32);
	size_t i;

	h *= 0x100000001b3ULL;
	if (!by_gid)
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char)t[i]) * 0x100000001b3ULL;
	return (size_t)(h ^ h >> 29);
}

/*
 * The code that draws glyph gid standing for text t[0..len) in a face,
 * made on first use.  *exact is false if the code's ToUnicode says other
 * text (a CFF glyph already used for other text): the caller then adds
 * ActualText.
 */
static unsigned
code_of(struct pdf *p, int face, uint32_t gid, const char *t, size_t len, double adv, bool *exact,
    double *w)
{
	struct pdf_face *pf = &p->faces[face];
	bool cff = p->fs->faces[face].cff;
	size_t h, i;
	int iw;

	*exact = true;
	if (len == 0) {
		/* Every code maps to some text: a glyph standing for nothing maps to a space. */
		t = " ";
		len = 1;
		*exact = false;
	}
	iw = (int)lround(adv);
	h = entry_hash(gid, t, len, iw, cff);
	for (i = h & (pf->n_slots - 1);; i = (i + 1) & (pf->n_slots - 1)) {
		uint32_t e = pf->slot[i];
		if (e == 0)
			break;
		if (pf->gid[e - 1] == gid && (cff || (pf->w[e - 1] == iw &&
							 strlen(pf->txt[e - 1]) == len &&
							 memcmp(pf->txt[e - 1], t, len) == 0))) {
			if (cff && (strlen(pf->txt[e - 1]) != len || memcmp(pf->txt[e - 1], t, len) != 0))
				*exact = false;
			*w = pf->w[e - 1];
			return cff ? gid : e - 1;
		}
	}
	if (pf->n_cids >= 0xFFFF)
		return 0; /* cannot happen: a page holds far fewer glyphs */
	if (pf->n_cids == pf->cap_cids) {
		pf->cap_cids *= 2;
		pf->gid = xreallocarray(pf->gid, pf->cap_cids, sizeof(*pf->gid));
		pf->txt = xreallocarray(pf->txt, pf->cap_cids, sizeof(*pf->txt));
		pf->w = xreallocarray(pf->w, pf->cap_cids, sizeof(*pf->w));
	}
	pf->w[pf->n_cids] = iw;
	*w = pf->w[pf->n_cids];
	pf->gid[pf->n_cids] = gid;
	pf->txt[pf->n_cids] = xstrndup(t, len);
	pf->slot[i] = (uint32_t)++pf->n_cids;
	if (pf->n_cids * 2 > pf->n_slots) {
		size_t k;
		free(pf->slot);
		pf->n_slots *= 2;
		pf->slot = xcalloc(pf->n_slots, sizeof(*pf->slot));
		for (k = 1; k < pf->n_cids; k++) {
			size_t j = entry_hash(pf->gid[k], pf->txt[k], strlen(pf->txt[k]), pf->w[k], cff);
			for (j &= pf->n_slots - 1; pf->slot[j] != 0; j = (j + 1) & (pf->n_slots - 1))
				;
			pf->slot[j] = (uint32_t)k + 1;
		}
	}
	return cff ? gid : (unsigned)(pf->n_cids - 1);
}

/* Appends cp as UTF-16BE in hex (4 digits, 8 for a surrogate pair); returns the units. */
static int
put_utf16_units(struct buf *b, uint32_t cp)
{
	static const char hex[] = "0123456789ABCDEF";
	char o[8];
	int n = 0, k;
	uint32_t u[2];

	if (cp > 0xFFFF) {
		cp -= 0x10000;
		u[n++] = 0xD800 + (cp >> 10);
		u[n++] = 0xDC00 + (cp & 0x3FF);
	} else {
		u[n++] = cp;
	}
	for (k = 0; k < n; k++) {
		o[4 * k] = hex[u[k] >> 12 & 15];
		o[4 * k + 1] = hex[u[k] >> 8 & 15];
		o[4 * k + 2] = hex[u[k] >> 4 & 15];
		o[4 * k + 3] = hex[u[k] & 15];
	}
	buf_put(b, o, (size_t)(4 * n));
	return n;
}

/* A PDF text string <FEFF...> of UTF-8 t[0..len). */
static void
put_utf16_hex(struct buf *b, const char *t, size_t len)
{
	const char *s = t, *end = t + len;

	buf_puts(b, "<FEFF");
	while (s < end)
		put_utf16_units(b, font_utf8_next(&s, end));
	buf_putc(b, '>');
}

struct tj {
	struct buf *b;
	bool open;           /* inside [ ... ] */
	double cur;          /* 1/1000 em: where the PDF pen is, from the run start */
	double rise;         /* 1/1000 em: the Ts in effect */
	double size;         /* points */
};

static void
tj_close(struct tj *t)
{
	if (t->open) {
		buf_puts(t->b, "] TJ\n");
		t->open = false;
	}
}

/* Shows code (width w, 1/1000 em) with its origin at target, raised by dy. */
static void
tj_glyph(struct tj *t, unsigned code, double w, double target, double dy)
{
	static const char hex[] = "0123456789ABCDEF";
	char o[6] = {'<', hex[code >> 12 & 15], hex[code >> 8 & 15], hex[code >> 4 & 15],
		hex[code & 15], '>'};
	double adj = t->cur - target;

	if (fabs(dy - t->rise) > 0.005) {
		tj_close(t);
		put_num(t->b, dy * t->size / 1000.0, 3);
		buf_puts(t->b, "Ts\n");
		t->rise = dy;
	}
	if (!t->open) {
		buf_putc(t->b, '[');
		t->open = true;
	}
	if (fabs(adj) > 0.005) {
		put_num(t->b, adj, 2);
	}
	buf_put(t->b, o, sizeof(o));
	t->cur = target + w;
}

/*
 * Shows glyphs g[0..n) of face in visual order, text their logical UTF-8
 * (clusters are byte offsets into it).  A cluster of one glyph maps
 * through ToUnicode; a left-to-right cluster of several glyphs (a
 * conjunct, a reordered vowel sign) is one ActualText span; in a
 * right-to-left cluster of several glyphs the first glyph in logical
 * order carries the text and the others an empty ActualText, since
 * poppler reverses ActualText in right-to-left runs.
 */
static void
put_glyphs(struct pdf *p, struct buf *b, int face, double size, const char *text,
    const struct text_glyph *g, size_t n, bool rtl)
{
	size_t len = strlen(text), i, u, n_u = 0;
	struct tj t = {b, false, 0, 0, size};
	double *x = xreallocarray(NULL, n + 1, sizeof(*x)), pen = 0;
	size_t *u_start = xreallocarray(NULL, n + 1, sizeof(*u_start));
	const char *utext;
	size_t ulen;
	struct buf rev;

	buf_init(&rev);

	/*
	 * Units: a glyph with its marks (glyphs of no advance) and the other
	 * glyphs of its cluster.  Marks follow their base left to right and
	 * come before it right to left (visual order).
	 */
	for (i = 0; i < n; i++) {
		bool join;
		x[i] = pen;
		pen += g[i].adv;
		if (!rtl)
			join = i > 0 && (g[i].cluster == g[i - 1].cluster || g[i].adv == 0);
		else
			join = i > 0 && (g[i].cluster == g[i - 1].cluster || g[i - 1].adv == 0);
		if (!join)
			u_start[n_u++] = i;
	}
	u_start[n_u] = n;
	for (u = 0; u < n_u; u++) {
		size_t a = u_start[u], e = u_start[u + 1], k;
		uint32_t lo = g[a].cluster, hi;
		size_t cend;
		bool span = e - a > 1, opened = false;
		int pass;

		for (k = a; k < e; k++)
			if (g[k].cluster < lo)
				lo = g[k].cluster;
		/* The unit's text ends where the next cluster in logical order starts. */
		cend = rtl ? (a > 0 ? g[a - 1].cluster : len) : (e < n ? g[e].cluster : len);
		hi = (uint32_t)cend;
		if (hi < lo || hi > len)
			hi = (uint32_t)len;
		/*
		 * poppler reverses the text of a glyph or span in a right-to-left
		 * line a second time: give it the characters reversed.
		 */
		utext = text + lo;
		ulen = hi - lo;
		if (rtl && ulen > 1) {
			const char *s = text + lo, *end = text + hi;
			size_t at = ulen;
			buf_reset(&rev);
			buf_grow(&rev, ulen);
			rev.len = ulen;
			while (s < end) {
				const char *c0 = s;
				(void)font_utf8_next(&s, end);
				at -= (size_t)(s - c0);
				memcpy(rev.data + at, c0, (size_t)(s - c0));
			}
			utext = rev.data;
		}
		/* Glyphs that advance first, then the marks: a span starts at its left edge. */
		for (pass = 0; pass < 2; pass++)
			for (k = a; k < e; k++) {
				bool exact, mark = g[k].adv == 0 && e - a > 1;
				double w = 0, to = x[k] + g[k].dx;
				unsigned code;
				if (mark != (pass == 1))
					continue;
				/*
				 * A glyph set off its pen position gets a width that brings
				 * the pen back where shaping left it (a mark: the unit's
				 * end), so no reader sees a gap (a word break) after it.
				 * Each glyph of a unit maps to the unit's text; a span
				 * says it once.
				 */
				code = code_of(p, face, g[k].gid, utext, ulen,
				    mark ? x[e - 1] + g[e - 1].adv - to : g[k].adv - g[k].dx, &exact, &w);
				if (!span && (!exact || g[k].dy != 0)) {
					span = true;
					tj_close(&t);
					buf_puts(b, "/Span <</ActualText ");
					put_utf16_hex(b, utext, ulen);
					buf_puts(b, ">> BDC\n");
				} else if (span && !opened) {
					tj_close(&t);
					buf_puts(b, "/Span <</ActualText ");
					put_utf16_hex(b, utext, ulen);
					buf_puts(b, ">> BDC\n");
				}
				opened = span;
				tj_glyph(&t, code, w, to, g[k].dy);
			}
		if (span) {
			tj_close(&t);
			buf_puts(b, "EMC\n");
		}
	}
	tj_close(&t);
	if (t.rise != 0)
		buf_puts(b, "0 Ts\n");
	free(x);
	free(u_start);
	buf_free(&rev);
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
	put_glyphs(p, b, bx->face, bx->size, bx->text ? bx->text : "", bx->glyphs, bx->n_glyphs,
	    bx->rtl);
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

	if (pdf_struct_changes(p->tags, bx->elem)) {
		end_text(p, page_no);
		pdf_struct_begin(p->tags, b, bx->elem);
	}
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
	if (p->pdfa)
		id_add(p, parent == NULL ? "bookmark" : "sub-bookmark", utf8, strlen(utf8));
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

/*
 * Deflate the operators of every page not yet flushed into its content
 * stream and free them.  Pages of the last layout added stay open until
 * the next pdf_add_layout or pdf_finish (pdf_draw_drawing may still draw
 * on them); earlier ones are final (character codes are fixed at first
 * use, fonts are embedded at pdf_finish), so a bundle of many reports
 * holds one report's raw content at a time.
 */
static bool
flush_pages(struct pdf *p)
{
	for (; p->n_flushed < p->n_pages; p->n_flushed++) {
		size_t no = p->n_flushed;
		HPDF_PageAttr attr = (HPDF_PageAttr)p->pages[no]->attr;
		if (p->pdfa)
			id_add(p, "content", p->content[no].data, p->content[no].len);
		bool ok = fill_stream(p, attr->contents, p->content[no].data,
		    p->content[no].len, DEFLATE_LEVEL);
		buf_free(&p->content[no]);
		if (!ok)
			return false;
	}
	return true;
}

bool
pdf_add_layout(struct pdf *p, const struct layout *lay, const char *bookmark)
{
	size_t first = p->n_pages, i, k;

	if (!flush_pages(p))
		return false;
	if (!pdf_struct_layout(p->tags, lay, bookmark) || failed(p, "making the structure tree"))
		return false;
	if (p->first_heading == NULL && lay->n_marks > 0)
		p->first_heading = xstrdup(lay->marks[0].title);
	p->page_h = lay->page_h;
	for (i = 0; i < lay->n_pages; i++) {
		HPDF_Page page = HPDF_AddPage(p->doc);
		size_t no = p->n_pages;
		if (bad(p, page, "adding a page"))
			return false;
		HPDF_Page_SetWidth(page, (HPDF_REAL)lay->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)lay->page_h);
		if (p->pdfa) {
			double wh[2] = {lay->page_w, lay->page_h};
			id_add(p, "page", wh, sizeof(wh));
		}
		if (p->n_pages == p->cap_pages) {
			p->cap_pages = p->cap_pages ? p->cap_pages * 2 : 8;
			p->pages = xreallocarray(p->pages, p->cap_pages, sizeof(*p->pages));
			p->content = xreallocarray(p->content, p->cap_pages, sizeof(*p->content));
		}
		p->pages[no] = page;
		buf_init(&p->content[no]);
		p->n_pages++;
		p->in_text = false;
		if (!pdf_struct_page(p->tags, page))
			return !failed(p, "tagging a page");
		for (k = 0; k < lay->pages[i].n_boxes; k++)
			if (!draw_box(p, no, &lay->pages[i].boxes[k]))
				return false;
		end_text(p, no);
		pdf_struct_end(p->tags, &p->content[no]);
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

/* The code of entry k of a face. */
static unsigned
entry_code(const struct pdf *p, int face, size_t k)
{
	return p->fs->faces[face].cff ? p->faces[face].gid[k] : (unsigned)k;
}

/* The ToUnicode CMap of a face: one bfchar per code, the text it stands for. */
static void
tounicode_cmap(const struct pdf *p, int face, struct buf *b)
{
	const struct pdf_face *pf = &p->faces[face];
	size_t i;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 1; i < pf->n_cids; i += 100) {
		size_t k, n = pf->n_cids - i < 100 ? pf->n_cids - i : 100;
		pdf_put_u(b, (uint32_t)n);
		buf_puts(b, " beginbfchar\n");
		for (k = i; k < i + n; k++) {
			const char *s = pf->txt[k], *end = s + strlen(s);
			int units = 0;
			put_hex4(b, entry_code(p, face, k));
			buf_puts(b, " <");
			while (s < end && units < 120)
				units += put_utf16_units(b, font_utf8_next(&s, end));
			buf_puts(b, ">\n");
		}
		buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/*
 * The bare CFF table of a subset of CFF face f holding glyphs gid[1..n)
 * (hb-subset keeps each glyph's CID, so codes stay glyph ids).  Returns
 * false if HarfBuzz cannot cut it.
 */
static bool
cff_subset(const struct font *f, const uint32_t *gid, size_t n, struct buf *out)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *cff;
	const char *data;
	unsigned len = 0;
	size_t i;

	if (in == NULL)
		return false;
	for (i = 0; i < n; i++)
		hb_set_add(hb_subset_input_glyph_set(in), gid[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_HINTING);
	sub = hb_subset_or_fail(f->hb_subset, in);
	hb_subset_input_destroy(in);
	if (sub == NULL)
		return false;
	cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
	data = hb_blob_get_data(cff, &len);
	if (data != NULL && len > 0)
		buf_put(out, data, len);
	hb_blob_destroy(cff);
	hb_face_destroy(sub);
	return len > 0;
}

/* Fills the Type0 font of a used face and adds its descendants. */
static bool
embed_face(struct pdf *p, int face)
{
	const struct font *f = &p->fs->faces[face];
	struct pdf_face *pf = &p->faces[face];
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict cid = NULL, fd = NULL, sysinfo = NULL, prog = NULL, tu = NULL, cidset = NULL;
	HPDF_Array desc = NULL, w = NULL, bbox = NULL;
	size_t n_glyphs = 0;
	uint16_t *gids = xreallocarray(NULL, pf->n_cids, sizeof(*gids));
	double k = 1000.0 / f->units_per_em;
	int flags = 4; /* symbolic: glyphs beyond the standard Latin set */
	char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
	struct buf b;
	size_t i;
	bool ok = false;

	buf_init(&b);
	for (i = 0; i < pf->n_cids; i++)
		gids[i] = (uint16_t)pf->gid[i];
	subset_name(f, gids, pf->n_cids, name, sizeof(name));
	if (f->cff) {
		if (!cff_subset(f, pf->gid, pf->n_cids, &b)) {
			bad(p, NULL, "cutting a CFF font subset");
			goto out;
		}
		for (i = 0; i < pf->n_cids; i++)
			if (pf->gid[i] + 1 > n_glyphs)
				n_glyphs = pf->gid[i] + 1;
	} else {
		n_glyphs = font_subset(f, gids, pf->n_cids, &b);
	}
	prog = deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
	if (prog == NULL)
		goto out;
	if (f->cff)
		HPDF_Dict_AddName(prog, "Subtype", "CIDFontType0C");
	else
		HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)b.len);
	if (p->pdfa) {
		/*
		 * PDF/A-1 wants a subset's CIDSet: every CID the program has, the
		 * components of composites included (CID = glyph id), high bit first.
		 */
		buf_reset(&b);
		buf_grow(&b, (n_glyphs + 7) / 8);
		memset(b.data, 0, (n_glyphs + 7) / 8);
		for (i = 0; i < n_glyphs; i++) {
			size_t c = i;
			if (f->cff) {
				if (i >= pf->n_cids)
					break;
				c = pf->gid[i];
			}
			b.data[c / 8] = (char)((unsigned char)b.data[c / 8] | 0x80u >> (c % 8));
		}
		b.len = (n_glyphs + 7) / 8;
		id_add(p, f->name, pf->gid, pf->n_cids * sizeof(*pf->gid));
		cidset = deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
		if (cidset == NULL)
			goto out;
	}
	buf_reset(&b);
	tounicode_cmap(p, face, &b);
	tu = deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
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
	HPDF_Dict_Add(fd, f->cff ? "FontFile3" : "FontFile2", prog);
	if (cidset != NULL)
		HPDF_Dict_Add(fd, "CIDSet", cidset);

	cid = HPDF_Dict_New(mm);
	if (bad(p, cid, "making a CID font") || HPDF_Xref_Add(p->doc->xref, cid) != HPDF_OK)
		goto out;
	sysinfo = HPDF_Dict_New(mm);
	w = HPDF_Array_New(mm);
	desc = HPDF_Array_New(mm);
	if (bad(p, sysinfo, "making a CID font") || bad(p, w, "making widths") ||
	    bad(p, desc, "making a font"))
		goto out;
	HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
	/* The widths the layout measured with, in runs a PDF 1.4 array can hold. */
	for (i = 1; f->cff && i < pf->n_cids; i++) {
		HPDF_Array ws = HPDF_Array_New(mm);
		if (bad(p, ws, "making widths"))
			goto out;
		HPDF_Array_AddNumber(ws, pf->w[i]);
		HPDF_Array_AddNumber(w, (HPDF_INT32)pf->gid[i]);
		HPDF_Array_Add(w, ws);
	}
	for (i = 1; !f->cff && i < pf->n_cids; i += PDF_MAX_ARRAY) {
		HPDF_Array ws = HPDF_Array_New(mm);
		size_t k;
		if (bad(p, ws, "making widths"))
			goto out;
		for (k = i; k < pf->n_cids && k < i + PDF_MAX_ARRAY; k++)
			HPDF_Array_AddNumber(ws, pf->w[k]);
		HPDF_Array_AddNumber(w, (HPDF_INT32)i);
		HPDF_Array_Add(w, ws);
	}
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", f->cff ? "CIDFontType0" : "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", name);
	HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
	HPDF_Dict_Add(cid, "FontDescriptor", fd);
	HPDF_Dict_Add(cid, "W", w);
	if (!f->cff)
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

/*
 * The XMP packet: what Info says, the PDF/UA identification (part 1)
 * and, in PDF/A (uuid not NULL), the PDF/A identification and the
 * document ID.  PDF/A wants every schema outside its own list declared,
 * so the pdfuaid schema comes with its extension schema description.
 */
static void
xmp_packet(struct pdf *p, const unsigned char uuid[16], struct buf *x)
{
	const char *producer = HPDF_GetInfoAttr(p->doc, HPDF_INFO_PRODUCER);
	const char *title = p->opt.title, *author = p->opt.author, *subject = p->opt.subject;
	const char *keywords = p->opt.keywords, *creator = p->opt.creator;
	size_t i;

	buf_puts(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	if (uuid != NULL)
		buf_printf(x, "<rdf:Description rdf:about=\"\" "
			      "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
			      "<pdfaid:part>%s</pdfaid:part>\n"
			      "<pdfaid:conformance>%s</pdfaid:conformance>\n"
			      "</rdf:Description>\n"
			      "<rdf:Description rdf:about=\"\" "
			      "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
			      "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
			      "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
			      "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
			      "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
			      "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
			      "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
			      "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
			      "<pdfaProperty:name>part</pdfaProperty:name>\n"
			      "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
			      "<pdfaProperty:category>internal</pdfaProperty:category>\n"
			      "<pdfaProperty:description>Indicates which part of ISO 14289 the file "
			      "follows</pdfaProperty:description>\n"
			      "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
			      "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
			      "</rdf:Description>\n",
		    p->opt.profile == PDF_A1B ? "1" : "2", p->opt.profile == PDF_A1B ? "B" : "U");
	buf_puts(x, "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
		    "<pdfuaid:part>1</pdfuaid:part>\n"
		    "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		    "<dc:format>application/pdf</dc:format>\n");
	if (title != NULL && *title != '\0') {
		buf_puts(x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		put_xml(x, title);
		buf_puts(x, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (author != NULL && *author != '\0') {
		buf_puts(x, "<dc:creator><rdf:Seq><rdf:li>");
		put_xml(x, author);
		buf_puts(x, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (subject != NULL && *subject != '\0') {
		buf_puts(x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		put_xml(x, subject);
		buf_puts(x, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	buf_puts(x, "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	if (creator != NULL && *creator != '\0') {
		buf_puts(x, "<xmp:CreatorTool>");
		put_xml(x, creator);
		buf_puts(x, "</xmp:CreatorTool>\n");
	}
	if (p->xmp_date[0] != '\0')
		buf_printf(x, "<xmp:CreateDate>%s</xmp:CreateDate>\n"
			      "<xmp:ModifyDate>%s</xmp:ModifyDate>\n", p->xmp_date, p->xmp_date);
	buf_puts(x, "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	if (producer != NULL && *producer != '\0') {
		buf_puts(x, "<pdf:Producer>");
		put_xml(x, producer);
		buf_puts(x, "</pdf:Producer>\n");
	}
	if (keywords != NULL && *keywords != '\0') {
		buf_puts(x, "<pdf:Keywords>");
		put_xml(x, keywords);
		buf_puts(x, "</pdf:Keywords>\n");
	}
	buf_puts(x, "</rdf:Description>\n");
	if (uuid != NULL) {
		buf_puts(x, "<rdf:Description rdf:about=\"\" "
			    "xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n"
			    "<xmpMM:DocumentID>uuid:");
		for (i = 0; i < 16; i++)
			buf_printf(x, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
			    uuid[i]);
		buf_puts(x, "</xmpMM:DocumentID>\n"
			    "</rdf:Description>\n");
	}
	buf_puts(x, "</rdf:RDF>\n"
		    "</x:xmpmeta>\n"
		    "<?xpacket end=\"w\"?>");
}

/* The catalog's /Metadata; uuid as in xmp_packet. */
static bool
write_metadata(struct pdf *p, const unsigned char *uuid)
{
	HPDF_Dict xmp;
	struct buf x;
	bool ok;

	buf_init(&x);
	xmp_packet(p, uuid, &x);
	if (uuid != NULL) {
		/* PDF/A-1 wants the metadata readable without a filter. */
		xmp = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
		ok = !bad(p, xmp, "making the XMP metadata");
		if (ok) {
			xmp->filter = HPDF_STREAM_FILTER_NONE;
			HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
		}
	} else {
		xmp = deflated_stream(p, x.data, x.len, DEFLATE_LEVEL);
		ok = xmp != NULL;
	}
	if (ok) {
		HPDF_Dict_AddName(xmp, "Type", "Metadata");
		HPDF_Dict_AddName(xmp, "Subtype", "XML");
		HPDF_Dict_Add(p->doc->catalog, "Metadata", xmp);
		ok = !failed(p, "making the XMP metadata");
	}
	buf_free(&x);
	return ok;
}

/*
 * What PDF/UA-1 wants of the document: the structure tree, /MarkInfo,
 * /Lang, a title shown as the window's (the first heading when none was
 * given), and in plain files the XMP metadata saying it.
 */
static bool
ua_finish(struct pdf *p)
{
	HPDF_Dict vp = HPDF_Dict_New(p->doc->mmgr);

	if (p->opt.title == NULL || *p->opt.title == '\0') {
		const char *t = p->first_heading != NULL ? p->first_heading : "Document";
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, "-");
		if (p->doc->info == NULL ||
		    HPDF_Dict_Add(p->doc->info, "Title", text_string(p, t)) != HPDF_OK) {
			bad(p, NULL, "setting the title");
			return false;
		}
		if (p->pdfa) {
			free(p->meta[0]);
			p->meta[0] = xml_clean(t);
			t = p->meta[0];
		}
		p->opt.title = t;
	}
	if (bad(p, vp, "setting the viewer preferences"))
		return false;
	HPDF_Dict_Add(vp, "DisplayDocTitle", HPDF_Boolean_New(p->doc->mmgr, HPDF_TRUE));
	HPDF_Dict_Add(p->doc->catalog, "ViewerPreferences", vp);
	if (!pdf_struct_finish(p->tags, p->opt.lang != NULL ? p->opt.lang : "en") ||
	    failed(p, "finishing the structure tree"))
		return false;
	return p->pdfa || write_metadata(p, NULL);
}

/* PDF/A: the output intent, the XMP metadata and the document ID. */
static bool
pdfa_finish(struct pdf *p)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict icc, intent;
	HPDF_Array intents, id;
	unsigned char digest[32], uuid[16];

	icc = deflated_stream(p, p->opt.icc->data, p->opt.icc->len, DEFLATE_LEVEL);
	if (icc == NULL)
		return false;
	HPDF_Dict_AddNumber(icc, "N", 3);
	intent = HPDF_Dict_New(mm);
	intents = HPDF_Array_New(mm);
	if (bad(p, intent, "making the output intent") || bad(p, intents, "making the output intent"))
		return false;
	HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
	HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, SRGB_CONDITION, NULL));
	HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
	HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, SRGB_CONDITION, NULL));
	HPDF_Dict_Add(intent, "DestOutputProfile", icc);
	HPDF_Array_Add(intents, intent);
	HPDF_Dict_Add(p->doc->catalog, "OutputIntents", intents);
	if (failed(p, "making the output intent"))
		return false;

	/* Everything was hashed as it was drawn; the ID is the same for the same input. */
	sha256_final(&p->idh, digest);
	memcpy(uuid, digest, 16);
	uuid[6] = (unsigned char)((uuid[6] & 0x0F) | 0x80); /* RFC 9562 version 8: our own hash */
	uuid[8] = (unsigned char)((uuid[8] & 0x3F) | 0x80);
	if (!write_metadata(p, uuid))
		return false;

	id = HPDF_Array_New(mm);
	if (bad(p, id, "making the document ID"))
		return false;
	HPDF_Array_Add(id, HPDF_Binary_New(mm, digest, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(mm, digest, 16));
	HPDF_Dict_Add(p->doc->trailer, "ID", id);
	return !failed(p, "making the document ID");
}

/* Object and cross-reference streams (pdf_file.c): small, so deflated well. */
static bool
file_deflate(void *ctx, const void *data, size_t len, struct buf *out)
{
	struct pdf *p = ctx;

	if (!deflate_data(p, data, len, DEFLATE_LEVEL))
		return false;
	buf_reset(out);
	buf_put(out, p->zout.data, p->zout.len);
	return true;
}

bool
pdf_finish(struct pdf *p, struct buf *out)
{
	size_t i;

	if (p->opt.title != NULL || p->n_pages == 0)
		HPDF_SetPageMode(p->doc, HPDF_PAGE_MODE_USE_OUTLINE);
	if (p->n_pages == 0) {
		diag_add(p->dl, DIAG_ERROR, NULL, "PDF: no pages to write");
		return false;
	}
	if (!flush_pages(p))
		return false;
	for (i = 0; i < p->fs->n_faces; i++)
		if (p->faces[i].type0 != NULL && !embed_face(p, (int)i))
			return false;
	if (!ua_finish(p) || (p->pdfa && !pdfa_finish(p)))
		return false;
	if (!pdf_file_write(p->doc, p->tags, !p->opaque, file_deflate, p, out)) {
		if (!failed(p, "saving"))
			diag_add(p->dl, DIAG_ERROR, NULL, "PDF: saving failed");
		return false;
	}
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

/*
 * c painted opaquely as it shows over white paper: PDF/A-1 has no
 * transparency.  Over another colour the result differs; charts put
 * their translucent fills on a white plot area.
 */
static struct draw_rgba
on_white(struct draw_rgba c)
{
	double a = c.a < 0 ? 0 : c.a > 1 ? 1 : c.a;

	c.r = c.r * a + (1 - a);
	c.g = c.g * a + (1 - a);
	c.b = c.b * a + (1 - a);
	c.a = 1;
	return c;
}

/* Draws a shaped line in runs of one face each, along a baseline rotated by angle. */
static bool
draw_label(struct pdf *p, size_t page_no, const struct text_line *tl,
    const struct layout_color *c, double x, double y, double angle_deg)
{
	double rad = angle_deg * M_PI / 180.0, cs = cos(rad), sn = sin(rad), pen = 0;
	struct buf *b = &p->content[page_no];
	bool ok = true;
	size_t k;

	for (k = 0; k < tl->n_runs && ok; k++) {
		const struct text_run *r = &tl->runs[k];
		buf_puts(b, "BT\n");
		ok = put_font(p, page_no, r->face, r->size);
		put_rgb(b, c->r, c->g, c->b, "rg\n");
		put_num(b, cs, 5);
		put_num(b, sn, 5);
		put_num(b, -sn, 5);
		put_num(b, cs, 5);
		put_xy(b, x + pen * cs, p->page_h - y + pen * sn, "Tm\n");
		put_glyphs(p, b, r->face, r->size, r->text, r->g, r->n_g, r->rtl);
		buf_puts(b, "ET\n");
		pen += r->width;
	}
	return ok;
}

/* Where a drawing goes: page x = x + dx * sx, page y (PDF, up) = H - y - dy * sy. */
struct place {
	double x, y, sx, sy, H;   /* points; sx, sy page points per drawing point */
};

/*
 * What a translucent fill above makes of a colour under it: c * keep + add.
 * keep 1, add 0: the colour itself.
 */
struct tint {
	double keep, add[3];
};

static const struct tint no_tint = {1, {0, 0, 0}};

static void
put_tinted(struct buf *b, const struct tint *t, double r, double g, double bl, const char *op)
{
	put_rgb(b, r * t->keep + t->add[0], g * t->keep + t->add[1], bl * t->keep + t->add[2], op);
}

/* The operators of a path item's outline. */
static void
put_path(struct buf *b, const struct drawing *d, const struct draw_item *it, const struct place *pl)
{
	size_t k;

	for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
		const struct draw_path_op *op = &d->ops[k];
#define PXY(j, s) put_xy(b, pl->x + op->pt[j].x * pl->sx, pl->H - pl->y - op->pt[j].y * pl->sy, s)
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
}

/*
 * Paints a path item: its fill if fill, its stroke if stroke, colours
 * through t.  In PDF/A the colours are first made opaque on white.
 */
static bool
paint_path(struct pdf *p, size_t page_no, const struct drawing *d, const struct draw_item *it,
    const struct place *pl, bool fill, bool stroke, const struct tint *t)
{
	struct buf *b = &p->content[page_no];
	struct draw_rgba fc = it->fill_color, stc = it->stroke_color;
	double fa = fill ? fc.a : 1, sa = stroke ? stc.a : 1, scale = sqrt(pl->sx * pl->sy);
	size_t k;

	if (p->opaque) {
		fc = on_white(fc);
		stc = on_white(stc);
	}
	buf_puts(b, "q\n");
	if (!p->opaque && (fa < 1 || sa < 1)) {
		const char *gs = alpha_state(p, p->pages[page_no], fa, sa);
		if (bad(p, gs, "making a transparency state"))
			return false;
		buf_printf(b, "/%s gs\n", gs);
	}
	if (fill)
		put_tinted(b, t, fc.r, fc.g, fc.b, "rg\n");
	if (stroke) {
		struct layout_color sc = {stc.r * t->keep + t->add[0], stc.g * t->keep + t->add[1],
		    stc.b * t->keep + t->add[2]};
		int nd = it->n_dash < 0 ? 0 : it->n_dash > 4 ? 4 : it->n_dash;
		stroke_style(b, &sc, it->line_width * scale, 0);
		if (nd > 0) {
			buf_putc(b, '[');
			for (k = 0; k < (size_t)nd; k++)
				put_num(b, it->dash[k] * scale, 2);
			buf_puts(b, "] 0 d\n");
		}
	}
	put_path(b, d, it, pl);
	buf_puts(b, fill && stroke ? "B\nQ\n" : fill ? "f\nQ\n" : "S\nQ\n");
	return true;
}

/* Paints a label item, its colour through t (labels are drawn opaque). */
static bool
paint_text(struct pdf *p, size_t page_no, const struct draw_item *it, const struct place *pl,
    const struct tint *t)
{
	enum font_style st = font_draw_style(it->font);
	double size = it->size * sqrt(pl->sx * pl->sy);
	struct text_line tl;
	double tw;
	const struct font *rf = &p->fs->faces[p->fs->style_face[st]];
	bool ok;
	double ax = pl->x + it->at.x * pl->sx, ay = pl->y + it->at.y * pl->sy, dx = 0, dy = 0;
	double rad = it->angle_deg * M_PI / 180.0;
	struct layout_color c = {it->color.r * t->keep + t->add[0],
	    it->color.g * t->keep + t->add[1], it->color.b * t->keep + t->add[2]};

	text_line_set(&tl, p->fs, st, size, it->text, p->opt.lang);
	tw = tl.width;

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
	ok = draw_label(p, page_no, &tl, &c, ax + ox, ay + oy, it->angle_deg);
	text_line_clear(&tl);
	return ok;
}

/* Whether a PDF/A painting shows a path item's fill and stroke (a colour with alpha 0 does not). */
static void
pdfa_shows(const struct draw_item *it, bool *fill, bool *stroke)
{
	*fill = it->fill && it->fill_color.a > 0;
	*stroke = it->stroke && it->stroke_color.a > 0;
}

/* Bounding box {x0, y0, x1, y1} of an item in drawing points, generously. */
static void
item_box(const struct drawing *d, const struct draw_item *it, const struct text_measurer *m,
    double box[4])
{
	size_t k;
	int j;

	if (it->kind == DRAW_TEXT) {
		drawing_text_box(it, m, box);
		box[0] -= it->size / 2;
		box[1] -= it->size / 2;
		box[2] += it->size / 2;
		box[3] += it->size / 2;
		return;
	}
	box[0] = box[1] = INFINITY;
	box[2] = box[3] = -INFINITY;
	for (k = it->first_op; k < it->first_op + it->n_ops && k < d->n_ops; k++) {
		const struct draw_path_op *op = &d->ops[k];
		int n = op->op == DRAW_CURVE_TO ? 3 : op->op == DRAW_CLOSE ? 0 : 1;
		for (j = 0; j < n; j++) {
			box[0] = fmin(box[0], op->pt[j].x);
			box[1] = fmin(box[1], op->pt[j].y);
			box[2] = fmax(box[2], op->pt[j].x);
			box[3] = fmax(box[3], op->pt[j].y);
		}
	}
	if (it->stroke) {
		box[0] -= it->line_width;
		box[1] -= it->line_width;
		box[2] += it->line_width;
		box[3] += it->line_width;
	}
}

/*
 * PDF/A, after the translucent fill of item k was painted opaque: what was
 * under it showed through, so the items before it that it overlaps are
 * painted again inside its outline, their colours blended with the fill's
 * (c * (1 - a) + fill * a).  Exact for one translucent layer, which is
 * what the charts draw (grid lines and labels under a shaded area); under
 * two overlapping fills the lower one's backdrop is lost.
 */
static bool
repaint_under(struct pdf *p, size_t page_no, const struct drawing *d, size_t k,
    const struct place *pl, const struct text_measurer *m)
{
	const struct draw_item *top = &d->items[k];
	struct buf *b = &p->content[page_no];
	double a = top->fill_color.a, kb[4], ib[4];
	struct tint t = {1 - a, {a * top->fill_color.r, a * top->fill_color.g, a * top->fill_color.b}};
	bool clipped = false;
	size_t i;

	item_box(d, top, m, kb);
	for (i = 0; i < k; i++) {
		const struct draw_item *it = &d->items[i];
		bool fill = false, stroke = false;
		if (it->kind == DRAW_PATH) {
			pdfa_shows(it, &fill, &stroke);
			if (!fill && !stroke)
				continue;
		} else if (it->text == NULL) {
			continue;
		}
		item_box(d, it, m, ib);
		if (ib[0] > kb[2] || ib[2] < kb[0] || ib[1] > kb[3] || ib[3] < kb[1])
			continue;
		if (!clipped) {
			buf_puts(b, "q\n");
			put_path(b, d, top, pl);
			buf_puts(b, "W\nn\n");
			clipped = true;
		}
		if (it->kind == DRAW_PATH ? !paint_path(p, page_no, d, it, pl, fill, stroke, &t)
					  : !paint_text(p, page_no, it, pl, &t))
			return false;
	}
	if (clipped)
		buf_puts(b, "Q\n");
	return true;
}

bool
pdf_draw_drawing(struct pdf *p, size_t page_no, const struct drawing *d, double x, double y,
    double w, double h)
{
	struct buf *b;
	struct place pl;
	struct text_measurer m;
	size_t i;

	if (page_no >= p->n_pages || d->width <= 0 || d->height <= 0)
		return true;
	b = &p->content[page_no];
	end_text(p, page_no);
	pl.x = x;
	pl.y = y;
	pl.sx = w / d->width;
	pl.sy = h / d->height;
	pl.H = p->page_h;
	m = font_set_measurer(p->fs);
	buf_puts(b, "q\n");
	put_xy(b, x, pl.H - y - h, "");
	put_xy(b, w, h, "re\nW\nn\n");
	for (i = 0; i < d->n_items; i++) {
		const struct draw_item *it = &d->items[i];
		if (it->kind == DRAW_PATH) {
			bool fill = it->fill, stroke = it->stroke;
			if (p->opaque)
				pdfa_shows(it, &fill, &stroke);
			if (!fill && !stroke)
				continue;
			if (p->opaque && fill && it->fill_color.a < 1) {
				/* The fill, what showed through it, then the outline on top. */
				if (!paint_path(p, page_no, d, it, &pl, true, false, &no_tint) ||
				    !repaint_under(p, page_no, d, i, &pl, &m) ||
				    (stroke && !paint_path(p, page_no, d, it, &pl, false, true, &no_tint)))
					return false;
			} else if (!paint_path(p, page_no, d, it, &pl, fill, stroke, &no_tint)) {
				return false;
			}
		} else if (it->text != NULL && !paint_text(p, page_no, it, &pl, &no_tint)) {
			return false;
		}
	}
	buf_puts(b, "Q\n");
	return !failed(p, "drawing a chart");
}
