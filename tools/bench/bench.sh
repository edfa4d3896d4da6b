#!/usr/bin/env bash
# ./cellos bench: every timed figure as a ratio to a baseline measured in
# the same run (see docs/PERFORMANCE.md), the median of repeated runs with
# min and max. Writes build/bench/results.json (tools/bench/results.py, a
# JSON writer) and prints a table with the change against the previous
# results.json when there is one.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

usage() {
	cat <<'EOF'
usage: ./cellos bench [--quick] [--only GROUP,...] [--skip GROUP,...]
                      [--hosted-tree DIR] [--out DIR]

Groups (all by default, in this order):
  qemu     x86 and arm64 boots to FULL PROOF SUCCESS against a one-line
           kernel's boot (the QEMU floor); needs ./cellos proof's images
  process  the hosted kernel as a process against /bin/true
  inproc   in-process boots (with SHA-256 compressions and signals per boot
           and per step), codec, SHA-256 and HMAC with the portable C and
           the CPU's engine against OpenSSL, Ed25519 against OpenSSL, the
           IRQ bridge, a bare signal round trip
  vm       the gene interpreter against the same logic in C
  kv       KV puts on a file disk against pwrite + fdatasync
  signals  signals a real-time hosted kernel absorbs against those sent
  fuzz     fuzz-boot exec/s, ASan+UBSan build and one without sanitizers,
           against the in-process boots of this run
  size     kernel image sizes against the original design's

  --quick             one run of each figure with tiny counts (the figures
                      mean nothing; for the test that the bench runs)
  --hosted-tree DIR   use this hosted build tree (bin/bench, cellos-hosted)
                      instead of building an optimized one in OUT/hosted
  --out DIR           results and scratch files (default build/bench)
  CELLOS_BENCH_REPEATS  runs per figure (default 7)
EOF
}

all_groups=(qemu process inproc vm kv signals fuzz size)
only="" skip="" quick=0 tree="" out="$top/build/bench"
opt_value() {	# opt_value OPTION "$@": the value of --opt=value or --opt value
	case "$2" in
	*=*) printf '%s\n' "${2#*=}" ;;
	*) [ $# -ge 3 ] || { echo "bench: $1 needs a value" >&2; exit 2; }; printf '%s\n' "$3" ;;
	esac
}
while [ $# -gt 0 ]; do
	n=1
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--quick) quick=1 ;;
	--only|--only=*) only=$(opt_value --only "$@"); [[ $1 == *=* ]] || n=2 ;;
	--skip|--skip=*) skip=$(opt_value --skip "$@"); [[ $1 == *=* ]] || n=2 ;;
	--hosted-tree|--hosted-tree=*) tree=$(opt_value --hosted-tree "$@"); [[ $1 == *=* ]] || n=2 ;;
	--out|--out=*) out=$(opt_value --out "$@"); [[ $1 == *=* ]] || n=2 ;;
	*) echo "bench: unknown argument '$1' (see ./cellos bench --help)" >&2; exit 2 ;;
	esac
	shift "$n"
done
for g in ${only//,/ } ${skip//,/ }; do
	[[ " ${all_groups[*]} " == *" $g "* ]] ||
		{ echo "bench: unknown group '$g' (groups: ${all_groups[*]})" >&2; exit 2; }
done
want() {
	if [ -n "$only" ]; then [[ ",$only," == *",$1,"* ]] || return 1; fi
	[[ ",$skip," != *",$1,"* ]]
}

repeats=${CELLOS_BENCH_REPEATS:-7}
[[ $repeats =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: CELLOS_BENCH_REPEATS='$repeats' is not a positive count" >&2; exit 2; }
quick_arg=()
if [ "$quick" = 1 ]; then repeats=1; quick_arg=(--quick); fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
records="$out/results.jsonl"
: >"$records"
say() { printf 'bench: %s\n' "$*" >&2; }

# ---- records: every number through awk's %.6g, every record through jq ----

# median / min / max of the numbers on stdin, one a line
stats() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; printf "%.6g %.6g %.6g\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "null"; else printf "%.6g\n", a / b }'; }
row() {	# row NAME "MED MIN MAX" UNIT BASELINE "MED MIN MAX"
	local v vmin vmax b
	read -r v vmin vmax <<<"$2"; read -r b _ _ <<<"$5"
	jq -cn --arg name "$1" --argjson value "$v" --arg unit "$3" --arg baseline "$4" \
		--argjson bv "$b" --argjson ratio "$(ratio "$v" "$b")" --argjson min "$vmin" \
		--argjson max "$vmax" \
		'{name: $name, value: $value, unit: $unit, baseline: $baseline,
		  baseline_value: $bv, ratio: $ratio, min: $min, max: $max}' >>"$records"
}
timed() {	# timed N COMMAND...: N wall times, one a line
	local n=$1; shift
	for _ in $(seq "$n"); do seconds "$@"; done
}

# ---- the hosted tree ----

if [ -n "$tree" ]; then
	tree=$(cd "$tree" && pwd)
else
	say "building an optimized hosted tree ($out/hosted)"
	cmake --preset hosted -S "$top" -B "$out/hosted" -DCMAKE_BUILD_TYPE=Release \
		-DCELLOS_TESTS=OFF -DCELLOS_OUT_DIR= >"$out/configure.log" 2>&1 ||
		{ cat "$out/configure.log" >&2; exit 1; }
	cmake --build "$out/hosted" >"$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; exit 1; }
	tree="$out/hosted"
fi
hosted="$tree/arch/hosted/cellos-hosted"
bench="$tree/bin/bench"
for f in "$hosted" "$bench"; do
	[ -x "$f" ] || { say "$f missing: build the hosted tree first"; exit 1; }
done

# ---- the groups ----

if want qemu; then
	for f in cellos-x86_bios.img cellos-arm64.bin; do
		[ -f "$top/build/out/$f" ] || { say "build/out/$f missing: run ./cellos proof first (or --skip qemu)"; exit 1; }
	done
	say "building the floor images"
	nasm -f bin -o "$out/floor-x86.sector" "$top/tools/bench/floor-x86.asm"
	cp "$out/floor-x86.sector" "$out/floor-x86.img" && truncate -s 1M "$out/floor-x86.img"
	aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
		-o "$out/floor-arm64.elf" "$top/tools/bench/floor-arm64.S"
	aarch64-linux-gnu-objcopy -O binary "$out/floor-arm64.elf" "$out/floor-arm64.bin"
	say "QEMU boots to proof against the floor images ($repeats each, alternating)"
	# The proof needs the machine's disk: a fresh one each boot, as ./cellos proof does.
	: >"$out/x86.t"; : >"$out/x86f.t"; : >"$out/arm.t"; : >"$out/armf.t"
	for _ in $(seq "$repeats"); do
		seconds "$top/tools/qemu-run" x86 --image "$top/build/out/cellos-x86_bios.img" \
			--disk "$out/x86-disk.img" --fresh-disk >>"$out/x86.t"
		seconds "$top/tools/qemu-run" x86 --image "$out/floor-x86.img" >>"$out/x86f.t"
		seconds "$top/tools/qemu-run" arm64 --image "$top/build/out/cellos-arm64.bin" \
			--disk "$out/arm64-disk.img" --fresh-disk >>"$out/arm.t"
		seconds "$top/tools/qemu-run" arm64 --image "$out/floor-arm64.bin" >>"$out/armf.t"
	done
	row "x86 boot to FULL PROOF SUCCESS" "$(stats <"$out/x86.t")" s \
		"a boot sector printing one line" "$(stats <"$out/x86f.t")"
	row "arm64 boot to FULL PROOF SUCCESS" "$(stats <"$out/arm.t")" s \
		"an Image printing one line" "$(stats <"$out/armf.t")"
fi

if want process; then
	say "the hosted process against /bin/true"
	n=$((quick ? 1 : 21))
	row "hosted process to FULL PROOF SUCCESS" "$(timed "$n" "$hosted" --time=virtual | stats)" s \
		"/bin/true" "$(timed "$n" /bin/true | stats)"
fi

if want inproc || want fuzz; then
	say "in-process figures"
	if want inproc; then
		"$bench" "${quick_arg[@]}" all >>"$records"
	else
		"$bench" "${quick_arg[@]}" boots >>"$records"
	fi
fi

if want vm; then
	say "the gene interpreter against the same logic in C"
	"$bench" "${quick_arg[@]}" vm "$tree/genes/bpf" >>"$records"
fi

if want kv; then
	say "KV puts on a file disk"
	"$bench" "${quick_arg[@]}" kv "$out/kv-disk.img" >>"$records"
fi

if want signals; then
	say "signals a real-time hosted kernel absorbs"
	secs=$((quick ? 1 : 2))
	"$hosted" --time=real --run-for=$((secs + 2)) >"$out/signals.log" &
	pid=$!
	for _ in $(seq 100); do grep -q '^#V serving' "$out/signals.log" 2>/dev/null && break; sleep 0.05; done
	sent=$("$bench" signals "$pid" "$secs")
	wait "$pid" || true
	raised=$(sed -n 's/^#V served [0-9]* ticks: raised=\([0-9]*\) .*/\1/p' "$out/signals.log")
	[ -n "$raised" ] || { say "the real-time kernel printed no '#V served' line ($out/signals.log)"; exit 1; }
	jq -cn --argjson v "$(ratio "$raised" "$secs")" --argjson b "$(ratio "$sent" "$secs")" \
		--argjson r "$(ratio "$raised" "$sent")" \
		'{name: "hosted signals absorbed, real time", value: $v, unit: "signals/s",
		  baseline: "signals sent", baseline_value: $b, ratio: $r}' >>"$records"
fi

if want fuzz; then
	# fuzz-boot as CI builds it (the fuzz preset: clang, libFuzzer, ASan +
	# UBSan) and the same without sanitizers (CELLOS_FUZZ_SANITIZERS empty:
	# coverage instrumentation only), -runs bounded, over the committed
	# corpus from a fixed seed; exec/s from libFuzzer's own count of
	# executed inputs over the wall time of the run.
	inproc=$(jq -r 'select(.name == "in-process boots") | .value' "$records")
	for kind in asan plain; do
		dir="$out/fuzz-$kind"
		san=()
		[ "$kind" = plain ] && san=(-DCELLOS_FUZZ_SANITIZERS=)
		say "building fuzz-boot ($kind) in $dir"
		cmake --preset fuzz -S "$top" -B "$dir" "${san[@]}" >"$dir.configure.log" 2>&1 ||
			{ cat "$dir.configure.log" >&2; exit 1; }
		cmake --build "$dir" --target fuzz-boot >"$dir.build.log" 2>&1 ||
			{ tail -30 "$dir.build.log" >&2; exit 1; }
		runs=3000
		[ "$kind" = plain ] && runs=6000
		[ "$quick" = 1 ] && runs=20
		n=$((quick ? 1 : 3))
		: >"$dir.rates"
		for _ in $(seq "$n"); do
			rm -rf "$dir.finds" && mkdir -p "$dir.finds"
			t0=$(date +%s.%N)
			ASAN_OPTIONS=detect_leaks=0 "$dir/fuzz/fuzz-boot" -runs="$runs" -seed=1 \
				-max_len=65536 -print_final_stats=1 -artifact_prefix="$dir.finds/" \
				"$dir.finds" "$top/fuzz/corpus/boot" >"$dir.log" 2>&1 ||
				{ tail -20 "$dir.log" >&2; say "fuzz-boot ($kind) failed"; exit 1; }
			t1=$(date +%s.%N)
			units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir.log")
			[ -n "$units" ] || { say "fuzz-boot ($kind) printed no stat::number_of_executed_units"; exit 1; }
			awk -v u="$units" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6g\n", u / (b - a) }' >>"$dir.rates"
		done
		name="fuzz-boot exec/s, ASan+UBSan"
		[ "$kind" = plain ] && name="fuzz-boot exec/s, no sanitizers"
		row "$name" "$(stats <"$dir.rates")" "exec/s" "in-process boots of this run" "$inproc $inproc $inproc"
	done
fi

if want size; then
	say "image sizes against the original design's kernels"
	size_row() {	# size_row NAME BYTES ORIGINAL-BYTES
		jq -cn --arg name "$1" --argjson v "$2" --argjson b "$3" --argjson r "$(ratio "$2" "$3")" \
			'{name: $name, value: $v, unit: "bytes", baseline: "original cell_os (\($b) bytes)",
			  baseline_value: $b, ratio: $r}' >>"$records"
	}
	for f in cellos-x86.elf cellos-arm64.elf; do
		[ -f "$top/build/out/$f" ] || { say "build/out/$f missing: run ./cellos proof first (or --skip size)"; exit 1; }
	done
	read -r t d b _ < <(size "$top/build/out/cellos-x86.elf" | tail -n 1)
	size_row "x86 kernel, loaded bytes (text+rodata+data)" "$((t + d))" 18224
	read -r t d b _ < <(size "$top/build/out/cellos-arm64.elf" | tail -n 1)
	size_row "arm64 kernel, bytes with BSS" "$((t + d + b))" 27089
	size_row "arm64 kernel, loaded bytes (text+rodata+data)" "$((t + d))" 27089
fi

# The JSON document (through a JSON writer, checked line by line), and a table.
python3 "$top/tools/bench/results.py" "$records" "$out/results.json" "${quick_arg[@]}"
say "wrote $out/results.json"
