/*
 * doc: building and freeing the document tree.  Input: calls from the
 * Markdown reader.  Output: a struct doc the layout reads.  Includes only
 * util.h and the C library.
 */
#include "doc/doc.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct doc *
doc_new(void)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	d->root.kind = DOC_ROOT;
	return d;
}

static void
block_clear(struct doc_block *b)
{
	size_t i;

	for (i = 0; i < b->n_spans; i++)
		free(b->spans[i].text);
	free(b->spans);
	for (i = 0; i < b->n_kids; i++)
		doc_block_free(b->kids[i]);
	free(b->kids);
	free(b->title);
	free(b->align);
	free(b->text);
}

void
doc_block_free(struct doc_block *b)
{
	if (b == NULL)
		return;
	block_clear(b);
	free(b);
}

void
doc_free(struct doc *d)
{
	if (d == NULL)
		return;
	block_clear(&d->root);
	free(d);
}

struct doc_block *
doc_add_block(struct doc_block *parent, enum doc_kind kind)
{
	struct doc_block *b = xcalloc(1, sizeof(*b));

	b->kind = kind;
	b->start = 1;
	b->width_frac = 1.0;
	if (parent->n_kids == parent->cap_kids) {
		parent->cap_kids = parent->cap_kids ? parent->cap_kids * 2 : 4;
		parent->kids = xreallocarray(parent->kids, parent->cap_kids, sizeof(*parent->kids));
	}
	parent->kids[parent->n_kids++] = b;
	return b;
}

void
doc_add_text(struct doc_block *b, const char *text, size_t len, unsigned style)
{
	struct doc_span *last;
	size_t old;

	if (len == 0 && !(style & DOC_HARD_BREAK))
		return;
	last = b->n_spans ? &b->spans[b->n_spans - 1] : NULL;
	if (last != NULL && last->style == style && !(style & DOC_HARD_BREAK)) {
		old = strlen(last->text);
		last->text = xrealloc(last->text, old + len + 1);
		memcpy(last->text + old, text, len);
		last->text[old + len] = '\0';
		return;
	}
	if (b->n_spans == b->cap_spans) {
		b->cap_spans = b->cap_spans ? b->cap_spans * 2 : 4;
		b->spans = xreallocarray(b->spans, b->cap_spans, sizeof(*b->spans));
	}
	b->spans[b->n_spans].text = xstrndup(text, len);
	b->spans[b->n_spans].style = style;
	b->n_spans++;
}

char *
doc_block_text(const struct doc_block *b)
{
	struct buf out;
	size_t i;

	buf_init(&out);
	buf_puts(&out, "");
	for (i = 0; i < b->n_spans; i++)
		buf_puts(&out, (b->spans[i].style & DOC_HARD_BREAK) ? " " : b->spans[i].text);
	return buf_detach(&out);
}

const char *
doc_kind_name(enum doc_kind k)
{
	static const char *const names[] = {
		"root", "heading", "paragraph", "list", "item", "quote", "callout",
		"code", "table", "row", "cell", "rule", "pagebreak", "figure",
	};
	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
