using Agentry.Testing.Storage;

namespace Agentry.Sqlite.Tests;

/// <summary>The embedded store against the storage behaviour suite, one temporary database file per test.</summary>
public sealed class SqliteRunStoreComplianceTests : RunStoreCompliance
{
    protected override async Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = new TempDatabase();
        var store = new SqliteStore(new SqliteStoreOptions { DataSource = database.Path });
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return new StoreUnderTest(store, store, store, store, new Owner(store, database));
    }

    private sealed class Owner(SqliteStore store, TempDatabase database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            database.Dispose();
        }
    }
}
