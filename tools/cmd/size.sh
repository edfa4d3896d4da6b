#!/usr/bin/env bash
# ./cellos size [--top N] [--no-record] [TARGET...]: the footprint of each
# target's build: text, data and BSS of every object file the build made
# (llvm-size, which reads ELF and COFF alike), the N largest, the image's
# own totals, and the change against the previous recorded build.
#
# Each run records the table in build/size/TARGET.txt, keyed by the
# image's SHA-256; when the image has changed since, the old record becomes
# build/size/TARGET.prev.txt first, and the comparison is always against
# the .prev record: "the previous build".
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

usage() {
	cat <<'EOF'
usage: ./cellos size [--top N] [--no-record] [--build-dir DIR] [TARGET...]

Text, data and BSS by object file for each target's build tree, the N
largest objects (default 10), the image's totals, and the change against
the previous build recorded in build/size/. TARGET is hosted, x86, arm64,
mcu or uefi; default: every target that has been built.

  --top N, --top=N   how many of the largest objects to list (1..1000)
  --no-record        compare, but do not record this build in build/size/
  --build-dir DIR, --build-dir=DIR
                     where the build trees (DIR/<preset>) and the records
                     (DIR/size/) are; default build
  -h, --help         this text
EOF
}

die() { printf 'size: %s\n' "$*" >&2; exit 2; }

top_n=10 record=1 targets=() build=build
while [ $# -gt 0 ]; do
	case "$1" in
	--top) [ $# -ge 2 ] || die "--top needs a number"; top_n=$2; shift 2 ;;
	--top=*) top_n=${1#--top=}; shift ;;
	--no-record) record=0; shift ;;
	--build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; build=$2; shift 2 ;;
	--build-dir=*) build=${1#--build-dir=}; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; targets+=("$@"); break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) targets+=("$1"); shift ;;
	esac
done
[ -n "$build" ] && [ -d "$build" ] || die "--build-dir: '$build' is not a directory"
[[ "$top_n" =~ ^[0-9]+$ ]] && [ "$top_n" -ge 1 ] && [ "$top_n" -le 1000 ] ||
	die "--top: '$top_n' is not a number from 1 to 1000"

preset_of() {
	case "$1" in
	hosted) echo hosted ;;
	x86) echo bios-x86_64 ;;
	arm64) echo virt-arm64 ;;
	mcu) echo mps2-cortex-m ;;
	uefi) echo uefi-x86_64 ;;
	*) die "unknown target '$1' (expected hosted, x86, arm64, mcu or uefi)" ;;
	esac
}
image_of() {
	case "$1" in
	hosted) echo cellos-hosted ;;
	x86) echo cellos-x86.elf ;;
	arm64) echo cellos-arm64.elf ;;
	mcu) echo cellos-mcu.elf ;;
	uefi) echo BOOTX64.EFI ;;
	esac
}

explicit=1
if [ "${#targets[@]}" -eq 0 ]; then
	explicit=0
	targets=(hosted x86 arm64 mcu uefi)
fi
for t in "${targets[@]}"; do preset_of "$t" >/dev/null; done
command -v llvm-size >/dev/null || die "llvm-size not found (./cellos deps installs llvm)"

mkdir -p "$build/size"
shown=0
for t in "${targets[@]}"; do
	dir="$build/$(preset_of "$t")"
	image=$(find -H "$dir" -name "$(image_of "$t")" -type f 2>/dev/null | head -n 1)
	if [ -z "$image" ]; then
		[ "$explicit" = 0 ] && continue
		die "$t: no $(image_of "$t") in $dir (build it first: ./cellos build $t)"
	fi
	shown=$((shown + 1))
	# The objects of the kernel and its loaders: not the host tools, the
	# tests, the fuzzers, CMake's probes or the bytecode genes (those are
	# data inside the phenotype, not code the image links).
	mapfile -t objs < <(find -H "$dir" -path '*/CMakeFiles/*.dir/*' \
		\( -name '*.o' -o -name '*.obj' \) \
		-not -path "$dir/tests/*" -not -path "$dir/tools/*" \
		-not -path "$dir/fuzz/*" -not -path "$dir/phenotypes/*" \
		-not -path '*/CMakeFiles/[0-9]*' -not -path '*/cellos-bpf-probe/*' | sort)
	now=$(mktemp "$build/size/.$t.XXXXXX")
	sha=$(sha256sum "$image" | cut -d' ' -f1)
	{
		printf '# %s %s %s\n' "$t" "$image" "$sha"
		# image TEXT DATA BSS
		llvm-size "$image" | awk 'NR == 2 { print "image", $1, $2, $3 }'
		# OBJECT TEXT DATA BSS, OBJECT shown as its source (target)
		[ "${#objs[@]}" -eq 0 ] || llvm-size "${objs[@]}" | awk -v dir="$dir/" '
			NR > 1 {
				f = $6; sub("^" dir, "", f)
				tgt = f; sub("^.*CMakeFiles/", "", tgt); sub("\\.dir/.*$", "", tgt)
				sub("CMakeFiles/[^/]*\\.dir/", "", f); sub("\\.(o|obj)$", "", f)
				while (f ~ /__\//) sub("__/", "../", f)
				print f "[" tgt "]", $1, $2, $3
			}'
	} >"$now"
	rec="$build/size/$t.txt" prev="$build/size/$t.prev.txt"
	if [ -f "$rec" ] && [ "$(head -n 1 "$rec" | cut -d' ' -f4)" != "$sha" ] && [ "$record" = 1 ]; then
		mv "$rec" "$prev"
	fi
	base=
	if [ -f "$prev" ]; then
		base=$prev
	elif [ -f "$rec" ] && [ "$(head -n 1 "$rec" | cut -d' ' -f4)" != "$sha" ]; then
		base=$rec	# --no-record: the last recorded build is the previous one
	fi
	printf '== %s: %s (%d object files)\n' "$t" "$image" "${#objs[@]}"
	awk -v top="$top_n" -v sizedir="$build/size/" -v base="${base:-/dev/null}" -v hasbase="${base:+1}" '
		function delta(now, was) {
			if (!hasbase) return ""
			if (was == "") return "  (new)"
			return sprintf("  %+d", now - was)
		}
		FILENAME == base && /^[^#]/ { old[$1] = $2 + $3 + $4; ot[$1] = $2; od[$1] = $3; ob[$1] = $4; next }
		FILENAME == base { next }
		/^#/ { next }
		$1 == "image" { it = $2; id = $3; ib = $4; next }
		{ n++; name[n] = $1; text[n] = $2; data[n] = $3; bss[n] = $4; tot[n] = $2 + $3 + $4
		  st += $2; sd += $3; sb += $4; seen[$1] = 1 }
		END {
			printf "  %-9s %9s %9s %9s\n", "", "text", "data", "bss"
			printf "  %-9s %9d %9d %9d%s\n", "image", it, id, ib,
				hasbase ? sprintf("  (%+d text, %+d data, %+d bss)", it - ot["image"], id - od["image"], ib - ob["image"]) : ""
			printf "  %-9s %9d %9d %9d  (all %d object files)\n", "objects", st, sd, sb, n
			# top contributors: by text + data + bss, largest first
			for (i = 1; i <= n; i++) order[i] = i
			for (i = 2; i <= n; i++) {
				k = order[i]; j = i - 1
				while (j >= 1 && (tot[order[j]] < tot[k] || (tot[order[j]] == tot[k] && name[order[j]] > name[k]))) { order[j + 1] = order[j]; j-- }
				order[j + 1] = k
			}
			printf "  top %d:\n", (top < n ? top : n)
			for (i = 1; i <= n && i <= top; i++) {
				k = order[i]
				printf "  %9d %9d %9d  %s%s\n", text[k], data[k], bss[k], name[k],
					delta(tot[k], (name[k] in old) ? old[name[k]] : "")
			}
			if (hasbase) {
				for (o in old) if (o != "image" && !(o in seen)) printf "  gone since the previous build: %s (%d bytes)\n", o, old[o]
			} else
				print "  (no previous build recorded in " sizedir ")"
		}' "${base:-/dev/null}" "$now"
	if [ "$record" = 1 ]; then
		mv "$now" "$rec"
	else
		rm -f "$now"
	fi
done
[ "$shown" -gt 0 ] || die "no target is built yet (./cellos build first)"
