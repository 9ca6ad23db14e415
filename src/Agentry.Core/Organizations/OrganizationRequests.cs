namespace Agentry.Core.Organizations;

/// <summary>The body of <c>POST /v1/organizations</c>.</summary>
public sealed record CreateOrganizationRequest(string? Name);

/// <summary>The body of <c>POST /v1/api-keys</c>.</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string?>? Scopes);

/// <summary>A new organization with its first admin key; <paramref name="Secret"/> is shown once and never stored.</summary>
public sealed record OrganizationCreated(Organization Organization, ApiKey Key, string Secret);

/// <summary>A new key; <paramref name="Secret"/> is shown once and never stored.</summary>
public sealed record ApiKeyCreated(ApiKey Key, string Secret);

/// <summary>What start-up bootstrapping did.</summary>
/// <param name="Organization">The default organization (the oldest one).</param>
/// <param name="OrganizationCreated">True on first start, when the default organization was just created.</param>
/// <param name="GeneratedSecret">The admin key generated because none was configured; null when none was generated.</param>
public sealed record BootstrapResult(Organization Organization, bool OrganizationCreated, string? GeneratedSecret);
