/*
 * records_read: the --merge side of records (records.h has the format).
 * Input: the records files of one cohort's shards (cJSON reads each
 * line).  Output: a struct batch_plan of the whole cohort with one struct
 * records_result per student, or every problem naming its file and line.
 */
#include "run/records.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "read/ledger.h"

#define RECORDS_MAX_BYTES ((size_t)1 << 30)  /* one records file */

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
	diag_add(rd->dl, DIAG_ERROR, "records.not-a-record",
	    where, "not a record of archaudit's: %s", what);
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
		if (strcmp(w, records_state_words[i]) == 0)
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
	{
		/* a merged plan reads no ledger: no member, no source */
		struct batch_job_more *m = arena_zalloc(a, sizeof *m);
		m->email = astr(rd, o, "email", a);
		m->sis_id = astr(rd, o, "sis_id", a);
		m->lms_id = astr(rd, o, "lms_id", a);
		m->lms = (int)int_of(rd, o, "lms", 0, 2);
		job->more = m;
	}
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
					for (size_t k = 0; k < m.total; k++)
						plan->jobs[k].more = &batch_job_no_more;
					res = xcalloc(m.total ? m.total : 1, sizeof *res);
					owner = xcalloc(m.shard_n, sizeof *owner);
				} else if (!same_run(meta, &m)) {
					diag_add(dl, DIAG_ERROR, "records.other-run",
					    paths[f], "records of another run "
					    "than %s's (%s differs); merge the shards of one run",
					    paths[0], strcmp(meta->roster_sha, m.roster_sha) != 0
					    ? "the roster" : strcmp(meta->scenario_sha,
					    m.scenario_sha) != 0 ? "the scenario" : "the number of "
					    "students or shards");
					rd.bad = true;
				}
				if (!rd.bad && owner[m.shard_k - 1] != NULL) {
					diag_add(dl, DIAG_ERROR, "records.shard-twice",
					    paths[f], "shard %u/%u again: %s "
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
			diag_add(dl, DIAG_ERROR, "records.shard-short",
			    paths[f], "holds %zu of the %zu students of "
			    "its shard: cut short? run shard %u/%u again", got, m.count,
			    m.shard_k, m.shard_n);
		else if (!rd.bad && rd.line == 0)
			diag_add(dl, DIAG_ERROR, "records.empty",
			    paths[f], "is empty, not a records file");
		buf_free(&text);
	}
	for (unsigned k = 0; have_meta && k < meta->shard_n; k++)
		if (owner[k] == NULL)
			diag_add(dl, DIAG_ERROR, "records.shard-missing",
			    "archaudit", "no records for shard %u/%u among "
			    "the files given; add its --records file", k + 1, meta->shard_n);
	for (size_t j = 0; have_meta && diag_count(dl, DIAG_ERROR) == errors0 &&
	    j < plan->n; j++)
		if (res[j].report != NULL && !report_unchanged(&res[j]))
			diag_add(dl, DIAG_ERROR, "records.report-changed",
			    res[j].report, "is not the report its "
			    "record was written for (changed, moved or removed since); run "
			    "its shard again");
	free(owner);
	plan->roster = meta->roster ? xstrdup(meta->roster) : NULL;
	*out = res;
	if (!have_meta && diag_count(dl, DIAG_ERROR) == errors0)
		diag_add(dl, DIAG_ERROR, "records.nothing-to-merge",
		    "archaudit", "no records to merge");
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

