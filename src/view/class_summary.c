/*
 * class_summary: per-student headline numbers (struct student_summary),
 * their running sums over a class, and the class summary document.
 * Input: audits (one at a time) or summaries that came back from a
 * worker.  Output: the chart inputs and the template model of the class;
 * report.c typesets them.  No I/O, no foreign headers.
 */
#include "view/class_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout/layout.h"
#include "view/report_model.h"

struct named {
	char *name;                    /* owned */
	char *lang;                    /* owned or NULL */
	int n_notes;
};

/* One line of the roster table. */
struct row {
	char *name, *lang, *section;   /* owned; lang NULL when not known */
	char *why;                     /* owned; no report: why, else NULL */
	bool missing;                  /* no ledger (else: it failed) */
	struct student_summary s;      /* with a report */
};

/* One section's running sums. */
struct section {
	char *name;                    /* owned */
	int listed, reports, labs, right, saved_any, own, own_valid;
	int completed[N_LABS];         /* students who saved each lab */
	int with_data[N_INVARIANTS];   /* students with a rate on each law */
	double rate_sum[N_INVARIANTS];
};

struct class_summary {
	int n_students, n_failed, n_missing;
	char latest[11];               /* latest ledger day, "" if none */
	char bound[11];                /* no later day counts; "" = none */
	int n_future;                  /* ledgers dated after bound */
	struct row *rows;              /* owned; the first CLASS_MAX_ROWS */
	int n_rows, cap_rows, n_rows_more;
	struct section sections[CLASS_MAX_SECTIONS];
	int n_sections, n_other_section; /* students of further sections */
	bool any_section;
	int default_latency_ok, default_cost_ok, default_tput_ok, default_valid;
	int n_default;
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
	struct result_names nm;
	unsigned m = 0;

	results_names(&nm);
	for (int k = 0; k < nm.inv_n_chapters[inv]; k++)
		m |= 1u << (nm.inv_chapters[inv][k] - 1);
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
	s->oom = (uint8_t)(a->metrics.cloud_oom | a->metrics.edge_oom << 1 |
	    a->metrics.mobile_oom << 2 | a->metrics.tiny_oom << 3);
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
	struct result_names nm;

	results_names(&nm);
	for (int i = 0; i < N_INVARIANTS; i++)
		names[i] = nm.invariant[i];
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
class_summary_date_bound(struct class_summary *c, long long epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL)
		strftime(c->bound, sizeof c->bound, "%Y-%m-%d", &tm);
}

/* A row for the roster table (NULL past CLASS_MAX_ROWS: counted). */
static struct row *
add_row(struct class_summary *c, const char *name, const char *lang,
    const char *section)
{
	struct row *r;

	if (c->n_rows >= CLASS_MAX_ROWS) {
		c->n_rows_more++;
		return NULL;
	}
	if (c->n_rows == c->cap_rows) {
		c->cap_rows = c->cap_rows ? 2 * c->cap_rows : 64;
		c->rows = xreallocarray(c->rows, (size_t)c->cap_rows, sizeof *c->rows);
	}
	r = &c->rows[c->n_rows++];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name ? name : "");
	r->lang = lang != NULL && *lang ? xstrdup(lang) : NULL;
	r->section = xstrdup(section ? section : "");
	return r;
}

/* The running sums of section name ("" counts as no section). */
static struct section *
section_of(struct class_summary *c, const char *name)
{
	if (name == NULL || name[0] == '\0')
		return NULL;
	c->any_section = true;
	for (int i = 0; i < c->n_sections; i++)
		if (strcmp(c->sections[i].name, name) == 0)
			return &c->sections[i];
	if (c->n_sections == CLASS_MAX_SECTIONS) {
		c->n_other_section++;
		return NULL;
	}
	c->sections[c->n_sections].name = xstrdup(name);
	return &c->sections[c->n_sections++];
}

void
class_summary_free(struct class_summary *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->n_rows; i++) {
		free(c->rows[i].name);
		free(c->rows[i].lang);
		free(c->rows[i].section);
		free(c->rows[i].why);
	}
	free(c->rows);
	for (int i = 0; i < c->n_sections; i++)
		free(c->sections[i].name);
	for (int i = 0; i < c->n_named; i++) {
		free(c->named[i].name);
		free(c->named[i].lang);
	}
	free(c->points);
	free(c);
}

void
class_summary_add(struct class_summary *c, const struct student_summary *s,
    const char *name, const char *lang, const char *section)
{
	struct row *row = add_row(c, name, lang, section);
	struct section *sec = section_of(c, section);

	if (row != NULL)
		row->s = *s;
	if (sec != NULL) {
		sec->listed++;
		sec->reports++;
		for (int i = 0; i < N_LABS; i++)
			sec->completed[i] += (s->completed >> i) & 1u;
		for (int i = 0; i < N_INVARIANTS; i++) {
			double rate;
			if (student_summary_invariant(s, i, &rate)) {
				sec->with_data[i]++;
				sec->rate_sum[i] += rate;
			}
		}
		sec->labs += student_summary_n_completed(s);
		sec->right += student_summary_n_right(s);
		sec->saved_any += student_summary_n_completed(s) > 0;
		sec->own += s->config_from_ledger;
		sec->own_valid += s->config_from_ledger && s->system_valid;
	}
	if (!s->config_from_ledger) {
		c->n_default++;
		c->default_latency_ok += s->slo_latency_ok;
		c->default_cost_ok += s->slo_cost_ok;
		c->default_tput_ok += s->slo_tput_ok;
		c->default_valid += s->system_valid;
	}
	c->n_students++;
	if (c->bound[0] != '\0' && s->date[0] != '\0' &&
	    strncmp(s->date, c->bound, sizeof s->date) > 0)
		c->n_future++;
	else if (strncmp(s->date, c->latest, sizeof s->date) > 0)
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
class_summary_add_failed(struct class_summary *c, const char *name,
    const char *lang, const char *section, const char *why)
{
	struct row *row = add_row(c, name, lang, section);
	struct section *sec = section_of(c, section);

	if (row != NULL)
		row->why = xstrdup(why != NULL && *why ? why : "the ledger could not be read");
	if (sec != NULL)
		sec->listed++;
	c->n_failed++;
}

void
class_summary_add_missing(struct class_summary *c, const char *name,
    const char *lang, const char *section, const char *why)
{
	struct row *row = add_row(c, name, lang, section);
	struct section *sec = section_of(c, section);

	if (row != NULL) {
		row->why = xstrdup(why != NULL && *why ? why : "no ledger");
		row->missing = true;
	}
	if (sec != NULL)
		sec->listed++;
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
static bool
format_date(const struct class_summary *c, const long long *source_date,
    char out[32])
{
	out[0] = '\0';
	if (c->latest[0] != '\0' && report_format_date(c->latest, out))
		return true;
	if (source_date != NULL) {
		char iso[32];
		time_t t = (time_t)*source_date;
		struct tm tm;
		if (gmtime_r(&t, &tm) == NULL)
			return false;
		strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
		if (!report_format_date(iso, out))
			out[0] = '\0';
	}
	return false;
}

/* "latency, throughput, TinyML memory": the checks a design fails. */
static void
failing_checks(const struct student_summary *s, struct buf *b)
{
	static const char *const tier[4] = { "cloud", "edge", "mobile", "TinyML" };
	/* memory: the tiers whose model does not fit, "TinyML memory" */
	const char *sep = "";

	if (!s->slo_latency_ok) {
		buf_printf(b, "%slatency", sep);
		sep = ", ";
	}
	if (!s->slo_cost_ok) {
		buf_printf(b, "%scost", sep);
		sep = ", ";
	}
	if (!s->slo_tput_ok) {
		buf_printf(b, "%sthroughput", sep);
		sep = ", ";
	}
	for (int t = 0; t < 4; t++)
		if (s->oom & (1u << t)) {
			buf_printf(b, "%s%s memory", sep, tier[t]);
			sep = ", ";
		}
	if (sep[0] == '\0')
		buf_puts(b, "none");
}

/* Invariant i's rates with their counts: "0 %: 4 · 50 %: 2 · 100 %: 9". */
static void
rate_counts(const struct class_summary *c, int i, struct buf *b)
{
	int shown = 0;

	for (int k = 0; k < CLASS_HIST_BINS; k++) {
		if (c->rate_hist[i][k] == 0)
			continue;
		char v[32];
		fmt_fixed(v, sizeof v, (double)k / (CLASS_HIST_BINS - 1) * 100.0, 0);
		buf_printf(b, "%s%s\xc2\xa0%%: %d", shown++ ? " \xc2\xb7 " : "", v,
		    c->rate_hist[i][k]);
	}
	if (shown == 0)
		buf_puts(b, "\xe2\x80\x94");
}

/* Why a student with a report needs a teacher's attention, or "". */
static void
attention(const struct student_summary *s, struct buf *b)
{
	const char *sep = "";
	int n = student_summary_n_completed(s);

	if (n < CLASS_FEW_LABS) {
		buf_printf(b, "%d of 15 labs saved", n);
		sep = "; ";
	}
	if (!s->capstone_present) {
		buf_printf(b, "%sno capstone entry", sep);
		sep = "; ";
	}
	if (s->n_consistency_notes > 0)
		buf_printf(b, "%s%d consistency note%s", sep, s->n_consistency_notes,
		    s->n_consistency_notes == 1 ? "" : "s");
}

/* One roster table row. */
static void
roster_row(const struct row *r, struct tvalue *e)
{
	tvalue_map_set_str(e, "name", r->name, TV_UNTRUSTED);
	tvalue_map_set_str(e, "section", r->section, TV_UNTRUSTED);
	tvalue_map_set_bool(e, "has_report", r->why == NULL);
	if (r->why != NULL) {
		tvalue_map_set_str(e, "why", r->why, TV_UNTRUSTED);
		tvalue_map_set_str(e, "kind", r->missing ? "no ledger" : "no report",
		    TV_TRUSTED);
		return;
	}
	const struct student_summary *s = &r->s;
	struct buf f;
	tvalue_map_set_num(e, "labs", student_summary_n_completed(s));
	tvalue_map_set_num(e, "right", student_summary_n_right(s));
	{
		/* "Little’s Law": our words, with the typographer's apostrophe */
		char *w = prose_apostrophes(s->weakest_from_data
		    ? student_summary_weakest_name(s) : "\xe2\x80\x94");
		tvalue_map_set_str(e, "weakest", w, TV_TRUSTED);
		free(w);
	}
	tvalue_map_set_str(e, "design", s->config_from_ledger ? "own" : "default",
	    TV_TRUSTED);
	buf_init(&f);
	failing_checks(s, &f);
	tvalue_map_set_str(e, "fails", f.data, TV_TRUSTED);
	buf_free(&f);
	tvalue_map_set_num(e, "notes", s->n_consistency_notes);
}

/*
 * The roster table, grouped by section (in the order sections first
 * appear, students in roster order within each), and the short list of
 * students who need attention, in roster order.
 */
static void
model_roster(const struct class_summary *c, struct tvalue *root)
{
	struct tvalue *groups = tvalue_map_set(root, "roster", tvalue_list_new());
	struct tvalue *att = tvalue_map_set(root, "attention", tvalue_list_new());
	struct tvalue *m;
	bool *done = xcalloc((size_t)c->n_rows + 1, sizeof *done);
	int n_att = 0, att_more = 0;

	for (int i = 0; i < c->n_rows; i++) {
		struct tvalue *g, *rows;
		if (done[i])
			continue;
		g = tvalue_list_push(groups, tvalue_map_new());
		tvalue_map_set_str(g, "section", c->rows[i].section, TV_UNTRUSTED);
		tvalue_map_set_bool(g, "has_section", c->rows[i].section[0] != '\0');
		rows = tvalue_map_set(g, "students", tvalue_list_new());
		for (int k = i; k < c->n_rows; k++)
			if (!done[k] && strcmp(c->rows[k].section, c->rows[i].section) == 0) {
				done[k] = true;
				roster_row(&c->rows[k], tvalue_list_push(rows, tvalue_map_new()));
			}
	}
	free(done);
	for (int i = 0; i < c->n_rows; i++) {
		const struct row *r = &c->rows[i];
		struct buf b;
		buf_init(&b);
		if (r->why != NULL)
			buf_puts(&b, r->missing ? "no ledger" : "no report (the ledger could not be read)");
		else
			attention(&r->s, &b);
		if (b.len > 0 && n_att < CLASS_MAX_ATTENTION) {
			struct tvalue *a = tvalue_list_push(att, tvalue_map_new());
			tvalue_map_set_str(a, "name", r->name, TV_UNTRUSTED);
			/* "" is truthy in a section: no section, no key ("Ann: ...", not "Ann (): ..."). */
			if (r->section != NULL && r->section[0] != '\0')
				tvalue_map_set_str(a, "section", r->section, TV_UNTRUSTED);
			tvalue_map_set_str(a, "why", b.data, TV_TRUSTED);
			n_att++;
		} else if (b.len > 0)
			att_more++;
		buf_free(&b);
	}
	m = tvalue_map_set(root, "roster_info", tvalue_map_new());
	tvalue_map_set_num(m, "more", c->n_rows_more);
	tvalue_map_set_bool(m, "has_more", c->n_rows_more > 0);
	tvalue_map_set_bool(m, "has_attention", n_att > 0);
	tvalue_map_set_num(m, "attention_more", att_more);
	tvalue_map_set_bool(m, "has_attention_more", att_more > 0);
}

/* Whether the sections fit as columns of the per-lab and per-law tables. */
static bool
section_columns(const struct class_summary *c)
{
	return c->n_sections >= 2 && c->n_sections <= CLASS_SECTION_COLUMNS &&
	    c->n_other_section == 0;
}

static void
model_sections(const struct class_summary *c, struct tvalue *root)
{
	struct tvalue *l = tvalue_map_set(root, "sections", tvalue_list_new());
	struct tvalue *m = tvalue_map_set(root, "sections_info", tvalue_map_new());

	for (int i = 0; i < c->n_sections; i++) {
		const struct section *x = &c->sections[i];
		struct tvalue *e = tvalue_list_push(l, tvalue_map_new());
		tvalue_map_set_str(e, "name", x->name, TV_UNTRUSTED);
		tvalue_map_set_num(e, "listed", x->listed);
		tvalue_map_set_num(e, "reports", x->reports);
		tvalue_map_set_num(e, "labs_avg", x->reports ? (double)x->labs / x->reports : 0);
		tvalue_map_set_num(e, "right_pct", x->labs ? (double)x->right / x->labs * 100.0 : 0);
		tvalue_map_set_bool(e, "has_labs", x->labs > 0);
		tvalue_map_set_num(e, "own", x->own);
		tvalue_map_set_num(e, "own_valid", x->own_valid);
	}
	tvalue_map_set_bool(m, "has", c->any_section);
	tvalue_map_set_bool(m, "as_columns", section_columns(c));
	tvalue_map_set_num(m, "n", c->n_sections);
	tvalue_map_set_num(m, "other", c->n_other_section);
	tvalue_map_set_bool(m, "has_other", c->n_other_section > 0);
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
	{
		bool from_ledgers = format_date(c, source_date, date);
		tvalue_map_set_str(m, "date", date, TV_TRUSTED);
		tvalue_map_set_bool(m, "has_date", date[0] != '\0');
		tvalue_map_set_bool(m, "date_from_ledgers", from_ledgers);
		tvalue_map_set_bool(m, "date_from_build", !from_ledgers && date[0] != '\0');
		tvalue_map_set_num(m, "n_future", c->n_future);
		tvalue_map_set_bool(m, "has_future", c->n_future > 0);
	}
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
		{
			struct tvalue *ps = tvalue_map_set(e, "by_section", tvalue_list_new());
			for (int k = 0; k < c->n_sections && section_columns(c); k++) {
				struct tvalue *x = tvalue_list_push(ps, tvalue_map_new());
				tvalue_map_set_num(x, "completed", c->sections[k].completed[i]);
			}
		}
	}

	l = tvalue_map_set(root, "invariants", tvalue_list_new());
	for (int i = 0; i < N_INVARIANTS; i++) {
		struct result_names nm;
		results_names(&nm);
		const int *ch = nm.inv_chapters[i];
		int nch = nm.inv_n_chapters[i];
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
		buf_init(&b);
		rate_counts(c, i, &b);
		tvalue_map_set_str(e, "rates", b.data, TV_TRUSTED);
		buf_free(&b);
		set_count(e, "weakest", c->weakest[i], n);
		{
			struct tvalue *ps = tvalue_map_set(e, "by_section", tvalue_list_new());
			for (int k = 0; k < c->n_sections && section_columns(c); k++) {
				const struct section *x = &c->sections[k];
				struct tvalue *v = tvalue_list_push(ps, tvalue_map_new());
				tvalue_map_set_bool(v, "has_data", x->with_data[i] > 0);
				tvalue_map_set_num(v, "mean_pct", x->with_data[i] > 0
				    ? x->rate_sum[i] / x->with_data[i] * 100.0 : 0.0);
			}
		}
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
	/* the students' own designs and the lab's default, counted apart */
	set_count(m, "own_latency_ok", c->latency_ok - c->default_latency_ok, c->own_design);
	set_count(m, "own_cost_ok", c->cost_ok - c->default_cost_ok, c->own_design);
	set_count(m, "own_tput_ok", c->tput_ok - c->default_tput_ok, c->own_design);
	set_count(m, "own_valid", c->valid - c->default_valid, c->own_design);
	tvalue_map_set_bool(m, "has_default", c->n_default > 0);
	tvalue_map_set_str(m, "default_latency", c->default_latency_ok ? "passes" : "fails", TV_TRUSTED);
	tvalue_map_set_str(m, "default_cost", c->default_cost_ok ? "passes" : "fails", TV_TRUSTED);
	tvalue_map_set_str(m, "default_tput", c->default_tput_ok ? "passes" : "fails", TV_TRUSTED);
	tvalue_map_set_str(m, "default_valid", c->default_valid ? "passes" : "fails", TV_TRUSTED);
	model_roster(c, root);
	model_sections(c, root);

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

size_t
class_summary_names(const struct class_summary *c, struct layout_name **out)
{
	struct layout_name *names = xcalloc((size_t)(c->n_named + c->n_rows) + 1,
	    sizeof *names);
	size_t n_names = 0;

	for (int i = 0; i < c->n_named; i++)
		if (c->named[i].lang != NULL) {
			names[n_names].text = c->named[i].name;
			names[n_names++].lang = c->named[i].lang;
		}
	for (int i = 0; i < c->n_rows; i++)
		if (c->rows[i].lang != NULL) {
			names[n_names].text = c->rows[i].name;
			names[n_names++].lang = c->rows[i].lang;
		}
	*out = names;
	return n_names;
}
