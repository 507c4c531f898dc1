/*
 * bundle: copying written reports into one PDF, streamed (see bundle.h).
 * Input: PDF files in memory, one at a time.  Output: the bundle file,
 * written object by object through a temporary file (outfile.h).
 *
 * Numbers.  Objects 1 to 4 are the catalog, the root of the page tree, the
 * outline and the information dictionary, written last.  Each report's
 * objects get new numbers in the order they are first referred to, from
 * the report's page tree and its outline; a table old -> new lives while
 * the report is copied.  Reports are grouped 4,096 to a node under the
 * root (PDF readers take arrays of at most 8,191 items: annex C), so no
 * array grows with the class either.
 */
#include "device/bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "device/pdfobj.h"

#define OBJ_CATALOG 1u
#define OBJ_PAGES 2u
#define OBJ_OUTLINES 3u
#define OBJ_INFO 4u
#define OBJ_NULL 5u               /* the target of a reference to nothing */
#define FIRST_FREE 6u
#define GROUP_SIZE 4096           /* report nodes under one page-tree node */
#define MAX_OFFSET 9999999999ull  /* ten digits in the cross-reference table */

struct bundle {
	char *path, *tmp;             /* owned */
	FILE *f;
	char *title, *creator;        /* owned */
	uint64_t *off;                /* owned; byte offset of object k, 0 = none */
	uint32_t n_obj, cap_obj;      /* next number to give; capacity of off */
	uint64_t pos;                 /* bytes written */
	bool io_failed;
	int io_errno;
	size_t n_pages, n_reports;

	/* the page-tree group being filled */
	uint32_t group;               /* its number, 0 = none yet */
	uint32_t *group_kids;         /* owned; report nodes, GROUP_SIZE at most */
	size_t n_group_kids, group_pages;
	uint32_t *groups;             /* owned; every group, in order */
	size_t *group_counts;         /* owned */
	size_t n_groups, cap_groups;

	/* the report added last, whose node and bookmark are written later */
	bool pending;
	uint32_t node;                /* its page-tree node */
	uint32_t kids[2];             /* the report's page tree, then a filler */
	size_t n_kids, node_pages;
	uint32_t item;                /* its bookmark */
	uint32_t item_first, item_last; /* the report's own bookmarks, 0 = none */
	long long item_count;
	uint32_t first_page;
	char *item_title;             /* owned */
	uint32_t prev_item;           /* the bookmark before it, 0 = none */
	uint32_t first_item, last_item;
	size_t n_items;

	/* the structure tree: a Document whose kids are each file's top
	   element, made a Part; a ParentTree with one leaf per file */
	bool tagged;                  /* every file so far had a structure tree */
	uint32_t st_root, st_doc, pt_root, xmp;   /* numbers given at the start */
	uint32_t *parts;              /* owned; the Part elements, in order */
	size_t n_parts, cap_parts;
	uint32_t *pt_leaves;          /* owned; the ParentTree's leaves */
	size_t n_leaves, cap_leaves;
	long long next_key;           /* the next /StructParents key */
	char *lang;                   /* owned; the first file's /Lang, as written */
	char *rolemap;                /* owned; the first file's /RoleMap, as written */
};

/* ---- writing ------------------------------------------------------------------- */

static void
put(struct bundle *b, const void *p, size_t n)
{
	if (n == 0 || b->io_failed)
		return;
	if (fwrite(p, 1, n, b->f) != n) {
		b->io_failed = true;
		b->io_errno = errno;
	}
	b->pos += n;
}

static uint32_t
new_obj(struct bundle *b)
{
	if (b->n_obj == b->cap_obj) {
		b->cap_obj = b->cap_obj ? b->cap_obj * 2 : 1024;
		b->off = xreallocarray(b->off, b->cap_obj, sizeof *b->off);
		memset(b->off + b->n_obj, 0, (b->cap_obj - b->n_obj) * sizeof *b->off);
	}
	return b->n_obj++;
}

/* Object num with body (a value, without "obj"/"endobj") and an optional stream. */
static void
write_obj(struct bundle *b, uint32_t num, const struct buf *body, const char *stream,
    size_t stream_len)
{
	char head[40];
	int n = snprintf(head, sizeof head, "%u 0 obj\n", num);

	b->off[num] = b->pos;
	put(b, head, (size_t)n);
	put(b, body->data, body->len);
	if (stream != NULL) {
		put(b, "\nstream\n", 8);
		put(b, stream, stream_len);
		put(b, "\nendstream", 10);
	}
	put(b, "\nendobj\n", 8);
}

/* A PDF text string: UTF-16BE with a byte-order mark, in hex. */
static void
put_text_string(struct buf *out, const char *utf8)
{
	char *s = utf8_sanitize(utf8, strlen(utf8));
	const unsigned char *p = (const unsigned char *)s;

	buf_puts(out, "<FEFF");
	while (*p != '\0') {
		size_t n = utf8_seq_len(p, strlen((const char *)p));
		uint32_t cp;
		if (n == 0)
			n = 1;
		if (n == 1)
			cp = p[0];
		else if (n == 2)
			cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		else if (n == 3)
			cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
			    (p[2] & 0x3f);
		else
			cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
			    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		p += n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			buf_printf(out, "%04X%04X", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		} else {
			buf_printf(out, "%04X", cp);
		}
	}
	buf_putc(out, '>');
	free(s);
}

/* ---- copying one file's objects ------------------------------------------------------ */

struct copy {
	struct bundle *b;
	const struct pdf_in *in;
	uint32_t *map;                /* owned; old -> new, 0 = not yet */
	uint32_t *queue;              /* owned; old numbers to copy */
	size_t n_queue, head;
	uint32_t pages_root;          /* old number of the file's page tree */
	uint32_t parent;              /* new /Parent of pages_root */
	size_t leaves;                /* /Type /Page objects copied */
	long long sp_offset;          /* added to /StructParents and /StructParent */
	uint32_t part;                /* old number of the file's top structure
	                                 element, which becomes a Part; 0 none */
	const char *part_title;       /* its /T */
};

static uint32_t
copy_map(void *ctx, uint32_t old)
{
	struct copy *c = ctx;

	if (!pdf_in_has(c->in, old))
		return OBJ_NULL;
	if (c->map[old] == 0) {
		c->map[old] = new_obj(c->b);
		c->queue[c->n_queue++] = old;   /* each old number is queued once */
	}
	return c->map[old];
}

static void
copy_init(struct copy *c, struct bundle *b, const struct pdf_in *in)
{
	memset(c, 0, sizeof *c);
	c->b = b;
	c->in = in;
	c->map = xcalloc(in->n_obj, sizeof *c->map);
	c->queue = xcalloc(in->n_obj, sizeof *c->queue);
}

static void
copy_free(struct copy *c)
{
	free(c->map);
	free(c->queue);
}

/* Copy every queued object and what it refers to; 0 or -1 with dl. */
static int
copy_run(struct copy *c, struct diag_list *dl)
{
	struct buf body;
	int rc = 0;

	buf_init(&body);
	while (c->head < c->n_queue && rc == 0) {
		uint32_t old = c->queue[c->head++];
		struct pdf_obj o;
		if (pdf_in_get(c->in, old, &o, dl) != 0) {
			rc = -1;
			break;
		}
		buf_reset(&body);
		if (pv_is_name(pv_get(&o.v, "/Type"), "/Page"))
			c->leaves++;
		if (o.v.kind == PV_DICT) {
			/* a dictionary, with the entries the bundle changes written anew */
			const char *skip[6];
			size_t n = 0;
			long long sp;
			const struct pv *sps = pv_get(&o.v, "/StructParents");
			const struct pv *spa = pv_get(&o.v, "/StructParent");
			if (old == c->pages_root)
				skip[n++] = "/Parent";
			if (o.stream != NULL)
				skip[n++] = "/Length";
			if (pv_int(sps, &sp) || pv_int(spa, &sp))
				skip[n++] = sps ? "/StructParents" : "/StructParent";
			if (old == c->part) {
				skip[n++] = "/S";
				skip[n++] = "/T";
			}
			skip[n] = NULL;
			pv_write(&body, &o.v, copy_map, c, skip);
			body.len -= 2;          /* ">>" */
			if (old == c->pages_root)
				buf_printf(&body, "/Parent %u 0 R", c->parent);
			if (o.stream != NULL)
				buf_printf(&body, "/Length %zu", o.stream_len);
			if (pv_int(sps, &sp) || pv_int(spa, &sp))
				buf_printf(&body, "/%s %lld", sps ? "StructParents" : "StructParent",
				    sp + c->sp_offset);
			if (old == c->part) {
				buf_puts(&body, "/S/Part/T");
				put_text_string(&body, c->part_title ? c->part_title : "");
			}
			buf_puts(&body, ">>");
		} else {
			pv_write(&body, &o.v, copy_map, c, NULL);
		}
		write_obj(c->b, c->map[old], &body, o.stream, o.stream_len);
		pdf_obj_free(&o);
	}
	buf_free(&body);
	return rc;
}

/* What the bundle takes from a file's catalog. */
struct catalog {
	uint32_t pages, outlines, st_root;   /* 0 = none (pages: never) */
	char lang[40];                       /* the /Lang string as written, or "" */
};

static int
catalog_parts(const struct pdf_in *in, struct catalog *k, struct diag_list *dl)
{
	struct pdf_obj cat;
	const struct pv *p, *o, *st, *lang;

	memset(k, 0, sizeof *k);
	if (pdf_in_get(in, in->root, &cat, dl) != 0)
		return -1;
	p = pv_get(&cat.v, "/Pages");
	o = pv_get(&cat.v, "/Outlines");
	st = pv_get(&cat.v, "/StructTreeRoot");
	lang = pv_get(&cat.v, "/Lang");
	if (p == NULL || p->kind != PV_REF || !pdf_in_has(in, p->num)) {
		diag_add(dl, DIAG_ERROR, "bundle.no-page-tree",
		    in->name, "the catalog has no page tree");
		pdf_obj_free(&cat);
		return -1;
	}
	k->pages = p->num;
	k->outlines = o != NULL && o->kind == PV_REF && pdf_in_has(in, o->num) ? o->num : 0;
	k->st_root = st != NULL && st->kind == PV_REF && pdf_in_has(in, st->num) ? st->num : 0;
	if (lang != NULL && lang->kind == PV_STR && lang->len < sizeof k->lang) {
		memcpy(k->lang, lang->raw, lang->len);
		k->lang[lang->len] = '\0';
	}
	pdf_obj_free(&cat);
	return 0;
}

static void
push_u32(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = x;
}

/* The entries of the number tree at v into nums ("KEY VALUE ..."), keys + off. */
static bool
flatten_numbers(struct copy *c, const struct pv *v, long long off, struct buf *nums,
    long long *lo, long long *hi, int depth, struct diag_list *dl)
{
	struct pdf_obj o;
	const struct pv *node = v, *n, *kids;
	bool held = false, ok = true;

	if (depth > 16)
		return false;
	if (v->kind == PV_REF) {
		if (pdf_in_get(c->in, v->num, &o, dl) != 0)
			return false;
		node = &o.v;
		held = true;
	}
	n = pv_get(node, "/Nums");
	kids = pv_get(node, "/Kids");
	if (n != NULL && n->kind == PV_ARRAY) {
		for (size_t i = 0; i + 1 < n->n; i += 2) {
			long long key;
			if (!pv_int(&n->items[i], &key) || key < 0 || key > INT32_MAX) {
				ok = false;
				break;
			}
			if (key + off < *lo)
				*lo = key + off;
			if (key + off > *hi)
				*hi = key + off;
			buf_printf(nums, "%s%lld", nums->len ? " " : "", key + off);
			pv_write(nums, &n->items[i + 1], copy_map, c, NULL);
		}
	}
	if (ok && kids != NULL && kids->kind == PV_ARRAY)
		for (size_t i = 0; i < kids->n && ok; i++)
			ok = flatten_numbers(c, &kids->items[i], off, nums, lo, hi, depth + 1, dl);
	if (held)
		pdf_obj_free(&o);
	return ok;
}

/*
 * The structure tree of the file c copies, joined to the bundle's: its top
 * element becomes a Part titled title under the bundle's Document, its
 * ParentTree a leaf of the bundle's with the keys moved past those used so
 * far.  Before copy_run, which copies the elements through the same map.
 */
static void
join_structure(struct bundle *b, struct copy *c, const struct catalog *k,
    const char *title, struct diag_list *dl)
{
	struct pdf_obj r;
	const struct pv *kids, *pt, *rm;
	long long next = 0, lo = INT64_MAX, hi = -1;
	struct buf nums;

	if (k->st_root == 0 || !b->tagged || pdf_in_get(c->in, k->st_root, &r, dl) != 0) {
		b->tagged = false;
		return;
	}
	c->map[k->st_root] = b->st_doc;      /* the top element's /P */
	c->sp_offset = b->next_key;
	kids = pv_get(&r.v, "/K");
	if (kids != NULL && kids->kind == PV_REF) {
		c->part = kids->num;
		c->part_title = title;
		push_u32(&b->parts, &b->n_parts, &b->cap_parts, copy_map(c, kids->num));
	} else if (kids != NULL && kids->kind == PV_ARRAY) {
		for (size_t i = 0; i < kids->n; i++)
			if (kids->items[i].kind == PV_REF) {
				if (c->part == 0) {
					c->part = kids->items[i].num;
					c->part_title = title;
				}
				push_u32(&b->parts, &b->n_parts, &b->cap_parts,
				    copy_map(c, kids->items[i].num));
			}
	}
	rm = pv_get(&r.v, "/RoleMap");
	if (b->rolemap == NULL && rm != NULL) {
		struct buf t;
		buf_init(&t);
		pv_write(&t, rm, copy_map, c, NULL);
		b->rolemap = buf_detach(&t);
	}
	if (b->lang == NULL && k->lang[0] != '\0')
		b->lang = xstrdup(k->lang);
	buf_init(&nums);
	pt = pv_get(&r.v, "/ParentTree");
	if (pt != NULL && flatten_numbers(c, pt, c->sp_offset, &nums, &lo, &hi, 0, dl) &&
	    hi >= 0) {
		struct buf body;
		uint32_t leaf = new_obj(b);
		buf_init(&body);
		buf_printf(&body, "<</Limits[%lld %lld]/Nums[", lo, hi);
		buf_put(&body, nums.data, nums.len);
		buf_puts(&body, "]>>");
		write_obj(b, leaf, &body, NULL, 0);
		buf_free(&body);
		push_u32(&b->pt_leaves, &b->n_leaves, &b->cap_leaves, leaf);
	}
	if (!pv_int(pv_get(&r.v, "/ParentTreeNextKey"), &next) || next <= hi - c->sp_offset)
		next = hi - c->sp_offset + 1;
	if (next > 0)
		b->next_key += next;
	buf_free(&nums);
	pdf_obj_free(&r);
}

/* The first page (a leaf) of the page tree at num. */
static uint32_t
first_leaf(const struct pdf_in *in, uint32_t num, struct diag_list *dl)
{
	for (int depth = 0; depth < 32; depth++) {
		struct pdf_obj o;
		const struct pv *kids;
		uint32_t next;
		if (pdf_in_get(in, num, &o, dl) != 0)
			return 0;
		if (!pv_is_name(pv_get(&o.v, "/Type"), "/Pages")) {
			pdf_obj_free(&o);
			return num;
		}
		kids = pv_get(&o.v, "/Kids");
		next = kids != NULL && kids->kind == PV_ARRAY && kids->n > 0 &&
		    kids->items[0].kind == PV_REF ? kids->items[0].num : 0;
		pdf_obj_free(&o);
		if (next == 0) {
			diag_add(dl, DIAG_ERROR, "bundle.empty-page-tree",
			    in->name, "a page tree without pages");
			return 0;
		}
		num = next;
	}
	diag_add(dl, DIAG_ERROR, "bundle.page-tree-too-deep",
	    in->name, "a page tree nested too deeply");
	return 0;
}

/* ---- the tree of reports and the outline ------------------------------------------ */

/* A node of the page tree (parent 0: the root). */
static void
write_pages_node(struct bundle *b, uint32_t num, uint32_t parent, size_t count,
    const uint32_t *kids, size_t n)
{
	struct buf body;

	buf_init(&body);
	buf_puts(&body, "<</Type/Pages");
	if (parent != 0)
		buf_printf(&body, "/Parent %u 0 R", parent);
	buf_printf(&body, "/Count %zu/Kids[", count);
	for (size_t i = 0; i < n; i++)
		buf_printf(&body, "%s%u 0 R", i ? " " : "", kids[i]);
	buf_puts(&body, "]>>");
	write_obj(b, num, &body, NULL, 0);
	buf_free(&body);
}

static void
close_group(struct bundle *b)
{
	if (b->group == 0)
		return;
	write_pages_node(b, b->group, OBJ_PAGES, b->group_pages, b->group_kids,
	    b->n_group_kids);
	if (b->n_groups == b->cap_groups) {
		b->cap_groups = b->cap_groups ? b->cap_groups * 2 : 16;
		b->groups = xreallocarray(b->groups, b->cap_groups, sizeof *b->groups);
		b->group_counts = xreallocarray(b->group_counts, b->cap_groups,
		    sizeof *b->group_counts);
	}
	b->groups[b->n_groups] = b->group;
	b->group_counts[b->n_groups++] = b->group_pages;
	b->group = 0;
	b->n_group_kids = 0;
	b->group_pages = 0;
}

/* The node and bookmark of the report added last; next is the next bookmark. */
static void
flush_pending(struct bundle *b, uint32_t next)
{
	struct buf body;

	if (!b->pending)
		return;
	write_pages_node(b, b->node, b->group, b->node_pages, b->kids, b->n_kids);
	buf_init(&body);
	buf_puts(&body, "<</Title");
	put_text_string(&body, b->item_title);
	buf_printf(&body, "/Parent %u 0 R/Dest[%u 0 R/Fit]", OBJ_OUTLINES, b->first_page);
	if (b->prev_item != 0)
		buf_printf(&body, "/Prev %u 0 R", b->prev_item);
	if (next != 0)
		buf_printf(&body, "/Next %u 0 R", next);
	if (b->item_first != 0)
		buf_printf(&body, "/First %u 0 R/Last %u 0 R/Count %lld", b->item_first,
		    b->item_last, b->item_count > 0 ? -b->item_count : b->item_count);
	buf_puts(&body, ">>");
	write_obj(b, b->item, &body, NULL, 0);
	buf_free(&body);

	b->group_kids[b->n_group_kids++] = b->node;
	b->group_pages += b->node_pages;
	if (b->n_group_kids == GROUP_SIZE)
		close_group(b);
	if (b->first_item == 0)
		b->first_item = b->item;
	b->prev_item = b->item;
	b->last_item = b->item;
	b->n_items++;
	free(b->item_title);
	b->item_title = NULL;
	b->pending = false;
}

struct bundle *
bundle_open(const char *path, const char *title, const char *creator,
    struct diag_list *dl)
{
	struct bundle *b = xcalloc(1, sizeof *b);
	static const char header[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

	b->f = outfile_open(path, &b->tmp, dl);
	if (b->f == NULL) {
		free(b);
		return NULL;
	}
	b->path = xstrdup(path);
	b->title = xstrdup(title);
	b->creator = xstrdup(creator ? creator : "archaudit");
	b->group_kids = xcalloc(GROUP_SIZE, sizeof *b->group_kids);
	while (b->n_obj < FIRST_FREE)
		new_obj(b);
	b->tagged = true;
	b->st_root = new_obj(b);
	b->st_doc = new_obj(b);
	b->pt_root = new_obj(b);
	b->xmp = new_obj(b);
	put(b, header, sizeof header - 1);
	{
		struct buf body;
		buf_init(&body);
		buf_puts(&body, "null");
		write_obj(b, OBJ_NULL, &body, NULL, 0);
		buf_free(&body);
	}
	return b;
}

int
bundle_add(struct bundle *b, const char *name, const char *pdf, size_t len,
    const char *title, size_t *pages, struct diag_list *dl)
{
	struct pdf_in in;
	struct pdf_obj o;
	struct copy c;
	struct catalog k;
	uint32_t pages_old, outlines, first, node, item;
	int rc = -1;

	*pages = 0;
	if (pdf_in_open(&in, name, pdf, len, dl) != 0)
		return -1;
	if (catalog_parts(&in, &k, dl) != 0 ||
	    (first = first_leaf(&in, (pages_old = k.pages), dl)) == 0) {
		pdf_in_close(&in);
		return -1;
	}
	node = new_obj(b);
	item = new_obj(b);
	flush_pending(b, item);
	if (b->group == 0)
		b->group = new_obj(b);

	/* one renumbering for the pages and the bookmarks that point at them */
	copy_init(&c, b, &in);
	c.pages_root = pages_old;
	c.parent = node;
	b->kids[0] = copy_map(&c, pages_old);
	b->first_page = copy_map(&c, first);
	b->item_first = b->item_last = 0;
	b->item_count = 0;
	join_structure(b, &c, &k, title, dl);
	outlines = k.outlines;
	if (outlines != 0 && pdf_in_get(&in, outlines, &o, dl) == 0) {
		const struct pv *f = pv_get(&o.v, "/First"), *l = pv_get(&o.v, "/Last");
		/* the report's outline root becomes this bookmark: never copied */
		c.map[outlines] = item;
		if (f != NULL && l != NULL && f->kind == PV_REF && l->kind == PV_REF) {
			b->item_first = copy_map(&c, f->num);
			b->item_last = copy_map(&c, l->num);
			if (!pv_int(pv_get(&o.v, "/Count"), &b->item_count))
				b->item_count = 0;
		}
		pdf_obj_free(&o);
	}
	if (copy_run(&c, dl) == 0 && c.leaves > 0) {
		b->pending = true;
		b->node = node;
		b->item = item;
		b->n_kids = 1;
		b->node_pages = c.leaves;
		b->item_title = utf8_strip_invisible(title, false);
		b->n_pages += c.leaves;
		b->n_reports++;
		*pages = c.leaves;
		rc = 0;
	} else if (c.leaves == 0 && dl->n == 0) {
		diag_add(dl, DIAG_ERROR, "bundle.no-page",
		    name, "no page to copy");
	}
	copy_free(&c);
	pdf_in_close(&in);
	return rc;
}

int
bundle_pad(struct bundle *b, const char *name, const char *pdf, size_t len,
    struct diag_list *dl)
{
	struct pdf_in in;
	struct copy c;
	struct catalog k;
	uint32_t first;
	int rc = -1;

	if (!b->pending || b->n_kids != 1) {
		diag_add(dl, DIAG_ERROR, "bundle.no-report-to-pad",
		    name, "no report to pad");
		return -1;
	}
	if (pdf_in_open(&in, name, pdf, len, dl) != 0)
		return -1;
	if (catalog_parts(&in, &k, dl) != 0 || (first = first_leaf(&in, k.pages, dl)) == 0) {
		pdf_in_close(&in);
		return -1;
	}
	copy_init(&c, b, &in);
	c.map[k.pages] = b->node;       /* the filler page hangs from the report's node */
	b->kids[1] = copy_map(&c, first);
	join_structure(b, &c, &k, b->item_title, dl);
	if (copy_run(&c, dl) == 0 && c.leaves == 1) {
		b->n_kids = 2;
		b->node_pages++;
		b->n_pages++;
		rc = 0;
	} else if (dl->n == 0) {
		diag_add(dl, DIAG_ERROR, "bundle.filler-too-long",
		    name, "a filler of more than one page");
	}
	copy_free(&c);
	pdf_in_close(&in);
	return rc;
}

size_t
bundle_pages(const struct bundle *b)
{
	return b->n_pages;
}

size_t
bundle_reports(const struct bundle *b)
{
	return b->n_reports;
}

static void
bundle_free(struct bundle *b)
{
	free(b->path);
	free(b->tmp);
	free(b->title);
	free(b->creator);
	free(b->off);
	free(b->group_kids);
	free(b->groups);
	free(b->group_counts);
	free(b->item_title);
	free(b->parts);
	free(b->pt_leaves);
	free(b->lang);
	free(b->rolemap);
	free(b);
}

void
bundle_abort(struct bundle *b)
{
	if (b == NULL)
		return;
	if (b->f != NULL)
		outfile_abort(b->f, b->tmp);
	bundle_free(b);
}

static void
put_refs(struct buf *out, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%u 0 R", i ? " " : "", v[i]);
}

/* The structure tree's root, Document, ParentTree and the XMP that PDF/UA asks. */
static void
write_structure(struct bundle *b)
{
	struct buf body;
	const char *t;

	buf_init(&body);
	buf_printf(&body, "<</Type/StructElem/S/Document/P %u 0 R/K[", b->st_root);
	put_refs(&body, b->parts, b->n_parts);
	buf_puts(&body, "]>>");
	write_obj(b, b->st_doc, &body, NULL, 0);

	buf_reset(&body);
	buf_puts(&body, "<</Kids[");
	put_refs(&body, b->pt_leaves, b->n_leaves);
	buf_puts(&body, "]>>");
	write_obj(b, b->pt_root, &body, NULL, 0);

	buf_reset(&body);
	buf_printf(&body, "<</Type/StructTreeRoot/K %u 0 R/ParentTree %u 0 R"
	    "/ParentTreeNextKey %lld", b->st_doc, b->pt_root, b->next_key);
	if (b->rolemap != NULL)
		buf_printf(&body, "/RoleMap %s", b->rolemap);
	buf_puts(&body, ">>");
	write_obj(b, b->st_root, &body, NULL, 0);

	buf_reset(&body);
	buf_puts(&body, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
	    "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	for (t = b->title; *t != '\0'; t++) {
		if (*t == '&')
			buf_puts(&body, "&amp;");
		else if (*t == '<')
			buf_puts(&body, "&lt;");
		else if (*t == '>')
			buf_puts(&body, "&gt;");
		else
			buf_putc(&body, *t);
	}
	buf_puts(&body, "</rdf:li></rdf:Alt></dc:title>\n</rdf:Description>\n"
	    "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
	{
		struct buf dict;
		buf_init(&dict);
		buf_printf(&dict, "<</Type/Metadata/Subtype/XML/Length %zu>>", body.len);
		write_obj(b, b->xmp, &dict, body.data, body.len);
		buf_free(&dict);
	}
	buf_free(&body);
}

int
bundle_finish(struct bundle *b, struct diag_list *dl)
{
	struct buf body;
	uint64_t xref;
	char line[32];
	int rc;

	if (b->n_reports == 0) {
		diag_add(dl, DIAG_ERROR, "bundle.no-reports",
		    b->path, "no report to bundle");
		bundle_abort(b);
		return -1;
	}
	flush_pending(b, 0);
	close_group(b);
	write_pages_node(b, OBJ_PAGES, 0, b->n_pages, b->groups, b->n_groups);
	buf_init(&body);
	buf_printf(&body, "<</Type/Outlines/First %u 0 R/Last %u 0 R/Count %zu>>",
	    b->first_item, b->last_item, b->n_items);
	write_obj(b, OBJ_OUTLINES, &body, NULL, 0);

	buf_reset(&body);
	buf_puts(&body, "<</Title");
	put_text_string(&body, b->title);
	buf_puts(&body, "/Creator");
	put_text_string(&body, b->creator);
	buf_puts(&body, "/Producer(archaudit)>>");
	write_obj(b, OBJ_INFO, &body, NULL, 0);

	buf_reset(&body);
	buf_printf(&body, "<</Type/Catalog/Pages %u 0 R/Outlines %u 0 R"
	    "/PageMode/UseOutlines", OBJ_PAGES, OBJ_OUTLINES);
	if (b->tagged && b->n_parts > 0) {
		buf_printf(&body, "/MarkInfo<</Marked true>>/StructTreeRoot %u 0 R"
		    "/ViewerPreferences<</DisplayDocTitle true>>/Metadata %u 0 R/Lang%s",
		    b->st_root, b->xmp, b->lang ? b->lang : "(en)");
		write_structure(b);
	}
	buf_puts(&body, ">>");
	write_obj(b, OBJ_CATALOG, &body, NULL, 0);
	buf_free(&body);

	xref = b->pos;
	snprintf(line, sizeof line, "xref\n0 %u\n", b->n_obj);
	put(b, line, strlen(line));
	put(b, "0000000000 65535 f\r\n", 20);
	for (uint32_t k = 1; k < b->n_obj; k++) {
		if (b->off[k] == 0 || b->off[k] > MAX_OFFSET)
			snprintf(line, sizeof line, "0000000000 00000 f\r\n");
		else
			snprintf(line, sizeof line, "%010llu 00000 n\r\n",
			    (unsigned long long)b->off[k]);
		put(b, line, 20);
	}
	buf_init(&body);
	buf_printf(&body, "trailer\n<</Size %u/Root %u 0 R/Info %u 0 R>>\nstartxref\n%llu\n"
	    "%%%%EOF\n", b->n_obj, OBJ_CATALOG, OBJ_INFO, (unsigned long long)xref);
	put(b, body.data, body.len);
	buf_free(&body);
	if (b->pos > MAX_OFFSET) {
		diag_add(dl, DIAG_ERROR, "bundle.too-large",
		    b->path, "the bundle would pass 10 GB, the most "
		    "a PDF cross-reference table can address; make one bundle per "
		    "section or per shard (--shard K/N)");
		bundle_abort(b);
		return -1;
	}
	if (b->io_failed) {
		diag_add(dl, DIAG_ERROR, "bundle.cannot-write",
		    b->path, "cannot write: %s", strerror(b->io_errno));
		bundle_abort(b);
		return -1;
	}
	rc = outfile_commit(b->f, b->tmp, b->path, dl);
	b->f = NULL;
	bundle_free(b);
	return rc;
}
