using RigNotebooks.Model;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>How long the watchdog lets a case run before it kills the worker.</summary>
public static class Deadlines
{
    /// <summary>Simulated cases take microseconds; a simulated hang is caught after this many seconds, so the
    /// driver-545 rig reports its hang in seconds rather than minutes.</summary>
    public const double SimulatedSeconds = 3;

    /// <summary>The first case a worker runs also pays for loading the kit's code and, on a real rig, for creating
    /// CUDA contexts and initialising NCCL; it gets this much more time. The suites put a case that can hang after
    /// at least one that cannot, so a hang is still caught at the plain deadline.</summary>
    public const double FirstCaseExtraSeconds = 10;

    /// <summary>A real case moves 16 × 512 MiB three times (about 2 s on PCIe 3.0 x16, longer staged through host
    /// memory) or runs a 256 MiB all-reduce 21 times after NCCL's initialisation: a minute is far beyond healthy.</summary>
    public const double MeasuredSeconds = 60;

    /// <summary>Starting the worker process and opening the rig (loading the driver, creating contexts).</summary>
    public const double StartupSeconds = 60;

    public static double For(DataSource source) => source == DataSource.Simulated ? SimulatedSeconds : MeasuredSeconds;
}
