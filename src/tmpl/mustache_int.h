/*
 * mustache_int: what the compiler (mustache.c) and the renderer
 * (mustache_render.c) share: the compiled template's types.  Private to
 * src/tmpl/; mustache.h is the interface.
 */
#ifndef ARCHAUDIT_MUSTACHE_INT_H
#define ARCHAUDIT_MUSTACHE_INT_H

#include "tmpl/mustache.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DELIM_MAX 16            /* bytes in a delimiter set by {{=...=}} */
#define PARTIAL_FILE_MAX (16u << 20)

/* One key of a dotted name, as a range of the name string. */
struct mkey {
	size_t off, len;
	uint32_t hash;          /* tvalue_hash of the key */
};

struct mname {
	char *s;                /* owned: the whole name, "a.b.c" or "." */
	struct mkey *keys;      /* owned; n == 0 means "." (the current context) */
	size_t n;
};

enum mfilter_type {
	MF_PRINTF,      /* %.1f and friends */
	MF_GROUP,       /* , or ,.N: thousands separators */
	MF_PCT,         /* pct, pctN: fraction as a percentage */
	MF_USD,         /* usd, usd:N: dollars */
	MF_PLURAL,      /* plural:one:many: "1 lab", "3 labs" */
	MF_WORD,        /* word:one:many: "lab", "labs" */
	MF_UPPER,
	MF_LOWER,
	MF_DEFAULT      /* default:TEXT for a missing or null value */
};

struct mfilter {
	enum mfilter_type type;
	int prec;               /* decimals; -1 for the default */
	char conv;              /* MF_PRINTF: f e E g G d */
	char *spec;             /* owned; MF_PRINTF: one conversion, "%08.2f" or "%5lld" */
	char *a, *b;            /* owned: MF_PRINTF text before/after; plural/word one/many; default text */
};

enum mop_type {
	MOP_TEXT,
	MOP_VAR,        /* {{x}} */
	MOP_RAW,        /* {{{x}}}, {{&x}} */
	MOP_SECTION,
	MOP_INVERTED,
	MOP_PARTIAL
};

struct mop {
	enum mop_type type;
	size_t pos;             /* byte offset of the tag (text: of the text) in the unit */
	size_t off, len;        /* MOP_TEXT: range of the unit's source */
	size_t end;             /* sections: index of the op after the body */
	struct mname name;      /* variables and sections */
	struct mfilter *filters; /* owned */
	size_t nfilters;
	int numeric;            /* index of the numeric filter, or -1 */
	int deflt;              /* index of the default filter, or -1 */
	char *pname;            /* owned; MOP_PARTIAL: the partial's name */
	size_t unit;            /* MOP_PARTIAL: index of its unit */
	char *indent;           /* owned; MOP_PARTIAL standalone: line indentation, else NULL */
	size_t indent_len;
};

/* One source file: the template or a partial. */
struct munit {
	char *name;             /* owned: as referenced ("report.md", "footer") */
	char *path;             /* owned: for messages */
	char *src;              /* owned: the text; text ops point into it */
	size_t len;
	struct mop *ops;        /* owned */
	size_t nops, cap;
};

struct mustache {
	struct munit *units;    /* owned; [0] is the template itself */
	size_t n, cap;
};


/* Shared between the compiler and the renderer. */
char *mst_errmsg(const struct munit *u, size_t pos, const char *fmt, ...) ATTR_PRINTF(3, 4);
void mst_report_error(struct diag_list *dl, const char *id, char *msg);

#endif
