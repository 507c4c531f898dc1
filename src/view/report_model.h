/*
 * report_model: the values a report template sees.  Builds a tvalue tree
 * from one student's results (results.h), which hold the audit, the grid
 * census and the scenario: every number
 * the report prints (raw, formatted by the template's filters), labels,
 * and booleans for the template's sections.  Strings that came from the
 * ledger (the student's name, file name, decisions, warnings) are marked
 * UNTRUSTED so the template engine escapes them.  The names are listed in
 * docs/templates.md.
 */
#ifndef ARCHAUDIT_REPORT_MODEL_H
#define ARCHAUDIT_REPORT_MODEL_H

#include "model/results.h"
#include "tmpl/tvalue.h"

/*
 * Bounds on what a ledger or a scenario can put in a report (README,
 * Limits): a student's string is cut after REPORT_TEXT_MAX characters with
 * an ellipsis; at most REPORT_LIST_MAX warnings and as many notes are
 * listed (the count says how many there are); the frontier table shows at
 * most REPORT_FRONTIER_MAX points, evenly spaced, with the total; the
 * design-space chart draws at most REPORT_CHART_POINTS of each kind.
 */
#define REPORT_TEXT_MAX 200
#define REPORT_LIST_MAX 40
#define REPORT_FRONTIER_MAX 40
/* Outcomes and frontier points drawn in the design-space chart, each. */
#define REPORT_CHART_POINTS 2000

/* What the report says about the file itself. */
struct report_meta {
	const char *file_name;     /* the ledger's file name, as shown */
	char sha256_hex[65];       /* of the file's bytes */
	const char *program;       /* "archaudit 0.1.0" */
	long long source_date_epoch; /* seconds; used when the ledger has no date */
	bool have_source_date;
	bool class_appendix;       /* print the page every student shares */
};

/* The caller frees the tree with tvalue_free. */
struct tvalue *report_model_new(const struct results *rs,
    const struct report_meta *meta);

/* "2026-05-02T10:00:00" -> "2 May 2026" into out; false when not a date. */
bool report_format_date(const char *iso, char out[32]);

/* Index of invariant name in act1 order, key "memory_wall" etc. */
const char *report_invariant_key(int i);

#endif
