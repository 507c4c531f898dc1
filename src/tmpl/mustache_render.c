/*
 * mustache_render: executing a compiled template (see mustache.c): number
 * filters, name resolution, sections and partials.  Input: a struct
 * mustache and a struct tvalue context.  Output: text appended to a buf.
 */
#include "tmpl/mustache_int.h"

/* ---------------------------------------------------- number formatting */

/*
 * printf writes the locale's decimal point; reports always use ".".  The
 * conversion output holds only a sign, padding, digits, the decimal point
 * and an exponent, so any other run of bytes is the decimal point.
 */
static bool
is_numch(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' ||
	    c == 'E' || c == ' ';
}

static void
point_fix(struct buf *b, size_t from)
{
	size_t w = from;

	for (size_t r = from; r < b->len;) {
		if (is_numch(b->data[r])) {
			b->data[w++] = b->data[r++];
			continue;
		}
		b->data[w++] = '.';
		while (r < b->len && !is_numch(b->data[r]))
			r++;
	}
	b->len = w;
	b->data[w] = '\0';
}

/* Shortest text that reads back as v; integers without a decimal point. */
static void
num_default(struct buf *b, double v)
{
	char tmp[40];
	size_t from = b->len;

	if (!isfinite(v)) {
		buf_puts(b, "n/a");
		return;
	}
	if (v == 0) {
		buf_putc(b, '0');
		return;
	}
	if (v == trunc(v) && fabs(v) < 1e15) {
		buf_printf(b, "%.0f", v);
		return;
	}
	for (int p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_puts(b, tmp);
	point_fix(b, from);
}

/* v rounded to prec decimals, with "," every three digits and prefix after the sign. */
static void
num_grouped(struct buf *b, double v, int prec, const char *prefix)
{
	struct buf t;
	size_t intlen;

	if (!isfinite(v)) {
		buf_puts(b, "n/a");
		return;
	}
	v = fmt_round(v, prec);
	buf_init(&t);
	buf_printf(&t, "%.*f", prec, fabs(v));
	point_fix(&t, 0);
	if (v < 0)
		buf_putc(b, '-');
	buf_puts(b, prefix);
	for (intlen = 0; intlen < t.len && t.data[intlen] != '.'; intlen++)
		continue;
	for (size_t i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, t.data[i]);
	}
	buf_put(b, t.data + intlen, t.len - intlen);
	buf_free(&t);
}

static void
num_filter(struct buf *b, const struct mfilter *f, double v)
{
	size_t from;
	int prec;

	if (!isfinite(v) && f->type != MF_WORD) {
		buf_puts(b, "n/a");
		return;
	}
	switch (f->type) {
	case MF_PRINTF:
		buf_puts(b, f->a);
		from = b->len;
		if (f->conv == 'd') {
			double r = round(v);
			if (fabs(r) < 9e18)
				buf_printf(b, f->spec, (long long)r);
			else
				num_default(b, r);
		} else {
			if (f->conv == 'f')
				v = fmt_round(v, f->prec);
			buf_printf(b, f->spec, v == 0 ? 0.0 : v);
			point_fix(b, from);
		}
		buf_puts(b, f->b);
		break;
	case MF_GROUP:
		num_grouped(b, v, f->prec, "");
		break;
	case MF_PCT:
		from = b->len;
		v = fmt_round(v * 100, f->prec);
		buf_printf(b, "%.*f", f->prec, v);
		point_fix(b, from);
		buf_putc(b, '%');
		break;
	case MF_USD:
		prec = f->prec;
		if (prec < 0) {
			/* Cents, but a fraction of a cent keeps two significant digits. */
			prec = 2;
			if (v != 0 && fabs(v) < 0.01) {
				prec = (int)ceil(-log10(fabs(v))) + 1;
				prec = prec > 8 ? 8 : prec;
			}
		}
		num_grouped(b, v, prec, "$");
		break;
	case MF_PLURAL:
		if (v == trunc(v))
			num_grouped(b, v, 0, "");
		else
			num_default(b, v);
		buf_putc(b, ' ');
		/* FALLTHROUGH */
	case MF_WORD:
		buf_puts(b, fabs(v) == 1 ? f->a : f->b);
		break;
	default:
		break;
	}
}

static const char *
filter_name(const struct mfilter *f)
{
	switch (f->type) {
	case MF_PRINTF:
		return f->spec;
	case MF_GROUP:
		return ",";
	case MF_PCT:
		return "pct";
	case MF_USD:
		return "usd";
	case MF_PLURAL:
		return "plural";
	case MF_WORD:
		return "word";
	default:
		return "string";
	}
}

/* ------------------------------------------------------------ rendering */

struct rstate {
	const struct mustache *tpl;
	mustache_escape_fn *escape;
	struct buf *out;
	size_t out_start;               /* out->len on entry: restored on error */
	const struct tvalue *stack[MUSTACHE_MAX_CONTEXT];
	size_t depth;
	struct buf indent;              /* standalone partial indentation, nested */
	bool pending;                   /* at a template line start: indent first */
	struct buf scratch;             /* formatted values */
	size_t partial_depth;
	unsigned long steps;
	char *err;                      /* owned: the error, if any */
};

static void
emit_indent(struct rstate *st)
{
	if (st->pending && st->indent.len > 0)
		buf_put(st->out, st->indent.data, st->indent.len);
	st->pending = false;
}

/* Template text: inside an indented partial, each non-empty line gets the indent. */
static void
emit_text(struct rstate *st, const char *s, size_t n)
{
	if (st->indent.len == 0) {
		buf_put(st->out, s, n);
		return;
	}
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		if (s[0] != '\n' && s[0] != '\r')
			emit_indent(st);
		buf_put(st->out, s, k);
		s += k;
		n -= k;
		if (nl != NULL)
			st->pending = true;
	}
}

static const struct tvalue *
resolve(const struct rstate *st, const struct mname *nm)
{
	const struct tvalue *v = NULL;
	const struct mkey *k = nm->keys;

	if (nm->n == 0)
		return st->stack[st->depth - 1];
	/* The first key is looked up through the context stack, the rest strictly. */
	for (size_t d = st->depth; d-- > 0;)
		if ((v = tvalue_map_getn(st->stack[d], nm->s + k->off, k->len, k->hash)) != NULL)
			break;
	for (size_t i = 1; v != NULL && i < nm->n; i++)
		v = tvalue_map_getn(v, nm->s + k[i].off, k[i].len, k[i].hash);
	return v;
}

static int
interpolate(struct rstate *st, const struct munit *u, const struct mop *op)
{
	const struct tvalue *v = resolve(st, &op->name);
	struct buf *sc = &st->scratch;
	const char *s;
	enum tvalue_origin origin = TV_TRUSTED;

	buf_reset(sc);
	if (v == NULL || v->type == TV_NULL) {
		if (op->deflt < 0)
			return 0;
		s = op->filters[op->deflt].a;
	} else if (op->numeric >= 0) {
		if (v->type != TV_NUMBER) {
			st->err = mst_errmsg(u, op->pos, "\"%s\": the %s filter needs a number, got a %s",
			    op->name.s, filter_name(&op->filters[op->numeric]),
			    tvalue_type_name(v->type));
			return -1;
		}
		num_filter(sc, &op->filters[op->numeric], v->u.num);
		s = sc->data ? sc->data : "";
	} else {
		switch (v->type) {
		case TV_BOOL:
			s = v->u.b ? "true" : "false";
			break;
		case TV_NUMBER:
			num_default(sc, v->u.num);
			s = sc->data;
			break;
		case TV_STRING:
			s = v->u.str.s;
			origin = v->u.str.origin;
			break;
		default:
			st->err = mst_errmsg(u, op->pos, "\"%s\" is a %s: print its items with a section",
			    op->name.s, tvalue_type_name(v->type));
			return -1;
		}
	}
	for (size_t i = 0; i < op->nfilters; i++) {
		int up = op->filters[i].type == MF_UPPER;
		if (!up && op->filters[i].type != MF_LOWER)
			continue;
		if (s != sc->data) {
			buf_reset(sc);
			buf_puts(sc, s);
			s = sc->data;
		}
		for (char *p = sc->data; *p != '\0'; p++)
			if (up && *p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
			else if (!up && *p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	if (*s == '\0')
		return 0;
	emit_indent(st);
	if (op->type == MOP_RAW && origin == TV_TRUSTED)
		buf_puts(st->out, s);
	else
		st->escape(st->out, s);
	return 0;
}

static int render_ops(struct rstate *, const struct munit *, size_t, size_t);

/* Count one unit of work; fail once the render is clearly runaway. */
static int
step(struct rstate *st, const struct munit *u, const struct mop *op)
{
	if (++st->steps > MUSTACHE_MAX_STEPS) {
		st->err = mst_errmsg(u, op->pos, "rendering takes more than %d steps: "
		    "runaway nesting?", MUSTACHE_MAX_STEPS);
		return -1;
	}
	if (st->out->len - st->out_start > MUSTACHE_MAX_OUTPUT) {
		st->err = mst_errmsg(u, op->pos, "output larger than %u bytes",
		    MUSTACHE_MAX_OUTPUT);
		return -1;
	}
	return 0;
}

static int
render_body(struct rstate *st, const struct munit *u, const struct mop *op,
    size_t i, const struct tvalue *ctx)
{
	int rc;

	if (st->depth == MUSTACHE_MAX_CONTEXT) {
		st->err = mst_errmsg(u, op->pos, "sections nested too deeply (limit %d)",
		    MUSTACHE_MAX_CONTEXT);
		return -1;
	}
	if (step(st, u, op) == -1)     /* each list item costs, even with an empty body */
		return -1;
	st->stack[st->depth++] = ctx;
	rc = render_ops(st, u, i + 1, op->end);
	st->depth--;
	return rc;
}

static int
render_ops(struct rstate *st, const struct munit *u, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct mop *op = &u->ops[i];
		const struct tvalue *v;

		if (step(st, u, op) == -1)
			return -1;
		switch (op->type) {
		case MOP_TEXT:
			emit_text(st, u->src + op->off, op->len);
			break;
		case MOP_VAR:
		case MOP_RAW:
			if (interpolate(st, u, op) == -1)
				return -1;
			break;
		case MOP_SECTION:
			v = resolve(st, &op->name);
			if (!tvalue_truthy(v))
				;
			else if (v->type == TV_LIST) {
				for (size_t k = 0; k < v->u.list.n; k++)
					if (render_body(st, u, op, i, v->u.list.items[k]) == -1)
						return -1;
			} else if (render_body(st, u, op, i, v) == -1)
				return -1;
			i = op->end - 1;
			break;
		case MOP_INVERTED:
			v = resolve(st, &op->name);
			if (!tvalue_truthy(v) && render_ops(st, u, i + 1, op->end) == -1)
				return -1;
			i = op->end - 1;
			break;
		case MOP_PARTIAL: {
			const struct munit *pu = &st->tpl->units[op->unit];
			size_t saved = st->indent.len;
			int rc;
			if (st->partial_depth == MUSTACHE_MAX_PARTIAL_DEPTH) {
				st->err = mst_errmsg(u, op->pos, "partials nested more than %d deep "
				    "(recursive partial \"%s\"?)", MUSTACHE_MAX_PARTIAL_DEPTH,
				    op->pname);
				return -1;
			}
			if (op->indent != NULL) {
				buf_put(&st->indent, op->indent, op->indent_len);
				st->pending = true;
			}
			st->partial_depth++;
			rc = render_ops(st, pu, 0, pu->nops);
			st->partial_depth--;
			st->indent.len = saved;
			if (rc == -1)
				return -1;
			break;
		}
		}
	}
	return 0;
}

int
mustache_render(const struct mustache *tpl, const struct tvalue *ctx,
    mustache_escape_fn *escape, struct buf *out, struct diag_list *dl)
{
	struct rstate st;
	int rc;

	if (escape == NULL) {
		diag_add(dl, DIAG_ERROR, "mustache.no-escape",
		    NULL, "mustache_render: no escape function given");
		return -1;
	}
	memset(&st, 0, sizeof st);
	st.tpl = tpl;
	st.escape = escape;
	st.out = out;
	st.out_start = out->len;
	st.stack[0] = ctx;
	st.depth = 1;
	buf_init(&st.indent);
	buf_init(&st.scratch);
	rc = render_ops(&st, &tpl->units[0], 0, tpl->units[0].nops);
	if (rc == -1) {
		out->len = st.out_start;
		if (out->data != NULL)
			out->data[out->len] = '\0';
		if (st.err != NULL)
			mst_report_error(dl, "mustache.render-error", st.err);
		else
			diag_add(dl, DIAG_ERROR, "mustache.render-failed",
			    tpl->units[0].path, "the template failed");
		st.err = NULL;
	}
	buf_free(&st.indent);
	buf_free(&st.scratch);
	return rc;
}
