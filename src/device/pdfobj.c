/*
 * pdfobj: the PDF syntax of ISO 32000-1 section 7.3 (objects), 7.5.4
 * (the cross-reference table) and 7.5.5 (the trailer), as far as the files
 * archaudit writes use it.  Input: a file in memory.  Output: an index of
 * its objects and, on request, one object as a tree of values.
 */
#include "device/pdfobj.h"

#include <limits.h>
#include <stdio.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64              /* nesting of arrays and dictionaries */
#define MAX_ITEMS 1000000         /* values in one array or dictionary */
#define MAX_XREF_SECTIONS 32      /* a chain of /Prev */

struct lex {
	const char *d;
	size_t len, pos;
	const char *err;          /* static text, set on the first error */
	size_t err_pos;
};

static bool
is_ws(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool
is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
	    c == '{' || c == '}' || c == '/' || c == '%';
}

static bool
is_regular(int c)
{
	return !is_ws(c) && !is_delim(c);
}

static bool
fail(struct lex *x, const char *why)
{
	if (x->err == NULL) {
		x->err = why;
		x->err_pos = x->pos;
	}
	return false;
}

static void
skip_ws(struct lex *x)
{
	while (x->pos < x->len) {
		int c = (unsigned char)x->d[x->pos];
		if (is_ws(c)) {
			x->pos++;
		} else if (c == '%') {
			while (x->pos < x->len && x->d[x->pos] != '\n' && x->d[x->pos] != '\r')
				x->pos++;
		} else {
			break;
		}
	}
}

/* A run of regular characters at pos (a number or keyword), without moving. */
static size_t
word_len(const struct lex *x, size_t pos)
{
	size_t k = pos;
	while (k < x->len && is_regular((unsigned char)x->d[k]))
		k++;
	return k - pos;
}

static bool
parse_uint(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!all_digits(s, n) || n > 18)
		return false;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	*out = v;
	return true;
}

static bool
keyword(struct lex *x, const char *kw)
{
	size_t n = strlen(kw);
	skip_ws(x);
	if (word_len(x, x->pos) != n || memcmp(x->d + x->pos, kw, n) != 0)
		return false;
	x->pos += n;
	return true;
}

static bool
read_uint(struct lex *x, unsigned long long *out)
{
	size_t n;
	skip_ws(x);
	n = word_len(x, x->pos);
	if (!parse_uint(x->d + x->pos, n, out))
		return false;
	x->pos += n;
	return true;
}

static bool parse_value(struct lex *x, struct pv *v, int depth);

static bool
push_item(struct lex *x, struct pv *v, size_t *cap, const struct pv *item)
{
	if (v->n >= MAX_ITEMS)
		return fail(x, "an array or dictionary is too long");
	if (v->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		v->items = xreallocarray(v->items, *cap, sizeof *v->items);
	}
	v->items[v->n++] = *item;
	return true;
}

/* The items of an array or dictionary up to the closing token close. */
static bool
parse_items(struct lex *x, struct pv *v, const char *close, int depth)
{
	size_t cap = 0, cl = strlen(close);

	for (;;) {
		struct pv item;
		skip_ws(x);
		if (x->pos >= x->len)
			return fail(x, "the file ends inside an array or dictionary");
		if (x->len - x->pos >= cl && memcmp(x->d + x->pos, close, cl) == 0) {
			x->pos += cl;
			break;
		}
		if (!parse_value(x, &item, depth + 1))
			return false;
		if (!push_item(x, v, &cap, &item)) {
			pv_free(&item);
			return false;
		}
	}
	if (v->kind == PV_DICT) {
		if (v->n % 2 != 0)
			return fail(x, "a dictionary key has no value");
		for (size_t k = 0; k < v->n; k += 2)
			if (v->items[k].kind != PV_NAME)
				return fail(x, "a dictionary key is not a name");
	}
	return true;
}

static bool
parse_literal_string(struct lex *x)
{
	int nest = 0;

	while (x->pos < x->len) {
		char c = x->d[x->pos++];
		if (c == '\\') {
			x->pos++;
		} else if (c == '(') {
			nest++;
		} else if (c == ')') {
			if (--nest == 0)
				return true;
		}
	}
	return fail(x, "a string is not closed");
}

static bool
parse_value(struct lex *x, struct pv *v, int depth)
{
	size_t start, n;
	int c;

	memset(v, 0, sizeof *v);
	if (depth > MAX_DEPTH)
		return fail(x, "objects nested too deeply");
	skip_ws(x);
	if (x->pos >= x->len)
		return fail(x, "the file ends where a value was expected");
	start = x->pos;
	c = (unsigned char)x->d[x->pos];
	if (c == '/') {
		x->pos++;
		x->pos += word_len(x, x->pos);
		v->kind = PV_NAME;
	} else if (c == '(') {
		if (!parse_literal_string(x))
			return false;
		v->kind = PV_STR;
	} else if (c == '<' && x->pos + 1 < x->len && x->d[x->pos + 1] == '<') {
		x->pos += 2;
		v->kind = PV_DICT;
		if (!parse_items(x, v, ">>", depth)) {
			pv_free(v);
			return false;
		}
		return true;
	} else if (c == '<') {
		const char *e = memchr(x->d + x->pos, '>', x->len - x->pos);
		if (e == NULL)
			return fail(x, "a hex string is not closed");
		x->pos = (size_t)(e - x->d) + 1;
		v->kind = PV_STR;
	} else if (c == '[') {
		x->pos++;
		v->kind = PV_ARRAY;
		if (!parse_items(x, v, "]", depth)) {
			pv_free(v);
			return false;
		}
		return true;
	} else if (is_regular(c)) {
		n = word_len(x, x->pos);
		if ((n == 4 && memcmp(x->d + x->pos, "true", 4) == 0) ||
		    (n == 5 && memcmp(x->d + x->pos, "false", 5) == 0)) {
			v->kind = PV_BOOL;
		} else if (n == 4 && memcmp(x->d + x->pos, "null", 4) == 0) {
			v->kind = PV_NULL;
		} else if (strchr("+-.0123456789", c) != NULL) {
			unsigned long long num, gen;
			struct lex save;
			v->kind = PV_NUM;
			x->pos += n;
			/* "N G R" is a reference */
			save = *x;
			if (parse_uint(x->d + start, n, &num) && read_uint(x, &gen) &&
			    keyword(x, "R")) {
				if (num == 0 || num >= PDF_IN_MAX_OBJECTS)
					return fail(x, "a reference to an object number out of range");
				v->kind = PV_REF;
				v->num = (uint32_t)num;
			} else {
				*x = save;
			}
			v->raw = x->d + start;
			v->len = (v->kind == PV_REF ? start + n : x->pos) - start;
			return true;
		} else {
			return fail(x, "an unknown keyword where a value was expected");
		}
		x->pos += n;
	} else {
		return fail(x, "an unexpected character where a value was expected");
	}
	v->raw = x->d + start;
	v->len = x->pos - start;
	return true;
}

void
pv_free(struct pv *v)
{
	for (size_t i = 0; i < v->n; i++)
		pv_free(&v->items[i]);
	free(v->items);
	v->items = NULL;
	v->n = 0;
}

void
pdf_obj_free(struct pdf_obj *o)
{
	pv_free(&o->v);
	memset(o, 0, sizeof *o);
}

const struct pv *
pv_get(const struct pv *d, const char *key)
{
	size_t kl = strlen(key);

	if (d == NULL || d->kind != PV_DICT)
		return NULL;
	for (size_t k = 0; k + 1 < d->n; k += 2)
		if (d->items[k].len == kl && memcmp(d->items[k].raw, key, kl) == 0)
			return &d->items[k + 1];
	return NULL;
}

bool
pv_is_name(const struct pv *v, const char *name)
{
	return v != NULL && v->kind == PV_NAME && v->len == strlen(name) &&
	    memcmp(v->raw, name, v->len) == 0;
}

bool
pv_int(const struct pv *v, long long *out)
{
	unsigned long long u;
	bool neg;
	const char *s;
	size_t n;

	if (v == NULL || v->kind != PV_NUM)
		return false;
	s = v->raw;
	n = v->len;
	neg = n > 0 && s[0] == '-';
	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		s++;
		n--;
	}
	if (!parse_uint(s, n, &u) || u > LLONG_MAX)
		return false;
	*out = neg ? -(long long)u : (long long)u;
	return true;
}

static void
put_sep(struct buf *out)
{
	if (out->len > 0) {
		char c = out->data[out->len - 1];
		if (is_regular((unsigned char)c))
			buf_putc(out, ' ');
	}
}

void
pv_write(struct buf *out, const struct pv *v, pv_map_fn map, void *ctx,
    const char *const *skip)
{
	switch (v->kind) {
	case PV_ARRAY:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->n; i++)
			pv_write(out, &v->items[i], map, ctx, NULL);
		buf_putc(out, ']');
		break;
	case PV_DICT:
		buf_puts(out, "<<");
		for (size_t k = 0; k + 1 < v->n; k += 2) {
			bool skipped = false;
			for (size_t s = 0; skip != NULL && skip[s] != NULL; s++)
				if (pv_is_name(&v->items[k], skip[s]))
					skipped = true;
			if (skipped)
				continue;
			pv_write(out, &v->items[k], map, ctx, NULL);
			pv_write(out, &v->items[k + 1], map, ctx, NULL);
		}
		buf_puts(out, ">>");
		break;
	case PV_REF:
		put_sep(out);
		buf_printf(out, "%u 0 R", map(ctx, v->num));
		break;
	case PV_NAME:
	case PV_STR:
		buf_put(out, v->raw, v->len);
		break;
	default:
		put_sep(out);
		buf_put(out, v->raw, v->len);
		break;
	}
}

/* ---- the cross-reference table --------------------------------------------------- */

enum { X_UNSET, X_OFFSET, X_IN_STREAM, X_FREE };

static int
open_fail(struct pdf_in *in, const struct lex *x, struct diag_list *dl, const char *why)
{
	if (why != NULL || x->err == NULL)
		diag_add(dl, DIAG_ERROR, "pdf.cannot-copy",
		    in->name, "not a PDF file archaudit can copy: %s",
		    why ? why : "damaged");
	else
		diag_add(dl, DIAG_ERROR, "pdf.cannot-copy",
		    in->name, "not a PDF file archaudit can copy: %s "
		    "(at byte %zu)", x->err, x->err_pos);
	pdf_in_close(in);
	return -1;
}

bool
pdf_in_has(const struct pdf_in *in, uint32_t num)
{
	return num > 0 && num < in->n_obj &&
	    (in->xref[num].type == X_OFFSET || in->xref[num].type == X_IN_STREAM);
}

/* Entry num, unless a later section set it already. */
static void
set_entry(struct pdf_in *in, uint64_t num, uint8_t type, uint64_t a, uint32_t b)
{
	if (num >= in->n_obj || in->xref[num].type != X_UNSET)
		return;
	in->xref[num].type = type;
	in->xref[num].a = a;
	in->xref[num].b = b;
}

static bool
size_index(struct pdf_in *in, const struct pv *trailer, struct lex *x)
{
	long long size;

	if (in->xref != NULL)
		return true;
	if (!pv_int(pv_get(trailer, "/Size"), &size) || size < 1 ||
	    size > PDF_IN_MAX_OBJECTS)
		return fail(x, "a missing or impossible /Size");
	in->n_obj = (uint32_t)size;
	in->xref = xcalloc((size_t)size, sizeof *in->xref);
	in->objstm = xcalloc((size_t)size, sizeof *in->objstm);
	return true;
}

/* A classic "xref" section at x->pos (after the keyword) and its trailer. */
static bool
read_xref_table(struct pdf_in *in, struct lex *x, struct pv *trailer)
{
	struct lex t;
	const char *kw;
	size_t from = x->pos;

	/* the trailer first: its /Size bounds the table */
	kw = NULL;
	for (size_t k = from; k + 7 <= x->len; k++)
		if (memcmp(x->d + k, "trailer", 7) == 0) {
			kw = x->d + k;
			break;
		}
	if (kw == NULL)
		return fail(x, "no trailer after the cross-reference table");
	t = *x;
	t.pos = (size_t)(kw - x->d) + 7;
	if (!parse_value(&t, trailer, 0)) {
		*x = t;
		return false;
	}
	if (trailer->kind != PV_DICT || !size_index(in, trailer, x))
		return fail(x, "the trailer is not a dictionary with a /Size");
	for (;;) {
		unsigned long long start, count;
		struct lex save = *x;
		if (!read_uint(x, &start) || !read_uint(x, &count)) {
			*x = save;
			break;
		}
		skip_ws(x);
		if (start > PDF_IN_MAX_OBJECTS || count > PDF_IN_MAX_OBJECTS - start)
			return fail(x, "a cross-reference section out of range");
		if (count > (x->len - x->pos) / 20)
			return fail(x, "the cross-reference table is cut short");
		for (unsigned long long k = 0; k < count; k++) {
			const char *e = x->d + x->pos + k * 20;
			unsigned long long off;
			if (!parse_uint(e, 10, &off) || e[10] != ' ' ||
			    (e[17] != 'n' && e[17] != 'f'))
				return fail(x, "a malformed cross-reference entry");
			if (e[17] == 'f') {
				set_entry(in, start + k, X_FREE, 0, 0);
				continue;
			}
			if (off == 0 || off >= x->len)
				return fail(x, "a cross-reference entry points outside the file");
			set_entry(in, start + k, X_OFFSET, off, 0);
		}
		x->pos += count * 20;
	}
	if (!keyword(x, "trailer"))
		return fail(x, "no trailer after the cross-reference table");
	return true;
}

/* Inflate (zlib) data into out, within what the file may still decode. */
static bool
inflate_into(struct pdf_in *in, const char *data, size_t len, struct buf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return false;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	do {
		if (out->len + in->inflated >= PDF_IN_MAX_INFLATED) {
			inflateEnd(&z);
			return false;
		}
		buf_grow(out, 65536);
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = 65536;
		rc = inflate(&z, Z_NO_FLUSH);
		out->len += 65536 - z.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&z);
	if (rc != Z_STREAM_END)
		return false;
	in->inflated += out->len;
	return true;
}

/* The decoded data of stream object o (FlateDecode or none). */
static bool
decode(struct pdf_in *in, const struct pdf_obj *o, struct buf *out, struct lex *x)
{
	const struct pv *f = pv_get(&o->v, "/Filter");

	if (pv_get(&o->v, "/DecodeParms") != NULL)
		return fail(x, "a stream with /DecodeParms (not written by archaudit)");
	if (f == NULL) {
		buf_put(out, o->stream, o->stream_len);
		return true;
	}
	if (!pv_is_name(f, "/FlateDecode"))
		return fail(x, "a stream filter other than /FlateDecode");
	if (!inflate_into(in, o->stream, o->stream_len, out))
		return fail(x, "a deflated stream that does not inflate (or inflates "
		    "past 64 MB)");
	return true;
}

static int get_at(const struct pdf_in *in, size_t pos, uint32_t num, const char *d,
    size_t len, struct pdf_obj *o, struct diag_list *dl);

static uint64_t
get_be(const unsigned char *p, long long w)
{
	uint64_t v = 0;
	for (long long i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* A cross-reference stream at x->pos: its entries, its dictionary as trailer. */
static bool
read_xref_stream(struct pdf_in *in, struct lex *x, struct pv *trailer)
{
	struct pdf_obj o;
	const struct pv *w, *index;
	long long ww[3], size;
	struct buf data;
	size_t at = 0, row;
	bool ok = false;

	struct diag_list quiet;         /* the reason goes into x, said once */

	diag_init(&quiet);
	if (get_at(in, x->pos, 0, in->data, in->len, &o, &quiet) != 0) {
		diag_free(&quiet);
		return fail(x, "no cross-reference table or stream where startxref points");
	}
	diag_free(&quiet);
	if (o.stream == NULL || !pv_is_name(pv_get(&o.v, "/Type"), "/XRef")) {
		pdf_obj_free(&o);
		return fail(x, "no cross-reference table or stream where startxref points");
	}
	buf_init(&data);
	w = pv_get(&o.v, "/W");
	index = pv_get(&o.v, "/Index");
	if (!size_index(in, &o.v, x) || !pv_int(pv_get(&o.v, "/Size"), &size))
		goto out;
	if (w == NULL || w->kind != PV_ARRAY || w->n != 3 ||
	    !pv_int(&w->items[0], &ww[0]) || !pv_int(&w->items[1], &ww[1]) ||
	    !pv_int(&w->items[2], &ww[2]) || ww[0] < 0 || ww[0] > 8 || ww[1] < 1 ||
	    ww[1] > 8 || ww[2] < 0 || ww[2] > 8) {
		fail(x, "a cross-reference stream with a bad /W");
		goto out;
	}
	if (index != NULL && (index->kind != PV_ARRAY || index->n % 2 != 0)) {
		fail(x, "a cross-reference stream with a bad /Index");
		goto out;
	}
	if (!decode(in, &o, &data, x))
		goto out;
	row = (size_t)(ww[0] + ww[1] + ww[2]);
	for (size_t k = 0; k < (index ? index->n : 2); k += 2) {
		long long start = 0, count = size;
		if (index != NULL && (!pv_int(&index->items[k], &start) ||
		    !pv_int(&index->items[k + 1], &count) || start < 0 || count < 0 ||
		    start > PDF_IN_MAX_OBJECTS || count > PDF_IN_MAX_OBJECTS)) {
			fail(x, "a cross-reference stream with a bad /Index");
			goto out;
		}
		for (long long i = 0; i < count; i++) {
			const unsigned char *e = (const unsigned char *)data.data + at;
			uint64_t type, a, b;
			if (data.len - at < row) {
				fail(x, "a cross-reference stream cut short");
				goto out;
			}
			type = ww[0] == 0 ? 1 : get_be(e, ww[0]);
			a = get_be(e + ww[0], ww[1]);
			b = get_be(e + ww[0] + ww[1], ww[2]);
			at += row;
			if (type == 0) {
				set_entry(in, (uint64_t)(start + i), X_FREE, 0, 0);
			} else if (type == 1) {
				if (a == 0 || a >= in->len) {
					fail(x, "a cross-reference entry points outside the file");
					goto out;
				}
				set_entry(in, (uint64_t)(start + i), X_OFFSET, a, 0);
			} else if (type == 2) {
				if (a == 0 || a >= PDF_IN_MAX_OBJECTS || b > UINT32_MAX) {
					fail(x, "a cross-reference entry names an impossible object stream");
					goto out;
				}
				set_entry(in, (uint64_t)(start + i), X_IN_STREAM, a, (uint32_t)b);
			}
		}
	}
	*trailer = o.v;                 /* the dictionary is the trailer */
	memset(&o.v, 0, sizeof o.v);
	ok = true;
out:
	buf_free(&data);
	pdf_obj_free(&o);
	return ok;
}

int
pdf_in_open(struct pdf_in *in, const char *name, const char *data, size_t len,
    struct diag_list *dl)
{
	struct lex x;
	const char *p = NULL;
	size_t from = len > 1024 ? len - 1024 : 0;
	unsigned long long at;
	long long v;
	bool first = true;

	memset(in, 0, sizeof *in);
	memset(&x, 0, sizeof x);
	in->name = name;
	in->data = data;
	in->len = len;
	x.d = data;
	x.len = len;
	if (len < 8 || memcmp(data, "%PDF-", 5) != 0)
		return open_fail(in, &x, dl, "no %PDF- header");
	for (size_t k = len; k >= from + 9; k--)
		if (memcmp(data + k - 9, "startxref", 9) == 0) {
			p = data + k;
			break;
		}
	if (p == NULL)
		return open_fail(in, &x, dl, "no startxref at the end (is the file cut short?)");
	x.pos = (size_t)(p - data);
	if (!read_uint(&x, &at) || at >= len)
		return open_fail(in, &x, dl, "startxref points outside the file");
	for (int s = 0; s < MAX_XREF_SECTIONS; s++) {
		struct pv trailer;
		const struct pv *prev;
		bool ok;
		memset(&trailer, 0, sizeof trailer);
		x.pos = (size_t)at;
		ok = keyword(&x, "xref") ? read_xref_table(in, &x, &trailer)
		    : read_xref_stream(in, &x, &trailer);
		if (ok && trailer.kind != PV_DICT)
			ok = fail(&x, "the trailer is not a dictionary");
		if (!ok) {
			pv_free(&trailer);
			return open_fail(in, &x, dl, NULL);
		}
		if (first) {
			const struct pv *r = pv_get(&trailer, "/Root");
			const struct pv *i = pv_get(&trailer, "/Info");
			if (r == NULL || r->kind != PV_REF || r->num >= in->n_obj) {
				pv_free(&trailer);
				return open_fail(in, &x, dl, "the trailer has no /Root");
			}
			in->root = r->num;
			in->info = i != NULL && i->kind == PV_REF && i->num < in->n_obj ? i->num : 0;
		}
		first = false;
		prev = pv_get(&trailer, "/Prev");
		if (prev == NULL) {
			pv_free(&trailer);
			return 0;
		}
		if (!pv_int(prev, &v) || v < 0 || (unsigned long long)v >= len) {
			pv_free(&trailer);
			return open_fail(in, &x, dl, "a /Prev outside the file");
		}
		at = (unsigned long long)v;
		pv_free(&trailer);
	}
	return open_fail(in, &x, dl, "too many cross-reference sections");
}

void
pdf_in_close(struct pdf_in *in)
{
	if (in->objstm != NULL)
		for (uint32_t k = 0; k < in->n_obj; k++)
			buf_free(&in->objstm[k]);
	free(in->objstm);
	free(in->xref);
	in->objstm = NULL;
	in->xref = NULL;
	in->n_obj = 0;
}

static int
get_fail(const struct pdf_in *in, uint32_t num, const struct lex *x,
    struct diag_list *dl, const char *why)
{
	if (why != NULL || x->err == NULL)
		diag_add(dl, DIAG_ERROR, "pdf.bad-object",
		    in->name, "object %u: %s", num,
		    why ? why : "damaged");
	else
		diag_add(dl, DIAG_ERROR, "pdf.bad-object",
		    in->name, "object %u: %s (at byte %zu)", num,
		    x->err, x->err_pos);
	return -1;
}

int pdf_in_get(const struct pdf_in *in, uint32_t num, struct pdf_obj *o,
    struct diag_list *dl);

/* The integer object num (an indirect stream /Length). */
static bool
indirect_int(const struct pdf_in *in, uint32_t num, long long *out)
{
	struct diag_list quiet;
	struct pdf_obj o;
	bool ok;

	if (!pdf_in_has(in, num))
		return false;
	diag_init(&quiet);
	ok = pdf_in_get(in, num, &o, &quiet) == 0 && o.stream == NULL && pv_int(&o.v, out);
	if (diag_count(&quiet, DIAG_ERROR) == 0)
		pdf_obj_free(&o);
	diag_free(&quiet);
	return ok;
}

/*
 * "NUM G obj VALUE [stream ...] endobj" at pos of d[0..len) (num 0: any
 * number).  Streams only in the file itself (in->data).
 */
static int
get_at(const struct pdf_in *in, size_t pos, uint32_t num, const char *d, size_t len,
    struct pdf_obj *o, struct diag_list *dl)
{
	struct lex x;
	unsigned long long n, g;
	long long slen;
	const struct pv *lv;

	memset(o, 0, sizeof *o);
	memset(&x, 0, sizeof x);
	x.d = d;
	x.len = len;
	x.pos = pos;
	if (!read_uint(&x, &n) || (num != 0 && n != num) || !read_uint(&x, &g) ||
	    !keyword(&x, "obj"))
		return get_fail(in, num, &x, dl, "the table points to something else");
	if (!parse_value(&x, &o->v, 0))
		return get_fail(in, num, &x, dl, NULL);
	if (keyword(&x, "endobj"))
		return 0;
	if (o->v.kind != PV_DICT || !keyword(&x, "stream")) {
		pdf_obj_free(o);
		return get_fail(in, num, &x, dl, "no endobj");
	}
	if (x.pos < x.len && x.d[x.pos] == '\r')
		x.pos++;
	if (x.pos >= x.len || x.d[x.pos] != '\n') {
		pdf_obj_free(o);
		return get_fail(in, num, &x, dl, "no line end after \"stream\"");
	}
	x.pos++;
	lv = pv_get(&o->v, "/Length");
	if (!(pv_int(lv, &slen) || (lv != NULL && lv->kind == PV_REF &&
	    indirect_int(in, lv->num, &slen))) || slen < 0 ||
	    (unsigned long long)slen > x.len - x.pos) {
		pdf_obj_free(o);
		return get_fail(in, num, &x, dl, "a stream /Length missing or past the end");
	}
	o->stream = x.d + x.pos;
	o->stream_len = (size_t)slen;
	x.pos += (size_t)slen;
	if (!keyword(&x, "endstream")) {
		pdf_obj_free(o);
		return get_fail(in, num, &x, dl, "no endstream where /Length ends");
	}
	return 0;
}

/* Item k of object stream sn: decoded once, kept until pdf_in_close. */
static int
get_in_stream(const struct pdf_in *cin, uint32_t num, uint32_t sn, uint32_t k,
    struct pdf_obj *o, struct diag_list *dl)
{
	struct pdf_in *in = (struct pdf_in *)cin;  /* the cache only */
	struct buf *b;
	struct lex x;
	long long n, first;

	memset(o, 0, sizeof *o);
	memset(&x, 0, sizeof x);
	if (sn >= in->n_obj || in->xref[sn].type != X_OFFSET)
		return get_fail(in, num, &x, dl, "its object stream is missing");
	b = &in->objstm[sn];
	if (b->data == NULL) {
		struct pdf_obj s;
		struct lex sx;
		memset(&sx, 0, sizeof sx);
		if (get_at(in, (size_t)in->xref[sn].a, sn, in->data, in->len, &s, dl) != 0)
			return -1;
		if (s.stream == NULL || !pv_is_name(pv_get(&s.v, "/Type"), "/ObjStm") ||
		    !decode(in, &s, b, &sx)) {
			pdf_obj_free(&s);
			buf_free(b);
			return get_fail(in, num, &sx, dl, sx.err ? NULL
			    : "its object stream is not one");
		}
		/* /N and /First go in front of the data, as text, to keep them */
		{
			char head[48];
			long long nn = 0, ff = 0;
			struct buf t;
			if (!pv_int(pv_get(&s.v, "/N"), &nn) || !pv_int(pv_get(&s.v, "/First"), &ff) ||
			    nn < 0 || ff < 0 || (unsigned long long)ff > b->len) {
				pdf_obj_free(&s);
				buf_free(b);
				return get_fail(in, num, &sx, dl, "an object stream with a bad /N or /First");
			}
			snprintf(head, sizeof head, "%lld %lld\n", nn, ff);
			buf_init(&t);
			buf_puts(&t, head);
			buf_put(&t, b->data, b->len);
			buf_free(b);
			*b = t;
		}
		pdf_obj_free(&s);
	}
	x.d = b->data;
	x.len = b->len;
	{
		unsigned long long nn, ff, on, oo = 0;
		size_t base;
		if (!read_uint(&x, &nn) || !read_uint(&x, &ff))
			return get_fail(in, num, &x, dl, "a damaged object stream");
		n = (long long)nn;
		first = (long long)ff;
		base = (size_t)(x.pos + 1);
		if (k >= (unsigned long long)n)
			return get_fail(in, num, &x, dl, "past the end of its object stream");
		for (uint32_t i = 0; i <= k; i++)
			if (!read_uint(&x, &on) || !read_uint(&x, &oo))
				return get_fail(in, num, &x, dl, "a damaged object stream index");
		if (on != num || base + (size_t)first + oo > x.len)
			return get_fail(in, num, &x, dl, "its object stream lists another object");
		x.pos = base + (size_t)first + (size_t)oo;
	}
	if (!parse_value(&x, &o->v, 0))
		return get_fail(in, num, &x, dl, NULL);
	return 0;
}

int
pdf_in_get(const struct pdf_in *in, uint32_t num, struct pdf_obj *o,
    struct diag_list *dl)
{
	struct lex x;

	memset(&x, 0, sizeof x);
	memset(o, 0, sizeof *o);
	if (!pdf_in_has(in, num))
		return get_fail(in, num, &x, dl, "not in the cross-reference table");
	if (in->xref[num].type == X_IN_STREAM)
		return get_in_stream(in, num, (uint32_t)in->xref[num].a, in->xref[num].b, o, dl);
	return get_at(in, (size_t)in->xref[num].a, num, in->data, in->len, o, dl);
}
