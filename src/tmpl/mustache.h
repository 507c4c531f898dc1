/*
 * mustache: the template stage.  A template (Markdown prose with Mustache
 * tags) is compiled once into an immutable op tree, with its partials, then
 * rendered any number of times against a struct tvalue context.  Follows the
 * Mustache spec (interpolation, sections, inverted sections, comments,
 * partials, set delimiters; no lambdas) plus filters for number formatting:
 * see docs/templates.md.
 *
 * Escaping: {{x}} always passes through the caller's escape function.
 * {{{x}}} and {{&x}} print TRUSTED strings (and numbers, booleans, filter
 * output) as they are, but still escape UNTRUSTED strings: a ledger can
 * never inject markup, whatever tag a template uses.  Output is never
 * parsed again, so "{{" in data stays text.
 */
#ifndef ARCHAUDIT_MUSTACHE_H
#define ARCHAUDIT_MUSTACHE_H

#include <stddef.h>

#include "tmpl/tvalue.h"
#include "base/util.h"

/* Bounds that keep hostile templates and data from looping or exhausting memory. */
#define MUSTACHE_MAX_NESTING       64        /* open sections in one file */
#define MUSTACHE_MAX_PARTIALS      256       /* distinct partials per template */
#define MUSTACHE_MAX_PARTIAL_DEPTH 64        /* partials inside partials, at render */
#define MUSTACHE_MAX_CONTEXT       256       /* context stack entries, at render */
#define MUSTACHE_MAX_STEPS         20000000  /* ops executed per render */
#define MUSTACHE_MAX_OUTPUT        (64u << 20) /* bytes appended per render */

struct mustache;        /* a compiled template: opaque, immutable */

/*
 * Partial loader: return the text of partial NAME (malloc'd; the compiler
 * frees it) and set *len, or return NULL when there is no such partial.
 * It may set *path to a malloc'd name for messages (the compiler frees it),
 * e.g. "templates/partials/NAME.md"; otherwise NAME is used.
 */
typedef char *mustache_load_fn(void *arg, const char *name, size_t *len, char **path);

struct mustache_loader {
	mustache_load_fn *load;
	void *arg;
};

/*
 * The program's loader: arg is a directory ("templates/partials"); reads
 * ARG/NAME.md.  Returns NULL when the file cannot be read.
 */
char *mustache_load_dir(void *arg, const char *name, size_t *len, char **path);

/* Escape function: append s (NUL-terminated UTF-8) to out, escaped. */
typedef void mustache_escape_fn(struct buf *out, const char *s);

/* HTML escaping (& < > " '), as the Mustache spec expects. */
void mustache_escape_html(struct buf *out, const char *s);

/*
 * Compile text[0..len) named NAME (a path, used in messages) and every
 * partial it reaches through loader (NULL: any partial is unknown).
 * Returns the template (caller frees with mustache_free), or NULL with one
 * error in dl: its place is "NAME:line:col", its message is followed by the
 * source line and a caret under the column.
 */
struct mustache *mustache_compile(const char *text, size_t len, const char *name,
    const struct mustache_loader *loader, struct diag_list *dl);

void mustache_free(struct mustache *tpl);      /* NULL is a no-op */

/*
 * Render tpl against ctx (may be NULL: every name is missing), appending to
 * out.  escape must not be NULL (md_escape_inline for reports).  Returns 0,
 * or -1 with the error in dl (as mustache_compile's) and out left as it
 * was on entry.
 * Safe to call from several threads on the same tpl and ctx.
 */
int mustache_render(const struct mustache *tpl, const struct tvalue *ctx,
    mustache_escape_fn *escape, struct buf *out, struct diag_list *dl);

#endif
