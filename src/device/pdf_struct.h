/*
 * pdf_struct: the tagged-PDF half of the PDF device (pdf.c), private to
 * it.  It turns each layout's structure elements (layout.elems) into
 * StructElem objects under one StructTreeRoot, writes the marked-content
 * operators that tie what a page draws to its element (BDC with an MCID,
 * or an artifact), and keeps the ParentTree that maps each page's MCIDs
 * back to their elements.  Like pdf.c it includes hpdf.h; nothing else
 * of the program does.
 */
#ifndef ARCHAUDIT_PDF_STRUCT_H
#define ARCHAUDIT_PDF_STRUCT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "layout/layout.h"
#include "base/util.h"

struct pdf_struct;

/* A structure tree for doc; freed with pdf_struct_free (libharu owns the objects). */
struct pdf_struct *pdf_struct_new(HPDF_Doc doc);
void pdf_struct_free(struct pdf_struct *s);   /* NULL is a no-op */

/*
 * Before the pages of lay are drawn: makes its elements.  The first layout
 * without a part title is the Document itself; any other becomes a Part
 * (titled part_title, e.g. a student in a bundle) of one Document.
 */
bool pdf_struct_layout(struct pdf_struct *s, const struct layout *lay, const char *part_title);

/* A page was added: its /StructParents and /Tabs /S. */
bool pdf_struct_page(struct pdf_struct *s, HPDF_Page page);

/* Whether drawing content of elem (or an artifact, LAYOUT_ART_*) next needs new marked content. */
bool pdf_struct_changes(const struct pdf_struct *s, int elem);

/*
 * Ends the open marked-content sequence, if any, and begins one for elem
 * on the current page.  Never inside a text object: the caller ends it.
 */
void pdf_struct_begin(struct pdf_struct *s, struct buf *b, int elem);

/* Ends the open marked-content sequence (end of a page). */
void pdf_struct_end(struct pdf_struct *s, struct buf *b);

/* The structure tree into the catalog, with /MarkInfo and /Lang. */
bool pdf_struct_finish(struct pdf_struct *s, const char *lang);

/*
 * Writing the file (pdf_file.c): the elements are objects of their own,
 * numbered base, base + 1, ... after libharu's; pdf_struct_base says where
 * they start before anything is written, pdf_struct_object appends the
 * dictionary of element i.
 */
size_t pdf_struct_count(const struct pdf_struct *s);
void pdf_struct_base(struct pdf_struct *s, uint32_t base);
void pdf_struct_object(const struct pdf_struct *s, size_t i, struct buf *b);

/* A PDF text string for utf8: itself if printable ASCII, else UTF-16BE with a BOM. */
void *pdf_text_string(HPDF_MMgr mm, const char *utf8);

/* Appends v in decimal: buf_printf costs ~1,000 instructions a number. */
void pdf_put_u(struct buf *b, uint32_t v);

#endif
