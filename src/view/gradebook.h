/*
 * gradebook: the rows of the gradebook CSV (`--csv`), in one of three
 * forms.  "plain" is archaudit's own table (every figure of a student, in
 * words and numbers).  "canvas" and "moodle" are what those LMSs import:
 *
 *   canvas  Canvas's gradebook import: the columns Student, ID, SIS User
 *           ID, SIS Login ID, Section, then one column per figure, and a
 *           "Points Possible" row.  Canvas finds a student by ID, then SIS
 *           User ID, then SIS Login ID, then name; ID (Canvas's own user
 *           number) is the one in the name of the student's file when
 *           the ledgers came in a Canvas submissions zip, else empty; SIS User ID is the roster's sis_id and
 *           SIS Login ID its email.  An empty cell changes no grade.
 *   moodle  Moodle's "Import grades from CSV": an identifier column it maps
 *           to a user field, then one numeric column per figure.  The
 *           identifier is the roster's email ("Email address") when any
 *           student of the run has one, else its sis_id ("ID number").
 *           Moodle stops the whole import at a row whose identifier is
 *           empty or unknown, so a student without it is left out of this
 *           form (and the caller says so).
 *
 * Both LMS forms hold only numbers in their grade columns, or nothing
 * where a student has no report.  This module only presents: the figures
 * come in a struct student_summary.
 */
#ifndef ARCHAUDIT_GRADEBOOK_H
#define ARCHAUDIT_GRADEBOOK_H

#include <stdbool.h>

#include "view/class_summary.h"
#include "base/util.h"

enum gradebook_format { GRADEBOOK_PLAIN, GRADEBOOK_CANVAS, GRADEBOOK_MOODLE };

struct gradebook_form {
	enum gradebook_format format;
	bool by_sis_id;        /* moodle: identify students by sis_id, not email */
};

/* "plain", "canvas", "moodle" to a format; false for anything else. */
bool gradebook_parse_format(const char *s, enum gradebook_format *out);

/* One student's row: the roster's words, what the run did, the figures. */
struct gradebook_row {
	const char *id, *name, *section, *email, *sis_id;  /* "" when absent */
	const char *lms_id;            /* Canvas's user id (from its zip), or "" */
	const char *ledger, *report;   /* paths, "" when none */
	const char *status;            /* "written", "no ledger", ... */
	const char *error;             /* why there is no report, or "" */
	const struct student_summary *sum; /* NULL: no report, no figures */
};

/* The header (and Canvas's "Points Possible" row), with a byte-order mark. */
void gradebook_header(struct buf *out, const struct gradebook_form *f);
/*
 * Append row r in form f.  Returns false, appending nothing, when the form
 * cannot hold the student (moodle: no identifier).
 */
bool gradebook_row(struct buf *out, const struct gradebook_form *f,
    const struct gradebook_row *r);

#endif
