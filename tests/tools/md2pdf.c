/*
 * md2pdf: exercises the whole typesetting path.  Markdown file in, PDF
 * (or with --dump the layout dump) out.
 *   md2pdf IN.md OUT [--dump] [--a4] [--title T] [--author A] [--pdfa[=1b]] [--charts]
 *   (--glyphs: for each text box a line FONT|INDEX|ltr/rtl|TEXT|gid+advance ...,
 *   advances in font units, to compare with hb-shape)
 * OUT "-" is standard output.  --pdfa writes PDF/A-2u, --pdfa=1b PDF/A-1b.  --charts draws the
 * figures chart:radar, chart:archmap and chart:ctxbars from fixed sample
 * data (translucent fills included); without it every figure is a
 * placeholder.  Exit 0 ok, 1 warnings, 2 errors, 64 usage.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "doc/doc.h"
#include "device/dump.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "doc/markdown.h"
#include "device/pdf.h"
#include "base/util.h"
#include "samplecharts.h"

static int
usage(void)
{
	fprintf(stderr, "usage: md2pdf IN.md OUT.pdf [--dump] [--a4] [--title T] [--author A] "
			"[--pdfa[=1b]] [--charts]\n");
	return 64;
}

/* Sample charts for --charts: the data bench_pdf uses. */

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
	const char *in = NULL, *out = NULL, *title = NULL, *author = NULL;
	bool dump = false, a4 = false, pdfa = false, pdfa1b = false, charts = false, ok = true,
	    glyphs = false;
	struct diag_list dl;
	struct font_set *fs = NULL;
	struct pdf_icc *icc = NULL;
	struct charts ch;
	struct doc *doc = NULL;
	struct layout *lay = NULL;
	struct layout_options lo;
	struct buf res;
	char *text = NULL;
	size_t len = 0, i;
	int rc = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--dump") == 0)
			dump = true;
		else if (strcmp(argv[i], "--glyphs") == 0)
			dump = glyphs = true;
		else if (strcmp(argv[i], "--a4") == 0)
			a4 = true;
		else if (strcmp(argv[i], "--pdfa") == 0)
			pdfa = true;
		else if (strcmp(argv[i], "--pdfa=1b") == 0)
			pdfa = pdfa1b = true;
		else if (strcmp(argv[i], "--charts") == 0)
			charts = true;
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < (size_t)argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--author") == 0 && i + 1 < (size_t)argc)
			author = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage();
		else if (in == NULL)
			in = argv[i];
		else if (out == NULL)
			out = argv[i];
		else
			return usage();
	}
	if (in == NULL || out == NULL)
		return usage();
	diag_init(&dl);
	buf_init(&res);
	if ((text = slurp(in, &len)) == NULL) {
		perror(in);
		return 2;
	}
	memset(&ch, 0, sizeof(ch));
	fs = font_set_new(NULL, &dl);
	if (fs != NULL && pdfa && !dump && (icc = pdf_icc_new(NULL, &dl)) == NULL)
		ok = false;
	if (fs != NULL && ok)
		doc = markdown_parse(text, len, in, &dl);
	if (doc != NULL && charts)
		charts_init(&ch, fs);
	if (doc != NULL) {
		memset(&lo, 0, sizeof(lo));
		lo.paper = a4 ? LAYOUT_A4 : LAYOUT_LETTER;
		lo.title = title;
		lo.source = in;
		if (charts) {
			lo.chart = provide;
			lo.chart_ctx = &ch;
		}
		lay = layout_new(doc, fs, &lo, &dl);
		if (glyphs) {
			size_t p, k, g;
			for (p = 0; p < lay->n_pages; p++)
				for (k = 0; k < lay->pages[p].n_boxes; k++) {
					const struct box *b = &lay->pages[p].boxes[k];
					const struct font *f;
					if (b->kind != BOX_TEXT || b->n_glyphs == 0)
						continue;
					f = &fs->faces[b->face];
					buf_printf(&res, "%s|%u|%s|%s|", f->path, f->index, b->rtl ? "rtl" : "ltr",
					    b->text);
					for (g = 0; g < b->n_glyphs; g++)
						buf_printf(&res, "%s%u+%ld", g ? " " : "", (unsigned)b->glyphs[g].gid,
						    lround(b->glyphs[g].adv * f->units_per_em / 1000.0));
					buf_putc(&res, '\n');
				}
		} else if (dump) {
			dump_layout(lay, fs, &res);
		} else {
			struct pdf_options po;
			pdf_options_init(&po);
			po.have_date = source_date_epoch(&po.date_epoch);
			po.title = title;
			po.author = author;
			po.subject = "Architecture audit";
			po.keywords = "design ledger, audit";
			po.creator = "archaudit md2pdf";
			if (pdfa) {
				po.profile = pdfa1b ? PDF_A1B : PDF_A2U;
				po.icc = icc;
			}
			ok = pdf_write(lay, fs, &po, &res, &dl);
		}
	}
	if (doc != NULL && ok) {
		FILE *fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
		if (fp == NULL || fwrite(res.data, 1, res.len, fp) != res.len) {
			perror(out);
			rc = 2;
		}
		if (fp != NULL && fp != stdout && fclose(fp) != 0)
			rc = 2;
	}
	for (i = 0; i < dl.n; i++) {
		struct buf line;
		buf_init(&line);
		diag_format(&dl.items[i], &line);
		fprintf(stderr, "%s\n", line.data);
		buf_free(&line);
	}
	if (rc == 0)
		rc = diag_count(&dl, DIAG_ERROR) ? 2 : diag_count(&dl, DIAG_WARNING) ? 1 : 0;
	buf_free(&res);
	layout_free(lay);
	doc_free(doc);
	charts_free(&ch);
	pdf_icc_free(icc);
	font_set_free(fs);
	diag_free(&dl);
	free(text);
	return rc;
}
