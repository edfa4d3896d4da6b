#!/usr/bin/env python3
"""import-cycles.py BUILD-DIR -- the call graph between the kernel's files
(core/, genes/ and wire/ objects of a hosted build tree, an edge A -> B
when A's object uses a symbol B's defines) must have no cycle: every file
sits above the ones it calls. Prints each cycle found and exits 1, else
exits 0 with the number of files checked. Part of ./cellos lint."""
import glob
import os
import subprocess
import sys

def main():
    if len(sys.argv) != 2:
        sys.exit("usage: import-cycles.py BUILD-DIR")
    top = sys.argv[1]
    objs = glob.glob(os.path.join(top, "core/CMakeFiles/cellos_core.dir/**/*.o"), recursive=True)
    objs += glob.glob(os.path.join(top, "wire/CMakeFiles/cellos_wire.dir/*.o"))
    if not objs:
        sys.exit("import-cycles.py: no kernel objects under %s (build it first)" % top)
    defs, used = {}, {}
    for o in objs:
        name = os.path.relpath(o, top).split(".dir/")[-1].replace("__/", "")[:-2]
        used[name] = set()
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 2 and f[0] == "U":
                used[name].add(f[1])
            elif len(f) == 3 and f[1] in "TDRBC":
                defs[f[2]] = name
    graph = {m: {defs[s] for s in syms if s in defs and defs[s] != m} for m, syms in used.items()}
    index, low, stack, on, cycles = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in cycles:
        print("import cycle among: " + ", ".join(comp))
        for a in comp:
            print("  %s -> %s" % (a, ", ".join(sorted(b for b in graph[a] if b in comp))))
    if cycles:
        sys.exit(1)
    print("no import cycle among %d kernel files" % len(graph))

main()
