#!/usr/bin/env bash
# tests/mutations/run.sh [PATCH...] -- plant each one-line bug (default:
# every tests/mutations/*.patch) in a scratch worktree of HEAD, build what
# it needs, boot the targets its "Boots:" line names on a fresh disk, and
# check that the kernel itself catches it: the boot must end with status 1
# (PROOF FAILURE) and print a line starting with its "Expect:" text. Not
# part of ./cellos test (it rebuilds the kernels once per bug); run it
# before saying the proof checks itself. Prints a table and exits 1 when
# any bug went uncaught.
#
# A patch is a unified diff with three header lines before it:
#   Mutation: what the bug does
#   Boots: hosted | hosted-file | x86 | x86-q35 | x86-isapc | arm64 (one or more)
#   Expect: PROOF FAILURE: E<n>...
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/mutations
tree=$work/tree
say() { printf 'mutations: %s\n' "$*" >&2; }

patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=("$top"/tests/mutations/*.patch)
for p in "${patches[@]}"; do
	[ -f "$p" ] || { say "$p: no such patch"; exit 2; }
done
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] ||
	say "note: uncommitted changes are not in the scratch tree (it is HEAD)"

mkdir -p "$work"
if [ ! -d "$tree" ]; then
	git -C "$top" worktree add --detach "$tree" HEAD >/dev/null
fi
git -C "$tree" checkout --detach -q "$(git -C "$top" rev-parse HEAD)"
git -C "$tree" checkout -q -- .

field() { sed -n "s/^$1: //p" "$2" | head -n 1; }

# boot KIND LOG: boot the mutated tree's KIND on a fresh disk; sets status.
boot() {
	local kind=$1 log=$2 disk=${2%.log}.img
	rm -f "$disk"
	status=0
	case "$kind" in
	hosted)
		"$tree/build/out/cellos-hosted" >"$log" 2>&1 || status=$?
		;;
	hosted-file)
		"$tree/build/out/cellos-hosted" --disk="$disk" >"$log" 2>&1 || status=$?
		;;
	x86|arm64)
		"$tree/tools/qemu-run" "$kind" --log "$log" --timeout 120 \
			--disk "$disk" --fresh-disk >/dev/null 2>&1 || status=$?
		;;
	x86-q35)
		CELLOS_X86_MACHINE=q35 "$tree/tools/qemu-run" x86 --log "$log" \
			--timeout 120 --disk "$disk" --fresh-disk >/dev/null 2>&1 ||
			status=$?
		;;
	x86-isapc) # no PCI, so ATA PIO (isapc's default CPU has no long mode)
		CELLOS_X86_MACHINE=isapc CELLOS_X86_CPU=qemu64 "$tree/tools/qemu-run" \
			x86 --log "$log" --timeout 120 --disk "$disk" --fresh-disk \
			>/dev/null 2>&1 || status=$?
		;;
	*) say "unknown boot kind '$kind'"; exit 2 ;;
	esac
}

caught=0 missed=0
report=$work/report.txt
: >"$report"
for p in "${patches[@]}"; do
	name=$(basename "$p" .patch)
	what=$(field Mutation "$p")
	boots=$(field Boots "$p")
	expect=$(field Expect "$p")
	git -C "$tree" checkout -q -- .
	if ! git -C "$tree" apply "$p"; then
		say "$name: the patch does not apply to HEAD"
		missed=$((missed + 1))
		echo "NOAPPLY $name" >>"$report"
		continue
	fi
	targets=(hosted)
	case " $boots " in *" x86"*) targets+=(x86) ;; esac
	case " $boots " in *" arm64 "*) targets+=(arm64) ;; esac
	say "$name: $what (build ${targets[*]}, boot $boots)"
	if ! (cd "$tree" && ./cellos build "${targets[@]}") >"$work/$name.build.log" 2>&1; then
		# A bug that does not build is no bug the kernel could catch.
		say "$name: the mutated tree does not build (build/mutations/$name.build.log)"
		missed=$((missed + 1))
		echo "NOBUILD $name" >>"$report"
		continue
	fi
	ok=1
	for kind in $boots; do
		log=$work/$name.$kind.log
		boot "$kind" "$log"
		verdict=$(grep -m1 '^PROOF FAILURE: ' "$log" || true)
		if [ "$status" = 1 ] && [[ "$verdict" == "$expect"* ]]; then
			printf 'CAUGHT  %-28s %-11s %s\n' "$name" "$kind" "$verdict" >>"$report"
		else
			ok=0
			printf 'MISSED  %-28s %-11s status %s, last line: %s\n' "$name" \
				"$kind" "$status" "$(tail -n 1 "$log")" >>"$report"
		fi
	done
	if [ "$ok" = 1 ]; then caught=$((caught + 1)); else missed=$((missed + 1)); fi
done
git -C "$tree" checkout -q -- .
cat "$report"
say "$caught of $((caught + missed)) planted bugs caught by the kernel itself"
[ "$missed" = 0 ]
