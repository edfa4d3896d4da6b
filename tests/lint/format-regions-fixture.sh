#!/usr/bin/env bash
# format-regions-fixture.sh SOURCE-DIR WORK-DIR: tools/lint/format-regions.py
# finds its regions by content. On a copy of the files it lists, with every
# clang-format off/on line taken out (so it runs the same before and after
# the tree's reformat), it must put back the 61 regions counted by hand,
# well nested, around the tables named below; a second run must change
# nothing; a trailing comment that runs onto the next line must become the
# block comment written below; and an anchor that is gone must be named,
# exit 1, and leave the other edits made.
set -euo pipefail

case "${1:-}" in
-h|--help)
	echo "usage: format-regions-fixture.sh SOURCE-DIR WORK-DIR"
	exit 0 ;;
esac
[ $# -eq 2 ] || { echo "usage: format-regions-fixture.sh SOURCE-DIR WORK-DIR" >&2; exit 2; }
src=$1 work=$2
fr=$src/tools/lint/format-regions.py
fail() { echo "format-regions-fixture: FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"

# A copy of the listed files without their regions.
copy_tree() {
	local t=$1 f
	rm -rf "$t"
	mkdir -p "$t"
	python3 "$fr" --list | while read -r f; do
		mkdir -p "$t/$(dirname "$f")"
		grep -v -E '^[[:space:]]*/\* clang-format (off|on) \*/$' "$src/$f" >"$t/$f" || true
	done
}

t=$work/tree
copy_tree "$t"
# Look-alikes that are no trailing comment running on (a "/*" in a string,
# one inside a block comment, a macro's continuation), and one that is.
mkdir -p "$t/core"
cat >"$t/core/zz_fixture.h" <<'EOF'
/*
 * int x; /* not code: inside a comment
 */
#define SLASH_STAR "/*"	/* a string, then a whole comment */
#define LONG_MACRO(a)	((a) + 1)	/* a comment of a macro \
				 * continued */
enum zz {
	ZZ_ONE,		/* fits */
	ZZ_TWO		/* runs onto
			 * the next line */
};
const char *zz_s = "/*";	/* a string, then a comment
				 * that runs on */
EOF
python3 "$fr" --root "$t" || fail "first run exited $?"

mapfile -t listed < <(python3 "$fr" --list)
count() { (cd "$t" && cat "${listed[@]}") | grep -c "^[[:space:]]*/\\* clang-format $1 \\*/\$" || true; }
n_off=$(count off)
n_on=$(count on)
[ "$n_off" = 61 ] || fail "$n_off clang-format off lines, not 61"
[ "$n_on" = 61 ] || fail "$n_on clang-format on lines, not 61"
# Well nested: off, on, off, on ... in every file.
for f in "${listed[@]}"; do
	awk -v f="$f" '
	    /^[ \t]*\/\* clang-format off \*\/$/ { if (off) { print f ":" NR ": off inside off"; bad = 1 } off = 1 }
	    /^[ \t]*\/\* clang-format on \*\/$/ { if (!off) { print f ":" NR ": on without off"; bad = 1 } off = 0 }
	    END { if (off) { print f ": off without on"; bad = 1 } exit bad }' "$t/$f" ||
	    fail "$f: regions not nested"
done

# Where a region starts and ends, read from the sources by hand: the line
# after the off, and the line before the on.
after_off() { grep -A1 -E '^[[:space:]]*/\* clang-format off \*/$' "$t/$1" | grep -qF -- "$2" || fail "$1: no region starts at '$2'"; }
before_on() { grep -B1 -E '^[[:space:]]*/\* clang-format on \*/$' "$t/$1" | grep -qF -- "$2" || fail "$1: no region ends at '$2'"; }
after_off core/vm.h '#define VM_OPS(X)'
before_on core/vm.h 'X(STB) X(STH) X(STW) X(STDW) X(STXB) X(STXH) X(STXW) X(STXDW)'
after_off wire/crypto.c 'static const uint32_t crc32c_table[256] = {'
after_off core/vm_interp.c '#if CFG_VM_COMPUTED_GOTO'
before_on core/vm_interp.c '(host[id] + o)'
after_off core/vm_verify.c '#define CLASS(op)'
before_on core/vm_verify.c '#define SIZE(op)'
after_off tests/unit/test_pheno.c 'static void bad_magic(struct pb *p)'
before_on tests/unit/test_pheno.c 'static void v10_trailing(struct pb *p)'
after_off include/cellos/pbin.h '#define PBIN_GENE_KINDS(X)'
before_on include/cellos/pbin.h 'X(BYTECODE,'
grep -q '^#error "CFG_VM_BENCH_\* are tools/bench/vm.s: a kernel meters gas, checks bounds"$' "$t/core/vm_interp.c" ||
    fail "core/vm_interp.c: the #error is not the short one"

cat >"$work/want.h" <<'EOF'
/*
 * int x; /* not code: inside a comment
 */
#define SLASH_STAR "/*"	/* a string, then a whole comment */
#define LONG_MACRO(a)	((a) + 1)	/* a comment of a macro \
				 * continued */
enum zz {
	ZZ_ONE,		/* fits */
	/* runs onto the next line */
	ZZ_TWO
};
/* a string, then a comment that runs on */
const char *zz_s = "/*";
EOF
cmp -s "$work/want.h" "$t/core/zz_fixture.h" ||
    fail "core/zz_fixture.h: $(diff "$work/want.h" "$t/core/zz_fixture.h" | head -20)"

# A second run changes nothing.
cp -a "$t" "$work/again"
python3 "$fr" --root "$work/again" || fail "second run exited $?"
diff -r "$t" "$work/again" >"$work/again.diff" || fail "the second run changed: $(head -20 "$work/again.diff")"
python3 "$fr" --root "$work/again" --check >"$work/check.out" ||
    fail "--check after a run lists $(cat "$work/check.out")"

# A table renamed: its anchor is named, exit 1, the rest still done.
m=$work/missing
copy_tree "$m"
sed -i 's/#define VM_OPS(X)/#define VM_OPZ(X)/' "$m/core/vm.h"
status=0
python3 "$fr" --root "$m" 2>"$work/missing.err" || status=$?
[ "$status" = 1 ] || fail "a missing anchor: exit $status, not 1"
grep -qF 'format-regions: core/vm.h: anchor "#define VM_OPS\(" not found' "$work/missing.err" ||
    fail "the missing anchor is not named: $(cat "$work/missing.err")"
[ "$(grep -c . "$work/missing.err")" = 1 ] || fail "more than the one missing anchor: $(cat "$work/missing.err")"
grep -q '^/\* clang-format off \*/$' "$m/wire/crypto.c" || fail "a missing anchor stopped the other edits"
echo "format-regions-fixture: ok (61 regions put back, a second run changes nothing, a missing anchor named)"
