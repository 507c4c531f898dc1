/*
 * font: reads the few OpenType tables layout needs (head, hhea, hmtx,
 * maxp, OS/2, post, cmap 4/12) of one face of a font file or .ttc
 * collection, with glyf or CFF outlines, and opens the same bytes in
 * HarfBuzz.  Input: font files.  Output: struct font; each keeps its file
 * bytes and table offsets for font_subset.c and the PDF device.  The font
 * set (fallback chain) is fontset.c; UTF-8 helpers are here.
 */
#include "layout/font.h"

#include <fcntl.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct sfnt {
	const unsigned char *p; /* whole file */
	size_t len;             /* bytes */
	size_t dir;             /* offset of the face's table directory */
};

static unsigned
u16(const struct sfnt *s, size_t off)
{
	if (off + 2 > s->len)
		return 0;
	return (unsigned)s->p[off] << 8 | s->p[off + 1];
}

static int
s16(const struct sfnt *s, size_t off)
{
	unsigned v = u16(s, off);
	return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t
u32(const struct sfnt *s, size_t off)
{
	if (off + 4 > s->len)
		return 0;
	return (uint32_t)s->p[off] << 24 | (uint32_t)s->p[off + 1] << 16 |
	    (uint32_t)s->p[off + 2] << 8 | s->p[off + 3];
}

/* Offset of table tag, 0 if absent or out of bounds; *len its length. */
static size_t
find_table(const struct sfnt *s, const char *tag, size_t *len)
{
	unsigned n = u16(s, s->dir + 4), i;

	for (i = 0; i < n; i++) {
		size_t rec = s->dir + 12 + 16 * (size_t)i;
		if (rec + 16 > s->len)
			return 0;
		if (memcmp(s->p + rec, tag, 4) == 0) {
			size_t off = u32(s, rec + 8), l = u32(s, rec + 12);
			if (off == 0 || off > s->len || l > s->len - off)
				return 0;
			*len = l;
			return off;
		}
	}
	return 0;
}

/* An INDEX of a CFF table: object i is [base + offset(i), base + offset(i + 1)). */
struct cff_index {
	unsigned count;         /* objects */
	unsigned size;          /* bytes an offset */
	size_t offs;            /* where the count + 1 offsets start */
	size_t base;            /* the byte before the first object */
	size_t end;             /* the byte after the last object */
};

static size_t
cff_offset(const struct sfnt *t, const struct cff_index *x, unsigned i)
{
	size_t v = 0;

	for (unsigned k = 0; k < x->size; k++)
		v = v << 8 | t->p[x->offs + (size_t)i * x->size + k];
	return v;
}

/* The INDEX at off of the CFF table t; false when it does not fit. */
static bool
cff_index_at(const struct sfnt *t, size_t off, struct cff_index *x)
{
	if (off > t->len || t->len - off < 2)
		return false;
	x->count = u16(t, off);
	if (x->count == 0) {
		x->size = 0;
		x->offs = x->base = x->end = off + 2;
		return true;
	}
	if (t->len - off < 3)
		return false;
	x->size = t->p[off + 2];
	x->offs = off + 3;
	if (x->size < 1 || x->size > 4 ||
	    ((size_t)x->count + 1) * x->size > t->len - x->offs)
		return false;
	x->base = x->offs + ((size_t)x->count + 1) * x->size - 1;
	x->end = cff_offset(t, x, x->count);
	if (cff_offset(t, x, 0) != 1 || x->end > t->len - x->base)
		return false;
	x->end += x->base;
	return true;
}

/* The operand of the CharStrings operator (17) in the DICT t[lo, hi), 0 if none. */
static size_t
cff_dict_charstrings(const struct sfnt *t, size_t lo, size_t hi)
{
	const unsigned char *p = t->p;
	long v = 0;

	for (size_t i = lo; i < hi; ) {
		unsigned b = p[i];
		if (b == 17)
			return v > 0 ? (size_t)v : 0;
		if (b <= 21) {
			i += b == 12 ? 2 : 1;   /* 12: a two-byte operator */
			v = 0;                  /* an operator takes its operands */
		} else if (b == 28 && hi - i >= 3) {
			v = (int16_t)(p[i + 1] << 8 | p[i + 2]);
			i += 3;
		} else if (b == 29 && hi - i >= 5) {
			v = (int32_t)((uint32_t)p[i + 1] << 24 | (uint32_t)p[i + 2] << 16 |
			    (uint32_t)p[i + 3] << 8 | p[i + 4]);
			i += 5;
		} else if (b == 30) {   /* a real: nibbles up to an 0xF */
			for (i++; i < hi && (p[i] & 0x0F) != 0x0F && p[i] >> 4 != 0x0F; i++)
				;
			i++;
			v = 0;
		} else if (b >= 32 && b <= 246) {
			v = (long)b - 139;
			i++;
		} else if (b >= 247 && b <= 250 && hi - i >= 2) {
			v = ((long)b - 247) * 256 + p[i + 1] + 108;
			i += 2;
		} else if (b >= 251 && b <= 254 && hi - i >= 2) {
			v = -((long)b - 251) * 256 - p[i + 1] - 108;
			i += 2;
		} else {
			return 0;
		}
	}
	return 0;
}

/*
 * Where the glyph programs of the CFF table at off (len bytes) of s are:
 * the data of its CharStrings INDEX, found through the header, the Name
 * INDEX and the Top DICT (CFF spec, Adobe TN 5176).  Left 0, 0 when the
 * table is not as the spec says: then nothing is let go of.
 */
static void
cff_charstrings(struct font *f, const struct sfnt *s, size_t off, size_t len)
{
	struct sfnt t = { s->p + off, len, 0 };
	struct cff_index names, top, cs;
	size_t at;

	f->outline_off = f->outline_len = 0;
	if (len < 4 || !cff_index_at(&t, t.p[2], &names) ||
	    !cff_index_at(&t, names.end, &top) || top.count < 1)
		return;
	at = cff_dict_charstrings(&t, top.base + cff_offset(&t, &top, 0),
	    top.base + cff_offset(&t, &top, 1) < top.end
	    ? top.base + cff_offset(&t, &top, 1) : top.end);
	if (at == 0 || !cff_index_at(&t, at, &cs) || cs.count == 0)
		return;
	f->outline_off = off + cs.base + 1;
	f->outline_len = cs.end - cs.base - 1;
}

/* Maps BMP code point c to glyph g unless c is mapped already. */
static void
cmap_set(struct font *f, uint32_t c, unsigned g)
{
	uint16_t **page = &f->cmap[c >> 8];

	if (*page == NULL)
		*page = xcalloc(256, sizeof(**page));
	if ((*page)[c & 0xFF] == 0)
		(*page)[c & 0xFF] = (uint16_t)g;
}

static void
cmap_format4(struct font *f, const struct sfnt *s, size_t sub, size_t end)
{
	unsigned segx2 = u16(s, sub + 6), i;
	size_t ends = sub + 14, starts = ends + segx2 + 2, deltas = starts + segx2,
	       ranges = deltas + segx2;

	if (ranges + segx2 > end)
		return;
	for (i = 0; i < segx2 / 2; i++) {
		unsigned e = u16(s, ends + 2 * i), st = u16(s, starts + 2 * i);
		unsigned delta = u16(s, deltas + 2 * i), ro = u16(s, ranges + 2 * i);
		uint32_t c;

		for (c = st; c <= e && c <= 0xFFFF; c++) {
			unsigned g;
			if (ro == 0) {
				g = (c + delta) & 0xFFFF;
			} else {
				size_t at = ranges + 2 * i + ro + 2 * (c - st);
				g = at + 2 <= end ? u16(s, at) : 0;
				if (g != 0)
					g = (g + delta) & 0xFFFF;
			}
			if (g != 0 && g < f->n_glyphs)
				cmap_set(f, c, g);
		}
	}
}

static void
cmap_format12(struct font *f, const struct sfnt *s, size_t sub, size_t end)
{
	uint32_t n = u32(s, sub + 12), i;

	for (i = 0; i < n; i++) {
		size_t g = sub + 16 + 12 * (size_t)i;
		uint32_t st, e, gid, c;
		if (g + 12 > end)
			return;
		st = u32(s, g);
		e = u32(s, g + 4);
		gid = u32(s, g + 8);
		if (st > e || e > 0x10FFFF)
			continue;
		for (c = st; c <= e && c <= 0xFFFF; c++, gid++)
			if (gid != 0 && gid < f->n_glyphs)
				cmap_set(f, c, gid);
		/* Supplementary planes (CJK Extension B names such as 𠮷): kept as groups. */
		if (e > 0xFFFF && gid < f->n_glyphs) {
			uint32_t first = st > 0xFFFF ? st : 0x10000;
			uint32_t last = e - first < f->n_glyphs - gid ? e : first + (f->n_glyphs - gid) - 1;
			if (f->n_astral > 0 && first <= f->astral[f->n_astral - 1][1])
				continue;  /* groups must ascend; an overlap is ignored */
			f->astral = xreallocarray(f->astral, f->n_astral + 1, sizeof(*f->astral));
			f->astral[f->n_astral][0] = first;
			f->astral[f->n_astral][1] = last;
			f->astral[f->n_astral][2] = gid;
			f->n_astral++;
		}
	}
}

/* The glyph of cp, 0 = none. */
unsigned
font_glyph(const struct font *f, uint32_t cp)
{
	size_t lo = 0, hi = f->n_astral;

	if (cp <= 0xFFFF)
		return f->cmap[cp >> 8] != NULL ? f->cmap[cp >> 8][cp & 0xFF] : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < f->astral[mid][0])
			hi = mid;
		else if (cp > f->astral[mid][1])
			lo = mid + 1;
		else
			return f->astral[mid][2] + (cp - f->astral[mid][0]);
	}
	return 0;
}

static bool
read_cmap(struct font *f, const struct sfnt *s)
{
	size_t len, off = find_table(s, "cmap", &len), best4 = 0, best12 = 0;
	unsigned n, i;

	if (off == 0)
		return false;
	n = u16(s, off + 2);
	for (i = 0; i < n; i++) {
		size_t rec = off + 4 + 8 * (size_t)i;
		unsigned plat = u16(s, rec), enc = u16(s, rec + 2);
		size_t sub = off + u32(s, rec + 4);
		unsigned fmt;
		if (sub + 8 > off + len)
			continue;
		fmt = u16(s, sub);
		bool unicode = plat == 0 || (plat == 3 && (enc == 1 || enc == 10));
		if (!unicode)
			continue;
		if (fmt == 4 && best4 == 0)
			best4 = sub;
		if (fmt == 12 && best12 == 0)
			best12 = sub;
	}
	if (best12 != 0)
		cmap_format12(f, s, best12, off + len);
	if (best4 != 0)
		cmap_format4(f, s, best4, off + len);
	return best4 != 0 || best12 != 0;
}

static char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	return xstrndup(b, dot ? (size_t)(dot - b) : strlen(b));
}

/* Where the tables font_subset copies are; loca and glyf must agree. */
static bool
find_subset_tables(struct font *f, const struct sfnt *s)
{
	static const char tags[FONT_N_TABS][5] = {
		"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cvt ", "fpgm", "prep",
	};
	size_t post, cff, len, i;

	for (i = 0; i < FONT_N_TABS; i++) {
		f->tab_len[i] = 0;
		f->tab_off[i] = find_table(s, tags[i], &f->tab_len[i]);
		if (f->tab_off[i] == 0)
			f->tab_len[i] = 0;
	}
	f->loca_long = s16(s, f->tab_off[FONT_TAB_HEAD] + 50) == 1;
	cff = find_table(s, "CFF ", &len);
	f->cff = f->tab_off[FONT_TAB_GLYF] == 0 && cff != 0;
	if (f->cff)
		cff_charstrings(f, s, cff, len);
	if (f->tab_len[FONT_TAB_HEAD] < 54 || f->tab_len[FONT_TAB_HHEA] < 36 ||
	    f->tab_len[FONT_TAB_MAXP] < 6)
		return false;
	if (!f->cff && (f->tab_off[FONT_TAB_LOCA] == 0 || f->tab_off[FONT_TAB_GLYF] == 0 ||
	    f->tab_len[FONT_TAB_LOCA] < ((size_t)f->n_glyphs + 1) * (f->loca_long ? 4 : 2)))
		return false;
	for (i = 0; i < 4; i++)
		f->bbox[i] = s16(s, f->tab_off[FONT_TAB_HEAD] + 36 + 2 * i);
	post = find_table(s, "post", &len);
	if (post != 0 && len >= 16) {
		f->italic_angle = (double)(int32_t)u32(s, post + 4) / 65536.0;
		f->fixed_pitch = u32(s, post + 12) != 0;
	}
	return true;
}

/* The tables of a CFF face that its CFF subset needs (font_load). */
static hb_blob_t *
subset_table(hb_face_t *self, hb_tag_t tag, void *face)
{
	(void)self;
	if (tag == HB_TAG('C', 'F', 'F', ' ') || tag == HB_TAG('h', 'e', 'a', 'd') ||
	    tag == HB_TAG('h', 'h', 'e', 'a') || tag == HB_TAG('h', 'm', 't', 'x') ||
	    tag == HB_TAG('m', 'a', 'x', 'p'))
		return hb_face_reference_table(face, tag);
	return NULL;
}

bool
font_load(struct font *f, const char *path, unsigned index, struct diag_list *dl)
{
	struct sfnt s = {NULL, 0, 0};
	unsigned char *data = NULL;
	size_t head, hhea, hmtx, maxp, os2, hl, len, cap = 0;
	unsigned n_hmetrics;
	bool ok = false;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_add(dl, DIAG_ERROR, "font.cannot-open",
		    path, "cannot open font (install fonts-noto-core, "
		    "fonts-noto-mono and fonts-noto-cjk: make deps)");
		return false;
	}
	/*
	 * Mapped, not read: a CJK collection is 20-26 MB of which a report
	 * touches a few pages, and the workers share the page cache's copy.
	 * (Debian replaces a font file by renaming a new one over it, which
	 * leaves this mapping whole.)  A file that cannot be mapped is read.
	 */
	{
		struct stat st;
		void *m;
		if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
		    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(fp), 0))
		    != MAP_FAILED) {
			f->map_len = (size_t)st.st_size;
			data = m;
			s.len = f->map_len;
		}
	}
	while (f->map_len == 0) {
		if (s.len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			data = xrealloc(data, cap);
		}
		size_t got = fread(data + s.len, 1, cap - s.len, fp);
		s.len += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	s.p = data;
	if (s.len >= 12 && memcmp(data, "ttcf", 4) == 0) {
		if (index >= u32(&s, 8)) {
			diag_add(dl, DIAG_ERROR, "font.no-face",
			    path, "no face %u in this font collection", index);
			goto out;
		}
		s.dir = u32(&s, 12 + 4 * (size_t)index);
		if (s.dir > s.len - 12) {
			diag_add(dl, DIAG_ERROR, "font.bad-collection",
			    path, "bad font collection header");
			goto out;
		}
	}
	head = find_table(&s, "head", &hl);
	hhea = find_table(&s, "hhea", &hl);
	maxp = find_table(&s, "maxp", &hl);
	hmtx = find_table(&s, "hmtx", &len);
	os2 = find_table(&s, "OS/2", &hl);
	if (s.len < 12 || head == 0 || hhea == 0 || maxp == 0 || hmtx == 0) {
		diag_add(dl, DIAG_ERROR, "font.missing-tables",
		    path, "not an OpenType font (missing head, hhea, maxp "
		    "or hmtx table)");
		goto out;
	}
	f->n_glyphs = u16(&s, maxp + 4);
	if (!find_subset_tables(f, &s)) {
		diag_add(dl, DIAG_ERROR, "font.no-outlines",
		    path, "not an OpenType font with outlines (bad head, "
		    "loca, glyf or CFF table)");
		goto out;
	}
	f->units_per_em = u16(&s, head + 18);
	if (f->units_per_em < 16)
		f->units_per_em = 1000;
	double em = f->units_per_em;
	f->ascent = s16(&s, hhea + 4) / em;
	f->descent = -s16(&s, hhea + 6) / em;
	f->line_gap = s16(&s, hhea + 8) / em;
	n_hmetrics = u16(&s, hhea + 34);
	f->n_hmetrics = n_hmetrics;
	if (n_hmetrics == 0 || n_hmetrics > f->n_glyphs || hmtx + 4 * (size_t)n_hmetrics > s.len) {
		diag_add(dl, DIAG_ERROR, "font.bad-metrics",
		    path, "bad hhea/hmtx tables");
		goto out;
	}
	f->cap_height = 0.7;
	f->x_height = 0.5;
	if (os2 != 0 && u16(&s, os2) >= 2) {
		f->x_height = s16(&s, os2 + 86) / em;
		f->cap_height = s16(&s, os2 + 88) / em;
	}
	if (!read_cmap(f, &s)) {
		diag_add(dl, DIAG_ERROR, "font.no-cmap",
		    path, "no Unicode cmap (format 4 or 12)");
		goto out;
	}
	f->path = xstrdup(path);
	f->name = base_name(path);
	f->index = index;
	f->data = f->map_len ? data : xrealloc(data, s.len ? s.len : 1);
	f->data_len = s.len;
	data = NULL;
	{
		hb_blob_t *blob = hb_blob_create((const char *)f->data, (unsigned)f->data_len,
		    HB_MEMORY_MODE_READONLY, NULL, NULL);
		hb_face_t *hf = hb_face_create(blob, index);
		hb_font_t *hfont = hb_font_create(hf);
		hb_font_make_immutable(hfont);
		hb_face_destroy(hf);
		hb_blob_destroy(blob);
		f->hb = hfont;
	}
	if (f->cff) {
		/*
		 * What hb-subset cuts a CFF subset from: the face with only the
		 * tables the CFF table needs.  Given the whole face, each subset
		 * walked its cmap (over 40,000 entries in Noto CJK) and closed the
		 * glyph set over GSUB and the variation sequences, about 40 M
		 * instructions per document for glyphs the report never draws.
		 */
		hb_face_t *face = hb_face_reference(hb_font_get_face(f->hb));
		f->hb_subset = hb_face_create_for_tables(subset_table, face,
		    (hb_destroy_func_t)hb_face_destroy);
		hb_face_make_immutable(f->hb_subset);
	}
	f->state = 1;
	ok = true;
out:
	if (data != NULL && f->map_len != 0) {
		munmap(data, f->map_len);
		f->map_len = 0;
	} else {
		free(data);
	}
	if (!ok)
		font_clear(f);
	return ok;
}

void
font_clear(struct font *f)
{
	if (f->hb_subset != NULL)
		hb_face_destroy(f->hb_subset);
	if (f->hb != NULL)
		hb_font_destroy(f->hb);
	free(f->path);
	free(f->name);
	for (size_t i = 0; i < 256; i++)
		free(f->cmap[i]);
	free(f->astral);
	if (f->map_len != 0)
		munmap(f->data, f->map_len);
	else
		free(f->data);
	memset(f, 0, sizeof(*f));
}

void
font_drop_pages(const struct font *f)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo, hi;

	if (f->map_len == 0 || f->outline_len == 0)
		return;
	/*
	 * The whole pages inside the range.  The mapping is read-only and
	 * private, never written: what is read again comes from the file.
	 */
	lo = ((uintptr_t)f->data + f->outline_off + page - 1) & ~(page - 1);
	hi = ((uintptr_t)f->data + f->outline_off + f->outline_len) & ~(page - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void
font_subset_cut(const struct font *f)
{
	/* a counter in the set's own memory, as font_set_ready fills a slot */
	struct font *w = (struct font *)f;

	if (f->outline_len != 0 && ++w->subsets_cut >= FONT_DROP_EVERY) {
		w->subsets_cut = 0;
		font_drop_pages(f);
	}
}

bool
font_covers(const struct font *f, uint32_t cp)
{
	/* Control characters are never drawn; space is covered by every face. */
	/* Private-use code points mean nothing portable: never "covered". */
	if (cp >= 0xE000 && cp <= 0xF8FF)
		return false;
	/* Nor are noncharacters and the planes' private use (15, 16). */
	if (cp > 0x10FFFF || cp >= 0xF0000 || (cp & 0xFFFE) == 0xFFFE)
		return false;
	return cp >= 0x20 && font_glyph(f, cp) != 0;
}

unsigned
font_advance(const struct font *f, uint32_t cp)
{
	const unsigned char *hmtx = f->data + f->tab_off[FONT_TAB_HMTX];
	unsigned g;

	if (!font_covers(f, cp))
		return 0;
	/* hmtx: a metric per glyph below n_hmetrics, the last one's advance after */
	g = font_glyph(f, cp);
	hmtx += 4 * (size_t)(g < f->n_hmetrics ? g : f->n_hmetrics - 1);
	return (unsigned)(((unsigned long)hmtx[0] << 8 | hmtx[1]) * 1000 / f->units_per_em);
}

uint32_t
font_utf8_next(const char **sp, const char *end)
{
	const unsigned char *s = (const unsigned char *)*sp;
	size_t n;
	int32_t cp;

	if (s[0] < 0x80) {              /* most text: no call */
		*sp += 1;
		return s[0];
	}
	cp = utf8_decode(s, (size_t)(end - *sp), &n);
	*sp += n;
	return cp < 0 ? 0xFFFD : (uint32_t)cp;
}

void
font_utf8_put(struct buf *b, uint32_t cp)
{
	char o[4];

	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, o, 2);
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, o, 3);
	} else {
		o[0] = (char)(0xF0 | cp >> 18);
		o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, o, 4);
	}
}

