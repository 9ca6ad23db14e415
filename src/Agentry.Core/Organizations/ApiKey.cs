namespace Agentry.Core.Organizations;

/// <summary>An API key as stored: only the SHA-256 hash of the secret is kept.</summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string Name,
    string KeyHash,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

/// <summary>The scopes a key can hold (API.md, Authentication).</summary>
public static class ApiScopes
{
    public const string RunsRead = "runs:read";
    public const string RunsWrite = "runs:write";
    public const string AgentsWrite = "agents:write";
    public const string Admin = "admin";
    public const string System = "system";

    /// <summary>Every scope, in the order the API documents them.</summary>
    public static IReadOnlyList<string> All { get; } = [RunsRead, RunsWrite, AgentsWrite, Admin, System];
}
