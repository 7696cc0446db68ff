#!/usr/bin/env bash
# Prepares the GPU check (run it here, on a machine with the .NET SDK):
#   1. publishes a self-contained linux-x64 `rig` (single file, compressed, no training/libtorch) into .gpu-check/bin;
#      when that is over the size limit (or with --trim) it republishes with partial trimming (framework only)
#   2. smoke-tests the published binary here on a simulated rig (topo --json, doctor --json)
#   3. copies the on-GPU script next to it as .gpu-check/run.sh
# Then carry .gpu-check/ to the GPU machine and run there, with OUT set to the folder that comes back:
#   OUT=/tmp/out bash .gpu-check/run.sh
# The on-GPU part only reads: it never changes a power limit, clock, persistence mode, or resets a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DEST=.gpu-check
readonly LIMIT_MIB=40

trim=false
[ "${1:-}" = "--trim" ] && trim=true

publish() {
  local extra=()
  if [ "$1" = true ]; then
    # Trim the framework only (TrimMode=partial keeps the kit's and its packages' assemblies whole); the kit's JSON
    # uses reflection, so keep it enabled. Trim analysis warnings are expected here and not errors.
    extra=(-p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true
           -p:JsonSerializerIsReflectionEnabledByDefault=true -p:TreatWarningsAsErrors=false)
  fi
  rm -rf "$DEST/bin"
  dotnet publish src/RigNotebooks.Cli \
    -c Release -r linux-x64 --self-contained true \
    -p:PublishSingleFile=true \
    -p:EnableCompressionInSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none \
    -p:RigWithTraining=false \
    -p:RigWithNotebooks=false \
    "${extra[@]}" \
    -o "$DEST/bin"
}

rm -rf "$DEST"
mkdir -p "$DEST"
publish "$trim"
if [ "$trim" = false ] && (( $(du -sk "$DEST/bin" | cut -f1) > LIMIT_MIB * 1024 )); then
  echo "gpu-check: over ${LIMIT_MIB} MiB untrimmed; publishing again with partial trimming" >&2
  publish true
fi

# Smoke test here: the same binary must run the commands the GPU machine will run, on a simulated rig.
smoke=$(mktemp -d)
"$DEST/bin/rig" topo --rig sim:blog-3x3090 --json > "$smoke/topo.json"
"$DEST/bin/rig" doctor --rig sim:blog-3x3090 --json --results "$smoke/results" > "$smoke/doctor.json" || [ $? -eq 1 ]
grep -q '"source": "simulated"' "$smoke/topo.json"
"$DEST/bin/rig" monitor --rig sim:blog-3x3090 --duration 2 --time-scale 0 --workload burn --json --results "$smoke/results" > "$smoke/monitor.json"
"$DEST/bin/rig" power sweep --rig sim:blog-3x3090 --dry-run --rate-hz 2 --json --results "$smoke/results" > "$smoke/sweep.json"
grep -q '"dryRun": true' "$smoke/sweep.json"
rm -rf "$smoke"

cp scripts/gpu-check-run.sh "$DEST/run.sh"
cp scripts/cuda-events-crosscheck.py scripts/gpu-check-bandwidth.py benchmarks/torch_ddp_step.py benchmarks/transformer_lm.py "$DEST/"
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
