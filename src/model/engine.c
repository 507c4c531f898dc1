/*
 * engine: the Act II physics engine (spec section 4) and the census of
 * the grid (section 5).  Input: a struct scenario and one configuration,
 * or the scenario's grid.  Output: struct metrics, struct census, and the
 * census as JSON.  Includes our own headers only.
 *
 * Every double is computed in the order the spec writes it; the census
 * never re-derives a formula but calls engine_eval on the few
 * configurations that matter, so the two cannot disagree.  The census is
 * fast because of the model's structure, which holds for any scenario:
 * cloud_p99_ms and the cloud flags depend on (n_gpus, quant_cloud,
 * serving) only, cost_per_req_usd on n_gpus only, the edge and mobile
 * memory flags on their own quantization, post_drift_accuracy on
 * (quant_cloud, quant_edge, quant_mobile, cadence_days), and fairness_pct
 * on nothing.  The metric triples are then (pair of the cloud combination)
 * x (accuracies reachable with that quant_cloud), and the work is a few
 * sorts of a few hundred numbers instead of 1.2 million evaluations.
 */
#include "model/engine.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"

/* Python's max(a, b), which the lab uses: a unless b is greater. */
static double
pymax(double a, double b)
{
	return b > a ? b : a;
}

static double
tier_model_gb(const struct scenario *s, enum quant q)
{
	return s->model_params * s->bytes_per_param[q] / 1e9 +
	    s->kv_cache_gb_fp16 * s->kv_scale[q];
}

/* Shared by engine_eval and the census: the only place cadence enters. */
static double
post_drift(const struct scenario *s, double effective_accuracy, int cadence_days)
{
	return effective_accuracy - s->drift_per_day * cadence_days;
}

void
engine_eval(const struct scenario *s, const struct config *c, struct metrics *m)
{
	const enum quant qc = c->quant_cloud, qe = c->quant_edge, qm = c->quant_mobile;
	const double mult = s->serving_mult[c->serving];
	double cloud_rps, edge_rps;

	m->cloud_model_gb = tier_model_gb(s, qc);
	m->edge_model_gb = tier_model_gb(s, qe);
	m->mobile_model_gb = tier_model_gb(s, qm);
	m->tiny_model_kb = s->tiny_params * s->bytes_per_param[QUANT_TERNARY] * 1024 / 1e6;
	m->cloud_ram_available_gb = c->n_gpus * s->h100_ram_gb;

	m->cloud_oom = m->cloud_model_gb > m->cloud_ram_available_gb;
	m->edge_oom = m->edge_model_gb > s->orin_ram_gb;
	m->mobile_oom = m->mobile_model_gb > s->mobile_ram_gb;
	m->tiny_oom = m->tiny_model_kb > s->mcu_sram_kb;

	m->cloud_tok_per_sec =
	    (s->h100_bw_gbs * 1e9 / (s->model_params * s->bytes_per_param[qc])) * c->n_gpus;
	m->edge_tok_per_sec = s->orin_bw_gbs * 1e9 / (s->model_params * s->bytes_per_param[qe]);

	m->cloud_p99_ms = (s->output_tokens / (m->cloud_tok_per_sec * mult)) * 1000;
	m->edge_p99_ms = (s->output_tokens / (m->edge_tok_per_sec * s->edge_serving_mult)) * 1000;
	m->mobile_p99_ms = (s->output_tokens /
	    pymax((s->mobile_ram_gb / m->mobile_model_gb) * s->mobile_tok_per_sec,
	    s->mobile_min_rate)) * 1000;

	cloud_rps = s->total_rps * s->cloud_share;
	edge_rps = s->total_rps * s->edge_share;
	m->cloud_can_handle = m->cloud_tok_per_sec * mult >= cloud_rps * s->output_tokens;
	m->edge_can_handle =
	    m->edge_tok_per_sec * s->edge_serving_mult >= edge_rps * s->output_tokens;

	m->cost_per_req_usd =
	    (c->n_gpus * s->h100_cost_per_hour_usd) / pymax(cloud_rps * 3600, 1);

	m->effective_accuracy =
	    1.0 - pymax(pymax(s->acc_loss[qc], s->acc_loss[qe]), s->acc_loss[qm]);
	m->post_drift_accuracy = post_drift(s, m->effective_accuracy, c->cadence_days);

	m->slo_latency_ok = m->cloud_p99_ms <= s->slo_p99_ms;
	m->slo_cost_ok = m->cost_per_req_usd <= s->slo_cost_per_req_usd;
	m->slo_tput_ok = m->cloud_can_handle;
	m->system_valid = !m->cloud_oom && !m->edge_oom && !m->mobile_oom && !m->tiny_oom &&
	    m->slo_latency_ok && m->slo_cost_ok && m->slo_tput_ok;
	m->constraint_hit = m->cloud_oom || m->edge_oom || m->mobile_oom || m->tiny_oom ||
	    !m->slo_latency_ok || !m->slo_cost_ok;

	m->accuracy_warning = m->effective_accuracy < s->acc_warn_below;
	m->drift_warning = m->post_drift_accuracy < s->drift_warn_below;
	m->accuracy_tile_ok = m->effective_accuracy > s->acc_tile_above;
	m->drift_tile_ok = m->post_drift_accuracy > s->drift_tile_above;
}

/*
 * The derived quantities of one configuration and the scenario keys each
 * depends on, for the finite check below.  Q and S stand for the tier's
 * quantization and the serving strategy of the configuration.
 */
struct derived {
	const char *name;
	const char *keys;
	double v;
};

static size_t
derived_of(const struct scenario *s, const struct config *c, const struct metrics *m,
    struct derived *d)
{
	const double cloud_rps = s->total_rps * s->cloud_share;
	const double edge_rps = s->total_rps * s->edge_share;
	size_t n = 0;

#define PUT(nm, k, val) (d[n].name = (nm), d[n].keys = (k), d[n++].v = (val))
	PUT("cloud_model_gb", "model.params, model.bytes_per_param.Qc, "
	    "model.kv_cache_gb_fp16, model.kv_scale.Qc", m->cloud_model_gb);
	PUT("edge_model_gb", "model.params, model.bytes_per_param.Qe, "
	    "model.kv_cache_gb_fp16, model.kv_scale.Qe", m->edge_model_gb);
	PUT("mobile_model_gb", "model.params, model.bytes_per_param.Qm, "
	    "model.kv_cache_gb_fp16, model.kv_scale.Qm", m->mobile_model_gb);
	PUT("tiny_model_kb", "tiny.params, model.bytes_per_param.ternary",
	    m->tiny_model_kb);
	PUT("cloud_ram_available_gb", "h100.ram_gb", m->cloud_ram_available_gb);
	PUT("cloud_tok_per_sec", "h100.bw_gbs, model.params, model.bytes_per_param.Qc",
	    m->cloud_tok_per_sec);
	PUT("edge_tok_per_sec", "orin.bw_gbs, model.params, model.bytes_per_param.Qe",
	    m->edge_tok_per_sec);
	PUT("cloud_p99_ms", "model.output_tokens, serving_mult.S, h100.bw_gbs, "
	    "model.params, model.bytes_per_param.Qc", m->cloud_p99_ms);
	PUT("edge_p99_ms", "model.output_tokens, orin.serving_mult, orin.bw_gbs, "
	    "model.params, model.bytes_per_param.Qe", m->edge_p99_ms);
	PUT("mobile_p99_ms", "model.output_tokens, mobile.ram_gb, mobile.tok_per_sec, "
	    "mobile.min_rate, model.params, model.bytes_per_param.Qm", m->mobile_p99_ms);
	PUT("cloud demand (tokens/s)", "load.total_rps, load.cloud_share, "
	    "model.output_tokens", cloud_rps * s->output_tokens);
	PUT("edge demand (tokens/s)", "load.total_rps, load.edge_share, "
	    "model.output_tokens", edge_rps * s->output_tokens);
	PUT("cloud supply (tokens/s)", "serving_mult.S, h100.bw_gbs, model.params, "
	    "model.bytes_per_param.Qc", m->cloud_tok_per_sec * s->serving_mult[c->serving]);
	PUT("edge supply (tokens/s)", "orin.serving_mult, orin.bw_gbs, model.params, "
	    "model.bytes_per_param.Qe", m->edge_tok_per_sec * s->edge_serving_mult);
	PUT("cost_per_req_usd", "h100.cost_per_hour_usd, load.total_rps, "
	    "load.cloud_share", m->cost_per_req_usd);
	PUT("effective_accuracy", "model.acc_loss", m->effective_accuracy);
	PUT("post_drift_accuracy", "drift.per_day", m->post_drift_accuracy);
#undef PUT
	return n;
}

/* The keys of a derived quantity with Qc, Qe, Qm and S spelled out. */
static void
put_keys(struct buf *b, const char *keys, const struct config *c)
{
	for (const char *p = keys; *p != '\0'; p++) {
		if (p[0] == 'Q' && (p[1] == 'c' || p[1] == 'e' || p[1] == 'm')) {
			buf_puts(b, quant_name(p[1] == 'c' ? c->quant_cloud
			    : p[1] == 'e' ? c->quant_edge : c->quant_mobile));
			p++;
		} else if (p[0] == 'S' && (p[1] == ',' || p[1] == '\0')) {
			buf_puts(b, serving_name(c->serving));
		} else {
			buf_putc(b, *p);
		}
	}
}

int
engine_check_scenario(const struct scenario *s, struct buf *why)
{
	/*
	 * Every quantity is a product or a quotient that is monotone in
	 * n_gpus and in cadence_days, so it is finite over a whole range when
	 * it is finite at both ends: the ends of each range are enough.
	 */
	const int gpus[2] = { 1, ENGINE_GPUS_MAX };
	int cad_max = ENGINE_CADENCE_MAX;
	struct derived d[24];
	struct config c = s->defaults;
	struct metrics m;

	if (s->grid.cadence_max > cad_max)
		cad_max = s->grid.cadence_max;
	if (s->defaults.cadence_days > cad_max)
		cad_max = s->defaults.cadence_days;
	for (int gi = 0; gi < 2; gi++)
	for (int ci = 0; ci < 2; ci++)
	for (int qc = 0; qc < QUANT_COUNT; qc++)
	for (int qe = 0; qe < QUANT_COUNT; qe++)
	for (int qm = 0; qm < QUANT_COUNT; qm++)
	for (int sv = 0; sv < SERVING_COUNT; sv++) {
		size_t n;
		c.n_gpus = gpus[gi];
		c.cadence_days = ci == 0 ? 0 : cad_max;
		c.quant_cloud = (enum quant)qc;
		c.quant_edge = (enum quant)qe;
		c.quant_mobile = (enum quant)qm;
		c.serving = (enum serving)sv;
		engine_eval(s, &c, &m);
		n = derived_of(s, &c, &m, d);
		for (size_t i = 0; i < n; i++) {
			if (isfinite(d[i].v))
				continue;
			buf_printf(why, "%s is %s for n_gpus %d, cadence_days %d, "
			    "quant_cloud %s, quant_edge %s, quant_mobile %s, serving "
			    "%s; these values are too large or too small together: ",
			    d[i].name, isnan(d[i].v) ? "not a number" : "infinite",
			    c.n_gpus, c.cadence_days, quant_name(c.quant_cloud),
			    quant_name(c.quant_edge), quant_name(c.quant_mobile),
			    serving_name(c.serving));
			put_keys(why, d[i].keys, &c);
			return -1;
		}
	}
	return 0;
}

static const char *const census_count_names[CC_COUNT] = {
	"cloud_oom", "edge_oom", "mobile_oom", "tiny_oom",
	"slo_latency_ok", "slo_cost_ok", "slo_tput_ok",
	"system_valid", "constraint_hit"
};

const char *
census_count_name(enum census_count c)
{
	return (unsigned)c < CC_COUNT ? census_count_names[c] : "?";
}

/*
 * One post-drift accuracy reachable with a given quant_cloud, with the
 * first (quant_edge, quant_mobile, cadence) in grid order that reaches it:
 * first = (edge index * n_mobile + mobile index) * n_cadence + cadence index.
 */
struct acc_point {
	double acc;              /* fraction */
	long long first;
};

/* The accuracies of one quant_cloud: ascending, distinct. */
struct acc_set {
	struct acc_point *v;     /* owned */
	size_t n;
};

/* One (n_gpus, quant_cloud, serving) combination: the cloud side of a config. */
struct combo {
	double p99_ms;           /* milliseconds */
	double cost_usd;         /* US dollars per request */
	long long order;         /* rank in grid order among combinations */
	int n_gpus;
	unsigned qc, sv;         /* indices into the grid axes */
};

/* A frontier candidate: a distinct (P99, cost) with its best accuracy. */
struct candidate {
	double p99_ms, cost_usd, acc;
	const struct combo *combo;  /* first in grid order reaching acc */
};

static int
cmp_double(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_acc_point(const void *pa, const void *pb)
{
	const struct acc_point *a = pa, *b = pb;
	int c = cmp_double(a->acc, b->acc);

	return c ? c : (a->first > b->first) - (a->first < b->first);
}

static int
cmp_combo(const void *pa, const void *pb)
{
	const struct combo *a = pa, *b = pb;
	int c = cmp_double(a->p99_ms, b->p99_ms);

	if (c == 0)
		c = cmp_double(a->cost_usd, b->cost_usd);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int
cmp_plain(const void *pa, const void *pb)
{
	return cmp_double(*(const double *)pa, *(const double *)pb);
}

static int
cmp_desc(const void *pa, const void *pb)
{
	return cmp_double(*(const double *)pb, *(const double *)pa);
}

/*
 * For quant_cloud axis index j: evaluate each (edge, mobile) pair once,
 * keep the first pair of each distinct effective accuracy, spread those
 * over the cadence axis and keep the first of each distinct result.
 */
static void
acc_set_build(const struct scenario *s, unsigned j, struct acc_set *set)
{
	const struct grid_axes *g = &s->grid;
	const long long ncad = (long long)g->cadence_max - g->cadence_min + 1;
	size_t npairs = g->n_quant_edge * g->n_quant_mobile, neff = 0, n = 0;
	double *eff = xreallocarray(NULL, npairs, sizeof *eff);
	long long *eff_pair = xreallocarray(NULL, npairs, sizeof *eff_pair);
	struct config cfg = s->defaults;
	struct metrics m;

	cfg.quant_cloud = g->quant_cloud[j];
	for (size_t e = 0; e < g->n_quant_edge; e++)
		for (size_t k = 0; k < g->n_quant_mobile; k++) {
			size_t i;
			cfg.quant_edge = g->quant_edge[e];
			cfg.quant_mobile = g->quant_mobile[k];
			engine_eval(s, &cfg, &m);
			for (i = 0; i < neff; i++)
				if (eff[i] == m.effective_accuracy)
					break;
			if (i == neff) {
				eff[neff] = m.effective_accuracy;
				eff_pair[neff++] = (long long)(e * g->n_quant_mobile + k);
			}
		}

	set->v = xreallocarray(NULL, neff * (size_t)ncad, sizeof *set->v);
	for (size_t i = 0; i < neff; i++)
		for (long long d = 0; d < ncad; d++) {
			set->v[n].acc = post_drift(s, eff[i], (int)(g->cadence_min + d));
			set->v[n++].first = eff_pair[i] * ncad + d;
		}
	qsort(set->v, n, sizeof *set->v, cmp_acc_point);
	set->n = 0;
	for (size_t i = 0; i < n; i++)
		if (set->n == 0 || set->v[set->n - 1].acc != set->v[i].acc)
			set->v[set->n++] = set->v[i];
	free(eff);
	free(eff_pair);
}

/* How many distinct accuracies the quant_cloud indices in mask reach together. */
static long long
acc_union_size(const struct acc_set *sets, unsigned nsets, unsigned mask)
{
	size_t total = 0, n = 0;
	long long distinct = 0;
	double *all;

	for (unsigned j = 0; j < nsets; j++)
		if (mask & (1u << j)) {
			if (mask == (1u << j))
				return (long long)sets[j].n;
			total += sets[j].n;
		}
	all = xreallocarray(NULL, total, sizeof *all);
	for (unsigned j = 0; j < nsets; j++)
		if (mask & (1u << j))
			for (size_t i = 0; i < sets[j].n; i++)
				all[n++] = sets[j].v[i].acc;
	qsort(all, n, sizeof *all, cmp_plain);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || all[i] != all[i - 1])
			distinct++;
	free(all);
	return distinct;
}

/* Sorted distinct values with equal weight per occurrence. */
static void
distribution(double *v, size_t n, long long weight, double **values, long long **weights,
    size_t *count)
{
	size_t k = 0;

	qsort(v, n, sizeof *v, cmp_plain);
	*values = xreallocarray(NULL, n, sizeof **values);
	*weights = xreallocarray(NULL, n, sizeof **weights);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && (*values)[k - 1] == v[i]) {
			(*weights)[k - 1] += weight;
			continue;
		}
		(*values)[k] = v[i];
		(*weights)[k++] = weight;
	}
	*count = k;
}

/*
 * The Pareto frontier of the candidates, which come sorted by (P99, cost)
 * and are distinct in that pair.  Every dominator of a candidate comes
 * before it, so one sweep does: a Fenwick tree over accuracy ranks (best
 * first) holds the lowest cost seen at or above each accuracy.
 */
static void
frontier_mark(const struct candidate *cand, size_t n, bool *on)
{
	double *accs = xreallocarray(NULL, n, sizeof *accs);
	double *tree = xreallocarray(NULL, n + 1, sizeof *tree);
	size_t nacc = 0;

	for (size_t i = 0; i < n; i++)
		accs[i] = cand[i].acc;
	qsort(accs, n, sizeof *accs, cmp_desc);
	for (size_t i = 0; i < n; i++)
		if (nacc == 0 || accs[nacc - 1] != accs[i])
			accs[nacc++] = accs[i];
	for (size_t i = 0; i <= nacc; i++)
		tree[i] = INFINITY;

	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = nacc, r;
		double best = INFINITY;

		while (lo < hi) {        /* rank: first index with accs[r] <= acc */
			size_t mid = lo + (hi - lo) / 2;
			if (accs[mid] > cand[i].acc)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (r = lo + 1; r > 0; r -= r & -r)
			if (tree[r] < best)
				best = tree[r];
		on[i] = !(best <= cand[i].cost_usd);
		for (r = lo + 1; r <= nacc; r += r & -r)
			if (cand[i].cost_usd < tree[r])
				tree[r] = cand[i].cost_usd;
	}
	free(accs);
	free(tree);
}

struct census *
census_new(const struct scenario *s)
{
	const struct grid_axes *g = &s->grid;
	struct census *c = xcalloc(1, sizeof *c);
	struct acc_set sets[QUANT_COUNT];
	long long union_cache[1u << QUANT_COUNT];
	struct combo *cb = NULL;
	struct candidate *cand = NULL;
	double *vals = NULL;
	bool *on = NULL;
	struct config cfg = s->defaults;
	struct metrics m;
	size_t ncombo, ncand = 0, i, j;
	long long ngpu, ncad, w_cfg, w_combo, edge_ok = 0, mobile_ok = 0;
	long long w_mem_ok, valid = 0, clear = 0;
	unsigned nqc = (unsigned)g->n_quant_cloud;

	memset(sets, 0, sizeof sets);
	for (i = 0; i < sizeof union_cache / sizeof *union_cache; i++)
		union_cache[i] = -1;
	c->cloud_p99_ms_min = c->cloud_p99_ms_max = NAN;
	c->total = scenario_grid_size(s);
	if (c->total == 0 || nqc > QUANT_COUNT || g->n_quant_edge > QUANT_COUNT ||
	    g->n_quant_mobile > QUANT_COUNT || g->n_serving > SERVING_COUNT) {
		c->total = 0;
		goto out;
	}
	ngpu = (long long)g->n_gpus_max - g->n_gpus_min + 1;
	ncad = (long long)g->cadence_max - g->cadence_min + 1;
	/*
	 * Configurations sharing one (n_gpus, quant_cloud, quant_edge,
	 * quant_mobile, serving): w_cfg; sharing one (n_gpus, quant_cloud,
	 * serving): w_combo.
	 */
	w_cfg = ncad * ((long long)g->fairness_max - g->fairness_min + 1);
	w_combo = (long long)(g->n_quant_edge * g->n_quant_mobile) * w_cfg;

	/* Edge, mobile and TinyML memory: each depends on its own tier only. */
	cfg.n_gpus = g->n_gpus_min;
	cfg.quant_cloud = g->quant_cloud[0];
	cfg.quant_mobile = g->quant_mobile[0];
	cfg.serving = g->serving[0];
	cfg.cadence_days = g->cadence_min;
	cfg.fairness_pct = g->fairness_min;
	for (i = 0; i < g->n_quant_edge; i++) {
		cfg.quant_edge = g->quant_edge[i];
		engine_eval(s, &cfg, &m);
		edge_ok += !m.edge_oom;
	}
	for (i = 0; i < g->n_quant_mobile; i++) {
		cfg.quant_mobile = g->quant_mobile[i];
		engine_eval(s, &cfg, &m);
		mobile_ok += !m.mobile_oom;
	}
	c->counts[CC_EDGE_OOM] = c->total / (long long)g->n_quant_edge *
	    ((long long)g->n_quant_edge - edge_ok);
	c->counts[CC_MOBILE_OOM] = c->total / (long long)g->n_quant_mobile *
	    ((long long)g->n_quant_mobile - mobile_ok);
	c->counts[CC_TINY_OOM] = m.tiny_oom ? c->total : 0;
	/* Configurations of one combination clear of edge, mobile and TinyML OOM. */
	w_mem_ok = m.tiny_oom ? 0 : edge_ok * mobile_ok * w_cfg;

	for (j = 0; j < nqc; j++)
		acc_set_build(s, (unsigned)j, &sets[j]);

	/* The cloud side: one evaluation per (n_gpus, quant_cloud, serving). */
	ncombo = (size_t)ngpu * nqc * g->n_serving;
	cb = xreallocarray(NULL, ncombo, sizeof *cb);
	cfg.quant_edge = g->quant_edge[0];
	cfg.quant_mobile = g->quant_mobile[0];
	for (i = 0; i < ncombo; i++) {
		struct combo *x = &cb[i];
		x->order = (long long)i;
		x->sv = (unsigned)(i % g->n_serving);
		x->qc = (unsigned)(i / g->n_serving % nqc);
		x->n_gpus = g->n_gpus_min + (int)(i / g->n_serving / nqc);
		cfg.n_gpus = x->n_gpus;
		cfg.quant_cloud = g->quant_cloud[x->qc];
		cfg.serving = g->serving[x->sv];
		engine_eval(s, &cfg, &m);
		x->p99_ms = m.cloud_p99_ms;
		x->cost_usd = m.cost_per_req_usd;

		c->counts[CC_CLOUD_OOM] += m.cloud_oom * w_combo;
		c->counts[CC_SLO_LATENCY_OK] += m.slo_latency_ok * w_combo;
		c->counts[CC_SLO_COST_OK] += m.slo_cost_ok * w_combo;
		c->counts[CC_SLO_TPUT_OK] += m.slo_tput_ok * w_combo;
		if (!m.cloud_oom && m.slo_latency_ok && m.slo_cost_ok) {
			clear += w_mem_ok;
			if (m.slo_tput_ok)
				valid += w_mem_ok;
		}
		if (i == 0 || m.cloud_p99_ms < c->cloud_p99_ms_min)
			c->cloud_p99_ms_min = m.cloud_p99_ms;
		if (i == 0 || m.cloud_p99_ms > c->cloud_p99_ms_max)
			c->cloud_p99_ms_max = m.cloud_p99_ms;
	}
	c->counts[CC_SYSTEM_VALID] = valid;
	c->counts[CC_CONSTRAINT_HIT] = c->total - clear;

	/* Weighted distributions for the percentiles. */
	vals = xreallocarray(NULL, ncombo, sizeof *vals);
	for (i = 0; i < ncombo; i++)
		vals[i] = cb[i].p99_ms;
	distribution(vals, ncombo, w_combo, &c->p99_values, &c->p99_weights, &c->n_p99);
	for (i = 0; i < (size_t)ngpu; i++)
		vals[i] = cb[i * nqc * g->n_serving].cost_usd;
	distribution(vals, (size_t)ngpu, c->total / ngpu, &c->cost_values, &c->cost_weights,
	    &c->n_cost);

	/*
	 * Distinct (P99, cost) pairs, each with the quant_cloud values that
	 * reach it: the triples of the pair are the union of their accuracies.
	 */
	qsort(cb, ncombo, sizeof *cb, cmp_combo);
	cand = xreallocarray(NULL, ncombo, sizeof *cand);
	for (i = 0; i < ncombo; ) {
		size_t end = i + 1;
		unsigned mask = 1u << cb[i].qc;
		double best = -INFINITY;

		/* at least one element: a NaN (refused by the loader) still advances */
		while (end < ncombo && cb[end].p99_ms == cb[i].p99_ms &&
		    cb[end].cost_usd == cb[i].cost_usd)
			mask |= 1u << cb[end++].qc;
		if (union_cache[mask] < 0)
			union_cache[mask] = acc_union_size(sets, nqc, mask);
		c->distinct_metric_points += union_cache[mask];
		for (j = 0; j < nqc; j++)
			if ((mask & (1u << j)) && sets[j].v[sets[j].n - 1].acc > best)
				best = sets[j].v[sets[j].n - 1].acc;
		cand[ncand].p99_ms = cb[i].p99_ms;
		cand[ncand].cost_usd = cb[i].cost_usd;
		cand[ncand].acc = best;
		{
			size_t k = i;
			for (; k < end; k++)
				if (sets[cb[k].qc].v[sets[cb[k].qc].n - 1].acc == best)
					break;
			cand[ncand++].combo = &cb[k < end ? k : i];
		}
		i = end;
	}

	on = xreallocarray(NULL, ncand, sizeof *on);
	frontier_mark(cand, ncand, on);
	c->frontier = xreallocarray(NULL, ncand, sizeof *c->frontier);
	for (i = 0; i < ncand; i++) {
		const struct combo *x = cand[i].combo;
		const struct acc_set *set = &sets[x->qc];
		long long first = set->v[set->n - 1].first;
		long long pair = first / ncad;
		struct frontier_point *fp;

		if (!on[i])
			continue;
		fp = &c->frontier[c->n_frontier++];
		fp->cloud_p99_ms = cand[i].p99_ms;
		fp->cost_per_req_usd = cand[i].cost_usd;
		fp->post_drift_accuracy = cand[i].acc;
		fp->config.n_gpus = x->n_gpus;
		fp->config.quant_cloud = g->quant_cloud[x->qc];
		fp->config.quant_edge = g->quant_edge[pair / (long long)g->n_quant_mobile];
		fp->config.quant_mobile = g->quant_mobile[pair % (long long)g->n_quant_mobile];
		fp->config.serving = g->serving[x->sv];
		fp->config.cadence_days = g->cadence_min + (int)(first % ncad);
		fp->config.fairness_pct = g->fairness_min;
	}
out:
	for (j = 0; j < QUANT_COUNT; j++)
		free(sets[j].v);
	free(cb);
	free(cand);
	free(vals);
	free(on);
	return c;
}

void
census_free(struct census *c)
{
	if (c == NULL)
		return;
	free(c->frontier);
	free(c->p99_values);
	free(c->p99_weights);
	free(c->cost_values);
	free(c->cost_weights);
	free(c);
}

static double
percentile(const double *values, const long long *weights, size_t n, long long total,
    double v)
{
	long long at_most = 0;

	if (total <= 0)
		return 0.0;
	for (size_t i = 0; i < n && values[i] <= v; i++)
		at_most += weights[i];
	return 100.0 * (double)at_most / (double)total;
}

double
census_p99_percentile(const struct census *c, double p99_ms)
{
	return percentile(c->p99_values, c->p99_weights, c->n_p99, c->total, p99_ms);
}

double
census_cost_percentile(const struct census *c, double cost_usd)
{
	return percentile(c->cost_values, c->cost_weights, c->n_cost, c->total, cost_usd);
}

void
census_write_json(const struct census *c, struct buf *out)
{
	struct jsonw w;

	jw_init(&w, out, 1);
	jw_object_begin(&w);
	jw_key(&w, "total");
	jw_int(&w, c->total);
	jw_key(&w, "counts");
	jw_object_begin(&w);
	for (int i = 0; i < CC_COUNT; i++) {
		jw_key(&w, census_count_name((enum census_count)i));
		jw_int(&w, c->counts[i]);
	}
	jw_object_end(&w);
	jw_key(&w, "cloud_p99_ms_min");
	jw_double(&w, c->cloud_p99_ms_min);
	jw_key(&w, "cloud_p99_ms_max");
	jw_double(&w, c->cloud_p99_ms_max);
	jw_key(&w, "distinct_metric_points");
	jw_int(&w, c->distinct_metric_points);
	jw_key(&w, "frontier");
	jw_array_begin(&w);
	for (size_t i = 0; i < c->n_frontier; i++) {
		const struct frontier_point *fp = &c->frontier[i];
		jw_object_begin(&w);
		jw_key(&w, "cloud_p99_ms");
		jw_double(&w, fp->cloud_p99_ms);
		jw_key(&w, "cost_per_req_usd");
		jw_double(&w, fp->cost_per_req_usd);
		jw_key(&w, "post_drift_accuracy");
		jw_double(&w, fp->post_drift_accuracy);
		jw_key(&w, "config");
		engine_write_config(&w, &fp->config);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
}

void
engine_write_config(struct jsonw *w, const struct config *c)
{
	jw_object_begin(w);
	jw_key(w, "n_gpus");
	jw_int(w, c->n_gpus);
	jw_key(w, "quant_cloud");
	jw_string(w, quant_name(c->quant_cloud));
	jw_key(w, "quant_edge");
	jw_string(w, quant_name(c->quant_edge));
	jw_key(w, "quant_mobile");
	jw_string(w, quant_name(c->quant_mobile));
	jw_key(w, "serving");
	jw_string(w, serving_name(c->serving));
	jw_key(w, "cadence_days");
	jw_int(w, c->cadence_days);
	jw_key(w, "fairness_pct");
	jw_int(w, c->fairness_pct);
	jw_object_end(w);
}
