#!/usr/bin/env bash
# run_code.sh COMPILER PBIN-DUMP SOURCE-DIR WORK-DIR GENES-DIR BAD-DIR GOOD-DIR CC
# The phenotype compiler's code: tests. GENES-DIR holds the genes/bpf
# objects, BAD-DIR and GOOD-DIR those of tests/phenotype/{bad,good}-code/
# (compiled by the build with the genes' clang and flags); the rest of the
# bad objects are made here: a text file, an x86 object (CC -c), cut
# objects and objects with a patched relocation. Every code/*.yaml must
# fail with exit status 1, exactly the stderr of its .expect (or a line
# matching its .expect-re) and no output file. A first line
# "# flags: ..." replaces the default flags "--code-dir objs". Then the
# good cases: relocated calls land on the functions readelf names, genes
# share programs, --native-genes ignores code:, and the shipped
# phenotypes compile to v1.2 with code and to v1.1 with --native-genes.
set -uo pipefail
compile=$1 dump=$2 src=$3 work=$4 genes=$5 bad=$6 good=$7 cc=$8
failures=0 count=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
rm -rf "$work"; mkdir -p "$work/objs"
objs=$work/objs
cp "$genes"/*.o "$bad"/*.o "$good"/*.o "$objs/"

# u NBYTES OFFSET FILE: an unsigned little-endian field of FILE.
u() { od -An -tu"$1" -j "$2" -N"$1" "$3" | tr -d ' '; }
# patch OFFSET BYTE FILE: overwrite one byte in place.
patch() { printf "\\x$(printf %02x "$2")" | dd of="$3" bs=1 seek="$1" conv=notrunc status=none; }

printf 'not an object, just text\n' >"$objs/not_elf.o"
printf 'int f(int x) { return x + 1; }\n' >"$work/x86.c"
"$cc" -c "$work/x86.c" -o "$objs/x86_object.o" || fail "$cc -c x86.c"
head -c 40 "$objs/peroxi_sanitize.o" >"$objs/truncated_header.o"
# Cut just before the section headers, which clang writes last.
shoff=$(u 8 40 "$objs/peroxi_sanitize.o")
head -c "$shoff" "$objs/peroxi_sanitize.o" >"$objs/truncated_sections.o"
# lyso_cleanup's first SHT_REL section is .rel.text; its first entry is an
# R_BPF_64_64 on an lddw. reloc_type: make it type 4; reloc_offset: move
# it to .text+0 (the first instruction, not an lddw).
cp "$objs/lyso_cleanup.o" "$objs/reloc_type.o"
cp "$objs/lyso_cleanup.o" "$objs/reloc_offset.o"
shnum=$(u 2 60 "$objs/lyso_cleanup.o")
shoff=$(u 8 40 "$objs/lyso_cleanup.o")
relat=""
for ((i = 0; i < shnum; i++)); do
	if [ "$(u 4 $((shoff + i * 64 + 4)) "$objs/lyso_cleanup.o")" = 9 ]; then
		relat=$(u 8 $((shoff + i * 64 + 24)) "$objs/lyso_cleanup.o")
		break
	fi
done
if [ -z "$relat" ] || [ "$(u 4 $((relat + 8)) "$objs/lyso_cleanup.o")" != 1 ]; then
	fail "lyso_cleanup.o has no .rel.text starting with an R_BPF_64_64"
else
	patch $((relat + 8)) 4 "$objs/reloc_type.o"
	for k in 0 1 2 3 4 5 6 7; do patch $((relat + k)) 0 "$objs/reloc_offset.o"; done
fi

. "$(dirname "$0")/refusal.sh"
for yaml in "$src"/tests/phenotype/code/*.yaml; do
	cp "$yaml" "$work/$(basename "$yaml")"
	flags="--code-dir objs"
	if head -1 "$yaml" | grep -q '^# flags:'; then
		flags=$(head -1 "$yaml" | sed 's/^# flags://')
	fi
	# shellcheck disable=SC2086
	check_refused "$yaml" "$work" $flags
done
echo "$count malformed code: phenotypes checked"

# ---- good cases ----
head=$(sed -n 1,11p "$src/tests/phenotype/code/not_elf.yaml")
gene() {	# gene ID OBJECT ENTRY HELPERS
	echo "  - {id: $1, kind: bytecode, channel: work, budget: {cpu: 5, io: 100, mem: 0}, arg0: $1, code: {object: $2, entry: $3, helpers: $4, gas: 100}}"
}

# Two genes on calls.o's gene share one program; one on two_entries.o's
# second entry (gene_b) gets its own. Every local call lands on a function
# readelf names, every entry on its symbol's slot.
{ echo "$head"; gene 2 calls gene '[log]'; gene 3 calls gene '[log]'; gene 4 two_entries gene_b '[]'; } >"$work/calls.yaml"
if (cd "$work" && "$compile" --code-dir objs -o calls.pbin calls.yaml); then
	"$dump" "$work/calls.pbin" >"$work/calls.dump" || fail "pbin-dump refuses calls.pbin"
	grep -q '^programs (2):' "$work/calls.dump" || fail "calls: not two programs"
	grep -q '^  g2   program 0  gas 100    helpers log$' "$work/calls.dump" || fail "calls: g2's gene code"
	grep -q '^  g3   program 0 ' "$work/calls.dump" || fail "calls: g3 does not share program 0"
	grep -q '^  g4   program 1 .* helpers (none)$' "$work/calls.dump" || fail "calls: g4's gene code"
	sym() { readelf -sW "$2" | awk -v n="$1" '$8 == n { print $2 }'; }
	mix=$((0x$(sym mix "$objs/calls.o") / 8)) twice=$((0x$(sym twice "$objs/calls.o") / 8))
	entry=$((0x$(sym gene "$objs/calls.o") / 8)) entry_b=$((0x$(sym gene_b "$objs/two_entries.o") / 8))
	grep -q "^  program 0: [0-9]* slots, entry $entry, " "$work/calls.dump" || fail "calls: program 0's entry is not gene's slot $entry"
	grep -q "^  program 1: [0-9]* slots, entry $entry_b, " "$work/calls.dump" || fail "calls: program 1's entry is not gene_b's slot $entry_b"
	sed -n '/^  program 0:/,/^  program 1:/p' "$work/calls.dump" | grep -o 'call pc[-+][0-9]* <[0-9]*>' |
		sed 's/.*<\([0-9]*\)>/\1/' | sort -u >"$work/calls.targets"
	printf '%s\n' "$mix" "$twice" | sort -u >"$work/calls.want"
	cmp -s "$work/calls.targets" "$work/calls.want" || fail "calls: local call targets $(tr '\n' ' ' <"$work/calls.targets")are not mix=$mix twice=$twice"
	grep -q 'rodata+0x[0-9a-f]* "word %s"' "$work/calls.dump" || fail "calls: the format string is not an lddw of rodata"
else
	fail "calls.yaml does not compile"
fi

# --native-genes ignores code: entirely, even an object that is not there:
# the same bytes as the phenotype without code:.
{ echo "$head"; echo "  - {id: 2, kind: mito_energy, channel: work, budget: {cpu: 5, io: 100, mem: 0}, code: {object: nowhere, helpers: [], gas: 1}}"; } >"$work/native.yaml"
{ echo "$head"; echo "  - {id: 2, kind: mito_energy, channel: work, budget: {cpu: 5, io: 100, mem: 0}}"; } >"$work/plain.yaml"
(cd "$work" && "$compile" --native-genes -o native.pbin native.yaml) || fail "--native-genes does not ignore code:"
(cd "$work" && "$compile" -o plain.pbin plain.yaml) || fail "plain.yaml does not compile"
cmp -s "$work/native.pbin" "$work/plain.pbin" || fail "--native-genes output differs from the phenotype without code:"
"$dump" "$work/native.pbin" | grep -q '^phenotype t: .pbin v1.1, ' || fail "--native-genes output is not v1.1"

# The shipped phenotypes: v1.2 with the genes' code (five programs, seven
# genes with code, the testgenes sharing one), v1.1 with --native-genes.
for yaml in "$src"/phenotypes/*.yaml; do
	name=$(basename "$yaml" .yaml)
	"$compile" --code-dir "$genes" -o "$work/$name.pbin" "$yaml" || { fail "$name does not compile with its code"; continue; }
	"$dump" "$work/$name.pbin" >"$work/$name.dump" || { fail "pbin-dump refuses $name.pbin"; continue; }
	grep -q "^phenotype $name: .pbin v1.2, " "$work/$name.dump" || fail "$name: not v1.2"
	grep -q '^programs (5):' "$work/$name.dump" || fail "$name: not five programs"
	grep -q '^gene code (7):' "$work/$name.dump" || fail "$name: not seven genes with code"
	[ "$(grep -c '^  g[567] .*program 4 ' "$work/$name.dump")" = 3 ] || fail "$name: the testgenes do not share program 4"
	"$compile" --native-genes -o "$work/$name.native.pbin" "$yaml" || { fail "$name does not compile with --native-genes"; continue; }
	"$dump" "$work/$name.native.pbin" | grep -q "^phenotype $name: .pbin v1.1, " || fail "$name --native-genes: not v1.1"
done

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all code: checks passed"
