/*
 * pdf_file: a libharu document written as PDF 1.7 with object streams.
 * See pdf_file.h.
 *
 * Objects are numbered as libharu numbered them (its xref entries).
 * First every stream object is written as itself ("n 0 obj ... endobj"),
 * since a stream cannot sit in an object stream and libharu sets each
 * stream's /Length object only while writing it.  Then every other object
 * goes, in number order, into object streams of at most OBJS_PER_STREAM
 * objects, each deflated.  Last comes the cross-reference stream (type 1
 * entries: byte offset; type 2: object stream and index), which also
 * carries what a classic trailer would (/Root, /Info, /ID).  Everything
 * is serialised by libharu's own HPDF_Obj_WriteValue, so dictionaries
 * are written exactly as HPDF_SaveToStream would write them.
 */
#include "pdf_file.h"

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

bool
pdf_file_write(HPDF_Doc doc, pdf_deflate_fn deflate, void *ctx, struct buf *out)
{
	HPDF_Xref xref = doc->xref;
	size_t n = xref->entries->count, i, k, base = out->len;
	size_t n_streams = 0;
	struct where *at = xcalloc(n + (n / OBJS_PER_STREAM + 2), sizeof(*at));
	struct buf objs, heads, body, z;
	HPDF_Stream s = HPDF_CallbackWriter_New(doc->mmgr, to_buf, NULL);
	bool ok = s != NULL;
	size_t next = n; /* numbers after libharu's: object streams, then the xref stream */
	HPDF_Array id;

	buf_init(&objs);
	buf_init(&heads);
	buf_init(&body);
	buf_init(&z);
	if (!ok)
		goto out;
	buf_puts(out, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
	/* Streams, as themselves. */
	s->attr = out;
	for (i = 1; i < n && ok; i++) {
		HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, (HPDF_UINT)i);
		if (e == NULL || e->obj == NULL || !is_stream(e->obj))
			continue;
		at[i].type = 1;
		at[i].a = (uint32_t)(out->len - base);
		buf_printf(out, "%zu 0 obj\n", i);
		ok = HPDF_Obj_WriteValue(e->obj, s, NULL) == HPDF_OK;
		buf_puts(out, "\nendobj\n");
	}
	/* Everything else, in object streams. */
	for (i = 1; i < n && ok;) {
		size_t count = 0, stm = next++;
		buf_reset(&objs);
		buf_reset(&heads);
		s->attr = &objs;
		for (; i < n && count < OBJS_PER_STREAM && ok; i++) {
			HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, (HPDF_UINT)i);
			if (e == NULL || e->obj == NULL || is_stream(e->obj))
				continue;
			buf_printf(&heads, "%zu %zu ", i, objs.len);
			ok = HPDF_Obj_WriteValue(e->obj, s, NULL) == HPDF_OK;
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
		n_streams++;
	}
	if (!ok)
		goto out;
	/* The cross-reference stream: W [1 4 2], entries 0 .. next. */
	at[next].type = 1;
	at[next].a = (uint32_t)(out->len - base);
	buf_reset(&body);
	for (k = 0; k <= next; k++) {
		if (k == 0) {
			put_be(&body, 0, 1);
			put_be(&body, 0, 4);
			put_be(&body, 0xFFFF, 2);
		} else if (at[k].type == 0) {
			put_be(&body, 0, 1);
			put_be(&body, 0, 4);
			put_be(&body, 0, 2);
		} else {
			put_be(&body, at[k].type, 1);
			put_be(&body, at[k].a, 4);
			put_be(&body, at[k].b, 2);
		}
	}
	if (!deflate(ctx, body.data, body.len, &z)) {
		ok = false;
		goto out;
	}
	buf_printf(out, "%zu 0 obj\n<</Type /XRef /Size %zu /W [1 4 2] /Filter /FlateDecode /Length %zu\n",
	    next, next + 1, z.len);
	put_ref(out, "Root", doc->catalog);
	if (doc->info != NULL)
		put_ref(out, "Info", doc->info);
	id = HPDF_Dict_GetItem(doc->trailer, "ID", HPDF_OCLASS_ARRAY);
	if (id != NULL) {
		buf_puts(out, "/ID ");
		s->attr = out;
		ok = HPDF_Obj_WriteValue(id, s, NULL) == HPDF_OK;
		buf_putc(out, '\n');
	}
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
	(void)n_streams;
	return ok;
}
