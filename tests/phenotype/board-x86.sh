#!/usr/bin/env bash
# board-x86.sh COMPILER DISK-PACK CELLOS-SIGN QEMU-RUN SOURCE-DIR GENES-DIR
#     BOARD-DIR WORK -- signed phenotypes on a board whose image requires
# them (bios-x86_64: CELLOS_ACCEPT_UNSIGNED_PHENOTYPES is OFF). The
# board's kernel ELF gets, in place of its embedded (signed) phenotype,
# bytes of the same length: the phenotype with one byte flipped, the same
# phenotype signed by the other test key, and an unsigned phenotype (the
# same one with five more devices, 80 bytes, the signature section's
# length). Each is packed by disk-pack and signed by sign-image with the
# root key, so stage2 accepts the image and it is the kernel that refuses:
# "PROOF FAILURE: E4 phenotype refused: ...", qemu-run status 1.
set -euo pipefail
compile=$1 diskpack=$2 sign=$3 qemu_run=$4 src=$5 genes=$6 board=$7 work=$8
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$work"
root=$src/keys/TEST-ONLY-root.pem next=$src/keys/TEST-ONLY-next.pem
yaml=$src/phenotypes/x86_bios.minimal.yaml
elf=$board/cellos-x86.elf pbin=$board/x86_bios.minimal.pbin
[ -f "$elf" ] && [ -f "$pbin" ] || fail "build the bios-x86_64 preset first ($elf)"
n=$(stat -c %s "$pbin")

"$compile" --code-dir "$genes" --sign "$next" -o wrong-key.pbin "$yaml"
cp "$pbin" flipped.pbin
b=$(od -An -tu1 -j 28 -N1 flipped.pbin | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of=flipped.pbin bs=1 seek=28 conv=notrunc 2>/dev/null
sed '/^devices:/a\  - {kind: irq_line, channel: sensor, addr: 0x21}\n  - {kind: irq_line, channel: sensor, addr: 0x22}\n  - {kind: irq_line, channel: sensor, addr: 0x23}\n  - {kind: irq_line, channel: sensor, addr: 0x24}\n  - {kind: irq_line, channel: sensor, addr: 0x25}' \
	"$yaml" >unsigned.yaml
"$compile" --code-dir "$genes" -o unsigned.pbin unsigned.yaml
for f in wrong-key flipped unsigned; do
	[ "$(stat -c %s $f.pbin)" = "$n" ] || fail "$f.pbin is $(stat -c %s $f.pbin) bytes, the embedded one $n"
done

# kernel NAME: the ELF with NAME.pbin in place of the embedded phenotype,
# packed and signed for stage2.
kernel() {
	python3 - "$elf" "$pbin" "$1.pbin" "$1.elf" <<'PY'
import sys
elf, old, new = (open(p, 'rb').read() for p in sys.argv[1:4])
at = elf.find(old)
assert at >= 0 and elf.find(old, at + 1) < 0, 'the phenotype is not in the ELF exactly once'
open(sys.argv[4], 'wb').write(elf[:at] + new + elf[at + len(new):])
PY
	"$diskpack" --stage1 "$board/stage1.bin" --stage2 "$board/stage2.bin" --kernel "$1.elf" \
		--cgf -o "$1.unsigned.img" >/dev/null
	"$sign" sign-image --key "$root" --key-id 0 --test-key --in "$1.unsigned.img" -o "$1.img" >/dev/null
}
e4() {
	local name=$1 pattern=$2 status=0
	kernel "$name"
	"$qemu_run" x86 --image "$name.img" --timeout 120 --disk "$name.disk" --fresh-disk \
		--log "$name.log" >/dev/null 2>&1 || status=$?
	[ "$status" = 1 ] || fail "$name: qemu-run status $status, expected 1 (PROOF FAILURE): $(tail -n 2 "$name.log")"
	grep -q '^#I stage2: boot signature verified' "$name.log" || fail "$name: stage2 did not pass it"
	tail -n 1 "$name.log" | grep -qE "^PROOF FAILURE: E4 phenotype refused: $pattern" ||
		fail "$name: verdict $(tail -n 1 "$name.log")"
	echo "ok: the x86 kernel refuses $name: $(tail -n 1 "$name.log")"
}
e4 flipped "offset $((n - 64)), signature.sig: does not verify under key 0 .*\(bad signature\)"
e4 wrong-key "offset $((n - 64)), signature.sig: does not verify under key 0 .*\(bad signature\)"
e4 unsigned "offset $n, signature: unsigned \(no section 8\); this image boots only signed phenotypes \\(no such entry\\)"
