/*
 * ledger: the Design Ledger reader and validator (spec section 1).
 * Input: a file's bytes (ledger_file.c reads them).  Output: a struct
 * ledger (ledger.h) holding, for each chapter 1..16, the winning design:
 * the labs' fields reduced to plain values, the capstone's as written for
 * the check stage (check.c), with every problem reported as a warning
 * naming the file and the JSON path, or a fatal error (not JSON, wrong
 * top-level shape) as "file:line:col: ...".  The syntax is checked
 * strictly first (jsoncheck.c) so that every error has an exact place and
 * reason.  cJSON.h stays in the read stage (tests/e2e/layering.sh).
 */
#include "read/ledger.h"
#include "read/jsoncheck.h"
#include "read/jsonspan.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBE_LIMIT 60      /* bytes of a value quoted in a message */
#define TEXT_LIMIT 200         /* bytes of a non-string value kept as text */
#define ENTRY_VALUE_LIMIT 10000 /* JSON values in one history entry */
#define SMALL_VALUE_LIMIT 65536 /* bytes of an informational top-level value */

static const char *const context_names[CTX_COUNT] = {
	"cloud", "edge", "mobile", "tiny"
};

const char *
context_name(enum context c)
{
	return c >= 0 && c < CTX_COUNT ? context_names[c] : "none";
}

/* ---- describing values -------------------------------------------------- */

/* Compact JSON text of v, cut at limit bytes with "...". */
static void
describe_rec(const cJSON *v, struct buf *b, size_t limit, int depth)
{
	if (b->len > limit)
		return;
	if (cJSON_IsString(v)) {
		json_quote(b, v->valuestring, strlen(v->valuestring), limit);
	} else if (cJSON_IsNumber(v)) {
		char tmp[32];
		double d = v->valuedouble;
		/* "150" rather than "1.5e+02" or "150.0": as the ledger wrote it */
		if (d == floor(d) && fabs(d) < 1e16)
			snprintf(tmp, sizeof tmp, "%.0f", d);
		else
			fmt_double(tmp, d);
		buf_puts(b, tmp);
	} else if (cJSON_IsBool(v)) {
		buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		buf_puts(b, "null");
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		bool obj = cJSON_IsObject(v);
		buf_putc(b, obj ? '{' : '[');
		if (depth > 8 && v->child != NULL) {
			buf_puts(b, "...");
		} else {
			for (const cJSON *c = v->child; c != NULL; c = c->next) {
				if (b->len > limit)
					break;
				if (c != v->child)
					buf_putc(b, ',');
				if (obj && c->string != NULL) {
					cJSON key = { .type = cJSON_String,
					              .valuestring = c->string };
					describe_rec(&key, b, limit, depth + 1);
					buf_putc(b, ':');
				}
				describe_rec(c, b, limit, depth + 1);
			}
		}
		buf_putc(b, obj ? '}' : ']');
	} else {
		buf_puts(b, "?");
	}
}

static char *
describe(const cJSON *v, size_t limit)
{
	struct buf b;

	buf_init(&b);
	describe_rec(v, &b, limit, 0);
	if (b.len > limit) {
		/* cut on a character boundary */
		size_t n = limit;
		while (n > 0 && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		b.len = n;
		b.data[n] = '\0';
		buf_puts(&b, "...");
	}
	return buf_detach(&b);
}

/* ---- lookups with JSON's "last duplicate key wins" ---------------------- */

static const cJSON *
get(const cJSON *obj, const char *key, int *count)
{
	const cJSON *found = NULL;
	int n = 0;

	for (const cJSON *c = obj->child; c != NULL; c = c->next) {
		if (c->string != NULL && strcmp(c->string, key) == 0) {
			found = c;
			n++;
		}
	}
	if (count != NULL)
		*count = n;
	return found;
}

/* Every duplicated key of obj, once, as a warning at path. */
static void
warn_duplicates(struct ledger *l, const cJSON *obj, const char *path)
{
	size_t seen = 0;

	for (const cJSON *c = obj->child; c != NULL && seen < 64; c = c->next, seen++) {
		int n;
		if (c->string == NULL)
			continue;
		bool earlier = false;
		for (const cJSON *d = obj->child; d != c; d = d->next)
			if (d->string != NULL && strcmp(d->string, c->string) == 0)
				earlier = true;
		if (earlier)
			continue;
		get(obj, c->string, &n);
		if (n > 1) {
			char *k = utf8_quote(c->string, DESCRIBE_LIMIT);
			diag_add(&l->diags, DIAG_WARNING, "ledger.duplicate-key",
			    l->source,
			    "%s%skey %s appears %d times; the last one is used",
			    path, *path ? ": " : "", k, n);
			free(k);
		}
	}
}

/* The lab's truthiness: false, null, 0, "", [] and {} are false. */
static bool
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsFalse(v) || cJSON_IsNull(v))
		return false;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0.0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child != NULL;
	return true;
}

static void
lvalue_set(struct lvalue *lv, const cJSON *v)
{
	memset(lv, 0, sizeof *lv);
	if (v == NULL) {
		lv->kind = LV_ABSENT;
		return;
	}
	lv->truthy = truthy(v);
	if (cJSON_IsString(v)) {
		lv->kind = LV_STRING;
		lv->str = utf8_sanitize(v->valuestring, strlen(v->valuestring));
		return;
	}
	if (cJSON_IsNumber(v)) {
		lv->kind = LV_NUMBER;
		lv->num = v->valuedouble;
	} else if (cJSON_IsBool(v)) {
		lv->kind = LV_BOOL;
		lv->b = cJSON_IsTrue(v);
	} else if (cJSON_IsNull(v)) {
		lv->kind = LV_NULL;
	} else {
		lv->kind = LV_OTHER;
	}
	lv->str = describe(v, TEXT_LIMIT);
}

void
lvalue_free(struct lvalue *lv)
{
	free(lv->str);
	memset(lv, 0, sizeof *lv);
}

/* ---- the winning designs ------------------------------------------------- */

/* A flag read with the lab's truthiness; a non-boolean value is warned. */
static bool
read_flag(struct ledger *l, const cJSON *design, size_t idx, const char *key)
{
	const cJSON *v = get(design, key, NULL);

	if (v != NULL && !cJSON_IsBool(v)) {
		char *d = describe(v, DESCRIBE_LIMIT);
		diag_add(&l->diags, DIAG_WARNING, "ledger.design-not-bool",
		    l->source,
		    "history[%zu].design.%s: expected true or false, got %s; "
		    "read as %s", idx, key, d, truthy(v) ? "true" : "false");
		free(d);
	}
	return truthy(v);
}

/*
 * The lab's Act II decision and result, typed: a decision that is absent,
 * "none" or "" is none; a result counts when it is a finite number.
 */
static void
read_act2(struct ledger *l, int ch, const cJSON *design, size_t idx,
    struct lab_record *r)
{
	const cJSON *dec = get(design, "act2_decision", NULL);
	const cJSON *res = get(design, "act2_result", NULL);

	if (cJSON_IsString(dec)) {
		if (dec->valuestring[0] != '\0' && strcmp(dec->valuestring, "none") != 0)
			r->act2_decision = utf8_sanitize(dec->valuestring,
			    strlen(dec->valuestring));
	} else if (dec != NULL) {
		r->act2_decision = describe(dec, TEXT_LIMIT);
		if (ch == 10 || ch == 14)
			diag_add(&l->diags, DIAG_WARNING, "ledger.act2-decision-type",
			    l->source,
			    "history[%zu].design.act2_decision: expected a string, "
			    "got %s; shown as that text", idx, r->act2_decision);
	}
	if (!cJSON_IsNumber(res))
		return;
	r->has_act2_result = isfinite(res->valuedouble);
	r->act2_result = res->valuedouble;
	if (ch == 13 && !r->has_act2_result) {
		char *d = describe(res, TEXT_LIMIT);
		diag_add(&l->diags, DIAG_WARNING, "ledger.act2-result-not-p99",
		    l->source,
		    "history[%zu].design.act2_result: %s is not a P99 latency; "
		    "no P99 recommendation is made from it", idx, d);
		free(d);
	}
}

static void
read_lab(struct ledger *l, int ch, const cJSON *design, size_t idx)
{
	struct lab_record *r = &l->lab[ch];
	const cJSON *ctx;

	r->present = true;
	r->entry_index = idx;
	r->act1_correct = read_flag(l, design, idx, "act1_correct");
	r->constraint_hit = read_flag(l, design, idx, "constraint_hit");
	ctx = get(design, "context", NULL);
	if (ctx == NULL) {
		r->context = CTX_CLOUD;
	} else {
		r->context = CTX_NONE;
		for (int c = 0; c < CTX_COUNT; c++)
			if (cJSON_IsString(ctx) &&
			    strcmp(ctx->valuestring, context_name(c)) == 0)
				r->context = c;
		if (r->context == CTX_NONE) {
			char *d = describe(ctx, DESCRIBE_LIMIT);
			diag_add(&l->diags, DIAG_NOTE, "ledger.unknown-context",
			    l->source,
			    "history[%zu].design.context: %s is not one of "
			    "cloud, edge, mobile, tiny; this lab counts for no "
			    "context", idx, d);
			free(d);
		}
	}
	read_act2(l, ch, design, idx, r);
	warn_duplicates(l, design, "");
}

static void
read_capstone(struct ledger *l, const cJSON *design, size_t idx)
{
	struct capstone_record *c = &l->capstone;
	const cJSON *tiers = get(design, "tier_assignments", NULL);

	c->present = true;
	c->entry_index = idx;
	lvalue_set(&c->cloud_hardware, get(design, "cloud_hardware", NULL));
	lvalue_set(&c->quantization_strategy, get(design, "quantization_strategy", NULL));
	lvalue_set(&c->serving_strategy, get(design, "serving_strategy", NULL));
	lvalue_set(&c->tier_assignments, tiers);
	if (cJSON_IsObject(tiers)) {
		lvalue_set(&c->tier_cloud, get(tiers, "cloud", NULL));
		lvalue_set(&c->tier_edge, get(tiers, "edge", NULL));
		lvalue_set(&c->tier_mobile, get(tiers, "mobile", NULL));
		lvalue_set(&c->tier_tiny, get(tiers, "tiny", NULL));
	}
	lvalue_set(&c->retraining_cadence_days, get(design, "retraining_cadence_days", NULL));
	lvalue_set(&c->fairness_threshold_pct, get(design, "fairness_threshold_pct", NULL));
	lvalue_set(&c->act1_prediction, get(design, "act1_prediction", NULL));
	lvalue_set(&c->act2_prediction, get(design, "act2_prediction", NULL));
	lvalue_set(&c->p99_latency_ms, get(design, "p99_latency_ms", NULL));
	lvalue_set(&c->total_cost_per_req, get(design, "total_cost_per_req", NULL));
	lvalue_set(&c->system_valid, get(design, "system_valid", NULL));
	lvalue_set(&c->constraint_hit, get(design, "constraint_hit", NULL));
	lvalue_set(&c->labs_completed, get(design, "labs_completed", NULL));
	lvalue_set(&c->pct_correct, get(design, "pct_correct", NULL));
	lvalue_set(&c->weakest_invariant, get(design, "weakest_invariant", NULL));
	warn_duplicates(l, design, "");
}

/* ---- the whole file -------------------------------------------------------- */

/*
 * A value's compact JSON text for a message (white space outside strings
 * dropped, as describe() prints it), cut after DESCRIBE_LIMIT bytes on a
 * character boundary; caller frees.
 */
static char *
span_snippet(const char *text, struct jspan span)
{
	struct buf b;
	size_t n = span.len < DESCRIBE_LIMIT ? span.len : DESCRIBE_LIMIT;
	char *raw, *out;

	while (n < span.len && n > 0 &&
	    ((unsigned char)text[span.off + n] & 0xc0) == 0x80)
		n--;
	raw = utf8_sanitize(text + span.off, n);
	buf_init(&b);
	bool in_str = false;
	for (const char *p = raw; *p; p++) {
		bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (in_str && *p == '\\' && p[1] != '\0') {
			buf_putc(&b, *p++);
		} else if (*p == '"') {
			in_str = !in_str;
		} else if (ws && !in_str) {
			continue;
		}
		buf_putc(&b, *p);
	}
	if (n < span.len)
		buf_puts(&b, "...");
	out = buf_detach(&b);
	free(raw);
	return out;
}

/* The key of a member, unescaped; caller frees. */
static char *
span_key(const char *text, struct jspan k)
{
	cJSON *s;
	char *out;

	if (memchr(text + k.off, '\\', k.len) == NULL)
		return xstrndup(text + k.off + 1, k.len - 2);
	s = cJSON_ParseWithLength(text + k.off, k.len);
	out = xstrdup(cJSON_IsString(s) ? s->valuestring : "");
	cJSON_Delete(s);
	return out;
}

/* ---- Python's NaN, Infinity and -Infinity ------------------------------- */

/* A key as a step of a JSON path: .name, or ["..."] when it is not a plain name. */
static void
path_key(struct buf *path, const char *text, struct jspan key)
{
	char *k = span_key(text, key);
	size_t n = strlen(k);
	bool plain = n > 0 && n <= DESCRIBE_LIMIT && !(k[0] >= '0' && k[0] <= '9') &&
	    strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") == n;

	if (plain) {
		if (path->len > 0)
			buf_putc(path, '.');
		buf_puts(path, k);
	} else {
		char *q = utf8_quote(k, DESCRIBE_LIMIT);
		buf_printf(path, "[%s]", q);
		free(q);
	}
	free(k);
}

/*
 * One warning per NaN, Infinity or -Infinity in span (a value whose path
 * is prefix), naming its JSON path.  w is scratch space.  Once the list of
 * diagnostics is full, the rest are only counted (no path is built).
 */
static void
warn_nonfinite(struct ledger *l, const char *text, struct jspan span,
    const char *prefix, struct jsonspan_walk *w)
{
	struct jspan word;
	struct buf path;
	size_t ordinal, base;
	double v;

	buf_init(&path);
	buf_puts(&path, prefix);
	base = path.len;
	jsonspan_walk_init(w, text, span);
	while (jsonspan_walk_next(w, &word, &ordinal, &v)) {
		if (l->diags.n >= l->diags.max) {
			diag_add(&l->diags, DIAG_WARNING, "ledger.dropped",
			    l->source, "%s", "");
			continue;
		}
		path.len = base;
		path.data[base] = '\0';
		for (size_t i = 0; i < w->depth; i++) {
			if (w->frames[i].object)
				path_key(&path, text, w->frames[i].key);
			else
				buf_printf(&path, "[%zu]", w->frames[i].index);
		}
		diag_add(&l->diags, DIAG_WARNING, "ledger.non-finite-number",
		    l->source,
		    "%s: %.*s is not JSON (Python's json.dump writes it for a "
		    "non-finite float); read as that value", path.data,
		    (int)word.len, text + word.off);
	}
	buf_free(&path);
}

/* Give the nodes at the given document-order indexes their numbers. */
static void
restore_nonfinite(cJSON *v, size_t *index, const size_t *ordinals,
    const double *values, size_t n, size_t *next)
{
	for (; v != NULL && *next < n; v = v->next) {
		if (*index == ordinals[*next]) {
			v->type = cJSON_Number;
			v->valuedouble = values[*next];
			v->valueint = 0;
			(*next)++;
		}
		(*index)++;
		if (v->child != NULL)
			restore_nonfinite(v->child, index, ordinals, values, n, next);
	}
}

/*
 * A value parsed by cJSON, which knows no NaN or Infinity: when the file
 * has them (w, scratch space, is not NULL), each is handed to cJSON as null
 * and given its number afterwards, found again by its place among the
 * values (not by a marker that a student's text could forge).  n_values
 * bounds the words.
 */
static cJSON *
parse_value(const char *text, struct jspan span, size_t n_values,
    struct jsonspan_walk *w)
{
	struct jspan word;
	size_t ordinal, n = 0, from = span.off, index = 0, next = 0;
	size_t *ordinals;
	double v, *values;
	struct buf b;
	cJSON *e;

	if (w == NULL)
		return cJSON_ParseWithLength(text + span.off, span.len);
	ordinals = xreallocarray(NULL, n_values, sizeof *ordinals);
	values = xreallocarray(NULL, n_values, sizeof *values);
	buf_init(&b);
	jsonspan_walk_init(w, text, span);
	while (n < n_values && jsonspan_walk_next(w, &word, &ordinal, &v)) {
		buf_put(&b, text + from, word.off - from);
		buf_puts(&b, "null");
		from = word.off + word.len;
		ordinals[n] = ordinal;
		values[n++] = v;
	}
	if (n == 0) {
		e = cJSON_ParseWithLength(text + span.off, span.len);
	} else {
		buf_put(&b, text + from, span.off + span.len - from);
		e = cJSON_ParseWithLength(b.data, b.len);
		restore_nonfinite(e, &index, ordinals, values, n, &next);
	}
	buf_free(&b);
	free(ordinals);
	free(values);
	return e;
}

/*
 * One history entry, parsed on its own: returns its tree when it is a
 * valid Volume I chapter 1..16 (the caller keeps it as that chapter's
 * winner so far), NULL otherwise (skipped, noted, or another chapter).
 */
static cJSON *
read_entry(struct ledger *l, const char *text, struct jspan span, size_t idx,
    struct jsonspan_walk *w, int *chapter, const cJSON **design_out)
{
	size_t n_values = jsonspan_count_values(text, span);
	const cJSON *ch, *design;
	cJSON *e;
	double c = 0.0;

	if (w != NULL) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "history[%zu]", idx);
		warn_nonfinite(l, text, span, prefix, w);
	}
	if (text[span.off] != '{') {
		/* not an object: said from the text, without building a tree */
		char *d = span_snippet(text, span);
		diag_add(&l->diags, DIAG_WARNING, "ledger.entry-not-object",
		    l->source,
		    "history[%zu]: expected an object, got %s; entry skipped",
		    idx, d);
		free(d);
		l->n_skipped++;
		return NULL;
	}
	if (n_values > ENTRY_VALUE_LIMIT) {
		diag_add(&l->diags, DIAG_WARNING, "ledger.entry-too-large",
		    l->source,
		    "history[%zu]: an entry of %zu JSON values (a lab saves a few "
		    "dozen); entry skipped", idx, n_values);
		l->n_skipped++;
		return NULL;
	}
	e = parse_value(text, span, n_values, w);
	if (e == NULL) {
		diag_add(&l->diags, DIAG_WARNING, "ledger.entry-unreadable",
		    l->source,
		    "history[%zu]: could not be read; entry skipped", idx);
		l->n_skipped++;
		return NULL;
	}
	if (!cJSON_IsObject(e)) {
		char *d = describe(e, DESCRIBE_LIMIT);
		diag_add(&l->diags, DIAG_WARNING, "ledger.entry-not-object",
		    l->source,
		    "history[%zu]: expected an object, got %s; entry "
		    "skipped", idx, d);
		free(d);
		l->n_skipped++;
		goto drop;
	}
	warn_duplicates(l, e, "");
	ch = get(e, "chapter", NULL);
	design = get(e, "design", NULL);
	if (cJSON_IsString(ch)) {
		char *s = utf8_quote(ch->valuestring, DESCRIBE_LIMIT);
		diag_add(&l->diags, DIAG_NOTE, "ledger.volume-two-chapter",
		    l->source,
		    "history[%zu]: chapter %s is not a Volume I lab "
		    "(Volume II labs write string chapters); left out of "
		    "every count", idx, s);
		free(s);
		l->n_vol2++;
		goto drop;
	}
	if (ch != NULL && !(cJSON_IsNumber(ch) && isfinite(ch->valuedouble) &&
	    floor(ch->valuedouble) == ch->valuedouble)) {
		char *d = describe(ch, DESCRIBE_LIMIT);
		diag_add(&l->diags, DIAG_WARNING, "ledger.chapter-type",
		    l->source,
		    "history[%zu].chapter: expected an integer, got %s; "
		    "entry skipped", idx, d);
		free(d);
		l->n_skipped++;
		goto drop;
	}
	if (design != NULL && !cJSON_IsObject(design)) {
		char *d = describe(design, DESCRIBE_LIMIT);
		diag_add(&l->diags, DIAG_WARNING, "ledger.design-not-object",
		    l->source,
		    "history[%zu].design: expected an object, got %s; "
		    "entry skipped", idx, d);
		free(d);
		l->n_skipped++;
		goto drop;
	}
	if (ch != NULL)
		c = ch->valuedouble;
	if (c >= 1 && c <= CAPSTONE_CHAPTER) {
		*chapter = (int)c;
		*design_out = design;           /* NULL stands for {} */
		return e;
	}
	l->n_other++;
	diag_add(&l->diags, DIAG_NOTE, "ledger.unknown-chapter", l->source,
	    "history[%zu]: chapter %.0f is not one of the labs 1-16%s; not "
	    "counted", idx, c == 0 ? 0.0 : c,
	    c == 0 ? " (it is the introduction lab)" : "");
drop:
	cJSON_Delete(e);
	return NULL;
}

/*
 * The history array, one entry at a time: only the winning (last valid)
 * entry of each chapter is kept as a tree, so memory stays bounded by 16
 * entries whatever the file holds.
 */
static void
read_history(struct ledger *l, const char *text, size_t len, size_t pos,
    struct jsonspan_walk *w)
{
	cJSON *tree[CAPSTONE_CHAPTER + 1] = { NULL };
	const cJSON *winner[CAPSTONE_CHAPTER + 1] = { NULL };
	size_t winner_idx[CAPSTONE_CHAPTER + 1] = { 0 };
	struct jsonspan_iter it;
	struct jspan span;
	size_t idx = 0;

	jsonspan_iter_init(&it, text, len, pos);
	for (; jsonspan_iter_next(&it, NULL, &span); idx++) {
		const cJSON *design = NULL;
		int c = 0;
		cJSON *e;

		l->n_history++;
		if ((e = read_entry(l, text, span, idx, w, &c, &design)) == NULL)
			continue;
		cJSON_Delete(tree[c]);
		tree[c] = e;
		winner[c] = design;
		winner_idx[c] = idx;
		l->lab_seen[c] = true;
	}

	cJSON empty = { .type = cJSON_Object };
	for (int c = 1; c <= N_LABS; c++)
		if (l->lab_seen[c])
			read_lab(l, c, winner[c] ? winner[c] : &empty, winner_idx[c]);
	if (l->lab_seen[CAPSTONE_CHAPTER]) {
		const cJSON *d = winner[CAPSTONE_CHAPTER];
		read_capstone(l, d ? d : &empty, winner_idx[CAPSTONE_CHAPTER]);
	}
	for (int c = 0; c <= CAPSTONE_CHAPTER; c++)
		cJSON_Delete(tree[c]);
}

/*
 * JSON text is UTF-8 (RFC 8259); cJSON takes any bytes and the model
 * replaces bad ones with U+FFFD.  Say so once, at the first bad byte.
 */
static void
warn_bad_utf8(struct ledger *l, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, line = 1, col = 1, n;

	while (i < len && (n = utf8_seq_len(p + i, len - i)) != 0) {
		if (p[i] == '\n') {
			line++;
			col = 0;
		}
		col++;
		i += n;
	}
	if (i == len)
		return;
	char *where = xasprintf("%s:%zu:%zu", l->source, line, col);
	diag_add(&l->diags, DIAG_WARNING, "ledger.invalid-utf8",
	    where, "invalid UTF-8 in a string "
	    "(was the file saved in another encoding?); such bytes read as "
	    "U+FFFD");
	free(where);
}

/* What a value is, from its first byte (the text is valid JSON). */
static const char *
span_type(const char *text, struct jspan v)
{
	switch (text[v.off]) {
	case '{':
		return "an object";
	case '[':
		return "an array";
	case '"':
		return "a string";
	case 't':
	case 'f':
		return "a boolean";
	case 'n':
		return "null";
	default:
		return "a number";
	}
}

/* A small value (a key, an informational string) as a tree; NULL if big. */
static cJSON *
parse_small(const char *text, struct jspan v)
{
	if (v.len > SMALL_VALUE_LIMIT)
		return NULL;
	return cJSON_ParseWithLength(text + v.off, v.len);
}

static const char *const known_keys[] = {
	"track", "current_chapter", "history", "last_updated"
};
#define N_KNOWN (sizeof known_keys / sizeof *known_keys)

static char *
opt_string(const char *text, const struct jspan *v, bool have)
{
	cJSON *s;
	char *out = NULL;

	if (!have || text[v->off] != '"' || (s = parse_small(text, *v)) == NULL)
		return NULL;
	if (cJSON_IsString(s))
		out = utf8_sanitize(s->valuestring, strlen(s->valuestring));
	cJSON_Delete(s);
	return out;
}

struct ledger *
ledger_parse(const char *source, const char *text, size_t len,
    struct diag_list *errs)
{
	struct ledger *l;
	struct jsonspan_iter it;
	struct jspan key, val, known[N_KNOWN];
	int count[N_KNOWN] = { 0 };
	size_t skip = 0, bad, pos, n_words = 0;
	const char *why, *why_id;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	pos = jsonspan_skip_ws(text, len, skip);
	if (pos == len) {
		diag_add(errs, DIAG_ERROR, "ledger.empty",
		    source, "the file is empty: not a ledger");
		return NULL;
	}
	if (!jsoncheck_python(text, len, &n_words, &bad, &why_id, &why)) {
		jsoncheck_report(errs, why_id, source, text, len, bad, why);
		return NULL;
	}
	if (text[pos] != '{') {
		struct jspan all = { pos, len - pos };
		diag_add(errs, DIAG_ERROR, "ledger.not-an-object", source,
		    "the top level is %s; a ledger is a JSON object "
		    "{\"history\": [...], ...}", span_type(text, all));
		return NULL;
	}

	l = xcalloc(1, sizeof *l);
	l->source = xstrdup(source);
	diag_init(&l->diags);
	if (skip)
		diag_add(&l->diags, DIAG_NOTE, "ledger.bom", source,
		    "the file starts with a UTF-8 byte-order mark; ignored");
	warn_bad_utf8(l, text, len);

	/* the top-level members: the last of each known key wins */
	jsonspan_iter_init(&it, text, len, pos);
	while (jsonspan_iter_next(&it, &key, &val)) {
		char *k = span_key(text, key);
		size_t i;
		for (i = 0; i < N_KNOWN; i++)
			if (strcmp(k, known_keys[i]) == 0)
				break;
		if (i < N_KNOWN) {
			known[i] = val;
			count[i]++;
		} else {
			char *q = utf8_quote(k, DESCRIBE_LIMIT);
			diag_add(&l->diags, DIAG_WARNING, "ledger.unknown-key",
			    source,
			    "unknown top-level key %s; ignored", q);
			free(q);
		}
		free(k);
	}
	for (size_t i = 0; i < N_KNOWN; i++)
		if (count[i] > 1)
			diag_add(&l->diags, DIAG_WARNING, "ledger.duplicate-key",
			    source,
			    "key \"%s\" appears %d times; the last one is used",
			    known_keys[i], count[i]);
	/* Python's words outside the history's entries (those are read with them) */
	struct jsonspan_walk *walk = n_words > 0 ? xmalloc(sizeof *walk) : NULL;
	jsonspan_iter_init(&it, text, len, pos);
	while (walk != NULL && jsonspan_iter_next(&it, &key, &val)) {
		struct buf k;
		if (count[2] > 0 && val.off == known[2].off && text[val.off] == '[')
			continue;
		buf_init(&k);
		path_key(&k, text, key);
		warn_nonfinite(l, text, val, k.data ? k.data : "", walk);
		buf_free(&k);
	}
	l->track = opt_string(text, &known[0], count[0] > 0);
	l->last_updated = opt_string(text, &known[3], count[3] > 0);
	if (l->last_updated != NULL) {
		int y, m, d;
		if (!iso_date_parse(l->last_updated, &y, &m, &d)) {
			char *q = utf8_quote(l->last_updated, DESCRIBE_LIMIT);
			diag_add(&l->diags, DIAG_WARNING, "ledger.bad-date",
			    source, "last_updated: %s is "
			    "not a date (YYYY-MM-DD from 1970 to 9999); the report is "
			    "not dated by it", q);
			free(q);
		}
	}

	if (count[2] == 0) {
		diag_add(&l->diags, DIAG_NOTE, "ledger.no-history", source,
		    "no \"history\" key: the ledger records no labs");
	} else if (text[known[2].off] == '{') {
		/* mlsysim's DesignLedger: {"current_step", "history": {step: design}} */
		diag_add(errs, DIAG_ERROR, "ledger.history-by-step", source,
		    "history is an object keyed by step: this ledger comes from a "
		    "later edition of the labs ({\"current_step\": ..., "
		    "\"history\": {\"<step>\": {...}}}); archaudit reads the "
		    "Volume I labs' ledger, whose history is a list of "
		    "{\"chapter\": N, \"design\": {...}} entries");
		ledger_free(l);
		l = NULL;
	} else if (text[known[2].off] != '[') {
		diag_add(errs, DIAG_ERROR, "ledger.history-type", source,
		    "history: expected an array of entries, got %s",
		    span_type(text, known[2]));
		ledger_free(l);
		l = NULL;
	} else {
		read_history(l, text, len, known[2].off, walk);
	}
	free(walk);
	return l;
}

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	for (int c = 0; c <= N_LABS; c++)
		free(l->lab[c].act2_decision);
	struct capstone_record *c = &l->capstone;
	struct lvalue *all[] = {
		&c->cloud_hardware, &c->quantization_strategy, &c->serving_strategy,
		&c->tier_assignments, &c->tier_cloud, &c->tier_edge,
		&c->tier_mobile, &c->tier_tiny, &c->retraining_cadence_days,
		&c->fairness_threshold_pct, &c->act1_prediction,
		&c->act2_prediction, &c->p99_latency_ms, &c->total_cost_per_req,
		&c->system_valid, &c->constraint_hit, &c->labs_completed,
		&c->pct_correct, &c->weakest_invariant,
	};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		lvalue_free(all[i]);
	free(l->source);
	free(l->track);
	free(l->last_updated);
	diag_free(&l->diags);
	free(l);
}
