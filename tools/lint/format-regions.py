#!/usr/bin/env python3
"""format-regions.py: the hand edits clang-format 14 needs before it runs.

docs/STYLE.md names what is aligned by hand (record tables, the
interpreter's macro language, numeric tables, one-line mutators, macros
clang-format misreads as a cast) and the trailing comments that must become
block comments above their line. This script finds each of them by its
content (the line that starts a table, not a line number), wraps each table
in /* clang-format off */ ... /* clang-format on */, makes every trailing
comment that runs onto the next line a block comment above its line (the
listed ones must be found; others are noted) and shortens the one
over-long #error. What is done already is left alone, so a second run
changes nothing. An anchor not found is named, and the exit status is 1.

./cellos format (tools/lint/format.sh) runs it before clang-format.
"""

import argparse
import os
import re
import sys
import tempfile

OFF = "/* clang-format off */"
ON = "/* clang-format on */"
# clang-format 14 honours only the exact block comment (or a "//" line
# comment, with an optional ": reason"); "/* clang-format off: why */" is
# ignored, so the reason for a region is the comment above it.
OFF_RE = re.compile(r"^\s*(/\*\s*clang-format off\s*\*/|//\s*clang-format off\b)")
ON_RE = re.compile(r"^\s*(/\*\s*clang-format on\s*\*/|//\s*clang-format on\b)")


def table(file, start, end=None):
    """A region from the line matching start to the end of the line
    matching end (default: start's own end): a macro ends at its last
    continuation line, a braced initializer at its closing brace."""
    return ("region", file, start, end)


def run(file, start, pattern):
    """A region of consecutive lines matching pattern, around start."""
    return ("run", file, start, pattern)


def hoist(file, anchor):
    """The line matching anchor has a trailing comment that runs onto
    further lines: make it a block comment above the line."""
    return ("hoist", file, anchor, None)


def replace(file, old, new):
    """Replace the line matching old by new (done when new is there)."""
    return ("replace", file, old, new)


def layout(file, *names):
    return [table(file, r"#define %s\(" % n) for n in names]


MUTATOR = r"static void \w+\(struct pb \*p\) \{.*\}$"

EDITS = [
    # Record tables: one row per field, its columns lined up.
    *layout("arch/bios-x86_64/bootinfo.h",
            "LT_LAYOUT", "S2R_LAYOUT", "CGF_LAYOUT", "GD_LAYOUT"),
    *layout("core/kv.c", "HDR_LAYOUT", "REC_LAYOUT", "SINGLE_LAYOUT",
            "MULTI_LAYOUT", "OP_LAYOUT"),
    *layout("core/update.c", "TRAILER_LAYOUT", "STATE_LAYOUT",
            "RECORD_LAYOUT", "TRAILER_MAC_LAYOUT"),
    *layout("include/cellos/pbin.h", "PBIN_HEADER_LAYOUT", "PBIN_QOS_LAYOUT",
            "PBIN_SECTION_LAYOUT", "PBIN_SCHED_LAYOUT", "PBIN_GENE_KINDS",
            "PBIN_GENE_LAYOUT", "PBIN_PROGRAM_LAYOUT",
            "PBIN_GENE_CODE_LAYOUT", "PBIN_DEVICE_KINDS",
            "PBIN_DEVICE_LAYOUT"),
    # The interpreter's language: clang-format's layout of VM_OPS is not
    # even stable (a second run changes it).
    table("core/vm.h", r"#define VM_OPS\("),
    table("core/vm_interp.c", r"#if CFG_VM_COMPUTED_GOTO$",
          r"#define P\s+\(host\[id\] \+ o\)"),
    # Macros clang-format 14 takes for a cast: ((op) & 7) becomes ((op)&7).
    table("arch/bios-x86_64/x86.h", r"#define PCI_BDF_FUNCTION\("),
    table("arch/uefi-x86_64/efi.h", r"#define EFI_IS_ERROR\("),
    table("core/vm_verify.c", r"#define CLASS\(op\)", r"#define SIZE\(op\)"),
    table("wire/crypto.c", r"#define W\(t\)"),
    table("wire/fe25519.h", r"#define FE_LIMB_BITS\(",
          r"#define FE_LIMB_OFF\("),
    # Numeric and name tables: so many values a row, as written.
    table("arch/bios-x86_64/idt.c",
          r"static const char \*const exception_names\["),
    table("arch/mps2-cortex-m/hal_machine.c",
          r"static const char \*const names\[16\] = \{"),
    table("arch/virt-arm64/simd/sha_arm64.c", r"static const uint32_t K\[64\]"),
    table("arch/virt-arm64/trap.c", r"static const char \*const kinds\["),
    table("arch/x86-common/sha_x86.c", r"static const uint32_t K\[64\]"),
    table("arch/x86-common/sha_x86.c", r"static const uint8_t bswap32_lanes\["),
    table("core/proof_parcels.c", r"static const uint32_t payload_lengths\["),
    table("core/selftest.c", r"static const uint8_t sha_abc\["),
    table("core/selftest.c", r"static const uint8_t sha_two_block\["),
    table("core/selftest.c", r"static const uint8_t hmac_tc2\["),
    table("core/selftest.c", r"static const uint8_t hkdf_okm\["),
    table("fuzz/test_keys.h", r"static const uint8_t fuzz_test_root_pub\["),
    table("fuzz/test_keys.h", r"static const uint8_t fuzz_test_next_pub\["),
    table("tests/unit/sign_fixture.h", r"static const uint8_t fixture_order_l\["),
    table("tests/unit/test_crypto.c", r"static const uint8_t read_pdu\["),
    table("tests/unit/test_crypto_accel.c", r"static const uint8_t pdu\[48\]"),
    table("tests/unit/test_ed25519.c", r"static const uint8_t y8_bytes\["),
    table("tests/unit/test_irq_bridge.c", r"static const uint8_t frame\[\] = \{"),
    table("tests/unit/test_parcel.c", r"static const uint8_t expected\[\] = \{"),
    table("tests/unit/test_pbin_codec.c", r"static const uint8_t want\[\] = \{"),
    table("tools/prooflog/prooflog.c",
          r"static const char \*const names\[PLOG_MARKERS\]"),
    table("wire/crypto.c", r"static const uint32_t K\[64\]"),
    table("wire/crypto.c", r"static const uint32_t iv\[8\]"),
    table("wire/crypto.c", r"static const uint32_t crc32c_table\["),
    table("wire/ed25519.c", r"static const uint8_t d_bytes\["),
    table("wire/ed25519.c", r"static const uint8_t sqrtm1_bytes\["),
    table("wire/ed25519.c", r"static const uint8_t base_x_bytes\["),
    table("wire/ed25519.c", r"static const uint8_t base_y_bytes\["),
    table("wire/sc25519.c", r"static const uint8_t order_bytes\["),
    # Tables of one-line functions: a row per case.
    run("tests/unit/test_pheno.c", r"static void bad_magic\(", MUTATOR),
    run("tests/unit/test_pheno.c", r"static void code_in_v11\(", MUTATOR),
    # Trailing comments that run onto a second line: block comments above.
    hoist("core/disk.h", r"DISK_RESIZED,"),
    hoist("core/disk.h", r"DISK_REPAIRED\b"),
    hoist("core/kv.h", r"uint64_t seq;"),
    hoist("core/kv.h", r"int broken;"),
    hoist("core/kv.h", r"uint64_t used\[2\];"),
    hoist("core/organelles.h", r"LYSO_FAULT = 5,"),
    hoist("core/organelles.h", r"LYSO_REJECTED = 6\b"),
    hoist("core/vm.h", r"VM_REJECT_JUMP,"),
    hoist("core/vm.h", r"VM_REJECT_CALL,"),
    hoist("core/vm.h", r"uint8_t handler;"),
    hoist("core/vm.h", r"uint64_t imm;"),
    hoist("core/vm.h", r"uint64_t gas;"),
    hoist("core/vm.h", r"uint32_t stack_dirty;"),
    hoist("core/vm_verify.c", r"uint8_t height\[VM_INSNS_MAX / 2\];"),
    hoist("include/cellos/vm_abi.h", r"uint32_t reason;"),
    hoist("tools/phenotype-compile/compile.h", r"int native_genes;"),
    # ... and #defines whose value clang-format would push to a
    # continuation line to keep such a comment.
    hoist("arch/mps2-cortex-m/mcu.h", r"#define MCU_SOFT_IRQ\b"),
    hoist("core/config.h", r"#define PHENO_CODE_MAX\b"),
    hoist("include/cellos/vm_abi.h", r"#define VM_GAS_OUT_CPU\b"),
    # An #error message longer than a line (clang-format breaks after
    # #error and leaves the string over 80 columns).
    replace("core/vm_interp.c",
            r'#error "CFG_VM_BENCH_\* are tools/bench/vm\'s knobs: a kernel '
            r'always meters gas and checks bounds"$',
            '#error "CFG_VM_BENCH_* are tools/bench/vm\'s: a kernel meters gas, '
            'checks bounds"'),
]

TAB = 8
WIDTH = 80


def width(s):
    col = 0
    for c in s:
        col = (col // TAB + 1) * TAB if c == "\t" else col + 1
    return col


def code_of(line):
    """The line without string and character literals and comments that
    open and close on it (for brace counting)."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    line = re.sub(r"/\*.*?\*/", " ", line)
    return re.sub(r"//.*", "", line)


def extent(lines, i):
    """The last line of what starts at line i."""
    if lines[i].lstrip().startswith("#"):
        while lines[i].rstrip("\n").endswith("\\") and i + 1 < len(lines):
            i += 1
        return i
    depth = 0
    for j in range(i, len(lines)):
        c = code_of(lines[j])
        depth += c.count("{") - c.count("}")
        if depth <= 0:
            return j
    return i


def off_state(lines):
    """off[i]: line i is inside a clang-format off region."""
    off, state = [], False
    for line in lines:
        if OFF_RE.match(line):
            state = True
        elif ON_RE.match(line):
            state = False
        off.append(state)
    return off


def find(lines, pattern, start=0):
    rx = re.compile(r"^\s*" + pattern)
    for i in range(start, len(lines)):
        if rx.match(lines[i]):
            return i
    return None


def indent_of(line):
    return line[:len(line) - len(line.lstrip(" \t"))]


def wrap(lines, first, last):
    """Wrap lines[first..last] in an off/on pair; False if already off."""
    if off_state(lines)[first]:
        return False
    ind = indent_of(lines[first])
    lines.insert(last + 1, ind + ON + "\n")
    lines.insert(first, ind + OFF + "\n")
    return True


def block_comment(ind, text):
    one = ind + "/* " + text + " */"
    if width(one) <= WIDTH:
        return [one + "\n"]
    out, cur = [ind + "/*\n"], ""
    for word in text.split():
        cand = (cur + " " + word) if cur else word
        if cur and width(ind + " * " + cand) > WIDTH:
            out.append(ind + " * " + cur + "\n")
            cur = word
        else:
            cur = cand
    if cur:
        out.append(ind + " * " + cur + "\n")
    out.append(ind + " */\n")
    return out


def do_hoist(lines, i, at):
    """Make the trailing comment that opens at column at of line i and
    runs onto the next lines a block comment above the line."""
    line = lines[i].rstrip("\n")
    parts = [line[at + 2:].strip()]
    j = i
    while True:
        j += 1
        if j >= len(lines):
            return False
        t = lines[j].strip()
        end = "*/" in t
        if end and t.split("*/", 1)[1].strip():
            return False  # code after the comment: left as it is
        t = t.split("*/")[0].strip()
        if t.startswith("*"):
            t = t[1:].strip()
        parts.append(t)
        if end:
            break
    ind = indent_of(line)
    text = " ".join(p for p in parts if p)
    lines[i:j + 1] = block_comment(ind, text) + [line[:at].rstrip() + "\n"]
    return True


SOURCE_DIRS = ("arch", "core", "genes", "wire", "include", "tools", "tests",
               "fuzz")


def c_files(root):
    """The tree's C sources, as tools/lint/files.sh lists them."""
    out = []
    for d in SOURCE_DIRS:
        for top, dirs, names in os.walk(os.path.join(root, d)):
            dirs[:] = sorted(x for x in dirs
                             if x != "build" and not x.startswith("build-"))
            for n in names:
                if n.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(top, n), root))
    return sorted(out)


def trailing_runs(lines):
    """(line, column) of each line with code and then a block comment that
    does not end on that line: a trailing comment running onto the next. A
    small lexer, so that a "/*" in a string or inside a comment is not one;
    preprocessor continuations and clang-format off regions are left out."""
    found, in_comment = [], False
    off = off_state(lines)
    for i, line in enumerate(lines):
        code, k, n, opened = False, 0, len(line), None
        while k < n:
            c = line[k]
            if in_comment:
                end = line.find("*/", k)
                if end < 0:
                    k = n
                else:
                    in_comment, k = False, end + 2
                continue
            if line.startswith("//", k):
                break
            if line.startswith("/*", k):
                if code and opened is None:
                    opened = k
                in_comment, k = True, k + 2
                continue
            if c in "\"'":
                q, k = c, k + 1
                while k < n and line[k] != q:
                    k += 2 if line[k] == "\\" else 1
                code, k = True, k + 1
                continue
            if not c.isspace():
                code = True
            k += 1
        if (opened is not None and in_comment and not off[i] and
                not line.rstrip("\n").endswith("\\") and
                not line.lstrip().startswith("#if")):
            found.append((i, opened))
    return found


def apply(root, only, dry):
    """Apply every edit to the files under root (only those in only, if
    given). Returns (files changed, missing anchors)."""
    byfile = {}
    for e in EDITS:
        if only is None or e[1] in only:
            byfile.setdefault(e[1], []).append(e)
    changed, missing = [], 0
    # Every C file gets the general rule (a trailing comment that runs
    # onto the next line goes above its line), the listed ones their edits.
    names = set(byfile)
    if only is None:
        names.update(c_files(root))
    else:
        names.update(f for f in only
                     if os.path.isfile(os.path.join(root, f)) and
                     f.endswith((".c", ".h")))

    def absent(f, anchor, why="not found"):
        nonlocal missing
        missing += 1
        print('format-regions: %s: anchor "%s" %s' % (f, anchor, why),
              file=sys.stderr)

    for f in sorted(names):
        edits = byfile.get(f, [])
        path = os.path.join(root, f)
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.readlines()
        except FileNotFoundError:
            for e in edits:
                absent(f, e[2], "not found (no such file)")
            continue
        before = list(lines)
        # Each region's start is found afresh after the previous edit, so
        # earlier insertions move nothing that is still to be found.
        for kind, _, a, b in edits:
            if kind == "region":
                i = find(lines, a)
                if i is None:
                    absent(f, a)
                    continue
                j = i
                if b is not None:
                    j = find(lines, b, i)
                    if j is None:
                        absent(f, b, "not found (after \"%s\")" % a)
                        continue
                wrap(lines, i, extent(lines, j))
            elif kind == "run":
                i = find(lines, a)
                if i is None:
                    absent(f, a)
                    continue
                rx = re.compile(r"^\s*" + b)
                first = last = i
                while first > 0 and rx.match(lines[first - 1]):
                    first -= 1
                while last + 1 < len(lines) and rx.match(lines[last + 1]):
                    last += 1
                wrap(lines, first, last)
            elif kind == "hoist":
                # The first line matching a that still has such a comment
                # (a name like "seq" may open other lines too); none that
                # has one: done already.
                i = find(lines, a)
                if i is None:
                    absent(f, a)
                    continue
                runs = dict(trailing_runs(lines))
                while i is not None and i not in runs:
                    i = find(lines, a, i + 1)
                if i is not None:
                    do_hoist(lines, i, runs[i])
            elif kind == "replace":
                i = find(lines, a)
                if i is not None:
                    lines[i] = indent_of(lines[i]) + b + "\n"
                elif find(lines, re.escape(b) + "$") is None:
                    absent(f, a)
        runs = trailing_runs(lines)
        for i, _ in runs:
            print("format-regions: %s:%d: note: a trailing comment runs onto "
                  "the next line (not in the list): it goes above its line, "
                  "a block comment" % (f, before.index(lines[i]) + 1
                                       if lines[i] in before else i + 1),
                  file=sys.stderr)
        for i, at in reversed(runs):
            do_hoist(lines, i, at)
        if lines != before:
            changed.append(f)
            if not dry:
                write(path, lines)
    return changed, missing


def write(path, lines):
    """A temporary beside path, fsync, rename (tools/outfile's way)."""
    d = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".format-regions.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(
        prog="format-regions.py",
        description="Wrap the tree's hand-aligned tables in clang-format "
        "off/on regions and make the listed hand edits (docs/STYLE.md), "
        "each found by its content; what is done already is left alone.",
        epilog="Exit status: 0 when every anchor was found, 1 when one was "
        "not (each is named; the others are still applied), 2 on bad usage.")
    p.add_argument("--root", default=os.path.normpath(os.path.join(here, "../..")),
                   help="the source tree (default: the one this script is in)")
    p.add_argument("--check", action="store_true",
                   help="change nothing: list the files that need an edit, "
                   "exit 1 if any")
    p.add_argument("--list", action="store_true",
                   help="print the files the list of edits names, and exit")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="limit the edits to these files (relative to --root)")
    args = p.parse_args()
    if args.list:
        for f in sorted({e[1] for e in EDITS}):
            print(f)
        return 0
    if not os.path.isdir(args.root):
        print("format-regions: --root %s: no such directory" % args.root,
              file=sys.stderr)
        return 2
    only = None
    if args.files:
        only = {os.path.normpath(f) for f in args.files}
    changed, missing = apply(args.root, only, args.check)
    if args.check:
        for f in changed:
            print(f)
        return 1 if changed or missing else 0
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
