/*
 * outputs: what a run writes, checked before it writes anything.
 *
 * Every output file (each report, the CSV, the class summary, the bundle,
 * and any later one) is compared by real path with every other output and
 * with every input (the ledgers, the roster, the scenario, the templates):
 * a clash stops the run before any work, naming both.  An output's folder
 * is resolved through its links and its file name compared as the output
 * names are (batch_name_key: case and Unicode normalization folded), since
 * the folder may be on a case-insensitive file system.  An input is
 * compared both as its link and as the file the link leads to, since
 * replacing either loses it.
 *
 * The standard streams: std_streams_hold() opens /dev/null on any of
 * descriptors 0, 1, 2 that is closed at start, so that no output file
 * takes one of them, and says which were closed.
 */
#ifndef ARCHAUDIT_OUTPUTS_H
#define ARCHAUDIT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

struct output_entry;

struct outputs {
	struct output_entry *v;   /* owned */
	size_t n, cap;
	struct arena strings;     /* the entries' strings: a class's worth, freed at once */
};

void outputs_init(struct outputs *o);
void outputs_free(struct outputs *o);
/* An output file at path; what names it in messages ("--csv", "the report of \"Ann\""). */
void outputs_add(struct outputs *o, const char *path, const char *what);
/* An input file (need not exist); what names it ("the roster", "the ledger"). */
void outputs_add_input(struct outputs *o, const char *path, const char *what);
/*
 * 0 when no output is another output or an input; else -1 with one error
 * per clash in dl ("--csv in/roster.csv would replace the roster
 * in/roster.csv").
 */
int outputs_check(struct outputs *o, struct diag_list *dl);

struct batch_plan;

/* The paths of a batch run, for outputs_check_run. */
struct run_paths {
	const char *out_dir, *ext;      /* reports: OUT_DIR/<file>.EXT; NULL: none written */
	const char *csv, *class_summary, *bundle, *records;  /* NULL = not written */
	const char *roster, *scenario, *template_dir;  /* inputs; NULL = none */
	const char *const *merged;      /* --merge: the records files read */
	size_t n_merged;
};

/*
 * Every output of a batch run (each job's report, the CSV, the class
 * summary, the bundle) against the others and the inputs (each job's
 * ledger, the roster, the scenario, the templates), then the folders of
 * the CSV, class summary and bundle created.  0; -1 for a clash, -2 for a
 * folder that cannot be made or written, with errors in dl.
 */
int outputs_check_run(const struct batch_plan *p, const struct run_paths *rp,
    struct diag_list *dl);

/* Bits 1 << fd for each of 0, 1, 2 that was closed (now /dev/null). */
unsigned std_streams_hold(void);

#endif
