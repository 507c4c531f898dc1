/*
 * audit: the model of one ledger: the Act I archaeology and the capstone
 * reading computed from a read ledger (ledger.h), with the engine's
 * metrics (spec sections 2 to 4).  Pure functions; no I/O; no foreign
 * types.
 */
#ifndef ARCHAUDIT_AUDIT_H
#define ARCHAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "ledger.h"
#include "scenario.h"
#include "util.h"

/* Act I (section 2). */
#define N_INVARIANTS 7
struct invariant_score {
	const char *name;       /* static: "Iron Law" ... */
	double correct_rate;    /* fraction 0..1; 0.5 when n == 0 */
	double hit_rate;        /* fraction 0..1; 0.0 when n == 0 */
	int n;                  /* chapters of this invariant present */
};

enum rec_kind { REC_COMPRESSION, REC_P99, REC_CADENCE };
struct recommendation {
	enum rec_kind kind;
	const char *value_str;  /* borrowed from the ledger; NULL for REC_P99 */
	double value_ms;        /* REC_P99: the student's Lab 13 P99, milliseconds */
};

struct act1 {
	int n_completed, n_predictions, n_correct, n_hits;
	double pct_correct;     /* percent 0..100 */
	int completed[N_LABS];  /* ascending chapters, n_completed of them */
	int hit_chapters[N_LABS];
	int ctx_counts[CTX_COUNT];
	enum context fav_context;
	struct invariant_score inv[N_INVARIANTS];
	int weakest;            /* index into inv */
	const char *act1_correct_answer; /* static: "memory_bw" ... */
	struct recommendation recs[3];
	int n_recs;
	bool sparse;
};

const char *rec_kind_name(enum rec_kind k);
/* The chapters of invariant i (0..6); returns how many. */
int invariant_chapters(int i, const int **chapters);
void act1_compute(const struct ledger *l, struct act1 *a);

/* Capstone reading (section 3). */
enum consistency_field {
	CF_P99, CF_COST, CF_SYSTEM_VALID, CF_CONSTRAINT_HIT, CF_LABS_COMPLETED,
	CF_PCT_CORRECT, CF_WEAKEST_INVARIANT, CF_COUNT
};
struct consistency_note {
	enum consistency_field field;
	const char *name;       /* static: the capstone's key */
	char stored[64];        /* as the capstone stored it */
	char recomputed[64];    /* as recomputed here, same rounding */
};

struct capstone_reading {
	bool present;
	bool config_from_ledger;        /* false: the lab default, config_source "default" */
	struct config config;
	bool has_act1_prediction, act1_prediction_right;
	const char *act1_prediction;    /* borrowed; NULL when absent */
	bool has_act2_prediction, act2_prediction_right;
	const char *act2_prediction;    /* borrowed */
	struct consistency_note notes[CF_COUNT];
	int n_notes;
};

/* Reads the configuration (warnings into dl), then compares stored values. */
void capstone_read(const struct ledger *l, const struct act1 *a,
    const struct scenario *s, struct capstone_reading *c, struct diag_list *dl);
void capstone_compare(const struct ledger *l, const struct act1 *a,
    const struct metrics *m, struct capstone_reading *c);

/* Everything known about one ledger: what the report and --json show. */
struct audit {
	struct ledger *ledger;  /* owned */
	struct act1 act1;
	struct capstone_reading capstone;
	struct metrics metrics;
	char *student;          /* owned; display name */
	char *student_lang;     /* owned or NULL: BCP 47 language of the name (roster) */
	char *student_origin;   /* owned or NULL: where the name came from ("roster.csv:4") */
	struct diag_list diags; /* warnings from reading the capstone */
};

/*
 * Run Act I, the capstone reading and the engine on a validated ledger.
 * A last_updated after AUDIT_LATEST_YEAR (9999-12-31, say) is no day a lab
 * was saved: a warning, and it dates neither the report nor the class
 * summary.  Takes ownership of l.  student may be NULL: the file stem is used.
 * Caller frees with audit_free.
 */
struct audit *audit_new(struct ledger *l, const struct scenario *s,
    const char *student);
void audit_free(struct audit *a);      /* NULL is a no-op */
#define AUDIT_LATEST_YEAR 2100   /* a ledger day after it dates nothing */

/* "dir/alice.json" -> "alice"; "-" -> "stdin".  Caller frees. */
char *audit_student_from_path(const char *path);

/* One section-6 object, on one line (indent 0) or pretty. */
void audit_write_json(const struct audit *a, const struct scenario *s,
    struct buf *out, int indent);

#endif
