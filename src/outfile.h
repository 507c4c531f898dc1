/*
 * outfile: writing a finished output file atomically.  The bytes go to a
 * temporary file in the same directory, are flushed to disk, and only then
 * renamed over the final name: a crash, a full disk or a signal never
 * leaves a truncated file under the final name, nor destroys an earlier one.
 */
#ifndef ARCHAUDIT_OUTFILE_H
#define ARCHAUDIT_OUTFILE_H

#include <stddef.h>

#include "util.h"

/* Returns 0, or -1 with an error naming path in errs (nothing left behind). */
int outfile_write(const char *path, const void *data, size_t len,
    struct diag_list *errs);

/* Create dir (and missing parents); 0 or -1 with an error in errs. */
int outfile_mkdirs(const char *dir, struct diag_list *errs);

#endif
