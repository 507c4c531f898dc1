/*
 * report: the whole path from one audit to one PDF.  Input: the audit, the
 * run's prepared env (template, fonts, charts, census).  Output: the PDF
 * bytes.  Includes no foreign headers: each stage sits behind its module.
 */
#include "run/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "doc/doc.h"
#include "device/dump.h"
#include "layout/font.h"
#include "layout/text.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "tmpl/md_escape.h"
#include "tmpl/mustache.h"
#include "base/outfile.h"
#include "device/pdf.h"
#include "view/report_model.h"
#include "base/sha256.h"

#define MAX_TEMPLATE_BYTES ((size_t)1 << 20)
/* Charts one report draws at most; a template naming more gets a warning
 * and placeholders (a hostile template could otherwise ask for thousands). */
#define MAX_CHARTS 64

struct report_env {
	const struct scenario *s;
	const struct census *census;
	struct mustache *tpl;             /* owned */
	char *tpl_path;                   /* owned */
	char *tpl_dir;                    /* owned; for report_template_load */
	char *partials_dir;               /* owned */
	struct font_set *fonts;           /* owned */
	struct pdf_icc *icc;              /* owned; PDF/A's sRGB profile, NULL = plain PDF */
	bool pdfa1b;                      /* PDF/A-1b rather than PDF/A-2u */
	struct chart_ctx *charts;         /* owned */
	struct text_measurer measurer;
	bool a4;
	bool class_appendix;              /* the shared page of the design space */
	char *program;                    /* owned */
	char *figures_dir;                /* owned; NULL = no figure files */
	double figures_dpi;
	bool have_date;                   /* SOURCE_DATE_EPOCH, read once per run */
	long long date_epoch;
	struct design_point *points;      /* owned; distinct (P99, cost) outcomes */
	size_t n_points;
	struct design_point *frontier;    /* owned */
	size_t n_frontier;
};

/* Read a whole text file of at most max bytes; NULL with an error in dl. */
static char *
read_text(const char *path, size_t max, size_t *len, struct diag_list *dl)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[8192];
	size_t n;

	if (f == NULL) {
		diag_add(dl, DIAG_ERROR, "report.cannot-open",
		    path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
		buf_put(&b, tmp, n);
		if (b.len > max) {
			diag_add(dl, DIAG_ERROR, "report.too-large",
			    path, "larger than %zu bytes", max);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
	}
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/*
 * The distinct (P99, cost) outcomes of the grid, each with the best
 * post-drift accuracy reachable there: P99 and cost depend only on the
 * GPUs, the cloud quantization and the serving, accuracy on the three
 * quantizations and the cadence (best at the shortest one).
 */
/*
 * At most REPORT_CHART_POINTS of pts[0..n), evenly spaced by index, first
 * and last kept, in place: a scenario's grid of 200,000 outcomes is a
 * 3 MB chart and 200 MB of memory otherwise, and no page shows them apart.
 */
static size_t
thin_points(struct design_point *pts, size_t n)
{
	if (n <= REPORT_CHART_POINTS)
		return n;
	for (size_t i = 0; i < REPORT_CHART_POINTS; i++)
		pts[i] = pts[(size_t)((unsigned long long)i * (n - 1) /
		    (REPORT_CHART_POINTS - 1))];
	return REPORT_CHART_POINTS;
}

static void
collect_points(struct report_env *env)
{
	const struct grid_axes *g = &env->s->grid;
	size_t cap = 64, n = 0;
	struct design_point *pts = xcalloc(cap, sizeof *pts);

	for (int gpus = g->n_gpus_min; gpus <= g->n_gpus_max; gpus++)
	for (size_t qc = 0; qc < g->n_quant_cloud; qc++)
	for (size_t sv = 0; sv < g->n_serving; sv++)
	for (size_t qe = 0; qe < g->n_quant_edge; qe++)
	for (size_t qm = 0; qm < g->n_quant_mobile; qm++) {
		struct config c = { gpus, g->quant_cloud[qc], g->quant_edge[qe],
		    g->quant_mobile[qm], g->serving[sv], g->cadence_min,
		    g->fairness_min };
		struct metrics m;
		engine_eval(env->s, &c, &m);
		if (n == cap) {
			cap *= 2;
			pts = xreallocarray(pts, cap, sizeof *pts);
		}
		pts[n].p99_ms = m.cloud_p99_ms;
		pts[n].cost_usd = m.cost_per_req_usd;
		pts[n].accuracy = m.post_drift_accuracy;
		pts[n].count = 1;
		n++;
		if (n > 200000)         /* a scenario's absurd grid: enough to draw */
			goto done;
	}
done:
	env->n_points = thin_points(pts, chart_points_collapse(pts, n));
	env->points = pts;
	env->n_frontier = env->census->n_frontier;
	env->frontier = xcalloc(env->n_frontier ? env->n_frontier : 1, sizeof *env->frontier);
	chart_frontier_points(env->census, env->frontier);
	env->n_frontier = thin_points(env->frontier, env->n_frontier);
}

struct report_env *
report_env_new(const struct report_env_options *o, const struct scenario *s,
    const struct census *c, struct diag_list *dl)
{
	struct report_env *env = xcalloc(1, sizeof *env);
	struct mustache_loader loader;
	char *text = NULL;
	size_t len;

	env->s = s;
	env->census = c;
	env->a4 = o->a4;
	env->class_appendix = !o->no_class_appendix;
	env->program = xstrdup(o->program ? o->program : "archaudit");
	env->figures_dir = o->figures_dir ? xstrdup(o->figures_dir) : NULL;
	env->figures_dpi = o->figures_dpi > 0 ? o->figures_dpi : 150;
	env->have_date = source_date_epoch(&env->date_epoch);
	env->tpl_dir = xstrdup(o->template_dir);
	env->tpl_path = xasprintf("%s/audit.md", o->template_dir);
	env->partials_dir = xasprintf("%s/partials", o->template_dir);
	text = read_text(env->tpl_path, MAX_TEMPLATE_BYTES, &len, dl);
	if (text == NULL)
		goto fail;
	loader.load = mustache_load_dir;
	loader.arg = env->partials_dir;
	env->tpl = mustache_compile(text, len, env->tpl_path, &loader, dl);
	if (env->tpl == NULL)
		goto fail;
	env->fonts = font_set_new(NULL, dl);
	if (env->fonts != NULL && o->han_lang != NULL && o->han_lang[0] != '\0')
		env->fonts->han_lang = o->han_lang;
	if (env->fonts == NULL)
		goto fail;
	env->measurer = font_set_measurer(env->fonts);
	if (o->pdfa && (env->icc = pdf_icc_new(NULL, dl)) == NULL)
		goto fail;
	env->pdfa1b = o->pdfa1b;
	env->charts = chart_ctx_new();
	collect_points(env);
	free(text);
	return env;
fail:
	free(text);
	report_env_free(env);
	return NULL;
}

void
report_env_free(struct report_env *env)
{
	if (env == NULL)
		return;
	mustache_free(env->tpl);
	font_set_free(env->fonts);
	pdf_icc_free(env->icc);
	chart_ctx_free(env->charts);
	free(env->tpl_path);
	free(env->tpl_dir);
	free(env->partials_dir);
	free(env->program);
	free(env->figures_dir);
	free(env->points);
	free(env->frontier);
	free(env);
}

/* ---- one report ---------------------------------------------------------------- */

/* The charts of one report, built on demand by the layout. */
struct charts {
	const struct report_env *env;
	struct chart_inputs in;
	struct radar_data radar;
	struct archmap_data archmap;
	struct ctxbars_data ctxbars;
	struct designspace_data space;
	struct drawing **made;            /* owned; freed with the layout */
	char **made_name;                 /* owned; the chart each one draws */
	size_t n_made, cap_made;         /* at most MAX_CHARTS */
	bool too_many;                    /* the template asked for more */
	struct diag_list *dl;
	const char *tpl_path;             /* the template, for messages */
};

static const struct drawing *
provide_chart(void *arg, const char *name, double w, double h)
{
	struct charts *ch = arg;
	struct drawing *d;

	if (ch->n_made == MAX_CHARTS) {
		if (!ch->too_many)      /* said once */
			diag_add(ch->dl, DIAG_WARNING, "report.too-many-charts",
			    ch->tpl_path, "more than %d "
			    "charts; \"%s\" and any after it are drawn as "
			    "placeholders", MAX_CHARTS, name);
		ch->too_many = true;
		return NULL;
	}
	d = chart_by_name(ch->env->charts, name, &ch->in, w, h, &ch->env->measurer);
	if (d == NULL) {
		diag_add(ch->dl, DIAG_WARNING, "report.unknown-chart",
		    ch->tpl_path,
		    "no chart called \"%s\"; a placeholder is drawn", name);
		return NULL;
	}
	if (ch->n_made == ch->cap_made) {
		ch->cap_made = ch->cap_made ? 2 * ch->cap_made : 8;
		ch->made = xreallocarray(ch->made, ch->cap_made, sizeof *ch->made);
		ch->made_name = xreallocarray(ch->made_name, ch->cap_made,
		    sizeof *ch->made_name);
	}
	ch->made_name[ch->n_made] = xstrdup(name);
	ch->made[ch->n_made++] = d;
	return d;
}

static void
charts_init(struct charts *ch, const struct report_env *env, const struct audit *a,
    struct diag_list *dl)
{
	memset(ch, 0, sizeof *ch);
	ch->env = env;
	ch->dl = dl;
	ch->tpl_path = env->tpl_path;
	chart_radar_from_act1(&a->act1, &ch->radar);
	chart_archmap_from(env->s, &a->capstone.config, &a->metrics, &ch->archmap);
	for (int c = 0; c < CTX_COUNT; c++)
		ch->ctxbars.counts[c] = a->act1.ctx_counts[c];
	ch->space.points = env->points;
	ch->space.n_points = env->n_points;
	ch->space.frontier = env->frontier;
	ch->space.n_frontier = env->n_frontier;
	ch->space.has_student = true;
	ch->space.student.p99_ms = a->metrics.cloud_p99_ms;
	ch->space.student.cost_usd = a->metrics.cost_per_req_usd;
	ch->space.student.accuracy = a->metrics.post_drift_accuracy;
	ch->space.student.count = 1;
	ch->space.student_label = a->capstone.config_from_ledger
	    ? "Your design" : "Lab default";
	ch->space.slo_p99_ms = env->s->slo_p99_ms;
	ch->space.slo_cost_usd = env->s->slo_cost_per_req_usd;
	ch->space.bands.good_above = env->s->drift_warn_below;
	ch->space.bands.warn_below = env->s->acc_warn_below;
	ch->in.radar = &ch->radar;
	ch->in.archmap = &ch->archmap;
	ch->in.ctxbars = &ch->ctxbars;
	ch->in.designspace = &ch->space;
}

static void
charts_free(struct charts *ch)
{
	for (size_t i = 0; i < ch->n_made; i++) {
		drawing_free(ch->made[i]);
		free(ch->made_name[i]);
	}
	free(ch->made);
	free(ch->made_name);
	ch->made = NULL;
	ch->made_name = NULL;
	ch->n_made = ch->cap_made = 0;
	ch->too_many = false;
}

static void
meta_init(struct report_meta *m, const struct report_env *env,
    const struct audit *a, const char *bytes, size_t len)
{
	const char *src = a->ledger->source;
	const char *slash = strrchr(src, '/');

	memset(m, 0, sizeof *m);
	m->file_name = slash ? slash + 1 : src;
	sha256_hex(bytes, len, m->sha256_hex);
	m->program = env->program;
	m->have_source_date = env->have_date;
	m->source_date_epoch = env->date_epoch;
	m->class_appendix = env->class_appendix;
}

/* The report's charts as DIR/<student>/NAME.png and .svg, at report size. */
static int
write_figures(const struct report_env *env, const struct charts *ch,
    const struct audit *a, struct diag_list *dl)
{
	char *name = outfile_safe_name(a->student, 200);
	char *dir = xasprintf("%s/%s", env->figures_dir, name);
	int rc = outfile_mkdirs(dir, dl);

	free(name);

	for (size_t i = 0; rc == 0 && i < ch->n_made; i++) {
		char *png = xasprintf("%s/%s.png", dir, ch->made_name[i]);
		char *svg = xasprintf("%s/%s.svg", dir, ch->made_name[i]);
		if (drawing_write_png(ch->made[i], png, env->figures_dpi, &env->measurer, dl) != 0 ||
		    drawing_write_svg(ch->made[i], svg, &env->measurer, dl) != 0)
			rc = -1;
		free(png);
		free(svg);
	}
	free(dir);
	return rc;
}

/*
 * A character of a ledger's value (a prediction, a stored string) that no
 * font has is reported once, naming the ledger, not the template line
 * that prints it; each such value is added to quiet, whose characters the
 * layout then does not report again.  Only values with a non-ASCII byte
 * are shaped: the faces have every ASCII character.
 */
static void
value_check(const struct report_env *env, const struct audit *a,
    const struct tvalue *v, struct buf *quiet, uint32_t *warned,
    struct diag_list *dl)
{
	if (v == NULL)
		return;
	if (v->type == TV_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++)
			value_check(env, a, v->u.list.items[i], quiet, warned, dl);
		return;
	}
	if (v->type == TV_MAP) {
		for (size_t i = 0; i < v->u.map.n; i++)
			value_check(env, a, v->u.map.ents[i].val, quiet, warned, dl);
		return;
	}
	if (v->type != TV_STRING || v->u.str.origin != TV_UNTRUSTED ||
	    strcmp(v->u.str.s, a->student) == 0)
		return;
	bool ascii = true;
	for (size_t i = 0; i < v->u.str.len && ascii; i++)
		ascii = (unsigned char)v->u.str.s[i] < 0x80;
	if (ascii)
		return;
	struct text_line tl;
	text_line_set(&tl, env->fonts, FONT_REGULAR, 10, v->u.str.s, NULL);
	if (tl.n_missing > 0) {
		if (*warned != tl.first_missing)
			diag_add(dl, DIAG_WARNING, "report.missing-glyph-value",
			    a->ledger->source, "a value of the ledger "
			    "has character U+%04X, which is in none of the fonts; printed "
			    "as a replacement mark", (unsigned)tl.first_missing);
		*warned = tl.first_missing;
		buf_put(quiet, v->u.str.s, v->u.str.len);
	}
	text_line_clear(&tl);
}

/* report_markdown, with quiet (or NULL) filled as value_check says. */
static int
fill_template(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out, struct buf *quiet,
    struct diag_list *dl)
{
	const struct audit *a = rs->audit;
	struct report_meta meta;
	struct tvalue *model;
	int rc;

	meta_init(&meta, env, a, file_bytes, file_len);
	model = report_model_new(rs, &meta);
	if (quiet != NULL) {
		uint32_t warned = 0;
		value_check(env, a, model, quiet, &warned, dl);
	}
	rc = mustache_render(env->tpl, model, md_escape_inline, out, dl);
	if (rc != 0)
		rc = REPORT_TEMPLATE_FAULT;
	tvalue_free(model);
	return rc;
}

int
report_markdown(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl)
{
	return fill_template(env, rs, file_bytes, file_len, out, NULL, dl);
}

/* One report laid out, with the charts and the document its boxes borrow. */
struct report_pages {
	struct charts ch;
	struct doc *doc;
	struct layout *lay;
	char *title;
	char *author;           /* the name without invisible characters (util.h) */
	const char *lang;       /* the name's language, or NULL */
	const char *quiet;      /* the name, whose missing characters were reported */
	struct buf quiet_values; /* the name and the ledger's values whose missing
	                            characters were reported (value_check) */
	struct layout_name name;  /* the name in its language (tagged so) */
	const struct layout_name *names;  /* or a class's; NULL = name */
	size_t n_names;
};

static void
pages_free(struct report_pages *rp)
{
	layout_free(rp->lay);
	doc_free(rp->doc);
	charts_free(&rp->ch);
	free(rp->title);
	free(rp->author);
	buf_free(&rp->quiet_values);
}

/* Markdown md of template tpl_path to rp->lay, drawing charts from rp->ch. */
static int
typeset(const struct report_env *env, const char *tpl_path, const struct buf *md,
    struct report_pages *rp, struct diag_list *dl)
{
	struct layout_options lo;
	bool bare = rp->title == NULL;

	rp->doc = markdown_parse(md->data ? md->data : "", md->len, tpl_path, dl);
	if (rp->doc == NULL)
		return -1;
	memset(&lo, 0, sizeof lo);
	lo.paper = env->a4 ? LAYOUT_A4 : LAYOUT_LETTER;
	lo.title = rp->title;
	lo.source = tpl_path;
	lo.chart = provide_chart;
	lo.chart_ctx = &rp->ch;
	lo.chart_height = chart_default_height;
	lo.lang = rp->lang;
	lo.quiet = rp->quiet_values.data != NULL ? rp->quiet_values.data : rp->quiet;
	if (rp->names != NULL) {
		lo.names = rp->names;
		lo.n_names = rp->n_names;
	} else if (rp->lang != NULL && rp->quiet != NULL) {
		rp->name.text = rp->quiet;
		rp->name.lang = rp->lang;
		lo.names = &rp->name;
		lo.n_names = 1;
	}
	lo.bare = bare;
	rp->lay = layout_new(rp->doc, env->fonts, &lo, dl);
	return rp->lay != NULL ? 0 : -1;
}

/*
 * A character of the student's name that no font has is reported once,
 * where the name came from (the roster row or the ledger), not at the
 * template line that prints it.
 */
static void
name_check(const struct report_env *env, const struct audit *a, struct diag_list *dl)
{
	struct text_line tl;

	text_line_set(&tl, env->fonts, FONT_BOLD, 10, a->student, a->student_lang);
	if (tl.n_missing > 0)
		diag_add(dl, DIAG_WARNING, "report.missing-glyph-name",
		    a->student_origin ? a->student_origin : a->student,
		    "the name \"%s\" has character U+%04X, which is in none of the fonts; "
		    "printed as a replacement mark", a->student, (unsigned)tl.first_missing);
	text_line_clear(&tl);
}

/* The report of a, laid out (rp holds it; free with pages_free). */
static int
lay_out_report(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct report_pages *rp,
    struct diag_list *dl)
{
	const struct audit *a = rs->audit;
	struct buf md;
	int rc;

	memset(rp, 0, sizeof *rp);
	buf_init(&md);
	charts_init(&rp->ch, env, a, dl);
	rp->author = utf8_strip_invisible(a->student, false);
	rp->title = xasprintf("Architect\xe2\x80\x99s Audit \xe2\x80\x94 %s", rp->author);
	rp->lang = a->student_lang;
	rp->quiet = a->student;
	name_check(env, a, dl);
	buf_init(&rp->quiet_values);
	buf_puts(&rp->quiet_values, a->student);
	rc = fill_template(env, rs, file_bytes, file_len, &md, &rp->quiet_values, dl);
	if (rc == 0)
		rc = typeset(env, env->tpl_path, &md, rp, dl);
	buf_free(&md);
	if (rc == 0 && rp->lay->n_pages > REPORT_MAX_PAGES) {
		diag_add(dl, DIAG_ERROR, "report.too-many-pages",
		    NULL, "the template %s makes a report of "
		    "%zu pages, more than the %d a report may have; no report written",
		    env->tpl_path, rp->lay->n_pages, REPORT_MAX_PAGES);
		rc = REPORT_TEMPLATE_FAULT;
	}
	return rc;
}

static void
report_pdf_options(const struct report_env *env, const char *title,
    const char *author, struct pdf_options *po)
{
	pdf_options_init(po);
	po->have_date = env->have_date;
	po->date_epoch = env->date_epoch;
	po->title = title;
	po->author = author;
	po->subject = "Machine Learning Systems, Volume I: the Architect\xe2\x80\x99s Audit";
	po->keywords = "design ledger, ML systems, audit";
	po->creator = env->program;
	if (env->icc != NULL) {
		po->profile = env->pdfa1b ? PDF_A1B : PDF_A2U;
		po->icc = env->icc;
	}
}

int
report_render(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl)
{
	const struct audit *a = rs->audit;
	struct report_pages rp;
	struct pdf_options po;
	int rc = -1;

	if ((rc = lay_out_report(env, rs, file_bytes, file_len, &rp, dl)) != 0) {
		rc = rc == REPORT_TEMPLATE_FAULT ? rc : -1;
		goto out;
	}
	rc = -1;
	report_pdf_options(env, rp.title, rp.author, &po);
	if (!pdf_write(rp.lay, env->fonts, &po, out, dl))
		goto out;
	if (env->figures_dir != NULL && write_figures(env, &rp.ch, a, dl) != 0)
		goto out;
	rc = 0;
out:
	pages_free(&rp);
	return rc;
}

int
report_dump(const struct report_env *env, const struct results *rs,
    const char *file_bytes, size_t file_len, struct buf *out,
    struct diag_list *dl)
{
	struct report_pages rp;
	int rc = lay_out_report(env, rs, file_bytes, file_len, &rp, dl);

	if (rc == 0)
		dump_layout(rp.lay, env->fonts, out);
	pages_free(&rp);
	return rc;
}

/* ---- other templates (the class summary) ------------------------------------- */

struct report_template {
	struct mustache *tpl;             /* owned */
	char *path;                       /* owned */
};

struct report_template *
report_template_load(const struct report_env *env, const char *name,
    struct diag_list *dl)
{
	struct report_template *t = xcalloc(1, sizeof *t);
	struct mustache_loader loader;
	char *text;
	size_t len;

	t->path = xasprintf("%s/%s", env->tpl_dir, name);
	text = read_text(t->path, MAX_TEMPLATE_BYTES, &len, dl);
	if (text == NULL)
		goto fail;
	loader.load = mustache_load_dir;
	loader.arg = env->partials_dir;
	t->tpl = mustache_compile(text, len, t->path, &loader, dl);
	free(text);
	if (t->tpl == NULL)
		goto fail;
	return t;
fail:
	report_template_free(t);
	return NULL;
}

void
report_template_free(struct report_template *t)
{
	if (t == NULL)
		return;
	mustache_free(t->tpl);
	free(t->path);
	free(t);
}

int
report_render_template(const struct report_env *env,
    const struct report_template *t, const struct tvalue *model,
    const struct chart_inputs *charts, const char *title,
    const struct layout_name *names, size_t n_names, struct buf *out,
    struct diag_list *dl)
{
	struct report_pages rp;
	struct pdf_options po;
	struct buf md;
	int rc = -1;

	memset(&rp, 0, sizeof rp);
	rp.ch.env = env;
	rp.ch.dl = dl;
	rp.ch.in = *charts;
	rp.ch.tpl_path = t->path;
	rp.title = xstrdup(title);
	rp.names = names;
	rp.n_names = n_names;
	buf_init(&md);
	if (mustache_render(t->tpl, model, md_escape_inline, &md, dl) != 0)
		goto out;
	if (typeset(env, t->path, &md, &rp, dl) != 0)
		goto out;
	report_pdf_options(env, rp.title, NULL, &po);
	if (!pdf_write(rp.lay, env->fonts, &po, out, dl))
		goto out;
	rc = 0;
out:
	buf_free(&md);
	pages_free(&rp);
	return rc;
}

/* ---- the print bundle's filler page ------------------------------------------- */

int
report_filler_page(const struct report_env *env, const char *student,
    struct buf *out, struct diag_list *dl)
{
	struct report_pages rp;
	struct pdf_options po;
	struct buf md;
	int rc = -1;

	memset(&rp, 0, sizeof rp);
	rp.ch.env = env;
	rp.ch.dl = dl;
	rp.title = NULL;                  /* bare: no running head, no "Page 1 of 1" */
	buf_init(&md);
	buf_puts(&md, "**");
	md_escape_inline(&md, student);
	buf_puts(&md, "**\n\nThis page is intentionally left blank.\n");
	if (typeset(env, "filler page", &md, &rp, dl) != 0)
		goto out;
	if (rp.lay->n_pages != 1) {
		diag_add(dl, DIAG_ERROR, "report.filler-too-long",
		    NULL, "the filler page for %s takes %zu pages",
		    student, rp.lay->n_pages);
		goto out;
	}
	report_pdf_options(env, student, NULL, &po);
	po.profile = PDF_PLAIN;
	po.icc = NULL;
	if (!pdf_write(rp.lay, env->fonts, &po, out, dl))
		goto out;
	rc = 0;
out:
	buf_free(&md);
	pages_free(&rp);
	return rc;
}

const struct census *
report_env_census(const struct report_env *env)
{
	return env->census;
}

bool
report_env_source_date(const struct report_env *env, long long *epoch)
{
	*epoch = env->date_epoch;
	return env->have_date;
}
