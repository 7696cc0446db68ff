using RigNotebooks.Data;

namespace RigNotebooks.Simulation.Physics;

/// <summary>
/// Dynamic voltage and frequency scaling under a power cap. Board power at clock fraction f (of full boost) is
/// <c>P(f) = P_static + (P_default − P_static) · f · v(f)²</c> with v(f) = v_min below the knee and rising linearly
/// to 1 at f = 1: power grows faster than clock, steeply at the top of the voltage/frequency curve. A capped GPU
/// runs at the highest f with P(f) ≤ cap. Throughput follows clock for the compute-bound share of the work and not
/// for the memory-bound share: <c>T(f) = 1 / ((1 − m)/f + m)</c>.
/// </summary>
/// <remarks>
/// Calibration (REFERENCE.md §1–2): an RTX 3090 draws its 350 W default limit at full boost on a compute-bound
/// load; capped at 285 W the reference rig was "a couple of percent slower". With P_static = 26 % of the default
/// (memory, VRM and fans; assumption), the knee at 91 % of boost and v_min = 0.70 (assumptions shaped like
/// Ampere's V/F curve, which climbs steeply in its last ~10 % of clock), 285 W lands at ~97 % clock: about 3 %
/// slower on a compute-bound load, with 19 % less power, so about 16 % less energy per unit of work.
/// </remarks>
public sealed class DvfsModel
{
    public const double StaticPowerFraction = 0.26;
    public const double KneeClockFraction = 0.91;
    public const double MinVoltageFraction = 0.70;

    private readonly GpuModelSpec spec;

    public DvfsModel(GpuModelSpec spec)
    {
        this.spec = spec;
    }

    public double StaticPowerW => spec.PowerDefaultW * StaticPowerFraction;

    /// <summary>Board power at clock fraction f when nothing limits it.</summary>
    public double PowerAt(double clockFraction)
    {
        var f = Math.Clamp(clockFraction, 0, 1);
        var v = f <= KneeClockFraction
            ? MinVoltageFraction
            : MinVoltageFraction + ((1 - MinVoltageFraction) * (f - KneeClockFraction) / (1 - KneeClockFraction));
        return StaticPowerW + ((spec.PowerDefaultW - StaticPowerW) * f * v * v);
    }

    /// <param name="capW">The power limit.</param>
    /// <param name="memoryBoundFraction">Share of the work limited by memory bandwidth, not core clock (0 = pure compute, e.g. an FMA burn).</param>
    public DvfsPoint At(double capW, double memoryBoundFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capW);
        var m = Math.Clamp(memoryBoundFraction, 0, 1);
        double f;
        if (PowerAt(1) <= capW)
        {
            f = 1;
        }
        else if (PowerAt(0.02) >= capW)
        {
            f = 0.02;
        }
        else
        {
            double lo = 0.02, hi = 1;
            for (var i = 0; i < 60; i++)
            {
                var mid = (lo + hi) / 2;
                if (PowerAt(mid) > capW)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }

            f = lo;
        }

        var power = Math.Min(capW, PowerAt(f));
        return new DvfsPoint(capW, f, f * spec.BoostClockMHz, power, RelativeThroughput(f, m), f < 1);
    }

    public static double RelativeThroughput(double clockFraction, double memoryBoundFraction) =>
        1 / (((1 - memoryBoundFraction) / Math.Max(clockFraction, 1e-6)) + memoryBoundFraction);
}
