using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>Host→device or device→host copies on each GPU, from pinned or pageable host memory; records the PCIe
/// link generation and width seen while the copies ran (an idle GPU sits at Gen1).</summary>
public sealed class HostCopyCase(CopyRoute route, HostMemory memory) : PerGpuCopyCase(
    KeyOf(route, memory),
    $"{(route == CopyRoute.HostToDevice ? "Host to device" : "Device to host")} copies per GPU from {(memory == HostMemory.Pinned ? "pinned" : "pageable")} host memory")
{
    public CopyRoute Route { get; } = route;

    public HostMemory Memory { get; } = memory;

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var timing = Time(rig, item, settings, Route, Memory, cancellationToken);
        var parameters = Parameters(item, settings);
        foreach (var row in BandwidthRows(item, timing, rig.Source, parameters))
        {
            yield return row;
        }

        if (timing.LinkDuring is { } link)
        {
            yield return Row(Experiment, Key, item, "link_gen", link.CurrentGen, "count", rig.Source, parameters);
            yield return Row(Experiment, Key, item, "link_width", link.CurrentWidth, "count", rig.Source, parameters);
        }
    }

    public static string KeyOf(CopyRoute route, HostMemory memory) =>
        (route, memory) switch
        {
            (CopyRoute.HostToDevice, HostMemory.Pinned) => "host_to_device_pinned",
            (CopyRoute.DeviceToHost, HostMemory.Pinned) => "device_to_host_pinned",
            (CopyRoute.HostToDevice, HostMemory.Pageable) => "host_to_device_pageable",
            (CopyRoute.DeviceToHost, HostMemory.Pageable) => "device_to_host_pageable",
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "a host copy goes host to device or device to host"),
        };
}
