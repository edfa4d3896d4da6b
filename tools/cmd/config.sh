#!/usr/bin/env bash
# ./cellos config [TARGET...]: every build option with its value in each
# built target and a one-line meaning.
#   CFG_*     compile-time switches: the default and its comment from the
#             header that defines it (core/config.h, wire/, arch/), and the
#             value a target's build actually passes (-DCFG_...=V in its
#             compile_commands.json), else the default;
#   CELLOS_*  the CMake options and cache entries of each build tree with
#             their help strings, and the CELLOS_* compile definitions the
#             kernel's objects are built with.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

usage() {
	cat <<'EOF'
usage: ./cellos config [--build-dir DIR] [TARGET...]

Every CFG_* and CELLOS_* option with its value in each built target and a
one-line meaning: CFG_* from the headers that define them (core/config.h
first) and the -D flags of each build (compile_commands.json), CELLOS_*
from each build tree's CMake cache. TARGET is hosted, x86, arm64, mcu or
uefi; default: every target that has been configured.

  --build-dir DIR, --build-dir=DIR
               where the build trees are (DIR/<preset>); default build
  -h, --help   this text
EOF
}

die() { printf 'config: %s\n' "$*" >&2; exit 2; }

targets=() build=build
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; build=$2; shift 2 ;;
	--build-dir=*) build=${1#--build-dir=}; shift ;;
	--) shift; targets+=("$@"); break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) targets+=("$1"); shift ;;
	esac
done
explicit=1
if [ "${#targets[@]}" -eq 0 ]; then
	explicit=0
	targets=(hosted x86 arm64 mcu uefi)
fi
pairs=()
for t in "${targets[@]}"; do
	case "$t" in
	hosted) p=hosted ;;
	x86) p=bios-x86_64 ;;
	arm64) p=virt-arm64 ;;
	mcu) p=mps2-cortex-m ;;
	uefi) p=uefi-x86_64 ;;
	*) die "unknown target '$t' (expected hosted, x86, arm64, mcu or uefi)" ;;
	esac
	if [ ! -f "$build/$p/CMakeCache.txt" ]; then
		[ "$explicit" = 0 ] && continue
		die "$t: $build/$p is not configured (./cellos build $t)"
	fi
	pairs+=("$t=$build/$p")
done
[ "${#pairs[@]}" -gt 0 ] || die "no target is configured yet (./cellos build first)"

exec python3 - "$top" "${pairs[@]}" <<'PY'
import json, os, re, shlex, sys

top, pairs = sys.argv[1], [p.split("=", 1) for p in sys.argv[2:]]
names = [t for t, _ in pairs]

# CFG_* defaults and meanings, from the headers and sources that define
# them (the kernel's and its libraries'; tools/ are not the image's).
define = re.compile(r"^\s*#\s*define\s+(CFG_[A-Z0-9_]+)\s+(\S+)\s*(?:/\*\s*(.*?)\s*(?:\*/)?)?$")
cfg = {}
prev = None
order = ["core/config.h"]
for d in ("core", "wire", "include", "arch", "genes"):
    for root, _, files in os.walk(os.path.join(top, d)):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), top)
            if f.endswith((".h", ".c")) and rel not in order:
                order.append(rel)
for rel in order:
    try:
        lines = open(os.path.join(top, rel), encoding="utf-8").read().split("\n")
    except OSError:
        continue
    for i, line in enumerate(lines):
        m = define.match(line)
        if not m or m.group(1) in cfg:
            continue
        meaning = m.group(3) or ""
        if not meaning:
            # the nearest block comment above, first sentence
            j, block = i - 1, []
            while j >= 0 and not lines[j].strip().startswith("/*") and i - j < 12:
                block.insert(0, lines[j].strip().lstrip("*").strip())
                j -= 1
            if j >= 0 and lines[j].strip().startswith("/*"):
                block.insert(0, lines[j].strip()[2:].strip())
                text = " ".join(b for b in block if b and not b.startswith("#"))
                meaning = re.split(r"(?<=[.])\s", text.replace("*/", "").strip())[0]
        if not meaning and prev and prev[0] == rel and i - prev[1] <= 4:
            meaning = cfg[prev[2]][1]	# a group of knobs under one comment
        cfg[m.group(1)] = (m.group(2), meaning.rstrip("*/ ").strip(), f"{rel}:{i + 1}")
        prev = (rel, i, m.group(1))

def kernel_defines(tree):
    """-D NAME=VALUE of the kernel's objects (not tests, tools, fuzzers)."""
    out = {}
    try:
        cmds = json.load(open(os.path.join(tree, "compile_commands.json")))
    except (OSError, ValueError):
        return out
    for c in cmds:
        rel = os.path.relpath(c["file"], top)
        args = c.get("arguments") or shlex.split(c["command"])
        # by the object's own place: tests/ rebuild kernel files their way
        obj = c.get("output") or (args[args.index("-o") + 1] if "-o" in args else "")
        obj = os.path.relpath(os.path.realpath(os.path.join(c.get("directory", tree), obj)),
                              os.path.realpath(tree))
        if rel.startswith(("tests/", "tools/", "fuzz/", "build/")) or \
                obj.startswith(("tests/", "tools/", "fuzz/")):
            continue
        for k, a in enumerate(args):
            d = a[2:] if a.startswith("-D") and len(a) > 2 else (
                args[k + 1] if a == "-D" and k + 1 < len(args) else None)
            if d is None:
                continue
            name, _, value = d.partition("=")
            if name.startswith(("CFG_", "CELLOS_")):
                out.setdefault(name, set()).add(value or "1")
    return out

defs = {t: kernel_defines(tree) for t, tree in pairs}
width = max(len(n) for n in names)

print("== CFG_* compile-time switches (value per target; * = set by the build, not the default)")
for name in sorted(cfg):
    default, meaning, where = cfg[name]
    vals = []
    for t in names:
        got = defs[t].get(name)
        vals.append(f"{t}={'/'.join(sorted(got))}*" if got else f"{t}={default}")
    print(f"{name}  {' '.join(vals)}")
    print(f"    {meaning or '(no comment)'}  [default {default}, {where}]")

print()
print("== CELLOS_* CMake options and cache entries (value per target)")
cache = {}
entry = re.compile(r"^(CELLOS_[A-Za-z0-9_]+):([A-Z]+)=(.*)$")
for t, tree in pairs:
    helptext = []
    for line in open(os.path.join(tree, "CMakeCache.txt"), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("//"):
            helptext.append(line[2:].strip())
            continue
        m = entry.match(line)
        if m and m.group(2) != "INTERNAL" and not m.group(1).endswith("-STRINGS"):
            meaning = " ".join(helptext)
            c = cache.setdefault(m.group(1), {"meaning": meaning, "type": m.group(2), "v": {}})
            c["v"][t] = m.group(3).replace(top + "/", "")
            if meaning and not c["meaning"]:
                c["meaning"] = meaning
        helptext = []
for name in sorted(cache):
    c = cache[name]
    vals = " ".join(f"{t}={c['v'][t] if c['v'][t] != '' else '(empty)'}" for t in names if t in c["v"])
    meaning = c["meaning"]
    known = {"CELLOS_HOST_TOOLS": "where a board build finds the hosted build's tools (phenotype-compile, disk-pack, esp-pack)",
             "CELLOS_OPENSSL": "the openssl program the build signs and checks with (cmake/root_key.cmake)"}
    if name in known and meaning in ("", "Path to a program.", "No help, variable specified on the command line."):
        meaning = known[name]
    if meaning in ("", "Path to a program.", "No help, variable specified on the command line."):
        meaning = "(no help string: " + ("the program found for it" if c["type"] == "FILEPATH" else "set by a preset or -D") + ")"
    print(f"{name}  {vals}")
    print(f"    {meaning}  [{c['type']}]")

compile_only = sorted({n for t in names for n in defs[t] if n.startswith("CELLOS_") and n not in cache})
if compile_only:
    print()
    print("== CELLOS_* compile definitions of the kernel's objects")
    known = {"CELLOS_BOARD_CONFIG": "a board profile header whose capacities win over core/config.h's defaults"}
    for name in compile_only:
        vals = " ".join(f"{t}={'/'.join(sorted(v.replace(top + '/', '') for v in defs[t][name]))}"
                        for t in names if name in defs[t])
        print(f"{name}  {vals}")
        print(f"    {known.get(name, '(set by the build files)')}")
PY
