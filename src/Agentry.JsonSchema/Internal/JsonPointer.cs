using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>RFC 6901 helpers.</summary>
internal static class JsonPointer
{
    public static string Escape(string token) =>
        token.Contains('~', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)
            ? token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : token;

    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decodes a URI fragment that holds a JSON Pointer (percent-decoding first, as RFC 6901 section 6 says).</summary>
    public static string FromFragment(string fragment) => Uri.UnescapeDataString(fragment);

    public static bool TryNavigate(JsonElement root, string pointer, out JsonElement result)
    {
        result = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (result.ValueKind == JsonValueKind.Object)
            {
                if (!result.TryGetProperty(token, out result))
                {
                    return false;
                }
            }
            else if (result.ValueKind == JsonValueKind.Array)
            {
                if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= result.GetArrayLength())
                {
                    return false;
                }

                result = result[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    public static string Render(ReadOnlySpan<PathSegment> segments)
    {
        if (segments.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var s in segments)
        {
            sb.Append('/');
            if (s.Name is null)
            {
                sb.Append(s.Index.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(Escape(s.Name));
            }
        }

        return sb.ToString();
    }
}

/// <summary>One step of an instance location: a property name, or an array index when <see cref="Name"/> is null.</summary>
internal readonly record struct PathSegment(string? Name, int Index);
