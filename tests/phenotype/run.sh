#!/usr/bin/env bash
# run.sh COMPILER PBIN-DUMP SOURCE-DIR WORK-DIR GENES-DIR
# The phenotype compiler's tests: every malformed file under bad/ must fail
# with exit status 1, exactly the stderr of its .expect (or a line matching
# its .expect-re) and no output file; the shipped phenotypes compile, the
# same way twice (with the genes' code from GENES-DIR), and agree except
# in name, arch and devices; a tiny
# phenotype compiles to bytes written out by hand from the contract; and
# pbin-dump shows a good file and refuses a cut one.
set -uo pipefail
compile=$1 dump=$2 src=$3 work=$4 genes=$5
failures=0 count=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
rm -rf "$work"; mkdir -p "$work"

. "$(dirname "$0")/refusal.sh"
for yaml in "$src"/tests/phenotype/bad/*.yaml; do
	check_refused "$yaml" "$(dirname "$yaml")"
done
echo "$count malformed phenotypes checked"

# The shipped phenotypes: compile, twice the same, and the same but for
# header arch_id, NAME and DEVICES.
for yaml in "$src"/phenotypes/*.yaml; do
	name=$(basename "$yaml" .yaml)
	"$compile" --code-dir "$genes" -o "$work/$name.1.pbin" "$yaml" || { fail "$name does not compile"; continue; }
	"$compile" --code-dir "$genes" -o "$work/$name.2.pbin" "$yaml"
	cmp -s "$work/$name.1.pbin" "$work/$name.2.pbin" || fail "$name: two compiles differ"
	"$dump" "$work/$name.1.pbin" >"$work/$name.dump" || fail "$name: pbin-dump refuses it"
	# Everything up to NAME (bytes 0..7, 10.. of the header, channels,
	# adjacency), then SCHED..GENES, located by the dump's own layout:
	# 6 channels -> 20 + 6*36 + 5 = 241 bytes before NAME.
	n=$(grep -c '^  *[0-9]* *[0-9]* \(BE\|RT\) ' "$work/$name.dump")
	before=$((20 + n * 36 + (n * n + 7) / 8))
	namelen=$(od -An -tu4 -j $((before + 4)) -N4 "$work/$name.1.pbin" | tr -d ' ')
	after=$((before + 8 + namelen))
	devoff=$(( $(stat -c %s "$work/$name.1.pbin") ))
	{ head -c 8 "$work/$name.1.pbin"; tail -c +11 "$work/$name.1.pbin" | head -c $((before - 10)); \
	  tail -c +$((after + 1)) "$work/$name.1.pbin"; } >"$work/$name.core"
	# Drop DEVICES: it is the last section, 8 + 4 + 16 * count bytes.
	devs=$(grep -c '^  \(console\|timer\|block\|irq_line\) ' "$work/$name.dump")
	size=$(stat -c %s "$work/$name.core")
	head -c $((size - 12 - 16 * devs)) "$work/$name.core" >"$work/$name.shared"
done
first=""
for f in "$work"/*.shared; do
	if [ -z "$first" ]; then first=$f; continue; fi
	cmp -s "$first" "$f" || fail "$(basename "$f" .shared) and $(basename "$first" .shared) differ in channels, edges, scheduler or genes"
done

# good/minimal.yaml, byte by byte from CONTRACT.md section 2 and pbin.h.
u8() { printf "$(printf '\\%03o' "$1")"; }
u16() { u8 $(($1 & 255)); u8 $((($1 >> 8) & 255)); }
u32() { u16 $(($1 & 65535)); u16 $((($1 >> 16) & 65535)); }
u64() { u32 "$1"; u32 0; }
{
	u32 0x50484E4F; u16 1; u16 1; u16 3; u16 0; u32 2; u32 1000000	# header
	u32 0; u32 0; u32 1; u64 1; u64 2; u64 1			# console BE prio 1
	u32 1; u32 1; u32 2; u64 1; u64 2; u64 1			# work RT prio 2
	printf '\x04'							# work -> console: bit 1*2+0
	u32 1; u32 1; printf 't'					# NAME
	u32 2; u32 16; u32 10; u32 5; u32 2; u32 0			# SCHED
	u32 3; u32 8; u32 8; u32 8					# QUEUES (default 8)
	u32 4; u32 68; u32 2						# GENES
	u32 1; u32 4; u32 0; u32 5; u32 100; u32 0; u32 0; u32 0	# peroxi_sanitize
	u32 2; u32 5; u32 1; u32 5; u32 100; u32 64; u32 0; u32 0	# testgene -> console
	u32 5; u32 4; u32 0						# DEVICES: none
} >"$work/minimal.expected.pbin"
"$compile" -o "$work/minimal.pbin" "$src/tests/phenotype/good/minimal.yaml" || fail "good/minimal.yaml does not compile"
cmp "$work/minimal.expected.pbin" "$work/minimal.pbin" || fail "good/minimal.yaml does not compile to the hand-built bytes"

# pbin-dump: a good file, then the same file cut short.
"$dump" "$work/minimal.pbin" | grep -q '^phenotype t: .pbin v1.1, arch 3' || fail "pbin-dump does not describe minimal.pbin"
head -c 60 "$work/minimal.pbin" >"$work/cut.pbin"	# inside channel 1 (20 + 36 = 56)
if "$dump" "$work/cut.pbin" 2>"$work/cut.err"; then
	fail "pbin-dump accepted a cut file"
elif ! grep -q 'offset [0-9]*: channels: file ends before channel' "$work/cut.err"; then
	fail "pbin-dump's refusal does not name the place: $(cat "$work/cut.err")"
fi

# Usage errors: exit 2.
"$compile" >/dev/null 2>&1; [ $? = 2 ] || fail "no arguments: exit status is not 2"
"$compile" --bogus -o x y >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option: exit status is not 2"

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all phenotype compiler checks passed"
