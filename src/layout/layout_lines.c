/* The layout: spans to characters, and characters to broken lines (see layout_impl.h). */
#include "layout/layout_impl.h"

/* ---- characters ---- */

static enum font_style
span_font(enum font_style base, unsigned style)
{
	if (style & DOC_CODE_SPAN)
		return FONT_MONO;
	return font_style_with(base, (style & DOC_BOLD) != 0, (style & DOC_ITALIC) != 0);
}

static void
warn_missing(struct ctx *c, uint32_t cp)
{
	size_t i;
	char *w;

	for (i = 0; i < c->n_warned; i++)
		if (c->warned[i] == cp)
			return;
	if (c->opt->quiet != NULL) {
		const char *q = c->opt->quiet, *qe = q + strlen(q);
		while (q < qe)
			if (font_utf8_next(&q, qe) == cp)
				return;
	}
	if (c->n_warned == c->cap_warned) {
		c->cap_warned = c->cap_warned ? c->cap_warned * 2 : 8;
		c->warned = xreallocarray(c->warned, c->cap_warned, sizeof(*c->warned));
	}
	c->warned[c->n_warned++] = cp;
	w = c->line ? xasprintf("%s:%u", c->opt->source ? c->opt->source : "document", c->line)
		    : xstrdup(c->opt->source ? c->opt->source : "document");
	diag_add(c->dl, DIAG_WARNING, "layout.missing-glyph", w,
	    "character U+%04X is in none of the fonts; printed as a replacement mark",
	    (unsigned)cp);
	free(w);
}


static void
ch_push(const struct ctx *c, struct chars *cs, uint32_t cp, enum font_style font, double size,
    unsigned style, unsigned off)
{
	struct text_char *h;

	(void)c;
	if (cp < 0x20 && cp != '\n')
		cp = ' ';
	if (cp == '\n' && !(style & DOC_HARD_BREAK))
		cp = ' ';
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 64;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof(*cs->v));
	}
	h = &cs->v[cs->n++];
	memset(h, 0, sizeof(*h));
	h->cp = cp;
	h->fstyle = (unsigned char)font;
	h->size = (float)size;
	h->style = style;
	h->off = off;
}

void
lay_chars_free(struct chars *cs)
{
	free(cs->span_lang);
	free(cs->span_elem);
	free(cs->v);
	free(cs->brk);
	memset(cs, 0, sizeof(*cs));
}

/*
 * The text boxes of l from index from on belong to elem, those of a
 * language stretch of cs (NULL = none) to a Span of elem.
 */
void
lay_tag_text(struct layout *lay, struct boxlist *l, size_t from, int elem, const struct chars *cs)
{
	if (cs != NULL && cs->whole != NULL && elem >= 0 && lay->elems[elem].lang == NULL)
		lay->elems[elem].lang = xstrdup(cs->whole);
	for (; from < l->n; from++) {
		struct box *b = &l->v[from];
		if (b->kind != BOX_TEXT)
			continue;
		if (b->elem <= SPAN_PENDING(0) && cs != NULL &&
		    (size_t)(SPAN_PENDING(0) - b->elem) < cs->n_span) {
			size_t k = (size_t)(SPAN_PENDING(0) - b->elem);
			if (cs->span_elem[k] < 0) {
				cs->span_elem[k] = lay_elem_add(lay, ROLE_SPAN, elem);
				lay->elems[cs->span_elem[k]].lang = xstrdup(cs->span_lang[k]);
			}
			b->elem = cs->span_elem[k];
		} else {
			b->elem = elem;
		}
	}
}

/* Spans to characters: fonts resolved, white space collapsed where asked. */
/* Whether tag is the document's language (English: the templates'). */
static bool
doc_lang(const char *tag)
{
	return tag == NULL || *tag == '\0' || ((tag[0] == 'e' || tag[0] == 'E') &&
	    (tag[1] == 'n' || tag[1] == 'N') && (tag[2] == '\0' || tag[2] == '-'));
}

/*
 * The characters of name nm as its occurrences are matched: white space
 * collapsed, none at the ends.  0 if nm is in the document's language,
 * empty or longer than max.
 */
static size_t
name_cps(const struct layout_name *nm, uint32_t *name, size_t max)
{
	size_t nn = 0;
	const char *s = nm->text, *end;

	if (s == NULL || doc_lang(nm->lang))
		return 0;
	end = s + strlen(s);
	while (s < end && nn < max) {
		uint32_t cp = font_utf8_next(&s, end);
		if (cp == '\n' || cp == '\t' || cp == '\r')
			cp = ' ';
		if (cp == ' ' && (nn == 0 || name[nn - 1] == ' '))
			continue;
		name[nn++] = cp;
	}
	while (nn > 0 && name[nn - 1] == ' ')
		nn--;
	return s < end ? 0 : nn;
}

/* Whether name[0..nn) is at v[i..). */
static bool
name_at(const uint32_t *name, size_t nn, const struct text_char *v, size_t n, size_t i)
{
	size_t j;

	if (i + nn > n)
		return false;
	for (j = 0; j < nn && v[i + j].orig == name[j]; j++)
		;
	return j == nn;
}

bool
lay_names_occur(const struct ctx *c, const struct text_char *v, size_t n)
{
	uint32_t name[128];
	size_t k, i, nn;

	for (k = 0; k < c->opt->n_names; k++) {
		nn = name_cps(&c->opt->names[k], name, sizeof(name) / sizeof(name[0]));
		if (nn > 0)
			for (i = 0; i + nn <= n; i++)
				if (name_at(name, nn, v, n, i))
					return true;
	}
	return false;
}

/* The occurrences of name nm in cs as stretches of their own (sid: each character's). */
static void
mark_name(const struct layout_name *nm, const struct chars *cs, int *sid, const char ***lang,
    size_t *n_lang, size_t *cap)
{
	uint32_t name[128];
	size_t nn = name_cps(nm, name, sizeof(name) / sizeof(name[0])), i, j;

	if (nn == 0)
		return;
	for (i = 0; i + nn <= cs->n; i++) {
		if (!name_at(name, nn, cs->v, cs->n, i))
			continue;
		for (j = 0; j < nn; j++)
			sid[i + j] = (int)*n_lang;
		if (*n_lang == *cap) {
			*cap = *cap * 2 + 4;
			*lang = xreallocarray(*lang, *cap, sizeof(**lang));
		}
		(*lang)[(*n_lang)++] = nm->lang;
		i += nn - 1;
	}
}

/*
 * Tags cs's characters with their language (struct chars): stretches in
 * other scripts and the occurrences of the names.  One that has all the
 * letters is the language of the whole element instead, and in a
 * right-to-left paragraph one that has 80 % of them (a Span's place in
 * the element's /K is where it is drawn, and lines are drawn in visual
 * order, so Spans in a right-to-left paragraph would be read out of order).
 */
static void
mark_langs(const struct ctx *c, struct chars *cs)
{
	struct text_lang_span *ls = NULL;
	size_t nls, letters = 0, i, k, n_lang = 0, best = 0, cap, *count;
	int *sid;
	const char **lang;

	cs->n_span = 0;
	cs->whole = NULL;
	nls = text_lang_spans(cs->v, cs->n, c->fs->han_lang, &ls, &letters);
	if ((nls == 0 && c->opt->n_names == 0) || cs->n == 0) {
		free(ls);
		return;
	}
	sid = xreallocarray(NULL, cs->n, sizeof(*sid));
	cap = nls + 4;
	lang = xreallocarray(NULL, cap, sizeof(*lang));
	for (i = 0; i < cs->n; i++)
		sid[i] = -1;
	for (k = 0; k < nls; k++) {
		for (i = ls[k].first; i < ls[k].end; i++)
			sid[i] = (int)n_lang;
		lang[n_lang++] = ls[k].lang;
	}
	free(ls);
	for (k = 0; k < c->opt->n_names; k++)
		mark_name(&c->opt->names[k], cs, sid, &lang, &n_lang, &cap);
	/* Letters per language, and whether one language has nearly all. */
	count = xcalloc(n_lang + 1, sizeof(*count));
	for (i = 0; i < cs->n; i++)
		if (sid[i] >= 0 && text_is_letter(cs->v[i].orig))
			for (k = 0; k < n_lang; k++)
				if (strcmp(lang[k], lang[sid[i]]) == 0) {
					count[k]++;
					break;
				}
	for (k = 1; k < n_lang; k++)
		if (count[k] > count[best])
			best = k;
	if (n_lang > 0 && letters > 0 && (count[best] == letters ||
	    (cs->level == 1 && count[best] * 5 >= letters * 4)))
		cs->whole = lang[best];
	/* The rest become Spans, numbered in the order they come. */
	if (cs->cap_span < n_lang) {
		cs->cap_span = n_lang;
		cs->span_lang = xreallocarray(cs->span_lang, n_lang, sizeof(*cs->span_lang));
		cs->span_elem = xreallocarray(cs->span_elem, n_lang, sizeof(*cs->span_elem));
	}
	for (k = 0; k < n_lang; k++)
		count[k] = 0;   /* now: 1 + the Span number of stretch k, 0 = none yet */
	for (i = 0; i < cs->n; i++) {
		int s = sid[i];
		if (s < 0 || (cs->whole != NULL && strcmp(lang[s], cs->whole) == 0))
			continue;
		if (count[s] == 0) {
			cs->span_lang[cs->n_span] = lang[s];
			cs->span_elem[cs->n_span] = -1;
			count[s] = ++cs->n_span;
		}
		cs->v[i].style |= (unsigned)count[s] << LANG_SHIFT;
	}
	free(count);
	free(lang);
	free(sid);
}

static void
shape(const struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct chars *cs)
{
	size_t i;
	unsigned off = 0;
	unsigned col = 0;

	cs->n = 0;
	for (i = 0; i < n; i++) {
		const struct doc_span *sp = &spans[i];
		const char *s = sp->text, *end = s + strlen(s);
		enum font_style font = span_font(ps->font, sp->style);
		double size = ps->size * ((sp->style & DOC_CODE_SPAN) && ps->font != FONT_MONO ? 0.9 : 1.0);

		if (sp->style & DOC_HARD_BREAK) {
			ch_push(c, cs, '\n', font, size, DOC_HARD_BREAK, off);
			col = 0;
			continue;
		}
		while (s < end) {
			unsigned here = off + (unsigned)(s - sp->text);
			uint32_t cp = font_utf8_next(&s, end);
			bool ws = cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r';
			if (ps->collapse && ws) {
				if (cs->n == 0 || cs->v[cs->n - 1].cp == ' ' || cs->v[cs->n - 1].cp == '\n')
					continue;
				cp = ' ';
			}
			if (!ps->collapse && cp == '\t') {
				do {
					ch_push(c, cs, ' ', font, size, sp->style, here);
				} while (++col % 4 != 0);
				continue;
			}
			ch_push(c, cs, cp, font, size, sp->style, here);
			col++;
		}
		off += (unsigned)strlen(sp->text);
	}
	text_faces(c->fs, cs->v, cs->n, c->opt->lang);
	cs->level = text_bidi(cs->v, cs->n);
	mark_langs(c, cs);
	text_measure(c->fs, cs->v, cs->n, c->opt->lang);
	free(cs->brk);
	cs->brk = NULL;
	if (cs->n > 0) {
		unsigned char *brk = xcalloc(cs->n, 1);
		if (text_breaks(cs->v, cs->n, c->opt->lang, brk))
			cs->brk = brk;
		else
			free(brk);
	}
}

/*
 * Spans to characters with their faces, levels, languages, advances and
 * break marks; through the shaping cache (layout_cache.c).
 */
void
lay_shape(struct ctx *c, const struct doc_span *spans, size_t n, const struct pstyle *ps,
    struct chars *cs)
{
	size_t i;

	if (!lay_cache_get(c->fs->shape_cache, c, spans, n, ps, cs)) {
		shape(c, spans, n, ps, cs);
		lay_cache_put(c->fs->shape_cache, c, cs);
	}
	if (c->dl != NULL)
		for (i = 0; i < cs->n; i++)
			if (cs->v[i].missing)
				warn_missing(c, cs->v[i].orig);
}

/* ---- line breaking ---- */


static void
line_push(struct lines *ls, const struct text_char *v, size_t first, size_t end)
{
	double w = 0;
	size_t k, e = end;

	while (e > first && v[e - 1].cp == ' ')
		e--;
	for (k = first; k < e; k++)
		w += v[k].adv;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 8;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof(*ls->v));
	}
	ls->v[ls->n].first = first;
	ls->v[ls->n].end = e;
	ls->v[ls->n].width = w;
	ls->n++;
}

static bool
is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0xC0;
}

static bool
url_break_after(uint32_t cp)
{
	return cp == '/' || cp == '-' || cp == '.' || cp == '_' || cp == '?' || cp == '&' ||
	    cp == '=' || cp == ',' || cp == ':' || cp == ';' || cp == '#' || cp == ')';
}

/*
 * Greedy breaking: at spaces, after a hyphen between letters, after dashes,
 * at hard breaks; a word longer than the line is cut, preferably after a
 * URL separator, so nothing ever overflows.
 */
void
lay_break_lines(const struct chars *cs, double width, bool collapse, struct lines *ls)
{
	const struct text_char *v = cs->v;
	size_t n = cs->n, i = 0;

	ls->n = 0;
	while (i < n) {
		size_t j, cand_end = 0, cand_next = 0;
		bool have_cand = false;
		double w = 0;

		if (collapse)
			while (i < n && v[i].cp == ' ')
				i++;
		if (i >= n)
			break;
		for (j = i; j < n; j++) {
			uint32_t cp = v[j].cp;
			if (v[j].style & DOC_HARD_BREAK) {
				line_push(ls, v, i, j);
				i = j + 1;
				goto next;
			}
			if (cp == ' ') {
				have_cand = true;
				cand_end = j;
				cand_next = j + 1;
			} else if (cs->brk != NULL && cs->brk[j] && j > i &&
				   w + v[j].adv <= width + 1e-6) {
				/* CJK between characters, Thai between words (ICU). */
				have_cand = true;
				cand_end = j;
				cand_next = j;
			}
			if (cp == ' ') {
			} else if (w + v[j].adv > width + 1e-6 && j > i) {
				if (have_cand && cand_end > i) {
					line_push(ls, v, i, cand_end);
					i = cand_next;
				} else {
					/* Emergency cut inside a word. */
					size_t k, cut = j;
					double pw = 0, best = 0;
					for (k = i; k < j; k++) {
						pw += v[k].adv;
						if (k + 1 < j && url_break_after(v[k].cp) && pw >= width * 0.4) {
							cut = k + 1;
							best = pw;
						}
					}
					(void)best;
					/* Never inside a cluster (its later characters have no advance). */
					while (cut > i + 1 && v[cut].adv == 0 && v[cut].cp != ' ')
						cut--;
					line_push(ls, v, i, cut);
					i = cut;
				}
				goto next;
			}
			w += v[j].adv;
			if ((cp == '-' && j > i && j + 1 < n && is_letter(v[j - 1].cp) &&
				is_letter(v[j + 1].cp)) ||
			    cp == 0x2014 || cp == 0x2013 || cp == 0x200B) {
				have_cand = true;
				cand_end = j + 1;
				cand_next = j + 1;
			}
		}
		line_push(ls, v, i, n);
		i = n;
	next:;
	}
}

size_t
layout_break_text(const struct font_set *fs, enum font_style style, double size,
    const char *utf8, double width, struct layout_line *out, size_t max)
{
	struct ctx c;
	struct chars cs = {0};
	struct lines ls = {NULL, 0, 0};
	struct layout_options opt;
	struct doc_span sp;
	struct pstyle ps;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(&opt, 0, sizeof(opt));
	c.fs = fs;
	c.opt = &opt;
	sp.text = (char *)(uintptr_t)utf8;
	sp.style = 0;
	ps.font = style;
	ps.size = size;
	ps.lead = size * 1.4;
	ps.color = ink;
	ps.collapse = true;
	ps.align = DOC_ALIGN_LEFT;
	lay_shape(&c, &sp, 1, &ps, &cs);
	lay_break_lines(&cs, width, true, &ls);
	for (i = 0; i < ls.n && i < max; i++) {
		out[i] = ls.v[i];
		out[i].first = cs.v[ls.v[i].first].off;
		out[i].end = ls.v[i].end < cs.n ? cs.v[ls.v[i].end].off : strlen(utf8);
	}
	lay_chars_free(&cs);
	free(ls.v);
	free(c.warned);
	return ls.n;
}

/*
 * Boxes for one line, baseline at y, left edge x, aligned in width: one
 * text box per shaped run, in visual order.
 */
void
lay_emit_line(const struct ctx *c, struct boxlist *out, const struct chars *cs,
    const struct layout_line *ln, const struct pstyle *ps, double x, double y, double width)
{
	struct text_run *r = NULL;
	size_t n = text_runs(c->fs, cs->v, ln->first, ln->end, c->opt->lang, &r), k;
	double pen = x, lw = 0;
	enum doc_align align = ps->align;

	for (k = 0; k < n; k++)
		lw += r[k].width;
	/* A right-to-left paragraph starts at the right. */
	if (cs->level == 1 && align == DOC_ALIGN_LEFT)
		align = DOC_ALIGN_RIGHT;
	if (align == DOC_ALIGN_CENTER)
		pen += (width - lw) / 2;
	else if (align == DOC_ALIGN_RIGHT)
		pen += width - lw;
	for (k = 0; k < n; k++) {
		struct text_run *t = &r[k];
		unsigned st = t->style & ~DOC_HARD_BREAK;
		double w = t->width;
		struct box *b;

		if (st & DOC_CODE_SPAN)
			lay_add_rect(out, pen - 1.5, y - t->size * 0.80, w + 3.0, t->size * 1.06, &code_bg,
			    NULL, 0, 0);
		b = lay_run_box(out, t, pen, y, w);
		if (t->style >> LANG_SHIFT)
			b->elem = SPAN_PENDING((t->style >> LANG_SHIFT) - 1);
		b->color = (st & DOC_URL) ? muted : (st & DOC_LINK) ? link_ink : ps->color;
		if (st & DOC_STRIKE) {
			/* a copy: add_line may move the box array b points into */
			struct layout_color ink = b->color;
			lay_add_line(out, pen, y - t->size * 0.3, w, 0, &ink, t->size * 0.06);
		}
		pen += w;
	}
	text_runs_free(r, n);
}

/* A space after the text of the last text box of l from from on (not drawn: see below). */
void
lay_append_space(struct boxlist *l, size_t from)
{
	size_t k;

	for (k = l->n; k > from; k--) {
		struct box *b = &l->v[k - 1];
		if (b->kind == BOX_TEXT) {
			size_t len = strlen(b->text);
			b->text = xrealloc(b->text, len + 2);
			b->text[len] = ' ';
			b->text[len + 1] = '\0';
			return;
		}
	}
}

/*
 * A line that ended at a space keeps it, invisible after its last box's
 * text (the box's width leaves it out), so text read in structure order,
 * as a screen reader reads it, has a word break where the line broke.
 */
void
lay_keep_break_space(struct boxlist *l, size_t from, const struct text_char *v, size_t n,
    const struct layout_line *ln)
{
	if (ln->end < n && v[ln->end].cp == ' ')
		lay_append_space(l, from);
}

