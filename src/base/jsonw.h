/*
 * jsonw: a small streaming JSON writer into a struct buf.  Numbers print as
 * the shortest text that reads back as the same double (a non-finite one as
 * the string "NaN", "Infinity" or "-Infinity"); strings are escaped
 * (control characters, quotes, backslash; UTF-8 passes through).
 */
#ifndef ARCHAUDIT_JSONW_H
#define ARCHAUDIT_JSONW_H

#include <stdbool.h>

#include "base/util.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf *out;                 /* borrowed */
	int indent;                      /* spaces per level; 0 = one line */
	int depth;
	bool first[JSONW_MAX_DEPTH];     /* no member written yet at this depth */
	bool after_key;
};

void jw_init(struct jsonw *w, struct buf *out, int indent);
void jw_object_begin(struct jsonw *w);
void jw_object_end(struct jsonw *w);
void jw_array_begin(struct jsonw *w);
void jw_array_end(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
void jw_string(struct jsonw *w, const char *s);   /* NULL writes null */
void jw_double(struct jsonw *w, double v);
void jw_int(struct jsonw *w, long long v);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
/* Append already valid JSON text as a value. */
void jw_raw(struct jsonw *w, const char *json);

/* Append s as a JSON string literal (with quotes) to b. */
void json_escape(struct buf *b, const char *s);

#endif
