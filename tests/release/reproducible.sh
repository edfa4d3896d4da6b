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
echo "ok: $name identical in both directories: $(cat "$work/a/sha")"
