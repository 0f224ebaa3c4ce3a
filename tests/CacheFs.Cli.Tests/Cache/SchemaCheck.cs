using System.Text.Json.Nodes;

namespace CacheFs.Cli.Tests.Cache;

/// <summary>
/// A small JSON Schema validator for the keywords our schemas use (type, required, properties, additionalProperties,
/// enum, minimum, maximum, minLength): no schema package is in the project's package source.
/// </summary>
internal static class SchemaCheck
{
    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, as "path: problem"; empty when valid.</summary>
    public static List<string> Validate(JsonNode? value, JsonObject schema, string at = "$")
    {
        var problems = new List<string>();
        if (schema["type"]?.GetValue<string>() is { } type && !IsType(value, type))
        {
            problems.Add($"{at}: expected {type}, got {Describe(value)}");
            return problems;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            problems.Add($"{at}: {value?.ToJsonString()} is not one of {allowed.ToJsonString()}");
        if (value is JsonValue number && number.TryGetValue<double>(out var n))
        {
            if (schema["minimum"]?.GetValue<double>() is { } min && n < min)
                problems.Add($"{at}: {n} is below the minimum {min}");
            if (schema["maximum"]?.GetValue<double>() is { } max && n > max)
                problems.Add($"{at}: {n} is above the maximum {max}");
        }

        if (value is JsonValue text && text.TryGetValue<string>(out var s) && schema["minLength"]?.GetValue<int>() is { } minLength && s.Length < minLength)
            problems.Add($"{at}: shorter than {minLength}");
        if (value is not JsonObject obj)
            return problems;
        foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (!obj.ContainsKey(name))
                problems.Add($"{at}: missing required property '{name}'");
        }

        var properties = schema["properties"]?.AsObject();
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject childSchema)
                problems.AddRange(Validate(child, childSchema, $"{at}.{name}"));
            else if (schema["additionalProperties"] is JsonValue extra && !extra.GetValue<bool>())
                problems.Add($"{at}: property '{name}' is not in the schema");
        }

        return problems;
    }

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.TryGetValue<string>(out _),
        "boolean" => value is JsonValue v && v.TryGetValue<bool>(out _),
        "integer" => value is JsonValue v && v.TryGetValue<long>(out _),
        "number" => value is JsonValue v && v.TryGetValue<double>(out _),
        "null" => value is null,
        _ => throw new ArgumentException($"the validator does not know the type '{type}'"),
    };

    private static string Describe(JsonNode? value) => value is null ? "null" : value.GetValueKind().ToString();
}
