using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>What a worker process is asked to do: open <paramref name="Rig"/> (a selection string) with the parent's
/// simulation seed and noise, and run <paramref name="Items"/> in order. Passed to the child on its stdin.</summary>
public sealed record WorkerJob(string Rig, int Seed, double NoiseFraction, CaseSettings Settings, IReadOnlyList<WorkItem> Items)
{
    public string ToJson() => JsonSerializer.Serialize(this, KitJson.Compact);

    public static WorkerJob Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerJob>(json, KitJson.Compact)
                ?? throw new RigInputException("The worker job is empty.");
        }
        catch (JsonException ex)
        {
            throw new RigInputException($"The worker job is not valid JSON at {ex.Path ?? "$"}: {JsonErrorText.Problem(ex)}", ex);
        }
    }
}
