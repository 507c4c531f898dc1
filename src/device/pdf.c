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
#include "device/pdf_int.h"
#include "device/device.h"

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct pdf *p = user;
	if (p->error == 0) {
		p->error = error;
		p->detail = detail;
	}
}

bool
pdfi_failed(struct pdf *p, const char *what)
{
	if (p->error == 0)
		return false;
	diag_add(p->dl, DIAG_ERROR, "pdf.libharu-error",
	    NULL, "PDF: %s pdfi_failed (libharu error 0x%04X, detail %u)", what,
	    (unsigned)p->error, (unsigned)p->detail);
	return true;
}

/* True, with an error in dl, if obj is NULL or libharu reported an error. */
bool
pdfi_bad(struct pdf *p, const void *obj, const char *what)
{
	if (pdfi_failed(p, what))
		return true;
	if (obj == NULL) {
		diag_add(p->dl, DIAG_ERROR, "pdf.libharu-silent",
		    NULL, "PDF: %s pdfi_failed (libharu returned nothing)", what);
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
	return !pdfi_failed(p, "setting the dates");
}

/* A PDF text string for utf8 (pdf_struct.c makes it); NULL after an error. */
void *
pdfi_text_string(struct pdf *p, const char *utf8)
{
	return pdf_text_string(p->doc->mmgr, utf8);
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
	buf_init(&p->rev);
	p->pdfa = p->opt.profile == PDF_A1B || p->opt.profile == PDF_A2U;
	p->opaque = p->opt.profile == PDF_A1B;
	if (p->pdfa && !pdfi_pdfa_start(p)) {
		pdf_free(p);
		return NULL;
	}
	p->doc = HPDF_New(on_error, p);
	if (p->doc == NULL) {
		diag_add(dl, DIAG_ERROR, "pdf.libharu-start",
		    NULL, "PDF: libharu could not start (out of memory?)");
		pdf_free(p);
		return NULL;
	}
	/* We deflate every stream ourselves (pdf_finish). */
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_NONE);
	p->tags = pdf_struct_new(p->doc);
	if (p->tags == NULL) {
		pdfi_failed(p, "starting the structure tree");
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
		if (d == NULL || HPDF_Dict_Add(d, info_fields[i].key, pdfi_text_string(p, v)) != HPDF_OK) {
			pdfi_bad(p, NULL, "setting the document information");
			break;
		}
	}
	if (pdfi_failed(p, "setting up the document") ||
	    (p->opt.have_date && !(p->pdfa ? pdfi_set_pdfa_date(p) : set_date(p)))) {
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
		for (k = 1; k < p->faces[i].n_cids; k++)
			free(p->faces[i].txt[k]);
		free(p->faces[i].gid);
		free(p->faces[i].txt);
		free(p->faces[i].w);
		free(p->faces[i].tlen);
		free(p->faces[i].slot);
	}
	for (i = 0; i < p->n_pages; i++)
		buf_free(&p->content[i]);
	buf_free(&p->zout);
	buf_free(&p->rev);
	free(p->gx);
	free(p->gu);
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
 * libdeflate compressors by level, made on first use and kept for the
 * process (at most 12; in practice one, level 1): making and freeing one
 * per document cost about 0.15 M instructions a report.  A compressor
 * keeps nothing from one call to the next, so the bytes are the same.
 */
static struct libdeflate_compressor *proc_zc[13];

/*
 * Deflates data at level into p->zout (replacing its contents), zlib
 * format (what /FlateDecode reads); false after an error.  libdeflate:
 * it does in about half zlib's time what zlib did, which pays for what
 * tagging costs (docs/perf.md).
 */
static bool
deflate_data(struct pdf *p, const void *data, size_t len, int level)
{
	int lv = level < 1 ? 1 : level > 12 ? 12 : level;
	struct libdeflate_compressor **c = &proc_zc[lv];
	size_t bound, n;

	if (*c == NULL && (*c = libdeflate_alloc_compressor(lv)) == NULL) {
		diag_add(p->dl, DIAG_ERROR, "pdf.deflate-start",
		    NULL, "PDF: libdeflate could not start (out of memory?)");
		return false;
	}
	bound = libdeflate_zlib_compress_bound(*c, len);
	buf_reset(&p->zout);
	buf_grow(&p->zout, bound + 1);
	n = libdeflate_zlib_compress(*c, data, len, p->zout.data, bound);
	if (n == 0) {
		diag_add(p->dl, DIAG_ERROR, "pdf.deflate-failed",
		    NULL, "PDF: libdeflate could not deflate a stream");
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

/*
 * A stream's deflated bytes, read by libharu when it writes the file.
 * Its memory streams copy byte by byte, once in and once out (about
 * 0.7 M instructions a report); this reader hands them over with memcpy.
 */
struct held {
	size_t len, pos;
	unsigned char data[]; /* len bytes */
};

static HPDF_STATUS
held_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct held *h = s->attr;
	size_t n = h->len - h->pos;

	if (n > *siz)
		n = *siz;
	memcpy(ptr, h->data + h->pos, n);
	h->pos += n;
	*siz = (HPDF_UINT)n;
	return h->pos == h->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
held_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct held *h = s->attr;
	long long at = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? (long long)h->pos
									  : (long long)h->len;

	at += pos;
	if (at < 0 || at > (long long)h->len)
		return HPDF_STREAM_EOF;
	h->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32
held_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct held *)s->attr)->pos;
}

static HPDF_UINT32
held_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((struct held *)s->attr)->len;
}

static void
held_free(HPDF_Stream s)
{
	free(s->attr);
	s->attr = NULL;
}

/* Makes data[0..len), already deflated, the stream of dict (which libharu must not filter). */
static bool
hold_stream(struct pdf *p, HPDF_Dict dict, const void *data, size_t len)
{
	struct held *h;
	HPDF_Stream s;

	if (len > 0xFFFFFFF0u) {
		pdfi_bad(p, NULL, "holding a stream");
		return false;
	}
	h = xmalloc(sizeof(*h) + len);
	h->len = len;
	h->pos = 0;
	memcpy(h->data, data, len);
	s = HPDF_CallbackReader_New(p->doc->mmgr, held_read, held_seek, held_tell, held_size, h);
	if (pdfi_bad(p, s, "holding a stream")) {
		free(h);
		return false;
	}
	s->free_fn = held_free;
	HPDF_Stream_Free(dict->stream);
	dict->stream = s;
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = write_flate_filter;
	return true;
}

/* A new stream object holding data[0..len), already deflated; NULL after an error. */
HPDF_Dict
pdfi_held_stream(struct pdf *p, const void *data, size_t len)
{
	HPDF_Dict d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);

	if (pdfi_bad(p, d, "making a stream"))
		return NULL;
	return hold_stream(p, d, data, len) ? d : NULL;
}

/* Deflates data into the stream of dict (which libharu must not filter). */
static bool
fill_stream(struct pdf *p, HPDF_Dict dict, const void *data, size_t len, int level)
{
	return deflate_data(p, data, len, level) && hold_stream(p, dict, p->zout.data, p->zout.len);
}

/* A new stream object holding data deflated; NULL after an error. */
HPDF_Dict
pdfi_deflated_stream(struct pdf *p, const void *data, size_t len, int level)
{
	HPDF_Dict d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);

	if (pdfi_bad(p, d, "making a stream"))
		return NULL;
	return fill_stream(p, d, data, len, level) ? d : NULL;
}

/*
 * One stream deflated for the process: the ICC profile, the same bytes in
 * every PDF/A document.  Exact: the key is the whole input and the level
 * (compared byte for byte).  Bounded: one entry, of an input up to
 * KEPT_MAX bytes (a larger one is deflated each time); a new input
 * replaces it.
 */
#define KEPT_MAX (256u << 10)
static struct {
	unsigned char *in, *out; /* owned */
	size_t in_len, out_len;
	int level;
} kept;

/* pdfi_deflated_stream, with the deflated bytes kept for the next document. */
HPDF_Dict
pdfi_deflated_stream_kept(struct pdf *p, const void *data, size_t len, int level)
{
	HPDF_Dict d;

	if (len == 0 || len > KEPT_MAX)
		return pdfi_deflated_stream(p, data, len, level);
	if (kept.in == NULL || kept.level != level || kept.in_len != len ||
	    memcmp(kept.in, data, len) != 0) {
		if (!deflate_data(p, data, len, level))
			return NULL;
		free(kept.in);
		free(kept.out);
		kept.in = xmalloc(len);
		memcpy(kept.in, data, len);
		kept.in_len = len;
		kept.out = xmalloc(p->zout.len);
		memcpy(kept.out, p->zout.data, p->zout.len);
		kept.out_len = p->zout.len;
		kept.level = level;
	}
	d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
	if (pdfi_bad(p, d, "making a stream"))
		return NULL;
	return hold_stream(p, d, kept.out, kept.out_len) ? d : NULL;
}

/* ---- content operators ---- */

/* Appends v rounded to decimals (0..6) places, without trailing zeros, and a space. */
void
pdfi_put_num(struct buf *b, double v, int decimals)
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
void
pdfi_put_xy(struct buf *b, double x, double y, const char *op)
{
	pdfi_put_num(b, x, 2);
	pdfi_put_num(b, y, 2);
	buf_puts(b, op);
}

void
pdfi_put_rgb(struct buf *b, double r, double g, double bl, const char *op)
{
	pdfi_put_num(b, r, 3);
	pdfi_put_num(b, g, 3);
	pdfi_put_num(b, bl, 3);
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
		pdfi_bad(p, NULL, "making a font");
		return NULL;
	}
	pf->cap_cids = 128;
	pf->gid = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->gid));
	pf->txt = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->txt));
	pf->w = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->w));
	pf->tlen = xreallocarray(NULL, pf->cap_cids, sizeof(*pf->tlen));
	pf->gid[0] = 0;
	pf->txt[0] = NULL;
	pf->w[0] = 0;
	pf->tlen[0] = 0;
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

/* lround(v) for the advances of glyphs, without the library call. */
static inline int
round_int(double v)
{
	double tr;
	long long r;

	if (!(fabs(v) < 1e9))
		return (int)lround(v);
	r = (long long)v;       /* toward zero */
	tr = v - (double)r;     /* exact below 2^52 */
	if (tr >= 0.5)
		r++;
	else if (tr <= -0.5)
		r--;
	return (int)r;
}

/* Is entry e's text t[0..len)? */
static inline bool
same_text(const struct pdf_face *pf, size_t e, const char *t, size_t len)
{
	return pf->tlen[e] == len && (len == 0 || (pf->txt[e][0] == t[0] &&
	    (len == 1 || memcmp(pf->txt[e] + 1, t + 1, len - 1) == 0)));
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
	iw = round_int(adv);
	h = entry_hash(gid, t, len, iw, cff);
	for (i = h & (pf->n_slots - 1);; i = (i + 1) & (pf->n_slots - 1)) {
		uint32_t e = pf->slot[i];
		if (e == 0)
			break;
		if (pf->gid[e - 1] == gid && (cff || (pf->w[e - 1] == iw &&
							 same_text(pf, e - 1, t, len)))) {
			if (cff && !same_text(pf, e - 1, t, len))
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
		pf->tlen = xreallocarray(pf->tlen, pf->cap_cids, sizeof(*pf->tlen));
	}
	pf->w[pf->n_cids] = iw;
	*w = pf->w[pf->n_cids];
	pf->gid[pf->n_cids] = gid;
	pf->txt[pf->n_cids] = xstrndup(t, len);
	pf->tlen[pf->n_cids] = (uint32_t)len;
	pf->slot[i] = (uint32_t)++pf->n_cids;
	if (pf->n_cids * 2 > pf->n_slots) {
		size_t k;
		free(pf->slot);
		pf->n_slots *= 2;
		pf->slot = xcalloc(pf->n_slots, sizeof(*pf->slot));
		for (k = 1; k < pf->n_cids; k++) {
			size_t j = entry_hash(pf->gid[k], pf->txt[k], pf->tlen[k], pf->w[k], cff);
			for (j &= pf->n_slots - 1; pf->slot[j] != 0; j = (j + 1) & (pf->n_slots - 1))
				;
			pf->slot[j] = (uint32_t)k + 1;
		}
	}
	return cff ? gid : (unsigned)(pf->n_cids - 1);
}

/* Appends cp as UTF-16BE in hex (4 digits, 8 for a surrogate pair); returns the units. */
int
pdfi_put_utf16_units(struct buf *b, uint32_t cp)
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
		pdfi_put_utf16_units(b, font_utf8_next(&s, end));
	buf_putc(b, '>');
}

/*
 * A TJ array being written.  Glyphs that follow each other with no
 * adjustment share one string ([(..) -12 (..)]): a string per glyph
 * was over half of a page's content, and deflate paid for it.  The
 * strings are literal, two bytes a code as they are (half the size of
 * hex digits), with a backslash before ( ) \ and CR as \r, since a
 * reader turns a bare CR in a literal string into LF.
 */
struct tj {
	struct buf *b;
	bool open;           /* inside [ ... ] */
	bool str;            /* inside a ( ... ) of the array */
	double cur;          /* 1/1000 em: where the PDF pen is, from the run start */
	double rise;         /* 1/1000 em: the Ts in effect */
	double size;         /* points */
};

static void
tj_close(struct tj *t)
{
	if (t->str) {
		buf_putc(t->b, ')');
		t->str = false;
	}
	if (t->open) {
		buf_puts(t->b, "] TJ\n");
		t->open = false;
	}
}

/* Appends byte c of a literal string. */
static inline char *
str_byte(char *o, unsigned c)
{
	if (c == '(' || c == ')' || c == '\\') {
		*o++ = '\\';
	} else if (c == '\r') {
		*o++ = '\\';
		c = 'r';
	}
	*o++ = (char)c;
	return o;
}

/* Shows code (width w, 1/1000 em) with its origin at target, raised by dy. */
static void
tj_glyph(struct tj *t, unsigned code, double w, double target, double dy)
{
	struct buf *b = t->b;
	double adj = t->cur - target;
	char *o;

	if (fabs(dy - t->rise) > 0.005) {
		tj_close(t);
		pdfi_put_num(b, dy * t->size / 1000.0, 3);
		buf_puts(b, "Ts\n");
		t->rise = dy;
	}
	if (!t->open) {
		buf_putc(b, '[');
		t->open = true;
	}
	if (fabs(adj) > 0.005) {
		if (t->str) {
			buf_putc(b, ')');
			t->str = false;
		}
		pdfi_put_num(b, adj, 2);
	}
	if (b->cap - b->len < 8)
		buf_grow(b, 8);
	o = b->data + b->len;
	if (!t->str) {
		*o++ = '(';
		t->str = true;
	}
	o = str_byte(o, code >> 8 & 0xFF);
	o = str_byte(o, code & 0xFF);
	*o = '\0';
	b->len = (size_t)(o - b->data);
	t->cur = target + w;
}

/* Opens the ActualText span of a unit. */
static void
open_span(struct tj *t, const char *utext, size_t ulen)
{
	tj_close(t);
	buf_puts(t->b, "/Span <</ActualText ");
	put_utf16_hex(t->b, utext, ulen);
	buf_puts(t->b, ">> BDC\n");
}

/* The units of g[0..n): p->gu[0..return] (the last is n); p->gx the pen per glyph. */
static size_t
glyph_units(struct pdf *p, const struct text_glyph *g, size_t n, bool rtl)
{
	double pen = 0;
	size_t i, n_u = 0;

	if (n + 1 > p->cap_g) {
		p->cap_g = n + 1 > 2 * p->cap_g ? n + 1 : 2 * p->cap_g;
		p->gx = xreallocarray(p->gx, p->cap_g, sizeof(*p->gx));
		p->gu = xreallocarray(p->gu, p->cap_g, sizeof(*p->gu));
	}
	/*
	 * Units: a glyph with its marks (glyphs of no advance) and the other
	 * glyphs of its cluster.  Marks follow their base left to right and
	 * come before it right to left (visual order).
	 */
	for (i = 0; i < n; i++) {
		bool join;
		p->gx[i] = pen;
		pen += g[i].adv;
		if (!rtl)
			join = i > 0 && (g[i].cluster == g[i - 1].cluster || g[i].adv == 0);
		else
			join = i > 0 && (g[i].cluster == g[i - 1].cluster || g[i - 1].adv == 0);
		if (!join)
			p->gu[n_u++] = i;
	}
	p->gu[n_u] = n;
	return n_u;
}

/* text[lo..hi) with its characters in reverse order, in p->rev. */
static const char *
reversed(struct pdf *p, const char *text, size_t lo, size_t hi)
{
	const char *s = text + lo, *end = text + hi;
	size_t at = hi - lo;

	buf_reset(&p->rev);
	buf_grow(&p->rev, hi - lo);
	p->rev.len = hi - lo;
	p->rev.data[p->rev.len] = '\0';
	while (s < end) {
		const char *c0 = s;
		(void)font_utf8_next(&s, end);
		at -= (size_t)(s - c0);
		memcpy(p->rev.data + at, c0, (size_t)(s - c0));
	}
	return p->rev.data;
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
void
pdfi_put_glyphs(struct pdf *p, struct buf *b, int face, double size, const char *text,
    const struct text_glyph *g, size_t n, bool rtl)
{
	size_t len = strlen(text), u, n_u = glyph_units(p, g, n, rtl);
	const double *x = p->gx;
	const size_t *u_start = p->gu;
	struct tj t = {b, false, false, 0, 0, size};

	for (u = 0; u < n_u; u++) {
		size_t a = u_start[u], e = u_start[u + 1], k;
		uint32_t lo = g[a].cluster, hi;
		size_t cend, ulen;
		bool multi = e - a > 1, span = multi, opened = false;
		int pass, n_pass = multi ? 2 : 1;
		const char *utext;

		/*
		 * Most units: one glyph, left to right, where shaping put it, its
		 * text exactly its code's.  What the general path below would
		 * write, sooner; anything else goes there (code_of finds the
		 * code again).
		 */
		if (!multi && !rtl && g[a].dx == 0 && g[a].dy == 0 && t.rise == 0) {
			bool exact;
			double w;
			unsigned code;
			hi = e < n ? g[e].cluster : (uint32_t)len;
			if (hi < lo || hi > len)
				hi = (uint32_t)len;
			code = code_of(p, face, g[a].gid, text + lo, hi - lo, g[a].adv, &exact, &w);
			if (exact) {
				tj_glyph(&t, code, w, x[a], 0);
				continue;
			}
		}
		for (k = a + 1; k < e; k++)
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
		if (rtl && ulen > 1)
			utext = reversed(p, text, lo, hi);
		/* Glyphs that advance first, then the marks: a span starts at its left edge. */
		for (pass = 0; pass < n_pass; pass++)
			for (k = a; k < e; k++) {
				bool exact, mark = multi && g[k].adv == 0;
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
				if (!opened && (span || !exact || g[k].dy != 0)) {
					span = true;
					open_span(&t, utext, ulen);
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
}

/* Appends "/Fn size Tf" for face on page. */
bool
pdfi_put_font(struct pdf *p, size_t page_no, int face, double size)
{
	HPDF_Dict font = face_font(p, face);
	struct buf *b = &p->content[page_no];
	const char *res;

	if (font == NULL)
		return false;
	res = HPDF_Page_GetLocalFontName(p->pages[page_no], (HPDF_Font)font);
	if (pdfi_bad(p, res, "adding a font to a page"))
		return false;
	buf_putc(b, '/');
	buf_puts(b, res);
	buf_putc(b, ' ');
	pdfi_put_num(b, size, 2);
	buf_puts(b, "Tf\n");
	return true;
}

void
pdfi_end_text(struct pdf *p, size_t page_no)
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
		p->td_x = p->td_y = 0;
	}
	if (p->cur_face != bx->face || p->cur_size != bx->size) {
		if (!pdfi_put_font(p, page_no, bx->face, bx->size))
			return false;
		p->cur_face = bx->face;
		p->cur_size = bx->size;
	}
	if (memcmp(&p->cur_color, &bx->color, sizeof(bx->color)) != 0) {
		pdfi_put_rgb(b, bx->color.r, bx->color.g, bx->color.b, "rg\n");
		p->cur_color = bx->color;
	}
	/* Td is relative to the line start; differences of rounded values never drift. */
	pdfi_put_xy(b, (double)(tx - p->td_x) / 100.0, (double)(ty - p->td_y) / 100.0, "Td\n");
	p->td_x = tx;
	p->td_y = ty;
	pdfi_put_glyphs(p, b, bx->face, bx->size, bx->text ? bx->text : "", bx->glyphs, bx->n_glyphs,
	    bx->rtl);
	return true;
}

/* Stroke colour, width and dash (on = off = dash points; 0 = solid). */
void
pdfi_stroke_style(struct buf *b, const struct layout_color *c, double lw, double dash)
{
	pdfi_put_rgb(b, c->r, c->g, c->b, "RG\n");
	pdfi_put_num(b, lw, 2);
	buf_puts(b, "w\n");
	if (dash > 0) {
		buf_putc(b, '[');
		pdfi_put_num(b, dash, 2);
		pdfi_put_num(b, dash, 2);
		buf_puts(b, "] 0 d\n");
	} else {
		buf_puts(b, "[] 0 d\n");
	}
}

/*
 * The PDF device's functions for device_render (device.h).  Each draws
 * on the page being made, p->cur_page; a box of a new structure element
 * first closes the text object and opens the element's marked content.
 */
static bool
dev_box(void *dev, const struct box *bx)
{
	struct pdf *p = dev;

	if (pdf_struct_changes(p->tags, bx->elem)) {
		pdfi_end_text(p, p->cur_page);
		pdf_struct_begin(p->tags, &p->content[p->cur_page], bx->elem);
	}
	return true;
}

static bool
dev_text(void *dev, const struct box *bx)
{
	struct pdf *p = dev;

	return draw_text(p, p->cur_page, bx);
}

static bool
dev_rect(void *dev, const struct box *bx)
{
	struct pdf *p = dev;
	struct buf *b = &p->content[p->cur_page];
	double H = p->page_h;

	pdfi_end_text(p, p->cur_page);
	if (bx->filled) {
		pdfi_put_rgb(b, bx->fill.r, bx->fill.g, bx->fill.b, "rg\n");
		p->cur_color.r = -1;
	}
	if (bx->stroked)
		pdfi_stroke_style(b, &bx->color, bx->line_width, bx->dash);
	pdfi_put_xy(b, bx->x, H - bx->y - bx->h, "");
	pdfi_put_xy(b, bx->w, bx->h, "re\n");
	buf_puts(b, bx->filled && bx->stroked ? "B\n" : bx->filled ? "f\n"
		   : bx->stroked			      ? "S\n"
							      : "n\n");
	return true;
}

static bool
dev_line(void *dev, const struct box *bx)
{
	struct pdf *p = dev;
	struct buf *b = &p->content[p->cur_page];
	double H = p->page_h;

	pdfi_end_text(p, p->cur_page);
	pdfi_stroke_style(b, &bx->color, bx->line_width, bx->dash);
	pdfi_put_xy(b, bx->x, H - bx->y, "m\n");
	pdfi_put_xy(b, bx->x + bx->w, H - bx->y - bx->h, "l\nS\n");
	return true;
}

static bool
dev_figure(void *dev, const struct box *bx)
{
	struct pdf *p = dev;

	pdfi_end_text(p, p->cur_page);
	/* A drawing restores the state it found (q ... Q); nothing is assumed after it. */
	p->cur_face = -1;
	p->cur_color.r = -1;
	return bx->drawing == NULL ||
	    pdf_draw_drawing(p, p->cur_page, bx->drawing, bx->x, bx->y, bx->w, bx->h);
}

/* A page of the layout begins: a libharu page, its content buffer, its tags. */
static bool
dev_page(void *dev, size_t i, double w, double h)
{
	struct pdf *p = dev;
	HPDF_Page page = HPDF_AddPage(p->doc);
	size_t no = p->n_pages;

	(void)i;
	if (pdfi_bad(p, page, "adding a page"))
		return false;
	HPDF_Page_SetWidth(page, (HPDF_REAL)w);
	HPDF_Page_SetHeight(page, (HPDF_REAL)h);
	if (p->pdfa) {
		double wh[2] = {w, h};
		pdfi_id_add(p, "page", wh, sizeof(wh));
	}
	if (p->n_pages == p->cap_pages) {
		p->cap_pages = p->cap_pages ? p->cap_pages * 2 : 8;
		p->pages = xreallocarray(p->pages, p->cap_pages, sizeof(*p->pages));
		p->content = xreallocarray(p->content, p->cap_pages, sizeof(*p->content));
	}
	p->pages[no] = page;
	buf_init(&p->content[no]);
	p->n_pages++;
	p->cur_page = no;
	p->in_text = false;
	p->cur_face = -1;       /* a page's content starts in the default state */
	p->cur_color.r = -1;
	return pdf_struct_page(p->tags, page);
}

static bool
dev_page_end(void *dev, size_t i)
{
	struct pdf *p = dev;

	(void)i;
	pdfi_end_text(p, p->cur_page);
	pdf_struct_end(p->tags, &p->content[p->cur_page]);
	return true;
}

static const struct device_ops pdf_device = {
	.page = dev_page, .box = dev_box, .text = dev_text, .rect = dev_rect,
	.line = dev_line, .figure = dev_figure, .page_end = dev_page_end,
};

/* A bookmark titled utf8 under parent (NULL: top level); NULL after an error. */
static HPDF_Outline
outline_entry(struct pdf *p, HPDF_Outline parent, const char *utf8)
{
	HPDF_Outline o = HPDF_CreateOutline(p->doc, parent, "-", NULL);

	if (pdfi_bad(p, o, "making a bookmark"))
		return NULL;
	if (p->pdfa)
		pdfi_id_add(p, parent == NULL ? "bookmark" : "sub-bookmark", utf8, strlen(utf8));
	if (HPDF_Dict_Add(o, "Title", pdfi_text_string(p, utf8)) != HPDF_OK) {
		pdfi_failed(p, "making a bookmark");
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
	return !pdfi_failed(p, "making the outline");
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
			pdfi_id_add(p, "content", p->content[no].data, p->content[no].len);
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
	size_t first = p->n_pages;

	if (!flush_pages(p))
		return false;
	if (!pdf_struct_layout(p->tags, lay, bookmark) || pdfi_failed(p, "making the structure tree"))
		return false;
	if (p->first_heading == NULL && lay->n_marks > 0)
		p->first_heading = xstrdup(lay->marks[0].title);
	p->page_h = lay->page_h;
	if (!device_render(&pdf_device, p, lay))
		return false;
	return add_outline(p, lay, first, bookmark);
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
		diag_add(p->dl, DIAG_ERROR, "pdf.no-pages",
		    NULL, "PDF: no pages to write");
		return false;
	}
	if (!flush_pages(p))
		return false;
	for (i = 0; i < p->fs->n_faces; i++)
		if (p->faces[i].type0 != NULL && !pdfi_embed_face(p, (int)i))
			return false;
	if (!pdfi_ua_finish(p) || (p->pdfa && !pdfi_pdfa_finish(p)))
		return false;
	if (!pdf_file_write(p->doc, p->tags, !p->opaque, file_deflate, p, out)) {
		if (!pdfi_failed(p, "saving"))
			diag_add(p->dl, DIAG_ERROR, "pdf.save-failed",
			    NULL, "PDF: saving pdfi_failed");
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
