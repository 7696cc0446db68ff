using System.Globalization;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Hardware;

/// <summary>
/// The built-in burn on real GPUs: a PTX kernel of FP32 fused multiply-adds doing a fixed amount of work per launch
/// (<see cref="FlopPerLaunch"/>), loaded through the CUDA driver API (the driver compiles the PTX; no toolkit), run
/// back to back on each GPU from its own thread. Work is counted in TFLOP as each batch of launches completes, so
/// throughput follows the clocks the power cap allows. Compute-bound by design: the case where a cap costs most.
/// </summary>
internal sealed class CudaBurnWorkload : IWorkload
{
    /// <summary>Threads per block and blocks per SM: enough resident warps to hide FMA latency on every architecture since Maxwell.</summary>
    public const int ThreadsPerBlock = 256;
    public const int BlocksPerSm = 8;

    /// <summary>Loop trips per thread; each trip is 8 groups of 4 independent FMAs (64 FLOP).</summary>
    public const uint Iterations = 16384;
    public const int FlopPerThreadPerIteration = BurnPtx.FlopPerIteration;

    /// <summary>Launches queued between completions (keeps the GPU busy while the host counts).</summary>
    public const int LaunchesPerBatch = 4;

    private readonly LocalRig rig;
    private readonly IReadOnlyList<int> gpus;
    private readonly IRigClock clock;
    private readonly List<Thread> threads = [];
    private readonly WorkloadFailures failures = new();
    private volatile bool stopping;

    public CudaBurnWorkload(LocalRig rig, IReadOnlyList<int> gpus, IRigClock clock)
    {
        this.rig = rig;
        this.gpus = gpus;
        this.clock = clock;
        Name = $"FMA burn (PTX, FP32, compute-bound) on GPU {string.Join(",", gpus.Select(g => g.ToString(CultureInfo.InvariantCulture)))}";
    }

    public string Name { get; }

    public string Unit => "TFLOP";

    public WorkMeter Meter { get; } = new();

    public string? Failure => failures.Failure;

    public IReadOnlyList<Finding> Findings => failures.Findings;

    /// <summary>FP32 FLOP one launch does on a GPU with <paramref name="smCount"/> SMs (an FMA counts as 2).</summary>
    public static double FlopPerLaunch(int smCount) => (double)smCount * BlocksPerSm * ThreadsPerBlock * Iterations * FlopPerThreadPerIteration;

    public Task StartAsync(CancellationToken ct)
    {
        Meter.Begin(clock.NowS, gpus);
        var ready = new CountdownEvent(gpus.Count);
        foreach (var gpu in gpus)
        {
            var device = rig.CudaDevice(gpu);
            var thread = new Thread(() => Run(gpu, device, ready)) { IsBackground = true, Name = $"burn-gpu{gpu}" };
            threads.Add(thread);
            thread.Start();
        }

        // Return once every GPU has its kernel loaded (or failed), so a sweep's first window measures work.
        return Task.Run(() =>
        {
            ready.Wait(ct);
            if (Failure is { } why)
            {
                throw new RigEnvironmentException($"The burn could not start: {why}");
            }
        }, ct);
    }

    public Task StopAsync()
    {
        stopping = true;
        return Task.Run(() =>
        {
            foreach (var t in threads)
            {
                t.Join();
            }
        });
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void Run(int gpu, CudaDevice device, CountdownEvent ready)
    {
        var signalled = false;
        try
        {
            using var context = device.RetainPrimaryContext();
            context.MakeCurrent();
            using var module = context.LoadPtx(BurnPtx.Source);
            var kernel = module.Kernel(BurnPtx.EntryName);
            var blocks = (uint)(device.MultiprocessorCount * BlocksPerSm);
            using var output = context.Allocate((long)blocks * ThreadsPerBlock * sizeof(float));
            using var stream = context.CreateStream();
            var tflopPerBatch = FlopPerLaunch(device.MultiprocessorCount) * LaunchesPerBatch / 1e12;
            ready.Signal();
            signalled = true;
            var seed = 1.0f;
            while (!stopping)
            {
                for (var i = 0; i < LaunchesPerBatch; i++)
                {
                    kernel.Launch(blocks, ThreadsPerBlock, stream, KernelArgument.Pointer(output), KernelArgument.UInt32(Iterations), KernelArgument.Float32(seed));
                    seed += 0.001f;
                }

                stream.Synchronize();
                Meter.Add(clock.NowS, tflopPerBatch, gpu);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failures.Add($"GPU {gpu}: {ex.Message}", new Finding("burn-failed", Severity.Error, $"The burn kernel failed on GPU {gpu}", ex.Message,
                "Check `rig doctor --rig local`; an Xid error in `dmesg` points at the card, its power or its riser."));
        }
        finally
        {
            if (!signalled)
            {
                ready.Signal();
            }
        }
    }
}
