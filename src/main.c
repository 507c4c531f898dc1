/*
 * main: the archaudit command.  Parses options, prints usage, runs the
 * library over each input and picks the exit status.  Nothing else lives
 * here: every stage is in the library.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "model/audit.h"
#include "run/job.h"
#include "run/batch.h"
#include "device/bundle.h"
#include "run/batch_plan.h"
#include "base/datadir.h"
#include "model/engine.h"
#include "run/inputs.h"
#include "read/ledger.h"
#include "read/lms_zip.h"
#include "base/outfile.h"
#include "run/outputs.h"
#include "run/records.h"
#include "run/report.h"
#include "run/roster.h"
#include "model/scenario.h"
#include "read/scenario_load.h"
#include "base/util.h"

#define VERSION "0.1.0"
/* The data folder of the build (make sets it from PREFIX or DATADIR). */
#ifndef ARCHAUDIT_DATADIR
#define ARCHAUDIT_DATADIR "/usr/local/share/archaudit"
#endif

enum exit_status {
	EXIT_OK = 0,          /* every ledger gave its output */
	EXIT_SOME_FAILED = 1, /* at least one ledger gave none (named on stderr) */
	EXIT_USAGE = 2,       /* bad option, scenario or template: nothing done */
	EXIT_INTERNAL = 3,    /* out of memory (from the x* allocators) */
	EXIT_INTERRUPTED = 4  /* SIGINT or SIGTERM: stopped early, nothing half-written */
};

struct options {
	bool json, grid_json, markdown, quiet, verbose, a4, skip_existing, pdfa, pdfa1b;
	bool no_class_appendix;     /* --no-class-appendix */
	bool out_given;             /* -o was given */
	const char *figures_dir;
	const char *han_lang;        /* --han-lang: language of Han-only names */
	const char *roster;
	const char *csv, *class_summary, *bundle;
	const char *records;        /* --records FILE.jsonl */
	bool merge;                 /* --merge: the operands are records files */
	const char *csv_format;     /* --csv-format as given, NULL = plain */
	enum gradebook_format gradebook;
	unsigned jobs;              /* 0 = the number of cores */
	unsigned shard_k, shard_n;  /* 0 = no sharding */
	const char *out_dir;
	const char *template_dir;
	const char *scenario;
	size_t max_bytes;
};

static void
usage(FILE *f)
{
	fputs(
"usage: archaudit [OPTIONS] LEDGER|DIR|- ...\n"
"       archaudit [OPTIONS] --roster FILE.csv [LEDGER|DIR ...]\n"
"       archaudit --merge [OPTIONS] RECORDS.jsonl ...\n"
"       archaudit --json [OPTIONS] LEDGER|DIR|- ...\n"
"       archaudit --grid-json [--scenario FILE]\n"
"\n"
"Turns Design Ledgers into audit reports, one PDF per student.  A DIR means\n"
"its *.json files; - reads one ledger from standard input.\n"
"\n"
"Output\n"
"  -o, --output DIR       write reports into DIR (default: out)\n"
"      --roster FILE.csv  names, sections and order from a class list\n"
"                         (columns id,name,section,ledger; optional lang,\n"
"                         email, sis_id)\n"
"      --csv FILE.csv     also write a gradebook: one row per student\n"
"      --csv-format F     the gradebook's form: plain (default), canvas or\n"
"                         moodle (what their grade import reads)\n"
"      --class-summary FILE.pdf\n"
"                         also write the class summary\n"
"      --bundle FILE.pdf  also write every report in one PDF for duplex\n"
"                         printing (each starts on an odd page)\n"
"      --records FILE.jsonl\n"
"                         also write one JSON line per student, for --merge\n"
"      --merge RECORDS... write --csv, --class-summary and --bundle for the\n"
"                         whole cohort from the --records of every shard\n"
"      --skip-existing    keep reports already in DIR (finish a stopped run)\n"
"      --markdown         write the filled-in Markdown (.md) instead of PDF\n"
"      --figures DIR      also write each report's charts as PNG and SVG\n"
"                         into DIR/<student>/\n"
"Running\n"
"  -j, --jobs N           N worker processes (default: the number of cores)\n"
"      --shard K/N        only the K-th of N equal slices of the sorted\n"
"                         students, to spread a cohort over N machines\n"
"Content\n"
"  -t, --templates DIR    report templates: DIR/audit.md, DIR/class.md,\n"
"                         DIR/partials/ (default: $ARCHAUDIT_TEMPLATES, else\n"
"                         the installed ones; see the manual)\n"
"      --scenario FILE    override constants, SLOs or grid axes (JSON)\n"
"      --a4               A4 paper (default: US Letter)\n"
"      --no-class-appendix  leave out the appendix every student's report\n"
"                         shares (the grid's census and Pareto frontier)\n"
"      --han-lang TAG     language of names written in Han characters only,\n"
"                         when the roster gives none: zh-Hans (default),\n"
"                         zh-Hant, zh-HK, ja or ko (picks the glyph forms)\n"
"      --pdfa[=2u|1b]     archival reports: PDF/A-2u that is also PDF/UA-1\n"
"                         (default), or PDF/A-1b for archives that require\n"
"                         it (needs the sRGB profile of icc-profiles-free)\n"
"      --max-size N       refuse ledgers larger than N bytes (K, M, G\n"
"                         suffixes; default 16M)\n"
"Other modes\n"
"      --json             print one JSON object per ledger (JSON Lines) on\n"
"                         standard output instead of writing reports\n"
"      --grid-json        print the census of the whole Act II grid and exit\n"
"Messages\n"
"  -q, --quiet            print errors only (no progress, no summary)\n"
"  -v, --verbose          also print notes (e.g. Volume II entries left out)\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 all done, 1 some ledgers or outputs (standard output too)\n"
"failed (each named on standard error), 2 usage error or an output that\n"
"would replace an input (nothing done), 3 out of memory,\n"
"4 interrupted by SIGINT or SIGTERM.\n", f);
}

/* A usage error: its cause on one line, then where to read more. */
static int ATTR_PRINTF(1, 2)
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("archaudit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'archaudit --help'.\n", stderr);
	return EXIT_USAGE;
}

static int
parse_jobs(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < 1 ||
	    v > BATCH_MAX_WORKERS)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'G': case 'g':
		shift = 30;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (shift > 0)
		end++;
	/* a value that overflows the shift is refused, not wrapped */
	if (v > (((unsigned long long)1 << 40) >> shift))
		return -1;
	v <<= shift;
	if (*end != '\0' || v == 0 || v > ((unsigned long long)1 << 40))
		return -1;
	*out = (size_t)v;
	return 0;
}

static void
print_diags(const struct diag_list *dl, const struct options *o)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		if (d->level == DIAG_NOTE && !o->verbose)
			continue;
		if (d->level == DIAG_WARNING && o->quiet)
			continue;
		buf_reset(&b);
		if (o->verbose)
			diag_format_id(d, &b);
		else
			diag_format(d, &b);
		fprintf(stderr, "%s\n", b.data);
	}
	if (dl->dropped > 0 && !o->quiet)
		fprintf(stderr, "archaudit: %zu more messages not shown\n", dl->dropped);
	buf_free(&b);
}

/* Did anything written to standard output fail?  errno says why. */
static bool
stdout_failed(void)
{
	if (fflush(stdout) != 0)
		return true;
	if (ferror(stdout)) {
		if (errno == 0)
			errno = EIO;
		return true;
	}
	return false;
}

/*
 * --json: one ledger evaluated and printed.  The ledger is the file at path,
 * or, with member, entry index of the zip at path.  Returns 0, or -1 when
 * the job's worst message was an error (mandoc's model: the exit status
 * follows the worst level; notes and warnings leave it 0).
 */
static int
print_json(const char *path, const struct lms_submission *member,
    const struct scenario *s, const struct options *o, struct buf *line)
{
	struct job_input in = { .path = path, .max_bytes = o->max_bytes };
	struct job j;
	char *name = member != NULL ? xasprintf("%s:%s", path, member->entry)
	    : xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	int rc;

	in.source = name;
	if (member != NULL) {
		in.member = member->entry;
		in.member_index = member->index;
		in.refused = member->refused;
		in.student = member->name;
	}
	job_init(&j);
	rc = job_model(&j, &in, s, NULL);
	print_diags(&j.diags, o);
	if (rc == 0) {
		buf_reset(line);
		job_output(&j, JOB_JSON, NULL, line);
		fwrite(line->data, 1, line->len, stdout);
	}
	rc = diag_worst(&j.diags) >= DIAG_ERROR ? -1 : 0;
	job_free(&j);
	free(name);
	return rc;
}

/* --json over a submissions zip: each student's ledger in turn. */
static int
print_json_zip(const char *path, const struct scenario *s, const struct options *o,
    struct buf *line, size_t *n_ledgers)
{
	struct lms_zip z;
	char *why;
	size_t failed = 0;

	struct diag_list dl;

	diag_init(&dl);
	if (lms_zip_scan(path, &z, &why) != 0) {
		diag_add(&dl, DIAG_ERROR, "zip.unreadable", path, "%s", why);
		print_diags(&dl, o);
		diag_free(&dl);
		free(why);
		(*n_ledgers)++;
		return 1;
	}
	for (size_t i = 0; i < z.n; i++) {
		if (z.subs[i].note != NULL) {
			char *where = xasprintf("%s:%s", path, z.subs[i].entry);
			diag_add(&dl, DIAG_WARNING, "zip.entry-note",
			    where, "%s", z.subs[i].note);
			print_diags(&dl, o);
			diag_free(&dl);
			free(where);
		}
		failed += print_json(path, &z.subs[i], s, o, line) != 0;
	}
	*n_ledgers += z.n;
	lms_zip_free(&z);
	lms_zip_close_cached();
	return (int)failed;
}

static int
run_json(const struct inputs *in, const struct scenario *s, const struct options *o)
{
	struct buf line;
	size_t failed = 0;
	int status = EXIT_OK;

	buf_init(&line);
	errno = 0;
	size_t n_ledgers = 0;
	for (size_t i = 0; i < in->n; i++) {
		if (lms_zip_is_zip(in->paths[i])) {
			failed += (size_t)print_json_zip(in->paths[i], s, o, &line, &n_ledgers);
			continue;
		}
		n_ledgers++;
		if (print_json(in->paths[i], NULL, s, o, &line) != 0)
			failed++;
	}
	buf_free(&line);
	if (stdout_failed()) {
		fprintf(stderr, "archaudit: standard output: cannot write: %s\n",
		    strerror(errno));
		status = EXIT_SOME_FAILED;
	}
	if (failed > 0) {
		if (!o->quiet)
			fprintf(stderr, "archaudit: %zu of %zu ledgers failed\n",
			    failed, n_ledgers);
		status = EXIT_SOME_FAILED;
	}
	return status;
}

/* Reports for every planned student, in worker processes. */
/*
 * Would the bundle pass BUNDLE_MAX_PAGES?  Said before any work, from the
 * number of students, rather than after every report is written.
 */
static bool
bundle_too_long(const struct batch_plan *plan, const char *path)
{
	size_t n = 0;

	for (size_t j = 0; j < plan->n; j++)
		n += plan->jobs[j].state == JOB_RUN;
	if (n <= BUNDLE_MAX_PAGES / BUNDLE_PAGES_PER_REPORT)
		return false;
	fprintf(stderr, "%s: error: %zu reports make about %zu pages, more than the "
	    "%d a bundle takes; make one bundle per section (a roster for each) or "
	    "per shard (--shard K/N with N of at least %zu); no report written\n",
	    path, n, n * BUNDLE_PAGES_PER_REPORT, BUNDLE_MAX_PAGES,
	    (n * BUNDLE_PAGES_PER_REPORT + BUNDLE_MAX_PAGES - 1) / BUNDLE_MAX_PAGES);
	return true;
}

/* Whether any student of the plan has an email or a sis_id. */
static bool
plan_has_lms_id(const struct batch_plan *p)
{
	for (size_t j = 0; j < p->n; j++)
		if (p->jobs[j].more->email[0] != '\0' || p->jobs[j].more->sis_id[0] != '\0')
			return true;
	return false;
}

/*
 * What every report of a run shared (the fonts, the templates, the
 * census), kept from the end of the run to the end of the process instead
 * of freed object by object: the kernel takes a process's memory back at
 * once, and the freeing took 1.2 ms of a 28 ms single report.  Held here,
 * so a leak checker sees it still reachable, not lost.
 */
static struct {
	struct report_env *env;
	struct census *census;
	struct report_template *class_tpl;
} kept;

static void
keep_to_exit(struct report_env *env, struct census *census, struct report_template *class_tpl)
{
	report_template_free(kept.class_tpl);
	report_env_free(kept.env);
	census_free(kept.census);
	kept.env = env;
	kept.census = census;
	kept.class_tpl = class_tpl;
}

/*
 * A planned run: its outputs checked against its inputs, then the reports
 * made by workers, or with given (--merge), taken from the records.  Frees
 * plan.  merged[0..n_merged) are further inputs (the records and reports
 * of a merge).
 */
static int
run_plan(struct batch_plan *plan, const struct records_result *given,
    const char *const *merged, size_t n_merged, const struct scenario *s,
    const struct options *o)
{
	struct report_env_options ro = { .a4 = o->a4, .program = "archaudit " VERSION,
	    .figures_dir = o->figures_dir, .figures_dpi = 150, .pdfa = o->pdfa,
	    .han_lang = o->han_lang, .pdfa1b = o->pdfa1b,
	    .no_class_appendix = o->no_class_appendix };
	struct batch_options bo;
	struct batch_stats st;
	struct records_meta meta;
	struct report_template *class_tpl = NULL;
	struct report_env *env = NULL;
	struct census *census = NULL;
	struct diag_list errs;
	char *tpl_dir;
	int status;

	diag_init(&errs);
	memset(&meta, 0, sizeof meta);
	if (o->roster != NULL)
		records_file_sha(o->roster, meta.roster_sha);
	if (o->scenario != NULL)
		records_file_sha(o->scenario, meta.scenario_sha);
	meta.shard_k = o->shard_n ? o->shard_k : 1;
	meta.shard_n = o->shard_n ? o->shard_n : 1;
	tpl_dir = datadir_templates(o->template_dir, ARCHAUDIT_DATADIR, &errs);
	{
		/* every shard's reports: another shard's may not be replaced either */
		struct run_paths rp = { .out_dir = given ? NULL : o->out_dir,
		    .ext = o->markdown ? "md" : "pdf", .csv = o->csv,
		    .class_summary = o->class_summary, .bundle = o->bundle,
		    .records = o->records,
		    .roster = o->roster, .scenario = o->scenario,
		    .template_dir = tpl_dir, .merged = merged, .n_merged = n_merged };
		int rc = outputs_check_run(plan, &rp, &errs);
		if (rc != 0) {
			print_diags(&errs, o);
			status = rc == -1 ? EXIT_USAGE : EXIT_SOME_FAILED;
			goto out;
		}
	}
	if (o->gradebook == GRADEBOOK_MOODLE && !plan_has_lms_id(plan)) {
		fprintf(stderr, "archaudit: %s: error: no student has an email or "
		    "sis_id, which the Moodle gradebook (--csv-format moodle) "
		    "needs to find each one; add an email or sis_id column\n",
		    o->roster ? o->roster : "the records");
		status = EXIT_USAGE;
		goto out;
	}
	if (o->shard_n > 0)
		batch_plan_shard(plan, o->shard_k, o->shard_n);
	if (o->bundle != NULL && bundle_too_long(plan, o->bundle)) {
		status = EXIT_USAGE;
		goto out;
	}
	/* made once, before the workers start: they share it */
	census = census_new(s);
	ro.template_dir = tpl_dir;
	if (tpl_dir != NULL)
		env = report_env_new(&ro, s, census, &errs);
	if (env != NULL && o->class_summary != NULL)
		class_tpl = report_template_load(env, "class.md", &errs);
	if (env == NULL || (o->class_summary != NULL && class_tpl == NULL)) {
		print_diags(&errs, o);
		status = EXIT_USAGE;
		goto out;
	}
	memset(&bo, 0, sizeof bo);
	bo.out_dir = given != NULL && !o->out_given ? NULL : o->out_dir;
	bo.markdown = o->markdown;
	bo.workers = o->jobs;
	if (bo.workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		bo.workers = n < 1 ? 1 : n > BATCH_MAX_WORKERS ? BATCH_MAX_WORKERS
		    : (unsigned)n;
	}
	bo.skip_existing = o->skip_existing;
	bo.quiet = o->quiet;
	bo.verbose = o->verbose;
	bo.max_bytes = o->max_bytes;
	bo.csv_path = o->csv;
	bo.csv_format = o->gradebook;
	bo.class_path = o->class_summary;
	bo.class_tpl = class_tpl;
	bo.bundle_path = o->bundle;
	bo.records_path = o->records;
	bo.records_meta = &meta;
	bo.given = given;
	bo.program = "archaudit " VERSION;
	switch (batch_run(plan, &bo, s, env, &st)) {
	case BATCH_OK:
		status = EXIT_OK;
		break;
	case BATCH_INTERRUPTED:
		status = EXIT_INTERRUPTED;
		break;
	case BATCH_TEMPLATE_FAULT:
		status = EXIT_USAGE;
		break;
	default:
		status = EXIT_SOME_FAILED;
		break;
	}
out:
	diag_free(&errs);
	free(tpl_dir);
	keep_to_exit(env, census, class_tpl);
	batch_plan_free(plan);
	return status;
}

/* Reports for the inputs and the roster, which is freed once planned. */
static int
run_batch(const struct inputs *in, struct roster **roster,
    const struct scenario *s, const struct options *o)
{
	struct batch_plan plan;

	batch_plan_make(&plan, (const char *const *)in->paths, in->n, *roster);
	/* the plan holds what it needs of the roster: a big class's rows go */
	roster_free(*roster);
	*roster = NULL;
	return run_plan(&plan, NULL, NULL, 0, s, o);
}

/*
 * --merge: the records files of every shard become one cohort, whose
 * CSV, class summary and bundle are written as one run would write them.
 */
static int
run_merge(const char *const *files, size_t n, const struct scenario *s,
    const struct options *o)
{
	struct batch_plan plan;
	struct records_result *res = NULL;
	struct records_meta meta;
	struct diag_list errs;
	const char **inputs;
	size_t n_inputs = 0;
	char sha[65] = "";
	int status;

	diag_init(&errs);
	if (records_merge(files, n, &plan, &res, &meta, &errs) != 0) {
		print_diags(&errs, o);
		status = EXIT_USAGE;
		goto out;
	}
	if (o->scenario != NULL)
		records_file_sha(o->scenario, sha);
	if (strcmp(sha, meta.scenario_sha) != 0) {
		fprintf(stderr, "archaudit: error: the records were made %s; merge "
		    "with the same --scenario as the shards\n", meta.scenario_sha[0]
		    ? "with another --scenario" : "without --scenario");
		status = EXIT_USAGE;
		goto out;
	}
	if (o->roster != NULL && (records_file_sha(o->roster, sha) != 0 ||
	    strcmp(sha, meta.roster_sha) != 0)) {
		fprintf(stderr, "archaudit: %s: error: not the roster the records were "
		    "made from (%s)\n", o->roster, meta.roster ? meta.roster : "none");
		status = EXIT_USAGE;
		goto out;
	}
	inputs = xcalloc(n + plan.n + 1, sizeof *inputs);
	for (size_t i = 0; i < n; i++)
		inputs[n_inputs++] = files[i];
	for (size_t j = 0; j < plan.n; j++)
		if (res[j].report != NULL)
			inputs[n_inputs++] = res[j].report;
	status = run_plan(&plan, res, inputs, n_inputs, s, o);
	free(inputs);
	records_results_free(res, meta.total);
	records_meta_free(&meta);
	diag_free(&errs);
	return status;
out:
	batch_plan_free(&plan);
	records_results_free(res, meta.total);
	records_meta_free(&meta);
	diag_free(&errs);
	return status;
}

/*
 * Options that do nothing in the chosen mode, or do not go together: a
 * usage error naming the conflict (EXIT_USAGE), else EXIT_OK.
 */
static int
conflicting(const struct options *o, int n_operands)
{
	const char *batch_only = o->csv ? "--csv" : o->class_summary ? "--class-summary"
	    : o->bundle ? "--bundle" : o->roster ? "--roster" : o->shard_n ? "--shard"
	    : o->skip_existing ? "--skip-existing" : o->records ? "--records"
	    : o->merge ? "--merge" : NULL;
	const char *report_only = o->out_given ? "-o" : o->figures_dir ? "--figures"
	    : o->pdfa ? "--pdfa" : o->markdown ? "--markdown" : o->a4 ? "--a4"
	    : o->template_dir ? "--templates" : NULL;

	if (o->grid_json) {
		const char *other = o->json ? "--json" : batch_only ? batch_only
		    : report_only;
		if (n_operands > 0)
			return usage_error("--grid-json prints the census of the "
			    "design space and reads no ledger; drop the ledgers or "
			    "--grid-json");
		if (other != NULL)
			return usage_error("%s does nothing with --grid-json", other);
	}
	if (o->json && batch_only != NULL)
		return usage_error("%s writes reports; it does not go with --json",
		    batch_only);
	if (o->json && report_only != NULL)
		return usage_error("%s is for reports; it does nothing with --json",
		    report_only);
	if (o->merge) {
		const char *no = o->records ? "--records" : o->shard_n ? "--shard"
		    : o->skip_existing ? "--skip-existing" : o->markdown ? "--markdown"
		    : o->figures_dir ? "--figures" : NULL;
		if (no != NULL)
			return usage_error("%s makes reports; --merge only gathers the "
			    "shards' records", no);
		if (n_operands == 0)
			return usage_error("--merge: give the --records file of every shard");
		if (!o->csv && !o->class_summary && !o->bundle)
			return usage_error("--merge writes --csv, --class-summary or "
			    "--bundle; give at least one");
	}
	if (o->csv_format != NULL && o->csv == NULL)
		return usage_error("--csv-format %s says the form of the gradebook; "
		    "give --csv FILE.csv too", o->csv_format);
	if (o->gradebook == GRADEBOOK_MOODLE && o->roster == NULL)
		return usage_error("--csv-format moodle needs --roster with an "
		    "email or sis_id column: Moodle finds each student by one "
		    "of them");
	if (o->markdown && (o->bundle || o->class_summary))
		return usage_error("%s is a PDF; it does not go with --markdown",
		    o->bundle ? "--bundle" : "--class-summary");
	if (o->markdown && (o->figures_dir || o->pdfa || o->a4))
		return usage_error("%s is for PDF reports; it does nothing with "
		    "--markdown", o->figures_dir ? "--figures" : o->pdfa ? "--pdfa"
		    : "--a4");
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	enum { OPT_A4 = 256, OPT_MARKDOWN, OPT_FIGURES, OPT_JSON, OPT_GRID_JSON,
	    OPT_SCENARIO, OPT_MAX_SIZE, OPT_ROSTER, OPT_CSV, OPT_CLASS_SUMMARY,
	    OPT_BUNDLE, OPT_SHARD, OPT_SKIP_EXISTING, OPT_PDFA, OPT_HAN_LANG,
	    OPT_CSV_FORMAT, OPT_RECORDS, OPT_MERGE, OPT_NO_CLASS_APPENDIX };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "a4", no_argument, NULL, OPT_A4 },
		{ "no-class-appendix", no_argument, NULL, OPT_NO_CLASS_APPENDIX },
		{ "markdown", no_argument, NULL, OPT_MARKDOWN },
		{ "figures", required_argument, NULL, OPT_FIGURES },
		{ "han-lang", required_argument, NULL, OPT_HAN_LANG },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "grid-json", no_argument, NULL, OPT_GRID_JSON },
		{ "scenario", required_argument, NULL, OPT_SCENARIO },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "roster", required_argument, NULL, OPT_ROSTER },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "csv-format", required_argument, NULL, OPT_CSV_FORMAT },
		{ "records", required_argument, NULL, OPT_RECORDS },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "class-summary", required_argument, NULL, OPT_CLASS_SUMMARY },
		{ "bundle", required_argument, NULL, OPT_BUNDLE },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "skip-existing", no_argument, NULL, OPT_SKIP_EXISTING },
		{ "pdfa", optional_argument, NULL, OPT_PDFA },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .out_dir = "out",
	    .max_bytes = LEDGER_DEFAULT_MAX_BYTES };
	struct roster *roster = NULL;
	struct scenario s;
	struct inputs in;
	struct diag_list errs;
	int c, status = EXIT_OK, r;
	/* before anything is opened: no output file may become fd 0, 1 or 2 */
	unsigned closed = std_streams_hold();

	heap_ready(1u << 20); /* the env's larger blocks from the heap, populated */
	while ((c = getopt_long(argc, argv, "o:t:j:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out_dir = optarg;
			o.out_given = true;
			break;
		case 't':
			o.template_dir = optarg;
			break;
		case 'j':
			if (parse_jobs(optarg, &o.jobs) != 0)
				return usage_error("--jobs: expected a number of "
				    "processes from 1 to %d, got \"%s\"",
				    BATCH_MAX_WORKERS, optarg);
			break;
		case OPT_A4:
			o.a4 = true;
			break;
		case OPT_NO_CLASS_APPENDIX:
			o.no_class_appendix = true;
			break;
		case OPT_MARKDOWN:
			o.markdown = true;
			break;
		case OPT_FIGURES:
			o.figures_dir = optarg;
			break;
		case OPT_HAN_LANG:
			o.han_lang = optarg;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_GRID_JSON:
			o.grid_json = true;
			break;
		case OPT_SCENARIO:
			o.scenario = optarg;
			break;
		case OPT_MAX_SIZE:
			if (parse_size(optarg, &o.max_bytes) != 0)
				return usage_error("--max-size: expected a size such "
				    "as 16M, got \"%s\"", optarg);
			break;
		case OPT_ROSTER:
			o.roster = optarg;
			break;
		case OPT_CSV:
			o.csv = optarg;
			break;
		case OPT_RECORDS:
			o.records = optarg;
			break;
		case OPT_MERGE:
			o.merge = true;
			break;
		case OPT_CSV_FORMAT:
			if (!gradebook_parse_format(optarg, &o.gradebook))
				return usage_error("--csv-format: expected plain, "
				    "canvas or moodle, got \"%s\"", optarg);
			o.csv_format = optarg;
			break;
		case OPT_CLASS_SUMMARY:
			o.class_summary = optarg;
			break;
		case OPT_BUNDLE:
			o.bundle = optarg;
			break;
		case OPT_SHARD:
			if (batch_parse_shard(optarg, &o.shard_k, &o.shard_n) != 0)
				return usage_error("--shard: expected K/N with 1 <= K "
				    "<= N (such as 2/8), got \"%s\"", optarg);
			break;
		case OPT_SKIP_EXISTING:
			o.skip_existing = true;
			break;
		case OPT_PDFA:
			o.pdfa = true;
			if (optarg != NULL && strcmp(optarg, "1b") != 0 && strcmp(optarg, "2u") != 0) {
				fprintf(stderr, "archaudit: --pdfa: expected 2u or 1b, got \"%s\"\n",
				    optarg);
				return EXIT_USAGE;
			}
			o.pdfa1b = optarg != NULL && strcmp(optarg, "1b") == 0;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("archaudit " VERSION "\n");
			return EXIT_OK;
		default:
			/* getopt said what was wrong */
			fputs("Try 'archaudit --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (conflicting(&o, argc - optind) != EXIT_OK)
		return EXIT_USAGE;
	{
		long long epoch;
		const char *e = getenv("SOURCE_DATE_EPOCH");
		if (e != NULL && !source_date_epoch(&epoch)) {
			fprintf(stderr, "archaudit: SOURCE_DATE_EPOCH: expected whole "
			    "seconds since 1970 up to the end of year 9999 (0 to "
			    "253402300799), got \"%.40s\"\n", e);
			return EXIT_USAGE;
		}
	}
	if ((o.json || o.grid_json) && (closed & 2u)) {
		fprintf(stderr, "archaudit: standard output is closed: the JSON has "
		    "nowhere to go\n");
		return EXIT_SOME_FAILED;
	}

	diag_init(&errs);
	scenario_default(&s);
	if (o.scenario != NULL && scenario_load(&s, o.scenario, &errs) != 0) {
		print_diags(&errs, &o);
		diag_free(&errs);
		scenario_free(&s);
		return EXIT_USAGE;
	}

	if (o.grid_json) {
		struct census *cs = census_new(&s);
		struct buf line;
		buf_init(&line);
		census_write_json(cs, &line);
		buf_putc(&line, '\n');
		errno = 0;
		fwrite(line.data, 1, line.len, stdout);
		buf_free(&line);
		census_free(cs);
		scenario_free(&s);
		diag_free(&errs);
		if (stdout_failed()) {
			fprintf(stderr, "archaudit: standard output: cannot write: %s\n",
			    strerror(errno));
			return EXIT_SOME_FAILED;
		}
		return EXIT_OK;
	}

	if (o.merge) {
		r = run_merge((const char *const *)argv + optind, (size_t)(argc - optind),
		    &s, &o);
		scenario_free(&s);
		diag_free(&errs);
		return r;
	}
	if (optind >= argc && o.roster == NULL) {
		scenario_free(&s);
		return usage_error("no ledgers given (a file, a directory, - for "
		    "standard input, or --roster FILE.csv)");
	}
	if (o.roster != NULL && (roster = roster_load(o.roster, &errs)) == NULL) {
		print_diags(&errs, &o);
		diag_free(&errs);
		scenario_free(&s);
		return EXIT_USAGE;
	}
	inputs_init(&in);
	for (int i = optind; i < argc; i++)
		if (inputs_add(&in, argv[i], &errs) != 0)
			status = EXIT_SOME_FAILED;
	print_diags(&errs, &o);
	diag_free(&errs);
	r = o.json ? run_json(&in, &s, &o) : run_batch(&in, &roster, &s, &o);
	if (r != EXIT_OK)
		status = r;
	roster_free(roster);
	inputs_free(&in);
	scenario_free(&s);
	return status;
}
