using RigNotebooks.Model;

namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>The elapsed time of each sample of a timed copy case, and the PCIe link as it ran during the copies.</summary>
/// <param name="SampleSeconds">Elapsed GPU time of each sample (start event to stop event), seconds.</param>
/// <param name="BytesPerSample">Bytes moved in one sample (both directions counted when bidirectional).</param>
/// <param name="LinkDuring">The link generation and width read while the copies ran; null when the rig cannot tell.</param>
public sealed record CopyTiming(IReadOnlyList<double> SampleSeconds, long BytesPerSample, PcieLink? LinkDuring)
{
    /// <summary>Each sample's bandwidth, GB/s with GB = 1e9 bytes, as nvbandwidth reports it.</summary>
    public IReadOnlyList<double> BandwidthsGBps => SampleSeconds.Select(s => s > 0 ? BytesPerSample / s / 1e9 : double.NaN).ToList();
}
