#!/usr/bin/env bash
# lint-fixture.sh SOURCE-DIR CC WORK-DIR: every check of tools/lint/lint.sh
# can fail. A small tree under WORK-DIR holds one violation of each kind
# (and look-alikes that are no violation); lint.sh must name exactly the
# violations, each at the FILE:LINE written below by hand, and exit 1. The
# same tree without the violations must pass. The expected lines come from
# the fixture's text, not from a run of lint.sh.
set -euo pipefail

case "${1:-}" in
-h|--help)
	echo "usage: lint-fixture.sh SOURCE-DIR CC WORK-DIR"
	exit 0 ;;
esac
[ $# -eq 3 ] || { echo "usage: lint-fixture.sh SOURCE-DIR CC WORK-DIR" >&2; exit 2; }
src=$1 cc=$2 work=$3
lint=$src/tools/lint/lint.sh
format=$src/tools/lint/format.sh

rm -rf "$work"
mkdir -p "$work"
fail() { echo "lint-fixture: FAIL: $*" >&2; exit 1; }

# Write the tree: the clean files (with the look-alikes) and, when $2 is
# "dirty", the violations.
make_tree() {
	local t=$1 kind=$2
	mkdir -p "$t/core" "$t/wire" "$t/tools/say" "$t/arch/x86"
	cp "$src/.clang-format" "$t/"

	# Look-alikes: a target macro in a comment, the board profile hook, a
	# header include, a prototype carrying the attribute for its definition.
	cat >"$t/core/clean.c" <<'EOF'
/* Not a test: this file never asks whether it runs on __x86_64__. */
#include "clean.h"

#ifdef CELLOS_BOARD_CONFIG
#include CELLOS_BOARD_CONFIG
#endif

int
clean(int a)
{
	return a + 1;
}
EOF
	cat >"$t/core/clean.h" <<'EOF'
int clean(int a);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
EOF
	cat >"$t/core/note.c" <<'EOF'
#include <stdarg.h>
#include <stdio.h>

#include "clean.h"

void
note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
EOF
	# arch/ may test the target: that is where target knowledge lives.
	cat >"$t/arch/x86/cpu.c" <<'EOF'
#ifdef __x86_64__
int x86 = 1;
#endif
EOF
	# The call graph: ping.c calls pong.c; a dirty tree calls back.
	cat >"$t/core/ping.c" <<'EOF'
int pong(int n);

int
ping(int n)
{
	return n > 0 ? pong(n - 1) : 0;
}
EOF
	if [ "$kind" = dirty ]; then
		cat >"$t/core/pong.c" <<'EOF'
int ping(int n);

int
pong(int n)
{
	return n > 0 ? ping(n - 1) : 1;
}
EOF
	else
		cat >"$t/core/pong.c" <<'EOF'
int
pong(int n)
{
	return n;
}
EOF
	fi
	if [ "$kind" = dirty ]; then
		cat >"$t/core/inc.c" <<'EOF'
/* One translation unit pulls in another's code. */
#include "ping.c"
EOF
		cat >"$t/wire/target.c" <<'EOF'
int word;

#if defined(__aarch64__) || 0
int wide = 1;
#endif
EOF
		cat >"$t/wire/CMakeLists.txt" <<'EOF'
# The wire library.
add_library(w STATIC target.c)
if(CELLOS_TARGET STREQUAL "hosted")
endif()
EOF
		cat >"$t/tools/say/say.c" <<'EOF'
#include <stdarg.h>
#include <stdio.h>

static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
tell(int level, FILE *f, const char *fmt, ...)
{
	(void)level;
	(void)f;
	(void)fmt;
}

int
main(void)
{
	say("%d\n", 1);
	tell(0, stderr, "%d\n", 2);
	return 0;
}
EOF
	fi
	# Everything so far is laid out as .clang-format says (format.sh's fix
	# mode sees to that, and is tested by it); a dirty tree then gets one
	# file that is not.
	"$format" --no-regions --root "$t"
	"$format" --no-regions --check --root "$t" >"$t.check" ||
	    fail "format.sh left $(cat "$t.check") unformatted"
	if [ "$kind" = dirty ]; then
		printf 'int\nbadly(void){return 0;}\n' >"$t/core/badly.c"
	fi

	# The kernel's objects, where tools/import-cycles.py looks for them.
	local objs=$t/build/core/CMakeFiles/cellos_core.dir f
	mkdir -p "$objs"
	for f in ping pong; do
		"$cc" -c -o "$objs/$f.c.o" "$t/core/$f.c"
	done
}

make_tree "$work/clean" clean
make_tree "$work/dirty" dirty

status=0
"$lint" --no-regions --root "$work/clean" --build "$work/clean/build" >"$work/clean.out" 2>&1 || status=$?
cat "$work/clean.out"
[ "$status" = 0 ] || fail "the clean tree has findings (status $status)"

status=0
"$lint" --no-regions --root "$work/dirty" --build "$work/dirty/build" >"$work/dirty.out" 2>&1 || status=$?
cat "$work/dirty.out"
[ "$status" = 1 ] || fail "lint.sh exited $status on the dirty tree, not 1"

# Each finding, as FILE:LINE: (and the check's tag); nothing else may be found.
want=(
	"core/badly.c:2:12: .*\[format\]$"
	"core/inc.c:2: #include of a .c file (ping.c).*\[include-c\]$"
	"wire/target.c:3: #if on __aarch64__.*\[target\]$"
	"wire/CMakeLists.txt:3: CELLOS_TARGET.*\[target\]$"
	"core/\(ping\|pong\).c:[0-9]*: import cycle: .*\[cycles\]$"
	"tools/say/say.c:5: say is printf-like.*format(printf, 1, 2).*\[format-attr\]$"
	"tools/say/say.c:15: tell: format(printf, 2, 3) does not match.*format(printf, 3, 4)).*\[format-attr\]$"
)
for w in "${want[@]}"; do
	grep -q -- "^$w" "$work/dirty.out" || fail "no finding matching '$w'"
done
# The cycle names both of its edges, each at the line that makes the call.
grep -q '^core/ping.c:6: import cycle: ping.c uses pong of pong.c' "$work/dirty.out" ||
    fail "the cycle's edge ping -> pong is not at core/ping.c:6"
grep -q '^core/pong.c:6: import cycle: pong.c uses ping of ping.c' "$work/dirty.out" ||
    fail "the cycle's edge pong -> ping is not at core/pong.c:6"
n=$(grep -c '\[[a-z-]*\]$' "$work/dirty.out")
[ "$n" = 8 ] || fail "$n findings, not the 8 planted"
echo "lint-fixture: ok (8 planted findings named, the clean tree passes)"
