#!/usr/bin/env python3
"""trace-check.py [--proof] TRACE LOG: check obs-replay's --chrome-trace output.

Against the Trace Event Format (the JSON Object Format: a traceEvents array;
per phase the fields it requires; metadata events with their args), and
against what the trace must say about the boot in LOG: one time axis in
boot order (an event's ts is 1000 times the number of the console line it
came from, so every proof-line instant sits on its line and every record
event on a "#P" line), process_name/thread_name metadata for every track,
no pid or tid shared by two kinds of track, timestamps that never go back
on a track, B/E slices that pair up and nest, boot steps and gene quanta
that do not overlap; and with --proof (LOG is a real proof boot's, untouched), the
IRQ deliveries inside the E6 boot step and outside every gene quantum (the
proof phenotype's genes pop no events themselves).
Prints "ok: ..." and exits 0, or prints every problem and exits 1.
"""
import json
import sys

US_PER_LINE = 1000
PROOF_NAMES = [
    "#E0 raw", "#E0 info", "#E1 handoff", "#E2 PARCEL proof",
    "#E3/E4 CG proof", "#E5 ORG proof", "#E6 EVT proof", "#E7 UPD proof",
    "#E8 OBS proof", "#E9 SEC proof", "#E10 RELEASE proof",
    "FULL PROOF SUCCESS",
]
# The kind of track each category belongs to.
KIND = {"step": "boot", "proof": "boot", "sys": "boot", "gene": "gene",
        "irq": "irq", "event": "irq"}
META_ARG = {"process_name": "name", "process_labels": "labels",
            "process_sort_index": "sort_index", "thread_name": "name",
            "thread_sort_index": "sort_index"}

problems = []


def bad(msg):
    problems.append(msg)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def main():
    args = sys.argv[1:]
    proof_log = bool(args) and args[0] == "--proof"
    if proof_log:
        args = args[1:]
    if len(args) != 2 or args[0].startswith("-"):
        sys.exit("usage: trace-check.py [--proof] TRACE LOG")
    trace_path, log_path = args
    try:
        with open(trace_path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL: {trace_path}: not valid JSON: {e}")
        return 1
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    # line number (1-based) -> text
    text = {i + 1: t for i, t in enumerate(lines)}

    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        print(f"FAIL: {trace_path}: no traceEvents array")
        return 1
    if doc.get("displayTimeUnit", "ms") not in ("ms", "ns"):
        bad("displayTimeUnit is neither ms nor ns")
    events = doc["traceEvents"]
    if not events:
        bad("traceEvents is empty")

    process_names, thread_names = {}, {}
    tracks = {}            # (pid, tid) -> list of events in file order
    kinds_pid, kinds_tid = {}, {}
    for n, e in enumerate(events):
        where = f"event {n}"
        if not isinstance(e, dict):
            bad(f"{where}: not an object")
            continue
        ph = e.get("ph")
        if not isinstance(e.get("name"), str):
            bad(f"{where}: no string name")
        if not is_num(e.get("pid")) or not is_num(e.get("tid")):
            bad(f"{where}: pid and tid must be numbers")
            continue
        key = (e["pid"], e["tid"])
        if ph == "M":
            arg = META_ARG.get(e.get("name"))
            if arg is None:
                bad(f"{where}: unknown metadata event {e.get('name')!r}")
            elif not isinstance(e.get("args"), dict) or arg not in e["args"]:
                bad(f"{where}: metadata {e['name']} without args.{arg}")
            elif e["name"] == "process_name":
                if e["pid"] in process_names:
                    bad(f"{where}: pid {e['pid']} named twice")
                process_names[e["pid"]] = e["args"]["name"]
            elif e["name"] == "thread_name":
                if key in thread_names:
                    bad(f"{where}: thread {key} named twice")
                thread_names[key] = e["args"]["name"]
            continue
        if ph not in ("B", "E", "i", "I", "X"):
            bad(f"{where}: phase {ph!r} is not one obs-replay writes")
            continue
        if not is_num(e.get("ts")):
            bad(f"{where}: phase {ph} needs a numeric ts")
            continue
        if ph == "X" and not is_num(e.get("dur")):
            bad(f"{where}: phase X needs a numeric dur")
        if ph in ("i", "I") and e.get("s", "t") not in ("g", "p", "t"):
            bad(f"{where}: instant scope {e.get('s')!r} is not g, p or t")
        if "args" in e and not isinstance(e["args"], dict):
            bad(f"{where}: args is not an object")
        kind = KIND.get(e.get("cat"))
        if kind is None:
            bad(f"{where}: unknown category {e.get('cat')!r}")
            continue
        kinds_pid.setdefault(kind, set()).add(e["pid"])
        kinds_tid.setdefault(kind, set()).add(e["tid"])
        tracks.setdefault(key, []).append(e)
        # One axis, boot order: the event sits on the line it came from.
        line, rem = divmod(e["ts"], US_PER_LINE)
        if rem != 0 or line not in text:
            bad(f"{where}: ts {e['ts']} is not on a line of the log")
        elif e.get("cat") == "proof":
            if not text[line].startswith(e["name"]):
                bad(f"{where}: {e['name']!r} drawn at line {line}, which is "
                    f"{text[line][:40]!r}")
        elif ph == "B" and not text[line].startswith("#P "):
            bad(f"{where}: {e['name']!r} begins at line {line}, not a #P line")

    # Metadata for every process and thread that carries events.
    for pid in {k[0] for k in tracks}:
        if pid not in process_names:
            bad(f"pid {pid} has events but no process_name")
    for key in tracks:
        if key not in thread_names:
            bad(f"thread {key} has events but no thread_name")
    # No id shared by two kinds of track.
    kinds = sorted(kinds_pid)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            if kinds_pid[a] & kinds_pid[b]:
                bad(f"pid {sorted(kinds_pid[a] & kinds_pid[b])} used by {a} and {b}")
            if kinds_tid[a] & kinds_tid[b]:
                bad(f"tid {sorted(kinds_tid[a] & kinds_tid[b])} used by {a} and {b}")
    # A thread name names one thread.
    seen = {}
    for key, name in thread_names.items():
        if name in seen:
            bad(f"threads {seen[name]} and {key} are both named {name!r}")
        seen[name] = key

    # Per track: ts never goes back; B/E pair up and nest.
    slices = {}            # category -> list of (begin, end, name)
    for key, evs in tracks.items():
        last, stack = None, []
        for e in evs:
            if last is not None and e["ts"] < last:
                bad(f"thread {key}: ts goes back from {last} to {e['ts']}")
            last = e["ts"]
            if e["ph"] == "B":
                stack.append(e)
            elif e["ph"] == "E":
                if not stack:
                    bad(f"thread {key}: E at {e['ts']} with no open B")
                    continue
                b = stack.pop()
                if "name" in e and e["name"] != b["name"]:
                    bad(f"thread {key}: E {e['name']!r} closes B {b['name']!r}")
                slices.setdefault(b.get("cat"), []).append(
                    (b["ts"], e["ts"], b["name"]))
        if stack:
            bad(f"thread {key}: {len(stack)} B without E")

    # The proof lines appear once each, at their own lines, in boot order.
    proof = [e for e in events if isinstance(e, dict) and e.get("cat") == "proof"]
    names = [e["name"] for e in proof]
    for name in PROOF_NAMES:
        want = [i + 1 for i, t in enumerate(lines) if t.startswith(name)]
        if len(want) == 1 and names.count(name) != 1:
            bad(f"proof line {name!r} (log line {want[0]}) is not in the trace once")
    order = [PROOF_NAMES.index(n) for n in names if n in PROOF_NAMES]
    if order != sorted(order):
        bad(f"proof lines out of boot order: {names}")

    # A proof boot delivers its IRQs while serving E6, never in a quantum.
    irq_ts = [e["ts"] for e in events if isinstance(e, dict) and e.get("cat") == "irq"]
    e6 = [s for s in slices.get("step", []) if s[2].startswith("E6")]
    quanta = sorted(slices.get("gene", []))
    if not proof_log:
        pass
    elif irq_ts and len(e6) == 1:
        for ts in irq_ts:
            if not e6[0][0] <= ts <= e6[0][1]:
                bad(f"IRQ at {ts} outside the E6 step {e6[0][:2]}")
    elif irq_ts:
        bad(f"{len(e6)} E6 boot steps in the trace, expected one")
    for ts in irq_ts if proof_log else []:
        for b, e, name in quanta:
            if b < ts < e:
                bad(f"IRQ at {ts} inside the quantum {name} [{b}, {e}]")
                break
    # One gene runs at a time: no two quanta overlap.
    for (b1, e1, n1), (b2, e2, n2) in zip(quanta, quanta[1:]):
        if e1 > b2:
            bad(f"quanta {n1!r} [{b1}, {e1}] and {n2!r} [{b2}, {e2}] overlap")
            break
    steps = sorted(slices.get("step", []))
    for (b1, e1, n1), (b2, e2, n2) in zip(steps, steps[1:]):
        if e1 > b2:
            bad(f"boot steps {n1!r} and {n2!r} overlap")

    if problems:
        for p in problems:
            print(f"FAIL: {trace_path}: {p}")
        return 1
    print(f"ok: {len(events)} events, {len(tracks)} tracks, "
          f"{len(quanta)} quanta, {len(irq_ts)} IRQs, {len(steps)} boot steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
