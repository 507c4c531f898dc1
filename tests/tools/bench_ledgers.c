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

#include "model/audit.h"
#include "read/ledger.h"
#include "model/scenario.h"
#include "ledgergen.h"

#define N_LEDGERS 1000
#define RUNS 15

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
			struct design d;
			check_design(l, &s, &d);
			audit_free(audit_new(l, &d, &s, NULL));
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
