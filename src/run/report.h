/*
 * report: one audit to one finished PDF.  The pipeline is template
 * (Mustache, compiled once per run) -> Markdown -> document -> layout ->
 * PDF, with the charts drawn for this student.  Everything that can be
 * prepared once (the template, the fonts, the chart context, the points of
 * the design space) lives in a struct report_env shared by every report
 * of a run.
 */
#ifndef ARCHAUDIT_REPORT_H
#define ARCHAUDIT_REPORT_H

/*
 * A student's report has at most this many pages (README, Limits): the
 * student's strings and the frontier are bounded, so more is the
 * template's doing; such a report is an error naming the template and
 * the count, and is not written.
 */
#define REPORT_MAX_PAGES 12
/* what report_render and report_markdown return for a fault of the template
   itself (a render-time error, too many pages): the same for every student */
#define REPORT_TEMPLATE_FAULT (-2)

#include <stdbool.h>

#include "model/results.h"
#include "chart/chart.h"
#include "model/engine.h"
#include "model/scenario.h"
#include "tmpl/tvalue.h"
#include "base/util.h"

struct report_env;

struct report_env_options {
	const char *template_dir;      /* holds audit.md and partials/; "templates" */
	bool a4;                       /* A4 paper instead of US Letter */
	const char *program;           /* "archaudit 0.1.0" */
	const char *figures_dir;       /* also write each chart as PNG and SVG
	                                  into DIR/<student>/; NULL = don't */
	double figures_dpi;            /* PNG resolution (0 = 150) */
	bool pdfa;                     /* archive files, PDF/A-2u and PDF/UA-1 (needs
	                                  the sRGB profile of icc-profiles-free) */
	bool pdfa1b;                   /* with pdfa: PDF/A-1b instead */
	const char *han_lang;          /* BCP 47 language of Han-only names, borrowed;
	                                  NULL = "zh-Hans" */
	bool no_class_appendix;        /* leave out the page every student's report
	                                  shares (the grid's census and frontier) */
};

/*
 * Prepare a run: compile the template and its partials, load the fonts,
 * collect the design-space points.  s and c must outlive the env.
 * Returns NULL with errors (template FILE:line:col) in dl.
 */
struct report_env *report_env_new(const struct report_env_options *o,
    const struct scenario *s, const struct census *c, struct diag_list *dl);
void report_env_free(struct report_env *env);   /* NULL is a no-op */
/* The run's grid census, as given to report_env_new (for results_new). */
const struct census *report_env_census(const struct report_env *env);
/* The run's SOURCE_DATE_EPOCH, read once by report_env_new; false if unset. */
bool report_env_source_date(const struct report_env *env, long long *epoch);

/*
 * Typeset the report of rs (results.h) into out (the whole PDF file).  file_bytes is
 * the ledger as read (for its SHA-256 on the title page).  Problems met
 * while typesetting (a character no font has) are warnings in dl.
 * Returns 0, or -1 with an error in dl and out unchanged.
 */
int report_render(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl);

/* The Markdown the template produced for rs, for tests and --markdown. */
int report_markdown(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl);

/*
 * The layout of rs's report as the text device prints it (dump.h), for
 * the report goldens in tests/regress/.  Returns 0, or -1 with an error in dl.
 */
int report_dump(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl);

/*
 * Another template of the env's template folder (e.g. "class.md"), with
 * its partials from the same partials/ folder, compiled once.  NULL with
 * an error (FILE:line:col) in dl.  Caller frees with report_template_free.
 */
struct report_template;
struct report_template *report_template_load(const struct report_env *env,
    const char *name, struct diag_list *dl);
void report_template_free(struct report_template *t);  /* NULL is a no-op */

/*
 * Typeset t rendered against model into out (a whole PDF), drawing the
 * charts a template names from charts (the class charts, for a class
 * summary).  title is the running head and document title.
 * Returns 0, or -1 with an error in dl.
 */
struct layout_name;
/* names (n_names of them, or NULL): texts to tag in their language (layout.h). */
int report_render_template(const struct report_env *env,
    const struct report_template *t, const struct tvalue *model,
    const struct chart_inputs *charts, const char *title,
    const struct layout_name *names, size_t n_names, struct buf *out,
    struct diag_list *dl);

/*
 * The filler page of the print bundle (bundle.h): one page naming student
 * and saying "This page is intentionally left blank.", as a whole PDF in
 * out, so that a printed stack splits safely.  0, or -1 with dl.
 */
int report_filler_page(const struct report_env *env, const char *student,
    struct buf *out, struct diag_list *dl);

#endif
