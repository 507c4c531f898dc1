/*
 * pdf: the PDF device.  Draws the boxes of one or more layouts with
 * libharu (embedded TrueType fonts, UTF-8 text, metadata, an outline of
 * the headings) into memory.  The bytes depend only on the input: no
 * clock is read; SOURCE_DATE_EPOCH, when set, gives the dates.  Every
 * file is a tagged PDF meeting the machine-checkable conditions of
 * PDF/UA-1: the layout's structure tree, marked content, the language, a
 * title shown as the window's, XMP with pdfuaid:part 1.  The PDF_A2U
 * profile makes it an archival PDF/A-2u file as well (PDF 1.7); PDF_A1B a
 * PDF/A-1b one: PDF 1.4, no transparency (translucent colours are blended
 * against white).  Both have an sRGB output intent, XMP metadata matching
 * the document information and a document ID hashed from the content.
 */
#ifndef ARCHAUDIT_PDF_H
#define ARCHAUDIT_PDF_H

#include <stdbool.h>

#include "chart/drawing.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "base/util.h"

enum pdf_profile {
	PDF_PLAIN,   /* PDF 1.7, tagged (PDF/UA-1) */
	PDF_A1B,     /* archive: PDF/A-1b (ISO 19005-1, level B), PDF 1.4, still tagged */
	PDF_A2U      /* archive: PDF/A-2u (ISO 19005-2, level U) and PDF/UA-1, PDF 1.7 */
};

/*
 * The ICC profile of a PDF/A file's output intent: sRGB, since the
 * device paints in DeviceRGB.  Read once per process and shared.
 */
struct pdf_icc {
	char *path;             /* owned; where it was read */
	unsigned char *data;    /* owned; the whole profile */
	size_t len;             /* bytes */
};

/* Debian's icc-profiles-free; $ARCHAUDIT_ICC_PROFILE overrides it. */
#define PDF_ICC_DEFAULT "/usr/share/color/icc/sRGB.icc"

/*
 * Reads and checks an RGB display or printer profile, ICC version 2 (what
 * PDF 1.4 knows).  path NULL: $ARCHAUDIT_ICC_PROFILE, else PDF_ICC_DEFAULT.
 * NULL with an error naming the file in dl.  Caller frees with pdf_icc_free.
 */
struct pdf_icc *pdf_icc_new(const char *path, struct diag_list *dl);
void pdf_icc_free(struct pdf_icc *icc);      /* NULL is a no-op */

struct pdf_options {
	const char *title;        /* document information; NULL = none */
	const char *author;       /* the student */
	const char *subject;
	const char *keywords;
	const char *creator;      /* the program */
	const char *lang;         /* the document's language (BCP 47); NULL = "en" */
	enum pdf_profile profile;
	const struct pdf_icc *icc; /* PDF/A: the output intent's profile, borrowed;
	                              NULL = pdf_new reads the default itself */
	bool have_date;           /* write CreationDate/ModDate */
	long long date_epoch;     /* seconds since 1970, UTC, when have_date */
};

/* Zeroes opt: no metadata, plain PDF, no date (the caller sets have_date). */
void pdf_options_init(struct pdf_options *opt);

struct pdf;

/* A PDF being built; fs must outlive it.  NULL after an error in dl. */
struct pdf *pdf_new(const struct font_set *fs, const struct pdf_options *opt,
    struct diag_list *dl);
/*
 * Appends the pages of lay.  bookmark NULL: the headings are top-level
 * bookmarks; otherwise one top-level bookmark (a student, in a print
 * bundle) holds them.  False after an error in dl.
 */
bool pdf_add_layout(struct pdf *p, const struct layout *lay, const char *bookmark);
/* Appends the finished file to out; false after an error in dl. */
bool pdf_finish(struct pdf *p, struct buf *out);
void pdf_free(struct pdf *p);

/* The usual case: one layout, one file into out. */
bool pdf_write(const struct layout *lay, const struct font_set *fs,
    const struct pdf_options *opt, struct buf *out, struct diag_list *dl);

/*
 * Draws d scaled into the rectangle (x, y, w, h) of page (top-left
 * coordinates, points) of the last layout added.  Used for figure boxes;
 * exposed so chart tests can draw a drawing alone.
 */
bool pdf_draw_drawing(struct pdf *p, size_t page, const struct drawing *d, double x, double y,
    double w, double h);

#endif
