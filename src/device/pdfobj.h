/*
 * pdfobj: reading the objects of a PDF file that archaudit wrote (a
 * classic cross-reference table, no object streams), so that its pages can
 * be copied into another file.  A struct pdf_in indexes a file held in
 * memory; pdf_in_get parses one indirect object into a small tree of
 * values whose atoms (numbers, names, strings) are slices of the file,
 * so they are written back byte for byte.  Every length, offset and depth
 * is checked: a damaged or hostile file gives an error, never a crash.
 */
#ifndef ARCHAUDIT_PDFOBJ_H
#define ARCHAUDIT_PDFOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define PDF_IN_MAX_OBJECTS 1000000  /* objects of one input file */
#define PDF_IN_MAX_INFLATED ((size_t)64 << 20) /* decoded bytes of one file */

enum pv_kind {
	PV_NULL, PV_BOOL, PV_NUM, PV_STR, PV_NAME, PV_ARRAY, PV_DICT, PV_REF
};

struct pv {
	enum pv_kind kind;
	const char *raw;        /* atoms: the token as written in the file */
	size_t len;
	uint32_t num;           /* PV_REF: object number (generation ignored) */
	struct pv *items;       /* PV_ARRAY: n values; PV_DICT: n keys and values,
	                           alternating (items[2k] is a PV_NAME) */
	size_t n;
};

struct pdf_xref_entry {
	uint8_t type;           /* 0 free, 1 at offset a, 2 item b of object stream a */
	uint64_t a;
	uint32_t b;
};

struct pdf_in {
	const char *name;       /* for messages; borrowed */
	const char *data;       /* the whole file; borrowed */
	size_t len;
	struct pdf_xref_entry *xref; /* owned; one per object number */
	uint32_t n_obj;         /* objects 0..n_obj-1 */
	uint32_t root, info;    /* the trailer's /Root and /Info (0 = none) */
	struct buf *objstm;     /* owned; decoded object streams, by number, lazily */
	size_t inflated;        /* bytes decoded so far (bounded) */
};

/* Is object num in the file (not free)? */
bool pdf_in_has(const struct pdf_in *in, uint32_t num);

/* One indirect object: its value and, for a stream, its data. */
struct pdf_obj {
	struct pv v;
	const char *stream;     /* NULL unless a stream */
	size_t stream_len;
};

/* Index data[0..len); 0, or -1 with an error naming name in dl. */
int pdf_in_open(struct pdf_in *in, const char *name, const char *data, size_t len,
    struct diag_list *dl);
void pdf_in_close(struct pdf_in *in);

/* Parse object num; 0, or -1 with an error in dl.  Free with pdf_obj_free. */
int pdf_in_get(const struct pdf_in *in, uint32_t num, struct pdf_obj *o,
    struct diag_list *dl);
void pdf_obj_free(struct pdf_obj *o);
void pv_free(struct pv *v);

/* The value of key ("/Type") in dict d, or NULL. */
const struct pv *pv_get(const struct pv *d, const char *key);
bool pv_is_name(const struct pv *v, const char *name);
/* An integer value (a direct one); false when v is not one. */
bool pv_int(const struct pv *v, long long *out);

/*
 * Write v to out, each reference through map(ctx, old) -> new number.
 * Dictionary entries whose key is in skip (NULL-terminated) are left out.
 */
typedef uint32_t (*pv_map_fn)(void *ctx, uint32_t old);
void pv_write(struct buf *out, const struct pv *v, pv_map_fn map, void *ctx,
    const char *const *skip);

#endif
