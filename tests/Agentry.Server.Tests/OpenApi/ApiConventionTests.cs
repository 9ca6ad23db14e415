using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests.OpenApi;

/// <summary>The documentation conventions (README, "Adding an endpoint") hold for every endpoint, and their check catches what is missing.</summary>
public sealed class ApiConventionTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryApiEndpoint_MeetsTheDocumentationConventions()
    {
        using var client = server.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;

        var failures = ApiConventionCheck.Check(document, ApiConventionCheck.DescribedEndpoints(server.Services.GetServices<EndpointDataSource>()));

        failures.ShouldBeEmpty("Each line names an endpoint and what to add (README, \"Adding an endpoint\"):\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Check_UndocumentedEndpoint_NamesEverythingToAdd()
    {
        var endpoint = Endpoint("/v1/things/{thingId}", "POST", new AuthorizeAttribute("runs:write"));
        using var document = JsonDocument.Parse(
            """
            { "paths": { "/v1/things/{thingId}": { "post": {
                "parameters": [ { "name": "thingId", "in": "path" }, { "name": "from", "in": "query" } ],
                "responses": {
                  "200": { "description": "OK" },
                  "404": { "description": "Not found", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } }
                } } } } }
            """);

        var failures = ApiConventionCheck.Check(document.RootElement, [endpoint]);

        failures.ShouldContain(f => f.Contains("no summary", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("no tag", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("the 200 answer has no body schema", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("no security requirement", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("parameter 'from' has no description", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("no request body", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("the 404 answer is not application/problem+json", StringComparison.Ordinal));
        foreach (var status in new[] { 400, 401, 403, 429, 500 })
        {
            failures.ShouldContain(f => f.Contains($"no {status} problem answer", StringComparison.Ordinal));
        }

        failures.ShouldAllBe(f => f.StartsWith("POST /v1/things/{thingId}", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EndpointMissingFromTheDocument_IsReported()
    {
        using var document = JsonDocument.Parse("""{ "paths": {} }""");

        var failures = ApiConventionCheck.Check(document.RootElement, [Endpoint("/v1/drives", "GET")]);

        failures.ShouldHaveSingleItem().ShouldContain("GET /v1/drives");
        failures[0].ShouldContain("not in the document");
    }

    private static RouteEndpoint Endpoint(string pattern, string method, params object[] metadata) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection([new HttpMethodMetadata([method]), .. metadata]), pattern);
}
