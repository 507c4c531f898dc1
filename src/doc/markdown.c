/*
 * markdown: the Markdown reader, the only file that includes md4c.h.
 * Input: Markdown text from the template engine.  Output: a struct doc.
 * md4c reports blocks, spans and text through callbacks; we keep a stack
 * of open blocks.  GitHub alerts ("> [!NOTE]") become callouts after the
 * quote closes, "<!-- pagebreak -->" a page break, a paragraph holding
 * only "![caption](chart:NAME)" a figure.  Whatever is not rendered gets a
 * warning naming its line.
 */
#include "doc/markdown.h"

#include <ctype.h>
#include <md4c.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "layout/font.h"

/* Deeper containers are flattened into their ancestor at this depth. */
#define MAX_NEST 12

struct reader {
	const char *src;              /* the whole input */
	size_t len;                   /* bytes */
	const char *name;             /* for diagnostics */
	size_t *line_start;           /* owned; byte offset of each line */
	size_t n_lines;
	unsigned cur_line;            /* line of the last text seen */
	struct diag_list *dl;
	struct doc *doc;
	struct doc_block **stack;     /* owned array; open blocks, [0] = root */
	size_t depth, cap;
	int nest;                     /* open containers (quote, list, item) */
	int flattened;                /* containers not pushed because of MAX_NEST */
	int em, strong, code, del;    /* open span counts */
	int link;                     /* inside a link */
	char *href;                   /* owned; current link target */
	struct buf link_text;         /* text of the current link */
	struct doc_block *figure;     /* figure being read (alt text), detached */
	struct doc_block **figures;   /* owned; figures waiting for their paragraph to close */
	size_t n_figures, cap_figures;
	int img_other;                /* inside a non-chart image */
	struct doc_block *table;      /* current table */
	bool in_head;                 /* inside the table's header */
	size_t col;                   /* current column */
	struct buf html;              /* raw HTML block text */
	bool in_html;                 /* inside a raw HTML block */
	struct doc_block *implicit;   /* paragraph made for text directly in an item */
};

static char *
where(struct reader *r)
{
	return r->cur_line ? xasprintf("%s:%u", r->name, r->cur_line) : xstrdup(r->name);
}

static void
warn(struct reader *r, const char *id, const char *fmt, const char *arg)
{
	char *w = where(r);
	diag_add(r->dl, DIAG_WARNING, id, w, fmt, arg);
	free(w);
}

static void
note_pos(struct reader *r, const char *p)
{
	size_t off, lo = 0, hi;

	if (p < r->src || p >= r->src + r->len || r->n_lines == 0)
		return;
	off = (size_t)(p - r->src);
	hi = r->n_lines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (r->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	r->cur_line = (unsigned)(lo + 1);
}

static struct doc_block *
top(struct reader *r)
{
	return r->stack[r->depth - 1];
}

static void
push(struct reader *r, struct doc_block *b)
{
	if (r->depth == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->stack = xreallocarray(r->stack, r->cap, sizeof(*r->stack));
	}
	r->stack[r->depth++] = b;
}

static struct doc_block *
open_block(struct reader *r, enum doc_kind kind)
{
	struct doc_block *b = doc_add_block(top(r), kind);
	push(r, b); /* its line is set by its first text */
	return b;
}

/* A container deeper than MAX_NEST is not opened: its content joins the parent. */
static bool
open_container(struct reader *r, enum doc_kind kind, struct doc_block **out)
{
	r->nest++;
	if (r->nest > MAX_NEST) {
		if (r->flattened++ == 0)
			warn(r, "markdown.too-deep",
			    "%s nested too deeply; inner levels are flattened",
			    kind == DOC_QUOTE ? "block quote" : "list");
		push(r, top(r));
		*out = NULL;
		return false;
	}
	*out = open_block(r, kind);
	return true;
}

static unsigned
span_style(const struct reader *r)
{
	unsigned s = 0;
	if (r->strong)
		s |= DOC_BOLD;
	if (r->em)
		s |= DOC_ITALIC;
	if (r->code)
		s |= DOC_CODE_SPAN;
	if (r->del)
		s |= DOC_STRIKE;
	if (r->link)
		s |= DOC_LINK;
	return s;
}

/* The block inline text goes to; tight list items get an implicit paragraph. */
static struct doc_block *
inline_target(struct reader *r)
{
	struct doc_block *b = top(r);

	if (r->figure != NULL)
		return r->figure;
	if (b->kind == DOC_ITEM || b->kind == DOC_QUOTE || b->kind == DOC_CALLOUT ||
	    b->kind == DOC_ROOT || b->kind == DOC_LIST) {
		if (r->implicit != NULL && b->n_kids > 0 && b->kids[b->n_kids - 1] == r->implicit)
			return r->implicit;
		r->implicit = doc_add_block(b, DOC_PARAGRAPH);
		r->implicit->line = r->cur_line;
		return r->implicit;
	}
	return b;
}

static void
add_text(struct reader *r, const char *s, size_t n)
{
	if (r->img_other)
		return;
	struct doc_block *b = inline_target(r);

	if (r->link)
		buf_put(&r->link_text, s, n);
	if (b->line == 0)
		b->line = r->cur_line;
	doc_add_text(b, s, n, r->figure ? 0 : span_style(r));
}

struct entity {
	const char *name;
	uint32_t cp;
};

static const struct entity entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"deg", 0xB0}, {"plusmn", 0xB1},
	{"middot", 0xB7}, {"times", 0xD7}, {"divide", 0xF7}, {"ndash", 0x2013},
	{"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
	{"rdquo", 0x201D}, {"bull", 0x2022}, {"hellip", 0x2026}, {"larr", 0x2190},
	{"rarr", 0x2192}, {"harr", 0x2194}, {"le", 0x2264}, {"ge", 0x2265}, {"ne", 0x2260},
	{"asymp", 0x2248}, {"lambda", 0x3BB}, {"epsilon", 0x3B5}, {"check", 0x2713},
	{"minus", 0x2212}, {"infin", 0x221E}, {"sum", 0x2211}, {"radic", 0x221A},
};

static void
add_entity(struct reader *r, const char *s, size_t n)
{
	uint32_t cp = 0;
	size_t i;
	struct buf b;
	char *name;

	if (n >= 4 && s[1] == '#') {
		char *end;
		if (s[2] == 'x' || s[2] == 'X')
			cp = (uint32_t)strtoul(s + 3, &end, 16);
		else
			cp = (uint32_t)strtoul(s + 2, &end, 10);
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
	} else {
		for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
			if (strlen(entities[i].name) == n - 2 && memcmp(entities[i].name, s + 1, n - 2) == 0)
				cp = entities[i].cp;
	}
	if (cp == 0) {
		name = xstrndup(s, n);
		warn(r, "markdown.unknown-entity",
		    "unknown HTML entity %s; printed as written", name);
		free(name);
		add_text(r, s, n);
		return;
	}
	buf_init(&b);
	font_utf8_put(&b, cp);
	add_text(r, b.data, b.len);
	buf_free(&b);
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct reader *r = ud;
	struct doc_block *b;

	r->implicit = NULL;
	switch (type) {
	case MD_BLOCK_DOC:
		break;
	case MD_BLOCK_QUOTE:
		open_container(r, DOC_QUOTE, &b);
		break;
	case MD_BLOCK_UL:
		if (open_container(r, DOC_LIST, &b))
			b->tight = ((MD_BLOCK_UL_DETAIL *)detail)->is_tight != 0;
		break;
	case MD_BLOCK_OL:
		if (open_container(r, DOC_LIST, &b)) {
			b->ordered = true;
			b->start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
			b->tight = ((MD_BLOCK_OL_DETAIL *)detail)->is_tight != 0;
		}
		break;
	case MD_BLOCK_LI:
		if (top(r)->kind != DOC_LIST) {
			push(r, top(r)); /* the list was flattened; so is the item */
			break;
		}
		b = open_block(r, DOC_ITEM);
		if (((MD_BLOCK_LI_DETAIL *)detail)->is_task) {
			char m = ((MD_BLOCK_LI_DETAIL *)detail)->task_mark;
			b->task = (m == 'x' || m == 'X') ? DOC_TASK_DONE : DOC_TASK_OPEN;
		}
		break;
	case MD_BLOCK_HR:
		open_block(r, DOC_RULE);
		break;
	case MD_BLOCK_H:
		b = open_block(r, DOC_HEADING);
		b->level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
		if (b->level > 3) {
			warn(r, "markdown.deep-heading",
			    "%s", "heading levels 4 to 6 are set as level 3");
			b->level = 3;
		}
		break;
	case MD_BLOCK_CODE:
		b = open_block(r, DOC_CODE);
		b->text = xstrdup("");
		break;
	case MD_BLOCK_HTML:
		buf_reset(&r->html);
		r->in_html = true;
		push(r, top(r));
		break;
	case MD_BLOCK_P:
		open_block(r, DOC_PARAGRAPH);
		break;
	case MD_BLOCK_TABLE:
		b = open_block(r, DOC_TABLE);
		b->n_cols = ((MD_BLOCK_TABLE_DETAIL *)detail)->col_count;
		b->align = xcalloc(b->n_cols ? b->n_cols : 1, sizeof(*b->align));
		r->table = b;
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		r->in_head = type == MD_BLOCK_THEAD;
		push(r, top(r));
		break;
	case MD_BLOCK_TR:
		b = open_block(r, DOC_ROW);
		b->header = r->in_head;
		r->col = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		MD_ALIGN a = ((MD_BLOCK_TD_DETAIL *)detail)->align;
		if (r->table != NULL && r->col < r->table->n_cols)
			r->table->align[r->col] = a == MD_ALIGN_LEFT ? DOC_ALIGN_LEFT
			    : a == MD_ALIGN_CENTER		     ? DOC_ALIGN_CENTER
			    : a == MD_ALIGN_RIGHT		     ? DOC_ALIGN_RIGHT
								     : DOC_ALIGN_DEFAULT;
		r->col++;
		open_block(r, DOC_CELL);
		break;
	}
	}
	return 0;
}

static bool
is_pagebreak(const char *s)
{
	/* "<!-- pagebreak -->", any case, any spacing inside the comment. */
	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, "<!--", 4) != 0)
		return false;
	s += 4;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "pagebreak", 9) != 0)
		return false;
	s += 9;
	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, "-->", 3) != 0)
		return false;
	s += 3;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

static bool
is_comment(const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n >= 7 && strncmp(s, "<!--", 4) == 0 && strncmp(s + n - 3, "-->", 3) == 0;
}

/* Alert marker at the start of a quote's first paragraph: "[!NOTE] Title". */
static void
make_callout(struct reader *r, struct doc_block *q)
{
	static const struct {
		const char *tag, *title;
		enum doc_callout kind;
	} kinds[] = {
		{"NOTE", "Note", DOC_INFO}, {"IMPORTANT", "Important", DOC_INFO},
		{"TIP", "Tip", DOC_SUCCESS}, {"WARNING", "Warning", DOC_WARNING},
		{"CAUTION", "Caution", DOC_DANGER},
	};
	struct doc_block *p;
	char *t, *close, *rest, *nl;
	size_t i, n;

	if (q->n_kids == 0 || q->kids[0]->kind != DOC_PARAGRAPH)
		return;
	p = q->kids[0];
	if (p->n_spans == 0 || p->spans[0].style != 0)
		return;
	t = p->spans[0].text;
	if (strncmp(t, "[!", 2) != 0 || (close = strchr(t, ']')) == NULL)
		return;
	n = (size_t)(close - t - 2);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].tag) == n && strncasecmp(t + 2, kinds[i].tag, n) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		char *tag = xstrndup(t, n + 3);
		warn(r, "markdown.unknown-alert",
		    "unknown alert %s; kept as a block quote", tag);
		free(tag);
		return;
	}
	q->kind = DOC_CALLOUT;
	q->callout = kinds[i].kind;
	rest = close + 1;
	nl = strchr(rest, '\n');
	/* A title may follow the marker on its line (our extension). */
	while (*rest == ' ' || *rest == '\t')
		rest++;
	size_t tlen = nl ? (size_t)(nl - rest) : strlen(rest);
	while (tlen > 0 && isspace((unsigned char)rest[tlen - 1]))
		tlen--;
	/* A title of one's own still names the kind ("Caution — ..."): the
	   box's colour must not be the only thing that tells (WCAG 1.4.1).
	   Not if it names it already, nor before a title that does not begin
	   in ASCII (a translated template writes the kind in its language). */
	if (tlen > 0 && (nl != NULL || p->n_spans == 1)) {
		size_t kl = strlen(kinds[i].title);
		if ((tlen >= kl && strncasecmp(rest, kinds[i].title, kl) == 0 &&
		    (tlen == kl || !isalnum((unsigned char)rest[kl]))) || (unsigned char)rest[0] >= 0x80)
			q->title = xstrndup(rest, tlen);
		else
			q->title = xasprintf("%s \xe2\x80\x94 %.*s", kinds[i].title, (int)tlen, rest);
	} else
		q->title = xstrdup(kinds[i].title);
	if (nl != NULL) {
		memmove(t, nl + 1, strlen(nl + 1) + 1);
	} else if (tlen > 0 && p->n_spans == 1) {
		t[0] = '\0';
	} else {
		memmove(t, rest, strlen(rest) + 1);
	}
	if (t[0] == '\0') {
		free(t);
		memmove(p->spans, p->spans + 1, (p->n_spans - 1) * sizeof(*p->spans));
		p->n_spans--;
		/* a break right after the marker line */
		if (p->n_spans > 0 && (p->spans[0].style & DOC_HARD_BREAK)) {
			free(p->spans[0].text);
			memmove(p->spans, p->spans + 1, (p->n_spans - 1) * sizeof(*p->spans));
			p->n_spans--;
		}
	}
	if (p->n_spans == 0) {
		doc_block_free(p);
		memmove(q->kids, q->kids + 1, (q->n_kids - 1) * sizeof(*q->kids));
		q->n_kids--;
	}
}

static bool
blank_spans(const struct doc_block *b)
{
	size_t i;
	const char *s;

	for (i = 0; i < b->n_spans; i++)
		for (s = b->spans[i].text; *s; s++)
			if (!isspace((unsigned char)*s))
				return false;
	return true;
}

/* Moves waiting figures after paragraph p (replacing p if it held only them). */
static void
place_figures(struct reader *r, struct doc_block *parent, struct doc_block *p)
{
	size_t i;

	if (r->n_figures == 0)
		return;
	if (blank_spans(p) && parent->n_kids > 0 && parent->kids[parent->n_kids - 1] == p) {
		doc_block_free(p);
		parent->n_kids--;
	} else {
		warn(r, "markdown.figure-in-paragraph",
		    "%s", "a figure shares its paragraph with text; it is placed after it");
	}
	for (i = 0; i < r->n_figures; i++) {
		if (parent->n_kids == parent->cap_kids) {
			parent->cap_kids = parent->cap_kids ? parent->cap_kids * 2 : 4;
			parent->kids = xreallocarray(parent->kids, parent->cap_kids, sizeof(*parent->kids));
		}
		parent->kids[parent->n_kids++] = r->figures[i];
	}
	r->n_figures = 0;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct reader *r = ud;
	struct doc_block *b;

	(void)detail;
	if (type == MD_BLOCK_DOC)
		return 0;
	if (r->depth <= 1)
		return 0;
	b = top(r);
	r->depth--;
	switch (type) {
	case MD_BLOCK_QUOTE:
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		if (r->nest-- > MAX_NEST)
			return 0;
		if (type == MD_BLOCK_QUOTE)
			make_callout(r, b);
		break;
	case MD_BLOCK_HTML:
		r->in_html = false;
		if (is_pagebreak(r->html.data ? r->html.data : "")) {
			struct doc_block *pb = doc_add_block(top(r), DOC_PAGEBREAK);
			pb->line = r->cur_line;
		} else if (!is_comment(r->html.data ? r->html.data : "")) {
			char *s = xstrndup(r->html.data ? r->html.data : "", 40);
			char *nl = strchr(s, '\n');
			if (nl)
				*nl = '\0';
			warn(r, "markdown.html-block",
			    "raw HTML block is not rendered: %s", s);
			free(s);
		}
		break;
	case MD_BLOCK_P:
		place_figures(r, top(r), b);
		break;
	case MD_BLOCK_TABLE:
		r->table = NULL;
		break;
	case MD_BLOCK_CODE:
		/* md4c ends every code line with a newline; drop the last. */
		if (b->text[0] != '\0' && b->text[strlen(b->text) - 1] == '\n')
			b->text[strlen(b->text) - 1] = '\0';
		break;
	default:
		break;
	}
	return 0;
}

/* Parses "width=60% height=120pt" from a figure's title. */
static void
figure_size(struct reader *r, struct doc_block *f, const char *t, size_t n)
{
	char *s, *p, *end;

	if (n == 0 || t == NULL)
		return;
	s = xstrndup(t, n);
	p = s;

	while (*p) {
		double v, *dst = NULL;
		bool is_w;
		while (*p == ' ' || *p == ',' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if (strncmp(p, "width=", 6) == 0) {
			is_w = true;
			p += 6;
		} else if (strncmp(p, "height=", 7) == 0) {
			is_w = false;
			p += 7;
		} else {
			warn(r, "markdown.figure-unknown-setting",
			    "figure: unknown setting \"%s\" (use width=60%% or height=200pt)", p);
			break;
		}
		v = strtod(p, &end);
		if (end == p || !(v > 0 && v <= 10000)) {   /* NaN too */
			warn(r, "markdown.figure-bad-size",
			    "figure: bad size \"%s\"", p);
			break;
		}
		p = end;
		if (*p == '%') {
			if (is_w)
				f->width_frac = v > 100 ? 1.0 : v / 100.0;
			else
				warn(r, "markdown.figure-height-percent",
				    "figure: height cannot be a percentage (%s)", s);
			p++;
			continue;
		}
		double unit = 1.0;
		if (strncmp(p, "pt", 2) == 0) {
			p += 2;
		} else if (strncmp(p, "mm", 2) == 0) {
			unit = 72.0 / 25.4;
			p += 2;
		} else if (strncmp(p, "cm", 2) == 0) {
			unit = 72.0 / 2.54;
			p += 2;
		} else if (strncmp(p, "in", 2) == 0) {
			unit = 72.0;
			p += 2;
		}
		dst = is_w ? &f->width_pt : &f->height_pt;
		*dst = v * unit;
	}
	free(s);
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct reader *r = ud;

	switch (type) {
	case MD_SPAN_EM:
		r->em++;
		break;
	case MD_SPAN_STRONG:
		r->strong++;
		break;
	case MD_SPAN_CODE:
		r->code++;
		break;
	case MD_SPAN_DEL:
		r->del++;
		break;
	case MD_SPAN_A: {
		MD_SPAN_A_DETAIL *a = detail;
		r->link++;
		free(r->href);
		r->href = a->href.size ? xstrndup(a->href.text, a->href.size) : xstrdup("");
		buf_reset(&r->link_text);
		break;
	}
	case MD_SPAN_IMG: {
		MD_SPAN_IMG_DETAIL *im = detail;
		if (r->figure != NULL || r->img_other) {
			r->img_other++;
			break;
		}
		if (im->src.size > 0)
			note_pos(r, im->src.text);
		if (im->src.size > 6 && strncmp(im->src.text, "chart:", 6) == 0) {
			struct doc_block *f = xcalloc(1, sizeof(*f));
			f->kind = DOC_FIGURE;
			f->line = r->cur_line;
			f->width_frac = 1.0;
			f->text = xstrndup(im->src.text + 6, im->src.size - 6);
			figure_size(r, f, im->title.text, im->title.size);
			r->figure = f;
		} else {
			char *src = im->src.size ? xstrndup(im->src.text, im->src.size) : xstrdup("");
			warn(r, "markdown.image-not-chart",
			    "image %s is not rendered (only chart:NAME figures are); its "
			    "description is printed instead", src);
			free(src);
			doc_add_text(inline_target(r), "[image: ", 8, span_style(r) | DOC_ITALIC);
		}
		break;
	}
	default: {
		static const char *const names[] = {"", "", "", "", "", "", "LaTeX math",
		    "LaTeX display math", "wiki link", "underline"};
		warn(r, "markdown.unsupported",
		    "%s is not supported; its text is printed plainly",
		    (size_t)type < sizeof(names) / sizeof(names[0]) ? names[type] : "span");
		break;
	}
	}
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct reader *r = ud;

	(void)detail;
	switch (type) {
	case MD_SPAN_EM:
		r->em--;
		break;
	case MD_SPAN_STRONG:
		r->strong--;
		break;
	case MD_SPAN_CODE:
		r->code--;
		break;
	case MD_SPAN_DEL:
		r->del--;
		break;
	case MD_SPAN_A: {
		const char *h = r->href ? r->href : "";
		const char *t = r->link_text.data ? r->link_text.data : "";
		r->link--;
		/* Print the target unless the text already says it. */
		bool same = strcmp(h, t) == 0 || (strncmp(h, "mailto:", 7) == 0 && strcmp(h + 7, t) == 0) ||
		    (strncmp(h, "http://", 7) == 0 && strcmp(h + 7, t) == 0) ||
		    (strncmp(h, "https://", 8) == 0 && strcmp(h + 8, t) == 0);
		if (!same && *h != '\0' && *h != '#' && r->figure == NULL) {
			struct doc_block *b = inline_target(r);
			doc_add_text(b, " (", 2, DOC_URL);
			doc_add_text(b, h, strlen(h), DOC_URL);
			doc_add_text(b, ")", 1, DOC_URL);
		}
		break;
	}
	case MD_SPAN_IMG:
		if (r->img_other > 0) {
			r->img_other--;
			break;
		}
		if (r->figure != NULL) {
			if (r->n_figures == r->cap_figures) {
				r->cap_figures = r->cap_figures ? r->cap_figures * 2 : 2;
				r->figures = xreallocarray(r->figures, r->cap_figures, sizeof(*r->figures));
			}
			r->figures[r->n_figures++] = r->figure;
			r->figure = NULL;
		} else {
			doc_add_text(inline_target(r), "]", 1, span_style(r) | DOC_ITALIC);
		}
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Typographer's quotes for the template's own prose: a straight ' or "
 * becomes an opening or closing curly one by the character before it (in
 * the source, so that markup such as ** counts as a word's edge).  A
 * quote written \' or \" stays straight: md_escape writes every ASCII
 * punctuation character of a ledger's strings so, and a value prints as
 * written.  md4c hands such a character over at the start of a text
 * chunk, right after its backslash.
 */
static void
add_prose(struct reader *r, const char *s, size_t n)
{
	size_t i, from = 0;
	/* md4c's text points into the source, so what precedes it can be read */
	bool in_src = s >= r->src && s + n <= r->src + r->len;
	size_t back = in_src ? (size_t)(s - r->src) : 0;

	for (i = 0; i < n; i++) {
		const char *q;
		unsigned char prev;
		bool open;
		if (s[i] != '\'' && s[i] != '"')
			continue;
		if (i == 0 && back > 0 && s[-1] == '\\')
			continue;
		prev = i + back > 0 ? (unsigned char)s[(ptrdiff_t)i - 1] : ' ';
		open = prev == ' ' || prev == '\n' || prev == '\t' || prev == '(' || prev == '[' ||
		    prev == '{' || prev == '/';
		/* after an opening curly quote (UTF-8 E2 80 98 or E2 80 9C) */
		if (i + back >= 3 && (unsigned char)s[(ptrdiff_t)i - 3] == 0xE2 &&
		    (unsigned char)s[(ptrdiff_t)i - 2] == 0x80 &&
		    ((unsigned char)s[(ptrdiff_t)i - 1] == 0x98 || (unsigned char)s[(ptrdiff_t)i - 1] == 0x9C))
			open = true;
		if (s[i] == '\'')
			q = open ? "\xE2\x80\x98" : "\xE2\x80\x99";
		else
			q = open ? "\xE2\x80\x9C" : "\xE2\x80\x9D";
		if (i > from)
			add_text(r, s + from, i - from);
		add_text(r, q, 3);
		from = i + 1;
	}
	if (n > from)
		add_text(r, s + from, n - from);
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct reader *r = ud;
	struct doc_block *b;

	note_pos(r, s);
	if (top(r)->line == 0)
		top(r)->line = r->cur_line;
	switch (type) {
	case MD_TEXT_NORMAL:
	case MD_TEXT_CODE:
	case MD_TEXT_LATEXMATH:
		b = top(r);
		if (b->kind == DOC_CODE && r->figure == NULL) {
			size_t old = strlen(b->text);
			b->text = xrealloc(b->text, old + n + 1);
			memcpy(b->text + old, s, n);
			b->text[old + n] = '\0';
		} else if (r->in_html) {
			buf_put(&r->html, s, n);
		} else if (type == MD_TEXT_NORMAL) {
			add_prose(r, s, n);
		} else {
			add_text(r, s, n);
		}
		break;
	case MD_TEXT_NULLCHAR:
		add_text(r, "\xEF\xBF\xBD", 3);
		break;
	case MD_TEXT_BR:
		if (r->figure != NULL)
			add_text(r, " ", 1);
		else if (!r->img_other)
			doc_add_text(inline_target(r), "", 0, DOC_HARD_BREAK);
		break;
	case MD_TEXT_SOFTBR:
		/* Kept as '\n' so alerts can find their marker line; set as a space. */
		add_text(r, "\n", 1);
		break;
	case MD_TEXT_ENTITY:
		add_entity(r, s, n);
		break;
	case MD_TEXT_HTML: {
		char *h;
		if (r->in_html) {
			buf_put(&r->html, s, n);
			break;
		}
		/* Inline HTML: <br> is a line break, comments vanish, the rest is named. */
		h = xstrndup(s, n);
		if (strncasecmp(h, "<br", 3) == 0)
			doc_add_text(inline_target(r), "", 0, DOC_HARD_BREAK);
		else if (strncmp(h, "<!--", 4) != 0)
			warn(r, "markdown.inline-html",
			    "inline HTML %s is not rendered", h);
		free(h);
		break;
	}
	}
	return 0;
}

struct doc *
markdown_parse(const char *src, size_t len, const char *name, struct diag_list *dl)
{
	struct reader r;
	MD_PARSER parser;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(&parser, 0, sizeof(parser));
	r.src = src;
	r.len = len;
	r.name = name ? name : "<input>";
	r.dl = dl;
	r.doc = doc_new();
	buf_init(&r.link_text);
	buf_init(&r.html);
	r.line_start = xreallocarray(NULL, 16, sizeof(size_t));
	size_t cap = 16;
	r.line_start[r.n_lines++] = 0;
	for (i = 0; i < len; i++) {
		if (src[i] == '\n' && i + 1 < len) {
			if (r.n_lines == cap) {
				cap *= 2;
				r.line_start = xreallocarray(r.line_start, cap, sizeof(size_t));
			}
			r.line_start[r.n_lines++] = i + 1;
		}
	}
	push(&r, &r.doc->root);
	parser.abi_version = 0;
	parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
	    MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS;
	parser.enter_block = enter_block;
	parser.leave_block = leave_block;
	parser.enter_span = enter_span;
	parser.leave_span = leave_span;
	parser.text = text;
	if (len > (size_t)0x7FFFFFFF) {
		diag_add(dl, DIAG_ERROR, "markdown.too-large",
		    r.name, "document too large (%zu bytes)", len);
		rc = -1;
	} else {
		rc = md_parse(src, (MD_SIZE)len, &parser, &r);
		if (rc != 0)
			diag_add(dl, DIAG_ERROR, "markdown.parser-failed",
			    r.name, "Markdown parser failed (out of memory?)");
	}
	/* Figures left over (an image outside any paragraph) and a stray figure. */
	for (i = 0; i < r.n_figures; i++)
		doc_block_free(r.figures[i]);
	doc_block_free(r.figure);
	free(r.figures);
	free(r.stack);
	free(r.href);
	free(r.line_start);
	buf_free(&r.link_text);
	buf_free(&r.html);
	if (rc != 0) {
		doc_free(r.doc);
		return NULL;
	}
	return r.doc;
}
