/*
 * check: the capstone's fields checked and typed (check.h).  Input: the
 * read ledger's capstone record (JSON kinds) and the scenario.  Output: a
 * struct design and a warning for each repair, in the order the fields
 * are checked.  The domain of each setting is here; the lab's sliders are
 * the scenario's grid.  Pure: warnings go to the design's own list
 * (audit_new takes it over); no I/O.
 */
#include "read/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBE_LIMIT 60         /* bytes of a student's string in a message */

/*
 * The domain of each numeric setting (spec section 3): outside it a value
 * is unreadable and takes the lab default; inside it but outside the lab's
 * sliders it is evaluated as given.
 */
#define GPUS_MIN 1
#define GPUS_MAX 100000
#define CADENCE_MIN 0
#define CADENCE_MAX 365
#define FAIRNESS_MIN 0
#define FAIRNESS_MAX 100

/* "H100x<N>" with N decimal digits: true with N (capped) in *n. */
static bool
parse_hardware(const char *s, long *n)
{
	char *end;

	if (strncmp(s, "H100x", 5) != 0 || s[5] < '0' || s[5] > '9')
		return false;
	*n = strtol(s + 5, &end, 10);
	return *end == '\0';
}

/* A whole number (finite, integral): true with it (capped) in *n. */
static bool
parse_whole(const struct lvalue *v, long *n)
{
	if (v->kind != LV_NUMBER || !isfinite(v->num) || floor(v->num) != v->num)
		return false;
	*n = fabs(v->num) > 1e9 ? (v->num < 0 ? -1000000000L : 1000000000L)
	    : (long)v->num;
	return true;
}

/* The check in progress: the ledger, where warnings go, the entry's index. */
struct reader {
	const struct ledger *l;
	struct diag_list *dl;
	size_t idx;
};

static void
fallback(struct reader *r, const char *key, const struct lvalue *v,
    const char *expected, const char *dflt)
{
	/* a string is the student's text: quoted, escaped and cut */
	char *got = v->kind == LV_STRING ? utf8_quote(v->str, DESCRIBE_LIMIT)
	    : NULL;

	if (v->kind == LV_ABSENT)
		diag_add(r->dl, DIAG_WARNING, "check.design-missing",
		    r->l->source,
		    "history[%zu].design.%s: missing; using the lab default %s",
		    r->idx, key, dflt);
	else
		diag_add(r->dl, DIAG_WARNING, "check.design-type", r->l->source,
		    "history[%zu].design.%s: expected %s, got %s; using the "
		    "lab default %s", r->idx, key, expected, got ? got : v->str,
		    dflt);
	free(got);
}

/* A whole number outside the setting's domain: unreadable, the default. */
static void
outside_domain(struct reader *r, const char *key, const struct lvalue *v,
    long lo, long hi, const char *unit, const char *dflt)
{
	char *got = v->kind == LV_STRING ? utf8_quote(v->str, DESCRIBE_LIMIT)
	    : NULL;

	diag_add(r->dl, DIAG_WARNING, "check.design-impossible", r->l->source,
	    "history[%zu].design.%s: %s is not a possible setting (%ld to "
	    "%ld %s); using the lab default %s", r->idx, key,
	    got ? got : v->str, lo, hi, unit, dflt);
	free(got);
}

/*
 * A whole-number setting: *out keeps its default unless v is a whole
 * number inside lo..hi.
 */
static void
read_whole(struct reader *r, const char *key, const struct lvalue *v,
    long lo, long hi, const char *expected, const char *unit, int *out)
{
	char dflt[32];
	long n;

	snprintf(dflt, sizeof dflt, "%d %s", *out, unit);
	if (!parse_whole(v, &n))
		fallback(r, key, v, expected, dflt);
	else if (n < lo || n > hi)
		outside_domain(r, key, v, lo, hi, unit, dflt);
	else
		*out = (int)n;
}

static void
range_check(struct reader *r, const char *key, int v, int lo, int hi,
    const char *unit)
{
	if (v < lo || v > hi)
		diag_add(r->dl, DIAG_WARNING, "check.design-out-of-range",
		    r->l->source,
		    "history[%zu].design.%s: %d %s is outside the lab's range "
		    "%d to %d; evaluated as given", r->idx, key, v, unit, lo, hi);
}

static void
read_quant(struct reader *r, const char *key, const struct lvalue *v,
    enum quant *q)
{
	if (v->kind == LV_STRING && quant_parse(v->str, q))
		return;
	fallback(r, key, v, "one of fp16, int8, int4, ternary", quant_name(*q));
}

/*
 * A value the capstone stored, of the wrong type: said once here, because
 * capstone_compare skips it silently.
 */
static void
stored_type(struct reader *r, const char *key, const struct lvalue *v,
    enum lvalue_kind want, const char *what)
{
	if (v->kind == LV_ABSENT || v->kind == want)
		return;
	char *got = v->kind == LV_STRING ? utf8_quote(v->str, DESCRIBE_LIMIT)
	    : NULL;
	diag_add(r->dl, DIAG_WARNING, "check.design-type-kept", r->l->source,
	    "history[%zu].design.%s: expected %s, got %s; %s", r->idx, key,
	    want == LV_NUMBER ? "a number" : want == LV_BOOL ? "true or false"
	    : "a string", got ? got : v->str, what);
	free(got);
}

/* A prediction counts when it is a string other than "none" and "". */
static const char *
prediction(struct reader *r, const char *key, const struct lvalue *v)
{
	if (v->kind == LV_ABSENT)
		return NULL;
	if (v->kind != LV_STRING) {
		diag_add(r->dl, DIAG_WARNING, "check.prediction-type",
		    r->l->source,
		    "history[%zu].design.%s: expected a string, got %s; treated "
		    "as no prediction", r->idx, key, v->str);
		return NULL;
	}
	if (v->str[0] == '\0' || strcmp(v->str, "none") == 0)
		return NULL;
	return v->str;
}

/* A stored number, or absent. */
static void
stored_number(const struct lvalue *v, struct stored_number *out)
{
	out->present = v->kind == LV_NUMBER;
	out->v = v->num;
	out->text = v->str;
}

static void
stored_bool(const struct lvalue *v, struct stored_bool *out)
{
	out->present = v->kind == LV_BOOL;
	out->v = v->b;
}

/* The cloud tier's GPUs: "H100x<N>", else the default. */
static void
check_hardware(struct reader *r, const struct capstone_record *cap,
    const struct scenario *s, struct config *c)
{
	char dflt[32];
	long gpus;

	snprintf(dflt, sizeof dflt, "H100x%d", c->n_gpus);
	if (!(cap->cloud_hardware.kind == LV_STRING &&
	    parse_hardware(cap->cloud_hardware.str, &gpus)))
		fallback(r, "cloud_hardware", &cap->cloud_hardware,
		    "\"H100x<N>\" with N a whole number of GPUs", dflt);
	else if (gpus < GPUS_MIN || gpus > GPUS_MAX)
		outside_domain(r, "cloud_hardware", &cap->cloud_hardware,
		    GPUS_MIN, GPUS_MAX, "GPUs", dflt);
	else
		c->n_gpus = (int)gpus;
	range_check(r, "cloud_hardware", c->n_gpus, s->grid.n_gpus_min,
	    s->grid.n_gpus_max, "GPUs");
}

/* Quantization per tier and the serving strategy. */
static void
check_strategies(struct reader *r, const struct capstone_record *cap,
    struct config *c)
{
	/* cloud: the tier assignment, else the overall quantization strategy */
	if (!(cap->tier_cloud.kind == LV_STRING &&
	    quant_parse(cap->tier_cloud.str, &c->quant_cloud)))
		read_quant(r, cap->tier_cloud.kind != LV_ABSENT
		    ? "tier_assignments.cloud" : "quantization_strategy",
		    cap->tier_cloud.kind != LV_ABSENT ? &cap->tier_cloud
		    : &cap->quantization_strategy, &c->quant_cloud);
	read_quant(r, "tier_assignments.edge", &cap->tier_edge, &c->quant_edge);
	read_quant(r, "tier_assignments.mobile", &cap->tier_mobile,
	    &c->quant_mobile);

	if (!(cap->serving_strategy.kind == LV_STRING &&
	    serving_parse(cap->serving_strategy.str, &c->serving)))
		fallback(r, "serving_strategy", &cap->serving_strategy,
		    "one of static, dynamic, continuous", serving_name(c->serving));
}

static void
check_whole_settings(struct reader *r, const struct capstone_record *cap,
    const struct scenario *s, struct config *c)
{
	read_whole(r, "retraining_cadence_days", &cap->retraining_cadence_days,
	    CADENCE_MIN, CADENCE_MAX, "a whole number of days", "days",
	    &c->cadence_days);
	range_check(r, "retraining_cadence_days", c->cadence_days,
	    s->grid.cadence_min, s->grid.cadence_max, "days");

	read_whole(r, "fairness_threshold_pct", &cap->fairness_threshold_pct,
	    FAIRNESS_MIN, FAIRNESS_MAX, "a whole number of percent", "%",
	    &c->fairness_pct);
	range_check(r, "fairness_threshold_pct", c->fairness_pct,
	    s->grid.fairness_min, s->grid.fairness_max, "%");
}

/* The tier object itself, and the stored values of the wrong type. */
static void
check_stored(struct reader *r, const struct capstone_record *cap)
{
	if (cap->tier_assignments.kind != LV_ABSENT &&
	    !(cap->tier_assignments.kind == LV_OTHER &&
	    cap->tier_assignments.str[0] == '{')) {
		char *got = cap->tier_assignments.kind == LV_STRING
		    ? utf8_quote(cap->tier_assignments.str, DESCRIBE_LIMIT) : NULL;
		diag_add(r->dl, DIAG_WARNING, "check.tier-assignments-type",
		    r->l->source,
		    "history[%zu].design.tier_assignments: expected an object "
		    "{\"cloud\": ..., \"edge\": ..., \"mobile\": ..., \"tiny\": "
		    "...}, got %s; ignored", r->idx,
		    got ? got : cap->tier_assignments.str);
		free(got);
	}
	stored_type(r, "tier_assignments.tiny", &cap->tier_tiny, LV_STRING,
	    "ignored (the TinyML tier is always ternary)");
	stored_type(r, "p99_latency_ms", &cap->p99_latency_ms, LV_NUMBER,
	    "not compared");
	stored_type(r, "total_cost_per_req", &cap->total_cost_per_req,
	    LV_NUMBER, "not compared");
	stored_type(r, "system_valid", &cap->system_valid, LV_BOOL,
	    "not compared");
	stored_type(r, "constraint_hit", &cap->constraint_hit, LV_BOOL,
	    "not compared");
	stored_type(r, "labs_completed", &cap->labs_completed, LV_NUMBER,
	    "not compared");
	stored_type(r, "pct_correct", &cap->pct_correct, LV_NUMBER,
	    "not compared");
	stored_type(r, "weakest_invariant", &cap->weakest_invariant,
	    LV_STRING, "not compared");
}

void
check_design(const struct ledger *l, const struct scenario *s,
    struct design *d)
{
	const struct capstone_record *cap = &l->capstone;
	struct reader r = { l, &d->diags, cap->entry_index };

	memset(d, 0, sizeof *d);
	diag_init(&d->diags);
	d->config = s->defaults;
	if (!cap->present)
		return;
	d->present = true;
	check_hardware(&r, cap, s, &d->config);
	check_strategies(&r, cap, &d->config);
	check_whole_settings(&r, cap, s, &d->config);
	d->act1_prediction = prediction(&r, "act1_prediction", &cap->act1_prediction);
	d->act2_prediction = prediction(&r, "act2_prediction", &cap->act2_prediction);
	check_stored(&r, cap);
	stored_number(&cap->p99_latency_ms, &d->p99_ms);
	stored_number(&cap->total_cost_per_req, &d->cost_per_req);
	stored_number(&cap->labs_completed, &d->labs_completed);
	stored_number(&cap->pct_correct, &d->pct_correct);
	stored_bool(&cap->system_valid, &d->system_valid);
	stored_bool(&cap->constraint_hit, &d->constraint_hit);
	d->weakest_invariant = cap->weakest_invariant.kind == LV_STRING
	    ? cap->weakest_invariant.str : NULL;
}

void
design_free(struct design *d)
{
	diag_free(&d->diags);
}
