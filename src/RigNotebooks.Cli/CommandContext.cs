using System.CommandLine;
using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using Spectre.Console;

namespace RigNotebooks.Cli;

/// <summary>What a command's action gets: the parsed options, the console, the run store, and the rig.</summary>
public sealed class CommandContext(ParseResult parse, GlobalOptions options, TextWriter stdout, TextWriter stderr)
{
    private RunStore? store;

    public ParseResult Parse { get; } = parse;

    public string RigSpec => Parse.GetValue(options.Rig) ?? RigSelector.DefaultRig;

    public bool Json => Parse.GetValue(options.Json);

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary>Human output; in --json mode it goes to stderr so stdout holds only JSON.</summary>
    public IAnsiConsole Console { get; } = CreateConsole(parse.GetValue(options.Json) ? stderr : stdout);

    public RunStore Store => store ??= new RunStore(Parse.GetValue(options.Results) ?? RunStore.DefaultRoot);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    public IRig OpenRig() => RigSelector.Open(RigSpec);

    /// <summary>The closing line of a command that wrote a run: its id and the store it is in.</summary>
    public void ShowRun(string runId) => Console.MarkupLine($"[grey]run {runId} in {Markup.Escape(Store.Root)}[/]");

    public void WriteJson<T>(T value)
    {
        Stdout.WriteLine(JsonSerializer.Serialize(value, KitJson.Indented));
        Stdout.Flush();
    }

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 140;
        }

        return console;
    }
}
