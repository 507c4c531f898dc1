/*
 * test_engine: the Act II engine, the grid census and the scenario file.
 * Input: the conformance vectors in tests/data/conformance (or
 * $ARCHAUDIT_SHARED, testdata.h) and the fixtures in tests/data/scenario/; run from the repository root.
 * Output: cmocka results.  The census is checked against the expected
 * file and against a brute-force reference kept here, on purpose naive:
 * every configuration through engine_eval, every triple against every
 * other.  May include cJSON (to read the vectors).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/engine.h"
#include "model/scenario.h"
#include "read/scenario_load.h"
#include "testdata.h"
#include "base/util.h"

#define FIXTURES "tests/data/scenario/"

#define check(cond, ...) do { \
	if (!(cond)) { \
		print_error(__VA_ARGS__); \
		print_error("\n"); \
		fail(); \
	} \
} while (0)

/* The whole file, NUL-terminated; caller frees. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	check(f != NULL, "cannot open %s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* engine_eval against engine_samples.jsonl                            */

enum field_kind { F_DOUBLE, F_BOOL };

static const struct metric_field {
	const char *name;
	enum field_kind kind;
	size_t off;
} metric_fields[] = {
#define D(f) { #f, F_DOUBLE, offsetof(struct metrics, f) }
#define B(f) { #f, F_BOOL, offsetof(struct metrics, f) }
	D(cloud_model_gb), D(edge_model_gb), D(mobile_model_gb), D(tiny_model_kb),
	D(cloud_ram_available_gb), B(cloud_oom), B(edge_oom), B(mobile_oom), B(tiny_oom),
	D(cloud_tok_per_sec), D(edge_tok_per_sec), D(cloud_p99_ms), D(edge_p99_ms),
	D(mobile_p99_ms), B(cloud_can_handle), B(edge_can_handle), D(cost_per_req_usd),
	D(effective_accuracy), D(post_drift_accuracy), B(slo_latency_ok), B(slo_cost_ok),
	B(slo_tput_ok), B(system_valid), B(constraint_hit),
#undef D
#undef B
};
#define N_METRIC_FIELDS (sizeof metric_fields / sizeof metric_fields[0])

static int
json_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	check(cJSON_IsNumber(v), "config.%s: not a number", key);
	return (int)v->valuedouble;
}

static void
json_config(const cJSON *obj, struct config *c)
{
	const cJSON *v;

	c->n_gpus = json_int(obj, "n_gpus");
	c->cadence_days = json_int(obj, "cadence_days");
	c->fairness_pct = json_int(obj, "fairness_pct");
	v = cJSON_GetObjectItemCaseSensitive(obj, "quant_cloud");
	check(quant_parse(cJSON_GetStringValue(v), &c->quant_cloud), "bad quant_cloud");
	v = cJSON_GetObjectItemCaseSensitive(obj, "quant_edge");
	check(quant_parse(cJSON_GetStringValue(v), &c->quant_edge), "bad quant_edge");
	v = cJSON_GetObjectItemCaseSensitive(obj, "quant_mobile");
	check(quant_parse(cJSON_GetStringValue(v), &c->quant_mobile), "bad quant_mobile");
	v = cJSON_GetObjectItemCaseSensitive(obj, "serving");
	check(serving_parse(cJSON_GetStringValue(v), &c->serving), "bad serving");
}

/* engine_eval(config) equals every one of the 24 expected metrics. */
static void
expect_metrics(const struct scenario *s, const cJSON *jcfg, const cJSON *jm, const char *where)
{
	struct config cfg;
	struct metrics m;

	check(cJSON_IsObject(jcfg) && cJSON_IsObject(jm), "%s: no config or metrics", where);
	json_config(jcfg, &cfg);
	engine_eval(s, &cfg, &m);
	check(cJSON_GetArraySize(jm) == (int)N_METRIC_FIELDS, "%s: %d metrics, expected %zu",
	    where, cJSON_GetArraySize(jm), N_METRIC_FIELDS);
	for (size_t i = 0; i < N_METRIC_FIELDS; i++) {
		const struct metric_field *f = &metric_fields[i];
		const char *p = (const char *)&m + f->off;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(jm, f->name);

		check(v != NULL, "%s: %s missing", where, f->name);
		if (f->kind == F_DOUBLE) {
			double got = *(const double *)(const void *)p;
			check(cJSON_IsNumber(v) && got == v->valuedouble,
			    "%s: %s = %.17g, expected %.17g", where, f->name, got,
			    v->valuedouble);
		} else {
			bool got = *(const bool *)(const void *)p;
			check(cJSON_IsBool(v) && got == (bool)cJSON_IsTrue(v),
			    "%s: %s = %d, expected %d", where, f->name, got, cJSON_IsTrue(v));
		}
	}
}

static void
test_engine_samples(void **state)
{
	struct scenario s;
	char *path = test_data_path("conformance/engine_samples.jsonl");
	char *text = slurp(path), *line, *save = NULL;
	int n_lines = 0;

	(void)state;
	scenario_default(&s);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		cJSON *root = cJSON_Parse(line);
		char where[32];

		n_lines++;
		snprintf(where, sizeof where, "line %d", n_lines);
		check(root != NULL, "%s: not JSON", where);
		expect_metrics(&s, cJSON_GetObjectItemCaseSensitive(root, "config"),
		    cJSON_GetObjectItemCaseSensitive(root, "metrics"), where);
		cJSON_Delete(root);
	}
	assert_int_equal(n_lines, 400);
	free(text);
	free(path);
	scenario_free(&s);
}

/* The Act II part of every conformance ledger (the boundary ledger among them). */
static void
test_engine_ledger_vectors(void **state)
{
	struct scenario s;
	char *dir = test_data_path("conformance/ledgers");
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	bool boundary = false;

	(void)state;
	check(d != NULL, "cannot open %s", dir);
	scenario_default(&s);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *path, *text;
		cJSON *root;
		const cJSON *act2;

		if (len < 14 || strcmp(e->d_name + len - 14, ".expected.json") != 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		text = slurp(path);
		root = cJSON_Parse(text);
		check(root != NULL, "%s: not JSON", path);
		act2 = cJSON_GetObjectItemCaseSensitive(root, "act2");
		expect_metrics(&s, cJSON_GetObjectItemCaseSensitive(act2, "config"),
		    cJSON_GetObjectItemCaseSensitive(act2, "metrics"), path);
		if (strncmp(e->d_name, "boundary_", 9) == 0)
			boundary = true;
		n++;
		cJSON_Delete(root);
		free(text);
		free(path);
	}
	closedir(d);
	assert_true(n >= 30);
	assert_true(boundary);
	free(dir);
	scenario_free(&s);
}

/* The spec's exact memory boundaries: 16.0 GB on 16 GB, 8.0 GB on 8 GB. */
static void
test_memory_boundaries(void **state)
{
	struct scenario s;
	struct config c;
	struct metrics m;

	(void)state;
	scenario_default(&s);
	c = s.defaults;
	c.quant_edge = QUANT_FP16;
	c.quant_mobile = QUANT_INT8;
	engine_eval(&s, &c, &m);
	assert_true(m.edge_model_gb == 16.0);
	assert_false(m.edge_oom);
	assert_true(m.mobile_model_gb == 8.0);
	assert_false(m.mobile_oom);
	assert_true(m.mobile_p99_ms == 12800.0);

	/* One ulp less RAM and both are out of memory. */
	s.orin_ram_gb = nextafter(16.0, 0.0);
	s.mobile_ram_gb = nextafter(8.0, 0.0);
	engine_eval(&s, &c, &m);
	assert_true(m.edge_oom);
	assert_true(m.mobile_oom);
	assert_true(m.constraint_hit);

	/* fp16 on the phone never fits; 14 GB + 2 GB KV on one H100 does. */
	scenario_default(&s);
	c.quant_mobile = QUANT_FP16;
	c.quant_cloud = QUANT_FP16;
	c.n_gpus = 1;
	engine_eval(&s, &c, &m);
	assert_true(m.mobile_oom);
	assert_false(m.cloud_oom);
	assert_true(m.cloud_model_gb == 16.0);
	assert_true(m.cloud_ram_available_gb == 80.0);
	s.h100_ram_gb = 15.0;
	engine_eval(&s, &c, &m);
	assert_true(m.cloud_oom);
	scenario_free(&s);
}

/* The spec's worked numbers and the derived warning and tile flags. */
static void
test_eval_details(void **state)
{
	struct scenario s;
	struct config c;
	struct metrics m;

	(void)state;
	scenario_default(&s);
	c = s.defaults;     /* 2 GPUs, fp16/int8/int4, dynamic, 30 days */
	engine_eval(&s, &c, &m);
	assert_true(m.tiny_model_kb == 1945.6);
	assert_true(m.tiny_oom);
	assert_false(m.slo_tput_ok);
	assert_false(m.system_valid);
	assert_true(m.effective_accuracy == 1.0 - 0.025);
	assert_true(m.post_drift_accuracy == (1.0 - 0.025) - 0.001 * 30);
	assert_false(m.accuracy_warning);        /* 0.975 */
	assert_false(m.drift_warning);           /* 0.945 */
	assert_true(m.accuracy_tile_ok);
	assert_true(m.drift_tile_ok);

	c.quant_mobile = QUANT_TERNARY;          /* 0.88, then 0.85 after 30 days */
	engine_eval(&s, &c, &m);
	assert_false(m.accuracy_warning);
	assert_true(m.drift_warning);
	assert_false(m.accuracy_tile_ok);
	assert_false(m.drift_tile_ok);
	s.acc_warn_below = 0.9;
	engine_eval(&s, &c, &m);
	assert_true(m.accuracy_warning);

	/* A scenario where the design works: small TinyML model, light load. */
	scenario_default(&s);
	s.tiny_params = 1e5;
	s.cloud_share = 0.01;
	c = s.defaults;
	c.n_gpus = 8;
	c.quant_cloud = QUANT_INT4;
	c.serving = SERVING_CONTINUOUS;
	engine_eval(&s, &c, &m);
	assert_false(m.tiny_oom);
	assert_true(m.slo_tput_ok);
	assert_true(m.system_valid);
	assert_false(m.constraint_hit);
	scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* The census of the default grid against grid_census.expected.json   */

static void
expect_config(const cJSON *obj, const struct config *c, size_t i)
{
	struct config want;

	json_config(obj, &want);
	check(want.n_gpus == c->n_gpus && want.quant_cloud == c->quant_cloud &&
	    want.quant_edge == c->quant_edge && want.quant_mobile == c->quant_mobile &&
	    want.serving == c->serving && want.cadence_days == c->cadence_days &&
	    want.fairness_pct == c->fairness_pct,
	    "frontier[%zu]: config %d %s %s %s %s %d %d differs from the expected one", i,
	    c->n_gpus, quant_name(c->quant_cloud), quant_name(c->quant_edge),
	    quant_name(c->quant_mobile), serving_name(c->serving), c->cadence_days,
	    c->fairness_pct);
}

static double
jnum(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	check(cJSON_IsNumber(v), "%s: not a number", key);
	return v->valuedouble;
}

static void
test_census_expected(void **state)
{
	struct scenario s;
	struct census *c;
	char *path = test_data_path("conformance/grid_census.expected.json");
	char *text = slurp(path);
	cJSON *root = cJSON_Parse(text), *counts, *front;
	struct buf out;

	(void)state;
	assert_non_null(root);
	scenario_default(&s);
	assert_int_equal(scenario_grid_size(&s), 1224720);
	c = census_new(&s);
	assert_true(c->total == (long long)jnum(root, "total"));
	counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
	assert_int_equal(cJSON_GetArraySize(counts), CC_COUNT);
	for (int i = 0; i < CC_COUNT; i++) {
		const char *name = census_count_name((enum census_count)i);
		check(c->counts[i] == (long long)jnum(counts, name), "counts.%s = %lld", name,
		    c->counts[i]);
	}
	assert_true(c->cloud_p99_ms_min == jnum(root, "cloud_p99_ms_min"));
	assert_true(c->cloud_p99_ms_max == jnum(root, "cloud_p99_ms_max"));
	assert_true(c->distinct_metric_points == (long long)jnum(root, "distinct_metric_points"));
	front = cJSON_GetObjectItemCaseSensitive(root, "frontier");
	assert_int_equal(c->n_frontier, cJSON_GetArraySize(front));
	for (size_t i = 0; i < c->n_frontier; i++) {
		const cJSON *p = cJSON_GetArrayItem(front, (int)i);
		const struct frontier_point *fp = &c->frontier[i];
		check(fp->cloud_p99_ms == jnum(p, "cloud_p99_ms") &&
		    fp->cost_per_req_usd == jnum(p, "cost_per_req_usd") &&
		    fp->post_drift_accuracy == jnum(p, "post_drift_accuracy"),
		    "frontier[%zu]: (%.17g, %.17g, %.17g)", i, fp->cloud_p99_ms,
		    fp->cost_per_req_usd, fp->post_drift_accuracy);
		expect_config(cJSON_GetObjectItemCaseSensitive(p, "config"), &fp->config, i);
	}

	/* The JSON writer reproduces the file byte for byte. */
	buf_init(&out);
	census_write_json(c, &out);
	buf_putc(&out, '\n');
	assert_string_equal(out.data, text);
	buf_free(&out);

	census_free(c);
	cJSON_Delete(root);
	free(text);
	free(path);
	scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* Brute-force reference                                               */

struct ref_point {
	double p99, cost, acc;
	long long order;         /* grid order */
	struct config cfg;
};

struct ref_census {
	long long total, counts[CC_COUNT], distinct;
	double p99_min, p99_max;
	struct ref_point *front;
	size_t n_front;
	double *p99_all, *cost_all;   /* one per configuration, sorted */
};

static int
cmp_ref(const void *pa, const void *pb)
{
	const struct ref_point *a = pa, *b = pb;

	if (a->p99 != b->p99)
		return a->p99 < b->p99 ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->acc != b->acc)
		return a->acc < b->acc ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

static int
cmp_dbl(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

static void
ref_census(const struct scenario *s, struct ref_census *r)
{
	const struct grid_axes *g = &s->grid;
	struct ref_point *pts;
	size_t n = 0, k = 0;
	struct metrics m;
	struct config c;

	memset(r, 0, sizeof *r);
	r->total = scenario_grid_size(s);
	pts = xreallocarray(NULL, (size_t)r->total, sizeof *pts);
	r->p99_all = xreallocarray(NULL, (size_t)r->total, sizeof *r->p99_all);
	r->cost_all = xreallocarray(NULL, (size_t)r->total, sizeof *r->cost_all);
	for (c.n_gpus = g->n_gpus_min; c.n_gpus <= g->n_gpus_max; c.n_gpus++)
	for (size_t a = 0; a < g->n_quant_cloud; a++)
	for (size_t b = 0; b < g->n_quant_edge; b++)
	for (size_t d = 0; d < g->n_quant_mobile; d++)
	for (size_t e = 0; e < g->n_serving; e++)
	for (c.cadence_days = g->cadence_min; c.cadence_days <= g->cadence_max; c.cadence_days++)
	for (c.fairness_pct = g->fairness_min; c.fairness_pct <= g->fairness_max;
	    c.fairness_pct++) {
		bool flags[CC_COUNT];
		c.quant_cloud = g->quant_cloud[a];
		c.quant_edge = g->quant_edge[b];
		c.quant_mobile = g->quant_mobile[d];
		c.serving = g->serving[e];
		engine_eval(s, &c, &m);
		flags[CC_CLOUD_OOM] = m.cloud_oom;
		flags[CC_EDGE_OOM] = m.edge_oom;
		flags[CC_MOBILE_OOM] = m.mobile_oom;
		flags[CC_TINY_OOM] = m.tiny_oom;
		flags[CC_SLO_LATENCY_OK] = m.slo_latency_ok;
		flags[CC_SLO_COST_OK] = m.slo_cost_ok;
		flags[CC_SLO_TPUT_OK] = m.slo_tput_ok;
		flags[CC_SYSTEM_VALID] = m.system_valid;
		flags[CC_CONSTRAINT_HIT] = m.constraint_hit;
		for (int i = 0; i < CC_COUNT; i++)
			r->counts[i] += flags[i];
		if (n == 0 || m.cloud_p99_ms < r->p99_min)
			r->p99_min = m.cloud_p99_ms;
		if (n == 0 || m.cloud_p99_ms > r->p99_max)
			r->p99_max = m.cloud_p99_ms;
		r->p99_all[n] = m.cloud_p99_ms;
		r->cost_all[n] = m.cost_per_req_usd;
		pts[n].p99 = m.cloud_p99_ms;
		pts[n].cost = m.cost_per_req_usd;
		pts[n].acc = m.post_drift_accuracy;
		pts[n].cfg = c;
		pts[n].order = (long long)n;
		n++;
	}
	assert_true((long long)n == r->total);
	qsort(r->p99_all, n, sizeof *r->p99_all, cmp_dbl);
	qsort(r->cost_all, n, sizeof *r->cost_all, cmp_dbl);

	/* Distinct triples, each with its first configuration. */
	qsort(pts, n, sizeof *pts, cmp_ref);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || pts[k - 1].p99 != pts[i].p99 || pts[k - 1].cost != pts[i].cost ||
		    pts[k - 1].acc != pts[i].acc)
			pts[k++] = pts[i];
	r->distinct = (long long)k;

	/* Every triple against every other; kept in (P99, cost) order. */
	r->front = xreallocarray(NULL, k, sizeof *r->front);
	for (size_t i = 0; i < k; i++) {
		bool dominated = false;
		for (size_t j = 0; j < k && !dominated; j++) {
			const struct ref_point *p = &pts[j], *q = &pts[i];
			dominated = j != i && p->p99 <= q->p99 && p->cost <= q->cost &&
			    p->acc >= q->acc &&
			    (p->p99 < q->p99 || p->cost < q->cost || p->acc > q->acc);
		}
		if (!dominated)
			r->front[r->n_front++] = pts[i];
	}
	free(pts);
}

static void
ref_free(struct ref_census *r)
{
	free(r->front);
	free(r->p99_all);
	free(r->cost_all);
}

static bool
config_equal(const struct config *a, const struct config *b)
{
	return a->n_gpus == b->n_gpus && a->quant_cloud == b->quant_cloud &&
	    a->quant_edge == b->quant_edge && a->quant_mobile == b->quant_mobile &&
	    a->serving == b->serving && a->cadence_days == b->cadence_days &&
	    a->fairness_pct == b->fairness_pct;
}

/* A distribution (values, weights) equals the sorted multiset all[0..n). */
static void
check_distribution(const char *what, const double *values, const long long *weights,
    size_t nv, const double *all, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < nv; i++) {
		check(i == 0 || values[i - 1] < values[i], "%s: values not ascending at %zu",
		    what, i);
		for (long long w = 0; w < weights[i]; w++, at++)
			check(at < n && all[at] == values[i], "%s: value %zu (%.17g) differs",
			    what, i, values[i]);
	}
	check(at == n, "%s: weights sum to %zu, expected %zu", what, at, n);
}

static void
compare_with_reference(const struct scenario *s, const char *name)
{
	struct census *c = census_new(s);
	struct ref_census r;

	ref_census(s, &r);
	check(c->total == r.total, "%s: total %lld, reference %lld", name, c->total, r.total);
	for (int i = 0; i < CC_COUNT; i++)
		check(c->counts[i] == r.counts[i], "%s: counts.%s %lld, reference %lld", name,
		    census_count_name((enum census_count)i), c->counts[i], r.counts[i]);
	check(c->cloud_p99_ms_min == r.p99_min && c->cloud_p99_ms_max == r.p99_max,
	    "%s: P99 range differs", name);
	check(c->distinct_metric_points == r.distinct, "%s: distinct %lld, reference %lld",
	    name, c->distinct_metric_points, r.distinct);
	check(c->n_frontier == r.n_front, "%s: %zu frontier points, reference %zu", name,
	    c->n_frontier, r.n_front);
	for (size_t i = 0; i < c->n_frontier; i++) {
		const struct frontier_point *fp = &c->frontier[i];
		const struct ref_point *rp = &r.front[i];
		check(fp->cloud_p99_ms == rp->p99 && fp->cost_per_req_usd == rp->cost &&
		    fp->post_drift_accuracy == rp->acc, "%s: frontier[%zu] (%.17g, %.17g, %.17g)"
		    " reference (%.17g, %.17g, %.17g)", name, i, fp->cloud_p99_ms,
		    fp->cost_per_req_usd, fp->post_drift_accuracy, rp->p99, rp->cost, rp->acc);
		check(config_equal(&fp->config, &rp->cfg),
		    "%s: frontier[%zu] first config differs (n %d/%d, cad %d/%d)", name, i,
		    fp->config.n_gpus, rp->cfg.n_gpus, fp->config.cadence_days,
		    rp->cfg.cadence_days);
	}
	check_distribution(name, c->p99_values, c->p99_weights, c->n_p99, r.p99_all,
	    (size_t)r.total);
	check_distribution(name, c->cost_values, c->cost_weights, c->n_cost, r.cost_all,
	    (size_t)r.total);
	ref_free(&r);
	census_free(c);
}

static void
set_quants(enum quant *axis, size_t *n, const char *list)
{
	char tmp[64], *tok, *save = NULL;

	snprintf(tmp, sizeof tmp, "%s", list);
	*n = 0;
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		assert_true(quant_parse(tok, &axis[(*n)++]));
}

static void
set_servings(struct grid_axes *g, const char *list)
{
	char tmp[64], *tok, *save = NULL;

	snprintf(tmp, sizeof tmp, "%s", list);
	g->n_serving = 0;
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		assert_true(serving_parse(tok, &g->serving[g->n_serving++]));
}

static void
test_census_vs_bruteforce(void **state)
{
	struct scenario s;
	struct census *c;

	(void)state;
	/* Lab constants; every quantization on every tier. */
	scenario_default(&s);
	s.grid.n_gpus_max = 3;
	set_quants(s.grid.quant_cloud, &s.grid.n_quant_cloud, "fp16,int8,int4,ternary");
	set_quants(s.grid.quant_edge, &s.grid.n_quant_edge, "fp16,int8,int4,ternary");
	set_quants(s.grid.quant_mobile, &s.grid.n_quant_mobile, "fp16,int8,int4,ternary");
	s.grid.cadence_min = 1;
	s.grid.cadence_max = 5;
	s.grid.fairness_max = 1;
	compare_with_reference(&s, "lab constants, all quantizations");

	/*
	 * Changed constants: some designs valid, every OOM flag reachable,
	 * axes listed out of their natural order.
	 */
	scenario_default(&s);
	s.tiny_params = 1e5;
	s.cloud_share = 0.01;
	s.h100_ram_gb = 10;
	s.orin_ram_gb = 8;
	s.slo_p99_ms = 150;
	s.slo_cost_per_req_usd = 3e-4;
	s.grid.n_gpus_min = 1;
	s.grid.n_gpus_max = 5;
	set_quants(s.grid.quant_cloud, &s.grid.n_quant_cloud, "int4,fp16,int8");
	set_quants(s.grid.quant_edge, &s.grid.n_quant_edge, "fp16,int4");
	set_quants(s.grid.quant_mobile, &s.grid.n_quant_mobile, "ternary,int8,fp16");
	set_servings(&s.grid, "continuous,static");
	s.grid.cadence_min = 5;
	s.grid.cadence_max = 12;
	s.grid.fairness_min = 3;
	s.grid.fairness_max = 4;
	c = census_new(&s);
	assert_true(c->counts[CC_SYSTEM_VALID] > 0);
	assert_true(c->counts[CC_CLOUD_OOM] > 0);
	assert_true(c->counts[CC_EDGE_OOM] > 0);
	assert_true(c->counts[CC_MOBILE_OOM] > 0);
	assert_true(c->counts[CC_TINY_OOM] == 0);
	assert_true(c->counts[CC_CONSTRAINT_HIT] < c->total);
	census_free(c);
	compare_with_reference(&s, "changed constants, some valid");

	/* No drift: every cadence ties; equal losses: (edge, mobile) pairs tie. */
	scenario_default(&s);
	s.drift_per_day = 0;
	s.acc_loss[QUANT_INT8] = 0.01;
	s.acc_loss[QUANT_INT4] = 0.01;
	s.grid.n_gpus_max = 4;
	s.grid.cadence_min = 3;
	s.grid.cadence_max = 9;
	compare_with_reference(&s, "no drift, tied losses");

	/* One configuration. */
	scenario_default(&s);
	s.grid.n_gpus_min = s.grid.n_gpus_max = 5;
	s.grid.n_quant_cloud = s.grid.n_quant_edge = s.grid.n_quant_mobile = 1;
	s.grid.n_serving = 1;
	s.grid.cadence_min = s.grid.cadence_max = 30;
	s.grid.fairness_min = s.grid.fairness_max = 7;
	compare_with_reference(&s, "a single configuration");
	c = census_new(&s);
	assert_int_equal(c->n_frontier, 1);
	assert_int_equal(c->frontier[0].config.fairness_pct, 7);
	census_free(c);
	scenario_free(&s);
}

/* Small deterministic random scenarios: constants drawn from small sets so
 * that ties (equal P99 from different quantizations, equal accuracies)
 * happen often, and axes drawn as random subsets in random order. */
static uint64_t
rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

static void
random_axis(uint64_t *x, int *axis, size_t *n, int count)
{
	int perm[4] = { 0, 1, 2, 3 };

	for (int i = count - 1; i > 0; i--) {
		int j = (int)(rnd(x) % (uint64_t)(i + 1)), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	*n = 1 + rnd(x) % (uint64_t)count;
	for (size_t i = 0; i < *n; i++)
		axis[i] = perm[i];
}

static void
test_census_random(void **state)
{
	static const double bpp[] = { 2.0, 1.0, 0.5, 0.25, 0.19, 4.0 };
	static const double mult[] = { 0.5, 1.0, 0.25, 0.8, 2.0 };
	static const double loss[] = { 0.0, 0.004, 0.025, 0.01, 0.12 };
	static const double drift[] = { 0.0, 0.001, 0.0005, 0.01, 0.25 };
	uint64_t x = 20260502;
	struct scenario s;

	(void)state;
	for (int round = 0; round < 16; round++) {
		int axis[4];
		char name[32];

		scenario_default(&s);
		for (int q = 0; q < QUANT_COUNT; q++) {
			s.bytes_per_param[q] = bpp[rnd(&x) % 6];
			s.acc_loss[q] = loss[rnd(&x) % 5];
			s.kv_scale[q] = bpp[rnd(&x) % 6] / 2;
		}
		for (int v = 0; v < SERVING_COUNT; v++)
			s.serving_mult[v] = mult[rnd(&x) % 5];
		s.drift_per_day = drift[rnd(&x) % 5];
		s.h100_ram_gb = (double)(4 + rnd(&x) % 20);
		s.orin_ram_gb = (double)(4 + rnd(&x) % 16);
		s.mobile_ram_gb = (double)(2 + rnd(&x) % 10);
		s.tiny_params = rnd(&x) % 2 ? 1e5 : 10e6;
		s.cloud_share = rnd(&x) % 2 ? 0.6 : 0.005;
		s.slo_p99_ms = (double)(20 + rnd(&x) % 200);
		s.slo_cost_per_req_usd = rnd(&x) % 2 ? 0.001 : 1e-5;
		s.h100_cost_per_hour_usd = rnd(&x) % 3 ? 3.0 : 0.0;

		s.grid.n_gpus_min = 1 + (int)(rnd(&x) % 4);
		s.grid.n_gpus_max = s.grid.n_gpus_min + (int)(rnd(&x) % 4);
		random_axis(&x, axis, &s.grid.n_quant_cloud, QUANT_COUNT);
		for (size_t i = 0; i < s.grid.n_quant_cloud; i++)
			s.grid.quant_cloud[i] = (enum quant)axis[i];
		random_axis(&x, axis, &s.grid.n_quant_edge, QUANT_COUNT);
		for (size_t i = 0; i < s.grid.n_quant_edge; i++)
			s.grid.quant_edge[i] = (enum quant)axis[i];
		random_axis(&x, axis, &s.grid.n_quant_mobile, QUANT_COUNT);
		for (size_t i = 0; i < s.grid.n_quant_mobile; i++)
			s.grid.quant_mobile[i] = (enum quant)axis[i];
		random_axis(&x, axis, &s.grid.n_serving, SERVING_COUNT);
		for (size_t i = 0; i < s.grid.n_serving; i++)
			s.grid.serving[i] = (enum serving)axis[i];
		s.grid.cadence_min = (int)(rnd(&x) % 40);
		s.grid.cadence_max = s.grid.cadence_min + (int)(rnd(&x) % 6);
		s.grid.fairness_min = (int)(rnd(&x) % 5);
		s.grid.fairness_max = s.grid.fairness_min + (int)(rnd(&x) % 2);
		snprintf(name, sizeof name, "random scenario %d", round);
		compare_with_reference(&s, name);
		scenario_free(&s);
	}
}

static void
test_percentiles(void **state)
{
	struct scenario s;
	struct census *c;
	struct config cfg;
	struct metrics m;

	(void)state;
	scenario_default(&s);
	c = census_new(&s);
	assert_true(census_p99_percentile(c, c->cloud_p99_ms_max) == 100.0);
	assert_true(census_p99_percentile(c, nextafter(c->cloud_p99_ms_min, 0)) == 0.0);
	assert_true(census_p99_percentile(c, INFINITY) == 100.0);
	/* P99 <= the SLO is exactly the configurations with slo_latency_ok. */
	assert_true(census_p99_percentile(c, s.slo_p99_ms) ==
	    100.0 * (double)c->counts[CC_SLO_LATENCY_OK] / (double)c->total);
	/* Cost depends on n_gpus only: n GPUs or fewer is n/8 of the grid. */
	cfg = s.defaults;
	cfg.n_gpus = 1;
	engine_eval(&s, &cfg, &m);
	assert_true(census_cost_percentile(c, m.cost_per_req_usd) == 12.5);
	cfg.n_gpus = 4;
	engine_eval(&s, &cfg, &m);
	assert_true(census_cost_percentile(c, m.cost_per_req_usd) == 50.0);
	assert_true(census_cost_percentile(c, 0.0) == 0.0);
	/* The fastest design: 8 int4 GPUs, continuous, 1 in 72 cloud combinations. */
	assert_true(census_p99_percentile(c, c->cloud_p99_ms_min) == 100.0 / 72);
	census_free(c);

	/* An empty grid has no configurations and no frontier. */
	s.grid.n_gpus_max = 0;
	c = census_new(&s);
	assert_true(c->total == 0);
	assert_int_equal(c->n_frontier, 0);
	assert_true(census_p99_percentile(c, 50.0) == 0.0);
	census_free(c);
	census_free(NULL);
	scenario_free(&s);
}

/* ------------------------------------------------------------------ */
/* scenario                                                            */

static void
test_names(void **state)
{
	enum quant q;
	enum serving v;

	(void)state;
	for (int i = 0; i < QUANT_COUNT; i++) {
		assert_true(quant_parse(quant_name((enum quant)i), &q));
		assert_int_equal(q, i);
	}
	for (int i = 0; i < SERVING_COUNT; i++) {
		assert_true(serving_parse(serving_name((enum serving)i), &v));
		assert_int_equal(v, i);
	}
	assert_false(quant_parse("FP16", &q));
	assert_false(quant_parse("", &q));
	assert_false(quant_parse(NULL, &q));
	assert_false(serving_parse("batch", &v));
	assert_string_equal(quant_name(QUANT_TERNARY), "ternary");
	assert_string_equal(serving_name(SERVING_CONTINUOUS), "continuous");
	assert_string_equal(census_count_name(CC_CONSTRAINT_HIT), "constraint_hit");
}

static void
test_scenario_default(void **state)
{
	struct scenario s;

	(void)state;
	scenario_default(&s);
	assert_null(s.source);
	assert_true(s.h100_bw_gbs == 3350 && s.orin_bw_gbs == 102 && s.mobile_ram_gb == 8);
	assert_int_equal(s.defaults.n_gpus, 2);
	assert_int_equal(s.defaults.quant_cloud, QUANT_FP16);
	assert_int_equal(s.defaults.quant_edge, QUANT_INT8);
	assert_int_equal(s.defaults.quant_mobile, QUANT_INT4);
	assert_int_equal(s.defaults.serving, SERVING_DYNAMIC);
	assert_int_equal(s.defaults.cadence_days, 30);
	assert_int_equal(s.defaults.fairness_pct, 10);
	assert_int_equal(s.grid.quant_mobile[2], QUANT_TERNARY);
	assert_true(scenario_grid_size(&s) == 1224720);
	s.grid.n_gpus_max = 0;
	assert_true(scenario_grid_size(&s) == 0);
	scenario_free(&s);
	scenario_free(NULL);
}

static void
test_scenario_load_good(void **state)
{
	struct scenario s;
	struct diag_list dl;

	(void)state;
	scenario_default(&s);
	diag_init(&dl);
	assert_int_equal(scenario_load(&s, FIXTURES "good.json", &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_string_equal(s.source, FIXTURES "good.json");
	assert_true(s.h100_bw_gbs == 4000);
	assert_true(s.h100_cost_per_hour_usd == 2.5);
	assert_true(s.h100_ram_gb == 80);             /* untouched */
	assert_true(s.tiny_params == 1e5);
	assert_true(s.bytes_per_param[QUANT_TERNARY] == 0.2);
	assert_true(s.bytes_per_param[QUANT_INT4] == 0.5);
	assert_true(s.acc_loss[QUANT_INT4] == 0.03);
	assert_true(s.serving_mult[SERVING_STATIC] == 0.6);
	assert_true(s.serving_mult[SERVING_DYNAMIC] == 0.8);
	assert_true(s.cloud_share == 0.01);
	assert_true(s.slo_p99_ms == 80);
	assert_int_equal(s.defaults.n_gpus, 4);
	assert_int_equal(s.defaults.serving, SERVING_CONTINUOUS);
	assert_int_equal(s.defaults.quant_edge, QUANT_INT8);
	assert_int_equal(s.grid.n_gpus_min, 2);
	assert_int_equal(s.grid.n_gpus_max, 4);
	assert_int_equal(s.grid.n_quant_cloud, 2);
	assert_int_equal(s.grid.quant_cloud[0], QUANT_INT8);
	assert_int_equal(s.grid.quant_cloud[1], QUANT_INT4);
	assert_int_equal(s.grid.n_quant_edge, 3);
	assert_int_equal(s.grid.n_serving, 1);
	assert_int_equal(s.grid.cadence_min, 30);
	assert_int_equal(s.grid.cadence_max, 30);
	assert_true(scenario_grid_size(&s) == 54);
	compare_with_reference(&s, "good.json");

	/* Loading again layers on top and replaces the source. */
	assert_int_equal(scenario_load(&s, FIXTURES "good.json", &dl), 0);
	assert_string_equal(s.source, FIXTURES "good.json");
	diag_free(&dl);
	scenario_free(&s);
}

/* Load path into a default scenario, expect failure, s unchanged, and the
 * expected messages (each "where: msg" must appear). */
static void
expect_load_errors(const char *path, const char *const *want, size_t n_want,
    size_t n_diags)
{
	struct scenario s, before;
	struct diag_list dl;
	struct buf all;

	scenario_default(&s);
	memcpy(&before, &s, sizeof s);
	diag_init(&dl);
	check(scenario_load(&s, path, &dl) == -1, "%s: loaded", path);
	check(memcmp(&before, &s, sizeof s) == 0, "%s: scenario changed on error", path);
	check(dl.n == n_diags, "%s: %zu diagnostics, expected %zu", path, dl.n, n_diags);
	buf_init(&all);
	for (size_t i = 0; i < dl.n; i++) {
		check(dl.items[i].level == DIAG_ERROR, "%s: not an error", path);
		buf_printf(&all, "%s: %s\n", dl.items[i].where ? dl.items[i].where : "",
		    dl.items[i].msg);
	}
	for (size_t i = 0; i < n_want; i++)
		check(strstr(all.data, want[i]) != NULL, "%s: missing \"%s\" in:\n%s", path,
		    want[i], all.data);
	buf_free(&all);
	diag_free(&dl);
	scenario_free(&s);
}

#define EXPECT(path, ...) do { \
	static const char *const w_[] = { __VA_ARGS__ }; \
	expect_load_errors(path, w_, sizeof w_ / sizeof w_[0], sizeof w_ / sizeof w_[0]); \
} while (0)
/* One diagnostic holding every fragment. */
#define EXPECT1(path, ...) do { \
	static const char *const w_[] = { __VA_ARGS__ }; \
	expect_load_errors(path, w_, sizeof w_ / sizeof w_[0], 1); \
} while (0)

static void
test_scenario_load_errors(void **state)
{
	(void)state;
	EXPECT(FIXTURES "unknown_key.json", FIXTURES "unknown_key.json: slo.p99: unknown key"
	    " (known here: p99_ms, cost_per_req_usd)\n");
	EXPECT(FIXTURES "wrong_type.json",
	    FIXTURES "wrong_type.json: slo.p99_ms: expected a number, got \"x\"\n");
	EXPECT(FIXTURES "bad_json.json",
	    FIXTURES "bad_json.json:4:3: trailing comma before '}' (JSON allows none)\n");
	/* Columns count characters: the two accented letters are one each. */
	EXPECT(FIXTURES "bad_json_utf8.json",
	    FIXTURES "bad_json_utf8.json:2:24: expected ',' or '}' after an object member (missing comma?)\n");
	EXPECT(FIXTURES "truncated.json",
	    FIXTURES "truncated.json:2:1: unexpected end of file: the JSON is incomplete (truncated?)\n");
	EXPECT(FIXTURES "not_object.json",
	    FIXTURES "not_object.json: expected an object at the top level, got an array\n");
	EXPECT(FIXTURES "shares.json",
	    FIXTURES "shares.json: load: cloud_share + edge_share is 1.1, more than 1\n");
	EXPECT(FIXTURES "huge_grid.json", FIXTURES "huge_grid.json: grid: 62256600000"
	    " configurations, more than the limit of 50000000\n");
	/* values that pass one by one but make a derived quantity non-finite */
	EXPECT1(FIXTURES "nan_tokens.json", FIXTURES "nan_tokens.json: (derived values): "
	    "cloud_model_gb is infinite for n_gpus 1, cadence_days 0, quant_cloud fp16",
	    "model.params, model.bytes_per_param.fp16");
	EXPECT1(FIXTURES "nan_cost.json", FIXTURES "nan_cost.json: (derived values): "
	    "cloud demand (tokens/s) is infinite", "load.total_rps, load.cloud_share");
	EXPECT1(FIXTURES "inf_drift.json", "post_drift_accuracy is infinite for n_gpus 1, "
	    "cadence_days 365", "drift.per_day\n");
	EXPECT1(FIXTURES "tiny_bw.json", "cloud_p99_ms is infinite",
	    "h100.bw_gbs, model.params, model.bytes_per_param.fp16\n");
	/* 100 unknown keys: the first 20 errors, then one line for the rest */
	EXPECT(FIXTURES "many_keys.json", "many_keys.json: k0: unknown key",
	    "k19: unknown key", "k1: unknown key", "k2: unknown key", "k3: unknown key",
	    "k4: unknown key", "k5: unknown key", "k6: unknown key", "k7: unknown key",
	    "k8: unknown key", "k9: unknown key", "k10: unknown key", "k11: unknown key",
	    "k12: unknown key", "k13: unknown key", "k14: unknown key", "k15: unknown key",
	    "k16: unknown key", "k17: unknown key", "k18: unknown key",
	    "more than 20 errors; the rest of the file was not read");
	EXPECT(FIXTURES "no_such_file.json",
	    FIXTURES "no_such_file.json: cannot open: No such file or directory\n");
	EXPECT(FIXTURES "bad_values.json",
	    "h100.bw_gbs: must be greater than 0, got -1\n",
	    "h100.ram_gb: must be greater than 0, got 0\n",
	    "load.cloud_share: must be a fraction between 0 and 1, got 1.5\n",
	    "slo: expected an object, got 5\n",
	    "model.bytes_per_param.int2: unknown key (known here: fp16, int8, int4, ternary)\n",
	    "defaults.quant_cloud: expected fp16, int8, int4 or ternary, got \"fp8\"\n",
	    "defaults.n_gpus: expected an integer, got 2.5\n",
	    "defaults.cadence_days: duplicate key\n",
	    "grid.n_gpus: min 8 is greater than max 1\n",
	    "grid.quant_edge: must not be empty\n",
	    "grid.serving[1]: \"dynamic\" is listed twice\n",
	    "grid.cadence_days[1]: expected an integer, got 2.5\n",
	    "grid.fairness_pct: expected [min, max] or an integer, got \"all\"\n");
}

/* Files over the size cap and with NUL bytes are refused before parsing. */
static void
test_scenario_load_limits(void **state)
{
	char path[] = "/tmp/test_engine_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	struct buf want;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	fputc('{', f);
	for (int i = 0; i < 1024 * 1024; i++)
		fputc(' ', f);
	fputc('}', f);
	fclose(f);
	buf_init(&want);
	buf_printf(&want, "%s: larger than 1048576 bytes; not a scenario file\n", path);
	{
		const char *const w[] = { want.data };
		expect_load_errors(path, w, 1, 1);
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("{\"comment\": \"a\0b\"}", 1, 18, f);
	fclose(f);
	buf_reset(&want);
	buf_printf(&want, "%s: contains a NUL byte; not a JSON text\n", path);
	{
		const char *const w[] = { want.data };
		expect_load_errors(path, w, 1, 1);
	}
	unlink(path);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_samples),
		cmocka_unit_test(test_engine_ledger_vectors),
		cmocka_unit_test(test_memory_boundaries),
		cmocka_unit_test(test_eval_details),
		cmocka_unit_test(test_census_expected),
		cmocka_unit_test(test_census_vs_bruteforce),
		cmocka_unit_test(test_census_random),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_scenario_default),
		cmocka_unit_test(test_scenario_load_good),
		cmocka_unit_test(test_scenario_load_errors),
		cmocka_unit_test(test_scenario_load_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
