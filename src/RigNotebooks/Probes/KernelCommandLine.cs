namespace RigNotebooks.Probes;

/// <summary>The kernel command line (<c>/proc/cmdline</c>): space-separated words, <c>key=value</c> or bare flags;
/// everything after a lone <c>--</c> goes to init, not the kernel.</summary>
public sealed class KernelCommandLine
{
    public KernelCommandLine(string text)
    {
        Text = text.Trim();
        var words = Text.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var end = Array.IndexOf(words, "--");
        Words = end < 0 ? words : words[..end];
    }

    public string Text { get; }

    /// <summary>The kernel's words (before any lone <c>--</c>).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The value of the last <c>key=</c> word (the kernel takes the last one), or null when absent.</summary>
    public string? Value(string key)
    {
        var prefix = key + "=";
        return Words.LastOrDefault(w => w.StartsWith(prefix, StringComparison.Ordinal)) is { } word ? word[prefix.Length..] : null;
    }

    public bool HasFlag(string flag) => Words.Contains(flag, StringComparer.Ordinal);

    /// <summary>The IOMMU-related words, for evidence: <c>iommu=</c>, <c>amd_iommu=</c>, <c>intel_iommu=</c>, <c>iommu.passthrough=</c>, <c>iommu.strict=</c>.</summary>
    public IReadOnlyList<string> IommuWords =>
        Words.Where(w => w.StartsWith("iommu=", StringComparison.Ordinal) || w.StartsWith("amd_iommu=", StringComparison.Ordinal) ||
                         w.StartsWith("intel_iommu=", StringComparison.Ordinal) || w.StartsWith("iommu.", StringComparison.Ordinal)).ToList();

    public static KernelCommandLine Read(SystemRoot root) => new(root.ReadText("/proc/cmdline") ?? string.Empty);
}
