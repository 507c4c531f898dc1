/*
 * pdf_fonts: embedding the fonts a document used (see pdf.c): subset
 * names, ToUnicode CMaps, TrueType and CFF subsets, the Type0 and CIDFont
 * dictionaries.  Input: struct pdf's faces.  Output: font objects.
 */
#include "device/pdf_int.h"

/* ---- embedding the fonts ---- */

/* "ABCDEF+Name": the tag is a hash of the face and the glyphs it carries. */
static void
subset_name(const struct font *f, const uint16_t *gids, size_t n, char *out, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *s;
	size_t i, o;

	for (s = f->name; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	for (i = 0; i < n; i++) {
		h = (h ^ (gids[i] & 0xFF)) * 0x100000001b3ULL;
		h = (h ^ (gids[i] >> 8)) * 0x100000001b3ULL;
	}
	for (i = 0; i < 6; i++) {
		out[i] = (char)('A' + h % 26);
		h /= 26;
	}
	out[6] = '+';
	/* PDF names: keep letters, digits and '-'. */
	for (o = 7, s = f->name; *s != '\0' && o + 1 < cap; s++)
		out[o++] = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') ? *s : '-';
	out[o] = '\0';
}

static void
put_hex4(struct buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char o[6] = {'<', hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15], '>'};
	buf_put(b, o, sizeof(o));
}

/* The code of entry k of a face. */
static unsigned
entry_code(const struct pdf *p, int face, size_t k)
{
	return p->fs->faces[face].cff ? p->faces[face].gid[k] : (unsigned)k;
}

/* The ToUnicode CMap of a face: one bfchar per code, the text it stands for. */
static void
tounicode_cmap(const struct pdf *p, int face, struct buf *b)
{
	const struct pdf_face *pf = &p->faces[face];
	size_t i;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 1; i < pf->n_cids; i += 100) {
		size_t k, n = pf->n_cids - i < 100 ? pf->n_cids - i : 100;
		pdf_put_u(b, (uint32_t)n);
		buf_puts(b, " beginbfchar\n");
		for (k = i; k < i + n; k++) {
			const char *s = pf->txt[k], *end = s + strlen(s);
			int units = 0;
			put_hex4(b, entry_code(p, face, k));
			buf_puts(b, " <");
			while (s < end && units < 120)
				units += pdfi_put_utf16_units(b, font_utf8_next(&s, end));
			buf_puts(b, ">\n");
		}
		buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/*
 * The bare CFF table of a subset of CFF face f holding glyphs gid[1..n)
 * (hb-subset keeps each glyph's CID, so codes stay glyph ids).  Returns
 * false if HarfBuzz cannot cut it.
 */
static bool
cff_subset(const struct font *f, const uint16_t *gid, size_t n, struct buf *out)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *cff;
	const char *data;
	unsigned len = 0;
	size_t i;

	if (in == NULL)
		return false;
	for (i = 0; i < n; i++)
		hb_set_add(hb_subset_input_glyph_set(in), gid[i]);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_HINTING);
	sub = hb_subset_or_fail(f->hb_subset, in);
	hb_subset_input_destroy(in);
	font_subset_cut(f);     /* now and then, the glyph programs it read let go of */
	if (sub == NULL)
		return false;
	cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
	data = hb_blob_get_data(cff, &len);
	if (data != NULL && len > 0)
		buf_put(out, data, len);
	hb_blob_destroy(cff);
	hb_face_destroy(sub);
	return len > 0;
}


/*
 * Font programs kept for the process.  A program holds the set of glyphs
 * a document drew in a face, in glyph id order (the CIDToGIDMap maps the
 * document's codes to them), so it depends on that set alone: the faces
 * of a class's charts and tables draw the same few sets in report after
 * report.  Exact: the key is the face's file and index and the whole set
 * (compared glyph by glyph).  Bounded: PROG_SLOTS programs of at most
 * PROG_MAX deflated bytes; a set is kept only when it is seen a second
 * time (PROG_SEEN recent hashes), so the body text's sets, new in every
 * report, do not push out the ones that recur; the least recently used
 * program makes room.  Kept or made anew, the bytes are the same.
 */
#define PROG_SLOTS 32
#define PROG_MAX (64u << 10)
#define PROG_SEEN 256
static struct prog {
	char *path;              /* owned; the face's file */
	unsigned index;
	uint64_t hash;
	uint16_t *set;           /* owned, n glyph ids */
	size_t n;
	unsigned char *z;        /* owned, the deflated program */
	size_t z_len, raw_len, n_glyphs;
	uint64_t used;           /* tick of the last use; 0 = empty slot */
} progs[PROG_SLOTS];
static uint64_t prog_seen[PROG_SEEN];
static size_t prog_seen_next;
static uint64_t prog_tick;

static uint64_t
set_hash(const struct font *f, const uint16_t *set, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(unsigned)f->index;
	const char *s;
	size_t i;

	for (s = f->path; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	for (i = 0; i < n; i++)
		h = (h ^ set[i]) * 0x100000001b3ULL;
	return h | 1; /* never 0, the empty mark of prog_seen */
}

static struct prog *
prog_find(const struct font *f, uint64_t h, const uint16_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < PROG_SLOTS; i++) {
		struct prog *e = &progs[i];
		if (e->used != 0 && e->hash == h && e->n == n && e->index == f->index &&
		    strcmp(e->path, f->path) == 0 && memcmp(e->set, set, n * sizeof(*set)) == 0) {
			e->used = ++prog_tick;
			return e;
		}
	}
	return NULL;
}

/* Keeps a program just made (z: deflated) if its set was seen before. */
static void
prog_offer(const struct font *f, uint64_t h, const uint16_t *set, size_t n, const void *z,
    size_t z_len, size_t raw_len, size_t n_glyphs)
{
	struct prog *e = &progs[0];
	size_t i;
	bool seen = false;

	if (z_len > PROG_MAX)
		return;
	for (i = 0; i < PROG_SEEN && !seen; i++)
		seen = prog_seen[i] == h;
	if (!seen) {
		prog_seen[prog_seen_next] = h;
		prog_seen_next = (prog_seen_next + 1) % PROG_SEEN;
		return;
	}
	for (i = 1; i < PROG_SLOTS; i++)
		if (progs[i].used < e->used)
			e = &progs[i];
	free(e->set);
	free(e->z);
	free(e->path);
	e->path = xstrdup(f->path);
	e->index = f->index;
	e->hash = h;
	e->set = xreallocarray(NULL, n, sizeof(*set));
	memcpy(e->set, set, n * sizeof(*set));
	e->n = n;
	e->z = xmalloc(z_len);
	memcpy(e->z, z, z_len);
	e->z_len = z_len;
	e->raw_len = raw_len;
	e->n_glyphs = n_glyphs;
	e->used = ++prog_tick;
}

/* Where glyph g is in set[0..n) (sorted, holding g). */
static size_t
set_index(const uint16_t *set, size_t n, unsigned g)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (set[mid] <= g)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Fills the Type0 font of a used face and adds its descendants. */
bool
pdfi_embed_face(struct pdf *p, int face)
{
	const struct font *f = &p->fs->faces[face];
	struct pdf_face *pf = &p->faces[face];
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict cid = NULL, fd = NULL, sysinfo = NULL, prog = NULL, tu = NULL, cidset = NULL;
	HPDF_Dict map = NULL;
	HPDF_Array desc = NULL, w = NULL, bbox = NULL;
	size_t n_glyphs = 0, n_set = 0, raw_len = 0, n_cid_all = 0;
	uint16_t *set = NULL;
	const struct prog *kept;
	uint64_t h;
	uint16_t *gids = xreallocarray(NULL, pf->n_cids, sizeof(*gids));
	double k = 1000.0 / f->units_per_em;
	int flags = 4; /* symbolic: glyphs beyond the standard Latin set */
	char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
	struct buf b;
	size_t i;
	bool ok = false;

	buf_init(&b);
	for (i = 0; i < pf->n_cids; i++)
		gids[i] = (uint16_t)pf->gid[i];
	subset_name(f, gids, pf->n_cids, name, sizeof(name));
	/* The set of glyphs drawn, in glyph id order (.notdef, glyph 0, first). */
	{
		size_t n_words = ((size_t)UINT16_MAX + 1) / 64, wd;
		uint64_t *bits = xcalloc(n_words, sizeof(*bits));
		for (i = 0; i < pf->n_cids; i++)
			bits[gids[i] / 64] |= 1ULL << (gids[i] % 64);
		set = xreallocarray(NULL, pf->n_cids, sizeof(*set));
		for (wd = 0; wd < n_words; wd++)
			for (uint64_t v = bits[wd]; v != 0; v &= v - 1)
				set[n_set++] = (uint16_t)(wd * 64 + (unsigned)__builtin_ctzll(v));
		free(bits);
	}
	h = set_hash(f, set, n_set);
	if ((kept = prog_find(f, h, set, n_set)) != NULL) {
		prog = pdfi_held_stream(p, kept->z, kept->z_len);
		raw_len = kept->raw_len;
		n_glyphs = kept->n_glyphs;
	} else {
		if (f->cff) {
			if (!cff_subset(f, set, n_set, &b)) {
				pdfi_bad(p, NULL, "cutting a CFF font subset");
				goto out;
			}
			n_glyphs = set[n_set - 1] + 1u;
		} else {
			n_glyphs = font_subset(f, set, n_set, &b);
		}
		raw_len = b.len;
		prog = pdfi_deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
		if (prog != NULL)
			prog_offer(f, h, set, n_set, p->zout.data, p->zout.len, raw_len, n_glyphs);
	}
	if (prog == NULL)
		goto out;
	if (f->cff)
		HPDF_Dict_AddName(prog, "Subtype", "CIDFontType0C");
	else
		HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)raw_len);
	if (!f->cff) {
		/*
		 * Code c draws the program's glyph of gid[c]; the components of
		 * composites, after the set in the program, get CIDs after the
		 * codes, so that every glyph of the program has a CID (PDF/A's
		 * CIDSet lists them all).
		 */
		n_cid_all = pf->n_cids + (n_glyphs > n_set ? n_glyphs - n_set : 0);
		buf_reset(&b);
		buf_grow(&b, 2 * n_cid_all);
		for (i = 0; i < n_cid_all; i++) {
			size_t g = i < pf->n_cids ? set_index(set, n_set, pf->gid[i])
						  : n_set + (i - pf->n_cids);
			b.data[2 * i] = (char)(g >> 8);
			b.data[2 * i + 1] = (char)(g & 0xFF);
		}
		b.len = 2 * n_cid_all;
		map = pdfi_deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
		if (map == NULL)
			goto out;
	}
	if (p->pdfa) {
		/*
		 * PDF/A-1 wants a subset's CIDSet: every CID the program has, high
		 * bit first.  TrueType: every code and the components' CIDs;
		 * CFF: the glyph ids drawn (CID = glyph id).
		 */
		size_t top = f->cff ? n_glyphs : n_cid_all;
		buf_reset(&b);
		buf_grow(&b, (top + 7) / 8);
		memset(b.data, 0, (top + 7) / 8);
		for (i = 0; i < top; i++) {
			size_t c = i;
			if (f->cff) {
				if (i >= pf->n_cids)
					break;
				c = pf->gid[i];
			}
			b.data[c / 8] = (char)((unsigned char)b.data[c / 8] | 0x80u >> (c % 8));
		}
		b.len = (top + 7) / 8;
		pdfi_id_add(p, f->name, pf->gid, pf->n_cids * sizeof(*pf->gid));
		cidset = pdfi_deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
		if (cidset == NULL)
			goto out;
	}
	buf_reset(&b);
	tounicode_cmap(p, face, &b);
	tu = pdfi_deflated_stream(p, b.data, b.len, DEFLATE_LEVEL);
	if (tu == NULL)
		goto out;

	fd = HPDF_Dict_New(mm);
	if (pdfi_bad(p, fd, "making a font descriptor") || HPDF_Xref_Add(p->doc->xref, fd) != HPDF_OK)
		goto out;
	if (f->fixed_pitch)
		flags |= 1;
	if (f->italic_angle != 0)
		flags |= 64;
	bbox = HPDF_Array_New(mm);
	if (pdfi_bad(p, bbox, "making a font descriptor"))
		goto out;
	for (i = 0; i < 4; i++)
		HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(f->bbox[i] * k));
	HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
	HPDF_Dict_AddName(fd, "FontName", name);
	HPDF_Dict_AddNumber(fd, "Flags", flags);
	HPDF_Dict_Add(fd, "FontBBox", bbox);
	HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)f->italic_angle);
	HPDF_Dict_AddNumber(fd, "Ascent", (HPDF_INT32)lround(f->ascent * 1000));
	HPDF_Dict_AddNumber(fd, "Descent", (HPDF_INT32)-lround(f->descent * 1000));
	HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(f->cap_height * 1000));
	HPDF_Dict_AddNumber(fd, "StemV", 80);
	HPDF_Dict_Add(fd, f->cff ? "FontFile3" : "FontFile2", prog);
	if (cidset != NULL)
		HPDF_Dict_Add(fd, "CIDSet", cidset);

	cid = HPDF_Dict_New(mm);
	if (pdfi_bad(p, cid, "making a CID font") || HPDF_Xref_Add(p->doc->xref, cid) != HPDF_OK)
		goto out;
	sysinfo = HPDF_Dict_New(mm);
	w = HPDF_Array_New(mm);
	desc = HPDF_Array_New(mm);
	if (pdfi_bad(p, sysinfo, "making a CID font") || pdfi_bad(p, w, "making widths") ||
	    pdfi_bad(p, desc, "making a font"))
		goto out;
	HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
	/* The widths the layout measured with, in runs a PDF 1.4 array can hold. */
	for (i = 1; f->cff && i < pf->n_cids; i++) {
		HPDF_Array ws = HPDF_Array_New(mm);
		if (pdfi_bad(p, ws, "making widths"))
			goto out;
		HPDF_Array_AddNumber(ws, pf->w[i]);
		HPDF_Array_AddNumber(w, (HPDF_INT32)pf->gid[i]);
		HPDF_Array_Add(w, ws);
	}
	for (i = 1; !f->cff && i < pf->n_cids; i += PDF_MAX_ARRAY) {
		HPDF_Array ws = HPDF_Array_New(mm);
		size_t k;
		if (pdfi_bad(p, ws, "making widths"))
			goto out;
		for (k = i; k < pf->n_cids && k < i + PDF_MAX_ARRAY; k++)
			HPDF_Array_AddNumber(ws, pf->w[k]);
		HPDF_Array_AddNumber(w, (HPDF_INT32)i);
		HPDF_Array_Add(w, ws);
	}
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", f->cff ? "CIDFontType0" : "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", name);
	HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
	HPDF_Dict_Add(cid, "FontDescriptor", fd);
	HPDF_Dict_Add(cid, "W", w);
	if (map != NULL)
		HPDF_Dict_Add(cid, "CIDToGIDMap", map);

	HPDF_Array_Add(desc, cid);
	HPDF_Dict_AddName(pf->type0, "Type", "Font");
	HPDF_Dict_AddName(pf->type0, "Subtype", "Type0");
	HPDF_Dict_AddName(pf->type0, "BaseFont", name);
	HPDF_Dict_AddName(pf->type0, "Encoding", "Identity-H");
	HPDF_Dict_Add(pf->type0, "DescendantFonts", desc);
	HPDF_Dict_Add(pf->type0, "ToUnicode", tu);
	ok = !pdfi_failed(p, "embedding a font");
out:
	buf_free(&b);
	free(gids);
	free(set);
	return ok;
}
