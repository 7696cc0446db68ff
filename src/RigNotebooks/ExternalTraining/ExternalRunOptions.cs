using System.Text.RegularExpressions;

namespace RigNotebooks.ExternalTraining;

/// <summary>How to run and judge a user's training command.</summary>
/// <param name="ThroughputPattern">A regex with a named group <c>value</c> (the number) and optionally <c>unit</c>;
/// every output line is matched. The default reads "1234.5 tokens/s" (also tok/s, samples/s, it/s, img/s).</param>
/// <param name="Timeout">The whole run's limit.</param>
/// <param name="SilenceTimeout">A run that prints nothing for this long is declared hung and killed — the
/// reference rig's failure was exactly that: silence after the processes initialised.</param>
/// <param name="WarmupMatches">Throughput reports to ignore at the start (compilation, NCCL setup, warm-up).</param>
public sealed record ExternalRunOptions(
    string ThroughputPattern = ExternalRunOptions.DefaultThroughputPattern,
    TimeSpan? Timeout = null,
    TimeSpan? SilenceTimeout = null,
    int WarmupMatches = 1,
    string? WorkingDirectory = null)
{
    public const string DefaultThroughputPattern = @"(?<value>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*(?<unit>tokens/s|tok/s|samples/s|it/s|img/s)";

    public TimeSpan RunTimeout => Timeout ?? TimeSpan.FromMinutes(30);

    public TimeSpan Silence => SilenceTimeout ?? TimeSpan.FromMinutes(5);

    public Regex Regex()
    {
        try
        {
            var regex = new Regex(ThroughputPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return regex.GroupNumberFromName("value") >= 0
                ? regex
                : throw new Errors.RigInputException($"The throughput regex needs a named group 'value', e.g. (?<value>[0-9.]+) tokens/s; got: {ThroughputPattern}");
        }
        catch (ArgumentException ex)
        {
            throw new Errors.RigInputException($"The throughput regex is not valid: {ex.Message}", ex);
        }
    }
}
