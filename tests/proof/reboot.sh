#!/usr/bin/env bash
# reboot.sh HOSTED WORK -- "--boots=3" in one process must print, byte for
# byte, what three separate processes print (cell_reset leaves nothing of
# one boot behind for the next); with a file disk, the second and third
# in-process boots see what the earlier ones stored, as separate processes do.
set -euo pipefail
hosted=$1 work=$2
mkdir -p "$work"
"$hosted" --boots=3 >"$work/in-process.log"
for i in 1 2 3; do "$hosted"; done >"$work/processes.log"
cmp "$work/in-process.log" "$work/processes.log" ||
	{ diff "$work/in-process.log" "$work/processes.log" | head; echo "FAIL: in-process boots differ"; exit 1; }
rm -f "$work/a.img" "$work/b.img"
"$hosted" --boots=3 --disk="$work/a.img" >"$work/in-process-disk.log"
for i in 1 2 3; do "$hosted" --disk="$work/b.img"; done >"$work/processes-disk.log"
cmp "$work/in-process-disk.log" "$work/processes-disk.log" ||
	{ diff "$work/in-process-disk.log" "$work/processes-disk.log" | head; echo "FAIL: in-process boots on a disk differ"; exit 1; }
grep -c '^FULL PROOF SUCCESS$' "$work/in-process.log" | grep -qx 3 || { echo "FAIL: not three proofs"; exit 1; }
echo "ok: 3 in-process boots = 3 processes ($(wc -c <"$work/in-process.log") bytes), with and without a disk"
