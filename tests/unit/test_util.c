/*
 * util, jsonw, sha256: the small shared pieces, against known answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/icu.h"
#include "base/jsonw.h"
#include "base/sha256.h"
#include "base/unifold.h"
#include "base/util.h"

static void
test_sha256_known_answers(void **state)
{
	(void)state;
	char hex[65];
	sha256_hex("", 0, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	sha256_hex(million, 1000000, hex);
	assert_string_equal(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void
test_fmt_double_shortest_round_trip(void **state)
{
	(void)state;
	struct { double v; const char *s; } cases[] = {
		{ 0.975, "0.975" }, { 16.0, "16.0" }, { 1945.6, "1945.6" },
		{ 66.66666666666666, "66.66666666666666" },
		{ 1.1111111111111112e-05, "1.1111111111111112e-05" },
		{ 0.9099999999999999, "0.9099999999999999" }, { -0.0, "-0.0" },
	};
	char out[32];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fmt_double(out, cases[i].v);
		assert_string_equal(out, cases[i].s);
		assert_true(strtod(out, NULL) == cases[i].v);
	}
}

/* One display rounding for text, charts and the gradebook: half away from
 * zero, where printf's "%.1f" gives 81.2 for 81.25 (an exact binary half). */
static void
test_display_rounding_is_half_away_from_zero(void **state)
{
	(void)state;
	struct { double v; int prec; const char *s; } cases[] = {
		{ 0.8125 * 100, 1, "81.3" }, { 96.5, 0, "97" }, { 2.5, 0, "3" },
		{ -2.5, 0, "-3" }, { -0.04, 1, "0.0" }, { -0.0, 0, "0" },
		{ 0.125, 2, "0.13" }, { 66.66666666666667, 1, "66.7" },
		{ 5.5555555555555555e-06, 9, "0.000005556" }, { 1e300, 1, NULL },
	};
	char out[400];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fmt_fixed(out, sizeof out, cases[i].v, cases[i].prec);
		if (cases[i].s != NULL)
			assert_string_equal(out, cases[i].s);
		else
			assert_true(strtod(out, NULL) == cases[i].v);
	}
}

/* The one JSON string escaper, with and without a cut. */
static void
test_json_quote(void **state)
{
	(void)state;
	struct { const char *in; size_t limit; const char *out; } cases[] = {
		{ "plain", SIZE_MAX, "\"plain\"" },
		{ "a\"b\\c\n\r\t\x01\x7f", SIZE_MAX, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f\"" },
		{ "caf\xc3\xa9 \xff", SIZE_MAX, "\"caf\xc3\xa9 \xef\xbf\xbd\"" },
		{ "abcdef", 4, "\"abcd...\"" },
		{ "abcd", 4, "\"abcd\"" },
		{ "ab\xc3\xa9\xc3\xa9", 4, "\"ab\xc3\xa9...\"" },     /* cut on a character */
		{ "ab\xc3\xa9\xc3\xa9", 3, "\"ab...\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b;
		buf_init(&b);
		json_quote(&b, cases[i].in, strlen(cases[i].in), cases[i].limit);
		assert_string_equal(b.data, cases[i].out);
		buf_free(&b);
	}
}

static void
test_utf8_sanitize(void **state)
{
	(void)state;
	struct { const char *in; size_t len; const char *out; } cases[] = {
		{ "plain", 5, "plain" },
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b" },
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd" },          /* overlong */
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "x\0y", 3, "x\xef\xbf\xbdy" },
		/* a truncated sequence is one maximal subpart: one U+FFFD */
		{ "\xe2\x82", 2, "\xef\xbf\xbd" },
		{ "\xf0\x9f\x98" "a", 4, "\xef\xbf\xbd" "a" },
		{ "\xf0\x9f\x98" "\xe2\x82" "\xff", 6, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", 4,                              /* above U+10FFFF */
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s = utf8_sanitize(cases[i].in, cases[i].len);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/*
 * A name from outside in a message: controls as "?", the invisible
 * characters dropped as everywhere a student's string leaves the body,
 * the joiners kept (they spell names), bad bytes as U+FFFD.
 */
static void
test_utf8_printable(void **state)
{
	(void)state;
	struct { const char *in, *out; } cases[] = {
		{ "ada_lovelace.json", "ada_lovelace.json" },
		{ "a\tb\x1b[2Jc\x7f", "a?b?[2Jc?" },
		{ "c1\xc2\x85" "x", "c1?x" },                          /* U+0085 */
		{ "evil\xe2\x80\xae" "cod.exe", "evilcod.exe" },       /* U+202E */
		{ "\xe2\x81\xa6" "x\xe2\x81\xa9", "x" },              /* U+2066, U+2069 */
		{ "zw\xe2\x80\x8bsp\xef\xbb\xbf", "zwsp" },           /* U+200B, U+FEFF */
		{ "\xd9\x85\xe2\x80\x8c\xd9\x86", "\xd9\x85\xe2\x80\x8c\xd9\x86" }, /* ZWNJ */
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s = utf8_printable(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void
test_json_writer(void **state)
{
	(void)state;
	struct buf b;
	struct jsonw w;
	buf_init(&b);
	jw_init(&w, &b, 0);
	jw_object_begin(&w);
	jw_key(&w, "a");
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_double(&w, 0.5);
	jw_string(&w, "q\"\\\n\x01");
	jw_null(&w);
	jw_array_end(&w);
	jw_key(&w, "e");
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_object_end(&w);
	assert_string_equal(b.data,
	    "{\"a\":[1,0.5,\"q\\\"\\\\\\n\\u0001\",null],\"e\":{}}");
	buf_free(&b);
}

/* JSON has no NaN or infinity: every output writes Python's words as strings. */
static void
test_json_writer_nonfinite_as_strings(void **state)
{
	(void)state;
	struct buf b;
	struct jsonw w;
	buf_init(&b);
	jw_init(&w, &b, 0);
	jw_array_begin(&w);
	jw_double(&w, NAN);
	jw_double(&w, INFINITY);
	jw_double(&w, -INFINITY);
	jw_double(&w, 1e300 * 1e300);
	jw_array_end(&w);
	assert_string_equal(b.data, "[\"NaN\",\"Infinity\",\"-Infinity\",\"Infinity\"]");
	buf_free(&b);
}

static void
test_diag_list_caps_and_formats(void **state)
{
	(void)state;
	struct diag_list dl;
	struct buf b;
	diag_init(&dl);
	dl.max = 2;
	diag_add(&dl, DIAG_WARNING, "test.odd", "f.json", "history[%d]: odd", 3);
	diag_add(&dl, DIAG_NOTE, "test.fine", NULL, "fine");
	diag_add(&dl, DIAG_ERROR, "test.lost", "f.json", "lost");
	assert_int_equal(dl.n, 2);
	assert_int_equal(dl.dropped, 1);
	buf_init(&b);
	diag_format(&dl.items[0], &b);
	assert_string_equal(b.data, "f.json: warning: history[3]: odd");
	buf_reset(&b);
	diag_format(&dl.items[1], &b);
	assert_string_equal(b.data, "note: fine");
	buf_reset(&b);
	diag_format_id(&dl.items[0], &b);
	assert_string_equal(b.data, "f.json: warning: history[3]: odd [test.odd]");
	buf_free(&b);
	/* the dropped error still counts */
	assert_int_equal(diag_worst(&dl), DIAG_ERROR);
	diag_free(&dl);
	assert_int_equal(diag_worst(&dl), DIAG_NONE);
}

/*
 * A student's name in a message reaches a terminal: a right-to-left
 * override (U+202E) would show "evil\u202Efdp.exe" as "evilexe.pdf"
 * and turn the rest of the line around.  Bidirectional and C1 controls
 * are written as <U+XXXX>, control bytes as '?'; the message keeps its
 * line breaks and the tabs of a caret line; other text is unchanged.
 */
static void
test_diag_format_quotes_untrusted_text(void **state)
{
	struct diag_list dl;
	struct buf b;

	(void)state;
	diag_init(&dl);
	diag_add(&dl, DIAG_WARNING, "test.bidi", "class/a\xe2\x80\xae" "b.json",
	    "the name \"Eve\xe2\x80\xaeliA\xe2\x81\xa6\" has \x1b[31m red, "
	    "\xc2\x85 next line, \xe2\x80\x8f mark; caf\xc3\xa9 \xd7\xa9\xd7\x9c\n\t^");
	buf_init(&b);
	diag_format(&dl.items[0], &b);
	assert_string_equal(b.data, "class/a<U+202E>b.json: warning: the name "
	    "\"Eve<U+202E>liA<U+2066>\" has ?[31m red, <U+0085> next line, "
	    "<U+200F> mark; caf\xc3\xa9 \xd7\xa9\xd7\x9c\n\t^");
	assert_int_equal(diag_worst(&dl), DIAG_WARNING);
	buf_free(&b);
	diag_free(&dl);
}

/* ICU's own NFKC_Casefold of s (the oracle), through the same table. */
static char *
icu_casefold(const char *s)
{
	const struct icu *icu = icu_get(NULL);
	UErrorCode err = U_ZERO_ERROR;
	UChar in[256], out[1024];
	int32_t n16 = 0, got, n8 = 0;
	static char res[1024];

	assert_non_null(icu);
	icu->from_utf8(in, 256, &n16, s, (int32_t)strlen(s), 0xFFFD, NULL, &err);
	got = icu->normalize(icu->nfkc_casefold(&err), in, n16, out, 1024, &err);
	icu->to_utf8(res, sizeof res, &n8, out, got, 0xFFFD, NULL, &err);
	assert_true(U_SUCCESS(err));
	return res;
}

/* unifold_key skips ICU for ASCII: it must give what ICU gives, for every
 * ASCII character; and ICU is loaded, and folds, for the rest. */
static void
test_unifold_ascii_as_icu_does(void **state)
{
	char all[128], *k;
	const char *other[] = {"Zo\xc3\xab", "Zoe\xcc\x88", "B\xc3\x96" "b\xc2\xad" "by", "\xef\xbc\xa1" "nn"};
	size_t i;

	(void)state;
	for (i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	k = unifold_key(all);
	assert_string_equal(k, icu_casefold(all));
	assert_int_equal(strlen(k), 127);
	free(k);
	for (i = 0; i < sizeof other / sizeof *other; i++) {
		k = unifold_key(other[i]);
		assert_string_equal(k, icu_casefold(other[i]));
		free(k);
	}
	k = unifold_key("Zoe\xcc\x88");
	assert_string_equal(k, "zo\xc3\xab");       /* NFD and NFC, one key */
	free(k);
	k = unifold_key("\xef\xbc\xa1" "nn");        /* fullwidth A */
	assert_string_equal(k, "ann");
	free(k);
}

/* path_real(p) is what realpath(p, NULL) is, asked in turn. */
static void
check_as_realpath(const char *p)
{
	char *want = realpath(p, NULL), *got = path_real(p);

	if (want == NULL) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(want);
	free(got);
}

/*
 * path_real against libc's realpath over files, links to files and
 * folders, missing and dangling names, "." and "..", folders themselves,
 * relative and absolute paths, two folders in turn, and a folder that
 * becomes a link between two calls.
 */
static void
test_path_real_as_realpath(void **state)
{
	char tmpl[] = "/tmp/archaudit-pathreal-XXXXXX", cwd[4096], p[4200];
	const char *names[] = {
	    "a.json", "sub/b.json", "link.json", "dlink/b.json", "dangling", "missing.json",
	    "sub", "sub/", "dlink", ".", "..", "sub/.", "sub/..", "out/c.json", "a.json/x",
	    "sub//b.json", "./a.json", "sub/../a.json", "a.json", "sub/b.json", "dlink/b.json",
	};
	const char *dir = mkdtemp(tmpl);
	FILE *f;
	size_t i;

	(void)state;
	assert_non_null(dir);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(mkdir("sub", 0700), 0);
	assert_int_equal(mkdir("outside", 0700), 0);
	assert_int_equal(mkdir("d2", 0700), 0);
	for (i = 0; i < 4; i++) {
		const char *file[] = {"a.json", "sub/b.json", "outside/c.json", "d2/b.json"};
		assert_non_null(f = fopen(file[i], "w"));
		fclose(f);
	}
	assert_int_equal(symlink("a.json", "link.json"), 0);
	assert_int_equal(symlink("sub", "dlink"), 0);
	assert_int_equal(symlink("nowhere", "dangling"), 0);
	assert_int_equal(symlink("outside", "out"), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		check_as_realpath(names[i]);
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		check_as_realpath(p);
	}
	/* d2/ is known as a folder; then d2 becomes a link to sub */
	check_as_realpath("d2/b.json");
	check_as_realpath("d2");
	assert_int_equal(rename("d2", "d2old"), 0);
	assert_int_equal(symlink("sub", "d2"), 0);
	check_as_realpath("d2/b.json");
	check_as_realpath("d2");
	assert_int_equal(chdir(cwd), 0);
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

/*
 * heap_ready: a block below 1 MB afterwards comes from the heap, not a
 * map of its own, and its pages are resident before anything writes them
 * (populated by heap_ready, not faulted in).  Skipped where malloc is not
 * glibc's (AddressSanitizer, valgrind: mallinfo2 then counts no heap).
 */
static void
test_heap_ready_populates_and_keeps(void **state)
{
	(void)state;
#ifdef __SANITIZE_ADDRESS__
	skip();
#else
	struct mallinfo2 before, after;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 512u << 10, n, k;
	unsigned char *vec;
	uintptr_t lo;
	char *b;

	heap_ready(4u << 20);
	before = mallinfo2();
	if (before.arena == 0)
		skip();
	b = malloc(len);
	after = mallinfo2();
	assert_non_null(b);
	assert_int_equal(after.hblks, before.hblks);
	lo = ((uintptr_t)b + page - 1) & ~(uintptr_t)(page - 1);
	n = ((uintptr_t)b + len - lo) / page;
	vec = calloc(n, 1);
	assert_non_null(vec);
	assert_int_equal(mincore((void *)lo, n * page, vec), 0);
	for (k = 0; k < n; k++)
		assert_true(vec[k] & 1);
	free(vec);
	free(b);
#endif
}

#ifndef __SANITIZE_ADDRESS__
/* AnonHugePages of this process, KB; -1 when /proc does not say. */
static long
anon_huge_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}
#endif

/*
 * heap_ready asks for huge pages: 6 MB of heap hold at least two whole
 * aligned 2 MB ranges, and the kernel gives a huge page to each that asks
 * and has no small pages yet (the heap's top is given back first, as a
 * worker's parent does before the fork), unless transparent huge pages
 * are off ("[never]") or absent.  Skipped under AddressSanitizer, whose
 * malloc is not glibc's.
 */
static void
test_heap_ready_huge_pages(void **state)
{
	(void)state;
#ifdef __SANITIZE_ADDRESS__
	skip();
#else
	char mode[128] = "";
	long before = -1;
	FILE *f;

	if ((f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r")) != NULL) {
		if (fgets(mode, sizeof mode, f) == NULL)
			mode[0] = '\0';
		fclose(f);
	}
	if (strstr(mode, "[always]") == NULL && strstr(mode, "[madvise]") == NULL)
		skip();
	malloc_trim(0);
	if (mallinfo2().arena == 0 || (before = anon_huge_kb()) < 0)
		skip();
	heap_ready(6u << 20);
	assert_true(anon_huge_kb() - before >= 2048);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_known_answers),
		cmocka_unit_test(test_fmt_double_shortest_round_trip),
		cmocka_unit_test(test_display_rounding_is_half_away_from_zero),
		cmocka_unit_test(test_json_quote),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_utf8_printable),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_writer_nonfinite_as_strings),
		cmocka_unit_test(test_diag_list_caps_and_formats),
		cmocka_unit_test(test_diag_format_quotes_untrusted_text),
		cmocka_unit_test(test_unifold_ascii_as_icu_does),
		cmocka_unit_test(test_path_real_as_realpath),
		cmocka_unit_test(test_heap_ready_populates_and_keeps),
		cmocka_unit_test(test_heap_ready_huge_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
