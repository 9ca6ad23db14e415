using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agentry.Cli;

/// <summary>
/// Builds a run's input from <c>name=value</c> pairs typed by the agent's <c>inputSchema</c>: integers, numbers,
/// booleans, arrays and objects are parsed, strings taken as written. Unknown names and values that do not parse are
/// refused with a message that names the field and the fix.
/// </summary>
internal static class RunInputParser
{
    public static JsonObject Parse(IReadOnlyList<string> pairs, JsonElement inputSchema)
    {
        var properties = inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal)
            : [];
        var input = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliUsageException($"'{pair}' is not an input: write name=value (e.g. topic=\"AI in healthcare\"), or pass --input '{{…}}'.");
            }

            var name = pair[..equals];
            var text = pair[(equals + 1)..];
            if (!properties.TryGetValue(name, out var schema))
            {
                var known = properties.Count == 0 ? "none by name (pass --input '{…}' instead)" : Describe(properties, inputSchema);
                throw new CliUsageException($"The agent has no input '{name}'. Its inputs are: {known}.");
            }

            input[name] = Convert(name, text, schema);
        }

        return input;
    }

    /// <summary>Lists the schema's properties with their types, required ones marked, for error messages.</summary>
    public static string Describe(IReadOnlyDictionary<string, JsonElement> properties, JsonElement inputSchema)
    {
        var required = inputSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        return string.Join(", ", properties.Select(x => $"{x.Key} ({string.Join("|", TypesOf(x.Value).DefaultIfEmpty("any"))}{(required.Contains(x.Key) ? ", required" : "")})"));
    }

    private static JsonNode? Convert(string name, string text, JsonElement schema)
    {
        var types = TypesOf(schema);
        if (types.Count == 0)
        {
            return TryJson(text) ?? JsonValue.Create(text);
        }

        foreach (var type in types)
        {
            if (TryConvert(type, text, out var value))
            {
                return value;
            }
        }

        throw new CliUsageException($"Input '{name}' must be {string.Join(" or ", types.Select(Example))}, not '{text}'. Example: {name}={ExampleValue(types[0])}");
    }

    private static bool TryConvert(string type, string text, out JsonNode? value)
    {
        value = null;
        switch (type)
        {
            case "integer" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                value = JsonValue.Create(integer);
                return true;
            case "number" when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                value = JsonValue.Create(number);
                return true;
            case "boolean" when text is "true" or "false":
                value = JsonValue.Create(text == "true");
                return true;
            case "array" when TryJson(text) is JsonArray array:
                value = array;
                return true;
            case "object" when TryJson(text) is JsonObject obj:
                value = obj;
                return true;
            case "null":
                return text == "null";
            case "string":
                value = JsonValue.Create(text);
                return true;
            default:
                return false;
        }
    }

    private static List<string> TypesOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
            _ => [],
        };
    }

    private static JsonNode? TryJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Example(string type) => type switch
    {
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a JSON array",
        "object" => "a JSON object",
        _ => "a " + type,
    };

    private static string ExampleValue(string type) => type switch
    {
        "integer" => "3",
        "number" => "2.5",
        "boolean" => "true",
        "array" => "'[\"a\",\"b\"]'",
        "object" => "'{\"key\":\"value\"}'",
        _ => "text",
    };
}
