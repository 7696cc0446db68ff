using System.Globalization;
using System.Text;

namespace RigNotebooks.Results.Comparison;

/// <summary>What lines a row up with its counterpart in another run: experiment, case, GPU, peer, metric and
/// parameters, plus an occurrence number when the same key appears more than once in a run (paired in order).</summary>
/// <param name="Params">The parameters as rows.csv writes them (<c>k=v;k=v</c>, keys sorted), minus any ignored keys.</param>
public sealed record RowKey(string Experiment, string Case, int? Gpu, int? Peer, string Metric, string Params, int Occurrence)
{
    /// <summary>A short human label, e.g. <c>peer_unidirectional gpu0→1 bandwidth [p2p=on;size_bytes=268435456]</c>.</summary>
    public string Label
    {
        get
        {
            var label = new StringBuilder(Case);
            if (Gpu is { } g)
            {
                label.Append(CultureInfo.InvariantCulture, $" gpu{g}");
                if (Peer is { } p)
                {
                    label.Append(CultureInfo.InvariantCulture, $"→{p}");
                }
            }
            else if (Peer is { } p)
            {
                label.Append(CultureInfo.InvariantCulture, $" peer{p}");
            }

            label.Append(' ').Append(Metric);
            if (Params.Length > 0)
            {
                label.Append(" [").Append(Params).Append(']');
            }

            if (Occurrence > 1)
            {
                label.Append(CultureInfo.InvariantCulture, $" #{Occurrence}");
            }

            return label.ToString();
        }
    }
}
