using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// Translates ECMA-262 (u-flag) patterns, the dialect JSON Schema specifies, to .NET regular expressions.
/// RegexOptions.ECMAScript is not enough: it rejects Unicode classes and lookbehind. The differences handled
/// here are the ones that change results: \d \w \s are ASCII/ECMA sets, '.' excludes all line terminators
/// and takes a whole astral character, '$' is only the end of input, astral literals are one character.
/// </summary>
internal static class EcmaRegex
{
    private const string EcmaWhitespace = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
    private const string AnyCharButLineTerminator = @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n\r\u2028\u2029])";
    private const int CacheLimit = 2048;

    private static readonly ConcurrentDictionary<(string, TimeSpan), Regex?> Cache = new();

    /// <summary>Compiles <paramref name="pattern"/>; null when it is not a valid ECMA-262 pattern.</summary>
    public static Regex? TryCreate(string pattern, TimeSpan timeout)
    {
        if (Cache.TryGetValue((pattern, timeout), out var cached))
        {
            return cached;
        }

        Regex? regex = null;
        var translated = Translate(pattern);
        if (translated is not null)
        {
            try
            {
                regex = new Regex(translated, RegexOptions.CultureInvariant, timeout);
            }
            catch (ArgumentException)
            {
                regex = null;
            }
        }

        if (Cache.Count > CacheLimit)
        {
            Cache.Clear();
        }

        Cache[(pattern, timeout)] = regex;
        return regex;
    }

    public static bool IsValid(string pattern) => TryCreate(pattern, TimeSpan.FromSeconds(1)) is not null;

    internal static string? Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    return null;
                }

                var n = pattern[++i];
                switch (n)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D':
                        sb.Append(inClass ? @"\P{Nd}" : "[^0-9]");
                        break;
                    case 'w':
                        sb.Append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]");
                        break;
                    case 'W':
                        sb.Append(inClass ? @"\W" : "[^a-zA-Z0-9_]");
                        break;
                    case 's':
                        sb.Append(inClass ? EcmaWhitespace : "[" + EcmaWhitespace + "]");
                        break;
                    case 'S':
                        sb.Append(inClass ? @"\S" : "[^" + EcmaWhitespace + "]");
                        break;
                    case 'p' or 'P':
                        {
                            if (i + 1 >= pattern.Length || pattern[i + 1] != '{')
                            {
                                return null;
                            }

                            var close = pattern.IndexOf('}', i + 1);
                            if (close < 0)
                            {
                                return null;
                            }

                            var name = MapProperty(pattern[(i + 2)..close]);
                            if (name is null)
                            {
                                return null;
                            }

                            sb.Append('\\').Append(n).Append('{').Append(name).Append('}');
                            i = close;
                            break;
                        }

                    case 'u':
                        {
                            if (i + 1 < pattern.Length && pattern[i + 1] == '{')
                            {
                                var close = pattern.IndexOf('}', i + 1);
                                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 2, close - i - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
                                {
                                    return null;
                                }

                                AppendCodePoint(sb, cp, inClass);
                                i = close;
                            }
                            else
                            {
                                if (i + 4 >= pattern.Length || !int.TryParse(pattern.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
                                {
                                    return null;
                                }

                                sb.Append("\\u");
                            }

                            break;
                        }

                    case 'c':
                        if (i + 1 >= pattern.Length || !char.IsAsciiLetter(pattern[i + 1]))
                        {
                            return null;
                        }

                        sb.Append("\\c").Append(pattern[++i]);
                        break;
                    case 'b' or 'B' or 't' or 'n' or 'v' or 'f' or 'r' or 'x' or 'k' or '0':
                        sb.Append('\\').Append(n);
                        break;
                    case >= '1' and <= '9':
                        sb.Append('\\').Append(n);
                        break;
                    default:
                        // In u-mode only syntax characters (and '/' and '-') may be escaped; "\a", "\Z" and friends are errors.
                        if (char.IsAsciiLetterOrDigit(n))
                        {
                            return null;
                        }

                        sb.Append('\\').Append(n);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                    sb.Append(']');
                }
                else if (c == '[')
                {
                    sb.Append("\\["); // literal in ECMA; .NET would read "-[" as class subtraction
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    {
                        // ECMA-262 groups: (?: (?= (?! (?<= (?<! (?<name>. Inline flags and (?#comments) are .NET/Python only.
                        var rest = pattern.AsSpan(i + 2);
                        if (rest.IsEmpty || !(rest[0] is ':' or '=' or '!' || (rest[0] == '<' && rest.Length > 1 && (rest[1] is '=' or '!' || char.IsAsciiLetter(rest[1]) || rest[1] is '_' or '$'))))
                        {
                            return null;
                        }

                        sb.Append(c);
                        break;
                    }

                case '[':
                    if (pattern.AsSpan(i).StartsWith("[^]", StringComparison.Ordinal))
                    {
                        sb.Append(@"[\s\S]");
                        i += 2;
                    }
                    else if (pattern.AsSpan(i).StartsWith("[]", StringComparison.Ordinal))
                    {
                        sb.Append("(?!)");
                        i += 1;
                    }
                    else
                    {
                        inClass = true;
                        sb.Append('[');
                        if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                        {
                            sb.Append('^');
                            i++;
                        }

                        if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                        {
                            sb.Append("\\]");
                            i++;
                        }
                    }

                    break;
                case '.':
                    sb.Append(AnyCharButLineTerminator);
                    break;
                case '$':
                    sb.Append(@"\z");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
                    {
                        // One astral character is one atom in u-mode, so a following quantifier applies to both halves.
                        sb.Append("(?:").Append(c).Append(pattern[++i]).Append(')');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return inClass ? null : sb.ToString();
    }

    private static void AppendCodePoint(StringBuilder sb, int codePoint, bool inClass)
    {
        if (codePoint < 0x10000)
        {
            sb.Append("\\u").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture));
            return;
        }

        var s = char.ConvertFromUtf32(codePoint);
        if (inClass)
        {
            sb.Append(s);
        }
        else
        {
            sb.Append("(?:").Append(s).Append(')');
        }
    }

    private static string? MapProperty(string name)
    {
        var eq = name.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            var key = name[..eq];
            var value = name[(eq + 1)..];
            if (key is "General_Category" or "gc")
            {
                return MapProperty(value);
            }

            // .NET has Unicode blocks, not scripts; the block of the same name is the closest available.
            return key is "Script" or "sc" or "Script_Extensions" or "scx" ? "Is" + value : null;
        }

        return name switch
        {
            "Letter" => "L",
            "Cased_Letter" => "L",
            "Uppercase_Letter" => "Lu",
            "Lowercase_Letter" => "Ll",
            "Titlecase_Letter" => "Lt",
            "Modifier_Letter" => "Lm",
            "Other_Letter" => "Lo",
            "Mark" => "M",
            "Number" => "N",
            "Decimal_Number" or "digit" => "Nd",
            "Letter_Number" => "Nl",
            "Other_Number" => "No",
            "Punctuation" or "punct" => "P",
            "Symbol" => "S",
            "Separator" => "Z",
            "Space_Separator" => "Zs",
            "Other" => "C",
            "Control" or "cntrl" => "Cc",
            _ => name,
        };
    }
}
