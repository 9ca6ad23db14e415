using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Agentry.Core.Models.Offline;

/// <summary>
/// Builds a JSON value that satisfies a schema, deterministically: values come from the run's input where a
/// property of the same name has a compatible value, else from the goal text, else from the schema's own
/// constraints (enum, const, bounds, lengths, formats, item counts). It covers the schemas agents use for results;
/// constraints it cannot construct for (a <c>pattern</c> with no matching input, <c>not</c>, <c>contains</c>) are
/// left to the validator, which reports them like any model's mistake.
/// </summary>
internal sealed class OfflineJsonGenerator
{
    // Recursive schemas ($ref to an ancestor) stop here; optional properties stop much earlier.
    private const int MaxDepth = 12;
    private const int MaxTitleLength = 80;
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly DateTimeOffset BaseTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly JsonElement _root;
    private readonly JsonElement _input;
    private readonly string _goal;
    private readonly string _shortGoal;

    public OfflineJsonGenerator(JsonElement rootSchema, JsonElement input, string goal)
    {
        _root = rootSchema;
        _input = input;
        _goal = OfflineText.Collapse(goal);
        _shortGoal = OfflineText.Shorten(_goal, MaxTitleLength);
    }

    /// <summary>A value for the root schema, with the whole input as the candidate for the root object.</summary>
    public JsonNode? Generate() => Generate(_root, name: null, _input.ValueKind == JsonValueKind.Object ? _input : null, ordinal: 0, depth: 0);

    private JsonNode? Generate(JsonElement schema, string? name, JsonElement? candidate, int ordinal, int depth)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return candidate is { } value ? JsonNode.Parse(value.GetRawText()) : JsonValue.Create(Text(name, ordinal, schema));
        }

        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return null;
        }

        if (TryResolveRef(schema, out var target))
        {
            return Generate(target, name, candidate, ordinal, depth + 1);
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
        {
            if (candidate is { } chosen && options.EnumerateArray().Any(option => JsonElement.DeepEquals(option, chosen)))
            {
                return JsonNode.Parse(chosen.GetRawText());
            }

            return JsonNode.Parse(options[ordinal % options.GetArrayLength()].GetRawText());
        }

        foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array && branches.GetArrayLength() > 0)
            {
                return Generate(FirstUsefulBranch(branches), name, candidate, ordinal, depth + 1);
            }
        }

        if (schema.TryGetProperty("allOf", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            return Generate(MergeAllOf(schema, parts), name, candidate, ordinal, depth + 1);
        }

        return ChooseType(schema, candidate) switch
        {
            "object" => GenerateObject(schema, candidate, ordinal, depth),
            "array" => GenerateArray(schema, name, candidate, depth),
            "integer" => GenerateNumber(schema, candidate, ordinal, integer: true),
            "number" => GenerateNumber(schema, candidate, ordinal, integer: false),
            "boolean" => JsonValue.Create(candidate is { ValueKind: JsonValueKind.False } ? false : true),
            "null" => null,
            _ => GenerateString(schema, name, candidate, ordinal),
        };
    }

    private JsonObject GenerateObject(JsonElement schema, JsonElement? candidate, int ordinal, int depth)
    {
        var result = new JsonObject();
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var requiredNames) && requiredNames.ValueKind == JsonValueKind.Array)
        {
            foreach (var requiredName in requiredNames.EnumerateArray())
            {
                if (requiredName.GetString() is { } text)
                {
                    required.Add(text);
                }
            }
        }

        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                var childCandidate = Lookup(candidate, property.Name) ?? (depth > 0 ? Lookup(_input, property.Name) : null);
                var isRequired = required.Remove(property.Name);
                if (!isRequired && childCandidate is null && !IsCheap(property.Value))
                {
                    continue;
                }

                var value = Generate(property.Value, property.Name, childCandidate, ordinal, depth + 1);
                if (value is not null || isRequired)
                {
                    result[property.Name] = value;
                }
            }
        }

        // Required names the schema does not describe: anything goes, so use the input's value or a short text.
        foreach (var name in required)
        {
            result[name] = Lookup(candidate, name) is { } value ? JsonNode.Parse(value.GetRawText()) : JsonValue.Create(Text(name, ordinal, default));
        }

        return result;
    }

    private JsonArray GenerateArray(JsonElement schema, string? name, JsonElement? candidate, int depth)
    {
        var prefix = new List<JsonElement>();
        JsonElement? items = null;
        if (schema.TryGetProperty("prefixItems", out var prefixItems) && prefixItems.ValueKind == JsonValueKind.Array)
        {
            prefix.AddRange(prefixItems.EnumerateArray());
        }

        if (schema.TryGetProperty("items", out var itemsKeyword))
        {
            if (itemsKeyword.ValueKind == JsonValueKind.Array)
            {
                // draft-07 tuple form: items is the prefix, additionalItems the rest.
                prefix.AddRange(itemsKeyword.EnumerateArray());
                items = schema.TryGetProperty("additionalItems", out var additional) ? additional : null;
            }
            else
            {
                items = itemsKeyword;
            }
        }

        var minItems = ReadInt(schema, "minItems") ?? 0;
        var maxItems = ReadInt(schema, "maxItems") ?? int.MaxValue;
        if (items is { ValueKind: JsonValueKind.False })
        {
            maxItems = Math.Min(maxItems, prefix.Count);
        }

        var given = candidate is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        var count = Math.Min(maxItems, Math.Max(Math.Max(minItems, given.Count), given.Count == 0 ? Math.Max(prefix.Count, 1) : 0));
        var result = new JsonArray();
        var itemName = OfflineText.Singular(name);
        for (var i = 0; i < count; i++)
        {
            var itemSchema = i < prefix.Count ? prefix[i] : items ?? default;
            var itemCandidate = i < given.Count ? given[i] : (JsonElement?)null;
            var value = itemSchema.ValueKind == JsonValueKind.Undefined
                ? (itemCandidate is { } raw ? JsonNode.Parse(raw.GetRawText()) : JsonValue.Create(Text(itemName, i, default)))
                : Generate(itemSchema, itemName, itemCandidate, i, depth + 1);
            result.Add(value);
        }

        return result;
    }

    private static JsonValue GenerateNumber(JsonElement schema, JsonElement? candidate, int ordinal, bool integer)
    {
        if (candidate is { ValueKind: JsonValueKind.Number } number && number.TryGetDecimal(out var given) &&
            (!integer || decimal.Truncate(given) == given) && FitsNumber(schema, given))
        {
            return integer ? JsonValue.Create(decimal.ToInt64(given)) : JsonValue.Create(given);
        }

        var lower = ReadDecimal(schema, "minimum");
        var upper = ReadDecimal(schema, "maximum");
        var lowerExclusive = false;
        var upperExclusive = false;
        if (ReadDecimal(schema, "exclusiveMinimum") is { } exclusiveMinimum && (lower is null || exclusiveMinimum >= lower))
        {
            (lower, lowerExclusive) = (exclusiveMinimum, true);
        }

        if (ReadDecimal(schema, "exclusiveMaximum") is { } exclusiveMaximum && (upper is null || exclusiveMaximum <= upper))
        {
            (upper, upperExclusive) = (exclusiveMaximum, true);
        }

        var step = ReadDecimal(schema, "multipleOf") is { } multipleOf and > 0 ? multipleOf : (integer ? 1m : (decimal?)null);
        var value = (decimal)ordinal;
        if (lower is { } low && (value < low || (lowerExclusive && value <= low)))
        {
            value = lowerExclusive ? (upper is { } high ? (low + high) / 2 : low + 1) : low;
        }

        if (upper is { } top && (value > top || (upperExclusive && value >= top)))
        {
            value = upperExclusive ? (lower is { } bottom ? (bottom + top) / 2 : top - 1) : top;
        }

        if (step is { } unit)
        {
            // The smallest multiple at or above the value, unless that crosses the upper bound.
            var rounded = decimal.Ceiling(value / unit) * unit;
            if ((lower is { } low2 && (rounded < low2 || (lowerExclusive && rounded <= low2))) is false &&
                (upper is { } top2 && (rounded > top2 || (upperExclusive && rounded >= top2))) is false)
            {
                value = rounded;
            }
            else
            {
                value = decimal.Floor(value / unit) * unit;
            }
        }

        return integer ? JsonValue.Create(decimal.ToInt64(decimal.Round(value))) : JsonValue.Create(value);
    }

    private JsonValue GenerateString(JsonElement schema, string? name, JsonElement? candidate, int ordinal)
    {
        var given = candidate switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } scalar => scalar.GetRawText(),
            _ => null,
        };
        if (given is not null && FitsString(schema, given))
        {
            return JsonValue.Create(given);
        }

        var format = schema.TryGetProperty("format", out var formatKeyword) ? formatKeyword.GetString() : null;
        var formatted = format switch
        {
            "date-time" => AgentryTime(BaseTime.AddDays(ordinal)),
            "date" => BaseTime.AddDays(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => BaseTime.AddMinutes(ordinal).ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "duration" => string.Create(CultureInfo.InvariantCulture, $"P{ordinal + 1}D"),
            "email" or "idn-email" => ordinal == 0 ? "agent@example.com" : string.Create(CultureInfo.InvariantCulture, $"agent{ordinal + 1}@example.com"),
            "uri" or "iri" or "url" => ordinal == 0 ? "https://example.com/" : string.Create(CultureInfo.InvariantCulture, $"https://example.com/{ordinal + 1}"),
            "uri-reference" or "iri-reference" => string.Create(CultureInfo.InvariantCulture, $"/items/{ordinal + 1}"),
            "uuid" => DeterministicUuid(name, ordinal),
            "hostname" or "idn-hostname" => ordinal == 0 ? "example.com" : string.Create(CultureInfo.InvariantCulture, $"host{ordinal + 1}.example.com"),
            "ipv4" => string.Create(CultureInfo.InvariantCulture, $"192.0.2.{(ordinal % 254) + 1}"),
            "ipv6" => string.Create(CultureInfo.InvariantCulture, $"2001:db8::{(ordinal % 0xfffe) + 1:x}"),
            _ => null,
        };
        if (formatted is not null)
        {
            return JsonValue.Create(formatted);
        }

        return JsonValue.Create(Text(name, ordinal, schema));
    }

    // Most strings carry the goal: the title-like ones a short form of it, the prose-like ones all of it.
    private string Text(string? name, int ordinal, JsonElement schema)
    {
        var text = OfflineText.IsProseName(name) ? _goal : _shortGoal;
        if (text.Length == 0)
        {
            text = name is null ? "value" : OfflineText.Humanize(name);
        }

        if (ordinal > 0)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{text} ({ordinal + 1})");
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return text;
        }

        var minLength = ReadInt(schema, "minLength") ?? 0;
        var maxLength = ReadInt(schema, "maxLength") ?? int.MaxValue;
        text = OfflineText.TruncateCodePoints(text, maxLength);
        var builder = new StringBuilder(text);
        while (OfflineText.CountCodePoints(builder.ToString()) < minLength)
        {
            builder.Append('.');
        }

        return builder.ToString();
    }

    private static bool FitsString(JsonElement schema, string value)
    {
        var length = OfflineText.CountCodePoints(value);
        if (length < (ReadInt(schema, "minLength") ?? 0) || length > (ReadInt(schema, "maxLength") ?? int.MaxValue))
        {
            return false;
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } expression)
        {
            try
            {
                if (!Regex.IsMatch(value, expression, RegexOptions.None, PatternTimeout))
                {
                    return false;
                }
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        var format = schema.TryGetProperty("format", out var formatKeyword) ? formatKeyword.GetString() : null;
        return format switch
        {
            "date-time" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && value.Contains('T', StringComparison.OrdinalIgnoreCase),
            "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "email" or "idn-email" => value.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < value.Length - 1 && !value.Contains(' ', StringComparison.Ordinal),
            "uri" or "iri" or "url" => Uri.TryCreate(value, UriKind.Absolute, out _),
            "uuid" => Guid.TryParseExact(value, "D", out _),
            "time" or "duration" or "hostname" or "idn-hostname" or "ipv4" or "ipv6" or "uri-reference" or "iri-reference" => false,
            _ => true,
        };
    }

    private static bool FitsNumber(JsonElement schema, decimal value) =>
        !(ReadDecimal(schema, "minimum") is { } minimum && value < minimum) &&
        !(ReadDecimal(schema, "maximum") is { } maximum && value > maximum) &&
        !(ReadDecimal(schema, "exclusiveMinimum") is { } exclusiveMinimum && value <= exclusiveMinimum) &&
        !(ReadDecimal(schema, "exclusiveMaximum") is { } exclusiveMaximum && value >= exclusiveMaximum) &&
        !(ReadDecimal(schema, "multipleOf") is { } multipleOf and > 0 && value % multipleOf != 0);

    private static string ChooseType(JsonElement schema, JsonElement? candidate)
    {
        var candidateType = candidate?.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => candidate.Value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => null,
        };

        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString() ?? "string";
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList();
                if (candidateType is not null && types.Contains(candidateType))
                {
                    return candidateType;
                }

                if (candidateType == "integer" && types.Contains("number"))
                {
                    return "number";
                }

                return types.FirstOrDefault(t => t != "null") ?? types.FirstOrDefault() ?? "string";
            }
        }

        if (HasAny(schema, "properties", "required", "additionalProperties", "minProperties"))
        {
            return "object";
        }

        if (HasAny(schema, "items", "prefixItems", "minItems", "maxItems", "uniqueItems"))
        {
            return "array";
        }

        if (HasAny(schema, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"))
        {
            return candidateType is "integer" or "number" ? candidateType : "number";
        }

        return HasAny(schema, "minLength", "maxLength", "pattern", "format") ? "string" : candidateType ?? "string";
    }

    // Nullable unions ({"anyOf": [{"type": "null"}, {...}]}) put the useful branch anywhere; everything else takes the first.
    private JsonElement FirstUsefulBranch(JsonElement branches)
    {
        foreach (var branch in branches.EnumerateArray())
        {
            var resolved = TryResolveRef(branch, out var target) ? target : branch;
            if (!(resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty("type", out var type) &&
                  type.ValueKind == JsonValueKind.String && type.GetString() == "null"))
            {
                return branch;
            }
        }

        return branches[0];
    }

    // allOf: one schema with every part's properties and required names, and the first value of every other keyword.
    private JsonElement MergeAllOf(JsonElement schema, JsonElement parts)
    {
        var merged = new JsonObject();
        var properties = new JsonObject();
        var required = new List<string>();
        void Add(JsonElement part)
        {
            if (TryResolveRef(part, out var target))
            {
                part = target;
            }

            if (part.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var keyword in part.EnumerateObject())
            {
                switch (keyword.Name)
                {
                    case "allOf" when keyword.Value.ValueKind == JsonValueKind.Array:
                        foreach (var nested in keyword.Value.EnumerateArray())
                        {
                            Add(nested);
                        }

                        break;
                    case "properties" when keyword.Value.ValueKind == JsonValueKind.Object:
                        foreach (var property in keyword.Value.EnumerateObject())
                        {
                            properties.TryAdd(property.Name, JsonNode.Parse(property.Value.GetRawText()));
                        }

                        break;
                    case "required" when keyword.Value.ValueKind == JsonValueKind.Array:
                        required.AddRange(keyword.Value.EnumerateArray().Select(n => n.GetString()).OfType<string>());
                        break;
                    case "$ref" or "$defs" or "definitions" or "$schema" or "$id":
                        break;
                    default:
                        merged.TryAdd(keyword.Name, JsonNode.Parse(keyword.Value.GetRawText()));
                        break;
                }
            }
        }

        Add(schema);
        if (properties.Count > 0)
        {
            merged["properties"] = properties;
        }

        if (required.Count > 0)
        {
            merged["required"] = new JsonArray([.. required.Distinct(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n))]);
        }

        return JsonSerializer.SerializeToElement(merged);
    }

    // Only references inside the result schema itself: "#", "#/$defs/…", "#/definitions/…" or any other JSON Pointer.
    private bool TryResolveRef(JsonElement schema, out JsonElement target)
    {
        target = default;
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$ref", out var reference) ||
            reference.GetString() is not { } pointer || !pointer.StartsWith('#'))
        {
            return false;
        }

        var current = _root;
        foreach (var rawSegment in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(rawSegment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return false;
            }
        }

        target = current;
        return true;
    }

    private static bool IsCheap(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || schema.TryGetProperty("pattern", out _) || schema.TryGetProperty("$ref", out _))
        {
            return false;
        }

        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _))
        {
            return true;
        }

        return schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
               type.GetString() is "string" or "integer" or "number" or "boolean";
    }

    private static JsonElement? Lookup(JsonElement? scope, string name)
    {
        if (scope is not { ValueKind: JsonValueKind.Object } container)
        {
            return null;
        }

        if (container.TryGetProperty(name, out var exact))
        {
            return exact.ValueKind == JsonValueKind.Null ? null : exact;
        }

        // topic_name, topicName and TopicName name the same thing.
        var wanted = OfflineText.NormalizeName(name);
        foreach (var property in container.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && OfflineText.NormalizeName(property.Name) == wanted)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static bool HasAny(JsonElement schema, params ReadOnlySpan<string> keywords)
    {
        foreach (var keyword in keywords)
        {
            if (schema.TryGetProperty(keyword, out _))
            {
                return true;
            }
        }

        return false;
    }

    private static int? ReadInt(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? (int)Math.Clamp(number, 0, int.MaxValue)
            : null;

    private static decimal? ReadDecimal(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null;

    private static string AgentryTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A version-4-shaped UUID from a hash of the property name and position, so the same request gets the same id.
    private static string DeterministicUuid(string? name, int ordinal)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{name}#{ordinal}")), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
