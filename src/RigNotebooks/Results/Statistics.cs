namespace RigNotebooks.Results;

/// <summary>The summary figures the kit reports from repeated measurements.</summary>
public static class Statistics
{
    /// <summary>The middle value, or the mean of the two middle values of an even count; the values must not be empty.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count, nameof(values));
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
