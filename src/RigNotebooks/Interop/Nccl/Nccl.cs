namespace RigNotebooks.Interop.Nccl;

/// <summary>NCCL's process-wide calls: version, unique ids, and groups.</summary>
public static class Nccl
{
    /// <summary>Loads libnccl.so.2 (or throws a <see cref="Errors.RigEnvironmentException"/> naming where it looked:
    /// the override variable, the system path, pip and conda locations).</summary>
    public static void EnsureLoaded() => NativeLibraries.Require(GpuLibrary.Nccl);

    /// <summary>The NCCL version code (<c>NCCL_VERSION(X,Y,Z)</c>: X×10000+Y×100+Z since 2.9, X×1000+Y×100+Z before).</summary>
    public static int VersionCode()
    {
        EnsureLoaded();
        NcclErrors.Check(NcclNative.ncclGetVersion(out var version), nameof(NcclNative.ncclGetVersion));
        return version;
    }

    /// <summary>"2.21.5".</summary>
    public static Version Version() => DecodeVersion(VersionCode());

    public static Version DecodeVersion(int code) => code >= 10000
        ? new Version(code / 10000, code / 100 % 100, code % 100)
        : new Version(code / 1000, code / 100 % 10, code % 100);

    /// <summary>A new id for <see cref="NcclCommunicator.InitRank"/>; rank 0 makes it and shares it with the others.</summary>
    public static NcclUniqueId NewUniqueId()
    {
        EnsureLoaded();
        NcclErrors.Check(NcclNative.ncclGetUniqueId(out var id), nameof(NcclNative.ncclGetUniqueId));
        return id;
    }

    /// <summary>Starts a group: collectives issued until <see cref="GroupEnd"/> are launched together (needed when one
    /// thread drives several GPUs).</summary>
    public static void GroupStart()
    {
        EnsureLoaded();
        NcclErrors.Check(NcclNative.ncclGroupStart(), nameof(NcclNative.ncclGroupStart));
    }

    public static void GroupEnd()
    {
        EnsureLoaded();
        NcclErrors.Check(NcclNative.ncclGroupEnd(), nameof(NcclNative.ncclGroupEnd));
    }

    /// <summary>Runs <paramref name="issue"/> between <see cref="GroupStart"/> and <see cref="GroupEnd"/>; the group is
    /// ended even when <paramref name="issue"/> throws, so NCCL is never left inside a group.</summary>
    public static void Grouped(Action issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        GroupStart();
        try
        {
            issue();
        }
        catch
        {
            _ = NcclNative.ncclGroupEnd();
            throw;
        }

        GroupEnd();
    }
}
