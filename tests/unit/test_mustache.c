/*
 * test_mustache: the template stage.  Runs every test of the core Mustache
 * spec files (tests/data/mustache-spec, or $ARCHAUDIT_SHARED/mustache-spec:
 * testdata.h), then table-driven cases for filters, error messages,
 * render bounds and Markdown injection (checked by parsing the escaped
 * text with md4c, GitHub dialect, raw HTML allowed).  Run from the repo root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <md4c.h>

#include "tmpl/md_escape.h"
#include "tmpl/mustache.h"
#include "testdata.h"
#include "tmpl/tvalue.h"
#include "base/util.h"

/* ------------------------------------------------------------ helpers */

static struct tvalue *
from_json(const cJSON *j, enum tvalue_origin origin)
{
	struct tvalue *v;
	const cJSON *c;

	if (cJSON_IsObject(j)) {
		v = tvalue_map_new();
		cJSON_ArrayForEach(c, j)
			tvalue_map_set(v, c->string, from_json(c, origin));
		return v;
	}
	if (cJSON_IsArray(j)) {
		v = tvalue_list_new();
		cJSON_ArrayForEach(c, j)
			tvalue_list_push(v, from_json(c, origin));
		return v;
	}
	if (cJSON_IsString(j))
		return tvalue_string(j->valuestring, origin);
	if (cJSON_IsNumber(j))
		return tvalue_number(j->valuedouble);
	if (cJSON_IsBool(j))
		return tvalue_bool(cJSON_IsTrue(j));
	return tvalue_null();
}

static struct tvalue *
ctx_json(const char *json, enum tvalue_origin origin)
{
	cJSON *j = cJSON_Parse(json);
	struct tvalue *v;

	if (j == NULL)
		fail_msg("bad test JSON: %s", json);
	v = from_json(j, origin);
	cJSON_Delete(j);
	return v;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* Loader over a cJSON object of partials; spec mode: a missing one is "". */
struct json_partials {
	const cJSON *obj;
	bool spec;
};

static char *
json_loader(void *arg, const char *name, size_t *len, char **path)
{
	const struct json_partials *jp = arg;
	const cJSON *p = jp->obj ? cJSON_GetObjectItemCaseSensitive(jp->obj, name) : NULL;

	if (!cJSON_IsString(p)) {
		if (!jp->spec)
			return NULL;
		/* The spec: "the empty string should be used when the named partial is not found". */
		*len = 0;
		return xstrdup("");
	}
	*path = xasprintf("templates/partials/%s.md", name);
	*len = strlen(p->valuestring);
	return xstrdup(p->valuestring);
}

/* The first message of dl as the program prints it, or NULL (caller frees); frees dl. */
static char *
take_msg(struct diag_list *dl)
{
	char *s = NULL;

	if (dl->n > 0) {
		struct buf b;
		buf_init(&b);
		diag_format(&dl->items[0], &b);
		s = buf_detach(&b);
	}
	diag_free(dl);
	return s;
}

/* Compile and render in one go; returns output or "ERR:" + message (caller frees). */
static char *
render(const char *tpl, const char *partials_json, struct tvalue *ctx,
    mustache_escape_fn *esc)
{
	cJSON *pj = partials_json ? cJSON_Parse(partials_json) : NULL;
	struct json_partials jp = { pj, false };
	struct mustache_loader loader = { json_loader, &jp };
	struct mustache *m;
	struct buf out;
	struct diag_list dl;
	char *err, *res;

	buf_init(&out);
	diag_init(&dl);
	m = mustache_compile(tpl, strlen(tpl), "t.md", &loader, &dl);
	if (m == NULL || mustache_render(m, ctx, esc, &out, &dl) == -1) {
		err = take_msg(&dl);
		res = xasprintf("ERR:%s", err);
		free(err);
	} else
		res = buf_detach(&out);
	diag_free(&dl);
	buf_free(&out);
	mustache_free(m);
	cJSON_Delete(pj);
	return res;
}

/* ------------------------------------------------------------ the spec */

static int spec_total, spec_passed;

static void
run_spec_file(const char *module)
{
	char *path = xasprintf("%s/mustache-spec/%s.json", test_data_dir(), module);
	char *text = slurp(path);
	cJSON *doc, *tests, *t;
	int n = 0, ok = 0;

	if (text == NULL)
		fail_msg("cannot read %s", path);
	doc = cJSON_Parse(text);
	assert_non_null(doc);
	tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
	assert_true(cJSON_IsArray(tests));
	cJSON_ArrayForEach(t, tests) {
		const char *name = cJSON_GetObjectItemCaseSensitive(t, "name")->valuestring;
		const char *tpl = cJSON_GetObjectItemCaseSensitive(t, "template")->valuestring;
		const char *want = cJSON_GetObjectItemCaseSensitive(t, "expected")->valuestring;
		struct json_partials jp = { cJSON_GetObjectItemCaseSensitive(t, "partials"), true };
		struct mustache_loader loader = { json_loader, &jp };
		/* Spec data is trusted: {{{x}}} must print it raw. */
		struct tvalue *ctx = from_json(cJSON_GetObjectItemCaseSensitive(t, "data"), TV_TRUSTED);
		struct mustache *m;
		struct buf out;
		struct diag_list dl;
		char *err;

		n++;
		buf_init(&out);
		diag_init(&dl);
		m = mustache_compile(tpl, strlen(tpl), name, &loader, &dl);
		if (m != NULL)
			mustache_render(m, ctx, mustache_escape_html, &out, &dl);
		err = take_msg(&dl);
		if (err == NULL && strcmp(out.data ? out.data : "", want) == 0)
			ok++;
		else
			print_error("spec %s: \"%s\" failed\n  want: %s\n  got:  %s\n  err:  %s\n",
			    module, name, want, out.data ? out.data : "", err ? err : "-");
		free(err);
		buf_free(&out);
		mustache_free(m);
		tvalue_free(ctx);
	}
	print_message("spec %s: %d/%d passed\n", module, ok, n);
	spec_total += n;
	spec_passed += ok;
	cJSON_Delete(doc);
	free(text);
	free(path);
	assert_int_equal(ok, n);
}

static void test_spec_interpolation(void **s) { (void)s; run_spec_file("interpolation"); }
static void test_spec_sections(void **s) { (void)s; run_spec_file("sections"); }
static void test_spec_inverted(void **s) { (void)s; run_spec_file("inverted"); }
static void test_spec_comments(void **s) { (void)s; run_spec_file("comments"); }
static void test_spec_partials(void **s) { (void)s; run_spec_file("partials"); }
static void test_spec_delimiters(void **s) { (void)s; run_spec_file("delimiters"); }

static void
test_spec_summary(void **s)
{
	(void)s;
	print_message("mustache spec: %d/%d core tests passed\n", spec_passed, spec_total);
	assert_int_equal(spec_passed, spec_total);
	assert_true(spec_total >= 136);
}

/* ------------------------------------------------------------- filters */

struct filter_case {
	const char *tpl;
	const char *data;
	const char *want;
};

static const struct filter_case filter_cases[] = {
	{ "{{x}}", "{\"x\": 85}", "85" },
	{ "{{x}}", "{\"x\": 1.21}", "1.21" },
	{ "{{x}}", "{\"x\": -0.0}", "0" },
	{ "{{x}}", "{\"x\": 1e20}", "1e+20" },
	{ "{{x}}", "{\"x\": 0.30000000000000004}", "0.30000000000000004" },
	{ "{{x}}", "{\"x\": true}", "true" },
	{ "{{x|%.1f}}", "{\"x\": 12.345}", "12.3" },
	{ "{{ x | %.1f }}", "{\"x\": 12.35}", "12.4" },
	{ "{{x|%.1f ms}}", "{\"x\": 3.25}", "3.3 ms" },
	{ "{{x|%.1f}}", "{\"x\": -0.04}", "0.0" },
	{ "{{x|%.0f%%}}", "{\"x\": 96.5}", "97%" },
	{ "{{x|%8.2f}}", "{\"x\": 3.14159}", "    3.14" },
	{ "{{x|%-6.1f}}|", "{\"x\": 2}", "2.0   |" },
	{ "{{x|%d}}", "{\"x\": 2.5}", "3" },
	{ "{{x|%05d}}", "{\"x\": 42}", "00042" },
	{ "{{x|%+.2e}}", "{\"x\": 12345}", "+1.23e+04" },
	{ "{{x|%g}}", "{\"x\": 0.0001}", "0.0001" },
	{ "{{x|,}}", "{\"x\": 1224720}", "1,224,720" },
	{ "{{x|,}}", "{\"x\": 999}", "999" },
	{ "{{x|,}}", "{\"x\": -1234.5}", "-1,235" },
	{ "{{x|,.2}}", "{\"x\": 1224720.5}", "1,224,720.50" },
	{ "{{x|pct}}", "{\"x\": 0.975}", "98%" },
	{ "{{x|pct1}}", "{\"x\": 0.975}", "97.5%" },
	{ "{{x|pct1}}", "{\"x\": 0.96549}", "96.5%" },
	{ "{{x|pct}}", "{\"x\": 1}", "100%" },
	{ "{{n|plural:lab:labs}}", "{\"n\": 1}", "1 lab" },
	{ "{{n|plural:lab:labs}}", "{\"n\": 3}", "3 labs" },
	{ "{{n|plural:lab:labs}}", "{\"n\": 0}", "0 labs" },
	{ "{{n|plural:lab:labs}}", "{\"n\": 1224}", "1,224 labs" },
	{ "{{n|plural:entry:entries}}", "{\"n\": 1.5}", "1.5 entries" },
	{ "{{n}} {{n|word:lab:labs}}", "{\"n\": 1}", "1 lab" },
	{ "{{x|usd}}", "{\"x\": 1224.5}", "$1,224.50" },
	{ "{{x|usd}}", "{\"x\": -3}", "-$3.00" },
	{ "{{x|usd}}", "{\"x\": 0}", "$0.00" },
	{ "{{x|usd}}", "{\"x\": 0.00012}", "$0.00012" },
	{ "{{x|usd:0}}", "{\"x\": 1224.5}", "$1,225" },
	{ "{{x|usd:4}}", "{\"x\": 0.5}", "$0.5000" },
	{ "{{s|upper}}", "{\"s\": \"cloud\"}", "CLOUD" },
	{ "{{s|lower}}", "{\"s\": \"Edge\"}", "edge" },
	{ "{{x|pct|lower}}", "{\"x\": 0.5}", "50%" },
	{ "[{{m|default:n/a}}]", "{}", "[n/a]" },
	{ "[{{m|default:n/a}}]", "{\"m\": null}", "[n/a]" },
	{ "[{{m|default:none|%.1f}}]", "{\"m\": 2}", "[2.0]" },
	{ "[{{m|%.1f}}]", "{}", "[]" },
	{ "{{#a}}{{b.c|%.2f}}{{/a}}", "{\"a\": {\"b\": {\"c\": 0.125}}}", "0.13" },
	{ "{{#l}}{{.|pct}} {{/l}}", "{\"l\": [0.1, 0.25]}", "10% 25% " },
};

static void
test_filters(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof filter_cases / sizeof filter_cases[0]; i++) {
		const struct filter_case *c = &filter_cases[i];
		struct tvalue *ctx = ctx_json(c->data, TV_TRUSTED);
		char *got = render(c->tpl, NULL, ctx, mustache_escape_html);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s with %s: want \"%s\", got \"%s\"", c->tpl, c->data, c->want, got);
		free(got);
		tvalue_free(ctx);
	}
}

/* -------------------------------------------------------------- errors */

struct error_case {
	const char *tpl;
	const char *partials;   /* JSON object or NULL */
	const char *data;
	const char *want;       /* the first line of the message */
};

static const struct error_case error_cases[] = {
	{ "a\n{{#s}}\nb\n", NULL, "{}", "t.md:2:1: error: unclosed section \"s\"" },
	{ "{{#a}}x{{/b}}", NULL, "{}",
	  "t.md:1:8: error: close tag \"b\" does not match the open section \"a\"" },
	{ "x {{/a}}", NULL, "{}", "t.md:1:3: error: close tag \"a\" without an open section" },
	{ "\n\n  {{>nope}}", NULL, "{}", "t.md:3:3: error: unknown partial \"nope\"" },
	{ "{{>../etc/passwd}}", NULL, "{}", "t.md:1:1: error: bad partial name \"../etc/passwd\" (letters, digits, _ - . and / between parts)" },
	{ "{{x", NULL, "{}", "t.md:1:1: error: unclosed tag (no \"}}\" after \"{{\")" },
	{ "{{{x}}", NULL, "{}", "t.md:1:1: error: unclosed tag (no \"}}}\" after \"{{\")" },
	{ "{{= x =}}", NULL, "{}", "t.md:1:1: error: bad delimiter tag: want two delimiters of 1 to 16 characters, without spaces or \"=\", as in {{=<% %>=}}" },
	{ "{{=<% %>=}}\n<%#a%>", NULL, "{}", "t.md:2:1: error: unclosed section \"a\"" },
	{ "{{}}", NULL, "{}", "t.md:1:1: error: empty tag name: \"\"" },
	{ "{{a..b}}", NULL, "{}", "t.md:1:1: error: bad name (empty part in a dotted name): \"a..b\"" },
	{ "é {{x|%s}}", NULL, "{}", "t.md:1:3: error: only one %f, %e, %g or %d conversion, with flags, width and precision, is allowed: \"%s\"" },
	{ "{{x|%n}}", NULL, "{}", "t.md:1:1: error: only one %f, %e, %g or %d conversion, with flags, width and precision, is allowed: \"%n\"" },
	{ "{{x|%lf}}", NULL, "{}", "t.md:1:1: error: only one %f, %e, %g or %d conversion, with flags, width and precision, is allowed: \"%lf\"" },
	{ "{{x|%*d}}", NULL, "{}", "t.md:1:1: error: only one %f, %e, %g or %d conversion, with flags, width and precision, is allowed: \"%*d\"" },
	{ "{{x|%.1f%d}}", NULL, "{}", "t.md:1:1: error: only one conversion is allowed (write %% for a percent sign): \"%.1f%d\"" },
	{ "{{x|%.0f%}}", NULL, "{}", "t.md:1:1: error: only one conversion is allowed (write %% for a percent sign): \"%.0f%\"" },
	{ "{{x|%100f}}", NULL, "{}", "t.md:1:1: error: width above 99: \"%100f\"" },
	{ "{{x|%#d}}", NULL, "{}", "t.md:1:1: error: the # flag does not go with %d: \"%#d\"" },
	{ "{{x|ms}}", NULL, "{}", "t.md:1:1: error: unknown filter: \"ms\"" },
	{ "{{x|bogus}}", NULL, "{}", "t.md:1:1: error: unknown filter: \"bogus\"" },
	{ "{{x|plural:lab}}", NULL, "{}", "t.md:1:1: error: needs two words: plural:lab:labs: \"plural:lab\"" },
	{ "{{x|pct|,}}", NULL, "{}", "t.md:1:1: error: more than one number filter: \",\"" },
	{ "{{x|upper|pct}}", NULL, "{}", "t.md:1:1: error: a number filter must come first: \"pct\"" },
	{ "{{x||pct}}", NULL, "{}", "t.md:1:1: error: empty filter: \"\"" },
	{ "{{#x|pct}}{{/x}}", NULL, "{}", "t.md:1:1: error: filters apply to variables only, not to sections: \"x|pct\"" },
	{ "ok\n{{>p}}", "{\"p\": \"line\\n {{#a}}\"}", "{}",
	  "templates/partials/p.md:2:2: error: unclosed section \"a\"" },
	/* render-time errors */
	{ "keep {{x|%.1f}}", NULL, "{\"x\": \"12\"}",
	  "t.md:1:6: error: \"x\": the %.1f filter needs a number, got a string" },
	{ "{{l}}", NULL, "{\"l\": [1]}", "t.md:1:1: error: \"l\" is a list: print its items with a section" },
	{ "{{>r}}", "{\"r\": \"x{{>r}}\"}", "{}",
	  "templates/partials/r.md:1:2: error: partials nested more than 64 deep (recursive partial \"r\"?)" },
	{ "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
	  NULL, "{\"l\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
	  "t.md:1:49: error: rendering takes more than 20000000 steps: runaway nesting?" },
	/* empty bodies still cost a step per item */
	{ "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
	  NULL, "{\"l\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
	  "t.md:1:37: error: rendering takes more than 20000000 steps: runaway nesting?" },
};

static void
test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *c = &error_cases[i];
		struct tvalue *ctx = ctx_json(c->data, TV_TRUSTED);
		char *got = render(c->tpl, c->partials, ctx, mustache_escape_html);
		char *nl = strchr(got, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (strncmp(got, "ERR:", 4) != 0 || strcmp(got + 4, c->want) != 0)
			fail_msg("%s: want \"%s\", got \"%s\"", c->tpl, c->want, got);
		free(got);
		tvalue_free(ctx);
	}
}

/* Hostile shapes end in an error, not a crash or a hang. */
static void
test_pathological(void **state)
{
	struct buf t;
	char *got;
	struct tvalue *ctx = ctx_json("{\"a\": {\"a\": 1}}", TV_TRUSTED);

	(void)state;
	buf_init(&t);
	for (int i = 0; i < MUSTACHE_MAX_NESTING + 1; i++)
		buf_puts(&t, "{{#a}}");
	got = render(t.data, NULL, ctx, mustache_escape_html);
	assert_non_null(strstr(got, "t.md:1:385: error: sections nested too deeply (limit 64)"));
	free(got);

	/* Deep but legal nesting renders; 64 levels of partials inside sections do not. */
	buf_reset(&t);
	for (int i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&t, "{{#a}}");
	buf_puts(&t, "x");
	for (int i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&t, "{{/a}}");
	got = render(t.data, NULL, ctx, mustache_escape_html);
	assert_string_equal(got, "x");
	free(got);
	got = render("{{>r}}", "{\"r\": \"{{#a}}{{>r}}{{/a}}\"}", ctx, mustache_escape_html);
	assert_non_null(strstr(got, "error: partials nested more than 64 deep"));
	free(got);

	/* Delimiters too long, unterminated comment, partial naming itself through another. */
	got = render("{{=<<<<<<<<<<<<<<<<<< >>=}}", NULL, ctx, mustache_escape_html);
	assert_non_null(strstr(got, "t.md:1:1: error: bad delimiter tag"));
	free(got);
	got = render("a\n{{! never closed", NULL, ctx, mustache_escape_html);
	assert_non_null(strstr(got, "t.md:2:1: error: unclosed tag"));
	free(got);
	got = render("[{{>p}}]", "{\"p\": \"<{{>q}}>\", \"q\": \"{{^a}}{{>p}}{{/a}}q\"}", ctx,
	    mustache_escape_html);
	assert_string_equal(got, "[<q>]");
	free(got);
	buf_free(&t);
	tvalue_free(ctx);
}

/* The message shows the line and a caret under the column, like jq. */
static void
test_error_caret(void **state)
{
	struct diag_list dl;
	char *err;
	struct mustache *m;

	(void)state;
	diag_init(&dl);
	m = mustache_compile("a\n  x {{#s}} y\n", 15, "templates/r.md", NULL, &dl);
	assert_null(m);
	err = take_msg(&dl);
	assert_string_equal(err, "templates/r.md:2:5: error: unclosed section \"s\"\n"
	    "    x {{#s}} y\n      ^");
	free(err);
}

/* A failed render leaves the output buffer as it was. */
static void
test_no_partial_output(void **state)
{
	struct diag_list dl;
	char *err;
	struct mustache *m = (diag_init(&dl), mustache_compile("abc {{#l}}{{.}}{{/l}} {{x|pct}}", 31, "t.md", NULL, &dl));
	struct tvalue *ctx = ctx_json("{\"l\": [1,2,3], \"x\": true}", TV_TRUSTED);
	struct buf out;

	(void)state;
	assert_non_null(m);
	buf_init(&out);
	buf_puts(&out, "before|");
	assert_int_equal(mustache_render(m, ctx, mustache_escape_html, &out, &dl), -1);
	err = take_msg(&dl);
	assert_non_null(err);
	assert_string_equal(out.data, "before|");
	free(err);
	buf_free(&out);
	tvalue_free(ctx);
	mustache_free(m);
}

/* One compiled template, many renders, different contexts. */
static void
test_reuse(void **state)
{
	struct diag_list dl;
	const char *t = "{{#people}}{{name}}={{n|plural:lab:labs}}; {{/people}}";
	struct mustache *m = (diag_init(&dl), mustache_compile(t, strlen(t), "t.md", NULL, &dl));
	struct buf out;

	(void)state;
	assert_non_null(m);
	buf_init(&out);
	for (int i = 0; i < 3; i++) {
		char json[128];
		snprintf(json, sizeof json, "{\"people\": [{\"name\": \"a\", \"n\": %d}]}", i);
		struct tvalue *ctx = ctx_json(json, TV_UNTRUSTED);
		assert_int_equal(mustache_render(m, ctx, md_escape_inline, &out, &dl), 0);
		tvalue_free(ctx);
	}
	assert_string_equal(out.data, "a=0 labs; a=1 lab; a=2 labs; ");
	buf_free(&out);
	mustache_free(m);
}

/* ------------------------------------------------------------ the model */

static void
test_tvalue_map(void **state)
{
	struct tvalue *m = tvalue_map_new();
	char key[32];

	(void)state;
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof key, "key_%d", i);
		tvalue_map_set_num(m, key, i);
	}
	tvalue_map_set_str(m, "key_7", "seven", TV_UNTRUSTED);     /* replaces, keeps order */
	assert_int_equal(m->u.map.n, 300);
	assert_string_equal(m->u.map.ents[7].key, "key_7");
	assert_int_equal(tvalue_map_get(m, "key_7")->type, TV_STRING);
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof key, "key_%d", i);
		assert_non_null(tvalue_map_get(m, key));
		if (i != 7)
			assert_true(tvalue_map_get(m, key)->u.num == i);
	}
	assert_null(tvalue_map_get(m, "key_300"));
	struct tvalue *inner = tvalue_map_set(m, "act2", tvalue_map_new());
	tvalue_map_set_num(tvalue_map_set(inner, "metrics", tvalue_map_new()), "p99_ms", 12.5);
	assert_true(tvalue_lookup(m, "act2.metrics.p99_ms")->u.num == 12.5);
	assert_null(tvalue_lookup(m, "act2.nope.p99_ms"));
	struct tvalue *l = tvalue_map_set(m, "empty", tvalue_list_new());
	assert_false(tvalue_truthy(l));
	assert_false(tvalue_truthy(NULL));
	assert_true(tvalue_truthy(tvalue_map_get(m, "key_0")));   /* 0 is truthy, per the spec */
	assert_true(tvalue_truthy(tvalue_list_push(l, tvalue_string("", TV_TRUSTED))));
	tvalue_free(m);
	tvalue_free(NULL);
}

/* Not an assertion on speed: prints what a 200-key render costs. */
static void
test_speed(void **state)
{
	struct tvalue *ctx;
	struct buf tpl, out;
	struct mustache *m;
	struct diag_list dl;
	clock_t t0;
	int n = 2000;

	(void)state;
	diag_init(&dl);
	buf_init(&tpl);
	buf_init(&out);
	for (int i = 0; i < 200; i++)
		buf_printf(&tpl, "| k%d | {{k%d|%%.1f}} | {{s%d}} |\n", i, i, i);
	m = mustache_compile(tpl.data, tpl.len, "t.md", NULL, &dl);
	assert_non_null(m);
	t0 = clock();
	for (int r = 0; r < n; r++) {
		char key[16];
		ctx = tvalue_map_new();
		for (int i = 0; i < 200; i++) {
			snprintf(key, sizeof key, "k%d", i);
			tvalue_map_set_num(ctx, key, i * 1.25);
			snprintf(key, sizeof key, "s%d", i);
			tvalue_map_set_str(ctx, key, "student *text*", TV_UNTRUSTED);
		}
		buf_reset(&out);
		assert_int_equal(mustache_render(m, ctx, md_escape_inline, &out, &dl), 0);
		tvalue_free(ctx);
	}
	print_message("speed: build 400-key context + render 400 tags: %.1f us each\n",
	    (double)(clock() - t0) / CLOCKS_PER_SEC * 1e6 / n);
	buf_free(&tpl);
	buf_free(&out);
	mustache_free(m);
}

/* ----------------------------------------------------------- injection */

struct mdcheck {
	int blocks[32];
	int nblocks;
	int spans;
	int odd_text;           /* text that is not MD_TEXT_NORMAL */
	bool in_td;
	struct buf text;        /* all text, or only table-cell text in table mode */
	bool table_mode;
};

static int
md_enter_block(MD_BLOCKTYPE t, void *d, void *u)
{
	struct mdcheck *c = u;
	(void)d;
	if (c->nblocks < 32)
		c->blocks[c->nblocks] = (int)t;
	c->nblocks++;
	if (t == MD_BLOCK_TD)
		c->in_td = true;
	return 0;
}

static int
md_leave_block(MD_BLOCKTYPE t, void *d, void *u)
{
	struct mdcheck *c = u;
	(void)d;
	if (t == MD_BLOCK_TD)
		c->in_td = false;
	return 0;
}

static int
md_enter_span(MD_SPANTYPE t, void *d, void *u)
{
	(void)t;
	(void)d;
	((struct mdcheck *)u)->spans++;
	return 0;
}

static int
md_leave_span(MD_SPANTYPE t, void *d, void *u)
{
	(void)t;
	(void)d;
	(void)u;
	return 0;
}

static int
md_text(MD_TEXTTYPE t, const MD_CHAR *s, MD_SIZE n, void *u)
{
	struct mdcheck *c = u;
	if (c->table_mode && !c->in_td)
		return 0;
	if (t != MD_TEXT_NORMAL)
		c->odd_text++;
	buf_put(&c->text, s, n);
	return 0;
}

static void
md_check(const char *md, struct mdcheck *c, bool table_mode)
{
	MD_PARSER p;

	memset(&p, 0, sizeof p);
	p.flags = MD_DIALECT_GITHUB;    /* tables, strikethrough, autolinks; HTML allowed */
	p.enter_block = md_enter_block;
	p.leave_block = md_leave_block;
	p.enter_span = md_enter_span;
	p.leave_span = md_leave_span;
	p.text = md_text;
	memset(c, 0, sizeof *c);
	buf_init(&c->text);
	c->table_mode = table_mode;
	assert_int_equal(md_parse(md, (MD_SIZE)strlen(md), &p, c), 0);
}

struct inject_case {
	const char *in;
	const char *want;       /* the visible text md4c must read back */
};

static const struct inject_case inject_cases[] = {
	{ "**A+**", "**A+**" },
	{ "# Top", "# Top" },
	{ "> [!NOTE]", "> [!NOTE]" },
	{ "{{x}}", "{{x}}" },
	{ "{{{x}}} {{#a}}", "{{{x}}} {{#a}}" },
	{ "<b>bold</b>", "<b>bold</b>" },
	{ "<script>alert(1)</script>", "<script>alert(1)</script>" },
	{ "<!-- c -->", "<!-- c -->" },
	{ "![](chart:radar)", "![](chart:radar)" },
	{ "[link](http://x)", "[link](http://x)" },
	{ "[ref][1]", "[ref][1]" },
	{ "<http://evil.example>", "<http://evil.example>" },
	{ "see http://evil.example/x now", "see http://evil.example/x now" },
	{ "www.evil.example", "www.evil.example" },
	{ "mail me@evil.example", "mail me@evil.example" },
	{ "| a | b |", "| a | b |" },
	{ "1. item", "1. item" },
	{ "1) item", "1) item" },
	{ "- item", "- item" },
	{ "+ item", "+ item" },
	{ "* item", "* item" },
	{ "- [x] done", "- [x] done" },
	{ "---", "---" },
	{ "***", "***" },
	{ "===", "===" },
	{ "```c", "```c" },
	{ "~~~", "~~~" },
	{ "`code`", "`code`" },
	{ "~~strike~~", "~~strike~~" },
	{ "_em_ and __strong__", "_em_ and __strong__" },
	{ "&amp; &lt; &#65;", "&amp; &lt; &#65;" },
	{ "back\\slash\\", "back\\slash\\" },
	{ "a\n# Heading", "a # Heading" },
	{ "line\n\n---\nmore", "line  --- more" },
	{ "x\r\n> quote", "x  > quote" },
	{ "    indented code", "indented code" },
	{ "trailing break  ", "trailing break" },
	{ "tab\there", "tab here" },
	{ "nul-ish \x01\x1b[31m", "nul-ish   [31m" },
	{ "c1 \xc2\x85 next", "c1   next" },
	{ "ls \xe2\x80\xa8 ps", "ls   ps" },
	{ "evil\xe2\x80\xae" "cod.exe", "evilcod.exe" },
	{ "iso\xe2\x81\xa6late\xe2\x81\xa9", "isolate" },
	/* the joiners stay (issue 12: they spell Persian and Indic names) */
	{ "zero\xe2\x80\x8bwidth\xe2\x80\x8d\xef\xbb\xbf", "zerowidth\xe2\x80\x8d" },
	{ "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85", "\xe2\x81\xa8\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85\xe2\x81\xa9" },
	{ "soft\xc2\xad" "hy\xe3\x85\xa4" "fil\xd8\x9c" "ler", "softhyfiller" },
	{ "tag\xf3\xa0\x80\x81hidden", "taghidden" },
	{ "bad \xff utf8 \xc3", "bad \xef\xbf\xbd utf8 \xef\xbf\xbd" },
	{ "overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd" },
	{ "surrogate \xed\xa0\x80!", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!" },
	{ "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82" },
	{ "$x$ and $$y$$", "$x$ and $$y$$" },
	{ "a:b;c?d@e^f'g\"h", "a:b;c?d@e^f'g\"h" },
	{ "[^1]", "[^1]" },
	{ "", "" },
};

static void
test_injection(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof inject_cases / sizeof inject_cases[0]; i++) {
		const struct inject_case *c = &inject_cases[i];
		struct buf esc, doc;
		struct mdcheck chk;

		buf_init(&esc);
		buf_init(&doc);
		md_escape_inline(&esc, c->in);
		const char *e = esc.data ? esc.data : "";
		if (strstr(e, "{{") || strstr(e, "}}") || strchr(e, '\n'))
			fail_msg("case %zu: escaped text keeps {{, }} or a newline: %s", i, e);

		/* Alone, at the start of a line: one paragraph of plain text. */
		md_check(e, &chk, false);
		if (c->want[0] == '\0')
			assert_int_equal(chk.nblocks, 1);
		else if (chk.nblocks != 2 || chk.blocks[1] != MD_BLOCK_P || chk.spans != 0 ||
		    chk.odd_text != 0 || strcmp(chk.text.data ? chk.text.data : "", c->want) != 0)
			fail_msg("case %zu %s: escaped \"%s\" parses to %d blocks (2nd %d), %d spans, "
			    "%d odd texts, text \"%s\"", i, c->in, e, chk.nblocks,
			    chk.nblocks > 1 ? chk.blocks[1] : -1, chk.spans, chk.odd_text,
			    chk.text.data ? chk.text.data : "");
		buf_free(&chk.text);

		/* Inside a template's paragraph. */
		buf_printf(&doc, "Label: %s end", e);
		md_check(doc.data, &chk, false);
		char *want = xasprintf("Label: %s end", c->want);
		if (chk.nblocks != 2 || chk.spans != 0 || chk.odd_text != 0 ||
		    strcmp(chk.text.data, want) != 0)
			fail_msg("case %zu in paragraph: \"%s\" -> \"%s\"", i, doc.data, chk.text.data);
		free(want);
		buf_free(&chk.text);

		/* In a table cell. */
		buf_reset(&doc);
		buf_printf(&doc, "| h | k |\n|---|---|\n| %s | z |\n", e);
		md_check(doc.data, &chk, true);
		want = xasprintf("%sz", c->want);
		if (chk.nblocks != 10 || chk.spans != 0 || chk.odd_text != 0 ||
		    strcmp(chk.text.data ? chk.text.data : "", want) != 0)
			fail_msg("case %zu in a table: \"%s\" -> %d blocks, text \"%s\"", i,
			    doc.data, chk.nblocks, chk.text.data ? chk.text.data : "");
		free(want);
		buf_free(&chk.text);
		buf_free(&esc);
		buf_free(&doc);
	}
}

/* Through the engine: untrusted strings are escaped even by {{{x}}}; trusted ones are not. */
static void
test_origin(void **state)
{
	struct tvalue *ctx = tvalue_map_new();
	char *got;

	(void)state;
	tvalue_map_set_str(ctx, "u", "**A+** {{x}}", TV_UNTRUSTED);
	tvalue_map_set_str(ctx, "t", "![](chart:radar)", TV_TRUSTED);
	tvalue_map_set_str(ctx, "x", "SHOULD NOT APPEAR", TV_TRUSTED);
	got = render("{{u}}|{{{u}}}|{{&u}}|{{{t}}}|{{t}}", NULL, ctx, md_escape_inline);
	assert_string_equal(got, "\\*\\*A\\+\\*\\* \\{\\{x\\}\\}|\\*\\*A\\+\\*\\* \\{\\{x\\}\\}|"
	    "\\*\\*A\\+\\*\\* \\{\\{x\\}\\}|![](chart:radar)|\\!\\[\\]\\(chart\\:radar\\)");
	free(got);
	/* Output is never rendered again: trusted "{{x}}" stays text. */
	tvalue_map_set_str(ctx, "t", "{{x}}", TV_TRUSTED);
	got = render("{{{t}}}", NULL, ctx, md_escape_inline);
	assert_string_equal(got, "{{x}}");
	free(got);
	tvalue_free(ctx);
}

/* The program's loader reads templates/partials/NAME.md-style files. */
static void
test_load_dir(void **state)
{
	char dir[] = "/tmp/test_mustache_XXXXXX";
	char *path, *err;
	struct diag_list dl;
	FILE *f;
	struct mustache *m;
	struct mustache_loader loader = { mustache_load_dir, dir };
	struct buf out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	diag_init(&dl);
	path = xasprintf("%s/footer.md", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("-- {{who}}\n", f);
	fclose(f);
	m = mustache_compile("Hi\n  {{>footer}}\n", 16, "templates/x.md", &loader, &dl);
	assert_non_null(m);
	buf_init(&out);
	assert_int_equal(mustache_render(m, NULL, md_escape_inline, &out, &dl), 0);
	assert_string_equal(out.data, "Hi\n  -- \n");
	buf_free(&out);
	mustache_free(m);
	m = mustache_compile("{{>header}}", 11, "templates/x.md", &loader, &dl);
	assert_null(m);
	err = take_msg(&dl);
	assert_non_null(strstr(err, "templates/x.md:1:1: error: unknown partial \"header\""));
	free(err);
	remove(path);
	remove(dir);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_interpolation),
		cmocka_unit_test(test_spec_sections),
		cmocka_unit_test(test_spec_inverted),
		cmocka_unit_test(test_spec_comments),
		cmocka_unit_test(test_spec_partials),
		cmocka_unit_test(test_spec_delimiters),
		cmocka_unit_test(test_spec_summary),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_caret),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_no_partial_output),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_tvalue_map),
		cmocka_unit_test(test_speed),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_load_dir),
	};
	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
