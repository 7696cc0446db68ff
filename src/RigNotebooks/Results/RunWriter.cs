using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RigNotebooks.Doctor;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>Writes one run as it goes: run.json first (status running), then each row durable before the next
/// is measured. Thread-safe, so a sampler and an experiment can write to one run.</summary>
public sealed class RunWriter : IDisposable
{
    private readonly object gate = new();
    private readonly FileStream rowsStream;
    private readonly List<ResultRow> rows = [];
    private RunRecord record;
    private bool ended;

    internal RunWriter(string folder, RunRecord record)
    {
        Folder = folder;
        this.record = record;
        RunFiles.WriteRecord(folder, record);
        rowsStream = new FileStream(Path.Combine(folder, RunFiles.RowsCsv), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Append(RowsCsv.Header + "\n");
    }

    public string Folder { get; }

    public string Id => record.Id;

    public DataSource Source => record.Source;

    public RunRecord Record
    {
        get
        {
            lock (gate)
            {
                return record;
            }
        }
    }

    /// <summary>The rows written so far, in order.</summary>
    public IReadOnlyList<ResultRow> Rows
    {
        get
        {
            lock (gate)
            {
                return rows.ToList();
            }
        }
    }

    public void Write(ResultRow row)
    {
        lock (gate)
        {
            ThrowIfEnded();
            Append(RowsCsv.Format(row) + "\n");
            rows.Add(row);
        }
    }

    /// <summary>Writes rows measured together (one telemetry tick, one cap) with a single flush to disk.</summary>
    public void Write(IEnumerable<ResultRow> batch)
    {
        var rowsOfBatch = batch.ToList();
        if (rowsOfBatch.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var row in rowsOfBatch)
        {
            text.Append(RowsCsv.Format(row)).Append('\n');
        }

        lock (gate)
        {
            ThrowIfEnded();
            Append(text.ToString());
            rows.AddRange(rowsOfBatch);
        }
    }

    /// <summary>Adds headline figures and findings while the run goes on (kept if it later dies).</summary>
    public void Summarize(IReadOnlyDictionary<string, string>? summary = null, IEnumerable<Finding>? findings = null)
    {
        lock (gate)
        {
            ThrowIfEnded();
            var merged = new Dictionary<string, string>(record.Summary);
            foreach (var (k, v) in summary ?? new Dictionary<string, string>())
            {
                merged[k] = v;
            }

            record = record with { Summary = merged, Findings = [.. record.Findings, .. findings ?? []] };
            RunFiles.WriteRecord(Folder, record);
        }
    }

    public void Complete(IReadOnlyDictionary<string, string>? summary = null, IEnumerable<Finding>? findings = null) =>
        End(RunStatus.Completed, null, summary, findings);

    public void Fail(string error, IEnumerable<Finding>? findings = null) => End(RunStatus.Failed, error, null, findings);

    public void Cancel() => End(RunStatus.Cancelled, "cancelled by the user", null, null);

    /// <summary>A run disposed without an explicit end failed on an exception path; record that honestly.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (!ended)
            {
                End(RunStatus.Failed, "the run ended without completing (an error interrupted it)", null, null);
            }

            rowsStream.Dispose();
        }
    }

    private void End(RunStatus status, string? error, IReadOnlyDictionary<string, string>? summary, IEnumerable<Finding>? findings)
    {
        lock (gate)
        {
            ThrowIfEnded();
            if (summary is not null || findings is not null)
            {
                Summarize(summary, findings);
            }

            ended = true;
            record = record with { Status = status, Error = error, EndedUtc = DateTimeOffset.UtcNow };
            RunFiles.WriteRecord(Folder, record);
        }
    }

    private void Append(string text)
    {
        rowsStream.Write(Encoding.UTF8.GetBytes(text));
        rowsStream.Flush(flushToDisk: true);
    }

    private void ThrowIfEnded()
    {
        if (ended)
        {
            throw new InvalidOperationException($"Run {record.Id} has already ended.");
        }
    }

    internal static RunRecord NewRecord(string id, string experiment, JsonObject spec, RigDescription rig)
    {
        using var self = Process.GetCurrentProcess();
        return new RunRecord
        {
            Id = id,
            Experiment = experiment,
            Spec = spec,
            Rig = RigFingerprint.Of(rig),
            Software = SoftwareVersions.Current(),
            Source = rig.Source,
            Status = RunStatus.Running,
            StartedUtc = DateTimeOffset.UtcNow,
            WriterPid = Environment.ProcessId,
            WriterStartedUtc = self.StartTime.ToUniversalTime(),
            WriterHost = Environment.MachineName,
        };
    }
}
