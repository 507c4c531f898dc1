/*
 * bench_pdf: what typesetting one report costs.  Renders a report-like
 * Markdown document N times in one process, fonts prepared once, each
 * time the whole path: Markdown parse, layout with real charts (built by
 * chart.c at the size the layout asks), PDF.  Prints the median and 90th
 * percentile CPU milliseconds per report, per stage and in total, and the
 * PDF size, against the goals (docs/perf.md).  Also checks that two
 * renders give the same bytes.
 *   bench_pdf [N] [DOC.md] [OUT.pdf]
 * Defaults: 200, tests/data/bench/report.md; OUT keeps the last PDF.
 * Exit 0 ok, 1 a goal missed, 2 an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart/chart.h"
#include "doc/doc.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "device/pdf.h"
#include "base/util.h"
#include "samplecharts.h"

#define GOAL_MS_PER_REPORT 7.0   /* CPU milliseconds, everything */
#define GOAL_KB_PER_REPORT 80.0  /* kilobytes, fonts embedded */

static double
cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v and returns its q-quantile (0..1). */
static double
quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (fp == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_put(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	return buf_detach(&b);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200, i, len = 0, pages = 0;
	const char *path = argc > 2 ? argv[2] : "tests/data/bench/report.md";
	const char *out_path = argc > 3 ? argv[3] : NULL;
	double *t_lay, *t_pdf, *t_all, t0, t1, t2, setup, lay_med, pdf_med, all_med, all_p90, kb;
	struct diag_list dl;
	struct font_set *fs;
	struct charts ch;
	struct buf pdf, first;
	char *text;
	int rc = 0;

	if (n < 2) {
		fprintf(stderr, "usage: bench_pdf [N >= 2] [DOC.md] [OUT.pdf]\n");
		return 2;
	}
	if ((text = slurp(path, &len)) == NULL) {
		perror(path);
		return 2;
	}
	diag_init(&dl);
	t0 = cpu_ms();
	fs = font_set_new(NULL, &dl);
	if (fs == NULL) {
		fprintf(stderr, "bench_pdf: no fonts\n");
		return 2;
	}
	charts_init(&ch, fs);
	setup = cpu_ms() - t0;
	t_lay = xcalloc(n, sizeof(*t_lay));
	t_pdf = xcalloc(n, sizeof(*t_pdf));
	t_all = xcalloc(n, sizeof(*t_all));
	buf_init(&pdf);
	buf_init(&first);
	for (i = 0; i < n; i++) {
		struct layout_options lo;
		struct pdf_options po;
		struct layout *lay;
		struct doc *doc;
		bool ok;

		diag_free(&dl);
		diag_init(&dl);
		buf_reset(&pdf);
		t0 = cpu_ms();
		doc = markdown_parse(text, len, path, &dl);
		memset(&lo, 0, sizeof(lo));
		lo.title = "Architecture Audit";
		lo.source = path;
		lo.chart = provide;
		lo.chart_ctx = &ch;
		lay = doc != NULL ? layout_new(doc, fs, &lo, &dl) : NULL;
		t1 = cpu_ms();
		pdf_options_init(&po);
		po.have_date = source_date_epoch(&po.date_epoch);
		po.title = "Architecture Audit";
		po.author = "Zoë Łukasz-Παπαδοπούλου";
		po.creator = "archaudit bench_pdf";
		ok = lay != NULL && pdf_write(lay, fs, &po, &pdf, &dl);
		t2 = cpu_ms();
		if (lay != NULL)
			pages = lay->n_pages;
		layout_free(lay);
		doc_free(doc);
		charts_clear(&ch);
		if (!ok) {
			fprintf(stderr, "bench_pdf: render failed\n");
			return 2;
		}
		t_lay[i] = t1 - t0;
		t_pdf[i] = t2 - t1;
		t_all[i] = t2 - t0;
		if (i == 0)
			buf_put(&first, pdf.data, pdf.len);
		else if (i == 1 && (pdf.len != first.len || memcmp(pdf.data, first.data, pdf.len) != 0)) {
			fprintf(stderr, "bench_pdf: two renders of the same input differ\n");
			rc = 2;
		}
	}
	if (out_path != NULL) {
		FILE *fp = fopen(out_path, "wb");
		if (fp == NULL || fwrite(pdf.data, 1, pdf.len, fp) != pdf.len || fclose(fp) != 0) {
			perror(out_path);
			rc = 2;
		}
	}
	lay_med = quantile(t_lay, n, 0.5);
	pdf_med = quantile(t_pdf, n, 0.5);
	all_med = quantile(t_all, n, 0.5);
	all_p90 = quantile(t_all, n, 0.9);
	kb = (double)pdf.len / 1024.0;
	printf("bench_pdf: %zu renders of %s (%zu pages), fonts and charts set up once in %.1f ms\n",
	    n, path, pages, setup);
	printf("  parse+layout+charts  %6.2f ms median\n", lay_med);
	printf("  pdf                  %6.2f ms median\n", pdf_med);
	printf("  total                %6.2f ms median, %.2f ms p90 (goal <= %.0f ms with "
	       "template and census)\n", all_med, all_p90, GOAL_MS_PER_REPORT);
	printf("  size                 %6.1f KB (goal <= %.0f KB)\n", kb, GOAL_KB_PER_REPORT);
	if (rc == 0 && (all_med > GOAL_MS_PER_REPORT || kb > GOAL_KB_PER_REPORT))
		rc = 1;
	free(t_lay);
	free(t_pdf);
	free(t_all);
	buf_free(&pdf);
	buf_free(&first);
	chart_ctx_free(ch.cx);
	font_set_free(fs);
	diag_free(&dl);
	free(text);
	return rc;
}
