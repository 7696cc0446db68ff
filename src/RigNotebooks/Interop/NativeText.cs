using System.Runtime.InteropServices;
using System.Text;

namespace RigNotebooks.Interop;

/// <summary>Reads NUL-terminated UTF-8 strings that native libraries write into buffers or return as static pointers.
/// Static strings (<c>nvmlErrorString</c>, <c>ncclGetErrorString</c>) must never be freed, so the bindings return
/// them as pointers and read them here instead of letting a string marshaller free them.</summary>
internal static class NativeText
{
    public static unsafe string FromBuffer(byte* buffer, int capacity)
    {
        var span = new ReadOnlySpan<byte>(buffer, capacity);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    public static string FromPointer(nint text) =>
        text == 0 ? string.Empty : Marshal.PtrToStringUTF8(text) ?? string.Empty;
}
