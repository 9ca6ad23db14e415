using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.Core.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tests.Tools;

public sealed class SearchToolsTests : IAsyncLifetime
{
    private const string BraveKey = "BSA-test-key-0123456789";
    private const string TavilyKey = "tvly-test-key-0123456789";

    private const string SearxngAnswer = """
        { "query": "solar power", "number_of_results": 3, "results": [
          { "url": "https://example.org/solar", "title": "Solar <b>power</b>", "content": "Panels  are\n cheap &amp; getting cheaper.", "engine": "duckduckgo", "publishedDate": "2026-11-30T08:00:00" },
          { "url": "https://example.org/solar", "title": "Duplicate", "content": "Same page from another engine." },
          { "url": "javascript:alert(1)", "title": "Not a page" },
          { "url": "https://example.org/storage", "title": "", "content": null, "publishedDate": null }
        ] }
        """;

    private const string BraveWebAnswer = """
        { "type": "search", "query": { "original": "solar power" }, "web": { "type": "search", "results": [
          { "title": "Solar power - Wikipedia", "url": "https://en.wikipedia.org/wiki/Solar_power", "description": "<strong>Solar power</strong> is the conversion of energy from sunlight.", "age": "2 days ago", "page_age": "2026-11-29T10:00:00" },
          { "title": "Second", "url": "https://example.org/2", "description": "Another." }
        ] } }
        """;

    private const string BraveNewsAnswer = """
        { "type": "news", "query": { "original": "solar tariffs" }, "results": [
          { "title": "Tariffs hit panels", "url": "https://news.example/tariffs", "description": "Import duties rise.", "age": "3 hours ago", "page_age": "2026-12-01T09:30:00" }
        ] }
        """;

    private const string TavilyAnswer = """
        { "query": "solar tariffs", "answer": null, "response_time": 0.8, "results": [
          { "title": "Tariffs hit panels", "url": "https://news.example/tariffs", "content": "Import duties on panels rise next year.", "score": 0.91, "published_date": "Tue, 01 Dec 2026 09:30:00 GMT" }
        ] }
        """;

    private readonly RecordingApi _api = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddAgentryTools(configuration)
            .BuildServiceProvider();
    }

    private Dictionary<string, string?> Brave() => new()
    {
        ["Agentry:Tools:Search:Provider"] = "brave",
        ["BRAVE_API_KEY"] = BraveKey,
        ["Agentry:Tools:Search:BaseUrl"] = _api.BaseUrl,
    };

    private static RunContext Context(params string[] builtins)
    {
        var config = TestRuns.Config() with { Tools = [.. builtins.Select(type => new ToolSpec { Source = "builtin", Type = type })] };
        return TestRuns.Context(config, "{}", new RecordingEventSink());
    }

    private static async Task<AIFunction> ToolAsync(ServiceProvider services, string name)
    {
        var provider = services.GetRequiredService<IAgentToolProvider>();
        var tools = await provider.GetToolsAsync(Context(name), TestContext.Current.CancellationToken);
        return tools.ShouldHaveSingleItem();
    }

    private static async Task<JsonElement> InvokeAsync(AIFunction tool, string query, string? freshness = null)
    {
        var arguments = new AIFunctionArguments { ["query"] = query };
        if (freshness is not null)
        {
            arguments["freshness"] = freshness;
        }

        var output = await tool.InvokeAsync(arguments, TestContext.Current.CancellationToken);
        return JsonSerializer.SerializeToElement(output, AIJsonUtilities.DefaultOptions);
    }

    [Fact]
    public async Task Searxng_SearchWeb_AsksForJsonInTheGeneralCategory_AndMapsDistinctPageResults()
    {
        _api.Answer(SearxngAnswer);
        using var services = Services(new()
        {
            ["Agentry:Tools:Search:Provider"] = "SearXNG",
            ["Agentry:Tools:Search:SearxngUrl"] = _api.BaseUrl + "/searx",
        });

        var output = await InvokeAsync(await ToolAsync(services, "searchWeb"), "solar power");

        var request = _api.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Target.ShouldBe("/searx/search?q=solar%20power&format=json&categories=general");
        output.GetProperty("query").GetString().ShouldBe("solar power");
        var results = output.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(2);
        results[0].GetProperty("title").GetString().ShouldBe("Solar power");
        results[0].GetProperty("url").GetString().ShouldBe("https://example.org/solar");
        results[0].GetProperty("snippet").GetString().ShouldBe("Panels are cheap & getting cheaper.");
        results[0].GetProperty("publishedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        results[1].GetProperty("title").GetString().ShouldBe("https://example.org/storage");
        results[1].TryGetProperty("snippet", out _).ShouldBeFalse();
        output.TryGetProperty("note", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Searxng_SearchNews_UsesTheNewsCategoryAndTimeRange_AndCutsToMaxResults()
    {
        _api.Answer(SearxngAnswer);
        using var services = Services(new()
        {
            ["Agentry:Tools:Search:Provider"] = "searxng",
            ["Agentry:Tools:Search:SearxngUrl"] = _api.BaseUrl,
            ["Agentry:Tools:Search:MaxResults"] = "1",
        });

        var output = await InvokeAsync(await ToolAsync(services, "searchNews"), "solar", "Week");

        _api.Requests.ShouldHaveSingleItem().Target.ShouldBe("/search?q=solar&format=json&categories=news&time_range=week");
        output.GetProperty("results").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Brave_SearchWeb_SendsTheSubscriptionTokenAndCount_AndMapsWebResultsAsPlainText()
    {
        _api.Answer(BraveWebAnswer);
        using var services = Services(Brave());

        var output = await InvokeAsync(await ToolAsync(services, "searchWeb"), "solar power");

        var request = _api.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Target.ShouldBe("/res/v1/web/search?q=solar%20power&count=8");
        request.Headers["X-Subscription-Token"].ShouldBe(BraveKey);
        request.Headers["Accept"].ShouldContain("application/json");
        var results = output.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(2);
        results[0].GetProperty("title").GetString().ShouldBe("Solar power - Wikipedia");
        results[0].GetProperty("snippet").GetString().ShouldBe("Solar power is the conversion of energy from sunlight.");
        results[0].GetProperty("publishedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Brave_SearchNews_UsesTheNewsEndpointAndFreshness_AndReadsTopLevelResults()
    {
        _api.Answer(BraveNewsAnswer);
        using var services = Services(Brave());

        var output = await InvokeAsync(await ToolAsync(services, "searchNews"), "solar tariffs", "day");

        _api.Requests.ShouldHaveSingleItem().Target.ShouldBe("/res/v1/news/search?q=solar%20tariffs&count=8&freshness=pd");
        var result = output.GetProperty("results").EnumerateArray().ShouldHaveSingleItem();
        result.GetProperty("url").GetString().ShouldBe("https://news.example/tariffs");
        result.GetProperty("publishedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Brave_SearchWithNoWebSection_ReturnsNoResultsWithANote()
    {
        _api.Answer("""{ "type": "search", "query": { "original": "xyzzy" } }""");
        using var services = Services(Brave());

        var output = await InvokeAsync(await ToolAsync(services, "searchWeb"), "xyzzy");

        output.GetProperty("results").GetArrayLength().ShouldBe(0);
        output.GetProperty("note").GetString()!.ShouldContain("No results");
    }

    [Theory]
    [InlineData("searchWeb", "general", null)]
    [InlineData("searchNews", "news", "month")]
    public async Task Tavily_Search_PostsJsonWithTheKeyTopicAndLimit_AndMapsResults(string tool, string topic, string? freshness)
    {
        _api.Answer(TavilyAnswer);
        using var services = Services(new()
        {
            ["Agentry:Tools:Search:Provider"] = "tavily",
            ["TAVILY_API_KEY"] = TavilyKey,
            ["Agentry:Tools:Search:BaseUrl"] = _api.BaseUrl,
            ["Agentry:Tools:Search:MaxResults"] = "5",
        });

        var output = await InvokeAsync(await ToolAsync(services, tool), "solar tariffs", freshness);

        var request = _api.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Target.ShouldBe("/search");
        request.Headers["Authorization"].ShouldBe($"Bearer {TavilyKey}");
        request.Headers["Content-Type"].ShouldStartWith("application/json");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("api_key").GetString().ShouldBe(TavilyKey);
        body.RootElement.GetProperty("query").GetString().ShouldBe("solar tariffs");
        body.RootElement.GetProperty("topic").GetString().ShouldBe(topic);
        body.RootElement.GetProperty("max_results").GetInt32().ShouldBe(5);
        if (freshness is null)
        {
            body.RootElement.TryGetProperty("time_range", out _).ShouldBeFalse();
        }
        else
        {
            body.RootElement.GetProperty("time_range").GetString().ShouldBe(freshness);
        }

        var result = output.GetProperty("results").EnumerateArray().ShouldHaveSingleItem();
        result.GetProperty("title").GetString().ShouldBe("Tariffs hit panels");
        result.GetProperty("snippet").GetString().ShouldBe("Import duties on panels rise next year.");
        result.GetProperty("publishedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Search_ProviderAnswersAnHttpError_IsAToolErrorWithoutTheKey()
    {
        // A provider (or a proxy in front of it) that echoes the request, key included, in its error.
        _api.Answer($$"""{ "error": { "code": "SUBSCRIPTION_TOKEN_INVALID", "detail": "The token '{{BraveKey}}' is not valid." } }""", status: 401);
        using var services = Services(Brave());
        var tool = await ToolAsync(services, "searchWeb");

        var failure = await Should.ThrowAsync<ToolException>(() => InvokeAsync(tool, "solar"));

        failure.Message.ShouldContain("Brave Search answered 401");
        failure.Message.ShouldContain("SUBSCRIPTION_TOKEN_INVALID");
        failure.Message.ShouldNotContain(BraveKey);
    }

    [Fact]
    public async Task Search_ProviderAnswersInvalidJson_IsAToolError()
    {
        _api.Answer("<html>Too many requests, try later</html>");
        using var services = Services(Brave());
        var tool = await ToolAsync(services, "searchNews");

        var failure = await Should.ThrowAsync<ToolException>(() => InvokeAsync(tool, "solar"));

        failure.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public async Task Search_ProviderTooSlow_IsAToolErrorNamingTheLimit()
    {
        _api.Answer(BraveWebAnswer);
        _api.Delay = TimeSpan.FromSeconds(5);
        var settings = Brave();
        settings["Agentry:Tools:Search:TimeoutSeconds"] = "1";
        using var services = Services(settings);
        var tool = await ToolAsync(services, "searchWeb");

        var failure = await Should.ThrowAsync<ToolException>(() => InvokeAsync(tool, "solar"));

        failure.Message.ShouldContain("did not answer within 1 s");
    }

    [Fact]
    public async Task Search_BadFreshnessOrEmptyQuery_IsAToolErrorAndSendsNothing()
    {
        using var services = Services(Brave());
        var tool = await ToolAsync(services, "searchNews");

        (await Should.ThrowAsync<ToolException>(() => InvokeAsync(tool, "solar", "fortnight"))).Message.ShouldContain("day, week, month or year");
        (await Should.ThrowAsync<ToolException>(() => InvokeAsync(tool, "  "))).Message.ShouldContain("empty");
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_ModelSearchesTheWeb_RecordsTheHitsAsToolOutputButNotAsSources()
    {
        _api.Answer(BraveWebAnswer);
        var client = new ScriptedChatClient()
            .ThenText("Plan: search.")
            .Then(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "searchWeb", new Dictionary<string, object?> { ["query"] = "solar power" })]))
            {
                ModelId = "scripted",
                FinishReason = ChatFinishReason.ToolCalls,
            })
            .ThenText("Found leads.")
            .ThenText("Solar power converts sunlight.");
        using var services = Services(Brave());
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "builtin", Type = "searchWeb" }] };
        var sink = new RecordingEventSink();

        var outcome = await TestRuntime.Loop(scripted: client, tools: [.. services.GetServices<IAgentToolProvider>()])
            .ExecuteAsync(TestRuns.Context(config, "{}", sink), TestContext.Current.CancellationToken);

        var call = sink.Events.Single(e => e.Type == RunEventTypes.ToolCall);
        call.Data.GetProperty("output").GetProperty("results")[0].GetProperty("url").GetString().ShouldBe("https://en.wikipedia.org/wiki/Solar_power");
        outcome.Sources.ShouldBeEmpty();
        sink.Types.ShouldNotContain(RunEventTypes.Source);
    }

    [Fact]
    public async Task Run_WithSearchButNoProviderConfigured_FailsAtStartWithToolUnavailableNamingTheSetting()
    {
        using var services = Services([]);
        var providers = services.GetServices<IAgentToolProvider>().ToArray();
        (await providers.OfType<BuiltinToolProvider>().Single().GetToolsAsync(Context("searchWeb", "searchNews", "codeInterpreter"), TestContext.Current.CancellationToken))
            .Select(t => t.Name).ShouldBe(["codeInterpreter"]);
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "builtin", Type = "searchNews" }] };
        var client = new ScriptedChatClient();

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop(scripted: client, tools: providers).ExecuteAsync(TestRuns.Context(config, "{}", new RecordingEventSink()), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.ToolUnavailable);
        failure.Message.ShouldContain("'searchNews'");
        failure.Message.ShouldContain("set Agentry:Tools:Search:Provider (searxng, brave or tavily)");
        client.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Options_KeysComeFromSettingsOrTheEnvironment_SettingsFirst()
    {
        using var fromEnvironment = Services(new() { ["Agentry:Tools:Search:Provider"] = "brave", ["BRAVE_API_KEY"] = " env-key-123 " });
        fromEnvironment.GetRequiredService<IOptions<ToolsOptions>>().Value.Search.BraveApiKey.ShouldBe("env-key-123");

        using var fromSettings = Services(new()
        {
            ["Agentry:Tools:Search:Provider"] = "tavily",
            ["Agentry:Tools:Search:TavilyApiKey"] = "settings-key-123",
            ["TAVILY_API_KEY"] = "env-key-123",
        });
        var search = fromSettings.GetRequiredService<IOptions<ToolsOptions>>().Value.Search;
        search.TavilyApiKey.ShouldBe("settings-key-123");
        search.MaxResults.ShouldBe(8);
        search.TimeoutSeconds.ShouldBe(15);
    }

    [Theory]
    [InlineData("Provider", "bing", null, null, "Agentry:Tools:Search:Provider is 'bing'")]
    [InlineData("Provider", "searxng", null, null, "Agentry:Tools:Search:SearxngUrl is required")]
    [InlineData("Provider", "searxng", "SearxngUrl", "searxng:8080", "Agentry:Tools:Search:SearxngUrl must be an absolute http or https URL")]
    [InlineData("Provider", "brave", null, null, "Agentry:Tools:Search:BraveApiKey (or the environment variable BRAVE_API_KEY) is required")]
    [InlineData("Provider", "tavily", null, null, "Agentry:Tools:Search:TavilyApiKey (or the environment variable TAVILY_API_KEY) is required")]
    [InlineData("MaxResults", "50", null, null, "Agentry:Tools:Search:MaxResults must be at most 20")]
    [InlineData("TimeoutSeconds", "never", null, null, "Agentry:Tools:Search:TimeoutSeconds must be a positive integer")]
    [InlineData("BaseUrl", "ftp://x", null, null, "Agentry:Tools:Search:BaseUrl must be an absolute http or https URL")]
    public void Options_BadSearchSettings_StopTheStartNamingTheKey(string name, string value, string? otherName, string? otherValue, string expected)
    {
        var settings = new Dictionary<string, string?> { [$"Agentry:Tools:Search:{name}"] = value };
        if (otherName is not null)
        {
            settings[$"Agentry:Tools:Search:{otherName}"] = otherValue;
        }

        using var services = Services(settings);

        var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<ToolsOptions>>().Value);
        failure.Message.ShouldContain(expected);
    }
}
