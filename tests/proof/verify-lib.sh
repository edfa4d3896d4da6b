# verify-lib.sh -- sourced by the verify-proofs tests: good fixtures made from
# real proof logs, a ledger for them, and the assertions.
#
# Everything the verifier recomputes is recomputed here a second way, in
# Python with hashlib, from the CONTRACT's recipes: the E10 tag (SHA-256,
# first four bytes little-endian, over every field the E2..E9 lines print,
# in print order, each as u32 LE) and the phenotype line's sha256.

failures=0

# fixture IN OUT: a copy of the proof log IN that today's verifier must
# accept: its "#I phenotype" line given a sha256= when the kernel did not
# print one (a real kernel's line is kept as it is), then E10 recomputed.
# The one #W line a board prints when the harness gave it no disk is
# dropped (with a note): these tests are about the verifier, and whether
# the boots are evidence is proof.verify's question. Any other #W stays,
# and the good fixture is then refused.
fixture() {
	python3 - "$1" "$2" <<'PY'
import hashlib, re, sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src, 'rb').read().decode('ascii')
out = []
for line in text.split('\n'):
    if line == '#W disk: none on this machine; E7 runs in RAM':
        print('note: %s: dropped "%s" (the board had no disk)' % (src, line))
        continue
    m = re.match(r'#I phenotype (\S+) (v\d+\.\d+): (.*)$', line)
    if m and ' sha256=' not in line:
        sha = hashlib.sha256(('verify fixture phenotype ' + m.group(1)).encode()).hexdigest().upper()
        line = '#I phenotype %s %s sha256=%s: %s' % (m.group(1), m.group(2), sha, m.group(3))
    out.append(line)
open(dst, 'wb').write('\n'.join(out).encode('ascii'))
PY
	retag "$2"
}

# e10 FILE [old]: the E10 tag of FILE's E2..E9 lines, recomputed: over every
# field (or, with "old", only the first two of each line: the recipe before
# CONTRACT.md said "every value").
e10() {
	python3 - "$1" "${2:-}" <<'PY'
import hashlib, re, struct, sys
path, old = sys.argv[1], sys.argv[2] == 'old'
words = b''
for line in open(path, 'rb').read().decode('ascii', 'replace').split('\n'):
    m = re.match(r'#E(2|3/E4|5|6|7|8|9) [A-Z]+ proof: (.*)$', line)
    if not m:
        continue
    fields = re.findall(r'(?:^| )([a-z0-9_]+)=([0-9A-F]{8})(?= |$)', m.group(2))
    for name, value in (fields[:2] if old else fields):
        words += struct.pack('<I', int(value, 16))
print('%08X' % struct.unpack('<I', hashlib.sha256(words).digest()[:4])[0])
PY
}

# retag FILE: rewrite FILE's E10 tag= with the recomputed one, so that a
# change to E2..E9 made by a test shows only the problem it is about.
retag() {
	local tag
	tag=$(e10 "$1")
	sed -i -E "s/^(#E10 RELEASE proof: tag=)[0-9A-F]{8}/\\1$tag/" "$1"
}

# make_ledger OUT LOG...: a ledger for LOGs, written here, not by the tool:
# $LEDGER_HEADER (default "# a test ledger"), one phenotype line per
# distinct phenotype in name order, then the first log's values.
make_ledger() {
	local out=$1
	shift
	python3 - "$out" "$@" <<'PY'
import re, sys
out, logs = sys.argv[1], sys.argv[2:]
tags = {'2': 'E2', '3/E4': 'E3', '5': 'E5', '6': 'E6', '7': 'E7', '8': 'E8',
        '9': 'E9', '10': 'E10'}
phenos, values = {}, []
for i, path in enumerate(logs):
    for line in open(path, 'rb').read().decode('ascii', 'replace').split('\n'):
        m = re.match(r'#I phenotype (\S+) v\d+\.\d+ sha256=([0-9A-F]{64}):', line)
        if m:
            phenos[m.group(1)] = m.group(2)
        m = re.match(r'#E(2|3/E4|5|6|7|8|9|10) [A-Z]+ proof: (.*)$', line)
        if m and i == 0:
            for name, value in re.findall(r'([a-z0-9_]+)=([0-9A-F]{8})', m.group(2)):
                values.append('%s %s=%s' % (tags[m.group(1)], name, value))
import os
with open(out, 'w') as f:
    f.write(os.environ.get('LEDGER_HEADER', '# a test ledger\n'))
    for name in sorted(phenos):
        f.write('phenotype %s sha256=%s\n' % (name, phenos[name]))
    for v in values:
        f.write(v + '\n')
PY
}

# line_of PATTERN FILE: the number of the first line matching the ERE.
line_of() {
	grep -nE -m 1 "$1" "$2" | cut -d: -f1
}

# refused NAME MESSAGE ARGS...: verify-proofs ARGS must exit 1 and print
# MESSAGE, exactly, as one line of its stderr.
refused() {
	exits "$1" 1 "$2" "${@:3}"
}

# exits NAME STATUS MESSAGE ARGS...: verify-proofs ARGS must exit STATUS
# and print MESSAGE, exactly, as one line of its stderr.
exits() {
	local name=$1 want=$2 message=$3 status=0 err
	shift 3
	err=$("$verify" "$@" 2>&1 >/dev/null) || status=$?
	if [ "$status" != "$want" ]; then
		echo "FAIL: $name: exit status $status, expected $want"
		[ -z "$err" ] || echo "$err"
		failures=$((failures + 1))
		return
	fi
	if ! grep -qFx -- "$message" <<<"$err"; then
		echo "FAIL: $name: expected the line"
		echo "    $message"
		echo "  in:"
		sed 's/^/    /' <<<"$err"
		failures=$((failures + 1))
		return
	fi
	echo "ok: $name: $message"
}

# accepted NAME ARGS...: verify-proofs ARGS must exit 0.
accepted() {
	local name=$1 status=0 err
	shift
	err=$("$verify" "$@" 2>&1 >/dev/null) || status=$?
	if [ "$status" != 0 ]; then
		echo "FAIL: $name: exit status $status, expected 0:"
		sed 's/^/    /' <<<"$err"
		failures=$((failures + 1))
		return
	fi
	echo "ok: $name: accepted"
}

# same_verdict NAME LOG...: LOGs in this order and in the reverse order
# give the same exit status and the same number of problems.
same_verdict() {
	local name=$1 fwd=0 rev=0 a b i
	local -a logs=("${@:2}") back=()
	for ((i = ${#logs[@]} - 1; i >= 0; i--)); do back+=("${logs[i]}"); done
	a=$("$verify" "${logs[@]}" 2>&1 >/dev/null) || fwd=$?
	b=$("$verify" "${back[@]}" 2>&1 >/dev/null) || rev=$?
	a=$(tail -n 1 <<<"$a") b=$(tail -n 1 <<<"$b")
	if [ "$fwd" != "$rev" ] || [ "$a" != "$b" ]; then
		echo "FAIL: $name: in order: status $fwd, \"$a\"; reversed: status $rev, \"$b\""
		failures=$((failures + 1))
		return
	fi
	echo "ok: $name: the same verdict both ways (status $fwd${a:+, $a})"
}

finish() {
	[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
	echo "all checks passed"
}

# e8 FILE: "entries=XXXXXXXX obs_hash=XXXXXXXX" recomputed from the #P lines
# before FILE's E8 line (each taken to decode: the tests change records
# only in ways that keep them decodable, or drop them whole).
e8() {
	python3 - "$1" <<'PY'
import hashlib, struct, sys
h, n = hashlib.sha256(), 0
for line in open(sys.argv[1], 'rb').read().decode('ascii', 'replace').split('\n'):
    if line.startswith('#E8 '):
        break
    if line.startswith('#P '):
        h.update(bytes.fromhex(line[3:]))
        n += 1
print('entries=%08X obs_hash=%08X' % (n, struct.unpack('<I', h.digest()[:4])[0]))
PY
}
