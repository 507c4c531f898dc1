/*
 * records: what a batch run knows of each student, as JSON Lines
 * (`--records FILE.jsonl`), and the merge of several shards' records back
 * into one plan with its results (`--merge`), so that the class summary,
 * the gradebook and the bundle of a cohort split over many machines are
 * made once, byte for byte as a single run would make them.
 *
 * A records file is a header line, then one line per student of the run
 * in plan order:
 *   {"archaudit_records":1,"roster":PATH|null,"roster_sha256":HEX|null,
 *    "scenario_sha256":HEX|null,"total":N,"shard":[K,N],"first":I,"count":M}
 *   {"index":I,"state":"run|missing|collision|refused","status":WORD,
 *    "name":...,"file":...,"id":...,"section":...,"lang":...,"email":...,
 *    "sis_id":...,"lms_id":...,"lms":0|1|2,"ledger":SOURCE|null,
 *    "roster_line":L,"error":TEXT|null,"report":PATH|null,
 *    "report_bytes":B,"report_sha256":HEX|null,"summary":{...}|null}
 *
 * The writing is run/records.c's; the reading (records_merge) is the read
 * stage's, read/records_read.c, the only one that parses the JSON.
 */
#ifndef ARCHAUDIT_RECORDS_H
#define ARCHAUDIT_RECORDS_H

#include <stddef.h>

#include "run/batch_plan.h"
#include "view/class_summary.h"
#include "base/util.h"

#define RECORDS_VERSION 1

/* The "state" words, indexed by enum batch_job_state. */
extern const char *const records_state_words[4];

/* What a run is: the same for every shard of one cohort. */
struct records_meta {
	char *roster;           /* owned; the roster's path, or NULL */
	char roster_sha[65];    /* "" without a roster */
	char scenario_sha[65];  /* "" for the lab's own constants */
	size_t total;           /* students of the whole cohort */
	unsigned shard_k, shard_n; /* 1/1 for an unsharded run */
	size_t first, count;    /* this file's students: [first, first + count) */
};

/* The SHA-256 of the file at path as hex into hex, or -1 (hex ""). */
int records_file_sha(const char *path, char hex[65]);

void records_header(struct buf *out, const struct records_meta *m);
/*
 * One student: job j of the plan (index = plan first + j), its status
 * word, its error (or NULL), the report's path when one exists (hashed
 * here), and its summary (NULL without a report).
 */
void records_line(struct buf *out, size_t index, const struct batch_job *job,
    const char *status, const char *error, const char *report,
    const struct student_summary *sum);

/* One student of the merged cohort. */
struct records_result {
	char *status;           /* owned; the status word */
	char *error;            /* owned or NULL */
	char *report;           /* owned or NULL: where the report is */
	char report_sha[65];
	long long report_bytes;
	bool has_sum;
	struct student_summary sum;
};

/*
 * Read the records files paths[0..n) of one cohort's shards into plan
 * (the whole cohort in order) and res (one per job, caller frees with
 * records_results_free).  Every file must come from the same run (roster,
 * scenario, size, number of shards), every shard be there exactly once,
 * and every report still be what its record says.  Returns 0, or -1 with
 * each problem, naming its file, in dl.
 */
int records_merge(const char *const *paths, size_t n, struct batch_plan *plan,
    struct records_result **res, struct records_meta *meta, struct diag_list *dl);
void records_results_free(struct records_result *res, size_t n);
void records_meta_free(struct records_meta *m);

#endif
