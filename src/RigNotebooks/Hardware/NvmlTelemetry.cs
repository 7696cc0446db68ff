using RigNotebooks.Errors;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Hardware;

/// <summary>
/// Telemetry of the local rig's GPUs through NVML: power (the 1-second average on Ampere and newer, and the
/// instantaneous reading through <c>NVML_FI_DEV_POWER_INSTANT</c> where the driver offers it), the energy counter,
/// core temperature, VRAM temperature (NVML's field, else the opt-in register reader), SM and memory clocks,
/// utilisation, fan, clock-event reasons and PCIe throughput. A reading the GPU answers "not supported" once is not
/// asked again (it stays null: a waived row, never a zero). PCIe throughput is measured by NVML over a 20 ms window
/// per call, so it is refreshed for one GPU per read cycle, not for every GPU on every tick.
/// </summary>
internal sealed class NvmlTelemetry : IGpuTelemetry
{
    /// <summary><c>NVML_FI_DEV_POWER_INSTANT</c> (nvml.h): instantaneous board power, mW.</summary>
    public const uint PowerInstantField = 186;

    private readonly object gate = new();
    private readonly LocalRig rig;
    private readonly Gpu[] gpus;
    private int pcieTurn;

    public NvmlTelemetry(LocalRig rig)
    {
        this.rig = rig;
        gpus = Enumerable.Range(0, rig.Describe().Gpus.Count).Select(i => new Gpu(rig.NvmlDevice(i), rig.VramTemperature(i))).ToArray();
    }

    public int GpuCount => gpus.Length;

    public GpuReading Read(int gpu)
    {
        var g = gpus[gpu];
        var d = g.Device;
        (double? Tx, double? Rx) pcie;
        lock (gate)
        {
            if (pcieTurn % gpus.Length == gpu)
            {
                g.Pcie = (g.Try("pcie", () => d.PcieThroughputGBps(NvmlPcieCounter.Tx)), g.Try("pcie", () => d.PcieThroughputGBps(NvmlPcieCounter.Rx)));
            }

            if (gpu == gpus.Length - 1)
            {
                pcieTurn++;
            }

            pcie = g.Pcie;
        }

        var utilization = g.TryRef("util", d.Utilization);
        var vram = g.Vram.Read();
        return new GpuReading(
            PowerW: g.Try("power", d.PowerUsageW),
            PowerInstantW: g.Try("power_instant", () => InstantPowerW(d)),
            EnergyJ: g.Try("energy", d.TotalEnergyJ),
            CoreTempC: g.Try("core_temp", d.TemperatureC),
            VramTempC: vram.HasValue ? vram.Value : null,
            SmClockMHz: g.Try("sm_clock", () => d.ClockMHz(NvmlClockType.Sm)),
            MemClockMHz: g.Try("mem_clock", () => d.ClockMHz(NvmlClockType.Memory)),
            UtilGpuPct: utilization?.GpuPercent,
            UtilMemPct: utilization?.MemoryPercent,
            FanPct: g.Try("fan", d.FanSpeedPercent),
            ClockEventReasons: g.Try("clock_event_reasons", () => (double)d.ClockEventReasons()) is { } bits ? (ulong)bits : null,
            PcieTxGBps: pcie.Tx,
            PcieRxGBps: pcie.Rx);
    }

    private static double InstantPowerW(NvmlDevice device)
    {
        var reading = device.FieldValues(PowerInstantField)[0];
        NvmlErrors.Check(reading.Return, "nvmlDeviceGetFieldValues(NVML_FI_DEV_POWER_INSTANT)");
        return reading.Value / 1000.0;
    }

    private sealed class Gpu(NvmlDevice device, VramTemperatureReader vram)
    {
        private readonly HashSet<string> unsupported = [];

        public NvmlDevice Device { get; } = device;

        public VramTemperatureReader Vram { get; } = vram;

        public (double? Tx, double? Rx) Pcie { get; set; }

        /// <summary>One query; "not supported" (or a call missing from this NVML) is remembered and never asked again,
        /// other failures give no value this time only.</summary>
        public double? Try(string what, Func<double> read) => TryRead(what, read, out var value) ? value : null;

        /// <inheritdoc cref="Try"/>
        public T? TryRef<T>(string what, Func<T> read)
            where T : class => TryRead(what, read, out var value) ? value : null;

        private bool TryRead<T>(string what, Func<T> read, out T? value)
        {
            value = default;
            lock (unsupported)
            {
                if (unsupported.Contains(what))
                {
                    return false;
                }
            }

            try
            {
                value = read();
                return true;
            }
            catch (GpuNotSupportedException)
            {
                lock (unsupported)
                {
                    unsupported.Add(what);
                }

                return false;
            }
            catch (GpuLibraryException)
            {
                return false;
            }
        }
    }
}
