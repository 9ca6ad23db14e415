namespace Agentry.JsonSchema.Internal;

/// <summary>RFC 3986 (and RFC 3987 for IRIs) syntax check, component by component.</summary>
internal static class UriSyntax
{
    public static bool IsValid(string s, bool requireScheme, bool iri)
    {
        // Split as RFC 3986 appendix B does: scheme ":" "//" authority path "?" query "#" fragment.
        string? fragment = null, query = null, scheme = null, authority = null;
        var hash = s.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            fragment = s[(hash + 1)..];
            s = s[..hash];
        }

        var q = s.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = s[(q + 1)..];
            s = s[..q];
        }

        var colon = s.IndexOf(':', StringComparison.Ordinal);
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            scheme = s[..colon];
            s = s[(colon + 1)..];
            if (!char.IsAsciiLetter(scheme[0]) || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }
        else if (colon == 0)
        {
            return false;
        }

        if (scheme is null && requireScheme)
        {
            return false;
        }

        if (s.StartsWith("//", StringComparison.Ordinal))
        {
            var end = s.IndexOf('/', 2);
            authority = end < 0 ? s[2..] : s[2..end];
            s = end < 0 ? string.Empty : s[end..];
            if (!IsAuthority(authority, iri))
            {
                return false;
            }
        }

        // Path: segments of pchar; a relative reference's first segment may not hold ':'.
        if (scheme is null && authority is null)
        {
            var firstSlash = s.IndexOf('/', StringComparison.Ordinal);
            var first = firstSlash < 0 ? s : s[..firstSlash];
            if (first.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }

        return AllValid(s, "/:@", iri) && (query is null || AllValid(query, "/?:@", iri)) && (fragment is null || AllValid(fragment, "/?:@", iri));
    }

    private static bool IsAuthority(string authority, bool iri)
    {
        var at = authority.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!AllValid(authority[..at], ":", iri))
            {
                return false;
            }

            authority = authority[(at + 1)..];
        }

        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var literal = authority[1..close];
            var rest = authority[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                port = rest[1..];
            }

            if (!(Formats.IsIPv6(literal) || IsIPvFuture(literal)))
            {
                return false;
            }

            host = string.Empty;
        }
        else
        {
            var c = authority.IndexOf(':', StringComparison.Ordinal);
            host = c < 0 ? authority : authority[..c];
            port = c < 0 ? null : authority[(c + 1)..];
        }

        return AllValid(host, string.Empty, iri) && (port is null || port.All(char.IsAsciiDigit));
    }

    private static bool IsIPvFuture(string s)
    {
        if (s.Length < 4 || s[0] is not ('v' or 'V'))
        {
            return false;
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        return dot > 1 && s[1..dot].All(char.IsAsciiHexDigit) && dot < s.Length - 1 &&
            s[(dot + 1)..].All(c => IsUnreserved(c) || IsSubDelim(c) || c == ':');
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool IsSubDelim(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    private static bool AllValid(string s, string extra, bool iri)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (IsUnreserved(c) || IsSubDelim(c) || extra.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }
            else if (iri && c >= 0xA0 && !(c >= 0xFDD0 && c <= 0xFDEF))
            {
                continue;
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
