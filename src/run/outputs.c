/*
 * outputs: the run's output paths compared with each other and with its
 * inputs before any work; the standard streams held open.  Input: paths.
 * Output: errors in a diag_list.  Includes util.h, batch_plan.h.
 */
#include "run/outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/batch_plan.h"
#include "base/outfile.h"

struct output_entry {
	/* the strings are the outputs' (struct outputs.strings) */
	char *key;              /* real folder + "/" + folded file name */
	char *path;             /* as given */
	char *what;
	bool input;
};

void
outputs_init(struct outputs *o)
{
	memset(o, 0, sizeof *o);
}

void
outputs_free(struct outputs *o)
{
	arena_free(&o->strings);
	free(o->v);
	memset(o, 0, sizeof *o);
}

/*
 * The real path of a folder that may not exist yet: the longest prefix
 * that exists, resolved, then the rest as written.  Caller frees.
 */
static char *
real_dir(const char *dir)
{
	char *p = xstrdup(dir[0] ? dir : "."), *real, *out;
	size_t len = strlen(p);

	for (;;) {
		if ((real = path_real(p)) != NULL) {
			out = len < strlen(dir) ? xasprintf("%s%s", real, dir + len)
			    : xstrdup(real);
			free(real);
			free(p);
			return out;
		}
		/* drop the last component */
		while (len > 0 && p[len - 1] == '/')
			len--;
		while (len > 0 && p[len - 1] != '/')
			len--;
		if (len == 0) {
			free(p);
			real = realpath(".", NULL);
			out = dir[0] == '/' ? xstrdup(dir)
			    : xasprintf("%s/%s", real ? real : ".", dir);
			free(real);
			return out;
		}
		p[len] = '\0';
	}
}

/* The key of path with its folder resolved and its file name folded. */
static char *
key_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + (slash == path)))
	    : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	char *rdir = real_dir(dir), *folded = batch_name_key(base), *key;

	key = xasprintf("%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, folded);
	free(rdir);
	free(folded);
	free(dir);
	return key;
}

/* Takes key (malloc'd). */
static void
push(struct outputs *o, char *key, const char *path, const char *what, bool input)
{
	struct output_entry *e;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	e = &o->v[o->n++];
	e->key = arena_strdup(&o->strings, key);
	e->path = arena_strdup(&o->strings, path);
	e->what = arena_strdup(&o->strings, what);
	free(key);
	e->input = input;
}

void
outputs_add(struct outputs *o, const char *path, const char *what)
{
	push(o, key_of(path), path, what, false);
}

void
outputs_add_input(struct outputs *o, const char *path, const char *what)
{
	char *real;

	if (strcmp(path, "-") == 0)
		return;
	push(o, key_of(path), path, what, true);
	/* the file a link leads to is an input too */
	if ((real = path_real(path)) != NULL) {
		char *k = key_of(real);
		if (strcmp(k, o->v[o->n - 1].key) != 0)
			push(o, k, path, what, true);
		else
			free(k);
		free(real);
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct output_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	/* outputs before inputs: the first of a run of equal keys is an output */
	return c != 0 ? c : (int)x->input - (int)y->input;
}

int
outputs_check(struct outputs *o, struct diag_list *dl)
{
	size_t clashes = 0;

	qsort(o->v, o->n, sizeof *o->v, cmp_entry);
	for (size_t i = 0; i < o->n;) {
		size_t e = i + 1;
		while (e < o->n && strcmp(o->v[i].key, o->v[e].key) == 0)
			e++;
		/* o->v[i] is an output when any of the run is */
		for (size_t k = i + 1; k < e && !o->v[i].input; k++) {
			const struct output_entry *a = &o->v[i], *b = &o->v[k];
			if (b->input && k > i + 1 && o->v[k - 1].input &&
			    strcmp(o->v[k - 1].path, b->path) == 0)
				continue;       /* the same input by its link and its target */
			if (clashes++ < 20)
				diag_add(dl, DIAG_ERROR, "outputs.clash",
				    "archaudit", "%s %s would %s %s %s; nothing "
				    "was done: give %s another path", a->what, a->path,
				    b->input ? "replace" : "be the same file as", b->what,
				    b->path, a->what);
		}
		i = e;
	}
	if (clashes > 20)
		diag_add(dl, DIAG_ERROR, "outputs.more-clashes",
		    "archaudit", "%zu more outputs clash",
		    clashes - 20);
	return clashes > 0 ? -1 : 0;
}

int
outputs_check_run(const struct batch_plan *p, const struct run_paths *rp,
    struct diag_list *dl)
{
	const char *singles[4] = { rp->csv, rp->class_summary, rp->bundle, rp->records };
	static const char *const single_what[4] = { "--csv", "--class-summary", "--bundle",
	    "--records" };
	struct outputs o;
	int rc;

	outputs_init(&o);
	for (size_t j = 0; j < p->n; j++) {
		const struct batch_job *job = &p->jobs[j];
		if (job->path != NULL)
			outputs_add_input(&o, job->path, "the ledger");
		if (job->state == JOB_RUN && rp->out_dir != NULL) {
			char *path = xasprintf("%s/%s.%s", rp->out_dir, job->file, rp->ext);
			char *what = xasprintf("the report of \"%s\"", job->student);
			outputs_add(&o, path, what);
			free(what);
			free(path);
		}
	}
	for (int i = 0; i < 4; i++)
		if (singles[i] != NULL)
			outputs_add(&o, singles[i], single_what[i]);
	for (size_t i = 0; i < rp->n_merged; i++)
		outputs_add_input(&o, rp->merged[i], "the records file");
	if (rp->roster != NULL)
		outputs_add_input(&o, rp->roster, "the roster");
	if (rp->scenario != NULL)
		outputs_add_input(&o, rp->scenario, "the scenario");
	if (rp->template_dir != NULL) {
		static const char *const tpl[] = { "audit.md", "class.md" };
		for (int i = 0; i < 2; i++) {
			char *t = xasprintf("%s/%s", rp->template_dir, tpl[i]);
			outputs_add_input(&o, t, "the template");
			free(t);
		}
	}
	rc = outputs_check(&o, dl);
	outputs_free(&o);
	/* each output's folder, as -o's is: said now, not after the work */
	for (int i = 0; i < 4 && rc == 0; i++) {
		const char *slash;
		if (singles[i] == NULL || (slash = strrchr(singles[i], '/')) == NULL ||
		    slash == singles[i])
			continue;
		char *dir = xstrndup(singles[i], (size_t)(slash - singles[i]));
		if (outfile_mkdirs(dir, dl) != 0)
			rc = -2;
		else if (access(dir, W_OK | X_OK) != 0) {
			diag_add(dl, DIAG_ERROR, "outputs.cannot-write-here",
			    dir, "cannot write the %s file here: %s; "
			    "nothing was done", single_what[i], strerror(errno));
			rc = -2;
		}
		free(dir);
	}
	return rc;
}

unsigned
std_streams_hold(void)
{
	unsigned closed = 0;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		closed |= 1u << fd;
		/* the lowest free descriptor: this one */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(2);
	}
	return closed;
}
