/*
 * jsonspan: spans of validated JSON text.  Input: text that jsoncheck
 * accepted.  Output: offsets of values, members and elements.  No
 * allocation, no recursion; it relies on the text being valid.
 */
#include "jsonspan.h"

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
