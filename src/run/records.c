/*
 * records: a run's students as JSON Lines (records.h has the format).
 * Input: plan jobs and their results.  Output: JSON text.  Reading the
 * records back for --merge is the read stage's (read/records_read.c).
 */
#include "run/records.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/jsonw.h"
#include "base/sha256.h"

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

const char *const records_state_words[4] = { "run", "missing", "collision", "refused" };

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
	jw_key(&w, "state"); jw_string(&w, records_state_words[job->state]);
	jw_key(&w, "status"); jw_string(&w, status);
	jw_key(&w, "name"); jw_string(&w, job->student);
	jw_key(&w, "file"); jw_string(&w, job->file);
	jw_key(&w, "id"); jw_string(&w, job->id);
	jw_key(&w, "section"); jw_string(&w, job->section);
	jw_key(&w, "lang"); jw_string(&w, job->lang);
	jw_key(&w, "email"); jw_string(&w, job->more->email);
	jw_key(&w, "sis_id"); jw_string(&w, job->more->sis_id);
	jw_key(&w, "lms_id"); jw_string(&w, job->more->lms_id);
	jw_key(&w, "lms"); jw_int(&w, job->more->lms);
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

void
records_meta_free(struct records_meta *m)
{
	free(m->roster);
	m->roster = NULL;
}
