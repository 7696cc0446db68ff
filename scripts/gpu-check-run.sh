#!/usr/bin/env bash
# The GPU check, ON the GPU machine (prepared by scripts/gpu-check.sh, which copies this file to .gpu-check/run.sh).
#   OUT=<folder that comes back> bash .gpu-check/run.sh
# Read-only: every step only queries. Nothing here sets a power limit, clocks, persistence mode or resets a GPU;
# nvidia-smi is only ever called through safe_nvidia_smi, which allows query forms and refuses anything else.
# Writes to $OUT (few files, as the transport allows): summary.txt, topo.json, doctor.json, gpu-check.tar.gz
# (every step's stdout/stderr, manifest.json, the runs the steps wrote, and a copy of the sysfs/procfs files the
# kit's probes read). Exit code: 3 when the local rig cannot be opened (no driver), 0 when the core steps ran.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
RIG="$HERE/bin/rig"
OUT="${OUT:?set OUT to the folder whose files come back}"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
CAP="$WORK/capture"
RESULTS="$WORK/capture/results"
mkdir -p "$CAP" "$RESULTS"
MANIFEST="$CAP/manifest.tsv"
printf 'step\texit\tseconds\tcommand\n' > "$MANIFEST"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$CAP/steps.log" >&2; }

# run_step NAME TIMEOUT_S COMMAND...: stdout to NAME.out, stderr to NAME.err, a manifest line; never aborts the check.
run_step() {
  local name=$1 limit=$2; shift 2
  local start end rc
  log "step $name: $*"
  start=$(date +%s.%N)
  timeout --kill-after=10 "$limit" "$@" > "$CAP/$name.out" 2> "$CAP/$name.err" < /dev/null
  rc=$?
  end=$(date +%s.%N)
  printf '%s\t%s\t%.1f\t%s\n' "$name" "$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b - a}')" "$*" >> "$MANIFEST"
  log "step $name: exit $rc"
  return $rc
}

# nvidia-smi, query forms only (-q, topo, -L, --query-*, --help-query-*); anything else is refused.
safe_nvidia_smi() {
  case "${1:-}" in
    -q|topo|-L|--query-gpu=*|--query-compute-apps=*|--help-query-gpu) nvidia-smi "$@" ;;
    *) echo "safe_nvidia_smi: refusing 'nvidia-smi $*' (the GPU check only queries)" >&2; return 2 ;;
  esac
}

rig_has() { "$RIG" --help 2>/dev/null | grep -qE "^\s+$1\b"; }

# Copies the files the probes read (PCI tree with its links, IOMMU, procfs) into a tree like tests/fixtures/.
snapshot_sysfs() {
  local dst=$1 p real
  mkdir -p "$dst"
  for p in /proc/cmdline /proc/driver/nvidia/version /proc/sys/kernel/hostname /sys/kernel/security/lockdown \
           /sys/class/dmi/id/board_vendor /sys/class/dmi/id/board_name /etc/os-release; do
    [ -r "$p" ] && mkdir -p "$dst$(dirname "$p")" && cat "$p" > "$dst$p" 2>/dev/null
  done
  mkdir -p "$dst/proc" && awk '/^processor/{n++} n<=2' /proc/cpuinfo > "$dst/proc/cpuinfo" 2>/dev/null
  for p in /sys/devices/system/node/node*/cpulist; do [ -r "$p" ] && mkdir -p "$dst$(dirname "$p")" && cat "$p" > "$dst$p"; done
  mkdir -p "$dst/sys/class/iommu" "$dst/sys/kernel/iommu_groups" "$dst/sys/bus/pci/devices"
  for p in /sys/class/iommu/*; do [ -L "$p" ] && ln -s "$(readlink "$p")" "$dst$p"; done
  for p in /sys/kernel/iommu_groups/*; do
    [ -d "$p" ] || continue
    mkdir -p "$dst$p/devices"
    [ -r "$p/type" ] && cat "$p/type" > "$dst$p/type"
    for d in "$p"/devices/*; do [ -L "$d" ] && ln -s "$(readlink "$d")" "$dst$d"; done
  done
  for p in /sys/bus/pci/devices/*; do
    [ -L "$p" ] || continue
    ln -s "$(readlink "$p")" "$dst$p"
    real="$(readlink -f "$p")"
    mkdir -p "$dst$real"
    for f in vendor device class numa_node current_link_speed current_link_width max_link_speed max_link_width resource subsystem_vendor subsystem_device revision; do
      [ -r "$real/$f" ] && cat "$real/$f" > "$dst$real/$f" 2>/dev/null
    done
    head -c 4096 "$real/config" > "$dst$real/config" 2>/dev/null
    for f in driver iommu_group; do [ -L "$real/$f" ] && ln -s "$(readlink "$real/$f")" "$dst$real/$f"; done
  done
}

log "gpu-check: rig $("$RIG" --version 2>/dev/null || echo '?'), commit $(cat "$HERE/commit.txt" 2>/dev/null || echo '?'), uid $(id -u), $(uname -r)"
{ uname -a; echo; id; echo; cat /proc/cmdline; echo; ls -la /dev/nvidia* 2>&1; echo; env | grep -E '^(CUDA|NCCL|RIG|LD_LIBRARY_PATH|NVIDIA)' ; } > "$CAP/environment.txt" 2>&1

# ---- the step list: read-only steps, one line each (name, time limit in seconds, command) ----------------------
run_step doctor 180 "$RIG" doctor --rig local --json --results "$RESULTS"; doctor_rc=$?
run_step topo 120 "$RIG" topo --rig local --json; topo_rc=$?
run_step topo-text 120 "$RIG" topo --rig local
if command -v nvidia-smi > /dev/null; then
  run_step nvidia-smi-q 120 safe_nvidia_smi -q
  run_step nvidia-smi-topo 60 safe_nvidia_smi topo -m
  run_step nvidia-smi-topo-p2p-read 60 safe_nvidia_smi topo -p2p r
else
  log "nvidia-smi not found: skipping the cross-check steps"
fi
if command -v lspci > /dev/null; then
  run_step lspci-tree 60 lspci -tv
  run_step lspci-nvidia 60 lspci -vvv -d 10de:
fi
# Bandwidth and all-reduce (issue 4). One GPU here: host<->device and device-local copies are measured, the peer
# cases must come back waived (no pair), not zero; a 1-rank all-reduce. Then the same copies timed with CUDA events
# by an independent script (the kit must agree within 5 %), and the checks of both (gpu-check-bandwidth.py).
rig_has bandwidth && run_step bandwidth 300 "$RIG" bandwidth --rig local --json --results "$RESULTS"
rig_has allreduce && run_step allreduce 300 "$RIG" allreduce --rig local --json -b 8 -e 64M --results "$RESULTS"
rig_has doctor && run_step doctor-deep 180 "$RIG" doctor --deep --rig local --json --results "$RESULTS"
if command -v python3 > /dev/null && [ -s "$CAP/bandwidth.out" ]; then
  run_step bandwidth-crosscheck 180 python3 "$HERE/cuda-events-crosscheck.py" --gpu 0 --compare "$CAP/bandwidth.out"
  run_step bandwidth-checks 60 python3 "$HERE/gpu-check-bandwidth.py" "$CAP/bandwidth.out" "$CAP/allreduce.out" "$CAP/bandwidth-crosscheck.out"
else
  log "python3 not found or no bandwidth output: skipping the CUDA-events cross-check and the bandwidth checks"
fi
# Training (issue 6): the trainer's NCCL path on cuMemAlloc memory (1 rank: all-reduce sum/avg, broadcast, abort),
# then the external-command path with this machine's PyTorch (torchrun, 1 GPU), under the kit's watchdogs.
if "$RIG" train --help 2>/dev/null | grep -q -- --nccl-selftest; then
  run_step nccl-selftest 180 "$RIG" train --nccl-selftest --json
fi
TORCHRUN=/opt/torch/.venv/bin/torchrun
command -v "$TORCHRUN" > /dev/null || TORCHRUN="$(command -v torchrun || true)"
if rig_has train && [ -n "$TORCHRUN" ] && [ -f "$HERE/torch_ddp_step.py" ]; then
  run_step torch-ddp 420 "$RIG" train --cmd "$TORCHRUN --standalone --nproc_per_node={gpus} $HERE/torch_ddp_step.py --model gpt-100m --batch 8 --steps 30" \
    --gpus 1 --p2p on --timeout 360 --silence 200 --json --results "$RESULTS"
else
  log "torchrun or the DDP sample not found: skipping the external training step"
fi
# Telemetry and power: the monitor samples every GPU for 20 s while the PTX burn runs (its run's rows.csv is the
# telemetry capture to replay); the sweep is a DRY RUN: it plans the caps and measures only at the limit in force.
# RIG_READ_ONLY makes the kit refuse any power-limit change in these processes, even one asked for by mistake.
export RIG_READ_ONLY=1
rig_has monitor && run_step monitor-burn 150 "$RIG" monitor --rig local --duration 20 --workload burn --json --results "$RESULTS"
rig_has power && run_step power-sweep-dry-run 240 "$RIG" power sweep --rig local --dry-run --warmup-s 10 --measure-s 30 --json --results "$RESULTS"
# Further measurement steps join here as their commands land, each guarded by rig_has so an older build skips them,
# each read-only or a dry run.
# ---- end of the step list ----------------------------------------------------------------------------------------

snapshot_sysfs "$WORK/sysfs"
tar czf "$CAP/sysfs.tar.gz" -C "$WORK/sysfs" . 2>> "$CAP/steps.log"

# Name the outputs as data/captures/README.md lists them, so the bundle unpacks straight into a capture folder.
for pair in topo.out:topo.json doctor.out:doctor.json topo-text.out:topo.txt nvidia-smi-q.out:nvidia-smi-q.txt \
            nvidia-smi-topo.out:nvidia-smi-topo.txt nvidia-smi-topo-p2p-read.out:nvidia-smi-topo-p2p-read.txt \
            bandwidth.out:bandwidth-local.json allreduce.out:allreduce-local.json doctor-deep.out:doctor-deep.json \
            bandwidth-crosscheck.out:bandwidth-crosscheck.json bandwidth-checks.out:bandwidth-checks.txt \
            nccl-selftest.out:nccl-selftest.json torch-ddp.out:torch-ddp.json; do
  [ -e "$CAP/${pair%%:*}" ] && mv "$CAP/${pair%%:*}" "$CAP/${pair##*:}"
done
[ -s "$CAP/topo.json" ] && cp "$CAP/topo.json" "$OUT/topo.json"
[ -s "$CAP/doctor.json" ] && cp "$CAP/doctor.json" "$OUT/doctor.json"
for f in bandwidth-local.json allreduce-local.json nccl-selftest.json torch-ddp.json; do [ -s "$CAP/$f" ] && cp "$CAP/$f" "$OUT/$f"; done
[ -s "$CAP/monitor-burn.out" ] && cp "$CAP/monitor-burn.out" "$OUT/monitor-burn.json"
[ -s "$CAP/power-sweep-dry-run.out" ] && cp "$CAP/power-sweep-dry-run.out" "$OUT/power-sweep-dry-run.json"
{
  echo "GPU check on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  column -t -s $'\t' "$MANIFEST" 2>/dev/null || cat "$MANIFEST"
  echo
  echo "--- topo (text) ---"; cat "$CAP/topo.txt" 2>/dev/null
  echo "--- topo stderr ---"; cat "$CAP/topo.err" 2>/dev/null
  echo "--- doctor stderr ---"; cat "$CAP/doctor.err" 2>/dev/null
  echo "--- bandwidth checks ---"; cat "$CAP/bandwidth-checks.txt" 2>/dev/null
  echo "--- bandwidth / allreduce stderr ---"; cat "$CAP/bandwidth.err" "$CAP/allreduce.err" 2>/dev/null
  echo "--- nccl-selftest / torch-ddp stderr ---"; tail -n 40 "$CAP/nccl-selftest.err" "$CAP/torch-ddp.err" 2>/dev/null
  echo "--- monitor-burn stderr ---"; cat "$CAP/monitor-burn.err" 2>/dev/null
  echo "--- power-sweep-dry-run stderr ---"; cat "$CAP/power-sweep-dry-run.err" 2>/dev/null
} > "$OUT/summary.txt"
log "gpu-check: bundling into $OUT/gpu-check.tar.gz"
tar czf "$OUT/gpu-check.tar.gz" -C "$WORK" capture
rm -rf "$WORK"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [ "$topo_rc" -eq 3 ] || [ "$doctor_rc" -eq 3 ]; then
  log "gpu-check: the local rig could not be opened (exit 3): see summary.txt"
  exit 3
fi
if [ "$topo_rc" -ne 0 ] || { [ "$doctor_rc" -ne 0 ] && [ "$doctor_rc" -ne 1 ]; }; then
  log "gpu-check: a core step failed (topo $topo_rc, doctor $doctor_rc)"
  exit 1
fi
log "gpu-check: done"
exit 0
