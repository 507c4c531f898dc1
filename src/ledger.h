/*
 * ledger: reading and validating a Design Ledger file (spec section 1).
 * The result is the plain struct ledger of audit.h.
 */
#ifndef ARCHAUDIT_LEDGER_H
#define ARCHAUDIT_LEDGER_H

#include <stddef.h>

#include "audit.h"
#include "util.h"

#define LEDGER_DEFAULT_MAX_BYTES ((size_t)16 << 20)  /* 16 MiB */

/*
 * Read path ("-" = standard input) into out, refusing more than max_bytes.
 * Returns 0, or -1 with an error naming the file in errs.
 */
int ledger_read_file(const char *path, size_t max_bytes, struct buf *out,
    struct diag_list *errs);

/*
 * Validate the JSON text of one ledger.  Returns a new ledger (caller frees
 * with ledger_free) with warnings and notes in its diags, or NULL with a
 * fatal error ("source:line:col" and a caret line) in errs.
 */
struct ledger *ledger_parse(const char *source, const char *text, size_t len,
    struct diag_list *errs);

/* ledger_read_file then ledger_parse. */
struct ledger *ledger_load(const char *path, size_t max_bytes,
    struct diag_list *errs);

#endif
