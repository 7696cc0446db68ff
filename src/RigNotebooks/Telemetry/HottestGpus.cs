using System.Globalization;
using RigNotebooks.Model;

namespace RigNotebooks.Telemetry;

/// <summary>
/// Which GPU runs hottest, honestly: by VRAM temperature where every GPU reports one (the memory throttles first on
/// GDDR6X), else by core; GPUs within <see cref="TieC"/> of the hottest are narrowed by the other temperature, and those
/// still within it are all named — two cards held at the same throttle point are tied, not one of them "the hottest".
/// </summary>
public static class HottestGpus
{
    /// <summary>Temperatures this close are a tie (sensor resolution is 1 °C; a simulated steady state is exact).</summary>
    public const double TieC = 0.5;

    public static IReadOnlyList<int> Of(IReadOnlyList<(int Gpu, double? CoreC, double? VramC)> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        var byVram = gpus.All(g => g.VramC is not null);
        Func<(int Gpu, double? CoreC, double? VramC), double?> first = byVram ? g => g.VramC : g => g.CoreC ?? g.VramC;
        Func<(int Gpu, double? CoreC, double? VramC), double?> second = byVram ? g => g.CoreC : g => null;
        var known = gpus.Where(g => first(g) is not null).ToList();
        if (known.Count == 0)
        {
            return [];
        }

        var top = known.Max(g => first(g)!.Value);
        var tied = known.Where(g => first(g)!.Value >= top - TieC).ToList();
        if (tied.Count > 1 && tied.All(g => second(g) is not null))
        {
            var topSecond = tied.Max(g => second(g)!.Value);
            tied = tied.Where(g => second(g)!.Value >= topSecond - TieC).ToList();
        }

        return tied.Select(g => g.Gpu).Order().ToList();
    }

    /// <summary>The finding's title: "GPU 2 runs hottest (airflow position 2 of 2 …)" or "GPUs 1 and 2 run hottest, tied within 0.5 °C (airflow positions 1 and 2 of 2 …)".</summary>
    public static string Title(RigDescription rig, IReadOnlyList<int> hottest)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(hottest);
        var positions = hottest.Select(g => g < rig.Gpus.Count ? rig.Gpus[g].AirflowPosition : null).ToList();
        var last = rig.Gpus.Max(x => x.AirflowPosition ?? 0);
        var where = positions.All(p => p is not null)
            ? $"airflow position{(positions.Count > 1 ? "s" : string.Empty)} {And(positions.Select(p => p!.Value.ToString(CultureInfo.InvariantCulture)))} of {last} (0 = first in the air stream)"
            : "airflow position unknown";
        return hottest.Count == 1
            ? $"GPU {hottest[0]} runs hottest ({where})"
            : $"GPUs {And(hottest.Select(g => g.ToString(CultureInfo.InvariantCulture)))} run hottest, tied within {TieC:0.0} °C ({where})";
    }

    private static string And(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join(string.Empty, list) : $"{string.Join(", ", list.Take(list.Count - 1))} and {list[^1]}";
    }
}
