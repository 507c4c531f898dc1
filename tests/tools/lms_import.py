#!/usr/bin/python3
"""Read a gradebook CSV as Canvas's or Moodle's grade import reads it.

Not our C code: the rules below follow the importers' own sources, so a
file archaudit writes is checked against what the LMS would do with it.

canvas  canvas-lms app/models/gradebook_importer.rb: the first row is a
        header when cell 0 matches /Student/ and cell 1 /ID/; then either
        cell 2 "SIS Login ID", or cells 2 and 3 "SIS User ID" and "SIS
        Login ID"; the last student column must match /Section/.  A row
        whose cell 0 matches /Points Possible/ gives the points of each
        assignment.  Every row must split into the same number of fields
        with ',' (the importer guesses ';' otherwise).  A student is found
        by ID, then SIS User ID, then SIS Login ID, then name.  Scores may
        be numbers, "EX" or empty (no change).
moodle  moodle grade/import/csv/classes/load_data.php: one column mapped
        from a user field (email, idnumber); a row whose identifier is
        empty or unknown stops the whole import; a grade must be a number,
        empty or "-" (no grade), anything else stops the import.

Usage: lms_import.py canvas|moodle FILE.csv ROSTER.csv
Prints one line per student found: "<roster id>\t<column>=<score>..."
in file order, and exits 1 with the importer's complaint otherwise.
"""
import csv
import re
import sys


def fail(msg):
    print("lms_import: " + msg, file=sys.stderr)
    sys.exit(1)


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    rows = list(csv.reader(text.splitlines(True)))
    if len({len(r) for r in rows}) != 1:
        fail("rows of different lengths: the importer would guess the delimiter wrong")
    return rows


def number(cell, allowed):
    if cell in allowed:
        return None
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell):
        fail("score %r is not a number" % cell)
    return cell


def canvas(rows, roster):
    head = rows[0]
    if not (len(head) > 3 and re.search("Student", head[0]) and re.search("ID", head[1])):
        fail("Invalid header row (Student, ID)")
    if re.search(r"SIS\s+Login\s+ID", head[2]):
        ncols = 4
    elif re.search(r"SIS\s+User\s+ID", head[2]) and re.search(r"SIS\s+Login\s+ID", head[3]):
        ncols = 5
    else:
        ncols = 3
    if not re.search("Section", head[ncols - 1]):
        fail("Invalid header row (the last student column is not Section)")
    titles = head[ncols:]
    by_sis = {r["sis_id"]: r for r in roster if r.get("sis_id")}
    by_login = {r["email"]: r for r in roster if r.get("email")}
    by_name = {r["name"]: r for r in roster}
    points = None
    for row in rows[1:]:
        if re.search("Points Possible", row[0]):
            points = row[ncols:]
            for p in points:
                number(p, ())
            continue
        if all(re.fullmatch(r"(Muted|)", c.strip(), re.I) for c in row):
            continue
        st = None
        if ncols == 5 and row[2]:
            st = by_sis.get(row[2])
        if st is None and row[ncols - 2]:
            st = by_login.get(row[ncols - 2])
        if st is None and row[0]:
            st = by_name.get(row[0])
        if st is None:
            fail("student %r is not in the course" % row[0])
        cells = ["%s=%s" % (t, number(c.strip(), ("", "EX")) or "")
                 for t, c in zip(titles, row[ncols:])]
        print(st["id"] + "\t" + "\t".join(cells))
    if points is None:
        fail("no Points Possible row: new assignments would be out of 0 points")
    print("points\t" + "\t".join("%s=%s" % tp for tp in zip(titles, points)))


def moodle(rows, roster):
    head = rows[0]
    field = {"Email address": "email", "ID number": "sis_id"}.get(head[0])
    if field is None:
        fail("the first column %r is no user field to map from" % head[0])
    users = {r[field]: r for r in roster if r.get(field)}
    for row in rows[1:]:
        if len(row) <= 1:
            continue
        key = row[0].strip()
        if not key or key not in users:
            fail("usermappingerrorusernotfound: %r (the import stops)" % key)
        cells = ["%s=%s" % (t, number(c.strip(), ("", "-")) or "")
                 for t, c in zip(head[3:], row[3:])]
        print(users[key]["id"] + "\t" + "\t".join(cells))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("canvas", "moodle"):
        fail("usage: lms_import.py canvas|moodle FILE.csv ROSTER.csv")
    rows = rows_of(sys.argv[2])
    with open(sys.argv[3], encoding="utf-8-sig", newline="") as f:
        roster = list(csv.DictReader(f))
    (canvas if sys.argv[1] == "canvas" else moodle)(rows, roster)


main()
