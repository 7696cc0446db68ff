namespace RigNotebooks.Probes;

/// <summary>Kernel lockdown (<c>/sys/kernel/security/lockdown</c>, e.g. "[none] integrity confidentiality"). Any mode but
/// none blocks /dev/mem, so the VRAM junction reader refuses to try. Secure Boot usually turns on "integrity".</summary>
public enum KernelLockdown
{
    /// <summary>The lockdown file is absent: the kernel has no lockdown LSM (nothing is locked down).</summary>
    NotAvailable,
    None,
    Integrity,
    Confidentiality,

    /// <summary>The file exists but could not be read or parsed.</summary>
    Unknown,
}

public static class LockdownProbe
{
    public const string LockdownFile = "/sys/kernel/security/lockdown";

    public static KernelLockdown Read(SystemRoot root) =>
        root.Exists(LockdownFile) ? Parse(root.ReadText(LockdownFile)) : KernelLockdown.NotAvailable;

    /// <summary>The bracketed word is the active mode.</summary>
    public static KernelLockdown Parse(string? text)
    {
        if (text is null)
        {
            return KernelLockdown.Unknown;
        }

        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf(']', open);
        return close < 0
            ? KernelLockdown.Unknown
            : text[(open + 1)..close] switch
            {
                "none" => KernelLockdown.None,
                "integrity" => KernelLockdown.Integrity,
                "confidentiality" => KernelLockdown.Confidentiality,
                _ => KernelLockdown.Unknown,
            };
    }

    public static bool BlocksDevMem(KernelLockdown mode) => mode is KernelLockdown.Integrity or KernelLockdown.Confidentiality or KernelLockdown.Unknown;
}
