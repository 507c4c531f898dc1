/*
 * font_subset: cuts a TrueType font program down to the glyphs one
 * document draws, for embedding as a CIDFontType2 font program
 * (FontFile2).  Input: a loaded struct font (its file bytes and table
 * offsets, from font.c) and the glyph ids to keep, in the order to keep
 * them.  Output: a complete, checksummed TrueType file in a
 * struct buf.  Includes font.h, util.h and the C library only.
 *
 * The subset keeps glyph i = gids[i] (the device passes the set of
 * glyphs a document drew, in glyph id order, and maps its codes to them
 * with a CIDToGIDMap, so the same set gives the same bytes); components
 * of composite glyphs (accented letters are mostly composites in DejaVu)
 * are appended after them and the references inside the composites
 * renumbered.  Tables: head, hhea,
 * maxp, hmtx (one full metric per glyph), loca (always long), glyf with
 * the hinting instructions taken out (no cvt, fpgm or prep: the Noto
 * faces' instructions were over half of their subsets' bytes, and PDF
 * readers scale outlines unhinted anyway); a minimal cmap (no mappings)
 * because some readers insist on one.  No name, post or OS/2: a PDF reader takes those from the font
 * dictionaries.
 */
#include "layout/font.h"

#include <stdlib.h>
#include <string.h>

/* Composite glyph flags (OpenType glyf table). */
#define ARG_1_AND_2_ARE_WORDS 0x0001
#define WE_HAVE_A_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO 0x0080
#define WE_HAVE_INSTRUCTIONS 0x0100

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
wr16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static const unsigned char *
table(const struct font *f, enum font_table t)
{
	return f->tab_len[t] ? f->data + f->tab_off[t] : NULL;
}

/* Byte range of glyph g in glyf; false (empty glyph) if out of bounds. */
static bool
glyph_range(const struct font *f, unsigned g, size_t *off, size_t *len)
{
	const unsigned char *loca = table(f, FONT_TAB_LOCA);
	size_t a, b;

	if (g >= f->n_glyphs)
		return false;
	if (f->loca_long) {
		a = rd32(loca + 4 * (size_t)g);
		b = rd32(loca + 4 * (size_t)g + 4);
	} else {
		a = 2 * (size_t)rd16(loca + 2 * (size_t)g);
		b = 2 * (size_t)rd16(loca + 2 * (size_t)g + 2);
	}
	if (b <= a || b > f->tab_len[FONT_TAB_GLYF] || b - a < 10)
		return false;
	*off = a;
	*len = b - a;
	return true;
}

/*
 * Calls visit with the offset of each component's glyph id field in
 * composite glyph p (len bytes); stops at the first malformed record.
 */
static void
each_component(const unsigned char *p, size_t len, void (*visit)(void *, size_t), void *ctx)
{
	size_t at = 10;
	unsigned flags;

	if ((int16_t)rd16(p) >= 0)
		return; /* a simple glyph */
	do {
		size_t rec;
		if (at + 4 > len)
			return;
		flags = rd16(p + at);
		rec = 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			rec += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			rec += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			rec += 8;
		if (at + rec > len)
			return;
		visit(ctx, at + 2);
		at += rec;
	} while (flags & MORE_COMPONENTS);
}

struct plan {
	const struct font *f;
	uint16_t *old;       /* owned; old glyph id of each new one */
	size_t n, cap;
	uint16_t *new_of;    /* owned; f->n_glyphs entries, new id + 1, 0 = none */
	const unsigned char *glyph; /* the composite being read */
	unsigned char *copy;  /* the composite being renumbered, in the output */
};

static unsigned
plan_add(struct plan *pl, unsigned old)
{
	if (old < pl->f->n_glyphs && pl->new_of[old] != 0)
		return pl->new_of[old] - 1u;
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 64;
		pl->old = xreallocarray(pl->old, pl->cap, sizeof(*pl->old));
	}
	pl->old[pl->n] = (uint16_t)old;
	if (old < pl->f->n_glyphs)
		pl->new_of[old] = (uint16_t)(pl->n + 1);
	return (unsigned)pl->n++;
}

static void
add_component(void *ctx, size_t field)
{
	struct plan *pl = ctx;
	if (pl->n < 0xFFFF)
		plan_add(pl, rd16(pl->glyph + field));
}

static void
renumber_component(void *ctx, size_t field)
{
	const struct plan *pl = ctx;
	unsigned old = rd16(pl->copy + field);
	wr16(pl->copy + field, old < pl->f->n_glyphs && pl->new_of[old] ? pl->new_of[old] - 1u : 0);
}

static uint32_t
checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		sum += rd32(p + i);
	if (i < len) {
		unsigned char last[4] = {0, 0, 0, 0};
		memcpy(last, p + i, len - i);
		sum += rd32(last);
	}
	return sum;
}

/* Appends n zero bytes to b and returns where they start. */
static unsigned char *
reserve(struct buf *b, size_t n)
{
	size_t at = b->len;
	buf_grow(b, n);
	memset(b->data + at, 0, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (unsigned char *)b->data + at;
}

/*
 * Appends glyph p (len bytes) without its hinting instructions (the
 * subset carries no fpgm, prep or cvt: PDF readers scale outlines
 * themselves, and the instructions were most of the bytes); returns the
 * bytes written.  A glyph whose structure does not add up is copied whole.
 */
static size_t
copy_glyph(struct buf *out, const unsigned char *p, size_t len)
{
	int nc = (int16_t)rd16(p);
	size_t at = out->len;

	if (nc >= 0) {
		size_t ins = 10 + 2 * (size_t)nc, il;
		if (ins + 2 > len || ins + 2 + (il = rd16(p + ins)) > len) {
			buf_put(out, p, len);
			return len;
		}
		buf_put(out, p, ins);
		buf_put(out, "\0\0", 2);
		buf_put(out, p + ins + 2 + il, len - ins - 2 - il);
	} else {
		size_t pos = 10, last = 0;
		unsigned flags;
		do {
			size_t rec;
			if (pos + 4 > len) {
				buf_put(out, p, len);
				return len;
			}
			flags = rd16(p + pos);
			rec = 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
			if (flags & WE_HAVE_A_SCALE)
				rec += 2;
			else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
				rec += 4;
			else if (flags & WE_HAVE_A_TWO_BY_TWO)
				rec += 8;
			last = pos;
			pos += rec;
		} while ((flags & MORE_COMPONENTS) && pos <= len);
		if (pos > len) {
			buf_put(out, p, len);
			return len;
		}
		buf_put(out, p, pos);
		wr16((unsigned char *)out->data + at + last, flags & ~WE_HAVE_INSTRUCTIONS);
	}
	return out->len - at;
}

enum { OUT_CMAP, OUT_CVT, OUT_FPGM, OUT_GLYF, OUT_HEAD, OUT_HHEA, OUT_HMTX, OUT_LOCA, OUT_MAXP,
	OUT_PREP, OUT_N };

size_t
font_subset(const struct font *f, const uint16_t *gids, size_t n, struct buf *out)
{
	/* Directory order = tag order, as the specification asks. */
	static const char tags[OUT_N][5] = {
		"cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep",
	};
	static const unsigned char empty_cmap[] = {
		0, 0, 0, 1,                /* version 0, one encoding record */
		0, 3, 0, 1, 0, 0, 0, 12,   /* Windows Unicode BMP, format 4 at 12 */
		0, 4, 0, 24, 0, 0,         /* format 4, length 24, language 0 */
		0, 2, 0, 2, 0, 0, 0, 0,    /* one segment: searchRange 2 etc. */
		0xFF, 0xFF, 0, 0,          /* endCode 0xFFFF, reservedPad */
		0xFF, 0xFF, 0, 1, 0, 0,    /* startCode 0xFFFF, idDelta 1, idRangeOffset 0 */
	};
	struct plan pl = {f, NULL, 0, 0, NULL, NULL, NULL};
	const unsigned char *hmtx = table(f, FONT_TAB_HMTX);
	size_t base = out->len, start[OUT_N], len[OUT_N], i, n_tabs = 0;
	unsigned char *dir, *p;
	unsigned nh = f->n_hmetrics, sr = 1, es = 0;
	size_t *glen = NULL;        /* bytes of each glyph in the output, padded */

	pl.new_of = xcalloc(f->n_glyphs ? f->n_glyphs : 1, sizeof(*pl.new_of));
	/* Requested glyphs keep their places even when repeated; then components. */
	for (i = 0; i < n && i < 0xFFFF; i++) {
		if (pl.n == pl.cap) {
			pl.cap = pl.cap ? pl.cap * 2 : 64;
			pl.old = xreallocarray(pl.old, pl.cap, sizeof(*pl.old));
		}
		pl.old[pl.n++] = gids[i];
		if (gids[i] < f->n_glyphs && pl.new_of[gids[i]] == 0)
			pl.new_of[gids[i]] = (uint16_t)pl.n;
	}
	for (i = 0; i < pl.n; i++) {
		size_t off, gl;
		if (glyph_range(f, pl.old[i], &off, &gl)) {
			pl.glyph = f->data + f->tab_off[FONT_TAB_GLYF] + off;
			each_component(pl.glyph, gl, add_component, &pl);
		}
	}

	for (i = 0; i < OUT_N; i++) {
		static const int src[OUT_N] = {-1, FONT_TAB_CVT, FONT_TAB_FPGM, -1, -1, -1, -1, -1, -1,
			FONT_TAB_PREP};
		len[i] = src[i] < 0 ? 1 : 0;
	}
	for (i = 0; i < OUT_N; i++)
		n_tabs += len[i] != 0;
	while (sr * 2 <= n_tabs) {
		sr *= 2;
		es++;
	}
	dir = reserve(out, 12 + 16 * n_tabs);
	wr32(dir, 0x00010000);
	wr16(dir + 4, (unsigned)n_tabs);
	wr16(dir + 6, sr * 16);
	wr16(dir + 8, es);
	wr16(dir + 10, (unsigned)(n_tabs * 16 - sr * 16));

	for (i = 0; i < OUT_N; i++) {
		if (len[i] == 0)
			continue;
		start[i] = out->len - base;
		switch (i) {
		case OUT_CMAP:
			buf_put(out, empty_cmap, sizeof(empty_cmap));
			break;
		case OUT_CVT:
		case OUT_FPGM:
		case OUT_PREP:
			break;
		case OUT_GLYF: {
			size_t k;
			glen = xcalloc(pl.n + 1, sizeof(*glen));
			for (k = 0; k < pl.n; k++) {
				size_t off, gl, at = out->len;
				if (!glyph_range(f, pl.old[k], &off, &gl))
					continue;
				gl = copy_glyph(out, table(f, FONT_TAB_GLYF) + off, gl);
				pl.copy = (unsigned char *)out->data + at;
				each_component(pl.copy, gl, renumber_component, &pl);
				reserve(out, (4 - gl % 4) % 4);
				glen[k] = gl + (4 - gl % 4) % 4;
			}
			break;
		}
		case OUT_HEAD:
			p = reserve(out, 54);
			memcpy(p, table(f, FONT_TAB_HEAD), 54);
			wr32(p + 8, 0);          /* checkSumAdjustment, set below */
			wr16(p + 50, 1);         /* long loca */
			break;
		case OUT_HHEA:
			p = reserve(out, 36);
			memcpy(p, table(f, FONT_TAB_HHEA), 36);
			wr16(p + 34, (unsigned)pl.n);
			break;
		case OUT_HMTX: {
			size_t k, hl = f->tab_len[FONT_TAB_HMTX];
			p = reserve(out, 4 * pl.n);
			for (k = 0; k < pl.n; k++) {
				unsigned g = pl.old[k], adv = 0, lsb = 0;
				size_t a = 4 * (size_t)(g < nh ? g : nh - 1);
				size_t l = g < nh ? a + 2 : 4 * (size_t)nh + 2 * (size_t)(g - nh);
				if (g < f->n_glyphs && a + 2 <= hl)
					adv = rd16(hmtx + a);
				if (g < f->n_glyphs && l + 2 <= hl)
					lsb = rd16(hmtx + l);
				wr16(p + 4 * k, adv);
				wr16(p + 4 * k + 2, lsb);
			}
			break;
		}
		case OUT_LOCA: {
			size_t k, at = 0;
			p = reserve(out, 4 * (pl.n + 1));
			for (k = 0; k < pl.n; k++) {
				wr32(p + 4 * k, (uint32_t)at);
				at += glen[k];
			}
			wr32(p + 4 * pl.n, (uint32_t)at); /* = glyf_len: the same walk */
			break;
		}
		case OUT_MAXP: {
			size_t ml = f->tab_len[FONT_TAB_MAXP] < 32 ? f->tab_len[FONT_TAB_MAXP] : 32;
			p = reserve(out, ml);
			memcpy(p, table(f, FONT_TAB_MAXP), ml);
			wr16(p + 4, (unsigned)pl.n);
			break;
		}
		}
		len[i] = out->len - base - start[i];
		reserve(out, (4 - len[i] % 4) % 4);
	}

	/* The directory pointer may have moved as out grew. */
	dir = (unsigned char *)out->data + base;
	{
		size_t k = 0;
		for (i = 0; i < OUT_N; i++) {
			unsigned char *rec;
			if (len[i] == 0)
				continue;
			rec = dir + 12 + 16 * k++;
			memcpy(rec, tags[i], 4);
			wr32(rec + 4, checksum(dir + start[i], len[i]));
			wr32(rec + 8, (uint32_t)start[i]);
			wr32(rec + 12, (uint32_t)len[i]);
		}
	}
	wr32(dir + start[OUT_HEAD] + 8, 0xB1B0AFBAu - checksum(dir, out->len - base));
	free(pl.old);
	free(pl.new_of);
	free(glen);
	return pl.n;
}
