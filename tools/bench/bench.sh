#!/usr/bin/env bash
# ./cellos bench: every figure as a ratio to a baseline measured in the same
# run (see docs/PERFORMANCE.md), median of repeated runs with min and max.
# Writes build/bench/results.json and prints a table. Needs ./cellos proof
# to have built the board images.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$top/build/bench"
repeats=${CELLOS_BENCH_REPEATS:-7}
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"
say() { printf 'bench: %s\n' "$*" >&2; }

for f in cellos-x86_bios.img cellos-arm64.bin cellos-x86.elf cellos-arm64.elf; do
	[ -f "$top/build/out/$f" ] || { say "build/out/$f missing: run ./cellos proof first"; exit 1; }
done

say "building an optimized hosted tree (build/bench/hosted)"
cmake --preset hosted -S "$top" -B "$out/hosted" -DCMAKE_BUILD_TYPE=Release \
	-DCELLOS_TESTS=OFF -DCELLOS_OUT_DIR= >"$out/configure.log" 2>&1 ||
	{ cat "$out/configure.log"; exit 1; }
cmake --build "$out/hosted" >"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; exit 1; }
hosted="$out/hosted/arch/hosted/cellos-hosted"

say "building the floor images"
nasm -f bin -o "$out/floor-x86.sector" "$top/tools/bench/floor-x86.asm"
cp "$out/floor-x86.sector" "$out/floor-x86.img" && truncate -s 1M "$out/floor-x86.img"
aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
	-o "$out/floor-arm64.elf" "$top/tools/bench/floor-arm64.S"
aarch64-linux-gnu-objcopy -O binary "$out/floor-arm64.elf" "$out/floor-arm64.bin"

# median / min / max of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
row() {	# row NAME VALUE-STATS UNIT BASELINE BASE-STATS
	read -r v vmin vmax <<<"$2"; read -r b _ _ <<<"$5"
	printf '{"name": "%s", "value": %s, "unit": "%s", "baseline": "%s", "baseline_value": %s, "ratio": %s, "min": %s, "max": %s}\n' \
		"$1" "$v" "$3" "$4" "$b" "$(echo "$v / $b" | bc -l | sed 's/^\./0./')" "$vmin" "$vmax" >>"$results"
}
timed() {	# timed N COMMAND...: N wall times, one per line
	local n=$1; shift
	for _ in $(seq "$n"); do seconds "$@"; done
}

say "QEMU boots to proof against the floor images ($repeats each)"
# The proof needs the machine's disk: a fresh one each boot, as ./cellos proof does.
x86=$(timed "$repeats" "$top/tools/qemu-run" x86 --image "$top/build/out/cellos-x86_bios.img" \
	--disk "$out/x86-disk.img" --fresh-disk | stats)
x86f=$(timed "$repeats" "$top/tools/qemu-run" x86 --image "$out/floor-x86.img" | stats)
row "x86 boot to FULL PROOF SUCCESS" "$x86" s "a boot sector printing one line" "$x86f"
arm=$(timed "$repeats" "$top/tools/qemu-run" arm64 --image "$top/build/out/cellos-arm64.bin" \
	--disk "$out/arm64-disk.img" --fresh-disk | stats)
armf=$(timed "$repeats" "$top/tools/qemu-run" arm64 --image "$out/floor-arm64.bin" | stats)
row "arm64 boot to FULL PROOF SUCCESS" "$arm" s "an Image printing one line" "$armf"

say "the hosted process against /bin/true"
hp=$(timed 21 "$hosted" --time=virtual | stats)
ht=$(timed 21 /bin/true | stats)
row "hosted process to FULL PROOF SUCCESS" "$hp" s "/bin/true" "$ht"

say "in-process figures"
"$out/hosted/bin/bench" >>"$results"

say "the gene interpreter against the same logic in C"
"$out/hosted/bin/bench" vm "$out/hosted/genes/bpf" >>"$results"

say "KV puts on a file disk"
"$out/hosted/bin/bench" kv "$out/kv-disk.img" >>"$results"

say "signals a real-time hosted kernel absorbs"
"$hosted" --time=real --run-for=4 >"$out/signals.log" &
pid=$!
for _ in $(seq 100); do grep -q '^#V serving' "$out/signals.log" 2>/dev/null && break; sleep 0.05; done
sent=$("$out/hosted/bin/bench" signals "$pid" 2)
wait "$pid" || true
raised=$(sed -n 's/^#V served [0-9]* ticks: raised=\([0-9]*\) .*/\1/p' "$out/signals.log")
printf '{"name": "hosted signals absorbed, real time", "value": %s, "unit": "signals/s", "baseline": "signals sent", "baseline_value": %s, "ratio": %s}\n' \
	"$(echo "$raised / 2" | bc)" "$(echo "$sent / 2" | bc)" "$(echo "$raised / $sent" | bc -l | sed 's/^\./0./')" >>"$results"

say "image sizes against the original design's kernels"
size_row() {	# size_row NAME ELF ORIGINAL-BYTES WHAT
	read -r text data bss _ < <(size "$2" | tail -n 1)
	printf '{"name": "%s", "value": %s, "unit": "bytes", "baseline": "%s", "baseline_value": %s, "ratio": %s, "bss": %s}\n' \
		"$1" "$(($4))" "original cell_os ($3 bytes)" "$3" "$(echo "$(($4)) / $3" | bc -l | sed 's/^\./0./')" "$bss" >>"$results"
}
read -r t d b _ < <(size "$top/build/out/cellos-x86.elf" | tail -n 1)
size_row "x86 kernel, loaded bytes (text+rodata+data)" "$top/build/out/cellos-x86.elf" 18224 "$t + $d"
read -r t d b _ < <(size "$top/build/out/cellos-arm64.elf" | tail -n 1)
size_row "arm64 kernel, bytes with BSS" "$top/build/out/cellos-arm64.elf" 27089 "$t + $d + $b"
size_row "arm64 kernel, loaded bytes (text+rodata+data)" "$top/build/out/cellos-arm64.elf" 27089 "$t + $d"

# The JSON file, and a table.
{ echo "["; sed '$!s/$/,/' "$results"; echo "]"; } >"$out/results.json.tmp" && mv "$out/results.json.tmp" "$out/results.json"
jq -r '.[] | [.name, (.value | tostring), .unit, (.ratio // "" | tostring), (.baseline // "")] | @tsv' "$out/results.json" |
	awk -F'\t' 'BEGIN { printf "%-58s %14s %-10s %10s  %s\n", "figure", "value", "unit", "ratio", "baseline" }
		{ printf "%-58s %14.6g %-10s %10s  %s\n", $1, $2, $3, ($4 == "" ? "" : sprintf("%.3g", $4)), $5 }'
say "wrote $out/results.json"
