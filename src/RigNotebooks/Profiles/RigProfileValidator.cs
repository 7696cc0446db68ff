using System.Text.RegularExpressions;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Profiles;

/// <summary>Rejects profiles that describe an impossible rig, naming the JSON path and the problem.</summary>
public static partial class RigProfileValidator
{
    /// <summary>The widest link of any GPU: every card in data/gpus.json is PCIe x16 (their datasheets), as are CEM slots.</summary>
    public const int MaxGpuLinkWidth = 16;

    public static void Validate(RigProfile profile, string file, ReferenceData data)
    {
        void Fail(string path, string problem) => throw new InputFileException(file, path, problem);

        if (string.IsNullOrWhiteSpace(profile.Name))
        {
            Fail("$.name", "must not be empty");
        }

        ValidatePlatform(profile.Platform, data, Fail);
        ValidateBridges(profile.Bridges, Fail);

        if (profile.Gpus.Count == 0)
        {
            Fail("$.gpus", "a rig needs at least one GPU");
        }

        var busIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < profile.Gpus.Count; i++)
        {
            var gpu = profile.Gpus[i];
            var path = $"$.gpus[{i}]";
            var model = data.FindGpu(gpu.Model);
            if (model is null)
            {
                Fail($"{path}.model", $"unknown GPU model '{gpu.Model}' (known: {string.Join(", ", data.Gpus.Select(g => g.Name))}; add it to data/gpus.json)");
            }

            if (!BusIdPattern().IsMatch(gpu.BusId))
            {
                Fail($"{path}.busId", $"'{gpu.BusId}' is not a PCI bus id like 0000:09:00.0");
            }

            if (!busIds.Add(gpu.BusId))
            {
                Fail($"{path}.busId", $"bus id {gpu.BusId} is used by two GPUs");
            }

            var parent = profile.Bridges.FirstOrDefault(b => b.Id == gpu.Parent);
            if (parent is null)
            {
                Fail($"{path}.parent", $"no bridge with id '{gpu.Parent}' (bridges: {string.Join(", ", profile.Bridges.Select(b => b.Id))})");
            }
            else if (parent.Kind == BridgeKind.HostBridge)
            {
                Fail($"{path}.parent", $"a GPU sits under a root port or switch, not directly under host bridge '{gpu.Parent}'");
            }

            ValidateLink(gpu.Link, $"{path}.link", Fail);
            if ((gpu.Link.MaxWidth ?? gpu.Link.Width) > MaxGpuLinkWidth)
            {
                Fail($"{path}.link.width", $"x{gpu.Link.MaxWidth ?? gpu.Link.Width} is wider than any GPU: graphics cards and their slots are x{MaxGpuLinkWidth} at most (x32 exists in the PCIe spec but no card uses it)");
            }

            if (model is not null && (gpu.Link.MaxGen ?? gpu.Link.Gen) > model.MaxPcieGen)
            {
                Fail($"{path}.link", $"{model.Name} supports PCIe Gen{model.MaxPcieGen} at most");
            }

            if (gpu.PowerLimitW is { } limit && model is not null && (limit < model.PowerMinW || limit > model.PowerMaxW))
            {
                Fail($"{path}.powerLimitW", $"{limit} W is outside {model.Name}'s range {model.PowerMinW}-{model.PowerMaxW} W");
            }

            if (gpu.AirflowPosition is < 0)
            {
                Fail($"{path}.airflowPosition", "must be 0 or more (0 = first in the airflow)");
            }
        }

        var fed = new Dictionary<int, int>();
        for (var p = 0; p < profile.Psus.Count; p++)
        {
            var psu = profile.Psus[p];
            var path = $"$.psus[{p}]";
            if (psu.RatingW <= 0 || double.IsNaN(psu.RatingW))
            {
                Fail($"{path}.ratingW", $"a PSU rating must be positive watts, not {psu.RatingW}");
            }

            if (psu.OtherLoadW < 0)
            {
                Fail($"{path}.otherLoadW", $"must not be negative ({psu.OtherLoadW} W)");
            }

            for (var f = 0; f < psu.Feeds.Count; f++)
            {
                var index = psu.Feeds[f];
                if (index < 0 || index >= profile.Gpus.Count)
                {
                    Fail($"{path}.feeds[{f}]", $"GPU {index} does not exist (the profile has GPUs 0..{profile.Gpus.Count - 1})");
                }

                if (fed.TryGetValue(index, out var other))
                {
                    Fail($"{path}.feeds[{f}]", $"GPU {index} is already fed by psus[{other}]");
                }

                fed[index] = p;
            }
        }

        if (profile.Cooling is { } cooling && (cooling.AmbientC < -20 || cooling.AmbientC > 60))
        {
            Fail("$.cooling.ambientC", $"{cooling.AmbientC} °C is not a room temperature (-20..60)");
        }

        if (profile.Faults.PeerBandwidthFactor is { } factor && (factor <= 0 || factor > 1 || double.IsNaN(factor)))
        {
            Fail("$.faults.peerBandwidthFactor", $"must be in (0, 1], not {factor}");
        }

        if (profile.Cost is { } cost)
        {
            for (var i = 0; i < cost.BillOfMaterials.Count; i++)
            {
                if (cost.BillOfMaterials[i].Price < 0)
                {
                    Fail($"$.cost.billOfMaterials[{i}].price", "must not be negative");
                }
            }
        }
    }

    private static void ValidatePlatform(PlatformSpec platform, ReferenceData data, Action<string, string> fail)
    {
        if (!DriverPattern().IsMatch(platform.DriverVersion))
        {
            fail("$.platform.driverVersion", $"'{platform.DriverVersion}' is not an NVIDIA driver version like 535.154.05");
        }

        if (platform.CpuPcieLanesTotal is < 1 or > 256)
        {
            fail("$.platform.cpuPcieLanesTotal", "must be between 1 and 256");
        }

        if (platform.CpuPcieLanesUsable is { } usable && (usable < 1 || usable > (platform.CpuPcieLanesTotal ?? 256)))
        {
            fail("$.platform.cpuPcieLanesUsable", "must be between 1 and the total lane count");
        }

        if (platform.OtherCpuLanesUsed < 0)
        {
            fail("$.platform.otherCpuLanesUsed", "must not be negative");
        }

        if (platform.NumaNodes is < 1)
        {
            fail("$.platform.numaNodes", "must be 1 or more");
        }

        if (platform.Iommu == IommuMode.Unknown)
        {
            fail("$.platform.iommu", "a profile must say off, passthrough or translating");
        }

        if (data.FindCpu(platform.Cpu) is null && platform.CpuPcieLanesTotal is null)
        {
            fail("$.platform.cpu", $"unknown CPU '{platform.Cpu}': give cpuPcieLanesTotal and cpuPcieLanesUsable, or add it to data/cpus.json (known: {string.Join(", ", data.Cpus.Select(c => c.Name))})");
        }
    }

    private static void ValidateBridges(IReadOnlyList<BridgeSpec> bridges, Action<string, string> fail)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < bridges.Count; i++)
        {
            if (!ids.TryAdd(bridges[i].Id, i))
            {
                fail($"$.bridges[{i}].id", $"bridge id '{bridges[i].Id}' is used twice");
            }
        }

        for (var i = 0; i < bridges.Count; i++)
        {
            var bridge = bridges[i];
            var path = $"$.bridges[{i}]";
            if (bridge.Kind == BridgeKind.HostBridge && bridge.Parent is not null)
            {
                fail($"{path}.parent", "a host bridge is the root of its tree and has no parent");
            }

            if (bridge.Kind != BridgeKind.HostBridge)
            {
                if (bridge.Parent is null)
                {
                    fail($"{path}.parent", $"a {bridge.Kind} needs a parent bridge");
                }
                else if (!ids.ContainsKey(bridge.Parent))
                {
                    fail($"{path}.parent", $"no bridge with id '{bridge.Parent}'");
                }
            }

            if (bridge.Link is { } link)
            {
                ValidateLink(link, $"{path}.link", fail);
            }

            // Walk up: a cycle would never reach a host bridge.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = bridge; current?.Parent is { } parent; current = bridges.FirstOrDefault(b => b.Id == parent))
            {
                if (!seen.Add(current.Id))
                {
                    fail($"{path}.parent", $"bridge '{bridge.Id}' is its own ancestor");
                }
            }
        }
    }

    private static void ValidateLink(LinkSpec link, string path, Action<string, string> fail)
    {
        if (!Pcie.IsValidGeneration(link.Gen))
        {
            fail($"{path}.gen", $"PCIe generation {link.Gen} does not exist (1..6)");
        }

        if (!Pcie.IsValidWidth(link.Width))
        {
            fail($"{path}.width", $"x{link.Width} is not a PCIe link width (one of x{string.Join(", x", Pcie.ValidWidths)})");
        }

        if (link.MaxGen is { } maxGen && (!Pcie.IsValidGeneration(maxGen) || maxGen < link.Gen))
        {
            fail($"{path}.maxGen", $"Gen{maxGen} is not a valid maximum for a link trained at Gen{link.Gen}");
        }

        if (link.MaxWidth is { } maxWidth && (!Pcie.IsValidWidth(maxWidth) || maxWidth < link.Width))
        {
            fail($"{path}.maxWidth", $"x{maxWidth} is not a valid maximum for a link trained at x{link.Width}");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$")]
    private static partial Regex BusIdPattern();

    [GeneratedRegex("^[0-9]{2,4}(\\.[0-9]{1,3}){1,2}$")]
    private static partial Regex DriverPattern();
}
