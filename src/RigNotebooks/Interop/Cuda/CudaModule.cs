namespace RigNotebooks.Interop.Cuda;

/// <summary>A loaded module (PTX compiled by the driver); its kernels are valid while it is.</summary>
public sealed class CudaModule : IDisposable
{
    internal CudaModule(CudaContext context, CudaModuleHandle handle)
    {
        Context = context;
        Handle = handle;
    }

    public CudaContext Context { get; }

    public CudaModuleHandle Handle { get; }

    /// <summary>The kernel named <paramref name="name"/> (the PTX <c>.entry</c> name).</summary>
    public CudaKernel Kernel(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuModuleGetFunction(out var function, Handle.Raw, name), $"{nameof(CudaNative.cuModuleGetFunction)}({name})");
        return new CudaKernel(this, name, function);
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>Grid or block dimensions of a kernel launch.</summary>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    public static implicit operator Dim3(uint x) => new(x);

    public static Dim3 FromUInt32(uint x) => new(x);
}

/// <summary>One kernel of a <see cref="CudaModule"/>.</summary>
public sealed class CudaKernel
{
    private readonly nint function;

    internal CudaKernel(CudaModule module, string name, nint function)
    {
        Module = module;
        Name = name;
        this.function = function;
    }

    public CudaModule Module { get; }

    public string Name { get; }

    /// <summary>Queues the kernel on <paramref name="stream"/> (<c>cuLaunchKernel</c>). Arguments must match the kernel's
    /// parameter list in order and size; buffers passed as arguments must stay alive until the stream has run it.</summary>
    public unsafe void Launch(Dim3 grid, Dim3 block, CudaStream stream, params ReadOnlySpan<KernelArgument> arguments)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Launch(grid, block, 0, stream, arguments);
    }

    public unsafe void Launch(Dim3 grid, Dim3 block, uint sharedMemoryBytes, CudaStream stream, params ReadOnlySpan<KernelArgument> arguments)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var moduleLease = new HandleLease(Module.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        Module.Context.MakeCurrent();

        // cuLaunchKernel takes an array of pointers, one per parameter, each pointing at the parameter's value.
        // Values sit in 8-byte slots; the driver reads each parameter's own size from the kernel's signature, and
        // on little-endian machines a 4-byte value occupies the first 4 bytes of its slot.
        var values = stackalloc ulong[Math.Max(arguments.Length, 1)];
        var pointers = stackalloc nint[Math.Max(arguments.Length, 1)];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Bits;
            pointers[i] = (nint)(values + i);
        }

        CudaErrors.Check(
            CudaNative.cuLaunchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedMemoryBytes, stream.Handle.Raw, pointers, null),
            $"{nameof(CudaNative.cuLaunchKernel)}({Name})");
    }
}
