/*
 * records: a run's students as JSON Lines, and the merge of several
 * shards' records (records.h has the format).  Input: plan jobs and
 * results (writing), records files (merging; cJSON reads each line).
 * Output: JSON text; a struct batch_plan with struct records_result.
 */
#include "records.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonw.h"
#include "ledger.h"
#include "sha256.h"

#define RECORDS_MAX_BYTES ((size_t)1 << 30)  /* one records file */

int
records_file_sha(const char *path, char hex[65])
{
	struct sha256 c;
	unsigned char d[32], chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	hex[0] = '\0';
	if (f == NULL)
		return -1;
	sha256_init(&c);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sha256_update(&c, chunk, n);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

static void
key_string(struct jsonw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_string(w, v != NULL && v[0] != '\0' ? v : NULL);
}

void
records_header(struct buf *out, const struct records_meta *m)
{
	struct jsonw w;

	jw_init(&w, out, 0);
	jw_object_begin(&w);
	jw_key(&w, "archaudit_records");
	jw_int(&w, RECORDS_VERSION);
	key_string(&w, "roster", m->roster);
	key_string(&w, "roster_sha256", m->roster_sha);
	key_string(&w, "scenario_sha256", m->scenario_sha);
	jw_key(&w, "total");
	jw_int(&w, (long long)m->total);
	jw_key(&w, "shard");
	jw_array_begin(&w);
	jw_int(&w, m->shard_k);
	jw_int(&w, m->shard_n);
	jw_array_end(&w);
	jw_key(&w, "first");
	jw_int(&w, (long long)m->first);
	jw_key(&w, "count");
	jw_int(&w, (long long)m->count);
	jw_object_end(&w);
	buf_putc(out, '\n');
}

static const char *const state_words[] = { "run", "missing", "collision", "refused" };

/* The summary's fields, every one: the class summary is made of them. */
static void
write_summary(struct jsonw *w, const struct student_summary *s)
{
	jw_object_begin(w);
	jw_key(w, "completed"); jw_int(w, s->completed);
	jw_key(w, "right"); jw_int(w, s->right);
	jw_key(w, "hit"); jw_int(w, s->hit);
	jw_key(w, "weakest"); jw_int(w, s->weakest);
	jw_key(w, "weakest_from_data"); jw_bool(w, s->weakest_from_data);
	jw_key(w, "capstone_present"); jw_bool(w, s->capstone_present);
	jw_key(w, "config_from_ledger"); jw_bool(w, s->config_from_ledger);
	jw_key(w, "has_act1_prediction"); jw_bool(w, s->has_act1_prediction);
	jw_key(w, "act1_prediction_right"); jw_bool(w, s->act1_prediction_right);
	jw_key(w, "has_act2_prediction"); jw_bool(w, s->has_act2_prediction);
	jw_key(w, "act2_prediction_right"); jw_bool(w, s->act2_prediction_right);
	jw_key(w, "system_valid"); jw_bool(w, s->system_valid);
	jw_key(w, "slo_latency_ok"); jw_bool(w, s->slo_latency_ok);
	jw_key(w, "slo_cost_ok"); jw_bool(w, s->slo_cost_ok);
	jw_key(w, "slo_tput_ok"); jw_bool(w, s->slo_tput_ok);
	jw_key(w, "oom"); jw_int(w, s->oom);
	jw_key(w, "n_consistency_notes"); jw_int(w, s->n_consistency_notes);
	jw_key(w, "n_warnings"); jw_int(w, s->n_warnings);
	jw_key(w, "n_gpus"); jw_int(w, s->n_gpus);
	jw_key(w, "p99_ms"); jw_double(w, s->p99_ms);
	jw_key(w, "cost_usd"); jw_double(w, s->cost_usd);
	jw_key(w, "effective_accuracy"); jw_double(w, s->effective_accuracy);
	jw_key(w, "post_drift_accuracy"); jw_double(w, s->post_drift_accuracy);
	jw_key(w, "date"); jw_string(w, s->date);
	jw_object_end(w);
}

void
records_line(struct buf *out, size_t index, const struct batch_job *job,
    const char *status, const char *error, const char *report,
    const struct student_summary *sum)
{
	struct jsonw w;
	char sha[65] = "";
	struct stat st;
	long long bytes = -1;

	if (report != NULL && stat(report, &st) == 0 &&
	    records_file_sha(report, sha) == 0)
		bytes = (long long)st.st_size;
	jw_init(&w, out, 0);
	jw_object_begin(&w);
	jw_key(&w, "index"); jw_int(&w, (long long)index);
	jw_key(&w, "state"); jw_string(&w, state_words[job->state]);
	jw_key(&w, "status"); jw_string(&w, status);
	jw_key(&w, "name"); jw_string(&w, job->student);
	jw_key(&w, "file"); jw_string(&w, job->file);
	jw_key(&w, "id"); jw_string(&w, job->id);
	jw_key(&w, "section"); jw_string(&w, job->section);
	jw_key(&w, "lang"); jw_string(&w, job->lang);
	jw_key(&w, "email"); jw_string(&w, job->email);
	jw_key(&w, "sis_id"); jw_string(&w, job->sis_id);
	jw_key(&w, "lms_id"); jw_string(&w, job->lms_id);
	jw_key(&w, "lms"); jw_int(&w, job->lms);
	jw_key(&w, "ledger");
	jw_string(&w, job->path != NULL ? batch_job_source(job) : NULL);
	jw_key(&w, "roster_line"); jw_int(&w, job->roster_line);
	jw_key(&w, "error"); jw_string(&w, error);
	jw_key(&w, "report"); jw_string(&w, report);
	jw_key(&w, "report_bytes"); jw_int(&w, bytes);
	key_string(&w, "report_sha256", sha);
	jw_key(&w, "summary");
	if (sum != NULL)
		write_summary(&w, sum);
	else
		jw_null(&w);
	jw_object_end(&w);
	buf_putc(out, '\n');
}

/* ---- reading ------------------------------------------------------------------- */

struct reader {
	const char *file;
	int line;
	struct diag_list *dl;
	bool bad;
};

static void
bad(struct reader *rd, const char *what)
{
	char *where = xasprintf("%s:%d", rd->file, rd->line);
	diag_add(rd->dl, DIAG_ERROR, where, "not a record of archaudit's: %s", what);
	free(where);
	rd->bad = true;
}

static const cJSON *
member(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (v == NULL)
		bad(rd, k);
	return v;
}

/* A string member ("" for null; NULL with the error said otherwise). */
static char *
str_of(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = member(rd, o, k);
	if (v != NULL && cJSON_IsNull(v))
		return xstrdup("");
	if (v == NULL || !cJSON_IsString(v)) {
		if (v != NULL)
			bad(rd, k);
		return xstrdup("");
	}
	return xstrdup(v->valuestring);
}

static long long
int_of(struct reader *rd, const cJSON *o, const char *k, long long lo, long long hi)
{
	const cJSON *v = member(rd, o, k);
	if (v == NULL)
		return lo;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < (double)lo || v->valuedouble > (double)hi) {
		bad(rd, k);
		return lo;
	}
	return (long long)v->valuedouble;
}

static bool
bool_of(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = member(rd, o, k);
	if (v != NULL && !cJSON_IsBool(v))
		bad(rd, k);
	return v != NULL && cJSON_IsTrue(v);
}

static double
double_of(struct reader *rd, const cJSON *o, const char *k)
{
	const cJSON *v = member(rd, o, k);
	if (v != NULL && cJSON_IsString(v)) {
		if (strcmp(v->valuestring, "NaN") == 0)
			return NAN;
		if (strcmp(v->valuestring, "Infinity") == 0)
			return INFINITY;
		if (strcmp(v->valuestring, "-Infinity") == 0)
			return -INFINITY;
	}
	if (v == NULL || !cJSON_IsNumber(v)) {
		if (v != NULL)
			bad(rd, k);
		return 0;
	}
	return v->valuedouble;
}

static void
read_summary(struct reader *rd, const cJSON *o, struct student_summary *s)
{
	char *date;

	memset(s, 0, sizeof *s);
	s->completed = (uint16_t)int_of(rd, o, "completed", 0, 0xffff);
	s->right = (uint16_t)int_of(rd, o, "right", 0, 0xffff);
	s->hit = (uint16_t)int_of(rd, o, "hit", 0, 0xffff);
	s->weakest = (int8_t)int_of(rd, o, "weakest", 0, 6);
	s->weakest_from_data = bool_of(rd, o, "weakest_from_data");
	s->capstone_present = bool_of(rd, o, "capstone_present");
	s->config_from_ledger = bool_of(rd, o, "config_from_ledger");
	s->has_act1_prediction = bool_of(rd, o, "has_act1_prediction");
	s->act1_prediction_right = bool_of(rd, o, "act1_prediction_right");
	s->has_act2_prediction = bool_of(rd, o, "has_act2_prediction");
	s->act2_prediction_right = bool_of(rd, o, "act2_prediction_right");
	s->system_valid = bool_of(rd, o, "system_valid");
	s->slo_latency_ok = bool_of(rd, o, "slo_latency_ok");
	s->slo_cost_ok = bool_of(rd, o, "slo_cost_ok");
	s->slo_tput_ok = bool_of(rd, o, "slo_tput_ok");
	s->oom = (uint8_t)int_of(rd, o, "oom", 0, 15);
	s->n_consistency_notes = (uint8_t)int_of(rd, o, "n_consistency_notes", 0, 255);
	s->n_warnings = (uint16_t)int_of(rd, o, "n_warnings", 0, 0xffff);
	s->n_gpus = (int)int_of(rd, o, "n_gpus", -1000000000, 1000000000);
	s->p99_ms = double_of(rd, o, "p99_ms");
	s->cost_usd = double_of(rd, o, "cost_usd");
	s->effective_accuracy = double_of(rd, o, "effective_accuracy");
	s->post_drift_accuracy = double_of(rd, o, "post_drift_accuracy");
	date = str_of(rd, o, "date");
	if (strlen(date) < sizeof s->date)
		memcpy(s->date, date, strlen(date) + 1);
	else
		bad(rd, "date");
	free(date);
}

static void
read_sha(struct reader *rd, const cJSON *o, const char *k, char out[65])
{
	char *v = str_of(rd, o, k);
	out[0] = '\0';
	if (strlen(v) == 64 || v[0] == '\0')
		memcpy(out, v, strlen(v) + 1);
	else
		bad(rd, k);
	free(v);
}

/* One file's header. */
static void
read_header(struct reader *rd, const cJSON *o, struct records_meta *m)
{
	const cJSON *sh;

	memset(m, 0, sizeof *m);
	if (int_of(rd, o, "archaudit_records", RECORDS_VERSION, RECORDS_VERSION) !=
	    RECORDS_VERSION)
		return;
	m->roster = str_of(rd, o, "roster");
	read_sha(rd, o, "roster_sha256", m->roster_sha);
	read_sha(rd, o, "scenario_sha256", m->scenario_sha);
	m->total = (size_t)int_of(rd, o, "total", 0, 100000000);
	sh = member(rd, o, "shard");
	if (sh != NULL && cJSON_IsArray(sh) && cJSON_GetArraySize(sh) == 2 &&
	    cJSON_IsNumber(cJSON_GetArrayItem(sh, 0)) &&
	    cJSON_IsNumber(cJSON_GetArrayItem(sh, 1))) {
		double k = cJSON_GetArrayItem(sh, 0)->valuedouble;
		double n = cJSON_GetArrayItem(sh, 1)->valuedouble;
		if (k >= 1 && n >= k && n <= BATCH_MAX_SHARDS && k == floor(k) && n == floor(n)) {
			m->shard_k = (unsigned)k;
			m->shard_n = (unsigned)n;
		}
	}
	if (m->shard_n == 0)
		bad(rd, "shard");
	m->first = (size_t)int_of(rd, o, "first", 0, 100000000);
	m->count = (size_t)int_of(rd, o, "count", 0, 100000000);
}

static int
state_of(const char *w)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(w, state_words[i]) == 0)
			return i;
	return -1;
}

/* A string member, in arena a. */
static char *
astr(struct reader *rd, const cJSON *o, const char *k, struct arena *a)
{
	char *v = str_of(rd, o, k);
	char *t = arena_strdup(a, v);
	free(v);
	return t;
}

/* One student line into job and res. */
static void
read_student(struct reader *rd, const cJSON *o, struct batch_job *job,
    struct arena *a, struct records_result *res)
{
	char *state = str_of(rd, o, "state");
	char *error = str_of(rd, o, "error");
	char *report = str_of(rd, o, "report");
	char *ledger = str_of(rd, o, "ledger");
	const cJSON *sum = member(rd, o, "summary");
	int st = state_of(state);

	if (st < 0)
		bad(rd, "state");
	job->state = st < 0 ? JOB_COLLISION : (enum batch_job_state)st;
	job->student = astr(rd, o, "name", a);
	job->file = astr(rd, o, "file", a);
	job->id = astr(rd, o, "id", a);
	job->section = astr(rd, o, "section", a);
	job->lang = astr(rd, o, "lang", a);
	job->email = astr(rd, o, "email", a);
	job->sis_id = astr(rd, o, "sis_id", a);
	job->lms_id = astr(rd, o, "lms_id", a);
	job->lms = (int)int_of(rd, o, "lms", 0, 2);
	job->roster_line = (int)int_of(rd, o, "roster_line", 0, 1 << 30);
	job->path = ledger[0] != '\0' ? arena_strdup(a, ledger) : NULL;
	free(ledger);
	if (job->state != JOB_RUN && error[0] != '\0')
		job->problem = xstrdup(error);
	res->status = str_of(rd, o, "status");
	res->error = error[0] != '\0' ? error : NULL;
	if (res->error == NULL)
		free(error);
	res->report = report[0] != '\0' ? report : NULL;
	if (res->report == NULL)
		free(report);
	res->report_bytes = int_of(rd, o, "report_bytes", -1, (long long)1 << 50);
	read_sha(rd, o, "report_sha256", res->report_sha);
	res->has_sum = sum != NULL && cJSON_IsObject(sum);
	if (res->has_sum)
		read_summary(rd, sum, &res->sum);
	else if (sum != NULL && !cJSON_IsNull(sum))
		bad(rd, "summary");
	free(state);
}

/* Whether the report of res is still the file its record hashed. */
static bool
report_unchanged(const struct records_result *res)
{
	struct stat st;
	char sha[65];

	return stat(res->report, &st) == 0 && S_ISREG(st.st_mode) &&
	    (long long)st.st_size == res->report_bytes &&
	    records_file_sha(res->report, sha) == 0 && strcmp(sha, res->report_sha) == 0;
}

static bool
same_run(const struct records_meta *a, const struct records_meta *b)
{
	return strcmp(a->roster_sha, b->roster_sha) == 0 &&
	    strcmp(a->scenario_sha, b->scenario_sha) == 0 &&
	    a->total == b->total && a->shard_n == b->shard_n;
}

int
records_merge(const char *const *paths, size_t n, struct batch_plan *plan,
    struct records_result **out, struct records_meta *meta, struct diag_list *dl)
{
	const char **owner = NULL;      /* the file of each shard */
	struct records_result *res = NULL;
	size_t errors0 = diag_count(dl, DIAG_ERROR);
	bool have_meta = false;

	memset(plan, 0, sizeof *plan);
	memset(meta, 0, sizeof *meta);
	*out = NULL;
	for (size_t f = 0; f < n; f++) {
		struct buf text;
		struct reader rd = { .file = paths[f], .line = 0, .dl = dl };
		struct records_meta m;
		size_t pos = 0, got = 0;

		buf_init(&text);
		if (ledger_read_file(paths[f], RECORDS_MAX_BYTES, &text, dl) != 0) {
			buf_free(&text);
			continue;
		}
		memset(&m, 0, sizeof m);
		while (pos < text.len && !rd.bad) {
			const char *nl = memchr(text.data + pos, '\n', text.len - pos);
			size_t len = nl ? (size_t)(nl - (text.data + pos)) : text.len - pos;
			cJSON *o = cJSON_ParseWithLength(text.data + pos, len);
			rd.line++;
			pos += len + (nl != NULL);
			if (o == NULL || !cJSON_IsObject(o)) {
				bad(&rd, "not a JSON object");
				cJSON_Delete(o);
				break;
			}
			if (rd.line == 1) {
				read_header(&rd, o, &m);
				cJSON_Delete(o);
				if (rd.bad)
					break;
				if (!have_meta) {
					*meta = m;
					meta->roster = m.roster ? xstrdup(m.roster) : NULL;
					have_meta = true;
					plan->jobs = xcalloc(m.total ? m.total : 1, sizeof *plan->jobs);
					plan->n = plan->cap = plan->n_total = m.total;
					res = xcalloc(m.total ? m.total : 1, sizeof *res);
					owner = xcalloc(m.shard_n, sizeof *owner);
				} else if (!same_run(meta, &m)) {
					diag_add(dl, DIAG_ERROR, paths[f], "records of another run "
					    "than %s's (%s differs); merge the shards of one run",
					    paths[0], strcmp(meta->roster_sha, m.roster_sha) != 0
					    ? "the roster" : strcmp(meta->scenario_sha,
					    m.scenario_sha) != 0 ? "the scenario" : "the number of "
					    "students or shards");
					rd.bad = true;
				}
				if (!rd.bad && owner[m.shard_k - 1] != NULL) {
					diag_add(dl, DIAG_ERROR, paths[f], "shard %u/%u again: %s "
					    "holds it too", m.shard_k, m.shard_n, owner[m.shard_k - 1]);
					rd.bad = true;
				}
				if (!rd.bad) {
					size_t lo, hi;
					batch_shard_range(m.total, m.shard_k, m.shard_n, &lo, &hi);
					if (lo != m.first || hi - lo != m.count) {
						bad(&rd, "first and count do not fit the shard");
						break;
					}
					owner[m.shard_k - 1] = paths[f];
				}
				free(m.roster);
				m.roster = NULL;
				continue;
			}
			{
				long long idx = int_of(&rd, o, "index", 0, (long long)m.total - 1);
				if (!rd.bad && (size_t)idx != m.first + got) {
					bad(&rd, "students out of order");
				} else if (!rd.bad) {
					read_student(&rd, o, &plan->jobs[idx], &plan->strings, &res[idx]);
					got++;
				}
			}
			cJSON_Delete(o);
		}
		if (!rd.bad && rd.line > 0 && got != m.count)
			diag_add(dl, DIAG_ERROR, paths[f], "holds %zu of the %zu students of "
			    "its shard: cut short? run shard %u/%u again", got, m.count,
			    m.shard_k, m.shard_n);
		else if (!rd.bad && rd.line == 0)
			diag_add(dl, DIAG_ERROR, paths[f], "is empty, not a records file");
		buf_free(&text);
	}
	for (unsigned k = 0; have_meta && k < meta->shard_n; k++)
		if (owner[k] == NULL)
			diag_add(dl, DIAG_ERROR, "archaudit", "no records for shard %u/%u among "
			    "the files given; add its --records file", k + 1, meta->shard_n);
	for (size_t j = 0; have_meta && diag_count(dl, DIAG_ERROR) == errors0 &&
	    j < plan->n; j++)
		if (res[j].report != NULL && !report_unchanged(&res[j]))
			diag_add(dl, DIAG_ERROR, res[j].report, "is not the report its "
			    "record was written for (changed, moved or removed since); run "
			    "its shard again");
	free(owner);
	plan->roster = meta->roster ? xstrdup(meta->roster) : NULL;
	*out = res;
	if (!have_meta && diag_count(dl, DIAG_ERROR) == errors0)
		diag_add(dl, DIAG_ERROR, "archaudit", "no records to merge");
	return diag_count(dl, DIAG_ERROR) == errors0 ? 0 : -1;
}

void
records_results_free(struct records_result *res, size_t n)
{
	for (size_t i = 0; res != NULL && i < n; i++) {
		free(res[i].status);
		free(res[i].error);
		free(res[i].report);
	}
	free(res);
}

void
records_meta_free(struct records_meta *m)
{
	free(m->roster);
	m->roster = NULL;
}
