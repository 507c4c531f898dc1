/*
 * roster: the class list an instructor keeps, as CSV (RFC 4180, UTF-8).
 * The header names the columns; "name" and "ledger" are required, "id",
 * "section", "lang", "email" and "sis_id" are read when present, others are ignored.  A ledger path
 * is relative to the roster's own folder and may not leave it (no
 * absolute path, no ".." part).  The roster gives each student's display
 * name and the order of a batch.
 */
#ifndef ARCHAUDIT_ROSTER_H
#define ARCHAUDIT_ROSTER_H

#include <stddef.h>

#include "base/util.h"

#define ROSTER_MAX_BYTES ((size_t)64 << 20)
#define ROSTER_MAX_ROWS 100000   /* students; a run of that many fits in 64 MB */

struct roster_row {
	/* the strings are the roster's (its arena) */
	char *id;               /* "" when the column is absent or empty */
	char *name;             /* never empty */
	char *section;          /* "" when absent or empty */
	char *lang;             /* BCP 47 language of the name ("ja", "zh-Hant"); "" = guess */
	char *email;            /* for the LMS gradebooks; "" when absent */
	char *sis_id;           /* the student information system's id; "" when absent */
	char *ledger;           /* as written; "" = no ledger given */
	char *path;             /* ledger joined to the roster's folder; NULL when ledger is "" */
	int line;               /* where the row starts in the roster, 1-based */
	int ledger_col;         /* column of the ledger field, characters */
};

struct roster {
	char *source;           /* owned; the roster's path, for messages */
	struct arena strings;   /* owns every string of the rows */
	struct roster_row *rows; /* owned; in file order */
	size_t n, cap;
};

/*
 * Parse the text of a roster named source (its folder anchors the ledger
 * paths).  Returns a roster (caller frees with roster_free), or NULL with
 * every problem as "source:line:col: error: ..." in dl.
 */
struct roster *roster_parse(const char *source, const char *text, size_t len,
    struct diag_list *dl);
/* Read and parse the file at path. */
struct roster *roster_load(const char *path, struct diag_list *dl);
void roster_free(struct roster *r);     /* NULL is a no-op */

#endif
