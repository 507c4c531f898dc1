/*
 * fuzz_ledger: libFuzzer entry point for the ledger reader with the model.
 * Input: any bytes, taken as the text of one ledger.  Runs what the program
 * runs for one file (ledger_parse, audit_new with the default scenario,
 * audit_write_json) and checks what must hold for every input: the JSON
 * written is valid JSON and valid UTF-8, and every diagnostic formats to
 * one line of valid UTF-8 without control characters.  cJSON is included
 * here only to check the output; the reader under test owns its own use.
 * Build and run: scripts/fuzz.sh.
 */
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "view/audit_json.h"
#include "read/ledger.h"
#include "model/scenario.h"
#include "base/util.h"

/* Every byte of s[0..len) is valid UTF-8 and, unless allow_ctl, no control. */
static int
clean_utf8(const char *s, size_t len, int allow_ctl)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0 || (!allow_ctl && n == 1 && (p[i] < 0x20 || p[i] == 0x7f)))
			return 0;
		i += n;
	}
	return 1;
}

/* A diagnostic's first line must be printable; a syntax error adds two more. */
static void
check_diags(const struct diag_list *dl)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < dl->n; i++) {
		buf_reset(&b);
		diag_format(&dl->items[i], &b);
		size_t first = strcspn(b.data, "\n");
		if (!clean_utf8(b.data, first, 0)) {
			fprintf(stderr, "unprintable diagnostic: %s\n", b.data);
			abort();
		}
		if (!clean_utf8(b.data, b.len, 1)) {
			fprintf(stderr, "invalid UTF-8 in a diagnostic: %s\n", b.data);
			abort();
		}
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario s;
	static int ready;
	struct diag_list errs;
	struct ledger *l;
	struct buf out;

	if (!ready) {
		scenario_default(&s);
		ready = 1;
	}
	/* An exact-size copy, not NUL-terminated: ASan sees any overread. */
	char *text = malloc(size ? size : 1);
	if (size)
		memcpy(text, data, size);

	diag_init(&errs);
	l = ledger_parse("fuzz.json", text, size, &errs);
	check_diags(&errs);
	if (l == NULL) {
		if (diag_count(&errs, DIAG_ERROR) == 0) {
			fprintf(stderr, "ledger refused without an error\n");
			abort();
		}
		goto out;
	}
	struct design d;
	check_design(l, &s, &d);
	struct audit *a = audit_new(l, &d, &s, NULL);
	check_diags(&a->ledger->diags);
	check_diags(&a->diags);
	buf_init(&out);
	audit_write_json(a, &s, &out, size > 0 && data[0] == ' ' ? 2 : 0);
	if (!clean_utf8(out.data, out.len, 1)) {
		fprintf(stderr, "invalid UTF-8 in the JSON output\n");
		abort();
	}
	cJSON *back = cJSON_ParseWithLength(out.data, out.len);
	if (back == NULL) {
		fprintf(stderr, "the JSON output does not parse: %s\n", out.data);
		abort();
	}
	cJSON_Delete(back);
	buf_free(&out);
	audit_free(a);
out:
	diag_free(&errs);
	free(text);
	return 0;
}
