/*
 * inputs: turning command-line operands into the list of ledgers to read.
 * A file is itself, "-" is standard input, a directory is its *.json
 * entries in byte order (not recursive, dot files skipped).
 */
#ifndef ARCHAUDIT_INPUTS_H
#define ARCHAUDIT_INPUTS_H

#include <stddef.h>

#include "base/util.h"

struct inputs {
	char **paths;   /* owned */
	size_t n, cap;
};

void inputs_init(struct inputs *in);
void inputs_free(struct inputs *in);
/* Add one operand (-1 with an error in errs for a directory that cannot
 * be listed or holds no *.json file). */
int inputs_add(struct inputs *in, const char *operand, struct diag_list *errs);

#endif
