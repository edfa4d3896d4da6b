#!/usr/bin/env bash
# refuses.sh DISK_PACK STAGE1 STAGE2 KERNEL_ELF WORKDIR -- disk-pack refuses
# a stage1 that is not a 512-byte sector ending 55 AA, a stage2 too big for
# its window or without its build record, a kernel ELF stage2 could not load
# as it is (not ELF64 x86-64, the wrong entry, segments not at 1 MiB, not
# mapped as stage2 maps them, overlapping, too big), --cgf with a kernel that
# embeds no phenotype, and --cgf that disagrees with the stage2's build;
# each with its own message, a non-zero exit and no output file. The good
# image is checked against independent tools: objcopy's flat kernel, nm's
# phenotype, sha256sum, and a CRC32C computed here.
set -euo pipefail
pack=$1 s1=$2 s2=$3 elf=$4 work=$5
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u64() { od -An -tu8 -j "$2" -N8 "$1" | tr -d ' '; }
hexat() { od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
# put FILE OFFSET BYTES VALUE: store VALUE in BYTES bytes, little-endian.
put() {
	local f=$1 at=$2 n=$3 v=$4 s="" i
	for ((i = 0; i < n; i++)); do
		s+=$(printf '\\%03o' $(( (v >> (8 * i)) & 255 )))
	done
	printf "$s" | dd of="$f" bs=1 seek="$at" conv=notrunc 2>/dev/null
}
# bytes FILE OFFSET LENGTH: those bytes on stdout.
bytes() { dd if="$1" bs=4096 iflag=skip_bytes,count_bytes skip="$2" count="$3" 2>/dev/null; }
sym() { nm "$1" | awk -v n="$2" '$3 == n && !f { print $1; f = 1 }'; }

# refused NAME PATTERN ARGS...: disk-pack ARGS -o NAME.img must fail with a
# message matching PATTERN and leave nothing behind.
refused() {
	local name=$1 want=$2 out="$work/$1.img" msg
	shift 2
	if msg=$("$pack" "$@" -o "$out" 2>&1); then
		fail "$name: accepted"
	fi
	[[ "$msg" =~ $want ]] || fail "$name: expected /$want/, got: $msg"
	[ ! -e "$out" ] || fail "$name: left $out behind"
	! ls "$work" | grep -q '\.tmp' || fail "$name: left a temporary behind"
	echo "ok: $name: $msg"
}

# Which kind of stage2 the build made; cgf is the option that matches it.
flags=$(u32 "$s2" 8)
[ "$(bytes "$s2" 4 4)" = S2BR ] ||
	fail "$s2 has no build record"
cgf=()
(( flags & 1 )) && cgf=(--cgf)
# A copy of each kind: s2v verifies (flag set), s2n does not.
cp "$s2" "$work/s2v" && put "$work/s2v" 8 4 $((flags | 1))
cp "$s2" "$work/s2n" && put "$work/s2n" 8 4 $((flags & ~1))

# ---- stages ----
head -c 500 "$s1" >"$work/short-stage1"
refused short-stage1 'stage1 .*: 500 bytes, a boot sector is exactly 512' \
	--stage1 "$work/short-stage1" --stage2 "$s2" --kernel "$elf" "${cgf[@]}"
{ cat "$s1"; printf 'x'; } >"$work/long-stage1"
refused long-stage1 'stage1 .*: 513 bytes, a boot sector is exactly 512' \
	--stage1 "$work/long-stage1" --stage2 "$s2" --kernel "$elf" "${cgf[@]}"
{ head -c 510 "$s1"; printf '\x55\x00'; } >"$work/no-signature"
refused no-signature 'no boot signature 55 AA at offset 510 \(found 55 00\)' \
	--stage1 "$work/no-signature" --stage2 "$s2" --kernel "$elf" "${cgf[@]}"
head -c $((48 * 512 + 1)) /dev/zero >"$work/big-stage2"
refused big-stage2 'stage2 .*: 24577 bytes; its load window 0x8000..0xE000 holds 1..24576 bytes' \
	--stage1 "$s1" --stage2 "$work/big-stage2" --kernel "$elf" "${cgf[@]}"
cp "$s2" "$work/no-record" && put "$work/no-record" 4 4 0
refused no-build-record 'stage2 .*: no build record \("S2BR" at offset 4\)' \
	--stage1 "$s1" --stage2 "$work/no-record" --kernel "$elf" "${cgf[@]}"

# ---- --cgf against the stage2 ----
refused cgf-missing 'verifies a CGF blob \(built with CELLOS_CGF_VERIFY\) but --cgf is not given' \
	--stage1 "$s1" --stage2 "$work/s2v" --kernel "$elf"
refused cgf-unchecked 'was built without CELLOS_CGF_VERIFY: nothing would check the --cgf blob' \
	--stage1 "$s1" --stage2 "$work/s2n" --kernel "$elf" --cgf
objcopy --strip-all "$elf" "$work/stripped.elf"
refused cgf-no-phenotype 'kernel .*stripped.elf: no embedded phenotype \(symbols board_pbin..board_pbin_end missing or empty\)' \
	--stage1 "$s1" --stage2 "$work/s2v" --kernel "$work/stripped.elf" --cgf
if msg=$("$pack" --stage1 "$s1" --stage2 "$s2" --kernel "$elf" --cgf-genedir "$s1" \
	-o "$work/old.img" 2>&1); then
	fail "old-option: --cgf-genedir accepted"
fi
[[ "$msg" =~ "unknown option '--cgf-genedir'" ]] || fail "old-option: got: $msg"
echo "ok: old-option: $(head -1 <<<"$msg")"

# ---- the kernel ELF ----
kernel() {	# kernel NAME PATTERN: refuse $work/NAME.elf
	refused "$1" "$2" --stage1 "$s1" --stage2 "$work/s2n" --kernel "$work/$1.elf"
}
refused missing-kernel 'kernel .*nonexistent: No such file' \
	--stage1 "$s1" --stage2 "$s2" --kernel "$work/nonexistent" "${cgf[@]}"
head -c 40 "$elf" >"$work/short.elf"
kernel short '40 bytes, too short for an ELF64 header \(64\)'
cp "$s1" "$work/not-elf.elf"
kernel not-elf 'offset 0 \(e_ident\): not an ELF file'
cp "$elf" "$work/elf32.elf" && put "$work/elf32.elf" 4 1 1
kernel elf32 'offset 4 \(EI_CLASS, EI_DATA\): 1 1, expected 2 1'
cp "$elf" "$work/arm.elf" && put "$work/arm.elf" 18 2 183
kernel arm 'offset 0x10 \(e_type, e_machine\): 2 183, expected 2 62'
cp "$elf" "$work/entry.elf" && put "$work/entry.elf" 24 8 $((0xFFFFFFFF80100010))
kernel entry 'offset 0x18 \(e_entry\): 0xFFFFFFFF80100010; stage2 enters the kernel at 0xFFFFFFFF80100000'
cp "$elf" "$work/phnum.elf" && put "$work/phnum.elf" 56 2 0
kernel phnum 'offset 0x20 \(e_phoff, e_phentsize, e_phnum\): .* expected 1..64 program headers'

# The program headers: find the two PT_LOADs (text, then data).
phoff=$(u64 "$elf" 32)
loads=()
for ((i = 0; i < $(od -An -tu2 -j 56 -N2 "$elf"); i++)); do
	[ "$(u32 "$elf" $((phoff + i * 56)))" = 1 ] && loads+=($((phoff + i * 56)))
done
(( ${#loads[@]} >= 2 )) || fail "$elf: expected two PT_LOAD segments"
text=${loads[0]} data=${loads[1]}
tv=$(u64 "$elf" $((text + 16))) tp=$(u64 "$elf" $((text + 24)))
dv=$(u64 "$elf" $((data + 16))) dp=$(u64 "$elf" $((data + 24)))

cp "$elf" "$work/unmapped.elf" && put "$work/unmapped.elf" $((text + 24)) 8 $((tp + 0x1000))
kernel unmapped '\(p_vaddr, p_paddr\): 0xFFFFFFFF80100000 0x101000; stage2 maps physical p at virtual p \+ 0xFFFFFFFF80000000'
cp "$elf" "$work/moved.elf"
put "$work/moved.elf" $((text + 16)) 8 $((tv + 0x1000000))
put "$work/moved.elf" $((text + 24)) 8 $((tp + 0x1000000))
kernel moved 'the lowest PT_LOAD segment is at physical 0x[0-9A-F]+; stage2 copies the kernel to 0x100000'
cp "$elf" "$work/low.elf"
put "$work/low.elf" $((text + 16)) 8 $((tv - 0x1000))
put "$work/low.elf" $((text + 24)) 8 $((tp - 0x1000))
kernel low '\(p_paddr, p_memsz\): 0xFF000 0x[0-9A-F]+ is not inside 0x100000..0x40000000'
cp "$elf" "$work/overlap.elf"
put "$work/overlap.elf" $((data + 16)) 8 "$tv"
put "$work/overlap.elf" $((data + 24)) 8 "$tp"
kernel overlap 'program headers [0-9]+ and [0-9]+ \(p_paddr, p_memsz\) overlap'
cp "$elf" "$work/big.elf"
put "$work/big.elf" $((data + 16)) 8 $((dv + 0x80000))
put "$work/big.elf" $((data + 24)) 8 $((dp + 0x80000))
kernel big '[0-9]+ bytes to load; its load window 0x20000..0x9C000 holds 1..507904 bytes'
cp "$elf" "$work/huge-bss.elf" && put "$work/huge-bss.elf" $((data + 40)) 8 $((1 << 30))
kernel huge-bss '\(p_paddr, p_memsz\): 0x[0-9A-F]+ 0x40000000 is not inside 0x100000..0x40000000'
cp "$elf" "$work/filesz.elf" && put "$work/filesz.elf" $((data + 32)) 8 $((1 << 40))
kernel filesz '\(p_offset, p_filesz, p_memsz\): .*the file bytes must lie inside the file'

# ---- the good image ----
"$pack" --stage1 "$s1" --stage2 "$work/s2v" --kernel "$elf" --cgf -o "$work/good.img"
img="$work/good.img"
size=$(stat -c %s "$img")
(( size % (1 << 20) == 0 )) || fail "good image is $size bytes, not whole MiB"
[ "$(hexat "$img" 510 2)" = 55aa ] || fail "good image has no 55 AA"
# The kernel on the disk is what objcopy makes of the ELF.
objcopy -O binary "$elf" "$work/kernel.bin"
klen=$(stat -c %s "$work/kernel.bin")
[ "$(u32 "$img" $((0x1E0 + 20)))" = "$klen" ] || fail "layout kernel size is not $klen"
kat=$(( $(u32 "$img" $((0x1E0 + 12))) * 512 ))
cmp -s <(bytes "$img" "$kat" "$klen") "$work/kernel.bin" ||
	fail "the kernel on the disk differs from objcopy -O binary"
# The memory size in stage2's record is _end - __image_start.
base=$((16#$(sym "$elf" __image_start)))
memsz=$(( 16#$(sym "$elf" _end) - base ))
[ "$(u32 "$img" $((512 + 4 + 8)))" = "$memsz" ] || fail "stage2's record: memory size is not $memsz"
# The CGF blob: the header names the directory, its CRC32C covers it.
cgf=$(( $(u32 "$img" $((0x1E0 + 24))) * 512 ))
[ "$(u32 "$img" $((cgf + 4)))" = 4096 ] && [ "$(u32 "$img" $((cgf + 8)))" = 96 ] ||
	fail "CGF header: genedir_off/len are not 4096/96"
crc=$((0xFFFFFFFF)) n=0
for b in $(od -An -tu1 -v -N 4096 -j "$cgf" "$img"); do
	(( n++ < 4 )) && b=0
	crc=$(( crc ^ b ))
	for ((k = 0; k < 8; k++)); do
		crc=$(( (crc >> 1) ^ (0x82F63B78 & -(crc & 1)) ))
	done
done
crc=$(( crc ^ 0xFFFFFFFF ))
[ "$(u32 "$img" "$cgf")" = "$crc" ] || fail "CGF header CRC32C is not $crc"
dir=$((cgf + 4096))
[ "$(bytes "$img" "$dir" 4)" = GDIR ] || fail "no GDIR"
pbin=$(( 16#$(sym "$elf" board_pbin) - base ))
plen=$(( 16#$(sym "$elf" board_pbin_end) - base - pbin ))
[ "$(u32 "$img" $((dir + 8)))" = "$klen" ] || fail "directory: kernel size"
[ "$(u32 "$img" $((dir + 12)))" = "$pbin" ] || fail "directory: phenotype offset is not nm's $pbin"
[ "$(u32 "$img" $((dir + 16)))" = "$plen" ] || fail "directory: phenotype length is not nm's $plen"
want=$(sha256sum "$work/kernel.bin" | cut -d' ' -f1)
[ "$(hexat "$img" $((dir + 32)) 32)" = "$want" ] || fail "directory: kernel SHA-256 is not $want"
want=$(bytes "$work/kernel.bin" "$pbin" "$plen" | sha256sum | cut -d' ' -f1)
[ "$(hexat "$img" $((dir + 64)) 32)" = "$want" ] || fail "directory: phenotype SHA-256 is not $want"
want=$(bytes "$img" "$dir" 96 | sha256sum | cut -d' ' -f1)
[ "$(hexat "$img" $((512 + 4 + 16)) 32)" = "$want" ] || fail "stage2's record: directory SHA-256 is not $want"
echo "ok: good image, $size bytes: kernel $klen bytes (objcopy's), memory $memsz, phenotype +$pbin ($plen bytes), CRC32C and SHA-256s agree"

# Without --cgf, for a stage2 that does not verify: no blob, zero digest.
"$pack" --stage1 "$s1" --stage2 "$work/s2n" --kernel "$elf" -o "$work/plain.img"
[ "$(u32 "$work/plain.img" $((0x1E0 + 24)))" = 0 ] || fail "plain image has a CGF blob"
[ "$(hexat "$work/plain.img" $((512 + 4 + 16)) 32)" = "$(printf '0%.0s' {1..64})" ] ||
	fail "plain image: stage2's digest is not zero"
[ "$(u32 "$work/plain.img" $((512 + 4 + 8)))" = "$memsz" ] || fail "plain image: memory size"
echo "ok: plain image: no CGF blob, memory size $memsz"
