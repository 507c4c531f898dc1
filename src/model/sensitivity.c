/*
 * sensitivity: single-setting changes of a design, each run through the
 * engine, and the best of them.  Input: the scenario and a configuration.
 * Output: struct sensitivity.  Pure; no allocation.
 */
#include "model/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *
sensitivity_axis_name(enum sens_axis a)
{
	static const char *const names[SENS_AXIS_COUNT] = {
		"cloud GPUs", "cloud quantization", "edge quantization",
		"mobile quantization", "serving strategy", "retraining cadence"
	};
	return a < SENS_AXIS_COUNT ? names[a] : "?";
}

int
sensitivity_failures(const struct metrics *m)
{
	return m->cloud_oom + m->edge_oom + m->mobile_oom + m->tiny_oom +
	    !m->slo_latency_ok + !m->slo_cost_ok + !m->slo_tput_ok;
}

/* the warnings shown with the failures; the spec's feasibility ignores them */
int
sensitivity_warnings(const struct metrics *m)
{
	return m->accuracy_warning + m->drift_warning;
}

static void
label(enum sens_axis axis, const struct config *c, char out[24])
{
	switch (axis) {
	case SENS_N_GPUS:
		snprintf(out, 24, "%d GPU%s", c->n_gpus, c->n_gpus == 1 ? "" : "s");
		break;
	case SENS_QUANT_CLOUD:
		snprintf(out, 24, "%s", quant_name(c->quant_cloud));
		break;
	case SENS_QUANT_EDGE:
		snprintf(out, 24, "%s", quant_name(c->quant_edge));
		break;
	case SENS_QUANT_MOBILE:
		snprintf(out, 24, "%s", quant_name(c->quant_mobile));
		break;
	case SENS_SERVING:
		snprintf(out, 24, "%s", serving_name(c->serving));
		break;
	default:
		snprintf(out, 24, "%d day%s", c->cadence_days,
		    c->cadence_days == 1 ? "" : "s");
		break;
	}
}

static void
add(struct sensitivity *out, const struct scenario *s, const struct config *from,
    enum sens_axis axis, struct config to)
{
	struct sens_row *r;

	if (out->n_rows >= SENS_MAX_ROWS || memcmp(from, &to, sizeof to) == 0)
		return;
	for (int i = 0; i < out->n_rows; i++)
		if (memcmp(&out->rows[i].config, &to, sizeof to) == 0)
			return;
	r = &out->rows[out->n_rows++];
	r->axis = axis;
	r->config = to;
	engine_eval(s, &to, &r->metrics);
	r->n_failed = sensitivity_failures(&r->metrics);
	r->n_warned = sensitivity_warnings(&r->metrics);
	label(axis, from, r->from);
	label(axis, &to, r->to);
}

static void
quant_rows(struct sensitivity *out, const struct scenario *s,
    const struct config *c, enum sens_axis axis, const enum quant *values,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct config t = *c;
		if (axis == SENS_QUANT_CLOUD)
			t.quant_cloud = values[i];
		else if (axis == SENS_QUANT_EDGE)
			t.quant_edge = values[i];
		else
			t.quant_mobile = values[i];
		add(out, s, c, axis, t);
	}
}

/*
 * Is row a better than row b (see the header)?  Fewer failing checks
 * first, then fewer warnings, then the lower cost, then the higher accuracy after drift; the
 * P99 (as the report prints it, to 0.01 ms) counts only while the design's
 * latency check fails, so that no change is crowned for speed the design
 * does not need.
 */
static bool
better(const struct sens_row *a, const struct sens_row *b, bool latency_fails)
{
	double pa = round(a->metrics.cloud_p99_ms * 100.0);
	double pb = round(b->metrics.cloud_p99_ms * 100.0);

	if (a->n_failed != b->n_failed)
		return a->n_failed < b->n_failed;
	if (a->n_warned != b->n_warned)
		return a->n_warned < b->n_warned;
	if (a->metrics.cost_per_req_usd != b->metrics.cost_per_req_usd)
		return a->metrics.cost_per_req_usd < b->metrics.cost_per_req_usd;
	if (a->metrics.post_drift_accuracy != b->metrics.post_drift_accuracy)
		return a->metrics.post_drift_accuracy > b->metrics.post_drift_accuracy;
	return latency_fails && pa < pb;
}

void
sensitivity_compute(const struct scenario *s, const struct config *c,
    struct sensitivity *out)
{
	const struct grid_axes *g = &s->grid;
	struct config t;

	memset(out, 0, sizeof *out);
	engine_eval(s, c, &out->base);
	out->base_failed = sensitivity_failures(&out->base);
	out->base_warned = sensitivity_warnings(&out->base);

	for (int d = -1; d <= 1; d += 2) {
		t = *c;
		t.n_gpus = c->n_gpus + d;
		if (t.n_gpus >= g->n_gpus_min && t.n_gpus <= g->n_gpus_max)
			add(out, s, c, SENS_N_GPUS, t);
	}
	/* the largest cluster the grid allows, when it is further away */
	t = *c;
	t.n_gpus = g->n_gpus_max;
	if (t.n_gpus > c->n_gpus + 1)
		add(out, s, c, SENS_N_GPUS, t);
	quant_rows(out, s, c, SENS_QUANT_CLOUD, g->quant_cloud, g->n_quant_cloud);
	quant_rows(out, s, c, SENS_QUANT_EDGE, g->quant_edge, g->n_quant_edge);
	quant_rows(out, s, c, SENS_QUANT_MOBILE, g->quant_mobile, g->n_quant_mobile);
	for (size_t i = 0; i < g->n_serving; i++) {
		t = *c;
		t.serving = g->serving[i];
		add(out, s, c, SENS_SERVING, t);
	}
	int cad[3] = { g->cadence_min, c->cadence_days / 2, c->cadence_days * 2 };
	for (int i = 0; i < 3; i++) {
		t = *c;
		t.cadence_days = cad[i] < g->cadence_min ? g->cadence_min
		    : cad[i] > g->cadence_max ? g->cadence_max : cad[i];
		add(out, s, c, SENS_CADENCE, t);
	}

	/*
	 * Only a change that clears a failing check, or a warning without
	 * failing more, can be the best one.
	 */
	out->best = -1;
	for (int i = 0; i < out->n_rows; i++) {
		const struct sens_row *r = &out->rows[i];
		if (r->n_failed > out->base_failed || (r->n_failed == out->base_failed &&
		    r->n_warned >= out->base_warned))
			continue;
		if (out->best < 0 || better(&out->rows[i], &out->rows[out->best],
		    !out->base.slo_latency_ok))
			out->best = i;
	}
}
