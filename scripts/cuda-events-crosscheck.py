#!/usr/bin/env python3
"""Times host<->device and device-local copies on one GPU with CUDA events, independently of the kit.

The kit's `rig bandwidth --rig local` must agree with this within 5 % (issue 4). It talks to libcuda.so.1 through
ctypes (no toolkit, no PyTorch): pinned host buffer and device buffers, 4 warm-up copies, then per sample an event
pair around N copies on one stream; GB = 1e9 bytes, median of the samples. Large copies make the enqueue cost of
N calls negligible, so no spin kernel is needed here.

usage: cuda-events-crosscheck.py [--gpu 0] [--size-mib 512] [--copies 16] [--samples 3] [--compare kit.json]
  -> JSON on stdout; with --compare (the output of `rig bandwidth --rig local --json`) it also reports the kit's
     figure for each case, the ratio, and exits 1 when one differs by more than 5 %.
"""
import argparse
import ctypes
import json
import statistics
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpu", type=int, default=0)
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--compare", help="rig bandwidth --json output to compare with (within 5 %)")
    args = parser.parse_args()

    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError as error:
        print(json.dumps({"error": f"libcuda.so.1 not loadable: {error}"}))
        return 3

    def check(result, what):
        if result != 0:
            raise RuntimeError(f"{what} failed with CUresult {result}")

    size = args.size_mib * 1024 * 1024
    check(cuda.cuInit(0), "cuInit")
    device = ctypes.c_int()
    check(cuda.cuDeviceGet(ctypes.byref(device), args.gpu), "cuDeviceGet")
    context = ctypes.c_void_p()
    check(cuda.cuDevicePrimaryCtxRetain(ctypes.byref(context), device), "cuDevicePrimaryCtxRetain")
    check(cuda.cuCtxSetCurrent(context), "cuCtxSetCurrent")

    host = ctypes.c_void_p()
    check(cuda.cuMemHostAlloc(ctypes.byref(host), ctypes.c_size_t(size), 0), "cuMemHostAlloc")
    dev_a = ctypes.c_uint64()
    dev_b = ctypes.c_uint64()
    check(cuda.cuMemAlloc_v2(ctypes.byref(dev_a), ctypes.c_size_t(size)), "cuMemAlloc_v2")
    check(cuda.cuMemAlloc_v2(ctypes.byref(dev_b), ctypes.c_size_t(size)), "cuMemAlloc_v2")
    stream = ctypes.c_void_p()
    check(cuda.cuStreamCreate(ctypes.byref(stream), 1), "cuStreamCreate")
    start = ctypes.c_void_p()
    stop = ctypes.c_void_p()
    check(cuda.cuEventCreate(ctypes.byref(start), 0), "cuEventCreate")
    check(cuda.cuEventCreate(ctypes.byref(stop), 0), "cuEventCreate")

    copies = {
        "host_to_device_pinned": lambda: cuda.cuMemcpyHtoDAsync_v2(dev_a, host, ctypes.c_size_t(size), stream),
        "device_to_host_pinned": lambda: cuda.cuMemcpyDtoHAsync_v2(host, dev_a, ctypes.c_size_t(size), stream),
        "device_local_copy": lambda: cuda.cuMemcpyDtoDAsync_v2(dev_b, dev_a, ctypes.c_size_t(size), stream),
    }
    results = {}
    for name, copy in copies.items():
        for _ in range(4):
            check(copy(), name)
        check(cuda.cuStreamSynchronize(stream), "cuStreamSynchronize")
        samples = []
        for _ in range(args.samples):
            check(cuda.cuEventRecord(start, stream), "cuEventRecord")
            for _ in range(args.copies):
                check(copy(), name)
            check(cuda.cuEventRecord(stop, stream), "cuEventRecord")
            check(cuda.cuEventSynchronize(stop), "cuEventSynchronize")
            ms = ctypes.c_float()
            check(cuda.cuEventElapsedTime(ctypes.byref(ms), start, stop), "cuEventElapsedTime")
            samples.append(size * args.copies / (ms.value / 1000) / 1e9)
        results[name] = {"bandwidthGBps": statistics.median(samples), "samples": samples}

    report = {"gpu": args.gpu, "sizeBytes": size, "copies": args.copies, "results": results}
    failed = False
    if args.compare:
        with open(args.compare, encoding="utf-8") as handle:
            kit = json.load(handle)
        for entry in kit.get("host", []):
            if entry.get("gpu") != args.gpu or entry.get("case") not in results or entry.get("bandwidthGBps") is None:
                continue
            ours = results[entry["case"]]["bandwidthGBps"]
            ratio = entry["bandwidthGBps"] / ours
            results[entry["case"]].update({"kitGBps": entry["bandwidthGBps"], "kitOverCrosscheck": ratio,
                                           "within5Percent": abs(ratio - 1) <= 0.05})
            failed = failed or abs(ratio - 1) > 0.05
    print(json.dumps(report, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
