/*
 * font: our own small OpenType reader (head, hhea, hmtx, OS/2, cmap formats
 * 4 and 12; single files and .ttc collections; glyf or CFF outlines) for
 * metrics and glyph coverage, each face also opened in HarfBuzz for
 * shaping (text.c), and the font set a report is typeset with
 * (fontset.c): the report's print faces, then a fallback chain chosen by
 * script.  Parsed once per process and passed around as a const pointer;
 * fallback faces are read the first time a character needs them.  Only
 * the Basic Multilingual Plane is mapped.  The file bytes are kept so
 * that the PDF device can embed subsets (font_subset.c, hb-subset).
 */
#ifndef ARCHAUDIT_FONT_H
#define ARCHAUDIT_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart/drawing.h"
#include "base/util.h"

/* The faces a document asks for; fallbacks are found per character. */
/*
 * The faces a document asks for; fallbacks are found per character.  The
 * prose is a serif with true bold, italic and bold italic; tables and
 * charts are a sans; equations and code are a monospace.
 */
enum font_style {
	FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_MONO,
	FONT_SANS, FONT_SANS_BOLD, FONT_SANS_ITALIC, FONT_N_STYLES
};

/* The TrueType tables a subset is made of (font_subset.c). */
enum font_table {
	FONT_TAB_HEAD, FONT_TAB_HHEA, FONT_TAB_MAXP, FONT_TAB_HMTX, FONT_TAB_LOCA, FONT_TAB_GLYF,
	FONT_TAB_CVT, FONT_TAB_FPGM, FONT_TAB_PREP, FONT_N_TABS
};

struct font {
	char *path;            /* owned; the font file */
	unsigned index;        /* face in a .ttc collection, else 0 */
	int state;             /* fallbacks: 0 not read yet, 1 ready, -1 absent or bad */
	bool cff;              /* CFF outlines (embedded as CIDFontType0C), else glyf */
	void *hb;              /* hb_font_t, owned */
	void *hb_subset;       /* hb_face_t, owned; a CFF face's tables hb-subset needs */
	char *name;            /* owned; short name for dumps ("DejaVuSans-Bold") */
	unsigned units_per_em;
	double ascent;         /* em fractions, positive up (hhea) */
	double descent;        /* em fractions, positive down */
	double line_gap;       /* em fractions */
	double cap_height;     /* em fractions (OS/2, or estimated) */
	double x_height;       /* em fractions */
	uint16_t *cmap[256];   /* owned; the BMP's glyph ids in pages of 256 code points
	                          (page c >> 8, NULL where the font maps none), 0 = not covered */
	uint32_t (*astral)[3]; /* owned; cmap 12 groups above U+FFFF: first, last, glyph */
	size_t n_astral;       /*   of first, sorted by first */
	unsigned n_glyphs;
	/* For embedding; read by font_subset and the PDF device. */
	unsigned char *data;   /* owned; the whole file, mapped read-only when map_len > 0 */
	size_t data_len;       /* bytes */
	size_t map_len;        /* bytes mapped, or 0: data was read into memory */
	size_t outline_off, outline_len; /* bytes of the file: a CFF face's glyph
	                          programs (the CharStrings' data), else 0, 0 */
	unsigned subsets_cut;  /* CFF subsets since those pages were let go of */
	size_t tab_off[FONT_N_TABS], tab_len[FONT_N_TABS]; /* bytes; 0, 0 = absent */
	bool loca_long;        /* head.indexToLocFormat = 1 */
	unsigned n_hmetrics;   /* hhea.numberOfHMetrics */
	int bbox[4];           /* head xMin yMin xMax yMax, font units */
	double italic_angle;   /* degrees, counter-clockwise (post) */
	bool fixed_pitch;      /* post.isFixedPitch */
};

struct font_set {
	struct font *faces;    /* owned; [0..FONT_N_STYLES) are the styles, then fallbacks */
	size_t n_faces;
	int style_face[FONT_N_STYLES]; /* face index per style */
	uint32_t replacement;  /* drawn for characters no face has (U+FFFD or '?') */
	const char *han_lang;  /* BCP 47 language for Han-only text: "zh-Hans" unless set */
	void *cache;           /* owned; text.c's shaping cache (per process) */
	void *shape_cache;     /* owned; the layout's cache of shaped paragraphs (layout_cache.c) */
};

/*
 * Loads the print faces (Noto Serif, Noto Sans, Noto Sans Mono) from dir
 * (NULL: /usr/share/fonts/truetype/noto, or $ARCHAUDIT_FONT_DIR) and lists
 * the fallbacks (fonts-noto-core, fonts-noto-cjk; read when first needed).
 * Returns NULL after adding an error to dl if a print face is missing or
 * bad.  Caller frees with font_set_free.
 */
struct font_set *font_set_new(const char *dir, struct diag_list *dl);
/* layout_cache.c's, made and freed with the font set. */
void *lay_cache_new(void);
void lay_cache_free(void *cache);
/* How many times the cache has been swept or emptied (for the tests). */
unsigned long lay_cache_sweeps(const void *cache);
/* font_set_width through the cache (exact: a label's width depends on nothing else). */
double lay_cache_width(void *cache, const struct font_set *fs, enum font_style style,
    const char *utf8, double size);
void font_set_free(struct font_set *fs);

/* Reads face index of one font file; false with a message in dl on failure. */
bool font_load(struct font *f, const char *path, unsigned index, struct diag_list *dl);
void font_clear(struct font *f);
/*
 * Lets go of the pages of f's glyph programs when its file is mapped and
 * its outlines are CFF: a CJK collection's 65,535 glyphs fill 23 MB, of
 * which each name reads a few scattered 64 KB windows (the kernel maps
 * the pages around a fault).  The pages stay in the page cache and are
 * mapped again when read; the tables that every subset reads (the
 * CharStrings' offsets among them) are kept.
 */
void font_drop_pages(const struct font *f);
/*
 * The PDF device has cut a CFF subset of f: every FONT_DROP_EVERY-th
 * time, font_drop_pages.  So a batch worker holds what its last few
 * reports read of each collection, not every glyph the class's names
 * have drawn so far, and a face's glyph windows are faulted in again
 * once in so many reports, not in every one (a fault costs 80 us on
 * some guests; docs/perf.md, session 13).
 */
#define FONT_DROP_EVERY 8
void font_subset_cut(const struct font *f);

/* cp's advance from hmtx, 1/1000 em truncated as libharu does; 0 = not covered. */
unsigned font_advance(const struct font *f, uint32_t cp);
/* The font's cmap glyph for cp (any code point), 0 = none. */
unsigned font_glyph(const struct font *f, uint32_t cp);
bool font_covers(const struct font *f, uint32_t cp);

/* The sans style a chart label in font is set in. */
enum font_style font_draw_style(enum draw_font font);

/*
 * The face that draws cp when style is asked for: the style's face for
 * Latin, Greek, Cyrillic and common characters it covers; else the
 * fallback for cp's script (CJK: the face for lang, a BCP 47 tag or NULL
 * for fs->han_lang; kana is always Japanese, Hangul Korean); else the
 * first face that covers it.  -1 if none does.
 */
int font_set_pick(const struct font_set *fs, enum font_style style, uint32_t cp);
int font_set_pick_lang(const struct font_set *fs, enum font_style style, uint32_t cp,
    const char *lang);

/* Whether face i of fs is read and usable (reads a fallback on first use). */
bool font_set_ready(const struct font_set *fs, int i);

/* The style with bold and/or italic added to (or taken from) base. */
enum font_style font_style_with(enum font_style base, bool bold, bool italic);

/*
 * Appends to out a TrueType font program (glyf, loca, hmtx and the tables
 * a rasteriser needs, hinting left out; no cmap use) holding glyph gids[i] of
 * f as glyph i, then the components of its composite glyphs, renumbered.
 * gids[0] should be 0 (.notdef); ids beyond f->n_glyphs are drawn empty.
 * A glyph may appear more than once.  Returns the subset's glyph count.
 */
size_t font_subset(const struct font *f, const uint16_t *gids, size_t n, struct buf *out);

/* Decodes one UTF-8 sequence at *s (advancing it); U+FFFD for each
 * maximal subpart of bad input (utf8_decode in util.h). */
uint32_t font_utf8_next(const char **s, const char *end);
/* Appends cp as UTF-8. */
void font_utf8_put(struct buf *b, uint32_t cp);

/*
 * Width in points of utf8 at size in style, shaped (text.c) with the
 * faces of the fallback chain (missing characters measured as the
 * replacement).
 */
double font_set_width(const struct font_set *fs, enum font_style style, const char *utf8,
    double size);

/* A text_measurer (drawing.h) backed by fs; fs must outlive it. */
struct text_measurer font_set_measurer(const struct font_set *fs);

#endif
