namespace Agentry.Server.Tests.Infrastructure;

/// <summary>Agent bodies for tests.</summary>
public static class TestAgents
{
    /// <summary>A valid document agent on the offline model stack.</summary>
    public static Dictionary<string, object?> Research(string name = "Research") => new()
    {
        ["name"] = name,
        ["description"] = "Researches a topic.",
        ["modelStackId"] = "local/offline",
        ["goalPrompt"] = "Research {{topic}}.",
        ["inputSchema"] = new Dictionary<string, object?>
        {
            ["type"] = "object",
            ["properties"] = new Dictionary<string, object?> { ["topic"] = new { type = "string" } },
            ["required"] = new[] { "topic" },
        },
        ["tools"] = new object[] { new { source = "builtin", type = "searchWeb" } },
        ["resultType"] = "document",
    };

    /// <summary>A valid json agent with a result schema.</summary>
    public static Dictionary<string, object?> JsonResult(string name = "Brief")
    {
        var agent = Research(name);
        agent["resultType"] = "json";
        agent["resultSchema"] = new Dictionary<string, object?>
        {
            ["type"] = "object",
            ["properties"] = new Dictionary<string, object?> { ["summary"] = new { type = "string" } },
            ["required"] = new[] { "summary" },
        };
        return agent;
    }
}
