#!/usr/bin/env python3
"""results.py: the JSON writer and the table of ./cellos bench.

    results.py RECORDS OUT [--quick]

RECORDS holds one JSON object a line, as tools/bench/bench.c and bench.sh
write them; every line is parsed strictly (a line that is not one JSON
object with a string "name" and a numeric or null "value" is refused with
RECORDS:LINE:COLUMN and the reason, exit status 1). OUT (results.json) is
then written as one JSON document, {"schema": 1, "quick": ..., "results":
[...]}, through a temporary file, fsync and rename. When OUT existed, the
table on stdout shows each figure's change against it: the ratio's change
where the figure has a same-run baseline (the noise of a shared machine
cancels out of a ratio), else the value's.
"""
import json
import math
import os
import sys
import tempfile


def fail(msg):
    print("results.py: " + msg, file=sys.stderr)
    sys.exit(1)


def finite_or_null(v):
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)
                         and math.isfinite(v))


def read_records(path):
    records = []
    names = set()
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    for n, line in enumerate(lines, 1):
        if line.strip() == "":
            continue
        try:
            r = json.loads(line, parse_constant=lambda c: fail(
                "%s:%d:1: %s is not JSON" % (path, n, c)))
        except json.JSONDecodeError as e:
            fail("%s:%d:%d: %s" % (path, n, e.colno, e.msg))
        if not isinstance(r, dict):
            fail("%s:%d:1: a record must be a JSON object" % (path, n))
        if not isinstance(r.get("name"), str) or r["name"] == "":
            fail('%s:%d:1: a record needs a non-empty string "name"' % (path, n))
        for key in ("value", "ratio", "baseline_value", "min", "max"):
            if key in r and not finite_or_null(r[key]):
                fail('%s:%d:1: "%s" of %s must be a finite number or null'
                     % (path, n, key, r["name"]))
        if "value" not in r:
            fail('%s:%d:1: record %s has no "value"' % (path, n, r["name"]))
        if r["name"] in names:
            fail("%s:%d:1: a second record named %s" % (path, n, r["name"]))
        names.add(r["name"])
        records.append(r)
    if not records:
        fail("%s: no records" % path)
    return records


def read_previous(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        print("results.py: %s: not comparing with it (%s)" % (path, e),
              file=sys.stderr)
        return None
    rows = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        return None
    return {r["name"]: r for r in rows
            if isinstance(r, dict) and isinstance(r.get("name"), str)}


def write_atomically(path, doc):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".results.", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, allow_nan=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def fmt(v):
    return "" if v is None else "%.4g" % v


def change(r, prev):
    if prev is None:
        return ""
    for key in ("ratio", "value"):
        a, b = r.get(key), prev.get(key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b != 0:
            return "%+.1f%% %s" % ((a / b - 1) * 100, key)
    return ""


def main(argv):
    args = [a for a in argv if a != "--quick"]
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(args) != 3 or any(a.startswith("-") for a in args[1:]):
        fail("usage: results.py RECORDS OUT [--quick]")
    records = read_records(args[1])
    previous = read_previous(args[2])
    write_atomically(args[2], {"schema": 1, "quick": "--quick" in argv,
                               "results": records})
    print("%-62s %12s %-10s %9s  %-16s %s" % ("figure", "value", "unit",
          "ratio", "change", "baseline"))
    for r in records:
        base = r.get("baseline", "")
        if "target" in r:
            base = "%s %s" % (r.get("target_is", "target"), fmt(r["target"]))
        if "compressions_per_boot" in r:
            base = "share %.1f%%, %s compressions, %s signals a boot" % (
                100 * (r.get("share") or 0), fmt(r["compressions_per_boot"]),
                fmt(r.get("signals_per_boot")))
        print("%-62s %12s %-10s %9s  %-16s %s" % (
            r["name"], fmt(r.get("value")), r.get("unit", ""),
            fmt(r.get("ratio")),
            change(r, previous.get(r["name"]) if previous else None), base))
    if previous is not None:
        print("(change: against the previous %s)" % args[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
