/*
 * act1: the Act I archaeology of one read ledger (spec section 2): what
 * the student completed, predicted and hit, per invariant and per
 * context, and the three recommendations.  Pure functions; no I/O.
 */
#ifndef ARCHAUDIT_ACT1_H
#define ARCHAUDIT_ACT1_H

#include <stdbool.h>

#include "read/ledger.h"

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
const char *invariant_name(int i);     /* "Iron Law" ... (0..6) */
void act1_compute(const struct ledger *l, struct act1 *a);

#endif
