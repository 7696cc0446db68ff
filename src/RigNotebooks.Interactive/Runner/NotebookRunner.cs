using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace RigNotebooks.Interactive.Runner;

/// <summary>Runs C# notebooks in-process, headless: a fresh .NET Interactive C# kernel per notebook (NuGet directives and
/// #!import on, like the hosts), cells in order, stopping at the first failing cell. Writes the executed .ipynb (with
/// outputs) and an offline HTML copy. The notebook runs with its own folder as working directory, as VS Code, Jupyter
/// and dotnet repl give it, so its load cell (<c>#!import ../artifacts/rig-notebooks.dib</c>) finds the kit.</summary>
public static partial class NotebookRunner
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<NotebookRunResult> RunAsync(string notebookPath, NotebookRunOptions options, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(notebookPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No notebook at {path}.", path);
        }

        var clock = Stopwatch.StartNew();
        var kernels = KernelInfos();
        var source = Notebook.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), kernels);
        var executed = new InteractiveDocument();

        int? failed = null;
        string? error = null;
        var cellsRun = 0;

        var resultsFolder = Path.GetFullPath(options.ResultsFolder ?? Path.Combine(options.OutputFolder, "results"));
        string? loadCellNote = null;

        // The working directory and the results variable are process-wide: one notebook at a time in this process.
        await OneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var previousDirectory = Environment.CurrentDirectory;
        var previousResults = Environment.GetEnvironmentVariable(RigKit.ResultsVariable);
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(path)!;
            Environment.SetEnvironmentVariable(RigKit.ResultsVariable, resultsFolder);
            RigKit.PlotlyEmitted = false;
            using var kernel = CreateKernel();
            var injected = false;
            for (var i = 0; i < source.Elements.Count; i++)
            {
                var cell = source.Elements[i];
                var code = cell.Contents;
                if (!injected && options.Rig is { } rig && IsCode(cell) && RigParameter().IsMatch(code))
                {
                    code = RigParameter().Replace(code, m => $"{m.Groups[1].Value}\"{rig.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\";", 1);
                    injected = true;
                }

                if (options.LoadKitFromProcess && IsCode(cell) && LoadCell.Unresolved(code, Environment.CurrentDirectory) is { } why)
                {
                    code = LoadCell.FromProcess();
                    loadCellNote = $"{why}; the kit was loaded from this process instead ({typeof(RigKit).Assembly.Location})";
                }

                if (!IsCode(cell) || failed is not null || string.IsNullOrWhiteSpace(code))
                {
                    executed.Add(new InteractiveDocumentElement(code, cell.KernelName, failed is null ? cell.Outputs : []));
                    continue;
                }

                var outputs = new List<InteractiveDocumentOutputElement>();
                var events = new EventLog();
                KernelCommandResult result;
                using (kernel.KernelEvents.Subscribe(events))
                {
                    // Every event while the cell runs, including those of the commands it starts (#!import runs the
                    // imported cells as commands of their own).
                    result = await kernel.SendAsync(new SubmitCode(code, "csharp"), cancellationToken).ConfigureAwait(false);
                }

                cellsRun++;
                var cellError = Collect(result, events.Events, outputs);
                executed.Add(new InteractiveDocumentElement(code, "csharp", outputs) { ExecutionOrder = cellsRun });
                if (cellError is not null)
                {
                    failed = i + 1;
                    error = cellError;
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            Environment.SetEnvironmentVariable(RigKit.ResultsVariable, previousResults);
            OneAtATime.Release();
        }

        Directory.CreateDirectory(options.OutputFolder);
        var name = Path.GetFileNameWithoutExtension(path);
        var executedPath = Path.Combine(Path.GetFullPath(options.OutputFolder), name + ".ipynb");
        var htmlPath = Path.Combine(Path.GetFullPath(options.OutputFolder), name + ".html");
        await File.WriteAllTextAsync(executedPath, Notebook.ToJupyterJson(executed, "C#"), cancellationToken).ConfigureAwait(false);
        var html = NotebookHtml.Render(executed, name, failed, error);
        await File.WriteAllTextAsync(htmlPath, html.Render(), cancellationToken).ConfigureAwait(false);
        return new NotebookRunResult(path, executedPath, htmlPath, source.Elements.Count, cellsRun, html.ChartCount, failed, error, clock.Elapsed, resultsFolder, loadCellNote);
    }

    private static KernelInfoCollection KernelInfos() =>
    [
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("markdown", "Markdown", ["md"]),
    ];

    private static bool IsCode(InteractiveDocumentElement cell) => cell.KernelName is "csharp" or "c#" or "C#" or "cs" or null;

    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(
                (k, packages) =>
                {
                    k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore: false)
            .UseKernelHelpers()
            .UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite.UseImportMagicCommand();
    }

    /// <summary>Turns a cell's events into notebook outputs: displays (a display that was updated in place keeps only its
    /// last state), return values, stdout/stderr, errors. Returns the cell's error, if it failed.</summary>
    private static string? Collect(KernelCommandResult result, IReadOnlyList<KernelEvent> events, List<InteractiveDocumentOutputElement> outputs)
    {
        var displays = new Dictionary<string, int>(StringComparer.Ordinal);
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        string? error = null;
        foreach (var e in events.Count > 0 ? events : result.Events)
        {
            switch (e)
            {
                case DisplayedValueUpdated updated when updated.ValueId is { } id && displays.TryGetValue(id, out var at):
                    outputs[at] = Display(updated);
                    break;
                case DisplayEvent display when display is DisplayedValueProduced or DisplayedValueUpdated or ReturnValueProduced:
                    if (display is ReturnValueProduced { Value: Microsoft.DotNet.Interactive.Formatting.DisplayedValue })
                    {
                        break;
                    }

                    if (display.ValueId is { } valueId)
                    {
                        displays[valueId] = outputs.Count;
                    }

                    outputs.Add(Display(display));
                    break;
                case StandardOutputValueProduced o:
                    stdout.Append(o.FormattedValues.FirstOrDefault()?.Value);
                    break;
                case StandardErrorValueProduced o:
                    stderr.Append(o.FormattedValues.FirstOrDefault()?.Value);
                    break;
                case ErrorProduced produced:
                    outputs.Add(new ErrorElement(produced.Message, "Error", []));
                    break;
                case CommandFailed failed when ReferenceEquals(failed.Command, result.Command):
                    error = failed.Message;
                    outputs.Add(new ErrorElement(failed.Message, "Error", (failed.Exception?.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                    break;
            }
        }

        if (stdout.Length > 0)
        {
            outputs.Insert(0, new TextElement(stdout.ToString(), "stdout"));
        }

        if (stderr.Length > 0)
        {
            outputs.Add(new TextElement(stderr.ToString(), "stderr"));
        }

        return error;
    }

    private static DisplayElement Display(DisplayEvent e) =>
        new(e.FormattedValues.Where(v => !v.SuppressDisplay).GroupBy(v => v.MimeType).ToDictionary(g => g.Key, g => (object)g.Last().Value));

    private sealed class EventLog : IObserver<KernelEvent>
    {
        private readonly List<KernelEvent> events = [];

        public IReadOnlyList<KernelEvent> Events
        {
            get
            {
                lock (events)
                {
                    return [.. events];
                }
            }
        }

        public void OnNext(KernelEvent value)
        {
            lock (events)
            {
                events.Add(value);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    /// <summary>The parameter cell's rig: <c>var rig = "sim:blog-3x3090";</c>.</summary>
    [GeneratedRegex("""(var\s+rig\s*=\s*)"[^"\n]*"\s*;""")]
    private static partial Regex RigParameter();
}
