/*
 * md_escape: the Markdown escaper for untrusted text.  Input: a
 * NUL-terminated string, possibly invalid UTF-8, possibly hostile.  Output:
 * bytes appended to a struct buf that md4c parses back to the same visible
 * text.  Works on code points (util.h decodes them); it knows
 * nothing of md4c (which only the Markdown reader and the tests include).
 */
#include "tmpl/md_escape.h"

#include <stdint.h>
#include <string.h>

/* Characters used to hide or reorder text: dropped (the joiners stay:
 * they spell Persian and Indic names). */
static int
is_hiding(int32_t cp)
{
	return unicode_invisible(cp);
}

/* Characters that would break the line or the layout: become a space. */
static int
is_spacing_control(int32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    cp == 0x2028 || cp == 0x2029;
}

/* ASCII punctuation: every character CommonMark lets a backslash escape. */
static int
is_ascii_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko...). */
static int
is_rtl_letter(int32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
	    (cp >= 0xFE70 && cp <= 0xFEFC) || (cp >= 0x10800 && cp <= 0x10FFF) ||
	    (cp >= 0x1E800 && cp <= 0x1EFFF);
}

void
md_escape_inline(struct buf *out, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	const unsigned char *end = s + strlen(utf8);
	size_t spaces = 0;      /* spaces held back until something follows */
	int started = 0;        /* leading spaces are dropped */
	size_t start = out->len;
	int rtl = 0;

	buf_grow(out, (size_t)(end - s) + 16);
	while (*s != '\0') {
		/* Fast path: a run of letters, digits and other plain ASCII. */
		if (*s > ' ' && *s < 0x7F && !is_ascii_punct(*s)) {
			const unsigned char *run = s;
			while (*s > ' ' && *s < 0x7F && !is_ascii_punct(*s))
				s++;
			for (; spaces > 0; spaces--)
				buf_putc(out, ' ');
			started = 1;
			buf_put(out, run, (size_t)(s - run));
			continue;
		}

		size_t n;
		int32_t cp = utf8_decode(s, (size_t)(end - s), &n);
		const unsigned char *seq = s;

		s += n;
		if (cp >= 0 && is_hiding(cp))
			continue;
		if (cp == ' ' || (cp >= 0 && is_spacing_control(cp))) {
			if (started)
				spaces++;
			continue;
		}
		for (; spaces > 0; spaces--)
			buf_putc(out, ' ');
		started = 1;
		if (cp >= 0 && is_rtl_letter(cp))
			rtl = 1;
		if (cp < 0)
			buf_put(out, "\xEF\xBF\xBD", 3);
		else if (cp < 0x80 && is_ascii_punct((unsigned char)cp)) {
			char esc[2] = { '\\', (char)cp };
			buf_put(out, esc, 2);
		} else
			buf_put(out, seq, n);
	}
	if (rtl) {
		/* A first-strong isolate, so the text around keeps its own direction. */
		size_t len = out->len - start;
		buf_grow(out, 6);
		memmove(out->data + start + 3, out->data + start, len);
		memcpy(out->data + start, "\xE2\x81\xA8", 3);
		out->len += 3;
		buf_put(out, "\xE2\x81\xA9", 3);
	}
}
