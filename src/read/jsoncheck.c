/*
 * jsoncheck: strict RFC 8259 syntax check with precise error positions (and
 * a Python mode that also takes json.dump's NaN, Infinity, -Infinity), and
 * the formatting of a syntax error with its source line and a caret.
 * Input: bytes.  Output: an offset and a reason, or a diagnostic.
 * No foreign types; recursion is bounded by JSONCHECK_MAX_DEPTH.
 */
#include "read/jsoncheck.h"

#include <string.h>

struct checker {
	const char *s;
	size_t len, pos;
	const char *id, *msg;   /* of the first error */
	bool python;            /* NaN, Infinity and -Infinity are values */
	size_t n_nonfinite;     /* how many of those words were read */
};

static bool
fail(struct checker *c, const char *id, const char *msg)
{
	if (c->msg == NULL) {
		c->id = id;
		c->msg = msg;
	}
	return false;
}

static bool
at_end(const struct checker *c)
{
	return c->pos >= c->len;
}

static char
peek(const struct checker *c)
{
	return at_end(c) ? '\0' : c->s[c->pos];
}

static void
skip_ws(struct checker *c)
{
	while (!at_end(c) && strchr(" \t\r\n", c->s[c->pos]) != NULL &&
	    c->s[c->pos] != '\0')
		c->pos++;
}

static bool
truncated(struct checker *c)
{
	return fail(c, "json.truncated",
	    "unexpected end of file: the JSON is incomplete "
	    "(truncated?)");
}

/* A reason for an unexpected byte, most helpful first. */
static bool
unexpected(struct checker *c, const char *id, const char *expected)
{
	char ch = peek(c);

	if (at_end(c))
		return truncated(c);
	if (ch == '\0')
		return fail(c, "json.nul-byte",
		    "NUL byte in the file: this is not a text file");
	if (ch == '\'')
		return fail(c, "json.single-quotes",
		    "JSON strings use double quotes, not single quotes");
	if (ch == '/')
		return fail(c, "json.comment", "JSON has no comments");
	return fail(c, id, expected);
}

static bool
check_string(struct checker *c)
{
	c->pos++;                              /* the opening quote */
	for (;;) {
		if (at_end(c))
			return fail(c, "json.unterminated-string",
			    "unterminated string: the closing quote "
			    "is missing");
		unsigned char ch = (unsigned char)c->s[c->pos];
		if (ch == '"') {
			c->pos++;
			return true;
		}
		if (ch == '\0')
			return fail(c, "json.nul-byte",
			    "NUL byte in the file: this is not a text file");
		if (ch < 0x20)
			return ch == '\n'
			    ? fail(c, "json.line-break-in-string", "line break "
			      "inside a string (missing closing quote, or write \\n)")
			    : fail(c, "json.control-in-string", "raw control "
			      "character inside a string");
		if (ch != '\\') {
			c->pos++;
			continue;
		}
		c->pos++;
		if (at_end(c))
			return truncated(c);
		char e = c->s[c->pos];
		if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
			c->pos++;
			continue;
		}
		if (e != 'u') {
			c->pos--;
			return fail(c, "json.bad-escape",
			    "invalid escape in a string (valid: \\\" "
			    "\\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
		}
		c->pos++;
		unsigned cp = 0;
		for (int i = 0; i < 4; i++, c->pos++) {
			if (at_end(c))
				return truncated(c);
			const char *h = strchr("0123456789abcdef0123456789ABCDEF",
			    c->s[c->pos]);
			if (h == NULL || c->s[c->pos] == '\0')
				return fail(c, "json.bad-unicode-escape",
				    "\\u needs four hexadecimal digits");
			cp = cp << 4 | (unsigned)((h - "0123456789abcdef0123456789ABCDEF") % 16);
		}
		/*
		 * cJSON refuses half a surrogate pair; say so here, at the
		 * escape, rather than "could not be read" at the string.
		 */
		if (cp >= 0xdc00 && cp <= 0xdfff) {
			c->pos -= 6;
			return fail(c, "json.lone-low-surrogate",
			    "\\uDC00-\\uDFFF without a \\uD800-\\uDBFF "
			    "before it: half a surrogate pair is not a character");
		}
		if (cp >= 0xd800 && cp <= 0xdbff) {
			const char *lo = c->s + c->pos;
			size_t i;
			bool ok = c->len - c->pos >= 6 && lo[0] == '\\' && lo[1] == 'u';
			for (i = 2; ok && i < 6; i++)
				ok = strchr("0123456789abcdefABCDEF", lo[i]) != NULL &&
				    lo[i] != '\0';
			if (ok)
				ok = (lo[2] == 'd' || lo[2] == 'D') &&
				    strchr("cdefCDEF", lo[3]) != NULL;
			if (!ok) {
				c->pos -= 6;
				return fail(c, "json.lone-high-surrogate",
				    "\\uD800-\\uDBFF without a \\uDC00-"
				    "\\uDFFF after it: half a surrogate pair is not "
				    "a character");
			}
			c->pos += 6;            /* the pair's second half */
		}
	}
}

static bool
digits(struct checker *c, const char *id, const char *what)
{
	if (at_end(c))
		return truncated(c);
	if (peek(c) < '0' || peek(c) > '9')
		return fail(c, id, what);
	while (peek(c) >= '0' && peek(c) <= '9')
		c->pos++;
	return true;
}

static bool
check_number(struct checker *c)
{
	if (peek(c) == '-')
		c->pos++;
	if (peek(c) == '0') {
		c->pos++;
		if (peek(c) >= '0' && peek(c) <= '9')
			return fail(c, "json.leading-zero",
			    "numbers cannot have leading zeros");
	} else if (!digits(c, "json.expected-digit", "expected a digit")) {
		return false;
	}
	if (peek(c) == '.') {
		c->pos++;
		if (!digits(c, "json.expected-fraction-digit",
		    "expected a digit after the decimal point"))
			return false;
	}
	if (peek(c) == 'e' || peek(c) == 'E') {
		c->pos++;
		if (peek(c) == '+' || peek(c) == '-')
			c->pos++;
		if (!digits(c, "json.expected-exponent-digit",
		    "expected a digit in the exponent"))
			return false;
	}
	return true;
}

static bool
check_word(struct checker *c, const char *w)
{
	size_t n = strlen(w);

	if (c->len - c->pos < n || memcmp(c->s + c->pos, w, n) != 0) {
		if (c->len - c->pos < n && memcmp(c->s + c->pos, w, c->len - c->pos) == 0)
			return truncated(c);
		return fail(c, "json.expected-value",
		    "expected a value (string, number, object, "
		    "array, true, false or null)");
	}
	c->pos += n;
	return true;
}

/*
 * Python's json.dump writes a non-finite float as one of these words; in
 * Python mode they are values, otherwise the error says what they are.
 */
static bool
python_word(struct checker *c, const char *w)
{
	if (!c->python)
		return w[0] == 'N'
		    ? fail(c, "json.nan", "NaN is not a JSON number")
		    : fail(c, "json.infinity", "Infinity is not a JSON number");
	if (!check_word(c, w))
		return false;
	c->n_nonfinite++;
	return true;
}

static bool check_value(struct checker *c, int depth);

static bool
check_container(struct checker *c, int depth, char close)
{
	bool obj = close == '}';

	if (depth >= JSONCHECK_MAX_DEPTH)
		return fail(c, "json.too-deep",
		    "JSON nested deeper than 512 levels; a ledger is "
		    "never this deep");
	c->pos++;
	skip_ws(c);
	if (peek(c) == close && !at_end(c)) {
		c->pos++;
		return true;
	}
	for (;;) {
		skip_ws(c);
		if (obj) {
			if (peek(c) != '"' || at_end(c))
				return peek(c) == '}'
				    ? unexpected(c, "json.trailing-comma",
				    "trailing "
				      "comma before '}' (JSON allows none)")
				    : unexpected(c, "json.expected-key",
				    "expected a "
				      "key in double quotes");
			if (!check_string(c))
				return false;
			skip_ws(c);
			if (peek(c) != ':' || at_end(c))
				return unexpected(c, "json.expected-colon",
				    "expected ':' after the key");
			c->pos++;
			skip_ws(c);
		} else if (peek(c) == ']' && !at_end(c)) {
			return fail(c, "json.trailing-comma",
			    "trailing comma before ']' (JSON allows none)");
		}
		if (!check_value(c, depth + 1))
			return false;
		skip_ws(c);
		if (peek(c) == ',' && !at_end(c)) {
			c->pos++;
			continue;
		}
		if (peek(c) == close && !at_end(c)) {
			c->pos++;
			return true;
		}
		return obj
		    ? unexpected(c, "json.missing-comma", "expected ',' or '}' "
		      "after an object member (missing comma?)")
		    : unexpected(c, "json.missing-comma", "expected ',' or ']' "
		      "after an array element (missing comma?)");
	}
}

static bool
check_value(struct checker *c, int depth)
{
	skip_ws(c);
	switch (peek(c)) {
	case '{':
		return check_container(c, depth, '}');
	case '[':
		return check_container(c, depth, ']');
	case '"':
		return check_string(c);
	case 't':
		return check_word(c, "true");
	case 'f':
		return check_word(c, "false");
	case 'n':
		return check_word(c, "null");
	case 'T': case 'F': case 'N':
		if (c->len - c->pos >= 3 && (memcmp(c->s + c->pos, "NaN", 3) == 0))
			return python_word(c, "NaN");
		return fail(c, "json.capitalized-word",
		    "true, false and null are written in lower case");
	case 'I':
		return python_word(c, "Infinity");
	case '-':
		if (c->pos + 1 < c->len && c->s[c->pos + 1] == 'I')
			return python_word(c, "-Infinity");
		return check_number(c);
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return check_number(c);
	default:
		return unexpected(c, "json.expected-value",
		    "expected a value (string, number, object, "
		    "array, true, false or null)");
	}
}

static bool
check_all(struct checker *c, size_t *off, const char **id, const char **msg)
{
	const char *text = c->s;
	size_t len = c->len;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		c->pos = 3;
	if (len >= 2 && (memcmp(text, "\xff\xfe", 2) == 0 ||
	    memcmp(text, "\xfe\xff", 2) == 0)) {
		*off = 0;
		*id = "json.utf16";
		*msg = "the file is UTF-16 text; a ledger is UTF-8 (save it as "
		    "UTF-8)";
		return false;
	}
	skip_ws(c);
	if (at_end(c)) {
		*off = c->pos;
		*id = "json.empty";
		*msg = "the file is empty: no JSON value";
		return false;
	}
	if (check_value(c, 0)) {
		skip_ws(c);
		if (at_end(c))
			return true;
		unexpected(c, "json.trailing-text",
		    "extra text after the end of the JSON value");
	}
	*off = c->pos;
	*id = c->id;
	*msg = c->msg;
	return false;
}

bool
jsoncheck(const char *text, size_t len, size_t *off, const char **id,
    const char **msg)
{
	struct checker c = { .s = text, .len = len };

	return check_all(&c, off, id, msg);
}

bool
jsoncheck_python(const char *text, size_t len, size_t *n_nonfinite,
    size_t *off, const char **id, const char **msg)
{
	struct checker c = { .s = text, .len = len, .python = true };
	bool ok = check_all(&c, off, id, msg);

	*n_nonfinite = c.n_nonfinite;
	return ok;
}

/* Line (1-based), column in characters (1-based) and line start of off. */
static void
locate(const char *text, size_t off, size_t *line, size_t *col, size_t *bol)
{
	*line = 1;
	*bol = 0;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*bol = i + 1;
		}
	}
	*col = 1;
	for (size_t i = *bol; i < off; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			(*col)++;
}

/*
 * Append the source line around off, shown safely (control bytes and
 * invalid UTF-8 as '?', a window of about 80 characters), and a caret
 * under off.
 */
static void
show_line(struct buf *b, const char *text, size_t len, size_t bol, size_t off)
{
	size_t eol = off, start = bol, caret = 0;

	while (eol < len && text[eol] != '\n' && eol - off < 40)
		eol++;
	if (off - start > 40) {
		start = off - 36;
		while (start < off && ((unsigned char)text[start] & 0xc0) == 0x80)
			start++;
	}
	buf_puts(b, "\n    ");
	if (start > bol) {
		buf_puts(b, "...");
		caret += 3;
	}
	for (size_t i = start; i < eol;) {
		const unsigned char *p = (const unsigned char *)text + i;
		size_t n = utf8_seq_len(p, eol - i);
		if (i < off)
			caret++;
		if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			buf_putc(b, *p == '\t' ? ' ' : '?');
		} else if (n == 0) {
			buf_putc(b, '?');
			n = 1;
		} else {
			buf_put(b, p, n);
		}
		i += n;
	}
	if (eol < len && text[eol] != '\n')
		buf_puts(b, "...");
	buf_puts(b, "\n    ");
	for (size_t i = 0; i < caret; i++)
		buf_putc(b, ' ');
	buf_putc(b, '^');
}

void
jsoncheck_report(struct diag_list *errs, const char *id, const char *name,
    const char *text, size_t len, size_t off, const char *msg)
{
	size_t line, col, bol;
	struct buf where, m;

	if (off > len)
		off = len;
	locate(text, off, &line, &col, &bol);
	buf_init(&where);
	buf_init(&m);
	buf_printf(&where, "%s:%zu:%zu", name, line, col);
	buf_puts(&m, msg);
	show_line(&m, text, len, bol, off);
	diag_add(errs, DIAG_ERROR, id, where.data, "%s", m.data);
	buf_free(&where);
	buf_free(&m);
}
