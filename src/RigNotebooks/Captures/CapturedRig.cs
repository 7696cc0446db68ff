using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Rigs;

namespace RigNotebooks.Captures;

/// <summary>
/// A real rig replayed from a capture folder (<c>--rig capture:&lt;dir&gt;</c>): the <c>topo.json</c> that
/// <c>rig topo --rig local --json</c> wrote on the machine, as the GPU check saves it (data/captures/&lt;gpu&gt;-&lt;date&gt;/).
/// Its description is measured data from that machine; it offers no live capabilities, so experiments on it record
/// waived rows.
/// </summary>
public sealed class CapturedRig : IRig
{
    public const string Prefix = "capture:";
    public const string TopoFile = "topo.json";

    private readonly RigDescription description;

    private CapturedRig(string id, string folder, RigDescription description)
    {
        Id = id;
        Folder = folder;
        this.description = description;
    }

    public string Id { get; }

    /// <summary>The capture folder.</summary>
    public string Folder { get; }

    public DataSource Source => DataSource.Measured;

    /// <summary>Opens <c>capture:&lt;dir&gt;</c>; <paramref name="folder"/> may also name the topo.json file itself.</summary>
    public static CapturedRig Open(string folder, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var file = File.Exists(folder) ? folder : Path.Combine(folder, TopoFile);
        if (!File.Exists(file))
        {
            throw new RigInputException(
                $"No capture at '{folder}': expected {TopoFile} there (the output of `rig topo --rig local --json` saved by scripts/gpu-check.sh).");
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? folder;
        id ??= Prefix + folder;
        return new CapturedRig(id, dir, TopoReportReader.Read(file, id, DataSource.Measured));
    }

    public RigDescription Describe() => description;

    public Capability<T> Get<T>()
        where T : class =>
        Capability<T>.Unavailable($"a captured rig replays what was measured on {description.Platform.Hostname ?? "its machine"}; {typeof(T).Name} needs that machine live (--rig local)");

    public void Dispose()
    {
    }
}
