using System.Text.RegularExpressions;

namespace RigNotebooks.Probes;

/// <summary>The loaded NVIDIA kernel module, from <c>/proc/driver/nvidia/version</c>.</summary>
/// <param name="Version">"535.154.05".</param>
/// <param name="OpenKernelModule">True for the open GPU kernel modules ("Open Kernel Module"), false for the proprietary one.</param>
/// <param name="FirstLine">The NVRM line as the kernel wrote it.</param>
public sealed record NvidiaKernelModule(string Version, bool OpenKernelModule, string FirstLine);

/// <summary>Parses <c>/proc/driver/nvidia/version</c>. Formats:
/// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.154.05  Thu Dec 28 15:37:48 UTC 2023" (proprietary) and
/// "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  535.154.05  Release Build  (dvs-builder@…)  …" (open).</summary>
public static partial class NvidiaDriverProbe
{
    public const string VersionFile = "/proc/driver/nvidia/version";

    public static NvidiaKernelModule? Read(SystemRoot root) => Parse(root.ReadText(VersionFile));

    public static NvidiaKernelModule? Parse(string? text)
    {
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith("NVRM version:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var m = VersionPattern().Match(line);
        return m.Success
            ? new NvidiaKernelModule(m.Groups["v"].Value, line.Contains("Open Kernel Module", StringComparison.Ordinal), line.Trim())
            : null;
    }

    [GeneratedRegex(@"Module(?: for \S+)?\s+(?<v>\d+\.\d+(?:\.\d+)?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
