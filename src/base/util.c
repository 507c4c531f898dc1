/*
 * util: allocation wrappers, the growable buffer and the diagnostics list.
 * Input: sizes and format strings.  Output: heap memory owned by the caller.
 * Includes only the C library.
 */
#include "base/util.h"

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

static void
oom(size_t n)
{
	fprintf(stderr, "archaudit: out of memory (allocating %zu bytes)\n", n);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

char *
file_in_dir(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/",
	    name);
}

bool
path_is_under(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return real[0] == '/' && real[1] != '\0';
	return strncmp(real, dir, n) == 0 && real[n] == '/' && real[n + 1] != '\0';
}

/*
 * The folders of the last two path_real calls' files, as written (up to
 * and with the last slash), resolved, and the folder's device and inode
 * (a folder replaced meanwhile, by a link say, is resolved again); the
 * newer first.  A class's ledgers share a folder, and so do its reports,
 * and realpath reads every link on the way: 21 readlink calls a ledger
 * over the planning, 0.4 s for 10,000 ledgers (docs/perf.md).
 */
static struct {
	char *dir, *real;
	dev_t dev;
	ino_t ino;
} known[2];

/* The index of the known folder written dir[0..len) (with its slash), or -1. */
static int
known_dir(const char *dir, size_t len)
{
	for (int i = 0; i < 2; i++)
		if (known[i].dir != NULL && strlen(known[i].dir) == len &&
		    memcmp(known[i].dir, dir, len) == 0)
			return i;
	return -1;
}

/* Is known folder k still the folder st describes? */
static bool
same_folder(int k, const struct stat *st)
{
	return st->st_dev == known[k].dev && st->st_ino == known[k].ino;
}

char *
path_real(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash != NULL ? slash + 1 : path;
	size_t len = strlen(path), dlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	struct stat st;
	char *dir, *real;
	int k;

	if (lstat(path, &st) != 0)
		return NULL;    /* errno set, as realpath would */
	if (S_ISLNK(st.st_mode) || *base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0)
		return realpath(path, NULL);
	/* a known folder itself, which lstat described (it is no link) */
	if (S_ISDIR(st.st_mode))
		for (k = 0; k < 2; k++)
			if (known[k].dir != NULL && strlen(known[k].dir) == len + 1 &&
			    memcmp(known[k].dir, path, len) == 0 && same_folder(k, &st))
				return xstrdup(known[k].real);
	if ((k = known_dir(path, dlen)) >= 0 && stat(dlen > 0 ? known[k].dir : ".", &st) == 0 &&
	    same_folder(k, &st))
		return file_in_dir(known[k].real, base);
	dir = xstrndup(path, dlen);
	if ((real = realpath(dlen > 0 ? dir : ".", NULL)) == NULL ||
	    stat(dlen > 0 ? dir : ".", &st) != 0) {
		free(real);
		free(dir);
		return realpath(path, NULL);
	}
	free(known[1].dir);
	free(known[1].real);
	known[1] = known[0];
	known[0].dir = dir;
	known[0].real = real;
	known[0].dev = st.st_dev;
	known[0].ino = st.st_ino;
	return file_in_dir(real, base);
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->data[b->len] = '\0';
	b->cap = cap;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	buf_grow(b, 64);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	buf_init(b);
	return p;
}

void
diag_init(struct diag_list *dl)
{
	dl->items = NULL;
	dl->n = dl->cap = 0;
	dl->max = 1000;
	dl->dropped = 0;
	dl->worst = DIAG_NONE;
}

void
diag_free(struct diag_list *dl)
{
	if (dl == NULL)
		return;
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->items[i].where);
		free(dl->items[i].msg);
	}
	free(dl->items);
	diag_init(dl);
}

void
diag_add(struct diag_list *dl, enum diag_level level, const char *id,
    const char *where, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if ((int)level > (int)dl->worst)
		dl->worst = level;
	if (dl->n >= dl->max) {
		dl->dropped++;
		return;
	}
	if (dl->n == dl->cap) {
		dl->cap = dl->cap ? dl->cap * 2 : 8;
		dl->items = xreallocarray(dl->items, dl->cap, sizeof *dl->items);
	}
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dl->items[dl->n].level = level;
	dl->items[dl->n].id = id;
	dl->items[dl->n].where = where ? xstrdup(where) : NULL;
	dl->items[dl->n].msg = buf_detach(&b);
	dl->n++;
}

void
diag_append(struct diag_list *dst, const struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++)
		diag_add(dst, src->items[i].level, src->items[i].id,
		    src->items[i].where, "%s",
		    src->items[i].msg);
	dst->dropped += src->dropped;
	if ((int)src->worst > (int)dst->worst)
		dst->worst = src->worst;
}

enum diag_level
diag_worst(const struct diag_list *dl)
{
	return dl->worst;
}

/* A character that reorders or hides the text around it on a terminal. */
static bool
bidi_control(int32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * s as a terminal shows it safely: a place or a message holds anybody's
 * text (a file name, a student's name), so no control byte reaches the
 * terminal ('?'; a message keeps its line breaks and the tabs of its
 * caret lines), and a C1 control or a bidirectional control (U+202E would
 * turn the rest of the line around) is written as "<U+202E>".
 */
void
diag_put_text(struct buf *b, const char *s, size_t len, bool message)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = len, n;

	while (left > 0) {
		int32_t cp = utf8_decode(p, left, &n);
		if (cp >= 0 && (cp < 0x20 || cp == 0x7f))
			buf_putc(b, message && (cp == '\n' || cp == '\t') ? (char)cp : '?');
		else if (cp >= 0x80 && (cp <= 0x9f || bidi_control(cp)))
			buf_printf(b, "<U+%04X>", (unsigned)cp);
		else
			buf_put(b, p, n);
		p += n;
		left -= n;
	}
}

void
diag_format(const struct diag *d, struct buf *b)
{
	if (d->where != NULL) {
		diag_put_text(b, d->where, strlen(d->where), false);
		buf_puts(b, ": ");
	}
	buf_printf(b, "%s: ", diag_level_name(d->level));
	diag_put_text(b, d->msg, strlen(d->msg), true);
}

void
diag_format_id(const struct diag *d, struct buf *b)
{
	size_t start = b->len, eol;
	struct buf rest;

	diag_format(d, b);
	if (d->id == NULL)
		return;
	/* at the end of the first line: a caret line stays under its text */
	eol = start + strcspn(b->data + start, "\n");
	buf_init(&rest);
	buf_puts(&rest, b->data + eol);
	b->len = eol;
	buf_printf(b, " [%s]", d->id);
	buf_puts(b, rest.data ? rest.data : "");
	buf_free(&rest);
}

size_t
diag_count(const struct diag_list *dl, enum diag_level level)
{
	size_t c = 0;
	for (size_t i = 0; i < dl->n; i++)
		if (dl->items[i].level == level)
			c++;
	return c;
}

const char *
diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE:
		return "note";
	case DIAG_WARNING:
		return "warning";
	default:
		return "error";
	}
}

void
fmt_double(char out[32], double v)
{
	if (isnan(v)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(v)) {
		strcpy(out, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	/* Integral values print as "16.0" so a reader sees a real number. */
	if (strpbrk(out, ".eEn") == NULL && strlen(out) < 29)
		strcat(out, ".0");
}

double
fmt_round(double v, int prec)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
	    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	double x, r;

	if (prec < 0 || prec > 15)
		return v == 0 ? 0.0 : v;
	x = v * p10[prec];
	if (!isfinite(x) || fabs(x) >= 4503599627370496.0)     /* 2^52: no fraction left */
		return v == 0 ? 0.0 : v;
	r = round(x) / p10[prec];
	return r == 0 ? 0.0 : r;        /* no "-0" */
}

void
fmt_fixed(char *out, size_t size, double v, int prec)
{
	snprintf(out, size, "%.*f", prec, fmt_round(v, prec));
}

bool
source_date_epoch(long long *out)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (e == NULL || *e < '0' || *e > '9')
		return false;
	errno = 0;
	v = strtoll(e, &end, 10);
	if (errno != 0 || *end != '\0' || v >= 253402300800LL)  /* 10000-01-01 */
		return false;
	*out = v;
	return true;
}

int32_t
utf8_decode(const unsigned char *s, size_t avail, size_t *n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	int32_t cp;

	*n = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;      /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;      /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else
		return -1;
	for (size_t i = 1; i <= need; i++) {
		if (i >= avail || s[i] < lo || s[i] > hi)
			return -1;      /* *n covers the valid prefix */
		lo = 0x80;
		hi = 0xBF;
		cp = (cp << 6) | (s[i] & 0x3F);
		*n = i + 1;
	}
	return cp;
}

size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t n;

	return utf8_decode(s, avail, &n) < 0 ? 0 : n;
}

char *
utf8_sanitize(const char *s, size_t len)
{
	static const char repl[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	size_t i = 0;

	buf_init(&b);
	buf_grow(&b, len);
	while (i < len) {
		size_t n;
		if (utf8_decode(p + i, len - i, &n) < 0 || p[i] == 0)
			buf_put(&b, repl, 3);
		else
			buf_put(&b, p + i, n);
		i += n;
	}
	return buf_detach(&b);
}

void
json_quote(struct buf *b, const char *s, size_t len, size_t limit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, used = 0;      /* used: bytes of the text, U+FFFD as 3 */

	buf_putc(b, '"');
	while (i < len) {
		/* a run of printable ASCII that needs no escape, in one piece */
		size_t run = 0;
		while (i + run < len && p[i + run] >= 0x20 && p[i + run] < 0x7f &&
		    p[i + run] != '"' && p[i + run] != '\\')
			run++;
		if (run > 0) {
			if (run > limit - used) {       /* used <= limit always */
				buf_put(b, p + i, limit - used);
				buf_puts(b, "...");
				break;
			}
			buf_put(b, p + i, run);
			used += run;
			i += run;
			continue;
		}
		int32_t cp = utf8_decode(p + i, len - i, &n);
		used += cp <= 0 ? 3 : n;
		if (used > limit) {
			buf_puts(b, "...");
			break;
		}
		if (cp < 0 || cp == 0)
			buf_puts(b, "\xef\xbf\xbd");
		else if (cp == '"' || cp == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, cp);
		} else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\r')
			buf_puts(b, "\\r");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp < 0x20 || cp == 0x7f)
			buf_printf(b, "\\u%04x", (unsigned)cp);
		else
			buf_put(b, p + i, n);
		i += n;
	}
	buf_putc(b, '"');
}

char *
utf8_quote(const char *s, size_t limit)
{
	struct buf b;

	buf_init(&b);
	json_quote(&b, s, strlen(s), limit);
	return buf_detach(&b);
}

char *
prose_apostrophes(const char *s)
{
	struct buf b = {0};

	for (; *s != '\0'; s++)
		if (*s == '\'')
			buf_puts(&b, "\xE2\x80\x99");
		else
			buf_putc(&b, *s);
	return b.data ? b.data : xstrdup("");
}

char *
utf8_shorten(const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len && n < max_chars) {
		size_t k = utf8_seq_len(p + i, len - i);
		i += k ? k : 1;
		n++;
	}
	if (i >= len)
		return xstrdup(s);
	return xasprintf("%.*s\xe2\x80\xa6", (int)i, s);
}

bool
iso_date_parse(const char *iso, int *y, int *m, int *d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap;

	if (iso == NULL || strlen(iso) < 10)
		return false;
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? iso[i] != '-' : (iso[i] < '0' || iso[i] > '9'))
			return false;
	}
	if (iso[10] != '\0' && iso[10] != 'T' && iso[10] != ' ')
		return false;
	*y = atoi(iso);
	*m = atoi(iso + 5);
	*d = atoi(iso + 8);
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *y >= 1970 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 &&
	    *d <= mdays[*m - 1] + (*m == 2 && leap);
}

bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
unicode_invisible(int32_t cp)
{
	return cp == 0x00AD || cp == 0x061C || cp == 0x115F || cp == 0x1160 ||
	    cp == 0x180E || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
	    cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0 ||
	    (cp >= 0xE0000 && cp <= 0xE007F);
}

bool
unicode_joiner(int32_t cp)
{
	return cp == 0x200C || cp == 0x200D;
}

static bool
unicode_control(int32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* The two functions below: invisibles dropped, controls kept or as "?". */
static char *
strip_invisible(const char *s, bool drop_joiners, bool mark_controls)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	struct buf b;

	buf_init(&b);
	buf_grow(&b, (size_t)(end - p) + 1);
	while (p < end) {
		size_t n;
		int32_t cp = utf8_decode(p, (size_t)(end - p), &n);
		if (cp < 0)
			buf_put(&b, "\xEF\xBF\xBD", 3);
		else if (mark_controls && unicode_control(cp))
			buf_putc(&b, '?');
		else if (!unicode_invisible(cp) && !(drop_joiners && unicode_joiner(cp)))
			buf_put(&b, p, n);
		p += n;
	}
	return buf_detach(&b);
}

char *
utf8_strip_invisible(const char *s, bool drop_joiners)
{
	return strip_invisible(s, drop_joiners, false);
}

char *
utf8_printable(const char *s)
{
	return strip_invisible(s, false, true);
}

struct arena_block {
	struct arena_block *next;
	size_t bytes;               /* of the mapping */
	char data[];
};

/*
 * The blocks are mapped, not malloc'd: an arena holds a class's worth of
 * strings (the roster, the plan, the output check) and is freed before
 * the workers are forked, and freed heap chunks between longer-lived
 * ones were holes that each worker then filled page by page with its own
 * allocations: 3.8 MB of them at 10,000 students (docs/perf.md, session
 * 12).  A freed mapping goes back whole.
 */
#define ARENA_BLOCK ((size_t)64 << 10)

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof *a);
}

void
arena_free(struct arena *a)
{
	while (a->blocks != NULL) {
		struct arena_block *b = a->blocks;
		a->blocks = b->next;
		munmap(b, b->bytes);
	}
	memset(a, 0, sizeof *a);
}

/* n bytes of a's newest block at a multiple of align (1 or 8: a block's
 * data follows a pointer), a new block first when they do not fit. */
static char *
arena_bytes(struct arena *a, size_t n, size_t align)
{
	size_t pad = a->blocks != NULL ? (align - a->used % align) % align : 0;
	char *p;

	if (a->blocks == NULL || a->cap - a->used < pad + n) {
		size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK - sizeof(struct arena_block);
		size_t bytes = (sizeof(struct arena_block) + cap + 4095) & ~(size_t)4095;
		struct arena_block *b = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED)
			oom(bytes);
		b->bytes = bytes;
		b->next = a->blocks;
		a->blocks = b;
		a->used = 0;
		a->cap = cap;
		pad = 0;
	}
	p = a->blocks->data + a->used + pad;
	a->used += pad + n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	static char empty[1];
	char *p;

	if (n == 0)
		return empty;
	p = arena_bytes(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	return memset(arena_bytes(a, n, 8), 0, n);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strndup(a, s, strlen(s)) : NULL;
}

/*
 * The heap made ready: bytes of it allocated, populated by the kernel in
 * one call, and freed into the heap's top, which is then kept
 * (M_TRIM_THRESHOLD) rather than given back and faulted in again.  A page
 * first touched costs a fault, and on some machines a fault is dear: on a
 * paravirtualised guest 10 us a page, against 0.65 us a page populated
 * (docs/perf.md, session 9).  They ask for transparent huge pages
 * (MADV_HUGEPAGE; Debian's kernels give them to regions that ask): the
 * whole aligned 2 MB ranges of a worker's 6 MB (usually two) are then one
 * page each, fewer to populate and fewer TLB misses while the report is
 * made (one report from process start 31.8 -> 27.5 ms, docs/perf.md,
 * session 11).  Blocks up to 1 MB then come from the heap too
 * (M_MMAP_THRESHOLD, which glibc otherwise moves between 128 KB and
 * 32 MB), so that larger buffers reuse memory instead of being mapped
 * afresh each time.  Nothing computed depends on it; an older kernel
 * without MADV_POPULATE_WRITE (5.14) or huge pages leaves the pages to be
 * faulted in as before.
 */
void
heap_ready(size_t bytes)
{
	char *b;

	mallopt(M_MMAP_THRESHOLD, (int)(2 * bytes)); /* this block from the heap */
	mallopt(M_TRIM_THRESHOLD, (int)(bytes + (1u << 20)));
	b = malloc(bytes);
	if (b != NULL) {
		uintptr_t lo = ((uintptr_t)b + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)b + bytes) & ~(uintptr_t)4095;
		if (hi > lo) {
			/* huge pages for the 2 MB-aligned part of it */
			(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
			(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
		}
		free(b);
	}
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
}
