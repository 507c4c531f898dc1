/*
 * util: allocation wrappers that exit on out-of-memory, a growable byte
 * buffer, and the diagnostics list every stage appends to.  No foreign
 * library types; everything else in archaudit may include this.
 */
#ifndef ARCHAUDIT_UTIL_H
#define ARCHAUDIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ATTR_PRINTF(f, a)
#endif

/* Allocation: never return NULL; print a message and exit(3) instead. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);                 /* caller frees */
char *xstrndup(const char *s, size_t n);      /* caller frees */
char *xasprintf(const char *fmt, ...) ATTR_PRINTF(1, 2); /* caller frees */
/* dir/name, without a second slash when dir ends with one; caller frees. */
char *file_in_dir(const char *dir, const char *name);
/* Is the real path real inside the real folder dir (below it, not dir
 * itself)?  Both as realpath() gives them. */
bool path_is_under(const char *real, const char *dir);
/*
 * realpath(path, NULL), the same string or NULL with errno set, without
 * resolving the folder again when one of the last two calls had it: a
 * file that is not a symbolic link has its folder's real path and its
 * own name.  Caller frees.
 */
char *path_real(const char *path);

/* A growable, always NUL-terminated byte buffer. */
struct buf {
	char *data;   /* owned; NUL-terminated when non-NULL */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);

/*
 * A string arena: many small strings that live and die together (a
 * roster's rows, a plan's jobs) in a few large blocks, without a malloc
 * header each; "" costs nothing.  Strings are never freed one by one.
 */
struct arena {
	struct arena_block *blocks;    /* owned; newest first */
	size_t used, cap;              /* of the newest block */
};
void arena_init(struct arena *a);
void arena_free(struct arena *a);
char *arena_strdup(struct arena *a, const char *s);   /* NULL gives NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* n zeroed bytes, aligned for pointers and 64-bit integers, that live
 * as long as the arena. */
void *arena_zalloc(struct arena *a, size_t n);
void buf_reset(struct buf *b);          /* length 0, keeps the storage */
void buf_grow(struct buf *b, size_t extra);   /* room for extra more bytes and the NUL */

/*
 * The appenders are inline, with only the growing out of line: the PDF
 * device and the layout call them millions of times a run (callgrind:
 * 2.5 M buf_putc calls in 60 reports, each a call into buf_put and
 * buf_grow).  b->cap - b->len > n means room for n bytes and the NUL;
 * an empty buffer (cap 0) always grows.
 */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
void buf_printf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
char *buf_detach(struct buf *b);        /* caller frees; b is reset */

/*
 * Diagnostics.  Stages never print: they append to a list that the caller
 * (main.c, the batch driver, a test) prints or inspects.  Each message is
 * complete on its own ("file: path: message").
 */
enum diag_level {
	DIAG_NONE = -1, /* (the worst level of an empty list) */
	DIAG_NOTE,     /* informational: nothing wrong with the input */
	DIAG_WARNING,  /* input was odd; a default or repair was used */
	DIAG_ERROR     /* this input yields no result */
};

struct diag {
	enum diag_level level;
	const char *id; /* static, not owned: "ledger.empty", see diag_add */
	char *where;   /* owned; "file", "file:line:col" or NULL */
	char *msg;     /* owned; without location or level ("history[7].chapter: ...") */
};

struct diag_list {
	struct diag *items; /* owned */
	size_t n, cap;
	size_t max;         /* after this many, further ones are counted only */
	size_t dropped;     /* how many were not stored because of max */
	enum diag_level worst; /* the highest level added (dropped ones too),
	                          DIAG_NONE while none was */
};

void diag_init(struct diag_list *dl);
void diag_free(struct diag_list *dl);
/*
 * The one way to add a diagnostic.  id is a static string naming the
 * message, "<module>.<kebab-slug>" ("ledger.empty", "json.unterminated-
 * string"): stable across wording changes, so tests and scripts match it
 * rather than the text; tests/e2e/msgids.sh checks the rule.
 */
void diag_add(struct diag_list *dl, enum diag_level level, const char *id,
    const char *where, const char *fmt, ...) ATTR_PRINTF(5, 6);
/* Append every diagnostic of src to dst. */
void diag_append(struct diag_list *dst, const struct diag_list *src);
/*
 * s[0..len) appended to b as diag_format writes a place (message false) or
 * a message (true): for printing anybody's text on a terminal.
 */
void diag_put_text(struct buf *b, const char *s, size_t len, bool message);
/* The worst level dl was given, DIAG_NONE if none: what the exit status follows. */
enum diag_level diag_worst(const struct diag_list *dl);
/*
 * "where: level: msg" (or "level: msg") into b, for a terminal: control
 * bytes as '?' (but the message's line breaks and tabs), C1 and
 * bidirectional controls as "<U+202E>" (the text is anybody's).
 */
void diag_format(const struct diag *d, struct buf *b);
/* diag_format with " [id]" at the end of its first line (what -v prints). */
void diag_format_id(const struct diag *d, struct buf *b);
size_t diag_count(const struct diag_list *dl, enum diag_level level);
const char *diag_level_name(enum diag_level level);

/* Shortest decimal text that reads back as the same double ("0.975"). */
void fmt_double(char out[32], double v);

/*
 * Display rounding, the one rule for every number a person reads (report
 * text, chart labels, the gradebook): half away from zero at prec
 * decimals, as people expect (0.8125 as a percent at one decimal is
 * 81.3), and never "-0".  fmt_round gives the rounded value (v itself
 * when prec is outside 0..15 or nothing is left to round); fmt_fixed
 * writes it as "%.*f" into out.
 */
double fmt_round(double v, int prec);
void fmt_fixed(char *out, size_t size, double v, int prec);

/*
 * SOURCE_DATE_EPOCH (reproducible-builds.org): true with the seconds in
 * *out when it is set to a whole number from 0 to the end of year 9999
 * (what a PDF date can say), else false.  A run reads it once (the report
 * env does) and hands the value on; nothing else calls getenv for it.
 */
bool source_date_epoch(long long *out);


/*
 * UTF-8.  One decoder and one replacement policy for the whole program:
 * an ill-formed sequence is replaced by one U+FFFD per maximal subpart
 * (Unicode 3.9, "substitution of maximal subparts", as the WHATWG
 * Encoding standard does), and a NUL byte, where text must not hold one,
 * by one U+FFFD.
 */
/* The code point at s (avail >= 1 bytes) and its length in *n; or -1 for
 * an ill-formed sequence, *n then being its maximal subpart (>= 1). */
int32_t utf8_decode(const unsigned char *s, size_t avail, size_t *n);
/* Copy of s[0..len) with every invalid UTF-8 sequence replaced by U+FFFD
 * and NUL bytes by U+FFFD; caller frees. */
char *utf8_sanitize(const char *s, size_t len);
/*
 * The one JSON string escaper, for the JSON we write and for the strings
 * quoted in messages: s[0..len) appended to b as a JSON string, quotes
 * included.  '"' and '\\' are escaped, newline, return and tab as \n \r
 * \t, every other control character and DEL as \u00XX (so nothing reaches
 * a terminal raw), invalid UTF-8 and NUL as U+FFFD.  Past limit bytes
 * (SIZE_MAX: never) the text is cut on a character boundary and "..."
 * ends it inside the quotes.
 */
void json_quote(struct buf *b, const char *s, size_t len, size_t limit);
/* json_quote of the NUL-terminated s into a new string; caller frees. */
char *utf8_quote(const char *s, size_t limit);
/* Whether s[0..n) is one or more ASCII digits. */
bool all_digits(const char *s, size_t n);
/* Length in bytes of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
/*
 * s (valid UTF-8) cut after max_chars characters, with "\u2026" (an
 * ellipsis) in place of the rest; s itself, copied, when not longer.
 * A character is a code point; combining marks after the cut go too.
 * Caller frees.
 */
/*
 * "YYYY-MM-DD" (then the end, "T" or a space) as a real date from 1970 to
 * 9999, leap years counted: true with its parts, else false.
 */
bool iso_date_parse(const char *iso, int *y, int *m, int *d);

char *utf8_shorten(const char *s, size_t max_chars);
/*
 * Our own printed wording with its apostrophes as typographer's ones:
 * every ' becomes U+2019 ("Little's Law" prints "Little’s Law").  Only for
 * strings of the program, never a ledger's.  Caller frees.
 */
char *prose_apostrophes(const char *s);

/*
 * Invisible characters: format controls, fillers and bidi controls that
 * draw nothing but make two names look alike or reorder what a reader
 * sees (U+00AD, U+061C, U+115F, U+1160, U+180E, U+200B, U+200E, U+200F,
 * U+202A..U+202E, U+2060..U+206F, U+3164, U+FEFF, U+FFA0, tag characters).
 * The joiners U+200C and U+200D are apart: they spell Persian and Indic
 * names, so the body and the PDF metadata keep them (a file name may not).
 */
bool unicode_invisible(int32_t cp);
bool unicode_joiner(int32_t cp);
/*
 * s (NUL-terminated) without its invisible characters, and without the
 * joiners too when drop_joiners; bad bytes become U+FFFD.  The one
 * function for every place a student's string leaves the body: the PDF's
 * Title, Author and XMP, the bundle's bookmarks, file names.  Caller frees.
 */
char *utf8_strip_invisible(const char *s, bool drop_joiners);
/*
 * utf8_strip_invisible(s, false) with each control character (C0, DEL,
 * C1) as "?": a string from outside (a zip entry's name) safe in a message
 * on a terminal.  Caller frees.
 */
char *utf8_printable(const char *s);
size_t utf8_seq_len(const unsigned char *s, size_t avail);

/*
 * Ready the heap for a process about to allocate about bytes: populate
 * them in one call (in huge pages where the kernel gives them) and keep
 * them, and take blocks up to 1 MB from the heap (util.c says why).
 */
void heap_ready(size_t bytes);

#endif
