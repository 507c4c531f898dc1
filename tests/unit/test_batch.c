/*
 * batch_plan: the order of a batch, output file names, collisions, roster
 * matching and shards (every job in exactly one shard, in order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/batch_plan.h"
#include "run/roster.h"
#include "base/util.h"

static char dir[64];

static char *
touch(const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("{\"history\": []}\n", f);
	fclose(f);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_batch.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	char *sub = xasprintf("%s/sub", dir);
	if (mkdir(sub, 0755) != 0) {
		free(sub);
		return -1;
	}
	free(sub);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	(void)state;
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

static void
test_shard_ranges_partition(void **state)
{
	(void)state;
	for (size_t total = 0; total <= 60; total++)
		for (unsigned n = 1; n <= 13; n++) {
			size_t next = 0, min = (size_t)-1, max = 0;
			for (unsigned k = 1; k <= n; k++) {
				size_t lo, hi;
				batch_shard_range(total, k, n, &lo, &hi);
				assert_int_equal(lo, next);     /* contiguous, in order */
				assert_true(hi >= lo);
				next = hi;
				if (hi - lo < min)
					min = hi - lo;
				if (hi - lo > max)
					max = hi - lo;
			}
			assert_int_equal(next, total);  /* nothing left over */
			assert_true(max - min <= 1);    /* balanced */
		}
	size_t lo, hi;
	batch_shard_range((size_t)10000000000ULL, 999999, 1000000, &lo, &hi);
	assert_true(hi > lo && hi - lo == 10000);
}

static void
test_parse_shard(void **state)
{
	unsigned k, n;
	(void)state;
	assert_int_equal(batch_parse_shard("1/1", &k, &n), 0);
	assert_int_equal(batch_parse_shard("3/8", &k, &n), 0);
	assert_int_equal(k, 3);
	assert_int_equal(n, 8);
	const char *bad[] = { "0/3", "4/3", "1/0", "3", "/3", "1/", "a/b", "-1/3",
	    "1/3x", " 1/3", "1/+3", "1/2000000", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(batch_parse_shard(bad[i], &k, &n), -1);
}

static void
test_file_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "ada_complete", "ada_complete" },
		{ "Smith, Ann", "Smith, Ann" },
		{ "Zo\xc3\xab \xc3\x89lise", "Zo\xc3\xab \xc3\x89lise" },
		{ "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99", "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99" },
		{ "a/b\\c", "a_b_c" },
		{ "../../etc/passwd", "_.._etc_passwd" },
		{ ".hidden", "hidden" },
		{ " . x", "x" },
		{ "x. ", "x" },
		{ "tab\there\nnl", "tab_here_nl" },
		{ "a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h" },
		{ "rtl\xe2\x80\xaegnp.exe", "rtlgnp.exe" },
		{ "zw\xe2\x80\x8bj", "zwj" },
		{ "bad\xff", "bad\xef\xbf\xbd" },
		{ "", "student" },
		{ "...", "student" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = batch_file_name(cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	/* long names are cut on a character boundary */
	char *longname = xmalloc(1000);
	for (int i = 0; i < 333; i++)
		memcpy(longname + 3 * i, "\xe6\x9d\x8e", 3);
	longname[999] = '\0';
	char *got = batch_file_name(longname);
	assert_true(strlen(got) <= BATCH_FILE_NAME_MAX);
	assert_int_equal(strlen(got) % 3, 0);
	free(got);
	free(longname);
}

static void
test_plan_sorted_by_name(void **state)
{
	char *c = touch("carol.json"), *a = touch("alice.json"), *b = touch("bob.json");
	const char *paths[] = { c, a, b, a };   /* a given twice */
	struct batch_plan p;
	(void)state;
	batch_plan_make(&p, paths, 4, NULL);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.jobs[0].student, "alice");
	assert_string_equal(p.jobs[1].student, "bob");
	assert_string_equal(p.jobs[2].file, "carol");
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(p.jobs[i].state, JOB_RUN);
		assert_null(p.jobs[i].problem);
	}
	batch_plan_free(&p);
	free(a);
	free(b);
	free(c);
}

static void
test_plan_collisions(void **state)
{
	char *a = touch("x.json"), *b = touch("sub/x.json"), *c = touch("sub/X.json"),
	    *d = touch("y.json");
	const char *paths[] = { a, b, c, d };
	struct batch_plan p;
	(void)state;
	batch_plan_make(&p, paths, 4, NULL);
	assert_int_equal(p.n, 4);
	size_t n_coll = 0;
	for (size_t i = 0; i < p.n; i++) {
		if (p.jobs[i].state != JOB_COLLISION)
			continue;
		n_coll++;
		/* each names another one of the group */
		assert_non_null(strstr(p.jobs[i].problem, "would write the same file"));
		assert_non_null(strstr(p.jobs[i].problem, dir));   /* names the other file */
	}
	assert_int_equal(n_coll, 3);
	assert_int_equal(p.jobs[3].state, JOB_RUN);
	assert_string_equal(p.jobs[3].student, "y");
	batch_plan_free(&p);
	free(a);
	free(b);
	free(c);
	free(d);
}

static struct roster *
roster(const char *text)
{
	struct diag_list dl;
	char *src = xasprintf("%s/roster.csv", dir);
	struct roster *r;

	diag_init(&dl);
	r = roster_parse(src, text, strlen(text), &dl);
	assert_non_null(r);
	diag_free(&dl);
	free(src);
	return r;
}

static void
test_plan_roster_order_and_names(void **state)
{
	char *z = touch("zed.json"), *m = touch("mia.json"), *s = touch("stray.json");
	struct roster *r = roster("id,name,section,ledger\n"
	    "9,Zed Zulu,B,zed.json\n"
	    "2,Mia M\xc3\xbcller,A,./mia.json\n"
	    "5,Nobody,A,nobody.json\n"
	    "7,Empty,A,\n");
	struct batch_plan p;
	(void)state;

	/* the roster alone: its rows in its order */
	batch_plan_make(&p, NULL, 0, r);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.jobs[0].student, "Zed Zulu");
	assert_string_equal(p.jobs[0].id, "9");
	assert_string_equal(p.jobs[0].section, "B");
	assert_int_equal(p.jobs[0].roster_line, 2);
	assert_string_equal(p.jobs[1].file, "Mia M\xc3\xbcller");
	assert_int_equal(p.jobs[1].state, JOB_RUN);
	assert_int_equal(p.jobs[2].state, JOB_MISSING);
	assert_non_null(strstr(p.jobs[2].problem, "nobody.json"));
	assert_int_equal(p.jobs[3].state, JOB_MISSING);
	assert_non_null(strstr(p.jobs[3].problem, "no ledger file"));
	batch_plan_free(&p);

	/* operands too: matched by the file they name; strays go last */
	const char *paths[] = { s, m };
	batch_plan_make(&p, paths, 2, r);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.jobs[0].state, JOB_MISSING);   /* zed not among inputs */
	assert_non_null(strstr(p.jobs[0].problem, "not among the inputs"));
	assert_int_equal(p.jobs[1].state, JOB_RUN);
	assert_string_equal(p.jobs[1].path, m);
	assert_string_equal(p.jobs[4].student, "stray");
	assert_int_equal(p.jobs[4].state, JOB_RUN);
	assert_int_equal(p.jobs[4].roster_line, 0);
	assert_non_null(strstr(p.jobs[4].problem, "not in the roster"));
	batch_plan_free(&p);
	roster_free(r);
	free(z);
	free(m);
	free(s);
}

static void
test_plan_roster_name_collision(void **state)
{
	char *a = touch("a1.json"), *b = touch("a2.json");
	struct roster *r = roster("name,ledger\nAnn Lee,a1.json\nAnn Lee,a2.json\n");
	struct batch_plan p;
	(void)state;
	batch_plan_make(&p, NULL, 0, r);
	assert_int_equal(p.jobs[0].state, JOB_COLLISION);
	assert_int_equal(p.jobs[1].state, JOB_COLLISION);
	assert_non_null(strstr(p.jobs[0].problem, "a2.json"));
	assert_non_null(strstr(p.jobs[1].problem, "a1.json"));
	assert_non_null(strstr(p.jobs[0].problem, "in the roster"));
	batch_plan_free(&p);
	roster_free(r);
	free(a);
	free(b);
}

static void
test_plan_shards_cover_the_plan(void **state)
{
	char *paths[23];
	struct batch_plan whole;
	(void)state;
	for (int i = 0; i < 23; i++) {
		char name[32];
		snprintf(name, sizeof name, "s%02d.json", (i * 7) % 23);
		paths[i] = touch(name);
	}
	batch_plan_make(&whole, (const char *const *)paths, 23, NULL);
	for (unsigned n = 1; n <= 5; n++) {
		size_t at = 0;
		for (unsigned k = 1; k <= n; k++) {
			struct batch_plan p;
			batch_plan_make(&p, (const char *const *)paths, 23, NULL);
			batch_plan_shard(&p, k, n);
			assert_int_equal(p.first, at);
			assert_int_equal(p.n_total, 23);
			for (size_t i = 0; i < p.n; i++)
				assert_string_equal(p.jobs[i].file, whole.jobs[at + i].file);
			at += p.n;
			batch_plan_free(&p);
		}
		assert_int_equal(at, 23);
	}
	batch_plan_free(&whole);
	for (int i = 0; i < 23; i++)
		free(paths[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard_ranges_partition),
		cmocka_unit_test(test_parse_shard),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_plan_sorted_by_name),
		cmocka_unit_test(test_plan_collisions),
		cmocka_unit_test(test_plan_roster_order_and_names),
		cmocka_unit_test(test_plan_roster_name_collision),
		cmocka_unit_test(test_plan_shards_cover_the_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
