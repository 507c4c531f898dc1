/*
 * text: the text engine between characters and glyphs.  Faces are chosen
 * per character by script, then coverage (fontset.c); bidirectional
 * levels come from FriBidi (paragraph direction from the first strong
 * character); line-break opportunities for text without spaces (CJK,
 * Thai, Lao, Khmer, Myanmar) from ICU's line iterator; shaping from
 * HarfBuzz (default features, so kerning and ligatures are on; clusters
 * at the "monotone characters" level).  Words are shaped one at a time
 * and cached per process, so a report costs one hash lookup per word
 * once its words have been seen.  Layout (paragraphs), the PDF device and
 * the chart writers (single labels) all go through here, so a name is set
 * the same way everywhere.
 */
#ifndef ARCHAUDIT_TEXT_H
#define ARCHAUDIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout/font.h"

/* One character of a paragraph, in logical order. */
struct text_char {
	uint32_t cp;           /* as drawn: a character no face has becomes fs->replacement */
	int face;              /* index into font_set.faces */
	float size;            /* points */
	float adv;             /* points: its cluster's advance on the cluster's first character */
	unsigned style;        /* caller's flags: characters of different style share no run */
	unsigned off;          /* caller's byte offset */
	unsigned char level;   /* bidi embedding level, odd = right to left */
	unsigned char fstyle;  /* enum font_style asked for */
	bool missing;          /* no face had the character (cp is the replacement) */
	bool hidden;           /* a bidi control or other invisible character: not drawn */
	uint32_t orig;         /* the character as given */
};

/* One glyph of a run. */
struct text_glyph {
	uint32_t gid;          /* glyph id in the run's face */
	float adv, dx, dy;     /* 1/1000 em; dx, dy offsets from the pen (y up) */
	uint32_t cluster;      /* byte offset in the run's text of its cluster */
};

/* A run of one face and direction: glyphs in visual order. */
struct text_run {
	int face;
	bool rtl;
	float size;            /* points */
	unsigned style;        /* the characters' style flags */
	size_t first, end;     /* character range, logical order */
	char *text;            /* owned: the characters, logical order, UTF-8 */
	struct text_glyph *g;  /* owned */
	size_t n_g;
	double width;          /* points */
};

void *text_cache_new(void);
void text_cache_free(void *cache);

/*
 * Chooses faces for v[0..n) (cp, size, style and fstyle set): by script,
 * neutral characters and marks staying in the face of the character
 * before them when it has them.  A character no face has gets missing and
 * the replacement.  lang: BCP 47 tag for Han-only text, or NULL.
 */
void text_faces(const struct font_set *fs, struct text_char *v, size_t n, const char *lang);

/* Sets v[].level; returns the paragraph level (1 = right to left). */
int text_bidi(struct text_char *v, size_t n);

/* Sets v[].adv from the shaped runs of v[0..n). */
void text_measure(const struct font_set *fs, struct text_char *v, size_t n, const char *lang);

/*
 * brk[i] = 1 where a line may break before v[i] inside text written
 * without spaces (ICU's rules, never inside a cluster).  Returns false,
 * leaving brk alone, if v has no such text.
 */
bool text_breaks(const struct text_char *v, size_t n, const char *lang, unsigned char *brk);

/* The runs of line v[first..end) in visual order; caller frees with text_runs_free. */
size_t text_runs(const struct font_set *fs, const struct text_char *v, size_t first, size_t end,
    const char *lang, struct text_run **out);
void text_runs_free(struct text_run *r, size_t n);

/*
 * A stretch of characters written in a script that suggests a language
 * other than the template's: Arabic "ar", Hebrew "he", Devanagari "hi",
 * Thai "th", Greek "el", Cyrillic "ru", ...; for Chinese characters, kana
 * makes it "ja", Hangul "ko", Han alone han_lang ("zh-Hans" if NULL).
 * Latin letters end a stretch; spaces, digits and punctuation between two
 * characters of one stretch are in it.  Tagged PDF marks these (a Span or
 * element with /Lang) so a screen reader switches its voice.
 */
struct text_lang_span {
	size_t first, end;     /* character range */
	const char *lang;      /* static, or han_lang */
	size_t letters;        /* letters in it */
};
/* The stretches of v[0..n) (orig); *out is the caller's to free; *letters = letters in v. */
size_t text_lang_spans(const struct text_char *v, size_t n, const char *han_lang,
    struct text_lang_span **out, size_t *letters);
/* Whether cp is a letter (general category L*). */
bool text_is_letter(uint32_t cp);

/* One line of text set from UTF-8 (chart labels, metadata checks). */
struct text_line {
	struct text_run *runs; /* owned, visual order */
	size_t n_runs;
	double width;          /* points */
	size_t n_missing;      /* characters drawn as the replacement */
	uint32_t first_missing;
};
void text_line_set(struct text_line *tl, const struct font_set *fs, enum font_style style,
    double size, const char *utf8, const char *lang);
void text_line_clear(struct text_line *tl);

#endif
