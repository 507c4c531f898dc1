/*
 * gradebook: one CSV row per student, in archaudit's own form or in the
 * import forms of Canvas and Moodle (gradebook.h says what each holds).
 * Input: a struct gradebook_row; output: CSV text (csv.h) in a buffer.
 */
#include "view/gradebook.h"

#include <stdio.h>
#include <string.h>

#include "base/csv.h"

bool
gradebook_parse_format(const char *s, enum gradebook_format *out)
{
	static const char *const names[] = { "plain", "canvas", "moodle" };

	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum gradebook_format)i;
			return true;
		}
	return false;
}

static const char *const plain_columns[] = {
	"id", "name", "section", "ledger", "report", "status", "labs_completed",
	"predictions", "predictions_right", "predictions_right_pct",
	"constraint_failures", "weakest_invariant", "design", "cloud_p99_ms",
	"cost_per_request_usd", "post_drift_accuracy_pct", "system_valid",
	"consistency_notes", "warnings", "error"
};
#define N_PLAIN_FIGURES 13      /* the columns from labs_completed to warnings */

/*
 * The figures an LMS imports as grades: a column title, the points it is
 * out of, and the value (false: no grade, the cell stays empty).
 */
struct figure {
	const char *title;
	int points;
	bool (*value)(const struct student_summary *s, int *v);
};

static bool
labs_saved(const struct student_summary *s, int *v)
{
	*v = student_summary_n_completed(s);
	return true;
}

static bool
predictions_right(const struct student_summary *s, int *v)
{
	*v = student_summary_n_right(s);
	return true;
}

/* The capstone's three service targets; only for a design the student chose. */
static bool
targets_met(const struct student_summary *s, int *v)
{
	*v = s->slo_latency_ok + s->slo_cost_ok + s->slo_tput_ok;
	return s->config_from_ledger;
}

static const struct figure figures[] = {
	{ "Architect's Audit: labs saved", 15, labs_saved },
	{ "Architect's Audit: predictions right", 15, predictions_right },
	{ "Architect's Audit: capstone targets met", 3, targets_met },
};
#define N_FIGURES (sizeof figures / sizeof *figures)

static void
put_int(struct buf *b, int v)
{
	char tmp[16];
	snprintf(tmp, sizeof tmp, "%d", v);
	csv_put_number(b, false, tmp);
}

static void
put_figures(struct buf *b, const struct student_summary *s)
{
	for (size_t i = 0; i < N_FIGURES; i++) {
		int v;
		if (s != NULL && figures[i].value(s, &v))
			put_int(b, v);
		else
			csv_put_number(b, false, "");
	}
}

void
gradebook_header(struct buf *out, const struct gradebook_form *f)
{
	buf_puts(out, "\xef\xbb\xbf");      /* UTF-8 byte-order mark, for spreadsheets */
	switch (f->format) {
	case GRADEBOOK_PLAIN:
		for (size_t i = 0; i < sizeof plain_columns / sizeof *plain_columns; i++)
			csv_put_text(out, i == 0, plain_columns[i]);
		break;
	case GRADEBOOK_CANVAS:
		csv_put_text(out, true, "Student");
		csv_put_text(out, false, "ID");
		csv_put_text(out, false, "SIS User ID");
		csv_put_text(out, false, "SIS Login ID");
		csv_put_text(out, false, "Section");
		for (size_t i = 0; i < N_FIGURES; i++)
			csv_put_text(out, false, figures[i].title);
		csv_end_record(out);
		/* Canvas reads the points each new column is out of from here. */
		csv_put_text(out, true, "    Points Possible");
		for (int k = 0; k < 4; k++)
			csv_put_number(out, false, "");
		for (size_t i = 0; i < N_FIGURES; i++)
			put_int(out, figures[i].points);
		break;
	case GRADEBOOK_MOODLE:
		/* The column to map from first, the other for people to read. */
		csv_put_text(out, true, f->by_sis_id ? "ID number" : "Email address");
		csv_put_text(out, false, f->by_sis_id ? "Email address" : "ID number");
		csv_put_text(out, false, "Full name");
		for (size_t i = 0; i < N_FIGURES; i++)
			csv_put_text(out, false, figures[i].title);
		break;
	}
	csv_end_record(out);
}

static void
plain_row(struct buf *b, const struct gradebook_row *r)
{
	const struct student_summary *s = r->sum;

	csv_put_text(b, true, r->id);
	csv_put_text(b, false, r->name);
	csv_put_text(b, false, r->section);
	csv_put_text(b, false, r->ledger);
	csv_put_text(b, false, r->report);
	csv_put_text(b, false, r->status);
	if (s != NULL) {
		char tmp[64];
		int n = student_summary_n_completed(s);
		put_int(b, n);
		put_int(b, n);
		put_int(b, student_summary_n_right(s));
		fmt_fixed(tmp, sizeof tmp, student_summary_pct_right(s), 1);
		csv_put_number(b, false, tmp);
		put_int(b, student_summary_n_hits(s));
		csv_put_text(b, false, student_summary_weakest_name(s));
		csv_put_text(b, false, s->config_from_ledger ? "own" : "default");
		fmt_fixed(tmp, sizeof tmp, s->p99_ms, 1);
		csv_put_number(b, false, tmp);
		fmt_fixed(tmp, sizeof tmp, s->cost_usd, 9);
		csv_put_number(b, false, tmp);
		fmt_fixed(tmp, sizeof tmp, s->post_drift_accuracy * 100.0, 1);
		csv_put_number(b, false, tmp);
		csv_put_text(b, false, s->system_valid ? "yes" : "no");
		put_int(b, s->n_consistency_notes);
		put_int(b, s->n_warnings);
	} else {
		for (int k = 0; k < N_PLAIN_FIGURES; k++)
			csv_put_number(b, false, "");
	}
	csv_put_text(b, false, r->error);
}

bool
gradebook_row(struct buf *out, const struct gradebook_form *f,
    const struct gradebook_row *r)
{
	const char *key = f->by_sis_id ? r->sis_id : r->email;
	const char *other = f->by_sis_id ? r->email : r->sis_id;

	switch (f->format) {
	case GRADEBOOK_PLAIN:
		plain_row(out, r);
		break;
	case GRADEBOOK_CANVAS:
		csv_put_text(out, true, r->name);
		csv_put_number(out, false, r->lms_id ? r->lms_id : "");
		csv_put_text(out, false, r->sis_id);
		csv_put_text(out, false, r->email);
		csv_put_text(out, false, r->section);
		put_figures(out, r->sum);
		break;
	case GRADEBOOK_MOODLE:
		if (key[0] == '\0')
			return false;
		csv_put_text(out, true, key);
		csv_put_text(out, false, other);
		csv_put_text(out, false, r->name);
		put_figures(out, r->sum);
		break;
	}
	csv_end_record(out);
	return true;
}
