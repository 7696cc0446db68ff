using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Power;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Experiments;

/// <summary>A <c>monitor</c> run's content: the window's energy and temperatures, the workload's rate, and the money.</summary>
/// <param name="WorkloadUnitsPerS">The workload's throughput over the window; null without a workload.</param>
public sealed record MonitorOutcome(TelemetryWindowReport Window, string? Workload, double? WorkloadUnitsPerS, string? WorkUnit, ElectricityTariff Price, double Cost, bool SimulatedTime);

public static partial class Experiment
{
    /// <summary><c>rig power sweep</c>: every cap of the plan under the rig's built-in workload (throughput, power, energy per
    /// unit, temperatures, clocks), a recommended cap by the spec's rule, PSU and thermal findings; the limits are journalled
    /// first and always restored. On a simulated rig the clock runs as fast as the model computes. A real rig needs root
    /// unless <see cref="PowerSweepSpec.DryRun"/>.</summary>
    /// <param name="journalPath">Where the original limits are journalled; null = the rig's default journal.</param>
    public static async Task<ExperimentResult<PowerSweepResult>> PowerSweepAsync(
        RunStore store,
        IRig rig,
        PowerSweepSpec? spec = null,
        IProgress<PowerSweepProgress>? progress = null,
        string? journalPath = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        spec ??= new PowerSweepSpec();
        spec.Validate();
        store.EnsureWritable();
        // A simulated rig without a state folder keeps its limits in memory, in this rig object: its journal is this
        // call's own, so two such rigs in one process (the story and a notebook) never meet in one journal.
        journalPath ??= rig is SimulatedRig { Options.StateDirectory: null }
            ? PowerJournalFile.PathFor(Path.GetTempPath(), $"{rig.Id}-pid{Environment.ProcessId}-{Guid.NewGuid():N}")
            : PowerJournalFile.DefaultPathFor(rig);
        if (rig.Get<IRigClock>().Value is SimulatedClock simulated)
        {
            simulated.TimeScale = 0;
        }

        // Signals (Ctrl-C, SIGTERM) restore a real rig's limits before the process ends; a simulated rig's die with it.
        var setup = PowerSweepSetup.ForRig(rig, spec.DryRun, spec.Workload, journalPath) with { HandleSignals = rig.Source != Model.DataSource.Simulated };
        var specJson = spec.ToJson();
        specJson["rig"] = rig.Id;
        specJson["journal"] = spec.DryRun ? null : journalPath;
        specJson["simulatedTime"] = setup.Clock.IsSimulated;

        string folder;
        PowerSweepResult result;
        using (var run = store.Create(PowerSweep.Experiment, specJson, rig.Describe()))
        {
            folder = run.Folder;
            var sweep = new PowerSweep(spec, setup with { Run = run, Progress = progress });
            try
            {
                result = await sweep.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                run.Cancel();
                throw;
            }
            catch (Exception ex)
            {
                run.Fail(ex.Message);
                throw;
            }

            result.EndRun(run);
        }

        return new ExperimentResult<PowerSweepResult>(RunStore.LoadFolder(folder), result, Ordered(result.Findings), []);
    }

    /// <summary><c>rig monitor --duration … --workload burn</c>: samples every GPU (power, energy, temperatures, clocks,
    /// clock-event reasons, …) for <paramref name="durationS"/> seconds of the rig's clock while the workload runs, writes
    /// the samples as <c>telemetry</c> rows, and ends with the energy in joules, kWh and money and the thermal findings.
    /// On a simulated rig the clock runs as fast as the model computes.</summary>
    /// <param name="workload">A built-in workload of the rig (<c>burn</c>), or <c>none</c> to watch the rig as it is.</param>
    /// <param name="price">The electricity price; null = the price table's default region.</param>
    public static async Task<ExperimentResult<MonitorOutcome>> MonitorAsync(
        RunStore store,
        IRig rig,
        double durationS,
        double rateHz = 10,
        string workload = "burn",
        ElectricityTariff? price = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        if (!(durationS > 0) || double.IsInfinity(durationS))
        {
            throw new RigInputException($"The duration must be a positive number of seconds, not {durationS}.");
        }

        if (!(rateHz > 0 && rateHz <= 1000))
        {
            throw new RigInputException($"The sampling rate must be above 0 and at most 1000 Hz, not {rateHz}.");
        }

        store.EnsureWritable();
        price ??= ElectricityTariffs.Default;
        var description = rig.Describe();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        var clock = rig.Get<IRigClock>().Value ?? WallClock.Shared;
        if (clock is SimulatedClock simulated)
        {
            simulated.TimeScale = 0;
        }

        await using var work = workload.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : rig.Get<IWorkloadProvider>().Require().Create(workload);
        var spec = new System.Text.Json.Nodes.JsonObject
        {
            ["rig"] = rig.Id,
            ["durationS"] = durationS,
            ["rateHz"] = rateHz,
            ["workload"] = work?.Name ?? "none",
            ["simulatedTime"] = clock.IsSimulated,
            ["timeScale"] = clock.IsSimulated ? 0 : null,
        };

        string folder;
        MonitorOutcome outcome;
        IReadOnlyList<Doctor.Finding> findings;
        using (var run = store.Create("monitor", spec, description))
        {
            folder = run.Folder;
            using var sampler = TelemetrySampler.ForRun(run, telemetry, clock, rateHz);
            TelemetryWindowReport window;
            double? rate = null;
            try
            {
                sampler.Start();
                var opened = sampler.BeginWindow("monitor");
                var t0 = clock.NowS;
                try
                {
                    if (work is not null)
                    {
                        await work.StartAsync(cancellationToken).ConfigureAwait(false);
                    }

                    while (sampler.ElapsedS < durationS - 1e-9)
                    {
                        await clock.DelayAsync(Math.Max(Math.Min(1.0, durationS - sampler.ElapsedS), 0), cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    // The window closes while the workload still runs, so its last sample shows the load it measured.
                    window = sampler.EndWindow(opened);
                    if (work is not null)
                    {
                        rate = work.Meter.Throughput(t0, clock.NowS)?.UnitsPerS;
                        await work.StopAsync().ConfigureAwait(false);
                    }

                    sampler.Stop();
                }
            }
            catch (OperationCanceledException)
            {
                run.Cancel();
                throw;
            }

            var cost = EnergyUnits.Cost(window.TotalEnergyJ, price);
            outcome = new MonitorOutcome(window, work?.Name, rate, work?.Unit, price, cost, clock.IsSimulated);
            findings = ThermalFindings.Of(description, ReferenceData.Default, window);
            var summary = new Dictionary<string, string>
            {
                ["elapsedS"] = window.ElapsedS.ToString("0.###", CultureInfo.InvariantCulture),
                ["samples"] = sampler.SampleCount.ToString(CultureInfo.InvariantCulture),
                ["energyJ"] = window.TotalEnergyJ.ToString("0.#", CultureInfo.InvariantCulture),
                ["energyKWh"] = window.TotalEnergyKWh.ToString("0.######", CultureInfo.InvariantCulture),
                ["energyMethod"] = window.EnergyMethods,
                ["cost"] = cost.ToString("0.####", CultureInfo.InvariantCulture),
                ["currency"] = price.Currency,
                ["price"] = price.Label,
                ["simulatedTime"] = clock.IsSimulated ? "true" : "false",
            };
            if (rate is { } r)
            {
                summary["throughput"] = r.ToString("0.###", CultureInfo.InvariantCulture) + $" {work!.Unit}/s";
            }

            foreach (var e in sampler.Errors)
            {
                summary[$"telemetry{summary.Count}"] = e;
            }

            run.Complete(summary, findings);
        }

        return new ExperimentResult<MonitorOutcome>(RunStore.LoadFolder(folder), outcome, findings, []);
    }
}
