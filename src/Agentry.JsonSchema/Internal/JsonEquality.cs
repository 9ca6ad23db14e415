using System.Runtime.InteropServices;
using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// JSON value equality as JSON Schema defines it: numbers by value (1 == 1.0), objects regardless of
/// property order. Recursion is bounded so a hostile, deeply nested instance cannot exhaust the stack.
/// </summary>
internal static class JsonEquality
{
    public static bool AreEqual(JsonElement a, JsonElement b, int maxDepth) => AreEqual(a, b, 0, maxDepth);

    private static bool AreEqual(JsonElement a, JsonElement b, int depth, int maxDepth)
    {
        if (depth > maxDepth)
        {
            throw new EvaluationLimitException("depth", $"the value nests more than {maxDepth} levels deep");
        }

        var kind = a.ValueKind;
        if (kind != b.ValueKind)
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Number:
                return NumbersEqual(a, b);
            case JsonValueKind.String:
                {
                    // Unescaped strings compare byte for byte; only escapes need decoding first.
                    var ra = JsonMarshal.GetRawUtf8Value(a);
                    var rb = JsonMarshal.GetRawUtf8Value(b);
                    return ra.IndexOf((byte)'\\') < 0 && rb.IndexOf((byte)'\\') < 0 ? ra.SequenceEqual(rb) : a.ValueEquals(b.GetString());
                }
            case JsonValueKind.Array:
                {
                    var length = a.GetArrayLength();
                    if (length != b.GetArrayLength())
                    {
                        return false;
                    }

                    using var ea = a.EnumerateArray();
                    using var eb = b.EnumerateArray();
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!AreEqual(ea.Current, eb.Current, depth + 1, maxDepth))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.Object:
                {
                    var count = 0;
                    foreach (var property in a.EnumerateObject())
                    {
                        count++;
                        if (!b.TryGetProperty(property.Name, out var other) || !AreEqual(property.Value, other, depth + 1, maxDepth))
                        {
                            return false;
                        }
                    }

                    var otherCount = 0;
                    foreach (var unused in b.EnumerateObject())
                    {
                        otherCount++;
                    }

                    return count == otherCount;
                }

            default:
                return true; // true, false, null: same kind means same value
        }
    }

    public static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        if (JsonMarshal.GetRawUtf8Value(a).SequenceEqual(JsonMarshal.GetRawUtf8Value(b)))
        {
            return true;
        }

        if (a.TryGetInt64(out var la) && b.TryGetInt64(out var lb))
        {
            return la == lb;
        }

        return ExactNumber.FromElement(a).Equals(ExactNumber.FromElement(b));
    }

    /// <summary>
    /// A hash consistent with <see cref="AreEqual(JsonElement, JsonElement, int)"/>. It looks two levels into
    /// containers so arrays of similar objects still spread over many buckets in <c>uniqueItems</c>.
    /// </summary>
    public static int Hash(JsonElement e, int depth = 0)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return ExactNumber.FromElement(e).GetHashCode();
            case JsonValueKind.String:
                return StringComparer.Ordinal.GetHashCode(e.GetString()!);
            case JsonValueKind.Array:
                {
                    var hash = HashCode.Combine(JsonValueKind.Array, e.GetArrayLength());
                    if (depth < 2)
                    {
                        var n = 0;
                        foreach (var item in e.EnumerateArray())
                        {
                            if (n++ == 8)
                            {
                                break;
                            }

                            hash = HashCode.Combine(hash, Hash(item, depth + 1));
                        }
                    }

                    return hash;
                }

            case JsonValueKind.Object:
                {
                    // XOR keeps the hash independent of property order, as equality is.
                    var hash = 0;
                    var count = 0;
                    foreach (var property in e.EnumerateObject())
                    {
                        count++;
                        hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(property.Name), depth < 2 ? Hash(property.Value, depth + 1) : (int)property.Value.ValueKind);
                    }

                    return HashCode.Combine(JsonValueKind.Object, count, hash);
                }

            default:
                return (int)e.ValueKind;
        }
    }
}

/// <summary>Thrown inside evaluation when a depth or size limit is hit; turned into a validation error at the top.</summary>
internal sealed class EvaluationLimitException(string keyword, string message) : Exception(message)
{
    public string Keyword { get; } = keyword;
}
