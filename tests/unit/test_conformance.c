/*
 * Conformance: every ledger vector in tests/data/conformance/ledgers goes
 * through the reader, Act I, the capstone reading and the engine, and the
 * section-6 JSON that --json prints must contain the expected object
 * exactly (numbers compared as doubles with ==, lists in order).
 * The data folder is tests/data, or ARCHAUDIT_SHARED (testdata.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "view/audit_json.h"
#include "read/ledger.h"
#include "model/scenario.h"
#include "testdata.h"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(&b, tmp, n);
	fclose(f);
	return buf_detach(&b);
}

/*
 * Does `actual` contain `expected`?  Objects: every expected key present
 * and equal; arrays: same length, equal in order; scalars: equal.  On a
 * mismatch the JSON path is appended to `where`.
 */
static bool
contains(const cJSON *expected, const cJSON *actual, struct buf *where)
{
	if (actual == NULL) {
		buf_puts(where, ": missing");
		return false;
	}
	if (cJSON_IsObject(expected)) {
		if (!cJSON_IsObject(actual)) {
			buf_puts(where, ": not an object");
			return false;
		}
		for (const cJSON *e = expected->child; e; e = e->next) {
			size_t mark = where->len;
			buf_printf(where, ".%s", e->string);
			if (!contains(e, cJSON_GetObjectItemCaseSensitive(actual,
			    e->string), where))
				return false;
			where->len = mark;
			where->data[mark] = '\0';
		}
		return true;
	}
	if (cJSON_IsArray(expected)) {
		if (!cJSON_IsArray(actual) ||
		    cJSON_GetArraySize(actual) != cJSON_GetArraySize(expected)) {
			buf_puts(where, ": array length differs");
			return false;
		}
		const cJSON *a = actual->child;
		int i = 0;
		for (const cJSON *e = expected->child; e; e = e->next, a = a->next, i++) {
			size_t mark = where->len;
			buf_printf(where, "[%d]", i);
			if (!contains(e, a, where))
				return false;
			where->len = mark;
			where->data[mark] = '\0';
		}
		return true;
	}
	if (cJSON_IsNumber(expected)) {
		if (cJSON_IsNumber(actual) && actual->valuedouble == expected->valuedouble)
			return true;
		buf_printf(where, ": expected %.17g, got %.17g", expected->valuedouble,
		    cJSON_IsNumber(actual) ? actual->valuedouble : -1.0);
		return false;
	}
	if (cJSON_IsBool(expected)) {
		if (cJSON_IsBool(actual) && cJSON_IsTrue(actual) == cJSON_IsTrue(expected))
			return true;
		buf_puts(where, ": boolean differs");
		return false;
	}
	if (cJSON_IsString(expected)) {
		if (cJSON_IsString(actual) &&
		    strcmp(actual->valuestring, expected->valuestring) == 0)
			return true;
		buf_printf(where, ": expected \"%s\"", expected->valuestring);
		return false;
	}
	if (cJSON_IsNull(expected)) {
		if (cJSON_IsNull(actual))
			return true;
		buf_puts(where, ": expected null");
		return false;
	}
	buf_puts(where, ": unsupported expected value");
	return false;
}

/* Run one vector; returns true when it matches, printing why not. */
static bool
run_vector(const char *dir, const char *name)
{
	char *lpath = xasprintf("%s/%s.ledger.json", dir, name);
	char *epath = xasprintf("%s/%s.expected.json", dir, name);
	char *etext = slurp(epath);
	struct diag_list errs;
	struct scenario s;
	struct buf out, where;
	bool ok = false;

	diag_init(&errs);
	buf_init(&out);
	buf_init(&where);
	scenario_default(&s);
	struct ledger *l = ledger_load(lpath, LEDGER_DEFAULT_MAX_BYTES, &errs);
	if (l == NULL || etext == NULL) {
		print_message("%s: could not read the vector\n", name);
		goto out;
	}
	struct design d;
	check_design(l, &s, &d);
	struct audit *a = audit_new(l, &d, &s, NULL);
	audit_write_json(a, &s, &out, 0);
	audit_free(a);

	cJSON *exp = cJSON_Parse(etext), *act = cJSON_Parse(out.data);
	if (exp == NULL || act == NULL) {
		print_message("%s: JSON did not parse\n", name);
	} else {
		buf_puts(&where, name);
		ok = contains(exp, act, &where);
		if (!ok)
			print_message("MISMATCH %s\n", where.data);
	}
	cJSON_Delete(exp);
	cJSON_Delete(act);
out:
	free(lpath);
	free(epath);
	free(etext);
	buf_free(&out);
	buf_free(&where);
	diag_free(&errs);
	scenario_free(&s);
	return ok;
}

static void
test_every_ledger_vector(void **state)
{
	(void)state;
	char *dir = test_data_path("conformance/ledgers");
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0, failed = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		const char *suffix = ".ledger.json";
		if (len <= strlen(suffix) ||
		    strcmp(e->d_name + len - strlen(suffix), suffix) != 0)
			continue;
		char *name = xstrndup(e->d_name, len - strlen(suffix));
		n++;
		if (!run_vector(dir, name))
			failed++;
		free(name);
	}
	closedir(d);
	free(dir);
	print_message("conformance: %d ledger vectors, %d failed\n", n, failed);
	assert_true(n >= 30);
	assert_int_equal(failed, 0);
}

/* The mismatch detector itself must be able to fail. */
static void
test_contains_detects_differences(void **state)
{
	(void)state;
	struct buf w;
	cJSON *e = cJSON_Parse("{\"a\": [1, 2.5], \"b\": \"x\"}");
	cJSON *same = cJSON_Parse("{\"a\": [1, 2.5], \"b\": \"x\", \"c\": 0}");
	cJSON *num = cJSON_Parse("{\"a\": [1, 2.5000000000000004], \"b\": \"x\"}");
	cJSON *len = cJSON_Parse("{\"a\": [1], \"b\": \"x\"}");
	cJSON *str = cJSON_Parse("{\"a\": [1, 2.5], \"b\": \"y\"}");

	buf_init(&w);
	assert_true(contains(e, same, &w));
	assert_false(contains(e, num, &w));
	assert_false(contains(e, len, &w));
	assert_false(contains(e, str, &w));
	buf_free(&w);
	cJSON_Delete(e);
	cJSON_Delete(same);
	cJSON_Delete(num);
	cJSON_Delete(len);
	cJSON_Delete(str);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contains_detects_differences),
		cmocka_unit_test(test_every_ledger_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
