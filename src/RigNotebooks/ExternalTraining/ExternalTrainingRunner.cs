using System.ComponentModel;
using System.Globalization;
using System.Text;
using RigNotebooks.Doctor;
using RigNotebooks.Processes;
using RigNotebooks.Results;

namespace RigNotebooks.ExternalTraining;

/// <summary>
/// Runs the user's own training command for one case: argument list (never a shell string), CUDA_VISIBLE_DEVICES and
/// the case's extra environment, stdout and stderr into one log file, throughput parsed from every line, a watchdog
/// for silence and for the total time that kills the whole process tree. A command that fails, hangs or reports no
/// throughput is a result with a finding, never an exception.
/// </summary>
public static class ExternalTrainingRunner
{
    public static ExternalRunResult Run(CommandTemplate template, ExternalRunCase runCase, ExternalRunOptions options, string logPath, CancellationToken cancellationToken = default)
    {
        var regex = options.Regex();
        var command = template.Expand(runCase.GpuIds);
        var environment = new Dictionary<string, string>
        {
            ["CUDA_VISIBLE_DEVICES"] = string.Join(",", runCase.GpuIds.Select(g => g.ToString(CultureInfo.InvariantCulture))),
        };
        foreach (var (key, value) in runCase.Environment)
        {
            environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var gate = new object();
        var samples = new List<double>();
        string? unit = null;
        var tail = new Queue<string>();
        using var log = new StreamWriter(logPath, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        log.WriteLine($"# command: {string.Join(" ", command)}");
        log.WriteLine($"# environment: CUDA_VISIBLE_DEVICES={environment["CUDA_VISIBLE_DEVICES"]}" + string.Concat(runCase.Environment.Select(e => $" {e.Key}={e.Value}")));

        void OnLine(string line, OutputStream stream)
        {
            lock (gate)
            {
                log.WriteLine(stream == OutputStream.Stderr ? $"[stderr] {line}" : line);
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }

                var match = regex.Match(line);
                if (match.Success && double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    samples.Add(v);
                    unit ??= match.Groups["unit"].Success ? match.Groups["unit"].Value : null;
                }
            }
        }

        WatchedProcess started;
        try
        {
            started = WatchedProcess.Start(command[0], command.Skip(1), environment, options.WorkingDirectory, OnLine);
        }
        catch (Win32Exception ex)
        {
            log.WriteLine($"# could not start: {ex.Message}");
            return new ExternalRunResult(runCase, command, ExternalRunOutcome.Failed, null, null, null, [], TimeSpan.Zero, logPath,
                $"could not start {command[0]}: {ex.Message}", []);
        }

        using var process = started;
        string? killedBecause = null;
        while (!process.WaitForExit(50))
        {
            var silent = process.Silence;
            if (cancellationToken.IsCancellationRequested)
            {
                killedBecause = "cancelled";
            }
            else if (silent > options.Silence)
            {
                killedBecause = $"hung: no output for {silent.TotalSeconds:0.#} s (silence limit {options.Silence.TotalSeconds:0.#} s)";
            }
            else if (process.Elapsed > options.RunTimeout)
            {
                killedBecause = $"hung: still running after {options.RunTimeout.TotalSeconds:0.#} s (time limit)";
            }

            if (killedBecause is not null)
            {
                process.Kill();
                break;
            }
        }

        process.WaitForExit(); // drains the redirected output
        var elapsed = process.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();

        List<string> last;
        List<double> values;
        lock (gate)
        {
            last = tail.ToList();
            values = samples.ToList();
            log.WriteLine($"# ended after {elapsed.TotalSeconds:0.00} s: " + (killedBecause ?? $"exit code {process.ExitCode}"));
        }

        var steady = values.Count > options.WarmupMatches ? values.Skip(options.WarmupMatches).ToList() : values;
        double? throughput = steady.Count == 0 ? null : Statistics.Median(steady);
        if (killedBecause is not null)
        {
            return new ExternalRunResult(runCase, command, ExternalRunOutcome.Hung, null, throughput, unit, values, elapsed, logPath, killedBecause, last);
        }

        if (process.ExitCode != 0)
        {
            return new ExternalRunResult(runCase, command, ExternalRunOutcome.Failed, process.ExitCode, throughput, unit, values, elapsed, logPath,
                $"exited with code {process.ExitCode}", last);
        }

        return throughput is null
            ? new ExternalRunResult(runCase, command, ExternalRunOutcome.NoThroughput, 0, null, null, values, elapsed, logPath,
                $"exited 0 but no output line matched the throughput regex {options.ThroughputPattern}", last)
            : new ExternalRunResult(runCase, command, ExternalRunOutcome.Ok, 0, throughput, unit, values, elapsed, logPath,
                $"median of {steady.Count} throughput report(s) after {Math.Min(options.WarmupMatches, values.Count - steady.Count)} warm-up", last);
    }

    /// <summary>The finding a run that did not end well deserves (none for an ok run).</summary>
    public static Finding? FindingFor(ExternalRunResult r)
    {
        var evidence = $"{r.Case.Label}: {r.Note}. Command: {string.Join(" ", r.Command)}. Log: {r.LogPath}." +
            (r.LastLines.Count > 0 ? $" Last output: {string.Join(" | ", r.LastLines.TakeLast(5))}" : " No output.");
        return r.Outcome switch
        {
            ExternalRunOutcome.Hung => new Finding(
                "train-cmd-hung",
                Severity.Error,
                $"The training command hung on {r.Case.Gpus} GPU(s) with P2P {r.Case.P2P}",
                evidence,
                r.Case.Gpus > 1 && r.Case.P2P == "on"
                    ? "A multi-GPU run that goes silent after start-up is the classic broken-P2P hang: run `rig doctor` (driver version, IOMMU, ACS), compare with the P2P-off case, and try another driver (545 → 535 fixed the reference rig)."
                    : "Look at the log's last lines; raise --silence if the script is legitimately quiet for long (e.g. data loading)."),
            ExternalRunOutcome.Failed => new Finding(
                "train-cmd-failed",
                Severity.Error,
                $"The training command failed on {r.Case.Gpus} GPU(s) with P2P {r.Case.P2P}",
                evidence,
                "Read the log; run the command by hand with the same CUDA_VISIBLE_DEVICES and environment to reproduce."),
            ExternalRunOutcome.NoThroughput => new Finding(
                "train-cmd-no-throughput",
                Severity.Warning,
                "The training command reported no throughput",
                evidence,
                "Print a line such as \"1234.5 tokens/s\" from the training loop, or pass --throughput-regex with a named group (?<value>…) that matches what it prints."),
            _ => null,
        };
    }
}
