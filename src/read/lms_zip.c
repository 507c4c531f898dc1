/*
 * lms_zip: the entries of an LMS submissions zip, grouped by student, one
 * ledger chosen each (lms_zip.h says how); the bytes of one entry read on
 * demand.  Input: the zip's central directory (libzip); output: a struct
 * lms_zip, or an entry's bytes in a struct buf.
 */
#include "read/lms_zip.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

/*
 * libzip is opened with dlopen on the first zip, not linked: a run
 * without zips (nearly every run) does not pay for loading it and
 * libcrypto, about 4,300 symbol relocations and 130 page faults, a
 * sixth of a one-report run's start (docs/perf.md).  The SONAME has been
 * libzip.so.4 since libzip 1.0; debian/control names the package.
 */
#define LIBZIP_SONAME "libzip.so.4"
#define ZIP_FNS(X) X(zip_open) X(zip_discard) X(zip_get_num_entries) \
	X(zip_stat_index) X(zip_file_get_external_attributes) X(zip_fopen_index) \
	X(zip_fread) X(zip_fclose) X(zip_strerror) X(zip_file_strerror) \
	X(zip_error_init_with_code) X(zip_error_strerror) X(zip_error_fini)
static struct {
#define ZIP_DECL(f) __typeof__(f) *f;
	ZIP_FNS(ZIP_DECL)
#undef ZIP_DECL
} Z;

/* Loads libzip once per process; NULL, or why it cannot be loaded (static). */
static const char *
zip_lib(void)
{
	static int state;       /* 0: not tried, 1: loaded, -1: failed */
	static char why[512];
	void *h, *sym;

	if (state != 0)
		return state > 0 ? NULL : why;
	state = -1;
	h = dlopen(LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(why, sizeof why, "libzip (%s) cannot be loaded: %s", LIBZIP_SONAME,
		    dlerror());
		return why;
	}
#define ZIP_LOAD(f) \
	if ((sym = dlsym(h, #f)) == NULL) { \
		snprintf(why, sizeof why, "libzip (%s) lacks %s", LIBZIP_SONAME, #f); \
		return why; \
	} \
	memcpy(&Z.f, &sym, sizeof sym);
	ZIP_FNS(ZIP_LOAD)
#undef ZIP_LOAD
	state = 1;
	return NULL;
}

const char *
lms_kind_name(enum lms_kind k)
{
	return k == LMS_CANVAS ? "Canvas" : k == LMS_MOODLE ? "Moodle" : "";
}

bool
lms_zip_is_zip(const char *path)
{
	unsigned char sig[4];
	struct stat st;
	FILE *f;
	bool zip;

	/* only a regular file: opening a FIFO would wait for a writer */
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fopen(path, "rb")) == NULL)
		return false;
	zip = fread(sig, 1, 4, f) == 4 && sig[0] == 'P' && sig[1] == 'K' &&
	    ((sig[2] == 3 && sig[3] == 4) || (sig[2] == 5 && sig[3] == 6));
	fclose(f);
	return zip;
}

/* One entry of the directory, as the grouping sees it. */
struct cand {
	uint64_t index;
	const char *entry;      /* borrowed from libzip, valid while it is open */
	enum lms_kind kind;
	char *name, *id;        /* owned */
	int resubmit;           /* Canvas's "-N" before the extension, 0 without */
	time_t mtime;
	bool late;
	char *refused;          /* owned or NULL */
};

static bool
ends_json(const char *s)
{
	size_t n = strlen(s);
	return n > 5 && strcasecmp(s + n - 5, ".json") == 0;
}

/* "ledger-2.json" -> 2; "ledger.json" -> 0. */
static int
resubmit_number(const char *file)
{
	size_t n = strlen(file) - 5;        /* before ".json" */
	size_t k = n;
	while (k > 0 && file[k - 1] >= '0' && file[k - 1] <= '9')
		k--;
	if (k == n || k == 0 || file[k - 1] != '-' || n - k > 6)
		return 0;
	return atoi(file + k);
}

/* Canvas: lastfirst_[LATE_]USERID_SUBMISSIONID_FILE, flat. */
static bool
parse_canvas(struct cand *c)
{
	const char *s = c->entry, *p, *q, *r;

	if (strchr(s, '/') != NULL || (p = strchr(s, '_')) == NULL || p == s)
		return false;
	q = p + 1;
	c->late = strncmp(q, "LATE_", 5) == 0;
	if (c->late)
		q += 5;
	r = strchr(q, '_');
	if (r == NULL || !all_digits(q, (size_t)(r - q)))
		return false;
	{
		const char *t = strchr(r + 1, '_');
		if (t == NULL || !all_digits(r + 1, (size_t)(t - r - 1)) || t[1] == '\0')
			return false;
		c->kind = LMS_CANVAS;
		c->name = xstrndup(s, (size_t)(p - s));
		c->id = xstrndup(q, (size_t)(r - q));
		c->resubmit = ends_json(t + 1) ? resubmit_number(t + 1) : 0;
	}
	return true;
}

/* Moodle: Full Name_PARTICIPANTID_assignsubmission_file_[/]FILE. */
static bool
parse_moodle(struct cand *c)
{
	static const char mark[] = "_assignsubmission_file_";
	const char *s = c->entry, *m = strstr(s, mark), *u;
	const char *slash = strchr(s, '/');

	if (m == NULL || (slash != NULL && slash < m))
		return false;
	for (u = m; u > s && u[-1] != '_'; u--)
		;
	if (u <= s + 1 || !all_digits(u, (size_t)(m - u)))
		return false;
	c->kind = LMS_MOODLE;
	c->name = xstrndup(s, (size_t)(u - 1 - s));
	c->id = xstrndup(u, (size_t)(m - u));
	return true;
}

/* The file's own name without folders and ".json": a plain zip's student. */
static void
parse_plain(struct cand *c)
{
	const char *b = strrchr(c->entry, '/');
	b = b ? b + 1 : c->entry;
	c->kind = LMS_PLAIN;
	c->name = xstrndup(b, strlen(b) - 5);
	c->id = xstrdup("");
}

/* Why an entry may not be read, or NULL: its name and kind for every
 * entry, its contents for a ledger's. */
static char *
entry_danger(zip_t *za, uint64_t i, const zip_stat_t *st)
{
	const char *n = st->name;
	zip_uint8_t os;
	zip_uint32_t attr;

	if (n[0] == '/' || n[0] == '\\' || (n[0] != '\0' && n[1] == ':'))
		return xstrdup("its name is an absolute path; refused");
	for (const char *s = n; *s != '\0'; ) {
		size_t k = strcspn(s, "/\\");
		if (k == 2 && s[0] == '.' && s[1] == '.')
			return xstrdup("its name leaves the archive's folder (\"..\"); refused");
		s += k;
		if (*s != '\0')
			s++;
	}
	if (Z.zip_file_get_external_attributes(za, i, 0, &os, &attr) == 0 &&
	    os == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK)
		return xstrdup("it is a symbolic link; refused");
	if (!ends_json(n))
		return NULL;            /* not a ledger: never read, so no more to fear */
	if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st->encryption_method != ZIP_EM_NONE)
		return xstrdup("it is encrypted; refused (download the submissions "
		    "again without a password)");
	if ((st->valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) ==
	    (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE) && st->size > ((uint64_t)1 << 20) &&
	    st->size / (st->comp_size ? st->comp_size : 1) > LMS_ZIP_MAX_RATIO)
		return xasprintf("it expands %llu times (%llu bytes from %llu), "
		    "more than a ledger can (%d times), as a zip bomb does; refused",
		    (unsigned long long)(st->size / (st->comp_size ? st->comp_size : 1)),
		    (unsigned long long)st->size, (unsigned long long)st->comp_size,
		    LMS_ZIP_MAX_RATIO);
	return NULL;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct cand *)a)->entry, ((const struct cand *)b)->entry);
}

/* Students together (kind, id or name), the latest file last. */
static int
cmp_student(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = (x->kind > y->kind) - (x->kind < y->kind);
	if (c == 0)
		c = x->kind == LMS_PLAIN ? strcmp(x->entry, y->entry) : strcmp(x->id, y->id);
	if (c == 0)
		c = (x->resubmit > y->resubmit) - (x->resubmit < y->resubmit);
	if (c == 0)
		c = (x->mtime > y->mtime) - (x->mtime < y->mtime);
	return c != 0 ? c : strcmp(x->entry, y->entry);
}

static bool
same_student(const struct cand *x, const struct cand *y)
{
	return x->kind == y->kind && x->kind != LMS_PLAIN && strcmp(x->id, y->id) == 0;
}

static struct lms_submission *
push_sub(struct lms_zip *z)
{
	if (z->n == z->cap) {
		z->cap = z->cap ? 2 * z->cap : 16;
		z->subs = xreallocarray(z->subs, z->cap, sizeof *z->subs);
	}
	memset(&z->subs[z->n], 0, sizeof z->subs[z->n]);
	return &z->subs[z->n++];
}

static void
add_sub(struct lms_zip *z, const struct cand *c, char *note)
{
	struct lms_submission *s = push_sub(z);
	s->kind = c->kind;
	s->index = c->index;
	s->entry = utf8_printable(c->entry);
	s->name = utf8_printable(c->name ? c->name : c->entry);
	s->lms_id = xstrdup(c->id ? c->id : "");
	s->note = note;
	s->refused = c->refused ? xstrdup(c->refused) : NULL;
}

static char *
choice_note(const struct cand *g, size_t n)
{
	const struct cand *last = &g[n - 1];
	char *who = utf8_printable(last->name);
	char *note = xasprintf("%s (%s id %s) handed in %zu ledger files; this "
	    "one, the latest, is read%s", who, lms_kind_name(last->kind),
	    last->id, n, last->late ? " (it came late)" : "");
	free(who);
	return note;
}

int
lms_zip_scan(const char *path, struct lms_zip *z, char **why)
{
	int err = 0;
	const char *lib = zip_lib();
	zip_t *za;
	zip_int64_t n;
	struct cand *c;
	size_t m = 0;

	memset(z, 0, sizeof *z);
	*why = NULL;
	if (lib != NULL) {
		*why = xasprintf("cannot be read: %s", lib);
		return -1;
	}
	za = Z.zip_open(path, ZIP_RDONLY, &err);
	if (za == NULL) {
		zip_error_t e;
		Z.zip_error_init_with_code(&e, err);
		*why = xasprintf("cannot be read as a zip archive: %s",
		    Z.zip_error_strerror(&e));
		Z.zip_error_fini(&e);
		return -1;
	}
	n = Z.zip_get_num_entries(za, 0);
	if (n < 0 || n > LMS_ZIP_MAX_ENTRIES) {
		*why = xasprintf("holds %lld entries, more than the %d a class "
		    "download can (split it)", (long long)n, LMS_ZIP_MAX_ENTRIES);
		Z.zip_discard(za);
		return -1;
	}
	c = xcalloc(n ? (size_t)n : 1, sizeof *c);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		struct cand *k = &c[m];
		if (Z.zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_NAME))
			continue;
		k->index = (uint64_t)i;
		k->entry = st.name;
		k->mtime = (st.valid & ZIP_STAT_MTIME) ? st.mtime : 0;
		k->refused = entry_danger(za, (zip_uint64_t)i, &st);
		if (k->refused == NULL && (st.name[0] == '\0' ||
		    st.name[strlen(st.name) - 1] == '/' || !ends_json(st.name)))
			continue;               /* folders and other files: not ledgers */
		m++;
	}
	/* A name given twice: neither copy can be trusted to be the one meant. */
	qsort(c, m, sizeof *c, cmp_entry);
	for (size_t i = 0; i < m; ) {
		size_t e = i + 1;
		while (e < m && strcmp(c[i].entry, c[e].entry) == 0)
			e++;
		for (size_t k = i; e - i > 1 && k < e; k++) {
			free(c[k].refused);
			c[k].refused = xasprintf("the archive holds %zu entries of this "
			    "name; refused", e - i);
		}
		i = e;
	}
	for (size_t i = 0; i < m; i++)
		if (!parse_canvas(&c[i]) && !parse_moodle(&c[i]) && ends_json(c[i].entry))
			parse_plain(&c[i]);
	for (size_t i = 0; i < m; i++)
		if (c[i].refused != NULL)
			add_sub(z, &c[i], NULL);
	{
		struct cand *ok = xcalloc(m ? m : 1, sizeof *ok);
		size_t n_ok = 0;
		for (size_t i = 0; i < m; i++)
			if (c[i].refused == NULL && c[i].name != NULL)
				ok[n_ok++] = c[i];
		qsort(ok, n_ok, sizeof *ok, cmp_student);
		for (size_t i = 0; i < n_ok; ) {
			size_t e = i + 1;
			while (e < n_ok && same_student(&ok[i], &ok[e]))
				e++;
			add_sub(z, &ok[e - 1], e - i > 1 ? choice_note(&ok[i], e - i) : NULL);
			i = e;
		}
		free(ok);
	}
	for (size_t i = 0; i < m; i++) {
		free(c[i].name);
		free(c[i].id);
		free(c[i].refused);
	}
	free(c);
	Z.zip_discard(za);
	return 0;
}

void
lms_zip_free(struct lms_zip *z)
{
	for (size_t i = 0; i < z->n; i++) {
		free(z->subs[i].entry);
		free(z->subs[i].name);
		free(z->subs[i].lms_id);
		free(z->subs[i].note);
		free(z->subs[i].refused);
	}
	free(z->subs);
	memset(z, 0, sizeof *z);
}

/* The zip a process reads its entries from, kept open between entries. */
static zip_t *cached_zip;
static char *cached_path;

void
lms_zip_close_cached(void)
{
	if (cached_zip != NULL)
		Z.zip_discard(cached_zip);
	cached_zip = NULL;
	free(cached_path);
	cached_path = NULL;
}

int
lms_zip_read(const char *path, uint64_t index, const char *entry,
    size_t max_bytes, struct buf *out, struct diag_list *errs)
{
	char *where = xasprintf("%s:%s", path, entry);
	zip_file_t *f;
	int rc = -1;

	const char *lib = zip_lib();

	if (lib != NULL) {
		diag_add(errs, DIAG_ERROR, "zip.library-missing", where, "cannot read: %s", lib);
		goto out;
	}
	if (cached_path == NULL || strcmp(cached_path, path) != 0) {
		int err = 0;
		lms_zip_close_cached();
		cached_zip = Z.zip_open(path, ZIP_RDONLY, &err);
		if (cached_zip == NULL) {
			zip_error_t e;
			Z.zip_error_init_with_code(&e, err);
			diag_add(errs, DIAG_ERROR, "zip.cannot-open",
			    where, "cannot open the archive: %s",
			    Z.zip_error_strerror(&e));
			Z.zip_error_fini(&e);
			goto out;
		}
		cached_path = xstrdup(path);
	}
	{
		zip_stat_t st;
		if (Z.zip_stat_index(cached_zip, index, 0, &st) == 0 &&
		    (st.valid & ZIP_STAT_SIZE) && st.size > max_bytes) {
			diag_add(errs, DIAG_ERROR, "zip.too-large",
			    where, "expands to %llu bytes, over "
			    "the limit of %zu bytes (raise it with --max-size)",
			    (unsigned long long)st.size, max_bytes);
			goto out;
		}
	}
	f = Z.zip_fopen_index(cached_zip, index, 0);
	if (f == NULL) {
		diag_add(errs, DIAG_ERROR, "zip.cannot-read",
		    where, "cannot read: %s",
		    Z.zip_strerror(cached_zip));
		goto out;
	}
	for (;;) {
		zip_int64_t n;
		buf_grow(out, 65536);
		n = Z.zip_fread(f, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			diag_add(errs, DIAG_ERROR, "zip.cannot-read",
			    where, "cannot read: %s",
			    Z.zip_file_strerror(f));
			Z.zip_fclose(f);
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (out->len > max_bytes) {
			diag_add(errs, DIAG_ERROR, "zip.expands-too-far",
			    where, "expands past the limit of "
			    "%zu bytes, whatever the archive says (raise it with "
			    "--max-size)", max_bytes);
			Z.zip_fclose(f);
			goto out;
		}
	}
	out->data[out->len] = '\0';
	rc = Z.zip_fclose(f) == 0 ? 0 : -1;
	if (rc != 0)
		diag_add(errs, DIAG_ERROR, "zip.damaged-entry",
		    where, "cannot read: the entry is damaged");
out:
	free(where);
	return rc;
}
