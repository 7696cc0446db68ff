using System.Runtime.InteropServices;

namespace RigNotebooks.Interop;

/// <summary>The few libc calls the kit needs on Linux: read-only mapping of physical memory through /dev/mem for the
/// VRAM junction register.</summary>
internal static partial class LibC
{
    private const string Lib = "libc.so.6";

    public const int ReadOnly = 0;           // O_RDONLY
    public const int Sync = 0x101000;        // O_SYNC on Linux (includes O_DSYNC)
    public const int CloseOnExec = 0x80000;  // O_CLOEXEC
    public const int ProtRead = 0x1;         // PROT_READ
    public const int MapShared = 0x01;       // MAP_SHARED
    public static readonly nint MapFailed = -1;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int munmap(nint address, nuint length);

    [LibraryImport(Lib)]
    internal static partial long sysconf(int name);

    public const int PageSizeName = 30; // _SC_PAGESIZE on Linux
}
