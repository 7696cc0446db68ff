using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>Median, minimum and maximum of a set of samples: the median is reported, the spread kept (nvbandwidth's way).</summary>
public sealed record SampleStats(double Median, double Min, double Max, int Count)
{
    public static SampleStats Of(IReadOnlyList<double> samples)
    {
        var valid = samples.Where(double.IsFinite).Order().ToList();
        if (valid.Count == 0)
        {
            return new SampleStats(double.NaN, double.NaN, double.NaN, 0);
        }

        return new SampleStats(Statistics.Median(valid), valid[0], valid[^1], valid.Count);
    }
}
