/*
 * ledgergen: realistic Design Ledgers from a fixed seed, for benchmarks:
 * a mix of complete students (half), sparse ones, empty ones, some with
 * redone labs, most with a capstone entry, as the labs write them.
 * Header-only; included by the tools that need it.
 */
#ifndef ARCHAUDIT_LEDGERGEN_H
#define ARCHAUDIT_LEDGERGEN_H

#include <stdint.h>

#include "base/util.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;  /* the fixed seed */

/* xorshift64: the next of *state's sequence, reduced to 0..n-1 */
static unsigned
rnd_of(uint64_t *state, unsigned n)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (unsigned)(*state % n);
}

static unsigned
rnd(unsigned n)
{
	return rnd_of(&rng_state, n);
}

static char *
make_ledger(void)
{
	static const char *ctx[] = { "cloud", "edge", "mobile", "tiny" };
	static const char *q[] = { "fp16", "int8", "int4" };
	struct buf b;
	unsigned kind = rnd(10);
	int n = kind < 5 ? 15 : kind < 8 ? 1 + (int)rnd(14) : 0;

	buf_init(&b);
	buf_puts(&b, "{\"track\": null, \"current_chapter\": 16, \"history\": [");
	for (int i = 1; i <= n; i++) {
		int ch = n == 15 ? i : 1 + (int)rnd(15);
		int repeats = rnd(8) == 0 ? 2 : 1;
		for (int r = 0; r < repeats; r++)
			buf_printf(&b, "%s{\"chapter\": %d, \"design\": {\"context\": "
			    "\"%s\", \"act1_prediction\": \"B\", \"act1_correct\": %s, "
			    "\"constraint_hit\": %s, \"act2_result\": %u.5, "
			    "\"act2_decision\": \"choice_%u\"}}",
			    b.data[b.len - 1] == '[' ? "" : ", ", ch, ctx[rnd(4)],
			    rnd(3) ? "true" : "false", rnd(4) ? "false" : "true",
			    rnd(600), rnd(5));
	}
	if (kind != 6)
		buf_printf(&b, "%s{\"chapter\": 16, \"design\": {\"context\": \"all\", "
		    "\"cloud_hardware\": \"H100x%u\", \"quantization_strategy\": \"%s\", "
		    "\"serving_strategy\": \"continuous\", \"tier_assignments\": "
		    "{\"cloud\": \"%s\", \"edge\": \"%s\", \"mobile\": \"int4\", "
		    "\"tiny\": \"ternary (sub-model)\"}, \"retraining_cadence_days\": %u, "
		    "\"fairness_threshold_pct\": %u, \"act1_prediction\": \"memory_bw\", "
		    "\"act2_prediction\": \"tiny_oom\", \"p99_latency_ms\": 66.87, "
		    "\"total_cost_per_req\": 6e-06, \"system_valid\": false}}",
		    b.data[b.len - 1] == '[' ? "" : ", ", 1 + rnd(8), q[rnd(3)],
		    q[rnd(3)], q[rnd(3)], 1 + rnd(90), rnd(21));
	buf_puts(&b, "], \"last_updated\": \"2026-05-02T10:00:00\"}");
	return buf_detach(&b);
}

#endif
