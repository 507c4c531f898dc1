/*
 * bundle: the print bundle, streamed.  Reports already written (PDF files
 * archaudit made) are copied into one PDF one at a time, object by object,
 * and written out at once: only a few numbers per report stay in memory
 * (its page-tree node, a bookmark waiting for its successor), so the
 * memory of a bundle does not grow with the class.
 *
 * Each report becomes a page-tree node of its own holding the report's
 * page tree (copied whole, renumbered) and, when the report has an odd
 * number of pages, a filler page, so that every report starts on a front
 * page in duplex printing.  Each report is one top-level bookmark (its
 * student's name) holding the report's own bookmarks.
 *
 * What is copied of a report is every object reachable from its page tree
 * and its outline; its catalog and information dictionary are not.  A
 * report's structure tree (tagged PDF) joins the same way: its
 * StructTreeRoot's kids go under one element per report, through the same
 * renumbering, so their /Pg references land on the copied pages; only the
 * element's number and the report's /StructParents offset are kept.
 */
#ifndef ARCHAUDIT_BUNDLE_H
#define ARCHAUDIT_BUNDLE_H

#include <stddef.h>

#include "base/util.h"

/*
 * The most pages a bundle takes: far below the PDF implementation limit
 * of 8,388,607 indirect objects (ISO 32000-1 annex C; about 12 objects a
 * page here) and a stack no printer takes in one job.
 */
#define BUNDLE_MAX_PAGES 200000
/* Pages a report takes in the bundle, filler included, for the check made
 * before a run starts (reports have 6 to 8 pages). */
#define BUNDLE_PAGES_PER_REPORT 8
/* The largest report file read back into a bundle. */
#define BUNDLE_MAX_REPORT_BYTES ((size_t)64 << 20)

struct bundle;

/* Start writing path (a temporary file until bundle_finish). */
struct bundle *bundle_open(const char *path, const char *title,
    const char *creator, struct diag_list *dl);

/*
 * Copy the report pdf[0..len) (named name in messages) under a bookmark
 * title.  *pages is its page count.  Returns 0, or -1 with an error in dl
 * (the report is left out; the bundle goes on).
 */
int bundle_add(struct bundle *b, const char *name, const char *pdf, size_t len,
    const char *title, size_t *pages, struct diag_list *dl);

/* Append the one page of pdf[0..len) to the report added last (a filler). */
int bundle_pad(struct bundle *b, const char *name, const char *pdf, size_t len,
    struct diag_list *dl);

size_t bundle_pages(const struct bundle *b);    /* so far, fillers included */
size_t bundle_reports(const struct bundle *b);

/* Write the page tree, the outline and the trailer; rename into place. */
int bundle_finish(struct bundle *b, struct diag_list *dl);
/* Remove the temporary file; frees b (NULL is a no-op). */
void bundle_abort(struct bundle *b);

#endif
