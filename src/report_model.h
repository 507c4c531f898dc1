/*
 * report_model: the values a report template sees.  Builds a tvalue tree
 * from one audit, the shared grid census and the scenario: every number
 * the report prints (raw, formatted by the template's filters), labels,
 * and booleans for the template's sections.  Strings that came from the
 * ledger (the student's name, file name, decisions, warnings) are marked
 * UNTRUSTED so the template engine escapes them.  The names are listed in
 * docs/templates.md.
 */
#ifndef ARCHAUDIT_REPORT_MODEL_H
#define ARCHAUDIT_REPORT_MODEL_H

#include "audit.h"
#include "engine.h"
#include "scenario.h"
#include "sensitivity.h"
#include "tvalue.h"

/* What the report says about the file itself. */
struct report_meta {
	const char *file_name;     /* the ledger's file name, as shown */
	char sha256_hex[65];       /* of the file's bytes */
	const char *program;       /* "archaudit 0.1.0" */
	long long source_date_epoch; /* seconds; used when the ledger has no date */
	bool have_source_date;
};

/* The caller frees the tree with tvalue_free. */
struct tvalue *report_model_new(const struct audit *a, const struct census *c,
    const struct scenario *s, const struct sensitivity *sens,
    const struct report_meta *meta);

/* "2026-05-02T10:00:00" -> "2 May 2026" into out; false when not a date. */
bool report_format_date(const char *iso, char out[32]);

/* Index of invariant name in act1 order, key "memory_wall" etc. */
const char *report_invariant_key(int i);

#endif
