/*
 * audit: the model of one ledger: the Act I archaeology (act1.h) and the
 * capstone reading (capstone.h) computed from a read ledger (ledger.h),
 * with the engine's metrics (spec sections 2 to 4).  Pure functions; no
 * I/O; no foreign types.
 */
#ifndef ARCHAUDIT_AUDIT_H
#define ARCHAUDIT_AUDIT_H

#include "model/act1.h"
#include "model/capstone.h"
#include "read/check.h"
#include "model/engine.h"
#include "read/ledger.h"
#include "model/scenario.h"
#include "base/util.h"

/* Everything known about one ledger: what the report and --json show. */
struct audit {
	struct ledger *ledger;  /* owned */
	struct act1 act1;
	struct capstone_reading capstone;
	struct metrics metrics;
	char *student;          /* owned; display name */
	char *student_lang;     /* owned or NULL: BCP 47 language of the name (roster) */
	char *student_origin;   /* owned or NULL: where the name came from ("roster.csv:4") */
	struct diag_list diags; /* the check's warnings (the capstone), then the model's */
};

/*
 * Run Act I, the capstone reading and the engine on a read ledger and its
 * checked design (check_design(l, s, d) first: read, check, model).
 * A last_updated after AUDIT_LATEST_YEAR (9999-12-31, say) is no day a lab
 * was saved: a warning, and it dates neither the report nor the class
 * summary.  Takes ownership of l and of d's warnings (d->diags is left
 * empty; the rest of d is not kept).  student may be NULL: the file stem
 * is used.  Caller frees with audit_free.
 */
struct audit *audit_new(struct ledger *l, struct design *d,
    const struct scenario *s, const char *student);
void audit_free(struct audit *a);      /* NULL is a no-op */
#define AUDIT_LATEST_YEAR 2100   /* a ledger day after it dates nothing */

/* "dir/alice.json" -> "alice"; "-" -> "stdin".  Caller frees. */
char *audit_student_from_path(const char *path);

#endif
