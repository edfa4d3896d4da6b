#!/usr/bin/env bash
# ./cellos debug: build a target, start it stopped, and attach gdb to it with
# the kernel's ELF, the source tree and a first breakpoint, in one command.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

usage() {
	cat <<'USAGE'
usage: ./cellos debug x86|arm64|hosted [OPTIONS] [-- GDB-ARGS...]

Builds the target, starts it waiting for gdb (QEMU -S on a free local
port; hosted: under gdb itself), attaches gdb-multiarch (boards) or gdb
(hosted) with the kernel ELF and the source tree, stops at the first
breakpoint and hands over. GDB-ARGS (e.g. -ex bt) run after that stop.

  --break FN        first breakpoint (default cell_boot; a hardware
                    breakpoint on the boards, which works before the MMU
                    maps the kernel)
  --batch           run gdb -batch -nx: GDB-ARGS, then quit and stop QEMU
                    (for tests and scripts)
  --port N          gdb port for QEMU (default: a free one)
  --timeout SECS    stop QEMU after SECS (default 0: never)
  --console FILE    where the board's console goes (default
                    build/debug/TARGET.console.log)
  --disk FILE       the board's data disk, kept between sessions (default:
                    build/disks/debug-TARGET.img, made fresh for each session,
                    since leaving gdb stops the machine wherever it is)
  --image FILE      another board image (its ELF: --elf, or NAME.elf beside it)
  --elf FILE        the ELF gdb loads (default: the image's)
  --no-build        use what is built (do not run ./cellos build first)
  -h, --help        this text
USAGE
}
die() { echo "cellos debug: $*" >&2; exit 1; }
need() { [ $# -ge 2 ] || die "$1 needs a value"; }

[ $# -ge 1 ] || { usage >&2; exit 1; }
case "$1" in
-h|--help) usage; exit 0 ;;
esac
target=$1; shift
case "$target" in
x86|arm64|hosted) ;;
*) usage >&2; die "unknown target '$target' (expected x86, arm64 or hosted)" ;;
esac

brk=cell_boot batch=0 port="" timeout=0 console="" disk="" image="" elf="" build=1
gdb_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--break) need "$@"; brk=$2; shift 2 ;;
	--break=*) brk=${1#*=}; shift ;;
	--batch) batch=1; shift ;;
	--port) need "$@"; port=$2; shift 2 ;;
	--port=*) port=${1#*=}; shift ;;
	--timeout) need "$@"; timeout=$2; shift 2 ;;
	--timeout=*) timeout=${1#*=}; shift ;;
	--console) need "$@"; console=$2; shift 2 ;;
	--console=*) console=${1#*=}; shift ;;
	--disk) need "$@"; disk=$2; shift 2 ;;
	--disk=*) disk=${1#*=}; shift ;;
	--image) need "$@"; image=$2; shift 2 ;;
	--image=*) image=${1#*=}; shift ;;
	--elf) need "$@"; elf=$2; shift 2 ;;
	--elf=*) elf=${1#*=}; shift ;;
	--no-build) build=0; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; gdb_args=("$@"); break ;;
	*) usage >&2; die "unknown option '$1' (gdb arguments go after --)" ;;
	esac
done
[ -n "$brk" ] || die "--break needs a function"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout '$timeout': expected a whole number of seconds"
if [ -n "$port" ]; then
	[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] ||
		die "--port '$port': expected a TCP port number (1..65535)"
fi
if [ "$target" = hosted ]; then
	for v in "$port" "$console" "$disk" "$image" "${timeout#0}"; do
		[ -z "$v" ] || die "hosted: --port, --timeout, --console, --disk and --image are for the boards"
	done
fi

# Build output goes to stderr: stdout is gdb's.
if [ "$build" = 1 ]; then
	"$top/cellos" build "$target" >&2
fi

# A breakpoint gdb cannot place would let the kernel run past it.
has_function() {
	nm "$1" 2>/dev/null | awk -v fn="$2" '$3 == fn { found = 1 } END { exit !found }'
}

# The DWARF names files ./DIR/FILE with comp_dir "build"
# (-ffile-prefix-map in cmake/CellosCommon.cmake): map that to the tree.
src_args=(-ex "set substitute-path build $top" -ex "directory $top")
batch_args=() end_args=()
[ "$batch" = 0 ] || batch_args=(-batch -nx)

if [ "$target" = hosted ]; then
	command -v gdb >/dev/null 2>&1 || die "gdb not found (./cellos deps installs it)"
	[ -n "$elf" ] || elf="$top/build/out/cellos-hosted"
	[ -x "$elf" ] || die "$elf: not built (drop --no-build)"
	has_function "$elf" "$brk" || die "--break $brk: no such function in $elf"
	exec gdb -q "${batch_args[@]}" "${src_args[@]}" \
		-ex "break $brk" -ex run "${gdb_args[@]}" \
		--args "$elf" --time=virtual
fi

command -v gdb-multiarch >/dev/null 2>&1 || die "gdb-multiarch not found (./cellos deps installs it)"
case "$target" in
x86) default_image="$top/build/out/cellos-x86_bios.img" default_elf="$top/build/out/cellos-x86.elf" ;;
arm64) default_image="$top/build/out/cellos-arm64.bin" default_elf="$top/build/out/cellos-arm64.elf" ;;
esac
if [ -z "$image" ]; then
	image=$default_image
	[ -n "$elf" ] || elf=$default_elf
elif [ -z "$elf" ]; then
	elf=${image%.*}.elf
fi
[ -f "$image" ] || die "$image: no such image (drop --no-build, or build it)"
[ -f "$elf" ] || die "$elf: no such ELF (give --elf)"
has_function "$elf" "$brk" || die "--break $brk: no such function in $elf"
[ -n "$console" ] || console="$top/build/debug/$target.console.log"
disk_args=(--disk "$disk")
if [ -z "$disk" ]; then
	disk_args=(--disk "$top/build/disks/debug-$target.img" --fresh-disk)
fi
mkdir -p "$(dirname "$console")"

# A free local port: the kernel picks one, we release it for QEMU.
if [ -z "$port" ]; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
		die "cannot find a free TCP port (give --port)"
fi

# QEMU in its own session, so one kill stops qemu-run, QEMU and the
# symbolizer; the runner's own --gdb would use the fixed port 1234.
setsid "$top/tools/qemu-run" "$target" --image "$image" --elf "$elf" \
	--timeout "$timeout" "${disk_args[@]}" -- -gdb "tcp:127.0.0.1:$port" -S \
	>"$console" 2>&1 </dev/null &
qemu_pid=$!
# setsid made qemu_pid its session's id (it ran in our process group, so it
# did not fork). timeout(1) inside qemu-run moves QEMU to a process group
# of its own, so stop the whole session, not one group.
# /proc, not procps (a minimal Debian has no pkill).
session_pids() {
	local d stat rest sid
	for d in /proc/[0-9]*; do
		stat=$(cat "$d/stat" 2>/dev/null) || continue
		rest=${stat##*) }
		read -r _ _ _ sid _ <<<"$rest"
		[ "$sid" = "$1" ] && echo "${d#/proc/}"
	done
	return 0
}
stop_qemu() {
	local pids
	pids=$(session_pids "$qemu_pid")
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
	wait "$qemu_pid" 2>/dev/null || true
}
trap stop_qemu EXIT
trap 'exit 130' INT TERM
echo "cellos debug: $target waits for gdb on 127.0.0.1:$port; console in $console" >&2

# A batch run ends the machine with gdb's kill (QEMU exits on it).
[ "$batch" = 0 ] || end_args=(-ex kill)
# gdb retries the connection while QEMU starts (set tcp auto-retry).
set +e
gdb-multiarch -q "${batch_args[@]}" "${src_args[@]}" \
	-ex "set tcp connect-timeout 20" \
	-ex "target remote 127.0.0.1:$port" \
	-ex "hbreak $brk" -ex continue "${gdb_args[@]}" "${end_args[@]}" "$elf"
status=$?
set -e
exit "$status"
