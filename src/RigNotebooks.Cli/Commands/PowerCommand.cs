using System.CommandLine;
using System.Globalization;
using RigNotebooks.Cli.Views;
using RigNotebooks.Errors;
using RigNotebooks.Power;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig power sweep|restore`: find a power cap with numbers, and put the limits back after anything.</summary>
public static class PowerCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var power = new Command("power", "Power-cap sweeps (throughput, energy, temperatures per cap) and restoring the original limits.");
        power.Subcommands.Add(Sweep(options, stdout, stderr));
        power.Subcommands.Add(Restore(options, stdout, stderr));
        return power;
    }

    private static Command Sweep(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var caps = new Option<string?>("--caps") { Description = "Caps to measure, in watts, e.g. 350,300,285,250 (default: from the maximum down in --step-w steps, plus the cap in force now)." };
        var step = new Option<double>("--step-w") { Description = "Step of the default plan, watts.", DefaultValueFactory = _ => 25 };
        var min = new Option<double?>("--min-w") { Description = "Lowest cap of the default plan (default: the GPUs' minimum limit)." };
        var warmup = new Option<double?>("--warmup-s") { Description = "A fixed warm-up at each cap, in seconds (default: warm up until every GPU's core and VRAM temperatures have settled, drift under 0.5 °C per 30 s, at most --max-warmup-s)." };
        var maxWarmup = new Option<double>("--max-warmup-s") { Description = "The longest warm-up at a cap when warming up until steady; a cap still not steady then is measured anyway, with a finding.", DefaultValueFactory = _ => PowerSweepSpec.DefaultMaxWarmupS };
        var measure = new Option<double>("--measure-s") { Description = "Seconds measured at each cap.", DefaultValueFactory = _ => 60 };
        var rate = new Option<double>("--rate-hz") { Description = "Telemetry samples per second.", DefaultValueFactory = _ => 10 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan the sweep and measure only at the cap in force now; change nothing (the only mode for a machine whose settings are not yours)." };
        var select = new Option<string>("--select") { Description = "How to choose the cap: zeus (η·E + (1 − η)·MaxPower·T), energy, fastest, or slowdown (lowest cap within --max-slowdown).", DefaultValueFactory = _ => "zeus" };
        var eta = new Option<double>("--eta") { Description = "Zeus's η: 1 weighs energy only, 0 time only.", DefaultValueFactory = _ => 0.5 };
        var slowdown = new Option<double>("--max-slowdown") { Description = "Slowdown bound in percent for --select slowdown.", DefaultValueFactory = _ => 3 };
        var workload = new Option<string>("--workload") { Description = "The built-in workload, unless a command follows `--`: burn (FMA, TFLOP), or on a simulated rig also train (the data-parallel training step of the reference transformer, tokens).", DefaultValueFactory = _ => "burn" };
        var journal = new Option<string?>("--journal") { Description = $"The journal of original limits (default: in $RIG_STATE_DIR, $XDG_STATE_HOME/rignotebooks or ~/.local/state/rignotebooks)." };
        var timeScale = new Option<double>("--time-scale") { Description = "Simulated rigs only: simulated seconds per wall second (0 = as fast as it computes).", DefaultValueFactory = _ => 0 };
        var env = new Option<string[]>("--env") { Description = "KEY=VALUE for the workload command (repeatable).", AllowMultipleArgumentsPerToken = false };
        var rateRegex = new Option<string?>("--rate-regex") { Description = "Regex whose first group is the command's throughput (units/s) in its output." };
        var countRegex = new Option<string?>("--count-regex") { Description = "Regex whose first group is the units the command has done so far." };
        var unitsPerRun = new Option<double?>("--units-per-run") { Description = "Units one complete run of the command does; the command is repeated." };
        var unit = new Option<string>("--unit") { Description = "The command's unit of work, singular (sample, step, token).", DefaultValueFactory = _ => "unit" };
        var silence = new Option<double>("--silence-s") { Description = "The command printing nothing this long is a finding and ends the sweep.", DefaultValueFactory = _ => 120 };
        var timeout = new Option<double?>("--timeout-s") { Description = "One run of the command longer than this is killed (a finding)." };
        var commandLine = new Argument<string[]>("command") { Description = "A workload command and its arguments, after `--` (no shell).", Arity = ArgumentArity.ZeroOrMore };
        var prices = new PriceOptions();

        var command = CommandFactory.Create(
            "sweep",
            "Sweep power caps under a workload: throughput, power, energy per unit, temperatures, clocks and throttling per cap; pick a cap; always restore the limits.",
            options,
            (c, ct) =>
            {
                var spec = new PowerSweepSpec
                {
                    CapsW = ParseCaps(c.Get(caps)),
                    StepW = c.Get(step),
                    MinCapW = c.Get(min),
                    WarmupS = c.Get(warmup),
                    MaxWarmupS = c.Get(maxWarmup),
                    MeasureS = c.Get(measure),
                    RateHz = c.Get(rate),
                    DryRun = c.Get(dryRun),
                    Workload = c.Get(workload) ?? "burn",
                    Selection = new SelectorSettings(CapSelectors.Parse(c.Get(select) ?? "zeus"), c.Get(eta), c.Get(slowdown)),
                    Price = prices.Resolve(c),
                };
                var argv = c.Get(commandLine) ?? [];
                ExternalCommandSpec? external = argv.Length == 0
                    ? null
                    : new ExternalCommandSpec(argv[0], argv[1..], ParseEnv(c.Get(env) ?? []), null, c.Get(rateRegex), c.Get(countRegex), c.Get(unitsPerRun), c.Get(unit) ?? "unit", c.Get(silence), c.Get(timeout));
                return RunSweepAsync(c, spec, external, c.Get(journal), c.Get(timeScale), ct);
            },
            stdout,
            stderr);
        foreach (var o in new Option[] { caps, step, min, warmup, maxWarmup, measure, rate, dryRun, select, eta, slowdown, workload, journal, timeScale, env, rateRegex, countRegex, unitsPerRun, unit, silence, timeout })
        {
            command.Options.Add(o);
        }

        prices.AddTo(command);
        command.Arguments.Add(commandLine);
        return command;
    }

    private static Command Restore(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var journal = new Option<string?>("--journal") { Description = "The journal to restore from (default: the rig's journal in the state folder)." };
        var force = new Option<bool>("--force") { Description = "Restore even though the process that wrote the journal still runs." };
        var command = CommandFactory.Create(
            "restore",
            "Put back the power limits journalled before a sweep (after a crash or kill -9). Nothing to do when there is no journal.",
            options,
            (c, ct) => RestoreAsync(c, c.Get(journal), c.Get(force)),
            stdout,
            stderr);
        command.Options.Add(journal);
        command.Options.Add(force);
        return command;
    }

    private static async Task<int> RunSweepAsync(CommandContext context, PowerSweepSpec spec, ExternalCommandSpec? external, string? journalOption, double timeScale, CancellationToken ct)
    {
        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var journalPath = journalOption ?? PowerJournalFile.DefaultPathFor(rig);
        if (rig.Get<IRigClock>().Value is SimulatedClock simulated)
        {
            simulated.TimeScale = timeScale;
        }

        var clock = rig.Get<IRigClock>().Value ?? WallClock.Shared;
        await using var custom = external is null ? null : new ExternalCommandWorkload(external, clock);
        var specJson = spec.ToJson();
        specJson["rig"] = context.RigSpec;
        specJson["journal"] = spec.DryRun ? null : journalPath;
        specJson["command"] = external is null ? null : custom!.Name;
        specJson["simulatedTime"] = clock.IsSimulated;

        var setup = PowerSweepSetup.ForRig(rig, spec.DryRun, spec.Workload, journalPath, null, custom);
        using var run = context.Store.Create(PowerSweep.Experiment, specJson, rig.Describe());
        setup = setup with
        {
            Run = run,
            Progress = new Progress(context.Console, spec, setup.Workload.Unit),
        };
        var sweep = new PowerSweep(spec, setup);
        PowerSweepResult result;
        try
        {
            result = await sweep.RunAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            run.Cancel();
            await context.Stderr.WriteLineAsync($"cancelled{(sweep.Signal is { } s ? $" by {s}" : string.Empty)}; {RestoreLine(sweep, journalPath)}").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not RigInputException and not PowerLimitPermissionException and not RigEnvironmentException)
        {
            run.Fail($"{ex.Message} ({RestoreLine(sweep, journalPath)})");
            await context.Stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            await context.Stderr.WriteLineAsync(RestoreLine(sweep, journalPath)).ConfigureAwait(false);
            return ExitCodes.Findings;
        }
        catch (Exception ex)
        {
            run.Fail(ex.Message);
            throw;
        }

        var exit = result.Restore is { AllRestored: false } ? ExitCodes.Findings : ExitCodes.For(result.Findings);
        result.EndRun(run);

        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = context.RigSpec,
                source = rig.Source.ToString().ToLowerInvariant(),
                runId = run.Id,
                result.DryRun,
                result.SimulatedTime,
                workload = result.WorkloadName,
                workUnit = result.WorkUnit,
                plan = result.Plan,
                caps = result.Caps.Select(c => new
                {
                    cap = c.CapLabel,
                    c.CapW,
                    throughput = c.Throughput?.UnitsPerS,
                    throughputMethod = c.Throughput?.Method.ToString(),
                    powerW = c.TotalPowerW,
                    energyJ = c.EnergyJ,
                    energyPerUnitJ = c.EnergyPerUnitJ,
                    energyMethod = c.Window.EnergyMethods,
                    c.Cost,
                    currency = spec.Price?.Currency,
                    windowS = c.Window.ElapsedS,
                    warmupS = c.Warmup?.Seconds,
                    warmupSteady = c.Warmup?.Steady,
                    warmupDriftC = c.Warmup?.DriftC,
                    rows = c.Rows,
                }),
                selections = result.Selections,
                recommendation = result.Recommendation,
                findings = result.Findings,
                restore = result.Restore,
                notes = result.Notes,
            });
        }
        else
        {
            Render(context.Console, result, spec);
            context.ShowRun(run.Id);
        }

        return exit;
    }

    private static Task<int> RestoreAsync(CommandContext context, string? journalOption, bool force)
    {
        using var rig = context.OpenRig();
        var path = journalOption ?? PowerJournalFile.DefaultPathFor(rig);
        var journal = PowerJournalFile.Read(path);
        if (journal is null)
        {
            var others = PowerJournalFile.Siblings(path)
                .Concat(PowerJournalFile.Siblings(Path.Combine(PowerJournalFile.DefaultDirectory(), "none.json")))
                .Distinct(StringComparer.Ordinal).ToList();
            var message = $"No power-limit journal at {path}: nothing to restore for {rig.Id}." +
                (others.Count > 0 ? $" Other journals there: {string.Join(", ", others)} (restore with --rig <that rig> or --journal <file>)." : string.Empty);
            if (context.Json)
            {
                context.WriteJson(new { rig = rig.Id, journal = path, restored = false, message, others });
            }
            else
            {
                context.Console.MarkupLine(Markup.Escape(message));
            }

            return Task.FromResult(ExitCodes.Ok);
        }

        if (!string.Equals(journal.RigId, rig.Id, StringComparison.Ordinal))
        {
            throw new RigInputException($"The journal {path} is for rig '{journal.RigId}', not '{rig.Id}': run `rig power restore --rig {journal.RigId}`.");
        }

        if (!force && journal.Pid != Environment.ProcessId && journal.WriterIsAlive())
        {
            throw new RigEnvironmentException($"Process {journal.Pid} ({journal.Purpose}, started {journal.CreatedUtc:u}) is still running and restores the limits when it ends; stop it (Ctrl-C or kill <pid>, not kill -9), or add --force.");
        }

        var control = rig.Get<IPowerLimitControl>().Require();
        if (control.WhyCannotSet is { } why)
        {
            throw new PowerLimitPermissionException(why);
        }

        var report = PowerRestore.Restore(control, rig.Describe(), journal);
        if (report.AllRestored)
        {
            PowerJournalFile.Delete(path);
        }

        if (context.Json)
        {
            context.WriteJson(new { rig = rig.Id, journal = path, restored = report.AllRestored, journalWrittenBy = new { journal.Pid, journal.Purpose, journal.CreatedUtc }, report.Gpus });
        }
        else
        {
            context.Console.MarkupLine(Markup.Escape($"{(report.AllRestored ? "Restored" : "NOT fully restored")} from {path} (written by process {journal.Pid}, {journal.Purpose}, {journal.CreatedUtc:u}): {report.Describe()}"));
        }

        return Task.FromResult(report.AllRestored ? ExitCodes.Ok : ExitCodes.Findings);
    }

    private static string RestoreLine(PowerSweep sweep, string journalPath) => sweep.Restore switch
    {
        null => "no power limit was changed",
        { AllRestored: true } r => $"limits restored: {r.Describe()}",
        var r => $"limits NOT restored: {r.Describe()}; the journal {journalPath} is kept: run `rig power restore`",
    };

    private static void Render(IAnsiConsole console, PowerSweepResult result, PowerSweepSpec spec)
    {
        console.MarkupLine(Markup.Escape($"power sweep: {result.WorkloadName}; {(result.DryRun ? "DRY RUN (nothing changed)" : $"{result.Caps.Count} caps")}{(result.SimulatedTime ? "; simulated time" : string.Empty)}"));
        var table = new Table().AddColumns("Cap W", $"Throughput {result.WorkUnit}/s", "Power W", $"J per {result.WorkUnit}", "Core peak/steady °C", "VRAM peak/steady °C", "SM MHz", "Throttled %", $"Cost {spec.Price?.Currency}");
        foreach (var c in result.Caps)
        {
            var w = c.Window.Gpus;
            table.AddRow(
                c.CapLabel,
                F(c.Throughput?.UnitsPerS, "0.###"),
                F(c.TotalPowerW, "0"),
                F(c.EnergyPerUnitJ, "0.###"),
                $"{F(w.Max(g => g.PeakCoreTempC), "0")}/{F(w.Max(g => g.SteadyCoreTempC), "0")}",
                $"{F(w.Max(g => g.PeakVramTempC), "0")}/{F(w.Max(g => g.SteadyVramTempC), "0")}",
                F(w.Average(g => g.MeanSmClockMHz), "0"),
                F(w.Average(g => g.ThrottledFraction) * 100, "0"),
                F(c.Cost, "0.####"));
        }

        console.Write(table);
        if (result.Selections.Count > 0)
        {
            console.MarkupLine(Markup.Escape("selectors: " + string.Join(", ", result.Selections.Select(s => $"{s.Key} {(s.Value is { } v ? F(v, "0.#") + " W" : "n/a")}"))));
        }

        FindingsView.Render(console, result.Findings);
        foreach (var n in result.Notes)
        {
            console.MarkupLine($"[grey]{Markup.Escape(n)}[/]");
        }
    }

    private static IReadOnlyList<double>? ParseCaps(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t.TrimEnd('W', 'w'), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w > 0
                ? w
                : throw new RigInputException($"--caps: '{t}' is not a number of watts (e.g. --caps 350,300,285).")).ToList();
    }

    private static Dictionary<string, string> ParseEnv(string[] pairs) =>
        pairs.Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            return eq > 0 ? (p[..eq], p[(eq + 1)..]) : throw new RigInputException($"--env '{p}' is not KEY=VALUE.");
        }).ToDictionary(kv => kv.Item1, kv => kv.Item2, StringComparer.Ordinal);

    private static string F(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>One line per phase on the human console (stderr in --json mode).</summary>
    private sealed class Progress(IAnsiConsole console, PowerSweepSpec spec, string unit) : IProgress<PowerSweepProgress>
    {
        public void Report(PowerSweepProgress p)
        {
            if (p.Phase == "done" && p.Finished is { } c)
            {
                var warmed = c.Warmup is { } w ? $" (after {w.Seconds:0} s of warm-up{(w.Steady switch { true => ", steady", false => ", NOT steady", null => string.Empty })})" : string.Empty;
                console.MarkupLine(Markup.Escape(
                    $"[{p.CapIndex + 1}/{p.CapCount}] {p.CapLabel} W: {F(c.Throughput?.UnitsPerS, "0.###")} {unit}/s, {F(c.TotalPowerW, "0")} W, {F(c.EnergyPerUnitJ, "0.###")} J/{unit}{warmed}"));
            }
            else if (p.Phase == "warmup")
            {
                var how = spec.WarmupS is { } fixedS ? $"warm-up {fixedS:0.#} s" : $"warm-up until temperatures settle (at most {spec.MaxWarmupS:0.#} s)";
                console.MarkupLine(Markup.Escape($"[{p.CapIndex + 1}/{p.CapCount}] {p.CapLabel} W: {how}, then {spec.MeasureS:0.#} s measured"));
            }
        }
    }
}
