/*
 * class_summary: per-student headline numbers (struct student_summary),
 * their running sums over a class, and the class summary document.
 * Input: audits (one at a time) or summaries that came back from a
 * worker.  Output: the chart inputs and the template model of the class;
 * report.c typesets them.  No I/O, no foreign headers.
 */
#include "class_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "report_model.h"

struct named {
	char *name;                    /* owned */
	char *lang;                    /* owned or NULL */
	int n_notes;
};

struct class_summary {
	int n_students, n_failed, n_missing;
	char latest[11];               /* latest ledger day, "" if none */
	int completed[N_LABS], right[N_LABS], hit[N_LABS];
	int weakest[N_INVARIANTS], weakest_default;
	int with_data[N_INVARIANTS];
	double rate_sum[N_INVARIANTS];
	int rate_hist[N_INVARIANTS][CLASS_HIST_BINS];
	int own_design, valid, latency_ok, cost_ok, tput_ok;
	int act1_pred, act1_right, act2_pred, act2_right;
	int n_with_notes;
	struct named named[CLASS_MAX_NAMED];
	int n_named;
	struct design_point *points;   /* owned; merged now and then */
	size_t n_points, cap_points;
	const char *inv_names[N_INVARIANTS]; /* static, from act1 */
	/* filled by class_summary_charts */
	struct class_completion_data completion;
	struct class_radar_data radar;
	struct class_scatter_data scatter;
};

static int
popcount16(unsigned v)
{
	int n = 0;
	for (; v != 0; v &= v - 1)
		n++;
	return n;
}

static unsigned
chapter_mask(int inv)
{
	const int *ch;
	int n = invariant_chapters(inv, &ch);
	unsigned m = 0;
	for (int k = 0; k < n; k++)
		m |= 1u << (ch[k] - 1);
	return m;
}

void
student_summary_from_audit(const struct audit *a, struct student_summary *s)
{
	const struct ledger *l = a->ledger;
	size_t nw;

	memset(s, 0, sizeof *s);
	for (int c = 1; c <= N_LABS; c++) {
		if (!l->lab[c].present)
			continue;
		s->completed |= (uint16_t)(1u << (c - 1));
		if (l->lab[c].act1_correct)
			s->right |= (uint16_t)(1u << (c - 1));
		if (l->lab[c].constraint_hit)
			s->hit |= (uint16_t)(1u << (c - 1));
	}
	s->weakest = (int8_t)a->act1.weakest;
	s->weakest_from_data = a->act1.inv[a->act1.weakest].n > 0;
	s->capstone_present = a->capstone.present;
	s->config_from_ledger = a->capstone.config_from_ledger;
	s->has_act1_prediction = a->capstone.has_act1_prediction;
	s->act1_prediction_right = a->capstone.act1_prediction_right;
	s->has_act2_prediction = a->capstone.has_act2_prediction;
	s->act2_prediction_right = a->capstone.act2_prediction_right;
	s->system_valid = a->metrics.system_valid;
	s->slo_latency_ok = a->metrics.slo_latency_ok;
	s->slo_cost_ok = a->metrics.slo_cost_ok;
	s->slo_tput_ok = a->metrics.slo_tput_ok;
	s->n_consistency_notes = (uint8_t)a->capstone.n_notes;
	nw = diag_count(&l->diags, DIAG_WARNING) + diag_count(&a->diags, DIAG_WARNING);
	s->n_warnings = (uint16_t)(nw > 65535 ? 65535 : nw);
	s->n_gpus = a->capstone.config.n_gpus;
	/* only a real date (report_format_date accepts it) is kept */
	char shown[32];
	if (report_format_date(l->last_updated, shown))
		memcpy(s->date, l->last_updated, 10);
	s->p99_ms = a->metrics.cloud_p99_ms;
	s->cost_usd = a->metrics.cost_per_req_usd;
	s->effective_accuracy = a->metrics.effective_accuracy;
	s->post_drift_accuracy = a->metrics.post_drift_accuracy;
}

int
student_summary_n_completed(const struct student_summary *s)
{
	return popcount16(s->completed);
}

int
student_summary_n_right(const struct student_summary *s)
{
	return popcount16(s->right & s->completed);
}

int
student_summary_n_hits(const struct student_summary *s)
{
	return popcount16(s->hit & s->completed);
}

double
student_summary_pct_right(const struct student_summary *s)
{
	int n = student_summary_n_completed(s);
	return n > 0 ? (double)student_summary_n_right(s) / n * 100.0 : 0.0;
}

bool
student_summary_invariant(const struct student_summary *s, int i, double *rate)
{
	unsigned m = chapter_mask(i);
	int n = popcount16(s->completed & m);

	if (n == 0)
		return false;
	*rate = (double)popcount16(s->right & s->completed & m) / n;
	return true;
}

/* The invariants' names as act1 gives them (static strings). */
static void
invariant_names(const char *names[N_INVARIANTS])
{
	static struct ledger empty;     /* zero: no lab saved */
	struct act1 a;

	act1_compute(&empty, &a);
	for (int i = 0; i < N_INVARIANTS; i++)
		names[i] = a.inv[i].name;
}

const char *
student_summary_weakest_name(const struct student_summary *s)
{
	const char *names[N_INVARIANTS];

	invariant_names(names);
	return s->weakest >= 0 && s->weakest < N_INVARIANTS ? names[s->weakest] : "";
}

struct class_summary *
class_summary_new(void)
{
	struct class_summary *c = xcalloc(1, sizeof *c);

	invariant_names(c->inv_names);
	return c;
}

void
class_summary_free(struct class_summary *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->n_named; i++) {
		free(c->named[i].name);
		free(c->named[i].lang);
	}
	free(c->points);
	free(c);
}

void
class_summary_add(struct class_summary *c, const struct student_summary *s,
    const char *name, const char *lang)
{
	c->n_students++;
	if (strncmp(s->date, c->latest, sizeof s->date) > 0)
		memcpy(c->latest, s->date, sizeof s->date);
	for (int i = 0; i < N_LABS; i++) {
		unsigned bit = 1u << i;
		if (!(s->completed & bit))
			continue;
		c->completed[i]++;
		c->right[i] += (s->right & bit) != 0;
		c->hit[i] += (s->hit & bit) != 0;
	}
	if (s->weakest_from_data && s->weakest >= 0 && s->weakest < N_INVARIANTS)
		c->weakest[s->weakest]++;
	else
		c->weakest_default++;
	for (int i = 0; i < N_INVARIANTS; i++) {
		double r;
		if (!student_summary_invariant(s, i, &r))
			continue;
		c->with_data[i]++;
		c->rate_sum[i] += r;
		c->rate_hist[i][(int)lround(r * (CLASS_HIST_BINS - 1))]++;
	}
	c->own_design += s->config_from_ledger;
	c->valid += s->system_valid;
	c->latency_ok += s->slo_latency_ok;
	c->cost_ok += s->slo_cost_ok;
	c->tput_ok += s->slo_tput_ok;
	c->act1_pred += s->has_act1_prediction;
	c->act1_right += s->has_act1_prediction && s->act1_prediction_right;
	c->act2_pred += s->has_act2_prediction;
	c->act2_right += s->has_act2_prediction && s->act2_prediction_right;
	if (s->n_consistency_notes > 0) {
		c->n_with_notes++;
		if (c->n_named < CLASS_MAX_NAMED) {
			c->named[c->n_named].name = xstrdup(name);
			c->named[c->n_named].lang = lang != NULL && *lang ? xstrdup(lang) : NULL;
			c->named[c->n_named++].n_notes = s->n_consistency_notes;
		}
	}
	if (s->config_from_ledger && isfinite(s->p99_ms) && isfinite(s->cost_usd)) {
		if (c->n_points == c->cap_points) {
			/* merge first: the grid has few distinct outcomes */
			if (c->n_points > 0)
				c->n_points = chart_points_collapse(c->points,
				    c->n_points);
			if (c->n_points * 2 >= c->cap_points) {
				c->cap_points = c->cap_points ? c->cap_points * 2 : 256;
				c->points = xreallocarray(c->points, c->cap_points,
				    sizeof *c->points);
			}
		}
		c->points[c->n_points].p99_ms = s->p99_ms;
		c->points[c->n_points].cost_usd = s->cost_usd;
		c->points[c->n_points].accuracy = s->post_drift_accuracy;
		c->points[c->n_points].count = 1;
		c->n_points++;
	}
}

void
class_summary_add_failed(struct class_summary *c)
{
	c->n_failed++;
}

void
class_summary_add_missing(struct class_summary *c)
{
	c->n_missing++;
}

int
class_summary_size(const struct class_summary *c)
{
	return c->n_students;
}

/* The q-quantile (0..1) of invariant i's rates, nearest rank. */
static double
quantile(const struct class_summary *c, int i, double q)
{
	long long want = (long long)ceil(q * c->with_data[i]), seen = 0;

	if (want < 1)
		want = 1;
	for (int b = 0; b < CLASS_HIST_BINS; b++) {
		seen += c->rate_hist[i][b];
		if (seen >= want)
			return (double)b / (CLASS_HIST_BINS - 1);
	}
	return 1.0;
}

void
class_summary_charts(struct class_summary *c, const struct scenario *s,
    struct chart_inputs *in)
{
	memset(in, 0, sizeof *in);
	c->completion.n_students = c->n_students;
	for (int i = 0; i < N_LABS; i++)
		c->completion.completed[i] = c->completed[i];
	memset(&c->radar, 0, sizeof c->radar);
	for (int i = 0; i < N_INVARIANTS; i++) {
		c->radar.names[i] = c->inv_names[i];
		c->radar.n_with_data[i] = c->with_data[i];
		if (c->with_data[i] == 0) {
			c->radar.mean[i] = c->radar.lo[i] = c->radar.hi[i] = 0.5;
			continue;
		}
		c->radar.mean[i] = c->rate_sum[i] / c->with_data[i];
		c->radar.lo[i] = quantile(c, i, 0.25);
		c->radar.hi[i] = quantile(c, i, 0.75);
	}
	c->radar.spread_label = "25th\xe2\x80\x93" "75th percentile";
	if (c->n_points > 0)
		c->n_points = chart_points_collapse(c->points, c->n_points);
	c->scatter.points = c->points;
	c->scatter.n_points = c->n_points;
	c->scatter.slo_p99_ms = s->slo_p99_ms;
	c->scatter.slo_cost_usd = s->slo_cost_per_req_usd;
	c->scatter.bands.good_above = s->drift_warn_below;
	c->scatter.bands.warn_below = s->acc_warn_below;
	in->class_completion = &c->completion;
	in->class_radar = &c->radar;
	in->class_scatter = &c->scatter;
}

/* ---- the template model ------------------------------------------------------- */

static double
pct(int part, int whole)
{
	return whole > 0 ? (double)part / whole * 100.0 : 0.0;
}

static void
set_count(struct tvalue *m, const char *key, int n, int whole)
{
	char k[64];

	tvalue_map_set_num(m, key, n);
	snprintf(k, sizeof k, "%s_pct", key);
	tvalue_map_set_num(m, k, pct(n, whole));
}

/*
 * The summary's date, never the clock: the latest day any ledger of the
 * class was saved, else the run's SOURCE_DATE_EPOCH, else no date ("").
 */
static void
format_date(const struct class_summary *c, const long long *source_date,
    char out[32])
{
	out[0] = '\0';
	if (c->latest[0] != '\0' && report_format_date(c->latest, out))
		return;
	if (source_date != NULL) {
		char iso[32];
		time_t t = (time_t)*source_date;
		struct tm tm;
		if (gmtime_r(&t, &tm) == NULL)
			return;
		strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
		if (!report_format_date(iso, out))
			out[0] = '\0';
	}
}

struct tvalue *
class_summary_model(struct class_summary *c, const struct scenario *s,
    const char *program, const long long *source_date)
{
	struct tvalue *root = tvalue_map_new(), *m, *l, *e;
	char date[32];
	int n = c->n_students;

	m = tvalue_map_set(root, "class", tvalue_map_new());
	tvalue_map_set_num(m, "size", n);
	tvalue_map_set_num(m, "n_failed", c->n_failed);
	tvalue_map_set_num(m, "n_missing", c->n_missing);
	tvalue_map_set_num(m, "n_listed", n + c->n_failed + c->n_missing);
	tvalue_map_set_bool(m, "has_students", n > 0);
	tvalue_map_set_bool(m, "has_failed", c->n_failed > 0);
	tvalue_map_set_bool(m, "has_missing", c->n_missing > 0);
	format_date(c, source_date, date);
	tvalue_map_set_str(m, "date", date, TV_TRUSTED);
	tvalue_map_set_bool(m, "has_date", date[0] != '\0');
	tvalue_map_set_str(m, "program", program, TV_TRUSTED);
	if (s->source != NULL)
		tvalue_map_set_str(m, "scenario", s->source, TV_UNTRUSTED);
	tvalue_map_set_bool(m, "custom_scenario", s->source != NULL);

	l = tvalue_map_set(root, "labs", tvalue_list_new());
	for (int i = 0; i < N_LABS; i++) {
		char label[16];
		e = tvalue_list_push(l, tvalue_map_new());
		snprintf(label, sizeof label, "Lab %02d", i + 1);
		tvalue_map_set_num(e, "number", i + 1);
		tvalue_map_set_str(e, "label", label, TV_TRUSTED);
		set_count(e, "completed", c->completed[i], n);
		set_count(e, "right", c->right[i], c->completed[i]);
		set_count(e, "hits", c->hit[i], c->completed[i]);
		tvalue_map_set_bool(e, "has_data", c->completed[i] > 0);
	}

	l = tvalue_map_set(root, "invariants", tvalue_list_new());
	for (int i = 0; i < N_INVARIANTS; i++) {
		const int *ch;
		int nch = invariant_chapters(i, &ch);
		struct buf b;
		e = tvalue_list_push(l, tvalue_map_new());
		char *pname = prose_apostrophes(c->inv_names[i]);
		tvalue_map_set_str(e, "name", pname, TV_TRUSTED);
		free(pname);
		tvalue_map_set_str(e, "key", report_invariant_key(i), TV_TRUSTED);
		buf_init(&b);
		for (int k = 0; k < nch; k++)
			buf_printf(&b, "%sLab %02d", k ? ", " : "", ch[k]);
		tvalue_map_set_str(e, "labs", b.data, TV_TRUSTED);
		buf_free(&b);
		tvalue_map_set_num(e, "n", c->with_data[i]);
		tvalue_map_set_bool(e, "has_data", c->with_data[i] > 0);
		tvalue_map_set_num(e, "mean_pct", c->with_data[i] > 0
		    ? c->rate_sum[i] / c->with_data[i] * 100.0 : 0.0);
		tvalue_map_set_num(e, "lo_pct", c->with_data[i] > 0
		    ? quantile(c, i, 0.25) * 100.0 : 0.0);
		tvalue_map_set_num(e, "hi_pct", c->with_data[i] > 0
		    ? quantile(c, i, 0.75) * 100.0 : 0.0);
		set_count(e, "weakest", c->weakest[i], n);
	}
	m = tvalue_map_set(root, "weakest_default", tvalue_map_new());
	set_count(m, "n", c->weakest_default, n);
	tvalue_map_set_bool(m, "has", c->weakest_default > 0);

	m = tvalue_map_set(root, "capstone", tvalue_map_new());
	set_count(m, "own_design", c->own_design, n);
	set_count(m, "default_design", n - c->own_design, n);
	set_count(m, "valid", c->valid, n);
	set_count(m, "latency_ok", c->latency_ok, n);
	set_count(m, "cost_ok", c->cost_ok, n);
	set_count(m, "tput_ok", c->tput_ok, n);
	tvalue_map_set_num(m, "act1_predictions", c->act1_pred);
	set_count(m, "act1_right", c->act1_right, c->act1_pred);
	tvalue_map_set_num(m, "act2_predictions", c->act2_pred);
	set_count(m, "act2_right", c->act2_right, c->act2_pred);
	tvalue_map_set_bool(m, "has_designs", c->own_design > 0);
	tvalue_map_set_num(m, "slo_p99_ms", s->slo_p99_ms);
	tvalue_map_set_num(m, "slo_cost_usd", s->slo_cost_per_req_usd);

	m = tvalue_map_set(root, "consistency", tvalue_map_new());
	set_count(m, "n", c->n_with_notes, n);
	tvalue_map_set_bool(m, "has", c->n_with_notes > 0);
	tvalue_map_set_num(m, "more", c->n_with_notes - c->n_named);
	tvalue_map_set_bool(m, "has_more", c->n_with_notes > c->n_named);
	l = tvalue_map_set(m, "students", tvalue_list_new());
	for (int i = 0; i < c->n_named; i++) {
		e = tvalue_list_push(l, tvalue_map_new());
		tvalue_map_set_str(e, "name", c->named[i].name, TV_UNTRUSTED);
		tvalue_map_set_num(e, "n_notes", c->named[i].n_notes);
	}
	return root;
}

int
class_summary_render(struct class_summary *c, const struct report_env *env,
    const struct report_template *t, const struct scenario *s, const char *program,
    struct buf *out, struct diag_list *dl)
{
	struct chart_inputs in;
	struct tvalue *model;
	long long epoch;
	int rc;

	struct layout_name names[CLASS_MAX_NAMED];
	size_t n_names = 0;

	for (int i = 0; i < c->n_named; i++)
		if (c->named[i].lang != NULL) {
			names[n_names].text = c->named[i].name;
			names[n_names++].lang = c->named[i].lang;
		}
	class_summary_charts(c, s, &in);
	model = class_summary_model(c, s, program,
	    report_env_source_date(env, &epoch) ? &epoch : NULL);
	rc = report_render_template(env, t, model, &in,
	    "Architect\xe2\x80\x99s Audit \xe2\x80\x94 class summary", names, n_names, out, dl);
	tvalue_free(model);
	return rc;
}
