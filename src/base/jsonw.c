/*
 * jsonw: streaming JSON writer.  Input: calls in document order.  Output:
 * text appended to a struct buf.  Includes only util.h.
 */
#include "base/jsonw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
jw_init(struct jsonw *w, struct buf *out, int indent)
{
	w->out = out;
	w->indent = indent;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
}

static void
newline(struct jsonw *w)
{
	if (w->indent <= 0)
		return;
	buf_putc(w->out, '\n');
	for (int i = 0; i < w->depth * w->indent; i++)
		buf_putc(w->out, ' ');
}

/* Separator and indentation before a value or a key. */
static void
before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth])
			buf_putc(w->out, ',');
		newline(w);
	}
	w->first[w->depth] = false;
}

static void
open(struct jsonw *w, char c)
{
	before_value(w);
	buf_putc(w->out, c);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void
close(struct jsonw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		newline(w);
	buf_putc(w->out, c);
}

void
jw_object_begin(struct jsonw *w)
{
	open(w, '{');
}

void
jw_object_end(struct jsonw *w)
{
	close(w, '}');
}

void
jw_array_begin(struct jsonw *w)
{
	open(w, '[');
}

void
jw_array_end(struct jsonw *w)
{
	close(w, ']');
}

void
jw_key(struct jsonw *w, const char *key)
{
	before_value(w);
	json_escape(w->out, key);
	buf_puts(w->out, w->indent > 0 ? ": " : ":");
	w->after_key = true;
}

void
jw_string(struct jsonw *w, const char *s)
{
	if (s == NULL) {
		jw_null(w);
		return;
	}
	before_value(w);
	json_escape(w->out, s);
}

void
jw_double(struct jsonw *w, double v)
{
	char tmp[32];

	before_value(w);
	fmt_double(tmp, v);
	/*
	 * JSON has no NaN or infinity: they are written as the strings "NaN",
	 * "Infinity" and "-Infinity" (Python's words), in every output.
	 */
	if (!isfinite(v))
		json_escape(w->out, tmp);
	else
		buf_puts(w->out, tmp);
}

void
jw_int(struct jsonw *w, long long v)
{
	before_value(w);
	buf_printf(w->out, "%lld", v);
}

void
jw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	buf_puts(w->out, v ? "true" : "false");
}

void
jw_null(struct jsonw *w)
{
	before_value(w);
	buf_puts(w->out, "null");
}

void
jw_raw(struct jsonw *w, const char *json)
{
	before_value(w);
	buf_puts(w->out, json);
}

void
json_escape(struct buf *b, const char *s)
{
	json_quote(b, s, strlen(s), SIZE_MAX);
}
