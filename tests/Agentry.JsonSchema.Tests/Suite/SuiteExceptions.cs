namespace Agentry.JsonSchema.Tests.Suite;

/// <summary>
/// THE one place where suite tests may be excepted, each with its reason. Required tests (outside optional/)
/// must not appear here unless we are stricter than the suite; an exception may never accept invalid data.
/// Keys are <see cref="SuiteCase.Id"/>; a key ending in "/*" excepts a whole file or group.
/// </summary>
public static class SuiteExceptions
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Optional: draft 2019-09 is out of scope (only 2020-12 and draft-07 are supported). The schema is rejected
        // with a clear "unsupported $schema" error, so nothing invalid is ever accepted.
        ["draft2020-12/optional/cross-draft.json: refs to historic drafts are processed as historic drafts/*"] = "draft 2019-09 is not supported; the $ref is rejected as an unsupported $schema",
        ["draft7/optional/cross-draft.json: refs to future drafts are processed as future drafts/*"] = "draft 2019-09 is not supported; the $ref is rejected as an unsupported $schema",
    };

    public static string? ReasonFor(SuiteCase c)
    {
        if (Reasons.TryGetValue(c.Id, out var reason))
        {
            return reason;
        }

        foreach (var (key, value) in Reasons)
        {
            if (key.EndsWith("/*", StringComparison.Ordinal) && c.Id.StartsWith(key[..^2], StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }
}
