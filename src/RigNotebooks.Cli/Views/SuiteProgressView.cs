using RigNotebooks.Bandwidth.Execution;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>Progress of a watched suite: a live status line in a terminal, nothing when output is redirected or JSON.</summary>
internal static class SuiteProgressView
{
    public static async Task<T> RunAsync<T>(CommandContext context, int total, Func<IProgress<SuiteProgress>?, Task<T>> run)
        where T : class
    {
        if (context.Json || !context.Console.Profile.Capabilities.Interactive)
        {
            return await run(null).ConfigureAwait(false);
        }

        T? outcome = null;
        await context.Console.Status().StartAsync($"0/{total} cases", async status =>
        {
            var progress = new Progress<SuiteProgress>(p => status.Status($"{p.Done}/{p.Total} cases - {Markup.Escape(p.Item)}"));
            outcome = await run(progress).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return outcome!;
    }
}
