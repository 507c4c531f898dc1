/*
 * report_model: one audit, the census and the scenario as the tree of
 * values a report template is rendered against.  Input: plain structs.
 * Output: a struct tvalue (tvalue.h).  Numbers stay numbers (the template
 * formats them); ledger text is UNTRUSTED.  No I/O.
 */
#include "view/report_model.h"
#include "view/report_model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The lab's H100 FP16 tensor peak, for the roofline ridge point only. */
#define H100_TFLOPS_FP16 1979.0
/* Serial fractions the lab quotes for multi-GPU inference. */
#define AMDAHL_S_LOW 0.05
#define AMDAHL_S_HIGH 0.10
/* A fixed date for reports of undated ledgers without SOURCE_DATE_EPOCH. */
#define FIXED_DATE "1 January 2026"

static const char *const inv_keys[N_INVARIANTS] = {
	"iron_law", "memory_wall", "amdahl", "roofline", "littles_law", "drift",
	"fairness"
};

const char *
report_invariant_key(int i)
{
	return i >= 0 && i < N_INVARIANTS ? inv_keys[i] : "none";
}

static const char *const ctx_labels[CTX_COUNT] = {
	"Cloud (H100)", "Edge (Jetson Orin NX)", "Mobile (phone NPU)",
	"TinyML (Cortex-M7)"
};
static const char *const ctx_short[CTX_COUNT] = {
	"Cloud", "Edge", "Mobile", "TinyML"
};

/* Act I answers, as the capstone offered them. */
static const struct {
	const char *key, *label, *letter;
} answers[] = {
	/* the lab maps the Memory Wall to memory bandwidth too */
	{ "memory_bw", "memory bandwidth (Iron Law, Memory Wall, Roofline)", "A" },
	{ "queuing", "queuing effects (Little's Law, P99)", "B" },
	{ "serial_fraction", "serial fraction (Amdahl's Law)", "C" },
	{ "drift", "distribution drift (PSI, MLOps)", "D" },
};

/* Act II answers. */
static const struct {
	const char *key, *label;
} tier_answers[] = {
	{ "cloud_oom", "the cloud tier runs out of memory" },
	{ "edge_latency", "the edge tier cannot meet the latency" },
	{ "mobile_oom", "the mobile tier runs out of memory" },
	{ "tiny_oom", "the TinyML tier overflows its SRAM" },
};

/* ---- small builders ------------------------------------------------------ */

static void
ustr(struct tvalue *m, const char *key, const char *v)
{
	char *cut;

	if (v == NULL) {
		tvalue_map_set(m, key, tvalue_null());
		return;
	}
	/* a student's 8 MB answer is not 7,000 pages */
	cut = utf8_shorten(v, REPORT_TEXT_MAX);
	tvalue_map_set_str(m, key, cut, TV_UNTRUSTED);
	free(cut);
}

/* "Lab 04, Lab 08 and Lab 12", with a no-break space inside each name */
static void
lab_list(struct buf *b, const int *chapters, int n)
{
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, i == n - 1 ? " and " : ", ");
		buf_printf(b, "Lab\xc2\xa0%02d", chapters[i]);
	}
}

/*
 * Short titles of the labs, by chapter, so that a student who last opened
 * a lab weeks ago knows which one "Lab 05" was (the topics of the lab
 * files: lab_05_nn_compute and so on; chapter 16 is the capstone).
 */
static const char *const lab_titles[CAPSTONE_CHAPTER + 1] = {
	"Introduction", "ML introduction", "ML systems", "ML workflow",
	"Data engineering", "Neural computation", "Network architectures",
	"ML frameworks", "Model training", "Data selection",
	"Model compression", "Hardware acceleration", "Benchmarking",
	"Model serving", "ML operations", "Responsible engineering",
	"Capstone"
};

static const char *
lab_title(long chapter)
{
	return chapter >= 0 && chapter <= CAPSTONE_CHAPTER ? lab_titles[chapter] : NULL;
}

/* "Lab 05, Neural computation; Lab 08, Model training" */
static void
lab_list_titled(struct buf *b, const int *chapters, int n)
{
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		buf_printf(b, "Lab\xc2\xa0%02d, %s", chapters[i], lab_title(chapters[i]));
	}
}

/* "Edge", "Edge and TinyML", "Edge, Mobile and TinyML" */
static void
name_list(struct buf *b, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, i == n - 1 ? " and " : ", ");
		buf_puts(b, names[i]);
	}
}

/* ---- dates ---------------------------------------------------------------- */

bool
report_format_date(const char *iso, char out[32])
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	int y, m, d;

	if (!iso_date_parse(iso, &y, &m, &d))
		return false;
	snprintf(out, 32, "%d %s %d", d, months[m - 1], y);
	return true;
}

static void
add_report(struct tvalue *root, const struct audit *a, const struct scenario *s,
    const struct report_meta *meta)
{
	struct tvalue *r = submap(root, "report");
	char date[32];

	str(r, "course", "Machine Learning Systems");
	str(r, "volume", "Volume I");
	str(r, "lab", "Lab 16: The Architect's Audit");
	if (report_format_date(a->ledger->last_updated, date)) {
		str(r, "date", date);
		str(r, "date_source", "ledger");
		flag(r, "date_from_ledger", true);
	} else if (meta->have_source_date) {
		time_t t = (time_t)meta->source_date_epoch;
		struct tm tm;
		char iso[32];
		gmtime_r(&t, &tm);
		strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
		if (!report_format_date(iso, date))
			snprintf(date, sizeof date, "%s", FIXED_DATE);
		str(r, "date", date);
		str(r, "date_source", "build");
		flag(r, "date_from_build", true);
	} else {
		str(r, "date", FIXED_DATE);
		str(r, "date_source", "fixed");
	}
	ustr(r, "file", meta->file_name);
	fmtstr(r, "sha12", "%.12s", meta->sha256_hex);
	str(r, "sha256", meta->sha256_hex);
	str(r, "program", meta->program);
	ustr(r, "scenario", s->source);
	flag(r, "custom_scenario", s->source != NULL);
	flag(r, "class_appendix", meta->class_appendix);
	ustr(root, "student", a->student);
}

/* ---- Act I ------------------------------------------------------------------ */

static const char *
answer_label(const char *key)
{
	for (size_t i = 0; i < sizeof answers / sizeof *answers; i++)
		if (key != NULL && strcmp(answers[i].key, key) == 0)
			return answers[i].label;
	return NULL;
}

static const char *
answer_letter(const char *key)
{
	for (size_t i = 0; i < sizeof answers / sizeof *answers; i++)
		if (key != NULL && strcmp(answers[i].key, key) == 0)
			return answers[i].letter;
	return NULL;
}

static void
add_act1(struct tvalue *root, const struct results *rs)
{
	const struct result_names *nm = &rs->names;
	const struct audit *au = rs->audit;
	const struct act1 *a = &au->act1;
	const struct capstone_reading *cap = &au->capstone;
	struct tvalue *m = submap(root, "act1"), *l, *e;
	struct buf b;

	buf_init(&b);
	num(m, "n_labs", N_LABS);
	num(m, "n_completed", a->n_completed);
	num(m, "n_missing", N_LABS - a->n_completed);
	num(m, "n_predictions", a->n_predictions);
	num(m, "n_correct", a->n_correct);
	num(m, "n_wrong", a->n_predictions - a->n_correct);
	num(m, "pct_correct", a->pct_correct);
	num(m, "n_hits", a->n_hits);
	flag(m, "has_completed", a->n_completed > 0);
	flag(m, "none_completed", a->n_completed == 0);
	flag(m, "all_completed", a->n_completed == N_LABS);
	flag(m, "sparse", a->sparse);
	flag(m, "has_hits", a->n_hits > 0);
	lab_list(&b, a->hit_chapters, a->n_hits);
	str(m, "hit_list", b.data);
	buf_reset(&b);
	lab_list_titled(&b, a->hit_chapters, a->n_hits);
	str(m, "hit_titled", b.data);
	flag(m, "hits_few", a->n_hits <= 4);

	/* labs not recorded, for the sparse note */
	int missing[N_LABS], n_missing = 0;
	for (int c = 1; c <= N_LABS; c++)
		if (!au->ledger->lab[c].present)
			missing[n_missing++] = c;
	buf_reset(&b);
	lab_list(&b, missing, n_missing);
	str(m, "missing_list", b.data);
	buf_reset(&b);
	lab_list_titled(&b, missing, n_missing);
	str(m, "missing_titled", b.data);
	/* a long list with titles fills half a page: numbers only then */
	flag(m, "missing_few", n_missing <= 5);

	l = sublist(m, "contexts");
	for (int c = 0; c < CTX_COUNT; c++) {
		e = push_map(l);
		str(e, "key", nm->context[c]);
		str(e, "label", ctx_labels[c]);
		str(e, "short", ctx_short[c]);
		flag(e, "last", c == CTX_COUNT - 1);
		num(e, "count", a->ctx_counts[c]);
		num(e, "pct", a->n_completed ? 100.0 * a->ctx_counts[c] / a->n_completed : 0.0);
		flag(e, "is_fav", c == (int)a->fav_context && a->n_completed > 0);
	}
	e = submap(m, "fav_context");
	str(e, "key", nm->context[a->fav_context]);
	str(e, "label", ctx_labels[a->fav_context]);
	str(e, "short", ctx_short[a->fav_context]);
	num(e, "count", a->ctx_counts[a->fav_context]);
	{
		/* other contexts with as many labs: the lab takes the first */
		const char *tied[CTX_COUNT];
		int n_tied = 0, n_counted = 0;
		for (int c = 0; c < CTX_COUNT; c++) {
			n_counted += a->ctx_counts[c];
			if (c != (int)a->fav_context &&
			    a->ctx_counts[c] == a->ctx_counts[a->fav_context])
				tied[n_tied++] = ctx_short[c];
		}
		flag(e, "tied", n_tied > 0 && a->n_completed > 0);
		buf_reset(&b);
		name_list(&b, tied, n_tied);
		str(e, "tied_with", b.data ? b.data : "");
		num(e, "share_pct", a->n_completed ?
		    100.0 * a->ctx_counts[a->fav_context] / a->n_completed : 0.0);
		flag(e, "majority", 2 * a->ctx_counts[a->fav_context] > a->n_completed);
		flag(e, "any", a->ctx_counts[a->fav_context] > 0);
		num(m, "n_ctx_uncounted", a->n_completed - n_counted);
		flag(m, "has_ctx_uncounted", a->n_completed > n_counted);
	}

	bool any_data = false;
	l = sublist(m, "invariants");
	for (int i = 0; i < N_INVARIANTS; i++) {
		const struct invariant_score *v = &a->inv[i];
		const int *ch;
		int n = nm->inv_n_chapters[i];
		ch = nm->inv_chapters[i];
		e = push_map(l);
		str(e, "name", v->name);
		str(e, "key", inv_keys[i]);
		num(e, "correct_pct", v->correct_rate * 100.0);
		num(e, "hit_pct", v->hit_rate * 100.0);
		num(e, "n", v->n);
		num(e, "n_chapters", n);
		flag(e, "has_data", v->n > 0);
		flag(e, "is_weakest", i == a->weakest);
		buf_reset(&b);
		lab_list(&b, ch, n);
		str(e, "labs", b.data);
		buf_reset(&b);
		lab_list_titled(&b, ch, n);
		str(e, "labs_titled", b.data);
		any_data |= v->n > 0;
	}
	const struct invariant_score *w = &a->inv[a->weakest];
	const int *wch = nm->inv_chapters[a->weakest];
	int wn = nm->inv_n_chapters[a->weakest];
	e = submap(m, "weakest");
	{
		/* invariants with data and the same rate: the first is taken */
		const char *tied[N_INVARIANTS];
		int n_tied = 0;
		for (int i = 0; i < N_INVARIANTS; i++)
			if (i != a->weakest && a->inv[i].n > 0 && w->n > 0 &&
			    a->inv[i].correct_rate == w->correct_rate)
				tied[n_tied++] = a->inv[i].name;
		flag(e, "tied", n_tied > 0);
		num(e, "n_tied", n_tied);
		/* every recorded prediction held up: no law stands out */
		flag(e, "perfect", w->n > 0 && w->correct_rate >= 1.0);
		flag(e, "imperfect", !(w->n > 0 && w->correct_rate >= 1.0));
		buf_reset(&b);
		name_list(&b, tied, n_tied);
		str(e, "tied_with", b.data ? b.data : "");
	}
	str(e, "name", w->name);
	str(e, "key", inv_keys[a->weakest]);
	num(e, "correct_pct", w->correct_rate * 100.0);
	num(e, "hit_pct", w->hit_rate * 100.0);
	num(e, "n", w->n);
	flag(e, "from_data", any_data);
	buf_reset(&b);
	lab_list(&b, wch, wn);
	str(e, "labs", b.data);
	buf_reset(&b);
	lab_list_titled(&b, wch, wn);
	str(e, "labs_titled", b.data);
	{
		/* which of its labs the ledger holds, when not all of them */
		int rec[N_LABS], n_rec = 0;
		for (int i = 0; i < wn; i++)
			if (wch[i] >= 1 && wch[i] <= N_LABS && au->ledger->lab[wch[i]].present)
				rec[n_rec++] = wch[i];
		buf_reset(&b);
		lab_list(&b, rec, n_rec);
		str(e, "recorded", b.data ? b.data : "");
		flag(e, "partly", n_rec > 0 && n_rec < wn);
	}
	struct tvalue *is = submap(m, "weakest_is");
	for (int i = 0; i < N_INVARIANTS; i++)
		flag(is, inv_keys[i], i == a->weakest);

	e = submap(m, "answer");
	str(e, "key", a->act1_correct_answer);
	str(e, "label", answer_label(a->act1_correct_answer));
	str(e, "letter", answer_letter(a->act1_correct_answer));

	e = submap(m, "prediction");
	flag(e, "has", cap->has_act1_prediction);
	flag(e, "missing", !cap->has_act1_prediction);
	ustr(e, "key", cap->act1_prediction);
	const char *pl = answer_label(cap->act1_prediction);
	flag(e, "known", pl != NULL);
	str(e, "label", pl);
	flag(e, "right", cap->act1_prediction_right);
	flag(e, "wrong", cap->has_act1_prediction && !cap->act1_prediction_right);
	buf_free(&b);
}

/* ---- Act II ------------------------------------------------------------------ */

static void
add_tier(struct tvalue *list, const struct result_names *nm, enum context c,
    const char *hardware, const char *quant, double model, double budget,
    const char *unit, double p99, bool oom)
{
	struct tvalue *e = push_map(list);

	str(e, "key", nm->context[c]);
	str(e, "name", ctx_short[c]);
	str(e, "hardware", hardware);
	str(e, "quant", quant);
	num(e, "model", model);
	str(e, "model_unit", unit);
	num(e, "budget", budget);
	str(e, "budget_unit", unit);
	num(e, "p99_ms", p99);
	flag(e, "has_p99", p99 > 0);
	flag(e, "ok", !oom);
	flag(e, "oom", oom);
	num(e, "headroom", model > 0 ? budget / model : 0);
}

static void
tile(struct tvalue *m, const char *key, double value, bool ok)
{
	struct tvalue *t = submap(m, key);
	num(t, "value", value);
	flag(t, "ok", ok);
	flag(t, "fail", !ok);
}

/*
 * What can still raise this design's token rate, within the grid: a
 * precision with fewer bytes per weight, more GPUs, the serving strategy
 * with the highest multiplier ("fewer bytes per weight (INT4), more GPUs (up
 * to 8) or continuous batching").  Empty when every lever is at its end.
 */
static int
latency_levers(struct buf *b, const struct scenario *s,
    const struct result_names *nm, const struct config *c)
{
	const struct grid_axes *g = &s->grid;
	char part[3][96];
	int n = 0, k;
	size_t i;

	part[0][0] = '\0';
	for (i = 0, k = 0; i < g->n_quant_cloud; i++)
		if (s->bytes_per_param[g->quant_cloud[i]] < s->bytes_per_param[c->quant_cloud]) {
			size_t l = strlen(part[n]);
			snprintf(part[n] + l, sizeof part[n] - l, "%s%s",
			    k++ ? " or " : "fewer bytes per weight (",
			    nm->quant_label[g->quant_cloud[i]]);
		}
	if (k > 0) {
		size_t l = strlen(part[n]);
		snprintf(part[n] + l, sizeof part[n] - l, ")");
		n++;
	}
	if (c->n_gpus < g->n_gpus_max)
		snprintf(part[n++], sizeof part[0], "more GPUs (up to %d)", g->n_gpus_max);
	/* the serving strategy: only the one with the highest multiplier */
	int best = -1;
	for (i = 0; i < g->n_serving; i++)
		if (s->serving_mult[g->serving[i]] > s->serving_mult[c->serving] &&
		    (best < 0 || s->serving_mult[g->serving[i]] > s->serving_mult[best]))
			best = (int)g->serving[i];
	if (best >= 0)
		snprintf(part[n++], sizeof part[0], "%s batching", nm->serving[best]);
	for (k = 0; k < n; k++)
		buf_printf(b, "%s%s", k == 0 ? "" : k == n - 1 ? " or " : ", ", part[k]);
	return n;
}

static void
add_act2(struct tvalue *root, const struct results *rs)
{
	const struct result_names *nm = &rs->names;
	const struct audit *au = rs->audit;
	const struct scenario *s = rs->s;
	const struct config *c = &au->capstone.config;
	const struct metrics *mt = &au->metrics;
	const struct act1 *a1 = &au->act1;
	struct tvalue *m = submap(root, "act2"), *e, *l;
	char hw[48];

	e = submap(m, "brief");
	num(e, "params_b", s->model_params / 1e9);
	num(e, "slo_p99_ms", s->slo_p99_ms);
	num(e, "slo_cost_usd", s->slo_cost_per_req_usd);
	num(e, "rps", s->total_rps);
	num(e, "cloud_rps", s->total_rps * s->cloud_share);
	num(e, "edge_rps", s->total_rps * s->edge_share);
	num(e, "output_tokens", s->output_tokens);
	num(e, "h100_bw_gbs", s->h100_bw_gbs);
	num(e, "h100_ram_gb", s->h100_ram_gb);
	num(e, "h100_cost_per_hour", s->h100_cost_per_hour_usd);
	num(e, "orin_bw_gbs", s->orin_bw_gbs);
	num(e, "orin_ram_gb", s->orin_ram_gb);
	num(e, "mobile_ram_gb", s->mobile_ram_gb);
	num(e, "mcu_sram_kb", s->mcu_sram_kb);
	num(e, "tiny_params_m", s->tiny_params / 1e6);

	e = submap(m, "recs");
	flag(e, "has", a1->n_recs > 0);
	flag(e, "none", a1->n_recs == 0);
	for (int i = 0; i < a1->n_recs; i++) {
		struct tvalue *r = submap(e, nm->rec_kind[a1->recs[i].kind]);
		if (a1->recs[i].kind == REC_P99)
			num(r, "value", a1->recs[i].value_ms);
		else
			ustr(r, "value", a1->recs[i].value_str);
	}
	flag(e, "lab13_present", au->ledger->lab[13].present);

	e = submap(m, "config");
	flag(e, "from_ledger", au->capstone.config_from_ledger);
	flag(e, "is_default", !au->capstone.config_from_ledger);
	num(e, "n_gpus", c->n_gpus);
	str(e, "quant_cloud", nm->quant_label[c->quant_cloud]);
	str(e, "quant_edge", nm->quant_label[c->quant_edge]);
	str(e, "quant_mobile", nm->quant_label[c->quant_mobile]);
	str(e, "serving", nm->serving[c->serving]);
	num(e, "serving_mult_pct", s->serving_mult[c->serving] * 100.0);
	num(e, "cadence_days", c->cadence_days);
	cadence_text(e, "cadence", c->cadence_days);
	num(e, "fairness_pct", c->fairness_pct);

	l = sublist(m, "tiers");
	snprintf(hw, sizeof hw, "%d \xc3\x97 H100", c->n_gpus);
	add_tier(l, nm, CTX_CLOUD, hw, nm->quant_label[c->quant_cloud],
	    mt->cloud_model_gb, mt->cloud_ram_available_gb, "GB", mt->cloud_p99_ms,
	    mt->cloud_oom);
	add_tier(l, nm, CTX_EDGE, "Jetson Orin NX", nm->quant_label[c->quant_edge],
	    mt->edge_model_gb, s->orin_ram_gb, "GB", mt->edge_p99_ms, mt->edge_oom);
	add_tier(l, nm, CTX_MOBILE, "phone NPU", nm->quant_label[c->quant_mobile],
	    mt->mobile_model_gb, s->mobile_ram_gb, "GB", mt->mobile_p99_ms,
	    mt->mobile_oom);
	add_tier(l, nm, CTX_TINY, "Cortex-M7", nm->quant_label[QUANT_TERNARY],
	    mt->tiny_model_kb, s->mcu_sram_kb, "KB", 0, mt->tiny_oom);

	e = submap(m, "tiles");
	tile(e, "p99", mt->cloud_p99_ms, mt->slo_latency_ok);
	tile(e, "cost", mt->cost_per_req_usd, mt->slo_cost_ok);
	tile(e, "accuracy", mt->effective_accuracy * 100.0, mt->accuracy_tile_ok);
	tile(e, "drift", mt->post_drift_accuracy * 100.0, mt->drift_tile_ok);
	tile(e, "tput", mt->cloud_tok_per_sec * s->serving_mult[c->serving],
	    mt->slo_tput_ok);
	num(e, "acc_tile_above_pct", s->acc_tile_above * 100.0);
	num(e, "drift_tile_above_pct", s->drift_tile_above * 100.0);
	num(e, "acc_warn_below_pct", s->acc_warn_below * 100.0);

	/* raw metrics, names as in section 4 */
	e = submap(m, "metrics");
	num(e, "cloud_model_gb", mt->cloud_model_gb);
	num(e, "edge_model_gb", mt->edge_model_gb);
	num(e, "mobile_model_gb", mt->mobile_model_gb);
	num(e, "tiny_model_kb", mt->tiny_model_kb);
	num(e, "cloud_ram_available_gb", mt->cloud_ram_available_gb);
	num(e, "cloud_tok_per_sec", mt->cloud_tok_per_sec);
	num(e, "edge_tok_per_sec", mt->edge_tok_per_sec);
	num(e, "cloud_p99_ms", mt->cloud_p99_ms);
	num(e, "edge_p99_ms", mt->edge_p99_ms);
	num(e, "mobile_p99_ms", mt->mobile_p99_ms);
	num(e, "cost_per_req_usd", mt->cost_per_req_usd);
	num(e, "effective_accuracy", mt->effective_accuracy);
	num(e, "post_drift_accuracy", mt->post_drift_accuracy);
	flag(e, "system_valid", mt->system_valid);
	flag(e, "constraint_hit", mt->constraint_hit);

	/* one entry per failure or warning, for the callouts */
	e = submap(m, "fail");
	double need_tok = s->total_rps * s->cloud_share * s->output_tokens;
	double have_tok = mt->cloud_tok_per_sec * s->serving_mult[c->serving];
	int n_fail = 0, n_warn = 0;
	if (mt->cloud_oom) {
		struct tvalue *f = submap(e, "cloud_oom");
		num(f, "need_gb", mt->cloud_model_gb);
		num(f, "have_gb", mt->cloud_ram_available_gb);
		num(f, "min_gpus", floor(mt->cloud_model_gb / s->h100_ram_gb) + 1);
		n_fail++;
	}
	if (mt->edge_oom) {
		struct tvalue *f = submap(e, "edge_oom");
		num(f, "need_gb", mt->edge_model_gb);
		num(f, "have_gb", s->orin_ram_gb);
		n_fail++;
	}
	if (mt->mobile_oom) {
		struct tvalue *f = submap(e, "mobile_oom");
		num(f, "need_gb", mt->mobile_model_gb);
		num(f, "have_gb", s->mobile_ram_gb);
		n_fail++;
	}
	if (mt->tiny_oom) {
		struct tvalue *f = submap(e, "tiny_oom");
		num(f, "need_kb", mt->tiny_model_kb);
		num(f, "have_kb", s->mcu_sram_kb);
		num(f, "ratio", mt->tiny_model_kb / s->mcu_sram_kb);
		/* the inverse of the lab's sizing, tiny_model_kb above */
		num(f, "max_params_m", s->mcu_sram_kb * 1e6 /
		    (s->bytes_per_param[QUANT_TERNARY] * 1024) / 1e6);
		n_fail++;
	}
	if (!mt->slo_latency_ok) {
		struct tvalue *f = submap(e, "latency");
		num(f, "p99_ms", mt->cloud_p99_ms);
		num(f, "slo_ms", s->slo_p99_ms);
		num(f, "ratio", mt->cloud_p99_ms / s->slo_p99_ms);
		struct buf lv;
		buf_init(&lv);
		int nl = latency_levers(&lv, s, nm, c);
		str(f, "levers", lv.data ? lv.data : "");
		flag(f, "has_levers", nl > 0);
		flag(f, "one_lever", nl == 1);
		buf_free(&lv);
		n_fail++;
	}
	if (!mt->slo_cost_ok) {
		struct tvalue *f = submap(e, "cost");
		num(f, "cost_usd", mt->cost_per_req_usd);
		num(f, "slo_usd", s->slo_cost_per_req_usd);
		n_fail++;
	}
	if (!mt->slo_tput_ok) {
		struct tvalue *f = submap(e, "tput");
		num(f, "need_tok_s", need_tok);
		num(f, "have_tok_s", have_tok);
		num(f, "ratio", have_tok > 0 ? need_tok / have_tok : 0);
		num(f, "cloud_rps", s->total_rps * s->cloud_share);
		n_fail++;
	}
	if (mt->accuracy_warning) {
		struct tvalue *f = submap(e, "accuracy");
		num(f, "pct", mt->effective_accuracy * 100.0);
		num(f, "below_pct", s->acc_warn_below * 100.0);
		n_warn++;
	}
	if (mt->drift_warning) {
		struct tvalue *f = submap(e, "drift");
		num(f, "pct", mt->post_drift_accuracy * 100.0);
		num(f, "base_pct", mt->effective_accuracy * 100.0);
		num(f, "below_pct", s->drift_warn_below * 100.0);
		num(f, "cadence_days", c->cadence_days);
		cadence_text(f, "cadence", c->cadence_days);
		n_warn++;
	}
	/* failures decide feasibility (system_valid); warnings are told apart */
	num(m, "n_failures", n_fail);
	num(m, "n_warned", n_warn);
	flag(m, "has_warned", n_warn > 0);
	flag(m, "all_ok", n_fail == 0 && n_warn == 0);
	flag(m, "system_valid", mt->system_valid);

	e = submap(m, "prediction");
	const struct capstone_reading *cap = &au->capstone;
	const char *label = NULL;
	for (size_t i = 0; i < sizeof tier_answers / sizeof *tier_answers; i++)
		if (cap->act2_prediction && strcmp(cap->act2_prediction, tier_answers[i].key) == 0)
			label = tier_answers[i].label;
	flag(e, "has", cap->has_act2_prediction);
	flag(e, "missing", !cap->has_act2_prediction);
	ustr(e, "key", cap->act2_prediction);
	flag(e, "known", label != NULL);
	str(e, "label", label);
	flag(e, "right", cap->act2_prediction_right);
	flag(e, "wrong", cap->has_act2_prediction && !cap->act2_prediction_right);
	struct tvalue *said = submap(e, "said");
	for (size_t i = 0; i < sizeof tier_answers / sizeof *tier_answers; i++)
		flag(said, tier_answers[i].key, cap->act2_prediction &&
		    strcmp(cap->act2_prediction, tier_answers[i].key) == 0);
}

/* ---- the governing equations with the student's numbers ---------------------- */

static void
add_equations(struct tvalue *root, const struct results *rs)
{
	const struct result_names *nm = &rs->names;
	const struct audit *au = rs->audit;
	const struct scenario *s = rs->s;
	const struct config *c = &au->capstone.config;
	const struct metrics *mt = &au->metrics;
	struct tvalue *m = submap(root, "eq"), *e, *l;
	double mult = s->serving_mult[c->serving];

	e = submap(m, "iron");
	num(e, "tokens", s->output_tokens);
	num(e, "bw_gbs", s->h100_bw_gbs);
	num(e, "n_gpus", c->n_gpus);
	num(e, "bytes_per_param", s->bytes_per_param[c->quant_cloud]);
	num(e, "params_b", s->model_params / 1e9);
	num(e, "weights_gb", s->model_params * s->bytes_per_param[c->quant_cloud] / 1e9);
	num(e, "tok_per_sec", mt->cloud_tok_per_sec);
	num(e, "serving_mult", mult);
	num(e, "eff_tok_per_sec", mt->cloud_tok_per_sec * mult);
	num(e, "p99_ms", mt->cloud_p99_ms);

	l = sublist(m, "memory");
	struct {
		const char *name;
		enum quant q;
		double total, budget;
	} tiers[3] = {
		{ "Cloud", c->quant_cloud, mt->cloud_model_gb, mt->cloud_ram_available_gb },
		{ "Edge", c->quant_edge, mt->edge_model_gb, s->orin_ram_gb },
		{ "Mobile", c->quant_mobile, mt->mobile_model_gb, s->mobile_ram_gb },
	};
	for (int i = 0; i < 3; i++) {
		e = push_map(l);
		str(e, "tier", tiers[i].name);
		str(e, "quant", nm->quant_label[tiers[i].q]);
		num(e, "bytes_per_param", s->bytes_per_param[tiers[i].q]);
		num(e, "weights_gb", s->model_params * s->bytes_per_param[tiers[i].q] / 1e9);
		num(e, "kv_gb", s->kv_cache_gb_fp16 * s->kv_scale[tiers[i].q]);
		num(e, "total_gb", tiers[i].total);
		num(e, "budget_gb", tiers[i].budget);
		flag(e, "fits", tiers[i].total <= tiers[i].budget);
	}
	e = submap(m, "tiny");
	num(e, "params_m", s->tiny_params / 1e6);
	num(e, "bytes_per_param", s->bytes_per_param[QUANT_TERNARY]);
	num(e, "kb", mt->tiny_model_kb);
	num(e, "sram_kb", s->mcu_sram_kb);
	/* the bytes as they are, and the lab's sizing: MB (10^6 B) times 1,024 */
	double tiny_bytes = s->tiny_params * s->bytes_per_param[QUANT_TERNARY];
	num(e, "mb", tiny_bytes / 1e6);
	num(e, "kb_si", tiny_bytes / 1e3);
	num(e, "kib", tiny_bytes / 1024.0);

	e = submap(m, "amdahl");
	num(e, "n", c->n_gpus);
	num(e, "s_low", AMDAHL_S_LOW);
	num(e, "s_high", AMDAHL_S_HIGH);
	num(e, "speedup_low", 1.0 / (AMDAHL_S_LOW + (1.0 - AMDAHL_S_LOW) / c->n_gpus));
	num(e, "speedup_high", 1.0 / (AMDAHL_S_HIGH + (1.0 - AMDAHL_S_HIGH) / c->n_gpus));
	num(e, "ceiling_low", 1.0 / AMDAHL_S_LOW);
	num(e, "ceiling_high", 1.0 / AMDAHL_S_HIGH);
	/* the P99 takes N GPUs as a perfect N-fold speed-up; with S it is slower */
	double sp_low = 1.0 / (AMDAHL_S_LOW + (1.0 - AMDAHL_S_LOW) / c->n_gpus);
	num(e, "p99_low_ms", mt->cloud_p99_ms * c->n_gpus / sp_low);
	flag(e, "several", c->n_gpus > 1);

	e = submap(m, "roofline");
	num(e, "tflops", H100_TFLOPS_FP16);
	num(e, "bw_gbs", s->h100_bw_gbs);
	num(e, "ridge", H100_TFLOPS_FP16 * 1e12 / (s->h100_bw_gbs * 1e9));
	/* decode reads every weight once per token: 2 FLOPs per parameter */
	double ai = 2.0 / s->bytes_per_param[c->quant_cloud];
	num(e, "decode_ai", ai);
	num(e, "attainable_tflops", ai * s->h100_bw_gbs * 1e9 / 1e12);
	num(e, "pct_of_peak", 100.0 * ai * s->h100_bw_gbs * 1e9 / (H100_TFLOPS_FP16 * 1e12));

	e = submap(m, "little");
	double lambda = s->total_rps * s->cloud_share;
	num(e, "lambda", lambda);
	num(e, "w_s", mt->cloud_p99_ms / 1000.0);
	num(e, "w_ms", mt->cloud_p99_ms);
	num(e, "l", lambda * mt->cloud_p99_ms / 1000.0);

	e = submap(m, "drift");
	num(e, "acc0_pct", mt->effective_accuracy * 100.0);
	num(e, "rate_pct", s->drift_per_day * 100.0);
	num(e, "cadence_days", c->cadence_days);
	num(e, "loss_pct", s->drift_per_day * c->cadence_days * 100.0);
	num(e, "acc_pct", mt->post_drift_accuracy * 100.0);

	e = submap(m, "fairness");
	num(e, "threshold_pct", c->fairness_pct);
	flag(e, "tight", c->fairness_pct <= 5);
}

/* ---- notes and warnings ------------------------------------------------------ */

/*
 * A reading note for print: its own wording gets typographer's quotes and
 * apostrophes, while a ledger's value inside it, quoted as JSON by the
 * reader (json_quote, inner quotes as \"), prints as written between
 * curly quotes.
 */
static char *
note_for_print(const char *msg)
{
	struct buf b = {0};
	bool in_value = false;

	for (const char *p = msg; *p != '\0'; p++) {
		if (in_value) {
			if (*p == '\\' && p[1] != '\0') {
				buf_putc(&b, *p++);
				buf_putc(&b, *p);
			} else if (*p == '"') {
				buf_puts(&b, "\xE2\x80\x9D");
				in_value = false;
			} else {
				buf_putc(&b, *p);
			}
		} else if (*p == '"') {
			buf_puts(&b, "\xE2\x80\x9C");
			in_value = true;
		} else if (*p == '\'') {
			buf_puts(&b, "\xE2\x80\x99");
		} else if (*p == '-' && p > msg && p[-1] >= '0' && p[-1] <= '9' &&
		    p[1] >= '0' && p[1] <= '9') {
			buf_puts(&b, "\xE2\x80\x93");   /* a range: "labs 1–16" */
		} else {
			buf_putc(&b, *p);
		}
	}
	return b.data ? b.data : xstrdup("");
}

/* "1st", "2nd", "3rd", "4th", "11th", "21st" */
static const char *
ordinal_suffix(size_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

/* The lab whose winning entry is history[idx], or -1 (a redone lab's
 * earlier entry, an entry left out). */
static long
entry_chapter(const struct ledger *l, size_t idx)
{
	for (int c = 1; c <= N_LABS; c++)
		if (l->lab[c].present && l->lab[c].entry_index == idx)
			return c;
	if (l->capstone.present && l->capstone.entry_index == idx)
		return CAPSTONE_CHAPTER;
	return -1;
}

/*
 * A reading note in the lab's terms: "history[6].design.context: ..."
 * becomes "Lab 13, the 7th entry in your file, its context: ..." with the
 * JSON path kept apart, for a teaching assistant, in small type.  A note
 * about the whole file is left as it is, with no path.
 */
static void
note_in_lab_terms(struct tvalue *e, const struct ledger *l, const char *msg)
{
	const char *p = msg + strlen("history[");
	char *end, *t;
	size_t idx, plen;
	struct buf b = {0};

	if (strncmp(msg, "history[", 8) != 0 || *p < '0' || *p > '9' ||
	    (idx = strtoul(p, &end, 10), *end != ']') ||
	    (plen = strcspn(end, ":"), end[plen] != ':')) {
		t = note_for_print(msg);
		ustr(e, "text", t);
		free(t);
		flag(e, "has_path", false);
		return;
	}
	plen += (size_t)(end - msg);
	const char *field = end + 1, *what = msg + plen + 1;
	while (*what == ' ')
		what++;
	if (strncmp(field, ".design.", 8) == 0)
		field += 8;
	else if (*field == '.')
		field++;
	long ch = entry_chapter(l, idx);
	if (ch >= 0)
		buf_printf(&b, "Lab %02ld, the %zu%s entry in your file", ch,
		    idx + 1, ordinal_suffix(idx + 1));
	else
		buf_printf(&b, "The %zu%s entry in your file", idx + 1,
		    ordinal_suffix(idx + 1));
	if (field < msg + plen)
		buf_printf(&b, ", its %.*s", (int)(msg + plen - field), field);
	buf_printf(&b, ": %s", what);
	t = note_for_print(b.data);
	ustr(e, "text", t);
	free(t);
	buf_free(&b);
	/* the path in a code span: only the characters a path is made of */
	bool plain = plen < 80;
	for (size_t i = 0; i < plen && plain; i++)
		plain = strchr("abcdefghijklmnopqrstuvwxyz0123456789_.[]", msg[i]) != NULL;
	flag(e, "has_path", plain);
	if (plain) {
		char *path = xasprintf("%.*s", (int)plen, msg);
		str(e, "path", path);
		free(path);
	}
}

static void
add_diags(struct tvalue *root, const struct audit *a)
{
	struct tvalue *m = submap(root, "appendix"), *l, *e;
	const struct capstone_reading *c = &a->capstone;
	const struct diag_list *lists[2] = { &a->ledger->diags, &a->diags };
	size_t nw = 0, nn = 0;

	l = sublist(m, "consistency");
	for (int i = 0; i < c->n_notes; i++) {
		e = push_map(l);
		str(e, "field", c->notes[i].name);
		ustr(e, "stored", c->notes[i].stored);
		str(e, "recomputed", c->notes[i].recomputed);
	}
	flag(m, "has_consistency", c->n_notes > 0);
	num(m, "n_consistency", c->n_notes);

	struct tvalue *w = sublist(m, "warnings"), *n = sublist(m, "notes");
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < lists[k]->n; i++) {
			const struct diag *d = &lists[k]->items[i];
			size_t *count = d->level == DIAG_WARNING ? &nw : &nn;
			/* the report lists a few dozen; the count says how many */
			if ((*count)++ >= REPORT_LIST_MAX)
				continue;
			e = push_map(d->level == DIAG_WARNING ? w : n);
			str(e, "id", d->id);
			note_in_lab_terms(e, a->ledger, d->msg);
		}
	}
	num(m, "n_warnings", (double)nw);
	num(m, "n_notes", (double)nn);
	num(m, "n_warnings_more", nw > REPORT_LIST_MAX ? (double)(nw - REPORT_LIST_MAX) : 0);
	num(m, "n_notes_more", nn > REPORT_LIST_MAX ? (double)(nn - REPORT_LIST_MAX) : 0);
	flag(m, "warnings_cut", nw > REPORT_LIST_MAX);
	flag(m, "notes_cut", nn > REPORT_LIST_MAX);
	flag(m, "has_warnings", nw > 0);
	flag(m, "has_notes", nn > 0);
	flag(m, "clean", nw == 0 && nn == 0 && c->n_notes == 0);
	num(m, "n_vol2", (double)a->ledger->n_vol2);
	num(m, "n_skipped", (double)a->ledger->n_skipped);
}

struct tvalue *
report_model_new(const struct results *rs, const struct report_meta *meta)
{
	struct tvalue *root = tvalue_map_new();

	add_report(root, rs->audit, rs->s, meta);
	add_act1(root, rs);
	add_act2(root, rs);
	report_model_grid(root, rs);
	report_model_position(root, rs);
	report_model_sensitivity(root, rs);
	add_equations(root, rs);
	add_diags(root, rs->audit);
	return root;
}
