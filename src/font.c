/*
 * font: reads the few TrueType tables layout needs (head, hhea, hmtx,
 * maxp, OS/2, post, cmap 4/12) and resolves characters to faces through a
 * fallback chain.  Input: font files.  Output: struct font_set, read-only
 * after font_set_new; each font keeps its file bytes and table offsets
 * for font_subset.c.  Includes util.h, drawing.h and the C library.
 */
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DIR "/usr/share/fonts/truetype/dejavu"

static const char *const style_files[FONT_N_STYLES] = {
	"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf",
};

/*
 * Optional fallback faces, used when present, NULL-terminated.  Droid Sans
 * Fallback (CJK) was tried and dropped when libharu 2.3.0 embedded the
 * fonts: it lost components of composite glyphs (U+674E drew only its
 * lower half).  font_subset.c keeps components, so it could come back;
 * until then a visible replacement mark with a warning is drawn.
 */
static const char *const fallback_files[] = {
	NULL,
};

struct sfnt {
	const unsigned char *p; /* whole file */
	size_t len;             /* bytes */
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
	unsigned n = u16(s, 4), i;

	for (i = 0; i < n; i++) {
		size_t rec = 12 + 16 * (size_t)i;
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
			if (g < f->n_glyphs && f->cmap[c] == 0)
				f->cmap[c] = (uint16_t)g;
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
		for (c = st; c <= e && c <= 0xFFFF; c++, gid++)
			if (gid < f->n_glyphs && f->cmap[c] == 0)
				f->cmap[c] = (uint16_t)gid;
	}
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
	size_t post, len, i;

	for (i = 0; i < FONT_N_TABS; i++) {
		f->tab_len[i] = 0;
		f->tab_off[i] = find_table(s, tags[i], &f->tab_len[i]);
		if (f->tab_off[i] == 0)
			f->tab_len[i] = 0;
	}
	f->loca_long = s16(s, f->tab_off[FONT_TAB_HEAD] + 50) == 1;
	if (f->tab_off[FONT_TAB_LOCA] == 0 || f->tab_off[FONT_TAB_GLYF] == 0 ||
	    f->tab_len[FONT_TAB_HEAD] < 54 || f->tab_len[FONT_TAB_HHEA] < 36 ||
	    f->tab_len[FONT_TAB_MAXP] < 6 ||
	    f->tab_len[FONT_TAB_LOCA] < ((size_t)f->n_glyphs + 1) * (f->loca_long ? 4 : 2))
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

bool
font_load(struct font *f, const char *path, struct diag_list *dl)
{
	struct sfnt s = {NULL, 0};
	unsigned char *data = NULL;
	size_t head, hhea, hmtx, maxp, os2, hl, len, cap = 0;
	unsigned n_hmetrics, g, last = 0;
	bool ok = false;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_add(dl, DIAG_ERROR, path, "cannot open font (install fonts-dejavu-core "
		    "and fonts-dejavu-extra)");
		return false;
	}
	for (;;) {
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
	head = find_table(&s, "head", &hl);
	hhea = find_table(&s, "hhea", &hl);
	maxp = find_table(&s, "maxp", &hl);
	hmtx = find_table(&s, "hmtx", &len);
	os2 = find_table(&s, "OS/2", &hl);
	if (s.len < 12 || head == 0 || hhea == 0 || maxp == 0 || hmtx == 0) {
		diag_add(dl, DIAG_ERROR, path, "not a TrueType font (missing head, hhea, maxp "
		    "or hmtx table)");
		goto out;
	}
	f->n_glyphs = u16(&s, maxp + 4);
	if (!find_subset_tables(f, &s)) {
		diag_add(dl, DIAG_ERROR, path, "not a TrueType font with outlines (bad loca or "
		    "glyf table)");
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
		diag_add(dl, DIAG_ERROR, path, "bad hhea/hmtx tables");
		goto out;
	}
	f->advance = xcalloc(f->n_glyphs, sizeof(*f->advance));
	for (g = 0; g < f->n_glyphs; g++) {
		if (g < n_hmetrics)
			last = u16(&s, hmtx + 4 * (size_t)g);
		/* The PDF device writes these same values into /W. */
		f->advance[g] = (uint16_t)((unsigned long)last * 1000 / f->units_per_em);
	}
	f->cap_height = 0.7;
	f->x_height = 0.5;
	if (os2 != 0 && u16(&s, os2) >= 2) {
		f->x_height = s16(&s, os2 + 86) / em;
		f->cap_height = s16(&s, os2 + 88) / em;
	}
	f->cmap = xcalloc(65536, sizeof(*f->cmap));
	if (!read_cmap(f, &s)) {
		diag_add(dl, DIAG_ERROR, path, "no Unicode cmap (format 4 or 12)");
		goto out;
	}
	f->path = xstrdup(path);
	f->name = base_name(path);
	f->data = xrealloc(data, s.len ? s.len : 1);
	f->data_len = s.len;
	data = NULL;
	ok = true;
out:
	free(data);
	if (!ok)
		font_clear(f);
	return ok;
}

void
font_clear(struct font *f)
{
	free(f->path);
	free(f->name);
	free(f->cmap);
	free(f->advance);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

bool
font_covers(const struct font *f, uint32_t cp)
{
	/* Control characters are never drawn; space is covered by every face. */
	/* Private-use code points mean nothing portable: never "covered". */
	if (cp >= 0xE000 && cp <= 0xF8FF)
		return false;
	return cp <= 0xFFFF && cp >= 0x20 && f->cmap[cp] != 0;
}

unsigned
font_advance(const struct font *f, uint32_t cp)
{
	return font_covers(f, cp) ? f->advance[f->cmap[cp]] : 0;
}

struct font_set *
font_set_new(const char *dir, struct diag_list *dl)
{
	struct font_set *fs = xcalloc(1, sizeof(*fs));
	size_t nfb = 0, i;
	FILE *probe;

	while (fallback_files[nfb] != NULL)
		nfb++;
	if (dir == NULL)
		dir = getenv("ARCHAUDIT_FONT_DIR");
	if (dir == NULL || *dir == '\0')
		dir = DEFAULT_DIR;
	fs->faces = xcalloc(FONT_N_STYLES + nfb, sizeof(*fs->faces));
	for (i = 0; i < FONT_N_STYLES; i++) {
		char *path = xasprintf("%s/%s", dir, style_files[i]);
		bool ok = font_load(&fs->faces[i], path, dl);
		free(path);
		if (!ok) {
			fs->n_faces = i;
			font_set_free(fs);
			return NULL;
		}
		fs->style_face[i] = (int)i;
	}
	fs->n_faces = FONT_N_STYLES;
	for (i = 0; i < nfb; i++) {
		if ((probe = fopen(fallback_files[i], "rb")) == NULL)
			continue;
		fclose(probe);
		if (font_load(&fs->faces[fs->n_faces], fallback_files[i], dl))
			fs->n_faces++;
	}
	fs->replacement = font_covers(&fs->faces[FONT_REGULAR], 0xFFFD) ? 0xFFFD : '?';
	return fs;
}

void
font_set_free(struct font_set *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n_faces; i++)
		font_clear(&fs->faces[i]);
	free(fs->faces);
	free(fs);
}

int
font_set_pick(const struct font_set *fs, enum font_style style, uint32_t cp)
{
	int first = fs->style_face[style];
	size_t i;

	if (font_covers(&fs->faces[first], cp))
		return first;
	/* Bold, italic and mono fall back to the regular face first. */
	if (font_covers(&fs->faces[fs->style_face[FONT_REGULAR]], cp))
		return fs->style_face[FONT_REGULAR];
	for (i = 0; i < fs->n_faces; i++)
		if (font_covers(&fs->faces[i], cp))
			return (int)i;
	return -1;
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

double
font_set_width(const struct font_set *fs, enum font_style style, const char *utf8, double size)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	unsigned long total = 0;

	while (s < end) {
		uint32_t cp = font_utf8_next(&s, end);
		int face = font_set_pick(fs, style, cp);
		if (face < 0)
			total += font_advance(&fs->faces[fs->style_face[FONT_REGULAR]], fs->replacement);
		else
			total += font_advance(&fs->faces[face], cp);
	}
	return (double)total * size / 1000.0;
}

static double
measurer_width(void *ctx, const char *utf8, double size, enum draw_font font)
{
	enum font_style st = font == DRAW_FONT_BOLD ? FONT_BOLD
	    : font == DRAW_FONT_ITALIC              ? FONT_ITALIC
						    : FONT_REGULAR;
	return font_set_width(ctx, st, utf8, size);
}

struct text_measurer
font_set_measurer(const struct font_set *fs)
{
	struct text_measurer m;
	const struct font *r = &fs->faces[fs->style_face[FONT_REGULAR]];

	m.width = measurer_width;
	m.ascent = r->ascent;
	m.descent = r->descent;
	/* The measurer interface takes a mutable context; we never write it. */
	m.ctx = (void *)(uintptr_t)fs;
	return m;
}
