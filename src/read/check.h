/*
 * check: the repairing pass between the reader and the model.  It takes
 * the capstone's fields as the ledger wrote them (struct capstone_record,
 * JSON kinds) and gives a typed design: the student's Act II configuration
 * with the lab default for each unreadable setting, the two predictions,
 * and the values the capstone stored, as numbers or truth values or
 * absent.  Every repair is a warning.  Nothing after this stage sees a
 * struct lvalue.
 */
#ifndef ARCHAUDIT_CHECK_H
#define ARCHAUDIT_CHECK_H

#include <stdbool.h>

#include "read/ledger.h"
#include "model/scenario.h"
#include "base/util.h"

/* A number the capstone stored: present only when it is a number. */
struct stored_number {
	bool present;
	double v;
	const char *text;       /* borrowed: as the ledger wrote it ("100.5") */
};

/* A truth value the capstone stored: present only when true or false. */
struct stored_bool {
	bool present;
	bool v;
};

/* The capstone's design, checked. */
struct design {
	bool present;                   /* the ledger has a capstone entry */
	struct config config;           /* the student's; the scenario's defaults
	                                   for what is missing or unreadable */
	const char *act1_prediction;    /* borrowed; NULL: none ("", "none", absent) */
	const char *act2_prediction;    /* borrowed; NULL: none */
	/* what the capstone computed when the student ran it */
	struct stored_number p99_ms, cost_per_req, labs_completed, pct_correct;
	struct stored_bool system_valid, constraint_hit;
	const char *weakest_invariant;  /* borrowed; NULL when absent or not a string */
	struct diag_list diags;         /* owned: a warning for each repair */
};

/*
 * Check l's capstone against the scenario (its defaults, its grid's
 * ranges) into d, with a warning in d->diags for each value repaired,
 * ignored or outside the lab's range.  d borrows strings from l.
 * audit_new takes the warnings over; design_free frees them otherwise.
 */
void check_design(const struct ledger *l, const struct scenario *s,
    struct design *d);
void design_free(struct design *d);

#endif
