using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class AgentCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const string AgentJson = """
        {"name": "Researcher", "modelStackId": "local/offline", "goalPrompt": "Research {{topic}}.",
         "inputSchema": {"type": "object", "properties": {"topic": {"type": "string", "minLength": 3}}, "required": ["topic"]},
         "resultType": "document"}
        """;

    private readonly AgentryCli _cli = new(fixture.Server.Address, AgentryServerProcess.BootstrapKey);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Agents_CreateFromFileThenUpdatePublishDiffAndDelete_EachCommandDoesItsPart()
    {
        var file = Path.Combine(_cli.ConfigHome, "agent.json");
        await File.WriteAllTextAsync(file, AgentJson, Ct);

        var created = await _cli.RunAsync("agents", "create", "-f", file, "--json");

        created.ExitCode.ShouldBe(0, created.ToString());
        var id = created.Json.GetProperty("id").GetString()!;
        var firstRevision = created.Json.GetProperty("latestRevisionId").GetString()!;
        (await _cli.RunAsync("agents", "list", "--json")).Json.EnumerateArray().ShouldContain(a => a.GetProperty("id").GetString() == id);
        (await _cli.RunAsync("agents", "list")).Stdout.ShouldContain("Researcher");
        (await _cli.RunAsync("agents", "get", id)).Stdout.ShouldContain("Research {{topic}}.");

        var updated = await _cli.RunWithInputAsync("""{"goalPrompt": "Study {{topic}}."}""", "agents", "update", id, "-f", "-", "--json");

        updated.ExitCode.ShouldBe(0, updated.ToString());
        var secondRevision = updated.Json.GetProperty("latestRevisionId").GetString()!;
        secondRevision.ShouldNotBe(firstRevision);
        (await _cli.RunAsync("agents", "revisions", id, "--json")).Json.GetArrayLength().ShouldBe(2);
        var diff = await _cli.RunAsync("agents", "diff", id, "--from", firstRevision, "--to", secondRevision, "--json");
        diff.Json.GetProperty("diff").GetProperty("goalPrompt").GetProperty("to").GetString().ShouldBe("Study {{topic}}.");
        (await _cli.RunAsync("agents", "diff", id, "--from", firstRevision, "--to", secondRevision)).Stdout.ShouldContain("goalPrompt");

        var published = await _cli.RunAsync("agents", "publish", id, "--revision", firstRevision, "--json");

        published.Json.GetProperty("publishedRevisionId").GetString().ShouldBe(firstRevision);

        var deleted = await _cli.RunAsync("agents", "delete", id);

        deleted.ExitCode.ShouldBe(0, deleted.ToString());
        (await _cli.RunAsync("agents", "list", "--json")).Json.EnumerateArray().ShouldNotContain(a => a.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task AgentsCreate_InvalidAgent_ExitsWith2NamingEachField()
    {
        var file = Path.Combine(_cli.ConfigHome, "bad.json");
        await File.WriteAllTextAsync(file, """{"name": "Bad", "modelStackId": "local/offline", "inputSchema": {"type": "object"}, "resultType": "json"}""", Ct);

        var result = await _cli.RunAsync("agents", "create", "-f", file);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("/goalPrompt");
        result.Stderr.ShouldContain("/resultSchema");
    }

    [Fact]
    public async Task AgentsCreate_FileNotJson_ExitsWith2SayingWhere()
    {
        var file = Path.Combine(_cli.ConfigHome, "broken.json");
        await File.WriteAllTextAsync(file, "{\"name\": \"x\",\n  oops}", Ct);

        var result = await _cli.RunAsync("agents", "create", "-f", file);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("is not valid JSON at line 2");
    }

    [Fact]
    public async Task AgentsCreate_FileMissing_ExitsWith2()
    {
        var result = await _cli.RunAsync("agents", "create", "-f", "/nonexistent/agent.json");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("Cannot read /nonexistent/agent.json");
    }

    [Fact]
    public async Task SchemasValidate_ValidAndInvalidInstances_ExitWith0And2ListingEachViolation()
    {
        var schema = Path.Combine(_cli.ConfigHome, "schema.json");
        await File.WriteAllTextAsync(schema, """{"type": "object", "properties": {"depth": {"type": "integer", "maximum": 5}}, "required": ["topic"]}""", Ct);

        var valid = await _cli.RunWithInputAsync("""{"topic": "x", "depth": 2}""", "schemas", "validate", "-s", schema, "-i", "-");
        var invalid = await _cli.RunWithInputAsync("""{"depth": 9}""", "schemas", "validate", "-s", schema, "-i", "-");
        var json = await _cli.RunWithInputAsync("""{"depth": 9}""", "schemas", "validate", "-s", schema, "-i", "-", "--json");

        valid.ExitCode.ShouldBe(0, valid.ToString());
        valid.Stdout.ShouldContain("valid");
        invalid.ExitCode.ShouldBe(2, invalid.ToString());
        invalid.Stderr.ShouldContain("/depth");
        invalid.Stderr.ShouldContain("/topic");
        json.Json.GetProperty("valid").GetBoolean().ShouldBeFalse();
        json.Json.GetProperty("errors").GetArrayLength().ShouldBe(2);
    }
}
