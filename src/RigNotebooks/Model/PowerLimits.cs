namespace RigNotebooks.Model;

/// <summary>A GPU's board power limits in watts, as NVML reports them.</summary>
public sealed record PowerLimits(double MinW, double DefaultW, double MaxW, double CurrentW)
{
    public bool Allows(double capW) => capW >= MinW && capW <= MaxW;
}
