#!/usr/bin/env python3
"""sample.py [--seed N] [--count N] [--list] [FILE...] -- plant random one-line
mutants in the kernel's target-independent code (default: core/*.c and
wire/*.c) and see what catches each: the hosted proof boot itself, else the
hosted test suite, else nothing.

A mutant changes one operator or one constant on one line of code (< for
<=, == for !=, && for ||, ++ for --, a + 1 dropped, N for N + 1, ...),
chosen at random from every place one applies (--seed picks the sample,
so a run can be repeated). Each is planted in a scratch worktree of HEAD
(build/mutations/sample-tree, its hosted build inside it) and:
  1. the hosted kernel is rebuilt and booted: a status other than 0 means
     the kernel caught it (the verdict line is kept);
  2. otherwise the whole hosted tree is rebuilt and ctest runs everything
     without a board, lint or debug label (those need board images or
     check the sources, not the kernel): the failing tests caught it;
  3. otherwise it SURVIVED.
A survivor is either equivalent (the same behaviour: a bound that cannot
be reached, a comment) or a gap in the tests; judging which is the point
of the run, so the script lists the survivors and exits 0. Results also go
to build/mutations/sample-SEED.jsonl, one JSON object per mutant.

tests/mutations/run.sh is the other half: curated bugs the kernel itself
must catch. A survivor here that is a real gap gets a test (or a check in
the kernel and a patch for run.sh). docs/TESTING.md.
"""
import argparse, glob, json, os, random, re, subprocess, sys

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = os.path.join(top, "build", "mutations")
tree = os.path.join(work, "sample-tree")
build = os.path.join(tree, "build", "hosted")
skipped_labels = "x86|arm64|mcu|uefi|lint|debug"

# (pattern, replacement): the replacement "+1" adds one to the number matched.
OPERATORS = [
    (r"(?<![<>=!-])<(?![<=])", "<="), (r"<=", "<"),
    (r"(?<![<>=-])>(?![>=])", ">="), (r">=", ">"),
    (r"==", "!="), (r"!=", "=="),
    (r"&&", "||"), (r"\|\|", "&&"),
    (r" \+ 1\b", ""), (r" - 1\b", ""),
    (r"\b([2-9]|[1-9][0-9]+)(u?)\b(?![.xX])", "+1"),
    (r"\^=", "|="), (r"\+\+", "--"),
]


def code_lines(path):
    """(number, text) of each line that is code: no comment, no preprocessor
    line, no string (a message is not a mechanism), no static assertion."""
    in_comment = False
    for n, line in enumerate(open(path).read().split("\n"), 1):
        s = line.strip()
        if in_comment:
            in_comment = "*/" not in s
            continue
        if s.startswith("/*"):
            in_comment = "*/" not in s
            continue
        code, opens, rest = line.partition("/*")
        in_comment = bool(opens) and "*/" not in rest
        if not s or s.startswith(("#", "//")) or '"' in s or "_Static_assert" in s:
            continue
        yield n, code


def candidates(files):
    out = []
    for path in files:
        rel = os.path.relpath(path, top)
        for n, line in code_lines(path):
            for pattern, rep in OPERATORS:
                for m in re.finditer(pattern, line):
                    new = rep
                    if rep == "+1":
                        new = str(int(m.group(1)) + 1) + m.group(2)
                    out.append({"file": rel, "line": n, "old": line,
                                "new": line[:m.start()] + new + line[m.end():]})
    return out


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def prepare():
    os.makedirs(work, exist_ok=True)
    if not os.path.isdir(tree):
        r = run(["git", "-C", top, "worktree", "add", "--detach", tree, "HEAD"])
        if r.returncode != 0:
            sys.exit("sample: cannot make the scratch worktree %s:\n%s" % (tree, r.stderr))
    head = run(["git", "-C", top, "rev-parse", "HEAD"]).stdout.strip()
    run(["git", "-C", tree, "checkout", "--detach", "-q", head])
    run(["git", "-C", tree, "checkout", "-q", "--", "."])
    if not os.path.isdir(build):
        r = run(["cmake", "--preset", "hosted", "-S", tree, "-B", build])
        if r.returncode != 0:
            sys.exit("sample: configuring the hosted tree failed:\n" + r.stdout + r.stderr)
    r = run(["cmake", "--build", build])
    if r.returncode != 0:
        sys.exit("sample: HEAD does not build:\n" + r.stdout[-2000:])


def judge(m):
    """Plant m, say what caught it, take it out again."""
    path = os.path.join(tree, m["file"])
    text = open(path).read()
    lines = text.split("\n")
    lines[m["line"] - 1] = lines[m["line"] - 1].replace(m["old"], m["new"], 1)
    open(path, "w").write("\n".join(lines))
    try:
        if run(["cmake", "--build", build, "--target", "cellos-hosted"]).returncode != 0:
            return "does not build", ""
        try:
            b = run([os.path.join(build, "arch", "hosted", "cellos-hosted")], timeout=60)
        except subprocess.TimeoutExpired:
            return "boot", "hung (60 s)"
        if b.returncode != 0:
            verdict = [l for l in b.stdout.split("\n") if l.startswith(("FULL", "PROOF", "#X"))]
            return "boot", "status %d: %s" % (b.returncode, verdict[-1] if verdict else "")
        if run(["cmake", "--build", build]).returncode != 0:
            return "does not build", "(a test)"
        t = run(["ctest", "--test-dir", build, "-j2", "--timeout", "120", "-LE", skipped_labels])
        failed = re.findall(r"\d+ - (\S+) \((?:Failed|Timeout|SEGFAULT|Subprocess aborted|Exception)", t.stdout)
        return ("tests", " ".join(failed)) if failed else ("SURVIVED", "")
    finally:
        open(path, "w").write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--list", action="store_true", help="print the sample, plant nothing")
    ap.add_argument("files", nargs="*", help="C files (default: core/*.c wire/*.c)")
    a = ap.parse_args()
    files = [os.path.abspath(f) for f in a.files] or sorted(
        glob.glob(os.path.join(top, "core", "*.c")) + glob.glob(os.path.join(top, "wire", "*.c")))
    for f in files:
        if not f.startswith(top + os.sep) or not os.path.isfile(f):
            sys.exit("sample: %s: not a file of this tree" % f)
    pool = candidates(files)
    random.Random(a.seed).shuffle(pool)
    sample = pool[:a.count]
    print("sample: %d of %d mutants (seed %d)" % (len(sample), len(pool), a.seed), file=sys.stderr)
    if a.list:
        for m in sample:
            print("%s:%d: %s  ->  %s" % (m["file"], m["line"], m["old"].strip(), m["new"].strip()))
        return 0
    prepare()
    log = os.path.join(work, "sample-%d.jsonl" % a.seed)
    counts = {}
    with open(log + ".tmp", "w") as out:
        for i, m in enumerate(sample, 1):
            caught, detail = judge(m)
            counts[caught] = counts.get(caught, 0) + 1
            m.update(caught=caught, detail=detail)
            out.write(json.dumps(m) + "\n")
            print("%3d/%d %-9s %s:%d %s" % (i, len(sample), caught, m["file"], m["line"], detail[:90]),
                  file=sys.stderr)
    os.replace(log + ".tmp", log)
    run(["cmake", "--build", build])  # leave the scratch tree built as HEAD
    print("\n" + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    for m in sample:
        if m["caught"] == "SURVIVED":
            print("SURVIVED %s:%d\n  - %s\n  + %s" % (m["file"], m["line"], m["old"].strip(), m["new"].strip()))
    print("(every result: %s)" % os.path.relpath(log, top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
