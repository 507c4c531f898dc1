/*
 * roster: a class list in CSV to rows of (id, name, section, ledger path).
 * Input: the roster's text (csv.c splits it).  Output: struct roster, or
 * every error with its line and column.  Includes util.h and csv.h only.
 */
#include "run/roster.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"

enum { COL_ID, COL_NAME, COL_SECTION, COL_LEDGER, COL_LANG, COL_EMAIL, COL_SIS_ID, N_COLS };
static const char *const col_names[N_COLS] = {
	"id", "name", "section", "ledger", "lang", "email", "sis_id"
};

void
roster_free(struct roster *r)
{
	if (r == NULL)
		return;
	arena_free(&r->strings);
	free(r->rows);
	free(r->source);
	free(r);
}

/* Copy of s without spaces and tabs at either end, in arena a. */
static char *
trimmed(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

/* The trimmed text of an optional column (col < 0: absent, ""). */
static char *
optional(struct arena *a, const struct csv_record *rec, int col)
{
	return col >= 0 ? trimmed(a, rec->fields[col].text) : arena_strdup(a, "");
}

static void
error_at(struct diag_list *dl, const char *src, int line, int col,
    const char *id, const char *fmt, const char *arg)
{
	char *where = xasprintf("%s:%d:%d", src, line, col);
	diag_add(dl, DIAG_ERROR, id, where, fmt, arg);
	free(where);
}

/* A ledger path that stays inside the roster's folder: relative, no "..". */
static bool
path_stays_inside(const char *p)
{
	if (p[0] == '/')
		return false;
	for (const char *s = p; *s != '\0'; ) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return true;
}

/* p without "." parts and repeated slashes ("./a//b.json" -> "a/b.json"). */
static char *
normalized(const char *p)
{
	struct buf b;

	buf_init(&b);
	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (b.len > 0)
				buf_putc(&b, '/');
			buf_put(&b, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_detach(&b);
}

/* The folder part of source with a trailing slash, or "" for none. */
static char *
folder_of(const char *source)
{
	const char *slash = strrchr(source, '/');
	return slash ? xstrndup(source, (size_t)(slash - source) + 1) : xstrdup("");
}

static int
header_columns(const struct csv_record *h, const char *src, int col_of[N_COLS],
    struct diag_list *dl)
{
	struct arena h_names;
	int rc = 0;

	arena_init(&h_names);
	for (int c = 0; c < N_COLS; c++)
		col_of[c] = -1;
	for (size_t i = 0; i < h->n; i++) {
		char *name = trimmed(&h_names, h->fields[i].text);
		for (int c = 0; c < N_COLS; c++) {
			if (strcasecmp(name, col_names[c]) != 0)
				continue;
			if (col_of[c] >= 0) {
				error_at(dl, src, h->fields[i].line, h->fields[i].col,"roster.duplicate-column",
				    
				    "the column \"%s\" appears twice", col_names[c]);
				rc = -1;
			}
			col_of[c] = (int)i;
		}
	}
	arena_free(&h_names);
	for (int c = COL_NAME; c <= COL_LEDGER; c += COL_LEDGER - COL_NAME)
		if (col_of[c] < 0) {
			error_at(dl, src, h->line, 1, "roster.missing-column",
			    "the header has no \"%s\" "
			    "column (the first line must name the columns: "
			    "id,name,section,ledger)", col_names[c]);
			rc = -1;
		}
	return rc;
}

static const char *
row_key(const struct roster_row *row, size_t field)
{
	return field == COL_ID ? row->id : row->path;
}

/* A row's key, for sorting rows to find duplicates. */
struct keyed {
	const char *key;
	size_t row;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

static int
find_duplicates(const struct roster *r, size_t field, struct diag_list *dl)
{
	struct keyed *k = xcalloc(r->n ? r->n : 1, sizeof *k);
	size_t m = 0;
	int rc = 0;

	for (size_t i = 0; i < r->n; i++) {
		const char *key = row_key(&r->rows[i], field);
		if (key != NULL && key[0] != '\0') {
			k[m].key = key;
			k[m++].row = i;
		}
	}
	qsort(k, m, sizeof *k, cmp_keyed);
	for (size_t i = 1; i < m; i++) {
		const struct roster_row *a = &r->rows[k[i - 1].row], *b = &r->rows[k[i].row];
		char *where;
		if (strcmp(k[i - 1].key, k[i].key) != 0)
			continue;
		where = xasprintf("%s:%d:%d", r->source, b->line,
		    field == COL_ID ? 1 : b->ledger_col);
		if (field == COL_ID)
			diag_add(dl, DIAG_ERROR, "roster.duplicate-id",
			    where, "the id \"%s\" is also on "
			    "line %d", b->id, a->line);
		else
			diag_add(dl, DIAG_ERROR, "roster.duplicate-ledger",
			    where, "the ledger \"%s\" is also "
			    "given to %s on line %d", b->ledger, a->name, a->line);
		free(where);
		rc = -1;
	}
	free(k);
	return rc;
}

struct roster *
roster_parse(const char *source, const char *text, size_t len,
    struct diag_list *dl)
{
	struct roster *r = xcalloc(1, sizeof *r);
	struct csv_reader rd;
	struct csv_record rec;
	int col_of[N_COLS], got, rc = 0;
	size_t n_header;
	char *folder = folder_of(source);

	r->source = xstrdup(source);
	csv_reader_init(&rd, source, text, len);
	csv_record_init(&rec);
	got = csv_read(&rd, &rec, dl);
	if (got == 0) {
		diag_add(dl, DIAG_ERROR, "roster.empty",
		    source, "the roster is empty (expected "
		    "a header line id,name,section,ledger and one line per student)");
		rc = -1;
		goto out;
	}
	if (got < 0 || header_columns(&rec, source, col_of, dl) != 0) {
		rc = -1;
		goto out;
	}
	n_header = rec.n;
	while ((got = csv_read(&rd, &rec, dl)) > 0) {
		struct roster_row row;
		const struct csv_field *lf;
		if (rec.n != n_header) {
			const struct csv_field *last = &rec.fields[rec.n - 1];
			char *where = xasprintf("%s:%d:%d", source,
			    rec.n > n_header ? rec.fields[n_header].line : last->line,
			    rec.n > n_header ? rec.fields[n_header].col : last->col);
			diag_add(dl, DIAG_ERROR, "roster.field-count",
			    where, "expected %zu fields as in "
			    "the header, got %zu", n_header, rec.n);
			free(where);
			rc = -1;
			continue;
		}
		if (r->n == ROSTER_MAX_ROWS) {
			char *where = xasprintf("%s:%d", source, rec.line);
			diag_add(dl, DIAG_ERROR, "roster.too-many-students",
			    where, "more than %d students, the most "
			    "one roster takes; split the class into several rosters (one "
			    "per section, say)", ROSTER_MAX_ROWS);
			free(where);
			rc = -1;
			break;
		}
		memset(&row, 0, sizeof row);
		row.line = rec.line;
		row.id = optional(&r->strings, &rec, col_of[COL_ID]);
		row.section = optional(&r->strings, &rec, col_of[COL_SECTION]);
		row.lang = optional(&r->strings, &rec, col_of[COL_LANG]);
		row.email = optional(&r->strings, &rec, col_of[COL_EMAIL]);
		row.sis_id = optional(&r->strings, &rec, col_of[COL_SIS_ID]);
		row.name = trimmed(&r->strings, rec.fields[col_of[COL_NAME]].text);
		lf = &rec.fields[col_of[COL_LEDGER]];
		row.ledger = trimmed(&r->strings, lf->text);
		row.ledger_col = lf->col;
		if (row.name[0] == '\0') {
			const struct csv_field *nf = &rec.fields[col_of[COL_NAME]];
			error_at(dl, source, nf->line, nf->col, "roster.empty-name",
			    "%s", "the name is "
			    "empty (every student needs a name: it names the report)");
			rc = -1;
		}
		if (row.ledger[0] != '\0' && !path_stays_inside(row.ledger)) {
			error_at(dl, source, lf->line, lf->col, "roster.ledger-outside",
			    "the ledger \"%s\" "
			    "is outside the roster's folder (give a path relative to "
			    "it, without \"..\")", row.ledger);
			rc = -1;
		} else if (row.ledger[0] != '\0') {
			char *n = normalized(row.ledger);
			char *joined = xasprintf("%s%s", folder, n);
			row.path = arena_strdup(&r->strings, joined);
			free(joined);
			free(n);
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->rows = xreallocarray(r->rows, r->cap, sizeof *r->rows);
		}
		r->rows[r->n++] = row;
	}
	if (got < 0)
		rc = -1;
	if (find_duplicates(r, COL_ID, dl) != 0 ||
	    find_duplicates(r, COL_LEDGER, dl) != 0)
		rc = -1;
out:
	csv_record_free(&rec);
	free(folder);
	if (rc != 0) {
		roster_free(r);
		return NULL;
	}
	return r;
}

/*
 * Does a row's ledger leave the roster's folder through a symbolic link
 * (a link to a file, or a folder on the way)?  Real paths compared, as
 * the ".." rule compares the text; the ledger is never opened.
 */
static bool
leaves_by_link(const struct roster *r, struct diag_list *dl)
{
	char *folder = folder_of(r->source);
	char *folder_real = realpath(folder[0] != '\0' ? folder : ".", NULL);
	bool bad = false;

	for (size_t i = 0; i < r->n && folder_real != NULL; i++) {
		const struct roster_row *row = &r->rows[i];
		char *real;
		if (row->path == NULL || (real = path_real(row->path)) == NULL)
			continue;       /* missing: the planner says so */
		if (!path_is_under(real, folder_real)) {
			error_at(dl, r->source, row->line, row->ledger_col, "roster.ledger-link-outside",
			    "the ledger "
			    "\"%s\" leads outside the roster's folder through a symbolic "
			    "link; it is not read (give the file itself, inside the folder)",
			    row->ledger);
			bad = true;
		}
		free(real);
	}
	free(folder_real);
	free(folder);
	return bad;
}

struct roster *
roster_load(const char *path, struct diag_list *dl)
{
	FILE *f = fopen(path, "rb");
	struct roster *r;
	struct buf b;
	char tmp[8192];
	size_t n;

	if (f == NULL) {
		diag_add(dl, DIAG_ERROR, "roster.cannot-open",
		    path, "cannot open the roster: %s",
		    strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
		buf_put(&b, tmp, n);
		if (b.len > ROSTER_MAX_BYTES) {
			diag_add(dl, DIAG_ERROR, "roster.too-large",
			    path, "the roster is larger than "
			    "%zu bytes", ROSTER_MAX_BYTES);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
	}
	if (ferror(f)) {
		diag_add(dl, DIAG_ERROR, "roster.cannot-read",
		    path, "cannot read the roster: %s",
		    strerror(errno));
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	r = roster_parse(path, b.data ? b.data : "", b.len, dl);
	buf_free(&b);
	if (r != NULL && leaves_by_link(r, dl)) {
		roster_free(r);
		return NULL;
	}
	return r;
}
