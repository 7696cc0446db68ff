namespace RigNotebooks.Plots;

/// <summary>Colours that stay the same across every chart: GPU n is always the same colour, P2P on/off always the same pair.</summary>
internal static class Palette
{
    private static readonly string[] Gpus = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

    public const string P2POn = "#1f77b4";
    public const string P2POff = "#d62728";
    public const string Ideal = "#7f7f7f";
    public const string Marker = "#2ca02c";
    public const string Danger = "#b00020";
    public const string Muted = "#7f7f7f";
    public const string Throttled = "rgba(214,39,40,0.15)";

    public static string Gpu(int? index) => index is { } i ? Gpus[((i % Gpus.Length) + Gpus.Length) % Gpus.Length] : "#333333";

    public static string P2P(string? mode) => mode == "off" ? P2POff : P2POn;

    public static string Series(int index) => Gpus[index % Gpus.Length];
}
