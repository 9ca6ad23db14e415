using System.Text.Json;

namespace Agentry.Client.Tests.Infrastructure;

/// <summary>Agent definitions for tests, on the offline model stacks (no network, no key).</summary>
public static class TestAgents
{
    /// <summary>A document agent whose input requires a string <c>topic</c>.</summary>
    public static AgentDefinition Research(string name = "Research", string modelStackId = "local/offline") => new()
    {
        Name = name,
        Description = "Researches a topic.",
        ModelStackId = modelStackId,
        GoalPrompt = "Research {{topic}}.",
        InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"topic":{"type":"string","minLength":3}},"required":["topic"]}""").RootElement.Clone(),
        ResultType = AgentResultType.Document,
    };

    /// <summary>A document agent whose steps take 400 ms each (<c>local/offline-slow</c>), to watch and cancel.</summary>
    public static AgentDefinition Slow(string name = "Slow") => Research(name, "local/offline-slow");
}
