#!/usr/bin/env python3
"""Checks the bandwidth part of the GPU check (issue 4) on a one-GPU machine.

usage: gpu-check-bandwidth.py <rig bandwidth --json> <rig allreduce -b 8 -e 64M --json> <cuda-events-crosscheck.py --compare output>
Host->device, device->host and device-local copies measured on GPU 0 with the link read during the copies; every
peer case waived (one GPU: no pair), never zero; a 1-rank all-reduce with busbw 0 (factor 2(n-1)/n), algbw > 0 and no
wrong element, P2P off waived; the kit's figures within 5 % of the same copies timed with CUDA events by
cuda-events-crosscheck.py. Prints PASS/FAIL per check; exit 1 when one fails.
"""
import json, sys
bandwidth_path, allreduce_path, crosscheck_path = sys.argv[1:4]
failures = []
def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

bw = json.load(open(bandwidth_path))
check(bw.get("source") == "measured", "bandwidth rows are measured")
host = {h["case"]: h for h in bw.get("host", []) if h.get("gpu") == 0}
for case in ("host_to_device_pinned", "device_to_host_pinned", "device_local_copy"):
    value = (host.get(case) or {}).get("bandwidthGBps")
    check(value is not None and value > 1, f"{case} on GPU 0 measured: {value} GB/s")
for case in ("host_to_device_pinned", "device_to_host_pinned"):
    h = host.get(case) or {}
    check(h.get("linkGen") is not None, f"{case}: link during the test Gen{h.get('linkGen')} x{h.get('linkWidth')}")
peer = [n for n in bw.get("notMeasured", []) if n["case"].startswith("peer_")]
for case in ("peer_unidirectional", "peer_bidirectional", "peer_latency", "peer_correctness"):
    rows = [n for n in peer if n["case"] == case]
    check(len(rows) > 0 and all(n["status"] == "waived" and "needs two GPUs" in n["note"] for n in rows), f"{case} waived (one GPU), not zero")
matrices = bw["matrices"]
check(all(v is None for m in ("unidirectional", "bidirectional", "latency") for k in ("p2pOn", "p2pOff") for row in matrices[m][k] for v in row), "peer matrices hold no number")

ar = json.load(open(allreduce_path))
check(ar.get("ranks") == 1, f"all-reduce over 1 rank ({ar.get('ranks')})")
lines = [l for l in ar.get("results", []) if l["p2p"] == "on"]
check(len(lines) == 2 * 24, f"all-reduce sizes 8 B..64 MiB in and out of place: {len(lines)} lines")
check(all(l["busBwGBps"] == 0 and l["algBwGBps"] > 0 and l["wrong"] == 0 for l in lines), "busbw 0 (one rank), algbw > 0, no wrong element")
check(all(n["status"] == "waived" for n in ar.get("notMeasured", []) if n.get("p2p") == "off"), "P2P off waived for one GPU")

try:
    cross = json.load(open(crosscheck_path))
    for case, r in cross.get("results", {}).items():
        check(r.get("within5Percent") is True, f"{case}: kit {r.get('kitGBps')} vs CUDA events {r.get('bandwidthGBps')} GB/s (ratio {r.get('kitOverCrosscheck')})")
    if "error" in cross:
        check(False, f"crosscheck: {cross['error']}")
except (OSError, ValueError) as error:
    check(False, f"crosscheck output unreadable: {error}")
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
