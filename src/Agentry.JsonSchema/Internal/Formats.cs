using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// Format assertions (JSON Schema 2020-12 section 7.3). Only strings are checked; other types and unknown
/// formats pass, as the specification requires.
/// </summary>
internal static partial class Formats
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference",
        "iri", "iri-reference", "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex",
    };

    public static bool IsKnown(string format) => Known.Contains(format);

    public static bool IsValid(string format, JsonElement instance)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        var s = instance.GetString()!;
        return format switch
        {
            "date-time" => IsDateTime(s),
            "date" => IsDate(s),
            "time" => IsTime(s),
            "duration" => DurationRegex().IsMatch(s),
            "email" => IsEmail(s, idn: false),
            "idn-email" => IsEmail(s, idn: true),
            "hostname" => IsHostname(s),
            "idn-hostname" => Idna.IsIdnHostname(s),
            "ipv4" => IsIPv4(s),
            "ipv6" => IsIPv6(s),
            "uri" => UriSyntax.IsValid(s, requireScheme: true, iri: false),
            "uri-reference" => UriSyntax.IsValid(s, requireScheme: false, iri: false),
            "iri" => UriSyntax.IsValid(s, requireScheme: true, iri: true),
            "iri-reference" => UriSyntax.IsValid(s, requireScheme: false, iri: true),
            "uuid" => UuidRegex().IsMatch(s),
            "uri-template" => IsUriTemplate(s),
            "json-pointer" => IsJsonPointer(s),
            "relative-json-pointer" => IsRelativeJsonPointer(s),
            "regex" => EcmaRegex.IsValid(s),
            _ => true,
        };
    }

    // RFC 3339 appendix A: each unit may only be followed by the next smaller one (P1Y2D and PT1H2S are invalid).
    [GeneratedRegex(@"\AP(?:[0-9]+W|(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))\z")]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z")]
    private static partial Regex UuidRegex();

    [GeneratedRegex(@"\A([0-9]{4})-([0-9]{2})-([0-9]{2})\z")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"\A([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([zZ]|([+-])([0-9]{2}):([0-9]{2}))\z")]
    private static partial Regex TimeRegex();

    private static int Num(Group g) => int.Parse(g.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool IsDate(string s)
    {
        var m = DateRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }

        var (year, month, day) = (Num(m.Groups[1]), Num(m.Groups[2]), Num(m.Groups[3]));
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(year, 1), month);
    }

    private static bool IsTime(string s)
    {
        var m = TimeRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }

        var (hour, minute, second) = (Num(m.Groups[1]), Num(m.Groups[2]), Num(m.Groups[3]));
        int offH = 0, offM = 0, sign = 0;
        if (m.Groups[6].Success)
        {
            sign = m.Groups[6].ValueSpan[0] == '+' ? 1 : -1;
            offH = Num(m.Groups[7]);
            offM = Num(m.Groups[8]);
            if (offH > 23 || offM > 59)
            {
                return false;
            }
        }

        if (hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        if (second == 60)
        {
            // A leap second exists only at 23:59:60 UTC.
            var utc = ((((hour * 60) + minute - (sign * ((offH * 60) + offM))) % 1440) + 1440) % 1440;
            return utc == (23 * 60) + 59;
        }

        return true;
    }

    private static bool IsDateTime(string s)
    {
        var t = s.IndexOfAny(['T', 't']);
        return t == 10 && IsDate(s[..t]) && IsTime(s[(t + 1)..]);
    }

    private static bool IsIPv4(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsIPv6(string s)
    {
        if (s.Length == 0 || s.Any(c => !(char.IsAsciiHexDigit(c) || c is ':' or '.')))
        {
            return false;
        }

        var extra = 0;
        var lastColon = s.LastIndexOf(':');
        if (lastColon < 0)
        {
            return false;
        }

        var tail = s[(lastColon + 1)..];
        if (tail.Contains('.', StringComparison.Ordinal))
        {
            // An embedded IPv4 address stands for the last two groups.
            if (!IsIPv4(tail))
            {
                return false;
            }

            extra = 2;
            s = s[..(lastColon + 1)];
            if (!s.EndsWith("::", StringComparison.Ordinal))
            {
                s = s[..^1];
            }
        }

        var doubleColon = s.IndexOf("::", StringComparison.Ordinal);
        if (doubleColon >= 0)
        {
            if (s.IndexOf("::", doubleColon + 1, StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            var left = s[..doubleColon];
            var right = s[(doubleColon + 2)..];
            var leftGroups = left.Length == 0 ? 0 : CountGroups(left);
            var rightGroups = right.Length == 0 ? 0 : CountGroups(right);
            return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups + extra <= 7;
        }

        var all = CountGroups(s);
        return all >= 0 && all + extra == 8;

        static int CountGroups(string part)
        {
            var pieces = part.Split(':');
            foreach (var p in pieces)
            {
                if (p.Length is 0 or > 4 || p.Contains('.', StringComparison.Ordinal))
                {
                    return -1;
                }
            }

            return pieces.Length;
        }
    }

    private static bool IsEmail(string s, bool idn)
    {
        var at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1)
        {
            return false;
        }

        var local = s[..at];
        var domain = s[(at + 1)..];
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            for (var i = 1; i < local.Length - 1; i++)
            {
                var c = local[i];
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"' || (c < 0x20 && c != '\t'))
                {
                    return false;
                }
            }
        }
        else
        {
            if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            foreach (var c in local)
            {
                var ok = char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal) || (idn && c >= 0x80);
                if (!ok)
                {
                    return false;
                }
            }
        }

        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            return literal.StartsWith("IPv6:", StringComparison.Ordinal) ? IsIPv6(literal[5..]) : IsIPv4(literal);
        }

        return idn ? IsIdnHostnameLoose(domain) : IsHostname(domain);
    }

    private static bool IsIdnHostnameLoose(string s)
    {
        if (s.Length == 0 || s.StartsWith('.') || s.EndsWith('.'))
        {
            return false;
        }

        foreach (var label in s.Split('.'))
        {
            if (label.Length == 0 || label.StartsWith('-') || label.EndsWith('-'))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c >= 0x80) || c is '\uff20' or '\u3002' or '\uff0e' or '\uff61')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsHostname(string s)
    {
        if (s.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in s.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }

            if (label.Length >= 4 && label[2] == '-' && label[3] == '-')
            {
                // Hyphens in positions 3 and 4 are reserved for A-labels, which must decode to a valid U-label.
                if (!label.StartsWith("xn--", StringComparison.Ordinal) || !Idna.IsValidALabel(label))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsJsonPointer(string s)
    {
        if (s.Length == 0)
        {
            return true;
        }

        if (s[0] != '/')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '~' && (i + 1 >= s.Length || s[i + 1] is not ('0' or '1')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRelativeJsonPointer(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == 0 || (i > 1 && s[0] == '0'))
        {
            return false;
        }

        var rest = s[i..];
        return rest == "#" || IsJsonPointer(rest);
    }

    private static bool IsUriTemplate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '{')
            {
                var close = s.IndexOf('}', i + 1);
                if (close < 0 || !IsTemplateExpression(s[(i + 1)..close]))
                {
                    return false;
                }

                i = close;
            }
            else if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (c <= ' ' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '|' or '}' || c == 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTemplateExpression(string e)
    {
        if (e.Length > 0 && "+#./;?&=,!@|".Contains(e[0], StringComparison.Ordinal))
        {
            e = e[1..];
        }

        if (e.Length == 0)
        {
            return false;
        }

        foreach (var spec in e.Split(','))
        {
            var name = spec;
            if (name.EndsWith('*'))
            {
                name = name[..^1];
            }
            else
            {
                var colon = name.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0)
                {
                    var length = name[(colon + 1)..];
                    if (length.Length is 0 or > 4 || length[0] == '0' || !length.All(char.IsAsciiDigit))
                    {
                        return false;
                    }

                    name = name[..colon];
                }
            }

            if (name.Length == 0 || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (c == '%')
                {
                    if (i + 2 >= name.Length || !char.IsAsciiHexDigit(name[i + 1]) || !char.IsAsciiHexDigit(name[i + 2]))
                    {
                        return false;
                    }

                    i += 2;
                }
                else if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
