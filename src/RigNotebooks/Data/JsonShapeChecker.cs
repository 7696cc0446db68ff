using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RigNotebooks.Data;

/// <summary>
/// Checks a JSON document against the shape of the record it will become, before deserialising it, so that
/// a user hears "unknown field 'widht' (expected one of: gen, width, maxGen, maxWidth)" at an exact JSON path
/// instead of a serializer message naming .NET types. Reports the first problem: its path and what is wrong.
/// Nulls are checked against the nullable annotations, list items and dictionary values included (the
/// serializer checks only properties, so a <c>null</c> inside a list would otherwise slip through).
/// </summary>
public static class JsonShapeChecker
{
    public static (string Path, string Problem)? FindProblem(JsonElement element, Type type) =>
        FindProblem(element, type, allowUnknownFields: false);

    /// <param name="allowUnknownFields">True for files that a newer kit may have written with more fields (run.json):
    /// unknown fields are then skipped instead of rejected; everything else is checked the same.</param>
    public static (string Path, string Problem)? FindProblem(JsonElement element, Type type, bool allowUnknownFields) =>
        Check(element, type, null, "$", allowUnknownFields, new NullabilityInfoContext());

    /// <param name="info">The nullable annotation of the property, list item or dictionary value being checked;
    /// null for the document itself, which must not be null.</param>
    private static (string Path, string Problem)? Check(JsonElement element, Type type, NullabilityInfo? info, string path, bool allowUnknown, NullabilityInfoContext context)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            var nullable = Nullable.GetUnderlyingType(type) is not null || (info is not null && info.ReadState != NullabilityState.NotNull);
            return nullable ? null : (path, "must not be null");
        }

        if (DictionaryValueType(underlying) is { } valueType)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return (path, $"expected an object, found {Describe(element)}");
            }

            var valueInfo = info is { GenericTypeArguments.Length: 2 } ? info.GenericTypeArguments[1] : null;
            foreach (var field in element.EnumerateObject())
            {
                if (Check(field.Value, valueType, valueInfo, $"{path}.{field.Name}", allowUnknown, context) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (ElementTypeOf(underlying) is { } itemType)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                return (path, $"expected a list, found {Describe(element)}");
            }

            var itemInfo = info?.ElementType ?? (info is { GenericTypeArguments.Length: 1 } ? info.GenericTypeArguments[0] : null);
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (Check(item, itemType, itemInfo, $"{path}[{i}]", allowUnknown, context) is { } problem)
                {
                    return problem;
                }

                i++;
            }

            return null;
        }

        if (underlying == typeof(System.Text.Json.Nodes.JsonObject) && element.ValueKind != JsonValueKind.Object)
        {
            return (path, $"expected an object, found {Describe(element)}");
        }

        if (!IsRecordLike(underlying))
        {
            return ScalarProblem(element, underlying) is { } scalar ? (path, scalar) : null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return (path, $"expected an object, found {Describe(element)}");
        }

        var properties = underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || p.GetSetMethod(nonPublic: true) is not null)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            if (!properties.TryGetValue(field.Name, out var property))
            {
                if (allowUnknown)
                {
                    continue;
                }

                return ($"{path}.{field.Name}",
                    $"unknown field '{field.Name}' (expected one of: {string.Join(", ", properties.Keys)})");
            }

            if (Check(field.Value, property.PropertyType, context.Create(property), $"{path}.{field.Name}", allowUnknown, context) is { } problem)
            {
                return problem;
            }
        }

        foreach (var (name, property) in properties)
        {
            if (property.GetCustomAttribute<RequiredMemberAttribute>() is not null && !element.TryGetProperty(name, out _))
            {
                return ($"{path}.{name}", $"missing required field '{name}'");
            }
        }

        // Positional records: a constructor parameter without a default must be present.
        var constructors = underlying.GetConstructors().Where(c => c.GetParameters().Length > 0).ToList();
        if (constructors.Count == 1)
        {
            foreach (var parameter in constructors[0].GetParameters().Where(p => !p.HasDefaultValue && !p.IsOptional && p.Name is not null))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
                if (!element.TryGetProperty(name, out _))
                {
                    return ($"{path}.{name}", $"missing required field '{name}'");
                }
            }
        }

        return null;
    }

    /// <summary>A JSON value that cannot become the scalar <paramref name="type"/>, said in the user's terms, or null.</summary>
    private static string? ScalarProblem(JsonElement element, Type type)
    {
        string? expected = null;
        if (type == typeof(string))
        {
            expected = element.ValueKind == JsonValueKind.String ? null : "a string";
        }
        else if (type == typeof(bool))
        {
            expected = element.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false";
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            var fits = element.ValueKind == JsonValueKind.Number && (type == typeof(int) ? element.TryGetInt32(out _) : element.TryGetInt64(out _));
            expected = fits ? null : type == typeof(int) ? "a whole number (at most 2147483647)" : "a whole number";
        }
        else if (type == typeof(double) || type == typeof(float))
        {
            var named = element.ValueKind == JsonValueKind.String && element.GetString() is "NaN" or "Infinity" or "-Infinity";
            expected = element.ValueKind == JsonValueKind.Number || named ? null : "a number";
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            expected = element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out _) ? null : "a date and time such as 2024-02-01T12:00:00Z";
        }
        else if (type.IsEnum)
        {
            var names = Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName).ToList();
            var ok = element.ValueKind == JsonValueKind.String && names.Contains(element.GetString() ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            expected = ok ? null : $"one of: {string.Join(", ", names)}";
        }

        return expected is null ? null : $"wrong type: expected {expected}, found {Describe(element)}";
    }

    private static bool IsRecordLike(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("RigNotebooks", StringComparison.Ordinal) == true;

    private static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>)
            ? type.GetGenericArguments()[1]
            : null;
    }

    private static Type? ElementTypeOf(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var arg = enumerable?.GetGenericArguments()[0];
        return arg is { IsGenericType: true } && arg.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? null : arg;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(element.GetString() ?? string.Empty)}\"",
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"{element.GetRawText()}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
