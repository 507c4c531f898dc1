/*
 * fuzz_template: libFuzzer entry point for the template engine.
 * Input: any bytes, split at the first two "\n%%\n" lines into a template,
 * the text of partial "in", and a data string.  The template is compiled
 * with a loader serving a few in-memory partials (one recursive, one from
 * the input), rendered against a small tvalue context whose strings are
 * UNTRUSTED pieces of the data, with md_escape_inline and with HTML
 * escaping; the data is also escaped on its own.  Checks: md_escape_inline
 * always yields valid UTF-8 on one line with no control characters, and a
 * failed render leaves the output as it was.
 * Build and run: scripts/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/md_escape.h"
#include "tmpl/mustache.h"
#include "tmpl/tvalue.h"
#include "base/util.h"

struct parts {
	const char *in;         /* partial "in" from the input */
	size_t in_len;
};

static const struct {
	const char *name, *text;
} fixed_partials[] = {
	{ "row", "| {{name}} | {{n|%.2f}} | {{{raw}}} |\n" },
	{ "list", "{{#items}}- {{.}}\n{{/items}}{{^items}}none{{/items}}" },
	{ "self", "{{#more}}[{{>self}}]{{/more}}" },
	{ "deep/in", "{{>in}}" },
};

static char *
load(void *arg, const char *name, size_t *len, char **path)
{
	const struct parts *p = arg;

	*path = NULL;
	if (strcmp(name, "in") == 0) {
		*len = p->in_len;
		return xstrndup(p->in, p->in_len);
	}
	for (size_t i = 0; i < sizeof fixed_partials / sizeof *fixed_partials; i++)
		if (strcmp(name, fixed_partials[i].name) == 0) {
			*len = strlen(fixed_partials[i].text);
			*path = xasprintf("partials/%s.md", name);
			return xstrdup(fixed_partials[i].text);
		}
	return NULL;
}

/* Next piece of s up to the separator; *rest moves past it (NULL at the end). */
static const char *
split(const char **rest, size_t *rest_len, size_t *piece_len)
{
	static const char sep[] = "\n%%\n";
	const char *s = *rest;
	size_t n = *rest_len;

	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, sep, 4) == 0) {
			*piece_len = i;
			*rest = s + i + 4;
			*rest_len = n - i - 4;
			return s;
		}
	*piece_len = n;
	*rest = s + n;
	*rest_len = 0;
	return s;
}

static struct tvalue *
context(const char *d, size_t len)
{
	struct tvalue *ctx = tvalue_map_new(), *items, *row, *rows, *more, *m;
	char *z = xstrndup(d, len);     /* NUL stops the string: as a ledger's would */

	tvalue_map_set(ctx, "name", tvalue_stringn(d, len, TV_UNTRUSTED));
	tvalue_map_set_str(ctx, "raw", z, TV_UNTRUSTED);
	tvalue_map_set_str(ctx, "trusted", "*ours* <b>", TV_TRUSTED);
	tvalue_map_set_num(ctx, "n", len > 0 ? (double)(signed char)d[0] * 1e3 / 7 : -0.0);
	tvalue_map_set_num(ctx, "big", len > 1 ? (double)d[1] * 1e300 : 1e308);
	tvalue_map_set_bool(ctx, "flag", len % 2 == 0);
	tvalue_map_set(ctx, "nothing", tvalue_null());
	items = tvalue_map_set(ctx, "items", tvalue_list_new());
	rows = tvalue_map_set(ctx, "rows", tvalue_list_new());
	for (size_t i = 0, start = 0; i <= len && tvalue_list_get(items, 15) == NULL; i++) {
		if (i < len && d[i] != ' ')
			continue;
		tvalue_list_push(items, tvalue_stringn(d + start, i - start, TV_UNTRUSTED));
		row = tvalue_list_push(rows, tvalue_map_new());
		tvalue_map_set(row, "name", tvalue_stringn(d + start, i - start, TV_UNTRUSTED));
		tvalue_map_set_num(row, "n", (double)i);
		start = i + 1;
	}
	/* "more" nests five levels: {{>self}} recurses until it runs out */
	more = ctx;
	for (int i = 0; i < 5; i++) {
		m = tvalue_map_set(more, "more", tvalue_map_new());
		tvalue_map_set_num(m, "level", i);
		more = m;
	}
	m = tvalue_map_set(ctx, "a", tvalue_map_new());
	m = tvalue_map_set(m, "b", tvalue_map_new());
	tvalue_map_set_str(m, "c", z, TV_UNTRUSTED);
	free(z);
	return ctx;
}

/* md_escape_inline's promise: valid UTF-8, one line, no controls. */
static void
check_escaped(const struct buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;

	for (size_t i = 0; i < b->len;) {
		size_t n = utf8_seq_len(p + i, b->len - i);
		if (n == 0 || (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			fprintf(stderr, "md_escape_inline wrote byte 0x%02x at %zu\n", p[i], i);
			abort();
		}
		i += n;
	}
}

static void
render(const struct mustache *tpl, const struct tvalue *ctx, mustache_escape_fn *esc)
{
	struct buf out;
	struct diag_list dl;

	buf_init(&out);
	diag_init(&dl);
	buf_puts(&out, "prefix");
	if (mustache_render(tpl, ctx, esc, &out, &dl) != 0) {
		if (diag_count(&dl, DIAG_ERROR) == 0 || out.len != 6 || memcmp(out.data, "prefix", 6) != 0) {
			fprintf(stderr, "failed render without a message or with output\n");
			abort();
		}
	}
	diag_free(&dl);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rest = (const char *)data, *tpl_text, *dat;
	size_t rest_len = size, tpl_len, dat_len;
	struct parts p;
	struct mustache_loader loader = { load, &p };
	struct mustache *tpl;
	struct tvalue *ctx;
	struct buf esc;
	struct diag_list dl;
	char *z;

	tpl_text = split(&rest, &rest_len, &tpl_len);
	p.in = split(&rest, &rest_len, &p.in_len);
	dat = rest;
	dat_len = rest_len;

	/* the escaper alone, on the data as a C string */
	z = xstrndup(dat, dat_len);
	buf_init(&esc);
	md_escape_inline(&esc, z);
	check_escaped(&esc);
	buf_free(&esc);
	free(z);

	diag_init(&dl);
	tpl = mustache_compile(tpl_text, tpl_len, "fuzz.md", &loader, &dl);
	if (tpl == NULL) {
		if (diag_count(&dl, DIAG_ERROR) == 0) {
			fprintf(stderr, "compile failed without a message\n");
			abort();
		}
		diag_free(&dl);
		return 0;
	}
	diag_free(&dl);
	ctx = context(dat, dat_len);
	render(tpl, ctx, md_escape_inline);
	render(tpl, ctx, mustache_escape_html);
	render(tpl, NULL, md_escape_inline);
	tvalue_free(ctx);
	mustache_free(tpl);
	return 0;
}
