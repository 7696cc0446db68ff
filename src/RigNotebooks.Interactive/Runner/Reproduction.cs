using System.Diagnostics;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Experiments;
using RigNotebooks.Plots;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Interactive.Runner;

/// <summary>What <c>rig reproduce</c> is asked.</summary>
/// <param name="OutputFolder">Where everything goes: <c>runs/</c>, <c>report.html</c>, <c>notebooks/</c> (executed, with their own <c>results/</c>).</param>
/// <param name="NotebooksFolder">The kit's notebooks; null = found from the working directory or the application's folder.</param>
/// <param name="RunNotebooks">Also execute the numbered notebooks (00-…, 01-…) through the in-process runner.</param>
public sealed record ReproductionOptions(
    string OutputFolder,
    string Rig = RigSelector.DefaultRig,
    string? NotebooksFolder = null,
    bool RunNotebooks = true,
    SuiteRunOptions? Suite = null);

/// <summary>What <c>rig reproduce</c> produced, and how long each part took.</summary>
public sealed record ReproductionResult(
    StoryResult Story,
    string ReportPath,
    int ReportCharts,
    IReadOnlyList<NotebookRunResult> Notebooks,
    string? NotebooksNote,
    TimeSpan StoryElapsed,
    TimeSpan ReportElapsed,
    TimeSpan NotebooksElapsed)
{
    public bool NotebooksSucceeded => Notebooks.All(n => n.Succeeded);
}

/// <summary>
/// The main job: the founding story end to end (<see cref="FoundingStory"/>: every experiment of notebook 00, runs in
/// <c>&lt;out&gt;/runs</c>), an offline report.html with all its charts and findings (<see cref="StoryReport"/>), then the
/// numbered notebooks executed headless (<see cref="NotebookRunner"/>) into <c>&lt;out&gt;/notebooks</c>, on the same rig when
/// it is a profile (on a real rig they keep their simulated default: several chapters need a profile). When a notebook's
/// load cell cannot resolve (a clone that was never built), the kit this process runs is loaded instead.
/// </summary>
public static class Reproduction
{
    public const string FirstNotebook = "00-reproduce-the-blog.ipynb";

    public static async Task<ReproductionResult> RunAsync(ReproductionOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = Path.GetFullPath(options.OutputFolder);
        Directory.CreateDirectory(output);
        string? folder = null;
        var note = !options.RunNotebooks
            ? "notebooks not run (asked not to)"
            : (folder = options.NotebooksFolder ?? FindNotebooks(Environment.CurrentDirectory, AppContext.BaseDirectory)) is null
                ? $"notebooks not run: no notebooks/{FirstNotebook} above {Environment.CurrentDirectory} or {AppContext.BaseDirectory} (give the folder)"
                : null;

        // The story mostly waits (the watchdog's deadlines on the failing rig) while the notebooks mostly compute, so the
        // two run side by side; the story never touches the working directory or the variable the runner sets.
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var story = Task.Run(() => StoryAndReportAsync(options, output, progress, failFast.Token), failFast.Token);
        var notebooks = folder is null
            ? Task.FromResult<(IReadOnlyList<NotebookRunResult>, TimeSpan)>(([], TimeSpan.Zero))
            : Task.Run(() => NotebooksAsync(folder, options, output, progress, failFast.Token), failFast.Token);
        try
        {
            await Task.WhenAll(story, notebooks).ConfigureAwait(false);
        }
        catch
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            throw;
        }

        if (folder is not null && !Simulated(options.Rig))
        {
            note = $"the notebooks ran on their simulated default rig: chapters of notebooks 00, 04 and 06 need a profile; run one on '{options.Rig}' with `rig notebook run <notebook> --rig {options.Rig}`";
        }

        var (result, reportPath, charts, storyElapsed, reportElapsed) = await story.ConfigureAwait(false);
        var (executed, notebooksElapsed) = await notebooks.ConfigureAwait(false);
        return new ReproductionResult(result, reportPath, charts, executed, note, storyElapsed, reportElapsed, notebooksElapsed);
    }

    private static async Task<(StoryResult Story, string ReportPath, int Charts, TimeSpan StoryElapsed, TimeSpan ReportElapsed)> StoryAndReportAsync(
        ReproductionOptions options, string output, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var story = await FoundingStory.RunAsync(
            new RunStore(Path.Combine(output, "runs")),
            new StoryOptions(options.Rig, Suite: options.Suite),
            new Reporter<StoryProgress>(p => progress?.Report($"story {p.Chapter}/{p.Chapters}: {p.Title}")),
            cancellationToken).ConfigureAwait(false);
        var storyElapsed = clock.Elapsed;
        progress?.Report("story: writing report.html");
        var report = StoryReport.Build(story);
        var path = Path.Combine(output, "report.html");
        report.Save(path);
        return (story, path, report.ChartCount, storyElapsed, clock.Elapsed - storyElapsed);
    }

    private static async Task<(IReadOnlyList<NotebookRunResult>, TimeSpan)> NotebooksAsync(
        string folder, ReproductionOptions options, string output, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<NotebookRunResult>();
        var runOptions = new NotebookRunOptions(Path.Combine(output, "notebooks"), Simulated(options.Rig) ? options.Rig : null, LoadKitFromProcess: true);
        foreach (var notebook in Numbered(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"notebook {Path.GetFileName(notebook)}");
            var result = await NotebookRunner.RunAsync(notebook, runOptions, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            if (!result.Succeeded)
            {
                break;
            }
        }

        return (results, clock.Elapsed);
    }

    /// <summary>Reports on the reporting thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static bool Simulated(string rig) => rig.Trim().StartsWith("sim:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The numbered notebooks of a folder (00-…, 01-…), in order; setup-check and others are left out.</summary>
    public static IReadOnlyList<string> Numbered(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.ipynb")
            .Where(f => Path.GetFileName(f) is { Length: > 3 } n && char.IsAsciiDigit(n[0]) && char.IsAsciiDigit(n[1]) && n[2] == '-')
            .Order(StringComparer.Ordinal)];

    /// <summary>The first <c>notebooks</c> folder holding <see cref="FirstNotebook"/> in or above any of the start folders.</summary>
    public static string? FindNotebooks(params string[] startFolders)
    {
        foreach (var start in startFolders.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "notebooks");
                if (File.Exists(Path.Combine(candidate, FirstNotebook)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
