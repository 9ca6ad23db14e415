using Agentry.Core.Common;
using Agentry.Core.Storage;

namespace Agentry.Core.Organizations;

/// <summary>Organizations and their API keys: creation, listing, revocation, authentication and first-start bootstrap.</summary>
public sealed class OrganizationService(IOrganizationStore store, IdGenerator ids, TimeProvider time)
{
    /// <summary>The name of the organization created on first start.</summary>
    public const string DefaultOrganizationName = "Default";

    private const int MaxNameLength = 200;

    /// <summary>
    /// True when a key holding <paramref name="held"/> may do what needs <paramref name="needed"/>: <c>admin</c>
    /// implies every scope of its organization, but never <c>system</c>, which reaches across organizations.
    /// </summary>
    public static bool HasScope(IEnumerable<string> held, string needed)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Any(scope => scope == needed || (scope == ApiScopes.Admin && needed != ApiScopes.System));
    }

    /// <summary>Creates an organization and its first admin key.</summary>
    /// <exception cref="ProblemException">400 when the name is missing or too long.</exception>
    public async Task<OrganizationCreated> CreateOrganizationAsync(CreateOrganizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = RequireName(request.Name);
        return await CreateOrganizationAsync(name, ApiKeyHasher.NewSecret(), [ApiScopes.Admin], cancellationToken);
    }

    /// <summary>Every organization, oldest first.</summary>
    public Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken cancellationToken) =>
        store.ListAsync(cancellationToken);

    /// <summary>Creates a key in <paramref name="organizationId"/>.</summary>
    /// <param name="organizationId">The caller's organization.</param>
    /// <param name="callerScopes">The caller's scopes: a key can only hand out <c>system</c> if it holds it.</param>
    /// <param name="request">Name and scopes of the new key.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <exception cref="ProblemException">400 for a missing name or unknown scopes, 403 when granting <c>system</c> without holding it.</exception>
    public async Task<ApiKeyCreated> CreateKeyAsync(string organizationId, IReadOnlyCollection<string> callerScopes, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callerScopes);
        var errors = new List<FieldError>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new FieldError("/name", "required", "/name is required."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("/name", "maxLength", $"/name must be at most {MaxNameLength} characters."));
        }

        var scopes = new List<string>();
        if (request.Scopes is not { Count: > 0 })
        {
            errors.Add(new FieldError("/scopes", "minItems", $"/scopes must name at least one of: {string.Join(", ", ApiScopes.All)}."));
        }
        else
        {
            for (var i = 0; i < request.Scopes.Count; i++)
            {
                var scope = request.Scopes[i];
                if (scope is null || !ApiScopes.All.Contains(scope))
                {
                    errors.Add(new FieldError($"/scopes/{i}", "enum", $"/scopes/{i}: '{scope}' is not a scope; use one of: {string.Join(", ", ApiScopes.All)}."));
                }
                else if (!scopes.Contains(scope))
                {
                    scopes.Add(scope);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw ProblemException.BadRequest(Describe(errors), errors);
        }

        if (scopes.Contains(ApiScopes.System) && !callerScopes.Contains(ApiScopes.System))
        {
            throw new ProblemException(403, ProblemCodes.Forbidden, "Only a key with the system scope can create keys with the system scope.");
        }

        var secret = ApiKeyHasher.NewSecret();
        var key = new ApiKey(ids.New(IdGenerator.Prefix.ApiKey), organizationId, name!, ApiKeyHasher.Hash(secret), scopes, Now(), null);
        await store.AddKeyAsync(key, cancellationToken);
        return new ApiKeyCreated(key, secret);
    }

    /// <summary>The organization's keys that are not revoked, oldest first.</summary>
    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string organizationId, CancellationToken cancellationToken) =>
        store.ListKeysAsync(organizationId, cancellationToken);

    /// <summary>Revokes a key of the organization and answers it as it was (its hash lets callers drop cached lookups).</summary>
    /// <exception cref="ProblemException">404 when the organization has no such active key.</exception>
    public async Task<ApiKey> RevokeKeyAsync(string organizationId, string keyId, CancellationToken cancellationToken)
    {
        var keys = await store.ListKeysAsync(organizationId, cancellationToken);
        var key = keys.FirstOrDefault(k => k.Id == keyId);
        if (key is null || !await store.RevokeKeyAsync(organizationId, keyId, Now(), cancellationToken))
        {
            throw ProblemException.NotFound($"API key {keyId}");
        }

        return key;
    }

    /// <summary>The active key with this secret; null when the secret is unknown or its key was revoked.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = await store.FindKeyByHashAsync(ApiKeyHasher.Hash(secret), cancellationToken);
        return key is { RevokedAt: null } ? key : null;
    }

    /// <summary>
    /// Makes sure the default organization exists and has an admin key (scopes <c>admin</c> and <c>system</c>).
    /// On first start it creates the organization with <paramref name="configuredSecret"/> as its key, or with a
    /// generated one (answered in <see cref="BootstrapResult.GeneratedSecret"/>) when none is configured. On later
    /// starts it creates nothing, except that a configured key not yet known is added to the default organization,
    /// so that setting <c>Agentry:BootstrapApiKey</c> on an existing installation works.
    /// </summary>
    public async Task<BootstrapResult> BootstrapAsync(string? configuredSecret, CancellationToken cancellationToken)
    {
        var organizations = await store.ListAsync(cancellationToken);
        if (organizations.Count == 0)
        {
            var secret = configuredSecret ?? ApiKeyHasher.NewSecret();
            var created = await CreateOrganizationAsync(DefaultOrganizationName, secret, [ApiScopes.Admin, ApiScopes.System], cancellationToken);
            return new BootstrapResult(created.Organization, OrganizationCreated: true, configuredSecret is null ? secret : null);
        }

        var defaultOrganization = organizations[0];
        if (configuredSecret is not null && await store.FindKeyByHashAsync(ApiKeyHasher.Hash(configuredSecret), cancellationToken) is null)
        {
            await store.AddKeyAsync(NewKey(defaultOrganization.Id, "bootstrap", ApiKeyHasher.Hash(configuredSecret), [ApiScopes.Admin, ApiScopes.System]), cancellationToken);
        }

        return new BootstrapResult(defaultOrganization, OrganizationCreated: false, GeneratedSecret: null);
    }

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw ProblemException.BadRequest("/name is required.", [new FieldError("/name", "required", "/name is required.")]);
        }

        if (trimmed.Length > MaxNameLength)
        {
            var message = $"/name must be at most {MaxNameLength} characters.";
            throw ProblemException.BadRequest(message, [new FieldError("/name", "maxLength", message)]);
        }

        return trimmed;
    }

    private static string Describe(List<FieldError> errors) =>
        errors.Count == 1 ? errors[0].Message : $"{errors.Count} problems: {string.Join("; ", errors.Select(e => e.Message))}";

    private async Task<OrganizationCreated> CreateOrganizationAsync(string name, string secret, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var organization = new Organization(ids.New(IdGenerator.Prefix.Organization), name, Now());
        var key = NewKey(organization.Id, "admin", ApiKeyHasher.Hash(secret), scopes);
        await store.CreateAsync(organization, key, cancellationToken);
        return new OrganizationCreated(organization, key, secret);
    }

    private ApiKey NewKey(string organizationId, string name, string hash, IReadOnlyList<string> scopes) =>
        new(ids.New(IdGenerator.Prefix.ApiKey), organizationId, name, hash, scopes, Now(), null);

    private DateTimeOffset Now() => time.GetUtcNow();
}
