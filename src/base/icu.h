/*
 * icu: the few ICU functions the program calls (line breaking in
 * layout/text.c, NFKC_Casefold in base/unifold.c), opened with dlopen on
 * first use instead of linked.  A run whose names and text are all ASCII
 * or spaced scripts never needs ICU, and linking it made every process
 * load libicuuc, libicudata and libstdc++ (4,300 symbol relocations; the
 * start of a one-report run, docs/perf.md).  ICU renames its symbols by
 * version (ubrk_open is ubrk_open_72), and so does this table's lookup,
 * from the headers the program is compiled with.
 */
#ifndef ARCHAUDIT_ICU_H
#define ARCHAUDIT_ICU_H

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct icu {
	__typeof__(ubrk_open) *brk_open;
	__typeof__(ubrk_following) *brk_following;
	__typeof__(ubrk_close) *brk_close;
	__typeof__(unorm2_getNFKCCasefoldInstance) *nfkc_casefold;
	__typeof__(unorm2_normalize) *normalize;
	__typeof__(u_strFromUTF8WithSub) *from_utf8;
	__typeof__(u_strToUTF8WithSub) *to_utf8;
};

/* ICU's functions, loaded once per process; NULL if the library cannot
 * be loaded (then *why, if why is not NULL, says why; static storage). */
const struct icu *icu_get(const char **why);

#endif
