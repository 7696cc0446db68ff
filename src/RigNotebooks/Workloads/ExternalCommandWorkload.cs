using System.Globalization;
using System.Text.RegularExpressions;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Processes;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Workloads;

/// <summary>How to run a user's command as a workload. Never a shell string: the program and its arguments, as a list.</summary>
/// <param name="RateRegex">A regex whose first group (or group <c>rate</c>) is the throughput in units per second, read from each output line.</param>
/// <param name="CountRegex">A regex whose first group (or group <c>count</c>) is the number of units done so far (a step or sample counter).</param>
/// <param name="UnitsPerRun">The units one complete run does; the command is then run again and again, each exit 0 counting this many units.</param>
/// <param name="SilenceS">No output for this long is a finding and ends the workload (a hung job).</param>
/// <param name="TimeoutS">One run longer than this is killed and is a finding.</param>
public sealed record ExternalCommandSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? WorkingDirectory = null,
    string? RateRegex = null,
    string? CountRegex = null,
    double? UnitsPerRun = null,
    string Unit = "unit",
    double SilenceS = 120,
    double? TimeoutS = null)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FileName))
        {
            throw new RigInputException("The workload command is empty; give the program and its arguments after `--`.");
        }

        var ways = (RateRegex is null ? 0 : 1) + (CountRegex is null ? 0 : 1) + (UnitsPerRun is null ? 0 : 1);
        if (ways != 1)
        {
            throw new RigInputException("Say how the command's work is counted, in exactly one way: --rate-regex (units/s in its output), --count-regex (units done so far in its output), or --units-per-run (units per complete run; the command is repeated).");
        }

        foreach (var (name, pattern) in new[] { ("--rate-regex", RateRegex), ("--count-regex", CountRegex) })
        {
            if (pattern is null)
            {
                continue;
            }

            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new RigInputException($"{name} '{pattern}' is not a valid regular expression: {ex.Message}", ex);
            }
        }

        if (UnitsPerRun is { } u && !(u > 0))
        {
            throw new RigInputException($"--units-per-run must be positive, not {u}.");
        }

        if (!(SilenceS > 0))
        {
            throw new RigInputException($"--silence-s must be positive, not {SilenceS}.");
        }

        if (TimeoutS is { } t && !(t > 0))
        {
            throw new RigInputException($"--timeout-s must be positive, not {t}.");
        }
    }
}

/// <summary>
/// A user's command as a workload: started with an argument list and extra environment variables, its output lines read
/// for throughput (a rate regex, a count regex, or units per complete run). A non-zero exit, silence for
/// <see cref="ExternalCommandSpec.SilenceS"/> and a run past its timeout are findings and end the workload, which
/// ends a sweep (and so restores the limits).
/// </summary>
public sealed class ExternalCommandWorkload : IWorkload
{
    private readonly object gate = new();
    private readonly ExternalCommandSpec spec;
    private readonly IRigClock clock;
    private readonly Regex? rate;
    private readonly Regex? count;
    private readonly WorkloadFailures failures = new();
    private readonly CancellationTokenSource stop = new();
    private WatchedProcess? process;
    private Task? loop;
    private double lastCount;

    public ExternalCommandWorkload(ExternalCommandSpec spec, IRigClock clock)
    {
        spec.Validate();
        if (clock.IsSimulated)
        {
            throw new RigInputException("An external command runs in real time and cannot drive a simulated rig's telemetry; use the rig's built-in workload (burn) there.");
        }

        this.spec = spec;
        this.clock = clock;
        rate = spec.RateRegex is null ? null : new Regex(spec.RateRegex, RegexOptions.None, TimeSpan.FromSeconds(1));
        count = spec.CountRegex is null ? null : new Regex(spec.CountRegex, RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    public string Name => $"command: {string.Join(' ', new[] { spec.FileName }.Concat(spec.Arguments))}";

    public string Unit => spec.Unit;

    public WorkMeter Meter { get; } = new();

    public string? Failure => failures.Failure;

    public IReadOnlyList<Finding> Findings => failures.Findings;

    public Task StartAsync(CancellationToken ct)
    {
        Meter.Begin(clock.NowS);
        StartProcess();
        loop = Task.Run(() => WatchAsync(stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        Kill();
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stop.Dispose();
        lock (gate)
        {
            process?.Dispose();
            process = null;
        }
    }

    private void StartProcess()
    {
        WatchedProcess p;
        try
        {
            p = WatchedProcess.Start(spec.FileName, spec.Arguments, spec.Environment, spec.WorkingDirectory, (line, _) => OnLine(line));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new RigInputException($"Cannot start the workload command '{spec.FileName}': {ex.Message}", ex);
        }

        lock (gate)
        {
            process?.Dispose();
            process = p;
            lastCount = 0;
        }
    }

    private void OnLine(string line)
    {
        var now = clock.NowS;
        if (rate is not null && Number(rate, "rate", line) is { } r)
        {
            Meter.ReportRate(now, r);
        }
        else if (count is not null && Number(count, "count", line) is { } c)
        {
            double delta;
            lock (gate)
            {
                delta = c >= lastCount ? c - lastCount : c; // a counter that restarts (a new run) counts from zero again
                lastCount = c;
            }

            Meter.Add(now, delta);
        }
    }

    private static double? Number(Regex regex, string groupName, string line)
    {
        var m = regex.Match(line);
        if (!m.Success)
        {
            return null;
        }

        var group = m.Groups[groupName].Success ? m.Groups[groupName] : m.Groups.Count > 1 ? m.Groups[1] : m.Groups[0];
        return double.TryParse(group.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WatchedProcess? p;
            lock (gate)
            {
                p = process;
            }

            if (p is null)
            {
                return;
            }

            var ranS = p.Elapsed.TotalSeconds;
            if (p.HasExited)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                p.WaitForExit(); // drain the output events
                if (p.ExitCode != 0)
                {
                    Fail("workload-exit-nonzero", $"The workload command exited with code {p.ExitCode}", $"{Name} exited with code {p.ExitCode} after {ranS:0.#} s.",
                        "Run the command by hand to see why; fix it, then sweep again.");
                    return;
                }

                if (spec.UnitsPerRun is { } units)
                {
                    Meter.Add(clock.NowS, units);
                    StartProcess();
                    continue;
                }

                Fail("workload-ended-early", "The workload command ended before the sweep did", $"{Name} exited with code 0 after {ranS:0.#} s.",
                    "Make the command run long enough for the whole sweep, or give --units-per-run so it is repeated.");
                return;
            }

            if (spec.TimeoutS is { } timeout && ranS > timeout)
            {
                Fail("workload-timeout", $"The workload command ran past its {timeout:0.#} s timeout", $"{Name} was still running after {ranS:0.#} s; it was killed.",
                    "Raise --timeout-s if the run is legitimately long, or find where it hangs.");
                Kill();
                return;
            }

            var silentS = p.Silence.TotalSeconds;
            if (silentS > spec.SilenceS)
            {
                Fail("workload-silent", $"The workload command was silent for {spec.SilenceS:0.#} s", $"{Name} printed nothing for {silentS:0.#} s; it was killed as hung.",
                    "If it is just quiet, make it print progress (and its throughput), or raise --silence-s.");
                Kill();
                return;
            }
        }
    }

    private void Fail(string code, string title, string evidence, string remedy) =>
        failures.Add(title, new Finding(code, Severity.Warning, title, evidence, remedy));

    private void Kill()
    {
        lock (gate)
        {
            process?.Kill();
        }
    }
}
