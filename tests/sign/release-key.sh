#!/usr/bin/env bash
# release-key.sh RELEASE_SH KEYS_DIR WORK -- ./cellos release's key
# handling refuses, before it builds anything or makes its output
# directory: no key at all (neither --key nor --test-key), either public
# TEST-ONLY key without --test-key, a missing file, a public key, an
# encrypted key, a key that is not Ed25519, a bad --key-id, an unknown
# option; each with its message and status (1 refused, 2 usage).
set -euo pipefail
release=$1 keys=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cd "$work"
openssl genpkey -algorithm ED25519 -out mine.pem 2>/dev/null
openssl pkey -in mine.pem -pubout -out mine.pub
openssl genpkey -algorithm ED25519 -aes-128-cbc -pass pass:secret -out enc.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null

refused() {	# NAME STATUS PATTERN ARGS...
	local name=$1 want=$2 pattern=$3 msg status=0
	shift 3
	msg=$("$release" --out "$work/out" "$@" </dev/null 2>&1) || status=$?
	[ "$status" = "$want" ] || fail "$name: exit status $status, expected $want: $msg"
	[[ "$msg" =~ $pattern ]] || fail "$name: expected /$pattern/, got: $msg"
	[ ! -e "$work/out" ] || fail "$name: made the output directory"
	echo "ok: $name"
}
refused "no key" 2 "give --key FILE"
refused "the test root without --test-key" 1 "public TEST-ONLY key keys/TEST-ONLY-root.pem" --key "$keys/TEST-ONLY-root.pem"
refused "the next test key without --test-key" 1 "public TEST-ONLY key keys/TEST-ONLY-next.pem" --key "$keys/TEST-ONLY-next.pem"
refused "a missing key" 1 "no such readable file" --key nokey.pem
refused "a public key" 1 "not an unencrypted PKCS#8 PEM private key" --key mine.pub
refused "an encrypted key" 1 "not an unencrypted PKCS#8 PEM private key" --key enc.pem
refused "a P-256 key" 1 "not an Ed25519 private key" --key ec.pem
refused "--key-id not a number" 2 "expected a number" --key mine.pem --key-id 12x
refused "--key-id too large" 2 "expected a number" --key mine.pem --key-id 4294967296
refused "--key-id with the test root" 2 "goes with --key" --test-key --key-id 3
refused "an unknown option" 2 "unknown option '--sign'" --sign mine.pem
