using System.Globalization;
using System.Text;
using RigNotebooks.Experiments;
using RigNotebooks.Plots;
using RigNotebooks.Power;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Interactive;

/// <summary>Telemetry windows, monitor runs and power sweeps as small tables, rounded the way a reader wants them.</summary>
public static class TelemetryHtml
{
    public static string Of(TelemetryWindowReport window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Table(
            ["GPU", "energy", "method", "mean power", "peak core", "peak VRAM", "throttled"],
            window.Gpus.Select(g => new[]
            {
                I(g.Gpu), Kj(g.EnergyJ), g.EnergyMethod.ToString(), W(g.AveragePowerW), C(g.PeakCoreTempC), C(g.PeakVramTempC), Pct(g.ThrottledFraction),
            }),
            F($"{window.Name}: {window.ElapsedS:0.#} s, {window.TotalEnergyJ / 1000:0.#} kJ = {window.TotalEnergyKWh:0.####} kWh"));
    }

    public static string Text(TelemetryWindowReport window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return F($"{window.Name}: {window.ElapsedS:0.#} s, {window.TotalEnergyKWh:0.####} kWh; ") +
            string.Join("; ", window.Gpus.Select(g => F($"GPU {g.Gpu} {W(g.AveragePowerW)}, core {C(g.PeakCoreTempC)}, VRAM {C(g.PeakVramTempC)}")));
    }

    public static string Of(MonitorOutcome monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return Of(monitor.Window) + "<div>" + Html.Text(Text(monitor)) + "</div>";
    }

    public static string Text(MonitorOutcome monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return F($"{monitor.Window.TotalEnergyKWh:0.####} kWh = {monitor.Cost:0.####} {monitor.Price.Currency} at {monitor.Price.PricePerKWh:0.###} {monitor.Price.Currency}/kWh") +
            (monitor.WorkloadUnitsPerS is { } rate ? F($"; {monitor.Workload}: {rate:0.###} {monitor.WorkUnit}/s") : "; no workload") +
            (monitor.SimulatedTime ? " (simulated time)" : string.Empty);
    }

    public static string Of(PowerSweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var unit = sweep.WorkUnit;
        var html = Table(
            ["cap", $"throughput ({unit}/s)", "power", $"energy per {unit}", "peak core", "peak VRAM", "throttled"],
            sweep.Caps.Select(c => new[]
            {
                c.CapLabel + " W",
                c.Throughput is { } t ? F($"{t.UnitsPerS:0.###}") : "–",
                W(c.TotalPowerW),
                c.EnergyPerUnitJ is { } e ? F($"{e:0.###} J") : "–",
                C(c.Window.Gpus.Max(g => g.PeakCoreTempC)),
                C(c.Window.Gpus.Max(g => g.PeakVramTempC)),
                Pct(c.Window.Gpus.Select(g => g.ThrottledFraction).OfType<double>().DefaultIfEmpty().Average()),
            }),
            $"{sweep.WorkloadName}{(sweep.SimulatedTime ? ", simulated time" : string.Empty)}{(sweep.DryRun ? ", dry run" : string.Empty)}");
        return html + (sweep.Recommendation is { } r ? $"<div><b>recommended:</b> {Html.Text(r.Headline)} — by {Html.Text(r.Rule)}</div>" : string.Empty);
    }

    public static string Text(PowerSweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return $"power sweep over {string.Join(", ", sweep.Caps.Select(c => c.CapLabel))} W" + (sweep.Recommendation is { } r ? $": {r.Headline}" : string.Empty);
    }

    private static string Table(IReadOnlyList<string> headers, IEnumerable<string[]> rows, string caption)
    {
        var html = new StringBuilder("<table class=\"rig-telemetry\"><caption>").Append(Html.Text(caption)).Append("</caption><thead><tr>");
        foreach (var h in headers)
        {
            html.Append("<th>").Append(Html.Text(h)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(Html.Text(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Kj(double? j) => j is { } v ? F($"{v / 1000:0.#} kJ") : "–";

    private static string W(double? w) => w is { } v ? F($"{v:0} W") : "–";

    private static string C(double? c) => c is { } v ? F($"{v:0} °C") : "–";

    private static string Pct(double? f) => f is { } v ? F($"{v * 100:0} %") : "–";
}
