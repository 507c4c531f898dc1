#!/bin/sh
# Message ids (src/base/util.h, diag_add): every diagnostic names a static
# id "<module>.<kebab-slug>" so that tests and scripts match the id, not
# the wording.  Over src/, this checks that
# 1. every id written at a call site of diag_add (or of a helper that
#    passes its id on) is a string literal of the form ^[a-z0-9]+\.[a-z0-9-]+$,
#    or one of the few expressions that forward an id already given;
# 2. no two different format strings share an id, unless SHARED below says
#    so (the same message worded for two cases).
# The rules are run once on a made-up tree that breaks each, so they are
# known to fail when they should.  Run from the top of the tree.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -d src/base ] || { echo "msgids: FAIL: run from the top of the tree"; exit 1; }

check() {
	python3 - "$1" <<'EOF'
import os, re, sys

root = sys.argv[1]
# function: index (0-based) of its id argument
CALLS = {'diag_add': 2, 'warn': 1, 'error_at': 4, 'fail': 1,
         'loader_error': 2, 'unexpected': 1, 'digits': 1,
         'mst_report_error': 1, 'jsoncheck_report': 1}
# csv.c's fail takes (r, line, col, dl, id, msg); pdfobj.c's fail is a
# reason of pdf.cannot-copy and pdf.bad-object, not a diagnostic
FILE_CALLS = {'csv.c': {'fail': 4}, 'pdfobj.c': {'fail': None}}
# expressions that pass on an id given elsewhere
FORWARD = {'id', 'why_id', 'dl.items[d].id', 'src->items[i].id'}
# ids two format strings share on purpose: one message, two wordings
SHARED = {'json.trailing-comma', 'json.missing-comma', 'ledger.duplicate-key',
          'pdf.cannot-copy', 'pdf.bad-object'}
ID = re.compile(r'^[a-z0-9]+\.[a-z0-9-]+$')
LIT = re.compile(r'"((?:[^"\\]|\\.)*)"')

def args_at(s, i):
    """The top-level arguments of the call whose '(' is at s[i-1]."""
    out, depth, start = [], 0, i
    while i < len(s):
        ch = s[i]
        if ch == '"':
            i += 1
            while s[i] != '"':
                i += 2 if s[i] == '\\' else 1
        elif ch == "'":
            i += 1
            while s[i] != "'":
                i += 2 if s[i] == '\\' else 1
        elif ch in '([{':
            depth += 1
        elif ch in ')]}':
            if depth == 0:
                out.append(s[start:i].strip())
                return out
            depth -= 1
        elif ch == ',' and depth == 0:
            out.append(s[start:i].strip())
            start = i + 1
        i += 1
    return out

def literal(a):
    parts = LIT.findall(a)
    rest = LIT.sub('', a).strip()
    return ''.join(parts) if parts and not rest else None

fails = []
ids = {}
for d, _, files in os.walk(os.path.join(root, 'src')):
    for fn in sorted(files):
        if not fn.endswith('.c'):
            continue
        path = os.path.join(d, fn)
        rel = os.path.relpath(path, root)
        s = open(path, encoding='utf-8', errors='replace').read()
        s = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), s, flags=re.S)
        calls = dict(CALLS, **FILE_CALLS.get(fn, {}))
        calls = {k: v for k, v in calls.items() if v is not None}
        for m in re.finditer(r'(?<![\w>.])(%s)\(' % '|'.join(calls), s):
            line = s.count('\n', 0, m.start()) + 1
            before = s[s.rfind('\n', 0, m.start()) + 1:m.start()]
            if before == '' or re.search(r'\b(void|bool|int|static)\b', before):
                continue        # a definition or a prototype
            a = args_at(s, m.end())
            k = calls[m.group(1)]
            if len(a) <= k:
                continue        # another function of that name
            idarg = a[k]
            where = '%s:%d' % (rel, line)
            if idarg in FORWARD:
                continue
            ident = literal(idarg)
            if ident is None:
                fails.append('%s: id %s is neither a literal nor a forwarded id' % (where, idarg))
                continue
            if not ID.match(ident):
                fails.append('%s: id "%s" is not <module>.<kebab-slug>' % (where, ident))
                continue
            fmt = None
            if m.group(1) == 'diag_add' and len(a) > 4:
                fmt = literal(a[4])
                if fmt == '%s' and len(a) > 5 and literal(a[5]) is not None:
                    fmt = literal(a[5])
            elif len(a) > k + 1:
                fmt = literal(a[k + 1])
                if fmt == '%s' and len(a) > k + 2 and literal(a[k + 2]) is not None:
                    fmt = literal(a[k + 2])
            if fmt is None:
                fmt = '(%s)' % (a[k + 1] if len(a) > k + 1 else '')
            ids.setdefault(ident, {}).setdefault(fmt, where)
for ident in sorted(ids):
    if len(ids[ident]) > 1 and ident not in SHARED:
        fails.append('id %s names %d different messages: %s' % (ident,
            len(ids[ident]), ', '.join(sorted(ids[ident].values()))))
for f in fails:
    print('msgids: FAIL: ' + f)
print('%d ids' % len(ids), file=sys.stderr)
sys.exit(1 if fails else 0)
EOF
}

fails=0
# 0. The rules catch a tree that breaks them.
mkdir -p "$T/src/read"
printf 'void f(void)\n{\n\tdiag_add(dl, DIAG_ERROR, "Ledger.Empty", w, "empty");\n}\n' >"$T/src/read/a.c"
check "$T" 2>/dev/null | grep -q 'a.c:3: id "Ledger.Empty"' || {
	echo "msgids: FAIL: rule 1 does not catch a made-up bad id"; fails=$((fails + 1)); }
printf 'void f(void)\n{\n\tdiag_add(dl, DIAG_ERROR, "ledger.x", w, "one");\n\tdiag_add(dl, DIAG_ERROR, "ledger.x", w, "two %%s", s);\n}\n' >"$T/src/read/a.c"
check "$T" 2>/dev/null | grep -q 'id ledger.x names 2 different messages' || {
	echo "msgids: FAIL: rule 2 does not catch a made-up clash"; fails=$((fails + 1)); }
printf 'void f(void)\n{\n\tdiag_add(dl, DIAG_ERROR, pick(), w, "one");\n}\n' >"$T/src/read/a.c"
check "$T" 2>/dev/null | grep -q 'neither a literal' || {
	echo "msgids: FAIL: rule 1 does not catch a computed id"; fails=$((fails + 1)); }

# 1 and 2 on our sources
out=$(check . 2>"$T/n") || { echo "$out"; fails=$((fails + 1)); }
if [ "$fails" -eq 0 ]; then
	echo "ok   msgids: $(cat "$T/n"), each <module>.<kebab-slug>, one message each (but the shared ones)"
fi
[ "$fails" -eq 0 ]
