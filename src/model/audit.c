/*
 * audit: one ledger's whole evaluation.  Input: a validated ledger and the
 * scenario.  Output: struct audit with Act I, the capstone reading, the
 * engine's metrics for the student's configuration and every warning.
 * Pure apart from allocation.
 */
#include "model/audit.h"

#include <stdlib.h>
#include <string.h>

char *
audit_student_from_path(const char *path)
{
	const char *base, *dot;

	if (strcmp(path, "-") == 0 || strcmp(path, "<stdin>") == 0)
		return xstrdup("stdin");
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot != NULL && dot != base && strcmp(dot, ".json") == 0)
		return utf8_sanitize(base, (size_t)(dot - base));
	return utf8_sanitize(base, strlen(base));
}

static void
audit_date_bound(struct audit *a)
{
	struct ledger *l = a->ledger;
	char *q;
	int y, m, d;

	if (l->last_updated == NULL || !iso_date_parse(l->last_updated, &y, &m, &d) ||
	    y <= AUDIT_LATEST_YEAR)
		return;
	q = utf8_quote(l->last_updated, 40);
	diag_add(&a->diags, DIAG_WARNING, "audit.date-too-late",
	    l->source, "last_updated: %s is after the "
	    "year %d, no day a lab could have been saved; the report is not dated "
	    "by it", q, AUDIT_LATEST_YEAR);
	free(q);
	free(l->last_updated);
	l->last_updated = NULL;
}

struct audit *
audit_new(struct ledger *l, struct design *d, const struct scenario *s,
    const char *student)
{
	struct audit *a = xcalloc(1, sizeof *a);

	a->ledger = l;
	a->diags = d->diags;    /* the check's warnings first, then the model's */
	diag_init(&d->diags);
	a->student = student ? utf8_sanitize(student, strlen(student))
	                     : audit_student_from_path(l->source);
	act1_compute(l, &a->act1);
	capstone_read(d, &a->act1, &a->capstone);
	engine_eval(s, &a->capstone.config, &a->metrics);
	capstone_compare(d, &a->act1, &a->metrics, &a->capstone);
	audit_date_bound(a);
	return a;
}


void
audit_free(struct audit *a)
{
	if (a == NULL)
		return;
	ledger_free(a->ledger);
	diag_free(&a->diags);
	free(a->student);
	free(a->student_lang);
	free(a->student_origin);
	free(a);
}
