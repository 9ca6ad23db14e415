using System.Net;
using System.Text;
using Agentry.Core.Models;
using Agentry.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests;

public sealed class RequestBodyTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentCreate_MalformedJson_Answers400WithLineAndPosition()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsync("/v1/agents", new StringContent("{\n  \"name\": \"x\",\n  oops\n}", Encoding.UTF8, "application/json"), Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        problem.GetProperty("message").GetString()!.ShouldContain("line 3, position 3");
    }

    [Fact]
    public async Task ApiKeyCreate_FieldOfWrongType_Answers400MalformedJson()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsync("/v1/api-keys", new StringContent("{\"name\": 5}", Encoding.UTF8, "application/json"), Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        problem.GetProperty("message").GetString()!.ShouldContain("$.name");
    }

    [Fact]
    public async Task AgentCreate_WrongContentType_Answers415()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsync("/v1/agents", new StringContent("{}", Encoding.UTF8, "text/plain"), Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task AgentCreate_NoBody_Answers400()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsync("/v1/agents", null, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task AgentCreate_JsonNull_Answers400()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsync("/v1/agents", new StringContent("null", Encoding.UTF8, "application/json"), Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }
}

public sealed class RequestLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentCreate_BodyOverLimit_Answers413()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Limits:MaxJsonBodyBytes"] = "1024" });
        using var client = server.CreateAdminClient();
        var body = "{\"name\": \"" + new string('x', 2000) + "\"}";
        using var response = await client.PostAsync("/v1/agents", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task AgentCreate_ChunkedBodyOverLimit_Answers413()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Limits:MaxJsonBodyBytes"] = "1024" });
        using var client = server.CreateAdminClient();
        var bytes = Encoding.UTF8.GetBytes("{\"name\": \"" + new string('x', 5000) + "\"}");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/agents") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task UnhandledException_Answers500WithoutDetails()
    {
        // Without samples, nothing calls the registry at start.
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:SeedSamples"] = "false" });
        server.WithServices(services => services.AddSingleton<IModelStackRegistry, ThrowingRegistry>());
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/v1/model-stacks", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal");
        problem.GetRawText().ShouldNotContain("secret detail");
        problem.GetRawText().ShouldNotContain(nameof(ThrowingRegistry));
    }

    private sealed class ThrowingRegistry : IModelStackRegistry
    {
        public ModelStackResolution Resolve(string stackId) => throw new InvalidOperationException("secret detail");

        public IReadOnlyList<ModelStackInfo> Describe() => throw new InvalidOperationException("secret detail");
    }
}
