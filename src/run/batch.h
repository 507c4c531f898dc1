/*
 * batch: the driver of a run over many ledgers.  It takes a plan
 * (batch_plan.h), the run's prepared report env (template, fonts, census:
 * made once, before any worker starts) and runs the jobs in N worker
 * processes.  Workers share the env copy-on-write, take jobs by index
 * from a shared counter, write each report atomically (outfile.h) and send
 * back one small record per student.  The driver gathers the records in
 * plan order, so the CSV, the class summary and the bundle are the same
 * for any number of workers; it prints progress, diagnostics and the
 * final summary on standard error.
 */
#ifndef ARCHAUDIT_BATCH_H
#define ARCHAUDIT_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "run/batch_plan.h"
#include "view/gradebook.h"
#include "run/records.h"
#include "run/report.h"
#include "model/scenario.h"

#define BATCH_MAX_WORKERS 256

enum batch_status {
	BATCH_OK = 0,            /* every report written (or already there) */
	BATCH_SOME_FAILED = 1,   /* some ledger or output failed; the rest done */
	BATCH_TEMPLATE_FAULT = 2, /* the template failed a report: stopped there */
	BATCH_INTERRUPTED = 4    /* SIGINT or SIGTERM: stopped early */
};

struct batch_options {
	const char *out_dir;           /* reports go to OUT_DIR/<file>.pdf */
	bool markdown;                 /* write .md (the filled template) instead */
	unsigned workers;              /* processes, 1..BATCH_MAX_WORKERS */
	bool skip_existing;            /* keep a report already in place */
	bool quiet, verbose;           /* errors only / also notes */
	size_t max_bytes;              /* largest ledger read */
	const char *csv_path;          /* gradebook CSV; NULL = none */
	enum gradebook_format csv_format; /* its form: plain, canvas, moodle */
	const char *class_path;        /* class summary PDF; NULL = none */
	const struct report_template *class_tpl; /* needed with class_path */
	const char *bundle_path;       /* print bundle PDF; NULL = none */
	const char *records_path;      /* --records FILE.jsonl; NULL = none */
	const struct records_meta *records_meta; /* its roster, scenario, shard */
	const struct records_result *given; /* --merge: one per plan job, no
	                                  worker runs; out_dir NULL: the reports
	                                  are where the records say */
	const char *program;           /* "archaudit 0.1.0" */
};

struct batch_stats {
	size_t planned;                /* jobs in this run (this shard) */
	size_t written, existing, failed, missing, collisions, not_done;
	double seconds;                /* wall clock */
	int signal;                    /* the signal that stopped the run, or 0 */
};

/*
 * Run plan.  s and env must be ready (env NULL only with markdown off is
 * an error).  Returns an enum batch_status; the stats say what was done.
 */
int batch_run(const struct batch_plan *plan, const struct batch_options *o,
    const struct scenario *s, const struct report_env *env,
    struct batch_stats *st);

#endif
