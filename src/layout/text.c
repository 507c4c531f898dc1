/*
 * text: faces, bidi levels, break opportunities and shaped runs for
 * characters (see text.h).  Input: struct text_char arrays and the font
 * set.  Output: levels, advances, break marks, struct text_run.  Includes
 * font.h, util.h, HarfBuzz, FriBidi, ICU (ubrk) and the C library.
 *
 * Shaping is per word (the characters between U+0020 spaces of one run),
 * through a per-process cache keyed by face, direction, language and the
 * word's bytes: a report repeats most of its words, and a word's glyphs
 * do not depend on its neighbours across a space.  The cache has a
 * fixed size (two generations, below), so no input can make it grow.
 */
#include "layout/text.h"

#include <fribidi.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf16.h>

#include "base/icu.h"
#include "base/util.h"

/*
 * The word cache: a fixed table of CACHE_SLOTS entries and one arena of
 * CACHE_BYTES for their glyphs and text, both allocated when the first
 * word is shaped (the parent never shapes).  When it holds CACHE_SLOTS / 2
 * words or its arena is full, it is emptied, so memory stays what it was
 * the first time it filled: no input can make it grow.
 */
#define CACHE_SLOTS 16384           /* power of two */
#define CACHE_WORDS (CACHE_SLOTS / 2) /* at most half full: short probes */
#define CACHE_BYTES ((size_t)1 << 20) /* ~110 B a word: 8,192 words fit */
#define CACHE_MAX_WORD 256          /* bytes; longer words are shaped but not kept */

struct centry {
	uint64_t hash;
	hb_language_t lang;
	uint32_t off;               /* glyphs at bytes + off, then the text */
	uint16_t len;               /* bytes of text; 0 = free slot */
	uint16_t n;                 /* glyphs */
	int16_t face;
	bool rtl;
};

struct cache {
	struct centry *slot;        /* CACHE_SLOTS, or NULL before the first word */
	unsigned char *bytes;       /* CACHE_BYTES */
	size_t used, words;
	hb_buffer_t *buf;
};

void *
text_cache_new(void)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	c->buf = hb_buffer_create();
	return c;
}

void
text_cache_free(void *cache)
{
	struct cache *c = cache;

	if (c == NULL)
		return;
	free(c->slot);
	free(c->bytes);
	hb_buffer_destroy(c->buf);
	free(c);
}

/* ---- shaping ---- */

struct gvec {
	struct text_glyph *v;
	size_t n, cap;
};

static void
gvec_push(struct gvec *gv, const struct text_glyph *g, size_t n, uint32_t cluster_base)
{
	size_t i;

	if (gv->n + n > gv->cap) {
		gv->cap = (gv->n + n) * 2 + 8;
		gv->v = xreallocarray(gv->v, gv->cap, sizeof(*gv->v));
	}
	for (i = 0; i < n; i++) {
		gv->v[gv->n] = g[i];
		gv->v[gv->n].cluster += cluster_base;
		gv->n++;
	}
}

static hb_language_t
face_language(const struct font_set *fs, int face, const char *lang)
{
	const struct font *f = &fs->faces[face];

	/* A CJK collection face is its language; Han characters follow it (locl). */
	if (f->cff && strstr(f->path, "CJK") != NULL) {
		static const char *const tags[] = {"ja", "ko", "zh-Hans", "zh-Hant", "zh-HK"};
		if (f->index < 5)
			return hb_language_from_string(tags[f->index], -1);
	}
	return hb_language_from_string(lang && *lang ? lang : "und", -1);
}

/* Shapes one word with HarfBuzz into out (glyph clusters relative to the word). */
static void
shape_hb(struct cache *c, const struct font *f, const char *s, size_t len, bool rtl,
    hb_language_t lang, struct gvec *out)
{
	hb_buffer_t *b = c->buf;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned n, i;
	double k = 1000.0 / f->units_per_em;

	hb_buffer_clear_contents(b);
	hb_buffer_add_utf8(b, s, (int)len, 0, (int)len);
	hb_buffer_set_direction(b, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	hb_buffer_set_language(b, lang);
	hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
	hb_buffer_guess_segment_properties(b);
	hb_shape(f->hb, b, NULL, 0);
	info = hb_buffer_get_glyph_infos(b, &n);
	pos = hb_buffer_get_glyph_positions(b, &n);
	if (out->n + n > out->cap) {
		out->cap = (out->n + n) * 2 + 8;
		out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	for (i = 0; i < n; i++) {
		struct text_glyph *g = &out->v[out->n++];
		g->gid = info[i].codepoint;
		g->adv = (float)(pos[i].x_advance * k);
		g->dx = (float)(pos[i].x_offset * k);
		g->dy = (float)(pos[i].y_offset * k);
		g->cluster = info[i].cluster;
	}
}

static uint64_t
word_hash(const char *s, size_t len, int face, bool rtl, hb_language_t lang)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)(unsigned)face) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)rtl) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)(uintptr_t)lang) * 0x100000001b3ULL;
	return h;
}

/* The entry of the word, or NULL; *free_slot: where it would go. */
static const struct centry *
cache_find(const struct cache *c, uint64_t h, const char *s, size_t len, int face, bool rtl,
    hb_language_t hl, size_t *free_slot)
{
	size_t i = (size_t)h & (CACHE_SLOTS - 1);

	if (c->slot == NULL)
		return NULL;
	for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
		const struct centry *e = &c->slot[i];
		if (e->len == 0) {
			*free_slot = i;
			return NULL;
		}
		if (e->hash == h && e->len == len && e->face == face && e->rtl == rtl &&
		    e->lang == hl && memcmp(c->bytes + e->off + e->n * sizeof(struct text_glyph),
		    s, len) == 0)
			return e;
	}
}

/* Keeps glyphs gl[0..n) of a word not in the cache; slot: cache_find's. */
static void
cache_put(struct cache *c, size_t slot, uint64_t h, const char *s, size_t len, int face,
    bool rtl, hb_language_t hl, const struct text_glyph *gl, size_t n)
{
	size_t need = n * sizeof(*gl) + len;
	struct centry *e;

	if (n > UINT16_MAX || need > CACHE_BYTES / 64)
		return;
	if (c->slot == NULL) {
		c->slot = xcalloc(CACHE_SLOTS, sizeof(*c->slot));
		c->bytes = xmalloc(CACHE_BYTES);
		slot = (size_t)h & (CACHE_SLOTS - 1);
	} else if (c->words >= CACHE_WORDS || c->used + need > CACHE_BYTES) {
		memset(c->slot, 0, CACHE_SLOTS * sizeof(*c->slot));
		c->used = c->words = 0;
		slot = (size_t)h & (CACHE_SLOTS - 1);
	}
	e = &c->slot[slot];
	e->hash = h;
	e->lang = hl;
	e->off = (uint32_t)c->used;
	e->len = (uint16_t)len;
	e->n = (uint16_t)n;
	e->face = (int16_t)face;
	e->rtl = rtl;
	memcpy(c->bytes + c->used, gl, n * sizeof(*gl));
	memcpy(c->bytes + c->used + n * sizeof(*gl), s, len);
	/* the next entry's glyphs aligned */
	c->used += (need + _Alignof(struct text_glyph) - 1) &
	    ~(_Alignof(struct text_glyph) - 1);
	c->words++;
}

/* Appends the glyphs of word s[0..len) in face (clusters + base) to out, through the cache. */
static void
shape_word(const struct font_set *fs, int face, const char *s, size_t len, bool rtl,
    hb_language_t hl, uint32_t base, struct gvec *out)
{
	struct cache *c = fs->cache;
	uint64_t h = word_hash(s, len, face, rtl, hl);
	size_t start = out->n, i, slot = 0;
	const struct centry *e;

	if (len == 0 || len > CACHE_MAX_WORD) {
		shape_hb(c, &fs->faces[face], s, len, rtl, hl, out);
	} else if ((e = cache_find(c, h, s, len, face, rtl, hl, &slot)) != NULL) {
		gvec_push(out, (const struct text_glyph *)(const void *)(c->bytes + e->off),
		    e->n, base);
		return;
	} else {
		shape_hb(c, &fs->faces[face], s, len, rtl, hl, out);
		cache_put(c, slot, h, s, len, face, rtl, hl, out->v + start, out->n - start);
	}
	for (i = start; i < out->n; i++)
		out->v[i].cluster += base;
}

/*
 * Shapes text[0..len) (one face, one direction) word by word into out in
 * visual order: words and the spaces between them right to left for rtl.
 */
static void
shape_run(const struct font_set *fs, int face, const char *text, size_t len, bool rtl,
    const char *lang, struct gvec *out)
{
	size_t seg[2 * 64 + 2], n_seg = 0, i = 0, k;
	size_t *segs = seg;
	size_t cap = sizeof(seg) / sizeof(seg[0]);
	hb_language_t hl = face_language(fs, face, lang); /* once a run, not once a word */

	/* Segment boundaries: alternate words and single spaces. */
	while (i < len) {
		size_t j = i;
		if (text[i] == ' ')
			j = i + 1;
		else
			while (j < len && text[j] != ' ')
				j++;
		if (n_seg + 2 > cap) {
			size_t *nv = xreallocarray(NULL, cap * 2, sizeof(*nv));
			memcpy(nv, segs, n_seg * sizeof(*nv));
			if (segs != seg)
				free(segs);
			segs = nv;
			cap *= 2;
		}
		segs[n_seg++] = i;
		segs[n_seg++] = j;
		i = j;
	}
	for (k = 0; k < n_seg; k += 2) {
		size_t s = rtl ? segs[n_seg - 2 - k] : segs[k], e = rtl ? segs[n_seg - 1 - k]
									     : segs[k + 1];
		shape_word(fs, face, text + s, e - s, rtl, hl, (uint32_t)s, out);
	}
	if (segs != seg)
		free(segs);
}

/* ---- faces ---- */

/*
 * Common or Inherited script.  ASCII needs no lookup: its letters are
 * Latin and everything else in it Common (Unicode's Scripts.txt); most
 * characters of a report are ASCII, and this is asked once of each.
 */
static bool
neutral(uint32_t cp)
{
	hb_script_t sc;

	if (cp < 0x80)
		return !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	sc = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
	return sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED;
}

/* Invisible characters that steer bidi or line breaking: never drawn. */
static bool
hidden(uint32_t cp)
{
	return cp == 0x200B || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C ||
	    cp == 0xFEFF;
}

/* Invisible characters HarfBuzz needs to see (joiners, variation selectors). */
static bool
joiner(uint32_t cp)
{
	return cp == 0x200C || cp == 0x200D || cp == 0x034F || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0xE0100 && cp <= 0xE01EF);
}

void
text_faces(const struct font_set *fs, struct text_char *v, size_t n, const char *lang)
{
	size_t i;
	int sface = -1;            /* the fallback face of the last letter, or -1 */
	unsigned char sstyle = 0;

	/* Han characters among kana are Japanese, among Hangul Korean. */
	if (lang == NULL)
		for (i = 0; i < n; i++) {
			hb_script_t sc;
			if (v[i].cp < 0x1100)   /* below Hangul Jamo: no kana, no Hangul */
				continue;
			sc = hb_unicode_script(hb_unicode_funcs_get_default(), v[i].cp);
			if (sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA) {
				lang = "ja";
				break;
			}
			if (sc == HB_SCRIPT_HANGUL) {
				lang = "ko";
				break;
			}
		}

	for (i = 0; i < n; i++) {
		struct text_char *t = &v[i];
		enum font_style st = (enum font_style)t->fstyle;
		uint32_t cp = t->cp == 0xA0 ? ' ' : t->cp;
		int face = -1;
		bool neut;

		t->orig = t->cp;
		t->missing = false;
		t->hidden = hidden(t->cp);
		if (t->cp == '\n') {
			t->face = fs->style_face[st];
			continue;
		}
		if (t->hidden || joiner(t->cp)) {
			t->face = i > 0 && v[i - 1].fstyle == t->fstyle ? v[i - 1].face
									 : fs->style_face[st];
			continue;
		}
		/*
		 * Neutrals and marks after a letter set in a script's fallback face
		 * stay in that face when it has them (digits and spaces in an Arabic
		 * name, its vowel marks).
		 */
		neut = neutral(cp);
		if (neut) {
			if (sface >= 0 && sstyle == t->fstyle && font_covers(&fs->faces[sface], cp))
				face = sface;
		}
		if (face < 0)
			face = font_set_pick_lang(fs, st, cp, lang);
		if (!neut) {
			sface = face >= FONT_N_STYLES ? face : -1;
			sstyle = t->fstyle;
		}
		if (face < 0) {
			t->missing = true;
			t->cp = fs->replacement;
			face = font_covers(&fs->faces[fs->style_face[st]], t->cp) ? fs->style_face[st]
										      : FONT_REGULAR;
		}
		t->face = face;
	}
}

/* ---- bidi ---- */

int
text_bidi(struct text_char *v, size_t n)
{
	FriBidiChar *str;
	FriBidiCharType *types;
	FriBidiBracketType *brackets;
	FriBidiLevel *levels;
	FriBidiParType dir = FRIBIDI_PAR_ON;
	size_t i;
	bool rtl = false;

	for (i = 0; i < n; i++) {
		FriBidiCharType t = fribidi_get_bidi_type(v[i].orig ? v[i].orig : v[i].cp);
		v[i].level = 0;
		if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)
			rtl = true;
	}
	if (!rtl || n == 0)
		return 0;
	str = xreallocarray(NULL, n, sizeof(*str));
	types = xreallocarray(NULL, n, sizeof(*types));
	brackets = xreallocarray(NULL, n, sizeof(*brackets));
	levels = xreallocarray(NULL, n, sizeof(*levels));
	for (i = 0; i < n; i++)
		str[i] = v[i].orig ? v[i].orig : v[i].cp;
	fribidi_get_bidi_types(str, (FriBidiStrIndex)n, types);
	fribidi_get_bracket_types(str, (FriBidiStrIndex)n, types, brackets);
	if (fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &dir,
		levels) == 0)
		memset(levels, 0, n * sizeof(*levels));
	for (i = 0; i < n; i++)
		v[i].level = (unsigned char)(levels[i] > 61 ? 61 : levels[i]);
	free(str);
	free(types);
	free(brackets);
	free(levels);
	return FRIBIDI_IS_RTL(dir) ? 1 : 0;
}

/* ---- runs ---- */

static bool
same_run(const struct text_char *a, const struct text_char *b)
{
	return a->face == b->face && a->size == b->size && a->style == b->style &&
	    a->level == b->level && b->cp != '\n';
}

/* The UTF-8 of v[first..end) into b, with pos[k] = byte offset of v[first + k]. */
static void
run_text(const struct text_char *v, size_t first, size_t end, struct buf *b, unsigned *pos)
{
	size_t k;
	char *o;

	/* Written in place, as font_utf8_put would (a call a character was a
	   third of the cost of setting a line). */
	buf_reset(b);
	buf_grow(b, 4 * (end - first));
	o = b->data;
	for (k = first; k < end; k++) {
		uint32_t cp = v[k].cp == 0xA0 ? ' ' : v[k].cp == '\n' ? ' ' : v[k].cp;
		if (pos != NULL)
			pos[k - first] = (unsigned)(o - b->data);
		if (v[k].hidden)
			continue;
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xC0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

void
text_measure(const struct font_set *fs, struct text_char *v, size_t n, const char *lang)
{
	struct buf b;
	struct gvec gv = {NULL, 0, 0};
	unsigned *pos = xreallocarray(NULL, n + 1, sizeof(*pos));
	size_t i = 0;

	buf_init(&b);
	while (i < n) {
		size_t e = i + 1, k, g;
		while (e < n && same_run(&v[i], &v[e]))
			e++;
		if (v[i].cp == '\n') {
			v[i].adv = 0;
			i = e;
			continue;
		}
		run_text(v, i, e, &b, pos);
		gv.n = 0;
		shape_run(fs, v[i].face, b.data, b.len, v[i].level & 1, lang, &gv);
		for (k = i; k < e; k++)
			v[k].adv = 0;
		/* Each glyph's advance goes to the character that starts its cluster. */
		for (g = 0; g < gv.n; g++) {
			size_t lo = 0, hi = e - i;
			while (hi - lo > 1) {
				size_t mid = (lo + hi) / 2;
				if (pos[mid] <= gv.v[g].cluster)
					lo = mid;
				else
					hi = mid;
			}
			v[i + lo].adv += gv.v[g].adv * v[i].size / 1000.0f;
		}
		i = e;
	}
	free(pos);
	free(gv.v);
	buf_free(&b);
}

void
text_runs_free(struct text_run *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].text);
		free(r[i].g);
	}
	free(r);
}

size_t
text_runs(const struct font_set *fs, const struct text_char *v, size_t first, size_t end,
    const char *lang, struct text_run **out)
{
	struct text_run *r = NULL;
	size_t n = 0, cap = 0, i = first, k;
	struct buf b;
	int max = 0, min_odd = 99;

	buf_init(&b);
	while (i < end) {
		size_t e = i + 1;
		struct gvec gv = {NULL, 0, 0};
		struct text_run *t;
		while (e < end && same_run(&v[i], &v[e]))
			e++;
		if (v[i].cp == '\n') {
			i = e;
			continue;
		}
		run_text(v, i, e, &b, NULL);
		if (b.len == 0) {
			i = e;
			continue;
		}
		shape_run(fs, v[i].face, b.data, b.len, v[i].level & 1, lang, &gv);
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			r = xreallocarray(r, cap, sizeof(*r));
		}
		t = &r[n++];
		t->face = v[i].face;
		t->rtl = v[i].level & 1;
		t->size = v[i].size;
		t->style = v[i].style;
		t->first = i;
		t->end = e;
		t->text = xstrndup(b.data, b.len);
		t->g = gv.v;
		t->n_g = gv.n;
		t->width = 0;
		for (k = 0; k < gv.n; k++)
			t->width += gv.v[k].adv;
		t->width *= t->size / 1000.0;
		if (v[i].level > max)
			max = v[i].level;
		if ((v[i].level & 1) && v[i].level < min_odd)
			min_odd = v[i].level;
		i = e;
	}
	buf_free(&b);
	/* Rule L2: reverse every maximal sequence at or above each level, highest first. */
	for (int lev = max; lev >= min_odd && lev > 0; lev--) {
		size_t a = 0;
		while (a < n) {
			size_t z;
			if (v[r[a].first].level < lev) {
				a++;
				continue;
			}
			for (z = a; z < n && v[r[z].first].level >= lev; z++)
				;
			for (size_t x = a, y = z - 1; x < y; x++, y--) {
				struct text_run tmp = r[x];
				r[x] = r[y];
				r[y] = tmp;
			}
			a = z;
		}
	}
	*out = r;
	return n;
}

/* ---- line breaking ---- */

static bool
unspaced(uint32_t cp)
{
	hb_script_t sc;

	if (cp < 0x0E00)   /* below Thai: none of them, and no script lookup for most text */
		return false;
	sc = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
	return sc == HB_SCRIPT_HAN || sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA ||
	    sc == HB_SCRIPT_THAI || sc == HB_SCRIPT_LAO || sc == HB_SCRIPT_KHMER ||
	    sc == HB_SCRIPT_MYANMAR || sc == HB_SCRIPT_BOPOMOFO || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF);
}

bool
text_breaks(const struct text_char *v, size_t n, const char *lang, unsigned char *brk)
{
	UChar *u;
	size_t *at, i, m = 0;
	UErrorCode err = U_ZERO_ERROR;
	UBreakIterator *bi = NULL;
	bool any = false;
	int32_t p;
	const struct icu *icu;

	for (i = 0; i < n && !any; i++)
		any = unspaced(v[i].orig ? v[i].orig : v[i].cp);
	if (!any)
		return false;
	icu = icu_get(NULL);
	u = xreallocarray(NULL, 2 * n + 1, sizeof(*u));
	at = xreallocarray(NULL, 2 * n + 1, sizeof(*at));
	for (i = 0; i < n; i++) {
		uint32_t cp = v[i].orig ? v[i].orig : v[i].cp;
		if (cp == '\n')
			cp = ' ';
		at[m] = i;
		if (cp > 0xFFFF) {
			u[m++] = U16_LEAD(cp);
			at[m] = i;
			u[m++] = U16_TRAIL(cp);
		} else {
			u[m++] = (UChar)cp;
		}
	}
	at[m] = n;
	if (icu != NULL)
		bi = icu->brk_open(UBRK_LINE, lang && *lang ? lang : "", u, (int32_t)m, &err);
	if (U_SUCCESS(err) && bi != NULL) {
		for (p = icu->brk_following(bi, 0); p != UBRK_DONE && (size_t)p < m;
		     p = icu->brk_following(bi, p)) {
			size_t k = at[p];
			if (k > 0 && k < n && at[p - 1] != k &&
			    (unspaced(v[k].orig ? v[k].orig : v[k].cp) ||
				unspaced(v[k - 1].orig ? v[k - 1].orig : v[k - 1].cp)))
				brk[k] = 1;
		}
	}
	if (bi != NULL)
		icu->brk_close(bi);
	else   /* no ICU: a break between any two characters of unspaced scripts */
		for (i = 1; i < n; i++)
			brk[i] = unspaced(v[i].orig ? v[i].orig : v[i].cp) &&
			    unspaced(v[i - 1].orig ? v[i - 1].orig : v[i - 1].cp);
	free(u);
	free(at);
	return true;
}

/* ---- one line ---- */

void
text_line_set(struct text_line *tl, const struct font_set *fs, enum font_style style,
    double size, const char *utf8, const char *lang)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	struct text_char *v = xreallocarray(NULL, strlen(utf8) + 1, sizeof(*v));
	size_t n = 0, i;

	memset(tl, 0, sizeof(*tl));
	while (s < end) {
		struct text_char *t = &v[n++];
		memset(t, 0, sizeof(*t));
		t->off = (unsigned)(s - utf8);
		t->cp = font_utf8_next(&s, end);
		if (t->cp < 0x20 || (t->cp >= 0x7F && t->cp < 0xA0))
			t->cp = ' ';
		t->size = (float)size;
		t->fstyle = (unsigned char)style;
	}
	text_faces(fs, v, n, lang);
	text_bidi(v, n);
	for (i = 0; i < n; i++)
		if (v[i].missing && tl->n_missing++ == 0)
			tl->first_missing = v[i].orig;
	tl->n_runs = text_runs(fs, v, 0, n, lang, &tl->runs);
	for (i = 0; i < tl->n_runs; i++)
		tl->width += tl->runs[i].width;
	free(v);
}

void
text_line_clear(struct text_line *tl)
{
	text_runs_free(tl->runs, tl->n_runs);
	memset(tl, 0, sizeof(*tl));
}

/* ---- the language a script suggests ---- */

/* Scripts that say a language (the most common one written in them). */
static const struct {
	hb_script_t script;
	const char *lang;
} script_langs[] = {
	{HB_SCRIPT_ARABIC, "ar"}, {HB_SCRIPT_HEBREW, "he"}, {HB_SCRIPT_DEVANAGARI, "hi"},
	{HB_SCRIPT_BENGALI, "bn"}, {HB_SCRIPT_TAMIL, "ta"}, {HB_SCRIPT_TELUGU, "te"},
	{HB_SCRIPT_KANNADA, "kn"}, {HB_SCRIPT_MALAYALAM, "ml"}, {HB_SCRIPT_GUJARATI, "gu"},
	{HB_SCRIPT_GURMUKHI, "pa"}, {HB_SCRIPT_ORIYA, "or"}, {HB_SCRIPT_SINHALA, "si"},
	{HB_SCRIPT_THAI, "th"}, {HB_SCRIPT_LAO, "lo"}, {HB_SCRIPT_KHMER, "km"},
	{HB_SCRIPT_MYANMAR, "my"}, {HB_SCRIPT_TIBETAN, "bo"}, {HB_SCRIPT_GREEK, "el"},
	{HB_SCRIPT_CYRILLIC, "ru"}, {HB_SCRIPT_GEORGIAN, "ka"}, {HB_SCRIPT_ARMENIAN, "hy"},
	{HB_SCRIPT_ETHIOPIC, "am"}, {HB_SCRIPT_SYRIAC, "syr"}, {HB_SCRIPT_THAANA, "dv"},
	{HB_SCRIPT_HIRAGANA, "ja"}, {HB_SCRIPT_KATAKANA, "ja"}, {HB_SCRIPT_HANGUL, "ko"},
	{HB_SCRIPT_HAN, ""}, {HB_SCRIPT_BOPOMOFO, "zh-Hant"},
};

/* Index into script_langs of cp's script; -1 = Latin, common, inherited or unknown. */
static int
script_lang(uint32_t cp)
{
	hb_script_t s = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
	size_t i;

	for (i = 0; i < sizeof(script_langs) / sizeof(script_langs[0]); i++)
		if (script_langs[i].script == s)
			return (int)i;
	return -1;
}

static bool
is_cjk(int k)
{
	return k >= 0 && (script_langs[k].script == HB_SCRIPT_HIRAGANA ||
	    script_langs[k].script == HB_SCRIPT_KATAKANA || script_langs[k].script == HB_SCRIPT_HANGUL ||
	    script_langs[k].script == HB_SCRIPT_HAN || script_langs[k].script == HB_SCRIPT_BOPOMOFO);
}

bool
text_is_letter(uint32_t cp)
{
	switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
	case HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_OTHER_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_TITLECASE_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER:
		return true;
	default:
		return false;
	}
}

size_t
text_lang_spans(const struct text_char *v, size_t n, const char *han_lang,
    struct text_lang_span **out, size_t *letters)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	struct text_lang_span *r = NULL;
	size_t nr = 0, cap = 0, i, k0, total = 0;
	int cur = -1;           /* script_langs index of the open stretch, -1 = none */
	unsigned cjk = 0;       /* the open CJK stretch has: 1 kana, 2 Hangul, 4 bopomofo */

	for (i = 0; i < n; i++) {
		uint32_t cp = v[i].orig ? v[i].orig : v[i].cp;
		int k;
		bool letter;

		if (cp < 0x80) {
			/* ASCII, most of a report: no script lookup */
			letter = (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
			total += letter;
			if (letter || cp == '\n')
				cur = -1;
			continue;
		}
		k = script_lang(cp);
		letter = text_is_letter(cp);
		total += letter;
		if (k < 0) {
			/* A mark stays with the letter before it; neutral characters
			   (spaces, digits, punctuation) may be inside a stretch; a
			   letter of another script ends it. */
			if (cur >= 0 && r[nr - 1].end == i &&
			    hb_unicode_script(uf, cp) == HB_SCRIPT_INHERITED)
				r[nr - 1].end = i + 1;
			else if (letter || cp == '\n')
				cur = -1;
			continue;
		}
		if (cur >= 0 && (is_cjk(k) ? is_cjk(cur)
		    : strcmp(script_langs[k].lang, script_langs[cur].lang) == 0)) {
			r[nr - 1].end = i + 1;
			r[nr - 1].letters += letter;
		} else {
			if (nr == cap) {
				cap = cap ? cap * 2 : 4;
				r = xreallocarray(r, cap, sizeof(*r));
			}
			r[nr].first = i;
			r[nr].end = i + 1;
			r[nr].letters = letter;
			r[nr].lang = script_langs[k].lang;
			nr++;
			cjk = 0;
		}
		cur = k;
		if (is_cjk(k)) {
			hb_script_t sc = script_langs[k].script;
			cjk |= sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA ? 1u
			    : sc == HB_SCRIPT_HANGUL ? 2u : sc == HB_SCRIPT_BOPOMOFO ? 4u : 0u;
			/* kana makes it Japanese, Hangul Korean, Han alone han_lang */
			r[nr - 1].lang = (cjk & 1) ? "ja" : (cjk & 2) ? "ko" : (cjk & 4) ? "zh-Hant"
			    : han_lang != NULL && *han_lang ? han_lang : "zh-Hans";
		}
	}
	/* Words of one letter of an alphabet are symbols (the λ of Little's
	   Law), not a language; one Chinese character can be a word. */
	for (i = k0 = 0; i < nr; i++) {
		size_t j, run = 0, longest = 0;
		for (j = r[i].first; j < r[i].end; j++) {
			run = text_is_letter(v[j].orig ? v[j].orig : v[j].cp) ? run + 1 : 0;
			longest = run > longest ? run : longest;
		}
		if (longest >= 2 || is_cjk(script_lang(v[r[i].first].orig)))
			r[k0++] = r[i];
	}
	*out = r;
	if (letters != NULL)
		*letters = total;
	return k0;
}
