using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Agentry.Sqlite.Tests;

/// <summary>What is particular to the embedded store: its file, its pragmas, its migrations and its registration.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly StoreTestData _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MigrateAsync_RunAgainOnAnExistingFile_KeepsTheDataAndTheSchemaVersion()
    {
        string runId;
        await using (var first = new SqliteStore(new SqliteStoreOptions { DataSource = _database.Path }))
        {
            await first.MigrateAsync(Ct);
            runId = (await first.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!.Id;
        }

        await using var second = new SqliteStore(new SqliteStoreOptions { DataSource = _database.Path });
        await second.MigrateAsync(Ct);
        await second.MigrateAsync(Ct);

        (await second.GetForEngineAsync(runId, Ct)).ShouldNotBeNull();
        ReadPragma("user_version").ShouldBe(SqliteSchema.Migrations.Count);
    }

    [Fact]
    public async Task MigrateAsync_MissingDirectory_CreatesTheFileInWalMode()
    {
        var nested = Path.Combine(Path.GetDirectoryName(_database.Path)!, "a", "b", "agentry.db");
        await using var store = new SqliteStore(new SqliteStoreOptions { DataSource = nested });

        await store.MigrateAsync(Ct);

        File.Exists(nested).ShouldBeTrue();
        ReadTextPragma(nested, "journal_mode").ShouldBe("wal");
    }

    [Fact]
    public async Task WriteBeforeMigrate_NewFile_ThrowsNamingTheFix()
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { DataSource = _database.Path });

        var error = await Should.ThrowAsync<InvalidOperationException>(() => store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct));

        error.Message.ShouldContain("MigrateAsync");
    }

    [Theory]
    [InlineData(SqliteSynchronous.Normal, 1)]
    [InlineData(SqliteSynchronous.Full, 2)]
    public async Task Synchronous_Option_IsAppliedToTheWriterConnection(SqliteSynchronous synchronous, long expected)
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { DataSource = _database.Path, Synchronous = synchronous });
        await store.MigrateAsync(Ct);

        (await store.ReadWriterPragmaAsync("synchronous", Ct)).ShouldBe(expected);
        (await store.ReadWriterPragmaAsync("foreign_keys", Ct)).ShouldBe(1);
        (await store.ReadWriterPragmaAsync("busy_timeout", Ct)).ShouldBe(5000);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEveryKindOfRecord()
    {
        var organization = _data.NewOrganization();
        var key = _data.NewKey(organization.Id);
        var (agent, revision) = _data.NewAgent(organization.Id);
        var run = _data.NewRun(organization.Id, agent.Id, revision.Id);
        await using (var first = await OpenAsync())
        {
            await first.CreateAsync(organization, key, Ct);
            await ((IAgentStore)first).CreateAsync(agent, revision, Ct);
            await first.ApplyAsync([RunStateMachine.Create(run, new IdempotencyClaim("key-1", "hash", _data.Now.AddDays(1)))], Ct);
            await first.ClaimAsync("worker-1", 1, _data.Now.AddSeconds(30), _data.States.Claimed(), Ct);
            await first.ApplyAsync([new AppendEventWrite(run.Id, "worker-1", _data.Step(3))], Ct);
        }

        await using var reopened = await OpenAsync();

        (await reopened.GetAsync(organization.Id, Ct)).ShouldBe(organization);
        (await reopened.FindKeyByHashAsync(key.KeyHash, Ct)).ShouldNotBeNull().Id.ShouldBe(key.Id);
        (await ((IAgentStore)reopened).GetAsync(organization.Id, agent.Id, Ct)).ShouldBe(agent);
        var stored = (await reopened.GetAsync(organization.Id, run.Id, Ct)).ShouldNotBeNull();
        (stored.Status, stored.LeaseOwner, stored.LastSeq, stored.LastPosition).ShouldBe((RunStatus.Running, "worker-1", 3, 3L));
        (await reopened.CountAsync(run.Id, 0, Ct)).ShouldBe(3);
        var again = (await reopened.ApplyAsync([RunStateMachine.Create(_data.NewRun(organization.Id), new IdempotencyClaim("key-1", "hash", _data.Now.AddDays(1)))], Ct)).Single();
        (again.Outcome, again.Run?.Id).ShouldBe((RunWriteOutcome.Existing, run.Id));
    }

    [Fact]
    public async Task TwoStoresOnOneFile_ClaimingConcurrently_ClaimEveryRunOnce()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var runIds = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            runIds.Add((await first.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!.Id);
        }

        async Task<List<string>> ClaimAll(SqliteStore store, string owner)
        {
            var claimed = new List<string>();
            while ((await store.ClaimAsync(owner, 2, _data.Now.AddSeconds(30), _data.States.Claimed(), Ct)) is { Count: > 0 } batch)
            {
                claimed.AddRange(batch.Select(r => r.Id));
            }

            return claimed;
        }

        var claims = await Task.WhenAll(Task.Run(() => ClaimAll(first, "node-1")), Task.Run(() => ClaimAll(second, "node-2")));

        claims.SelectMany(c => c).Order(StringComparer.Ordinal).ShouldBe(runIds);
    }

    [Fact]
    public async Task ChangeSeq_AfterAFailedBatch_LeavesAGapButNeverStepsBack()
    {
        await using var store = await OpenAsync();
        var before = (await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!;

        // The null write throws half-way through the batch, after the first create took a change value: all rolls back.
        await Should.ThrowAsync<ArgumentException>(() => store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null), null!], Ct));
        var after = (await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!;

        after.ChangeSeq.ShouldBeGreaterThan(before.ChangeSeq);
        (await store.ReadChangesAsync("org_1", null, 0, 100, Ct)).Select(r => r.Id).ShouldBe([before.Id, after.Id]);
    }

    [Fact]
    public async Task ChangeSeq_Reopened_ContinuesAboveTheStoredMaximum()
    {
        Run first;
        await using (var store = await OpenAsync())
        {
            first = (await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null), RunStateMachine.Create(_data.NewRun("org_2"), null)], Ct))[1].Run!;
        }

        await using var reopened = await OpenAsync();
        var next = (await reopened.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!;

        next.ChangeSeq.ShouldBe(first.ChangeSeq + 1);
    }

    [Fact]
    public async Task ChangeSeq_TwoStoresWritingOneFileInTurn_NeverRepeatsOrStepsBack()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var stamps = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var store = i % 2 == 0 ? first : second;
            stamps.Add((await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!.ChangeSeq);
        }

        stamps.ShouldBeInOrder(SortDirection.Ascending);
        stamps.Distinct().Count().ShouldBe(stamps.Count);
        (await first.ReadChangesAsync("org_1", null, 0, 100, Ct)).Select(r => r.ChangeSeq).ShouldBe(stamps);
    }

    [Fact]
    public async Task MigrateAsync_FileOfSchemaVersionOne_AddsTheChangeOrderAndKeepsOldRunsOutOfNewFeeds()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.Path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Migrations[0] + "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        await using var store = await OpenAsync();
        var run = (await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!;

        ReadPragma("user_version").ShouldBe(SqliteSchema.Migrations.Count);
        run.ChangeSeq.ShouldBe(1);
        (await store.GetLastChangeAsync("org_1", Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Reads_WhileAnotherConnectionHoldsTheWriteLock_AnswerTheLastCommit()
    {
        await using var store = await OpenAsync();
        var run = (await store.ApplyAsync([RunStateMachine.Create(_data.NewRun("org_1"), null)], Ct)).Single().Run!;
        using var blocker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.Path, Pooling = false }.ToString());
        blocker.Open();
        using var lockHolder = blocker.BeginTransaction(deferred: false);
        using (var update = blocker.CreateCommand())
        {
            update.Transaction = lockHolder;
            update.CommandText = "UPDATE runs SET status_message = 'uncommitted'";
            update.ExecuteNonQuery();
        }

        var read = await store.GetForEngineAsync(run.Id, Ct);
        var pending = await store.CountPendingAsync(Ct);

        read.ShouldNotBeNull().StatusMessage.ShouldBeNull();
        pending.ShouldBe(1);
        lockHolder.Rollback();
    }

    [Fact]
    public async Task AddAgentrySqlite_HostStarts_RegistersOneMigratedStoreForEveryContract()
    {
        var services = new ServiceCollection().AddAgentrySqlite(options => options.DataSource = _database.Path);
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }

        var store = provider.GetRequiredService<SqliteStore>();
        provider.GetRequiredService<IRunStore>().ShouldBeSameAs(store);
        provider.GetRequiredService<IEventLog>().ShouldBeSameAs(store);
        provider.GetRequiredService<IAgentStore>().ShouldBeSameAs(store);
        provider.GetRequiredService<IOrganizationStore>().ShouldBeSameAs(store);
        ReadPragma("user_version").ShouldBe(SqliteSchema.Migrations.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":memory:")]
    public void AddAgentrySqlite_WithoutAFile_FailsValidation(string dataSource)
    {
        using var provider = new ServiceCollection().AddAgentrySqlite(options => options.DataSource = dataSource).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);
    }

    private async Task<SqliteStore> OpenAsync()
    {
        var store = new SqliteStore(new SqliteStoreOptions { DataSource = _database.Path });
        await store.MigrateAsync(Ct);
        return store;
    }

    private long ReadPragma(string pragma) => long.Parse(ReadTextPragma(_database.Path, pragma), System.Globalization.CultureInfo.InvariantCulture);

    private static string ReadTextPragma(string path, string pragma)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
