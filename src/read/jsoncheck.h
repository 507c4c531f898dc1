/*
 * jsoncheck: a strict JSON syntax checker that finds the exact place and
 * reason of the first error, for messages a student can act on.  cJSON
 * parses; when it refuses a file, this says where and why, and
 * jsoncheck_report formats "file:line:col: error: ..." with the line and a
 * caret under the column (columns count characters, not bytes).
 */
#ifndef ARCHAUDIT_JSONCHECK_H
#define ARCHAUDIT_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

#define JSONCHECK_MAX_DEPTH 512

/*
 * true when text[0..len) is one valid JSON value (surrounded by white
 * space, after an optional UTF-8 byte-order mark).  Otherwise *off is the
 * byte offset of the error, *msg a static sentence saying what is wrong and
 * *id its message id ("json.unterminated-string"), for jsoncheck_report.
 */
bool jsoncheck(const char *text, size_t len, size_t *off, const char **id,
    const char **msg);

/*
 * jsoncheck for a file written by Python's json.dump, which writes a
 * non-finite float as the bare word NaN, Infinity or -Infinity: those three
 * are accepted as values, and *n_nonfinite says how many there were.
 * Everything else is as strict as jsoncheck.
 */
bool jsoncheck_python(const char *text, size_t len, size_t *n_nonfinite,
    size_t *off, const char **id, const char **msg);

/* Add the error id at byte offset off of text as "name:line:col" to errs. */
void jsoncheck_report(struct diag_list *errs, const char *id, const char *name,
    const char *text, size_t len, size_t off, const char *msg);

#endif
