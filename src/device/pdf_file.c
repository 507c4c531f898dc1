/*
 * pdf_file: a libharu document written as PDF 1.7 with object streams
 * (or PDF 1.4 without them, for PDF/A-1).  See pdf_file.h.
 *
 * Objects are numbered as libharu numbered them (its xref entries).
 * First every stream object is written as itself ("n 0 obj ... endobj"),
 * since a stream cannot sit in an object stream and libharu sets each
 * stream's /Length object only while writing it.  Then every other object
 * goes, in number order, into object streams of at most OBJS_PER_STREAM
 * objects, each deflated.  Last comes the cross-reference stream (type 1
 * entries: byte offset; type 2: object stream and index), which also
 * carries what a classic trailer would (/Root, /Info, /ID).  libharu's
 * objects are serialised by its own HPDF_Obj_WriteValue, as
 * HPDF_SaveToStream would write them; the structure elements, which are
 * not libharu objects (pdf_struct.c says why), follow them, numbered
 * from libharu's count on.  Without object streams every object is
 * written as itself, with a classic table and trailer.
 */
#include "device/pdf_file.h"

#include "device/pdf_struct.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: a reader inflates a whole stream to reach one. */
#define OBJS_PER_STREAM 500

/* libharu writes into one of our buffers through a callback stream. */
static HPDF_STATUS
to_buf(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	buf_put((struct buf *)stream->attr, ptr, siz);
	return HPDF_OK;
}

/* Where each object is: type 1 (offset) or 2 (stream, index). */
struct where {
	unsigned char type;
	uint32_t a;
	uint16_t b;
};

static bool
is_stream(const void *obj)
{
	const HPDF_Obj_Header *h = obj;
	return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT &&
	    ((const HPDF_Dict_Rec *)obj)->stream != NULL;
}

/* Appends "/Key n 0 R" for an indirect object (libharu marks them). */
static void
put_ref(struct buf *b, const char *key, const void *obj)
{
	const HPDF_Obj_Header *h = obj;
	buf_printf(b, "/%s %u 0 R\n", key, (unsigned)(h->obj_id & 0x00FFFFFF));
}

static void
put_be(struct buf *b, uint32_t v, int n)
{
	while (n-- > 0)
		buf_putc(b, (char)(v >> (8 * n) & 0xFF));
}

/* The text of object i (1-based): libharu's, or a structure element after them. */
static bool
object_text(HPDF_Doc doc, struct pdf_struct *tags, size_t n_haru, size_t i, HPDF_Stream s,
    struct buf *b)
{
	if (i >= n_haru) {
		pdf_struct_object(tags, i - n_haru, b);
		return true;
	}
	HPDF_XrefEntry e = HPDF_Xref_GetEntry(doc->xref, (HPDF_UINT)i);
	s->attr = b;
	return e != NULL && e->obj != NULL && HPDF_Obj_WriteValue(e->obj, s, NULL) == HPDF_OK;
}

/* Whether object i is one of libharu's streams (written as itself, first). */
static bool
haru_stream(HPDF_Doc doc, size_t n_haru, size_t i)
{
	HPDF_XrefEntry e;

	if (i >= n_haru)
		return false;
	e = HPDF_Xref_GetEntry(doc->xref, (HPDF_UINT)i);
	return e != NULL && e->obj != NULL && is_stream(e->obj);
}

/* /Root, /Info and /ID, for a trailer or a cross-reference stream. */
static bool
trailer_keys(HPDF_Doc doc, HPDF_Stream s, struct buf *out)
{
	HPDF_Array id = HPDF_Dict_GetItem(doc->trailer, "ID", HPDF_OCLASS_ARRAY);

	put_ref(out, "Root", doc->catalog);
	if (doc->info != NULL)
		put_ref(out, "Info", doc->info);
	if (id == NULL)
		return true;
	buf_puts(out, "/ID ");
	s->attr = out;
	if (HPDF_Obj_WriteValue(id, s, NULL) != HPDF_OK)
		return false;
	buf_putc(out, '\n');
	return true;
}

bool
pdf_file_write(HPDF_Doc doc, struct pdf_struct *tags, bool objstm, pdf_deflate_fn deflate,
    void *ctx, struct buf *out)
{
	size_t n_haru = doc->xref->entries->count, n, i, k, base = out->len;
	struct where *at;
	struct buf objs, heads, body, z;
	HPDF_Stream s = HPDF_CallbackWriter_New(doc->mmgr, to_buf, NULL);
	bool ok = s != NULL;
	size_t next;

	pdf_struct_base(tags, (uint32_t)n_haru);
	n = n_haru + pdf_struct_count(tags);
	next = n; /* numbers after the objects: object streams, then the xref stream */
	at = xcalloc(n + (n / OBJS_PER_STREAM + 2), sizeof(*at));
	buf_init(&objs);
	buf_init(&heads);
	buf_init(&body);
	buf_init(&z);
	if (!ok)
		goto out;
	buf_puts(out, objstm ? "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n" : "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
	/* Streams (or, without object streams, everything) as themselves. */
	for (i = 1; i < n && ok; i++) {
		if (objstm && !haru_stream(doc, n_haru, i))
			continue;
		at[i].type = 1;
		at[i].a = (uint32_t)(out->len - base);
		buf_printf(out, "%zu 0 obj\n", i);
		ok = object_text(doc, tags, n_haru, i, s, out);
		buf_puts(out, "\nendobj\n");
	}
	if (!ok)
		goto out;
	if (!objstm) {
		size_t xref = out->len - base;
		buf_printf(out, "xref\n0 %zu\n0000000000 65535 f\r\n", n);
		for (i = 1; i < n; i++)
			buf_printf(out, "%010u 00000 n\r\n", (unsigned)at[i].a);
		buf_printf(out, "trailer\n<<\n/Size %zu\n", n);
		ok = trailer_keys(doc, s, out);
		buf_printf(out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
		goto out;
	}
	/* Everything else, in object streams. */
	for (i = 1; i < n && ok;) {
		size_t count = 0, stm = next++;
		buf_reset(&objs);
		buf_reset(&heads);
		for (; i < n && count < OBJS_PER_STREAM && ok; i++) {
			if (haru_stream(doc, n_haru, i))
				continue;
			pdf_put_u(&heads, (uint32_t)i);
			buf_putc(&heads, ' ');
			pdf_put_u(&heads, (uint32_t)objs.len);
			buf_putc(&heads, ' ');
			ok = object_text(doc, tags, n_haru, i, s, &objs);
			buf_putc(&objs, '\n');
			at[i].type = 2;
			at[i].a = (uint32_t)stm;
			at[i].b = (uint16_t)count++;
		}
		if (count == 0) {
			next--;
			break;
		}
		buf_reset(&body);
		buf_put(&body, heads.data, heads.len);
		buf_put(&body, objs.data, objs.len);
		if (!ok || !deflate(ctx, body.data, body.len, &z)) {
			ok = false;
			break;
		}
		at[stm].type = 1;
		at[stm].a = (uint32_t)(out->len - base);
		buf_printf(out, "%zu 0 obj\n<</Type /ObjStm /N %zu /First %zu /Filter /FlateDecode "
				"/Length %zu>>\nstream\n", stm, count, heads.len, z.len);
		buf_put(out, z.data, z.len);
		buf_puts(out, "\nendstream\nendobj\n");
	}
	if (!ok)
		goto out;
	/* The cross-reference stream: W [1 4 2], entries 0 .. next. */
	at[next].type = 1;
	at[next].a = (uint32_t)(out->len - base);
	buf_reset(&body);
	for (k = 0; k <= next; k++) {
		put_be(&body, at[k].type, 1);
		put_be(&body, at[k].a, 4);
		put_be(&body, k == 0 ? 0xFFFF : at[k].b, 2);
	}
	if (!deflate(ctx, body.data, body.len, &z)) {
		ok = false;
		goto out;
	}
	buf_printf(out, "%zu 0 obj\n<</Type /XRef /Size %zu /W [1 4 2] /Filter /FlateDecode /Length %zu\n",
	    next, next + 1, z.len);
	ok = trailer_keys(doc, s, out);
	buf_puts(out, ">>\nstream\n");
	buf_put(out, z.data, z.len);
	buf_printf(out, "\nendstream\nendobj\nstartxref\n%u\n%%%%EOF\n", (unsigned)at[next].a);
out:
	if (s != NULL)
		HPDF_Stream_Free(s);
	buf_free(&objs);
	buf_free(&heads);
	buf_free(&body);
	buf_free(&z);
	free(at);
	return ok;
}
