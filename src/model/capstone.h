/*
 * capstone: the capstone's reading (spec section 3): the student's Act II
 * configuration, the two predictions judged, and the values the capstone
 * stored compared with the same values recomputed here.  Pure functions;
 * no I/O.
 */
#ifndef ARCHAUDIT_CAPSTONE_H
#define ARCHAUDIT_CAPSTONE_H

#include <stdbool.h>

#include "model/act1.h"
#include "read/check.h"
#include "model/engine.h"
#include "model/scenario.h"
#include "base/util.h"

enum consistency_field {
	CF_P99, CF_COST, CF_SYSTEM_VALID, CF_CONSTRAINT_HIT, CF_LABS_COMPLETED,
	CF_PCT_CORRECT, CF_WEAKEST_INVARIANT, CF_COUNT
};
struct consistency_note {
	enum consistency_field field;
	const char *name;       /* static: the capstone's key */
	char stored[64];        /* as the capstone stored it */
	char recomputed[64];    /* as recomputed here, same rounding */
};

struct capstone_reading {
	bool present;
	bool config_from_ledger;        /* false: the lab default, config_source "default" */
	struct config config;
	bool has_act1_prediction, act1_prediction_right;
	const char *act1_prediction;    /* borrowed; NULL when absent */
	bool has_act2_prediction, act2_prediction_right;
	const char *act2_prediction;    /* borrowed */
	struct consistency_note notes[CF_COUNT];
	int n_notes;
};

/* The design's configuration and predictions, judged against Act I. */
void capstone_read(const struct design *d, const struct act1 *a,
    struct capstone_reading *c);
/* The values the capstone stored against the same values recomputed. */
void capstone_compare(const struct design *d, const struct act1 *a,
    const struct metrics *m, struct capstone_reading *c);

#endif
