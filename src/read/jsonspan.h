/*
 * jsonspan: walking JSON text that jsoncheck has already validated, by
 * byte spans, without building a tree.  The ledger reader uses it to hand
 * cJSON one history entry at a time, so that memory stays bounded by the
 * largest entry, not by the whole file.
 */
#ifndef ARCHAUDIT_JSONSPAN_H
#define ARCHAUDIT_JSONSPAN_H

#include <stdbool.h>
#include <stddef.h>

#include "read/jsoncheck.h"

struct jspan {
	size_t off, len;       /* bytes of the text: one whole value or key */
};

struct jsonspan_iter {
	const char *text;      /* borrowed; validated JSON */
	size_t len;
	size_t pos;            /* next byte to read */
	bool object;           /* members (key, value) rather than elements */
	bool done;
};

/* Index of the first byte at or after pos that is not JSON white space. */
size_t jsonspan_skip_ws(const char *text, size_t len, size_t pos);

/* Index just past the value that starts at pos. */
size_t jsonspan_value_end(const char *text, size_t len, size_t pos);

/* Start walking the object or array that starts at pos ('{' or '['). */
void jsonspan_iter_init(struct jsonspan_iter *it, const char *text, size_t len,
    size_t pos);

/*
 * The next member (key with its quotes, and value) or element (key
 * untouched); false after the last one.
 */
bool jsonspan_iter_next(struct jsonspan_iter *it, struct jspan *key,
    struct jspan *val);

/*
 * An upper bound on the values inside a span (every scalar, array and
 * object counts one): what cJSON would allocate nodes for.
 */
size_t jsonspan_count_values(const char *text, struct jspan span);

/*
 * Python's words for non-finite floats (text accepted by jsoncheck_python).
 * jsonspan_nonfinite: whether the value at pos is NaN, Infinity or
 * -Infinity, with the word's length in *word_len and its number in *v.
 */
bool jsonspan_nonfinite(const char *text, size_t len, size_t pos,
    size_t *word_len, double *v);

/* Where a walk is: one frame per open object or array. */
struct jsonspan_frame {
	bool object;
	size_t index;          /* array: the element's index */
	struct jspan key;      /* object: the member's key, with its quotes */
};

/*
 * A walk over a span's values in document order (no allocation, no
 * recursion): jsonspan_walk_next stops at each NaN, Infinity or -Infinity
 * and says where it is: frames[0..depth) is its path from the span's value,
 * ordinal its index among the span's values in document order (the order a
 * parser's tree lists them in, parents before children, from 0).
 */
struct jsonspan_walk {
	const char *text;
	size_t pos, end;
	size_t depth;
	size_t values;         /* values started so far */
	bool want_key;
	struct jsonspan_frame frames[JSONCHECK_MAX_DEPTH + 1];
};

void jsonspan_walk_init(struct jsonspan_walk *w, const char *text,
    struct jspan span);
bool jsonspan_walk_next(struct jsonspan_walk *w, struct jspan *word,
    size_t *ordinal, double *v);

#endif
