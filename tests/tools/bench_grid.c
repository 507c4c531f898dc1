/*
 * bench_grid: how long the census of the lab's grid takes, and one
 * engine_eval.  Input: optionally a scenario file (argv[1]; "" for the
 * lab's) and a run count (argv[2], default 51).  Output: one line per figure with its goal,
 * on stdout.  Links the library; includes our headers only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/engine.h"
#include "model/scenario.h"
#include "read/scenario_load.h"
#include "base/util.h"

#define EVALS 1000000
#define CENSUS_GOAL_MS 10.0

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

int
main(int argc, char *argv[])
{
	struct scenario s;
	struct diag_list dl;
	struct census *c;
	struct metrics m;
	struct config cfg;
	double *ms = NULL, t0, eval_ns, checksum = 0;
	int runs = argc > 2 ? atoi(argv[2]) : 51, rc = 1;
	long long total;

	scenario_default(&s);
	diag_init(&dl);
	if (argc > 1 && argv[1][0] != '\0' && scenario_load(&s, argv[1], &dl) != 0) {
		for (size_t i = 0; i < dl.n; i++) {
			struct buf b;
			buf_init(&b);
			diag_format(&dl.items[i], &b);
			fprintf(stderr, "bench_grid: %s\n", b.data);
			buf_free(&b);
		}
		goto out;
	}
	if (runs < 1)
		runs = 1;
	total = scenario_grid_size(&s);

	/* Warm up once (page faults, caches), then time each run alone. */
	census_free(census_new(&s));
	ms = xreallocarray(NULL, (size_t)runs, sizeof *ms);
	for (int i = 0; i < runs; i++) {
		t0 = now_ns();
		c = census_new(&s);
		ms[i] = (now_ns() - t0) / 1e6;
		checksum += c->distinct_metric_points;
		census_free(c);
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	printf("census: %.3f ms median of %d (goal < %.0f ms), %.2f ns/config over %lld configs"
	    " [min %.3f ms, max %.3f ms]\n", ms[runs / 2], runs, CENSUS_GOAL_MS,
	    ms[runs / 2] * 1e6 / (double)(total > 0 ? total : 1), total, ms[0], ms[runs - 1]);

	/* engine_eval on varying configurations so nothing is hoisted. */
	cfg = s.defaults;
	t0 = now_ns();
	for (int i = 0; i < EVALS; i++) {
		cfg.n_gpus = 1 + i % 8;
		cfg.quant_cloud = (enum quant)(i % 3);
		cfg.quant_edge = (enum quant)(i / 3 % 3);
		cfg.quant_mobile = (enum quant)(1 + i / 9 % 3);
		cfg.serving = (enum serving)(i / 27 % 3);
		cfg.cadence_days = 1 + i % 90;
		engine_eval(&s, &cfg, &m);
		checksum += m.post_drift_accuracy + m.cloud_p99_ms;
	}
	eval_ns = now_ns() - t0;
	printf("engine_eval: %.2f ms for %d calls, %.2f ns/call (brute-force census would be"
	    " ~%.1f ms)\n", eval_ns / 1e6, EVALS, eval_ns / EVALS,
	    eval_ns / EVALS * (double)total / 1e6);
	printf("status: %s (checksum %g)\n", ms[runs / 2] < CENSUS_GOAL_MS ? "ok" : "SLOW",
	    checksum);
	rc = ms[runs / 2] < CENSUS_GOAL_MS ? 0 : 1;
out:
	free(ms);
	diag_free(&dl);
	scenario_free(&s);
	return rc;
}
