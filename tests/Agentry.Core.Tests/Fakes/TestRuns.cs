using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;

namespace Agentry.Core.Tests.Fakes;

/// <summary>Builds runs and revisions for runtime tests.</summary>
public static class TestRuns
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static AgentConfig Config(
        string goalPrompt = "Write a briefing about {{topic}} for {{audience}}.",
        string modelStackId = "local/offline",
        ResultType resultType = ResultType.Document,
        string? resultSchema = null,
        RunLimits? limits = null) => new()
        {
            ModelStackId = modelStackId,
            GoalPrompt = goalPrompt,
            InputSchema = Json("""{"type":"object"}"""),
            ResultType = resultType,
            ResultSchema = resultSchema is null ? null : Json(resultSchema),
            Limits = limits ?? new RunLimits(),
        };

    public static RunContext Context(AgentConfig config, string input, IRunEventSink sink)
    {
        var run = new Run
        {
            Id = "run_test",
            OrganizationId = "org_test",
            AgentId = "agt_test",
            RevisionId = "rev_test",
            Status = RunStatus.Running,
            Input = Json(input),
            ResultType = config.ResultType,
            CreatedAt = Epoch,
            UpdatedAt = Epoch,
        };
        var revision = new AgentRevision("rev_test", "agt_test", "org_test", config, Epoch);
        return new RunContext(run, revision, sink);
    }
}
