using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RigNotebooks.Data;

namespace RigNotebooks.Results.Sharing;

/// <summary>
/// Replaces what identifies a machine or a person — GPU UUIDs and serials, hostnames, user names (and so home paths,
/// <c>/home/alice/…</c> → <c>/home/user-1/…</c>) — by aliases, consistently: one instance is used for every run of an
/// export, so the same UUID becomes the same alias everywhere. Everything else is kept.
/// Identifiers are learned first (<see cref="Learn(RunRecord, IEnumerable{ResultRow})"/>: the rig fingerprint, the
/// writer's host, this machine's name and user, home paths and UUID-shaped text anywhere, JSON fields named like
/// host/user/serial/uuid), then replaced wherever they stand as a whole word (not inside a longer word, so a host
/// called <c>vm</c> does not turn <c>vmlinuz</c> into nonsense), ignoring case.
/// A GPU UUID is known by its 36-character core, so it is replaced however it is written: <c>GPU-266d…</c> as
/// nvidia-smi prints it, <c>MIG-…</c>, or bare (<c>266d…</c>) as PyTorch prints it — all with the same alias core, the
/// prefix as written kept. Prefixed UUIDs are replaced even when not learned before; a bare UUID-shaped string is
/// replaced when it is a known identifier (a bare UUID is also what run ids, dataset ids and the like look like).
/// Generic account and host names (root, ubuntu, localhost, …) and the kit's own words (completed, simulated, off, …)
/// identify nobody and are left alone.
/// </summary>
public sealed partial class Anonymizer
{
    private static readonly HashSet<string> GenericUsers = new(StringComparer.OrdinalIgnoreCase)
    {
        "root", "user", "users", "admin", "administrator", "nobody", "guest", "ubuntu", "debian", "runner", "vscode",
        "codespace", "jovyan", "public", "shared", "default", "all users", "pi",
    };

    private static readonly HashSet<string> GenericHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "localhost", "localhost.localdomain", "ubuntu", "debian", "raspberrypi",
    };

    /// <summary>Words the kit itself writes as values (statuses, sources, IOMMU modes, severities): a host or user
    /// that happens to be called "off" or "completed" is not replaced there, or run.json would no longer read.</summary>
    private static readonly HashSet<string> KitWords = new(
        new[] { typeof(RunStatus), typeof(RowStatus), typeof(Model.DataSource), typeof(Model.IommuMode), typeof(Doctor.Severity) }
            .SelectMany(Enum.GetNames),
        StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, IdentifierKind> IdentifyingFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hostname"] = IdentifierKind.Hostname,
        ["host"] = IdentifierKind.Hostname,
        ["writerHost"] = IdentifierKind.Hostname,
        ["machineName"] = IdentifierKind.Hostname,
        ["nodeName"] = IdentifierKind.Hostname,
        ["user"] = IdentifierKind.UserName,
        ["userName"] = IdentifierKind.UserName,
        ["owner"] = IdentifierKind.UserName,
        ["serial"] = IdentifierKind.Serial,
        ["serialNumber"] = IdentifierKind.Serial,
        ["boardSerial"] = IdentifierKind.Serial,
        ["uuid"] = IdentifierKind.GpuUuid,
        ["gpuUuid"] = IdentifierKind.GpuUuid,
    };

    private readonly Dictionary<string, IdentifierAlias> aliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> aliasTexts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>GPU UUID cores (no prefix, lower case) → alias core, for the forms the word pattern cannot see.</summary>
    private readonly Dictionary<string, string> uuidAliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> uuidAliasCores = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IdentifierKind, int> counters = [];
    private Regex? pattern;

    /// <summary>An anonymiser that already knows this machine's name and the current user.</summary>
    public static Anonymizer ForThisMachine()
    {
        var anonymizer = new Anonymizer();
        anonymizer.Learn(IdentifierKind.Hostname, Environment.MachineName);
        anonymizer.Learn(IdentifierKind.UserName, Environment.UserName);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            anonymizer.Learn(IdentifierKind.UserName, Path.GetFileName(home.TrimEnd('/', '\\')));
        }

        return anonymizer;
    }

    /// <summary>The aliases in use, in the order they were given out (never the originals).</summary>
    public IReadOnlyList<IdentifierAlias> Aliases => aliases.Values.OrderBy(a => a.Kind).ThenBy(a => a.Alias, StringComparer.Ordinal).ToList();

    /// <summary>The identifiers learned so far (the originals; a GPU UUID by its core, without prefix), for checking an
    /// archive before it is written.</summary>
    public IReadOnlyCollection<string> Identifiers => aliases.Keys;

    /// <summary>Learns one identifier; generic or empty values are ignored. Returns its alias, or null when ignored.</summary>
    public string? Learn(IdentifierKind kind, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || aliasTexts.Contains(text))
        {
            return null;
        }

        if (kind == IdentifierKind.GpuUuid && WholeUuidPattern().Match(text) is { Success: true } uuid)
        {
            return LearnUuid(uuid.Groups["prefix"].Value, uuid.Groups["core"].Value);
        }

        if (KitWords.Contains(text) || (kind == IdentifierKind.UserName && GenericUsers.Contains(text)) || (kind == IdentifierKind.Hostname && GenericHosts.Contains(text)))
        {
            return null;
        }

        if (aliases.TryGetValue(text, out var known))
        {
            return known.Alias;
        }

        var n = counters[kind] = counters.GetValueOrDefault(kind) + 1;
        var alias = kind switch
        {
            IdentifierKind.GpuUuid => $"GPU-00000000-0000-0000-0000-{n.ToString("x12", CultureInfo.InvariantCulture)}",
            IdentifierKind.Serial => $"serial-{n}",
            IdentifierKind.Hostname => $"host-{n}",
            _ => $"user-{n}",
        };
        aliases[text] = new IdentifierAlias(kind, alias);
        aliasTexts.Add(alias);
        if (WholeUuidPattern().Match(alias) is { Success: true } shaped)
        {
            uuidAliasCores.Add(shaped.Groups["core"].Value); // so the alias is never taken for a UUID to replace
        }
        pattern = null;
        return alias;
    }

    /// <summary>Learns a GPU UUID by its core; returns its alias with the prefix as given (none for a bare UUID), or null
    /// when the core is itself an alias.</summary>
    private string? LearnUuid(string prefix, string core)
    {
        if (uuidAliasCores.Contains(core))
        {
            return null;
        }

        if (!uuidAliases.TryGetValue(core, out var aliasCore))
        {
            var n = counters[IdentifierKind.GpuUuid] = counters.GetValueOrDefault(IdentifierKind.GpuUuid) + 1;
            aliasCore = $"00000000-0000-0000-0000-{n.ToString("x12", CultureInfo.InvariantCulture)}";
            var key = core.ToLowerInvariant();
            uuidAliases[key] = aliasCore;
            uuidAliasCores.Add(aliasCore);
            aliases[key] = new IdentifierAlias(IdentifierKind.GpuUuid, "GPU-" + aliasCore);
            foreach (var p in new[] { string.Empty, "GPU-", "MIG-" })
            {
                aliasTexts.Add(p + aliasCore);
            }
        }

        return prefix + aliasCore;
    }

    /// <summary>Learns the identifiers of a run: its fingerprint, its writer's host, and whatever identifying text
    /// appears anywhere in its metadata and rows.</summary>
    public void Learn(RunRecord record, IEnumerable<ResultRow> rows)
    {
        foreach (var gpu in record.Rig.Gpus)
        {
            Learn(IdentifierKind.GpuUuid, gpu.Uuid);
            Learn(IdentifierKind.Serial, gpu.Serial);
        }

        Learn(IdentifierKind.Hostname, record.Rig.Hostname);
        Learn(IdentifierKind.Hostname, record.WriterHost);
        LearnNode(JsonSerializer.SerializeToNode(record, KitJson.Compact), null);
        foreach (var row in rows)
        {
            foreach (var text in new[] { row.Experiment, row.Case, row.Metric, row.Unit, row.Note })
            {
                LearnText(text);
            }

            foreach (var (key, value) in row.Parameters)
            {
                LearnText(key);
                LearnText(value);
                if (IdentifyingFields.TryGetValue(key, out var kind))
                {
                    Learn(kind, value);
                }
            }
        }
    }

    /// <summary>The text with every learned identifier (and any prefixed GPU UUID, learned or not) replaced by its alias;
    /// a known GPU UUID is replaced bare or prefixed.</summary>
    public string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = UuidPattern().Replace(text, ScrubUuid);
        var words = Pattern();
        return words is null ? result : words.Replace(result, m => aliases.TryGetValue(m.Value, out var a) ? a.Alias : m.Value);
    }

    /// <summary>The run's metadata with identifiers replaced everywhere (every string value and field name), and its
    /// rig hash recomputed from the replaced values so the hash does not identify the machine either.</summary>
    public RunRecord Scrub(RunRecord record)
    {
        var node = JsonSerializer.SerializeToNode(record, KitJson.Compact)!;
        var scrubbed = ScrubNode(node)!;
        var result = scrubbed.Deserialize<RunRecord>(KitJson.StrictOpen)
            ?? throw new InvalidOperationException("An anonymised run record came out empty.");
        return result with { Rig = result.Rig.Rehashed() };
    }

    private string ScrubUuid(Match m)
    {
        var prefix = m.Groups["prefix"].Value;
        var core = m.Groups["core"].Value;
        if (prefix.Length == 0)
        {
            // Bare: only a known GPU UUID; anything else UUID-shaped is left to the word pattern (a known identifier of
            // another kind) or kept (a run id, a dataset id).
            return uuidAliases.TryGetValue(core, out var known) ? known : m.Value;
        }

        return LearnUuid(prefix, core) ?? m.Value;
    }

    public ResultRow Scrub(ResultRow row) => row with
    {
        Experiment = Scrub(row.Experiment),
        Case = Scrub(row.Case),
        Metric = Scrub(row.Metric),
        Unit = Scrub(row.Unit),
        Note = row.Note is null ? null : Scrub(row.Note),
        Parameters = row.Parameters.ToDictionary(p => Scrub(p.Key), p => Scrub(p.Value), StringComparer.Ordinal),
    };

    /// <summary>The learned identifiers (and UUIDs that are not aliases) still present in <paramref name="text"/> as whole
    /// words, ignoring case: empty when the text is clean.</summary>
    public IReadOnlyList<string> FindLeaks(string text)
    {
        var leaks = new List<string>();
        if (Pattern() is { } words)
        {
            leaks.AddRange(words.Matches(text).Select(m => m.Value));
        }

        leaks.AddRange(UuidPattern().Matches(text)
            .Where(m => m.Groups["prefix"].Success ? !uuidAliasCores.Contains(m.Groups["core"].Value) : uuidAliases.ContainsKey(m.Groups["core"].Value))
            .Select(m => m.Value));
        return leaks.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private void LearnNode(JsonNode? node, string? fieldName)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    LearnText(key);
                    LearnNode(child, key);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    LearnNode(item, fieldName);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                LearnText(text);
                if (fieldName is not null && IdentifyingFields.TryGetValue(fieldName, out var kind))
                {
                    Learn(kind, text);
                }

                break;
            case JsonValue value when fieldName is not null && IdentifyingFields.TryGetValue(fieldName, out var numberKind) && numberKind == IdentifierKind.Serial:
                Learn(IdentifierKind.Serial, value.ToJsonString());
                break;
        }
    }

    /// <summary>UUIDs and the user part of home paths, wherever they appear in free text.</summary>
    private void LearnText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (Match m in UuidPattern().Matches(text).Where(m => m.Groups["prefix"].Success))
        {
            LearnUuid(m.Groups["prefix"].Value, m.Groups["core"].Value);
        }

        foreach (Match m in HomePathPattern().Matches(text))
        {
            Learn(IdentifierKind.UserName, m.Groups["user"].Value);
        }
    }

    private JsonNode? ScrubNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj.ToList())
                {
                    copy[Scrub(key)] = ScrubNode(child?.DeepClone());
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(item => ScrubNode(item?.DeepClone())).ToArray());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Scrub(value.GetValue<string>()));
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>One regex over every learned identifier but GPU UUIDs (<see cref="UuidPattern"/> finds those in any
    /// form), longest first, each only as a whole word.</summary>
    private Regex? Pattern()
    {
        var words = aliases.Keys.Where(k => !uuidAliases.ContainsKey(k)).ToList();
        if (words.Count == 0)
        {
            return null;
        }

        return pattern ??= new Regex(
            "(?<![A-Za-z0-9])(?:" + string.Join('|', words.OrderByDescending(k => k.Length).Select(Regex.Escape)) + ")(?![A-Za-z0-9])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(10));
    }

    /// <summary>A UUID, after GPU- or MIG- or bare, wherever it stands (a 36-character identifier is never part of an
    /// innocent word); the prefix and the core are captured apart.</summary>
    [GeneratedRegex(@"(?<prefix>(?i:GPU|MIG)-)?(?<core>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

    /// <summary>A whole value that is a UUID, with or without its GPU-/MIG- prefix.</summary>
    [GeneratedRegex(@"^(?<prefix>(?:GPU|MIG)-)?(?<core>[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WholeUuidPattern();

    /// <summary>…/home/NAME, /Users/NAME, C:\Users\NAME (either slash), wherever the path starts: NAME is a user name.</summary>
    [GeneratedRegex(@"(?:/home|/Users|[A-Za-z]:[\\/]Users)[\\/](?<user>[^\\/\s""';:,=<>|&]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HomePathPattern();
}
