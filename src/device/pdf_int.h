/*
 * pdf_int: what the files of the PDF device (pdf.c, pdf_meta.c,
 * pdf_fonts.c, pdf_draw.c) share: struct pdf and their common helpers.
 * Private to src/device/; pdf.h is the interface the rest of archaudit sees.
 */
#ifndef ARCHAUDIT_PDF_INT_H
#define ARCHAUDIT_PDF_INT_H

#include "device/pdf.h"

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

#include "device/pdf_file.h"
#include "device/pdf_struct.h"
#include "base/sha256.h"

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
	uint32_t *tlen;           /* owned; per entry, strlen(txt) */
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
	size_t cur_page;         /* the page device_render is drawing */
	double page_h;           /* points, of the layout being drawn */
	HPDF_ExtGState gstates[8]; /* cached alpha states */
	double gs_alpha[8][2];
	size_t n_gstates;
	struct buf zout;         /* scratch: deflated bytes */
	double *gx;              /* scratch of pdfi_put_glyphs: pen position per glyph */
	size_t *gu;              /* scratch of pdfi_put_glyphs: first glyph of each unit */
	size_t cap_g;            /* entries of gx and gu */
	struct buf rev;          /* scratch of pdfi_put_glyphs: a unit's text reversed */
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
	/*
	 * Text state of the current page, to avoid repeating operators.  The
	 * font and fill colour last set carry over from one text object to the
	 * next (they are graphics state); cur_face -1 and cur_color.r -1 say
	 * unknown (a new page, after a filled rectangle or a drawing).
	 */
	bool in_text;
	int cur_face;
	double cur_size;
	struct layout_color cur_color;
	long long td_x, td_y;    /* hundredths of a point: start of the current text line */
};


/* Shared between the device files (defined where the comment says). */
bool pdfi_failed(struct pdf *p, const char *what);
bool pdfi_bad(struct pdf *p, const void *obj, const char *what);
void * pdfi_text_string(struct pdf *p, const char *utf8);
HPDF_Dict pdfi_deflated_stream(struct pdf *p, const void *data, size_t len, int level);
HPDF_Dict pdfi_held_stream(struct pdf *p, const void *data, size_t len);
HPDF_Dict pdfi_deflated_stream_kept(struct pdf *p, const void *data, size_t len, int level);
void pdfi_put_num(struct buf *b, double v, int decimals);
void pdfi_put_xy(struct buf *b, double x, double y, const char *op);
void pdfi_put_rgb(struct buf *b, double r, double g, double bl, const char *op);
int pdfi_put_utf16_units(struct buf *b, uint32_t cp);
void pdfi_put_glyphs(struct pdf *p, struct buf *b, int face, double size, const char *text,
    const struct text_glyph *g, size_t n, bool rtl);
bool pdfi_put_font(struct pdf *p, size_t page_no, int face, double size);
void pdfi_end_text(struct pdf *p, size_t page_no);
void pdfi_stroke_style(struct buf *b, const struct layout_color *c, double lw, double dash);
void pdfi_id_add(struct pdf *p, const char *label, const void *data, size_t len);
bool pdfi_pdfa_start(struct pdf *p);
bool pdfi_set_pdfa_date(struct pdf *p);
bool pdfi_ua_finish(struct pdf *p);
bool pdfi_pdfa_finish(struct pdf *p);
bool pdfi_embed_face(struct pdf *p, int face);

#endif
