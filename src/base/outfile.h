/*
 * outfile: writing a finished output file atomically.  The bytes go to a
 * temporary file in the same directory, are flushed to disk, and only then
 * renamed over the final name: a crash, a full disk or a signal never
 * leaves a truncated file under the final name, nor destroys an earlier one.
 */
#ifndef ARCHAUDIT_OUTFILE_H
#define ARCHAUDIT_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/util.h"

/* Returns 0, or -1 with an error naming path in errs (nothing left behind). */
int outfile_write(const char *path, const void *data, size_t len,
    struct diag_list *errs);

/*
 * The same in two steps, so that many files share one synchronisation:
 * outfile_write_temp writes the bytes to a temporary file beside path, not
 * yet synced, named after process owner (the one that will rename it; 0:
 * this one), with its name in *tmp (caller frees); outfile_commit_temps makes n such
 * files durable (one syncfs for them all; fsync for one file) and only
 * then renames each over its final name, so a crash leaves a temporary
 * file, never a broken file under a final name.  ok[i] tells which were
 * committed; a failed one has an error naming path[i] in errs and its
 * temporary file removed.  Returns the number committed.
 */
int outfile_write_temp(const char *path, const void *data, size_t len, long owner,
    char **tmp, struct diag_list *errs);
size_t outfile_commit_temps(char *const *tmp, char *const *path, size_t n, bool *ok,
    struct diag_list *errs);

/*
 * The same, for a file written bit by bit (a CSV streamed row by row):
 * outfile_open creates a temporary file beside path and returns it open for writing,
 * with its name in *tmp (caller frees); outfile_commit flushes, syncs,
 * closes and renames it over path; outfile_abort closes and removes it.
 * NULL / -1 with an error naming path in errs.
 */
FILE *outfile_open(const char *path, char **tmp, struct diag_list *errs);
int outfile_commit(FILE *f, const char *tmp, const char *path,
    struct diag_list *errs);
void outfile_abort(FILE *f, const char *tmp);

/*
 * Temporary names.  PATH.tmp.PID.HOST.XXXXXX: the process that writes it
 * and 8 hex digits of its host's name, so that a later run (or a second
 * run on the same folder) removes only the files of writers that are
 * gone.  outfile_temp_template gives the mkstemp template (caller frees).
 */
char *outfile_temp_template(const char *path);

/*
 * Is name (a directory entry) a temporary file of outfile_write or
 * outfile_open?  On true, *stem_len is the length of the final name it
 * was meant for ("a.pdf.tmp.4242.0badf00d.Ab12Cd" -> 5), *pid and *host
 * its writer's (-1 and 0 for an older archaudit's "a.pdf.tmp.Ab12Cd").
 */
bool outfile_temp_parse(const char *name, size_t *stem_len, long *pid,
    unsigned long *host);
bool outfile_is_temp(const char *name, size_t *stem_len);

/*
 * Is the temporary file name in dir left by a writer that is gone: on
 * this host, its process no longer exists; written elsewhere or without a
 * process id, it has not changed for a day?  A live run's files never are.
 */
bool outfile_temp_is_stale(const char *dir, const char *name);

/* Remove the stale temporary files of the final name path; the count. */
size_t outfile_remove_stale_temps(const char *path);

/* Remove the temporary files of path written by process pid of this host
 * (a worker that was killed or died). */
void outfile_remove_temps_of(const char *path, long pid);

/*
 * A file name (one path component) for a person's name: UTF-8 letters
 * and spaces kept; "/", "\", control characters and : * ? " < > |
 * become "_"; bidi and zero-width marks are dropped; no leading "." or
 * space, no trailing space or "."; at most max bytes, cut on a character
 * boundary; "student" if nothing is left.  Caller frees.
 */
char *outfile_safe_name(const char *name, size_t max);

/*
 * Is path a whole output as outfile_write leaves it: a regular file (not
 * a link or a folder), not empty, and for a PDF one that starts with
 * "%PDF-" and ends with its trailer (startxref and %%EOF)?
 */
bool outfile_looks_whole(const char *path, bool pdf);

/* Create dir (and missing parents); 0 or -1 with an error in errs. */
int outfile_mkdirs(const char *dir, struct diag_list *errs);

#endif
