#!/usr/bin/env bash
# cli.sh CELLOS_SIGN KEYS_DIR WORK -- tools/cellos-sign end to end: keygen,
# pubkey, sign, verify and rotate, each checked against tools that are not
# cellos-sign (openssl pkey/pkeyutl for keys and signatures, od, sha256sum
# and cmp for the layout of docs/SECURITY.md), and its refusals: a wrong
# key, a damaged file, a missing file, an unknown or repeated option, a bad
# number, the test keys without --test-key, ... each with its message, its
# exit status (1 refused, 2 usage) and no output file or temporary left.
set -euo pipefail
sign=$1 keys=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$work"

# hexat FILE OFFSET LENGTH: those bytes as lower-case hex.
hexat() { od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
bytes() { dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null; }
# openssl_pub KEY.pem: the raw 32-byte public key by OpenSSL, as hex.
openssl_pub() { openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n'; }
# openssl_verify PUB.pem MSG SIG: OpenSSL's Ed25519 verdict.
openssl_verify() { openssl pkeyutl -verify -pubin -inkey "$1" -rawin -in "$2" -sigfile "$3" >/dev/null 2>&1; }
# flip FILE OFFSET: flip the low bit of one byte.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
no_temporaries() { ! ls -A . | grep -q '\.tmp\.' || fail "$1: left a temporary: $(ls -A | grep '\.tmp\.')"; }

# ok NAME ARGS...: cellos-sign ARGS must succeed; its stdout in $out.
ok() {
	local name=$1
	shift
	out=$("$sign" "$@" 2>"$work/err") || fail "$name: exit $?: $(cat "$work/err")"
	no_temporaries "$name"
	echo "ok: $name"
}
# refused NAME STATUS PATTERN [--creates FILE] ARGS...: cellos-sign ARGS
# must exit STATUS with a message matching PATTERN, and FILE (if given)
# must not exist afterwards.
refused() {
	local name=$1 want=$2 pattern=$3 creates="" msg status=0
	shift 3
	if [ "${1:-}" = --creates ]; then creates=$2; shift 2; fi
	msg=$("$sign" "$@" 2>&1) || status=$?
	[ "$status" = "$want" ] || fail "$name: exit status $status, expected $want: $msg"
	[[ "$msg" =~ $pattern ]] || fail "$name: expected /$pattern/, got: $msg"
	[ -z "$creates" ] || [ ! -e "$creates" ] || fail "$name: left $creates behind"
	no_temporaries "$name"
	echo "ok: $name: $(head -n1 <<<"$msg")"
}

troot=$keys/TEST-ONLY-root.pem tnext=$keys/TEST-ONLY-next.pem

# ---- keygen ----
ok keygen keygen -o a.pem
[ "$(stat -c %a a.pem)" = 600 ] || fail "keygen: a.pem has mode $(stat -c %a a.pem), expected 600"
head -n1 a.pem | grep -qx -- '-----BEGIN PRIVATE KEY-----' || fail "keygen: not PKCS#8 PEM"
openssl pkey -in a.pem -noout -text | grep -q '^ED25519 Private-Key' ||
	fail "keygen: OpenSSL does not read a.pem as an Ed25519 key"
ok keygen-b keygen --output=b.pem
cp a.pem a.copy
refused keygen-exists 1 'a.pem: already exists; not replaced' keygen -o a.pem
cmp -s a.pem a.copy || fail "keygen-exists: a.pem changed"
ok keygen-force keygen -o a.pem --force
! cmp -s a.pem a.copy || fail "keygen --force: a.pem is the same key"
[ "$(stat -c %a a.pem)" = 600 ] || fail "keygen --force: mode $(stat -c %a a.pem)"
cp a.copy a.pem && chmod 600 a.pem
refused keygen-no-output 2 'keygen: --output is required' keygen
refused keygen-no-dir 1 'nodir/k.pem: cannot create a temporary beside it' \
	--creates nodir/k.pem keygen -o nodir/k.pem

# ---- pubkey ----
apub=$(openssl_pub a.pem) bpub=$(openssl_pub b.pem)
ok pubkey pubkey a.pem
[ "$out" = "$apub" ] || fail "pubkey: printed $out, OpenSSL says $apub"
openssl pkey -in a.pem -pubout -out a.pub.pem 2>/dev/null
ok pubkey-of-public-pem pubkey a.pub.pem
[ "$out" = "$apub" ] || fail "pubkey of the public PEM: $out"
ok pubkey-c pubkey --c a.pem
[ "$(grep -o '0x[0-9a-f][0-9a-f]' <<<"$out" | sed 's/0x//' | tr -d '\n')" = "$apub" ] ||
	fail "pubkey --c: the initializer is not the key: $out"
ok pubkey-c-id pubkey --c --key-id 0x2A a.pem
grep -q '{ .id = 42u, .flags = 0, .pubkey = {' <<<"$out" || fail "pubkey --c --key-id: $out"
[ "$(grep -o '0x[0-9a-f][0-9a-f],' <<<"$out" | sed 's/0x//; s/,//' | tr -d '\n')" = "$apub" ] ||
	fail "pubkey --c --key-id: the initializer is not the key"
# The initializer is C a build can embed: compile it as a keyset_entry_t.
{
	echo '#include <stdio.h>'
	echo '#include "cellos/keyset.h"'
	echo 'static const keyset_entry_t e ='
	echo "$out;"
	echo 'int main(void) { printf("%u ", (unsigned)e.id);'
	echo '	for (int i = 0; i < 32; i++) printf("%02x", e.pubkey[i]);'
	echo '	printf("\n"); return 0; }'
} >entry.c
cc -std=c11 -Wall -Werror -I "$keys/../include" -o entry entry.c || fail "pubkey --c --key-id: does not compile as a keyset_entry_t"
[ "$(./entry)" = "42 $apub" ] || fail "pubkey --c --key-id: compiled, the entry is $(./entry)"
echo "ok: pubkey-c-compiles"
refused pubkey-id-without-c 2 '--key-id goes with --c' pubkey --key-id 1 a.pem
refused pubkey-two-files 2 "unexpected argument 'b.pem'" pubkey a.pem b.pem
refused pubkey-missing 1 'missing.pem: No such file or directory' pubkey missing.pem

# ---- sign ----
head -c 3000 /dev/urandom >genome
ok sign sign --key a.pem --key-id 3 --version 12 --counter 5 --in genome -o g.pkg
[ "$(stat -c %s g.pkg)" = 3128 ] || fail "sign: g.pkg is $(stat -c %s g.pkg) bytes, expected 3000 + 128"
[ "$(hexat g.pkg 0 4)" = 43504b47 ] || fail "sign: magic $(hexat g.pkg 0 4)"
[ "$(u16 g.pkg 4)" = 1 ] || fail "sign: format version $(u16 g.pkg 4)"
[ "$(hexat g.pkg 6 2)" = 0000 ] || fail "sign: reserved_u16 not zero"
[ "$(u32 g.pkg 8)" = 3 ] || fail "sign: key id $(u32 g.pkg 8)"
[ "$(u32 g.pkg 12)" = 12 ] || fail "sign: genome version $(u32 g.pkg 12)"
[ "$(u32 g.pkg 16)" = 5 ] || fail "sign: security counter $(u32 g.pkg 16)"
[ "$(u32 g.pkg 20)" = 3000 ] || fail "sign: payload_len $(u32 g.pkg 20)"
[ "$(hexat g.pkg 24 32)" = "$(sha256sum genome | cut -d' ' -f1)" ] || fail "sign: payload_sha256 is not sha256sum's"
[ "$(hexat g.pkg 56 8)" = 0000000000000000 ] || fail "sign: reserved not zero"
bytes g.pkg 64 3000 | cmp -s - genome || fail "sign: the payload is not the genome"
bytes g.pkg 0 3064 >g.msg
bytes g.pkg 3064 64 >g.sig
openssl_verify a.pub.pem g.msg g.sig || fail "sign: OpenSSL does not verify the signature"
[ "$(stat -c %a g.pkg)" = 644 ] || fail "sign: g.pkg mode $(stat -c %a g.pkg)"
ok sign-stdin sign --key=a.pem --key-id=3 --version=12 --counter=5 -o g2.pkg <genome
cmp -s g.pkg g2.pkg || fail "sign from standard input: not the same package (Ed25519 is deterministic)"
ok sign-replaces sign --key a.pem --key-id 3 --version 13 --counter 5 --in genome -o g2.pkg
[ "$(u32 g2.pkg 12)" = 13 ] || fail "sign: -o did not replace g2.pkg"

refused sign-missing-key 1 'nokey.pem: No such file or directory' --creates x.pkg \
	sign --key nokey.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
refused sign-missing-genome 1 'nogenome: No such file or directory' --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --in nogenome -o x.pkg
: >empty
refused sign-empty-genome 1 'empty: empty; a package carries at least one byte' --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --in empty -o x.pkg
refused sign-public-key 1 'a.pub.pem: a public key; this needs the private key' --creates x.pkg \
	sign --key a.pub.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
refused sign-ec-key 1 'ec.pem: key type id-ecPublicKey; cellos keys are Ed25519' --creates x.pkg \
	sign --key ec.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
openssl pkey -in a.pem -aes256 -passout pass:secret -out enc.pem 2>/dev/null
refused sign-encrypted-key 1 'enc.pem: an encrypted private key' --creates x.pkg \
	sign --key enc.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
refused sign-not-a-key 1 'genome: no "-----BEGIN PRIVATE KEY-----"' --creates x.pkg \
	sign --key genome --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
refused sign-unknown-option 2 "sign: unknown option '--colour'" --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg --colour
refused sign-abbreviation 2 "sign: unknown option '--ke'" --creates x.pkg \
	sign --ke a.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
refused sign-twice 2 'sign: --counter given twice' --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --counter 2 --in genome -o x.pkg
refused sign-no-value 2 'sign: --output needs a value' \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --in genome -o
refused sign-missing-counter 2 'sign: --counter is required' --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --in genome -o x.pkg
refused sign-bad-number 2 "sign: --version: '12a' is not a number from 0 to 4294967295" --creates x.pkg \
	sign --key a.pem --key-id 0 --version 12a --counter 1 --in genome -o x.pkg
refused sign-too-big 2 "sign: --counter: '4294967296' is not a number" --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 4294967296 --in genome -o x.pkg
refused sign-negative 2 "sign: --key-id: '-1' is not a number" --creates x.pkg \
	sign --key a.pem --key-id=-1 --version 1 --counter 1 --in genome -o x.pkg
refused sign-flag-value 2 'sign: --test-key takes no value' --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 --in genome -o x.pkg --test-key=yes
refused sign-stray-argument 2 "sign: unexpected argument 'genome'" --creates x.pkg \
	sign --key a.pem --key-id 0 --version 1 --counter 1 genome -o x.pkg
refused sign-test-key 1 'the public TEST-ONLY key keys/TEST-ONLY-root.pem .*give --test-key' --creates x.pkg \
	sign --key "$troot" --key-id 0 --version 1 --counter 1 --in genome -o x.pkg
refused sign-test-key-next 1 'the public TEST-ONLY key keys/TEST-ONLY-next.pem' --creates x.pkg \
	sign --key "$tnext" --key-id 1 --version 1 --counter 1 --in genome -o x.pkg
ok sign-test-key-allowed sign --key "$troot" --key-id 0 --version 1 --counter 1 --in genome -o t.pkg --test-key

# ---- verify ----
ok verify-key verify --key a.pem g.pkg
[[ "$out" =~ 'g.pkg: package ok: key id 3, genome version 12, security counter 5, payload 3000 bytes' ]] ||
	fail "verify: $out"
ok verify-pub verify --pub "$apub" g.pkg
ok verify-pub-upper verify --pub "${apub^^}" g.pkg
ok verify-public-pem verify --key a.pub.pem --key-id 3 g.pkg
ok verify-test-key verify --key "$troot" t.pkg
[[ "$out" =~ 'signed by the public test key keys/TEST-ONLY-root.pem' ]] || fail "verify of a test-key package: $out"
refused verify-wrong-key 1 "g.pkg: offset 3064 \(signature\): does not verify under public key $bpub" \
	verify --key b.pem g.pkg
refused verify-wrong-id 1 'g.pkg: offset 8 \(key_id\): 3, expected 4' verify --key a.pem --key-id 4 g.pkg
cp g.pkg d.pkg && flip d.pkg 100
# Two problems, both named: the digest, and the signature over the bytes.
refused verify-payload-bit 1 'offset 24 \(payload_sha256\): the header says .*
.*offset 3064 \(signature\): does not verify' verify --key a.pem d.pkg
cp g.pkg d.pkg && flip d.pkg 16
refused verify-counter-bit 1 'offset 3064 \(signature\): does not verify' verify --key a.pem d.pkg
cp g.pkg d.pkg && flip d.pkg 3100
refused verify-signature-bit 1 'offset 3064 \(signature\)' verify --key a.pem d.pkg
cp g.pkg d.pkg && flip d.pkg 0
refused verify-magic 1 'd.pkg: offset 0 \(magic\): 0x474B5042, neither a package' verify --key a.pem d.pkg
cp g.pkg d.pkg && flip d.pkg 4
refused verify-version 1 'd.pkg: offset 4 \(format_version\): 0, this tool reads version 1' verify --key a.pem d.pkg
cp g.pkg d.pkg && flip d.pkg 60
refused verify-reserved 1 'd.pkg: offset 60 \(reserved\): 0x01, must be zero' verify --key a.pem d.pkg
head -c 3127 g.pkg >d.pkg
refused verify-truncated 1 'd.pkg: offset 20 \(payload_len\): 3000 bytes of payload make a 3128-byte package; the file has 3127' \
	verify --key a.pem d.pkg
head -c 40 g.pkg >d.pkg
refused verify-short 1 'd.pkg: 40 bytes, shorter than the 64-byte package header' verify --key a.pem d.pkg
{ cat g.pkg; printf 'x'; } >d.pkg
refused verify-trailing 1 'd.pkg: 3129 bytes; payload_len 3000 \(offset 20\) makes the package end at 3128, the file has 1 byte\(s\) more' verify --key a.pem d.pkg
refused verify-missing 1 'nothing.pkg: No such file or directory' verify --key a.pem nothing.pkg
refused verify-no-key 2 'verify: give one of --pub HEX and --key KEY.pem' verify g.pkg
refused verify-both-keys 2 'verify: give one of --pub HEX and --key KEY.pem' verify --pub "$apub" --key a.pem g.pkg
refused verify-bad-pub 2 "verify: --pub: 'abc' is not 64 hex digits" verify --pub abc g.pkg
refused verify-weak-pub 1 'a point of small order' verify --pub "01$(printf '0%.0s' {1..62})" g.pkg
refused verify-unknown-option 2 "verify: unknown option '--quiet'" verify --key a.pem --quiet g.pkg

# ---- rotate ----
ok rotate rotate --key a.pem --new b.pem --new-id 1 --revoke 0 --version 1 -o r1.st
[ "$(stat -c %s r1.st)" = 128 ] || fail "rotate: $(stat -c %s r1.st) bytes"
[ "$(hexat r1.st 0 4)" = 43524f54 ] || fail "rotate: magic"
[ "$(u16 r1.st 4)" = 1 ] || fail "rotate: format version"
[ "$(u16 r1.st 6)" = 1 ] || fail "rotate: flags $(u16 r1.st 6), expected REVOKE"
[ "$(u32 r1.st 8)" = 1 ] || fail "rotate: statement version"
[ "$(u32 r1.st 12)" = 1 ] || fail "rotate: new key id"
[ "$(u32 r1.st 16)" = 0 ] || fail "rotate: revoke id"
[ "$(hexat r1.st 20 32)" = "$bpub" ] || fail "rotate: new_pubkey is not b.pem's"
[ "$(hexat r1.st 52 12)" = 000000000000000000000000 ] || fail "rotate: reserved"
bytes r1.st 0 64 >r1.msg
bytes r1.st 64 64 >r1.sig
openssl_verify a.pub.pem r1.msg r1.sig || fail "rotate: OpenSSL does not verify the statement under the root"
ok verify-rotation verify --key a.pem r1.st
[[ "$out" =~ 'rotation statement ok: version 1, new active key id 1 public key '"$bpub"', revokes key id 0' ]] ||
	fail "verify of a statement: $out"
refused verify-rotation-wrong-key 1 'r1.st: offset 64 \(signature\): does not verify' verify --key b.pem r1.st
cp r1.st d.st && flip d.st 30
refused verify-rotation-bit 1 'd.st: offset (20 \(new_pubkey\)|64 \(signature\))' verify --key a.pem d.st
cp r1.st d.st && flip d.st 55
refused verify-rotation-reserved 1 'd.st: offset 55 \(reserved\): 0x01, must be zero' verify --key a.pem d.st
{ cat r1.st; printf 'xy'; } >d.st
refused verify-rotation-trailing 1 'd.st: 130 bytes; a rotation statement is 128, the file has 2 byte\(s\) more' \
	verify --key a.pem d.st
head -c 100 r1.st >d.st
refused verify-rotation-short 1 'd.st: 100 bytes, shorter than a 128-byte rotation statement' verify --key a.pem d.st
refused verify-rotation-key-id 2 "verify: --key-id checks a package's key id; r1.st is a rotation statement" \
	verify --key a.pem --key-id 1 r1.st
ok rotate-public-new rotate --key b.pem --new a.pub.pem --new-id 2 --version 2 -o r2.st
[ "$(u16 r2.st 6)" = 0 ] && [ "$(u32 r2.st 16)" = 0 ] || fail "rotate without --revoke: flags or revoke_id set"
refused rotate-revoke-newer 2 'rotate: --revoke 2: a statement revokes only keys older than the one it introduces \(--new-id 2\)' \
	--creates x.st rotate --key a.pem --new b.pem --new-id 2 --revoke 2 --version 1 -o x.st
refused rotate-version-0 2 'rotate: --version 0: statement versions start at 1' \
	--creates x.st rotate --key a.pem --new b.pem --new-id 1 --version 0 -o x.st
refused rotate-same-key 1 'a.pub.pem: the same key as a.pem' \
	--creates x.st rotate --key a.pem --new a.pub.pem --new-id 1 --version 1 -o x.st
refused rotate-missing-new 1 'none.pem: No such file or directory' \
	--creates x.st rotate --key a.pem --new none.pem --new-id 1 --version 1 -o x.st
refused rotate-missing-id 2 'rotate: --new-id is required' \
	--creates x.st rotate --key a.pem --new b.pem --version 1 -o x.st
refused rotate-test-root 1 'TEST-ONLY-root.pem: the public TEST-ONLY key' \
	--creates x.st rotate --key "$troot" --new b.pem --new-id 1 --version 1 -o x.st
refused rotate-to-test-key 1 'TEST-ONLY-next.pem: the public TEST-ONLY key .*handing a device to it is refused' \
	--creates x.st rotate --key a.pem --new "$tnext" --new-id 1 --version 1 -o x.st
ok rotate-test-keys rotate --key "$troot" --new "$tnext" --new-id 1 --version 1 -o t.st --test-key
ok verify-test-rotation verify --key "$troot" t.st

# ---- the tool as a whole ----
ok help --help
[[ "$out" =~ 'usage: cellos-sign COMMAND' ]] || fail "--help: $out"
ok sign-help sign -h
[[ "$out" =~ 'sign --key KEY.pem --key-id N' ]] || fail "sign -h: $out"
refused no-command 2 'no command given'
refused unknown-command 2 "unknown command 'frobnicate'" frobnicate

# The committed test keys are the ones the tool knows (keys/README.md).
[ "$(openssl_pub "$troot")" = 44d9c491263955f6678e5a067db122d2d37e02fbf8d28fb51e3af8e628346420 ] ||
	fail "keys/TEST-ONLY-root.pem is not the key keys/README.md lists"
[ "$(openssl_pub "$tnext")" = 57a9220779e5ceae3f3b15ff6aecd505c82ea55ae20ff407faa9bdb2dbdd7be8 ] ||
	fail "keys/TEST-ONLY-next.pem is not the key keys/README.md lists"
echo "cellos-sign: all checks passed"
