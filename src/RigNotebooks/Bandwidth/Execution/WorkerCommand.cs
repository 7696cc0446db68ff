namespace RigNotebooks.Bandwidth.Execution;

/// <summary>How to start a worker process: the executable and the arguments that come before <c>worker</c>
/// (for a framework-dependent rig.dll: the dotnet host and the dll's path).</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public override string ToString() => string.Join(' ', [FileName, .. PrefixArguments]);
}
