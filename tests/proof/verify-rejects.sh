#!/usr/bin/env bash
# verify-rejects.sh VERIFY GOOD-LOG DIR -- damage a good log in each way the
# contract cares about and require verify-proofs to refuse it: exit 1 and
# the exact "PATH:LINE: reason" line on stderr.
#
# GOOD-LOG is a real proof log (build/proof/hosted.log or any target's);
# verify-lib.sh's fixture gives it the phenotype sha256 and the E10 tag the
# kernel is about to print (a kernel that prints them already is kept as
# is), and a ledger is written for it here. Each case derives its bad log
# from that fixture with sed, awk or python.
set -euo pipefail
verify=$1 src=$2 dir=$3
. "$(dirname "$0")/verify-lib.sh"
mkdir -p "$dir"
good="$dir/good.log" ledger="$dir/ledger"
fixture "$src" "$good"
make_ledger "$ledger" "$good"
accepted good --ledger "$ledger" "$good"
[ "$failures" = 0 ] || finish

# mk NAME CMD...: $dir/NAME.log is CMD's output on the good log.
mk() {
	local name=$1
	shift
	"$@" <"$good" >"$dir/$name.log"
}
# check NAME MESSAGE: NAME.log is refused with MESSAGE (its path prefixed).
check() {
	refused "$1" "$dir/$1.log$2" --ledger "$ledger" "$dir/$1.log"
}

# quoted TEXT: TEXT as the tool quotes a line, its first 72 bytes and "...".
quoted() { [ ${#1} -gt 72 ] && echo "${1:0:72}..." || echo "$1"; }
nlines=$(wc -l <"$good")
raw=$(line_of '^#E0 raw ' "$good")
info=$(line_of '^#E0 info ' "$good")
e1=$(line_of '^#E1 ' "$good")
pheno=$(line_of '^#I phenotype ' "$good")
e5=$(line_of '^#E5 ' "$good")
e6=$(line_of '^#E6 ' "$good")
e7=$(line_of '^#E7 ' "$good")
e8=$(line_of '^#E8 ' "$good")
e9=$(line_of '^#E9 ' "$good")
e10=$(line_of '^#E10 ' "$good")
rawline=$(sed -n "${raw}p" "$good")
infoline=$(sed -n "${info}p" "$good")
field() { sed -E "s/.* $1=([^ ]*).*/\\1/" <<<"$rawline"; }
arch=$(field arch) tier=$(field tier) intr=$(field intr) console=$(field console)
mask=$(field feat_mask) ram=$(field ram) code=$(field code)

## Lines that are not the console's.
mk junk sed '1a junk text'
check junk ":2: not a #-tagged console line and not the verdict FULL PROOF SUCCESS: \"junk text\""
mk empty sed '1G'
check empty ":2: an empty line (every console line is #-tagged or the verdict)"
mk untagged sed '1a # proofs ok'
check untagged ":2: not a #-tagged console line and not the verdict FULL PROOF SUCCESS: \"# proofs ok\""
mk success-space sed '$s/^/ /'
check success-space ":$nlines: not a #-tagged console line and not the verdict FULL PROOF SUCCESS: \" FULL PROOF SUCCESS\""
mk unknown-e sed "${e10}a #E11 EXTRA proof: x=00000000"
check unknown-e ":$((e10 + 1)): not one of the CONTRACT's proof lines (tags #E<n> are theirs): \"#E11 EXTRA proof: x=00000000\""
mk e-typo sed "${e5}s/^#E5 ORG proof: /#E5 ORG proof:/"
check e-typo ":$e5: not one of the CONTRACT's proof lines (tags #E<n> are theirs): \"$(quoted "$(sed -n "${e5}p" "$dir/e-typo.log")")\""

## Verdicts other than success, wherever they are.
mk failure sed 's/^#E7 .*/PROOF FAILURE: E7 injected/'
check failure ":$e7: the boot's verdict is not success: \"PROOF FAILURE: E7 injected\""
mk failure-space awk -v n="$e7" '{ print } NR == n { print " PROOF FAILURE: E7 injected" }'
check failure-space ":$((e7 + 1)): the boot's verdict is not success: \"PROOF FAILURE: E7 injected\""
mk failure-midline sed "${e5}a #I note: PROOF FAILURE: E5 mito differs"
check failure-midline ":$((e5 + 1)): the boot's verdict is not success: \"PROOF FAILURE: E5 mito differs\""
mk unchecked sed '$i PROOF UNCHECKED: no ledger for phenotype 0123456789ABCDEF'
check unchecked ":$nlines: the boot's verdict is not success: \"PROOF UNCHECKED: no ledger for phenotype 0123456789ABCDEF\""

## A warning: the boot fell back, so it is not evidence.
mk warning sed "${e7}i #W disk: none on this machine; E7 runs in RAM"
check warning ":$e7: a #W warning (a fallback or damage), so this boot is not evidence: \"#W disk: none on this machine; E7 runs in RAM\""

## Bytes: CRLF, NUL, other control bytes, a cut final line.
mk crlf sed 's/$/\r/'
check crlf ":1: a CR byte at column $(($(head -n 1 "$good" | wc -c))) (console lines end in LF alone, not CRLF)"
check crlf ":$nlines: a CR byte at column 19 (console lines end in LF alone, not CRLF)"
mk nul sed '1s/^\(...\)/\1\x00/'
check nul ":1: a NUL byte at column 4"
mk control sed '1s/^\(...\)/\1\x1b/'
check control ":1: byte 0x1B at column 4 is not printable ASCII"
head -c -1 "$good" >"$dir/nolf.log"
check nolf ":$nlines: the last line does not end in LF: the capture was cut short"

## #P records: every one must decode, before E8 or after it.
mk p-after-e8 sed "${e8}a #P 0000"
check p-after-e8 ":$((e8 + 1)): the #P record does not decode: parcel: truncated"
mk p-hex sed "${e8}a #P 0g"
check p-hex ":$((e8 + 1)): the #P record does not decode: hex: value out of range at column 5"
mk p-odd sed "${e8}a #P 000"
check p-odd ":$((e8 + 1)): the #P record does not decode: hex: length mismatch"
mk p-empty sed "${e8}a #P"
check p-empty ":$((e8 + 1)): a #P line without a record"
awk 'done == 0 && /^#P / { c = substr($0, length($0), 1);
	$0 = substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0"); done = 1 } { print }' "$good" >"$dir/obs.log"
check obs ":$e8: E8 is not recomputable from the log: its #P records give $(e8 "$dir/obs.log"), the line says $(sed -E -n "${e8}s/.*(entries=[0-9A-F]+ obs_hash=[0-9A-F]+).*/\\1/p" "$good")"
first_p=$(line_of '^#P ' "$good")
mk obs-drop sed "${first_p}d"
check obs-drop ":$((e8 - 1)): E8 is not recomputable from the log: its #P records give $(e8 "$dir/obs-drop.log"), the line says $(sed -E -n "${e8}s/.*(entries=[0-9A-F]+ obs_hash=[0-9A-F]+).*/\\1/p" "$good")"

## Markers: each once, in order, FULL PROOF SUCCESS last.
mk missing grep -v '^#E6 '
check missing ": the #E6 EVT proof line is missing"
mk twice sed "${e6}p"
check twice ":$((e6 + 1)): #E6 EVT proof line appears again (first at line $e6)"
mk order awk '/^#E8 /{held=$0; next} /^#E9 /{print; print held; next} {print}'
check order ":$e9: #E8 OBS proof line is out of order: it comes after the #E9 SEC proof line"
mk trailing sed '$a #Z trailing line'
check trailing ":$nlines: FULL PROOF SUCCESS is not the last line (line $((nlines + 1)) follows)"

## Proof values: the ledger, E10 recomputed over every field.
mito=$(sed -E -n "${e5}s/.*mito=([0-9A-F]{8}).*/\\1/p" "$good")
other=$(printf '%08X' $(( 16#$mito ^ 1 )))
mk digit sed "${e5}s/mito=$mito/mito=$other/"
check digit ":$e5: E5 mito=$other differs from the ledger ($ledger:$(line_of '^E5 mito=' "$ledger") says $mito)"
check digit ":$e10: E10 tag=$(e10 "$good") is not the hash of this log's E2..E9 values, every field in print order ($(e10 "$dir/digit.log"))"
old=$(e10 "$good" old)
mk e10-old sed -E "${e10}s/tag=[0-9A-F]{8}/tag=$old/"
check e10-old ":$e10: E10 tag=$old is not the hash of this log's E2..E9 values, every field in print order ($(e10 "$good"))"
mk field-twice sed -E "${e5}s/(mito=[0-9A-F]{8})/\\1 \\1/"
check field-twice ":$e5: #E5 ORG proof line: field mito appears twice"
mk field-case sed "${e5}s/mito=$mito/mito=$(tr A-F a-f <<<"$mito")/"
if [ "$mito" != "$(tr A-F a-f <<<"$mito")" ]; then
	check field-case ":$e5: #E5 ORG proof line: field mito is not 8 upper-case hex digits"
fi

## #E0 raw: the CONTRACT's names, well-formed numbers, its own code.
rawmk() { mk "$1" sed -E "${raw}s/$2/$3/"; }
rawmk arch ' arch=[^ ]*' ' arch=sparc'
check arch ":$raw: #E0 raw arch=sparc is not one of the CONTRACT's names (x86_64, arm64, arm_m)"
rawmk tier ' tier=[^ ]*' ' tier=UNKNOWN'
check tier ":$raw: #E0 raw tier=UNKNOWN: the probe did not identify it (expected one of PC_BIOS, QEMU_VIRT, MCU_CONTROLLER, HOSTED, PC_UEFI)"
rawmk intr ' intr=[^ ]*' ' intr=APIC'
check intr ":$raw: #E0 raw intr=APIC is not one of the CONTRACT's names (PIC_IOAPIC, LAPIC_ONLY, GICV2, GICV3, ONCHIP_MCU, POSIX_SIGNALS)"
rawmk timer ' timer=[^ ]*' ' timer=TSC'
check timer ":$raw: #E0 raw timer=TSC is not one of the CONTRACT's names (PIT, HPET, ARCH_TIMER, ONCHIP_MCU, HOST_TIMER)"
rawmk console ' console=[^ ]*' ' console=SERIAL'
check console ":$raw: #E0 raw console=SERIAL: a name that is not one of the CONTRACT's (COM1|VGA|PL011|UART0|STDOUT, joined by '|' in this order)"
rawmk console-order ' console=[^ ]*' ' console=STDOUT|COM1'
check console-order ":$raw: #E0 raw console=STDOUT|COM1: names out of the CONTRACT's bit order (COM1|VGA|PL011|UART0|STDOUT, joined by '|' in this order)"
rawmk console-twice ' console=[^ ]*' ' console=COM1|COM1'
check console-twice ":$raw: #E0 raw console=COM1|COM1: a name twice (COM1|VGA|PL011|UART0|STDOUT, joined by '|' in this order)"
rawmk console-none ' console=[^ ]*' ' console=NONE'
check console-none ":$raw: #E0 raw console=NONE, but the boot printed this on a console"
badmask=$(printf '%08X' $(( 16#$mask | 0x40 )))
rawmk feat-bits ' feat_mask=[^ ]*' " feat_mask=$badmask"
check feat-bits ":$raw: #E0 raw feat_mask=$badmask has bits 00000040 that name no feature of the CONTRACT"
rawmk feat-width ' feat_mask=[^ ]*' ' feat_mask=1F'
check feat-width ":$raw: #E0 raw feat_mask=1F is not 8 upper-case hex digits"
rawmk raw-width ' raw=[^ ]*' ' raw=0A0671'
check raw-width ":$raw: #E0 raw raw=0A0671 is not 8 upper-case hex digits"
rawmk code-hex ' code=[^ ]*' ' code=0xZZ'
check code-hex ":$raw: #E0 raw code=0xZZ is not 0x and 8 upper-case hex digits"
# The code, from the names, by the CONTRACT's numbering (not the tool's).
declare -A num=([x86_64]=1 [arm64]=2 [arm_m]=3 [PC_BIOS]=1 [QEMU_VIRT]=2
	[MCU_CONTROLLER]=3 [HOSTED]=4 [PC_UEFI]=5 [PIC_IOAPIC]=1 [LAPIC_ONLY]=2
	[GICV2]=3 [GICV3]=4 [ONCHIP_MCU]=5 [POSIX_SIGNALS]=6)
declare -A tnum=([PIT]=1 [HPET]=2 [ARCH_TIMER]=3 [ONCHIP_MCU]=4 [HOST_TIMER]=5)
want=$(printf '0x%08X' $(( num[$arch] << 24 | num[$tier] << 16 | num[$intr] << 8 | tnum[$(field timer)] )))
[ "$want" = "$code" ] || { echo "FAIL: the good log's code=$code is not $want"; failures=$((failures + 1)); }
rawmk code ' code=[^ ]*' ' code=0x00000000'
check code ":$raw: #E0 raw code=0x00000000 is not arch<<24 | tier<<16 | intr<<8 | timer of this line's names ($want)"
rawmk ram-nan ' ram=[^ ]*' ' ram=12x8MiB'
check ram-nan ":$raw: #E0 raw ram=12x8MiB is not a number of MiB (decimal, 1 or more, no leading zero, then \"MiB\")"
rawmk ram-unit ' ram=[^ ]*' ' ram=128MB'
check ram-unit ":$raw: #E0 raw ram=128MB is not a number of MiB (decimal, 1 or more, no leading zero, then \"MiB\")"
rawmk ram-zero ' ram=[^ ]*' ' ram=0128MiB'
check ram-zero ":$raw: #E0 raw ram=0128MiB is not a number of MiB (decimal, 1 or more, no leading zero, then \"MiB\")"
rawmk dma32 ' dma32=[^ ]*' ' dma32=0x08000000'
check dma32 ":$raw: #E0 raw dma32=0x08000000 is not 0x and 16 upper-case hex digits"
rawmk dma32-prefix ' dma32=0x' ' dma32=00'
check dma32-prefix ":$raw: #E0 raw dma32=00$(field dma32 | cut -c3-) is not 0x and 16 upper-case hex digits"
rawmk raw-gap ' timer=[^ ]*' ''
check raw-gap ":$raw: #E0 raw line: column $(awk -v n="$raw" 'NR == n { print index($0, "console=") }' "$dir/raw-gap.log"): expected \"timer=\" (the CONTRACT's fields are code arch tier raw feat_mask intr timer console ram dma32, one space apart)"
rawmk raw-extra '$' ' extra=1'
check raw-extra ":$raw: #E0 raw line: column $(( ${#rawline} + 1 )): text after dma32="

## #E0 info: the raw line's facts, told again.
swap() { [ "$1" = "$2" ] && echo "$3" || echo "$2"; }
infomk() { mk "$1" sed "${info}s#$2#$3#"; }
a2=$(swap "$arch" arm_m x86_64)
infomk info-arch "\"$arch / " "\"$a2 / "
check info-arch ":$info: #E0 info says arch \"$a2\", the #E0 raw line (line $raw) says \"$arch\""
t2=$(swap "$tier" PC_UEFI HOSTED)
infomk info-tier " / $tier / " " / $t2 / "
check info-tier ":$info: #E0 info says tier \"$t2\", the #E0 raw line (line $raw) says \"$tier\""
i2=$(swap "$intr" GICV3 GICV2)
infomk info-intr " / $intr / " " / $i2 / "
check info-intr ":$info: #E0 info says intr \"$i2\", the #E0 raw line (line $raw) says \"$intr\""
c2=$(swap "$console" UART0 COM1)
infomk info-console " / $console / feats" " / $c2 / feats"
check info-console ":$info: #E0 info says console \"$c2\", the #E0 raw line (line $raw) says \"$console\""
infomk info-ram " / ram=$ram\"" " / ram=64MiB\""
[ "$ram" = 64MiB ] || check info-ram ":$info: #E0 info says ram \"ram=64MiB\", the #E0 raw line (line $raw) says \"ram=$ram\""
# The feature list, from feat_mask by the CONTRACT's bit names.
feats_of() {
	local m=$((16#$1)) out="" pair
	for pair in 1:SSE2 2:SSE3 4:SSE4.2 8:AVX 10:AVX2 20:SHA 100:NEON 200:FP 400:SHA2 800:CRC32 10000:MPU; do
		(( m & 16#${pair%%:*} )) && out+="${out:+,}${pair#*:}"
	done
	echo "${out:-none}"
}
feats=$(feats_of "$mask")
grep -qF "feats[$feats]" <<<"$infoline" || { echo "FAIL: the good log's info line does not list feats[$feats]"; failures=$((failures + 1)); }
infomk info-feats "feats\[$feats\]" "feats[MPU]"
check info-feats ":$info: #E0 info says feats[MPU], but feat_mask=$mask of the #E0 raw line (line $raw) gives feats[$feats]"
mask2=$(printf '%08X' $(( 16#$mask ^ 0x200 )))
rawmk feat-raw ' feat_mask=[^ ]*' " feat_mask=$mask2"
check feat-raw ":$info: #E0 info says feats[$feats], but feat_mask=$mask2 of the #E0 raw line (line $raw) gives feats[$(feats_of "$mask2")]"
infomk info-quotes '"' ''
check info-quotes ":$info: #E0 info line is not one quoted string"
infomk info-parts ' / ram=[^"]*"' '"'
check info-parts ":$info: #E0 info line is not \"ARCH / TIER / INTR / CONSOLE / feats[FEATURES] / ram=NMiB\""

## #E1: its format, and its console bits are the raw line's.
cons=$(sed -E -n "${e1}s/.* cons=([0-9A-F]{16}).*/\\1/p" "$good")
cons2=$(printf '%016X' $(( 16#$cons ^ 0x2 )))
mk e1-cons sed "${e1}s/cons=$cons/cons=$cons2/"
check e1-cons ":$e1: #E1 cons=$cons2, but the #E0 raw line (line $raw) says console=$console ($cons)"
mk e1-hex sed -E "${e1}s/ mem=[0-9A-F]/ mem=g/"
check e1-hex ":$e1: #E1 line: mem=$(sed -E -n "${e1}s/.* mem=([^ ]*).*/\\1/p" "$dir/e1-hex.log") is not 16 upper-case hex digits"

## The phenotype line: present, once, with its sha256.
mk pheno-missing grep -v '^#I phenotype '
check pheno-missing ": no \"#I phenotype NAME vMAJOR.MINOR sha256=<64 HEX>: ...\" line: the boot does not say which phenotype it proved"
mk pheno-nosha sed -E "${pheno}s/ sha256=[0-9A-F]{64}//"
check pheno-nosha ":$pheno: the #I phenotype line is not \"#I phenotype NAME vMAJOR.MINOR sha256=<64 HEX>: N channels, G genes, D devices\": column $(sed -n "${pheno}p" "$good" | awk '{ print length($1 " " $2 " " $3 " " $4) + 1 }'): expected \" sha256=\" and 64 upper-case hex digits"
mk pheno-builtin sed "${pheno}s/.*/#I phenotype minimal (built in): 1 channel, 1 gene/"
check pheno-builtin ":$pheno: the #I phenotype line is not \"#I phenotype NAME vMAJOR.MINOR sha256=<64 HEX>: N channels, G genes, D devices\": column 21: expected \" vMAJOR.MINOR\""
mk pheno-short sed -E "${pheno}s/(sha256=[0-9A-F]{63})[0-9A-F]/\\1/"
check pheno-short ":$pheno: the #I phenotype line is not \"#I phenotype NAME vMAJOR.MINOR sha256=<64 HEX>: N channels, G genes, D devices\": column $(awk -v n="$pheno" 'NR == n { print index($0, "sha256=") + 7 + 63 }' "$good"): expected 64 upper-case hex digits"
mk pheno-twice sed "${pheno}p"
check pheno-twice ":$((pheno + 1)): a second #I phenotype line (the first is line $pheno)"
sha=$(sed -E -n "${pheno}s/.* sha256=([0-9A-F]{64}).*/\\1/p" "$good")
name=$(sed -n "${pheno}p" "$good" | cut -d' ' -f3)
sha2=$(python3 -c 'import hashlib; print(hashlib.sha256(b"another phenotype").hexdigest().upper())')
mk pheno-unlisted sed "${pheno}s/$sha/$sha2/"
check pheno-unlisted ":$pheno: phenotype $name sha256=$sha2 is not in the ledger $ledger: these values are not evidence for it"

finish
