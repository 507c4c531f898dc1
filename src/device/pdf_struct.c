/*
 * pdf_struct: the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8;
 * PDF/UA-1).  See pdf_struct.h.
 *
 * Objects.  One StructTreeRoot (a libharu dictionary, so the catalog can
 * point at it) whose /K is the Document element.  The elements are not
 * libharu objects: a report has close to a thousand and libharu spends
 * about a kilobyte on each (every dictionary key is a 128-byte array), so
 * a bundle of a class would hold hundreds of megabytes.  Here an element
 * is a few words (role, parent, page, strings, a list of kids) until the
 * file is written, when pdf_file.c asks for each one's text and numbers
 * them after libharu's objects (pdf_struct_base).  An element's /K lists
 * its kids in reading order: child elements, or the MCIDs of its content
 * (an integer when on the element's /Pg, else a marked-content reference
 * with its own /Pg).  A Span (text in another language, with its /Lang)
 * joins its parent's /K where its first content is drawn, so the parent's
 * text around it stays in order.  Figures carry /Alt; header cells /A << /O /Table
 * /Scope /Column >>; callouts /T; lists /ListNumbering.  The root's own
 * write hook adds /K and the ParentTree (a flat number tree: key =
 * /StructParents = page index, value = the element of each MCID).
 *
 * Content.  What belongs to an element is wrapped in "/Role <</MCID n>>
 * BDC ... EMC", MCIDs counted per page from 0.  Everything else is
 * "/Artifact BMC ... EMC", running heads and feet with /Type /Pagination.
 * Sequences never cross a text object (pdf.c ends BT/ET before a change)
 * or a page.
 */
#include "device/pdf_struct.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/font.h"

/* No sequence open. */
#define NONE (-1000)
/* No element, kid or page. */
#define NIL UINT32_MAX

struct st_elem {
	const char *role;        /* static */
	uint32_t parent;         /* element index; NIL = the root */
	uint32_t page;           /* /Pg: page index of its first content, NIL = none */
	uint32_t alt, title;     /* offsets + 1 into strs, 0 = none */
	uint32_t lang;           /* offset + 1 into strs, 0 = the document's */
	bool linked;             /* in its parent's /K (a Span: once its content is drawn) */
	uint32_t first, last;    /* its kids, a list in s->kids */
	unsigned char scope;     /* a header cell */
	unsigned char list;      /* a list: 1 unordered, 2 ordered */
};

/* A kid: a child element, or an MCID on a page. */
struct st_kid {
	uint32_t next;
	uint32_t elem;           /* NIL for content */
	uint32_t page, mcid;
};

struct pdf_struct {
	HPDF_Doc doc;
	HPDF_Dict root;          /* StructTreeRoot */
	uint32_t document;       /* the Document element, NIL until the first layout */
	struct st_elem *el;      /* owned; every element of every layout */
	size_t n_el, cap_el;
	struct st_kid *kids;     /* owned */
	size_t n_kids, cap_kids;
	struct buf strs;         /* NUL-terminated UTF-8 strings */
	HPDF_Page *pages;        /* owned; pages by index */
	uint32_t *mcid_at;       /* owned; first entry of each page in mcid_el */
	size_t n_pages, cap_pages;
	uint32_t *mcid_el;       /* owned; the element of each MCID, page after page */
	size_t n_mcid, cap_mcid;
	uint32_t layout0;        /* index of the current layout's elems[0] */
	const struct layout *lay;
	/* the current page */
	int mcid;                /* next MCID on the page */
	int open;                /* layout element (or artifact kind) of the open sequence */
	uint32_t base;           /* number of the first element object (pdf_struct_base) */
};

void *
pdf_text_string(HPDF_MMgr mm, const char *utf8)
{
	struct buf b;
	void *obj;
	const char *s = utf8, *end = utf8 + strlen(utf8);

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

/* Appends utf8 as a PDF text string: literal if printable ASCII, else hex UTF-16BE. */
static void
put_text(struct buf *b, const char *utf8)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *s = utf8, *end = utf8 + strlen(utf8);

	for (; s < end && *s >= 0x20 && *s < 0x7F; s++)
		;
	if (s == end) {
		buf_putc(b, '(');
		for (s = utf8; *s != '\0'; s++) {
			if (*s == '(' || *s == ')' || *s == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *s);
		}
		buf_putc(b, ')');
		return;
	}
	buf_puts(b, "<FEFF");
	for (s = utf8; s < end;) {
		uint32_t cp = font_utf8_next(&s, end), u[2];
		int n = 1, i, k;
		if (cp >= 0x10000) {
			u[0] = 0xD800 + ((cp - 0x10000) >> 10);
			u[1] = 0xDC00 + (cp & 0x3FF);
			n = 2;
		} else {
			u[0] = cp;
		}
		for (i = 0; i < n; i++)
			for (k = 12; k >= 0; k -= 4)
				buf_putc(b, hex[u[i] >> k & 15]);
	}
	buf_putc(b, '>');
}

/* Appends v in decimal (buf_printf is slow for the thousands of these). */
void
pdf_put_u(struct buf *b, uint32_t v)
{
	char tmp[12], *e = tmp + sizeof(tmp), *p = e;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	buf_put(b, p, (size_t)(e - p));
}

/* Appends " N 0 R". */
static void
put_ref(struct buf *b, uint32_t n)
{
	buf_putc(b, ' ');
	pdf_put_u(b, n);
	buf_puts(b, " 0 R");
}

static uint32_t
obj_no(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* The root's write hook: /K and the ParentTree, with the elements' numbers. */
static HPDF_STATUS
write_root(HPDF_Dict dict, HPDF_Stream stream)
{
	struct pdf_struct *s = dict->attr;
	struct buf b;
	size_t p, k;
	HPDF_STATUS rc;

	buf_init(&b);
	if (s->document != NIL)
		buf_printf(&b, "/K %u 0 R\n", (unsigned)(s->base + s->document));
	buf_puts(&b, "/ParentTree << /Nums [");
	for (p = 0; p < s->n_pages; p++) {
		size_t end = p + 1 < s->n_pages ? s->mcid_at[p + 1] : s->n_mcid;
		buf_printf(&b, " %zu [", p);
		for (k = s->mcid_at[p]; k < end; k++)
			put_ref(&b, s->base + s->mcid_el[k]);
		buf_puts(&b, " ]");
	}
	buf_printf(&b, " ] >>\n/ParentTreeNextKey %zu\n", s->n_pages);
	rc = HPDF_Stream_Write(stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return rc;
}

struct pdf_struct *
pdf_struct_new(HPDF_Doc doc)
{
	struct pdf_struct *s = xcalloc(1, sizeof(*s));

	s->doc = doc;
	s->open = NONE;
	s->document = NIL;
	buf_init(&s->strs);
	s->root = HPDF_Dict_New(doc->mmgr);
	if (s->root == NULL || HPDF_Xref_Add(doc->xref, s->root) != HPDF_OK) {
		free(s);
		return NULL;
	}
	HPDF_Dict_AddName(s->root, "Type", "StructTreeRoot");
	s->root->attr = s;
	s->root->write_fn = write_root;
	return s;
}

void
pdf_struct_free(struct pdf_struct *s)
{
	if (s == NULL)
		return;
	free(s->el);
	free(s->kids);
	buf_free(&s->strs);
	free(s->pages);
	free(s->mcid_at);
	free(s->mcid_el);
	free(s);
}

static uint32_t
add_str(struct pdf_struct *s, const char *str)
{
	uint32_t off = (uint32_t)s->strs.len + 1;

	buf_put(&s->strs, str, strlen(str) + 1);
	return off;
}

/* Appends a kid to element e's list. */
static void
add_kid(struct pdf_struct *s, uint32_t e, uint32_t elem, uint32_t page, uint32_t mcid)
{
	struct st_kid *k;
	uint32_t i;

	if (s->n_kids == s->cap_kids) {
		s->cap_kids = s->cap_kids ? s->cap_kids * 2 : 256;
		s->kids = xreallocarray(s->kids, s->cap_kids, sizeof(*s->kids));
	}
	i = (uint32_t)s->n_kids++;
	k = &s->kids[i];
	k->next = NIL;
	k->elem = elem;
	k->page = page;
	k->mcid = mcid;
	if (s->el[e].first == NIL)
		s->el[e].first = i;
	else
		s->kids[s->el[e].last].next = i;
	s->el[e].last = i;
}

/* A new element; linked into parent's /K now, or (a Span) where its content comes. */
static uint32_t
add_elem_linked(struct pdf_struct *s, const char *role, uint32_t parent, bool now)
{
	struct st_elem *e;
	uint32_t i;

	if (s->n_el == s->cap_el) {
		s->cap_el = s->cap_el ? s->cap_el * 2 : 256;
		s->el = xreallocarray(s->el, s->cap_el, sizeof(*s->el));
	}
	i = (uint32_t)s->n_el++;
	e = &s->el[i];
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->parent = parent;
	e->page = NIL;
	e->first = e->last = NIL;
	e->linked = now;
	if (parent != NIL && now)
		add_kid(s, parent, i, NIL, 0);
	return i;
}

static uint32_t
add_elem(struct pdf_struct *s, const char *role, uint32_t parent)
{
	return add_elem_linked(s, role, parent, true);
}

bool
pdf_struct_layout(struct pdf_struct *s, const struct layout *lay, const char *part_title)
{
	size_t i;

	s->lay = lay;
	s->layout0 = (uint32_t)s->n_el;
	if (lay->n_elems == 0)
		return true;
	if (s->document == NIL && part_title != NULL) {
		/* A bundle: one Document, a Part per layout. */
		s->document = add_elem(s, "Document", NIL);
		s->layout0 = (uint32_t)s->n_el;
	}
	for (i = 0; i < lay->n_elems; i++) {
		const struct layout_elem *le = &lay->elems[i];
		uint32_t e;
		if (i == 0 || le->parent < 0 || (size_t)le->parent >= i) {
			if (s->document == NIL) {
				s->document = add_elem(s, layout_role_name(le->role), NIL);
				continue;
			}
			e = add_elem(s, "Part", s->document);
			if (part_title != NULL)
				s->el[e].title = add_str(s, part_title);
			continue;
		}
		e = add_elem_linked(s, layout_role_name(le->role), s->layout0 + (uint32_t)le->parent,
		    le->role != ROLE_SPAN);
		if (le->lang != NULL)
			s->el[e].lang = add_str(s, le->lang);
		s->el[e].scope = le->role == ROLE_TH;
		s->el[e].list = le->role == ROLE_L ? (le->ordered ? 2 : 1) : 0;
		if (le->alt != NULL)
			s->el[e].alt = add_str(s, le->alt);
		if (le->title != NULL)
			s->el[e].title = add_str(s, le->title);
	}
	return true;
}

bool
pdf_struct_page(struct pdf_struct *s, HPDF_Page page)
{
	if (s->n_pages == s->cap_pages) {
		s->cap_pages = s->cap_pages ? s->cap_pages * 2 : 16;
		s->pages = xreallocarray(s->pages, s->cap_pages, sizeof(*s->pages));
		s->mcid_at = xreallocarray(s->mcid_at, s->cap_pages, sizeof(*s->mcid_at));
	}
	s->pages[s->n_pages] = page;
	s->mcid_at[s->n_pages] = (uint32_t)s->n_mcid;
	s->mcid = 0;
	s->open = NONE;
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
	uint32_t e, page = (uint32_t)s->n_pages - 1;

	pdf_struct_end(s, b);
	if (elem < 0 || s->lay == NULL || (size_t)elem >= s->lay->n_elems || s->n_pages == 0) {
		if (elem == LAYOUT_ART_HEADER)
			buf_puts(b, "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n");
		else if (elem == LAYOUT_ART_FOOTER)
			buf_puts(b, "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n");
		else
			buf_puts(b, "/Artifact BMC\n");
		s->open = elem < 0 ? elem : LAYOUT_ART_LAYOUT;
		return;
	}
	e = s->layout0 + (uint32_t)elem;
	buf_putc(b, '/');
	buf_puts(b, s->el[e].role);
	buf_puts(b, " <</MCID ");
	pdf_put_u(b, (uint32_t)s->mcid);
	buf_puts(b, ">> BDC\n");
	if (s->n_mcid == s->cap_mcid) {
		s->cap_mcid = s->cap_mcid ? s->cap_mcid * 2 : 1024;
		s->mcid_el = xreallocarray(s->mcid_el, s->cap_mcid, sizeof(*s->mcid_el));
	}
	s->mcid_el[s->n_mcid++] = e;
	if (!s->el[e].linked) {
		add_kid(s, s->el[e].parent, e, NIL, 0);
		s->el[e].linked = true;
	}
	if (s->el[e].page == NIL)
		s->el[e].page = page;
	add_kid(s, e, NIL, page, (uint32_t)s->mcid);
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
	HPDF_Dict_Add(s->doc->catalog, "StructTreeRoot", s->root);
	HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
	HPDF_Dict_Add(s->doc->catalog, "MarkInfo", mark);
	if (lang != NULL && *lang != '\0')
		HPDF_Dict_Add(s->doc->catalog, "Lang", HPDF_String_New(mm, lang, NULL));
	return true;
}

size_t
pdf_struct_count(const struct pdf_struct *s)
{
	return s->n_el;
}

void
pdf_struct_base(struct pdf_struct *s, uint32_t base)
{
	s->base = base;
}

void
pdf_struct_object(const struct pdf_struct *s, size_t i, struct buf *b)
{
	const struct st_elem *e = &s->el[i];
	uint32_t k;

	buf_puts(b, "<</S/");
	buf_puts(b, e->role);
	buf_puts(b, "/P");
	put_ref(b, e->parent == NIL ? obj_no(s->root) : s->base + e->parent);
	if (e->page != NIL) {
		buf_puts(b, "/Pg");
		put_ref(b, obj_no(s->pages[e->page]));
	}
	if (e->title) {
		buf_puts(b, "/T");
		put_text(b, s->strs.data + e->title - 1);
	}
	if (e->lang) {
		buf_puts(b, "/Lang");
		put_text(b, s->strs.data + e->lang - 1);
	}
	if (e->alt) {
		buf_puts(b, "/Alt");
		put_text(b, s->strs.data + e->alt - 1);
	}
	if (e->scope)
		buf_puts(b, "/A<</O/Table/Scope/Column>>");
	if (e->list)
		buf_puts(b, e->list == 2 ? "/A<</O/List/ListNumbering/Decimal>>"
					 : "/A<</O/List/ListNumbering/Disc>>");
	if (e->first != NIL) {
		buf_puts(b, "/K[");
		for (k = e->first; k != NIL; k = s->kids[k].next) {
			const struct st_kid *kd = &s->kids[k];
			if (kd->elem != NIL) {
				put_ref(b, s->base + kd->elem);
			} else if (kd->page == e->page) {
				buf_putc(b, ' ');
				pdf_put_u(b, kd->mcid);
			} else {
				buf_puts(b, "<</Type/MCR/Pg");
				put_ref(b, obj_no(s->pages[kd->page]));
				buf_puts(b, "/MCID ");
				pdf_put_u(b, kd->mcid);
				buf_puts(b, ">>");
			}
		}
		buf_putc(b, ']');
	}
	buf_puts(b, ">>");
}
