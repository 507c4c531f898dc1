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

#endif
