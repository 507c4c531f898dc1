/*
 * main: the archaudit command.  Parses options, prints usage, runs the
 * library over each input and picks the exit status.  Nothing else lives
 * here: every stage is in the library.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "engine.h"
#include "inputs.h"
#include "ledger.h"
#include "outfile.h"
#include "report.h"
#include "scenario.h"
#include "util.h"

#define VERSION "0.1.0"

enum exit_status {
	EXIT_OK = 0,          /* every ledger gave its output */
	EXIT_SOME_FAILED = 1, /* at least one ledger gave none (named on stderr) */
	EXIT_USAGE = 2,       /* bad option, scenario or template: nothing done */
	EXIT_INTERNAL = 3     /* out of memory (from the x* allocators) */
};

struct options {
	bool json, grid_json, markdown, quiet, verbose, a4;
	const char *figures_dir;
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
"       archaudit --json [OPTIONS] LEDGER|DIR|- ...\n"
"       archaudit --grid-json [--scenario FILE]\n"
"\n"
"Turns Design Ledgers into audit reports.  A DIR means its *.json files in\n"
"name order; - reads one ledger from standard input.\n"
"\n"
"  -o, --output DIR     write reports into DIR (default: out)\n"
"  -t, --templates DIR  report templates: DIR/audit.md and DIR/partials/\n"
"                       (default: templates)\n"
"      --a4             A4 paper (default: US Letter)\n"
"      --markdown       write the filled-in Markdown (.md) instead of PDF\n"
"      --figures DIR    also write each report's charts as PNG and SVG into\n"
"                       DIR/<student>/\n"
"      --json           print one JSON object per ledger (JSON Lines) on\n"
"                       standard output instead of writing reports\n"
"      --grid-json      print the census of the whole Act II grid and exit\n"
"      --scenario FILE  override constants, SLOs or grid axes (JSON)\n"
"      --max-size N     refuse ledgers larger than N bytes (K, M, G\n"
"                       suffixes; default 16M)\n"
"  -q, --quiet          print errors only\n"
"  -v, --verbose        also print notes (e.g. Volume II entries left out)\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"Exit status: 0 all ledgers done, 1 some ledgers failed (each named on\n"
"standard error), 2 usage error, 3 out of memory.\n", f);
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		/* FALLTHROUGH */
	case 'M': case 'm':
		v <<= 10;
		/* FALLTHROUGH */
	case 'K': case 'k':
		v <<= 10;
		end++;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
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
		diag_format(d, &b);
		fprintf(stderr, "%s\n", b.data);
	}
	if (dl->dropped > 0 && !o->quiet)
		fprintf(stderr, "archaudit: %zu more messages not shown\n", dl->dropped);
	buf_free(&b);
}

/* One ledger: read, evaluate, emit.  Returns 0 or -1 (reported). */
static int
process(const char *path, const struct scenario *s, const struct report_env *env,
    const struct options *o, struct buf *line)
{
	struct diag_list errs;
	struct ledger *l;
	struct audit *a;
	struct buf bytes;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	int rc = 0;

	diag_init(&errs);
	buf_init(&bytes);
	if (ledger_read_file(path, o->max_bytes, &bytes, &errs) != 0 ||
	    (l = ledger_parse(name, bytes.data ? bytes.data : "", bytes.len,
	    &errs)) == NULL) {
		print_diags(&errs, o);
		diag_free(&errs);
		buf_free(&bytes);
		return -1;
	}
	a = audit_new(l, s, NULL);
	print_diags(&a->ledger->diags, o);
	print_diags(&a->diags, o);

	buf_reset(line);
	if (o->json) {
		audit_write_json(a, s, line, 0);
		buf_putc(line, '\n');
		fwrite(line->data, 1, line->len, stdout);
	} else {
		char *dst = xasprintf("%s/%s.%s", o->out_dir, a->student,
		    o->markdown ? "md" : "pdf");
		int r = o->markdown
		    ? report_markdown(env, a, bytes.data, bytes.len, line, &errs)
		    : report_render(env, a, bytes.data, bytes.len, line, &errs);
		if (r != 0 || outfile_write(dst, line->data, line->len, &errs) != 0)
			rc = -1;
		print_diags(&errs, o);
		free(dst);
	}
	audit_free(a);
	diag_free(&errs);
	buf_free(&bytes);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "a4", no_argument, NULL, 'A' },
		{ "markdown", no_argument, NULL, 'D' },
		{ "figures", required_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'J' },
		{ "grid-json", no_argument, NULL, 'G' },
		{ "scenario", required_argument, NULL, 'S' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .out_dir = "out", .template_dir = "templates",
	    .max_bytes = LEDGER_DEFAULT_MAX_BYTES };
	struct report_env *env = NULL;
	struct census *census = NULL;
	struct scenario s;
	struct inputs in;
	struct diag_list errs;
	struct buf line;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "o:t:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out_dir = optarg;
			break;
		case 't':
			o.template_dir = optarg;
			break;
		case 'A':
			o.a4 = true;
			break;
		case 'D':
			o.markdown = true;
			break;
		case 'F':
			o.figures_dir = optarg;
			break;
		case 'J':
			o.json = true;
			break;
		case 'G':
			o.grid_json = true;
			break;
		case 'S':
			o.scenario = optarg;
			break;
		case 'M':
			if (parse_size(optarg, &o.max_bytes) != 0) {
				fprintf(stderr, "archaudit: --max-size: expected a "
				    "size such as 16M, got \"%s\"\n", optarg);
				return EXIT_USAGE;
			}
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
			usage(stderr);
			return EXIT_USAGE;
		}
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
		buf_init(&line);
		census_write_json(cs, &line);
		buf_putc(&line, '\n');
		fwrite(line.data, 1, line.len, stdout);
		buf_free(&line);
		census_free(cs);
		scenario_free(&s);
		diag_free(&errs);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_INTERNAL;
	}

	if (optind >= argc) {
		fprintf(stderr, "archaudit: no ledgers given (a file, a directory "
		    "or - for standard input)\n");
		usage(stderr);
		scenario_free(&s);
		return EXIT_USAGE;
	}
	inputs_init(&in);
	for (int i = optind; i < argc; i++)
		if (inputs_add(&in, argv[i], &errs) != 0)
			status = EXIT_SOME_FAILED;
	print_diags(&errs, &o);
	diag_free(&errs);
	if (!o.json) {
		struct report_env_options ro = { o.template_dir, o.a4,
		    "archaudit " VERSION, o.figures_dir, 150 };
		census = census_new(&s);
		env = report_env_new(&ro, &s, census, &errs);
		if (env == NULL) {
			print_diags(&errs, &o);
			status = EXIT_USAGE;
			goto done;
		}
		if (outfile_mkdirs(o.out_dir, &errs) != 0) {
			print_diags(&errs, &o);
			status = EXIT_SOME_FAILED;
			goto done;
		}
	}

	buf_init(&line);
	size_t failed = 0;
	for (size_t i = 0; i < in.n; i++)
		if (process(in.paths[i], &s, env, &o, &line) != 0)
			failed++;
	buf_free(&line);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "archaudit: standard output: %s\n", strerror(errno));
		status = EXIT_SOME_FAILED;
	}
	if (failed > 0) {
		if (!o.quiet)
			fprintf(stderr, "archaudit: %zu of %zu ledgers failed\n",
			    failed, in.n);
		status = EXIT_SOME_FAILED;
	}
done:
	diag_free(&errs);
	report_env_free(env);
	census_free(census);
	inputs_free(&in);
	scenario_free(&s);
	return status;
}
