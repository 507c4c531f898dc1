/*
 * report_model_grid: the parts of a report's template model that place
 * the student's design in the run's grid (report_model.c has the rest).
 * Input: the results (results.h): the census, the percentiles, the
 * frontier position, the sensitivity rows.  Output: the "grid",
 * "position" and "sens" maps of the tvalue tree.  No I/O.
 */
#include "view/report_model_int.h"

#include <math.h>
#include <stdio.h>

/* ---- the grid -------------------------------------------------------------- */

static void
config_labels(struct tvalue *e, const struct result_names *nm,
    const struct config *c)
{
	num(e, "n_gpus", c->n_gpus);
	str(e, "quant_cloud", nm->quant_label[c->quant_cloud]);
	str(e, "quant_edge", nm->quant_label[c->quant_edge]);
	str(e, "quant_mobile", nm->quant_label[c->quant_mobile]);
	str(e, "serving", nm->serving[c->serving]);
	num(e, "cadence_days", c->cadence_days);
	cadence_text(e, "cadence", c->cadence_days);
}

void
report_model_grid(struct tvalue *root, const struct results *rs)
{
	const struct result_names *nm = &rs->names;
	const struct census *cs = rs->census;
	const struct scenario *s = rs->s;
	struct tvalue *m = submap(root, "grid"), *e, *l;
	double total = (double)cs->total;

	num(m, "total", total);
	e = submap(m, "counts");
	for (int i = 0; i < CC_COUNT; i++) {
		struct tvalue *c = submap(e, nm->census_count[i]);
		/* for the OOM counts "pass" means fitting; for the others
		 * the count is already of designs that pass */
		bool is_failure = i <= CC_TINY_OOM;
		double pass = is_failure ? total - (double)cs->counts[i]
		                         : (double)cs->counts[i];
		num(c, "n", (double)cs->counts[i]);
		num(c, "pct", total > 0 ? 100.0 * (double)cs->counts[i] / total : 0);
		num(c, "pass", pass);
		num(c, "pass_pct", total > 0 ? 100.0 * pass / total : 0);
		flag(c, "all", cs->counts[i] == cs->total);
		flag(c, "none", cs->counts[i] == 0);
	}
	flag(m, "none_valid", cs->counts[CC_SYSTEM_VALID] == 0);
	flag(m, "some_valid", cs->counts[CC_SYSTEM_VALID] > 0);
	flag(m, "tiny_always_oom", cs->counts[CC_TINY_OOM] == cs->total);
	flag(m, "tput_never_ok", cs->counts[CC_SLO_TPUT_OK] == 0);
	num(m, "p99_min_ms", cs->cloud_p99_ms_min);
	num(m, "p99_max_ms", cs->cloud_p99_ms_max);
	num(m, "distinct", (double)cs->distinct_metric_points);
	num(m, "n_frontier", (double)cs->n_frontier);
	/*
	 * A scenario's grid may have 200,000 frontier points: the table shows
	 * at most REPORT_FRONTIER_MAX, evenly spaced by rank, first and last
	 * included, and says how many there are.
	 */
	size_t shown = cs->n_frontier < REPORT_FRONTIER_MAX ? cs->n_frontier
	    : REPORT_FRONTIER_MAX;
	const struct frontier_point **fr = xcalloc(shown ? shown : 1, sizeof *fr);
	for (size_t i = 0; i < shown; i++)
		fr[i] = &cs->frontier[shown == cs->n_frontier || shown < 2 ? i
		    : (size_t)((unsigned long long)i * (cs->n_frontier - 1) / (shown - 1))];
	num(m, "n_frontier_shown", (double)shown);
	flag(m, "frontier_cut", shown < cs->n_frontier);
	l = sublist(m, "frontier");
	for (size_t i = 0; i < shown; i++) {
		const struct frontier_point *p = fr[i];
		e = push_map(l);
		num(e, "p99_ms", p->cloud_p99_ms);
		num(e, "cost_usd", p->cost_per_req_usd);
		num(e, "cost_per_m_usd", p->cost_per_req_usd * 1e6);
		num(e, "accuracy_pct", p->post_drift_accuracy * 100.0);
		flag(e, "meets_p99", p->cloud_p99_ms <= s->slo_p99_ms);
		config_labels(e, nm, &p->config);
	}
	/* Do the frontier's designs share everything but the cloud? */
	bool same = cs->n_frontier > 0;
	for (size_t i = 1; i < cs->n_frontier; i++) {
		const struct config *a = &cs->frontier[0].config, *b = &cs->frontier[i].config;
		same &= a->quant_edge == b->quant_edge && a->quant_mobile == b->quant_mobile &&
		    a->cadence_days == b->cadence_days;
	}
	flag(m, "frontier_rest_same", same);
	if (same)
		config_labels(submap(m, "frontier_rest"), nm, &cs->frontier[0].config);
	/* Do they share the serving strategy too?  Then the table leaves it out. */
	bool same_serving = cs->n_frontier > 0;
	for (size_t i = 1; i < cs->n_frontier; i++)
		same_serving &= cs->frontier[i].config.serving == cs->frontier[0].config.serving;
	flag(m, "frontier_serving_same", same_serving);
	str(m, "frontier_serving", cs->n_frontier > 0 ?
	    nm->serving[cs->frontier[0].config.serving] : "");
	/* The frontier in two columns, read down the left one first:
	 * row i holds point i (a) and point i + half (b). */
	size_t half = (shown + 1) / 2;
	l = sublist(m, "frontier_rows");
	for (size_t i = 0; i < half; i++) {
		struct tvalue *row = push_map(l);
		for (int k = 0; k < 2; k++) {
			size_t j = i + (size_t)k * half;
			if (j >= shown)
				break;
			const struct frontier_point *p = fr[j];
			e = submap(row, k == 0 ? "a" : "b");
			num(e, "p99_ms", p->cloud_p99_ms);
			num(e, "cost_usd", p->cost_per_req_usd);
			num(e, "cost_per_m_usd", p->cost_per_req_usd * 1e6);
			num(e, "accuracy_pct", p->post_drift_accuracy * 100.0);
			flag(e, "meets_p99", p->cloud_p99_ms <= s->slo_p99_ms);
			config_labels(e, nm, &p->config);
		}
		flag(row, "has_b", i + half < shown);
	}
	free(fr);
	num(m, "student_p99_pct", rs->p99_pct);
	num(m, "student_cost_pct", rs->cost_pct);
	/* the tokens per second the throughput SLO needs, and the best any
	 * design of the grid reaches: the gap is why none passes */
	double need = s->total_rps * s->cloud_share * s->output_tokens;
	num(m, "tput_need_tok_s", need);
	num(m, "tput_best_tok_s", s->output_tokens / (cs->cloud_p99_ms_min / 1000.0));
}

/* ---- sensitivity --------------------------------------------------------------- */

static void
sens_metrics(struct tvalue *e, const struct metrics *m)
{
	num(e, "p99_ms", m->cloud_p99_ms);
	num(e, "cost_usd", m->cost_per_req_usd);
	num(e, "cost_per_m_usd", m->cost_per_req_usd * 1e6);
	num(e, "accuracy_pct", m->post_drift_accuracy * 100.0);
	flag(e, "meets_p99", m->slo_latency_ok);
	flag(e, "valid", m->system_valid);
}

/* Would the report print the same numbers for both designs? */
static bool
same_outcome(const struct metrics *a, const struct metrics *b)
{
	return round(a->cloud_p99_ms * 10) == round(b->cloud_p99_ms * 10) &&
	    round(a->cost_per_req_usd * 1e8) == round(b->cost_per_req_usd * 1e8) &&
	    round(a->post_drift_accuracy * 1000) == round(b->post_drift_accuracy * 1000);
}

/*
 * Where the student's design sits against the Pareto frontier (computed
 * in results.c): on it or not, how many frontier designs beat it, and the
 * nearest ones.
 */
void
report_model_position(struct tvalue *root, const struct results *rs)
{
	const struct frontier_position *pos = &rs->pos;
	struct tvalue *m = submap(root, "position"), *l, *e;

	flag(m, "on_frontier", pos->on_frontier);
	flag(m, "off_frontier", pos->n_beat > 0);
	num(m, "n_beat", (double)pos->n_beat);
	l = sublist(m, "nearest");
	for (int k = 0; k < pos->n_nearest; k++) {
		const struct nearest_design *nd = &pos->nearest[k];
		const struct frontier_point *p = &rs->census->frontier[nd->frontier];
		e = push_map(l);
		num(e, "p99_ms", p->cloud_p99_ms);
		num(e, "cost_per_m_usd", p->cost_per_req_usd * 1e6);
		num(e, "accuracy_pct", p->post_drift_accuracy * 100.0);
		flag(e, "beats", nd->beats);
		str(e, "changes", nd->n_changes > 0 ? nd->changes : "the same settings");
		num(e, "n_changes", nd->n_changes);
	}
	flag(m, "has_nearest", pos->n_nearest > 0);
}

void
report_model_sensitivity(struct tvalue *root, const struct results *rs)
{
	const struct result_names *nm = &rs->names;
	const struct sensitivity *sn = &rs->sens;
	struct tvalue *m = submap(root, "sens"), *l, *e;

	e = submap(m, "base");
	sens_metrics(e, &sn->base);
	num(e, "n_failed", sn->base_failed);
	num(e, "n_warned", sn->base_warned);
	flag(e, "has_warned", sn->base_warned > 0);
	/* rows that change nothing shown are named in one sentence instead */
	struct buf same;
	int n_same = 0;
	buf_init(&same);
	/*
	 * At most two rows a setting, so the table stays short: the best
	 * change and those that change how many checks fail or warn first, then the
	 * nearest values in the sensitivity's order.
	 */
	bool shown[SENS_MAX_ROWS] = { false };
	for (int pass = 0; pass < 2; pass++)
		for (int ax = 0; ax < SENS_AXIS_COUNT; ax++) {
			int n = 0;
			for (int i = 0; i < sn->n_rows; i++)
				n += sn->rows[i].axis == (enum sens_axis)ax && shown[i];
			for (int i = 0; i < sn->n_rows && n < (pass == 0 ? 2 : 1); i++) {
				const struct sens_row *r = &sn->rows[i];
				if (r->axis != (enum sens_axis)ax || shown[i] ||
				    (same_outcome(&r->metrics, &sn->base) && r->n_failed == sn->base_failed))
					continue;
				if (pass == 0 && i != sn->best && r->n_failed == sn->base_failed &&
				    r->n_warned == sn->base_warned)
					continue;
				shown[i] = true;
				n++;
			}
		}
	l = sublist(m, "rows");
	for (int i = 0; i < sn->n_rows; i++) {
		const struct sens_row *r = &sn->rows[i];
		if (same_outcome(&r->metrics, &sn->base) && r->n_failed == sn->base_failed) {
			buf_printf(&same, "%s%s %s \xe2\x86\x92 %s", n_same ? "; " : "",
			    nm->sens_axis[r->axis], setting_label(r->from),
			    setting_label(r->to));
			n_same++;
			continue;
		}
		if (!shown[i])
			continue;
		e = push_map(l);
		str(e, "axis", nm->sens_axis[r->axis]);
		str(e, "from", setting_label(r->from));
		str(e, "to", setting_label(r->to));
		sens_metrics(e, &r->metrics);
		num(e, "n_failed", r->n_failed);
		num(e, "delta_failed", r->n_failed - sn->base_failed);
		flag(e, "fewer_failures", r->n_failed < sn->base_failed);
		flag(e, "more_failures", r->n_failed > sn->base_failed);
		flag(e, "is_best", i == sn->best);
	}
	flag(m, "has_unchanged", n_same > 0);
	str(m, "unchanged", same.data ? same.data : "");
	buf_free(&same);
	e = submap(m, "best");
	flag(e, "has", sn->best >= 0);
	flag(e, "none", sn->best < 0);
	if (sn->best >= 0) {
		const struct sens_row *r = &sn->rows[sn->best];
		str(e, "axis", nm->sens_axis[r->axis]);
		str(e, "from", setting_label(r->from));
		str(e, "to", setting_label(r->to));
		sens_metrics(e, &r->metrics);
		num(e, "n_failed", r->n_failed);
		num(e, "fixed", sn->base_failed - r->n_failed);
		flag(e, "fixes_some", r->n_failed < sn->base_failed);
		num(e, "warn_fixed", sn->base_warned - r->n_warned);
	}
}

