/*
 * csv and roster: RFC 4180 reading (quotes, embedded commas, quotes and
 * line breaks, CRLF, a byte-order mark, UTF-8), errors with line and
 * column, the roster's columns and its rule that ledgers stay inside its
 * folder; and the CSV writer's quoting and formula defusing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "run/roster.h"
#include "base/util.h"

/* All records of text as "a|b|c" lines, or the first error as "where: msg". */
static char *
read_all(const char *text)
{
	struct csv_reader r;
	struct csv_record rec;
	struct diag_list dl;
	struct buf out;
	int got;

	diag_init(&dl);
	buf_init(&out);
	csv_record_init(&rec);
	csv_reader_init(&r, "t.csv", text, strlen(text));
	while ((got = csv_read(&r, &rec, &dl)) > 0) {
		for (size_t i = 0; i < rec.n; i++)
			buf_printf(&out, "%s%s", i ? "|" : "", rec.fields[i].text);
		buf_putc(&out, '\n');
	}
	if (got < 0)
		buf_printf(&out, "%s: %s", dl.items[0].where, dl.items[0].msg);
	csv_record_free(&rec);
	diag_free(&dl);
	buf_putc(&out, '\0');
	return buf_detach(&out);
}

static void
test_csv_table(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a,b,c\n", "a|b|c\n" },
		{ "a,b,c", "a|b|c\n" },                         /* no final newline */
		{ "a,b\r\nc,d\r\n", "a|b\nc|d\n" },             /* CRLF */
		{ "a,b\rc,d", "a|b\nc|d\n" },                   /* lone CR */
		{ "\xef\xbb\xbf" "id,name\n1,x\n", "id|name\n1|x\n" }, /* BOM */
		{ "\"a,b\",c\n", "a,b|c\n" },                   /* embedded comma */
		{ "\"say \"\"hi\"\"\",x\n", "say \"hi\"|x\n" }, /* doubled quotes */
		{ "\"two\nlines\",x\n", "two\nlines|x\n" },      /* embedded newline */
		{ "\"\",,\n", "||\n" },                         /* empty fields */
		{ "a,\n", "a|\n" },                             /* trailing comma */
		{ "\n\na\n\n", "a\n" },                         /* blank lines skipped */
		{ "Zo\xc3\xab,\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99\n", "Zo\xc3\xab|\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99\n" },
		{ "a,b\"c\n", "t.csv:1:4: a quote inside an unquoted field (put the "
		    "whole field in quotes and write the quote twice)" },
		{ "x\n\"abc\n", "t.csv:2:1: a quoted field is never closed (a quote is missing)" },
		{ "\"a\"b,c\n", "t.csv:1:4: expected a comma or the end of the line "
		    "after a closing quote" },
		{ "ok\n\xc3\xa9,\xff\n", "t.csv:2:3: invalid UTF-8 (save the file as CSV UTF-8)" },
		{ "\"l1\nl2\",\xc3\xa9\xc3\xa9\"\n", "t.csv:2:7: a quote inside an unquoted "
		    "field (put the whole field in quotes and write the quote twice)" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = read_all(cases[i].in);
		if (strncmp(cases[i].want, "t.csv:", 6) == 0) {
			/* errors: the records before it, then the message */
			const char *e = strstr(got, "t.csv:");
			assert_non_null(e);
			assert_string_equal(e, cases[i].want);
		} else {
			assert_string_equal(got, cases[i].want);
		}
		free(got);
	}
}

static void
test_csv_nul_is_an_error(void **state)
{
	struct csv_reader r;
	struct csv_record rec;
	struct diag_list dl;
	(void)state;
	diag_init(&dl);
	csv_record_init(&rec);
	csv_reader_init(&r, "t.csv", "a,b\0c\n", 6);
	assert_int_equal(csv_read(&r, &rec, &dl), -1);
	assert_string_equal(dl.items[0].where, "t.csv:1:4");
	diag_free(&dl);
	csv_record_free(&rec);
}

static void
test_csv_writer(void **state)
{
	static const struct {
		const char *cell, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "Smith, Ann", "\"Smith, Ann\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1", "'+1" },
		{ "-2", "'-2" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "Zo\xc3\xab", "Zo\xc3\xab" },
		{ "bad\xff", "bad\xef\xbf\xbd" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b;
		buf_init(&b);
		csv_put_text(&b, true, cases[i].cell);
		buf_putc(&b, '\0');
		assert_string_equal(b.data, cases[i].want);
		buf_free(&b);
	}
	/* numbers are never defused, and a record ends in CRLF */
	struct buf b;
	buf_init(&b);
	csv_put_text(&b, true, "a");
	csv_put_number(&b, false, "-1.5");
	csv_end_record(&b);
	assert_string_equal(b.data, "a,-1.5\r\n");
	buf_free(&b);
}

/* What a writer writes, a reader reads back (the apostrophe aside). */
static void
test_csv_round_trip(void **state)
{
	const char *cells[] = { "a,b", "q\"q", "l1\r\nl2", "", "\xc3\xa9t\xc3\xa9" };
	struct buf b;
	struct csv_reader r;
	struct csv_record rec;
	struct diag_list dl;
	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < 5; i++)
		csv_put_text(&b, i == 0, cells[i]);
	csv_end_record(&b);
	diag_init(&dl);
	csv_record_init(&rec);
	csv_reader_init(&r, "t", b.data, b.len);
	assert_int_equal(csv_read(&r, &rec, &dl), 1);
	assert_int_equal(rec.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(rec.fields[i].text, cells[i]);
	assert_int_equal(csv_read(&r, &rec, &dl), 0);
	csv_record_free(&rec);
	diag_free(&dl);
	buf_free(&b);
}

static struct roster *
parse(const char *text, struct diag_list *dl)
{
	return roster_parse("class/roster.csv", text, strlen(text), dl);
}

static void
test_roster_reads_rows(void **state)
{
	struct diag_list dl;
	struct roster *r;
	(void)state;
	diag_init(&dl);
	r = parse("\xef\xbb\xbfId, Name ,Section,Ledger,email\r\n"
	    "s1,\"Smith, Ann\",A,ann.json,a@x\r\n"
	    "s2,Zo\xc3\xab \xc3\x89lise,B,sub/zoe.json,\r\n"
	    "s3,\"Bob \"\"the\"\" Builder\",,,\r\n", &dl);
	assert_non_null(r);
	assert_int_equal(dl.n, 0);
	assert_int_equal(r->n, 3);
	assert_string_equal(r->rows[0].id, "s1");
	assert_string_equal(r->rows[0].name, "Smith, Ann");
	assert_string_equal(r->rows[0].section, "A");
	assert_string_equal(r->rows[0].path, "class/ann.json");
	assert_int_equal(r->rows[0].line, 2);
	assert_string_equal(r->rows[1].name, "Zo\xc3\xab \xc3\x89lise");
	assert_string_equal(r->rows[1].path, "class/sub/zoe.json");
	assert_string_equal(r->rows[2].name, "Bob \"the\" Builder");
	assert_string_equal(r->rows[2].ledger, "");
	assert_null(r->rows[2].path);
	roster_free(r);
	diag_free(&dl);
}

static void
test_roster_optional_columns(void **state)
{
	struct diag_list dl;
	struct roster *r;
	(void)state;
	diag_init(&dl);
	r = roster_parse("roster.csv", "ledger,name\na.json,Ann\n", 22, &dl);
	assert_non_null(r);
	assert_string_equal(r->rows[0].id, "");
	assert_string_equal(r->rows[0].section, "");
	assert_string_equal(r->rows[0].path, "a.json");   /* no folder part */
	roster_free(r);
	diag_free(&dl);
}

/* The roster is refused; its first error is where: msg containing want. */
static void
refused(const char *text, const char *where, const char *want)
{
	struct diag_list dl;
	struct roster *r;

	diag_init(&dl);
	r = parse(text, &dl);
	assert_null(r);
	assert_true(dl.n >= 1);
	assert_string_equal(dl.items[0].where, where);
	if (strstr(dl.items[0].msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", dl.items[0].msg, want);
	diag_free(&dl);
}

static void
test_roster_errors(void **state)
{
	(void)state;
	refused("id,name,section\n1,a,b\n", "class/roster.csv:1:1", "no \"ledger\" column");
	refused("id,section,ledger\n", "class/roster.csv:1:1", "no \"name\" column");
	refused("", "class/roster.csv", "the roster is empty");
	refused("name,ledger,name\n", "class/roster.csv:1:13", "appears twice");
	refused("id,name,ledger\n1,Ann,../x.json\n", "class/roster.csv:2:7",
	    "outside the roster's folder");
	refused("id,name,ledger\n1,Ann,/etc/x.json\n", "class/roster.csv:2:7",
	    "outside the roster's folder");
	refused("id,name,ledger\n1,Ann,sub/../../x.json\n", "class/roster.csv:2:7",
	    "outside the roster's folder");
	refused("id,name,ledger\n1,Ann\n", "class/roster.csv:2:3", "expected 3 fields");
	refused("id,name,ledger\n1,Ann,a.json,extra\n", "class/roster.csv:2:14",
	    "expected 3 fields");
	refused("id,name,ledger\n1,,a.json\n", "class/roster.csv:2:3", "the name is empty");
	refused("id,name,ledger\n1,\"Ann,a.json\n", "class/roster.csv:2:3", "never closed");
	refused("id,name,ledger\n1,Ann,a.json\n1,Bob,b.json\n", "class/roster.csv:3:1",
	    "the id \"1\" is also on line 2");
	refused("id,name,ledger\n1,Ann,a.json\n2,Bob,./a.json\n",
	    "class/roster.csv:3:7", "also given to Ann on line 2");
}

static void
test_roster_reports_every_error(void **state)
{
	struct diag_list dl;
	(void)state;
	diag_init(&dl);
	assert_null(parse("id,name,ledger\n1,,a.json\n2,Bo,../b.json\n3,Cy\n", &dl));
	assert_int_equal(dl.n, 3);
	diag_free(&dl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_csv_nul_is_an_error),
		cmocka_unit_test(test_csv_writer),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_roster_reads_rows),
		cmocka_unit_test(test_roster_optional_columns),
		cmocka_unit_test(test_roster_errors),
		cmocka_unit_test(test_roster_reports_every_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
