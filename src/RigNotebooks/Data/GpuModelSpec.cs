namespace RigNotebooks.Data;

/// <summary>One GPU model's datasheet figures (data/gpus.json), each file entry naming its source.</summary>
public sealed record GpuModelSpec
{
    public required string Name { get; init; }

    public required string Architecture { get; init; }

    public required string Chip { get; init; }

    public required long MemoryBytes { get; init; }

    public required int SmCount { get; init; }

    public required double BoostClockMHz { get; init; }

    public required double Fp32Tflops { get; init; }

    /// <summary>Dense BF16/FP16 tensor throughput with FP32 accumulate.</summary>
    public required double Bf16TensorTflops { get; init; }

    public required double MemoryBandwidthGBps { get; init; }

    /// <summary>The memory clock NVML reports under load (<c>nvidia-smi -q</c> "Clocks: Memory"), MHz; for GDDR memory the
    /// driver's figure is half the per-pin data rate (bandwidth = clock × 2 × bus width / 8). Null when no source gives it.</summary>
    public double? MemoryClockMHz { get; init; }

    public required double PowerMinW { get; init; }

    public required double PowerDefaultW { get; init; }

    public required double PowerMaxW { get; init; }

    public required int MaxPcieGen { get; init; }

    /// <summary>The card's native PCIe link width (its edge connector and datasheet), e.g. 16.</summary>
    public required int MaxPcieWidth { get; init; }

    /// <summary>Whether the stock driver enables PCIe P2P on this model (GeForce 40-series: no).</summary>
    public required bool P2PInStockDriver { get; init; }

    /// <summary>Millisecond power excursions above the limit, watts; null when no figure is known.</summary>
    public double? TransientPeakW { get; init; }

    /// <summary>Memory junction temperature at which the card throttles, °C; null when unknown.</summary>
    public double? VramThrottleC { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }
}
