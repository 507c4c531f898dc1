/*
 * jsonspan: spans of validated JSON text.  Input: text that jsoncheck
 * accepted.  Output: offsets of values, members and elements.  No
 * allocation, no recursion; it relies on the text being valid.
 */
#include "read/jsonspan.h"

#include <math.h>
#include <string.h>

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t
jsonspan_skip_ws(const char *text, size_t len, size_t pos)
{
	while (pos < len && is_ws(text[pos]))
		pos++;
	return pos;
}

/* Index just past the string whose opening quote is at pos. */
static size_t
string_end(const char *text, size_t len, size_t pos)
{
	for (pos++; pos < len; pos++) {
		if (text[pos] == '\\')
			pos++;
		else if (text[pos] == '"')
			return pos + 1;
	}
	return len;
}

size_t
jsonspan_value_end(const char *text, size_t len, size_t pos)
{
	size_t depth = 0;

	if (pos >= len)
		return len;
	if (text[pos] == '"')
		return string_end(text, len, pos);
	if (text[pos] != '{' && text[pos] != '[') {
		while (pos < len && !is_ws(text[pos]) && text[pos] != ',' &&
		    text[pos] != ']' && text[pos] != '}')
			pos++;
		return pos;
	}
	while (pos < len) {
		char c = text[pos];
		if (c == '"') {
			pos = string_end(text, len, pos);
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return pos + 1;
		pos++;
	}
	return len;
}

void
jsonspan_iter_init(struct jsonspan_iter *it, const char *text, size_t len,
    size_t pos)
{
	it->text = text;
	it->len = len;
	it->object = pos < len && text[pos] == '{';
	it->pos = jsonspan_skip_ws(text, len, pos + 1);
	it->done = it->pos >= len || text[it->pos] == '}' || text[it->pos] == ']';
}

bool
jsonspan_iter_next(struct jsonspan_iter *it, struct jspan *key,
    struct jspan *val)
{
	const char *t = it->text;
	size_t p;

	if (it->done)
		return false;
	p = jsonspan_skip_ws(t, it->len, it->pos);
	if (it->object) {
		size_t k = string_end(t, it->len, p);
		if (key != NULL) {
			key->off = p;
			key->len = k - p;
		}
		p = jsonspan_skip_ws(t, it->len, k);
		p = jsonspan_skip_ws(t, it->len, p + 1);     /* the colon */
	}
	size_t e = jsonspan_value_end(t, it->len, p);
	val->off = p;
	val->len = e - p;
	p = jsonspan_skip_ws(t, it->len, e);
	if (p < it->len && t[p] == ',')
		it->pos = p + 1;
	else
		it->done = true;
	return true;
}

size_t
jsonspan_count_values(const char *text, struct jspan span)
{
	size_t n = 1, i = span.off, end = span.off + span.len;

	while (i < end) {
		char c = text[i];
		if (c == '"') {
			i = string_end(text, end, i);
			continue;
		}
		if (c == ',' || c == '{' || c == '[')
			n++;
		i++;
	}
	return n;
}

bool
jsonspan_nonfinite(const char *text, size_t len, size_t pos, size_t *word_len,
    double *v)
{
	static const struct {
		const char *w;
		double v;
	} words[] = { { "NaN", NAN }, { "Infinity", INFINITY },
	    { "-Infinity", -INFINITY } };

	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t n = strlen(words[i].w);
		if (pos <= len && len - pos >= n &&
		    memcmp(text + pos, words[i].w, n) == 0) {
			*word_len = n;
			*v = words[i].v;
			return true;
		}
	}
	return false;
}

void
jsonspan_walk_init(struct jsonspan_walk *w, const char *text, struct jspan span)
{
	w->text = text;
	w->pos = span.off;
	w->end = span.off + span.len;
	w->depth = 0;
	w->values = 0;
	w->want_key = false;
}

bool
jsonspan_walk_next(struct jsonspan_walk *w, struct jspan *word, size_t *ordinal,
    double *v)
{
	const char *t = w->text;
	struct jsonspan_frame *top;

	while (w->pos < w->end) {
		char c = t[w->pos];
		size_t n, e;

		top = w->depth > 0 ? &w->frames[w->depth - 1] : NULL;
		switch (c) {
		case ' ': case '\t': case '\n': case '\r': case ':':
			w->pos++;
			continue;
		case ',':
			if (top != NULL && top->object)
				w->want_key = true;
			else if (top != NULL)
				top->index++;
			w->pos++;
			continue;
		case '}': case ']':
			if (w->depth > 0)
				w->depth--;
			w->want_key = false;
			w->pos++;
			continue;
		case '{': case '[':
			w->values++;
			if (w->depth < sizeof w->frames / sizeof *w->frames) {
				top = &w->frames[w->depth++];
				top->object = c == '{';
				top->index = 0;
				top->key.off = top->key.len = 0;
			}
			w->want_key = c == '{';
			w->pos++;
			continue;
		case '"':
			e = string_end(t, w->end, w->pos);
			if (w->want_key && top != NULL && top->object) {
				top->key.off = w->pos;
				top->key.len = e - w->pos;
				w->want_key = false;
			} else {
				w->values++;
			}
			w->pos = e;
			continue;
		default:
			w->values++;
			if (jsonspan_nonfinite(t, w->end, w->pos, &n, v)) {
				word->off = w->pos;
				word->len = n;
				*ordinal = w->values - 1;
				w->pos += n;
				return true;
			}
			w->pos = jsonspan_value_end(t, w->end, w->pos);
			continue;
		}
	}
	return false;
}
