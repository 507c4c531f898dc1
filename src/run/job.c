/*
 * job: one student from input to output (job.h).  Input: where the
 * ledger is, the scenario, the run's grid and report env.  Output: the
 * results, one output's bytes and every message in one sink.  Writes no
 * file: the caller decides where the bytes go (standard output, or a
 * temporary file the batch parent commits).
 */
#include "run/job.h"

#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "view/audit_json.h"
#include "read/check.h"
#include "read/ledger.h"
#include "read/lms_zip.h"

void
job_init(struct job *j)
{
	memset(j, 0, sizeof *j);
	buf_init(&j->bytes);
	diag_init(&j->diags);
	/* room for the reader's capped list and the model's after it */
	j->diags.max *= 3;
}

void
job_free(struct job *j)
{
	results_free(j->results);
	buf_free(&j->bytes);
	diag_free(&j->diags);
	j->results = NULL;
}

static int
job_read(struct job *j, const struct job_input *in)
{
	if (in->refused != NULL) {
		diag_add(&j->diags, DIAG_ERROR, "zip.refused-entry",
		    in->source, "%s", in->refused);
		return -1;
	}
	return in->member != NULL
	    ? lms_zip_read(in->path, in->member_index, in->member, in->max_bytes,
	    &j->bytes, &j->diags)
	    : ledger_read_file(in->path, in->max_bytes, &j->bytes, &j->diags);
}

int
job_model(struct job *j, const struct job_input *in, const struct scenario *s,
    const struct census *c)
{
	struct ledger *l;
	struct design d;
	struct audit *a;

	if (job_read(j, in) != 0 || (l = ledger_parse(in->source,
	    j->bytes.data ? j->bytes.data : "", j->bytes.len, &j->diags)) == NULL)
		return -1;
	check_design(l, s, &d);
	a = audit_new(l, &d, s, in->student);
	if (in->lang != NULL && in->lang[0] != '\0')
		a->student_lang = xstrdup(in->lang);
	if (in->origin != NULL)
		a->student_origin = xstrdup(in->origin);
	diag_append(&j->diags, &l->diags);
	diag_append(&j->diags, &a->diags);
	j->results = results_new(a, s, c);
	return 0;
}

int
job_output(struct job *j, enum job_output what, const struct report_env *env,
    struct buf *out)
{
	const struct results *rs = j->results;

	switch (what) {
	case JOB_JSON:
		audit_write_json(rs->audit, rs->s, out, 0);
		buf_putc(out, '\n');
		return 0;
	case JOB_MARKDOWN:
		return report_markdown(env, rs, j->bytes.data, j->bytes.len, out,
		    &j->diags);
	default:
		return report_render(env, rs, j->bytes.data, j->bytes.len, out,
		    &j->diags);
	}
}
