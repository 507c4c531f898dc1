/*
 * md_escape: the Markdown escaper for untrusted text.  Input: a
 * NUL-terminated string, possibly invalid UTF-8, possibly hostile.  Output:
 * bytes appended to a struct buf that md4c parses back to the same visible
 * text.  Works on code points, so it must decode UTF-8 itself; it knows
 * nothing of md4c (which only the Markdown reader and the tests include).
 */
#include "md_escape.h"

#include <stdint.h>
#include <string.h>

/*
 * Decode one code point at s (at least one byte before the NUL).  Sets *n to
 * the bytes used; returns -1 for an ill-formed sequence, in which case *n
 * is the length of its maximal subpart (Unicode 3.9, "substitution of
 * maximal subparts"), so each bad run becomes one U+FFFD.
 */
static int32_t
utf8_decode(const unsigned char *s, size_t *n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	int need;
	int32_t cp;

	*n = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;      /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else
		return -1;
	for (int i = 1; i <= need; i++) {
		unsigned char d = s[i];
		if (d < lo || d > hi)
			return -1;      /* *n covers the valid prefix; NUL stops here too */
		lo = 0x80;
		hi = 0xBF;
		cp = (cp << 6) | (d & 0x3F);
		*n = (size_t)i + 1;
	}
	return cp;
}

/* Characters used to hide or reorder text: dropped. */
static int
is_hiding(int32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) ||   /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	    (cp >= 0x202A && cp <= 0x202E) ||       /* bidi embeddings, overrides */
	    (cp >= 0x2060 && cp <= 0x2064) ||       /* word joiner, invisible operators */
	    (cp >= 0x2066 && cp <= 0x2069) ||       /* bidi isolates */
	    cp == 0x061C || cp == 0xFEFF ||
	    (cp >= 0xE0000 && cp <= 0xE007F);       /* tag characters */
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

void
md_escape_inline(struct buf *out, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t spaces = 0;      /* spaces held back until something follows */
	int started = 0;        /* leading spaces are dropped */

	buf_grow(out, strlen(utf8) + 16);
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
		int32_t cp = utf8_decode(s, &n);
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
		if (cp < 0)
			buf_put(out, "\xEF\xBF\xBD", 3);
		else if (cp < 0x80 && is_ascii_punct((unsigned char)cp)) {
			char esc[2] = { '\\', (char)cp };
			buf_put(out, esc, 2);
		} else
			buf_put(out, seq, n);
	}
}
