namespace RigNotebooks.Model;

/// <summary>How the GPUs are cooled; per-GPU airflow position lives on <see cref="GpuInfo"/>.</summary>
public sealed record CoolingInfo(double AmbientC, string Layout);
