/*
 * The ledger reader, Act I and the capstone reading: the rules of spec
 * sections 1-3 one by one, the messages a student sees, and the sample
 * ledgers in tests/data/examples read with the warnings a person expects.
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

#include "model/audit.h"
#include "view/audit_json.h"
#include "read/jsoncheck.h"
#include "read/ledger.h"
#include "model/scenario.h"
#include "testdata.h"

/* ---- helpers ---------------------------------------------------------- */

struct run {
	struct diag_list errs;
	struct ledger *l;
	struct audit *a;
	struct scenario s;
};

static void
run_text(struct run *r, const char *json)
{
	diag_init(&r->errs);
	scenario_default(&r->s);
	r->l = ledger_parse("t.json", json, strlen(json), &r->errs);
	r->a = NULL;
	if (r->l != NULL) {
		struct design d;
		check_design(r->l, &r->s, &d);
		r->a = audit_new(r->l, &d, &r->s, NULL);
	}
}

static void
run_free(struct run *r)
{
	if (r->a)
		audit_free(r->a);
	else
		ledger_free(r->l);
	diag_free(&r->errs);
	scenario_free(&r->s);
}

/* Is there a diagnostic of this level whose text contains all of `parts`? */
static bool
has_diag(const struct diag_list *dl, enum diag_level level, const char *where,
    const char *part1, const char *part2)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		if (d->level != level)
			continue;
		if (where && (d->where == NULL || strcmp(d->where, where) != 0))
			continue;
		if (part1 && strstr(d->msg, part1) == NULL)
			continue;
		if (part2 && strstr(d->msg, part2) == NULL)
			continue;
		return true;
	}
	return false;
}

static bool
any_diag(const struct run *r, enum diag_level level, const char *part1,
    const char *part2)
{
	return has_diag(&r->l->diags, level, NULL, part1, part2) ||
	    (r->a && has_diag(&r->a->diags, level, NULL, part1, part2));
}

static size_t
count_level(const struct run *r, enum diag_level level)
{
	return diag_count(&r->l->diags, level) +
	    (r->a ? diag_count(&r->a->diags, level) : 0);
}

/* ---- fatal errors ------------------------------------------------------- */

static void
test_syntax_error_has_line_col_and_caret(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\n  \"history\": [\n    {\"chapter\": 1,, }\n  ]\n}\n");
	assert_null(r.l);
	assert_int_equal(r.errs.n, 1);
	assert_string_equal(r.errs.items[0].where, "t.json:3:19");
	assert_non_null(strstr(r.errs.items[0].msg, "expected a key in double quotes"));
	/* the offending line, then a caret under column 19 */
	assert_non_null(strstr(r.errs.items[0].msg,
	    "\n        {\"chapter\": 1,, }\n                      ^"));
	run_free(&r);
}

static void
test_truncated_file(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 1");
	assert_null(r.l);
	assert_string_equal(r.errs.items[0].where, "t.json:1:27");
	assert_non_null(strstr(r.errs.items[0].msg, "unexpected end of file"));
	run_free(&r);
}

static void
test_empty_and_whitespace_files(void **state)
{
	(void)state;
	const char *cases[] = { "", "  \n\t\n" };
	for (size_t i = 0; i < 2; i++) {
		struct run r;
		run_text(&r, cases[i]);
		assert_null(r.l);
		assert_true(has_diag(&r.errs, DIAG_ERROR, "t.json", "empty", NULL));
		run_free(&r);
	}
}

static void
test_wrong_top_level_shapes(void **state)
{
	(void)state;
	struct {
		const char *json, *msg;
	} cases[] = {
		{ "[1, 2]", "the top level is an array" },
		{ "\"text\"", "the top level is a string" },
		{ "42", "the top level is a number" },
		{ "{\"history\": {}}", "this ledger comes from a later edition of the labs" },
		{ "{\"history\": \"x\"}", "history: expected an array of entries, got a string" },
		{ "{\"a\": 1} {\"b\": 2}", "extra text after the end" },
		{ "{'history': []}", "single quotes" },
		{ "{\"history\": [1,]}", "trailing comma before ']'" },
		{ "{\"history\": [] \"x\": 1}", "missing comma" },
		{ "{\"a\": True}", "lower case" },
		/* json.dump's NaN is read (below); Python's repr spellings are not */
		{ "{\"a\": nan}", "expected a value" },
		{ "{\"a\": -NaN}", "expected a digit" },
		{ "{\"a\": inf}", "expected a value" },
		{ "{\"a\": 01}", "leading zeros" },
		{ "{\"a\": \"x\\q\"}", "invalid escape" },
		{ "{\"a\": \"line\nbreak\"}", "line break inside a string" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct run r;
		run_text(&r, cases[i].json);
		assert_null(r.l);
		assert_int_equal(r.errs.n, 1);
		if (strstr(r.errs.items[0].msg, cases[i].msg) == NULL)
			fail_msg("case %zu: got \"%s\"", i, r.errs.items[0].msg);
		run_free(&r);
	}
}

static void
test_deep_nesting_is_refused_cleanly(void **state)
{
	(void)state;
	size_t depth = 100000;
	char *json = xmalloc(2 * depth + 1);
	memset(json, '[', depth);
	memset(json + depth, ']', depth);
	json[2 * depth] = '\0';
	struct run r;
	run_text(&r, json);
	assert_null(r.l);
	assert_true(has_diag(&r.errs, DIAG_ERROR, "t.json:1:513", "nested deeper than 512", NULL));
	run_free(&r);
	free(json);
}

static void
test_byte_order_mark_is_accepted(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "\xef\xbb\xbf{\"history\": [{\"chapter\": 2}]}");
	assert_non_null(r.l);
	assert_int_equal(r.a->act1.n_completed, 1);
	assert_true(any_diag(&r, DIAG_NOTE, "byte-order mark", NULL));
	run_free(&r);
}

/* ---- entries ----------------------------------------------------------- */

static void
test_invalid_entries_are_skipped_with_path(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": ["
	    "{\"chapter\": 1, \"design\": {\"act1_correct\": true}},"
	    "7,"
	    "{\"chapter\": \"3\"},"
	    "{\"chapter\": 2.5},"
	    "{\"chapter\": true},"
	    "{\"chapter\": null},"
	    "{\"chapter\": [1]},"
	    "{\"chapter\": 4, \"design\": [1]},"
	    "{\"chapter\": 5, \"design\": \"x\"},"
	    "{\"chapter\": 1e400},"
	    "{\"chapter\": 6}"
	    "]}");
	assert_non_null(r.l);
	assert_true(any_diag(&r, DIAG_WARNING, "history[1]: expected an object, got 7", NULL));
	/* a string chapter is Volume II: a note, not a warning */
	assert_true(any_diag(&r, DIAG_NOTE, "history[2]: chapter \"3\"", "Volume I"));
	assert_true(any_diag(&r, DIAG_WARNING, "history[3].chapter: expected an integer, got 2.5", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[4].chapter: expected an integer, got true", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[5].chapter: expected an integer, got null", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[6].chapter: expected an integer, got [1]", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[7].design: expected an object, got [1]", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[8].design: expected an object, got \"x\"", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[9].chapter: expected an integer", NULL));
	assert_int_equal(r.l->n_skipped, 8);
	assert_int_equal(r.l->n_vol2, 1);
	/* chapters 1 and 6 count; 4 and 5 were invalid */
	assert_int_equal(r.a->act1.n_completed, 2);
	assert_int_equal(r.a->act1.completed[0], 1);
	assert_int_equal(r.a->act1.completed[1], 6);
	run_free(&r);
}

static void
test_invalid_redo_does_not_erase_earlier_design(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": ["
	    "{\"chapter\": 2, \"design\": {\"act1_correct\": true}},"
	    "{\"chapter\": 2, \"design\": 5}]}");
	assert_int_equal(r.a->act1.n_correct, 1);
	run_free(&r);
}

static void
test_out_of_range_chapters_are_noted(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": -1}, {\"chapter\": 1e18},"
	    "{\"chapter\": 0}, {\"chapter\": 17}, {\"chapter\": -0}]}");
	assert_non_null(r.l);
	assert_int_equal(r.a->act1.n_completed, 0);
	assert_int_equal(r.l->n_other, 5);
	assert_int_equal(count_level(&r, DIAG_WARNING), 0);
	run_free(&r);
}

static void
test_flag_warnings_name_the_path(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 2, \"design\": "
	    "{\"act1_correct\": \"yes\", \"constraint_hit\": 0}}]}");
	assert_true(any_diag(&r, DIAG_WARNING,
	    "history[0].design.act1_correct: expected true or false, got \"yes\"",
	    "read as true"));
	assert_true(any_diag(&r, DIAG_WARNING,
	    "history[0].design.constraint_hit: expected true or false, got 0",
	    "read as false"));
	assert_int_equal(r.a->act1.n_correct, 1);
	assert_int_equal(r.a->act1.n_hits, 0);
	run_free(&r);
}

static void
test_duplicate_keys_last_wins_with_warning(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [], \"history\": [{\"chapter\": 3, "
	    "\"design\": {\"act1_correct\": false, \"act1_correct\": true}}]}");
	assert_non_null(r.l);
	assert_int_equal(r.a->act1.n_completed, 1);
	assert_int_equal(r.a->act1.n_correct, 1);
	assert_true(any_diag(&r, DIAG_WARNING, "key \"history\" appears 2 times", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "key \"act1_correct\" appears 2 times", NULL));
	run_free(&r);
}

static void
test_unknown_top_level_key_warns(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [], \"grade\": \"A+\"}");
	assert_true(any_diag(&r, DIAG_WARNING, "unknown top-level key \"grade\"", NULL));
	run_free(&r);
}

static void
test_invalid_utf8_is_replaced(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 10, \"design\": "
	    "{\"act2_decision\": \"int\xff" "4\"}}]}");
	assert_non_null(r.l);
	assert_int_equal(r.a->act1.n_recs, 1);
	assert_string_equal(r.a->act1.recs[0].value_str, "int\xef\xbf\xbd" "4");
	run_free(&r);
}

static void
test_non_string_decision_shown_as_json_text(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 14, \"design\": "
	    "{\"act2_decision\": {\"days\": 7}}}]}");
	assert_int_equal(r.a->act1.n_recs, 1);
	assert_string_equal(r.a->act1.recs[0].value_str, "{\"days\":7}");
	assert_true(any_diag(&r, DIAG_WARNING, "history[0].design.act2_decision: "
	    "expected a string, got {\"days\":7}", NULL));
	run_free(&r);
}

static void
test_escaped_keys_and_huge_entries(void **state)
{
	(void)state;
	struct run r;
	/* "hist\u006fry" is "history"; an entry of 20,000 values is skipped */
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "{\"hist\\u006fry\": [{\"chapter\": 2}, {\"chapter\": 3, "
	    "\"design\": {\"junk\": [");
	for (int i = 0; i < 20000; i++)
		buf_puts(&b, i ? ",0" : "0");
	buf_puts(&b, "]}}, {\"chapter\": 4}]}");
	run_text(&r, b.data);
	assert_non_null(r.l);
	assert_int_equal(r.a->act1.n_completed, 2);
	assert_true(any_diag(&r, DIAG_WARNING, "history[1]: an entry of", "entry skipped"));
	assert_int_equal(r.l->n_skipped, 1);
	run_free(&r);
	buf_free(&b);
}

static void
test_many_entries_keep_the_last_of_each_chapter(void **state)
{
	(void)state;
	struct run r;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "{\"history\": [");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "%s{\"chapter\": %d, \"design\": {\"act1_correct\": %s}}",
		    i ? "," : "", 1 + i % 15, i >= 100000 - 15 ? "true" : "false");
	buf_puts(&b, "]}");
	run_text(&r, b.data);
	assert_int_equal(r.l->n_history, 100000);
	assert_int_equal(r.a->act1.n_completed, 15);
	assert_int_equal(r.a->act1.n_correct, 15);   /* only the last 15 are right */
	run_free(&r);
	buf_free(&b);
}

/* ---- the capstone ------------------------------------------------------ */

static void
test_capstone_fields_fall_back_with_warnings(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 16, \"design\": {"
	    "\"cloud_hardware\": \"A100x4\", \"quantization_strategy\": \"int8\","
	    "\"tier_assignments\": {\"edge\": \"fp32\"},"
	    "\"serving_strategy\": \"continuous\","
	    "\"retraining_cadence_days\": 120, \"fairness_threshold_pct\": \"5\"}}]}");
	const struct config *c = &r.a->capstone.config;
	assert_true(r.a->capstone.config_from_ledger);
	assert_int_equal(c->n_gpus, 2);
	assert_true(any_diag(&r, DIAG_WARNING, "cloud_hardware: expected \"H100x<N>\"",
	    "got \"A100x4\""));
	/* cloud falls back to quantization_strategy without a warning */
	assert_int_equal(c->quant_cloud, QUANT_INT8);
	assert_false(any_diag(&r, DIAG_WARNING, "quantization_strategy", NULL));
	assert_int_equal(c->quant_edge, QUANT_INT8);
	assert_true(any_diag(&r, DIAG_WARNING, "tier_assignments.edge: expected one of",
	    "got \"fp32\""));
	assert_int_equal(c->quant_mobile, QUANT_INT4);
	assert_true(any_diag(&r, DIAG_WARNING, "tier_assignments.mobile: missing", NULL));
	assert_int_equal(c->serving, SERVING_CONTINUOUS);
	assert_int_equal(c->cadence_days, 120);
	assert_true(any_diag(&r, DIAG_WARNING, "retraining_cadence_days: 120 days is "
	    "outside the lab's range 1 to 90", "evaluated as given"));
	assert_int_equal(c->fairness_pct, 10);
	assert_true(any_diag(&r, DIAG_WARNING, "fairness_threshold_pct: expected a whole",
	    NULL));
	run_free(&r);
}

static void
test_capstone_hardware_parsing(void **state)
{
	(void)state;
	struct {
		const char *hw;
		int n;
	} cases[] = {
		{ "H100x1", 1 }, { "H100x8", 8 }, { "H100x12", 12 },
		{ "H100x0", 2 }, { "H100x-3", 2 }, { "H100x", 2 }, { "h100x4", 2 },
		{ "H100x4 ", 2 }, { "H100x99999999999", 2 },
		{ "H100x100000", 100000 }, { "H100x100001", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *json = xasprintf("{\"history\": [{\"chapter\": 16, \"design\": "
		    "{\"cloud_hardware\": \"%s\"}}]}", cases[i].hw);
		struct run r;
		run_text(&r, json);
		if (r.a->capstone.config.n_gpus != cases[i].n)
			fail_msg("%s: got %d", cases[i].hw, r.a->capstone.config.n_gpus);
		run_free(&r);
		free(json);
	}
}

static void
test_predictions_are_judged(void **state)
{
	(void)state;
	struct run r;
	/* weakest: Amdahl (chapter 6 wrong) -> serial_fraction */
	run_text(&r, "{\"history\": ["
	    "{\"chapter\": 6, \"design\": {\"act1_correct\": false}},"
	    "{\"chapter\": 2, \"design\": {\"act1_correct\": true}},"
	    "{\"chapter\": 16, \"design\": {\"act1_prediction\": \"serial_fraction\","
	    "\"act2_prediction\": \"edge_latency\"}}]}");
	assert_string_equal(r.a->act1.act1_correct_answer, "serial_fraction");
	assert_true(r.a->capstone.has_act1_prediction);
	assert_true(r.a->capstone.act1_prediction_right);
	assert_true(r.a->capstone.has_act2_prediction);
	assert_false(r.a->capstone.act2_prediction_right);
	run_free(&r);

	run_text(&r, "{\"history\": [{\"chapter\": 16, \"design\": "
	    "{\"act1_prediction\": \"none\", \"act2_prediction\": \"tiny_oom\"}}]}");
	assert_false(r.a->capstone.has_act1_prediction);
	assert_true(r.a->capstone.act2_prediction_right);
	run_free(&r);
}

static void
test_consistency_notes_compare_rounded_values(void **state)
{
	(void)state;
	struct run r;
	/* H100x3 int8 dynamic: P99 222.885..., cost 4.1666e-06 */
	run_text(&r, "{\"history\": [{\"chapter\": 16, \"design\": {"
	    "\"cloud_hardware\": \"H100x3\", \"tier_assignments\": {\"cloud\": \"int8\","
	    "\"edge\": \"int4\", \"mobile\": \"int4\"}, \"serving_strategy\": \"dynamic\","
	    "\"retraining_cadence_days\": 30, \"fairness_threshold_pct\": 10,"
	    "\"p99_latency_ms\": 222.89, \"total_cost_per_req\": 4e-06,"
	    "\"system_valid\": true, \"constraint_hit\": true, \"labs_completed\": 3,"
	    "\"pct_correct\": 0.0, \"weakest_invariant\": \"Drift\"}}]}");
	const struct capstone_reading *c = &r.a->capstone;
	assert_int_equal(c->n_notes, 3);
	assert_int_equal(c->notes[0].field, CF_SYSTEM_VALID);
	assert_string_equal(c->notes[0].stored, "true");
	assert_string_equal(c->notes[0].recomputed, "false");
	assert_int_equal(c->notes[1].field, CF_LABS_COMPLETED);
	assert_string_equal(c->notes[1].recomputed, "0");
	assert_int_equal(c->notes[2].field, CF_WEAKEST_INVARIANT);
	assert_string_equal(c->notes[2].recomputed, "Memory Wall");
	run_free(&r);

	run_text(&r, "{\"history\": [{\"chapter\": 16, \"design\": {"
	    "\"cloud_hardware\": \"H100x3\", \"p99_latency_ms\": 100.5,"
	    "\"total_cost_per_req\": 0.5}}]}");
	assert_int_equal(r.a->capstone.n_notes, 2);
	assert_string_equal(r.a->capstone.notes[0].stored, "100.5");
	assert_string_equal(r.a->capstone.notes[1].recomputed, "0.000004");
	run_free(&r);
}

/* ---- Python's NaN, Infinity and -Infinity ----------------------------------- */

static void
test_strict_checker_still_refuses_python_words(void **state)
{
	(void)state;
	const char *text = "[NaN, Infinity, -Infinity, \"NaN\"]";
	size_t off, n;
	const char *msg, *id;
	/* scenario files stay strict JSON */
	assert_false(jsoncheck(text, strlen(text), &off, &id, &msg));
	assert_int_equal(off, 1);
	assert_string_equal(msg, "NaN is not a JSON number");
	assert_string_equal(id, "json.nan");
	assert_false(jsoncheck("[-Infinity]", 11, &off, &id, &msg));
	assert_int_equal(off, 1);
	assert_string_equal(msg, "Infinity is not a JSON number");
	/* a ledger may hold them: counted, strings aside */
	assert_true(jsoncheck_python(text, strlen(text), &n, &off, &id, &msg));
	assert_int_equal(n, 3);
	assert_false(jsoncheck_python("[NaNa]", 6, &n, &off, &id, &msg));
	assert_int_equal(off, 4);
	assert_false(jsoncheck_python("[Infinit", 8, &n, &off, &id, &msg));
	assert_non_null(strstr(msg, "unexpected end of file"));
	assert_string_equal(id, "json.truncated");
}


static void
test_python_nonfinite_words_are_read_with_a_warning_each(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"current_chapter\": NaN, \"history\": ["
	    "{\"chapter\": 1, \"design\": {\"act1_correct\": NaN, \"constraint_hit\": -Infinity}},"
	    "{\"chapter\": Infinity, \"design\": {}},"
	    "{\"chapter\": 2, \"design\": {\"context\": NaN, \"act1_correct\": false}},"
	    "{\"chapter\": 13, \"design\": {\"act2_result\": Infinity}}]}");
	assert_non_null(r.l);
	assert_int_equal(r.errs.n, 0);
	/* one warning per word, naming its JSON path */
	assert_true(any_diag(&r, DIAG_WARNING, "current_chapter: NaN is not JSON "
	    "(Python's json.dump writes it for a non-finite float)", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[0].design.act1_correct: NaN is not JSON", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[0].design.constraint_hit: -Infinity is not JSON", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[1].chapter: Infinity is not JSON", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[2].design.context: NaN is not JSON", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[3].design.act2_result: Infinity is not JSON", NULL));
	/* flags: true, as Python's bool(nan) */
	assert_true(r.l->lab[1].act1_correct);
	assert_true(r.l->lab[1].constraint_hit);
	/* a chapter: invalid, like a fraction */
	assert_true(any_diag(&r, DIAG_WARNING, "history[1].chapter: expected an integer, "
	    "got Infinity; entry skipped", NULL));
	assert_int_equal(r.l->n_skipped, 1);
	/* a context: counts for none */
	assert_int_equal(r.l->lab[2].context, CTX_NONE);
	/* act2_result: never a P99 recommendation */
	assert_int_equal(r.a->act1.n_recs, 0);
	assert_true(any_diag(&r, DIAG_WARNING, "history[3].design.act2_result: Infinity "
	    "is not a P99 latency", NULL));
	run_free(&r);
}

/*
 * cJSON is handed null for each word and the number is put back by the
 * node's place: strings that look like markers or words stay strings, and
 * each number lands on its own node, however deep.
 */
static void
test_nonfinite_numbers_land_on_their_own_values(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 10, \"design\": {\"act2_decision\": "
	    "[NaN, \"NaN\", \"\\u0001N\", null, {\"a b\": [Infinity, {\"c\": -Infinity}]},"
	    " [], {}, -Infinity]}}]}");
	assert_non_null(r.l);
	assert_string_equal(r.l->lab[10].act2_decision,
	    "[NaN,\"NaN\",\"\\u0001N\",null,{\"a b\":[Infinity,{\"c\":-Infinity}]},[],{},-Infinity]");
	assert_true(any_diag(&r, DIAG_WARNING,
	    "history[0].design.act2_decision[4][\"a b\"][1].c: -Infinity is not JSON", NULL));
	assert_true(any_diag(&r, DIAG_WARNING, "history[0].design.act2_decision[7]: "
	    "-Infinity is not JSON", NULL));
	assert_int_equal(count_level(&r, DIAG_WARNING), 5);   /* 4 words + decision type */
	run_free(&r);
}

static void
test_nonfinite_capstone_values(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"history\": [{\"chapter\": 16, \"design\": {"
	    "\"cloud_hardware\": \"H100x4\", \"retraining_cadence_days\": NaN,"
	    "\"fairness_threshold_pct\": -Infinity, \"p99_latency_ms\": Infinity,"
	    "\"total_cost_per_req\": NaN, \"labs_completed\": NaN, \"pct_correct\": -Infinity}}]}");
	const struct capstone_reading *c = &r.a->capstone;
	/* a setting: unreadable, the lab default */
	assert_int_equal(c->config.cadence_days, 30);
	assert_int_equal(c->config.fairness_pct, 10);
	assert_true(any_diag(&r, DIAG_WARNING, "retraining_cadence_days: expected a whole "
	    "number of days, got NaN; using the lab default 30 days", NULL));
	/* a stored value: a consistency note that shows the word */
	assert_int_equal(c->n_notes, 4);
	assert_string_equal(c->notes[0].name, "p99_latency_ms");
	assert_string_equal(c->notes[0].stored, "Infinity");
	assert_string_equal(c->notes[1].stored, "NaN");
	assert_string_equal(c->notes[2].stored, "NaN");
	assert_string_equal(c->notes[3].name, "pct_correct");
	assert_string_equal(c->notes[3].stored, "-Infinity");
	/* the JSON written stays JSON: no bare word, no nan or inf */
	struct buf out;
	buf_init(&out);
	audit_write_json(r.a, &r.s, &out, 0);
	assert_non_null(strstr(out.data, "{\"field\":\"p99_latency_ms\",\"stored\":\"Infinity\""));
	assert_null(strstr(out.data, ":NaN"));
	assert_null(strstr(out.data, ":Infinity"));
	assert_null(strstr(out.data, "nan"));
	assert_null(strstr(out.data, "inf,"));
	buf_free(&out);
	run_free(&r);
}

static void
test_capstone_settings_outside_their_domain_take_the_default(void **state)
{
	(void)state;
	struct {
		const char *design;
		int n_gpus, cadence, fairness;
		const char *warning;
	} cases[] = {
		{ "\"cloud_hardware\": \"H100x12\", \"retraining_cadence_days\": -5, "
		  "\"fairness_threshold_pct\": 150", 12, 30, 10,
		  "retraining_cadence_days: -5 is not a possible setting (0 to 365 days); "
		  "using the lab default 30 days" },
		{ "\"cloud_hardware\": \"H100x100000\", \"retraining_cadence_days\": 365, "
		  "\"fairness_threshold_pct\": 100", 100000, 365, 100,
		  "fairness_threshold_pct: 100 % is outside the lab's range 0 to 20; "
		  "evaluated as given" },
		{ "\"cloud_hardware\": \"H100x1\", \"retraining_cadence_days\": 0, "
		  "\"fairness_threshold_pct\": 0", 1, 0, 0,
		  "retraining_cadence_days: 0 days is outside the lab's range 1 to 90" },
		{ "\"cloud_hardware\": \"H100x0\", \"retraining_cadence_days\": 366.0, "
		  "\"fairness_threshold_pct\": -1", 2, 30, 10,
		  "cloud_hardware: \"H100x0\" is not a possible setting (1 to 100000 GPUs)" },
		{ "\"retraining_cadence_days\": 1e300, \"fairness_threshold_pct\": 101", 2, 30, 10,
		  "fairness_threshold_pct: 101 is not a possible setting (0 to 100 %)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *json = xasprintf("{\"history\": [{\"chapter\": 16, \"design\": {%s}}]}",
		    cases[i].design);
		struct run r;
		run_text(&r, json);
		const struct config *c = &r.a->capstone.config;
		if (c->n_gpus != cases[i].n_gpus || c->cadence_days != cases[i].cadence ||
		    c->fairness_pct != cases[i].fairness)
			fail_msg("case %zu: got %d GPUs, %d days, %d %%", i, c->n_gpus,
			    c->cadence_days, c->fairness_pct);
		if (!any_diag(&r, DIAG_WARNING, cases[i].warning, NULL))
			fail_msg("case %zu: no warning \"%s\"", i, cases[i].warning);
		run_free(&r);
		free(json);
	}
}

static void
test_later_edition_gets_one_clear_message(void **state)
{
	(void)state;
	struct run r;
	run_text(&r, "{\"track\": \"cloud\", \"current_step\": 16, \"history\": "
	    "{\"16\": {\"schema_version\": 1, \"lab_id\": \"v1_16\"}}, \"last_updated\": \"\"}");
	assert_null(r.l);
	assert_int_equal(r.errs.n, 1);
	assert_true(has_diag(&r.errs, DIAG_ERROR, "t.json", "history is an object keyed "
	    "by step: this ledger comes from a later edition of the labs",
	    "archaudit reads the Volume I labs' ledger, whose history is a list of "
	    "{\"chapter\": N, \"design\": {...}} entries"));
	run_free(&r);
}

/* ---- files --------------------------------------------------------------- */

static void
test_file_errors_name_the_file(void **state)
{
	(void)state;
	struct diag_list errs;
	char dir[] = "/tmp/archaudit-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *jdir = xasprintf("%s/x.json", dir);
	char *big = xasprintf("%s/big.json", dir);
	char *missing = xasprintf("%s/missing.json", dir);
	assert_int_equal(mkdir(jdir, 0755), 0);
	FILE *f = fopen(big, "w");
	assert_non_null(f);
	fputs("{\"history\": [], \"track\": \"", f);
	for (int i = 0; i < 2000; i++)
		fputc('x', f);
	fputs("\"}", f);
	fclose(f);

	diag_init(&errs);
	assert_null(ledger_load(jdir, LEDGER_DEFAULT_MAX_BYTES, &errs));
	assert_true(has_diag(&errs, DIAG_ERROR, jdir, "is a directory", NULL));
	assert_null(ledger_load(big, 1024, &errs));
	assert_true(has_diag(&errs, DIAG_ERROR, big, "over the limit of 1024 bytes",
	    "--max-size"));
	assert_null(ledger_load(missing, 1024, &errs));
	assert_true(has_diag(&errs, DIAG_ERROR, missing, "cannot open", NULL));
	struct ledger *l = ledger_load(big, 4096, &errs);
	assert_non_null(l);
	ledger_free(l);
	diag_free(&errs);

	unlink(big);
	rmdir(jdir);
	rmdir(dir);
	free(jdir);
	free(big);
	free(missing);
}

/* ---- the realistic examples --------------------------------------------- */

static struct ledger *
load_example(const char *name, struct diag_list *errs)
{
	char *path = xasprintf("%s/examples/ledgers/%s", test_data_dir(), name);
	struct ledger *l = ledger_load(path, LEDGER_DEFAULT_MAX_BYTES, errs);
	free(path);
	return l;
}

static void
test_examples_read_as_a_person_expects(void **state)
{
	(void)state;
	struct {
		const char *file;
		int completed, warnings, vol2;
		bool capstone;
	} cases[] = {
		{ "a_complete_student.json", 15, 0, 0, true },
		{ "b_sparse_student.json", 4, 0, 0, false },
		{ "c_empty.json", 0, 0, 0, false },
		{ "d_redo_duplicates.json", 5, 0, 0, true },
		{ "e_lab0_and_vol2_mixed.json", 4, 0, 2, true },
		{ "f_capstone_only.json", 0, 0, 0, true },
	};
	struct scenario s;
	scenario_default(&s);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct diag_list errs;
		diag_init(&errs);
		struct ledger *l = load_example(cases[i].file, &errs);
		if (l == NULL)
			fail_msg("%s did not load", cases[i].file);
		struct design d;
		check_design(l, &s, &d);
		struct audit *a = audit_new(l, &d, &s, NULL);
		if (cases[i].completed >= 0)
			assert_int_equal(a->act1.n_completed, cases[i].completed);
		assert_int_equal(diag_count(&l->diags, DIAG_WARNING) +
		    diag_count(&a->diags, DIAG_WARNING), (size_t)cases[i].warnings);
		assert_int_equal(l->n_vol2, (size_t)cases[i].vol2);
		assert_int_equal(a->capstone.present, cases[i].capstone);
		audit_free(a);
		diag_free(&errs);
	}
	scenario_free(&s);
}

static void
test_student_name_from_path(void **state)
{
	(void)state;
	char *s = audit_student_from_path("class/ada_lovelace.json");
	assert_string_equal(s, "ada_lovelace");
	free(s);
	s = audit_student_from_path("-");
	assert_string_equal(s, "stdin");
	free(s);
	s = audit_student_from_path("notes.txt");
	assert_string_equal(s, "notes.txt");
	free(s);
}

/*
 * The check stage on its own: the capstone's values come out typed (a
 * number with its text, a truth value, a string) or absent, each value
 * of the wrong type with its warning in the design's list, and the
 * configuration's unreadable settings at the scenario's defaults.
 */
static void
test_check_types_the_capstone(void **state)
{
	(void)state;
	const char *json = "{\"history\": [{\"chapter\": 16, \"design\": {"
	    "\"cloud_hardware\": \"H100x3\", \"serving_strategy\": 5, "
	    "\"p99_latency_ms\": 45.10, \"total_cost_per_req\": \"cheap\", "
	    "\"system_valid\": false, \"constraint_hit\": 1, "
	    "\"weakest_invariant\": \"Memory Wall\", \"act1_prediction\": \"none\", "
	    "\"act2_prediction\": \"tiny_oom\"}}]}";
	struct diag_list errs;
	struct scenario s;
	struct design d;
	struct ledger *l;

	diag_init(&errs);
	scenario_default(&s);
	l = ledger_parse("t.json", json, strlen(json), &errs);
	assert_non_null(l);
	check_design(l, &s, &d);
	assert_true(d.present);
	assert_int_equal(d.config.n_gpus, 3);
	assert_int_equal(d.config.serving, s.defaults.serving);
	assert_true(d.p99_ms.present);
	assert_true(d.p99_ms.v == 45.1);
	assert_string_equal(d.p99_ms.text, "45.1");
	assert_false(d.cost_per_req.present);
	assert_true(d.system_valid.present);
	assert_false(d.system_valid.v);
	assert_false(d.constraint_hit.present);
	assert_false(d.labs_completed.present);
	assert_string_equal(d.weakest_invariant, "Memory Wall");
	assert_null(d.act1_prediction);
	assert_string_equal(d.act2_prediction, "tiny_oom");
	assert_true(has_diag(&d.diags, DIAG_WARNING, NULL,
	    "history[0].design.serving_strategy: expected one of static", NULL));
	assert_true(has_diag(&d.diags, DIAG_WARNING, NULL,
	    "history[0].design.total_cost_per_req: expected a number", "not compared"));
	assert_true(has_diag(&d.diags, DIAG_WARNING, NULL,
	    "history[0].design.constraint_hit: expected true or false", "not compared"));
	assert_true(has_diag(&d.diags, DIAG_WARNING, NULL,
	    "history[0].design.retraining_cadence_days: missing", "30 days"));
	/* and quantization, edge, mobile, fairness missing: 8 in all */
	assert_int_equal(diag_count(&d.diags, DIAG_WARNING), 8);
	assert_int_equal(diag_count(&l->diags, DIAG_WARNING), 0);
	design_free(&d);
	ledger_free(l);
	diag_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_error_has_line_col_and_caret),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_empty_and_whitespace_files),
		cmocka_unit_test(test_wrong_top_level_shapes),
		cmocka_unit_test(test_deep_nesting_is_refused_cleanly),
		cmocka_unit_test(test_byte_order_mark_is_accepted),
		cmocka_unit_test(test_invalid_entries_are_skipped_with_path),
		cmocka_unit_test(test_invalid_redo_does_not_erase_earlier_design),
		cmocka_unit_test(test_out_of_range_chapters_are_noted),
		cmocka_unit_test(test_flag_warnings_name_the_path),
		cmocka_unit_test(test_duplicate_keys_last_wins_with_warning),
		cmocka_unit_test(test_unknown_top_level_key_warns),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
		cmocka_unit_test(test_non_string_decision_shown_as_json_text),
		cmocka_unit_test(test_escaped_keys_and_huge_entries),
		cmocka_unit_test(test_many_entries_keep_the_last_of_each_chapter),
		cmocka_unit_test(test_capstone_fields_fall_back_with_warnings),
		cmocka_unit_test(test_capstone_hardware_parsing),
		cmocka_unit_test(test_predictions_are_judged),
		cmocka_unit_test(test_consistency_notes_compare_rounded_values),
		cmocka_unit_test(test_strict_checker_still_refuses_python_words),
		cmocka_unit_test(test_python_nonfinite_words_are_read_with_a_warning_each),
		cmocka_unit_test(test_nonfinite_numbers_land_on_their_own_values),
		cmocka_unit_test(test_nonfinite_capstone_values),
		cmocka_unit_test(test_capstone_settings_outside_their_domain_take_the_default),
		cmocka_unit_test(test_later_edition_gets_one_clear_message),
		cmocka_unit_test(test_file_errors_name_the_file),
		cmocka_unit_test(test_examples_read_as_a_person_expects),
		cmocka_unit_test(test_student_name_from_path),
		cmocka_unit_test(test_check_types_the_capstone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
