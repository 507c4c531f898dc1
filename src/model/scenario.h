/*
 * scenario: every constant, SLO and grid axis of Act II, with the lab's
 * values as the default, and the small enums the engine is written in.
 * A --scenario JSON file that overrides any subset is read by the read
 * stage (scenario_load.h); this header has no loader and no JSON.
 */
#ifndef ARCHAUDIT_SCENARIO_H
#define ARCHAUDIT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

enum quant { QUANT_FP16, QUANT_INT8, QUANT_INT4, QUANT_TERNARY, QUANT_COUNT };
enum serving { SERVING_STATIC, SERVING_DYNAMIC, SERVING_CONTINUOUS, SERVING_COUNT };

extern const char *const quant_names[QUANT_COUNT];     /* "fp16" ... */
extern const char *const serving_names[SERVING_COUNT]; /* "static" ... */
const char *quant_name(enum quant q);            /* "fp16" ... */
bool quant_parse(const char *s, enum quant *q);   /* exact, case-sensitive */
const char *quant_label(enum quant q);           /* as printed: "FP16" ... "Ternary" */
const char *serving_name(enum serving v);        /* "static" ... */
bool serving_parse(const char *s, enum serving *v);

/* One Act II design: what the student chose in the capstone. */
struct config {
	int n_gpus;                  /* H100 GPUs in the cloud tier */
	enum quant quant_cloud;
	enum quant quant_edge;
	enum quant quant_mobile;
	enum serving serving;
	int cadence_days;            /* days between retraining runs */
	int fairness_pct;            /* allowed approval gap, percent; no formula uses it */
};

/* The axes of the grid, enumerated with n_gpus outermost (section 5). */
struct grid_axes {
	int n_gpus_min, n_gpus_max;                 /* inclusive */
	enum quant quant_cloud[QUANT_COUNT];
	size_t n_quant_cloud;
	enum quant quant_edge[QUANT_COUNT];
	size_t n_quant_edge;
	enum quant quant_mobile[QUANT_COUNT];
	size_t n_quant_mobile;
	enum serving serving[SERVING_COUNT];
	size_t n_serving;
	int cadence_min, cadence_max;               /* days, inclusive */
	int fairness_min, fairness_max;             /* percent, inclusive */
};

struct scenario {
	char *source;                  /* owned; file it came from, NULL = the lab */
	/* Cloud: NVIDIA H100 */
	double h100_bw_gbs;            /* GB/s per GPU */
	double h100_ram_gb;            /* GB per GPU */
	double h100_cost_per_hour_usd; /* US dollars per GPU-hour */
	/* Edge: Jetson Orin NX */
	double orin_bw_gbs;            /* GB/s */
	double orin_ram_gb;            /* GB */
	double edge_serving_mult;      /* fraction of peak (0.8) */
	/* Mobile: phone NPU */
	double mobile_ram_gb;          /* GB */
	double mobile_tok_per_sec;     /* tokens/s when the model fills RAM (20) */
	double mobile_min_rate;        /* tokens/s floor in the P99 formula (0.01) */
	/* TinyML: Cortex-M7 */
	double mcu_sram_kb;            /* KB */
	double tiny_params;            /* parameters of the sub-model (10e6) */
	/* Model */
	double model_params;           /* parameters (7e9) */
	double kv_cache_gb_fp16;       /* GB at fp16 (2.0) */
	double bytes_per_param[QUANT_COUNT]; /* bytes */
	double kv_scale[QUANT_COUNT];        /* fraction of the fp16 KV cache */
	double acc_loss[QUANT_COUNT];        /* accuracy lost, fraction */
	double output_tokens;          /* tokens per response (256) */
	double serving_mult[SERVING_COUNT];  /* fraction of peak throughput */
	/* Load */
	double total_rps;              /* requests per second (1000) */
	double cloud_share;            /* fraction of requests (0.60) */
	double edge_share;             /* fraction of requests (0.25) */
	/* Drift */
	double drift_per_day;          /* accuracy lost per day (0.001) */
	/* SLOs and thresholds */
	double slo_p99_ms;             /* milliseconds (100) */
	double slo_cost_per_req_usd;   /* US dollars (0.001) */
	double acc_warn_below;         /* fraction (0.85) */
	double drift_warn_below;       /* fraction (0.88) */
	double acc_tile_above;         /* fraction (0.90) */
	double drift_tile_above;       /* fraction (0.88) */
	struct config defaults;        /* the lab's default design */
	struct grid_axes grid;
};

/* Fill s with the lab's values (s->source = NULL). */
void scenario_default(struct scenario *s);
void scenario_free(struct scenario *s);  /* frees owned strings only */

/* Configurations in s->grid. */
long long scenario_grid_size(const struct scenario *s);

#endif
