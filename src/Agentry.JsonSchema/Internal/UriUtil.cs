using System.Text;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// RFC 3986 reference resolution on plain strings. System.Uri is avoided on purpose: it rewrites URNs and
/// percent-encodings in ways that make "the same" identifier compare unequal.
/// </summary>
internal static class UriUtil
{
    public static bool IsAbsolute(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(uri[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = uri[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static string StripFragment(string uri)
    {
        var hash = uri.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? uri : uri[..hash];
    }

    public static (string Absolute, string Fragment) Split(string uri)
    {
        var hash = uri.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (uri, string.Empty) : (uri[..hash], uri[(hash + 1)..]);
    }

    /// <summary>Resolves <paramref name="reference"/> against <paramref name="baseUri"/> (RFC 3986 section 5.2.2).</summary>
    public static string Resolve(string baseUri, string reference)
    {
        var r = Parse(reference);
        if (r.Scheme is not null)
        {
            return Recompose(r.Scheme, r.Authority, RemoveDotSegments(r.Path), r.Query, r.Fragment);
        }

        var b = Parse(baseUri);
        string? authority;
        string path;
        string? query;
        if (r.Authority is not null)
        {
            authority = r.Authority;
            path = RemoveDotSegments(r.Path);
            query = r.Query;
        }
        else
        {
            authority = b.Authority;
            if (r.Path.Length == 0)
            {
                path = b.Path;
                query = r.Query ?? b.Query;
            }
            else
            {
                if (r.Path.StartsWith('/'))
                {
                    path = RemoveDotSegments(r.Path);
                }
                else
                {
                    string merged;
                    if (b.Authority is not null && b.Path.Length == 0)
                    {
                        merged = "/" + r.Path;
                    }
                    else
                    {
                        var slash = b.Path.LastIndexOf('/');
                        merged = slash < 0 ? r.Path : b.Path[..(slash + 1)] + r.Path;
                    }

                    path = RemoveDotSegments(merged);
                }

                query = r.Query;
            }
        }

        return Recompose(b.Scheme, authority, path, query, r.Fragment);
    }

    private readonly record struct Parts(string? Scheme, string? Authority, string Path, string? Query, string? Fragment);

    private static Parts Parse(string uri)
    {
        string? fragment = null;
        var hash = uri.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            fragment = uri[(hash + 1)..];
            uri = uri[..hash];
        }

        string? query = null;
        var q = uri.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = uri[(q + 1)..];
            uri = uri[..q];
        }

        string? scheme = null;
        if (IsAbsolute(uri))
        {
            var colon = uri.IndexOf(':', StringComparison.Ordinal);
            scheme = uri[..colon];
            uri = uri[(colon + 1)..];
        }

        string? authority = null;
        if (uri.StartsWith("//", StringComparison.Ordinal))
        {
            var end = uri.IndexOf('/', 2);
            authority = end < 0 ? uri[2..] : uri[2..end];
            uri = end < 0 ? string.Empty : uri[end..];
        }

        return new Parts(scheme, authority, uri, query, fragment);
    }

    private static string Recompose(string? scheme, string? authority, string path, string? query, string? fragment)
    {
        var sb = new StringBuilder();
        if (scheme is not null)
        {
            sb.Append(scheme).Append(':');
        }

        if (authority is not null)
        {
            sb.Append("//").Append(authority);
        }

        sb.Append(path);
        if (query is not null)
        {
            sb.Append('?').Append(query);
        }

        if (fragment is not null)
        {
            sb.Append('#').Append(fragment);
        }

        return sb.ToString();
    }

    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.', StringComparison.Ordinal))
        {
            return path;
        }

        var input = path;
        var output = new List<string>();
        var absolute = input.StartsWith('/');
        var segments = input.Split('/');
        for (var i = absolute ? 1 : 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s == ".")
            {
                if (i == segments.Length - 1)
                {
                    output.Add(string.Empty);
                }
            }
            else if (s == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (i == segments.Length - 1)
                {
                    output.Add(string.Empty);
                }
            }
            else
            {
                output.Add(s);
            }
        }

        return (absolute ? "/" : string.Empty) + string.Join('/', output);
    }
}
