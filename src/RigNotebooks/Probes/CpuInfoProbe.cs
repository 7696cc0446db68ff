namespace RigNotebooks.Probes;

/// <summary>The CPU model from <c>/proc/cpuinfo</c>: the x86 "model name" line ("AMD Ryzen Threadripper 1920X 12-Core Processor").</summary>
public sealed record CpuInfo(string? Model, int LogicalCpus);

public static class CpuInfoProbe
{
    public static CpuInfo Read(SystemRoot root) => Parse(root.ReadText("/proc/cpuinfo"));

    public static CpuInfo Parse(string? text)
    {
        if (text is null)
        {
            return new CpuInfo(null, 0);
        }

        string? model = null;
        var processors = 0;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "processor")
            {
                processors++;
            }
            else if (key == "model name" && model is null && value.Length > 0)
            {
                model = value;
            }
        }

        return new CpuInfo(model, processors);
    }
}
