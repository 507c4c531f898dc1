/*
 * batch: running a plan in worker processes.  Input: a struct batch_plan,
 * the scenario and the prepared report env.  Output: one report file per
 * job (written by the workers), the gradebook CSV, the class summary and
 * the print bundle (written here, in plan order), messages on stderr.
 *
 * Processes.  The parent forks N workers after the env (templates, fonts,
 * the grid census) is built, so they share it copy-on-write.  A shared
 * anonymous mapping holds the index of the next job to take (an atomic
 * counter: the next free job goes to whichever worker is idle first), a
 * stop flag, and the job each worker is on.  Each worker has its own pipe
 * back to the parent and sends one record per job: a fixed header (job,
 * outcome, struct student_summary) and the job's messages as text.  The
 * parent polls the pipes, prints messages as they come, and adds records
 * to the CSV and the class summary strictly in plan order (a record that
 * comes early waits in the results array), so those files are the same
 * for any number of workers.  A worker writes its report to a temporary
 * file and sends its name; the parent makes up to COMMIT_BATCH of them
 * durable with one syncfs and only then renames them into place (and
 * counts them written), so durability costs one synchronisation per
 * batch, not one per report.  A worker that dies (a crash, the OOM
 * killer) fails its current job only: the parent removes that job's
 * temporary file and starts another worker.
 *
 * Signals.  SIGINT and SIGTERM set a flag; the parent then sets the stop
 * flag, workers finish the report they are on (written atomically, so it
 * is whole or absent) and exit, and the parent reports what was done and
 * what was not.  A second signal kills the workers at once and removes
 * their temporary files.  The CSV, class summary and bundle of an
 * interrupted run are not written.
 *
 * What comes before and after the workers (stale temporary files, the
 * streams, the class summary, the bundle, the closing summary) is in
 * batch_outputs.c, the messages and the progress line in batch_say.c;
 * they share batch_int.h.
 */
#include "run/batch_int.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
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

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t n_signals;

int
batch_signal(void)
{
	return got_signal;
}

static void
on_signal(int sig)
{
	got_signal = sig;
	n_signals++;
}

double
batch_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

char *
batch_out_path(const struct run *r, const struct batch_job *j)
{
	if (r->o->given != NULL && r->o->out_dir == NULL) {
		/* --merge without -o: where the shard wrote it */
		const struct records_result *g = &r->o->given[j - r->plan->jobs];
		return xstrdup(g->report != NULL ? g->report : "");
	}
	char *name = xasprintf("%s.%s", j->file, r->ext);
	char *path = file_in_dir(r->o->out_dir, name);

	free(name);
	return path;
}

/* ---- the worker ---------------------------------------------------------------- */

/* What the job reads: the plan's entry, the name's language and where it came from. */
static void
job_input_of(const struct run *r, const struct batch_job *job,
    struct job_input *in, char **origin)
{
	memset(in, 0, sizeof *in);
	in->path = job->path;
	in->member = job->more->member;
	in->member_index = job->more->member_index;
	in->source = batch_job_source(job);
	in->student = job->student;
	in->lang = job->lang;
	in->max_bytes = r->o->max_bytes;
	if (job->roster_line > 0)
		*origin = xasprintf("%s:%d", r->plan->roster ? r->plan->roster : "roster",
		    job->roster_line);
	else if (job->path != NULL)
		*origin = xstrdup(batch_job_source(job));
	else
		*origin = NULL;
	in->origin = *origin;
}

/* text: what the job said, filtered by -q and -v, the reason why it failed first. */
static void
job_text(const struct run *r, const struct job *jb, const char *name,
    struct wire *wi, struct buf *text)
{
	struct buf reason;

	buf_init(&reason);
	if (wi->outcome == OUT_FAILED)
		batch_first_error(&jb->diags, name, &reason);
	batch_format_diags(&jb->diags, r->o, name, text);
	if (text->len > MAX_TEXT) {
		text->len = MAX_TEXT;
		buf_printf(text, "\n%s: further messages not shown\n", name);
	}
	/* the reason goes first */
	if (reason.len > 0) {
		buf_putc(&reason, '\n');
		buf_put(&reason, text->data ? text->data : "", text->len);
		buf_reset(text);
		buf_put(text, reason.data, reason.len);
		wi->reason_len = (uint32_t)strcspn(reason.data, "\n");
	}
	wi->text_len = (uint32_t)text->len;
	buf_free(&reason);
}

static void
do_job(const struct run *r, size_t j, struct wire *wi, struct buf *text, char **tmp)
{
	const struct batch_job *job = &r->plan->jobs[j];
	const char *name = batch_job_source(job);
	char *dst = batch_out_path(r, job), *origin;
	struct job_input in;
	struct job jb;
	struct buf doc;
	bool exists = r->o->skip_existing && outfile_looks_whole(dst, !r->o->markdown);
	struct stat st;
	int rc;

	memset(wi, 0, sizeof *wi);
	wi->magic = WIRE_MAGIC;
	wi->job = (uint32_t)j;
	buf_reset(text);
	buf_init(&doc);
	job_init(&jb);
	job_input_of(r, job, &in, &origin);
	if (job_model(&jb, &in, r->s, report_env_census(r->env)) != 0) {
		wi->outcome = OUT_FAILED;
		goto out;
	}
	if (r->o->skip_existing && !exists && lstat(dst, &st) == 0)
		diag_add(&jb.diags, DIAG_WARNING, "batch.partial-output",
		    dst, "not a whole %s (empty, cut "
		    "short, a link or a folder); written again",
		    r->o->markdown ? "file" : "PDF");
	student_summary_from_audit(jb.results->audit, &wi->sum);
	if (exists) {
		wi->outcome = OUT_EXISTING;
		goto out;
	}
	rc = job_output(&jb, r->o->markdown ? JOB_MARKDOWN : JOB_PDF, r->env, &doc);
	/* synced and renamed by the parent, with others (commit_queued) */
	if (rc == 0)
		rc = outfile_write_temp(dst, doc.data, doc.len, (long)r->parent, tmp,
		    &jb.diags);
	wi->outcome = rc == 0 ? OUT_WRITTEN : OUT_FAILED;
	wi->template_fault = rc == REPORT_TEMPLATE_FAULT;
out:
	job_text(r, &jb, name, wi, text);
	job_free(&jb);
	buf_free(&doc);
	free(origin);
	free(dst);
}

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t k = write(fd, c, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static void
worker_main(struct run *r, unsigned w, int fd)
{
	struct sigaction sa;
	struct wire wi;
	struct buf text;
	char *tmp;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;       /* finish the report in progress */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* about what its first report touches: 8 MB made a long run's
	 * workers 1.6 MB larger and no faster (docs/perf.md, session 11) */
	heap_ready(6u << 20);
	buf_init(&text);
	for (;;) {
		unsigned long k;
		if (got_signal || atomic_load(&r->sh->stop) || getppid() != r->parent)
			break;
		k = atomic_fetch_add(&r->sh->next, 1);
		if (k >= r->n_todo)
			break;
		atomic_store(&r->sh->current[w], (long)r->todo[k]);
		tmp = NULL;
		do_job(r, r->todo[k], &wi, &text, &tmp);
		wi.tmp_len = tmp != NULL ? (uint32_t)strlen(tmp) : 0;
		if (write_all(fd, &wi, sizeof wi) != 0 ||
		    write_all(fd, text.data ? text.data : "", text.len) != 0 ||
		    write_all(fd, tmp != NULL ? tmp : "", wi.tmp_len) != 0)
			_exit(1);
		free(tmp);
		atomic_store(&r->sh->current[w], -1);
	}
	/*
	 * _exit: the parent's stdio buffers and exit handlers are not ours.
	 * What the worker allocated is freed, so that a leak checker sees
	 * only the parent's state (the env) still reachable at the end.
	 */
	buf_free(&text);
	lms_zip_close_cached();
	_exit(0);
}

static int
spawn(struct run *r, unsigned w)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) != 0)
		return -1;
	atomic_store(&r->sh->current[w], -1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		for (unsigned k = 0; k < r->n_workers; k++)
			if (r->w[k].fd >= 0)
				close(r->w[k].fd);
		worker_main(r, w, pfd[1]);
	}
	close(pfd[1]);
	r->w[w].pid = pid;
	r->w[w].fd = pfd[0];
	buf_reset(&r->w[w].in);
	return 0;
}

/* ---- the parent: records in plan order ------------------------------------------- */

static const char *
outcome_word(enum outcome o)
{
	switch (o) {
	case OUT_WRITTEN:
		return "written";
	case OUT_EXISTING:
		return "existing";
	case OUT_FAILED:
		return "failed";
	case OUT_MISSING:
		return "no ledger";
	case OUT_COLLISION:
		return "name collision";
	default:
		return "not done";
	}
}

/* Bytes into a stream; the first failure is kept, said at the end. */
void
batch_stream_put(struct stream *o, const struct buf *b)
{
	if (o->f != NULL && fwrite(b->data, 1, b->len, o->f) != b->len && !o->failed) {
		o->failed = true;
		o->err = errno;
	}
}

static void
csv_row(struct run *r, size_t j, const char *error)
{
	const struct batch_job *job = &r->plan->jobs[j];
	const struct result *res = &r->win[j & (r->win_cap - 1)];
	enum outcome o = (enum outcome)r->outcome[j];
	bool has = o == OUT_WRITTEN || o == OUT_EXISTING;
	char *report = has ? batch_out_path(r, job) : xstrdup("");
	struct gradebook_row row = {
		.id = job->id, .name = job->student, .section = job->section,
		.email = job->more->email, .sis_id = job->more->sis_id,
		.ledger = job->path ? batch_job_source(job) : "", .report = report,
		.lms_id = job->more->lms == LMS_CANVAS ? job->more->lms_id : "",
		.status = outcome_word(o), .error = error ? error : "",
		.sum = has ? &res->sum : NULL,
	};
	struct buf b;

	buf_init(&b);
	if (gradebook_row(&b, &r->csv_form, &row))
		batch_stream_put(&r->csv, &b);
	else if (!r->o->quiet) {
		char *name = utf8_quote(job->student, 200);
		batch_sayf(r, "%s:%d: warning: %s has no %s, so the Moodle gradebook %s "
		    "leaves this student out (Moodle stops an import at a row "
		    "without one)", r->plan->roster ? r->plan->roster : "roster",
		    job->roster_line, name, r->csv_form.by_sis_id ? "sis_id" : "email",
		    r->csv.path);
		free(name);
	}
	buf_free(&b);
	free(report);
}

static void
records_row(struct run *r, size_t j, const char *error)
{
	const struct batch_job *job = &r->plan->jobs[j];
	const struct result *res = &r->win[j & (r->win_cap - 1)];
	enum outcome o = (enum outcome)r->outcome[j];
	bool has = o == OUT_WRITTEN || o == OUT_EXISTING;
	char *report = has ? batch_out_path(r, job) : NULL;
	struct buf b;

	buf_init(&b);
	records_line(&b, r->plan->first + j, job, outcome_word(o), error,
	    report, has ? &res->sum : NULL);
	batch_stream_put(&r->records, &b);
	buf_free(&b);
	free(report);
}

/* Job j's place in the window of results not yet flushed, made room for. */
static struct result *
result_of(struct run *r, size_t j)
{
	if (j - r->flushed >= r->win_cap) {
		size_t cap = r->win_cap ? r->win_cap : 64;
		struct result *w;
		while (j - r->flushed >= cap)
			cap *= 2;
		w = xcalloc(cap, sizeof *w);
		for (size_t k = r->flushed; k < r->flushed + r->win_cap; k++)
			w[k & (cap - 1)] = r->win[k & (r->win_cap - 1)];
		free(r->win);
		r->win = w;
		r->win_cap = cap;
	}
	return &r->win[j & (r->win_cap - 1)];
}

static void
flush_in_order(struct run *r)
{
	while (r->flushed < r->plan->n && r->outcome[r->flushed] != OUT_PENDING) {
		size_t j = r->flushed;
		struct result *res = result_of(r, j);
		enum outcome o = (enum outcome)r->outcome[j];
		const struct batch_job *job = &r->plan->jobs[j];
		const char *error = res->reason != NULL ? res->reason
		    : job->state != JOB_RUN ? job->problem : NULL;
		if (r->csv.f != NULL)
			csv_row(r, j, error);
		if (r->records.f != NULL)
			records_row(r, j, error);
		if (r->cls != NULL && (o == OUT_WRITTEN || o == OUT_EXISTING))
			class_summary_add(r->cls, &res->sum, job->student, job->lang,
			    job->section);
		else if (r->cls != NULL && o == OUT_MISSING)
			class_summary_add_missing(r->cls, job->student, job->lang, job->section,
			    error);
		else if (r->cls != NULL)
			class_summary_add_failed(r->cls, job->student, job->lang, job->section,
			    error);
		free(res->reason);
		memset(res, 0, sizeof *res);    /* for job j + win_cap */
		r->flushed++;
	}
}

static void
count_outcome(struct run *r, enum outcome o)
{
	switch (o) {
	case OUT_WRITTEN:
		r->st->written++;
		break;
	case OUT_EXISTING:
		r->st->existing++;
		break;
	case OUT_FAILED:
		r->st->failed++;
		break;
	case OUT_MISSING:
		r->st->missing++;
		break;
	case OUT_COLLISION:
		r->st->collisions++;
		break;
	default:
		break;
	}
}

static void
list_failure(struct run *r, const char *reason, size_t len)
{
	if (r->n_failures_listed++ < MAX_LISTED_FAILURES) {
		buf_puts(&r->failures, "  ");
		buf_put(&r->failures, reason, len);
		buf_putc(&r->failures, '\n');
	}
}

/* A job's result is in: the record of a worker, or a death. */
void
batch_take_result(struct run *r, size_t j, enum outcome o, const struct student_summary *sum,
    const char *reason, size_t reason_len)
{
	struct result *res;

	if (j >= r->plan->n || r->outcome[j] != OUT_PENDING)
		return;
	res = result_of(r, j);
	r->outcome[j] = (uint8_t)o;
	if (sum != NULL)
		res->sum = *sum;
	if (o == OUT_FAILED) {
		res->reason = xstrndup(reason, reason_len);
		list_failure(r, reason, reason_len);
	}
	count_outcome(r, o);
	r->done++;
	flush_in_order(r);
}

/*
 * Written reports wait here as temporary files and are committed
 * together: one syncfs, then the renames (outfile_commit_temps).  A crash
 * leaves temporary files, which the next run removes; a report counts as
 * written only once it is under its final name.
 */
static void
commit_queued(struct run *r)
{
	struct diag_list dl;
	bool *ok;

	if (r->n_queued == 0)
		return;
	diag_init(&dl);
	ok = xcalloc(r->n_queued, sizeof *ok);
	outfile_commit_temps(r->q_tmp, r->q_dst, r->n_queued, ok, &dl);
	for (size_t i = 0; i < r->n_queued; i++) {
		size_t j = r->q_job[i];
		r->queued[j] = false;
		if (ok[i]) {
			batch_take_result(r, j, OUT_WRITTEN, &r->q_sum[i], NULL, 0);
		} else {
			struct diag_list one;
			struct buf e, t;
			diag_init(&one);
			buf_init(&e);
			buf_init(&t);
			for (size_t d = 0; d < dl.n; d++)
				if (dl.items[d].where != NULL &&
				    strcmp(dl.items[d].where, r->q_dst[i]) == 0)
					diag_add(&one, DIAG_ERROR, dl.items[d].id,
					    r->q_dst[i], "%s", dl.items[d].msg);
			batch_first_error(&one, r->q_dst[i], &e);
			batch_format_diags(&one, r->o, r->q_dst[i], &t);
			batch_say(r, t.data ? t.data : "", t.len);
			batch_take_result(r, j, OUT_FAILED, &r->q_sum[i], e.data, e.len);
			diag_free(&one);
			buf_free(&e);
			buf_free(&t);
		}
		free(r->q_tmp[i]);
		free(r->q_dst[i]);
	}
	r->n_queued = 0;
	free(ok);
	diag_free(&dl);
}

#define COMMIT_BATCH 64         /* reports per synchronisation */

static void
queue_written(struct run *r, size_t j, const struct student_summary *sum,
    const char *tmp, size_t tmp_len)
{
	size_t i = r->n_queued;

	if (r->outcome[j] != OUT_PENDING || r->queued[j])
		return;
	if (i == 0) {
		r->q_job = xreallocarray(r->q_job, COMMIT_BATCH, sizeof *r->q_job);
		r->q_sum = xreallocarray(r->q_sum, COMMIT_BATCH, sizeof *r->q_sum);
		r->q_tmp = xreallocarray(r->q_tmp, COMMIT_BATCH, sizeof *r->q_tmp);
		r->q_dst = xreallocarray(r->q_dst, COMMIT_BATCH, sizeof *r->q_dst);
	}
	r->q_job[i] = j;
	r->q_sum[i] = *sum;
	r->q_tmp[i] = xstrndup(tmp, tmp_len);
	r->q_dst[i] = batch_out_path(r, &r->plan->jobs[j]);
	r->queued[j] = true;
	if (++r->n_queued == COMMIT_BATCH)
		commit_queued(r);
}

static void stop_workers(struct run *r, bool now);

/* Whole records in w's buffer; false on a malformed one. */
static bool
take_records(struct run *r, struct worker *w)
{
	size_t off = 0;
	bool ok = true;

	while (w->in.len - off >= sizeof(struct wire)) {
		struct wire wi;
		const char *text;
		memcpy(&wi, w->in.data + off, sizeof wi);
		if (wi.magic != WIRE_MAGIC || wi.reason_len > wi.text_len ||
		    wi.job >= r->plan->n || wi.outcome > OUT_COLLISION ||
		    wi.tmp_len > 65536 || (wi.tmp_len > 0) != (wi.outcome == OUT_WRITTEN)) {
			ok = false;
			break;
		}
		if (w->in.len - off - sizeof wi < (size_t)wi.text_len + wi.tmp_len)
			break;
		text = w->in.data + off + sizeof wi;
		if (wi.template_fault && r->template_fault) {
			/* said already; this student counts as not done */
			off += sizeof wi + wi.text_len + wi.tmp_len;
			continue;
		}
		if (wi.template_fault) {
			/* the same for every student: said once, and the run stops */
			r->template_fault = true;
			r->stopping = true;
			stop_workers(r, false);
		}
		if (wi.reason_len > 0) {
			/* the reason line, then every message (the reason among them) */
			size_t skip = wi.reason_len + 1 <= wi.text_len
			    ? wi.reason_len + 1 : wi.text_len;
			batch_say(r, text + skip, wi.text_len - skip);
		} else {
			batch_say(r, text, wi.text_len);
		}
		if (wi.outcome == OUT_WRITTEN)
			queue_written(r, wi.job, &wi.sum, text + wi.text_len, wi.tmp_len);
		else
			batch_take_result(r, wi.job, (enum outcome)wi.outcome, &wi.sum, text,
			    wi.reason_len);
		off += sizeof wi + wi.text_len + wi.tmp_len;
	}
	memmove(w->in.data, w->in.data + off, w->in.len - off);
	w->in.len -= off;
	return ok;
}

static void
describe_death(int status, struct buf *b)
{
	if (WIFSIGNALED(status))
		buf_printf(b, "the worker process was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		buf_puts(b, "the worker process ran out of memory");
	else
		buf_printf(b, "the worker process exited with status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Worker w closed its pipe: reap it, fail its job if it died in one. */
static void
reap(struct run *r, unsigned w)
{
	int status = 0;
	long j;

	while (waitpid(r->w[w].pid, &status, 0) < 0 && errno == EINTR)
		;
	r->w[w].pid = 0;
	j = atomic_load(&r->sh->current[w]);
	if (j >= 0 && (size_t)j < r->plan->n && r->outcome[j] == OUT_PENDING &&
	    !r->queued[j]) {
		const struct batch_job *job = &r->plan->jobs[j];
		char *dst = batch_out_path(r, job);
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "%s: error: no report: ", batch_job_source(job));
		describe_death(status, &b);
		/* named after the parent, which renames it (commit_queued) */
		outfile_remove_temps_of(dst, (long)r->parent);
		batch_say(r, b.data, b.len);
		batch_take_result(r, (size_t)j, OUT_FAILED, NULL, b.data, b.len);
		buf_free(&b);
		free(dst);
	}
	if (!r->stopping && atomic_load(&r->sh->next) < r->n_todo &&
	    r->respawns < 100 && spawn(r, w) == 0)
		r->respawns++;
}

/* The records a dead worker left in its pipe. */
static void
drain(struct run *r, struct worker *w)
{
	for (;;) {
		ssize_t got;
		buf_grow(&w->in, 65536);
		got = read(w->fd, w->in.data + w->in.len, 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		w->in.len += (size_t)got;
		if (!take_records(r, w))
			break;
	}
}

static void
stop_workers(struct run *r, bool now)
{
	atomic_store(&r->sh->stop, 1);
	if (!now)
		return;
	for (unsigned w = 0; w < r->n_workers; w++) {
		long j;
		if (r->w[w].pid <= 0)
			continue;
		kill(r->w[w].pid, SIGKILL);
		j = atomic_load(&r->sh->current[w]);
		if (j >= 0 && (size_t)j < r->plan->n) {
			char *dst = batch_out_path(r, &r->plan->jobs[j]);
			pid_t pid = r->w[w].pid;
			/* after it is gone: no new temporary file can appear */
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			r->w[w].pid = -1;       /* reaped; the pipe's EOF closes it */
			drain(r, &r->w[w]);     /* a report it sent is kept */
			if (!r->queued[j] && r->outcome[j] == OUT_PENDING)
				outfile_remove_temps_of(dst, (long)r->parent);
			free(dst);
		}
	}
}

static void
parent_loop(struct run *r)
{
	struct pollfd pfd[BATCH_MAX_WORKERS];
	unsigned idx[BATCH_MAX_WORKERS];

	for (;;) {
		unsigned n = 0;
		int k;
		if (got_signal != 0 && !r->stopping) {
			r->stopping = true;
			r->st->signal = got_signal;
			stop_workers(r, false);
			if (!r->o->quiet)
				batch_sayf(r, "archaudit: %s: finishing the reports in "
				    "progress (send it again to stop at once)",
				    strsignal(got_signal));
		}
		if (n_signals > 1 && r->stopping) {
			n_signals = 1;
			stop_workers(r, true);
		}
		for (unsigned w = 0; w < r->n_workers; w++) {
			if (r->w[w].fd < 0)
				continue;
			pfd[n].fd = r->w[w].fd;
			pfd[n].events = POLLIN;
			idx[n++] = w;
		}
		if (n == 0)
			break;
		k = poll(pfd, n, r->tty ? 100 : 1000);
		if (k < 0 && errno != EINTR) {
			batch_sayf(r, "archaudit: poll: %s", strerror(errno));
			stop_workers(r, true);
		}
		if (k == 0)
			commit_queued(r);       /* a quiet moment: no report waits long */
		for (unsigned i = 0; k > 0 && i < n; i++) {
			struct worker *w = &r->w[idx[i]];
			ssize_t got;
			if (pfd[i].revents == 0)
				continue;
			buf_grow(&w->in, 65536);
			got = read(w->fd, w->in.data + w->in.len, 65536);
			if (got < 0 && errno == EINTR)
				continue;
			if (got > 0) {
				w->in.len += (size_t)got;
				if (take_records(r, w))
					continue;
				batch_sayf(r, "archaudit: a worker sent a malformed record");
				if (w->pid > 0)
					kill(w->pid, SIGKILL);
			}
			close(w->fd);
			w->fd = -1;
			if (w->pid > 0)
				reap(r, idx[i]);
			else
				w->pid = 0;
		}
		batch_progress(r, false);
	}
}

static void
run_init(struct run *r, const struct batch_plan *plan, const struct batch_options *o,
    const struct scenario *s, const struct report_env *env, struct batch_stats *st)
{
	memset(r, 0, sizeof *r);
	memset(st, 0, sizeof *st);
	r->plan = plan;
	r->o = o;
	r->s = s;
	r->env = env;
	r->st = st;
	r->ext = o->markdown ? "md" : "pdf";
	r->parent = getpid();
	r->tty = isatty(2) && !o->quiet;
	r->t0 = r->last_draw = batch_now();
	r->last_tenth = 0;
	st->planned = plan->n;
	buf_init(&r->failures);
	for (unsigned w = 0; w < BATCH_MAX_WORKERS; w++) {
		r->w[w].fd = -1;
		buf_init(&r->w[w].in);
	}
	got_signal = 0;
	n_signals = 0;
}

static void
run_free(struct run *r)
{
	if (r->sh != NULL)
		munmap(r->sh, sizeof *r->sh);
	for (size_t k = 0; k < r->win_cap; k++)
		free(r->win[k].reason);
	free(r->win);
	free(r->outcome);
	free(r->queued);
	free(r->todo);
	free(r->q_job);
	free(r->q_sum);
	free(r->q_tmp);
	free(r->q_dst);
	free(r->csv.tmp);
	free(r->records.tmp);
	for (unsigned w = 0; w < BATCH_MAX_WORKERS; w++)
		buf_free(&r->w[w].in);
	buf_free(&r->failures);
	class_summary_free(r->cls);
}

/* The output folder made, writable, rid of an earlier run's temporary files. */
static bool
out_dir_ready(struct run *r)
{
	const struct batch_options *o = r->o;
	struct diag_list dl;

	if (o->given != NULL)
		return true;
	diag_init(&dl);
	if (outfile_mkdirs(o->out_dir, &dl) != 0) {
		batch_say_diags(r, o->out_dir, &dl);
		diag_free(&dl);
		return false;
	}
	diag_free(&dl);
	if (!batch_out_dir_writable(r))
		return false;
	batch_remove_stale_temps(r);
	return true;
}

/* The outputs opened, and the jobs that will not run settled first. */
static void
settle_plan(struct run *r)
{
	const struct batch_plan *plan = r->plan;
	const struct batch_options *o = r->o;

	r->outcome = xcalloc(plan->n ? plan->n : 1, sizeof *r->outcome);
	r->queued = xcalloc(plan->n ? plan->n : 1, sizeof *r->queued);
	r->todo = xcalloc(plan->n ? plan->n : 1, sizeof *r->todo);
	if (o->class_path != NULL) {
		long long epoch;
		r->cls = class_summary_new();
		if (r->env != NULL && report_env_source_date(r->env, &epoch))
			class_summary_date_bound(r->cls, epoch);
	}
	if (o->csv_path != NULL)
		batch_open_csv(r);
	if (o->records_path != NULL)
		batch_open_records(r);
	for (size_t j = 0; j < plan->n; j++) {
		const struct batch_job *job = &plan->jobs[j];
		const char *label = batch_job_source(job);
		if (job->state == JOB_RUN) {
			r->todo[r->n_todo++] = (uint32_t)j;
			if (job->problem != NULL && !o->quiet && o->given == NULL)
				batch_sayf(r, "%s: warning: %s", label, job->problem);
			continue;
		}
		if (job->state == JOB_MISSING) {
			if (!o->quiet && o->given == NULL)
				batch_sayf(r, "%s:%d: warning: %s: %s", plan->roster ? plan->roster : "roster",
				    job->roster_line, job->student, job->problem);
			r->outcome[j] = OUT_MISSING;
		} else {
			char *m = xasprintf("%s: error: %s", label, job->problem);
			batch_sayf(r, "%s", m);
			r->outcome[j] = job->state == JOB_REFUSED ? OUT_FAILED : OUT_COLLISION;
			list_failure(r, job->state == JOB_REFUSED ? m : job->problem,
			    strlen(job->state == JOB_REFUSED ? m : job->problem));
			free(m);
		}
		count_outcome(r, (enum outcome)r->outcome[j]);
	}
	flush_in_order(r);
}

/* The shared mapping and the workers; at least one, or the run's jobs fail. */
static void
start_workers(struct run *r)
{
	const struct batch_options *o = r->o;

	r->sh = mmap(NULL, sizeof *r->sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED) {
		batch_sayf(r, "archaudit: cannot share memory with workers: %s",
		    strerror(errno));
		exit(3);
	}
	atomic_init(&r->sh->next, 0);
	atomic_init(&r->sh->stop, 0);
	r->n_workers = o->workers < 1 ? 1 : o->workers > BATCH_MAX_WORKERS
	    ? BATCH_MAX_WORKERS : o->workers;
	if (r->n_workers > r->n_todo)
		r->n_workers = (unsigned)r->n_todo;
	/*
	 * The heap's free pages (the roster's rows, the plan's scratch) given
	 * back before the workers inherit it: else each side that reuses them
	 * after the fork makes its own copy.
	 */
	malloc_trim(0);
	for (unsigned w = 0; w < r->n_workers; w++)
		if (spawn(r, w) != 0) {
			/* once, not once per worker (ulimit -n, -j 256): the rest
			 * would fail alike, and the started ones do the work */
			int err = errno;
			if (w > 0)
				batch_sayf(r, "archaudit: warning: started %u of %u workers "
				    "(%s); going on with %u", w, r->n_workers, strerror(err), w);
			else
				batch_sayf(r, "archaudit: cannot start worker 1: %s", strerror(err));
			break;
		}
}

/* Jobs no worker took: not done after a signal, else failed. */
static void
settle_leftovers(struct run *r)
{
	for (size_t k = 0; k < r->n_todo; k++) {
		size_t j = r->todo[k];
		if (r->outcome[j] != OUT_PENDING)
			continue;
		if (r->stopping) {
			r->st->not_done++;
		} else {
			static const char why[] = "no report: no worker took this "
			    "ledger (worker processes could not be started or died)";
			char *m = xasprintf("%s: error: %s", batch_job_source(&r->plan->jobs[j]), why);
			batch_sayf(r, "%s", m);
			batch_take_result(r, j, OUT_FAILED, NULL, m, strlen(m));
			free(m);
		}
	}
}

/* The CSV, records, class summary and bundle; false if one was not written. */
static bool
finish_outputs(struct run *r)
{
	const struct batch_options *o = r->o;
	bool ok;

	if (r->stopping) {
		batch_abort_stream(&r->csv);
		batch_abort_stream(&r->records);
		return true;
	}
	batch_clear_progress(r);
	ok = batch_finish_stream(r, &r->csv);
	if (!batch_finish_stream(r, &r->records))
		ok = false;
	if (o->class_path != NULL && !batch_write_class_summary(r))
		ok = false;
	if (o->bundle_path != NULL && got_signal == 0 && !batch_write_bundle(r))
		ok = false;
	if (got_signal != 0) {
		/* the CSV and class summary are whole; only the bundle is not */
		r->stopping = true;
		r->late_signal = true;
		r->st->signal = got_signal;
	}
	return ok;
}

int
batch_run(const struct batch_plan *plan, const struct batch_options *o,
    const struct scenario *s, const struct report_env *env,
    struct batch_stats *st)
{
	struct sigaction sa, old_int, old_term;
	struct run r;
	bool outputs_ok;
	int status;

	run_init(&r, plan, o, s, env, st);
	if (!out_dir_ready(&r)) {
		run_free(&r);
		return BATCH_SOME_FAILED;
	}
	settle_plan(&r);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;      /* no SA_RESTART: poll() returns */
	sigemptyset(&sa.sa_mask);
	if (o->given != NULL) {
		batch_take_given(&r);
	} else {
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		start_workers(&r);
		batch_progress(&r, true);
		parent_loop(&r);
		commit_queued(&r);      /* also after a signal: they are whole */
		settle_leftovers(&r);
	}
	outputs_ok = finish_outputs(&r);
	st->seconds = batch_now() - r.t0;
	batch_print_summary(&r, outputs_ok);
	if (o->given == NULL) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	status = r.template_fault ? BATCH_TEMPLATE_FAULT : r.stopping ? BATCH_INTERRUPTED
	    : st->failed > 0 || st->collisions > 0 || !outputs_ok ? BATCH_SOME_FAILED
	    : BATCH_OK;
	run_free(&r);
	return status;
}
