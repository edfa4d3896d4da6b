#!/usr/bin/env bash
# image.sh CELLOS_SIGN KEYS_DIR BOARD_DIR QEMU_RUN WORK -- x86 verified
# boot end to end. cellos-sign sign-image against the layout of
# arch/bios-x86_64/bootinfo.h (read here with od, python3's hashlib and
# openssl, not with cellos-sign), its determinism and its refusals; then
# stage2 under QEMU: the build's signed image boots past stage2, and each
# of these is refused by stage2 with its message and qemu-run status 3
# (a loader's refusal, QEMU exit 71):
#   - a kernel byte flipped in the signed image (SHA-256 mismatch),
#   - a phenotype byte flipped in the signed image,
#   - a signature byte flipped,
#   - the unsigned image disk-pack made,
#   - a forged kernel whose gene directory and stage2 digest were
#     recomputed to match (what the CGF check alone accepts), unsigned and
#     signed by the other test key (the wrong key).
set -euo pipefail
sign=$1 keys=$2 board=$3 qemu_run=$4 work=$5
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$work"
signed=$board/cellos-x86_bios.img unsigned=$board/cellos-x86_bios.unsigned.img
[ -f "$signed" ] && [ -f "$unsigned" ] || fail "build the bios-x86_64 preset first ($signed)"
root=$keys/TEST-ONLY-root.pem next=$keys/TEST-ONLY-next.pem

u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
hexat() { od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# Where things are, from the layout table at 0x1E0 and the CGF header.
klba=$(u32 "$signed" $((0x1E0 + 12))) kbytes=$(u32 "$signed" $((0x1E0 + 20)))
clba=$(u32 "$signed" $((0x1E0 + 24))) csec=$(u16 "$signed" $((0x1E0 + 28)))
cgf=$((clba * 512))
doff=$(u32 "$signed" $((cgf + 4))) dlen=$(u32 "$signed" $((cgf + 8)))
[ "$dlen" = 96 ] || fail "gene directory of $dlen bytes, expected 96"
dir=$((cgf + doff)) sig=$((cgf + doff + 96))
[ $((doff + 96 + 128)) -le $((csec * 512)) ] || fail "no room for the signature block"
poff=$(u32 "$signed" $((dir + 12))) plen=$(u32 "$signed" $((dir + 16)))

# The block: "BSIG", version 1, key id 0, zeros, then a signature of the
# directory || block[0..64) that OpenSSL accepts under the root key.
[ "$(hexat "$signed" "$sig" 4)" = 42534947 ] || fail "no BSIG magic after the directory"
[ "$(u16 "$signed" $((sig + 4)))" = 1 ] || fail "signature block version"
[ "$(u32 "$signed" $((sig + 8)))" = 0 ] || fail "signature block key id"
[ "$(hexat "$signed" $((sig + 12)) 52 | tr -d 0)" = "" ] || fail "reserved bytes not zero"
dd if="$signed" bs=1 skip="$dir" count=96 2>/dev/null >msg
dd if="$signed" bs=1 skip="$sig" count=64 2>/dev/null >>msg
dd if="$signed" bs=1 skip=$((sig + 64)) count=64 2>/dev/null >sig.bin
openssl pkey -in "$root" -pubout -out root.pub
openssl pkey -in "$next" -pubout -out next.pub
openssl pkeyutl -verify -pubin -inkey root.pub -rawin -in msg -sigfile sig.bin >/dev/null ||
	fail "OpenSSL does not verify the boot signature under the root key"
! openssl pkeyutl -verify -pubin -inkey next.pub -rawin -in msg -sigfile sig.bin >/dev/null 2>&1 ||
	fail "OpenSSL verifies the boot signature under the other key"
echo "ok: the build's image carries a root-key signature OpenSSL accepts"
# Outside the block the signed image is the unsigned one, byte for byte.
cmp <(head -c "$sig" "$signed") <(head -c "$sig" "$unsigned") || fail "signing changed bytes before the block"
cmp <(tail -c +$((sig + 129)) "$signed") <(tail -c +$((sig + 129)) "$unsigned") || fail "signing changed bytes after the block"
[ "$(hexat "$unsigned" "$sig" 128 | tr -d 0)" = "" ] || fail "the unsigned image's block is not zeros"

# Deterministic: signing again gives the same bytes (and re-signing a
# signed image replaces its block with the same one).
pub=$(openssl pkey -in "$root" -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n')
"$sign" sign-image --key "$root" --key-id 0 --pub "$pub" --test-key --in "$unsigned" -o again.img >/dev/null
cmp again.img "$signed" || fail "sign-image is not deterministic"
"$sign" sign-image --key "$root" --key-id 0 --test-key --in "$signed" -o again2.img >/dev/null
cmp again2.img "$signed" || fail "re-signing changed the image"
echo "ok: sign-image gives identical bytes every time"

# refused NAME STATUS PATTERN ARGS...: sign-image must refuse, leaving no OUT.
refused() {
	local name=$1 want=$2 pattern=$3 msg status=0
	shift 3
	rm -f out.img
	msg=$("$sign" sign-image "$@" 2>&1) || status=$?
	[ "$status" = "$want" ] || fail "$name: exit status $status, expected $want: $msg"
	[[ "$msg" =~ $pattern ]] || fail "$name: expected /$pattern/, got: $msg"
	[ ! -e out.img ] || fail "$name: left out.img behind"
	! ls -A . | grep -q '\.tmp\.' || fail "$name: left a temporary"
	echo "ok: $name"
}
refused "the test key without --test-key" 1 "TEST-ONLY key" --key "$root" --key-id 0 --in "$unsigned" -o out.img
refused "a key that is not --pub" 1 "not the key --pub names" --key "$next" --key-id 0 --pub "$pub" --test-key --in "$unsigned" -o out.img
refused "--pub not hex" 2 "not 64 hex digits" --key "$root" --key-id 0 --pub xyz --test-key --in "$unsigned" -o out.img
refused "no --in" 2 "--in is required" --key "$root" --key-id 0 --test-key -o out.img
cp "$unsigned" kflip.img && flip kflip.img $((klba * 512 + 4096))
refused "a kernel that is not the directory's" 1 "kernel_sha256" --key "$root" --key-id 0 --test-key --in kflip.img -o out.img
cp "$unsigned" junk.img && flip junk.img $((sig + 100))
refused "junk where the block goes" 1 "neither zeros nor a signature block" --key "$root" --key-id 0 --test-key --in junk.img -o out.img
head -c 512 "$unsigned" >short.img
refused "a truncated image" 1 "run past the image" --key "$root" --key-id 0 --test-key --in short.img -o out.img
cp "$unsigned" nocgf.img && dd if=/dev/zero of=nocgf.img bs=1 seek=$((0x1E0 + 24)) count=4 conv=notrunc 2>/dev/null
refused "an image without a CGF blob" 1 "no CGF blob" --key "$root" --key-id 0 --test-key --in nocgf.img -o out.img
printf 'not an image' >text.img
refused "not a disk image" 1 "layout table magic" --key "$root" --key-id 0 --test-key --in text.img -o out.img

# A forged kernel as an attacker who can write the disk would make it: a
# byte changed, the directory's kernel SHA-256 and stage2's digest of the
# directory recomputed, the CGF check satisfied; with no signature or a
# signature by a key stage2 does not trust.
python3 - "$unsigned" forged.img "$klba" "$kbytes" "$dir" <<'PY'
import hashlib, sys
src, dst, klba, kbytes, d = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
b = bytearray(open(src, 'rb').read())
k = klba * 512
b[k + 4096] ^= 1
b[d + 32:d + 64] = hashlib.sha256(b[k:k + kbytes]).digest()
rec = 512 + 4 + 16          # STAGE2_LBA sector, record offset, digest
b[rec:rec + 32] = hashlib.sha256(b[d:d + 96]).digest()
open(dst, 'wb').write(b)
PY
"$sign" sign-image --key "$next" --key-id 0 --test-key --in forged.img -o forged-next.img >/dev/null

# boot NAME IMAGE PATTERN: stage2 must refuse IMAGE with PATTERN, status 3.
boot_refused() {
	local name=$1 image=$2 pattern=$3 status=0
	"$qemu_run" x86 --image "$image" --timeout 60 --log "$name.log" >/dev/null 2>&1 || status=$?
	[ "$status" = 3 ] || fail "$name: qemu-run status $status, expected 3 (refused): $(tail -n 3 "$name.log")"
	grep -q "^#X stage2: .*$pattern.*: refusing to boot$" "$name.log" ||
		fail "$name: no stage2 refusal matching /$pattern/: $(tail -n 3 "$name.log")"
	! grep -q '^#E1 \|PROOF' "$name.log" || fail "$name: the kernel ran"
	echo "ok: stage2 refuses $name"
}
cp "$signed" boot-kflip.img && flip boot-kflip.img $((klba * 512 + 4096))
boot_refused kernel-byte boot-kflip.img "kernel image SHA-256 mismatch"
cp "$signed" boot-pflip.img && flip boot-pflip.img $((klba * 512 + poff + plen / 2))
boot_refused phenotype-byte boot-pflip.img "phenotype SHA-256 mismatch"
cp "$signed" boot-sflip.img && flip boot-sflip.img $((sig + 64 + 5))
boot_refused signature-byte boot-sflip.img "boot signature refused"
boot_refused unsigned "$unsigned" "the image is not signed"
boot_refused forged-unsigned forged.img "the image is not signed"
boot_refused forged-wrong-key forged-next.img "boot signature refused: it does not verify under the built-in root key"
cp "$signed" boot-id.img && printf '\001' | dd of=boot-id.img bs=1 seek=$((sig + 8)) conv=notrunc 2>/dev/null
boot_refused other-key-id boot-id.img "signed by key id 1, this stage2 trusts only its root key, id 0"

# And the build's own image passes stage2 and boots to its proof.
status=0
"$qemu_run" x86 --image "$signed" --timeout 120 --disk disk.img --fresh-disk --log good.log >/dev/null 2>&1 || status=$?
[ "$status" = 0 ] || fail "the signed image: qemu-run status $status"
grep -q '^#I stage2: boot signature verified' good.log || fail "no signature line in the good boot"
grep -q '^FULL PROOF SUCCESS$' good.log || fail "the good boot did not succeed"
echo "ok: the signed image boots to FULL PROOF SUCCESS"
