/*
 * lms_zip: a course's "download all submissions" zip, read as it comes
 * (libzip: random access to the entries, nothing unpacked on disk).
 *
 * The LMS names each file after its student:
 *   Canvas  lastfirst_[LATE_]USERID_SUBMISSIONID_FILE, where lastfirst is
 *           the name lowercased without spaces and USERID is Canvas's
 *           user id; a file a student handed in again under the same name
 *           gets "-N" before its extension.
 *   Moodle  Full Name_PARTICIPANTID_assignsubmission_file_/FILE (a folder
 *           per student) or Full Name_PARTICIPANTID_assignsubmission_file_FILE.
 * Any other entry ending in .json is a ledger named after its file.
 *
 * Per student the ledger files (.json) are grouped and one is chosen: the
 * latest, by the LMS's own marks (Canvas's highest "-N", then the entry's
 * time; Moodle's entry time), and the choice is said.  A zip is untrusted:
 * an entry whose name is absolute or holds "..", a link, a name given
 * twice, an encrypted entry or one expanding more than LMS_ZIP_MAX_RATIO
 * times is refused, each with its reason, and the others are read; one
 * larger than the size limit is refused when it is read.
 */
#ifndef ARCHAUDIT_LMS_ZIP_H
#define ARCHAUDIT_LMS_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define LMS_ZIP_MAX_ENTRIES 200000  /* entries read from one zip's directory */
#define LMS_ZIP_MAX_RATIO 200       /* expansion refused above this, past 1 MiB */

enum lms_kind { LMS_PLAIN, LMS_CANVAS, LMS_MOODLE };

/* One student's chosen ledger, or one refused entry. */
struct lms_submission {
	enum lms_kind kind;
	uint64_t index;         /* the entry in the zip */
	char *entry;            /* owned; the entry's name */
	char *name;             /* owned; the student as the LMS names them */
	char *lms_id;           /* owned; Canvas user id, Moodle participant id, "" */
	char *note;             /* owned or NULL: the choice made among several files */
	char *refused;          /* owned or NULL: why this entry is not read */
};

struct lms_zip {
	struct lms_submission *subs; /* owned; students by name, then refused entries */
	size_t n, cap;
};

/* Whether path is a zip archive (it starts with a zip signature). */
bool lms_zip_is_zip(const char *path);

/*
 * Read the directory of the zip at path and choose each student's ledger.
 * Returns 0, or -1 with the reason in *why (caller frees) when the file is
 * no zip that can be read (a corrupt central directory, say).
 */
int lms_zip_scan(const char *path, struct lms_zip *z, char **why);
void lms_zip_free(struct lms_zip *z);

/*
 * Read entry index of the zip at path into out, refusing more than
 * max_bytes whatever the directory says.  The zip stays open in this
 * process for the next entry.  Returns 0, or -1 with an error naming
 * "path:entry" in errs.
 */
int lms_zip_read(const char *path, uint64_t index, const char *entry,
    size_t max_bytes, struct buf *out, struct diag_list *errs);
/* Close what lms_zip_read keeps open (at the end of a worker). */
void lms_zip_close_cached(void);

const char *lms_kind_name(enum lms_kind k);   /* "Canvas", "Moodle", "" */

#endif
