#!/usr/bin/env bash
# release.sh [--out DIR]: a reproducible release of this source tree.
#
# Builds every target (Release, no debug info) in DIR/build/ with
# SOURCE_DATE_EPOCH, LC_ALL=C, TZ=UTC and a fixed umask, boots each to its
# proof, verifies the logs, and writes to DIR (default build/release):
#   cellos-<VERSION>/            the images, ELFs, phenotypes, proof logs,
#                                MANIFEST.txt (sha256sum -c) and BUILDINFO.json
#   cellos-<VERSION>.tar.gz      that directory, tarred deterministically
# Two releases of one tree in two different directories give the same
# tarball byte for byte (tests/release checks it).
#
# Signing (docs/RELEASE.md): --key FILE, an Ed25519 private key (PEM), is
# the release's root key: every image trusts its public half (CMake
# CELLOS_ROOT_KEY, id --key-id, default 0) and the build signs with it
# (CELLOS_SIGNING_KEY): the x86 boot image (stage2 verifies it) and every
# phenotype (the kernel verifies them). The public TEST-ONLY keys of keys/
# are refused unless --test-key is given; --test-key alone makes a test
# release signed with keys/TEST-ONLY-root.pem. One of the two is required.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$top/build/release"
key="" key_id=0 test_key=0 out_given=""
usage="usage: ./cellos release [--out DIR] (--key FILE [--key-id N] [--test-key] | --test-key)"
while [ $# -gt 0 ]; do
	case "$1" in
	--out) [ $# -ge 2 ] || { echo "release: --out needs a directory" >&2; exit 2; }
		out_given=$2; shift 2 ;;
	--out=?*) out_given=${1#--out=}; shift ;;
	--key) [ $# -ge 2 ] || { echo "release: --key needs a file" >&2; exit 2; }
		key=$2; shift 2 ;;
	--key=?*) key=${1#--key=}; shift ;;
	--key-id) [ $# -ge 2 ] || { echo "release: --key-id needs a number" >&2; exit 2; }
		key_id=$2; shift 2 ;;
	--key-id=?*) key_id=${1#--key-id=}; shift ;;
	--test-key) test_key=1; shift ;;
	-h|--help) echo "$usage"; exit 0 ;;
	*) echo "release: unknown option '$1'" >&2; echo "$usage" >&2; exit 2 ;;
	esac
done
[[ "$key_id" =~ ^[0-9]+$ ]] && [ "${#key_id}" -le 10 ] && [ "$key_id" -le 4294967295 ] ||
	{ echo "release: --key-id '$key_id': expected a number from 0 to 4294967295" >&2; exit 2; }
if [ -z "$key" ]; then
	[ "$test_key" = 1 ] || { echo "release: give --key FILE (the Ed25519 private key the release is signed with and its images trust), or --test-key for a test release signed with the public keys/TEST-ONLY-root.pem" >&2; echo "$usage" >&2; exit 2; }
	key="$top/keys/TEST-ONLY-root.pem"
	[ "$key_id" = 0 ] || { echo "release: --key-id goes with --key (the test root is id 0)" >&2; exit 2; }
fi
[ -r "$key" ] || { echo "release: --key $key: no such readable file" >&2; exit 1; }
key=$(cd "$(dirname "$key")" && pwd)/$(basename "$key")
# rawpub PEM: the 32-byte Ed25519 public key as hex, or nothing.
rawpub() {
	openssl pkey -passin pass: -in "$1" -pubout -outform DER 2>/dev/null |
		od -An -v -tx1 | tr -d ' \n' | sed -n 's/^302a300506032b6570032100//p'
}
grep -q -- '-----BEGIN PRIVATE KEY-----' "$key" ||
	{ echo "release: --key $key: not an unencrypted PKCS#8 PEM private key (cellos-sign keygen writes one); the release is signed with it" >&2; exit 1; }
pub=$(rawpub "$key")
[ "${#pub}" = 64 ] || { echo "release: --key $key: not an Ed25519 private key openssl reads" >&2; exit 1; }
for t in "$top"/keys/TEST-ONLY-*.pem; do
	if [ "$(rawpub "$t")" = "$pub" ] && [ "$test_key" != 1 ]; then
		echo "release: --key $key is the public TEST-ONLY key keys/$(basename "$t") (keys/README.md): anyone can sign with it, so a release signed with it protects nothing; give --test-key for a test release" >&2
		exit 1
	fi
done
[ -z "$out_given" ] || out=$(mkdir -p "$out_given" && cd "$out_given" && pwd)
key_args=(-DCELLOS_ROOT_KEY="$key" -DCELLOS_SIGNING_KEY="$key" -DCELLOS_ROOT_KEY_ID="$key_id")

export LC_ALL=C TZ=UTC
umask 022
pinned=$(sed -n 's/^set(CELLOS_PINNED_EPOCH \([0-9]*\))$/\1/p' "$top/cmake/CellosCommon.cmake")
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$pinned}
version=$(head -n 1 "$top/VERSION")
name="cellos-$version"
work="$out/build"
stage="$out/$name"
say() { printf 'release: %s\n' "$*" >&2; }

rm -rf "$work" "$stage" "$out/$name.tar.gz"
mkdir -p "$work" "$stage"/{images,phenotypes,proofs,tools}

build() {	# build PRESET DIR EXTRA-CMAKE-ARGS...
	local preset=$1 dir=$2; shift 2
	say "building $preset"
	cmake -S "$top" --preset "$preset" -B "$dir" -DCMAKE_BUILD_TYPE=Release \
		-DCELLOS_OUT_DIR="$work/out" -DCELLOS_TESTS=OFF "$@" >"$dir.configure.log" 2>&1 ||
		{ cat "$dir.configure.log" >&2; exit 1; }
	cmake --build "$dir" -- -j"$(nproc 2>/dev/null || echo 2)" >"$dir.build.log" 2>&1 ||
		{ tail -n 40 "$dir.build.log" >&2; exit 1; }
}
say "root key: $pub (id $key_id)$([ "$test_key" = 1 ] && echo ', test keys allowed')"
# The hosted image accepts unsigned phenotypes (a development target), but
# the release's .pbin files are signed all the same.
build hosted "$work/hosted" "${key_args[@]}" -DCELLOS_SIGN_PHENOTYPES=ON
build bios-x86_64 "$work/bios-x86_64" -DCELLOS_HOST_TOOLS="$work/hosted/bin" "${key_args[@]}"
build virt-arm64 "$work/virt-arm64" -DCELLOS_HOST_TOOLS="$work/hosted/bin" "${key_args[@]}"
# The UEFI image boots the kernel just built for bios-x86_64, byte for byte.
build uefi-x86_64 "$work/uefi-x86_64" -DCELLOS_HOST_TOOLS="$work/hosted/bin" \
	-DCELLOS_X86_KERNEL="$work/out/cellos-x86.elf" "${key_args[@]}"

say "booting each target to its proof"
# Fresh proof disks are provisioned (the TEST device secret, the proof
# inbox) by this release's own cellos-provision.
export CELLOS_PROVISION="$work/hosted/bin/cellos-provision"
"$work/out/cellos-hosted" >"$stage/proofs/hosted.log"
"$top/tools/qemu-run" x86 --image "$work/out/cellos-x86_bios.img" --timeout 300 \
	--disk "$work/x86-disk.img" --fresh-disk --log "$stage/proofs/x86.log" >/dev/null
"$top/tools/qemu-run" arm64 --image "$work/out/cellos-arm64.bin" --timeout 300 \
	--disk "$work/arm64-disk.img" --fresh-disk --log "$stage/proofs/arm64.log" >/dev/null
"$top/tools/qemu-run" uefi --image "$work/out/cellos-x86_uefi.img" --timeout 300 \
	--disk "$work/uefi-disk.img" --fresh-disk --log "$stage/proofs/uefi.log" >/dev/null
"$work/hosted/bin/verify-proofs" --ledger "$top/proofs/ledger" \
	"$stage"/proofs/{hosted,x86,arm64,uefi}.log >&2

for f in cellos-x86_bios.img cellos-x86.elf cellos-arm64.bin cellos-arm64.elf cellos-hosted \
    cellos-x86_uefi.img; do
	cp "$work/out/$f" "$stage/images/$f"
done
# A board boots to its proof only from a provisioned data disk (the device
# secret lives on the disk): the release carries the tool that makes one.
cp "$work/hosted/bin/cellos-provision" "$stage/tools/cellos-provision"
cp "$work"/hosted/phenotypes/*.pbin "$top"/phenotypes/*.yaml "$stage/phenotypes/"
cp "$top/proofs/ledger" "$stage/proofs/ledger"
# The public half of the root key every image of the release trusts.
mkdir -p "$stage/keys"
openssl pkey -in "$key" -pubout -out "$stage/keys/root-public.pem"
cp "$top/LICENSE" "$top/README.md" "$top/VERSION" "$stage/"

# BUILDINFO.json: what built it, with which flags, and the E10 tag.
first_line() { "$@" 2>&1 | head -n 1 | sed 's/["\\]/ /g'; }
tag=$(sed -n 's/^#E10 RELEASE proof: tag=\([0-9A-F]*\) build=\([0-9A-F]*\)$/\1/p' "$stage/proofs/hosted.log")
build_id=$(sed -n 's/^#E10 RELEASE proof: tag=\([0-9A-F]*\) build=\([0-9A-F]*\)$/\2/p' "$stage/proofs/hosted.log")
# The source commit (and whether the tree differed from it), and the flags
# CMake actually compiled with: each tree's compile_commands.json entry for
# its kernel's (the UEFI loader's) main file, with the source and build
# directories written <src> and <build>, and the flags all four share.
# Only when this tree is a git checkout's top: a copy of the files inside
# some other repository (tests/release does that) has no commit of its own.
commit=unknown dirty=null
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	commit=$(git -C "$top" rev-parse HEAD)
	dirty=false
	[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] || dirty=true
fi
flags_json=$(python3 - "$top" "$work" <<'PY'
import json, os, shlex, sys
top, work = sys.argv[1], sys.argv[2]
trees = [("hosted", "core/boot.c"), ("bios-x86_64", "core/boot.c"),
         ("virt-arm64", "core/boot.c"), ("uefi-x86_64", "arch/uefi-x86_64/main.c")]
def rel(a):
    return a.replace(work, "<build>").replace(top, "<src>")
out = {}
for preset, source in trees:
    cmds = json.load(open(os.path.join(work, preset, "compile_commands.json")))
    c = next(c for c in cmds if os.path.relpath(c["file"], top) == source)
    args = c.get("arguments") or shlex.split(c["command"])
    flags, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in ("-o", "-c", "-MF", "-MT", "-MQ", "-I", "-isystem", "-include"):
            skip = a not in ("-include",)
            if a == "-include":
                flags.append(a)
        elif a.startswith(("-I", "-MD", "-MMD")) or not a.startswith("-") and a.endswith(source):
            pass
        else:
            flags.append(rel(a))
    out[preset] = " ".join(flags)
lists = [out[p].split(" ") for p, _ in trees]
out["common"] = " ".join(f for f in lists[0] if all(f in l for l in lists[1:]))
print(json.dumps(out, indent=2).replace("\n", "\n  "))
PY
) || { say "BUILDINFO: could not read the compile commands"; exit 1; }
cat >"$stage/BUILDINFO.json" <<EOF
{
  "name": "cellos",
  "version": "$version",
  "source": { "commit": "$commit", "modified": $dirty },
  "source_date_epoch": $SOURCE_DATE_EPOCH,
  "e10_tag": "$tag",
  "e10_build": "$build_id",
  "compilers": {
    "gcc": "$(first_line gcc --version)",
    "aarch64-linux-gnu-gcc": "$(first_line aarch64-linux-gnu-gcc --version)",
    "nasm": "$(first_line nasm -v)",
    "clang (genes/bpf, -target bpf -mcpu=v3 -O2)": "$(first_line "$(sed -n 's/^CELLOS_BPF_CLANG:FILEPATH=//p' "$work/hosted/CMakeCache.txt")" --version)",
    "clang (uefi-x86_64, --target=x86_64-unknown-windows)": "$(first_line clang --version)"
  },
  "binutils": {
    "ld": "$(first_line ld --version)",
    "aarch64-linux-gnu-ld": "$(first_line aarch64-linux-gnu-ld --version)",
    "lld-link": "$(first_line lld-link --version)"
  },
  "firmware": {
    "ovmf (proof boot of cellos-x86_uefi.img)": "$(dpkg-query -W -f='${Version}' ovmf 2>/dev/null || echo unknown)"
  },
  "cmake": "$(first_line cmake --version)",
  "flags": $flags_json
}
EOF

# MANIFEST.txt: every file but itself, sha256sum -c compatible.
(cd "$stage" && find . -type f | sed 's|^\./||' | sort | xargs sha256sum) \
	>"$work/MANIFEST.txt" && mv "$work/MANIFEST.txt" "$stage/MANIFEST.txt"
(cd "$stage" && sha256sum --quiet -c MANIFEST.txt) || { say "MANIFEST.txt does not check"; exit 1; }

# The tarball: sorted, fixed owner, mode and times, no gzip timestamp.
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$out" && tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
	--mtime="@$SOURCE_DATE_EPOCH" --mode='u+rw,go+r,go-w' -cf - "$name" |
	gzip -n -9 >"$name.tar.gz.tmp" && mv "$name.tar.gz.tmp" "$name.tar.gz")
say "$out/$name.tar.gz"
sha256sum "$out/$name.tar.gz" | cut -d' ' -f1
