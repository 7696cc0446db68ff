using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Importers;
using RigNotebooks.Tests.Readers;

namespace RigNotebooks.Tests.Importers;

/// <summary>
/// The tool-output importers on damaged copies of the real outputs in data/captures/tool-outputs (cut at any point, a
/// line dropped or doubled, bytes flipped, numbers replaced by garbage): each either imports — no more rows than the
/// intact file gave, every value one that stands in the damaged text — or is refused with the kit's input error naming
/// the file and the place (<see cref="ReaderContract"/>). Never another exception, never a made-up figure.
/// </summary>
public sealed partial class ImporterProperties
{
    public sealed record Fixture(string Tool, string Path)
    {
        public string Text { get; } = File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "tool-outputs", Path));

        public int IntactRows { get; } = ToolImporters.Import(Tool, File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "tool-outputs", Path)), Path).Rows.Count;

        public override string ToString() => $"{Tool} {Path}";
    }

    /// <summary>One way a file gets damaged, named so a counterexample reads as what was done.</summary>
    public sealed record Damage(string What, Func<string, string> Apply)
    {
        public override string ToString() => What;
    }

    private static readonly Fixture[] Fixtures =
    [
        new("nvbandwidth", "nvbandwidth/a100-host-to-device-sm-v0.8.txt"),
        new("nvbandwidth", "nvbandwidth/6xa6000-device-to-device-read-v0.8.txt"),
        new("nvbandwidth", "nvbandwidth/2gpu-v0.10.txt"),
        new("nvbandwidth", "nvbandwidth/1gpu-v0.5-verbose.json"),
        new("p2pBandwidthLatencyTest", "p2pBandwidthLatencyTest/2x4090-no-p2p.txt"),
        new("nccl-tests", "nccl-tests/16xh100-all-reduce.txt"),
        new("nccl-tests", "nccl-tests/16xh100-all-reduce.J.json"),
    ];

    private static readonly string[] Garbage = ["fast", "N/A", "", "-", "1e999", "NaN", "-1", "0x10", "1,5", "1.2.3", "99999999999999999999", "\"7\"", "null", "\u221e", "\0"];

    private static Gen<double> Fraction() => Gen.Choose(0, 10_000).Select(i => i / 10_000.0);

    private static int At(int length, double fraction) => (int)Math.Round(fraction * length);

    private static Gen<Damage> Damages() =>
        Gen.Frequency(
            (2, Fraction().Select(f => new Damage($"cut at {f:P2}", s => s[..At(s.Length, f)]))),
            (2, Fraction().Select(f => new Damage($"line at {f:P2} dropped", s => EditLine(s, f, (lines, i) => lines.RemoveAt(i))))),
            (2, Fraction().Select(f => new Damage($"line at {f:P2} doubled", s => EditLine(s, f, (lines, i) => lines.Insert(i, lines[i]))))),
            (3, Gen.Zip(Fraction(), Gen.Choose(1, 255)).Select(p => new Damage($"byte at {p.Item1:P2} xor {p.Item2}", s => FlipByte(s, p.Item1, (byte)p.Item2)))),
            (3, Gen.Zip(Fraction(), Gen.Elements(Garbage)).Select(p => new Damage($"number at {p.Item1:P2} replaced by '{p.Item2}'", s => ReplaceNumber(s, p.Item1, p.Item2)))));

    private static string EditLine(string s, double at, Action<List<string>, int> edit)
    {
        var lines = s.Split('\n').ToList();
        edit(lines, (int)(at * (lines.Count - 1)));
        return string.Join('\n', lines);
    }

    private static string FlipByte(string s, double at, byte mask)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length == 0)
        {
            return s;
        }

        bytes[At(bytes.Length - 1, at)] ^= mask;
        return Encoding.UTF8.GetString(bytes);
    }

    private static string ReplaceNumber(string s, double at, string garbage)
    {
        var numbers = NumberToken().Matches(s);
        if (numbers.Count == 0)
        {
            return s;
        }

        var m = numbers[(int)(at * (numbers.Count - 1))];
        return s[..m.Index] + garbage + s[(m.Index + m.Length)..];
    }

    /// <summary>Every number written in the text (JSON or columns), as a value.</summary>
    private static List<double> NumbersIn(string text) =>
        NumberToken().Matches(text)
            .Select(m => double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN)
            .Where(double.IsFinite)
            .ToList();

    private static Gen<(Fixture, Damage[])> Inputs() =>
        from fixture in Gen.Elements(Fixtures)
        from damages in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Damages(), n))
        select (fixture, damages);

    [Fact]
    public void Every_intact_fixture_imports_with_values_that_stand_in_its_text()
    {
        foreach (var fixture in Fixtures)
        {
            Assert.True(fixture.IntactRows > 0, fixture.ToString());
            AssertNothingMadeUp(ToolImporters.Import(fixture.Tool, fixture.Text, fixture.Path), fixture.Text, fixture.IntactRows);
        }
    }

    [Property(MaxTest = 300)]
    public Property A_damaged_tool_output_imports_fewer_true_rows_or_is_refused_precisely() =>
        Prop.ForAll(Inputs().ToArbitrary(), input =>
        {
            var (fixture, damages) = input;
            var text = damages.Aggregate(fixture.Text, (t, d) => d.Apply(t));
            var label = "damaged-" + System.IO.Path.GetFileName(fixture.Path);
            ImportResult? import = null;
            if (ReaderContract.ReadsOrRejectsPrecisely(() => import = ToolImporters.Import(fixture.Tool, text, label), label))
            {
                AssertNothingMadeUp(import!, text, fixture.IntactRows);
            }
        });

    private static void AssertNothingMadeUp(ImportResult import, string text, int intactRows)
    {
        Assert.True(import.Rows.Count <= intactRows, $"{import.Rows.Count} rows from a damaged file whose intact form gave {intactRows}");
        var numbers = NumbersIn(text);
        foreach (var row in import.Rows.Where(r => double.IsFinite(r.Value)))
        {
            Assert.True(
                numbers.Exists(n => Math.Abs(n - row.Value) <= 1e-9 * Math.Max(1, Math.Abs(row.Value))),
                $"{row.Case} {row.Gpu}->{row.Peer} {row.Metric} = {row.Value.ToString(CultureInfo.InvariantCulture)} does not stand in the text");
        }
    }

    [GeneratedRegex(@"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")]
    private static partial Regex NumberToken();
}
