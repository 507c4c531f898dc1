/*
 * audit_json: the machine-readable output of one audit (spec section 6).
 * Input: a struct audit (results.h).  Output: one JSON object appended to a buffer,
 * with the spec's names and nesting; numbers at full double precision.
 */
#include "view/audit_json.h"
#include "base/jsonw.h"

#include <stdlib.h>
#include <string.h>

#define NUM(name) do { jw_key(w, #name); jw_double(w, m->name); } while (0)
#define FLAG(name) do { jw_key(w, #name); jw_bool(w, m->name); } while (0)

static void
write_metrics(struct jsonw *w, const struct metrics *m)
{
	jw_object_begin(w);
	NUM(cloud_model_gb);
	NUM(edge_model_gb);
	NUM(mobile_model_gb);
	NUM(tiny_model_kb);
	NUM(cloud_ram_available_gb);
	FLAG(cloud_oom);
	FLAG(edge_oom);
	FLAG(mobile_oom);
	FLAG(tiny_oom);
	NUM(cloud_tok_per_sec);
	NUM(edge_tok_per_sec);
	NUM(cloud_p99_ms);
	NUM(edge_p99_ms);
	NUM(mobile_p99_ms);
	FLAG(cloud_can_handle);
	FLAG(edge_can_handle);
	NUM(cost_per_req_usd);
	NUM(effective_accuracy);
	NUM(post_drift_accuracy);
	FLAG(slo_latency_ok);
	FLAG(slo_cost_ok);
	FLAG(slo_tput_ok);
	FLAG(system_valid);
	FLAG(constraint_hit);
	FLAG(accuracy_warning);
	FLAG(drift_warning);
	jw_object_end(w);
}

#undef NUM
#undef FLAG

static void
write_act1(struct jsonw *w, const struct result_names *nm, const struct act1 *a)
{
	jw_object_begin(w);
	jw_key(w, "n_completed");
	jw_int(w, a->n_completed);
	jw_key(w, "n_predictions");
	jw_int(w, a->n_predictions);
	jw_key(w, "n_correct");
	jw_int(w, a->n_correct);
	jw_key(w, "pct_correct");
	jw_double(w, a->pct_correct);
	jw_key(w, "n_hits");
	jw_int(w, a->n_hits);
	jw_key(w, "hit_chapters");
	jw_array_begin(w);
	for (int i = 0; i < a->n_hits; i++)
		jw_int(w, a->hit_chapters[i]);
	jw_array_end(w);
	jw_key(w, "ctx_counts");
	jw_object_begin(w);
	for (int c = 0; c < CTX_COUNT; c++) {
		jw_key(w, nm->context[c]);
		jw_int(w, a->ctx_counts[c]);
	}
	jw_object_end(w);
	jw_key(w, "fav_context");
	jw_string(w, nm->context[a->fav_context]);
	jw_key(w, "invariants");
	jw_array_begin(w);
	for (int i = 0; i < N_INVARIANTS; i++) {
		jw_object_begin(w);
		jw_key(w, "name");
		jw_string(w, a->inv[i].name);
		jw_key(w, "correct_rate");
		jw_double(w, a->inv[i].correct_rate);
		jw_key(w, "hit_rate");
		jw_double(w, a->inv[i].hit_rate);
		jw_key(w, "n");
		jw_int(w, a->inv[i].n);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "weakest_invariant");
	jw_string(w, a->inv[a->weakest].name);
	jw_key(w, "act1_correct_answer");
	jw_string(w, a->act1_correct_answer);
	jw_key(w, "recommendations");
	jw_array_begin(w);
	for (int i = 0; i < a->n_recs; i++) {
		jw_object_begin(w);
		jw_key(w, "kind");
		jw_string(w, nm->rec_kind[a->recs[i].kind]);
		jw_key(w, "value");
		if (a->recs[i].kind == REC_P99)
			jw_double(w, a->recs[i].value_ms);
		else
			jw_string(w, a->recs[i].value_str);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "sparse");
	jw_bool(w, a->sparse);
	jw_object_end(w);
}

static void
write_config(struct jsonw *w, const struct result_names *nm, const struct config *c)
{
	jw_object_begin(w);
	jw_key(w, "n_gpus");
	jw_int(w, c->n_gpus);
	jw_key(w, "quant_cloud");
	jw_string(w, nm->quant[c->quant_cloud]);
	jw_key(w, "quant_edge");
	jw_string(w, nm->quant[c->quant_edge]);
	jw_key(w, "quant_mobile");
	jw_string(w, nm->quant[c->quant_mobile]);
	jw_key(w, "serving");
	jw_string(w, nm->serving[c->serving]);
	jw_key(w, "cadence_days");
	jw_int(w, c->cadence_days);
	jw_key(w, "fairness_pct");
	jw_int(w, c->fairness_pct);
	jw_object_end(w);
}

static void
write_capstone(struct jsonw *w, const struct capstone_reading *c)
{
	jw_object_begin(w);
	jw_key(w, "present");
	jw_bool(w, c->present);
	jw_key(w, "act1_prediction");
	jw_string(w, c->act1_prediction);
	jw_key(w, "act1_prediction_right");
	if (c->has_act1_prediction)
		jw_bool(w, c->act1_prediction_right);
	else
		jw_null(w);
	jw_key(w, "act2_prediction");
	jw_string(w, c->act2_prediction);
	jw_key(w, "act2_prediction_right");
	if (c->has_act2_prediction)
		jw_bool(w, c->act2_prediction_right);
	else
		jw_null(w);
	jw_key(w, "consistency_notes");
	jw_array_begin(w);
	for (int i = 0; i < c->n_notes; i++) {
		jw_object_begin(w);
		jw_key(w, "field");
		jw_string(w, c->notes[i].name);
		jw_key(w, "stored");
		jw_string(w, c->notes[i].stored);
		jw_key(w, "recomputed");
		jw_string(w, c->notes[i].recomputed);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void
write_diags(struct jsonw *w, const struct diag_list *a, const struct diag_list *b,
    enum diag_level level)
{
	const struct diag_list *lists[2] = { a, b };

	jw_array_begin(w);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < lists[k]->n; i++)
			if (lists[k]->items[i].level == level)
				jw_string(w, lists[k]->items[i].msg);
	jw_array_end(w);
}

void
audit_write_json(const struct audit *a, const struct scenario *s,
    struct buf *out, int indent)
{
	struct result_names nm;
	struct jsonw w;

	results_names(&nm);
	jw_init(&w, out, indent);
	jw_object_begin(&w);
	/* the path as given may be any bytes; the output is UTF-8 */
	char *source = utf8_sanitize(a->ledger->source, strlen(a->ledger->source));
	jw_key(&w, "source");
	jw_string(&w, source);
	free(source);
	jw_key(&w, "student");
	jw_string(&w, a->student);
	jw_key(&w, "scenario");
	jw_string(&w, s->source);
	jw_key(&w, "act1");
	write_act1(&w, &nm, &a->act1);
	jw_key(&w, "act2");
	jw_object_begin(&w);
	jw_key(&w, "config");
	write_config(&w, &nm, &a->capstone.config);
	jw_key(&w, "config_source");
	jw_string(&w, a->capstone.config_from_ledger ? "ledger" : "default");
	jw_key(&w, "metrics");
	write_metrics(&w, &a->metrics);
	jw_object_end(&w);
	jw_key(&w, "capstone");
	write_capstone(&w, &a->capstone);
	jw_key(&w, "warnings");
	write_diags(&w, &a->ledger->diags, &a->diags, DIAG_WARNING);
	jw_key(&w, "notes");
	write_diags(&w, &a->ledger->diags, &a->diags, DIAG_NOTE);
	jw_object_end(&w);
}
