using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>What a suite run produced: every row (also streamed to the sink as it came), and what the watchdog did.</summary>
public sealed record SuiteOutcome(IReadOnlyList<ResultRow> Rows, IReadOnlyList<string> Events, string Executor);

/// <summary>Progress of a suite: items accounted for out of the total, and the item just finished.</summary>
public sealed record SuiteProgress(int Done, int Total, string Item);
