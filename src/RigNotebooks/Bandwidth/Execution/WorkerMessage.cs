using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>
/// One line of the worker protocol. The child writes each as <c>@rig {json}</c> on its own line of stdout; lines
/// without the prefix (a driver or NCCL printing to stdout) are ignored by the parent.
/// </summary>
/// <param name="Kind">ready, start, row, end, done, or fatal.</param>
/// <param name="Item">For start and end: the index of the work item in the job.</param>
public sealed record WorkerMessage(string Kind, int? Item = null, ResultRow? Row = null, string? Text = null)
{
    public const string Prefix = "@rig ";

    /// <summary>The rig is open; items follow.</summary>
    public const string ReadyKind = "ready";

    public const string StartKind = "start";

    public const string RowKind = "row";

    public const string EndKind = "end";

    /// <summary>Every item was accounted for.</summary>
    public const string DoneKind = "done";

    /// <summary>The worker cannot go on (no such rig, no driver); <see cref="Text"/> says why.</summary>
    public const string FatalKind = "fatal";

    public static WorkerMessage Ready() => new(ReadyKind);

    public static WorkerMessage Start(int item) => new(StartKind, item);

    public static WorkerMessage Of(ResultRow row) => new(RowKind, Row: row);

    public static WorkerMessage End(int item) => new(EndKind, item);

    public static WorkerMessage Done() => new(DoneKind);

    public static WorkerMessage Fatal(string why) => new(FatalKind, Text: why);

    public string ToLine() => Prefix + JsonSerializer.Serialize(this, KitJson.Compact);

    /// <summary>Reads a protocol line; false for any other output, or a line that does not parse.</summary>
    public static bool TryParse(string? line, out WorkerMessage message)
    {
        message = null!;
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize<WorkerMessage>(line.AsSpan(Prefix.Length), KitJson.Compact)!;
            return message is not null && !string.IsNullOrEmpty(message.Kind);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
