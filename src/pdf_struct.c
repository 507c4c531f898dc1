/*
 * pdf_struct: the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8;
 * PDF/UA-1).  See pdf_struct.h.
 *
 * Objects.  One StructTreeRoot whose /K is the Document element.  Each
 * layout element becomes an indirect StructElem dictionary made before
 * its layout's pages are drawn (so content can point at it), with /S its
 * standard type, /P its parent, /K its children in reading order: child
 * elements, or the MCIDs of its content (an integer when on the element's
 * /Pg, else a marked-content reference with its own /Pg).  Figures carry
 * /Alt; header cells /A << /O /Table /Scope /Column >>; callouts /T.
 *
 * Content.  What belongs to an element is wrapped in "/Role <</MCID n>>
 * BDC ... EMC", MCIDs counted per page from 0; the page's entry in the
 * ParentTree (a flat number tree, key = /StructParents = page index) lists
 * the element of each MCID.  Everything else is "/Artifact BMC ... EMC",
 * running heads and feet with /Type /Pagination.  Sequences never cross a
 * text object (pdf.c ends BT/ET before a change) or a page.
 */
#include "pdf_struct.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"

/* No sequence open. */
#define NONE (-1000)

struct pdf_struct {
	HPDF_Doc doc;
	HPDF_Dict root;          /* StructTreeRoot */
	HPDF_Dict document;      /* the Document element, NULL until the first layout */
	HPDF_Array nums;         /* the ParentTree's /Nums */
	size_t n_pages;          /* pages so far = next /StructParents key */
	/* the current layout */
	const struct layout *lay;
	HPDF_Dict *el;           /* owned array; one StructElem per layout element */
	HPDF_Array *kids;        /* owned array; each element's /K, NULL until needed */
	HPDF_Page *pg;           /* owned array; each element's /Pg, NULL until content */
	size_t n_el;
	/* the current page */
	HPDF_Page page;
	HPDF_Array parents;      /* this page's ParentTree entry: element per MCID */
	int mcid;                /* next MCID on the page */
	int open;                /* element (or artifact kind) of the open sequence, NONE */
};

void *
pdf_text_string(HPDF_MMgr mm, const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	struct buf b;
	void *obj;

	for (; s < end && *s >= 0x20 && *s < 0x7F; s++)
		;
	if (s == end)
		return HPDF_String_New(mm, utf8, NULL);
	buf_init(&b);
	buf_put(&b, "\xFE\xFF", 2);
	for (s = utf8; s < end;) {
		uint32_t cp = font_utf8_next(&s, end);
		unsigned char u[4];
		if (cp >= 0x10000) {
			uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + (cp & 0x3FF);
			u[0] = (unsigned char)(hi >> 8);
			u[1] = (unsigned char)hi;
			u[2] = (unsigned char)(lo >> 8);
			u[3] = (unsigned char)lo;
			buf_put(&b, u, 4);
		} else {
			u[0] = (unsigned char)(cp >> 8);
			u[1] = (unsigned char)cp;
			buf_put(&b, u, 2);
		}
	}
	obj = HPDF_Binary_New(mm, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return obj;
}

/* A new indirect dictionary; NULL on error (libharu's handler has it). */
static HPDF_Dict
indirect_dict(HPDF_Doc doc)
{
	HPDF_Dict d = HPDF_Dict_New(doc->mmgr);

	if (d == NULL || HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
		return NULL;
	return d;
}

struct pdf_struct *
pdf_struct_new(HPDF_Doc doc)
{
	struct pdf_struct *s = xcalloc(1, sizeof(*s));
	HPDF_Dict tree;

	s->doc = doc;
	s->open = NONE;
	s->root = indirect_dict(doc);
	tree = HPDF_Dict_New(doc->mmgr);
	s->nums = HPDF_Array_New(doc->mmgr);
	if (s->root == NULL || tree == NULL || s->nums == NULL) {
		free(s);
		return NULL;
	}
	HPDF_Dict_AddName(s->root, "Type", "StructTreeRoot");
	HPDF_Dict_Add(tree, "Nums", s->nums);
	HPDF_Dict_Add(s->root, "ParentTree", tree);
	return s;
}

static void
drop_layout(struct pdf_struct *s)
{
	free(s->el);
	free(s->kids);
	free(s->pg);
	s->el = NULL;
	s->kids = NULL;
	s->pg = NULL;
	s->n_el = 0;
	s->lay = NULL;
}

void
pdf_struct_free(struct pdf_struct *s)
{
	if (s == NULL)
		return;
	drop_layout(s);
	free(s);
}

/* Element e's /K array, made on first use. */
static HPDF_Array
kids_of(struct pdf_struct *s, size_t e)
{
	if (s->kids[e] == NULL) {
		s->kids[e] = HPDF_Array_New(s->doc->mmgr);
		if (s->kids[e] != NULL)
			HPDF_Dict_Add(s->el[e], "K", s->kids[e]);
	}
	return s->kids[e];
}

/* The /A of a header cell: its scope. */
static void
add_scope(HPDF_MMgr mm, HPDF_Dict el)
{
	HPDF_Dict a = HPDF_Dict_New(mm);

	if (a == NULL)
		return;
	HPDF_Dict_AddName(a, "O", "Table");
	HPDF_Dict_AddName(a, "Scope", "Column");
	HPDF_Dict_Add(el, "A", a);
}

bool
pdf_struct_layout(struct pdf_struct *s, const struct layout *lay, const char *part_title)
{
	HPDF_MMgr mm = s->doc->mmgr;
	size_t i;

	drop_layout(s);
	if (lay->n_elems == 0)
		return true;
	s->lay = lay;
	s->n_el = lay->n_elems;
	s->el = xcalloc(s->n_el, sizeof(*s->el));
	s->kids = xcalloc(s->n_el, sizeof(*s->kids));
	s->pg = xcalloc(s->n_el, sizeof(*s->pg));
	if (s->document == NULL && part_title != NULL) {
		/* A bundle: one Document, a Part per layout. */
		s->document = indirect_dict(s->doc);
		if (s->document == NULL)
			return false;
		HPDF_Dict_AddName(s->document, "Type", "StructElem");
		HPDF_Dict_AddName(s->document, "S", "Document");
		HPDF_Dict_Add(s->document, "P", s->root);
		HPDF_Dict_Add(s->root, "K", s->document);
	}
	for (i = 0; i < s->n_el; i++) {
		const struct layout_elem *e = &lay->elems[i];
		HPDF_Dict el = indirect_dict(s->doc);
		if (el == NULL)
			return false;
		s->el[i] = el;
		HPDF_Dict_AddName(el, "Type", "StructElem");
		if (i == 0 || e->parent < 0 || (size_t)e->parent >= i) {
			if (s->document == NULL) {
				HPDF_Dict_AddName(el, "S", layout_role_name(e->role));
				HPDF_Dict_Add(el, "P", s->root);
				HPDF_Dict_Add(s->root, "K", el);
				s->document = el;
				continue;
			}
			HPDF_Dict_AddName(el, "S", "Part");
			if (part_title != NULL)
				HPDF_Dict_Add(el, "T", pdf_text_string(mm, part_title));
			HPDF_Dict_Add(el, "P", s->document);
			/* The Document's /K: an array once it has a second kid. */
			HPDF_Array k = HPDF_Dict_GetItem(s->document, "K", HPDF_OCLASS_ARRAY);
			if (k == NULL) {
				k = HPDF_Array_New(mm);
				HPDF_Dict_Add(s->document, "K", k);
			}
			HPDF_Array_Add(k, el);
			continue;
		}
		HPDF_Dict_AddName(el, "S", layout_role_name(e->role));
		HPDF_Dict_Add(el, "P", s->el[e->parent]);
		HPDF_Array_Add(kids_of(s, (size_t)e->parent), el);
		if (e->role == ROLE_TH)
			add_scope(mm, el);
		if (e->alt != NULL)
			HPDF_Dict_Add(el, "Alt", pdf_text_string(mm, e->alt));
		if (e->title != NULL)
			HPDF_Dict_Add(el, "T", pdf_text_string(mm, e->title));
		if (e->role == ROLE_L) {
			HPDF_Dict a = HPDF_Dict_New(mm);
			HPDF_Dict_AddName(a, "O", "List");
			HPDF_Dict_AddName(a, "ListNumbering", e->ordered ? "Decimal" : "Disc");
			HPDF_Dict_Add(el, "A", a);
		}
	}
	return true;
}

bool
pdf_struct_page(struct pdf_struct *s, HPDF_Page page)
{
	s->page = page;
	s->mcid = 0;
	s->open = NONE;
	s->parents = HPDF_Array_New(s->doc->mmgr);
	if (s->parents == NULL)
		return false;
	HPDF_Array_AddNumber(s->nums, (HPDF_INT32)s->n_pages);
	HPDF_Array_Add(s->nums, s->parents);
	HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)s->n_pages);
	HPDF_Dict_AddName(page, "Tabs", "S");
	s->n_pages++;
	return true;
}

bool
pdf_struct_changes(const struct pdf_struct *s, int elem)
{
	return elem != s->open;
}

void
pdf_struct_end(struct pdf_struct *s, struct buf *b)
{
	if (s->open != NONE)
		buf_puts(b, "EMC\n");
	s->open = NONE;
}

void
pdf_struct_begin(struct pdf_struct *s, struct buf *b, int elem)
{
	pdf_struct_end(s, b);
	if (elem < 0 || (size_t)elem >= s->n_el) {
		if (elem == LAYOUT_ART_HEADER)
			buf_puts(b, "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n");
		else if (elem == LAYOUT_ART_FOOTER)
			buf_puts(b, "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n");
		else
			buf_puts(b, "/Artifact BMC\n");
		s->open = elem < 0 ? elem : LAYOUT_ART_LAYOUT;
		return;
	}
	buf_printf(b, "/%s <</MCID %d>> BDC\n", layout_role_name(s->lay->elems[elem].role), s->mcid);
	HPDF_Array_Add(s->parents, s->el[elem]);
	if (s->pg[elem] == NULL) {
		s->pg[elem] = s->page;
		HPDF_Dict_Add(s->el[elem], "Pg", s->page);
	}
	if (s->pg[elem] == s->page) {
		HPDF_Array_AddNumber(kids_of(s, (size_t)elem), s->mcid);
	} else {
		HPDF_Dict mcr = HPDF_Dict_New(s->doc->mmgr);
		if (mcr != NULL) {
			HPDF_Dict_AddName(mcr, "Type", "MCR");
			HPDF_Dict_Add(mcr, "Pg", s->page);
			HPDF_Dict_AddNumber(mcr, "MCID", s->mcid);
			HPDF_Array_Add(kids_of(s, (size_t)elem), mcr);
		}
	}
	s->mcid++;
	s->open = elem;
}

bool
pdf_struct_finish(struct pdf_struct *s, const char *lang)
{
	HPDF_MMgr mm = s->doc->mmgr;
	HPDF_Dict mark = HPDF_Dict_New(mm);

	if (mark == NULL)
		return false;
	HPDF_Dict_AddNumber(s->root, "ParentTreeNextKey", (HPDF_INT32)s->n_pages);
	HPDF_Dict_Add(s->doc->catalog, "StructTreeRoot", s->root);
	HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
	HPDF_Dict_Add(s->doc->catalog, "MarkInfo", mark);
	if (lang != NULL && *lang != '\0')
		HPDF_Dict_Add(s->doc->catalog, "Lang", HPDF_String_New(mm, lang, NULL));
	return true;
}
