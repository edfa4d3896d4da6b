#!/usr/bin/env bash
# esp-pack.sh ESP-PACK LOADER ELF WORK -- the UEFI image, checked with
# tools that are not esp-pack: sfdisk verifies the GPT (both headers,
# their CRC32s, one EFI system partition), fsck.fat the FAT32 volume,
# mtools reads the files back; KERNEL.BIN must equal objcopy -O binary of
# the ELF, KERNEL.CGF's CRC32C (computed here in Python), sizes and SHA-256
# (sha256sum) must name that image and the phenotype nm finds, the loader's
# build record must hold the directory's SHA-256 and the memory size
# readelf gives; everything else of BOOTX64.EFI unchanged. The same inputs
# give the same bytes; another epoch another serial, GUIDs and timestamps.
# Bad inputs are refused with a message naming them, and leave no output.
set -euo pipefail
esp_pack=$1 loader=$2 elf=$3 work=$4
. "$(dirname "$0")/lib.sh"
rm -rf "$work" && mkdir -p "$work"
epoch=1700000000
pack() { "$esp_pack" --loader "$loader" --kernel "$elf" --epoch "$1" -o "$2"; }

pack $epoch "$work/a.img"
pack $epoch "$work/b.img"
cmp "$work/a.img" "$work/b.img" || fail "two packs of the same inputs differ"
echo "ok: reproducible: $(sha256sum <"$work/a.img" | cut -c1-16)"

sfdisk --verify "$work/a.img" >"$work/sfdisk.verify" 2>&1 ||
	fail "sfdisk --verify: $(cat "$work/sfdisk.verify")"
grep -q 'No errors detected' "$work/sfdisk.verify" || fail "sfdisk: $(cat "$work/sfdisk.verify")"
sfdisk -J "$work/a.img" >"$work/sfdisk.json"
[ "$(jq -r '.partitiontable.label' "$work/sfdisk.json")" = gpt ] || fail "not a GPT disk"
[ "$(jq '.partitiontable.partitions | length' "$work/sfdisk.json")" = 1 ] || fail "not one partition"
[ "$(jq -r '.partitiontable.partitions[0].type' "$work/sfdisk.json")" = C12A7328-F81F-11D2-BA4B-00A0C93EC93B ] ||
	fail "the partition is not an EFI system partition"
start=$(jq '.partitiontable.partitions[0].start' "$work/sfdisk.json")
size=$(jq '.partitiontable.partitions[0].size' "$work/sfdisk.json")
echo "ok: GPT: one EFI system partition, sectors $start + $size"

dd if="$work/a.img" of="$work/part.img" bs=512 skip="$start" count="$size" 2>/dev/null
fsck.fat -n -v "$work/part.img" >"$work/fsck.out" 2>&1 || fail "fsck.fat: $(cat "$work/fsck.out")"
grep -q '32 bit entries' "$work/fsck.out" || fail "fsck.fat does not see FAT32: $(cat "$work/fsck.out")"
echo "ok: fsck.fat: $(tail -n 1 "$work/fsck.out")"

at="$work/a.img@@$((start * 512))"
mcopy -n -i "$at" ::/EFI/BOOT/BOOTX64.EFI "$work/BOOTX64.EFI"
mcopy -n -i "$at" ::/CELLOS/KERNEL.BIN "$work/KERNEL.BIN"
mcopy -n -i "$at" ::/CELLOS/KERNEL.CGF "$work/KERNEL.CGF"
objcopy -O binary "$elf" "$work/objcopy.bin"
cmp "$work/KERNEL.BIN" "$work/objcopy.bin" || fail "KERNEL.BIN differs from objcopy -O binary"

base=$((16#$(sym "$elf" __image_start)))
pbin=$(( 16#$(sym "$elf" board_pbin) - base ))
pbin_len=$(( 16#$(sym "$elf" board_pbin_end) - base - pbin ))
memsz=0
while read -r _ _ _ paddr _ msz _; do
	(( paddr + msz - 0x100000 > memsz )) && memsz=$((paddr + msz - 0x100000))
done < <(readelf -lW "$elf" | grep '^ *LOAD ')
dd if="$work/KERNEL.BIN" of="$work/pheno.bin" bs=1 skip="$pbin" count="$pbin_len" 2>/dev/null
python3 - "$work" "$(stat -c %s "$work/KERNEL.BIN")" "$pbin" "$pbin_len" "$memsz" \
	"$(sha256sum <"$work/KERNEL.BIN" | cut -d' ' -f1)" \
	"$(sha256sum <"$work/pheno.bin" | cut -d' ' -f1)" "$loader" <<'PY' || fail "KERNEL.CGF or the build record is wrong"
import hashlib, struct, sys
work, klen, poff, plen, memsz, ksha, psha, loader = sys.argv[1:]
klen, poff, plen, memsz = int(klen), int(poff), int(plen), int(memsz)
def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF
assert crc32c(b"123456789") == 0xE3069283   # RFC 3720's check value
cgf = open(work + "/KERNEL.CGF", "rb").read()
assert len(cgf) == 4096 + 96, len(cgf)
hdr = bytearray(cgf[:4096]); want = struct.unpack_from("<I", hdr)[0]; hdr[0:4] = b"\0" * 4
assert crc32c(hdr) == want, "header CRC32C"
assert struct.unpack_from("<II", cgf, 4) == (4096, 96), "directory offset, length"
assert not any(cgf[12:4096]), "header zeros"
d = cgf[4096:]
assert d[:4] == b"GDIR" and struct.unpack_from("<IIII", d, 4) == (1, klen, poff, plen), "directory fields"
assert not any(d[20:32]), "directory reserved"
assert d[32:64].hex() == ksha, "kernel SHA-256"
assert d[64:96].hex() == psha, "phenotype SHA-256"
packed = open(work + "/BOOTX64.EFI", "rb").read()
orig = open(loader, "rb").read()
r = packed.find(b"UEBR")
assert r > 0 and packed.count(b"UEBR") == 1 and len(packed) == len(orig)
assert packed[:r] == orig[:r] and packed[r + 48:] == orig[r + 48:], "only the record changed"
assert struct.unpack_from("<III", packed, r + 4) == (1, memsz, 0), "record flags, memsz"
assert packed[r + 16:r + 48] == hashlib.sha256(d).digest(), "record digest"
PY
echo "ok: KERNEL.BIN = objcopy; KERNEL.CGF and the build record hold CRC32C, sizes and digests"

mdir -i "$at" ::/CELLOS >"$work/mdir.out"
serial=$(printf '%04X-%04X' $((epoch >> 16 & 0xFFFF)) $((epoch & 0xFFFF)))
grep -q "Volume Serial Number is $serial" "$work/mdir.out" || fail "volume serial is not $serial: $(head -n 3 "$work/mdir.out")"
when=$(date -u -d "@$epoch" '+%Y-%m-%d  %H:%M')
grep -Eq "^KERNEL +BIN +[0-9]+ $when" "$work/mdir.out" || fail "KERNEL.BIN is not dated $when: $(cat "$work/mdir.out")"
pack 1234567890 "$work/c.img"
cmp -s "$work/a.img" "$work/c.img" && fail "another epoch gave the same image"
mdir -i "$work/c.img@@$((start * 512))" :: | grep -q 'Volume Serial Number is 4996-02D2' ||
	fail "epoch 1234567890 does not give serial 4996-02D2"
[ "$(sfdisk -J "$work/c.img" | jq -r .partitiontable.id)" != "$(jq -r .partitiontable.id "$work/sfdisk.json")" ] ||
	fail "another epoch gave the same disk GUID"
echo "ok: serial $serial and timestamps $when from the epoch; another epoch, another image"

refuses() {	# refuses NAME WANT-STATUS MESSAGE-REGEX ARGS...
	local name=$1 want=$2 msg=$3 rc=0
	shift 3
	"$esp_pack" "$@" -o "$work/$name.img" 2>"$work/$name.err" || rc=$?
	[ "$rc" = "$want" ] || fail "$name: status $rc, expected $want"
	grep -Eq -- "$msg" "$work/$name.err" || fail "$name: no /$msg/ in: $(cat "$work/$name.err")"
	[ ! -e "$work/$name.img" ] || fail "$name: an output was left behind"
	ls "$work" | grep -q "^$name.img.tmp" && fail "$name: a temporary was left behind"
	echo "ok: $name: $(head -n 1 "$work/$name.err")"
}
objcopy --strip-all "$elf" "$work/stripped.elf"
refuses no-epoch 2 usage --loader "$loader" --kernel "$elf"
refuses bad-epoch 1 "--epoch 'soon'" --loader "$loader" --kernel "$elf" --epoch soon
refuses loader-not-pe 1 "loader .*: offset 0 \(e_magic\)" --loader "$elf" --kernel "$elf" --epoch 1
refuses kernel-not-elf 1 "kernel .*: offset 0 \(e_ident\)" --loader "$loader" --kernel "$loader" --epoch 1
refuses stripped 1 "no embedded phenotype" --loader "$loader" --kernel "$work/stripped.elf" --epoch 1
cp "$loader" "$work/app.efi"
nt=$(u32 "$work/app.efi" 60)
patch "$work/app.efi" $((nt + 24 + 68)) 0b00	# subsystem 11: a boot service driver
refuses not-an-application 1 "Subsystem\): 11, expected 10" --loader "$work/app.efi" --kernel "$elf" --epoch 1
cp "$loader" "$work/norecord.efi"
patch "$work/norecord.efi" "$(find_bytes "$work/norecord.efi" 55454252)" 58454252
refuses no-record 1 "no build record" --loader "$work/norecord.efi" --kernel "$elf" --epoch 1
