using System.Net;
using System.Text;
using System.Text.Json;
using Agentry.JsonSchema;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.OpenApi;

/// <summary>The document against the running server: its examples are accepted, and real error answers are documented and fit the Problem schema.</summary>
public sealed class OpenApiContractTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestExamples_SentToTheServer_AreAccepted()
    {
        var document = await LoadAsync();
        using var admin = server.CreateAdminClient();

        var agent = await SendAsync(admin, HttpMethod.Post, "/v1/agents", Example(document, "/v1/agents", "post"), HttpStatusCode.Created);
        var agentId = agent.GetProperty("id").GetString();
        await SendAsync(admin, HttpMethod.Patch, $"/v1/agents/{agentId}", Example(document, "/v1/agents/{agentId}", "patch"), HttpStatusCode.OK);
        await SendAsync(admin, HttpMethod.Post, $"/v1/agents/{agentId}/runs", Example(document, "/v1/agents/{agentId}/runs", "post"), HttpStatusCode.Created);
        var batch = await SendAsync(admin, HttpMethod.Post, $"/v1/agents/{agentId}/runs/batch", Example(document, "/v1/agents/{agentId}/runs/batch", "post"), HttpStatusCode.Created);
        batch.GetProperty("items").GetArrayLength().ShouldBe(2);
        var validation = await SendAsync(admin, HttpMethod.Post, "/v1/schemas/validate", Example(document, "/v1/schemas/validate", "post"), HttpStatusCode.OK);
        validation.GetProperty("valid").GetBoolean().ShouldBeFalse();
        await SendAsync(admin, HttpMethod.Post, "/v1/api-keys", Example(document, "/v1/api-keys", "post"), HttpStatusCode.Created);
        await SendAsync(admin, HttpMethod.Post, "/v1/organizations", Example(document, "/v1/organizations", "post"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task ErrorAnswers_OfTheServer_AreDocumentedAndFitTheProblemSchema()
    {
        var document = await LoadAsync();
        var registry = new JsonSchemaRegistry();
        registry.Add("urn:agentry:openapi", document);
        using var reference = JsonDocument.Parse("""{ "$ref": "urn:agentry:openapi#/components/schemas/Problem" }""");
        var problemSchema = JsonSchemaCompiler.Compile(reference.RootElement, new JsonSchemaOptions { Registry = registry });
        using var admin = server.CreateAdminClient();
        using var anonymous = server.CreateClient();
        using var reader = server.CreateClient(await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read"));
        var agentId = (await SendAsync(admin, HttpMethod.Post, "/v1/agents", JsonSerializer.Serialize(TestAgents.Research()), HttpStatusCode.Created)).GetProperty("id").GetString();

        var cases = new (HttpClient Client, HttpMethod Method, string Template, string Url, string? Body, string ContentType, int Status)[]
        {
            (anonymous, HttpMethod.Get, "/v1/agents", "/v1/agents", null, "application/json", 401),
            (admin, HttpMethod.Get, "/v1/agents", "/v1/agents?limit=0", null, "application/json", 400),
            (admin, HttpMethod.Get, "/v1/agents/{agentId}", "/v1/agents/agt_missing", null, "application/json", 404),
            (reader, HttpMethod.Post, "/v1/agents", "/v1/agents", "{}", "application/json", 403),
            (admin, HttpMethod.Post, "/v1/agents", "/v1/agents", "name=x", "text/plain", 415),
            (admin, HttpMethod.Post, "/v1/agents", "/v1/agents", "{\"name\": ", "application/json", 400),
            (admin, HttpMethod.Post, "/v1/agents", "/v1/agents", $"{{\"name\": \"{new string('x', 1_100_000)}\"}}", "application/json", 413),
            (admin, HttpMethod.Post, "/v1/agents", "/v1/agents", "{}", "application/json", 422),
            (admin, HttpMethod.Post, "/v1/agents/{agentId}/runs", $"/v1/agents/{agentId}/runs", "{}", "application/json", 422),
            (admin, HttpMethod.Post, "/v1/schemas/validate", "/v1/schemas/validate", """{"schema": {"type": 5}, "instance": 1}""", "application/json", 422),
        };

        foreach (var (client, method, template, url, body, contentType, status) in cases)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType);
            }

            using var response = await client.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var what = $"{method} {url}";
            ((int)response.StatusCode).ShouldBe(status, $"{what}: {text}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
            using var problem = JsonDocument.Parse(text);
            problemSchema.Validate(problem.RootElement).Errors.Select(e => e.ToString()).ShouldBeEmpty(what);
            var documented = document.GetProperty("paths").GetProperty(template).GetProperty(method.Method.ToLowerInvariant()).GetProperty("responses");
            documented.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _).ShouldBeTrue($"{what}: {status} is not documented");
        }
    }

    private async Task<JsonElement> LoadAsync()
    {
        using var client = server.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct)).RootElement.Clone();
    }

    private static string Example(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("example").GetRawText();

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, string body, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, Ct);
        return await response.ShouldBeJsonAsync(status);
    }
}
