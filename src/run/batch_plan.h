/*
 * batch_plan: the list of reports a batch will make, decided before any
 * ledger is read.  Operands (already expanded by inputs.c) and an optional
 * roster become jobs in a fixed order: the roster's order, then any
 * ledger the roster does not list, by file name; without a roster, by
 * file name.  Each job gets the student's display name and a safe output
 * file name; two jobs that would write the same file are both marked.
 * --shard K/N then keeps the K-th of N contiguous slices of that order, so
 * N runs together cover every job exactly once.  Pure apart from
 * realpath() on the ledger paths.
 */
#ifndef ARCHAUDIT_BATCH_PLAN_H
#define ARCHAUDIT_BATCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/roster.h"
#include "base/util.h"

#define BATCH_MAX_SHARDS 1000000
#define BATCH_FILE_NAME_MAX 200   /* bytes of an output file name, without extension */

enum batch_job_state {
	JOB_RUN,        /* read the ledger and write its report */
	JOB_MISSING,    /* a roster row without a ledger: no report */
	JOB_COLLISION,  /* would write the same file as another job: no report */
	JOB_REFUSED     /* a submissions-zip entry (or zip) that may not be read */
};

/*
 * What few jobs have: most share one of these with every field empty, so
 * that a plan for a big class holds 72 bytes a job instead of 128.
 */
struct batch_job_more {
	char *email, *sis_id;   /* from the roster, "" otherwise (LMS gradebooks) */
	char *member;           /* the entry of the zip at path holding the
	                           ledger (lms_zip.h), NULL for a plain file */
	uint64_t member_index;  /* that entry's index in the zip */
	char *source;           /* "ZIP:ENTRY" for messages, NULL = path */
	char *lms_id;           /* the LMS's user id from a zip, "" otherwise */
	int lms;                /* enum lms_kind of that zip */
};

/* The rare fields of most jobs: all empty. */
extern const struct batch_job_more batch_job_no_more;

struct batch_job {
	/* the strings are the plan's (struct batch_plan.strings), but problem;
	 * file may be student's own string */
	enum batch_job_state state;
	int roster_line;        /* the roster row, 1-based; 0 = not in the roster */
	char *path;             /* the ledger ("-" = standard input); NULL when missing */
	char *student;          /* display name */
	char *file;             /* output file name without extension */
	char *id, *section;     /* from the roster, "" otherwise */
	char *lang;             /* the roster's lang for the name, "" otherwise */
	const struct batch_job_more *more; /* never NULL; the plan's (or shared) */
	char *problem;          /* owned or NULL: why the job is not run, or a warning
	                           about it ("not in the roster"), without the file name */
};

struct batch_plan {
	struct batch_job *jobs; /* owned; in batch order */
	struct arena strings;   /* owns the jobs' strings (but their problems) */
	size_t n, cap;
	size_t n_total;         /* jobs before sharding */
	size_t first;           /* position of jobs[0] in the whole order */
	char *roster;           /* owned; the roster's path, NULL without one */
};

/*
 * Plan jobs for paths[0..n_paths) (ledger files or "-") and roster r
 * (NULL: none).  With a roster and no paths, the roster's ledgers are the
 * inputs.  Never fails: problems are recorded in the jobs.
 */
void batch_plan_make(struct batch_plan *p, const char *const *paths, size_t n_paths,
    const struct roster *r);
void batch_plan_free(struct batch_plan *p);
/* Where a job's ledger is read from, for messages: "ZIP:ENTRY", the path,
 * "<stdin>", or the student's name when there is no ledger. */
const char *batch_job_source(const struct batch_job *j);

/* Keep only shard k of n (1 <= k <= n) of the plan. */
void batch_plan_shard(struct batch_plan *p, unsigned k, unsigned n);
/* The jobs [*lo, *hi) of shard k of n over total jobs. */
void batch_shard_range(size_t total, unsigned k, unsigned n, size_t *lo, size_t *hi);
/* "K/N" with 1 <= K <= N <= BATCH_MAX_SHARDS; 0, or -1 when malformed. */
int batch_parse_shard(const char *s, unsigned *k, unsigned *n);

/*
 * A file name for a student's display name: UTF-8 letters and spaces
 * kept; "/", "\", control characters and : * ? " < > | become "_"; bidi
 * and zero-width marks are dropped; no leading "." or space; at most
 * BATCH_FILE_NAME_MAX bytes; "student" if nothing is left.  Caller frees.
 */
char *batch_file_name(const char *student);

/* Would files named a and b be one file on a file system that folds case
 * and Unicode normalization?  (batch_name_key of each, compared.) */
bool batch_file_names_clash(const char *a, const char *b);
/* The form in which two names clash when equal (strcmp).  Caller frees. */
char *batch_name_key(const char *name);

#endif
