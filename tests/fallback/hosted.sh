#!/usr/bin/env bash
# hosted.sh HOSTED PBIN-DIR WORK -- every fallback of the hosted kernel is
# reported and ends the proof as PROOF FAILURE with exit status 1: a refused
# phenotype, a gene the verifier rejects, no disk, too small a disk, a disk
# that is not ours (left untouched), writes that fail (from the first one,
# and from every later point of a boot in turn), a superblock rebuilt from
# its copy. A valid phenotype the ledger does not cover is PROOF UNCHECKED
# (status 2), and a console that cannot be written stops with status 4.
# --secret: the TEST secret proves, another is PROOF UNCHECKED, and a file
# that is missing or not exactly 32 bytes stops with status 4.
set -euo pipefail
hosted=$1 pbins=$2 work=$3
. "$(dirname "$0")/lib.sh"
rm -rf "$work"
mkdir -p "$work"
boot() {	# boot NAME ARGS...: sets $status, log in $work/NAME.log
	local name=$1
	shift
	status=0
	"$hosted" "$@" >"$work/$name.log" 2>"$work/$name.err" || status=$?
}

printf 'this host is called not-a-phenotype\n' >"$work/text.pbin"
boot text --phenotype="$work/text.pbin"
expect text "$status" 1 "$work/text.log" 'PROOF FAILURE: E4 phenotype refused: offset 0, header.magic: .*'
grep -q '^#E10 ' "$work/text.log" || fail "text: the fallback did not run to E10"

cp "$pbins/hosted.linux.pbin" "$work/rejected.pbin"
reject_gene "$work/rejected.pbin"
boot rejected --phenotype="$work/rejected.pbin"
expect rejected "$status" 1 "$work/rejected.log" "PROOF FAILURE: E5 vm: 1 of 7 genes' programs were refused by the verifier and never run"
grep -q '^#W gene g1 rejected: slot 1: ' "$work/rejected.log" ||
	fail "rejected: no line says which gene was refused and why"

cp "$pbins/hosted.linux.pbin" "$work/renamed.pbin"
patch "$work/renamed.pbin" "$(find_bytes "$work/renamed.pbin" 686f737465642e6c696e7578)" 48	# "hosted" -> "Hosted"
boot unchecked --phenotype="$work/renamed.pbin"
sha=$(sha256sum "$work/renamed.pbin" | cut -c1-16 | tr a-f A-F)
expect unchecked "$status" 2 "$work/unchecked.log" "PROOF UNCHECKED: no ledger for phenotype $sha"

boot no-disk --disk=none
expect no-disk "$status" 1 "$work/no-disk.log" 'PROOF FAILURE: E7 disk: none on this machine; E7 runs in RAM and nothing persists'

truncate -s 64K "$work/small.img"
boot small-disk --disk="$work/small.img"
expect small-disk "$status" 1 "$work/small-disk.log" 'PROOF FAILURE: E7 disk: 128 blocks, the cell_os layout needs [0-9]+; E7 runs in RAM and nothing persists'

head -c 8M /dev/urandom >"$work/foreign.img"
before=$(sha256sum <"$work/foreign.img")
boot foreign --disk="$work/foreign.img"
expect foreign "$status" 1 "$work/foreign.log" 'PROOF FAILURE: E7 disk: blocks 0 and 8 hold neither a cell_os superblock nor zeros: not a cell_os disk, left as it is; .*'
[ "$(sha256sum <"$work/foreign.img")" = "$before" ] || fail "foreign: the disk was written"

# A write-protected disk: blank, and already formatted.
rm -f "$work/ro.img"
boot ro-blank --disk="$work/ro.img" --disk-fail=1
expect ro-blank "$status" 1 "$work/ro-blank.log" 'PROOF FAILURE: E7 disk: the superblock cannot be read or written \(I/O error\); .*'
boot ro-format --disk="$work/ro.img"
expect ro-format "$status" 0 "$work/ro-format.log" 'FULL PROOF SUCCESS'
boot ro-formatted --disk="$work/ro.img" --disk-fail=1
expect ro-formatted "$status" 1 "$work/ro-formatted.log" 'PROOF FAILURE: E7 .*I/O error.*'

# A write that fails at any point of a boot on a fresh disk fails the proof;
# once the boot makes fewer writes than N, it succeeds.
n=1 failed=0
while :; do
	rm -f "$work/wear.img"
	boot "wear-$n" --disk="$work/wear.img" --disk-fail=$n
	if [ "$status" = 0 ]; then
		expect "wear-$n" "$status" 0 "$work/wear-$n.log" 'FULL PROOF SUCCESS'
		break
	fi
	expect "wear-$n" "$status" 1 "$work/wear-$n.log" 'PROOF FAILURE: E7 .*' >/dev/null
	failed=$((failed + 1))
	n=$((n + 1))
	[ "$n" -lt 1000 ] || fail "wear: a boot with a failing write at 1000 still fails"
done
[ "$failed" -gt 20 ] || fail "wear: only $failed failing points: E7 alone writes more blocks than that"
echo "ok: wear: a failing write at each of the boot's first $failed writes is PROOF FAILURE"

# A damaged superblock is rebuilt from its copy: that boot fails, the next
# one is clean and the store counts on.
rm -f "$work/sb.img"
boot sb-1 --disk="$work/sb.img"
expect sb-1 "$status" 0 "$work/sb-1.log" 'FULL PROOF SUCCESS'
patch "$work/sb.img" 20 "$(printf '%02x' $((0x$(byte "$work/sb.img" 20) ^ 0x04)))"
boot sb-2 --disk="$work/sb.img"
expect sb-2 "$status" 1 "$work/sb-2.log" 'PROOF FAILURE: E7 disk: superblock in block 0 damaged: rewritten from its copy'
grep -qx '#I kv boot=2 last="stored by boot 1"' "$work/sb-2.log" || fail "sb-2: the store did not survive"
boot sb-3 --disk="$work/sb.img"
expect sb-3 "$status" 0 "$work/sb-3.log" 'FULL PROOF SUCCESS'
grep -qx '#I kv boot=3 last="stored by boot 2"' "$work/sb-3.log" || fail "sb-3: the store did not count on"

# --secret FILE: the machine hands over exactly 32 bytes, instead of the
# disk's slot. The TEST secret proves as the memory device's own does; any
# other is this device's own (PROOF UNCHECKED, the ledger is the TEST
# secret's); a file that is missing or not 32 bytes cannot start the machine.
test_secret=$(dirname "$0")/../../keys/TEST-ONLY-device-secret
boot secret-test --secret="$test_secret"
expect secret-test "$status" 0 "$work/secret-test.log" 'FULL PROOF SUCCESS'
printf '%032d' 7 >"$work/own.secret"
boot secret-own --secret="$work/own.secret"
expect secret-own "$status" 2 "$work/secret-own.log" 'PROOF UNCHECKED: the device secret is not the TEST secret; the ledger holds no evidence for it'
grep -q "^#I secret: this device's own, not the TEST secret" "$work/secret-own.log" || fail "secret-own: no #I secret line"
secret_refused() {	# secret_refused NAME FILE MESSAGE
	boot "$1" --secret="$2"
	[ "$status" = 4 ] || fail "$1: exit status $status, expected 4"
	grep -qF -- "cellos-hosted: --secret $2: $3" "$work/$1.err" || fail "$1: $(cat "$work/$1.err")"
	[ ! -s "$work/$1.log" ] || fail "$1: the kernel printed on channel 0"
	echo "ok: $1: status 4: $(cat "$work/$1.err")"
}
secret_refused secret-missing "$work/no-such.secret" 'No such file or directory'
head -c 31 "$work/own.secret" >"$work/short.secret"
secret_refused secret-short "$work/short.secret" 'expected exactly 32 bytes, the file has fewer'
printf 'x' | cat "$work/own.secret" - >"$work/long.secret"
secret_refused secret-long "$work/long.secret" 'expected exactly 32 bytes, the file has more'

# A machine that cannot start: status 4, with the reason.
boot bad-option --no-such-option
expect bad-option "$status" 4 "$work/bad-option.log" ''
grep -q "unknown option '--no-such-option'" "$work/bad-option.err" || fail "bad-option: no message"

# Channel 0 that cannot be written: status 4 and a message on stderr.
status=0
"$hosted" >/dev/full 2>"$work/full.err" || status=$?
[ "$status" = 4 ] || fail "console-full: exit status $status, expected 4"
grep -q 'channel 0: No space left on device' "$work/full.err" || fail "console-full: no message: $(cat "$work/full.err")"
echo "ok: console-full: status 4: $(cat "$work/full.err")"
status=0
"$hosted" >&- 2>"$work/closed.err" || status=$?
[ "$status" = 4 ] || fail "console-closed: exit status $status, expected 4"
grep -q 'channel 0: Bad file descriptor' "$work/closed.err" || fail "console-closed: no message: $(cat "$work/closed.err")"
echo "ok: console-closed: status 4: $(cat "$work/closed.err")"
