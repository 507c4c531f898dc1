/*
 * sensitivity: what each single change of one setting does to a design.
 * For the student's configuration, every neighbouring value of each axis
 * (other GPU counts next to it, the other quantizations of each tier, the
 * other serving strategies, shorter and longer cadences) is evaluated with
 * the engine, and the best single change is picked.
 */
#ifndef ARCHAUDIT_SENSITIVITY_H
#define ARCHAUDIT_SENSITIVITY_H

#include <stdbool.h>

#include "model/engine.h"
#include "model/scenario.h"

enum sens_axis {
	SENS_N_GPUS, SENS_QUANT_CLOUD, SENS_QUANT_EDGE, SENS_QUANT_MOBILE,
	SENS_SERVING, SENS_CADENCE, SENS_AXIS_COUNT
};

#define SENS_MAX_ROWS 24

struct sens_row {
	enum sens_axis axis;
	struct config config;          /* the changed design */
	struct metrics metrics;        /* its engine outputs */
	int n_failed;                  /* checks failed (sensitivity_failures) */
	int n_warned;                  /* accuracy and drift warnings */
	char from[24], to[24];         /* the setting before and after ("2 GPUs") */
};

struct sensitivity {
	struct metrics base;           /* the design as it is */
	int base_failed, base_warned;
	struct sens_row rows[SENS_MAX_ROWS];
	int n_rows;
	int best;                      /* index of the best row, -1 if none helps */
};

const char *sensitivity_axis_name(enum sens_axis a);  /* "GPUs", "cloud quantization", ... */

/*
 * Failed checks of one design, those that make it infeasible (AUDIT_MODEL
 * section 4, system_valid): each out-of-memory tier, the latency, cost and
 * throughput SLOs (0..7).  The accuracy and drift warnings are counted
 * apart (0..2): they are shown with the failures but decide nothing.
 */
int sensitivity_failures(const struct metrics *m);
int sensitivity_warnings(const struct metrics *m);

/*
 * Evaluate every single change of c within s's grid axes.  The best row
 * must fail fewer checks than c, or as many with fewer warnings (else best
 * is -1: no single change helps); among those it fails the fewest, then
 * warns the least, then costs the least, then
 * keeps the highest post-drift accuracy, and last, only while c fails its
 * latency check, has the lowest P99.
 */
void sensitivity_compute(const struct scenario *s, const struct config *c,
    struct sensitivity *out);

#endif
