using System.Net;
using System.Text.Json;
using Agentry.JsonSchema;
using Agentry.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Agentry.Server.Tests.OpenApi;

public sealed class OpenApiDocumentTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private const string DocumentUri = "urn:agentry:openapi";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_WithoutKey_Answers200Json()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Document_EveryMappedV1Route_IsDescribedWithItsMethod()
    {
        var paths = (await LoadAsync()).Root.GetProperty("paths");
        var missing = new List<string>();
        var endpoints = ApiConventionCheck.DescribedEndpoints(server.Services.GetServices<EndpointDataSource>());
        endpoints.Count.ShouldBeGreaterThan(30);
        foreach (var endpoint in endpoints)
        {
            var path = ApiConventionCheck.PathOf(endpoint);
            foreach (var method in ApiConventionCheck.MethodsOf(endpoint))
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        missing.ShouldBeEmpty();
    }

    [Fact]
    public async Task Document_EveryOperation_IsAMappedRoute()
    {
        var mapped = ApiConventionCheck.DescribedEndpoints(server.Services.GetServices<EndpointDataSource>())
            .SelectMany(e => ApiConventionCheck.MethodsOf(e).Select(m => $"{m.ToUpperInvariant()} {ApiConventionCheck.PathOf(e)}"))
            .ToHashSet(StringComparer.Ordinal);
        var described = (await LoadAsync()).Root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToList();

        described.ShouldContain("GET /healthz");
        described.ShouldContain("GET /readyz");
        described.Where(d => !mapped.Contains(d)).ShouldBeEmpty();
        described.ShouldNotContain(d => d.Contains("/v0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Document_ReadWithMicrosoftOpenApi_HasNoErrorsOrWarnings()
    {
        var (text, _) = await LoadAsync();
        var result = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());

        result.Diagnostic.ShouldNotBeNull();
        result.Diagnostic.Errors.Select(e => e.ToString()).ShouldBeEmpty();
        result.Diagnostic.Warnings.Select(e => e.ToString()).ShouldBeEmpty();
        result.Diagnostic.SpecificationVersion.ShouldBe(OpenApiSpecVersion.OpenApi3_1);
        var document = result.Document.ShouldNotBeNull();
        document.Validate(ValidationRuleSet.GetDefaultRuleSet()).Select(e => e.ToString()).ShouldBeEmpty();
        document.Paths.Count.ShouldBeGreaterThan(25);
    }

    [Fact]
    public async Task Document_AgainstTheOpenApi31JsonSchema_IsValid()
    {
        var schema = await OpenApi31SchemaAsync();

        var result = schema.Validate((await LoadAsync()).Root);

        result.Errors.Select(e => e.ToString()).ShouldBeEmpty();
        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task OpenApi31JsonSchema_ResponseWithoutDescription_IsInvalid()
    {
        var schema = await OpenApi31SchemaAsync();
        var (text, _) = await LoadAsync();
        var broken = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        broken["paths"]!["/v1/agents"]!["get"]!["responses"]!["200"]!.AsObject().Remove("description");

        var result = schema.Validate(JsonSerializer.SerializeToElement(broken));

        result.IsValid.ShouldBeFalse();
    }

    private static async Task<CompiledSchema> OpenApi31SchemaAsync()
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "OpenApi", "openapi-3.1-schema.json"), Ct));
        return JsonSchemaCompiler.Compile(file.RootElement, new JsonSchemaOptions { FormatAssertion = true });
    }

    [Fact]
    public async Task Document_EveryExample_MatchesItsSchema()
    {
        var root = (await LoadAsync()).Root;
        var registry = new JsonSchemaRegistry();
        registry.Add(DocumentUri, root);
        var options = new JsonSchemaOptions { Registry = registry };
        var checkedExamples = 0;
        var failures = new List<string>();
        foreach (var (pointer, media) in MediaTypes(root))
        {
            if (!media.TryGetProperty("example", out var example) || !media.TryGetProperty("schema", out _))
            {
                continue;
            }

            using var reference = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["$ref"] = $"{DocumentUri}#{pointer}/schema" }));
            var result = JsonSchemaCompiler.Compile(reference.RootElement, options).Validate(example);
            failures.AddRange(result.Errors.Select(e => $"{pointer}: {e}"));
            checkedExamples++;
        }

        failures.ShouldBeEmpty();
        checkedExamples.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task Document_EveryReference_Resolves()
    {
        var root = (await LoadAsync()).Root;
        var unresolved = References(root).Where(r => !r.StartsWith("#/", StringComparison.Ordinal) || Resolve(root, r[1..]) is null).Distinct().ToList();
        unresolved.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/v1/agents", "post")]
    [InlineData("/v1/agents/{agentId}", "patch")]
    [InlineData("/v1/agents/{agentId}/runs", "post")]
    [InlineData("/v1/agents/{agentId}/runs/batch", "post")]
    [InlineData("/v1/schemas/validate", "post")]
    public async Task Document_RequestBody_HasSchemaAndExample(string path, string method)
    {
        var operation = (await LoadAsync()).Root.GetProperty("paths").GetProperty(path).GetProperty(method);
        var json = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        json.TryGetProperty("schema", out _).ShouldBeTrue();
        json.GetProperty("example").ValueKind.ShouldBe(JsonValueKind.Object);
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ShouldContain("422");
    }

    [Theory]
    [InlineData("/v1/runs/stream")]
    [InlineData("/v1/runs/{runId}/events/stream")]
    [InlineData("/v1/agents/{agentId}/runs/{runId}/events/stream")]
    [InlineData("/v1/runs/{runId}/events")]
    public async Task Document_EventStream_IsTextEventStream(string path)
    {
        var ok = (await LoadAsync()).Root.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200");
        ok.GetProperty("content").GetProperty("text/event-stream").GetProperty("schema").GetProperty("type").GetString().ShouldBe("string");
    }

    [Fact]
    public async Task Document_SecuredAndAnonymousOperations_DeclareTheirSecurity()
    {
        var paths = (await LoadAsync()).Root.GetProperty("paths");
        var start = paths.GetProperty("/v1/agents/{agentId}/runs").GetProperty("post");
        start.GetProperty("security").EnumerateArray().Select(s => s.EnumerateObject().Single().Name).ShouldBe(["ApiKey", "Bearer"]);
        start.GetProperty("security")[0].GetProperty("ApiKey").EnumerateArray().Select(s => s.GetString()).ShouldBe(["runs:write"]);
        paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _).ShouldBeFalse();
    }

    private async Task<(string Text, JsonElement Root)> LoadAsync()
    {
        using var client = server.CreateClient();
        var text = await client.GetStringAsync("/openapi/v1.json", Ct);
        return (text, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Every media type object of every request body and response, with its JSON Pointer.</summary>
    private static IEnumerable<(string Pointer, JsonElement Media)> MediaTypes(JsonElement root)
    {
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var at = $"/paths/{Escape(path.Name)}/{operation.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    foreach (var media in body.GetProperty("content").EnumerateObject())
                    {
                        yield return ($"{at}/requestBody/content/{Escape(media.Name)}", media.Value);
                    }
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (response.Value.TryGetProperty("content", out var content))
                    {
                        foreach (var media in content.EnumerateObject())
                        {
                            yield return ($"{at}/responses/{response.Name}/content/{Escape(media.Name)}", media.Value);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<string> References(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }

                    foreach (var nested in References(property.Value))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var nested in element.EnumerateArray().SelectMany(References))
                {
                    yield return nested;
                }

                break;
        }
    }

    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(token, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
