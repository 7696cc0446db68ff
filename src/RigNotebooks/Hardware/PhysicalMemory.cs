using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Interop;

namespace RigNotebooks.Hardware;

/// <summary>Reads a 32-bit register at a physical address. The real one maps /dev/mem read-only; tests use fakes.</summary>
public interface IPhysicalMemory
{
    uint Read32(ulong physicalAddress);
}

/// <summary>
/// Reads physical memory through <c>/dev/mem</c>, one page mapped read-only per read. Needs root; the kernel may still
/// refuse a range a driver has claimed unless booted with <c>iomem=relaxed</c> (CONFIG_IO_STRICT_DEVMEM), and refuses
/// /dev/mem entirely under lockdown. Never writes.
/// </summary>
public sealed class DevMemPhysicalMemory : IPhysicalMemory
{
    public const string DevMem = "/dev/mem";

    public unsafe uint Read32(ulong physicalAddress)
    {
        var pageSize = (ulong)Math.Max(4096, LibC.sysconf(LibC.PageSizeName));
        var pageBase = physicalAddress & ~(pageSize - 1);
        var fd = LibC.open(DevMem, LibC.ReadOnly | LibC.Sync | LibC.CloseOnExec);
        if (fd < 0)
        {
            throw new RigEnvironmentException($"Cannot open {DevMem}: {Marshal.GetLastPInvokeErrorMessage()}. Reading the VRAM junction register needs root and no kernel lockdown.");
        }

        try
        {
            var map = LibC.mmap(0, (nuint)pageSize, LibC.ProtRead, LibC.MapShared, fd, checked((long)pageBase));
            if (map == LibC.MapFailed)
            {
                throw new RigEnvironmentException(
                    $"Cannot map {DevMem} at 0x{pageBase:x}: {Marshal.GetLastPInvokeErrorMessage()}. The kernel guards a driver's registers unless booted with iomem=relaxed.");
            }

            try
            {
                return Volatile.Read(ref *(uint*)((byte*)map + (physicalAddress - pageBase)));
            }
            finally
            {
                _ = LibC.munmap(map, (nuint)pageSize);
            }
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }
}
