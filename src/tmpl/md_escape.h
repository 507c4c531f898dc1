/*
 * md_escape: make a string print literally inside Markdown (CommonMark with
 * the GitHub extensions md4c implements: tables, strikethrough, autolinks,
 * task lists; raw HTML allowed).  Used as the escape function of report
 * templates: see mustache.h and docs/templates.md.
 */
#ifndef ARCHAUDIT_MD_ESCAPE_H
#define ARCHAUDIT_MD_ESCAPE_H

#include "base/util.h"

/*
 * Append utf8 to out so that, parsed as Markdown inline text (in a
 * paragraph, a heading or a table cell), it reads back as the same text:
 * - every ASCII punctuation character is backslash-escaped, so no emphasis,
 *   link, image, code span, HTML, entity, autolink, table pipe, strikethrough
 *   or "{{" survives, and no line start ("#", ">", "-", "1.", "---", "|")
 *   can open a block;
 * - CR, LF, tab and every other C0/C1 control, U+2028 and U+2029 become a
 *   space, so the text stays on one line;
 * - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 *   the marks U+200E, U+200F, U+061C, the zero-width characters U+200B-U+200D,
 *   U+2060-U+2064, U+FEFF and the tag characters U+E0000-U+E007F are dropped;
 * - invalid UTF-8 becomes U+FFFD;
 * - leading and trailing spaces are dropped (four leading spaces would open
 *   a code block, two trailing ones a hard line break);
 * - text with a right-to-left letter (a Hebrew or Arabic name) is put
 *   between U+2068 and U+2069 (a first-strong isolate), so it is set in its
 *   own direction and the sentence around it keeps its direction.
 * Not for code spans or fenced code, where backslashes print.
 */
void md_escape_inline(struct buf *out, const char *utf8);

#endif
