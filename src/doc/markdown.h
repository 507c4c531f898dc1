/*
 * markdown: the Markdown reader.  Turns Markdown text (CommonMark with
 * GFM tables, strikethrough, task lists and autolinks; GitHub alerts as
 * callouts; "<!-- pagebreak -->"; figures "![caption](chart:NAME "width=60%")")
 * into a struct doc.  See docs/markdown.md.
 */
#ifndef ARCHAUDIT_MARKDOWN_H
#define ARCHAUDIT_MARKDOWN_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/util.h"

/*
 * Parses len bytes of text; name is used in diagnostics ("name:line").
 * Returns a new doc (caller frees with doc_free), or NULL after adding an
 * error to dl.  Constructs that are not rendered are named in warnings.
 */
struct doc *markdown_parse(const char *text, size_t len, const char *name, struct diag_list *dl);

#endif
