#!/usr/bin/env bash
# refused.sh HOSTED PBIN-DIR WORK -- malformed phenotypes are refused by the
# kernel's loader in hosted mode, which says where and why on channel 0,
# boots its built-in minimal phenotype instead and runs the chain to E10,
# but ends with "PROOF FAILURE: E4 phenotype refused: ..." and exit status
# 1: a fallback is never proof. The corpus is made from the good
# hosted.linux.pbin.
set -euo pipefail
hosted=$1 pbins=$2 work=$3
good="$pbins/hosted.linux.pbin"
mkdir -p "$work"
failures=0 count=0

# patch FILE OFFSET HEXBYTES: overwrite bytes in place
patch() { printf "$(sed 's/../\\x&/g' <<<"$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

# case NAME EXPECTED-REASON-REGEX: $work/NAME.pbin must be refused so
check() {
	local name=$1 want=$2 out="$work/$1.log"
	count=$((count + 1))
	local status=0
	"$hosted" --phenotype="$work/$name.pbin" >"$out" || status=$?
	if [ "$status" != 1 ]; then
		echo "FAIL: $name: exit status $status, expected 1 (PROOF FAILURE)"; failures=$((failures + 1)); return
	fi
	if ! grep -qE "^#W phenotype refused: $want" "$out"; then
		echo "FAIL: $name: expected /#W phenotype refused: $want/, got: $(grep '^#W phenotype' "$out")"
		failures=$((failures + 1)); return
	fi
	grep -q '^#I phenotype builtin.minimal (built in)' "$out" ||
		{ echo "FAIL: $name: no fallback line"; failures=$((failures + 1)); return; }
	grep -q '^#E10 RELEASE proof: ' "$out" ||
		{ echo "FAIL: $name: the fallback boot did not run to E10"; failures=$((failures + 1)); return; }
	if ! tail -n 1 "$out" | grep -qE "^PROOF FAILURE: E4 phenotype refused: $want"; then
		echo "FAIL: $name: the verdict is not the refusal: $(tail -n 1 "$out")"; failures=$((failures + 1)); return
	fi
	! grep -q 'FULL PROOF SUCCESS' "$out" ||
		{ echo "FAIL: $name: a fallback boot claims FULL PROOF SUCCESS"; failures=$((failures + 1)); return; }
	echo "ok: $name: $(grep '^#W phenotype' "$out")"
}

mk() { cp "$good" "$work/$1.pbin"; }

mk magic;       patch "$work/magic.pbin" 0 58;            check magic 'offset 0, header.magic: .* \(bad magic\)'
mk major;       patch "$work/major.pbin" 4 0200;          check major 'offset 4, header.ver_major: .* \(unsupported version\)'
mk minor;       patch "$work/minor.pbin" 6 0900;          check minor 'offset 6, header.ver_minor: .*'
mk arch;        patch "$work/arch.pbin" 8 0700;           check arch 'offset 8, header.arch_id: .*'
mk reserved;    patch "$work/reserved.pbin" 10 0100;      check reserved 'offset 10, header.reserved: .*'
mk nchan;       patch "$work/nchan.pbin" 12 11000000;     check nchan 'offset 12, header.num_channels: 17, expected 1..16'
mk zerochan;    patch "$work/zerochan.pbin" 12 00000000;  check zerochan 'offset 12, header.num_channels: 0.*'
mk quantum;     patch "$work/quantum.pbin" 16 01000000;   check quantum 'offset 16, header.quantum_ns: 1, .*'
mk qosclass;    patch "$work/qosclass.pbin" 24 05000000;  check qosclass 'offset 24, channels\[\]\.qos: 5.*'
mk dupchan;     patch "$work/dupchan.pbin" 56 00000000;   check dupchan 'offset 56, channels\[\]\.channel_id: 0 repeats channel index 0'
mk bucket;      patch "$work/bucket.pbin" 32 09;          check bucket 'offset 32, channels\[\]\.bucket: 9 exceeds bucket_max 8'
head -c 19 "$good" >"$work/short-header.pbin";            check short-header 'offset 19, header: 19 bytes, the header alone needs 20 \(truncated\)'
head -c 100 "$good" >"$work/short-channels.pbin";         check short-channels 'offset 100, channels: file ends before channel 2 of 6 \(truncated\)'
head -c 240 "$good" >"$work/short-adjacency.pbin";        check short-adjacency 'offset 240, adjacency: .*\(truncated\)'
head -c 300 "$good" >"$work/short-sections.pbin";         check short-sections 'offset [0-9]+, sections.*\(truncated\)'
{ cat "$good"; printf '\x09\x00\x00\x00\x00\x00\x00\x00'; } >"$work/unknown-section.pbin"
check unknown-section 'offset [0-9]+, sections.tag: unknown section tag 9.*'
: >"$work/empty.pbin";                                    check empty 'offset 0, header: 0 bytes.*'
head -c 16385 /dev/zero | tr '\0' 'x' >"$work/oversized.pbin"; check oversized 'offset 0, file: 16385 bytes, at most 16384'
# A phenotype built for another machine is refused too.
cp "$pbins/x86_bios.minimal.pbin" "$work/other-arch.pbin"; check other-arch 'built for arch 1, this machine takes arch 3'

[ "$failures" = 0 ] || { echo "$failures of $count malformed phenotypes were not handled"; exit 1; }
echo "all $count malformed phenotypes refused with the fallback"
