/*
 * report_dump: the layout dump (the text device, dump.h) of each ledger's
 * report, for the report goldens in tests/regress/.
 *   report_dump [--program "archaudit X"] OUTDIR LEDGER...
 * writes OUTDIR/<student>.dump: the boxes of every page, then one
 * "diag ..." line per message the typesetting gave.  Default scenario and
 * templates/, as a plain run of archaudit.  Exit 0, 1 if a ledger failed
 * (named on standard error), 64 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "model/engine.h"
#include "read/ledger.h"
#include "run/job.h"
#include "run/report.h"
#include "model/scenario.h"
#include "base/util.h"

static int
dump_one(const struct report_env *env, const struct scenario *s,
    const char *path, const char *out_dir)
{
	struct job_input in = { .path = path, .source = path,
	    .max_bytes = LEDGER_DEFAULT_MAX_BYTES };
	struct job j;
	struct buf got;
	char *out_path = NULL;
	size_t first = 0;
	FILE *fp;
	int rc = -1;

	job_init(&j);
	buf_init(&got);
	if (job_model(&j, &in, s, report_env_census(env)) != 0)
		goto out;
	/* the golden keeps what typesetting said, not the ledger's warnings */
	first = j.diags.n;
	if (report_dump(env, j.results, j.bytes.data, j.bytes.len, &got, &j.diags) != 0)
		goto out;
	for (size_t i = first; i < j.diags.n; i++) {
		buf_puts(&got, "diag ");
		diag_format(&j.diags.items[i], &got);
		buf_putc(&got, '\n');
	}
	out_path = xasprintf("%s/%s.dump", out_dir, j.results->audit->student);
	if ((fp = fopen(out_path, "wb")) == NULL)
		goto out;
	if (fwrite(got.data, 1, got.len, fp) == got.len)
		rc = 0;
	if (fclose(fp) != 0)
		rc = -1;
out:
	if (rc != 0) {
		fprintf(stderr, "report_dump: %s failed\n", path);
		for (size_t i = 0; i < j.diags.n; i++) {
			buf_reset(&got);
			diag_format(&j.diags.items[i], &got);
			fprintf(stderr, "%s\n", got.data);
		}
	}
	free(out_path);
	buf_free(&got);
	job_free(&j);
	return rc;
}

int
main(int argc, char **argv)
{
	struct report_env_options ro = { .template_dir = "templates",
	    .program = "archaudit", .figures_dpi = 150 };
	struct scenario s;
	struct census *census;
	struct report_env *env;
	struct diag_list dl;
	int i = 1, failed = 0;

	if (argc > 2 && strcmp(argv[1], "--program") == 0) {
		ro.program = argv[2];
		i = 3;
	}
	if (argc - i < 1) {
		fprintf(stderr, "usage: report_dump [--program P] OUTDIR LEDGER...\n");
		return 64;
	}
	scenario_default(&s);
	census = census_new(&s);
	diag_init(&dl);
	env = report_env_new(&ro, &s, census, &dl);
	if (env == NULL) {
		struct buf b;
		buf_init(&b);
		for (size_t k = 0; k < dl.n; k++) {
			buf_reset(&b);
			diag_format(&dl.items[k], &b);
			fprintf(stderr, "%s\n", b.data);
		}
		buf_free(&b);
		return 1;
	}
	for (int k = i + 1; k < argc; k++)
		if (dump_one(env, &s, argv[k], argv[i]) != 0)
			failed = 1;
	report_env_free(env);
	census_free(census);
	scenario_free(&s);
	diag_free(&dl);
	return failed;
}
