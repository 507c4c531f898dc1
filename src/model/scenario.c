/*
 * scenario: the constants, SLOs and grid axes of Act II.  Input: nothing
 * (scenario_default fills in the lab's values).  Output: a plain struct
 * scenario for the engine and the census.  A --scenario file overrides any
 * subset of them through the read stage (read/scenario_load.c).
 */
#include "model/scenario.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const quant_names[QUANT_COUNT] = {
	"fp16", "int8", "int4", "ternary"
};
const char *const serving_names[SERVING_COUNT] = {
	"static", "dynamic", "continuous"
};

const char *
quant_name(enum quant q)
{
	return (unsigned)q < QUANT_COUNT ? quant_names[q] : "?";
}

const char *
quant_label(enum quant q)
{
	static const char *const labels[QUANT_COUNT] = {
		"FP16", "INT8", "INT4", "Ternary"
	};
	return q < QUANT_COUNT ? labels[q] : "?";
}

bool
quant_parse(const char *s, enum quant *q)
{
	if (s == NULL)
		return false;
	for (int i = 0; i < QUANT_COUNT; i++)
		if (strcmp(s, quant_names[i]) == 0) {
			*q = (enum quant)i;
			return true;
		}
	return false;
}

const char *
serving_name(enum serving v)
{
	return (unsigned)v < SERVING_COUNT ? serving_names[v] : "?";
}

bool
serving_parse(const char *s, enum serving *v)
{
	if (s == NULL)
		return false;
	for (int i = 0; i < SERVING_COUNT; i++)
		if (strcmp(s, serving_names[i]) == 0) {
			*v = (enum serving)i;
			return true;
		}
	return false;
}

void
scenario_default(struct scenario *s)
{
	static const enum quant cloud_edge[] = { QUANT_FP16, QUANT_INT8, QUANT_INT4 };
	static const enum quant mobile[] = { QUANT_INT8, QUANT_INT4, QUANT_TERNARY };
	struct grid_axes *g = &s->grid;

	memset(s, 0, sizeof *s);
	s->source = NULL;

	s->h100_bw_gbs = 3350;
	s->h100_ram_gb = 80;
	s->h100_cost_per_hour_usd = 3.0;
	s->orin_bw_gbs = 102;
	s->orin_ram_gb = 16;
	s->edge_serving_mult = 0.8;
	s->mobile_ram_gb = 8;
	s->mobile_tok_per_sec = 20;
	s->mobile_min_rate = 0.01;
	s->mcu_sram_kb = 256;
	s->tiny_params = 10e6;
	s->model_params = 7e9;
	s->kv_cache_gb_fp16 = 2.0;
	s->bytes_per_param[QUANT_FP16] = 2.0;
	s->bytes_per_param[QUANT_INT8] = 1.0;
	s->bytes_per_param[QUANT_INT4] = 0.5;
	s->bytes_per_param[QUANT_TERNARY] = 0.19;
	s->kv_scale[QUANT_FP16] = 1.0;
	s->kv_scale[QUANT_INT8] = 0.5;
	s->kv_scale[QUANT_INT4] = 0.25;
	s->kv_scale[QUANT_TERNARY] = 0.09;
	s->acc_loss[QUANT_FP16] = 0.0;
	s->acc_loss[QUANT_INT8] = 0.004;
	s->acc_loss[QUANT_INT4] = 0.025;
	s->acc_loss[QUANT_TERNARY] = 0.12;
	s->output_tokens = 256;
	s->serving_mult[SERVING_STATIC] = 0.50;
	s->serving_mult[SERVING_DYNAMIC] = 0.80;
	s->serving_mult[SERVING_CONTINUOUS] = 1.00;
	s->total_rps = 1000;
	s->cloud_share = 0.60;
	s->edge_share = 0.25;
	s->drift_per_day = 0.001;
	s->slo_p99_ms = 100;
	s->slo_cost_per_req_usd = 0.001;
	s->acc_warn_below = 0.85;
	s->drift_warn_below = 0.88;
	s->acc_tile_above = 0.90;
	s->drift_tile_above = 0.88;

	s->defaults.n_gpus = 2;
	s->defaults.quant_cloud = QUANT_FP16;
	s->defaults.quant_edge = QUANT_INT8;
	s->defaults.quant_mobile = QUANT_INT4;
	s->defaults.serving = SERVING_DYNAMIC;
	s->defaults.cadence_days = 30;
	s->defaults.fairness_pct = 10;

	g->n_gpus_min = 1;
	g->n_gpus_max = 8;
	memcpy(g->quant_cloud, cloud_edge, sizeof cloud_edge);
	g->n_quant_cloud = 3;
	memcpy(g->quant_edge, cloud_edge, sizeof cloud_edge);
	g->n_quant_edge = 3;
	memcpy(g->quant_mobile, mobile, sizeof mobile);
	g->n_quant_mobile = 3;
	for (int i = 0; i < SERVING_COUNT; i++)
		g->serving[i] = (enum serving)i;
	g->n_serving = SERVING_COUNT;
	g->cadence_min = 1;
	g->cadence_max = 90;
	g->fairness_min = 0;
	g->fairness_max = 20;
}

void
scenario_free(struct scenario *s)
{
	if (s == NULL)
		return;
	free(s->source);
	s->source = NULL;
}

/* a * b, or LLONG_MAX when that does not fit; both are >= 0. */
static long long
mul_sat(long long a, long long b)
{
	if (a != 0 && b > LLONG_MAX / a)
		return LLONG_MAX;
	return a * b;
}

static long long
span(int lo, int hi)
{
	return hi < lo ? 0 : (long long)hi - lo + 1;
}

long long
scenario_grid_size(const struct scenario *s)
{
	const struct grid_axes *g = &s->grid;
	long long n = span(g->n_gpus_min, g->n_gpus_max);

	n = mul_sat(n, (long long)g->n_quant_cloud);
	n = mul_sat(n, (long long)g->n_quant_edge);
	n = mul_sat(n, (long long)g->n_quant_mobile);
	n = mul_sat(n, (long long)g->n_serving);
	n = mul_sat(n, span(g->cadence_min, g->cadence_max));
	return mul_sat(n, span(g->fairness_min, g->fairness_max));
}
