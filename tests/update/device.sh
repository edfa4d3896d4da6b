#!/usr/bin/env bash
# device.sh TARGET BIN WORK [HOSTED] -- the device's update flow (docs/SECURITY.md)
# end to end on hosted or a board (x86, arm64, mcu through tools/qemu-run),
# with the host tools in BIN (cellos-sign, cellos-provision, proof-genome):
#   - a package signed by the test root key, placed with cellos-provision
#     inbox, is installed, tried in that boot and confirmed, and the key
#     set's security counter is raised: checked from the disk's bytes with
#     Python's hmac/hashlib (HKDF and the key set MAC recomputed from the
#     documented derivation, not with the kernel's code);
#   - a forged package (signed by a fresh key, naming key 0), a replayed
#     older package (lower counter) and a bit-flipped package (written to
#     the slot directly: cellos-provision refuses it) are each refused with
#     their reason, and the superblocks, the secret, the key set and the
#     genome area are byte for byte what they were, the slot cleared;
#   - hosted only, too: a rotation statement is applied (key 1 active), its
#     replay refused; a trial whose boot fails is reverted at the next boot.
set -euo pipefail
target=$1 bin=$2 work=$3 hosted=${4:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
keys=$top/keys
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
disk=$work/disk.img
boots=0

boot() {	# boot NAME [ARGS...]: sets $status; log in $work/NAME.log
	local name=$1
	shift
	status=0
	boots=$((boots + 1))
	if [ "$target" = hosted ]; then
		"${hosted:-$top/build/out/cellos-hosted}" --disk="$disk" "$@" >"$work/$name.log" 2>"$work/$name.err" || status=$?
	else
		"$top/tools/qemu-run" "$target" --disk "$disk" --log "$work/$name.log" --timeout 120 >/dev/null 2>"$work/$name.err" || status=$?
	fi
}
expect_line() {	# expect_line NAME REGEX
	grep -Eq -- "$2" "$work/$1.log" || fail "$1: no line /$2/ in the log: $(grep -E '^#[WI] update|PROOF|FULL' "$work/$1.log")"
}
last_is() {	# last_is NAME STATUS LINE
	[ "$status" = "$2" ] || fail "$1: exit status $status, expected $2 ($(tail -n 1 "$work/$1.log"))"
	[ "$(tail -n 1 "$work/$1.log")" = "$3" ] || fail "$1: last line $(tail -n 1 "$work/$1.log")"
}
# What a refused package must leave alone: blocks 0..15 (superblocks, the
# secret, the key set) and the genome area 272..527 (docs/STORAGE.md).
keep() { { head -c $((16 * 512)) "$disk"; dd if="$disk" bs=512 skip=272 count=256 status=none; } | sha256sum; }
inbox_blank() { dd if="$disk" bs=512 skip=1552 count=16 status=none | cmp -s - <(head -c 8192 /dev/zero); }
# The key set's newest copy, checked independently: CRC32C is the kernel's
# business, the HMAC is recomputed here. Prints "count active counter statement".
keyset() {
	python3 - "$disk" "$keys/TEST-ONLY-device-secret" <<'PY'
import hashlib, hmac, struct, sys
disk = open(sys.argv[1], 'rb').read()
secret = open(sys.argv[2], 'rb').read()
def hkdf(salt, ikm, info, n=32):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, t, i = b'', b'', 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t; i += 1
    return out[:n]
key = hkdf(b'cell_os trust v1', secret, b'cell_os key set')
best = None
for lba in (2, 3):
    b = disk[lba * 512:(lba + 1) * 512]
    if b[:4] != b'CKSB':
        continue
    seq = struct.unpack_from('<Q', b, 8)[0]
    rec = b[16:16 + 368]
    if hmac.new(key, rec[:336], hashlib.sha256).digest() != rec[336:]:
        print('copy in block %d: MAC does not verify' % lba, file=sys.stderr)
        sys.exit(1)
    if best is None or seq > best[0]:
        best = (seq, rec)
if best is None:
    sys.exit('no key set copy')
rec = best[1]
count = struct.unpack_from('<H', rec, 6)[0]
stmt, counter = struct.unpack_from('<II', rec, 8)
active = struct.unpack_from('<I', rec, 16 + 40 * (count - 1))[0]
print(count, active, counter, stmt)
PY
}

# cellos-provision's refusals: exit 2 for usage, 1 with the reason.
st=0; "$bin/cellos-provision" secret "$work/x.img" --bogus 2>/dev/null || st=$?
[ "$st" = 2 ] || fail "provision: an unknown option gave $st"
"$bin/cellos-provision" secret "$work/x.img" --random
st=0; "$bin/cellos-provision" secret "$work/x.img" --random 2>"$work/x.err" || st=$?
[ "$st" = 1 ] && grep -q 'holds a device secret already' "$work/x.err" || fail "provision: a second secret: $st $(cat "$work/x.err")"
head -c 100 /dev/urandom >"$work/junk"
st=0; "$bin/cellos-provision" inbox "$work/x.img" --package "$work/junk" 2>"$work/x.err" || st=$?
[ "$st" = 1 ] && grep -q 'not a package' "$work/x.err" || fail "provision: junk placed as a package: $st"
truncate -s 64K "$work/small.img"
st=0; "$bin/cellos-provision" proof "$work/small.img" 2>/dev/null || st=$?
[ "$st" = 1 ] || fail "provision: a 64K proof disk gave $st"
"$bin/cellos-provision" proof "$work/small.img" --if-fits
cmp -s "$work/small.img" <(head -c 65536 /dev/zero) || fail "provision --if-fits wrote a small disk"
echo "ok: cellos-provision refusals"

"$bin/cellos-provision" proof "$disk" --size 8M
boot first
last_is first 0 'FULL PROOF SUCCESS'
[ "$(keyset)" = "1 0 0 0" ] || fail "first boot: key set $(keyset), expected one key (0), counter 0"

"$bin/proof-genome" --version 40 --length 2500 -o "$work/genome"
"$bin/cellos-sign" sign --key "$keys/TEST-ONLY-root.pem" --key-id 0 --version 4 --counter 5 \
	--in "$work/genome" -o "$work/good.cpkg" --test-key
"$bin/cellos-provision" inbox "$disk" --package "$work/good.cpkg"
boot good
last_is good 0 'FULL PROOF SUCCESS'
expect_line good '^#I update: package \(key 0, genome v4, counter 5\) installed in strand A: this boot is its trial$'
expect_line good '^#I update: the trial of strand A is confirmed: security counter 5$'
[ "$(keyset)" = "1 0 5 0" ] || fail "good: key set $(keyset), expected counter 5"
inbox_blank || fail "good: the update slot was not cleared"
# The strand holds the payload byte for byte.
cmp -s <(dd if="$disk" bs=512 skip=272 count=5 status=none | head -c 2500) "$work/genome" ||
	fail "good: strand A does not hold the payload"
echo "ok: good package installed, tried, confirmed; counter 5 (HMAC checked independently)"

refused() {	# refused NAME REASON: the package is in the slot already
	local before
	before=$(keep)
	boot "$1"
	last_is "$1" 0 'FULL PROOF SUCCESS'
	expect_line "$1" "^#W update: the package in the inbox is refused \\($2\\); the strands and the key set are unchanged\$"
	[ "$(keep)" = "$before" ] || fail "$1: the disk changed outside the inbox"
	inbox_blank || fail "$1: the update slot was not cleared"
	[ "$(keyset)" = "1 0 5 0" ] || fail "$1: key set $(keyset)"
	echo "ok: $1 refused ($2), nothing changed"
}

"$bin/cellos-sign" keygen -o "$work/forger.pem"
"$bin/cellos-sign" sign --key "$work/forger.pem" --key-id 0 --version 9 --counter 9 \
	--in "$work/genome" -o "$work/forged.cpkg"
"$bin/cellos-provision" inbox "$disk" --package "$work/forged.cpkg"
refused forged 'bad signature'

"$bin/cellos-sign" sign --key "$keys/TEST-ONLY-root.pem" --key-id 0 --version 3 --counter 4 \
	--in "$work/genome" -o "$work/older.cpkg" --test-key
"$bin/cellos-provision" inbox "$disk" --package "$work/older.cpkg"
refused replayed 'rollback refused'

"$bin/cellos-sign" sign --key "$keys/TEST-ONLY-root.pem" --key-id 0 --version 5 --counter 6 \
	--in "$work/genome" -o "$work/flip.cpkg" --test-key
cp "$work/flip.cpkg" "$work/flipped.cpkg"
printf '\x01' | dd of="$work/flipped.cpkg" bs=1 seek=$((64 + 100)) conv=notrunc status=none
! "$bin/cellos-provision" inbox "$disk" --package "$work/flipped.cpkg" 2>"$work/flip.err" ||
	fail "cellos-provision placed a bit-flipped package"
grep -q 'bad hash' "$work/flip.err" || fail "cellos-provision: $(cat "$work/flip.err")"
dd if="$work/flipped.cpkg" of="$disk" bs=512 seek=1552 conv=notrunc status=none
refused flipped 'bad hash'

[ "$target" = hosted ] || { echo "ok: $boots boots"; exit 0; }

# A rotation to key 1, then its replay.
"$bin/cellos-sign" rotate --key "$keys/TEST-ONLY-root.pem" --new "$keys/TEST-ONLY-next.pem" \
	--new-id 1 --version 1 -o "$work/rot.crot" --test-key
"$bin/cellos-provision" inbox "$disk" --rotation "$work/rot.crot"
boot rotate
last_is rotate 0 'FULL PROOF SUCCESS'
expect_line rotate '^#I update: rotation statement v1 applied: key 1 is the active key$'
[ "$(keyset)" = "2 1 5 1" ] || fail "rotate: key set $(keyset), expected 2 keys, 1 active"
"$bin/cellos-provision" inbox "$disk" --rotation "$work/rot.crot"
boot replay-rotation
expect_line replay-rotation '^#W update: the rotation statement in the inbox is refused \(bad signature\); the key set is unchanged$'
[ "$(keyset)" = "2 1 5 1" ] || fail "replay-rotation: key set $(keyset)"
echo "ok: rotation applied, its replay refused"

# A trial whose boot fails (a refused phenotype) is reverted by the next.
"$bin/cellos-provision" inbox "$disk" --package "$work/flip.cpkg"
head -c 100 /dev/urandom >"$work/bad.pbin"
boot trial --phenotype="$work/bad.pbin"
[ "$status" = 1 ] || fail "trial: status $status"
expect_line trial '^#I update: package \(key 0, genome v5, counter 6\) installed in strand B'
boot revert
last_is revert 0 'FULL PROOF SUCCESS'
expect_line revert '^#W update: the trial of strand B was never confirmed: back to strand A$'
[ "$(keyset)" = "2 1 5 1" ] || fail "revert: the counter moved: $(keyset)"
echo "ok: an unconfirmed trial reverted, the counter stayed at 5"

# A device with its own secret: PROOF UNCHECKED (the ledger is the TEST
# secret's), and its trials are still confirmed.
rm -f "$disk"
"$bin/cellos-provision" secret "$disk" --random
"$bin/cellos-provision" inbox "$disk" --package "$work/good.cpkg"
boot own-secret
last_is own-secret 2 'PROOF UNCHECKED: the device secret is not the TEST secret; the ledger holds no evidence for it'
expect_line own-secret '^#I update: the trial of strand A is confirmed: security counter 5$'
! grep -q '^#W' "$work/own-secret.log" || fail "own-secret: $(grep '^#W' "$work/own-secret.log")"
echo "ok: own secret: PROOF UNCHECKED, the update confirmed; $boots boots"
