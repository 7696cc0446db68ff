using RigNotebooks.Results;

namespace RigNotebooks.Importers;

/// <summary>What an importer read from a tool's output: rows in the kit's conventions (source = imported), what it
/// left out and why, and what the output says about the machine it ran on.</summary>
/// <param name="Tool">nvbandwidth, p2pBandwidthLatencyTest or nccl-tests.</param>
/// <param name="Experiment">bandwidth or allreduce: the experiment of the rows.</param>
/// <param name="Skipped">Parts of the output that have no place in the kit's rows, each with the reason.</param>
public sealed record ImportResult(
    string Tool,
    string Format,
    string Experiment,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<string> Skipped,
    ImportedMachine Machine);

/// <summary>Facts about the measured machine that the output states (null when it does not).</summary>
public sealed record ImportedMachine(IReadOnlyList<string> GpuNames, string? DriverVersion, string? CudaVersion, string? ToolVersion, string? Host);
