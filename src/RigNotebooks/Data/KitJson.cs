using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RigNotebooks.Data;

/// <summary>The one set of JSON conventions the kit reads and writes: camelCase names, enums as camelCase strings,
/// unknown fields rejected, nullable annotations respected.</summary>
public static class KitJson
{
    public static JsonSerializerOptions Strict { get; } = Create(indented: false, strict: true);

    /// <summary>Strict about types, nulls and required fields, but skips unknown fields: for files a newer kit
    /// may have written with more in them (run.json, archive manifests).</summary>
    public static JsonSerializerOptions StrictOpen { get; } = Create(indented: false, strict: true, skipUnknown: true);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true, strict: false);

    public static JsonSerializerOptions Compact { get; } = Create(indented: false, strict: false);

    private static JsonSerializerOptions Create(bool indented, bool strict, bool skipUnknown = false)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = strict,
            RespectRequiredConstructorParameters = strict,
            UnmappedMemberHandling = strict && !skipUnknown ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
