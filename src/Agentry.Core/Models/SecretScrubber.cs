using System.Text.RegularExpressions;

namespace Agentry.Core.Models;

/// <summary>
/// Removes secrets from text that leaves a model provider (error messages that become run errors, events and logs):
/// the stack's configured keys wherever they appear, the values of <c>Authorization</c>, <c>api-key</c> and
/// <c>x-api-key</c> headers, bearer tokens, and strings shaped like provider keys (<c>sk-…</c>), because a provider
/// may echo a key that is not the configured one (a proxy's, or a partly masked one).
/// </summary>
public sealed partial class SecretScrubber
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Redacted = "[redacted]";

    // Shorter values are not treated as secrets: replacing "abc" everywhere would garble messages without protecting anything.
    private const int MinimumSecretLength = 6;

    private readonly string[] _secrets;

    /// <param name="secrets">The secrets to remove wherever they occur (null and short values are ignored).</param>
    public SecretScrubber(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);

        // Longest first, so a secret that contains another is removed whole.
        _secrets = [.. secrets
            .Where(static s => s is { Length: >= MinimumSecretLength })
            .Select(static s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(static s => s.Length)];
    }

    /// <summary>A scrubber that knows no configured secrets and removes only what looks like one.</summary>
    public static SecretScrubber PatternsOnly { get; } = new([]);

    /// <summary>The text with every secret replaced by <see cref="Redacted"/>.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        text = HeaderValue().Replace(text, static m => $"{m.Groups["name"].Value}{m.Groups["separator"].Value}{Redacted}");
        text = BearerToken().Replace(text, $"$1{Redacted}");
        return KeyShaped().Replace(text, Redacted);
    }

    // "Authorization: Bearer x", "api-key=x", "\"x-api-key\": \"x\"": the header's whole value, up to the end of the line or a quote.
    [GeneratedRegex("""(?<name>\b(?:authorization|proxy-authorization|x-api-key|api-key|apikey)"?)(?<separator>\s*[:=]\s*"?)[^"\r\n,;}]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderValue();

    [GeneratedRegex("""(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=\-*]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    // OpenAI (sk-…, sk-proj-…) and Anthropic (sk-ant-…) keys, also when partly masked with '*'.
    [GeneratedRegex("""\bsk-[A-Za-z0-9_\-*]{8,}""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
