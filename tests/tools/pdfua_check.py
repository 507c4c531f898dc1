#!/usr/bin/python3
"""pdfua_check: the machine-checkable conditions of PDF/UA-1 (ISO 14289-1)
that archaudit's PDFs must meet, as the Matterhorn Protocol 1.1 lists them
(checkpoint numbers in brackets).  No PDF/UA validator is in Debian, so the
tests carry this one.  It reads with pikepdf (Debian's python3-pikepdf),
never with archaudit's code.

    pdfua_check.py [--lang TEXT=LANG | --langs CSV]... FILE.pdf...

Prints one line per failure, "FILE: page N: what" (page 0 = the document),
and exits 1 if there was any.  Checked:
  document  /MarkInfo /Marked true [01-002]; a StructTreeRoot [01-001]; /Lang
            [11-006]; a title in Info and XMP dc:title [06-003];
            /ViewerPreferences /DisplayDocTitle true [07-001]; XMP
            pdfuaid:part 1 [06-002]; in PDF/A, pdfuaid declared as an
            extension schema; no /RoleMap of a standard type [02-004]
  tree      standard types only [02-001]; one Document at the top; headings
            start at H1 and skip no level [14-002, 14-003]; Table holds TR
            (THead/TBody/TFoot), TR holds TH/TD [15]; every TH has a /Scope
            [15-003]; L holds LI, LI holds Lbl/LBody [16]; every Figure and
            Formula has /Alt [13-004, 17-002]
  content   every painting operator inside marked content with an MCID or
            inside an /Artifact [01-003, 01-004]; no tagged content inside
            an artifact and no artifact inside tagged content [01-005];
            every MCID on a page found through the ParentTree and the
            element it names lists it in /K; every MCID an element lists is
            on its page [01-007]; /Tabs /S on every page [28-002]
  fonts     every font has a ToUnicode map, every code shown is mapped to
            valid Unicode (not 0, FEFF, FFFE) [10-001]; no code 0 (.notdef)
            shown [31-009]
  language  text in a script that names a language (Han, kana, Hangul,
            Arabic, Hebrew, Devanagari, Thai, Greek, Cyrillic, ...: read
            with Python's unicodedata) is in an element whose /Lang, its
            own or inherited, is a language written in it [11-001..11-005];
            a word of one letter (a symbol such as λ) is not judged
  headings  when the document has bookmarks, each heading's text is one
            of theirs (a heading that swallowed the paragraphs after it,
            or lost its words, fails)
  --lang TEXT=LANG (any number, before the files): the innermost element
            holding TEXT is of language LANG (a roster's name in its language);
            --langs FILE: the same for each "lang,text" line of a CSV file
            after its header
  contrast  WCAG 2.1 1.4.3 (a design check, not Matterhorn): each text's
            colour against what lies under its start point, the last
            rectangle filled there (translucent fills blended) or white
            paper: at least 4.5:1, 3:1 for large text (18 pt, or 14 pt
            bold).  Approximate: paths other than rectangles are not seen
            as backgrounds.  Tagged and artifact text alike.
"""
import collections
import re
import sys
import unicodedata

import pikepdf
from pikepdf import Name, Dictionary, Array

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form""".split())
PAINT = set("Tj TJ ' \" f F f* B B* b b* S s sh Do EI".split())


# A letter's script (the first word of its Unicode name) and the primary
# language subtags written in it.
SCRIPT_LANGS = {
    "CJK": {"zh", "ja", "ko"}, "HIRAGANA": {"ja"}, "KATAKANA": {"ja"},
    "HANGUL": {"ko"}, "ARABIC": {"ar", "fa", "ur", "ps", "ku", "sd", "ug"},
    "HEBREW": {"he", "yi", "iw"}, "DEVANAGARI": {"hi", "mr", "ne", "sa", "kok"},
    "BENGALI": {"bn", "as"}, "TAMIL": {"ta"}, "TELUGU": {"te"}, "KANNADA": {"kn"},
    "MALAYALAM": {"ml"}, "GUJARATI": {"gu"}, "GURMUKHI": {"pa"}, "ORIYA": {"or"},
    "SINHALA": {"si"}, "THAI": {"th"}, "LAO": {"lo"}, "KHMER": {"km"},
    "MYANMAR": {"my"}, "GREEK": {"el", "grc"}, "CYRILLIC": {"ru", "uk", "bg", "sr", "be",
                                                           "mk", "kk", "ky", "mn", "tg"},
    "GEORGIAN": {"ka"}, "ARMENIAN": {"hy"}, "ETHIOPIC": {"am", "ti"},
}


def script_of(ch):
    if not unicodedata.category(ch).startswith("L"):
        return None
    w = unicodedata.name(ch, "").split(" ")[0]
    return w if w in SCRIPT_LANGS else None


def letters_key(t):
    """A text's characters as a multiset, spaces left out: right-to-left
    text is shown in visual order, so order is not compared."""
    return collections.Counter(c for c in t if not c.isspace() and c not in "\u202b\u202c")


def luminance(c):
    """WCAG 2.1 relative luminance of an sRGB colour (0..1 components)."""
    def lin(v):
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(max(0.0, min(1.0, v))) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


class Checker:
    def __init__(self, path, want_langs=()):
        self.path = path
        self.failures = []
        self.want_langs = list(want_langs)
        self.mcid_text = collections.defaultdict(str)   # (page, mcid) -> text shown

    def fail(self, page, msg):
        self.failures.append("%s: page %d: %s" % (self.path, page, msg))

    def run(self):
        try:
            pdf = pikepdf.open(self.path)
        except Exception as e:  # noqa: BLE001
            self.fail(0, "cannot open: %s" % e)
            return
        with pdf:
            self.pdf = pdf
            self.page_no = {}
            for i, pg in enumerate(pdf.pages):
                self.page_no[pg.obj.objgen] = i + 1
            self.document()
            self.tree()
            self.content()
            self.language()
            self.headings()

    # ---- document level ----
    def document(self):
        root = self.pdf.Root
        mi = root.get("/MarkInfo")
        if not isinstance(mi, Dictionary) or mi.get("/Marked") is not True:
            self.fail(0, "no /MarkInfo << /Marked true >> [01-002]")
        if "/StructTreeRoot" not in root:
            self.fail(0, "no /StructTreeRoot [01-001]")
        lang = str(root.get("/Lang", "")).strip()
        if not lang:
            self.fail(0, "no document /Lang [11-006]")
        vp = root.get("/ViewerPreferences")
        if not isinstance(vp, Dictionary) or vp.get("/DisplayDocTitle") is not True:
            self.fail(0, "no /ViewerPreferences << /DisplayDocTitle true >> [07-001]")
        info_title = ""
        if self.pdf.trailer.get("/Info") is not None:
            info_title = str(self.pdf.trailer.Info.get("/Title", "")).strip()
        if not info_title:
            self.fail(0, "no /Title in the document information")
        md = root.get("/Metadata")
        if md is None:
            self.fail(0, "no XMP metadata [06-001]")
            return
        xmp = md.read_bytes().decode("utf-8", "replace")
        if not re.search(r"<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>[^<]+</rdf:li>", xmp):
            self.fail(0, "no dc:title in the XMP metadata [06-003]")
        if not re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
            self.fail(0, "no pdfuaid:part 1 in the XMP metadata [06-002]")
        if "<pdfaid:part>" in xmp and not re.search(
                r"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
                xmp):
            self.fail(0, "PDF/A file: pdfuaid is not declared as an extension schema")
        rm = root.get("/StructTreeRoot", Dictionary()).get("/RoleMap")
        if isinstance(rm, Dictionary):
            for k in rm.keys():
                if k[1:] in STANDARD:
                    self.fail(0, "RoleMap remaps the standard type %s [02-004]" % k)

    # ---- structure tree ----
    def elem_page(self, e, pg_default):
        pg = e.get("/Pg")
        return self.page_no.get(pg.objgen, 0) if pg is not None else pg_default

    def tree(self):
        root = self.pdf.Root.get("/StructTreeRoot")
        self.elem_mcids = {}   # (page, mcid) -> element objgen
        self.elems = {}
        self.elem_info = {}    # objgen -> [type, effective lang, own lang, parent, page]
        self.elem_kids = {}    # objgen -> its /K in order: (page, mcid) or ("e", objgen)
        self.doc_lang = str(self.pdf.Root.get("/Lang", "")).strip()
        if root is None:
            return
        kids = root.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
        tops = [k for k in kids if isinstance(k, Dictionary)]
        if len(tops) != 1 or str(tops[0].get("/S")) != "/Document":
            self.fail(0, "the structure tree's top is not one Document element")
        self.last_heading = 0
        self.seen = set()
        for k in tops:
            self.walk(k, None, 0)

    def walk(self, e, parent_type, depth, parent=None):
        if e.objgen in self.seen and e.objgen != (0, 0):
            self.fail(0, "a structure element appears twice in the tree")
            return
        self.seen.add(e.objgen)
        if depth > 100:
            self.fail(0, "structure tree deeper than 100")
            return
        s = str(e.get("/S", ""))[1:]
        page = self.elem_page(e, 0)
        rm = self.pdf.Root.StructTreeRoot.get("/RoleMap")
        std = s
        if s not in STANDARD and isinstance(rm, Dictionary) and ("/" + s) in rm:
            std = str(rm["/" + s])[1:]
        if std not in STANDARD:
            self.fail(page, "structure type %s is not standard nor role-mapped [02-001]" % s)
        own = str(e.get("/Lang", "")).strip() if "/Lang" in e else None
        inherited = self.elem_info[parent][1] if parent in self.elem_info else self.doc_lang
        self.elem_info[e.objgen] = [std, own if own else inherited, own, parent, page]
        m = re.fullmatch(r"H([1-6])", std)
        if m:
            lv = int(m.group(1))
            if self.last_heading == 0 and lv != 1:
                self.fail(page, "the first heading is %s, not H1 [14-002]" % std)
            elif lv > self.last_heading + 1:
                self.fail(page, "heading level skipped: %s after H%d [14-003]"
                          % (std, self.last_heading))
            self.last_heading = lv
        if std == "TH" and not self.has_scope(e):
            self.fail(page, "a TH has no /Scope [15-003]")
        if std in ("Figure", "Formula"):
            alt = str(e.get("/Alt", "")).strip()
            if not alt and "/ActualText" not in e:
                self.fail(page, "a %s has no alternative text [13-004]" % std)
        kids = e.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
        order = self.elem_kids.setdefault(e.objgen, [])
        for k in kids:
            if isinstance(k, Dictionary) and k.get("/Type") == Name.MCR:
                pg = self.elem_page(k, page)
                self.elem_mcids[(pg, int(k.MCID))] = e.objgen
                order.append((pg, int(k.MCID)))
            elif isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR:
                pass
            elif isinstance(k, Dictionary):
                order.append(("e", k.objgen))
                ks = str(k.get("/S", ""))[1:]
                self.check_nesting(std, ks, page)
                self.walk(k, std, depth + 1, e.objgen)
            else:
                try:
                    self.elem_mcids[(page, int(k))] = e.objgen
                    order.append((page, int(k)))
                except (TypeError, ValueError):
                    self.fail(page, "a /K entry is neither an element nor an MCID")

    def check_nesting(self, parent, kid, page):
        allowed = {
            "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
            "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"},
            "TR": {"TH", "TD"},
            "L": {"LI", "Caption", "L"},
            "LI": {"Lbl", "LBody"},
        }
        if parent in allowed and kid not in allowed[parent]:
            self.fail(page, "%s inside %s [%s]" % (kid, parent,
                                                  "15" if parent != "L" and parent != "LI" else "16"))

    @staticmethod
    def has_scope(e):
        a = e.get("/A")
        attrs = list(a) if isinstance(a, Array) else [a] if a is not None else []
        for x in attrs:
            if isinstance(x, Dictionary) and "/Scope" in x:
                return True
        return False

    # ---- content ----
    def content(self):
        ptree = None
        root = self.pdf.Root.get("/StructTreeRoot")
        if root is not None and "/ParentTree" in root:
            ptree = self.number_tree(root.ParentTree)
        seen = set()
        for i, pg in enumerate(self.pdf.pages):
            n = i + 1
            if pg.obj.get("/Tabs") != Name.S:
                self.fail(n, "no /Tabs /S [28-002]")
            mcids = self.page_content(pg, n)
            if mcids and "/StructParents" not in pg.obj:
                self.fail(n, "tagged content but no /StructParents")
                continue
            if not mcids:
                continue
            arr = ptree.get(int(pg.obj.StructParents)) if ptree is not None else None
            for mcid in mcids:
                seen.add((n, mcid))
                el = None
                if isinstance(arr, Array) and mcid < len(arr):
                    el = arr[mcid]
                if not isinstance(el, Dictionary):
                    self.fail(n, "MCID %d is not in the ParentTree [01-007]" % mcid)
                elif self.elem_mcids.get((n, mcid)) != el.objgen:
                    self.fail(n, "MCID %d: the ParentTree names an element that does not "
                              "list it" % mcid)
        for (n, mcid) in sorted(self.elem_mcids):
            if (n, mcid) not in seen:
                self.fail(n, "an element lists MCID %d, which is not on its page" % mcid)

    def shown(self, n, mstack, text):
        """text was shown (or is the ActualText) inside the marked content mstack."""
        for mcid, _ in reversed(mstack):
            if mcid is not None:
                self.mcid_text[(n, mcid)] += text
                return

    def elem_text(self, g, depth=0):
        """An element's text: its own MCIDs' and its kids', in /K order."""
        if depth > 100:
            return ""
        return "".join(self.mcid_text.get(k, "") if isinstance(k, tuple) and k[0] != "e"
                       else self.elem_text(k[1], depth + 1) for k in self.elem_kids.get(g, []))

    # ---- language ----
    def language(self):
        for (n, mcid), text in sorted(self.mcid_text.items()):
            g = self.elem_mcids.get((n, mcid))
            if g is None:
                continue
            lang = self.elem_info[g][1]
            prim = lang.split("-")[0].lower()
            for word in re.split(r"[^\w]+", text):
                scripts = {script_of(ch) for ch in word} - {None}
                letters = sum(1 for ch in word if script_of(ch))
                if letters < 2 and "CJK" not in scripts and "HIRAGANA" not in scripts:
                    continue  # a symbol, such as λ
                for sc in sorted(scripts):
                    if prim not in SCRIPT_LANGS[sc]:
                        self.fail(n, "\"%s\" (%s script) is in an element of language \"%s\" "
                                  "[11-001]" % (word, sc, lang))
                        break
                else:
                    continue
                break
        for text, lang in self.want_langs:
            # The innermost element holding all of text is in language lang.
            want = letters_key(text)
            best = None
            for g, info in self.elem_info.items():
                have = letters_key(self.elem_text(g))
                if want and all(have[c] >= k for c, k in want.items()):
                    d, p = 0, info[3]
                    while p in self.elem_info and d < 100:
                        d, p = d + 1, self.elem_info[p][3]
                    if best is None or d > best[0]:
                        best = (d, info)
            if best is None:
                self.fail(0, "no element has the text \"%s\"" % text)
            elif best[1][1] != lang:
                self.fail(best[1][4], "\"%s\" is in a %s of language \"%s\", not %s"
                          % (text, best[1][0], best[1][1], lang))

    # ---- headings against the bookmarks ----
    def headings(self):
        titles = []
        try:
            with self.pdf.open_outline() as o:
                todo = list(o.root)
                while todo:
                    it = todo.pop()
                    titles.append(letters_key(it.title))
                    todo.extend(it.children)
        except Exception:  # noqa: BLE001
            return
        if not titles:
            return
        for g, info in self.elem_info.items():
            if not re.fullmatch(r"H[1-6]?", info[0]):
                continue
            t = self.elem_text(g)
            if letters_key(t) not in titles:
                self.fail(info[4], "heading %s \"%s\" is no bookmark's title (its "
                          "element holds other text?)" % (info[0], t[:80]))

    def number_tree(self, node, out=None, depth=0):
        out = {} if out is None else out
        if depth > 30:
            return out
        if "/Nums" in node:
            nums = node.Nums
            for j in range(0, len(nums) - 1, 2):
                out[int(nums[j])] = nums[j + 1]
        for k in node.get("/Kids", []):
            self.number_tree(k, out, depth + 1)
        return out

    def fonts_of(self, res, cache):
        fonts = {}
        fd = res.get("/Font") if res is not None else None
        if isinstance(fd, Dictionary):
            for k, f in fd.items():
                fonts[k] = self.font_map(f, cache)
        return fonts

    def font_map(self, f, cache):
        key = f.objgen
        if key in cache and key != (0, 0):
            return cache[key]
        two = f.get("/Subtype") == Name.Type0
        m = None
        if "/ToUnicode" in f:
            m = {}
            data = f.ToUnicode.read_bytes().decode("latin-1")
            for blk in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
                for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", blk):
                    m[int(a, 16)] = b
            for blk in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
                for a, z, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                          blk):
                    for c in range(int(a, 16), int(z, 16) + 1):
                        m[c] = "%04X" % (int(b, 16) + c - int(a, 16))
        cache[key] = (two, m, str(f.get("/BaseFont", "?")))
        return cache[key]

    def check_codes(self, n, font, data):
        """Checks the codes shown and returns their text."""
        text = []
        if font is None:
            self.fail(n, "text shown with no font set")
            return ""
        two, m, name = font
        if m is None:
            self.fail(n, "font %s has no ToUnicode map [10-001]" % name)
            return ""
        step = 2 if two else 1
        for j in range(0, len(data) - step + 1, step):
            code = int.from_bytes(data[j:j + step], "big")
            if two and code == 0:
                self.fail(n, "font %s: code 0 (.notdef) shown [31-009]" % name)
                continue
            u = m.get(code)
            if u is None or u == "" or u.upper() in ("0000", "FEFF", "FFFE"):
                self.fail(n, "font %s: code %04X has no valid Unicode mapping [10-001]"
                          % (name, code))
                continue
            try:
                text.append(bytes.fromhex(u).decode("utf-16-be"))
            except ValueError:
                self.fail(n, "font %s: code %04X maps to bad UTF-16 %s [10-001]"
                          % (name, code, u))
        return "".join(text)

    @staticmethod
    def back_at(backs, x, y):
        for r in reversed(backs):
            if r[0] <= x <= r[2] and r[1] <= y <= r[3]:
                return r[4]
        return (1.0, 1.0, 1.0)

    @staticmethod
    def hexc(c):
        return "#%02X%02X%02X" % tuple(int(round(v * 255)) for v in c)

    def page_content(self, pg, n):
        mcids = []
        stack = []   # each: "tag" (has MCID), "art", or "other"
        mstack = []  # each: (its MCID or None, its /ActualText or None)
        cache = {}
        fonts = self.fonts_of(pg.obj.get("/Resources"), cache)
        font = None
        bad_paint = 0
        try:
            ops = pikepdf.parse_content_stream(pg)
        except Exception as e:  # noqa: BLE001
            self.fail(n, "content stream does not parse: %s" % e)
            return mcids
        fill = (0.0, 0.0, 0.0)
        alpha = 1.0
        gstack = []
        path = []          # rectangles of the current path
        backs = []         # (x0, y0, x1, y1, colour) filled, in painting order
        tx = ty = 0.0      # start of the current text line (translation only)
        size = 0.0
        bold = False
        # The text a reader sees at each place: a PDF/A-1b page paints a label
        # again, blended, wherever a translucent fill (made opaque) covers it,
        # so only the last painting at a position is judged.
        seen = {}
        gsres = pg.obj.get("/Resources", Dictionary()).get("/ExtGState", Dictionary())
        for operands, op in ops:
            op = str(op)
            if op == "q":
                gstack.append((fill, alpha))
            elif op == "Q" and gstack:
                fill, alpha = gstack.pop()
            elif op == "rg":
                fill = tuple(float(v) for v in operands)
            elif op == "g":
                fill = (float(operands[0]),) * 3
            elif op == "gs":
                st = gsres.get(str(operands[0]))
                alpha = float(st.get("/ca", 1)) if isinstance(st, Dictionary) else 1.0
            elif op == "re":
                x, y, w, h = (float(v) for v in operands)
                path.append((min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)))
            elif op in ("f", "F", "f*", "B", "B*"):
                for r in path:
                    under = self.back_at(backs, r[0], r[1])
                    col = tuple(alpha * fill[k] + (1 - alpha) * under[k] for k in range(3))
                    backs.append(r + (col,))
                path = []
            elif op in ("n", "S", "s", "b", "b*", "W", "W*"):
                if op != "W" and op != "W*":
                    path = []
            elif op == "BT":
                tx = ty = 0.0
            elif op == "Td":
                tx += float(operands[0])
                ty += float(operands[1])
            elif op == "Tm":
                tx, ty = float(operands[4]), float(operands[5])
            if op == "Tf":
                size = float(operands[1])
                fo = fonts.get(str(operands[0]))
                bold = fo is not None and "bold" in fo[2].lower()
            if op in ("Tj", "TJ", "'", '"'):
                bg = self.back_at(backs, tx + 1.0, ty + 1.0)
                ratio = contrast(fill, bg)
                need = 3.0 if size >= 18 or (bold and size >= 14) else 4.5
                seen[(round(tx, 1), round(ty, 1), size)] = (ratio, need, fill, bg, size)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, Name):
                    pr = pg.obj.get("/Resources", Dictionary()).get("/Properties", Dictionary())
                    props = pr.get(str(props))
                actual = None
                if isinstance(props, Dictionary) and "/ActualText" in props:
                    actual = str(props.ActualText)
                if tag == "/Artifact":
                    if "tag" in stack:
                        self.fail(n, "an artifact inside tagged content [01-005]")
                    stack.append("art")
                    mstack.append((None, actual))
                elif isinstance(props, Dictionary) and "/MCID" in props:
                    if "art" in stack:
                        self.fail(n, "tagged content (MCID %d) inside an artifact [01-005]"
                                  % int(props.MCID))
                    mcids.append(int(props.MCID))
                    stack.append("tag")
                    mstack.append((int(props.MCID), actual))
                else:
                    stack.append("other")
                    mstack.append((None, actual))
            elif op == "EMC":
                if not stack:
                    self.fail(n, "EMC without BDC/BMC")
                else:
                    stack.pop()
                    _, actual = mstack.pop()
                    if actual is not None and not any(a is not None for _, a in mstack):
                        self.shown(n, mstack, actual)
            elif op == "Tf":
                font = fonts.get(str(operands[0]))
                if font is None:
                    self.fail(n, "font %s not in the page's resources" % operands[0])
            elif op in PAINT:
                if "tag" not in stack and "art" not in stack:
                    bad_paint += 1
                text = ""
                if op in ("Tj", "'", '"'):
                    text = self.check_codes(n, font, bytes(operands[-1]))
                elif op == "TJ":
                    for x in operands[0]:
                        if isinstance(x, pikepdf.String):
                            text += self.check_codes(n, font, bytes(x))
                if text and not any(a is not None for _, a in mstack):
                    self.shown(n, mstack, text)
        low = [v for v in seen.values() if v[0] < v[1]]
        worst = min(low, key=lambda v: v[0]) if low else None
        if worst is not None:
            ratio, need, fg, bg, sz = worst
            self.fail(n, "text contrast %.2f:1 below %.1f:1 (colour %s on %s, %.1f pt) [WCAG 1.4.3]"
                      % (ratio, need, self.hexc(fg), self.hexc(bg), sz))
        if stack:
            self.fail(n, "marked content left open at the end of the page")
        if bad_paint:
            self.fail(n, "%d painting operators neither tagged nor artifacts [01-003]"
                      % bad_paint)
        if len(set(mcids)) != len(mcids):
            self.fail(n, "an MCID is used twice")
        return mcids


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: pdfua_check.py [--lang TEXT=LANG]... FILE.pdf...\n")
        return 2
    bad = 0
    want = []
    args = argv[1:]
    while len(args) >= 2 and args[0] in ("--lang", "--langs"):
        if args[0] == "--lang":
            text, _, lang = args[1].rpartition("=")
            want.append((text, lang))
        else:
            with open(args[1], encoding="utf-8") as f:
                for line in f.read().splitlines()[1:]:
                    lang, _, text = line.partition(",")
                    want.append((text, lang))
        args = args[2:]
    for path in args:
        c = Checker(path, want)
        c.run()
        # A long list helps nobody: the first 40 failures per file.
        for line in c.failures[:40]:
            print(line)
        if len(c.failures) > 40:
            print("%s: ... and %d more failures" % (path, len(c.failures) - 40))
        bad += bool(c.failures)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
