/*
 * scenario_load: reading a --scenario JSON file into the plain struct
 * scenario of the model (scenario.h).  The read stage's side of the
 * scenario; only scenario_load.c sees cJSON.
 */
#ifndef ARCHAUDIT_SCENARIO_LOAD_H
#define ARCHAUDIT_SCENARIO_LOAD_H

#include <stddef.h>

#include "model/scenario.h"
#include "base/util.h"

/*
 * Override s from the JSON file at path (key layout: docs/scenario.md).
 * Unknown keys and wrong types are errors naming the JSON path
 * ("scenario.json: error: grid.n_gpus[1]: expected an integer, got \"x\"").
 * Returns 0 on success (s->source = path), -1 with every error in dl and
 * s untouched.
 */
int scenario_load(struct scenario *s, const char *path, struct diag_list *dl);
/* The same for the file's bytes text[0..len) (need not end in a NUL). */
int scenario_load_text(struct scenario *s, const char *path, const char *text,
    size_t len, struct diag_list *dl);

#endif
