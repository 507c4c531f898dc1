/*
 * tvalue: the template data model.  Input: values our code builds one by
 * one.  Output: an immutable tree that renders read concurrently.  Maps
 * keep their keys in insertion order and, past a few keys, a hash index
 * (open addressing) so that a 200-key context costs O(1) per lookup.
 * Includes only util.h and the C library.
 */
#include "tmpl/tvalue.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define MAP_LINEAR_MAX 8        /* up to this many keys: scan, no index */

static struct tvalue *
tvalue_alloc(enum tvalue_type type)
{
	struct tvalue *v = xcalloc(1, sizeof *v);

	v->type = type;
	return v;
}

struct tvalue *
tvalue_null(void)
{
	return tvalue_alloc(TV_NULL);
}

struct tvalue *
tvalue_bool(bool b)
{
	struct tvalue *v = tvalue_alloc(TV_BOOL);

	v->u.b = b;
	return v;
}

struct tvalue *
tvalue_number(double num)
{
	struct tvalue *v = tvalue_alloc(TV_NUMBER);

	v->u.num = num;
	return v;
}

struct tvalue *
tvalue_stringn(const char *s, size_t len, enum tvalue_origin origin)
{
	struct tvalue *v = tvalue_alloc(TV_STRING);

	v->u.str.s = xstrndup(s, len);
	v->u.str.len = len;
	v->u.str.origin = origin;
	return v;
}

struct tvalue *
tvalue_string(const char *s, enum tvalue_origin origin)
{
	return tvalue_stringn(s, strlen(s), origin);
}

struct tvalue *
tvalue_list_new(void)
{
	return tvalue_alloc(TV_LIST);
}

struct tvalue *
tvalue_map_new(void)
{
	return tvalue_alloc(TV_MAP);
}

void
tvalue_free(struct tvalue *v)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case TV_STRING:
		free(v->u.str.s);
		break;
	case TV_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			tvalue_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case TV_MAP:
		for (size_t i = 0; i < v->u.map.n; i++) {
			free(v->u.map.ents[i].key);
			tvalue_free(v->u.map.ents[i].val);
		}
		free(v->u.map.ents);
		free(v->u.map.slots);
		break;
	default:
		break;
	}
	free(v);
}

struct tvalue *
tvalue_list_push(struct tvalue *list, struct tvalue *v)
{
	if (list->u.list.n == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items = xreallocarray(list->u.list.items,
		    list->u.list.cap, sizeof *list->u.list.items);
	}
	list->u.list.items[list->u.list.n++] = v;
	return v;
}

uint32_t
tvalue_hash(const char *key, size_t len)
{
	/* FNV-1a with a final avalanche so low bits index well. */
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

/* Index of key in the map's entries, or (size_t)-1. */
static size_t
map_find(const struct tvalue *map, const char *key, size_t len, uint32_t hash)
{
	const struct tvalue_entry *e = map->u.map.ents;

	if (map->u.map.slots == NULL) {
		for (size_t i = 0; i < map->u.map.n; i++)
			if (e[i].hash == hash && e[i].key_len == len &&
			    memcmp(e[i].key, key, len) == 0)
				return i;
		return (size_t)-1;
	}
	size_t mask = map->u.map.nslots - 1;
	for (size_t s = hash & mask;; s = (s + 1) & mask) {
		uint32_t slot = map->u.map.slots[s];
		if (slot == 0)
			return (size_t)-1;
		const struct tvalue_entry *p = &e[slot - 1];
		if (p->hash == hash && p->key_len == len &&
		    memcmp(p->key, key, len) == 0)
			return slot - 1;
	}
}

static void
map_index_put(struct tvalue *map, size_t i)
{
	size_t mask = map->u.map.nslots - 1;
	size_t s = map->u.map.ents[i].hash & mask;

	while (map->u.map.slots[s] != 0)
		s = (s + 1) & mask;
	map->u.map.slots[s] = (uint32_t)(i + 1);
}

/* Keep the index at most half full once the map outgrows a linear scan. */
static void
map_reindex(struct tvalue *map)
{
	size_t n = map->u.map.n;

	if (n <= MAP_LINEAR_MAX || 2 * n <= map->u.map.nslots)
		return;
	size_t ns = map->u.map.nslots ? map->u.map.nslots : 32;
	while (ns < 2 * n)
		ns *= 2;
	free(map->u.map.slots);
	map->u.map.slots = xcalloc(ns, sizeof *map->u.map.slots);
	map->u.map.nslots = ns;
	for (size_t i = 0; i < n; i++)
		map_index_put(map, i);
}

struct tvalue *
tvalue_map_set(struct tvalue *map, const char *key, struct tvalue *v)
{
	size_t len = strlen(key);
	uint32_t hash = tvalue_hash(key, len);
	size_t i = map_find(map, key, len, hash);

	if (i != (size_t)-1) {
		tvalue_free(map->u.map.ents[i].val);
		map->u.map.ents[i].val = v;
		return v;
	}
	if (map->u.map.n >= UINT32_MAX - 1)
		abort();        /* four billion keys: not a ledger */
	if (map->u.map.n == map->u.map.cap) {
		map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
		map->u.map.ents = xreallocarray(map->u.map.ents,
		    map->u.map.cap, sizeof *map->u.map.ents);
	}
	i = map->u.map.n++;
	map->u.map.ents[i].key = xstrndup(key, len);
	map->u.map.ents[i].key_len = len;
	map->u.map.ents[i].hash = hash;
	map->u.map.ents[i].val = v;
	if (map->u.map.slots != NULL && 2 * map->u.map.n <= map->u.map.nslots)
		map_index_put(map, i);
	else
		map_reindex(map);
	return v;
}

struct tvalue *
tvalue_map_set_str(struct tvalue *map, const char *key, const char *s,
    enum tvalue_origin origin)
{
	return tvalue_map_set(map, key, tvalue_string(s, origin));
}

struct tvalue *
tvalue_map_set_num(struct tvalue *map, const char *key, double num)
{
	return tvalue_map_set(map, key, tvalue_number(num));
}

struct tvalue *
tvalue_map_set_bool(struct tvalue *map, const char *key, bool b)
{
	return tvalue_map_set(map, key, tvalue_bool(b));
}

const struct tvalue *
tvalue_map_getn(const struct tvalue *map, const char *key, size_t len,
    uint32_t hash)
{
	if (map == NULL || map->type != TV_MAP)
		return NULL;
	size_t i = map_find(map, key, len, hash);
	return i == (size_t)-1 ? NULL : map->u.map.ents[i].val;
}

const struct tvalue *
tvalue_map_get(const struct tvalue *map, const char *key)
{
	size_t len = strlen(key);

	return tvalue_map_getn(map, key, len, tvalue_hash(key, len));
}

const struct tvalue *
tvalue_list_get(const struct tvalue *list, size_t i)
{
	if (list == NULL || list->type != TV_LIST || i >= list->u.list.n)
		return NULL;
	return list->u.list.items[i];
}

const struct tvalue *
tvalue_lookup(const struct tvalue *v, const char *path)
{
	const char *p = path;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		v = tvalue_map_getn(v, p, len, tvalue_hash(p, len));
		if (v == NULL || dot == NULL)
			return v;
		p = dot + 1;
	}
}

bool
tvalue_truthy(const struct tvalue *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case TV_NULL:
		return false;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->u.list.n > 0;
	default:
		return true;
	}
}

const char *
tvalue_type_name(enum tvalue_type t)
{
	switch (t) {
	case TV_NULL:
		return "null";
	case TV_BOOL:
		return "bool";
	case TV_NUMBER:
		return "number";
	case TV_STRING:
		return "string";
	case TV_LIST:
		return "list";
	default:
		return "map";
	}
}
