/*
 * audit: the plain model of one ledger after reading and validation, and
 * the Act I archaeology and capstone reading computed from it (spec
 * sections 1 to 3).  Pure functions; no I/O; no foreign types.
 */
#ifndef ARCHAUDIT_AUDIT_H
#define ARCHAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "scenario.h"
#include "util.h"

#define N_LABS 15          /* Volume I labs are chapters 1..15 */
#define CAPSTONE_CHAPTER 16

enum context { CTX_CLOUD, CTX_EDGE, CTX_MOBILE, CTX_TINY, CTX_COUNT, CTX_NONE = -1 };
const char *context_name(enum context c);    /* "cloud" ... */

/* A value as the ledger wrote it, reduced to what the model needs. */
enum lvalue_kind { LV_ABSENT, LV_NULL, LV_BOOL, LV_NUMBER, LV_STRING, LV_OTHER };
struct lvalue {
	enum lvalue_kind kind;
	bool b;                 /* LV_BOOL */
	double num;             /* LV_NUMBER */
	char *str;              /* owned; LV_STRING: the string; LV_OTHER: compact JSON text */
	bool truthy;            /* the lab's truthiness of the value */
};

/* The winning (last) design saved for one chapter. */
struct lab_record {
	bool present;
	size_t entry_index;     /* index in history[] of the winning entry */
	bool act1_correct;      /* truthy */
	bool constraint_hit;    /* truthy */
	enum context context;   /* CTX_NONE when it counts for no context */
	struct lvalue act2_decision;
	struct lvalue act2_result;
};

/* What the capstone (chapter 16) saved, as written. */
struct capstone_record {
	bool present;
	size_t entry_index;
	struct lvalue cloud_hardware, quantization_strategy, serving_strategy;
	struct lvalue tier_assignments;     /* the whole object, as text */
	struct lvalue tier_cloud, tier_edge, tier_mobile, tier_tiny;
	struct lvalue retraining_cadence_days, fairness_threshold_pct;
	struct lvalue act1_prediction, act2_prediction;
	/* values the capstone computed when the student ran it */
	struct lvalue p99_latency_ms, total_cost_per_req, system_valid;
	struct lvalue constraint_hit, labs_completed, pct_correct, weakest_invariant;
};

/* A ledger after reading and validation: no special cases left. */
struct ledger {
	char *source;           /* owned; path as given ("-" for stdin) */
	char *track;            /* owned or NULL; informational */
	char *last_updated;     /* owned or NULL; informational */
	struct lab_record lab[N_LABS + 1];  /* index 1..15; [0] unused */
	bool lab_seen[CAPSTONE_CHAPTER + 1]; /* a valid entry exists for 1..16 */
	struct capstone_record capstone;
	size_t n_history;       /* entries in history[] */
	size_t n_skipped;       /* invalid entries skipped */
	size_t n_vol2;          /* Volume II (string chapter) entries left out */
	size_t n_other;         /* valid entries outside chapters 1..16 */
	struct diag_list diags; /* warnings and notes from reading */
};

void ledger_free(struct ledger *l);   /* NULL is a no-op; frees l itself */
void lvalue_free(struct lvalue *lv);

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
	struct diag_list diags; /* warnings from reading the capstone */
};

/*
 * Run Act I, the capstone reading and the engine on a validated ledger.
 * Takes ownership of l.  student may be NULL: the file stem is used.
 * Caller frees with audit_free.
 */
struct audit *audit_new(struct ledger *l, const struct scenario *s,
    const char *student);
void audit_free(struct audit *a);      /* NULL is a no-op */

/* "dir/alice.json" -> "alice"; "-" -> "stdin".  Caller frees. */
char *audit_student_from_path(const char *path);

/* One section-6 object, on one line (indent 0) or pretty. */
void audit_write_json(const struct audit *a, const struct scenario *s,
    struct buf *out, int indent);

#endif
