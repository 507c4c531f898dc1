/*
 * batch_plan: operands and roster to an ordered list of jobs with names,
 * output file names, collisions and shards.  Input: paths, a struct
 * roster.  Output: struct batch_plan.  Includes util.h, roster.h, audit.h.
 */
#include "run/batch_plan.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "read/lms_zip.h"
#include "base/outfile.h"
#include "base/unifold.h"

char *
batch_file_name(const char *student)
{
	return outfile_safe_name(student, BATCH_FILE_NAME_MAX);
}

int
batch_parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno != 0 || *end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a < 1 || b < 1 || a > b ||
	    b > BATCH_MAX_SHARDS)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

void
batch_shard_range(size_t total, unsigned k, unsigned n, size_t *lo, size_t *hi)
{
	unsigned long long t = total;
	*lo = (size_t)(t * (k - 1) / n);
	*hi = (size_t)(t * k / n);
}

/* A job's strings are the plan's (its arena), but for the problem. */
static void
job_free(struct batch_job *j)
{
	free(j->problem);
	j->problem = NULL;
}

void
batch_plan_free(struct batch_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		job_free(&p->jobs[i]);
	free(p->jobs);
	free(p->roster);
	arena_free(&p->strings);
	memset(p, 0, sizeof *p);
}

/* A malloc'ed string s moved into arena a (s is freed). */
static char *
arena_take(struct arena *a, char *s)
{
	char *t = arena_strdup(a, s);
	free(s);
	return t;
}

/* The output file name for an arena string student: that string itself
 * when it is already a safe name, as most are (a string fewer a job). */
static char *
file_for(struct arena *a, char *student)
{
	char *f = batch_file_name(student);

	if (strcmp(f, student) == 0) {
		free(f);
		return student;
	}
	return arena_take(a, f);
}

const struct batch_job_more batch_job_no_more = {
	.email = "", .sis_id = "", .lms_id = "",
};

/* j's own rare fields, made in arena a the first time one is set. */
static struct batch_job_more *
more_of(struct batch_job *j, struct arena *a)
{
	struct batch_job_more *m;

	if (j->more != &batch_job_no_more)
		return (struct batch_job_more *)j->more;  /* a's, so ours to write */
	m = arena_zalloc(a, sizeof *m);
	*m = batch_job_no_more;
	j->more = m;
	return m;
}

static struct batch_job *
push_job(struct batch_plan *p)
{
	struct batch_job *j;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->jobs = xreallocarray(p->jobs, p->cap, sizeof *p->jobs);
	}
	j = &p->jobs[p->n++];
	memset(j, 0, sizeof *j);
	j->more = &batch_job_no_more;
	return j;
}

static void
job_from_path(struct batch_job *j, struct arena *a, const char *path)
{
	j->state = JOB_RUN;
	j->path = arena_strdup(a, path);
	j->student = arena_take(a, audit_student_from_path(path));
	j->file = file_for(a, j->student);
	j->id = j->section = j->lang = arena_strdup(a, "");
}

static void
job_from_row(struct batch_job *j, struct arena *a, const struct roster_row *row,
    const char *path)
{
	j->state = path != NULL ? JOB_RUN : JOB_MISSING;
	j->path = path != NULL ? arena_strdup(a, path) : NULL;
	j->student = arena_strdup(a, row->name);
	j->file = file_for(a, j->student);
	j->id = arena_strdup(a, row->id);
	j->section = arena_strdup(a, row->section);
	j->lang = arena_strdup(a, row->lang ? row->lang : "");
	if (row->email[0] != '\0' || row->sis_id[0] != '\0') {
		struct batch_job_more *m = more_of(j, a);
		m->email = arena_strdup(a, row->email);
		m->sis_id = arena_strdup(a, row->sis_id);
	}
	j->roster_line = row->line;
}

const char *
batch_job_source(const struct batch_job *j)
{
	if (j->more->source != NULL)
		return j->more->source;
	if (j->path == NULL)
		return j->student;
	return strcmp(j->path, "-") == 0 ? "<stdin>" : j->path;
}

/* The ledgers of the submissions zips among paths, and the other paths. */
struct zips {
	const char **path;      /* borrowed from the operands */
	struct lms_zip *z;      /* owned */
	char **why;             /* owned; why zip i cannot be read, or NULL */
	size_t n;
	const char **rest;      /* the operands that are not zips */
	size_t n_rest;
};

static void
zips_read(struct zips *zs, const char *const *paths, size_t n_paths)
{
	memset(zs, 0, sizeof *zs);
	zs->path = xcalloc(n_paths ? n_paths : 1, sizeof *zs->path);
	zs->z = xcalloc(n_paths ? n_paths : 1, sizeof *zs->z);
	zs->why = xcalloc(n_paths ? n_paths : 1, sizeof *zs->why);
	zs->rest = xcalloc(n_paths ? n_paths : 1, sizeof *zs->rest);
	for (size_t i = 0; i < n_paths; i++) {
		if (!lms_zip_is_zip(paths[i])) {
			zs->rest[zs->n_rest++] = paths[i];
			continue;
		}
		zs->path[zs->n] = paths[i];
		lms_zip_scan(paths[i], &zs->z[zs->n], &zs->why[zs->n]);
		zs->n++;
	}
}

static void
zips_free(struct zips *zs)
{
	for (size_t i = 0; i < zs->n; i++) {
		lms_zip_free(&zs->z[i]);
		free(zs->why[i]);
	}
	free(zs->path);
	free(zs->z);
	free(zs->why);
	free(zs->rest);
}

/* Make j read submission s of the zip at path (j's names already set). */
static void
job_to_member(struct batch_job *j, struct arena *a, const char *path,
    const struct lms_submission *s)
{
	struct batch_job_more *m = more_of(j, a);

	j->path = arena_strdup(a, path);
	m->member = arena_strdup(a, s->entry);
	m->member_index = s->index;
	m->source = arena_take(a, xasprintf("%s:%s", path, s->entry));
	m->lms_id = arena_strdup(a, s->lms_id);
	m->lms = (int)s->kind;
	if (s->refused != NULL) {
		j->state = JOB_REFUSED;
		j->problem = xstrdup(s->refused);
	} else if (s->note != NULL) {
		j->problem = xstrdup(s->note);
	}
}

/* A job for submission s as the LMS names the student (no roster row). */
static void
job_from_member(struct batch_job *j, struct arena *a, const char *path,
    const struct lms_submission *s, bool have_roster)
{
	job_from_path(j, a, path);
	j->student = arena_strdup(a, s->name);
	j->file = file_for(a, j->student);
	job_to_member(j, a, path, s);
	if (have_roster && j->state == JOB_RUN) {
		char *p = xasprintf("not in the roster (no row has the id %s); named "
		    "as the archive names the student%s%s", s->lms_id[0] ? s->lms_id
		    : "of this file", j->problem ? "; " : "", j->problem ? j->problem : "");
		free(j->problem);
		j->problem = p;
	}
}

/* A zip that cannot be read at all: one refused job naming it. */
static void
job_from_bad_zip(struct batch_job *j, struct arena *a, const char *path,
    const char *why)
{
	job_from_path(j, a, path);
	j->state = JOB_REFUSED;
	j->problem = xstrdup(why);
}


/* A path with its canonical form, for matching operands to roster rows. */
struct canon {
	char *real;             /* owned; NULL when the file does not exist */
	size_t index;           /* operand or row index */
};

static int
cmp_canon(const void *a, const void *b)
{
	const struct canon *x = a, *y = b;
	int c = strcmp(x->real, y->real);
	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static int
cmp_canon_real(const void *a, const void *b)
{
	return strcmp(((const struct canon *)a)->real, ((const struct canon *)b)->real);
}

static char *
canonical(const char *path)
{
	if (strcmp(path, "-") == 0)
		return NULL;
	return path_real(path);
}

/* Jobs sorted by output file name, then path: the order without a roster. */
static int
cmp_jobs_by_file(const void *a, const void *b)
{
	const struct batch_job *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c != 0 ? c : strcmp(x->path ? x->path : "", y->path ? y->path : "");
}

bool
batch_file_names_clash(const char *a, const char *b)
{
	char *x = batch_name_key(a), *y = batch_name_key(b);
	bool same = strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

/* Case and Unicode normalization folded (unifold.h): "Ann" and "ann",
 * NFC and NFD "Zoë" are one file on some file systems. */
char *
batch_name_key(const char *name)
{
	return unifold_key(name);
}

/* A job's file name, for sorting jobs to find collisions. */
struct keyed {
	char *file;             /* the folded name, owned */
	size_t job;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c != 0 ? c : (x->job > y->job) - (x->job < y->job);
}

static const char *
job_label(const struct batch_job *j)
{
	return j->path != NULL ? j->path : j->student;
}

static void
mark_collisions(struct batch_plan *p)
{
	struct keyed *idx = xcalloc(p->n ? p->n : 1, sizeof *idx);
	size_t m = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].state == JOB_RUN) {
			idx[m].file = batch_name_key(p->jobs[i].file);
			idx[m++].job = i;
		}
	qsort(idx, m, sizeof *idx, cmp_keyed);
	for (size_t i = 0; i < m; ) {
		size_t e = i + 1;
		while (e < m && strcmp(idx[i].file, idx[e].file) == 0)
			e++;
		for (size_t k = i; e - i > 1 && k < e; k++) {
			struct batch_job *j = &p->jobs[idx[k].job];
			const struct batch_job *o = &p->jobs[idx[k == i ? i + 1 : i].job];
			free(j->problem);
			j->problem = xasprintf("would write the same file \"%s\" as %s "
			    "(student \"%s\"); neither is written: give one a "
			    "distinct name%s", j->file, job_label(o), o->student,
			    j->roster_line > 0 || o->roster_line > 0
			    ? " in the roster" : " or rename a file");
			j->state = JOB_COLLISION;
		}
		i = e;
	}
	for (size_t i = 0; i < m; i++)
		free(idx[i].file);
	free(idx);
}

/* A submission of a zip, by the LMS id it carries. */
struct by_id {
	const char *id;
	const char *zip;
	const struct lms_submission *sub;
	bool used;
};

static int
cmp_by_id(const void *a, const void *b)
{
	return strcmp(((const struct by_id *)a)->id, ((const struct by_id *)b)->id);
}

/* The students of the zips as jobs of extra, but those matched to roster rows. */
static void
zip_jobs(struct batch_plan *extra, struct arena *a, const struct zips *zs,
    const struct by_id *ids,
    size_t n_ids, bool have_roster)
{
	for (size_t i = 0; i < zs->n; i++)
		if (zs->why[i] != NULL)
			job_from_bad_zip(push_job(extra), a, zs->path[i], zs->why[i]);
	for (size_t i = 0; i < n_ids; i++)
		if (!ids[i].used)
			job_from_member(push_job(extra), a, ids[i].zip, ids[i].sub,
			    have_roster);
}

/* Every submission of the zips, sorted by id for matching roster rows. */
static struct by_id *
zip_index(const struct zips *zs, size_t *n)
{
	size_t m = 0, k = 0;
	struct by_id *ids;

	for (size_t i = 0; i < zs->n; i++)
		m += zs->z[i].n;
	ids = xcalloc(m ? m : 1, sizeof *ids);
	for (size_t i = 0; i < zs->n; i++)
		for (size_t j = 0; j < zs->z[i].n; j++) {
			ids[k].id = zs->z[i].subs[j].lms_id;
			ids[k].zip = zs->path[i];
			ids[k++].sub = &zs->z[i].subs[j];
		}
	qsort(ids, m, sizeof *ids, cmp_by_id);
	*n = m;
	return ids;
}

static void
plan_with_roster(struct batch_plan *p, const char *const *paths, size_t n_paths,
    bool operands, const struct zips *zs, const struct roster *r)
{
	size_t n_ids;
	struct by_id *ids = zip_index(zs, &n_ids);
	struct canon *rows = xcalloc(r->n ? r->n : 1, sizeof *rows);
	const char **matched = xcalloc(r->n ? r->n : 1, sizeof *matched);
	size_t n_rows = 0;
	int *row_errno = xcalloc(r->n ? r->n : 1, sizeof *row_errno);
	struct batch_plan extra;

	memset(&extra, 0, sizeof extra);
	for (size_t i = 0; i < r->n; i++) {
		char *real;
		if (r->rows[i].path == NULL)
			continue;
		errno = 0;
		real = canonical(r->rows[i].path);
		if (real == NULL) {
			row_errno[i] = errno ? errno : ENOENT;
			continue;
		}
		rows[n_rows].real = real;
		rows[n_rows++].index = i;
	}
	qsort(rows, n_rows, sizeof *rows, cmp_canon);
	if (!operands) {
		for (size_t i = 0; i < n_rows; i++)
			matched[rows[i].index] = r->rows[rows[i].index].path;
	}
	for (size_t i = 0; i < n_paths; i++) {
		char *real = canonical(paths[i]);
		struct canon key = { real, 0 }, *hit = NULL;
		if (real != NULL)
			hit = bsearch(&key, rows, n_rows, sizeof *rows, cmp_canon_real);
		if (hit != NULL) {
			/* the same file given twice is read once */
			if (matched[hit->index] == NULL)
				matched[hit->index] = paths[i];
		} else {
			struct batch_job *j = push_job(&extra);
			job_from_path(j, &p->strings, paths[i]);
			j->problem = xstrdup("not in the roster; named after its file");
		}
		free(real);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct roster_row *row = &r->rows[i];
		struct batch_job *j = push_job(p);
		struct by_id key = { .id = row->id }, *hit = NULL;
		if (matched[i] == NULL && row->id[0] != '\0' && n_ids > 0)
			hit = bsearch(&key, ids, n_ids, sizeof *ids, cmp_by_id);
		/* the first of several entries with this id (refused ones too) */
		while (hit != NULL && hit > ids && strcmp(hit[-1].id, row->id) == 0)
			hit--;
		while (hit != NULL && hit < ids + n_ids && strcmp(hit->id, row->id) == 0 &&
		    hit->used)
			hit++;
		if (hit != NULL && (hit == ids + n_ids || strcmp(hit->id, row->id) != 0))
			hit = NULL;
		job_from_row(j, &p->strings, row, hit != NULL ? hit->zip : matched[i]);
		if (hit != NULL) {
			hit->used = true;
			job_to_member(j, &p->strings, hit->zip, hit->sub);
			continue;
		}
		if (matched[i] != NULL)
			continue;
		if (zs->n > 0 && row->path == NULL)
			j->problem = row->id[0] != '\0'
			    ? xasprintf("no submission in the archive%s has the id %s",
			    zs->n > 1 ? "s" : "", row->id)
			    : xstrdup("the roster gives no ledger file and no id to find "
			    "the student's submission by");
		else if (row->path == NULL)
			j->problem = xstrdup("the roster gives no ledger file");
		else if (row_errno[i] == 0)
			j->problem = xasprintf("its ledger %s is not among the inputs",
			    row->path);
		else
			j->problem = xasprintf("no ledger: %s: %s", row->path,
			    strerror(row_errno[i]));
	}
	zip_jobs(&extra, &p->strings, zs, ids, n_ids, true);
	free(ids);
	if (extra.n > 0)
		qsort(extra.jobs, extra.n, sizeof *extra.jobs, cmp_jobs_by_file);
	for (size_t i = 0; i < extra.n; i++)
		*push_job(p) = extra.jobs[i];
	free(extra.jobs);
	for (size_t i = 0; i < n_rows; i++)
		free(rows[i].real);
	free(rows);
	free(matched);
	free(row_errno);
}

/* Without a roster: every path once (by canonical name), by file name. */
static void
plan_from_paths(struct batch_plan *p, const char *const *paths, size_t n_paths,
    const struct zips *zs)
{
	struct canon *seen = xcalloc(n_paths ? n_paths : 1, sizeof *seen);
	bool *dup = xcalloc(n_paths ? n_paths : 1, sizeof *dup);
	size_t n_seen = 0;

	for (size_t i = 0; i < n_paths; i++) {
		char *real = canonical(paths[i]);
		if (real == NULL)
			continue;
		seen[n_seen].real = real;
		seen[n_seen++].index = i;
	}
	qsort(seen, n_seen, sizeof *seen, cmp_canon);
	for (size_t i = 1; i < n_seen; i++)
		if (strcmp(seen[i].real, seen[i - 1].real) == 0)
			dup[seen[i].index] = true;
	for (size_t i = 0; i < n_paths; i++)
		if (!dup[i])
			job_from_path(push_job(p), &p->strings, paths[i]);
	{
		size_t n_ids;
		struct by_id *ids = zip_index(zs, &n_ids);
		zip_jobs(p, &p->strings, zs, ids, n_ids, false);
		free(ids);
	}
	if (p->n > 0)
		qsort(p->jobs, p->n, sizeof *p->jobs, cmp_jobs_by_file);
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i].real);
	free(seen);
	free(dup);
}

void
batch_plan_make(struct batch_plan *p, const char *const *paths, size_t n_paths,
    const struct roster *r)
{
	struct zips zs;

	memset(p, 0, sizeof *p);
	zips_read(&zs, paths, n_paths);
	if (r != NULL) {
		p->roster = xstrdup(r->source);
		plan_with_roster(p, zs.rest, zs.n_rest, n_paths > 0, &zs, r);
	} else
		plan_from_paths(p, zs.rest, zs.n_rest, &zs);
	zips_free(&zs);
	mark_collisions(p);
	if (p->n > 0 && p->n < p->cap) {
		/* a big class: no room kept for jobs that will not come */
		p->jobs = xreallocarray(p->jobs, p->n, sizeof *p->jobs);
		p->cap = p->n;
	}
	p->n_total = p->n;
	p->first = 0;
}

void
batch_plan_shard(struct batch_plan *p, unsigned k, unsigned n)
{
	size_t lo, hi;

	batch_shard_range(p->n, k, n, &lo, &hi);
	for (size_t i = 0; i < p->n; i++)
		if (i < lo || i >= hi)
			job_free(&p->jobs[i]);
	if (hi > lo)
		memmove(p->jobs, p->jobs + lo, (hi - lo) * sizeof *p->jobs);
	p->n = hi - lo;
	p->first += lo;
}
