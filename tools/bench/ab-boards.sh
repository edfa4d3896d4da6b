#!/usr/bin/env bash
# ab-boards.sh OTHER-TREE [ROUNDS] -- time the x86 and arm64 proof boots of
# another checkout's images (OTHER-TREE/build/out, built there by ./cellos
# proof) against this tree's and against the QEMU floor images ./cellos
# bench builds (build/bench/floor-*), ROUNDS rounds (default 10) of all six
# alternating, each board boot on a fresh copy of this tree's proof disk.
# Prints the median, min and max of each, and each board's medians and
# minimums as multiples of its floor. A boot that does not end in FULL
# PROOF SUCCESS (or, for a floor, in its one line) stops the run: a failed
# boot's time means nothing.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
usage() { echo "usage: tools/bench/ab-boards.sh OTHER-TREE [ROUNDS]"; }
[ $# -ge 1 ] && [ $# -le 2 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
other=$(cd "$1" 2>/dev/null && pwd) || { echo "ab-boards: no directory $1" >&2; exit 2; }
rounds=${2:-10}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ab-boards: ROUNDS must be a positive number, not '$rounds'" >&2; exit 2; }
for f in "$other/build/out/cellos-x86_bios.img" "$other/build/out/cellos-arm64.bin" \
	"$top/build/out/cellos-x86_bios.img" "$top/build/out/cellos-arm64.bin" \
	"$top/build/disks/proof-x86.img" "$top/build/disks/proof-arm64.img" \
	"$top/build/bench/floor-x86.img" "$top/build/bench/floor-arm64.bin"; do
	[ -f "$f" ] || { echo "ab-boards: $f is missing (./cellos proof, and ./cellos bench --only qemu for the floors)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# boot NAME BOARD IMAGE [DISK]: one boot, its milliseconds on stdout.
boot() {
	local name=$1 board=$2 image=$3 disk=${4:-} s e args=()
	if [ -n "$disk" ]; then
		cp "$disk" "$work/disk.img"
		args=(--disk "$work/disk.img")
	fi
	s=$(date +%s%N)
	"$top/tools/qemu-run" "$board" --no-symbolize --image "$image" \
		${args[@]+"${args[@]}"} >"$work/log" 2>&1 || true
	e=$(date +%s%N)
	if [ -n "$disk" ]; then
		grep -qx "FULL PROOF SUCCESS" "$work/log" ||
			{ echo "ab-boards: $name did not reach FULL PROOF SUCCESS:" >&2; tail -5 "$work/log" >&2; exit 1; }
	elif [ ! -s "$work/log" ]; then
		echo "ab-boards: $name printed nothing" >&2; exit 1
	fi
	echo "$name $(((e - s) / 1000000))"
}

for _ in $(seq "$rounds"); do
	boot x86-other x86 "$other/build/out/cellos-x86_bios.img" "$top/build/disks/proof-x86.img"
	boot x86-this x86 "$top/build/out/cellos-x86_bios.img" "$top/build/disks/proof-x86.img"
	boot x86-floor x86 "$top/build/bench/floor-x86.img"
	boot arm64-other arm64 "$other/build/out/cellos-arm64.bin" "$top/build/disks/proof-arm64.img"
	boot arm64-this arm64 "$top/build/out/cellos-arm64.bin" "$top/build/disks/proof-arm64.img"
	boot arm64-floor arm64 "$top/build/bench/floor-arm64.bin"
done >"$work/times"
python3 - "$work/times" <<'EOF'
import collections, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, ms = line.split()
    d[name].append(int(ms))
for name in sorted(d):
    v = sorted(d[name])
    print(f"{name:12s} median {statistics.median(v):6.0f} ms  min {v[0]:5d}  max {v[-1]:5d}  ({len(v)} boots)")
for b in ("x86", "arm64"):
    f, mf = statistics.median(d[b + "-floor"]), min(d[b + "-floor"])
    print(f"{b}: medians {statistics.median(d[b + '-other']) / f:.2f}x (other) and "
          f"{statistics.median(d[b + '-this']) / f:.2f}x (this) the floor's; "
          f"minimums {min(d[b + '-other']) / mf:.2f}x and {min(d[b + '-this']) / mf:.2f}x")
EOF
