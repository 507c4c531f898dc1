/*
 * pdfobj and bundle: reading a PDF's objects back, refusing damaged files
 * without crashing, and a bundle of small files that keeps every page, in
 * order, under one page-tree node and one bookmark per file, padded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device/bundle.h"
#include "device/pdfobj.h"
#include "base/util.h"

/*
 * A PDF of n pages with an outline of one item, in the shape libharu
 * writes: a classic cross-reference table, one content stream a page
 * (the last one's /Length indirect).  Caller frees with buf_free.
 */
static void
make_pdf(struct buf *b, int n, const char *marker)
{
	size_t off[64];
	int nobj = 6 + 2 * n, k;

	buf_init(b);
	buf_puts(b, "%PDF-1.4\n");
	off[1] = b->len;
	buf_puts(b, "1 0 obj\n<</Type/Catalog/Pages 2 0 R/Outlines 3 0 R>>\nendobj\n");
	off[2] = b->len;
	buf_puts(b, "2 0 obj\n<</Type/Pages/Kids[");
	for (k = 0; k < n; k++)
		buf_printf(b, "%d 0 R ", 5 + 2 * k);
	buf_printf(b, "]/Count %d>>\nendobj\n", n);
	off[3] = b->len;
	buf_puts(b, "3 0 obj\n<</Type/Outlines/First 4 0 R/Last 4 0 R/Count 1>>\nendobj\n");
	off[4] = b->len;
	buf_puts(b, "4 0 obj\n<</Title(Top \\(1\\) 9 0 R)/Parent 3 0 R/Dest[5 0 R/Fit]>>\nendobj\n");
	for (k = 0; k < n; k++) {
		char content[80];
		int len = snprintf(content, sizeof content, "BT (%s page %d) Tj ET", marker, k + 1);
		off[5 + 2 * k] = b->len;
		buf_printf(b, "%d 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
		    "/Contents %d 0 R/Resources<<>>>>\nendobj\n", 5 + 2 * k, 6 + 2 * k);
		off[6 + 2 * k] = b->len;
		if (k == n - 1)
			buf_printf(b, "%d 0 obj\n<</Length %d 0 R>>\nstream\n%s\nendstream\nendobj\n",
			    6 + 2 * k, nobj - 1, content);
		else
			buf_printf(b, "%d 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n",
			    6 + 2 * k, len, content);
		if (k == n - 1) {
			off[nobj - 1] = b->len;
			buf_printf(b, "%d 0 obj\n%d\nendobj\n", nobj - 1, len);
		}
	}
	{
		size_t x = b->len;
		buf_printf(b, "xref\n0 %d\n0000000000 65535 f\r\n", nobj);
		for (k = 1; k < nobj; k++)
			buf_printf(b, "%010zu 00000 n\r\n", off[k]);
		buf_printf(b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%zu\n%%%%EOF\n",
		    nobj, x);
	}
}

static void
test_read_objects(void **state)
{
	struct buf pdf;
	struct pdf_in in;
	struct pdf_obj o;
	struct diag_list dl;
	long long v;

	(void)state;
	make_pdf(&pdf, 3, "a");
	diag_init(&dl);
	assert_int_equal(pdf_in_open(&in, "t.pdf", pdf.data, pdf.len, &dl), 0);
	assert_int_equal(in.root, 1);
	assert_int_equal(pdf_in_get(&in, 2, &o, &dl), 0);
	assert_true(pv_is_name(pv_get(&o.v, "/Type"), "/Pages"));
	assert_true(pv_int(pv_get(&o.v, "/Count"), &v));
	assert_int_equal(v, 3);
	assert_int_equal(pv_get(&o.v, "/Kids")->n, 3);
	assert_int_equal(pv_get(&o.v, "/Kids")->items[1].kind, PV_REF);
	assert_int_equal(pv_get(&o.v, "/Kids")->items[1].num, 7);
	pdf_obj_free(&o);
	/* a string holding "9 0 R" and escaped parentheses stays one string */
	assert_int_equal(pdf_in_get(&in, 4, &o, &dl), 0);
	assert_int_equal(pv_get(&o.v, "/Title")->kind, PV_STR);
	pdf_obj_free(&o);
	/* the last stream's /Length is an indirect object */
	assert_int_equal(pdf_in_get(&in, 10, &o, &dl), 0); /* page 3 */
	assert_non_null(o.stream);
	assert_memory_equal(o.stream, "BT (a page 3) Tj ET", o.stream_len);
	pdf_obj_free(&o);
	assert_int_equal(dl.n, 0);
	/* an object the table does not list */
	assert_int_equal(pdf_in_get(&in, 40, &o, &dl), -1);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
	pdf_in_close(&in);
	diag_free(&dl);
	buf_free(&pdf);
}

/* Every prefix of a file, and every byte changed, is refused or read: never a crash. */
static void
test_damaged_files(void **state)
{
	struct buf pdf;
	size_t refused = 0;

	(void)state;
	make_pdf(&pdf, 2, "b");
	for (size_t n = 0; n < pdf.len; n++) {
		struct pdf_in in;
		struct diag_list dl;
		char *copy = xmalloc(n + 1);
		memcpy(copy, pdf.data, n);
		diag_init(&dl);
		if (pdf_in_open(&in, "cut.pdf", copy, n, &dl) != 0) {
			refused++;
			assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
		} else {
			pdf_in_close(&in);
		}
		diag_free(&dl);
		free(copy);
	}
	assert_true(refused > pdf.len - 10);
	for (size_t i = 0; i < pdf.len; i++) {
		static const char subst[] = { '9', '(', '<', '[', ' ', '/', '\0' };
		for (size_t s = 0; s < sizeof subst; s++) {
			char *copy = xmalloc(pdf.len);
			struct bundle *b;
			struct diag_list dl;
			char path[] = "/tmp/test_bundle_XXXXXX";
			int fd = mkstemp(path);
			size_t pages;
			assert_true(fd >= 0);
			close(fd);
			memcpy(copy, pdf.data, pdf.len);
			copy[i] = subst[s];
			diag_init(&dl);
			b = bundle_open(path, "t", NULL, &dl);
			assert_non_null(b);
			(void)bundle_add(b, "mut.pdf", copy, pdf.len, "x", &pages, &dl);
			bundle_abort(b);
			unlink(path);
			diag_free(&dl);
			free(copy);
		}
	}
	buf_free(&pdf);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[4096];
	size_t n;

	assert_non_null(f);
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(&b, tmp, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/* The leaves under num, in order, into texts of their content streams. */
static void
walk(const struct pdf_in *in, uint32_t num, uint32_t parent, struct buf *texts, int depth)
{
	struct pdf_obj o;
	struct diag_list dl;
	const struct pv *p;

	assert_true(depth < 10);
	diag_init(&dl);
	assert_int_equal(pdf_in_get(in, num, &o, &dl), 0);
	p = pv_get(&o.v, "/Parent");
	if (parent != 0) {
		assert_non_null(p);
		assert_int_equal(p->num, parent);
	}
	if (pv_is_name(pv_get(&o.v, "/Type"), "/Pages")) {
		const struct pv *kids = pv_get(&o.v, "/Kids");
		for (size_t k = 0; k < kids->n; k++)
			walk(in, kids->items[k].num, num, texts, depth + 1);
	} else {
		const struct pv *c = pv_get(&o.v, "/Contents");
		struct pdf_obj s;
		assert_true(pv_is_name(pv_get(&o.v, "/Type"), "/Page"));
		if (c != NULL) {
			assert_int_equal(pdf_in_get(in, c->num, &s, &dl), 0);
			buf_put(texts, s.stream, s.stream_len);
			buf_putc(texts, '|');
			pdf_obj_free(&s);
		} else {
			buf_puts(texts, "blank|");
		}
	}
	pdf_obj_free(&o);
	diag_free(&dl);
}

static void
test_bundle_roundtrip(void **state)
{
	struct buf a, c, filler, texts;
	struct diag_list dl;
	struct bundle *b;
	struct pdf_in in;
	struct pdf_obj o;
	char path[] = "/tmp/test_bundle_XXXXXX";
	int fd = mkstemp(path);
	size_t pages, len;
	long long v;
	char *out;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	make_pdf(&a, 3, "a");
	make_pdf(&c, 2, "c");
	make_pdf(&filler, 1, "filler");
	diag_init(&dl);
	b = bundle_open(path, "Bundle", "test", &dl);
	assert_non_null(b);
	assert_int_equal(bundle_add(b, "a.pdf", a.data, a.len, "Ann", &pages, &dl), 0);
	assert_int_equal(pages, 3);
	assert_int_equal(bundle_pad(b, "f.pdf", filler.data, filler.len, &dl), 0);
	/* a damaged report is left out; the bundle goes on */
	assert_int_equal(bundle_add(b, "bad.pdf", a.data, a.len / 2, "Bad", &pages, &dl), -1);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 1);
	diag_free(&dl);
	diag_init(&dl);
	assert_int_equal(bundle_add(b, "c.pdf", c.data, c.len, "Zo\xc3\xab", &pages, &dl), 0);
	assert_int_equal(bundle_pages(b), 6);
	assert_int_equal(bundle_reports(b), 2);
	assert_int_equal(bundle_finish(b, &dl), 0);
	assert_int_equal(dl.n, 0);

	out = slurp(path, &len);
	assert_int_equal(pdf_in_open(&in, path, out, len, &dl), 0);
	assert_int_equal(pdf_in_get(&in, in.root, &o, &dl), 0);
	{
		uint32_t pages_root = pv_get(&o.v, "/Pages")->num;
		uint32_t outl = pv_get(&o.v, "/Outlines")->num;
		pdf_obj_free(&o);
		buf_init(&texts);
		walk(&in, pages_root, 0, &texts, 0);
		assert_string_equal(texts.data, "BT (a page 1) Tj ET|BT (a page 2) Tj ET|"
		    "BT (a page 3) Tj ET|BT (filler page 1) Tj ET|BT (c page 1) Tj ET|"
		    "BT (c page 2) Tj ET|");
		buf_free(&texts);
		assert_int_equal(pdf_in_get(&in, pages_root, &o, &dl), 0);
		assert_true(pv_int(pv_get(&o.v, "/Count"), &v));
		assert_int_equal(v, 6);
		pdf_obj_free(&o);
		/* two bookmarks, each holding its file's own one */
		assert_int_equal(pdf_in_get(&in, outl, &o, &dl), 0);
		assert_true(pv_int(pv_get(&o.v, "/Count"), &v));
		assert_int_equal(v, 2);
		{
			uint32_t first = pv_get(&o.v, "/First")->num;
			struct pdf_obj it, child;
			pdf_obj_free(&o);
			assert_int_equal(pdf_in_get(&in, first, &it, &dl), 0);
			assert_memory_equal(pv_get(&it.v, "/Title")->raw, "<FEFF0041006E006E>", 18);
			assert_non_null(pv_get(&it.v, "/Next"));
			assert_int_equal(pdf_in_get(&in, pv_get(&it.v, "/First")->num, &child, &dl), 0);
			/* the file's bookmark now hangs from the new one */
			assert_int_equal(pv_get(&child.v, "/Parent")->num, first);
			pdf_obj_free(&child);
			pdf_obj_free(&it);
		}
	}
	pdf_in_close(&in);
	free(out);
	unlink(path);
	diag_free(&dl);
	buf_free(&a);
	buf_free(&c);
	buf_free(&filler);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_objects),
		cmocka_unit_test(test_damaged_files),
		cmocka_unit_test(test_bundle_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
