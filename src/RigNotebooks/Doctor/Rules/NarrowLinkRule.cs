using System.Globalization;
using RigNotebooks.Model;

namespace RigNotebooks.Doctor.Rules;

/// <summary>
/// GPUs whose slot gives them fewer lanes than the card has: a bifurcated x16 slot (x4 per card), an x4 chipset slot
/// or an x1 mining riser. <see cref="LinkBelowMaxRule"/> compares a link with its own maximum, which is the slot's
/// width, so it cannot see a link that is narrow by design; this rule compares the slot's width with the card's
/// native width from data/gpus.json. Below x8 is a warning; x8 on an x16 card only a hint (the X399 rig's 4th slot).
/// </summary>
public sealed class NarrowLinkRule : IDoctorRule
{
    /// <summary>Links narrower than this are a warning; at or above it, narrower than the card is a hint.</summary>
    public const int WarningBelowWidth = 8;

    private static readonly IReadOnlyList<string> Sources =
    [
        "REFERENCE.md §2: the RTX 3090 is a PCIe 4.0 x16 card; PCIe 3.0 carries 0.985 GB/s per lane per direction (15.75 GB/s at x16)",
        "REFERENCE.md §1: the X399 platform gives 64 CPU lanes, 60 usable, on a board with five x16 slots (EPYC has more)",
    ];

    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var narrow = input.Rig.Gpus
            .Select(g => (Gpu: g, NativeWidth: input.Data.FindGpu(g.Name)?.MaxPcieWidth))
            .Where(x => x.NativeWidth is { } native ? x.Gpu.Link.MaxWidth < native : x.Gpu.Link.MaxWidth < WarningBelowWidth)
            .ToList();

        var warned = narrow.Where(x => x.Gpu.Link.MaxWidth < WarningBelowWidth).ToList();
        if (warned.Count > 0)
        {
            yield return new Finding(
                "link-narrow",
                Severity.Warning,
                $"{Gpus(warned)} on {Widths(warned)} PCIe {Links(warned)}, narrower than x{WarningBelowWidth}{Natives(warned)}",
                Evidence(warned),
                "Give each card an x8 or x16 slot: on a consumer board that means fewer cards, otherwise a platform with more CPU lanes " +
                "(Threadripper, EPYC) instead of bifurcating one x16 slot. x4 is fine for inference, where little crosses the bus once the " +
                "weights are loaded, but data-parallel training all-reduces the gradients over these links every step and becomes " +
                "communication-bound (`rig plan --compare` estimates by how much).",
                Sources);
        }

        var hinted = narrow.Where(x => x.Gpu.Link.MaxWidth >= WarningBelowWidth).ToList();
        if (hinted.Count > 0)
        {
            yield return new Finding(
                "link-narrow",
                Severity.Hint,
                $"{Gpus(hinted)} on {Widths(hinted)} PCIe {Links(hinted)}{Natives(hinted)}",
                Evidence(hinted),
                "Usually acceptable: x8 halves host-to-GPU and peer bandwidth against x16, which data-parallel training feels only in the " +
                "all-reduce (`rig plan --compare` estimates the share). Move the card to an x16 slot if the all-reduce dominates.",
                Sources);
        }
    }

    private static string Gpus(IReadOnlyList<(GpuInfo Gpu, int? NativeWidth)> gpus) =>
        (gpus.Count == 1 ? "GPU " : "GPUs ") + string.Join(", ", gpus.Select(x => x.Gpu.Index.ToString(CultureInfo.InvariantCulture)));

    private static string Links(IReadOnlyList<(GpuInfo Gpu, int? NativeWidth)> gpus) => gpus.Count == 1 ? "link" : "links";

    private static string Widths(IReadOnlyList<(GpuInfo Gpu, int? NativeWidth)> gpus) =>
        string.Join("/", gpus.Select(x => $"x{x.Gpu.Link.MaxWidth}").Distinct());

    private static string Natives(IReadOnlyList<(GpuInfo Gpu, int? NativeWidth)> gpus)
    {
        var natives = gpus.Where(x => x.NativeWidth is not null).Select(x => $"x{x.NativeWidth}").Distinct().ToList();
        return natives.Count == 0 ? string.Empty : $" (the {(gpus.Count == 1 ? "card is" : "cards are")} {string.Join("/", natives)})";
    }

    /// <summary>Per kind of card and link: the slot's width at the link's best generation against the card's native width at that generation.</summary>
    private static string Evidence(IReadOnlyList<(GpuInfo Gpu, int? NativeWidth)> gpus) =>
        string.Join(" ", gpus.GroupBy(x => (x.Gpu.Name, x.Gpu.Link.MaxGen, x.Gpu.Link.MaxWidth, x.NativeWidth)).Select(group =>
        {
            var (name, gen, width, nativeWidth) = group.Key;
            var which = group.Count() == 1 ? "GPU " : "GPUs ";
            var slot = FormattableString.Invariant(
                $"{which}{string.Join(", ", group.Select(x => x.Gpu.Index))} ({string.Join(", ", group.Select(x => x.Gpu.PciBusId))}): at most Gen{gen} x{width} = {Pcie.LaneGBps(gen) * width:0.0} GB/s per direction{(group.Count() > 1 ? " each" : string.Empty)}");
            return nativeWidth is { } native
                ? FormattableString.Invariant($"{slot} vs {Pcie.LaneGBps(gen) * native:0.0} GB/s at the {name}'s native x{native} (Gen{gen}).")
                : $"{slot}; the card's native width is unknown (not in data/gpus.json).";
        }));
}
