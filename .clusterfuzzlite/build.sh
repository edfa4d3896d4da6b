#!/usr/bin/env bash
# ClusterFuzzLite's build step: the same script OSS-Fuzz runs.
set -euo pipefail
exec "$SRC/cell_os/fuzz/oss-fuzz/build.sh" "$@"
