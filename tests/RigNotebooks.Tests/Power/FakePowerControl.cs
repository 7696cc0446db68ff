using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Tests.Power;

/// <summary>An in-memory power control that records every change and can refuse like a non-root NVML.</summary>
internal sealed class FakePowerControl(int gpus, double minW = 100, double maxW = 350, double currentW = 285) : IPowerLimitControl
{
    private readonly double[] limits = Enumerable.Repeat(currentW, gpus).ToArray();

    public List<(int Gpu, double W)> Sets { get; } = [];

    public string? WhyCannotSet { get; set; }

    /// <summary>Called before each set (e.g. to check the journal is already on disk).</summary>
    public Action<int, double>? BeforeSet { get; set; }

    /// <summary>Makes one GPU's set fail, to exercise partial restores.</summary>
    public int? FailingGpu { get; set; }

    public int GpuCount => limits.Length;

    public IReadOnlyList<double> Limits => limits;

    public PowerLimits GetLimits(int gpu) => new(minW, maxW, maxW, limits[gpu]);

    public void SetLimitW(int gpu, double watts)
    {
        if (WhyCannotSet is { } why)
        {
            throw new PowerLimitPermissionException(why);
        }

        if (watts < minW || watts > maxW)
        {
            throw new RigInputException($"{watts} W out of range");
        }

        if (FailingGpu == gpu)
        {
            throw new InvalidOperationException($"GPU {gpu} is lost");
        }

        BeforeSet?.Invoke(gpu, watts);
        Sets.Add((gpu, watts));
        limits[gpu] = watts;
    }
}
