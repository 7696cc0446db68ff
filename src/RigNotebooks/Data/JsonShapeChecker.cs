using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RigNotebooks.Data;

/// <summary>
/// Checks a JSON document against the shape of the record it will become, before deserialising it, so that
/// a user hears "unknown field 'widht' (expected one of: gen, width, maxGen, maxWidth)" at an exact JSON path
/// instead of a serializer message naming .NET types. Reports the first problem: its path and what is wrong.
/// </summary>
public static class JsonShapeChecker
{
    public static (string Path, string Problem)? FindProblem(JsonElement element, Type type) =>
        Check(element, type, "$");

    private static (string Path, string Problem)? Check(JsonElement element, Type type, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null; // nullability is the serializer's job; it reports the path
        }

        if (ElementTypeOf(underlying) is { } itemType)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                return (path, $"expected a list, found {Describe(element)}");
            }

            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (Check(item, itemType, $"{path}[{i}]") is { } problem)
                {
                    return problem;
                }

                i++;
            }

            return null;
        }

        if (!IsRecordLike(underlying))
        {
            return null; // scalars: the serializer reports type mismatches with the path
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
                return ($"{path}.{field.Name}",
                    $"unknown field '{field.Name}' (expected one of: {string.Join(", ", properties.Keys)})");
            }

            if (Check(field.Value, property.PropertyType, $"{path}.{field.Name}") is { } problem)
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

        return null;
    }

    private static bool IsRecordLike(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("RigNotebooks", StringComparison.Ordinal) == true;

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
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{element.GetRawText()}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}
