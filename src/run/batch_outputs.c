/*
 * batch_outputs: before and after a batch run (batch.c).  Input: the run.
 * Output: stale temporary files of an earlier run removed, the CSV and
 * records streams opened and committed, the class summary and the print
 * bundle written, the closing summary on stderr.
 */
#include "run/batch_int.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/audit.h"
#include "device/bundle.h"
#include "view/class_summary.h"
#include "base/csv.h"
#include "view/gradebook.h"
#include "read/lms_zip.h"
#include "run/job.h"
#include "run/records.h"
#include "read/ledger.h"
#include "base/outfile.h"

/* ---- before and after ------------------------------------------------------------ */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Remove the temporary files left by runs that are gone (outfile.h: the
 * writer's process id is in the name, and a live run's files are kept),
 * for the names of this plan only (another shard may be writing its own)
 * and for this run's CSV, class summary and bundle.
 */
void
batch_remove_stale_temps(struct run *r)
{
	/* the jobs' file names, borrowed: no copy per student */
	const char **names = xcalloc(r->plan->n ? r->plan->n : 1, sizeof *names);
	const char *own[] = { r->o->csv_path, r->o->class_path, r->o->bundle_path,
	    r->o->records_path };
	DIR *d = opendir(r->o->out_dir);
	struct dirent *e;
	size_t removed = 0, n = 0, ext = strlen(r->ext);

	for (size_t i = 0; i < r->plan->n; i++)
		names[n++] = r->plan->jobs[i].file;
	qsort(names, n, sizeof *names, cmp_str);
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t stem;
		char *key, *p;
		/* a report's temporary file is named after "<file>.<ext>" */
		if (!outfile_is_temp(e->d_name, &stem) || stem <= ext + 1 ||
		    e->d_name[stem - ext - 1] != '.' ||
		    strncmp(e->d_name + stem - ext, r->ext, ext) != 0)
			continue;
		key = xstrndup(e->d_name, stem - ext - 1);
		if (bsearch(&key, names, n, sizeof *names, cmp_str) != NULL &&
		    outfile_temp_is_stale(r->o->out_dir, e->d_name)) {
			p = file_in_dir(r->o->out_dir, e->d_name);
			if (unlink(p) == 0)
				removed++;
			free(p);
		}
		free(key);
	}
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		if (own[i] != NULL)
			removed += outfile_remove_stale_temps(own[i]);
	if (removed > 0 && !r->o->quiet)
		batch_sayf(r, "archaudit: removed %zu temporary file%s left by an "
		    "interrupted run", removed, removed == 1 ? "" : "s");
	free(names);
}

/*
 * Can the reports be written into the output folder?  Said once, naming
 * the folder, rather than once per report.  With --skip-existing a
 * folder that holds every report already need not be writable.
 */
bool
batch_out_dir_writable(struct run *r)
{
	bool needed = !r->o->skip_existing;
	int err;

	if (access(r->o->out_dir, W_OK | X_OK) == 0)
		return true;
	err = errno;
	for (size_t j = 0; j < r->plan->n && !needed; j++) {
		char *dst;
		if (r->plan->jobs[j].state != JOB_RUN)
			continue;
		dst = batch_out_path(r, &r->plan->jobs[j]);
		needed = !outfile_looks_whole(dst, !r->o->markdown);
		free(dst);
	}
	if (needed)
		batch_sayf(r, "%s: error: cannot write into the output folder: %s; "
		    "no report written", r->o->out_dir, strerror(err));
	return !needed;
}

/* Open stream o for writing (its temporary file); said when it cannot be. */
static void
open_stream(struct run *r, struct stream *o, const char *path)
{
	struct diag_list dl;

	o->path = path;
	diag_init(&dl);
	o->f = outfile_open(path, &o->tmp, &dl);
	if (o->f == NULL) {
		struct buf t;
		buf_init(&t);
		batch_format_diags(&dl, r->o, path, &t);
		batch_say(r, t.data, t.len);
		buf_free(&t);
		o->failed = true;
	}
	diag_free(&dl);
}

void
batch_open_csv(struct run *r)
{
	struct buf b;

	open_stream(r, &r->csv, r->o->csv_path);
	r->csv_form.format = r->o->csv_format;
	r->csv_form.by_sis_id = true;   /* Moodle: by email when anyone has one */
	for (size_t j = 0; j < r->plan->n && r->csv_form.by_sis_id; j++)
		r->csv_form.by_sis_id = r->plan->jobs[j].more->email[0] == '\0';
	buf_init(&b);
	gradebook_header(&b, &r->csv_form);
	batch_stream_put(&r->csv, &b);
	buf_free(&b);
}

void
batch_open_records(struct run *r)
{
	struct records_meta m = *r->o->records_meta;
	struct buf b;

	open_stream(r, &r->records, r->o->records_path);
	m.roster = r->plan->roster;
	m.total = r->plan->n_total;
	m.first = r->plan->first;
	m.count = r->plan->n;
	buf_init(&b);
	records_header(&b, &m);
	batch_stream_put(&r->records, &b);
	buf_free(&b);
}

/* Print what dl holds about output path. */
void
batch_say_diags(struct run *r, const char *path, const struct diag_list *dl)
{
	struct buf t;

	buf_init(&t);
	batch_format_diags(dl, r->o, path, &t);
	batch_say(r, t.data ? t.data : "", t.len);
	buf_free(&t);
}

/* Commit stream o under its name, or say why not.  False on failure. */
bool
batch_finish_stream(struct run *r, struct stream *o)
{
	struct diag_list dl;
	bool ok;

	if (o->f == NULL)
		return !o->failed;
	if (o->failed) {
		batch_sayf(r, "%s: error: cannot write: %s", o->path, strerror(o->err));
		outfile_abort(o->f, o->tmp);
		o->f = NULL;
		return false;
	}
	diag_init(&dl);
	ok = outfile_commit(o->f, o->tmp, o->path, &dl) == 0;
	o->f = NULL;
	if (!ok)
		batch_say_diags(r, o->path, &dl);
	diag_free(&dl);
	return ok;
}

void
batch_abort_stream(struct stream *o)
{
	if (o->f != NULL)
		outfile_abort(o->f, o->tmp);
	o->f = NULL;
}

/* The class summary's PDF: its model and charts, typeset by report.c. */
static int
render_class_summary(struct run *r, struct buf *out, struct diag_list *dl)
{
	struct chart_inputs in;
	struct layout_name *names;
	struct tvalue *model;
	long long epoch;
	size_t n_names = class_summary_names(r->cls, &names);
	int rc;

	class_summary_charts(r->cls, r->s, &in);
	model = class_summary_model(r->cls, r->s, r->o->program,
	    report_env_source_date(r->env, &epoch) ? &epoch : NULL);
	rc = report_render_template(r->env, r->o->class_tpl, model, &in,
	    "Architect\xe2\x80\x99s Audit \xe2\x80\x94 class summary", names, n_names,
	    out, dl);
	tvalue_free(model);
	free(names);
	return rc;
}

bool
batch_write_class_summary(struct run *r)
{
	struct diag_list dl;
	struct buf pdf;
	bool ok;

	diag_init(&dl);
	buf_init(&pdf);
	ok = render_class_summary(r, &pdf, &dl) == 0 &&
	    outfile_write(r->o->class_path, pdf.data, pdf.len, &dl) == 0;
	batch_say_diags(r, r->o->class_path, &dl);
	diag_free(&dl);
	buf_free(&pdf);
	return ok;
}

/*
 * Every report with a file, read back from the output folder and copied
 * into one PDF in plan order, one at a time (bundle.h): the memory does not
 * grow with the class.
 */
bool
batch_write_bundle(struct run *r)
{
	struct diag_list dl;
	struct bundle *b;
	size_t left_out = 0;
	bool ok = false;

	if (r->n_todo == 0) {
		/* an empty shard exits 0; so does its bundle, which has no page */
		if (!r->o->quiet)
			batch_sayf(r, "%s: note: no student in this run (an empty shard?); "
			    "no bundle written", r->o->bundle_path);
		return true;
	}
	diag_init(&dl);
	b = bundle_open(r->o->bundle_path, "Architect's Audit \xe2\x80\x94 print bundle",
	    r->o->program, &dl);
	for (size_t j = 0; b != NULL && j < r->plan->n && batch_signal() == 0; j++) {
		const struct batch_job *job = &r->plan->jobs[j];
		struct diag_list quiet;
		struct buf pdf, filler;
		char *src;
		size_t pages = 0;
		if (r->outcome[j] != OUT_WRITTEN && r->outcome[j] != OUT_EXISTING)
			continue;
		src = batch_out_path(r, job);
		diag_init(&quiet);
		buf_init(&pdf);
		buf_init(&filler);
		if (ledger_read_file(src, BUNDLE_MAX_REPORT_BYTES, &pdf, &quiet) == 0 &&
		    bundle_add(b, src, pdf.data ? pdf.data : "", pdf.len, job->student,
		    &pages, &quiet) == 0 && pages % 2 == 1 &&
		    (report_filler_page(r->env, job->student, &filler, &quiet) != 0 ||
		    bundle_pad(b, src, filler.data, filler.len, &quiet) != 0))
			pages = 0;
		if (diag_count(&quiet, DIAG_ERROR) > 0) {
			struct buf e;
			buf_init(&e);
			batch_first_error(&quiet, src, &e);
			batch_sayf(r, "%s: error: %s left out: %s", r->o->bundle_path,
			    job->student, e.data);
			buf_free(&e);
			left_out++;
		}
		diag_free(&quiet);
		buf_free(&pdf);
		buf_free(&filler);
		free(src);
		if (bundle_pages(b) > BUNDLE_MAX_PAGES) {
			diag_add(&dl, DIAG_ERROR, "outputs.bundle-too-long",
			    r->o->bundle_path, "more than %d pages, the "
			    "most a bundle takes; make one bundle per section or per shard "
			    "(--shard K/N)", BUNDLE_MAX_PAGES);
			bundle_abort(b);
			b = NULL;
		}
		if (b != NULL && !r->o->quiet && r->tty && batch_now() - r->last_draw > 0.1) {
			fprintf(stderr, "\r\033[Karchaudit: bundle %zu/%zu", j + 1,
			    r->plan->n);
			r->line_shown = true;
			r->last_draw = batch_now();
		}
	}
	batch_clear_progress(r);
	if (b != NULL && batch_signal() != 0) {
		bundle_abort(b);
		b = NULL;
	}
	if (b != NULL)
		ok = bundle_finish(b, &dl) == 0 && left_out == 0;
	batch_say_diags(r, r->o->bundle_path, &dl);
	diag_free(&dl);
	return ok;
}

void
batch_print_summary(struct run *r, bool outputs_ok)
{
	const struct batch_stats *st = r->st;
	struct buf b;

	batch_clear_progress(r);
	if (r->o->quiet)
		return;
	buf_init(&b);
	buf_printf(&b, "archaudit: %zu report%s %s", st->written,
	    st->written == 1 ? "" : "s", r->o->given ? "merged" : "written");
	if (st->existing > 0)
		buf_printf(&b, ", %zu already there", st->existing);
	if (st->failed > 0)
		buf_printf(&b, ", %zu failed", st->failed);
	if (st->collisions > 0)
		buf_printf(&b, ", %zu not written (same file name)", st->collisions);
	if (st->missing > 0)
		buf_printf(&b, ", %zu student%s without a ledger", st->missing,
		    st->missing == 1 ? "" : "s");
	if (st->not_done > 0)
		buf_printf(&b, ", %zu not done", st->not_done);
	buf_printf(&b, "; %.1f s", st->seconds);
	if (st->seconds > 0 && st->written > 0 && r->o->given == NULL)
		buf_printf(&b, " (%.1f reports/s)", st->written / st->seconds);
	fprintf(stderr, "%s\n", b.data);
	if (r->failures.len > 0) {
		fprintf(stderr, "archaudit: failed:\n%s", r->failures.data);
		if (r->n_failures_listed > MAX_LISTED_FAILURES)
			fprintf(stderr, "  ... and %zu more\n",
			    r->n_failures_listed - MAX_LISTED_FAILURES);
	}
	if (r->template_fault)
		fprintf(stderr, "archaudit: stopped: the template cannot make a report "
		    "(the error above is the same for every student); %zu report%s "
		    "not done, and no CSV, class summary or bundle written; fix the "
		    "template and run again\n", st->not_done, st->not_done == 1 ? "" : "s");
	else if (st->signal != 0)
		fprintf(stderr, "archaudit: interrupted by %s: %zu report%s not "
		    "done; run again with --skip-existing to finish%s\n",
		    strsignal(st->signal), st->not_done, st->not_done == 1 ? "" : "s",
		    !r->late_signal && (r->o->csv_path || r->o->class_path ||
		    r->o->bundle_path)
		    ? " (the CSV, class summary and bundle were not written)"
		    : r->late_signal && r->o->bundle_path
		    ? " (the bundle was not written)" : "");
	if (!outputs_ok && !r->late_signal)
		fprintf(stderr, "archaudit: some outputs could not be written "
		    "(see above)\n");
	buf_free(&b);
}

/* --merge: the records' results stand for the workers'. */
void
batch_take_given(struct run *r)
{
	static const struct { const char *word; enum outcome o; } words[] = {
		{ "written", OUT_WRITTEN }, { "existing", OUT_EXISTING },
		{ "failed", OUT_FAILED }, { "no ledger", OUT_MISSING },
		{ "name collision", OUT_COLLISION },
	};

	for (size_t k = 0; k < r->n_todo; k++) {
		size_t j = r->todo[k];
		const struct records_result *g = &r->o->given[j];
		enum outcome o = OUT_FAILED;
		for (size_t i = 0; i < sizeof words / sizeof *words; i++)
			if (strcmp(g->status, words[i].word) == 0)
				o = words[i].o;
		batch_take_result(r, j, o, g->has_sum ? &g->sum : NULL,
		    g->error ? g->error : "", g->error ? strlen(g->error) : 0);
	}
}

