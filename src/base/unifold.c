/*
 * unifold: NFKC_Casefold of a UTF-8 string through ICU (unorm2).  Input: a
 * NUL-terminated string, possibly invalid UTF-8.  Output: a new UTF-8
 * string.  Includes unifold.h, util.h and ICU only.
 */
#include "base/unifold.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/icu.h"
#include "base/util.h"

static char *
ascii_folded(const char *s)
{
	char *k = xstrdup(s);
	for (char *p = k; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 'a' - 'A');
	return k;
}

/* NFKC_Casefold maps ASCII A-Z to a-z and keeps every other ASCII
 * character (none is a compatibility form or default-ignorable). */
static bool
all_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

char *
unifold_key(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	const struct icu *icu = all_ascii(s) ? NULL : icu_get(NULL);
	const UNormalizer2 *nf;
	size_t len = strlen(s);
	int32_t n16 = 0, cap, got, n8 = 0;
	UChar *in, *out;
	char *res;

	if (icu == NULL || len > INT32_MAX / 4)
		return ascii_folded(s);
	nf = icu->nfkc_casefold(&err);
	if (U_FAILURE(err))
		return ascii_folded(s);
	in = xcalloc(len + 1, sizeof *in);
	icu->from_utf8(in, (int32_t)len + 1, &n16, s, (int32_t)len, 0xFFFD, NULL, &err);
	if (U_FAILURE(err)) {
		free(in);
		return ascii_folded(s);
	}
	/* NFKC_Casefold grows a string at most 18 times (U+FDFA); try 3 first */
	cap = n16 * 3 + 16;
	out = xcalloc((size_t)cap, sizeof *out);
	got = icu->normalize(nf, in, n16, out, cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		free(out);
		cap = got + 1;
		out = xcalloc((size_t)cap, sizeof *out);
		err = U_ZERO_ERROR;
		got = icu->normalize(nf, in, n16, out, cap, &err);
	}
	free(in);
	if (U_FAILURE(err)) {
		free(out);
		return ascii_folded(s);
	}
	icu->to_utf8(NULL, 0, &n8, out, got, 0xFFFD, NULL, &err);
	err = U_ZERO_ERROR;
	res = xcalloc((size_t)n8 + 1, 1);
	icu->to_utf8(res, n8 + 1, &n8, out, got, 0xFFFD, NULL, &err);
	free(out);
	if (U_FAILURE(err)) {
		free(res);
		return ascii_folded(s);
	}
	return res;
}
