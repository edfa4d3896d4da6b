# lib.sh: sourced by the fallback and exit-status tests. Each case boots a
# target, then asserts its exit status and the line its verdict must be
# (CONTRACT.md section 3: a fallback is PROOF FAILURE, never success).

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect NAME STATUS WANT-STATUS LOG LAST-LINE-REGEX: the boot of case NAME
# exited with STATUS; it must be WANT-STATUS, and LOG's last line must
# match LAST-LINE-REGEX (ERE, whole line; empty: the log is not checked).
expect() {
	local name=$1 status=$2 want=$3 log=$4 line=$5
	[ "$status" = "$want" ] ||
		fail "$name: exit status $status, expected $want ($(tail -n 1 "$log" 2>/dev/null))"
	if [ -n "$line" ]; then
		tail -n 1 "$log" | grep -Eqx -- "$line" ||
			fail "$name: the last line is \"$(tail -n 1 "$log")\", expected /$line/"
		[ "$want" = 0 ] || ! grep -q '^FULL PROOF SUCCESS' "$log" ||
			fail "$name: a boot that fell back prints FULL PROOF SUCCESS"
	fi
	echo "ok: $name: status $status${line:+: $(tail -n 1 "$log")}"
}

# patch FILE OFFSET HEXBYTES: overwrite bytes in place.
patch() {
	printf "$(sed 's/../\\x&/g' <<<"$3")" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# byte FILE OFFSET: the byte there, as two hex digits.
byte() { od -An -tx1 -j "$2" -N1 "$1" | tr -d ' \n'; }

# find_bytes FILE HEXBYTES: the offset of the first occurrence.
find_bytes() {
	local pat off
	pat=$(sed 's/../\\x&/g' <<<"$2")
	off=$(LC_ALL=C grep -obUaP "$pat" "$1" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || fail "$1 does not contain $2"
	echo "$off"
}

# sym ELF NAME: the symbol's address (hex, no 0x).
sym() {
	local v
	v=$(nm "$1" | awk -v n="$2" '$3 == n && !f { print $1; f = 1 }')
	[ -n "$v" ] || fail "$1 has no symbol $2"
	echo "$v"
}

# A byte of the first gene program's second instruction, in a .pbin: the
# mito_energy program starts "r6 = r2; r8 = *(u32 *)(r1 + 20)" (pbin-dump).
first_program_insn() { find_bytes "$1" bf2600000000000061181400; }

# reject_gene PBIN: make the first program's second instruction an atomic
# (opcode 0xdb), which the verifier refuses.
reject_gene() {
	local at
	at=$(first_program_insn "$1")
	patch "$1" $((at + 8)) db
}

# resign FILE PBIN: re-sign with the test root key, in place, the phenotype
# embedded in FILE (an image or ELF) that starts with PBIN's header (PBIN:
# the board build's own signed .pbin, of the same length). The boards
# refuse a phenotype whose signature does not verify (docs/PHENOTYPES.md),
# so a case that patches one to reach a later check signs it again, as the
# build would have.
resign() {
	local at len
	at=$(find_bytes "$1" "$(od -An -v -tx1 -N20 "$2" | tr -d ' \n')")
	len=$(stat -c %s "$2")
	dd if="$1" of="$1.pbin" bs=1 skip="$at" count="$len" 2>/dev/null
	"$top/build/hosted/bin/cellos-sign" sign-phenotype --key "$top/keys/TEST-ONLY-root.pem" \
		--key-id 0 --test-key --in "$1.pbin" -o "$1.signed.pbin" >/dev/null ||
		fail "$1: cellos-sign sign-phenotype refused the patched phenotype"
	[ "$(stat -c %s "$1.signed.pbin")" = "$len" ] || fail "$1: the re-signed phenotype changed length"
	dd if="$1.signed.pbin" of="$1" bs=1 seek="$at" conv=notrunc 2>/dev/null
}
