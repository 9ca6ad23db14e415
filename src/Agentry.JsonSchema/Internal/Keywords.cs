using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agentry.JsonSchema.Internal;

[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}

/// <summary>Message helpers shared by the keywords.</summary>
internal static class Describe
{
    private const int MaxLength = 60;

    public static string Value(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= MaxLength ? raw : string.Concat(raw.AsSpan(0, MaxLength), "…");
    }

    // Messages are plain text for people, not HTML: keep '+', '<' and non-ASCII readable instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Quote(string s) => JsonSerializer.Serialize(s.Length <= MaxLength ? s : s[..MaxLength] + "…", Readable);

    public static string Plural(long n, string singular, string plural) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? singular : plural);

    public static string Types(JsonTypes types)
    {
        var names = new List<string>();
        foreach (var (flag, name) in TypeNames)
        {
            if ((types & flag) != 0)
            {
                names.Add(name);
            }
        }

        var described = names.Select(n => (Article(n) + " " + n).TrimStart()).ToList();
        return described.Count switch
        {
            1 => described[0],
            _ => string.Join(", ", described.Take(described.Count - 1)) + " or " + described[^1],
        };
    }

    private static string Article(string name) => name switch
    {
        "null" => "",
        "object" or "array" or "integer" => "an",
        _ => "a",
    };

    private static readonly (JsonTypes Flag, string Name)[] TypeNames =
    [
        (JsonTypes.String, "string"), (JsonTypes.Number, "number"), (JsonTypes.Integer, "integer"), (JsonTypes.Object, "object"),
        (JsonTypes.Array, "array"), (JsonTypes.Boolean, "boolean"), (JsonTypes.Null, "null"),
    ];

    /// <summary>Summarises a failed branch's errors in one line, for <c>anyOf</c>/<c>oneOf</c> messages.</summary>
    public static string Branch(IReadOnlyList<SchemaError>? errors, string basePath)
    {
        if (errors is null || errors.Count == 0)
        {
            return "did not match";
        }

        var parts = errors.Take(3).Select(e => e.Path.Length > basePath.Length ? $"{e.Path[basePath.Length..]} {e.Message}" : e.Message);
        var text = string.Join("; ", parts);
        return errors.Count > 3 ? text + $"; and {errors.Count - 3} more" : text;
    }
}

internal static class InstanceTypes
{
    public static bool IsInteger(JsonElement e) => e.TryGetInt64(out _) || ExactNumber.FromElement(e).IsInteger;

    public static bool Matches(JsonElement e, JsonTypes types) => e.ValueKind switch
    {
        JsonValueKind.Null => (types & JsonTypes.Null) != 0,
        JsonValueKind.True or JsonValueKind.False => (types & JsonTypes.Boolean) != 0,
        JsonValueKind.Object => (types & JsonTypes.Object) != 0,
        JsonValueKind.Array => (types & JsonTypes.Array) != 0,
        JsonValueKind.String => (types & JsonTypes.String) != 0,
        JsonValueKind.Number => (types & JsonTypes.Number) != 0 || ((types & JsonTypes.Integer) != 0 && IsInteger(e)),
        _ => false,
    };

    /// <summary>Code points in a string value, counted on the raw UTF-8 when it has no escapes (no allocation).</summary>
    public static int CodePointLength(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return CodePointLength(value.GetString()!);
        }

        // Every code point has exactly one byte that is not a UTF-8 continuation byte (10xxxxxx);
        // the raw token includes the two quotes, which the count starts by discounting.
        var n = -2;
        foreach (var b in raw)
        {
            if ((b & 0xC0) != 0x80)
            {
                n++;
            }
        }

        return n;
    }

    public static int CodePointLength(string s)
    {
        var n = s.Length;
        foreach (var c in s)
        {
            if (char.IsLowSurrogate(c))
            {
                n--;
            }
        }

        return n;
    }
}

internal sealed class TypeKeyword(string path, JsonTypes types) : Keyword("type", path)
{
    private readonly string _message = "must be " + Describe.Types(types);

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (InstanceTypes.Matches(instance, types))
        {
            return true;
        }

        context.Report(this, _message);
        return false;
    }
}

internal sealed class EnumKeyword(string path, JsonElement[] values) : Keyword("enum", path)
{
    private readonly string _message = "must be one of: " + string.Join(", ", values.Take(20).Select(Describe.Value)) + (values.Length > 20 ? ", …" : string.Empty);

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        foreach (var v in values)
        {
            if (JsonEquality.AreEqual(instance, v, context.MaxDepth))
            {
                return true;
            }
        }

        context.Report(this, _message);
        return false;
    }
}

internal sealed class ConstKeyword(string path, JsonElement value) : Keyword("const", path)
{
    private readonly string _message = "must be equal to " + Describe.Value(value);

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (JsonEquality.AreEqual(instance, value, context.MaxDepth))
        {
            return true;
        }

        context.Report(this, _message);
        return false;
    }
}

internal enum Bound
{
    Minimum,
    ExclusiveMinimum,
    Maximum,
    ExclusiveMaximum,
}

internal sealed class NumberBoundKeyword(string name, string path, JsonElement limit, Bound bound) : Keyword(name, path)
{
    private readonly ExactNumber _exact = ExactNumber.FromElement(limit);
    private readonly long? _long = limit.TryGetInt64(out var l) ? l : null;
    private readonly decimal? _decimal = ExactNumber.TryGetExactDecimal(limit, out var d) ? d : null;
    private readonly string _message = bound switch
    {
        Bound.Minimum => "must be >= ",
        Bound.ExclusiveMinimum => "must be > ",
        Bound.Maximum => "must be <= ",
        _ => "must be < ",
    } + limit.GetRawText();

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        int cmp;
        if (_long is long limitLong && instance.TryGetInt64(out var value))
        {
            cmp = value.CompareTo(limitLong);
        }
        else if (_decimal is decimal limitDecimal && ExactNumber.TryGetExactDecimal(instance, out var d))
        {
            cmp = d.CompareTo(limitDecimal);
        }
        else
        {
            cmp = ExactNumber.FromElement(instance).CompareTo(_exact);
        }

        var ok = bound switch
        {
            Bound.Minimum => cmp >= 0,
            Bound.ExclusiveMinimum => cmp > 0,
            Bound.Maximum => cmp <= 0,
            _ => cmp < 0,
        };
        if (!ok)
        {
            context.Report(this, _message);
        }

        return ok;
    }
}

internal sealed class MultipleOfKeyword(string path, JsonElement divisor) : Keyword("multipleOf", path)
{
    private readonly ExactNumber _exact = ExactNumber.FromElement(divisor);
    private readonly long? _long = divisor.TryGetInt64(out var l) && l > 0 ? l : null;
    private readonly decimal? _decimal = ExactNumber.TryGetExactDecimal(divisor, out var d) && d > 0 ? d : null;
    private readonly string _message = "must be a multiple of " + divisor.GetRawText();

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        bool ok;
        if (_long is long divisor && instance.TryGetInt64(out var value))
        {
            ok = value % divisor == 0;
        }
        else if (_decimal is decimal decimalDivisor && ExactNumber.TryGetExactDecimal(instance, out var d))
        {
            ok = d % decimalDivisor == 0m; // decimal remainder is exact, so 19.99 % 0.01 is 0 (a double would not be)
        }
        else
        {
            ok = ExactNumber.FromElement(instance).IsMultipleOf(_exact);
        }

        if (!ok)
        {
            context.Report(this, _message);
        }

        return ok;
    }
}

internal sealed class StringLengthKeyword(string name, string path, long limit, bool isMax) : Keyword(name, path)
{
    private readonly string _message = (isMax ? "must have at most " : "must have at least ") + Describe.Plural(limit, "character", "characters");

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        var length = InstanceTypes.CodePointLength(instance);
        var ok = isMax ? length <= limit : length >= limit;
        if (!ok)
        {
            context.Report(this, _message);
        }

        return ok;
    }
}

internal sealed class PatternKeyword(string path, string pattern, Regex regex) : Keyword("pattern", path)
{
    private readonly string _message = "must match the pattern " + Describe.Quote(pattern);

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        bool ok;
        try
        {
            ok = regex.IsMatch(instance.GetString()!);
        }
        catch (RegexMatchTimeoutException)
        {
            context.RegexTimedOut();
            context.Report(this, $"could not be checked: the pattern {Describe.Quote(pattern)} took too long (over {context.RegexTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms) on this value");
            return false;
        }

        if (!ok)
        {
            context.Report(this, _message);
        }

        return ok;
    }
}

internal sealed class FormatKeyword(string path, string format) : Keyword("format", path)
{
    private readonly string _message = $"must match the format {Describe.Quote(format)}";

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (Formats.IsValid(format, instance))
        {
            return true;
        }

        context.Report(this, _message);
        return false;
    }
}

internal sealed class CountKeyword(string name, string path, long limit, bool isMax, bool forArrays) : Keyword(name, path)
{
    private readonly string _message = (isMax ? "must have at most " : "must have at least ") +
        (forArrays ? Describe.Plural(limit, "item", "items") : Describe.Plural(limit, "property", "properties"));

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        long count;
        if (forArrays)
        {
            if (instance.ValueKind != JsonValueKind.Array)
            {
                return true;
            }

            count = instance.GetArrayLength();
        }
        else
        {
            if (instance.ValueKind != JsonValueKind.Object)
            {
                return true;
            }

            count = instance.GetPropertyCount();
        }

        var ok = isMax ? count <= limit : count >= limit;
        if (!ok)
        {
            context.Report(this, _message);
        }

        return ok;
    }
}

internal sealed class UniqueItemsKeyword(string path) : Keyword("uniqueItems", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var length = instance.GetArrayLength();
        if (length < 2)
        {
            return true;
        }

        // Bucket by a cheap hash so only plausible duplicates get the deep comparison.
        var buckets = new Dictionary<int, List<int>>();
        var items = new JsonElement[length];
        var i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            items[i] = item;
            var hash = JsonEquality.Hash(item);
            if (!buckets.TryGetValue(hash, out var list))
            {
                buckets[hash] = list = [];
            }

            foreach (var j in list)
            {
                if (JsonEquality.AreEqual(items[j], item, context.MaxDepth))
                {
                    context.Report(this, $"must not contain duplicate items (items {j.ToString(CultureInfo.InvariantCulture)} and {i.ToString(CultureInfo.InvariantCulture)} are equal)");
                    return false;
                }
            }

            list.Add(i);
            i++;
        }

        return true;
    }
}

internal sealed class RequiredKeyword(string path, string[] names) : Keyword("required", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var name in names)
        {
            if (!instance.TryGetProperty(name, out _))
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }

                context.ReportAtProperty(this, name, "is required");
            }
        }

        return ok;
    }
}

internal sealed class DependentRequiredKeyword(string name, string path, (string Property, string[] Required)[] dependencies) : Keyword(name, path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var (property, required) in dependencies)
        {
            if (!instance.TryGetProperty(property, out _))
            {
                continue;
            }

            foreach (var r in required)
            {
                if (!instance.TryGetProperty(r, out _))
                {
                    ok = false;
                    context.ReportAtProperty(this, r, $"is required when {Describe.Quote(property)} is present");
                }
            }
        }

        return ok;
    }
}

internal sealed class DependentSchemasKeyword(string name, string path, (string Property, SchemaNode Schema)[] dependencies) : Keyword(name, path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var (property, schema) in dependencies)
        {
            if (instance.TryGetProperty(property, out _) && !context.Evaluate(schema, instance, annotations))
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        return ok;
    }
}

/// <summary><c>properties</c>, <c>patternProperties</c> and <c>additionalProperties</c> share one pass over the object.</summary>
internal sealed class PropertiesKeyword(string name, string path, Dictionary<string, SchemaNode> properties) : Keyword(name, path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var property in instance.EnumerateObject())
        {
            if (!properties.TryGetValue(property.Name, out var schema))
            {
                continue;
            }

            annotations?.AddProperty(property.Name);
            context.PushProperty(property.Name);
            var valid = context.Evaluate(schema, property.Value, null);
            context.Pop();
            if (!valid)
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        return ok;
    }
}

internal sealed class PatternPropertiesKeyword(string path, (string Pattern, Regex Regex, SchemaNode Schema)[] patterns) : Keyword("patternProperties", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var property in instance.EnumerateObject())
        {
            foreach (var (pattern, regex, schema) in patterns)
            {
                switch (RegexMatch.Try(regex, property.Name, context))
                {
                    case null:
                        context.ReportAtProperty(this, property.Name, $"could not be checked: the pattern {Describe.Quote(pattern)} took too long on this property name");
                        ok = false;
                        continue;
                    case false:
                        continue;
                }

                annotations?.AddProperty(property.Name);
                context.PushProperty(property.Name);
                var valid = context.Evaluate(schema, property.Value, null);
                context.Pop();
                if (!valid)
                {
                    ok = false;
                    if (context.Errors is null)
                    {
                        return false;
                    }
                }
            }
        }

        return ok;
    }
}

internal static class RegexMatch
{
    /// <summary>Null when the match timed out (which also counts against the run's timeout budget).</summary>
    public static bool? Try(Regex regex, string input, EvaluationContext context)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            context.RegexTimedOut();
            return null;
        }
    }
}

internal sealed class AdditionalPropertiesKeyword(string path, HashSet<string> declared, Regex[] patterns, SchemaNode schema) : Keyword("additionalProperties", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var property in instance.EnumerateObject())
        {
            if (declared.Contains(property.Name) || MatchesAny(property.Name, context))
            {
                continue;
            }

            annotations?.AddProperty(property.Name);
            context.PushProperty(property.Name);
            var valid = context.Evaluate(schema, property.Value, null);
            context.Pop();
            if (!valid)
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        return ok;
    }

    private bool MatchesAny(string name, EvaluationContext context)
    {
        foreach (var regex in patterns)
        {
            // A timed-out pattern is reported by patternProperties; here it counts as matched to avoid a second error.
            if (RegexMatch.Try(regex, name, context) != false)
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class UnevaluatedPropertiesKeyword(string path, SchemaNode schema) : Keyword("unevaluatedProperties", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        List<string>? evaluated = null;
        foreach (var property in instance.EnumerateObject())
        {
            if (annotations?.IsPropertyEvaluated(property.Name) == true)
            {
                continue;
            }

            (evaluated ??= []).Add(property.Name);
            context.PushProperty(property.Name);
            var valid = context.Evaluate(schema, property.Value, null);
            context.Pop();
            if (!valid)
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        if (evaluated is not null && annotations is not null)
        {
            foreach (var name in evaluated)
            {
                annotations.AddProperty(name);
            }
        }

        return ok;
    }
}

internal sealed class PropertyNamesKeyword(string path, SchemaNode schema) : Keyword("propertyNames", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var ok = true;
        foreach (var property in instance.EnumerateObject())
        {
            // The name must be validated as a JSON string value; a tiny document is the simplest faithful way.
            using var doc = JsonDocument.Parse(JsonSerializer.Serialize(property.Name));
            if (context.EvaluateIsolated(schema, doc.RootElement, null, out var errors))
            {
                continue;
            }

            ok = false;
            if (context.Errors is null)
            {
                break;
            }

            context.ReportAtProperty(this, property.Name, $"is not an allowed property name: {Describe.Branch(errors, context.CurrentPath)}");
        }

        return ok;
    }
}

internal sealed class AllOfKeyword(string path, SchemaNode[] schemas) : Keyword("allOf", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        var ok = true;
        foreach (var schema in schemas)
        {
            if (!context.Evaluate(schema, instance, annotations))
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        return ok;
    }
}

internal sealed class AnyOfKeyword(string path, SchemaNode[] schemas) : Keyword("anyOf", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        var ok = false;
        List<List<SchemaError>?>? failures = context.Errors is null ? null : [];
        foreach (var schema in schemas)
        {
            if (context.EvaluateIsolated(schema, instance, annotations, out var errors))
            {
                ok = true;
                if (annotations is null)
                {
                    break; // annotations from every passing branch count only when someone collects them
                }
            }
            else
            {
                failures?.Add(errors);
            }
        }

        if (!ok && failures is not null)
        {
            var basePath = context.CurrentPath;
            var detail = string.Join(" | ", failures.Select((f, i) => $"[{i.ToString(CultureInfo.InvariantCulture)}] {Describe.Branch(f, basePath)}"));
            context.Report(this, $"must match at least one of the {Describe.Plural(schemas.Length, "schema", "schemas")} in anyOf: {detail}");
        }

        return ok;
    }
}

internal sealed class OneOfKeyword(string path, SchemaNode[] schemas) : Keyword("oneOf", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        var passed = new List<int>(2);
        List<List<SchemaError>?>? failures = context.Errors is null ? null : [];
        Annotations? winner = null;
        for (var i = 0; i < schemas.Length; i++)
        {
            var branch = annotations is null ? null : new Annotations();
            if (context.EvaluateIsolated(schemas[i], instance, branch, out var errors))
            {
                passed.Add(i);
                winner = branch;
                if (passed.Count > 1 && context.Errors is null)
                {
                    break;
                }
            }
            else
            {
                failures?.Add(errors);
            }
        }

        if (passed.Count == 1)
        {
            if (winner is not null)
            {
                annotations!.Merge(winner);
            }

            return true;
        }

        if (failures is not null)
        {
            if (passed.Count == 0)
            {
                var basePath = context.CurrentPath;
                var detail = string.Join(" | ", failures.Select((f, i) => $"[{i.ToString(CultureInfo.InvariantCulture)}] {Describe.Branch(f, basePath)}"));
                context.Report(this, $"must match exactly one of the {Describe.Plural(schemas.Length, "schema", "schemas")} in oneOf, but matched none: {detail}");
            }
            else
            {
                context.Report(this, $"must match exactly one of the schemas in oneOf, but matched {passed.Count.ToString(CultureInfo.InvariantCulture)} (schemas {string.Join(", ", passed)})");
            }
        }

        return false;
    }
}

internal sealed class NotKeyword(string path, SchemaNode schema) : Keyword("not", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (!context.EvaluateSilently(schema, instance, null))
        {
            return true;
        }

        context.Report(this, "must not match the schema in not");
        return false;
    }
}

internal sealed class IfThenElseKeyword(string path, SchemaNode condition, SchemaNode? then, SchemaNode? otherwise) : Keyword("if", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        var local = annotations is null ? null : new Annotations();
        if (context.EvaluateSilently(condition, instance, local))
        {
            if (local is not null)
            {
                annotations!.Merge(local);
            }

            return then is null || context.Evaluate(then, instance, annotations);
        }

        return otherwise is null || context.Evaluate(otherwise, instance, annotations);
    }
}

internal sealed class RefKeyword(string name, string path) : Keyword(name, path)
{
    /// <summary>Set once compilation has resolved every reference (targets may form cycles).</summary>
    public SchemaNode? Target { get; set; }

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations) =>
        context.Evaluate(Target!, instance, annotations);
}

internal sealed class DynamicRefKeyword(string path, string? anchor) : Keyword("$dynamicRef", path)
{
    public SchemaNode? Target { get; set; }

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        var target = Target!;
        if (anchor is not null)
        {
            // The outermost resource in the dynamic scope that declares the anchor wins.
            foreach (var resource in context.DynamicScope)
            {
                if (resource.DynamicAnchors.TryGetValue(anchor, out var node))
                {
                    target = node;
                    break;
                }
            }
        }

        return context.Evaluate(target, instance, annotations);
    }
}

/// <summary><c>prefixItems</c> (and draft-07 array-form <c>items</c>): one schema per position.</summary>
internal sealed class PrefixItemsKeyword(string name, string path, SchemaNode[] schemas) : Keyword(name, path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var ok = true;
        var i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (i >= schemas.Length)
            {
                break;
            }

            context.PushIndex(i);
            var valid = context.Evaluate(schemas[i], item, null);
            context.Pop();
            i++;
            if (!valid)
            {
                ok = false;
                if (context.Errors is null)
                {
                    break;
                }
            }
        }

        annotations?.AddPrefix(i);
        return ok;
    }
}

/// <summary><c>items</c> (2020-12 and draft-07 object form) and draft-07 <c>additionalItems</c>: every item from <c>start</c> on.</summary>
internal sealed class ItemsKeyword(string name, string path, int start, SchemaNode schema) : Keyword(name, path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var ok = true;
        var i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (i >= start)
            {
                context.PushIndex(i);
                var valid = context.Evaluate(schema, item, null);
                context.Pop();
                if (!valid)
                {
                    ok = false;
                    if (context.Errors is null)
                    {
                        break;
                    }
                }
            }

            i++;
        }

        annotations?.SetAllItems();
        return ok;
    }
}

internal sealed class UnevaluatedItemsKeyword(string path, SchemaNode schema) : Keyword("unevaluatedItems", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var ok = true;
        var i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (annotations?.IsItemEvaluated(i) != true)
            {
                context.PushIndex(i);
                var valid = context.Evaluate(schema, item, null);
                context.Pop();
                if (!valid)
                {
                    ok = false;
                    if (context.Errors is null)
                    {
                        break;
                    }
                }
            }

            i++;
        }

        annotations?.SetAllItems();
        return ok;
    }
}

internal sealed class ContainsKeyword(string path, SchemaNode schema, long min, long? max, string minPath, string? maxPath, bool minExplicit) : Keyword("contains", path)
{
    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        long matches = 0;
        var i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            context.PushIndex(i);
            var valid = context.EvaluateSilently(schema, item, null);
            context.Pop();
            if (valid)
            {
                matches++;
                annotations?.AddItem(i);
            }

            i++;
        }

        if (matches < min)
        {
            var message = $"must contain at least {Describe.Plural(min, "item", "items")} matching the contains schema (found {matches.ToString(CultureInfo.InvariantCulture)})";
            if (minExplicit)
            {
                context.Report("minContains", minPath, message);
            }
            else
            {
                context.Report(this, message);
            }

            return false;
        }

        if (max is long m && matches > m)
        {
            context.Report("maxContains", maxPath!, $"must contain at most {Describe.Plural(m, "item", "items")} matching the contains schema (found {matches.ToString(CultureInfo.InvariantCulture)})");
            return false;
        }

        return true;
    }
}

/// <summary>Draft-07 <c>contentEncoding</c> (base64) and <c>contentMediaType</c> (application/json) assertions.</summary>
internal sealed class ContentKeyword(string name, string path, bool base64, bool json) : Keyword(name, path)
{
    public static ContentKeyword? Create(string name, string path, JsonElement schema)
    {
        var base64 = schema.TryGetProperty("contentEncoding", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() == "base64";
        var json = schema.TryGetProperty("contentMediaType", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() == "application/json";

        // One keyword object checks both, created at whichever of the two keywords is relevant and comes first.
        return name switch
        {
            "contentEncoding" when base64 => new ContentKeyword(name, path, true, json),
            "contentMediaType" when json && !base64 => new ContentKeyword(name, path, false, true),
            _ => null,
        };
    }

    public override bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        var text = instance.GetString()!;
        if (base64)
        {
            var buffer = new byte[((text.Length * 3) / 4) + 3];
            if (!Convert.TryFromBase64String(text, buffer, out var written))
            {
                context.Report(this, "must be base64-encoded");
                return false;
            }

            text = Encoding.UTF8.GetString(buffer, 0, written);
        }

        if (json)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                context.Report(this, "must hold a JSON document");
                return false;
            }
        }

        return true;
    }
}
