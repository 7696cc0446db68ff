using System.Globalization;
using RigNotebooks.Telemetry;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>The latest telemetry of each GPU as a table (the live view of `rig monitor`).</summary>
public static class TelemetryView
{
    public static Table Build(IReadOnlyList<GpuSample?> latest, string caption)
    {
        var table = new Table().AddColumns("GPU", "Power W (1 s)", "Energy kJ", "Core °C", "VRAM °C", "SM MHz", "Mem MHz", "Util %", "Fan %", "Clock events", "PCIe tx/rx GB/s");
        foreach (var s in latest)
        {
            if (s is null)
            {
                continue;
            }

            var r = s.Reading;
            var reasons = r.ClockEventReasons is { } m ? ClockEventReasonsText.Decode(m) : [];
            table.AddRow(
                s.Gpu.ToString(CultureInfo.InvariantCulture),
                F(r.PowerW, "0"),
                F(r.EnergyJ / 1000, "0.0"),
                F(r.CoreTempC, "0"),
                F(r.VramTempC, "0"),
                F(r.SmClockMHz, "0"),
                F(r.MemClockMHz, "0"),
                F(r.UtilGpuPct, "0"),
                F(r.FanPct, "0"),
                reasons.Count == 0 ? (r.ClockEventReasons is null ? "n/a" : "none") : Markup.Escape(string.Join(", ", reasons)),
                r.PcieTxGBps is null && r.PcieRxGBps is null ? "n/a" : $"{F(r.PcieTxGBps, "0.00")}/{F(r.PcieRxGBps, "0.00")}");
        }

        table.Caption(Markup.Escape(caption));
        return table;
    }

    private static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
