/*
 * ledger: reading and validating a Design Ledger file (spec section 1),
 * and the reader's types: struct ledger, whose labs the model takes as
 * plain values and whose capstone record only the check stage (check.h)
 * reads.
 */
#ifndef ARCHAUDIT_LEDGER_H
#define ARCHAUDIT_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

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
	char *act2_decision;    /* owned or NULL (absent, "none" or ""): a string,
	                           else the value's compact JSON text */
	bool has_act2_result;   /* act2_result is a finite number */
	double act2_result;
};

/*
 * What the capstone (chapter 16) saved, as written: the check stage
 * (check.h) types it, and nothing after it sees a struct lvalue.
 */
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

#define LEDGER_DEFAULT_MAX_BYTES ((size_t)16 << 20)  /* 16 MiB */

/*
 * Read path ("-" = standard input) into out, refusing more than max_bytes
 * (ledger_file.c).
 * Returns 0, or -1 with an error naming the file in errs.
 */
int ledger_read_file(const char *path, size_t max_bytes, struct buf *out,
    struct diag_list *errs);

/*
 * Validate the JSON text of one ledger.  Returns a new ledger (caller frees
 * with ledger_free) with warnings and notes in its diags, or NULL with a
 * fatal error ("source:line:col" and a caret line) in errs.
 */
struct ledger *ledger_parse(const char *source, const char *text, size_t len,
    struct diag_list *errs);

/* ledger_read_file then ledger_parse (ledger_file.c). */
struct ledger *ledger_load(const char *path, size_t max_bytes,
    struct diag_list *errs);

#endif
