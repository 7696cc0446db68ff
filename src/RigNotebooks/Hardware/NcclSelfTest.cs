using System.Runtime.InteropServices;
using RigNotebooks.Interop;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nccl;
using RigNotebooks.Results;

namespace RigNotebooks.Hardware;

/// <summary>One data check of the self-test: what was run and whether every element came back as expected.</summary>
/// <param name="Mismatches">Elements that differ bit for bit from the expected value.</param>
/// <param name="FirstWrongIndex">The first wrong element, when any.</param>
/// <param name="Error">Why the check could not run (an NCCL or CUDA error, a timeout), when it could not.</param>
public sealed record NcclSelfTestCheck(string Name, bool Correct, long Mismatches, long? FirstWrongIndex, string? Error);

/// <summary>What <see cref="NcclSelfTest.Run"/> found. Measured on this machine's GPU, never simulated.</summary>
/// <param name="NonBlocking">Whether the communicator was made in NCCL's non-blocking mode (2.14+), the mode the
/// data-parallel trainer uses so that a hung collective can time out.</param>
/// <param name="MedianTimeUs">Median of the timed out-of-place sums (CUDA events around each call).</param>
/// <param name="AlgBandwidthGBps">Bytes / median time (GB = 1e9). With one rank an all-reduce is a device-local copy,
/// so this is a sanity figure for the path, not a link bandwidth.</param>
/// <param name="ClosedCleanly">The communicator was finalized and destroyed without error after the checks.</param>
/// <param name="AbortWorked">A second communicator, aborted right after queuing an all-reduce, went away cleanly
/// (<c>ncclCommAbort</c>, the trainer's way out of a hung collective).</param>
public sealed record NcclSelfTestResult(
    string NcclVersion,
    int NcclVersionCode,
    string? NcclLibrary,
    string CudaDriverVersion,
    int Device,
    string DeviceName,
    string PciBusId,
    bool NonBlocking,
    long Bytes,
    long Elements,
    string DataType,
    int Iterations,
    double MedianTimeUs,
    double AlgBandwidthGBps,
    IReadOnlyList<NcclSelfTestCheck> Checks,
    bool ClosedCleanly,
    bool AbortWorked,
    string? AbortError)
{
    public bool Correct => Checks.Count > 0 && Checks.All(c => c.Correct) && ClosedCleanly && AbortWorked;
}

/// <summary>
/// A one-rank NCCL check on real device memory, independent of TorchSharp: buffers from <c>cuMemAlloc</c>, a known
/// float32 pattern copied in, then NCCL's all-reduce (sum out of place and in place, and average where NCCL has it)
/// and broadcast through the same calls the data-parallel trainer makes — device addresses, a stream of our own, a
/// non-blocking communicator polled with a deadline — copied back and compared bit for bit, and the all-reduce timed.
/// With one rank the sum of a buffer is the buffer, so every check expects the pattern back. It proves the binding,
/// the library and the device path; it says nothing about links between GPUs.
/// </summary>
public static class NcclSelfTest
{
    public const long DefaultBytes = 64L << 20;

    public static NcclSelfTestResult Run(int device = 0, long bytes = DefaultBytes, int iterations = 20, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 4L);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var deadline = timeout ?? TimeSpan.FromSeconds(60);
        var elements = bytes / sizeof(float);
        bytes = elements * sizeof(float);

        var driver = CudaDriver.Initialize();
        var versionCode = Nccl.VersionCode();
        var gpu = driver.Device(device);
        using var context = gpu.RetainPrimaryContext();
        using var stream = context.CreateStream();
        var nonBlocking = NcclCommunicator.NonBlockingAvailable;

        var pattern = Pattern(elements);
        var patternBytes = MemoryMarshal.AsBytes(pattern.AsSpan()).ToArray();
        using var send = context.Allocate(bytes);
        using var receive = context.Allocate(bytes);
        CudaCopy.HostToDevice(send, patternBytes);

        var checks = new List<NcclSelfTestCheck>();
        var times = new List<double>();
        bool closedCleanly;
        var comm = Join(context, nonBlocking, deadline);
        try
        {
            checks.Add(Check("all-reduce sum float32, out of place", receive, patternBytes, () =>
            {
                receive.Memset(0xFF); // NaN everywhere: a call that writes nothing cannot pass
                _ = comm.AllReduce(send.Pointer, receive.Pointer, elements, NcclDataType.Float32, NcclReduction.Sum, stream);
                Finish(comm, stream, deadline, "ncclAllReduce");
            }));
            checks.Add(Check("all-reduce sum float32, in place", receive, patternBytes, () =>
            {
                CudaCopy.HostToDevice(receive, patternBytes);
                _ = comm.AllReduce(receive.Pointer, receive.Pointer, elements, NcclDataType.Float32, NcclReduction.Sum, stream);
                Finish(comm, stream, deadline, "ncclAllReduce");
            }));
            if (versionCode >= NcclCommunicator.AverageSinceVersion)
            {
                checks.Add(Check("all-reduce avg (ncclAvg = 4) float32, out of place", receive, patternBytes, () =>
                {
                    receive.Memset(0xFF);
                    _ = comm.AllReduce(send.Pointer, receive.Pointer, elements, NcclDataType.Float32, NcclReduction.Average, stream);
                Finish(comm, stream, deadline, "ncclAllReduce");
                }));
            }

            checks.Add(Check("broadcast float32 from root 0, out of place", receive, patternBytes, () =>
            {
                receive.Memset(0xFF);
                _ = comm.Broadcast(send.Pointer, receive.Pointer, elements, NcclDataType.Float32, 0, stream);
                Finish(comm, stream, deadline, "ncclBroadcast");
            }));

            if (checks.All(c => c.Error is null))
            {
                times = Time(context, comm, stream, send, receive, elements, iterations, deadline);
            }
        }
        finally
        {
            closedCleanly = comm.Close(deadline);
        }

        var (abortWorked, abortError) = TryAbortInFlight(context, stream, send, receive, elements, nonBlocking, deadline);
        var median = times.Count == 0 ? double.NaN : Statistics.Median(times) * 1e3;
        return new NcclSelfTestResult(
            Nccl.DecodeVersion(versionCode).ToString(),
            versionCode,
            NativeLibraries.LoadedFrom(GpuLibrary.Nccl),
            driver.Version,
            device,
            gpu.Name(),
            gpu.PciBusId(),
            nonBlocking,
            bytes,
            elements,
            "float32",
            times.Count,
            median,
            times.Count == 0 ? double.NaN : bytes / (median * 1e-6) / 1e9,
            checks,
            closedCleanly,
            abortWorked,
            abortError);
    }

    /// <summary>Values exact in float32 whose sum over one rank is themselves; repeats every 251 elements, so a shifted
    /// or truncated copy shows.</summary>
    public static float[] Pattern(long elements)
    {
        var values = new float[elements];
        for (long i = 0; i < elements; i++)
        {
            values[i] = ((i % 251) * 0.25f) - 31f;
        }

        return values;
    }

    private static NcclCommunicator Join(CudaContext context, bool nonBlocking, TimeSpan deadline)
    {
        context.MakeCurrent(); // NCCL takes the rank's GPU from the calling thread's current context
        var id = Nccl.NewUniqueId();
        var comm = nonBlocking ? NcclCommunicator.InitRankNonBlocking(1, id, 0) : NcclCommunicator.InitRank(1, id, 0);
        try
        {
            Finish(comm, null, deadline, "ncclCommInitRankConfig");
            return comm;
        }
        catch
        {
            comm.Abort();
            throw;
        }
    }

    /// <summary>Waits for what was queued (whether the call said Success or InProgress) and throws if it failed or hung.</summary>
    private static void Finish(NcclCommunicator comm, CudaStream? stream, TimeSpan deadline, string operation)
    {
        var wait = comm.Wait(stream, deadline, operation);
        switch (wait.Outcome)
        {
            case NcclWaitOutcome.Completed:
                return;
            case NcclWaitOutcome.Failed:
                throw wait.Error!;
            default:
                throw new TimeoutException($"{operation} was still in progress after {wait.Waited.TotalSeconds:0.#} s (NCCL state {wait.AsyncState}).");
        }
    }

    private static NcclSelfTestCheck Check(string name, DeviceBuffer result, byte[] expected, Action run)
    {
        try
        {
            run();
        }
        catch (Exception ex) when (ex is Errors.RigEnvironmentException or TimeoutException or ArgumentException)
        {
            return new NcclSelfTestCheck(name, false, 0, null, ex.Message);
        }

        var back = new byte[expected.Length];
        CudaCopy.DeviceToHost(back, result);
        if (expected.AsSpan().SequenceEqual(back))
        {
            return new NcclSelfTestCheck(name, true, 0, null, null);
        }

        var want = MemoryMarshal.Cast<byte, uint>(expected.AsSpan());
        var got = MemoryMarshal.Cast<byte, uint>(back.AsSpan());
        long wrong = 0;
        long? first = null;
        for (var i = 0; i < want.Length; i++)
        {
            if (want[i] != got[i])
            {
                wrong++;
                first ??= i;
            }
        }

        return new NcclSelfTestCheck(name, false, wrong, first, null);
    }

    private static List<double> Time(CudaContext context, NcclCommunicator comm, CudaStream stream, DeviceBuffer send, DeviceBuffer receive, long elements, int iterations, TimeSpan deadline)
    {
        using var start = context.CreateEvent();
        using var end = context.CreateEvent();
        var times = new List<double>();
        for (var i = -1; i < iterations; i++) // one warm-up, as nccl-tests does
        {
            start.Record(stream);
            _ = comm.AllReduce(send.Pointer, receive.Pointer, elements, NcclDataType.Float32, NcclReduction.Sum, stream);
            Finish(comm, null, deadline, "ncclAllReduce"); // a non-blocking communicator may still be launching: the end event must follow the kernel
            end.Record(stream);
            Finish(comm, stream, deadline, "ncclAllReduce");
            if (i >= 0)
            {
                times.Add(CudaEvent.ElapsedMs(start, end));
            }
        }

        return times;
    }

    private static (bool Worked, string? Error) TryAbortInFlight(CudaContext context, CudaStream stream, DeviceBuffer send, DeviceBuffer receive, long elements, bool nonBlocking, TimeSpan deadline)
    {
        try
        {
            var comm = Join(context, nonBlocking, deadline);
            try
            {
                _ = comm.AllReduce(send.Pointer, receive.Pointer, elements, NcclDataType.Float32, NcclReduction.Sum, stream);
            }
            finally
            {
                comm.Abort();
                comm.Dispose();
            }

            // Polled, not cuStreamSynchronize: if the abort left the stream stuck, say so instead of hanging the check.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!stream.IsComplete())
            {
                if (clock.Elapsed > deadline)
                {
                    return (false, $"the stream was still busy {deadline.TotalSeconds:0} s after ncclCommAbort");
                }

                Thread.Sleep(1);
            }

            return (true, null);
        }
        catch (Exception ex) when (ex is Errors.RigEnvironmentException or TimeoutException)
        {
            return (false, ex.Message);
        }
    }
}
