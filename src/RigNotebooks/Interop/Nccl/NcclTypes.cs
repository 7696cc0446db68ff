using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Nccl;

// Values from nccl.h (NVIDIA/nccl src/nccl.h.in).

/// <summary><c>ncclResult_t</c>.</summary>
public enum NcclResult
{
    Success = 0,
    UnhandledCudaError = 1,
    SystemError = 2,
    InternalError = 3,
    InvalidArgument = 4,
    InvalidUsage = 5,
    RemoteError = 6,

    /// <summary>A non-blocking operation is still running.</summary>
    InProgress = 7,
    Timeout = 8,
}

/// <summary><c>ncclDataType_t</c>.</summary>
public enum NcclDataType
{
    Int8 = 0,
    UInt8 = 1,
    Int32 = 2,
    UInt32 = 3,
    Int64 = 4,
    UInt64 = 5,
    Float16 = 6,
    Float32 = 7,
    Float64 = 8,
    BFloat16 = 9,
}

/// <summary><c>ncclRedOp_t</c> (the predefined operations).</summary>
public enum NcclReduction
{
    Sum = 0,
    Product = 1,
    Max = 2,
    Min = 3,
    Average = 4,
}

/// <summary><c>ncclUniqueId</c>: 128 opaque bytes (<c>NCCL_UNIQUE_ID_BYTES</c>) that every rank of one communicator
/// must share. Passed by value to <c>ncclCommInitRank</c>.</summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
public unsafe struct NcclUniqueId : IEquatable<NcclUniqueId>
{
    public const int Bytes = 128;

    private fixed byte internalBytes[Bytes];

    /// <summary>Rebuilds an id sent by another process (e.g. the rank-0 id in an environment variable or file).</summary>
    public static NcclUniqueId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes)
        {
            throw new ArgumentException($"An NCCL unique id has {Bytes} bytes, not {bytes.Length}.", nameof(bytes));
        }

        var id = default(NcclUniqueId);
        bytes.CopyTo(new Span<byte>(id.internalBytes, Bytes));
        return id;
    }

    public readonly byte[] ToArray()
    {
        var copy = new byte[Bytes];
        fixed (byte* p = internalBytes)
        {
            new ReadOnlySpan<byte>(p, Bytes).CopyTo(copy);
        }

        return copy;
    }

    public readonly bool Equals(NcclUniqueId other) => ToArray().AsSpan().SequenceEqual(other.ToArray());

    public override readonly bool Equals(object? obj) => obj is NcclUniqueId other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(ToArray());
        return hash.ToHashCode();
    }

    public static bool operator ==(NcclUniqueId left, NcclUniqueId right) => left.Equals(right);

    public static bool operator !=(NcclUniqueId left, NcclUniqueId right) => !left.Equals(right);
}

/// <summary>
/// <c>ncclConfig_t</c> in its NCCL 2.14 form (<c>ncclConfig_v21400</c>: size, magic, version, blocking), the oldest
/// one <c>ncclCommInitRankConfig</c> accepts. NCCL copies <c>size</c> bytes over its defaults and uses
/// <c>version</c> to decide which fields the caller set, so a 2.14-shaped config is read correctly by every later
/// NCCL: the fields added in 2.17 (cgaClusterSize, CTAs, netName) keep their defaults. The four bytes after
/// <c>blocking</c> are the C struct's tail padding; they are set to NCCL_CONFIG_UNDEF_INT because newer layouts put
/// cgaClusterSize there.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NcclConfigV21400
{
    public const uint Magic = 0xcafebeef;
    public const uint Version = 21400;
    public const int Undefined = int.MinValue; // NCCL_CONFIG_UNDEF_INT

    public nuint Size;
    public uint MagicValue;
    public uint VersionValue;
    public int Blocking;
    public int TailPadding;

    public static NcclConfigV21400 Create(bool blocking) => new()
    {
        Size = (nuint)Marshal.SizeOf<NcclConfigV21400>(),
        MagicValue = Magic,
        VersionValue = Version,
        Blocking = blocking ? 1 : 0,
        TailPadding = Undefined,
    };
}
