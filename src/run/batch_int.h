/*
 * batch_int: what batch.c (the workers and the parent's loop),
 * batch_say.c (messages and the progress line) and batch_outputs.c (before and after the run: stale temporary files, the
 * CSV and records streams, the class summary, the bundle, the closing
 * summary) share.  Private to those files.
 */
#ifndef ARCHAUDIT_BATCH_INT_H
#define ARCHAUDIT_BATCH_INT_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "run/batch.h"
#include "view/class_summary.h"
#include "view/gradebook.h"
#include "base/util.h"

#define WIRE_MAGIC 0x41524331u          /* "ARC1" */
#define MAX_TEXT ((size_t)64 << 10)     /* message bytes sent per job */
#define MAX_LISTED_FAILURES 100

enum outcome {
	OUT_PENDING, OUT_WRITTEN, OUT_EXISTING, OUT_FAILED, OUT_MISSING,
	OUT_COLLISION
};

/* One record on a worker's pipe, followed by text_len bytes of text. */
struct wire {
	uint32_t magic;
	uint32_t job;                   /* plan index */
	uint32_t outcome;               /* enum outcome */
	uint32_t reason_len;            /* the first bytes of text: why it failed */
	uint32_t text_len;              /* bytes of text: reason, then messages */
	uint32_t tmp_len;               /* then the written report's temporary file */
	uint32_t template_fault;        /* failed by the template, not the ledger */
	struct student_summary sum;
};

struct shared {
	atomic_ulong next;              /* next entry of todo[] to take */
	atomic_int stop;                /* set by the parent: take no more jobs */
	atomic_long current[BATCH_MAX_WORKERS]; /* plan index in progress, -1 none */
};

struct worker {
	pid_t pid;                      /* 0 when not running */
	int fd;                         /* read end of its pipe, -1 when closed */
	struct buf in;                  /* bytes read, not yet a whole record */
};

/*
 * What the parent keeps of each job is its outcome; the summary and the
 * reason only from when its result comes in until it is flushed to the
 * CSV, the records and the class summary, in plan order (struct run.win).
 */
struct result {
	struct student_summary sum;
	char *reason;                   /* owned; a failed job's error until flushed */
};

/* A text output written as the records come in order: CSV, records. */
struct stream {
	const char *path;               /* NULL: not written */
	FILE *f;                        /* the temporary file, or NULL */
	char *tmp;                      /* owned */
	bool failed;
	int err;                        /* why the first write failed */
};

struct run {
	const struct batch_plan *plan;
	const struct batch_options *o;
	const struct scenario *s;
	const struct report_env *env;
	struct batch_stats *st;
	const char *ext;                /* "pdf" or "md" */
	uint32_t *todo;                 /* owned; plan indices of the jobs to run */
	size_t n_todo;
	struct shared *sh;              /* shared mapping */
	struct worker w[BATCH_MAX_WORKERS];
	unsigned n_workers;
	pid_t parent;
	uint8_t *outcome;               /* owned; per plan job, enum outcome */
	bool *queued;                   /* owned; per plan job: written to a temporary
	                                   file, not yet committed */
	struct result *win;             /* owned; jobs [flushed, flushed + win_cap) at
	                                   j % win_cap, a power of two */
	size_t win_cap;
	size_t flushed;                 /* jobs [0, flushed) went to the CSV and class */
	size_t done;                    /* jobs of todo with a result */
	struct buf failures;            /* lines for the final summary */
	size_t n_failures_listed;
	bool stopping;
	bool template_fault;            /* a report failed by the template: stop */
	bool late_signal;               /* the signal came after the CSV and class summary */
	int respawns;
	struct stream csv;              /* the gradebook (--csv) */
	struct gradebook_form csv_form;  /* the CSV's form, fixed when it opens */
	struct stream records;          /* --records */
	struct class_summary *cls;      /* owned, or NULL */
	size_t *q_job;                  /* owned; reports written, awaiting one sync */
	struct student_summary *q_sum;  /* owned */
	char **q_tmp, **q_dst;          /* owned: their temporary and final names */
	size_t n_queued;
	bool tty;                       /* progress as one updating line */
	bool line_shown;                /* a progress line is on the terminal */
	double t0, last_draw;           /* seconds, monotonic */
	int last_tenth;
};

/* batch.c and batch_say.c (the messages) */
double batch_now(void);
char *batch_out_path(const struct run *r, const struct batch_job *j);
void batch_clear_progress(struct run *r);
/* The progress line: redrawn (force: now) on a terminal, else each tenth. */
void batch_progress(struct run *r, bool force);
void batch_say(struct run *r, const char *text, size_t len);
void batch_sayf(struct run *r, const char *fmt, ...) ATTR_PRINTF(2, 3);
void batch_format_diags(const struct diag_list *dl, const struct batch_options *o,
    const char *label, struct buf *out);
void batch_first_error(const struct diag_list *dl, const char *label, struct buf *out);
void batch_stream_put(struct stream *o, const struct buf *b);
void batch_take_result(struct run *r, size_t j, enum outcome o, const struct student_summary *sum,
    const char *reason, size_t reason_len);
int batch_signal(void);

/* batch_outputs.c */
void batch_remove_stale_temps(struct run *r);
bool batch_out_dir_writable(struct run *r);
void batch_open_csv(struct run *r);
void batch_open_records(struct run *r);
void batch_say_diags(struct run *r, const char *path, const struct diag_list *dl);
bool batch_finish_stream(struct run *r, struct stream *o);
void batch_abort_stream(struct stream *o);
bool batch_write_class_summary(struct run *r);
bool batch_write_bundle(struct run *r);
void batch_print_summary(struct run *r, bool outputs_ok);
void batch_take_given(struct run *r);

#endif
