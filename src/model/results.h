/*
 * results: everything computed for one student, made once per student and
 * read by every presentation (the report's template model and charts, the
 * gradebook, the class summary, --json).  It holds the audit (Act I, the
 * capstone reading, the metrics, the warnings), the sensitivity rows, the
 * design's percentiles in the run's grid and its place against the
 * frontier, and the names a presentation prints for the model's enums.
 * A view includes this header and calls no other model function
 * (tests/e2e/view_seam.sh checks it).
 */
#ifndef ARCHAUDIT_RESULTS_H
#define ARCHAUDIT_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/audit.h"
#include "model/engine.h"
#include "model/scenario.h"
#include "model/sensitivity.h"

/* The model's names, for presentation: every pointer is static. */
struct result_names {
	const char *context[CTX_COUNT];        /* "cloud" ... */
	const char *quant[QUANT_COUNT];        /* "fp16" ... (JSON) */
	const char *quant_label[QUANT_COUNT];  /* "FP16" ... (prose) */
	const char *serving[SERVING_COUNT];    /* "static" ... */
	const char *census_count[CC_COUNT];    /* "cloud_oom" ... */
	const char *sens_axis[SENS_AXIS_COUNT]; /* "GPUs" ... */
	const char *rec_kind[REC_CADENCE + 1]; /* "compression", "p99", "cadence" */
	const char *invariant[N_INVARIANTS];   /* "Iron Law" ... */
	const int *inv_chapters[N_INVARIANTS]; /* the chapters of each */
	int inv_n_chapters[N_INVARIANTS];
};
void results_names(struct result_names *out);

/* A frontier design near the student's: fewest settings changed first. */
#define RESULTS_NEAREST 2
struct nearest_design {
	size_t frontier;        /* index into census->frontier */
	bool beats;             /* better on P99, cost and accuracy at once */
	int n_changes;          /* settings in which it differs */
	char *changes;          /* owned; "4 × H100, cloud INT8", "" if none */
};

struct frontier_position {
	bool on_frontier;       /* no frontier design beats it */
	size_t n_beat;          /* frontier designs that beat it */
	struct nearest_design nearest[RESULTS_NEAREST];
	int n_nearest;
};

struct results {
	struct audit *audit;           /* owned */
	const struct scenario *s;      /* borrowed */
	const struct census *census;   /* borrowed; NULL: not placed in a grid */
	struct sensitivity sens;       /* every single change of the design */
	double p99_pct, cost_pct;      /* percent of the grid at most as slow, as dear */
	struct frontier_position pos;  /* with census only */
	struct result_names names;
};

/*
 * Everything about a's design: the sensitivity, and with c (the run's
 * grid, which must outlive the results) the percentiles and the place
 * against the frontier.  Takes ownership of a.  Caller frees.
 */
struct results *results_new(struct audit *a, const struct scenario *s,
    const struct census *c);
void results_free(struct results *r);  /* NULL is a no-op */

#endif
