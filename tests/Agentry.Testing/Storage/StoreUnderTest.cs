using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

/// <summary>
/// One fresh, migrated instance of a storage backend as the compliance suite sees it: the four contracts
/// (often one object) and whatever must be disposed when the test ends (connections, a temporary file or database).
/// </summary>
public sealed record StoreUnderTest(
    IOrganizationStore Organizations,
    IAgentStore Agents,
    IRunStore Runs,
    IEventLog Events,
    IAsyncDisposable Owner);
