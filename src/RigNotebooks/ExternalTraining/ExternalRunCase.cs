namespace RigNotebooks.ExternalTraining;

/// <summary>One run of the user's command: on which GPUs, with which extra environment (e.g. NCCL_P2P_DISABLE=1).</summary>
public sealed record ExternalRunCase(IReadOnlyList<int> GpuIds, IReadOnlyDictionary<string, string> Environment)
{
    public int Gpus => GpuIds.Count;

    /// <summary>"off" when the case disables NCCL's P2P, else "on".</summary>
    public string P2P => Environment.TryGetValue("NCCL_P2P_DISABLE", out var v) && v.Trim() is not ("" or "0") ? "off" : "on";

    public string Label => $"gpus={Gpus};p2p={P2P}" + string.Concat(Environment.Where(e => e.Key != "NCCL_P2P_DISABLE").OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $";{e.Key}={e.Value}"));

    /// <summary>The cases of a scaling sweep: GPU counts × P2P on/off, each on the first N GPUs.</summary>
    public static IReadOnlyList<ExternalRunCase> Sweep(IEnumerable<int> gpuCounts, IEnumerable<bool> p2p, IReadOnlyDictionary<string, string>? extra = null) =>
        gpuCounts.SelectMany(n => p2p.Select(on =>
        {
            var env = new Dictionary<string, string>(extra ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            if (!on)
            {
                env["NCCL_P2P_DISABLE"] = "1";
            }

            return new ExternalRunCase(Enumerable.Range(0, n).ToList(), env);
        })).ToList();
}
