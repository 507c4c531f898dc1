/* icu: ICU's functions through dlopen (icu.h says why). */
#include "base/icu.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uvernum.h>

/* The name after macro expansion: ICU_NAME(ubrk_open) is "ubrk_open_72". */
#define ICU_STR(x) #x
#define ICU_NAME(x) ICU_STR(x)
#define ICU_UC_SONAME "libicuuc.so." ICU_NAME(U_ICU_VERSION_MAJOR_NUM)

static bool
load(void *h, const char *name, void *fn, size_t size, char *why, size_t why_size)
{
	void *sym = dlsym(h, name);

	if (sym == NULL) {
		snprintf(why, why_size, "ICU (%s) lacks %s", ICU_UC_SONAME, name);
		return false;
	}
	memcpy(fn, &sym, size);
	return true;
}

const struct icu *
icu_get(const char **why)
{
	static struct icu fns;
	static int state;       /* 0: not tried, 1: loaded, -1: failed */
	static char fail[512];
	void *h;

	if (state == 0) {
		state = -1;
		h = dlopen(ICU_UC_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			snprintf(fail, sizeof fail, "ICU (%s) cannot be loaded: %s", ICU_UC_SONAME,
			    dlerror());
#define ICU_LOAD(member, f) load(h, ICU_NAME(f), &fns.member, sizeof fns.member, fail, sizeof fail)
		else if (ICU_LOAD(brk_open, ubrk_open) && ICU_LOAD(brk_following, ubrk_following) &&
		    ICU_LOAD(brk_close, ubrk_close) &&
		    ICU_LOAD(nfkc_casefold, unorm2_getNFKCCasefoldInstance) &&
		    ICU_LOAD(normalize, unorm2_normalize) &&
		    ICU_LOAD(from_utf8, u_strFromUTF8WithSub) && ICU_LOAD(to_utf8, u_strToUTF8WithSub))
			state = 1;
#undef ICU_LOAD
	}
	if (state < 0 && why != NULL)
		*why = fail;
	return state > 0 ? &fns : NULL;
}
