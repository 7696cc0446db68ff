using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Readers;

/// <summary>rows.csv: whatever the bytes, Parse never throws, keeps every intact line and names each dropped one.</summary>
public partial class RowsCsvProperties
{
    private static readonly char[] TextChars = ['a', 'b', 'Z', '0', '7', ' ', ',', '"', '\n', ';', '=', '\u00e9', '-', '_', '/'];

    public static Gen<ResultRow> Rows() =>
        from time in Gen.Choose(0, int.MaxValue).Select(s => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(s))
        from experiment in Word()
        from @case in Text()
        from gpu in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 15).Select(i => (int?)i))
        from peer in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 15).Select(i => (int?)i))
        from metric in Word()
        from value in Gen.OneOf(Gen.Constant(double.NaN), Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 997.0), Gen.Elements(0.1, 1e-300, 1.7976931348623157e308, -0.0))
        from unit in Gen.Elements("GB/s", "us", "W", "C", "%", "tokens/s")
        from status in Gen.Elements(Enum.GetValues<RowStatus>())
        from source in Gen.Elements(Enum.GetValues<DataSource>())
        from parameters in Gen.ListOf(Gen.Zip(Word(), Text().Select(t => t.Replace(";", string.Empty, StringComparison.Ordinal))), 3)
        from note in Gen.OneOf(Gen.Constant<string?>(null), Text().Where(t => t.Length > 0).Select(t => (string?)t))
        select new ResultRow(time, experiment, @case, gpu, peer, metric, value, unit, status, source,
            parameters.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2), note);

    private static Gen<string> Word() => Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz_".ToCharArray()), n)).Select(c => new string(c));

    private static Gen<string> Text() => Gen.ArrayOf(Gen.Elements(TextChars)).Select(c => new string(c));

    private static string Document(IEnumerable<ResultRow> rows) => RowsCsv.Header + "\n" + string.Concat(rows.Select(r => RowsCsv.Format(r) + "\n"));

    [Property(MaxTest = 200)]
    public Property Written_rows_read_back_exactly() =>
        Prop.ForAll(Gen.ListOf(Rows(), 20).ToArbitrary(), rows =>
        {
            var dropped = new List<string>();
            var parsed = RowsCsv.Parse(Document(rows), dropped);
            Assert.Empty(dropped);
            Assert.Equal(rows.Select(RowsCsv.Format), parsed.Select(RowsCsv.Format));
        });

    /// <summary>A run cut off at any byte keeps every row whose line was complete, and reports the cut line.</summary>
    [Property(MaxTest = 300)]
    public Property A_file_cut_anywhere_keeps_every_complete_row() =>
        Prop.ForAll(Gen.Zip(Gen.ListOf(Rows(), 8), Gen.Choose(0, 10_000)).ToArbitrary(), input =>
        {
            var (rows, cutAt) = input;
            var text = Document(rows);
            var cut = text[..(int)((long)cutAt * text.Length / 10_000)];
            var complete = 0;
            var length = RowsCsv.Header.Length + 1;
            foreach (var row in rows)
            {
                length += RowsCsv.Format(row).Length + 1;
                if (length <= cut.Length)
                {
                    complete++;
                }
            }

            var dropped = new List<string>();
            var parsed = RowsCsv.Parse(cut, dropped);
            if (cut.Length < RowsCsv.Header.Length + 1)
            {
                Assert.Empty(parsed);
                Assert.NotEmpty(dropped);
                return;
            }

            Assert.Equal(rows.Take(complete).Select(RowsCsv.Format), parsed.Select(RowsCsv.Format));
            Assert.All(dropped, d => Assert.Matches(LineProblem(), d));
            if (cut.Length < text.Length && !cut.EndsWith('\n'))
            {
                Assert.NotEmpty(dropped);
            }
        });

    /// <summary>Damaged anywhere (not only at the end): never throws; each dropped line is named with its number and problem,
    /// and the rows it does return are exactly rows that were written.</summary>
    [Property(MaxTest = 400)]
    public Property Damaged_files_never_throw_and_name_every_dropped_line() =>
        Prop.ForAll(Gen.ListOf(Rows(), 6).SelectMany(rows => ReaderContract.Mutated(Document(rows)).Select(text => (rows, text))).ToArbitrary(), input =>
        {
            var dropped = new List<string>();
            var parsed = RowsCsv.Parse(input.text, dropped);
            Assert.All(dropped, d => Assert.Matches(LineProblem(), d));
            Assert.All(parsed, row => Assert.NotEmpty(row.Metric));
        });

    [Property(MaxTest = 300)]
    public Property Random_text_never_throws() =>
        Prop.ForAll(ReaderContract.RandomText().ToArbitrary(), text =>
        {
            var dropped = new List<string>();
            var parsed = RowsCsv.Parse(text, dropped);
            Assert.All(dropped, d => Assert.Matches(LineProblem(), d));
            Assert.True(parsed.Count == 0 || text.Contains(RowsCsv.Header[..20], StringComparison.Ordinal), "rows without a header");
        });

    [Fact]
    public void The_row_generator_covers_quotes_newlines_and_missing_values()
    {
        var sample = Gen.Sample(Gen.ListOf(Rows(), 20), 30).SelectMany(r => r).ToList();
        Assert.Contains(sample, r => double.IsNaN(r.Value));
        Assert.Contains(sample, r => r.Note?.Contains('\n', StringComparison.Ordinal) == true);
        Assert.Contains(sample, r => r.Case.Contains('"', StringComparison.Ordinal));
        Assert.Contains(sample, r => r.Parameters.Count > 0);
        Assert.Contains(sample, r => r.Gpu is null);
    }

    [GeneratedRegex(@"^line \d+: \S.*", RegexOptions.Singleline)]
    private static partial Regex LineProblem();
}
