/*
 * datadir: where the report templates are (audit.md, class.md,
 * partials/), so that the program works from any folder, installed or
 * not.  No foreign library types.
 */
#ifndef ARCHAUDIT_DATADIR_H
#define ARCHAUDIT_DATADIR_H

#include "base/util.h"

/* The environment variable that names a templates folder (like -t). */
#define DATADIR_ENV "ARCHAUDIT_TEMPLATES"

/*
 * The templates folder, in this order:
 *   1. given (the -t option), as it is;
 *   2. $ARCHAUDIT_TEMPLATES when set and not empty (an error if it holds
 *      no audit.md);
 *   3. the first of these that holds audit.md, exe being the folder of the
 *      running program (/proc/self/exe):
 *      exe/../share/archaudit/templates (an installed or unpacked tree),
 *      exe/../templates (the build tree: build/archaudit),
 *      compiled/templates (the data folder of the build, e.g.
 *      /usr/local/share/archaudit; NULL to skip).
 * A given folder is not checked here: opening its audit.md reports what
 * is wrong with it.  Returns the folder (caller frees), or
 * NULL with an error in dl that names every place looked and -t.
 */
char *datadir_templates(const char *given, const char *compiled,
    struct diag_list *dl);

#endif
