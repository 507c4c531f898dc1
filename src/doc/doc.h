/*
 * doc: the document model between the Markdown reader and the layout.  A
 * tree of blocks; leaf blocks hold inline spans (styled text).  Plain
 * structs, no foreign types; the reader builds it, the layout reads it
 * through const pointers.
 */
#ifndef ARCHAUDIT_DOC_H
#define ARCHAUDIT_DOC_H

#include <stdbool.h>
#include <stddef.h>

enum doc_kind {
	DOC_ROOT,
	DOC_HEADING,    /* level 1..3; spans */
	DOC_PARAGRAPH,  /* spans */
	DOC_LIST,       /* kids: DOC_ITEM */
	DOC_ITEM,       /* kids: blocks */
	DOC_QUOTE,      /* kids: blocks */
	DOC_CALLOUT,    /* kids: blocks; callout, title */
	DOC_CODE,       /* text */
	DOC_TABLE,      /* kids: DOC_ROW; n_cols, align */
	DOC_ROW,        /* kids: DOC_CELL; header */
	DOC_CELL,       /* spans */
	DOC_RULE,       /* thematic break */
	DOC_PAGEBREAK,
	DOC_FIGURE      /* text = chart name; spans = caption */
};

enum doc_callout { DOC_INFO, DOC_SUCCESS, DOC_WARNING, DOC_DANGER };
enum doc_align { DOC_ALIGN_DEFAULT, DOC_ALIGN_LEFT, DOC_ALIGN_CENTER, DOC_ALIGN_RIGHT };
enum doc_task { DOC_TASK_NONE, DOC_TASK_OPEN, DOC_TASK_DONE };

/* Inline style flags, combined. */
enum {
	DOC_BOLD = 1 << 0,
	DOC_ITALIC = 1 << 1,
	DOC_CODE_SPAN = 1 << 2,
	DOC_LINK = 1 << 3,   /* text of a link */
	DOC_URL = 1 << 4,    /* the printed target after a link's text */
	DOC_STRIKE = 1 << 5,
	DOC_HARD_BREAK = 1 << 6 /* span is a forced line break; text is "" */
};

struct doc_span {
	char *text;          /* owned, UTF-8 */
	unsigned style;      /* DOC_BOLD | ... */
};

struct doc_block {
	enum doc_kind kind;
	unsigned line;                  /* source line, 1-based; 0 = unknown */
	int level;                      /* heading: 1..3 */
	bool ordered;                   /* list */
	bool tight;                     /* list: no space between items */
	unsigned start;                 /* ordered list: first number */
	enum doc_task task;             /* item: task list checkbox */
	enum doc_callout callout;       /* callout kind */
	char *title;                    /* callout title, owned */
	size_t n_cols;                  /* table */
	enum doc_align *align;          /* table: n_cols entries, owned */
	bool header;                    /* row: the table's header row */
	char *text;                     /* code: content; figure: chart name; owned */
	double width_frac;              /* figure: width, fraction of the text width */
	double width_pt, height_pt;     /* figure: points; 0 = from width_frac / aspect */
	struct doc_span *spans;         /* owned */
	size_t n_spans, cap_spans;
	struct doc_block **kids;        /* owned */
	size_t n_kids, cap_kids;
};

struct doc {
	struct doc_block root;          /* kind DOC_ROOT */
};

struct doc *doc_new(void);                   /* caller frees with doc_free */
void doc_free(struct doc *d);
/* Appends a new block of kind to parent and returns it (owned by parent). */
struct doc_block *doc_add_block(struct doc_block *parent, enum doc_kind kind);
/* Appends text to b's spans, merging with the last span of the same style. */
void doc_add_text(struct doc_block *b, const char *text, size_t len, unsigned style);
void doc_block_free(struct doc_block *b);    /* frees b and its subtree */
/* Plain text of b's spans (no styles); caller frees. */
char *doc_block_text(const struct doc_block *b);
const char *doc_kind_name(enum doc_kind k);

#endif
