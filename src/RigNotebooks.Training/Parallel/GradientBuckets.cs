using RigNotebooks.Training.Collectives;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Parallel;

/// <summary>
/// A replica's parameters grouped into flat fp32 buffers of about <c>bucketBytes</c> each, in reverse registration
/// order (the order backward produces gradients, as PyTorch DDP does). Each step every bucket is packed from the
/// gradients, all-reduced as one call, and unpacked: few large calls instead of one per tensor. The buffers are
/// allocated once, on the replica's device, outside any dispose scope. After <see cref="BindGradients"/> every
/// parameter's gradient IS a view into its bucket (PyTorch DDP's gradient_as_bucket_view): backward accumulates
/// straight into the flat buffer, and the all-reduce needs no packing or unpacking copies.
/// </summary>
internal sealed class GradientBuckets : IDisposable
{
    private readonly List<Bucket> buckets = [];

    public GradientBuckets(IReadOnlyList<Tensor> parameters, long bucketBytes, Device device)
    {
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var p in parameters.Reverse())
        {
            var size = p.numel() * 4;
            if (current.Count > 0 && bytes + size > bucketBytes)
            {
                buckets.Add(new Bucket(current, device));
                current = [];
                bytes = 0;
            }

            current.Add(p);
            bytes += size;
        }

        if (current.Count > 0)
        {
            buckets.Add(new Bucket(current, device));
        }
    }

    public int Count => buckets.Count;

    public bool GradientsBound { get; private set; }

    /// <summary>Makes each parameter's .grad a view of its slice of the bucket (zeroed).</summary>
    public void BindGradients()
    {
        using var noGrad = no_grad();
        foreach (var bucket in buckets)
        {
            bucket.BindGradients();
        }

        GradientsBound = true;
    }

    /// <summary>Zeroes every gradient in place (the views stay bound; optimizer.zero_grad might drop them).</summary>
    public void ZeroGradients()
    {
        using var noGrad = no_grad();
        foreach (var bucket in buckets)
        {
            bucket.Zero();
        }
    }

    public long TotalElements => buckets.Sum(b => b.Elements);

    /// <summary>Averages every parameter's gradient over the ranks: one all-reduce per bucket with the collective's
    /// average, or its sum scaled by 1/ranks where it has no average (NCCL before 2.10).</summary>
    public void AllReduceGradients(ICollective collective, Action synchronize)
    {
        if (collective.WorldSize == 1)
        {
            return; // the mean over one rank is the gradient itself
        }

        using var noGrad = no_grad();
        var average = collective.SupportsAverage;
        foreach (var bucket in buckets)
        {
            if (!GradientsBound)
            {
                bucket.Pack(gradients: true);
            }

            synchronize();
            collective.AllReduce(bucket.Address, bucket.Elements, CollectiveDataType.Float32, average ? ReduceOp.Average : ReduceOp.Sum);
            synchronize();
            if (!average)
            {
                bucket.Scale(1.0 / collective.WorldSize); // sum, then scale: the mean without ncclAvg
            }

            if (!GradientsBound)
            {
                bucket.Unpack(gradients: true);
            }
        }
    }

    /// <summary>Makes every rank's parameters equal to the root's.</summary>
    public void BroadcastParameters(ICollective collective, int root, Action synchronize)
    {
        if (collective.WorldSize == 1)
        {
            return;
        }

        using var noGrad = no_grad();
        foreach (var bucket in buckets)
        {
            bucket.Pack(gradients: false);
            synchronize();
            collective.Broadcast(bucket.Address, bucket.Elements, CollectiveDataType.Float32, root);
            synchronize();
            bucket.Unpack(gradients: false);
        }
    }

    public void Dispose()
    {
        foreach (var b in buckets)
        {
            b.Dispose();
        }
    }

    private sealed class Bucket : IDisposable
    {
        private readonly List<Tensor> parameters;
        private readonly Tensor flat;

        public Bucket(List<Tensor> parameters, Device device)
        {
            this.parameters = parameters;
            Elements = parameters.Sum(p => p.numel());
            flat = zeros(Elements, ScalarType.Float32, device).DetachFromDisposeScope();
        }

        public long Elements { get; }

        public void Zero() => flat.zero_();

        public void Scale(double factor) => flat.mul_(factor);

        public void BindGradients()
        {
            flat.zero_();
            long offset = 0;
            foreach (var p in parameters)
            {
                var n = p.numel();
                p.grad = flat.narrow(0, offset, n).view(p.shape).DetachFromDisposeScope();
                offset += n;
            }
        }

        /// <summary>The buffer's address: the storage's data pointer plus the tensor's offset in it (device memory on CUDA).</summary>
        public IntPtr Address => flat.storage<float>().data_ptr() + (nint)(flat.storage_offset() * flat.element_size());

        public void Pack(bool gradients)
        {
            long offset = 0;
            foreach (var p in parameters)
            {
                var n = p.numel();
                using var slice = flat.narrow(0, offset, n);
                var source = gradients ? p.grad : p;
                if (source is null)
                {
                    slice.zero_();
                }
                else
                {
                    using var view = source.reshape(-1);
                    slice.copy_(view);
                }

                offset += n;
            }
        }

        public void Unpack(bool gradients)
        {
            long offset = 0;
            foreach (var p in parameters)
            {
                var n = p.numel();
                using var slice = flat.narrow(0, offset, n);
                using var shaped = slice.view(p.shape);
                if (gradients)
                {
                    if (p.grad is { } g)
                    {
                        g.copy_(shaped);
                    }
                }
                else
                {
                    p.copy_(shaped);
                }

                offset += n;
            }
        }

        public void Dispose() => flat.Dispose();
    }
}
