/*
 * mustache: compile a Mustache template into an op tree, then execute it.
 * Input: template text, partials through a loader callback, and at render
 * time a struct tvalue context and an escape function.  Output: a compiled
 * template (immutable, shared by renders) and text appended to a struct buf.
 * The compiler handles set-delimiter tags and the spec's standalone-line
 * rules, so the renderer only walks ops.  Each source file (the template
 * and every partial) is one unit with a flat op array; a section op knows
 * where its body ends; a partial op points at a unit by index, so recursive
 * partials compile once and only the render depth is bounded.  Includes
 * tvalue.h, util.h and the C library.
 */
#include "tmpl/mustache_int.h"

/* ---------------------------------------------------------------- errors */

/*
 * Append "path:line:col: LEVEL: message", then the source line and a caret
 * under the column.  Columns count code points, starting at 1.
 */
static void
msg_append(struct buf *b, const char *level, const struct munit *u, size_t pos,
    const char *fmt, va_list ap)
{
	size_t line = 1, ls = 0, col = 1, le;

	if (pos > u->len)
		pos = u->len;
	for (size_t i = 0; i < pos; i++)
		if (u->src[i] == '\n') {
			line++;
			ls = i + 1;
		}
	for (size_t i = ls; i < pos; i++)
		if (((unsigned char)u->src[i] & 0xC0) != 0x80)
			col++;
	for (le = ls; le < u->len && u->src[le] != '\n' && u->src[le] != '\r'; le++)
		continue;

	if (b->len > 0)
		buf_putc(b, '\n');
	buf_printf(b, "%s:%zu:%zu: %s: ", u->path, line, col, level);
	buf_vprintf(b, fmt, ap);
	if (le - ls > 200)
		return;
	buf_puts(b, "\n  ");
	for (size_t i = ls; i < le; i++)
		buf_putc(b, (unsigned char)u->src[i] < 0x20 && u->src[i] != '\t' ?
		    ' ' : u->src[i]);
	buf_puts(b, "\n  ");
	for (size_t i = ls; i < pos; i++) {
		if (u->src[i] == '\t')
			buf_putc(b, '\t');
		else if (((unsigned char)u->src[i] & 0xC0) != 0x80)
			buf_putc(b, ' ');
	}
	buf_putc(b, '^');
}

/* An error message at pos of unit u (caller frees). */
char *
mst_errmsg(const struct munit *u, size_t pos, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	msg_append(&b, "error", u, pos, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

/*
 * msg ("NAME:LINE:COL: error: message", the line, a caret, maybe notes) as
 * one diagnostic whose place is NAME:LINE:COL, so that it prints with one
 * "error:"; takes msg (frees it).
 */
void
mst_report_error(struct diag_list *dl, const char *id, char *msg)
{
	const char *sep = strstr(msg, ": error: ");

	if (sep == NULL) {
		diag_add(dl, DIAG_ERROR, id, NULL, "%s", msg);
	} else {
		char *where = xstrndup(msg, (size_t)(sep - msg));
		diag_add(dl, DIAG_ERROR, id,
		    where, "%s", sep + strlen(": error: "));
		free(where);
	}
	free(msg);
}

/* Add a note to the message *msg (reallocated). */
static void
note_add(char **msg, const struct munit *u, size_t pos, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	buf_puts(&b, *msg);
	va_start(ap, fmt);
	msg_append(&b, "note", u, pos, fmt, ap);
	va_end(ap);
	free(*msg);
	*msg = buf_detach(&b);
}

/* ------------------------------------------------------------ freeing */

static void
mop_free(struct mop *op)
{
	free(op->name.s);
	free(op->name.keys);
	for (size_t i = 0; i < op->nfilters; i++) {
		free(op->filters[i].spec);
		free(op->filters[i].a);
		free(op->filters[i].b);
	}
	free(op->filters);
	free(op->pname);
	free(op->indent);
}

void
mustache_free(struct mustache *tpl)
{
	if (tpl == NULL)
		return;
	for (size_t u = 0; u < tpl->n; u++) {
		struct munit *un = &tpl->units[u];
		for (size_t i = 0; i < un->nops; i++)
			mop_free(&un->ops[i]);
		free(un->ops);
		free(un->name);
		free(un->path);
		free(un->src);
	}
	free(tpl->units);
	free(tpl);
}

/* ----------------------------------------------------------- compiling */

static struct mop *
op_add(struct munit *u, enum mop_type type, size_t pos)
{
	struct mop *op;

	if (u->nops == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 16;
		u->ops = xreallocarray(u->ops, u->cap, sizeof *u->ops);
	}
	op = &u->ops[u->nops++];
	memset(op, 0, sizeof *op);
	op->type = type;
	op->pos = pos;
	op->numeric = op->deflt = -1;
	return op;
}

static void
text_add(struct munit *u, size_t from, size_t to)
{
	if (to <= from)
		return;
	/* Adjacent text (around a comment, say) becomes one op. */
	if (u->nops > 0 && u->ops[u->nops - 1].type == MOP_TEXT &&
	    u->ops[u->nops - 1].off + u->ops[u->nops - 1].len == from) {
		u->ops[u->nops - 1].len += to - from;
		return;
	}
	struct mop *op = op_add(u, MOP_TEXT, from);
	op->off = from;
	op->len = to - from;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim whitespace off both ends of s[*from..*to). */
static void
trim(const char *s, size_t *from, size_t *to)
{
	while (*from < *to && is_ws(s[*from]))
		(*from)++;
	while (*to > *from && is_ws(s[*to - 1]))
		(*to)--;
}

static const char *
find(const char *hay, size_t hlen, size_t from, const char *needle, size_t nlen)
{
	/* memmem is a GNU extension; delimiters are short, so scan. */
	while (from + nlen <= hlen) {
		const char *p = memchr(hay + from, needle[0], hlen - from - nlen + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
		from = (size_t)(p - hay) + 1;
	}
	return NULL;
}

/* Parse a variable or section name into op->name; NULL or an error message. */
static const char *
name_parse(struct mname *nm, const char *s, size_t len)
{
	if (len == 0)
		return "empty tag name";
	for (size_t i = 0; i < len; i++)
		if (is_ws(s[i]) || (unsigned char)s[i] < 0x20 || s[i] == '|')
			return "bad name (no spaces or control characters in names)";
	nm->s = xstrndup(s, len);
	if (len == 1 && s[0] == '.')
		return NULL;
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '.';
	nm->keys = xcalloc(n, sizeof *nm->keys);
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start)
			return "bad name (empty part in a dotted name)";
		nm->keys[nm->n].off = start;
		nm->keys[nm->n].len = i - start;
		nm->keys[nm->n].hash = tvalue_hash(s + start, i - start);
		nm->n++;
		start = i + 1;
	}
	return NULL;
}

/* Parse 0 to 2 decimal digits at *p into *val (bounded, so no overflow). */
static int
digits2(const char **p, int *val)
{
	int n = 0, v = 0;

	while (**p >= '0' && **p <= '9') {
		if (++n > 2)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*val = n ? v : -1;
	return 0;
}

/* Copy printf literal text, turning "%%" into "%"; -1 on a stray '%' or control. */
static int
literal_copy(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return -1;
		if (s[i] == '%') {
			if (i + 1 >= n || s[i + 1] != '%')
				return -1;
			i++;
		}
		buf_putc(b, s[i]);
	}
	return 0;
}

/*
 * A printf filter: literal text, exactly one conversion of f, e, E, g, G or
 * d with flags, width and precision (at most two digits each), literal text.
 */
static const char *
printf_parse(struct mfilter *f, const char *s)
{
	const char *p, *conv, *end;
	struct buf spec, pre, post;
	int width, prec;
	const char *msg = NULL;

	buf_init(&spec);
	buf_init(&pre);
	buf_init(&post);
	for (p = s; *p != '\0'; p++) {
		if (*p == '%' && p[1] == '%')
			p++;
		else if (*p == '%')
			break;
	}
	if (*p == '\0') {
		msg = "no conversion in the format";
		goto out;
	}
	if (literal_copy(&pre, s, (size_t)(p - s)) == -1) {
		msg = "control character in the format";
		goto out;
	}
	conv = p++;
	while (*p != '\0' && strchr("-+ #0", *p) != NULL)
		p++;
	if (digits2(&p, &width) == -1) {
		msg = "width above 99";
		goto out;
	}
	prec = -1;
	if (*p == '.') {
		p++;
		if (digits2(&p, &prec) == -1) {
			msg = "precision above 99";
			goto out;
		}
		if (prec < 0)
			prec = 0;
	}
	if (*p == '\0' || strchr("feEgGd", *p) == NULL) {
		msg = "only one %f, %e, %g or %d conversion, with flags, width and precision, is allowed";
		goto out;
	}
	f->conv = *p;
	if (f->conv == 'd' && memchr(conv, '#', (size_t)(p - conv)) != NULL) {
		msg = "the # flag does not go with %d";
		goto out;
	}
	buf_put(&spec, conv, (size_t)(p - conv));
	buf_puts(&spec, f->conv == 'd' ? "lld" : (char[]){f->conv, '\0'});
	end = p + 1;
	if (literal_copy(&post, end, strlen(end)) == -1) {
		msg = "only one conversion is allowed (write %% for a percent sign)";
		goto out;
	}
	f->prec = f->conv == 'd' ? 0 : prec < 0 ? 6 : prec;
	f->spec = buf_detach(&spec);
	f->a = buf_detach(&pre);
	f->b = buf_detach(&post);
out:
	buf_free(&spec);
	buf_free(&pre);
	buf_free(&post);
	return msg;
}

/* "one:many" after a filter name: both non-empty. */
static const char *
two_words(struct mfilter *f, const char *args)
{
	const char *colon;

	if (args == NULL || (colon = strchr(args, ':')) == NULL ||
	    colon == args || colon[1] == '\0')
		return "needs two words: plural:lab:labs";
	f->a = xstrndup(args, (size_t)(colon - args));
	f->b = xstrdup(colon + 1);
	return NULL;
}

/* A decimal count 0..9 written after a filter name, as in pct1 or usd:2. */
static int
small_count(const char *s)
{
	if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0')
		return s[0] - '0';
	return -2;
}

static const char *
filter_parse(struct mfilter *f, const char *s)
{
	const char *colon = strchr(s, ':');
	size_t head = colon ? (size_t)(colon - s) : strlen(s);
	const char *args = colon ? colon + 1 : NULL;

	f->prec = -1;
	if (s[0] == '%') {
		f->type = MF_PRINTF;
		return printf_parse(f, s);
	}
	if (s[0] == ',') {
		f->type = MF_GROUP;
		f->prec = 0;
		if (s[1] == '\0')
			return NULL;
		if (s[1] == '.' && (f->prec = small_count(s + 2)) >= 0)
			return NULL;
		return "thousands separators take \",\" or \",.N\" (N from 0 to 9)";
	}
	if (head >= 3 && strncmp(s, "pct", 3) == 0 && colon == NULL) {
		f->type = MF_PCT;
		f->prec = 0;
		if (s[3] == '\0' || (f->prec = small_count(s + 3)) >= 0)
			return NULL;
		return "percent takes \"pct\" or \"pctN\" (N from 0 to 9)";
	}
	if (head == 3 && strncmp(s, "usd", 3) == 0) {
		f->type = MF_USD;
		if (args == NULL || (f->prec = small_count(args)) >= 0)
			return NULL;
		return "dollars take \"usd\" or \"usd:N\" (N from 0 to 9)";
	}
	if (head == 6 && strncmp(s, "plural", 6) == 0) {
		f->type = MF_PLURAL;
		return two_words(f, args);
	}
	if (head == 4 && strncmp(s, "word", 4) == 0) {
		f->type = MF_WORD;
		return two_words(f, args);
	}
	if (head == 7 && strncmp(s, "default", 7) == 0) {
		f->type = MF_DEFAULT;
		if (args == NULL)
			return "default needs a text: default:n/a";
		f->a = xstrdup(args);
		return NULL;
	}
	if (strcmp(s, "upper") == 0) {
		f->type = MF_UPPER;
		return NULL;
	}
	if (strcmp(s, "lower") == 0) {
		f->type = MF_LOWER;
		return NULL;
	}
	return "unknown filter";
}

/*
 * Fill op->name and op->filters from the tag content s[0..len) (trimmed).
 * Returns NULL or a message; *bad is set to the offending text.
 */
static const char *
var_parse(struct mop *op, const char *s, size_t len, bool allow_filters,
    struct buf *bad)
{
	const char *bar = memchr(s, '|', len);
	size_t nlen = bar ? (size_t)(bar - s) : len;
	size_t a = 0, b = nlen;
	const char *msg;

	trim(s, &a, &b);
	if ((msg = name_parse(&op->name, s + a, b - a)) != NULL) {
		buf_put(bad, s + a, b - a);
		return msg;
	}
	if (bar == NULL)
		return NULL;
	if (!allow_filters) {
		buf_put(bad, s, len);
		return "filters apply to variables only, not to sections";
	}
	size_t pos = nlen + 1;
	while (pos <= len) {
		const char *next = memchr(s + pos, '|', len - pos);
		size_t e = next ? (size_t)(next - s) : len;
		size_t fa = pos, fb = e;
		trim(s, &fa, &fb);
		char *text = xstrndup(s + fa, fb - fa);
		op->filters = xreallocarray(op->filters, op->nfilters + 1, sizeof *op->filters);
		struct mfilter *f = &op->filters[op->nfilters++];
		memset(f, 0, sizeof *f);
		msg = text[0] == '\0' ? "empty filter" : filter_parse(f, text);
		if (msg == NULL) {
			int idx = (int)op->nfilters - 1;
			switch (f->type) {
			case MF_UPPER:
			case MF_LOWER:
				break;
			case MF_DEFAULT:
				if (op->deflt >= 0)
					msg = "more than one default filter";
				op->deflt = idx;
				break;
			default:
				if (op->numeric >= 0)
					msg = "more than one number filter";
				else if (idx > 0 && op->filters[idx - 1].type != MF_DEFAULT)
					msg = "a number filter must come first";
				op->numeric = idx;
				break;
			}
		}
		if (msg != NULL) {
			buf_puts(bad, text);
			free(text);
			return msg;
		}
		free(text);
		pos = e + 1;
	}
	return NULL;
}

/* Partial names map to files: letters, digits, "_", "-", "." and "/" between parts. */
static bool
partial_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 200)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool part_start = i == 0 || s[i - 1] == '/';
		if (part_start && (c == '.' || c == '/'))
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '/'))
			return false;
	}
	return s[len - 1] != '/';
}

static size_t
unit_add(struct mustache *tpl, const char *name, const char *path, char *src, size_t len)
{
	struct munit *u;

	if (tpl->n == tpl->cap) {
		tpl->cap = tpl->cap ? tpl->cap * 2 : 4;
		tpl->units = xreallocarray(tpl->units, tpl->cap, sizeof *tpl->units);
	}
	u = &tpl->units[tpl->n];
	memset(u, 0, sizeof *u);
	u->name = xstrdup(name);
	u->path = xstrdup(path);
	u->src = src;
	u->len = len;
	return tpl->n++;
}

/*
 * Turn one unit's source into ops.  Partial ops are resolved afterwards.
 * Returns NULL or an error message (caller frees).
 */
static char *
unit_parse(struct munit *u)
{
	const char *src = u->src;
	size_t len = u->len;
	char otag[DELIM_MAX + 1] = "{{", ctag[DELIM_MAX + 2] = "}}";
	size_t olen = 2, clen = 2;
	size_t pos = 0, text_start = 0, line_start = 0;
	bool line_tagged = false;       /* a tag already ended on this line */
	size_t open[MUSTACHE_MAX_NESTING];
	size_t nopen = 0;
	struct buf bad;
	char *err = NULL;

	buf_init(&bad);
	for (;;) {
		const char *hit = find(src, len, pos, otag, olen);
		if (hit == NULL)
			break;
		size_t t = (size_t)(hit - src);
		for (size_t i = pos; i < t; i++)
			if (src[i] == '\n') {
				line_start = i + 1;
				line_tagged = false;
			}

		size_t cs = t + olen;
		char sigil = cs < len ? src[cs] : '\0';
		const char *close;
		size_t ce, tag_end;
		if (sigil == '{' || sigil == '=') {
			char c2[DELIM_MAX + 2];
			c2[0] = sigil == '{' ? '}' : '=';
			memcpy(c2 + 1, ctag, clen);
			close = find(src, len, cs + 1, c2, clen + 1);
			ce = close ? (size_t)(close - src) : 0;
			tag_end = ce + clen + 1;
			cs++;
		} else {
			if (sigil != '\0' && strchr("#^/!>&", sigil) != NULL)
				cs++;
			close = find(src, len, cs, ctag, clen);
			ce = close ? (size_t)(close - src) : 0;
			tag_end = ce + clen;
		}
		if (close == NULL) {
			err = mst_errmsg(u, t, "unclosed tag (no \"%s%s\" after \"%s\")",
			    sigil == '{' ? "}" : sigil == '=' ? "=" : "", ctag, otag);
			goto out;
		}

		/* Standalone lines: the tag alone on its line, whitespace aside. */
		bool standalone = false;
		size_t eol = tag_end;
		if (sigil != '\0' && strchr("#^/!>=", sigil) != NULL && !line_tagged) {
			standalone = true;
			for (size_t i = line_start; i < t && standalone; i++)
				standalone = src[i] == ' ' || src[i] == '\t';
			while (eol < len && (src[eol] == ' ' || src[eol] == '\t'))
				eol++;
			if (eol == len)
				;
			else if (src[eol] == '\n')
				eol++;
			else if (src[eol] == '\r' && eol + 1 < len && src[eol + 1] == '\n')
				eol += 2;
			else
				standalone = false;
		}
		size_t tag_line = line_start;
		if (standalone) {
			text_add(u, text_start, line_start);
			pos = text_start = line_start = eol;
			line_tagged = false;
		} else {
			text_add(u, text_start, t);
			pos = text_start = tag_end;
			for (size_t i = t; i < tag_end; i++)
				if (src[i] == '\n')
					line_start = i + 1;
			line_tagged = true;
		}

		size_t a = cs, b = ce;
		trim(src, &a, &b);
		const char *msg = NULL;
		struct mop *op;
		buf_reset(&bad);
		switch (sigil) {
		case '!':
			break;
		case '=': {
			size_t s1 = a, e1 = a, s2, e2;
			while (e1 < b && !is_ws(src[e1]))
				e1++;
			s2 = e1;
			while (s2 < b && is_ws(src[s2]))
				s2++;
			e2 = b;
			if (e1 == s1 || s2 == b || e1 - s1 > DELIM_MAX || e2 - s2 > DELIM_MAX ||
			    memchr(src + s2, ' ', e2 - s2) || memchr(src + s2, '\t', e2 - s2) ||
			    memchr(src + s1, '=', e1 - s1) || memchr(src + s2, '=', e2 - s2)) {
				err = mst_errmsg(u, t, "bad delimiter tag: want two delimiters "
				    "of 1 to %d characters, without spaces or \"=\", "
				    "as in {{=<%% %%>=}}", DELIM_MAX);
				goto out;
			}
			memcpy(otag, src + s1, e1 - s1);
			olen = e1 - s1;
			otag[olen] = '\0';
			memcpy(ctag, src + s2, e2 - s2);
			clen = e2 - s2;
			ctag[clen] = '\0';
			break;
		}
		case '#':
		case '^':
			if (nopen == MUSTACHE_MAX_NESTING) {
				err = mst_errmsg(u, t, "sections nested too deeply (limit %d)",
				    MUSTACHE_MAX_NESTING);
				goto out;
			}
			op = op_add(u, sigil == '#' ? MOP_SECTION : MOP_INVERTED, t);
			msg = var_parse(op, src + a, b - a, false, &bad);
			open[nopen++] = u->nops - 1;
			break;
		case '/': {
			struct mname nm = { NULL, NULL, 0 };
			msg = name_parse(&nm, src + a, b - a);
			if (msg != NULL)
				buf_put(&bad, src + a, b - a);
			else if (nopen == 0)
				err = mst_errmsg(u, t, "close tag \"%s\" without an open section", nm.s);
			else if (strcmp(u->ops[open[nopen - 1]].name.s, nm.s) != 0) {
				err = mst_errmsg(u, t, "close tag \"%s\" does not match the open section \"%s\"",
				    nm.s, u->ops[open[nopen - 1]].name.s);
				note_add(&err, u, u->ops[open[nopen - 1]].pos, "section \"%s\" opened here",
				    u->ops[open[nopen - 1]].name.s);
			} else
				u->ops[open[--nopen]].end = u->nops;
			free(nm.s);
			free(nm.keys);
			if (err != NULL)
				goto out;
			break;
		}
		case '>':
			if (!partial_name_ok(src + a, b - a)) {
				err = mst_errmsg(u, t, "bad partial name \"%.*s\" (letters, digits, "
				    "_ - . and / between parts)", (int)(b - a), src + a);
				goto out;
			}
			op = op_add(u, MOP_PARTIAL, t);
			op->pname = xstrndup(src + a, b - a);
			if (standalone) {
				op->indent = xstrndup(src + tag_line, t - tag_line);
				op->indent_len = t - tag_line;
			}
			break;
		default:
			op = op_add(u, sigil == '{' || sigil == '&' ? MOP_RAW : MOP_VAR, t);
			msg = var_parse(op, src + a, b - a, true, &bad);
			break;
		}
		if (msg != NULL) {
			err = mst_errmsg(u, t, "%s: \"%s\"", msg, bad.data ? bad.data : "");
			goto out;
		}
	}
	text_add(u, text_start, len);
	if (nopen > 0)
		err = mst_errmsg(u, u->ops[open[nopen - 1]].pos, "unclosed section \"%s\"",
		    u->ops[open[nopen - 1]].name.s);
out:
	buf_free(&bad);
	return err;
}

struct mustache *
mustache_compile(const char *text, size_t len, const char *name,
    const struct mustache_loader *loader, struct diag_list *dl)
{
	struct mustache *tpl = xcalloc(1, sizeof *tpl);
	char *msg = NULL;

	unit_add(tpl, name, name, text ? xstrndup(text, len) : xstrdup(""), text ? len : 0);
	/* Units are parsed in the order first referenced; new ones go at the end. */
	for (size_t u = 0; u < tpl->n; u++) {
		if ((msg = unit_parse(&tpl->units[u])) != NULL)
			goto out;
		for (size_t i = 0; i < tpl->units[u].nops; i++) {
			const struct mop *op = &tpl->units[u].ops[i];
			size_t k;
			if (op->type != MOP_PARTIAL)
				continue;
			for (k = 1; k < tpl->n; k++)
				if (strcmp(tpl->units[k].name, op->pname) == 0)
					break;
			if (k == tpl->n) {
				size_t plen = 0;
				char *ppath = NULL, *ptext;
				if (tpl->n > MUSTACHE_MAX_PARTIALS) {
					msg = mst_errmsg(&tpl->units[u], op->pos,
					    "too many partials (limit %d)", MUSTACHE_MAX_PARTIALS);
					goto out;
				}
				ptext = loader == NULL || loader->load == NULL ? NULL :
				    loader->load(loader->arg, op->pname, &plen, &ppath);
				if (ptext == NULL) {
					free(ppath);
					msg = mst_errmsg(&tpl->units[u], op->pos,
					    "unknown partial \"%s\"", op->pname);
					goto out;
				}
				k = unit_add(tpl, op->pname, ppath ? ppath : op->pname, ptext, plen);
				free(ppath);
			}
			tpl->units[u].ops[i].unit = k;
		}
	}
out:
	if (msg != NULL) {
		mustache_free(tpl);
		mst_report_error(dl, "mustache.syntax", msg);
		return NULL;
	}
	return tpl;
}

/* ------------------------------------------------- escaping and loading */

void
mustache_escape_html(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		default:
			buf_putc(out, *s);
			break;
		}
	}
}

char *
mustache_load_dir(void *arg, const char *name, size_t *len, char **path)
{
	char *p = xasprintf("%s/%s.md", (const char *)arg, name);
	char chunk[8192];
	struct buf b;
	FILE *f;
	size_t n;
	char *text = NULL;

	char *dir_real = realpath((const char *)arg, NULL), *real = realpath(p, NULL);
	/* a partial is a file of the folder: a link out of it is not read */
	bool inside = dir_real != NULL && real != NULL && path_is_under(real, dir_real);

	free(dir_real);
	free(real);
	buf_init(&b);
	f = NULL;
	if (!inside || (f = fopen(p, "rb")) == NULL)
		goto out;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > PARTIAL_FILE_MAX)
			goto out;
		buf_put(&b, chunk, n);
	}
	if (ferror(f))
		goto out;
	*len = b.len;
	text = buf_detach(&b);
	*path = p;
	p = NULL;
out:
	if (f != NULL)
		fclose(f);
	buf_free(&b);
	free(p);
	return text;
}
