using System.Diagnostics;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nccl;

namespace RigNotebooks.Hardware;

/// <summary>
/// All-reduce timed with NCCL on this machine's GPUs, as nccl-tests' all_reduce_perf does in one process
/// (ncclCommInitAll, one rank per GPU, collectives issued inside a group): warm-up iterations, then the mean wall
/// time of the timed iterations, then a data check — every rank contributes rank+1 and every element must come back
/// as n(n+1)/2. NCCL reads NCCL_P2P_DISABLE once, when it initialises, so a request whose P2P mode disagrees with
/// this process's environment is refused: the kit runs each mode in its own child process with the variable set.
/// </summary>
internal sealed class LocalAllReduceTimer(Func<int, CudaDevice> cudaDevice) : IAllReduceTimer, IDisposable
{
    /// <summary>On the local rig: rig GPU i is the CUDA device at its PCI bus id.</summary>
    public static LocalAllReduceTimer For(LocalRig rig) => new(rig.CudaDevice);

    private readonly Dictionary<string, Ranks> communicators = new(StringComparer.Ordinal);

    public AllReduceTiming Time(AllReduceRequest request, CancellationToken cancellationToken)
    {
        var disabled = Environment.GetEnvironmentVariable(AllReduceCase.P2PDisableVariable) is { } v && v.Trim() is not ("" or "0");
        if (request.PeerToPeer == disabled)
        {
            throw new InvalidOperationException(
                $"P2P {(request.PeerToPeer ? "on" : "off")} was asked for, but this process has {AllReduceCase.P2PDisableVariable}={(disabled ? "1" : "unset")}: " +
                "NCCL reads it once at initialisation, so each P2P mode must run in its own process (rig allreduce does this).");
        }

        var ranks = Communicators(request.Gpus);
        var count = request.Elements;
        var buffers = ranks.Contexts.Select(c => (Send: c.Allocate(request.SizeBytes), Receive: request.InPlace ? null : c.Allocate(request.SizeBytes))).ToList();
        try
        {
            void Fill()
            {
                for (var r = 0; r < buffers.Count; r++)
                {
                    buffers[r].Send.Memset32(BitConverter.SingleToUInt32Bits(r + 1));
                }
            }

            void Once() => Nccl.Grouped(() =>
            {
                for (var r = 0; r < buffers.Count; r++)
                {
                    ranks.Comms[r].AllReduce(buffers[r].Send, buffers[r].Receive ?? buffers[r].Send, count, NcclDataType.Float32, NcclReduction.Sum, ranks.Streams[r]);
                }
            });

            void Wait()
            {
                foreach (var stream in ranks.Streams)
                {
                    stream.Synchronize();
                }
            }

            Fill();
            for (var i = 0; i < request.WarmupIterations; i++)
            {
                Once();
            }

            Wait();
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < request.Iterations; i++)
            {
                Once();
            }

            Wait();
            var timeUs = clock.Elapsed.TotalMicroseconds / request.Iterations;

            long? wrong = null;
            if (request.CheckData)
            {
                foreach (var context in ranks.Contexts)
                {
                    context.Synchronize();
                }

                Fill();
                Once();
                Wait();
                var expected = BitConverter.SingleToUInt32Bits(buffers.Count * (buffers.Count + 1) / 2f);
                wrong = 0;
                for (var r = 0; r < buffers.Count; r++)
                {
                    wrong += CountWrong(ranks.Contexts[r], buffers[r].Receive ?? buffers[r].Send, expected);
                }
            }

            return new AllReduceTiming(timeUs, wrong);
        }
        finally
        {
            foreach (var (send, receive) in buffers)
            {
                receive?.Dispose();
                send.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var ranks in communicators.Values)
        {
            ranks.Dispose();
        }

        communicators.Clear();
    }

    private static long CountWrong(CudaContext context, DeviceBuffer buffer, uint expected)
    {
        const int chunk = 1 << 30;
        using var host = context.AllocatePinned(buffer.SizeBytes);
        CudaCopy.DeviceToHost(host, buffer, buffer.SizeBytes);
        long wrong = 0;
        for (long offset = 0; offset < buffer.SizeBytes; offset += chunk)
        {
            var span = host.Slice(offset, (int)Math.Min(chunk, buffer.SizeBytes - offset));
            foreach (var word in System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(span))
            {
                if (word != expected)
                {
                    wrong++;
                }
            }
        }

        return wrong;
    }

    private Ranks Communicators(IReadOnlyList<int> gpus)
    {
        var key = string.Join(',', gpus);
        if (!communicators.TryGetValue(key, out var ranks))
        {
            Nccl.EnsureLoaded();
            var devices = gpus.Select(cudaDevice).ToList();
            var contexts = devices.Select(d => d.RetainPrimaryContext()).ToList();
            var comms = NcclCommunicator.InitAll(devices.Select(d => d.Ordinal).ToList());
            var streams = contexts.Select(c => c.CreateStream()).ToList();
            ranks = new Ranks(contexts, comms, streams);
            communicators[key] = ranks;
        }

        return ranks;
    }

    private sealed record Ranks(IReadOnlyList<CudaContext> Contexts, IReadOnlyList<NcclCommunicator> Comms, IReadOnlyList<CudaStream> Streams) : IDisposable
    {
        public void Dispose()
        {
            foreach (var s in Streams)
            {
                s.Dispose();
            }

            foreach (var c in Comms)
            {
                c.Dispose();
            }

            foreach (var c in Contexts)
            {
                c.Dispose();
            }
        }
    }
}
