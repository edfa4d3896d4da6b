#!/usr/bin/env bash
# labels.sh BUILD-DIR: every test of the tree carries a kind label (unit, debug, lint,
# proof, fallback, storage, fuzz, release) and a target label (hosted, x86,
# arm64, mcu, uefi); a test whose name, command or environment names a
# board's build, image or log carries that board's label, and a board label
# is only where such a name is (release.* builds the boards itself);
# ctest -L <board> selects exactly the tests labelled so (and the fixture
# setups they require, which ctest adds to any selection), and the hosted
# test preset's exclusion exactly those without a board label.
set -euo pipefail
dir=$1
kinds='unit proof fallback storage fuzz release debug lint update' targets='hosted x86 arm64 mcu uefi'
json=$(ctest --test-dir "$dir" --show-only=json-v1)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# name<TAB>labels (space separated)<TAB>command, args and environment
rows=$(jq -r '.tests[] | [.name,
	([.properties[]? | select(.name == "LABELS") | .value[]] | join(" ")),
	(((.command // []) + [.properties[]? | select(.name == "ENVIRONMENT") | .value[]]) | join(" "))] | @tsv' <<<"$json")
[ -n "$rows" ] || { echo "FAIL: no tests in $dir"; exit 1; }
declare -A want=(
	[x86]='bios-x86_64|cellos-x86|(^|[ /.])x86([ .]|$)|x86\.log|CELLOS_X86'
	[arm64]='virt-arm64|cellos-arm64|(^|[ /.])arm64([ .]|$)|arm64\.log'
	[mcu]='mps2|cellos-mcu|(^|[ /.])mcu([ .]|$)|mcu\.log'
	[uefi]='uefi'
)
n=0
while IFS=$'\t' read -r name labels cmd; do
	n=$((n + 1))
	k=0 t=0
	for l in $labels; do
		case " $kinds " in *" $l "*) k=1; continue ;; esac
		case " $targets " in *" $l "*) t=1; continue ;; esac
		fail "$name: unknown label '$l'"
	done
	[ "$k" = 1 ] || fail "$name: no kind label ($kinds): '$labels'"
	[ "$t" = 1 ] || fail "$name: no target label ($targets): '$labels'"
	for b in x86 arm64 mcu uefi; do
		has=0
		case " $labels " in *" $b "*) has=1 ;; esac
		if grep -Eq "${want[$b]}" <<<"$name $cmd"; then
			[ "$has" = 1 ] || fail "$name needs the $b build but has no $b label"
		elif [ "$has" = 1 ] && [[ "$name" != release.* ]]; then
			fail "$name is labelled $b but names nothing of the $b build"
		fi
	done
done <<<"$rows"
for b in x86 arm64 mcu uefi; do
	got=$(ctest --test-dir "$dir" -N -L "^$b\$" --show-only=json-v1 | jq -r '.tests[].name' | sort)
	# the tests labelled b, and the fixture setups they require (ctest
	# adds those to any selection)
	exp=$(jq -r --arg b "$b" '
		def labels: [.properties[]? | select(.name == "LABELS") | .value[]];
		def prop($p): [.properties[]? | select(.name == $p) | .value[]];
		[.tests[] | select(labels | index($b))] as $sel |
		([$sel[] | prop("FIXTURES_REQUIRED")[]] | unique) as $fx |
		(($sel | map(.name)) + [.tests[] | select(any(prop("FIXTURES_SETUP")[]; . as $f | $fx | index($f))) | .name])
		| unique[]' <<<"$json" | sort)
	[ "$got" = "$exp" ] || fail "ctest -L ^$b\$ selects $(wc -w <<<"$got") tests, $(wc -w <<<"$exp") are labelled $b or set up their fixtures"
done
got=$(ctest --test-dir "$dir" -N -LE '^(x86|arm64|mcu|uefi)$' --show-only=json-v1 | jq -r '.tests[].name' | sort)
exp=$(awk -F'\t' '(" " $2 " ") !~ / (x86|arm64|mcu|uefi) / { print $1 }' <<<"$rows" | sort)
[ "$got" = "$exp" ] || fail "the hosted-only selection differs from the tests without a board label"
[ "$fails" = 0 ] || { echo "$fails problems"; exit 1; }
echo "ok: $n tests, each with a kind and a target label; -L per board exact"
