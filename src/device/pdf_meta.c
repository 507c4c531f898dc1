/*
 * pdf_meta: PDF/A and PDF/UA metadata of the PDF device: the colour profile,
 * the Info dates, the XMP packet, the document ID (see pdf.c for the whole
 * device).  Input: struct pdf at its start and finish.  Output: objects in it.
 */
#include "device/pdf_int.h"

/* ---- PDF/A: the colour profile, metadata, the document ID ---- */

static uint32_t
icc_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct pdf_icc *
pdf_icc_new(const char *path, struct diag_list *dl)
{
	struct pdf_icc *icc;
	struct buf b;
	char chunk[8192];
	const unsigned char *d;
	const char *why = NULL;
	size_t n;
	FILE *fp;

	if (path == NULL) {
		path = getenv("ARCHAUDIT_ICC_PROFILE");
		if (path == NULL || *path == '\0')
			path = PDF_ICC_DEFAULT;
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		diag_add(dl, DIAG_ERROR, "pdf.srgb-missing", path,
		    "cannot read the sRGB colour profile that PDF/A output needs: %s "
		    "(install the Debian package icc-profiles-free, or name a profile in "
		    "ARCHAUDIT_ICC_PROFILE)", strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len <= ICC_MAX_BYTES)
		buf_put(&b, chunk, n);
	if (ferror(fp))
		why = strerror(errno);
	fclose(fp);
	d = (const unsigned char *)b.data;
	/* ICC.1 header: size, version, class, colour space, signature. */
	if (why != NULL)
		;
	else if (b.len > ICC_MAX_BYTES)
		why = "larger than 4 MB, not a colour profile";
	else if (b.len < 132 || memcmp(d + 36, "acsp", 4) != 0 || icc_u32(d) != b.len)
		why = "not an ICC colour profile (pdfi_bad header or size)";
	else if (memcmp(d + 16, "RGB ", 4) != 0)
		why = "not an RGB profile";
	else if (memcmp(d + 12, "mntr", 4) != 0 && memcmp(d + 12, "prtr", 4) != 0)
		why = "not a display or printer profile, which a PDF/A output intent needs";
	else if (d[8] != 2)
		why = "ICC version is not 2 (PDF 1.4, and so PDF/A-1, knows version 2 only)";
	if (why != NULL) {
		diag_add(dl, DIAG_ERROR, "pdf.srgb-bad",
		    path, "sRGB colour profile for PDF/A output: %s", why);
		buf_free(&b);
		return NULL;
	}
	icc = xcalloc(1, sizeof(*icc));
	icc->path = xstrdup(path);
	icc->len = b.len;
	icc->data = (unsigned char *)buf_detach(&b);
	return icc;
}

void
pdf_icc_free(struct pdf_icc *icc)
{
	if (icc == NULL)
		return;
	free(icc->path);
	free(icc->data);
	free(icc);
}

/*
 * utf8 as valid UTF-8 that XML 1.0 can carry: pdfi_bad bytes become U+FFFD,
 * control characters a space, U+FFFE and U+FFFF are dropped.  Info and
 * XMP are written from this one string, so they say the same.
 */
static char *
xml_clean(const char *utf8)
{
	const char *s = utf8, *end = utf8 + strlen(utf8);
	struct buf b;

	buf_init(&b);
	while (s < end) {
		uint32_t cp = font_utf8_next(&s, end);
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		if (cp == 0xFFFE || cp == 0xFFFF)
			continue;
		font_utf8_put(&b, cp);
	}
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/* Appends s (clean UTF-8) escaped for XML text and attribute values. */
static void
put_xml(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* Hashes a labelled string into the document ID. */
void
pdfi_id_add(struct pdf *p, const char *label, const void *data, size_t len)
{
	uint64_t n = len;
	unsigned char nb[8];
	int i;

	for (i = 0; i < 8; i++)
		nb[i] = (unsigned char)(n >> (56 - 8 * i));
	sha256_update(&p->idh, label, strlen(label) + 1);
	sha256_update(&p->idh, nb, sizeof(nb));
	sha256_update(&p->idh, data, len);
}

/* PDF/A set-up before libharu starts: the profile, clean metadata, dates. */
bool
pdfi_pdfa_start(struct pdf *p)
{
	size_t i;

	if (p->opt.icc == NULL) {
		p->own_icc = pdf_icc_new(NULL, p->dl);
		if (p->own_icc == NULL)
			return false;
		p->opt.icc = p->own_icc;
	}
	sha256_init(&p->idh);
	for (i = 0; i < N_INFO; i++) {
		const char **v = (const char **)((char *)&p->opt + info_fields[i].off);
		if (*v == NULL)
			continue;
		p->meta[i] = xml_clean(*v);
		*v = p->meta[i];
		pdfi_id_add(p, info_fields[i].key, *v, strlen(*v));
	}
	if (p->opt.have_date) {
		time_t t = (time_t)p->opt.date_epoch;
		struct tm tm;
		if (gmtime_r(&t, &tm) != NULL) {
			snprintf(p->info_date, sizeof(p->info_date), "D:%04d%02d%02d%02d%02d%02d+00'00'",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			snprintf(p->xmp_date, sizeof(p->xmp_date), "%04d-%02d-%02dT%02d:%02d:%02d+00:00",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			pdfi_id_add(p, "date", p->info_date, strlen(p->info_date));
		}
	}
	return true;
}

/* PDF/A dates: our own strings, so Info and XMP name the same instant the same way. */
bool
pdfi_set_pdfa_date(struct pdf *p)
{
	HPDF_Dict info = p->doc->info;

	if (p->info_date[0] == '\0')
		return true;
	if (info == NULL ||
	    HPDF_Dict_Add(info, "CreationDate", HPDF_String_New(p->doc->mmgr, p->info_date, NULL)) !=
		HPDF_OK ||
	    HPDF_Dict_Add(info, "ModDate", HPDF_String_New(p->doc->mmgr, p->info_date, NULL)) !=
		HPDF_OK) {
		pdfi_bad(p, NULL, "setting the dates");
		return false;
	}
	return !pdfi_failed(p, "setting the dates");
}


/*
 * The XMP packet: what Info says, the PDF/UA identification (part 1)
 * and, in PDF/A (uuid not NULL), the PDF/A identification and the
 * document ID.  PDF/A wants every schema outside its own list declared,
 * so the pdfuaid schema comes with its extension schema description.
 */
static void
xmp_packet(struct pdf *p, const unsigned char uuid[16], struct buf *x)
{
	const char *producer = HPDF_GetInfoAttr(p->doc, HPDF_INFO_PRODUCER);
	const char *title = p->opt.title, *author = p->opt.author, *subject = p->opt.subject;
	const char *keywords = p->opt.keywords, *creator = p->opt.creator;
	size_t i;

	buf_puts(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	if (uuid != NULL)
		buf_printf(x, "<rdf:Description rdf:about=\"\" "
			      "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
			      "<pdfaid:part>%s</pdfaid:part>\n"
			      "<pdfaid:conformance>%s</pdfaid:conformance>\n"
			      "</rdf:Description>\n"
			      "<rdf:Description rdf:about=\"\" "
			      "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
			      "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
			      "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
			      "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
			      "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
			      "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
			      "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
			      "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
			      "<pdfaProperty:name>part</pdfaProperty:name>\n"
			      "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
			      "<pdfaProperty:category>internal</pdfaProperty:category>\n"
			      "<pdfaProperty:description>Indicates which part of ISO 14289 the file "
			      "follows</pdfaProperty:description>\n"
			      "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
			      "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
			      "</rdf:Description>\n",
		    p->opt.profile == PDF_A1B ? "1" : "2", p->opt.profile == PDF_A1B ? "B" : "U");
	buf_puts(x, "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
		    "<pdfuaid:part>1</pdfuaid:part>\n"
		    "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		    "<dc:format>application/pdf</dc:format>\n");
	if (title != NULL && *title != '\0') {
		buf_puts(x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		put_xml(x, title);
		buf_puts(x, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (author != NULL && *author != '\0') {
		buf_puts(x, "<dc:creator><rdf:Seq><rdf:li>");
		put_xml(x, author);
		buf_puts(x, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (subject != NULL && *subject != '\0') {
		buf_puts(x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		put_xml(x, subject);
		buf_puts(x, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	buf_puts(x, "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	if (creator != NULL && *creator != '\0') {
		buf_puts(x, "<xmp:CreatorTool>");
		put_xml(x, creator);
		buf_puts(x, "</xmp:CreatorTool>\n");
	}
	if (p->xmp_date[0] != '\0')
		buf_printf(x, "<xmp:CreateDate>%s</xmp:CreateDate>\n"
			      "<xmp:ModifyDate>%s</xmp:ModifyDate>\n", p->xmp_date, p->xmp_date);
	buf_puts(x, "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	if (producer != NULL && *producer != '\0') {
		buf_puts(x, "<pdf:Producer>");
		put_xml(x, producer);
		buf_puts(x, "</pdf:Producer>\n");
	}
	if (keywords != NULL && *keywords != '\0') {
		buf_puts(x, "<pdf:Keywords>");
		put_xml(x, keywords);
		buf_puts(x, "</pdf:Keywords>\n");
	}
	buf_puts(x, "</rdf:Description>\n");
	if (uuid != NULL) {
		buf_puts(x, "<rdf:Description rdf:about=\"\" "
			    "xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n"
			    "<xmpMM:DocumentID>uuid:");
		for (i = 0; i < 16; i++)
			buf_printf(x, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
			    uuid[i]);
		buf_puts(x, "</xmpMM:DocumentID>\n"
			    "</rdf:Description>\n");
	}
	buf_puts(x, "</rdf:RDF>\n"
		    "</x:xmpmeta>\n"
		    "<?xpacket end=\"w\"?>");
}

/* The catalog's /Metadata; uuid as in xmp_packet. */
static bool
write_metadata(struct pdf *p, const unsigned char *uuid)
{
	HPDF_Dict xmp;
	struct buf x;
	bool ok;

	buf_init(&x);
	xmp_packet(p, uuid, &x);
	if (uuid != NULL) {
		/* PDF/A-1 wants the metadata readable without a filter. */
		xmp = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
		ok = !pdfi_bad(p, xmp, "making the XMP metadata");
		if (ok) {
			xmp->filter = HPDF_STREAM_FILTER_NONE;
			HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
		}
	} else {
		xmp = pdfi_deflated_stream(p, x.data, x.len, DEFLATE_LEVEL);
		ok = xmp != NULL;
	}
	if (ok) {
		HPDF_Dict_AddName(xmp, "Type", "Metadata");
		HPDF_Dict_AddName(xmp, "Subtype", "XML");
		HPDF_Dict_Add(p->doc->catalog, "Metadata", xmp);
		ok = !pdfi_failed(p, "making the XMP metadata");
	}
	buf_free(&x);
	return ok;
}

/*
 * What PDF/UA-1 wants of the document: the structure tree, /MarkInfo,
 * /Lang, a title shown as the window's (the first heading when none was
 * given), and in plain files the XMP metadata saying it.
 */
bool
pdfi_ua_finish(struct pdf *p)
{
	HPDF_Dict vp = HPDF_Dict_New(p->doc->mmgr);

	if (p->opt.title == NULL || *p->opt.title == '\0') {
		const char *t = p->first_heading != NULL ? p->first_heading : "Document";
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, "-");
		if (p->doc->info == NULL ||
		    HPDF_Dict_Add(p->doc->info, "Title", pdfi_text_string(p, t)) != HPDF_OK) {
			pdfi_bad(p, NULL, "setting the title");
			return false;
		}
		if (p->pdfa) {
			free(p->meta[0]);
			p->meta[0] = xml_clean(t);
			t = p->meta[0];
		}
		p->opt.title = t;
	}
	if (pdfi_bad(p, vp, "setting the viewer preferences"))
		return false;
	HPDF_Dict_Add(vp, "DisplayDocTitle", HPDF_Boolean_New(p->doc->mmgr, HPDF_TRUE));
	HPDF_Dict_Add(p->doc->catalog, "ViewerPreferences", vp);
	if (!pdf_struct_finish(p->tags, p->opt.lang != NULL ? p->opt.lang : "en") ||
	    pdfi_failed(p, "finishing the structure tree"))
		return false;
	return p->pdfa || write_metadata(p, NULL);
}

/* PDF/A: the output intent, the XMP metadata and the document ID. */
bool
pdfi_pdfa_finish(struct pdf *p)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict icc, intent;
	HPDF_Array intents, id;
	unsigned char digest[32], uuid[16];

	icc = pdfi_deflated_stream_kept(p, p->opt.icc->data, p->opt.icc->len, DEFLATE_LEVEL);
	if (icc == NULL)
		return false;
	HPDF_Dict_AddNumber(icc, "N", 3);
	intent = HPDF_Dict_New(mm);
	intents = HPDF_Array_New(mm);
	if (pdfi_bad(p, intent, "making the output intent") || pdfi_bad(p, intents, "making the output intent"))
		return false;
	HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
	HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, SRGB_CONDITION, NULL));
	HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
	HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, SRGB_CONDITION, NULL));
	HPDF_Dict_Add(intent, "DestOutputProfile", icc);
	HPDF_Array_Add(intents, intent);
	HPDF_Dict_Add(p->doc->catalog, "OutputIntents", intents);
	if (pdfi_failed(p, "making the output intent"))
		return false;

	/* Everything was hashed as it was drawn; the ID is the same for the same input. */
	sha256_final(&p->idh, digest);
	memcpy(uuid, digest, 16);
	uuid[6] = (unsigned char)((uuid[6] & 0x0F) | 0x80); /* RFC 9562 version 8: our own hash */
	uuid[8] = (unsigned char)((uuid[8] & 0x3F) | 0x80);
	if (!write_metadata(p, uuid))
		return false;

	id = HPDF_Array_New(mm);
	if (pdfi_bad(p, id, "making the document ID"))
		return false;
	HPDF_Array_Add(id, HPDF_Binary_New(mm, digest, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(mm, digest, 16));
	HPDF_Dict_Add(p->doc->trailer, "ID", id);
	return !pdfi_failed(p, "making the document ID");
}
