/*
 * csv: reading and writing RFC 4180 text.  Input: a whole file in memory
 * (reader) or cell strings (writer).  Output: records of owned fields, or
 * bytes appended to a struct buf.  Includes util.h only.
 */
#include "base/csv.h"

#include <stdlib.h>
#include <string.h>

void
csv_reader_init(struct csv_reader *r, const char *name, const char *text,
    size_t len)
{
	r->name = name;
	r->text = text;
	r->len = len;
	r->pos = 0;
	r->line = 1;
	r->col = 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
}

void
csv_record_init(struct csv_record *rec)
{
	memset(rec, 0, sizeof *rec);
}

static void
record_clear(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->fields[i].text);
	rec->n = 0;
}

void
csv_record_free(struct csv_record *rec)
{
	record_clear(rec);
	free(rec->fields);
	csv_record_init(rec);
}

static int
peek(const struct csv_reader *r)
{
	return r->pos < r->len ? (unsigned char)r->text[r->pos] : -1;
}

/* Consume a line end (CRLF, LF or a lone CR) at pos. */
static void
eat_eol(struct csv_reader *r)
{
	if (peek(r) == '\r')
		r->pos++;
	if (peek(r) == '\n')
		r->pos++;
	r->line++;
	r->col = 1;
}

static bool
at_eol(const struct csv_reader *r)
{
	int c = peek(r);
	return c == '\n' || c == '\r';
}

static int
fail(struct csv_reader *r, int line, int col, struct diag_list *dl,
    const char *id, const char *msg)
{
	char *where = xasprintf("%s:%d:%d", r->name, line, col);
	diag_add(dl, DIAG_ERROR, id, where, "%s", msg);
	free(where);
	r->pos = r->len;        /* stop: nothing after an error is trusted */
	return -1;
}

/*
 * Copy the character at pos into b (a quoted line break counts as a new
 * line); -1 after an error for a NUL or invalid UTF-8.
 */
static int
take_char(struct csv_reader *r, struct buf *b, struct diag_list *dl)
{
	const unsigned char *p = (const unsigned char *)r->text + r->pos;
	size_t n;

	if (*p == '\0')
		return fail(r, r->line, r->col, dl, "csv.nul-byte",
		    "a NUL byte (is this a text file?)");
	if (*p == '\r' || *p == '\n') {
		size_t k = (*p == '\r' && r->pos + 1 < r->len && p[1] == '\n') ? 2 : 1;
		buf_put(b, p, k);
		r->pos += k;
		r->line++;
		r->col = 1;
		return 0;
	}
	n = utf8_seq_len(p, r->len - r->pos);
	if (n == 0)
		return fail(r, r->line, r->col, dl, "csv.invalid-utf8",
		    "invalid UTF-8 (save the file as CSV UTF-8)");
	buf_put(b, p, n);
	r->pos += n;
	r->col++;
	return 0;
}

int
csv_read(struct csv_reader *r, struct csv_record *rec, struct diag_list *dl)
{
	struct buf b;

	record_clear(rec);
	while (r->pos < r->len && at_eol(r))
		eat_eol(r);
	if (r->pos >= r->len)
		return 0;
	rec->line = r->line;
	buf_init(&b);
	for (;;) {
		int line = r->line, col = r->col;
		buf_reset(&b);
		buf_putc(&b, '\0');     /* data non-NULL even for an empty field */
		buf_reset(&b);
		if (peek(r) == '"') {
			r->pos++;
			r->col++;
			for (;;) {
				int c = peek(r);
				if (c < 0) {
					fail(r, line, col, dl, "csv.unterminated-quote",
					    "a quoted field is "
					    "never closed (a quote is missing)");
					goto err;
				}
				if (c == '"') {
					r->pos++;
					r->col++;
					if (peek(r) != '"')
						break;
					buf_putc(&b, '"');
					r->pos++;
					r->col++;
					continue;
				}
				if (take_char(r, &b, dl) != 0)
					goto err;
			}
			if (peek(r) >= 0 && peek(r) != ',' && !at_eol(r)) {
				fail(r, r->line, r->col, dl, "csv.text-after-quote",
				    "expected a comma or the "
				    "end of the line after a closing quote");
				goto err;
			}
		} else {
			while (peek(r) >= 0 && peek(r) != ',' && !at_eol(r)) {
				if (peek(r) == '"') {
					fail(r, r->line, r->col, dl, "csv.stray-quote",
					    "a quote inside "
					    "an unquoted field (put the whole field in "
					    "quotes and write the quote twice)");
					goto err;
				}
				if (take_char(r, &b, dl) != 0)
					goto err;
			}
		}
		if (rec->n == rec->cap) {
			rec->cap = rec->cap ? rec->cap * 2 : 8;
			rec->fields = xreallocarray(rec->fields, rec->cap,
			    sizeof *rec->fields);
		}
		rec->fields[rec->n].text = xstrndup(b.data, b.len);
		rec->fields[rec->n].line = line;
		rec->fields[rec->n].col = col;
		rec->n++;
		if (peek(r) == ',') {
			r->pos++;
			r->col++;
			continue;
		}
		if (peek(r) >= 0)
			eat_eol(r);
		break;
	}
	buf_free(&b);
	return 1;
err:
	buf_free(&b);
	record_clear(rec);
	return -1;
}

void
csv_put_text(struct buf *out, bool first, const char *s)
{
	char *safe = utf8_sanitize(s, strlen(s));
	bool formula = strchr("=+-@\t\r", safe[0]) != NULL && safe[0] != '\0';
	bool quote = strpbrk(safe, ",\"\r\n") != NULL;

	if (!first)
		buf_putc(out, ',');
	if (quote)
		buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *p = safe; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	if (quote)
		buf_putc(out, '"');
	free(safe);
}

void
csv_put_number(struct buf *out, bool first, const char *digits)
{
	if (!first)
		buf_putc(out, ',');
	buf_puts(out, digits);
}

void
csv_end_record(struct buf *out)
{
	buf_puts(out, "\r\n");
}
