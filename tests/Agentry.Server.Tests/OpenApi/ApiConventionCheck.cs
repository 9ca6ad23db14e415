using System.Text.Json;
using Agentry.Server.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Agentry.Server.Tests.OpenApi;

/// <summary>
/// The documentation conventions every API endpoint must meet (README, "Adding an endpoint"), checked against the
/// served document: each failure names the endpoint and what to add, so whoever maps a new endpoint is told exactly.
/// </summary>
internal static class ApiConventionCheck
{
    private static readonly HashSet<string> MethodsWithBody = new(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH" };

    /// <summary>The endpoints the document must describe: everything under <c>/v1</c>, and the health checks.</summary>
    public static IReadOnlyList<RouteEndpoint> DescribedEndpoints(IEnumerable<EndpointDataSource> sources) =>
        [.. sources.SelectMany(static s => s.Endpoints).OfType<RouteEndpoint>().Where(static e => IsDescribed(PathOf(e)))];

    /// <summary>The path of <paramref name="endpoint"/> as the document writes it: <c>/v1/runs/{runId}</c>.</summary>
    public static string PathOf(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(static segment => string.Concat(segment.Parts.Select(static part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        })));
        return "/" + string.Join('/', segments);
    }

    /// <summary>The methods of <paramref name="endpoint"/>; a health check maps every method and is documented as GET.</summary>
    public static IReadOnlyList<string> MethodsOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? [.. methods] : ["GET"];

    /// <summary>Every way in which the document fails the conventions for <paramref name="endpoints"/>; empty when none.</summary>
    public static List<string> Check(JsonElement document, IEnumerable<RouteEndpoint> endpoints)
    {
        var failures = new List<string>();
        var paths = document.GetProperty("paths");
        foreach (var endpoint in endpoints)
        {
            foreach (var method in MethodsOf(endpoint))
            {
                var where = $"{method} {PathOf(endpoint)} ({endpoint.DisplayName})";
                if (!paths.TryGetProperty(PathOf(endpoint), out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
                {
                    failures.Add($"{where}: not in the document; it is left out only with .ExcludeFromDescription(), which API endpoints must not use.");
                    continue;
                }

                CheckOperation(where, method, operation, endpoint.Metadata, failures);
            }
        }

        return failures;
    }

    private static void CheckOperation(string where, string method, JsonElement operation, EndpointMetadataCollection metadata, List<string> failures)
    {
        void Fail(string what) => failures.Add($"{where}: {what}");

        if (string.IsNullOrWhiteSpace(Text(operation, "summary")))
        {
            Fail("no summary; add .WithSummary(\"…\").");
        }

        if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
        {
            Fail("no tag; add .WithTags(\"…\") to its group.");
        }

        var responses = operation.TryGetProperty("responses", out var r) ? r.EnumerateObject().ToList() : [];
        var successes = responses.Where(static p => p.Name.StartsWith('2')).ToList();
        if (successes.Count == 0)
        {
            Fail("no success answer; return TypedResults (Ok<T>, Created<T>, …) or add .Produces<T>(status).");
        }

        foreach (var success in successes.Where(static s => s.Name != "204"))
        {
            if (!success.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any(static c => c.Value.TryGetProperty("schema", out _)))
            {
                Fail($"the {success.Name} answer has no body schema; add .Produces<T>({success.Name}), or .ProducesEventStream(\"…\") for server-sent events.");
            }
        }

        var anonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
        var scoped = metadata.GetOrderedMetadata<IAuthorizeData>().Any(static a => a.Policy is not null);
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var expected = new SortedSet<int> { 500 };
        if (!anonymous)
        {
            expected.UnionWith([401, 429]);
            var schemes = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(static s => s.EnumerateObject().Select(static o => o.Name)).ToHashSet(StringComparer.Ordinal)
                : [];
            if (!schemes.SetEquals(["ApiKey", "Bearer"]))
            {
                Fail("no security requirement for the ApiKey and Bearer schemes; is the operation transformer registered (AddAgentryOpenApi)?");
            }
        }

        if (scoped)
        {
            expected.Add(403);
        }

        if (parameters.Any(static x => Text(x, "in") == "path"))
        {
            expected.Add(404);
        }

        foreach (var parameter in parameters.Where(static x => Text(x, "in") != "path"))
        {
            expected.Add(400);
            if (string.IsNullOrWhiteSpace(Text(parameter, "description")))
            {
                Fail($"the {Text(parameter, "in")} parameter '{Text(parameter, "name")}' has no description; add it to ApiParameters and name it with .WithParameters(ApiParameters.…).");
            }
        }

        if (operation.TryGetProperty("requestBody", out var body))
        {
            expected.UnionWith([400, 413, 415]);
            foreach (var media in body.GetProperty("content").EnumerateObject().Where(static m => m.Name.Contains("json", StringComparison.Ordinal)))
            {
                if (!media.Value.TryGetProperty("example", out _))
                {
                    Fail($"the {media.Name} body has no example; declare it with .AcceptsJson<TBody>(ApiExamples.…).");
                }
            }
        }
        else if (MethodsWithBody.Contains(method) && metadata.GetMetadata<NoRequestBodyMetadata>() is null)
        {
            Fail("no request body; declare it with .AcceptsJson<TBody>(example) or .AcceptsForm<TForm>(\"…\"), or say .WithoutRequestBody().");
        }

        foreach (var status in expected.Where(s => !responses.Any(x => x.Name == s.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Fail($"no {status} problem answer; the operation transformer adds it (is AddAgentryOpenApi registered?), or add .ProducesProblems({status}).");
        }

        foreach (var problem in responses.Where(static x => x.Name.StartsWith('4') || x.Name == "500"))
        {
            var content = problem.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToList() : [];
            var isProblem = content.Count == 1
                && content[0].Name == ApiDocumentation.ProblemContentType
                && content[0].Value.TryGetProperty("schema", out var schema)
                && Text(schema, "$ref") == "#/components/schemas/Problem";
            if (!isProblem)
            {
                Fail($"the {problem.Name} answer is not application/problem+json with the Problem schema; declare it with .ProducesProblems({problem.Name}, \"when\") instead of .Produces or .ProducesProblem.");
            }
        }
    }

    private static bool IsDescribed(string path) =>
        path is "/healthz" or "/readyz" || path == "/v1" || path.StartsWith("/v1/", StringComparison.Ordinal);

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
