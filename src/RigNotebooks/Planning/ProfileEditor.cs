using System.Globalization;
using System.Text.RegularExpressions;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Profiles;

namespace RigNotebooks.Planning;

/// <summary>
/// Applies the planner's <c>--set key=value</c> edits to a profile, giving a new <see cref="RigProfile"/> that is
/// validated exactly like a file, so an impossible edit fails with the problem named (exit 2 in the CLI).
/// </summary>
/// <remarks>
/// Edits, applied in the order given:
/// <list type="bullet">
/// <item><c>gpus=N</c>: keep the first N GPUs, or add cards like the last one in the profile's free ports (a port with
/// no card under it); a rig with no free port cannot take another card. Added cards are wired to the unit with the most
/// headroom once every edit is applied, and every note describes the final rig.</item>
/// <item><c>link=gen3x4</c>: every GPU trains at that generation and width; not wider than its slot, not faster than
/// the CPU's lanes.</item>
/// <item><c>cap=285</c>: every GPU's power limit. <c>psu=1000</c>: every unit's rating; <c>psu[1]=1000</c>: one unit's.</item>
/// <item><c>gpu=NVIDIA GeForce RTX 4090</c>: every GPU's model (a name in data/gpus.json). <c>ambient=30</c>: room °C.</item>
/// </list>
/// </remarks>
public static partial class ProfileEditor
{
    public static IReadOnlyList<string> Keys { get; } = ["gpus", "link", "cap", "psu", "psu[i]", "gpu", "ambient"];

    /// <param name="label">How the profile was named (e.g. <c>sim:blog-3x3090</c>), for error messages.</param>
    public static EditedProfile Apply(RigProfile profile, string label, IReadOnlyList<string> edits, ReferenceData data)
    {
        if (edits.Count == 0)
        {
            return new EditedProfile(profile, []);
        }

        var current = profile;
        var notes = new List<Func<RigProfile, string>>();
        var added = new List<int>();
        foreach (var edit in edits)
        {
            var (key, value) = Split(edit);
            if (key == "gpus")
            {
                Func<RigProfile, string> render;
                (current, render) = SetGpuCount(current, edit, WholeNumber(edit, value), added, data);
                notes.Add(render);
                continue;
            }

            string note;
            (current, note) = key switch
            {
                "link" => SetLink(current, edit, value, data),
                "cap" => SetCap(current, edit, Number(edit, value)),
                "gpu" => SetModel(current, value),
                "ambient" => SetAmbient(current, Number(edit, value)),
                _ when PsuKey().Match(key) is { Success: true } m => SetPsu(current, edit, m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null, Number(edit, value)),
                _ => throw new RigInputException($"--set {edit}: unknown edit '{key}' (known: {string.Join(", ", Keys)})."),
            };
            notes.Add(_ => note);
        }

        // Added cards are wired once every edit is in, so "the unit with the most headroom" is judged on the final
        // ratings, caps and models, and each note describes the rig that is planned, not the rig halfway through.
        current = WireAddedGpus(current, added, data);
        var finalNotes = notes.Select(render => render(current)).ToList();
        var edited = current with
        {
            Name = $"{profile.Name} ({string.Join(", ", edits)})",
            Description = $"{profile.Description} Edited by the planner: {string.Join("; ", finalNotes)}",
        };
        RigProfileValidator.Validate(edited, $"{label} --set {string.Join(" --set ", edits)}", data);
        return new EditedProfile(edited, finalNotes);
    }

    private static (string Key, string Value) Split(string edit)
    {
        var eq = edit.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == edit.Length - 1)
        {
            throw new RigInputException($"--set {edit}: expected key=value, e.g. gpus=4, link=gen3x4, psu=1000, cap=285 (keys: {string.Join(", ", Keys)}).");
        }

        return (edit[..eq].Trim().ToLowerInvariant(), edit[(eq + 1)..].Trim());
    }

    private static double Number(string edit, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new RigInputException($"--set {edit}: '{value}' is not a number.");

    private static int WholeNumber(string edit, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new RigInputException($"--set {edit}: '{value}' is not a whole number.");

    /// <summary>Keeps the first N GPUs, or adds cards in free ports; added cards are wired to a PSU by
    /// <see cref="WireAddedGpus"/> after the other edits. The note is rendered against the final profile.</summary>
    private static (RigProfile, Func<RigProfile, string>) SetGpuCount(RigProfile profile, string edit, int count, List<int> added, ReferenceData data)
    {
        if (count < 1)
        {
            throw new RigInputException($"--set {edit}: a rig needs at least one GPU.");
        }

        if (count <= profile.Gpus.Count)
        {
            var kept = profile with
            {
                Gpus = profile.Gpus.Take(count).ToList(),
                Psus = profile.Psus.Select(p => p with { Feeds = p.Feeds.Where(i => i < count).ToList() }).ToList(),
            };
            added.RemoveAll(i => i >= count);
            var note = count == profile.Gpus.Count ? $"gpus={count}: unchanged" : $"gpus={count}: GPUs {count}..{profile.Gpus.Count - 1} removed";
            return (kept, _ => note);
        }

        var gpus = profile.Gpus.ToList();
        var template = profile.Gpus[^1];
        var mine = new List<int>();
        while (gpus.Count < count)
        {
            var port = profile.Bridges.FirstOrDefault(b =>
                b.Kind != BridgeKind.HostBridge &&
                !gpus.Any(g => g.Parent == b.Id) &&
                !profile.Bridges.Any(c => c.Parent == b.Id));
            if (port is null)
            {
                throw new RigInputException(
                    $"--set {edit}: {profile.Name} has no free slot for GPU {gpus.Count}: every PCIe port in the profile already holds a card. " +
                    "Compare a profile that has the slot (sim:blog-4x3090 is the X399 rig with its 4th card at x8), or add a root port with its link to your own profile.");
            }

            if (port.Link is not { } portLink)
            {
                throw new RigInputException($"--set {edit}: the free port '{port.Id}' has no link width in the profile, so the new card's link is unknown; give the port a link.");
            }

            var gen = Math.Min(portLink.Gen, data.FindGpu(template.Model)?.MaxPcieGen ?? portLink.Gen);
            mine.Add(gpus.Count);
            gpus.Add(template with
            {
                BusId = NextBusId(gpus),
                Parent = port.Id,
                Link = new LinkSpec { Gen = gen, Width = portLink.Width, MaxGen = gen, MaxWidth = portLink.MaxWidth ?? portLink.Width },
                Uuid = null,
                AirflowPosition = gpus.Max(g => g.AirflowPosition ?? 0) + 1,
                Slot = $"planned: free port {port.Id}",
            });
        }

        added.AddRange(mine);
        return (profile with { Gpus = gpus }, final => $"gpus={count}: added {string.Join("; ", mine.Select(i => AddedNote(final, i)))} (placement and wiring are assumptions of the plan)");
    }

    /// <summary>Feeds each added card that is still in the rig from the unit with the most headroom, in index order.</summary>
    private static RigProfile WireAddedGpus(RigProfile profile, IReadOnlyList<int> added, ReferenceData data)
    {
        var psus = profile.Psus.ToList();
        foreach (var index in added.Where(i => i < profile.Gpus.Count).Order())
        {
            if (psus.Count == 0 || psus.Any(p => p.Feeds.Contains(index)))
            {
                continue;
            }

            var feeder = Enumerable.Range(0, psus.Count).MaxBy(p => (Headroom(psus[p], profile.Gpus, data), p));
            psus[feeder] = psus[feeder] with { Feeds = [.. psus[feeder].Feeds, index] };
        }

        return profile with { Psus = psus };
    }

    /// <summary>An added card as the final rig has it: model, limit, port, link, airflow place and PSU.</summary>
    private static string AddedNote(RigProfile final, int index)
    {
        if (index >= final.Gpus.Count)
        {
            return $"GPU {index} (removed again by a later edit)";
        }

        var gpu = final.Gpus[index];
        var psu = final.Psus.FirstOrDefault(p => p.Feeds.Contains(index));
        return $"GPU {index} ({gpu.Model}" + (gpu.PowerLimitW is { } w ? $" at {w.ToString("0.#", CultureInfo.InvariantCulture)} W" : string.Empty) +
               $") in free port {gpu.Parent} at Gen{gpu.Link.Gen} x{gpu.Link.Width}, airflow position {gpu.AirflowPosition}" +
               (psu is not null ? $", fed by {psu.Name} (the unit with the most headroom)" : ", on no PSU (the profile lists none)");
    }

    private static double Headroom(PsuSpec psu, IReadOnlyList<GpuSpec> gpus, ReferenceData data) =>
        psu.RatingW - psu.OtherLoadW - psu.Feeds.Where(i => i < gpus.Count).Sum(i => gpus[i].PowerLimitW ?? data.FindGpu(gpus[i].Model)?.PowerDefaultW ?? 0);

    private static string NextBusId(IReadOnlyList<GpuSpec> gpus)
    {
        var used = gpus.Select(g => g.BusId.ToLowerInvariant()).ToHashSet();
        var bus = gpus.Select(g => BusNumber(g.BusId)).DefaultIfEmpty(0).Max() + 1;
        string id;
        while (used.Contains(id = $"0000:{bus & 0xff:x2}:00.0"))
        {
            bus++;
        }

        return id;
    }

    private static int BusNumber(string busId)
    {
        var parts = busId.Split(':');
        return parts.Length >= 3 && int.TryParse(parts[^2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bus) ? bus : 0;
    }

    private static (RigProfile, string) SetLink(RigProfile profile, string edit, string value, ReferenceData data)
    {
        var match = LinkValue().Match(value);
        if (!match.Success)
        {
            throw new RigInputException($"--set {edit}: expected gen<1-6>x<width>, e.g. link=gen3x4 or link=gen4x16.");
        }

        var gen = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var width = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (!Pcie.IsValidWidth(width))
        {
            throw new RigInputException($"--set {edit}: x{width} is not a PCIe link width (one of x{string.Join(", x", Pcie.ValidWidths)}).");
        }

        if (width > RigProfileValidator.MaxGpuLinkWidth)
        {
            throw new RigInputException($"--set {edit}: x{width} is wider than any GPU: graphics cards and their slots are x{RigProfileValidator.MaxGpuLinkWidth} at most (x32 exists in the PCIe spec but no card uses it).");
        }

        if (data.FindCpu(profile.Platform.Cpu) is { } cpu && gen > cpu.PcieGen)
        {
            throw new RigInputException($"--set {edit}: the {cpu.Name}'s PCIe lanes are Gen{cpu.PcieGen}; a GPU on them cannot train at Gen{gen}.");
        }

        var bridges = profile.Bridges.ToList();
        var gpus = new List<GpuSpec>();
        for (var i = 0; i < profile.Gpus.Count; i++)
        {
            var gpu = profile.Gpus[i];
            var slotWidth = gpu.Link.MaxWidth ?? gpu.Link.Width;
            var portIndex = bridges.FindIndex(b => b.Id == gpu.Parent);
            var port = portIndex >= 0 ? bridges[portIndex] : null;
            if (port?.Link is { } pl && (pl.MaxWidth ?? pl.Width) < slotWidth)
            {
                slotWidth = pl.MaxWidth ?? pl.Width;
            }

            if (width > slotWidth)
            {
                throw new RigInputException(
                    $"--set {edit}: GPU {i} sits in an x{slotWidth} slot ({gpu.Slot ?? gpu.Parent}); a card cannot train wider than its slot's electrical width. Compare a profile with wider slots instead.");
            }

            var link = new LinkSpec { Gen = gen, Width = width, MaxGen = Math.Max(gen, gpu.Link.MaxGen ?? gpu.Link.Gen), MaxWidth = slotWidth };
            gpus.Add(gpu with { Link = link });

            // The port directly above a lone card carries the same link: keep the two consistent.
            var alone = port?.Link is not null && profile.Gpus.Count(g => g.Parent == port.Id) == 1 && !bridges.Any(b => b.Parent == port.Id);
            if (alone)
            {
                var pl2 = port!.Link!;
                bridges[portIndex] = port with { Link = new LinkSpec { Gen = gen, Width = width, MaxGen = Math.Max(gen, pl2.MaxGen ?? pl2.Gen), MaxWidth = pl2.MaxWidth ?? pl2.Width } };
            }
        }

        return (profile with { Gpus = gpus, Bridges = bridges }, $"link=gen{gen}x{width}: every GPU trains at Gen{gen} x{width} (slots unchanged)");
    }

    private static (RigProfile, string) SetCap(RigProfile profile, string edit, double capW)
    {
        if (capW <= 0)
        {
            throw new RigInputException($"--set {edit}: a power limit must be positive watts.");
        }

        return (profile with { Gpus = profile.Gpus.Select(g => g with { PowerLimitW = capW }).ToList() }, $"cap={capW:0.#}: every GPU limited to {capW:0.#} W");
    }

    private static (RigProfile, string) SetPsu(RigProfile profile, string edit, int? index, double ratingW)
    {
        if (profile.Psus.Count == 0)
        {
            throw new RigInputException($"--set {edit}: {profile.Name} lists no power supplies to resize; add them to the profile (psus, with the GPUs each feeds).");
        }

        if (index is { } i && (i < 0 || i >= profile.Psus.Count))
        {
            throw new RigInputException($"--set {edit}: there is no psu[{i}]; {profile.Name} has psu[0]..psu[{profile.Psus.Count - 1}] ({string.Join(", ", profile.Psus.Select(p => p.Name))}).");
        }

        if (ratingW <= 0)
        {
            throw new RigInputException($"--set {edit}: a PSU rating must be positive watts.");
        }

        var psus = profile.Psus.Select((p, n) => index is null || index == n ? p with { Name = Rerated(p, ratingW), RatingW = ratingW } : p).ToList();
        return (profile with { Psus = psus }, index is { } one ? $"psu[{one}]={ratingW:0.#}: {profile.Psus[one].Name} rated {ratingW:0.#} W" : $"psu={ratingW:0.#}: every unit rated {ratingW:0.#} W");
    }

    /// <summary>"PSU A: Seasonic 750 W" re-rated to 1000 W reads "PSU A: Seasonic 1000 W"; a name without its rating gets it appended.</summary>
    private static string Rerated(PsuSpec psu, double ratingW)
    {
        var old = $"{psu.RatingW.ToString("0.#", CultureInfo.InvariantCulture)} W";
        var now = $"{ratingW.ToString("0.#", CultureInfo.InvariantCulture)} W";
        return psu.Name.Contains(old, StringComparison.Ordinal) ? psu.Name.Replace(old, now, StringComparison.Ordinal) : $"{psu.Name} (re-rated {now})";
    }

    private static (RigProfile, string) SetModel(RigProfile profile, string model) =>
        (profile with { Gpus = profile.Gpus.Select(g => g with { Model = model }).ToList() }, $"gpu={model}: every GPU is a {model}");

    private static (RigProfile, string) SetAmbient(RigProfile profile, double ambientC) =>
        (profile with { Cooling = profile.Cooling is { } c ? c with { AmbientC = ambientC } : new CoolingSpec { AmbientC = ambientC, Layout = "not described in the profile" } },
         $"ambient={ambientC:0.#}: room at {ambientC:0.#} °C");

    [GeneratedRegex("^psu(?:\\[(\\d+)\\])?$")]
    private static partial Regex PsuKey();

    [GeneratedRegex("^gen([1-6])\\s*x(\\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LinkValue();
}

/// <summary>A profile after the planner's edits, with one note per edit saying what it changed and assumed.</summary>
public sealed record EditedProfile(RigProfile Profile, IReadOnlyList<string> Notes);
