#!/usr/bin/env bash
# size-config.sh SRC TREE WORK: ./cellos size and ./cellos config against
# a built hosted TREE (its directory must be named hosted, as the presets
# make it; any other tree is skipped with status 77).
#   size: the image's and one object's text/data/BSS equal GNU size's (a
#   second reader), the top N are the N largest objects by GNU size, and a
#   recorded previous build gives the change, object by object;
#   config: every CFG_* of core/config.h with its header default and a
#   meaning, CFG_SHA256_UNROLLED as this tree's compile commands set it, and
#   CELLOS_* values as the CMake cache holds them.
set -uo pipefail
src=$1 tree=$2 work=$3
cellos="$src/cellos"
if [ "$(basename "$tree")" != hosted ]; then
	echo "SKIP: $tree is not a tree named hosted (./cellos size/config read DIR/hosted)"
	exit 77
fi
rm -rf "$work" && mkdir -p "$work/build"
ln -s "$(cd "$tree" && pwd)" "$work/build/hosted"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
berkeley() { size "$1" | awk 'NR == 2 { print $1, $2, $3 }'; }	# TEXT DATA BSS

# ---- size ----
out=$("$cellos" size --build-dir "$work/build" --top 5 hosted) || fail "size exits $?"
image=$(find -H "$work/build/hosted" -name cellos-hosted -type f | head -n 1)
got=$(awk '$1 == "image" { print $2, $3, $4 }' <<<"$out")
want=$(berkeley "$image")
[ "$got" = "$want" ] || fail "image: size says '$got', GNU size '$want'"
obj=$(find -H "$work/build/hosted/core" -name boot.c.o | head -n 1)
want=$(berkeley "$obj")
# every object's line: the top list must be the 5 largest by GNU size
alls=$(find -H "$work/build/hosted" -path '*/CMakeFiles/*.dir/*' -name '*.o' \
	-not -path "$work/build/hosted/tests/*" -not -path "$work/build/hosted/tools/*" \
	-not -path "$work/build/hosted/fuzz/*" -not -path "$work/build/hosted/phenotypes/*" \
	-not -path '*/CMakeFiles/[0-9]*' -not -path '*/cellos-bpf-probe/*' -exec size {} + |
	awk 'NR > 1 && $1 != "text" { print $1 + $2 + $3 }' | sort -rn | head -n 5 | tr '\n' ' ')
top=$(awk '/^  top 5:/ { on = 1; next } on && NF >= 4 && $1 ~ /^[0-9]+$/ { print $1 + $2 + $3 }' <<<"$out" | tr '\n' ' ')
[ "$top" = "$alls" ] || fail "top 5 totals '$top', GNU size's five largest '$alls'"
line=$(grep ' core/boot.c\[cellos_core\]' <<<"$out" || true)
if [ -n "$line" ]; then
	[ "$(awk '{ print $1, $2, $3 }' <<<"$line")" = "$want" ] ||
		fail "core/boot.c: '$line', GNU size '$want'"
fi
grep -q "no previous build recorded" <<<"$out" || fail "a first run claims a previous build"
rec="$work/build/size/hosted.txt"
[ -f "$rec" ] || fail "no record $rec"
# pretend the recorded build was another one, 100 bytes of text smaller in
# core/boot.c and in the image
awk 'NR == 1 { $4 = "0000"; print; next }
	$1 == "image" || $1 == "core/boot.c[cellos_core]" { $2 -= 100 } { print }' "$rec" >"$rec.new" &&
	mv "$rec.new" "$rec"
out=$("$cellos" size --build-dir="$work/build" --top=40 hosted) || fail "size exits $?"
[ -f "$work/build/size/hosted.prev.txt" ] || fail "the old record did not become hosted.prev.txt"
grep -q 'image .*(+100 text, +0 data, +0 bss)' <<<"$out" || fail "image change not +100 text: $(grep image <<<"$out")"
grep -q ' core/boot.c\[cellos_core\]  +100$' <<<"$out" || fail "core/boot.c change not +100: $(grep boot.c <<<"$out")"
grep -q ' core/vm_host.c\[cellos_core\]  +0$' <<<"$out" || fail "an unchanged object is not +0"
# the same build again: still against the previous one
out=$("$cellos" size --build-dir="$work/build" --top=40 hosted)
grep -q ' core/boot.c\[cellos_core\]  +100$' <<<"$out" || fail "a second run lost the previous build"

# ---- config ----
out=$("$cellos" config --build-dir="$work/build" hosted) || fail "config exits $?"
while read -r name value; do
	line=$(grep -A1 "^$name " <<<"$out" || true)
	[ -n "$line" ] || { fail "config does not list $name"; continue; }
	grep -q "hosted=$value\*\?\$" <<<"$(head -n 1 <<<"$line")" || grep -q "hosted=" <<<"$line" ||
		fail "$name: no hosted value"
	grep -q "\[default $value, core/config.h:" <<<"$line" || fail "$name: default is not $value: $line"
	grep -q '(no comment)' <<<"$line" && fail "$name has no meaning"
done < <(sed -n 's/^#define \(CFG_[A-Z0-9_]*\)[[:space:]]\+\([^[:space:]]*\).*/\1 \2/p' "$src/core/config.h")
# the kernel's own crypto.c object (tests/ builds a second one its way)
crypto=$(jq -r '.[] | select(.file | endswith("/wire/crypto.c")) | .command' \
	"$tree/compile_commands.json" | grep -v -- ' -o tests/' | head -n 1)
case "$crypto" in
*-DCFG_SHA256_UNROLLED=0*) want='hosted=0*' ;;
*) want='hosted=1' ;;
esac
grep -q "^CFG_SHA256_UNROLLED  $want\$" <<<"$out" || fail "CFG_SHA256_UNROLLED is not $want"
for v in CELLOS_TARGET CELLOS_TESTS CELLOS_SANITIZE; do
	want=$(sed -n "s/^$v:[A-Z]*=//p" "$tree/CMakeCache.txt")
	grep -q "^$v  hosted=$want\$" <<<"$out" || fail "$v is not hosted=$want"
done

[ "$fails" = 0 ] || { echo "$fails problems"; exit 1; }
echo "ok: size against GNU size and a recorded build, config against config.h and the cache"
