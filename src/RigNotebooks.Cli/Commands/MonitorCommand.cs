using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Cli.Views;
using RigNotebooks.Errors;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig monitor`: samples every GPU in the background, shows a live table, writes the samples to a run
/// (experiment <c>monitor</c>), and ends with energy per GPU in joules, kWh and money.</summary>
public static class MonitorCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var duration = new Option<double?>("--duration") { Description = "Seconds to monitor (of the rig's clock); default: until Ctrl-C." };
        var rate = new Option<double>("--rate-hz") { Description = "Samples per second.", DefaultValueFactory = _ => 10 };
        var workload = new Option<string>("--workload") { Description = "Run a built-in workload while monitoring: none or burn.", DefaultValueFactory = _ => "none" };
        var timeScale = new Option<double>("--time-scale")
        {
            Description = "Simulated rigs only: simulated seconds per wall second (1 = real time, 0 = as fast as it computes; needs --duration).",
            DefaultValueFactory = _ => 1,
        };
        var prices = new PriceOptions();
        var command = CommandFactory.Create(
            "monitor",
            "Sample power, energy, temperatures, clocks, utilisation, fans, clock-event reasons and PCIe throughput of every GPU; live table; writes a run.",
            options,
            (c, ct) => RunAsync(c, c.Get(duration), c.Get(rate), c.Get(workload) ?? "none", c.Get(timeScale), prices.Resolve(c), ct),
            stdout,
            stderr);
        command.Options.Add(duration);
        command.Options.Add(rate);
        command.Options.Add(workload);
        command.Options.Add(timeScale);
        prices.AddTo(command);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, double? durationS, double rateHz, string workloadName, double timeScale, ElectricityTariff price, CancellationToken ct)
    {
        if (durationS is { } d && !(d > 0))
        {
            throw new RigInputException($"--duration must be a positive number of seconds, not {d}.");
        }

        if (!(rateHz > 0 && rateHz <= 1000))
        {
            throw new RigInputException($"--rate-hz must be above 0 and at most 1000, not {rateHz}.");
        }

        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var description = rig.Describe();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        var clock = rig.Get<IRigClock>().Value ?? WallClock.Shared;
        if (clock is SimulatedClock simulated)
        {
            if (timeScale == 0 && durationS is null)
            {
                throw new RigInputException("--time-scale 0 runs the simulated clock as fast as it computes: give --duration too.");
            }

            simulated.TimeScale = timeScale;
        }

        IWorkload? workload = workloadName.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : rig.Get<IWorkloadProvider>().Require().Create(workloadName);
        var spec = new JsonObject
        {
            ["rig"] = context.RigSpec,
            ["durationS"] = durationS,
            ["rateHz"] = rateHz,
            ["workload"] = workload?.Name ?? "none",
            ["simulatedTime"] = clock.IsSimulated,
            ["timeScale"] = clock.IsSimulated ? timeScale : null,
        };
        using var run = context.Store.Create("monitor", spec, description);
        var samples = new List<GpuSample>();
        using var sampler = TelemetrySampler.ForRun(run, telemetry, clock, rateHz);
        if (context.Json)
        {
            sampler.Sampled += taken => samples.AddRange(taken);
        }

        var cancelled = false;
        TelemetryWindowReport? report = null;
        double? workRate = null;
        sampler.Start();
        var window = sampler.BeginWindow("monitor");
        var t0 = clock.NowS;
        try
        {
            if (workload is not null)
            {
                await workload.StartAsync(ct).ConfigureAwait(false);
            }

            var caption = $"{context.RigSpec} ({rig.Source.ToString().ToLowerInvariant()}){(clock.IsSimulated ? $", simulated time x{timeScale.ToString(CultureInfo.InvariantCulture)}" : string.Empty)} — Ctrl-C to stop";
            async Task LoopAsync(Action refresh)
            {
                while (durationS is null || sampler.ElapsedS < durationS.Value - 1e-9)
                {
                    var step = durationS is { } total ? Math.Min(0.5, total - sampler.ElapsedS) : 0.5;
                    await clock.DelayAsync(Math.Max(step, 0), ct).ConfigureAwait(false);
                    refresh();
                }
            }

            try
            {
                if (!context.Json && context.Console.Profile.Capabilities.Interactive)
                {
                    var table = TelemetryView.Build(sampler.Latest, caption);
                    await context.Console.Live(table).StartAsync(async live =>
                        await LoopAsync(() => live.UpdateTarget(TelemetryView.Build(sampler.Latest, caption))).ConfigureAwait(false)).ConfigureAwait(false);
                }
                else
                {
                    await LoopAsync(() => { }).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cancelled = true; // Ctrl-C is how a monitor without --duration ends: a normal end
            }
        }
        finally
        {
            // Close the window while the workload still runs, so the last sample shows the load it measured.
            report = sampler.EndWindow(window);
            if (workload is not null)
            {
                workRate = workload.Meter.Throughput(t0, clock.NowS)?.UnitsPerS;
                await workload.StopAsync().ConfigureAwait(false);
                await workload.DisposeAsync().ConfigureAwait(false);
            }

            sampler.Stop();
        }

        var summary = new Dictionary<string, string>
        {
            ["elapsedS"] = report.ElapsedS.ToString("0.###", CultureInfo.InvariantCulture),
            ["samples"] = sampler.SampleCount.ToString(CultureInfo.InvariantCulture),
            ["energyJ"] = report.TotalEnergyJ.ToString("0.#", CultureInfo.InvariantCulture),
            ["energyKWh"] = report.TotalEnergyKWh.ToString("0.######", CultureInfo.InvariantCulture),
            ["energyMethod"] = report.EnergyMethods,
            ["cost"] = EnergyUnits.Cost(report.TotalEnergyJ, price).ToString("0.####", CultureInfo.InvariantCulture),
            ["currency"] = price.Currency,
            ["price"] = price.Label,
            ["simulatedTime"] = clock.IsSimulated ? "true" : "false",
        };
        if (workRate is { } wr)
        {
            summary["throughput"] = wr.ToString("0.###", CultureInfo.InvariantCulture) + $" {workload!.Unit}/s";
        }

        run.Complete(summary);
        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = context.RigSpec,
                source = rig.Source.ToString().ToLowerInvariant(),
                runId = run.Id,
                simulatedTime = clock.IsSimulated,
                timeScale = clock.IsSimulated ? timeScale : (double?)null,
                note = clock.IsSimulated ? "t_s is simulated time; it may run faster than the wall clock (see timeScale)" : null,
                rateHz,
                elapsedS = report.ElapsedS,
                stoppedByUser = cancelled,
                gpus = description.Gpus.Count,
                workload = workload?.Name,
                workloadThroughput = workRate,
                workUnit = workload?.Unit,
                energy = new
                {
                    totalJ = report.TotalEnergyJ,
                    totalKWh = report.TotalEnergyKWh,
                    cost = EnergyUnits.Cost(report.TotalEnergyJ, price),
                    price.Currency,
                    price = price.Label,
                    perGpu = report.Gpus.Select(g => new { g.Gpu, g.EnergyJ, method = g.EnergyMethod.ToString(), g.AveragePowerW, g.PeakCoreTempC, g.PeakVramTempC, g.ThrottledFraction }),
                },
                samples = samples.Select(s => new
                {
                    tS = s.TimeS,
                    s.Gpu,
                    powerW = s.Reading.PowerW,
                    powerInstantW = s.Reading.PowerInstantW,
                    energyJ = s.Reading.EnergyJ,
                    coreTempC = s.Reading.CoreTempC,
                    vramTempC = s.Reading.VramTempC,
                    smClockMHz = s.Reading.SmClockMHz,
                    memClockMHz = s.Reading.MemClockMHz,
                    utilGpuPct = s.Reading.UtilGpuPct,
                    utilMemPct = s.Reading.UtilMemPct,
                    fanPct = s.Reading.FanPct,
                    clockEventReasons = s.Reading.ClockEventReasons,
                    clockEventReasonNames = s.Reading.ClockEventReasons is { } m ? ClockEventReasonsText.Decode(m) : null,
                    pcieTxGBps = s.Reading.PcieTxGBps,
                    pcieRxGBps = s.Reading.PcieRxGBps,
                }),
                errors = sampler.Errors,
            });
        }
        else
        {
            context.Console.Write(TelemetryView.Build(sampler.Latest, $"{context.RigSpec}: last sample"));
            context.Console.MarkupLine(Markup.Escape(
                $"{report.ElapsedS:0.#} s{(clock.IsSimulated ? " (simulated)" : string.Empty)}, {sampler.SampleCount} samples; energy {report.TotalEnergyJ / 1000:0.##} kJ = {report.TotalEnergyKWh:0.#####} kWh ({report.EnergyMethods}) = {EnergyUnits.Cost(report.TotalEnergyJ, price):0.####} {price.Currency} at {price.Label}"
                + (workRate is { } w ? $"; workload {w:0.###} {workload!.Unit}/s" : string.Empty)));
            foreach (var e in sampler.Errors)
            {
                context.Console.MarkupLine($"[yellow]telemetry:[/] {Markup.Escape(e)}");
            }

            context.ShowRun(run.Id);
        }

        return ExitCodes.Ok;
    }
}
