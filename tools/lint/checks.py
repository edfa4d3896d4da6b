#!/usr/bin/env python3
"""checks.py CHECK ROOT -- the source checks of tools/lint/lint.sh.

CHECK is one of:
  include-c    no file #includes a .c file (every *.c *.h *.S *.inc under
               arch core genes wire include tools tests fuzz)
  target       core/, genes/ and wire/ never test which target they are
               built for: no #if/#ifdef/#ifndef/#elif on a target, CPU or
               OS macro, no CMake line on CELLOS_TARGET or the system
  format-attr  every function whose last named parameter before "..." is a
               char * (a printf-like variadic function) carries
               __attribute__((format(printf, N, N+1))) with N that
               parameter's position, on its definition or on a declaration
               in the same file or in a header
Each finding is printed as FILE:LINE: message (FILE relative to ROOT); the
exit status is 1 if there was a finding, 0 if none, 2 on bad usage.
"""
import os
import re
import sys

DIRS = ("arch", "core", "genes", "wire", "include", "tools", "tests", "fuzz")
TARGET_DIRS = ("core", "genes", "wire")

# Macros that name a target, an ISA, an ISA extension or an OS.
TARGET_MACROS = re.compile(
    r"\b(CELLOS_TARGET\w*|CELLOS_BOARD\w*|__x86_64__|__x86_64|__amd64__|"
    r"__amd64|__i386__|__i386|__i686__|_M_X64|_M_IX86|_M_AMD64|_M_ARM\w*|"
    r"__aarch64__|__arm64__|__arm__|__ARM_ARCH\w*|__ARM_NEON\w*|"
    r"__ARM_FEATURE_\w*|__thumb\w*|__riscv\w*|__mips\w*|__powerpc\w*|"
    r"__ppc\w*|__linux__|__linux|__gnu_linux__|linux|__unix__|__unix|"
    r"__APPLE__|__MACH__|_WIN32|_WIN64|__CYGWIN__|__FreeBSD__|__OpenBSD__|"
    r"__NetBSD__|__ELF__|__SSE\w*|__AVX\w*|__SHA__|__PCLMUL__|__AES__)\b")
CMAKE_TARGET = re.compile(
    r"\b(CELLOS_TARGET|CELLOS_BOARD\w*|CMAKE_SYSTEM_PROCESSOR|"
    r"CMAKE_SYSTEM_NAME|CMAKE_HOST_SYSTEM\w*|CMAKE_C_COMPILER_TARGET|"
    r"CMAKE_CROSSCOMPILING)\b")


def walk(root, dirs, exts):
    out = []
    for d in dirs:
        top = os.path.join(root, d)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(n for n in dirnames
                                 if n != "build" and not n.startswith("build-"))
            for n in sorted(filenames):
                if n.endswith(exts):
                    out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8",
              errors="surrogateescape") as f:
        return f.read()


def blank(m):
    """The match with every character but a newline turned into a space."""
    return re.sub(r"[^\n]", " ", m.group(0))


# Comments, then string and character literals (kept as "" / '' so that the
# shape of the code stays), in one pass so that each hides the others.
LEXEMES = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'",
                     re.S)


def strip(text):
    def repl(m):
        s = m.group(0)
        if s[0] in "\"'":
            return s[0] + " " * (len(s) - 2) + s[0]
        return blank(m)
    return LEXEMES.sub(repl, text)


def logical_lines(text):
    """(first line number, joined text) of each line, continuations joined."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start, buf = i + 1, lines[i]
        while buf.endswith("\\") and i + 1 < len(lines):
            i += 1
            buf = buf[:-1] + " " + lines[i]
        yield start, buf
        i += 1


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def check_include_c(root):
    found = []
    inc = re.compile(r'^\s*#\s*include\s*([<"])([^">]*\.c)[">]')
    for rel in walk(root, DIRS, (".c", ".h", ".S", ".inc")):
        text = strip_keep_includes(read(root, rel))
        for n, line in enumerate(text.split("\n"), 1):
            m = inc.match(line)
            if m:
                found.append("%s:%d: #include of a .c file (%s): build it as "
                             "its own object or move what is shared into a "
                             "header" % (rel, n, m.group(2)))
    return found


def strip_keep_includes(text):
    """Comments removed, string literals kept (an #include names a file)."""
    return re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)


def check_target(root):
    found = []
    cond = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif)\b(.*)")
    for rel in walk(root, TARGET_DIRS, (".c", ".h", ".S", ".inc")):
        for n, line in logical_lines(strip(read(root, rel))):
            m = cond.match(line)
            if not m:
                continue
            t = TARGET_MACROS.search(m.group(2))
            # CELLOS_BOARD_CONFIG names a board's capacity profile header
            # (core/config.h): a value, not a test of which target it is.
            while t and t.group(1) == "CELLOS_BOARD_CONFIG":
                t = TARGET_MACROS.search(m.group(2), t.end())
            if t:
                found.append("%s:%d: #%s on %s: %s/ does not know which "
                             "target it runs on (put it behind a hal_* call "
                             "or a CFG_ knob set in arch/)"
                             % (rel, n, m.group(1), t.group(1),
                                rel.split("/")[0]))
    for rel in walk(root, TARGET_DIRS, ("CMakeLists.txt", ".cmake")):
        for n, line in enumerate(read(root, rel).split("\n"), 1):
            code = line.split("#", 1)[0]
            t = CMAKE_TARGET.search(code)
            if t:
                found.append("%s:%d: %s: %s/ is built the same for every "
                             "target (per-target settings belong in arch/ "
                             "or cmake/)" % (rel, n, t.group(1),
                                             rel.split("/")[0]))
    return found


# A function declarator whose parameter list ends in "...".
VARIADIC = re.compile(r"\b([A-Za-z_]\w*)\s*\(([^()]*?)\.\.\.\s*\)")
# format(printf, N, M) inside an __attribute__((...)), among other attributes.
FORMAT_ATTR = re.compile(
    r"__attribute__\s*\(\([^;{}]*?\b(?:__)?format(?:__)?\s*\(\s*(?:__)?(?:gnu_)?"
    r"printf(?:__)?\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")
KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "defined"}


def printf_macros(texts):
    """Names of macros whose body is a printf format attribute."""
    names = set()
    define = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?(.*)")
    for text in texts.values():
        for _, line in logical_lines(text):
            m = define.match(line)
            if m and re.search(r"format\s*\(\s*(?:__)?(?:gnu_)?printf", m.group(3)):
                names.add(m.group(1))
    return names


def without_directives(text):
    """Preprocessor lines (with their continuations) blanked."""
    out, cont = [], False
    for line in text.split("\n"):
        if cont or re.match(r"^\s*#", line):
            cont = line.endswith("\\")
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


def check_format_attr(root):
    files = walk(root, DIRS, (".c", ".h"))
    texts = {rel: strip(read(root, rel)) for rel in files}
    macros = printf_macros(texts)
    macro_re = re.compile(r"\b(%s)\s*\(" % "|".join(sorted(macros))) if macros else None
    decls = []  # (rel, line, name, fmt position, attribute state)
    for rel, text in texts.items():
        code = without_directives(text)
        for m in VARIADIC.finditer(code):
            name, params = m.group(1), m.group(2)
            if name in KEYWORDS:
                continue
            named = [p.strip() for p in params.split(",")][:-1]
            if not named or not re.search(r"\bchar\b[^,]*\*\s*(?:const\s+)?\w*$", named[-1]):
                continue
            pos = len(named)
            # The declaration: back to the end of the previous one, on to
            # the start of the body or the ";".
            begin = max(code.rfind(";", 0, m.start()), code.rfind("}", 0, m.start()),
                        code.rfind("{", 0, m.start())) + 1
            ends = [i for i in (code.find(";", m.end()), code.find("{", m.end())) if i >= 0]
            end = min(ends) if ends else len(code)
            span = code[begin:end]
            attr = FORMAT_ATTR.search(span)
            if attr:
                state = (int(attr.group(1)), int(attr.group(2)))
            elif macro_re and macro_re.search(span):
                state = "macro"
            else:
                state = None
            decls.append((rel, line_of(code, m.start(1)), name, pos, state))
    found = []
    for rel, line, name, pos, state in decls:
        if isinstance(state, tuple) and state != (pos, pos + 1):
            found.append("%s:%d: %s: format(printf, %d, %d) does not match its "
                         "parameters (the format is parameter %d: "
                         "format(printf, %d, %d))"
                         % (rel, line, name, state[0], state[1], pos, pos, pos + 1))
    reported = set()
    for rel, line, name, pos, state in decls:
        if state is not None or (rel, name) in reported:
            continue
        ok = any(s is not None and n == name and (r == rel or r.endswith(".h"))
                 for r, _, n, _, s in decls)
        if not ok:
            reported.add((rel, name))
            found.append("%s:%d: %s is printf-like (a char * format, then ...) "
                         "but has no __attribute__((format(printf, %d, %d)))"
                         % (rel, line, name, pos, pos + 1))
    return found


def kernel_objects(build):
    """{name: object path}, named as tools/import-cycles.py names them."""
    import glob
    objs = glob.glob(os.path.join(build, "core/CMakeFiles/cellos_core.dir/**/*.o"),
                     recursive=True)
    objs += glob.glob(os.path.join(build, "wire/CMakeFiles/cellos_wire.dir/*.o"))
    return {os.path.relpath(o, build).split(".dir/")[-1].replace("__/", "")[:-2]: o
            for o in objs}


def nm(obj):
    import subprocess
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defs, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == "U":
            used.add(f[1])
        elif len(f) == 3 and f[1] in "TDRBC":
            defs.add(f[2])
    return defs, used


def source_of(root, name):
    for cand in (os.path.join("core", name), os.path.join("wire", name), name):
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def first_use(code, syms):
    """(line, symbol) of the first use of one of syms inside a body (braces),
    else of the first mention at all (a declaration); None if neither."""
    if not syms:
        return None
    pat = re.compile(r"[{}]|\b(%s)\b" % "|".join(re.escape(s) for s in syms))
    depth, outside = 0, None
    for m in pat.finditer(code):
        if m.group(0) == "{":
            depth += 1
        elif m.group(0) == "}":
            depth = max(depth - 1, 0)
        elif depth > 0:
            return line_of(code, m.start()), m.group(1)
        elif outside is None:
            outside = (line_of(code, m.start()), m.group(1))
    return outside


def check_cycles(root, build):
    """tools/import-cycles.py on BUILD, each edge of a cycle then named by
    the first line of the caller's source that uses a callee's symbol."""
    import subprocess
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "import-cycles.py")
    r = subprocess.run([sys.executable, tool, build], capture_output=True, text=True)
    if r.returncode == 0:
        return []
    if not r.stdout.strip():
        # Not a cycle: the tool itself refused (no objects, say).
        return ["%s: %s" % (build, (r.stderr or r.stdout).strip() or
                            "import-cycles.py failed (status %d)" % r.returncode)]
    objs = kernel_objects(build)
    found = []
    for line in r.stdout.splitlines():
        m = re.match(r"^  (\S+) -> (.*)$", line)
        if not m:
            continue
        caller = m.group(1)
        _, used = nm(objs[caller])
        src = source_of(root, caller)
        code = without_directives(strip(read(root, src))) if src else ""
        for callee in (c.strip() for c in m.group(2).split(",")):
            syms = sorted(used & nm(objs[callee])[0])
            where = first_use(code, syms)
            if where:
                found.append("%s:%d: import cycle: %s uses %s of %s, which "
                             "reaches back to %s" % (src, where[0], caller,
                                                     where[1], callee, caller))
            else:
                found.append("%s: import cycle: %s uses %s of %s, which "
                             "reaches back to %s" % (src or caller, caller,
                                                     ", ".join(syms) or "?",
                                                     callee, caller))
    return found or [r.stdout.strip()]


CHECKS = {"include-c": check_include_c, "target": check_target,
          "format-attr": check_format_attr}


def main():
    if len(sys.argv) == 2 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if sys.argv[1:2] == ["cycles"] and len(sys.argv) == 4:
        root, build = sys.argv[2], sys.argv[3]
    elif len(sys.argv) == 3 and sys.argv[1] in CHECKS:
        root, build = sys.argv[2], None
    else:
        sys.stderr.write("usage: checks.py include-c|target|format-attr ROOT\n"
                         "       checks.py cycles ROOT BUILD-DIR\n")
        return 2
    if not os.path.isdir(root):
        sys.stderr.write("checks.py: %s: no such directory\n" % root)
        return 2
    found = check_cycles(root, build) if build else CHECKS[sys.argv[1]](root)
    for f in found:
        print(f)
    return 1 if found else 0


sys.exit(main())
