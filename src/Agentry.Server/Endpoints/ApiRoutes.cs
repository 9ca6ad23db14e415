namespace Agentry.Server.Endpoints;

/// <summary>
/// The one place where the API's resource groups are mapped. Every group is mapped under <c>/v1</c> and again
/// under <c>/v0.1</c> (API.md: Ag.dev v0.1 clients work by changing their base URL). Routes match with or
/// without a trailing slash. Only the <c>/v1</c> copies are in <c>/openapi/v1.json</c>; each endpoint is described with
/// the conventions of <see cref="OpenApi.ApiDocumentation"/> (README, "Adding an endpoint"), which a test enforces.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The current base path.</summary>
    public const string V1 = "/v1";

    /// <summary>The Ag.dev-compatible alias of <see cref="V1"/>.</summary>
    public const string V01 = "/v0.1";

    public static IEndpointRouteBuilder MapAgentryApi(this IEndpointRouteBuilder app)
    {
        MapResources(app.MapGroup(V1));

        var alias = app.MapGroup(V01).ExcludeFromDescription();
        // Endpoint names must be unique; the alias's copies get a suffix after their own WithName has run.
        ((IEndpointConventionBuilder)alias).Finally(endpoint => RenameForAlias(endpoint, "_V01"));
        MapResources(alias);

        return app;
    }

    private static void MapResources(RouteGroupBuilder api)
    {
        api.MapOrganizationEndpoints();
        api.MapApiKeyEndpoints();
        api.MapAgentEndpoints();
        api.MapRunEndpoints();
        api.MapRunFeedEndpoints();
        api.MapEventEndpoints();
        api.MapSchemaEndpoints();
        api.MapModelStackEndpoints();
        api.MapMcpServerEndpoints();
        api.MapDriveEndpoints();
        api.MapAnalyticsEndpoints();
        api.MapFeedbackEndpoints();
    }

    private static void RenameForAlias(EndpointBuilder endpoint, string suffix)
    {
        for (var i = 0; i < endpoint.Metadata.Count; i++)
        {
            endpoint.Metadata[i] = endpoint.Metadata[i] switch
            {
                EndpointNameMetadata name => new EndpointNameMetadata(name.EndpointName + suffix),
                RouteNameMetadata name when name.RouteName is not null => new RouteNameMetadata(name.RouteName + suffix),
                var other => other,
            };
        }
    }
}
