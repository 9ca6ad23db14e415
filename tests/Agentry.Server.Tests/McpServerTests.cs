using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class McpServerTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/v1/mcp-servers")]
    [InlineData("/v0.1/mcp-servers")]
    public async Task McpServers_List_ShowsTheStdioServerWithItsTools(string path)
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync(path, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("total").GetInt32().ShouldBe(1);
        body.GetProperty("limit").GetInt32().ShouldBePositive();
        body.GetProperty("offset").GetInt32().ShouldBe(0);
        var files = body.GetProperty("items").EnumerateArray().Single();
        files.GetProperty("id").GetString().ShouldBe("files");
        files.GetProperty("transport").GetString().ShouldBe("stdio");
        files.GetProperty("available").GetBoolean().ShouldBeTrue();
        var tools = files.GetProperty("tools").EnumerateArray().ToList();
        tools.Select(t => t.GetProperty("name").GetString()).ShouldBe(["read", "search", "fail"]);
        tools[0].GetProperty("description").GetString().ShouldBe("Reads a file.");
    }

    [Fact]
    public async Task McpServers_BadConfiguration_StopsTheStartNamingTheKey()
    {
        await using var bad = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Mcp:Servers:web:Url"] = "ftp://example.com/mcp" });

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => bad.CreateAdminClient().Dispose());

        error.Message.ShouldContain("Agentry:Mcp:Servers:web:Url");
    }
}
