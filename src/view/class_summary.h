/*
 * class_summary: what a batch keeps of each student, and the class view
 * built from it.  A struct student_summary is small and fixed in size (no
 * pointers: it crosses a pipe from a worker to the batch driver); the
 * class summary adds them up one at a time, so its size does not grow
 * with the class (except the list of names with consistency notes, capped
 * at CLASS_MAX_NAMED).  The summary is rendered from templates/class.md
 * through the same template, Markdown, layout and PDF stages as a report.
 */
#ifndef ARCHAUDIT_CLASS_SUMMARY_H
#define ARCHAUDIT_CLASS_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "chart/chart.h"
#include "model/results.h"
#include "tmpl/tvalue.h"

#define CLASS_MAX_NAMED 200   /* students named in the consistency list */
#define CLASS_MAX_ROWS 2000   /* students in the roster table; the rest counted */
#define CLASS_MAX_SECTIONS 40 /* sections with a line of their own */
#define CLASS_SECTION_COLUMNS 6 /* sections that fit as columns of a table */
#define CLASS_MAX_ATTENTION 60 /* students in the "needs attention" list */
#define CLASS_FEW_LABS 5      /* fewer labs saved than this needs attention */
#define CLASS_HIST_BINS 1001  /* per-invariant histogram of rates, 0.1 % wide */

/* The headline numbers of one audit. */
struct student_summary {
	uint16_t completed;            /* bit c-1 set: lab c saved */
	uint16_t right;                /* bit c-1: lab c's prediction was right */
	uint16_t hit;                  /* bit c-1: lab c met a failure state */
	int8_t weakest;                /* invariant index 0..6 */
	bool weakest_from_data;        /* false: the lab's default */
	bool capstone_present;
	bool config_from_ledger;       /* false: the lab's default design */
	bool has_act1_prediction, act1_prediction_right;
	bool has_act2_prediction, act2_prediction_right;
	bool system_valid, slo_latency_ok, slo_cost_ok, slo_tput_ok;
	uint8_t oom;                   /* bit per tier that does not fit: 1 cloud,
	                                  2 edge, 4 mobile, 8 TinyML */
	uint8_t n_consistency_notes;
	uint16_t n_warnings;           /* warnings while reading (capped) */
	int n_gpus;
	double p99_ms;                 /* cloud P99, milliseconds */
	double cost_usd;               /* US dollars per request */
	double effective_accuracy;     /* fraction 0..1 */
	double post_drift_accuracy;    /* fraction 0..1 */
	char date[11];                 /* the ledger's last_updated day,
	                                  "YYYY-MM-DD", or "" when it has none */
};

void student_summary_from_audit(const struct audit *a, struct student_summary *out);
int student_summary_n_completed(const struct student_summary *s);
int student_summary_n_right(const struct student_summary *s);
int student_summary_n_hits(const struct student_summary *s);
double student_summary_pct_right(const struct student_summary *s); /* percent; 0 with no lab */
const char *student_summary_weakest_name(const struct student_summary *s); /* static */
/* Fraction of invariant i's saved labs predicted right; false when none saved. */
bool student_summary_invariant(const struct student_summary *s, int i, double *rate);

struct class_summary;
struct class_summary *class_summary_new(void);      /* caller frees */
/* Ledger days after the run's SOURCE_DATE_EPOCH (seconds) are not the
   class's date (a ledger dated in the future); call before any add. */
void class_summary_date_bound(struct class_summary *c, long long epoch);
void class_summary_free(struct class_summary *c);   /* NULL is a no-op */
/* Count one student, in class order; name (in language lang, NULL = not
   known) and section ("" = none) are shown in the roster table. */
void class_summary_add(struct class_summary *c, const struct student_summary *s,
    const char *name, const char *lang, const char *section);
/* Students with no report: their ledger failed (why: the first error), or
   the roster has none; listed by name with the reason. */
void class_summary_add_failed(struct class_summary *c, const char *name,
    const char *lang, const char *section, const char *why);
void class_summary_add_missing(struct class_summary *c, const char *name,
    const char *lang, const char *section, const char *why);
int class_summary_size(const struct class_summary *c); /* students with a report */

/* The class charts' inputs; valid while c lives and is not added to. */
void class_summary_charts(struct class_summary *c, const struct scenario *s,
    struct chart_inputs *in);
/*
 * The values templates/class.md sees (docs/templates.md); caller frees.
 * source_date: the run's SOURCE_DATE_EPOCH, NULL if none.
 */
struct tvalue *class_summary_model(struct class_summary *c, const struct scenario *s,
    const char *program, const long long *source_date);
/*
 * The names of the summary that have a language (layout.h), to be tagged
 * in it; returns how many.  They borrow c's strings; caller frees *out.
 */
struct layout_name;
size_t class_summary_names(const struct class_summary *c, struct layout_name **out);

#endif
