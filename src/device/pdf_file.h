/*
 * pdf_file: writes a libharu document's objects as a PDF 1.7 file whose
 * dictionaries and arrays sit in deflated object streams, with a
 * cross-reference stream (ISO 32000-1, 7.5.7-7.5.8).  Private to the PDF
 * device (pdf.c); it replaces HPDF_SaveToStream, which writes every
 * object uncompressed with a classic cross-reference table (PDF/A-1,
 * being PDF 1.4, still uses that).
 */
#ifndef ARCHAUDIT_PDF_FILE_H
#define ARCHAUDIT_PDF_FILE_H

#include <hpdf.h>
#include <stdbool.h>

#include "base/util.h"

struct pdf_struct;

/*
 * Appends the whole file to out: libharu's objects, then the structure
 * elements of tags (numbered after them).  objstm: PDF 1.7 with object
 * streams; otherwise PDF 1.4 with every object as itself and a classic
 * cross-reference table (PDF/A-1).  deflate(ctx, data, len, out2)
 * deflates data into out2 (replacing it) and returns false after an
 * error.  False after an error (libharu's handler has it, or deflate
 * said so).
 */
typedef bool (*pdf_deflate_fn)(void *ctx, const void *data, size_t len, struct buf *out);
bool pdf_file_write(HPDF_Doc doc, struct pdf_struct *tags, bool objstm, pdf_deflate_fn deflate,
    void *ctx, struct buf *out);

#endif
