using System.Text.Json;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

/// <summary>
/// The behaviour every storage backend must show (DESIGN.md §6). A backend's test project subclasses this once and
/// answers <see cref="CreateStoreAsync"/> with a fresh, migrated, empty store; every test gets its own.
/// </summary>
public abstract partial class RunStoreCompliance : IAsyncLifetime
{
    private StoreUnderTest? _store;

    protected StoreTestData Data { get; } = new();

    protected IRunStore Runs => Store.Runs;

    protected IEventLog Events => Store.Events;

    protected IAgentStore Agents => Store.Agents;

    protected IOrganizationStore Organizations => Store.Organizations;

    /// <summary>The organization most tests work in.</summary>
    protected string OrgId { get; } = "org_compliance_a";

    /// <summary>Another organization, whose data must stay invisible from <see cref="OrgId"/>.</summary>
    protected string OtherOrgId { get; } = "org_compliance_b";

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StoreUnderTest Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.Owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A new, migrated, empty store instance that no other test uses.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    /// <summary>Applies one write and answers its result.</summary>
    protected async Task<RunWriteResult> ApplyAsync(RunWrite write) => (await Runs.ApplyAsync([write], Ct)).Single();

    /// <summary>Creates a pending run and answers it as stored.</summary>
    protected async Task<Run> CreateRunAsync(string? organizationId = null, string agentId = "agt_default", string revisionId = "rev_default")
    {
        var result = await ApplyAsync(RunStateMachine.Create(Data.NewRun(organizationId ?? OrgId, agentId, revisionId), idempotency: null));
        result.Outcome.ShouldBe(RunWriteOutcome.Applied);
        return result.Run.ShouldNotBeNull();
    }

    /// <summary>Creates a run and claims it (the store must hold no other pending run), answering it as stored.</summary>
    protected async Task<Run> CreateRunningRunAsync(string leaseOwner = "worker-1", string? organizationId = null)
    {
        var created = await CreateRunAsync(organizationId);
        var claimed = (await Runs.ClaimAsync(leaseOwner, 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldHaveSingleItem();
        claimed.Id.ShouldBe(created.Id);
        return claimed;
    }

    protected async Task<Run> GetRunAsync(string runId) => (await Runs.GetForEngineAsync(runId, Ct)).ShouldNotBeNull();

    protected async Task<IReadOnlyList<RunEvent>> AllEventsAsync(string runId) => await Events.ListAsync(runId, 0, 0, 10_000, Ct);

    protected static void ShouldBeJson(JsonElement? actual, string expected)
    {
        var value = actual.ShouldNotBeNull();
        JsonElement.DeepEquals(value, StoreTestData.Json(expected)).ShouldBeTrue($"Expected {expected} but got {value.GetRawText()}");
    }

    protected static void ShouldBeSameJson(JsonElement? actual, JsonElement expected) => ShouldBeJson(actual, expected.GetRawText());
}
