/*
 * fuzz_roster: libFuzzer entry point for the roster reader with the batch
 * planner behind it.  Input: any bytes, taken as the text of a roster
 * (fuzz/roster.csv; its ledgers do not exist).  Runs roster_parse, then
 * batch_plan_make with no operands and with two, and batch_plan_shard, and
 * checks what must hold for every input: a refused roster has an error;
 * every job has a display name and a file name that is one safe path
 * component (valid UTF-8, no "/", "\", control bytes or leading ".", at
 * most BATCH_FILE_NAME_MAX bytes); no two jobs that run write the same
 * file; a shard keeps a contiguous slice.  Build and run: scripts/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/batch_plan.h"
#include "run/roster.h"
#include "base/util.h"

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_roster: %s: %s\n", what, detail ? detail : "");
	abort();
}

static void
check_file_name(const char *f)
{
	const unsigned char *p = (const unsigned char *)f;
	size_t len = strlen(f);

	if (len == 0 || len > BATCH_FILE_NAME_MAX)
		fail("file name length", f);
	if (f[0] == '.' || f[0] == ' ')
		fail("file name starts with a dot or space", f);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			fail("file name not UTF-8", f);
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '/' || p[i] == '\\'))
			fail("unsafe byte in a file name", f);
		i += n;
	}
}

static void
check_plan(const struct batch_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct batch_job *j = &p->jobs[i];
		if (j->student == NULL || j->student[0] == '\0')
			fail("a job without a name", NULL);
		check_file_name(j->file);
		if (j->state == JOB_RUN && j->path == NULL)
			fail("a job to run without a ledger", j->student);
		if (j->state != JOB_RUN && j->problem == NULL)
			fail("a job not run without a reason", j->student);
		for (size_t k = 0; k < i && j->state == JOB_RUN; k++)
			if (p->jobs[k].state == JOB_RUN &&
			    batch_file_names_clash(p->jobs[k].file, j->file))
				fail("two jobs write the same file", j->file);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const operands[] = { "fuzz/a.json", "b.json" };
	struct diag_list dl;
	struct roster *r;
	struct batch_plan p;
	/* An exact-size copy, not NUL-terminated: ASan sees any overread. */
	char *text = malloc(size ? size : 1);

	if (size)
		memcpy(text, data, size);
	diag_init(&dl);
	r = roster_parse("fuzz/roster.csv", text, size, &dl);
	if (r == NULL) {
		if (diag_count(&dl, DIAG_ERROR) == 0)
			fail("roster refused without an error", NULL);
		goto out;
	}
	/* the planner's collision check is quadratic here: small rosters only */
	if (r->n <= 200) {
		batch_plan_make(&p, NULL, 0, r);
		check_plan(&p);
		{
			size_t before = p.n;
			unsigned n = 1 + (size % 7), k = 1 + (unsigned)(size % n);
			size_t lo, hi;
			batch_shard_range(before, k, n, &lo, &hi);
			batch_plan_shard(&p, k, n);
			if (p.n != hi - lo)
				fail("a shard of the wrong size", NULL);
		}
		batch_plan_free(&p);
		batch_plan_make(&p, operands, 2, r);
		check_plan(&p);
		batch_plan_free(&p);
	}
	roster_free(r);
out:
	diag_free(&dl);
	free(text);
	return 0;
}
