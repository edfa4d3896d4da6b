#!/usr/bin/env bash
# signed.sh COMPILER TEST_PHENO_SIG HOSTED SOURCE-DIR GENES-DIR WORK CELLOS-SIGN --
# signed phenotypes (docs/PHENOTYPES.md, "Signed phenotypes").
#  - phenotype-compile --sign appends exactly the 80-byte section of
#    include/cellos/pbin.h (read here with od), the bytes before it are the
#    unsigned compile's, OpenSSL verifies its signature over every byte
#    before R under the signing key's public half, it is deterministic, and
#    the SHA-256 of the bytes before it (sha256sum) is the ledger's line for
#    the phenotype: signing does not change a phenotype's identity;
#  - --sign and --key-id refuse what they cannot use, writing nothing;
#  - cellos-sign sign-phenotype gives the same bytes from the unsigned
#    file, and from a file signed by another key;
#  - the kernel's acceptance under both policies (test_pheno_sig);
#  - cellos-hosted (a build that accepts unsigned phenotypes) boots the
#    signed one to FULL PROOF SUCCESS, and refuses a flipped byte, the wrong
#    key and an untrusted key id with "PROOF FAILURE: E4 phenotype refused".
set -euo pipefail
compile=$1 sigtest=$2 hosted=$3 src=$4 genes=$5 work=$6 sign=$7
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$work"
root=$src/keys/TEST-ONLY-root.pem next=$src/keys/TEST-ONLY-next.pem
yaml=$src/phenotypes/hosted.linux.yaml
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

"$compile" --code-dir "$genes" -o unsigned.pbin "$yaml"
"$compile" --code-dir "$genes" --sign "$root" -o signed.pbin "$yaml"
"$compile" --code-dir "$genes" --sign "$root" --key-id 0 -o signed2.pbin "$yaml"
cmp signed.pbin signed2.pbin || fail "two signed compiles differ"
n=$(stat -c %s unsigned.pbin) s=$(stat -c %s signed.pbin)
[ "$s" = $((n + 80)) ] || fail "signed is $s bytes, expected $n + 80"
cmp <(head -c "$n" signed.pbin) unsigned.pbin || fail "the bytes before the signature are not the unsigned file"
[ "$(u32 signed.pbin "$n")" = 8 ] || fail "section tag $(u32 signed.pbin "$n"), expected 8"
[ "$(u32 signed.pbin $((n + 4)))" = 72 ] || fail "section len, expected 72"
[ "$(u32 signed.pbin $((n + 8)))" = 0 ] || fail "key id, expected 0"
[ "$(u32 signed.pbin $((n + 12)))" = 0 ] || fail "reserved, expected 0"
head -c $((n + 16)) signed.pbin >msg
tail -c 64 signed.pbin >sig
openssl pkey -in "$root" -pubout -out root.pub
openssl pkey -in "$next" -pubout -out next.pub
openssl pkeyutl -verify -pubin -inkey root.pub -rawin -in msg -sigfile sig >/dev/null ||
	fail "OpenSSL does not verify the signature under the root key"
! openssl pkeyutl -verify -pubin -inkey next.pub -rawin -in msg -sigfile sig >/dev/null 2>&1 ||
	fail "OpenSSL verifies the signature under the other key"
want=$(sed -n 's/^phenotype hosted.linux sha256=//p' "$src/proofs/ledger")
got=$(head -c "$n" signed.pbin | sha256sum | cut -c1-64 | tr a-f A-F)
[ "$got" = "$want" ] || fail "sha256 of the signed file's content $got, the ledger says $want"
echo "ok: --sign appends the 80-byte section, OpenSSL verifies it, the identity stays $got"

# refused NAME STATUS PATTERN ARGS...: the compiler must refuse, writing no out.pbin.
refused() {
	local name=$1 want=$2 pattern=$3 msg status=0
	shift 3
	rm -f out.pbin
	msg=$("$compile" --code-dir "$genes" "$@" -o out.pbin "$yaml" 2>&1) || status=$?
	[ "$status" = "$want" ] || fail "$name: exit status $status, expected $want: $msg"
	[[ "$msg" =~ $pattern ]] || fail "$name: expected /$pattern/, got: $msg"
	[ ! -e out.pbin ] || fail "$name: wrote out.pbin"
	! ls -A . | grep -q '\.tmp' || fail "$name: left a temporary"
	echo "ok: $name"
}
refused "a missing key" 1 "--sign nokey.pem: No such file" --sign nokey.pem
refused "a public key" 1 "not an unencrypted PEM private key" --sign root.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
refused "a key that is not Ed25519" 1 "not an Ed25519 key" --sign ec.pem
refused "--key-id without --sign" 2 "goes with --sign" --key-id 1
refused "--key-id not a number" 2 "expected a number" --sign "$root" --key-id 1x
refused "--key-id too large" 2 "expected a number" --sign "$root" --key-id 4294967296

# The files test_pheno_sig judges.
"$compile" --code-dir "$genes" --sign "$next" -o wrong-key.pbin "$yaml"
"$compile" --code-dir "$genes" --sign "$root" --key-id 7 -o other-id.pbin "$yaml"
cp signed.pbin flipped.pbin && flip flipped.pbin 28	# channel 0's priority
"$sign" sign-phenotype --key "$root" --key-id 0 --test-key --in unsigned.pbin -o resigned.pbin >/dev/null
cmp resigned.pbin signed.pbin || fail "sign-phenotype of the unsigned file differs from --sign"
"$sign" sign-phenotype --key "$root" --key-id 0 --test-key --in wrong-key.pbin -o resigned2.pbin >/dev/null
cmp resigned2.pbin signed.pbin || fail "sign-phenotype does not replace another key's signature"
! "$sign" sign-phenotype --key "$root" --key-id 0 --in unsigned.pbin -o no.pbin 2>/dev/null ||
	fail "sign-phenotype signed with the test key without --test-key"
[ ! -e no.pbin ] || fail "sign-phenotype left no.pbin"
echo "ok: cellos-sign sign-phenotype gives --sign's bytes and replaces a signature"
# The signature section moved before DEVICES (the last section): it no
# longer ends the file.
python3 - signed.pbin trailing.pbin "$n" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
n = int(sys.argv[3])
nch = struct.unpack_from('<I', b, 12)[0]
off = 20 + nch * 36 + (nch * nch + 7) // 8
last = None
while off < n:
    tag, ln = struct.unpack_from('<II', b, off)
    last = off
    off += 8 + ln
assert off == n and struct.unpack_from('<I', b, last)[0] == 5, 'DEVICES is not last'
open(sys.argv[2], 'wb').write(b[:last] + b[n:] + b[last:n])
PY
"$sigtest" unsigned.pbin signed.pbin wrong-key.pbin other-id.pbin flipped.pbin trailing.pbin

# cellos-hosted: boots the signed one, refuses the others at E4.
status=0
"$hosted" --phenotype signed.pbin >signed.log || status=$?
[ "$status" = 0 ] || fail "the signed phenotype: exit $status: $(tail -n 1 signed.log)"
grep -q "^#I phenotype hosted.linux v1.2 sha256=$want: " signed.log && grep -q "^FULL PROOF SUCCESS$" signed.log ||
	fail "the signed phenotype: no #I line with the ledger's sha256, or no success"
echo "ok: cellos-hosted boots the signed phenotype to FULL PROOF SUCCESS"
e4() {
	local name=$1 file=$2 pattern=$3 status=0
	"$hosted" --phenotype "$file" >"$name.log" || status=$?
	[ "$status" = 1 ] || fail "$name: exit status $status, expected 1"
	tail -n 1 "$name.log" | grep -qE "^PROOF FAILURE: E4 phenotype refused: $pattern" ||
		fail "$name: verdict $(tail -n 1 "$name.log")"
	grep -q '^#I phenotype builtin.minimal (built in)' "$name.log" || fail "$name: no fallback"
	echo "ok: cellos-hosted refuses $name: $(tail -n 1 "$name.log")"
}
e4 flipped flipped.pbin "offset $((n + 16)), signature.sig: does not verify under key 0 .*\(bad signature\)"
e4 wrong-key wrong-key.pbin "offset $((n + 16)), signature.sig: does not verify under key 0 .*\(bad signature\)"
e4 other-id other-id.pbin "offset $((n + 8)), signature.key_id: 7, not a key this image trusts"
e4 trailing trailing.pbin "offset [0-9]+, sections.signature: the signature section at offset [0-9]+ is not the last"
