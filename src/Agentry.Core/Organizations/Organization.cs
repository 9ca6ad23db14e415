namespace Agentry.Core.Organizations;

/// <summary>A tenant: every agent, run, event, drive and key belongs to exactly one organization.</summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);
