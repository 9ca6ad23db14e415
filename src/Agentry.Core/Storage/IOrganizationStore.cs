using Agentry.Core.Organizations;

namespace Agentry.Core.Storage;

/// <summary>Organizations and their API keys.</summary>
public interface IOrganizationStore
{
    /// <summary>Stores a new organization together with its first key, in one transaction.</summary>
    Task CreateAsync(Organization organization, ApiKey firstKey, CancellationToken cancellationToken);

    Task<Organization?> GetAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>All organizations, oldest first.</summary>
    Task<IReadOnlyList<Organization>> ListAsync(CancellationToken cancellationToken);

    Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The key whose secret hashes to <paramref name="keyHash"/>, revoked or not; null when none.</summary>
    Task<ApiKey?> FindKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>The organization's keys that are not revoked, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>Revokes a key of the organization; false when it has no such active key.</summary>
    Task<bool> RevokeKeyAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}
