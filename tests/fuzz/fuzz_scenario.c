/*
 * fuzz_scenario: libFuzzer entry point for the scenario loader with the
 * engine and the census behind it.  Input: any bytes, taken as the text of
 * one --scenario file.  Runs what the program runs for it (scenario_load_text,
 * then census_new and census_write_json, and engine_eval on the scenario's
 * defaults and on the corners of the settings a student may choose) and
 * checks what must hold: a refused file has an error and leaves the
 * scenario as it was; an accepted one gives a census whose numbers are all
 * finite, with at most as many frontier points as distinct metric points
 * and the counts within the grid's size.  Build and run: scripts/fuzz.sh.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/engine.h"
#include "model/scenario.h"
#include "read/scenario_load.h"
#include "base/util.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_scenario: %s\n", what);
	abort();
}

static void
check_metrics(const struct metrics *m)
{
	const double v[] = { m->cloud_model_gb, m->edge_model_gb, m->mobile_model_gb,
		m->tiny_model_kb, m->cloud_ram_available_gb, m->cloud_tok_per_sec,
		m->edge_tok_per_sec, m->cloud_p99_ms, m->edge_p99_ms, m->mobile_p99_ms,
		m->cost_per_req_usd, m->effective_accuracy, m->post_drift_accuracy };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (!isfinite(v[i]))
			fail("a metric is not finite for an accepted scenario");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario s, before;
	struct diag_list dl;
	struct census *c;
	struct buf out;
	/* An exact-size copy, not NUL-terminated: ASan sees any overread. */
	char *text = malloc(size ? size : 1);

	if (size)
		memcpy(text, data, size);
	scenario_default(&s);
	before = s;
	diag_init(&dl);
	if (scenario_load_text(&s, "fuzz.json", text, size, &dl) != 0) {
		if (diag_count(&dl, DIAG_ERROR) == 0)
			fail("scenario refused without an error");
		if (memcmp(&s, &before, sizeof s) != 0)
			fail("a refused scenario changed the values");
		goto out;
	}
	if (scenario_grid_size(&s) > 50000000LL)
		fail("a grid over the limit was accepted");
	/* the census's cost grows with the GPU axis: keep each run short */
	if (s.grid.n_gpus_max - s.grid.n_gpus_min < 2000) {
		c = census_new(&s);
		if (c->total != scenario_grid_size(&s))
			fail("census total differs from the grid size");
		for (int i = 0; i < CC_COUNT; i++)
			if (c->counts[i] < 0 || c->counts[i] > c->total)
				fail("a census count outside 0..total");
		if ((long long)c->n_frontier > c->distinct_metric_points)
			fail("more frontier points than distinct points");
		for (size_t i = 0; i < c->n_frontier; i++)
			if (!isfinite(c->frontier[i].cloud_p99_ms) ||
			    !isfinite(c->frontier[i].cost_per_req_usd) ||
			    !isfinite(c->frontier[i].post_drift_accuracy))
				fail("a frontier point is not finite");
		buf_init(&out);
		census_write_json(c, &out);
		buf_free(&out);
		census_free(c);
	}
	{
		struct config cfg = s.defaults;
		struct metrics m;
		const int gpus[] = { 1, 2, ENGINE_GPUS_MAX };
		const int cad[] = { 0, 30, ENGINE_CADENCE_MAX };
		engine_eval(&s, &cfg, &m);
		check_metrics(&m);
		for (int q = 0; q < QUANT_COUNT; q++)
			for (int g = 0; g < 3; g++) {
				cfg.n_gpus = gpus[g];
				cfg.cadence_days = cad[g];
				cfg.quant_cloud = cfg.quant_edge = cfg.quant_mobile = (enum quant)q;
				engine_eval(&s, &cfg, &m);
				check_metrics(&m);
			}
	}
out:
	diag_free(&dl);
	scenario_free(&s);
	free(text);
	return 0;
}
