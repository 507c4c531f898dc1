/*
 * The layout's shaping cache: lay_shape's result (struct chars) per
 * paragraph or table cell, per process (see layout_impl.h).  Most
 * paragraphs and cells come from the templates and are the same in every
 * report, and a table shapes each cell twice (measuring, then setting).
 *
 * The key is everything lay_shape's result depends on: the spans' texts
 * and styles, the paragraph style's font, size and white-space rule, and
 * the document language (NULL and "" differ: text_faces guesses for
 * NULL).  The font set is the one the cache belongs to.  The names
 * (layout_options.names) change the result only where a name in a
 * language not the document's occurs in the text (mark_name): such a
 * result is neither stored nor taken from the cache, so the key does
 * not hold them.  The languages of the Spans are static strings or the
 * font set's han_lang, never a name's, so they outlive any report.
 *
 * Bounded: entries take at most CACHE_BUDGET bytes (their slot table and
 * the doorkeeper's take 208 KB beside); when the next one would not fit,
 * a sweep frees the least used down to half the budget (cache_sweep), so
 * the cache does not grow with the number of reports, and what it holds
 * depends only on the order of the calls.  The entries live in one
 * region of that size, mapped and populated when the cache is first used
 * and compacted by each sweep: a worker's memory is the same after its
 * 50th report as after its 5,000th (entries malloc'd one by one raised
 * the heap's high-water mark for its first ~200 reports).  An entry is
 * kept only when a second document asks for the same text (a student's
 * own text is asked for by one report) once the cache has been full.
 * The diagnostics of missing glyphs are made by lay_shape from the
 * characters on a hit as on a miss.
 */
#include "layout/layout_impl.h"

#include <sys/mman.h>

#define CACHE_SLOTS 2048                 /* power of two */
#define CACHE_BUDGET ((size_t)4 << 20)   /* bytes: the region of the entries */
#define HUGE_PAGE ((size_t)2 << 20)
#define CACHE_MAX_ENTRY (CACHE_BUDGET / 32)
#define SEEN_SLOTS 16384                 /* power of two */

/* A label's width (font_set_width), direct-mapped: a newer label takes the slot. */
#define WIDTH_SLOTS 2048                 /* power of two; 2048 * 72 bytes */
#define WIDTH_TEXT 40                    /* bytes; longer labels are not kept */
struct wentry {
	uint64_t hash;
	double size, w;
	int style;                  /* -1 = free */
	unsigned char len;
	char text[WIDTH_TEXT];
};

struct centry {
	struct centry *next;        /* same slot */
	uint64_t hash;
	size_t size;                /* bytes of this block in the region */
	bool live;                  /* false: freed, its bytes wait for compact */
	unsigned hits;              /* since it was made or last kept by a sweep */
	size_t key_len;
	size_t n;                   /* characters */
	int level;
	size_t n_span;
	const char *whole;
	unsigned char *key;         /* in this block, as all below */
	struct text_char *v;        /* n */
	unsigned char *brk;         /* n, or NULL */
	const char **span_lang;     /* n_span */
};

struct lay_cache {
	struct centry **slot;       /* CACHE_SLOTS, made when first used */
	size_t bytes;               /* entries held */
	unsigned char *key;         /* the key of the last lookup */
	size_t key_len, key_cap;
	uint64_t hash;
	bool storable;              /* the last lookup missed and its result may be kept */
	unsigned long gen;          /* sweeps so far */
	/* SEEN_SLOTS: the hashes of keys looked up and not kept, and the
	   document each was first looked up in (lay_cache_doc counts them) */
	uint64_t *seen;
	unsigned *seen_doc;
	unsigned doc;
	struct wentry *width;       /* WIDTH_SLOTS, made when first used */
	unsigned char *region;      /* CACHE_BUDGET, mapped when first used */
	size_t region_used;         /* bytes of it taken, live entries or freed */
};

void *
lay_cache_new(void)
{
	return xcalloc(1, sizeof(struct lay_cache));
}

void
lay_cache_doc(void *cache)
{
	struct lay_cache *lc = cache;

	lc->doc++;
}

static void
entry_free(struct lay_cache *lc, struct centry *e)
{
	lc->bytes -= e->size;
	e->live = false;
}

/* The region's pointers into an entry moved from old to e. */
static void
entry_moved(struct centry *e, const unsigned char *old)
{
	unsigned char *p = (unsigned char *)e;

	e->v = (struct text_char *)(void *)(p + ((unsigned char *)e->v - old));
	e->span_lang = (const char **)(void *)(p + ((unsigned char *)e->span_lang - old));
	e->key = p + (e->key - old);
	if (e->brk != NULL)
		e->brk = p + (e->brk - old);
}

/*
 * The live entries moved to the front of the region, in the order they
 * were made, and the slots' chains made again from them.
 */
static void
region_compact(struct lay_cache *lc)
{
	size_t from = 0, to = 0;

	memset(lc->slot, 0, CACHE_SLOTS * sizeof(*lc->slot));
	while (from < lc->region_used) {
		struct centry *e = (struct centry *)(void *)(lc->region + from);
		size_t size = e->size;
		if (e->live) {
			if (to != from) {
				memmove(lc->region + to, e, size);
				e = (struct centry *)(void *)(lc->region + to);
				entry_moved(e, lc->region + from);
			}
			e->next = lc->slot[e->hash & (CACHE_SLOTS - 1)];
			lc->slot[e->hash & (CACHE_SLOTS - 1)] = e;
			to += size;
		}
		from += size;
	}
	/* cleared: a pointer left behind by a move reads zeros, not an old entry */
	memset(lc->region + to, 0, lc->region_used - to);
	lc->region_used = to;
}

static void
cache_empty(struct lay_cache *lc)
{
	size_t i;

	lc->gen++;
	if (lc->slot == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		while (lc->slot[i] != NULL) {
			struct centry *e = lc->slot[i];
			lc->slot[i] = e->next;
			entry_free(lc, e);
		}
	lc->region_used = 0;
}

/* Frees the entries taken fewer than min times since the last sweep. */
static void
cache_drop(struct lay_cache *lc, unsigned min)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		struct centry **pe = &lc->slot[i];
		while (*pe != NULL) {
			struct centry *e = *pe;
			if (e->hits >= min) {
				pe = &e->next;
				continue;
			}
			*pe = e->next;
			entry_free(lc, e);
		}
	}
}

/*
 * Makes room for half the budget: frees the entries taken fewer than 2,
 * 4, 8... times since the last sweep, the least used first, and counts
 * the uses of the rest anew.
 */
static void
cache_sweep(struct lay_cache *lc)
{
	unsigned min;
	size_t i;
	struct centry *e;

	lc->gen++;
	for (min = 2; lc->bytes > CACHE_BUDGET / 2 && min < 1u << 20; min *= 2)
		cache_drop(lc, min);
	if (lc->bytes > CACHE_BUDGET / 2)
		cache_empty(lc);
	region_compact(lc);
	for (i = 0; i < CACHE_SLOTS; i++)
		for (e = lc->slot[i]; e != NULL; e = e->next)
			e->hits = 0;
}

unsigned long
lay_cache_sweeps(const void *cache)
{
	const struct lay_cache *lc = cache;

	return lc->gen;
}

void
lay_cache_free(void *cache)
{
	struct lay_cache *lc = cache;

	if (lc == NULL)
		return;
	cache_empty(lc);
	if (lc->region != NULL)
		munmap(lc->region, CACHE_BUDGET);
	free(lc->slot);
	free(lc->width);
	free(lc->seen);
	free(lc->seen_doc);
	free(lc->key);
	free(lc);
}

/* make_key made room for it. */
static inline void
key_put(struct lay_cache *lc, const void *p, size_t len)
{
	memcpy(lc->key + lc->key_len, p, len);
	lc->key_len += len;
}

static inline void
key_u32(struct lay_cache *lc, uint32_t u)
{
	key_put(lc, &u, sizeof(u));
}

/* FNV-1a over 8-byte words, then the tail bytes; a final mix spreads the low bits. */
static uint64_t
hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return h;
}

static void
make_key(struct lay_cache *lc, const struct ctx *c, const struct doc_span *spans, size_t n,
    const struct pstyle *ps)
{
	const char *lang = c->opt->lang;
	size_t i, need = 24 + (lang != NULL ? strlen(lang) : 0);

	for (i = 0; i < n; i++)
		need += 8 + strlen(spans[i].text);
	lc->key_len = 0;
	if (need > lc->key_cap) {
		lc->key_cap = need * 2 + 256;
		lc->key = xrealloc(lc->key, lc->key_cap);
	}
	key_u32(lc, lang == NULL ? 0 : 1 + (uint32_t)strlen(lang));
	if (lang != NULL)
		key_put(lc, lang, strlen(lang));
	key_u32(lc, (uint32_t)ps->font);
	key_put(lc, &ps->size, sizeof(ps->size));
	key_u32(lc, ps->collapse);
	key_u32(lc, (uint32_t)n);
	for (i = 0; i < n; i++) {
		size_t len = strlen(spans[i].text);
		key_u32(lc, spans[i].style);
		key_u32(lc, (uint32_t)len);
		key_put(lc, spans[i].text, len);
	}
	lc->hash = hash_bytes(lc->key, lc->key_len);
}

static void
chars_fill(struct chars *cs, const struct centry *e)
{
	if (cs->cap < e->n) {
		cs->cap = e->n;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof(*cs->v));
	}
	cs->n = e->n;
	if (e->n > 0)
		memcpy(cs->v, e->v, e->n * sizeof(*cs->v));
	cs->level = e->level;
	free(cs->brk);
	cs->brk = NULL;
	if (e->brk != NULL) {
		cs->brk = xmalloc(e->n);
		memcpy(cs->brk, e->brk, e->n);
	}
	cs->whole = e->whole;
	cs->n_span = e->n_span;
	if (cs->cap_span < e->n_span) {
		cs->cap_span = e->n_span;
		cs->span_lang = xreallocarray(cs->span_lang, e->n_span, sizeof(*cs->span_lang));
		cs->span_elem = xreallocarray(cs->span_elem, e->n_span, sizeof(*cs->span_elem));
	}
	for (size_t k = 0; k < e->n_span; k++) {
		cs->span_lang[k] = e->span_lang[k];
		cs->span_elem[k] = -1;
	}
}

bool
lay_cache_get(void *cache, const struct ctx *c, const struct doc_span *spans, size_t n,
    const struct pstyle *ps, struct chars *cs)
{
	struct lay_cache *lc = cache;
	struct centry *e;

	make_key(lc, c, spans, n, ps);
	lc->storable = true;
	if (lc->slot != NULL)
		for (e = lc->slot[lc->hash & (CACHE_SLOTS - 1)]; e != NULL; e = e->next)
			if (e->hash == lc->hash && e->key_len == lc->key_len &&
			    memcmp(e->key, lc->key, lc->key_len) == 0) {
				if (lay_names_occur(c, e->v, e->n)) {
					lc->storable = false;
					break;
				}
				chars_fill(cs, e);
				e->hits++;
				return true;
			}
	return false;
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

/*
 * The region, populated now, so that what the cache holds is counted
 * from the first report on; at a multiple of 2 MB, so that where the
 * kernel has huge pages that is two faults, not a thousand.  NULL when it
 * cannot be mapped: nothing is kept then.
 */
static unsigned char *
region_map(void)
{
	unsigned char *m = mmap(NULL, CACHE_BUDGET + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *r;
	size_t head;

	if (m == MAP_FAILED)
		return NULL;
	r = (unsigned char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	head = (size_t)(r - m);
	if (head > 0)
		munmap(m, head);
	munmap(r + CACHE_BUDGET, HUGE_PAGE - head);      /* head < HUGE_PAGE */
	(void)madvise(r, CACHE_BUDGET, MADV_HUGEPAGE);
	(void)madvise(r, CACHE_BUDGET, MADV_POPULATE_WRITE);
	return r;
}

void
lay_cache_put(void *cache, const struct ctx *c, const struct chars *cs)
{
	struct lay_cache *lc = cache;
	size_t head = ALIGN8(sizeof(struct centry)), vbytes = ALIGN8(cs->n * sizeof(*cs->v));
	size_t sbytes = ALIGN8(cs->n_span * sizeof(*cs->span_lang));
	size_t size = ALIGN8(head + vbytes + sbytes + lc->key_len + (cs->brk != NULL ? cs->n : 0));
	struct centry *e;
	unsigned char *p;
	size_t k;

	if (!lc->storable || size > CACHE_MAX_ENTRY || lay_names_occur(c, cs->v, cs->n))
		return;
	/*
	 * Once the cache has been full, kept only when a second document asks
	 * for it: a student's own text is in one report (a table's cells are
	 * shaped twice in it, measured and then set).
	 */
	if (lc->gen > 0) {
		if (lc->seen == NULL) {
			lc->seen = xcalloc(SEEN_SLOTS, sizeof(*lc->seen));
			lc->seen_doc = xcalloc(SEEN_SLOTS, sizeof(*lc->seen_doc));
		}
		k = lc->hash & (SEEN_SLOTS - 1);
		if (lc->seen[k] != lc->hash) {
			lc->seen[k] = lc->hash;
			lc->seen_doc[k] = lc->doc;
			return;
		}
		if (lc->seen_doc[k] == lc->doc)
			return;
	}
	if (lc->slot == NULL)
		lc->slot = xcalloc(CACHE_SLOTS, sizeof(*lc->slot));
	if (lc->region == NULL && (lc->region = region_map()) == NULL) {
		lc->storable = false;
		return;
	}
	if (lc->region_used + size > CACHE_BUDGET)
		cache_sweep(lc);
	p = lc->region + lc->region_used;
	lc->region_used += size;
	e = (struct centry *)(void *)p;
	e->hash = lc->hash;
	e->size = size;
	e->live = true;
	e->hits = 0;
	e->key_len = lc->key_len;
	e->n = cs->n;
	e->level = cs->level;
	e->n_span = cs->n_span;
	e->whole = cs->whole;
	e->v = (struct text_char *)(void *)(p + head);
	e->span_lang = (const char **)(void *)(p + head + vbytes);
	e->key = p + head + vbytes + sbytes;
	e->brk = cs->brk != NULL ? e->key + lc->key_len : NULL;
	if (cs->n > 0)
		memcpy(e->v, cs->v, cs->n * sizeof(*cs->v));
	for (k = 0; k < cs->n_span; k++)
		e->span_lang[k] = cs->span_lang[k];
	memcpy(e->key, lc->key, lc->key_len);
	if (e->brk != NULL)
		memcpy(e->brk, cs->brk, cs->n);
	e->next = lc->slot[lc->hash & (CACHE_SLOTS - 1)];
	lc->slot[lc->hash & (CACHE_SLOTS - 1)] = e;
	lc->bytes += size;
	if (lc->key_cap > 65536) {
		free(lc->key);
		lc->key = NULL;
		lc->key_cap = 0;
	}
}

double
lay_cache_width(void *cache, const struct font_set *fs, enum font_style style, const char *utf8,
    double size)
{
	struct lay_cache *lc = cache;
	size_t len = strlen(utf8), i;
	struct text_line tl;
	struct wentry *e;
	uint64_t h;
	double w;

	if (len < WIDTH_TEXT) {
		h = hash_bytes((const unsigned char *)utf8, len) ^ ((uint64_t)style << 56);
		if (lc->width == NULL) {
			lc->width = xreallocarray(NULL, WIDTH_SLOTS, sizeof(*lc->width));
			for (i = 0; i < WIDTH_SLOTS; i++)
				lc->width[i].style = -1;
		}
		e = &lc->width[h & (WIDTH_SLOTS - 1)];
		if (e->style == (int)style && e->hash == h && e->size == size && e->len == len &&
		    memcmp(e->text, utf8, len) == 0)
			return e->w;
	}
	text_line_set(&tl, fs, style, size, utf8, NULL);
	w = tl.width;
	text_line_clear(&tl);
	if (len < WIDTH_TEXT) {
		e->hash = h;
		e->size = size;
		e->w = w;
		e->style = (int)style;
		e->len = (unsigned char)len;
		memcpy(e->text, utf8, len);
	}
	return w;
}
