/*
 * csv: RFC 4180 comma-separated values, both ways.  The reader splits a
 * whole text into records of fields (quoted fields may hold commas, quotes
 * written twice and line breaks; CRLF or LF ends a record; a UTF-8
 * byte-order mark is skipped) and reports errors as FILE:LINE:COL.  The
 * writer quotes a cell only when it must and defuses spreadsheet formulas.
 */
#ifndef ARCHAUDIT_CSV_H
#define ARCHAUDIT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

struct csv_field {
	char *text;             /* owned, UTF-8, quotes undone */
	int line, col;          /* where the field starts; col counts characters */
};

struct csv_record {
	struct csv_field *fields;   /* owned */
	size_t n, cap;
	int line;               /* line where the record starts, 1-based */
};

struct csv_reader {
	const char *name;       /* for messages; borrowed */
	const char *text;       /* borrowed */
	size_t len, pos;        /* bytes */
	int line, col;          /* of pos, 1-based; col counts characters */
};

/* Start reading text[0..len) named name (both must outlive r). */
void csv_reader_init(struct csv_reader *r, const char *name, const char *text,
    size_t len);
/*
 * Read the next record into rec (its old fields are freed).  Blank lines
 * are skipped.  Returns 1 for a record, 0 at the end of the text, or -1
 * with "name:line:col" and the reason in dl (the reader then stops).
 */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct diag_list *dl);
void csv_record_init(struct csv_record *rec);
void csv_record_free(struct csv_record *rec);

/*
 * Append one text cell to out, preceded by a comma unless first.  A cell
 * holding a comma, a quote, CR or LF is quoted, quotes doubled.  A cell
 * that a spreadsheet would run as a formula (starting with = + - @, tab
 * or CR) gets a leading apostrophe, so "=HYPERLINK(...)" in a student's
 * name stays text.  Invalid UTF-8 becomes U+FFFD.
 */
void csv_put_text(struct buf *out, bool first, const char *s);
/* Append a number cell as written (no quoting, no apostrophe). */
void csv_put_number(struct buf *out, bool first, const char *digits);
/* End a record: CRLF, as RFC 4180 writes it. */
void csv_end_record(struct buf *out);

#endif
