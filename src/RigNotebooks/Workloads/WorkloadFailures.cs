using RigNotebooks.Doctor;

namespace RigNotebooks.Workloads;

/// <summary>A workload's findings and the first failure among them (<see cref="IWorkload.Failure"/>,
/// <see cref="IWorkload.Findings"/>), safe to add to from the threads that run the work.</summary>
internal sealed class WorkloadFailures
{
    private readonly object gate = new();
    private readonly List<Finding> findings = [];
    private string? failure;

    /// <summary>The first failure's reason, or null while the workload is healthy.</summary>
    public string? Failure
    {
        get
        {
            lock (gate)
            {
                return failure;
            }
        }
    }

    public IReadOnlyList<Finding> Findings
    {
        get
        {
            lock (gate)
            {
                return findings.ToList();
            }
        }
    }

    /// <summary>Records a failure: <paramref name="reason"/> becomes <see cref="Failure"/> unless one came first.</summary>
    public void Add(string reason, Finding finding)
    {
        lock (gate)
        {
            failure ??= reason;
            findings.Add(finding);
        }
    }
}
