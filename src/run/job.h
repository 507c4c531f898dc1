/*
 * job: one student's pipeline, read -> check -> model -> output, the same
 * for --json (main.c) and for each batch worker (batch.c).  The input is
 * a ledger file, standard input or an entry of a submissions zip; the
 * output is the JSON object of spec section 6, the report's PDF or its
 * Markdown.  Every message of the job goes to one sink, job->diags, in
 * the order the stages gave them.
 */
#ifndef ARCHAUDIT_JOB_H
#define ARCHAUDIT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/report.h"
#include "model/results.h"
#include "base/util.h"

struct job_input {
	const char *path;          /* the ledger, "-" (standard input) or a zip */
	const char *member;        /* the zip's entry holding the ledger, or NULL */
	uint64_t member_index;     /* that entry's index */
	const char *refused;       /* why the zip's entry is not read, or NULL */
	const char *source;        /* the name in messages ("<stdin>", "ZIP:ENTRY") */
	const char *student;       /* display name, or NULL: the file's stem */
	const char *lang;          /* the name's BCP 47 language, or NULL */
	const char *origin;        /* where the name came from ("roster.csv:4"), or NULL */
	size_t max_bytes;          /* the largest ledger read */
};

enum job_output { JOB_JSON, JOB_PDF, JOB_MARKDOWN };

struct job {
	struct buf bytes;          /* the ledger as read */
	struct results *results;   /* owned; NULL when the ledger was not read */
	struct diag_list diags;    /* every message of the job */
};

void job_init(struct job *j);
void job_free(struct job *j);

/*
 * Read, check and model the ledger of in: j->results, with the reader's
 * and the model's warnings in j->diags.  c (the run's grid) may be NULL
 * when no output places the design in it (--json).  Returns 0, or -1
 * with the error in j->diags and no results.
 */
int job_model(struct job *j, const struct job_input *in,
    const struct scenario *s, const struct census *c);

/*
 * The output of a modelled job appended to out: the JSON object on one
 * line (env may be NULL), or the report.  Returns 0, -1 with the error
 * in j->diags, or REPORT_TEMPLATE_FAULT (report.h).
 */
int job_output(struct job *j, enum job_output what, const struct report_env *env,
    struct buf *out);

#endif
