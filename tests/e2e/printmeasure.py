#!/usr/bin/python3
"""Print measurements of archaudit PDFs, read back with pdfminer (not our code).

Usage: printmeasure.py [--limits] PDF...

For each PDF: pages; the smallest text size (every character, chart labels
and superscripts included); the median characters per body line (lines set
at the body size that start at the left edge of the text column); the
empty share of each page (the text block below the lowest thing drawn,
running head and folio left out); straight quotes left in the prose.
With --limits it checks issue 16's limits over all the PDFs given and
exits 1 when one is broken:
  no text below 7 pt; median body line at most 75 characters (and at least
  50, so that a test cannot pass by a column too narrow to read); no page
  but the last more than 25 % empty, those pages at most 8 % empty on
  average, the last at least 25 % full; at most five pages on average; no
  straight quote or apostrophe in the prose (a ledger's own strings,
  shown in the appendix's small type or in mono, are left out).
"""
import statistics
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTLine, LTRect, LTTextContainer, LTTextLine

# The text block of the report's layout (src/layout.c): margins top and
# bottom, in points.  The running head sits above it and the folio below.
MARGIN_TOP = 48.0
MARGIN_BOTTOM = 46.0


def walk(obj):
    yield obj
    if hasattr(obj, "__iter__") and not isinstance(obj, LTChar):
        for o in obj:
            yield from walk(o)


def char_size(c):
    """The size of a character in points.  pdfminer's size of a character
    turned on its side is its advance; the extent across is its size."""
    return c.width if abs(c.matrix[0]) < 1e-6 else c.size


def chars_of(line):
    return [c for c in line if isinstance(c, LTChar)]


def measure(path):
    pages = []
    sizes = []
    body_lines = []
    quotes = []
    mono_or_small = []
    weights = {}
    for page in extract_pages(path):
        h = page.height
        top = h - MARGIN_TOP        # pdfminer's y grows upwards
        bottom = MARGIN_BOTTOM
        lowest = top
        lines = []
        for o in walk(page):
            if isinstance(o, LTChar):
                if o.get_text().strip():
                    sizes.append(round(char_size(o), 2))
            if isinstance(o, (LTChar, LTRect, LTLine, LTCurve)):
                if o.y1 <= bottom or o.y0 >= top + 1:
                    continue          # running head, folio
                if isinstance(o, LTRect) and o.width > page.width * 0.9:
                    continue
                lowest = min(lowest, o.y0)
            if isinstance(o, LTTextLine):
                lines.append(o)
        used = (top - max(lowest, bottom)) / (top - bottom)
        pages.append(1.0 - used)
        for ln in lines:
            cs = chars_of(ln)
            if not cs:
                continue
            text = ln.get_text().rstrip("\n")
            sz = statistics.mode(round(char_size(c), 1) for c in cs)
            fonts = {c.fontname for c in cs}
            mono = any("Mono" in f for f in fonts)
            if mono or sz < 8.5:
                mono_or_small.append(text)
            else:
                for q in "'\"":
                    if q in text:
                        quotes.append(text.strip())
                        break
            lines_size = sz
            body_lines.append((lines_size, ln.x0, len(text.strip()), text))
            weights[lines_size] = weights.get(lines_size, 0) + len(text)
    # the body size is the one most characters are set in
    body_size = max(weights, key=weights.get) if weights else 0
    left = min((x for s, x, _, _ in body_lines if s == body_size), default=0)
    lens = [n for s, x, n, _ in body_lines if s == body_size and abs(x - left) < 1.5]
    return {
        "path": path,
        "pages": len(pages),
        "min_size": min(sizes) if sizes else 0,
        "body_size": body_size,
        "median_chars": statistics.median(lens) if lens else 0,
        "p90_chars": sorted(lens)[int(len(lens) * 0.9)] if lens else 0,
        "empty": pages,
        "quotes": quotes,
    }


def main(argv):
    limits = False
    if argv and argv[0] == "--limits":
        limits = True
        argv = argv[1:]
    results = [measure(p) for p in argv]
    bad = []
    inner = []
    for r in results:
        e = r["empty"]
        print("%-48s %d pp  min %.2f pt  body %.1f pt  median %s chars (p90 %s)  empty %s  quotes %d" % (
            r["path"].rsplit("/", 1)[-1], r["pages"], r["min_size"], r["body_size"],
            r["median_chars"], r["p90_chars"],
            " ".join("%.0f%%" % (100 * x) for x in e), len(r["quotes"])))
        for q in r["quotes"][:40]:
            print("    straight quote: %s" % q)
        inner += e[:-1]
        if r["min_size"] < 7.0 - 0.01:
            bad.append("%s: text at %.2f pt, below 7 pt" % (r["path"], r["min_size"]))
        if not 50 <= r["median_chars"] <= 75:
            bad.append("%s: median body line %s characters, not 50-75" % (r["path"], r["median_chars"]))
        for i, x in enumerate(e[:-1]):
            if x > 0.25:
                bad.append("%s: page %d is %.0f %% empty" % (r["path"], i + 1, 100 * x))
        if e and e[-1] > 0.75:
            bad.append("%s: last page %.0f %% empty" % (r["path"], 100 * e[-1]))
        if r["quotes"]:
            bad.append("%s: %d straight quotes in the prose" % (r["path"], len(r["quotes"])))
    avg_pages = sum(r["pages"] for r in results) / max(len(results), 1)
    avg_inner = sum(inner) / len(inner) if inner else 0.0
    print("average pages %.2f; pages but the last: %.1f %% empty on average (%d pages)" % (
        avg_pages, 100 * avg_inner, len(inner)))
    if limits:
        if avg_pages > 5.0:
            bad.append("average %.2f pages, above 5" % avg_pages)
        if avg_inner > 0.08:
            bad.append("pages but the last are %.1f %% empty on average, above 8 %%" % (100 * avg_inner))
        for b in bad:
            print("LIMIT " + b)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
