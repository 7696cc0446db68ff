#!/usr/bin/env bash
# Prepares the GPU check (run it here, on a machine with the .NET SDK):
#   1. publishes a self-contained linux-x64 `rig` (single file, compressed, no training/libtorch) into .gpu-check/bin
#   2. copies the on-GPU script next to it as .gpu-check/run.sh
# Then carry .gpu-check/ to the GPU machine and run there, with OUT set to the folder that comes back:
#   OUT=/tmp/out bash .gpu-check/run.sh
# The on-GPU part only reads: it never changes a power limit, clock, persistence mode, or resets a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DEST=.gpu-check
readonly LIMIT_MIB=40

rm -rf "$DEST"
mkdir -p "$DEST"

dotnet publish src/RigNotebooks.Cli \
  -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=true \
  -p:EnableCompressionInSingleFile=true \
  -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none \
  -p:RigWithTraining=false \
  -o "$DEST/bin"

cp scripts/gpu-check-run.sh "$DEST/run.sh"
chmod +x "$DEST/run.sh" "$DEST/bin/rig"
git rev-parse HEAD > "$DEST/commit.txt" 2>/dev/null || echo unknown > "$DEST/commit.txt"

size_kib=$(du -sk "$DEST" | cut -f1)
echo "gpu-check: $DEST is $((size_kib / 1024)) MiB (limit ${LIMIT_MIB} MiB):"
ls -la "$DEST" "$DEST/bin"
if (( size_kib > LIMIT_MIB * 1024 )); then
  echo "gpu-check: $DEST is larger than ${LIMIT_MIB} MiB; it will not fit the carry limit" >&2
  exit 1
fi
echo "gpu-check: ready. On the GPU machine, from the repository root: OUT=<folder> bash $DEST/run.sh"
