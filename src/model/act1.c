/*
 * act1: the Act I ledger archaeology (spec section 2).
 * Input: a validated struct ledger.  Output: struct act1 — labs completed,
 * predictions right, constraint failures, contexts, the seven invariant
 * scores, the weakest invariant and the recommendations for Act II.
 * Pure: no I/O, no allocation.
 */
#include "model/act1.h"

#include <string.h>

const char *
rec_kind_name(enum rec_kind k)
{
	switch (k) {
	case REC_COMPRESSION:
		return "compression";
	case REC_P99:
		return "p99";
	default:
		return "cadence";
	}
}

/* The seven invariants, their chapters, and the Act I answer each implies. */
static const struct {
	const char *name;
	int chapters[2];
	int n;
	const char *answer;
} invariants[N_INVARIANTS] = {
	{ "Iron Law", { 2 }, 1, "memory_bw" },
	{ "Memory Wall", { 5, 8 }, 2, "memory_bw" },
	{ "Amdahl", { 6, 12 }, 2, "serial_fraction" },
	{ "Roofline", { 7, 11 }, 2, "memory_bw" },
	{ "Little's Law", { 13 }, 1, "queuing" },
	{ "Drift", { 3, 14 }, 2, "drift" },
	{ "Fairness", { 15 }, 1, "drift" },
};

#define DEFAULT_WEAKEST 1       /* "Memory Wall" when no invariant has data */

int
invariant_chapters(int i, const int **chapters)
{
	*chapters = invariants[i].chapters;
	return invariants[i].n;
}

const char *
invariant_name(int i)
{
	return invariants[i].name;
}

void
act1_compute(const struct ledger *l, struct act1 *a)
{
	memset(a, 0, sizeof *a);
	for (int c = 1; c <= N_LABS; c++) {
		const struct lab_record *r = &l->lab[c];
		if (!r->present)
			continue;
		a->completed[a->n_completed++] = c;
		if (r->act1_correct)
			a->n_correct++;
		if (r->constraint_hit)
			a->hit_chapters[a->n_hits++] = c;
		if (r->context != CTX_NONE)
			a->ctx_counts[r->context]++;
	}
	a->n_predictions = a->n_completed;
	a->pct_correct = a->n_predictions > 0
	    ? (double)a->n_correct / a->n_predictions * 100.0 : 0.0;

	a->fav_context = CTX_CLOUD;
	for (int c = 1; c < CTX_COUNT; c++)
		if (a->ctx_counts[c] > a->ctx_counts[a->fav_context])
			a->fav_context = c;

	a->weakest = -1;
	for (int i = 0; i < N_INVARIANTS; i++) {
		struct invariant_score *s = &a->inv[i];
		int correct = 0, hits = 0;
		s->name = invariants[i].name;
		s->n = 0;
		for (int k = 0; k < invariants[i].n; k++) {
			const struct lab_record *r = &l->lab[invariants[i].chapters[k]];
			if (!r->present)
				continue;
			s->n++;
			correct += r->act1_correct;
			hits += r->constraint_hit;
		}
		if (s->n == 0) {
			s->correct_rate = 0.5;
			s->hit_rate = 0.0;
			continue;
		}
		s->correct_rate = (double)correct / s->n;
		s->hit_rate = (double)hits / s->n;
		if (a->weakest < 0 || s->correct_rate < a->inv[a->weakest].correct_rate)
			a->weakest = i;
	}
	if (a->weakest < 0)
		a->weakest = DEFAULT_WEAKEST;
	a->act1_correct_answer = invariants[a->weakest].answer;

	const struct lab_record *r10 = &l->lab[10], *r13 = &l->lab[13], *r14 = &l->lab[14];
	/* a decision absent, "none" or "" is none (ledger.h) */
	if (r10->present && r10->act2_decision != NULL) {
		a->recs[a->n_recs].kind = REC_COMPRESSION;
		a->recs[a->n_recs++].value_str = r10->act2_decision;
	}
	/* not finite: never a P99 (spec section 1, a deviation from the lab) */
	if (r13->present && r13->has_act2_result && r13->act2_result > 200) {
		a->recs[a->n_recs].kind = REC_P99;
		a->recs[a->n_recs++].value_ms = r13->act2_result;
	}
	if (r14->present && r14->act2_decision != NULL) {
		a->recs[a->n_recs].kind = REC_CADENCE;
		a->recs[a->n_recs++].value_str = r14->act2_decision;
	}
	a->sparse = a->n_completed < N_LABS;
}
