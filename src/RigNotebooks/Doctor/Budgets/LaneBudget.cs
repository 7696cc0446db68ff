using RigNotebooks.Data;
using RigNotebooks.Model;

namespace RigNotebooks.Doctor.Budgets;

/// <summary>
/// The CPU PCIe lane arithmetic of a rig: each GPU takes its slot's electrical width (<see cref="PcieLink.MaxWidth"/>,
/// whatever it trained at), plus the lanes other devices take on the CPU, against the CPU's usable lanes (the total
/// less the chipset link). Shared by the doctor's <c>LaneBudgetRule</c> and the planner.
/// </summary>
public sealed record LaneBudget(
    string CpuModel,
    int GpuLanes,
    int OtherLanes,
    int? UsableLanes,
    int? TotalLanes,
    string Widths,
    CpuModelSpec? Cpu)
{
    public int NeededLanes => GpuLanes + OtherLanes;

    /// <summary>Null when the CPU's lane count is unknown.</summary>
    public int? SpareLanes => UsableLanes is { } usable ? usable - NeededLanes : null;

    public bool Exceeded => SpareLanes is < 0;

    /// <summary>"GPUs 3 x 16 = 48 lanes + 4 for other devices on CPU lanes = 52 of 60 usable CPU lanes of 64 total (…)."</summary>
    public string Evidence
    {
        get
        {
            if (UsableLanes is not { } usable)
            {
                return $"No lane count for '{CpuModel}'. The GPUs use {GpuLanes} lanes ({Widths}).";
            }

            var total = TotalLanes is { } t ? $" of {t} total" : string.Empty;
            var misbelief = Cpu?.CommonMisbelief is { } m ? $" Note: {m}" : string.Empty;
            return $"GPUs {Widths} = {GpuLanes} lanes" + (OtherLanes > 0 ? $" + {OtherLanes} for other devices on CPU lanes" : string.Empty) +
                   $" = {NeededLanes} of {usable} usable CPU lanes{total} ({CpuModel}).{misbelief}";
        }
    }

    public static LaneBudget Of(RigDescription rig, ReferenceData data)
    {
        var platform = rig.Platform;
        return new LaneBudget(
            platform.CpuModel,
            rig.Gpus.Sum(g => g.Link.MaxWidth),
            platform.OtherCpuLanesUsed ?? 0,
            platform.CpuPcieLanesUsable,
            platform.CpuPcieLanesTotal,
            string.Join(" + ", rig.Gpus.GroupBy(g => g.Link.MaxWidth).Select(g => $"{g.Count()} x {g.Key}")),
            data.FindCpu(platform.CpuModel));
    }
}
