/*
 * Where the tests' input data lives: tests/data/ of the repository (the
 * conformance vectors, the engine samples, the grid census, the example
 * ledgers and the Mustache spec, copied from the course's shared folder),
 * or the folder ARCHAUDIT_SHARED names when it is set (`make SHARED=DIR`:
 * a newer copy of the course's folder, with the same layout).  Paths are
 * relative to the repository root, where the tests run.
 */
#ifndef ARCHAUDIT_TESTDATA_H
#define ARCHAUDIT_TESTDATA_H

#include <stdlib.h>

#include "base/util.h"

static inline const char *
test_data_dir(void)
{
	const char *d = getenv("ARCHAUDIT_SHARED");

	return d != NULL && *d != '\0' ? d : "tests/data";
}

/* test_data_dir()/REL; caller frees. */
static inline char *
test_data_path(const char *rel)
{
	return xasprintf("%s/%s", test_data_dir(), rel);
}

#endif
