/*
 * capstone: the capstone's reading (chapter 16, spec section 3).
 * Input: the checked design (check.h: the configuration, the predictions,
 * the stored values, already typed and warned about), the Act I result
 * and the metrics.  Output: the two predictions judged, and the
 * consistency notes that compare what the capstone stored with what is
 * recomputed now.  Pure: no I/O, no warnings (the check said them).
 */
#include "model/capstone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
capstone_read(const struct design *d, const struct act1 *a,
    struct capstone_reading *c)
{
	memset(c, 0, sizeof *c);
	c->config = d->config;
	c->present = d->present;
	c->config_from_ledger = d->present;
	c->act1_prediction = d->act1_prediction;
	c->has_act1_prediction = c->act1_prediction != NULL;
	c->act1_prediction_right = c->has_act1_prediction &&
	    strcmp(c->act1_prediction, a->act1_correct_answer) == 0;
	c->act2_prediction = d->act2_prediction;
	c->has_act2_prediction = c->act2_prediction != NULL;
	c->act2_prediction_right = c->has_act2_prediction &&
	    strcmp(c->act2_prediction, "tiny_oom") == 0;
}

/* ---- consistency notes ---------------------------------------------------- */

/* Copy src into dst[size], cut on a UTF-8 character boundary. */
static void
copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
note(struct capstone_reading *c, enum consistency_field f, const char *name,
    const char *stored, const char *recomputed)
{
	struct consistency_note *n = &c->notes[c->n_notes++];

	n->field = f;
	n->name = name;
	copy_cut(n->stored, sizeof n->stored, stored);
	copy_cut(n->recomputed, sizeof n->recomputed, recomputed);
}

/* Compare a stored number with v rounded to `decimals` places. */
static void
compare_rounded(struct capstone_reading *c, enum consistency_field f,
    const char *name, const struct stored_number *stored, double v, int decimals)
{
	char rounded[64];

	if (!stored->present)
		return;
	snprintf(rounded, sizeof rounded, "%.*f", decimals, v);
	if (strtod(rounded, NULL) != stored->v)
		note(c, f, name, stored->text, rounded);
}

static void
compare_bool(struct capstone_reading *c, enum consistency_field f,
    const char *name, const struct stored_bool *stored, bool v)
{
	if (stored->present && stored->v != v)
		note(c, f, name, stored->v ? "true" : "false", v ? "true" : "false");
}

void
capstone_compare(const struct design *d, const struct act1 *a,
    const struct metrics *m, struct capstone_reading *c)
{
	char tmp[64];

	c->n_notes = 0;
	if (!d->present)
		return;
	compare_rounded(c, CF_P99, "p99_latency_ms", &d->p99_ms, m->cloud_p99_ms, 2);
	compare_rounded(c, CF_COST, "total_cost_per_req", &d->cost_per_req,
	    m->cost_per_req_usd, 6);
	compare_bool(c, CF_SYSTEM_VALID, "system_valid", &d->system_valid,
	    m->system_valid);
	compare_bool(c, CF_CONSTRAINT_HIT, "constraint_hit", &d->constraint_hit,
	    m->constraint_hit);
	if (d->labs_completed.present && d->labs_completed.v != a->n_completed) {
		snprintf(tmp, sizeof tmp, "%d", a->n_completed);
		note(c, CF_LABS_COMPLETED, "labs_completed", d->labs_completed.text, tmp);
	}
	compare_rounded(c, CF_PCT_CORRECT, "pct_correct", &d->pct_correct,
	    a->pct_correct, 1);
	if (d->weakest_invariant != NULL &&
	    strcmp(d->weakest_invariant, a->inv[a->weakest].name) != 0)
		note(c, CF_WEAKEST_INVARIANT, "weakest_invariant",
		    d->weakest_invariant, a->inv[a->weakest].name);
}
