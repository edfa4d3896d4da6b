#!/usr/bin/env bash
# reproducible.sh SOURCE WORK -- two releases of this tree, made in two
# different directories, must give byte-identical tarballs; and
# sha256sum -c MANIFEST.txt must pass inside the release directory.
set -euo pipefail
src=$1 work=$2
rm -rf "$work"
for d in a "b-with-a-longer-path"; do
	mkdir -p "$work/$d/cell_os"
	# The tree as it is: tracked files and untracked ones git does not ignore.
	(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf -) |
		(cd "$work/$d/cell_os" && tar -xf -)
	(cd "$work/$d/cell_os" && ./tools/release.sh --test-key --out "$work/$d/out" >"$work/$d/sha" 2>"$work/$d/log") ||
		{ tail -n 30 "$work/$d/log"; echo "FAIL: the release in $d failed"; exit 1; }
done
name=$(ls "$work/a/out" | grep '\.tar\.gz$')
cmp "$work/a/out/$name" "$work/b-with-a-longer-path/out/$name" ||
	{ echo "FAIL: $name differs between the two directories"; exit 1; }
(cd "$work/a/out/${name%.tar.gz}" && sha256sum --quiet -c MANIFEST.txt) ||
	{ echo "FAIL: sha256sum -c MANIFEST.txt"; exit 1; }
grep -q MANIFEST.txt "$work/a/out/${name%.tar.gz}/MANIFEST.txt" &&
	{ echo "FAIL: MANIFEST.txt lists itself"; exit 1; }
# BUILDINFO.json is JSON, names no commit for a copy that is no checkout,
# and records the flags the x86 kernel was really compiled with (the
# toolchain file's -mcmodel=kernel, the warnings of cellos_warnings).
python3 - "$work/a/out/${name%.tar.gz}/BUILDINFO.json" <<'PY' || { echo "FAIL: BUILDINFO.json"; exit 1; }
import json, sys
b = json.load(open(sys.argv[1]))
assert b["source"] == {"commit": "unknown", "modified": None}, b["source"]
x86 = b["flags"]["bios-x86_64"].split()
assert "-mcmodel=kernel" in x86 and "-Werror" in x86, x86
assert "-Werror" in b["flags"]["common"].split(), b["flags"]["common"]
assert "/" + "work" not in json.dumps(b["flags"]), "a path of this machine in the flags"
PY
echo "ok: $name identical in both directories: $(cat "$work/a/sha")"
