/*
 * dump: the text device.  Prints the boxes of a layout, one per line,
 * coordinates rounded to 0.01 pt, for golden tests (like mandoc -Ttree).
 */
#ifndef ARCHAUDIT_DUMP_H
#define ARCHAUDIT_DUMP_H

#include "layout/font.h"
#include "layout/layout.h"
#include "base/util.h"

/* Appends the dump of lay to out; fs names the faces. */
void dump_layout(const struct layout *lay, const struct font_set *fs, struct buf *out);

#endif
