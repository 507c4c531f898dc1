/*
 * tvalue: the data model a template is rendered against.  A tree of null,
 * bool, number, string, list and map (ordered keys, hashed lookup) that our
 * code builds from the validated model; no foreign library types.  Every
 * string carries its origin: TRUSTED text was written by archaudit itself,
 * UNTRUSTED text came from a student's ledger and is always escaped when
 * it is printed (see mustache.h).
 *
 * Ownership: a value given to tvalue_list_push() or tvalue_map_set() now
 * belongs to the container; tvalue_free() frees a value and all it holds.
 * A tree is immutable once built and may be read by many renders at once.
 */
#ifndef ARCHAUDIT_TVALUE_H
#define ARCHAUDIT_TVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tvalue_type {
	TV_NULL,
	TV_BOOL,
	TV_NUMBER,
	TV_STRING,
	TV_LIST,
	TV_MAP
};

enum tvalue_origin {
	TV_TRUSTED,    /* written by our code: printed as-is by {{{x}}} */
	TV_UNTRUSTED   /* from a ledger: always escaped when printed */
};

struct tvalue;

struct tvalue_entry {
	char *key;              /* owned, NUL-terminated */
	size_t key_len;         /* bytes, without the NUL */
	uint32_t hash;          /* tvalue_hash(key, key_len) */
	struct tvalue *val;     /* owned */
};

struct tvalue {
	enum tvalue_type type;
	union {
		bool b;                         /* TV_BOOL */
		double num;                     /* TV_NUMBER */
		struct {
			char *s;                /* owned, NUL-terminated UTF-8 */
			size_t len;             /* bytes, without the NUL */
			enum tvalue_origin origin;
		} str;                          /* TV_STRING */
		struct {
			struct tvalue **items;  /* owned */
			size_t n, cap;
		} list;                         /* TV_LIST */
		struct {
			struct tvalue_entry *ents; /* owned, in insertion order */
			size_t n, cap;
			uint32_t *slots;        /* owned hash index: entry+1, 0 = free; NULL while small */
			size_t nslots;          /* power of two, or 0 */
		} map;                          /* TV_MAP */
	} u;
};

/* Constructors: each returns a new value the caller owns (or hands on). */
struct tvalue *tvalue_null(void);
struct tvalue *tvalue_bool(bool b);
struct tvalue *tvalue_number(double num);
struct tvalue *tvalue_string(const char *s, enum tvalue_origin origin);   /* copies s */
struct tvalue *tvalue_stringn(const char *s, size_t len, enum tvalue_origin origin); /* copies */
struct tvalue *tvalue_list_new(void);
struct tvalue *tvalue_map_new(void);

/* Free v and everything it holds; NULL is a no-op. */
void tvalue_free(struct tvalue *v);

/* Append v (now owned by list); returns v. */
struct tvalue *tvalue_list_push(struct tvalue *list, struct tvalue *v);

/*
 * Bind key to v (now owned by map); returns v.  An existing key keeps its
 * place in the order and its old value is freed.
 */
struct tvalue *tvalue_map_set(struct tvalue *map, const char *key, struct tvalue *v);
/* Shorthands for tvalue_map_set(map, key, tvalue_xxx(...)). */
struct tvalue *tvalue_map_set_str(struct tvalue *map, const char *key, const char *s,
    enum tvalue_origin origin);
struct tvalue *tvalue_map_set_num(struct tvalue *map, const char *key, double num);
struct tvalue *tvalue_map_set_bool(struct tvalue *map, const char *key, bool b);

/* Hash used for map keys (callers may precompute it: the template compiler does). */
uint32_t tvalue_hash(const char *key, size_t len);

/*
 * Lookup.  Each returns a value borrowed from the tree, or NULL when v is
 * not a map (list) or the key (index) is absent.
 */
const struct tvalue *tvalue_map_get(const struct tvalue *map, const char *key);
const struct tvalue *tvalue_map_getn(const struct tvalue *map, const char *key,
    size_t len, uint32_t hash);
const struct tvalue *tvalue_list_get(const struct tvalue *list, size_t i);
/* Dotted path "a.b.c" through nested maps; NULL on any miss. */
const struct tvalue *tvalue_lookup(const struct tvalue *v, const char *path);

/* Mustache truthiness: false, null and the empty list are false. */
bool tvalue_truthy(const struct tvalue *v);

const char *tvalue_type_name(enum tvalue_type t);   /* static: "null", "list", ... */

#endif
