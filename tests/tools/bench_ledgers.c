/*
 * bench_ledgers: ledgers per second through the reader, Act I, the capstone
 * reading and the engine (no report).  The ledgers are generated in memory
 * with a fixed seed: a mix of complete, sparse, redone and capstone-only
 * students, as the labs write them.  Prints the median of repeated runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "ledger.h"
#include "scenario.h"

#define N_LEDGERS 1000
#define RUNS 15

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
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

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(void)
{
	char **text = xcalloc(N_LEDGERS, sizeof *text);
	double times[RUNS];
	size_t bytes = 0;
	struct scenario s;

	scenario_default(&s);
	for (int i = 0; i < N_LEDGERS; i++) {
		text[i] = make_ledger();
		bytes += strlen(text[i]);
	}
	for (int r = 0; r < RUNS; r++) {
		double t0 = now();
		for (int i = 0; i < N_LEDGERS; i++) {
			struct diag_list errs;
			diag_init(&errs);
			struct ledger *l = ledger_parse("bench.json", text[i],
			    strlen(text[i]), &errs);
			if (l == NULL) {
				fprintf(stderr, "bench: generated ledger %d invalid\n", i);
				return 1;
			}
			audit_free(audit_new(l, &s, NULL));
			diag_free(&errs);
		}
		times[r] = now() - t0;
	}
	qsort(times, RUNS, sizeof *times, cmp_double);
	double med = times[RUNS / 2];
	printf("ledgers: %.0f ledgers/s through reading, Act I and the engine "
	    "(median of %d runs of %d ledgers, %.1f KB average; %.1f us each)\n",
	    N_LEDGERS / med, RUNS, N_LEDGERS, bytes / 1024.0 / N_LEDGERS,
	    med / N_LEDGERS * 1e6);
	for (int i = 0; i < N_LEDGERS; i++)
		free(text[i]);
	free(text);
	scenario_free(&s);
	return 0;
}
