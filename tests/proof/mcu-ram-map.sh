#!/usr/bin/env bash
# mcu-ram-map.sh MACHINE -- the RAM of a QEMU MPS2 machine as QEMU itself
# lays it out (HMP "info mtree -f" over QMP, the flat view of the CPU's
# address space), one "BASE END" line (hex, END inclusive) per RAM block
# at its lowest address: a later range of the same block is a mirror and
# is left out. This is what the kernel's RAM probe must find.
set -euo pipefail
machine=$1
qmp=$(printf '%s\n' '{"execute":"qmp_capabilities"}' \
	'{"execute":"human-monitor-command","arguments":{"command-line":"info mtree -f"}}' \
	'{"execute":"quit"}' |
	timeout 30 qemu-system-arm -M "$machine" -display none -serial null -S \
		-qmp stdio 2>/dev/null) || { echo "mcu-ram-map: QEMU -M $machine failed" >&2; exit 1; }
QMP=$qmp python3 - <<'PY'
import json, os, re, sys
text = None
for line in os.environ["QMP"].splitlines():
    line = line.strip()
    if line:
        msg = json.loads(line)
        if isinstance(msg.get("return"), str):
            text = msg["return"].replace("\r", "")
if text is None:
    sys.exit("mcu-ram-map: no info mtree output from QEMU")
# QEMU numbers the flat views differently from run to run: take the one
# that serves the CPU's address space.
views = [v for v in re.split(r"^FlatView #\d+", text, flags=re.M)
         if 'AS "cpu-memory-0"' in v]
if len(views) != 1:
    sys.exit("mcu-ram-map: %d flat views serve cpu-memory-0" % len(views))
seen = set()
for m in re.finditer(r"^\s*([0-9a-f]+)-([0-9a-f]+) \(prio [-0-9]+, ram\): (\S+)",
                     views[0], re.M):
    lo, hi, name = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
    if name not in seen:
        seen.add(name)
        print("%08X %08X" % (lo, hi))
PY
