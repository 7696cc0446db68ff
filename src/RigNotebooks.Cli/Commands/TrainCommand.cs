using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Experiments;
using RigNotebooks.ExternalTraining;
using RigNotebooks.Hardware;
using RigNotebooks.Host;
using RigNotebooks.Simulation;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.TrainingRuns;
using RigNotebooks.Telemetry;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>
/// `rig train`: data-parallel training, three ways.
/// <list type="bullet">
/// <item>`--rig sim:&lt;profile&gt; --gpus 1,2,3 --p2p on,off`: the scaling of the reference model on a simulated rig.</item>
/// <item>`--rig cpu --replicas 2 --steps 50`: real training of the reference model on CPU replicas (needs the training
/// assembly, which registers the `cpu` rig).</item>
/// <item>`--rig cuda --replicas 3 --steps 50`: the same on this machine's GPUs, one replica each, bf16, NCCL (needs the
/// CUDA libtorch build, -p:RigLibTorch=cuda).</item>
/// <item>`--cmd "torchrun --nproc_per_node={gpus} train.py" --gpus 1,2,3`: the user's own training command per case.</item>
/// <item>`--nccl-selftest`: NCCL on this machine's GPU through the trainer's calls, before any training.</item>
/// </list>
/// </summary>
public static class TrainCommand
{
    private static readonly Option<string> Gpus = new("--gpus") { Description = "GPU counts to run, e.g. 1,2,3 (each case uses the first N GPUs).", DefaultValueFactory = _ => "1,2,3" };
    private static readonly Option<string> P2P = new("--p2p") { Description = "P2P settings to run: on, off or on,off (off = NCCL_P2P_DISABLE=1).", DefaultValueFactory = _ => "on,off" };
    private static readonly Option<string?> ModelName = new("--model") { Description = "Model shape: tiny, small, medium, gpt-100m (default: gpt-100m simulated, tiny on CPU)." };
    private static readonly Option<int> MicroBatch = new("--micro-batch") { Description = "Simulated: sequences per GPU per step.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> Replicas = new("--replicas") { Description = "CPU training: replicas (one thread each, in this process).", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Steps = new("--steps") { Description = "CPU training: optimizer steps.", DefaultValueFactory = _ => 50 };
    private static readonly Option<int> Batch = new("--batch") { Description = "CPU training: global batch in sequences (split over the replicas).", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> Threads = new("--threads") { Description = "CPU training: libtorch threads per replica.", DefaultValueFactory = _ => 1 };
    private static readonly Option<double> LearningRate = new("--lr") { Description = "CPU training: AdamW learning rate.", DefaultValueFactory = _ => 3e-3 };
    private static readonly Option<int> Seed = new("--seed") { Description = "CPU training: seed of the corpus, the sampler and the weights.", DefaultValueFactory = _ => 1234 };
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "CPU training: save a checkpoint to this folder at the end." };
    private static readonly Option<string?> Resume = new("--resume") { Description = "CPU training: start from this checkpoint folder." };
    private static readonly Option<string?> Cmd = new("--cmd") { Description = "Your own training command, run once per case; placeholders {gpus} and {gpu_ids}. Split into arguments, never run by a shell." };
    private static readonly Option<string[]> Env = new("--env") { Description = "Extra environment for every case of --cmd, KEY=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string> ThroughputRegex = new("--throughput-regex") { Description = "Regex with a named group 'value' that finds throughput in the command's output.", DefaultValueFactory = _ => ExternalRunOptions.DefaultThroughputPattern };
    private static readonly Option<double> TimeoutS = new("--timeout") { Description = "--cmd: seconds a case may run in all.", DefaultValueFactory = _ => 1800 };
    private static readonly Option<bool> Bench = new("--bench") { Description = "CPU: benchmark instead of train — the plain step at 1 and 2 threads (compare with benchmarks/pytorch_step.py) and --replicas × --threads against 1 replica on the same global batch." };
    private static readonly Option<bool> NcclSelfTestOption = new("--nccl-selftest") { Description = "Check NCCL on this machine before training: a 1-rank all-reduce and broadcast on 64 MiB of GPU 0's memory (cuMemAlloc, no libtorch), verified bit for bit and timed. Ignores --rig; select the GPU with CUDA_VISIBLE_DEVICES." };
    private static readonly Option<double> SilenceS = new("--silence") { Description = "--cmd: seconds without output after which a case counts as hung and is killed.", DefaultValueFactory = _ => 300 };

    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var command = CommandFactory.Create(
            "train",
            "Data-parallel training: scaling on a simulated rig (--rig sim:…), real training on CPU replicas (--rig cpu) or GPUs (--rig cuda, CUDA libtorch build), or your own command (--cmd).",
            options,
            RunAsync,
            stdout,
            stderr);
        foreach (var o in new Option[] { Gpus, P2P, ModelName, MicroBatch, Replicas, Steps, Batch, Threads, LearningRate, Seed, Checkpoint, Resume, Cmd, Env, ThroughputRegex, TimeoutS, SilenceS, Bench, NcclSelfTestOption })
        {
            command.Options.Add(o);
        }

        return command;
    }

    private static Task<int> RunAsync(CommandContext context, CancellationToken ct)
    {
        if (context.Get(NcclSelfTestOption))
        {
            return Task.FromResult(RunNcclSelfTest(context));
        }

        context.Store.EnsureWritable();
        if (context.Get(Cmd) is { } cmd)
        {
            return Task.FromResult(RunExternal(context, cmd, ct));
        }

        if (context.RigSpec.Trim().ToLowerInvariant() is "cpu" or "cuda" && !Rigs.RigSelector.KnownKinds.Contains(context.RigSpec.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            throw new RigInputException($"This rig command was built without the training assembly (-p:RigWithTraining=false), so --rig {context.RigSpec.Trim()} is not available; --rig sim:<profile> and --cmd still work.");
        }

        using var rig = context.OpenRig();
        if (rig is SimulatedRig simulated)
        {
            return Task.FromResult(RunSimulated(context, simulated));
        }

        if (context.Get(Bench))
        {
            var bench = rig.Get<ITrainingBenchmark>();
            return Task.FromResult(bench.IsAvailable
                ? RunBench(context, rig, bench.Value!, ct)
                : throw new RigInputException($"Rig '{rig.Id}' has no training benchmark: {bench.WhyNot}. Use --rig cpu."));
        }

        var training = rig.Get<IDataParallelTraining>();
        if (!training.IsAvailable)
        {
            throw new RigInputException($"Rig '{rig.Id}' cannot train: {training.WhyNot}. Use --rig sim:<profile> for the simulated scaling, --rig cpu for real CPU training, --rig cuda for GPUs (CUDA libtorch build), or --cmd for your own command.");
        }

        return Task.FromResult(RunReal(context, rig, training.Value!, ct));
    }

    private static int RunSimulated(CommandContext context, SimulatedRig rig)
    {
        var gpus = ParseCounts(context.Get(Gpus)!, "--gpus");
        var p2p = ParseP2P(context.Get(P2P)!);
        var report = Experiment.TrainScaling(context.Store, rig, gpus, p2p, context.Get(ModelName) ?? TransformerShape.Reference.Name, context.Get(MicroBatch)).Report;
        var model = report.Model;
        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = rig.Id,
                source = "simulated",
                runId = report.RunId,
                model = new { model.Name, parameters = model.ParameterCount, flopsPerToken = model.TrainingFlopsPerToken, gradientBytes = model.GradientBytes },
                points = report.Points.Select(p => new
                {
                    p.Gpus,
                    p2p = p.P2P ? "on" : "off",
                    hangs = p.Step.Hangs,
                    tokensPerSecond = p.Step.Hangs ? (double?)null : p.Step.TokensPerSecond,
                    stepTimeS = p.Step.Hangs ? (double?)null : p.Step.StepTimeS,
                    computeTimeS = p.Step.ComputeTimeS,
                    commExposedTimeS = p.Step.Hangs ? (double?)null : p.Step.ExposedCommunicationTimeS,
                    efficiencyPct = p.Efficiency,
                    energyPerTokenJ = p.EnergyPerTokenJ,
                    explanation = p.Step.Explanation,
                }),
                report.Findings,
            });
        }
        else
        {
            context.Console.MarkupLine($"[bold]rig train[/] {Markup.Escape(rig.Id)} (simulated): {Markup.Escape(model.Name)}, {model.ParameterCount / 1e6:0.0} M parameters, {model.TrainingFlopsPerToken / 1e6:0} MFLOP/token");
            var table = new Table().AddColumns("GPUs", "P2P", "tokens/s", "step ms", "compute ms", "exposed comm ms", "efficiency", "J/token");
            foreach (var p in report.Points)
            {
                table.AddRow(
                    p.Gpus.ToString(CultureInfo.InvariantCulture),
                    p.P2P ? "on" : "off",
                    p.Step.Hangs ? "[red]hangs[/]" : p.Step.TokensPerSecond.ToString("0", CultureInfo.InvariantCulture),
                    p.Step.Hangs ? "–" : (p.Step.StepTimeS * 1e3).ToString("0.0", CultureInfo.InvariantCulture),
                    (p.Step.ComputeTimeS * 1e3).ToString("0.0", CultureInfo.InvariantCulture),
                    p.Step.Hangs ? "–" : (p.Step.ExposedCommunicationTimeS * 1e3).ToString("0.0", CultureInfo.InvariantCulture),
                    p.Efficiency is { } e ? $"{e:0.0} %" : "–",
                    p.EnergyPerTokenJ is { } j ? (j * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " mJ" : "–");
            }

            context.Console.Write(table);
            foreach (var f in report.Findings)
            {
                context.Console.MarkupLine($"[red]{Markup.Escape(f.Title)}[/]: {Markup.Escape(f.Remedy)}");
            }

            context.ShowRun(report.RunId);
        }

        return ExitCodes.For(report.Findings);
    }

    private static int RunReal(CommandContext context, Rigs.IRig rig, IDataParallelTraining training, CancellationToken ct)
    {
        var request = new TrainingRequest(
            context.Get(ModelName) ?? "tiny",
            context.Get(Replicas),
            context.Get(Steps),
            context.Get(Batch),
            context.Get(Threads),
            context.Get(Seed),
            context.Get(LearningRate),
            context.Get(Checkpoint),
            context.Get(Resume));
        if (request.Steps < 1 || request.Replicas < 1)
        {
            throw new RigInputException("--steps and --replicas must be at least 1.");
        }

        var spec = new JsonObject
        {
            ["rig"] = rig.Id,
            ["model"] = request.Model,
            ["replicas"] = request.Replicas,
            ["steps"] = request.Steps,
            ["globalBatch"] = request.GlobalBatch,
            ["threadsPerReplica"] = request.ThreadsPerReplica,
            ["seed"] = request.Seed,
            ["learningRate"] = request.LearningRate,
        };
        using var run = context.Store.Create("train", spec, rig.Describe());
        var progress = new Progress<TrainingProgress>(p =>
        {
            if (!context.Json && (p.Step % 10 == 0 || p.Step == p.Steps - 1))
            {
                context.Console.MarkupLine($"step {p.Step,4}  loss {p.Loss:0.0000}  {p.TokensPerSecond:0} tokens/s");
            }
        });
        TrainingRunResult result;
        try
        {
            result = training.Train(request, run, new SynchronousProgress<TrainingProgress>(((IProgress<TrainingProgress>)progress).Report), ct);
        }
        catch (OperationCanceledException)
        {
            run.Cancel();
            throw;
        }
        catch (Exception ex) when (ex is not RigInputException and not RigEnvironmentException)
        {
            run.Fail(ex.Message);
            throw new RigEnvironmentException($"Training failed: {ex.Message}", ex);
        }

        run.Complete(new Dictionary<string, string>
        {
            ["firstLoss"] = result.FirstLoss.ToString("0.0000", CultureInfo.InvariantCulture),
            ["lastLoss"] = result.LastLoss.ToString("0.0000", CultureInfo.InvariantCulture),
            ["tokensPerSecond"] = result.TokensPerSecond.ToString("0", CultureInfo.InvariantCulture),
            ["commShare"] = result.CommunicationShare.ToString("0.000", CultureInfo.InvariantCulture),
            ["torchSharpNative"] = result.LoaderNote,
        });
        var rows = run.Rows.Where(r => r.Case == "step").ToList();
        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = rig.Id,
                source = "measured",
                runId = run.Id,
                result,
                lossFell = result.LastLoss < result.FirstLoss,
                steps = rows.GroupBy(r => r.Parameter("step")).Select(g => new
                {
                    step = long.Parse(g.Key!, CultureInfo.InvariantCulture),
                    loss = g.Single(r => r.Metric == "loss").Value,
                    tokensPerSecond = g.Single(r => r.Metric == "tokens_per_s").Value,
                    stepTimeS = g.Single(r => r.Metric == "step_time").Value,
                    commTimeS = g.Single(r => r.Metric == "comm_time").Value,
                }),
            });
        }
        else
        {
            context.Console.MarkupLine(
                $"[bold]{Markup.Escape(result.Model)}[/] ({result.Parameters / 1e6:0.00} M parameters) on {(result.DeviceKind == "cuda" ? $"{result.Replicas} GPU replica(s), bf16" : $"{result.Replicas} CPU replica(s) × {result.ThreadsPerReplica} thread(s)")}: " +
                $"loss {result.FirstLoss:0.000} → {result.LastLoss:0.000} (the corpus's floor is {result.EntropyFloorNats:0.000}), {result.TokensPerSecond:0} tokens/s, " +
                $"all-reduce {result.CommunicationShare:P1} of a step in {result.Buckets} bucket(s)");
            context.ShowRun(run.Id);
        }

        return ExitCodes.Ok;
    }

    private static int RunBench(CommandContext context, Rigs.IRig rig, ITrainingBenchmark bench, CancellationToken ct)
    {
        var request = new TrainingBenchmarkRequest(
            context.Get(ModelName) ?? "small",
            context.Get(Batch),
            context.Parse.GetResult(Steps) is { Implicit: false } ? Math.Max(1, context.Get(Steps)) : 8, // 8 timed steps unless --steps says otherwise
            6, // a fresh trainer's first steps run slow and uneven on this kind of VM (allocator and page warm-up); 2 was not enough
            [context.Get(Replicas)],
            context.Get(Threads),
            [1, 2]);
        var spec = new JsonObject
        {
            ["rig"] = rig.Id,
            ["model"] = request.Model,
            ["globalBatch"] = request.GlobalBatch,
            ["steps"] = request.Steps,
            ["warmup"] = request.Warmup,
            ["replicas"] = request.Replicas[0],
            ["threadsPerReplica"] = request.ThreadsPerReplica,
        };
        using var run = context.Store.Create("train-scaling", spec, rig.Describe());
        var result = bench.Run(request, ct);
        foreach (var p in result.DataParallel)
        {
            var parameters = new Dictionary<string, string>
            {
                ["replicas"] = p.Replicas.ToString(CultureInfo.InvariantCulture),
                ["threads"] = p.ThreadsPerReplica.ToString(CultureInfo.InvariantCulture),
            };
            run.Write(Results.ResultRow.Ok("train-scaling", "cpu", null, null, "step_time", p.StepMs / 1e3, "s", Model.DataSource.Measured, parameters));
            run.Write(Results.ResultRow.Ok("train-scaling", "cpu", null, null, "tokens_per_s", p.TokensPerSecond, "tokens/s", Model.DataSource.Measured, parameters));
            run.Write(Results.ResultRow.Ok("train-scaling", "cpu", null, null, "efficiency", p.EfficiencyPct, "%", Model.DataSource.Measured, parameters));
            run.Write(Results.ResultRow.Ok("train-scaling", "cpu", null, null, "comm_share", 100 * p.CommShare, "%", Model.DataSource.Measured, parameters));
        }

        run.Complete(result.PlainStepMs.ToDictionary(kv => $"plainStepMs_{kv.Key}threads", kv => kv.Value.ToString("0.0", CultureInfo.InvariantCulture)));
        if (context.Json)
        {
            context.WriteJson(new { rig = rig.Id, source = "measured", runId = run.Id, result });
        }
        else
        {
            context.Console.MarkupLine($"[bold]{Markup.Escape(result.Model)}[/] ({result.Parameters / 1e6:0.00} M parameters), batch {result.GlobalBatch} × {result.SequenceLength} tokens");
            foreach (var (threads, ms) in result.PlainStepMs)
            {
                context.Console.MarkupLine($"plain step, {threads} thread(s): {ms:0.0} ms");
            }

            foreach (var p in result.DataParallel)
            {
                context.Console.MarkupLine($"{p.Replicas} replica(s) × {p.ThreadsPerReplica} thread(s): {p.StepMs:0.0} ms/step, {p.TokensPerSecond:0} tokens/s, efficiency {p.EfficiencyPct:0.0} %, all-reduce (with waiting for the slower replica) {p.CommShare:P1} of a step");
            }

            context.ShowRun(run.Id);
        }

        return ExitCodes.Ok;
    }

    private static int RunExternal(CommandContext context, string cmd, CancellationToken ct)
    {
        var template = CommandTemplate.Parse(cmd);
        if (template.UnknownPlaceholders() is { Count: > 0 } unknown)
        {
            throw new RigInputException($"Unknown placeholder(s) {string.Join(", ", unknown)} in --cmd; use {{gpus}} or {{gpu_ids}}.");
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in context.Get(Env) ?? [])
        {
            var parts = kv.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new RigInputException($"--env takes KEY=VALUE, got '{kv}'.");
            }

            env[parts[0]] = parts[1];
        }

        var cases = ExternalRunCase.Sweep(ParseCounts(context.Get(Gpus)!, "--gpus"), ParseP2P(context.Get(P2P)!), env);
        var options = new ExternalRunOptions(context.Get(ThroughputRegex)!, TimeSpan.FromSeconds(context.Get(TimeoutS)), TimeSpan.FromSeconds(context.Get(SilenceS)));
        options.Regex();
        var progress = new SynchronousProgress<ExternalRunResult>(r =>
        {
            if (!context.Json)
            {
                context.Console.MarkupLine($"{Markup.Escape(r.Case.Label)}: {r.Outcome.ToString().ToLowerInvariant()}" + (r.Throughput is { } t ? $", {t:0.##} {Markup.Escape(r.ThroughputUnit ?? "units/s")}" : string.Empty) + $" [grey]({Markup.Escape(r.Note)})[/]");
            }
        });
        // On `--rig local` the command runs under the telemetry sampler (energy per token); a simulated rig's telemetry
        // would pass simulated power off as this command's, so there the run describes the host and has no energy.
        using var rig = context.RigSpec.Equals("local", StringComparison.OrdinalIgnoreCase) ? context.OpenRig() : null;
        var telemetry = rig?.Get<IGpuTelemetry>().Value;
        var report = ExternalScalingExperiment.Run(context.Store, rig?.Describe() ?? HostDescription.Describe("host"), template, cases, options, progress,
            telemetry, rig?.Get<IRigClock>().Value, ct);
        if (context.Json)
        {
            context.WriteJson(new
            {
                source = "measured",
                runId = report.RunId,
                command = template.Arguments,
                cases = report.Results.Select(r => new
                {
                    r.Case.Gpus,
                    p2p = r.Case.P2P,
                    environment = r.Case.Environment,
                    outcome = r.Outcome.ToString().ToLowerInvariant(),
                    r.ExitCode,
                    r.Throughput,
                    unit = r.ThroughputUnit,
                    durationS = r.Duration.TotalSeconds,
                    r.Note,
                    log = r.LogPath,
                }),
                report.Findings,
            });
        }
        else
        {
            foreach (var f in report.Findings)
            {
                context.Console.MarkupLine($"[red]{Markup.Escape(f.Title)}[/]: {Markup.Escape(f.Remedy)}");
            }

            context.Console.MarkupLine($"[grey]run {report.RunId} in {Markup.Escape(context.Store.Root)} (logs in its logs/ folder)[/]");
        }

        return ExitCodes.For(report.Findings);
    }

    /// <summary>`--nccl-selftest`: NCCL on real device memory through the calls the data-parallel trainer makes.</summary>
    private static int RunNcclSelfTest(CommandContext context)
    {
        var result = NcclSelfTest.Run();
        if (context.Json)
        {
            context.WriteJson(new { source = "measured", experiment = "nccl-selftest", correct = result.Correct, result });
        }
        else
        {
            context.Console.MarkupLine(
                $"[bold]NCCL {Markup.Escape(result.NcclVersion)}[/] ({Markup.Escape(result.NcclLibrary ?? "?")}) on CUDA device {result.Device}, {Markup.Escape(result.DeviceName)} ({Markup.Escape(result.PciBusId)}), " +
                $"driver CUDA {Markup.Escape(result.CudaDriverVersion)}, {(result.NonBlocking ? "non-blocking" : "blocking")} communicator, {result.Bytes / 1048576.0:0.#} MiB float32");
            foreach (var c in result.Checks)
            {
                context.Console.MarkupLine(c.Correct
                    ? $"[green]ok[/]    {Markup.Escape(c.Name)}"
                    : $"[red]wrong[/] {Markup.Escape(c.Name)}: " + Markup.Escape(c.Error ?? $"{c.Mismatches} element(s) differ, the first at index {c.FirstWrongIndex}"));
            }

            context.Console.MarkupLine($"{(result.ClosedCleanly ? "[green]ok[/]   " : "[red]wrong[/]")} finalize and destroy");
            context.Console.MarkupLine($"{(result.AbortWorked ? "[green]ok[/]   " : "[red]wrong[/]")} abort with an all-reduce queued" + (result.AbortError is { } e ? $": {Markup.Escape(e)}" : string.Empty));
            context.Console.MarkupLine(double.IsNaN(result.MedianTimeUs)
                ? "not timed (a check failed)"
                : $"all-reduce sum, 1 rank: median {result.MedianTimeUs:0.0} us over {result.Iterations} calls, {result.AlgBandwidthGBps:0.0} GB/s algorithm bandwidth (a device-local copy with one rank, not a link figure)");
        }

        return result.Correct ? ExitCodes.Ok : ExitCodes.Findings;
    }

    private static List<int> ParseCounts(string text, string option)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new RigInputException($"{option} takes positive counts separated by commas, e.g. 1,2,3; got '{text}'.");
            }

            result.Add(n);
        }

        return result.Count > 0 ? result.Distinct().Order().ToList() : throw new RigInputException($"{option} is empty.");
    }

    private static List<bool> ParseP2P(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            _ => throw new RigInputException($"--p2p takes on, off or on,off; got '{text}'."),
        }).Distinct().ToList();

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
