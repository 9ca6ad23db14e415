using System.Net;
using System.Text.Json;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

public sealed class AgentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAgent_ValidDefinition_AnswersTheAgentThatGetAndListShow()
    {
        var created = await _client.CreateAgentAsync(TestAgents.Research("Created"), Ct);

        created.Id.ShouldStartWith("agt_");
        created.Name.ShouldBe("Created");
        created.ResultType.ShouldBe(AgentResultType.Document);
        created.IsPublished.ShouldBeFalse();
        created.HasChanges.ShouldBeTrue();
        var fetched = await _client.GetAgentAsync(created.Id, Ct);
        fetched.GoalPrompt.ShouldBe("Research {{topic}}.");
        fetched.InputSchema.GetProperty("required")[0].GetString().ShouldBe("topic");
        var page = await _client.ListAgentsAsync(limit: 100, cancellationToken: Ct);
        page.Items.ShouldContain(a => a.Id == created.Id);
        page.Limit.ShouldBe(100);
    }

    [Fact]
    public async Task CreateAgentFromJson_BodyAsApiMdShowsIt_CreatesTheAgent()
    {
        var body = JsonDocument.Parse("""
            {"name":"From file","modelStackId":"local/offline","goalPrompt":"Summarise {{topic}}.",
             "inputSchema":{"type":"object","properties":{"topic":{"type":"string"}}},"resultType":"document"}
            """).RootElement;

        var agent = await _client.CreateAgentFromJsonAsync(body, Ct);

        agent.Name.ShouldBe("From file");
        agent.Tools.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateAgent_InvalidDefinition_ThrowsOneTypedErrorWithEveryFieldError()
    {
        var invalid = TestAgents.Research() with { GoalPrompt = null, ResultType = AgentResultType.Json };

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.CreateAgentAsync(invalid, Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.ErrorCode.ShouldBe("invalid_agent");
        error.FieldErrors.Select(e => e.Path).ShouldContain("/goalPrompt");
        error.FieldErrors.Select(e => e.Path).ShouldContain("/resultSchema");
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task UpdateAgent_ConfigurationChange_MakesARevisionThatDiffPublishAndGetShow()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Revised"), Ct);

        var updated = await _client.UpdateAgentAsync(agent.Id, new AgentDefinition { GoalPrompt = "Study {{topic}}." }, Ct);
        var renamed = await _client.UpdateAgentFromJsonAsync(agent.Id, JsonDocument.Parse("""{"description":null}""").RootElement, Ct);

        updated.LatestRevisionId.ShouldNotBe(agent.LatestRevisionId);
        renamed.LatestRevisionId.ShouldBe(updated.LatestRevisionId);
        renamed.Description.ShouldBeNull();
        var revisions = await _client.ListRevisionsAsync(agent.Id, cancellationToken: Ct);
        revisions.Items.Select(r => r.Id).ShouldBe([updated.LatestRevisionId, agent.LatestRevisionId]);
        var first = await _client.GetRevisionAsync(agent.Id, agent.LatestRevisionId, Ct);
        first.Config.GoalPrompt.ShouldBe("Research {{topic}}.");
        var diff = await _client.DiffRevisionsAsync(agent.Id, agent.LatestRevisionId, updated.LatestRevisionId, Ct);
        diff.Diff.Keys.ShouldBe(["goalPrompt"]);
        diff.Diff["goalPrompt"].To.GetString().ShouldBe("Study {{topic}}.");

        var published = await _client.PublishAgentAsync(agent.Id, agent.LatestRevisionId, Ct);

        published.PublishedRevisionId.ShouldBe(agent.LatestRevisionId);
        published.HasChanges.ShouldBeTrue();
        (await _client.PublishAgentAsync(agent.Id, cancellationToken: Ct)).PublishedRevisionId.ShouldBe(updated.LatestRevisionId);
    }

    [Fact]
    public async Task DeleteAgent_Deleted_IsLeftOutOfListsAndRefusesChangesWithNotFound()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Deleted"), Ct);

        await _client.DeleteAgentAsync(agent.Id, Ct);

        (await _client.ListAgentsAsync(limit: 100, cancellationToken: Ct)).Items.ShouldNotContain(a => a.Id == agent.Id);
        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.UpdateAgentAsync(agent.Id, new AgentDefinition { Name = "Back" }, Ct));
        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.ErrorCode.ShouldBe("not_found");
    }

    [Fact]
    public async Task GetAgent_Unknown_ThrowsNotFound()
    {
        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.GetAgentAsync("agt_unknown", Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.ErrorCode.ShouldBe("not_found");
    }

    [Fact]
    public async Task ListModelStacks_OfflineStack_IsAvailable()
    {
        var stacks = await _client.ListModelStacksAsync(limit: 100, cancellationToken: Ct);

        stacks.Items.ShouldContain(s => s.Id == "local/offline" && s.Available);
    }

    [Fact]
    public async Task ListMcpServers_NoneConfigured_AnswersAnEmptyPage()
    {
        var servers = await _client.ListMcpServersAsync(cancellationToken: Ct);

        servers.Items.ShouldBeEmpty();
        servers.Total.ShouldBe(0);
    }

    [Fact]
    public async Task ValidateSchema_ValidAndInvalidInstances_AnswerEveryViolation()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"depth":{"type":"integer","maximum":5}},"required":["topic"]}""").RootElement;

        var valid = await _client.ValidateSchemaAsync(schema, JsonDocument.Parse("""{"topic":"x","depth":2}""").RootElement, cancellationToken: Ct);
        var invalid = await _client.ValidateSchemaAsync(schema, JsonDocument.Parse("""{"depth":9}""").RootElement, new SchemaValidationOptions { FormatAssertion = false }, Ct);

        valid.Valid.ShouldBeTrue();
        invalid.Valid.ShouldBeFalse();
        invalid.Errors.Select(e => e.Path).ShouldBe(["/depth", "/topic"], ignoreOrder: true);
    }

    [Fact]
    public async Task ValidateSchema_InvalidSchema_ThrowsInvalidSchema()
    {
        var schema = JsonDocument.Parse("""{"type":"nonsense"}""").RootElement;

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.ValidateSchemaAsync(schema, JsonDocument.Parse("1").RootElement, cancellationToken: Ct));

        error.ErrorCode.ShouldBe("invalid_schema");
        error.FieldErrors.ShouldNotBeEmpty();
    }
}
