/*
 * results: one student's complete result.  Input: the audit, the
 * scenario and the run's grid census.  Output: struct results, with the
 * sensitivity rows, the percentiles and the frontier position computed
 * here, once, so that no presentation calls back into the model.
 * Pure apart from allocation.
 */
#include "model/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
results_names(struct result_names *n)
{
	memset(n, 0, sizeof *n);
	for (int c = 0; c < CTX_COUNT; c++)
		n->context[c] = context_name((enum context)c);
	for (int q = 0; q < QUANT_COUNT; q++) {
		n->quant[q] = quant_name((enum quant)q);
		n->quant_label[q] = quant_label((enum quant)q);
	}
	for (int v = 0; v < SERVING_COUNT; v++)
		n->serving[v] = serving_name((enum serving)v);
	for (int i = 0; i < CC_COUNT; i++)
		n->census_count[i] = census_count_name((enum census_count)i);
	for (int ax = 0; ax < SENS_AXIS_COUNT; ax++)
		n->sens_axis[ax] = sensitivity_axis_name((enum sens_axis)ax);
	for (int k = 0; k <= REC_CADENCE; k++)
		n->rec_kind[k] = rec_kind_name((enum rec_kind)k);
	for (int i = 0; i < N_INVARIANTS; i++) {
		n->invariant[i] = invariant_name(i);
		n->inv_n_chapters[i] = invariant_chapters(i, &n->inv_chapters[i]);
	}
}

/* One setting of a design as the report prints it ("2 GPUs", "INT8"). */
static void
setting_text(char *out, size_t n, enum sens_axis ax, const struct config *c)
{
	switch (ax) {
	case SENS_N_GPUS:
		snprintf(out, n, "%d %s", c->n_gpus, c->n_gpus == 1 ? "GPU" : "GPUs");
		break;
	case SENS_QUANT_CLOUD:
		snprintf(out, n, "%s", quant_label(c->quant_cloud));
		break;
	case SENS_QUANT_EDGE:
		snprintf(out, n, "%s", quant_label(c->quant_edge));
		break;
	case SENS_QUANT_MOBILE:
		snprintf(out, n, "%s", quant_label(c->quant_mobile));
		break;
	case SENS_SERVING:
		snprintf(out, n, "%s", serving_name(c->serving));
		break;
	default:
		if (c->cadence_days == 1)
			snprintf(out, n, "every day");
		else
			snprintf(out, n, "every %d days", c->cadence_days);
		break;
	}
}

/* The settings in which b differs from a, by b's values: "4 × H100, cloud INT8". */
static int
config_changes(const struct config *a, const struct config *b, struct buf *out)
{
	int n = 0;

	for (int ax = 0; ax < SENS_AXIS_COUNT; ax++) {
		char fa[32], fb[32];
		setting_text(fa, sizeof fa, (enum sens_axis)ax, a);
		setting_text(fb, sizeof fb, (enum sens_axis)ax, b);
		if (strcmp(fa, fb) == 0)
			continue;
		if (out != NULL) {
			static const char *const fmt[SENS_AXIS_COUNT] = {
				"", "cloud %s", "edge %s", "phone %s", "%s batching", "retrain %s"
			};
			if (n)
				buf_puts(out, ", ");
			if (ax == SENS_N_GPUS)
				buf_printf(out, "%d \xc3\x97 H100", b->n_gpus);
			else
				buf_printf(out, fmt[ax], fb);
		}
		n++;
	}
	return n;
}

/* Whether outcome p beats m on P99, cost and accuracy after drift at once. */
static bool
dominates(const struct frontier_point *p, const struct metrics *m)
{
	bool le = p->cloud_p99_ms <= m->cloud_p99_ms && p->cost_per_req_usd <= m->cost_per_req_usd &&
	    p->post_drift_accuracy >= m->post_drift_accuracy;
	bool lt = p->cloud_p99_ms < m->cloud_p99_ms || p->cost_per_req_usd < m->cost_per_req_usd ||
	    p->post_drift_accuracy > m->post_drift_accuracy;
	return le && lt;
}

/*
 * Where the design sits against the Pareto frontier: on it or not, how
 * many frontier designs beat it on all three at once, and the frontier
 * designs nearest to it, those that differ from it in the fewest settings
 * (then the closest in P99 and cost), at most RESULTS_NEAREST.
 */
static void
place(struct frontier_position *pos, const struct config *mine,
    const struct metrics *me, const struct census *cs)
{
	size_t pick[RESULTS_NEAREST];
	double score[RESULTS_NEAREST];
	int n_pick = 0;

	for (size_t i = 0; i < cs->n_frontier; i++) {
		const struct frontier_point *p = &cs->frontier[i];
		pos->n_beat += dominates(p, me);
		double sc = config_changes(mine, &p->config, NULL) * 100.0 +
		    fabs(log(p->cloud_p99_ms / me->cloud_p99_ms)) +
		    fabs(log(p->cost_per_req_usd / me->cost_per_req_usd));
		if (!isfinite(sc))
			sc = 1e9;
		/* keep the RESULTS_NEAREST lowest scores, in order */
		int k = n_pick < RESULTS_NEAREST ? n_pick++ : RESULTS_NEAREST;
		if (k == RESULTS_NEAREST) {
			if (sc >= score[RESULTS_NEAREST - 1])
				continue;
			k = RESULTS_NEAREST - 1;
		}
		for (; k > 0 && score[k - 1] > sc; k--) {
			score[k] = score[k - 1];
			pick[k] = pick[k - 1];
		}
		score[k] = sc;
		pick[k] = i;
	}
	pos->on_frontier = pos->n_beat == 0 && cs->n_frontier > 0;
	for (int k = 0; k < n_pick; k++) {
		const struct frontier_point *p = &cs->frontier[pick[k]];
		struct nearest_design *nd = &pos->nearest[k];
		struct buf ch;
		buf_init(&ch);
		nd->frontier = pick[k];
		nd->beats = dominates(p, me);
		nd->n_changes = config_changes(mine, &p->config, &ch);
		nd->changes = ch.data != NULL ? buf_detach(&ch) : xstrdup("");
	}
	pos->n_nearest = n_pick;
}

struct results *
results_new(struct audit *a, const struct scenario *s, const struct census *c)
{
	struct results *r = xcalloc(1, sizeof *r);

	r->audit = a;
	r->s = s;
	r->census = c;
	results_names(&r->names);
	sensitivity_compute(s, &a->capstone.config, &r->sens);
	if (c != NULL) {
		r->p99_pct = census_p99_percentile(c, a->metrics.cloud_p99_ms);
		r->cost_pct = census_cost_percentile(c, a->metrics.cost_per_req_usd);
		place(&r->pos, &a->capstone.config, &a->metrics, c);
	}
	return r;
}

void
results_free(struct results *r)
{
	if (r == NULL)
		return;
	for (int k = 0; k < r->pos.n_nearest; k++)
		free(r->pos.nearest[k].changes);
	audit_free(r->audit);
	free(r);
}
