/*
 * fontset: the faces a report is set in and the fallback chain, chosen by
 * script first and then by coverage.  The print faces (Noto Serif with
 * true bold, italic and bold italic for the prose, Noto Sans for tables
 * and charts, Noto Sans Mono for equations) draw Latin, Greek, Cyrillic
 * and the common characters; every other script has its Noto face from
 * fonts-noto-core (serif where Noto has one, for the serif styles), and
 * Chinese, Japanese and Korean the Noto CJK face of their language from
 * fonts-noto-cjk (the collections hold one face per language: Han
 * characters are drawn differently in each).  A fallback is read the
 * first time a character needs it, so a Latin-only report never opens one.
 * Input: font files.  Output: struct font_set.  Includes font.h, text.h,
 * HarfBuzz (for the Unicode script of a character) and the C library.
 */
#include "layout/font.h"

#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/text.h"

#define DEFAULT_DIR "/usr/share/fonts/truetype/noto"
#define CJK_DIR "/usr/share/fonts/opentype/noto"

static const char *const style_files[FONT_N_STYLES] = {
	"NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf",
	"NotoSerif-BoldItalic.ttf", "NotoSansMono-Regular.ttf", "NotoSans-Regular.ttf",
	"NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
};

/*
 * One fallback family per script: the serif family (NULL: none, use the
 * sans) and the sans family, each file "<family>-Regular.ttf" and
 * "-Bold.ttf" in the font directory.
 */
static const struct {
	hb_script_t script;
	const char *serif, *sans;
} script_fonts[] = {
	{HB_SCRIPT_ARABIC, "NotoNaskhArabic", "NotoSansArabic"},
	{HB_SCRIPT_HEBREW, "NotoSerifHebrew", "NotoSansHebrew"},
	{HB_SCRIPT_DEVANAGARI, "NotoSerifDevanagari", "NotoSansDevanagari"},
	{HB_SCRIPT_BENGALI, "NotoSerifBengali", "NotoSansBengali"},
	{HB_SCRIPT_TAMIL, "NotoSerifTamil", "NotoSansTamil"},
	{HB_SCRIPT_TELUGU, "NotoSerifTelugu", "NotoSansTelugu"},
	{HB_SCRIPT_KANNADA, "NotoSerifKannada", "NotoSansKannada"},
	{HB_SCRIPT_MALAYALAM, "NotoSerifMalayalam", "NotoSansMalayalam"},
	{HB_SCRIPT_GUJARATI, "NotoSerifGujarati", "NotoSansGujarati"},
	{HB_SCRIPT_GURMUKHI, "NotoSerifGurmukhi", "NotoSansGurmukhi"},
	{HB_SCRIPT_ORIYA, NULL, "NotoSansOriya"},
	{HB_SCRIPT_SINHALA, "NotoSerifSinhala", "NotoSansSinhala"},
	{HB_SCRIPT_THAI, "NotoSerifThai", "NotoSansThai"},
	{HB_SCRIPT_LAO, "NotoSerifLao", "NotoSansLao"},
	{HB_SCRIPT_KHMER, "NotoSerifKhmer", "NotoSansKhmer"},
	{HB_SCRIPT_MYANMAR, "NotoSerifMyanmar", "NotoSansMyanmar"},
	{HB_SCRIPT_GEORGIAN, "NotoSerifGeorgian", "NotoSansGeorgian"},
	{HB_SCRIPT_ARMENIAN, "NotoSerifArmenian", "NotoSansArmenian"},
	{HB_SCRIPT_ETHIOPIC, "NotoSerifEthiopic", "NotoSansEthiopic"},
	{HB_SCRIPT_TIBETAN, "NotoSerifTibetan", NULL},
	{HB_SCRIPT_SYRIAC, NULL, "NotoSansSyriac"},
	{HB_SCRIPT_THAANA, NULL, "NotoSansThaana"},
	{HB_SCRIPT_CHEROKEE, NULL, "NotoSansCherokee"},
	{HB_SCRIPT_CANADIAN_SYLLABICS, NULL, "NotoSansCanadianAboriginal"},
	{HB_SCRIPT_MONGOLIAN, NULL, "NotoSansMongolian"},
	/* Symbols, arrows, dingbats and mathematics the print faces lack. */
	{HB_SCRIPT_COMMON, NULL, "NotoSansMath"},
	{HB_SCRIPT_COMMON, NULL, "NotoSansSymbols2"},
	{HB_SCRIPT_COMMON, NULL, "NotoSansSymbols"},
};
#define N_SCRIPTS (sizeof(script_fonts) / sizeof(script_fonts[0]))

/* Noto CJK collections: faces 0..4 are JP, KR, SC, TC, HK in each. */
static const char *const cjk_files[4] = {
	"NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc",
	"NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc",
};
enum { CJK_JA, CJK_KO, CJK_SC, CJK_TC, CJK_HK, N_CJK };

/* Slots after the styles: 4 per script (serif, serif bold, sans, sans bold), then CJK. */
#define SLOT_SCRIPTS FONT_N_STYLES
#define SLOT_CJK (SLOT_SCRIPTS + 4 * (int)N_SCRIPTS)
#define N_SLOTS (SLOT_CJK + 4 * N_CJK)

static bool
style_sans(enum font_style st)
{
	return st >= FONT_MONO;
}

static bool
style_bold(enum font_style st)
{
	return st == FONT_BOLD || st == FONT_BOLD_ITALIC || st == FONT_SANS_BOLD;
}

enum font_style
font_style_with(enum font_style base, bool bold, bool italic)
{
	if (base == FONT_MONO)
		return FONT_MONO;
	if (style_sans(base)) {
		bold = bold || base == FONT_SANS_BOLD;
		italic = italic || base == FONT_SANS_ITALIC;
		/* Noto Sans Bold Italic is not in fonts-noto-core's print set: bold wins. */
		return bold ? FONT_SANS_BOLD : italic ? FONT_SANS_ITALIC : FONT_SANS;
	}
	bold = bold || style_bold(base);
	italic = italic || base == FONT_ITALIC || base == FONT_BOLD_ITALIC;
	return bold && italic ? FONT_BOLD_ITALIC : bold ? FONT_BOLD : italic ? FONT_ITALIC
									     : FONT_REGULAR;
}

struct font_set *
font_set_new(const char *dir, struct diag_list *dl)
{
	struct font_set *fs = xcalloc(1, sizeof(*fs));
	size_t i, k;

	if (dir == NULL)
		dir = getenv("ARCHAUDIT_FONT_DIR");
	if (dir == NULL || *dir == '\0')
		dir = DEFAULT_DIR;
	fs->faces = xcalloc(N_SLOTS, sizeof(*fs->faces));
	fs->n_faces = N_SLOTS;
	fs->han_lang = "zh-Hans";
	for (i = 0; i < FONT_N_STYLES; i++) {
		char *path = xasprintf("%s/%s", dir, style_files[i]);
		bool ok = font_load(&fs->faces[i], path, 0, dl);
		free(path);
		if (!ok) {
			font_set_free(fs);
			return NULL;
		}
		fs->style_face[i] = (int)i;
	}
	for (i = 0; i < N_SCRIPTS; i++)
		for (k = 0; k < 4; k++) {
			const char *fam = k < 2 && script_fonts[i].serif ? script_fonts[i].serif
			    : script_fonts[i].sans ? script_fonts[i].sans : script_fonts[i].serif;
			struct font *f = &fs->faces[SLOT_SCRIPTS + 4 * i + k];
			f->path = xasprintf("%s/%s-%s.ttf", dir, fam, k % 2 ? "Bold" : "Regular");
		}
	for (i = 0; i < N_CJK; i++)
		for (k = 0; k < 4; k++) {
			struct font *f = &fs->faces[SLOT_CJK + 4 * i + k];
			const char *cdir = getenv("ARCHAUDIT_CJK_FONT_DIR");
			f->path = xasprintf("%s/%s", cdir && *cdir ? cdir : CJK_DIR, cjk_files[k]);
			f->index = (unsigned)i;
		}
	fs->replacement = font_covers(&fs->faces[FONT_REGULAR], 0xFFFD) ? 0xFFFD : '?';
	fs->cache = text_cache_new();
	fs->shape_cache = lay_cache_new();
	return fs;
}

void
font_set_free(struct font_set *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n_faces; i++) {
		if (fs->faces[i].state == 1)
			font_clear(&fs->faces[i]);
		else
			free(fs->faces[i].path);
	}
	text_cache_free(fs->cache);
	lay_cache_free(fs->shape_cache);
	free(fs->faces);
	free(fs);
}

bool
font_set_ready(const struct font_set *fs, int i)
{
	struct font *f;

	if (i < 0 || (size_t)i >= fs->n_faces)
		return false;
	/* fs->faces points to memory the set owns; reading a fallback fills a slot. */
	f = &fs->faces[i];
	if (f->state == 0) {
		char *path = f->path;
		unsigned index = f->index;
		FILE *probe = fopen(path, "rb");
		bool ok = false;
		if (probe != NULL) {
			struct diag_list quiet;
			fclose(probe);
			diag_init(&quiet);
			ok = font_load(f, path, index, &quiet);
			diag_free(&quiet);
		}
		if (ok) {
			free(path);
			/* Collection faces are told apart by language, as their PostScript names do. */
			if ((size_t)i >= SLOT_CJK) {
				static const char *const tag[N_CJK] = {"JP", "KR", "SC", "TC", "HK"};
				char *nm = xasprintf("%.*s%s%s", (int)strcspn(f->name, "-"), f->name,
				    tag[(i - SLOT_CJK) / 4], f->name + strcspn(f->name, "-"));
				free(f->name);
				f->name = nm;
			}
		} else {
			memset(f, 0, sizeof(*f));
			f->path = path;
			f->index = index;
			f->state = -1;
		}
	}
	return f->state == 1;
}

/* The CJK collection face for lang ("ja", "ko", "zh-Hant", "zh-HK"...). */
static int
cjk_face(const char *lang)
{
	if (lang == NULL)
		return -1;
	if (strncmp(lang, "ja", 2) == 0)
		return CJK_JA;
	if (strncmp(lang, "ko", 2) == 0)
		return CJK_KO;
	if (strncmp(lang, "zh", 2) == 0) {
		if (strstr(lang, "HK") || strstr(lang, "MO"))
			return CJK_HK;
		if (strstr(lang, "Hant") || strstr(lang, "TW"))
			return CJK_TC;
		return CJK_SC;
	}
	return -1;
}

static bool
covers(const struct font_set *fs, int i, uint32_t cp)
{
	return font_set_ready(fs, i) && font_covers(&fs->faces[i], cp);
}

int
font_set_pick_lang(const struct font_set *fs, enum font_style style, uint32_t cp,
    const char *lang)
{
	int first = fs->style_face[style];
	hb_script_t sc;
	int k = (style_sans(style) ? 2 : 0) + (style_bold(style) ? 1 : 0);
	size_t i;
	int c;

	/* ASCII is Latin or Common, so the branch below: most text, no script lookup. */
	if (cp < 0x80 && font_covers(&fs->faces[first], cp))
		return first;
	sc = hb_unicode_script(hb_unicode_funcs_get_default(), cp);

	if (sc == HB_SCRIPT_LATIN || sc == HB_SCRIPT_GREEK || sc == HB_SCRIPT_CYRILLIC ||
	    sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED || sc == HB_SCRIPT_UNKNOWN) {
		if (font_covers(&fs->faces[first], cp))
			return first;
		/* Bold, italic and mono fall back to the regular face of their family. */
		c = fs->style_face[style_sans(style) ? FONT_SANS : FONT_REGULAR];
		if (font_covers(&fs->faces[c], cp))
			return c;
	}
	for (i = 0; i < N_SCRIPTS; i++)
		if (script_fonts[i].script == sc) {
			if (covers(fs, SLOT_SCRIPTS + 4 * (int)i + k, cp))
				return SLOT_SCRIPTS + 4 * (int)i + k;
			if (covers(fs, SLOT_SCRIPTS + 4 * (int)i + (k & 2), cp))
				return SLOT_SCRIPTS + 4 * (int)i + (k & 2);
		}
	if (sc == HB_SCRIPT_HIRAGANA || sc == HB_SCRIPT_KATAKANA)
		c = CJK_JA;
	else if (sc == HB_SCRIPT_HANGUL)
		c = CJK_KO;
	else if (sc == HB_SCRIPT_HAN || sc == HB_SCRIPT_BOPOMOFO ||
		 (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF)) {
		c = cjk_face(lang);
		if (c < 0)
			c = cjk_face(fs->han_lang);
		if (c < 0)
			c = CJK_SC;
	} else {
		c = -1;
	}
	if (c >= 0) {
		if (covers(fs, SLOT_CJK + 4 * c + k, cp))
			return SLOT_CJK + 4 * c + k;
		if (covers(fs, SLOT_CJK + 4 * c + (k & 2), cp))
			return SLOT_CJK + 4 * c + (k & 2);
	}
	/* Then by coverage: the print faces, the script faces, the CJK faces. */
	if (font_covers(&fs->faces[first], cp))
		return first;
	for (i = 0; i < FONT_N_STYLES; i++)
		if (font_covers(&fs->faces[i], cp))
			return (int)i;
	for (i = SLOT_SCRIPTS; i < N_SLOTS; i += 4)
		if (covers(fs, (int)i + (k & 2), cp))
			return (int)i + (k & 2);
	return -1;
}

int
font_set_pick(const struct font_set *fs, enum font_style style, uint32_t cp)
{
	return font_set_pick_lang(fs, style, cp, NULL);
}

double
font_set_width(const struct font_set *fs, enum font_style style, const char *utf8, double size)
{
	return lay_cache_width(fs->shape_cache, fs, style, utf8, size);
}

static enum font_style
draw_style(enum draw_font font)
{
	return font == DRAW_FONT_BOLD ? FONT_SANS_BOLD
	    : font == DRAW_FONT_ITALIC ? FONT_SANS_ITALIC
				       : FONT_SANS;
}

static double
measurer_width(void *ctx, const char *utf8, double size, enum draw_font font)
{
	return font_set_width(ctx, draw_style(font), utf8, size);
}

enum font_style
font_draw_style(enum draw_font font)
{
	return draw_style(font);
}

/* Glyph outlines from HarfBuzz (font units, y up) to points at a pen (y down). */
struct outline_pen {
	draw_outline_fn emit;
	void *arg;
	double x, y, scale;    /* pen position, points; points per font unit */
};

static void
pen_point(const struct outline_pen *pen, float fx, float fy, double *xy)
{
	xy[0] = pen->x + fx * pen->scale;
	xy[1] = pen->y - fy * pen->scale;
}

static void
pen_to(void *data, enum draw_outline_op op, float x, float y)
{
	struct outline_pen *pen = data;
	double xy[2];

	pen_point(pen, x, y, xy);
	pen->emit(pen->arg, op, xy);
}

static void
pen_move(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x, float y, void *u)
{
	(void)df, (void)st, (void)u;
	pen_to(data, DRAW_OUTLINE_MOVE, x, y);
}

static void
pen_line(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x, float y, void *u)
{
	(void)df, (void)st, (void)u;
	pen_to(data, DRAW_OUTLINE_LINE, x, y);
}

static void
pen_cubic(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float x1, float y1, float x2,
    float y2, float x, float y, void *u)
{
	struct outline_pen *pen = data;
	double xy[6];

	(void)df, (void)st, (void)u;
	pen_point(pen, x1, y1, xy);
	pen_point(pen, x2, y2, xy + 2);
	pen_point(pen, x, y, xy + 4);
	pen->emit(pen->arg, DRAW_OUTLINE_CURVE, xy);
}

/* A quadratic segment (TrueType) as the cubic that draws it exactly. */
static void
pen_quad(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, float cx, float cy, float x,
    float y, void *u)
{
	float x0 = st->current_x, y0 = st->current_y;

	pen_cubic(df, data, st, x0 + 2.0f / 3 * (cx - x0), y0 + 2.0f / 3 * (cy - y0),
	    x + 2.0f / 3 * (cx - x), y + 2.0f / 3 * (cy - y), x, y, u);
}

static void
pen_close(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st, void *u)
{
	struct outline_pen *pen = data;

	(void)df, (void)st, (void)u;
	pen->emit(pen->arg, DRAW_OUTLINE_CLOSE, NULL);
}

static void
measurer_outline(void *ctx, const char *utf8, double size, enum draw_font font,
    draw_outline_fn emit, void *arg)
{
	const struct font_set *fs = ctx;
	hb_draw_funcs_t *df = hb_draw_funcs_create();
	struct outline_pen pen = {emit, arg, 0, 0, 0};
	struct text_line tl;
	size_t r, g;

	hb_draw_funcs_set_move_to_func(df, pen_move, NULL, NULL);
	hb_draw_funcs_set_line_to_func(df, pen_line, NULL, NULL);
	hb_draw_funcs_set_quadratic_to_func(df, pen_quad, NULL, NULL);
	hb_draw_funcs_set_cubic_to_func(df, pen_cubic, NULL, NULL);
	hb_draw_funcs_set_close_path_func(df, pen_close, NULL, NULL);
	text_line_set(&tl, fs, draw_style(font), size, utf8, NULL);
	for (r = 0; r < tl.n_runs; r++) {
		const struct text_run *t = &tl.runs[r];
		const struct font *f = &fs->faces[t->face];
		double em = t->size / 1000.0;
		if (f->hb == NULL || f->units_per_em == 0)
			continue;
		for (g = 0; g < t->n_g; g++) {
			const struct text_glyph *gl = &t->g[g];
			double x0 = pen.x;
			pen.scale = t->size / f->units_per_em;
			pen.x = x0 + gl->dx * em;
			pen.y = -gl->dy * em;
			hb_font_get_glyph_shape(f->hb, gl->gid, df, &pen);
			pen.x = x0 + gl->adv * em;
		}
	}
	text_line_clear(&tl);
	hb_draw_funcs_destroy(df);
}

struct text_measurer
font_set_measurer(const struct font_set *fs)
{
	struct text_measurer m;
	const struct font *r = &fs->faces[fs->style_face[FONT_SANS]];

	m.width = measurer_width;
	m.outline = measurer_outline;
	m.ascent = r->ascent;
	m.descent = r->descent;
	/* The measurer interface takes a mutable context; we never write it. */
	m.ctx = (void *)(uintptr_t)fs;
	return m;
}
