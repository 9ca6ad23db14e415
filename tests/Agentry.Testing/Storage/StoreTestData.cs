using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Testing.Storage;

/// <summary>
/// Builds domain objects for storage tests on a fake clock, with time-ordered ids from the real
/// <see cref="IdGenerator"/> and status writes from the real <see cref="RunStateMachine"/>. Every time is a whole
/// millisecond, the precision every store must round-trip exactly.
/// </summary>
public sealed class StoreTestData
{
    /// <summary>Where the fake clock starts: a whole millisecond, never midnight, so truncation bugs show.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 34, 56, 789, TimeSpan.Zero);

    public StoreTestData()
    {
        Time = new FakeTimeProvider(Start);
        Ids = new IdGenerator(Time);
        States = new RunStateMachine(Time);
    }

    public FakeTimeProvider Time { get; }

    public IdGenerator Ids { get; }

    public RunStateMachine States { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public Organization NewOrganization(string name = "Acme") => new(Ids.New(IdGenerator.Prefix.Organization), name, Now);

    public ApiKey NewKey(string organizationId, string name = "default") => new(
        Ids.New(IdGenerator.Prefix.ApiKey),
        organizationId,
        name,
        KeyHash: "sha256:" + Guid.NewGuid().ToString("N"),
        Scopes: [ApiScopes.RunsRead, ApiScopes.RunsWrite],
        CreatedAt: Now,
        RevokedAt: null);

    public static AgentConfig NewConfig(string goalPrompt = "Research {{topic}}.") => new()
    {
        ModelStackId = "local/offline",
        GoalPrompt = goalPrompt,
        InputSchema = AgentryJson.Parse("""{"type":"object","properties":{"topic":{"type":"string"}},"required":["topic"]}"""),
        ResultType = ResultType.Json,
        ResultSchema = AgentryJson.Parse("""{"type":"object"}"""),
        Tools = [new ToolSpec { Source = "builtin", Type = "searchWeb" }],
        CustomPlanningInstructions = "Plan briefly.",
        EnableContextCompression = true,
        Drives = [new DriveRef("drv_1")],
        Limits = new RunLimits { MaxSteps = 12, TimeoutSeconds = 90, MaxTokens = 10_000, MaxCostUsd = 0.25m },
    };

    /// <summary>A new agent with its first revision.</summary>
    public (Agent Agent, AgentRevision Revision) NewAgent(string organizationId, string name = "researcher")
    {
        var agentId = Ids.New(IdGenerator.Prefix.Agent);
        var revision = NewRevision(organizationId, agentId);
        var agent = new Agent(agentId, organizationId, name, "Finds things out.", "https://hooks.example/agentry", true, revision.Id, null, Now, Now, null);
        return (agent, revision);
    }

    public AgentRevision NewRevision(string organizationId, string agentId, string goalPrompt = "Research {{topic}}.") =>
        new(Ids.New(IdGenerator.Prefix.Revision), agentId, organizationId, NewConfig(goalPrompt), Now);

    /// <summary>A new pending run, created now.</summary>
    public Run NewRun(string organizationId, string agentId = "agt_default", string revisionId = "rev_default", string input = """{"topic":"tides"}""") => new()
    {
        Id = Ids.New(IdGenerator.Prefix.Run),
        OrganizationId = organizationId,
        AgentId = agentId,
        RevisionId = revisionId,
        Status = RunStatus.Pending,
        Input = AgentryJson.Parse(input),
        ResultType = ResultType.Json,
        Metadata = AgentryJson.Parse("""{"source":"test","tags":["a","b"]}"""),
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    /// <summary>An event a worker writes; unfinished when <paramref name="finished"/> is false.</summary>
    public RunEventDraft Step(int? seq, string type = RunEventTypes.Narration, string data = """{"text":"step"}""", bool finished = true) =>
        new(seq, type, AgentryJson.Parse(data), Now, finished ? Now : null);

    public static RunUsage Usage(int modelCalls) =>
        new(InputTokens: 1_000L * modelCalls, OutputTokens: 250L * modelCalls, TotalTokens: 1_250L * modelCalls, CostUsd: 0.001234m * modelCalls, ModelCalls: modelCalls, ToolCalls: 2 * modelCalls);

    public static JsonElement Json(string json) => AgentryJson.Parse(json);
}
