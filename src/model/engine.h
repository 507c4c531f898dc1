/*
 * engine: the Act II physics engine of the spec's section 4 and the grid
 * census of section 5, as pure functions over plain structs.
 * The scenario (every constant, SLO and grid axis) lives in scenario.h.
 */
#ifndef ARCHAUDIT_ENGINE_H
#define ARCHAUDIT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/scenario.h"

/* Every output of one configuration, named as in the spec's section 4. */
struct metrics {
	double cloud_model_gb;         /* GB */
	double edge_model_gb;          /* GB */
	double mobile_model_gb;        /* GB */
	double tiny_model_kb;          /* KB */
	double cloud_ram_available_gb; /* GB */
	bool cloud_oom, edge_oom, mobile_oom, tiny_oom;
	double cloud_tok_per_sec;      /* tokens per second, all GPUs */
	double edge_tok_per_sec;       /* tokens per second */
	double cloud_p99_ms;           /* milliseconds */
	double edge_p99_ms;            /* milliseconds */
	double mobile_p99_ms;          /* milliseconds */
	bool cloud_can_handle, edge_can_handle;
	double cost_per_req_usd;       /* US dollars per request */
	double effective_accuracy;     /* fraction 0..1 */
	double post_drift_accuracy;    /* fraction 0..1 */
	bool slo_latency_ok, slo_cost_ok, slo_tput_ok;
	bool system_valid, constraint_hit;
	/* Derived warnings and tiles (section 4, "Warnings shown ...") */
	bool accuracy_warning;         /* effective_accuracy < acc_warn_below */
	bool drift_warning;            /* post_drift_accuracy < drift_warn_below */
	bool accuracy_tile_ok;         /* effective_accuracy > acc_tile_above */
	bool drift_tile_ok;            /* post_drift_accuracy > drift_tile_above */
};

struct jsonw;

/* One configuration as a JSON object with the spec's names (section 6). */
void engine_write_config(struct jsonw *w, const struct config *c);

/* Evaluate one configuration in exactly the order the spec writes. */
void engine_eval(const struct scenario *s, const struct config *c, struct metrics *m);

/*
 * The settings a run may evaluate (spec section 3): a student's n_gpus
 * 1..ENGINE_GPUS_MAX and cadence_days 0..ENGINE_CADENCE_MAX, or the
 * scenario's grid and defaults where they reach further.
 */
#define ENGINE_GPUS_MAX 100000
#define ENGINE_CADENCE_MAX 365

/*
 * Is every derived quantity of the engine finite for every configuration
 * the run can evaluate (any tier at any precision, any serving strategy,
 * n_gpus and cadence_days over the ranges above)?  0, or -1 with why the
 * first one is not, naming the scenario keys it comes from, in why.
 */
int engine_check_scenario(const struct scenario *s, struct buf *why);

/* The census counts, in this order (names as in grid_census.expected.json). */
enum census_count {
	CC_CLOUD_OOM, CC_EDGE_OOM, CC_MOBILE_OOM, CC_TINY_OOM,
	CC_SLO_LATENCY_OK, CC_SLO_COST_OK, CC_SLO_TPUT_OK,
	CC_SYSTEM_VALID, CC_CONSTRAINT_HIT,
	CC_COUNT
};
const char *census_count_name(enum census_count c);

struct frontier_point {
	double cloud_p99_ms;           /* milliseconds */
	double cost_per_req_usd;       /* US dollars per request */
	double post_drift_accuracy;    /* fraction 0..1 */
	struct config config;          /* first configuration in grid order */
};

struct census {
	long long total;               /* configurations in the grid */
	long long counts[CC_COUNT];
	double cloud_p99_ms_min, cloud_p99_ms_max; /* milliseconds; NaN if total is 0 */
	long long distinct_metric_points;
	struct frontier_point *frontier; /* owned; by P99, then cost, ascending */
	size_t n_frontier;
	/* Weighted distributions over the whole grid, for percentiles. */
	double *p99_values;            /* owned; distinct cloud_p99_ms, ascending */
	long long *p99_weights;        /* owned; configurations with that value */
	size_t n_p99;
	double *cost_values;           /* owned; distinct cost_per_req_usd, ascending */
	long long *cost_weights;       /* owned */
	size_t n_cost;
};

/* Compute the census of s->grid.  Caller frees with census_free. */
struct census *census_new(const struct scenario *s);
void census_free(struct census *c);   /* NULL is a no-op */

/* Percent (0..100) of grid configurations whose value is <= v. */
double census_p99_percentile(const struct census *c, double p99_ms);
double census_cost_percentile(const struct census *c, double cost_usd);

/*
 * Append the census as JSON with the names and nesting of the conformance
 * file grid_census.expected.json (indent 1, no trailing newline).
 */
void census_write_json(const struct census *c, struct buf *out);

#endif
